"""A real sign-in: Streamlit's st.login against a real OpenID Connect provider on loopback (npm
oidc-provider), in Chromium. A 吉水县 county user signs in and sees that county only, on every
page and download; a signed-in person not in the access list sees 无权访问 and no register names."""

import pytest
from playwright.sync_api import expect

from sanqu.access import users
from scripts.server import free_port
from tests.browser import oidc
from tests.browser.conftest import _serve, _unavailable
from tests.browser.sandbox import Visitor, report
from tests.leaks import Catalogue, found

pytestmark = pytest.mark.browser

JISHUI = "360822"
COUNTY_USER = "jishui@jian.gov.cn"


@pytest.fixture(scope="module")
def signin_app(demo_data, tmp_path_factory):
    """The app in oidc mode, its [auth] pointing at a provider started for it."""
    why = oidc.missing()
    if why:
        _unavailable(f"the OIDC provider cannot start: {why}")
    tmp = tmp_path_factory.mktemp("oidc")
    access = tmp / "access.sqlite"
    mp = pytest.MonkeyPatch()
    mp.setenv("SANQU_ACCESS_DB", str(access))
    users.add(COUNTY_USER, "county", JISHUI)
    mp.undo()
    port = free_port()
    provider = oidc.Provider(port, tmp / "provider.log")
    (tmp / "secrets.toml").write_text(provider.secrets_toml(), encoding="utf-8")
    args = ("--secrets.files", str(tmp / "secrets.toml"))
    yield from _serve(demo_data, "oidc-app.log", args=args, port=port, SANQU_ACCESS="oidc", SANQU_ACCESS_DB=str(access))
    provider.stop()


@pytest.fixture()
def visitor(browser, signin_app, tmp_path):
    made = []

    def make() -> Visitor:
        made.append(Visitor(browser, signin_app, tmp_path))
        return made[-1]

    yield make
    for v in made:
        v.close()


def _sign_in(v: Visitor, login: str) -> None:
    v.open("/overview")
    expect(v.page.get_by_text("请先登录")).to_be_visible()
    assert v.page.get_by_role("combobox").count() == 0
    v.page.get_by_role("button", name="登录").click()
    oidc.sign_in(v.page, login)
    v.page.wait_for_url(v.base + "/**", timeout=30000)
    v.page.wait_for_selector("[data-testid='stApp']")


def test_county_user_signs_in_and_sees_its_county_only(visitor, demo_data, output_dir):
    v = visitor()
    _sign_in(v, COUNTY_USER)
    page = v.page
    expect(page.get_by_text(f"{COUNTY_USER} · 区县 · 吉水县")).to_be_visible(timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("吉水县")
    assert v.district_options() == ["吉水县"]
    page.screenshot(path=output_dir / "access-oidc-county.png")
    v.everything()
    catalogue = Catalogue(demo_data / "registers")
    text = v.text()
    assert found(text, *catalogue.outside({JISHUI})) == set()
    assert len(found(text, *catalogue.inside({JISHUI}))) > 20
    rows = report(v, catalogue.inside({JISHUI}), catalogue.outside({JISHUI}), output_dir / "access-oidc-county.json")
    assert all(outside == 0 for _, outside in rows.values())
    names = sorted(v.names.values())
    assert len(names) >= 8 and all(f"_{JISHUI}_" in n for n in names), names
    # signing out ends it: the next visit asks to sign in again
    v.open("/overview")
    page.get_by_role("button", name="退出登录").click()
    oidc.confirm_sign_out(page)
    expect(page.get_by_text("请先登录")).to_be_visible(timeout=30000)
    assert page.get_by_role("combobox").count() == 0


def test_signed_in_but_not_in_the_access_list(visitor, demo_data):
    v = visitor()
    _sign_in(v, "stranger@example.com")
    expect(v.page.get_by_text("无权访问：账号「stranger@example.com」不在访问名单中。")).to_be_visible(timeout=30000)
    v.everything(f"district={JISHUI}")
    catalogue = Catalogue(demo_data / "registers")
    assert found(v.text(), *catalogue.inside(set().union(*catalogue.codes.values()))) == set()
    assert v.names == {}
    expect(v.page.get_by_role("button", name="退出登录")).to_be_visible()

"""access=proxy in the browser, behind a real nginx on loopback that sets the identity header
(tests/browser/proxy.py): a county user gets its county only, on every page and download; the
same header from an address that is not a trusted proxy, or no identity, gets nothing (sandbox
leak test in the style of Metabase's). Chromium cannot put a header on the websocket handshake
itself (Playwright's extra_http_headers skip it), which is where st.context.headers comes from."""

from contextlib import closing

import pytest
from playwright.sync_api import expect

from sanqu.access import accessdb, clock, links, users
from tests.browser import proxy
from tests.browser.conftest import _serve, _unavailable
from tests.browser.sandbox import Visitor, report
from tests.leaks import Catalogue, found

pytestmark = pytest.mark.browser

JISHUI = "360822"
JINGGANGSHAN = "360881"
CITY_USER, COUNTY_USER, SCREEN_USER = "city@jian.gov.cn", "jishui@jian.gov.cn", "wall@jian.gov.cn"
GONE_USER = "old-wall@jian.gov.cn"


@pytest.fixture(scope="module")
def access_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("access") / "access.sqlite"
    mp = pytest.MonkeyPatch()
    mp.setenv("SANQU_ACCESS_DB", str(path))
    users.add(CITY_USER, "city")
    users.add(COUNTY_USER, "county", JISHUI)
    users.add(SCREEN_USER, "screen", JINGGANGSHAN)
    users.add(GONE_USER, "screen", JINGGANGSHAN)
    mp.undo()
    return path


def _behind_nginx(app_url: str, tmp):
    if proxy.executable() is None:
        _unavailable("nginx is not installed (apt-get install nginx-light; .ci/run does)")
    nginx, url = proxy.start(app_url, tmp)
    yield url
    nginx.terminate()
    nginx.wait(10)


@pytest.fixture(scope="module")
def proxy_server(demo_data, access_file, tmp_path_factory):
    """nginx (trusted: on 127.0.0.1) in front of the app in proxy mode."""
    for app in _serve(demo_data, "proxy.log", SANQU_ACCESS="proxy", SANQU_ACCESS_DB=str(access_file)):
        yield from _behind_nginx(app, tmp_path_factory.mktemp("nginx"))


@pytest.fixture(scope="module")
def untrusted_server(demo_data, access_file, tmp_path_factory):
    """The same nginx, but the app trusts only a proxy at 10.9.9.9: this one is not it."""
    env = {"SANQU_ACCESS": "proxy", "SANQU_ACCESS_DB": str(access_file), "SANQU_TRUSTED_PROXIES": "10.9.9.9"}
    for app in _serve(demo_data, "untrusted.log", **env):
        yield from _behind_nginx(app, tmp_path_factory.mktemp("nginx-untrusted"))


@pytest.fixture(scope="module")
def catalogue(demo_data):
    return Catalogue(demo_data / "registers")


@pytest.fixture()
def visitor(browser, tmp_path):
    made = []

    def make(base: str, user: str | None) -> Visitor:
        v = Visitor(browser, base, tmp_path, {"sso_user": user} if user else None)
        made.append(v)
        return v

    yield make
    for v in made:
        v.close()


def test_county_user_sees_its_county_only(proxy_server, visitor, catalogue, output_dir):
    v = visitor(proxy_server, COUNTY_USER)
    v.open("/overview")
    page = v.page
    expect(page.get_by_role("combobox", name="区县")).to_have_value("吉水县")
    assert v.district_options() == ["吉水县"]
    assert page.get_by_text(f"{COUNTY_USER} · 区县 · 吉水县").count() == 1
    v.everything()
    text = v.text()
    codes, names = catalogue.outside({JISHUI})
    assert found(text, codes, names) == set()
    mine = found(text, *catalogue.inside({JISHUI}))
    assert len(mine) > 20  # the collection holds the county's own entities: the search can find
    rows = report(v, catalogue.inside({JISHUI}), (codes, names), output_dir / "access-proxy-county.json")
    assert all(outside == 0 for _, outside in rows.values())
    names = sorted(v.names.values())
    assert len(names) >= 8 and any(n.endswith(".pdf") for n in names), names
    assert all(f"_{JISHUI}_" in n for n in names), names
    page.screenshot(path=output_dir / "access-proxy-county-screen.png")


def test_a_share_link_sees_its_district_only_on_every_surface(
    proxy_server, visitor, access_file, catalogue, output_dir
):
    """A 井冈山市 link opened with no identity: every page, download, the briefing and the big screen."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SANQU_ACCESS_DB", str(access_file))
    try:
        with closing(accessdb.connect()) as conn:
            _, token = links.create(conn, [JINGGANGSHAN], 1, "/overview", CITY_USER, clock.now())
    finally:
        mp.undo()
    v = visitor(proxy_server, None)
    v.everything(f"share={token}")
    assert not v.refused()
    codes, names = catalogue.outside({JINGGANGSHAN})
    text = v.text()
    assert found(text, codes, names) == set()
    assert len(found(text, *catalogue.inside({JINGGANGSHAN}))) > 5  # the search finds the county's own
    rows = report(v, catalogue.inside({JINGGANGSHAN}), (codes, names), output_dir / "access-link-jinggangshan.json")
    assert all(outside == 0 for _, outside in rows.values())
    files = sorted(v.names.values())
    assert any(n.endswith(".pdf") for n in files) and all(f"_{JINGGANGSHAN}_" in n for n in files), files


def test_a_widening_link_is_refused_and_shows_the_allowed_view(proxy_server, visitor):
    v = visitor(proxy_server, COUNTY_USER)
    v.open("/parks?district=360881")
    expect(v.page.get_by_text("超出您的查看范围")).to_be_visible()
    expect(v.page.get_by_role("combobox", name="区县")).to_have_value("吉水县")
    assert "district=360822" in v.page.url
    v.open("/?mode=screen&every=600&district=360800")
    expect(v.page.locator(".st-key-sq_title h1")).to_contain_text("吉水县")
    expect(v.page.get_by_text("超出您的查看范围")).to_be_visible()


def test_city_user_sees_every_district(proxy_server, visitor, catalogue, output_dir):
    v = visitor(proxy_server, CITY_USER)
    v.open("/overview")
    assert len(v.district_options()) == 14
    v.everything()
    text = v.text()
    report(
        v, catalogue.inside(set(catalogue_districts(catalogue))), (set(), set()), output_dir / "access-proxy-city.json"
    )
    seen = found(text, *catalogue.inside({"360881"})) | found(text, *catalogue.inside({JISHUI}))
    assert {c for c in seen if "360881" in c} and {c for c in seen if JISHUI in c}
    assert len(v.files) >= 8


@pytest.mark.parametrize("who", ["anonymous", "unknown", "untrusted"])
def test_no_identity_gets_no_register_names_at_all(proxy_server, untrusted_server, visitor, catalogue, who):
    base = untrusted_server if who == "untrusted" else proxy_server
    user = {"anonymous": None, "unknown": "nobody@example.com", "untrusted": COUNTY_USER}[who]
    v = visitor(base, user)
    v.everything(f"district={JISHUI}")
    assert v.refused()
    assert v.files == {}
    everything = catalogue.inside(set(catalogue_districts(catalogue)))
    assert found(v.text(), *everything) == set()
    assert v.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").count() == 0


def catalogue_districts(catalogue: Catalogue) -> set[str]:
    return set().union(*catalogue.codes.values())


@pytest.mark.parametrize("path", ["/", "/map?district=360800", "/screen"])
def test_screen_role_gets_the_big_screen_only(proxy_server, visitor, catalogue, path):
    v = visitor(proxy_server, SCREEN_USER)
    v.open(path)
    title = v.page.locator(".st-key-sq_title h1")
    expect(title).to_contain_text("井冈山市", timeout=60000)
    assert v.page.locator("[data-testid='stSidebarNav']").count() == 0
    assert v.page.locator(".st-key-sq_back").count() == 0  # no way back to pages it may not open
    assert v.page.get_by_text("Page not found").count() == 0
    assert found(v.text(), *catalogue.outside({JINGGANGSHAN})) == set()
    assert found(v.text(), *catalogue.inside({JINGGANGSHAN}))


def test_a_screen_removed_from_the_list_stops_at_its_next_refresh(proxy_server, visitor, access_file):
    v = visitor(proxy_server, GONE_USER)
    v.open("/?every=5")
    expect(v.page.locator(".st-key-sq_title h1")).to_contain_text("井冈山市", timeout=60000)
    mp = pytest.MonkeyPatch()
    mp.setenv("SANQU_ACCESS_DB", str(access_file))
    assert users.remove(GONE_USER)
    mp.undo()
    expect(v.page.get_by_text("无权访问")).to_be_visible(timeout=30000)  # the fragment's next run
    expect(v.page.locator(".st-key-sq_title h1")).to_have_count(0)


@pytest.mark.parametrize("path", ["/map?district=360822", "/sites", "/?mode=screen"])
def test_the_refusal_is_all_a_page_address_shows(proxy_server, visitor, path):
    v = visitor(proxy_server, None)
    v.open(path)
    expect(v.page.get_by_text("无权访问：未能确认您的身份")).to_be_visible()
    assert v.page.get_by_text("Page not found").count() == 0
    assert v.page.get_by_role("dialog").count() == 0
    assert v.page.locator("[data-testid='stSidebarNav']").count() == 0


def test_an_id_from_the_header_is_shown_as_text(proxy_server, visitor):
    payload = "**bold**[link](http://evil.example/)"
    v = visitor(proxy_server, payload)
    v.open("/overview")
    expect(v.page.get_by_text("无权访问：账号不在访问名单中。")).to_be_visible()
    expect(v.page.get_by_text(f"账号：{payload}")).to_be_visible()
    assert v.page.locator("a[href*='evil.example'], strong").count() == 0

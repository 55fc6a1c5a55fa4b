"""Share links as a person receives them: a link made by `python -m sanqu share` opens in a fresh
browser with its district only, in `proxy` mode where nobody sees data without one; the same link
altered by one character, revoked, or opened after its days have passed (the server's clock moved
through the settings file) shows the message and no data. And the link of 分享与导出 holds the view
as it is now: a map zoomed after the last script run reopens at that zoom; the link is built from
the address the page was reached by."""

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from sanqu.geography import DISTRICTS
from tests.browser import proxy
from tests.browser.conftest import _serve, settle

pytestmark = pytest.mark.browser

T0 = "2026-11-26T09:00:00"
JINGGANGSHAN = "360881"
OTHERS = [name for code, name in DISTRICTS.items() if code != JINGGANGSHAN]


@pytest.fixture(scope="module")
def proxy_app(demo_data, tmp_path_factory):
    """The app in `proxy` mode (a browser without the identity header sees nothing), with its own
    access file and a settings file whose `now` the tests move; yields (url, env, settings file)."""
    tmp = tmp_path_factory.mktemp("proxy-app")
    toml = tmp / "sanqu.toml"
    toml.write_text(f'now = "{T0}"\n', encoding="utf-8")
    settings = {
        "SANQU_ACCESS": "proxy",
        "SANQU_ACCESS_DB": str(tmp / "access.sqlite"),
        "SANQU_SETTINGS": str(toml),
        "SANQU_PUBLIC_URL": "",
        "SANQU_LINK_SECRET": "",
    }
    env = dict(os.environ, SANQU_DATA_DIR=str(demo_data), **settings)
    env.pop("SANQU_NOW", None)
    for url in _serve(demo_data, "links.log", **settings):
        yield url, env, toml


def _sanqu(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sanqu", *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def _share(env, url: str, *args: str) -> str:
    """`python -m sanqu share …` with the app's address as the public one; the printed link."""
    done = _sanqu(dict(env, SANQU_PUBLIC_URL=url), "share", *args)
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip()
    assert link.startswith(url + "/") and "share=" in link
    return link


def _body(page) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def _refused(p, path: str, message: str) -> None:
    page = p.open(path, wait_text=message)
    body = _body(page)
    assert "无权访问" in body
    assert [name for name in (*OTHERS, "井冈山市") if name in body] == []  # no district, no data
    assert page.locator("[data-testid='stMetric'], [data-testid='stDataFrame'], iframe").count() == 0


def test_without_a_link_a_proxy_mode_visitor_sees_nothing(open_page, proxy_app):
    url, _, _ = proxy_app
    _refused(open_page(1366, 768, base=url), "/overview", "无权访问")


def test_a_cli_link_opens_its_district_only_and_refuses_when_altered_revoked_or_expired(
    open_page, proxy_app, output_dir
):
    url, env, toml = proxy_app
    env = dict(env, SANQU_NOW=T0)
    link = _share(env, url, "--district", JINGGANGSHAN, "--days", "1")
    path = link.removeprefix(url)

    p = open_page(1366, 768, base=url)
    page = p.open(path, wait_text="三区党建总览")
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    page.get_by_role("combobox", name="区县").click()
    assert page.get_by_role("option").all_inner_texts() == ["井冈山市"]  # the only choice
    page.keyboard.press("Escape")
    assert "分享链接 · 只读 · 井冈山市" in _body(page)
    # (the overview's fixed note on 「—」 names 峡江县 as an example: text of the page, not data)
    main = page.locator("[data-testid='stMain']").inner_text().replace("如峡江县无旅游景区", "")
    assert "井冈山市" in main and [name for name in OTHERS if name in main] == []
    assert page.locator("[data-testid='stMetric']").count() == 3
    # the link is kept while the person moves to another page (the navigation drops the query)
    page.locator("[data-testid='stSidebarNav'] a", has_text="工业园区").click()
    page.wait_for_url(re.compile(r"/parks\?.*share="), timeout=30000)
    settle(page)
    assert "无权访问" not in _body(page) and "井冈山市" in page.locator("[data-testid='stMain']").inner_text()
    assert page.get_by_text("生成分享链接").count() == 0  # read-only: no share links made from a share link
    p.finish(output_dir / "share-link-jinggangshan.png")

    # one character changed in the token: refused, nothing shown
    token = path.split("share=")[1]
    i = len(token) // 2 if token[len(token) // 2] != "." else len(token) // 2 + 1
    altered = path.replace(token, token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :])
    _refused(open_page(1366, 768, base=url), altered, "已被改动或不完整")

    # the days have passed: the server's clock moved to T0 + 1 day
    toml.write_text('now = "2026-11-27T09:00:00"\n', encoding="utf-8")
    try:
        _refused(open_page(1366, 768, base=url), path, "分享链接已于 2026-11-27 09:00 过期")
    finally:
        toml.write_text(f'now = "{T0}"\n', encoding="utf-8")

    # revoked: refused with the time it was revoked
    link_id = token.split(".")[0]
    done = _sanqu(env, "share", "revoke", link_id)
    assert done.returncode == 0, done.stderr
    _refused(open_page(1366, 768, base=url), path, "被撤销")

    # the audit trail has the link made, used, revoked and the refusals
    trail = _sanqu(env, "audit", "--limit", "20").stdout
    for words in ("创建分享链接", f"link:{link_id} (link)  使用分享链接", "撤销分享链接", "拒绝访问  分享链接已被改动"):
        assert words in trail, trail


def test_the_shared_link_of_a_map_zoomed_after_the_last_run_reopens_at_that_zoom(open_page, output_dir):
    p = open_page(1366, 768)
    page = p.open("/map?district=360881", wait_text="三区地图")
    _, frame = p.map_frame()
    before = frame.evaluate("window.map.getZoom()")
    # zoom in with the map's own + button: no full script run follows, only the map's fragment
    frame.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function("(z) => window.map.getZoom() > z", arg=before)
    zoom = frame.evaluate("window.map.getZoom()")
    assert zoom > before
    center = frame.evaluate("(() => { const c = window.map.getCenter(); return [c.lat, c.lng]; })()")
    page.wait_for_url(re.compile(rf"z={zoom:g}(&|$)"), timeout=30000)
    settle(page)

    page.get_by_role("button", name="分享与导出").click()
    code = page.locator("[data-testid='stPopoverBody'] code").first
    expect(code).to_contain_text(f"z={zoom:g}", timeout=30000)
    link = code.inner_text().strip()
    assert link.startswith(p.base + "/map?") and "district=360881" in link

    q = open_page(1366, 768)
    q.open(link.removeprefix(p.base), wait_text="三区地图")
    _, fresh = q.map_frame()
    assert fresh.evaluate("window.map.getZoom()") == zoom
    lat, lon = fresh.evaluate("(() => { const c = window.map.getCenter(); return [c.lat, c.lng]; })()")
    assert abs(lat - center[0]) < 1e-3 and abs(lon - center[1]) < 1e-3
    q.finish(output_dir / "map-zoom-reopened-1366x768.png")


def test_the_link_is_built_from_the_address_the_page_was_reached_by(open_page, server):
    port = server.rsplit(":", 1)[1]
    other = f"http://localhost:{port}"
    p = open_page(1366, 768, base=other)
    page = p.open("/parks?district=360822", wait_text="工业园区")
    page.get_by_role("button", name="分享与导出").click()
    code = page.locator("[data-testid='stPopoverBody'] code").first
    expect(code).to_contain_text("district=360822", timeout=30000)
    assert code.inner_text().strip().startswith(other + "/parks?")


def test_behind_a_reverse_proxy_the_link_has_the_public_host_and_scheme(open_page, server, tmp_path):
    """A real nginx that forwards the public name and scheme, as a proxy in front of the app does."""
    if proxy.executable() is None:
        pytest.fail("nginx is not installed (.ci/run installs nginx-light)")
    forwarded = {"X-Forwarded-Host": "dj.example.gov.cn", "X-Forwarded-Proto": "https"}
    nginx, url = proxy.start(server, tmp_path, forwarded)
    try:
        p = open_page(1366, 768, base=url)
        page = p.open("/parks?district=360822", wait_text="工业园区")
        page.get_by_role("button", name="分享与导出").click()
        code = page.locator("[data-testid='stPopoverBody'] code").first
        expect(code).to_contain_text("district=360822", timeout=30000)
        assert code.inner_text().strip().startswith("https://dj.example.gov.cn/parks?")
    finally:
        nginx.terminate()
        nginx.wait(10)


@pytest.fixture(scope="module")
def county_behind_nginx(demo_data, tmp_path_factory):
    """proxy mode behind a real nginx that signs in whoever the `sso_user` cookie names; a county
    administrator of 吉水县 in the access list. Yields (nginx url, env)."""
    if proxy.executable() is None:
        pytest.fail("nginx is not installed (.ci/run installs nginx-light)")
    tmp = tmp_path_factory.mktemp("county-links")
    settings = {"SANQU_ACCESS": "proxy", "SANQU_ACCESS_DB": str(tmp / "access.sqlite"), "SANQU_NOW": T0}
    env = dict(os.environ, SANQU_DATA_DIR=str(demo_data), **settings)
    done = _sanqu(env, "users", "add", "jishui@jian.gov.cn", "--role", "county", "--district", "360822")
    assert done.returncode == 0, done.stderr
    for app in _serve(demo_data, "county-links.log", **settings):
        nginx, url = proxy.start(app, tmp)
        yield url, env
        nginx.terminate()
        nginx.wait(10)


def test_a_county_administrator_shares_its_county_only(open_page, county_behind_nginx, output_dir):
    url, env = county_behind_nginx
    p = open_page(1366, 768, base=url)
    p.context.add_cookies([{"name": "sso_user", "value": "jishui@jian.gov.cn", "url": url}])
    page = p.open("/parks", wait_text="工业园区")
    page.get_by_role("button", name="分享与导出").click()
    body = page.locator("[data-testid='stPopoverBody']")
    choose = body.get_by_role("combobox").first
    expect(body.get_by_text("吉水县")).to_be_visible(timeout=20000)  # chosen: the county in view
    choose.click()
    # nothing else to add: its own county only (Streamlit's own words for an empty list)
    expect(page.get_by_role("option")).to_have_text(["No results"])
    page.keyboard.press("Escape")
    body.get_by_role("button", name="生成分享链接").click()
    code = body.locator("code", has_text="share=")
    expect(code).to_have_count(1, timeout=30000)
    link = code.inner_text().strip()
    assert link.startswith(url + "/parks?") and "district=360822" in link

    q = open_page(1366, 768, base=url)  # a fresh browser, no sign-in cookie
    fresh = q.open(link.removeprefix(url), wait_text="工业园区")
    expect(fresh.get_by_role("combobox", name="区县")).to_have_value("吉水县", timeout=20000)
    assert "分享链接 · 只读 · 吉水县" in _body(fresh)
    q.finish(output_dir / "share-link-county-made.png")
    trail = _sanqu(env, "audit").stdout
    for words in (
        "jishui@jian.gov.cn (proxy)  登录 · 范围 360822",
        "jishui@jian.gov.cn (proxy)  创建分享链接",
        "使用分享链接",
    ):
        assert words in trail, trail

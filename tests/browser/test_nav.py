"""Every address the README names opens its page with its parameters; 大屏 from the navigation
keeps the district and period and leads back."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from sanqu.paths import ROOT
from tests.browser.conftest import settle

pytestmark = pytest.mark.browser

TITLES = {
    "overview": "三区党建总览",
    "map": "三区地图",
    "parks": "工业园区党建",
    "communities": "城乡社区党建",
    "scenic": "旅游景区党建",
    "sites": "示范点",
    "mechanisms": "长效机制",
    "upload": "数据上报",
    "admin": "管理",  # no district or period: users, links and the audit trail of the whole city
}
UNFILTERED = {"admin"}
README_PATHS = sorted(set(re.findall(r"`/([a-z]+)[?`]", (ROOT / "README.md").read_text(encoding="utf-8"))))
QUERY = "district=360881&period=2025Q4"


def _no_missing_page(page) -> None:
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("dialog").count() == 0


def test_the_readme_names_every_page():
    assert set(TITLES) | {"screen"} == set(README_PATHS)


# every page at 1366×768; the overview and the map at 1920×1080 too
CASES = [(p, (1366, 768)) for p in README_PATHS if p != "screen"] + [(p, (1920, 1080)) for p in ("overview", "map")]


@pytest.mark.parametrize(("path", "size"), CASES)
def test_every_readme_path_opens_its_page_with_its_parameters(open_page, output_dir, path, size):
    p = open_page(*size)
    page = p.open(f"/{path}?{QUERY}", wait_text=TITLES[path])
    _no_missing_page(page)
    expect(page.get_by_role("heading", name=TITLES[path], exact=True, level=1)).to_be_visible()
    if path in UNFILTERED:
        p.finish(output_dir / f"nav-{path}-{size[0]}x{size[1]}.png")
        return
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    expect(page.get_by_role("combobox", name="统计季度")).to_have_value("2025年第4季度")
    assert page.url.startswith(p.base + f"/{path}?") and QUERY.split("&")[0] in page.url
    p.finish(output_dir / f"nav-{path}-{size[0]}x{size[1]}.png")


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_root_is_the_overview_at_its_own_address(open_page, output_dir, size):
    p = open_page(*size)
    page = p.open(f"/?{QUERY}&zone=scenic", wait_text="三区党建总览")
    page.wait_for_url(re.compile(r"/overview\?"), timeout=30000)
    _no_missing_page(page)
    for part in (*QUERY.split("&"), "zone=scenic"):
        assert part in page.url
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    current = page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")
    expect(current).to_have_text(re.compile("总览"))
    p.finish(output_dir / f"nav-root-{size[0]}x{size[1]}.png")


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_screen_from_the_navigation_keeps_the_filters_and_leads_back(open_page, output_dir, size):
    w, h = size
    p = open_page(w, h)
    page = p.open(f"/parks?{QUERY}", wait_text="工业园区党建")
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    page.locator("[data-testid='stSidebarNav'] a", has_text="大屏").click()
    page.wait_for_url(re.compile(r"/screen\?.*scale="), timeout=30000)
    title = page.locator(".st-key-sq_title h1")
    expect(title).to_contain_text("井冈山市三区党建 · 工业园区", timeout=30000)  # the page's own view first
    expect(page.locator(".st-key-sq_title [data-testid='stText']").first).to_contain_text("2025年第4季度")
    for part in QUERY.split("&"):
        assert part in page.url
    settle(page)

    back = page.locator(".st-key-sq_back a")
    expect(back).to_have_text(re.compile("返回"))
    canvas = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    box = back.bounding_box()
    # in the canvas' top-left corner, one line of the screen's smallest text (24 px at 1080p, like
    # everything on the screen), above the title's text, and dim until pointed at
    k = canvas["width"] / 1920
    assert canvas["x"] <= box["x"] < canvas["x"] + 40 and canvas["y"] <= box["y"] < canvas["y"] + 30
    assert box["height"] <= 56 * k and box["width"] <= 180 * k
    heading = page.locator(".st-key-sq_title h1").bounding_box()
    assert box["y"] + box["height"] <= heading["y"] + heading["height"] / 2 or box["x"] + box["width"] <= heading["x"]
    assert float(page.locator(".st-key-sq_back").evaluate("e => getComputedStyle(e).opacity")) < 0.5
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll[0] <= w and scroll[1] <= h
    p.finish(output_dir / f"nav-screen-{w}x{h}.png")

    back.click()
    page.wait_for_url(re.compile(r"/parks\?"), timeout=30000)
    expect(page.get_by_role("heading", name="工业园区党建")).to_be_visible(timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    expect(page.get_by_role("combobox", name="统计季度")).to_have_value("2025年第4季度")
    query = parse_qs(urlsplit(page.url).query)
    assert "mode" not in query and "from" not in query and query["district"] == ["360881"]
    assert not re.fullmatch(r"[0-9.]+", query.get("scale", [""])[0])  # the screen's own ?scale= is not carried back
    p.finish(output_dir / f"nav-screen-back-{w}x{h}.png")


def test_screen_mode_link_leads_back_to_its_page(open_page, output_dir):
    p = open_page(1366, 768)
    page = p.open(f"/map?mode=screen&{QUERY}&layers=parks", wait_text=None)
    page.wait_for_url(re.compile(r"scale="), timeout=30000)
    expect(page.locator(".st-key-sq_title h1")).to_contain_text("井冈山市三区党建", timeout=30000)
    page.locator(".st-key-sq_back a").click()
    page.wait_for_url(re.compile(r"/map\?"), timeout=30000)
    expect(page.get_by_role("heading", name="三区地图")).to_be_visible(timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    page.wait_for_url(lambda u: "layers=parks" in u and "mode" not in parse_qs(urlsplit(u).query), timeout=30000)
    p.finish(output_dir / "nav-screen-mode-back-1366x768.png")

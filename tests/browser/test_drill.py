"""Drill-down on the Jiangxi map in Debian's chromium (SANQU_REGION=360000, a demo store of two
cities): the province's 100 county shapes, a click on 吉安市 selects the city, a click on 吉水县
narrows the page's table to it, a click on a township area selects the township (labelled as an
approximate area), and the breadcrumb leads back to 吉安市 and 江西省; nothing leaves the origin."""

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from sanqu.mapping.drill import APPROX_NOTE
from tests.browser.conftest import Page, _serve, settle, still
from tests.test_region_demo import BUILD, CITIES, ROOT

pytestmark = pytest.mark.browser

JISHUI = (27.1982, 115.2257)  # (lat, lon) inside 吉水县, hence inside 吉安市
WENFENG = (27.1571, 115.132)  # inside 文峰镇's approximate area
DRAWN = "Object.values(window.sanqu.districts).filter((d) => d._map).length"


@pytest.fixture(scope="module")
def jiangxi_server(tmp_path_factory):
    """The app serving Jiangxi on a demo store of 南昌市 and 吉安市, built as in test_region_demo."""
    folder = tmp_path_factory.mktemp("jiangxi-app")
    env = {**os.environ, "SANQU_REGION": "360000", "SANQU_DATA_DIR": str(folder)}
    subprocess.run([sys.executable, "-c", BUILD, str(folder), *CITIES], env=env, cwd=ROOT, check=True)
    yield from _serve(folder, SANQU_REGION="360000")


def _click(p: Page, lat: float, lon: float) -> None:
    _point(p, lat, lon, click=True)


def _point(p: Page, lat: float, lon: float, click: bool) -> None:
    """The mouse on the map at (lat, lon); a click there with `click`."""
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    still(handle)
    x, y = frame.evaluate(
        f"(() => {{ const q = window.map.latLngToContainerPoint([{lat}, {lon}]); return [q.x, q.y]; }})()"
    )
    box = handle.bounding_box()
    if click:
        p.page.mouse.click(box["x"] + x, box["y"] + y)
    else:
        p.page.mouse.move(box["x"] + x, box["y"] + y)


def _grid(page):
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("canvas").first.wait_for()
    return grid


def _table_rows(page) -> list[list[str]]:
    """The first rows of the map page's table as its grid shows them (the accessible table, which
    holds the rows in view), header left out."""
    rows = _grid(page).locator("[role='row']")
    return [r.locator("[role='gridcell']").all_inner_texts() for r in rows.all()[1:]]


def _row_count(page, expected: int | None = None) -> int:
    """All the rows of the map page's table (the grid's aria-rowcount counts the header too),
    once there are `expected` (the grid redraws after the script run has ended)."""
    counted = _grid(page).locator("[aria-rowcount]").first
    if expected is not None:
        expect(counted).to_have_attribute("aria-rowcount", str(expected + 1), timeout=30000)
    return int(counted.get_attribute("aria-rowcount")) - 1


def _level(p: Page, district: str, label: str) -> None:
    """Wait until the page shows `district` (URL and sidebar) and its map is drawn."""
    p.page.wait_for_url(re.compile(rf"district={district}(&|$)"), timeout=30000)
    expect(p.page.get_by_role("combobox", name="区县")).to_have_value(label, timeout=30000)
    p.map_frame(until=f"{DRAWN} === 100")
    settle(p.page)  # the page's table below the map drawn for it too


def test_drill_down_province_city_county_township_and_back(browser, jiangxi_server, output_dir):
    p = Page(browser, jiangxi_server, 1366, 768)
    try:
        page = p.open("/map?layers=none", wait_text="三区地图")
        _, frame = p.map_frame(until=f"{DRAWN} === 100")  # every county of the province
        assert frame.evaluate("window.sanqu.cities.layer.getLayers().length") == 11
        assert frame.locator(".sq-city-label").count() == 11
        assert _row_count(page) > 13  # both cities of the demo: more counties than 吉安市 has
        p.finish(output_dir / "drill-1-province-1366x768.png")

        _click(p, *JISHUI)  # the province: the click picks the city
        _level(p, "360800", "吉安市（全市）")
        assert _row_count(page, 13) == 13
        rows = _table_rows(page)
        assert rows and all(r[0].startswith("3608") for r in rows), rows
        p.finish(output_dir / "drill-2-city-1366x768.png")

        _click(p, *JISHUI)  # the city: the county
        _level(p, "360822", "吉水县")
        assert _row_count(page, 1) == 1 and [r[:2] for r in _table_rows(page)] == [["360822", "吉水县"]]  # narrowed
        _, frame = p.map_frame(
            until="window.sanqu.townshipCells && Object.keys(window.sanqu.townshipCells).length > 10"
        )
        approx = frame.locator(".sq-approx")
        expect(approx).to_be_visible()
        assert APPROX_NOTE in approx.inner_text()
        _point(p, *WENFENG, click=False)  # the area's tooltip says it too
        tip = frame.locator(".leaflet-tooltip")
        expect(tip).to_contain_text("文峰镇", timeout=10000)
        assert APPROX_NOTE in tip.inner_text() and ("%（" in tip.inner_text() or "无登记在该乡镇" in tip.inner_text())
        p.finish(output_dir / "drill-3-county-1366x768.png")

        _click(p, *WENFENG)  # the county: the township's area
        _level(p, "360822100", "吉水县文峰镇")
        crumbs = page.locator(".st-key-sq_crumbs")
        assert crumbs.inner_text().split() == ["江西省", "›", "吉安市", "›", "吉水县", "›", "文峰镇"]
        _, frame = p.map_frame()
        expect(frame.locator(".sq-approx")).to_be_visible()
        p.finish(output_dir / "drill-4-township-1366x768.png")

        crumbs.get_by_role("button", name="吉安市").click()
        _level(p, "360800", "吉安市（全市）")
        assert _row_count(page, 13) == 13
        page.locator(".st-key-sq_crumbs").get_by_role("button", name="江西省").click()
        _level(p, "360000", "江西省（全省）")
        p.finish(output_dir / "drill-5-back-to-province-1366x768.png")

        page = p.open("/?district=360822100", wait_text="三区党建总览")  # every page takes a township
        expect(page.get_by_role("combobox", name="区县")).to_have_value("吉水县文峰镇", timeout=30000)
        assert page.locator(".st-key-sq_crumbs").inner_text().split()[-1] == "文峰镇"
        assert "本页暂按区县筛选" not in page.inner_text("body")
        p.finish(output_dir / "drill-6-overview-township-1366x768.png")
    finally:
        p.close()


def _place_chart(page):
    """The overview's place chart (its second chart, Vega-Lite), scrolled into view."""
    chart = page.locator("[data-testid='stVegaLiteChart']").nth(1)
    chart.scroll_into_view_if_needed()
    return chart


def _x_labels(chart):
    return chart.locator("g.role-axis[aria-label^='X-axis'] g.role-axis-label text")


def _click_bar(page, label: str) -> None:
    """A click on a bar of the overview's place chart above the x label `label`: Vega's SVG names
    each bar by its tooltip (地区: …), so the bar is found by what it shows, then clicked as a
    person would (the mouse at its foot)."""
    chart = _place_chart(page)
    bar = chart.locator(f"g.mark-rect.role-mark path[aria-label*='地区: {label};']").first
    bar.wait_for(timeout=30000)
    box = bar.bounding_box()
    assert box and box["height"] > 2, (label, box)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)


def test_overview_bars_drill_from_province_to_city_to_county(browser, jiangxi_server, output_dir):
    p = Page(browser, jiangxi_server, 1366, 768)
    try:
        page = p.open("/", wait_text="各设区市组织覆盖率")
        expect(_x_labels(_place_chart(page))).to_have_count(11, timeout=30000)  # the province's cities
        _click_bar(page, "吉安市")
        page.wait_for_url(re.compile(r"district=360800(&|$)"), timeout=30000)
        expect(page.get_by_role("combobox", name="区县")).to_have_value("吉安市（全市）", timeout=30000)
        expect(page.get_by_text("各区县组织覆盖率")).to_be_visible(timeout=30000)
        expect(_x_labels(_place_chart(page))).to_have_count(13, timeout=30000)  # the city's counties
        _click_bar(page, "吉水县")
        page.wait_for_url(re.compile(r"district=360822(&|$)"), timeout=30000)
        expect(page.get_by_role("combobox", name="区县")).to_have_value("吉水县", timeout=30000)
        expect(page.get_by_text("各乡镇（街道）组织覆盖率")).to_be_visible(timeout=30000)
        assert page.locator(".st-key-sq_crumbs").inner_text().split() == ["江西省", "›", "吉安市", "›", "吉水县"]
        settle(page)
        p.finish(output_dir / "drill-7-overview-county-1366x768.png")
        assert p.outside == []
    finally:
        p.close()

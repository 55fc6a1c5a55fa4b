"""The map page as a person sees it: shapes, layers, a district click, a popup; offline."""

import re

import pytest
from playwright.sync_api import expect

from sanqu.webmap import LAYERS
from tests.evil import PAYLOADS

pytestmark = pytest.mark.browser


def _click_latlng(page, handle, frame, lat, lon):
    x, y = frame.evaluate(
        f"(() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()"
    )
    box = handle.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_map_shows_13_districts_and_every_layer_offline(open_page, output_dir):
    p = open_page(1920, 1080)
    page = p.open("/map?layers=parks,enterprises,scenic,sites", wait_text="三区地图")
    handle, frame = p.map_frame()
    assert frame.locator("path.sq-district").count() == 13
    control = frame.locator(".leaflet-control-layers").inner_text()
    for name in LAYERS.values():
        assert name in control
    checked = frame.locator(".leaflet-control-layers-overlays input:checked").count()
    assert checked == 1 + 4  # the choropleth and the four layers asked for in the URL
    assert "工业园区 · 组织覆盖率" in frame.locator(".sq-legend").inner_text()
    page.wait_for_timeout(1500)
    page.screenshot(path=output_dir / "map-1920x1080.png")
    assert p.outside == []


def test_click_on_a_district_filters_to_it_and_updates_the_url(open_page, output_dir):
    p = open_page(1366, 768)
    page = p.open("/map?layers=", wait_text="三区地图")
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    _click_latlng(page, handle, frame, 26.58, 114.17)  # inside 井冈山市
    page.wait_for_url(re.compile(r"district=360881"), timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=30000)
    _, frame = p.map_frame()
    frame.wait_for_function("document.querySelectorAll('path.sq-district').length === 13")
    page.wait_for_timeout(1500)
    page.screenshot(path=output_dir / "map-360881-1366x768.png")
    assert p.outside == []


def test_popup_shows_a_hostile_name_as_text(open_page, evil_server, output_dir):
    p = open_page(1366, 768, base=evil_server)
    page = p.open("/map?layers=scenic", wait_text="三区地图")
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    names = frame.evaluate("window.sanqu.registry['旅游景区'].map(m => m.sanquRow[3])")
    hostile = [n for n in names if any(pl in n for pl in PAYLOADS)]
    assert hostile, names[:5]
    target = hostile[0]
    lat, lon = frame.evaluate(
        "(name) => { const m = window.sanqu.registry['旅游景区'].find(m => m.sanquRow[3] === name);"
        " window.map.setView(m.getLatLng(), 14); const ll = m.getLatLng(); return [ll.lat, ll.lng]; }",
        target,
    )
    page.wait_for_timeout(800)
    _click_latlng(page, handle, frame, lat, lon)
    title = frame.locator(".leaflet-popup-content .sq-title")
    title.wait_for(timeout=10000)
    assert title.inner_text() == target  # shown literally
    assert frame.locator(".leaflet-popup-content script, .leaflet-popup-content img").count() == 0
    assert p.dialogs == []
    page.screenshot(path=output_dir / "map-popup-hostile-1366x768.png")
    assert p.outside == []

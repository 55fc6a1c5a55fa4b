"""The map page as a person sees it: shapes, layers, a district click, a popup; offline."""

import re

import pytest
from playwright.sync_api import expect

from sanqu.mapping.webmap import LAYERS
from tests.browser.conftest import still
from tests.evil import PAYLOADS

pytestmark = pytest.mark.browser

SHOWN = "Object.values(window.sanqu.layers).filter((l) => l._map).length"  # layers on the map


def _click_latlng(page, handle, frame, lat, lon):
    """A click where (lat, lon) is, once the map's frame has stopped moving on the page and the map
    is not zooming (else the point is where it was, not where it is)."""
    frame.wait_for_function("window.map && !window.map._animatingZoom && !window.map._panAnim?._inProgress")
    still(handle)
    x, y = frame.evaluate(
        f"(() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()"
    )
    box = handle.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_map_shows_13_districts_and_every_layer_offline(open_page, output_dir):
    p = open_page(1920, 1080)
    p.open("/map?layers=parks,enterprises,scenic,sites", wait_text="三区地图")
    handle, frame = p.map_frame()
    assert frame.evaluate("Object.values(window.sanqu.districts).filter((d) => d._map).length") == 13
    control = p.page.locator("[data-testid='stButtonGroup']").inner_text()  # the one layer control: the pills
    for name in LAYERS.values():
        assert name in control
    checked = frame.evaluate(SHOWN)
    assert checked == 1 + 4  # the choropleth and the four layers asked for in the URL
    assert "工业园区 · 组织覆盖率" in frame.locator(".sq-legend").inner_text()
    p.finish(output_dir / "map-1920x1080.png")


def test_click_on_a_district_filters_to_it_and_updates_the_url(open_page, output_dir):
    p = open_page(1366, 768)
    page = p.open("/map?layers=none", wait_text="三区地图")
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    _click_latlng(page, handle, frame, 26.58, 114.17)  # inside 井冈山市
    page.wait_for_url(re.compile(r"district=360881"), timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=30000)
    p.map_frame(until="Object.values(window.sanqu.districts).filter((d) => d._map).length === 13")
    p.finish(output_dir / "map-360881-1366x768.png")


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
        " window.map.setView(m.getLatLng(), 14, {animate: false}); const ll = m.getLatLng();"
        " return [ll.lat, ll.lng]; }",
        target,
    )
    frame.wait_for_function("window.map.getZoom() === 14 && !window.map._animatingZoom")
    still(handle)
    _click_latlng(page, handle, frame, lat, lon)
    title = frame.locator(".leaflet-popup-content .sq-title")
    title.wait_for(timeout=10000)
    assert title.inner_text() == target  # shown literally
    assert frame.locator(".leaflet-popup-content script, .leaflet-popup-content img").count() == 0
    assert p.dialogs == []
    p.finish(output_dir / "map-popup-hostile-1366x768.png")


# A spot inside a district, away from every drawn point (container px), and the district's name.
FREE_SPOT = """(code) => {
  const map = window.map;
  const district = window.sanqu.districts[code];
  const size = map.getSize();
  const points = [];
  map.eachLayer((l) => { if (l instanceof L.CircleMarker || l instanceof L.Marker) points.push(l); });
  const near = (x, y) => points.some((m) => map.latLngToContainerPoint(m.getLatLng()).distanceTo([x, y]) < 16);
  const inside = (x, y) => district.getBounds().contains(map.containerPointToLatLng([x, y])) &&
    district._containsPoint(map.containerPointToLayerPoint([x, y]));
  const c = map.latLngToContainerPoint(district.getCenter());
  for (let r = 0; r < 400; r += 6) {
    for (let a = 0; a < 360; a += 20) {
      const x = Math.round(c.x + r * Math.cos(a * Math.PI / 180));
      const y = Math.round(c.y + r * Math.sin(a * Math.PI / 180));
      if (x > 60 && y > 60 && x < size.x - 300 && y < size.y - 60 && inside(x, y) && !near(x, y)) {
        return {x, y, points: points.length};
      }
    }
  }
  return null;
}"""


# A demonstration site's point that is the top one where it is drawn (the canvas hands the
# mouse to the last drawn shape under it) and not under a cluster icon: [name, x, y].
TOP_SITE = """(() => {
  const map = window.map;
  const rect = map.getContainer().getBoundingClientRect();
  const topAt = (p) => {
    let top = null;
    for (let o = map._sqCanvas._drawFirst; o; o = o.next) {
      if (o.layer.options.interactive && o.layer._containsPoint(map.containerPointToLayerPoint(p))) top = o.layer;
    }
    return top;
  };
  for (const m of window.sanqu.registry["示范点"]) {
    const p = map.latLngToContainerPoint(m.getLatLng());
    if (p.x < 60 || p.y < 60 || p.x > rect.width - 300 || p.y > rect.height - 60) continue;
    const under = document.elementFromPoint(rect.left + p.x, rect.top + p.y);
    if (topAt(p) === m && under && under.tagName === "CANVAS") return [m.sanquRow[3], p.x, p.y];
  }
  return null;
})()"""


def test_district_tooltip_and_point_popup_both_work_with_points_on(open_page, output_dir):
    p = open_page(1366, 900)
    page = p.open("/map?layers=parks,enterprises,communities,scenic,sites", wait_text="三区地图")
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    frame.wait_for_function("window.sanqu.registry['城乡社区'] && window.sanqu.registry['城乡社区'][0]._map")
    spot = frame.evaluate(FREE_SPOT, "360827")  # 遂川县
    assert spot and spot["points"] > 100, spot
    box = handle.bounding_box()
    page.mouse.move(box["x"] + spot["x"] - 40, box["y"] + spot["y"])
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"], steps=5)
    tooltip = frame.locator(".leaflet-tooltip .sq-title")
    expect(tooltip).to_have_text("遂川县", timeout=10000)
    page.screenshot(path=output_dir / "map-district-tooltip-over-points.png")

    # a point on top of a district still gets its own tooltip and popup
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 20)  # off the map: the tooltip closes
    expect(tooltip).to_have_count(0)
    name, x, y = frame.evaluate(TOP_SITE)
    page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    expect(frame.locator(".leaflet-tooltip", has_text=name)).to_be_visible(timeout=10000)
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(frame.locator(".leaflet-popup-content .sq-title")).to_have_text(name, timeout=10000)
    assert "district=360800" in page.url  # the click stayed on the point

    # and a click on the district (not on a point) still selects it
    spot = frame.evaluate(FREE_SPOT, "360827")
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    page.wait_for_url(re.compile(r"district=360827"), timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("遂川县", timeout=30000)
    assert p.outside == []


# Two mouse moves in one go (a quick mouse): over 遂川县 away from every point, then onto a
# demonstration site's point; found and moved in one evaluation, so the map cannot move in between.
TWO_MOVES = f"""(() => {{
  const [name, x, y] = {TOP_SITE};
  const spot = ({FREE_SPOT})("360827");
  const box = window.map.getContainer().getBoundingClientRect();
  const canvas = window.map._sqCanvas._container;
  for (const [mx, my] of [[spot.x, spot.y], [x, y]]) {{
    canvas.dispatchEvent(new MouseEvent("mousemove", {{clientX: box.left + mx, clientY: box.top + my, bubbles: true}}));
  }}
  return name;
}})()"""


def test_the_tooltip_is_that_of_where_the_mouse_stops(open_page):
    """Leaflet's canvas looks at one mouse move per 32 ms: the second of two quick moves, where
    the mouse stops, still decides the tooltip (the point's, not the district's it crossed)."""
    p = open_page(1366, 900)
    p.open("/map?layers=sites", wait_text="三区地图")
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    still(handle)
    name = frame.evaluate(TWO_MOVES)
    expect(frame.locator(".leaflet-tooltip", has_text=name)).to_be_visible(timeout=10000)
    expect(frame.locator(".leaflet-tooltip", has_text="遂川县")).to_have_count(0)
    assert frame.evaluate("window.map._sqCanvas._hoveredLayer.sanquRow[3]") == name

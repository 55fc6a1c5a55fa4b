"""The map page as a person sees it: shapes, layers, a district click, a popup; offline."""

import re

import pytest
from playwright.sync_api import expect

from sanqu.context import Context
from sanqu.mapping import webmap
from sanqu.mapping.webmap import LAYERS
from sanqu.scope import Scope
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
  const points = [];  // where every drawn point is: a layer each, or a PointSet's many
  map.eachLayer((l) => {
    if (l instanceof L.CircleMarker || l instanceof L.Marker) points.push(l.getLatLng());
    else if (l instanceof window.sanqu.PointSet) l.sanquRows.forEach((_, i) => points.push(l.latLng(i)));
  });
  const near = (x, y) => points.some((ll) => map.latLngToContainerPoint(ll).distanceTo([x, y]) < 16);
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
# mouse to the last drawn shape under it; a point set, to its last drawn point there) and not
# under a cluster icon: [name, x, y].
TOP_SITE = """(() => {
  const map = window.map;
  const rect = map.getContainer().getBoundingClientRect();
  const topAt = (p) => {
    let top = null;
    for (let o = map._sqCanvas._drawFirst; o; o = o.next) {
      const l = o.layer;
      if (l.options.interactive && l._containsPoint(map.containerPointToLayerPoint(p))) top = [l, l.hit];
    }
    return top;
  };
  for (const m of window.sanqu.registry["示范点"]) {
    const p = map.latLngToContainerPoint(m.getLatLng());
    if (p.x < 60 || p.y < 60 || p.x > rect.width - 300 || p.y > rect.height - 60) continue;
    const under = document.elementFromPoint(rect.left + p.x, rect.top + p.y);
    const top = topAt(p);
    if (top && top[0] === m.layer && top[1] === m.index && under && under.tagName === "CANVAS") {
      return [m.sanquRow[3], p.x, p.y];
    }
  }
  return null;
})()"""


def test_district_tooltip_and_point_popup_both_work_with_points_on(open_page, output_dir):
    p = open_page(1366, 900)
    page = p.open("/map?layers=parks,enterprises,communities,scenic,sites", wait_text="三区地图")
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    frame.wait_for_function("window.sanqu.layers['城乡社区'] && window.sanqu.layers['城乡社区']._map")
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
    page.mouse.move(box["x"] + x + 2, box["y"] + y, steps=5)
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


# The enterprises' bubbles as drawn: [[count, x, y (container px), [member indices]], ...], and the
# points drawn alone (in no bubble).
BUBBLES = """(() => {
  const layer = window.sanqu.layers["园区企业"];
  const bubbles = layer._bubbles.getLayers().map((m) => {
    const p = window.map.latLngToContainerPoint(m.getLatLng());
    return [Number(m.getElement().textContent), p.x, p.y, m.sanquMembers];
  });
  return {bubbles, alone: layer.points._only.length, all: window.sanqu.registry["园区企业"].length};
})()"""


def _enterprises(db) -> int:
    return len(webmap.POINT_LAYERS["enterprises"][0](db, Context(Scope.city(), db.periods()[-1])))


def _map_with(open_page, key: str = "enterprises"):
    """The map with one layer on, still in the window: its page, frame element and frame."""
    p = open_page(1366, 900)
    page = p.open(f"/map?layers={key}", wait_text="三区地图")
    handle, frame = p.map_frame()
    handle.scroll_into_view_if_needed()
    frame.wait_for_function(f"window.sanqu.layers['{LAYERS[key]}'] && window.sanqu.layers['{LAYERS[key]}']._map")
    still(handle)
    return page, handle, frame


def test_every_enterprise_is_in_one_bubble_or_alone_and_a_bubble_click_zooms_to_its_points(open_page, demo_db):
    page, handle, frame = _map_with(open_page)
    drawn = frame.evaluate(BUBBLES)
    n = _enterprises(demo_db)
    assert drawn["all"] == n
    counted = [i for b in drawn["bubbles"] for i in b[3]]
    assert sum(b[0] for b in drawn["bubbles"]) + drawn["alone"] == n  # each counted once
    assert len(counted) == len(set(counted)) and all(b[0] == len(b[3]) >= 2 for b in drawn["bubbles"])

    count, x, y, members = max(drawn["bubbles"])  # the biggest bubble
    zoom = frame.evaluate("window.map.getZoom()")
    box = handle.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    frame.wait_for_function(f"window.map.getZoom() > {zoom} && !window.map._animatingZoom")
    inside = frame.evaluate(
        "(members) => { const layer = window.sanqu.layers['园区企业'], view = window.map.getBounds();"
        " return members.filter((i) => view.contains(layer.points.latLng(i))).length; }",
        members,
    )
    assert inside == count  # every point of the bubble is in view
    assert "district=360800" in page.url  # the click stayed on the bubble


# A bubble whose points share one spot (no zoom parts them): [count, x, y] at the map's last zoom.
ONE_SPOT = """(() => {
  const map = window.map, layer = window.sanqu.layers["园区企业"], pts = layer.points;
  const key = (i) => pts._lats[i] + "," + pts._lons[i];
  const seen = {};
  for (let i = 0; i < pts._lats.length; i++) (seen[key(i)] = seen[key(i)] || []).push(i);
  const spot = Object.values(seen).sort((a, b) => b.length - a.length)[0];
  map.setView(pts.latLng(spot[0]), map.getMaxZoom(), {animate: false});
  return spot.length;
})()"""


def test_points_at_one_spot_are_listed_and_a_name_opens_its_card(open_page):
    _, handle, frame = _map_with(open_page)
    shared = frame.evaluate(ONE_SPOT)
    assert shared >= 2
    frame.wait_for_function("window.map.getZoom() === window.map.getMaxZoom() && !window.map._animatingZoom")
    bubble = frame.locator(f".leaflet-marker-pane .marker-cluster:has-text('{shared}')").first
    bubble.click()
    names = frame.locator(".leaflet-popup-content .sq-link")
    expect(names).to_have_count(shared, timeout=10000)
    first = names.first.inner_text()
    names.first.click()
    expect(frame.locator(".leaflet-popup-content .sq-title")).to_have_text(first, timeout=10000)
    assert frame.evaluate("window.map.getZoom() === window.map.getMaxZoom()")  # no zoom, no spider


# An edge whose middle is clear of the other edges and of the map's corners: [label, x, y] (the
# label as its row has it: the tooltip's text after the kind).
CLEAR_EDGE = """(() => {
  const map = window.map, layer = window.sanqu.layers["关系连线"];
  const rect = map.getContainer().getBoundingClientRect();
  const label = layer.sanquRows[0].length - 1;  // the last column
  const xy = layer._xy, n = layer.sanquRows.length;
  const near = (lp, j) => L.LineUtil.pointToSegmentDistance(
    lp, L.point(xy[4 * j], xy[4 * j + 1]), L.point(xy[4 * j + 2], xy[4 * j + 3])) < 12;
  for (let i = 0; i < n; i++) {
    const p = map.latLngToContainerPoint(layer.middle(i));
    if (p.x < 60 || p.y < 60 || p.x > rect.width - 400 || p.y > rect.height - 60) continue;
    const lp = map.containerPointToLayerPoint(p);
    const others = [...Array(n).keys()].filter((j) => j !== i && near(lp, j));
    if (!others.length) return [String(layer.sanquRows[i][label]), p.x, p.y];
  }
  return null;
})()"""


def test_an_edge_under_the_mouse_says_what_it_joins(open_page):
    """A thin line takes the mouse a few px either side (EDGE_SLACK): here 2 px off its middle."""
    page, handle, frame = _map_with(open_page, "relations")
    label, x, y = frame.evaluate(CLEAR_EDGE)
    box = handle.bounding_box()
    page.mouse.move(box["x"] + x - 30, box["y"] + y - 30)
    page.mouse.move(box["x"] + x + 2, box["y"] + y, steps=5)
    expect(frame.locator(".leaflet-tooltip", has_text="：" + label)).to_be_visible(timeout=10000)
    expect(frame.locator(".leaflet-tooltip")).to_have_count(1, timeout=10000)  # the district's has faded
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert "district=360800" in page.url  # a click on an edge stays there

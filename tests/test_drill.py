"""Drill-down from province to township: the township areas (Voronoi cells of the pack's points
clipped to their county) on a hand-made pack with hand-computed cells and on every county of the
real Jiangxi pack; which unit a click selects at each level; the breadcrumb's trail."""

import json
import re

import pytest
import shapely
from shapely.geometry import box

from sanqu import geography
from sanqu.mapping import drill
from sanqu.scope import Scope
from tests.test_region_demo import jiangxi_data, on_jiangxi  # noqa: F401  (the Jiangxi demo store)

UNITS = """code,name,level,parent
990000,测试省,province,
990100,甲市,city,990000
990102,甲一区,county,990100
990103,甲二县,county,990100
990102001,甲一街道,township,990102
990103100,甲二镇,township,990103
990103101,甲三镇,township,990103
990103102,甲四乡,township,990103
990200,乙市,city,990000
990201,乙一县,county,990200
990201200,乙一乡,township,990201
"""
POINTS = """code,name,county,lon,lat,geonameid,geonames_name
990102001,甲一街道,990102,100.5,30.5,1,A
990103100,甲二镇,990103,101.25,30.5,2,B
990103101,甲三镇,990103,101.75,30.5,3,C
990103102,甲四乡,990103,105.0,30.5,4,D
"""
COUNTIES = {"990102": box(100, 30, 101, 31), "990103": box(101, 30, 102, 31), "990201": box(100, 31, 102, 32)}
CITIES = {"990100": box(100, 30, 102, 31), "990200": box(100, 31, 102, 32)}


def _geojson(shapes: dict, names: dict) -> str:
    features = [
        {"type": "Feature", "properties": {"adcode": c, "name": names[c]}, "geometry": g.__geo_interface__}
        for c, g in shapes.items()
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def _clear() -> None:
    for fn in (geography._pack, geography._counties, geography._townships, geography._places, geography._villages):
        fn.cache_clear()
    for fn in (drill._cells, drill._city_shapes, drill._cities_geojson, drill._cells_geojson):
        fn.cache_clear()


@pytest.fixture()
def hand_made(tmp_path, monkeypatch):
    """A two-city pack with square counties deployed as the region (SANQU_REGION=990000)."""
    folder = tmp_path / "990000"
    folder.mkdir()
    names = {line.split(",")[0]: line.split(",")[1] for line in UNITS.splitlines()[1:]}
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "township_points.csv").write_text(POINTS, encoding="utf-8")
    (folder / "county.geojson").write_text(_geojson(COUNTIES, names), encoding="utf-8")
    (folder / "city.geojson").write_text(_geojson(CITIES, names), encoding="utf-8")
    monkeypatch.setattr(geography, "MAPS_DIR", tmp_path)
    monkeypatch.setenv("SANQU_REGION", "990000")
    _clear()
    yield folder
    _clear()


def test_cells_are_the_hand_computed_halves(hand_made):
    two = drill.township_cells("990103")
    assert [c.code for c in two.cells] == ["990103100", "990103101"]
    assert two.cells[0].geometry.equals(box(101, 30, 101.5, 31))  # the perpendicular bisector x = 101.5
    assert two.cells[1].geometry.equals(box(101.5, 30, 102, 31))
    assert two.unplaced == ("990103102",)  # its point lies outside its county: no area drawn
    one = drill.township_cells("990102")
    assert [c.code for c in one.cells] == ["990102001"] and one.cells[0].geometry.equals(COUNTIES["990102"])
    none = drill.township_cells("990201")
    assert none.cells == () and none.unplaced == ("990201200",)
    assert drill.unplaced_note("990201") == "本区县 1 个乡镇（街道）均无驻地坐标，无法推算范围，未画出"
    assert drill.unplaced_note("990103").startswith("另有 1 个乡镇（街道）无驻地坐标")
    assert drill.unplaced_note("990102") == ""


def test_a_click_selects_one_level_down_or_the_same_level_elsewhere(hand_made):
    in_jia2_west, in_jia2_east, in_yi = (101.2, 30.4), (101.9, 30.9), (101.0, 31.5)
    assert drill.target("990000", *in_jia2_west) == "990100"  # province -> the city
    assert drill.target("990000", *in_yi) == "990200"
    assert drill.target("990100", *in_jia2_west) == "990103"  # city -> the county
    assert drill.target("990100", *in_yi) == "990200"  # another city: that city
    assert drill.target("990103", *in_jia2_west) == "990103100"  # county -> the township's area
    assert drill.target("990103", *in_jia2_east) == "990103101"
    assert drill.target("990103", 100.5, 30.5) == "990102"  # another county: that county
    assert drill.target("990201", *in_yi) is None  # a county with no township areas
    assert drill.target("990103100", *in_jia2_east) == "990103101"  # township -> its neighbour
    assert drill.target("990103100", 100.5, 30.5) == "990102"
    assert drill.target("990102,990103", *in_jia2_west) == "990103"  # several counties: one of them
    assert drill.target("990000", 120.0, 40.0) is None  # outside the region


def test_levels_and_trail(hand_made):
    assert drill.shown_level(Scope.city()) == "province"
    assert drill.shown_level(Scope.parse("990100")) == "city"
    assert drill.shown_level(Scope.parse("990103")) == "county"
    assert drill.shown_level(Scope.parse("990103101")) == "county"
    assert drill.trail(Scope.parse("990103101")) == [
        ("990000", "测试省"),
        ("990100", "甲市"),
        ("990103", "甲二县"),
        ("990103101", "甲三镇"),
    ]
    assert drill.trail(Scope.city()) == [("990000", "测试省")]
    assert drill.trail(Scope.of("990102", "990201")) == [("990000", "测试省"), ("990102,990201", "甲一区、乙一县")]
    cities = drill.cities_geojson()
    assert [f["properties"]["name"] for f in cities["features"]] == ["甲市", "乙市"]
    cells = drill.cells_geojson("990103")["features"]
    assert [(f["properties"]["name"], f["properties"]["county"]) for f in cells] == [
        ("甲二镇", "甲二县"),
        ("甲三镇", "甲二县"),
    ]


@pytest.mark.parametrize("region", ["360800", "360000"])
def test_cells_of_every_county_of_the_real_packs(region, monkeypatch):
    """One cell per township point inside its county, every cell inside the county, together
    covering it without overlap, the same on a second build."""
    monkeypatch.setenv("SANQU_REGION", region)
    _clear()
    try:
        pack, shapes = geography.pack(), geography.district_shapes(True).set_index("district").geometry
        points = pack.points()
        total = 0
        for county in geography.counties():
            outline, cells = shapes[county], drill.township_cells(county)
            mine = points[points["county"] == county]
            located = {c for c, x, y in zip(mine.code, mine.lon, mine.lat) if outline.contains(shapely.Point(x, y))}
            assert {c.code for c in cells.cells} == located, county
            assert set(cells.unplaced) | located == {u.code for u in pack.children(county)}
            for cell in cells.cells:
                assert cell.geometry.is_valid and cell.geometry.area > 0
                assert cell.geometry.difference(outline).area < 1e-9 * outline.area
            if cells.cells:
                geoms = [c.geometry for c in cells.cells]
                assert abs(shapely.union_all(geoms).area - outline.area) < 1e-7 * outline.area
                assert abs(sum(g.area for g in geoms) - outline.area) < 1e-7 * outline.area  # no overlap
            total += len(cells.cells)
            again = drill._cells.__wrapped__(region, county)
            assert [(c.code, c.geometry.wkb) for c in again.cells] == [(c.code, c.geometry.wkb) for c in cells.cells]
        assert total == {"360800": 129, "360000": 1054}[region]
    finally:
        _clear()


# --- the pages: AppTest ---------------------------------------------------------------------------
JISHUI = (115.2257, 27.1982)  # a point inside 吉水县 (both packs' outlines)
WENFENG = (115.132, 27.1571)  # inside 文峰镇's area (吉水县)


def _map(params: dict):
    from tests.test_pages import _app

    at = _app(None, **params)
    at.run()
    at.switch_page("views/map.py").run()
    assert not at.exception, at.exception
    return at


def _click(at, lon: float, lat: float):
    """A click on the map as st_folium leaves it in session_state (what the map's callback reads)."""
    at.session_state["sanqu_map"] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()
    assert not at.exception, at.exception
    return at.selectbox(key="district").value


def _script(at) -> str:
    from tests.test_pages import _map_args

    return _map_args(at)["script"]


def test_jian_map_clicks_go_city_county_township_and_the_breadcrumb_back(demo_dir):
    at = _map({"layers": "none"})
    assert "sanqu.townships(" not in _script(at) and "sanqu.cities(" not in _script(at)  # a city pack
    assert [b.key for b in at.button if b.key and b.key.startswith("sq_crumb")] == []  # the region: text only
    assert _click(at, *JISHUI) == "360822"
    assert "sanqu.townships(" in _script(at) and "点击乡镇近似范围" in _script(at)
    assert _click(at, *WENFENG) == "360822100"
    assert at.query_params["district"] == "360822100"
    options = at.selectbox(key="district").options
    assert options.index("吉水县文峰镇") == options.index("吉水县") + 1
    assert any(drill.APPROX_NOTE in c.value for c in at.caption)
    assert "360822100" in _script(at)  # the township highlighted among its county's areas
    assert not at.info  # the map page handles a township: no fallback note
    assert [t.value for t in at.text] == ["›", "›", "文峰镇"]  # 吉安市 › 吉水县 › 文峰镇: two buttons, then text
    assert at.button(key="sq_crumb_360800").label == "吉安市"
    assert at.button(key="sq_crumb_360822").label == "吉水县"
    at.button(key="sq_crumb_360822").click().run()
    assert at.selectbox(key="district").value == "360822"
    at.button(key="sq_crumb_360800").click().run()
    assert at.selectbox(key="district").value == "360800" and at.query_params["district"] == "360800"


def test_a_page_without_township_queries_shows_the_county_and_says_so(demo_dir):
    from tests.test_pages import _app

    county = _app(None, district="360822")
    county.run()
    at = _app(None, district="360822100")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="district").value == "360822100"
    assert [i.value for i in at.info] == ["所选「吉水县文峰镇」是乡镇，本页暂按区县筛选，已显示：吉水县。"]
    assert [m.value for m in at.metric] == [m.value for m in county.metric]  # the county's figures
    assert at.button(key="sq_crumb_360822").label == "吉水县"


def _crumbs_of_a_county_user() -> None:
    from sanqu.scope import Scope
    from ui.breadcrumb import breadcrumb

    breadcrumb(Scope.parse("360822100"), Scope.of("360822"))


def test_a_county_user_cannot_widen_the_scope_from_the_breadcrumb(demo_dir):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_crumbs_of_a_county_user, default_timeout=30).run()
    assert not at.exception, at.exception
    assert [b.key for b in at.button] == ["sq_crumb_360822"]  # its own county only
    assert [t.value for t in at.text] == ["吉安市", "›", "›", "文峰镇"]  # the region as text, not a button


def _features(script: str, factory: str) -> list[dict]:
    """The GeoJSON features a sanqu.<factory>(JSON.parse('…'), …) call of the map's script draws."""
    m = re.search(rf"sanqu\.{factory}\(JSON\.parse\('([^']*)'\)", script)  # no quote mark inside: js_parsed
    assert m, factory
    return json.loads(m.group(1).replace("\\\\", "\\"))["features"]


def test_jiangxi_map_clicks_go_province_city_county_township(on_jiangxi):  # noqa: F811
    at = _map({"layers": "none"})
    script = _script(at)
    assert len(_features(script, "choropleth")) == 100  # every county of the province
    assert len(_features(script, "cities")) == 11  # the cities drawn over them
    assert "点击地图选择该市" in script
    assert _click(at, *JISHUI) == "360800"  # the province: a click picks the city, not the county
    assert {f["properties"]["code"] for f in _features(_script(at), "choropleth")} >= {"360822", "360102"}
    assert _click(at, *JISHUI) == "360822"  # the city: the county
    cells = _features(_script(at), "townships")
    assert len(cells) == len(drill.township_cells("360822").cells) > 10
    assert _click(at, *WENFENG) == "360822100"  # the county: the township's area
    assert [b.key for b in at.button if b.key.startswith("sq_crumb")] == [
        "sq_crumb_360000",
        "sq_crumb_360800",
        "sq_crumb_360822",
    ]
    at.button(key="sq_crumb_360800").click().run()
    assert at.selectbox(key="district").value == "360800"
    assert _click(at, 115.9085, 28.7342) == "360100"  # inside 南昌市 from 吉安市: the other city
    at.button(key="sq_crumb_360000").click().run()
    assert at.selectbox(key="district").value == "360000"


def test_the_sidebar_takes_a_township_within_the_scope_only(hand_made):
    from ui.filters import district_options

    region, county = Scope.city(), Scope.of("990103")
    assert district_options(region, "990103101") == (
        "990000",
        "990100",
        "990102",
        "990103",
        "990103101",  # after its county
        "990200",
        "990201",
    )
    assert district_options(county, "990103101") == ("990103", "990103101")
    assert district_options(county, "990102001") == ("990103",)  # another county's township: refused
    assert district_options(county, "990100") == ("990103",)  # the city around it: never wider
    assert district_options(Scope.parse("990103100"), "990103101") == ("990103100",)  # a township user


def test_breadcrumb_labels_show_names_literally():
    from ui.breadcrumb import plain

    assert plain("吉水县") == "吉水县"
    assert plain("*甲*[乙](http://x) `丙` <b>") == r"\*甲\*\[乙\]\(http\://x\) \`丙\` \<b\>"

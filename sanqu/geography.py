"""Real geography of Ji'an: districts, townships, villages, parks and scenic sites."""

import json
import math
from functools import lru_cache

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from sanqu.paths import MAPS_DIR, REFERENCE_DIR

CITY_CODE = "360800"
CITY_NAME = "吉安市"
DISTRICTS = {
    "360802": "吉州区",
    "360803": "青原区",
    "360821": "吉安县",
    "360822": "吉水县",
    "360823": "峡江县",
    "360824": "新干县",
    "360825": "永丰县",
    "360826": "泰和县",
    "360827": "遂川县",
    "360828": "万安县",
    "360829": "安福县",
    "360830": "永新县",
    "360881": "井冈山市",
}


REGION_MARGIN = 0.05  # degrees (about 5 km) added around the districts' bounding box


@lru_cache(maxsize=1)
def region_box(margin: float = REGION_MARGIN) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the 13 districts plus `margin` degrees, rounded outward
    to 0.01°: the range a register's WGS-84 coordinates must fall in. Read with the json
    module (not geopandas) because the register schema needs it at import time."""
    with open(MAPS_DIR / "jian_districts_simplified.geojson", encoding="utf-8") as fh:
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
    return DISTRICTS.get(code, code)


@lru_cache(maxsize=2)
def district_shapes(simplified: bool = True) -> gpd.GeoDataFrame:
    """The 13 district polygons (WGS-84), columns district, name, geometry."""
    name = "jian_districts_simplified.geojson" if simplified else "jian_districts.geojson"
    gdf = gpd.read_file(MAPS_DIR / name)
    gdf = gdf.rename(columns={"adcode": "district"})[["district", "name", "geometry"]]
    return gdf.sort_values("district").reset_index(drop=True)


@lru_cache(maxsize=1)
def district_centres() -> dict[str, tuple[float, float]]:
    """A point inside each district (lon, lat), for entities with no better place."""
    pts = district_shapes(False).set_index("district").geometry.representative_point()
    return {code: (round(p.x, 5), round(p.y, 5)) for code, p in pts.items()}


def _read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@lru_cache(maxsize=1)
def places() -> pd.DataFrame:
    """Parks, scenic sites and townships with coordinates where known."""
    df = _read_csv("jian_places.csv")
    for col in ("lon", "lat"):
        df[col] = pd.to_numeric(df[col].replace("", None))
    return df


@lru_cache(maxsize=1)
def townships() -> pd.DataFrame:
    """The 252 township-level units: code, name, district, lon, lat, coord_method."""
    df = _read_csv("jian_townships.csv").rename(columns={"areaCode": "district"})
    pts = places()[places()["kind"] == "township"][["code", "lon", "lat", "coord_method"]]
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


@lru_cache(maxsize=1)
def villages() -> pd.DataFrame:
    """The 2,967 villages and communities: code, name, township, district."""
    df = _read_csv("jian_villages_communities.csv")
    df = df.rename(columns={"streetCode": "township", "areaCode": "district"})
    return df[["code", "name", "township", "district"]].reset_index(drop=True)


def district_at(lon: float, lat: float) -> str | None:
    """The district containing a WGS-84 point, or None outside the city."""
    shapes = district_shapes(True)
    hit = shapes[shapes.geometry.contains(Point(lon, lat))]
    return None if hit.empty else hit["district"].iloc[0]

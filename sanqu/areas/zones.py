"""Shared pieces of the three zone pages (工业园区 · 城乡社区 · 旅游景区).

Each zone module computes one table with a row per quarter and a column per count
(`trend`). The KPIs of a page are read from that table: the numerator and denominator
at the chosen quarter, the rate a quarter before (环比) and four quarters before (同比).
So a KPI, its sparkline and the trend chart cannot disagree.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sanqu import periods
from sanqu.ingest.registers import ZONES
from sanqu.metrics.coverage import rate
from sanqu.metrics.indicators import Indicator
from sanqu.metrics.overview import Kpi

ALL = "all"  # the "no filter" value of every zone filter (kept in the URL like the others)
EARTH_KM = 6371.0088


def kpis(trend: pd.DataFrame, period: str, inds: Sequence[Indicator]) -> list[Kpi]:
    """The KPIs at `period` with 环比 and 同比, from a per-quarter table of counts (read as plain
    rows: pandas' label lookups cost about a millisecond each, three per KPI at every rerun)."""
    by = dict(zip(trend["period"].tolist(), trend.to_dict("records"), strict=True))
    out = []
    for ind in inds:
        num, den = _counts(by, ind, period)
        out.append(
            Kpi(
                ind,
                num,
                den,
                rate(num, den),
                _rate_at(by, ind, periods.shift(period, -1)),
                _rate_at(by, ind, periods.shift(period, -4)),
            )
        )
    return out


def _counts(by: Mapping[str, Mapping], ind: Indicator, period: str) -> tuple[int, int]:
    if period not in by:
        return 0, 0
    row = by[period]
    return int(row[ind.numerator]), int(row[ind.denominator])


def _rate_at(by: Mapping[str, Mapping], ind: Indicator, period: str) -> float | None:
    if period not in by:
        return None
    return rate(*_counts(by, ind, period))


def rate_trend(trend: pd.DataFrame, inds: Sequence[Indicator]) -> pd.DataFrame:
    """Long format for a trend chart: period, key, name, numerator, denominator, rate (built from
    plain lists: row by row through pandas it cost 12-14 ms for a zone page's seven indicators)."""
    cols: dict[str, list] = {c: [] for c in ("period", "key", "name", "numerator", "denominator", "rate")}
    quarters = trend["period"].tolist()
    for ind in inds:
        nums = [int(x) for x in trend[ind.numerator].tolist()]
        dens = [int(x) for x in trend[ind.denominator].tolist()]
        cols["period"] += quarters
        cols["key"] += [ind.key] * len(quarters)
        cols["name"] += [ind.name] * len(quarters)
        cols["numerator"] += nums
        cols["denominator"] += dens
        cols["rate"] += [rate(n, d) for n, d in zip(nums, dens, strict=True)]
    df = pd.DataFrame(cols) if cols["period"] else pd.DataFrame(columns=list(cols))  # empty: object columns
    df["rate"] = df["rate"].astype(float)
    return df


def history(trend: pd.DataFrame, ind: Indicator, upto: str) -> list[float]:
    """The rate in percent over every quarter up to `upto` (a KPI's sparkline; 0 where nothing is
    counted). In numpy: run for every KPI at every rerun, and pandas' filtering and arithmetic on
    a table of eight rows cost about 2 ms a KPI."""
    upto_here = trend["period"].to_numpy(dtype=object) <= upto
    num = trend[ind.numerator].to_numpy(dtype=float)[upto_here]
    den = trend[ind.denominator].to_numpy(dtype=float)[upto_here]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.round(num / np.where(den > 0, den, np.nan) * 100, 1)
    return np.nan_to_num(pct, nan=0.0).tolist()


@dataclass(frozen=True)
class Count:
    """A KPI that is a count (e.g. activities held), with its relative change."""

    name: str
    value: int
    previous: int | None  # a quarter before (环比)
    year_ago: int | None  # four quarters before (同比)
    unit: str
    help: str

    @property
    def change(self) -> float | None:
        """Relative change against the previous quarter, in percent."""
        return _relative(self.value, self.previous)

    @property
    def change_yoy(self) -> float | None:
        return _relative(self.value, self.year_ago)


def _relative(value: int, before: int | None) -> float | None:
    if before is None or before == 0:
        return None
    return (value - before) / before * 100


def count_kpi(
    trend: pd.DataFrame, column: str, period: str, name: str, unit: str, help: str, known: Sequence[str]
) -> Count:
    """A count at `period` with the counts a quarter and a year before (None if that quarter has no data)."""
    by = trend.set_index("period")[column]

    def at(p: str) -> int | None:
        if p not in known:
            return None
        return int(by.get(p, 0))

    return Count(name, at(period) or 0, at(periods.shift(period, -1)), at(periods.shift(period, -4)), unit, help)


def relative(delta: float | None) -> str | None:
    """A relative change, e.g. '+12.5%'; None when there is nothing to compare."""
    if delta is None:
        return None
    return "持平" if abs(delta) < 0.05 else f"{delta:+.1f}%"


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km (broadcasts over numpy arrays)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(x, dtype=float)) for x in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _blank(column: pd.Series, text: bool) -> bool:
    """Missing in every row, or for text "" (in numpy: pandas' per-column operations, or a whole
    frame's astype(str), cost 10-30 ms a list of 30 columns)."""
    values = column.to_numpy(dtype=object)
    present = values[~pd.isna(values)]
    return len(present) == 0 or (text and bool((present == "").all()))


def drop_empty(df: pd.DataFrame) -> pd.DataFrame:
    """A list without the columns that are empty in every row (e.g. the organisation of
    uncovered enterprises); remaining text gaps shown as blanks. Rows are unchanged."""
    if df.empty:
        return df
    text = {c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])}
    kept = [c for c in df.columns if not _blank(df[c], c in text)]
    out = df.loc[:, kept].copy()
    shown = [c for c in kept if c in text]
    out[shown] = out[shown].fillna("")
    return out


@dataclass(frozen=True)
class ListSpec:
    """One list behind a KPI or a bar: its label and the rows it keeps of the page's table."""

    label: str
    keep: Callable[[pd.DataFrame], pd.Series]


def select(df: pd.DataFrame, lists: Mapping[str, ListSpec], key: str) -> pd.DataFrame:
    """The rows of one list of `lists`, in the table's order."""
    return df[lists[key].keep(df)].reset_index(drop=True)


def joint_form(form: str) -> Callable[[pd.DataFrame], pd.Series]:
    """The rows covered only jointly, by organisations of one form."""
    return lambda s: s["covered"] & ~s["own"] & (s["joint_form"] == form)


def coverage_lists(joint: str, forms: Sequence[str]) -> dict[str, ListSpec]:
    """The lists of the coverage counts of the park and scenic pages, joint coverage named `joint`."""
    return {
        "covered": ListSpec("已组织覆盖", lambda s: s["covered"]),
        "own": ListSpec("单独组建", lambda s: s["own"]),
        "joint": ListSpec(f"{joint}覆盖", lambda s: s["covered"] & ~s["own"]),
        **{f"joint_{f}": ListSpec(f"{joint} · {f}", joint_form(f)) for f in forms},
        "work": ListSpec("党的工作已覆盖", lambda s: s["work"]),
    }


def coverage_status(joint: str) -> Callable[[pd.DataFrame], pd.Series]:
    """覆盖状态 of each row of a status table: 单独组建, `joint` (covered jointly) or 未覆盖."""

    def status(df: pd.DataFrame) -> pd.Series:
        pairs = zip(df["own"], df["covered"])
        text = ["单独组建" if own else (joint if covered else "未覆盖") for own, covered in pairs]
        return pd.Series(text, index=df.index, dtype=object)

    return status


# the keys of `coverage_counts`, in that order
COVERAGE_COLUMNS = ("denominator", "own", "joint", "covered", "work", "instructor", "should_build", "gaps")


def coverage_indicators(status: pd.DataFrame) -> pd.DataFrame:
    """A 0/1 column per count of `coverage_counts` (COVERAGE_COLUMNS), a row per entity: summed over
    any grouping, that grouping's counts."""
    covered, own = _true(status["covered"]), _true(status["own"])
    columns = {
        "denominator": pd.Series(1, index=status.index),
        "own": own,
        "joint": covered & ~own,
        "covered": covered,
        "work": _true(status["work"]),
        "instructor": _true(status["instructor"]),
        "should_build": _true(status["should_build"]),
        "gaps": ~covered,
    }
    return pd.DataFrame(columns, index=status.index).astype("int64")


def _true(flags: pd.Series) -> pd.Series:
    """A flag column as plain booleans, a missing value not true (a sum skips it: should_build of
    an entity without a member count)."""
    return flags.fillna(False).astype(bool)


def coverage_counts(status: pd.DataFrame) -> dict[str, int]:
    """The coverage counts every zone page shows, from an entity-status table."""
    return {k: int(v) for k, v in coverage_indicators(status).sum().items()}


# `coverage_counts` as DuckDB aggregates over the store's unit_status rows
COVERAGE_SQL = {
    "denominator": "count(*)",
    "own": "count(*) FILTER (own)",
    "joint": "count(*) FILTER (covered AND NOT own)",
    "covered": "count(*) FILTER (covered)",
    "work": "count(*) FILTER (work)",
    "instructor": "count(*) FILTER (instructor)",
    "should_build": "count(*) FILTER (should_build)",
    "gaps": "count(*) FILTER (NOT covered)",
}


def rolled(aggregates: Mapping[str, str]) -> str:
    """`aggregates` (name -> SQL aggregate over unit_status rows, conditions on unit_rollup's keys
    only) as a select list over `unit_rollup`, whose rows stand for `n` entities each (0, as a count
    gives, where no row is summed)."""
    return ", ".join(f'coalesce({_rolled(sql)}, 0) AS "{name}"' for name, sql in aggregates.items())


FILTERED_COUNT = re.compile(r"count\(\*\) FILTER \((.*)\)")


def _rolled(sql: str) -> str:
    """One aggregate over unit_rollup: `count(*) FILTER (c)` as `sum(CASE WHEN c THEN n ELSE 0 END)`
    (DuckDB evaluates a FILTER per aggregate: a zone page's grouped counts, 15 of them a query, took
    about 10 ms a query with FILTERs, 5 with CASEs); any other `count(*)` as `sum(n)`."""
    if m := FILTERED_COUNT.fullmatch(sql):
        return f"sum(CASE WHEN {m[1]} THEN n ELSE 0 END)"
    return sql.replace("count(*)", "sum(n)")


def status_trend(db, ctx, etype: str, aggregates: Mapping[str, str], narrow: Mapping[str, str]) -> pd.DataFrame:
    """Per quarter of the store (zeros where none), each of `aggregates` (name -> SQL aggregate) over
    the unit_status rows of `etype` to be covered in scope, narrowed to `narrow` (column -> value;
    ALL keeps every value): a zone's `counts` of every quarter, summed over the store's unit_rollup."""
    select = rolled(aggregates)
    where = "".join(f" AND (${col} IS NULL OR {col} = ${col})" for col in narrow)
    sql = f"""SELECT period, {select} FROM unit_rollup
    WHERE entity_type = $etype AND should_cover AND list_contains($scope, district)
      AND ($township IS NULL OR township = $township){where} GROUP BY period"""
    values = {col: None if v == ALL else v for col, v in narrow.items()}
    return per_quarter(db.query(sql, ctx.scope, etype=etype, **values), db.periods(), aggregates)


def per_quarter(df: pd.DataFrame, quarters: Sequence[str], aggregates: Iterable[str]) -> pd.DataFrame:
    """Counts per `period` (the names of `aggregates`) as a row per quarter of `quarters`, in their
    order, zeros where `df` has none (`status_trend`'s table)."""
    df = df.set_index("period").reindex(quarters)[list(aggregates)].fillna(0).astype(int)
    return df.rename_axis("period").reset_index()


def status_groups(
    db, ctx, etype: str, aggregates: Mapping[str, str], narrow: Mapping[str, str], by: str, every: bool = False
) -> pd.DataFrame | None:
    """`aggregates` of the quarter per value of `by` (a unit_status column; sorted, empty values left
    out), over the rows `status_trend` counts (`every`: also the entities not to be covered, as
    `entity_status(…, every=True)`); None when the store does not hold the quarter."""
    if ctx.period not in db.periods():
        return None
    select = rolled(aggregates)
    where = "".join(f" AND (${col} IS NULL OR {col} = ${col})" for col in narrow)
    cover = "" if every else " AND should_cover"
    sql = f"""SELECT {by}, {select} FROM unit_rollup
    WHERE period = $period AND entity_type = $etype{cover} AND list_contains($scope, district)
      AND ($township IS NULL OR township = $township) AND {by} IS NOT NULL{where} GROUP BY {by} ORDER BY {by}"""
    values = {col: None if v == ALL else v for col, v in narrow.items()}
    return db.query(sql, ctx.scope, period=ctx.period, etype=etype, **values)


# --- the zone filter of the sites and mechanisms pages --------------------------------------------

ZONE_OPTIONS = {ALL: "全部领域", **ZONES}


def zone_label(zone: str | None) -> str:
    """The register's zone label for a zone key ('' for all zones)."""
    if zone in (None, "", ALL):
        return ""
    if zone not in ZONES:
        raise ValueError(f"未知的领域: {zone!r}")
    return ZONES[zone]


def zone_keys(zone: str | None) -> tuple[str, ...]:
    """The zone keys a zone filter stands for."""
    return tuple(ZONES) if zone in (None, "", ALL) else (zone,)

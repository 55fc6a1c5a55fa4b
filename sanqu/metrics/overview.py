"""Figures of the overview page: zone KPIs with their change, and the district table."""

import functools
from dataclasses import dataclass

import pandas as pd

from sanqu import periods
from sanqu.context import Context, uses
from sanqu.geography import counties
from sanqu.ingest.registers import ZONES
from sanqu.metrics import places
from sanqu.metrics.coverage import COUNTS, coverage, coverage_trend, rate
from sanqu.metrics.indicators import Indicator, indicator
from sanqu.storage.db import Database

HEADLINE = ("park_org", "community_org", "scenic_org")


@dataclass(frozen=True)
class Kpi:
    indicator: Indicator
    numerator: int
    denominator: int
    rate: float | None
    previous: float | None  # rate a quarter before (环比), None if no data
    year_ago: float | None  # rate four quarters before (同比)

    @property
    def change(self) -> float | None:
        """Change against the previous quarter, in percentage points."""
        if self.rate is None or self.previous is None:
            return None
        return (self.rate - self.previous) * 100

    @property
    def change_yoy(self) -> float | None:
        if self.rate is None or self.year_ago is None:
            return None
        return (self.rate - self.year_ago) * 100


def _rate_at(by: pd.DataFrame, ind: Indicator, period: str) -> float | None:
    if period not in by.index:
        return None
    return rate(by.loc[period, ind.numerator], by.loc[period, ind.denominator])


def kpi(db: Database, ctx: Context, key: str, every: pd.DataFrame | None = None) -> Kpi:
    """The indicator at the quarter with 环比 and 同比 (`every`: its `coverage_trend`, when known)."""
    ind = indicator(key)
    every = coverage_trend(db, ctx, ind.zone) if every is None else every
    by = every.set_index("period")  # every quarter of the store
    row = by.loc[ctx.period] if ctx.period in by.index else coverage(db, ctx, ind.zone).iloc[0]
    num, den = int(row[ind.numerator]), int(row[ind.denominator])
    return Kpi(
        ind,
        num,
        den,
        rate(num, den),
        _rate_at(by, ind, periods.shift(ctx.period, -1)),
        _rate_at(by, ind, periods.shift(ctx.period, -4)),
    )


def headline(db: Database, ctx: Context) -> list[Kpi]:
    return [kpi(db, ctx, key) for key in HEADLINE]


def _zone_columns(
    db: Database, ctx: Context, key: str, df: pd.DataFrame | None = None, by: str = "district"
) -> pd.DataFrame:
    """Per district (per place `by`: city, district, township): numerator and denominator of one
    headline indicator, named by its zone (`df`: its coverage by that place, when known; with its
    `period` column kept when it has one)."""
    ind = indicator(key)
    df = coverage(db, ctx, ind.zone, by=(by,)) if df is None else df
    keep = [c for c in ("period", by) if c in df.columns]
    return df[[*keep, ind.numerator, ind.denominator]].rename(
        columns={by: "district", ind.numerator: f"{ind.zone}_num", ind.denominator: f"{ind.zone}_den"}
    )


def _finish(out: pd.DataFrame, ctx: Context, by: str) -> pd.DataFrame:
    """A place table from its counts (district, zone_num, zone_den): rates, names, every city, in order."""
    if by == "city":  # every city has its bar, one with nothing to cover too (shown as such)
        out = pd.DataFrame({"district": places.every(ctx.scope)}).merge(out, on="district", how="left")
    columns = ["district", "name"]
    for key in HEADLINE:
        zone = indicator(key).zone
        num, den = out[f"{zone}_num"], out[f"{zone}_den"]
        out[f"{zone}_rate"] = num / den.where(den > 0)
        columns += [f"{zone}_num", f"{zone}_den", f"{zone}_rate"]
    if by == "district":  # a dict, not a function per row (the nation's 2,800 counties)
        out["name"] = out["district"].map(counties()).fillna(out["district"])
    else:
        out["name"] = out["district"].map(places.name)
    return out[columns].sort_values("district").reset_index(drop=True)


def district_table(
    db: Database, ctx: Context, by_zone: dict[str, pd.DataFrame] | None = None, by: str = "district"
) -> pd.DataFrame:
    """One row per district in scope (per place `by`: city, district or township, its code in the
    column `district`): numerator, denominator and rate for each zone (`by_zone`: each headline
    indicator's coverage by that place, when known)."""
    zones = [_zone_columns(db, ctx, key, None if by_zone is None else by_zone[key], by) for key in HEADLINE]
    return _finish(functools.reduce(lambda a, b: a.merge(b, on="district", how="outer"), zones), ctx, by)


def place_table(db: Database, ctx: Context) -> pd.DataFrame:
    """`district_table` by the scope's places (`places.level`: cities, counties or townships)."""
    return district_table(db, ctx, by=places.level(ctx.scope))


def district_tables(
    db: Database, ctx: Context, quarters: list[str], by: str = "district", trends: dict[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """`district_table(db, ctx.at(p), by=by)` for each quarter p of `quarters` (quarters of the
    store), from one query per zone, joined once on (quarter, place); `trends`: each headline
    indicator's `coverage_trend` by `by` over these quarters or more, when known."""

    def trend(key: str) -> pd.DataFrame:
        return coverage_trend(db, ctx, indicator(key).zone, (by,), quarters) if trends is None else trends[key]

    every = [_zone_columns(db, ctx, key, trend(key), by).set_index(["period", "district"]) for key in HEADLINE]
    wide = pd.concat(every, axis=1).reset_index()  # outer: a place with rows in any zone
    return {p: _finish(wide[wide["period"] == p].drop(columns="period"), ctx.at(p), by) for p in quarters}


def place_tables(
    db: Database, ctx: Context, quarters: list[str], trends: dict[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """`district_tables` by the scope's places (`places.level`; `trends`: `place_trends`, when known)."""
    return district_tables(db, ctx, quarters, places.level(ctx.scope), trends)


def place_trends(db: Database, ctx: Context) -> dict[str, pd.DataFrame]:
    """Each headline indicator's `coverage_trend` by the scope's places, every quarter of the store."""
    by = (places.level(ctx.scope),)
    return {key: coverage_trend(db, ctx, indicator(key).zone, by) for key in HEADLINE}


def totals_of(by_place: pd.DataFrame, quarters: list[str]) -> pd.DataFrame:
    """`coverage_trend` without grouping (a row per quarter of `quarters`, zeros where nothing is
    counted) from its counts by place: their sums, every counted row in one place (a row without a
    place, e.g. no township, its own group), so a query per zone less for a page that shows both."""
    sums = by_place.groupby("period", sort=False)[list(COUNTS)].sum()
    out = sums.reindex(pd.Index(quarters, dtype=object)).fillna(0).astype(int)
    return out.rename_axis("period").reset_index()


@uses("scope")
def trend(db: Database, ctx: Context, key: str, every: pd.DataFrame | None = None) -> pd.DataFrame:
    """The indicator over every quarter in the store (`every`: its `coverage_trend`, when known)."""
    ind = indicator(key)
    every = coverage_trend(db, ctx, ind.zone) if every is None else every
    df = pd.DataFrame(
        {
            "period": every["period"].tolist(),
            "numerator": [int(v) for v in every[ind.numerator]],
            "denominator": [int(v) for v in every[ind.denominator]],
        }
    )
    df["rate"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    return df


def trend_to(db: Database, ctx: Context, key: str) -> pd.DataFrame:
    """The indicator over the quarters up to the context's (what a view "as of" it shows)."""
    t = trend(db, ctx, key)
    return t[t["period"] <= ctx.period].reset_index(drop=True)


def export_view(
    table: pd.DataFrame,
    kpis: list[Kpi],
    before: dict[str, pd.DataFrame | None],
    total_label: str,
    word: str = "区县",
) -> pd.DataFrame:
    """The overview as one sheet: the scope's KPIs (合计) above one row per place (`word`: 区县,
    设区市 or 乡镇（街道）, the headers of its code and name columns); for each
    zone covered, to cover, rate (%) and its change in percentage points against `before`
    ({"环比": district table a quarter earlier, "同比": a year earlier}; None: not in the store)."""
    by_zone = {k.indicator.zone: k for k in kpis}
    total: dict[str, object] = {f"{word}代码": "", word: total_label}
    rows = pd.DataFrame({f"{word}代码": table["district"], word: table["name"]})
    for zone, name in ZONES.items():
        k = by_zone[zone]
        rate_now = table[f"{zone}_rate"]
        rows[f"{name}覆盖数"] = table[f"{zone}_num"].fillna(0).astype(int)
        rows[f"{name}应覆盖数"] = table[f"{zone}_den"].fillna(0).astype(int)
        rows[f"{name}覆盖率(%)"] = (rate_now * 100).round(1)
        total |= {f"{name}覆盖数": k.numerator, f"{name}应覆盖数": k.denominator}
        total[f"{name}覆盖率(%)"] = None if k.rate is None else round(k.rate * 100, 1)
        for label, then in before.items():
            column = f"{name}{label}(百分点)"
            if then is None:
                rows[column] = float("nan")
            else:
                old = table["district"].map(then.set_index("district")[f"{zone}_rate"])
                rows[column] = ((rate_now - old) * 100).round(1)
            change = k.change if label == "环比" else k.change_yoy
            total[column] = None if change is None else round(change, 1)
    return pd.concat([pd.DataFrame([total]), rows], ignore_index=True)[list(rows.columns)]

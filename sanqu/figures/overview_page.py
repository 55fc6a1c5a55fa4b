"""What the 总览 page shows for one district scope and quarter: the KPIs with their sparklines,
the figures and the tables, built once per choice (`ui.data.kept`), so that a repeated choice
costs nothing."""

from dataclasses import dataclass

import pandas as pd

from sanqu import periods
from sanqu.context import Context
from sanqu.figures import charts, vega
from sanqu.metrics import overview, places
from sanqu.metrics.coverage import coverage_trend
from sanqu.metrics.indicators import indicator
from sanqu.metrics.overview import HEADLINE, Kpi
from sanqu.storage.db import Database


@dataclass(frozen=True)
class OverviewFigures:
    kpis: list[Kpi]
    histories: dict[str, list[float]]  # per zone: the rate in percent up to the quarter (sparklines)
    trend: dict  # Vega-Lite specs (`vega`): the page needs no plotly
    districts: dict  # a bar group per place: city, county or township (`places.level`)
    district_rows: pd.DataFrame  # the place table with Chinese headers
    places: str  # what the places are: 设区市, 区县, 乡镇（街道）
    export_rows: pd.DataFrame  # the overview as one sheet (KPIs, districts, 环比 and 同比)


def figures(db: Database, ctx: Context) -> OverviewFigures:
    """The page's KPIs, figures and tables for one scope and quarter."""
    known = db.periods()
    earlier = {"环比": periods.shift(ctx.period, -1), "同比": periods.shift(ctx.period, -4)}
    if ctx.period in known:  # one query per zone: the counts by place, their sums the scope's
        by_place = overview.place_trends(db, ctx)
        every = {key: overview.totals_of(by_place[key], known) for key in HEADLINE}
        quarters = [ctx.period, *(p for p in earlier.values() if p in known)]
        tables = overview.place_tables(db, ctx, quarters, by_place)
    else:
        every = {key: coverage_trend(db, ctx, indicator(key).zone) for key in HEADLINE}
        tables = {ctx.period: overview.place_table(db, ctx)}
    kpis = [overview.kpi(db, ctx, key, every[key]) for key in HEADLINE]
    trends = {key.split("_")[0]: overview.trend(db, ctx, key, every[key]) for key in HEADLINE}
    histories = {zone: (t[t["period"] <= ctx.period]["rate"] * 100).round(1).tolist() for zone, t in trends.items()}
    table, word = tables[ctx.period], places.word(ctx.scope)
    # the district table a quarter and a year earlier, when the store has them
    before = {label: tables.get(p) for label, p in earlier.items()}
    return OverviewFigures(
        kpis=kpis,
        histories=histories,
        trend=vega.zone_trends(trends),
        districts=vega.district_bars(table),
        district_rows=charts.district_table_view(table, word),
        places=word,
        export_rows=overview.export_view(table, kpis, before, f"合计（{ctx.scope.label}）", word),
    )

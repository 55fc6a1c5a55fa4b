"""What the 总览 page shows for one district scope and quarter: the KPIs with their sparklines,
the figures and the tables, built once per choice (`ui.data.kept`), so that a repeated choice
costs nothing."""

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from sanqu import periods
from sanqu.context import Context
from sanqu.figures import charts
from sanqu.metrics import overview
from sanqu.metrics.overview import HEADLINE, Kpi
from sanqu.storage.db import Database


@dataclass(frozen=True)
class OverviewFigures:
    kpis: list[Kpi]
    histories: dict[str, list[float]]  # per zone: the rate in percent up to the quarter (sparklines)
    trend: go.Figure
    districts: go.Figure
    district_rows: pd.DataFrame  # the district table with Chinese headers
    export_rows: pd.DataFrame  # the overview as one sheet (KPIs, districts, 环比 and 同比)


def figures(db: Database, ctx: Context) -> OverviewFigures:
    """The page's KPIs, figures and tables for one scope and quarter."""
    kpis = overview.headline(db, ctx)
    trends = {key.split("_")[0]: overview.trend(db, ctx, key) for key in HEADLINE}
    histories = {zone: (t[t["period"] <= ctx.period]["rate"] * 100).round(1).tolist() for zone, t in trends.items()}
    table = overview.district_table(db, ctx)
    known = db.periods()
    before = {  # the district table a quarter and a year earlier, when the store has them
        label: overview.district_table(db, ctx.at(p)) if p in known else None
        for label, p in (("环比", periods.shift(ctx.period, -1)), ("同比", periods.shift(ctx.period, -4)))
    }
    return OverviewFigures(
        kpis=kpis,
        histories=histories,
        trend=charts.zone_trends(trends),
        districts=charts.district_bars(table),
        district_rows=charts.district_table_view(table),
        export_rows=overview.export_view(table, kpis, before, f"合计（{ctx.scope.label}）"),
    )

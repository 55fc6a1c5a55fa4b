"""What the 城乡社区 page shows for one choice (district, quarter, city/rural, township, the
quarter the stars are compared with): its figures and display tables, built once per choice
(`ui.data.kept`), so that a repeated choice costs nothing. The counts come from the store's
precomputed `community_status`, as the page's KPIs do."""

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from sanqu.areas import communities as cm
from sanqu.areas import zones
from sanqu.context import Context
from sanqu.figures import zone_charts as zc
from sanqu.storage.db import Database

GRID_SEGMENTS = (("own", "单独建", "grid_gap"), ("joint", "联合建", "grid_gap"), ("gaps", "未覆盖", "grid_gap"))


@dataclass(frozen=True)
class CommunityFigures:
    trend_rows: pd.DataFrame  # cm.trend: one row per quarter (KPIs and sparklines read it)
    trend: go.Figure
    scatter: go.Figure
    levels: go.Figure
    level_rows: pd.DataFrame  # per level, Chinese headers
    grid: go.Figure
    areas: go.Figure  # grid coverage by district, or by township for one district
    stars_summary: dict[str, int]
    stars: go.Figure
    star_matrix: go.Figure


def figures(db: Database, ctx: Context, kind: str, town: str, compare: str) -> CommunityFigures:
    """The page's figures and tables for one choice."""
    trend = cm.trend(db, ctx, kind, town)
    # the names are only drawn when every community is (the scatter up to MAX_SCATTER)
    few = int(trend.loc[trend["period"] == ctx.period, "communities"].sum()) <= zc.MAX_SCATTER
    changes = cm.star_changes(db, ctx, compare, kind, town, names=few)
    lv = cm.levels(changes)
    keys = [f"level_{x}" for x in lv["level"]]
    return CommunityFigures(
        trend_rows=trend,
        trend=zc.rate_lines(zones.rate_trend(trend, cm.INDICATORS), ctx.period),
        scatter=zc.level_size_scatter(changes, cm.UPGRADE_MEMBERS),
        levels=zc.count_bars(lv["level"], lv["communities"], lv["level"], keys, "community", "村（社区）数"),
        level_rows=cm.levels_view(lv),
        grid=zc.grid_bars(cm.grid(changes)),
        areas=_areas(ctx, changes),
        stars_summary=cm.star_summary(changes),
        stars=zc.star_bars(cm.star_distribution(db, ctx, kind, town)),
        star_matrix=zc.star_matrix(cm.star_matrix(changes), compare, ctx.period, height=340),
    )


def _areas(ctx: Context, changes: pd.DataFrame) -> go.Figure:
    """Grid coverage by district; by township when the scope is one district."""
    one = len(ctx.scope.counties) == 1
    bd = cm.by_township(changes) if one else cm.by_district(changes)
    bd["gaps"] = bd["denominator"] - bd["covered"]
    label, code = ("township_name", "township") if one else ("district_name", "district")
    height = max(300, 30 * len(bd) + 90) if one else 360
    return zc.status_bars(bd, label, code, "community", GRID_SEGMENTS, horizontal=one, height=height, unit=" 个")

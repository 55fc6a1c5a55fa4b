"""What the 城乡社区 page shows for one choice (district, quarter, city/rural, township, the
quarter the stars are compared with): its figures and display tables, built once per choice
(`ui.data.kept`), so that a repeated choice costs nothing. The counts come from the store's
precomputed `community_status`, as the page's KPIs do."""

from dataclasses import dataclass

import pandas as pd

from sanqu.areas import communities as cm
from sanqu.areas import zones
from sanqu.context import Context
from sanqu.figures import vega_community as vc
from sanqu.figures import vega_zone as vz
from sanqu.storage.db import Database

GRID_SEGMENTS = (("own", "单独建", "grid_gap"), ("joint", "联合建", "grid_gap"), ("gaps", "未覆盖", "grid_gap"))


@dataclass(frozen=True)
class CommunityFigures:
    trend_rows: pd.DataFrame  # cm.trend: one row per quarter (KPIs and sparklines read it)
    trend: dict
    scatter: dict  # Vega-Lite specs (`vega_zone`, `vega_community`), as are all but the trend rows
    scatter_note: str  # what a point of the scatter is (a community, or a cell of several)
    levels: dict
    level_rows: pd.DataFrame  # per level, Chinese headers
    grid: dict
    areas: dict  # grid coverage by district, or by township for one district
    stars_summary: dict[str, int]
    stars: dict
    star_matrix: dict


def figures(db: Database, ctx: Context, kind: str, town: str, compare: str) -> CommunityFigures:
    """The page's figures and tables for one choice: every count summed by DuckDB (`cm.trend_and_parts`,
    `cm.levels`, `cm.star_moves`; the stars per quarter read from the trend), the rows themselves
    only for a scatter of MAX_SCATTER or fewer."""
    trend, parts = cm.trend_and_parts(db, ctx, kind, town)
    shown = int(trend.loc[trend["period"] == ctx.period, "communities"].sum())
    points = cm.size_points(db, ctx, kind, town) if shown <= vc.MAX_SCATTER else cm.size_cells(db, ctx, kind, town)
    lv, moves = cm.levels(db, ctx, kind, town), cm.star_moves(db, ctx, compare, kind, town)
    keys = [f"level_{x}" for x in lv["level"]]
    return CommunityFigures(
        trend_rows=trend,
        trend=vz.rate_lines(zones.rate_trend(trend, cm.INDICATORS), ctx.period),
        scatter=vc.level_size_scatter(points, cm.UPGRADE_MEMBERS),
        scatter_note=vc.scatter_note(points),
        levels=vz.count_bars(lv["level"], lv["communities"], lv["level"], keys, "community", "村（社区）数"),
        level_rows=cm.levels_view(lv),
        grid=vc.grid_bars(cm.grid(parts)),
        areas=_areas(ctx, parts),
        stars_summary=cm.star_summary(moves),
        stars=vc.star_bars(cm.star_distribution_of(trend, ctx.period)),
        star_matrix=vc.star_matrix(cm.star_matrix(moves), compare, ctx.period, height=340),
    )


def _areas(ctx: Context, parts: pd.DataFrame) -> dict:
    """Grid coverage by district; by township when the scope is one district."""
    one = len(ctx.scope.counties) == 1
    bd = cm.by_township(parts) if one else cm.by_district(parts)
    bd["gaps"] = bd["denominator"] - bd["covered"]
    label, code = ("township_name", "township") if one else ("district_name", "district")
    height = max(300, 30 * len(bd) + 90) if one else 360
    return vz.status_bars(bd, label, code, "community", GRID_SEGMENTS, horizontal=one, height=height, unit=" 个")

"""What the 工业园区 page shows for one choice (district, quarter, park, scale, industry): its
figures and display tables, built once per choice (`ui.data.kept`), so that a repeated choice
costs nothing. Every function takes `(db, ctx, …the page's filters…)`; the counts are those of
`parks.status` (the store's precomputed coverage status), as the page's KPIs, counted by DuckDB
(no enterprise row leaves the store for them)."""

from dataclasses import dataclass

import pandas as pd

from sanqu.areas import park_groups, park_tree, parks, zones
from sanqu.areas.park_tree import FOLDED_LEVELS
from sanqu.areas.zones import ALL
from sanqu.context import Context
from sanqu.figures import vega_tree as vt
from sanqu.figures import vega_zone as vz
from sanqu.storage.db import Database

UNIT = " 家"
SEGMENTS = (("own", "单独组建", "own"), ("joint", "联合组建", "joint"), ("gaps", "未覆盖", "gaps"))
INSTRUCTOR_SEGMENTS = (
    ("with_instructor", "已派指导员", "instructor"),
    ("without_instructor", "未派指导员", "no_instructor"),
)


@dataclass(frozen=True)
class ParkFigures:
    """Everything of the page but the tree and the list, for one choice."""

    trend_rows: pd.DataFrame  # parks.trend: one row per quarter (KPIs and sparklines read it)
    enterprises: int
    headcount: int
    members: int
    trend: dict
    parks: dict  # coverage by park (the chosen park outlined)
    park_rows: pd.DataFrame  # the same as a table (Chinese headers)
    areas: dict  # by district for several districts, else by industry
    forms: dict
    scales: dict
    ownership: pd.DataFrame
    instructors: dict
    sources: pd.DataFrame


def figures(db: Database, ctx: Context, park: str, scale: str, industry: str) -> ParkFigures:
    """The page's figures and tables for one choice of park, scale and industry."""
    g = park_groups.groups(db, ctx, park, scale, industry)  # counted in the store: no row moves out
    totals, trend = g.totals, g.trend
    bp = g.by_park
    bp = bp[bp["denominator"] > 0]
    parks_fig = vz.status_bars(
        bp,
        "park_name",
        "park_id",
        "park",
        SEGMENTS,
        horizontal=True,
        highlight=None if park == ALL else park,
        height=max(260, 44 * len(bp) + 80),
        unit=UNIT,
    )
    jf = parks.joint_forms_of(totals)
    keys = [f"joint_{x}" for x in jf["form"]]
    ins = parks.instructors_of(totals)
    sc = g.scales
    return ParkFigures(
        trend_rows=trend,
        enterprises=totals["denominator"],
        headcount=totals["headcount"],
        members=totals["members"],
        trend=vz.rate_lines(zones.rate_trend(trend, parks.INDICATORS[:6]), ctx.period),
        parks=parks_fig,
        park_rows=parks.park_table_view(bp),
        areas=_areas(g, len(ctx.scope.counties) > 1),
        forms=vz.count_bars(jf["form"], jf["count"], jf["form"], keys, "park", "企业数", UNIT, shares=jf["share"]),
        scales=vz.status_bars(sc, "scale", "scale", "park", SEGMENTS, height=300, unit=UNIT),
        ownership=parks.ownership_view(g.by_ownership),
        instructors=vz.status_bars(
            ins, "coverage", "key", "park", INSTRUCTOR_SEGMENTS, total="total", horizontal=True, height=240, unit=UNIT
        ),
        sources=parks.sources_view(parks.instructor_sources(db, ctx, park, scale, industry)),
    )


def _areas(g: park_groups.ParkGroups, districts: bool) -> dict:
    """By district (several districts in scope), else by industry."""
    if districts:
        return vz.status_bars(g.by_district, "district_name", "district", "park", SEGMENTS, height=380, unit=UNIT)
    bi = g.by_category
    return vz.status_bars(bi, "category", "category", "park", SEGMENTS, height=380, unit=UNIT)


@dataclass(frozen=True)
class TreeFigures:
    figure: dict  # the treemap from the node drawn (`vega_tree.org_tree`)
    levels: pd.DataFrame  # organisations per level
    enterprises: int
    members: int
    path: tuple[tuple[str, str], ...]  # (org_id, name) from the root (named by the page) to the node drawn
    clicks: dict[str, str]  # a box's org_id → the node a click on it draws (`vega_tree.targets`)


def tree(db: Database, ctx: Context, park: str, label: str, node: str = vt.ROOT) -> TreeFigures:
    """The three-level organisation tree of the scope or one park (`label` names its root), drawn
    from `node` (the root, or a node a click drilled into; one the tree does not hold: the root);
    the treemap's rows are at most MAX_TREE_BOXES (`drawn`), the levels and totals count every
    node. A whole scope's tree above the cap is rolled up and folded by the store
    (`park_tree.folded_tree`: ×100 city, 1,401 rows leave it instead of 102,800)."""
    big = park == ALL and park_tree.folds(db, ctx, MAX_TREE_BOXES)
    whole = park_tree.folded_tree(db, ctx, MAX_TREE_BOXES) if big else None
    if whole is not None:
        shown, levels, note = whole.rows, whole.levels, _note(whole.folded)
    else:
        t = parks.tree(db, ctx, park)
        (shown, note), levels = drawn(t, MAX_TREE_BOXES), parks.tree_levels(t)
    top = shown.loc[0]
    node = vt.root_of(shown, node)
    fig = vt.org_tree(shown, label, node, note=note)
    path = tuple(vt.path(shown, node, label))
    return TreeFigures(fig, levels, int(top["enterprises"]), int(top["members"]), path, vt.targets(shown, node))


def drilled(tree: TreeFigures, picked: str) -> str:
    """The node to draw the tree from after a click on the box `picked` (its org_id), as
    `vega_tree.targets` says: the box when it has children, the parent of a box of the lowest level
    drawn without any, one level up for the frame of the node drawn; else the node drawn."""
    return tree.clicks.get(picked, tree.path[-1][0])


# Rows of the tree the treemap is drawn from before its lowest levels are folded. It draws three
# levels at a time and a click redraws it from the box clicked, but every row goes into the layout
# (`vega_tree.layout`) and the page's cache: a tree of up to this many rows is whole, a larger
# one drills down to the 党总支 (the demo city's 1,029 rows; 吉安县's 329), a park to its 党支部.
MAX_TREE_BOXES = 300


def drawn(t: pd.DataFrame, limit: int = MAX_TREE_BOXES) -> tuple[pd.DataFrame, str | None]:
    """The rows of `parks.tree` the treemap is drawn from and the note it shows (None: every row).
    Above `limit` rows the 党支部, then the 党总支 are left out: a box's value stays the total of
    its subtree (`branchvalues="total"`), so each remaining box counts the enterprises it groups."""
    folded: list[tuple[str, int]] = []
    for level in FOLDED_LEVELS:
        if len(t) <= limit:
            break
        out = t["level"] == level
        folded.append((level, int(out.sum())))
        t = t[~out]
    if not folded:
        return t, None
    return t.reset_index(drop=True), _note(tuple(folded))


def _note(folded: tuple[tuple[str, int], ...]) -> str | None:
    """What the treemap says it leaves out (None: nothing)."""
    if not folded:
        return None
    lowest = next(lv for lv in ("党总支", "党工委") if lv not in dict(folded))
    parts = "、".join(f"{n:,} 个{lv}" for lv, n in folded)
    return f"组织较多，只画到{lowest}：{parts}未逐一画出，其覆盖的企业计入上级方块；选择园区可看下一级"

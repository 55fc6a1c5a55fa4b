"""旅游景区: coverage of scenic areas and spots by A-level, the 联建 modes, trade
organisations (导游 · 宾馆酒店 · 商业休闲) and the 一弘扬三创优 theme activity led by 井冈山.

Coverage starts from `coverage.entity_status` (every scenic area and spot open at the
end of the quarter), like the overview.
"""

import pandas as pd

from sanqu.areas import zones
from sanqu.areas.zones import ALL, COVERAGE_COLUMNS, ListSpec, coverage_indicators, coverage_lists, coverage_status
from sanqu.context import Context, uses
from sanqu.geography import district_name
from sanqu.ingest.registers import JOINT_FORMS_SCENIC, TRADES
from sanqu.metrics.coverage import entity_status
from sanqu.metrics.indicators import Indicator, indicator
from sanqu.storage.db import Database
from sanqu.storage.units import DUE_MEMBERS
from sanqu.tables import Headers, district_names, flags, integers, quarters, via

A_LEVELS = ("5A", "4A", "3A", "2A", "未评级")
KINDS = ("景区", "景点")
THEME = "一弘扬三创优"
THEME_LEAD = "360881"  # 井冈山市 leads the theme activity

INDICATORS: tuple[Indicator, ...] = (
    indicator("scenic_org"),
    indicator("scenic_own"),
    indicator("scenic_joint"),
    indicator("scenic_work"),
    Indicator("scenic_area_org", "scenic", "景区组织覆盖率", "areas_covered", "areas", "已组织覆盖的景区 ÷ 景区总数"),
    Indicator("scenic_spot_org", "scenic", "景点组织覆盖率", "spots_covered", "spots", "已组织覆盖的景点 ÷ 景点总数"),
)
THEME_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "scenic_theme_districts",
        "scenic",
        "一弘扬三创优 开展区县",
        "theme_districts",
        "scope_districts",
        "本季度开展一弘扬三创优活动的区县 ÷ 范围内区县",
    ),
    Indicator(
        "scenic_theme_lead",
        "scenic",
        "井冈山市开展次数占比",
        "theme_lead_count",
        "theme_count",
        "井冈山市开展的一弘扬三创优活动次数 ÷ 范围内开展总次数",
    ),
)
# the theme activity's count KPIs: column of `trend`, name, unit, help
THEME_COUNTS = (
    ("theme_count", "开展次数", " 次", "本季度范围内各区县开展活动的次数之和"),
    ("theme_participants", "参与党员人次", " 人次", "本季度参与活动的党员人次之和"),
)
KPI_LIST = {
    "scenic_org": "covered",
    "scenic_own": "own",
    "scenic_joint": "joint",
    "scenic_work": "work",
    "scenic_area_org": "areas_covered",
    "scenic_spot_org": "spots_covered",
}

COUNT_COLUMNS = (
    *COVERAGE_COLUMNS,
    "areas",
    "areas_covered",
    "spots",
    "spots_covered",
    *(f"joint_{f}" for f in JOINT_FORMS_SCENIC),
)
THEME_COLUMNS = ("theme_count", "theme_participants", "theme_districts", "theme_lead_count", "scope_districts")
TRADE_COLUMNS = ("trade_orgs", "trade_members", *(f"trade_{t}" for t in TRADES))

LISTS: dict[str, ListSpec] = {
    "gaps": ListSpec("未组织覆盖", lambda s: ~s["covered"]),
    "should_build": ListSpec(f"应建未建（{DUE_MEMBERS}名以上党员、未单独建）", lambda s: s["should_build"]),
    **coverage_lists("联建", JOINT_FORMS_SCENIC),
    "areas_covered": ListSpec("已覆盖的景区", lambda s: s["covered"] & (s["category"] == "景区")),
    "spots_covered": ListSpec("已覆盖的景点", lambda s: s["covered"] & (s["category"] == "景点")),
    "all": ListSpec("全部景区景点", lambda s: s["covered"] | ~s["covered"]),
}


def status(db: Database, ctx: Context, a_level: str = ALL, kind: str = ALL) -> pd.DataFrame:
    return narrow(entity_status(db, ctx, "scenic"), a_level, kind)


def narrow(entities: pd.DataFrame, a_level: str = ALL, kind: str = ALL) -> pd.DataFrame:
    """The rows of one A-level and kind (ALL keeps every value)."""
    if a_level != ALL:
        entities = entities[entities["a_level"] == a_level]
    if kind != ALL:
        entities = entities[entities["category"] == kind]
    return entities.reset_index(drop=True)


def indicators(entities: pd.DataFrame) -> pd.DataFrame:
    """A 0/1 column per count of `counts` (COUNT_COLUMNS), a row per entity: summed over any
    grouping, that grouping's counts."""
    each = coverage_indicators(entities)
    covered, joint = each["covered"].astype(bool), each["joint"].astype(bool)
    area = entities["category"] == "景区"
    each["areas"], each["areas_covered"] = area, area & covered
    each["spots"], each["spots_covered"] = ~area, ~area & covered
    for f in JOINT_FORMS_SCENIC:
        each[f"joint_{f}"] = joint & (entities["joint_form"] == f)
    return each[list(COUNT_COLUMNS)].astype("int64")


def counts(entities: pd.DataFrame, each: pd.DataFrame | None = None) -> dict[str, int]:
    """The counts of `entities` (`each`: their `indicators`, when already made)."""
    return {k: int(v) for k, v in (indicators(entities) if each is None else each).sum().items()}


def by_level(entities: pd.DataFrame, each: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per A-level and kind (景区/景点): denominator, own, joint, gaps; every level listed (`each`:
    the entities' `indicators`, when already made)."""
    keys = pd.DataFrame({"a_level": entities["a_level"], "kind": entities["category"]})
    sums = (indicators(entities) if each is None else each).groupby([keys["a_level"], keys["kind"]]).sum()
    every = pd.MultiIndex.from_product([A_LEVELS, KINDS], names=["a_level", "kind"])
    df = sums.reindex(every, fill_value=0).reset_index()
    df["rate"] = df["covered"] / df["denominator"].where(df["denominator"] > 0)
    return df


def joint_forms(entities: pd.DataFrame, each: pd.DataFrame | None = None) -> pd.DataFrame:
    c = counts(entities, each)
    return pd.DataFrame({"form": list(JOINT_FORMS_SCENIC), "count": [c[f"joint_{f}"] for f in JOINT_FORMS_SCENIC]})


TRADE_SQL = """
SELECT org_id, name, district, trade, members, founded, dissolved FROM party_orgs
WHERE trade IS NOT NULL AND list_contains($scope, district) AND active_at(founded, dissolved, $asof)
ORDER BY trade, district, org_id
"""


# The trade organisations active at the end of every quarter of the store, in one query (trend)
TRADE_EVER_SQL = """
SELECT p.period, o.org_id, o.trade, o.members
FROM party_orgs o JOIN periods p ON active_at(o.founded, o.dissolved, p.end_date)
WHERE o.trade IS NOT NULL AND list_contains($scope, o.district)
"""


def trade_orgs(db: Database, ctx: Context) -> pd.DataFrame:
    """Trade organisations (行业联建: 导游 / 宾馆酒店 / 商业休闲) active at the quarter's end: county
    organisations without a township (at a township scope its county's, `county_note`)."""
    return db.query(TRADE_SQL, ctx.county_wide().scope, asof=ctx.period_end)


def trade_summary(orgs: pd.DataFrame) -> pd.DataFrame:
    """Per trade (all three listed): organisations and members."""
    rows = [
        dict(trade=t, orgs=int((orgs["trade"] == t).sum()), members=int(orgs.loc[orgs["trade"] == t, "members"].sum()))
        for t in TRADES
    ]
    return pd.DataFrame(rows)


# Trade organisations with Chinese headers.
trade_view = Headers(
    {
        "党组织编号": "org_id",
        "党组织名称": "name",
        "区县": via(district_names, "district"),
        "行业": "trade",
        "党员数": via(integers, "members"),
        "成立日期": lambda d: d["founded"].dt.strftime("%Y-%m-%d"),
    }
)


THEME_SQL = """
SELECT district, period, count, participants FROM activities
WHERE carrier = $carrier AND list_contains($scope, district)
ORDER BY period, district
"""


@uses("scope")
def theme(db: Database, ctx: Context) -> pd.DataFrame:
    """The 一弘扬三创优 activity per district and quarter: count held and member participations (the
    activities register has no township: at a township scope its county's, `county_note`)."""
    df = db.query(THEME_SQL, ctx.county_wide().scope, carrier=THEME)
    df["district_name"] = df["district"].map(district_name)
    return df


def theme_by_district(th: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Every district in scope at the quarter (0 where nothing was held), the lead first."""
    now = th[th["period"] == ctx.period].set_index("district")
    rows = []
    for d in ctx.scope.counties:
        held = d in now.index
        rows.append(
            dict(
                district=d,
                district_name=district_name(d),
                count=int(now.loc[d, "count"]) if held else 0,
                participants=int(now.loc[d, "participants"]) if held else 0,
                lead=d == THEME_LEAD,
            )
        )
    df = pd.DataFrame(rows)
    df["per_event"] = (df["participants"] / df["count"].where(df["count"] > 0)).round(1)
    return df.sort_values(["lead", "count", "district"], ascending=[False, False, True]).reset_index(drop=True)


# The activity register rows (district × quarter) with Chinese headers.
theme_view = Headers(
    {
        "统计季度": via(quarters, "period"),
        "区县代码": "district",
        "区县": "district_name",
        "开展次数": via(integers, "count"),
        "参与党员人次": via(integers, "participants"),
    }
)


@uses("scope")
def trend(db: Database, ctx: Context, a_level: str = ALL, kind: str = ALL) -> pd.DataFrame:
    """One row per quarter: coverage counts, trade organisations and the theme activity."""
    return trend_with(db, ctx, a_level, kind, theme(db, ctx))


def trend_with(db: Database, ctx: Context, a_level: str, kind: str, th: pd.DataFrame) -> pd.DataFrame:
    """`trend` with the theme activity `th` (`theme(db, ctx)`, when already read)."""
    periods = db.periods()
    every = zones.status_trend(db, ctx, "scenic", TREND_SQL, {"a_level": a_level, "category": kind})
    held = pd.DataFrame(
        {
            "period": th["period"],
            "theme_count": th["count"],
            "theme_participants": th["participants"],
            "theme_districts": th["count"] > 0,
            "theme_lead_count": th["count"].where(th["district"] == THEME_LEAD, 0),
        }
    )
    trade = db.query(TRADE_EVER_SQL, ctx.county_wide().scope)
    members = trade.groupby(["period", "trade"])["members"].sum().unstack()
    live = pd.DataFrame(
        {
            "trade_orgs": trade.groupby("period").size(),
            "trade_members": trade.groupby("period")["members"].sum(),
            **{f"trade_{t}": members[t] if t in members else pd.Series(dtype="int64") for t in TRADES},
        }
    )
    per_quarter = pd.concat([held.groupby("period").sum(), live], axis=1).reindex(periods).fillna(0).astype("int64")
    per_quarter["scope_districts"] = len(ctx.scope.counties)
    df = every.set_index("period").join(per_quarter)
    return df.rename_axis("period").reset_index()[["period", *COUNT_COLUMNS, *THEME_COLUMNS, *TRADE_COLUMNS]]


# `counts` as DuckDB aggregates (trend: every quarter at once)
TREND_SQL = {
    **zones.COVERAGE_SQL,
    "areas": "count(*) FILTER (category = '景区')",
    "areas_covered": "count(*) FILTER (category = '景区' AND covered)",
    "spots": "count(*) FILTER (category <> '景区')",
    "spots_covered": "count(*) FILTER (category <> '景区' AND covered)",
    **{f"joint_{f}": f"count(*) FILTER (covered AND NOT own AND joint_form = '{f}')" for f in JOINT_FORMS_SCENIC},
}


def scenic_list(db: Database, ctx: Context, a_level: str = ALL, kind: str = ALL) -> pd.DataFrame:
    """Every scenic area and spot of the status table with its organisation and parent area.
    Uncovered first, then by staff (largest first)."""
    entities = status(db, ctx, a_level, kind)
    orgs = db.query(
        """
        SELECT l.entity_id, l.org_name, l.form FROM links l JOIN scenic_sites s ON s.scenic_id = l.entity_id
        WHERE l.entity_type = 'scenic' AND list_contains($scope, s.district)
          AND ($township IS NULL OR s.township = $township) AND active_at(l.valid_from, l.valid_to, $asof)
        ORDER BY l.form <> '单独组建', l.org_id
        """,
        ctx.scope,
        asof=ctx.period_end,
    ).drop_duplicates("entity_id")
    names = db.query(  # the areas of the scope's sites (at a township, an area may lie in another)
        """
        SELECT scenic_id AS parent_id, name AS parent_name FROM scenic_sites WHERE list_contains($scope, district)
          AND ($township IS NULL OR scenic_id IN (SELECT parent_id FROM scenic_sites WHERE township = $township))
        """,
        ctx.scope,
    )
    df = entities.merge(orgs, on="entity_id", how="left").merge(names, on="parent_id", how="left")
    return df.sort_values(["covered", "headcount", "entity_id"], ascending=[True, False, True]).reset_index(drop=True)


def select(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of one list (LISTS) from `scenic_list`."""
    return zones.select(df, LISTS, key)


# Scenic areas and spots with Chinese headers (page table and Excel export).
list_view = Headers(
    {
        "景区景点编号": "entity_id",
        "名称": "name",
        "类别": "category",
        "所属景区": "parent_name",
        "区县": via(district_names, "district"),
        "A级": "a_level",
        "从业人数": via(integers, "headcount"),
        "正式党员数": via(integers, "members"),
        "覆盖状态": coverage_status("联建"),
        "所在党组织": "org_name",
        "组建方式": "form",
        "党建指导员": via(flags, "instructor"),
        "应建未建": via(flags, "should_build"),
    }
)

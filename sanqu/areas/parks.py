"""工业园区: coverage by park and district, joint forms, the three-level organisation tree,
Party-building instructors and the gap list (空白点清单) with the nearest joint organisation.

Every count starts from `coverage.entity_status` (one row per non-public enterprise in
normal operation at the end of the quarter), so these figures and the overview agree.
"""

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from sanqu import fmt
from sanqu.areas import zones
from sanqu.areas.zones import (
    ALL,
    COVERAGE_COLUMNS,
    ListSpec,
    coverage_counts,
    coverage_lists,
    coverage_status,
    haversine_km,
)
from sanqu.context import Context, uses
from sanqu.geography import district_name
from sanqu.ingest.registers import JOINT_FORMS_PARK
from sanqu.metrics.coverage import entity_status, rate, status_source
from sanqu.metrics.indicators import Indicator, indicator
from sanqu.storage import park_rollups as rollups
from sanqu.storage.db import Database
from sanqu.storage.park_rollups import MAX_DEPTH
from sanqu.storage.units import DUE_MEMBERS  # three or more members: their own organisation is due
from sanqu.tables import Headers, district_names, flags, integers, via

SCALES = ("规上", "规下")
PUBLIC = ("国有", "集体")

INDICATORS: tuple[Indicator, ...] = (
    indicator("park_org"),
    indicator("park_own"),
    indicator("park_joint"),
    indicator("park_work"),
    Indicator(
        "park_above_org",
        "park",
        "规上企业组织覆盖率",
        "above_covered",
        "above",
        "已组织覆盖的规上非公企业 ÷ 园区内正常经营的规上非公有制企业",
    ),
    Indicator(
        "park_due_own",
        "park",
        "应建已建率",
        "due_own",
        "due",
        f"有{DUE_MEMBERS}名以上正式党员且已单独建立党组织的 ÷ 有{DUE_MEMBERS}名以上正式党员的非公企业",
    ),
    Indicator(
        "park_instructor",
        "park",
        "党建指导员派驻率",
        "instructor",
        "denominator",
        "已派驻党建指导员的 ÷ 园区内正常经营的非公有制企业",
    ),
)

COUNT_COLUMNS = (
    *COVERAGE_COLUMNS,
    "above",
    "above_covered",
    "due",
    "due_own",
    *(f"joint_{f}" for f in JOINT_FORMS_PARK),
)
INTEGER_COUNTS = dict.fromkeys(COUNT_COLUMNS, "int64")  # one astype for every count (not column by column)

# The lists behind the KPIs and bars (rows of `enterprise_list` each keeps)
LISTS: dict[str, ListSpec] = {
    "gaps": ListSpec("空白点（未组织覆盖）", lambda s: ~s["covered"]),
    "should_build": ListSpec(f"应建未建（{DUE_MEMBERS}名以上党员、未单独建）", lambda s: s["should_build"]),
    "above_gaps": ListSpec("规上企业中未覆盖的", lambda s: ~s["covered"] & (s["scale"] == "规上")),
    **coverage_lists("联合组建", JOINT_FORMS_PARK),
    "above_covered": ListSpec("规上企业中已覆盖的", lambda s: s["covered"] & (s["scale"] == "规上")),
    "due_own": ListSpec(f"{DUE_MEMBERS}名以上党员且已单独建", lambda s: s["own"] & (s["members"] >= DUE_MEMBERS)),
    "instructor": ListSpec("已派党建指导员", lambda s: s["instructor"]),
    "no_instructor": ListSpec("未派党建指导员", lambda s: ~s["instructor"]),
    "covered_instructor": ListSpec("已覆盖 · 已派指导员", lambda s: s["covered"] & s["instructor"]),
    "covered_no_instructor": ListSpec("已覆盖 · 未派指导员", lambda s: s["covered"] & ~s["instructor"]),
    "gaps_instructor": ListSpec("未覆盖 · 已派指导员（仅工作覆盖）", lambda s: ~s["covered"] & s["instructor"]),
    "gaps_no_instructor": ListSpec("未覆盖 · 未派指导员（工作空白）", lambda s: ~s["covered"] & ~s["instructor"]),
    "all": ListSpec("全部应覆盖企业", lambda s: s["covered"] | ~s["covered"]),
}
KPI_LIST = {
    "park_org": "covered",
    "park_own": "own",
    "park_joint": "joint",
    "park_work": "work",
    "park_above_org": "above_covered",
    "park_due_own": "due_own",
    "park_instructor": "instructor",
}


@uses("scope")
def parks(db: Database, ctx: Context) -> pd.DataFrame:
    """The parks in scope: park_id, name, district, level. The parks register has no township: at a
    township scope, the parks with an enterprise registered in it."""
    return db.query(
        """
        SELECT park_id, name, district, level FROM parks WHERE list_contains($scope, district)
          AND ($township IS NULL OR park_id IN (SELECT park_id FROM enterprises WHERE township = $township))
        ORDER BY park_id""",
        ctx.scope,
    )


def status(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    """`coverage.entity_status` for enterprises, narrowed to one park, scale and/or industry."""
    return narrow(entity_status(db, ctx, "park"), park, scale, industry)


def narrow(entities: pd.DataFrame, park: str = ALL, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    """The rows of one park, scale and industry (ALL keeps every value)."""
    for col, value in (("park_id", park), ("scale", scale), ("category", industry)):
        if value != ALL:
            entities = entities[entities[col] == value]
    return entities.reset_index(drop=True)


@uses("scope")
def industries(db: Database, ctx: Context) -> list[str]:
    """The industries (产业, one 产业党总支 each per park) of the enterprises in scope."""
    df = db.query(
        """SELECT DISTINCT industry FROM enterprises
        WHERE list_contains($scope, district) AND ($township IS NULL OR township = $township) ORDER BY industry""",
        ctx.scope,
    )
    return df["industry"].tolist()


def counts(entities: pd.DataFrame) -> dict[str, int]:
    """Every count of the park page from a status table."""
    joint = entities["covered"] & ~entities["own"]
    due = entities["members"] >= DUE_MEMBERS
    above = entities["scale"] == "规上"
    out = {
        **coverage_counts(entities),
        "above": int(above.sum()),
        "above_covered": int((above & entities["covered"]).sum()),
        "due": int(due.sum()),
        "due_own": int((due & entities["own"]).sum()),
    }
    for f in JOINT_FORMS_PARK:
        out[f"joint_{f}"] = int((joint & (entities["joint_form"] == f)).sum())
    return out


@uses("scope")
def trend(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    """One row per quarter in the store with every count (KPIs, sparklines, trend chart)."""
    narrowed = {"park_id": park, "scale": scale, "category": industry}
    return zones.status_trend(db, ctx, "enterprise", TREND_SQL, narrowed)


# `counts` as DuckDB aggregates (trend: every quarter at once)
TREND_SQL = {
    **zones.COVERAGE_SQL,
    "above": "count(*) FILTER (scale = '规上')",
    "above_covered": "count(*) FILTER (scale = '规上' AND covered)",
    "due": "count(*) FILTER (due)",  # due: members >= DUE_MEMBERS (a key of unit_rollup)
    "due_own": "count(*) FILTER (due AND own)",
    **{f"joint_{f}": f"count(*) FILTER (covered AND NOT own AND joint_form = '{f}')" for f in JOINT_FORMS_PARK},
}


def grouped(entities: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per value of `by` (park_id, district, scale, category…), with the rates."""
    if entities.empty:
        return with_rates(pd.DataFrame([], columns=[by, *COUNT_COLUMNS]))
    summed = _row_counts(entities).groupby(entities[by], sort=True).sum()
    return with_rates(summed.astype("int64").rename_axis(by).reset_index()[[by, *COUNT_COLUMNS]])


def _row_counts(entities: pd.DataFrame) -> pd.DataFrame:
    """What each row adds to every count of `counts` (one column per COUNT_COLUMNS): summed per
    group, `counts` of each group in one pass instead of one per group."""
    covered, own = entities["covered"].astype(bool), entities["own"].astype(bool)
    joint = covered & ~own
    due = entities["members"] >= DUE_MEMBERS
    above = entities["scale"] == "规上"
    out = {
        "denominator": pd.Series(1, index=entities.index),
        "own": own,
        "joint": joint,
        "covered": covered,
        "work": entities["work"],
        "instructor": entities["instructor"],
        "should_build": entities["should_build"],
        "gaps": ~covered,
        "above": above,
        "above_covered": above & covered,
        "due": due,
        "due_own": due & own,
    }
    for f in JOINT_FORMS_PARK:
        out[f"joint_{f}"] = joint & (entities["joint_form"] == f)
    return pd.DataFrame({k: pd.to_numeric(v) for k, v in out.items()}, index=entities.index)[list(COUNT_COLUMNS)]


def _grouped(db: Database, ctx: Context, by: str, park: str, scale: str, industry: str) -> pd.DataFrame:
    """`grouped(status(db, ctx, park, scale, industry), by)`, counted by DuckDB for a stored quarter."""
    narrowed = {"park_id": park, "scale": scale, "category": industry}
    df = zones.status_groups(db, ctx, "enterprise", TREND_SQL, narrowed, by)
    if df is None:
        return grouped(status(db, ctx, park, scale, industry), by)
    return counted(df, by)


def counted(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per value of `by` as DuckDB sums them (HUGEINT: floats), as `grouped` gives them:
    integers, in COUNT_COLUMNS' order, with the rates."""
    counts = pd.DataFrame(df[list(COUNT_COLUMNS)].to_numpy(dtype="int64"), columns=list(COUNT_COLUMNS), index=df.index)
    return with_rates(pd.concat([df[[by]], counts], axis=1))  # in numpy: astype costs about 7 ms a table


def with_rates(df: pd.DataFrame) -> pd.DataFrame:
    """`df` and each count's share of the denominator (NaN where it is 0); in numpy, added at once
    (pandas' `where`, division and column setting one by one cost about 10 ms a table)."""
    den = df["denominator"].to_numpy(dtype=float)
    den[den <= 0] = np.nan
    cols = ("covered", "own", "joint", "work", "instructor")
    shares = pd.DataFrame({f"{c}_rate": df[c].to_numpy(dtype=float) / den for c in cols}, index=df.index)
    return pd.concat([df, shares], axis=1)


def by_park(db: Database, ctx: Context, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    """Coverage of every park in scope (parks without enterprises included, with zeros)."""
    return with_parks(db, ctx, _grouped(db, ctx, "park_id", ALL, scale, industry))


def with_parks(db: Database, ctx: Context, df: pd.DataFrame) -> pd.DataFrame:
    """`by_park` from the counts per park (`counted`): every park in scope, with zeros where none."""
    p = parks(db, ctx)
    # each park's row of `df` (-1: none), its columns taken in numpy: pandas' merge, then fillna and
    # astype of the counts, cost about 4 ms more. A park without enterprises counts 0, its rates NaN.
    at = dict(zip(df["park_id"].tolist(), range(len(df))))
    picked = np.array([at.get(park, -1) for park in p["park_id"].tolist()], dtype=int)
    found, taken = picked >= 0, np.maximum(picked, 0)
    out = {
        "park_id": p["park_id"],
        "park_name": p["name"],
        "district": p["district"],
        "district_name": p["district"].map(district_name),
        "park_level": p["level"],
    }
    for name in df.columns.drop("park_id"):
        counted = name in COUNT_COLUMNS
        column = df[name].to_numpy(dtype="int64" if counted else "float64")
        none = 0 if counted else np.nan
        out[name] = np.where(found, column[taken], none) if len(column) else np.full(len(p), none)
    return pd.DataFrame(out)


def by_district(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    return with_district_names(_grouped(db, ctx, "district", park, scale, industry))


def with_district_names(df: pd.DataFrame) -> pd.DataFrame:
    df.insert(1, "district_name", df["district"].map(district_name))
    return df


def by_scale(entities: pd.DataFrame) -> pd.DataFrame:
    """规上 / 规下 side by side (both rows always present)."""
    return scale_rows(grouped(entities, "scale"))


def scales(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    """`by_scale(status(db, ctx, park, scale, industry))`, counted by DuckDB for a stored quarter."""
    return scale_rows(_grouped(db, ctx, "scale", park, scale, industry))


def scale_rows(g: pd.DataFrame) -> pd.DataFrame:
    return rows_for(g, "scale", SCALES)


def rows_for(g: pd.DataFrame, key: str, values: Sequence[str]) -> pd.DataFrame:
    """The rows of `g` (counts per `key`, with rates; a row per value) for `values`, in their order,
    zeros where `g` has none (a rate too). Built in numpy: pandas' reindex, fillna and astype cost
    about 15 ms for two rows."""
    at = dict(zip(g[key].tolist(), range(len(g))))
    picked = np.array([at.get(v, -1) for v in values])
    columns = {}
    for name in g.columns.drop(key):
        column = g[name].to_numpy()
        kind = "int64" if name in COUNT_COLUMNS else "float64"
        taken = np.where(picked >= 0, column[np.maximum(picked, 0)] if len(column) else 0, 0).astype(kind)
        columns[name] = np.nan_to_num(taken, nan=0.0) if kind == "float64" else taken
    return pd.DataFrame(columns, index=pd.Index(list(values), name=key)).reset_index()


def by_category(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    """`grouped(status(db, ctx, park, scale, industry), "category")`, counted by DuckDB for a stored quarter."""
    return _grouped(db, ctx, "category", park, scale, industry)


def joint_forms(entities: pd.DataFrame) -> pd.DataFrame:
    """Enterprises covered only jointly, per form (企企合建 / 村企共建 / 企会联建), all forms listed."""
    return joint_forms_of(counts(entities))


def joint_forms_of(c: dict[str, int]) -> pd.DataFrame:
    """`joint_forms` from the counts (`counts`) of the enterprises."""
    df = pd.DataFrame({"form": list(JOINT_FORMS_PARK), "count": [c[f"joint_{f}"] for f in JOINT_FORMS_PARK]})
    df["share"] = df["count"] / c["denominator"] if c["denominator"] else float("nan")
    return df


TOTALS_SQL = {
    **TREND_SQL,
    "headcount": "coalesce(sum(headcount), 0)",
    "members": "coalesce(sum(members), 0)",
    "covered_instructor": "count(*) FILTER (covered AND instructor)",
}


def totals(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> dict[str, int]:
    """`counts` of `status`, its headcount and members and the covered enterprises with an instructor
    (TOTALS_SQL's names): the page's totals counted by DuckDB (a quarter the store does not hold:
    from `status`)."""
    narrowed = {"park_id": park, "scale": scale, "category": industry}
    df = zones.status_groups(db, ctx, "enterprise", TOTALS_SQL, narrowed, "entity_type")  # one group
    if df is None:
        st = status(db, ctx, park, scale, industry)
        out = counts(st)
        out.update(headcount=st["headcount"].sum(), members=st["members"].sum())
        out["covered_instructor"] = (st["covered"] & st["instructor"]).sum()
    else:
        out = df.iloc[0].to_dict() if len(df) else dict.fromkeys(TOTALS_SQL, 0)
    return {k: int(out[k]) for k in TOTALS_SQL}


KINDS = ("非公有制", "国有、集体")  # by_ownership's rows


def by_ownership(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> pd.DataFrame:
    """Non-public (counted in every rate) against state-owned and collective (shown for reference).

    Same rules as the coverage engine, applied to every operating enterprise; counted by DuckDB, per
    ownership from the store's roll-up for a quarter it holds (x100 city: 34 -> about 5 ms)."""
    narrowed = {"park_id": park, "scale": scale, "category": industry}
    g = zones.status_groups(db, ctx, "enterprise", TREND_SQL, narrowed, "ownership", every=True)
    if g is not None:
        g = g.assign(kind=np.where(g["ownership"].isin(PUBLIC), KINDS[1], KINDS[0]))
        df = g.groupby("kind", as_index=False)[list(COUNT_COLUMNS)].sum()
        return kind_rows(with_rates(df.astype(INTEGER_COUNTS)))
    source, params = status_source(db, ctx, "park", every=True)
    select = ", ".join(f'{sql} AS "{name}"' for name, sql in TREND_SQL.items())
    where = " AND ".join(f"(${col} IS NULL OR {col} = ${col})" for col in narrowed)
    sql = f"""WITH status AS (SELECT *, members >= {DUE_MEMBERS} AS due FROM ({source}))
    SELECT CASE WHEN list_contains($public, ownership) THEN $kind_public ELSE $kind_private END AS kind, {select}
    FROM status WHERE {where} GROUP BY kind"""
    values = {col: None if v == ALL else v for col, v in narrowed.items()}
    df = db.query(sql, ctx.scope, **params, **values, public=list(PUBLIC), kind_public=KINDS[1], kind_private=KINDS[0])
    df = with_rates(df[["kind", *COUNT_COLUMNS]].astype(INTEGER_COUNTS))
    return kind_rows(df)


def kind_rows(g: pd.DataFrame) -> pd.DataFrame:
    """`by_ownership`'s rows (KINDS, in order) from the counts per kind (`counted`)."""
    return rows_for(g, "kind", KINDS)


def ownership_rows(entities: pd.DataFrame) -> pd.DataFrame:
    """`by_ownership` of a status table of every operating enterprise (`entity_status(…, every=True)`)."""
    entities = entities.assign(kind=entities["ownership"].map(lambda o: KINDS[1] if o in PUBLIC else KINDS[0]))
    return kind_rows(grouped(entities, "kind"))


def instructors_of(t: dict[str, int]) -> pd.DataFrame:
    """`instructors` from `totals`."""
    covered, gaps = t["covered"], t["denominator"] - t["covered"]
    with_covered, with_gaps = t["covered_instructor"], t["instructor"] - t["covered_instructor"]
    groups = (("covered", "已组织覆盖", covered, with_covered), ("gaps", "未组织覆盖", gaps, with_gaps))
    return pd.DataFrame(
        [
            dict(key=key, coverage=name, with_instructor=w, without_instructor=n - w, total=n)
            for key, name, n, w in groups
        ]
    )


def instructors(entities: pd.DataFrame) -> pd.DataFrame:
    """Enterprises with and without an instructor, split by organisation coverage."""
    rows = []
    for covered, key, label in ((True, "covered", "已组织覆盖"), (False, "gaps", "未组织覆盖")):
        part = entities[entities["covered"] == covered]
        rows.append(
            dict(
                key=key,
                coverage=label,
                with_instructor=int(part["instructor"].sum()),
                without_instructor=int((~part["instructor"]).sum()),
                total=len(part),
            )
        )
    return pd.DataFrame(rows)


def instructor_sources(
    db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL
) -> pd.DataFrame:
    """Instructors in post at the quarter's end by where they come from (enterprises of `status` only)."""
    if ctx.period in db.periods():  # counted by DuckDB from the store's `instructor_status`
        narrowed = {"park_id": park, "scale": scale, "category": industry}
        values = {col: None if v == ALL else v for col, v in narrowed.items()}
        return db.query(SOURCES_SQL, ctx.scope, period=ctx.period, **values)
    entities = status(db, ctx, park, scale, industry)
    df = db.query(
        """
        SELECT source, entity_id FROM instructors
        WHERE entity_type = 'enterprise' AND list_contains($scope, district)
          AND ($township IS NULL OR entity_id IN (SELECT enterprise_id FROM enterprises WHERE township = $township))
          AND active_at(start, "end", $asof)
        """,
        ctx.scope,
        asof=ctx.period_end,
    )
    df = df[df["entity_id"].isin(entities["entity_id"])]
    df = df.groupby("source", as_index=False).agg(count=("entity_id", "nunique"))
    return df.sort_values(["count", "source"], ascending=[False, True]).reset_index(drop=True)  # as SOURCES_SQL


SOURCES_SQL = """
WITH s AS (
    SELECT source, count(DISTINCT entity_id) AS count FROM instructor_status
    WHERE period = $period AND list_contains($scope, instructor_district) AND list_contains($scope, district)
      AND ($township IS NULL OR township = $township) AND ($park_id IS NULL OR park_id = $park_id)
      AND ($scale IS NULL OR scale = $scale) AND ($category IS NULL OR category = $category)
    GROUP BY source
)
SELECT source, count FROM s ORDER BY count DESC, source
"""


# ---------------------------------------------------------------------------------------
# The organisation tree: 园区党工委 → 产业党总支 → 企业党支部 (joint branches included)

# Each organisation with the enterprises it covers directly (park_rollups.nodes_ctes; at a township
# scope, organisations having no township: those covering its enterprises and those above them,
# with the enterprises of the township only).
TREE_SELECT = """
SELECT * EXCLUDE (k) FROM n ORDER BY org_id
"""
TREE_SQL = {township: rollups.nodes_ctes(rollups.LIVE, township) + TREE_SELECT for township in (True, False)}
ROOT_ID = "root"


def tree(db: Database, ctx: Context, park: str = ALL) -> pd.DataFrame:
    """Nodes for a treemap: id, parent, name, level, form, members and covered enterprises.

    Members and enterprises of a node are the totals of its subtree (a 党工委 or 党总支 has
    no members of its own in the register). Enterprises count every operating enterprise an
    organisation covers at the quarter's end, state-owned ones included. An organisation whose
    parent is outside the scope hangs from the root. With a park, only that park's 党工委
    subtree is kept (a joint branch registered under it is kept even when it covers
    enterprises of another park)."""
    o = db.query(TREE_SQL[bool(ctx.scope.township)], ctx.scope, asof=ctx.period_end)
    # object arrays: hashed at once (an Arrow string column's isin goes row by row in Python)
    ids = pd.Index(o["org_id"].to_numpy(dtype=object)).unique()
    known = ids.get_indexer(o["parent_id"].to_numpy(dtype=object)) >= 0
    o["parent"] = o["parent_id"].where(known, ROOT_ID)
    if park != ALL:
        keep = {_park_top(db, ctx, park, o)} - {None}
        while True:
            more = set(o.loc[o["parent"].isin(keep), "org_id"]) - keep
            if not more:
                break
            keep |= more
        o = o[o["org_id"].isin(keep)].copy()
        o.loc[o["level"] == "党工委", "parent"] = ROOT_ID
    o["members_total"] = o["members"].astype(int)
    o["enterprises"] = o["direct_enterprises"].astype(int)
    # roll subtree totals up: deepest first
    rolled = _rolled_up(o)
    if rolled is not None:
        o["depth"], o["members_total"], o["enterprises"] = rolled
    else:  # a cycle in the register's parents: node by node, as far as each path goes
        depth = _depths(o)
        o["depth"] = o["org_id"].map(depth)
        members = dict(zip(o["org_id"], o["members_total"].tolist()))
        enterprises = dict(zip(o["org_id"], o["enterprises"].tolist()))
        parent = dict(zip(o["org_id"], o["parent"]))
        for oid in o.sort_values("depth", ascending=False, kind="stable")["org_id"]:
            up = parent[oid]
            if up in members:
                members[up] += members[oid]
                enterprises[up] += enterprises[oid]
        o = o.assign(members_total=o["org_id"].map(members), enterprises=o["org_id"].map(enterprises))
    root = pd.DataFrame(
        [
            dict(
                org_id=ROOT_ID,
                name="",
                level="",
                parent="",
                district="",
                form="",
                members=0,
                direct_enterprises=0,
                depth=0,
                members_total=int(o.loc[o["parent"] == ROOT_ID, "members_total"].sum()),
                enterprises=int(o.loc[o["parent"] == ROOT_ID, "enterprises"].sum()),
            )
        ]
    )
    out = pd.concat([root, o], ignore_index=True)
    return out[
        ["org_id", "parent", "name", "level", "form", "district", "members_total", "enterprises", "direct_enterprises"]
    ].rename(columns={"members_total": "members"})


def _park_top(db: Database, ctx: Context, park: str, o: pd.DataFrame) -> str | None:
    """A park's 党工委. The registers do not link parks to organisations, so it is read from
    the tree: the 党工委 above most of the own branches (单独组建) of the park's enterprises;
    failing those, above most of the organisations covering them (a joint branch may span
    parks, so it only decides when there is nothing else)."""
    covering = db.query(
        """
        SELECT l.org_id, l.form = '单独组建' AS own FROM links l JOIN enterprises e ON e.enterprise_id = l.entity_id
        WHERE l.entity_type = 'enterprise' AND e.park_id = $park AND list_contains($scope, e.district)
          AND ($township IS NULL OR e.township = $township) AND active_at(l.valid_from, l.valid_to, $asof)
        """,
        ctx.scope,
        park=park,
        asof=ctx.period_end,
    )
    parent = dict(zip(o["org_id"], o["parent_id"]))
    level = dict(zip(o["org_id"], o["level"]))

    def top(oid: str) -> str | None:
        seen = set()
        while oid in parent and oid not in seen and level.get(oid) != "党工委":
            seen.add(oid)
            oid = parent[oid]
        return oid if level.get(oid) == "党工委" else None

    for orgs in (covering.loc[covering["own"], "org_id"], covering["org_id"]):
        tops = pd.Series([t for t in map(top, orgs) if t is not None], dtype=object)
        if len(tops):
            counted = tops.value_counts()
            return sorted(counted[counted == counted.max()].index)[0]
    return None


def _rolled_up(o: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(depth, members, enterprises) of every node with its subtree's totals, level by level from
    the deepest (arrays in `o`'s order; `_depths` and the node-by-node roll-up give the same when
    the parents have no cycle); None when they have one."""
    ids = pd.Index(o["org_id"].to_numpy(dtype=object))
    if not ids.is_unique:
        return None
    up = ids.get_indexer(o["parent"].to_numpy(dtype=object))  # -1: the root (or no node of the tree)
    depth, cur = np.ones(len(o), dtype=int), up.copy()
    for _ in range(MAX_DEPTH):
        going = cur >= 0
        if not going.any():
            break
        depth[going] += 1
        cur[going] = up[cur[going]]
    else:
        return None
    members, enterprises = o["members_total"].to_numpy(dtype=int).copy(), o["enterprises"].to_numpy(dtype=int).copy()
    for d in range(int(depth.max(initial=1)), 1, -1):
        at = np.flatnonzero((depth == d) & (up >= 0))
        np.add.at(members, up[at], members[at])
        np.add.at(enterprises, up[at], enterprises[at])
    return depth, members, enterprises


def _depths(o: pd.DataFrame) -> dict[str, int]:
    parent = dict(zip(o["org_id"], o["parent"]))
    out: dict[str, int] = {}
    for oid in parent:
        d, cur, seen = 1, parent[oid], {oid}
        while cur != ROOT_ID and cur in parent and cur not in seen:
            seen.add(cur)
            d, cur = d + 1, parent[cur]
        out[oid] = d
    return out


def tree_levels(t: pd.DataFrame) -> pd.DataFrame:
    """Organisations per level of the tree (those of 党工委, 党总支, 党支部 it has), and the enterprises
    they cover directly."""
    inner = t["org_id"].to_numpy(dtype=object) != ROOT_ID
    level = t["level"].to_numpy(dtype=object)
    direct = t["direct_enterprises"].to_numpy(dtype="int64", na_value=0)
    out: dict[str, list] = {"level": [], "orgs": [], "enterprises": []}
    for lv in ("党工委", "党总支", "党支部"):  # in numpy: pandas' groupby, reindex and reset cost about 5 ms
        at = inner & (level == lv)
        if at.any():
            out["level"].append(lv)
            out["orgs"].append(int(at.sum()))
            out["enterprises"].append(int(direct[at].sum()))
    return pd.DataFrame(out).astype({"orgs": "int64", "enterprises": "int64"})


# ---------------------------------------------------------------------------------------
# The enterprise list (空白点清单 and the lists behind every KPI and bar)


def nearest_joint(db: Database, ctx: Context, pts: pd.DataFrame) -> pd.DataFrame:
    """For each enterprise of `pts` (entity_id, its place plon, plat and whether that place is
    surveyed, exact: `_list_rows` reads them): the joint organisation (企企合建 / 村企共建 / 企会联建) one
    of whose covered enterprises lies nearest, and that distance in km.

    Candidates are joint organisations active at the quarter's end that cover an operating
    enterprise in scope; an enterprise without surveyed coordinates stands at its township's
    point. Ties go to the lower organisation id. The members are reduced to their places in the
    store (park_rollups.PLACES_SQL: a place's first member, and its first member of another
    enterprise for a point that is the first's own), so only the distinct places leave DuckDB;
    for a quarter it holds and the whole store or one district, the places stored with it."""
    cols = ["entity_id", "nearest_org", "nearest_org_name", "nearest_form", "nearest_km", "exact"]
    if pts.empty:
        return pd.DataFrame(columns=cols)
    key = rollups.rolled_key(db, ctx)
    if key is None:
        places = db.query(rollups.PLACES_SQL, ctx.scope, asof=ctx.period_end, forms=rollups.JOINT_FORMS)
    else:
        places = db.query(rollups.STORED_PLACES_SQL, ctx.scope, period=ctx.period, key=key)
    pts = pts.reset_index(drop=True)
    if places.empty:
        return pts.assign(nearest_org=None, nearest_org_name=None, nearest_form=None, nearest_km=float("nan"))[cols]
    best, alt, km = _nearest_places(pts, places)
    found = np.isfinite(km)  # no place but the point's own, or no point: no nearest organisation

    def picked(col: str) -> object:
        return np.where(found, np.where(alt, places[f"alt_{col}"].to_numpy()[best], places[col].to_numpy()[best]), None)

    out = pts.assign(
        nearest_org=picked("org_id"),
        nearest_org_name=picked("org_name"),
        nearest_form=picked("form"),
        nearest_km=np.where(found, km, np.nan).round(2),
    )
    return out[cols]


CHUNK_CELLS = 5_000_000  # distances computed at once (about 40 MB): memory stays bounded at any size


def _nearest_places(pts: pd.DataFrame, places: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row of `places`, whether its other member is meant, km) nearest to each point, the point's
    own enterprise left out: a point that is a place's first member gets that place's other member
    (none: another place). Points at one place are computed once; in chunks."""
    lon, lat, via = places["lon"].to_numpy(), places["lat"].to_numpy(), places["via"].to_numpy()
    no_alt = places["alt_org_id"].isna().to_numpy()
    ids = pts["entity_id"].to_numpy()
    best, alt, km = np.zeros(len(pts), dtype=int), np.zeros(len(pts), dtype=bool), np.full(len(pts), np.inf)
    own = pd.Series(ids, dtype=object).isin(via).to_numpy()  # hashed (np.isin sorts, a str Series scalar by scalar)
    plain = pts.loc[~own, ["plon", "plat"]]
    if len(plain):
        group = plain.groupby(["plon", "plat"], sort=False, dropna=False).ngroup().to_numpy()
        reps = plain.to_numpy()[pd.Series(np.arange(len(plain))).groupby(group).first().to_numpy()]
        b, _, k = _distances(reps[:, 0], reps[:, 1], None, lon, lat, via, no_alt)
        best[~own], km[~own] = b[group], k[group]
    b, a, k = _distances(pts["plon"].to_numpy()[own], pts["plat"].to_numpy()[own], ids[own], lon, lat, via, no_alt)
    best[own], alt[own], km[own] = b, a, k
    return best, alt, km


def _distances(plon, plat, ids, lon, lat, via, no_alt) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(place, its other member meant, km) nearest to each point (plon, plat); `ids`: the points'
    own enterprises (None: never a place's first member), in chunks."""
    best, alt, km = np.zeros(len(plon), dtype=int), np.zeros(len(plon), dtype=bool), np.full(len(plon), np.inf)
    step = max(1, CHUNK_CELLS // len(lon))
    for s in range(0, len(plon), step):
        part = slice(s, s + step)
        d = haversine_km(plon[part, None], plat[part, None], lon[None, :], lat[None, :])
        mine = np.zeros(d.shape, dtype=bool) if ids is None else ids[part, None] == via[None, :]
        d[mine & no_alt[None, :]] = np.inf  # the place is only the point's own enterprise
        j = d.argmin(axis=1)
        r = np.arange(d.shape[0])
        best[part], alt[part], km[part] = j, mine[r, j], d[r, j]
    return best, alt, km


# The lists whose rows are picked by DuckDB (`enterprise_list(…, only=key)`): the same rows as LISTS[key]
LIST_SQL = {
    "gaps": "NOT covered",
    "should_build": "should_build",
    "above_gaps": "NOT covered AND scale = '规上'",
    "gaps_instructor": "NOT covered AND instructor",
    "gaps_no_instructor": "NOT covered AND NOT instructor",
}


def enterprise_list(
    db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL, only: str = "all"
) -> pd.DataFrame:
    """Every enterprise of the status table with its organisation, instructor flag and, when
    not organisation-covered, the nearest joint organisation. Above-scale first, then by
    employees (largest first). `only` (a key of LIST_SQL): the rows of that list only, picked by
    DuckDB (the others never leave the store)."""
    entities, orgs = _list_rows(db, ctx, park, scale, industry, LIST_SQL.get(only, "true"))
    pts = entities.loc[~entities["covered"].astype(bool), ["entity_id", *PLACE]].rename(columns={"located": "exact"})
    first = orgs.drop_duplicates("entity_id")[["entity_id", "org_id", "org_name", "form"]]
    df = entities.drop(columns=list(PLACE)).merge(first, on="entity_id", how="left")
    near = nearest_joint(db, ctx, pts)
    df = df.merge(near, on="entity_id", how="left")
    df = df.sort_values(["scale", "headcount", "entity_id"], ascending=[True, False, True]).reset_index(drop=True)
    return df


PLACE = ("plon", "plat", "located")  # an enterprise's place in `locations` and whether it is surveyed


def _list_rows(
    db: Database, ctx: Context, park: str, scale: str, industry: str, where: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the status rows narrowed to the park, scale and industry where `where` holds, each not covered
    with its place (PLACE: where the map draws it), their organisations at the quarter's end, own branches
    first)."""
    source, params = status_source(db, ctx, "park")
    narrowed = {"park_id": park, "scale": scale, "category": industry}
    values = {col: None if v == ALL else v for col, v in narrowed.items()}
    rows = " AND ".join([*(f"(${col} IS NULL OR {col} = ${col})" for col in narrowed), f"({where})"])
    entities = db.query(
        f"""WITH status AS ({source})
        SELECT s.*, loc.lon AS plon, loc.lat AS plat, loc.exact AS located FROM (SELECT * FROM status WHERE {rows}) s
        LEFT JOIN (
            SELECT * FROM locations WHERE entity_type = 'enterprise' AND list_contains($scope, district)
              AND ($township IS NULL OR township = $township)
        ) loc ON NOT s.covered AND loc.entity_id = s.entity_id""",
        ctx.scope,
        **params,
        **values,
    )
    if not entities["covered"].any():  # an enterprise not covered has no organisation at the quarter's end
        return entities, pd.DataFrame(columns=["entity_id", "org_id", "org_name", "form"])
    orgs = db.query(
        f"""WITH status AS ({source}), listed AS (SELECT entity_id FROM status WHERE {rows})
        SELECT l.entity_id, l.org_id, l.org_name, l.form FROM links l
        WHERE l.entity_type = 'enterprise' AND l.entity_id IN (SELECT entity_id FROM listed)
          AND active_at(l.valid_from, l.valid_to, $asof)
        ORDER BY l.form <> '单独组建', l.org_id""",
        ctx.scope,
        **{**params, "asof": ctx.period_end},
        **values,
    )
    return entities, orgs


def select(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of one list (LISTS) from `enterprise_list`."""
    return zones.select(df, LISTS, key)


def _located(exact) -> str:
    return "" if pd.isna(exact) else ("实测" if exact else "按乡镇估计")


# The enterprise list with Chinese headers (the page's table and its Excel export).
list_view = Headers(
    {
        "企业编号": "entity_id",
        "企业名称": "name",
        "区县": via(district_names, "district"),
        "园区": "park_name",
        "所属产业": "category",
        "经济类型": "ownership",
        "企业规模": "scale",
        "从业人数": via(integers, "headcount"),
        "正式党员数": via(integers, "members"),
        "覆盖状态": coverage_status("联合组建"),
        "所在党组织": "org_name",
        "组建方式": "form",
        "党建指导员": via(flags, "instructor"),
        "应建未建": via(flags, "should_build"),
        "最近的联合党组织": "nearest_org_name",
        "联建方式": "nearest_form",
        "距离(公里)": "nearest_km",
        "位置": lambda d: d["exact"].map(_located),
    }
)


def _percent_of_enterprises(col: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: (df[col] / df["denominator"].where(df["denominator"] > 0) * 100).round(1)


# `by_park` with Chinese headers.
park_table_view = Headers(
    {
        "园区代码": "park_id",
        "园区": "park_name",
        "区县": "district_name",
        "级别": "park_level",
        "应覆盖企业": "denominator",
        "单独组建": "own",
        "联合组建": "joint",
        "未覆盖": "gaps",
        "组织覆盖率(%)": _percent_of_enterprises("covered"),
        "单独组建率(%)": _percent_of_enterprises("own"),
        "规上企业": "above",
        "规上已覆盖": "above_covered",
        "应建未建": "should_build",
        "已派指导员": "instructor",
    }
)


# `by_ownership` with Chinese headers
ownership_view = Headers(
    {
        "经济类型": "kind",
        "企业数": "denominator",
        "单独组建": "own",
        "联合组建": "joint",
        "未覆盖": "gaps",
        "覆盖率": lambda d: [fmt.pct(rate(n, t)) for n, t in zip(d["covered"], d["denominator"])],
    }
)

# `instructor_sources` with Chinese headers
sources_view = Headers({"派出单位类别": "source", "在岗指导员所在企业数": "count"})

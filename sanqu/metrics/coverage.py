"""The coverage engine: organisation, own-organisation, joint and work coverage.

Every figure comes with its numerator and denominator. Status is computed as of the
last day of a quarter from dated registers (entry, closure, founding, instructors).
Enterprises and scenic sites are counted entity by entity; communities by their grid
units (residential quarters and two-new organisations), from the quarterly statistics.
"""

import pandas as pd

from sanqu.context import Context, uses
from sanqu.metrics import places
from sanqu.storage.db import Database
from sanqu.storage.units import ALL_STATUS_SQL, GRID_SUMS, STATUS_SQL

ZONE_ENTITY = {"park": "enterprise", "scenic": "scenic"}
COUNTS = ("denominator", "own", "joint", "covered", "work", "instructor", "should_build")

# Grouping keys a caller may ask for, with the SQL expression behind each.
GROUPS = {
    "park": {
        "district": "district",
        "park": "park_id",
        "park_name": "park_name",
        "township": "township",
        "scale": "scale",
        "ownership": "ownership",
        "industry": "category",
    },
    "scenic": {"district": "district", "kind": "category", "a_level": "a_level", "township": "township"},
    "community": {"district": "s.district", "kind": "s.kind", "township": "s.township"},
}
for _zone in GROUPS:  # the county's city (places.cities): from the stored per-district counts only
    GROUPS[_zone]["city"] = "city"

COMMUNITY_SQL = (
    "SELECT {groups}"
    + GRID_SUMS
    + """
FROM community_status s
WHERE s.period = $period AND list_contains($scope, s.district) AND ($township IS NULL OR s.township = $township)
{group_by}
"""
)


STORED_SQL = """
SELECT * EXCLUDE (period) FROM unit_status
WHERE period = $period AND entity_type = $etype AND list_contains($scope, district)
  AND ($township IS NULL OR township = $township) {cover}
"""


def status_source(db: Database, ctx: Context, zone: str, every: bool = False) -> tuple[str, dict]:
    """The status rows of a quarter: read from the store's `unit_status` (built with the store
    for every quarter it holds), or computed by STATUS_SQL for a quarter it does not hold.
    `every`: also the entities not to be covered (ALL_STATUS_SQL)."""
    if ctx.period in db.periods():
        sql = STORED_SQL.format(cover="" if every else "AND should_cover")
        return sql, {"etype": ZONE_ENTITY[zone], "period": ctx.period}
    return ALL_STATUS_SQL if every else STATUS_SQL, {"etype": ZONE_ENTITY[zone], "asof": ctx.period_end}


def entity_status(db: Database, ctx: Context, zone: str, every: bool = False) -> pd.DataFrame:
    """One row per entity that should be covered, with own/joint/covered/work flags (`every`:
    every operating entity, state-owned and collective enterprises included)."""
    sql, params = status_source(db, ctx, zone, every)
    return db.query(sql, ctx.scope, **params)


def entity_status_all(db: Database, ctx: Context, zone: str) -> pd.DataFrame:
    """`entity_status` of every quarter in the store at once, with its `period` column."""
    return db.query(
        """
        SELECT * FROM unit_status WHERE entity_type = $etype AND should_cover AND list_contains($scope, district)
          AND ($township IS NULL OR township = $township)
        ORDER BY period
        """,
        ctx.scope,
        etype=ZONE_ENTITY[zone],
    )


def _group_exprs(zone: str, by: tuple[str, ...]) -> list[str]:
    unknown = [b for b in by if b not in GROUPS[zone]]
    if unknown:
        raise ValueError(f"cannot group {zone} by {unknown}")
    return [f"{GROUPS[zone][b]} AS {b}" for b in by]


def coverage(db: Database, ctx: Context, zone: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Counts per group: denominator, own, joint, covered, work, instructor, should_build."""
    exprs = _group_exprs(zone, by)
    select = "".join(e + ", " for e in exprs)
    group_by = "GROUP BY ALL" if by else ""
    if _by_district(ctx, by) and ctx.period in db.periods():
        table, extra = _counts_table(ctx, zone, by)
        sql = COUNTS_SQL.format(table=table, groups=select.replace("s.district", "district"))
        df = db.query(sql + group_by, ctx.scope, etype=ZONE_ENTITY.get(zone, zone), periods=[ctx.period], **extra)
    elif zone == "community":
        sql = COMMUNITY_SQL.format(groups=select, group_by=group_by)
        df = db.query(sql, ctx.scope, period=ctx.period)
    else:
        source, params = status_source(db, ctx, zone)
        sql = f"""
        WITH status AS ({source})
        SELECT {select}
               count(*) AS denominator, count(*) FILTER (own) AS own,
               count(*) FILTER (covered AND NOT own) AS joint, count(*) FILTER (covered) AS covered,
               count(*) FILTER (work) AS work, count(*) FILTER (instructor) AS instructor,
               count(*) FILTER (should_build) AS should_build
        FROM status {group_by}"""
        df = db.query(sql, ctx.scope, **params)
    df[list(COUNTS)] = df[list(COUNTS)].fillna(0).astype(int)
    return df.sort_values(list(by)).reset_index(drop=True) if by else df


UNIT_TREND_SQL = """
SELECT period, {groups}
       count(*) AS denominator, count(*) FILTER (own) AS own,
       count(*) FILTER (covered AND NOT own) AS joint, count(*) FILTER (covered) AS covered,
       count(*) FILTER (work) AS work, count(*) FILTER (instructor) AS instructor,
       count(*) FILTER (should_build) AS should_build
FROM unit_status WHERE entity_type = $etype AND should_cover AND list_contains($scope, district)
  AND ($township IS NULL OR township = $township)
GROUP BY ALL
"""


# `unit_counts` and `community_counts` (built with the store): the counts of whole districts,
# summed. BIGINT, not the HUGEINT of a sum (slow to hand to pandas); the scope as a semi-join, not
# list_contains per row (a nation's 2,800 counties). COUNTS: the columns summed.
COUNTS_TABLE = {"park": "unit_counts", "scenic": "unit_counts", "community": "community_counts"}
COUNTS_SQL = (
    "SELECT {groups}"
    + ", ".join(f"CAST(sum({c}) AS BIGINT) AS {c}" for c in COUNTS)
    + """
FROM {table}
WHERE entity_type = $etype AND list_contains($periods, period) AND district IN (SELECT unnest($scope))
"""
)


# The per-district counts with each county's city, from parameters (places.cities).
CITY_TABLE = """(SELECT t.*, g.city FROM {table} t
JOIN (SELECT unnest($counties) AS district, unnest($cities) AS city) g USING (district))"""


def _by_district(ctx: Context, by: tuple[str, ...]) -> bool:
    """Counts that whole districts' totals give: no grouping finer than the district, no township scope."""
    whole = set(by) <= {"district", "city"} and not ctx.scope.township
    if "city" in by and not whole:
        raise ValueError("grouping by city: whole counties only (the stored per-district counts)")
    return whole


def _counts_table(ctx: Context, zone: str, by: tuple[str, ...]) -> tuple[str, dict]:
    """The stored per-district counts of a zone (with the city of each county when grouped by city)
    and the parameters that takes."""
    if "city" not in by:
        return COUNTS_TABLE[zone], {}
    return CITY_TABLE.format(table=COUNTS_TABLE[zone]), places.cities(ctx.scope.counties)


@uses("scope")
def coverage_trend(
    db: Database, ctx: Context, zone: str, by: tuple[str, ...] = (), quarters: list[str] | None = None
) -> pd.DataFrame:
    """`coverage(db, ctx.at(p), zone, by)` for every quarter p of the store (`quarters`: those of
    the store's quarters only) in one query, with the quarter first. Without `by` a row per
    quarter, in order (zeros where nothing is to be covered); with `by`, the groups that have
    rows, sorted by quarter and group."""
    known = db.periods() if quarters is None else [p for p in db.periods() if p in quarters]
    groups = "".join(e + ", " for e in _group_exprs(zone, by))
    if _by_district(ctx, by):
        table, extra = _counts_table(ctx, zone, by)
        sql = COUNTS_SQL.format(table=table, groups="period, " + groups.replace("s.district", "district"))
        df = db.query(sql + "GROUP BY ALL", ctx.scope, etype=ZONE_ENTITY.get(zone, zone), periods=known, **extra)
    elif zone == "community":
        sql = COMMUNITY_SQL.format(groups="s.period AS period, " + groups, group_by="GROUP BY ALL")
        df = db.query(sql.replace("s.period = $period", "list_contains($periods, s.period)"), ctx.scope, periods=known)
    else:
        df = db.query(UNIT_TREND_SQL.format(groups=groups), ctx.scope, etype=ZONE_ENTITY[zone])
        df = df[df["period"].isin(known)] if quarters is not None else df
    if not by:
        df = df.set_index("period").reindex(known)[list(COUNTS)].fillna(0).astype(int)
        return df.rename_axis("period").reset_index()
    df[list(COUNTS)] = df[list(COUNTS)].fillna(0).astype(int)
    return df.sort_values(["period", *by]).reset_index(drop=True)


def joint_by_form(db: Database, ctx: Context, zone: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Entities covered only jointly, counted per joint form (long format)."""
    if zone == "community":
        df = coverage(db, ctx, zone, by)
        return df.assign(form="联合组建", count=df["joint"])[[*by, "form", "count"]]
    select = "".join(e + ", " for e in _group_exprs(zone, by))
    source, params = status_source(db, ctx, zone)
    sql = f"""
    WITH status AS ({source})
    SELECT {select} joint_form AS form, count(*) AS count
    FROM status WHERE covered AND NOT own GROUP BY ALL ORDER BY ALL"""
    return db.query(sql, ctx.scope, **params)


def gaps(db: Database, ctx: Context, zone: str) -> pd.DataFrame:
    """Entities not organisation-covered, largest first; and 应建未建 flags."""
    df = entity_status(db, ctx, zone)
    df = df[~df["covered"]].copy()
    if zone == "park":  # above-scale (规上) first, then by employees
        df = df.sort_values(["scale", "headcount"], ascending=[True, False])
    else:
        df = df.sort_values("headcount", ascending=False)
    return df.reset_index(drop=True)


def rate(numerator, denominator) -> float | None:
    """numerator / denominator, or None when there is nothing to cover."""
    return None if not denominator else numerator / denominator

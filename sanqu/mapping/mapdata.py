"""What the map draws, as small frames from the store (always scoped)."""

import pandas as pd

from sanqu import geography
from sanqu.context import Context
from sanqu.geography import district_centres
from sanqu.metrics.coverage import coverage, rate, status_source
from sanqu.metrics.indicators import indicator
from sanqu.programmes import sites
from sanqu.scope import Scope
from sanqu.storage.db import Database

NOT_EXACT = "无实测坐标：标在所属乡镇（街道）驻地，位置为示意"


def seat() -> str:
    """Where region-level things are drawn: the region's first county by code (Ji'an: 吉州区,
    the city seat; the NBS codes number a prefecture's urban districts first)."""
    return next(iter(geography.counties()))


def in_scope(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The rows of a city-wide frame of this module in the scope's districts: what the query gives
    for that scope (district_values, parks, enterprises, communities, scenic, demo_sites work row
    by row: a unit's status, a park's or a district's figures do not depend on the scope), so one
    city-wide result serves every district choice."""
    return df[df["district"].isin(scope.codes)].reset_index(drop=True)


def district_values(db: Database, ctx: Context, key: str) -> pd.DataFrame:
    """district, numerator, denominator, rate of one indicator (catalogue key)."""
    ind = indicator(key)
    if ind.zone == "sites":
        df = sites.district_progress(db, ctx)
    else:
        df = coverage(db, ctx, ind.zone, by=("district",))
        df = df.rename(columns={ind.numerator: "numerator", ind.denominator: "denominator"})
    df = df[["district", "numerator", "denominator"]].copy()
    df["rate"] = [rate(n, d) for n, d in zip(df["numerator"], df["denominator"])]
    return df


def township_values(db: Database, ctx: Context, key: str) -> pd.DataFrame:
    """district, township, numerator, denominator, rate of one coverage indicator per township (the
    registers' township codes); empty for an indicator not counted per township (示范点)."""
    ind = indicator(key)
    if ind.zone == "sites":
        return pd.DataFrame(columns=["district", "township", "numerator", "denominator", "rate"])
    df = coverage(db, ctx, ind.zone, by=("district", "township"))
    df = df.rename(columns={ind.numerator: "numerator", ind.denominator: "denominator"})
    df = df[["district", "township", "numerator", "denominator"]].copy()
    df["rate"] = [rate(n, d) for n, d in zip(df["numerator"], df["denominator"])]
    return df


def _status_with_location(db: Database, ctx: Context, zone: str) -> pd.DataFrame:
    """The entities' status (the store's `unit_status` for a quarter it holds) and their points."""
    source, params = status_source(db, ctx, zone)
    sql = f"""
    WITH status AS ({source})
    SELECT status.*, loc.lon AS x, loc.lat AS y, loc.exact FROM status
    JOIN locations loc USING (entity_type, entity_id)
    WHERE list_contains($scope, loc.district)
    ORDER BY status.entity_id"""
    return db.query(sql, ctx.scope, **params)


def _category(df: pd.DataFrame) -> pd.Series:
    cat = df["joint_form"].where(df["covered"] & ~df["own"], None)
    cat = cat.where(~df["own"], "单独组建")
    return cat.fillna("未覆盖")


def enterprises(db: Database, ctx: Context) -> pd.DataFrame:
    df = _status_with_location(db, ctx, "park")
    df["cover"] = _category(df)
    return df


def scenic(db: Database, ctx: Context) -> pd.DataFrame:
    df = _status_with_location(db, ctx, "scenic")
    df["cover"] = _category(df)
    return df


COMMUNITY_SQL = """
WITH lvl AS (
    SELECT entity_id AS community_id, min(level) AS org_level FROM links
    WHERE entity_type = 'community' AND form = '单独组建'
      AND active_at(valid_from, valid_to, $asof)
    GROUP BY 1
)
SELECT c.community_id, c.name, c.kind, c.district, t.name AS township_name,
       coalesce(lvl.org_level, '未单独建立') AS org_level,
       s.members, s.households, s.quarters, s.quarters_own + s.quarters_joint AS quarters_covered,
       s.two_new, s.two_new_own + s.two_new_joint AS two_new_covered, s.stars, loc.lon AS x, loc.lat AS y
FROM communities c
JOIN townships t ON t.code = c.township
JOIN locations loc ON loc.entity_type = 'community' AND loc.entity_id = c.community_id
LEFT JOIN community_stats s ON s.community_id = c.community_id AND s.period = $period
LEFT JOIN lvl ON lvl.community_id = c.community_id
WHERE list_contains($scope, c.district)
ORDER BY c.community_id
"""


def communities(db: Database, ctx: Context) -> pd.DataFrame:
    return db.query(COMMUNITY_SQL, ctx.scope, period=ctx.period, asof=ctx.period_end)


PARKS_SQL = """
SELECT p.park_id, p.name, p.level, p.district, coalesce(p.lon, t.lon) AS x, coalesce(p.lat, t.lat) AS y,
       p.lon IS NOT NULL AS exact
FROM parks p JOIN townships t ON t.code = p.park_id
WHERE list_contains($scope, p.district) ORDER BY p.park_id
"""


def parks(db: Database, ctx: Context) -> pd.DataFrame:
    df = db.query(PARKS_SQL, ctx.scope)
    cov = coverage(db, ctx, "park", by=("park",)).rename(columns={"park": "park_id"})
    df = df.merge(cov, on="park_id", how="left")
    df["rate"] = [rate(n, d) for n, d in zip(df["covered"], df["denominator"])]
    return df


SITE_LOC_SQL = """
SELECT s.site_id, loc.lon AS x, loc.lat AS y, loc.exact FROM demo_sites s
JOIN locations loc USING (entity_type, entity_id)
WHERE list_contains($scope, s.district)
"""


def demo_sites(db: Database, ctx: Context) -> pd.DataFrame:
    return sites.sites(db, ctx).merge(db.query(SITE_LOC_SQL, ctx.scope), on="site_id")


JOINT_EDGES_SQL = """
WITH live AS (
    SELECT l.org_id, l.org_name, l.form, loc.lon, loc.lat FROM links l
    JOIN locations loc USING (entity_type, entity_id)
    WHERE l.form <> '单独组建' AND active_at(l.valid_from, l.valid_to, $asof)
      AND list_contains($scope, loc.district)
)
SELECT org_name, form, lon, lat, avg(lon) OVER w AS cx, avg(lat) OVER w AS cy, count(*) OVER w AS n
FROM live WINDOW w AS (PARTITION BY org_id) ORDER BY org_id, lon, lat
"""

ORG_PLACE_SQL = """
SELECT {key}, {label}, p.district, {role} AS role, loc.lon, loc.lat FROM {table} p
JOIN locations loc ON {join}
WHERE list_contains($scope, p.district) AND {since} <= $asof
"""


def _edges(x1, y1, x2, y2, kind, label) -> pd.DataFrame:
    """Edges from (x1, y1) to (x2, y2), of a kind and with a label (values or one for all)."""
    return pd.DataFrame({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "kind": kind, "label": label})


def relations(db: Database, ctx: Context) -> pd.DataFrame:
    """Edges x1,y1 → x2,y2 with kind (joint form, 结对, 联系点) and a label."""
    joint = db.query(JOINT_EDGES_SQL, ctx.scope, asof=ctx.period_end)
    joint = joint[joint["n"] > 1]
    edges = [_edges(joint.lon, joint.lat, joint.cx, joint.cy, joint.form, joint.org_name)]
    pair_sql = ORG_PLACE_SQL.format(
        key="p.pairing_id",
        label="p.helper || ' ↔ ' || p.form",
        role="p.helper_kind",
        table="pairings",
        join="loc.entity_id = (SELECT min(entity_id) FROM org_coverage c WHERE c.org_id = p.org_id)",
        since="p.since",
    )
    point_sql = ORG_PLACE_SQL.format(
        key="p.point_id",
        label="p.leader_role || ' 工作联系点'",
        role="p.leader_role",
        table="contact_points",
        join="loc.entity_type = p.entity_type AND loc.entity_id = p.entity_id",
        since="p.since",
    )
    centres = district_centres()
    for kind, sql in (("结对互助", pair_sql), ("工作联系点", point_sql)):
        df = db.query(sql, ctx.scope, asof=ctx.period_end)
        city = df["role"].str.startswith("市") | df["role"].eq("国企党组织")
        origin = df["district"].where(~city, seat()).map(centres)
        edges.append(_edges([o[0] for o in origin], [o[1] for o in origin], df["lon"], df["lat"], kind, df.iloc[:, 1]))
    return pd.concat(edges, ignore_index=True)

"""The long-term mechanisms (长效机制): leaders' contact points and visits, pairing, Party-affairs
cadres, venues, activities and carriers, and the inspection and assessment ranking.

Definitions (shown on the pages):
- a contact point counts in a quarter when it was set up on or before the quarter's last day;
  it is visited when at least one visit is dated in the quarter. 走访率 = visited ÷ counted.
- a zone filter applies to contact points through their entity (enterprise → 工业园区, community →
  城乡社区, scenic → 旅游景区); to pairings, venues and cadres through their Party organisation's
  zone; to activities through their zone column.
- pairings count from their date (结对日期) on: as of `sites.status_day` (today for the latest
  quarter, else the quarter's last day); their activity counts, venues and cadres are the
  registers as they stand (no dates to put them in a quarter).
- cadres are shown only as aggregates; an average over fewer than MIN_GROUP cadres is withheld.
- 督查考核评比 (per quarter, per district): see ASSESSMENT_RULE; scored with ranking.score_and_rank.
  A district without an inspection in the quarter is not ranked (being left uninspected must not
  lift a district); no contact point, or no milestone due in the quarter, leaves that item out.
"""

import pandas as pd

from sanqu.areas.zones import zone_label
from sanqu.context import Context, uses
from sanqu.geography import district_name
from sanqu.ingest.registers import BY_NAME
from sanqu.metrics import places
from sanqu.metrics.ranking import notes, score_and_rank
from sanqu.programmes.sites import EVERY_FIELD, status_day
from sanqu.scope import Scope
from sanqu.storage.db import Database

VISIT_KINDS = BY_NAME["visits"].by_name("kind").allowed  # 调研 / 督查 / 指导
PAIRING_FORMS = BY_NAME["pairings"].by_name("form").allowed  # the five forms
HELPER_KINDS = BY_NAME["pairings"].by_name("helper_kind").allowed
VENUE_STATUSES = BY_NAME["venues"].by_name("status").allowed  # 已建成 / 在建 / 规划
FUNDS = {
    f: BY_NAME["venues"].by_name(f).label for f in ("fund_budget", "fund_dues", "fund_dept", "fund_self", "fund_market")
}
CADRE_FIELDS = {
    "selection": "产生方式",
    "origin": "人员来源",
    "pay_band": "报酬档次",
    "rating": "形象测评",
    "role": "职务",
}
CARRIERS = BY_NAME["activities"].by_name("carrier").allowed
MIN_GROUP = 5
GOOD_RATINGS = ("好", "较好")


def categories(field: str) -> tuple[str, ...]:
    """Allowed values of a cadre field, in the register's order."""
    return BY_NAME["cadres"].by_name(field).allowed


def _names(df: pd.DataFrame, col: str = "district", at: int = 1, scope: Scope | None = None) -> pd.DataFrame:
    """The district's name beside its code (`scope`: a per-district total of that scope, named by
    `places.area_name`: the township at a township scope)."""
    name = district_name if scope is None else (lambda code: places.area_name(code, scope))
    df.insert(at, "district_name", df[col].map(name))
    return df


# --- contact points and visits ------------------------------------------------------------------

POINT_ZONE = "entity_zone(p.entity_type)"

POINTS_SQL = f"""
WITH v AS (
    SELECT point_id, count(*) FILTER (date BETWEEN $first AND $last) AS visits,
           count(*) FILTER (date BETWEEN $first AND $last AND kind = '调研') AS research,
           count(*) FILTER (date BETWEEN $first AND $last AND kind = '督查') AS inspect,
           count(*) FILTER (date BETWEEN $first AND $last AND kind = '指导') AS guide,
           max(date) FILTER (date <= $last) AS last_visit
    FROM visits GROUP BY point_id
)
SELECT p.point_id, p.leader_role, p.district, {POINT_ZONE} AS zone, p.entity_type, p.entity_id,
       coalesce(e.name, c.name, sc.name) AS host_name, p.since,
       coalesce(v.visits, 0) AS visits, coalesce(v.research, 0) AS research,
       coalesce(v.inspect, 0) AS inspect, coalesce(v.guide, 0) AS guide, v.last_visit
FROM contact_points p
LEFT JOIN enterprises e ON p.entity_type = 'enterprise' AND e.enterprise_id = p.entity_id
LEFT JOIN communities c ON p.entity_type = 'community' AND c.community_id = p.entity_id
LEFT JOIN scenic_sites sc ON p.entity_type = 'scenic' AND sc.scenic_id = p.entity_id
LEFT JOIN v USING (point_id)
WHERE list_contains($scope, p.district) AND entity_in_township($township, p.entity_type, p.entity_id)
  AND p.since <= $last AND ($zone = '' OR {POINT_ZONE} = $zone)
ORDER BY p.district, p.point_id
"""


def contact_points(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """Contact points set up by the quarter's end, with their visits in the quarter (all and by
    kind: research 调研, inspect 督查, guide 指导) and the last visit up to the quarter's end."""
    df = db.query(POINTS_SQL, ctx.scope, first=ctx.period_start, last=ctx.period_end, zone=zone_label(zone))
    return _names(df, at=3)


def points_without_visit(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """Contact points with no visit in the quarter; never visited first, then the longest since."""
    df = contact_points(db, ctx, zone)
    df = df[df["visits"] == 0].copy()
    df["_never"] = df["last_visit"].isna()
    df = df.sort_values(["_never", "last_visit", "point_id"], ascending=[False, True, True], na_position="first")
    return df.drop(columns="_never").reset_index(drop=True)


VISITS_SQL = f"""
SELECT year(v.date) || 'Q' || quarter(v.date) AS period, v.kind, count(*) AS visits
FROM visits v JOIN contact_points p USING (point_id)
WHERE list_contains($scope, p.district) AND entity_in_township($township, p.entity_type, p.entity_id)
  AND ($zone = '' OR {POINT_ZONE} = $zone)
GROUP BY ALL
"""


@uses("scope")
def visits_by_quarter(db: Database, ctx: Context, quarters: list[str], zone: str | None = None) -> pd.DataFrame:
    """Visits per quarter (the quarters asked for, in order) and kind, zeros included (long format)."""
    df = db.query(VISITS_SQL, ctx.scope, zone=zone_label(zone))
    idx = pd.MultiIndex.from_product([list(quarters), list(VISIT_KINDS)], names=["period", "kind"])
    out = df.set_index(["period", "kind"])["visits"].reindex(idx, fill_value=0).astype(int)
    return out.reset_index()


def visit_summary(points: pd.DataFrame) -> dict[str, int]:
    """Points counted, visited, not visited, and visits in the quarter of a `contact_points` frame."""
    visited = int((points["visits"] > 0).sum())
    return {
        "points": len(points),
        "visited": visited,
        "unvisited": len(points) - visited,
        "visits": int(points["visits"].sum()),
    }


# --- pairing ----------------------------------------------------------------------------------

PAIRINGS_SQL = """
SELECT j.pairing_id, j.helper, j.helper_kind, j.org_id, o.name AS org_name, o.zone, j.district, j.form,
       j.since, j.activities
FROM pairings j JOIN party_orgs o USING (org_id)
WHERE list_contains($scope, j.district) AND org_in_township($township, j.org_id)
  AND ($zone = '' OR o.zone = $zone) AND j.since <= $day
ORDER BY j.district, j.pairing_id
"""


@uses(*EVERY_FIELD)
def pairings(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """One row per pairing formed by `sites.status_day`: helper (an organisation), the three-zone
    organisation, form, activities (as the register stands)."""
    return _names(db.query(PAIRINGS_SQL, ctx.scope, day=status_day(db, ctx), zone=zone_label(zone)), at=7)


def pairings_by(df: pd.DataFrame, column: str = "form") -> pd.DataFrame:
    """Pairings and their activities per form (all five, zeros included) or per helper kind."""
    order = PAIRING_FORMS if column == "form" else HELPER_KINDS
    g = df.groupby(column).agg(pairings=("pairing_id", "count"), activities=("activities", "sum"))
    g = g.reindex(list(order), fill_value=0).astype(int).rename_axis(column).reset_index()
    g["mean_activities"] = g["activities"] / g["pairings"].where(g["pairings"] > 0)
    return g


# --- cadres (aggregates only) ------------------------------------------------------------------

# Cadres are only ever counted, per group, by DuckDB: no cadre row leaves the store.
CADRES_SQL = """
SELECT {group} count(*) AS n, avg(c.training_hours) AS mean_hours, median(c.training_hours) AS median_hours,
       count(*) FILTER (list_contains($good, c.rating)) AS good, count(*) FILTER (c.role = '书记') AS secretaries
FROM cadres c
WHERE list_contains($scope, c.district) AND org_in_township($township, c.org_id)
  AND ($zone = '' OR c.org_id IN (SELECT org_id FROM party_orgs WHERE zone = $zone))
{group_by}
"""
# Every cadre's organisation is in party_orgs (a declared reference: the store is not built
# otherwise), so the organisations are read only to choose a zone (x100 city, every zone:
# 55-63 -> 15-18 ms a grouping).


def _cadres(db: Database, ctx: Context, zone: str | None, by: str | None = None) -> pd.DataFrame:
    """Cadre counts, mean and median training hours and counts rated 好/较好 and of 书记, per value
    of `by` (a CADRE_FIELDS field or district; None: all in one row)."""
    if by is not None and by not in (*CADRE_FIELDS, "district"):
        raise ValueError(f"cannot group cadres by {by!r}")
    group, group_by = (f"c.{by} AS {by},", "GROUP BY ALL") if by else ("", "")
    sql = CADRES_SQL.format(group=group, group_by=group_by)
    return db.query(sql, ctx.scope, zone=zone_label(zone), good=list(GOOD_RATINGS))


def _withheld(n: int, hours) -> float | None:
    """Training hours of a group, withheld under MIN_GROUP cadres."""
    return float(hours) if n >= MIN_GROUP and hours is not None and hours == hours else None


@uses("scope")
def cadre_summary(db: Database, ctx: Context, zone: str | None = None) -> dict:
    """Cadres in all, mean and median training hours (withheld under MIN_GROUP), share rated 好/较好."""
    row = _cadres(db, ctx, zone).iloc[0]
    n, good = int(row["n"]), int(row["good"])
    return {
        "cadres": n,
        "mean_hours": _withheld(n, row["mean_hours"]),
        "median_hours": _withheld(n, row["median_hours"]),
        "good": good,
        "good_share": good / n if n else None,
    }


@uses("scope")
def cadre_breakdown(db: Database, ctx: Context, field: str, zone: str | None = None) -> pd.DataFrame:
    """Cadres per value of one field (selection, origin, pay_band, rating, role): count, share,
    mean training hours (withheld under MIN_GROUP); every allowed value, in the register's order."""
    if field not in CADRE_FIELDS:
        raise ValueError(f"cannot break cadres down by {field!r}")
    g = _cadres(db, ctx, zone, field).set_index(field)
    total = int(g["n"].sum())
    out = pd.DataFrame({field: list(categories(field))})
    out["count"] = out[field].map(g["n"]).fillna(0).astype(int)
    out["share"] = out["count"] / total if total else float("nan")
    out["mean_hours"] = [
        _withheld(int(g.at[v, "n"]), g.at[v, "mean_hours"]) if v in g.index else None for v in out[field]
    ]
    return out


@uses("scope")
def cadres_by_district(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """Per district in scope: cadres, secretaries (书记), mean training hours (withheld under
    MIN_GROUP), cadres rated 好/较好 and their share."""
    g = _cadres(db, ctx, zone, "district").set_index("district")
    rows = []
    for code in ctx.scope.counties:
        n = int(g.at[code, "n"]) if code in g.index else 0
        good = int(g.at[code, "good"]) if n else 0
        rows.append(
            {
                "district": code,
                "cadres": n,
                "secretaries": int(g.at[code, "secretaries"]) if n else 0,
                "mean_hours": _withheld(n, g.at[code, "mean_hours"]) if n else None,
                "good": good,
                "good_share": good / n if n else None,
            }
        )
    return _names(pd.DataFrame(rows), scope=ctx.scope)


# --- venues -----------------------------------------------------------------------------------

VENUES_SQL = """
SELECT v.venue_id, v.org_id, o.zone, v.district, v.status, v.area_m2,
       v.fund_budget, v.fund_dues, v.fund_dept, v.fund_self, v.fund_market
FROM venues v JOIN party_orgs o USING (org_id)
WHERE list_contains($scope, v.district) AND org_in_township($township, v.org_id) AND ($zone = '' OR o.zone = $zone)
"""


@uses("scope")
def venues(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    return db.query(VENUES_SQL, ctx.scope, zone=zone_label(zone))


def venue_status(df: pd.DataFrame) -> pd.DataFrame:
    """Venues and floor area per status (已建成 / 在建 / 规划), zeros included."""
    g = df.groupby("status").agg(venues=("venue_id", "count"), area_m2=("area_m2", "sum"))
    g = g.reindex(list(VENUE_STATUSES)).fillna(0)
    g["venues"] = g["venues"].astype(int)
    return g.rename_axis("status").reset_index()


def funding_mix(df: pd.DataFrame) -> pd.DataFrame:
    """Funding (万元) per source over the five sources, with each source's share of the total."""
    amounts = [float(df[col].sum()) for col in FUNDS]
    total = sum(amounts)
    out = pd.DataFrame({"source": list(FUNDS.values()), "column": list(FUNDS), "amount": amounts})
    out["share"] = out["amount"] / total if total else float("nan")
    return out


def venues_by_district(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Per district in scope: venues per status, floor area, funding per source and in total."""
    out = pd.DataFrame({"district": list(scope.counties)})
    counts = df.groupby(["district", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(VENUE_STATUSES), fill_value=0)
    sums = df.groupby("district")[["area_m2", *FUNDS]].sum()
    out = out.merge(counts, left_on="district", right_index=True, how="left")
    out = out.merge(sums, left_on="district", right_index=True, how="left").fillna(0)
    out[list(VENUE_STATUSES)] = out[list(VENUE_STATUSES)].astype(int)
    out["funds"] = out[list(FUNDS)].sum(axis=1)
    return _names(out, scope=scope)


# --- activities and carriers --------------------------------------------------------------------

ACTIVITIES_SQL = """
SELECT district, period, zone, carrier, count, participants FROM activities
WHERE list_contains($scope, district) AND ($zone = '' OR zone = $zone)
"""


@uses("scope")
def activities(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """The activities register (district × quarter × carrier: no township; at a township scope its
    county's rows, `county_note`)."""
    return db.query(ACTIVITIES_SQL, ctx.county_wide().scope, zone=zone_label(zone))


def activities_by_district(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Times held per district (rows, every district in scope) and carrier (columns, every carrier,
    register order) in one quarter, with the total and member participations."""
    q, scope = df[df["period"] == ctx.period], ctx.scope
    wide = q.pivot_table(index="district", columns="carrier", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=list(scope.counties), columns=list(CARRIERS), fill_value=0).fillna(0).astype(int)
    wide["total"] = wide.sum(axis=1)
    wide["participants"] = (
        q.groupby("district")["participants"].sum().reindex(list(scope.counties)).fillna(0).astype(int)
    )
    return _names(wide.rename_axis(columns=None).reset_index())


def activities_by_quarter(df: pd.DataFrame, quarters: list[str]) -> pd.DataFrame:
    """Times held per quarter (the quarters asked for) and carrier, zeros included (long format)."""
    idx = pd.MultiIndex.from_product([list(quarters), list(CARRIERS)], names=["period", "carrier"])
    out = df.groupby(["period", "carrier"])["count"].sum().reindex(idx, fill_value=0).astype(int)
    return out.reset_index()


# --- inspection and assessment (督查考核评比) --------------------------------------------------------

ASSESSMENT_WEIGHTS = {"inspection": 0.5, "visit_rate": 0.3, "on_time": 0.2}
ASSESSMENT_RULE = (
    "每季度一评：得分 = 100 ×（0.5 × 督查均分/100 + 0.3 × 联系点走访率 + 0.2 × 节点按期率）。"
    "督查均分 = 本季度内示范点督查评分的平均分；联系点走访率 = 本季度有走访的联系点 ÷ 季末已建立的联系点；"
    "节点按期率 = 计划完成日期在本季度内、且在计划日期当天或之前完成的节点 ÷ 计划完成日期在本季度内的节点。"
    "本季度没有督查记录的区县不参评；无联系点时走访率不计入、本季度无到期节点时按期率不计入，"
    "其余各项按权重折算为 100 分。得分保留一位小数（四舍五入）；得分相同时，督查均分高者在前，"
    "再比走访率，最后按区县代码。"
)

ASSESSMENT_SQL = f"""
WITH s AS (
    SELECT site_id, district FROM demo_sites
    WHERE list_contains($scope, district) AND entity_in_township($township, entity_type, entity_id)
      AND ($zone = '' OR zone = $zone)
), i AS (
    SELECT s.district, count(*) AS inspections, avg(i.score) AS inspection_mean
    FROM inspections i JOIN s USING (site_id) WHERE i.date BETWEEN $first AND $last GROUP BY ALL
), m AS (
    SELECT s.district, count(*) AS due_in_period,
           count(*) FILTER (m.done IS NOT NULL AND m.done <= m.due) AS on_time_in_period
    FROM milestones m JOIN s USING (site_id) WHERE m.due BETWEEN $first AND $last GROUP BY ALL
), p AS (
    SELECT p.district, count(*) AS points,
           count(*) FILTER (EXISTS (SELECT 1 FROM visits v WHERE v.point_id = p.point_id
                                    AND v.date BETWEEN $first AND $last)) AS visited
    FROM contact_points p
    WHERE list_contains($scope, p.district) AND entity_in_township($township, p.entity_type, p.entity_id)
      AND p.since <= $last AND ($zone = '' OR {POINT_ZONE} = $zone)
    GROUP BY ALL
), d AS (SELECT unnest($scope) AS district)
SELECT d.district, coalesce(i.inspections, 0) AS inspections, i.inspection_mean,
       coalesce(p.points, 0) AS points, coalesce(p.visited, 0) AS visited,
       coalesce(m.due_in_period, 0) AS due_in_period, coalesce(m.on_time_in_period, 0) AS on_time_in_period
FROM d LEFT JOIN i USING (district) LEFT JOIN p USING (district) LEFT JOIN m USING (district)
ORDER BY d.district
"""


def assessment(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """The 督查考核评比 ranking of the districts in scope for one quarter; rule in ASSESSMENT_RULE."""
    df = db.query(ASSESSMENT_SQL, ctx.scope, first=ctx.period_start, last=ctx.period_end, zone=zone_label(zone))
    df["inspection"] = df["inspection_mean"] / 100
    df["visit_rate"] = df["visited"] / df["points"].where(df["points"] > 0)
    df["on_time"] = df["on_time_in_period"] / df["due_in_period"].where(df["due_in_period"] > 0)
    ranked = score_and_rank(
        df, ASSESSMENT_WEIGHTS, [("inspection", False), ("visit_rate", False)], eligible=df["inspections"] > 0
    )
    ranked["note"] = notes(
        [
            (ranked["inspections"] == 0, "本季度无督查，不参评"),
            (ranked["points"] == 0, "无联系点，走访率不计入"),
            (ranked["due_in_period"] == 0, "本季度无到期节点，按期率不计入"),
        ]
    )
    return _names(ranked, scope=ctx.scope)

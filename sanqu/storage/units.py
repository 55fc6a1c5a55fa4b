"""Tables derived from the registers when the store is built: enterprises and scenic sites in
one shape (units), coverage links, locations and the coverage status of every quarter, and the
macros every query shares. They are written once with the store (which is read-only after),
not computed again by every query as views would be."""

import datetime as dt

import duckdb

from sanqu.ingest.registers import ZONES
from sanqu.storage.park_rollups import create_park_rollups

ENTITY_ZONES = {"enterprise": "park", "community": "community", "scenic": "scenic"}  # entity type → zone key

VIEWS = """
-- The one rule for dated register rows (an enterprise, organisation, link, instructor…): in
-- force on day d when it started on or before d and has not ended by d (an end is exclusive).
CREATE MACRO active_at(start_d, end_d, d) AS start_d <= d AND (end_d IS NULL OR end_d > d);

-- The zone label (registers.ZONES, in the table entity_zones) of an entity type.
CREATE MACRO entity_zone(t) AS (SELECT z.zone FROM entity_zones z WHERE z.entity_type = t);

CREATE TABLE units AS
SELECT 'enterprise' AS entity_type, e.enterprise_id AS entity_id, e.name, entity_zone('enterprise') AS zone,
       e.district, e.township, e.park_id, p.name AS park_name, e.industry AS category,
       e.scale, e.ownership, NULL AS a_level, NULL AS parent_id,
       e.members, e.employees AS headcount,
       e.ownership NOT IN ('国有', '集体') AS should_cover,
       e.entered AS start_date, e.closed AS end_date, e.lon, e.lat
FROM enterprises e JOIN parks p USING (park_id)
UNION ALL
SELECT 'scenic', s.scenic_id, s.name, entity_zone('scenic'), s.district, s.township, NULL, NULL, s.kind,
       NULL, NULL, s.a_level, s.parent_id, s.members, s.staff, TRUE, s.opened, NULL, s.lon, s.lat
FROM scenic_sites s;

CREATE TABLE links AS
SELECT c.entity_type, c.entity_id, o.org_id, o.name AS org_name, o.form, o.level,
       o.district AS org_district, greatest(c.since, o.founded) AS valid_from, o.dissolved AS valid_to
FROM org_coverage c JOIN party_orgs o USING (org_id);

-- Where each entity is drawn. Without surveyed coordinates an entity sits at its township's
-- point (exact = FALSE), and villages and communities, never surveyed, spiral around it.
CREATE TABLE locations AS
SELECT 'enterprise' AS entity_type, e.enterprise_id AS entity_id, e.district, e.township,
       coalesce(e.lon, t.lon) AS lon, coalesce(e.lat, t.lat) AS lat, e.lon IS NOT NULL AS exact
FROM enterprises e JOIN townships t ON t.code = e.township
UNION ALL
SELECT 'scenic', s.scenic_id, s.district, s.township, coalesce(s.lon, t.lon), coalesce(s.lat, t.lat), s.lon IS NOT NULL
FROM scenic_sites s JOIN townships t ON t.code = s.township
UNION ALL
SELECT 'community', c.community_id, c.district, c.township,
       round(t.lon + 0.0032 * sqrt(i) * cos(i * 2.39996323), 5),
       round(t.lat + 0.0028 * sqrt(i) * sin(i * 2.39996323), 5), FALSE
FROM (SELECT *, CAST(right(community_id, 3) AS INTEGER) AS i FROM communities) c
JOIN townships t ON t.code = c.township;

-- A township scope for registers without a township column ($township NULL: any row). A demo
-- site or contact point lies in its host's township, an organisation (pairings, venues, cadres)
-- in the townships of the units it covers.
CREATE MACRO entity_in_township(tw, etype, eid) AS tw IS NULL
    OR EXISTS (SELECT 1 FROM locations x WHERE x.township = tw AND x.entity_type = etype AND x.entity_id = eid);
CREATE MACRO org_in_township(tw, org) AS tw IS NULL
    OR EXISTS (SELECT 1 FROM links l JOIN locations x USING (entity_type, entity_id)
               WHERE l.org_id = org AND x.township = tw);
"""


# The coverage status of every entity that should be covered (enterprises and scenic sites) on
# day $asof: own / joint organisation, work coverage (an instructor), 应建未建. The coverage
# engine (sanqu.metrics.coverage) reads it for every quarter of the store from `unit_status`.
STATUS_SQL = """
WITH u AS (
    SELECT * FROM units
    WHERE entity_type = $etype AND should_cover AND list_contains($scope, district)
      AND ($township IS NULL OR township = $township) AND active_at(start_date, end_date, $asof)
), l AS (
    SELECT entity_type, entity_id,
           bool_or(form = '单独组建') AS own,
           min(form) FILTER (WHERE form <> '单独组建') AS joint_form,
           min(org_id) FILTER (WHERE form <> '单独组建') AS joint_org
    FROM links
    WHERE active_at(valid_from, valid_to, $asof)
    GROUP BY ALL
), i AS (
    SELECT DISTINCT entity_type, entity_id FROM instructors
    WHERE active_at(start, "end", $asof)
), s AS (
    SELECT u.*, coalesce(l.own, FALSE) AS own,
           CASE WHEN coalesce(l.own, FALSE) THEN NULL ELSE l.joint_form END AS joint_form,
           CASE WHEN coalesce(l.own, FALSE) THEN NULL ELSE l.joint_org END AS joint_org,
           coalesce(l.own, FALSE) OR l.joint_form IS NOT NULL AS covered,
           i.entity_id IS NOT NULL AS instructor
    FROM u LEFT JOIN l USING (entity_type, entity_id) LEFT JOIN i USING (entity_type, entity_id)
)
SELECT *, covered OR instructor AS work, members >= 3 AND NOT own AS should_build FROM s
"""


# STATUS_SQL for every operating entity, those not to be covered (state-owned and collective
# enterprises, `should_cover` false) included.
ALL_STATUS_SQL = STATUS_SQL.replace("AND should_cover AND", "AND")
assert ALL_STATUS_SQL != STATUS_SQL, "STATUS_SQL changed: update ALL_STATUS_SQL"


def create_status(con: duckdb.DuckDBPyConnection) -> None:
    """`unit_status`: ALL_STATUS_SQL for every quarter of the store (table `periods`) and both
    entity types, computed once with the store instead of at every page run (STATUS_SQL is its
    rows with `should_cover`)."""
    scope = [r[0] for r in con.execute("SELECT DISTINCT district FROM units ORDER BY 1").fetchall()]
    quarters = con.execute("SELECT period, end_date FROM periods ORDER BY 1").fetchall()
    create = "CREATE TABLE unit_status AS SELECT $period AS period, * FROM (" + ALL_STATUS_SQL + ") LIMIT 0"
    whole = {"scope": scope, "township": None}
    con.execute(create, {"period": "", "etype": "enterprise", "asof": dt.date.today(), **whole})
    insert = "INSERT INTO unit_status SELECT $period, * FROM (" + ALL_STATUS_SQL + ") ORDER BY entity_id"
    for period, end in quarters:
        for etype in ("enterprise", "scenic"):
            con.execute(insert, {"period": period, "etype": etype, "asof": end, **whole})


# One row per community and quarter: size, grid units, stars and its own organisation's level
# (the highest of its 单独组建 organisations active at the quarter's end; 0 = none). The table
# `community_status` holds it for every quarter of the store (sanqu.areas.communities reads it).
COMMUNITY_STATUS_SQL = """
WITH lv AS (
    SELECT l.entity_id AS community_id, p.period,
           min(CASE l.level WHEN '党委' THEN 1 WHEN '党总支' THEN 2 WHEN '党支部' THEN 3 ELSE 4 END) AS rank,
           arg_min(l.org_name, CASE l.level WHEN '党委' THEN 1 WHEN '党总支' THEN 2 WHEN '党支部' THEN 3 ELSE 4 END)
               AS org_name
    FROM links l JOIN periods p ON active_at(l.valid_from, l.valid_to, p.end_date)
    WHERE l.entity_type = 'community' AND l.form = '单独组建'
    GROUP BY ALL
)
SELECT s.period, s.community_id, c.name, s.district, c.township, t.name AS township_name, c.kind, c.area_km2,
       s.households, s.members, s.quarters, s.quarters_own, s.quarters_joint, s.quarters_liaison,
       s.buildings, s.buildings_group, s.two_new, s.two_new_own, s.two_new_joint, s.two_new_liaison, s.stars,
       coalesce(lv.rank, 0) AS level_rank, lv.org_name
FROM community_stats s
JOIN communities c USING (community_id)
LEFT JOIN townships t ON t.code = c.township
LEFT JOIN lv ON lv.community_id = s.community_id AND lv.period = s.period
WHERE list_contains($scope, s.district) AND list_contains($periods, s.period)
ORDER BY s.period, s.community_id
"""


def create_community_status(con: duckdb.DuckDBPyConnection) -> None:
    """`community_status`: COMMUNITY_STATUS_SQL for every district and quarter, once with the store."""
    scope = [r[0] for r in con.execute("SELECT DISTINCT district FROM community_stats ORDER BY 1").fetchall()]
    quarters = [r[0] for r in con.execute("SELECT period FROM periods ORDER BY 1").fetchall()]
    con.execute("CREATE TABLE community_status AS " + COMMUNITY_STATUS_SQL, {"scope": scope, "periods": quarters})


# The upgrade rule of 城乡社区 (sanqu.areas.communities states it on the page): 100 members or
# more, or 20 km² or more with at least 50 members.
UPGRADE_MEMBERS = 100
UPGRADE_AREA_KM2 = 20.0
UPGRADE_AREA_MEMBERS = 50
BIG_SQL = f"(members >= {UPGRADE_MEMBERS} OR (area_km2 >= {UPGRADE_AREA_KM2} AND members >= {UPGRADE_AREA_MEMBERS}))"
GRID_COLUMNS = (
    "members", "households", "quarters", "quarters_own", "quarters_joint", "quarters_liaison", "buildings",
    "buildings_group", "two_new", "two_new_own", "two_new_joint", "two_new_liaison",
)  # fmt: skip
# `community_status` summed per quarter, township, kind, level, stars and the upgrade rule (`big`):
# every count of the 城乡社区 page is a sum over it (a few thousand rows, however many communities)
COMMUNITY_ROLLUP_SQL = f"""
CREATE TABLE community_rollup AS
SELECT period, district, township, any_value(township_name) AS township_name, kind, level_rank, stars, big,
       count(*) AS n, {", ".join(f"sum({c}) AS {c}" for c in GRID_COLUMNS)}
FROM (SELECT *, {BIG_SQL} AS big FROM community_status)
GROUP BY period, district, township, kind, level_rank, stars, big ORDER BY ALL
"""


# Three or more full members set up their own organisation (Party constitution, Art. 30): the
# parks page counts such enterprises (sanqu.areas.parks), the store sums by it (unit_rollup).
DUE_MEMBERS = 3
ROLLUP_KEYS = (
    "period", "entity_type", "should_cover", "district", "township", "park_id", "scale", "category",
    "ownership", "a_level", "own", "covered", "work", "instructor", "should_build", "joint_form", "due",
)  # fmt: skip
# `unit_status` summed per quarter, place, park, kind of entity and coverage flags: the zone pages'
# counts are sums over it (≈ 8,000 rows at ×100 the demo, against 1.4 million)
UNIT_ROLLUP_SQL = f"""
CREATE TABLE unit_rollup AS
SELECT {", ".join(ROLLUP_KEYS)}, count(*) AS n, sum(headcount) AS headcount, sum(members) AS members
FROM (SELECT *, members >= {DUE_MEMBERS} AS due FROM unit_status)
GROUP BY {", ".join(ROLLUP_KEYS)} ORDER BY ALL
"""


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE entity_zones (entity_type VARCHAR, zone VARCHAR)")
    con.executemany("INSERT INTO entity_zones VALUES (?, ?)", [(t, ZONES[z]) for t, z in ENTITY_ZONES.items()])
    for statement in VIEWS.split(";"):
        if statement.strip():
            con.execute(statement)
    create_status(con)
    create_community_status(con)
    con.execute(COMMUNITY_ROLLUP_SQL)
    con.execute(UNIT_ROLLUP_SQL)
    con.execute(UNIT_COUNTS_SQL)
    con.execute(COMMUNITY_COUNTS_SQL)
    con.execute(INSTRUCTOR_STATUS_SQL)
    create_park_rollups(con)


# The instructors in post at the end of every quarter of the store on the enterprises to be covered,
# with where they come from and the enterprise's place, park, scale and industry: 工业园区 counts
# them per source (a join of every instructor with the quarter's status at each run: 23 -> 3 ms at
# x100 city). An enterprise's instructors are counted once per source (count DISTINCT).
INSTRUCTOR_STATUS_SQL = """
CREATE TABLE instructor_status AS
SELECT u.period, i.source, i.entity_id, i.district AS instructor_district,
       u.district, u.township, u.park_id, u.scale, u.category
FROM instructors i
JOIN periods p ON active_at(i.start, i."end", p.end_date)
JOIN unit_status u ON u.period = p.period AND u.entity_type = 'enterprise' AND u.entity_id = i.entity_id
WHERE i.entity_type = 'enterprise' AND u.should_cover
ORDER BY u.period, i.source, i.entity_id
"""


# The counts of `unit_status` (entities to be covered) per quarter, entity type and district: what
# the overview, the rankings and the trends ask for, read from ≤ quarters × 2 × districts rows
# instead of every entity (sanqu.metrics.coverage uses it when the scope is whole districts).
UNIT_COUNTS_SQL = """
CREATE TABLE unit_counts AS
SELECT period, entity_type, district,
       count(*) AS denominator, count(*) FILTER (own) AS own,
       count(*) FILTER (covered AND NOT own) AS joint, count(*) FILTER (covered) AS covered,
       count(*) FILTER (work) AS work, count(*) FILTER (instructor) AS instructor,
       count(*) FILTER (should_build) AS should_build
FROM unit_status WHERE should_cover GROUP BY ALL ORDER BY ALL
"""

# The same for communities: their grid units (residential quarters and two-new organisations)
# per quarter and district, as sanqu.metrics.coverage.COMMUNITY_SQL counts them.
# The grid-unit counts of a community (residential quarters and two-new organisations), summed:
# one definition for the stored per-district totals below and sanqu.metrics.coverage.COMMUNITY_SQL.
GRID_SUMS = """
       sum(s.quarters + s.two_new) AS denominator,
       sum(s.quarters_own + s.two_new_own) AS own,
       sum(s.quarters_joint + s.two_new_joint) AS joint,
       sum(s.quarters_own + s.two_new_own + s.quarters_joint + s.two_new_joint) AS covered,
       sum(s.quarters_own + s.two_new_own + s.quarters_joint + s.two_new_joint
           + s.quarters_liaison + s.two_new_liaison) AS work,
       sum(s.quarters_liaison + s.two_new_liaison) AS instructor,
       0 AS should_build"""

COMMUNITY_COUNTS_SQL = f"""
CREATE TABLE community_counts AS
SELECT s.period, 'community' AS entity_type, s.district,{GRID_SUMS}
FROM community_stats s JOIN communities c USING (community_id)
GROUP BY ALL ORDER BY ALL
"""

"""Views that put enterprises and scenic sites in one shape (units) for coverage, and the
macros every query shares."""

import duckdb

from sanqu.ingest.registers import ZONES

ENTITY_ZONES = {"enterprise": "park", "community": "community", "scenic": "scenic"}  # entity type → zone key

VIEWS = """
-- The one rule for dated register rows (an enterprise, organisation, link, instructor…): in
-- force on day d when it started on or before d and has not ended by d (an end is exclusive).
CREATE MACRO active_at(start_d, end_d, d) AS start_d <= d AND (end_d IS NULL OR end_d > d);

-- The zone label (registers.ZONES, in the table entity_zones) of an entity type.
CREATE MACRO entity_zone(t) AS (SELECT z.zone FROM entity_zones z WHERE z.entity_type = t);

CREATE VIEW units AS
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

CREATE VIEW links AS
SELECT c.entity_type, c.entity_id, o.org_id, o.name AS org_name, o.form, o.level,
       o.district AS org_district, greatest(c.since, o.founded) AS valid_from, o.dissolved AS valid_to
FROM org_coverage c JOIN party_orgs o USING (org_id);

-- Where each entity is drawn. Without surveyed coordinates an entity sits at its township's
-- point (exact = FALSE), and villages and communities, never surveyed, spiral around it.
CREATE VIEW locations AS
SELECT 'enterprise' AS entity_type, e.enterprise_id AS entity_id, e.district,
       coalesce(e.lon, t.lon) AS lon, coalesce(e.lat, t.lat) AS lat, e.lon IS NOT NULL AS exact
FROM enterprises e JOIN townships t ON t.code = e.township
UNION ALL
SELECT 'scenic', s.scenic_id, s.district, coalesce(s.lon, t.lon), coalesce(s.lat, t.lat), s.lon IS NOT NULL
FROM scenic_sites s JOIN townships t ON t.code = s.township
UNION ALL
SELECT 'community', c.community_id, c.district,
       round(t.lon + 0.0032 * sqrt(i) * cos(i * 2.39996323), 5),
       round(t.lat + 0.0028 * sqrt(i) * sin(i * 2.39996323), 5), FALSE
FROM (SELECT *, CAST(right(community_id, 3) AS INTEGER) AS i FROM communities) c
JOIN townships t ON t.code = c.township;
"""


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE entity_zones (entity_type VARCHAR, zone VARCHAR)")
    con.executemany("INSERT INTO entity_zones VALUES (?, ?)", [(t, ZONES[z]) for t, z in ENTITY_ZONES.items()])
    for statement in VIEWS.split(";"):
        if statement.strip():
            con.execute(statement)

"""工业园区's organisation tree with its subtree totals, and the places of the joint organisations
(the gap list's nearest one), written with the store for every quarter it holds, for the whole
store and for each district (`rolled_key`); any other quarter or scope (a township, a few
districts) runs the same SQL live. One text both ways: the scopes are rows (`k`, district) that the
build lists (WHOLE_AND_EACH) and a live query makes of its `$scope` (LIVE), so the stored rows are
the live query's. ×100 city: the tree's query 120-140 -> about 15 ms, the places' 80 -> 1 ms."""

import duckdb

from sanqu.context import Context
from sanqu.ingest.registers import JOINT_FORMS_PARK
from sanqu.storage.db import Database

MAX_DEPTH = 64  # deeper than any organisation tree: a path this long is a cycle in the parents
WHOLE = "*"  # the key of the whole store's rows
LIVE = "SELECT 'live' AS k, unnest($scope) AS district"
# the build's scopes: the whole store ('*') and each of its districts (its code)
WHOLE_AND_EACH = (
    f"SELECT '{WHOLE}' AS k, d AS district FROM unnest($scope) u(d) UNION ALL SELECT d, d FROM unnest($scope) u(d)"
)

# A township scope's organisations: those covering an enterprise of the township, with their
# ancestors (`here`). Only in the township form: at a county or the city the recursion over every
# link cost ~60 of 70 ms at x100 even with $township NULL (the plan is made before the parameter
# is known).
_HERE = """here(org_id) AS (
    SELECT l.org_id FROM links l JOIN enterprises e ON e.enterprise_id = l.entity_id
    WHERE l.entity_type = 'enterprise' AND e.township = $township
    UNION
    SELECT p.parent_id FROM here h JOIN party_orgs p USING (org_id) WHERE p.parent_id IS NOT NULL
), """
# scopes: (k, district) of each scope computed; o: the organisations of each scope active at the
# quarter's end; c: the enterprises each organisation covers (any district: a branch registered in
# one may cover enterprises of another); n: o with c.
_NODES = """
WITH RECURSIVE {here}scopes AS ({scopes}), o AS (
    SELECT sc.k, p.org_id, p.name, p.level, p.parent_id, p.district, p.form, p.members
    FROM party_orgs p JOIN scopes sc ON sc.district = p.district
    WHERE p.zone = entity_zone('enterprise'){in_here} AND active_at(p.founded, p.dissolved, $asof)
), c AS (
    SELECT l.org_id, count(DISTINCT l.entity_id) AS enterprises
    FROM links l JOIN enterprises e ON e.enterprise_id = l.entity_id
    WHERE l.entity_type = 'enterprise' AND active_at(l.valid_from, l.valid_to, $asof)
      AND active_at(e.entered, e.closed, $asof){in_township}
    GROUP BY l.org_id
),
n AS (SELECT o.*, coalesce(c.enterprises, 0) AS direct_enterprises FROM o LEFT JOIN c USING (org_id))"""


def nodes_ctes(scopes: str, township: bool) -> str:
    """The CTEs up to `n` (each scope's organisations with the enterprises they cover directly)."""
    if not township:
        return _NODES.format(here="", scopes=scopes, in_here="", in_township="")
    return _NODES.format(
        here=_HERE,
        scopes=scopes,
        in_here="\n      AND ($township IS NULL OR p.org_id IN (SELECT org_id FROM here))",
        in_township=" AND ($township IS NULL OR e.township = $township)",
    )


# After `n`: t, each organisation's parent in its scope ('root' when outside it or none); up, its
# ancestors (d: how far up; a path of MAX_DEPTH steps is a cycle); s, the subtree totals.
SUBTREES = """,
t AS (
    SELECT n.*, CASE WHEN n.parent_id IN (SELECT m.org_id FROM n m WHERE m.k = n.k) THEN n.parent_id ELSE 'root' END
        AS parent
    FROM n
),
up(k, org_id, anc, d) AS (
    SELECT k, org_id, parent, 1 FROM t WHERE parent <> 'root'
    UNION ALL
    SELECT up.k, up.org_id, t.parent, up.d + 1 FROM up JOIN t ON t.k = up.k AND t.org_id = up.anc
    WHERE t.parent <> 'root' AND up.d < $max_depth
),
sub AS (
    SELECT up.k, up.anc AS org_id, sum(t.members)::BIGINT AS members, sum(t.direct_enterprises)::BIGINT AS enterprises
    FROM up JOIN t USING (k, org_id) GROUP BY up.k, up.anc
),
s AS (
    SELECT t.k, t.org_id, t.parent, t.name, t.level, t.form, t.district, t.direct_enterprises,
           t.members + coalesce(sub.members, 0) AS members,
           t.direct_enterprises + coalesce(sub.enterprises, 0) AS enterprises
    FROM t LEFT JOIN sub USING (k, org_id)
)"""

# The stored rows: s with each organisation's height (its longest path up: MAX_DEPTH, a cycle)
SUBTREE_ROWS = """
SELECT s.*, coalesce(h.height, 0) AS height FROM s
LEFT JOIN (SELECT k, org_id, max(d) AS height FROM up GROUP BY k, org_id) h USING (k, org_id)
"""
STORED_SUBTREES = """
WITH s AS (
    SELECT * EXCLUDE (period) FROM org_subtrees WHERE period = $period AND k = $key AND list_contains($scope, district)
)"""


# The places of the joint organisations (企企合建 / 村企共建 / 企会联建) active at the quarter's end,
# where an operating enterprise of the scope they cover lies. A place's first member: the least
# (organisation, enterprise) there; its other: the least one of another enterprise (for a point
# that is the first's own). Taken by min_by over structs, one aggregate a place, rather than
# numbering every member by window (x100 city: 74,900 members, 679 places; 115-150 -> 80-95 ms).
_PLACES = """
WITH scopes AS ({scopes}), members AS (
    SELECT sc.k, l.org_id, l.org_name, l.form, l.entity_id AS via, loc.lon, loc.lat
    FROM links l
    JOIN enterprises e ON e.enterprise_id = l.entity_id
    JOIN scopes sc ON sc.district = e.district
    JOIN locations loc ON loc.entity_type = 'enterprise' AND loc.entity_id = l.entity_id
    WHERE l.entity_type = 'enterprise' AND ($township IS NULL OR e.township = $township)
      AND list_contains($forms, l.form)
      AND active_at(l.valid_from, l.valid_to, $asof) AND active_at(e.entered, e.closed, $asof)
      AND loc.lon IS NOT NULL AND loc.lat IS NOT NULL
), firsts AS (
    SELECT k, lon, lat, min_by(struct_pack(org_id, org_name, form, via), struct_pack(org_id, via)) AS f
    FROM members GROUP BY k, lon, lat
), others AS (
    SELECT m.k, m.lon, m.lat, min_by(struct_pack(m.org_id, m.org_name, m.form), struct_pack(m.org_id, m.via)) AS o
    FROM members m JOIN firsts f ON f.k = m.k AND f.lon = m.lon AND f.lat = m.lat AND m.via <> f.f.via
    GROUP BY m.k, m.lon, m.lat
)
SELECT f.k, f.lon, f.lat, f.f.org_id, f.f.org_name, f.f.form, f.f.via,
       o.o.org_id AS alt_org_id, o.o.org_name AS alt_org_name, o.o.form AS alt_form
FROM firsts f LEFT JOIN others o ON o.k = f.k AND o.lon = f.lon AND o.lat = f.lat
"""
PLACES_ORDER = " ORDER BY org_id, via"
PLACES_SQL = f"SELECT * EXCLUDE (k) FROM ({_PLACES.format(scopes=LIVE)})" + PLACES_ORDER  # of a scope, live
STORED_PLACES_SQL = f"""
SELECT * EXCLUDE (period, k) FROM joint_places
WHERE period = $period AND k = $key AND (k = '{WHOLE}' OR list_contains($scope, k)){PLACES_ORDER}"""
JOINT_FORMS = list(JOINT_FORMS_PARK)


def create_park_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """`org_subtrees` and `joint_places` of every quarter of the store, for the whole store and each
    of its districts (one query a quarter for all of them); the districts in meta (`rolled_districts`)."""
    ds = [
        r[0]
        for r in con.execute(
            "SELECT district FROM party_orgs UNION SELECT district FROM enterprises ORDER BY 1"
        ).fetchall()
    ]
    subtrees = nodes_ctes(WHOLE_AND_EACH, False) + SUBTREES + SUBTREE_ROWS
    places = _PLACES.format(scopes=WHOLE_AND_EACH)
    quarters = con.execute("SELECT period, end_date FROM periods ORDER BY 1").fetchall()
    for table, sql, order in (("org_subtrees", subtrees, "k, org_id"), ("joint_places", places, "k, lon, lat")):
        _run(con, f"CREATE TABLE {table} AS SELECT ''::VARCHAR AS period, * FROM ({sql}) LIMIT 0", ds, "", None)
        for period, end in quarters:
            _run(con, f"INSERT INTO {table} SELECT $period, * FROM ({sql}) ORDER BY {order}", ds, period, end)
    con.execute("INSERT INTO meta VALUES ('rolled_districts', ?)", [",".join(ds)])


def _run(con: duckdb.DuckDBPyConnection, sql: str, ds: list[str], period: str, asof: object) -> None:
    """`sql` with the build's parameters that it uses (DuckDB refuses the others)."""
    args = {"scope": ds, "period": period, "asof": asof, "township": None, "max_depth": MAX_DEPTH, "forms": JOINT_FORMS}
    con.execute(sql, {k: v for k, v in args.items() if f"${k}" in sql})


def rolled_key(db: Database, ctx: Context) -> str | None:
    """The key of the stored rows that are the scope's at the quarter (its district's code, or WHOLE
    when the scope holds every district of the store), or None: compute them live (a township, a
    quarter the store does not hold, a scope of a few districts, a store built without them)."""
    built = db.meta().get("rolled_districts")
    if built is None or ctx.scope.township or ctx.period not in db.periods():
        return None
    counties, districts = list(ctx.scope.counties), set(built.split(",")) - {""}
    if len(counties) == 1 and counties[0] in districts:
        return counties[0]
    return WHOLE if districts <= set(counties) else None

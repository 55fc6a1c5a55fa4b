"""The organisation tree of a whole scope as the treemap draws it, rolled up and folded by DuckDB.

`parks.tree` hands every organisation to pandas, which sums each subtree and then
`park_page.drawn` leaves out the lowest levels above the treemap's cap: at ×100 that is
102,800 rows for at most 2,000 boxes. Here the store sums the subtrees and keeps only the
rows drawn, with the counts the page shows beside the tree; the same rows, totals and counts
(tests compare the two ways).
"""

from dataclasses import dataclass

import pandas as pd

from sanqu.areas.parks import MAX_DEPTH, ROOT_ID, TREE_CTES
from sanqu.context import Context
from sanqu.storage.db import Database

LEVELS = ("党工委", "党总支", "党支部")  # the levels `parks.tree_levels` counts, in its order
FOLDED_LEVELS = ("党支部", "党总支")  # left out in this order, lowest first, while above the cap

# t: every organisation with its parent in the scope ('root' when outside or none); up: each
# one's ancestors (d: how far up; a path of MAX_DEPTH steps is a cycle); s: subtree totals; agg:
# the counts over every organisation, taken before the folded levels are left out (one row, kept
# even when no organisation is).
FOLDED_SELECT = """,
n AS (SELECT o.*, coalesce(c.enterprises, 0) AS direct_enterprises FROM o LEFT JOIN c USING (org_id)),
t AS (
    SELECT n.*, CASE WHEN n.parent_id IN (SELECT org_id FROM n) THEN n.parent_id ELSE 'root' END AS parent FROM n
),
up(org_id, anc, d) AS (
    SELECT org_id, parent, 1 FROM t WHERE parent <> 'root'
    UNION ALL
    SELECT up.org_id, t.parent, up.d + 1 FROM up JOIN t ON t.org_id = up.anc
    WHERE t.parent <> 'root' AND up.d < $max_depth
),
sub AS (
    SELECT up.anc AS org_id, sum(t.members)::BIGINT AS members, sum(t.direct_enterprises)::BIGINT AS enterprises
    FROM up JOIN t USING (org_id) GROUP BY up.anc
),
s AS (
    SELECT t.org_id, t.parent, t.name, t.level, t.form, t.district, t.direct_enterprises,
           t.members + coalesce(sub.members, 0) AS members,
           t.direct_enterprises + coalesce(sub.enterprises, 0) AS enterprises
    FROM t LEFT JOIN sub USING (org_id)
),
agg AS (
    SELECT 1 + count(*) AS boxes,
           count(*) FILTER (level = '党工委') AS n_gw,
           count(*) FILTER (level = '党总支') AS n_zz,
           count(*) FILTER (level = '党支部') AS n_zb,
           coalesce(sum(direct_enterprises) FILTER (level = '党工委'), 0)::BIGINT AS e_gw,
           coalesce(sum(direct_enterprises) FILTER (level = '党总支'), 0)::BIGINT AS e_zz,
           coalesce(sum(direct_enterprises) FILTER (level = '党支部'), 0)::BIGINT AS e_zb,
           coalesce(sum(members) FILTER (parent = 'root'), 0)::BIGINT AS root_members,
           coalesce(sum(enterprises) FILTER (parent = 'root'), 0)::BIGINT AS root_enterprises,
           (SELECT coalesce(max(d), 0) FROM up) AS deepest
    FROM s
),
kept AS (
    SELECT s.* FROM s, agg
    WHERE NOT (s.level = '党支部' AND agg.boxes > $limit)
      AND NOT (s.level = '党总支' AND agg.boxes > $limit AND agg.boxes - agg.n_zb > $limit)
)
SELECT agg.*, kept.* FROM agg LEFT JOIN kept ON true
ORDER BY kept.org_id
"""
FOLDED_SQL = {township: ctes + FOLDED_SELECT for township, ctes in TREE_CTES.items()}  # by township scope


ORGS_SQL = """
SELECT count(*) AS n FROM party_orgs WHERE zone = entity_zone('enterprise') AND list_contains($scope, district)
"""


def folds(db: Database, ctx: Context, limit: int) -> bool:
    """Whether the scope may hold more organisations than `limit` boxes: the whole tree is then
    left to `folded_tree` (below it, pandas rolls the few rows up faster than the recursive SQL:
    ×1 city, 1,029 organisations, 15 against 27 ms). Counted without the quarter or a township,
    so at most more than the tree: either way gives the same rows."""
    return int(db.query(ORGS_SQL, ctx.county_wide().scope)["n"].iloc[0]) + 1 > limit


@dataclass(frozen=True)
class FoldedTree:
    rows: pd.DataFrame  # the rows of `parks.tree` the treemap draws (`park_page.drawn`), root first
    levels: pd.DataFrame  # `parks.tree_levels` of the whole tree
    folded: tuple[tuple[str, int], ...]  # the levels left out, lowest first, with how many of each


NODE_COLUMNS = ["org_id", "parent", "name", "level", "form", "district", "members", "enterprises", "direct_enterprises"]


def folded_tree(db: Database, ctx: Context, limit: int) -> FoldedTree | None:
    """The whole scope's tree (`parks.tree` without a park) as the treemap draws it with at most
    `limit` boxes: the rows `park_page.drawn(parks.tree(db, ctx), limit)` keeps, the levels'
    counts and what was folded, with only the drawn rows leaving the store. None when the
    register's parents have a cycle (`parks.tree` then rolls up node by node)."""
    sql = FOLDED_SQL[bool(ctx.scope.township)]
    df = db.query(sql, ctx.scope, asof=ctx.period_end, limit=limit, max_depth=MAX_DEPTH)
    top = df.iloc[0]
    if int(top["deepest"]) >= MAX_DEPTH:
        return None
    nodes = df.dropna(subset=["org_id"])[NODE_COLUMNS]
    root: dict[str, object] = dict(org_id=ROOT_ID, parent="", name="", level="", form="", district="")
    root |= dict(members=int(top["root_members"]), enterprises=int(top["root_enterprises"]), direct_enterprises=0)
    rows = pd.concat([pd.DataFrame([root]), nodes], ignore_index=True)
    for col in ("members", "enterprises", "direct_enterprises"):
        rows[col] = rows[col].astype(int)
    short = {"党工委": "gw", "党总支": "zz", "党支部": "zb"}
    levels = pd.DataFrame(
        [(lv, int(top[f"n_{short[lv]}"]), int(top[f"e_{short[lv]}"])) for lv in LEVELS if top[f"n_{short[lv]}"] > 0],
        columns=["level", "orgs", "enterprises"],
    )
    folded: list[tuple[str, int]] = []
    boxes = int(top["boxes"])
    for level in FOLDED_LEVELS:
        if boxes <= limit:
            break
        n = int(top[f"n_{short[level]}"])
        folded.append((level, n))
        boxes -= n
    return FoldedTree(rows[NODE_COLUMNS], levels, tuple(folded))

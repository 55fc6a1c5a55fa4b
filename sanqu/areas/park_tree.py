"""The organisation tree of a whole scope as the treemap draws it, rolled up and folded by DuckDB.

`parks.tree` hands every organisation to pandas, which sums each subtree and then
`park_page.drawn` leaves out the lowest levels above the treemap's cap: at ×100 that is
102,800 rows for at most 2,000 boxes. Here the store sums the subtrees and keeps only the
rows drawn, with the counts the page shows beside the tree; the same rows, totals and counts
(tests compare the two ways). For a quarter the store holds and the whole store or one district,
the subtrees were summed when it was built (`park_rollups`): only the fold runs here.
"""

from dataclasses import dataclass

import pandas as pd

from sanqu.areas.parks import ROOT_ID
from sanqu.context import Context
from sanqu.storage import park_rollups as rollups
from sanqu.storage.db import Database

LEVELS = ("党工委", "党总支", "党支部")  # the levels `parks.tree_levels` counts, in its order
FOLDED_LEVELS = ("党支部", "党总支")  # left out in this order, lowest first, while above the cap

# After s (park_rollups: each organisation with its subtree's totals, live or stored): agg, the
# counts over every organisation, taken before the folded levels are left out (one row, kept even
# when no organisation is; deepest: the longest path up, MAX_DEPTH a cycle); kept, the rows drawn.
FOLD_SELECT = """,
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
           {deepest} AS deepest
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
LIVE_DEEPEST, STORED_DEEPEST = "(SELECT coalesce(max(d), 0) FROM up)", "coalesce(max(height), 0)"
FOLDED_SQL = {  # live, by township scope
    township: rollups.nodes_ctes(rollups.LIVE, township) + rollups.SUBTREES + FOLD_SELECT.format(deepest=LIVE_DEEPEST)
    for township in (True, False)
}
STORED_FOLDED_SQL = rollups.STORED_SUBTREES + FOLD_SELECT.format(deepest=STORED_DEEPEST)


ORGS_SQL = """
SELECT count(*) AS n FROM party_orgs WHERE zone = entity_zone('enterprise') AND list_contains($scope, district)
"""


def folds(db: Database, ctx: Context, limit: int) -> bool:
    """Whether the whole scope's tree is left to `folded_tree`: when the store holds its subtrees
    (`park_rollups`), or when it may hold more organisations than `limit` boxes (below that, pandas
    rolls the few rows up faster than the recursive SQL: ×1 city, 1,029 organisations, 15 against
    27 ms; counted without the quarter or a township, so at most more than the tree). Either way
    gives the same rows."""
    if rollups.rolled_key(db, ctx) is not None:
        return True
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
    key = rollups.rolled_key(db, ctx)
    if key is None:
        sql = FOLDED_SQL[bool(ctx.scope.township)]
        df = db.query(sql, ctx.scope, asof=ctx.period_end, limit=limit, max_depth=rollups.MAX_DEPTH)
    else:
        df = db.query(STORED_FOLDED_SQL, ctx.scope, period=ctx.period, key=key, limit=limit)
    top = df.iloc[0]
    if int(top["deepest"]) >= rollups.MAX_DEPTH:
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

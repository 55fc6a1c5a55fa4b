"""The 工业园区 page's counts of one choice (park, scale, industry) in one query: its totals, its
counts per park, district, industry and scale, per quarter (the trend) and per ownership, summed by
DuckDB over `unit_rollup` instead of a query a table (`parks.totals`, `by_park`, `by_district`,
`by_category`, `scales`, `trend`, `by_ownership`; the same frames)."""

from dataclasses import dataclass

import pandas as pd

from sanqu.areas import parks, zones
from sanqu.areas.zones import ALL
from sanqu.context import Context
from sanqu.storage.db import Database

NOW = "period = $period AND should_cover"  # the quarter's enterprises to be covered
MINE = "($park IS NULL OR park_id = $park)"  # of the chosen park (all: every park)
PUBLIC = "CASE WHEN list_contains($public, ownership) THEN $kind_public ELSE $kind_private END"

# The sets a row of unit_rollup is counted in: (name, the set's key, the rows it counts). Every park
# is counted apart (by_park ignores the chosen park); the trend counts every quarter, the ownership
# rows (parks.KINDS) also the enterprises not to be covered, as `parks.trend` and `by_ownership` do.
SETS = (
    ("period", "period", f"should_cover AND {MINE}"),
    ("park_id", "park_id", NOW),
    ("district", "district", f"{NOW} AND {MINE}"),
    ("category", "category", f"{NOW} AND {MINE}"),
    ("scale", "scale", f"{NOW} AND {MINE}"),
    ("total", "NULL", f"{NOW} AND {MINE}"),
    ("kind", PUBLIC, f"period = $period AND ownership IS NOT NULL AND {MINE}"),
)


def _cases(of: int) -> str:
    """`CASE i WHEN 0 THEN … END` of item `of` of each set (0: name, 1: key, 2: rows), the name quoted."""
    picked = (f"'{s[0]}'" if of == 0 else s[of] for s in SETS)
    return "CASE i " + " ".join(f"WHEN {i} THEN {x}" for i, x in enumerate(picked)) + " END"


# Each row once per set (a join with the set numbers, kept where the set counts it), then one
# GROUP BY: one scan and one hash table (GROUPING SETS made one per set: 9 ms for five; the trend
# and ownership queries 6 ms more each).
COUNTS_SQL = f"""WITH keyed AS (
    SELECT {_cases(0)} AS g, {_cases(1)} AS v, * FROM (
        SELECT * FROM unit_rollup WHERE entity_type = $etype AND list_contains($scope, district)
          AND ($township IS NULL OR township = $township) AND ($scale IS NULL OR scale = $scale)
          AND ($category IS NULL OR category = $category)
    ) r, range({len(SETS)}) s(i)
    WHERE {_cases(2)}
)
SELECT g, v, {zones.rolled(parks.TOTALS_SQL)} FROM keyed GROUP BY g, v ORDER BY g, v"""


@dataclass(frozen=True)
class ParkGroups:
    totals: dict[str, int]  # parks.totals
    by_park: pd.DataFrame  # parks.by_park (every park in scope, whatever park is chosen)
    by_district: pd.DataFrame
    by_category: pd.DataFrame
    scales: pd.DataFrame
    trend: pd.DataFrame  # parks.trend
    by_ownership: pd.DataFrame  # parks.by_ownership


def groups(db: Database, ctx: Context, park: str = ALL, scale: str = ALL, industry: str = ALL) -> ParkGroups:
    """The page's totals and tables for the choice: one query for a quarter the store holds (else
    each from the status rows, as `parks` computes them)."""
    if ctx.period not in db.periods():
        return ParkGroups(
            parks.totals(db, ctx, park, scale, industry),
            parks.by_park(db, ctx, scale, industry),
            parks.by_district(db, ctx, park, scale, industry),
            parks.by_category(db, ctx, park, scale, industry),
            parks.scales(db, ctx, park, scale, industry),
            parks.trend(db, ctx, park, scale, industry),
            parks.by_ownership(db, ctx, park, scale, industry),
        )
    df = _counts(db, ctx, park, scale, industry)
    sets = df["g"].to_numpy(dtype=object)
    keyed = df["v"].notna().to_numpy()
    counted = parks.counted(df, "v")  # every set's counts as integers, with the rates, at once

    def rows(name: str, by: str) -> pd.DataFrame:
        """The counts of one set (`parks.counted`; an empty key left out), its key named `by`, in its order."""
        picked = counted[(sets == name) & keyed].rename(columns={"v": by}).reset_index(drop=True)
        empty_text = picked.empty and picked[by].dtype != object  # DuckDB's no rows: an object column
        return picked.astype({by: object}) if empty_text else picked

    total = df[sets == "total"].to_dict("records")  # none: nothing counted
    quarters = df[sets == "period"].rename(columns={"v": "period"})
    return ParkGroups(
        totals={k: int(total[0][k]) if total else 0 for k in parks.TOTALS_SQL},
        by_park=parks.with_parks(db, ctx, rows("park_id", "park_id")),
        by_district=parks.with_district_names(rows("district", "district")),
        by_category=rows("category", "category"),
        scales=parks.scale_rows(rows("scale", "scale")),
        trend=zones.per_quarter(quarters, db.periods(), parks.TREND_SQL),
        by_ownership=parks.kind_rows(rows("kind", "kind")),
    )


def _counts(db: Database, ctx: Context, park: str, scale: str, industry: str) -> pd.DataFrame:
    """Every count of TOTALS_SQL per set of SETS (`g`: its name, `v`: its key) over the store's
    enterprises in scope of the chosen scale and industry, in the order of the sets' names and keys."""
    values = {"scale": scale, "category": industry, "park": park}
    return db.query(
        COUNTS_SQL,
        ctx.scope,
        period=ctx.period,
        etype="enterprise",
        public=list(parks.PUBLIC),
        kind_public=parks.KINDS[1],
        kind_private=parks.KINDS[0],
        **{k: None if v == ALL else v for k, v in values.items()},
    )

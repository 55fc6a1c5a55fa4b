"""The 工业园区 page's counts of one choice (park, scale, industry) in one query: its totals and its
counts per park, district, industry and scale, summed by DuckDB over `unit_rollup` as grouping sets
instead of a query a table (`parks.totals`, `by_park`, `by_district`, `by_category`, `scales`; the
same frames)."""

from dataclasses import dataclass

import pandas as pd

from sanqu.areas import parks, zones
from sanqu.areas.zones import ALL
from sanqu.context import Context
from sanqu.storage.db import Database

KEYS = ("park_id", "district", "category", "scale")


@dataclass(frozen=True)
class Sets:
    """The grouping sets of a query, and each table's set as GROUPING(park_id, district, category,
    scale) gives it: a bit per key the set leaves out, park_id the highest."""

    sql: str
    codes: dict[str, int]


# Every park is counted apart (by_park ignores the chosen park). With a park chosen, the other
# tables are its groups in the sets that keep park_id, its totals its row of the park set.
EVERY_PARK = Sets(
    "(park_id), (district), (category), (scale), ()",
    dict(park_id=0b0111, district=0b1011, category=0b1101, scale=0b1110, total=0b1111),
)
ONE_PARK = Sets(
    "(park_id), (park_id, district), (park_id, category), (park_id, scale)",
    dict(park_id=0b0111, district=0b0011, category=0b0101, scale=0b0110, total=0b0111),
)


@dataclass(frozen=True)
class ParkGroups:
    totals: dict[str, int]  # parks.totals
    by_park: pd.DataFrame  # parks.by_park (every park in scope, whatever park is chosen)
    by_district: pd.DataFrame
    by_category: pd.DataFrame
    scales: pd.DataFrame


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
        )
    sets = EVERY_PARK if park == ALL else ONE_PARK
    df = _counts(db, ctx, sets, scale, industry)

    def rows(name: str, by: str) -> pd.DataFrame:
        mine = df["g"].to_numpy() == sets.codes[name]
        if park != ALL and name != "park_id":
            mine &= (df["park_id"] == park).to_numpy()
        picked = df[mine]
        picked = picked[picked[by].notna()].sort_values(by).reset_index(drop=True)
        return picked.astype({by: object}) if picked.empty else picked  # as DuckDB gives no rows

    total = rows("total", "g")
    return ParkGroups(
        totals={k: int(total.at[0, k]) if len(total) else 0 for k in parks.TOTALS_SQL},
        by_park=parks.with_parks(db, ctx, parks.counted(rows("park_id", "park_id"), "park_id")),
        by_district=parks.with_district_names(parks.counted(rows("district", "district"), "district")),
        by_category=parks.counted(rows("category", "category"), "category"),
        scales=parks.scale_rows(parks.counted(rows("scale", "scale"), "scale")),
    )


def _counts(db: Database, ctx: Context, sets: Sets, scale: str, industry: str) -> pd.DataFrame:
    """Every count of TOTALS_SQL per grouping set of `sets`, over the quarter's enterprises to be
    covered in scope of the chosen scale and industry (all parks); `g`: the set (GROUPING)."""
    keys = ", ".join(KEYS)
    sql = f"""SELECT {keys}, GROUPING({keys}) AS g, {zones.rolled(parks.TOTALS_SQL)} FROM unit_rollup
    WHERE period = $period AND entity_type = $etype AND should_cover AND list_contains($scope, district)
      AND ($township IS NULL OR township = $township) AND ($scale IS NULL OR scale = $scale)
      AND ($category IS NULL OR category = $category)
    GROUP BY GROUPING SETS ({sets.sql})"""
    values = {"scale": None if scale == ALL else scale, "category": None if industry == ALL else industry}
    return db.query(sql, ctx.scope, period=ctx.period, etype="enterprise", **values)

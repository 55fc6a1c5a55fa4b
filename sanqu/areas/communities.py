"""城乡社区: organisation level against size, the communities to upgrade, grid coverage
(小区 · 楼栋 · 两新组织; urban and rural; 村落 branches) and star ratings (星级社区).

A community's level is that of its own organisation (组建方式 单独组建) active at the end
of the quarter; a joint branch that also covers it (e.g. 景居联建) does not count.
Sizes, grid units and stars come from the quarterly statistics (community_stats).
"""

from collections.abc import Callable

import numpy as np
import pandas as pd

from sanqu import periods
from sanqu.areas import zones
from sanqu.areas.zones import ALL, ListSpec
from sanqu.context import Context, uses
from sanqu.geography import district_name
from sanqu.metrics.coverage import rate
from sanqu.metrics.indicators import Indicator, indicator
from sanqu.storage.db import Database
from sanqu.storage.units import BIG_SQL as _BIG
from sanqu.storage.units import UPGRADE_AREA_KM2, UPGRADE_AREA_MEMBERS, UPGRADE_MEMBERS
from sanqu.tables import Headers, district_names, flags, integers, via

KINDS = ("城市社区", "农村社区")
LEVELS = ("党委", "党总支", "党支部")
NO_ORG = "未建"
STARS = (0, 1, 2, 3, 4, 5)

# The upgrade rule (shown on the page). Many members: 100 or more (enough for a 党委 under the
# rules for basic-level organisations); a large area: 20 km² or more with at least 50 members
# (enough for a 党总支). Such a community should have a 党总支 or a 党委; one that still has
# only a 党支部 is an upgrade candidate (应升格).
# (the thresholds live with the store, which sums communities by the rule: community_rollup)
UPGRADE_RULE = (
    f"党员 {UPGRADE_MEMBERS} 名以上，或辖区面积 {UPGRADE_AREA_KM2:g} 平方公里以上且党员 {UPGRADE_AREA_MEMBERS} 名以上的"
    "村（社区），应设党总支或党委；仍只设党支部的列为升格候选。"
)
STAR_GOOD = 3  # 三星级及以上

INDICATORS: tuple[Indicator, ...] = (
    indicator("community_org"),
    Indicator(
        "community_quarters",
        "community",
        "小区（村落）组织覆盖率",
        "quarters_cov",
        "quarters",
        "单独或联合建立党支部的小区（村落） ÷ 小区（村落）总数",
    ),
    Indicator(
        "community_buildings",
        "community",
        "楼栋党小组覆盖率",
        "buildings_group",
        "buildings",
        "建立党小组的楼栋（村民小组） ÷ 楼栋（村民小组）总数",
    ),
    Indicator(
        "community_two_new",
        "community",
        "两新组织覆盖率",
        "two_new_cov",
        "two_new",
        "单独或联合建立党组织的两新组织 ÷ 辖区两新组织总数",
    ),
    Indicator(
        "community_village",
        "community",
        "村落党组织覆盖率",
        "village_quarters_cov",
        "village_quarters",
        "农村社区中单独或联合建立党支部的村落 ÷ 农村社区村落总数",
    ),
    Indicator(
        "community_level_ok",
        "community",
        "组织设置达标率",
        "big_ok",
        "big",
        "已设党总支或党委的 ÷ 按升格规则应设党总支或党委的村（社区）",
    ),
    Indicator(
        "community_stars",
        "community",
        "三星级以上社区占比",
        "star_good",
        "communities",
        f"评为{STAR_GOOD}星级及以上的村（社区） ÷ 村（社区）总数",
    ),
)
KPI_LIST = {
    "community_org": "grid_gap",
    "community_quarters": "quarters_gap",
    "community_buildings": "buildings_gap",
    "community_two_new": "two_new_gap",
    "community_village": "village_gap",
    "community_level_ok": "upgrade",
    "community_stars": "star_good",
}

COUNT_COLUMNS = (
    "communities",
    "members",
    "households",
    "denominator",
    "own",
    "joint",
    "covered",
    "work",
    "quarters",
    "quarters_cov",
    "buildings",
    "buildings_group",
    "two_new",
    "two_new_cov",
    "village_quarters",
    "village_quarters_cov",
    "big",
    "big_ok",
    "candidates",
    "star_good",
    *(f"level_{lv}" for lv in (*LEVELS, NO_ORG)),
    *(f"stars_{s}" for s in STARS),
)

# COMMUNITY_STATUS_SQL (sanqu.storage.units) for every quarter, built with the store
STORED_STATUS_SQL = """
SELECT * FROM community_status
WHERE list_contains($scope, district) AND ($township IS NULL OR township = $township)
  AND list_contains($periods, period)
ORDER BY period, community_id
"""
RANK_LEVEL = {1: "党委", 2: "党总支", 3: "党支部", 4: "党小组", 0: NO_ORG}


@uses("scope")
def status_all(
    db: Database, ctx: Context, kind: str = ALL, quarters: list[str] | None = None, town: str = ALL
) -> pd.DataFrame:
    """One row per community and quarter (`quarters`, else every quarter in the store) with level,
    size, grid units, stars and the rule flags."""
    df = db.query(STORED_STATUS_SQL, ctx.scope, periods=quarters or db.periods())
    if kind != ALL:
        df = df[df["kind"] == kind]
    if town != ALL:
        df = df[df["township"] == town]
    return _derived(df.reset_index(drop=True))


def _derived(df: pd.DataFrame) -> pd.DataFrame:
    """Level names, the upgrade rule's flags and the covered grid units of status rows."""
    df["level"] = df["level_rank"].map(RANK_LEVEL)
    df["big"] = (df["members"] >= UPGRADE_MEMBERS) | (
        (df["area_km2"] >= UPGRADE_AREA_KM2) & (df["members"] >= UPGRADE_AREA_MEMBERS)
    )
    df["big_ok"] = df["big"] & df["level"].isin(("党委", "党总支"))
    df["candidate"] = df["big"] & (df["level"] == "党支部")
    df["quarters_cov"] = df["quarters_own"] + df["quarters_joint"]
    df["two_new_cov"] = df["two_new_own"] + df["two_new_joint"]
    return df


def status(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    return status_all(db, ctx, kind, [ctx.period], town)


@uses("scope")
def townships(db: Database, ctx: Context) -> pd.DataFrame:
    """Townships (乡镇街道) in scope that have villages or communities: code, name, district."""
    return db.query(
        """
        SELECT DISTINCT c.township AS code, t.name, c.district
        FROM communities c JOIN townships t ON t.code = c.township
        WHERE list_contains($scope, c.district) AND ($township IS NULL OR c.township = $township)
        ORDER BY c.township
        """,
        ctx.scope,
    )


_RANK = {lv: r for r, lv in RANK_LEVEL.items()}
# Every count of the page (COUNT_COLUMNS) of a group, summed by DuckDB over `community_rollup`
# (the store's sums per quarter, township, kind, level, stars and upgrade rule: `n` communities).
# `sum(CASE WHEN c THEN x END)`, as `sum(x) FILTER (c)` gives (NULL where no row is summed), but
# DuckDB evaluates each FILTER apart: the page's trend, 8.6-10.4 -> 6.6 ms for a district, 17.7 ->
# 12.8 ms for the city (median of 20).
COUNTS = f"""
       sum(n) AS communities, sum(members) AS members, sum(households) AS households,
       sum(quarters + two_new) AS denominator, sum(quarters_own + two_new_own) AS own,
       sum(quarters_joint + two_new_joint) AS joint,
       sum(quarters_own + quarters_joint + two_new_own + two_new_joint) AS covered,
       sum(quarters_own + quarters_joint + two_new_own + two_new_joint + quarters_liaison + two_new_liaison) AS work,
       sum(quarters) AS quarters, sum(quarters_own + quarters_joint) AS quarters_cov,
       sum(buildings) AS buildings, sum(buildings_group) AS buildings_group,
       sum(two_new) AS two_new, sum(two_new_own + two_new_joint) AS two_new_cov,
       sum(CASE WHEN kind = '农村社区' THEN quarters END) AS village_quarters,
       sum(CASE WHEN kind = '农村社区' THEN quarters_own + quarters_joint END) AS village_quarters_cov,
       sum(CASE WHEN big THEN n END) AS big,
       sum(CASE WHEN big AND level_rank IN ({_RANK["党委"]}, {_RANK["党总支"]}) THEN n END) AS big_ok,
       sum(CASE WHEN big AND level_rank = {_RANK["党支部"]} THEN n END) AS candidates,
       sum(CASE WHEN stars >= {STAR_GOOD} THEN n END) AS star_good,
       {", ".join(f'sum(CASE WHEN level_rank = {_RANK[lv]} THEN n END) AS "level_{lv}"' for lv in (*LEVELS, NO_ORG))},
       {", ".join(f"sum(CASE WHEN stars = {s} THEN n END) AS stars_{s}" for s in STARS)}
"""
_WHERE = """list_contains($scope, s.district) AND ($township IS NULL OR s.township = $township)
  AND ($kind IS NULL OR s.kind = $kind) AND ($town IS NULL OR s.township = $town)"""
TREND_SQL = f"SELECT period, {COUNTS} FROM community_rollup s WHERE {_WHERE} GROUP BY period"
# the counts of the quarter per district, township and kind (a few hundred rows for a city)
PARTS_SQL = f"""
SELECT district, township, any_value(township_name) AS township_name, kind, {COUNTS}
FROM community_rollup s WHERE {_WHERE} AND period = $period GROUP BY district, township, kind
"""


def _narrow(kind: str, town: str) -> dict[str, str | None]:
    return {"kind": None if kind == ALL else kind, "town": None if town == ALL else town}


@uses("scope")
def trend(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """One row per quarter in the store with every count (`counts` of each quarter's status)."""
    return zones.per_quarter(db.query(TREND_SQL, ctx.scope, **_narrow(kind, town)), db.periods(), COUNT_COLUMNS)


# `trend` and `parts` in one query: each row of community_rollup counted twice (i = 0: in its
# quarter's row of the trend; 1: in its district, township and kind, at the quarter only), one
# GROUP BY (the two queries' aggregates were planned and run apart: about 26 -> 18 ms for the city)
TREND_PARTS_SQL = f"""
SELECT i, CASE WHEN i = 0 THEN period END AS period, CASE WHEN i = 1 THEN district END AS district,
       CASE WHEN i = 1 THEN township END AS township, any_value(township_name) AS township_name,
       CASE WHEN i = 1 THEN kind END AS kind, {COUNTS}
FROM community_rollup s, range(2) t(i) WHERE {_WHERE} AND (i = 0 OR period = $period) GROUP BY ALL
"""
PARTS_KEYS = ["district", "township", "township_name", "kind"]


@uses("scope", "period")
def trend_and_parts(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`trend`, `parts`) of one choice, from one query."""
    df = db.query(TREND_PARTS_SQL, ctx.scope, period=ctx.period, **_narrow(kind, town))
    part = df["i"].to_numpy() == 1
    counts = df.loc[part, [*PARTS_KEYS, *COUNT_COLUMNS]].reset_index(drop=True)
    if counts.empty:  # as DuckDB gives no rows
        counts = counts.astype(dict.fromkeys(PARTS_KEYS, object))
    return zones.per_quarter(df.loc[~part, ["period", *COUNT_COLUMNS]], db.periods(), COUNT_COLUMNS), _integers(counts)


LEVELS_SQL = f"""
SELECT level_rank, count(*) AS communities, sum(members) AS members,
       median(members) AS members_median, median(households) AS households_median,
       median(area_km2) AS area_median, count(*) FILTER ({_BIG}) AS big,
       count(*) FILTER ({_BIG} AND level_rank = {_RANK["党支部"]}) AS candidates
FROM community_status s WHERE {_WHERE} AND period = $period GROUP BY level_rank
"""


@uses("scope", "period")
def levels(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """Per organisation level at the quarter: communities, members and households (total and
    median), area (median), how many the upgrade rule names and how many are candidates."""
    df = db.query(LEVELS_SQL, ctx.scope, period=ctx.period, **_narrow(kind, town))
    df.insert(0, "level", df.pop("level_rank").map(RANK_LEVEL))
    order = [lv for lv in (*LEVELS, NO_ORG) if lv in set(df["level"])]
    df = df.set_index("level").reindex(order).reset_index()
    return df.astype({c: "int64" for c in ("communities", "members", "big", "candidates")})


# `levels` with Chinese headers
levels_view = Headers(
    {
        "组织层级": "level",
        "村（社区）": "communities",
        "党员合计": "members",
        "党员中位数": "members_median",
        "户数中位数": "households_median",
        "面积中位数(km²)": lambda d: d["area_median"].round(1),
        "符合升格规则的": "big",
        "升格候选": "candidates",
    }
)


@uses("scope", "period")
def parts(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """Every count (COUNT_COLUMNS) of the quarter per district, township and kind."""
    return _integers(db.query(PARTS_SQL, ctx.scope, period=ctx.period, **_narrow(kind, town)))


def _integers(parts: pd.DataFrame) -> pd.DataFrame:
    """The counts of `parts` as integers, 0 where none was summed (in numpy: pandas' fillna and
    astype, column by column, cost about 10 ms for the city's 416 rows)."""
    names = list(COUNT_COLUMNS)
    counts = np.nan_to_num(parts[names].to_numpy(dtype="float64", na_value=np.nan)).astype("int64")
    integers = pd.DataFrame(counts, columns=names, index=parts.index)
    return pd.concat([parts.drop(columns=names), integers], axis=1)[parts.columns]


def grid(parts: pd.DataFrame) -> pd.DataFrame:
    """Grid coverage of 小区 / 楼栋 / 两新组织 for urban and rural communities and in total."""
    rows = []
    # in numpy: a boolean take of the whole frame (its Arrow string columns) cost 15-50 ms a run
    counts, kinds = parts[list(COUNT_COLUMNS)].to_numpy(dtype="int64"), parts["kind"].to_numpy(dtype=object)
    for kind in (*KINDS, "合计"):
        c = dict(zip(COUNT_COLUMNS, (counts if kind == "合计" else counts[kinds == kind]).sum(axis=0)))
        for unit, num, den in (
            ("小区（村落）", "quarters_cov", "quarters"),
            ("楼栋（村民小组）", "buildings_group", "buildings"),
            ("两新组织", "two_new_cov", "two_new"),
        ):
            n, d = int(c[num]), int(c[den])
            rows.append(dict(kind=kind, unit=unit, numerator=n, denominator=d, rate=rate(n, d)))
    df = pd.DataFrame(rows)
    df["rate"] = df["rate"].astype(float)
    return df


def by_district(parts: pd.DataFrame) -> pd.DataFrame:
    df = parts.groupby("district", sort=True)[list(COUNT_COLUMNS)].sum().reset_index()
    df.insert(1, "district_name", df["district"].map(district_name))
    return df


def by_township(parts: pd.DataFrame) -> pd.DataFrame:
    g = parts.dropna(subset=["township"]).groupby("township", sort=True)
    df = g[list(COUNT_COLUMNS)].sum()
    df.insert(0, "township_name", g["township_name"].first())
    return df.reset_index()


def star_distribution(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """Communities per star (0-5) at the quarter, a quarter before and a year before (0 when no data)."""
    known, period = db.periods(), ctx.period
    asked = {"current": period, "previous": periods.shift(period, -1), "year_ago": periods.shift(period, -4)}
    counted = db.query(
        STAR_COUNTS_SQL,
        ctx.scope,
        periods=[p for p in asked.values() if p in known],
        **_narrow(kind, town),
    )
    vc = {(p, s): n for p, s, n in counted.itertuples(index=False)}
    out = pd.DataFrame({"stars": list(STARS)})
    for name, p in asked.items():
        out[name] = [int(vc.get((p, s), 0)) for s in STARS]
    return out


def star_distribution_of(trend: pd.DataFrame, period: str) -> pd.DataFrame:
    """`star_distribution` read from `trend` (its stars_0 … stars_5 per quarter of the store: the
    same counts, summed from community_rollup, without a query of its own)."""
    stars = [f"stars_{s}" for s in STARS]
    by = dict(zip(trend["period"].tolist(), trend[stars].to_numpy(dtype="int64").tolist(), strict=True))
    asked = {"current": period, "previous": periods.shift(period, -1), "year_ago": periods.shift(period, -4)}
    out = pd.DataFrame({"stars": list(STARS)})
    for name, p in asked.items():
        out[name] = [int(n) for n in by.get(p, [0] * len(STARS))]
    return out


_NARROW = "($kind IS NULL OR kind = $kind) AND ($town IS NULL OR township = $town)"
STAR_COUNTS_SQL = f"""
SELECT period, stars, count(*) AS n FROM community_status
WHERE list_contains($scope, district) AND ($township IS NULL OR township = $township)
  AND list_contains($periods, period) AND {_NARROW}
GROUP BY ALL
"""
# each community at the quarter with its stars at another (NULL: no row then), one row each
# (`{where}`: LIST_SQL's condition of a list, or true; `{columns}`: *, or * without the names)
STAR_CHANGES_SQL = """
SELECT {columns} FROM (
    SELECT s.*, b.stars AS stars_before FROM community_status s
    LEFT JOIN community_status b ON b.community_id = s.community_id AND b.period = $compare
    WHERE list_contains($scope, s.district) AND ($township IS NULL OR s.township = $township) AND s.period = $period
      AND ($kind IS NULL OR s.kind = $kind) AND ($town IS NULL OR s.township = $town)
) WHERE {where}
ORDER BY community_id
"""
_QUARTERS_GAP = "quarters_own + quarters_joint < quarters"
_TWO_NEW_GAP = "two_new_own + two_new_joint < two_new"
# The lists whose rows are picked by DuckDB (`star_changes(…, only=key)`): the same rows as LISTS[key]
LIST_SQL = {
    "upgrade": f"{_BIG} AND level_rank = {_RANK['党支部']}",
    "big_ok": f"{_BIG} AND level_rank IN ({_RANK['党委']}, {_RANK['党总支']})",
    "grid_gap": f"({_QUARTERS_GAP}) OR ({_TWO_NEW_GAP})",
    "quarters_gap": _QUARTERS_GAP,
    "buildings_gap": "buildings_group < buildings",
    "two_new_gap": _TWO_NEW_GAP,
    "village_gap": f"kind = '农村社区' AND {_QUARTERS_GAP}",
    "star_up": "stars > stars_before",
    "star_down": "stars < stars_before",
}


def star_changes(
    db: Database, ctx: Context, compare: str, kind: str = ALL, town: str = ALL, only: str = "all", names: bool = True
) -> pd.DataFrame:
    """Each community's status at the quarter with its stars at `compare`: stars_before, star_change.
    `only` (a key of LIST_SQL): the rows of that list only, picked by DuckDB. Without `names`: no
    name and org_name (counts only: most of what a whole city's rows weigh)."""
    narrow = _narrow(kind, town)
    columns = "*" if names else "* EXCLUDE (name, org_name)"
    sql = STAR_CHANGES_SQL.format(where=LIST_SQL.get(only, "true"), columns=columns)
    df = db.query(sql, ctx.scope, period=ctx.period, compare=compare, **narrow)
    before = df.pop("stars_before")
    df = _derived(df)
    df["stars_before"] = before
    df["star_change"] = df["stars"] - df["stars_before"]
    return df[["community_id", *(c for c in df.columns if c != "community_id")]]


# how many communities moved from each star rating at `compare` (NULL: no row then) to each now
STAR_MOVES_SQL = f"""
SELECT b.stars AS stars_before, s.stars, count(*) AS n FROM community_status s
LEFT JOIN community_status b ON b.community_id = s.community_id AND b.period = $compare
WHERE {_WHERE} AND s.period = $period
GROUP BY ALL
"""


@uses("scope", "period")
def star_moves(db: Database, ctx: Context, compare: str, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """Communities (n) per star rating at `compare` (stars_before; NaN: none then) and now (stars)."""
    return db.query(STAR_MOVES_SQL, ctx.scope, period=ctx.period, compare=compare, **_narrow(kind, town))


def star_summary(moves: pd.DataFrame) -> dict[str, int]:
    change = moves["stars"] - moves["stars_before"]
    return {
        "up": int(moves.loc[change > 0, "n"].sum()),
        "down": int(moves.loc[change < 0, "n"].sum()),
        "same": int(moves.loc[change == 0, "n"].sum()),
        "new": int(moves.loc[change.isna(), "n"].sum()),
    }


def star_matrix(moves: pd.DataFrame) -> pd.DataFrame:
    """Communities by stars before (rows) and after (columns)."""
    at = {s: i for i, s in enumerate(STARS)}
    m = np.zeros((len(STARS), len(STARS)), dtype="int64")  # summed row by row: pivot_table took 4 ms
    for before, now, n in zip(moves["stars_before"].tolist(), moves["stars"].tolist(), moves["n"].tolist()):
        if pd.isna(before):
            continue
        before, now = int(before), int(now)  # a rating missing now raises, as astype(int) did
        if before in at and now in at:
            m[at[before], at[now]] += n
    stars = list(STARS)
    return pd.DataFrame(m, index=pd.Index(stars, name="stars_before"), columns=pd.Index(stars, name="stars"))


# what the size scatter draws: each community (households, members, level, candidate, name, area),
# or, for more than the scatter draws one by one, cells of similar size per level (households in
# 1/10 of a decade, members in 10s: the demo city's 2,967 communities in 415 cells, each a circle
# the browser draws and Vega lays out; 1/20 and 5s gave 826, twice the browser's work for circles
# that overlapped at the chart's size) with their count, mean size and candidates
SIZE_POINTS_SQL = f"""
SELECT level_rank, households, members, area_km2, name,
       ({_BIG} AND level_rank = {_RANK["党支部"]}) AS candidate
FROM community_status s WHERE {_WHERE} AND period = $period ORDER BY community_id
"""
SIZE_CELLS_SQL = f"""
SELECT level_rank, round(log10(greatest(households, 1)) * 10) AS hx, members // 10 AS my, count(*) AS n,
       avg(households) AS x, avg(members) AS y, count(*) FILTER ({_BIG} AND level_rank = {_RANK["党支部"]}) AS cand
FROM community_status s WHERE {_WHERE} AND period = $period GROUP BY ALL ORDER BY ALL
"""


@uses("scope", "period")
def size_points(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """Each community of the quarter for the size scatter."""
    df = db.query(SIZE_POINTS_SQL, ctx.scope, period=ctx.period, **_narrow(kind, town))
    df.insert(0, "level", df.pop("level_rank").map(RANK_LEVEL))
    return df


@uses("scope", "period")
def size_cells(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """The communities of the quarter as cells of similar size per level (n, mean x and y, cand)."""
    df = db.query(SIZE_CELLS_SQL, ctx.scope, period=ctx.period, **_narrow(kind, town))
    df.insert(0, "level", df.pop("level_rank").map(RANK_LEVEL))
    return df.astype({"n": "int64", "cand": "int64"})


def _equal(column: str, value) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda s: s[column] == value


# Lists behind KPIs and bars: the rows each keeps of `star_changes`/status
LISTS: dict[str, ListSpec] = {
    "upgrade": ListSpec("升格候选（符合规则仍为党支部）", lambda s: s["candidate"]),
    "big_ok": ListSpec("已按规则设党总支或党委", lambda s: s["big_ok"]),
    **{f"level_{lv}": ListSpec(f"组织层级 · {lv}", _equal("level", lv)) for lv in (*LEVELS, NO_ORG)},
    "grid_gap": ListSpec(
        "有未覆盖小区或两新组织的",
        lambda s: (s["quarters_cov"] < s["quarters"]) | (s["two_new_cov"] < s["two_new"]),
    ),
    "quarters_gap": ListSpec("有未建支部的小区（村落）", lambda s: s["quarters_cov"] < s["quarters"]),
    "buildings_gap": ListSpec("有未建党小组的楼栋", lambda s: s["buildings_group"] < s["buildings"]),
    "two_new_gap": ListSpec("有未覆盖的两新组织", lambda s: s["two_new_cov"] < s["two_new"]),
    "village_gap": ListSpec(
        "有未建支部村落的农村社区",
        lambda s: (s["kind"] == "农村社区") & (s["quarters_cov"] < s["quarters"]),
    ),
    "star_good": ListSpec(f"{STAR_GOOD}星级及以上", lambda s: s["stars"] >= STAR_GOOD),
    **{f"stars_{n}": ListSpec(f"{n}星级" if n else "未评星", _equal("stars", n)) for n in STARS},
    "star_up": ListSpec("星级上升", lambda s: s["star_change"] > 0),
    "star_down": ListSpec("星级下降", lambda s: s["star_change"] < 0),
    "all": ListSpec("全部村（社区）", lambda s: s["stars"] >= 0),
}


def select(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of one list; upgrade candidates and gaps come largest first."""
    out = df[LISTS[key].keep(df)]
    if key == "upgrade":
        out = out.sort_values(["members", "area_km2"], ascending=False)
    elif key.endswith("_gap"):
        unit = {
            "quarters_gap": "quarters",
            "village_gap": "quarters",
            "buildings_gap": "buildings",
            "two_new_gap": "two_new",
        }.get(key)
        if unit:
            short = out[unit] - out[f"{unit}_cov" if unit != "buildings" else "buildings_group"]
        else:
            short = out["quarters"] - out["quarters_cov"] + out["two_new"] - out["two_new_cov"]
        out = out.assign(_short=short).sort_values(["_short", "community_id"], ascending=[False, True])
        out = out.drop(columns="_short")
    else:
        out = out.sort_values("community_id")
    return out.reset_index(drop=True)


# Communities with Chinese headers (page table and Excel export).
list_view = Headers(
    {
        "村社区代码": "community_id",
        "村（社区）": "name",
        "区县": via(district_names, "district"),
        "乡镇街道": "township_name",
        "城乡类型": "kind",
        "辖区面积(km²)": "area_km2",
        "户数": via(integers, "households"),
        "党员数": via(integers, "members"),
        "组织层级": "level",
        "党组织": "org_name",
        "应设党总支以上": via(flags, "big"),
        "升格候选": via(flags, "candidate"),
        "小区（村落）数": via(integers, "quarters"),
        "已建支部的小区": via(integers, "quarters_cov"),
        "楼栋数": via(integers, "buildings"),
        "建党小组的楼栋": via(integers, "buildings_group"),
        "两新组织数": via(integers, "two_new"),
        "已覆盖两新组织": via(integers, "two_new_cov"),
        "星级": via(integers, "stars"),
        "比较期星级": lambda d: d["stars_before"].astype("Int64"),
        "星级变化": lambda d: d["star_change"].astype("Int64"),
    }
)

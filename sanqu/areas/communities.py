"""城乡社区: organisation level against size, the communities to upgrade, grid coverage
(小区 · 楼栋 · 两新组织; urban and rural; 村落 branches) and star ratings (星级社区).

A community's level is that of its own organisation (组建方式 单独组建) active at the end
of the quarter; a joint branch that also covers it (e.g. 景居联建) does not count.
Sizes, grid units and stars come from the quarterly statistics (community_stats).
"""

from collections.abc import Callable

import pandas as pd

from sanqu import periods
from sanqu.areas.zones import ALL, ListSpec
from sanqu.context import Context, uses
from sanqu.geography import district_name
from sanqu.metrics.coverage import rate
from sanqu.metrics.indicators import Indicator, indicator
from sanqu.storage.db import Database
from sanqu.tables import Headers, district_names, flags, integers, via

KINDS = ("城市社区", "农村社区")
LEVELS = ("党委", "党总支", "党支部")
NO_ORG = "未建"
STARS = (0, 1, 2, 3, 4, 5)

# The upgrade rule (shown on the page). Many members: 100 or more (enough for a 党委 under the
# rules for basic-level organisations); a large area: 20 km² or more with at least 50 members
# (enough for a 党总支). Such a community should have a 党总支 or a 党委; one that still has
# only a 党支部 is an upgrade candidate (应升格).
UPGRADE_MEMBERS = 100
UPGRADE_AREA_KM2 = 20.0
UPGRADE_AREA_MEMBERS = 50
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


def counts(stats: pd.DataFrame) -> dict[str, int]:
    """Every count of the community page from a status table (one quarter)."""
    village = stats["kind"] == "农村社区"
    out = {
        "communities": len(stats),
        "members": int(stats["members"].sum()),
        "households": int(stats["households"].sum()),
        # the grid units of the coverage engine: residential quarters and two-new organisations
        "denominator": int((stats["quarters"] + stats["two_new"]).sum()),
        "own": int((stats["quarters_own"] + stats["two_new_own"]).sum()),
        "joint": int((stats["quarters_joint"] + stats["two_new_joint"]).sum()),
        "covered": int((stats["quarters_cov"] + stats["two_new_cov"]).sum()),
        "work": int(
            (stats["quarters_cov"] + stats["two_new_cov"] + stats["quarters_liaison"] + stats["two_new_liaison"]).sum()
        ),
        "quarters": int(stats["quarters"].sum()),
        "quarters_cov": int(stats["quarters_cov"].sum()),
        "buildings": int(stats["buildings"].sum()),
        "buildings_group": int(stats["buildings_group"].sum()),
        "two_new": int(stats["two_new"].sum()),
        "two_new_cov": int(stats["two_new_cov"].sum()),
        "village_quarters": int(stats.loc[village, "quarters"].sum()),
        "village_quarters_cov": int(stats.loc[village, "quarters_cov"].sum()),
        "big": int(stats["big"].sum()),
        "big_ok": int(stats["big_ok"].sum()),
        "candidates": int(stats["candidate"].sum()),
        "star_good": int((stats["stars"] >= STAR_GOOD).sum()),
    }
    for lv in (*LEVELS, NO_ORG):
        out[f"level_{lv}"] = int((stats["level"] == lv).sum())
    for s in STARS:
        out[f"stars_{s}"] = int((stats["stars"] == s).sum())
    return out


_RANK = {lv: r for r, lv in RANK_LEVEL.items()}
_BIG = f"(members >= {UPGRADE_MEMBERS} OR (area_km2 >= {UPGRADE_AREA_KM2} AND members >= {UPGRADE_AREA_MEMBERS}))"
# `counts` of every quarter at once, summed by DuckDB: no row of the (large) status leaves the store
TREND_SQL = f"""
SELECT period,
       count(*) AS communities, sum(members) AS members, sum(households) AS households,
       sum(quarters + two_new) AS denominator, sum(quarters_own + two_new_own) AS own,
       sum(quarters_joint + two_new_joint) AS joint,
       sum(quarters_own + quarters_joint + two_new_own + two_new_joint) AS covered,
       sum(quarters_own + quarters_joint + two_new_own + two_new_joint + quarters_liaison + two_new_liaison) AS work,
       sum(quarters) AS quarters, sum(quarters_own + quarters_joint) AS quarters_cov,
       sum(buildings) AS buildings, sum(buildings_group) AS buildings_group,
       sum(two_new) AS two_new, sum(two_new_own + two_new_joint) AS two_new_cov,
       sum(quarters) FILTER (kind = '农村社区') AS village_quarters,
       sum(quarters_own + quarters_joint) FILTER (kind = '农村社区') AS village_quarters_cov,
       count(*) FILTER ({_BIG}) AS big,
       count(*) FILTER ({_BIG} AND level_rank IN ({_RANK["党委"]}, {_RANK["党总支"]})) AS big_ok,
       count(*) FILTER ({_BIG} AND level_rank = {_RANK["党支部"]}) AS candidates,
       count(*) FILTER (stars >= {STAR_GOOD}) AS star_good,
       {", ".join(f'count(*) FILTER (level_rank = {_RANK[lv]}) AS "level_{lv}"' for lv in (*LEVELS, NO_ORG))},
       {", ".join(f"count(*) FILTER (stars = {s}) AS stars_{s}" for s in STARS)}
FROM community_status
WHERE list_contains($scope, district) AND ($township IS NULL OR township = $township)
  AND ($kind IS NULL OR kind = $kind) AND ($town IS NULL OR township = $town)
GROUP BY period
"""


@uses("scope")
def trend(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """One row per quarter in the store with every count (`counts` of each quarter's status)."""
    df = db.query(TREND_SQL, ctx.scope, kind=None if kind == ALL else kind, town=None if town == ALL else town)
    df = df.set_index("period").reindex(db.periods())[list(COUNT_COLUMNS)].fillna(0).astype(int)
    return df.rename_axis("period").reset_index()


def levels(stats: pd.DataFrame) -> pd.DataFrame:
    """Per organisation level: communities, members and households (total and median), area."""
    order = [lv for lv in (*LEVELS, NO_ORG) if (stats["level"] == lv).any()]
    g = stats.groupby("level").agg(
        communities=("community_id", "count"),
        members=("members", "sum"),
        members_median=("members", "median"),
        households_median=("households", "median"),
        area_median=("area_km2", "median"),
        big=("big", "sum"),
        candidates=("candidate", "sum"),
    )
    return g.reindex(order).reset_index()


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


def grid(stats: pd.DataFrame) -> pd.DataFrame:
    """Grid coverage of 小区 / 楼栋 / 两新组织 for urban and rural communities and in total."""
    rows = []
    for kind in (*KINDS, "合计"):
        part = stats if kind == "合计" else stats[stats["kind"] == kind]
        c = counts(part)
        for unit, num, den in (
            ("小区（村落）", "quarters_cov", "quarters"),
            ("楼栋（村民小组）", "buildings_group", "buildings"),
            ("两新组织", "two_new_cov", "two_new"),
        ):
            rows.append(dict(kind=kind, unit=unit, numerator=c[num], denominator=c[den], rate=rate(c[num], c[den])))
    df = pd.DataFrame(rows)
    df["rate"] = df["rate"].astype(float)
    return df


def _row_counts(stats: pd.DataFrame) -> pd.DataFrame:
    """What each row adds to every count of `counts` (one column per COUNT_COLUMNS): summed per
    group, the same figures as `counts` of each group, in one pass instead of one per group."""
    village = stats["kind"] == "农村社区"
    quarters_covered, two_new_covered = stats["quarters_cov"], stats["two_new_cov"]
    out = {
        "communities": pd.Series(1, index=stats.index),
        "members": stats["members"],
        "households": stats["households"],
        "denominator": stats["quarters"] + stats["two_new"],
        "own": stats["quarters_own"] + stats["two_new_own"],
        "joint": stats["quarters_joint"] + stats["two_new_joint"],
        "covered": quarters_covered + two_new_covered,
        "work": quarters_covered + two_new_covered + stats["quarters_liaison"] + stats["two_new_liaison"],
        "quarters": stats["quarters"],
        "quarters_cov": quarters_covered,
        "buildings": stats["buildings"],
        "buildings_group": stats["buildings_group"],
        "two_new": stats["two_new"],
        "two_new_cov": two_new_covered,
        "village_quarters": stats["quarters"].where(village, 0),
        "village_quarters_cov": quarters_covered.where(village, 0),
        "big": stats["big"],
        "big_ok": stats["big_ok"],
        "candidates": stats["candidate"],
        "star_good": stats["stars"] >= STAR_GOOD,
    }
    for lv in (*LEVELS, NO_ORG):
        out[f"level_{lv}"] = stats["level"] == lv
    for s in STARS:
        out[f"stars_{s}"] = stats["stars"] == s
    return pd.DataFrame({k: pd.to_numeric(v) for k, v in out.items()}, index=stats.index)


def _counts_by(stats: pd.DataFrame, key: str) -> pd.DataFrame:
    """`counts` of each value of `key` (sorted; rows without one left out), as one frame."""
    summed = _row_counts(stats).groupby(stats[key], sort=True).sum(min_count=0)
    return summed.astype("int64").rename_axis(key).reset_index()


def by_district(stats: pd.DataFrame) -> pd.DataFrame:
    df = _counts_by(stats, "district")[["district", *COUNT_COLUMNS]]
    df.insert(1, "district_name", df["district"].map(district_name))
    return df


def by_township(stats: pd.DataFrame) -> pd.DataFrame:
    df = _counts_by(stats, "township")
    names = stats.groupby("township", sort=True)["township_name"].agg(lambda s: s.iloc[0])
    df.insert(1, "township_name", df["township"].map(names))
    return df[["township", "township_name", *COUNT_COLUMNS]]


def star_distribution(db: Database, ctx: Context, kind: str = ALL, town: str = ALL) -> pd.DataFrame:
    """Communities per star (0-5) at the quarter, a quarter before and a year before (0 when no data)."""
    known, period = db.periods(), ctx.period
    asked = {"current": period, "previous": periods.shift(period, -1), "year_ago": periods.shift(period, -4)}
    counted = db.query(
        STAR_COUNTS_SQL,
        ctx.scope,
        periods=[p for p in asked.values() if p in known],
        kind=None if kind == ALL else kind,
        town=None if town == ALL else town,
    )
    vc = {(p, s): n for p, s, n in counted.itertuples(index=False)}
    out = pd.DataFrame({"stars": list(STARS)})
    for name, p in asked.items():
        out[name] = [int(vc.get((p, s), 0)) for s in STARS]
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
    narrow = {"kind": None if kind == ALL else kind, "town": None if town == ALL else town}
    columns = "*" if names else "* EXCLUDE (name, org_name)"
    sql = STAR_CHANGES_SQL.format(where=LIST_SQL.get(only, "true"), columns=columns)
    df = db.query(sql, ctx.scope, period=ctx.period, compare=compare, **narrow)
    before = df.pop("stars_before")
    df = _derived(df)
    df["stars_before"] = before
    df["star_change"] = df["stars"] - df["stars_before"]
    return df[["community_id", *(c for c in df.columns if c != "community_id")]]


def star_summary(changes: pd.DataFrame) -> dict[str, int]:
    ch = changes["star_change"]
    return {
        "up": int((ch > 0).sum()),
        "down": int((ch < 0).sum()),
        "same": int((ch == 0).sum()),
        "new": int(ch.isna().sum()),
    }


def star_matrix(changes: pd.DataFrame) -> pd.DataFrame:
    """Communities by stars before (rows) and after (columns)."""
    known = changes.dropna(subset=["stars_before"])
    m = pd.crosstab(known["stars_before"].astype(int), known["stars"].astype(int))
    return m.reindex(index=list(STARS), columns=list(STARS), fill_value=0)


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

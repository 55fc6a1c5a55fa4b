"""What the 旅游景区 page shows for one choice (district, quarter, A-level, kind): its figures
and display tables, built once per choice (`ui.data.kept`), so that a repeated choice costs
nothing. Coverage counts come from the store's precomputed status, as the page's KPIs do."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sanqu.areas import scenic as sc
from sanqu.areas import zones
from sanqu.context import Context
from sanqu.figures import vega_zone as vz
from sanqu.storage.db import Database, Source

UNIT = " 个"
TRADE_TOTAL = "三个行业合计"
LEVEL_SEGMENTS = (("own", "单独组建", "own"), ("joint", "联建", "joint"), ("gaps", "未覆盖", "gaps"))


@dataclass(frozen=True)
class ScenicFigures:
    trend_rows: pd.DataFrame  # sc.trend: one row per quarter (KPIs and sparklines read it)
    trend: dict
    levels: dict  # by A-level and kind; a click picks "level|kind"
    forms: dict
    trade_cards: tuple[tuple[str, int, int], ...]  # (trade, organisations, members): each trade, then their total
    trade_trend: dict
    trade_rows: pd.DataFrame
    theme_now: pd.DataFrame  # the theme activity per district in scope at the quarter
    theme_trend: dict
    theme_bars: dict
    theme_rows: pd.DataFrame


def trade_cards(summary: pd.DataFrame) -> tuple[tuple[str, int, int], ...]:
    """The trade cards of `sc.trade_summary`: (trade, organisations, members) of each trade, then
    their total (TRADE_TOTAL)."""
    rows = [(str(t), int(o), int(m)) for t, o, m in zip(summary["trade"], summary["orgs"], summary["members"])]
    return (*rows, (TRADE_TOTAL, sum(r[1] for r in rows), sum(r[2] for r in rows)))


def figures(
    db: Database, ctx: Context, a_level: str, kind: str, fetch: Callable[..., Any] | None = None
) -> ScenicFigures:
    """The page's figures and tables for one choice; `fetch(fn, ctx, *args)`: the cache the list of
    sites goes through (the page's list reads the same, so it is made once)."""
    th = sc.theme(db, ctx)  # read once: the trend counts it too
    trend = sc.trend_with(db, ctx, a_level, kind, th)
    items = Source(db, fetch)(sc.scenic_list, ctx, a_level, kind)
    each = sc.indicators(items)  # made once: the levels and the joint forms sum it
    orgs = sc.trade_orgs(db, ctx)
    summary = sc.trade_summary(orgs)
    long = trend.melt(
        id_vars="period", value_vars=[f"trade_{t}" for t in summary["trade"]], var_name="trade", value_name="members"
    )
    long["trade"] = long["trade"].str.removeprefix("trade_")
    now = sc.theme_by_district(th, ctx)
    jf = sc.joint_forms(items, each)
    return ScenicFigures(
        trend_rows=trend,
        trend=vz.rate_lines(zones.rate_trend(trend, sc.INDICATORS), ctx.period),
        levels=_levels(items, each),
        forms=vz.count_bars(
            jf["form"], jf["count"], jf["form"], [f"joint_{x}" for x in jf["form"]], "scenic", "景区景点数", UNIT
        ),
        trade_cards=trade_cards(summary),
        trade_trend=vz.lines_by(long, "period", "members", "trade", "党员数", " 名", height=300),
        trade_rows=sc.trade_view(orgs),
        theme_now=now,
        theme_trend=vz.lines_by(th, "period", "count", "district_name", "开展次数", " 次", height=340),
        theme_bars=_theme_bars(now),
        theme_rows=sc.theme_view(th),
    )


def _levels(items: pd.DataFrame, each: pd.DataFrame) -> dict:
    bl = sc.by_level(items, each)
    bl = bl[bl["denominator"] > 0].assign(label=lambda d: d["a_level"] + " · " + d["kind"])
    bl["pick"] = bl["a_level"] + "|" + bl["kind"]
    return vz.status_bars(bl, "label", "pick", "scenic", LEVEL_SEGMENTS, height=380, unit=UNIT)


def _theme_bars(now: pd.DataFrame) -> dict:
    """This quarter's activities per district (those that held any, when there are several)."""
    bars = now[now["count"] > 0] if len(now) > 1 else now
    return vz.count_bars(
        bars["district_name"],
        bars["count"],
        bars["district"],
        ["theme"] * len(bars),
        "scenic",
        "本季度开展次数",
        " 次",
        height=340,
    )

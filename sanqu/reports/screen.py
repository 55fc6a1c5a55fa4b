"""The big-screen briefing (大屏): what each carousel view shows, as plain objects.

A view is a zone (or the overview of the three, or the demonstration sites): three KPI panels,
a district map in the centre, two charts beside it, a board of the latest inspections and
visits, and a ticker of overdue milestones. With one county chosen the map is zoomed to it and
the rankings are by township (乡镇街道); a zone with nothing in that county says so
(该县无旅游景区). Sizes are px on a canvas 1080 px high and `width` px wide (1920 for 16:9,
wider on a spliced video wall), drawn at the screen's scale k.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from sanqu import fmt, periods
from sanqu.context import Context, uses
from sanqu.geography import district_name, townships, unit_name
from sanqu.ingest.registers import ZONES
from sanqu.mapping import mapdata
from sanqu.metrics import overview, places
from sanqu.metrics.coverage import coverage, coverage_trend, rate
from sanqu.metrics.indicators import indicator
from sanqu.programmes import sites
from sanqu.reports import screen_charts as charts
from sanqu.reports.screen_charts import ACCENT, BG, MUTED, PANEL, SIZE_LABEL, SIZE_NUMBER, SIZE_TITLE, TEXT
from sanqu.reports.screen_map import choropleth
from sanqu.storage.db import Database, Source

__all__ = ["ACCENT", "BG", "MUTED", "PANEL", "SIZE_LABEL", "SIZE_NUMBER", "SIZE_TITLE", "TEXT"]

VIEWS = {"overview": "三区总览", **ZONES, "sites": "示范点"}
VIEW_KPIS = {
    "overview": ("park_org", "community_org", "scenic_org"),
    "park": ("park_org", "park_own", "park_work"),
    "community": ("community_org", "community_own", "community_work"),
    "scenic": ("scenic_org", "scenic_own", "scenic_work"),
}
VIEW_MAP = {
    "overview": "park_org",  # the map shows the mean of the three zones (VIEW_KPIS["overview"])
    "park": "park_org",
    "community": "community_org",
    "scenic": "scenic_org",
    "sites": "sites_progress",
}
ZONE_SHORT = {"park": "园区", "community": "社区", "scenic": "景区"}
CANVAS_WIDTH = 1920  # a 16:9 screen; a wider wall gets a wider canvas, always 1080 high
WALL_WIDTH = 2400  # from this canvas width on, the board gets a column of its own
CENTRE_HEIGHT, BARS_HEIGHT, TREND_HEIGHT, TITLE_HEIGHT, TICKER_HEIGHT = 890, 500, 380, 64, 60
PANEL_HEIGHT, PANEL_HEIGHT_WALL, BOARD_HEIGHT = 196, 290, 266
BOARD_ROWS = 16


@dataclass(frozen=True)
class Panel:
    title: str
    value: str
    detail: str  # n/d and the change against the previous quarter, or why there is no value


@dataclass
class ScreenView:
    key: str
    title: str
    panels: list[Panel]
    choropleth: go.Figure
    side: list[go.Figure]
    ticker: list[str]
    board: list[str]


def wall(width: int) -> bool:
    """True when the canvas is wide enough for the board to have its own column."""
    return width >= WALL_WIDTH


def county(ctx: Context) -> str | None:
    """The one county of the scope, None for the city or several districts."""
    return ctx.scope.counties[0] if len(ctx.scope.counties) == 1 else None


def nothing_in(ctx: Context, zone: str) -> str:
    """What to say when a zone has nothing in the scope (该县无旅游景区)."""
    what = ZONES.get(zone, "示范点")
    if ctx.scope.township:
        return f"该乡镇（街道）无{what}"
    return f"该县无{what}" if county(ctx) else f"所选区县无{what}"


def build(db: Database, ctx: Context, key: str, k: float = 1.0, fetch: Callable[..., Any] | None = None) -> ScreenView:
    """Everything one carousel view shows, drawn at scale k (the same at any canvas width);
    `fetch(fn, ctx, *args)`: the cache each query goes through (none: straight to the store)."""
    one = county(ctx)
    q = Source(db, fetch)
    if key == "sites":
        df = q(sites.sites, ctx)
        panels = _site_panels(df, ctx)
        side = _site_charts(df, ctx, k)
    elif key == "overview":
        panels = [_kpi_panel(q, ctx, i) for i in VIEW_KPIS[key]]
        side = _overview_charts(q, ctx, k)
    else:
        panels = [_kpi_panel(q, ctx, i) for i in VIEW_KPIS[key]]
        side = _zone_charts(q, ctx, key, k)
    centre = _map(q, ctx, key, k, one)
    return ScreenView(key, VIEWS[key], panels, centre, side, q(ticker, ctx), q(board, ctx))


# --- the map ------------------------------------------------------------------------------------


def _map(q: Source, ctx: Context, key: str, k: float, one: str | None) -> go.Figure:
    if key == "overview":
        values = _overview_values(q, ctx)
        title = f"三区组织覆盖率均值（{'乡镇' if ctx.scope.township else '分区县'}）"
    else:
        ind = indicator(VIEW_MAP[key])
        values = q(mapdata.district_values, ctx, ind.key)
        note = fmt.no_data(ind.zone)
        values["hover"] = [
            f"{_area_name(ctx, d)} · {fmt.pct(r)} · {int(n):,} / {int(dn):,}"
            if r == r
            else f"{_area_name(ctx, d)} · {note}"
            for d, r, n, dn in zip(values["district"], values["rate"], values["numerator"], values["denominator"])
        ]
        title = f"{ind.title}（{'分乡镇' if one and key != 'sites' else '分区县'}）"
    zone = "sites" if key == "sites" else ("park" if key == "overview" else key)
    empty = fmt.no_data(zone) if key != "overview" else "—"  # grey, named, never the colour of 0 %
    points = _township_points(q, ctx, key) if one and key not in ("overview", "sites") else None
    names = {one: _area_name(ctx, one)} if one and ctx.scope.township else None
    return choropleth(values, title, CENTRE_HEIGHT, k, focus=one, points=points, empty=empty, names=names)


def _area_name(ctx: Context, code: str) -> str:
    """A district's name on the map; at a township scope its county's shape stands for the
    township (the values are the township's), so the township's name."""
    return unit_name(ctx.scope.township) if ctx.scope.township and code in ctx.scope.counties else district_name(code)


def _overview_values(q: Source, ctx: Context) -> pd.DataFrame:
    """Per district: the mean of the three zones' organisation coverage, the three on hover."""
    t = q(overview.district_table, ctx)
    rates = t[[f"{z}_rate" for z in ZONE_SHORT]]
    hover = [
        " · ".join([_area_name(ctx, d), *(f"{ZONE_SHORT[z]} {fmt.pct(row[f'{z}_rate'])}" for z in ZONE_SHORT)])
        for d, (_, row) in zip(t["district"], rates.iterrows())
    ]
    return pd.DataFrame({"district": t["district"], "rate": rates.mean(axis=1, skipna=True), "hover": hover})


def _township_points(q: Source, ctx: Context, zone: str) -> pd.DataFrame:
    rows = q(_by_township, ctx, VIEW_MAP[zone])
    pts = townships()[["code", "lon", "lat"]].rename(columns={"code": "township"})
    out = rows.merge(pts, on="township")
    out["hover"] = [
        f"{n} · {fmt.pct(r)} · {int(a):,} / {int(b):,}"
        for n, r, a, b in zip(out["name"], out["rate"], out["numerator"], out["denominator"])
    ]
    return out


# --- the side charts ------------------------------------------------------------------------------


@uses("scope", "period")
def by_area(db: Database, ctx: Context, key: str) -> pd.DataFrame:
    """One indicator per place (`places.level`): per city for the whole of a province, per
    township when the scope is one county (or a township), else per district: name, numerator,
    denominator, rate (townships with nothing to cover left out; a city or district with nothing
    to cover kept, without a rate)."""
    if county(ctx):
        return _by_township(db, ctx, key)
    if places.level(ctx.scope) == "city":
        return _by_city(db, ctx, key)
    df = mapdata.district_values(db, ctx, key)
    if not (df["denominator"] > 0).any():
        return df.iloc[0:0].assign(name=[])
    df = df.set_index("district").reindex(list(ctx.scope.counties)).rename_axis("district").reset_index()
    df[["numerator", "denominator"]] = df[["numerator", "denominator"]].fillna(0)
    df["rate"] = df["rate"].where(df["denominator"] > 0)  # nothing to cover: no rate, listed last
    df["note"] = fmt.no_data(indicator(key).zone)
    df["name"] = df["district"].map(district_name)
    return df


def _by_city(db: Database, ctx: Context, key: str) -> pd.DataFrame:
    ind = indicator(key)
    if ind.zone == "sites":  # the sites' milestones per district, summed per city
        df = sites.district_progress(db, ctx).rename(columns={"district": "city"})
        df["city"] = df["city"].map(places.city_of)
        df = df.groupby("city", as_index=False)[["numerator", "denominator"]].sum()
    else:
        df = coverage(db, ctx, ind.zone, by=("city",))
        df = df.rename(columns={ind.numerator: "numerator", ind.denominator: "denominator"})
    df = df.set_index("city").reindex(places.every(ctx.scope)).rename_axis("city").reset_index()
    df[["numerator", "denominator"]] = df[["numerator", "denominator"]].fillna(0)
    df["rate"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    df["note"] = fmt.no_data(ind.zone)
    df["name"] = df["city"].map(places.name)
    return df[["city", "numerator", "denominator", "rate", "note", "name"]]


@uses("scope", "period")
def _by_township(db: Database, ctx: Context, key: str) -> pd.DataFrame:
    ind = indicator(key)
    df = coverage(db, ctx, ind.zone, by=("township",))
    df = df.rename(columns={ind.numerator: "numerator", ind.denominator: "denominator"})
    df = df[df["denominator"] > 0][["township", "numerator", "denominator"]].copy()
    df["rate"] = df["numerator"] / df["denominator"]
    names = townships().set_index("code")["name"]
    df["name"] = df["township"].map(names).fillna(df["township"])
    return df


def _trend(counts: pd.DataFrame, key: str) -> pd.DataFrame:
    """`overview.trend` (period, numerator, denominator, rate of one indicator over every quarter
    in the store) from `coverage_trend`'s counts: one query for a zone's every indicator."""
    ind = indicator(key)
    out = pd.DataFrame({"period": counts["period"], "numerator": counts[ind.numerator]})
    out["denominator"] = counts[ind.denominator]
    out["rate"] = out["numerator"] / out["denominator"].where(out["denominator"] > 0)
    return out


def _trend_to(q: Source, ctx: Context, key: str) -> pd.DataFrame:
    """The trend up to the chosen quarter (`overview.trend_to`): a view as of a quarter shows no later one."""
    t = _trend(q(coverage_trend, ctx, indicator(key).zone), key)
    return t[t["period"] <= ctx.period].reset_index(drop=True)


def _kpi(q: Source, ctx: Context, key: str) -> overview.Kpi:
    """`overview.kpi` read off the zone's counts over every quarter (cached per scope, shared by
    the views and the quarters): the quarter, the one before and the one a year before."""
    ind = indicator(key)
    t = _trend(q(coverage_trend, ctx, ind.zone), key).set_index("period")
    if ctx.period not in t.index:  # a quarter the store does not hold
        return q(overview.kpi, ctx, key)

    def at(period: str) -> float | None:
        return rate(t.at[period, "numerator"], t.at[period, "denominator"]) if period in t.index else None

    num, den = int(t.at[ctx.period, "numerator"]), int(t.at[ctx.period, "denominator"])
    return overview.Kpi(
        ind, num, den, rate(num, den), at(periods.shift(ctx.period, -1)), at(periods.shift(ctx.period, -4))
    )


def _area_title(ctx: Context, what: str) -> str:
    return f"各{places.word(ctx.scope)}{what}"


def _ranking(rows: pd.DataFrame, what: str, ctx: Context, height: int, k: float) -> go.Figure:
    """A ranking of areas, at most MAX_ROWS rows (the lowest ones, said in the title)."""
    if len(rows) > charts.MAX_ROWS:
        rows = rows.sort_values("rate").head(charts.MAX_ROWS)
        area = "乡镇" if county(ctx) else places.word(ctx.scope)
        return charts.bars(rows, f"{what}后 {charts.MAX_ROWS} 位{area}", height, k)
    return charts.bars(rows, _area_title(ctx, what), height, k)


def _zone_charts(q: Source, ctx: Context, zone: str, k: float) -> list[go.Figure]:
    key = VIEW_KPIS[zone][0]
    rows = q(by_area, ctx, key)
    title = f"{indicator(key).title}走势"
    if rows.empty:
        why = nothing_in(ctx, zone)
        return [
            charts.message(_area_title(ctx, "组织覆盖率"), why, BARS_HEIGHT, k),
            charts.message(title, why, TREND_HEIGHT, k),
        ]
    lines = charts.trends({ZONES[zone]: _trend_to(q, ctx, key)}, title, TREND_HEIGHT, k)
    return [_ranking(rows, "组织覆盖率", ctx, BARS_HEIGHT, k), lines]


def _overview_charts(q: Source, ctx: Context, k: float) -> list[go.Figure]:
    """The three zones side by side per area, and their three trends on one chart."""
    tables = []
    for zone in ZONE_SHORT:
        df = q(by_area, ctx, f"{zone}_org").rename(columns={"rate": f"{zone}_rate"})
        tables.append(df[["name", f"{zone}_rate"]])
    rows = tables[0].merge(tables[1], on="name", how="outer").merge(tables[2], on="name", how="outer")
    title = f"各{places.word(ctx.scope)}三区组织覆盖率"
    if len(rows) > charts.MAX_ROWS:
        mean = rows[[f"{z}_rate" for z in ZONE_SHORT]].mean(axis=1)
        rows = rows.loc[mean.sort_values().index[: charts.MAX_ROWS]]
        title = f"三区覆盖率均值后 {charts.MAX_ROWS} 位"
    cells = charts.zone_cells(rows, ZONE_SHORT, title, BARS_HEIGHT, k)
    lines = {}
    for zone in ZONE_SHORT:
        t = _trend_to(q, ctx, f"{zone}_org")
        if t["denominator"].sum() > 0:
            lines[ZONE_SHORT[zone]] = t
    return [cells, charts.trends(lines, "三区组织覆盖率走势", TREND_HEIGHT, k)]


def _site_charts(df: pd.DataFrame, ctx: Context, k: float) -> list[go.Figure]:
    """Sites by status per district (per zone within one county), and progress per zone."""
    if df.empty:
        why = nothing_in(ctx, "sites")
        return [
            charts.message("示范点推进状态", why, BARS_HEIGHT, k),
            charts.message("节点完成率", why, TREND_HEIGHT, k),
        ]
    by = "zone" if county(ctx) else places.level(ctx.scope)
    if by == "city":
        df = df.assign(city=df["district"].map(places.city_of))
    counts = pd.crosstab(df[by], df["status"]).reindex(columns=list(charts.STATUS_FILLS), fill_value=0)
    if by != "zone":  # a district (city) without sites: at the bottom, named so
        counts = counts.reindex(places.every(ctx.scope), fill_value=0).rename_axis(by)
    counts = counts.reset_index()
    counts["name"] = counts[by].map(places.name) if by != "zone" else counts[by]
    area = "各领域" if by == "zone" else f"各{places.word(ctx.scope)}"
    status = charts.statuses(counts, f"{area}示范点推进状态", BARS_HEIGHT, k)
    g = df.groupby("zone")[["milestones_done", "milestones"]].sum().reset_index()
    g = g.rename(columns={"zone": "name", "milestones_done": "numerator", "milestones": "denominator"})
    g["rate"] = g["numerator"] / g["denominator"].where(g["denominator"] > 0)
    return [status, charts.bars(g, "各领域示范点节点完成率", TREND_HEIGHT, k)]


# --- panels -------------------------------------------------------------------------------------------


def _kpi_panel(q: Source, ctx: Context, key: str) -> Panel:
    k = _kpi(q, ctx, key)
    if not k.denominator:
        return Panel(k.indicator.title, "—", nothing_in(ctx, k.indicator.zone))
    detail = f"{k.numerator:,} / {k.denominator:,} · 环比 {fmt.pp(k.change) or '—'}"
    return Panel(k.indicator.title, fmt.pct(k.rate), detail)


def _site_panels(df: pd.DataFrame, ctx: Context) -> list[Panel]:
    n = len(df)
    counts = df["status"].value_counts()
    done, total = int(df["milestones_done"].sum()), int(df["milestones"].sum())
    none = nothing_in(ctx, "sites") if not n else ""
    return [
        Panel("示范点 · 节点完成率", fmt.pct(done / total if total else None), none or f"{done:,} / {total:,} 个节点"),
        Panel("示范点 · 正常推进", f"{int(counts.get('green', 0))}", none or f"共 {n} 个示范点"),
        Panel(
            "示范点 · 逾期 / 预警",
            f"{int(counts.get('red', 0))} / {int(counts.get('amber', 0))}",
            none or "红：节点逾期 · 黄：30 天内到期",
        ),
    ]


# --- the ticker and the board -------------------------------------------------------------------------

TICKER_SQL = """
SELECT 'inspection' AS kind, i.date AS day, s.name, i.score AS score, NULL AS title
FROM inspections i JOIN demo_sites s USING (site_id)
WHERE list_contains($scope, s.district) AND entity_in_township($township, s.entity_type, s.entity_id)
  AND i.date <= $day AND s.started <= $day
UNION ALL
SELECT 'overdue', m.due, s.name, NULL, m.title
FROM milestones m JOIN demo_sites s USING (site_id)
WHERE list_contains($scope, s.district) AND entity_in_township($township, s.entity_type, s.entity_id)
  AND s.started <= $day AND (m.done IS NULL OR m.done > $day) AND m.due < $day
ORDER BY day DESC, kind, name, title, score
LIMIT $limit
"""


@uses(*sites.EVERY_FIELD)
def ticker(db: Database, ctx: Context, limit: int = 12) -> list[str]:
    """Latest inspections and overdue milestones, newest first, as plain text."""
    return _lines(db, ctx, TICKER_SQL, limit, _ticker_line)


def _ticker_line(r, day: str) -> str:
    if r.kind == "inspection":
        return f"【督查】{day} {r.name} 得分 {r.score:.1f}"
    return f"【逾期】{r.name}「{r.title}」应于 {day} 完成"


def _lines(db: Database, ctx: Context, sql: str, limit: int, line) -> list[str]:
    """The rows of a newest-first `sql` as of `sites.status_day`, one text line each (`line(row, 'mm-dd')`)."""
    rows = db.query(sql, ctx.scope, day=sites.status_day(db, ctx), limit=limit)
    return [line(r, pd.Timestamp(r.day).strftime("%m-%d")) for r in rows.itertuples()]


# Names are joined only to the rows as new as the board's last line (the cut): at ×100 the
# joins with every unit and community made the whole query 80 ms instead of 30.
BOARD_SQL = """
WITH ins AS (
  SELECT i.date AS day, i.district, s.name, i.inspector_role AS who, CAST(i.score AS VARCHAR) AS what
  FROM inspections i JOIN demo_sites s USING (site_id)
  WHERE list_contains($scope, i.district) AND entity_in_township($township, s.entity_type, s.entity_id)
    AND i.date <= $day
), vis AS (
  SELECT v.date AS day, v.district, p.entity_type, p.entity_id, p.leader_role AS who, v.kind AS what
  FROM visits v JOIN contact_points p USING (point_id)
  WHERE list_contains($scope, v.district) AND entity_in_township($township, p.entity_type, p.entity_id)
    AND v.date <= $day
), cut AS (  -- the day of the board's last line: older rows cannot be on it
  SELECT coalesce(min(day), DATE '0001-01-01') AS day
  FROM (SELECT day FROM ins UNION ALL SELECT day FROM vis ORDER BY day DESC LIMIT $limit)
)
SELECT 'inspection' AS kind, day, district, name, who, what FROM ins WHERE day >= (SELECT day FROM cut)
UNION ALL
SELECT 'visit', v.day, v.district, coalesce(u.name, c.name, v.entity_id), v.who, v.what
FROM vis v
LEFT JOIN units u ON u.entity_type = v.entity_type AND u.entity_id = v.entity_id
LEFT JOIN communities c ON v.entity_type = 'community' AND c.community_id = v.entity_id
WHERE v.day >= (SELECT day FROM cut)
ORDER BY day DESC, kind, name
LIMIT $limit
"""


@uses(*sites.EVERY_FIELD)
def board(db: Database, ctx: Context, limit: int = BOARD_ROWS) -> list[str]:
    """The latest inspections of demonstration sites and leaders' visits to their contact
    points, newest first, one line each."""
    return _lines(db, ctx, BOARD_SQL, limit, _board_line)


def _board_line(r, day: str) -> str:
    if r.kind == "inspection":
        return f"{day} 督查 {r.name} {float(r.what):.1f} 分"
    return f"{day} {r.who}{r.what} {r.name}"

"""The big-screen briefing (大屏): what each carousel view shows, as plain objects.

A view is a zone (or the overview, or the demonstration sites): three KPI panels on the
left, a district choropleth in the centre, comparison charts on the right, and a ticker of
demonstration-site news and overdue items at the bottom. Everything is laid out on a
1920×1080 canvas that the page scales to the screen.
"""

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale

from sanqu import fmt
from sanqu.context import Context, uses
from sanqu.figures import plotly_text
from sanqu.geography import district_name, district_shapes
from sanqu.ingest.registers import ZONES
from sanqu.mapping import mapdata
from sanqu.metrics import overview
from sanqu.metrics.indicators import indicator
from sanqu.metrics.ranking import no_data_last
from sanqu.programmes import sites
from sanqu.storage.db import Database

VIEWS = {"overview": "三区总览", **ZONES, "sites": "示范点"}
VIEW_KPIS = {
    "overview": ("park_org", "community_org", "scenic_org"),
    "park": ("park_org", "park_own", "park_work"),
    "community": ("community_org", "community_own", "community_work"),
    "scenic": ("scenic_org", "scenic_own", "scenic_work"),
}
VIEW_MAP = {
    "overview": "park_org",
    "park": "park_org",
    "community": "community_org",
    "scenic": "scenic_org",
    "sites": "sites_progress",
}
BG, PANEL, TEXT, MUTED, ACCENT = "#07142b", "#0d2145", "#e8f0ff", "#8fa6c8", "#ffcf4a"
# Three font sizes only: labels, titles, numerals (px on the 1920×1080 canvas).
SIZE_LABEL, SIZE_TITLE, SIZE_NUMBER = 24, 34, 72
CENTRE_HEIGHT, BARS_HEIGHT, TREND_HEIGHT, PANEL_HEIGHT, TITLE_HEIGHT, TICKER_HEIGHT = 890, 500, 380, 290, 64, 60
SCALE = ["#16325c", "#1f5a8c", "#2b8cbe", "#7bccc4", "#ffcf4a"]
NO_DATA_FILL = "#4a4f5a"  # grey, unlike any colour of SCALE: nothing to count

pio.templates["sanqu_dark"] = go.layout.Template(
    layout=dict(
        font=dict(family="Noto Sans CJK SC, Microsoft YaHei, sans-serif", size=SIZE_LABEL, color=TEXT),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        colorway=[ACCENT, "#4fc3f7", "#81c784", "#f48fb1"],
        margin=dict(l=10, r=10, t=50, b=10),
        xaxis=dict(gridcolor="#1d3a66", zeroline=False),
        yaxis=dict(gridcolor="#1d3a66", zeroline=False),
        legend=dict(orientation="h", y=1.02, x=0),
    )
)


@dataclass(frozen=True)
class Panel:
    title: str
    value: str
    detail: str  # n/d and the change against the previous quarter


@dataclass
class ScreenView:
    key: str
    title: str
    panels: list[Panel]
    choropleth: go.Figure
    side: list[go.Figure]
    ticker: list[str]


@lru_cache(maxsize=1)
def _rings() -> dict[str, list[tuple[list[float], list[float]]]]:
    """Each district's outer rings (lon, lat lists), simplified for display."""
    out: dict[str, list] = {}
    shapes = district_shapes(True).set_index("district").geometry.simplify(0.003)
    for code, geom in shapes.items():
        polys = getattr(geom, "geoms", [geom])
        out[code] = [([round(x, 4) for x in p.exterior.xy[0]], [round(y, 4) for y in p.exterior.xy[1]]) for p in polys]
    return out


def choropleth(values: pd.DataFrame, title: str, height: int, k: float = 1.0, note: str = fmt.NO_DATA) -> go.Figure:
    """Districts filled by rate, with rate and n/d on hover: plain cartesian shapes, so the
    figure needs no map tiles and no topojson download (plotly's geo traces fetch one). A
    district without a rate (nothing to count) is grey (NO_DATA_FILL) and labelled `note`."""
    fig = go.Figure()
    vals = values.set_index("district")
    scale = [[i / (len(SCALE) - 1), c] for i, c in enumerate(SCALE)]
    for code, rings in _rings().items():
        name = district_name(code)
        if (
            code in vals.index
            and vals.loc[code, "rate"] == vals.loc[code, "rate"]
            and vals.loc[code, "rate"] is not None
        ):
            r = vals.loc[code]
            colour = sample_colorscale(scale, [float(r["rate"])])[0]
            hover = f"{name} · {fmt.pct(r['rate'])} · {int(r['numerator']):,} / {int(r['denominator']):,}"
        else:
            colour, hover = NO_DATA_FILL, f"{name} · {note}"
        for xs, ys in rings:
            fig.add_scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=colour,
                mode="lines",
                line=dict(color="#9fc3ff", width=1.2),
                hoveron="fills",
                hoverinfo="text",
                text=hover,
                showlegend=False,
            )
        cx, cy = _label_point(code)
        has = code in vals.index and vals.loc[code, "rate"] == vals.loc[code, "rate"]
        has = has and vals.loc[code, "rate"] is not None
        rate = fmt.pct(vals.loc[code, "rate"]) if has else note
        fig.add_scatter(
            x=[cx],
            y=[cy],
            mode="text",
            customdata=[[name, rate]],
            texttemplate="%{customdata[0]}<br>%{customdata[1]}" if rate else "%{customdata[0]}",
            textfont=dict(size=SIZE_LABEL * k, color=TEXT),
            hoverinfo="skip",
            showlegend=False,
        )
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="markers",
        showlegend=False,
        hoverinfo="skip",
        marker=dict(
            colorscale=scale,
            cmin=0,
            cmax=100,
            color=[0],
            showscale=True,
            colorbar=dict(title=dict(text="%"), thickness=18 * k, len=0.6),
        ),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.12)
    return _finish(fig, title, height, k)


@lru_cache(maxsize=16)
def _label_point(code: str) -> tuple[float, float]:
    p = district_shapes(True).set_index("district").geometry[code].representative_point()
    return round(p.x, 4), round(p.y, 4)


def _finish(fig: go.Figure, title: str, height: int, k: float) -> go.Figure:
    """Dark template, the three font sizes and the height, all at the screen's scale k; the
    text from data escaped (every figure of the screen ends here)."""
    fig.update_layout(
        template="sanqu_dark",
        title=dict(text=title, font=dict(size=SIZE_TITLE * k)),
        font=dict(size=SIZE_LABEL * k),
        height=round(height * k),
        margin=dict(l=10 * k, r=20 * k, t=70 * k, b=10 * k),
        xaxis=dict(automargin=True),
        yaxis=dict(automargin=True),
        hoverlabel=dict(font_size=SIZE_LABEL * k),
    )
    return plotly_text.safe(fig)


def _ranked_bars(df: pd.DataFrame, rate: str, note: str) -> go.Figure:
    """Horizontal bars, highest rate on top; districts without a rate at the bottom with `note`
    (or their own in a `note` column) and no bar (never first, never 0 %)."""
    df = no_data_last(df, rate).iloc[::-1]  # plotly draws the first row at the bottom
    fig = go.Figure(
        go.Bar(
            x=df[rate] * 100,
            y=df["name"],
            orientation="h",
            marker_color=ACCENT,
            text=[fmt.pct(r) if r == r else "" for r in df[rate]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} %{x:.1f}%<extra></extra>",
            showlegend=False,
        )
    )
    missing = df[df[rate].isna()]
    if len(missing):
        fig.add_scatter(
            x=[0] * len(missing),
            y=missing["name"],
            mode="text",
            text=missing["note"] if "note" in missing else [note] * len(missing),
            textposition="middle right",
            textfont=dict(color=MUTED),
            hoverinfo="skip",
            showlegend=False,
        )
    fig.update_layout(yaxis=dict(tickmode="linear", categoryorder="array", categoryarray=list(df["name"])))
    return fig


def _bars(table: pd.DataFrame, zone: str, height: int, k: float) -> go.Figure:
    fig = _ranked_bars(table, f"{zone}_rate", fmt.no_data(zone))
    fig.update_layout(xaxis=dict(range=[0, 118], showticklabels=False))
    return _finish(fig, "各区县组织覆盖率", height, k)


def _trend(db: Database, ctx: Context, key: str, height: int, k: float) -> go.Figure:
    t = overview.trend(db, ctx, key)
    fig = go.Figure(
        go.Scatter(
            x=t["period"].str[2:],
            y=t["rate"] * 100,
            mode="lines+markers",
            line=dict(width=5 * k, color=ACCENT),
            marker=dict(size=12 * k),
            hovertemplate="%{x} %{y:.1f}%<extra></extra>",
        )
    )
    fig.update_layout(yaxis=dict(rangemode="tozero", ticksuffix="%", nticks=5), xaxis=dict(tickangle=0, nticks=5))
    return _finish(fig, f"{indicator(key).title}走势", height, k)


def _kpi_panel(db: Database, ctx: Context, key: str) -> Panel:
    k = overview.kpi(db, ctx, key)
    detail = f"{k.numerator:,} / {k.denominator:,} · 环比 {fmt.pp(k.change) or '—'}"
    return Panel(k.indicator.title, fmt.pct(k.rate), detail)


def _site_panels(df: pd.DataFrame) -> list[Panel]:
    n = len(df)
    counts = df["status"].value_counts()
    done, total = int(df["milestones_done"].sum()), int(df["milestones"].sum())
    return [
        Panel("示范点 · 节点完成率", fmt.pct(done / total if total else None), f"{done:,} / {total:,} 个节点"),
        Panel("示范点 · 正常推进", f"{int(counts.get('green', 0))}", f"共 {n} 个示范点"),
        Panel(
            "示范点 · 逾期 / 预警",
            f"{int(counts.get('red', 0))} / {int(counts.get('amber', 0))}",
            "红：节点逾期 · 黄：30 天内到期",
        ),
    ]


TICKER_SQL = """
SELECT 'inspection' AS kind, i.date AS day, s.name, i.score AS score, NULL AS title
FROM inspections i JOIN demo_sites s USING (site_id)
WHERE list_contains($scope, s.district) AND i.date <= $day AND s.started <= $day
UNION ALL
SELECT 'overdue', m.due, s.name, NULL, m.title
FROM milestones m JOIN demo_sites s USING (site_id)
WHERE list_contains($scope, s.district) AND s.started <= $day AND (m.done IS NULL OR m.done > $day) AND m.due < $day
ORDER BY day DESC
LIMIT $limit
"""


@uses(*sites.EVERY_FIELD)
def ticker(db: Database, ctx: Context, limit: int = 12) -> list[str]:
    """Latest inspections and overdue milestones as of `sites.status_day`, newest first, as plain text."""
    rows = db.query(TICKER_SQL, ctx.scope, day=sites.status_day(db, ctx), limit=limit)
    out = []
    for r in rows.itertuples():
        day = pd.Timestamp(r.day).strftime("%m-%d")
        if r.kind == "inspection":
            out.append(f"【督查】{day} {r.name} 得分 {r.score:.1f}")
        else:
            out.append(f"【逾期】{r.name}「{r.title}」应于 {day} 完成")
    return out


def build(db: Database, ctx: Context, key: str, k: float = 1.0) -> ScreenView:
    """Everything one carousel view shows, for the 1920×1080 canvas drawn at scale k."""
    map_key = VIEW_MAP[key]
    values = mapdata.district_values(db, ctx, map_key)
    note = fmt.no_data(indicator(map_key).zone)
    centre = choropleth(values, f"{indicator(map_key).title}（分区县）", CENTRE_HEIGHT, k, note)
    if key == "sites":
        df = sites.sites(db, ctx)
        panels = _site_panels(df)
        side = [_progress_bars(df, ctx, BARS_HEIGHT, k), _trend(db, ctx, "park_org", TREND_HEIGHT, k)]
    else:
        panels = [_kpi_panel(db, ctx, i) for i in VIEW_KPIS[key]]
        zone = "park" if key == "overview" else key
        table = overview.district_table(db, ctx)
        side = [_bars(table, zone, BARS_HEIGHT, k), _trend(db, ctx, VIEW_KPIS[key][0], TREND_HEIGHT, k)]
    return ScreenView(key, VIEWS[key], panels, centre, side, ticker(db, ctx))


def _progress_bars(df: pd.DataFrame, ctx: Context, height: int, k: float) -> go.Figure:
    """Milestones done per district of the scope; a district without sites (or milestones) at
    the bottom, 无示范点 / 暂无数据, no bar."""
    g = df.groupby("district")[["milestones_done", "milestones"]].sum().reindex(list(ctx.scope.codes))
    g = g.rename_axis("district").reset_index()
    g["rate"] = g["milestones_done"] / g["milestones"].where(g["milestones"] > 0)
    g["name"] = g["district"].map(district_name)
    g["note"] = g["milestones"].isna().map({True: fmt.no_data("sites"), False: "暂无节点"})
    fig = _ranked_bars(g, "rate", fmt.no_data("sites"))
    fig.update_layout(xaxis=dict(range=[0, 118], ticksuffix="%"))
    return _finish(fig, "各区县示范点节点完成率", height, k)

"""Plotly figures with one Chinese theme."""

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sanqu.figures.plotly_text import figure
from sanqu.ingest.registers import ZONES

ZONE_COLOURS = {"park": "#c8161d", "community": "#e08a1e", "scenic": "#2a7ab0"}
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

pio.templates["sanqu"] = go.layout.Template(
    layout=dict(
        font=dict(family=FONT, size=14, color="#222"),
        colorway=list(ZONE_COLOURS.values()) + ["#6a9f3a", "#8a5cb8", "#888"],
        separators=".,",
        margin=dict(l=40, r=20, t=40, b=40),
        legend=dict(orientation="h", y=1.08, x=0),
        plot_bgcolor="white",
        yaxis=dict(gridcolor="#eee"),
    )
)


def district_table_view(table: pd.DataFrame, word: str = "区县") -> pd.DataFrame:
    """The district table (of places `word`: 区县, 设区市, 乡镇（街道）) with Chinese headers; rates in
    percent (NaN where there is nothing to cover: the page shows it as —, `st.dataframe(…, placeholder="—")`)."""
    out = pd.DataFrame({f"{word}代码": table["district"], word: table["name"]})
    for zone, label in ZONES.items():
        out[f"{label}覆盖数"] = table[f"{zone}_num"].fillna(0).astype(int)
        out[f"{label}应覆盖数"] = table[f"{zone}_den"].fillna(0).astype(int)
        out[f"{label}覆盖率(%)"] = (table[f"{zone}_rate"] * 100).round(1)
    return out


# --- demonstration sites and mechanisms (issue 5; the 示范点 page's own charts: vega_sites) ---------

STATUS_COLOURS = {"red": "#d62728", "amber": "#f0a30a", "green": "#2ca02c"}  # as on the map
KIND_COLOURS = ["#c8161d", "#2a7ab0", "#e08a1e", "#6a9f3a", "#8a5cb8", "#888", "#17a2b8", "#b5651d", "#d46a9f"]


@figure
def score_bars(ranked: pd.DataFrame, title: str = "得分") -> go.Figure:
    """Ranked districts' scores as horizontal bars, first at the top; unranked ones left out (长效机制)."""
    d = ranked[ranked["rank"].notna()]
    fig = go.Figure(
        go.Bar(
            x=d["score"],
            y=[f"{int(r)}. {n}" for r, n in zip(d["rank"], d["name"])],
            orientation="h",
            marker_color="#c8161d",
            text=[f"{s:.1f}" for s in d["score"]],
            textposition="outside",
            hovertemplate="%{y}：%{x:.1f} 分<extra></extra>",
        )
    )
    fig.update_layout(
        template="sanqu",
        xaxis=dict(title=title, range=[0, 110]),
        yaxis=dict(autorange="reversed", automargin=True),
        height=max(240, 36 * len(d) + 90),
        showlegend=False,
    )
    return fig


@figure
def stacked_bars(
    df: pd.DataFrame, x: str, colour: str, y: str, order: list[str], y_title: str, height: int = 340
) -> go.Figure:
    """Bars of `y` per `x`, stacked by `colour` (traces in `order`), totals on hover."""
    fig = go.Figure()
    for i, key in enumerate(order):
        d = df[df[colour] == key]
        fig.add_bar(
            name=key,
            x=d[x],
            y=d[y],
            marker_color=KIND_COLOURS[i % len(KIND_COLOURS)],
            hovertemplate="%{x} · %{fullData.name}：%{y:,}<extra></extra>",
        )
    fig.update_layout(
        template="sanqu", barmode="stack", yaxis=dict(title=y_title), height=height, legend=dict(traceorder="normal")
    )
    fig.update_xaxes(type="category")
    return fig


@figure
def category_bars(df: pd.DataFrame, x: str, y: str, title: str, unit: str = "", height: int = 300) -> go.Figure:
    """Plain bars of one count per category, value on each bar."""
    fig = go.Figure(
        go.Bar(
            x=df[x],
            y=df[y],
            marker_color="#c8161d",
            text=[f"{v:,.0f}" for v in df[y]],
            textposition="outside",
            hovertemplate="%{x}：%{y:,}" + unit + "<extra></extra>",
        )
    )
    top = float(df[y].max()) if len(df) else 0
    fig.update_layout(
        template="sanqu", title=title, yaxis=dict(range=[0, top * 1.2 + 1]), height=height, showlegend=False
    )
    fig.update_xaxes(type="category")
    return fig


@figure
def pairing_forms(pf: pd.DataFrame) -> go.Figure:
    """Pairings per form (bars) and their joint activities (markers, right axis)."""
    fig = go.Figure()
    fig.add_bar(
        name="结对数",
        x=pf["form"],
        y=pf["pairings"],
        marker_color="#c8161d",
        text=pf["pairings"],
        textposition="outside",
        hovertemplate="%{x}：%{y} 对<extra></extra>",
    )
    fig.add_scatter(
        name="开展活动次数",
        x=pf["form"],
        y=pf["activities"],
        yaxis="y2",
        mode="markers+text",
        text=pf["activities"],
        textposition="middle right",
        marker=dict(size=14, color="#2a7ab0", symbol="diamond"),
        hovertemplate="%{x}：活动 %{y} 次<extra></extra>",
    )
    top = float(pf["pairings"].max() or 1)
    fig.update_layout(
        template="sanqu",
        yaxis=dict(title="结对数（对）", range=[0, top * 1.25]),
        yaxis2=dict(title="活动次数", overlaying="y", side="right", rangemode="tozero", showgrid=False),
        height=340,
    )
    return fig


@figure
def funding_donut(mix: pd.DataFrame) -> go.Figure:
    """Venue funding over the five sources (万元)."""
    fig = go.Figure(
        go.Pie(
            labels=mix["source"],
            values=mix["amount"],
            hole=0.5,
            sort=False,
            marker=dict(colors=KIND_COLOURS[:5]),
            texttemplate="%{label}<br>%{percent:.1%}",
            hovertemplate="%{label}：%{value:,.1f} 万元（%{percent:.1%}）<extra></extra>",
        )
    )
    total = float(mix["amount"].sum())
    fig.update_layout(
        template="sanqu",
        height=340,
        showlegend=False,
        annotations=[dict(text=f"合计<br>{total:,.1f} 万元", showarrow=False, font=dict(size=16))],
    )
    return fig


@figure
def activity_heatmap(wide: pd.DataFrame, carriers: list[str]) -> go.Figure:
    """Times held per district (rows) and carrier (columns) in one quarter."""
    z = wide[carriers].to_numpy()
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=carriers,
            y=wide["district_name"],
            colorscale=[[0, "#fff5f0"], [1, "#c8161d"]],
            text=z,
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}：%{z} 次<extra></extra>",
            showscale=False,
        )
    )
    fig.update_layout(
        template="sanqu", height=max(240, 30 * len(wide) + 120), yaxis=dict(autorange="reversed", automargin=True)
    )
    fig.update_xaxes(side="top")
    return fig

"""Plotly figures with one Chinese theme."""

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sanqu.registers import ZONES

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


def district_bars(table: pd.DataFrame) -> go.Figure:
    """Grouped bars: organisation coverage of each zone per district, n/d on hover."""
    fig = go.Figure()
    for zone, label in ZONES.items():
        rate = table[f"{zone}_rate"] * 100
        fig.add_bar(
            name=label,
            x=table["name"],
            y=rate,
            marker_color=ZONE_COLOURS[zone],
            customdata=table[[f"{zone}_num", f"{zone}_den"]].fillna(0).astype(int).to_numpy(),
            hovertemplate="%{x} · "
            + label
            + "<br>组织覆盖率 %{y:.1f}%<br>%{customdata[0]:,} / %{customdata[1]:,}<extra></extra>",
        )
    fig.update_layout(
        template="sanqu", barmode="group", yaxis=dict(title="组织覆盖率（%）", range=[0, 105]), height=380
    )
    return fig


def district_table_view(table: pd.DataFrame) -> pd.DataFrame:
    """The district table with Chinese headers; rates in percent."""
    out = pd.DataFrame({"区县代码": table["district"], "区县": table["name"]})
    for zone, label in ZONES.items():
        out[f"{label}覆盖数"] = table[f"{zone}_num"].fillna(0).astype(int)
        out[f"{label}应覆盖数"] = table[f"{zone}_den"].fillna(0).astype(int)
        out[f"{label}覆盖率(%)"] = (table[f"{zone}_rate"] * 100).round(1)
    return out


def zone_trends(trends: dict[str, pd.DataFrame]) -> go.Figure:
    """Organisation coverage of each zone over every quarter, n/d on hover."""
    fig = go.Figure()
    for zone, df in trends.items():
        fig.add_scatter(
            name=ZONES[zone],
            x=df["period"],
            y=df["rate"] * 100,
            mode="lines+markers",
            line=dict(color=ZONE_COLOURS[zone], width=3),
            customdata=df[["numerator", "denominator"]].to_numpy(),
            hovertemplate="%{x} · "
            + ZONES[zone]
            + "<br>%{y:.1f}%<br>%{customdata[0]:,} / %{customdata[1]:,}<extra></extra>",
        )
    fig.update_layout(template="sanqu", yaxis=dict(title="组织覆盖率（%）", range=[0, 105]), height=380)
    return fig


def trend_line(df: pd.DataFrame, title: str) -> go.Figure:
    fig = go.Figure(
        go.Scatter(
            x=df["period"],
            y=df["rate"] * 100,
            mode="lines+markers",
            customdata=df[["numerator", "denominator"]].to_numpy(),
            hovertemplate="%{x}<br>%{y:.1f}%<br>%{customdata[0]:,} / %{customdata[1]:,}<extra></extra>",
        )
    )
    fig.update_layout(template="sanqu", title=title, yaxis=dict(title="%", rangemode="tozero"), height=300)
    return fig

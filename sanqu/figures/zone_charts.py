"""Plotly figures of the zone pages that Vega-Lite does not draw (the treemap) or that are not yet
ported (`vega_zone`), in the "sanqu" template (Chinese labels).

Bars a person can click carry `customdata` whose first two items say what the click
means: [filter value, list key] (see ui/zone_widgets.chart). Hover text shows the
numerator and denominator with every rate.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sanqu import periods
from sanqu.figures import charts  # noqa: F401  (registers the "sanqu" template)
from sanqu.figures.plotly_text import escape, figure

TREE_TEXT = 15  # px: the treemap's labels (the page's body text is 14-16 px)
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


@figure
def org_tree(tree: pd.DataFrame, root_label: str, height: int = 560, note: str | None = None) -> go.Figure:
    """The organisation tree as a treemap (click a box to drill down); size = covered enterprises;
    `note` (what the tree leaves out) above it."""
    labels = tree["name"].where(tree["org_id"] != "root", root_label)
    level = tree["level"].where(tree["org_id"] != "root", "")
    fig = go.Figure(
        go.Treemap(
            ids=tree["org_id"],
            parents=tree["parent"],
            labels=labels,
            values=tree["enterprises"],
            branchvalues="total",
            maxdepth=3,
            customdata=pd.DataFrame({"level": level, "members": tree["members"], "form": tree["form"]}).to_numpy(),
            texttemplate="%{label}<br>%{value:,} 家企业",
            textfont=dict(size=TREE_TEXT),
            insidetextfont=dict(size=TREE_TEXT),
            hovertemplate="%{label}<br>%{customdata[0]} %{customdata[2]}<br>覆盖企业 %{value:,} 家"
            "<br>党员 %{customdata[1]:,} 名<extra></extra>",
            marker=dict(colorscale=[[0, "#fbe3e1"], [1, "#c8161d"]], colors=tree["enterprises"], line=dict(width=1)),
            root=dict(color="#f6f6f6"),
            pathbar=dict(visible=True),
        )
    )
    # one readable size in every box; a box too small for it shows no text (hover still does)
    fig.update_layout(
        template="sanqu",
        height=height,
        margin=dict(l=0, r=0, t=30, b=0),
        uniformtext=dict(minsize=TREE_TEXT, mode="hide"),
    )
    if note:
        fig.update_layout(
            margin=dict(t=60),
            title=dict(text=escape(note), font=dict(size=13), x=0, xanchor="left"),
        )
    return fig


LEVEL_COLOURS = {"党委": "#8a1010", "党总支": "#e08a1e", "党支部": "#5a8fc0", "未建": "#999"}
# Communities drawn one by one; more are drawn as cells of similar size with their count. A
# district has at most a few hundred; the demo city's 2,967 points (167 KB) took plotly.js about
# 200 ms of Chromium's main thread to draw at every visit, its cells a few ms, and overlap
# anyway at the chart's size.
MAX_SCATTER = 1_000


@figure
def level_size_scatter(points: pd.DataFrame, members_min: int, height: int = 420) -> go.Figure:
    """Households (x) against members (y), coloured by organisation level: each community
    (`communities.size_points`), or, for more than MAX_SCATTER, cells of similar size with their
    count (`communities.size_cells`: columns n, x, y, cand)."""
    fig = go.Figure()
    cells = "n" in points.columns
    if cells:
        _size_cells(fig, points)
    for lv, colour in () if cells else LEVEL_COLOURS.items():
        _level_points(fig, points[points["level"] == lv], lv, colour)
    fig.add_hline(y=members_min, line=dict(color="#c8161d", dash="dash", width=1))
    fig.add_annotation(
        x=1, xref="paper", y=members_min, text=f"党员 {members_min} 名", showarrow=False, yshift=10, xanchor="right"
    )
    if cells:
        fig.add_annotation(  # in the plot's empty top left corner (above it lies the legend)
            x=0.01,
            xref="paper",
            y=0.99,
            yref="paper",
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            bgcolor="rgba(255,255,255,0.85)",
            text=f"共 {int(points['n'].sum()):,} 个村（社区），超过 {MAX_SCATTER:,} 个：<br>"
            "按户数和党员数分格聚合，圆点面积为个数",
        )
    fig.update_layout(
        template="sanqu",
        height=height,
        xaxis=dict(
            title="户数（对数刻度）",
            type="log",
            tickvals=[100, 200, 500, 1000, 2000, 5000, 10000],
            ticktext=["100", "200", "500", "1,000", "2,000", "5,000", "1万"],
        ),
        yaxis=dict(title="党员数"),
        legend=dict(title=None, itemsizing="constant"),  # a cell's size is its count, not the legend's
    )
    return fig


def _level_points(fig: go.Figure, part: pd.DataFrame, lv: str, colour: str) -> None:
    """One level's communities one by one: the others as circles, the upgrade candidates as outlined
    diamonds (a trace each, in one legend entry: a symbol per point is validated point by point)."""
    hover = (
        "%{customdata[0]}<br>"
        + lv
        + " · 党员 %{y:,} 名 · %{x:,} 户<br>面积 %{customdata[1]:.1f} km² %{customdata[2]}<extra></extra>"
    )
    first = True
    for cand, symbol, width in ((False, "circle", 0), (True, "diamond", 1.5)):
        points = part[part["candidate"] == cand]
        if points.empty:
            continue
        fig.add_scatter(
            name=lv,
            legendgroup=lv,
            showlegend=first,
            x=points["households"].to_numpy(),
            y=points["members"].to_numpy(),
            mode="markers",
            marker=dict(color=colour, size=7, opacity=0.75, symbol=symbol, line=dict(width=width, color="#222")),
            customdata=np.stack(
                [
                    points["name"].to_numpy(dtype=object),
                    points["area_km2"].to_numpy(dtype=object),
                    np.full(len(points), "升格候选" if cand else "", dtype=object),
                ],
                axis=1,
            ),
            hovertemplate=hover,
        )
        first = False


def _size_cells(fig: go.Figure, cells: pd.DataFrame) -> None:
    """The cells of similar size per level: one marker each at its communities' mean, its area
    the count, the count on hover."""
    top = int(cells["n"].max())
    for lv, colour in LEVEL_COLOURS.items():
        part = cells[cells["level"] == lv]
        if part.empty:
            continue
        fig.add_scatter(
            name=lv,
            x=part["x"],
            y=part["y"],
            mode="markers",
            marker=dict(color=colour, size=part["n"], sizemode="area", sizeref=2 * top / 26**2, sizemin=3, opacity=0.7),
            customdata=np.stack([part["n"], part["cand"]], axis=1),
            hovertemplate=lv + " · %{customdata[0]:,} 个村（社区）<br>党员约 %{y:,.0f} 名 · 约 %{x:,.0f} 户"
            "<br>其中升格候选 %{customdata[1]:,} 个<extra></extra>",
        )


@figure
def grid_bars(grid: pd.DataFrame, height: int = 340) -> go.Figure:
    """Grid coverage of 小区 / 楼栋 / 两新组织, urban against rural (and in total)."""
    fig = go.Figure()
    colours = {"城市社区": "#c46a00", "农村社区": "#6a9f3a", "合计": "#888"}
    for kind, df in grid.groupby("kind", sort=False):
        fig.add_bar(
            name=kind,
            x=df["unit"],
            y=df["rate"] * 100,
            marker_color=colours.get(kind, "#888"),
            text=[f"{r * 100:.1f}%" if r == r else "—" for r in df["rate"]],
            textposition="outside",
            cliponaxis=False,
            customdata=df[["numerator", "denominator"]].to_numpy(),
            hovertemplate="%{x} · %{fullData.name}<br>%{y:.1f}%<br>%{customdata[0]:,} / %{customdata[1]:,}"
            "<extra></extra>",
        )
    fig.update_layout(template="sanqu", barmode="group", height=height, yaxis=dict(title="覆盖率（%）", range=[0, 110]))
    return fig


@figure
def star_bars(dist: pd.DataFrame, height: int = 340) -> go.Figure:
    """Communities per star rating: this quarter, a quarter before, a year before; click a bar of
    this quarter to list its communities."""
    labels = [f"{s}星" if s else "未评星" for s in dist["stars"]]
    fig = go.Figure()
    for col, name, colour in (
        ("year_ago", "上年同期", "#d9d9d9"),
        ("previous", "上季度", "#f3b562"),
        ("current", "本季度", "#c46a00"),
    ):
        fig.add_bar(
            name=name,
            x=labels,
            y=dist[col],
            marker_color=colour,
            customdata=[[int(s), f"stars_{int(s)}"] for s in dist["stars"]],
            hovertemplate="%{x} · " + name + "<br>%{y:,} 个村（社区）<extra></extra>",
        )
    fig.update_layout(
        template="sanqu",
        barmode="group",
        height=height,
        yaxis=dict(title="村（社区）数"),
        xaxis=dict(type="category"),
        clickmode="event+select",
    )
    return fig


@figure
def star_matrix(m: pd.DataFrame, before: str, after: str, height: int = 340) -> go.Figure:
    """Communities by star rating at `before` (rows) and `after` (columns), both quarters 'YYYYQn'
    (shown as 2026年第2季度)."""
    before, after = periods.label(before), periods.label(after)
    labels = [f"{s}星" if s else "未评" for s in m.index]
    fig = go.Figure(
        go.Heatmap(
            z=m.to_numpy(),
            x=labels,
            y=labels,
            colorscale=[[0, "#fff8ee"], [1, "#c46a00"]],
            text=m.to_numpy(),
            texttemplate="%{text:,}",
            hovertemplate=f"{escape(before)} %{{y}} → {escape(after)} %{{x}}<br>%{{z:,}} 个<extra></extra>",
            showscale=False,
        )
    )
    fig.update_layout(
        template="sanqu",
        height=height,
        xaxis=dict(title=f"{after}星级", type="category", side="bottom"),
        yaxis=dict(title=f"{before}星级", type="category", autorange="reversed"),
    )
    return fig

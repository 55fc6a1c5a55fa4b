"""Plotly figures of the three zone pages, in the "sanqu" template (Chinese labels).

Bars a person can click carry `customdata` whose first two items say what the click
means: [filter value, list key] (see ui/zone_widgets.chart). Hover text shows the
numerator and denominator with every rate.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sanqu import periods
from sanqu.figures import charts  # noqa: F401  (registers the "sanqu" template)
from sanqu.figures.charts import ZONE_COLOURS
from sanqu.figures.plotly_text import escape, figure
from sanqu.fmt import count

GREY = "#c9c9c9"
STATUS = {
    "park": ("#c8161d", "#f0938c", GREY),
    "community": ("#c46a00", "#f3b562", GREY),
    "scenic": ("#1f5f8b", "#7fb3d9", GREY),
}
LINE_COLOURS = ("#c8161d", "#e08a1e", "#2a7ab0", "#6a9f3a", "#8a5cb8", "#888", "#1b998b", "#a05a2c")
TREE_TEXT = 15  # px: the treemap's labels (the page's body text is 14-16 px)
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def _pct(num, den) -> pd.Series:
    den = pd.Series(den, dtype=float)
    return (pd.Series(num, dtype=float) / den.where(den > 0) * 100).round(1)


def _share_text(share: pd.Series) -> list[str]:
    """Shares in percent as hover text; '—' where the total is 0 (never 0 %)."""
    return ["—" if v != v else f"{v:.1f}%" for v in share]


@figure
def rate_lines(rt: pd.DataFrame, period: str, height: int = 340) -> go.Figure:
    """Each indicator's rate over every quarter; the chosen quarter marked."""
    traces = [
        dict(
            type="scatter",
            name=df["name"].iloc[0],
            x=df["period"],
            y=df["rate"] * 100,
            mode="lines+markers",
            line=dict(color=LINE_COLOURS[i % len(LINE_COLOURS)], width=3),
            customdata=df[["numerator", "denominator"]].to_numpy(),
            hovertemplate="%{x} · %{fullData.name}<br>%{y:.1f}%<br>%{customdata[0]:,} / %{customdata[1]:,}"
            "<extra></extra>",
        )
        for i, (_key, df) in enumerate(rt.groupby("key", sort=False))
    ]
    marks = [_vline(period)] if period in set(rt["period"]) else []
    return _built(
        traces,
        template="sanqu",
        height=height,
        yaxis=dict(title="%", rangemode="tozero", range=[0, 105]),
        xaxis=dict(title=None, type="category"),
        legend=dict(orientation="h", y=-0.18, x=0),
        margin=dict(t=20, b=70),
        shapes=marks,
    )


def _vline(x) -> dict:
    """A dotted vertical line at `x` across the plot (what `add_vline` draws)."""
    line = dict(color="#999", dash="dot", width=1)
    return dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=line)


def _built(traces: list[dict], **layout) -> go.Figure:
    """A figure made in one step from its traces and layout (plain dicts): plotly validates the
    whole once, where adding traces and updating the layout one by one costs 3-4 times as much."""
    return go.Figure(data=traces, layout=layout)


@figure
def status_bars(
    df: pd.DataFrame,
    label: str,
    ident: str,
    zone: str,
    segments: tuple[tuple[str, str, str], ...],
    total: str = "denominator",
    horizontal: bool = False,
    highlight: str | None = None,
    height: int = 380,
    unit: str = "",
) -> go.Figure:
    """Stacked counts per group (own / joint / uncovered …); a click picks [ident, list key].

    segments: (count column, legend label, list key). The total column is the denominator."""
    colours = STATUS[zone]
    traces = []
    for i, (col, name, list_key) in enumerate(segments):
        share = _pct(df[col], df[total])
        custom = pd.DataFrame(
            {"id": df[ident], "list": list_key, "n": df[col], "d": df[total], "share": _share_text(share)}
        ).to_numpy()
        kw = dict(y=df[label], x=df[col], orientation="h") if horizontal else dict(x=df[label], y=df[col])
        marker: dict = dict(color=colours[i % len(colours)])
        if highlight is not None:
            marker["line"] = dict(width=[3 if v == highlight else 0 for v in df[ident]], color="#222")
        traces.append(
            dict(
                type="bar",
                name=name,
                marker=marker,
                customdata=custom,
                hovertemplate=("%{y}" if horizontal else "%{x}")
                + f" · {name}<br>%{{customdata[2]:,}} / %{{customdata[3]:,}}{unit}（%{{customdata[4]}}）"
                + "<br>点击查看名单<extra></extra>",
                **kw,
            )
        )
    # the legend sits in the top margin, above the bars (the template's y=1.08 hangs down over the
    # first bar of a short chart, and over the top of the tallest one when a narrow column wraps it)
    legend = dict(traceorder="normal", orientation="h", yanchor="bottom", y=1.0, x=0)
    layout: dict = dict(template="sanqu", barmode="stack", height=height, clickmode="event+select", legend=legend)
    if horizontal:
        layout |= dict(
            yaxis=dict(autorange="reversed", title=None, automargin=True),
            xaxis=dict(title=f"数量{('（' + unit.strip() + '）') if unit else ''}"),
            margin=dict(l=10, t=56),
        )
    else:
        layout |= dict(
            xaxis=dict(title=None, type="category"),
            yaxis=dict(title=f"数量{('（' + unit.strip() + '）') if unit.strip() else ''}"),
            margin=dict(t=56),
        )
    return _built(traces, **layout)


@figure
def count_bars(
    labels, values, ids, list_keys, zone: str, title: str, unit: str = "", height: int = 300, shares=None
) -> go.Figure:
    """Plain bars (one colour) with [id, list key] to click; the value over each bar."""
    shares = [None] * len(values) if shares is None else list(shares)
    text = [count(v) + ("" if s is None or s != s else f"（{s * 100:.1f}%）") for v, s in zip(values, shares)]
    bars = dict(
        type="bar",
        x=list(labels),
        y=list(values),
        marker=dict(color=ZONE_COLOURS[zone]),
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=list(zip(ids, list_keys)),
        hovertemplate="%{x}<br>%{y:,}" + unit + "<br>点击查看名单<extra></extra>",
    )
    return _built(
        [bars],
        template="sanqu",
        height=height,
        yaxis=dict(title=title, rangemode="tozero"),
        xaxis=dict(type="category"),
        clickmode="event+select",
        margin=dict(t=30),
    )


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


@figure
def lines_by(df: pd.DataFrame, x: str, y: str, group: str, title: str, unit: str, height: int = 340) -> go.Figure:
    """One line per group (e.g. a district's activities per quarter)."""
    fig = go.Figure()
    for i, (name, part) in enumerate(df.groupby(group, sort=False)):
        fig.add_scatter(
            name=name,
            x=part[x],
            y=part[y],
            mode="lines+markers",
            line=dict(color=LINE_COLOURS[i % len(LINE_COLOURS)], width=3),
            hovertemplate="%{x} · %{fullData.name}<br>%{y:,}" + unit + "<extra></extra>",
        )
    fig.update_layout(
        template="sanqu", height=height, yaxis=dict(title=title, rangemode="tozero"), xaxis=dict(type="category")
    )
    return fig

"""Plotly figures of the three zone pages, in the "sanqu" template (Chinese labels).

Bars a person can click carry `customdata` whose first two items say what the click
means: [filter value, list key] (see ui/zone_widgets.chart). Hover text shows the
numerator and denominator with every rate.
"""

import pandas as pd
import plotly.graph_objects as go

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

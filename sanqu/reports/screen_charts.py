"""The big screen's look and its side charts: rankings with every value labelled, the three
zones side by side, site statuses, trends, and a plain sentence when there is nothing to show.

Every size is in px on the 1920×1080 canvas and drawn at the screen's scale k; no text is
smaller than SIZE_LABEL (24 px at 1080p), and every figure ends in `finish` (text from data
escaped by `plotly_text.safe`).
"""

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sanqu import fmt
from sanqu.figures import plotly_text

BG, PANEL, TEXT, MUTED, ACCENT = "#07142b", "#0d2145", "#e8f0ff", "#8fa6c8", "#ffcf4a"
# Three font sizes only: labels, titles, numerals (px on the 1920×1080 canvas).
SIZE_LABEL, SIZE_TITLE, SIZE_NUMBER = 24, 34, 72
ZONE_COLOURS = {"park": ACCENT, "community": "#4fc3f7", "scenic": "#81c784"}
# Site statuses on the dark screen: light enough for black text (contrast >= 4.5).
STATUS_FILLS = {"green": "#66bb6a", "amber": "#ffcf4a", "red": "#ef5350"}
STATUS_NAMES = {"green": "正常推进", "amber": "预警", "red": "逾期"}
# The three zones side by side: dark cells (white text stays >= 4.5:1), red low to green high.
CELL_SCALE = [[0.0, "#8c1d2b"], [0.5, "#1f5a8c"], [1.0, "#1b6e45"]]
BAR_RANGE = 140  # a rate axis runs to 140 %: a 100 % bar and its value label both fit
MIN_SLOTS = 5  # a ranking of fewer rows keeps the row height of this many
MAX_ROWS = 13  # a ranking shows at most this many rows (24 px labels need ~33 px a row)

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


def finish(fig: go.Figure, title: str, height: int, k: float, top: int = 70, layout: dict | None = None) -> go.Figure:
    """Dark template, the three font sizes and the height, all at the screen's scale k; the
    text from data escaped (every figure of the screen ends here). The layout is set whole, merged
    as `update_layout` merges it: plotly validates an update property by property (5-8 ms a
    figure), a whole layout at once (about 1.4 ms): `layout`, the figure's own, is merged first."""
    look = dict(
        template="sanqu_dark",
        title=dict(
            text=title,
            font=dict(size=SIZE_TITLE * k),
            x=0.5,
            xanchor="center",
            y=1,
            yanchor="top",
            yref="container",
            pad=dict(t=16 * k),
        ),
        font=dict(size=SIZE_LABEL * k),
        height=round(height * k),
        margin=dict(l=10 * k, r=20 * k, t=top * k, b=10 * k),
        xaxis=dict(automargin=True),
        yaxis=dict(automargin=True),
        hoverlabel=dict(font_size=SIZE_LABEL * k),
    )
    fig.layout = merged(merged(fig.layout.to_plotly_json(), layout or {}), look)
    return plotly_text.safe(fig)


def merged(old: dict, new: dict) -> dict:
    """`old` updated by `new` as plotly's `update_layout` does: nested dicts merged key by key,
    anything else (a value, a list, a dict over a value) replaced."""
    out = dict(old)
    for key, value in new.items():
        here = out.get(key)
        out[key] = merged(here, value) if isinstance(value, dict) and isinstance(here, dict) else value
    return out


def message(title: str, text: str, height: int, k: float) -> go.Figure:
    """A chart's place with a sentence saying why there is nothing to draw."""
    sentence = dict(
        text=plotly_text.escape(text),
        x=0.5,
        y=0.55,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=SIZE_TITLE * k, color=MUTED),
    )
    layout = dict(annotations=[sentence], xaxis=dict(visible=False), yaxis=dict(visible=False))
    return finish(go.Figure(), title, height, k, layout=layout)


def bars(rows: pd.DataFrame, title: str, height: int, k: float) -> go.Figure:
    """A ranking, best on top: rows name, rate (0–1), numerator, denominator; every bar
    labelled with its value, on an axis that holds 100 % and its label."""
    df = rows.sort_values("rate", na_position="first")
    fig = go.Figure(
        go.Bar(
            x=df["rate"] * 100,
            y=df["name"],
            orientation="h",
            marker_color=ACCENT,
            text=[fmt.pct(r) if r == r else "" for r in df["rate"]],
            textposition="outside",
            constraintext="none",  # plotly would shrink a label to the bar's thickness
            cliponaxis=False,
            textfont=dict(size=SIZE_LABEL * k, color=TEXT),
            customdata=df[["numerator", "denominator"]].to_numpy(),
            hovertemplate="%{y} %{x:.1f}% · %{customdata[0]:,} / %{customdata[1]:,}<extra></extra>",
        )
    )
    _notes(fig, df[df["rate"].isna()], df.get("note"), k)
    slots = max(len(df), MIN_SLOTS)  # a few rows keep a row's height, at the top
    layout = dict(
        xaxis=dict(range=[0, BAR_RANGE], showticklabels=False, showgrid=False),
        yaxis=dict(tickmode="linear", type="category", range=[len(df) - 0.5 - slots, len(df) - 0.5]),
        bargap=0.3,
    )
    return finish(fig, title, height, k, layout=layout)


def _notes(fig: go.Figure, missing: pd.DataFrame, notes, k: float, x: float = 0) -> None:
    """Rows without a value: their note (e.g. 无旅游景区) where the bar would start, no bar."""
    if len(missing):
        text = notes.loc[missing.index] if notes is not None else [fmt.NO_DATA] * len(missing)
        fig.add_scatter(
            x=[x] * len(missing),
            y=missing["name"],
            mode="text",
            text=list(text),
            textposition="middle right",
            textfont=dict(size=SIZE_LABEL * k, color=MUTED),
            hoverinfo="skip",
            showlegend=False,
        )


def zone_cells(rows: pd.DataFrame, zones: dict[str, str], title: str, height: int, k: float) -> go.Figure:
    """The three zones side by side: one row per area (name), one column per zone (its rate
    column `<zone>_rate`), each cell coloured and labelled with its value; rows ordered by the
    mean of the three, lowest at the bottom."""
    df = rows.assign(_mean=rows[[f"{z}_rate" for z in zones]].mean(axis=1)).sort_values("_mean", na_position="first")
    z = df[[f"{zone}_rate" for zone in zones]].to_numpy(dtype=float) * 100
    text = [[fmt.pct(v / 100 if v == v else None) for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(zones.values()),
            y=list(df["name"]),
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=SIZE_LABEL * k, color="#ffffff"),
            colorscale=CELL_SCALE,
            zmin=40,
            zmax=100,
            showscale=False,
            xgap=4 * k,
            ygap=4 * k,
            hovertemplate="%{y} · %{x} %{text}<extra></extra>",
        )
    )
    layout = dict(xaxis=dict(side="top", showgrid=False), yaxis=dict(tickmode="linear", showgrid=False))
    return finish(fig, title, height, k, top=110, layout=layout)


def statuses(rows: pd.DataFrame, title: str, height: int, k: float) -> go.Figure:
    """Sites per area (name) by status (columns green, amber, red), stacked, each part labelled."""
    df = rows.assign(_n=rows[list(STATUS_FILLS)].sum(axis=1)).sort_values("_n")
    fig = go.Figure()
    for status, colour in STATUS_FILLS.items():
        counts = df[status].astype(int)
        fig.add_bar(
            x=counts,
            y=df["name"],
            orientation="h",
            name=STATUS_NAMES[status],
            marker_color=colour,
            text=[str(c) if c else "" for c in counts],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            constraintext="none",
            textfont=dict(size=SIZE_LABEL * k, color="#000000"),
            hovertemplate="%{y} · " + STATUS_NAMES[status] + " %{x}<extra></extra>",
        )
    empty = df[df["_n"] == 0]
    _notes(fig, empty, pd.Series(fmt.no_data("sites"), index=empty.index), k)
    most = max(1, int(df["_n"].max()) if len(df) else 1)
    layout = dict(
        barmode="stack",
        bargap=0.3,
        xaxis=dict(range=[0, most * 1.05], showticklabels=False, showgrid=False),
        yaxis=dict(tickmode="linear", type="category"),
        # under the bars: a legend that wraps (150 % display scaling) never runs into the title
        legend=dict(orientation="h", x=0.5, xanchor="center", y=0, yanchor="top", font=dict(size=SIZE_LABEL * k)),
    )
    return finish(fig, title, height, k, top=80, layout=layout)


def trends(lines: dict[str, pd.DataFrame], title: str, height: int, k: float) -> go.Figure:
    """One line per zone (name → frame of period and rate), on a 0–100 % axis."""
    fig = go.Figure()
    for name, (colour, t) in ((n, v) for n, v in _coloured(lines)):
        fig.add_scatter(
            x=t["period"].str[2:],
            y=t["rate"] * 100,
            name=name,
            mode="lines+markers",
            line=dict(width=5 * k, color=colour),
            marker=dict(size=12 * k),
            hovertemplate="%{fullData.name} %{x} %{y:.1f}%<extra></extra>",
        )
    layout = dict(
        yaxis=dict(range=[0, 105], tickvals=[0, 50, 100], ticktext=["0%", "50%", "100%"]),
        xaxis=dict(tickangle=0, nticks=4),
        showlegend=len(lines) > 1,
        legend=dict(orientation="h", x=0.5, xanchor="center", y=1.02, yanchor="bottom", font=dict(size=SIZE_LABEL * k)),
    )
    return finish(fig, title, height, k, top=120 if len(lines) > 1 else 70, layout=layout)


def _coloured(lines: dict[str, pd.DataFrame]):
    colours = list(ZONE_COLOURS.values())
    for i, (name, t) in enumerate(lines.items()):
        yield name, (colours[i % len(colours)], t)

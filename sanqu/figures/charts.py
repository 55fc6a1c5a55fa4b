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


# --- demonstration sites and mechanisms (issue 5) ------------------------------------------------

STATUS_COLOURS = {"red": "#d62728", "amber": "#f0a30a", "green": "#2ca02c"}  # as on the map
MILESTONE_COLOURS = {
    "on_time": "#2ca02c",
    "late": "#8fbf6a",
    "overdue": "#d62728",
    "due_soon": "#f0a30a",
    "open": "#b8c4d0",
}
KIND_COLOURS = ["#c8161d", "#2a7ab0", "#e08a1e", "#6a9f3a", "#8a5cb8", "#888", "#17a2b8", "#b5651d", "#d46a9f"]


def _status_labels():
    from sanqu.programmes.sites import STATUS_LABELS

    return STATUS_LABELS


def _status_stack(columns: list[tuple[str, str, pd.Series, pd.Series]]) -> go.Figure:
    """Site counts stacked by status: one (status, label, x, y) per bar trace."""
    fig = go.Figure()
    for status, label, x, y in columns:
        fig.add_bar(
            name=label,
            x=x,
            y=y,
            marker_color=STATUS_COLOURS[status],
            hovertemplate="%{x} · " + label + "：%{y} 个<extra></extra>",
        )
    fig.update_layout(
        template="sanqu",
        barmode="stack",
        yaxis=dict(title="示范点（个）"),
        height=320,
        legend=dict(traceorder="normal"),
    )
    return fig


@figure
def site_board_bars(board: pd.DataFrame) -> go.Figure:
    """Sites per computed stage, stacked by status (红黄绿)."""
    rows = [(s, label, board[board["status"] == s]) for s, label in _status_labels().items()]
    return _status_stack([(s, label, d["stage"], d["sites"]) for s, label, d in rows])


@figure
def district_status_bars(table: pd.DataFrame) -> go.Figure:
    """Sites per district stacked by status; `table` from sites.district_status."""
    return _status_stack([(s, label, table["name"], table[s]) for s, label in _status_labels().items()])


@figure
def milestone_timeline(ms: pd.DataFrame, today, compact: bool = False) -> go.Figure:
    """Gantt-style: one row per site (in the frame's order, top down), one bar per milestone from
    the previous due date to its own, coloured by its state; a diamond where it was done; a line
    at today. `compact`: one site, no row labels, a short figure."""
    import plotly.express as px

    from sanqu.programmes.sites import MILESTONE_STATES

    df = ms.assign(
        row=ms["district_name"] + " · " + ms["site_name"],
        state_label=ms["state"].map(MILESTONE_STATES),
        due_txt=ms["due"].dt.strftime("%Y-%m-%d"),
        done_txt=ms["done"].dt.strftime("%Y-%m-%d").fillna("未完成"),
    )
    rows = list(dict.fromkeys(df["row"]))
    fig = px.timeline(
        df,
        x_start="start",
        x_end="due",
        y="row",
        color="state_label",
        color_discrete_map={MILESTONE_STATES[k]: v for k, v in MILESTONE_COLOURS.items()},
        category_orders={"state_label": list(MILESTONE_STATES.values()), "row": rows},
        custom_data=["title", "stage", "due_txt", "done_txt", "state_label"],
        template="sanqu",
    )
    fig.update_traces(
        marker_line_color="white",
        marker_line_width=1,
        hovertemplate="%{y}<br>%{customdata[0]}（%{customdata[1]}）<br>计划 %{customdata[2]} · 完成 %{customdata[3]}"
        "<br>%{customdata[4]}<extra></extra>",
    )
    done = df[df["done"].notna()]
    if len(done):
        fig.add_scatter(
            x=done["done"],
            y=done["row"],
            mode="markers",
            name="实际完成",
            marker=dict(symbol="diamond", size=8, color="#222"),
            customdata=done[["title", "done_txt"]].to_numpy(),
            hovertemplate="%{y}<br>%{customdata[0]} 完成于 %{customdata[1]}<extra></extra>",
        )
    day = pd.Timestamp(today)
    fig.add_shape(type="line", x0=day, x1=day, y0=0, y1=1, yref="paper", line=dict(color="#c8161d", dash="dash"))
    height = 200 if compact else max(300, 30 * len(rows) + 150)
    top, bottom = 100, 30
    plot = height - top - bottom
    fig.add_annotation(
        x=day, y=1, yref="paper", yshift=24, text=f"今日 {day:%Y-%m-%d}", showarrow=False, yanchor="bottom"
    )
    fig.update_yaxes(title=None, automargin=True, showticklabels=not compact)
    fig.update_xaxes(title=None, tickformat="%Y-%m", gridcolor="#eee", side="top")
    fig.update_layout(
        height=height,
        legend=dict(title=None, orientation="h", y=1 + 48 / plot, yanchor="bottom", x=0),
        margin=dict(t=top, b=bottom, l=10 if compact else 40),
    )
    return fig


@figure
def score_bars(ranked: pd.DataFrame, title: str = "得分") -> go.Figure:
    """Ranked districts' scores as horizontal bars, first at the top; unranked ones left out."""
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
def inspection_scores(insp: pd.DataFrame) -> go.Figure:
    """One site's inspection scores over time."""
    fig = go.Figure(
        go.Scatter(
            x=insp["date"],
            y=insp["score"],
            mode="lines+markers+text",
            text=[f"{s:.1f}" for s in insp["score"]],
            textposition="top center",
            line=dict(color="#c8161d", width=3),
            customdata=insp[["inspector_role"]].to_numpy(),
            hovertemplate="%{x|%Y-%m-%d}<br>%{customdata[0]}<br>%{y:.1f} 分<extra></extra>",
        )
    )
    fig.update_layout(
        template="sanqu",
        yaxis=dict(title="督查评分", range=[0, 105]),
        xaxis=dict(tickmode="array", tickvals=insp["date"], tickformat="%Y-%m-%d"),
        height=300,
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

"""Vega-Lite specs (plain dicts) of the 示范点 page's charts, drawn as the plotly figures of
`charts` were: the same marks, colours, order of rows, axis titles and hover facts (as tooltips).

Register text (site names, district names, milestone titles, inspectors' roles) is only ever a
row value: series are ordered and coloured through an index column (`gi`), groups through an
order column (`order`), never by listing their names in the spec. Dates are ISO strings in the
rows, on a UTC time scale (drawn as the date they are, whatever the browser's time zone)."""

import datetime as dt

import pandas as pd

from sanqu.figures import vega
from sanqu.figures.charts import STATUS_COLOURS
from sanqu.figures.vega_zone import LEGEND_TOP, category, colour, tooltip
from sanqu.fmt import no_data
from sanqu.programmes.sites import MILESTONE_STATES, STATUS_LABELS

MILESTONE_COLOURS = {
    "on_time": "#2ca02c",
    "late": "#8fbf6a",
    "overdue": "#d62728",
    "due_soon": "#f0a30a",
    "open": "#b8c4d0",
}
TODAY_COLOUR = "#c8161d"
NOTE = {"color": "#888", "fontSize": 12}
ROW = 28  # px per timeline row
TIME_SCALE = {"type": "utc"}
DONE = "实际完成"
DONE_LEGEND = LEGEND_TOP | {"symbolFillColor": "#222", "symbolStrokeColor": "#222", "symbolSize": 50}


def _iso(v) -> str | None:
    return None if v is None or pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d}"


# --- sites per stage / district, stacked by status -----------------------------------------------


def status_rows(groups: list[tuple[str, dict[str, int]]]) -> list[dict]:
    """One row per group and status (逾期, 预警, 正常): label, status, n, the count as text; the
    group's first row carries the note 无示范点 where it has none."""
    rows = []
    for order, (label, counts) in enumerate(groups):
        empty = sum(int(counts.get(s, 0)) for s in STATUS_LABELS) == 0
        for gi, (status, name) in enumerate(STATUS_LABELS.items()):
            n = int(counts.get(status, 0))
            note = no_data("sites") if empty and gi == 0 else None
            rows.append(
                {
                    "order": order,
                    "gi": gi,
                    "label": str(label),
                    "status": name,
                    "n": n,
                    "value": f"{n} 个",
                    "note": note,
                }
            )
    return rows


def _status_stack(rows: list[dict], n: int, what: str) -> dict:
    """Site counts stacked by status (逾期 at the bottom), 示范点（个） across the top of the axis."""
    x = category("label", n)
    y = {"field": "n", "type": "quantitative", "stack": "zero", **vega.up("示范点（个）")}
    y["axis"] = y["axis"] | {"format": "d", "tickMinStep": 1, "titleX": -12}  # short labels: the title in view
    colours = tuple(STATUS_COLOURS[s] for s in STATUS_LABELS)
    bars = {
        "mark": {"type": "bar"} | ({"width": 90} if n <= 2 else {}),  # one or two groups: not a wall of colour
        "encoding": {
            "x": x,
            "y": y,
            "color": colour("status", colours, len(colours), LEGEND_TOP),
            "order": {"field": "gi", "type": "quantitative"},
            "tooltip": tooltip(("label", what), ("status", "状态"), ("value", "示范点")),
        },
    }
    # where a group has no site: a grey note upwards from the axis (it fits the width of a bar)
    upright = n > 6
    mark = {"type": "text", **NOTE, "angle": 270 if upright else 0, "align": "left" if upright else "center"}
    mark |= {"baseline": "middle", "dx": 3} if upright else {"baseline": "bottom", "dy": -3}
    notes = {
        "mark": mark,
        "transform": [{"filter": "datum.note != null"}],
        "encoding": {"x": x, "y": {"datum": 0, "type": "quantitative"}, "text": {"field": "note"}},
    }
    return vega.spec([bars, notes], rows, height=320)


def site_board_bars(board: pd.DataFrame) -> dict:
    """Sites per computed stage, stacked by status (红黄绿); `board` from sites.board."""
    groups = [(stage, dict(zip(d["status"], d["sites"]))) for stage, d in board.groupby("stage", sort=False)]
    return _status_stack(status_rows(groups), len(groups), "阶段")


def district_status_bars(table: pd.DataFrame) -> dict:
    """Sites per district stacked by status; `table` from sites.district_status (无示范点 where none)."""
    groups = [(rec["name"], {s: rec[s] for s in STATUS_LABELS}) for rec in table.to_dict("records")]
    return _status_stack(status_rows(groups), len(groups), "区县")


# --- the milestone timeline ------------------------------------------------------------------------


def timeline_rows(ms: pd.DataFrame) -> list[dict]:
    """One row per milestone, in the frame's order: its site's row (`ri`, top down, and its label
    district · site), its state (`gi`: its place among the states shown, for the colour), the window
    start → due, the done date (null: not done) and the facts of the tooltip."""
    labels = [f"{d} · {s}" for d, s in zip(ms["district_name"], ms["site_name"])]
    ri = {label: i for i, label in enumerate(dict.fromkeys(labels))}
    states = [s for s in MILESTONE_STATES if s in set(ms["state"])]
    rows = []
    for label, rec in zip(labels, ms.to_dict("records")):
        done = _iso(rec["done"])
        rows.append(
            {
                "ri": ri[label],
                "row": label,
                "gi": states.index(rec["state"]),
                "state": MILESTONE_STATES[rec["state"]],
                "start": _iso(rec["start"]),
                "due": _iso(rec["due"]),
                "done": done,
                "title": str(rec["title"]),
                "stage": str(rec["stage"]),
                "done_txt": done or "未完成",
            }
        )
    return rows


def milestone_timeline(ms: pd.DataFrame, today: dt.date, compact: bool = False) -> dict:
    """Gantt-style: one row per site (in the frame's order, top down), one bar per milestone from
    the previous due date to its own, coloured by its state; a diamond where it was done; a dashed
    line at today, its date above. `compact`: one site, no row labels, a short chart."""
    rows = timeline_rows(ms)
    shown = [s for s in MILESTONE_STATES if s in set(ms["state"])]
    axis = {"format": "%Y-%m", "orient": "top", "grid": True, "gridColor": "#eee", "labelOverlap": True}
    x = {"field": "start", "type": "temporal", "scale": TIME_SCALE, "title": None, "axis": axis}
    labels: dict = {"labelLimit": 320, "labelFontSize": 12} if not compact else {"labels": False}
    y: dict = {"field": "row", "type": "nominal", "sort": {"field": "ri", "op": "min"}, "title": None}
    y["axis"] = {"ticks": False, "domain": False, **labels}
    bars = {
        "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1, "cornerRadius": 1},
        "encoding": {
            "x": x,
            "x2": {"field": "due"},
            "y": y,
            "color": colour("state", tuple(MILESTONE_COLOURS[s] for s in shown), len(shown), LEGEND_TOP),
            "tooltip": tooltip(
                ("row", "示范点"),
                ("title", "节点"),
                ("stage", "阶段"),
                ("due", "计划"),
                ("done_txt", "完成"),
                ("state", "状态"),
            ),
        },
    }
    done = {
        "mark": {"type": "point", "shape": "diamond", "filled": True, "color": "#222", "size": 60, "opacity": 1},
        "transform": [{"filter": "datum.done != null"}],
        "encoding": {
            "x": {"field": "done", "type": "temporal"},
            "y": y,
            # its own legend entry beside the states' (our label, not data)
            "shape": {"datum": DONE, "type": "nominal", "scale": {"range": ["diamond"]}, "legend": DONE_LEGEND},
            "tooltip": tooltip(("row", "示范点"), ("title", "节点"), ("done", "完成于")),
        },
    }
    day = pd.Timestamp(today)
    at = {"datum": {"year": day.year, "month": day.month, "date": day.day, "utc": True}, "type": "temporal"}
    rule = {
        "mark": {"type": "rule", "color": TODAY_COLOUR, "strokeDash": [5, 4], "strokeWidth": 1.5},
        "encoding": {"x": at},
    }
    label = {
        "mark": {"type": "text", "color": TODAY_COLOUR, "fontSize": 12, "baseline": "bottom", "dy": -34},
        "encoding": {"x": at, "y": {"value": 0}, "text": {"value": f"今日 {day:%Y-%m-%d}"}},
    }
    height = {"step": 2 * ROW if compact else ROW}  # px per row
    return vega.spec([bars, done, rule, label], rows, height=height)


# --- scores ----------------------------------------------------------------------------------------


def score_rows(ranked: pd.DataFrame) -> list[dict]:
    """The ranked districts first to last ("1. name", the score and its text), then those not
    ranked (no score, the note 无示范点), the ranking's note in the tooltip."""
    first = ranked[ranked["rank"].notna()].sort_values("rank", kind="stable")
    rows = []
    for order, rec in enumerate(pd.concat([first, ranked[ranked["rank"].isna()]]).to_dict("records")):
        ranked_ = not pd.isna(rec["rank"])
        score = float(rec["score"]) if ranked_ else None
        note = str(rec.get("note") or "") or None
        rows.append(
            {
                "order": order,
                "label": f"{int(rec['rank'])}. {rec['name']}" if ranked_ else str(rec["name"]),
                "score": score,
                "text": None if score is None else f"{score:.1f}",
                "nodata": None if ranked_ else no_data("sites"),
                "note": note,
            }
        )
    return rows


def score_bars(ranked: pd.DataFrame, title: str = "得分") -> dict:
    """Ranked districts' scores as horizontal bars, first at the top, the score beside each; the
    districts not ranked listed last with a grey 无示范点 instead of a bar."""
    rows = score_rows(ranked)
    y: dict = {"field": "label", "type": "nominal", "sort": {"field": "order", "op": "min"}, "title": None}
    y["axis"] = {"labelLimit": 200, "ticks": False}
    x: dict = {"field": "score", "type": "quantitative", "scale": {"domain": [0, 110], "nice": False}, "title": title}
    x["axis"] = {"grid": True, "gridColor": "#eee", "values": list(range(0, 111, 10))}
    tooltip = [{"field": "label", "title": "区县"}, {"field": "score", "title": "得分", "format": ".1f"}]
    tooltip.append({"field": "note", "title": "说明"})
    bars = {
        "mark": {"type": "bar", "color": "#c8161d"},
        "transform": [{"filter": "datum.score != null"}],
        "encoding": {"x": x, "y": y, "tooltip": tooltip},
    }
    text = {
        "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 13, "color": "#222"},
        "transform": [{"filter": "datum.score != null"}],
        "encoding": {"x": x, "y": y, "text": {"field": "text"}},
    }
    notes = {
        "mark": {"type": "text", "align": "left", "dx": 4, **NOTE},
        "transform": [{"filter": "datum.nodata != null"}],
        "encoding": {"x": {"datum": 0, "type": "quantitative"}, "y": y, "text": {"field": "nodata"}},
    }
    return vega.spec([bars, text, notes], rows, height={"step": 36})


def inspection_rows(insp: pd.DataFrame) -> list[dict]:
    """One row per inspection, in the frame's order: date, score (and its text), inspector."""
    return [
        {"day": _iso(d), "score": float(s), "text": f"{s:.1f}", "role": str(r)}
        for d, s, r in zip(insp["date"], insp["score"], insp["inspector_role"])
    ]


def inspection_scores(insp: pd.DataFrame) -> dict:
    """One site's inspection scores over time: a line through them, the score above each, a tick
    at each inspection's date."""
    rows = inspection_rows(insp)
    days = sorted({pd.Timestamp(r["day"]) for r in rows})
    ticks = [{"year": d.year, "month": d.month, "date": d.day, "utc": True} for d in days]
    axis = {"format": "%Y-%m-%d", "values": ticks, "labelAngle": 0, "labelOverlap": True, "grid": False}
    x = {"field": "day", "type": "temporal", "scale": TIME_SCALE, "title": None, "axis": axis}
    y = {"field": "score", "type": "quantitative", "scale": {"domain": [0, 105], "nice": False}, **vega.up("督查评分")}
    line = {
        "mark": {
            "type": "line",
            "color": "#c8161d",
            "strokeWidth": 3,
            "point": {"filled": True, "size": 60, "color": "#c8161d"},
        },
        "encoding": {
            "x": x,
            "y": y,
            "tooltip": tooltip(("day", "日期"), ("role", "督查人"))
            + [{"field": "score", "title": "评分", "format": ".1f"}],
        },
    }
    text = {
        "mark": {"type": "text", "baseline": "bottom", "dy": -8, "fontSize": 13, "color": "#222"},
        "encoding": {"x": x, "y": y, "text": {"field": "text"}},
    }
    return vega.spec([line, text], rows, height=230)

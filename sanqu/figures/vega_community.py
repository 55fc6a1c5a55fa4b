"""Vega-Lite specs (plain dicts, `vega.spec`) of the 城乡社区 page's own charts: organisation level
against size (each community, or cells of similar size past MAX_SCATTER), grid coverage of urban and
rural communities, communities per star rating (a click lists a rating's communities) and how the
ratings moved between two quarters. As in `sanqu.figures.vega`, register text (community names)
is only ever a row value in `data.values`, never part of a title, a format or an expression."""

import pandas as pd

from sanqu import periods
from sanqu.figures import vega

LEVEL_COLOURS = {"党委": "#8a1010", "党总支": "#e08a1e", "党支部": "#5a8fc0", "未建": "#999"}
# Communities drawn one by one; more are drawn as cells of similar size with their count (a district
# has at most a few hundred; the demo city's 2,967 points would be 2,967 SVG elements and overlap
# anyway at the chart's size).
MAX_SCATTER = 1_000
CANDIDATE = {"domain": ["否", "是"]}  # upgrade candidates: outlined diamonds among circles
LOG_TICKS = [100, 200, 500, 1000, 2000, 5000, 10000]
# px²: the largest cell's circle (about 30 px across); area is proportional to the count, so that a
# cell of one community (most of those with 1,000 households or more) stays a dot of about 3.5 px
CELL_AREA = 700
GRID_COLOURS = {"城市社区": "#c46a00", "农村社区": "#6a9f3a", "合计": "#888"}
STAR_SERIES = (("year_ago", "上年同期", "#d9d9d9"), ("previous", "上季度", "#f3b562"), ("current", "本季度", "#c46a00"))
HEAT = ["#fff8ee", "#c46a00"]
TEXT = {"fontSize": 12, "color": "#222"}


def _point_rows(points: pd.DataFrame) -> list[dict]:
    """One row per community: level, households (None if not positive: no place on a log axis), …"""
    return [
        {
            "level": str(r["level"]),
            "name": str(r["name"]),
            "households": int(r["households"]) if r["households"] > 0 else None,
            "members": int(r["members"]),
            "area": vega.value(r["area_km2"], 2),
            "candidate": "是" if r["candidate"] else "否",
        }
        for r in points.to_dict("records")
    ]


def _cell_rows(cells: pd.DataFrame) -> list[dict]:
    """One row per cell: level, its communities (n), their mean households and members, candidates."""
    return [
        {
            "level": str(r["level"]),
            "n": int(r["n"]),
            "households": vega.value(r["x"], 1),
            "members": vega.value(r["y"], 1),
            "cand": int(r["cand"]),
        }
        for r in cells.to_dict("records")
    ]


def _size_axes(rows: list[dict], levels: list[str]) -> dict:
    """Households on a log axis (plotly's ticks: 100 … 1万), members up, a colour per level."""
    xs = [r["households"] for r in rows if r["households"]]
    domain = [min(xs) / 1.2, max(xs) * 1.2] if xs else [100, 10000]
    axis = {"values": LOG_TICKS, "labelExpr": "datum.value == 10000 ? '1万' : format(datum.value, ',')", "grid": True}
    scale = {"type": "log", "domain": domain, "nice": False}
    return {
        "x": {"field": "households", "type": "quantitative", "scale": scale, "axis": axis, "title": "户数（对数刻度）"},
        "y": {"field": "members", "type": "quantitative", **vega.count_up("党员数")},
        "color": {
            "field": "level",
            "type": "nominal",
            "scale": {"domain": levels, "range": [LEVEL_COLOURS[lv] for lv in levels]},
            "legend": {"symbolStrokeWidth": 0, "symbolOpacity": 0.9},  # the level's colour only
        },
    }


def _points_layer(rows: list[dict], levels: list[str]) -> dict:
    """Each community: a circle, or for an upgrade candidate a diamond outlined in black."""
    encoding = _size_axes(rows, levels) | {
        "shape": {"field": "candidate", "type": "nominal", "scale": CANDIDATE | {"range": ["circle", "diamond"]}},
        "strokeWidth": {"field": "candidate", "type": "ordinal", "scale": CANDIDATE | {"range": [0, 1.5]}},
        "tooltip": [
            {"field": "name", "title": "名称"},
            {"field": "level", "title": "组织层级"},
            {"field": "members", "title": "党员（名）", "format": ","},
            {"field": "households", "title": "户数", "format": ","},
            {"field": "area", "title": "面积（km²）", "format": ".1f"},
            {"field": "candidate", "title": "升格候选"},
        ],
    }
    encoding["shape"]["legend"] = encoding["strokeWidth"]["legend"] = None
    mark = {"type": "point", "filled": True, "size": 50, "opacity": 0.75, "stroke": "#222"}
    return {"mark": mark, "encoding": encoding}


def _cells_layer(rows: list[dict], levels: list[str]) -> dict:
    """Each cell: a circle at its communities' mean size, its area their count."""
    size = {"type": "linear", "zero": True, "range": [0, CELL_AREA]}
    encoding = _size_axes(rows, levels) | {
        "size": {"field": "n", "type": "quantitative", "scale": size, "legend": None},
        "tooltip": [
            {"field": "level", "title": "组织层级"},
            {"field": "n", "title": "村（社区）数", "format": ","},
            {"field": "members", "title": "党员约（名）", "format": ",.0f"},
            {"field": "households", "title": "户数约", "format": ",.0f"},
            {"field": "cand", "title": "其中升格候选", "format": ","},
        ],
    }
    return {"mark": {"type": "circle", "opacity": 0.7}, "encoding": encoding}


# a layer drawn once, not once per row (its encodings hold no field)
ONCE = [{"aggregate": [{"op": "count", "as": "rows"}]}]


def _members_line(members_min: int) -> list[dict]:
    """The dashed line at `members_min` members, labelled at its right end."""
    y = {"datum": members_min, "type": "quantitative"}
    line = {"mark": {"type": "rule", "color": "#c8161d", "strokeDash": [6, 4], "strokeWidth": 1}, "encoding": {"y": y}}
    label = {"type": "text", "x": "width", "dy": -8, "align": "right", "baseline": "bottom", **TEXT}
    return [
        line | {"transform": ONCE},
        {"mark": label, "transform": ONCE, "encoding": {"y": y, "text": {"value": f"党员 {members_min} 名"}}},
    ]


def _cells_note(total: int) -> dict:
    """What the cells are: the chart's title, above its legend (inside the plot it would lie over cells)."""
    text = [f"共 {total:,} 个村（社区），超过 {MAX_SCATTER:,} 个：", "按户数和党员数分格聚合，圆点面积为个数"]
    return {"text": text, "anchor": "start", "fontSize": 12, "fontWeight": "normal", "color": "#555", "offset": 4}


POINTS_NOTE = "每个点是一个村（社区）：横轴户数（对数刻度），纵轴党员数；◆ 带黑边的是升格候选。"
CELLS_NOTE = (
    "每个圆点是户数和党员数相近的一格村（社区），面积为个数，位置为其平均户数（横轴，对数刻度）和平均党员数（纵轴）；"
    "格中的升格候选数见悬停提示。"
)


def scatter_note(points: pd.DataFrame) -> str:
    """The caption under `level_size_scatter(points)`: what a point is (a community, or a cell)."""
    return CELLS_NOTE if "n" in points.columns else POINTS_NOTE


def level_size_scatter(points: pd.DataFrame, members_min: int, height: int = 420) -> dict:
    """Households (x, log) against members (y), coloured by organisation level: each community
    (`communities.size_points`), or past MAX_SCATTER cells of similar size (`size_cells`: n, x, y, cand)."""
    cells = "n" in points.columns
    levels = [lv for lv in LEVEL_COLOURS if lv in set(points["level"])]
    rows = _cell_rows(points) if cells else _point_rows(points)
    marks = _cells_layer(rows, levels) if cells else _points_layer(rows, levels)
    note = {"title": _cells_note(int(points["n"].sum()))} if cells else {}
    return vega.spec([marks, *_members_line(members_min)], rows, height=height, **note)


def grid_rows(grid: pd.DataFrame) -> list[dict]:
    """One row per unit and kind: rate (%), n, d and the label over the bar ("—": no data)."""
    rows = []
    for r in grid.to_dict("records"):
        rate = vega.value(r["rate"] * 100, 1)
        label = "—" if rate is None else f"{rate:.1f}%"
        rows.append(
            {
                "unit": str(r["unit"]),
                "kind": str(r["kind"]),
                "rate": rate,
                "num": int(r["numerator"]),
                "den": int(r["denominator"]),
                "label": label,
                "at": rate or 0,
            }
        )
    return rows


def grid_bars(grid: pd.DataFrame, height: int = 340) -> dict:
    """Grid coverage of 小区 / 楼栋 / 两新组织, urban against rural (and in total), the rate over each bar."""
    # wide bars (little padding) and small labels: "71.8%" fits over a bar of a half-width column
    axis = {"labelAngle": 0, "labelLimit": 200}
    x = {"field": "unit", "type": "nominal", "sort": None, "title": None, "axis": axis, "scale": {"paddingInner": 0.12}}
    offset = {"field": "kind", "type": "nominal", "sort": list(GRID_COLOURS), "scale": {"paddingInner": 0.06}}
    colour = {"domain": list(GRID_COLOURS), "range": list(GRID_COLOURS.values())}
    y = {"type": "quantitative", "scale": {"domain": [0, 110], "nice": False}, **vega.up("覆盖率（%）")}
    tooltip = [
        {"field": "unit", "title": "单元"},
        {"field": "kind", "title": "类别"},
        {"field": "rate", "title": "覆盖率（%）", "format": ".1f"},
        {"field": "num", "title": "已覆盖", "format": ","},
        {"field": "den", "title": "应覆盖", "format": ","},
    ]
    bars = {
        "mark": "bar",
        "encoding": {
            "x": x,
            "xOffset": offset,
            "y": y | {"field": "rate"},
            "color": {"field": "kind", "type": "nominal", "scale": colour},
            "tooltip": tooltip,
        },
    }
    label = {"type": "text", "dy": -3, "baseline": "bottom", **TEXT, "fontSize": 11}
    labels = {
        "mark": label,
        "encoding": {"x": x, "xOffset": offset, "y": y | {"field": "at"}, "text": {"field": "label"}},
    }
    return vega.spec([bars, labels], grid_rows(grid), height=height)


def star_label(stars: int, none: str) -> str:
    """'3星', or `none` for no rating (0)."""
    return f"{stars}星" if stars else none


def star_rows(dist: pd.DataFrame) -> list[dict]:
    """One row per rating and quarter (上年同期, 上季度, 本季度): the count, and the rating's list to click."""
    return [
        {
            "order": i,
            "stars": star_label(int(s), "未评星"),
            "series": name,
            "n": int(n),
            "id": int(s),
            "list": f"stars_{int(s)}",
        }
        for col, name, _ in STAR_SERIES
        for i, (s, n) in enumerate(zip(dist["stars"], dist[col]))
    ]


def star_bars(dist: pd.DataFrame, height: int = 340) -> dict:
    """Communities per star rating this quarter, a quarter before and a year before; a click on a bar
    picks its rating's list ([stars, "stars_<n>"])."""
    names = [name for _, name, _ in STAR_SERIES]
    x = {"field": "stars", "type": "nominal", "sort": {"field": "order"}, "title": None, "axis": {"labelAngle": 0}}
    bars = {
        "mark": {"type": "bar", "cursor": "pointer"},
        "params": [vega.pick(("id", "list"))],
        "encoding": {
            "x": x,
            "xOffset": {"field": "series", "type": "nominal", "sort": names},
            "y": {"field": "n", "type": "quantitative", **vega.count_up("村（社区）数")},
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": {"domain": names, "range": [c for *_, c in STAR_SERIES]},
            },
            "tooltip": [
                {"field": "stars", "title": "星级"},
                {"field": "series", "title": "时期"},
                {"field": "n", "title": "村（社区）数", "format": ","},
            ],
        },
    }
    return vega.spec([bars], star_rows(dist), height=height)


def matrix_rows(m: pd.DataFrame) -> list[dict]:
    """One row per rating before (the matrix's rows) and after (its columns): the count."""
    return [
        {
            "bo": i,
            "before": star_label(int(b), "未评"),
            "ao": j,
            "after": star_label(int(a), "未评"),
            "n": int(m.loc[b, a]),
        }
        for i, b in enumerate(m.index)
        for j, a in enumerate(m.columns)
    ]


def star_matrix(m: pd.DataFrame, before: str, after: str, height: int = 340) -> dict:
    """Communities by star rating at `before` (rows, top down) and `after` (columns), both quarters
    'YYYYQn' (titled 2026年第2季度星级); the count in each cell, white on the darker ones."""
    before, after = periods.label(before) + "星级", periods.label(after) + "星级"
    rows = matrix_rows(m)
    axes = {
        "x": {"field": "after", "type": "ordinal", "sort": {"field": "ao"}, "title": after, "axis": {"labelAngle": 0}},
        "y": {"field": "before", "type": "ordinal", "sort": {"field": "bo"}, "title": before},
    }
    colour = {"field": "n", "type": "quantitative", "scale": {"range": HEAT, "zero": True}, "legend": None}
    tooltip = [
        {"field": "before", "title": before},
        {"field": "after", "title": after},
        {"field": "n", "title": "村（社区）数", "format": ","},
    ]
    cells = {"mark": {"type": "rect", "stroke": "white"}, "encoding": axes | {"color": colour, "tooltip": tooltip}}
    # a threshold scale, not an expression: white text from 55 % of the largest count up
    dark = {
        "type": "threshold",
        "domain": [0.55 * max((r["n"] for r in rows), default=0) or 1],
        "range": ["#222", "white"],
    }
    text = {"field": "n", "format": ","}
    ink = {"field": "n", "type": "quantitative", "scale": dark, "legend": None}
    counts = {"mark": {"type": "text", "fontSize": 13}, "encoding": axes | {"text": text, "color": ink}}
    return vega.spec([cells, counts], rows, height=height, resolve={"scale": {"color": "independent"}})

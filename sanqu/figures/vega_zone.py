"""Vega-Lite specs (plain dicts) of the zone pages' trend lines and bars, drawn as the plotly figures
before them were: the same marks, colours, axis titles and hover facts (as tooltips).

Bars a person can click carry, per row, `id` and `list`: what the click means ([filter value,
list key], `ui.zone_widgets.chart`), selected by `vega.pick`. Register text (names of parks,
places, industries) is only ever a row value: series are ordered and coloured through an index
column (`gi`), never by listing their names in the spec."""

import pandas as pd

from sanqu.figures import vega
from sanqu.figures.charts import ZONE_COLOURS
from sanqu.fmt import count

GREY = "#c9c9c9"
STATUS = {
    "park": ("#c8161d", "#f0938c", GREY),
    "community": ("#c46a00", "#f3b562", GREY),
    "scenic": ("#1f5f8b", "#7fb3d9", GREY),
}
LINE_COLOURS = ("#c8161d", "#e08a1e", "#2a7ab0", "#6a9f3a", "#8a5cb8", "#888", "#1b998b", "#a05a2c")
PICKED = ("id", "list")
HINT = "点击查看名单"
LEGEND_TOP = {"orient": "top", "title": None, "offset": 26, "symbolSize": 70, "columnPadding": 6, "labelFontSize": 12}
LEGEND_BOTTOM = {"orient": "bottom", "title": None, "direction": "horizontal", "columns": 4}


def colour(field: str, colours: tuple[str, ...], n: int, legend: dict | None) -> dict:
    """Colour by `field`, in the order of the rows' index column `gi` (0, 1, …): no name in the spec."""
    scale = {"range": [colours[i % len(colours)] for i in range(max(1, n))]}
    return {"field": field, "type": "nominal", "sort": {"field": "gi", "op": "min"}, "scale": scale, "legend": legend}


def category(field: str, n: int, title: str | None = None) -> dict:
    """Groups along an axis in the rows' order (`order`)."""
    axis = {"labelAngle": -45 if n > 6 else 0, "labelLimit": 140, "labelOverlap": False, "title": title}
    return {"field": field, "type": "nominal", "sort": {"field": "order", "op": "min"}, "axis": axis}


def tooltip(*items: tuple[str, str]) -> list[dict]:
    """Tooltip entries: (field, title) each."""
    return [{"field": f, "title": t} for f, t in items]


def rate_lines(rt: pd.DataFrame, period: str, height: int = 340) -> dict:
    """Each indicator's rate over every quarter; the chosen quarter marked by a dotted line."""
    groups = list(rt.groupby("key", sort=False))
    rows = [
        {
            "gi": gi,
            "name": str(name),
            "period": str(p),
            "rate": vega.percent(r),
            "nd": f"{count(n)} / {count(d)}",
        }
        for gi, (_key, df) in enumerate(groups)
        for name, p, r, n, d in zip(df["name"], df["period"], df["rate"], df["numerator"], df["denominator"])
    ]
    x = {"field": "period", "type": "ordinal", "sort": "ascending", "title": None, "axis": {"labelAngle": 0}}
    line = {
        "mark": {"type": "line", "point": {"size": 50, "filled": True}, "strokeWidth": 3},
        "encoding": {
            "x": x,
            "y": {"field": "rate", "type": "quantitative", "scale": vega.RATE_SCALE, **vega.up("覆盖率（%）")},
            "color": colour("name", LINE_COLOURS, len(groups), LEGEND_BOTTOM),
            "tooltip": tooltip(("period", "季度"), ("name", "指标"))
            + [{"field": "rate", "title": "覆盖率（%）", "format": ".1f"}, {"field": "nd", "title": "已覆盖 / 应覆盖"}],
        },
    }
    layers = [line]
    if period in set(rt["period"]):
        at = {"datum": period, "type": "ordinal"}
        layers.append({"mark": {"type": "rule", "color": "#999", "strokeDash": [2, 3]}, "encoding": {"x": at}})
    return vega.spec(layers, rows, height=height)


def status_rows(df: pd.DataFrame, label: str, ident: str, segments, total: str, highlight, unit: str) -> list[dict]:
    """One row per group and segment: label, id, list key, n, d, the share as text and its order."""
    rows = []
    for order, rec in enumerate(df.to_dict("records")):
        d = int(rec[total])
        for gi, (col, name, list_key) in enumerate(segments):
            n = int(rec[col])
            share = "—" if d <= 0 else f"{n / d * 100:.1f}%"
            rows.append(
                {
                    "order": order,
                    "gi": gi,
                    "label": str(rec[label]),
                    "id": str(rec[ident]),
                    "list": list_key,
                    "segment": name,
                    "n": n,
                    "value": f"{count(n)} / {count(d)}{unit}（{share}）",
                    "hl": highlight is not None and str(rec[ident]) == highlight,
                    "hint": HINT,
                }
            )
    return rows


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
) -> dict:
    """Stacked counts per group (own / joint / uncovered …); a click picks [ident, list key].

    segments: (count column, legend label, list key)."""
    rows = status_rows(df, label, ident, segments, total, highlight, unit)
    title = f"数量{('（' + unit.strip() + '）') if unit.strip() else ''}"
    group = category("label", len(df))
    value = {"field": "n", "type": "quantitative", "stack": "zero", "title": title, "axis": {"tickMinStep": 1}}
    across = dict(group, axis=dict(group["axis"], labelAngle=0, labelLimit=320))  # a bar per row, its name beside it
    enc = {"y": across, "x": value} if horizontal else {"x": group, "y": value | vega.count_up(title)}
    bars = {
        "mark": {"type": "bar", "cursor": "pointer"},
        "params": [vega.pick(PICKED)],
        "encoding": {
            **enc,
            "color": colour("segment", STATUS[zone], len(segments), LEGEND_TOP),
            "order": {"field": "gi", "type": "quantitative"},
            "stroke": {"condition": {"test": "datum.hl", "value": "#222"}, "value": None},
            "strokeWidth": {"condition": {"test": "datum.hl", "value": 3}, "value": 0},
            "tooltip": tooltip(("label", "名称"), ("segment", "类别"), ("value", "数量"), ("hint", "提示")),
        },
    }
    return vega.spec([bars], rows, height=height)


def count_bars(
    labels, values, ids, list_keys, zone: str, title: str, unit: str = "", height: int = 300, shares=None
) -> dict:
    """Plain bars (one colour) with [id, list key] to click; the value (and share) over each bar."""
    shares = [None] * len(values) if shares is None else list(shares)
    rows = [
        {
            "order": i,
            "label": str(label),
            "n": int(v),
            "id": str(ident),
            "list": key,
            "text": count(v) + ("" if s is None or s != s else f"（{s * 100:.1f}%）"),
            "value": f"{count(v)}{unit}",
            "hint": HINT,
        }
        for i, (label, v, ident, key, s) in enumerate(zip(labels, values, ids, list_keys, shares))
    ]
    x = category("label", len(rows))
    y = {"field": "n", "type": "quantitative", **vega.count_up(title)}
    bars = {
        "mark": {"type": "bar", "cursor": "pointer", "color": ZONE_COLOURS[zone]},
        "params": [vega.pick(PICKED)],
        "encoding": {"x": x, "y": y, "tooltip": tooltip(("label", "名称"), ("value", "数量"), ("hint", "提示"))},
    }
    text = {
        "mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontSize": 13, "color": "#222"},
        "encoding": {"x": x, "y": y, "text": {"field": "text"}},
    }
    return vega.spec([bars, text], rows, height=height)


def lines_by(df: pd.DataFrame, x: str, y: str, group: str, title: str, unit: str, height: int = 340) -> dict:
    """One line per group (e.g. a district's activities per quarter)."""
    groups = list(df.groupby(group, sort=False))
    rows = [
        {"gi": gi, "group": str(name), "x": str(a), "y": vega.value(b), "value": f"{count(b)}{unit}"}
        for gi, (name, part) in enumerate(groups)
        for a, b in zip(part[x], part[y])
    ]
    line = {
        "mark": {"type": "line", "point": {"size": 40, "filled": True}, "strokeWidth": 3},
        "encoding": {
            "x": {"field": "x", "type": "ordinal", "sort": "ascending", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "y", "type": "quantitative", **vega.count_up(title)},
            "color": colour("group", LINE_COLOURS, len(groups), LEGEND_BOTTOM),
            "tooltip": tooltip(("x", "季度"), ("group", "名称"), ("value", "数量")),
        },
    }
    return vega.spec([line], rows, height=height)

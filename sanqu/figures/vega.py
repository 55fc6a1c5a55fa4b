"""Vega-Lite specs (plain dicts) for the overview's charts. The browser already has Vega for the
KPIs' sparklines, so a page drawn with these does not fetch plotly's bundle (about 1 MB on the
wire, and half a second or more of a fresh tab's CPU to evaluate).

Text from data stays data: register values go only into the spec's `data.values`, which Vega
draws as text (SVG text nodes) and whose tooltips it escapes; no value is ever part of an
expression, a title or a format string."""

import math

import pandas as pd

from sanqu.figures.charts import FONT, ZONE_COLOURS
from sanqu.fmt import no_data
from sanqu.ingest.registers import ZONES

NOTED_PLACES = 13  # more places than this: the notes would crowd (the table below shows "—")
PICK = "pick"  # the point selection of a chart one can click (`pick`): the place bars give {"district": code}
HEIGHT = 380
RATE_SCALE = {"domain": [0, 105], "nice": False}  # 100 % with room above, as on the other charts
# the axis title written across the top of the axis, not turned on its side
RATE_AXIS = {
    "title": "组织覆盖率（%）",
    "titleAngle": 0,
    "titleAnchor": "end",
    "titleAlign": "left",
    "titleBaseline": "bottom",
    "titleX": -36,
    "titleY": -14,
    "grid": True,
    "gridColor": "#eee",
}
COLOURS = {"domain": list(ZONES.values()), "range": [ZONE_COLOURS[z] for z in ZONES]}
CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 13, "titleFontSize": 13, "labelColor": "#222", "titleColor": "#222"},
    "legend": {"labelFontSize": 13, "orient": "top", "title": None, "offset": 30},
    "view": {"stroke": None},
}


def up(title: str) -> dict:
    """A value axis titled across its top (as the rate axis), not turned on its side."""
    return {"title": None, "axis": RATE_AXIS | {"title": title}}


def count_up(title: str) -> dict:
    """`up` for a count: ticks on whole numbers only (no half an enterprise on a short axis)."""
    return {"title": None, "axis": RATE_AXIS | {"title": title, "tickMinStep": 1}}


def value(v, digits: int | None = None) -> float | None:
    """A number for Vega (rounded to `digits`), None (JSON null: nothing drawn, not 0) for NaN."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return round(float(v), digits) if digits is not None else float(v)


def percent(v) -> float | None:
    """A rate in percent for Vega (one decimal), None for no data (JSON null: no bar, not 0)."""
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v) * 100, 1)


def spec(layers: list[dict], rows: list[dict], height: int | dict = HEIGHT, **extra) -> dict:
    """A layered chart of `rows` (its only data: register text stays a row value), drawn as SVG;
    `height` in px, or {"step": px} per row of a discrete y axis."""
    return {
        "data": {"values": rows},
        "height": height,
        "config": CONFIG,
        "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}},
        "layer": layers,
        **extra,
    }


def pick(fields: tuple[str, ...]) -> dict:
    """The point selection `PICK` on `fields`: a click on a mark selects its row's values of them."""
    return {"name": PICK, "select": {"type": "point", "fields": list(fields)}}


def _rates(field: str, title: str) -> dict:
    """The rate up the y axis, a colour per zone, and the tooltip: `field` (as `title`), zone, rate, n, d."""
    return {
        "y": {"field": "rate", "type": "quantitative", "scale": RATE_SCALE, "axis": RATE_AXIS},
        "color": {"field": "zone", "type": "nominal", "scale": COLOURS},
        "tooltip": [
            {"field": field, "title": title},
            {"field": "zone", "title": "类别"},
            {"field": "rate", "title": "组织覆盖率（%）", "format": ".1f"},
            {"field": "num", "title": "已覆盖", "format": ","},
            {"field": "den", "title": "应覆盖", "format": ","},
        ],
    }


def place_rows(table: pd.DataFrame) -> list[dict]:
    """One row per place and zone, in the table's order: code, name, zone, rate (%), n, d and the
    no-data note where there is nothing to cover (shown only while the notes fit: ≤ NOTED_PLACES)."""
    notes = len(table) <= NOTED_PLACES
    rows = []
    for order, rec in enumerate(table.to_dict("records")):
        for zone, label in ZONES.items():
            rate = percent(rec[f"{zone}_rate"])
            rows.append(
                {
                    "order": order,
                    "district": str(rec["district"]),
                    "name": str(rec["name"]),
                    "zone": label,
                    "rate": rate,
                    "num": int(0 if pd.isna(rec[f"{zone}_num"]) else rec[f"{zone}_num"]),
                    "den": int(0 if pd.isna(rec[f"{zone}_den"]) else rec[f"{zone}_den"]),
                    "note": no_data(zone) if rate is None and notes else None,
                }
            )
    return rows


def district_bars(table: pd.DataFrame) -> dict:
    """Grouped bars: organisation coverage of each zone per place (a click selects the place's code,
    `PICK`), n/d in the tooltip; a grey note where a zone has nothing to cover, not a 0 % bar."""
    axis = {"labelAngle": -45 if len(table) > 6 else 0, "labelLimit": 120, "labelOverlap": False}
    x = {"field": "name", "type": "nominal", "sort": {"field": "order"}, "title": None, "axis": axis}
    offset = {"field": "zone", "type": "nominal", "sort": list(ZONES.values())}
    bars = {
        "mark": {"type": "bar", "cursor": "pointer"},
        "params": [pick(("district",))],
        "transform": [{"filter": "datum.rate != null"}],
        "encoding": {
            "x": x,
            "xOffset": offset,
            **_rates("name", "地区"),
        },
    }
    notes = {
        # read upwards from where the bar would stand: a note fits the width of one bar
        "mark": {"type": "text", "color": "#888", "fontSize": 12, "angle": 270, "align": "left", "baseline": "middle"},
        "transform": [{"filter": "datum.note != null"}],
        "encoding": {"x": x, "xOffset": offset, "y": {"datum": 2, "type": "quantitative"}, "text": {"field": "note"}},
    }
    return spec([bars, notes], place_rows(table))


def trend_rows(trends: dict[str, pd.DataFrame]) -> list[dict]:
    """One row per zone and quarter: rate (%), n and d."""
    return [
        {"period": str(p), "zone": ZONES[zone], "rate": percent(r), "num": int(n), "den": int(d)}
        for zone, df in trends.items()
        for p, r, n, d in zip(df["period"], df["rate"], df["numerator"], df["denominator"])
    ]


def zone_trends(trends: dict[str, pd.DataFrame]) -> dict:
    """Organisation coverage of each zone over every quarter, n/d in the tooltip."""
    rows = trend_rows(trends)
    line = {
        "mark": {"type": "line", "point": {"size": 60, "filled": True}, "strokeWidth": 3},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "sort": "ascending", "title": None, "axis": {"labelAngle": 0}},
            **_rates("period", "季度"),
        },
    }
    return spec([line], rows)

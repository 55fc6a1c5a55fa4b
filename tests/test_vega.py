"""The overview's Vega-Lite charts: their rows against hand-computed values, the click that drills
into a place, and register text kept as data (never part of the spec's code)."""

import json

import numpy as np
import pandas as pd

from sanqu.figures import vega
from tests.evil import FORMULAS, MARKUP, PAYLOADS

NAN = np.nan


def _table(names: list[str]) -> pd.DataFrame:
    """Two places: A has parks 3 of 4, no community to cover, scenic 1 of 2; B has 0 of 5 parks,
    7 of 7 communities and no scenic row at all (NaN counts)."""
    return pd.DataFrame(
        {
            "district": ["360802", "360803"],
            "name": names,
            "park_num": [3, 0],
            "park_den": [4, 5],
            "park_rate": [0.75, 0.0],
            "community_num": [0, 7],
            "community_den": [0, 7],
            "community_rate": [NAN, 1.0],
            "scenic_num": [1, NAN],
            "scenic_den": [2, NAN],
            "scenic_rate": [0.5, NAN],
        }
    )


def test_place_rows_by_hand():
    rows = vega.district_bars(_table(["吉州区", "青原区"]))["data"]["values"]
    key = ("order", "district", "name", "zone", "rate", "num", "den", "note")
    assert [tuple(r[k] for k in key) for r in rows] == [
        (0, "360802", "吉州区", "工业园区", 75.0, 3, 4, None),
        (0, "360802", "吉州区", "城乡社区", None, 0, 0, "无城乡社区"),
        (0, "360802", "吉州区", "旅游景区", 50.0, 1, 2, None),
        (1, "360803", "青原区", "工业园区", 0.0, 0, 5, None),  # 0 % is a bar of height 0, not a note
        (1, "360803", "青原区", "城乡社区", 100.0, 7, 7, None),
        (1, "360803", "青原区", "旅游景区", None, 0, 0, "无旅游景区"),
    ]


def test_the_bars_select_a_place_code_and_draw_no_bar_for_no_data():
    spec = vega.district_bars(_table(["吉州区", "青原区"]))
    bars, notes = spec["layer"]
    assert bars["params"] == [{"name": vega.PICK, "select": {"type": "point", "fields": ["district"]}}]
    assert bars["transform"] == [{"filter": "datum.rate != null"}] and notes["transform"] == [
        {"filter": "datum.note != null"}
    ]
    assert bars["encoding"]["x"]["sort"] == {"field": "order"}  # the table's order, not the alphabet
    assert json.loads(json.dumps(spec)) == spec  # plain JSON: what Streamlit sends
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"  # each bar an element, named for readers


def test_trend_rows_by_hand():
    trends = {
        "park": pd.DataFrame(
            {"period": ["2026Q2", "2026Q1"], "numerator": [3, 2], "denominator": [4, 4], "rate": [0.75, 0.5]}
        ),
        "scenic": pd.DataFrame({"period": ["2026Q1"], "numerator": [0], "denominator": [0], "rate": [NAN]}),
    }
    spec = vega.zone_trends(trends)
    assert spec["data"]["values"] == [
        {"period": "2026Q2", "zone": "工业园区", "rate": 75.0, "num": 3, "den": 4},
        {"period": "2026Q1", "zone": "工业园区", "rate": 50.0, "num": 2, "den": 4},
        {"period": "2026Q1", "zone": "旅游景区", "rate": None, "num": 0, "den": 0},
    ]
    assert spec["layer"][0]["encoding"]["x"]["sort"] == "ascending"  # 2026Q1 before 2026Q2


def _code(spec: dict) -> list[str]:
    """Every string of the spec but its rows: what Vega reads as titles, formats and expressions."""

    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict | list):
            for v in node.values() if isinstance(node, dict) else node:
                yield from strings(v)

    return list(strings({k: v for k, v in spec.items() if k != "data"}))


def test_register_text_is_only_ever_a_row_value():
    hostile = [*PAYLOADS, *MARKUP, *FORMULAS]
    for a, b in zip(hostile, hostile[1:]):
        spec = vega.district_bars(_table([a, b]))
        assert [r["name"] for r in spec["data"]["values"]] == [a] * 3 + [b] * 3  # as written, not escaped
        assert not [s for s in _code(spec) if a in s or b in s]
    spec = vega.zone_trends(
        {"park": pd.DataFrame({"period": [PAYLOADS[0]], "numerator": [1], "denominator": [2], "rate": [0.5]})}
    )
    assert not [s for s in _code(spec) if PAYLOADS[0] in s]


def test_many_places_have_no_notes_and_slanted_labels():
    many = pd.concat([_table([f"甲{i}", f"乙{i}"]) for i in range(7)], ignore_index=True)
    spec = vega.district_bars(many)
    assert len(many) == 14 > vega.NOTED_PLACES
    assert not [r for r in spec["data"]["values"] if r["note"]]
    assert spec["layer"][0]["encoding"]["x"]["axis"]["labelAngle"] == -45
    assert vega.district_bars(_table(["吉州区", "青原区"]))["layer"][0]["encoding"]["x"]["axis"]["labelAngle"] == 0

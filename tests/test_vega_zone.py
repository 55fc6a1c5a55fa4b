"""The zone pages' Vega-Lite trend lines and bars: their rows against hand-computed values, what a
click selects, and register text kept as row values (never part of the spec's code)."""

import json

import numpy as np
import pandas as pd
import pytest

from sanqu.figures import vega, vega_zone
from tests.evil import FORMULAS, MARKUP, PAYLOADS

SEGMENTS = (("own", "单独组建", "own"), ("joint", "联合组建", "joint"), ("gaps", "未覆盖", "gaps"))


def _groups(names: list[str]) -> pd.DataFrame:
    """Two groups: the first 2 own, 1 joint, 1 gap of 4; the second nothing to cover."""
    return pd.DataFrame(
        {"name": names, "id": ["p1", "p2"], "own": [2, 0], "joint": [1, 0], "gaps": [1, 0], "denominator": [4, 0]}
    )


def _rates(names: list[str]) -> pd.DataFrame:
    """Two quarters of two series: the first 1/2 then 3/4, the second 0/0 (no rate) then 1/1."""
    return pd.DataFrame(
        {
            "period": ["2026Q1", "2026Q2"] * 2,
            "key": ["a", "a", "b", "b"],
            "name": [names[0]] * 2 + [names[1]] * 2,
            "numerator": [1, 3, 0, 1],
            "denominator": [2, 4, 0, 1],
            "rate": [0.5, 0.75, np.nan, 1.0],
        }
    )


def test_status_rows_by_hand():
    spec = vega_zone.status_bars(
        _groups(["甲园区", "乙园区"]), "name", "id", "park", SEGMENTS, highlight="p1", unit=" 家"
    )
    rows = spec["data"]["values"]
    got = [(r["order"], r["gi"], r["label"], r["id"], r["list"], r["n"], r["value"], r["hl"]) for r in rows]
    assert got == [
        (0, 0, "甲园区", "p1", "own", 2, "2 / 4 家（50.0%）", True),
        (0, 1, "甲园区", "p1", "joint", 1, "1 / 4 家（25.0%）", True),
        (0, 2, "甲园区", "p1", "gaps", 1, "1 / 4 家（25.0%）", True),
        (1, 0, "乙园区", "p2", "own", 0, "0 / 0 家（—）", False),
        (1, 1, "乙园区", "p2", "joint", 0, "0 / 0 家（—）", False),
        (1, 2, "乙园区", "p2", "gaps", 0, "0 / 0 家（—）", False),
    ]
    bars = spec["layer"][0]
    assert bars["params"] == [vega.pick(("id", "list"))]  # a click gives [id, list key]
    assert bars["encoding"]["color"]["scale"]["range"] == list(vega_zone.STATUS["park"])
    horizontal = vega_zone.status_bars(_groups(["甲", "乙"]), "name", "id", "park", SEGMENTS, horizontal=True)
    assert horizontal["layer"][0]["encoding"]["y"]["field"] == "label"  # a bar per row, across


def test_count_bars_by_hand():
    spec = vega_zone.count_bars(
        ["企企合建", "村企共建"], [359, 0], ["a", "b"], ["x", "y"], "park", "企业数", " 家", shares=[0.231, np.nan]
    )
    rows = spec["data"]["values"]
    assert [(r["label"], r["n"], r["id"], r["list"], r["text"], r["value"]) for r in rows] == [
        ("企企合建", 359, "a", "x", "359（23.1%）", "359 家"),
        ("村企共建", 0, "b", "y", "0", "0 家"),
    ]


def test_rate_lines_by_hand_and_the_quarter_marked():
    spec = vega_zone.rate_lines(_rates(["组织覆盖率", "单独组建率"]), "2026Q2")
    rows = spec["data"]["values"]
    assert [(r["gi"], r["name"], r["period"], r["rate"], r["nd"]) for r in rows] == [
        (0, "组织覆盖率", "2026Q1", 50.0, "1 / 2"),
        (0, "组织覆盖率", "2026Q2", 75.0, "3 / 4"),
        (1, "单独组建率", "2026Q1", None, "0 / 0"),  # no rate: no point, not 0 %
        (1, "单独组建率", "2026Q2", 100.0, "1 / 1"),
    ]
    rule = spec["layer"][1]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["datum"] == "2026Q2"
    assert len(vega_zone.rate_lines(_rates(["a", "b"]), "2025Q4")["layer"]) == 1  # a quarter not drawn: no line


def test_lines_by_by_hand():
    df = pd.DataFrame(
        {"period": ["2026Q1", "2026Q2", "2026Q1"], "count": [3, 5, 1], "d": ["井冈山市", "井冈山市", "吉州区"]}
    )
    rows = vega_zone.lines_by(df, "period", "count", "d", "开展次数", " 次")["data"]["values"]
    assert [(r["gi"], r["group"], r["x"], r["y"], r["value"]) for r in rows] == [
        (0, "井冈山市", "2026Q1", 3.0, "3 次"),
        (0, "井冈山市", "2026Q2", 5.0, "5 次"),
        (1, "吉州区", "2026Q1", 1.0, "1 次"),
    ]


def test_a_count_is_never_ticked_at_a_fraction():
    """Counts of 0-3 (one district's scenic sites): Vega would tick 0.5, 1.5 … of a site; every
    count axis of the zone pages ticks whole numbers only. A rate axis is left as it was."""
    df = pd.DataFrame({"period": ["2026Q1", "2026Q2"], "n": [1, 3], "g": ["甲", "甲"]})
    axes = {
        "status, upright": vega_zone.status_bars(_groups(["甲", "乙"]), "name", "id", "scenic", SEGMENTS)["layer"][0][
            "encoding"
        ]["y"],
        "status, across": vega_zone.status_bars(_groups(["甲", "乙"]), "name", "id", "park", SEGMENTS, horizontal=True)[
            "layer"
        ][0]["encoding"]["x"],
        "counts": vega_zone.count_bars(["甲", "乙"], [2, 0], ["a", "b"], ["x", "y"], "scenic", "景区景点数")["layer"][
            0
        ]["encoding"]["y"],
        "lines": vega_zone.lines_by(df, "period", "n", "g", "开展次数", " 次")["layer"][0]["encoding"]["y"],
    }
    assert {name: axis["axis"]["tickMinStep"] for name, axis in axes.items()} == dict.fromkeys(axes, 1)
    rate = vega_zone.rate_lines(_rates(["a", "b"]), "2026Q2")["layer"][0]["encoding"]["y"]
    assert "tickMinStep" not in rate["axis"]


def _specs(a: str, b: str) -> list[dict]:
    df = pd.DataFrame({"period": ["2026Q1", "2026Q1"], "n": [1, 2], "g": [a, b]})
    return [
        vega_zone.status_bars(_groups([a, b]), "name", "name", "scenic", SEGMENTS, highlight=a),
        vega_zone.status_bars(_groups([a, b]), "name", "name", "community", SEGMENTS, horizontal=True),
        vega_zone.count_bars([a, b], [1, 2], [a, b], ["x", "y"], "community", "数"),
        vega_zone.rate_lines(_rates([a, b]), "2026Q1"),
        vega_zone.lines_by(df, "period", "n", "g", "数", " 个"),
    ]


@pytest.mark.parametrize("payload", PAYLOADS + MARKUP + FORMULAS)
def test_register_text_is_only_ever_a_row_value(payload):
    payload = f"园区{payload}园区"  # a name that starts or ends with it, unlike any chart code
    for spec in _specs(payload, payload + "2"):
        rows = spec.pop("data")["values"]
        assert any(payload in str(v) for r in rows for v in r.values())  # drawn, as it is
        code = json.dumps(spec, ensure_ascii=False, allow_nan=False)
        assert payload not in code and json.dumps(payload, ensure_ascii=False)[1:-1] not in code
        json.dumps(rows, allow_nan=False)  # no NaN: JSON null where there is nothing

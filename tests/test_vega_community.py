"""The 城乡社区 page's Vega-Lite charts: their rows against hand-computed values, the click on the
star bars, and register text kept as data (never part of the spec's code)."""

import json

import numpy as np
import pandas as pd

from sanqu.figures import vega, vega_community
from tests.test_vega import _code

LINK = '<a href="https://evil.example/">x</a>'
HOSTILE = [LINK, "A&B"]


def _points(names: list[str]) -> pd.DataFrame:
    """Three communities: a 党委, a 党支部 that is an upgrade candidate, and one with no households."""
    return pd.DataFrame(
        {
            "level": ["党委", "党支部", "党支部"],
            "households": [1200, 450, 0],
            "members": [130, 110, 12],
            "area_km2": [1.234, np.nan, 3.0],
            "name": names,
            "candidate": [False, True, False],
        }
    )


def _clean(spec: dict) -> dict:
    """The spec, checked to be plain JSON without NaN (what Streamlit sends)."""
    assert json.loads(json.dumps(spec, allow_nan=False)) == spec
    return spec


def test_scatter_rows_by_hand():
    spec = _clean(vega_community.level_size_scatter(_points(["甲社区", "乙村", "丙村"]), 100))
    assert spec["data"]["values"] == [
        {"level": "党委", "name": "甲社区", "households": 1200, "members": 130, "area": 1.23, "candidate": "否"},
        {"level": "党支部", "name": "乙村", "households": 450, "members": 110, "area": None, "candidate": "是"},
        # no household: no place on the log axis (null, not drawn), as plotly left it out
        {"level": "党支部", "name": "丙村", "households": None, "members": 12, "area": 3.0, "candidate": "否"},
    ]
    marks, line, label = spec["layer"]
    assert "title" not in spec  # no cells, no note
    enc = marks["encoding"]
    assert enc["x"]["scale"]["type"] == "log" and enc["x"]["axis"]["values"] == [100, 200, 500, 1000, 2000, 5000, 10000]
    assert enc["color"]["scale"] == {"domain": ["党委", "党支部"], "range": ["#8a1010", "#5a8fc0"]}  # levels present
    assert enc["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert line["encoding"]["y"] == {"datum": 100, "type": "quantitative"}
    assert line["mark"]["strokeDash"] and label["encoding"]["text"] == {"value": "党员 100 名"}
    assert enc["y"]["axis"]["tickMinStep"] == 1  # members: whole numbers on the axis


def test_cells_rows_and_note_by_hand():
    cells = pd.DataFrame(
        {
            "level": ["党委", "党支部", "党支部"],
            "hx": [60.0, 55.0, 56.0],
            "my": [20, 21, 4],
            "n": [2, 5, 1],
            "x": [1000.0, 562.4, 600.0],
            "y": [101.5, 106.0, 22.0],
            "cand": [0, 3, 0],
        }
    )
    spec = _clean(vega_community.level_size_scatter(cells, 100))
    assert spec["data"]["values"] == [
        {"level": "党委", "n": 2, "households": 1000.0, "members": 101.5, "cand": 0},
        {"level": "党支部", "n": 5, "households": 562.4, "members": 106.0, "cand": 3},
        {"level": "党支部", "n": 1, "households": 600.0, "members": 22.0, "cand": 0},
    ]
    size = spec["layer"][0]["encoding"]["size"]
    assert size["field"] == "n" and size["scale"]["zero"] and size["scale"]["type"] == "linear"
    assert spec["title"]["text"] == [
        "共 8 个村（社区），超过 1,000 个：",
        "按户数和党员数分格聚合，圆点面积为个数",
    ]


def test_grid_rows_by_hand():
    grid = pd.DataFrame(
        {
            "kind": ["城市社区", "农村社区"],
            "unit": ["小区（村落）", "小区（村落）"],
            "numerator": [2, 0],
            "denominator": [3, 0],
            "rate": [2 / 3, np.nan],
        }
    )
    spec = _clean(vega_community.grid_bars(grid))
    assert spec["data"]["values"] == [
        {"unit": "小区（村落）", "kind": "城市社区", "rate": 66.7, "num": 2, "den": 3, "label": "66.7%", "at": 66.7},
        {"unit": "小区（村落）", "kind": "农村社区", "rate": None, "num": 0, "den": 0, "label": "—", "at": 0},
    ]


def test_star_bars_rows_and_click():
    dist = pd.DataFrame({"stars": [0, 3], "current": [4, 7], "previous": [5, 6], "year_ago": [0, 1]})
    spec = _clean(vega_community.star_bars(dist))
    key = ("order", "stars", "series", "n", "id", "list")
    assert [tuple(r[k] for k in key) for r in spec["data"]["values"]] == [
        (0, "未评星", "上年同期", 0, 0, "stars_0"),
        (1, "3星", "上年同期", 1, 3, "stars_3"),
        (0, "未评星", "上季度", 5, 0, "stars_0"),
        (1, "3星", "上季度", 6, 3, "stars_3"),
        (0, "未评星", "本季度", 4, 0, "stars_0"),
        (1, "3星", "本季度", 7, 3, "stars_3"),
    ]
    assert spec["layer"][0]["params"] == [{"name": vega.PICK, "select": {"type": "point", "fields": ["id", "list"]}}]
    assert spec["layer"][0]["encoding"]["y"]["axis"]["tickMinStep"] == 1  # 4 to 7 villages: no 4.5


def test_star_matrix_rows_by_hand():
    m = pd.DataFrame([[3, 1], [0, 2]], index=[0, 1], columns=[0, 1])
    spec = _clean(vega_community.star_matrix(m, "2026Q1", "2026Q2"))
    assert spec["data"]["values"] == [
        {"bo": 0, "before": "未评", "ao": 0, "after": "未评", "n": 3},
        {"bo": 0, "before": "未评", "ao": 1, "after": "1星", "n": 1},
        {"bo": 1, "before": "1星", "ao": 0, "after": "未评", "n": 0},
        {"bo": 1, "before": "1星", "ao": 1, "after": "1星", "n": 2},
    ]
    rect, text = spec["layer"]
    assert (
        rect["encoding"]["x"]["title"] == "2026年第2季度星级" and rect["encoding"]["y"]["title"] == "2026年第1季度星级"
    )
    assert text["encoding"]["text"] == {"field": "n", "format": ","}


def test_register_text_is_only_ever_a_row_value():
    names = [*HOSTILE, "丙村"]
    spec = _clean(vega_community.level_size_scatter(_points(names), 100))
    assert [r["name"] for r in spec["data"]["values"]] == names  # as written, not escaped
    assert not [s for s in _code(spec) if any(h in s for h in HOSTILE)]
    assert not [s for s in _code(spec) if "<" in s or "&" in s]
    grid = pd.DataFrame({"kind": ["城市社区"], "unit": [LINK], "numerator": [1], "denominator": [2], "rate": [0.5]})
    spec = _clean(vega_community.grid_bars(grid))
    assert spec["data"]["values"][0]["unit"] == LINK and not [s for s in _code(spec) if LINK in s]

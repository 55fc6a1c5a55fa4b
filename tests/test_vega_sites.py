"""The 示范点 page's Vega-Lite charts: their rows against hand-computed values, their order, colours
and time axes, and register text (site, district and milestone names, inspectors) kept as row
values (never part of the spec's code)."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sanqu.context import Context
from sanqu.figures import vega_sites
from sanqu.figures.charts import STATUS_COLOURS
from sanqu.programmes import sites
from sanqu.scope import Scope
from tests.evil import FORMULAS, MARKUP, PAYLOADS

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)


def _milestones(site_a: str = "甲示范点", site_b: str = "乙示范点", title: str = "确定方案") -> pd.DataFrame:
    """Site b (青原区) listed first with two milestones (one done late, one overdue), then site a
    (吉州区) with one open."""
    return pd.DataFrame(
        {
            "district_name": ["青原区", "青原区", "吉州区"],
            "site_name": [site_b, site_b, site_a],
            "state": ["late", "overdue", "open"],
            "title": [title, "建成阵地", "通过验收"],
            "stage": ["培育", "建设", "验收"],
            "start": pd.to_datetime(["2026-01-02", "2026-03-19", "2026-06-01"]),
            "due": pd.to_datetime(["2026-03-19", "2026-06-20", "2027-01-31"]),
            "done": pd.to_datetime(["2026-04-06", None, None]),
        }
    )


def _ranked(a: str = "甲县", b: str = "乙县", c: str = "丙县") -> pd.DataFrame:
    """Three districts: the first has no site (not ranked), then rank 2 and rank 1."""
    return pd.DataFrame(
        {
            "district": ["1", "2", "3"],
            "name": [a, b, c],
            "rank": pd.array([None, 2, 1], dtype="Int64"),
            "score": [np.nan, 72.94, 80.26],
            "note": ["无示范点，不参评", "", "尚无到期节点，按期完成率不计入"],
        }
    )


def _inspections(role: str = "县委组织部督查组") -> pd.DataFrame:
    return pd.DataFrame(
        {"date": pd.to_datetime(["2026-03-14", "2026-09-05"]), "score": [97.7, 72.84], "inspector_role": [role, "市委"]}
    )


def test_stage_bars_by_hand():
    listed = pd.DataFrame({"stage": ["建设", "建设", "命名"], "status": ["red", "green", "green"]})
    spec = vega_sites.site_board_bars(sites.board(listed))
    got = [
        (r["order"], r["gi"], r["label"], r["status"], r["n"], r["value"], r["note"]) for r in spec["data"]["values"]
    ]
    assert tuple(sites.STAGES) == ("培育", "建设", "验收", "命名")
    assert got == [
        (0, 0, "培育", "逾期", 0, "0 个", "无示范点"),  # a stage without a site says so, once
        (0, 1, "培育", "预警", 0, "0 个", None),
        (0, 2, "培育", "正常", 0, "0 个", None),
        (1, 0, "建设", "逾期", 1, "1 个", None),
        (1, 1, "建设", "预警", 0, "0 个", None),
        (1, 2, "建设", "正常", 1, "1 个", None),
        (2, 0, "验收", "逾期", 0, "0 个", "无示范点"),
        (2, 1, "验收", "预警", 0, "0 个", None),
        (2, 2, "验收", "正常", 0, "0 个", None),
        (3, 0, "命名", "逾期", 0, "0 个", None),
        (3, 1, "命名", "预警", 0, "0 个", None),
        (3, 2, "命名", "正常", 1, "1 个", None),
    ]
    bars, notes = spec["layer"]
    enc = bars["encoding"]
    assert enc["color"]["scale"]["range"] == [STATUS_COLOURS[s] for s in ("red", "amber", "green")]
    assert enc["color"]["sort"] == {"field": "gi", "op": "min"} and enc["order"]["field"] == "gi"  # 逾期 at the bottom
    assert enc["x"]["sort"] == {"field": "order", "op": "min"} and enc["y"]["axis"]["title"] == "示范点（个）"
    assert notes["mark"]["type"] == "text" and notes["encoding"]["text"] == {"field": "note"}


def test_district_bars_by_hand_name_districts_without_sites():
    table = pd.DataFrame(
        {
            "district": ["360802", "360828"],
            "name": ["吉州区", "万安县"],
            "red": [1, 0],
            "amber": [0, 0],
            "green": [2, 0],
        }
    )
    rows = vega_sites.district_status_bars(table)["data"]["values"]
    assert [(r["order"], r["label"], r["status"], r["n"], r["note"]) for r in rows] == [
        (0, "吉州区", "逾期", 1, None),
        (0, "吉州区", "预警", 0, None),
        (0, "吉州区", "正常", 2, None),
        (1, "万安县", "逾期", 0, "无示范点"),
        (1, "万安县", "预警", 0, None),
        (1, "万安县", "正常", 0, None),
    ]


def test_timeline_rows_by_hand_top_down_in_the_frames_order():
    spec = vega_sites.milestone_timeline(_milestones(), TODAY)
    rows = spec["data"]["values"]
    got = [(r["ri"], r["row"], r["gi"], r["state"], r["start"], r["due"], r["done"], r["done_txt"]) for r in rows]
    assert got == [
        (0, "青原区 · 乙示范点", 0, "逾期完成", "2026-01-02", "2026-03-19", "2026-04-06", "2026-04-06"),
        (0, "青原区 · 乙示范点", 1, "逾期未完成", "2026-03-19", "2026-06-20", None, "未完成"),
        (1, "吉州区 · 甲示范点", 2, "未到期", "2026-06-01", "2027-01-31", None, "未完成"),
    ]
    assert [(r["title"], r["stage"]) for r in rows] == [
        ("确定方案", "培育"),
        ("建成阵地", "建设"),
        ("通过验收", "验收"),
    ]
    bars, done, rule, label = spec["layer"]
    enc = bars["encoding"]
    assert enc["x"]["type"] == "temporal" and enc["x"]["field"] == "start" and enc["x2"] == {"field": "due"}
    assert enc["x"]["scale"] == {"type": "utc"} and enc["x"]["axis"]["orient"] == "top"
    assert enc["y"]["sort"] == {"field": "ri", "op": "min"}  # the first site at the top
    # the colours of the states shown, in their order (no state's name in the spec)
    colours = vega_sites.MILESTONE_COLOURS
    assert enc["color"]["scale"]["range"] == [colours["late"], colours["overdue"], colours["open"]]
    assert done["mark"]["shape"] == "diamond" and done["transform"] == [{"filter": "datum.done != null"}]
    assert done["encoding"]["shape"]["datum"] == "实际完成"  # its legend entry, as plotly's trace had
    today = {"datum": {"year": 2026, "month": 11, "date": 26, "utc": True}, "type": "temporal"}
    assert rule["encoding"]["x"] == today and label["encoding"]["x"] == today
    assert label["encoding"]["text"] == {"value": "今日 2026-11-26"}
    assert spec["height"] == {"step": vega_sites.ROW}
    tips = [t["title"] for t in enc["tooltip"]]
    assert tips == ["示范点", "节点", "阶段", "计划", "完成", "状态"]


def test_compact_timeline_has_no_row_labels():
    spec = vega_sites.milestone_timeline(_milestones().iloc[2:], TODAY, compact=True)
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labels"] is False
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == [vega_sites.MILESTONE_COLOURS["open"]]
    assert spec["height"] == {"step": 2 * vega_sites.ROW}


def test_score_rows_by_hand_the_unranked_last():
    spec = vega_sites.score_bars(_ranked(), "红旗争创得分")
    rows = spec["data"]["values"]
    assert [(r["order"], r["label"], r["score"], r["text"], r["nodata"], r["note"]) for r in rows] == [
        (0, "1. 丙县", 80.26, "80.3", None, "尚无到期节点，按期完成率不计入"),
        (1, "2. 乙县", 72.94, "72.9", None, None),
        (2, "甲县", None, None, "无示范点", "无示范点，不参评"),  # listed last, a note for a bar
    ]
    bars, text, notes = spec["layer"]
    assert bars["transform"] == text["transform"] == [{"filter": "datum.score != null"}]
    assert bars["encoding"]["x"]["title"] == "红旗争创得分"
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 110]
    assert bars["encoding"]["y"]["sort"] == {"field": "order", "op": "min"}  # the first at the top
    assert notes["encoding"]["text"] == {"field": "nodata"}


def test_inspection_rows_by_hand():
    spec = vega_sites.inspection_scores(_inspections())
    rows = spec["data"]["values"]
    assert rows == [
        {"day": "2026-03-14", "score": 97.7, "text": "97.7", "role": "县委组织部督查组"},
        {"day": "2026-09-05", "score": 72.84, "text": "72.8", "role": "市委"},
    ]
    x = spec["layer"][0]["encoding"]["x"]
    assert x["type"] == "temporal" and x["scale"] == {"type": "utc"}
    assert x["axis"]["values"] == [
        {"year": 2026, "month": 3, "date": 14, "utc": True},
        {"year": 2026, "month": 9, "date": 5, "utc": True},
    ]
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 105]


def _specs(p: str) -> list[dict]:
    ranked = _ranked(p, p + "2", p + "3")
    board = sites.board(pd.DataFrame({"stage": ["建设"], "status": ["red"]}))
    table = pd.DataFrame(
        {"district": ["1", "2"], "name": [p, p + "2"], "red": [1, 0], "amber": [0, 0], "green": [0, 0]}
    )
    return [
        vega_sites.district_status_bars(table),
        vega_sites.milestone_timeline(_milestones(p, p + "2", p + "3"), TODAY),
        vega_sites.milestone_timeline(_milestones(p, p + "2", p + "3"), TODAY, compact=True),
        vega_sites.score_bars(ranked),
        vega_sites.inspection_scores(_inspections(p)),
        vega_sites.site_board_bars(board),  # no register text; JSON-clean
    ]


@pytest.mark.parametrize("payload", PAYLOADS + MARKUP + FORMULAS)
def test_register_text_is_only_ever_a_row_value(payload):
    payload = f"示范点{payload}示范点"  # a name that starts or ends with it, unlike any chart code
    for i, spec in enumerate(_specs(payload)):
        rows = spec.pop("data")["values"]
        if i < 5:
            assert any(payload in str(v) for r in rows for v in r.values())  # drawn, as it is
        code = json.dumps(spec, ensure_ascii=False, allow_nan=False)
        assert payload not in code and json.dumps(payload, ensure_ascii=False)[1:-1] not in code
        json.dumps(rows, allow_nan=False)  # no NaN: JSON null where there is nothing


@pytest.mark.parametrize("view", ["board", "timeline", "ranking", "attention", "detail"])
def test_the_sites_page_draws_no_plotly(demo_dir, demo_db, monkeypatch, view):
    """Every view of 示范点 (the city and one district): Vega-Lite charts only, so that the page
    never fetches plotly's bundle."""
    monkeypatch.setenv("SANQU_TODAY", TODAY.isoformat())
    for district in ("", "360803"):
        at = AppTest.from_file(str(ROOT / "views/sites.py"), default_timeout=120)
        at.query_params.update({"view": view} | ({"district": district} if district else {}))
        if view == "detail":
            ctx = Context(Scope.of(district) if district else Scope.city(), demo_db.periods()[-1], TODAY)
            at.query_params["site"] = sites.site_table(demo_db, ctx)["site_id"].iloc[-1]
        at.run()
        assert not at.exception, at.exception
        assert len(at.get("plotly_chart")) == 0
        assert (
            len(at.get("vega_lite_chart"))
            == {"board": 2, "timeline": 1, "ranking": 1, "attention": 0, "detail": 2}[view]
        )

"""The map at scale: a layer with more points than webmap.MAX_POINTS travels as grid-cell bubbles
with exact counts, and the legend says so; fewer points travel one by one as before."""

import datetime as dt
import json
import re

import pytest

from sanqu.context import Context
from sanqu.mapping import mapdata, webmap
from sanqu.mapping.safe_js import js_json
from sanqu.scope import Scope

TODAY = dt.date(2026, 11, 26)


def _data(layer: webmap.JsLayer) -> dict:
    """The layer's rows as the browser gets them (the inverse of safe_js.js_parsed)."""
    text = layer.data.removeprefix("JSON.parse('").removesuffix("')")
    return json.loads(text.replace("\\\\", "\\"))


@pytest.fixture(scope="module")
def enterprises(demo_db):
    return mapdata.enterprises(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY))


def test_few_points_are_sent_one_by_one(enterprises):
    layer = webmap._enterprise_layer(enterprises, webmap._Project(gcj=False))
    assert len(enterprises) <= webmap.MAX_POINTS
    assert layer.factory == "pointLayer" and layer.total is None
    assert len(_data(layer)["rows"]) == len(enterprises)


def test_many_points_become_cells_with_exact_counts(enterprises, monkeypatch):
    monkeypatch.setattr(webmap, "MAX_POINTS", 1000)  # the demo's 1,553 placed enterprises are "many"
    layer = webmap._enterprise_layer(enterprises, webmap._Project(gcj=False))
    data = _data(layer)
    assert layer.factory == "aggregateLayer" and layer.total == len(enterprises)
    cols = data["columns"]
    assert cols[:3] == ["lon", "lat", "n"]
    rows = data["rows"]
    assert 1 < len(rows) < len(enterprises)  # fewer bubbles than points
    assert sum(r[2] for r in rows) == len(enterprises)  # every enterprise counted once
    for r in rows:
        assert r[2] == sum(r[3:])  # a cell's count is the sum of its categories
    expected = enterprises["cover"].value_counts().to_dict()
    got = {c: sum(r[3 + i] for r in rows) for i, c in enumerate(cols[3:])}
    assert got == expected
    # the bubble sits among its points: inside the city's box
    assert all(113.5 < r[0] < 116.6 and 25.9 < r[1] < 27.9 for r in rows)


def test_the_legend_says_the_layer_is_aggregated(demo_db, monkeypatch):
    monkeypatch.setattr(webmap, "MAX_POINTS", 1000)
    monkeypatch.setattr(webmap, "MAX_EDGES", 100)
    ctx = Context(Scope.city(), demo_db.periods()[-1], TODAY)
    m = webmap.build(demo_db, ctx, webmap.MapOptions(layers=("enterprises", "communities", "scenic", "relations")))
    html = m.get_root().render()
    assert html.count("sanqu.aggregateLayer(") == 2  # enterprises (1,553) and communities (2,967); scenic (78) not
    assert html.count("sanqu.pointLayer(") == 1
    n = len(mapdata.communities(demo_db, ctx))
    layer = webmap.JsLayer("城乡社区", "aggregateLayer", {}, {"total": n})
    legend = webmap.point_legend(("communities",), {"communities": layer})
    assert legend[0]["note"].startswith(f"共 {n:,} 个村（社区），超过 1,000 个点：已按约 5 公里方格聚合")
    assert js_json(legend[0]["note"])[1:-1] in html


def test_many_edges_merge_with_their_counts(demo_db, monkeypatch):
    ctx = Context(Scope.city(), demo_db.periods()[-1], TODAY)
    edges = mapdata.relations(demo_db, ctx)
    monkeypatch.setattr(webmap, "MAX_EDGES", 100)
    layer = webmap._relation_layer(edges, webmap._Project(gcj=False))
    data = _data(layer)
    labels = [data["codes"]["label"][v] if "label" in data["codes"] else v for *_, v in data["rows"]]
    assert layer.total == len(edges) > 100
    assert len(labels) < len(edges)
    counted = [re.fullmatch(r"\S+ ([\d,]+) 条（已聚合）", label) for label in labels]
    assert all(counted)
    assert sum(int(m[1].replace(",", "")) for m in counted) == len(edges)

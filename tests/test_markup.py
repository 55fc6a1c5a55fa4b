"""Text from data stays text: in every plotly figure the app draws (plotly reads labels as an
HTML subset) and in every Excel workbook it offers (openpyxl reads "=…" as a formula)."""

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.testing.v1 import AppTest

from sanqu.context import Context
from sanqu.figures import charts, plotly_text, vega_sites, vega_zone
from sanqu.figures.plotly_text import escape, unescape
from sanqu.ingest import demo
from sanqu.reports import screen
from sanqu.reports.export import to_excel
from sanqu.scope import Scope
from sanqu.storage.db import Database
from tests import stores
from tests.downloads import Manager, is_download, offered
from tests.evil import FORMULAS, MARKUP, PAYLOADS, evil_rows

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
LINK = '<a href="https://evil.example/">x</a>'
# chart code, not data: it may hold markup (data reaches it through %{…} or escape)
CODE_KEYS = {"hovertemplate", "texttemplate", "annotations", "template"}
RAW_AMP = re.compile(r"&(?!(?:amp|lt|gt);)")
SITE_VIEWS = ("board", "timeline", "ranking", "detail")  # "attention" has tables only
SECTIONS = ("contacts", "pairings", "cadres", "venues", "activities", "assessment")


@pytest.fixture(scope="module")
def evil_dir(tmp_path_factory) -> Path:
    """Demo registers whose first names start with markup, entity and formula payloads."""
    return stores.built(tmp_path_factory.mktemp("markup"), evil_rows(demo.generate(), PAYLOADS + MARKUP + FORMULAS))


@pytest.fixture(scope="module")
def evil_db(evil_dir):
    db = Database(evil_dir / "sanqu.duckdb")
    yield db
    db.close()


@pytest.fixture()
def on_evil(evil_dir, monkeypatch):
    monkeypatch.setenv("SANQU_DATA_DIR", str(evil_dir))
    monkeypatch.setenv("SANQU_TODAY", TODAY.isoformat())
    return evil_dir


def _strings(node, path=""):
    """(path, string) for every string in a figure's JSON outside chart code."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            if k not in CODE_KEYS:
                yield from _strings(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}[{i}]")


def _unsafe(spec: dict) -> list[tuple[str, str]]:
    return [(p, s) for p, s in _strings(spec) if "<" in s or ">" in s or RAW_AMP.search(s)]


# --------------------------------------------------------------------------- the escaping itself


def test_escape_shows_the_original_and_round_trips():
    assert escape(LINK) == '&lt;a href="https://evil.example/"&gt;x&lt;/a&gt;'
    assert escape("&lt;b&gt; A&B") == "&amp;lt;b&amp;gt; A&amp;B"  # plotly decodes once: shows "&lt;b&gt; A&B"
    assert escape("吉州区工业园") == "吉州区工业园"
    for s in PAYLOADS + MARKUP + FORMULAS:
        assert unescape(escape(s)) == s
    assert unescape(3) == 3 and unescape("&amp;lt;") == "&lt;"


def test_safe_escapes_data_and_keeps_numbers_dates_and_chart_markup():
    when = pd.to_datetime(["2026-01-01", "2026-02-01"])
    fig = go.Figure(
        go.Bar(
            x=[LINK, "A&B"],
            y=np.array([1, 2]),
            name="<b>n</b>",
            customdata=np.array([[LINK, 7], ["普通", 8]], dtype=object),
            text=np.array([1.5, 2.5]),
            hovertemplate="<b>%{x}</b><br>%{customdata[0]} %{customdata[1]:,}<extra></extra>",
        )
    )
    fig.add_scatter(x=when, y=[3, 4], name="日期")
    fig.update_layout(title="<i>t</i>", yaxis=dict(ticktext=["<b>"], tickvals=[1]))
    plotly_text.safe(fig)
    bar, line = fig.data
    assert list(bar.x) == ['&lt;a href="https://evil.example/"&gt;x&lt;/a&gt;', "A&amp;B"]
    assert bar.name == "&lt;b&gt;n&lt;/b&gt;" and fig.layout.title.text == "&lt;i&gt;t&lt;/i&gt;"
    assert bar.customdata[0][0].startswith("&lt;a") and bar.customdata[1].tolist() == ["普通", 8]
    assert bar.y.dtype.kind == "i" and bar.text.dtype.kind == "f"
    assert bar.hovertemplate.startswith("<b>%{x}</b><br>")  # the chart's own markup stays
    assert pd.to_datetime(list(line.x)).equals(when) and line.name == "日期"
    assert fig.layout.yaxis.ticktext == ("&lt;b&gt;",) and fig.layout.yaxis.tickvals == (1,)


def test_ordinary_names_are_not_changed():
    spec = vega_zone.count_bars(["吉州区", "井冈山市"], [3, 4], ["a", "b"], ["x", "y"], "park", "个数")
    rows = spec["data"]["values"]
    assert [r["label"] for r in rows] == ["吉州区", "井冈山市"]
    assert [[r["id"], r["list"]] for r in rows] == [["a", "x"], ["b", "y"]]


def test_every_figure_function_is_escaped():
    checked = 0
    for module in (charts,):
        for name, fn in vars(module).items():
            ours = callable(fn) and getattr(fn, "__module__", "") == module.__name__ and not name.startswith("_")
            if ours and fn.__annotations__.get("return") is go.Figure:
                assert getattr(fn, "plotly_text_safe", False), f"{module.__name__}.{name}"
                checked += 1
    assert checked >= 6  # the overview, the zone pages and 示范点 are Vega-Lite specs (tests/test_vega*.py)


def test_timeline_and_park_bars_show_payloads_as_text_only():
    ms = pd.DataFrame(
        {
            "district_name": ["吉州区", "青原区"],
            "site_name": [LINK, "A&B"],
            "state": ["open", "late"],
            "title": ["<b>节点</b>", "&lt;i&gt;"],
            "stage": ["建设", "建设"],
            "start": pd.to_datetime(["2026-01-01", "2026-02-01"]),
            "due": pd.to_datetime(["2026-03-01", "2026-04-01"]),
            "done": pd.to_datetime([None, "2026-03-15"]),
        }
    )
    spec = vega_sites.milestone_timeline(ms, TODAY)
    rows = spec.pop("data")["values"]  # Vega draws them as text; the rest of the spec holds no data
    assert _unsafe(spec) == []
    assert [(r["ri"], r["row"], r["title"]) for r in rows] == [
        (0, f"吉州区 · {LINK}", "<b>节点</b>"),
        (1, "青原区 · A&B", "&lt;i&gt;"),
    ]
    bars = pd.DataFrame({"name": [LINK], "id": ["360802400"], "own": [1], "denominator": [3]})
    spec = vega_zone.status_bars(bars, "name", "id", "park", (("own", "单独组建", "own"),), horizontal=True)
    rows = spec.pop("data")["values"]  # Vega draws them as text; the rest of the spec holds no data
    assert _unsafe(spec) == [] and rows[0]["label"] == LINK and rows[0]["id"] == "360802400"


@pytest.mark.parametrize("key", list(screen.VIEWS))
def test_screen_figures_on_an_evil_store(evil_db, key):
    v = screen.build(evil_db, Context(Scope.city(), evil_db.periods()[-1], TODAY), key)
    for fig in [v.choropleth, *v.side]:
        assert _unsafe(json.loads(fig.to_json())) == []


# --------------------------------------------------------------------------- every page's charts

PAGES = [
    ("views/overview.py", {}),
    ("views/parks.py", {}),
    ("views/communities.py", {}),
    ("views/scenic.py", {}),
    *[("views/sites.py", {"view": v}) for v in SITE_VIEWS],
    *[("views/mechanisms.py", {"section": s}) for s in SECTIONS],
]


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def _specs(at: AppTest) -> list[dict]:
    """Every chart's spec: plotly's figures and Vega-Lite's specs (whose rows Streamlit sends apart,
    as Arrow data)."""
    return [json.loads(c.proto.spec) for kind in ("plotly_chart", "vega_lite_chart") for c in at.get(kind)]


def _vega_texts(at: AppTest) -> set[str]:
    """Every string in the Vega-Lite charts' rows: data that Vega draws as text (SVG text nodes, and
    tooltips it escapes), never part of the spec."""
    tables = [pa.ipc.open_stream(c.proto.data.data).read_all() for c in at.get("vega_lite_chart") if c.proto.data.data]
    return {v for t in tables for row in t.to_pylist() for v in row.values() if isinstance(v, str)}


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[f"{p[6:-3]}-{'-'.join(q.values())}" for p, q in PAGES])
def test_page_charts_carry_no_markup_from_data(on_evil, page, params):
    if params.get("view") == "detail":
        params = dict(params, site=evil_rows(demo.generate(), PAYLOADS)["demo_sites"][7]["site_id"])
    at = _open(page, params)
    specs = _specs(at)
    assert specs, page
    for spec in specs:
        assert _unsafe(spec) == [], page
    shown = {s for spec in specs for _, s in _strings(spec)}
    if page.endswith(("parks.py", "sites.py")) and params.get("view", "timeline") in ("timeline", "detail"):
        # in a plotly figure escaped; in a Vega-Lite chart's rows as it is (drawn as text)
        assert any(escape(LINK) in s for s in shown) or any(LINK in s for s in _vega_texts(at)), "the hostile name"


# --------------------------------------------------------------------------- Excel


def _formula_cells(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_to_excel_writes_text_as_text_and_numbers_as_numbers():
    texts = ['=HYPERLINK("https://evil","x")', "=1+1", "+1", "@SUM(A1)", "-2", "\t=1", "吉州区工业园"]
    df = pd.DataFrame({"名称": texts, "数量": [1, 2, 3, 4, 5, 6, 7.5]})
    data = to_excel(df, "清单", {"筛选条件": "=1+2"})
    ws = openpyxl.load_workbook(io.BytesIO(data))["清单"]
    for i, text in enumerate(texts, start=2):
        cell = ws.cell(row=i, column=1)
        assert cell.data_type == "s" and cell.value == text
        assert ws.cell(row=i, column=2).data_type == "n"
    assert ws.cell(row=8, column=2).value == 7.5
    assert "<f>" not in _sheet_xml(data) and _formula_cells(data) == []


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("views/parks.py", {"plist": "all"}),
        ("views/communities.py", {"clist": "all"}),
        ("views/scenic.py", {"slist": "all"}),
        ("views/sites.py", {"view": "board"}),
    ],
)
def test_download_buttons_offer_no_formula_cells(on_evil, monkeypatch, page, params):
    monkeypatch.setattr(app_test_module, "MediaFileManager", Manager)
    at = _open(page, params)
    buttons = [b for b in at.get("download_button") if is_download(b) and b.proto.label.startswith("导出 Excel")]
    assert buttons, page
    starts = []
    for b in buttons:
        data = offered(b)
        assert _formula_cells(data) == [] and "<f>" not in _sheet_xml(data), b.proto.label
        wb = openpyxl.load_workbook(io.BytesIO(data))
        starts += [c.value for ws in wb for row in ws.iter_rows() for c in row if str(c.value).startswith("=")]
    assert any(s.startswith(tuple(FORMULAS[:2])) for s in starts), "a formula-like name was exported, as text"

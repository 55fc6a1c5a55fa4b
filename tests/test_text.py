"""What the city sees (issue 12): tab titles, export sheets, the briefing pack's summary and
metadata, readable chart text. Hand-computed on tests/tiny.py where the figures are checked."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sanqu.context import Context
from sanqu.figures import vega_tree, vega_zone
from sanqu.mapping import mapdata
from sanqu.metrics import overview
from sanqu.reports import briefing, map_tables
from sanqu.reports.export import to_excel
from sanqu.scope import Scope
from tests.tiny import A, B

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CITY = Scope.city()
TODAY = dt.date(2026, 11, 26)
PAGES = {
    "views/overview.py": "总览",
    "views/map.py": "地图",
    "views/parks.py": "工业园区",
    "views/communities.py": "城乡社区",
    "views/scenic.py": "旅游景区",
    "views/sites.py": "示范点",
    "views/mechanisms.py": "长效机制",
}

# tiny, 2026Q3, city: parks 4/6 covered (A 3/4, B 1/2), a quarter before 3/7 (tests/tiny.py)
TINY_PARK = (
    "全市工业园区组织覆盖率 66.7%（4/6），环比上升 23.8 个百分点；"
    "各区县中峡江县最低 50.0%，吉水县最高 75.0%；尚有 2 家企业未覆盖。"
)


# --------------------------------------------------------------------------- tab titles


@pytest.mark.parametrize(("page", "title"), PAGES.items())
def test_every_page_has_its_own_tab_title(demo_dir, monkeypatch, page, title):
    seen: list[str] = []
    real = st.set_page_config

    def record(*args, **kwargs):
        if kwargs.get("page_title"):
            seen.append(kwargs["page_title"])
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", record)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page != "views/overview.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    assert seen[-1] == f"{title} · 吉安市三区党建"


# --------------------------------------------------------------------------- Excel


def test_data_sheet_starts_with_its_title_and_keeps_text_as_text():
    df = pd.DataFrame({"名称": ["=1+1", "吉州区工业园"], "数量": [1, 2]})
    title = "演示数据 · 清单 · 吉安市 · 2026年第3季度 · 数据截至 2026-09-30"
    ws = openpyxl.load_workbook(io.BytesIO(to_excel(df, "清单", {"行数": "2"}, title)))["清单"]
    assert ws["A1"].value == title and ws["B1"].value is None
    assert [c.value for c in ws[2]] == ["名称", "数量"]
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s" and ws["B4"].value == 2
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:B4" and ws.max_row == 4


def _empty_export():
    from types import SimpleNamespace

    import pandas as pd

    from sanqu.context import Context
    from sanqu.scope import Scope
    from ui.zone_widgets import download_list

    f = SimpleNamespace(
        scope=Scope.city(), period="2026Q3", data_date="2026-09-30", demo=True, ctx=Context(Scope.city(), "2026Q3")
    )
    download_list(pd.DataFrame({"名称": []}), "旅游景区", f, "empty_export", {})


def test_an_empty_list_offers_no_download():
    at = AppTest.from_function(_empty_export)
    at.run()
    assert not at.exception, at.exception
    assert at.get("download_button") == []
    (button,) = at.button
    assert button.label == "导出 Excel（无数据）" and button.disabled


def test_overview_export_has_the_kpis_above_the_districts(tiny_db):
    ctx = Context(CITY, "2026Q3")
    table = overview.district_table(tiny_db, ctx)
    before = {"环比": overview.district_table(tiny_db, ctx.at("2026Q2")), "同比": None}
    rows = overview.export_view(table, overview.headline(tiny_db, ctx), before, "合计（吉安市）")
    assert rows["区县"].iloc[0] == "合计（吉安市）"
    first = rows.iloc[0]
    assert (first["工业园区覆盖数"], first["工业园区应覆盖数"], first["工业园区覆盖率(%)"]) == (4, 6, 66.7)
    assert first["工业园区环比(百分点)"] == 23.8 and pd.isna(first["工业园区同比(百分点)"])
    a = rows.set_index("区县代码").loc[A]
    assert (a["区县"], a["工业园区覆盖数"], a["工业园区应覆盖数"], a["工业园区覆盖率(%)"]) == ("吉水县", 3, 4, 75.0)
    assert len(rows) == 1 + len(table)


def test_map_export_has_the_indicator_by_district_and_the_layers_points(tiny_db):
    ctx = Context(CITY, "2026Q3", TODAY)
    sheet = map_tables.district_sheet(mapdata.district_values(tiny_db, ctx, "park_org"), "park_org")
    got = sheet.set_index("区县代码").loc[[A, B], ["区县", "分子", "分母", "比率"]].values.tolist()
    assert got == [["吉水县", 3, 4, "75.0%"], ["峡江县", 1, 2, "50.0%"]]
    points = map_tables.layer_points(tiny_db, ctx, ("enterprises", "relations"))
    assert list(points.columns) == map_tables.POINT_COLUMNS
    assert set(points["图层"]) == {"园区企业"}  # relations are lines, not points
    assert len(points) == len(mapdata.enterprises(tiny_db, ctx)) == 6
    assert map_tables.layer_points(tiny_db, ctx, ()).empty


# --------------------------------------------------------------------------- the briefing pack


def test_summary_sentence_from_the_tiny_figures(tiny_db):
    text = briefing.summary(tiny_db, Context(CITY, "2026Q3", TODAY))
    assert text.zones["park"] == TINY_PARK


def test_one_county_is_ranked_by_township(tiny_db):
    ranks = briefing.ranking(tiny_db, Context(Scope.of(A), "2026Q3"), "park")
    assert ranks[["numerator", "denominator"]].values.tolist() == [[3, 4]]  # one park township in A


def _pdf(path: Path, *args: str) -> str:
    exe = shutil.which(args[0])
    if exe is None:
        pytest.skip("poppler-utils not installed")
    return subprocess.run([exe, *args[1:], str(path), *(["-"] if args[0] == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip


def test_briefing_has_metadata_a_summary_and_the_demo_label_on_every_page(demo_db, tmp_path):
    ctx = Context(Scope.of("360822"), demo_db.periods()[-1], TODAY)
    path = tmp_path / "brief.pdf"
    path.write_bytes(briefing.build(demo_db, ctx, demo=True))
    info = dict(line.split(":", 1) for line in _pdf(path, "pdfinfo").splitlines() if ":" in line)
    info = {k: v.strip() for k, v in info.items()}
    assert info["Title"] == "吉水县三区党建工作简报（2026年第3季度）"
    assert info["Author"] == briefing.AUTHOR and info["Subject"].startswith("演示数据")
    assert info["Pages"] == "5"
    for n in range(1, 6):
        page = _pdf(path, "pdftotext", "-f", str(n), "-l", str(n))
        assert "演示数据" in page, n
    flat = "".join(_pdf(path, "pdftotext").split())
    for sentence in briefing.summary(demo_db, ctx).lines:
        assert "".join(sentence.split()) in flat
    assert "各乡镇（街道）中" in flat  # one county: ranked by township


def test_no_data_is_said_not_drawn(tiny_db):
    # the tiny registers have no scenic sites: the summary says so and the zone page has no chart
    text = briefing.summary(tiny_db, Context(Scope.of(B), "2026Q3", TODAY))
    assert "无数据" in text.zones["scenic"]
    assert briefing.ranking(tiny_db, Context(Scope.of(B), "2026Q3"), "scenic").empty


# --------------------------------------------------------------------------- chart text


def test_treemap_text_is_readable_and_the_instructor_legend_clears_the_bars():
    tree = pd.DataFrame(
        {
            "org_id": ["root", "o1"],
            "parent": ["", "root"],
            "name": ["", "园区党工委"],
            "level": ["", "党工委"],
            "enterprises": [5, 5],
            "members": [10, 10],
            "form": ["", "单独组建"],
        }
    )
    spec = vega_tree.org_tree(tree, "吉安市")
    (text,) = [layer["mark"] for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert text["fontSize"] >= 14  # one readable size in every box; a box too small for it shows none
    assert [r["text"] for r in spec["data"]["values"]] == ["吉安市（5 家企业）", "园区党工委\n5 家企业"]
    long = vega_tree.org_tree(tree.assign(name="园区党工委" * 20), "吉安市")["data"]["values"][1]["text"]
    assert long.count("\n") > 1  # a long name on several lines, not smaller
    bars = pd.DataFrame(
        {"coverage": ["已覆盖"], "key": ["c"], "with_instructor": [2], "without_instructor": [1], "total": [3]}
    )
    segments = (("with_instructor", "已派指导员", "i"), ("without_instructor", "未派指导员", "n"))
    spec = vega_zone.status_bars(bars, "coverage", "key", "park", segments, total="total", horizontal=True, height=240)
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["orient"] == "top" and spec["height"] == 240  # above the bars, in the chart's height

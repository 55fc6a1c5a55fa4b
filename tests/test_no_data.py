"""A rate with nothing to count (denominator 0) is shown as no data on every surface: "—" or a
note in tables, grey on maps, last in rankings, never first and never 0 %. The demo's 峡江县
(360823) has no scenic site (checked first); the overview table, the zone bars, the big screen's
ranking, map and sites bars, the briefing's figures and the web map are each looked at."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sanqu import fmt
from sanqu.context import Context
from sanqu.figures import charts, vega, vega_zone
from sanqu.mapping import mapdata, webmap
from sanqu.metrics import overview
from sanqu.metrics.ranking import no_data_last
from sanqu.reports import briefing, screen, screen_map
from sanqu.scope import Scope

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
XIAJIANG = "360823"


@pytest.fixture(scope="module")
def ctx():
    return Context(Scope.city(), "2026Q3", TODAY)


@pytest.fixture(scope="module")
def table(demo_db, ctx):
    t = overview.district_table(demo_db, ctx)
    row = t.set_index("district").loc[XIAJIANG]
    assert pd.isna(row["scenic_rate"]) and not row["scenic_den"] > 0  # the premise: no scenic site
    return t


def test_the_notes_and_the_order():
    assert (fmt.no_data("scenic"), fmt.no_data("sites"), fmt.no_data(None)) == ("无旅游景区", "无示范点", "暂无数据")
    df = pd.DataFrame({"district": ["a", "b", "c", "d"], "rate": [0.5, None, 0.0, 1.0]})
    # highest first, 0 % is a rate (ranked), nothing to count is last
    assert no_data_last(df, "rate")["district"].tolist() == ["d", "a", "c", "b"]


def test_overview_table_and_bars(table):
    view = charts.district_table_view(table).set_index("区县代码")
    assert pd.isna(view.loc[XIAJIANG, "旅游景区覆盖率(%)"])  # not 0: the page shows it as —
    assert view.loc[XIAJIANG, "旅游景区应覆盖数"] == 0
    rows = vega.district_bars(table)["data"]["values"]
    assert [(r["name"], r["zone"], r["note"]) for r in rows if r["note"]] == [("峡江县", "旅游景区", "无旅游景区")]
    scenic = next(r for r in rows if r["district"] == XIAJIANG and r["zone"] == "旅游景区")
    assert scenic["rate"] is None and scenic["den"] == 0  # no bar, not a 0 bar (JSON null)


def test_overview_bars_carry_the_place_code_and_drop_notes_that_would_overlap(table):
    rows = vega.district_bars(table)["data"]["values"]
    park = [r for r in rows if r["zone"] == "工业园区"]
    assert [r["district"] for r in park] == table["district"].tolist()  # a click drills into it
    many = pd.concat([table.assign(district=table["district"] + str(i), name=table["name"] + str(i)) for i in (1, 2)])
    assert len(many) == 26 and not [r for r in vega.district_bars(many)["data"]["values"] if r["note"]]


def test_overview_page_shows_a_dash_and_says_why(demo_dir, monkeypatch):
    monkeypatch.setenv("SANQU_TODAY", TODAY.isoformat())
    at = AppTest.from_file(str(ROOT / "views/overview.py"), default_timeout=60)
    at.run()
    assert not at.exception
    shown = next(d for d in at.dataframe if "旅游景区覆盖率(%)" in d.value.columns)
    assert shown.proto.placeholder == "—"
    assert pd.isna(shown.value.set_index("区县代码").loc[XIAJIANG, "旅游景区覆盖率(%)"])
    assert any("不按 0% 计" in c.value for c in at.caption)


def test_zone_bars_hover_says_dash_for_nothing(ctx):
    df = pd.DataFrame({"name": ["甲", "乙"], "id": ["a", "b"], "own": [1, 0], "denominator": [2, 0]})
    spec = vega_zone.status_bars(df, "name", "id", "scenic", (("own", "单独组建", "own"),))
    assert [row["value"] for row in spec["data"]["values"]] == ["1 / 2（50.0%）", "0 / 0（—）"]


def _scenic_side(demo_db, ctx):
    return screen.build(demo_db, ctx, "scenic").side[0]


def test_big_screen_ranking_puts_no_data_last_with_a_note(demo_db, ctx):
    fig = _scenic_side(demo_db, ctx)
    bar = fig.data[0]
    names = list(bar.y)  # bottom to top
    assert names[0] == "峡江县" and names[-1] != "峡江县"
    assert pd.isna(list(bar.x)[0]) and list(bar.text)[0] == ""
    assert not any(t.showlegend for t in fig.data)  # one series: no legend ("trace 0")
    note = fig.data[1]
    assert list(note.y) == ["峡江县"] and list(note.text) == ["无旅游景区"]
    rates = {n: x for n, x in zip(names, bar.x) if x == x}
    assert rates[names[-1]] == max(rates.values())  # the top bar is a real rate, the highest


def test_big_screen_map_is_grey_with_the_note(demo_db, ctx):
    view = screen.build(demo_db, ctx, "scenic")
    fills = {t.text.split(" · ")[0]: t.fillcolor for t in view.choropleth.data if t.fill == "toself"}
    assert fills["峡江县"] == screen_map.NO_DATA and fills["吉州区"] != screen_map.NO_DATA
    assert screen_map.NO_DATA not in {screen_map.fill(r / 10) for r in range(11)}  # never a rate's colour
    hover = next(t.text for t in view.choropleth.data if t.fill == "toself" and t.text.startswith("峡江县"))
    assert hover == "峡江县 · 无旅游景区"
    labels = " ".join(str(a.text) for a in view.choropleth.layout.annotations)
    assert "峡江县" in labels and "无旅游景区" in labels


def test_big_screen_sites_bars_list_districts_without_sites_last(demo_db):
    one = Context(Scope.of("360802", XIAJIANG), "2026Q3", TODAY)
    df = pd.DataFrame(
        {
            "district": ["360802"],
            "milestones_done": [3],
            "milestones": [4],
            "status": ["green"],
            "site_id": ["x"],
            "zone": ["工业园区"],
        }  # fmt: skip
    )
    status = screen._site_charts(df, one, 1.0)[0]
    assert list(status.data[0].y) == ["峡江县", "吉州区"]  # bottom to top
    assert list(status.data[-1].text) == ["无示范点"]


def test_web_map_colours_no_data_grey_not_the_lowest_class(demo_db, ctx):
    values = mapdata.district_values(demo_db, ctx, "scenic_org")
    shapes = webmap._districts(values, ctx.scope, webmap._Project(False))
    props = {f["properties"]["code"]: f["properties"] for f in shapes["features"]}
    assert props[XIAJIANG]["fill"] == webmap.NO_DATA != webmap.class_colour(0.0)
    assert props[XIAJIANG]["rate"] == "—"
    assert webmap.class_colour(0.0) == webmap.CLASSES[0][2]  # a real 0 % is the lowest class


def test_briefing_figures_list_no_data_last_and_name_it(demo_db, ctx, monkeypatch):
    drawn = []
    monkeypatch.setattr(briefing, "_png", lambda fig: drawn.append(fig) or b"png")
    ranks = briefing.ranking(demo_db, ctx, "scenic")
    briefing.ranking_png(ranks, "scenic", "排名", tuple(briefing.missing(ctx, ranks)))
    bars = drawn[-1].axes[0]
    names = [t.get_text() for t in bars.get_yticklabels()]  # bottom to top
    assert names[0] == "峡江县" and names[-1] != "峡江县"
    assert "无旅游景区" in [t.get_text() for t in bars.texts]
    briefing.zone_map_png(ctx, "scenic", ranks)
    labels = [t.get_text() for t in drawn[-1].axes[0].texts]
    assert "峡江县\n无旅游景区" in labels and not any(t.startswith("峡江县\n0") for t in labels)

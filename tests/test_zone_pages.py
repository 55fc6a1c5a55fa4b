"""AppTest of the zone pages: city and district, filters by widget key, shared links, the
list behind a KPI, and the Excel a download button offers."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sanqu import fmt
from sanqu.areas import communities as cm
from sanqu.areas import parks, zones
from sanqu.areas import scenic as sc
from sanqu.context import Context
from sanqu.figures import park_page
from sanqu.figures import vega_community as vc
from sanqu.scope import Scope
from sanqu.storage.db import Database
from tests import oracle
from tests.downloads import offered

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = {"views/parks.py": "工业园区党建", "views/communities.py": "城乡社区党建", "views/scenic.py": "旅游景区党建"}
PERIOD = "2026Q3"
ASOF = dt.date(2026, 9, 30).isoformat()


@pytest.fixture(scope="module")
def db(demo_data):
    d = Database(demo_data / "sanqu.duckdb")
    yield d
    d.close()


def _router(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    return at


def _link(page: str, **params) -> AppTest:
    """A shared link opening `page` directly with its URL parameters."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.query_params.update(params)
    at.run()
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The (single) table on the page with this column."""
    (df,) = [d.value for d in at.dataframe if column in d.value.columns]
    return df


def _workbook(at: AppTest, key: str, media) -> openpyxl.Workbook:
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
    return openpyxl.load_workbook(io.BytesIO(offered(button)))


def _independent_park_gaps(registers: Path, park: str) -> set[str]:
    """Uncovered non-public operating enterprises of a park, from the CSV files with pandas."""
    e = oracle.enterprises_to_cover(registers, ASOF)
    e = e[e["所属园区代码"] == park]
    return set(e.loc[~oracle.covered(e, registers, ASOF), "企业编号"])


def _independent_rural_candidates(registers: Path, district: str) -> set[str]:
    """Rural communities that meet the upgrade rule but whose own organisation is a 党支部."""
    s, c = oracle.read(registers, "community_stats.csv"), oracle.read(registers, "communities.csv")
    cov, o = oracle.read(registers, "org_coverage.csv"), oracle.read(registers, "party_orgs.csv")
    s = s[(s["统计季度"] == PERIOD) & (s["区县代码"] == district)].merge(c, on="村社区代码")
    s = s[s["城乡类型"] == "农村社区"]
    members, area = s["党员数"].astype(int), s["辖区面积"].astype(float)
    big = s[(members >= 100) | ((area >= 20) & (members >= 50))]
    own = cov[cov["单位类型"] == "community"].merge(o, on="党组织编号")
    own = own[(own["组建方式"] == "单独组建") & (own["成立日期"] <= ASOF)]
    levels = own.groupby("单位编号")["组织层级"].agg(set)
    branch_only = {k for k, v in levels.items() if v == {"党支部"}}
    return set(big.loc[big["村社区代码"].isin(branch_only), "村社区代码"])


@pytest.mark.parametrize("page", list(PAGES))
def test_zone_page_renders_for_city_and_one_district(demo_dir, page):
    at = _router(page)
    _ok(at)
    assert at.title[0].value == PAGES[page]
    assert "吉安市 · 2026年第3季度" in _captions(at)
    city = _metrics(at)
    assert len(city) >= 8 and "演示数据" in _captions(at) + " ".join(m.value for m in at.markdown)
    at.selectbox(key="district").set_value("360881").run()
    _ok(at)
    assert "井冈山市 · 2026年第3季度" in _captions(at)
    assert at.query_params["district"] == "360881"
    assert _metrics(at) != city
    assert "环比" in _captions(at) and "同比" in _captions(at)


def _filtered(path: str, district: str, key: str, value: str):
    """A zone page at one district with one of its filters set by widget key (no error shown)."""
    at = _router(path)
    at.selectbox(key="district").set_value(district).run()
    at.selectbox(key=key).set_value(value).run()
    _ok(at)
    return at


def test_park_filter_by_key_changes_the_figures(demo_dir, db):
    at = _filtered("views/parks.py", "360821", "park", "360821401")
    assert at.query_params["park"] == "360821401"
    trend = parks.trend(db, Context(Scope.of("360821"), "2026Q3"), "360821401")
    expected = zones.kpis(trend, PERIOD, parks.INDICATORS)
    shown = _metrics(at)
    for k in expected:
        assert shown[k.indicator.name] == fmt.pct(k.rate), k.indicator.name
    gaps = _independent_park_gaps(demo_dir / "registers", "360821401")
    assert shown["空白点企业"] == f"{len(gaps)} 家"
    assert f"{expected[0].numerator:,} / {expected[0].denominator:,} 家" in _captions(at)
    table = _table(at, "企业编号")
    assert set(table["企业编号"]) == gaps
    assert table["园区"].eq("井冈山经济技术开发区").all()


def test_park_gap_list_export_has_the_lists_rows(demo_dir, media):
    at = _router("views/parks.py")
    at.selectbox(key="scale").set_value("规下").run()
    _ok(at)
    table = _table(at, "企业编号")
    assert len(table) > 50 and table["企业规模"].eq("规下").all()
    wb = _workbook(at, "park_export", media)
    sheet = wb["清单"]
    assert sheet.max_row - 2 == len(table)  # the title row, the headers, the rows
    title = sheet["A1"].value  # what the sheet is, on the sheet people forward
    assert title.startswith("演示数据 · 工业园区") and " · 吉安市 · 2026年第3季度 · 数据截至 " in title
    assert [c.value for c in sheet[2]] == list(table.columns)
    assert "最近的联合党组织" in table.columns and "距离(公里)" in table.columns
    about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=2)}
    assert about["行数"] == str(len(table)) and "规模以下企业" in about["筛选条件"]


def test_a_long_list_shows_its_first_rows_and_exports_them_all(demo_dir, db, media, monkeypatch):
    """Past SHOWN_ROWS the table holds the list's first rows in its order; count and export hold all."""
    from ui import zone_widgets

    monkeypatch.setattr(zone_widgets, "SHOWN_ROWS", 40)
    at = _router("views/parks.py")
    _ok(at)
    k = zones.kpis(parks.trend(db, Context(Scope.city(), PERIOD)), PERIOD, parks.INDICATORS)[0]
    gaps = k.denominator - k.numerator
    assert gaps > 40
    table = _table(at, "企业编号")
    assert len(table) == 40
    assert f"表中列出前 40 家（按清单顺序）；导出 Excel 含全部 {gaps:,} 家。" in _captions(at)
    assert f"共 {gaps:,} 家" in " ".join(m.value for m in at.markdown)
    sheet = _workbook(at, "park_export", media)["清单"]
    assert sheet.max_row - 2 == gaps
    exported = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=42)]
    assert [r[0] for r in exported] == table["企业编号"].tolist()  # the table is the export's head


def test_kpi_button_opens_the_rows_behind_it(demo_dir, db):
    at = _router("views/parks.py")
    at.button(key="park_org_list").click().run()
    _ok(at)
    assert at.selectbox(key="plist").value == "covered" and at.query_params["plist"] == "covered"
    k = zones.kpis(parks.trend(db, Context(Scope.city(), "2026Q3")), PERIOD, parks.INDICATORS)[0]
    assert len(_table(at, "企业编号")) == k.numerator
    at.button(key="park_gaps_list").click().run()
    assert len(_table(at, "企业编号")) == k.denominator - k.numerator


def test_communities_filter_and_upgrade_list(demo_dir, db, media):
    at = _filtered("views/communities.py", "360822", "ctype", "农村社区")
    assert at.query_params["ctype"] == "农村社区"
    trend = cm.trend(db, Context(Scope.of("360822"), "2026Q3"), "农村社区")
    shown = _metrics(at)
    for k in zones.kpis(trend, PERIOD, cm.INDICATORS):
        assert shown[k.indicator.name] == fmt.pct(k.rate), k.indicator.name
    expected = _independent_rural_candidates(demo_dir / "registers", "360822")
    assert shown["升格候选"] == f"{len(expected)} 个"
    table = _table(at, "村社区代码")
    assert set(table["村社区代码"]) == expected and len(expected) > 0
    assert "升格规则" in " ".join(i.value for i in at.info)
    assert _workbook(at, "community_export", media)["清单"].max_row - 2 == len(table)


def test_community_scatter_caption_says_what_a_point_is(demo_dir):
    city = _router("views/communities.py")  # the demo city: 2,967 communities, drawn as cells
    _ok(city)
    assert vc.CELLS_NOTE in _captions(city) and vc.POINTS_NOTE not in _captions(city)
    one = _filtered("views/communities.py", "360822", "ctype", "农村社区")  # fewer than MAX_SCATTER
    assert vc.POINTS_NOTE in _captions(one) and vc.CELLS_NOTE not in _captions(one)


def test_scenic_level_filter_and_export(demo_dir, db, media):
    at = _router("views/scenic.py")
    at.selectbox(key="alevel").set_value("未评级").run()
    at.selectbox(key="slist").set_value("all").run()
    _ok(at)
    trend = sc.trend(db, Context(Scope.city(), "2026Q3"), "未评级")
    shown = _metrics(at)
    for k in zones.kpis(trend, PERIOD, sc.INDICATORS):
        assert shown[k.indicator.name] == fmt.pct(k.rate), k.indicator.name
    table = _table(at, "景区景点编号")
    assert table["A级"].eq("未评级").all() and len(table) == zones.kpis(trend, PERIOD, sc.INDICATORS)[0].denominator
    assert _workbook(at, "scenic_export", media)["清单"].max_row - 2 == len(table)
    theme = _table(at, "统计季度")
    assert _workbook(at, "scenic_theme_export", media)["清单"].max_row - 2 == len(theme)
    assert theme["开展次数"].sum() == sc.theme(db, Context(Scope.city(), "2026Q3"))["count"].sum()


def test_scenic_trade_cards_and_their_total(demo_dir, db):
    at = _router("views/scenic.py")
    _ok(at)
    summary = sc.trade_summary(sc.trade_orgs(db, Context(Scope.city(), PERIOD))).set_index("trade")
    shown, captions = _metrics(at), _captions(at)
    for trade in sc.TRADES:
        assert shown[trade] == f"{summary.loc[trade, 'orgs']} 个"
        assert f"党员 {fmt.count(summary.loc[trade, 'members'])} 名" in captions
    assert shown["三个行业合计"] == f"{summary['orgs'].sum()} 个"
    assert f"党员 {fmt.count(summary['members'].sum())} 名" in captions
    assert summary["orgs"].sum() == len(_table(at, "党组织编号"))  # the table beside them lists each


def test_shared_link_reopens_the_same_view(demo_dir):
    at = _link("views/parks.py", district="360821", park="360821400", scale="规下", plist="should_build")
    _ok(at)
    assert (at.selectbox(key="park").value, at.selectbox(key="scale").value) == ("360821400", "规下")
    assert at.selectbox(key="plist").value == "should_build"
    assert "吉安县" in _captions(at)
    table = _table(at, "企业编号")
    assert table["应建未建"].eq("是").all() and table["园区"].eq("吉安高新技术产业开发区").all()


def test_invalid_link_values_fall_back_with_a_message(demo_dir):
    at = _link("views/communities.py", ctype="城中村", town="999", clist="nope")
    _ok(at)
    assert at.selectbox(key="ctype").value == "all" and at.selectbox(key="clist").value == "upgrade"
    warnings = " ".join(w.value for w in at.warning)
    assert "城中村" in warnings and "999" in warnings and "nope" in warnings
    at = _link("views/parks.py", district="360822", park="360821401")  # a park of another district
    _ok(at)
    assert at.selectbox(key="park").value == "all"
    assert "360821401" in " ".join(w.value for w in at.warning)


def test_changing_district_drops_a_park_it_does_not_have(demo_dir):
    at = _router("views/parks.py")
    at.selectbox(key="district").set_value("360821").run()
    at.selectbox(key="park").set_value("360821401").run()
    at.selectbox(key="district").set_value("360822").run()
    _ok(at)
    assert at.selectbox(key="park").value == "all" and at.query_params["park"] == "all"
    assert not at.warning


@pytest.mark.parametrize("params", [{}, {"district": "360822"}, {"park": "360821401"}], ids=["city", "county", "park"])
def test_the_parks_page_loads_no_plotly(demo_dir, params):
    """Every chart of 工业园区, the organisation tree too, is Vega-Lite: no plotly bundle to fetch."""
    at = _link("views/parks.py", **params)
    _ok(at)
    assert len(at.get("plotly_chart")) == 0
    assert any(c.proto.id and "park_tree" in c.proto.id for c in at.get("vega_lite_chart"))


def test_the_tree_path_goes_back_up(demo_dir, db):
    """Drawn from a 党工委 a click chose (the node kept for the page's choice), the tree's path is
    the county (a button) › the 党工委 (text); the button draws it from the county again, and
    another county starts from its root."""
    county = Scope.of("360821")
    top = park_page.tree(db, Context(county, PERIOD), "all", county.label)
    ga = next(oid for oid, to in top.clicks.items() if oid == to)
    at = _link("views/parks.py", district="360821")
    at.session_state["park_tree_node"] = ((county.key, PERIOD, "all"), ga)
    at.run()
    _ok(at)
    up = at.button(key="park_tree_up_0")
    assert up.label == county.label and "park_tree_up_1" not in [b.key for b in at.button]
    name = dict(park_page.tree(db, Context(county, PERIOD), "all", county.label, ga).path)[ga]
    assert name in [t.value for t in at.text]
    up.click().run()
    _ok(at)
    assert "park_tree_up_0" not in [b.key for b in at.button]
    at.session_state["park_tree_node"] = ((county.key, PERIOD, "all"), ga)
    at.selectbox(key="district").set_value("360822").run()
    assert "park_tree_up_0" not in [b.key for b in at.button]

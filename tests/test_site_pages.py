"""AppTest of the 示范点 and 长效机制 pages: every view and section renders for the city and one
district, filters by widget key change the figures to the expected values, URL values are
restored or rejected with a message."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.testing.v1 import AppTest

from sanqu import fmt
from sanqu.context import Context
from sanqu.programmes import mechanisms, sites
from sanqu.scope import Scope
from tests.downloads import Manager, offered

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
SITE_VIEWS = ["board", "timeline", "ranking", "attention", "detail"]
SECTIONS = ["contacts", "pairings", "cadres", "venues", "activities", "assessment"]


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("SANQU_TODAY", TODAY.isoformat())


def _open(page: str, **params) -> AppTest:
    """A shared link: `page` opened directly with these URL parameters."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def _router(page: str) -> AppTest:
    """The app as a person enters it, then a switch to `page` in the navigation."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _frame(at, *columns) -> pd.DataFrame:
    """The first dataframe on the page that has all these columns."""
    for d in at.dataframe:
        if set(columns) <= set(d.value.columns):
            return d.value
    raise AssertionError(f"no dataframe with {columns}")


def _independent_status(registers: Path, districts: set[str], today: dt.date, zone: str = "") -> dict[str, int]:
    """Red / amber / green sites recomputed from the CSV files with pandas (the documented rule, as
    of `today`: sites chosen later left out, milestones done later counted as open)."""
    read = lambda name: pd.read_csv(registers / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")  # noqa: E731
    s, m = read("demo_sites.csv"), read("milestones.csv")
    iso, soon = today.isoformat(), (today + dt.timedelta(days=sites.AMBER_DAYS)).isoformat()
    s = s[s["区县代码"].isin(districts) & ((s["所属领域"] == zone) if zone else True) & (s["确定日期"] <= iso)]
    out = {"red": 0, "amber": 0, "green": 0}
    for site_id in s["示范点编号"]:
        ms = m[m["示范点编号"] == site_id]
        open_ = ms[(ms["实际完成日期"] == "") | (ms["实际完成日期"] > iso)]
        if len(ms) and (open_["计划完成日期"] < iso).any():
            out["red"] += 1
        elif not len(ms) or (open_["计划完成日期"] <= soon).any():
            out["amber"] += 1
        else:
            out["green"] += 1
    return out


def _status_metrics(at) -> dict[str, str]:
    m = _metrics(at)
    return {"red": m[":red[●] 逾期"], "amber": m[":orange[●] 预警"], "green": m[":green[●] 正常"]}


def _as_metrics(counts: dict[str, int]) -> dict[str, str]:
    return {k: f"{v:,} 个" for k, v in counts.items()}


# --- 示范点 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", SITE_VIEWS)
def test_every_site_view_renders_for_city_and_one_district(demo_dir, view):
    for params in ({}, {"district": "360822"}):
        at = _open("views/sites.py", view=view, **params)
        assert not at.error, [e.value for e in at.error]
        assert at.selectbox(key="view").value == view
        assert "演示数据" in " ".join(m.value for m in at.markdown)


def test_pages_are_in_the_navigation(demo_dir):
    for page, title in (("views/sites.py", "示范点"), ("views/mechanisms.py", "长效机制")):
        at = _router(page)
        assert at.title[0].value == title and not at.error


def test_site_kpis_follow_district_and_zone_filters(demo_dir):
    registers = demo_dir / "registers"
    at = _router("views/sites.py")
    city = _independent_status(registers, set(Scope.city().codes), TODAY)
    assert _status_metrics(at) == _as_metrics(city)
    assert _metrics(at)["示范点"] == f"{sum(city.values())} 个"
    at.selectbox(key="district").set_value("360803").run()
    assert at.query_params["district"] == "360803"
    qingyuan = _independent_status(registers, {"360803"}, TODAY)
    assert _status_metrics(at) == _as_metrics(qingyuan) != _as_metrics(city)
    at.selectbox(key="zone").set_value("community").run()
    assert at.query_params["zone"] == "community"
    assert _status_metrics(at) == _as_metrics(_independent_status(registers, {"360803"}, TODAY, "城乡社区"))


def test_a_past_quarter_shows_the_sites_as_they_stood_at_its_end(demo_dir):
    registers, city = demo_dir / "registers", set(Scope.city().codes)
    past = _open("views/sites.py", period="2024Q4")
    end = _independent_status(registers, city, dt.date(2024, 12, 31))
    assert _status_metrics(past) == _as_metrics(end)
    assert _metrics(past)["示范点"] == f"{sum(end.values())} 个"
    captions = " ".join(c.value for c in past.caption)
    assert "状态按 2024-12-31（2024年第4季度末）计算" in captions and "今日" not in captions.split("。")[0]
    now = _open("views/sites.py", period="2026Q3")
    today = _independent_status(registers, city, TODAY)
    assert _status_metrics(now) == _as_metrics(today) != _as_metrics(end)
    assert _metrics(now)["示范点"] == f"{sum(today.values())} 个" != _metrics(past)["示范点"]
    assert _metrics(now)["节点完成率"] != _metrics(past)["节点完成率"]
    assert "状态按今日 2026-11-26 计算" in " ".join(c.value for c in now.caption)


def _about(at, label_start: str) -> dict[str, str]:
    """The 说明 sheet of the Excel file a download button (label starting so) offers."""
    button = next(b for b in at.get("download_button") if b.proto.label.startswith(label_start))
    data = offered(button)
    ws = openpyxl.load_workbook(io.BytesIO(data))["说明"]
    return {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}


def test_the_excel_says_the_day_the_status_was_computed_on(demo_dir, monkeypatch):
    monkeypatch.setattr(app_test_module, "MediaFileManager", Manager)
    past = _about(_open("views/sites.py", period="2024Q4"), "导出 Excel")
    assert (past["统计季度"], past["状态计算日"]) == ("2024年第4季度", "2024-12-31（2024年第4季度末）")
    now = _about(_open("views/sites.py", period="2026Q3", view="attention"), "导出 Excel")
    assert now["状态计算日"] == "今日 2026-11-26"
    pairs = _about(_open("views/mechanisms.py", period="2024Q4", section="pairings"), "导出 Excel")
    assert pairs["结对截至"] == "2024-12-31（2024年第4季度末）"


def test_board_lists_every_site_by_stage_and_status_pills_filter_it(demo_dir, demo_db):
    table = sites.site_table(demo_db, Context(Scope.city(), "2026Q3", TODAY))
    at = _open("views/sites.py")
    boards = [d.value for d in at.dataframe if "节点" in d.value.columns]
    per_stage = [int((table["stage"] == s).sum()) for s in sites.STAGES]
    assert [len(b) for b in boards] == [n for n in per_stage if n]  # a stage with no site has no table…
    empty = [c.value for c in at.caption if c.value == "该阶段暂无示范点"]
    assert len(empty) == per_stage.count(0) > 0  # …but says so (not Streamlit's "empty")
    at = _open("views/sites.py", status="red")
    boards = [d.value for d in at.dataframe if "节点" in d.value.columns]
    assert sum(len(b) for b in boards) == int((table["status"] == "red").sum()) > 0
    assert {s for b in boards for s in b["状态"]} == {"逾期"}


def test_ranking_view_shows_the_package_ranking_and_rule(demo_dir, demo_db):
    at = _open("views/sites.py", view="ranking")
    shown = _frame(at, "名次", "得分")
    rank = sites.red_flag(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY))
    assert shown["区县"].tolist() == rank["name"].tolist()
    assert shown["得分"].dropna().tolist() == rank["score"].dropna().tolist()
    assert shown["名次"].iloc[0] == 1 and shown["名次"].isna().sum() == 1  # 万安县 has no site
    assert shown["说明"].tolist()[-1] == "无示范点，不参评"
    assert any("0.4 × 节点完成率" in i.value for i in at.info)
    at.selectbox(key="zone").set_value("scenic").run()
    scenic = sites.red_flag(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY), "scenic")
    assert _frame(at, "名次", "得分")["得分"].dropna().tolist() == scenic["score"].dropna().tolist()


def test_attention_view_lists_overdue_milestones_and_uninspected_sites(demo_dir, demo_db):
    at = _open("views/sites.py", view="attention", district="360827")
    scope = Scope.of("360827")
    od = sites.overdue_milestones(demo_db, Context(scope, "2026Q3", TODAY))
    un = sites.uninspected_sites(demo_db, Context(scope, "2026Q3", TODAY))
    assert _frame(at, "逾期天数")["逾期天数"].tolist() == od["days_overdue"].tolist()
    assert _frame(at, "距今天数")["示范点"].tolist() == un["name"].tolist()
    assert _metrics(at)["逾期节点"] == f"{len(od)} 个" and _metrics(at)["本季度未督查"] == f"{len(un)} 个"


def test_detail_view_by_site_key(demo_dir, demo_db):
    table = sites.site_table(demo_db, Context(Scope.city(), "2026Q3", TODAY)).set_index("site_id")
    red = table[table["status"] == "red"].index[0]
    at = _open("views/sites.py", view="detail")
    at.selectbox(key="site").set_value(red).run()
    assert at.query_params["site"] == red
    m = _metrics(at)
    assert m["状态"] == "逾期" and m["进度"] == fmt.pct(table.loc[red, "progress"])
    info = _frame(at, "项目", "内容").set_index("项目")["内容"]
    assert info["示范点编号"] == red and info["区县"] == table.loc[red, "district_name"]
    ms = sites.milestones(demo_db, Context(Scope.city(), "2026Q3", TODAY))
    assert len(_frame(at, "序号", "节点状态")) == int((ms["site_id"] == red).sum())
    # a link to the site restores it
    again = _open("views/sites.py", view="detail", site=red)
    assert again.selectbox(key="site").value == red


def test_invalid_url_values_fall_back_with_a_message(demo_dir):
    at = _open("views/sites.py", view="nope", zone="moon", status="red,purple")
    assert not at.error
    assert at.selectbox(key="view").value == "board" and at.selectbox(key="zone").value == "all"
    warnings = " ".join(w.value for w in at.warning)
    assert "nope" in warnings and "moon" in warnings and "purple" in warnings


def test_site_outside_the_district_in_the_url_falls_back_to_the_first(demo_dir, demo_db):
    other = sites.sites(demo_db, Context(Scope.of("360802"), "2026Q3", TODAY))["site_id"].iloc[0]
    at = _open("views/sites.py", view="detail", district="360803", site=other)
    first = sites.site_table(demo_db, Context(Scope.of("360803"), "2026Q3", TODAY))["site_id"].iloc[0]
    assert at.selectbox(key="site").value == first
    assert other in " ".join(w.value for w in at.warning)


def test_district_without_sites_says_so(demo_dir):
    for view in ("detail", "board", "timeline"):
        at = _open("views/sites.py", view=view, district="360828")  # 万安县: no demonstration site
        assert not at.error
        assert _metrics(at)["示范点"] == "0 个"
    assert any("没有示范点" in i.value for i in at.info)


# --- 长效机制 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS)
def test_every_mechanism_section_renders_for_city_and_one_district(demo_dir, section):
    for params in ({}, {"district": "360881"}):
        at = _open("views/mechanisms.py", section=section, **params)
        assert not at.error, [e.value for e in at.error]
        assert at.selectbox(key="section").value == section


def test_contact_points_follow_district_zone_and_period(demo_dir, demo_db):
    at = _router("views/mechanisms.py")
    period = demo_db.periods()[-1]

    def expected(scope, p, zone=None):
        pts = mechanisms.contact_points(demo_db, Context(scope, p), zone)
        s = mechanisms.visit_summary(pts)
        unvisited = mechanisms.points_without_visit(demo_db, Context(scope, p), zone)
        return f"{s['points']:,} 个", f"{s['visits']:,} 次", f"{s['unvisited']:,} 个", len(unvisited)

    def shown():
        m = _metrics(at)
        visits = next(v for k, v in m.items() if k.endswith("走访") and k != "未走访")
        if any(c.value == "本季度联系点均已走访" for c in at.caption):  # no table: the words instead
            return m["联系点"], visits, m["未走访"], 0
        return m["联系点"], visits, m["未走访"], len(_frame(at, "联系领导职务", "最近走访日期", "建立日期"))

    steps = [
        (None, None, (Scope.city(), period, None)),
        ("district", "360821", (Scope.of("360821"), period, None)),
        ("zone", "community", (Scope.of("360821"), period, "community")),
        ("period", "2025Q2", (Scope.of("360821"), "2025Q2", "community")),
    ]
    before = None
    for key, value, args in steps:
        if key:
            at.selectbox(key=key).set_value(value).run()
        now = shown()
        assert now == expected(*args) and now != before, (key, value)
        before = now
    assert at.query_params["zone"] == "community" and at.query_params["period"] == "2025Q2"


def test_pairings_by_zone(demo_dir, demo_db):
    at = _open("views/mechanisms.py", section="pairings")
    assert _metrics(at)["结对"] == f"{len(mechanisms.pairings(demo_db, Context(Scope.city(), '2026Q3'))):,} 对"
    at.selectbox(key="zone").set_value("scenic").run()
    pr = mechanisms.pairings(demo_db, Context(Scope.city(), "2026Q3"), "scenic")
    assert _metrics(at)["结对"] == f"{len(pr):,} 对"
    forms = _frame(at, "结对形式", "结对数")
    assert forms["结对数"].tolist() == mechanisms.pairings_by(pr)["pairings"].tolist()


def test_cadres_show_aggregates_only(demo_dir, demo_db):
    at = _open("views/mechanisms.py", section="cadres", district="360824")
    s = mechanisms.cadre_summary(demo_db, Context(Scope.of("360824"), "2026Q3"))
    assert _metrics(at)["党务干部"] == f"{s['cadres']:,} 人"
    assert _metrics(at)["平均年度培训"] == f"{s['mean_hours']:,.1f} 学时"
    table = _frame(at, "党务干部(人)")
    assert len(table) == 1 and table["党务干部(人)"].iloc[0] == s["cadres"]
    for d in at.dataframe:  # no list of people anywhere
        assert not {"干部编号", "cadre_id", "职务"} & set(d.value.columns)


def test_venues_funding_by_district(demo_dir, demo_db):
    at = _open("views/mechanisms.py", section="venues")
    total = mechanisms.funding_mix(mechanisms.venues(demo_db, Context(Scope.city(), "2026Q3")))["amount"].sum()
    assert _metrics(at)["总投入"] == f"{total:,.1f} 万元"
    at.selectbox(key="district").set_value("360881").run()
    v = mechanisms.venues(demo_db, Context(Scope.of("360881"), "2026Q3"))
    assert _metrics(at)["活动阵地"] == f"{len(v):,} 处"
    assert _frame(at, "合计(万元)")["合计(万元)"].iloc[0] == round(mechanisms.funding_mix(v)["amount"].sum(), 2)


def test_activities_in_the_chosen_quarter(demo_dir, demo_db):
    at = _open("views/mechanisms.py", section="activities", period="2025Q4")
    acts = mechanisms.activities(demo_db, Context(Scope.city(), "2026Q3"))
    total = int(acts.loc[acts["period"] == "2025Q4", "count"].sum())
    before = int(acts.loc[acts["period"] == "2025Q3", "count"].sum())
    metric = next(m for m in at.metric if m.label.endswith("开展活动"))
    assert metric.value == f"{total:,} 次" and metric.delta == f"{total - before:+,} 次"
    assert _frame(at, "合计")["合计"].sum() == total


def test_assessment_table_matches_the_package(demo_dir, demo_db):
    at = _open("views/mechanisms.py", section="assessment", period="2026Q2")
    rank = mechanisms.assessment(demo_db, Context(Scope.city(), "2026Q2"))
    shown = _frame(at, "名次", "得分")
    assert shown["区县"].tolist() == rank["district_name"].tolist()
    assert shown["得分"].dropna().tolist() == rank["score"].dropna().tolist()
    assert any("0.5 × 督查均分" in i.value for i in at.info)

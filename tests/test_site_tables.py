"""The shaped tables and headline figures of the 示范点 and 长效机制 pages (sanqu/site_tables.py,
sanqu/mechanism_tables.py, sanqu/tables.py) on the hand-made registers of tests/tiny_sites.py;
expected figures worked out by hand from its docstring."""

import datetime as dt

import pandas as pd
import pytest

from sanqu import periods
from sanqu.context import Context
from sanqu.programmes import mechanism_tables as mt
from sanqu.programmes import mechanisms, sites
from sanqu.programmes import site_tables as stt
from sanqu.programmes.mechanisms import CARRIERS, FUNDS
from sanqu.scope import Scope
from sanqu.tables import Metric, dates, fractions, number, percent
from tests import stores
from tests.tiny_sites import ABD, CITY, P2, ROWS, S1, S2, S3, S4, S5, TODAY, A, B


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from stores.opened(tmp_path_factory.mktemp("tiny-site-tables"), ROWS)


@pytest.fixture(scope="module")
def table(db):
    return sites.site_table(db, Context(CITY, "2026Q3", TODAY))


def _row(table: pd.DataFrame, site_id: str) -> pd.Series:
    return table.set_index("site_id").loc[site_id]


# --- generic pieces -------------------------------------------------------------------------------


def test_generic_pieces():
    assert dates(pd.Series([pd.Timestamp("2026-01-05"), pd.NaT])).tolist() == ["2026-01-05", ""]
    assert percent(pd.Series([0.5, 1 / 3, None])).tolist()[:2] == [50.0, 33.3]
    assert pd.isna(percent(pd.Series([0.5, None])).iloc[1])
    assert fractions([1, 2], [3, 4]) == ["1/3", "2/4"]
    assert (number(1234.56), number(None), number(float("nan")), number(32.0, 0)) == ("1,234.6", "—", "—", "32")


# --- 示范点 ---------------------------------------------------------------------------------------


def test_headline_figures(db, table):
    overdue = sites.overdue_milestones(db, Context(CITY, "2026Q3", TODAY))
    uninspected = sites.uninspected_sites(db, Context(CITY, "2026Q3", TODAY))
    recent = sites.recent_inspections(sites.inspections(db, Context(CITY, "2026Q3", TODAY)), TODAY)
    got = stt.headline(table, overdue, uninspected, recent)
    # 5 sites: S4 S5 green, S1 S3 amber, S2 red; milestones done 1+1+0+2+3 = 7 of 2+2+0+4+4 = 12
    assert [(m.label, m.value) for m in got] == [
        ("示范点", "5 个"),
        (":green[●] 正常", "2 个"),
        (":orange[●] 预警", "2 个"),
        (":red[●] 逾期", "1 个"),
        ("节点完成率", "58.3%"),
        ("逾期节点", "1 个"),
        ("本季度未督查", "4 个"),
        ("近一年督查均分", "75.5"),  # (80 + 87.5 + 90 + 50 + 70) / 5
    ]
    assert got[7].help == "今日前 365 天内 5 次督查评分的平均分"
    assert "节点完成率 7 / 12" in stt.status_rule(table, TODAY) and "2026-11-26" in stt.status_rule(table, TODAY)
    empty = stt.headline(table.iloc[:0], overdue.iloc[:0], uninspected.iloc[:0], {"inspections": 0, "mean_score": None})
    assert (empty[0].value, empty[4].value, empty[7].value) == ("0 个", "—", "—")


def test_the_page_says_the_day_of_the_rules(db, table):
    # the latest quarter: today; a past one (2026Q2): its last day, and what that leaves out
    assert stt.as_of_text(TODAY, TODAY) == "今日 2026-11-26"
    june = dt.date(2026, 6, 30)
    assert stt.as_of_text(june, TODAY) == "2026-06-30（2026年第2季度末）"
    assert (stt.when(TODAY, TODAY), stt.when(june, TODAY)) == ("今日", "2026-06-30")
    assert stt.status_rule(table, TODAY, TODAY).startswith("状态按今日 2026-11-26 计算：")
    past = sites.site_table(db, Context(CITY, "2026Q2", TODAY))
    rule = stt.status_rule(past, june, TODAY)
    assert rule.startswith("状态按 2026-06-30（2026年第2季度末）计算：")
    assert "之后确定的示范点不计入" in rule and "节点完成率 6 / 12" in rule  # S1 1/2, S2 1/2, S4 1/4, S5 3/4
    assert "不早于最近一个节点已全部完成的阶段的下一阶段" in rule
    got = stt.headline(past, past.iloc[:0], past.iloc[:0], {"inspections": 2, "mean_score": 68.75}, "2026-06-30")
    assert [(m.label, m.value) for m in got][:5] == [
        ("示范点", "4 个"),
        (":green[●] 正常", "4 个"),
        (":orange[●] 预警", "0 个"),
        (":red[●] 逾期", "0 个"),
        ("节点完成率", "50.0%"),
    ]
    assert got[6].help == "本季度初至2026-06-30没有督查记录的示范点"
    assert got[7].help == "2026-06-30前 365 天内 2 次督查评分的平均分"


def test_site_list_and_export(table):
    rows = stt.site_list(table)
    assert list(rows.columns) == ["状态", "示范点", "区县", "领域", "阶段", "进度", "节点", "联系领导"]
    assert rows["状态"].tolist() == ["预警", "逾期", "预警", "正常", "正常"]  # S1 S2 S3 S4 S5
    assert rows["进度"].tolist() == [50.0, 50.0, 0.0, 50.0, 75.0]
    assert rows["节点"].tolist() == ["1/2", "1/2", "0/0", "2/4", "3/4"]
    assert rows["区县"].tolist() == ["吉水县", "吉水县", "峡江县", "峡江县", "井冈山市"]
    assert "进度(%)" in stt.site_export(table).columns and "进度" not in stt.site_export(table).columns


def test_stage_panels(table):
    panels = stt.stage_panels(table)
    assert [p.title for p in panels] == ["培育 · 1 个", "建设 · 2 个", "验收 · 2 个", "命名 · 0 个"]
    assert [p.site_ids for p in panels] == [[S3], [S1, S2], [S4, S5], []]
    assert panels[1].counts == "逾期 1 · 预警 1 · 正常 0"
    assert list(panels[2].rows.columns) == stt.BOARD_COLUMNS
    assert panels[2].rows["节点"].tolist() == ["2/4", "3/4"] and panels[2].rows["进度"].tolist() == [50.0, 75.0]
    assert panels[3].rows.empty and list(panels[3].rows.columns) == stt.BOARD_COLUMNS
    only_red = stt.stage_panels(table[table["status"] == "red"])
    assert [len(p.rows) for p in only_red] == [0, 1, 0, 0] and only_red[1].rows["状态"].tolist() == ["逾期"]


def test_milestone_lists(db):
    ms = sites.milestones(db, Context(CITY, "2026Q3", TODAY))
    two = stt.milestone_list(ms[ms["site_id"] == S2])
    assert two.to_dict("list") == {
        "示范点": ["示范点2-002"] * 2,
        "区县": ["吉水县"] * 2,
        "序号": [1, 2],
        "节点内容": ["节点1", "节点2"],
        "所属阶段": ["培育", "建设"],
        "计划完成日期": ["2026-01-10", "2026-11-25"],
        "实际完成日期": ["2026-01-15", ""],
        "节点状态": ["逾期完成", "逾期未完成（1 天）"],
    }
    detail = stt.milestone_list(ms[ms["site_id"] == S2], with_site=False)
    assert list(detail.columns) == ["序号", "节点内容", "所属阶段", "计划完成日期", "实际完成日期", "节点状态"]
    assert len(stt.milestone_list(ms)) == 12


def test_red_flag_list(db):
    out = stt.red_flag_list(sites.red_flag(db, Context(ABD, "2026Q3", TODAY)))
    assert out["区县"].tolist() == ["井冈山市", "峡江县", "吉水县"] and out["名次"].tolist() == [1, 2, 3]
    a = out.iloc[2]
    assert (a["得分"], a["示范点数"], a["节点完成率(%)"], a["已完成/全部节点"]) == (53.0, 2, 50.0, "2/4")
    assert (a["按期完成率(%)"], a["按期/应完成节点"], a["督查均分"], a["督查次数"]) == (33.3, "1/3", 83.8, 2)
    assert (a["组织覆盖率(%)"], a["逾期未完成节点"], a["说明"]) == (62.5, 1, "")


def test_attention_lists(db):
    od = stt.overdue_list(sites.overdue_milestones(db, Context(CITY, "2026Q3", TODAY)))
    assert od.to_dict("records") == [
        {
            "示范点": "示范点2-002",
            "区县": "吉水县",
            "节点内容": "节点2",
            "所属阶段": "建设",
            "计划完成日期": "2026-11-25",
            "逾期天数": 1,
            "联系领导": "市委副书记",
        }
    ]
    un = stt.uninspected_list(sites.uninspected_sites(db, Context(CITY, "2026Q3", TODAY)))
    assert un["示范点"].tolist() == ["示范点3-002", "示范点2-002", "示范点1-001", "示范点3-001"]
    assert un["最近督查日期"].tolist() == ["2026-02-01", "2026-05-10", "2026-08-01", "2026-09-10"]
    assert un["距今天数"].tolist() == [298, 200, 117, 77]
    assert un["状态"].tolist() == ["正常", "逾期", "正常", "预警"] and un["督查次数"].tolist() == [2, 1, 1, 1]


def test_one_site(table):
    s4 = _row(table, S4)
    assert [(m.label, m.value) for m in stt.site_metrics(s4)] == [
        ("状态", "正常"),
        ("进度", "50.0%"),
        ("阶段（按节点计算）", "验收"),
        ("督查次数", "2 次"),
        ("最近督查评分", "50.0"),
    ]
    assert "「建设」" in stt.stage_warning(s4) and "「验收」" in stt.stage_warning(s4)
    assert stt.stage_warning(_row(table, S5)) is None
    left = pd.Series({"recorded_stage": "命名", "stage": "命名", "left_behind": 1})
    assert stt.stage_warning(left) == (
        "有 1 个较早阶段的节点尚未完成，但其后阶段的节点已全部完成，阶段按「命名」计（不倒退）。请核对。"
    )
    info = stt.site_info(S4, s4).set_index("项目")["内容"]
    assert (info["示范点编号"], info["依托单位"], info["单位类型"]) == (S4, "园区村", "村（社区）")
    assert info["区县"] == "峡江县"
    assert (info["确定日期"], info["下一节点"]) == ("2025-03-01", "节点3（计划 2027-03-01）")
    assert info["节点"] == "已完成 2 / 共 4，逾期未完成 0"
    assert stt.site_info(S3, _row(table, S3)).set_index("项目")["内容"]["下一节点"] == "—"
    assert stt.site_metrics(_row(table, S3))[4].value == "90.0"
    assert stt.site_names(table)[S1] == "吉水县 · 示范点2-001"


def test_inspection_lists(db):
    insp = sites.inspections(db, Context(CITY, "2026Q3", TODAY))
    one = insp[insp["site_id"] == S1]
    assert stt.inspection_list(one).to_dict("records") == [
        {
            "督查日期": "2026-10-15",
            "督查人职务": "市委组织部督查组",
            "评分": 80.0,
            "检查内容": "阵地标识；党员示范岗；活动台账",
        }
    ]
    ev = stt.evidence_list(sites.evidence_counts(one))
    assert list(ev.columns) == ["检查内容", "检查次数"] and ev["检查次数"].tolist() == [1, 1, 1]


# --- 长效机制 -------------------------------------------------------------------------------------


def test_contact_tables(db):
    s = mechanisms.visit_summary(mechanisms.contact_points(db, Context(CITY, "2026Q3")))
    assert _pairs(mt.contact_metrics(s, "2026Q3")) == [
        ("联系点", "3 个"),
        (f"{periods.label('2026Q3')}走访", "4 次"),
        ("走访率", "66.7%"),  # P1 and P3 of P1 P2 P3
        ("未走访", "1 个"),
    ]
    assert mt.contact_note(s) == "已走访 2 / 3 个联系点。联系领导只按职务显示。"
    un = mt.unvisited_list(mechanisms.points_without_visit(db, Context(CITY, "2026Q3")))
    assert un.to_dict("records") == [
        {
            "联系领导职务": "县(市、区)委书记",
            "区县": "吉水县",
            "联系单位": "园区社区",
            "领域": "城乡社区",
            "建立日期": dt.date(2025, 1, 1),
            "最近走访日期": dt.date(2026, 6, 30),
        }
    ]
    allp = mt.point_list(mechanisms.contact_points(db, Context(CITY, "2026Q3")))
    assert allp[["本季度走访", "调研", "督查", "指导"]].iloc[0].tolist() == [3, 1, 1, 1]  # P1
    assert mechanisms.points_without_visit(db, Context(CITY, "2026Q3"))["point_id"].tolist() == [P2]


def test_visit_quarters_run_to_today():
    assert mt.visit_quarters(["2026Q2", "2026Q3"], TODAY) == ["2026Q2", "2026Q3", "2026Q4"]
    assert mt.visit_quarters(["2026Q3", "2027Q1"], TODAY) == ["2026Q3", "2026Q4", "2027Q1"]


def test_pairing_tables(db):
    pr = mechanisms.pairings(db, Context(CITY, "2026Q3", TODAY))
    # activities 6 + 3 + 0 + 10 = 19 over 4 pairings: 4.75 → 4.8
    assert _pairs(mt.pairing_metrics(pr)) == [
        ("结对", "4 对"),
        ("开展活动", "19 次"),
        ("平均每对活动", "4.8"),
        ("尚未开展活动", "1 对"),
    ]
    forms = mt.form_list(mechanisms.pairings_by(pr, "form")).set_index("结对形式")
    assert forms.loc["组织共建"].tolist() == [2, 6, 3.0] and forms.loc["事业共创"].tolist() == [1, 10, 10.0]
    assert len(forms) == 5 and forms["平均每对"].isna().sum() == 2
    lst = mt.pairing_list(pr)
    assert lst["结对日期"].iloc[0] == dt.date(2024, 5, 1) and lst["开展活动次数"].sum() == 19
    assert _pairs(mt.pairing_metrics(pr.iloc[:0]))[2] == ("平均每对活动", "—")


def test_cadre_tables(db):
    # hours 16 20 24 32 40 48 60: mean 240 / 7 = 34.3, median 32; 好/较好 5 of 7
    assert _pairs(mt.cadre_metrics(mechanisms.cadre_summary(db, Context(CITY, "2026Q3")))) == [
        ("党务干部", "7 人"),
        ("平均年度培训", "34.3 学时"),
        ("培训学时中位数", "32 学时"),
        ("形象测评好/较好", "71.4%"),
    ]
    out = mt.cadre_list(mechanisms.cadres_by_district(db, Context(Scope.of(A, B), "2026Q3")))
    assert out.iloc[0].tolist() == ["吉水县", 6, 3, 30.0, 4, 66.7]
    assert out.iloc[1]["党务干部(人)"] == 1 and pd.isna(out.iloc[1]["平均年度培训学时"])  # under MIN_GROUP


def test_venue_tables(db):
    v = mechanisms.venues(db, Context(CITY, "2026Q3"))
    by_status = mechanisms.venue_status(v)
    mix = mechanisms.funding_mix(v)
    assert _pairs(mt.venue_metrics(v, by_status, mix)) == [
        ("活动阵地", "3 处"),
        ("已建成", "1 处"),
        ("在建", "1 处"),
        ("规划", "1 处"),
        ("总投入", "40.0 万元"),
    ]
    assert mt.venue_note(v, by_status).startswith("总面积 400 m²，其中已建成 120 m²。")
    bd = mechanisms.venues_by_district(v, Scope.of(A, B))
    out = mt.venue_list(bd).set_index("区县")
    funds = [f"{label}(万元)" for label in FUNDS.values()]
    assert out.loc["吉水县", ["已建成(处)", "在建(处)", "规划(处)", "面积(m²)"]].tolist() == [1, 1, 0, 200.0]
    assert out.loc["吉水县", funds].tolist() == [15.0, 2.0, 8.0, 5.0, 0.0] and out.loc["吉水县", "合计(万元)"] == 30.0
    assert out.loc["峡江县", "规划(处)"] == 1 and out.loc["峡江县", "合计(万元)"] == 10.0
    long = mt.venue_status_long(bd)
    assert len(long) == 6 and long[long["district_name"] == "吉水县"]["n"].tolist() == [1, 1, 0]


def test_activity_tables(db):
    acts = mechanisms.activities(db, Context(CITY, "2026Q3"))
    wide = mechanisms.activities_by_district(acts, Context(ABD, "2026Q3"))
    # 2026Q3: A 8, B 2, D 7 = 17; 2026Q2: A 4 → +13; participants 10 per activity
    got = mt.activity_metrics(acts, wide, "2026Q3", ["2026Q2", "2026Q3"])
    assert got[0] == Metric(f"{periods.label('2026Q3')}开展活动", "17 次", delta="+13 次")
    assert _pairs(got[1:]) == [("参与党员", "170 人次"), ("开展的载体", f"4 / {len(CARRIERS)} 种")]
    assert mt.activity_metrics(acts, wide, "2026Q3", ["2026Q3"])[0].delta is None  # 2026Q2 unknown
    held = ("党员设岗定责", "党员责任区", "星级社区", "党员义工")
    assert mt.carriers_held(wide) == [c for c in CARRIERS if c in held]
    none = mechanisms.activities_by_district(acts, Context(ABD, "2025Q1"))
    assert mt.carriers_held(none) == list(CARRIERS)
    out = mt.activity_list(wide)
    assert list(out.columns) == ["区县", *CARRIERS, "合计", "参与党员人次"]
    assert out["合计"].tolist() == [8, 2, 7] and out["区县"].tolist() == ["吉水县", "峡江县", "井冈山市"]


def test_assessment_tables(db):
    rank = mechanisms.assessment(db, Context(ABD, "2026Q3"))
    out = mt.assessment_list(rank)
    assert out["区县"].tolist() == ["峡江县", "井冈山市", "吉水县"]
    assert out["得分"].tolist()[:2] == [95.0, 70.0] and pd.isna(out["得分"].iloc[2])
    b, d, a = (out.iloc[i] for i in range(3))
    assert (b["督查均分"], b["联系点走访率(%)"], b["已走访/联系点"], b["节点按期率(%)"]) == (90.0, 100.0, "1/1", 100.0)
    assert (d["已走访/联系点"], d["按期/到期节点"]) == ("0/0", "0/0") and pd.isna(d["联系点走访率(%)"])
    assert (a["联系点走访率(%)"], a["已走访/联系点"], a["督查次数"]) == (50.0, "1/2", 0)
    assert a["说明"].startswith("本季度无督查，不参评")
    assert mt.assessment_bars(rank)["name"].tolist() == out["区县"].tolist()


def _pairs(metrics: list[Metric]) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in metrics]

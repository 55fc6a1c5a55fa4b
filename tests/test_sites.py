"""Status, progress, stage, needs-attention and ranking rules of the demonstration sites, and the
mechanism statistics, against the hand-made registers of tests/tiny_sites.py (figures worked out
by hand in its docstring)."""

import datetime as dt

import pandas as pd
import pytest

from sanqu.context import Context
from sanqu.programmes import mechanisms, sites
from sanqu.scope import Scope
from tests import stores
from tests.tiny_sites import ABD, CITY, P1, P2, P3, P4, ROWS, S1, S2, S3, S4, S5, S6, S7, STAGE_ROWS, TODAY, A, B, D

PAST = "2026Q2"  # before the store's latest quarter (2026Q3): every rule as of 2026-06-30
JUNE_30 = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from stores.opened(tmp_path_factory.mktemp("tiny-sites"), ROWS)


def _by_site(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("site_id")


# --- status, progress, stage ---------------------------------------------------------------------


def test_status_progress_and_stage_as_of_today(db):
    df = _by_site(sites.sites(db, Context(CITY, "2026Q3", TODAY)))
    assert df["status"].to_dict() == {S1: "amber", S2: "red", S3: "amber", S4: "green", S5: "green"}
    assert df["progress"].to_dict() == {S1: 0.5, S2: 0.5, S3: 0.0, S4: 0.5, S5: 0.75}
    assert df["stage"].to_dict() == {S1: "建设", S2: "建设", S3: "培育", S4: "验收", S5: "验收"}
    assert (df.loc[S4, "recorded_stage"], df.loc[S4, "stage"]) == ("建设", "验收")  # computed, not typed


def test_site_exactly_on_its_due_date_is_amber_and_red_the_day_after(db):
    assert _by_site(sites.sites(db, Context(CITY, "2026Q3", TODAY))).loc[S1, "status"] == "amber"
    assert _by_site(sites.sites(db, Context(CITY, "2026Q3", TODAY + dt.timedelta(days=1)))).loc[S1, "status"] == "red"


def test_site_overdue_by_one_day_is_red_and_was_amber_on_the_due_date(db):
    assert _by_site(sites.sites(db, Context(CITY, "2026Q3", TODAY))).loc[S2, "status"] == "red"
    assert _by_site(sites.sites(db, Context(CITY, "2026Q3", dt.date(2026, 11, 25)))).loc[S2, "status"] == "amber"


def test_site_without_milestones_is_amber_with_zero_progress_in_the_first_stage(db):
    row = _by_site(sites.sites(db, Context(CITY, "2026Q3", TODAY))).loc[S3]
    assert (row["status"], row["progress"], row["stage"], row["milestones"]) == ("amber", 0.0, "培育", 0)


def test_amber_window_is_thirty_days_including_today(db):
    # S4's next open milestone is due 2027-03-01: 30 days ahead → amber, 31 days ahead → green.
    assert _by_site(sites.sites(db, Context(Scope.of(B), "2026Q3", dt.date(2027, 1, 30)))).loc[S4, "status"] == "amber"
    assert _by_site(sites.sites(db, Context(Scope.of(B), "2026Q3", dt.date(2027, 1, 29)))).loc[S4, "status"] == "green"


def test_milestone_states_and_days_overdue(db):
    ms = sites.milestones(db, Context(CITY, "2026Q3", TODAY)).set_index(["site_id", "seq"])
    assert ms.loc[(S5, 1), "state"] == "on_time"  # done on its due date
    assert ms.loc[(S2, 1), "state"] == "late"
    assert ms.loc[(S2, 2), "state"] == "overdue" and ms.loc[(S2, 2), "days_overdue"] == 1
    assert ms.loc[(S2, 2), "state_text"] == "逾期未完成（1 天）"
    assert ms.loc[(S1, 2), "state"] == "due_soon" and pd.isna(ms.loc[(S1, 2), "days_overdue"])
    assert ms.loc[(S4, 3), "state"] == "open"
    # the planned window of a milestone starts at the previous due date (the first: the site's start)
    assert ms.loc[(S4, 1), "start"] == pd.Timestamp("2025-03-01")
    assert ms.loc[(S4, 2), "start"] == pd.Timestamp("2025-12-01")


def test_board_and_status_counts(db):
    df = sites.sites(db, Context(CITY, "2026Q3", TODAY))
    b = sites.board(df).set_index(["stage", "status"])["sites"]
    assert len(b) == 12  # every stage × status, zeros included
    assert b[("培育", "amber")] == 1 and b[("建设", "red")] == 1 and b[("建设", "amber")] == 1
    assert b[("验收", "green")] == 2 and b.sum() == 5 and b.loc["命名"].sum() == 0
    assert sites.status_counts(df) == {"red": 1, "amber": 2, "green": 2}


def test_district_progress_is_done_over_all_milestones(db):
    g = sites.district_progress(db, Context(CITY, "2026Q3", TODAY)).set_index("district")
    assert g.loc[A].tolist() == [2, 4] and g.loc[B].tolist() == [2, 4] and g.loc[D].tolist() == [3, 4]


def test_site_table_zone_filter_and_extras(db):
    t = _by_site(sites.site_table(db, Context(CITY, "2026Q3", TODAY), "community"))
    assert sorted(t.index) == [S2, S4, S5]
    assert t.loc[S4, "inspections"] == 2 and t.loc[S4, "last_inspection"] == pd.Timestamp("2026-02-01")
    assert t.loc[S4, "host_name"] == "园区村" and t.loc[S4, "district_name"] == "峡江县"
    assert t.loc[S2, "overdue_milestones"] == 1 and t.loc[S4, "next_title"] == "节点3"
    with pytest.raises(ValueError):
        sites.site_table(db, Context(CITY, "2026Q3", TODAY), "nowhere")


def test_scope_limits_every_frame(db):
    assert set(sites.sites(db, Context(Scope.of(B), "2026Q3", TODAY))["site_id"]) == {S3, S4}
    assert set(sites.milestones(db, Context(Scope.of(B), "2026Q3", TODAY))["site_id"]) == {S4}
    assert set(sites.inspections(db, Context(Scope.of(D), "2026Q3", TODAY))["site_id"]) == {S5}


# --- the day of the rules: today for the latest quarter, else the quarter's end ----------------------


def test_status_day_is_today_for_the_latest_quarter_and_the_last_day_of_a_past_one(db):
    assert sites.status_day(db, Context(CITY, "2026Q3", TODAY)) == TODAY  # the latest quarter in the store
    assert sites.status_day(db, Context(CITY, "2026Q4", TODAY)) == TODAY
    assert sites.status_day(db, Context(CITY, PAST, TODAY)) == JUNE_30
    assert sites.status_day(db, Context(CITY, PAST, dt.date(2026, 5, 1))) == dt.date(2026, 5, 1)  # not over yet


def test_a_past_quarter_shows_the_sites_as_they_stood_on_its_last_day(db):
    past = _by_site(sites.sites(db, Context(CITY, PAST, TODAY)))
    # S3 was chosen on 2026-09-01: not there yet. S4's m2 was done on 07-30: open on 06-30, due
    # 08-01 = 32 days ahead (outside the 30 days) → green; S1 and S2's m2 are due in November.
    assert sorted(past.index) == [S1, S2, S4, S5]
    assert past["status"].to_dict() == {S1: "green", S2: "green", S4: "green", S5: "green"}
    assert past["milestones_done"].to_dict() == {S1: 1, S2: 1, S4: 1, S5: 3}
    assert past["progress"].to_dict() == {S1: 0.5, S2: 0.5, S4: 0.25, S5: 0.75}
    assert past["stage"].to_dict() == {S1: "建设", S2: "建设", S4: "建设", S5: "验收"}
    now = _by_site(sites.sites(db, Context(CITY, "2026Q3", TODAY)))  # as in the tests above
    assert (len(now), now.loc[S2, "status"], now.loc[S4, "milestones_done"], now.loc[S4, "stage"]) == (
        5,
        "red",
        2,
        "验收",
    )
    g = sites.district_progress(db, Context(CITY, PAST, TODAY)).set_index("district")
    assert g.loc[A].tolist() == [2, 4] and g.loc[B].tolist() == [1, 4] and g.loc[D].tolist() == [3, 4]


def test_milestones_of_a_past_quarter_done_later_count_as_open(db):
    ms = sites.milestones(db, Context(CITY, PAST, TODAY)).set_index(["site_id", "seq"])
    assert len(ms) == 12  # S3 has none
    assert ms.loc[(S4, 2), "state"] == "open" and pd.isna(ms.loc[(S4, 2), "done"])  # done 07-30, not shown
    # on time: S1m1 S4m1 S5m1 S5m2; late: S2m1 S5m3 (done 04-20); open: S1m2 S2m2 S4m2 S4m3 S4m4 S5m4
    assert ms["state"].value_counts().to_dict() == {"open": 6, "on_time": 4, "late": 2}
    assert sites.overdue_milestones(db, Context(CITY, PAST, TODAY)).empty  # S2m2 is overdue only from 11-25
    assert len(sites.overdue_milestones(db, Context(CITY, "2026Q3", TODAY))) == 1


def test_inspections_and_the_quarter_list_of_a_past_quarter(db):
    ctx = Context(CITY, PAST, TODAY)
    insp = sites.inspections(db, ctx)
    assert set(insp["inspection_id"]) == {"DC360822-0002", "DC360823-0002", "DC360823-0003"}
    # 2025-06-30 < date <= 2026-06-30: S2 87.5 and S4 50 (S4's 2025-06-01 is older)
    assert sites.recent_inspections(insp, JUNE_30) == {"inspections": 2, "mean_score": 68.75}
    # not inspected in 2026Q2 (04-01 … 06-30): S1 and S5 never by then, S4 last on 02-01 (149 days)
    un = sites.uninspected_sites(db, ctx)
    assert un["site_id"].tolist() == [S1, S5, S4]
    assert un["days_since"].tolist()[2] == 149 and un["days_since"].isna().tolist() == [True, True, False]
    t = _by_site(sites.site_table(db, ctx))
    assert (t.loc[S4, "inspections"], t.loc[S4, "next_due"], t.loc[S4, "next_title"]) == (
        2,
        pd.Timestamp("2026-08-01"),
        "节点2",
    )
    assert t.loc[S5, "inspections"] == 0 and t.loc[S2, "overdue_milestones"] == 0


def test_red_flag_of_a_past_quarter(db):
    r = sites.red_flag(db, Context(ABD, PAST, TODAY)).set_index("district")
    cols = ["sites", "milestones_done", "milestones", "on_time_num", "on_time_den", "overdue", "inspections"]
    # A: S1 S2, T = S1m1 on time of S1m1 S2m1; one inspection (S2 87.5)
    assert r.loc[A, cols].tolist() == [2, 2, 4, 1, 2, 0, 1] and r.loc[A, "inspection_mean"] == 87.5
    # B: S4 only (S3 not chosen yet), 1 of 4 done; the inspection of 2026-02-01 (50)
    assert r.loc[B, cols].tolist() == [1, 1, 4, 1, 1, 0, 1] and r.loc[B, "inspection_mean"] == 50
    # D: S5 3 of 4, on time m1 m2 of m1 m2 m3; its inspection is of 08-01: none yet, S = 0
    assert r.loc[D, cols].tolist() == [1, 3, 4, 2, 3, 0, 0] and "督查均分按0分计" in r.loc[D, "note"]
    now = sites.red_flag(db, Context(ABD, "2026Q3", TODAY)).set_index("district")
    assert now.loc[B, "sites"] == 2 and now.loc[A, "on_time_den"] == 3


def test_pairings_count_from_their_date(db):
    # JD360822-003 (组织共建) was formed on 2026-09-01: not in a quarter that ended on 06-30
    past = mechanisms.pairings_by(mechanisms.pairings(db, Context(CITY, PAST, TODAY)), "form")
    assert past["pairings"].tolist() == [1, 0, 0, 1, 1]
    now = mechanisms.pairings_by(mechanisms.pairings(db, Context(CITY, "2026Q3", TODAY)), "form")
    assert now["pairings"].tolist() == [2, 0, 0, 1, 1]


# --- the stage never goes back behind a completed stage -----------------------------------------------


@pytest.fixture(scope="module")
def stage_db(tmp_path_factory):
    yield from stores.opened(tmp_path_factory.mktemp("tiny-stages"), STAGE_ROWS)


def test_a_named_site_with_an_early_milestone_left_open_stays_named(stage_db):
    df = _by_site(sites.sites(stage_db, Context(Scope.of(D), "2026Q3", TODAY)))
    # S6: 命名授牌 (and every 建设 and 验收 milestone) done, 确定创建方案 (培育) still open: 命名, not 培育;
    # red all the same (the open one was due 2026-01-01), 4 of 5 done, one milestone left behind.
    assert df.loc[S6, ["recorded_stage", "stage", "status", "milestones_done", "left_behind"]].tolist() == [
        "命名",
        "命名",
        "red",
        4,
        1,
    ]
    # S7 is recorded 命名 but only its 培育 milestone is done: the register is not taken on trust.
    assert df.loc[S7, ["recorded_stage", "stage", "left_behind"]].tolist() == ["命名", "建设", 0]
    # the sites of tests/tiny_sites.py keep their stages (nothing left behind)
    assert (df.loc[S5, "stage"], df.loc[S5, "left_behind"]) == ("验收", 0)


def test_the_stage_rule_as_of_an_earlier_day(stage_db):
    # on 2026-05-01 S6 had done m2 (培育) and m3 (建设): 建设 complete, m1 open → 验收 (the old rule: 培育)
    row = _by_site(sites.sites(stage_db, Context(Scope.of(D), "2026Q3", dt.date(2026, 5, 1)))).loc[S6]
    assert (row["stage"], row["left_behind"], row["milestones_done"]) == ("验收", 1, 2)
    # on 2026-01-10 only m2 was not yet done either: nothing complete, the first open one (培育)
    row = _by_site(sites.sites(stage_db, Context(Scope.of(D), "2026Q3", dt.date(2026, 1, 10)))).loc[S6]
    assert (row["stage"], row["left_behind"], row["milestones_done"]) == ("培育", 0, 0)


# --- needs attention ----------------------------------------------------------------------------


def test_overdue_milestones_list_only_open_ones_past_their_due_date(db):
    od = sites.overdue_milestones(db, Context(CITY, "2026Q3", TODAY))
    assert list(zip(od["site_id"], od["seq"], od["days_overdue"])) == [(S2, 2, 1)]
    later = sites.overdue_milestones(db, Context(CITY, "2026Q3", dt.date(2026, 12, 6)))
    assert list(zip(later["site_id"], later["days_overdue"])) == [(S2, 11), (S1, 10)]  # longest first


def test_sites_without_an_inspection_this_quarter(db):
    un = sites.uninspected_sites(db, Context(CITY, "2026Q3", TODAY))
    # S1 was inspected on 2026-10-15, inside 2026Q4; the others last on these dates (oldest first)
    assert un["site_id"].tolist() == [S4, S2, S5, S3]
    assert un["days_since"].tolist() == [298, 200, 117, 77]
    # on 2026-10-14 the inspection of 2026-10-15 has not happened yet: S1 is listed too
    assert S1 in sites.uninspected_sites(db, Context(CITY, "2026Q3", dt.date(2026, 10, 14)))["site_id"].tolist()


def test_inspections_in_the_future_are_not_counted(db):
    insp = sites.inspections(db, Context(CITY, "2026Q3", dt.date(2026, 3, 1)))
    assert set(insp["inspection_id"]) == {"DC360823-0002", "DC360823-0003"}


def test_recent_inspections_are_the_365_days_up_to_today(db):
    insp = sites.inspections(db, Context(CITY, "2026Q3", TODAY))
    # 2025-11-27 … 2026-11-26: all but S4's inspection of 2025-06-01
    assert sites.recent_inspections(insp, TODAY) == {"inspections": 5, "mean_score": (80 + 87.5 + 90 + 50 + 70) / 5}
    # S1's inspection of 2026-10-15 is inside the window up to 2027-10-14, 365 days old on 2027-10-15
    assert sites.recent_inspections(insp, dt.date(2027, 10, 14)) == {"inspections": 1, "mean_score": 80.0}
    assert sites.recent_inspections(insp, dt.date(2027, 10, 15))["inspections"] == 0
    assert sites.recent_inspections(insp.iloc[:0], TODAY) == {"inspections": 0, "mean_score": None}


def test_evidence_counts():
    insp = pd.DataFrame({"evidence": ["阵地标识；活动台账", "活动台账；党员示范岗；", "活动台账"]})
    ev = sites.evidence_counts(insp)
    assert list(zip(ev["item"], ev["count"])) == [("活动台账", 3), ("党员示范岗", 1), ("阵地标识", 1)]


# --- the red-flag ranking -------------------------------------------------------------------------


def test_red_flag_scores_with_a_tie_broken_by_progress(db):
    r = sites.red_flag(db, Context(ABD, "2026Q3", TODAY))
    assert r["district"].tolist() == [D, B, A]
    assert r["score"].tolist() == [69.0, 69.0, 53.0]  # B and D tie; D has the higher 节点完成率
    assert r["rank"].tolist() == [1, 2, 3]
    a = r.set_index("district").loc[A]
    assert (a["milestones_done"], a["milestones"], a["on_time_num"], a["on_time_den"]) == (2, 4, 1, 3)
    assert a["inspection_mean"] == pytest.approx(83.75) and a["coverage"] == pytest.approx(0.625)
    b = r.set_index("district").loc[B]
    assert b["inspections"] == 2 and b["inspection_mean"] == pytest.approx(70)  # the 2025-06-01 one is too old
    assert b["coverage"] == pytest.approx(0.5) and b["on_time"] == 1.0


def test_red_flag_city_lists_districts_without_sites_unranked(db):
    r = sites.red_flag(db, Context(CITY, "2026Q3", TODAY))
    assert len(r) == 13 and r["rank"].notna().sum() == 3
    assert r["rank"].tolist()[:3] == [1, 2, 3]
    assert set(r.loc[r["rank"].isna(), "note"]) == {"无示范点，不参评"}
    assert r.loc[r["rank"].isna(), "score"].isna().all()


def test_red_flag_by_zone(db):
    # 城乡社区 only: A has S2 (P 1/2, T 0/2, S 87.5, C 3/6) → 20 + 0 + 17.5 + 5 = 42.5;
    # B has S4 (P 2/4, T 2/2, S 50, C 3/6) → 20 + 30 + 10 + 5 = 65.0; D as before 69.0
    r = sites.red_flag(db, Context(ABD, "2026Q3", TODAY), "community")
    assert list(zip(r["district"], r["score"])) == [(D, 69.0), (B, 65.0), (A, 42.5)]


def test_red_flag_without_inspections_in_the_window_scores_zero_for_them(db):
    # a year on, no inspection is within 365 days and no milestone is left undue: S = 0 everywhere.
    later = dt.date(2027, 11, 26)
    r = sites.red_flag(db, Context(Scope.of(D), "2026Q3", later)).iloc[0]
    assert r["inspections"] == 0 and pd.isna(r["inspection_mean"])
    # P 3/4, T 2/4 (m4 is now overdue), S 0, C 0.5 → 30 + 15 + 0 + 5 = 50.0
    assert r["score"] == 50.0 and "督查均分按0分计" in r["note"]


# --- contact points and visits ----------------------------------------------------------------------


def test_visits_per_quarter_by_kind(db):
    v = mechanisms.visits_by_quarter(db, Context(CITY, "2026Q3"), ["2026Q2", "2026Q3", "2026Q4"])
    got = {(p, k): n for p, k, n in zip(v["period"], v["kind"], v["visits"]) if n}
    assert got == {
        ("2026Q2", "调研"): 1,
        ("2026Q3", "调研"): 2,
        ("2026Q3", "督查"): 1,
        ("2026Q3", "指导"): 1,
        ("2026Q4", "督查"): 1,
        ("2026Q4", "指导"): 1,
    }
    assert len(v) == 9  # every quarter × kind
    c = mechanisms.visits_by_quarter(db, Context(CITY, "2026Q3"), ["2026Q3", "2026Q4"], "community")
    assert c.set_index(["period", "kind"])["visits"].to_dict() == {
        ("2026Q3", "调研"): 0,
        ("2026Q3", "督查"): 0,
        ("2026Q3", "指导"): 0,
        ("2026Q4", "调研"): 0,
        ("2026Q4", "督查"): 1,
        ("2026Q4", "指导"): 1,
    }


def test_contact_points_in_a_quarter(db):
    p = mechanisms.contact_points(db, Context(CITY, "2026Q3")).set_index("point_id")
    assert sorted(p.index) == [P1, P2, P3] and P4 not in p.index  # P4 was set up on 2026-10-01
    assert p.loc[P1, ["visits", "research", "inspect", "guide"]].tolist() == [3, 1, 1, 1]  # 09-30 counts
    assert p.loc[P2, "visits"] == 0 and p.loc[P2, "last_visit"] == pd.Timestamp("2026-06-30")
    assert p.loc[P1, "zone"] == "工业园区" and p.loc[P2, "host_name"] == "园区社区"
    assert mechanisms.visit_summary(p) == {"points": 3, "visited": 2, "unvisited": 1, "visits": 4}


def test_points_without_a_visit(db):
    assert mechanisms.points_without_visit(db, Context(CITY, "2026Q3"))["point_id"].tolist() == [P2]
    # in 2026Q4 P2 (10-01) and P4 (10-20) were visited; P3 (last 09-15) before P1 (last 09-30)
    assert mechanisms.points_without_visit(db, Context(CITY, "2026Q4"))["point_id"].tolist() == [P3, P1]
    assert mechanisms.points_without_visit(db, Context(CITY, "2026Q3"), "scenic").empty
    assert mechanisms.points_without_visit(db, Context(Scope.of(B), "2026Q3")).empty


# --- pairing, cadres, venues, activities ------------------------------------------------------------


def test_pairings_by_the_five_forms(db):
    pf = mechanisms.pairings_by(mechanisms.pairings(db, Context(CITY, "2026Q3", TODAY)), "form")
    assert pf["form"].tolist() == ["组织共建", "党员共管", "经验共鉴", "资源共享", "事业共创"]
    assert pf["pairings"].tolist() == [2, 0, 0, 1, 1]
    assert pf["activities"].tolist() == [6, 0, 0, 3, 10]
    community = mechanisms.pairings_by(mechanisms.pairings(db, Context(CITY, "2026Q3", TODAY), "community"), "form")
    assert community["pairings"].tolist() == [0, 0, 0, 0, 1]
    kinds = mechanisms.pairings_by(mechanisms.pairings(db, Context(CITY, "2026Q3", TODAY)), "helper_kind").set_index(
        "helper_kind"
    )
    assert kinds["pairings"].to_dict() == {"机关党组织": 2, "农村党组织": 1, "国企党组织": 1}
    assert kinds.loc["机关党组织", "activities"] == 16


def test_cadre_aggregates_and_small_groups(db):
    s = mechanisms.cadre_summary(db, Context(CITY, "2026Q3"))
    assert (s["cadres"], s["good"], s["median_hours"]) == (7, 5, 32.0)
    assert s["mean_hours"] == pytest.approx(240 / 7) and s["good_share"] == pytest.approx(5 / 7)
    assert mechanisms.cadre_summary(db, Context(Scope.of(A), "2026Q3"))["mean_hours"] == 30.0
    only_b = mechanisms.cadre_summary(db, Context(Scope.of(B), "2026Q3"))
    assert only_b["cadres"] == 1 and only_b["mean_hours"] is None  # one cadre: no average shown
    sel = mechanisms.cadre_breakdown(db, Context(CITY, "2026Q3"), "selection")
    assert dict(zip(sel["selection"], sel["count"])) == {"公推直选": 3, "引导留用": 1, "公开选聘": 2, "机关下派": 1}
    rating = mechanisms.cadre_breakdown(db, Context(CITY, "2026Q3"), "rating")
    assert rating["rating"].tolist() == ["好", "较好", "一般", "差"] and rating["count"].tolist() == [3, 2, 1, 1]
    origin = mechanisms.cadre_breakdown(db, Context(CITY, "2026Q3"), "origin")
    assert origin["count"].sum() == 7 and origin.set_index("origin").loc["企业职工", "count"] == 3
    bd = mechanisms.cadres_by_district(db, Context(ABD, "2026Q3")).set_index("district")
    assert bd.loc[A, ["cadres", "secretaries", "good"]].tolist() == [6, 3, 4]
    assert bd.loc[D, "cadres"] == 0 and pd.isna(bd.loc[B, "mean_hours"])
    with pytest.raises(ValueError):
        mechanisms.cadre_breakdown(db, Context(CITY, "2026Q3"), "cadre_id")


def test_cadre_frames_never_carry_an_identifier(db):
    frames = [mechanisms.cadres_by_district(db, Context(CITY, "2026Q3"))] + [
        mechanisms.cadre_breakdown(db, Context(CITY, "2026Q3"), f) for f in mechanisms.CADRE_FIELDS
    ]
    for df in frames:
        assert not {"cadre_id", "org_id"} & set(df.columns)
        assert len(df) <= 13


def test_venue_status_and_funding_mix(db):
    v = mechanisms.venues(db, Context(CITY, "2026Q3"))
    vs = mechanisms.venue_status(v)
    assert vs["status"].tolist() == ["已建成", "在建", "规划"]
    assert vs["venues"].tolist() == [1, 1, 1] and vs["area_m2"].tolist() == [120, 80, 200]
    mix = mechanisms.funding_mix(v)
    assert mix["source"].tolist() == ["财政列支", "党费补助", "部门帮扶", "单位自筹", "市场化运作"]
    assert mix["amount"].tolist() == [15, 2, 8, 5, 10]
    assert mix["share"].tolist() == pytest.approx([0.375, 0.05, 0.2, 0.125, 0.25])
    community = mechanisms.funding_mix(mechanisms.venues(db, Context(CITY, "2026Q3"), "community"))
    assert community["amount"].tolist() == [0, 0, 0, 0, 10]
    bd = mechanisms.venues_by_district(v, ABD).set_index("district")
    assert bd.loc[A, ["已建成", "在建", "规划"]].tolist() == [1, 1, 0] and bd.loc[A, "funds"] == 30
    assert bd.loc[D, "funds"] == 0


def test_activities_per_district_and_quarter(db):
    acts = mechanisms.activities(db, Context(CITY, "2026Q3"))
    wide = mechanisms.activities_by_district(acts, Context(ABD, "2026Q3")).set_index("district")
    assert wide["total"].to_dict() == {A: 8, B: 2, D: 7}
    assert wide["participants"].to_dict() == {A: 80, B: 20, D: 70}
    assert wide.loc[A, "党员设岗定责"] == 5 and wide.loc[D, "党员义工"] == 7 and wide.loc[B, "一弘扬三创优"] == 0
    q = mechanisms.activities_by_quarter(
        mechanisms.activities(db, Context(Scope.of(A), "2026Q3")), ["2026Q2", "2026Q3"]
    )
    assert q.groupby("period")["count"].sum().to_dict() == {"2026Q2": 4, "2026Q3": 8}
    park = mechanisms.activities_by_district(
        mechanisms.activities(db, Context(CITY, "2026Q3"), "park"), Context(ABD, "2026Q3")
    )
    assert park.set_index("district")["total"].to_dict() == {A: 5, B: 0, D: 0}


# --- inspection and assessment ---------------------------------------------------------------------


def test_assessment_ranking_per_quarter(db):
    r = mechanisms.assessment(db, Context(ABD, "2026Q3"))
    assert r["district"].tolist() == [B, D, A]
    assert r["score"].tolist()[:2] == [95.0, 70.0] and r["rank"].tolist()[:2] == [1, 2]
    a = r.set_index("district").loc[A]
    assert pd.isna(a["rank"]) and a["visit_rate"] == 0.5 and "本季度无督查，不参评" in a["note"]
    d = r.set_index("district").loc[D]
    assert pd.isna(d["visit_rate"]) and "走访率不计入" in d["note"]
    # 2026Q2: only S2's inspection (87.5); A's points 1/2 visited (P2 on 06-30); nothing due in A:
    # (0.5 × 0.875 + 0.3 × 0.5) ÷ 0.8 = 73.4375 → 73.4; B and D had no inspection in Q2
    q2 = mechanisms.assessment(db, Context(ABD, "2026Q2"))
    assert q2["district"].tolist() == [A, B, D] and q2["score"].iloc[0] == 73.4
    assert q2["rank"].iloc[0] == 1 and q2["rank"].iloc[1:].isna().all()

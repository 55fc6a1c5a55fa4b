"""The coverage engine against the tiny fixture's hand-computed figures."""

import pytest

from sanqu.context import Context
from sanqu.metrics import coverage, overview
from sanqu.scope import Scope
from tests.tiny import A, B

CITY = Scope.city()


def _row(df):
    return df.iloc[0].to_dict()


def test_city_counts_2026q3(tiny_db):
    r = _row(coverage.coverage(tiny_db, Context(CITY, "2026Q3"), "park"))
    assert (r["denominator"], r["own"], r["joint"], r["covered"], r["work"]) == (6, 1, 3, 4, 5)
    assert (r["instructor"], r["should_build"]) == (1, 2)


def test_joint_org_spanning_two_districts_counts_each_entity_in_its_own_district(tiny_db):
    df = coverage.coverage(tiny_db, Context(CITY, "2026Q3"), "park", by=("district",)).set_index("district")
    assert df.loc[A, ["denominator", "own", "joint", "covered", "work"]].tolist() == [4, 1, 2, 3, 3]
    assert df.loc[B, ["denominator", "own", "joint", "covered", "work"]].tolist() == [2, 0, 1, 1, 2]
    b_only = _row(coverage.coverage(tiny_db, Context(Scope.of(B), "2026Q3"), "park"))
    assert (b_only["denominator"], b_only["covered"]) == (2, 1)


def test_previous_quarter_has_closed_enterprise_and_not_the_new_org(tiny_db):
    r = _row(coverage.coverage(tiny_db, Context(CITY, "2026Q2"), "park"))
    assert (r["denominator"], r["covered"], r["own"], r["joint"]) == (7, 3, 1, 2)


def test_kpi_change_is_in_percentage_points(tiny_db):
    k = overview.kpi(tiny_db, Context(CITY, "2026Q3"), "park_org")
    assert (k.numerator, k.denominator) == (4, 6)
    assert k.rate == pytest.approx(4 / 6)
    assert k.previous == pytest.approx(3 / 7)
    assert k.change == pytest.approx((4 / 6 - 3 / 7) * 100)
    assert k.year_ago is None and k.change_yoy is None


def test_joint_by_form(tiny_db):
    df = coverage.joint_by_form(tiny_db, Context(CITY, "2026Q3"), "park")
    assert dict(zip(df["form"], df["count"])) == {"企企合建": 2, "企会联建": 1}


def test_gap_list_lists_uncovered_above_scale_first(tiny_db):
    g = coverage.gaps(tiny_db, Context(CITY, "2026Q3"), "park")
    assert g["entity_id"].tolist() == ["QY360823-0004", "QY360822-0005"]
    assert g["should_build"].tolist() == [True, False]
    assert g["work"].tolist() == [True, False]


def test_entity_with_no_organisation_is_uncovered(tiny_db):
    st = coverage.entity_status(tiny_db, Context(CITY, "2026Q3"), "park").set_index("entity_id")
    assert not st.loc["QY360822-0005", "covered"]
    assert not st.loc["QY360822-0005", "work"]
    assert "QY360822-0006" not in st.index  # state-owned: not in the denominator


def test_community_grid_coverage(tiny_db):
    # A: quarters 4 (own 1, joint 1, liaison 1) + two-new 2 (own 1): 6 units, 3 covered, 4 work
    # B: quarters 4 (own 2, liaison 1) + two-new 2 (own 1): 6 units, 3 covered, 4 work
    df = coverage.coverage(tiny_db, Context(CITY, "2026Q3"), "community", by=("district",)).set_index("district")
    assert df.loc[A, ["denominator", "own", "joint", "covered", "work"]].tolist() == [6, 2, 1, 3, 4]
    assert df.loc[B, ["denominator", "own", "joint", "covered", "work"]].tolist() == [6, 3, 0, 3, 4]


def test_district_table(tiny_db):
    t = overview.district_table(tiny_db, Context(CITY, "2026Q3")).set_index("district")
    assert t.loc[A, "park_num"] == 3 and t.loc[A, "park_den"] == 4
    assert t.loc[B, "park_rate"] == pytest.approx(0.5)
    assert t.loc[A, "name"] == "吉水县"


def test_rate_of_nothing_is_none():
    assert coverage.rate(0, 0) is None
    assert coverage.rate(1, 4) == 0.25


def test_catalogue_defines_each_indicator_once_with_formula():
    from sanqu.metrics.indicators import CATALOGUE

    keys = [i.key for i in CATALOGUE]
    assert len(keys) == len(set(keys)) == 13
    assert all(i.formula and "÷" in i.formula and i.name for i in CATALOGUE)

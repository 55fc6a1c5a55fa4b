"""总览's figures read each zone's counts once, by place, every quarter of the store
(`overview.place_trends`); the scope's own counts are their sums (`overview.totals_of`), the
same as `coverage_trend` without grouping gives for every scope: the city, each county, townships."""

import pandas as pd

from sanqu.context import Context
from sanqu.geography import DISTRICTS, townships
from sanqu.metrics import overview
from sanqu.metrics.coverage import coverage_trend
from sanqu.metrics.indicators import indicator
from sanqu.scope import Scope
from sanqu.storage.db import Database


def _scopes() -> list[Scope]:
    towns = townships()
    some = [towns["code"].iloc[0], towns["code"].iloc[len(towns) // 2], towns["code"].iloc[-1]]
    return [Scope.city(), *(Scope.unit(c) for c in DISTRICTS), *(Scope.unit(t) for t in some)]


def _same(db: Database, scopes: list[Scope]) -> None:
    known = db.periods()
    for scope in scopes:
        ctx = Context(scope, known[-2])
        by_place = overview.place_trends(db, ctx)
        counted = 0
        for key in overview.HEADLINE:
            alone = coverage_trend(db, ctx, indicator(key).zone)
            got = overview.totals_of(by_place[key], known)
            pd.testing.assert_frame_equal(got, alone, check_dtype=False, obj=f"{scope.key} {key}")
            counted += int(got["denominator"].sum())
        assert counted > 0 or scope.township, scope.key  # not zeros only


def test_the_sums_by_place_are_the_scope_s_counts_every_quarter(demo_db):
    _same(demo_db, _scopes())


def test_the_same_in_a_small_store_with_rows_without_a_township(tiny_db):
    codes = tiny_db.con.execute("SELECT DISTINCT district FROM unit_status ORDER BY 1").fetchall()
    _same(tiny_db, [Scope.city(), *(Scope.unit(c) for (c,) in codes)])


def test_a_quarter_without_rows_counts_zeros():
    rows = pd.DataFrame({"period": ["2026Q2", "2026Q2"], "district": ["a", None]})
    for c in ("denominator", "own", "joint", "covered", "work", "instructor", "should_build"):
        rows[c] = [3, 2]
    got = overview.totals_of(rows, ["2026Q1", "2026Q2"])
    assert got["period"].tolist() == ["2026Q1", "2026Q2"]
    assert got["denominator"].tolist() == [0, 5]  # the row without a place counted too

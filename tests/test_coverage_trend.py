"""One query for every quarter (`coverage_trend`, the overview and the big screen's trends and KPIs) gives the
counts of `coverage` quarter by quarter, and the screen's KPIs read off it are `overview.kpi`'s."""

import datetime as dt

import pytest

from sanqu.context import Context
from sanqu.metrics import coverage, overview
from sanqu.reports import screen
from sanqu.scope import Scope
from tests.tiny import A, B

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("zone", ["park", "scenic", "community"])
def test_every_quarter_in_one_query_equals_one_query_per_quarter(tiny_db, demo_db, zone):
    for db, scopes in (
        (tiny_db, [Scope.city(), Scope.of(A), Scope.of(B)]),
        (demo_db, [Scope.city(), Scope.of("360822")]),
    ):
        for scope in scopes:
            ctx = Context(scope, db.periods()[-1], TODAY)
            rows = coverage.coverage_trend(db, ctx, zone)
            assert list(rows["period"]) == db.periods()
            for _, row in rows.iterrows():
                one = coverage.coverage(db, ctx.at(row["period"]), zone).iloc[0]
                assert {c: int(row[c]) for c in coverage.COUNTS} == {c: int(one[c]) for c in coverage.COUNTS}


def test_screen_kpis_equal_the_overview_kpis(demo_db):
    source = screen.Source(demo_db)
    for scope in (Scope.city(), Scope.of("360822")):
        for period in demo_db.periods():
            ctx = Context(scope, period, TODAY)
            for key in ("park_org", "park_own", "community_work", "scenic_org"):
                assert screen._kpi(source, ctx, key) == overview.kpi(demo_db, ctx, key)

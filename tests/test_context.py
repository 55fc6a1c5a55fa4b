"""The Context every query takes, and what a query declares it reads of it."""

import datetime as dt

import pytest

from sanqu.areas import parks
from sanqu.context import FIELDS, Context, uses
from sanqu.metrics import overview
from sanqu.programmes import sites
from sanqu.scope import Scope

DAY = dt.date(2026, 11, 26)


def test_context_is_frozen_and_hashable():
    a = Context(Scope.city(), "2026Q3", DAY)
    assert a == Context(Scope.city(), "2026Q3", DAY) and hash(a) == hash(Context(Scope.city(), "2026Q3", DAY))
    with pytest.raises(AttributeError):
        a.period = "2026Q2"
    assert a.at("2026Q2").period == "2026Q2" and a.at("2026Q2").scope == a.scope


def test_dates_of_the_context():
    c = Context(Scope.city(), "2026Q3", DAY)
    assert (c.period_start, c.period_end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert c.as_of == dt.date(2026, 9, 30)  # the quarter is over
    assert Context(Scope.city(), "2026Q4", DAY).as_of == DAY  # not over yet


def test_the_day_defaults_to_the_pinned_today(monkeypatch):
    monkeypatch.setenv("SANQU_TODAY", "2026-01-02")
    assert Context(Scope.city(), "2026Q3").today == dt.date(2026, 1, 2)


def test_only_blanks_what_a_query_does_not_read():
    c = Context(Scope.of("360802"), "2026Q3", DAY)
    assert c.only(FIELDS) == c
    assert c.only(("scope",)) == Context(Scope.of("360802"), "", None)
    assert c.only(("scope",)) == Context(Scope.of("360802"), "2025Q1", DAY).only(("scope",))
    with pytest.raises(ValueError):
        _ = c.only(("scope",)).period_end  # reading a quarter the query said it does not read
    assert parks.trend.context_fields == ("scope",)
    # the 示范点 rules are applied as of the quarter's end for a past quarter: keyed by quarter and day
    assert sites.sites.context_fields == ("scope", "period", "today")
    assert c.only(sites.sites.context_fields) != c.at("2024Q4").only(sites.sites.context_fields)
    assert not hasattr(overview.kpi, "context_fields")  # undeclared: reads everything


def test_uses_knows_the_fields():
    with pytest.raises(ValueError):
        uses("scope", "quarter")
    with pytest.raises(ValueError):
        uses("period")


def test_a_scope_only_query_gives_the_same_answer_through_a_narrowed_context(tiny_db):
    full = Context(Scope.city(), "2026Q3", DAY)
    narrowed = full.only(parks.trend.context_fields)
    assert parks.trend(tiny_db, narrowed).equals(parks.trend(tiny_db, full))


def test_a_past_quarter_is_as_of_its_own_last_day():
    from sanqu import periods

    assert periods.data_date("2024Q4", "2026-09-30") == "2024-12-31"  # a past quarter: its end
    assert periods.data_date("2026Q3", "2026-09-30") == "2026-09-30"  # the newest: the store's date
    assert periods.data_date("2026Q4", "2026-09-30") == "2026-09-30"  # never a day the data has not reached
    assert periods.data_date("2026Q3", "") == ""


def test_a_view_as_of_a_quarter_shows_no_later_quarter(demo_db):
    known = demo_db.periods()
    ctx = Context(Scope.city(), known[2])
    t = overview.trend_to(demo_db, ctx, "park_org")
    assert list(t["period"]) == list(known[:3])
    assert t.equals(overview.trend(demo_db, ctx, "park_org").iloc[:3])

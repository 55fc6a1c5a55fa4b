"""Every query is limited to a district scope and never returns another district's rows."""

import pytest

from sanqu.context import Context
from sanqu.geography import DISTRICTS
from sanqu.metrics import coverage, overview
from sanqu.scope import Scope
from sanqu.storage.db import ScopeMissing


def test_query_without_scope_is_refused(demo_db):
    with pytest.raises(ScopeMissing):
        demo_db.query("SELECT * FROM enterprises", Scope.city())


def test_scope_rejects_unknown_codes():
    with pytest.raises(ValueError):
        Scope.of("360899")
    with pytest.raises(ValueError):
        Scope.parse("") and Scope(())  # noqa: B015


def test_scope_url_form():
    assert Scope.parse("360800").is_city and Scope.parse(None).is_city
    assert Scope.parse("360822").key == "360822"
    assert Scope.parse("360823,360822").codes == ("360822", "360823")


@pytest.mark.parametrize("code", list(DISTRICTS))
def test_scoped_queries_return_only_that_district(demo_db, code):
    scope = Scope.of(code)
    period = demo_db.periods()[-1]
    frames = [
        coverage.entity_status(demo_db, Context(scope, period), "park"),
        coverage.entity_status(demo_db, Context(scope, period), "scenic"),
        coverage.coverage(demo_db, Context(scope, period), "park", by=("district", "park")),
        coverage.coverage(demo_db, Context(scope, period), "community", by=("district",)),
        coverage.coverage(demo_db, Context(scope, period), "scenic", by=("district",)),
        coverage.gaps(demo_db, Context(scope, period), "park"),
        overview.district_table(demo_db, Context(scope, period)),
    ]
    for df in frames:
        assert set(df["district"].dropna()) <= {code}
    for table in ("enterprises", "communities", "party_orgs", "community_stats", "demo_sites", "visits"):
        rows = demo_db.query(f"SELECT district FROM {table} WHERE list_contains($scope, district)", scope)
        assert set(rows["district"]) == {code} or table in ("demo_sites", "visits")


def test_query_needs_a_real_scope(demo_db):
    with pytest.raises(TypeError):
        demo_db.query("SELECT 1 WHERE list_contains($scope, '360822')", "360822")

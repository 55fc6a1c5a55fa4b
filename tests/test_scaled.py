"""The demo multiplied (make bench SCALE=N): the real build accepts it, and every count is N times
the demo's while every ratio is the demo's."""

import pandas as pd
import pytest

from sanqu.context import Context
from sanqu.ingest import scaled
from sanqu.ingest.folder import is_demo
from sanqu.ingest.problems import RegisterError
from sanqu.metrics import overview
from sanqu.scope import Scope
from sanqu.storage import store
from sanqu.storage.db import Database

N = 2


@pytest.fixture(scope="module")
def scaled_db(demo_data, tmp_path_factory) -> Database:
    folder = tmp_path_factory.mktemp("scaled")
    counts = scaled.write(folder / "registers", N, demo_data / "registers")
    assert counts["enterprises"] == N * 1712
    assert is_demo(folder / "registers")  # still labelled 演示数据
    store.build(folder / "registers", folder / "sanqu.duckdb")  # raises on any refused row
    db = Database(folder / "sanqu.duckdb")
    yield db
    db.close()


def _one(db: Database, sql: str) -> tuple:
    return db.con.execute(sql).fetchall()[0]  # whole tables: no scope to apply


def _count(db: Database, table: str) -> int:
    return _one(db, f"SELECT count(*) FROM {table}")[0]


def test_copy_ids_keep_the_district_digits_and_copy_zero_is_the_demo():
    assert scaled.copy_prefix(0) == "36"
    assert scaled.copy_prefix(1) == "37"
    assert scaled.copy_prefix(64) == "00"
    df = scaled.multiplied(pd.DataFrame({"企业编号": ["QY360822-0001"], "企业名称": ["甲"]}), "enterprises", 3)
    assert df["企业编号"].tolist() == ["QY360822-0001", "QY370822-0001", "QY380822-0001"]
    assert df["企业名称"].tolist() == ["甲", "甲", "甲"]


@pytest.mark.parametrize(
    "table", ["enterprises", "communities", "community_stats", "party_orgs", "org_coverage", "scenic_sites"]
)
def test_every_unit_is_there_n_times(demo_db, scaled_db, table):
    assert _count(scaled_db, table) == N * _count(demo_db, table)


def test_the_same_districts_townships_and_parks(demo_db, scaled_db):
    for table in ("districts", "townships", "parks"):
        assert _count(scaled_db, table) == _count(demo_db, table)


def test_activity_counts_multiplied_not_rows(demo_db, scaled_db):
    sql = 'SELECT count(*), sum("count"), sum(participants) FROM activities'
    (n, c, p), (n2, c2, p2) = _one(demo_db, sql), _one(scaled_db, sql)
    assert c > 0
    assert (n2, c2, p2) == (n, N * c, N * p)


@pytest.mark.parametrize("scope", [Scope.city(), Scope.of("360822")], ids=["city", "360822"])
def test_kpis_count_n_times_with_the_demo_ratios(demo_db, scaled_db, scope):
    # each copy is the demo with other ids: every numerator and denominator doubles, so each rate stays
    period = demo_db.periods()[-1]
    ctx = Context(scope, period)
    for a, b in zip(overview.headline(demo_db, ctx), overview.headline(scaled_db, ctx)):
        assert a.denominator > 0
        assert (b.numerator, b.denominator) == (N * a.numerator, N * a.denominator)
        assert b.rate == pytest.approx(a.rate, abs=1e-12)
        assert b.previous == pytest.approx(a.previous, abs=1e-12)


def test_a_broken_copy_is_refused(demo_data, tmp_path):
    # the ids really are the keys the build checks: a copy whose ids were not rewritten is refused
    scaled.write(tmp_path / "registers", N, demo_data / "registers")
    path = tmp_path / "registers" / "enterprises.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1 + 1712] = lines[1]  # copy 1's first enterprise carries copy 0's id
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(RegisterError, match="编号重复"):
        store.build(tmp_path / "registers", tmp_path / "x.duckdb")


def _marks(spec: dict) -> list[dict]:
    """The scatter's rows: a community, or a cell of communities (n)."""
    return spec["data"]["values"]


def _note(spec: dict) -> list[str] | None:
    """The cells' note (the chart's title), or None."""
    return spec["title"]["text"] if "title" in spec else None


def test_many_communities_are_drawn_as_cells_with_exact_counts(demo_db):
    from sanqu.areas import communities as cm
    from sanqu.figures import vega_community

    ctx = Context(Scope.city(), demo_db.periods()[-1])
    points = cm.size_points(demo_db, ctx)
    one_by_one = vega_community.level_size_scatter(points, cm.UPGRADE_MEMBERS)
    assert len(_marks(one_by_one)) == len(points) == 2967
    cells = cm.size_cells(demo_db, ctx)
    spec = vega_community.level_size_scatter(cells, cm.UPGRADE_MEMBERS)
    rows = _marks(spec)
    assert len(rows) < len(points)  # fewer markers than communities
    assert {r["level"] for r in rows} == set(points["level"])
    for lv in set(points["level"]):  # per level, the cells' counts add up to that level's communities
        level, mine = points[points["level"] == lv], [r for r in rows if r["level"] == lv]
        assert sum(r["n"] for r in mine) == len(level)
        assert sum(r["cand"] for r in mine) == int(level["candidate"].sum())


def test_cells_are_few_and_each_of_similar_size(demo_db):
    """The city's cells: at most half of MAX_SCATTER circles for the browser to draw (the demo's
    2,967 communities in 415), each of the communities of one level within a tenth of a decade of
    households and ten members (its count, mean size and candidates as the rows give them)."""
    import numpy as np

    from sanqu.areas import communities as cm
    from sanqu.figures import vega_community

    ctx = Context(Scope.city(), demo_db.periods()[-1])
    cells = cm.size_cells(demo_db, ctx)
    assert len(cells) <= vega_community.MAX_SCATTER // 2
    points = cm.size_points(demo_db, ctx)
    points["hx"] = np.round(np.log10(points["households"].clip(lower=1)) * 10)
    points["my"] = points["members"] // 10
    by_hand = points.groupby(["level", "hx", "my"]).agg(
        n=("members", "size"), x=("households", "mean"), y=("members", "mean"), cand=("candidate", "sum")
    )
    got = cells.set_index(["level", "hx", "my"]).sort_index()
    assert len(got) == len(by_hand)
    pd.testing.assert_frame_equal(
        got[["n", "x", "y", "cand"]], by_hand.sort_index().astype({"cand": "int64"}), check_dtype=False
    )


def test_the_page_draws_cells_past_max_scatter(demo_db, monkeypatch):
    from sanqu.areas.zones import ALL
    from sanqu.figures import community_page, vega_community

    ctx = Context(Scope.city(), demo_db.periods()[-1])
    spec = community_page.figures(demo_db, ctx, ALL, ALL, demo_db.periods()[-2]).scatter
    assert sum(r["n"] for r in _marks(spec)) == 2967
    assert _note(spec) == ["共 2,967 个村（社区），超过 1,000 个：", "按户数和党员数分格聚合，圆点面积为个数"]
    one = Context(Scope.of("360827"), demo_db.periods()[-1])  # the district with the most: 354
    spec = community_page.figures(demo_db, one, ALL, ALL, demo_db.periods()[-2]).scatter
    assert len(_marks(spec)) == 354 and _note(spec) is None  # one by one
    monkeypatch.setattr(vega_community, "MAX_SCATTER", 300)
    spec = community_page.figures(demo_db, one, ALL, ALL, demo_db.periods()[-2]).scatter
    assert sum(r["n"] for r in _marks(spec)) == 354
    assert _note(spec) == ["共 354 个村（社区），超过 300 个：", "按户数和党员数分格聚合，圆点面积为个数"]

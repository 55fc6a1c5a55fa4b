"""The statistics of the zone pages against tests/tiny_zones.py's hand-computed figures."""

import io
import json
import math

import openpyxl
import pandas as pd
import pytest

from sanqu.areas import communities as cm
from sanqu.areas import park_groups, park_tree, parks, zones
from sanqu.areas import scenic as sc
from sanqu.context import Context
from sanqu.figures import park_page, vega_tree
from sanqu.metrics import coverage
from sanqu.reports.export import to_excel
from sanqu.scope import Scope
from sanqu.storage import park_rollups
from tests import stores
from tests import tiny_zones as tz
from tests.tiny import PA, PB, A, B

CITY = Scope.city()
TREE = parks.tree
Q3, Q2, YEAR_AGO = "2026Q3", "2026Q2", "2025Q3"
E = tz.E


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from stores.opened(tmp_path_factory.mktemp("tiny-zones"), tz.rows())


def _km(lon1, lat1, lon2, lat2) -> float:
    """Haversine, written out independently of sanqu.areas.zones."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# ------------------------------------------------------------------ parks


def test_park_counts_city(db):
    c = parks.counts(parks.status(db, Context(CITY, Q3)))
    assert (c["denominator"], c["own"], c["joint"], c["covered"], c["gaps"], c["work"]) == (7, 2, 3, 5, 2, 6)
    assert (c["should_build"], c["instructor"], c["above"], c["above_covered"], c["due"], c["due_own"]) == (
        2,
        1,
        3,
        2,
        4,
        2,
    )
    assert (c["joint_企企合建"], c["joint_村企共建"], c["joint_企会联建"]) == (2, 0, 1)
    before = parks.counts(parks.status(db, Context(CITY, Q2)))
    assert (before["denominator"], before["covered"], before["gaps"]) == (8, 4, 4)


def test_park_counts_agree_with_the_coverage_engine(db):
    for period in db.periods():
        engine = coverage.coverage(db, Context(CITY, period), "park").iloc[0]
        mine = parks.counts(parks.status(db, Context(CITY, period)))
        for col in ("denominator", "own", "joint", "covered", "work", "instructor", "should_build"):
            assert mine[col] == engine[col], (period, col)


def test_park_kpis_with_previous_quarter_and_year_before(db):
    trend = parks.trend(db, Context(CITY, "2026Q3"))
    assert trend["period"].tolist() == ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    k = {x.indicator.key: x for x in zones.kpis(trend, Q3, parks.INDICATORS)}
    org = k["park_org"]
    assert (org.numerator, org.denominator) == (5, 7)
    assert org.previous == pytest.approx(4 / 8) and org.year_ago == pytest.approx(4 / 8)
    assert org.change == pytest.approx((5 / 7 - 0.5) * 100)
    assert (k["park_above_org"].numerator, k["park_above_org"].denominator) == (2, 3)
    assert (k["park_due_own"].numerator, k["park_due_own"].denominator) == (2, 4)
    assert (k["park_instructor"].numerator, k["park_instructor"].denominator) == (1, 7)
    gaps = zones.count_kpi(trend, "gaps", Q3, "空白点企业", " 家", "", db.periods())
    assert (gaps.value, gaps.previous, gaps.year_ago) == (2, 4, 4)
    assert gaps.change == pytest.approx(-50.0)


def test_joint_org_spanning_two_parks_covers_an_enterprise_in_each(db):
    bp = parks.by_park(db, Context(CITY, Q3)).set_index("park_id")
    assert bp.loc[PA, ["denominator", "own", "joint", "gaps"]].tolist() == [4, 1, 2, 1]
    assert bp.loc[PB, ["denominator", "own", "joint", "gaps"]].tolist() == [3, 1, 1, 1]
    lst = parks.enterprise_list(db, Context(CITY, Q3)).set_index("entity_id")
    assert lst.loc[E[2], "org_id"] == lst.loc[E[3], "org_id"] == tz.J1
    assert lst.loc[E[2], "park_id"] == PA and lst.loc[E[3], "park_id"] == PB
    # B alone: its enterprise E3 is covered by A's joint branch
    b = parks.counts(parks.status(db, Context(Scope.of(B), Q3)))
    assert (b["denominator"], b["covered"], b["joint"]) == (3, 2, 1)


def test_gap_list_puts_the_uncovered_above_scale_enterprise_first_with_its_nearest_joint_org(db):
    gaps = parks.select(parks.enterprise_list(db, Context(CITY, Q3)), "gaps")
    assert gaps["entity_id"].tolist() == [E[4], E[5]]
    e4, e5 = gaps.iloc[0], gaps.iloc[1]
    assert e4["scale"] == "规上" and e4["should_build"] and e4["instructor"]
    assert e4["nearest_org"] == tz.J1 and e4["nearest_form"] == "企企合建"
    assert e4["nearest_km"] == pytest.approx(_km(115.3, 27.6, 115.31, 27.6), abs=0.01)
    assert not e4["exact"]  # E4 has no surveyed point: it stands at its township's
    assert e5["nearest_org"] == tz.J2 and e5["nearest_form"] == "企会联建"
    assert e5["nearest_km"] == pytest.approx(_km(115.12, 27.21, 115.121, 27.21), abs=0.01)


def test_nearest_joint_org_is_one_active_at_the_quarter(db):
    gaps = parks.select(parks.enterprise_list(db, Context(CITY, Q2)), "gaps").set_index("entity_id")
    assert gaps.index.tolist() == [E[4], E[5], E[7], E[8]]
    assert gaps.loc[E[5], "nearest_org"] == tz.J1  # J2 founded 2026-08-01
    assert gaps.loc[E[5], "nearest_km"] == pytest.approx(_km(115.12, 27.21, 115.10, 27.20), abs=0.01)


def test_gap_list_of_one_district(db):
    gaps = parks.select(parks.enterprise_list(db, Context(Scope.of(B), Q3)), "gaps")
    assert gaps["entity_id"].tolist() == [E[4]]
    assert gaps["nearest_org"].tolist() == [tz.J1]


def test_list_view_has_chinese_headers_and_exports_every_row(db):
    rows = parks.list_view(parks.select(parks.enterprise_list(db, Context(CITY, Q3)), "gaps"))
    assert list(rows.columns[:4]) == ["企业编号", "企业名称", "区县", "园区"]
    assert rows["覆盖状态"].tolist() == ["未覆盖", "未覆盖"]
    assert rows["应建未建"].tolist() == ["是", "否"]
    every = parks.list_view(parks.enterprise_list(db, Context(CITY, Q3))).set_index("企业编号")
    assert every.loc[[E[4], E[5]], "位置"].tolist() == ["按乡镇估计", "实测"]  # E4: its township's point
    assert set(every.drop(index=[E[4], E[5]])["位置"]) == {""}  # covered: no nearest joint organisation sought
    shown = zones.drop_empty(rows)
    assert "所在党组织" not in shown.columns and len(shown) == 2
    wb = openpyxl.load_workbook(io.BytesIO(to_excel(shown, "清单", {"行数": "2"})))
    assert wb["清单"].max_row - 1 == 2
    assert [c.value for c in wb["清单"][1]][:2] == ["企业编号", "企业名称"]


def test_every_park_kpi_list_has_as_many_rows_as_its_numerator(db):
    lst = parks.enterprise_list(db, Context(CITY, Q3))
    k = zones.kpis(parks.trend(db, Context(CITY, "2026Q3")), Q3, parks.INDICATORS)
    for x in k:
        assert len(parks.select(lst, parks.KPI_LIST[x.indicator.key])) == x.numerator, x.indicator.key
    assert len(parks.select(lst, "should_build")) == 2
    assert len(parks.select(lst, "all")) == 7


def test_joint_forms_scale_and_ownership(db):
    st = parks.status(db, Context(CITY, Q3))
    assert dict(zip(*parks.joint_forms(st)[["form", "count"]].T.values)) == {
        "企企合建": 2,
        "村企共建": 0,
        "企会联建": 1,
    }
    sc_ = parks.by_scale(st).set_index("scale")
    assert sc_.loc["规上", ["denominator", "covered"]].tolist() == [3, 2]
    assert sc_.loc["规下", ["denominator", "covered"]].tolist() == [4, 3]
    own = parks.by_ownership(db, Context(CITY, Q3)).set_index("kind")
    assert own.loc["非公有制", ["denominator", "covered"]].tolist() == [7, 5]
    assert own.loc["国有、集体", ["denominator", "own"]].tolist() == [1, 1]


def test_filters_by_park_scale_and_industry(db):
    assert sorted(parks.status(db, Context(CITY, Q3), park=PB)["entity_id"]) == [E[3], E[4], E[9]]
    assert sorted(parks.status(db, Context(CITY, Q3), scale="规上")["entity_id"]) == [E[1], E[4], E[9]]
    assert parks.status(db, Context(CITY, Q3), industry="新材料")["entity_id"].tolist() == [E[9]]
    t = parks.trend(db, Context(CITY, "2026Q3"), park=PB)
    assert t.set_index("period").loc[Q3, ["denominator", "covered"]].tolist() == [3, 2]
    assert parks.industries(db, Context(CITY, "2026Q3")) == ["新材料", "电子信息"]


@pytest.mark.parametrize(
    "period, choice",
    [
        (Q3, ("all", "all", "all")),
        (Q3, (PB, "all", "all")),
        (Q3, ("all", "规上", "all")),
        (Q2, ("all", "all", "新材料")),
        ("2025Q2", ("all", "all", "all")),  # a quarter the store does not hold: from the status rows
    ],
)
def test_page_counts_in_the_store_are_those_of_the_status_rows(db, period, choice):
    ctx = Context(CITY, period)
    st = parks.status(db, ctx, *choice)
    t = parks.totals(db, ctx, *choice)
    assert {k: t[k] for k in parks.COUNT_COLUMNS} == parks.counts(st)
    assert [t["headcount"], t["members"]] == [st["headcount"].sum(), st["members"].sum()]
    pd.testing.assert_frame_equal(parks.instructors_of(t), parks.instructors(st))
    pd.testing.assert_frame_equal(parks.scales(db, ctx, *choice), parks.by_scale(st))
    pd.testing.assert_frame_equal(parks.by_category(db, ctx, *choice), parks.grouped(st, "category"))
    every = parks.narrow(coverage.entity_status(db, ctx, "park", every=True), *choice)
    pd.testing.assert_frame_equal(parks.by_ownership(db, ctx, *choice), parks.ownership_rows(every))


@pytest.mark.parametrize("scope", [CITY, Scope((A,)), Scope((B,))], ids=["city", "A", "B"])
@pytest.mark.parametrize(
    "period, choice",
    [
        (Q3, ("all", "all", "all")),
        (Q3, (PA, "all", "all")),  # in district B's scope: a park outside it, every table empty
        (Q3, (PB, "规上", "all")),
        (Q2, ("all", "规下", "新材料")),
        (Q3, ("no-such-park", "all", "all")),
        ("2025Q2", ("all", "all", "all")),  # a quarter the store does not hold: from the status rows
    ],
)
def test_park_groups_of_one_query_are_the_tables_of_each(db, scope, period, choice):
    ctx = Context(scope, period)
    park, scale, industry = choice
    g = park_groups.groups(db, ctx, *choice)
    assert g.totals == parks.totals(db, ctx, *choice)
    pd.testing.assert_frame_equal(g.by_park, parks.by_park(db, ctx, scale, industry))
    pd.testing.assert_frame_equal(g.by_district, parks.by_district(db, ctx, *choice))
    pd.testing.assert_frame_equal(g.by_category, parks.by_category(db, ctx, *choice))
    pd.testing.assert_frame_equal(g.scales, parks.scales(db, ctx, *choice))
    pd.testing.assert_frame_equal(g.trend, parks.trend(db, ctx, *choice))
    pd.testing.assert_frame_equal(g.by_ownership, parks.by_ownership(db, ctx, *choice))
    if (scope, period, choice) == (CITY, Q3, ("all", "all", "all")):  # tiny_zones by hand (as above)
        assert g.totals["denominator"] == 7 and g.totals["covered"] == 5
        bp = g.by_park.set_index("park_id")
        assert bp.loc[[PA, PB], "denominator"].tolist() == [4, 3]
        assert g.by_district.set_index("district").loc[B, ["denominator", "covered", "joint"]].tolist() == [3, 2, 1]
        assert g.scales.set_index("scale").loc["规上", ["denominator", "covered"]].tolist() == [3, 2]


@pytest.mark.parametrize("period", [Q3, Q2, "2025Q2"])
@pytest.mark.parametrize("choice", [("all", "all", "all"), (PA, "all", "all"), ("all", "规下", "all")])
def test_a_list_picked_by_the_store_has_the_rows_of_the_whole_table(db, period, choice):
    ctx = Context(CITY, period)
    whole = parks.enterprise_list(db, ctx, *choice)
    for key in parks.LIST_SQL:
        picked = parks.enterprise_list(db, ctx, *choice, only=key)
        expected = parks.select(whole, key)
        assert picked.columns.tolist() == expected.columns.tolist()
        assert _plain(picked) == _plain(expected), key
    assert len(parks.select(whole, "gaps")) > 0 or period == "2025Q2"


def _plain(df: pd.DataFrame) -> list[list]:
    """The rows' values, a missing value as None (an all-empty column is typed by where it comes from)."""
    return [[None if pd.isna(v) else v for v in row] for row in df.astype(object).itertuples(index=False)]


def test_instructors(db):
    ins = parks.instructors(parks.status(db, Context(CITY, Q3))).set_index("key")
    assert ins.loc["covered", ["with_instructor", "without_instructor"]].tolist() == [0, 5]
    assert ins.loc["gaps", ["with_instructor", "without_instructor"]].tolist() == [1, 1]
    lst = parks.enterprise_list(db, Context(CITY, Q3))
    assert parks.select(lst, "gaps_instructor")["entity_id"].tolist() == [E[4]]
    assert parks.select(lst, "gaps_no_instructor")["entity_id"].tolist() == [E[5]]
    src = parks.instructor_sources(db, Context(CITY, Q3))
    assert src.to_dict("records") == [{"source": "机关干部", "count": 1}]


def test_organisation_tree_totals(db):
    t = parks.tree(db, Context(CITY, Q3)).set_index("org_id")
    assert t.loc["root", ["enterprises", "members"]].tolist() == [6, 18]
    assert t.loc[tz.GA, ["enterprises", "members"]].tolist() == [5, 12]
    assert t.loc[tz.ZA, "parent"] == tz.GA and t.loc[tz.J1, "parent"] == tz.ZA
    assert t.loc[tz.J1, "enterprises"] == 2  # E2 in PA and E3 in PB
    assert t.loc[tz.GB, ["enterprises", "members"]].tolist() == [1, 6]
    levels = parks.tree_levels(parks.tree(db, Context(CITY, Q3))).set_index("level")
    assert levels["orgs"].to_dict() == {"党工委": 2, "党总支": 2, "党支部": 5}
    earlier = parks.tree(db, Context(CITY, Q2)).set_index("org_id")
    assert tz.J2 not in earlier.index and earlier.loc[tz.GA, "enterprises"] == 4


def test_park_tree_is_its_own_党工委_subtree(db):
    pb = parks.tree(db, Context(CITY, Q3), park=PB)
    assert set(pb["org_id"]) == {"root", tz.GB, tz.ZB, tz.E9_ORG}
    pa = parks.tree(db, Context(CITY, Q3), park=PA).set_index("org_id")
    assert pa.loc["root", "enterprises"] == 5 and pa.loc[tz.GA, "parent"] == "root"
    one = parks.tree(db, Context(Scope.of(B), Q3)).set_index("org_id")
    assert one.loc["root", "enterprises"] == 1


def test_tree_drawn_folds_its_lowest_levels_above_the_cap(db):
    t = parks.tree(db, Context(CITY, Q3))  # root, 2 党工委, 2 党总支, 5 党支部
    shown, note = park_page.drawn(t)
    assert shown is t and note is None  # under the cap: every box, no note
    trees = {node: park_page.tree(db, Context(CITY, Q3), "all", "全市", node) for node in ("root", tz.GA, tz.GB)}
    assert all("title" not in tf.figure for tf in trees.values())
    # three levels at a time: from the root its 党工委 and 党总支, from each 党工委 its 党支部 too
    drawn_ids = [{r["id"] for r in tf.figure["data"]["values"]} for tf in trees.values()]
    assert [len(d) for d in drawn_ids] == [5, 6, 3] and set.union(*drawn_ids) == set(t["org_id"])  # all 10 boxes
    shown, note = park_page.drawn(t, limit=9)
    assert set(shown["level"]) == {"", "党工委", "党总支"}
    assert shown.set_index("org_id").loc[tz.GA, "enterprises"] == 5  # still its whole subtree
    assert note is not None and "只画到党总支" in note and "5 个党支部" in note
    shown, note = park_page.drawn(t, limit=4)
    assert shown["org_id"].tolist() == ["root", tz.GA, tz.GB]
    assert note is not None and "只画到党工委" in note and "5 个党支部、2 个党总支" in note
    spec = vega_tree.org_tree(shown, "全市", note=note)
    assert "".join(spec["title"]["text"]) == note
    assert [r["enterprises"] for r in spec["data"]["values"]] == [6, 5, 1]


def test_tree_page_drills_into_the_node_a_click_chose(db, monkeypatch):
    """park_page.tree from a node and park_page.drilled: the path down to it (the root named by
    the page) and the node a click on a box draws next."""
    city = Context(CITY, Q3)
    top = park_page.tree(db, city, "all", "全市")
    assert top.path == (("root", "全市"),) and (top.enterprises, top.members) == (6, 18)
    assert park_page.drilled(top, tz.GA) == tz.GA and park_page.drilled(top, tz.ZA) == tz.ZA
    assert park_page.drilled(top, "root") == "root" and park_page.drilled(top, "unknown") == "root"
    ga = park_page.tree(db, city, "all", "全市", tz.GA)
    assert ga.path == (("root", "全市"), (tz.GA, "吉水县工业园区党工委"))
    assert (ga.enterprises, ga.members) == (6, 18)  # the totals beside the chart stay the scope's
    assert ga.levels.equals(top.levels)
    assert park_page.drilled(ga, tz.J1) == tz.ZA  # a 党支部 (no children): its 党总支
    assert park_page.drilled(ga, tz.GA) == "root"  # the frame: one level up
    za = park_page.tree(db, city, "all", "全市", tz.ZA)
    assert [r["id"] for r in za.figure["data"]["values"]][:1] == [tz.ZA] and za.path[-1][0] == tz.ZA
    assert park_page.drilled(za, tz.J1) == tz.ZA and park_page.drilled(za, tz.ZA) == tz.GA
    gone = park_page.tree(db, city, "all", "全市", "DZ000000-99999")  # not in the tree: its root
    assert gone.path == top.path and gone.figure == top.figure
    monkeypatch.setattr(park_page, "MAX_TREE_BOXES", 4)  # folded to the 党工委: no 党总支 to draw from
    folded = park_page.tree(db, city, "all", "全市", tz.ZA)
    assert folded.path == top.path and [r["id"] for r in folded.figure["data"]["values"]] == ["root", tz.GA, tz.GB]
    assert folded.clicks == {}  # the 党工委 have nothing below them to draw


def test_kpis_and_sparklines_of_a_trend_table():
    """zones.kpis and zones.history read a per-quarter table of counts: rate, 环比, 同比 and the
    sparkline up to the quarter (0 where nothing is counted), hand-computed."""
    ind = parks.INDICATORS[0]
    trend = pd.DataFrame(
        {
            "period": ["2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"],
            ind.numerator: [1, 0, 2, 1, 5],
            ind.denominator: [3, 0, 3, 8, 8],
            parks.INDICATORS[1].numerator: [0, 0, 1, 1, 2],
        }
    )
    assert zones.history(trend, ind, "2026Q2") == [33.3, 0.0, 66.7, 12.5, 62.5]
    assert zones.history(trend, ind, "2025Q4") == [33.3, 0.0, 66.7]
    assert zones.history(trend, ind, "2024Q4") == []
    (k,) = zones.kpis(trend, "2026Q2", [ind])
    assert (k.numerator, k.denominator, k.rate) == (5, 8, 0.625)  # rates as fractions
    assert k.previous == 0.125 and k.year_ago == pytest.approx(1 / 3)
    long = zones.rate_trend(trend, [ind, parks.INDICATORS[1]])
    assert len(long) == 10 and long["key"].tolist()[:5] == [ind.key] * 5
    assert long["numerator"].tolist()[:5] == [1, 0, 2, 1, 5] and math.isnan(long["rate"][1])
    assert long["rate"][[0, 2, 3, 4]].tolist() == pytest.approx([1 / 3, 2 / 3, 0.125, 0.625])
    assert long["rate"][5:].tolist()[2:] == pytest.approx([1 / 3, 0.125, 0.25])
    assert zones.rate_trend(trend, []).empty
    (k,) = zones.kpis(trend, "2026Q3", [ind])  # a quarter the table does not hold
    assert (k.numerator, k.denominator, k.rate) == (0, 0, None) and k.previous == 0.625


def test_folded_tree_is_the_tree_drawn(db):
    """The store's roll-up and fold (park_tree) gives the rows, levels and note that pandas' roll-up
    (parks.tree) and park_page.drawn give, at every cap; the hand-counted tree: root, 2 党工委,
    2 党总支, 5 党支部 (10 boxes)."""
    for ctx in (Context(CITY, Q3), Context(CITY, Q2), Context(Scope.of(B), Q3), Context(Scope.of(A), Q3)):
        t = parks.tree(db, ctx)
        for limit in (2000, 10, 9, 6, 5, 4, 3, 1):
            got = park_tree.folded_tree(db, ctx, limit)
            assert got is not None
            shown, note = park_page.drawn(t, limit)
            pd.testing.assert_frame_equal(got.rows, shown.reset_index(drop=True), check_dtype=False)
            pd.testing.assert_frame_equal(got.levels, parks.tree_levels(t), check_dtype=False)
            assert park_page._note(got.folded) == note
    city = Context(CITY, Q3)
    assert park_tree.folded_tree(db, city, 10).folded == ()
    assert park_tree.folded_tree(db, city, 9).folded == (("党支部", 5),)
    four = park_tree.folded_tree(db, city, 4)
    assert four.folded == (("党支部", 5), ("党总支", 2))
    assert four.rows[["org_id", "enterprises", "members"]].values.tolist() == [
        ["root", 6, 18],
        [tz.GA, 5, 12],
        [tz.GB, 1, 6],
    ]
    assert four.levels.values.tolist() == parks.tree_levels(parks.tree(db, city)).values.tolist()


def test_tree_page_folds_in_the_store_only_above_the_cap(db, monkeypatch):
    """park_page.tree: a whole scope whose subtrees the store holds (its quarter, the whole store or
    one district) is folded from them at any size (parks.tree not called); computed live, one with
    more organisations than the cap is rolled up by the store, a smaller one by pandas; a path as
    long as MAX_DEPTH is taken for a cycle (the import refuses real ones) and rolled up by pandas,
    stored or live. The same figure each way."""
    city = Context(CITY, Q3)
    t = parks.tree(db, city)

    def expected(limit: int) -> str:
        shown, note = park_page.drawn(t, limit)
        return json.dumps(vega_tree.org_tree(shown, "全市", note=note), allow_nan=False)

    def drawn(*args) -> str:
        return json.dumps(park_page.tree(*args).figure, allow_nan=False)

    calls = []
    monkeypatch.setattr(parks, "tree", lambda *a: calls.append(a) or TREE(*a))
    assert park_rollups.rolled_key(db, city) == park_rollups.WHOLE
    assert drawn(db, city, "all", "全市") == expected(2000) and calls == []
    stored = park_rollups.rolled_key
    monkeypatch.setattr(park_rollups, "rolled_key", lambda *_: None)  # live
    assert drawn(db, city, "all", "全市") == expected(2000) and len(calls) == 1
    monkeypatch.setattr(park_page, "MAX_TREE_BOXES", 9)  # 10 boxes: above the cap
    assert drawn(db, city, "all", "全市") == expected(9) and len(calls) == 1
    monkeypatch.setattr(park_rollups, "MAX_DEPTH", 2)  # GA → ZA → J1 is two steps up
    assert park_tree.folded_tree(db, city, 9) is None
    assert drawn(db, city, "all", "全市") == expected(9) and len(calls) == 2
    monkeypatch.setattr(park_rollups, "rolled_key", stored)
    assert park_tree.folded_tree(db, city, 9) is None
    assert drawn(db, city, "all", "全市") == expected(9) and len(calls) == 3


def _rolled_both_ways(db, monkeypatch) -> int:
    """For every quarter of the store and every scope it keeps rolled up (the whole store, each
    district): the folded tree and the nearest joint organisations of every enterprise from the
    stored rows equal the live ones. The number of scopes compared."""
    districts = db.meta()["rolled_districts"].split(",")
    stored_key = park_rollups.rolled_key
    n = 0
    for period in db.periods():
        for scope in (Scope.of(*districts), *(Scope.of(d) for d in districts)):
            ctx = Context(scope, period)
            assert stored_key(db, ctx) == (park_rollups.WHOLE if len(scope.counties) > 1 else scope.counties[0])
            pts = db.query(
                "SELECT entity_id, lon AS plon, lat AS plat, exact FROM locations"
                " WHERE entity_type = 'enterprise' AND list_contains($scope, district) ORDER BY entity_id",
                scope,
            )
            got = (park_tree.folded_tree(db, ctx, 5), parks.nearest_joint(db, ctx, pts))
            monkeypatch.setattr(park_rollups, "rolled_key", lambda *_: None)
            want = (park_tree.folded_tree(db, ctx, 5), parks.nearest_joint(db, ctx, pts))
            monkeypatch.setattr(park_rollups, "rolled_key", stored_key)
            for a, b in ((got[0].rows, want[0].rows), (got[0].levels, want[0].levels), (got[1], want[1])):
                pd.testing.assert_frame_equal(a, b)
            assert got[0].folded == want[0].folded
            n += 1
    return n


def test_rolled_up_tree_and_places_are_the_live_ones(db, monkeypatch):
    """The store's rolled-up tree and joint places (park_rollups) are what the live SQL gives, at
    every quarter, for the whole store and each district; a township, a scope of some districts or
    a quarter the store does not hold are computed live."""
    assert _rolled_both_ways(db, monkeypatch) == len(db.periods()) * 3
    assert park_rollups.rolled_key(db, Context(Scope.of(A, B, "360803"), Q3)) == park_rollups.WHOLE
    assert park_rollups.rolled_key(db, Context(Scope.of(A), "2020Q1")) is None
    assert park_rollups.rolled_key(db, Context(Scope.unit(PA), Q3)) is None


def test_rolled_up_tree_and_places_of_the_demo(demo_db, monkeypatch):
    """The same on the demo: 13 districts, 8 quarters."""
    assert _rolled_both_ways(demo_db, monkeypatch) == 8 * 14


# ------------------------------------------------------------------ communities


def test_community_counts(db):
    c = cm.trend(db, Context(CITY, Q3)).set_index("period").loc[Q3]
    assert (c["communities"], c["quarters"], c["quarters_cov"], c["buildings"], c["buildings_group"]) == (
        6,
        37,
        24,
        190,
        100,
    )
    assert (c["two_new"], c["two_new_cov"], c["denominator"], c["covered"]) == (36, 25, 73, 49)
    assert (c["village_quarters"], c["village_quarters_cov"]) == (17, 8)
    assert (c["big"], c["big_ok"], c["candidates"], c["star_good"]) == (3, 1, 2, 4)
    assert (c["level_党委"], c["level_党总支"], c["level_党支部"], c["level_未建"]) == (0, 1, 4, 1)
    engine = coverage.coverage(db, Context(CITY, Q3), "community").iloc[0]
    assert (engine["denominator"], engine["covered"], engine["work"]) == (c["denominator"], c["covered"], c["work"])


def test_upgrade_candidates_by_members_and_by_area(db):
    st = cm.status(db, Context(CITY, Q3)).set_index("community_id")
    assert st.loc[tz.C2, "level"] == "未建"  # the 景居联建 branch covering it is not its own
    assert st.loc[tz.C5, "level"] == "党总支" and st.loc[tz.C5, "big"] and not st.loc[tz.C5, "candidate"]
    assert not st.loc[tz.C6, "big"]  # 25 km² but only 40 members
    cands = cm.select(cm.status(db, Context(CITY, Q3)), "upgrade")
    assert cands["community_id"].tolist() == [tz.C3, tz.C4]  # 150 members, then 60 members on 25 km²
    view = cm.list_view(cm.star_changes(db, Context(CITY, Q3), Q2).pipe(cm.select, "upgrade"))
    assert view["升格候选"].tolist() == ["是", "是"] and view["组织层级"].tolist() == ["党支部", "党支部"]
    town = cm.select(cm.status(db, Context(CITY, Q3), town=PB), "upgrade")
    assert town["community_id"].tolist() == [tz.C4]


def test_level_table(db):
    lv = cm.levels(db, Context(CITY, Q3)).set_index("level")
    assert lv["communities"].to_dict() == {"党总支": 1, "党支部": 4, "未建": 1}
    assert lv.loc["党支部", "members_median"] == 50  # C1 40, C6 40, C4 60, C3 150
    assert lv.loc["党支部", "candidates"] == 2


def test_grid_coverage_urban_and_rural(db):
    g = cm.grid(cm.parts(db, Context(CITY, Q3))).set_index(["kind", "unit"])
    # urban C1 C3 C5: quarters 4+10+6 covered 2+8+6; rural C2 C4 C6: 4+8+5 covered 2+6+0
    assert g.loc[("城市社区", "小区（村落）"), ["numerator", "denominator"]].tolist() == [16, 20]
    assert g.loc[("农村社区", "小区（村落）"), ["numerator", "denominator"]].tolist() == [8, 17]
    assert g.loc[("合计", "两新组织"), ["numerator", "denominator"]].tolist() == [25, 36]
    assert g.loc[("城市社区", "楼栋（村民小组）"), "rate"] == pytest.approx((2 + 40 + 50) / (10 + 100 + 50))
    # the same quarter's counts by district and by township add up to the city's
    parts, whole = cm.parts(db, Context(CITY, Q3)), cm.trend(db, Context(CITY, Q3)).set_index("period").loc[Q3]
    for areas in (cm.by_district(parts), cm.by_township(parts)):
        assert areas[list(cm.COUNT_COLUMNS)].sum().tolist() == whole[list(cm.COUNT_COLUMNS)].tolist()


def test_community_kpis_and_trend(db):
    trend = cm.trend(db, Context(CITY, "2026Q3"))
    k = {x.indicator.key: x for x in zones.kpis(trend, Q3, cm.INDICATORS)}
    stars = k["community_stars"]
    assert (stars.numerator, stars.denominator) == (4, 6)
    assert stars.previous == pytest.approx(5 / 6) and stars.year_ago == pytest.approx(2 / 6)
    assert (k["community_level_ok"].numerator, k["community_level_ok"].denominator) == (1, 3)
    assert (k["community_village"].numerator, k["community_village"].denominator) == (8, 17)
    assert k["community_village"].year_ago == pytest.approx(6 / 17)
    # quarters without statistics have no rate rather than a zero
    assert zones.kpis(trend, "2026Q1", cm.INDICATORS)[0].rate is None


@pytest.mark.parametrize("compare", [Q2, YEAR_AGO])
@pytest.mark.parametrize("choice", [("all", "all"), ("农村社区", "all"), ("城市社区", "all")])
def test_a_community_list_picked_by_the_store_has_the_rows_of_the_whole_table(db, compare, choice):
    ctx = Context(CITY, Q3)
    whole = cm.star_changes(db, ctx, compare, *choice)
    for key in cm.LIST_SQL:
        picked = cm.select(cm.star_changes(db, ctx, compare, *choice, only=key), key)
        expected = cm.select(whole, key)
        assert picked.columns.tolist() == expected.columns.tolist()
        assert _plain(picked) == _plain(expected), key
    assert all(len(cm.select(whole, k)) for k in ("upgrade", "grid_gap")) or choice != ("all", "all")


def test_star_changes_without_names_are_the_same_rows(db):
    whole = cm.star_changes(db, Context(CITY, Q3), Q2)
    bare = cm.star_changes(db, Context(CITY, Q3), Q2, names=False)
    assert {"name", "org_name"} <= set(whole.columns) and not {"name", "org_name"} & set(bare.columns)
    pd.testing.assert_frame_equal(bare, whole.drop(columns=["name", "org_name"]))


def test_star_distribution_and_changes(db):
    d = cm.star_distribution(db, Context(CITY, Q3)).set_index("stars")
    assert d["current"].tolist() == [1, 0, 1, 2, 1, 1]
    assert d["previous"].tolist() == [1, 0, 0, 4, 0, 1]
    assert d["year_ago"].tolist() == [1, 1, 2, 1, 1, 0]
    q = cm.star_changes(db, Context(CITY, Q3), Q2)
    assert cm.star_summary(cm.star_moves(db, Context(CITY, Q3), Q2)) == {"up": 1, "down": 1, "same": 4, "new": 0}
    assert cm.select(q, "star_up")["community_id"].tolist() == [tz.C3]
    assert cm.select(q, "star_down")["community_id"].tolist() == [tz.C4]
    y = cm.star_moves(db, Context(CITY, Q3), YEAR_AGO)
    assert cm.star_summary(y)["up"] == 4
    m = cm.star_matrix(y)
    assert m.loc[1, 2] == 1 and m.loc[2, 4] == 1 and m.to_numpy().sum() == 6
    assert m.index.name == "stars_before" and m.columns.name == "stars" and m.shape == (6, 6)
    assert cm.star_matrix(y.iloc[:0]).to_numpy().sum() == 0  # no moves: every cell 0


@pytest.mark.parametrize("period", [Q3, Q2, "2025Q2"])
@pytest.mark.parametrize("choice", [("all", "all"), ("农村社区", "all"), ("all", "no-such-town")])
def test_community_trend_and_parts_of_one_query_are_each_of_its_own(db, period, choice):
    ctx = Context(CITY, period)
    trend, parts = cm.trend_and_parts(db, ctx, *choice)
    pd.testing.assert_frame_equal(trend, cm.trend(db, ctx, *choice))
    keys = cm.PARTS_KEYS
    alone = cm.parts(db, ctx, *choice).sort_values(keys).reset_index(drop=True)  # in no order of its own
    pd.testing.assert_frame_equal(parts.sort_values(keys).reset_index(drop=True), alone)
    pd.testing.assert_frame_equal(cm.star_distribution_of(trend, period), cm.star_distribution(db, ctx, *choice))


def test_every_community_kpi_list_is_the_rows_behind_it(db):
    q = cm.star_changes(db, Context(CITY, Q3), Q2)
    assert len(cm.select(q, "star_good")) == 4
    assert len(cm.select(q, "upgrade")) == 2
    gaps = cm.select(q, "quarters_gap")
    assert gaps["community_id"].tolist()[0] == tz.C6  # 5 quarters, none covered: the largest shortfall
    assert set(cm.select(q, "village_gap")["kind"]) == {"农村社区"}


# ------------------------------------------------------------------ scenic


def test_coverage_counts_by_hand_a_missing_flag_not_counted():
    """Four entities: own; joint with an instructor; uncovered with an instructor; uncovered, its
    should_build unknown (no member count: NULL in the store) - counted neither way, as a sum skips it."""
    status = pd.DataFrame(
        {
            "covered": [True, True, False, False],
            "own": [True, False, False, False],
            "work": [True, True, True, False],
            "instructor": [False, True, True, False],
            "should_build": pd.array([False, False, True, None], dtype="boolean"),
        }
    )
    assert zones.coverage_counts(status) == {
        "denominator": 4, "own": 1, "joint": 1, "covered": 2, "work": 3, "instructor": 2, "should_build": 1, "gaps": 2,
    }  # fmt: skip
    levels = sc.by_level(
        status.assign(a_level=["5A", "5A", "4A", "未评级"], category=["景区", "景点", "景区", "景区"], joint_form=None)
    )
    assert levels.set_index(["a_level", "kind"]).loc[("5A", "景区"), ["denominator", "own", "gaps"]].tolist() == [
        1,
        1,
        0,
    ]
    assert len(levels) == len(sc.A_LEVELS) * len(sc.KINDS) and levels["denominator"].sum() == 4


def test_scenic_counts_and_levels(db):
    st = sc.status(db, Context(CITY, Q3))
    c = sc.counts(st)
    assert (c["denominator"], c["own"], c["joint"], c["covered"], c["gaps"], c["should_build"]) == (5, 1, 2, 3, 2, 1)
    assert (c["areas"], c["areas_covered"], c["spots"], c["spots_covered"]) == (2, 2, 3, 1)
    lv = sc.by_level(st).set_index(["a_level", "kind"])
    assert lv.loc[("5A", "景点"), ["denominator", "covered", "gaps"]].tolist() == [2, 1, 1]
    assert lv.loc[("未评级", "景点"), ["denominator", "covered"]].tolist() == [1, 0]
    assert lv.loc[("4A", "景区"), "denominator"] == 0
    assert dict(zip(*sc.joint_forms(st)[["form", "count"]].T.values)) == {"景区联建": 1, "景企联建": 0, "景居联建": 1}
    assert sc.counts(sc.status(db, Context(CITY, Q3), a_level="5A", kind="景点"))["denominator"] == 2


def test_scenic_kpis_over_quarters(db):
    trend = sc.trend(db, Context(CITY, "2026Q3"))
    k = {x.indicator.key: x for x in zones.kpis(trend, Q3, sc.INDICATORS + sc.THEME_INDICATORS)}
    org = k["scenic_org"]
    assert (org.numerator, org.denominator) == (3, 5)
    assert org.previous == pytest.approx(3 / 4) and org.year_ago == pytest.approx(2 / 4)
    assert (k["scenic_spot_org"].numerator, k["scenic_spot_org"].denominator) == (1, 3)
    assert (k["scenic_theme_districts"].numerator, k["scenic_theme_districts"].denominator) == (2, 13)
    lead = k["scenic_theme_lead"]
    assert (lead.numerator, lead.denominator, lead.previous) == (30, 40, 1.0)


def test_scenic_list(db):
    lst = sc.scenic_list(db, Context(CITY, Q3))
    gaps = sc.select(lst, "gaps")
    assert gaps["entity_id"].tolist() == ["JQ360822-003", "JQ360823-002"]  # by staff, largest first
    view = sc.list_view(gaps)
    assert view["所属景区"].tolist() == ["青山景区", "绿水村乡村旅游点"]
    assert view["应建未建"].tolist() == ["是", "否"]
    trend = sc.trend(db, Context(CITY, "2026Q3"))
    for x in zones.kpis(trend, Q3, sc.INDICATORS):
        assert len(sc.select(lst, sc.KPI_LIST[x.indicator.key])) == x.numerator, x.indicator.key


def test_trade_organisations(db):
    now = sc.trade_summary(sc.trade_orgs(db, Context(CITY, Q3))).set_index("trade")
    assert now.loc["导游", ["orgs", "members"]].tolist() == [1, 12]
    assert now.loc["宾馆酒店", ["orgs", "members"]].tolist() == [1, 8]
    assert now.loc["商业休闲", "orgs"] == 0  # dissolved 2026-03-31
    assert sc.trade_orgs(db, Context(CITY, YEAR_AGO))["trade"].tolist() == ["商业休闲", "导游"]
    assert sc.trade_view(sc.trade_orgs(db, Context(Scope.of(B), Q3)))["党组织名称"].tolist() == [
        "峡江县宾馆酒店行业联合党支部"
    ]


def test_theme_activity_led_by_jinggangshan(db):
    th = sc.theme(db, Context(CITY, "2026Q3"))
    assert th["count"].sum() == 30 + 24 + 12 + 10  # the other carrier is not counted
    now = sc.theme_by_district(th, Context(CITY, Q3))
    assert now.iloc[0][["district", "count", "participants"]].tolist() == [tz.JGS, 30, 600]
    assert now.iloc[1][["district", "count"]].tolist() == [A, 10]
    assert now.iloc[0]["per_event"] == 20.0
    assert len(now) == 13 and now["count"].iloc[2:].eq(0).all()
    only_a = sc.trend(db, Context(Scope.of(A), "2026Q3")).set_index("period").loc[Q3]
    assert (only_a["theme_count"], only_a["theme_lead_count"], only_a["scope_districts"]) == (10, 0, 1)


# ------------------------------------------------------------------ shared helpers


def test_kpis_without_earlier_quarters_have_no_change():
    t = pd.DataFrame({"period": ["2026Q3"], "n": [3], "d": [4]})
    from sanqu.metrics.indicators import Indicator

    k = zones.kpis(t, "2026Q3", [Indicator("x", "park", "x", "n", "d", "n ÷ d")])[0]
    assert (k.rate, k.previous, k.year_ago, k.change) == (0.75, None, None, None)


def test_haversine_and_counts():
    assert zones.haversine_km(115, 27, 115, 28) == pytest.approx(111.19, abs=0.01)
    c = zones.Count("x", 90, 100, None, "", "")
    assert c.change == pytest.approx(-10.0) and c.change_yoy is None
    assert zones.relative(0.01) == "持平" and zones.relative(12.34) == "+12.3%"


def test_queries_are_limited_to_the_scope(db):
    only_b = Scope.of(B)
    assert set(parks.status(db, Context(only_b, Q3))["district"]) == {B}
    assert set(cm.status(db, Context(only_b, Q3))["district"]) == {B}
    assert set(sc.scenic_list(db, Context(only_b, Q3))["district"]) == {B}
    assert set(parks.parks(db, Context(only_b, "2026Q3"))["park_id"]) == {PB}
    assert set(parks.tree(db, Context(only_b, Q3))["district"]) - {""} == {B}


def test_instructor_sources_of_the_store_are_those_of_the_status_rows(demo_db, monkeypatch):
    """工业园区's instructors per source, counted from the store's `instructor_status`, equal the
    count from the quarter's status rows and the instructors register (a quarter the store does
    not hold), for every quarter, the city and two districts, and a park, scale and industry."""
    stored = {}
    choices = [("all", "all", "all"), ("all", "规上", "all")]
    ctx0 = Context(CITY, demo_db.periods()[-1])
    park = parks.parks(demo_db, ctx0)["park_id"].iloc[0]
    industry = parks.industries(demo_db, ctx0)[0]
    choices += [(park, "all", "all"), ("all", "all", industry)]
    cases = [(Context(s, p), c) for p in demo_db.periods() for s in (CITY, Scope.of(A), Scope.of(B)) for c in choices]
    for ctx, choice in cases:
        stored[ctx, choice] = parks.instructor_sources(demo_db, ctx, *choice)
    monkeypatch.setattr(demo_db, "periods", lambda: [])
    counted = 0
    for ctx, choice in cases:
        live = parks.instructor_sources(demo_db, ctx, *choice)
        pd.testing.assert_frame_equal(stored[ctx, choice], live, check_dtype=False)
        counted += int(live["count"].sum())
    assert counted > 0

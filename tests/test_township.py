"""A township scope on every page of the Ji'an demo: each page runs at ?district=<township> and
shows the township's own figures, recomputed here by hand from the register files (plain pandas
on the CSVs, not through the code under test). Registers without a township column are read at
the county and say so."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sanqu.context import Context, county_note
from sanqu.scope import Scope
from sanqu.storage.db import Database, TownshipUnsupported
from tests import oracle

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TODAY = dt.date(2026, 11, 26)
ASOF = "2026-09-30"  # the last day of the store's latest quarter, 2026Q3, the pages' default
PARK_TOWN = "360821401"  # 井冈山经济技术开发区 (吉安县): enterprises, a community, demo sites, contact points
SCENIC_TOWN = "360803100"  # a township of 青原区 with five scenic sites
VIEWS = sorted(p.name for p in (ROOT / "views").glob("*.py") if p.name != "map.py")  # the map: branch drill


@pytest.fixture()
def at_today(demo_dir, monkeypatch):
    monkeypatch.setenv("SANQU_TODAY", TODAY.isoformat())
    return demo_dir


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "registers" / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _covered(folder: Path, ids: pd.Series) -> pd.Series:
    """Which of the unit ids have an organisation covering them at ASOF (link, founding, dissolution)."""
    links = _read(folder, "org_coverage.csv").merge(_read(folder, "party_orgs.csv"), on="党组织编号")
    live = links[
        (links["纳入日期"] <= ASOF)
        & (links["成立日期"] <= ASOF)
        & ((links["撤销日期"] == "") | (links["撤销日期"] > ASOF))
    ]
    return ids.isin(live["单位编号"])


def park_count(folder: Path, town: str) -> tuple[int, int]:
    """Covered and to-cover non-public enterprises of the township, operating at ASOF (tests/oracle.py)."""
    e = oracle.enterprises_to_cover(folder / "registers", ASOF)
    e = e[e["乡镇街道代码"] == town]
    return int(oracle.covered(e, folder / "registers", ASOF).sum()), len(e)


def scenic_count(folder: Path, town: str) -> tuple[int, int]:
    s = _read(folder, "scenic_sites.csv")
    s = s[(s["乡镇街道代码"] == town) & (s["开放日期"] <= ASOF)]
    return int(_covered(folder, s["景区编号"]).sum()), len(s)


def community_count(folder: Path, town: str) -> tuple[int, int]:
    """Covered (own + joint) and all grid units (小区 + 两新组织) of the township's communities in 2026Q3."""
    c = _read(folder, "communities.csv")
    s = _read(folder, "community_stats.csv")
    s = s[s["村社区代码"].isin(c.loc[c["乡镇街道代码"] == town, "村社区代码"]) & (s["统计季度"] == "2026Q3")]
    n = s[["小区数", "小区单独建支部数", "小区联合建支部数", "两新组织数", "两新单独组建数", "两新联合组建数"]].astype(
        int
    )
    covered = n["小区单独建支部数"] + n["小区联合建支部数"] + n["两新单独组建数"] + n["两新联合组建数"]
    return int(covered.sum()), int((n["小区数"] + n["两新组织数"]).sum())


def _hosts(folder: Path, town: str) -> set[str]:
    """The ids of the township's enterprises, scenic sites and communities."""
    e, s, c = (_read(folder, n) for n in ("enterprises.csv", "scenic_sites.csv", "communities.csv"))
    return (
        set(e.loc[e["乡镇街道代码"] == town, "企业编号"])
        | set(s.loc[s["乡镇街道代码"] == town, "景区编号"])
        | set(c.loc[c["乡镇街道代码"] == town, "村社区代码"])
    )


def site_count(folder: Path, town: str) -> int:
    d = _read(folder, "demo_sites.csv")
    return int((d["依托单位编号"].isin(_hosts(folder, town)) & (d["确定日期"] <= TODAY.isoformat())).sum())


def point_count(folder: Path, town: str) -> int:
    p = _read(folder, "contact_points.csv")
    return int((p["联系单位编号"].isin(_hosts(folder, town)) & (p["建立日期"] <= ASOF)).sum())


def pct(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator * 100:.1f}%"


def _run(view: str, town: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["district"] = town
    at.run()
    if view != "overview.py":
        at.switch_page(f"views/{view}").run()
    return at


def test_the_premise_the_townships_have_what_the_tests_count(demo_data):
    assert park_count(demo_data, PARK_TOWN)[1] > 50 and community_count(demo_data, PARK_TOWN)[1] > 0
    assert site_count(demo_data, PARK_TOWN) >= 2 and point_count(demo_data, PARK_TOWN) >= 3
    assert scenic_count(demo_data, SCENIC_TOWN)[1] >= 3
    # and that a county's figures differ from its township's (else a widened query would pass)
    e = _read(demo_data, "enterprises.csv")
    assert (e["区县代码"] == "360821").sum() > (e["乡镇街道代码"] == PARK_TOWN).sum()


@pytest.mark.parametrize("view", VIEWS)
def test_every_page_runs_at_a_township(at_today, view):
    for town in (PARK_TOWN, SCENIC_TOWN):
        at = _run(view, town)
        assert not at.exception, (view, town, at.exception)
        assert not at.error, (view, town, [e.value for e in at.error])
        assert not [w.value for w in at.warning if "district=" in w.value]  # no fallback to the county
        if at.sidebar.selectbox:
            assert at.sidebar.selectbox(key="district").value == town


def test_overview_kpis_are_the_townships_hand_counts(at_today):
    at = _run("overview.py", PARK_TOWN)
    park, community = park_count(at_today, PARK_TOWN), community_count(at_today, PARK_TOWN)
    assert [m.value for m in at.metric] == [pct(*park), pct(*community), "—"]  # no scenic site there
    captions = " ".join(c.value for c in at.caption)
    assert f"{park[0]:,} / {park[1]:,} 家企业" in captions
    at = _run("overview.py", SCENIC_TOWN)
    assert at.metric[2].value == pct(*scenic_count(at_today, SCENIC_TOWN))


@pytest.mark.parametrize(
    ("view", "town", "label", "expected"),
    [
        ("parks.py", PARK_TOWN, "组织覆盖率", lambda d: pct(*park_count(d, PARK_TOWN))),
        ("communities.py", PARK_TOWN, "组织覆盖率", lambda d: pct(*community_count(d, PARK_TOWN))),
        ("scenic.py", SCENIC_TOWN, "组织覆盖率", lambda d: pct(*scenic_count(d, SCENIC_TOWN))),
        ("sites.py", PARK_TOWN, "示范点", lambda d: f"{site_count(d, PARK_TOWN)} 个"),
        ("mechanisms.py", PARK_TOWN, "联系点", lambda d: f"{point_count(d, PARK_TOWN)} 个"),
    ],
)
def test_each_pages_headline_is_the_townships_hand_count(at_today, view, town, label, expected):
    at = _run(view, town)
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown[label] == expected(at_today)


def test_registers_without_townships_say_they_show_the_county(at_today):
    at = _run("scenic.py", SCENIC_TOWN)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("「行业联合党组织」该台账未登记乡镇：此处为青原区全县数据") for c in captions)
    assert any(c.startswith("「活动载体」该台账未登记乡镇") for c in captions)
    at = _run("scenic.py", "360803")  # at the county itself: no such note
    assert not any("该台账未登记乡镇" in c.value for c in at.caption)


def test_big_screen_briefing_and_export_at_a_township(demo_db, demo_data):
    from sanqu.figures import overview_page
    from sanqu.reports import briefing, screen

    ctx = Context(Scope.parse(PARK_TOWN), "2026Q3", TODAY)
    park, community = park_count(demo_data, PARK_TOWN), community_count(demo_data, PARK_TOWN)
    v = screen.build(demo_db, ctx, "overview")
    assert [p.value for p in v.panels] == [pct(*park), pct(*community), "—"]
    assert v.panels[2].detail == "该乡镇（街道）无旅游景区"
    sites_view = screen.build(demo_db, ctx, "sites")
    assert sites_view.panels[1].detail == f"共 {site_count(demo_data, PARK_TOWN)} 个示范点"
    text = briefing.summary(demo_db, ctx)
    assert f"（{park[0]:,}/{park[1]:,}）" in text.zones["park"]
    assert briefing.build(demo_db, ctx, demo=True).startswith(b"%PDF")
    sheet = overview_page.figures(demo_db, ctx).export_rows
    total = sheet.iloc[0]
    assert (total["工业园区覆盖数"], total["工业园区应覆盖数"]) == park
    assert (total["城乡社区覆盖数"], total["城乡社区应覆盖数"]) == community
    assert list(sheet.columns[:2]) == ["乡镇（街道）代码", "乡镇（街道）"]
    assert sheet.iloc[1:]["乡镇（街道）代码"].tolist() == [PARK_TOWN]


def test_a_query_without_township_is_still_refused(demo_db):
    with pytest.raises(TownshipUnsupported):
        demo_db.query("SELECT * FROM parks WHERE list_contains($scope, district)", Scope.parse(PARK_TOWN))


def test_county_note_only_at_a_township():
    assert county_note(Context(Scope.parse("360803"), "2026Q3", TODAY), "活动载体") is None
    note = county_note(Context(Scope.parse(SCENIC_TOWN), "2026Q3", TODAY), "活动载体")
    assert note is not None and "青原区全县数据" in note


def test_township_sums_add_up_to_the_county(demo_db):
    """Every enterprise to cover lies in exactly one township: the townships' counts add up."""
    from sanqu.metrics.coverage import coverage

    county = Context(Scope.parse("360821"), "2026Q3", TODAY)
    by_town = coverage(demo_db, county, "park", by=("township",))
    total = coverage(demo_db, county, "park").iloc[0]
    assert by_town["denominator"].sum() == total["denominator"] and by_town["covered"].sum() == total["covered"]
    for town in by_town["township"]:
        one = coverage(demo_db, Context(Scope.parse(town), "2026Q3", TODAY), "park").iloc[0]
        row = by_town.set_index("township").loc[town]
        assert (one["covered"], one["denominator"]) == (row["covered"], row["denominator"])


def test_store_keeps_the_township_of_every_location(demo_db: Database):
    df = demo_db.query(
        "SELECT entity_type, count(*) AS n, count(township) AS t FROM locations "
        "WHERE list_contains($scope, district) GROUP BY ALL",
        Scope.city(),
    )
    assert (df["n"] == df["t"]).all() and len(df) == 3


def test_the_lists_behind_the_pages_hold_the_townships_rows_only(demo_db, demo_data):
    """The lists each page shows and exports (enterprises, scenic sites, communities, demo sites,
    contact points, pairings) at a township: exactly the township's units, as counted by hand."""
    from sanqu.areas import communities, parks, scenic
    from sanqu.programmes import mechanisms, sites

    ctx = Context(Scope.parse(PARK_TOWN), "2026Q3", TODAY)
    listed = parks.enterprise_list(demo_db, ctx)
    assert (int(listed["covered"].sum()), len(listed)) == park_count(demo_data, PARK_TOWN)
    assert set(listed["township"]) == {PARK_TOWN}
    c = _read(demo_data, "communities.csv")
    rows = communities.status(demo_db, ctx)
    assert sorted(rows["community_id"]) == sorted(c.loc[c["乡镇街道代码"] == PARK_TOWN, "村社区代码"])
    hosts = _hosts(demo_data, PARK_TOWN)
    table = sites.site_table(demo_db, ctx)
    assert len(table) == site_count(demo_data, PARK_TOWN) and set(table["entity_id"]) <= hosts
    points = mechanisms.contact_points(demo_db, ctx)
    assert len(points) == point_count(demo_data, PARK_TOWN) and set(points["entity_id"]) <= hosts
    paired = mechanisms.pairings(demo_db, ctx)
    coverage = _read(demo_data, "org_coverage.csv")
    assert set(paired["org_id"]) <= set(coverage.loc[coverage["单位编号"].isin(hosts), "党组织编号"])
    town = Context(Scope.parse(SCENIC_TOWN), "2026Q3", TODAY)
    spots = scenic.scenic_list(demo_db, town)
    assert (int(spots["covered"].sum()), len(spots)) == scenic_count(demo_data, SCENIC_TOWN)


def test_the_audit_trail_records_a_township_as_itself():
    from ui.access_log import scope_codes

    assert scope_codes(Scope.parse(PARK_TOWN)) == (PARK_TOWN,)
    assert scope_codes(Scope.parse("360821")) == ("360821",)


def test_township_macros_are_true_without_a_township_and_filter_with_one(demo_db):
    """Without a township the query layer writes the township macros TRUE (they evaluate so, and
    DuckDB would still run their EXISTS): the same rows; a township scope keeps them and filters."""
    from sanqu.storage.db import county_form

    sql = (
        "SELECT p.point_id FROM contact_points p WHERE list_contains($scope, p.district)"
        " AND entity_in_township($township, p.entity_type, p.entity_id) ORDER BY 1"
    )
    assert county_form(sql).endswith("AND TRUE ORDER BY 1") and "$township" not in county_form(sql)
    nested = "SELECT 1 WHERE org_in_township($township, coalesce(a, b)) AND list_contains($scope, 'x')"
    assert county_form(nested) == nested  # arguments with parentheses: left to the macro
    county = demo_db.query(sql, Scope.of("360822"))
    written = demo_db.query(sql.replace("$township", "CAST($township AS VARCHAR)"), Scope.of("360822"))
    assert list(county["point_id"]) == list(written["point_id"]) and len(county) > 0  # the macro, run as is
    towns = demo_db.query(
        "SELECT DISTINCT x.township FROM contact_points p JOIN locations x USING (entity_type, entity_id)"
        " WHERE list_contains($scope, p.district) AND x.township IS NOT NULL ORDER BY 1",
        Scope.of("360822"),
    )["township"]
    town = towns.iloc[0]
    inside = demo_db.query(sql, Scope(("360822",), town))
    assert 0 < len(inside) < len(county) and set(inside["point_id"]) <= set(county["point_id"])

"""A scope at every level of a region pack, on a small hand-made two-city pack deployed as the
region: region, city, county and township scopes each return exactly their rows through the one
query layer, a township never silently widens to its county, and ?district= narrowing takes any
unit code within the viewer's scope."""

import duckdb
import pytest

from sanqu import geography
from sanqu.access.identity import narrow, role_scope
from sanqu.scope import Scope, TownshipScope
from sanqu.storage.db import Database, TownshipUnsupported
from tests.test_region_read import TWO_CITIES

# (id, county, township): two rows in each township, one county row with no township
ROWS = [
    ("e1", "990102", "990102001"),
    ("e2", "990102", "990102001"),
    ("e3", "990103", "990103100"),
    ("e4", "990103", "990103100"),
    ("e5", "990201", "990201200"),
    ("e6", "990201", "990201200"),
    ("e7", "990103", None),
]
POINTS = """code,name,county,lon,lat,geonameid,geonames_name
990102001,甲一街道,990102,100.1,30.1,1,A
990103100,甲二镇,990103,100.2,30.2,2,B
990201200,乙一乡,990201,100.3,30.3,3,C
"""
BY_TOWNSHIP = (
    "SELECT id FROM enterprises WHERE list_contains($scope, district)"
    " AND ($township IS NULL OR township = $township) ORDER BY id"
)
BY_COUNTY = "SELECT id FROM enterprises WHERE list_contains($scope, district) ORDER BY id"


def _clear() -> None:
    for fn in (geography._pack, geography._counties, geography._townships, geography._places, geography._villages):
        fn.cache_clear()


@pytest.fixture()
def two_cities(tmp_path, monkeypatch):
    """The two-city pack deployed (SANQU_REGION=990000) with a store of enterprises."""
    (tmp_path / "990000").mkdir()
    (tmp_path / "990000" / "units.csv").write_text(TWO_CITIES, encoding="utf-8")
    (tmp_path / "990000" / "township_points.csv").write_text(POINTS, encoding="utf-8")
    monkeypatch.setattr(geography, "MAPS_DIR", tmp_path)
    monkeypatch.setenv("SANQU_REGION", "990000")
    _clear()
    path = tmp_path / "store.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE enterprises (id VARCHAR, district VARCHAR, township VARCHAR)")
        con.executemany("INSERT INTO enterprises VALUES (?, ?, ?)", ROWS)
    db = Database(path)
    yield db
    db.close()
    _clear()


def ids(db: Database, sql: str, scope: Scope) -> list[str]:
    return list(db.query(sql, scope)["id"])


def test_the_region_is_the_pack_root(two_cities):
    assert geography.region_code() == "990000" and geography.region_name() == "测试省"
    assert geography.counties() == {"990102": "甲一区", "990103": "甲二县", "990201": "乙一县"}
    assert geography.DISTRICTS == geography.counties() and geography.CITY_NAME == "测试省"
    assert list(geography.townships()["code"]) == ["990102001", "990103100", "990201200"]


@pytest.mark.parametrize(
    ("code", "level", "key", "label", "rows"),
    [
        ("990000", "region", "990000", "测试省", ["e1", "e2", "e3", "e4", "e5", "e6", "e7"]),
        ("990100", "city", "990100", "甲市", ["e1", "e2", "e3", "e4", "e7"]),
        ("990200", "county", "990201", "乙一县", ["e5", "e6"]),  # a one-county city is its county
        ("990103", "county", "990103", "甲二县", ["e3", "e4", "e7"]),
        ("990103100", "township", "990103100", "甲二县甲二镇", ["e3", "e4"]),
        ("990102001", "township", "990102001", "甲一区甲一街道", ["e1", "e2"]),
    ],
)
def test_scope_at_each_level_returns_exactly_its_rows(two_cities, code, level, key, label, rows):
    scope = Scope.parse(code)
    assert (scope.level, scope.key, scope.label) == (level, key, label)
    assert Scope.parse(scope.key) == scope  # the URL form reads back
    assert ids(two_cities, BY_TOWNSHIP, scope) == rows
    if level != "township":
        assert ids(two_cities, BY_COUNTY, scope) == rows


def test_a_township_scope_is_never_widened_to_its_county(two_cities):
    township = Scope.parse("990103100")
    with pytest.raises(TownshipUnsupported):
        two_cities.query(BY_COUNTY, township)  # would return e7, outside the township
    with pytest.raises(TownshipScope):
        township.codes  # noqa: B018
    assert township.counties == ("990103",)
    with pytest.raises(ValueError):
        Scope(("990102",), "990103100")  # a township outside the county given


def test_unknown_units_are_refused(two_cities):
    with pytest.raises(ValueError):
        Scope.parse("360800")  # not a unit of this pack
    with pytest.raises(ValueError):
        Scope.of("990100")  # a city is not a county code


def test_narrowing_by_any_unit_code(two_cities):
    region, county = Scope.city(), role_scope("county", "990103")
    assert narrow(region, ("990100",)) == (Scope.of("990102", "990103"), False)
    assert narrow(region, ("990102001",)) == (Scope.parse("990102001"), False)
    assert narrow(county, ("990103100",)) == (Scope.parse("990103100"), False)
    assert narrow(county, ("990102001",)) == (county, True)  # a township of another county
    assert narrow(county, ("990100",)) == (county, True)  # the city around it: never wider
    assert narrow(county, ("990103100", "990103")) == (county, True)  # a township is asked for alone
    assert narrow(region, ("990000",)) == (region, False)
    assert role_scope("viewer", "990100") == Scope.of("990102", "990103")


def test_a_province_pack_offers_its_cities_and_counties(monkeypatch):
    """The real Jiangxi pack deployed: the region, then each city followed by its counties."""
    from ui.filters import all_options, district_label, district_options

    monkeypatch.setenv("SANQU_REGION", "360000")
    options = all_options()
    assert len(options) == 1 + 11 + 100 and options[:2] == ("360000", "360100")
    assert options[options.index("360800") + 1 :][:13] == tuple(geography.pack().counties("360800"))
    assert district_label("360000") == "江西省（全省）" and district_label("360800") == "吉安市（全市）"
    assert district_label("360822100") == "吉水县文峰镇"
    jian = Scope.parse("360800")
    assert (jian.level, jian.key, jian.label, len(jian.counties)) == ("city", "360800", "吉安市", 13)
    assert district_options(jian) == ("360800", *jian.counties)
    assert geography.app_title() == "江西省三区党建" and geography.counties_phrase() == "江西省 100 个区县"


def test_a_township_link_shows_its_county_and_says_so(demo_dir, monkeypatch):
    """?district=<township>: understood (not called invalid) and chosen in the sidebar; a page whose
    queries do not handle a township yet (the overview) shows its county and says so."""
    from streamlit.testing.v1 import AppTest

    from tests.test_access_pages import APP

    monkeypatch.delenv("SANQU_ACCESS", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(district="360822100")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="district").value == "360822100"
    assert not at.warning
    assert [i.value for i in at.info] == ["所选「吉水县文峰镇」是乡镇，本页暂按区县筛选，已显示：吉水县。"]

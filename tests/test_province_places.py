"""Province scale grouped by city: on the whole Jiangxi demo the overview, the big screen and the
briefing compare the 11 cities (a bar each, adding up to the province), a city its counties, a
county its townships; Ji'an (a city's pack) still compares its counties."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanqu import geography
from sanqu.context import Context
from sanqu.scope import Scope
from sanqu.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)

BUILD = """
import sys
from pathlib import Path
from sanqu.ingest import demo
from sanqu.storage import store
folder = Path(sys.argv[1])
demo.write(folder / "registers")
store.build(folder / "registers", folder / "sanqu.duckdb")
"""


def _clear() -> None:
    for fn in (geography._pack, geography._counties, geography._townships, geography._places, geography._villages):
        fn.cache_clear()


@pytest.fixture(scope="module")
def jiangxi(tmp_path_factory):
    """The whole Jiangxi demo (11 cities, 100 counties), built as `SANQU_REGION=360000 python -m
    sanqu demo` builds it, in its own process; the region switched to Jiangxi for the module."""
    folder = tmp_path_factory.mktemp("jiangxi-all")
    env = {**os.environ, "SANQU_REGION": "360000", "SANQU_DATA_DIR": str(folder)}
    subprocess.run([sys.executable, "-c", BUILD, str(folder)], env=env, cwd=ROOT, check=True)
    mp = pytest.MonkeyPatch()
    mp.setenv("SANQU_REGION", "360000")
    mp.setenv("SANQU_DATA_DIR", str(folder))
    _clear()
    db = Database(folder / "sanqu.duckdb")
    yield db
    db.close()
    mp.undo()
    _clear()


def _ctx(code: str | None) -> Context:
    return Context(Scope.parse(code), "2026Q3", TODAY)


def test_the_overview_has_a_bar_per_city_adding_up_to_the_province(jiangxi):
    from sanqu.figures import overview_page
    from sanqu.metrics import overview

    ctx = _ctx(None)
    figs = overview_page.figures(jiangxi, ctx)
    cities = {u.code: u.name for u in geography.pack().at_level("city")}
    assert len(cities) == 11 and figs.places == "设区市"
    rows = figs.districts["data"]["values"]  # the Vega-Lite bars: a row per city and zone
    for zone in ("工业园区", "城乡社区", "旅游景区"):
        assert [r["name"] for r in rows if r["zone"] == zone] == [cities[c] for c in sorted(cities)]
    table = overview.place_table(jiangxi, ctx)
    assert sorted(table["district"]) == sorted(cities) and (table["community_den"] > 0).all()
    # the pack has no development zone in 萍乡, 新余, 上饶: no enterprises there, a bar without a rate
    no_parks = set(table.loc[table["park_den"].isna(), "district"])
    assert no_parks == {"360300", "360500", "361100"}
    for k in figs.kpis:
        zone = k.indicator.zone
        assert (table[f"{zone}_num"].sum(), table[f"{zone}_den"].sum()) == (k.numerator, k.denominator)
    assert list(figs.district_rows.columns[:2]) == ["设区市代码", "设区市"]
    # one city's bar is the sum of its counties
    nanchang = overview.district_table(jiangxi, _ctx("360100")).sum(numeric_only=True)
    row = table.set_index("district").loc["360100"]
    assert (row["park_num"], row["park_den"]) == (nanchang["park_num"], nanchang["park_den"])


def test_a_city_shows_its_counties_and_a_county_its_townships(jiangxi):
    from sanqu.figures import overview_page

    city = overview_page.figures(jiangxi, _ctx("360800"))
    assert city.places == "区县"
    assert set(city.district_rows["区县代码"]) <= set(geography.pack().counties("360800"))
    county = overview_page.figures(jiangxi, _ctx("360822"))
    assert county.places == "乡镇（街道）"
    towns = {u.code for u in geography.pack().children("360822")}
    assert set(county.district_rows["乡镇（街道）代码"]) <= towns and len(county.district_rows) > 1
    k = county.kpis[0]
    assert county.district_rows["工业园区应覆盖数"].sum() == k.denominator


def test_the_big_screen_and_the_briefing_rank_the_cities(jiangxi):
    from sanqu.metrics import overview
    from sanqu.reports import briefing, screen

    ctx = _ctx(None)
    for key in ("overview", "park", "sites"):
        bars = screen.build(jiangxi, ctx, key).side[0]
        rows = {str(y) for t in bars.data if t.type in ("bar", "heatmap") for y in t.y}
        assert rows == {u.name for u in geography.pack().at_level("city")}, key
        assert bars.layout.title.text.startswith("各设区市"), key
    ranks = screen.by_area(jiangxi, ctx, "park_org")
    k = overview.kpi(jiangxi, ctx, "park_org")
    assert len(ranks) == 11 and (ranks["numerator"].sum(), ranks["denominator"].sum()) == (k.numerator, k.denominator)
    ranked = briefing.ranking(jiangxi, ctx, "park")  # the cities without parks: named as such, not ranked
    assert len(ranked) == 8 and sorted(briefing.missing(ctx, ranked)) == ["360300", "360500", "361100"]
    assert len(briefing.ranking(jiangxi, ctx, "community")) == 11

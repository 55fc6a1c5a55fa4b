"""The demo for any region pack: Ji'an's demo unchanged to the byte, the packs' villages and
parks true to the Ji'an reference, and a Jiangxi demo (two of its cities) on which every page
runs, with the overview's figures recomputed by hand from the registers."""

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sanqu import geography
from sanqu.ingest import demo
from sanqu.ingest.registers import REGISTERS
from sanqu.paths import MAPS_DIR, REFERENCE_DIR
from tests import oracle

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# SHA-256 over the 19 register files of the Ji'an demo, in register order, as main wrote them
# before the generator learned other regions (commit 6378c83)
JIAN_DEMO_SHA256 = "9753e5141a322ecbf78ddf3f1b3006e39e617bdda1c307c69cd1b60c85d87103"
CITIES = ("360100", "360800")  # 南昌市 (9 counties) and 吉安市 (13)
VIEWS = sorted(p.name for p in (ROOT / "views").glob("*.py"))


def _clear() -> None:
    for fn in (geography._pack, geography._counties, geography._townships, geography._places, geography._villages):
        fn.cache_clear()


def test_jian_demo_is_byte_identical_to_before(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_REGION", "360800")
    demo.write_rows(tmp_path, demo.generate())
    digest = hashlib.sha256()
    for reg in REGISTERS:
        digest.update((tmp_path / reg.file).read_bytes())
    assert digest.hexdigest() == JIAN_DEMO_SHA256


def test_jian_pack_villages_and_parks_are_the_reference_ones():
    ref = pd.read_csv(REFERENCE_DIR / "jian_villages_communities.csv", dtype=str, encoding="utf-8-sig")
    ours = pd.read_csv(MAPS_DIR / "360800" / "villages.csv.gz", dtype=str)
    assert list(ours.columns) == ["code", "name", "township"] and len(ours) == 2967
    assert list(zip(ours.code, ours.name, ours.township)) == list(zip(ref.code, ref.name, ref.streetCode))
    places = pd.read_csv(REFERENCE_DIR / "jian_places.csv", dtype=str, encoding="utf-8-sig")
    parks = pd.read_csv(MAPS_DIR / "360800" / "parks.csv", dtype=str)
    assert sorted(parks.code) == sorted(places[places.kind == "park"].code) and len(parks) == 14
    assert "360826404" not in set(parks.code)  # 井冈山机场: a 4xx unit, not a park


def test_jiangxi_pack_villages_and_parks():
    villages = pd.read_csv(MAPS_DIR / "360000" / "villages.csv.gz", dtype=str)
    parks = pd.read_csv(MAPS_DIR / "360000" / "parks.csv", dtype=str)
    assert len(villages) == 22080 and villages.code.str.startswith("36").all()
    assert (villages.code.str[:9] == villages.township).all()
    assert len(parks) == 60 and (parks.code.str[6] == "4").all()
    assert (MAPS_DIR / "360000" / "villages.csv.gz").stat().st_size < 200_000


def test_a_jiangxi_demo_is_deterministic_and_labels_what_it_invents(monkeypatch):
    monkeypatch.setenv("SANQU_REGION", "360000")
    _clear()
    try:
        only = [c for city in CITIES for c in geography.pack().counties(city)]
        a, b = demo.generate(only=only), demo.generate(only=only)
    finally:
        _clear()
    assert a == b
    assert {r["district"] for r in a["enterprises"]} <= set(only)
    assert {r["district"] for r in a["districts"]} == set(only) and len(only) == 22
    areas = [s for s in a["scenic_sites"] if s["kind"] == "景区"]
    assert areas and all(s["name"].endswith("（演示）") for s in areas)
    assert not any("吉安" in o["name"] for o in a["party_orgs"] if o["district"].startswith("3601"))
    helpers = {p["helper"] for p in a["pairings"]}
    assert "国网江西省电力有限公司党委" in helpers and "国网吉安供电公司党委" not in helpers


BUILD = """
import sys
from pathlib import Path
from sanqu import geography
from sanqu.ingest import demo
from sanqu.storage import store
folder = Path(sys.argv[1])
only = [c for city in sys.argv[2:] for c in geography.pack().counties(city)]
demo.write(folder / "registers", only=only)
store.build(folder / "registers", folder / "sanqu.duckdb")
"""


@pytest.fixture(scope="module")
def jiangxi_data(tmp_path_factory) -> Path:
    """A Jiangxi demo store of two cities, built as `SANQU_REGION=360000 python -m sanqu demo`
    builds one (in its own process: the register schema is the deployed region's at import)."""
    folder = tmp_path_factory.mktemp("jiangxi")
    env = {**os.environ, "SANQU_REGION": "360000", "SANQU_DATA_DIR": str(folder)}
    subprocess.run([sys.executable, "-c", BUILD, str(folder), *CITIES], env=env, cwd=ROOT, check=True)
    return folder


@pytest.fixture()
def on_jiangxi(jiangxi_data, monkeypatch):
    monkeypatch.setenv("SANQU_REGION", "360000")
    monkeypatch.setenv("SANQU_DATA_DIR", str(jiangxi_data))
    _clear()
    yield jiangxi_data
    _clear()


def _park_coverage(registers: Path, counties: set[str], asof: dt.date) -> tuple[int, int]:
    """Organisation coverage of the non-public enterprises of `counties`, from the CSV files."""
    e = oracle.enterprises_to_cover(registers, asof.isoformat())
    e = e[e["区县代码"].isin(counties)]
    return int(oracle.covered(e, registers, asof.isoformat()).sum()), len(e)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_runs_on_the_jiangxi_demo(on_jiangxi, view):
    for params in ({}, {"district": "360100"}, {"district": "360822"}):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update(params)
        at.run()
        if view != "overview.py":
            at.switch_page(f"views/{view}").run()
        assert not at.exception, (view, params, at.exception)
        assert not at.error, (view, params, [e.value for e in at.error])


@pytest.mark.parametrize(
    ("district", "counties"),
    [(None, None), ("360100", "360100"), ("360822", {"360822"})],
)
def test_overview_kpi_is_the_hand_count_on_jiangxi(on_jiangxi, district, counties):
    if counties is None:
        counties = {c for city in CITIES for c in geography.pack().counties(city)}
    elif isinstance(counties, str):
        counties = set(geography.pack().counties(counties))
    at = AppTest.from_file(APP, default_timeout=120)
    if district:
        at.query_params["district"] = district
    at.run()
    assert not at.exception, at.exception
    covered, total = _park_coverage(on_jiangxi / "registers", counties, dt.date(2026, 9, 30))
    assert total > 50
    assert at.metric[0].value == f"{covered / total * 100:.1f}%"
    assert f"{covered:,} / {total:,} 家企业" in " ".join(c.value for c in at.caption)
    assert {"江西省（全省）", "南昌市（全市）", "吉水县"} <= set(at.selectbox(key="district").options)


def test_briefing_of_the_province_ranks_its_cities_and_of_a_city_its_counties(on_jiangxi):
    from sanqu.context import Context
    from sanqu.metrics import overview
    from sanqu.reports import briefing
    from sanqu.scope import Scope
    from sanqu.storage.db import Database

    db = Database(on_jiangxi / "sanqu.duckdb")
    try:
        province = Context(Scope.city(), "2026Q3", dt.date(2026, 11, 26))
        ranks = briefing.ranking(db, province, "park")
        assert set(ranks.code) == set(CITIES) and set(ranks.name) == {"南昌市", "吉安市"}
        k = overview.kpi(db, province, "park_org")
        assert (ranks.numerator.sum(), ranks.denominator.sum()) == (k.numerator, k.denominator)
        assert len(briefing.missing(province, ranks)) == 9  # the other cities: no rows in this demo
        assert briefing.summary(db, province).zones["park"].startswith("全省工业园区组织覆盖率")
        city = Context(Scope.parse("360100"), "2026Q3", dt.date(2026, 11, 26))
        assert set(briefing.ranking(db, city, "park").code) <= set(geography.pack().counties("360100"))
        for ctx in (province, city):
            assert briefing.build(db, ctx, demo=True).startswith(b"%PDF")
    finally:
        db.close()


def test_big_screen_builds_every_view_on_jiangxi(on_jiangxi):
    from sanqu.context import Context
    from sanqu.reports import screen
    from sanqu.scope import Scope
    from sanqu.storage.db import Database

    db = Database(on_jiangxi / "sanqu.duckdb")
    try:
        for code in ("360000", "360100", "360822"):
            for key in screen.VIEWS:
                v = screen.build(db, Context(Scope.parse(code), "2026Q3", dt.date(2026, 11, 26)), key)
                assert len(v.panels) == 3 and v.ticker, (code, key)
                assert len({t.text for t in v.choropleth.data if t.fill == "toself"}) == 100
    finally:
        db.close()

"""AppTest smoke tests of every page, and the district filter by widget key."""

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import oracle

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["views/overview.py", "views/map.py"]


def _app(demo_dir, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    return at


def _metric_values(at) -> list[str]:
    return [m.value for m in at.metric]


def _independent_park_coverage(registers: Path, district: str, asof: dt.date) -> tuple[int, int]:
    """Organisation coverage of one district's enterprises, recomputed from the CSV files with pandas."""
    e = oracle.enterprises_to_cover(registers, asof.isoformat())
    e = e[e["区县代码"] == district]
    return int(oracle.covered(e, registers, asof.isoformat()).sum()), len(e)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_city_and_one_district(demo_dir, page):
    for params in ({}, {"district": "360822"}):
        at = _app(demo_dir, **params)
        at.run()
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]


def test_overview_shows_kpis_with_numerator_and_demo_label(demo_dir):
    at = _app(demo_dir)
    at.run()
    assert len(at.metric) == 3
    assert all(v.endswith("%") for v in _metric_values(at))
    captions = " ".join(c.value for c in at.caption)
    assert "家企业" in captions and "环比" in captions and "同比" in captions
    assert any("演示数据" in str(b.proto) for b in at.get("badge")) or "演示数据" in captions


def test_district_filter_by_key_changes_kpis_to_hand_checked_values(demo_dir):
    at = _app(demo_dir)
    at.run()
    city = _metric_values(at)
    at.selectbox(key="district").set_value("360822").run()
    assert at.query_params["district"] == "360822"
    covered, total = _independent_park_coverage(demo_dir / "registers", "360822", dt.date(2026, 9, 30))
    assert _metric_values(at)[0] == f"{covered / total * 100:.1f}%"
    assert f"{covered:,} / {total:,} 家企业" in " ".join(c.value for c in at.caption)
    assert _metric_values(at) != city


def test_district_in_url_restores_filter(demo_dir):
    at = _app(demo_dir, district="360881", period="2025Q4")
    at.run()
    assert at.selectbox(key="district").value == "360881"
    assert at.selectbox(key="period").value == "2025Q4"
    assert "井冈山市" in " ".join(c.value for c in at.caption)


def test_invalid_url_parameters_fall_back_with_a_message(demo_dir):
    at = _app(demo_dir, district="999999", period="2031Q9")
    at.run()
    assert not at.exception
    assert at.selectbox(key="district").value == "360800"
    warnings = " ".join(w.value for w in at.warning)
    assert "999999" in warnings and "2031Q9" in warnings


def _map_args(at) -> dict:
    import json

    comps = [e for e in at.get("component_instance") if "st_folium" in e.proto.component_name]
    assert len(comps) == 1
    return json.loads(comps[0].proto.json_args)


def test_map_page_by_keys(demo_dir):
    at = _app(demo_dir, layers="communities,relations")
    at.run()
    at.switch_page("views/map.py").run()
    assert not at.exception
    args = _map_args(at)
    assert "sanqu.choropleth(" in args["script"] and "sanqu.pointLayer(" in args["script"]
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])
    assert at.query_params["layers"] == "communities,relations"
    at.selectbox(key="zone").set_value("scenic").run()
    assert at.selectbox(key="indicator").value == "scenic_org"
    assert at.query_params["indicator"] == "scenic_org"
    table = at.dataframe[0].value
    from sanqu.context import Context
    from sanqu.metrics.coverage import coverage
    from sanqu.scope import Scope
    from sanqu.storage.db import Database

    db = Database(demo_dir / "sanqu.duckdb")
    city = coverage(db, Context(Scope.city(), "2026Q3"), "scenic").iloc[0]
    db.close()
    assert (table["分子"].sum(), table["分母"].sum()) == (city["covered"], city["denominator"])


def test_registers_newer_than_the_store_are_flagged(demo_dir, tmp_path, monkeypatch):
    import os
    import shutil

    import streamlit as st

    shutil.copytree(demo_dir / "registers", tmp_path / "registers")
    shutil.copy(demo_dir / "sanqu.duckdb", tmp_path / "sanqu.duckdb")
    later = (tmp_path / "sanqu.duckdb").stat().st_mtime + 60
    os.utime(tmp_path / "registers/parks.csv", (later, later))
    monkeypatch.setenv("SANQU_DATA_DIR", str(tmp_path))
    st.cache_data.clear()
    try:
        at = _app(demo_dir)
        at.run()
        assert any("台账文件比数据库新" in w.value for w in at.warning)
        assert len(at.metric) == 3  # the last good store is still shown
    finally:
        st.cache_data.clear()


def test_filters_survive_page_switches_and_pages_without_them(demo_dir):
    at = _app(demo_dir, district="360881", period="2025Q4")
    at.run()
    at.switch_page("views/map.py").run()
    assert (at.selectbox(key="district").value, at.selectbox(key="period").value) == ("360881", "2025Q4")
    assert "井冈山市 · 2025年第4季度" in " ".join(c.value for c in at.caption)  # in the first run on the page
    at.selectbox(key="district").set_value("360822").run()
    at.selectbox(key="zone").set_value("community").run()
    at.switch_page("views/overview.py").run()  # no zone filter here
    assert at.selectbox(key="district").value == "360822" and at.query_params["district"] == "360822"
    at.switch_page("views/mechanisms.py").run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="zone").value == "community" and at.query_params["zone"] == "community"
    assert at.selectbox(key="period").value == "2025Q4" and at.query_params["period"] == "2025Q4"
    at.switch_page("views/map.py").run()
    assert at.selectbox(key="indicator").value == "community_org"


def test_a_zone_the_next_page_does_not_offer_falls_back_quietly(demo_dir):
    at = _app(demo_dir)
    at.run()
    at.switch_page("views/map.py").run()
    at.selectbox(key="zone").set_value("sites").run()  # the map's 示范点 layer, not a zone of the sites page
    at.switch_page("views/sites.py").run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="zone").value == "all" and at.query_params["zone"] == "all"

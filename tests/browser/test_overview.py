"""What a person sees on the overview, in Debian's chromium."""

import re

import pytest

from sanqu import fmt
from sanqu.context import Context
from sanqu.metrics import overview
from sanqu.scope import Scope

pytestmark = pytest.mark.browser


def _kpi_texts(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_overview_renders_chinese_and_kpis_offline(open_page, demo_db, output_dir):
    p = open_page(1920, 1080)
    page = p.open("/", wait_text="三区党建总览")
    page.locator("[data-testid='stMetricValue']").nth(2).wait_for()
    expected = [fmt.pct(k.rate) for k in overview.headline(demo_db, Context(Scope.city(), demo_db.periods()[-1]))]
    assert _kpi_texts(page) == expected
    body = page.inner_text("body")
    assert "工业园区 · 组织覆盖率" in body and "演示数据" in body
    p.finish(output_dir / "overview-1920x1080.png", full_page=True)


def test_district_link_restores_the_filter(open_page, demo_db, output_dir):
    p = open_page(1366, 768)
    page = p.open("/?district=360822", wait_text="吉水县")
    page.locator("[data-testid='stMetricValue']").nth(2).wait_for()
    scope = Scope.of("360822")
    expected = [fmt.pct(k.rate) for k in overview.headline(demo_db, Context(scope, demo_db.periods()[-1]))]
    assert _kpi_texts(page) == expected
    assert page.get_by_role("combobox", name="区县").input_value() == "吉水县"
    assert re.search(r"district=360822", page.url)
    p.finish(output_dir / "overview-360822-1366x768.png", full_page=True)

"""Shared links: a state set in one browser reopens the same in a fresh one."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option, timeout=20000)


def test_state_in_the_url_reopens_in_a_new_context(open_page, output_dir):
    p = open_page(1366, 768)
    page = p.open("/map", wait_text="三区地图")
    p.map_frame()
    _choose(page, "区县", "永新县")
    page.wait_for_url(re.compile(r"district=360830"), timeout=30000)
    _choose(page, "统计季度", "2025年第4季度")
    _choose(page, "领域", "城乡社区")
    page.wait_for_url(re.compile(r"zone=community"), timeout=30000)
    pill = page.get_by_role("button", name="关系连线")
    for _ in range(3):  # a click that lands while the page is still rerunning can be dropped
        pill.click()
        try:
            expect(pill).to_have_attribute("aria-pressed", "true", timeout=8000)
            break
        except AssertionError:
            continue
    page.wait_for_url(re.compile(r"layers=[^&]*relations"), timeout=30000)
    page.wait_for_timeout(1000)
    url = page.url
    for part in ("district=360830", "period=2025Q4", "zone=community", "indicator=community_org"):
        assert part in url
    _, frame = p.map_frame()
    legend = frame.locator(".sq-legend").inner_text()
    checked = frame.locator(".leaflet-control-layers-overlays input:checked").count()

    q = open_page(1366, 768)
    fresh = q.open(url.replace(p.base, ""), wait_text="三区地图")
    for label, value in (("区县", "永新县"), ("统计季度", "2025年第4季度"), ("领域", "城乡社区")):
        expect(fresh.get_by_role("combobox", name=label)).to_have_value(value, timeout=20000)
    pills = fresh.locator("[data-testid='stButtonGroup'] button[aria-pressed='true']")
    assert "关系连线" in " ".join(pills.all_inner_texts())
    _, fresh_frame = q.map_frame()
    assert fresh_frame.locator(".sq-legend").inner_text() == legend and "城乡社区 · 组织覆盖率" in legend
    assert fresh_frame.locator(".leaflet-control-layers-overlays input:checked").count() == checked == 6
    fresh.screenshot(path=output_dir / "link-reopened-1366x768.png")
    assert p.outside == [] and q.outside == []


def test_invalid_parameters_fall_back_with_a_message(open_page):
    p = open_page(1366, 768)
    page = p.open("/map?district=123456&period=1999Q9&zone=xyz&layers=parks,nonsense&lat=abc", wait_text="三区地图")
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "123456" in body and "1999Q9" in body and "nonsense" in body
    expect(page.get_by_role("combobox", name="区县")).to_have_value("吉安市（全市）")
    assert page.locator("[data-testid='stException']").count() == 0

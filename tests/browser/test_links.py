"""Shared links: a state set in one browser reopens the same in a fresh one."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import TWO_FRAMES, settle
from tests.browser.test_map import SHOWN

pytestmark = pytest.mark.browser


def _choose(page, label: str, option: str, url: str) -> None:
    """Choose `option` in the selectbox `label` once the page is idle, until the URL carries `url`
    (a choice that lands while a rerun of the map is on its way can be dropped by it: choose again)."""
    box = page.get_by_role("combobox", name=label)
    for left in range(2, -1, -1):
        settle(page, 60000)
        box.click()
        page.get_by_role("option", name=option, exact=True).click()
        expect(box).to_have_value(option, timeout=20000)
        try:
            page.wait_for_url(re.compile(url), timeout=20000)
            return
        except PlaywrightTimeout:
            if not left:
                raise


def test_state_in_the_url_reopens_in_a_new_context(open_page, output_dir):
    p = open_page(1366, 768)
    page = p.open("/map", wait_text="三区地图")
    p.map_frame()
    _choose(page, "区县", "永新县", r"district=360830")
    _choose(page, "统计季度", "2025年第4季度", r"period=2025Q4")
    _choose(page, "领域", "城乡社区", r"zone=community")
    pill = page.get_by_role("button", name="关系连线")
    for _ in range(3):  # a click that lands while the page is still rerunning can be dropped
        pill.click()
        try:
            expect(pill).to_have_attribute("aria-pressed", "true", timeout=8000)
            break
        except AssertionError:
            continue
    page.wait_for_url(re.compile(r"layers=[^&]*relations"), timeout=30000)
    parts = ("district=360830", "period=2025Q4", "zone=community", "indicator=community_org")
    page.wait_for_url(lambda u: all(part in u for part in parts), timeout=30000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30000)
    url = page.url
    for part in parts:
        assert part in url
    _, frame = p.map_frame()
    frame.evaluate(TWO_FRAMES)  # a change of the key's size has been followed (sizeKey)
    legend = frame.locator(".sq-legend").inner_text()
    checked = frame.evaluate(SHOWN)

    q = open_page(1366, 768)
    fresh = q.open(url.replace(p.base, ""), wait_text="三区地图")
    for label, value in (("区县", "永新县"), ("统计季度", "2025年第4季度"), ("领域", "城乡社区")):
        expect(fresh.get_by_role("combobox", name=label)).to_have_value(value, timeout=20000)
    pills = fresh.locator("[data-testid='stButtonGroup'] button[aria-pressed='true']")
    assert "关系连线" in " ".join(pills.all_inner_texts())
    _, fresh_frame = q.map_frame()
    assert "城乡社区 · 组织覆盖率" in legend
    # the same legend as the person saw (waited for: the key's size settles its short state)
    expect(fresh_frame.locator(".sq-legend")).to_have_text(legend, use_inner_text=True, timeout=10000)
    # the choropleth, a county's township areas, and the 5 point and line layers of the link
    assert fresh_frame.evaluate(SHOWN) == checked == 2 + pills.count()
    fresh.screenshot(path=output_dir / "link-reopened-1366x768.png")
    assert p.outside == [] and q.outside == []


def test_invalid_parameters_fall_back_with_a_message(open_page):
    p = open_page(1366, 768)
    page = p.open("/map?district=123456&period=1999Q9&zone=xyz&layers=parks,nonsense&lat=abc", wait_text="三区地图")
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "123456" in body and "1999Q9" in body and "nonsense" in body
    expect(page.get_by_role("combobox", name="区县")).to_have_value("吉安市（全市）")
    assert page.locator("[data-testid='stException']").count() == 0


def test_district_and_period_survive_a_switch_in_the_navigation(open_page):
    p = open_page(1366, 768)
    page = p.open("/?district=360881&period=2025Q4", wait_text="三区党建总览")
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    page.locator("[data-testid='stSidebarNav'] a", has_text="长效机制").click()
    page.wait_for_url(re.compile(r"/mechanisms\?"), timeout=30000)
    page.wait_for_url(lambda u: "district=360881" in u and "period=2025Q4" in u, timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("井冈山市", timeout=20000)
    expect(page.get_by_role("combobox", name="统计季度")).to_have_value("2025年第4季度", timeout=20000)
    expect(page.get_by_text("井冈山市 · 2025年第4季度").first).to_be_visible(timeout=20000)
    _choose(page, "领域", "旅游景区", r"zone=scenic")
    page.locator("[data-testid='stSidebarNav'] a", has_text="示范点").click()
    page.wait_for_url(re.compile(r"/sites\?.*zone=scenic"), timeout=30000)
    expect(page.get_by_role("combobox", name="领域")).to_have_value("旅游景区", timeout=20000)
    assert "district=360881" in page.url and page.locator("[data-testid='stException']").count() == 0
    assert p.outside == []

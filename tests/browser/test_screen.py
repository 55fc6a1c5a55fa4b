"""Big-screen mode in the browser: fitted canvas, no chrome, carousel, refresh without reload."""

import csv
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _serve, settle

pytestmark = pytest.mark.browser


def _open_screen(p, path: str):
    page = p.open(path)
    page.wait_for_url(re.compile(r"scale="), timeout=30000)  # the page asked for its own scale once
    page.locator(".st-key-sq_title h1").wait_for(timeout=30000)
    page.locator("[class*='st-key-sq_panel_'] [data-testid='stMetricValue']").nth(2).wait_for(timeout=30000)
    settle(page)
    return page


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (3840, 2160)])
def test_screen_fills_any_screen_without_scrollbars_or_chrome(open_page, output_dir, size):
    w, h = size
    p = open_page(w, h)
    page = _open_screen(p, "/?mode=screen&every=600")
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll[0] <= w and scroll[1] <= h
    box = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    k = min(w / 1920, h / 1080)
    assert box["width"] == pytest.approx(1920 * k, rel=0.02) and box["height"] == pytest.approx(1080 * k, rel=0.02)
    assert box["x"] == pytest.approx((w - box["width"]) / 2, abs=3) and box["y"] == pytest.approx(
        (h - box["height"]) / 2, abs=3
    )
    for testid in ("stSidebar", "stHeader", "stToolbar"):
        assert not page.locator(f"[data-testid='{testid}']").is_visible()
    charts = page.locator(".js-plotly-plot .main-svg").first.bounding_box()
    assert charts["width"] <= box["width"]  # drawn at the size shown, not scaled twice
    number = page.locator("[class*='st-key-sq_panel_'] [data-testid='stMetricValue'] div").first
    size_px = float(number.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
    assert size_px == pytest.approx(72 * k, rel=0.05)
    p.finish(output_dir / f"screen-{w}x{h}.png")


def test_any_page_link_opens_in_screen_mode_and_the_carousel_advances(open_page, output_dir):
    p = open_page(1920, 1080)
    page = _open_screen(p, "/parks?mode=screen&every=6&district=360881")
    title = page.locator(".st-key-sq_title h1")
    assert "井冈山市三区党建 · 工业园区" in title.inner_text()
    page.evaluate("window.__sqMarker = 42")
    expect(title).to_contain_text("城乡社区", timeout=20000)
    assert page.evaluate("window.__sqMarker") == 42  # advanced without a reload
    p.finish(output_dir / "screen-carousel-community.png")


def test_invalid_parameters_are_named_in_a_strip_on_the_canvas(open_page, output_dir):
    p = open_page(1366, 768)
    page = _open_screen(p, "/?mode=screen&every=0&district=999999&views=overview,nope")
    notice = page.locator(".st-key-sq_notice")
    expect(notice).to_be_visible()
    for text in ("every=0", "20 秒", "district=999999", "吉安市（全市）", "nope"):
        expect(notice).to_contain_text(text)
    canvas = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    box = notice.bounding_box()
    assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
    assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"] / 4
    size_px = float(notice.locator("[data-testid='stText']").first.evaluate("e => getComputedStyle(e).fontSize")[:-2])
    assert size_px == pytest.approx(24 * 1366 / 1920, rel=0.05)  # the screen's label size
    expect(page.locator(".st-key-sq_title h1")).to_contain_text("吉安市三区党建 · 三区总览")
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll[0] <= 1366 and scroll[1] <= 768
    p.finish(output_dir / "screen-invalid-parameters-1366x768.png")


@pytest.fixture()
def fresh_data(demo_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(demo_dir / "registers", folder / "registers")
    shutil.copy(demo_dir / "sanqu.duckdb", folder / "sanqu.duckdb")
    return folder


def test_data_refresh_without_reload(open_page, fresh_data, output_dir):
    gen = _serve(fresh_data)
    base = next(gen)
    try:
        p = open_page(1366, 768, base=base)
        page = _open_screen(p, "/?mode=screen&every=5&views=overview&district=360823")
        value = page.locator("[class*='st-key-sq_panel_'] [data-testid='stMetricValue']").first
        before = value.inner_text()
        page.evaluate("window.__sqMarker = 7")
        _drop_enterprise_coverage(fresh_data / "registers", "360823")
        from sanqu.storage import store

        store.build(fresh_data / "registers", fresh_data / "sanqu.duckdb")
        expect(value).not_to_have_text(before, timeout=30000)
        assert page.evaluate("window.__sqMarker") == 7
        assert p.outside == []
    finally:
        next(gen, None)


def _drop_enterprise_coverage(folder, district: str) -> None:
    """Remove the coverage links of one district's enterprises (the figures must fall)."""
    path = folder / "org_coverage.csv"
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    kept = [rows[0]] + [r for r in rows[1:] if not r[2].startswith(f"QY{district}")]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(kept)

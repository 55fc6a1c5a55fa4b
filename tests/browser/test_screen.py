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


# Every text of the canvas: (text, font size px, box) for each visible text node, HTML or SVG.
TEXTS = """() => {
  const root = document.querySelector("[data-testid='stMainBlockContainer']");
  const out = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode, el = t.parentElement;
    if (!t.nodeValue.trim() || !el || el.closest("style, script")) continue;
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === "hidden" || cs.display === "none") continue;
    out.push({text: t.nodeValue.trim().slice(0, 40), size: parseFloat(cs.fontSize), svg: !!el.closest("svg"),
              box: [r.left, r.top, r.right, r.bottom]});
  }
  return out;
}"""

# The map's labels: box, text colour and box colour of each.
LABELS = """() => [...document.querySelectorAll(".st-key-sq_map .annotation")].map((a) => {
  const r = a.querySelector("rect.bg").getBoundingClientRect();
  return {box: [r.left, r.top, r.right, r.bottom], text: a.textContent,
          ink: getComputedStyle(a.querySelector("text")).fill, fill: getComputedStyle(a.querySelector("rect.bg")).fill};
})"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _contrast(a: str, b: str) -> float:
    def lum(c: str) -> float:
        rgb = [int(v) / 255 for v in re.findall(r"[\d.]+", c)[:3]]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _check_canvas(page, w: int, h: int) -> float:
    """No scrollbars, nothing outside the viewport or its chart, labels apart and readable,
    no text under 24 px at 1080p; returns the canvas scale."""
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll[0] <= w and scroll[1] <= h
    box = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    k = box["height"] / 1080
    assert k == pytest.approx(min(w / 1920, h / 1080), rel=0.01)
    assert box["width"] == pytest.approx(max(1920 * k, w), rel=0.01)  # the whole wall, not a 16:9 box
    for sel in (
        "[class*='st-key-sq_panel_']",
        ".st-key-sq_board",
        ".js-plotly-plot",
        ".st-key-sq_title",
        ".st-key-sq_ticker",
    ):
        for b in [page.locator(sel).nth(i).bounding_box() for i in range(page.locator(sel).count())]:
            assert (
                b["x"] >= -0.5 and b["y"] >= -0.5 and b["x"] + b["width"] <= w + 0.5 and b["y"] + b["height"] <= h + 0.5
            ), sel
    texts = page.evaluate(TEXTS)
    small = [(t["text"], t["size"]) for t in texts if t["size"] < 24 * k * 0.99]
    assert not small, small
    charts = page.evaluate(
        "[...document.querySelectorAll('.js-plotly-plot')].map((p) => p.getBoundingClientRect())"
        ".map((r) => [r.left, r.top, r.right, r.bottom])"
    )
    for t in [t for t in texts if t["svg"]]:
        x0, y0, x1, y1 = t["box"]
        assert any(c[0] - 1 <= x0 and x1 <= c[2] + 1 and c[1] - 1 <= y0 and y1 <= c[3] + 1 for c in charts), (
            t
        )  # not cut
    labels = page.evaluate(LABELS)
    assert labels
    pairs = [
        (a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if _overlap(a["box"], b["box"])
    ]
    assert not pairs, pairs
    for lab in labels:
        assert _contrast(lab["ink"], lab["fill"]) >= 4.5, lab
    return k


@pytest.mark.parametrize(
    ("w", "h", "dsf", "view"),
    [
        (1920, 1080, 1, "overview"),
        (3840, 2160, 1, "park"),
        (6656, 1792, 1, "sites"),
        (1536, 864, 1.25, "community"),  # 1920×1080 at Windows 125 %
        (1280, 720, 1.5, "scenic"),  # 1920×1080 at Windows 150 %
    ],
)
def test_every_size_holds_text_readable_and_labels_apart(open_page, output_dir, w, h, dsf, view):
    p = open_page(w, h, scale=dsf)
    page = _open_screen(p, f"/?mode=screen&every=600&views={view}")
    _check_canvas(page, w, h)
    board = page.locator(".st-key-sq_board")
    expect(board).to_contain_text("最新督查与走访")
    if w / h > 3:  # a spliced wall: the board has a column of its own beside the charts
        charts = page.locator("[class*='st-key-sq_side_']").first.bounding_box()
        assert board.bounding_box()["x"] > charts["x"] + charts["width"]
        rows = board.locator(".st-key-sq_board_window [data-testid='stText']").all_inner_texts()
        assert rows and len(rows) == len(set(rows))  # the whole list fits: shown once, standing still
    p.finish(output_dir / f"screen-{view}-{w}x{h}@{dsf}.png")


def test_one_county_zooms_ranks_townships_and_says_what_it_lacks(open_page, output_dir):
    p = open_page(1920, 1080)
    page = _open_screen(p, "/parks?mode=screen&every=600&district=360881&views=community")
    ranges = page.evaluate("document.querySelector('.st-key-sq_map .js-plotly-plot')._fullLayout.xaxis.range")
    assert ranges[1] - ranges[0] < 1.2  # zoomed to the county (the city spans 2.5°)
    expect(page.locator(".st-key-sq_map")).to_contain_text("分乡镇")
    expect(page.locator(".st-key-sq_side_0")).to_contain_text("乡镇")
    from sanqu.geography import townships

    names = set(townships().query("district == '360881'")["name"])
    ticks = page.evaluate("[...document.querySelectorAll('.st-key-sq_side_0 .ytick text')].map((t) => t.textContent)")
    assert ticks and set(ticks) <= names, ticks
    _check_canvas(page, 1920, 1080)
    p.finish(output_dir / "screen-county-360881.png")
    page = _open_screen(p, "/?mode=screen&every=600&district=360823&views=scenic")
    for sel in (".st-key-sq_panel_0", ".st-key-sq_side_0", ".st-key-sq_side_1", ".st-key-sq_map"):
        expect(page.locator(sel)).to_contain_text("无旅游景区")
    _check_canvas(page, 1920, 1080)
    p.finish(output_dir / "screen-county-360823-no-scenic.png")


SEEN = """() => { window.__sqSeen = [];
  const v = document.querySelector("[class*='st-key-sq_panel_'] [data-testid='stMetricValue']");
  new MutationObserver(() => window.__sqSeen.push(v.textContent))
    .observe(v, {subtree: true, childList: true, characterData: true});
}"""


def test_any_page_link_opens_in_screen_mode_and_the_carousel_advances(open_page, output_dir):
    p = open_page(1920, 1080)
    page = _open_screen(p, "/parks?mode=screen&every=20&district=360881")
    title = page.locator(".st-key-sq_title h1")
    assert "井冈山市三区党建 · 工业园区" in title.inner_text()
    page.evaluate("window.__sqMarker = 42")
    page.evaluate(SEEN)
    expect(title).to_contain_text("城乡社区", timeout=45000)
    assert page.evaluate("window.__sqMarker") == 42  # advanced without a reload
    value = page.locator("[class*='st-key-sq_panel_'] [data-testid='stMetricValue']").first
    expect(value).to_have_text("87.0%", timeout=5000)  # the count ends on the value itself
    seen = set(page.evaluate("window.__sqSeen"))
    assert seen - {"90.6%", "87.0%"}, seen  # it counted through values in between
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

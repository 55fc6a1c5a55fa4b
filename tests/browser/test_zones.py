"""The zone pages in Debian's chromium: shared links with filters, figures equal to the
package's, a click on a bar that lists the rows behind it, and nothing fetched from outside."""

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from sanqu import fmt
from sanqu.areas import communities as cm
from sanqu.areas import parks, zones
from sanqu.areas import scenic as sc
from sanqu.context import Context
from sanqu.figures import park_page
from sanqu.scope import Scope

pytestmark = pytest.mark.browser


def _values(page, n: int) -> list[str]:
    cards = page.locator("[data-testid='stMetricValue']")
    cards.nth(n - 1).wait_for(timeout=30000)
    return cards.all_inner_texts()[:n]


def _list_count(page) -> int:
    text = page.locator("[data-testid='stMarkdownContainer']").filter(has_text=re.compile(r"· 共 [\d,]+ ")).first
    return int(re.search(r"共 ([\d,]+) ", text.inner_text()).group(1).replace(",", ""))


def _click_bar(page, n: int, name: str, segment: str) -> None:
    """A click, as a person makes it (the mouse at its middle), on the bar of the page's n-th Vega-Lite
    chart (from 0) of group `name` and segment `segment`: Vega's SVG names each bar by its tooltip."""
    chart = page.locator("[data-testid='stVegaLiteChart']").nth(n)
    chart.scroll_into_view_if_needed()
    bar = chart.locator(f"g.mark-rect path[aria-label*='名称: {name};'][aria-label*='类别: {segment};']").first
    bar.wait_for(timeout=30000)
    box = bar.bounding_box()
    assert box and box["height"] > 2 and box["width"] > 2, (name, segment, box)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _wait_for_list_of(page, n: int) -> None:
    """Until the list line says 共 n 家."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
        ".some(e => e.innerText.includes(`共 ${n} 家`))",
        arg=n,
        timeout=30000,
    )


def test_parks_link_with_filters(open_page, demo_db, output_dir):
    p = open_page(1920, 1080)
    page = p.open(f"/parks?district=360821&park=360821401&scale={quote('规下')}", wait_text="工业园区党建")
    period = demo_db.periods()[-1]
    trend = parks.trend(demo_db, Context(Scope.of("360821"), period), "360821401", "规下")
    kpis = zones.kpis(trend, period, parks.INDICATORS)
    gaps = int(trend.set_index("period").loc[period, "gaps"])
    assert _values(page, 8) == [fmt.pct(k.rate) for k in kpis] + [f"{gaps} 家"]
    body = page.inner_text("body")
    assert f"{kpis[0].numerator:,} / {kpis[0].denominator:,} 家" in body and "同比" in body and "演示数据" in body
    assert page.get_by_role("combobox", name="园区").input_value() == "井冈山经济技术开发区"
    assert _list_count(page) == gaps
    p.finish(output_dir / "parks-360821401-1920x1080.png")


def test_communities_link_with_filters(open_page, demo_db, output_dir):
    p = open_page(1920, 1080)
    page = p.open(f"/communities?district=360881&ctype={quote('农村社区')}&clist=upgrade", wait_text="城乡社区党建")
    period = demo_db.periods()[-1]
    trend = cm.trend(demo_db, Context(Scope.of("360881"), demo_db.periods()[-1]), "农村社区")
    kpis = zones.kpis(trend, period, cm.INDICATORS)
    candidates = int(trend.set_index("period").loc[period, "candidates"])
    assert _values(page, 8) == [fmt.pct(k.rate) for k in kpis] + [f"{candidates} 个"]
    assert _list_count(page) == candidates > 0
    assert "升格规则" in page.inner_text("body")
    p.finish(output_dir / "communities-360881-1920x1080.png")


def test_scenic_link_with_filters(open_page, demo_db, output_dir):
    p = open_page(1920, 1080)
    page = p.open("/scenic?district=360881&alevel=5A&slist=all", wait_text="旅游景区党建")
    period = demo_db.periods()[-1]
    trend = sc.trend(demo_db, Context(Scope.of("360881"), demo_db.periods()[-1]), "5A")
    k = {x.indicator.key: x for x in zones.kpis(trend, period, sc.INDICATORS + sc.THEME_INDICATORS)}
    order = ("scenic_org", "scenic_own", "scenic_joint", "scenic_work", "scenic_area_org", "scenic_spot_org")
    gaps = int(trend.set_index("period").loc[period, "gaps"])
    expected = [fmt.pct(k[key].rate) for key in order] + [f"{gaps} 个", fmt.pct(k["scenic_theme_districts"].rate)]
    assert _values(page, 8) == expected
    assert _list_count(page) == k["scenic_org"].denominator
    assert "一弘扬三创优" in page.inner_text("body")
    p.finish(output_dir / "scenic-360881-1920x1080.png")


def test_click_on_a_park_bar_lists_its_gaps(open_page, demo_db, output_dir):
    p = open_page(1366, 768)
    page = p.open("/parks?district=360821", wait_text="各园区覆盖情况")
    # parks: 吉安高新 (360821400), 井冈山经开 (360821401); its 未覆盖 bar
    _click_bar(page, 1, "井冈山经济技术开发区", "未覆盖")
    page.wait_for_url(re.compile(r"park=360821401"), timeout=30000)
    assert "plist=gaps" in page.url
    period = demo_db.periods()[-1]
    gaps = parks.counts(parks.status(demo_db, Context(Scope.of("360821"), period), "360821401"))["gaps"]
    _wait_for_list_of(page, gaps)
    assert _list_count(page) == gaps
    assert "井冈山经济技术开发区" in page.get_by_role("combobox", name="园区").input_value()
    p.finish(output_dir / "parks-click-360821-1366x768.png")


def test_click_on_a_district_bar_narrows_the_page_to_it(open_page, demo_db):
    p = open_page(1920, 1080)
    page = p.open("/parks", wait_text="各区县覆盖情况")
    _click_bar(page, 2, "吉水县", "未覆盖")  # 吉水县 (360822)
    page.wait_for_url(re.compile(r"district=360822"), timeout=30000)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("吉水县", timeout=30000)
    gaps = parks.counts(parks.status(demo_db, Context(Scope.of("360822"), demo_db.periods()[-1])))["gaps"]
    _wait_for_list_of(page, gaps)
    assert _list_count(page) == gaps
    assert page.locator("[data-testid='stText']").filter(has_text="（吉水县").count() >= 1
    assert p.outside == []


def _tree_box(page, about: str):
    """The box of the organisation tree whose description (name；level；counts) is `about`."""
    return page.locator(f'[data-testid="stVegaLiteChart"] g.mark-rect path[aria-label="{about}"]')


def test_click_on_a_党工委_draws_the_tree_from_it(open_page, demo_db, output_dir):
    """A click in a 党工委's box (on one of its 党总支: 吉安县's tree is drawn down to them) draws the
    tree from that 党工委, its 党总支 as boxes of their own; the county's name in the path above
    the chart draws it from the county again."""
    p = open_page(1366, 768)
    page = p.open("/parks?district=360821", wait_text="三级组织体系")
    ctx = Context(Scope.of("360821"), demo_db.periods()[-1])
    top = park_page.tree(demo_db, ctx, "all", "吉安县")
    rows = top.figure["data"]["values"]
    ga = next(r for r in rows if r["depth"] == 1 and r["level"].startswith("党工委"))
    below = park_page.tree(demo_db, ctx, "all", "吉安县", ga["id"]).figure["data"]["values"]
    branches = [r["about"] for r in below if r["depth"] == 1]
    assert branches and all("；党总支" in b for b in branches)
    box = _tree_box(page, ga["about"])
    box.scroll_into_view_if_needed()
    box.wait_for(timeout=30000)
    b = box.bounding_box()
    assert b and b["width"] > 50 and b["height"] > 50, b
    page.mouse.click(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    _tree_box(page, rows[0]["about"]).wait_for(state="detached", timeout=30000)  # the county's frame is gone
    for about in branches:
        _tree_box(page, about).wait_for(timeout=30000)
    frame = _tree_box(page, ga["about"])
    chart = frame.locator("xpath=ancestor::*[@data-testid='stVegaLiteChart']").bounding_box()
    frame = frame.bounding_box()
    assert frame and chart and frame["width"] >= chart["width"] - 2  # the 党工委 fills the chart
    path = page.locator(".st-key-park_tree_path")
    expect(path).to_contain_text(ga["name"])
    p.finish(output_dir / "parks-tree-360821-1366x768.png")
    path.get_by_role("button", name="吉安县").click()
    _tree_box(page, rows[0]["about"]).wait_for(timeout=30000)
    expect(path.get_by_role("button")).to_have_count(0)


# Every bar of a chart and its legend, as boxes on the page: [[legend], [bars...]] per chart (plotly
# and Vega-Lite).
LEGEND_AND_BARS = """() => [...document.querySelectorAll(CHARTS)].map((c) => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const legend = c.querySelector("g.legend rect.bg, g.role-legend");
  const marks = c.querySelectorAll("g.trace.bars g.point path, g.mark-rect.role-mark path");
  const bars = [...marks].filter((b) => b.getBBox().height > 0);
  return [legend ? box(legend) : null, bars.map(box)];
})""".replace("CHARTS", json.dumps("[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']"))


BAR_PAGES = [
    "/parks?district=360822",
    "/parks",
    "/communities?district=360822",
    "/scenic",
    "/sites",
    "/mechanisms",
    "/",
]


@pytest.mark.parametrize("path", BAR_PAGES)
def test_no_legend_of_a_chart_covers_a_bar(open_page, path):
    """Every page with bar charts at 1366 px, where a narrow column wraps a legend onto two lines:
    it stays above the bars (the template's legend hung down over the tallest bar of 规上与规下)."""
    p = open_page(1366, 768)
    page = p.open(path, wait_text="演示数据")
    charts = page.evaluate(LEGEND_AND_BARS)
    assert sum(len(bars) for _, bars in charts) > 0
    for i, (legend, bars) in enumerate(charts):
        if legend is None:
            continue
        over = [b for b in bars if b[0] < legend[2] and legend[0] < b[2] and b[1] < legend[3] and legend[1] < b[3]]
        assert over == [], f"{path}: chart {i}: its legend {legend} covers bars {over[:3]}"

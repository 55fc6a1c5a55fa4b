"""What a person sees on the 示范点 and 长效机制 pages, in Debian's chromium (server: SANQU_TODAY=2026-11-26)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sanqu import fmt
from sanqu.context import Context
from sanqu.programmes import mechanisms, sites
from sanqu.scope import Scope
from tests.browser.conftest import settle, still
from tests.evil import PAYLOADS

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 26)


def _metric_values(page, n: int) -> list[str]:
    page.locator("[data-testid='stMetricValue']").nth(n - 1).wait_for()
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_progress_board_figures_and_screenshot(open_page, demo_db, output_dir):
    p = open_page(1920, 1080)
    page = p.open("/sites", wait_text="进度看板（按阶段）")
    city = Context(Scope.city(), demo_db.periods()[-1], TODAY)
    table = sites.site_table(demo_db, city)
    counts = sites.status_counts(table)
    done, total = int(table["milestones_done"].sum()), int(table["milestones"].sum())
    expected = [
        f"{len(table)} 个",
        f"{counts['green']} 个",
        f"{counts['amber']} 个",
        f"{counts['red']} 个",
        fmt.pct(done / total),
        f"{len(sites.overdue_milestones(demo_db, city))} 个",
        f"{len(sites.uninspected_sites(demo_db, city))} 个",
        f"{sites.recent_inspections(sites.inspections(demo_db, city), TODAY)['mean_score']:.1f}",
    ]
    assert _metric_values(page, 8) == expected
    body = page.inner_text("body")
    for stage in sites.STAGES:
        assert f"{stage} · {int((table['stage'] == stage).sum())} 个" in body
    assert "演示数据" in body and "状态按今日 2026-11-26 计算" in body
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    p.finish(output_dir / "sites-board-1920x1080.png")


# Vega-Lite's chart, its y axis (the timeline's rows, the ranking's districts) and that axis's labels
CHART = ".vega-embed"
ROW_LABELS = ".vega-embed g.role-axis[aria-label^='Y-axis'] g.role-axis-label text"


def _row_labels(page) -> list[str]:
    page.locator(f"{CHART} svg.marks").first.wait_for()
    page.locator(ROW_LABELS).first.wait_for()
    return page.locator(ROW_LABELS).evaluate_all("els => els.map(e => e.textContent)")


def test_timeline_rows_and_screenshot(open_page, demo_db, output_dir):
    p = open_page(1920, 1080)
    page = p.open("/sites?view=timeline&district=360803", wait_text="节点时间轴")
    plot = page.locator(CHART).first
    plot.wait_for()
    labels = _row_labels(page)
    ms = sites.milestones(demo_db, Context(Scope.of("360803"), demo_db.periods()[-1], TODAY))
    rows = ms.drop_duplicates("site_id")
    expected = (rows["district_name"] + " · " + rows["site_name"]).tolist()
    # top down in the milestones' order; a long name cut to fit ends with …
    assert len(labels) == len(expected)
    assert all(e.startswith(label.removesuffix("…")) for label, e in zip(labels, expected)), (labels, expected)
    assert "今日 2026-11-26" in plot.evaluate("e => e.textContent")
    p.finish(output_dir / "sites-timeline-360803-1920x1080.png")


def test_city_timeline_and_ranking_at_1366(open_page, demo_db, output_dir):
    p = open_page(1366, 768)
    page = p.open("/sites?view=timeline", wait_text="节点时间轴")
    n = sites.milestones(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY))["site_id"].nunique()
    assert len(_row_labels(page)) == n
    page.screenshot(path=output_dir / "sites-timeline-1366x768.png")
    page = p.open("/sites?view=ranking", wait_text="红旗争创排名")
    labels = _row_labels(page)
    rank = sites.red_flag(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY))
    first = rank.iloc[0]
    assert labels[0] == f"1. {first['name']}"  # the first at the top
    assert f"1. {first['name']}" in page.locator(CHART).first.evaluate("e => e.textContent")
    p.finish(output_dir / "sites-ranking-1366x768.png")


def test_mechanisms_contact_points_in_one_district(open_page, demo_db, output_dir):
    p = open_page(1366, 768)
    page = p.open("/mechanisms?district=360821&section=contacts", wait_text="领导工作联系点")
    period = demo_db.periods()[-1]
    s = mechanisms.visit_summary(mechanisms.contact_points(demo_db, Context(Scope.of("360821"), period, TODAY)))
    expected = [f"{s['points']} 个", f"{s['visits']} 次", fmt.pct(s["visited"] / s["points"]), f"{s['unvisited']} 个"]
    assert _metric_values(page, 4) == expected
    assert page.get_by_role("combobox", name="区县").input_value() == "吉安县"
    page.locator(".js-plotly-plot").first.wait_for()
    p.finish(output_dir / "mechanisms-360821-1366x768.png")


def test_a_click_on_a_board_row_opens_that_site(open_page, demo_db, output_dir):
    p = open_page(1920, 1080)
    page = p.open("/sites?district=360803", wait_text="进度看板（按阶段）")
    table = sites.site_table(demo_db, Context(Scope.of("360803"), demo_db.periods()[-1], TODAY))
    # the first stage with a site; a stage with none draws no grid (only the caption 该阶段暂无示范点),
    # so the stage's grid is found under its own heading, not by its place among the stages
    stage = next(s for s in sites.STAGES if (table["stage"] == s).any())
    assert sites.STAGES.index(stage) > 0  # an empty stage comes first: the grid is not the stage's nth
    first = table[table["stage"] == stage].iloc[0]
    panel = page.locator("[data-testid='stColumn']").filter(has=page.locator("h4", has_text=f"{stage} · "))
    grid = panel.locator("[data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    grid.locator("canvas").first.wait_for()
    still(grid)
    # the row as the grid shows it (its accessible table): the stage's first site, in the board's order
    row = grid.locator("[role='row']").nth(1).locator("[role='gridcell']")
    name = row.nth(1).inner_text()
    assert name == first["name"]
    site_id = table.loc[table["name"] == name, "site_id"].item()  # one site of that name
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the row's selection box, below the header
    page.get_by_text("阶段（按节点计算）").wait_for(timeout=30000)
    assert f"site={site_id}" in page.url and "view=detail" in page.url
    assert page.get_by_role("combobox", name="视图").input_value() == "示范点详情"
    picked = page.get_by_role("combobox", name="示范点").input_value()
    assert picked == f"{first['district_name']} · {name}（{site_id}）"
    p.finish(output_dir / "sites-detail-360803-1920x1080.png")


LINK = '<a href="https://evil.example/">x</a>'
HAS_LINK = "e => e.textContent.includes(name)"
CHARTS = ".js-plotly-plot, .vega-embed"  # plotly's charts and Vega-Lite's


def test_hostile_park_and_site_names_in_charts_are_text_not_links(open_page, evil_server, output_dir):
    """A park / site named like a link: the bar chart and the timeline show the characters, no <a>."""
    assert LINK in PAYLOADS
    p = open_page(1920, 1080, base=evil_server)
    for path, wait, shot in (
        ("/parks", "各园区覆盖情况", "parks-hostile-name-1920x1080.png"),
        ("/sites?view=timeline", "节点时间轴", "sites-timeline-hostile-name-1920x1080.png"),
    ):
        page = p.open(path, wait_text=wait)
        texts = f"[...document.querySelectorAll('{CHARTS.replace(',', ' svg text,')} svg text')]"
        page.wait_for_function(f"name => {texts}.some({HAS_LINK})", arg=LINK, timeout=30000)
        for chart in CHARTS.split(", "):
            assert page.locator(f'{chart} a[*|href^="https://evil"], {chart} a[href]').count() == 0
            assert page.locator(f"{chart} svg text b, {chart} svg a").count() == 0
        plots = f"[...document.querySelectorAll('{CHARTS}')]"
        page.evaluate(f"name => {plots}.find({HAS_LINK}).scrollIntoView()", LINK)
        settle(page)
        if path == "/parks":
            _hover_bar_of(page, LINK)  # Vega's tooltip: the name as text
            tip = page.locator("#vg-tooltip-element")
            expect(tip).to_contain_text(LINK, timeout=30000)
            assert tip.locator("a, b").count() == 0
        page.screenshot(path=output_dir / shot)
    assert p.dialogs == [] and p.outside == []


def _hover_bar_of(page, name: str) -> None:
    """The mouse over the first Vega bar whose description (its tooltip's facts) holds `name`."""
    box = page.evaluate(
        """name => { const bar = [...document.querySelectorAll('.vega-embed g.mark-rect path[aria-label]')]
             .find((b) => b.getAttribute('aria-label').includes(name));
           const r = bar.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }""",
        name,
    )
    page.mouse.move(*box)

"""make serve's stack (scripts/serve.py: a real nginx in front of 2 replicas) driven in Chromium."""

import io
import os
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from sanqu import fmt
from sanqu.context import Context
from sanqu.geography import DISTRICTS
from sanqu.ingest import demo
from sanqu.metrics import overview
from sanqu.scope import Scope
from sanqu.storage.db import Database
from scripts import icons, serve
from scripts.bench_pages import PAGES
from scripts.firstload import CSP_HOOK
from scripts.server import free_port
from tests import stores
from tests.browser.conftest import settle

pytestmark = pytest.mark.browser

RUN = re.compile(r"script run page=(\S+)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """make serve with 2 replicas on a private copy of the demo data (a rebuild replaces it)."""
    if serve.shutil.which("nginx") is None and not os.access("/usr/sbin/nginx", os.X_OK):
        pytest.fail("nginx is not installed (.ci/run installs nginx-light)")
    data = stores.built(tmp_path_factory.mktemp("serve-data"))
    run = tmp_path_factory.mktemp("serve-run")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SANQU_DATA_DIR", str(data))
        mp.setenv("SANQU_TODAY", "2026-11-26")
        mp.setenv("SANQU_ACCESS", "local")
        running = serve.start(free_port(), 2, "127.0.0.1", run, logs=True)
        try:
            yield running, data
        finally:
            running.stop()


def _runs(run: Path, replica: int) -> int:
    return len(RUN.findall((run / f"replica-{replica}.log").read_text(errors="replace")))


def _kpis(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def _expected(data: Path, district: str | None = None) -> list[str]:
    db = Database(data / "sanqu.duckdb")
    try:
        scope = Scope.of(district) if district else Scope.city()
        return [fmt.pct(k.rate) for k in overview.headline(db, Context(scope, db.periods()[-1]))]
    finally:
        db.close()


def _visitor(browser, url: str):
    """A new browser profile on the overview; its page and the replica nginx sent it to."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    response = page.goto(url + "/")
    page.locator("[data-testid='stMetricValue']").nth(2).wait_for(timeout=60000)
    settle(page, 60000)
    return context, page, response.headers["x-sanqu-replica"]


def test_every_page_loads_with_security_headers(stack, browser):
    running, _ = stack
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    context.add_init_script(CSP_HOOK)  # every frame reports a load the policy blocked
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "CSP-VIOLATION" in m.text else None)
    for name in PAGES:
        response = page.goto(running.url + ("/" if name == "overview" else f"/{name}?every=3600"))
        settle(page, 60000)
        assert page.locator("[data-testid='stException']").count() == 0, name
        assert violations == [], name
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
        assert "*" not in csp.replace("'self'", "")  # no wildcard source in the policy
        assert headers["x-sanqu-replica"] in ("r1", "r2")
    page.wait_for_load_state("networkidle")
    assert violations == []
    context.close()


def test_the_largest_javascript_file_arrives_compressed_and_cached(stack, browser):
    running, _ = stack
    context = browser.new_context()
    page = context.new_page()
    scripts: dict[str, dict] = {}
    page.on("response", lambda r: scripts.__setitem__(r.url, r.headers) if r.url.endswith(".js") else None)
    page.goto(running.url + "/mechanisms")  # a page still drawn by plotly (the zone pages: Vega-Lite)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60000)  # plotly's bundle is in
    settle(page, 60000)
    static = serve.STREAMLIT_STATIC

    def size(url: str) -> int:
        path = static / url.split("/", 3)[3]
        return path.stat().st_size if path.exists() else 0

    largest = max(scripts, key=size)
    assert size(largest) > 1_000_000  # plotly's bundle, about 4.7 MB
    assert scripts[largest]["content-encoding"] == ("br" if serve.brotli() else "gzip")
    assert "immutable" in scripts[largest]["cache-control"]
    for encoding in ("gzip", "br") if serve.brotli() else ("gzip",):
        request = urllib.request.Request(largest, headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request) as reply:
            assert reply.headers["Content-Encoding"] == encoding
            assert len(reply.read()) < size(largest) / 3
    context.close()


# Every element drawn in the icon font, with its text and its width in ems (a glyph is about 1 em;
# a ligature the font lacks is drawn as its letters, several ems wide).
ICONS = """() => document.fonts.ready.then(() => [...document.querySelectorAll('body *')]
  .filter((e) => e.childElementCount === 0 && e.textContent.trim()
    && getComputedStyle(e).fontFamily.includes('Material Symbols') && e.getClientRects().length)
  .map((e) => {
    const text = document.createRange();  // the drawn text itself (the icon's box clips it)
    text.selectNodeContents(e);
    return [e.textContent.trim(), text.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize)];
  }))"""


def test_every_icon_is_drawn_from_the_cut_icon_font(stack, browser):
    running, _ = stack
    font = icons.font_file(serve.STREAMLIT_STATIC)
    assert font is not None
    with urllib.request.urlopen(f"{running.url}/static/media/{font.name}") as reply:
        served = reply.read()
        assert reply.headers["Cache-Control"] == "no-cache"  # cut under Streamlit's name: revalidated
    assert len(served) < font.stat().st_size / 10
    kept = icons.ligatures(TTFont(io.BytesIO(served)))
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    seen: set[str] = set()
    for name in PAGES:
        page.goto(running.url + ("/" if name == "overview" else f"/{name}?every=3600"))
        settle(page, 60000)
        drawn = page.evaluate(ICONS)
        assert drawn, name  # the navigation's icons at least
        for text, ems in drawn:
            assert text in kept and ems < 1.6, (name, text, ems)
        seen |= {text for text, _ in drawn}
    assert {"dashboard", "factory", "share"} <= seen
    context.close()


def test_two_browsers_stay_on_their_own_replicas(stack, browser):
    running, _ = stack
    visitors = [_visitor(browser, running.url)]
    while len(visitors) < 12 and visitors[-1][2] == visitors[0][2]:  # until nginx picks the other one
        visitors.append(_visitor(browser, running.url))
    a, b = visitors[0], visitors[-1]
    assert {a[2], b[2]} == {"r1", "r2"}
    for _context, page, replica in (a, b):
        mine, other = int(replica[1]), 3 - int(replica[1])
        for code in ("360822", "360826"):
            before = (_runs(running.run, mine), _runs(running.run, other))
            page.get_by_role("combobox", name="区县").click()
            page.get_by_role("option", name=DISTRICTS[code], exact=True).click()
            page.wait_for_url(re.compile(f"district={code}"))
            settle(page, 60000)
            assert _runs(running.run, mine) > before[0] and _runs(running.run, other) == before[1]
        before = (_runs(running.run, mine), _runs(running.run, other))
        assert page.reload().headers["x-sanqu-replica"] == replica
        settle(page, 60000)
        assert _runs(running.run, mine) > before[0] and _runs(running.run, other) == before[1]
    for context, _, _ in visitors:
        context.close()


def test_a_rebuilt_store_is_seen_by_both_replicas(stack, browser, tmp_path):
    running, data = stack
    visitors = [_visitor(browser, running.url)]
    while len(visitors) < 12 and visitors[-1][2] == visitors[0][2]:
        visitors.append(_visitor(browser, running.url))
    old = _expected(data)
    fresh = stores.built(tmp_path / "fresh", demo.generate(seed=demo.SEED + 1))
    new = _expected(fresh)
    assert new != old
    shutil.copy(fresh / "sanqu.duckdb", data / "sanqu.duckdb.new")
    os.replace(data / "sanqu.duckdb.new", data / "sanqu.duckdb")  # as make build swaps it in
    for _context, page, replica in (visitors[0], visitors[-1]):
        assert page.reload().headers["x-sanqu-replica"] == replica
        page.wait_for_function(
            "(want) => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")]"
            ".slice(0, want.length).map((e) => e.innerText).join('|') === want.join('|')",
            arg=new,
            timeout=60000,
        )
        assert _kpis(page)[: len(new)] == new
    for context, _, _ in visitors:
        context.close()

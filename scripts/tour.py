"""python -m scripts.tour [OUT]: screenshots of every page the way a new user sees it.

Starts the app on the `make run` data, opens every page for the city at the latest quarter and
for one county at the oldest quarter, at 1920×1080 and 1366×768, plus the big screen's views
(1920×1080, 3840×2160, a 6656×1792 wall), waits until each has settled, and saves full-page PNGs
in OUT (default bench-output/tour). Prints every request that left the app's origin (none
expected) and every exception shown on a page. Figures only: no assertions.
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sanqu.context import Context
from sanqu.paths import db_path
from sanqu.reports import briefing
from sanqu.scope import Scope
from sanqu.storage.db import Database
from scripts import server
from scripts.bench_pages import SETTLED
from scripts.chromium import FLAGS

PAGES = ("overview", "map", "parks", "communities", "scenic", "sites", "mechanisms", "upload", "admin", "screen")
SIZES = ((1920, 1080), (1366, 768))
SCREENS = ((1920, 1080, 1), (3840, 2160, 1), (6656, 1792, 1), (1536, 864, 1.25))
COUNTY = "360830"  # 永新县


def known_periods() -> list[str]:
    return list(Database(db_path()).periods())


def shoot(browser, url: str, out: Path, w: int, h: int, scale: float = 1, whole: bool = False) -> list[str]:
    """One screenshot (`whole`: the window made as tall as the page, to see below the fold)."""
    page = browser.new_page(viewport={"width": w, "height": h}, device_scale_factor=scale)
    origin = url.split("/", 3)[:3]
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith("/".join(origin)) or r.url.startswith("data:") else outside.append(r.url),
    )
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=90000, polling=50)
    errors = page.locator("[data-testid='stException']").count()
    if whole:
        tall = page.evaluate("document.querySelector(\"[data-testid='stMainBlockContainer']\").scrollHeight")
        page.set_viewport_size({"width": w, "height": max(h, int(tall) + 80)})
        page.wait_for_function(SETTLED, timeout=90000, polling=50)
    page.screenshot(path=str(out), full_page=True)
    page.close()
    return outside + ([f"{errors} exception(s) on {url}"] if errors else [])


def briefings(out: Path, views) -> None:
    """The briefing pack of each view, its pages as PNGs (poppler's pdftoppm)."""
    db = Database(db_path())
    for name, district, period in views:
        scope = Scope.of(district) if district else Scope.city()
        pdf = out / f"briefing-{name}.pdf"
        pdf.write_bytes(briefing.build(db, Context(scope, period, dt.date(2026, 11, 26)), db.meta().get("demo") == "1"))
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / f"briefing-{name}")], check=True)
    db.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    known = known_periods()
    views = [("city", "", known[-1]), ("county", COUNTY, known[0])]
    log = Path(tempfile.gettempdir()) / "sanqu-tour.log"
    proc, base = server.start({**os.environ, "SANQU_TODAY": "2026-11-26"}, log.open("wb"))
    problems: list[str] = []
    try:
        if not server.ready(base):
            sys.exit("app did not start")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            for name, district, period in views:
                q = f"?period={period}" + (f"&district={district}" if district else "")
                for page in PAGES:
                    for w, h in SIZES:
                        problems += shoot(browser, f"{base}/{page}{q}", out / f"{page}-{name}-{w}.png", w, h)
                    if page not in ("map", "screen"):
                        whole = out / f"{page}-{name}-whole.png"
                        problems += shoot(browser, f"{base}/{page}{q}", whole, 1366, 768, whole=True)
                for w, h, s in SCREENS:
                    shot = out / f"screen-mode-{name}-{w}x{h}@{s}.png"
                    problems += shoot(browser, f"{base}/overview{q}&mode=screen", shot, w, h, s)
                for view in ("parks", "communities", "scenic", "sites"):  # each view's first screen, at 150 %
                    shot = out / f"screen-{view}-{name}-1280x720@1.5.png"
                    problems += shoot(browser, f"{base}/{view}{q}&mode=screen", shot, 1280, 720, 1.5)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    briefings(out, views)
    print("\n".join(problems) or "no request left the origin, no exception shown")
    print(f"screenshots in {out}: {len(list(out.glob('*.png')))}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "bench-output/tour"))

"""Two settings side by side on fresh first visits of one page (figures only, no assertions).

    python -m scripts.ab_first parks SANQU_AHEAD_THREADS=2 SANQU_AHEAD_THREADS=0 [--districts 3]

Starts two app processes on the demo (the data folder of `make run`, SANQU_TODAY pinned), the
first with the environment settings of the first argument (`NAME=value,NAME=value`; "" for none),
the second with the second's, and drives one Chromium: each opens the page once on a choice
neither measures, then both open it at the same choices, in alternating order, each a fresh page
load at a (district, quarter) that process has not seen: the city and the first `--districts`
districts at every stored quarter. Each visit's server time and CPU time are read from the
process's own log (`script run page=… ms=… cpu_ms=…`); printed: the median, upper quartile and
most of each side. Both run without the shelf (SANQU_WARM=0, `ui/warm.py`) unless a side's settings
say SANQU_WARM=1.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from sanqu.geography import DISTRICTS
from sanqu.paths import db_path
from sanqu.storage.db import Database
from scripts.bench_pages import PAGES, SETTLED, TODAY, Log, _free_port, wait_healthy
from scripts.chromium import FLAGS

ROOT = Path(__file__).resolve().parent.parent


def start(settings: str, log: Path) -> tuple[subprocess.Popen, str]:
    """An app process with these settings (`NAME=value,…`), its log in `log`; (process, base URL)."""
    # no shelf unless asked for (SANQU_WARM=1): a first visit read from it is no first visit to compare
    env = dict(os.environ, SANQU_TODAY=TODAY, SANQU_LOG_LEVEL="INFO", SANQU_WARM="0")
    for kv in filter(None, settings.split(",")):
        name, _, value = kv.partition("=")
        env[name] = value
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(
        [*cmd, "--server.port", str(port)], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, 240)
    return proc, base


def visit(page, base: str, log: Log, path: str) -> tuple[float, float]:
    """Open `path` afresh; (server ms, server CPU ms) of the runs it caused."""
    log.mark()
    page.goto(base + path)
    deadline = time.time() + 60
    while not log.runs() and time.time() < deadline:
        page.wait_for_timeout(20)
    page.wait_for_function(SETTLED, timeout=60000, polling=20)
    page.wait_for_timeout(300)  # a second run, if any, is in the log by now
    runs = log.runs()
    return sum(r[2] for r in runs), sum(r[3] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("page", choices=[p for p in PAGES if p != "screen"])
    ap.add_argument("a", help="settings of the first process, NAME=value,… ('' for none)")
    ap.add_argument("b", help="settings of the second process")
    ap.add_argument("--districts", type=int, default=3)
    args = ap.parse_args()
    db = Database(db_path())
    quarters = db.periods()
    db.close()
    codes = list(DISTRICTS)
    choices = [("", q) for q in quarters[1:]] + [(c, q) for q in quarters[1:] for c in codes[: args.districts]]
    link = "/" if args.page == "overview" else f"/{args.page}"
    with tempfile.TemporaryDirectory() as tmp:
        sides: list[tuple[str, subprocess.Popen, str, Log, list[tuple[float, float]]]] = []
        for i, settings in enumerate((args.a, args.b)):
            path = Path(tmp) / f"app{i}.log"
            proc, base = start(settings, path)
            sides.append((settings or "(defaults)", proc, base, Log(path), []))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                for _, _, base, log, _ in sides:  # warm: a choice no measured visit makes
                    visit(page, base, log, f"{link}?district={codes[-1]}&period={quarters[0]}")
                for k, (district, quarter) in enumerate(choices):
                    query = f"?period={quarter}" + (f"&district={district}" if district else "")
                    for _, _, base, log, out in sides if k % 2 == 0 else sides[::-1]:
                        out.append(visit(page, base, log, link + query))
                browser.close()
        finally:
            for _, proc, _, _, _ in sides:
                proc.terminate()
                proc.wait(10)
    for name, _, _, _, out in sides:
        wall, cpu = [w for w, _ in out], [c for _, c in out]
        print(
            f"{name:40s} visits={len(out)} server ms: median {statistics.median(wall):.0f}"
            f" p75 {statistics.quantiles(wall, n=4)[2]:.0f} max {max(wall):.0f}"
            f" | server CPU ms: median {statistics.median(cpu):.0f}"
        )


if __name__ == "__main__":
    main()

"""make browser-cost: what one page load costs the browser and the server, in CPU seconds (figures
only). It says what `make load` can show with its browsers on the server's own cores.

    python -m scripts.browser_cost [page ...]      # default: blank and every page

Starts a blank Streamlit app (`st.write`: Streamlit's own frontend, the floor under any page) and
the app (the data folder of `make run`, SANQU_TODAY pinned), and in one Debian chromium opens each
page REPEAT times again (a fresh load of its link, the data cached by the first), each time until
settled (`bench_pages.SETTLED`: script over, every chart and the map drawn) and the network idle,
reading the CPU seconds of the browser's processes and of the server before and after (the median).
Last line: `browser_cpu_s blank=X overview=Y … server_cpu_s max=Z` — N users opening a page at
once need N times its browser CPU of the machine before the server's share.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from scripts.bench_pages import PAGES, SETTLED
from scripts.chromium import FLAGS, executable
from scripts.load import cpu_s, descendants
from scripts.server import free_port

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 5
TODAY = "2026-11-26"
BLANK = 'import streamlit as st\n\nst.write("blank")\n'


def _serve(app: Path, cwd: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", "127.0.0.1"]
    cmd += ["--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                return server, base
        except OSError:
            time.sleep(0.25)
    server.terminate()
    raise SystemExit(f"{app}: the server did not start")


def _loads(page, url: str, server: int) -> tuple[float, float]:
    """(browser CPU s, server CPU s) of loading `url` afresh: medians of REPEAT loads after a first."""
    me = os.getpid()

    def load(i: int) -> None:
        page.goto(f"{url}{'&' if '?' in url else '?'}load={i}")
        page.wait_for_function(SETTLED, timeout=120_000, polling=50)
        page.wait_for_load_state("networkidle")

    load(0)
    browser, srv = [], []
    for i in range(1, REPEAT + 1):
        pids = descendants(me)
        b0, s0 = cpu_s(pids), cpu_s([server])
        load(i)
        page.wait_for_timeout(500)  # what the load set off (a last paint, a late frame)
        browser.append(cpu_s(descendants(me)) - b0)
        srv.append(cpu_s([server]) - s0)
    return statistics.median(browser), statistics.median(srv)


def main(pages: list[str]) -> None:
    if not executable():
        raise SystemExit("needs Debian's chromium")
    env = dict(os.environ, SANQU_TODAY=TODAY)
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        blank = Path(tmp) / "blank.py"
        blank.write_text(BLANK, encoding="utf-8")
        browser = p.chromium.launch(executable_path=executable(), args=FLAGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        for name, app, cwd in (("blank", blank, Path(tmp)), ("app", ROOT / "app.py", ROOT)):
            todo = ["blank"] if name == "blank" else [p for p in pages if p != "blank"]
            if not todo:
                continue
            server, base = _serve(app, cwd, env)
            try:
                for each in todo:
                    path = "/" if each in ("blank", "overview") else f"/{each}"
                    b, s = _loads(page, base + path, server.pid)
                    rows.append((each, b, s))
                    print(f"{each:12s} browser {b:5.2f} s CPU   server {s:5.2f} s CPU", flush=True)
            finally:
                server.terminate()
                server.wait(10)
        browser.close()
    cpus = " ".join(f"{n}={b:.2f}" for n, b, _ in rows)
    print(f"browser_cpu_s {cpus} server_cpu_s max={max(s for _, _, s in rows):.2f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["blank", *PAGES])

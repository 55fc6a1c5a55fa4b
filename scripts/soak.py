"""make soak: does the big screen stay up for a working day? Server and browser memory
over a shorter run, with the slope (MB per hour) from a least-squares fit.

  python -m scripts.soak [minutes] [carousel-seconds]
  PROXY=1 python -m scripts.soak 60 5   # through make serve's stack (nginx, one replica)

Prints the curve (server RSS every 5 minutes) and the slope of the whole run and of its second
half: a plateau has a second-half slope near 0.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from playwright.sync_api import sync_playwright

from scripts.chromium import FLAGS as CHROMIUM_FLAGS
from scripts.server import ready, start

FLAGS = [*CHROMIUM_FLAGS, "--enable-precise-memory-info"]


class _Sample(NamedTuple):
    seconds: float  # since the page was up
    rss_mb: float  # the server's resident memory
    heap_mb: float  # the page's JS heap
    title: str  # the view the carousel shows


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _slope(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs) or 1
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den


def _stack() -> tuple[Callable[[], None], str, int]:
    """The app on its own, or (PROXY=1) make serve's stack with one replica: stop, url, the app's pid."""
    if os.environ.get("PROXY"):
        from scripts import serve
        from scripts.server import free_port

        run = Path(tempfile.mkdtemp(prefix="sanqu-soak-"))
        stack = serve.start(free_port(), 1, "127.0.0.1", run)
        return stack.stop, stack.url, stack.apps[0].pid
    server, url = start(dict(os.environ), subprocess.DEVNULL)
    ready(url, tries=80)

    def stop() -> None:
        server.terminate()
        server.wait(10)

    return stop, url, server.pid


def main(minutes: float = 10, every: int = 5) -> None:
    stop, url, pid = _stack()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"{url}/?mode=screen&every={every}")
            page.wait_for_selector(".st-key-sq_title h1", timeout=60000)
            page.evaluate("window.__soak = 1")
            t0, samples = time.time(), []
            while time.time() - t0 < minutes * 60:
                page.wait_for_timeout(15000)
                heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize / 1048576 : NaN")
                samples.append(
                    _Sample(time.time() - t0, _rss_mb(pid), heap, page.locator(".st-key-sq_title h1").inner_text())
                )
            reloaded = page.evaluate("window.__soak") != 1
            browser.close()
    finally:
        stop()
    hours = [s.seconds / 3600 for s in samples]
    views = len({s.title for s in samples})
    print(f"soak: {minutes:g} min, carousel every {every} s, {len(samples)} samples, {views} views seen")
    print(f"  page reloaded during the run: {reloaded}; through nginx: {bool(os.environ.get('PROXY'))}")
    curve = [s for i, s in enumerate(samples) if i % 20 == 19 or i == 0]  # every 5 minutes (15 s samples)
    print("  server RSS: " + ", ".join(f"{s.seconds / 60:.0f} min {s.rss_mb:.0f} MB" for s in curve))
    for label, ys in (("server RSS", [s.rss_mb for s in samples]), ("browser JS heap", [s.heap_mb for s in samples])):
        half = len(ys) // 2
        print(
            f"  {label:16s} first {ys[0]:7.1f} MB, last {ys[-1]:7.1f} MB, max {max(ys):7.1f} MB; "
            f"slope {_slope(hours, ys):+8.1f} MB/h (second half {_slope(hours[half:], ys[half:]):+8.1f} MB/h)"
        )


if __name__ == "__main__":
    args = sys.argv[1:3]
    if len(args) == 2:
        main(float(args[0]), int(args[1]))
    elif args:
        main(float(args[0]))
    else:
        main()

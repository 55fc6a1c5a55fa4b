"""make soak: does the big screen stay up for a working day? Server and browser memory
over a shorter run, with the slope (MB per hour) from a least-squares fit.

  python -m scripts.soak [minutes] [carousel-seconds]
"""

import os
import shutil
import subprocess
import sys
import time
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


def main(minutes: float = 10, every: int = 5) -> None:
    server, url = start(dict(os.environ), subprocess.DEVNULL)
    try:
        ready(url, tries=80)
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
                    _Sample(
                        time.time() - t0, _rss_mb(server.pid), heap, page.locator(".st-key-sq_title h1").inner_text()
                    )
                )
            reloaded = page.evaluate("window.__soak") != 1
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    hours = [s.seconds / 3600 for s in samples]
    views = len({s.title for s in samples})
    print(f"soak: {minutes:g} min, carousel every {every} s, {len(samples)} samples, {views} views seen")
    print(f"  page reloaded during the run: {reloaded}")
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

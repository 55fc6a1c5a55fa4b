"""make firstload: the bytes a first and a repeat visit of the overview transfer, straight from
an app process (before: no proxy) and through make serve's nginx (after); a fresh profile's first
visit of every page through the proxy; then every page with the Content-Security-Policy
violations Chromium reports (figures only).

  python -m scripts.firstload            # starts its own stack (1 replica) on free ports
  URL=http://host:8080 python -m scripts.firstload   # an running proxy (no "before")
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from scripts import serve
from scripts.bench_pages import PAGES, SETTLED
from scripts.chromium import FLAGS
from scripts.server import free_port

# Every frame (the app and its component iframes) reports a blocked load on its console.
CSP_HOOK = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error("CSP-VIOLATION " + e.violatedDirective + " " + e.blockedURI + " in " + location.pathname));"""


class Wire:
    """Bytes on the wire (headers and compressed bodies) of a page's HTTP responses, from the
    DevTools protocol; websocket payload separately."""

    def __init__(self, context, page):
        self.http = 0
        self.requests = 0
        self.cached = 0
        self.ws = 0
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._done)
        cdp.on("Network.requestServedFromCache", lambda _e: self._cache())
        cdp.on("Network.webSocketFrameReceived", lambda e: self._ws(e))

    def _done(self, event) -> None:
        self.http += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def _cache(self) -> None:
        self.cached += 1

    def _ws(self, event) -> None:
        self.ws += len(event["response"].get("payloadData", ""))

    def line(self) -> str:
        return (
            f"http_on_wire={self.http / 1e6:.2f}MB requests={self.requests} from_cache={self.cached} "
            f"websocket={self.ws / 1e6:.2f}MB"
        )


def path_of(name: str) -> str:
    return "/" if name == "overview" else f"/{name}" + ("?every=3600" if name == "screen" else "")


def visit(browser, url: str, path: str = "/", times: int = 2) -> list[Wire]:
    """The first visit of a fresh browser profile, then repeat visits (a new tab, same cache)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    out = []
    for _ in range(times):
        page = context.new_page()
        wire = Wire(context, page)
        page.goto(url + path)
        page.wait_for_function(SETTLED, timeout=120000, polling=100)
        page.wait_for_load_state("networkidle")
        out.append(wire)
        page.close()
    context.close()
    return out


def every_first_visit(browser, url: str) -> None:
    """A fresh browser profile's first visit of each page (a shared link may open any of them)."""
    sizes = {}
    for name in PAGES:
        (wire,) = visit(browser, url, path_of(name), times=1)
        sizes[name] = wire.http
        print(f"first visit {name}: {wire.line()}", flush=True)
    worst = max(sizes, key=sizes.__getitem__)
    print(f"largest_first_visit={sizes[worst] / 1e6:.2f}MB page={worst}", flush=True)


def csp_check(browser, url: str) -> list[str]:
    """Every page through the proxy; the CSP violations reported (none expected)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(CSP_HOOK)
    page = context.new_page()
    seen: list[str] = []
    page.on(
        "console", lambda m: seen.append(m.text) if "CSP-VIOLATION" in m.text or "Content Security" in m.text else None
    )
    for name in PAGES:
        before = len(seen)
        page.goto(url + path_of(name))
        page.wait_for_function(SETTLED, timeout=120000, polling=100)
        page.wait_for_load_state("networkidle")
        print(f"csp {name}: {len(seen) - before} violations", flush=True)
    context.close()
    return seen


def main() -> None:
    given = os.environ.get("URL")
    with tempfile.TemporaryDirectory(prefix="sanqu-firstload-") as run, sync_playwright() as pw:
        running = None
        if not given:
            running = serve.start(free_port(), int(os.environ.get("REPLICAS") or 1), "127.0.0.1", Path(run))
        try:
            url = given or running.url  # type: ignore[union-attr]
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            if running:
                state = json.loads(serve.state_file(int(url.rsplit(":", 1)[1])).read_text())
                direct = f"http://127.0.0.1:{state['ports'][0]}"
                first, repeat = visit(browser, direct)
                print(f"before (app process, no proxy): first {first.line()}; repeat {repeat.line()}", flush=True)
            first, repeat = visit(browser, url)
            print(f"after (through nginx): first {first.line()}; repeat {repeat.line()}", flush=True)
            every_first_visit(browser, url)
            violations = csp_check(browser, url)
            for v in sorted(set(violations)):
                print("  " + v)
            print(f"csp_violations={len(violations)} pages={len(PAGES)}")
            browser.close()
        finally:
            if running:
                running.stop()


if __name__ == "__main__":
    main()

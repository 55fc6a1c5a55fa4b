"""A real app server on a free port and Debian's chromium driven by Playwright.

Outside CI a missing browser skips these tests; with CI=true it fails them.
"""

import os
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from scripts import server as server_script
from scripts.chromium import FLAGS


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser test cannot start in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server(demo_data):
    """`make run`-style start of the app on a free port; yields its base URL."""
    yield from _serve(demo_data)


@pytest.fixture(scope="session")
def evil_server(tmp_path_factory):
    """The app on demo data whose names carry script and markup payloads."""
    from sanqu.ingest import demo
    from tests import stores
    from tests.evil import evil_rows

    yield from _serve(stores.built(tmp_path_factory.mktemp("evil-app"), evil_rows(demo.generate())))


def _serve(demo_dir, log_name: str = "server.log", args=(), port: int | None = None, **extra: str):
    """The app on `demo_dir`, with `extra` settings (SANQU_ACCESS=proxy …) in its environment."""
    env = {**os.environ, "SANQU_DATA_DIR": str(demo_dir), "SANQU_TODAY": "2026-11-26", "SANQU_GC_IDLE": "1", **extra}
    log = open(demo_dir / log_name, "w")  # noqa: SIM115
    proc, url = server_script.start(env, log, args=args, port=port)
    if not server_script.ready(url):
        proc.kill()
        pytest.fail("the app server did not answer /_stcore/health: " + (demo_dir / log_name).read_text())
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    exe = shutil.which("chromium")
    if not exe:
        _unavailable("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        b = pw.chromium.launch(executable_path=exe, args=FLAGS)
    except Exception as exc:  # noqa: BLE001
        _unavailable(f"chromium would not start: {exc}")
    yield b
    b.close()
    pw.stop()


SETTLED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const plots = [...document.querySelectorAll(".js-plotly-plot")];
  const vegas = [...document.querySelectorAll(".vega-embed")];
  if (!vegas.every((v) => v.querySelector("svg.marks, canvas.marks"))) return false;
  return plots.every((p) => p.querySelector(".main-svg")) && document.fonts.status === "loaded";
}"""


# a promise of two animation frames: resize observers (and what they ask of the next frame) ran
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def settle(page, timeout: int = 30000) -> None:
    """Wait until the script run has finished, every chart is drawn and the fonts are in: a
    condition, never a fixed sleep."""
    page.wait_for_function(SETTLED, timeout=timeout)


STILL = """(el) => new Promise((done) => {
  let last = JSON.stringify(el.getBoundingClientRect());
  const check = () => requestAnimationFrame(() => {
    const now = JSON.stringify(el.getBoundingClientRect());
    if (now === last) done(true); else { last = now; check(); }
  });
  check();
})"""


def still(locator) -> None:
    """Wait until an element has stopped moving (scrolling, layout) over one animation frame."""
    locator.evaluate(STILL)


class Page:
    """A browser page that records every request that leaves the app's origin."""

    def __init__(self, browser, base: str, width: int, height: int, scale: float = 1):
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
        self.page = self.context.new_page()
        self.outside: list[str] = []
        origin = base.replace("http://", "")

        def check(request):
            url = request.url
            if url.startswith(("data:", "blob:", "about:")):
                return
            if url.split("//", 1)[-1].split("/", 1)[0] != origin:
                self.outside.append(url)

        self.page.on("request", check)
        self.page.on("websocket", lambda ws: check(ws))
        self.dialogs: list[str] = []  # an alert() from a payload would land here

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)

    def map_frame(self, until: str | None = None):
        """The st_folium iframe once it is the only one and its layers are drawn (and the
        expression `until` is true in it: a later wait on a returned frame could find it replaced)."""
        sel = "iframe[title='streamlit_folium.st_folium']"
        drawn = "window.sanqu && window.map && Object.values(window.sanqu.districts || {}).some((d) => d._map)"
        if until:
            drawn = f"{drawn} && ({until})"
        for _ in range(5):  # a rerun may replace the iframe between finding it and reading it: find it again
            self.page.wait_for_function(f'document.querySelectorAll("{sel}").length === 1', timeout=30000)
            handle = self.page.wait_for_selector(sel)
            frame = handle.content_frame()
            if frame is None:
                continue
            try:
                frame.wait_for_function(drawn)
            except PlaywrightTimeout:
                raise
            except PlaywrightError as err:  # the frame was detached by a rerun
                if "detached" not in str(err).lower():
                    raise
                continue
            return handle, frame
        raise AssertionError("the map's iframe was replaced five times while waiting for it")

    def open(self, path: str, wait_text: str | None = None):
        self.page.goto(self.base + path)
        self.page.wait_for_selector("[data-testid='stApp']")
        if wait_text:
            self.page.get_by_text(wait_text).first.wait_for(timeout=30000)
        settle(self.page)
        return self.page

    def finish(self, shot, **screenshot) -> None:
        """A screenshot of the settled page at `shot`; nothing was fetched from outside the app's origin."""
        settle(self.page)
        self.page.screenshot(path=shot, **screenshot)
        assert self.outside == []

    def close(self):
        self.context.close()


@pytest.fixture()
def open_page(browser, server):
    pages = []

    def make(width=1920, height=1080, base=None, scale: float = 1) -> Page:
        """A page of `width`×`height` CSS px; `scale` is the device scale factor (Windows 125 % = 1.25)."""
        p = Page(browser, base or server, width, height, scale)
        pages.append(p)
        return p

    yield make
    for p in pages:
        p.close()

"""make bench-pages: what one person waits for on every page (figures only, no assertions).

Starts the app (`streamlit run app.py` on a free loopback port, the data folder of `make run`,
SANQU_TODAY pinned, its log captured) and drives Debian's chromium through every page:

- server ms: from the app's log (`script run page=… ms=… cpu_ms=…`; a fragment's own rerun logs
  `script run page=… fragment=… ms=… cpu_ms=…`), the runs an action caused, summed; `cpu` is the
  server process's CPU time in those runs (every thread), for the costliest click of the page;
- first: opening the page (a fresh load of its link); district: choosing a district the first
  time, back: the city again, repeat: the district again (both cached); period: the quarter before;
  warm: the page's first link opened again (its data cached, the browser's files too), what
  "settled warm" means (`worst_warm_settle_s`); town: the page opened at a township of the
  district at the pass's older quarter (a fresh load); townnow: the same township at the newest
  quarter (the link as shared): both made ahead by the warmer (setting `warm_townships`: all);
  filter: after `warm`, the page's own first filter set to its second option (FILTERS: 工业园区's
  industry, 城乡社区's kind, 旅游景区's A level, 示范点's view, 长效机制's section, the map's zone), at
  the city at the pass's opening quarter: read from the shelf when that is the newest quarter (the
  warmer tries each option of a page's choices there, setting `warm_filters`), else made at the click;
  filterold: after `period`, the same filter set to its third option at the city at the pass's older
  quarter, made at the click in every pass (a choice the warmer does not try at an older quarter);
- settle s: the browser's time from the action to settled (script finished, every chart drawn,
  fonts loaded; on the map also the Leaflet map);
- http KB (responses) and ws KB (websocket frames received) of opening the page, and the most
  websocket KB of one click.

The big screen has no sidebar: its district, period and township changes are links; `tick` is the
carousel's fragment rerun (the other views the first time, then the same views again), its settle
timed from the moment the browser saw the rerun start (not the wait for the carousel's timer).

A warming pass on other districts and quarters (the server process, the browser and Python warm,
the measured choices not yet asked for), then, with the setting `warm` on (the default), a wait
until the app's warmer has made every page's default view at the city and every district and
quarter ahead (`ui/warm.py`, the store's shelf: what a server answers from once it has had the
store a few minutes; its time is printed), then the measured passes (`--samples N`, 3 by default):
each on choices no pass has made before (its own district, the city at its own quarter, its own
quarter before, a township of its district), so no first visit or first click is in the server's
memory: the district's, quarter's and the township's are read from the shelf, the filters at an
older quarter made at the click. `SANQU_WARM_TOWNSHIPS=1 make bench-pages`: the townships at the
newest quarter only on the shelf, `town` made at the click.
`SANQU_WARM=0 make bench-pages`: no shelf, every first visit made at the click. A cell is the
median of the passes. One pass of this VM swings a cell by 30-50 %.

The server's CPU time (`cpu`) is printed beside its wall time: the browser shares this machine's
two cores with the server, and a first visit's wall time swings far more than its CPU (工业园区:
190-520 ms logged for 155-265 ms of the server's CPU).

`--pin` runs the server on the first core and the browser (and this script) on the others, as
when the person's browser is on their own machine: the server's time without the browser's
page loads (1-2 s of CPU each, `make browser-cost`) competing for its core. The server then has
one core, not two.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from sanqu import periods as quarters
from sanqu import settings
from sanqu.geography import CITY_CODE, CITY_NAME, DISTRICTS, townships
from sanqu.paths import db_path
from sanqu.storage.db import Database
from sanqu.storage.shelf import Shelf
from scripts.chromium import FLAGS

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"
PAGES = ("overview", "map", "parks", "communities", "scenic", "sites", "mechanisms", "screen")
LINE = re.compile(r"script run page=(\S+)(?: fragment=(\S+))? ms=([\d.]+)(?: cpu_ms=([\d.]+))?")
QUIET_S = 0.6  # no new run for this long after settling: the action's runs are over
CITY_LABEL = CITY_NAME + "（全市）"

SETTLED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const plots = [...document.querySelectorAll(".js-plotly-plot")];
  const vegas = [...document.querySelectorAll(".vega-embed")];
  if (!vegas.every((v) => v.querySelector("svg.marks, canvas.marks"))) return false;
  if (!plots.every((p) => p.querySelector(".main-svg")) || document.fonts.status !== "loaded") return false;
  const frame = document.querySelector("iframe[title='streamlit_folium.st_folium']");
  if (!frame) return true;
  try {
    const w = frame.contentWindow;
    return !!(w.sanqu && w.map && Object.values(w.sanqu.districts || {}).some((d) => d._map));
  } catch (e) { return false; }
}"""

# When the script (a fragment's tick) starts: the app's script state leaves "notRunning". Read from
# the mutation records, not the attribute: a tick's run can be over before the observer's callback
# runs, and the state read then was already "notRunning" again (the settle then counted the wait
# for the carousel's timer: 4 s on the big screen now and then).
RUN_START = """() => {
  window.__sqRunAt = performance.now();
  const app = document.querySelector("[data-testid='stApp']");
  if (window.__sqRunObs) window.__sqRunObs.disconnect();
  let seen = false;
  window.__sqRunObs = new MutationObserver((records) => {
    if (!seen && records.some((r) => r.oldValue === "notRunning")) {
      seen = true;
      window.__sqRunAt = performance.now();
    }
  });
  const only = ["data-test-script-state"];
  window.__sqRunObs.observe(app, { attributes: true, attributeOldValue: true, attributeFilter: only });
}"""


class Log:
    """The server's captured stderr, read from where the last action left off."""

    def __init__(self, path: Path):
        self.path, self.offset = path, 0

    def mark(self) -> None:
        self.offset = self.path.stat().st_size

    def runs(self) -> list[tuple[str, str | None, float, float]]:
        """(page, fragment, server ms, server CPU ms) of each run logged since the mark."""
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            text = fh.read().decode("utf-8", "replace")
        return [(m[1], m[2], float(m[3]), float(m[4] or "nan")) for m in LINE.finditer(text)]


@dataclass
class Traffic:
    http: list = field(default_factory=list)  # finished requests
    ws: int = 0  # bytes received over websockets

    def reset(self) -> None:
        self.http, self.ws = [], 0

    def http_bytes(self) -> int:
        total = 0
        for r in self.http:
            try:
                s = r.sizes()
                total += max(s["responseBodySize"], 0) + max(s["responseHeadersSize"], 0)
            except Exception:  # noqa: BLE001
                continue
        return total


@dataclass
class Action:
    ms: float  # server time of the runs it caused
    runs: int
    settle: float  # seconds in the browser
    ws: int
    http: int
    cpu: float  # the server's CPU time in those runs (ms)


class Bench:
    def __init__(self, page, base: str, log: Log):
        self.page, self.base, self.log, self.net = page, base, log, Traffic()
        page.on("requestfinished", lambda r: self.net.http.append(r))
        page.on("websocket", self._ws)

    def _ws(self, ws) -> None:
        def got(payload) -> None:
            self.net.ws += len(payload)

        ws.on("framereceived", got)

    def act(self, do, runs_needed: int = 1, from_run: bool = False) -> Action:
        """Do something, wait for its script run(s) in the log and the browser to settle, then
        for quiet; the runs it caused and the traffic. `from_run`: settled is timed from the
        moment the browser saw the script start (a timer's tick: not the wait for the timer)."""
        self.log.mark()
        self.net.reset()
        if from_run:
            self.page.evaluate(RUN_START)
        t0 = time.perf_counter()
        do()
        deadline = time.time() + 60
        while len(self.log.runs()) < runs_needed and time.time() < deadline:
            self.page.wait_for_timeout(20)
        self.page.wait_for_function(SETTLED, timeout=60000, polling=20)
        settle = time.perf_counter() - t0
        if from_run:
            settle = self.page.evaluate("() => (performance.now() - window.__sqRunAt) / 1000")
        seen, quiet = len(self.log.runs()), time.time()
        while time.time() - quiet < QUIET_S:
            self.page.wait_for_timeout(50)
            if len(self.log.runs()) != seen:
                seen, quiet = len(self.log.runs()), time.time()
                self.page.wait_for_function(SETTLED, timeout=60000, polling=20)
        runs = self.log.runs()
        ms, cpu = sum(r[2] for r in runs), sum(r[3] for r in runs)
        return Action(ms, len(runs), settle, self.net.ws, self.net.http_bytes(), cpu)

    def open(self, path: str) -> Action:
        return self.act(lambda: self.page.goto(self.base + path))

    def choose(self, label: str, option: str) -> Action:
        box = self.page.get_by_role("combobox", name=label)

        def do() -> None:
            box.click()
            self.page.get_by_role("option", name=option, exact=True).click()

        return self.act(do)

    def choose_nth(self, label: str, n: int) -> Action:
        """The n-th option (0: the first) of the select box `label`."""
        box = self.page.get_by_role("combobox", name=label)

        def do() -> None:
            box.click()
            self.page.get_by_role("option").nth(n).click()

        return self.act(do)

    def ticks(self, n: int) -> list[Action]:
        """The next n carousel ticks of the big screen (fragment reruns)."""
        out = []
        for _ in range(n):
            out.append(self.act(lambda: None, from_run=True))
        return out


def measure_page(b: Bench, name: str, district: str, period: str, start: str = "") -> dict:
    """One page: open it, district (first, back, repeat), period, then its link again (warm: the
    page's data cached, the browser's files too)."""
    row: dict = {"page": name}
    if name == "screen":
        link = "/screen?scale=1&every=3600"
        row["first"] = b.open(link + (f"&{start}" if start else ""))
        row["district"] = b.open(f"{link}&district={district}")
        row["back"] = b.open(f"{link}&district={CITY_CODE}")
        row["repeat"] = b.open(f"{link}&district={district}")
        row["period"] = b.open(f"{link}&period={period}")
        row["warm"] = b.open(link + (f"&{start}" if start else ""))
        row["town"] = b.open(f"{link}&district={township(district)}&period={period}")
        row["town_now"] = b.open(f"{link}&district={township(district)}")
        b.open("/screen?scale=1&every=5" + (f"&{start}" if start else ""))
        first, again = b.ticks(4), (b.ticks(1), b.ticks(4))[1]
        row["tick"] = max(first, key=lambda a: a.ms)
        row["tick_repeat"] = max(again, key=lambda a: a.ms)
        return row
    link = f"/{'' if name == 'overview' else name}" + (f"?{start}" if start else "")
    row["first"] = b.open(link)
    row["district"] = b.choose("区县", DISTRICTS[district])
    row["back"] = b.choose("区县", CITY_LABEL)
    row["repeat"] = b.choose("区县", DISTRICTS[district])
    row["period"] = b.choose("统计季度", quarters.label(period))
    if name in FILTERS:
        label, n = FILTERS[name]
        row["filter_old"] = b.choose_nth(label, n + 1)
    row["warm"] = b.open(link)
    if name in FILTERS:
        row["filter"] = b.choose_nth(*FILTERS[name])
    row["town"] = b.open(f"/{'' if name == 'overview' else name}?district={township(district)}&period={period}")
    row["town_now"] = b.open(f"/{'' if name == 'overview' else name}?district={township(district)}")
    return row


def township(district: str) -> str:
    """The district's first township."""
    rows = townships()
    return str(min(rows.loc[rows["district"] == district, "code"]))


def run_pass(b: Bench, district: str, period: str, start: str = "", pages=PAGES) -> list[dict]:
    return [measure_page(b, name, district, period, start) for name in pages]


CLICKS = ("district", "period", "filter", "filter_old", "town", "town_now", "tick")
# a page's own filter chosen the first time (its label, the option's place in the list; `filter_old`
# the next option): the warmer tries every option at the newest quarter only
FILTERS = {
    "map": ("领域", 1),
    "parks": ("产业", 1),
    "communities": ("城乡类型", 1),
    "scenic": ("A级", 1),
    "sites": ("视图", 1),
    "mechanisms": ("内容", 1),
}
REPEATS = ("back", "repeat", "tick_repeat")


# (district index, the city's quarter on opening, the quarter chosen after): a measured pass's
# choices, none of them made by the warming pass (districts 1 and 2, quarters -3 and -4) or another
# measured pass. Quarters counted from the newest.
SAMPLES = ((0, -1, -2), (3, -5, -6), (4, -7, -8))


def median_rows(passes: list[list[dict]]) -> list[dict]:
    """Each page's cells as the median of the passes (field by field)."""

    def median(actions: list[Action]) -> Action:
        fields = ("ms", "runs", "settle", "ws", "http", "cpu")
        return Action(*(statistics.median(getattr(a, f) for a in actions) for f in fields))

    return [
        {k: (v if k == "page" else median([p[i][k] for p in passes])) for k, v in row.items()}
        for i, row in enumerate(passes[0])
    ]


def worst(rows: list[dict]) -> dict[str, float]:
    return {
        "click": max(r[k].ms for r in rows for k in ("first", *CLICKS) if k in r),
        "cpu": max(_click_cpu(r) for r in rows),
        "repeat": max(r[k].ms for r in rows for k in REPEATS if k in r),
        "settle": max(r[k].settle for r in rows for k in ("first", *CLICKS, *REPEATS) if k in r),
        "ws": max(r["first"].ws for r in rows) / 1024,
        "warm": max((r["warm"].settle for r in rows if "warm" in r), default=0.0),
    }


def _click_cpu(row: dict) -> float:
    """The server's CPU time (ms) of the page's costliest first visit or click (by server ms)."""
    return max((row[k] for k in ("first", *CLICKS) if k in row), key=lambda a: a.ms).cpu


def report(rows: list[dict], load: str) -> None:
    def ms(a) -> str:
        return f"{a.ms:7.0f}" if a else "      —"

    head = (
        f"{'page':12s} {'first':>7s} {'runs':>4s} {'distr':>7s} {'back':>7s} {'repeat':>7s} {'period':>7s}"
        f" {'filter':>7s} {'filtold':>7s} {'town':>7s} {'townnow':>7s} {'tick':>7s} {'tick2':>7s} {'warm':>7s}"
        f" {'settle':>6s} {'clk_s':>6s} {'warm_s':>6s}"
        f" {'http_KB':>8s} {'ws_KB':>7s} {'clk_ws':>7s} {'cpu':>5s}"
    )
    print(head)
    for r in rows:
        clicks = [r[k] for k in (*CLICKS, *REPEATS) if k in r]
        warm_s = r["warm"].settle if "warm" in r else 0.0
        print(
            f"{r['page']:12s} {ms(r['first'])} {r['first'].runs:4.0f} {ms(r['district'])} {ms(r['back'])}"
            f" {ms(r['repeat'])} {ms(r['period'])} {ms(r.get('filter'))} {ms(r.get('filter_old'))}"
            f" {ms(r.get('town'))}"
            f" {ms(r.get('town_now'))} {ms(r.get('tick'))} {ms(r.get('tick_repeat'))} {ms(r.get('warm'))}"
            f" {r['first'].settle:6.2f} {max(a.settle for a in clicks):6.2f} {warm_s:6.2f}"
            f" {r['first'].http / 1024:8.0f}"
            f" {r['first'].ws / 1024:7.0f} {max(a.ws for a in clicks) / 1024:7.0f} {_click_cpu(r):5.0f}"
        )
    w = worst(rows)
    print(
        "(server ms: sum of the runs an action caused; warm: the page's link again; cpu: the server's CPU ms"
        f" in the page's costliest first visit or click; load before/after: {load})"
    )
    print(
        f"pages={len(rows)} worst_click_ms={w['click']:.0f} worst_repeat_click_ms={w['repeat']:.0f}"
        f" worst_settle_s={w['settle']:.2f} worst_ws_kb={w['ws']:.0f} worst_warm_settle_s={w['warm']:.2f}"
        f" worst_click_cpu_ms={w['cpu']:.0f}"
    )


def wait_healthy(base: str, tries: int = 120) -> None:
    """Until the app at `base` answers its health check (at most `tries` attempts)."""
    for _ in range(tries):
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.25)


def shelf_wait(timeout_s: float = 3600) -> str:
    """With the setting `warm` on (the default), wait until the app's warmer has made every page's
    default view ahead (the store's shelf ready, `ui/warm.py`): what the pages answer from
    once a store has been open a while. The line to print."""
    if settings.get("warm") != "1":
        return "shelf: off (SANQU_WARM=0): every first visit made at the click"
    shelf = Shelf.of(db_path())
    t0, done = time.time(), None
    while shelf is not None and (done := shelf.ready()) is None and time.time() - t0 < timeout_s:
        time.sleep(1)
    if done is None:
        raise SystemExit(f"the warmer did not finish in {timeout_s:.0f} s (its log: data/shelf/warm.log)")
    return f"shelf ready after {time.time() - t0:.0f} s of waiting (the warmer: {done})"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(pages: list[str], samples: int = len(SAMPLES), pin: bool = False) -> None:
    """Every page, or those named (python -m scripts.bench_pages parks map, or --pages parks,map)."""
    pages = pages or list(PAGES)
    db = Database(db_path())
    known = db.periods()
    db.close()
    codes = list(DISTRICTS)
    if not 1 <= samples <= len(SAMPLES) or len(known) < 8:
        raise SystemExit(f"--samples is 1 to {len(SAMPLES)}, on a store of 8 quarters or more ({len(known)} here)")
    cores = sorted(os.sched_getaffinity(0))
    if pin and len(cores) < 2:
        raise SystemExit("--pin needs two cores or more")
    port = _free_port()
    env = dict(os.environ, SANQU_TODAY=TODAY, SANQU_LOG_LEVEL="INFO")
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py"]
    cmd += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    server_cores = set(cores[:1]) if pin else set(cores)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(os.environ.get("BENCH_LOG") or Path(tmp) / "server.log")  # BENCH_LOG=file: keep the log
        out = path.open("wb")
        server = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.sched_setaffinity(0, server_cores),
        )
        if pin:
            os.sched_setaffinity(0, set(cores[1:]))  # this script and the browser it starts
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                b = Bench(page, base, Log(path))
                # warming pass: other districts and quarters, opened away from the default
                warm_start = f"district={codes[2]}&period={known[-3]}"
                run_pass(b, codes[1], known[-4], warm_start, pages)
                page.goto("about:blank")  # not the big screen's carousel (every 5 s) drawing while the warmer works
                print(shelf_wait(), flush=True)
                where = f"server on core {cores[0]}, browser on {cores[1:]}" if pin else "every core for both"
                print(f"warmed (load {_load()}); {samples} measured pass(es), {where}:", flush=True)
                before = _load()
                passes = []
                for district, opened, chosen in SAMPLES[:samples]:
                    start = "" if opened == -1 else f"period={known[opened]}"  # -1: the link as shared
                    passes.append(run_pass(b, codes[district], known[chosen], start, pages))
                    w = worst(passes[-1])
                    print(
                        f"  pass {len(passes)}: worst_click_ms={w['click']:.0f} worst_repeat_click_ms={w['repeat']:.0f}"
                        f" worst_settle_s={w['settle']:.2f}",
                        flush=True,
                    )
                report(median_rows(passes), f"{before} / {_load()}")
                browser.close()
        finally:
            os.sched_setaffinity(0, set(cores))
            server.terminate()
            server.wait(10)
            out.close()


def _args(argv: list[str]) -> tuple[list[str], int, bool]:
    """Pages named as arguments (`parks map`) or with --pages (`--pages overview,parks`), then
    --samples N and --pin."""
    out: list[str] = []
    samples, pin = len(SAMPLES), False
    args = iter(argv)
    for arg in args:
        if arg == "--pin":
            pin = True
            continue
        if arg == "--samples" or arg.startswith("--samples="):
            value = next(args, "") if arg == "--samples" else arg.removeprefix("--samples=")
            if not value.isdigit():
                raise SystemExit(f"--samples takes a number, not {value!r}")
            samples = int(value)
            continue
        if arg == "--pages":
            arg = next(args, "")
        elif arg.startswith("--pages="):
            arg = arg.removeprefix("--pages=")
        out += [p for p in arg.split(",") if p]
    unknown = [p for p in out if p not in PAGES]
    if unknown:
        raise SystemExit(f"unknown page(s) {unknown}; pages: {', '.join(PAGES)}")
    return out, samples, pin


if __name__ == "__main__":
    main(*_args(sys.argv[1:]))

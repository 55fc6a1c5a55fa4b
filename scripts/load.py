"""make load USERS=N: N real Chromium sessions at once (contexts of one browser) through the
proxy, each opening the overview, changing the district twice and opening the map (figures only).

  python -m scripts.load N     # starts its own make serve stack (REPLICAS, default 2)
  URL=http://host:8080 python -m scripts.load N   # a running stack (RSS when it is make serve's)
  AFTER_S=20 …                 # wait less than 2 minutes before rss_after (a quick run)
  WARM=0 …                     # no warm-up visit of each replica before the measured sessions

The last line: users=N success=S% p50_first_load=Xs p95_first_load=Xs p95_rerun=Xs
rss_before=…MB rss_peak=…MB rss_after=…MB (RSS summed over the replicas). The browsers run on
the same machine as the server: on a shared 2-core machine the figures are pessimistic.
"""

import asyncio
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import async_playwright

from sanqu.geography import DISTRICTS
from scripts import serve
from scripts.bench_pages import LINE as RUN_LINE
from scripts.bench_pages import SETTLED
from scripts.chromium import FLAGS
from scripts.server import free_port

STEP_MS = 120_000  # a step that has not settled after this counts as a failure
USERS_PER_BROWSER = 20  # contexts per browser process (BROWSERS=… sets the number of browsers)
USER_S = 4 * STEP_MS / 1000  # a whole visit (four steps) longer than this counts as a failure
CHOICES = ("360822", "360826")  # 吉水县, then 泰和县


@dataclass
class Session:
    first_load: float | None = None
    reruns: list[float] = field(default_factory=list)
    map_s: float | None = None
    error: str = ""


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:  # gone meanwhile (FileNotFoundError, or ProcessLookupError while reading)
            pass
    return total / 1024


def cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):  # a browser process gone meanwhile
            pass
    return total / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """The processes below `root` (the browser this script started, through Playwright's driver)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def settled(page, condition: str = "true") -> None:
    await page.wait_for_function(f"() => ({condition}) && ({SETTLED})()", timeout=STEP_MS, polling=100)


async def journey(page, url: str, out: Session) -> None:
    """One user's visit: the overview, the district changed twice, the map (times into `out`)."""
    t0 = time.perf_counter()
    await page.goto(url + "/", timeout=STEP_MS)
    await settled(page, "document.querySelector(\"[data-testid='stMetricValue']\")")
    out.first_load = time.perf_counter() - t0
    for code in CHOICES:
        t0 = time.perf_counter()
        await page.get_by_role("combobox", name="区县").click(timeout=STEP_MS)
        await page.get_by_role("option", name=DISTRICTS[code], exact=True).click(timeout=STEP_MS)
        await settled(page, f"location.search.includes('district={code}')")
        out.reruns.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    await page.locator("[data-testid='stSidebarNav'] a[href$='/map']").first.click(timeout=STEP_MS)
    await settled(page, "location.pathname.endsWith('/map') && document.querySelector('iframe')")
    out.map_s = time.perf_counter() - t0


async def one_user(browser, url: str, out: Session) -> None:
    """`journey` in a context of its own, closed after; a step that fails or a visit over
    USER_S is this user's failure (reported), never a hang of the whole run."""
    context = None
    try:
        context = await asyncio.wait_for(browser.new_context(viewport={"width": 1600, "height": 900}), STEP_MS / 1000)
        page = await context.new_page()
        await asyncio.wait_for(journey(page, url, out), USER_S)
    except TimeoutError:
        out.error = f"TimeoutError: the visit took over {USER_S:.0f} s (step {_step(out)})"
    except Exception as exc:  # noqa: BLE001 (a timed-out step is this user's failure, reported)
        out.error = f"{type(exc).__name__} (step {_step(out)}): {str(exc).splitlines()[0][:160]}"
    finally:
        if context is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(context.close(), 30)


def _step(s: Session) -> str:
    """The step a failed visit was at."""
    if s.first_load is None:
        return "first load"
    if len(s.reruns) < len(CHOICES):
        return f"district change {len(s.reruns) + 1}"
    return "map"


async def warm(browser, ports: list[int]) -> None:
    """One visit of the overview and the map straight to every replica (its imports and the
    store's first queries done), as a server is before a meeting opens it."""
    for port in ports:
        context = await browser.new_context()
        page = await context.new_page()
        for path in ("/", "/map"):
            await page.goto(f"http://127.0.0.1:{port}{path}", timeout=STEP_MS)
            await settled(page)
        await context.close()


def browsers_for(users: int) -> int:
    """Browsers the users' contexts are spread over (BROWSERS, else one per USERS_PER_BROWSER)."""
    given = os.environ.get("BROWSERS")
    return max(1, int(given)) if given else max(1, -(-users // USERS_PER_BROWSER))


def log_offsets(logs: Path | None) -> dict[Path, int]:
    """Where each replica's log ends now (the runs after it are the sessions')."""
    return {log: log.stat().st_size for log in sorted(logs.glob("replica-*.log"))} if logs else {}


def server_runs(offsets: dict[Path, int]) -> list[float]:
    """The server ms of every script run the replicas logged since `offsets` (their own
    `script run page=… ms=…` lines, as make bench-pages reads them)."""
    out: list[float] = []
    for log, start in offsets.items():
        with log.open("rb") as fh:
            fh.seek(start)
            out += [float(m[3]) for m in RUN_LINE.finditer(fh.read().decode("utf-8", "replace"))]
    return out


async def run(users: int, url: str, state: dict, after_s: float, logs: Path | None = None) -> str:
    pids = state.get("replicas", [])
    async with async_playwright() as pw:
        count = min(users, browsers_for(users))
        launched = [
            await pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS) for _ in range(count)
        ]
        cold = rss_mb(pids)
        if os.environ.get("WARM", "1") != "0" and state.get("ports"):
            await warm(launched[0], state["ports"])
            print(f"rss_cold={cold:.0f}MB (before the warm-up visits; WARM=0 skips them)", flush=True)
        before = rss_mb(pids)
        peak = before
        sessions = [Session() for _ in range(users)]
        print(f"{users} users in {count} browser(s); {_load_avg()}", flush=True)
        # the browser's processes come and go (a context's renderer): each one's last reading counts
        seen = {pid: cpu_s([pid]) for pid in descendants(os.getpid())}
        offsets = log_offsets(logs)
        bcpu0, cpu0, t0 = sum(seen.values()), cpu_s(pids), time.perf_counter()
        tasks = [asyncio.create_task(one_user(launched[i % count], url, s)) for i, s in enumerate(sessions)]
        while not all(t.done() for t in tasks):
            peak = max(peak, rss_mb(pids))
            for pid in descendants(os.getpid()):
                seen[pid] = max(seen.get(pid, 0.0), cpu_s([pid]))
            await asyncio.sleep(0.5)
        wall = time.perf_counter() - t0
        server_cpu, browser_cpu = cpu_s(pids) - cpu0, sum(seen.values()) - bcpu0
        during = _load_avg()
        for browser in launched:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 60)
    peak = max(peak, rss_mb(pids))
    print(f"sessions closed; rss_after in {after_s:.0f}s", flush=True)
    await asyncio.sleep(after_s)
    after = rss_mb(pids)
    for i, s in enumerate(sessions):
        if s.error:
            print(f"user {i + 1} failed: {s.error}")
    ok = [s for s in sessions if not s.error]
    firsts = [s.first_load for s in sessions if s.first_load is not None]
    reruns = [r for s in sessions for r in s.reruns]
    maps = [s.map_s for s in sessions if s.map_s is not None]
    print(f"wall={wall:.0f}s cpu: replicas {server_cpu:.0f}s, browser {browser_cpu:.0f}s (this machine: 2 cores)")
    print(f"p50_rerun={statistics.median(reruns) if reruns else float('nan'):.1f}s p95_map={pct(maps, 95):.1f}s")
    print(f"machine while the sessions ran: {during} (the browsers share the servers' cores)")
    if runs := server_runs(offsets):
        print(
            f"server: runs={len(runs)} p50_run_ms={pct(runs, 50):.0f} p95_run_ms={pct(runs, 95):.0f} "
            f"max_run_ms={max(runs):.0f} (script runs as the replicas logged them); "
            f"browser cpu per user={browser_cpu / users:.1f}s, replicas' cpu per user={server_cpu / users:.2f}s"
        )
    return (
        f"users={users} success={100 * len(ok) / users:.0f}% p50_first_load={pct(firsts, 50):.1f}s "
        f"p95_first_load={pct(firsts, 95):.1f}s p95_rerun={pct(reruns, 95):.1f}s "
        f"rss_before={before:.0f}MB rss_peak={peak:.0f}MB rss_after={after:.0f}MB"
        f" replicas={len(pids) or '?'} browsers={count} loadavg={'/'.join(during.split()[2:])}"
    )


def main(users: int) -> None:
    given = os.environ.get("URL", "").rstrip("/")
    after_s = float(os.environ.get("AFTER_S") or 120)
    replicas = int(os.environ.get("REPLICAS") or 2)
    with tempfile.TemporaryDirectory(prefix="sanqu-load-") as tmp:
        running = None if given else serve.start(free_port(), replicas, "127.0.0.1", Path(tmp), logs=True)
        try:
            url = given or running.url  # type: ignore[union-attr]
            state = serve.state_file(int(url.rsplit(":", 1)[1]))
            found = json.loads(state.read_text()) if state.exists() else {}
            count = len(found.get("replicas", [])) or "?"
            print(f"load: {users} users on {url}, {count} replicas; {_load_avg()}", flush=True)
            line = asyncio.run(run(users, url, found, after_s, None if given else Path(tmp)))
            print(f"machine load after: {_load_avg()}")
        finally:
            if running:
                running.stop()
                keep_logs(Path(tmp), users, replicas)
    print(line)


LOGS = Path(__file__).resolve().parent.parent / "test-output" / "load"


def keep_logs(run: Path, users: int, replicas: int) -> None:
    """The replicas' and nginx's logs of the run copied to test-output/load/, and what they hold
    that is not routine (errors, tracebacks, warnings) counted."""
    out = LOGS / f"users{users}-replicas{replicas}-{time.strftime('%Y%m%dT%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    notes = []
    for log in sorted(run.glob("*.log")):
        shutil.copy(log, out / log.name)
        lines = log.read_text(errors="replace").splitlines()
        bad = [x for x in lines if any(w in x for w in ("Traceback", "ERROR", "[error]", "[crit]", "[alert]"))]
        warn = [x for x in lines if "WARNING" in x or "[warn]" in x]
        notes.append(f"{log.name}: {len(bad)} errors, {len(warn)} warnings")
        for x in bad[:3]:
            notes.append("    " + x[:200])
    print(f"logs in {out}: " + "; ".join(n for n in notes if not n.startswith("    ")))
    for n in notes:
        if n.startswith("    "):
            print(n)


def _load_avg() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

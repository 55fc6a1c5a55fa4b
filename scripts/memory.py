"""make memory SESSIONS=N [AFTER_S=120]: what one session costs one app process, and what closed
sessions leave (figures only).

    python -m scripts.memory 10        # one app process started here, as make serve starts a replica
    AFTER_S=30 python -m scripts.memory 5   # a quick run (Streamlit keeps a closed session 120 s)

N Chromium sessions (contexts of one browser) are opened one after another against the one
process, each making load.py's visit (the overview, the district changed twice, the map) and
staying open; the process's RSS is printed after each. Then all of them close, and the RSS is
printed every 15 s for AFTER_S seconds. A warm-up visit (closed) comes first, so that the
imports and the cached query results are in the process before session 1 and the per-session
slope is the sessions' own. Last line: sessions=N rss_start=… rss_warm=… rss_open=…
per_session=…MB rss_after=…MB after_s=… loadavg=…
"""

import asyncio
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import BrowserContext, async_playwright

from scripts import serve
from scripts.chromium import FLAGS
from scripts.load import STEP_MS, Session, journey, rss_mb
from scripts.server import ready, start

SAMPLE_S = 15


def streamlit_bytes(url: str) -> dict[str, float]:
    """What Streamlit counts it holds (/_stcore/metrics, cache_memory_bytes), MB by kind: st.cache_data,
    st.cache_resource, the active sessions' session state, media files (downloads, images)."""
    try:
        text = urllib.request.urlopen(url + "/_stcore/metrics?families=cache_memory_bytes", timeout=30).read()
    except OSError:
        return {}
    out: dict[str, float] = {}
    for line in text.decode().splitlines():
        m = re.match(r'cache_memory_bytes\{cache_type="([^"]+)"[^}]*\} ([0-9.e+]+)', line)
        if m:
            out[m[1]] = out.get(m[1], 0.0) + float(m[2]) / 1e6
    return out


def counted(url: str) -> str:
    found = streamlit_bytes(url)
    return ", ".join(f"{k} {v:.1f} MB" for k, v in sorted(found.items())) or "nothing"


def slope(values: list[float]) -> float:
    """The least-squares slope of `values` against 1, 2, …: MB per session."""
    n = len(values)
    if n < 2:
        return float("nan")
    xs = range(1, n + 1)
    mx, my = sum(xs) / n, sum(values) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, values)) / sum((x - mx) ** 2 for x in xs)


async def visit(browser, url: str) -> tuple[BrowserContext, Session]:
    """A context that has made load.py's visit and stays open (the caller closes it)."""
    context = await browser.new_context(viewport={"width": 1600, "height": 900})
    out = Session()
    try:
        await asyncio.wait_for(journey(await context.new_page(), url, out), 4 * STEP_MS / 1000)
    except Exception as exc:  # noqa: BLE001 (reported with the figures)
        out.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    return context, out


async def measure(n: int, url: str, pid: int, after_s: float) -> str:
    start_mb = rss_mb([pid])
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        context, warm = await visit(browser, url)
        await context.close()
        await asyncio.sleep(2)
        warm_mb = rss_mb([pid])
        print(f"start {start_mb:.0f} MB; after a warm-up visit (closed) {warm_mb:.0f} MB {warm.error}", flush=True)
        print(f"  Streamlit counts: {counted(url)}", flush=True)
        contexts, after_each = [], []
        for i in range(n):
            context, out = await visit(browser, url)
            contexts.append(context)
            await asyncio.sleep(1)
            after_each.append(rss_mb([pid]))
            grew = after_each[-1] - (after_each[-2] if i else warm_mb)
            print(f"session {i + 1:3d} open: rss {after_each[-1]:7.0f} MB ({grew:+.0f}) {out.error}", flush=True)
        print(f"  Streamlit counts with {n} open: {counted(url)}", flush=True)
        for context in contexts:
            await context.close()
        await browser.close()
    closed_at = time.monotonic()
    print(f"all {n} sessions closed: rss {rss_mb([pid]):.0f} MB", flush=True)
    while (left := after_s - (time.monotonic() - closed_at)) > 0:
        await asyncio.sleep(min(SAMPLE_S, left))
        print(f"  {time.monotonic() - closed_at:4.0f} s after: rss {rss_mb([pid]):7.0f} MB", flush=True)
    after_mb = rss_mb([pid])
    print(f"  Streamlit counts after: {counted(url)}", flush=True)
    per = slope(after_each)
    load = "/".join(Path("/proc/loadavg").read_text().split()[:3])
    return (
        f"sessions={n} rss_start={start_mb:.0f}MB rss_warm={warm_mb:.0f}MB rss_open={after_each[-1]:.0f}MB "
        f"per_session={per:.1f}MB rss_after={after_mb:.0f}MB after_s={after_s:.0f} loadavg={load}"
    )


def main(n: int) -> None:
    after_s = float(os.environ.get("AFTER_S") or 120)
    env = serve.replica_env(secrets.token_urlsafe(32))
    with tempfile.TemporaryDirectory(prefix="sanqu-memory-") as tmp:
        log = open(Path(tmp) / "app.log", "w")  # noqa: SIM115 (the child holds it)
        proc, url = start(env, log)
        try:
            if not ready(url, tries=240):
                raise SystemExit(f"the app did not start: {(Path(tmp) / 'app.log').read_text()[-2000:]}")
            print(
                f"memory: {n} sessions one by one on {url} (pid {proc.pid}); MALLOC_ARENA_MAX="
                f"{env.get('MALLOC_ARENA_MAX', '(unset)')}",
                flush=True,
            )
            line = asyncio.run(measure(n, url, proc.pid, after_s))
        finally:
            proc.terminate()
            proc.wait(15)
    print(line)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)

"""Python's full garbage collections kept short in an app process.

A full collection walks every object the collector tracks: in an app process about 150,000 of
them are the modules, classes and functions of the libraries and pages, alive for the process's
life, and walking them costs a click 80 ms whenever a full collection falls in its run. Once the
process has imported what its pages use, `freeze` moves those objects out of the collector's
generations (`gc.freeze`): a full collection then walks only what was made since. Reference
counting still frees them; only reference cycles among them would stay (their number is fixed:
they were made before the freeze).
"""

import ast
import gc
import importlib
import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from sanqu import settings

_lock = threading.Lock()
_started = False


def page_modules(sources: Iterable[Path]) -> list[str]:
    """The modules these scripts import at their top level (absolute imports). Not those imported
    inside a function: a download's modules (the briefing's matplotlib, 0.5 s and 26 MB) come with
    its first use, not with the process."""
    names: set[str] = set()
    for path in sources:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return sorted(names)


def load(modules: Iterable[str]) -> None:
    for name in modules:
        importlib.import_module(name)


def freeze() -> tuple[int, float]:
    """Collect what is garbage now, then freeze every object left; the number of objects frozen
    and the ms it took."""
    t0 = time.perf_counter()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count(), (time.perf_counter() - t0) * 1000


def full_collection_logger(log: logging.Logger, min_ms: float = 10):
    """A gc callback that logs every full collection of at least min_ms (`gc full ms=…`): the pause
    it put in whatever ran then."""

    started: dict[str, float] = {}  # when the running full collection started

    def timed(phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started["t0"] = time.perf_counter()
        elif (ms := (time.perf_counter() - started.pop("t0", time.perf_counter())) * 1000) >= min_ms:
            log.info("gc full ms=%.1f collected=%d", ms, info["collected"])

    return timed


class IdleCollector:
    """Full collections out of script runs. Python starts one whenever enough objects have
    outlived two younger collections, so one always fell inside some person's run (60-160 ms in
    make bench-pages, the cached frames and figures grown). With this, Python's own full
    collections are off (the oldest generation's threshold out of reach) and a thread of its own
    collects when no run has gone on for `quiet_s`, at most every `every_s`, and after `most_s`
    whatever runs: the younger generations are collected as before."""

    def __init__(self, quiet_s: float = 1.0, every_s: float = 30.0, most_s: float = 300.0, poll_s: float = 0.25):
        self.quiet_s, self.every_s, self.most_s, self.poll_s = quiet_s, every_s, most_s, poll_s
        self._lock, self._active, self._ended = threading.Lock(), 0, time.monotonic()
        self._stop = threading.Event()
        self._threshold = gc.get_threshold()
        self.collections = 0

    def start(self) -> "IdleCollector":
        young, middle, _ = self._threshold
        gc.set_threshold(young, middle, 2**31 - 1)
        threading.Thread(target=self._loop, name="sanqu-gc-idle", daemon=True).start()
        return self

    def stop(self) -> None:
        """Python's own full collections again (tests)."""
        self._stop.set()
        gc.set_threshold(*self._threshold)

    def run_started(self) -> None:
        with self._lock:
            self._active += 1

    def run_ended(self) -> None:
        with self._lock:
            self._active = max(0, self._active - 1)
            self._ended = time.monotonic()

    def _quiet(self, now: float) -> bool:
        with self._lock:
            return self._active == 0 and now - self._ended >= self.quiet_s

    def _loop(self) -> None:
        last = time.monotonic()
        while not self._stop.wait(self.poll_s):
            now = time.monotonic()
            due = now - last >= self.every_s and gc.get_count()[2] > 0  # younger collections since
            if (due and self._quiet(now)) or now - last >= self.most_s:
                gc.collect()
                self.collections += 1
                last = time.monotonic()


_idle: IdleCollector | None = None


def run_started() -> None:
    """A script run (or a fragment's own rerun) begins: no full collection started meanwhile."""
    if _idle is not None:
        _idle.run_started()


def run_ended() -> None:
    if _idle is not None:
        _idle.run_ended()


def once(root: Path, log: logging.Logger) -> bool:
    """The first time a process calls this (later calls do nothing; True when this call did it):
    log full collections (`full_collection_logger`) and, unless the setting gc_freeze is 0, import
    what the app's router and pages (root's app.py and views/) import, in the calling thread (a
    script run's: a Streamlit component registers itself only from a script run), then `freeze`
    in a thread of its own."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
    gc.callbacks.append(full_collection_logger(log))
    if settings.get("gc_idle") == "1":
        global _idle
        _idle = IdleCollector().start()
    if settings.get("gc_freeze") == "0":
        return True
    sources = [root / "app.py", *sorted((root / "views").glob("*.py"))]
    t0 = time.perf_counter()
    try:
        load(page_modules(sources))
    except Exception:  # noqa: BLE001 (a page that fails to import shows its own error: nothing frozen)
        log.exception("heap freeze: a page's module failed to import")
        return True
    loaded_ms = (time.perf_counter() - t0) * 1000

    def run() -> None:
        frozen, ms = freeze()
        log.info("heap frozen objects=%d import_ms=%.0f freeze_ms=%.0f", frozen, loaded_ms, ms)

    threading.Thread(target=run, name="sanqu-heap-freeze", daemon=True).start()
    return True

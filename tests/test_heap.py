"""sanqu.heap: the modules the pages import are found in their source, frozen out of the
collector's generations once a process has loaded them, and the app does it once a process."""

import gc
import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from sanqu import heap

ROOT = Path(__file__).resolve().parent.parent


def test_the_modules_the_pages_import_are_read_from_their_source(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "import json, os.path\nfrom sanqu.areas import parks\nfrom . import sibling\n"
        "def later():\n    from ui.screen import render\n",
        encoding="utf-8",
    )
    assert heap.page_modules([page]) == ["json", "os.path", "sanqu.areas"]  # not a function's own
    found = heap.page_modules([ROOT / "app.py", *ROOT.glob("views/*.py")])
    assert {"streamlit", "ui.mapview", "ui.screen", "sanqu.figures.park_page"} <= set(found), found
    assert not any("briefing" in name or name.startswith("sanqu.reports.pdf") for name in found), found


def test_freeze_moves_every_live_object_out_of_the_generations():
    kept = [{"n": i} for i in range(1000)]  # tracked by the collector (dicts)
    try:
        frozen, _ms = heap.freeze()
        assert frozen >= len(kept) and gc.get_freeze_count() >= len(kept)
        assert not any(any(o is k for k in kept[:3]) for o in gc.get_objects())  # no longer walked
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_once_a_process(monkeypatch, caplog):
    calls = []
    done = threading.Event()

    def fake():
        calls.append("freeze")
        done.set()
        return 5, 1.0

    monkeypatch.setattr(heap, "_started", False)
    monkeypatch.setattr(heap, "freeze", fake)
    monkeypatch.setattr(heap, "load", lambda modules: calls.append(list(modules)))
    monkeypatch.setattr(gc, "callbacks", list(gc.callbacks))  # the added logger goes with the test
    log = logging.getLogger("sanqu.test_heap")
    with caplog.at_level(logging.INFO, logger="sanqu.test_heap"):
        assert heap.once(ROOT, log) is True
        assert done.wait(30)
        assert heap.once(ROOT, log) is False
        for t in threading.enumerate():
            if t.name == "sanqu-heap-freeze":
                t.join(30)
    assert len(calls) == 2 and "ui.mapview" in calls[0] and calls[1] == "freeze"
    assert "heap frozen objects=5" in caplog.text


def test_without_freezing_nothing_is_loaded_but_full_collections_are_logged(monkeypatch, caplog):
    monkeypatch.setenv("SANQU_GC_FREEZE", "0")
    calls = []
    monkeypatch.setattr(heap, "_started", False)
    monkeypatch.setattr(heap, "load", lambda _modules: calls.append("load"))
    monkeypatch.setattr(heap, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "callbacks", list(gc.callbacks))  # the added logger goes with the test
    assert heap.once(ROOT, logging.getLogger("sanqu.test_heap"))
    assert calls == [] and gc.callbacks[-1].__name__ == "timed"


def test_a_full_collection_is_logged_with_its_pause(caplog):
    log = logging.getLogger("sanqu.test_heap")
    logger = heap.full_collection_logger(log, min_ms=0)
    gc.callbacks.append(logger)
    gc.disable()  # the cycles below stay for the full collection to find
    try:
        with caplog.at_level(logging.INFO, logger="sanqu.test_heap"):
            gc.collect(1)  # not a full collection: not logged
            assert "gc full" not in caplog.text
            for _ in range(2000):
                a: list = []
                a.append(a)
            gc.collect()
    finally:
        gc.enable()
        gc.callbacks.remove(logger)
    # this logger's line only: the app's own logger (installed by any app run in this process) logs too
    (line,) = [r.getMessage() for r in caplog.records if r.name == log.name and r.getMessage().startswith("gc full")]
    assert int(line.rsplit("collected=", 1)[1]) >= 1999, line  # the last one is still `a`


def _full_collections() -> tuple[list[float], threading.Event, object]:
    """When each full collection starts (monotonic), an event set at the first, and the gc callback."""
    starts: list[float] = []
    first = threading.Event()

    def seen(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            starts.append(time.monotonic())
            first.set()

    gc.callbacks.append(seen)
    return starts, first, seen


def _cycles(n: int) -> None:
    """n reference cycles made and dropped: work for the younger generations and, unless it is
    off, for Python's own full collections."""
    for _ in range(n):
        a: list = []
        a.append(a)


def test_full_collections_come_between_runs_not_in_them():
    starts, first, seen = _full_collections()
    idle = heap.IdleCollector(quiet_s=0.2, every_s=0.0, most_s=600, poll_s=0.01).start()
    try:
        assert gc.get_threshold()[2] >= 2**31 - 1  # Python's own full collections are off
        idle.run_started()
        _cycles(400_000)  # a run that makes garbage: Python would collect all of it several times
        assert starts == [] and idle.collections == 0
        ended = time.monotonic()
        idle.run_ended()
        assert first.wait(30)  # then, once no run has gone on for quiet_s, one full collection
        assert starts[0] - ended >= 0.2
    finally:
        idle.stop()
        gc.callbacks.remove(seen)
    assert gc.get_threshold()[2] < 2**31 - 1  # stopped: Python's own again


def test_a_full_collection_comes_after_most_s_whatever_runs():
    starts, first, seen = _full_collections()
    began = time.monotonic()  # before the collector's thread takes its own start
    idle = heap.IdleCollector(quiet_s=600, every_s=0.0, most_s=0.3, poll_s=0.01).start()
    try:
        idle.run_started()  # a run that never ends (or runs one after another without a pause)
        _cycles(50_000)
        assert first.wait(30), (gc.get_count(), gc.isenabled(), gc.get_threshold(), idle.collections)
        assert starts[0] - began >= 0.3
    finally:
        idle.stop()
        gc.callbacks.remove(seen)


APP = textwrap.dedent(
    """
    import gc, threading
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("app.py", default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    for t in threading.enumerate():
        if t.name == "sanqu-heap-freeze":
            t.join(60)
    import sys
    idle = any(t.name == "sanqu-gc-idle" for t in threading.enumerate())
    print(gc.get_freeze_count(), "streamlit_folium" in sys.modules, "fpdf" in sys.modules, idle, gc.get_threshold()[2])
    """
)


def test_the_app_freezes_its_pages_modules_after_its_first_run(demo_dir):
    def run(freeze: str) -> list[str]:
        env = dict(os.environ, SANQU_GC_FREEZE=freeze, SANQU_GC_IDLE=freeze)
        out = subprocess.run(
            [sys.executable, "-c", APP], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout.split()

    frozen, folium, fpdf, idle, threshold = run("1")
    assert int(frozen) > 50_000 and folium == "True" and fpdf == "False"  # the map's modules, not the briefing's
    assert idle == "True" and int(threshold) == 2**31 - 1  # full collections by the idle collector
    # off: the overview loads no map module, nothing frozen; Python's own full collections
    assert run("0") == ["0", "False", "False", "False", str(gc.get_threshold()[2])]

"""ui.data.ahead: a page's part made in a worker thread while the run goes on. The run's own
`kept` call takes that very object (made once, never twice); without workers (ahead_threads=0)
nothing is started; a failure in the worker is left to the run's call, which makes it again."""

import threading

from sanqu.context import Context
from sanqu.scope import Scope
from ui import data

WAIT_S = 60  # a bound on waiting for a condition, never a pause


def _ctx() -> Context:
    return Context(Scope.city(), "2026Q3")


def test_made_once_in_a_worker_and_taken_by_the_run(demo_dir):
    started, release, calls = threading.Event(), threading.Event(), []

    def part(db, ctx, n):
        calls.append(threading.current_thread().name)
        started.set()
        assert release.wait(WAIT_S)
        return {"n": n, "scope": ctx.scope.key, "periods": db.periods()}

    data.ahead(part, _ctx(), 7)
    assert started.wait(WAIT_S)  # a worker is making it
    got: list = []
    run = threading.Thread(target=lambda: got.append(data.kept(part, _ctx(), 7)))
    run.start()  # the run asks for it while it is being made: it waits under the key's lock
    release.set()
    run.join(WAIT_S)
    assert len(calls) == 1 and calls[0].startswith("sanqu-ahead")
    assert got[0] == {"n": 7, "scope": Scope.city().key, "periods": data.database().periods()}
    assert data.kept(part, _ctx(), 7) is got[0]  # kept: the same object for every later run
    data.ahead(part, _ctx(), 7)  # already made: not made again
    data.ahead(part, _ctx(), 8)  # another argument: made apart
    assert data.kept(part, _ctx(), 8)["n"] == 8
    assert len(calls) == 2


def test_no_workers_no_work_started(demo_dir, monkeypatch):
    monkeypatch.setenv("SANQU_AHEAD_THREADS", "0")
    calls = []

    def part(db, ctx):
        calls.append(threading.current_thread().name)
        return "made"

    data.ahead(part, _ctx())
    assert calls == []
    assert data.kept(part, _ctx()) == "made"
    assert calls == [threading.current_thread().name]  # made by the run itself


def test_a_failure_ahead_is_left_to_the_run(demo_dir):
    started, calls = threading.Event(), []

    def part(db, ctx):
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            started.set()
            raise RuntimeError("the store went away")
        return "made"

    data.ahead(part, _ctx())
    assert started.wait(WAIT_S)
    assert data.kept(part, _ctx()) == "made"  # the run makes it itself, and nothing was kept of the failure
    assert len(calls) == 2 and calls[1] == threading.current_thread().name

"""The warmer: every page's default view at the city and every district, at every stored quarter
(the newest first), and at every township at the newest quarter; at the newest quarter, at the
city and every district, also each option of each of a page's own choices in turn (`_explore`).
It runs ahead in a process of its own at the lowest priority, its results kept on the store's
shelf (`sanqu.storage.shelf`) for the app's processes to read instead of making them.

    python -m ui.warm          (the app starts it when it opens a store that has no finished shelf)

It runs the pages themselves (Streamlit's AppTest, the local mode, one thread): whatever a
page's run makes through `ui.data.cached` and `ui.data.kept` is what is kept, so there is no
second list of what the pages need. One warmer per store version (a lock file); it stops when
the store changes (the app then starts one for the new store) and, when done, marks the shelf
ready and removes the shelves of older stores.
"""

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sanqu import settings
from sanqu.geography import counties, townships
from sanqu.log import log
from sanqu.log import setup as setup_logging
from sanqu.paths import db_path
from sanqu.storage.db import Database
from sanqu.storage.shelf import Shelf, version_of

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# the pages whose default view is made ahead (the map's folium map is not shelved: its queries are)
PAGES = (
    "views/overview.py",
    "views/parks.py",
    "views/communities.py",
    "views/scenic.py",
    "views/sites.py",
    "views/mechanisms.py",
    "views/screen.py",
    "views/map.py",
)
# what the warmer's own runs are: the local mode (no sign-in: it serves no one), in turn
ENV = {
    "SANQU_ACCESS": "local",
    "SANQU_AHEAD_THREADS": "0",
    "SANQU_DUCKDB_THREADS": "1",
    "SANQU_GC_IDLE": "0",  # its runs follow one another: Python's own full collections, no pause seen
}


def plan(
    quarters: list[str],
    codes: list[str],
    pages: tuple[str, ...] = PAGES,
    towns: tuple[str, ...] = (),
    town_quarters: int = 0,
) -> list[tuple[str, dict]]:
    """(page, its link's parameters) of every view made ahead: the newest quarter first; at each,
    the city and its districts, the townships `towns` with them at the newest quarter; then the
    townships at the older of the newest `town_quarters` of `quarters`, the newer first (a view
    people see less often, after every quarter's city and districts); every page at each."""
    with_towns = list(reversed(quarters[-town_quarters:])) if town_quarters > 0 else []
    places = [(q, c) for q in reversed(quarters) for c in ("", *codes, *(towns if q in with_towns[:1] else ()))]
    places += [(q, c) for q in with_towns[1:] for c in towns]
    return [(page, {"period": q} | ({"district": c} if c else {})) for q, c in places for page in pages]


def town_quarters(quarters: list[str]) -> int:
    """At how many of the newest quarters the townships are made (setting warm_townships: "all",
    or a number; 0: none)."""
    value = settings.get("warm_townships").strip()
    return len(quarters) if value == "all" else int(value)


def township_codes() -> tuple[str, ...]:
    """The region's townships, county by county (the pack's, as the district choice knows them)."""
    return tuple(sorted(str(c) for c in townships()["code"]))


@contextlib.contextmanager
def only_one(shelf: Shelf) -> Iterator[bool]:
    """True while this process holds the store version's warming lock (False: another has it)."""
    shelf.folder.mkdir(parents=True, exist_ok=True)
    with open(shelf.folder / ".lock", "w") as fh:  # removed with the folder when the shelf is old
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


_components: list = []  # the first AppTest's registry of Streamlit components, for every later one


def visit(page: str, params: dict, explore: bool = False) -> int:
    """One view, as a new session: a fresh AppTest given the first one's component registry
    (each AppTest scans every installed package's metadata for components); with `explore`,
    then each of its own choices in turn (`_explore`). How many runs it made."""
    from streamlit.testing.v1 import AppTest

    # each run warns of a missing ScriptRunContext (noise in the warmer's log); Streamlit sets its
    # loggers' levels again as it starts a run, so this is said before each
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    at = AppTest.from_file(APP, default_timeout=300)
    if _components and hasattr(at, "_bidi_component_manager"):  # a private field: without it, only slower
        at._bidi_component_manager = _components[0]
    at.query_params.update(params)
    at.switch_page(page).run()
    if not _components and getattr(at, "_bidi_component_manager", None) is not None:
        _components.append(at._bidi_component_manager)
    if at.exception:
        log.warning("warmer: %s %s failed: %s", page, params, at.exception[0].message)
        return 1
    return 1 + (_explore(at, page, params) if explore else 0)


SIDEBAR = ("district", "period")  # the plan's own choices
CODE_EVERY = 50  # views between two looks at the app's files (a release installed: this warmer stops)
MAX_OPTIONS = 30  # a choice of more (the 城乡社区 page's township at the city: 253) is not tried option by option


def _explore(at, page: str, params: dict) -> int:
    """Every option of each of the page's own select boxes (not the sidebar's) chosen in turn, the
    others as the link left them, then the box set back: the views one choice away from the link,
    as a person's first filter, list or park makes them. How many runs it made."""
    runs = 0
    for key in [box.key for box in at.selectbox if box.key not in SIDEBAR]:
        try:
            box = at.selectbox(key=key)
        except KeyError:  # gone with an earlier choice
            continue
        if len(box.options) > MAX_OPTIONS:
            continue
        first = box.index or 0
        for i in [*(i for i in range(len(box.options)) if i != first), first]:
            at.selectbox(key=key).select_index(i).run()
            runs += 1
            if at.exception:
                log.warning("warmer: %s %s %s=%s failed: %s", page, params, key, i, at.exception[0].message)
                return runs
    return runs


def warm(pages: tuple[str, ...] = PAGES) -> int:
    """Make the plan's views for the store as it is now; how many were made (0: none needed)."""
    store = db_path()
    shelf = Shelf.of(store)
    if shelf is None or shelf.ready() is not None:
        return 0
    with only_one(shelf) as mine:
        if not mine:
            return 0
        from ui import data  # Streamlit's import: only for the one warmer that works

        db = Database(store)
        quarters = db.periods()[-settings.get_int("warm_quarters") :]  # [-0:]: every quarter
        db.close()
        data.write_shelf(True)
        started, done = time.perf_counter(), 0
        towns = (township_codes(), town_quarters(quarters))
        n = settings.get_int("warm_filters")
        explored = set(quarters[-n:]) if n > 0 else set()  # [-0:] would be every quarter
        areas = {"", *counties()}
        for i, (page, params) in enumerate(plan(quarters, list(counties()), pages, *towns)):
            # the store each view; the app's files (7 ms to read) every CODE_EVERY views
            if version_of(store, now=i % CODE_EVERY == CODE_EVERY - 1) != shelf.version:
                log.info("warmer: the store or the app's files changed, stopped after %d views", done)
                return done
            done += visit(page, params, params["period"] in explored and params.get("district", "") in areas)
        seconds, entries = time.perf_counter() - started, shelf.entries()
        shelf.mark_ready(views=done, entries=entries, seconds=round(seconds, 1))
        if version_of(store, now=True) == shelf.version:  # else a newer shelf may be in the making: kept
            shelf.drop_others()
        log.info("warmer: shelf ready: %d views, %d entries in %.0f s", done, entries, seconds)
        return done


def main() -> None:
    os.environ.update(ENV)
    with contextlib.suppress(OSError, AttributeError):  # run only when nothing else would
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    setup_logging()
    warm()


if __name__ == "__main__":
    main()

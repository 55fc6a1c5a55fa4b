"""Cached access to the store: one connection, and caches of results keyed by the function,
its Context, its other arguments and the store's version: `cached` for query frames (pickled,
each run gets its own copy) and `kept` for what a page only shows (figures, shaped tables:
kept as they are, never copied)."""

import contextlib
import copy
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import cast

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from sanqu import settings
from sanqu.context import FIELDS, Context
from sanqu.log import log
from sanqu.paths import db_path
from sanqu.storage.db import DEAD, Database, StoreHandle, StoreUnavailable
from sanqu.storage.shelf import MISSING, Shelf

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENTRIES = 512  # query results kept per process (all pages together)
KEPT_ENTRIES = 128  # page bundles (figures, shown tables; ≈ 0.2–1 MB each) kept per process, all pages
MAP_ENTRIES = 16  # built folium maps kept per process
ARROW_SPECS = 256  # Vega-Lite specs and tables kept with their rows as Arrow (`arrow_rows`, `arrow_table`)


@st.cache_resource
def _handle() -> StoreHandle:
    """The one open store per process (reopened when the file changes)."""
    return StoreHandle(on_open=_forget)


def database() -> Database:
    """The store's connection (a cursor per query); a clear message and a stop when there is none."""
    try:
        return _handle().get(db_path())
    except StoreUnavailable as err:
        log.warning("shown to a user: %s", err)
        st.error(str(err))
        st.stop()
        raise


def version() -> str:
    """Changes whenever the store is replaced (even with its old mtime): part of every cache key."""
    database()
    return _handle().version()


def recover() -> None:
    """After a dead connection: forget it and the cached results; the next run reopens."""
    _handle().drop()
    st.cache_data.clear()


def _forget() -> None:
    """The store was (re)opened: results of the store before can no longer be asked for (the
    version is in their key), so free them now instead of when they age out; and have the
    store's shelf made if it is not (`start_warmer`)."""
    _call.clear()
    _kept.clear()
    _resource.clear()
    start_warmer()


_writing = False  # this process is the warmer: what its runs make goes on the shelf
_warmers: list[subprocess.Popen] = []


def write_shelf(on: bool) -> None:
    global _writing
    _writing = on


def start_warmer() -> None:
    """Start the warmer (`ui.warm`, its own process at the lowest priority) when the setting
    `warm` is on and the store's shelf is not finished (the warmer itself checks again, under
    its lock: one per store version). It logs to `shelf/warm.log` in the data folder."""
    if _writing or settings.get("warm") != "1":
        return
    shelf = Shelf.of(db_path())
    if shelf is None or shelf.ready() is not None:
        return
    try:
        shelf.root.mkdir(parents=True, exist_ok=True)
        with open(shelf.root / "warm.log", "ab") as out:  # its own log: its runs are not this process's
            proc = subprocess.Popen(
                ["nice", "-n", "19", sys.executable, "-m", "ui.warm"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )
    except OSError as err:  # a data folder the app may not write to: every view made at the click
        log.warning("warmer not started: %s", err)
        return
    _warmers.append(proc)
    threading.Thread(target=proc.wait, name="sanqu-warmer-wait", daemon=True).start()
    log.info("warmer started (pid %d) for the shelf %s", proc.pid, shelf.version)


def _made_or_shelved(fn, name: str, key: str, ctx: Context, args: tuple, v: str):
    """`fn(db, ctx, *args)` read from the shelf of the store version `v` when the warmer made it
    there, else made now (and, in the warmer, put there)."""
    if not _writing and settings.get("warm") != "1":
        return fn(database(), ctx, *args)
    shelf = Shelf.beside(db_path(), v)
    got = shelf.get(name, key, args)
    if got is not MISSING:
        return got
    made = fn(database(), ctx, *args)
    if _writing:
        shelf.put(name, key, args, made)
    return made


def _key(fn, ctx: Context) -> tuple[str, Context, str]:
    """The query's name, the context narrowed to the fields it reads (`sanqu.context.uses`) and
    that context as text (a string is hashed in microseconds, a dataclass through pickling)."""
    narrowed = ctx.only(getattr(fn, "context_fields", FIELDS))
    return f"{fn.__module__}.{fn.__qualname__}", narrowed, repr(narrowed)


# `name`, `key` and `v` are read by Streamlit only: every argument not named _… is part of the
# cache key (`_fn` is not hashed, so its name stands for it; `_ctx` is not hashed, its repr `key`
# stands for it; `v` is the store's version).
@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _call(_fn, name: str, key: str, _ctx: Context, args: tuple, v: str):
    return _made_or_shelved(_fn, name, key, _ctx, args, v)


def cached(fn, ctx: Context, *args):
    """`fn(db, ctx, *args)` through the one cache of query results: `fn` is a query of the
    package (`db, ctx, …its own filters…`); its arguments must be hashable by Streamlit."""
    name, narrowed, key = _key(fn, ctx)
    return _call(fn, name, key, narrowed, args, version())


@st.cache_resource(max_entries=KEPT_ENTRIES, show_spinner=False)
def _kept(_fn, name: str, key: str, _ctx: Context, args: tuple, v: str):
    return _made_or_shelved(_fn, name, key, _ctx, args, v)


def kept(fn, ctx: Context, *args):
    """Like `cached`, for what a page only shows: plotly figures and tables shaped for display
    (`fn(db, ctx, *args)` builds them). The object is kept as it is, shared by every run and
    every session, neither pickled nor copied: a figure read back from `cached` is rebuilt and
    revalidated by plotly (≈ 10 ms each), this costs nothing. Never change what it returns."""
    name, narrowed, key = _key(fn, ctx)
    return _kept(fn, name, key, narrowed, args, version())


_ahead: ThreadPoolExecutor | None = None
_ahead_lock = threading.Lock()


def _workers() -> ThreadPoolExecutor | None:
    """The process's pool of `ahead` threads (setting ahead_threads; 0: none)."""
    global _ahead
    with _ahead_lock:
        n = settings.get_int("ahead_threads")
        if _ahead is None and n > 0:
            _ahead = ThreadPoolExecutor(max_workers=n, thread_name_prefix="sanqu-ahead")
        return _ahead if n > 0 else None


def ahead(fn, ctx: Context, *args) -> None:
    """Start `kept(fn, ctx, *args)` now in a worker thread, to be made while this run goes on
    (a page's parts side by side: their queries run in DuckDB without the GIL, on both cores).
    The run's own `kept` call later takes the result, or waits for it under Streamlit's lock of
    that key: never made twice. A failure here is left to that call, which shows it."""
    pool = _workers()
    if pool is None:
        return
    name, narrowed, key = _key(fn, ctx)
    v = version()

    def work() -> None:
        try:
            _kept(fn, name, key, narrowed, args, v)
        except Exception:  # noqa: BLE001 (the run's own call makes it again and reports)
            log.info("made ahead, failed (left to the run): %s", name, exc_info=True)

    pool.submit(work)


@st.cache_resource(max_entries=MAP_ENTRIES, show_spinner=False)
def _resource(_fn, name: str, ctx: Context, args: tuple, v: str):  # noqa: ARG001 (cache key, as in `_call`)
    return _fn(database(), ctx, *args)


def cached_resource(fn, ctx: Context, *args):
    """Like `cached` for an object that is kept, not pickled (a folium map), and handed out as a
    copy each time: st_folium renames the elements of the map it is given, and a renamed
    cached map would draw stale variable names on its next use."""
    name, narrowed, _ = _key(fn, ctx)
    return copy.deepcopy(_resource(fn, name, narrowed, args, version()))


@contextlib.contextmanager
def reopen_on_dead_store():
    """A query that finds the connection dead (file replaced, database invalidated) reopens the
    store and reruns once, instead of failing on every page until a restart."""
    try:
        yield
    except DEAD:
        recover()
        if not st.session_state.get("store_retried"):
            st.session_state["store_retried"] = True
            st.rerun()
        log.error("store connection dead twice in a row")
        st.error("数据库连接已失效：已重新打开数据库，请刷新页面。")
    else:
        st.session_state.pop("store_retried", None)


_made: OrderedDict[int, tuple[object, object]] = OrderedDict()
_made_lock = threading.Lock()


def _once(source: object, make: Callable[[], object]) -> object:
    """`make()`, made once per `source` object (a kept spec or table, shown by every run of every
    session): the last ARROW_SPECS are kept, each with its source, so that its id is not reused."""
    with _made_lock:
        hit = _made.get(id(source))
        if hit is not None and hit[0] is source:
            _made.move_to_end(id(source))
            return hit[1]
    made = make()
    with _made_lock:
        _made[id(source)] = (source, made)
        while len(_made) > ARROW_SPECS:
            _made.popitem(last=False)
    return made


def arrow_rows(spec: dict) -> dict:
    """`spec` with its rows (`data.values`, a list of dicts) as an Arrow table, made once per spec:
    Streamlit converts rows given as a list at every run, through pandas (about 1.5 ms a chart)."""
    data = spec.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return spec
    return cast(dict, _once(spec, lambda: {**spec, "data": {**data, "values": rows_table(data["values"])}}))


def rows_table(rows: list[dict]) -> pa.Table:
    """Rows (dicts) as an Arrow table straight from their values: a column per key in the order
    first seen, None and NaN as null, as Streamlit's own conversion through pandas gives them (that
    took 1.6 ms for a chart of 42 rows, this 0.1 ms); through pandas when a column mixes kinds."""
    names = list(dict.fromkeys(k for row in rows for k in row))
    try:
        return pa.table({n: pa.array([row.get(n) for row in rows], from_pandas=True) for n in names})
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return dataframe_util.convert_pandas_df_to_arrow_table(dataframe_util.convert_anything_to_pandas_df(rows))


def arrow_table(df: pd.DataFrame) -> pa.Table:
    """`df` as the Arrow table Streamlit makes of a DataFrame (st.dataframe sends the same bytes),
    made once per frame: Streamlit converts a DataFrame at every run (a list of 341 rows: about
    9 ms). Only for a frame kept across runs (a kept bundle's): a frame made anew at each run would
    only be held here until it ages out."""
    return cast(pa.Table, _once(df, lambda: dataframe_util.convert_pandas_df_to_arrow_table(df)))

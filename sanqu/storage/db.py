"""The one query layer: parameterised SQL, always limited to a district scope."""

import contextlib
import functools
import os
import re
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import duckdb
import pandas as pd
import pyarrow as pa

from sanqu import settings
from sanqu.log import log
from sanqu.paths import db_path
from sanqu.scope import Scope

# Errors after which a DuckDB connection is unusable (closed, or the database invalidated by a
# fatal error such as a file replaced under it): reopen instead of failing until a restart.
DEAD = (duckdb.ConnectionException, duckdb.FatalException)


class ScopeMissing(ValueError):
    """A query that does not filter by $scope would leak other districts' rows."""


class TownshipUnsupported(ValueError):
    """A township scope given to a query that only filters by county would show the whole county."""


class StoreUnavailable(RuntimeError):
    """The store file is missing or cannot be opened; the message is for users (Chinese)."""


def file_identity(path: Path) -> tuple[int, ...] | None:
    """What changes whenever the file is replaced or rewritten, even with its old mtime (cp -p)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


# The township macros of the store (storage/units.py: `tw IS NULL OR EXISTS (…)`) called with
# $township. DuckDB plans a query before its parameters are known, so with no township the EXISTS
# still ran as a join against every location or link: 70 of every page's 197 queries, 715 -> 587
# ms at x1 (3,032 -> 2,791 at x100) once written TRUE. Arguments with parentheses are left as they are.
TOWNSHIP_MACRO = re.compile(r"\b(?:entity|org)_in_township\(\$township,[^()]*\)")


@functools.lru_cache(maxsize=512)
def county_form(sql: str) -> str:
    """`sql` for a scope without a township: its township macros are TRUE, as they evaluate then."""
    return TOWNSHIP_MACRO.sub("TRUE", sql)


class Database:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or db_path())
        # A bounded buffer pool: a dashboard that runs all day must not grow toward 80 % of RAM.
        memory, threads = settings.get("duckdb_memory_limit"), settings.get_int("duckdb_threads")
        self.con = duckdb.connect(str(self.path), read_only=True, config={"memory_limit": memory, "threads": threads})
        self._periods: list[str] | None = None
        self._meta: dict[str, str] | None = None

    def query(self, sql: str, scope: Scope, **params) -> pd.DataFrame:
        """Run `sql` with named parameters; `$scope` is the list of county codes. A query that
        handles townships says so by using `$township` (the township code, or NULL when the
        scope is not a township: `($township IS NULL OR t.township = $township)`); a township
        scope given to a query that does not is refused, never silently widened to the county."""
        if "$scope" not in sql:
            raise ScopeMissing("every query must filter by $scope")
        # a Scope (duck-typed: modules may reload; the national bench passes its own `.codes`)
        codes = list(getattr(scope, "counties", None) or getattr(scope, "codes", None) or [])
        if not codes or not all(isinstance(c, str) for c in codes):
            raise TypeError("scope must be a Scope with district codes")
        township = getattr(scope, "township", "") or None
        if township is None:
            sql = county_form(sql)
        if "$township" in sql:
            params = {"township": township, **params}
        elif township:
            raise TownshipUnsupported(f"this query does not filter by $township; asked for township {township}")
        return self._run(lambda cur: frame(cur, sql, {"scope": codes, **params}), sql)

    def meta(self) -> dict[str, str]:
        """Build facts (built_at, demo, data_date): not district data, so unscoped; read once, as
        `periods` (every run of every page reads them: a query each time was 1–3 ms)."""
        if self._meta is None:
            self._meta = self._run(lambda cur: dict(cur.execute("SELECT key, value FROM meta").fetchall()))
        return dict(self._meta)

    def periods(self) -> list[str]:
        """The quarters of the store (read once: the store is opened read-only and replaced, not changed)."""
        if self._periods is None:
            self._periods = self._run(
                lambda cur: [r[0] for r in cur.execute("SELECT period FROM periods ORDER BY 1").fetchall()]
            )
        return list(self._periods)

    def _run(self, work, sql: str = ""):
        """One cursor per call; the time of every query logged, slow ones as warnings."""
        cur, t0 = self.con.cursor(), time.perf_counter()
        try:
            return work(cur)
        except duckdb.Error:
            log.exception("query failed: %s", _first_line(sql))
            raise
        finally:
            with contextlib.suppress(duckdb.Error):
                cur.close()
            _log_time(sql, (time.perf_counter() - t0) * 1000)

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.con.close()


# DuckDB warns that Arrow from an executed (DB-API) result copies the rows once more than a
# relation's. Measured on every page's queries (297, x1): the relation binds each query twice
# (`.types`, then the fetch), which costs more than the copy: 3.2 -> 2.6 s a pass at x1, 6.5 -> 5.8 s
# at x100. Set once at import, not per call (warning filters are process-wide, not per thread).
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)

# Result types whose Arrow form gives the very columns DuckDB's own `.df()` gives, faster: text
# arrives as one Arrow buffer instead of a Python object per value (the x100 organisation tree,
# 102,800 rows: 490 -> 210 ms). As `.df()` makes them: integers and booleans with NULLs become
# pandas' nullable types, dates datetime64[us], a text column of NULLs only objects (None).
NULLABLE = {
    "BIGINT": pd.Int64Dtype(),
    "INTEGER": pd.Int32Dtype(),
    "SMALLINT": pd.Int16Dtype(),
    "TINYINT": pd.Int8Dtype(),
    "BOOLEAN": pd.BooleanDtype(),
}
# HUGEINT (what sum() of integers gives): `.df()` makes it float64, NULL as NaN; Arrow carries it
# as decimal128(38, 0), cast here to float64 the same way (a zone page's counts per district: 30
# sums over a few hundred rows, 46 -> about 10 ms at x1).
ARROW_TYPES = {"VARCHAR", "DOUBLE", "FLOAT", "DATE", "TIMESTAMP", "HUGEINT", *NULLABLE}
CAST = {"DATE": pa.timestamp("us"), "HUGEINT": pa.float64()}


def frame(cur: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    """The rows of `sql` as a DataFrame, the same as `.df()` gives: through Arrow when every
    column is of ARROW_TYPES and there are rows, else `.df()` itself. Executed once, its column
    types read off the result (a relation's `.types` binds the query a second time)."""
    cur.execute(sql, params)
    names, types = [d[0] for d in cur.description], [str(d[1]) for d in cur.description]
    if not set(types) <= ARROW_TYPES or len(set(names)) < len(names):
        return cur.df()
    table = cast(pa.Table, cur.to_arrow_table())  # a SELECT's result: never None
    if table.num_rows == 0:
        return _empty(cur, table, names, types)
    for i, kind in enumerate(types):
        if kind in CAST:
            table = table.set_column(i, names[i], table.column(i).cast(CAST[kind]))
    df = table.to_pandas()
    for name, kind, col in zip(names, types, table.columns, strict=True):
        if not col.null_count:
            continue
        if kind == "VARCHAR" and col.null_count == len(col):
            df[name] = pd.Series([None] * len(col), index=df.index, dtype=object)
        elif kind in NULLABLE:
            df[name] = col.to_pandas(types_mapper=lambda _t, dtype=NULLABLE[kind]: dtype).array
    return df


# An empty result as `.df()` makes it, once per shape (names and types): made through DuckDB it
# cost about 1 ms, and a township's page asks for many queries with no rows (scenic: 26 of 35).
_EMPTY: dict[tuple[tuple[str, ...], tuple[str, ...]], pd.DataFrame] = {}


def _empty(cur: duckdb.DuckDBPyConnection, table: pa.Table, names: list[str], types: list[str]) -> pd.DataFrame:
    shape = (tuple(names), tuple(types))
    if (df := _EMPTY.get(shape)) is None:
        df = _EMPTY[shape] = cur.from_arrow(table).df()
    return df.copy()


def _first_line(sql: str) -> str:
    return " ".join(sql.split())[:160]


def _log_time(sql: str, ms: float) -> None:
    slow = ms >= settings.get_int("slow_query_ms")
    log.log(30 if slow else 10, "query %.1f ms: %s", ms, _first_line(sql) or "(meta)")


class Source:
    """Where a builder's frames come from: `fn(db, ctx, *args)`, or `fetch(fn, ctx, *args)` when
    a cache is given (the app's `cached`: what a page and its builders read is queried once)."""

    def __init__(self, db: Database, fetch: Callable[..., Any] | None = None):
        self.db, self.fetch = db, fetch

    def __call__(self, fn: Callable[..., Any], ctx: Any, *args: Any) -> Any:
        return self.fetch(fn, ctx, *args) if self.fetch else fn(self.db, ctx, *args)


class StoreHandle:
    """One open store per process, reopened when the file changes (identity, size, times) and
    after a query finds the connection dead; a failed open is retried on the next call.
    `on_open` is called after each (re)open (e.g. to drop results cached from the store before)."""

    def __init__(self, on_open: Callable[[], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._db: Database | None = None
        self._key: tuple | None = None
        self._on_open = on_open

    def get(self, path: Path | None = None) -> Database:
        path = Path(path or db_path())
        ident = file_identity(path)
        if ident is None:
            self.drop()
            raise StoreUnavailable(f"数据库尚未生成：{path} 不存在，请运行 make run（或 python -m sanqu ensure）。")
        with self._lock:
            if self._db is None or self._key != (str(path), ident):
                self._close()  # DuckDB shares one instance per path: close before reopening
                try:
                    self._db = Database(path)
                except duckdb.Error as err:
                    raise StoreUnavailable(f"数据库无法打开（{path.name}）：{err}。请重新运行 make build。") from err
                self._key = (str(path), ident)
                if self._on_open is not None:
                    self._on_open()
            return self._db

    def drop(self) -> None:
        """Forget the open connection (after a dead-connection error): the next get() reopens."""
        with self._lock:
            self._close()

    def version(self) -> str:
        """A key that changes with the open store: for caches of query results."""
        return repr(self._key)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._key = None, None

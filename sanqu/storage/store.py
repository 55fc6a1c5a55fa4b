"""Build the DuckDB store from the register files, atomically."""

import contextlib
import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sanqu import periods
from sanqu.ingest.folder import is_demo, register_files
from sanqu.ingest.loader import load_all
from sanqu.ingest.registers import REGISTERS, SQL_TYPES
from sanqu.paths import db_path, registers_dir

# The shape of the store the code expects (tables, views, macros): a store built by code with
# another SCHEMA is rebuilt. 2: the macros active_at and entity_zone (table entity_zones);
# 3: units, links and locations as tables, and unit_status and community_status (the status of
# every quarter), all computed once with the store; 4: unit_counts and community_counts (per
# quarter, type and district); 5: the township of every location (township scopes); 6:
# community_rollup (the 城乡社区 counts per quarter, township, kind, level, stars and upgrade rule);
# 7: unit_rollup (unit_status summed per quarter, place, park, kind and coverage flags); 8:
# org_subtrees and joint_places (工业园区's tree and joint places per quarter, whole and per district);
# 9: instructor_status (the instructors in post at every quarter's end, with their enterprise's status).
SCHEMA = 9


class StoreError(Exception):
    """The store could not be written (e.g. the data folder is not writable); the old one stays."""


@dataclass
class BuildReport:
    path: Path
    rows: dict[str, int]
    seconds: float
    dropped: list[str]
    demo: bool


def fingerprint(folder: Path) -> list[list]:
    """Name, size and mtime (ns) of every register file: any change means a rebuild is due."""
    out = []
    for p in register_files(folder):
        try:
            info = p.stat()
        except OSError:
            continue
        out.append([p.name, info.st_size, info.st_mtime_ns])
    return out


def sidecar(db: Path) -> Path:
    """What the store was built from, written beside it after each successful build."""
    return db.with_name(db.name + ".json")


def built_from(db: Path) -> dict:
    try:
        return json.loads(sidecar(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def failure_file(db: Path) -> Path:
    return db.with_name(db.name + ".failed.txt")


def record_failure(db: Path, message: str) -> None:
    """Why the last build was refused: shown by the app beside the last good data."""
    with contextlib.suppress(OSError):
        failure_file(db).write_text(message, encoding="utf-8")


def last_failure(db: Path | None = None) -> str:
    try:
        return failure_file(db or db_path()).read_text(encoding="utf-8")
    except OSError:
        return ""


def needs_build(folder: Path | None = None, db: Path | None = None) -> bool:
    """True when there are register files and the store was not built from exactly these by
    code of this SCHEMA (a store without a sidecar is from before both: rebuilt)."""
    folder, db = folder or registers_dir(), db or db_path()
    if not db.exists():
        return bool(register_files(folder))
    files = fingerprint(folder)
    if not files:
        return False  # nothing to build from: keep the store as it is
    info = built_from(db)
    return info.get("schema") != SCHEMA or info.get("registers") != files


def store_is_demo(db: Path) -> bool | None:
    """Whether the store holds demo data (None: no store, or unreadable)."""
    if not db.exists():
        return None
    info = built_from(db)
    if "demo" in info:
        return bool(info["demo"])
    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            rows = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except duckdb.Error:
        return None
    return rows.get("demo") == "1"


def _create_tables(con: duckdb.DuckDBPyConnection, frames: dict) -> dict[str, int]:
    rows = {}
    for reg in REGISTERS:
        cols = ", ".join(f'"{f.name}" {SQL_TYPES[f.type]}' for f in reg.fields)
        con.execute(f"CREATE TABLE {reg.name} ({cols})")
        df = frames.get(reg.name)
        if df is None:
            continue
        con.register("incoming", df)
        names = ", ".join(f'"{f.name}"' for f in reg.fields)
        con.execute(f"INSERT INTO {reg.name} SELECT {names} FROM incoming")
        con.unregister("incoming")
        rows[reg.name] = len(df)
    return rows


def _derived(con: duckdb.DuckDBPyConnection, demo: bool) -> None:
    found = [r[0] for r in con.execute("SELECT DISTINCT period FROM community_stats ORDER BY 1").fetchall()]
    span = periods.span(found[0], found[-1]) if found else []
    con.execute("CREATE TABLE periods (period VARCHAR, start_date DATE, end_date DATE)")
    con.executemany(
        "INSERT INTO periods VALUES (?, ?, ?)", [(p, periods.start_date(p), periods.end_date(p)) for p in span]
    )
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("built_at", dt.datetime.now().isoformat(timespec="seconds")),
            ("demo", "1" if demo else "0"),
            ("data_date", str(periods.end_date(span[-1])) if span else ""),
        ],
    )
    from sanqu.storage.units import create_views

    create_views(con)


def build(folder: Path | None = None, db: Path | None = None) -> BuildReport:
    """Validate every register, write a new database beside the old one, then swap.

    A RegisterError leaves the previous database untouched.
    """
    folder, db = folder or registers_dir(), db or db_path()
    t0 = time.perf_counter()
    files = fingerprint(folder)
    loaded = load_all(folder)
    demo = is_demo(folder)
    try:
        rows = write_store(db, loaded.frames, demo)
        write_sidecar(db, {"registers": files, "demo": demo, "folder": str(folder), "schema": SCHEMA})
    except (OSError, duckdb.Error) as err:
        raise StoreError(f"数据库未能写入 {db}（数据目录不可写或磁盘已满？）：{err}") from err
    failure_file(db).unlink(missing_ok=True)
    return BuildReport(db, rows, time.perf_counter() - t0, loaded.dropped, demo)


def write_store(db: Path, frames: dict, demo: bool) -> dict[str, int]:
    """A new database beside the old one, then an atomic swap (registers not in `frames`: empty)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f".{db.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            rows = _create_tables(con, frames)
            _derived(con, demo)
        finally:
            con.close()
        os.replace(tmp, db)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return rows


def write_sidecar(db: Path, info: dict) -> None:
    tmp = sidecar(db).with_name(sidecar(db).name + ".tmp")
    tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, sidecar(db))

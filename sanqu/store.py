"""Build the DuckDB store from the register files, atomically."""

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sanqu import periods
from sanqu.loader import load_all
from sanqu.paths import db_path, registers_dir
from sanqu.registers import REGISTERS, SQL_TYPES

DEMO_MARKER = "README.txt"


@dataclass
class BuildReport:
    path: Path
    rows: dict[str, int]
    seconds: float
    dropped: list[str]
    demo: bool


def register_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix in (".csv", ".xlsx"))


def needs_build(folder: Path | None = None, db: Path | None = None) -> bool:
    folder, db = folder or registers_dir(), db or db_path()
    if not db.exists():
        return True
    built = db.stat().st_mtime
    return any(p.stat().st_mtime > built for p in register_files(folder))


def is_demo(folder: Path) -> bool:
    marker = folder / DEMO_MARKER
    return marker.exists() and "演示数据" in marker.read_text(encoding="utf-8")


def _create_tables(con: duckdb.DuckDBPyConnection, frames: dict) -> dict[str, int]:
    rows = {}
    for reg in REGISTERS:
        cols = ", ".join(f'"{f.name}" {SQL_TYPES[f.type]}' for f in reg.fields)
        con.execute(f"CREATE TABLE {reg.name} ({cols})")
        df = frames[reg.name]
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
    from sanqu.units import create_views

    create_views(con)


def build(folder: Path | None = None, db: Path | None = None) -> BuildReport:
    """Validate every register, write a new database beside the old one, then swap.

    A RegisterError leaves the previous database untouched.
    """
    folder, db = folder or registers_dir(), db or db_path()
    t0 = time.perf_counter()
    loaded = load_all(folder)
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f".{db.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        rows = _create_tables(con, loaded.frames)
        demo = is_demo(folder)
        _derived(con, demo)
        con.close()
        os.replace(tmp, db)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return BuildReport(db, rows, time.perf_counter() - t0, loaded.dropped, demo)

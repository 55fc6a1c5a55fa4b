"""The one recipe for a test store: register rows written as files, then built as `make build` does."""

from collections.abc import Iterator
from pathlib import Path

from sanqu.ingest import demo
from sanqu.storage import store
from sanqu.storage.db import Database


def built(folder: Path, rows: dict | None = None) -> Path:
    """`folder`/registers from `rows` (None = the full demo), `folder`/sanqu.duckdb built from them."""
    if rows is None:
        demo.write(folder / "registers")
    else:
        demo.write_rows(folder / "registers", rows)
    store.build(folder / "registers", folder / "sanqu.duckdb")
    return folder


def opened(folder: Path, rows: dict | None = None) -> Iterator[Database]:
    """For a fixture: `yield from opened(tmp, rows)` gives an open Database and closes it after."""
    db = Database(built(folder, rows) / "sanqu.duckdb")
    try:
        yield db
    finally:
        db.close()

"""The access file: a small SQLite file beside the store (setting `access_db`), not in git.

`connect()` opens it and creates its tables idempotently; modules that keep their own tables
(share links, the audit trail) add them with CREATE TABLE IF NOT EXISTS in their own code.
"""

import sqlite3
from pathlib import Path

from sanqu import settings
from sanqu.paths import data_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    districts TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
"""


def path() -> Path:
    """The access file: the setting `access_db` (SANQU_ACCESS_DB), else access.sqlite in the data folder."""
    configured = settings.get("access_db")
    return Path(configured) if configured else data_dir() / "access.sqlite"


def connect(file: Path | None = None) -> sqlite3.Connection:
    """A connection to the access file (created with its tables when missing); rows as sqlite3.Row."""
    target = file or path()
    target.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(target, timeout=10)
    con.row_factory = sqlite3.Row
    con.executescript(SCHEMA)
    return con

"""The one query layer: parameterised SQL, always limited to a district scope."""

from pathlib import Path

import duckdb
import pandas as pd

from sanqu.paths import db_path
from sanqu.scope import Scope


class ScopeMissing(ValueError):
    """A query that does not filter by $scope would leak other districts' rows."""


class Database:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or db_path())
        # A bounded buffer pool: a dashboard that runs all day must not grow toward 80 % of RAM.
        self.con = duckdb.connect(str(self.path), read_only=True, config={"memory_limit": "512MB", "threads": 2})

    def query(self, sql: str, scope: Scope, **params) -> pd.DataFrame:
        """Run `sql` with named parameters; `$scope` is the list of district codes."""
        if "$scope" not in sql:
            raise ScopeMissing("every query must filter by $scope")
        codes = list(getattr(scope, "codes", None) or [])  # a Scope (duck-typed: modules may reload)
        if not codes or not all(isinstance(c, str) for c in codes):
            raise TypeError("scope must be a Scope with district codes")
        cur = self.con.cursor()
        try:
            return cur.execute(sql, {"scope": codes, **params}).df()
        finally:
            cur.close()

    def meta(self) -> dict[str, str]:
        """Build facts (built_at, demo, data_date): not district data, so unscoped."""
        cur = self.con.cursor()
        try:
            return dict(cur.execute("SELECT key, value FROM meta").fetchall())
        finally:
            cur.close()

    def periods(self) -> list[str]:
        cur = self.con.cursor()
        try:
            return [r[0] for r in cur.execute("SELECT period FROM periods ORDER BY period").fetchall()]
        finally:
            cur.close()

    def close(self) -> None:
        self.con.close()

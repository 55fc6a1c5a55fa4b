"""The audit trail in the access file: who signed in, was refused, exported what, made or used a
share link, imported registers. `python -m sanqu audit` and the 管理 page show the latest lines."""

import datetime as dt
import sqlite3
from dataclasses import dataclass

from sanqu.access.clock import shown, stamp

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    via TEXT NOT NULL,            -- local, oidc, proxy or link
    action TEXT NOT NULL,         -- one of ACTIONS
    detail TEXT NOT NULL,
    scope TEXT NOT NULL,          -- district codes, comma-separated
    rows INTEGER                  -- rows exported or imported
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
"""
ACTIONS = {
    "sign_in": "登录",
    "refused": "拒绝访问",
    "export": "导出",
    "link_created": "创建分享链接",
    "link_used": "使用分享链接",
    "link_revoked": "撤销分享链接",
    "import": "导入台账",
    "rollback": "回滚数据",
    "user_added": "添加用户",
    "user_removed": "删除用户",
}


@dataclass(frozen=True)
class Entry:
    at: str
    user_id: str
    via: str
    action: str
    detail: str
    scope: str
    rows: int | None

    def line(self) -> str:
        """One line as `python -m sanqu audit` prints it."""
        rows = "" if self.rows is None else f" · {self.rows} 行"
        scope = f" · 范围 {self.scope}" if self.scope else ""
        who, action = self.user_id or "（匿名）", ACTIONS.get(self.action, self.action)
        parts = [shown(self.at), f"{who} ({self.via})", action, self.detail]
        return "  ".join(p for p in parts if p) + scope + rows


def ensure(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def record(
    conn: sqlite3.Connection,
    now: dt.datetime,
    user_id: str,
    via: str,
    action: str,
    detail: str = "",
    scope: str | tuple[str, ...] = "",
    rows: int | None = None,
) -> None:
    """Add one line to the trail."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    ensure(conn)
    codes = scope if isinstance(scope, str) else ",".join(scope)
    with conn:
        conn.execute(
            "INSERT INTO audit (at, user_id, via, action, detail, scope, rows) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (stamp(now), user_id or "", via, action, detail, codes, rows),
        )


def record_import(
    conn: sqlite3.Connection, now: dt.datetime, user_id: str, via: str, file: str, scope: tuple[str, ...], rows: int
) -> None:
    """An import of register rows (for the intake of registers through the app)."""
    record(conn, now, user_id, via, "import", file, scope, rows)


def latest(conn: sqlite3.Connection, limit: int = 50, action: str | None = None) -> list[Entry]:
    """The latest lines, newest first (of one action if given)."""
    ensure(conn)
    where, params = ("WHERE action = ?", (action,)) if action else ("", ())
    rows = conn.execute(
        f"SELECT at, user_id, via, action, detail, scope, rows FROM audit {where} ORDER BY at DESC, rowid DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [Entry(*r) for r in rows]

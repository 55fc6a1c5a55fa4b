"""The 管理 page's tables, with their final Chinese headers: users, share links, the audit trail."""

import datetime as dt
import sqlite3

import pandas as pd

from sanqu.access import audit, links, users
from sanqu.access.clock import shown
from sanqu.access.identity import ROLE_LABELS
from sanqu.scope import Scope

LINK_COLUMNS = ["编号", "状态", "区县", "页面", "创建人", "创建时间", "有效至", "撤销时间", "打开次数"]


def _label(codes: tuple[str, ...] | str) -> str:
    parts = tuple(c for c in (codes.split(",") if isinstance(codes, str) else codes) if c)
    try:
        return Scope.of(*parts).label if parts else ""
    except ValueError:  # a code no longer known: show it as stored
        return ",".join(parts)


def users_table(conn: sqlite3.Connection) -> pd.DataFrame:
    everyone = users.all_users(conn)
    rows = [(u.id, f"{ROLE_LABELS[u.role]}（{u.role}）", u.scope.label, u.created_at[:16]) for u in everyone]
    return pd.DataFrame(rows, columns=["用户", "角色", "范围", "添加时间"])


def links_table(conn: sqlite3.Connection, now: dt.datetime) -> pd.DataFrame:
    rows = [
        {
            "编号": x.id,
            "状态": x.status(now),
            "区县": _label(x.codes),
            "页面": x.path,
            "创建人": x.created_by,
            "创建时间": shown(x.created_at),
            "有效至": shown(x.expires_at),
            "撤销时间": shown(x.revoked_at),
            "打开次数": x.uses,
        }
        for x in links.list_links(conn)
    ]
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def active_links(conn: sqlite3.Connection, now: dt.datetime) -> list[links.Link]:
    """The links that still open something (the ones worth revoking)."""
    return [x for x in links.list_links(conn) if x.status(now) == "有效"]


def audit_table(conn: sqlite3.Connection, limit: int = 200) -> pd.DataFrame:
    rows = [
        {
            "时间": shown(e.at),
            "用户": e.user_id or "（匿名）",
            "方式": e.via,
            "操作": audit.ACTIONS.get(e.action, e.action),
            "详情": e.detail,
            "范围": _label(e.scope),
            "行数": e.rows,
        }
        for e in audit.latest(conn, limit)
    ]
    return pd.DataFrame(rows, columns=["时间", "用户", "方式", "操作", "详情", "范围", "行数"])

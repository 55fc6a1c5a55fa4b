"""Share links for people without an account: signed, expiring, district-scoped, revocable.

A link is the app's address, a page path and `share=<token>`; the token is the link's id and an
HMAC-SHA256 of it under the secret (setting `link_secret`, else one generated once and kept in the
access file: replicas must share the access file or set the same `link_secret`). What the link
grants (districts, page, expiry) is kept in the access file's `links` table, so a link can be
revoked, and a changed token fails its signature.
"""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sanqu import settings
from sanqu.access.clock import parse, shown, stamp
from sanqu.geography import DISTRICTS
from sanqu.scope import Scope

PARAM = "share"  # the URL parameter that carries the token
MAX_DAYS = 366
SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,          -- district codes, comma-separated
    path TEXT NOT NULL,           -- the page and its parameters, e.g. /map?z=11
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    uses INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_ID_CHARS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: an id read out on the phone


class LinkRefused(Exception):
    """A share link that opens nothing; the message (Chinese) says why."""


@dataclass(frozen=True)
class Grant:
    """What a valid link opens: its districts (read-only) and the page it was made for."""

    codes: tuple[str, ...]
    path: str
    link_id: str
    expires_at: str

    @property
    def scope(self) -> Scope:
        return granted(self.codes)


@dataclass(frozen=True)
class Link:
    id: str
    codes: tuple[str, ...]
    path: str
    created_by: str
    created_at: str
    expires_at: str
    revoked_at: str | None
    uses: int

    def status(self, now: dt.datetime) -> str:
        if self.revoked_at:
            return "已撤销"
        return "已过期" if parse(self.expires_at) <= now else "有效"


def ensure(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def secret(conn: sqlite3.Connection) -> bytes:
    """The signing secret: the setting `link_secret`, else the access file's own (made once)."""
    configured = settings.get("link_secret")
    if configured:
        return configured.encode()
    ensure(conn)
    with conn:
        conn.execute("INSERT OR IGNORE INTO secrets VALUES ('link_secret', ?)", (secrets.token_hex(32),))
    (value,) = conn.execute("SELECT value FROM secrets WHERE name = 'link_secret'").fetchone()
    return value.encode()


def _signature(key: bytes, link_id: str) -> str:
    mac = hmac.new(key, b"sanqu-share-link:" + link_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()  # 144 bits, 24 characters


def token(conn: sqlite3.Connection, link_id: str) -> str:
    return f"{link_id}.{_signature(secret(conn), link_id)}"


def _clean_path(path: str) -> str:
    """A page path of this app with its parameters, without any token, never another site."""
    parts = urlsplit(path.strip() or "/")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        raise ValueError(f"分享的页面路径应以 / 开头，例如 /map?district=360881：{path}")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def granted(codes: Sequence[str]) -> Scope:
    """The scope a link grants: county codes, or one township's code."""
    if len(codes) == 1 and len(codes[0]) == 9 and codes[0] not in DISTRICTS:
        try:
            return Scope.unit(codes[0])
        except ValueError:
            raise ValueError(f"未知的乡镇代码：{codes[0]}") from None
    unknown = [c for c in codes if c not in DISTRICTS]
    if unknown or not codes:
        raise ValueError(f"未知的区县代码：{'、'.join(unknown) or '（未指定区县）'}")
    return Scope.of(*codes)


def create(
    conn: sqlite3.Connection, codes: Sequence[str], days: float, path: str, created_by: str, now: dt.datetime
) -> tuple[Link, str]:
    """A new link to `path` for the districts `codes` (or one township), valid `days` from `now`;
    returns it and its token."""
    scope = granted(codes)
    if not 0 < days <= MAX_DAYS:
        raise ValueError(f"有效天数应在 1 到 {MAX_DAYS} 之间：{days:g}")
    ensure(conn)
    link = Link(
        id="".join(secrets.choice(_ID_CHARS) for _ in range(8)),
        codes=(scope.township,) if scope.township else scope.counties,
        path=_clean_path(path),
        created_by=created_by,
        created_at=stamp(now),
        expires_at=stamp(now + dt.timedelta(days=days)),
        revoked_at=None,
        uses=0,
    )
    with conn:
        conn.execute(
            "INSERT INTO links (id, scope, path, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (link.id, ",".join(link.codes), link.path, link.created_by, link.created_at, link.expires_at),
        )
    return link, token(conn, link.id)


def url(base: str, link: Link, tok: str) -> str:
    """The full address to send: `base` (the app's public address), the page, and the token."""
    parts = urlsplit(link.path)
    query = parse_qsl(parts.query, keep_blank_values=True) + [(PARAM, tok)]
    return base.rstrip("/") + urlunsplit(("", "", parts.path, urlencode(query), ""))


def _row(row: tuple) -> Link:
    link_id, scope, path, created_by, created_at, expires_at, revoked_at, uses = row
    return Link(link_id, tuple(scope.split(",")), path, created_by, created_at, expires_at, revoked_at, uses)


_COLUMNS = "id, scope, path, created_by, created_at, expires_at, revoked_at, uses"


def find(conn: sqlite3.Connection, link_id: str) -> Link | None:
    ensure(conn)
    row = conn.execute(f"SELECT {_COLUMNS} FROM links WHERE id = ?", (link_id,)).fetchone()
    return _row(row) if row else None


def verify(conn: sqlite3.Connection, tok: str, now: dt.datetime) -> Grant:
    """What the token opens at `now`, or LinkRefused saying why (altered, unknown, revoked, expired)."""
    link_id, _, sig = (tok or "").strip().partition(".")
    if not link_id or not hmac.compare_digest(sig.encode(), _signature(secret(conn), link_id).encode()):
        raise LinkRefused("分享链接已被改动或不完整，无法打开。请向发送人索取完整的链接。")
    link = find(conn, link_id)
    if link is None:
        raise LinkRefused("系统中没有这个分享链接（可能已被删除）。请向发送人索取新的链接。")
    if link.revoked_at:
        raise LinkRefused(f"分享链接已于 {shown(link.revoked_at)} 被撤销。请向发送人索取新的链接。")
    if parse(link.expires_at) <= now:
        raise LinkRefused(f"分享链接已于 {shown(link.expires_at)} 过期。请向发送人索取新的链接。")
    return Grant(link.codes, link.path, link.id, link.expires_at)


def count_use(conn: sqlite3.Connection, link_id: str) -> None:
    """One more session opened with this link."""
    ensure(conn)
    with conn:
        conn.execute("UPDATE links SET uses = uses + 1 WHERE id = ?", (link_id,))


def list_links(conn: sqlite3.Connection, limit: int = 200) -> list[Link]:
    """The links, newest first."""
    ensure(conn)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM links ORDER BY created_at DESC, id LIMIT ?", (limit,))
    return [_row(r) for r in rows.fetchall()]


def revoke(conn: sqlite3.Connection, link_id: str, now: dt.datetime) -> bool:
    """Revoke a link from `now` on; False when there is no such link or it was revoked already."""
    ensure(conn)
    with conn:
        cur = conn.execute(
            "UPDATE links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (stamp(now), link_id.strip())
        )
    return cur.rowcount == 1

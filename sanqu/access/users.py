"""The access list: who may sign in, with which role and districts."""

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import dataclass

from sanqu import geography
from sanqu.access import accessdb
from sanqu.access.identity import ROLES, Identity, parse_codes, role_scope
from sanqu.geography import CITY_CODE, DISTRICTS
from sanqu.scope import Scope


class UserError(ValueError):
    """A refused change of the access list (the message says why, in Chinese)."""


@dataclass(frozen=True)
class User:
    id: str
    role: str
    districts: str  # '' for city; codes comma-separated, or 360800 (whole city) for viewer/screen
    created_at: str

    @property
    def scope(self) -> Scope:
        return role_scope(self.role, self.districts)

    def identity(self, via: str) -> Identity:
        return Identity(self.id, self.role, self.scope, via)


def check(user_id: str, role: str, districts: str | None) -> str:
    """The districts value to store for a new row; raises UserError for an invalid one."""
    if not user_id.strip() or user_id != user_id.strip():
        raise UserError("用户标识不能为空，也不能以空格开头或结尾")
    if role not in ROLES:
        raise UserError(f"未知的角色「{role}」，可选：{'、'.join(ROLES)}")
    codes = parse_codes(districts)
    unknown = [c for c in codes if c not in DISTRICTS and c != CITY_CODE]
    if unknown:
        raise UserError(f"未知的区县代码：{'、'.join(unknown)}（可选：{'、'.join(DISTRICTS)}）")
    if role == "city":
        if codes and codes != (CITY_CODE,):
            raise UserError("市级角色（city）看全市，不能指定区县")
        return ""
    if role == "county" and (not codes or CITY_CODE in codes):
        whole = f"全{geography.region_name()[-1]} {geography.region_code()}"
        raise UserError(f"区县角色（county）需要 --district 区县代码（不能是{whole}）")
    if not codes or CITY_CODE in codes:
        return CITY_CODE  # viewer / screen without districts: the whole city
    return ",".join(sorted(set(codes)))


def add(user_id: str, role: str, districts: str | None = None, con: sqlite3.Connection | None = None) -> User:
    """Add a user (or replace its role and districts); returns the stored row."""
    stored = check(user_id, role, districts)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if con is None:
        with closing(accessdb.connect()) as own:
            return add(user_id, role, districts, own)
    with con:
        con.execute(
            "INSERT INTO users (id, role, districts, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET role = excluded.role, districts = excluded.districts",
            (user_id, role, stored, now),
        )
    found = get(user_id, con)
    assert found is not None
    return found


def get(user_id: str, con: sqlite3.Connection | None = None) -> User | None:
    """The access-list row of `user_id` (exact match), or None."""
    if con is None:
        with closing(accessdb.connect()) as own:
            return get(user_id, own)
    row = con.execute("SELECT id, role, districts, created_at FROM users WHERE id = ?", (user_id,)).fetchone()
    return User(**dict(row)) if row else None


def all_users(con: sqlite3.Connection | None = None) -> list[User]:
    if con is None:
        with closing(accessdb.connect()) as own:
            return all_users(own)
    rows = con.execute("SELECT id, role, districts, created_at FROM users ORDER BY id").fetchall()
    return [User(**dict(r)) for r in rows]


def remove(user_id: str, con: sqlite3.Connection | None = None) -> bool:
    """Remove a user; False when there was none."""
    if con is None:
        with closing(accessdb.connect()) as own:
            return remove(user_id, own)
    with con:
        return con.execute("DELETE FROM users WHERE id = ?", (user_id,)).rowcount > 0


def describe(user: User) -> str:
    """One line of `users list`: id, role, scope."""
    return f"{user.id}\t{user.role}\t{user.scope.label}\t{user.districts or CITY_CODE}\t{user.created_at}"

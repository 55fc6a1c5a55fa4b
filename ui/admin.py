"""The 管理 page's reads and changes of the access file, each change written to the audit trail."""

from collections.abc import Callable
from contextlib import closing
from typing import Any

import streamlit as st

from sanqu.access import accessdb, clock, links, tables, users
from ui import access_log
from ui.identity import current


def read(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(conn, *args)` on a fresh connection to the access file (never cached: it changes)."""
    with closing(accessdb.connect()) as conn:
        return fn(conn, *args)


def links_table():
    return read(tables.links_table, clock.now())


def active_links() -> list[links.Link]:
    return read(tables.active_links, clock.now())


def add_user(user_id: str, role: str, codes: list[str]) -> None:
    """on_click of 添加用户: the message of a refused change is shown above the form."""
    try:
        with closing(accessdb.connect()) as conn:
            user = users.add(user_id.strip(), role, ",".join(codes) or None, conn)
    except users.UserError as err:
        st.session_state["sq_admin_msg"] = ("error", str(err))
        return
    access_log.record(current(), "user_added", f"{user.id} {user.role}", access_log.scope_codes(user.scope))
    st.session_state["sq_admin_msg"] = ("success", f"已保存用户 {user.id}（{user.scope.label}）")


def remove_user(user_id: str | None) -> None:
    if not user_id:
        return
    if user_id == current().user_id:
        st.session_state["sq_admin_msg"] = ("error", "不能删除自己的账号。")
        return
    with closing(accessdb.connect()) as conn:
        removed = users.remove(user_id, conn)
    if removed:
        access_log.record(current(), "user_removed", user_id)
    st.session_state["sq_admin_msg"] = ("success", f"已删除用户 {user_id}") if removed else ("error", "没有该用户")


def revoke_link(link_id: str | None) -> None:
    if not link_id:
        return
    with closing(accessdb.connect()) as conn:
        done = links.revoke(conn, link_id, clock.now())
        link = links.find(conn, link_id)
    if done and link is not None:
        access_log.record(current(), "link_revoked", link_id, link.codes)
    st.session_state["sq_admin_msg"] = ("success", f"已撤销分享链接 {link_id}") if done else ("error", "该链接已撤销")

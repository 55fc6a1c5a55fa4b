"""The audit trail from the app (sanqu.access.audit): a session's sign-in or first use of a share
link, refused access, every export, share links made and revoked. A failure to write the trail is
logged and never stops the page."""

import sqlite3
from collections.abc import Callable
from contextlib import closing

import streamlit as st

from sanqu import settings
from sanqu.access import accessdb, audit, clock, links
from sanqu.access.identity import Identity
from sanqu.log import log

SEEN = "sq_audit_seen"  # what this session has recorded once already (sign-in, refusals)


def record(who: Identity | None, action: str, detail: str = "", scope=(), rows: int | None = None) -> None:
    """One line of the trail for `who` (None: whoever is claimed, for refusals)."""
    user_id, via = (who.user_id, who.via) if who else _claimed()
    try:
        with closing(accessdb.connect()) as conn:
            audit.record(conn, clock.now(), user_id, via, action, detail, scope, rows)
            if action == "link_used" and who is not None:
                links.count_use(conn, who.user_id.removeprefix("link:"))
    except (sqlite3.Error, OSError) as err:
        log.error("audit line not written (%s %s): %s", action, detail, err)


def _claimed() -> tuple[str, str]:
    """Who a refused request said it was: the signed-in OIDC user or the proxy header, if any."""
    access = settings.get("access").strip().lower()
    if access == "oidc" and st.user.get("is_logged_in"):
        return str(st.user.get("email") or st.user.get("sub") or ""), "oidc"
    if access == "proxy":
        return (st.context.headers.get(settings.get("proxy_header")) or "").strip(), "proxy"
    return "", access


def once(key: tuple, write) -> None:
    """Run `write` the first time this session meets `key` (a rerun is not a new sign-in)."""
    seen = st.session_state.setdefault(SEEN, set())
    if key not in seen:
        seen.add(key)
        write()


def published(who: Identity, what: str, files: list[str], district: str, rows: int) -> None:
    """An import published through 数据上报 (or a roll back): who, which files, which district."""
    action = "rollback" if what.startswith("回滚") else "import"
    scope = (district,) if district else scope_codes(who.scope)
    record(who, action, f"{what}：{'、'.join(files)}" if files else what, scope, rows)


def signed_in(who: Identity) -> None:
    """The first run of a session with this identity: a sign-in, or a share link opened."""
    action = "link_used" if who.via == "link" else "sign_in"
    once((action, who.user_id, who.via), lambda: record(who, action, "", scope_codes(who.scope)))


def refused(reason: str) -> None:
    once(("refused", reason), lambda: record(None, "refused", reason))


def scope_codes(scope) -> tuple[str, ...]:
    """What the trail records of a page's scope: its township, else its county codes."""
    return (scope.township,) if scope.township else scope.counties


def audited(make: Callable[[], bytes], file_name: str, scope: tuple[str, ...], rows: int | None) -> Callable[[], bytes]:
    """The data of a download button made when pressed (`make`), and its line in the audit trail
    written then: who (this run's identity), which file, which districts, how many rows. The
    button needs no rerun for the trail (`on_click="ignore"`): a rerun at the press could replace
    the file the browser is about to fetch."""
    from ui.identity import current  # not at the top: ui.identity records through this module

    who = current()

    def made() -> bytes:  # on Streamlit's own thread at the press: plain calls only
        data = make()
        record(who, "export", file_name, scope, rows)
        return data

    return made

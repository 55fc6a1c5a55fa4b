"""Who is looking, resolved at every script run before any page runs (setting `access`).

- local: everyone, the whole city (make run binds 127.0.0.1); the sidebar says so.
- oidc: Streamlit's st.login; the user id is the claim `oidc_claim` (else sub).
- proxy: the header `proxy_header`, only from an address in `trusted_proxies`.
- a `?share=` link (any mode): `resolve_share_link`, the hook share links plug into.
Anyone else gets 无权访问 and the run stops: no data is drawn.
"""

from contextlib import closing

import streamlit as st

from sanqu import geography, settings
from sanqu.access import accessdb, clock, links, users
from sanqu.access.identity import (
    ACCESS_MODES,
    ROLE_LABELS,
    Identity,
    is_loopback,
    local_identity,
    oidc_user_id,
    trusted,
)
from sanqu.log import log
from ui import access_log

KEY = "sq_identity"  # this run's Identity in session_state (written at every run)
SHARE_PARAM = "share"
SHARE_KEY = "sq_share_token"  # the token of the link this session was opened with


def resolve_share_link(token: str) -> Identity | None:
    """The identity a valid, unexpired, unrevoked share link grants (via="link", read-only, the
    link's districts), or the refusal saying why (altered, expired, revoked, unknown)."""
    try:
        with closing(accessdb.connect()) as conn:
            grant = links.verify(conn, token, clock.now())
    except links.LinkRefused as refused:
        refuse(str(refused), "页面不显示任何数据。")
        raise AssertionError from refused  # refuse() stops the run
    st.session_state[SHARE_KEY] = token  # kept while the person moves between pages
    return Identity(f"link:{grant.link_id}", "viewer", grant.scope, "link")


def mode() -> str:
    value = settings.get("access").strip().lower()
    if value not in ACCESS_MODES:
        raise ValueError(f"SANQU_ACCESS={value!r}: expected one of {', '.join(ACCESS_MODES)}")
    return value


def current() -> Identity:
    """This run's identity (set by `resolve`, which app.py calls before any page runs; a page
    run on its own, as AppTest runs a view file, resolves it here)."""
    found = st.session_state.get(KEY)
    return found if isinstance(found, Identity) else resolve()


def refuse(reason: str, detail: str = "", who: str = "") -> None:
    """The 无权访问 screen and nothing else: the run stops here. `who` (an id from a header or a
    sign-in) is shown as plain text, never markdown."""
    st.session_state.pop(KEY, None)
    log.warning("access refused: %s %r", reason, who)
    access_log.refused(f"{reason}（{who}）" if who else reason)
    st.error(f"无权访问：{reason}")
    if who:
        st.text(f"账号：{who}")
    if detail:
        st.caption(detail)
    if mode() == "oidc" and st.user.get("is_logged_in"):
        st.button("退出登录", on_click=st.logout, key="sq_logout_refused")
    st.stop()


def _from_list(user_id: str, via: str) -> Identity:
    """The access list's row for `user_id` (read at every run), or the refusal."""
    user = users.get(user_id)
    if user is None:
        refuse("账号不在访问名单中。", "请联系市委组织部管理员开通。", who=user_id)
        raise AssertionError  # refuse() stops the run
    return user.identity(via)


def _local() -> Identity:
    """Local mode is for the machine itself (make run binds 127.0.0.1): a client from anywhere
    else (the server started on another address by mistake) sees nothing."""
    if not is_loopback(st.context.ip_address):
        refuse("本机模式（未启用登录）只接受本机访问。", "需要多人访问时，请启用登录：SANQU_ACCESS=oidc 或 proxy。")
    return local_identity()


def _oidc() -> Identity:
    if "is_logged_in" not in st.user:  # st.user has it only when secrets.toml has an [auth] section
        log.error("access=oidc but no [auth] section in .streamlit/secrets.toml")
        st.error("无权访问：登录尚未配置（.streamlit/secrets.toml 中缺少 [auth]），请联系管理员。")
        st.stop()
    if not st.user.is_logged_in:
        st.title(geography.app_title())
        st.info("请先登录。")
        st.button("登录", on_click=st.login, type="primary", key="sq_login", icon=":material/login:")
        st.stop()
    user_id = oidc_user_id(st.user.to_dict(), settings.get("oidc_claim"))
    if user_id is None:
        refuse("登录信息中没有用户标识。")
    assert user_id is not None
    return _from_list(user_id, "oidc")


def _proxy() -> Identity:
    address = st.context.ip_address
    if not trusted(address, settings.get_list("trusted_proxies")):
        refuse("请求不是经由受信任的统一身份认证代理到达的。")
    user_id = (st.context.headers.get(settings.get("proxy_header")) or "").strip()
    if not user_id:
        refuse("未能确认您的身份（统一身份认证未提供用户标识）。")
    return _from_list(user_id, "proxy")


def resolve() -> Identity:
    """The viewer of this run, kept in session_state for the pages; stops the run for anyone
    without an identity or a valid share link."""
    token = st.query_params.get(SHARE_PARAM) or st.session_state.get(SHARE_KEY)
    if token is not None:
        st.query_params[SHARE_PARAM] = token  # a page switch drops the query: the link stays in it
        who = resolve_share_link(token)
        if who is None:
            refuse("分享链接无效、已过期或已撤销。", "请向发送链接的人索取新的链接。")
    else:
        access = mode()
        who = _local() if access == "local" else _oidc() if access == "oidc" else _proxy()
    assert who is not None
    st.session_state[KEY] = who
    access_log.signed_in(who)
    return who


def still_valid(who: Identity) -> bool:
    """Whether the access list still grants `who` the same (for a fragment that reruns on its own,
    the big screen, without the app's run that resolves the identity)."""
    if who.via in ("local", "link"):
        return True
    user = users.get(who.user_id)
    return user is not None and user.identity(who.via) == who


def sidebar_badge(who: Identity) -> None:
    """Who is looking, in the sidebar: local mode says so; oidc has a sign-out button."""
    with st.sidebar:
        if who.via == "local":
            st.caption("本机模式（未启用登录）")
            return
        if who.via == "link":
            st.caption(f"分享链接 · 只读 · {who.scope.label}")
            return
        st.text(f"{who.user_id} · {ROLE_LABELS[who.role]} · {who.scope.label}")  # the id as text, not markdown
        if who.via == "oidc":
            st.button("退出登录", on_click=st.logout, key="sq_logout", icon=":material/logout:")

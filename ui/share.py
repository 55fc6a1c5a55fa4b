"""Sharing from any page: the link to the current view, the big-screen link, the briefing pack and,
for city and county administrators, signed share links (sanqu.access.links) for people without
an account."""

import ipaddress
from contextlib import closing
from functools import partial
from typing import Literal
from urllib.parse import urlencode, urlsplit

import streamlit as st

from sanqu import settings
from sanqu.access import accessdb, clock, links
from sanqu.access.identity import Identity, narrow
from sanqu.reports import briefing_pdf
from sanqu.scope import Scope
from ui import access_log
from ui.data import cached
from ui.filters import district_label

MAX_DAYS = 90  # the longest link the share control makes (the command line allows up to a year)


def _first(value: str | None) -> str:
    return (value or "").split(",")[0].strip()


def base_url() -> str:
    """The app's address as others reach it, without the page: the setting `public_url`; else
    the proxy's X-Forwarded-Host (and -Proto, -Prefix); else the address in the browser."""
    public = settings.get("public_url").strip()
    if public:
        return public.rstrip("/")
    browser = urlsplit(st.context.url or "")
    page = "/" + st.session_state.get("sq_page", "")
    prefix = browser.path.removesuffix(page) if browser.path.endswith(page) else browser.path.rsplit("/", 1)[0]
    headers = st.context.headers
    host = _first(headers.get("X-Forwarded-Host"))
    if host:
        proto = _first(headers.get("X-Forwarded-Proto")) or browser.scheme or "http"
        prefix = _first(headers.get("X-Forwarded-Prefix")).rstrip("/") or prefix
        return f"{proto}://{host}{prefix}"
    if browser.netloc:
        return f"{browser.scheme}://{browser.netloc}{prefix}"
    return f"http://{_first(headers.get('Host')) or '127.0.0.1:8501'}{prefix}"


def page_path(**extra: str) -> str:
    """This page and every piece of state now in the URL (plus `extra`): `/map?district=…`."""
    params = {k: st.query_params.get(k) for k in st.query_params}
    params.update(extra)
    return f"/{st.session_state.get('sq_page', '')}?{urlencode(params)}"


def current_link(**extra: str) -> str:
    """This page's full address with its state (the link to copy)."""
    return base_url() + page_path(**extra)


def loopback(url: str) -> bool:
    """Whether `url` points at this machine only (a link nobody else can open)."""
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def share_controls() -> None:
    """At the foot of the sidebar, after the page has put its state in the URL. On the map, opening
    it reruns the page, so the link holds the view as it is now (the centre and zoom, which the
    map's fragment has written to the URL since the last full run); elsewhere the URL is already
    the page's, and opening it costs no run (a rerun would also give the briefing's button a new
    address while the first is being pressed)."""
    f = st.session_state.get("filters")
    on_open: Literal["rerun", "ignore"] = "rerun" if st.session_state.get("sq_page") == "map" else "ignore"
    with st.sidebar:
        st.divider()
        with st.popover(
            "分享与导出", icon=":material/share:", width="stretch", key="sq_share_popover", on_change=on_open
        ):
            st.caption("复制链接（打开后恢复当前页面、筛选与地图视图）")
            link = current_link()
            st.code(link, language=None, wrap_lines=True)
            if loopback(link):
                st.caption("这是本机地址，他人无法打开；请设置对外地址 SANQU_PUBLIC_URL。")
            st.link_button("大屏模式", current_link(mode="screen"), icon=":material/tv:", width="stretch")
            if f is not None:
                _briefing(f)
                if f.who is not None and f.who.role in ("city", "county") and not f.who.read_only:
                    make_share_link(f.who, f.scope)


def _briefing(f) -> None:
    name = f"三区党建简报_{f.scope.key}_{f.period}.pdf"
    make = partial(cached, briefing_pdf.build, f.ctx, f.demo)
    st.download_button(
        "下载简报 PDF",
        data=access_log.audited(make, name, access_log.scope_codes(f.scope), None),
        file_name=name,
        mime="application/pdf",
        key="briefing_pdf",
        icon=":material/picture_as_pdf:",
        width="stretch",
        on_click="ignore",  # no rerun at the press: the trail is written by the press itself
    )


def share_choices(allowed: Scope, shown: Scope) -> list[str]:
    """What an administrator may share: their counties (a township-wide one, their township), and
    the township shown now when it lies within their scope (a link grants counties or one township)."""
    options = [allowed.township] if allowed.township else list(allowed.counties)
    if shown.township and shown.township not in options and not narrow(allowed, (shown.township,))[1]:
        options.append(shown.township)
    return options


def make_share_link(who: Identity, shown: Scope) -> None:
    """生成分享链接: a signed link to this view for districts within the administrator's own, valid
    for some days, read-only for whoever opens it."""
    with st.form("sq_share_form", border=False):
        st.markdown("**生成分享链接**（无需账号，只读，到期失效）")
        options = share_choices(who.scope, shown)
        default = [shown.key] if shown.key in options else [c for c in shown.counties if c in options]
        default = [] if shown.is_city else default
        codes = st.multiselect(
            "可查看的区县", options, default, format_func=district_label, placeholder="选择区县", key="sq_share_codes"
        )
        days = st.number_input("有效天数", min_value=1, max_value=MAX_DAYS, value=7, step=1, key="sq_share_days")
        made = st.form_submit_button("生成分享链接", icon=":material/add_link:", width="stretch")
    if made:
        _create(who, tuple(codes), int(days))
    if st.session_state.get("sq_share_made"):
        url, until = st.session_state["sq_share_made"]
        st.code(url, language=None, wrap_lines=True)
        st.caption(f"有效至 {until}；可在 管理 页撤销。")


def _create(who: Identity, codes: tuple[str, ...], days: int) -> None:
    st.session_state.pop("sq_share_made", None)
    if not codes:
        st.warning("请选择至少一个区县。")
        return
    try:
        scope = links.granted(codes)
    except ValueError:
        st.warning("乡镇只能单独分享：请只选择这一个乡镇，或只选择区县。")
        return
    if narrow(who.scope, codes)[1]:  # the choices already are within; never wider than one's own
        st.error("分享范围超出您的查看范围。")
        return
    path = page_path(district=scope.key)
    now = clock.now()
    with closing(accessdb.connect()) as conn:
        link, token = links.create(conn, codes, days, path, who.user_id, now)
    access_log.record(who, "link_created", f"{link.id} {link.path}", link.codes)
    st.session_state["sq_share_made"] = (links.url(base_url(), link, token), clock.shown(link.expires_at))

"""Sharing from any page: the link to the current view, the big-screen link, the briefing pack."""

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from sanqu.reports import briefing
from ui.data import cached


def current_link(**extra: str) -> str:
    """This page's address with every piece of state now in the URL (plus `extra`)."""
    parts = urlsplit(st.context.url or "")
    params = {k: st.query_params.get(k) for k in st.query_params}
    params.update(extra)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def share_controls() -> None:
    """At the foot of the sidebar, after the page has put its state in the URL."""
    f = st.session_state.get("filters")
    with st.sidebar:
        st.divider()
        with st.popover("分享与导出", icon=":material/share:", width="stretch"):
            st.caption("复制链接（打开后恢复当前页面、筛选与地图视图）")
            st.code(current_link(), language=None, wrap_lines=True)
            st.link_button("大屏模式", current_link(mode="screen"), icon=":material/tv:", width="stretch")
            if f is not None:
                st.download_button(
                    "下载简报 PDF",
                    data=lambda: cached(briefing.build, f.ctx, f.demo),
                    file_name=f"三区党建简报_{f.scope.key}_{f.period}.pdf",
                    mime="application/pdf",
                    key="briefing_pdf",
                    icon=":material/picture_as_pdf:",
                    width="stretch",
                )

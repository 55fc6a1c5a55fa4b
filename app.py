"""sanqu: the router. Page config once, then the chosen page (each page opens with ui.layout.page)."""

import time
from pathlib import Path

import streamlit as st

from sanqu import heap
from sanqu.geography import app_title
from sanqu.log import setup as setup_logging
from sanqu.publish.intake import may_upload
from ui import identity
from ui.data import reopen_on_dead_store

# wall and CPU time (the process's, every thread: the parts made ahead, DuckDB's) from here
STARTED, STARTED_CPU = time.perf_counter(), time.process_time()
log = setup_logging()
st.set_page_config(page_title=app_title(), page_icon="static/favicon.png", layout="wide")

OVERVIEW = st.Page("views/overview.py", title="总览", icon=":material/dashboard:", url_path="overview")


def _home() -> None:
    """`/`: the overview at its own address, the link's parameters kept (`/?district=…` -> `/overview?district=…`)."""
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())


# The default page answers at `/` only (Streamlit serves it at "" whatever its url_path), so the
# overview is an ordinary page at `/overview` and `/` hands over to it.
HOME = st.Page(_home, title="总览", url_path="home", default=True, visibility="hidden")
PAGES = [
    HOME,
    OVERVIEW,
    st.Page("views/map.py", title="地图", icon=":material/map:", url_path="map"),
    # zone pages (issue 4)
    st.Page("views/parks.py", title="工业园区", icon=":material/factory:", url_path="parks"),
    st.Page("views/communities.py", title="城乡社区", icon=":material/holiday_village:", url_path="communities"),
    st.Page("views/scenic.py", title="旅游景区", icon=":material/landscape:", url_path="scenic"),
    # demonstration sites and mechanisms (issue 5)
    st.Page("views/sites.py", title="示范点", icon=":material/flag:", url_path="sites"),
    st.Page("views/mechanisms.py", title="长效机制", icon=":material/handshake:", url_path="mechanisms"),
    st.Page("views/screen.py", title="大屏", icon=":material/tv:", url_path="screen"),
]
APP_TITLE = app_title()


def tab_title(page_title: str, screen: bool = False) -> str:
    """The browser tab's title: the page, then the app (`工业园区 · 吉安市三区党建`)."""
    return f"{'大屏' if screen else page_title} · {APP_TITLE}"


SCREEN = PAGES[-1]
# Who is looking, before any page runs: without an identity (or a valid share link) the run
# stops here with 无权访问 and no data. The `screen` role has the big screen only.
who = identity.resolve()
identity.sidebar_badge(who)
# ?mode=screen on any link shows that page's big-screen view (no navigation, no sidebar).
screen_mode = st.query_params.get("mode") == "screen" and not who.screen_only
# 数据上报 for city and county administrators, 管理 for city administrators only
UPLOAD = st.Page("views/upload.py", title="数据上报", icon=":material/upload_file:", url_path="upload")
ADMIN = st.Page("views/admin.py", title="管理", icon=":material/admin_panel_settings:", url_path="admin")
listed = [*PAGES, *([UPLOAD] if may_upload(who.role, who.read_only) else []), *([ADMIN] if who.is_admin else [])]
page = st.navigation(
    [SCREEN] if who.screen_only else listed, position="hidden" if screen_mode or who.screen_only else "sidebar"
)
# each page its own browser tab title (the first call above set the icon and layout)
st.set_page_config(page_title=tab_title(page.title, screen_mode))
heap.run_started()  # no full collection begun by the idle collector meanwhile (sanqu/heap.py)
try:
    with reopen_on_dead_store():
        if screen_mode and page.url_path != "screen":
            from ui.screen import render

            render(back=page.url_path or "overview")
        else:
            page.run()
            if page.url_path not in ("screen", "admin", "upload"):
                from ui.share import share_controls

                st.session_state["sq_page"] = page.url_path  # where 大屏's 返回 leads
                share_controls()
finally:  # the server time of every script run, as make bench-pages reads it
    log.info(
        "script run page=%s ms=%.1f cpu_ms=%.1f",
        page.url_path or "overview",
        (time.perf_counter() - STARTED) * 1000,
        (time.process_time() - STARTED_CPU) * 1000,
    )
    heap.run_ended()
    heap.once(Path(__file__).parent, log)  # once a process: full collections short (sanqu/heap.py)

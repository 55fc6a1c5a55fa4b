"""Big-screen briefing mode: a canvas 1080 px high fitted to the screen, no chrome, dark.

No CSS transform or zoom (plotly would then draw at the wrong size). A constant script (no data
in it, static/screen-fit.js) asks for ?scale=min(width / 1920, height / 1080) and, on a screen
wider than 16:9 (a spliced video wall), ?width= the canvas width that fills it; every size (CSS,
plotly heights and fonts) is drawn at that scale, so charts are drawn at the size they are shown
and stay sharp at 4K. On a wall (canvas width >= screen.WALL_WIDTH) the board of inspections and
visits gets a column of its own; below that it sits under the KPI panels.
"""

import datetime as dt
import time

import streamlit as st

from sanqu import periods
from sanqu.context import Context
from sanqu.paths import ROOT
from sanqu.reports import screen
from sanqu.scope import Scope
from ui import assets, identity
from ui.data import ahead, cached, database, kept, reopen_on_dead_store
from ui.filters import district_from_url, from_url, list_from_url, scope_of
from ui.runlog import timed

SCREEN_ONLY = ("mode", "scale", "every", "views", "from")  # the screen's own parameters, not the page's
DEFAULT_EVERY = 20  # seconds per carousel view
MIN_EVERY, MAX_EVERY = 5, 3600  # the interval a link may ask for (?every=)
MAX_WIDTH = 8000  # the widest canvas (px at scale 1) a wall may ask for
BOARD_HEADER = 84  # the board's title line and padding (px at scale 1)
BOARD_LINE = 1.45  # a board row's height in label sizes (static/screen.css)
VIEWS = ROOT / "views"
START = {"parks": "park", "communities": "community", "scenic": "scenic", "sites": "sites"}  # page -> first view


def _css(k: float, width: int) -> str:
    """Chrome hidden, dark, no scrollbars; the canvas is width×1080 × k px, centred (static/screen.css)."""
    sizes = {
        "size-title": screen.SIZE_TITLE,
        "size-label": screen.SIZE_LABEL,
        "size-number": screen.SIZE_NUMBER,
        "title-height": screen.TITLE_HEIGHT,
        "ticker-height": screen.TICKER_HEIGHT,
        "board-height": screen.BOARD_HEIGHT,
    }
    colours = {"bg": screen.BG, "text": screen.TEXT, "accent": screen.ACCENT, "muted": screen.MUTED}
    variables = {
        "k": f"{k:.4f}",
        "w": str(width),
        **colours,
        "panel": screen.PANEL,
        **{n: f"{v * k:.1f}px" for n, v in sizes.items()},
    }
    return assets.style("screen.css", variables)


# Fits the canvas to the screen (static/screen-fit.js) and counts changed numbers up
# (static/screen-count.js): constant scripts, no data in them.
FIT = assets.script("screen-fit.js")
COUNT = assets.script("screen-count.js")


def scale() -> float:
    """The canvas scale the browser asked for (?scale=), 1 until it has said."""
    try:
        return max(0.3, min(4.0, float(st.query_params.get("scale", 1))))
    except ValueError:
        return 1.0


def width() -> int:
    """The canvas width (px at scale 1) the browser asked for (?width=), 1920 until it has said."""
    try:
        return max(screen.CANVAS_WIDTH, min(MAX_WIDTH, int(st.query_params.get("width", screen.CANVAS_WIDTH))))
    except ValueError:
        return screen.CANVAS_WIDTH


def _settings() -> tuple[int, list[str], list[str]]:
    """The carousel's interval and views from the URL, and a message for each invalid one."""
    every, late = from_url("every", range(MIN_EVERY, MAX_EVERY + 1), DEFAULT_EVERY, "轮播间隔", _seconds, int)
    views, unknown = list_from_url("views", screen.VIEWS, tuple(screen.VIEWS), "轮播内容", allow_none=False)
    return every, list(views), [p for p in (late, unknown) if p]


def _seconds(n: int) -> str:
    return f"{n} 秒"


def _filters(known: list[str]) -> tuple[str, str, list[str]]:
    """District and period from the URL, checked as the sidebar checks them (the district within
    the viewer's scope: a wider one is refused, saying so). Without ?period=
    the store's latest quarter is asked for on every refresh, so the screen rolls forward by
    itself when a new quarter is published."""
    district, other = district_from_url(identity.current().scope)
    period, unknown = from_url("period", tuple(known), known[-1], "统计季度", periods.label)
    return district, period, [p for p in (other, unknown) if p]


def _notice(problems: list[str]) -> None:
    """Invalid link parameters, one line each, in a strip at the top of the canvas."""
    if problems:
        with st.container(key="sq_notice"):
            for problem in problems:
                st.text("⚠ " + problem)


def keep_filters() -> str:
    """The 大屏 entry of the navigation (which drops the link's query): the district and period the
    person had chosen, and the page they came from, go into the screen's link, before the fit
    script reloads it at its scale. Returns the page 返回 leads to."""
    for key in ("district", "period"):
        if key not in st.query_params and key in st.session_state:
            st.query_params[key] = st.session_state[key]
    if "from" not in st.query_params and st.session_state.get("sq_page"):
        st.query_params["from"] = st.session_state["sq_page"]
    return st.query_params.get("from", "overview")


def _back(page: str) -> None:
    """A small 返回 in the canvas' corner (dim: not for the room): the page the screen was opened
    from, with the link's district, period and the page's own parameters."""
    if identity.current().screen_only:  # the screen role has no other page to go back to
        return
    path = VIEWS / f"{page}.py"
    if not page.isalpha() or page == "screen" or not path.is_file():  # ?from= is from the link
        path = VIEWS / "overview.py"
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in SCREEN_ONLY}
    with st.container(key="sq_back"):
        st.page_link(str(path.relative_to(ROOT)), label="返回", icon=":material/arrow_back:", query_params=params)


def render(back: str = "overview") -> None:
    """The whole screen of a page (`back`: where 返回 leads), its carousel starting at that page's
    view; the carousel and the data refresh run in a fragment (no reload)."""
    start = START.get(back, "overview")
    k, w = scale(), width()
    st.html(_css(k, w))
    st.html(FIT, unsafe_allow_javascript=True)
    st.html(COUNT, unsafe_allow_javascript=True)
    _back(back)
    every, views, settings = _settings()
    if start in views:
        views = views[views.index(start) :] + views[: views.index(start)]
    t0 = st.session_state.setdefault("sq_started", time.time())

    @st.fragment(run_every=every)
    @timed("screen", "canvas")
    @reopen_on_dead_store()
    def canvas() -> None:
        if not identity.still_valid(identity.current()):  # removed or changed since: the full run decides
            st.rerun(scope="app")
        db = database()
        district, period, filters = _filters(db.periods())
        at = int((time.time() - t0) // every) % len(views)
        st.session_state["sq_used"] = {"every": every, "views": views, "district": district, "period": period}
        ctx = Context(scope_of(identity.current(), district), period)
        view = kept(_view, ctx, views[at], k)
        meta = db.meta()
        _notice(settings + filters)
        _title(view, ctx.scope, period, meta)
        _body(view, k, screen.wall(w))
        with st.container(key="sq_ticker"):
            st.text("　　".join(view.ticker) or "暂无督查与逾期事项")
        if len(views) > 1:  # the carousel's next view, made while this one is shown
            ahead(_view, ctx, views[(at + 1) % len(views)], k)

    canvas()


def _view(db, ctx: Context, key: str, k: float) -> screen.ScreenView:
    """One carousel view (kept whole: its figures are not pickled and revalidated at each tick),
    each of its queries through the one cache: the views share their KPIs, trends (one per scope,
    whatever the quarter) and tables, and the pages theirs."""
    return screen.build(db, ctx, key, k, fetch=cached)


def _body(view: screen.ScreenView, k: float, wall: bool) -> None:
    """Panels, map and charts; the board under the panels, or in a column of its own on a wall."""
    cfg = {"displayModeBar": False, "responsive": True}
    columns = st.columns([5, 9, 5, 5] if wall else [5, 9, 5], gap="medium")
    with columns[0]:
        height = screen.PANEL_HEIGHT_WALL if wall else screen.PANEL_HEIGHT
        for i, p in enumerate(view.panels):
            with st.container(key=f"sq_panel_{i}", height=round(height * k)):
                st.metric(p.title, p.value)
                st.text(p.detail)
        if not wall:
            _board(view.board, screen.BOARD_HEIGHT, k)
    with columns[1]:
        st.plotly_chart(view.choropleth, key="sq_map", config=cfg, theme=None)
    with columns[2]:
        for i, fig in enumerate(view.side):
            st.plotly_chart(fig, key=f"sq_side_{i}", config=cfg, theme=None)
    if wall:
        with columns[3]:
            _board(view.board, screen.CENTRE_HEIGHT, k)


def _board(lines: list[str], height: int, k: float) -> None:
    """The latest inspections and visits, scrolling upwards (the list twice, for a seamless loop);
    still, and once, where the whole list fits (a wall's tall column)."""
    fits = len(lines) * screen.SIZE_LABEL * BOARD_LINE <= height - BOARD_HEADER
    with st.container(key="sq_board", height=round(height * k)):
        st.text("最新督查与走访")
        window = st.container(key="sq_board_window", height=round((height - BOARD_HEADER) * k), border=False)
        with window, st.container(key="sq_board_still" if fits else "sq_board_rows"):
            for line in (lines if fits else lines * 2) or ["暂无督查与走访记录"]:
                st.text(line)


def _title(view: screen.ScreenView, scope: Scope, period: str, meta: dict) -> None:
    where = scope.label
    with st.container(key="sq_title", horizontal=True, vertical_alignment="center"):
        st.markdown(f"# {where}三区党建 · {view.title}")
        demo = " · 演示数据" if meta.get("demo") == "1" else ""
        now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        as_of = periods.data_date(period, meta.get("data_date", ""))
        st.text(f"工业园区 · 城乡社区 · 旅游景区　{periods.label(period)}　数据截至 {as_of}　刷新于 {now}{demo}")

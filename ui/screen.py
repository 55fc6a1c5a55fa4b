"""Big-screen briefing mode: a 1920×1080 canvas fitted to the screen, no chrome, dark.

No CSS transform or zoom (plotly would then draw at the wrong size). A constant script (no data in it) asks for
?scale=min(width / 1920, height / 1080), and every size (CSS, plotly heights and fonts) is
drawn at that scale, so charts are drawn at the size they are shown and stay sharp at 4K.
"""

import datetime as dt
import time

import streamlit as st

from sanqu import periods as quarters
from sanqu import screen
from sanqu.context import Context
from sanqu.geography import CITY_CODE, DISTRICTS
from sanqu.scope import Scope
from ui.data import cached, database

DEFAULT_EVERY = 20  # seconds per carousel view


def _css(k: float) -> str:
    """Chrome hidden, dark, no scrollbars; the canvas is 1920×1080 × k px, centred."""
    px = lambda n: f"{n * k:.1f}px"  # noqa: E731
    return f"""
<style>
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  overflow: hidden !important; background: {screen.BG} !important; color: {screen.TEXT};
}}
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stMainMenu"],
[data-testid="stAppDeployButton"], [data-testid="stStatusWidget"], [data-testid="stSidebar"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMain"] {{
  display: flex; align-items: center; justify-content: center; height: 100vh; padding: 0 !important;
}}
[data-testid="stMainBlockContainer"] {{
  width: {px(1920)} !important; max-width: {px(1920)} !important; min-width: {px(1920)};
  height: {px(1080)}; padding: {px(16)} {px(28)} !important; margin: 0 auto !important; overflow: hidden;
}}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: {px(12)}; }}
.stApp p, .stApp span, .stApp div {{ color: {screen.TEXT}; }}
.st-key-sq_title {{ height: {px(screen.TITLE_HEIGHT)}; gap: {px(30)}; }}
.st-key-sq_title h1 {{ font-size: {px(screen.SIZE_TITLE)} !important; color: {screen.ACCENT} !important; padding: 0; }}
.st-key-sq_title [data-testid="stText"], .st-key-sq_ticker [data-testid="stText"] {{
  font-size: {px(screen.SIZE_LABEL)} !important;
}}
.st-key-sq_title [data-testid="stText"] {{ color: {screen.MUTED}; }}
[class*="st-key-sq_panel_"] {{
  background: {screen.PANEL}; border: 1px solid #1d3a66; border-radius: {px(10)}; padding: {px(14)} {px(20)};
}}
[class*="st-key-sq_panel_"] [data-testid="stMetricLabel"] p {{
  font-size: {px(screen.SIZE_LABEL)} !important; color: {screen.MUTED} !important;
}}
[class*="st-key-sq_panel_"] [data-testid="stMetricValue"] div {{
  font-size: {px(screen.SIZE_NUMBER)} !important; color: {screen.ACCENT} !important; line-height: 1.2;
}}
[class*="st-key-sq_panel_"] [data-testid="stText"] {{ font-size: {px(screen.SIZE_LABEL)} !important; }}
.st-key-sq_ticker {{ display: block !important; height: {px(screen.TICKER_HEIGHT)}; background: {screen.PANEL};
  border-radius: {px(8)}; overflow: hidden; white-space: nowrap; padding-top: {px(14)}; }}
.st-key-sq_ticker [data-testid="stText"] {{ display: inline-block; width: max-content; white-space: nowrap;
  padding-left: 100%; animation: sq-scroll 120s linear infinite; color: {screen.ACCENT}; }}
@keyframes sq-scroll {{ from {{ transform: translateX(0); }} to {{ transform: translateX(-100%); }} }}
</style>
"""


# Fits the canvas to the screen: the page is drawn for ?scale=min(w / 1920, h / 1080); when
# the window's scale differs (first load, or a resize), reload once with the right one.
FIT = """
<script>
(function () {
  function want() {
    var z = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    return Math.max(0.3, Math.min(4, Math.round(z * 1000) / 1000));
  }
  function check() {
    var url = new URL(window.location.href);
    var have = parseFloat(url.searchParams.get("scale"));
    if (!(Math.abs(have - want()) < 0.01)) {
      url.searchParams.set("scale", String(want()));
      window.location.replace(url.toString());
    }
  }
  if (!window.__sqFit) {
    window.__sqFit = true;
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
  }
  check();
})();
</script>
"""


def scale() -> float:
    """The canvas scale the browser asked for (?scale=), 1 until it has said."""
    try:
        return max(0.3, min(4.0, float(st.query_params.get("scale", 1))))
    except ValueError:
        return 1.0


def _param(name: str, allowed, default):
    value = st.query_params.get(name, default)
    return value if value in allowed else default


def _views() -> list[str]:
    asked = [v for v in st.query_params.get("views", "").split(",") if v in screen.VIEWS]
    return asked or list(screen.VIEWS)


def _seconds(name: str, default: int) -> int:
    try:
        return max(5, min(3600, int(st.query_params.get(name, default))))
    except ValueError:
        return default


def render(start: str = "overview") -> None:
    """The whole screen; the carousel and the data refresh run in a fragment (no reload)."""
    k = scale()
    st.html(_css(k))
    st.html(FIT, unsafe_allow_javascript=True)
    every = _seconds("every", DEFAULT_EVERY)
    views = _views()
    if start in views:
        views = views[views.index(start) :] + views[: views.index(start)]
    t0 = st.session_state.setdefault("sq_started", time.time())

    @st.fragment(run_every=every)
    def canvas() -> None:
        db = database()
        known = db.periods()
        district = _param("district", (CITY_CODE, *DISTRICTS), CITY_CODE)
        period = _param("period", tuple(known), known[-1])
        key = views[int((time.time() - t0) // every) % len(views)]
        view = cached(screen.build, Context(Scope.parse(district), period), key, k)
        meta = db.meta()
        _title(view, district, period, meta)
        left, centre, right = st.columns([5, 9, 5], gap="medium")
        with left:
            for i, p in enumerate(view.panels):
                with st.container(key=f"sq_panel_{i}", height=round(screen.PANEL_HEIGHT * k)):
                    st.metric(p.title, p.value)
                    st.text(p.detail)
        cfg = {"displayModeBar": False, "responsive": True}
        with centre:
            st.plotly_chart(view.choropleth, key="sq_map", config=cfg, theme=None)
        with right:
            for i, fig in enumerate(view.side):
                st.plotly_chart(fig, key=f"sq_side_{i}", config=cfg, theme=None)
        with st.container(key="sq_ticker"):
            st.text("　　".join(view.ticker) or "暂无督查与逾期事项")

    canvas()


def _title(view: screen.ScreenView, district: str, period: str, meta: dict) -> None:
    where = "吉安市" if district == CITY_CODE else DISTRICTS[district]
    with st.container(key="sq_title", horizontal=True, vertical_alignment="center"):
        st.markdown(f"# {where}三区党建 · {view.title}")
        demo = " · 演示数据" if meta.get("demo") == "1" else ""
        now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        st.text(
            f"工业园区 · 城乡社区 · 旅游景区　{quarters.label(period)}　数据截至 {meta.get('data_date', '')}　"
            f"刷新于 {now}{demo}"
        )

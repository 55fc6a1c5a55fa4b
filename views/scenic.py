"""旅游景区: coverage of scenic areas and spots by A-level, the 联建 modes, trade organisations
and the 一弘扬三创优 theme activity led by 井冈山; filters and the list in the URL."""

import streamlit as st

from sanqu import fmt
from sanqu.areas import scenic as sc
from sanqu.areas import zones
from sanqu.areas.zones import ALL
from sanqu.figures.scenic_page import UNIT
from ui.data import arrow_table, kept
from ui.filters import request_district, url_select
from ui.layout import data_table, kpi_card, page
from ui.site_ui import county_caption
from ui.zone_widgets import (
    ZoneList,
    chart,
    download_list,
    list_ahead,
    list_section,
    scenic_figures,
    set_state,
    trend_count_card,
    zone_kpi,
)

f = page("旅游景区党建")
st.caption(
    "就近挂靠：景区联建、景企联建、景居联建；按行业建立导游、宾馆酒店、商业休闲联合党组织；"
    f"井冈山市牵头开展「{sc.THEME}」主题活动（弘扬井冈山精神，创优质服务、创一流业绩、创良好形象）。"
)

LEVEL_LABELS = {ALL: "全部等级", **{a: a for a in sc.A_LEVELS}}
KIND_LABELS = {ALL: "景区和景点", "景区": "景区", "景点": "景点"}
c1, c2, _ = st.columns([1, 1, 2])
with c1:
    a_level = url_select("A级", list(LEVEL_LABELS), "alevel", ALL, LEVEL_LABELS.get)
with c2:
    kind = url_select("类别", list(KIND_LABELS), "stype", ALL, KIND_LABELS.get)
filters = {"A级": LEVEL_LABELS[a_level], "类别": KIND_LABELS[kind]}

scenic_list = ZoneList(sc, (sc.scenic_list, a_level, kind), param="slist", default="gaps")
list_ahead(scenic_list, f)  # the list made while the figures are
figs = kept(scenic_figures, f.ctx, a_level, kind)
trend = figs.trend_rows
kpis = {k.indicator.key: k for k in zones.kpis(trend, f.period, sc.INDICATORS + sc.THEME_INDICATORS)}

cols = st.columns(4) + st.columns(4)
for col, key in zip(
    cols, ("scenic_org", "scenic_own", "scenic_joint", "scenic_work", "scenic_area_org", "scenic_spot_org")
):
    with col:
        zone_kpi(kpis[key], UNIT, trend, f, on_list=set_state(slist=sc.KPI_LIST[key]))
with cols[6]:
    help = "未被任何党组织覆盖的景区和景点"
    on_list = set_state(slist="gaps")
    trend_count_card(
        trend, "gaps", f, "未覆盖景区景点", UNIT, help, "scenic_gaps", lower_is_better=True, on_list=on_list
    )
with cols[7]:
    k = kpis["scenic_theme_districts"]
    kpi_card(k, " 个区县", zones.history(trend, k.indicator, f.period), key="scenic_theme_districts")

st.subheader("覆盖率走势")
chart(figs.trend, "scenic_trend")

# ---------------------------------------------------------------- by A-level and 联建 modes
left, right = st.columns([3, 2])
with left:
    st.subheader("按 A 级的覆盖情况")

    def _pick_level(cd) -> None:
        level, what = cd[0].split("|")
        set_state(alevel=level, stype=what, slist=cd[1])()

    chart(figs.levels, "scenic_levels", on_pick=_pick_level)
    st.caption("点击柱形：筛选到该 A 级和类别，并在下方列出对应景区景点。")
with right:
    st.subheader("联建方式")
    chart(figs.forms, "scenic_forms", on_pick=lambda cd: set_state(slist=cd[1])())
    st.caption("景区联建：景点挂靠所在景区党组织；景企联建：与周边企业联建；景居联建：与所在村（社区）联建。")

# ---------------------------------------------------------------- trade organisations
st.subheader("行业联合党组织：导游 · 宾馆酒店 · 商业休闲")
county_caption(f.ctx, "行业联合党组织")
# a row of cards as wide as the KPIs above: three in a third of the page cut "12 个" to "12…" at 1366 px
for col, (trade, orgs, members) in zip(st.columns(4), figs.trade_cards):
    col.metric(trade, f"{orgs} 个", border=True)
    col.caption(f"党员 {fmt.count(members)} 名")
t1, t2 = st.columns([2, 3])
with t1:
    chart(figs.trade_trend, "scenic_trade_trend")
with t2:
    trade_rows = figs.trade_rows
    data_table(arrow_table(trade_rows), key="scenic_trade_table", height=min(400, 38 + 35 * max(1, len(trade_rows))))
    download_list(trade_rows, "旅游景区行业联合党组织", f, "scenic_trade_export", {"行业": "导游、宾馆酒店、商业休闲"})

# ---------------------------------------------------------------- the theme activity
st.subheader(f"「{sc.THEME}」主题活动（井冈山市牵头）")
county_caption(f.ctx, "活动载体")
a1, a2, a3, a4 = st.columns(4)
for col, (column, name, unit, help) in zip((a1, a2), sc.THEME_COUNTS):
    with col:
        trend_count_card(trend, column, f, name, unit, help, f"scenic_{column}")
with a3:
    k = kpis["scenic_theme_lead"]
    if sc.THEME_LEAD in f.scope.counties:
        kpi_card(k, " 次", zones.history(trend, k.indicator, f.period), key="scenic_theme_lead")
    else:
        st.metric("井冈山市开展次数占比", "—", border=True, help="井冈山市不在当前范围内")
with a4:
    now = figs.theme_now
    held = now[now["count"] > 0]
    per = held["participants"].sum() / held["count"].sum() if len(held) else None
    st.metric("每次活动平均参与", "—" if per is None else f"{per:.1f} 人次", border=True)
    st.caption(f"开展区县：{'、'.join(held['district_name']) or '无'}")
h1, h2 = st.columns([3, 2])
with h1:
    chart(figs.theme_trend, "scenic_theme_trend")
with h2:
    chart(figs.theme_bars, "scenic_theme_bars", on_pick=lambda cd: request_district(cd[0]))
    st.caption("点击柱形筛选到该区县。")
theme_rows = figs.theme_rows
with st.expander(f"活动台账（{len(theme_rows):,} 行：区县 × 季度）"):
    data_table(arrow_table(theme_rows), key="scenic_theme_table")
    download_list(theme_rows, f"{sc.THEME}活动台账", f, "scenic_theme_export", {"活动载体": sc.THEME, "季度": "全部"})

list_section(
    scenic_list,
    f,
    filters,
    title="景区景点清单",
    unit="个",
    name="旅游景区",
    key="scenic",
)

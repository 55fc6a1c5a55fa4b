"""工业园区: coverage by park and district, joint forms, the three-level organisation tree,
instructors and the gap list (空白点清单); park, scale and list in the URL."""

import streamlit as st

from sanqu import fmt
from sanqu.areas import parks, zones
from sanqu.areas.zones import ALL
from sanqu.figures import park_page
from sanqu.figures.park_page import UNIT
from ui import tree_ui
from ui.data import ahead, arrow_table, cached, kept
from ui.filters import request_district, url_select
from ui.layout import data_table, page
from ui.site_ui import org_caption
from ui.zone_widgets import (
    ZoneList,
    chart,
    download_list,
    list_ahead,
    list_section,
    set_state,
    trend_count_card,
    zone_kpi,
)

SCALE_LABELS = {ALL: "全部企业", "规上": "规模以上企业", "规下": "规模以下企业"}
GAP_NOTE = (
    "空白点清单：规上企业在前，再按从业人数排序。最近的联合党组织 = 本季度末仍在运行的联合党支部"
    "（企企合建、村企共建、企会联建）中，其覆盖企业离该企业最近的一个（按经纬度计算直线距离；"
    "未测绘坐标的企业按所在乡镇位置估计）。应建未建 = 有 3 名以上正式党员但未单独建立党组织。"
)


def choose_filters() -> tuple[str, str, str]:
    """Park, industry and enterprise scale (kept in the URL)."""
    industries = cached(parks.industries, f.ctx)
    c1, c2, c3, _ = st.columns([2, 1, 1, 1])
    with c1:
        park = url_select("园区", [ALL, *names], "park", ALL, lambda p: "全部园区" if p == ALL else names[p])
    with c2:
        industry = url_select("产业", [ALL, *industries], "industry", ALL, lambda i: "全部产业" if i == ALL else i)
    with c3:
        scale = url_select("企业规模", list(SCALE_LABELS), "scale", ALL, SCALE_LABELS.get)
    return park, industry, scale


def headline() -> None:
    st.caption(
        f"应覆盖企业 {fmt.count(figs.enterprises)} 家 · 从业人员 {fmt.count(figs.headcount)} 人"
        f" · 正式党员 {fmt.count(figs.members)} 名"
    )
    kpis = zones.kpis(trend, f.period, parks.INDICATORS)
    cols = st.columns(4) + st.columns(4)
    for col, k in zip(cols, kpis):
        with col:
            zone_kpi(k, UNIT, trend, f, on_list=set_state(plist=parks.KPI_LIST[k.indicator.key]))
    with cols[7]:
        help = "未被任何党组织（单独或联合）覆盖的非公企业"
        on_list = set_state(plist="gaps")
        trend_count_card(trend, "gaps", f, "空白点企业", UNIT, help, "park_gaps", lower_is_better=True, on_list=on_list)
    st.subheader("覆盖率走势")
    chart(figs.trend, "park_trend")


def by_park() -> None:
    st.subheader("各园区覆盖情况")
    chart(figs.parks, "park_bars", on_pick=lambda cd: set_state(park=cd[0], plist=cd[1])())
    st.caption("点击条形：筛选到该园区，并在下方列出对应企业。")


def _pick_district(cd) -> None:
    request_district(cd[0])
    set_state(park=ALL, plist=cd[1])()


def by_district_or_industry() -> None:
    if len(f.scope.counties) > 1:
        st.subheader("各区县覆盖情况")
        chart(figs.areas, "park_district_bars", on_pick=_pick_district)
        st.caption("点击柱形：筛选到该区县，并列出对应企业。")
    else:
        st.subheader("各产业覆盖情况")
        chart(figs.areas, "park_industry_bars", on_pick=lambda cd: set_state(industry=cd[0], plist=cd[1])())
        st.caption("产业党总支按产业链设置；点击柱形：筛选到该产业，并列出对应企业。")


def coverage_by_area() -> None:
    left, right = st.columns([3, 2])
    with left:
        by_park()
    with right:
        by_district_or_industry()
    with st.expander("各园区明细表"):
        rows = figs.park_rows
        data_table(arrow_table(rows), key="park_table")
        shown = {k: filters[k] for k in ("产业", "企业规模")}
        download_list(rows, "工业园区各园区覆盖情况", f, "park_table_export", shown)


def forms_scale_ownership() -> None:
    c1, c2, c3 = st.columns(3)
    with c1:
        st.subheader("联合组建方式")
        chart(figs.forms, "park_forms", on_pick=lambda cd: set_state(plist=cd[1])())
        st.caption("企企合建、村（驻地村）企共建、企会联建覆盖的企业数及占应覆盖企业的比例。")
    with c2:
        st.subheader("规上与规下")
        chart(figs.scales, "park_scale", on_pick=lambda cd: set_state(scale=cd[0], plist=cd[1])())
        st.caption("按报告要求，规模以上非公企业应全部建立或纳入党组织。")
    with c3:
        st.subheader("非公有制与国有、集体")
        data_table(arrow_table(figs.ownership), key="park_ownership")
        st.caption("国有、集体企业的党组织由其上级党组织领导，只作对照，不计入上方各项比率。")


def tree_args() -> tuple:
    """The tree's choice (the scope, quarter and park a drill-down belongs to), then `park_page.tree`'s arguments."""
    choice = (f.scope.key, f.period, park)
    return choice, (park, f.scope.label if park == ALL else names[park], tree_ui.node(choice))


def org_tree() -> None:
    st.subheader("三级组织体系：园区党工委 → 产业党总支 → 企业党支部")
    org_caption(f.ctx)
    tree = kept(park_page.tree, f.ctx, *tree_call)
    t1, t2 = st.columns([3, 1])
    with t1:
        tree_ui.tree_chart(tree, tree_choice)
        st.caption(
            "方块大小 = 覆盖的正常经营企业数（含国有、集体企业）；点击方块，从该组织（没有下级时从其上级）起画三级；"
            "点击最外层方块或上方路径中的名称，返回上级。"
        )
    with t2:
        for row in tree.levels.itertuples():
            st.metric(f"{row.level}", f"{fmt.count(row.orgs)} 个", border=True)
        st.caption(f"覆盖企业 {fmt.count(tree.enterprises)} 家 · 党员 {fmt.count(tree.members)} 名")


def instructors() -> None:
    st.subheader("党建指导员")
    i1, i2 = st.columns([3, 2])
    with i1:
        chart(figs.instructors, "park_instructors", on_pick=lambda cd: set_state(plist=f"{cd[0]}_{cd[1]}")())
        st.caption("未覆盖但已派指导员的企业计入工作覆盖；两项都没有的是党的工作空白。")
    with i2:
        data_table(arrow_table(figs.sources), key="park_sources")


f = page("工业园区党建")
st.caption(
    "园区党工委 → 产业党总支 → 企业党支部。口径：园区内正常经营的非公有制企业（国有、集体企业单列，不计入分母）。"
)
options = cached(parks.parks, f.ctx)
names = dict(zip(options["park_id"], options["name"]))
park, industry, scale = choose_filters()
filters = {
    "园区": "全部园区" if park == ALL else names[park],
    "产业": "全部产业" if industry == ALL else industry,
    "企业规模": SCALE_LABELS[scale],
}
enterprise_list = ZoneList(parks, (parks.enterprise_list, park, scale, industry), param="plist", default="gaps")
tree_choice, tree_call = tree_args()
list_ahead(enterprise_list, f)  # the list and the tree made while the figures are
ahead(park_page.tree, f.ctx, *tree_call)
figs = kept(park_page.figures, f.ctx, park, scale, industry)
trend = figs.trend_rows
headline()
coverage_by_area()
forms_scale_ownership()
org_tree()
instructors()
list_section(
    enterprise_list, f, filters, title="企业清单", unit="家", name="工业园区", key="park",
    notes=dict.fromkeys(("gaps", "above_gaps", "gaps_no_instructor", "gaps_instructor"), GAP_NOTE),
)  # fmt: skip

"""城乡社区: organisation level against size and the communities to upgrade, grid coverage
(小区 · 楼栋 · 两新组织, urban and rural, 村落), star ratings and their change; filters in the URL."""

import streamlit as st

from sanqu import fmt, periods
from sanqu.areas import communities as cm
from sanqu.areas import zones
from sanqu.areas.zones import ALL
from sanqu.figures import community_page
from ui.data import cached, kept
from ui.filters import request_district, url_select
from ui.layout import page
from ui.zone_widgets import ZoneList, chart, list_ahead, list_section, set_state, trend_count_card, zone_kpi

KIND_LABELS = {ALL: "城市和农村社区", "城市社区": "城市社区", "农村社区": "农村社区（村）"}
COMPARE = {"q": "上季度（环比）", "y": "上年同期（同比）"}
SINCE = {"q": "较上季度", "y": "较上年同期"}
UNITS = {
    "community_org": " 个小区/两新组织",
    "community_quarters": " 个小区（村落）",
    "community_buildings": " 栋（组）",
    "community_two_new": " 个两新组织",
    "community_village": " 个村落",
    "community_level_ok": " 个村（社区）",
    "community_stars": " 个村（社区）",
}


def choose_filters() -> tuple[str, str, str]:
    """City or rural, township and the quarter the stars are compared with (kept in the URL)."""
    c1, c2, c3, _ = st.columns([1, 1, 1, 1])
    with c1:
        kind = url_select("城乡类型", list(KIND_LABELS), "ctype", ALL, KIND_LABELS.get)
    with c2:
        town = url_select("乡镇街道", [ALL, *town_names], "town", ALL, town_label)
    with c3:
        cmp_key = url_select("星级比较", list(COMPARE), "cmp", "q", COMPARE.get)
    return kind, town, cmp_key


def town_label(t: str) -> str:
    return "全部乡镇街道" if t == ALL else town_names[t]


def headline() -> None:
    size = trend.set_index("period").loc[f.period]
    st.caption(
        f"村（社区）{fmt.count(int(size['communities']))} 个 · 户数 {fmt.count(int(size['households']))} 户"
        f" · 党员 {fmt.count(int(size['members']))} 名"
    )
    cols = st.columns(4) + st.columns(4)
    for col, (key, unit) in zip(cols, UNITS.items()):
        with col:
            zone_kpi(kpis[key], unit, trend, f, on_list=set_state(clist=cm.KPI_LIST[key]))
    with cols[7]:
        on_list = set_state(clist="upgrade")
        help = cm.UPGRADE_RULE
        trend_count_card(
            trend,
            "candidates",
            f,
            "升格候选",
            " 个",
            help,
            "community_candidates",
            lower_is_better=True,
            on_list=on_list,
        )
    st.subheader("覆盖率走势")
    chart(figs.trend, "community_trend")


def level_and_size() -> None:
    st.subheader("组织层级与规模")
    st.info(f"升格规则：{cm.UPGRADE_RULE}", icon=":material/rule:")
    left, right = st.columns([3, 2])
    with left:
        chart(figs.scatter, "community_scatter")
        st.caption(figs.scatter_note)
    with right:
        chart(figs.levels, "community_levels", on_pick=lambda cd: set_state(clist=cd[1])())
    localized = {c: st.column_config.NumberColumn(format="localized") for c in ("村（社区）", "党员合计", "户数中位数")}
    st.dataframe(
        figs.level_rows, hide_index=True, key="community_level_table", column_config=localized, placeholder="—"
    )


def _pick_area(cd) -> None:
    if len(f.scope.counties) == 1:
        set_state(town=cd[0], clist=cd[1])()
    else:
        request_district(cd[0])
        set_state(town=ALL, clist=cd[1])()


def grid_by_area() -> None:
    one = len(f.scope.counties) == 1
    chart(figs.areas, "community_districts", on_pick=_pick_area)
    if one:
        st.caption("各乡镇街道小区（村落）与两新组织的覆盖；点击条形筛选到该乡镇街道并列出有空白的村（社区）。")
    else:
        st.caption("各区县小区（村落）与两新组织的覆盖；点击柱形筛选到该区县并列出有空白的村（社区）。")


def grid() -> None:
    st.subheader("网格覆盖：小区 · 楼栋 · 两新组织")
    g1, g2 = st.columns(2)
    with g1:
        chart(figs.grid, "community_grid")
        now = kpis["community_village"]
        st.caption(
            f"农村以村落为单元建支部：村落党组织覆盖 {fmt.ratio(now.numerator, now.denominator, ' 个村落')}"
            f"（{fmt.pct(now.rate)}）。城市楼栋建党小组，农村村民小组建党小组。"
        )
    with g2:
        grid_by_area()


def star_figures() -> None:
    summary = figs.stars_summary
    m1, m2, m3, m4 = st.columns(4)
    with m1:
        st.metric(f"星级上升（{SINCE[cmp_key]}）", f"{summary['up']:,} 个", border=True)
        st.button("列出上升的", key="community_up_list", on_click=set_state(clist="star_up"), type="tertiary")
    with m2:
        st.metric(f"星级下降（{SINCE[cmp_key]}）", f"{summary['down']:,} 个", border=True)
        st.button("列出下降的", key="community_down_list", on_click=set_state(clist="star_down"), type="tertiary")
    m3.metric("星级不变", f"{summary['same']:,} 个", border=True)
    m4.metric("无比较期数据", f"{summary['new']:,} 个", border=True)


def stars() -> None:
    st.subheader("星级社区")
    star_figures()
    s1, s2 = st.columns([3, 2])
    with s1:
        chart(figs.stars, "community_stars", on_pick=lambda cd: set_state(clist=cd[1])())
        st.caption("点击柱形列出该星级的村（社区）。")
    with s2:
        chart(figs.star_matrix, "community_star_matrix")
        st.caption(f"行：{periods.label(compare)}星级；列：{periods.label(f.period)}星级；对角线以外为星级变化。")


f = page("城乡社区党建")
st.caption(
    "组织层级看党员规模与辖区面积；网格覆盖看小区（农村为村落）、楼栋（农村为村民小组）和两新组织；"
    "星级社区看评定结果的分布与变化。"
)
towns = cached(cm.townships, f.ctx)
town_names = dict(zip(towns["code"], towns["name"]))
kind, town, cmp_key = choose_filters()
compare = periods.shift(f.period, -1 if cmp_key == "q" else -4)
filters = {
    "城乡类型": KIND_LABELS[kind],
    "乡镇街道": town_label(town),
    "星级比较": f"{COMPARE[cmp_key]} {periods.label(compare)}",
}
community_list = ZoneList(cm, (cm.star_changes, compare, kind, town), param="clist", default="upgrade")
list_ahead(community_list, f)  # the list made while the figures are
figs = kept(community_page.figures, f.ctx, kind, town, compare)
trend = figs.trend_rows
kpis = {k.indicator.key: k for k in zones.kpis(trend, f.period, cm.INDICATORS)}
headline()
level_and_size()
grid()
stars()
list_section(
    community_list, f, filters, title="村（社区）清单", unit="个", name="城乡社区",
    key="community", shown=("城乡类型", "乡镇街道"), notes={"upgrade": f"{cm.UPGRADE_RULE} 按党员数从多到少排列。"},
)  # fmt: skip

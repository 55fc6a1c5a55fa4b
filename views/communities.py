"""城乡社区: organisation level against size and the communities to upgrade, grid coverage
(小区 · 楼栋 · 两新组织, urban and rural, 村落), star ratings and their change; filters in the URL."""

import streamlit as st

from sanqu import fmt, periods
from sanqu.areas import communities as cm
from sanqu.areas import zones
from sanqu.areas.zones import ALL
from sanqu.figures import zone_charts as zc
from ui.data import cached
from ui.filters import request_district, url_select
from ui.layout import kpi_card, page
from ui.zone_widgets import (
    chart,
    count_card,
    download_list,
    set_state,
)

f = page("城乡社区党建")
st.caption(
    "组织层级看党员规模与辖区面积；网格覆盖看小区（农村为村落）、楼栋（农村为村民小组）和两新组织；"
    "星级社区看评定结果的分布与变化。"
)

KIND_LABELS = {ALL: "城市和农村社区", "城市社区": "城市社区", "农村社区": "农村社区（村）"}
COMPARE = {"q": "上季度（环比）", "y": "上年同期（同比）"}
SINCE = {"q": "较上季度", "y": "较上年同期"}
towns = cached(cm.townships, f.ctx)
town_names = dict(zip(towns["code"], towns["name"]))
c1, c2, c3, _ = st.columns([1, 1, 1, 1])
with c1:
    kind = url_select("城乡类型", list(KIND_LABELS), "ctype", ALL, KIND_LABELS.get)
with c2:
    town = url_select(
        "乡镇街道", [ALL, *town_names], "town", ALL, lambda t: "全部乡镇街道" if t == ALL else town_names[t]
    )
with c3:
    cmp_key = url_select("星级比较", list(COMPARE), "cmp", "q", COMPARE.get)
compare = periods.shift(f.period, -1 if cmp_key == "q" else -4)
filters = {
    "城乡类型": KIND_LABELS[kind],
    "乡镇街道": "全部乡镇街道" if town == ALL else town_names[town],
    "星级比较": f"{COMPARE[cmp_key]} {compare}",
}

trend = cached(cm.trend, f.ctx, kind, town)
kpis = {k.indicator.key: k for k in zones.kpis(trend, f.period, cm.INDICATORS)}
size = trend.set_index("period").loc[f.period]
st.caption(
    f"村（社区）{fmt.count(int(size['communities']))} 个 · 户数 {fmt.count(int(size['households']))} 户"
    f" · 党员 {fmt.count(int(size['members']))} 名"
)
UNITS = {
    "community_org": " 个小区/两新组织",
    "community_quarters": " 个小区（村落）",
    "community_buildings": " 栋（组）",
    "community_two_new": " 个两新组织",
    "community_village": " 个村落",
    "community_level_ok": " 个村（社区）",
    "community_stars": " 个村（社区）",
}


def _kpi(key: str, col) -> None:
    k = kpis[key]
    with col:
        kpi_card(
            k,
            UNITS[key],
            zones.history(trend, k.indicator, f.period),
            key=key,
            on_list=set_state(clist=cm.KPI_LIST[key]),
        )


for col, key in zip(st.columns(4), ("community_org", "community_quarters", "community_buildings", "community_two_new")):
    _kpi(key, col)
row2 = st.columns(4)
for col, key in zip(row2, ("community_village", "community_level_ok", "community_stars")):
    _kpi(key, col)
with row2[3]:
    cand = zones.count_kpi(trend, "candidates", f.period, "升格候选", " 个", cm.UPGRADE_RULE, f.periods)
    count_card(
        cand,
        "community_candidates",
        trend[trend["period"] <= f.period]["candidates"].tolist(),
        lower_is_better=True,
        on_list=set_state(clist="upgrade"),
    )

st.subheader("覆盖率走势")
chart(zc.rate_lines(zones.rate_trend(trend, cm.INDICATORS), f.period), "community_trend")

# ---------------------------------------------------------------- level against size
changes = cached(cm.star_changes, f.ctx, compare, kind, town)
st.subheader("组织层级与规模")
st.info(f"升格规则：{cm.UPGRADE_RULE}", icon=":material/rule:")
left, right = st.columns([3, 2])
with left:
    chart(zc.level_size_scatter(changes, cm.UPGRADE_MEMBERS), "community_scatter")
    st.caption("每个点是一个村（社区）：横轴户数（对数刻度），纵轴党员数；◆ 带黑边的是升格候选。")
with right:
    lv = cm.levels(changes)
    chart(
        zc.count_bars(
            lv["level"],
            lv["communities"],
            lv["level"],
            [f"level_{x}" for x in lv["level"]],
            "community",
            "村（社区）数",
        ),
        "community_levels",
        on_pick=lambda cd: set_state(clist=cd[1])(),
    )
st.dataframe(
    {
        "组织层级": lv["level"],
        "村（社区）": lv["communities"],
        "党员合计": lv["members"],
        "党员中位数": lv["members_median"],
        "户数中位数": lv["households_median"],
        "面积中位数(km²)": lv["area_median"].round(1),
        "符合升格规则的": lv["big"],
        "升格候选": lv["candidates"],
    },
    hide_index=True,
    key="community_level_table",
    column_config={
        c: st.column_config.NumberColumn(format="localized") for c in ("村（社区）", "党员合计", "户数中位数")
    },
)

# ---------------------------------------------------------------- grid coverage
st.subheader("网格覆盖：小区 · 楼栋 · 两新组织")
g1, g2 = st.columns(2)
with g1:
    grid = cm.grid(changes)
    chart(zc.grid_bars(grid), "community_grid")
    now = kpis["community_village"]
    st.caption(
        f"农村以村落为单元建支部：村落党组织覆盖 {fmt.ratio(now.numerator, now.denominator, ' 个村落')}"
        f"（{fmt.pct(now.rate)}）。城市楼栋建党小组，农村村民小组建党小组。"
    )
with g2:
    one = len(f.scope.codes) == 1
    bd = cm.by_township(changes) if one else cm.by_district(changes)
    bd["gaps"] = bd["denominator"] - bd["covered"]

    def _pick_area(cd) -> None:
        if one:
            set_state(town=cd[0], clist=cd[1])()
        else:
            request_district(cd[0])
            set_state(town=ALL, clist=cd[1])()

    chart(
        zc.status_bars(
            bd,
            "township_name" if one else "district_name",
            "township" if one else "district",
            "community",
            (("own", "单独建", "grid_gap"), ("joint", "联合建", "grid_gap"), ("gaps", "未覆盖", "grid_gap")),
            horizontal=one,
            height=max(300, 30 * len(bd) + 90) if one else 360,
            unit=" 个",
        ),
        "community_districts",
        on_pick=_pick_area,
    )
    if one:
        st.caption("各乡镇街道小区（村落）与两新组织的覆盖；点击条形筛选到该乡镇街道并列出有空白的村（社区）。")
    else:
        st.caption("各区县小区（村落）与两新组织的覆盖；点击柱形筛选到该区县并列出有空白的村（社区）。")

# ---------------------------------------------------------------- stars
st.subheader("星级社区")
summary = cm.star_summary(changes)
m1, m2, m3, m4 = st.columns(4)
with m1:
    st.metric(f"星级上升（{SINCE[cmp_key]}）", f"{summary['up']:,} 个", border=True)
    st.button("列出上升的", key="community_up_list", on_click=set_state(clist="star_up"), type="tertiary")
with m2:
    st.metric(f"星级下降（{SINCE[cmp_key]}）", f"{summary['down']:,} 个", border=True)
    st.button("列出下降的", key="community_down_list", on_click=set_state(clist="star_down"), type="tertiary")
m3.metric("星级不变", f"{summary['same']:,} 个", border=True)
m4.metric("无比较期数据", f"{summary['new']:,} 个", border=True)
s1, s2 = st.columns([3, 2])
with s1:
    dist = cached(cm.star_distribution, f.ctx, kind, town)
    chart(zc.star_bars(dist), "community_stars", on_pick=lambda cd: set_state(clist=cd[1])())
    st.caption("点击柱形列出该星级的村（社区）。")
with s2:
    chart(zc.star_matrix(cm.star_matrix(changes), compare, f.period, height=340), "community_star_matrix")
    st.caption(f"行：{compare} 星级；列：{f.period} 星级；对角线以外为星级变化。")

# ---------------------------------------------------------------- the list
st.subheader("村（社区）清单")
list_key = url_select("清单", list(cm.LISTS), "clist", "upgrade", lambda k: cm.LISTS[k][0])
rows = zones.drop_empty(cm.list_view(cm.select(changes, list_key)))
label = cm.LISTS[list_key][0]
st.markdown(f"**{label}** · 共 {len(rows):,} 个")
st.text(f"（{f.scope.label} · {filters['城乡类型']} · {filters['乡镇街道']}）")  # township names are register text
if list_key == "upgrade":
    st.caption(f"{cm.UPGRADE_RULE} 按党员数从多到少排列。")
st.dataframe(rows, hide_index=True, key="community_list_table", height=min(600, 38 + 35 * max(1, len(rows))))
download_list(rows, f"城乡社区{label}", f, "community_export", dict(filters, 清单=label))

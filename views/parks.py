"""工业园区: coverage by park and district, joint forms, the three-level organisation tree,
instructors and the gap list (空白点清单); park, scale and list in the URL."""

import streamlit as st

from sanqu import fmt
from sanqu.areas import parks, zones
from sanqu.areas.zones import ALL
from sanqu.figures import zone_charts as zc
from sanqu.metrics.coverage import rate
from ui.data import cached
from ui.filters import request_district, url_select
from ui.layout import kpi_card, page
from ui.zone_widgets import (
    chart,
    count_card,
    download_list,
    set_state,
)

f = page("工业园区党建")
st.caption(
    "园区党工委 → 产业党总支 → 企业党支部。口径：园区内正常经营的非公有制企业（国有、集体企业单列，不计入分母）。"
)

options = cached(parks.parks, f.ctx)
names = dict(zip(options["park_id"], options["name"]))
SCALE_LABELS = {ALL: "全部企业", "规上": "规模以上企业", "规下": "规模以下企业"}
industries = cached(parks.industries, f.ctx)
c1, c2, c3, _ = st.columns([2, 1, 1, 1])
with c1:
    park = url_select("园区", [ALL, *names], "park", ALL, lambda p: "全部园区" if p == ALL else names[p])
with c2:
    industry = url_select("产业", [ALL, *industries], "industry", ALL, lambda i: "全部产业" if i == ALL else i)
with c3:
    scale = url_select("企业规模", list(SCALE_LABELS), "scale", ALL, SCALE_LABELS.get)
filters = {
    "园区": "全部园区" if park == ALL else names[park],
    "产业": "全部产业" if industry == ALL else industry,
    "企业规模": SCALE_LABELS[scale],
}

trend = cached(parks.trend, f.ctx, park, scale, industry)
kpis = zones.kpis(trend, f.period, parks.INDICATORS)
UNIT = " 家"
status = cached(parks.enterprise_list, f.ctx, park, scale, industry)
st.caption(
    f"应覆盖企业 {fmt.count(len(status))} 家 · 从业人员 {fmt.count(int(status['headcount'].sum()))} 人"
    f" · 正式党员 {fmt.count(int(status['members'].sum()))} 名"
)


def _kpi(k, col) -> None:
    with col:
        kpi_card(
            k,
            UNIT,
            zones.history(trend, k.indicator, f.period),
            key=k.indicator.key,
            on_list=set_state(plist=parks.KPI_LIST[k.indicator.key]),
        )


for col, k in zip(st.columns(4), kpis[:4]):
    _kpi(k, col)
row2 = st.columns(4)
for col, k in zip(row2, kpis[4:]):
    _kpi(k, col)
with row2[3]:
    gaps = zones.count_kpi(
        trend, "gaps", f.period, "空白点企业", UNIT, "未被任何党组织（单独或联合）覆盖的非公企业", f.periods
    )
    count_card(
        gaps,
        "park_gaps",
        trend[trend["period"] <= f.period]["gaps"].tolist(),
        lower_is_better=True,
        on_list=set_state(plist="gaps"),
    )

st.subheader("覆盖率走势")
chart(zc.rate_lines(zones.rate_trend(trend, parks.INDICATORS[:6]), f.period), "park_trend")

# ---------------------------------------------------------------- by park and district
SEGMENTS = (("own", "单独组建", "own"), ("joint", "联合组建", "joint"), ("gaps", "未覆盖", "gaps"))
left, right = st.columns([3, 2])
with left:
    st.subheader("各园区覆盖情况")
    bp = cached(parks.by_park, f.ctx, scale, industry)
    bp = bp[bp["denominator"] > 0]
    chart(
        zc.status_bars(
            bp,
            "park_name",
            "park_id",
            "park",
            SEGMENTS,
            horizontal=True,
            highlight=None if park == ALL else park,
            height=max(260, 44 * len(bp) + 80),
            unit=UNIT,
        ),
        "park_bars",
        on_pick=lambda cd: set_state(park=cd[0], plist=cd[1])(),
    )
    st.caption("点击条形：筛选到该园区，并在下方列出对应企业。")
with right:
    if len(f.scope.codes) > 1:
        st.subheader("各区县覆盖情况")
        bd = cached(parks.by_district, f.ctx, park, scale, industry)

        def _pick_district(cd) -> None:
            request_district(cd[0])
            set_state(park=ALL, plist=cd[1])()

        chart(
            zc.status_bars(bd, "district_name", "district", "park", SEGMENTS, height=380, unit=UNIT),
            "park_district_bars",
            on_pick=_pick_district,
        )
        st.caption("点击柱形：筛选到该区县，并列出对应企业。")
    else:
        st.subheader("各产业覆盖情况")
        bi = parks.grouped(status, "category")
        chart(
            zc.status_bars(bi, "category", "category", "park", SEGMENTS, height=380, unit=UNIT),
            "park_industry_bars",
            on_pick=lambda cd: set_state(industry=cd[0], plist=cd[1])(),
        )
        st.caption("产业党总支按产业链设置；点击柱形：筛选到该产业，并列出对应企业。")

with st.expander("各园区明细表"):
    park_rows = parks.park_table_view(bp)
    st.dataframe(park_rows, hide_index=True, key="park_table")
    download_list(
        park_rows, "工业园区各园区覆盖情况", f, "park_table_export", {k: filters[k] for k in ("产业", "企业规模")}
    )

# ---------------------------------------------------------------- joint forms, scale, ownership
c1, c2, c3 = st.columns(3)
with c1:
    st.subheader("联合组建方式")
    jf = parks.joint_forms(status)
    chart(
        zc.count_bars(
            jf["form"],
            jf["count"],
            jf["form"],
            [f"joint_{x}" for x in jf["form"]],
            "park",
            "企业数",
            UNIT,
            shares=jf["share"],
        ),
        "park_forms",
        on_pick=lambda cd: set_state(plist=cd[1])(),
    )
    st.caption("企企合建、村（驻地村）企共建、企会联建覆盖的企业数及占应覆盖企业的比例。")
with c2:
    st.subheader("规上与规下")
    bs = parks.by_scale(status)
    chart(
        zc.status_bars(bs, "scale", "scale", "park", SEGMENTS, height=300, unit=UNIT),
        "park_scale",
        on_pick=lambda cd: set_state(scale=cd[0], plist=cd[1])(),
    )
    st.caption("按报告要求，规模以上非公企业应全部建立或纳入党组织。")
with c3:
    st.subheader("非公有制与国有、集体")
    own = cached(parks.by_ownership, f.ctx, park, scale, industry)
    st.dataframe(
        {
            "经济类型": own["kind"],
            "企业数": own["denominator"],
            "单独组建": own["own"],
            "联合组建": own["joint"],
            "未覆盖": own["gaps"],
            "覆盖率": [fmt.pct(rate(n, d)) for n, d in zip(own["covered"], own["denominator"])],
        },
        hide_index=True,
        key="park_ownership",
    )
    st.caption("国有、集体企业的党组织由其上级党组织领导，只作对照，不计入上方各项比率。")

# ---------------------------------------------------------------- organisation tree
st.subheader("三级组织体系：园区党工委 → 产业党总支 → 企业党支部")
tree = cached(parks.tree, f.ctx, park)
t1, t2 = st.columns([3, 1])
with t1:
    root = f.scope.label if park == ALL else names[park]
    chart(zc.org_tree(tree, root), "park_tree")
    st.caption("方块大小 = 覆盖的正常经营企业数（含国有、集体企业）；点击方块逐级展开，点击顶部路径返回。")
with t2:
    levels = parks.tree_levels(tree)
    for row in levels.itertuples():
        st.metric(f"{row.level}", f"{fmt.count(row.orgs)} 个", border=True)
    st.caption(
        f"覆盖企业 {fmt.count(int(tree.loc[0, 'enterprises']))} 家 · 党员 {fmt.count(int(tree.loc[0, 'members']))} 名"
    )

# ---------------------------------------------------------------- instructors
st.subheader("党建指导员")
i1, i2 = st.columns([3, 2])
with i1:
    ins = parks.instructors(status)
    chart(
        zc.status_bars(
            ins,
            "coverage",
            "key",
            "park",
            (("with_instructor", "已派指导员", "instructor"), ("without_instructor", "未派指导员", "no_instructor")),
            total="total",
            horizontal=True,
            height=240,
            unit=UNIT,
        ),
        "park_instructors",
        on_pick=lambda cd: set_state(plist=f"{cd[0]}_{cd[1]}")(),
    )
    st.caption("未覆盖但已派指导员的企业计入工作覆盖；两项都没有的是党的工作空白。")
with i2:
    src = cached(parks.instructor_sources, f.ctx, park, scale, industry)
    st.dataframe(
        {"派出单位类别": src["source"], "在岗指导员所在企业数": src["count"]}, hide_index=True, key="park_sources"
    )

# ---------------------------------------------------------------- the list
st.subheader("企业清单")
list_key = url_select("清单", list(parks.LISTS), "plist", "gaps", lambda k: parks.LISTS[k][0])
rows = zones.drop_empty(parks.list_view(parks.select(status, list_key)))
label = parks.LISTS[list_key][0]
st.markdown(f"**{label}** · 共 {len(rows):,} 家")
st.text("（" + " · ".join([f.scope.label, *filters.values()]) + "）")  # park names are register text: not markdown
if list_key in ("gaps", "above_gaps", "gaps_no_instructor", "gaps_instructor"):
    st.caption(
        "空白点清单：规上企业在前，再按从业人数排序。最近的联合党组织 = 本季度末仍在运行的联合党支部"
        "（企企合建、村企共建、企会联建）中，其覆盖企业离该企业最近的一个（按经纬度计算直线距离；"
        "未测绘坐标的企业按所在乡镇位置估计）。应建未建 = 有 3 名以上正式党员但未单独建立党组织。"
    )
st.dataframe(rows, hide_index=True, key="park_list_table", height=min(600, 38 + 35 * max(1, len(rows))))
download_list(rows, f"工业园区{label}", f, "park_export", dict(filters, 清单=label))

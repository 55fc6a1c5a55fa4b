"""长效机制: leaders' contact points and visits, pairing, cadres (aggregates only), venues,
activities and carriers, and the inspection and assessment ranking; zone and section in the URL.
Tables come shaped from sanqu.programmes.mechanism_tables; this page only lays them out."""

import streamlit as st

from sanqu import periods
from sanqu.figures import charts
from sanqu.programmes import mechanism_tables as tables
from sanqu.programmes import mechanisms, sites
from sanqu.programmes.mechanisms import ASSESSMENT_RULE, CADRE_FIELDS, CARRIERS, MIN_GROUP, VENUE_STATUSES, VISIT_KINDS
from sanqu.programmes.site_tables import as_of_text
from ui.data import cached
from ui.filters import url_select
from ui.layout import data_table, page
from ui.site_ui import CHART, county_caption, metric_row, org_caption, titled_chart, zone_filter
from ui.widgets import download_excel

SECTIONS = {
    "contacts": "领导工作联系点",
    "pairings": "结对互助",
    "cadres": "党务干部",
    "venues": "活动阵地",
    "activities": "活动载体",
    "assessment": "督查考核评比",
}


def contacts() -> None:
    points = cached(mechanisms.contact_points, f.ctx, zone)
    s = mechanisms.visit_summary(points)
    metric_row(tables.contact_metrics(s, f.period))
    st.caption(tables.contact_note(s))
    quarters = tables.visit_quarters(list(f.periods), today)
    vq = cached(mechanisms.visits_by_quarter, f.ctx, quarters, zone)
    left, right = st.columns([3, 2])
    with left:
        fig = charts.stacked_bars(vq, "period", "kind", "visits", list(VISIT_KINDS), "走访（次）")
        titled_chart("各季度走访次数（按类型）", fig, "visits_chart")
        if quarters[-1] != f.periods[-1]:
            st.caption(f"{quarters[-1]} 为本季度，统计至今日 {today:%Y-%m-%d}。")
    unvisited = cached(mechanisms.points_without_visit, f.ctx, zone)
    with right:
        st.markdown(f"##### 本季度未走访的联系点（{len(unvisited)} 个）")
        un = tables.unvisited_list(unvisited)
        data_table(un, key="unvisited_table", empty="本季度联系点均已走访", placeholder="从未走访")
        download_excel(un, "未走访联系点", f, "dl_unvisited")
    st.markdown("##### 联系点走访情况")
    allp = tables.point_list(points)
    data_table(allp, key="points_table", hide_index=True, placeholder="—")
    download_excel(allp, "联系点走访", f, "dl_points")


def pairings() -> None:
    org_caption(f.ctx)
    pr = cached(mechanisms.pairings, f.ctx, zone)
    by_form = mechanisms.pairings_by(pr, "form")
    by_kind = mechanisms.pairings_by(pr, "helper_kind")
    metric_row(tables.pairing_metrics(pr))
    day = as_of_text(cached(sites.status_day, f.ctx), f.ctx.today)
    st.caption(
        f"机关党组织、农村党组织、国企党组织与三区党组织结对；计入结对日期在{day}及以前的结对，开展活动次数为台账现值。"
    )
    left, right = st.columns([3, 2])
    with left:
        titled_chart("五种结对形式", charts.pairing_forms(by_form), "forms_chart")
    with right:
        fig = charts.category_bars(by_kind, "helper_kind", "pairings", "", " 对")
        titled_chart("帮扶方类别", fig, "helpers_chart")
    data_table(tables.form_list(by_form), key="forms_table", hide_index=True, placeholder="—")
    lst = tables.pairing_list(pr)
    st.markdown("##### 结对清单")
    data_table(lst, key="pairings_table", hide_index=True, placeholder="—")
    download_excel(lst, "结对互助", f, "dl_pairings", notes={"结对截至": day})


def cadres() -> None:
    org_caption(f.ctx)
    metric_row(tables.cadre_metrics(cached(mechanisms.cadre_summary, f.ctx, zone)))
    st.caption(f"只显示汇总，不显示任何个人；不足 {MIN_GROUP} 人的平均学时不显示（—）。台账现状，不随统计季度变化。")
    for col, field in zip(st.columns(2) + st.columns(2), ("selection", "origin", "pay_band", "rating")):
        b = cached(mechanisms.cadre_breakdown, f.ctx, field, zone)
        with col:
            fig = charts.category_bars(b, field, "count", "", " 人", height=260)
            titled_chart(CADRE_FIELDS[field], fig, f"cadre_{field}")
    out = tables.cadre_list(cached(mechanisms.cadres_by_district, f.ctx, zone))
    st.markdown("##### 各区县汇总")
    data_table(out, key="cadres_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "党务干部汇总", f, "dl_cadres")


def venues() -> None:
    org_caption(f.ctx)
    v = cached(mechanisms.venues, f.ctx, zone)
    by_status = mechanisms.venue_status(v)
    mix = mechanisms.funding_mix(v)
    metric_row(tables.venue_metrics(v, by_status, mix))
    st.caption(tables.venue_note(v, by_status))
    bd = mechanisms.venues_by_district(v, f.scope)
    left, right = st.columns([2, 3])
    with left:
        titled_chart("经费来源构成", charts.funding_donut(mix), "funding_chart")
    with right:
        st.markdown("##### 各区县阵地建设状态")
        long = tables.venue_status_long(bd)
        fig = charts.stacked_bars(long, "district_name", "status", "n", list(VENUE_STATUSES), "阵地（处）")
        st.plotly_chart(fig, key="venues_chart", config=CHART)
    out = tables.venue_list(bd)
    data_table(out, key="venues_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "活动阵地", f, "dl_venues")


def activities() -> None:
    county_caption(f.ctx, "活动载体")
    acts = cached(mechanisms.activities, f.ctx, zone)
    wide = mechanisms.activities_by_district(acts, f.ctx)
    metric_row(tables.activity_metrics(acts, wide, f.period, list(f.periods)))
    titled_chart(
        "各区县各载体开展次数", charts.activity_heatmap(wide, tables.carriers_held(wide)), "activities_heatmap"
    )
    st.markdown("##### 各季度开展次数（按载体）")
    aq = mechanisms.activities_by_quarter(acts, list(f.periods))
    fig = charts.stacked_bars(aq, "period", "carrier", "count", list(CARRIERS), "开展（次）", height=380)
    st.plotly_chart(fig, key="activities_trend", config=CHART)
    out = tables.activity_list(wide)
    data_table(out, key="activities_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "活动载体", f, "dl_activities")


def assessment() -> None:
    st.info("评分规则：" + ASSESSMENT_RULE, icon=":material/gavel:")
    rank = cached(mechanisms.assessment, f.ctx, zone)
    if not f.scope.is_city:
        st.caption("排名只在所选区县范围内计算；切换到全市可查看全部区县的名次。")
    fig = charts.score_bars(tables.assessment_bars(rank), "考核得分")
    titled_chart(f"{periods.label(f.period)}督查考核评比", fig, "assessment_chart")
    out = tables.assessment_list(rank)
    data_table(out, key="assessment_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "督查考核评比", f, "dl_assessment")


DRAW = {
    "contacts": contacts,
    "pairings": pairings,
    "cadres": cadres,
    "venues": venues,
    "activities": activities,
    "assessment": assessment,
}

f = page("长效机制")
today = f.ctx.today
zone, (c2, _) = zone_filter([1, 1, 2])
with c2:
    section = url_select("内容", list(SECTIONS), "section", "contacts", SECTIONS.get)
st.subheader(SECTIONS[section])
DRAW[section]()

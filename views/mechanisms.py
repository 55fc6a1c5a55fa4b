"""长效机制: leaders' contact points and visits, pairing, cadres (aggregates only), venues,
activities and carriers, and the inspection and assessment ranking; zone and section in the URL."""

import pandas as pd
import streamlit as st

from sanqu import charts, fmt, mechanisms, periods
from sanqu.mechanisms import (
    ASSESSMENT_RULE,
    CADRE_FIELDS,
    CARRIERS,
    FUNDS,
    MIN_GROUP,
    VENUE_STATUSES,
    VISIT_KINDS,
)
from sanqu.sites import ZONE_OPTIONS
from ui import data, site_data
from ui.filters import url_select
from ui.layout import page
from ui.site_ui import show_url_problems
from ui.widgets import download_excel

SECTIONS = {
    "contacts": "领导工作联系点",
    "pairings": "结对互助",
    "cadres": "党务干部",
    "venues": "活动阵地",
    "activities": "活动载体",
    "assessment": "督查考核评比",
}
CHART = {"displaylogo": False}

f = page("长效机制")
today = data.today()
c1, c2, _ = st.columns([1, 1, 2])
with c1:
    zone = url_select("领域", list(ZONE_OPTIONS), "zone", "all", ZONE_OPTIONS.get)
with c2:
    section = url_select("内容", list(SECTIONS), "section", "contacts", SECTIONS.get)
show_url_problems()
st.subheader(SECTIONS[section])


def _num(x, digits: int = 1) -> str:
    return "—" if x is None or x != x else f"{x:,.{digits}f}"


if section == "contacts":
    points = site_data.contact_points(f.scope_key, zone, f.period, f.version)
    s = mechanisms.visit_summary(points)
    k = st.columns(4)
    k[0].metric("联系点", f"{s['points']:,} 个", border=True, help="季末前已建立的领导工作联系点")
    k[1].metric(f"{periods.label(f.period)}走访", f"{s['visits']:,} 次", border=True)
    k[2].metric(
        "走访率",
        fmt.pct(s["visited"] / s["points"] if s["points"] else None),
        border=True,
        help="本季度有走访的联系点 ÷ 季末前已建立的联系点",
    )
    k[3].metric("未走访", f"{s['unvisited']:,} 个", border=True, help="本季度没有走访记录的联系点")
    st.caption(f"已走访 {fmt.ratio(s['visited'], s['points'])} 个联系点。联系领导只按职务显示。")
    last = max(f.periods[-1], periods.of_date(today))
    quarters = tuple(periods.span(f.periods[0], last))
    vq = site_data.visits_by_quarter(f.scope_key, zone, quarters, f.version)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("##### 各季度走访次数（按类型）")
        st.plotly_chart(
            charts.stacked_bars(vq, "period", "kind", "visits", list(VISIT_KINDS), "走访（次）"),
            key="visits_chart",
            config=CHART,
        )
        if last != f.periods[-1]:
            st.caption(f"{last} 为本季度，统计至今日 {today:%Y-%m-%d}。")
    unvisited = site_data.points_without_visit(f.scope_key, zone, f.period, f.version)
    with right:
        st.markdown(f"##### 本季度未走访的联系点（{len(unvisited)} 个）")
        un = pd.DataFrame(
            {
                "联系领导职务": unvisited["leader_role"],
                "区县": unvisited["district_name"],
                "联系单位": unvisited["host_name"],
                "领域": unvisited["zone"],
                "建立日期": unvisited["since"].dt.date,
                "最近走访日期": pd.to_datetime(unvisited["last_visit"]).dt.date,
            }
        )
        st.dataframe(un, key="unvisited_table", hide_index=True, placeholder="从未走访")
        download_excel(un, "未走访联系点", f, "dl_unvisited")
    st.markdown("##### 联系点走访情况")
    allp = pd.DataFrame(
        {
            "联系领导职务": points["leader_role"],
            "区县": points["district_name"],
            "联系单位": points["host_name"],
            "领域": points["zone"],
            "建立日期": points["since"].dt.date,
            "本季度走访": points["visits"],
            "调研": points["research"],
            "督查": points["inspect"],
            "指导": points["guide"],
            "最近走访日期": pd.to_datetime(points["last_visit"]).dt.date,
        }
    )
    st.dataframe(allp, key="points_table", hide_index=True, placeholder="—")
    download_excel(allp, "联系点走访", f, "dl_points")

elif section == "pairings":
    pr = site_data.pairings(f.scope_key, zone, f.version)
    by_form = mechanisms.pairings_by(pr, "form")
    by_kind = mechanisms.pairings_by(pr, "helper_kind")
    k = st.columns(4)
    k[0].metric("结对", f"{len(pr):,} 对", border=True)
    k[1].metric("开展活动", f"{int(pr['activities'].sum()):,} 次", border=True)
    k[2].metric("平均每对活动", _num(pr["activities"].mean() if len(pr) else None), border=True)
    k[3].metric("尚未开展活动", f"{int((pr['activities'] == 0).sum()):,} 对", border=True)
    st.caption("机关党组织、农村党组织、国企党组织与三区党组织结对；台账现状，不随统计季度变化。")
    left, right = st.columns([3, 2])
    with left:
        st.markdown("##### 五种结对形式")
        st.plotly_chart(charts.pairing_forms(by_form), key="forms_chart", config=CHART)
    with right:
        st.markdown("##### 帮扶方类别")
        st.plotly_chart(
            charts.category_bars(by_kind, "helper_kind", "pairings", "", " 对"), key="helpers_chart", config=CHART
        )
    forms = pd.DataFrame(
        {
            "结对形式": by_form["form"],
            "结对数": by_form["pairings"],
            "开展活动次数": by_form["activities"],
            "平均每对": by_form["mean_activities"].round(1),
        }
    )
    st.dataframe(forms, key="forms_table", hide_index=True, placeholder="—")
    lst = pd.DataFrame(
        {
            "帮扶方党组织": pr["helper"],
            "帮扶方类别": pr["helper_kind"],
            "受援党组织": pr["org_name"],
            "领域": pr["zone"],
            "区县": pr["district_name"],
            "结对形式": pr["form"],
            "结对日期": pr["since"].dt.date,
            "开展活动次数": pr["activities"],
        }
    )
    st.markdown("##### 结对清单")
    st.dataframe(lst, key="pairings_table", hide_index=True)
    download_excel(lst, "结对互助", f, "dl_pairings")

elif section == "cadres":
    s = site_data.cadre_summary(f.scope_key, zone, f.version)
    k = st.columns(4)
    k[0].metric("党务干部", f"{s['cadres']:,} 人", border=True)
    k[1].metric("平均年度培训", f"{_num(s['mean_hours'])} 学时", border=True)
    k[2].metric("培训学时中位数", f"{_num(s['median_hours'], 0)} 学时", border=True)
    k[3].metric("形象测评好/较好", fmt.pct(s["good_share"]), border=True, help="测评为「好」或「较好」的 ÷ 全部")
    st.caption(f"只显示汇总，不显示任何个人；不足 {MIN_GROUP} 人的平均学时不显示（—）。台账现状，不随统计季度变化。")
    cols = st.columns(2) + st.columns(2)
    for col, field in zip(cols, ("selection", "origin", "pay_band", "rating")):
        b = site_data.cadre_breakdown(f.scope_key, zone, field, f.version)
        with col:
            st.markdown(f"##### {CADRE_FIELDS[field]}")
            st.plotly_chart(
                charts.category_bars(b, field, "count", "", " 人", height=260), key=f"cadre_{field}", config=CHART
            )
    bd = site_data.cadres_by_district(f.scope_key, zone, f.version)
    out = pd.DataFrame(
        {
            "区县": bd["district_name"],
            "党务干部(人)": bd["cadres"],
            "其中书记(人)": bd["secretaries"],
            "平均年度培训学时": pd.to_numeric(bd["mean_hours"]).round(1),
            "测评好/较好(人)": bd["good"],
            "测评好/较好占比(%)": (pd.to_numeric(bd["good_share"]) * 100).round(1),
        }
    )
    st.markdown("##### 各区县汇总")
    st.dataframe(out, key="cadres_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "党务干部汇总", f, "dl_cadres")

elif section == "venues":
    v = site_data.venues(f.scope_key, zone, f.version)
    vs = mechanisms.venue_status(v)
    mix = mechanisms.funding_mix(v)
    n = dict(zip(vs["status"], vs["venues"]))
    k = st.columns(5)
    k[0].metric("活动阵地", f"{len(v):,} 处", border=True)
    for col, status in zip(k[1:4], VENUE_STATUSES):
        col.metric(status, f"{n[status]:,} 处", border=True)
    k[4].metric("总投入", f"{mix['amount'].sum():,.1f} 万元", border=True)
    built_area = float(vs.loc[vs["status"] == "已建成", "area_m2"].sum())
    st.caption(
        f"总面积 {v['area_m2'].sum():,.0f} m²，其中已建成 {built_area:,.0f} m²。"
        "经费来源：财政列支、党费补助、部门帮扶、单位自筹、市场化运作。台账现状，不随统计季度变化。"
    )
    bd = mechanisms.venues_by_district(v, f.scope)
    left, right = st.columns([2, 3])
    with left:
        st.markdown("##### 经费来源构成")
        st.plotly_chart(charts.funding_donut(mix), key="funding_chart", config=CHART)
    with right:
        st.markdown("##### 各区县阵地建设状态")
        long = bd.melt(id_vars=["district_name"], value_vars=list(VENUE_STATUSES), var_name="status", value_name="n")
        st.plotly_chart(
            charts.stacked_bars(long, "district_name", "status", "n", list(VENUE_STATUSES), "阵地（处）"),
            key="venues_chart",
            config=CHART,
        )
    out = pd.DataFrame({"区县": bd["district_name"]})
    for status in VENUE_STATUSES:
        out[f"{status}(处)"] = bd[status]
    out["面积(m²)"] = bd["area_m2"].round(1)
    for col, label in FUNDS.items():
        out[f"{label}(万元)"] = bd[col].round(2)
    out["合计(万元)"] = bd["funds"].round(2)
    st.dataframe(out, key="venues_table", hide_index=True, height=38 + 35 * len(out))
    download_excel(out, "活动阵地", f, "dl_venues")

elif section == "activities":
    acts = site_data.activities(f.scope_key, zone, f.version)
    wide = mechanisms.activities_by_district(acts, f.period, f.scope)
    prev = periods.shift(f.period, -1)
    before = int(acts.loc[acts["period"] == prev, "count"].sum()) if prev in f.periods else None
    total = int(wide["total"].sum())
    k = st.columns(3)
    k[0].metric(
        f"{periods.label(f.period)}开展活动",
        f"{total:,} 次",
        delta=None if before is None else f"{total - before:+,} 次",
        delta_description="环比",
        border=True,
    )
    k[1].metric("参与党员", f"{int(wide['participants'].sum()):,} 人次", border=True)
    k[2].metric("开展的载体", f"{int((wide[list(CARRIERS)].sum() > 0).sum())} / {len(CARRIERS)} 种", border=True)
    shown = [c for c in CARRIERS if wide[c].sum() > 0] or list(CARRIERS)
    st.markdown("##### 各区县各载体开展次数")
    st.plotly_chart(charts.activity_heatmap(wide, shown), key="activities_heatmap", config=CHART)
    st.markdown("##### 各季度开展次数（按载体）")
    aq = mechanisms.activities_by_quarter(acts, list(f.periods))
    st.plotly_chart(
        charts.stacked_bars(aq, "period", "carrier", "count", list(CARRIERS), "开展（次）", height=380),
        key="activities_trend",
        config=CHART,
    )
    out = wide.rename(columns={"district_name": "区县", "total": "合计", "participants": "参与党员人次"}).drop(
        columns="district"
    )
    st.dataframe(out, key="activities_table", hide_index=True, height=38 + 35 * len(out))
    download_excel(out, "活动载体", f, "dl_activities")

else:  # assessment
    st.info("评分规则：" + ASSESSMENT_RULE, icon=":material/gavel:")
    rank = site_data.assessment(f.scope_key, zone, f.period, f.version)
    if not f.scope.is_city:
        st.caption("排名只在所选区县范围内计算；切换到全市可查看全部区县的名次。")
    st.markdown(f"##### {periods.label(f.period)}督查考核评比")
    st.plotly_chart(
        charts.score_bars(rank.rename(columns={"district_name": "name"}), "考核得分"),
        key="assessment_chart",
        config=CHART,
    )
    out = pd.DataFrame(
        {
            "名次": rank["rank"],
            "区县": rank["district_name"],
            "得分": rank["score"],
            "督查均分": rank["inspection_mean"].round(1),
            "督查次数": rank["inspections"],
            "联系点走访率(%)": (rank["visit_rate"] * 100).round(1),
            "已走访/联系点": [f"{a}/{b}" for a, b in zip(rank["visited"], rank["points"])],
            "节点按期率(%)": (rank["on_time"] * 100).round(1),
            "按期/到期节点": [f"{a}/{b}" for a, b in zip(rank["on_time_in_period"], rank["due_in_period"])],
            "说明": rank["note"],
        }
    )
    st.dataframe(out, key="assessment_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "督查考核评比", f, "dl_assessment")

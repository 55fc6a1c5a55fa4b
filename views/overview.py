"""总览: the three zones' headline KPIs, their trend and the district comparison."""

import streamlit as st

from sanqu import periods
from sanqu.figures import charts
from sanqu.metrics import overview
from sanqu.metrics.overview import HEADLINE
from ui.data import cached
from ui.layout import data_table, kpi_card, page
from ui.zone_widgets import download_list

f = page("三区党建总览")
st.caption("工业园区 · 城乡社区 · 旅游景区")

UNITS = {"park": " 家企业", "community": " 个小区/两新组织", "scenic": " 个景区景点"}
kpis = cached(overview.headline, f.ctx)
trends = {key.split("_")[0]: cached(overview.trend, f.ctx, key) for key in HEADLINE}
for col, k in zip(st.columns(3), kpis):
    history = trends[k.indicator.zone]
    history = (history[history["period"] <= f.period]["rate"] * 100).round(1).tolist()
    with col:
        kpi_card(k, UNITS[k.indicator.zone], history, label=k.indicator.title)

left, right = st.columns(2)
with left:
    st.subheader("组织覆盖率走势")
    st.plotly_chart(charts.zone_trends(trends), key="trend_chart", config={"displaylogo": False})
table = cached(overview.district_table, f.ctx)
with right:
    st.subheader("各区县组织覆盖率")
    st.plotly_chart(charts.district_bars(table), key="district_chart", config={"displaylogo": False})
data_table(charts.district_table_view(table), key="district_table")
st.caption("「—」：该区县没有应覆盖的对象，覆盖率无从计算，不按 0% 计。")
before = {  # the district table a quarter and a year earlier, when the store has them
    label: cached(overview.district_table, f.ctx.at(p)) if p in f.periods else None
    for label, p in (("环比", periods.shift(f.period, -1)), ("同比", periods.shift(f.period, -4)))
}
rows = overview.export_view(table, kpis, before, f"合计（{f.scope.label}）")
download_list(rows, "三区党建总览", f, "overview_export", None, "各区县")

"""总览: the three zones' headline KPIs, their trend and the district comparison."""

import streamlit as st

from sanqu.figures import overview_page
from ui.data import arrow_table, kept
from ui.filters import request_district
from ui.layout import data_table, kpi_card, page
from ui.zone_widgets import download_list, vega_chart

f = page("三区党建总览")
st.caption("工业园区 · 城乡社区 · 旅游景区")

UNITS = {"park": " 家企业", "community": " 个小区/两新组织", "scenic": " 个景区景点"}
figs = kept(overview_page.figures, f.ctx)  # KPIs, figures and tables, built once per scope and quarter
for col, k in zip(st.columns(3), figs.kpis):
    with col:
        kpi_card(k, UNITS[k.indicator.zone], figs.histories[k.indicator.zone], label=k.indicator.title)

left, right = st.columns(2)
with left:
    st.subheader("组织覆盖率走势")
    vega_chart(figs.trend, "trend_chart")
with right:
    st.subheader(f"各{figs.places}组织覆盖率")
    vega_chart(figs.districts, "district_chart", on_pick=lambda row: request_district(str(row["district"])))
    st.caption(f"点击条形：进入该{figs.places}。")
data_table(arrow_table(figs.district_rows), key="district_table")
st.caption(f"「—」：该{figs.places}没有应覆盖的对象，覆盖率无从计算，不按 0% 计。")
download_list(figs.export_rows, "三区党建总览", f, "overview_export", None, f"各{figs.places}")

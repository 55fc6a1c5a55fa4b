"""示范点: progress board by stage, milestone timeline, red-flag ranking, needs-attention lists and
one site's detail; zone, view, status and site kept in the URL. Tables come shaped from
sanqu.programmes.site_tables; this page only lays them out."""

import streamlit as st

from sanqu import periods
from sanqu.figures import vega_sites
from sanqu.programmes import site_tables as tables
from sanqu.programmes import sites
from sanqu.programmes.sites import (
    RED_FLAG_RULE,
    STATUS_MARKS,
    evidence_counts,
    recent_inspections,
)
from ui.data import cached, kept
from ui.filters import url_pills, url_select
from ui.layout import data_table, page
from ui.site_ui import (
    coloured_status,
    metric_row,
    needs_attention,
    open_site,
    plain_chart,
    site_board,
    stage_panel,
    titled_chart,
    zone_filter,
)
from ui.widgets import download_excel

VIEWS = {
    "board": "进度看板",
    "timeline": "节点时间轴",
    "ranking": "红旗争创排名",
    "attention": "需关注清单",
    "detail": "示范点详情",
}
TABLE = {"hide_index": True, "placeholder": "—"}  # a missing value shown as —, not None
PICK_ROW = TABLE | {"selection_mode": "single-row"}  # with on_select=open_site: a click opens it


def headline(table, overdue, uninspected) -> None:
    insp = cached(sites.inspections, f.ctx, zone)
    figures = tables.headline(table, overdue, uninspected, recent_inspections(insp, day), tables.when(day, f.ctx.today))
    metric_row(figures[:4])
    metric_row(figures[4:])
    st.caption(tables.status_rule(table, day, f.ctx.today))


def board_view() -> None:
    st.subheader("进度看板（按阶段）")
    st.caption("点击一行可打开该示范点的详情。")
    shown_board = kept(site_board, f.ctx, zone, shown)  # built once per choice
    for col, panel in zip(st.columns(2) + st.columns(2), shown_board.panels):
        with col:
            stage_panel(panel)
    left, right = st.columns(2)
    with left:
        titled_chart("各阶段示范点状态", shown_board.stages, "board_chart")
    with right:
        titled_chart("各区县示范点状态", shown_board.districts, "district_status_chart")
    download_excel(shown_board.export, "示范点进度", f, "dl_sites", notes=NOTES)


def timeline_view(listed) -> None:
    st.subheader("节点时间轴")
    ms = cached(sites.milestones, f.ctx, zone)
    ms = ms[ms["site_id"].isin(listed["site_id"])]
    st.caption(
        "每行一个示范点，每段为一个节点的计划区间（上一节点计划完成日期至本节点计划完成日期），颜色为节点状态；"
        f"◆ 为实际完成日期，虚线为状态计算日（{AS_OF}）。尚未排定节点的示范点不在图中。"
    )
    if ms.empty:
        st.info("所选范围内没有示范点节点。")
        return
    plain_chart(vega_sites.milestone_timeline(ms, day), "timeline_chart")
    out = tables.milestone_list(ms)
    data_table(out, key="milestone_table", hide_index=True, placeholder="")
    download_excel(out, "示范点节点", f, "dl_milestones", notes=NOTES)


def ranking_view() -> None:
    st.subheader("红旗争创排名")
    st.info("评分规则：" + RED_FLAG_RULE, icon=":material/flag:")
    rank = cached(sites.red_flag, f.ctx, zone)
    if not f.scope.is_city:
        st.caption("排名只在所选区县范围内计算；切换到全市可查看全部区县的名次。")
    st.caption(f"节点与督查按{AS_OF}计算，组织覆盖率取 {periods.label(f.period)}。")
    plain_chart(vega_sites.score_bars(rank, "红旗争创得分"), "red_flag_chart")
    out = tables.red_flag_list(rank)
    data_table(out, key="red_flag_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "红旗争创排名", f, "dl_red_flag", notes=NOTES)


def attention_view(overdue, uninspected) -> None:
    st.subheader("需关注清单")
    quarter = periods.of_date(day)
    left, right = st.columns(2)
    with left:
        st.markdown(f"##### 逾期未完成的节点（{len(overdue)} 个）")
        od = tables.overdue_list(overdue)
        opened = open_site("overdue_table", overdue["site_id"].tolist())
        data_table(od, key="overdue_table", on_select=opened, **PICK_ROW)
        download_excel(od, "逾期节点", f, "dl_overdue", notes=NOTES)
    with right:
        st.markdown(f"##### {periods.label(quarter)}尚未督查的示范点（{len(uninspected)} 个）")
        since = f"{periods.start_date(quarter):%Y-%m-%d}"
        st.caption(f"本季度自 {since} 起至{tables.when(day, f.ctx.today)}没有督查记录；从未督查的排在最前。")
        un = tables.uninspected_list(uninspected)
        opened = open_site("uninspected_table", uninspected["site_id"].tolist())
        data_table(coloured_status(un), key="uninspected_table", on_select=opened, **PICK_ROW)
        download_excel(un, "本季度未督查示范点", f, "dl_uninspected", notes=NOTES)


def pick_site(table) -> str:
    ids = table["site_id"].tolist()  # a kept site the list no longer has (another zone): the first
    names = tables.site_names(table)
    return url_select("示范点", ids, "site", ids[0], lambda s: f"{names[s]}（{s}）")


def site_summary(site: str, s) -> None:
    metric_row(tables.site_metrics(s))
    if warning := tables.stage_warning(s):
        st.warning(warning)
    left, right = st.columns([2, 3])
    with left:
        data_table(tables.site_info(site, s), key="site_info", **TABLE)
    ms = cached(sites.milestones, f.ctx, zone)
    ms = ms[ms["site_id"] == site]
    with right:
        if ms.empty:
            st.info("该示范点尚未排定节点（状态按预警计）。")
        else:
            plain_chart(vega_sites.milestone_timeline(ms, day, compact=True), "site_timeline")
    if not ms.empty:
        st.markdown("##### 节点")
        data_table(tables.milestone_list(ms, with_site=False), key="site_milestones", **TABLE)


def site_inspections(site: str) -> None:
    insp = cached(sites.inspections, f.ctx, zone)
    insp = insp[insp["site_id"] == site]
    st.markdown(f"##### 督查记录（{len(insp)} 次）")
    if insp.empty:
        st.info("该示范点尚无督查记录。")
        return
    left, right = st.columns([3, 2])
    with left:
        plain_chart(vega_sites.inspection_scores(insp), "site_scores")
    with right:
        data_table(tables.evidence_list(evidence_counts(insp)), key="site_evidence", **TABLE)
    data_table(tables.inspection_list(insp), key="site_inspections", **TABLE)


def detail_view(table) -> None:
    if table.empty:
        st.info("所选范围内没有示范点。")
        return
    site = pick_site(table)
    site_summary(site, table.set_index("site_id").loc[site])
    site_inspections(site)


f = page("示范点")
day = cached(sites.status_day, f.ctx)  # today for the latest quarter, else the quarter's last day
AS_OF = tables.as_of_text(day, f.ctx.today)
NOTES = {"状态计算日": AS_OF}
zone, (c2, c3) = zone_filter([1, 1, 2])
with c2:
    view = url_select("视图", list(VIEWS), "view", "board", VIEWS.get)
with c3:
    shown = url_pills("状态", STATUS_MARKS, "status", tuple(STATUS_MARKS))

table = cached(sites.site_table, f.ctx, zone)
overdue, uninspected = kept(needs_attention, f.ctx, zone)
headline(table, overdue, uninspected)
listed = table[table["status"].isin(shown)]
if not shown:
    st.info("未选择任何状态：请在「状态」中至少选择一项。")

if view == "board":
    board_view()
elif view == "timeline":
    timeline_view(listed)
elif view == "ranking":
    ranking_view()
elif view == "attention":
    attention_view(overdue, uninspected)
else:
    detail_view(table)

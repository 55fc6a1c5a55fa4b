"""示范点: progress board by stage, milestone timeline, red-flag ranking, needs-attention lists and
one site's detail; zone, view, status and site kept in the URL."""

import pandas as pd
import streamlit as st

from sanqu import charts, fmt, periods
from sanqu.geography import district_name
from sanqu.sites import (
    AMBER_DAYS,
    INSPECTION_WINDOW_DAYS,
    RED_FLAG_RULE,
    STAGES,
    STATUS_LABELS,
    ZONE_OPTIONS,
    board,
    district_status,
    evidence_counts,
    recent_inspections,
    status_counts,
)
from ui import data, site_data
from ui.filters import url_pills, url_select
from ui.layout import page
from ui.site_ui import STATUS_PILLS, apply_pending_site, coloured_status, open_site_from, show_url_problems
from ui.widgets import download_excel

VIEWS = {
    "board": "进度看板",
    "timeline": "节点时间轴",
    "ranking": "红旗争创排名",
    "attention": "需关注清单",
    "detail": "示范点详情",
}
ENTITY_TYPES = {"enterprise": "园区企业", "community": "村（社区）", "scenic": "景区景点"}
CHART = {"displaylogo": False}

f = page("示范点")
today = data.today()
apply_pending_site()
c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    zone = url_select("领域", list(ZONE_OPTIONS), "zone", "all", ZONE_OPTIONS.get)
with c2:
    view = url_select("视图", list(VIEWS), "view", "board", VIEWS.get)
with c3:
    shown = url_pills("状态", STATUS_PILLS, "status", tuple(STATUS_PILLS))
show_url_problems()

table = site_data.site_table(f.scope_key, zone, today, f.version)
overdue = site_data.overdue_milestones(f.scope_key, zone, today, f.version)
uninspected = site_data.uninspected_sites(f.scope_key, zone, today, f.version)
quarter = periods.of_date(today)

# --- headline ---
counts = status_counts(table)
done, total = int(table["milestones_done"].sum()), int(table["milestones"].sum())
insp = site_data.inspections(f.scope_key, zone, today, f.version)
recent = recent_inspections(insp, today)
k = st.columns(4)
k[0].metric("示范点", f"{len(table):,} 个", border=True)
k[1].metric(":green[●] 正常", f"{counts['green']:,} 个", border=True)
k[2].metric(":orange[●] 预警", f"{counts['amber']:,} 个", border=True)
k[3].metric(":red[●] 逾期", f"{counts['red']:,} 个", border=True)
k = st.columns(4)
k[0].metric("节点完成率", fmt.pct(done / total if total else None), border=True, help="已完成节点 ÷ 全部节点")
k[1].metric("逾期节点", f"{len(overdue):,} 个", border=True, help="过了计划完成日期仍未完成的节点")
k[2].metric("本季度未督查", f"{len(uninspected):,} 个", border=True, help="本季度初至今日没有督查记录的示范点")
k[3].metric(
    "近一年督查均分",
    "—" if recent["mean_score"] is None else f"{recent['mean_score']:.1f}",
    border=True,
    help=f"今日前 {INSPECTION_WINDOW_DAYS} 天内 {recent['inspections']} 次督查评分的平均分",
)
st.caption(
    f"状态按今日 {today:%Y-%m-%d} 计算：有节点过了计划完成日期仍未完成为红（逾期）；"
    f"否则有未完成节点在 {AMBER_DAYS} 天内（含今日）到期、或尚未排定节点为黄（预警）；其余为绿（正常）。"
    f"进度 = 已完成节点 ÷ 全部节点；阶段 = 第一个未完成节点所属阶段。节点完成率 {fmt.ratio(done, total)}。"
)

listed = table[table["status"].isin(shown)]
if not shown:
    st.info("未选择任何状态：请在「状态」中至少选择一项。")


def site_rows(df: pd.DataFrame) -> pd.DataFrame:
    """A site list with Chinese headers."""
    return pd.DataFrame(
        {
            "状态": df["status"].map(STATUS_LABELS),
            "示范点": df["name"],
            "区县": df["district_name"],
            "领域": df["zone"],
            "阶段": df["stage"],
            "进度": (df["progress"] * 100).round(1),
            "节点": [f"{d}/{t}" for d, t in zip(df["milestones_done"], df["milestones"])],
            "联系领导": df["leader_role"],
        }
    )


def dates(values) -> pd.Series:
    """Dates as YYYY-MM-DD text, empty where there is none."""
    return pd.to_datetime(pd.Series(values)).dt.strftime("%Y-%m-%d").fillna("").to_numpy()


PROGRESS = st.column_config.ProgressColumn("进度", format="%.0f%%", min_value=0, max_value=100)

if view == "board":
    st.subheader("进度看板（按阶段）")
    st.caption("点击一行可打开该示范点的详情。")
    panels = st.columns(2) + st.columns(2)
    for stage, col in zip(STAGES, panels):
        in_stage = listed[listed["stage"] == stage].reset_index(drop=True)
        c = status_counts(in_stage)
        with col:
            st.markdown(f"#### {stage} · {len(in_stage)} 个")
            st.caption(f"逾期 {c['red']} · 预警 {c['amber']} · 正常 {c['green']}")
            rows = site_rows(in_stage)[["状态", "示范点", "区县", "进度", "节点"]]
            event = st.dataframe(
                coloured_status(rows),
                key=f"board_{stage}",
                hide_index=True,
                height=min(38 + 35 * max(len(rows), 1), 390),
                column_config={"进度": PROGRESS, "状态": st.column_config.TextColumn("状态", width=56)},
                on_select="rerun",
                selection_mode="single-row",
            )
            open_site_from(event, in_stage["site_id"].tolist())
    left, right = st.columns(2)
    with left:
        st.markdown("##### 各阶段示范点状态")
        st.plotly_chart(charts.site_board_bars(board(listed)), key="board_chart", config=CHART)
    with right:
        st.markdown("##### 各区县示范点状态")
        st.plotly_chart(
            charts.district_status_bars(district_status(listed, f.scope)), key="district_status_chart", config=CHART
        )
    download_excel(site_rows(listed).rename(columns={"进度": "进度(%)"}), "示范点进度", f, "dl_sites")

elif view == "timeline":
    st.subheader("节点时间轴")
    ms = site_data.milestones(f.scope_key, zone, today, f.version)
    ms = ms[ms["site_id"].isin(listed["site_id"])]
    st.caption(
        "每行一个示范点，每段为一个节点的计划区间（上一节点计划完成日期至本节点计划完成日期），颜色为节点状态；"
        "◆ 为实际完成日期，虚线为今日。尚未排定节点的示范点不在图中。"
    )
    if ms.empty:
        st.info("所选范围内没有示范点节点。")
    else:
        st.plotly_chart(charts.milestone_timeline(ms, today), key="timeline_chart", config=CHART)
        out = pd.DataFrame(
            {
                "示范点": ms["site_name"],
                "区县": ms["district_name"],
                "序号": ms["seq"],
                "节点内容": ms["title"],
                "所属阶段": ms["stage"],
                "计划完成日期": dates(ms["due"]),
                "实际完成日期": dates(ms["done"]),
                "节点状态": ms["state_text"],
            }
        )
        st.dataframe(out, key="milestone_table", hide_index=True, placeholder="")
        download_excel(out, "示范点节点", f, "dl_milestones")

elif view == "ranking":
    st.subheader("红旗争创排名")
    st.info("评分规则：" + RED_FLAG_RULE, icon=":material/flag:")
    rank = site_data.red_flag(f.scope_key, zone, today, f.period, f.version)
    if not f.scope.is_city:
        st.caption("排名只在所选区县范围内计算；切换到全市可查看全部区县的名次。")
    st.caption(f"节点与督查按今日 {today:%Y-%m-%d} 计算，组织覆盖率取 {periods.label(f.period)}。")
    st.plotly_chart(charts.score_bars(rank, "红旗争创得分"), key="red_flag_chart", config=CHART)
    out = pd.DataFrame(
        {
            "名次": rank["rank"],
            "区县": rank["name"],
            "得分": rank["score"],
            "示范点数": rank["sites"],
            "节点完成率(%)": (rank["progress"] * 100).round(1),
            "已完成/全部节点": [f"{a}/{b}" for a, b in zip(rank["milestones_done"], rank["milestones"])],
            "按期完成率(%)": (rank["on_time"] * 100).round(1),
            "按期/应完成节点": [f"{a}/{b}" for a, b in zip(rank["on_time_num"], rank["on_time_den"])],
            "督查均分": rank["inspection_mean"].round(1),
            "督查次数": rank["inspections"],
            "组织覆盖率(%)": (rank["coverage"] * 100).round(1),
            "逾期未完成节点": rank["overdue"],
            "说明": rank["note"],
        }
    )
    st.dataframe(out, key="red_flag_table", hide_index=True, height=38 + 35 * len(out), placeholder="—")
    download_excel(out, "红旗争创排名", f, "dl_red_flag")

elif view == "attention":
    st.subheader("需关注清单")
    left, right = st.columns(2)
    with left:
        st.markdown(f"##### 逾期未完成的节点（{len(overdue)} 个）")
        od = pd.DataFrame(
            {
                "示范点": overdue["site_name"],
                "区县": overdue["district_name"],
                "节点内容": overdue["title"],
                "所属阶段": overdue["stage"],
                "计划完成日期": dates(overdue["due"]),
                "逾期天数": overdue["days_overdue"],
                "联系领导": overdue["leader_role"],
            }
        )
        event = st.dataframe(od, key="overdue_table", hide_index=True, on_select="rerun", selection_mode="single-row")
        open_site_from(event, overdue["site_id"].tolist())
        download_excel(od, "逾期节点", f, "dl_overdue")
    with right:
        st.markdown(f"##### {periods.label(quarter)}尚未督查的示范点（{len(uninspected)} 个）")
        st.caption(f"本季度自 {periods.start_date(quarter):%Y-%m-%d} 起至今日没有督查记录；从未督查的排在最前。")
        un = pd.DataFrame(
            {
                "状态": uninspected["status"].map(STATUS_LABELS),
                "示范点": uninspected["name"],
                "区县": uninspected["district_name"],
                "最近督查日期": dates(uninspected["last_inspection"]),
                "距今天数": uninspected["days_since"],
                "督查次数": uninspected["inspections"],
                "联系领导": uninspected["leader_role"],
            }
        )
        event = st.dataframe(
            coloured_status(un),
            key="uninspected_table",
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
        )
        open_site_from(event, uninspected["site_id"].tolist())
        download_excel(un, "本季度未督查示范点", f, "dl_uninspected")

else:  # detail
    ids = table["site_id"].tolist()
    if not ids:
        st.info("所选范围内没有示范点。")
    else:
        if st.session_state.get("site") not in (None, *ids):
            st.session_state["site"] = ids[0]  # e.g. the zone changed: the first site of the new list
        names = dict(zip(table["site_id"], table["district_name"] + " · " + table["name"]))
        site = url_select("示范点", ids, "site", ids[0], lambda s: f"{names[s]}（{s}）")
        show_url_problems()
        s = table.set_index("site_id").loc[site]
        m = st.columns(5)
        m[0].metric("状态", STATUS_LABELS[s["status"]], border=True)
        m[1].metric("进度", fmt.pct(s["progress"]), border=True, help="已完成节点 ÷ 全部节点")
        m[2].metric("阶段（按节点计算）", s["stage"], border=True)
        m[3].metric("督查次数", f"{int(s['inspections'])} 次", border=True)
        m[4].metric("最近督查评分", "—" if pd.isna(s["last_score"]) else f"{s['last_score']:.1f}", border=True)
        if s["recorded_stage"] != s["stage"]:
            st.warning(f"台账记录的阶段为「{s['recorded_stage']}」，按节点完成情况应为「{s['stage']}」，请核对。")
        info = {
            "示范点编号": site,
            "示范点名称": s["name"],
            "所属领域": s["zone"],
            "区县": district_name(s["district"]),
            "依托单位": s["host_name"] if isinstance(s["host_name"], str) else s["entity_id"],
            "单位类型": ENTITY_TYPES.get(s["entity_type"], s["entity_type"]),
            "联系领导（职务）": s["leader_role"],
            "确定日期": f"{s['started']:%Y-%m-%d}",
            "节点": f"已完成 {s['milestones_done']} / 共 {s['milestones']}，逾期未完成 {s['overdue_milestones']}",
            "下一节点": "—" if pd.isna(s["next_due"]) else f"{s['next_title']}（计划 {s['next_due']:%Y-%m-%d}）",
        }
        left, right = st.columns([2, 3])
        with left:
            st.dataframe(
                pd.DataFrame({"项目": list(info), "内容": list(info.values())}), key="site_info", hide_index=True
            )
        ms = site_data.milestones(f.scope_key, zone, today, f.version)
        ms = ms[ms["site_id"] == site]
        with right:
            if ms.empty:
                st.info("该示范点尚未排定节点（状态按预警计）。")
            else:
                st.plotly_chart(charts.milestone_timeline(ms, today, compact=True), key="site_timeline", config=CHART)
        if not ms.empty:
            st.markdown("##### 节点")
            st.dataframe(
                pd.DataFrame(
                    {
                        "序号": ms["seq"],
                        "节点内容": ms["title"],
                        "所属阶段": ms["stage"],
                        "计划完成日期": dates(ms["due"]),
                        "实际完成日期": dates(ms["done"]),
                        "节点状态": ms["state_text"],
                    }
                ),
                key="site_milestones",
                hide_index=True,
            )
        insp = insp[insp["site_id"] == site]
        st.markdown(f"##### 督查记录（{len(insp)} 次）")
        if insp.empty:
            st.info("该示范点尚无督查记录。")
        else:
            left, right = st.columns([3, 2])
            with left:
                st.plotly_chart(charts.inspection_scores(insp), key="site_scores", config=CHART)
            with right:
                ev = evidence_counts(insp)
                st.dataframe(
                    ev.rename(columns={"item": "检查内容", "count": "检查次数"}), key="site_evidence", hide_index=True
                )
            st.dataframe(
                pd.DataFrame(
                    {
                        "督查日期": dates(insp["date"]),
                        "督查人职务": insp["inspector_role"],
                        "评分": insp["score"],
                        "检查内容": insp["evidence"],
                    }
                ),
                key="site_inspections",
                hide_index=True,
            )

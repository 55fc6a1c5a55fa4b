"""The 示范点 page's tables and headline figures with their final Chinese headers (plain
DataFrames and small dataclasses; the page only lays them out)."""

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from sanqu import fmt, periods
from sanqu.geography import district_name
from sanqu.programmes.sites import (
    AMBER_DAYS,
    INSPECTION_WINDOW_DAYS,
    STAGES,
    STATUS_LABELS,
    STATUS_MARKS,
    status_counts,
)
from sanqu.tables import Headers, Metric, dates, fractions, percent, rounded, via

ENTITY_TYPES = {"enterprise": "园区企业", "community": "村（社区）", "scenic": "景区景点"}
BOARD_COLUMNS = ["状态", "示范点", "区县", "进度", "节点"]


def status_labels(status: pd.Series) -> pd.Series:
    return status.map(STATUS_LABELS)


def milestone_totals(table: pd.DataFrame) -> tuple[int, int]:
    """Milestones done and all milestones of a site table."""
    return int(table["milestones_done"].sum()), int(table["milestones"].sum())


def as_of_text(day: dt.date, today: dt.date | None) -> str:
    """The day the rules were applied on (`sites.status_day`), as the page and the Excel 说明 say
    it: '今日 2026-11-26', or '2024-12-31（2024年第4季度末）' for a past quarter."""
    if day == today:
        return f"今日 {day:%Y-%m-%d}"
    return f"{day:%Y-%m-%d}（{periods.label(periods.of_date(day))}末）"


def when(day: dt.date, today: dt.date | None) -> str:
    """'今日', or the date: the end of a window ('至今日', '至2024-12-31')."""
    return "今日" if day == today else f"{day:%Y-%m-%d}"


def headline(
    table: pd.DataFrame, overdue: pd.DataFrame, uninspected: pd.DataFrame, recent: dict, until: str = "今日"
) -> list[Metric]:
    """The page's eight headline figures: sites by status, then milestones and inspections
    (`until`: `when(day, today)`, the end of the windows)."""
    counts = status_counts(table)
    done, total = milestone_totals(table)
    mean = recent["mean_score"]
    return [
        Metric("示范点", f"{len(table):,} 个"),
        *(Metric(STATUS_MARKS[s], f"{counts[s]:,} 个") for s in ("green", "amber", "red")),
        Metric("节点完成率", fmt.pct(done / total if total else None), "已完成节点 ÷ 全部节点"),
        Metric("逾期节点", f"{len(overdue):,} 个", "过了计划完成日期仍未完成的节点"),
        Metric("本季度未督查", f"{len(uninspected):,} 个", f"本季度初至{until}没有督查记录的示范点"),
        Metric(
            "近一年督查均分",
            "—" if mean is None else f"{mean:.1f}",
            f"{until}前 {INSPECTION_WINDOW_DAYS} 天内 {recent['inspections']} 次督查评分的平均分",
        ),
    ]


def status_rule(table: pd.DataFrame, day: dt.date, today: dt.date | None = None) -> str:
    """The status, progress and stage rule as of `day` (`sites.status_day`; today when `today`
    is that day or not given), with the milestones done."""
    done, total = milestone_totals(table)
    past = today is not None and day != today
    said = f" {as_of_text(day, today)}" if past else f"今日 {day:%Y-%m-%d} "
    then = (
        f"{day:%Y-%m-%d} 之后确定的示范点不计入，之后完成的节点按未完成计，之后的督查不计入；选最新季度可查看今日状态。"
        if past
        else ""
    )
    return (
        f"状态按{said}计算：有节点过了计划完成日期仍未完成为红（逾期）；"
        f"否则有未完成节点在 {AMBER_DAYS} 天内（含当日）到期、或尚未排定节点为黄（预警）；其余为绿（正常）。{then}"
        "进度 = 已完成节点 ÷ 全部节点；阶段 = 第一个未完成节点所属阶段，但不早于最近一个节点已全部完成的阶段的下一阶段"
        "（「命名」阶段节点已全部完成即为命名）：较早阶段遗留的未完成节点不使阶段倒退，在示范点详情中提示。"
        f"节点完成率 {fmt.ratio(done, total)}。"
    )


# A site list with Chinese headers (进度 in percent).
site_list = Headers(
    {
        "状态": via(status_labels, "status"),
        "示范点": "name",
        "区县": "district_name",
        "领域": "zone",
        "阶段": "stage",
        "进度": via(percent, "progress"),
        "节点": via(fractions, "milestones_done", "milestones"),
        "联系领导": "leader_role",
    }
)


def site_export(df: pd.DataFrame) -> pd.DataFrame:
    """The site list for Excel: the unit of 进度 in its header."""
    return site_list(df).rename(columns={"进度": "进度(%)"})


@dataclass(frozen=True)
class StagePanel:
    """One column of the progress board: a stage's sites (rows in the order of `site_ids`)."""

    stage: str
    title: str
    counts: str
    rows: pd.DataFrame
    site_ids: list[str]


def stage_panels(listed: pd.DataFrame) -> list[StagePanel]:
    """The progress board: one panel per stage (all four, empty ones included)."""
    panels = []
    for stage in STAGES:
        in_stage = listed[listed["stage"] == stage].reset_index(drop=True)
        c = status_counts(in_stage)
        panels.append(
            StagePanel(
                stage,
                f"{stage} · {len(in_stage)} 个",
                f"逾期 {c['red']} · 预警 {c['amber']} · 正常 {c['green']}",
                site_list(in_stage)[BOARD_COLUMNS],
                in_stage["site_id"].tolist(),
            )
        )
    return panels


def milestone_list(ms: pd.DataFrame, with_site: bool = True) -> pd.DataFrame:
    """Milestones with Chinese headers; without the site columns for one site's detail."""
    out = Headers(
        {
            "示范点": "site_name",
            "区县": "district_name",
            "序号": "seq",
            "节点内容": "title",
            "所属阶段": "stage",
            "计划完成日期": via(dates, "due"),
            "实际完成日期": via(dates, "done"),
            "节点状态": "state_text",
        }
    )(ms)
    return out if with_site else out.drop(columns=["示范点", "区县"])


# The red-flag ranking (`sites.red_flag`) with Chinese headers, rates in percent.
red_flag_list = Headers(
    {
        "名次": "rank",
        "区县": "name",
        "得分": "score",
        "示范点数": "sites",
        "节点完成率(%)": via(percent, "progress"),
        "已完成/全部节点": via(fractions, "milestones_done", "milestones"),
        "按期完成率(%)": via(percent, "on_time"),
        "按期/应完成节点": via(fractions, "on_time_num", "on_time_den"),
        "督查均分": via(rounded, "inspection_mean"),
        "督查次数": "inspections",
        "组织覆盖率(%)": via(percent, "coverage"),
        "逾期未完成节点": "overdue",
        "说明": "note",
    }
)


# Overdue milestones (`sites.overdue_milestones`, longest overdue first) with Chinese headers.
overdue_list = Headers(
    {
        "示范点": "site_name",
        "区县": "district_name",
        "节点内容": "title",
        "所属阶段": "stage",
        "计划完成日期": via(dates, "due"),
        "逾期天数": "days_overdue",
        "联系领导": "leader_role",
    }
)


# Sites not inspected this quarter (`sites.uninspected_sites`) with Chinese headers.
uninspected_list = Headers(
    {
        "状态": via(status_labels, "status"),
        "示范点": "name",
        "区县": "district_name",
        "最近督查日期": via(dates, "last_inspection"),
        "距今天数": "days_since",
        "督查次数": "inspections",
        "联系领导": "leader_role",
    }
)


def site_names(table: pd.DataFrame) -> dict[str, str]:
    """site_id → '区县 · 示范点' for the site picker."""
    return dict(zip(table["site_id"], table["district_name"] + " · " + table["name"]))


def site_metrics(s: pd.Series) -> list[Metric]:
    """One site's five headline figures (a row of `sites.site_table`)."""
    score = "—" if pd.isna(s["last_score"]) else f"{s['last_score']:.1f}"
    return [
        Metric("状态", STATUS_LABELS[s["status"]]),
        Metric("进度", fmt.pct(s["progress"]), "已完成节点 ÷ 全部节点"),
        Metric("阶段（按节点计算）", s["stage"]),
        Metric("督查次数", f"{int(s['inspections'])} 次"),
        Metric("最近督查评分", score),
    ]


def stage_warning(s: pd.Series) -> str | None:
    """A warning when the register's stage differs from the one computed from milestones, or
    milestones of an earlier stage are still open although a later stage is complete."""
    said = []
    if s["recorded_stage"] != s["stage"]:
        said.append(f"台账记录的阶段为「{s['recorded_stage']}」，按节点完成情况应为「{s['stage']}」。")
    if s["left_behind"]:
        said.append(
            f"有 {int(s['left_behind'])} 个较早阶段的节点尚未完成，但其后阶段的节点已全部完成，"
            f"阶段按「{s['stage']}」计（不倒退）。"
        )
    return "".join(said) + "请核对。" if said else None


def site_info(site_id: str, s: pd.Series) -> pd.DataFrame:
    """One site's facts as 项目 / 内容 rows."""
    host = s["host_name"] if isinstance(s["host_name"], str) else s["entity_id"]
    after = "—" if pd.isna(s["next_due"]) else f"{s['next_title']}（计划 {s['next_due']:%Y-%m-%d}）"
    info = {
        "示范点编号": site_id,
        "示范点名称": s["name"],
        "所属领域": s["zone"],
        "区县": district_name(s["district"]),
        "依托单位": host,
        "单位类型": ENTITY_TYPES.get(s["entity_type"], s["entity_type"]),
        "联系领导（职务）": s["leader_role"],
        "确定日期": f"{s['started']:%Y-%m-%d}",
        "节点": f"已完成 {s['milestones_done']} / 共 {s['milestones']}，逾期未完成 {s['overdue_milestones']}",
        "下一节点": after,
    }
    return pd.DataFrame({"项目": list(info), "内容": list(info.values())})


def evidence_list(ev: pd.DataFrame) -> pd.DataFrame:
    """`sites.evidence_counts` with Chinese headers."""
    return ev.rename(columns={"item": "检查内容", "count": "检查次数"})


# Inspection visits with Chinese headers.
inspection_list = Headers(
    {
        "督查日期": via(dates, "date"),
        "督查人职务": "inspector_role",
        "评分": "score",
        "检查内容": "evidence",
    }
)

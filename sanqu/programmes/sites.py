"""Demonstration sites (示范点): progress, status and stage computed from milestones.

Rules (documented here and shown on the pages):
Every rule is applied on one day, `status_day`: today (`Context.today`; the setting `today`
pins it) while the chosen quarter is the latest in the store — the quarter being reported on —,
else the quarter's last day (`Context.as_of`). "Today" below means that day. As of a past day,
sites chosen (`started`) after it are left out, a milestone done after it counts as not done
(its done date is not shown), and inspections after it are not counted.

- progress = milestones done ÷ all milestones of the site (a site with none: 0 %, status amber).
- status:
  red   (逾期)  — a milestone is not done and its due date is before today;
  amber (预警)  — otherwise, a milestone not done is due within AMBER_DAYS (today included),
                  or the site has no milestones;
  green (正常)  — everything else.
  A milestone due today is not overdue yet (amber); one due yesterday and not done is red.
- computed stage = the stage of the first milestone not done (命名 when all are done), but never
  earlier than the stage after the latest stage whose milestones are all done: a stage once
  completed is not undone by an earlier milestone left open (e.g. 命名授牌 done while 确定创建方案
  is still open: 命名, not 培育). Such open milestones are counted in `left_behind` and flagged.
  So a site whose register stage's milestones are all done is never computed at an earlier stage.
- a milestone's state: 按期完成 (done on or before its due date), 逾期完成 (done after it),
  逾期未完成 (not done, due before today), 即将到期 (not done, due within AMBER_DAYS),
  未到期 (not done, due later).
- needs attention (需关注): every milestone 逾期未完成, and every site with no inspection
  (督查) dated in the quarter that contains today, up to today.

Red-flag competition (红旗争创), one score per district, as of `status_day`:
  score = 100 × (0.4 × P + 0.3 × T + 0.2 × S + 0.1 × C) with
  P 节点完成率 = milestones done ÷ all milestones of the district's sites;
  T 按期完成率 = milestones done on or before their due date ÷ milestones due before today or done;
  S 督查均分   = mean inspection score (out of 100, ÷ 100) over the INSPECTION_WINDOW_DAYS up to today;
  C 组织覆盖率 = mean of the zones' organisation coverage rates at the chosen quarter (zones with
                 nothing to cover left out).
  No inspection in the window scores S = 0 (not being inspected earns nothing). T without any
  milestone due yet, or C without anything to cover, is left out and the other weights are scaled
  up to 1. Districts without a demonstration site are not ranked.
  Scores are rounded half up to one decimal; equal scores are ordered by P (higher first), then
  overdue milestones (fewer first), then district code. `ranking.score_and_rank` applies such a rule.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from sanqu import periods
from sanqu.areas.zones import zone_keys, zone_label
from sanqu.context import Context, uses
from sanqu.geography import district_name
from sanqu.ingest.registers import BY_NAME
from sanqu.metrics import places
from sanqu.metrics.coverage import coverage
from sanqu.metrics.ranking import notes, score_and_rank
from sanqu.scope import Scope
from sanqu.storage.db import Database, Source

AMBER_DAYS = 30
STATUS_LABELS = {"red": "逾期", "amber": "预警", "green": "正常"}
# Status with a coloured dot, for labels in widgets (Streamlit markdown colours; no emoji font needed).
STATUS_MARKS = {"red": ":red[●] 逾期", "amber": ":orange[●] 预警", "green": ":green[●] 正常"}
STAGES = BY_NAME["demo_sites"].by_name("stage").allowed  # 培育 / 建设 / 验收 / 命名


def status_day(db: Database, ctx: Context) -> dt.date:
    """The day the 示范点 rules are applied on: today while the chosen quarter is the latest in
    the store (or a later one) — the quarter being reported on, whose figures are compiled after
    it ends —, else the quarter's last day (`ctx.as_of`), so a past quarter shows what stood then."""
    known = db.periods()
    return ctx.day if not known or ctx.period >= known[-1] else ctx.as_of


# Milestones of the sites chosen by $day, with `done` as it stood on $day (done later: not done).
MILESTONES_AT = """
SELECT m.site_id, m.seq, m.title, m.stage, m.due, CASE WHEN m.done <= $day THEN m.done END AS done,
       list_position($stages, m.stage) AS stage_pos
FROM milestones m JOIN demo_sites s USING (site_id) WHERE s.started <= $day
"""

SITES_SQL = f"""
WITH ms AS ({MILESTONES_AT}), k AS (
    SELECT site_id, max(stage_pos) FILTER (WHERE complete) AS completed
    FROM (SELECT site_id, stage_pos, count(done) = count(*) AS complete FROM ms GROUP BY site_id, stage_pos)
    GROUP BY site_id
), m AS (
    SELECT ms.site_id, count(*) AS milestones, count(done) AS milestones_done,
           bool_or(done IS NULL AND due < $day) AS overdue,
           bool_or(done IS NULL AND due <= $day + to_days(CAST($amber AS INTEGER))) AS due_soon,
           arg_min(stage, seq) FILTER (WHERE done IS NULL AND stage_pos > coalesce(k.completed, 0)) AS next_stage,
           count(*) FILTER (WHERE done IS NULL AND stage_pos <= coalesce(k.completed, 0)) AS left_behind
    FROM ms LEFT JOIN k USING (site_id) GROUP BY ms.site_id
)
SELECT s.site_id, s.name, s.zone, s.district, s.entity_type, s.entity_id, s.leader_role,
       s.stage AS recorded_stage,
       CASE WHEN coalesce(m.milestones, 0) = 0 THEN $first_stage
            ELSE coalesce(m.next_stage, $last_stage) END AS stage,
       CASE WHEN coalesce(m.milestones, 0) = 0 THEN 'amber'
            WHEN m.overdue THEN 'red'
            WHEN m.due_soon THEN 'amber'
            ELSE 'green' END AS status,
       coalesce(m.milestones_done / m.milestones, 0.0) AS progress,
       coalesce(m.milestones_done, 0) AS milestones_done, coalesce(m.milestones, 0) AS milestones,
       coalesce(m.left_behind, 0) AS left_behind
FROM demo_sites s LEFT JOIN m USING (site_id)
WHERE list_contains($scope, s.district) AND entity_in_township($township, s.entity_type, s.entity_id)
  AND s.started <= $day
ORDER BY s.site_id
"""

EVERY_FIELD = ("scope", "period", "today")  # a query as of `status_day`: the quarter and today


@uses(*EVERY_FIELD)
def sites(db: Database, ctx: Context) -> pd.DataFrame:
    """One row per demonstration site chosen by `status_day`, with status, progress and stage as
    of that day (`left_behind`: open milestones of stages before the computed one)."""
    return db.query(
        SITES_SQL,
        ctx.scope,
        day=status_day(db, ctx),
        amber=AMBER_DAYS,
        stages=list(STAGES),
        first_stage=STAGES[0],
        last_stage=STAGES[-1],
    )


@uses(*EVERY_FIELD)
def district_progress(db: Database, ctx: Context) -> pd.DataFrame:
    """Per district: milestones done (numerator) over all milestones (denominator)."""
    df = sites(db, ctx)
    g = df.groupby("district", as_index=False)[["milestones_done", "milestones"]].sum()
    return g.rename(columns={"milestones_done": "numerator", "milestones": "denominator"})


# --- sites and milestones ----------------------------------------------------------------------

MILESTONE_STATES = {
    "on_time": "按期完成",
    "late": "逾期完成",
    "overdue": "逾期未完成",
    "due_soon": "即将到期",
    "open": "未到期",
}

SITE_EXTRA_SQL = f"""
WITH ms AS ({MILESTONES_AT}), i AS (
    SELECT site_id, count(*) AS inspections, max(date) AS last_inspection,
           arg_max(score, date) AS last_score
    FROM inspections WHERE date <= $day GROUP BY site_id
), o AS (
    SELECT site_id, count(*) FILTER (done IS NULL AND due < $day) AS overdue_milestones,
           min(due) FILTER (done IS NULL) AS next_due,
           arg_min(title, seq) FILTER (done IS NULL) AS next_title
    FROM ms GROUP BY site_id
)
SELECT s.site_id, s.started,
       coalesce(e.name, c.name, sc.name) AS host_name,
       coalesce(i.inspections, 0) AS inspections, i.last_inspection, i.last_score,
       coalesce(o.overdue_milestones, 0) AS overdue_milestones, o.next_due, o.next_title
FROM demo_sites s
LEFT JOIN enterprises e ON s.entity_type = 'enterprise' AND e.enterprise_id = s.entity_id
LEFT JOIN communities c ON s.entity_type = 'community' AND c.community_id = s.entity_id
LEFT JOIN scenic_sites sc ON s.entity_type = 'scenic' AND sc.scenic_id = s.entity_id
LEFT JOIN i USING (site_id) LEFT JOIN o USING (site_id)
WHERE list_contains($scope, s.district) AND entity_in_township($township, s.entity_type, s.entity_id)
"""


@uses(*EVERY_FIELD)
def site_table(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """`sites` (status, progress, stage) of one zone or all, with the host's name, district name,
    inspections up to `status_day` (count, last date, last score), overdue milestones and the next one."""
    df = sites(db, ctx)
    label = zone_label(zone)
    if label:
        df = df[df["zone"] == label]
    extra = db.query(SITE_EXTRA_SQL, ctx.scope, day=status_day(db, ctx), stages=list(STAGES))
    df = df.merge(extra, on="site_id", how="left")
    df.insert(df.columns.get_loc("district") + 1, "district_name", _names(df["district"]))
    return df.sort_values(["district", "site_id"]).reset_index(drop=True)


MILESTONES_SQL = f"""
WITH ms AS ({MILESTONES_AT})
SELECT m.site_id, s.name AS site_name, s.zone, s.district, s.leader_role, m.seq, m.title, m.stage,
       least(coalesce(lag(m.due) OVER (PARTITION BY m.site_id ORDER BY m.seq), s.started), m.due) AS start,
       m.due, m.done,
       CASE WHEN m.done IS NOT NULL AND m.done <= m.due THEN 'on_time'
            WHEN m.done IS NOT NULL THEN 'late'
            WHEN m.due < $day THEN 'overdue'
            WHEN m.due <= $day + to_days(CAST($amber AS INTEGER)) THEN 'due_soon'
            ELSE 'open' END AS state,
       CASE WHEN m.done IS NULL AND m.due < $day THEN datediff('day', m.due, $day) END AS days_overdue
FROM ms m JOIN demo_sites s USING (site_id)
WHERE list_contains($scope, s.district) AND entity_in_township($township, s.entity_type, s.entity_id)
  AND ($zone = '' OR s.zone = $zone)
ORDER BY s.district, m.site_id, m.seq
"""


@uses(*EVERY_FIELD)
def milestones(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """One row per milestone of the sites chosen by `status_day`, with its state as of that day
    (see MILESTONE_STATES; done later: not done, no done date) and the planned window `start` →
    `due` (start = the previous milestone's due date, or the site's start)."""
    day = status_day(db, ctx)
    df = db.query(MILESTONES_SQL, ctx.scope, day=day, amber=AMBER_DAYS, stages=list(STAGES), zone=zone_label(zone))
    df["district_name"] = _names(df["district"])
    df["state_label"] = df["state"].map(MILESTONE_STATES)
    df["days_overdue"] = df["days_overdue"].astype("Int64")
    late = df["state_label"] + "（" + df["days_overdue"].astype(str) + " 天）"
    df["state_text"] = late.where(df["state"] == "overdue", df["state_label"])
    return df


def _names(districts: pd.Series) -> pd.Series:
    """District names of a column of codes, each code looked up once."""
    return districts.map({code: district_name(code) for code in districts.unique()})


INSPECTIONS_SQL = """
SELECT i.inspection_id, i.site_id, s.name AS site_name, s.zone, s.district, i.date, i.inspector_role,
       i.score, i.evidence
FROM inspections i JOIN demo_sites s USING (site_id)
WHERE list_contains($scope, s.district) AND entity_in_township($township, s.entity_type, s.entity_id)
  AND ($zone = '' OR s.zone = $zone) AND i.date <= $day
  AND s.started <= $day
ORDER BY i.date, i.inspection_id
"""


@uses(*EVERY_FIELD)
def inspections(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """Inspection visits up to `status_day` of the sites in scope (district = the site's district)."""
    df = db.query(INSPECTIONS_SQL, ctx.scope, day=status_day(db, ctx), zone=zone_label(zone))
    df["district_name"] = _names(df["district"])
    return df


def evidence_counts(insp: pd.DataFrame) -> pd.DataFrame:
    """How often each evidence item (检查内容, separated by ；) was checked, most often first."""
    items = insp["evidence"].fillna("").str.split("[；;]").explode().str.strip()
    items = items[items != ""]
    out = items.value_counts().rename_axis("item").reset_index(name="count")
    return out.sort_values(["count", "item"], ascending=[False, True]).reset_index(drop=True)


def board(df: pd.DataFrame) -> pd.DataFrame:
    """Sites per computed stage and status (every stage and status, zeros included)."""
    idx = pd.MultiIndex.from_product([STAGES, list(STATUS_LABELS)], names=["stage", "status"])
    counts = df.groupby(["stage", "status"]).size().reindex(idx, fill_value=0)
    return counts.rename("sites").reset_index()


def status_counts(df: pd.DataFrame) -> dict[str, int]:
    """{'red': n, 'amber': n, 'green': n} of a site table."""
    vc = df["status"].value_counts()
    return {k: int(vc.get(k, 0)) for k in STATUS_LABELS}


def district_status(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Per district in scope: sites by status (zeros for districts without sites)."""
    out = pd.DataFrame({"district": list(scope.counties)})
    counts = df.groupby(["district", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(STATUS_LABELS), fill_value=0)
    out = out.merge(counts, left_on="district", right_index=True, how="left").fillna(0)
    out[list(STATUS_LABELS)] = out[list(STATUS_LABELS)].astype(int)
    out["sites"] = out[list(STATUS_LABELS)].sum(axis=1)
    out.insert(1, "name", [places.area_name(d, scope) for d in out["district"]])
    return out


# --- needs attention ------------------------------------------------------------------------


@uses(*EVERY_FIELD)
def overdue_milestones(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """Milestones not done whose due date is before today, longest overdue first."""
    return overdue_of(milestones(db, ctx, zone))


def overdue_of(ms: pd.DataFrame) -> pd.DataFrame:
    """The overdue rows of a `milestones` frame, longest overdue first."""
    df = ms[ms["state"] == "overdue"]
    return df.sort_values(
        ["days_overdue", "district", "site_id", "seq"], ascending=[False, True, True, True]
    ).reset_index(drop=True)


@uses(*EVERY_FIELD)
def uninspected_sites(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """Sites with no inspection dated from the first day of `status_day`'s quarter to that day.

    Never-inspected sites first, then the longest since the last inspection."""
    return uninspected_of(site_table(db, ctx, zone), status_day(db, ctx))


def needs_attention(
    db: Database, ctx: Context, zone: str | None = None, fetch: Callable[..., Any] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(overdue milestones, sites not inspected this quarter) of one zone, from the `milestones`
    and `site_table` frames; `fetch`: the cache they go through (the page's: read once for it)."""
    q = Source(db, fetch)
    return overdue_of(q(milestones, ctx, zone)), uninspected_of(q(site_table, ctx, zone), status_day(db, ctx))


def uninspected_of(table: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The rows of a `site_table` frame not inspected from the first day of `day`'s quarter to
    `day`: never inspected first, then the longest since the last inspection."""
    quarter_start = periods.start_date(periods.of_date(day))
    last = pd.to_datetime(table["last_inspection"])
    df = table[last.isna() | (last < pd.Timestamp(quarter_start))].copy()
    df["days_since"] = (pd.Timestamp(day) - pd.to_datetime(df["last_inspection"])).dt.days.astype("Int64")
    df["_never"] = df["last_inspection"].isna()
    df = df.sort_values(["_never", "last_inspection", "site_id"], ascending=[False, True, True], na_position="first")
    return df.drop(columns="_never").reset_index(drop=True)


# --- ranking rules ------------------------------------------------------------------------------

RED_FLAG_WEIGHTS = {"progress": 0.4, "on_time": 0.3, "inspection": 0.2, "coverage": 0.1}
INSPECTION_WINDOW_DAYS = 365
RED_FLAG_RULE = (
    "得分 = 100 ×（0.4 × 节点完成率 + 0.3 × 按期完成率 + 0.2 × 督查均分/100 + 0.1 × 组织覆盖率）。"
    "节点完成率 = 已完成节点 ÷ 全部节点；按期完成率 = 按期完成的节点 ÷（计划完成日期已过或已完成的节点）；"
    f"督查均分 = 近 {INSPECTION_WINDOW_DAYS} 天督查评分的平均分，无督查记录按 0 分计；"
    "组织覆盖率 = 所选季度各领域组织覆盖率的平均。尚无到期节点时按期完成率不计入、无可覆盖单位时覆盖率不计入，"
    "其余各项按权重折算为 100 分。无示范点的区县不参评。得分保留一位小数（四舍五入）；得分相同时，"
    "节点完成率高者在前，再比逾期未完成节点少者在前，最后按区县代码。"
)


RED_FLAG_SQL = f"""
WITH ms AS ({MILESTONES_AT}), s AS (
    SELECT site_id, district FROM demo_sites
    WHERE list_contains($scope, district) AND entity_in_township($township, entity_type, entity_id)
      AND ($zone = '' OR zone = $zone) AND started <= $day
), m AS (
    SELECT s.district, count(*) AS milestones, count(m.done) AS milestones_done,
           count(*) FILTER (m.done IS NOT NULL AND m.done <= m.due) AS on_time_num,
           count(*) FILTER (m.done IS NOT NULL OR m.due < $day) AS on_time_den,
           count(*) FILTER (m.done IS NULL AND m.due < $day) AS overdue
    FROM ms m JOIN s USING (site_id) GROUP BY s.district
), i AS (
    SELECT s.district, count(*) AS inspections, avg(i.score) AS inspection_mean
    FROM inspections i JOIN s USING (site_id)
    WHERE i.date > $day - to_days(CAST($window AS INTEGER)) AND i.date <= $day
    GROUP BY s.district
)
SELECT s.district, count(*) AS sites,
       any_value(coalesce(m.milestones, 0)) AS milestones, any_value(coalesce(m.milestones_done, 0)) AS milestones_done,
       any_value(coalesce(m.on_time_num, 0)) AS on_time_num, any_value(coalesce(m.on_time_den, 0)) AS on_time_den,
       any_value(coalesce(m.overdue, 0)) AS overdue,
       any_value(coalesce(i.inspections, 0)) AS inspections, any_value(i.inspection_mean) AS inspection_mean
FROM s LEFT JOIN m USING (district) LEFT JOIN i USING (district)
GROUP BY s.district
"""


def zone_coverage(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """Per district: organisation coverage rate of each zone (NaN when nothing to cover) and
    their mean over the zones with something to cover (`coverage`)."""
    out = pd.DataFrame({"district": list(ctx.scope.counties)})
    for z in zone_keys(zone):
        c = coverage(db, ctx, z, by=("district",))
        c[f"{z}_rate"] = c["covered"] / c["denominator"].where(c["denominator"] > 0)
        out = out.merge(c[["district", f"{z}_rate"]], on="district", how="left")
    out["coverage"] = out[[f"{z}_rate" for z in zone_keys(zone)]].mean(axis=1, skipna=True)
    return out


def red_flag(db: Database, ctx: Context, zone: str | None = None) -> pd.DataFrame:
    """The red-flag ranking (红旗争创) of the districts in scope; rule in RED_FLAG_RULE (milestones
    and inspections as of `status_day`, coverage at the quarter)."""
    base = pd.DataFrame({"district": list(ctx.scope.counties)})
    day = status_day(db, ctx)
    sql = db.query(
        RED_FLAG_SQL, ctx.scope, day=day, zone=zone_label(zone), window=INSPECTION_WINDOW_DAYS, stages=list(STAGES)
    )
    df = base.merge(sql, on="district", how="left").merge(zone_coverage(db, ctx, zone), on="district")
    for c in ("sites", "milestones", "milestones_done", "on_time_num", "on_time_den", "overdue", "inspections"):
        df[c] = df[c].fillna(0).astype(int)
    df["progress"] = (df["milestones_done"] / df["milestones"].where(df["milestones"] > 0)).fillna(0.0)
    df["on_time"] = df["on_time_num"] / df["on_time_den"].where(df["on_time_den"] > 0)
    df["inspection"] = df["inspection_mean"] / 100
    df.loc[df["sites"] == 0, "progress"] = np.nan
    ranked = score_and_rank(
        df,
        RED_FLAG_WEIGHTS,
        [("progress", False), ("overdue", True)],
        eligible=df["sites"] > 0,
        zero_if_missing=("inspection",),
    )
    has = ranked["sites"] > 0
    ranked["note"] = notes(
        [
            (~has, "无示范点，不参评"),
            (has & ranked["on_time"].isna(), "尚无到期节点，按期完成率不计入"),
            (has & ranked["inspection"].isna(), f"近{INSPECTION_WINDOW_DAYS}天无督查，督查均分按0分计"),
            (has & ranked["coverage"].isna(), "无可覆盖单位，覆盖率不计入"),
        ]
    )
    ranked.insert(1, "name", [places.area_name(d, ctx.scope) for d in ranked["district"]])
    return ranked


def recent_inspections(insp: pd.DataFrame, today: dt.date, days: int = INSPECTION_WINDOW_DAYS) -> dict:
    """Inspections (of an `inspections` frame) in the `days` up to today: count and mean score
    (the window of the red-flag rule's 督查均分)."""
    day = pd.Timestamp(today)
    recent = insp[(insp["date"] > day - pd.Timedelta(days=days)) & (insp["date"] <= day)]
    return {"inspections": len(recent), "mean_score": float(recent["score"].mean()) if len(recent) else None}

"""The 长效机制 page's tables and headline figures with their final Chinese headers (plain
DataFrames and `Metric`s; the page only lays them out)."""

import datetime as dt

import pandas as pd

from sanqu import fmt, periods
from sanqu.programmes.mechanisms import CARRIERS, FUNDS, VENUE_STATUSES
from sanqu.tables import Headers, Metric, days, fractions, number, percent, rounded, via

# --- contact points and visits ------------------------------------------------------------------


def contact_metrics(s: dict, period: str) -> list[Metric]:
    """Contact points, visits, visit rate and points not visited (`mechanisms.visit_summary`)."""
    return [
        Metric("联系点", f"{s['points']:,} 个", "季末前已建立的领导工作联系点"),
        Metric(f"{periods.label(period)}走访", f"{s['visits']:,} 次"),
        Metric(
            "走访率",
            fmt.pct(s["visited"] / s["points"] if s["points"] else None),
            "本季度有走访的联系点 ÷ 季末前已建立的联系点",
        ),
        Metric("未走访", f"{s['unvisited']:,} 个", "本季度没有走访记录的联系点"),
    ]


def contact_note(s: dict) -> str:
    return f"已走访 {fmt.ratio(s['visited'], s['points'])} 个联系点。联系领导只按职务显示。"


def visit_quarters(known: list[str], today: dt.date) -> list[str]:
    """The quarters of the visit chart: the first known quarter to the later of the last known
    one and today's quarter (visits are dated, so the current quarter has some already)."""
    return periods.span(known[0], max(known[-1], periods.of_date(today)))


# Contact points not visited in the quarter with Chinese headers.
unvisited_list = Headers(
    {
        "联系领导职务": "leader_role",
        "区县": "district_name",
        "联系单位": "host_name",
        "领域": "zone",
        "建立日期": via(days, "since"),
        "最近走访日期": via(days, "last_visit"),
    }
)


# Every contact point with its visits in the quarter, by kind.
point_list = Headers(
    {
        "联系领导职务": "leader_role",
        "区县": "district_name",
        "联系单位": "host_name",
        "领域": "zone",
        "建立日期": via(days, "since"),
        "本季度走访": "visits",
        "调研": "research",
        "督查": "inspect",
        "指导": "guide",
        "最近走访日期": via(days, "last_visit"),
    }
)


# --- pairing ----------------------------------------------------------------------------------


def pairing_metrics(pr: pd.DataFrame) -> list[Metric]:
    """Pairings, activities held, activities per pairing and pairings without any."""
    return [
        Metric("结对", f"{len(pr):,} 对"),
        Metric("开展活动", f"{int(pr['activities'].sum()):,} 次"),
        Metric("平均每对活动", number(pr["activities"].mean() if len(pr) else None)),
        Metric("尚未开展活动", f"{int((pr['activities'] == 0).sum()):,} 对"),
    ]


# `mechanisms.pairings_by(…, 'form')` with Chinese headers.
form_list = Headers(
    {
        "结对形式": "form",
        "结对数": "pairings",
        "开展活动次数": "activities",
        "平均每对": via(rounded, "mean_activities"),
    }
)


# Every pairing with Chinese headers.
pairing_list = Headers(
    {
        "帮扶方党组织": "helper",
        "帮扶方类别": "helper_kind",
        "受援党组织": "org_name",
        "领域": "zone",
        "区县": "district_name",
        "结对形式": "form",
        "结对日期": via(days, "since"),
        "开展活动次数": "activities",
    }
)


# --- cadres (aggregates only) ------------------------------------------------------------------


def cadre_metrics(s: dict) -> list[Metric]:
    """`mechanisms.cadre_summary` as four figures (withheld averages shown as —)."""
    return [
        Metric("党务干部", f"{s['cadres']:,} 人"),
        Metric("平均年度培训", f"{number(s['mean_hours'])} 学时"),
        Metric("培训学时中位数", f"{number(s['median_hours'], 0)} 学时"),
        Metric("形象测评好/较好", fmt.pct(s["good_share"]), "测评为「好」或「较好」的 ÷ 全部"),
    ]


# `mechanisms.cadres_by_district` with Chinese headers.
cadre_list = Headers(
    {
        "区县": "district_name",
        "党务干部(人)": "cadres",
        "其中书记(人)": "secretaries",
        "平均年度培训学时": via(rounded, "mean_hours"),
        "测评好/较好(人)": "good",
        "测评好/较好占比(%)": via(percent, "good_share"),
    }
)


# --- venues -----------------------------------------------------------------------------------


def venue_metrics(v: pd.DataFrame, by_status: pd.DataFrame, mix: pd.DataFrame) -> list[Metric]:
    """Venues in all and per status, and the funding in all (万元)."""
    n = dict(zip(by_status["status"], by_status["venues"]))
    return [
        Metric("活动阵地", f"{len(v):,} 处"),
        *(Metric(status, f"{n[status]:,} 处") for status in VENUE_STATUSES),
        Metric("总投入", f"{mix['amount'].sum():,.1f} 万元"),
    ]


def venue_note(v: pd.DataFrame, by_status: pd.DataFrame) -> str:
    built = float(by_status.loc[by_status["status"] == "已建成", "area_m2"].sum())
    return (
        f"总面积 {v['area_m2'].sum():,.0f} m²，其中已建成 {built:,.0f} m²。"
        "经费来源：财政列支、党费补助、部门帮扶、单位自筹、市场化运作。台账现状，不随统计季度变化。"
    )


def venue_status_long(bd: pd.DataFrame) -> pd.DataFrame:
    """`mechanisms.venues_by_district` in long format (district_name, status, n) for a stacked chart."""
    return bd.melt(id_vars=["district_name"], value_vars=list(VENUE_STATUSES), var_name="status", value_name="n")


def venue_list(bd: pd.DataFrame) -> pd.DataFrame:
    """`mechanisms.venues_by_district` with Chinese headers: counts, area, funding per source."""
    out = pd.DataFrame({"区县": bd["district_name"]})
    for status in VENUE_STATUSES:
        out[f"{status}(处)"] = bd[status]
    out["面积(m²)"] = bd["area_m2"].round(1)
    for col, label in FUNDS.items():
        out[f"{label}(万元)"] = bd[col].round(2)
    out["合计(万元)"] = bd["funds"].round(2)
    return out


# --- activities and carriers --------------------------------------------------------------------


def activity_metrics(acts: pd.DataFrame, wide: pd.DataFrame, period: str, known: list[str]) -> list[Metric]:
    """Activities held in the quarter (环比 when the quarter before is known), participations and
    the carriers used; `wide` from `mechanisms.activities_by_district`."""
    prev = periods.shift(period, -1)
    before = int(acts.loc[acts["period"] == prev, "count"].sum()) if prev in known else None
    total = int(wide["total"].sum())
    held = int((wide[list(CARRIERS)].sum() > 0).sum())
    change = None if before is None else f"{total - before:+,} 次"
    return [
        Metric(f"{periods.label(period)}开展活动", f"{total:,} 次", delta=change),
        Metric("参与党员", f"{int(wide['participants'].sum()):,} 人次"),
        Metric("开展的载体", f"{held} / {len(CARRIERS)} 种"),
    ]


def carriers_held(wide: pd.DataFrame) -> list[str]:
    """The carriers held at least once (all of them when none was), in the register's order."""
    return [c for c in CARRIERS if wide[c].sum() > 0] or list(CARRIERS)


def activity_list(wide: pd.DataFrame) -> pd.DataFrame:
    """`mechanisms.activities_by_district` with Chinese headers (carriers keep their names)."""
    out = wide.rename(columns={"district_name": "区县", "total": "合计", "participants": "参与党员人次"})
    return out.drop(columns="district")


# --- inspection and assessment (督查考核评比) --------------------------------------------------------


def assessment_bars(rank: pd.DataFrame) -> pd.DataFrame:
    """The ranking as `charts.score_bars` reads it (district names in `name`)."""
    return rank.rename(columns={"district_name": "name"})


# `mechanisms.assessment` with Chinese headers, rates in percent.
assessment_list = Headers(
    {
        "名次": "rank",
        "区县": "district_name",
        "得分": "score",
        "督查均分": via(rounded, "inspection_mean"),
        "督查次数": "inspections",
        "联系点走访率(%)": via(percent, "visit_rate"),
        "已走访/联系点": via(fractions, "visited", "points"),
        "节点按期率(%)": via(percent, "on_time"),
        "按期/到期节点": via(fractions, "on_time_in_period", "due_in_period"),
        "说明": "note",
    }
)

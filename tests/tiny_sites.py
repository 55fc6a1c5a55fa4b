"""Hand-made registers for the demonstration sites and the long-term mechanisms.

A copy of tests.tiny.ROWS (districts A = 360822 吉水县, B = 360823 峡江县) plus a third
district D = 360881 井冈山市 with one community, and the mechanism registers below.
TODAY = 2026-11-26 (a Thursday in 2026Q4, which began on 2026-10-01).

Demonstration sites (AMBER_DAYS = 30):
  S1 A 工业园区  m1 due 03-01 done 02-20 (on time); m2 due 2026-11-26 = TODAY, open
                 -> amber (due today is not overdue), progress 1/2, stage 建设
  S2 A 城乡社区  m1 due 01-10 done 01-15 (late);  m2 due 2026-11-25, open (overdue by one day)
                 -> red, progress 1/2, stage 建设
  S3 B 工业园区  no milestones -> amber, progress 0, stage 培育
  S4 B 城乡社区  m1 on time, m2 due 2026-08-01 done 07-30 (on time), m3 due 2027-03-01, m4 due 2027-06-01
                 -> green, progress 2/4, stage 验收 (recorded 建设: the register lags)
  S5 D 城乡社区  m1 done on its due date, m2 on time, m3 late, m4 due 2027-01-15 (50 days)
                 -> green, progress 3/4, stage 验收

STAGE_ROWS adds two sites in D (for the stage rule only): S6, recorded 命名, with 命名授牌 and
every 建设 / 验收 milestone done but its first 培育 one (due 2026-01-01) open → stage 命名 (not
培育), red, 4/5, one milestone left behind; S7, recorded 命名 but only its 培育 milestone done →
stage 建设 (the register is not taken on trust).

Inspections: S1 2026-10-15 80; S2 2026-05-10 87.5; S3 2026-09-10 90; S4 2025-06-01 99 (more than
12 months before TODAY) and 2026-02-01 50; S5 2026-08-01 70.

Red-flag (红旗争创) as of TODAY, coverage at 2026Q3:
  A: P 2/4, T 1/3 (S1m1 on time; S2m1 late; S2m2 overdue; S1m2 due today not counted),
     S (80 + 87.5) / 2 = 83.75, C (park 3/4 + community 3/6) / 2 = 0.625
     -> 20 + 10 + 16.75 + 6.25 = 53.0
  B: P 2/4, T 2/2, S (50 + 90) / 2 = 70, C (1/2 + 3/6) / 2 = 0.5 -> 20 + 30 + 14 + 5 = 69.0
  D: P 3/4, T 2/3, S 70, C community 3/6 = 0.5 -> 30 + 20 + 14 + 5 = 69.0
  B and D tie at 69.0; D has the higher 节点完成率 -> D 1, B 2, A 3.

督查考核评比 2026Q3 (weights 0.5 督查均分, 0.3 联系点走访率, 0.2 节点按期率; an item without data
is left out and the others re-weighted; no inspection in the quarter: not ranked):
  B: inspection 90, points 1/1, S4m2 due in Q3 done on time 1/1 -> 45 + 30 + 20 = 95.0 (1)
  D: inspection 70, no point yet (P4 from 2026-10-01), nothing due -> 35 / 0.5 = 70.0 (2)
  A: no inspection in Q3 (points 1/2 visited) -> not ranked

Contact points and visits: P1 (A, enterprise) visits 07-05 调研, 08-20 督查, 09-30 指导; P2 (A,
community) 06-30 调研, 10-01 督查; P3 (B, enterprise, since 2026-08-01) 09-15 调研; P4 (D, community,
since 2026-10-01) 10-20 指导. In 2026Q3: points P1 P2 P3, visited P1 P3, not visited P2.
"""

import copy
import datetime as dt

from sanqu.scope import Scope
from tests import tiny

A, B, D = tiny.A, tiny.B, "360881"
TD = "360881100"
TODAY_ISO = "2026-11-26"
TODAY = dt.date.fromisoformat(TODAY_ISO)
CITY = Scope.city()
ABD = Scope.of(A, B, D)
ORG_B = "DZ360823-00001"

ROWS = copy.deepcopy(tiny.ROWS)
ROWS["districts"].append(dict(district=D, name="井冈山市"))
ROWS["townships"].append(dict(code=TD, name="茨坪镇", district=D, lon=114.17, lat=26.57, coord_method="geonames"))
ROWS["communities"].append(
    dict(community_id="360881100001", name="茨坪社区", township=TD, district=D, kind="城市社区", area_km2=3.0)
)
ROWS["community_stats"] += [
    tiny._stats("360881100001", D, "2026Q2", 2, 0),
    tiny._stats("360881100001", D, "2026Q3", 2, 0),
]
ROWS["party_orgs"].append({**tiny._org(ORG_B, B, "单独组建", "2020-01-01"), "zone": "城乡社区"})


def _site(site_id, zone, district, etype, eid, leader, stage, started):
    host = dict(zone=zone, district=district, entity_type=etype, entity_id=eid)
    run = dict(leader_role=leader, stage=stage, started=started)
    return dict(site_id=site_id, name=f"示范点{site_id[-5:]}", **host, **run)


def _m(site_id, seq, stage, due, done=""):
    return dict(site_id=site_id, seq=seq, title=f"节点{seq}", stage=stage, due=due, done=done)


def _insp(iid, site_id, district, date, score, evidence="阵地标识；活动台账"):
    return dict(
        inspection_id=iid,
        site_id=site_id,
        district=district,
        date=date,
        inspector_role="市委组织部督查组",
        score=score,
        evidence=evidence,
    )


S1, S2, S3, S4, S5 = "SF360822-001", "SF360822-002", "SF360823-001", "SF360823-002", "SF360881-001"

ROWS["demo_sites"] = [
    _site(S1, "工业园区", A, "enterprise", "QY360822-0001", "县(市、区)委书记", "培育", "2025-12-01"),
    _site(S2, "城乡社区", A, "community", "360822400001", "市委副书记", "建设", "2025-10-01"),
    _site(S3, "工业园区", B, "enterprise", "QY360823-0004", "县(市、区)长", "培育", "2026-09-01"),
    _site(S4, "城乡社区", B, "community", "360823400001", "市委书记", "建设", "2025-03-01"),
    _site(S5, "城乡社区", D, "community", "360881100001", "市委组织部部长", "验收", "2025-06-01"),
]
ROWS["milestones"] = [
    _m(S1, 1, "培育", "2026-03-01", "2026-02-20"),
    _m(S1, 2, "建设", "2026-11-26"),
    _m(S2, 1, "培育", "2026-01-10", "2026-01-15"),
    _m(S2, 2, "建设", "2026-11-25"),
    _m(S4, 1, "培育", "2025-12-01", "2025-11-20"),
    _m(S4, 2, "建设", "2026-08-01", "2026-07-30"),
    _m(S4, 3, "验收", "2027-03-01"),
    _m(S4, 4, "命名", "2027-06-01"),
    _m(S5, 1, "培育", "2025-09-01", "2025-09-01"),
    _m(S5, 2, "培育", "2025-12-01", "2025-11-30"),
    _m(S5, 3, "建设", "2026-04-01", "2026-04-20"),
    _m(S5, 4, "验收", "2027-01-15"),
]
ROWS["inspections"] = [
    _insp("DC360822-0001", S1, A, "2026-10-15", 80, "阵地标识；党员示范岗；活动台账"),
    _insp("DC360822-0002", S2, A, "2026-05-10", 87.5),
    _insp("DC360823-0001", S3, B, "2026-09-10", 90),
    _insp("DC360823-0002", S4, B, "2025-06-01", 99),
    _insp("DC360823-0003", S4, B, "2026-02-01", 50),
    _insp("DC360881-0001", S5, D, "2026-08-01", 70),
]

P1, P2, P3, P4 = "LXD360822-001", "LXD360822-002", "LXD360823-001", "LXD360881-001"


def _point(point_id, role, district, etype, eid, since):
    return dict(point_id=point_id, leader_role=role, district=district, entity_type=etype, entity_id=eid, since=since)


ROWS["contact_points"] = [
    _point(P1, "市委书记", A, "enterprise", "QY360822-0001", "2025-01-01"),
    _point(P2, "县(市、区)委书记", A, "community", "360822400001", "2025-01-01"),
    _point(P3, "县(市、区)长", B, "enterprise", "QY360823-0004", "2026-08-01"),
    _point(P4, "市长", D, "community", "360881100001", "2026-10-01"),
]


def _visit(vid, point, district, date, kind):
    return dict(visit_id=vid, point_id=point, district=district, date=date, kind=kind)


ROWS["visits"] = [
    _visit("ZF360822-0001", P1, A, "2026-07-05", "调研"),
    _visit("ZF360822-0002", P1, A, "2026-08-20", "督查"),
    _visit("ZF360822-0003", P1, A, "2026-09-30", "指导"),
    _visit("ZF360822-0004", P2, A, "2026-06-30", "调研"),
    _visit("ZF360822-0005", P2, A, "2026-10-01", "督查"),
    _visit("ZF360823-0001", P3, B, "2026-09-15", "调研"),
    _visit("ZF360881-0001", P4, D, "2026-10-20", "指导"),
]

# Pairings by form (city): 组织共建 2 pairings / 6 activities; 资源共享 1 / 3; 事业共创 1 / 10 (城乡社区).
ROWS["pairings"] = [
    dict(pairing_id="JD360822-001", helper="市委组织部机关党支部", helper_kind="机关党组织", org_id="DZ360822-00001",
         district=A, form="组织共建", since="2024-05-01", activities=6),
    dict(pairing_id="JD360822-002", helper="园区村党支部", helper_kind="农村党组织", org_id="DZ360822-00002",
         district=A, form="资源共享", since="2025-03-01", activities=3),
    dict(pairing_id="JD360822-003", helper="市交投集团党委", helper_kind="国企党组织", org_id="DZ360822-00004",
         district=A, form="组织共建", since="2026-09-01", activities=0),
    dict(pairing_id="JD360823-001", helper="县商务局机关党支部", helper_kind="机关党组织", org_id=ORG_B,
         district=B, form="事业共创", since="2023-01-01", activities=10),
]  # fmt: skip


def _venue(vid, org, district, status, area, funds):
    keys = ("fund_budget", "fund_dues", "fund_dept", "fund_self", "fund_market")
    return dict(venue_id=vid, org_id=org, district=district, status=status, area_m2=area, **dict(zip(keys, funds)))


# Venues: funding 15 / 2 / 8 / 5 / 10 = 40 万元 (37.5 %, 5 %, 20 %, 12.5 %, 25 %).
ROWS["venues"] = [
    _venue("ZD360822-0001", "DZ360822-00001", A, "已建成", 120, (10, 2, 3, 5, 0)),
    _venue("ZD360822-0002", "DZ360822-00002", A, "在建", 80, (5, 0, 5, 0, 0)),
    _venue("ZD360823-0001", ORG_B, B, "规划", 200, (0, 0, 0, 0, 10)),
]


def _cadre(cid, org, district, role, selection, origin, hours, band, rating):
    return dict(
        cadre_id=cid,
        org_id=org,
        district=district,
        role=role,
        selection=selection,
        origin=origin,
        training_hours=hours,
        pay_band=band,
        rating=rating,
    )


# Cadres: 7 in the city (6 in A, 1 in B); training hours 240 in all, A 180 (mean 30.0).
ROWS["cadres"] = [
    _cadre("GB360822-0001", "DZ360822-00001", A, "书记", "公推直选", "企业职工", 40, "一档", "好"),
    _cadre("GB360822-0002", "DZ360822-00001", A, "副书记", "公推直选", "大中专毕业生", 32, "二档", "较好"),
    _cadre("GB360822-0003", "DZ360822-00002", A, "书记", "引导留用", "企业职工", 24, "二档", "好"),
    _cadre("GB360822-0004", "DZ360822-00002", A, "委员", "公开选聘", "下岗失业人员", 16, "三档", "一般"),
    _cadre("GB360822-0005", "DZ360822-00004", A, "书记", "机关下派", "机关干部", 48, "一档", "好"),
    _cadre("GB360822-0006", "DZ360822-00004", A, "委员", "公开选聘", "复员退伍军人", 20, "三档", "差"),
    _cadre("GB360823-0001", ORG_B, B, "书记", "公推直选", "企业职工", 60, "一档", "较好"),
]


def _act(district, period, zone, carrier, count):
    return dict(district=district, period=period, zone=zone, carrier=carrier, count=count, participants=count * 10)


# Activities in 2026Q3: A 8 (5 + 3), B 2, D 7; A had 4 in 2026Q2.
ROWS["activities"] = [
    _act(A, "2026Q3", "工业园区", "党员设岗定责", 5),
    _act(A, "2026Q3", "城乡社区", "党员责任区", 3),
    _act(A, "2026Q2", "工业园区", "党员设岗定责", 4),
    _act(B, "2026Q3", "城乡社区", "星级社区", 2),
    _act(D, "2026Q3", "城乡社区", "党员义工", 7),
]


S6, S7 = "SF360881-002", "SF360881-003"
STAGE_ROWS = copy.deepcopy(ROWS)
STAGE_ROWS["demo_sites"] += [
    _site(S6, "城乡社区", D, "community", "360881100001", "市长", "命名", "2025-10-01"),
    _site(S7, "城乡社区", D, "community", "360881100001", "市长", "命名", "2025-10-01"),
]
STAGE_ROWS["milestones"] += [
    _m(S6, 1, "培育", "2026-01-01"),
    _m(S6, 2, "培育", "2026-02-01", "2026-01-20"),
    _m(S6, 3, "建设", "2026-04-01", "2026-03-30"),
    _m(S6, 4, "验收", "2026-07-01", "2026-06-25"),
    _m(S6, 5, "命名", "2026-10-01", "2026-09-28"),
    _m(S7, 1, "培育", "2026-01-01", "2025-12-20"),
    _m(S7, 2, "建设", "2027-05-01"),
]

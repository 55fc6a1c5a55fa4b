"""Demo registers of the long-term mechanisms: demonstration sites, contact points,
pairings, venues, cadres and activities (演示数据, fixed seed)."""

import datetime as dt
from typing import NamedTuple

from sanqu.ingest.registers import ZONES

DEMO_TODAY = dt.date(2026, 11, 26)  # the demo's "now": milestones done before it, visits up to it
MILESTONES = (
    ("培育", "确定创建方案"),
    ("培育", "配强党组织班子"),
    ("建设", "建成标准化活动阵地"),
    ("建设", "建立党员设岗定责制度"),
    ("建设", "开展特色载体活动"),
    ("验收", "县级初验"),
    ("验收", "市级验收"),
    ("命名", "命名授牌"),
)
EVIDENCE = (
    "阵地标识",
    "党员名册(脱敏)",
    "三会一课记录",
    "党员示范岗",
    "活动台账",
    "党务公开栏",
    "制度上墙",
    "经费使用凭证",
)
CITY_ROLES = ("市委书记", "市长", "市委副书记", "市委组织部部长", "市委常委", "副市长")
COUNTY_ROLES = ("县(市、区)委书记", "县(市、区)长", "县(市、区)委组织部部长", "县(市、区)委副书记")


def _iso(day: dt.date) -> str:
    return day.isoformat()


CARRIERS = {
    "工业园区": ("党员设岗定责", "党员示范岗", "亮明身份承诺服务", "三培两推"),
    "城乡社区": ("党员责任区", "党员义工", "亮明身份承诺服务", "三培两带", "星级社区"),
    "旅游景区": ("党员示范岗", "亮明身份承诺服务", "一弘扬三创优"),
}


class _Host(NamedTuple):
    """A candidate host of a site or a contact point."""

    zone: str
    district: str
    entity_type: str
    entity_id: str
    name: str


def _hosts(g) -> tuple[list[_Host], list[_Host], list[_Host]]:
    """Candidates for sites and points: above-scale enterprises, communities, scenic sites."""
    ents = [
        _Host("工业园区", e["district"], "enterprise", e["enterprise_id"], e["name"])
        for e in g.rows["enterprises"]
        if e["scale"] == "规上"
    ]
    comms = [_Host("城乡社区", c["district"], "community", c["community_id"], c["name"]) for c in g.rows["communities"]]
    scenic = [_Host("旅游景区", s["district"], "scenic", s["scenic_id"], s["name"]) for s in g.rows["scenic_sites"]]
    return ents, comms, scenic


def mechanisms(g) -> None:
    ents, comms, scenic = _hosts(g)
    today = DEMO_TODAY
    hosts = _sample(g, ents, 18) + _sample(g, comms, 20) + _sample(g, scenic, 10)
    for zone, district, etype, eid, name in hosts:
        _site(g, zone, district, etype, eid, name, today)
    for _zone, district, etype, eid, _name in _sample(g, ents, 25) + _sample(g, comms, 30) + _sample(g, scenic, 12):
        _contact_point(g, district, etype, eid, today)
    _pairings(g)
    _venues_and_cadres(g)
    _activities(g)


def _sample(g, population: list, base: int) -> list:
    """Ji'an's sample of `base`; elsewhere scaled to the region's size."""
    return g.rng.sample(population, g.cal.sample_size(base, len(population)))


def _site(g, zone, district, etype, eid, name, today) -> None:
    site_id = g.next_id("SF", district, 3)
    started = g.day_between(dt.date(2024, 3, 1), dt.date(2026, 3, 1))
    n = g.rng.randint(4, len(MILESTONES))
    steps = MILESTONES[:n]
    due = started
    last_done_stage = "培育"
    rows: list[dict[str, object]] = []
    for seq, (stage, title) in enumerate(steps, 1):
        due = due + dt.timedelta(days=g.rng.randint(45, 120))
        done = ""
        if due < today and g.rng.random() < 0.93:
            done = _iso(due + dt.timedelta(days=g.rng.randint(-30, 20)))
            done = done if done <= today.isoformat() else ""
        elif due >= today and g.rng.random() < 0.2:
            done = _iso(g.day_between(started, today))
        if done and all(r["done"] for r in rows):
            last_done_stage = stage
        rows.append(dict(site_id=site_id, seq=seq, title=title, stage=stage, due=_iso(due), done=done))
    g.rows["milestones"].extend(rows)
    leader = g.rng.choice(CITY_ROLES if g.rng.random() < 0.35 else COUNTY_ROLES)
    g.rows["demo_sites"].append(
        dict(
            site_id=site_id,
            name=f"{name}党建示范点",
            zone=zone,
            district=district,
            entity_type=etype,
            entity_id=eid,
            leader_role=leader,
            stage=last_done_stage,
            started=_iso(started),
        )
    )
    day = started
    while True:
        day = day + dt.timedelta(days=g.rng.randint(40, 200))
        if day > today:
            break
        checked = "；".join(g.rng.sample(EVIDENCE, g.rng.randint(2, 5)))
        g.rows["inspections"].append(
            dict(
                inspection_id=g.next_id("DC", district, 4),
                site_id=site_id,
                district=district,
                date=_iso(day),
                inspector_role=g.rng.choice(("市委组织部督查组", "县委组织部督查组", "三区党建领导小组办公室")),
                score=round(g.rng.uniform(68, 98), 1),
                evidence=checked,
            )
        )


def _contact_point(g, district, etype, eid, today) -> None:
    point_id = g.next_id("LXD", district, 3)
    since = g.day_between(dt.date(2023, 1, 1), g.start)
    role = g.rng.choice(CITY_ROLES if g.rng.random() < 0.3 else COUNTY_ROLES)
    g.rows["contact_points"].append(
        dict(
            point_id=point_id, leader_role=role, district=district, entity_type=etype, entity_id=eid, since=_iso(since)
        )
    )
    keen = g.rng.random()
    day = since
    while True:
        day = day + dt.timedelta(days=int(g.rng.uniform(25, 160) / (0.4 + keen)))
        if day > today:
            break
        g.rows["visits"].append(
            dict(
                visit_id=g.next_id("ZF", district, 4),
                point_id=point_id,
                district=district,
                date=_iso(day),
                kind=g.rng.choice(("调研", "督查", "指导")),
            )
        )


def _pairings(g) -> None:
    orgs = [o for o in g.rows["party_orgs"] if o["zone"] in ZONES.values() and o["level"] == "党支部"]
    organs = (
        "市委组织部机关党支部",
        "市发改委机关党支部",
        "市工信局机关党支部",
        "市文广新旅局机关党支部",
        "市人社局机关党支部",
        "县委组织部机关党支部",
        "县商务局机关党支部",
        "县住建局机关党支部",
        g.cal.power_company,
        "市交投集团党委",
    )
    for o in _sample(g, orgs, 140):
        kind = g.rng.choices(("机关党组织", "农村党组织", "国企党组织"), (6, 3, 2))[0]
        helper = (
            g.rng.choice(organs)
            if kind != "农村党组织"
            else g.rng.choice(g.rows["communities"])["name"].replace("委员会", "") + "党支部"
        )
        g.rows["pairings"].append(
            dict(
                pairing_id=g.next_id("JD", o["district"], 3),
                helper=helper,
                helper_kind=kind,
                org_id=o["org_id"],
                district=o["district"],
                form=g.rng.choice(("组织共建", "党员共管", "经验共鉴", "资源共享", "事业共创")),
                since=_iso(g.day_between(dt.date(2022, 1, 1), dt.date(2026, 6, 30))),
                activities=g.rng.randint(0, 24),
            )
        )


def _venues_and_cadres(g) -> None:
    orgs = [o for o in g.rows["party_orgs"] if o["zone"] in ZONES.values()]
    for o in _sample(g, orgs, 900):
        total = g.rng.uniform(2, 60)
        mix = [g.rng.random() for _ in range(5)]
        mix = [round(total * m / sum(mix), 2) for m in mix]
        g.rows["venues"].append(
            dict(
                venue_id=g.next_id("ZD", o["district"], 4),
                org_id=o["org_id"],
                district=o["district"],
                status=g.rng.choices(("已建成", "在建", "规划"), (7, 2, 1))[0],
                area_m2=round(g.rng.uniform(30, 600), 1),
                fund_budget=mix[0],
                fund_dues=mix[1],
                fund_dept=mix[2],
                fund_self=mix[3],
                fund_market=mix[4],
            )
        )
    for o in _sample(g, orgs, 1400):
        for role in ("书记", "副书记", "委员")[: g.rng.randint(1, 3)]:
            g.rows["cadres"].append(
                dict(
                    cadre_id=g.next_id("GB", o["district"], 4),
                    org_id=o["org_id"],
                    district=o["district"],
                    role=role,
                    selection=g.rng.choices(("公推直选", "引导留用", "公开选聘", "机关下派"), (4, 3, 2, 1))[0],
                    origin=g.rng.choices(
                        ("企业职工", "大中专毕业生", "下岗失业人员", "复员退伍军人", "机关干部"), (5, 2, 1, 1, 1)
                    )[0],
                    training_hours=g.rng.randint(8, 72),
                    pay_band=g.rng.choice(("一档", "二档", "三档")),
                    rating=g.rng.choices(("好", "较好", "一般", "差"), (5, 4, 2, 0.3))[0],
                )
            )


def _activities(g) -> None:
    for district in g.cal.counties:
        for i, period in enumerate(g.periods):
            for zone, carriers in CARRIERS.items():
                for carrier in carriers:
                    if carrier == "一弘扬三创优" and district not in g.cal.tourism_counties:
                        continue
                    base = g.rng.randint(3, 40) + 2 * i
                    if carrier == "一弘扬三创优" and district == g.cal.tourism_lead:
                        base *= 3
                    g.rows["activities"].append(
                        dict(
                            district=district,
                            period=period,
                            zone=zone,
                            carrier=carrier,
                            count=base,
                            participants=base * g.rng.randint(8, 30),
                        )
                    )

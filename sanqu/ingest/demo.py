"""Deterministic demo registers (演示数据) on the deployed region's real geography.

Real: county codes and shapes, the township units, villages and communities and development
zones of the region pack (Ji'an: its 252 townships, 2,967 villages and communities, 14 zones and
named scenic sites). Generated (fixed seed): every enterprise, organisation, figure and date,
and outside Ji'an every scenic area (named with the suffix （演示）). Ji'an is calibrated to the
report (1,670+ enterprises, 242,000+ employees, every above-scale non-public enterprise
covered); any other region draws its figures from the seed (sanqu.ingest.demo_region).
"""

import csv
import datetime as dt
import math
import random
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sanqu import geography, periods
from sanqu.ingest.demo_region import GENERATED, JIAN, Calibration, calibration
from sanqu.ingest.folder import DEMO_MARKER, file_hash
from sanqu.ingest.registers import REGISTERS

SEED = 3608
FIRST_PERIOD, LAST_PERIOD = "2024Q4", "2026Q3"
PERIODS = periods.span(FIRST_PERIOD, LAST_PERIOD)
START = periods.start_date(FIRST_PERIOD)
DATA_DATE = periods.end_date(LAST_PERIOD)
INDUSTRIES = ("电子信息", "装备制造", "新材料", "生物医药", "绿色食品", "纺织服装", "精细化工", "家居建材")
NAME_HEADS = tuple("恒鑫华达盛泰瑞丰宏远安庐陵赣江井冈青原金银博创凯德嘉信和新天明光宇海")
NAME_TAILS = {
    "电子信息": ("电子科技", "光电", "智能科技", "线路板", "通信技术"),
    "装备制造": ("机械制造", "精密机械", "汽车部件", "装备科技", "电机"),
    "新材料": ("新材料", "复合材料", "化学建材", "合金材料"),
    "生物医药": ("生物科技", "药业", "医疗器械", "健康产业"),
    "绿色食品": ("食品", "农业开发", "茶业", "粮油"),
    "纺织服装": ("纺织", "服饰", "鞋业", "制衣"),
    "精细化工": ("化工", "涂料", "精细化学品"),
    "家居建材": ("家居", "陶瓷", "木业", "建材"),
}
SPOT_SUFFIXES = ("游客中心", "古街", "观景台", "纪念馆", "民宿区", "索道站", "古村落", "漂流点", "研学基地", "湿地公园")


def _d(day: dt.date) -> str:
    return day.isoformat()


class _Gen:
    def __init__(self, seed: int = SEED, only: Collection[str] | None = None):
        self.rng = random.Random(seed)
        self.cal: Calibration = calibration(seed, only)
        self.counties = set(self.cal.counties)
        self.rows: dict[str, list[dict]] = {r.name: [] for r in REGISTERS}
        self.counters: dict[str, int] = {}
        self.townships = geography.townships().set_index("code")
        self.periods, self.start = PERIODS, START

    def next_id(self, prefix: str, district: str, width: int) -> str:
        key = prefix + district
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{prefix}{district}-{self.counters[key]:0{width}d}"

    def day_between(self, a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=self.rng.randint(0, max(0, (b - a).days)))

    def jitter(self, lon: float, lat: float, km: float) -> tuple[float, float]:
        return (round(lon + self.rng.uniform(-km, km) / 99, 5), round(lat + self.rng.uniform(-km, km) / 111, 5))

    def org(self, district, name, level, zone, form, parent, members, founded, trade="", dissolved=""):
        org_id = self.next_id("DZ", district, 5)
        self.rows["party_orgs"].append(
            dict(
                org_id=org_id,
                name=name,
                level=level,
                parent_id=parent or "",
                zone=zone,
                district=district,
                form=form,
                trade=trade,
                members=members,
                founded=_d(founded),
                dissolved=dissolved,
            )
        )
        return org_id

    def cover(self, org_id, entity_type, entity_id, since):
        self.rows["org_coverage"].append(
            dict(org_id=org_id, entity_type=entity_type, entity_id=entity_id, since=_d(since))
        )


def _geography(g: _Gen) -> None:
    for code, name in geography.DISTRICTS.items():
        if code in g.counties:
            g.rows["districts"].append(dict(district=code, name=name))
    for t in _townships(g):
        g.rows["townships"].append(
            dict(
                code=t.code,
                name=t.name,
                district=t.district,
                lon=round(t.lon, 5),
                lat=round(t.lat, 5),
                coord_method=t.coord_method,
            )
        )


def _townships(g: _Gen) -> list:
    return [t for t in geography.townships().itertuples() if t.district in g.counties]


def _parks(g: _Gen) -> list[dict]:
    parks = []
    for p in geography.places().query("kind == 'park'").itertuples():
        if p.district_adcode not in g.counties:
            continue
        town = g.townships.loc[p.code]
        row = dict(
            park_id=p.code,
            name=p.name.split("（")[0],
            district=p.district_adcode,
            level="国家级" if p.code in g.cal.national else "省级",
            lon="" if p.lon != p.lon else p.lon,
            lat="" if p.lat != p.lat else p.lat,
        )
        g.rows["parks"].append(row)
        parks.append(dict(row, plon=row["lon"] or town.lon, plat=row["lat"] or town.lat))
    return parks


def _enterprise_name(g: _Gen, park: dict, industry: str, used: set) -> str:
    place = geography.district_name(park["district"]).rstrip("区县市")
    while True:
        head = "".join(g.rng.sample(NAME_HEADS, 2))
        name = f"{place}{head}{g.rng.choice(NAME_TAILS[industry])}有限公司"
        if name not in used:
            used.add(name)
            return name


def _enterprises(g: _Gen, parks: list[dict]) -> list[dict]:
    weights = [g.cal.park_weight.get(p["park_id"], 1.0) for p in parks]
    total = g.cal.enterprises
    per_park = [round(total * w / sum(weights)) for w in weights]
    used: set = set()
    out = []
    for park, n in zip(parks, per_park):
        industries = g.rng.sample(INDUSTRIES, 4)
        for _ in range(n):
            industry = g.rng.choices(industries, weights=(4, 3, 2, 1))[0]
            above = g.rng.random() < 0.31
            employees = int(g.rng.lognormvariate(5.65 if above else 3.85, 0.55))
            employees = max(employees, 20 if above else 5)
            members = min(employees // 8, int(employees * g.rng.uniform(0.005, 0.035)) + g.rng.randint(0, 2))
            ownership = g.rng.choices(
                ("私营", "外商投资", "港澳台投资", "股份制", "国有", "集体"), (72, 6, 5, 8, 6, 3)
            )[0]
            entered = dt.date(2008, 1, 1) + dt.timedelta(days=g.rng.randint(0, 6200))
            if g.rng.random() < 0.08:
                entered = g.day_between(START, DATA_DATE)
            closed = ""
            if g.rng.random() < 0.035:
                closed = _d(
                    g.day_between(max(entered, START) + dt.timedelta(days=60), DATA_DATE + dt.timedelta(days=300))
                )
                closed = "" if closed > _d(DATA_DATE) else closed
            lon, lat = _maybe_unplaced(g, *g.jitter(park["plon"], park["plat"], 2.2), 0.12)
            e = dict(
                enterprise_id=g.next_id("QY", park["district"], 4),
                name=_enterprise_name(g, park, industry, used),
                park_id=park["park_id"],
                district=park["district"],
                township=park["park_id"],
                industry=industry,
                ownership=ownership,
                scale="规上" if above else "规下",
                employees=employees,
                members=members,
                entered=_d(entered),
                closed=closed,
                lon=lon,
                lat=lat,
            )
            g.rows["enterprises"].append(e)
            out.append(e)
    return out


def _maybe_unplaced(g: _Gen, lon: float, lat: float, share: float) -> tuple[float | str, float | str]:
    """The point, or, with chance `share`, none (blank cells: the register does not give it)."""
    return ("", "") if g.rng.random() < share else (lon, lat)


def _covered_from(g: _Gen, e: dict, share: float) -> dt.date | None:
    """When a below-scale enterprise came under an organisation (None = never)."""
    entered = dt.date.fromisoformat(e["entered"])
    if g.rng.random() > share:
        return None
    # a third of the coverage at the end of the series was added during it
    if g.rng.random() < 0.3:
        return max(entered, g.day_between(START, DATA_DATE))
    return max(entered, g.day_between(dt.date(2016, 1, 1), START - dt.timedelta(days=1)))


# an enterprise on its way into a joint branch: (enterprise, covered since, parent organisation)
_Member = tuple[dict, dt.date, str]
_Pools = dict[tuple[str, str, int], list[_Member]]  # (park_id, form, year covered) -> members


def _park_parents(g: _Gen, parks: list[dict], ents: list[dict]) -> dict[tuple[str, str], str]:
    """Each park's Party working committee (党工委), then under it one general branch (党总支) per
    industry of its enterprises: {(park_id, industry): general branch}."""
    base = dt.date(2015, 3, 1)
    gongwei, zongzhi = {}, {}
    for p in parks:
        gongwei[p["park_id"]] = g.org(
            p["district"], f"{p['name']}党工委", "党工委", "工业园区", "区域统筹", "", 0, base
        )
    for e in ents:
        key = (e["park_id"], e["industry"])
        if key not in zongzhi:
            park = next(p for p in parks if p["park_id"] == e["park_id"])
            zongzhi[key] = g.org(
                park["district"],
                f"{park['name']}{e['industry']}产业党总支",
                "党总支",
                "工业园区",
                "区域统筹",
                gongwei[e["park_id"]],
                0,
                dt.date(2017, 6, 1),
            )
    return zongzhi


def _own_branch(g: _Gen, e: dict, parent: str, since: dt.date) -> None:
    org = g.org(e["district"], f"{e['name']}党支部", "党支部", "工业园区", "单独组建", parent, e["members"], since)
    g.cover(org, "enterprise", e["enterprise_id"], since)


def _always_covered(g: _Gen, e: dict, parent: str, pools: _Pools) -> None:
    """An above-scale or public enterprise: its own branch with 3 members or more, else a joint one."""
    entered = dt.date.fromisoformat(e["entered"])
    public = e["ownership"] in ("国有", "集体")
    since = max(entered, dt.date(2020, 1, 1) + dt.timedelta(days=g.rng.randint(0, 1500))) if not public else entered
    if e["scale"] == "规上":
        since = min(since, max(entered, START - dt.timedelta(days=30)))
    if e["members"] >= 3:
        _own_branch(g, e, parent, since)
    else:
        pools.setdefault((e["park_id"], "企企合建", since.year), []).append((e, since, parent))


def _maybe_covered(
    g: _Gen,
    e: dict,
    parent: str,
    pools: _Pools,
    association: dict[str, list[_Member]],
) -> None:
    """A below-scale private enterprise: covered or not by its district's share; then its own
    branch, a joint branch in its park, or an industry association's branch."""
    since = _covered_from(g, e, g.cal.cover[e["district"]])
    if since is None:
        return
    if e["members"] >= 3 and g.rng.random() < 0.75:
        _own_branch(g, e, parent, since)
        return
    form = g.rng.choices(("企企合建", "村企共建", "企会联建"), (5, 3, 2))[0]
    if form == "企会联建" and g.rng.random() < 0.25:
        association.setdefault(e["industry"], []).append((e, since, parent))
    else:
        pools.setdefault((e["park_id"], form, since.year), []).append((e, since, parent))


def _joint_branches(
    g: _Gen,
    parks: list[dict],
    pools: _Pools,
    association: dict[str, list[_Member]],
) -> None:
    """Joint branches of up to 5 enterprises per park, form and year; of up to 6 per association."""
    names = {p["park_id"]: p for p in parks}
    for (park_id, form, _year), members in sorted(pools.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        for i in range(0, len(members), 5):
            _joint(
                g,
                names[park_id]["district"],
                f"{names[park_id]['name']}{form}联合党支部{i // 5 + 1}",
                form,
                members[i : i + 5],
            )
    for industry, members in sorted(association.items()):
        # city-wide industry associations: their joint branches span parks and districts
        for i in range(0, len(members), 6):
            name = f"{g.cal.region_name}{industry}行业协会联合党支部{i // 6 + 1}"
            _joint(g, g.cal.association_district, name, "企会联建", members[i : i + 6])


def _park_orgs(g: _Gen, parks: list[dict], ents: list[dict]) -> None:
    """The parks' organisations and the enterprises they cover."""
    zongzhi = _park_parents(g, parks, ents)
    pools: _Pools = {}
    association: dict[str, list[_Member]] = {}
    for e in ents:
        parent = zongzhi[(e["park_id"], e["industry"])]
        if e["scale"] == "规上" or e["ownership"] in ("国有", "集体"):
            _always_covered(g, e, parent, pools)
        else:
            _maybe_covered(g, e, parent, pools, association)
    _joint_branches(g, parks, pools, association)


def _joint(g: _Gen, district: str, name: str, form: str, members: list[_Member]) -> None:
    founded = min(s for _, s, _ in members)
    org = g.org(
        district, name, "党支部", "工业园区", form, members[0][2], sum(e["members"] for e, _, _ in members), founded
    )
    for e, since, _ in members:
        g.cover(org, "enterprise", e["enterprise_id"], since)


def _instructors(g: _Gen, ents: list[dict]) -> None:
    covered = {c["entity_id"] for c in g.rows["org_coverage"] if c["entity_type"] == "enterprise"}
    for e in ents:
        if e["ownership"] in ("国有", "集体"):
            continue
        share = 0.55 if e["enterprise_id"] not in covered else 0.25
        if g.rng.random() < share:
            start = max(dt.date.fromisoformat(e["entered"]), g.day_between(dt.date(2021, 1, 1), DATA_DATE))
            end = ""
            if g.rng.random() < 0.1:
                end = _d(min(DATA_DATE, start + dt.timedelta(days=g.rng.randint(90, 600))))
            g.rows["instructors"].append(
                dict(
                    assignment_id=g.next_id("ZDY", e["district"], 4),
                    entity_type="enterprise",
                    entity_id=e["enterprise_id"],
                    district=e["district"],
                    source=g.rng.choice(("机关干部", "园区党工委", "退休干部", "乡镇干部")),
                    start=_d(start),
                    end=end,
                )
            )


def _communities(g: _Gen) -> None:
    township_org = {}
    for t in _townships(g):
        township_org[t.code] = g.org(
            t.district, f"{t.name}党(工)委", "党委", "乡镇", "区域统筹", "", 0, dt.date(2000, 1, 1)
        )
    for v in geography.villages().itertuples():
        if v.district not in g.counties:
            continue
        rural = v.name.endswith(("村委会", "村民委员会"))
        virtual = "虚拟" in v.name
        g.rows["communities"].append(
            dict(
                community_id=v.code,
                name=v.name,
                township=v.township,
                district=v.district,
                kind="农村社区" if rural else "城市社区",
                area_km2=round(g.rng.uniform(3, 25) if rural else g.rng.uniform(0.3, 6), 2),
            )
        )
        members = int(g.rng.uniform(25, 130) if rural else g.rng.uniform(20, 320))
        big = members >= 100 or (rural and members >= 70)
        if virtual:
            level = None
        elif big and g.rng.random() < 0.7:
            level = "党委" if members >= 200 else "党总支"
        else:
            level = "党支部"
        if level:
            org = g.org(
                v.district,
                v.name.replace("委员会", "").replace("居民", "").replace("村民", "村") + level,
                level,
                "城乡社区",
                "单独组建",
                township_org[v.township],
                members,
                dt.date(2000, 1, 1),
            )
            g.cover(org, "community", v.code, dt.date(2000, 1, 1))
        _community_stats(g, v.code, g.cal.cover[v.district], rural, members)


def _community_stats(g: _Gen, code: str, cover: float, rural: bool, members: int) -> None:
    r = g.rng
    households = int(r.uniform(180, 900) if rural else r.uniform(600, 5200))
    quarters = r.randint(3, 12) if rural else r.randint(2, 16)
    buildings = r.randint(5, 20) if rural else r.randint(15, 220)
    two_new = r.randint(0, 4) if rural else r.randint(2, 30)
    target = min(0.97, cover + r.uniform(-0.1, 0.15))
    stars0 = r.choices((0, 1, 2, 3, 4, 5), (3, 2, 4, 5, 3, 1))[0]
    for i, period in enumerate(PERIODS):
        share = target - 0.22 * (len(PERIODS) - 1 - i) / (len(PERIODS) - 1)
        q_cov = round(quarters * max(0.0, share))
        q_own = round(q_cov * 0.6)
        t_cov = round(two_new * max(0.0, share - 0.08))
        t_own = round(t_cov * 0.45)
        year_bonus = 1 if period >= "2025Q4" and r.random() < 0.08 else 0
        stars = min(5, stars0 + year_bonus) if i else stars0
        stars0 = stars
        g.rows["community_stats"].append(
            dict(
                community_id=code,
                district=code[:6],
                period=period,
                households=households + 3 * i,
                members=members + (i // 3),
                quarters=quarters,
                quarters_own=q_own,
                quarters_joint=q_cov - q_own,
                quarters_liaison=min(quarters - q_cov, r.randint(0, 2)),
                buildings=buildings,
                buildings_group=round(buildings * max(0.0, share - 0.15)),
                two_new=two_new,
                two_new_own=t_own,
                two_new_joint=t_cov - t_own,
                two_new_liaison=min(two_new - t_cov, r.randint(0, 1)),
                stars=stars,
            )
        )


class _Area(NamedTuple):
    """A scenic area to generate: a named scenic site, or a village's rural tourism spot."""

    name: str
    district: str
    level: str  # A level, or 未评级
    lon: float  # NaN: at its township's point
    lat: float
    township: str


@dataclass
class _Placed:
    """A scenic area as written, with what its spots (景点) take from it."""

    scenic_id: str
    name: str
    district: str
    township: str
    level: str
    opened: dt.date
    lon: float
    lat: float
    members: int
    org: str | None  # its own branch (3 members or more)
    joint: str | None = None  # the joint branch of its spots, founded with the first spot joining it


def _scenic_areas(g: _Gen) -> list[_Area]:
    """Ji'an's named scenic sites and 20 villages' rural tourism spots; elsewhere generated ones."""
    if not g.cal.is_jian:
        return _generated_scenic_areas(g)
    areas = []
    for p in geography.places().query("kind == 'scenic'").itertuples():
        level = p.level or "未评级"
        district = p.district_adcode
        town = _nearest_township(g, district, p.lon, p.lat)
        areas.append(_Area(p.name.split("（")[0].split(" /")[0], district, level, p.lon, p.lat, town))
    villages = geography.villages()
    rural = villages[villages.name.str.endswith("村委会")]
    for v in rural.sample(20, random_state=SEED).itertuples():
        name = v.name.removesuffix("村委会") + "村乡村旅游点"
        areas.append(_Area(name, v.district, g.rng.choice(("3A", "2A", "未评级")), math.nan, math.nan, v.township))
    return areas


def _generated_scenic_areas(g: _Gen) -> list[_Area]:
    """One to three invented scenic areas per county, each at a village of it and named after
    that village with the suffix （演示）: no list of real scenic sites exists in the pack."""
    villages = geography.villages()
    areas = []
    for county in g.cal.counties:
        here = villages[villages.district == county]
        rural = here[here.name.str.endswith("村委会")]
        pool = rural if len(rural) else here
        for v in pool.iloc[sorted(g.rng.sample(range(len(pool)), min(len(pool), g.rng.randint(1, 3))))].itertuples():
            level = g.rng.choices(("5A", "4A", "3A", "2A", "未评级"), (0.3, 2, 4, 2, 3))[0]
            stem = v.name.removesuffix("村民委员会").removesuffix("村委会").removesuffix("居委会")
            kind = "生态旅游区" if level in ("5A", "4A") else "乡村旅游点"
            areas.append(_Area(f"{stem}{kind}{GENERATED}", county, level, math.nan, math.nan, v.township))
    return areas


def _scenic_area(g: _Gen, a: _Area, village_orgs: dict[str, str]) -> None:
    """The area's row and its own branch, then its spots."""
    lon, lat = a.lon, a.lat
    if lon != lon:
        lon, lat = g.townships.loc[a.township, ["lon", "lat"]]
    big = a.level in ("5A", "4A")
    area_id = g.next_id("JQ", a.district, 3)
    opened = dt.date(1995 + g.rng.randint(0, 25), 5, 1)
    staff = g.rng.randint(300, 1500) if big else g.rng.randint(15, 200)
    area_members = g.rng.randint(12, 60) if big else g.rng.randint(0, 8)
    g.rows["scenic_sites"].append(
        dict(
            scenic_id=area_id,
            name=a.name,
            kind="景区",
            parent_id="",
            district=a.district,
            township=a.township,
            a_level=a.level,
            staff=staff,
            members=area_members,
            opened=_d(opened),
            lon=round(float(lon), 5),
            lat=round(float(lat), 5),
        )
    )
    area_org = None
    if area_members >= 3:
        area_org = g.org(
            a.district,
            f"{a.name}党{'总支' if big else '支部'}",
            "党总支" if big else "党支部",
            "旅游景区",
            "单独组建",
            "",
            area_members,
            opened,
        )
        g.cover(area_org, "scenic", area_id, opened)
    area = _Placed(
        area_id, a.name, a.district, a.township, a.level, opened, float(lon), float(lat), area_members, area_org
    )
    spots = g.rng.randint(3, 8) if big else g.rng.randint(0, 2)
    for suffix in g.rng.sample(SPOT_SUFFIXES, spots):
        _spot(g, area, suffix, village_orgs)


def _spot(g: _Gen, area: _Placed, suffix: str, village_orgs: dict[str, str]) -> None:
    """A spot's row, and, by its district's share, the branch that covers it."""
    spot_id = g.next_id("JQ", area.district, 3)
    point = g.jitter(area.lon, area.lat, 4)
    m = g.rng.randint(0, 6)
    slon, slat = _maybe_unplaced(g, *point, 0.2)
    g.rows["scenic_sites"].append(
        dict(
            scenic_id=spot_id,
            name=f"{area.name}·{suffix}",
            kind="景点",
            parent_id=area.scenic_id,
            district=area.district,
            township=area.township,
            a_level=area.level,
            staff=max(m, g.rng.randint(5, 120)),  # never fewer people than members
            members=m,
            opened=_d(area.opened + dt.timedelta(days=g.rng.randint(0, 4000))),
            lon=slon,
            lat=slat,
        )
    )
    if g.rng.random() > g.cal.cover[area.district] + 0.15:
        return
    since = g.day_between(dt.date(2019, 1, 1), DATA_DATE) if g.rng.random() < 0.6 else g.day_between(START, DATA_DATE)
    if m >= 3 and g.rng.random() < 0.5:
        org = g.org(
            area.district, f"{area.name}·{suffix}党支部", "党支部", "旅游景区", "单独组建", area.org or "", m, since
        )
    elif area.org and g.rng.random() < 0.6:
        if area.joint is None:
            area.joint = g.org(
                area.district,
                f"{area.name}景区联建党支部",
                "党支部",
                "旅游景区",
                "景区联建",
                area.org,
                area.members,
                since,
            )
        g.cover(area.joint, "scenic", spot_id, since)
        return
    else:
        org = _spot_joint_branch(g, area, suffix, m, since, village_orgs)
    g.cover(org, "scenic", spot_id, since)


def _spot_joint_branch(
    g: _Gen, area: _Placed, suffix: str, m: int, since: dt.date, village_orgs: dict[str, str]
) -> str:
    """A spot's branch joint with enterprises or with a village of its township (which it covers too)."""
    form = g.rng.choice(("景企联建", "景居联建"))
    org = g.org(
        area.district,
        f"{area.name}·{suffix}{form}党支部",
        "党支部",
        "旅游景区",
        form,
        area.org or "",
        m + g.rng.randint(2, 6),
        since,
    )
    if form == "景居联建" and area.township:
        host = next((c for c in village_orgs if c.startswith(area.township)), None)
        if host:
            g.cover(org, "community", host, since)
    return org


def _trade_branches(g: _Gen, districts: list[str]) -> None:
    """Each district's tourism trade branches (guides, hotels, leisure)."""
    for district in districts:
        for trade in ("导游", "宾馆酒店", "商业休闲"):
            g.org(
                district,
                f"{geography.district_name(district)}{trade}行业联合党支部",
                "党支部",
                "旅游景区",
                "行业联建",
                "",
                g.rng.randint(5, 40),
                g.day_between(dt.date(2018, 1, 1), DATA_DATE),
                trade=trade,
            )


def _scenic(g: _Gen) -> None:
    areas = _scenic_areas(g)
    village_orgs = {c["entity_id"]: c["org_id"] for c in g.rows["org_coverage"] if c["entity_type"] == "community"}
    for a in areas:
        _scenic_area(g, a, village_orgs)
    _trade_branches(g, sorted({a.district for a in areas}))


def _nearest_township(g: _Gen, district: str, lon, lat) -> str:
    towns = g.townships[g.townships.district == district]
    if lon is None or lon != lon:
        return towns.index[0]
    d = (towns.lon - lon) ** 2 + (towns.lat - lat) ** 2
    return d.idxmin()


def generate(seed: int = SEED, only: Collection[str] | None = None) -> dict[str, list[dict]]:
    """Every register of the deployed region (or of the counties `only`: a smaller demo)."""
    g = _Gen(seed, only)
    _geography(g)
    parks = _parks(g)
    ents = _enterprises(g, parks)
    _park_orgs(g, parks, ents)
    _instructors(g, ents)
    _communities(g)
    _scenic(g)
    from sanqu.ingest.demo_mechanisms import mechanisms

    mechanisms(g)
    return g.rows


def write_rows(out_dir: Path, rows: dict[str, list[dict]]) -> dict[str, int]:
    """Write registers as UTF-8 CSV with Chinese headers (a register not given: header only)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for reg in REGISTERS:
        with open(out_dir / reg.file, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow([f.label for f in reg.fields])
            for r in rows.get(reg.name, []):
                w.writerow([r.get(f.name, "") for f in reg.fields])
        counts[reg.name] = len(rows.get(reg.name, []))
    return counts


def write(out_dir: Path, seed: int = SEED, only: Collection[str] | None = None) -> dict[str, int]:
    """Write the demo registers (of the counties `only`, None = all) and the 演示数据 marker;
    returns row counts."""
    counts = write_rows(out_dir, generate(seed, only))
    hashes = "".join(f"{file_hash(out_dir / reg.file)}  {reg.file}\n" for reg in REGISTERS)
    (out_dir / DEMO_MARKER).write_text(
        "演示数据 (demo data): generated by `python -m sanqu demo` with a fixed seed. "
        "Place names and codes are real; every enterprise, organisation and figure is invented.\n"
        + ("" if geography.region_code() == JIAN else f"Scenic areas named …{GENERATED} are invented too.\n")
        + "Files as written by the generator:\n"
        + hashes,
        encoding="utf-8",
    )
    return counts

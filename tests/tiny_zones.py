"""The tiny registers (tests/tiny.py) extended for the zone pages, with hand-computed figures.

Districts A = 360822 and B = 360823, parks PA and PB (their township points: PA 115.1/27.2,
PB 115.3/27.6). Quarters in the store: 2025Q3 … 2026Q3 (community statistics for 2025Q3,
2026Q2 and 2026Q3).

Parks (added to tiny: coordinates, the tree, and E9 in PB with its own branch):
  2026Q3 city: non-public operating E1 E2 E3 E4 E5 E7 E9 = 7; own E1 E9 = 2;
  joint E2 E3 (J1 企企合建, registered in A, spans parks PA and PB) + E7 (J2 企会联建) = 3;
  covered 5; gaps E4 (规上, uncovered, 4 members, instructor) and E5 (规下); work 6;
  应建未建 E4 E7 = 2; above-scale E1 E4 E9 = 3 of which covered 2; ≥3 members E1 E4 E7 E9 = 4,
  with own 2. By park: PA 4 (own 1, joint 2, gap E5); PB 3 (own E9, joint E3, gap E4).
  2026Q2 city: 8 (E8 still open), covered 4 (J2 not yet founded).
  Nearest joint organisation: E4 (at PB's point) → J1 via E3 (115.31/27.6), ≈ 0.99 km;
  E5 (115.12/27.21) → J2 via E7 (115.121/27.21), ≈ 0.10 km in 2026Q3, and → J1 via
  E2 (115.10/27.20), ≈ 2.2 km in 2026Q2 (J2 founded 2026-08-01).
  Tree (2026Q3): GA → ZA → {E1 own, J1 (E2 E3), E6 own, J2 (E7)} = 5 enterprises, 12 members;
  GB → ZB → E9 own = 1 enterprise, 6 members.

Communities C1 … C6 (2026Q3): upgrade candidates C3 (150 members, 党支部) and C4
(25 km², 60 members, 党支部); C5 (120 members) has a 党总支 and so is fine; C6 (25 km²,
40 members) is not big; C2 has no organisation of its own (a 景居联建 branch covers it).
  grid: quarters 37 (covered 24), buildings 190 (with a group 100), two-new 36 (covered 25);
  village quarters (C2 C4 C6) 17, covered 8. Stars now 3 3 4 2 5 0; 2026Q2 3 3 3 3 5 0;
  2025Q3 2 3 2 1 4 0.

Scenic (2026Q3): S1 (5A area, own 党总支), S2 (5A spot, 景区联建 since 2026-05-01),
S3 (5A spot, 4 members, uncovered), S4 (unrated area, 景居联建), S5 (unrated spot, opened
2026-07-01, uncovered): 5, own 1, joint 2, gaps 2, 应建未建 1. Trade organisations active:
导游 (12 members), 宾馆酒店 (8, founded 2026-08-01); 商业休闲 dissolved 2026-03-31.
一弘扬三创优: 井冈山 30 times / 600 participations, A 10 / 150 (2026Q3); 井冈山 24 / 480
(2026Q2) and 12 / 200 (2025Q3).
"""

import copy

from tests import tiny
from tests.tiny import PA, PB, A, B

JGS = "360881"
C1, C2 = "360822400001", "360823400001"
C3, C4, C5, C6 = "360822400002", "360823400002", "360822400003", "360823400003"
E = {i: f"QY{A if i in (1, 2, 5, 6, 7) else B}-000{i}" for i in range(1, 10)}
J1, J2 = "DZ360822-00002", "DZ360822-00004"
GA, ZA, GB, ZB = "DZ360822-00010", "DZ360822-00011", "DZ360823-00001", "DZ360823-00002"
E9_ORG = "DZ360823-00003"
COORDS = {2: (115.10, 27.20), 3: (115.31, 27.60), 5: (115.12, 27.21), 7: (115.121, 27.21)}


def _org(oid, district, name, level, zone, form, members, founded, parent="", trade="", dissolved=""):
    return dict(
        org_id=oid,
        name=name,
        level=level,
        parent_id=parent,
        zone=zone,
        district=district,
        form=form,
        trade=trade,
        members=members,
        founded=founded,
        dissolved=dissolved,
    )


def _stats(cid, district, period, members, stars, households=500, q=(4, 1, 1, 1), b=(10, 2), t=(2, 1, 0, 0)):
    return dict(
        community_id=cid,
        district=district,
        period=period,
        households=households,
        members=members,
        quarters=q[0],
        quarters_own=q[1],
        quarters_joint=q[2],
        quarters_liaison=q[3],
        buildings=b[0],
        buildings_group=b[1],
        two_new=t[0],
        two_new_own=t[1],
        two_new_joint=t[2],
        two_new_liaison=t[3],
        stars=stars,
    )


def _site(sid, name, kind, district, town, level, members, staff, opened, parent=""):
    return dict(
        scenic_id=sid,
        name=name,
        kind=kind,
        parent_id=parent,
        district=district,
        township=town,
        a_level=level,
        staff=staff,
        members=members,
        opened=opened,
        lon="",
        lat="",
    )


def _cover(org, etype, eid, since):
    return dict(org_id=org, entity_type=etype, entity_id=eid, since=since)


def rows() -> dict[str, list[dict]]:
    r = copy.deepcopy(tiny.ROWS)
    r["districts"].append(dict(district=JGS, name="井冈山市"))

    # parks: coordinates, a ninth enterprise in PB, the three-level tree
    for e in r["enterprises"]:
        i = int(e["enterprise_id"][-1])
        if i in COORDS:
            e["lon"], e["lat"] = COORDS[i]
    r["enterprises"].append(
        dict(tiny._ent(E[9], B, PB, "规上", 6, employees=150), name="峡江示范电子有限公司", industry="新材料")
    )
    for o in r["party_orgs"]:
        o["parent_id"] = ZA
    r["party_orgs"] += [
        _org(GA, A, "吉水县工业园区党工委", "党工委", "工业园区", "区域统筹", 0, "2015-01-01"),
        _org(ZA, A, "吉水县工业园区电子信息产业党总支", "党总支", "工业园区", "区域统筹", 0, "2016-01-01", GA),
        _org(GB, B, "峡江县工业园区党工委", "党工委", "工业园区", "区域统筹", 0, "2015-01-01"),
        _org(ZB, B, "峡江县工业园区新材料产业党总支", "党总支", "工业园区", "区域统筹", 0, "2016-01-01", GB),
        _org(E9_ORG, B, "峡江示范电子有限公司党支部", "党支部", "工业园区", "单独组建", 6, "2020-01-01", ZB),
    ]
    r["org_coverage"].append(_cover(E9_ORG, "enterprise", E[9], "2020-01-01"))

    # communities
    r["communities"] += [
        dict(community_id=C3, name="大社区居委会", township=PA, district=A, kind="城市社区", area_km2=2.0),
        dict(community_id=C4, name="大村村委会", township=PB, district=B, kind="农村社区", area_km2=25.0),
        dict(community_id=C5, name="新区社区居委会", township=PA, district=A, kind="城市社区", area_km2=1.0),
        dict(community_id=C6, name="小村村委会", township=PB, district=B, kind="农村社区", area_km2=25.0),
    ]
    for cid, district, name, level, members in (
        (C1, A, "园区社区党支部", "党支部", 40),
        (C3, A, "大社区党支部", "党支部", 150),
        (C4, B, "大村党支部", "党支部", 60),
        (C5, A, "新区社区党总支", "党总支", 120),
        (C6, B, "小村党支部", "党支部", 40),
    ):
        oid = f"DZ{district}-001{cid[-2:]}"
        r["party_orgs"].append(_org(oid, district, name, level, "城乡社区", "单独组建", members, "2000-01-01"))
        r["org_coverage"].append(_cover(oid, "community", cid, "2000-01-01"))
    # stars: tiny's C1 and C2 rows are 3 stars in 2026Q2 and 2026Q3; a year before:
    r["community_stats"] += [
        _stats(C1, A, "2025Q3", 40, 2, q=(4, 1, 0, 1)),
        _stats(C2, B, "2025Q3", 40, 3, q=(4, 0, 0, 1)),
    ]
    big = dict(households=3000, q=(10, 5, 3, 0), b=(100, 40), t=(20, 8, 4, 0))
    village = dict(households=800, q=(8, 4, 2, 0), b=(12, 6), t=(2, 0, 1, 0))
    new = dict(households=2000, q=(6, 6, 0, 0), b=(50, 50), t=(10, 5, 5, 0))
    small = dict(households=300, q=(5, 0, 0, 2), b=(8, 0), t=(0, 0, 0, 0))
    for period, stars3, stars4, stars5, m3 in (
        ("2025Q3", 2, 1, 4, 140),
        ("2026Q2", 3, 3, 5, 148),
        ("2026Q3", 4, 2, 5, 150),
    ):
        r["community_stats"] += [
            _stats(C3, A, period, m3, stars3, **big),
            _stats(C4, B, period, 60, stars4, **village),
            _stats(C5, A, period, 120, stars5, **new),
            _stats(C6, B, period, 40, 0, **small),
        ]

    # scenic areas and spots, their organisations, trade organisations
    r["scenic_sites"] = [
        _site("JQ360822-001", "青山景区", "景区", A, PA, "5A", 20, 500, "2010-05-01"),
        _site("JQ360822-002", "青山景区·游客中心", "景点", A, PA, "5A", 2, 40, "2015-01-01", "JQ360822-001"),
        _site("JQ360822-003", "青山景区·古街", "景点", A, PA, "5A", 4, 60, "2012-01-01", "JQ360822-001"),
        _site("JQ360823-001", "绿水村乡村旅游点", "景区", B, PB, "未评级", 1, 30, "2018-01-01"),
        _site("JQ360823-002", "绿水村乡村旅游点·漂流点", "景点", B, PB, "未评级", 0, 20, "2026-07-01", "JQ360823-001"),
    ]
    r["party_orgs"] += [
        _org("DZ360822-00030", A, "青山景区党总支", "党总支", "旅游景区", "单独组建", 20, "2010-05-01"),
        _org("DZ360822-00031", A, "青山景区联建党支部", "党支部", "旅游景区", "景区联建", 2, "2026-05-01"),
        _org("DZ360823-00020", B, "绿水村景居联建党支部", "党支部", "旅游景区", "景居联建", 4, "2019-01-01"),
        _org(
            "DZ360822-00040",
            A,
            "吉水县导游行业联合党支部",
            "党支部",
            "旅游景区",
            "行业联建",
            12,
            "2020-01-01",
            trade="导游",
        ),
        _org(
            "DZ360823-00040",
            B,
            "峡江县宾馆酒店行业联合党支部",
            "党支部",
            "旅游景区",
            "行业联建",
            8,
            "2026-08-01",
            trade="宾馆酒店",
        ),
        _org(
            "DZ360822-00041",
            A,
            "吉水县商业休闲行业联合党支部",
            "党支部",
            "旅游景区",
            "行业联建",
            5,
            "2019-01-01",
            trade="商业休闲",
            dissolved="2026-03-31",
        ),
    ]
    r["org_coverage"] += [
        _cover("DZ360822-00030", "scenic", "JQ360822-001", "2010-05-01"),
        _cover("DZ360822-00031", "scenic", "JQ360822-002", "2026-05-01"),
        _cover("DZ360823-00020", "scenic", "JQ360823-001", "2019-01-01"),
        _cover("DZ360823-00020", "community", C2, "2019-01-01"),
    ]

    # the theme activity (and another carrier that must not count)
    r["activities"] = [
        dict(district=JGS, period="2026Q3", zone="旅游景区", carrier="一弘扬三创优", count=30, participants=600),
        dict(district=JGS, period="2026Q2", zone="旅游景区", carrier="一弘扬三创优", count=24, participants=480),
        dict(district=JGS, period="2025Q3", zone="旅游景区", carrier="一弘扬三创优", count=12, participants=200),
        dict(district=A, period="2026Q3", zone="旅游景区", carrier="一弘扬三创优", count=10, participants=150),
        dict(district=A, period="2026Q3", zone="旅游景区", carrier="党员示范岗", count=99, participants=999),
    ]
    return r

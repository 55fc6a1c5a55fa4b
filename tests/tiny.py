"""A tiny hand-made set of registers with hand-computed expectations.

Districts A = 360822 (吉水县) and B = 360823 (峡江县); one park in each.
At 2026Q3 (city): non-public operating enterprises E1 E2 E3 E4 E5 E7 = 6;
own = E1; joint = E2 E3 (企企合建 J1, registered in A, covering B's E3 too) + E7 (企会联建 J2,
founded 2026-08-01); covered = 4; work = 4 + E4 (instructor) = 5; 应建未建 = E4 E7 = 2.
E6 is state-owned (not counted), E8 closed on 2026-08-15 (counted in 2026Q2 only).
"""

A, B = "360822", "360823"
PA, PB = "360822400", "360823400"


def _ent(eid, district, park, scale, members, ownership="私营", closed="", employees=50):
    place = dict(park_id=park, district=district, township=park, lon="", lat="")
    size = dict(ownership=ownership, scale=scale, employees=employees, members=members)
    dates = dict(entered="2020-01-01", closed=closed)
    return dict(enterprise_id=eid, name=f"企业{eid[-4:]}", industry="电子信息", **place, **size, **dates)


def _org(oid, district, form, founded, level="党支部"):
    return dict(
        org_id=oid,
        name=f"组织{oid[-5:]}",
        level=level,
        parent_id="",
        zone="工业园区",
        district=district,
        form=form,
        trade="",
        members=3,
        founded=founded,
        dissolved="",
    )


def _stats(cid, district, period, q_own, q_joint):
    return dict(
        community_id=cid,
        district=district,
        period=period,
        households=500,
        members=40,
        quarters=4,
        quarters_own=q_own,
        quarters_joint=q_joint,
        quarters_liaison=1,
        buildings=10,
        buildings_group=2,
        two_new=2,
        two_new_own=1,
        two_new_joint=0,
        two_new_liaison=0,
        stars=3,
    )


ROWS = {
    "districts": [dict(district=A, name="吉水县"), dict(district=B, name="峡江县")],
    "townships": [
        dict(code=PA, name="吉水县工业园区", district=A, lon=115.1, lat=27.2, coord_method="geonames"),
        dict(code=PB, name="峡江县工业园区", district=B, lon=115.3, lat=27.6, coord_method="geonames"),
    ],
    "parks": [
        dict(park_id=PA, name="吉水县工业园区", district=A, level="省级", lon=115.1, lat=27.2),
        dict(park_id=PB, name="峡江县工业园区", district=B, level="省级", lon=115.3, lat=27.6),
    ],
    "enterprises": [
        _ent("QY360822-0001", A, PA, "规上", 5, employees=300),
        _ent("QY360822-0002", A, PA, "规下", 1),
        _ent("QY360823-0003", B, PB, "规下", 0),
        _ent("QY360823-0004", B, PB, "规上", 4, employees=200),
        _ent("QY360822-0005", A, PA, "规下", 0, employees=80),
        _ent("QY360822-0006", A, PA, "规上", 10, ownership="国有"),
        _ent("QY360822-0007", A, PA, "规下", 3),
        _ent("QY360823-0008", B, PB, "规下", 0, closed="2026-08-15"),
    ],
    "party_orgs": [
        _org("DZ360822-00001", A, "单独组建", "2021-03-01"),
        _org("DZ360822-00002", A, "企企合建", "2022-01-01"),
        _org("DZ360822-00003", A, "单独组建", "2019-01-01"),
        _org("DZ360822-00004", A, "企会联建", "2026-08-01"),
    ],
    "org_coverage": [
        dict(org_id="DZ360822-00001", entity_type="enterprise", entity_id="QY360822-0001", since="2021-03-01"),
        dict(org_id="DZ360822-00002", entity_type="enterprise", entity_id="QY360822-0002", since="2022-01-01"),
        dict(org_id="DZ360822-00002", entity_type="enterprise", entity_id="QY360823-0003", since="2022-01-01"),
        dict(org_id="DZ360822-00003", entity_type="enterprise", entity_id="QY360822-0006", since="2019-01-01"),
        dict(org_id="DZ360822-00004", entity_type="enterprise", entity_id="QY360822-0007", since="2026-08-01"),
    ],
    "instructors": [
        dict(
            assignment_id="ZDY360823-0001",
            entity_type="enterprise",
            entity_id="QY360823-0004",
            district=B,
            source="机关干部",
            start="2023-05-01",
            end="",
        ),
    ],
    "communities": [
        dict(community_id="360822400001", name="园区社区", township=PA, district=A, kind="城市社区", area_km2=1.5),
        dict(community_id="360823400001", name="园区村", township=PB, district=B, kind="农村社区", area_km2=9.0),
    ],
    "community_stats": [
        _stats("360822400001", A, "2026Q2", 1, 0),
        _stats("360822400001", A, "2026Q3", 1, 1),
        _stats("360823400001", B, "2026Q2", 0, 0),
        _stats("360823400001", B, "2026Q3", 2, 0),
    ],
}

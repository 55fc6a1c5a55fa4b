"""Data accepted by the per-column checks but wrong across rows, columns or registers is
refused, naming file, row (header = row 1) and column. Each case starts from the tiny
registers (tests/tiny.py, valid), changes one thing and expects exactly these problems."""

import copy

import pytest

from sanqu import geography
from sanqu.ingest import demo, loader
from sanqu.ingest.loader import Problem, RegisterError
from sanqu.ingest.registers import REGISTERS, register
from sanqu.storage import store
from tests import tiny
from tests.tiny import PA, PB, A, B
from tests.tiny_sites import _insp, _point, _site, _venue

E1, E3, E4 = "QY360822-0001", "QY360823-0003", "QY360823-0004"
ORGS = [f"DZ360822-0000{i}" for i in range(1, 5)]
AREA, SPOT = "JQ360822-001", "JQ360822-002"


def _scenic(sid, kind, parent="", members=2, staff=30):
    place = dict(district=A, township=PA, lon=115.1, lat=27.2)
    size = dict(a_level="3A", staff=staff, members=members, opened="2015-05-01")
    return dict(scenic_id=sid, name=f"景{sid[-3:]}", kind=kind, parent_id=parent, **place, **size)


def _rows() -> dict[str, list[dict]]:
    """tiny.ROWS plus one scenic area with one spot, a demonstration site with an
    inspection, a contact point and a venue (all valid)."""
    rows = copy.deepcopy(tiny.ROWS)
    rows["scenic_sites"] = [_scenic(AREA, "景区"), _scenic(SPOT, "景点", parent=AREA)]
    rows["demo_sites"] = [
        _site("SF360822-001", "工业园区", A, "enterprise", E1, "县(市、区)委书记", "培育", "2025-12-01")
    ]
    rows["inspections"] = [_insp("DC360822-0001", "SF360822-001", A, "2026-10-15", 80, "阵地标识")]
    rows["contact_points"] = [_point("LXD360822-001", "市委书记", A, "community", "360822400001", "2026-01-01")]
    rows["venues"] = [_venue("ZD360822-0001", ORGS[0], A, "已建成", 120.0, (5.0, 1.0, 0.0, 2.5, 0.0))]
    return rows


def _problems(tmp_path, change) -> list[Problem]:
    rows = _rows()
    change(rows)
    demo.write_rows(tmp_path / "registers", rows)
    with pytest.raises(RegisterError) as err:
        loader.load_all(tmp_path / "registers")
    return err.value.problems


def _p(file, row, column, message) -> Problem:
    return Problem(file, row, column, "", message)


def _set(register_name, i, **values):
    return lambda rows: rows[register_name][i].update(values)


def test_the_starting_folder_is_valid(tmp_path):
    demo.write_rows(tmp_path, _rows())
    loaded = loader.load_all(tmp_path)
    assert len(loaded.frames["scenic_sites"]) == 2


# 6. referential integrity


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _set("org_coverage", 1, entity_id="QY360822-0099"),
            _p("org_coverage.csv", 3, "单位编号", "在园区企业台账中找不到企业 QY360822-0099"),
        ),
        (
            _set("org_coverage", 4, entity_type="community"),  # E7's id read as a community
            _p("org_coverage.csv", 6, "单位编号", "在城乡社区台账中找不到村社区 QY360822-0007"),
        ),
        (
            _set("instructors", 0, entity_type="scenic", entity_id="JQ360823-001"),
            _p("instructors.csv", 2, "单位编号", "在旅游景区景点台账中找不到景区景点 JQ360823-001"),
        ),
        (
            _set("demo_sites", 0, entity_id="QY360822-0042"),
            _p("demo_sites.csv", 2, "依托单位编号", "在园区企业台账中找不到企业 QY360822-0042"),
        ),
        (
            _set("contact_points", 0, entity_id="360822400099"),
            _p("contact_points.csv", 2, "联系单位编号", "在城乡社区台账中找不到村社区 360822400099"),
        ),
    ],
    ids=["coverage", "coverage-wrong-type", "instructor", "demo-site-host", "contact-point"],
)
def test_entity_that_does_not_exist(tmp_path, change, expected):
    assert _problems(tmp_path, change) == [expected]


def test_parent_organisation_that_does_not_exist(tmp_path):
    assert _problems(tmp_path, _set("party_orgs", 0, parent_id="DZ360822-00099")) == [
        _p("party_orgs.csv", 2, "上级党组织编号", "在党组织台账中找不到上级党组织 DZ360822-00099")
    ]


def test_organisation_that_is_its_own_parent(tmp_path):
    assert _problems(tmp_path, _set("party_orgs", 1, parent_id=ORGS[1])) == [
        _p("party_orgs.csv", 3, "上级党组织编号", "上级党组织是其自身 DZ360822-00002")
    ]


def test_cycle_in_the_organisation_tree_names_every_member(tmp_path):
    def change(rows):
        # 1 -> 2 -> 3 -> 1 is a cycle; 4 hangs below it and is not on it
        for org, parent in zip(rows["party_orgs"], (ORGS[1], ORGS[2], ORGS[0], ORGS[0])):
            org["parent_id"] = parent

    cycle = "上级党组织形成循环："
    assert _problems(tmp_path, change) == [
        _p(
            "party_orgs.csv", 2, "上级党组织编号", cycle + "DZ360822-00001→DZ360822-00002→DZ360822-00003→DZ360822-00001"
        ),
        _p(
            "party_orgs.csv", 3, "上级党组织编号", cycle + "DZ360822-00002→DZ360822-00003→DZ360822-00001→DZ360822-00002"
        ),
        _p(
            "party_orgs.csv", 4, "上级党组织编号", cycle + "DZ360822-00003→DZ360822-00001→DZ360822-00002→DZ360822-00003"
        ),
    ]


def test_a_tree_below_the_organisations_loads(tmp_path):
    rows = _rows()
    for org, parent in zip(rows["party_orgs"], ("", ORGS[0], ORGS[1], ORGS[1])):
        org["parent_id"] = parent
    demo.write_rows(tmp_path, rows)
    assert len(loader.load_all(tmp_path).frames["party_orgs"]) == 4


@pytest.mark.parametrize(
    ("change", "row", "message"),
    [
        (_set("scenic_sites", 1, parent_id=""), 3, "类别为景点，必须填写所属景区编号"),
        (_set("scenic_sites", 1, parent_id="JQ360822-009"), 3, "在旅游景区景点台账中找不到景区 JQ360822-009"),
        (
            lambda rows: rows["scenic_sites"].append(_scenic("JQ360822-003", "景点", parent=SPOT)),
            4,
            "所属景区 JQ360822-002 的类别是景点，不是景区",
        ),
        (
            lambda rows: rows["scenic_sites"].append(_scenic("JQ360822-003", "景区", parent=AREA)),
            4,
            "类别为景区，不应填写所属景区编号 JQ360822-001（只有景点属于景区）",
        ),
    ],
    ids=["spot-without-area", "area-missing", "parent-is-a-spot", "area-with-a-parent"],
)
def test_scenic_spot_belongs_to_an_area(tmp_path, change, row, message):
    assert _problems(tmp_path, change) == [_p("scenic_sites.csv", row, "所属景区编号", message)]


# 7. consistency across columns and registers


def test_township_not_in_the_rows_district(tmp_path):
    # E3 moved to district A while its township (PB's zone unit) is in B
    assert _problems(tmp_path, _set("enterprises", 2, district=A)) == [
        _p(
            "enterprises.csv",
            4,
            "乡镇街道代码",
            "乡镇街道 360823400 属于 360823（峡江县），不在本行区县 360822（吉水县）",
        )
    ]


def test_township_of_a_community_and_a_scenic_site(tmp_path):
    def change(rows):
        rows["communities"][0]["township"] = PB
        rows["scenic_sites"][1]["township"] = PB

    message = "乡镇街道 360823400 属于 360823（峡江县），不在本行区县 360822（吉水县）"
    assert _problems(tmp_path, change) == [
        _p("communities.csv", 2, "乡镇街道代码", message),
        _p("scenic_sites.csv", 3, "乡镇街道代码", message),
    ]


def test_enterprise_in_a_park_of_another_district_is_accepted(tmp_path):
    """Parks may span districts (井冈山经开区 lies in 吉州区 and 吉安县): only the township counts."""
    rows = _rows()
    rows["enterprises"][0]["park_id"] = PB  # E1: district A, township PA, park in B
    demo.write_rows(tmp_path, rows)
    assert len(loader.load_all(tmp_path).frames["enterprises"]) == 8


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _set("instructors", 0, district=A),
            _p(
                "instructors.csv",
                2,
                "区县代码",
                "区县代码 360822（吉水县）与企业 QY360823-0004 所在区县 360823（峡江县）不一致",
            ),
        ),
        (  # the site's inspection moves with it
            lambda rows: [rows[name][0].update(district=B) for name in ("demo_sites", "inspections")],
            _p(
                "demo_sites.csv",
                2,
                "区县代码",
                "区县代码 360823（峡江县）与企业 QY360822-0001 所在区县 360822（吉水县）不一致",
            ),
        ),
        (
            _set("community_stats", 3, district=A),
            _p(
                "community_stats.csv",
                5,
                "区县代码",
                "区县代码 360822（吉水县）与城乡社区台账中村社区代码 360823400001 的区县 360823（峡江县）不一致",
            ),
        ),
        (
            _set("venues", 0, district=B),
            _p(
                "venues.csv",
                2,
                "区县代码",
                "区县代码 360823（峡江县）与党组织台账中党组织编号 DZ360822-00001 的区县 360822（吉水县）不一致",
            ),
        ),
    ],
    ids=["instructor", "demo-site", "community-stats", "venue"],
)
def test_district_differs_from_the_named_entity(tmp_path, change, expected):
    assert _problems(tmp_path, change) == [expected]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _set("enterprises", 7, closed="2019-12-31"),
            _p("enterprises.csv", 9, "停业注销日期", "停业注销日期 2019-12-31 早于入园日期 2020-01-01"),
        ),
        (
            _set("party_orgs", 2, dissolved="2018-06-30"),
            _p("party_orgs.csv", 4, "撤销日期", "撤销日期 2018-06-30 早于成立日期 2019-01-01"),
        ),
        (
            _set("instructors", 0, end="2023-04-30"),
            _p("instructors.csv", 2, "结束日期", "结束日期 2023-04-30 早于派驻日期 2023-05-01"),
        ),
    ],
    ids=["enterprise", "organisation", "instructor"],
)
def test_end_before_start(tmp_path, change, expected):
    assert _problems(tmp_path, change) == [expected]


def test_end_on_the_start_day_is_fine(tmp_path):
    rows = _rows()
    rows["instructors"][0]["end"] = rows["instructors"][0]["start"]
    demo.write_rows(tmp_path, rows)
    loader.load_all(tmp_path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _set("enterprises", 0, members=301),
            _p("enterprises.csv", 2, "正式党员数", "正式党员数 301 多于从业人数 300"),
        ),
        (
            _set("scenic_sites", 1, members=31),
            _p("scenic_sites.csv", 3, "正式党员数", "正式党员数 31 多于从业人数 30"),
        ),
    ],
    ids=["enterprise", "scenic"],
)
def test_more_members_than_people(tmp_path, change, expected):
    assert _problems(tmp_path, change) == [expected]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # 1 + 0 + 4 = 5 > 4
            _set("community_stats", 0, quarters_liaison=4),
            _p(
                "community_stats.csv",
                2,
                "小区数",
                "小区单独建支部数 + 小区联合建支部数 + 小区仅派联络员数 = 5，多于小区数 4",
            ),
        ),
        (  # 1 + 2 + 0 = 3 > 2
            _set("community_stats", 2, two_new_joint=2),
            _p(
                "community_stats.csv",
                4,
                "两新组织数",
                "两新单独组建数 + 两新联合组建数 + 两新仅派指导员数 = 3，多于两新组织数 2",
            ),
        ),
        (
            _set("community_stats", 1, buildings_group=11),
            _p("community_stats.csv", 3, "楼栋数", "楼栋建党小组数 11，多于楼栋数 10"),
        ),
    ],
    ids=["quarters", "two-new", "buildings"],
)
def test_parts_more_than_the_whole(tmp_path, change, expected):
    assert _problems(tmp_path, change) == [expected]


# 8. ranges


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _set("enterprises", 1, employees=10**12),
            _p("enterprises.csv", 3, "从业人数", "1,000,000,000,000 超出取值范围 0 – 1,000,000"),
        ),
        (
            _set("community_stats", 0, stars=6),
            _p("community_stats.csv", 2, "星级", "6 超出取值范围 0 – 5"),
        ),
        (
            _set("inspections", 0, score=100.5),
            _p("inspections.csv", 2, "评分", "100.5 超出取值范围 0 – 100"),
        ),
        (
            _set("townships", 0, lat=999),
            _p("townships.csv", 2, "纬度", "999 超出吉安市范围 25.92 – 28.02"),
        ),
        (
            _set("parks", 1, lon="inf"),  # refused while reading: not a finite number
            Problem("parks.csv", 3, "经度", "inf", "不是数字"),
        ),
        (  # a real place (Nanchang), but not in Ji'an
            _set("scenic_sites", 0, lon=115.86, lat=28.68),
            _p("scenic_sites.csv", 2, "纬度", "28.68 超出吉安市范围 25.92 – 28.02"),
        ),
        (
            _set("communities", 1, area_km2=-9.0),
            _p("communities.csv", 3, "辖区面积", "-9 超出取值范围 0 – 5,000"),
        ),
        (
            _set("venues", 0, fund_dues=-1.5),
            _p("venues.csv", 2, "党费补助", "-1.5 超出取值范围 0 – 100,000"),
        ),
    ],
    ids=["employees-huge", "stars", "score", "latitude", "longitude-inf", "outside-region", "area", "funds"],
)
def test_value_out_of_range(tmp_path, change, expected):
    assert _problems(tmp_path, change) == [expected]


def test_negative_employees_are_out_of_range_and_fewer_than_the_members(tmp_path):
    assert _problems(tmp_path, _set("enterprises", 0, employees=-5)) == [
        _p("enterprises.csv", 2, "从业人数", "-5 超出取值范围 0 – 1,000,000"),
        _p("enterprises.csv", 2, "正式党员数", "正式党员数 5 多于从业人数 -5"),
    ]


def test_every_number_has_bounds_in_the_schema():
    west, south, east, north = geography.region_box()
    assert register("parks").by_name("lon").min == west and register("parks").by_name("lat").max == north
    assert west < 113.83 and east > 115.93 and south < 25.98 and north > 27.96  # the districts' box, widened
    for reg in REGISTERS:
        for f in reg.fields:
            if f.type in ("int", "float"):
                assert f.min is not None and f.max is not None, (reg.name, f.name)


# the store and the demo


def test_refused_registers_leave_the_store_byte_identical(tmp_path):
    folder, db = tmp_path / "registers", tmp_path / "sanqu.duckdb"
    demo.write_rows(folder, _rows())
    store.build(folder, db)
    before = db.read_bytes()
    rows = _rows()
    rows["party_orgs"][0]["parent_id"] = ORGS[0]
    demo.write_rows(folder, rows)
    with pytest.raises(RegisterError, match="上级党组织是其自身"):
        store.build(folder, db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registers", "sanqu.duckdb", "sanqu.duckdb.json"]


def test_the_demo_registers_pass(demo_dir):
    loaded = loader.load_all(demo_dir / "registers")
    assert len(loaded.frames["enterprises"]) >= 1670

"""Reading a region pack: the tree of units on a small hand-made two-city pack, then the real
Jiangxi and Ji'an packs agree with each other."""

import pytest

from sanqu.paths import MAPS_DIR
from sanqu.region.read import PackError, load

TWO_CITIES = """code,name,level,parent
990000,测试省,province,
990100,甲市,city,990000
990102,甲一区,county,990100
990103,甲二县,county,990100
990102001,甲一街道,township,990102
990103100,甲二镇,township,990103
990200,乙市,city,990000
990201,乙一县,county,990200
990201200,乙一乡,township,990201
"""


@pytest.fixture()
def two_cities(tmp_path):
    (tmp_path / "units.csv").write_text(TWO_CITIES, encoding="utf-8")
    return load(tmp_path)


def test_scope_at_each_level_is_exactly_its_counties(two_cities):
    assert two_cities.region.name == "测试省"
    assert two_cities.counties("990000") == ("990102", "990103", "990201")
    assert two_cities.counties("990100") == ("990102", "990103")
    assert two_cities.counties("990200") == ("990201",)
    assert two_cities.counties("990103") == ("990103",)
    with pytest.raises(PackError):
        two_cities.counties("990103100")  # a township's scope is its own code


def test_children_and_breadcrumb(two_cities):
    assert [u.name for u in two_cities.children("990000")] == ["甲市", "乙市"]
    assert [u.code for u in two_cities.children("990102")] == ["990102001"]
    assert two_cities.children("990201200") == []
    assert [u.name for u in two_cities.path("990103100")] == ["测试省", "甲市", "甲二县", "甲二镇"]
    assert [u.code for u in two_cities.path("990000")] == ["990000"]
    assert [u.code for u in two_cities.at_level("county")] == ["990102", "990103", "990201"]


def test_unknown_codes_and_missing_packs(two_cities, tmp_path):
    with pytest.raises(PackError):
        two_cities.unit("360800")
    with pytest.raises(PackError):
        two_cities.at_level("village")
    with pytest.raises(PackError):
        load(tmp_path / "nowhere")
    assert two_cities.boundaries("county") is None


def test_jiangxi_pack_holds_the_jian_pack():
    jiangxi, jian = load(MAPS_DIR / "360000"), load(MAPS_DIR / "360800")
    assert len(jiangxi.counties("360000")) == 100
    assert jiangxi.counties("360800") == jian.counties("360800") and len(jian.counties("360800")) == 13
    assert [u.name for u in jiangxi.path("360822")] == ["江西省", "吉安市", "吉水县"]
    assert [u.code for u in jiangxi.children("360822")] == [u.code for u in jian.children("360822")]
    assert len(jiangxi.boundaries("county")) == 100 and len(jiangxi.boundaries("city")) == 11
    assert jian.boundaries("township") is None
    points = jian.points()
    assert len(points) == 129 and set(points["county"]) <= set(jian.counties("360800"))

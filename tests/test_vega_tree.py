"""The 工业园区 organisation tree drawn by Vega-Lite (`vega_tree`): the squarified layout, the rows of
a hand-made tree (tests/tiny_zones.py's: root, 2 党工委, 2 党总支, 5 党支部), drawn from its root
and from a node a click chose, what a click draws next, and register text kept as row values."""

import itertools
import json

import pandas as pd
import pytest

from sanqu.figures import vega, vega_tree
from sanqu.figures.vega_tree import HEAD, PAD, H, W
from tests.evil import MARKUP, PAYLOADS

GA, ZA, GB, ZB = "DZ360822-00010", "DZ360822-00011", "DZ360823-00001", "DZ360823-00002"
J1, E1, E6, J2, E9 = "DZ360822-00002", "DZ360822-00001", "DZ360822-00003", "DZ360822-00004", "DZ360823-00003"
NAMES = {
    GA: "吉水县工业园区党工委",
    ZA: "吉水县工业园区电子信息产业党总支",
    GB: "峡江县工业园区党工委",
    ZB: "峡江县工业园区新材料产业党总支",
    J1: "组织00002",
    E1: "组织00001",
    E6: "组织00003",
    J2: "组织00004",
    E9: "峡江示范电子有限公司党支部",
}


def _tree(names: dict[str, str] = NAMES, extra: list[tuple] = ()) -> pd.DataFrame:
    """tests/tiny_zones.py's tree in 2026Q3 as `parks.tree` gives it: GA → ZA → {E1 1, J1 2, E6 1,
    J2 1} = 5 enterprises, 12 members; GB → ZB → E9 = 1, 6 members; the root 6 and 18."""
    rows = [
        ("root", "", "", "", "", 18, 6),
        (E1, ZA, names[E1], "党支部", "单独组建", 3, 1),
        (J1, ZA, names[J1], "党支部", "企企合建", 3, 2),
        (E6, ZA, names[E6], "党支部", "单独组建", 3, 1),
        (J2, ZA, names[J2], "党支部", "企会联建", 3, 1),
        (GA, "root", names[GA], "党工委", "区域统筹", 12, 5),
        (ZA, GA, names[ZA], "党总支", "区域统筹", 12, 5),
        (GB, "root", names[GB], "党工委", "区域统筹", 6, 1),
        (ZB, GB, names[ZB], "党总支", "区域统筹", 6, 1),
        (E9, ZB, names[E9], "党支部", "单独组建", 6, 1),
        *extra,
    ]
    return pd.DataFrame(rows, columns=["org_id", "parent", "name", "level", "form", "members", "enterprises"])


def _area(r) -> float:
    return r[2] * r[3]


def _inside(inner, outer, eps: float = 1e-9) -> bool:
    return (
        inner[0] >= outer[0] - eps
        and inner[1] >= outer[1] - eps
        and inner[0] + inner[2] <= outer[0] + outer[2] + eps
        and inner[1] + inner[3] <= outer[1] + outer[3] + eps
    )


def _overlap(a, b, eps: float = 1e-9) -> bool:
    across = a[0] + eps < b[0] + b[2] and b[0] + eps < a[0] + a[2]
    return across and a[1] + eps < b[1] + b[3] and b[1] + eps < a[1] + a[3]


# --------------------------------------------------------------------------- the layout


def test_squarify_by_hand():
    """Bruls, Huizing and van Wijk's example: 6, 6, 4, 3, 2, 2, 1 in a 6 × 4 rectangle. The two 6s
    make the first column (3 wide, 2 high each: adding the 4 would make its worst ratio 4 instead
    of 1.5); the 4 and 3 a row across the top of the 3 × 4 left (7/3 high)."""
    rects = vega_tree.squarify([6, 6, 4, 3, 2, 2, 1], (0, 0, 6, 4))
    assert rects[0] == pytest.approx((0, 0, 3, 2)) and rects[1] == pytest.approx((0, 2, 3, 2))
    assert rects[2] == pytest.approx((3, 0, 12 / 7, 7 / 3)) and rects[3] == pytest.approx((3 + 12 / 7, 0, 9 / 7, 7 / 3))


@pytest.mark.parametrize(
    ("values", "rect"),
    [
        ([6, 6, 4, 3, 2, 2, 1], (0, 0, 6, 4)),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (10, 20, 900, 560)),  # given smallest first: kept in their order
        ([500, 1, 1, 1, 3, 250], (0, 0, 100, 700)),
        ([7], (3, 24, 674, 533)),
        ([5, 5, 5, 5, 5], (0, 0, 1, 1)),
    ],
)
def test_squarify_areas_are_proportional_inside_and_apart(values, rect):
    rects = vega_tree.squarify(values, rect)
    assert len(rects) == len(values)
    total = sum(values)
    for v, r in zip(values, rects):
        assert _area(r) == pytest.approx(_area(rect) * v / total, abs=1e-6)
        assert _inside(r, rect)
    for a, b in itertools.combinations(rects, 2):
        assert not _overlap(a, b)


def test_the_tree_from_its_root_by_hand():
    """Three levels from the root: root, the 党工委 (framed: each has a child) and their 党总支. The
    root fills [0, W] × [0, H]; inside it (PAD from the sides, HEAD from the top) GA and GB share
    674 × 533 as 5 : 1, one column each (GA: 674 × 5/6 = 561.667 wide); each 党总支 fills its 党工委
    within PAD below its strip."""
    boxes = vega_tree.layout(_tree())
    assert [(b.org_id, b.depth, b.framed) for b in boxes] == [
        ("root", 0, True),
        (GA, 1, True),
        (ZA, 2, False),
        (GB, 1, True),
        (ZB, 2, False),
    ]
    rect = {b.org_id: b.rect for b in boxes}
    inner_w = W - 2 * PAD
    ga_w = inner_w * 5 / 6
    assert rect["root"] == (0, 0, W, H)
    assert rect[GA] == pytest.approx((PAD, HEAD, ga_w, H - HEAD - PAD))
    assert rect[GB] == pytest.approx((PAD + ga_w, HEAD, inner_w - ga_w, H - HEAD - PAD))
    assert rect[ZA] == pytest.approx((2 * PAD, 2 * HEAD, ga_w - 2 * PAD, H - 2 * HEAD - 2 * PAD))
    assert rect[ZB] == pytest.approx((2 * PAD + ga_w, 2 * HEAD, inner_w - ga_w - 2 * PAD, H - 2 * HEAD - 2 * PAD))
    assert _area(rect[GA]) == pytest.approx(5 * _area(rect[GB]))


def test_rows_of_the_tree_from_its_root():
    spec = vega_tree.org_tree(_tree(), "全市")
    rows = spec["data"]["values"]
    assert [r["id"] for r in rows] == ["root", GA, ZA, GB, ZB]
    assert [r["enterprises"] for r in rows] == [6, 5, 5, 1, 1]
    assert [r["depth"] for r in rows] == [0, 1, 2, 1, 2]
    root, ga, za, gb, zb = rows
    assert (root["x"], root["x2"], root["y"], root["y2"]) == (0, W, 0, H)
    assert (ga["x"], ga["x2"], ga["y"], ga["y2"]) == (3, 564.67, 24, 557)
    assert (za["x"], za["x2"], za["y"], za["y2"]) == (6, 561.67, 48, 554)
    assert (gb["x"], gb["x2"], zb["x"], zb["x2"]) == (564.67, 677, 567.67, 674)
    assert (root["name"], root["level"], root["ent"], root["mem"]) == ("全市", "合计", "6 家", "18 名")
    assert (ga["name"], ga["level"], ga["ent"], ga["mem"]) == (NAMES[GA], "党工委 · 区域统筹", "5 家", "12 名")
    # the strips: name and count on a line; where both do not fit (GB: 112 wide), the name cut
    assert root["text"] == "全市（6 家企业）" and ga["text"] == f"{NAMES[GA]}（5 家企业）"
    assert gb["text"] == "峡江县工业园…"  # 6 characters of 14 px within 112.3 - 12 - 14
    # a box: the name on as many lines as it needs (ZB: 6 characters a line), then the count
    assert za["text"] == f"{NAMES[ZA]}\n5 家企业"
    assert zb["text"] == "峡江县工业园\n区新材料产业\n党总支\n1 家企业"
    # colour by enterprises from 1 to 5 (the boxes below the root); white text on the darkest
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [1, 5]
    assert [r["ink"] for r in rows] == ["#222222", "#ffffff", "#ffffff", "#222222", "#222222"]
    assert [r["click"] for r in rows] == [False, True, True, True, True]
    assert "title" not in spec
    json.dumps(spec, allow_nan=False)


def test_rows_drawn_from_a_党工委_are_its_subtree():
    rows = vega_tree.org_tree(_tree(), "全市", GA)["data"]["values"]
    assert [r["id"] for r in rows] == [GA, ZA, E1, J1, E6, J2]
    assert [r["depth"] for r in rows] == [0, 1, 2, 2, 2, 2]
    assert (rows[0]["x"], rows[0]["x2"], rows[0]["y"], rows[0]["y2"]) == (0, W, 0, H)
    area = {r["id"]: (r["x2"] - r["x"]) * (r["y2"] - r["y"]) for r in rows}
    for oid in (E1, E6, J2):  # J1 covers 2 enterprises, the others 1 each
        assert area[J1] == pytest.approx(2 * area[oid], rel=1e-3)
    assert sum(area[o] for o in (E1, J1, E6, J2)) == pytest.approx((W - 4 * PAD) * (H - 2 * HEAD - 2 * PAD), rel=1e-4)
    assert [r["click"] for r in rows] == [True, True, True, True, True, True]  # the frame: one level up


def test_what_a_click_draws_next():
    t = _tree()
    # from the root: a box with children is drawn from itself
    assert vega_tree.targets(t, "root") == {GA: GA, ZA: ZA, GB: GB, ZB: ZB}
    # from GA: its 党总支 from itself, a 党支部 (the lowest level drawn, no children) from its 党总支,
    # the frame from the root
    assert vega_tree.targets(t, GA) == {ZA: ZA, E1: ZA, J1: ZA, E6: ZA, J2: ZA, GA: "root"}
    # from ZA: its 党支部 (children of the root drawn, without any) lead nowhere
    assert vega_tree.targets(t, ZA) == {ZA: GA}
    assert vega_tree.target(t, ZA, J1) == ZA and vega_tree.target(t, "root", "elsewhere") == "root"
    assert vega_tree.path(t, ZA, "全市") == [("root", "全市"), (GA, NAMES[GA]), (ZA, NAMES[ZA])]
    assert vega_tree.path(t, "root", "全市") == [("root", "全市")]
    assert vega_tree.root_of(t, ZA) == ZA and vega_tree.root_of(t, "gone") == "root"


def test_boxes_of_no_enterprises_are_not_drawn():
    gc, e0 = "DZ360824-00001", "DZ360822-00099"
    extra = [(gc, "root", "空党工委", "党工委", "区域统筹", 0, 0), (e0, ZA, "空党支部", "党支部", "单独组建", 0, 0)]
    t = _tree(extra=extra)
    assert [r["id"] for r in vega_tree.org_tree(t, "全市")["data"]["values"]] == ["root", GA, ZA, GB, ZB]
    assert e0 not in {r["id"] for r in vega_tree.org_tree(t, "全市", GA)["data"]["values"]}
    assert vega_tree.root_of(t, gc) == "root" and gc not in vega_tree.targets(t, "root")
    empty = _tree().iloc[:1].assign(enterprises=0, members=0)  # a scope without organisations
    rows = vega_tree.org_tree(empty, "全市")["data"]["values"]
    assert [r["id"] for r in rows] == ["root"] and rows[0]["text"] == "全市（0 家企业）"


def test_small_boxes_show_no_text_and_text_is_readable():
    rows = vega_tree.rows(_tree(extra=[(E9 + "x", ZB, "另一个党支部", "党支部", "单独组建", 1, 1)]), GB, "全市")[0]
    for r in rows:
        if r["x2"] - r["x"] < vega_tree.MIN_W:
            assert r["text"] is None
    spec = vega_tree.org_tree(_tree(), "全市")
    text = spec["layer"][1]["mark"]
    assert text["type"] == "text" and text["fontSize"] >= 14 and text["lineBreak"] == "\n"
    assert vega_tree._label("很长的名字" * 10, 1, vega_tree.MIN_W - 1, 500, False) is None
    assert vega_tree._label("很长的名字" * 10, 1, 200, 40, False) is None  # no room for the count below a line
    # 200 wide: 13 characters of 14 px a line (188 px); 42 high: a line of the name (cut) and the count
    assert vega_tree._label("很长的名字" * 10, 1, 200, 42, False) == "很长的名字很长的名字很长…\n1 家企业"
    two = vega_tree._label("很长的名字" * 10, 1, 200, 60, False)
    assert two == "很长的名字很长的名字很长的\n名字很长的名字很长的名字…\n1 家企业"


def test_a_click_selects_the_box_id_and_the_note_is_the_title():
    note = "组织较多，只画到党总支：5 个党支部未逐一画出，其覆盖的企业计入上级方块；选择园区可看下一级"
    spec = vega_tree.org_tree(_tree(), "全市", note=note)
    assert spec["layer"][0]["params"] == [vega.pick(("id",))]
    assert "".join(spec["title"]["text"]) == note and len(spec["title"]["text"]) == 2
    assert spec["height"] > H  # the boxes keep H px below the title


@pytest.mark.parametrize("payload", PAYLOADS + MARKUP)
def test_hostile_names_are_only_row_values(payload):
    hostile = f"组织{payload}组织"
    names = dict.fromkeys(NAMES, hostile)
    for root in ("root", GA, ZA):
        spec = vega_tree.org_tree(_tree(names), hostile, root, note="组织较多")
        rows = spec.pop("data")["values"]
        assert hostile not in json.dumps(spec, ensure_ascii=False)
        assert all(r["name"] == hostile for r in rows)
        assert json.loads(json.dumps(rows, allow_nan=False)) == rows
    assert vega_tree.path(_tree(names), ZA, hostile) == [("root", hostile), (GA, hostile), (ZA, hostile)]

"""The access list, identities and scope narrowing (sanqu.access): pure functions and the CLI."""

import json

import pytest

from sanqu.__main__ import main
from sanqu.access import accessdb, users
from sanqu.access.identity import (
    Identity,
    narrow,
    normalise_ip,
    oidc_user_id,
    role_scope,
    trusted,
)
from sanqu.geography import DISTRICTS
from sanqu.scope import Scope

JISHUI, JINGGANGSHAN, JIZHOU = "360822", "360881", "360802"


@pytest.fixture()
def access_file(tmp_path, monkeypatch):
    target = tmp_path / "access.sqlite"
    monkeypatch.setenv("SANQU_ACCESS_DB", str(target))
    return target


def test_access_file_defaults_to_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SANQU_ACCESS_DB", raising=False)
    monkeypatch.setenv("SANQU_DATA_DIR", str(tmp_path))
    assert accessdb.path() == tmp_path / "access.sqlite"


def test_connect_is_idempotent_and_keeps_rows(access_file):
    users.add("a@x.cn", "county", JISHUI)
    accessdb.connect().close()
    con = accessdb.connect()
    assert [r["id"] for r in con.execute("SELECT id FROM users")] == ["a@x.cn"]
    tables = {r["name"] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "users" in tables


def test_add_get_list_remove(access_file):
    county = users.add("a@x.cn", "county", f"{JISHUI}, {JINGGANGSHAN}")
    assert county.districts == f"{JISHUI},{JINGGANGSHAN}"
    assert county.scope == Scope((JISHUI, JINGGANGSHAN))
    city = users.add("boss", "city")
    assert city.districts == "" and city.scope.is_city
    lead = users.add("lead", "viewer")  # no district: the whole city
    assert lead.districts == "360800" and lead.scope.is_city
    wall = users.add("wall", "screen", JISHUI)
    assert wall.scope == Scope((JISHUI,))
    assert [u.id for u in users.all_users()] == ["a@x.cn", "boss", "lead", "wall"]
    # adding again changes role and districts, keeps one row
    users.add("a@x.cn", "county", JIZHOU)
    assert users.get("a@x.cn").scope == Scope((JIZHOU,))
    assert len(users.all_users()) == 4
    assert users.remove("lead") is True
    assert users.remove("lead") is False
    assert users.get("lead") is None
    assert users.get("A@x.cn") is None  # ids match exactly


@pytest.mark.parametrize(
    ("uid", "role", "districts", "says"),
    [
        ("x", "county", None, "需要 --district"),
        ("x", "county", "360800", "需要 --district"),
        ("x", "county", "999999", "未知的区县代码：999999"),
        ("x", "viewer", f"{JISHUI},12", "未知的区县代码：12"),
        ("x", "city", JISHUI, "不能指定区县"),
        ("x", "admin", None, "未知的角色"),
        ("", "city", None, "不能为空"),
        (" x", "city", None, "空格"),
    ],
)
def test_invalid_rows_are_refused(access_file, uid, role, districts, says):
    with pytest.raises(users.UserError, match=says):
        users.add(uid, role, districts)
    assert users.all_users() == []


def test_role_scope():
    assert role_scope("city", "").is_city
    assert role_scope("city", JISHUI).is_city  # the role decides
    assert role_scope("county", JISHUI) == Scope((JISHUI,))
    assert role_scope("viewer", "360800").is_city
    assert role_scope("screen", f"{JINGGANGSHAN},{JISHUI}").codes == (JISHUI, JINGGANGSHAN)
    for role, districts in (("county", ""), ("county", "360800"), ("nobody", JISHUI)):
        with pytest.raises(ValueError):
            role_scope(role, districts)


def test_identity_roles():
    county = Identity("a", "county", Scope((JISHUI,)), "proxy")
    assert not county.read_only and not county.is_admin and not county.screen_only
    assert Identity("v", "viewer", Scope.city(), "oidc").read_only
    assert Identity("s", "screen", Scope.city(), "oidc").screen_only
    assert Identity("c", "city", Scope.city(), "oidc").is_admin
    link = Identity("link", "city", Scope.city(), "link")
    assert link.read_only and not link.is_admin


CITY, ONE, TWO = Scope.city(), Scope((JISHUI,)), Scope((JISHUI, JINGGANGSHAN))


@pytest.mark.parametrize(
    ("allowed", "asked", "shown", "refused"),
    [
        (CITY, None, CITY, False),
        (CITY, (), CITY, False),
        (CITY, ("360800",), CITY, False),
        (CITY, (JIZHOU,), Scope((JIZHOU,)), False),
        (CITY, (JIZHOU, JISHUI), Scope((JIZHOU, JISHUI)), False),
        (ONE, None, ONE, False),
        (ONE, (JISHUI,), ONE, False),
        (ONE, ("360800",), ONE, True),  # widening to the city
        (ONE, (JIZHOU,), ONE, True),  # another district
        (ONE, (JIZHOU, JISHUI), ONE, True),  # partly outside: the allowed part
        (ONE, ("999999",), ONE, True),  # unknown code: never wider
        (TWO, (JINGGANGSHAN,), Scope((JINGGANGSHAN,)), False),
        (TWO, (JINGGANGSHAN, JIZHOU), Scope((JINGGANGSHAN,)), True),
        (TWO, ("360800",), TWO, True),
    ],
)
def test_narrow_never_widens(allowed, asked, shown, refused):
    scope, was_refused = narrow(allowed, asked)
    assert (scope, was_refused) == (shown, refused)
    assert set(scope.codes) <= set(allowed.codes)


def test_narrow_every_pair_stays_within():
    for mine in DISTRICTS:
        for asked in (*DISTRICTS, "360800"):
            scope, refused = narrow(Scope((mine,)), (asked,))
            assert scope == Scope((mine,))
            assert refused == (asked != mine)


@pytest.mark.parametrize(
    ("address", "normal"),
    [
        (None, "127.0.0.1"),  # st.context.ip_address reads None for 127.0.0.1 and ::1
        ("::ffff:127.0.0.1", "127.0.0.1"),
        ("::1", "127.0.0.1"),
        ("[::1]", "127.0.0.1"),
        (" 10.0.0.5 ", "10.0.0.5"),
        ("::ffff:10.0.0.5", "10.0.0.5"),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_normalise_ip(address, normal):
    assert normalise_ip(address) == normal


def test_trusted():
    assert trusted("::ffff:127.0.0.1", ["127.0.0.1"])
    assert trusted(None, ["127.0.0.1"])
    assert not trusted("::ffff:127.0.0.1", ["10.0.0.5"])
    assert trusted("::ffff:10.0.0.5", ["10.0.0.4", " 10.0.0.5"])
    assert not trusted("10.0.0.6", ["10.0.0.5"])
    assert not trusted("10.0.0.6", [])


def test_oidc_user_id():
    assert oidc_user_id({"email": "a@x.cn", "sub": "42"}) == "a@x.cn"
    assert oidc_user_id({"sub": "42"}) == "42"
    assert oidc_user_id({"email": " ", "sub": "42"}) == "42"
    assert oidc_user_id({"preferred_username": "zhang", "sub": "42"}, "preferred_username") == "zhang"
    assert oidc_user_id({}) is None


def test_users_cli(access_file, capsys):
    assert main(["users", "add", "a@x.cn", "--role", "county", "--district", JISHUI]) == 0
    assert main(["users", "add", "boss", "--role", "city"]) == 0
    assert main(["users", "add", "bad", "--role", "county"]) == 2
    assert "需要 --district" in capsys.readouterr().err
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(": 2 users")
    assert out[1].split("\t")[:4] == ["a@x.cn", "county", "吉水县", JISHUI]
    assert out[2].split("\t")[:4] == ["boss", "city", "吉安市", "360800"]
    assert main(["users", "remove", "boss"]) == 0
    assert main(["users", "remove", "boss"]) == 1
    assert [u.id for u in users.all_users()] == ["a@x.cn"]


def test_leak_search_finds_planted_names_and_codes(demo_data):
    from tests.leaks import Catalogue, found

    cat = Catalogue(demo_data / "registers")
    codes, names = cat.outside({JISHUI})
    mine_codes, mine_names = cat.inside({JISHUI})
    assert len(codes) > 1000 and len(names) > 1000 and mine_codes and mine_names
    assert not codes & mine_codes
    other_code = sorted(c for c in codes if c.startswith("QY360881"))[0]
    other_name = sorted(n for n in names if n.startswith("井冈山"))[0]
    mine = sorted(mine_names)[0]
    text = f'{{"x":"{other_code}","y":"{other_name}党建示范点","z":"{mine}"}}\x12\x08{other_code}0'
    assert found(text, codes, names) == {other_code, other_name}
    assert found(text, mine_codes, mine_names) == {mine}
    escaped = json.dumps(json.dumps({"name": other_name}))  # JSON in JSON, \\uXXXX twice over
    assert other_name not in escaped and found(escaped, codes, names) == {other_name}


def test_district_options_hold_only_what_the_scope_allows():
    from ui.filters import district_label, district_options

    assert district_options(CITY)[0] == "360800" and len(district_options(CITY)) == 14
    assert district_options(ONE) == (JISHUI,)
    assert district_options(TWO) == (f"{JISHUI},{JINGGANGSHAN}", JISHUI, JINGGANGSHAN)
    assert district_label(f"{JISHUI},{JINGGANGSHAN}") == "吉水县、井冈山市（全部）"
    assert district_label("360800") == "吉安市（全市）"


def test_names_inside_a_name_in_scope_are_not_counted(demo_data):
    from tests.leaks import Catalogue

    cat = Catalogue(demo_data / "registers")
    names = cat.outside({JISHUI})[1]
    mine = cat.inside({JISHUI})[1]
    assert not any(n in m for n in list(names)[:300] for m in mine)

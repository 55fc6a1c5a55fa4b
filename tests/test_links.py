"""Share links: made, verified, refused when altered, expired or revoked (hand-set clock)."""

import datetime as dt
import sqlite3

import pytest

from sanqu.access import links
from sanqu.access.clock import BEIJING, parse
from sanqu.access.links import LinkRefused

NOW = dt.datetime(2026, 12, 2, 9, 30, tzinfo=BEIJING)


@pytest.fixture()
def conn(tmp_path, monkeypatch):
    monkeypatch.delenv("SANQU_LINK_SECRET", raising=False)
    c = sqlite3.connect(tmp_path / "access.sqlite")
    c.row_factory = sqlite3.Row  # as accessdb.connect() opens it
    yield c
    c.close()


def test_a_link_opens_its_districts_and_page_until_it_expires(conn):
    link, tok = links.create(conn, ["360881"], 1, "/map?district=360881&z=11", "admin", NOW)
    assert link.expires_at == "2026-12-03T09:30:00+08:00"
    grant = links.verify(conn, tok, NOW + dt.timedelta(hours=23, minutes=59))
    assert grant.codes == ("360881",) and grant.path == "/map?district=360881&z=11" and grant.link_id == link.id
    assert grant.scope.label == "井冈山市"
    with pytest.raises(LinkRefused, match="2026-12-03 09:30 过期"):
        links.verify(conn, tok, NOW + dt.timedelta(days=1))


def test_one_character_changed_anywhere_in_the_token_is_refused(conn):
    link, tok = links.create(conn, ["360881", "360822"], 3, "/overview", "admin", NOW)
    assert links.verify(conn, tok, NOW).codes == ("360822", "360881")
    for i in range(len(tok)):
        if tok[i] == ".":
            continue
        altered = tok[:i] + ("b" if tok[i] != "b" else "c") + tok[i + 1 :]
        with pytest.raises(LinkRefused, match="已被改动"):
            links.verify(conn, altered, NOW)
    for broken in ("", link.id, tok[:-1], tok + "x", "." + tok.split(".")[1]):
        with pytest.raises(LinkRefused, match="已被改动或不完整"):
            links.verify(conn, broken, NOW)


def test_revoked_links_are_refused_and_listed_as_such(conn):
    first, tok1 = links.create(conn, ["360881"], 7, "/map", "admin", NOW)
    second, tok2 = links.create(conn, ["360822"], 7, "/parks", "county1", NOW + dt.timedelta(minutes=1))
    assert links.revoke(conn, first.id, NOW + dt.timedelta(hours=2))
    assert not links.revoke(conn, first.id, NOW + dt.timedelta(hours=3))  # already revoked
    assert not links.revoke(conn, "nosuchid", NOW)
    with pytest.raises(LinkRefused, match="2026-12-02 11:30 被撤销"):
        links.verify(conn, tok1, NOW + dt.timedelta(hours=2))
    assert links.verify(conn, tok2, NOW + dt.timedelta(hours=2)).codes == ("360822",)
    listed = links.list_links(conn)
    assert [x.id for x in listed] == [second.id, first.id]  # newest first
    later = NOW + dt.timedelta(days=8)
    assert [x.status(NOW + dt.timedelta(hours=2)) for x in listed] == ["有效", "已撤销"]
    assert [x.status(later) for x in listed] == ["已过期", "已撤销"]


def test_a_link_signed_with_another_secret_or_missing_from_the_file_is_refused(conn, tmp_path, monkeypatch):
    _, tok = links.create(conn, ["360881"], 1, "/", "admin", NOW)
    other = sqlite3.connect(tmp_path / "other.sqlite")  # another access file, its own secret
    with pytest.raises(LinkRefused, match="已被改动"):
        links.verify(other, tok, NOW)
    # the same configured secret on both (replicas): the signature holds, the link is not in the other file
    monkeypatch.setenv("SANQU_LINK_SECRET", "shared-secret")
    _, tok = links.create(conn, ["360881"], 1, "/", "admin", NOW)
    assert links.verify(conn, tok, NOW).codes == ("360881",)
    with pytest.raises(LinkRefused, match="系统中没有这个分享链接"):
        links.verify(other, tok, NOW)
    other.close()


def test_the_generated_secret_is_made_once_and_kept(conn):
    first = links.secret(conn)
    assert len(first) == 64 and links.secret(conn) == first


def test_create_checks_districts_days_and_path(conn):
    with pytest.raises(ValueError, match="未知的区县代码：999999"):
        links.create(conn, ["999999"], 1, "/", "a", NOW)
    with pytest.raises(ValueError, match="未指定区县"):
        links.create(conn, [], 1, "/", "a", NOW)
    with pytest.raises(ValueError, match="有效天数"):
        links.create(conn, ["360881"], 0, "/", "a", NOW)
    for bad in ("https://evil.example/x", "//evil.example/x", "map"):
        with pytest.raises(ValueError, match="以 / 开头"):
            links.create(conn, ["360881"], 1, bad, "a", NOW)
    link, _ = links.create(conn, ["360881"], 1, "/map?share=old.token&z=9", "a", NOW)
    assert link.path == "/map?z=9"  # an old token in the path is dropped


def test_the_full_link_is_the_public_address_the_page_and_the_token(conn):
    link, tok = links.create(conn, ["360881"], 1, "/map?district=360881&layers=parks%2Csites", "a", NOW)
    assert links.url("https://dj.example.gov.cn/sanqu/", link, tok) == (
        f"https://dj.example.gov.cn/sanqu/map?district=360881&layers=parks%2Csites&share={tok}"
    )


def test_uses_are_counted(conn):
    link, _ = links.create(conn, ["360881"], 1, "/", "a", NOW)
    links.count_use(conn, link.id)
    links.count_use(conn, link.id)
    found = links.find(conn, link.id)
    assert found is not None and found.uses == 2 and parse(found.created_at) == NOW


def test_a_link_may_grant_one_township_and_nothing_wider(conn):
    link, tok = links.create(conn, ["360822100"], 1, "/?district=360822100", "admin", NOW)
    grant = links.verify(conn, tok, NOW)
    assert grant.codes == ("360822100",)
    assert (grant.scope.township, grant.scope.counties, grant.scope.label) == ("360822100", ("360822",), "吉水县文峰镇")
    with pytest.raises(ValueError, match="未知的乡镇代码：360822999"):
        links.create(conn, ["360822999"], 1, "/", "a", NOW)
    with pytest.raises(ValueError, match="未知的区县代码：360822100"):  # a township with counties: refused
        links.create(conn, ["360822100", "360881"], 1, "/", "a", NOW)

"""AppTest of 生成分享链接, the audit of exports and the 管理 page (local mode: the machine's own
city administrator; share links as the other identity AppTest can reach)."""

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sanqu.access import audit, links
from sanqu.access.clock import BEIJING
from tests.downloads import offered

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=BEIJING)


@pytest.fixture()
def access(demo_dir, tmp_path, monkeypatch):
    """Local mode with its own access file and a pinned clock; yields the access file's path."""
    path = tmp_path / "access.sqlite"
    monkeypatch.delenv("SANQU_ACCESS", raising=False)
    monkeypatch.delenv("SANQU_LINK_SECRET", raising=False)
    monkeypatch.setenv("SANQU_ACCESS_DB", str(path))
    monkeypatch.setenv("SANQU_NOW", NOW.isoformat())
    monkeypatch.setenv("SANQU_PUBLIC_URL", "https://dj.example.gov.cn/")
    return path


def _run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _trail(path) -> list[audit.Entry]:
    with closing(sqlite3.connect(path)) as conn:
        return audit.latest(conn)


def _table(at: AppTest, section: str):
    return at.get_by_key(section).dataframe[0].value


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_city_administrator_makes_a_link_for_one_district(access):
    at = _run(district="360881")
    assert at.multiselect(key="sq_share_codes").value == ["360881"]  # the district in view
    assert len(at.multiselect(key="sq_share_codes").options) == 13  # any district of the city
    at.number_input(key="sq_share_days").set_value(3)
    _button(at, "生成分享链接").click().run()
    assert not at.exception, at.exception
    shown = [c.value for c in at.code if "share=" in c.value]
    assert len(shown) == 1 and shown[0].startswith("https://dj.example.gov.cn/overview?district=360881&period=")
    token = shown[0].split("share=")[1]
    with closing(sqlite3.connect(access)) as conn:
        grant = links.verify(conn, token, NOW + dt.timedelta(days=3) - dt.timedelta(seconds=1))
        assert grant.codes == ("360881",) and grant.path.startswith("/overview?district=360881")
        with pytest.raises(links.LinkRefused, match="过期"):
            links.verify(conn, token, NOW + dt.timedelta(days=3))
        assert links.list_links(conn)[0].created_by == "local"
    made = [e for e in _trail(access) if e.action == "link_created"]
    assert len(made) == 1 and made[0].scope == "360881" and made[0].user_id == "local"


def test_a_township_in_view_is_shared_as_the_township(access):
    at = _run(district="360822100")
    box = at.multiselect(key="sq_share_codes")
    assert box.value == ["360822100"] and len(box.options) == 14  # the 13 districts and the township in view
    _button(at, "生成分享链接").click().run()
    assert not at.exception, at.exception
    shown = [c.value for c in at.code if "share=" in c.value]
    assert len(shown) == 1 and "district=360822100" in shown[0]
    with closing(sqlite3.connect(access)) as conn:
        grant = links.verify(conn, shown[0].split("share=")[1], NOW)
    assert grant.scope.township == "360822100"
    at.multiselect(key="sq_share_codes").set_value(["360822100", "360881"])
    _button(at, "生成分享链接").click().run()
    assert "乡镇只能单独分享：请只选择这一个乡镇，或只选择区县。" in [w.value for w in at.warning]


def test_a_link_with_no_district_is_not_made(access):
    at = _run()
    assert at.multiselect(key="sq_share_codes").value == []  # the whole city in view: choose
    _button(at, "生成分享链接").click().run()
    assert "请选择至少一个区县。" in [w.value for w in at.warning]
    with closing(sqlite3.connect(access)) as conn:
        assert links.list_links(conn) == []


def test_an_export_is_in_the_audit_trail_with_its_file_scope_and_rows(access, media):
    at = _run(district="360822")
    button = at.download_button[0]
    assert button.label.startswith("导出 Excel（")
    rows = int(button.label.removeprefix("导出 Excel（").split(" ")[0].replace(",", ""))
    assert not [e for e in _trail(access) if e.action == "export"]  # shown is not taken
    offered(button)  # what a press runs: the workbook made, the trail written
    exports = [e for e in _trail(access) if e.action == "export"]
    assert len(exports) == 1
    assert exports[0].detail == "三区党建总览_360822_2026Q3.xlsx" and exports[0].scope == "360822"
    assert exports[0].rows == rows and exports[0].user_id == "local"
    assert [e.action for e in _trail(access)][-1] == "sign_in"  # the session's first run, once


def test_the_briefing_pdf_is_in_the_audit_trail(access, media):
    at = _run(district="360881")
    pdf = next(b for b in at.download_button if b.label == "下载简报 PDF")
    assert offered(pdf)[:5] == b"%PDF-"
    exports = [e for e in _trail(access) if e.action == "export"]
    assert [(e.detail, e.scope, e.rows) for e in exports] == [("三区党建简报_360881_2026Q3.pdf", "360881", None)]


def test_a_share_link_session_is_read_only_and_audited_as_the_link(access):
    with closing(sqlite3.connect(access)) as conn:
        link, token = links.create(conn, ["360822"], 1, "/overview", "someone", NOW)
    at = _run(share=token)
    assert at.selectbox(key="district").options == ["吉水县"]
    assert not [b for b in at.button if b.label == "生成分享链接"]  # no links made from a link
    assert "分享链接 · 只读 · 吉水县" in [c.value for c in at.sidebar.caption]
    at.run()  # a rerun is not another use
    used = [e for e in _trail(access) if e.action == "link_used"]
    assert [(e.user_id, e.via, e.scope) for e in used] == [(f"link:{link.id}", "link", "360822")]
    with closing(sqlite3.connect(access)) as conn:
        found = links.find(conn, link.id)
    assert found is not None and found.uses == 1


def test_the_admin_page_is_not_for_a_share_link(access):
    with closing(sqlite3.connect(access)) as conn:
        _, token = links.create(conn, ["360822"], 1, "/overview", "someone", NOW)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["share"] = token
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in the navigation
        at.switch_page("views/admin.py")


def test_the_admin_page_adds_and_removes_users_and_revokes_links(access):
    with closing(sqlite3.connect(access)) as conn:
        link, _ = links.create(conn, ["360881"], 7, "/map", "someone", NOW)
    at = _run("views/admin.py")
    assert [t.value for t in at.title] == ["管理"]
    assert list(_table(at, "sq_admin_links")["编号"]) == [link.id] and list(_table(at, "sq_admin_links")["状态"]) == [
        "有效"
    ]

    at.text_input(key="admin_user_id").set_value("jishui@jian.gov.cn")
    at.selectbox(key="admin_user_role").set_value("county")
    at.multiselect(key="admin_user_codes").set_value(["360822"])
    _button(at, "添加或更新用户").click().run()
    assert not at.exception, at.exception
    assert "已保存用户 jishui@jian.gov.cn（吉水县）" in [s.value for s in at.success]
    users = _table(at, "sq_admin_users")
    assert list(users["用户"]) == ["jishui@jian.gov.cn"] and list(users["范围"]) == ["吉水县"]

    at.text_input(key="admin_user_id").set_value("bad@jian.gov.cn")
    at.selectbox(key="admin_user_role").set_value("county")
    _button(at, "添加或更新用户").click().run()  # a county user without a district: refused
    assert any("需要 --district" in e.value for e in at.error)

    at.selectbox(key="admin_remove_id").set_value("jishui@jian.gov.cn")
    at.run()
    at.button(key="admin_remove").click().run()
    assert "已删除用户 jishui@jian.gov.cn" in [s.value for s in at.success]
    users_now = at.get_by_key("sq_admin_users")
    assert len(users_now.dataframe) == 0 and "无数据" in [c.value for c in users_now.caption]  # none left

    at.selectbox(key="admin_revoke_id").set_value(link.id)
    at.run()
    at.button(key="admin_revoke").click().run()
    assert f"已撤销分享链接 {link.id}" in [s.value for s in at.success]
    assert list(_table(at, "sq_admin_links")["状态"]) == ["已撤销"]
    trail = _table(at, "sq_admin_audit")
    assert list(trail["操作"])[:3] == ["撤销分享链接", "删除用户", "添加用户"]
    assert set(trail["用户"]) == {"local"}

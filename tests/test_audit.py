"""The audit trail: lines recorded and read back newest first, with a readable line each."""

import datetime as dt
import sqlite3

import pytest

from sanqu.access import audit
from sanqu.access.clock import BEIJING

NOW = dt.datetime(2026, 12, 2, 9, 30, tzinfo=BEIJING)


@pytest.fixture()
def conn(tmp_path):
    c = sqlite3.connect(tmp_path / "access.sqlite")
    c.row_factory = sqlite3.Row  # as accessdb.connect() opens it
    yield c
    c.close()


def test_lines_come_back_newest_first_and_read_as_one_line_each(conn):
    audit.record(conn, NOW, "zhang", "oidc", "sign_in", scope=("360822",))
    audit.record(conn, NOW + dt.timedelta(minutes=5), "zhang", "oidc", "export", "工业园区_清单.xlsx", ("360822",), 42)
    audit.record(conn, NOW + dt.timedelta(minutes=5), "", "proxy", "refused", "无权访问：不在访问名单中")
    audit.record_import(conn, NOW + dt.timedelta(minutes=9), "li", "local", "enterprises.csv", ("360822",), 7)
    lines = audit.latest(conn)
    assert [e.action for e in lines] == ["import", "refused", "export", "sign_in"]
    assert lines[2].rows == 42 and lines[2].scope == "360822" and lines[3].rows is None
    assert lines[2].line() == "2026-12-02 09:35  zhang (oidc)  导出  工业园区_清单.xlsx · 范围 360822 · 42 行"
    assert lines[1].line() == "2026-12-02 09:35  （匿名） (proxy)  拒绝访问  无权访问：不在访问名单中"
    assert [e.action for e in audit.latest(conn, limit=2)] == ["import", "refused"]
    assert [e.user_id for e in audit.latest(conn, action="export")] == ["zhang"]
    assert lines[3].line() == "2026-12-02 09:30  zhang (oidc)  登录 · 范围 360822"


def test_an_unknown_action_is_a_programming_error(conn):
    with pytest.raises(ValueError):
        audit.record(conn, NOW, "x", "local", "deleted_everything")

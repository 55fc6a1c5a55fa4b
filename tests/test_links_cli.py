"""`python -m sanqu share …` and `python -m sanqu audit` against a private access file, the clock
moved with SANQU_NOW."""

import re
import sqlite3
from contextlib import closing

import pytest

from sanqu.__main__ import main
from sanqu.access import links
from sanqu.access.clock import parse

T0 = "2026-11-26T09:00:00"


@pytest.fixture()
def access(tmp_path, monkeypatch):
    path = tmp_path / "access.sqlite"
    monkeypatch.setenv("SANQU_ACCESS_DB", str(path))
    monkeypatch.setenv("SANQU_NOW", T0)
    monkeypatch.delenv("SANQU_PUBLIC_URL", raising=False)
    monkeypatch.delenv("SANQU_LINK_SECRET", raising=False)
    return path


def _share(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["share", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_share_prints_the_full_link_that_verifies_until_the_days_pass(access, capsys, monkeypatch):
    code, out, err = _share(capsys, "--district", "360881", "--days", "1")
    assert code == 0
    match = re.fullmatch(r"http://127\.0\.0\.1:8501/overview\?share=([a-z2-9]{8})\.([A-Za-z0-9_-]{24})\n", out)
    assert match, out
    assert f"编号 {match.group(1)} · 井冈山市 · 有效至 2026-11-27 09:00" in err
    token = out.strip().split("share=")[1]
    with closing(sqlite3.connect(access)) as conn:
        assert links.verify(conn, token, parse("2026-11-27T08:59")).codes == ("360881",)
        with pytest.raises(links.LinkRefused, match="过期"):
            links.verify(conn, token, parse("2026-11-27T09:00"))

    monkeypatch.setenv("SANQU_NOW", "2026-11-27T09:00:00")  # the day has passed
    assert main(["share", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{match.group(1)}  已过期  井冈山市  有效至 2026-11-27 09:00  打开 0 次  /overview  由 cli:" in listed


def test_share_with_a_path_and_the_public_address(access, capsys, monkeypatch):
    monkeypatch.setenv("SANQU_PUBLIC_URL", "https://dj.example.gov.cn/sanqu/")
    code, out, _ = _share(capsys, "--district", "360822,360881", "--days", "7", "--path", "/map?layers=parks&z=10")
    assert code == 0
    assert out.startswith("https://dj.example.gov.cn/sanqu/map?layers=parks&z=10&share=")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "999999", "--days", "1"], "未知的区县代码：999999"),
        (["--district", "360881", "--days", "0"], "有效天数应在 1 到 366 之间"),
        (["--district", "360881", "--days", "1", "--path", "https://evil.example/"], "以 / 开头"),
        (["--district", "360881"], "用法：python -m sanqu share"),
    ],
)
def test_share_refuses_bad_arguments(access, capsys, args, message):
    code, out, err = _share(capsys, *args)
    assert code == 2 and out == "" and message in err


def test_revoke_then_list_and_audit(access, capsys):
    _, out, _ = _share(capsys, "--district", "360881", "--days", "3", "--by", "admin@jian.gov.cn")
    link_id = out.split("share=")[1].split(".")[0]
    assert main(["share", "revoke", link_id]) == 0
    assert capsys.readouterr().out == f"已撤销 {link_id}\n"
    assert main(["share", "revoke", link_id]) == 1  # already revoked
    assert "已撤销" in capsys.readouterr().err
    assert main(["share", "list"]) == 0
    assert f"{link_id}  已撤销  井冈山市" in capsys.readouterr().out

    assert main(["audit", "--limit", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"2026-11-26 09:00  admin@jian.gov.cn (cli)  创建分享链接  {link_id} /overview · 范围 360881"
    assert lines[1].startswith("2026-11-26 09:00  cli:") and f"撤销分享链接  {link_id} · 范围 360881" in lines[1]
    assert len(lines) == 2
    assert main(["audit", "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1

"""Building the store: validation errors name file, row and column; rebuilds are atomic."""

import csv
import shutil

import duckdb
import pytest
from openpyxl import Workbook

from sanqu.ingest import demo
from sanqu.ingest.loader import RegisterError
from sanqu.ingest.registers import register
from sanqu.storage import store
from tests import tiny


@pytest.fixture()
def folder(tmp_path):
    demo.write_rows(tmp_path / "registers", tiny.ROWS)
    return tmp_path


def _rewrite(path, change):
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    change(rows)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _build(folder):
    return store.build(folder / "registers", folder / "sanqu.duckdb")


def _count(folder, table):
    con = duckdb.connect(str(folder / "sanqu.duckdb"), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    finally:
        con.close()


def _error(folder) -> str:
    with pytest.raises(RegisterError) as err:
        _build(folder)
    return str(err.value)


def test_missing_column(folder):
    _rewrite(folder / "registers/enterprises.csv", lambda rows: [r.pop(8) for r in rows])  # 从业人数
    assert "enterprises.csv 第1行「从业人数」列: 缺少必需的列" in _error(folder)


def _set_cell(row, col, value):
    return lambda rows: rows[row].__setitem__(col, value)


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        ("enterprises", _set_cell(3, 3, "360899"), ["enterprises.csv 第4行「区县代码」列: 未知的区县代码"]),
        # what Excel does to a 9-digit code
        (
            "enterprises",
            _set_cell(2, 2, "3.60822E+08"),
            ["enterprises.csv 第3行「所属园区代码」列: 编码变成了科学计数法", "3.60822E+08"],
        ),
        ("enterprises", _set_cell(1, 10, "2020-02-30"), ["enterprises.csv 第2行「入园日期」列: 日期无效"]),
        ("org_coverage", _set_cell(1, 0, "DZ360822-09999"), ["org_coverage.csv 第2行「党组织编号」列"]),
    ],
    ids=["unknown-district-code", "code-read-as-a-number", "bad-date", "unknown-reference"],
)
def test_a_bad_cell_is_named(folder, file, change, expected):
    _rewrite(folder / f"registers/{file}.csv", change)
    msg = _error(folder)
    for text in expected:
        assert text in msg


def test_failed_rebuild_keeps_previous_database(folder):
    _build(folder)
    before = (folder / "sanqu.duckdb").read_bytes()
    _rewrite(folder / "registers/enterprises.csv", _set_cell(1, 10, "not a date"))
    with pytest.raises(RegisterError):
        _build(folder)
    assert (folder / "sanqu.duckdb").read_bytes() == before
    assert _count(folder, "enterprises") == 8
    assert [p.name for p in folder.iterdir() if "building" in p.name] == []


def test_needs_build_when_a_register_is_newer(folder):
    db = folder / "sanqu.duckdb"
    assert store.needs_build(folder / "registers", db)
    _build(folder)
    assert not store.needs_build(folder / "registers", db)
    path = folder / "registers/parks.csv"
    path.touch()
    import os

    os.utime(path, (db.stat().st_mtime + 5, db.stat().st_mtime + 5))
    assert store.needs_build(folder / "registers", db)


def test_excel_register_with_code_stored_as_number(folder):
    reg = register("parks")
    (folder / "registers/parks.csv").unlink()
    wb = Workbook()
    ws = wb.active
    ws.title = "园区台账"
    ws.append([f.label for f in reg.fields])
    ws.append(["360822400", "吉水县工业园区", "360822", "省级", 115.1, 27.2])
    ws.append([360823400, "峡江县工业园区", "360823", "省级", 115.3, 27.6])
    wb.save(folder / "registers/parks.xlsx")
    msg = _error(folder)
    assert "parks.xlsx [园区台账] 第3行「园区代码」列: 编码被存成了数字" in msg


def test_excel_register_as_text_loads(folder):
    reg = register("parks")
    (folder / "registers/parks.csv").unlink()
    wb = Workbook()
    ws = wb.active
    ws.append([f.label for f in reg.fields])
    for p in tiny.ROWS["parks"]:
        ws.append([str(p[f.name]) if f.type == "code" else p[f.name] for f in reg.fields])
    wb.save(folder / "registers/parks.xlsx")
    _build(folder)
    assert _count(folder, "parks") == 2


def test_personal_columns_are_dropped(folder):
    def change(rows):
        rows[0] += ["姓名", "身份证号"]
        for r in rows[1:]:
            r += ["张三", "360822199001011234"]

    _rewrite(folder / "registers/enterprises.csv", change)
    report = _build(folder)
    assert any("姓名" in d for d in report.dropped) and any("身份证号" in d for d in report.dropped)
    con = duckdb.connect(str(folder / "sanqu.duckdb"), read_only=True)
    try:
        dump = str(con.execute("SELECT * FROM enterprises").fetchall())
    finally:
        con.close()
    assert "张三" not in dump and "360822199001011234" not in dump


def test_missing_register_file(folder):
    (folder / "registers/venues.csv").unlink()
    assert "venues.csv" in _error(folder) and "缺少台账文件" in _error(folder)


def test_duplicate_key(folder):
    _rewrite(folder / "registers/parks.csv", lambda rows: rows.append(list(rows[1])))
    assert "parks.csv 第4行" in _error(folder) and "编号重复" in _error(folder)


def test_cli_reports_error_and_keeps_database(folder, monkeypatch, capsys):
    from sanqu.__main__ import main

    monkeypatch.setenv("SANQU_DATA_DIR", str(folder))
    assert main(["build"]) == 0
    shutil.copy(folder / "registers/parks.csv", folder / "parks.bak")
    _rewrite(folder / "registers/parks.csv", lambda rows: rows[1].__setitem__(2, "999999"))
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "parks.csv 第2行「区县代码」列" in err and "数据库未更新" in err
    assert _count(folder, "parks") == 2


def test_make_run_starts_on_the_last_good_store(folder, monkeypatch, capsys):
    from sanqu.__main__ import main

    monkeypatch.setenv("SANQU_DATA_DIR", str(folder))
    assert main(["build"]) == 0
    _rewrite(folder / "registers/parks.csv", lambda rows: rows[1].__setitem__(2, "999999"))
    assert main(["ensure"]) == 0  # the app can start: the previous store is kept
    assert "继续使用之前的" in capsys.readouterr().err
    assert store.needs_build(folder / "registers", folder / "sanqu.duckdb")  # and the app says so

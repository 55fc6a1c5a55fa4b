"""Round trip: template -> filled -> import (--district, --publish) -> the KPIs change as computed
by hand -> rollback gives the earlier store byte for byte. And the marked workbook."""

import io
from contextlib import closing
from pathlib import Path

import openpyxl
import pytest

from sanqu.__main__ import main
from sanqu.access import accessdb, audit
from sanqu.context import Context
from sanqu.ingest import marked, upload
from sanqu.ingest.registers import register
from sanqu.metrics import overview
from sanqu.paths import db_path
from sanqu.publish import intake, versions
from sanqu.scope import Scope
from sanqu.storage.db import Database
from tests import intake_corpus, stores, tiny

ENT = register("enterprises")
# a new non-public operating enterprise of 峡江县, covered by nothing
E9 = ["QY360823-0009", "企业0009", tiny.PB, tiny.B, tiny.PB, "电子信息", "私营", "规下", "40", "0", "2026/7/1", ""]


@pytest.fixture()
def data(tmp_path, monkeypatch) -> Path:
    stores.built(tmp_path, tiny.ROWS)
    monkeypatch.setenv("SANQU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SANQU_TODAY", "2026-10-15")
    return tmp_path


def _park_kpi() -> tuple[int, int]:
    db = Database(db_path())
    try:
        k = overview.kpi(db, Context(Scope.city(), "2026Q3"), "park_org")
        return k.numerator, k.denominator
    finally:
        db.close()


def _filled(tmp: Path, rows: list[list[str]]) -> Path:
    assert main(["template", "enterprises", "--out", str(tmp / "tpl")]) == 0
    path = tmp / "tpl" / "园区企业_模板.xlsx"
    wb = openpyxl.load_workbook(path)
    for i, values in enumerate(rows, start=2):
        for j, v in enumerate(values, start=1):
            cell = wb["园区企业"].cell(row=i, column=j, value=v)
            cell.data_type = "s"  # as typed into a text-formatted cell: never a formula
    wb.save(path)
    return path


def _b_rows() -> list[list[str]]:
    return [r for r in intake_corpus._rows() if r[3] == tiny.B]


def test_round_trip(data, capsys):
    original = versions.checksum(db_path())
    assert _park_kpi() == (4, 6)  # tests/tiny.py: E1 own, E2 E3 E7 joint of 6 non-public operating
    path = _filled(data, [*_b_rows(), E9 + ["", ""]])
    assert main(["import", "--district", tiny.B, str(path)]) == 0  # checked, not published
    assert versions.checksum(db_path()) == original and versions.history() == []
    assert main(["import", "--district", tiny.B, "--publish", str(path)]) == 0
    out = capsys.readouterr().out
    assert "读入 4 行 = 通过 4 行 + 退回 0 行" in out and "已将 1 个日期统一为 YYYY-MM-DD 格式" in out
    assert _park_kpi() == (4, 7)  # E9 joins the denominator, uncovered
    history = versions.history()
    assert [(v.number, v.what) for v in history] == [(2, "发布"), (1, "初始数据")]
    assert history[0].district == tiny.B and history[0].files == ["园区企业_模板.xlsx"]
    assert history[0].rows["enterprises"] == 9 and history[1].checksum == original
    assert (data / "submissions" / tiny.B / "0002" / "园区企业_模板.xlsx").exists()
    assert main(["rollback", "1"]) == 0
    assert versions.checksum(db_path()) == original and _park_kpi() == (4, 6)
    assert main(["versions"]) == 0
    assert "回滚到版本 1" in capsys.readouterr().out
    with closing(accessdb.connect()) as conn:  # the audit trail: the publish and the roll back
        lines = [(e.action, e.scope, e.rows) for e in audit.latest(conn)]
    assert lines == [("rollback", "", 30), ("import", tiny.B, 4)]  # 30: every row of tiny.ROWS (version 1)
    from sanqu.storage import store

    assert not store.needs_build(data / "registers", db_path())  # make run will not rebuild it


def test_a_county_upload_keeps_other_counties_rows(data):
    path = _filled(data, _b_rows()[:1])  # 峡江县 now has one enterprise: E4 and E8 removed
    result = intake.check([(path.name, path.read_bytes())], tiny.B)
    assert result.ok is False  # E4 still has an instructor: the removal is named on the kept row
    assert [str(p) for p in result.problems] == [
        "现有数据 instructors.csv 第2行「单位编号」列: 在园区企业台账中找不到企业 QY360823-0004"
    ]
    path = _filled(data, [r for r in _b_rows() if r[0] != "QY360823-0008"])
    result = intake.check([(path.name, path.read_bytes())], tiny.B)
    assert result.ok and result.merged is not None
    changes = result.merged.changes.to_dict("records")
    assert changes == [
        {"台账": "园区企业", "区县": "峡江县（360823）", "新增": 0, "修改": 0, "删除": 1, "发布后行数": 2}
    ]
    intake.publish(result, "测试")
    frames = intake.current().frames["enterprises"]
    assert sorted(frames["enterprise_id"]) == [
        *(f"QY360822-000{i}" for i in (1, 2, 5, 6, 7)),
        "QY360823-0003",
        "QY360823-0004",
    ]


def test_another_countys_row_is_refused_and_nothing_changes(data):
    before = versions.checksum(db_path())
    path = _filled(data, [*_b_rows(), intake_corpus._rows()[0]])
    assert main(["import", "--district", tiny.B, "--publish", str(path)]) == 1
    assert versions.checksum(db_path()) == before and versions.history() == []


def test_headline_preview(data):
    path = _filled(data, [*_b_rows(), E9 + ["", ""]])
    result = intake.check([(path.name, path.read_bytes())], tiny.B)
    preview = intake.headline_preview(result).set_index("指标")
    # 峡江县 at 2026Q3: E3 (joint J1) and E4 (instructor only); E8 closed; then E9 uncovered
    assert list(preview.loc["工业园区 · 组织覆盖率"]) == ["50.0%（1/2）", "33.3%（1/3）"]


def test_marked_workbook(data):
    rows = intake_corpus._rows()
    rows[1][3] = "360899"  # row 3: unknown district
    rows[2][10] = "2020-02-30"  # row 4
    rows[3][1] = "=1+1"  # text that looks like a formula stays text
    path = _filled(data, rows)
    parts = upload.read_uploads([(path.name, path.read_bytes())])
    name, data_out = marked.marked(path.name, path.read_bytes(), parts)
    assert name == "园区企业_模板_错误标注.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(data_out))["园区企业"]
    note = [c.column for c in ws[1] if c.value == "错误说明"][0]
    assert ws.cell(row=3, column=note).value == "「区县代码」未知的区县代码（应为吉安市 13 个区县之一）"
    assert ws.cell(row=4, column=note).value == "「入园日期」日期无效：2020年2月没有30日"
    assert ws.cell(row=2, column=note).value is None
    assert ws.cell(row=3, column=4).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=5, column=2).value == "=1+1" and ws.cell(row=5, column=2).data_type == "s"


def test_marked_csv_comes_back_as_a_workbook(data):
    body = intake_corpus.csv_bytes(
        intake_corpus._title_above(intake_corpus.table(intake_corpus.set_cell(3, "区县代码", "360899")))
    )
    parts = upload.read_uploads([("园区企业.csv", body)])
    name, out = marked.marked("园区企业.csv", body, parts)
    ws = openpyxl.load_workbook(io.BytesIO(out)).active
    assert name == "园区企业_错误标注.xlsx" and ws["A1"].value.startswith("吉水县")
    note = [c.column for c in ws[4] if c.value == "错误说明"][0]
    assert ws.cell(row=6, column=note).value.startswith("「区县代码」未知的区县代码")


def test_register_csv_round_trips_numpy_values():
    import numpy as np
    import pandas as pd

    parks = register("parks")
    df = pd.DataFrame(
        {
            "park_id": ["360822400"],
            "name": ["园区"],
            "district": ["360822"],
            "level": ["省级"],
            "lon": pd.array([np.float64(115.01275)], dtype="Float64"),
            "lat": [np.nan],
        }
    )
    assert intake.register_csv(df, parks).decode("utf-8-sig").splitlines()[1] == "360822400,园区,360822,省级,115.01275,"


def test_template_columns_dropdowns_and_guide():
    from sanqu.ingest import template

    wb = openpyxl.load_workbook(io.BytesIO(template.workbook([ENT])))
    assert wb.sheetnames == ["园区企业", "填表说明"]
    ws = wb["园区企业"]
    assert [c.value for c in ws[1]] == [f.label for f in ENT.fields]
    assert ws["A2"].number_format == "@" and ws["K2"].number_format == "@"  # 企业编号, 入园日期: text
    assert ws["I2"].number_format == "General"  # 从业人数 stays a number
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["D2:D2001"].startswith('"360802,360803,') and lists["H2:H2001"] == '"规上,规下"'
    guide = [[c.value for c in row] for row in wb["填表说明"].iter_rows()]
    assert [
        "企业编号",
        "编码（文本）",
        "是",
        "按文本填写，如 QY360822-0001（不能是数字，开头的 0 不能丢）",
        "QY360822-0001",
    ] in guide
    assert ["停业注销日期", "日期", "否", "如 2026-03-05（也接受 2026/3/5、2026年3月5日）", "2026-03-05"] in guide

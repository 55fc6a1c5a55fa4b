"""数据上报 in the browser as a county administrator (access=proxy behind a real nginx, as in
test_access.py): a file with a bad cell is sent back with the report and the marked workbook;
the corrected file is previewed and published, and the overview's figure changes as computed
by hand; a row of another county is refused by name."""

import csv
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from sanqu.access import users
from sanqu.context import Context
from sanqu.metrics import overview
from sanqu.scope import Scope
from sanqu.storage.db import Database
from tests.browser.conftest import _serve, settle
from tests.browser.test_access import _behind_nginx

pytestmark = pytest.mark.browser

JISHUI, XIAJIANG = "360822", "360823"
COUNTY_USER = "jishui-admin@jian.gov.cn"
TODAY = "2026-11-26"  # the server's SANQU_TODAY (conftest._serve)


@pytest.fixture(scope="module")
def data(demo_data, tmp_path_factory):
    """A copy of the demo data: publishing changes it."""
    folder = tmp_path_factory.mktemp("upload-data")
    for name in ("registers", "sanqu.duckdb", "sanqu.duckdb.json"):
        src = demo_data / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, folder / name)
    return folder


@pytest.fixture(scope="module")
def site(data, tmp_path_factory):
    access = tmp_path_factory.mktemp("upload-access") / "access.sqlite"
    mp = pytest.MonkeyPatch()
    mp.setenv("SANQU_ACCESS_DB", str(access))
    users.add(COUNTY_USER, "county", JISHUI)
    mp.undo()
    for app in _serve(data, "upload.log", SANQU_ACCESS="proxy", SANQU_ACCESS_DB=str(access)):
        yield from _behind_nginx(app, tmp_path_factory.mktemp("upload-nginx"))


def _enterprises(data) -> list[list[str]]:
    with open(data / "registers" / "enterprises.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "园区企业"
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for cell in row:
            cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _park_kpi(data) -> tuple[int, int]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SANQU_TODAY", TODAY)
    db = Database(data / "sanqu.duckdb")
    try:
        k = overview.kpi(db, Context(Scope.of(JISHUI), db.periods()[-1]), "park_org")
        return k.numerator, k.denominator
    finally:
        db.close()
        mp.undo()


def _check(page, name: str, body: bytes) -> None:
    """Replace the uploaded file (as a person removes the old one first) and press 校验."""
    remove = page.get_by_role("button", name=re.compile("^Remove "))
    while remove.count():
        remove.first.click()
        settle(page, 60000)
    expect(page.get_by_text("校验报告")).to_have_count(0)  # the old report went with its file
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": body}]
    )
    page.get_by_role("button", name="校验").click()
    page.get_by_text("校验报告").wait_for(timeout=120000)
    settle(page, 120000)


def test_county_upload_report_marked_publish(site, data, browser, output_dir):
    header, *rows = _enterprises(data)
    mine = [r for r in rows if r[header.index("区县代码")] == JISHUI]
    new = list(mine[0])  # one more non-public, operating enterprise of 吉水县, covered by nothing
    new[header.index("企业编号")], new[header.index("企业名称")] = "QY360822-9999", "新入园企业"
    new[header.index("经济类型")], new[header.index("停业注销日期")] = "私营", ""
    new[header.index("入园日期")] = "2020-01-01"
    before = _park_kpi(data)
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    context.add_cookies([{"name": "sso_user", "value": COUNTY_USER, "url": site}])
    page = context.new_page()
    try:
        page.goto(site + "/upload")
        page.get_by_text("上报单位").first.wait_for(timeout=60000)
        page.get_by_role("combobox", name="上报单位").click()
        expect(page.get_by_role("option")).to_have_text(["吉水县（360822）"])  # its district only
        page.keyboard.press("Escape")

        bad = [list(r) for r in mine] + [new]
        bad[1][header.index("入园日期")] = "2020-02-30"  # Excel row 3
        _check(page, "吉水县园区企业.xlsx", _xlsx([header, *bad]))
        expect(page.get_by_text(f"读入 {len(bad)} 行 = 通过 {len(bad) - 1} 行 + 退回 1 行")).to_be_visible()
        expect(page.get_by_text("未通过").first).to_be_visible()
        with page.expect_download() as got:
            page.get_by_role("button", name="下载标注错误的文件").click()
        ws = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))["园区企业"]
        assert got.value.suggested_filename == "吉水县园区企业_错误标注.xlsx"
        note = [c.column for c in ws[1] if c.value == "错误说明"][0]
        assert ws.cell(row=3, column=note).value == "「入园日期」日期无效：2020年2月没有30日"
        page.screenshot(path=output_dir / "upload-report.png", full_page=True)

        _check(page, "吉水县园区企业.xlsx", _xlsx([header, *mine, new]))
        expect(page.get_by_text("全部文件通过校验。")).to_be_visible()
        page.get_by_role("button", name="发布").click()
        page.get_by_text("已发布版本").wait_for(timeout=120000)
        assert _park_kpi(data) == (before[0], before[1] + 1)

        page.goto(site + "/overview")
        settle(page, 60000)
        expect(page.get_by_text(f"{before[0]:,} / {before[1] + 1:,} 家企业").first).to_be_visible()

        page.goto(site + "/upload")
        page.get_by_text("上报单位").first.wait_for(timeout=60000)
        other = [r for r in rows if r[header.index("区县代码")] == XIAJIANG][0]
        _check(page, "吉水县园区企业.xlsx", _xlsx([header, *mine, new, other]))
        n = len(mine) + 2
        expect(page.get_by_text(f"读入 {n} 行 = 通过 {n - 1} 行 + 退回 1 行")).to_be_visible()
        refused = page.locator("[role=gridcell]", has_text="这一行属于峡江县（360823），不是本次上报的吉水县（360822）")
        expect(refused).to_have_count(1)  # the table's cells are drawn on a canvas: in the DOM, hidden
        assert page.get_by_role("button", name="发布").count() == 0
        page.screenshot(path=output_dir / "upload-refused.png", full_page=True)
    finally:
        context.close()

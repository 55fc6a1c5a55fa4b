"""The workbook sent back: the office's own rows with the bad cells highlighted and an 错误说明
column, so the file is fixed in place and uploaded again.

An .xlsx/.xlsm upload is opened with openpyxl and marked where it is (its titles, formats and
other sheets kept; formulas stay as they were, none is added). A CSV, or a workbook openpyxl
cannot open (.xls), comes back as a new .xlsx with the same rows and row numbers. Every value
written is text (never a formula): a cell starting with = stays text.
"""

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from sanqu.ingest.readers import Sheet, read_csv, read_workbook
from sanqu.ingest.upload import Part

BAD = PatternFill("solid", fgColor="FFC7CE")
BAD_ROW = PatternFill("solid", fgColor="FFEB9C")
NOTE = "错误说明"


def _messages(part: Part) -> dict[int, list[tuple[str, str]]]:
    """{row: [(column, message)]} of the part's problems."""
    out: dict[int, list[tuple[str, str]]] = {}
    for p in part.problems:
        out.setdefault(p.row, []).append((p.column, p.message))
    return out


def _column_of(ws, header_row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for cell in ws[header_row]:
        if isinstance(cell.value, str) and cell.value.strip():
            found.setdefault(cell.value.strip().replace("\u00a0", " ").strip(), cell.column)
    return found


def _mark_sheet(ws, part: Part) -> None:
    columns = _column_of(ws, part.header_row)
    note = ws.max_column + 1
    head = ws.cell(row=part.header_row, column=note, value=NOTE)
    head.font, head.fill, head.data_type = Font(bold=True, color="9C0006"), BAD, "s"
    for row, items in sorted(_messages(part).items()):
        target = row if row > 0 else part.header_row
        texts = []
        for column, message in items:
            c = columns.get(column.split("、")[0]) if column else None
            if c is not None and row > 0:
                cell = ws.cell(row=target, column=c)
                cell.fill = BAD
                cell.comment = Comment(message, "数据上报")
            texts.append(f"「{column}」{message}" if column else message)
        cell = ws.cell(row=target, column=note, value="；".join(texts))
        cell.data_type, cell.fill = "s", BAD_ROW
    ws.column_dimensions[ws.cell(row=1, column=note).column_letter].width = 60


def _rows_sheet(ws, sheet: Sheet) -> None:
    for n, cells in sheet.rows:
        for i, v in enumerate(cells, start=1):
            if v:
                cell = ws.cell(row=n, column=i, value=v)
                cell.data_type = "s"


def marked(name: str, data: bytes, parts: list[Part]) -> tuple[str, bytes]:
    """(file name, bytes) of the marked workbook of one uploaded file."""
    mine = [p for p in parts if p.source.file == name]
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            wb = load_workbook(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - unreadable here: sent back as a plain copy below
            wb = None
        if wb is not None:
            for part in mine:
                if part.source.sheet in wb.sheetnames:
                    _mark_sheet(wb[part.source.sheet], part)
            out = io.BytesIO()
            wb.save(out)
            return f"{stem}_错误标注{suffix}", out.getvalue()
    wb = Workbook()  # a CSV, or a workbook openpyxl cannot open (.xls): the rows in a new workbook
    wb.remove(wb.active)
    sheets = [read_csv(data, _source(name))] if suffix == ".csv" else read_workbook(data, name)
    for sheet in sheets:
        found = next((p for p in mine if p.source.sheet == sheet.source.sheet), None)
        title = sheet.source.sheet or (found.register.label if found and found.register else "台账")
        ws = wb.create_sheet(title[:31])
        _rows_sheet(ws, sheet)
        if found is not None:
            _mark_sheet(ws, found)
    if not wb.sheetnames:
        wb.create_sheet("台账")
    out = io.BytesIO()
    wb.save(out)
    return f"{stem}_错误标注.xlsx", out.getvalue()


def _source(name: str):
    from sanqu.ingest.problems import Source

    return Source(name)

"""Lists as Excel workbooks with Chinese headers (and a sheet saying what they are).

The data sheet is the one people forward, so with a `title` its first row says what it is
(「演示数据 · 吉安市 · 2026年第3季度 · …」), the headers follow on row 2 with a filter, and the
rows from row 3; without one the headers are row 1. The 说明 sheet lists scope, filters, quarter,
date, row count and the demo note.

Register text is written as text, never as a formula: openpyxl makes a string that starts
with "=" a formula cell, so every string cell is set back to a string (inline string) before
the workbook is saved. Numbers stay numbers. (There is no CSV export.)
"""

import io

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def _as_text(ws) -> None:
    """Every string cell of the sheet a string cell (data type "s"), never a formula ("f")."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _widths(ws, df: pd.DataFrame) -> None:
    for i, col in enumerate(df.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(40, width * 1.6)


def _data_sheet(xw, df: pd.DataFrame, sheet: str, title: str | None) -> None:
    top = 1 if title else 0  # rows above the headers
    df.to_excel(xw, sheet_name=sheet[:31], index=False, startrow=top)
    ws = xw.sheets[sheet[:31]]
    _widths(ws, df)
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    ws.freeze_panes = f"A{top + 2}"
    if len(df.columns):
        ws.auto_filter.ref = f"A{top + 1}:{get_column_letter(len(df.columns))}{top + 1 + len(df)}"


def to_excel(
    df: pd.DataFrame,
    sheet: str,
    about: dict[str, str],
    title: str | None = None,
    more: dict[str, pd.DataFrame] | None = None,
) -> bytes:
    """The rows on the first sheet (headers as given; with `title`, a title row above them),
    `more` data sheets after it (each with the same title row), `about` (filter, date, demo) on 说明."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, frame in {sheet: df, **(more or {})}.items():
            _data_sheet(xw, frame, name, title)
        pd.DataFrame({"项目": list(about), "内容": list(about.values())}).to_excel(xw, sheet_name="说明", index=False)
        for each in xw.sheets.values():
            _as_text(each)
    return buf.getvalue()

"""Lists as Excel workbooks with Chinese headers (and a sheet saying what they are).

Register text is written as text, never as a formula: openpyxl makes a string that starts
with "=" a formula cell, so every string cell is set back to a string (inline string) before
the workbook is saved. Numbers stay numbers. (There is no CSV export.)
"""

import io

import pandas as pd


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


def to_excel(df: pd.DataFrame, sheet: str, about: dict[str, str]) -> bytes:
    """The rows on the first sheet (headers as given), `about` (filter, date, demo) on 说明."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name=sheet[:31], index=False)
        pd.DataFrame({"项目": list(about), "内容": list(about.values())}).to_excel(xw, sheet_name="说明", index=False)
        ws = xw.sheets[sheet[:31]]
        _widths(ws, df)
        ws.freeze_panes = "A2"
        for each in xw.sheets.values():
            _as_text(each)
    return buf.getvalue()

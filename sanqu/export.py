"""Lists as Excel workbooks with Chinese headers (and a sheet saying what they are)."""

import io

import pandas as pd


def to_excel(df: pd.DataFrame, sheet: str, about: dict[str, str]) -> bytes:
    """The rows on the first sheet (headers as given), `about` (filter, date, demo) on 说明."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name=sheet[:31], index=False)
        pd.DataFrame({"项目": list(about), "内容": list(about.values())}).to_excel(xw, sheet_name="说明", index=False)
        ws = xw.sheets[sheet[:31]]
        for i, col in enumerate(df.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(40, width * 1.6)
        ws.freeze_panes = "A2"
    return buf.getvalue()

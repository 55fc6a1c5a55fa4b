"""Excel templates of the registers, generated from `registers.py` (the one place fields are defined).

One sheet per register, named by its Chinese name (so a filled workbook uploads as it is): the
Chinese headers on row 1, code, date and quarter columns formatted as text, dropdowns for allowed
values and district codes; then a 填表说明 sheet: every column's type, whether it is required,
its format or allowed values, and one example row.
"""

import functools
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sanqu import geography
from sanqu.geography import DISTRICTS
from sanqu.ingest.registers import BY_NAME, Field, Register, bounds
from sanqu.ingest.upload import GUIDE

ROWS = 2000  # rows prepared (text format, dropdowns) under the header
TEXT_TYPES = ("code", "date", "period")
TYPE_NAMES = {
    "code": "编码（文本）",
    "text": "文本",
    "enum": "选项",
    "int": "整数",
    "float": "数字",
    "date": "日期",
    "period": "季度",
}
REQUIRED = PatternFill("solid", fgColor="FFF2CC")
OPTIONAL = PatternFill("solid", fgColor="E7EEF7")


def file_name(reg: Register) -> str:
    return f"{reg.label}_模板.xlsx"


def example(f: Field) -> str | int | float:
    """One plausible value of the field (shown in 填表说明)."""
    if f.allowed:
        return f.allowed[0] if f.name != "district" else "360822"
    if f.type == "date":
        return "2026-03-05"
    if f.type == "period":
        return "2026Q3"
    if f.type in ("int", "float"):
        low, high = f.min or 0, f.max if f.max is not None else 100
        value = (low + high) / 2 if f.name in ("lon", "lat") else min(high, max(low, 12))
        return round(value, 4) if f.type == "float" else int(value)
    if f.type == "code":
        return _code_example(f.pattern or "")
    return f"（{f.label}）"


def _code_example(pattern: str) -> str:
    def digits(m: re.Match) -> str:
        n = int(m.group(1))
        return {6: "360822", 9: "360822400", 12: "360822400001"}.get(n, "0" * (n - 1) + "1")

    text = re.sub(r"\[0-9\]\{([0-9]+)\}", digits, pattern.strip("^$"))
    return "QY360822-0001" if "[" in text else text


def rule(f: Field) -> str:
    """The field's format in Chinese: allowed values, pattern, range, reference."""
    parts = []
    if f.name == "district":
        parts.append(f"{geography.counties_phrase()}代码之一（下拉选择）")
    elif f.allowed:
        parts.append("下拉选择：" + " / ".join(f.allowed))
    if f.type == "code" and f.name != "district":
        parts.append(f"按文本填写，如 {example(f)}（不能是数字，开头的 0 不能丢）")
    if f.type == "date":
        parts.append("如 2026-03-05（也接受 2026/3/5、2026年3月5日）")
    if f.type == "period":
        parts.append("如 2026Q3")
    if f.min is not None or f.max is not None:
        parts.append(f"范围 {bounds(f)}")
    if f.ref:
        target, _, _ = f.ref.partition(".")
        parts.append(f"须在「{BY_NAME[target].label}」台账中存在")
    return "；".join(parts)


def _list_rule(values: tuple, label: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    dv.error, dv.errorTitle, dv.showErrorMessage = f"「{label}」只能从下拉列表中选择", "取值不在允许范围内", True
    return dv


def _data_sheet(ws, reg: Register) -> None:
    for i, f in enumerate(reg.fields, start=1):
        cell = ws.cell(row=1, column=i, value=f.label)
        cell.font, cell.fill = Font(bold=True), REQUIRED if f.required else OPTIONAL
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, len(f.label) * 2.2 + 2)
        if f.type in TEXT_TYPES:
            ws.column_dimensions[letter].number_format = "@"
            for r in range(2, ROWS + 2):
                ws.cell(row=r, column=i).number_format = "@"
        values = tuple(DISTRICTS) if f.name == "district" else f.allowed
        if values:
            dv = _list_rule(values, f.label)
            dv.add(f"{letter}2:{letter}{ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def _guide(ws, regs: list[Register]) -> None:
    ws.append(["按模板填写：表头不要改动；黄色表头为必填列，蓝色为选填列；编码和日期列已设为文本格式。"])
    ws.append(["每个工作表对应一个台账，工作表名称就是台账名称；一次可以上传整个工作簿。"])
    for reg in regs:
        ws.append([])
        ws.append([f"【{reg.label}】"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append(["列名", "类型", "必填", "填写要求", "示例"])
        for f in reg.fields:
            ws.append([f.label, TYPE_NAMES[f.type], "是" if f.required else "否", rule(f), str(example(f))])
    for letter, width in zip("ABCDE", (18, 12, 6, 70, 20)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula


def workbook(regs: list[Register]) -> bytes:
    """The template workbook of `regs`: a sheet per register, then 填表说明 (made once per process)."""
    return _workbook(tuple(r.name for r in regs))


@functools.lru_cache(maxsize=32)
def _workbook(names: tuple[str, ...]) -> bytes:
    regs = [BY_NAME[n] for n in names]
    wb = Workbook()
    first = wb.active
    for reg in regs:
        _data_sheet(wb.create_sheet(reg.label), reg)
    wb.remove(first)
    _guide(wb.create_sheet(GUIDE), regs)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

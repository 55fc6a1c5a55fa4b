"""Read a register file into rows of text cells, each with the row number a spreadsheet shows.

This is the reading boundary: every failure of reading (a missing or unreadable file, a
picture renamed .csv, an unknown encoding, a broken quote, a corrupt workbook) becomes a
Problem in Chinese, never a traceback.
"""

import codecs
import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from sanqu.ingest.problems import Problem, Source
from sanqu.ingest.registers import Register

MAGIC = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文件"),
    (b"PK\x03\x04", "Excel（.xlsx）或 ZIP 文件"),
    (b"\xd0\xcf\x11\xe0", "旧版 Excel（.xls）或 Word 文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"\x1f\x8b", "GZIP 压缩包"),
)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
NUMBER_AS_TEXT = ("code", "date", "period")  # types Excel must store as text
EMPTY = "文件是空的（没有表头行）"


@dataclass
class Sheet:
    """The rows of one file as text: (spreadsheet row number, cells), the header included."""

    source: Source
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _failed(source: Source, row: int, message: str) -> Sheet:
    return Sheet(source, [], [source.problem(row, message=message)])


def _os_message(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "无法读取文件：没有读取权限"
    if isinstance(err, IsADirectoryError):
        return "应是一个文件，这里却是一个文件夹"
    if isinstance(err, FileNotFoundError):
        return "无法读取文件：文件不存在（或是指向不存在文件的链接）"
    return f"无法读取文件：{err.strerror or err}"


def _read_bytes(path: Path) -> bytes:
    if path.is_symlink() and not path.exists():
        raise FileNotFoundError(2, "dangling symlink", str(path))
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    with open(path, "rb"):  # the builtin open and pathlib both count as the reading boundary
        pass
    return path.read_bytes()


def read_file(path: Path, reg: Register) -> Sheet:
    """Read a .csv or .xlsx register; problems of reading are in Sheet.problems."""
    source = Source(path.name)
    try:
        data = _read_bytes(path)
    except OSError as err:
        return _failed(source, 0, _os_message(err))
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(data, path.name, reg)
    return read_csv(data, source)


# --- CSV ---------------------------------------------------------------------------------


def _binary_kind(data: bytes) -> str | None:
    """What a file that is not text looks like, or None for text."""
    if any(data.startswith(bom) for bom, enc in BOMS if enc in ("utf-16", "utf-32")):
        return None
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return "含有二进制内容" if b"\x00" in data else None


def _binary_message(kind: str) -> str:
    if kind.startswith("Excel（.xlsx）"):
        return "不是文本格式的 CSV 文件，而是 Excel（.xlsx）或 ZIP 文件：请把扩展名改为 .xlsx，或另存为「CSV UTF-8」"
    return f"不是文本格式的 CSV 文件（{kind}，可能是图片或其他文件改了扩展名）"


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    return data[:offset].decode(encoding, errors="replace").count("\n") + 1


def decode(data: bytes, source: Source) -> str | Problem:
    """The text, or why it cannot be read: BOM first, then strict UTF-8, then GB18030 (GBK files);
    never guess the other way round."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                row = _line_of(data, err.start, encoding)
                name = encoding.replace("-sig", "").upper()
                return source.problem(row, message=f"文件以 {name} 标记开头，但内容不是有效的 {name} 文本")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first = err
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        row = _line_of(data, first.start, "utf-8")
        bad = data[first.start : first.start + 4]
        message = f"文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030，无法识别的字节 {bad!r}）：请另存为「CSV UTF-8」"
        return source.problem(row, message=message)


def _csv_message(err: csv.Error) -> str:
    text = str(err)
    if "unexpected end of data" in text:
        return "引号不配对：从这一行开始的带引号的单元格没有结束引号"
    if "expected after" in text:
        return '引号不配对：带引号的单元格在结束引号后还有字符（单元格中的引号应写成两个 ""）'
    if "field larger than field limit" in text:
        return f"单元格过长（超过 {csv.field_size_limit()} 个字符）"
    return f"CSV 格式错误（{text}）"


def parse_csv(text: str, source: Source) -> Sheet:
    """Records with the spreadsheet row number: blank lines count, a quoted newline does not."""
    sheet = Sheet(source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for n, record in enumerate(reader, start=1):
            sheet.rows.append((n, record))
    except csv.Error as err:
        sheet.problems.append(source.problem(len(sheet.rows) + 1, message=_csv_message(err)))
    return sheet


def read_csv(data: bytes, source: Source) -> Sheet:
    kind = _binary_kind(data)
    if kind:
        return _failed(source, 0, _binary_message(kind))
    text = decode(data, source)
    if isinstance(text, Problem):
        return Sheet(source, [], [text])
    if not text.strip(" \t\r\n\ufeff"):
        return _failed(source, 1, EMPTY)
    return parse_csv(text, source)


# --- Excel -------------------------------------------------------------------------------


def _not_xlsx(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx"
    if _binary_kind(data) is None and not isinstance(decode(data, Source("")), Problem):
        return "这是文本（CSV）文件，却使用了 .xlsx 扩展名：请把扩展名改为 .csv"
    return "不是有效的 Excel（.xlsx）文件（可能是图片或其他文件改了扩展名）"


def _read_xlsx(data: bytes, name: str, reg: Register) -> Sheet:
    source = Source(name)
    if not data:
        return _failed(source, 1, EMPTY)
    if not data.startswith(b"PK\x03\x04"):
        return _failed(source, 0, _not_xlsx(data))
    try:
        return _workbook_rows(data, name, reg)
    except Exception as err:  # any failure of parsing an untrusted workbook is reported, not raised
        message = f"Excel 文件已损坏或不完整，无法读取（{type(err).__name__}）：请在 Excel 中打开后重新保存"
        return _failed(source, 0, message)


def _workbook_rows(data: bytes, name: str, reg: Register) -> Sheet:
    """The first worksheet as text; a code or date Excel stored as a number is a problem."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not wb.worksheets:
            return _failed(Source(name), 0, "工作簿中没有工作表")
        ws = wb.worksheets[0]
        sheet = Sheet(Source(name, ws.title))
        header: list[str] | None = None
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            values = values or ()
            if header is None and any(v is not None and str(v).strip() for v in values):
                header = [str(v).strip() if v is not None else "" for v in values]
            sheet.rows.append((n, _cells(values, header, n, sheet, reg)))
        return sheet
    finally:
        wb.close()


def _cells(values: tuple, header: list[str] | None, n: int, sheet: Sheet, reg: Register) -> list[str]:
    fields, out = reg.by_label(), []
    for i, v in enumerate(values):
        label = header[i] if header and i < len(header) else ""
        f = fields.get(label)
        if isinstance(v, int | float) and not isinstance(v, bool) and f is not None and f.type in NUMBER_AS_TEXT:
            message = "编码或日期被存成了数字，请把该列设为文本格式"
            sheet.problems.append(sheet.source.problem(n, label, str(v), message))
        out.append(_text(v))
    return out


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def exists(path: Path) -> bool:
    """True for anything at the path, a dangling link included (never raises)."""
    return os.path.lexists(path)

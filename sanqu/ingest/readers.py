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

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sanqu.ingest.problems import Problem, Source
from sanqu.ingest.registers import Register
from sanqu.log import log

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
EMPTY = "文件是空的（没有表头行）"


@dataclass
class Sheet:
    """The rows of one file as text: (spreadsheet row number, cells), the header included."""

    source: Source
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    numeric: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) stored as a number
    notices: list[str] = field(default_factory=list)
    # A plain CSV's rows after `rows` (see read_plain_csv): text columns, row i is spreadsheet row
    # len(rows) + 1 + i; every line one record of the same width.
    body: pa.Table | None = None

    def all_rows(self) -> list[tuple[int, list[str]]]:
        """`rows` with the body's rows appended as lists of cells (the body then gone)."""
        if self.body is not None:
            start = len(self.rows) + 1
            columns = [c.to_pylist() for c in self.body.columns]
            self.rows += [(start + i, list(r)) for i, r in enumerate(zip(*columns))]
            self.body = None
        return self.rows


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


def read_file(path: Path, reg: Register, plain: bool = False) -> Sheet:
    """Read a .csv, .xlsx or .xls register; problems of reading are in Sheet.problems.
    `plain`: a CSV without quotes is read as its first rows and a body (see read_plain_csv)."""
    source = Source(path.name)
    try:
        data = _read_bytes(path)
    except OSError as err:
        return _failed(source, 0, _os_message(err))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _read_xlsx(data, path.name, reg)
    return read_csv(data, source, plain)


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


PLAIN_HEAD = 40  # rows of a plain CSV parsed one by one (the header is looked for among them)


def plain_body(text: str, source: Source) -> Sheet | None:
    """A CSV whose every line is one record split at its commas (no quote, no carriage return, no
    blank line, no NUL: csv.reader could read nothing else from it) read as its first PLAIN_HEAD
    rows and the rest as text columns by pyarrow, which makes no Python object per cell; None when
    the text is not plain or the rest is not of one width (then it is parsed row by row)."""
    if any(c in text for c in '"\r\x00') or "\n\n" in text or text.startswith("\n"):
        return None
    lines = text.split("\n", PLAIN_HEAD)
    if len(lines) <= PLAIN_HEAD or not lines[PLAIN_HEAD].rstrip("\n"):
        return None
    head = parse_csv("\n".join(lines[:PLAIN_HEAD]), source)
    if head.problems or len(head.rows) != PLAIN_HEAD:
        return None
    rest = lines[PLAIN_HEAD]
    names = [f"c{i}" for i in range(rest.split("\n", 1)[0].count(",") + 1)]
    try:
        body = pacsv.read_csv(
            io.BytesIO(rest.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(quote_char=False, double_quote=False, escape_char=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None  # rows of another width: the row-by-row parse names them
    longest = max((pc.max(pc.utf8_length(c)).as_py() or 0 for c in body.columns), default=0)
    if longest > csv.field_size_limit():
        return None
    head.body = body
    return head


def read_csv(data: bytes, source: Source, plain: bool = False) -> Sheet:
    kind = _binary_kind(data)
    if kind:
        return _failed(source, 0, _binary_message(kind))
    text = decode(data, source)
    if isinstance(text, Problem):
        return Sheet(source, [], [text])
    if not text.strip(" \t\r\n\ufeff"):
        return _failed(source, 1, EMPTY)
    sheet = plain_body(text, source) if plain else None
    return sheet or parse_csv(text, source)


# --- Excel ---------------------------------------------------------------------------------

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
OLE = b"\xd0\xcf\x11\xe0"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
PASSWORD = (
    "工作簿设置了打开密码，无法读取：请在 Excel 中取消密码"
    "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后重新上传"
)
CORRUPT = "Excel 文件已损坏或不完整，无法读取：请在 Excel 中打开后重新保存"
NO_SHEET = "工作簿中没有可读的工作表"


def _not_workbook(data: bytes, suffix: str) -> str:
    if _binary_kind(data) is None and not isinstance(decode(data, Source("")), Problem):
        return f"这是文本（CSV）文件，却使用了 {suffix} 扩展名：请把扩展名改为 .csv"
    return f"不是有效的 Excel（{suffix}）文件（可能是图片或其他文件改了扩展名）"


def workbook_problem(data: bytes, suffix: str) -> str | None:
    """Why these bytes cannot be an Excel workbook at all, or None."""
    if not data:
        return EMPTY
    if data.startswith(OLE):
        if ENCRYPTED in data[:1_000_000] or ENCRYPTED in data[-1_000_000:]:
            return PASSWORD
        return None  # an .xls (BIFF) workbook, or an .xlsx saved as one: calamine reads both
    if data.startswith(b"PK\x03\x04"):
        return None
    return _not_workbook(data, suffix)


def _read_xlsx(data: bytes, name: str, reg: Register) -> Sheet:
    """The register's sheet of a workbook: the visible sheet named by the register's Chinese name,
    else the first visible sheet."""
    sheets = read_workbook(data, name)
    readable = [s for s in sheets if s.rows or s.problems]
    if len(readable) == 1 or not readable:
        return readable[0] if readable else _failed(Source(name), 0, NO_SHEET)
    named = [s for s in readable if s.source.sheet == reg.label]
    return named[0] if named else readable[0]


def read_workbook(data: bytes, name: str) -> list[Sheet]:
    """Every visible worksheet as text rows (row numbers as Excel shows them); cached values of
    formulas are read, nothing is evaluated. Hidden sheets are left out (Sheet.notices of the
    first sheet name them). A workbook that cannot be read is one Sheet with one problem."""
    suffix = Path(name).suffix.lower() or ".xlsx"
    why = workbook_problem(data, suffix)
    if why:
        return [_failed(Source(name), 1 if why == EMPTY else 0, why)]
    try:
        return _calamine_sheets(data, name)
    except Exception as err:  # noqa: BLE001 - any failure of parsing an untrusted workbook is reported
        kind = type(err).__name__
        log.info("workbook %s not read: %s", name, kind)
        return [_failed(Source(name), 0, PASSWORD if kind == "PasswordError" else CORRUPT)]


def _calamine_sheets(data: bytes, name: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        out, hidden = [], []
        for meta in wb.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                hidden.append(meta.name)
                continue
            ws = wb.get_sheet_by_name(meta.name)
            out.append(_sheet_rows(ws.to_python(skip_empty_area=False), Source(name, meta.name)))
        if not out:
            return [_failed(Source(name), 0, NO_SHEET + ("（只有隐藏的工作表）" if hidden else ""))]
        if hidden:
            out[0].notices.append(f"{name}: 已忽略隐藏的工作表「{'」「'.join(hidden)}」")
        return out
    finally:
        wb.close()


def _sheet_rows(values: list[list], source: Source) -> Sheet:
    sheet = Sheet(source)
    width = 0
    for n, row in enumerate(values, start=1):
        cells = [_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        width = max(width, len(cells))
        sheet.rows.append((n, cells))
        for i, v in enumerate(row):
            if isinstance(v, int | float) and not isinstance(v, bool):
                sheet.numeric.add((n, i))
    sheet.rows = [(n, cells + [""] * (width - len(cells))) for n, cells in sheet.rows]
    return sheet


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        return str(int(v))
    return str(v)


def exists(path: Path) -> bool:
    """True for anything at the path, a dangling link included (never raises)."""
    return os.path.lexists(path)

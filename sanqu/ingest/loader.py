"""Read and validate register files (CSV or Excel) against their schema.

Nothing is coerced: a code stored as a number, an unknown district, a bad date or a
missing column is a problem that names the file (and sheet), the row and the column.
Rows are numbered as a spreadsheet shows them (the header is row 1, blank rows count).
Reading itself is in `sanqu.ingest.readers`, the checks of one column in `sanqu.ingest.cells`.
"""

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

from sanqu.ingest import cells
from sanqu.ingest.problems import MAX_PROBLEMS, Problem, RegisterError, Source
from sanqu.ingest.readers import EMPTY, Sheet, exists, read_file
from sanqu.ingest.registers import BY_NAME, PERSONAL_LABELS, REGISTERS, Field, Register

__all__ = ["MAX_PROBLEMS", "Loaded", "Problem", "RegisterError", "Source", "load_all"]


@dataclass
class Loaded:
    frames: dict[str, pd.DataFrame]
    dropped: list[str]  # notices: personal columns dropped, full-width characters converted, numbers masked
    rows: dict[str, list[int]] = field(default_factory=dict)  # spreadsheet row of each frame row


def candidates(reg: Register, folder: Path) -> list[Path]:
    """The files that could hold the register: its .csv and its .xlsx, whichever exist."""
    paths = (folder / reg.file, folder / (Path(reg.file).stem + ".xlsx"))
    return [p for p in paths if exists(p)]


def find_file(reg: Register, folder: Path) -> Path | None:
    found = candidates(reg, folder)
    return found[0] if found else None


def _locate(reg: Register, folder: Path) -> tuple[Path | None, list[Problem]]:
    found = candidates(reg, folder)
    if not found:
        return None, [Problem(reg.file, 0, "", "", f"缺少台账文件（{reg.label}）")]
    if len(found) > 1:
        names = " 和 ".join(p.name for p in found)
        message = f"同时存在 {names}，无法确定以哪个为准：请删除或移走其中一个"
        return None, [Problem(reg.file, 0, "", "", message)]
    return found[0], []


def _header_problems(header: list[str], row: int, source: Source) -> list[Problem]:
    columns: dict[str, list[str]] = {}
    for i, label in enumerate(header):
        if label:
            columns.setdefault(label, []).append(get_column_letter(i + 1))
    return [
        source.problem(row, label, "", f"表头重复：第 {'、'.join(letters)} 列都是「{label}」")
        for label, letters in columns.items()
        if len(letters) > 1
    ]


def _shape_problems(data: list[tuple[int, list[str]]], header: list[str], source: Source) -> list[Problem]:
    """Rows longer than the header, and data in a column without a header."""
    problems = []
    blank = [i for i, label in enumerate(header) if not label]  # columns without a header
    for n, row in data:
        if len(row) > len(header):
            problems.append(source.problem(n, message=f"第{n}行有 {len(row)} 个字段，表头只有 {len(header)} 列"))
            continue
        for i in blank:
            value = row[i] if i < len(row) else ""
            if value.strip():
                message = "这一列没有表头，却有数据（请补上表头或删除这些单元格）"
                problems.append(source.problem(n, get_column_letter(i + 1), value, message))
    return problems[:MAX_PROBLEMS]


HEADER_SEARCH = 30  # rows looked at for the header (titles, notes and blank rows above it)


def _label(cell: str) -> str:
    return cell.replace("\ufeff", "").replace("\u00a0", " ").strip().translate(cells.FULLWIDTH).strip()


def header_score(row: list[str], reg: Register) -> int:
    """How many of the register's column names the row holds."""
    labels = reg.by_label()
    return len({_label(c) for c in row} & labels.keys())


def _merged(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows as one: the lower row's name where it has one (a group heading above
    several columns gives way), else the upper's (a name merged down over both rows)."""
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return [b or a for a, b in zip(upper, lower)]


def find_header(rows: list[tuple[int, list[str]]], reg: Register) -> tuple[int, list[str], int]:
    """(position in `rows` of the header's last row, the header, its score). The header is the row
    among the first HEADER_SEARCH with the most column names (the first non-empty row if none has
    any); the row just above or below it is merged in when it adds names (two-row merged headers)."""
    scores = [header_score(r, reg) for _, r in rows[:HEADER_SEARCH]]
    at = max(range(len(scores)), key=lambda i: (scores[i], -i)) if any(scores) else 0
    header = [_label(c) for c in rows[at][1]]
    names = reg.by_label().keys()

    def adds(other: int) -> bool:
        near = 0 <= other < len(rows) and abs(rows[other][0] - rows[at][0]) == 1
        return near and bool({_label(c) for c in rows[other][1] if _label(c) in names} - set(header))

    if adds(at - 1):
        merged = _merged([_label(c) for c in rows[at - 1][1]], header)
        return at, merged, header_score(merged, reg)
    if adds(at + 1):
        merged = _merged(header, [_label(c) for c in rows[at + 1][1]])
        return at + 1, merged, header_score(merged, reg)
    return at, header, scores[at] if scores else 0


@dataclass
class Table:
    """The data rows of a sheet as text, indexed by spreadsheet row."""

    df: pd.DataFrame | None
    header_row: int
    problems: list[Problem]
    numeric: dict[str, set[int]] = field(default_factory=dict)  # column -> rows stored as numbers


def table(sheet: Sheet, reg: Register) -> Table:
    """The sheet's data under its header (see find_header); blank rows are left out, their numbers kept."""
    if sheet.body is not None:
        fast = _plain_table(sheet, reg)
        if fast is not None:
            return fast
    rows = [(n, row) for n, row in sheet.all_rows() if "".join(row).strip()]  # some cell not blank
    if not rows:
        return Table(None, 1, [] if sheet.problems else [sheet.source.problem(1, message=EMPTY)])
    at, header, _ = find_header(rows, reg)
    header_row, data = rows[at][0], rows[at + 1 :]
    if sheet.source.sheet:  # a worksheet: every row is as wide as the sheet
        header += [""] * (max(len(r) for _, r in rows) - len(header))
    problems = _header_problems(header, header_row, sheet.source) + _shape_problems(data, header, sheet.source)
    if problems:
        return Table(None, header_row, problems)
    named = [i for i, label in enumerate(header) if label]
    width = len(header)
    if len(named) == width:  # every column named (the usual case): rows as they are, short ones padded
        records = [row if len(row) == width else row + [""] * (width - len(row)) for _, row in data]
    else:
        records = [[row[i] if i < len(row) else "" for i in named] for _, row in data]
    index = pd.Index([n for n, _ in data], dtype="int64")
    df = pd.DataFrame(records, columns=[header[i] for i in named], index=index, dtype=str)
    numeric: dict[str, set[int]] = {}
    for n, i in sheet.numeric:
        if n > header_row and i < len(header) and header[i]:
            numeric.setdefault(header[i], set()).add(n)
    return Table(df, header_row, [], numeric)


@functools.cache
def not_space() -> str:
    """A regex class of any character str.strip() keeps (not str.isspace): a row without one is
    blank. Made at the first plain CSV read, not at import (a pass over every code point: 0.1-0.3 s
    of every server process's start)."""
    spaces = filter(str.isspace, map(chr, range(0x110000)))
    return "[^" + "".join(f"\\x{{{ord(c):x}}}" for c in spaces) + "]"


def _plain_table(sheet: Sheet, reg: Register) -> Table | None:
    """`table` of a plain CSV (Sheet.body) without a Python object per cell: when the header is
    among the first rows, every column is named and the body is as wide as the header; else None."""
    assert sheet.body is not None
    rows = [(n, row) for n, row in sheet.rows if "".join(row).strip()]
    if len(rows) <= HEADER_SEARCH + 1:
        return None
    at, header, _ = find_header(rows, reg)
    header_row, data = rows[at][0], rows[at + 1 :]
    width = len(header)
    if not all(header) or sheet.body.num_columns != width or _header_problems(header, header_row, sheet.source):
        return None
    if _shape_problems(data, header, sheet.source):
        return None
    records = [row if len(row) == width else row + [""] * (width - len(row)) for _, row in data]
    first = pd.DataFrame(records, columns=header, index=pd.Index([n for n, _ in data], dtype="int64"), dtype=str)
    body, start = sheet.body, len(sheet.rows) + 1
    keep = _not_blank(body)
    if keep is not None:
        body = body.filter(keep)
        index = pd.Index(np.flatnonzero(keep.to_numpy(zero_copy_only=False)) + start, dtype="int64")
    else:
        index = pd.RangeIndex(start, start + body.num_rows)
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    columns = {h: pd.arrays.ArrowStringArray(c, dtype=text) for h, c in zip(header, body.columns)}
    rest = pd.DataFrame(columns, index=pd.Index(index, dtype="int64"), copy=False)
    return Table(pd.concat([first, rest]) if len(first) else rest, header_row, [])


def _not_blank(body: pa.Table) -> pa.ChunkedArray | None:
    """The rows with some cell that is not blank (see `table`); None when every row has one. A
    row is blank only if its first cell is: the other cells are looked at only then."""
    first = pc.match_substring_regex(body.column(0), not_space())
    if pc.all(first).as_py() is not False:
        return None
    keep = first
    for c in body.columns[1:]:
        keep = pc.or_(keep, pc.match_substring_regex(c, not_space()))
    return keep


def frame(sheet: Sheet, reg: Register) -> tuple[pd.DataFrame | None, int, list[Problem]]:
    """(frame or None, header row, problems): see `table`."""
    t = table(sheet, reg)
    return t.df, t.header_row, t.problems


def _column_problems(s: pd.Series, f: Field, source: Source, limit: int | None = MAX_PROBLEMS) -> list[Problem]:
    empty = s.index[(s == "") & f.required][:limit]
    problems = [source.problem(int(i), f.label, "", "必填项为空") for i in empty]
    for mask, message in cells.invalid(s, f):
        problems += [source.problem(int(i), f.label, s[i], message) for i in s.index[mask][:limit]]
    return problems


def _numbers_as_codes(s: pd.Series, f: Field, rows: set[int], source: Source) -> tuple[pd.Series, list[Problem]]:
    """Code cells a workbook stored as numbers: refused (the cell is emptied so it fails only once)."""
    if f.type != "code" or not rows:
        return s, []
    hit = s.index.isin(list(rows)) & (s != "")
    problems = [source.problem(int(i), f.label, s[i], cells.AS_NUMBER) for i in s.index[hit]]
    s = s.copy()
    s[hit] = ""
    return s, problems


def duplicate_keys(df: pd.DataFrame, reg: Register, source: Source, limit: int | None = MAX_PROBLEMS) -> list[Problem]:
    """Rows whose key repeats an earlier row's (the earlier row named)."""
    labels = [reg.by_name(k).label for k in reg.key]
    if not reg.key or any(label not in df for label in labels):
        return []
    keys = df[labels]
    dup = keys.index[keys.duplicated()][:limit]
    if dup.empty:
        return []
    first = {k: i for i, k in zip(reversed(keys.index), reversed(list(keys.itertuples(index=False))))}
    return [source.problem(int(i), labels[0], "", f"编号重复（与第{first[tuple(keys.loc[i])]}行相同）") for i in dup]


def validate(
    df: pd.DataFrame,
    reg: Register,
    source: Source,
    header_row: int = 1,
    numeric: dict[str, set[int]] | None = None,
    limit: int | None = MAX_PROBLEMS,
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Check every field; returns (cleaned frame, problems, notices)."""
    gone = [c for c in df.columns if c in PERSONAL_LABELS]
    df = df.drop(columns=gone)
    problems, notices = [], [f"{source}: 已删除个人信息列「{c}」" for c in gone]
    counts = dict.fromkeys(cells.NOTICES, 0)
    for f in reg.fields:
        if f.label not in df.columns:
            if f.required:
                problems.append(source.problem(header_row, f.label, "", "缺少必需的列"))
            continue
        s, changed = cells.normalised(df[f.label], f)
        counts = {k: counts[k] + changed[k] for k in counts}
        s, as_numbers = _numbers_as_codes(s, f, (numeric or {}).get(f.label, set()), source)
        problems += as_numbers + _column_problems(s, f, source, limit)
        if f.type == "text":
            s, masked = cells.masked(s)
            notices += [f"{source.problem(int(i), f.label).where()}: 已遮蔽{'、'.join(k)}" for i, k in masked.items()]
        df[f.label] = s
    notices += [f"{source}: " + cells.NOTICES[k].format(n=n) for k, n in counts.items() if n]
    return df, problems or duplicate_keys(df, reg, source), notices


def typed(df: pd.DataFrame, reg: Register) -> pd.DataFrame:
    """Columns renamed to field names and given their types (after validation); a fresh 0..n index."""
    out = pd.DataFrame(index=range(len(df)))
    for f in reg.fields:
        if f.label not in df.columns:
            out[f.name] = _typed_list([""] * len(df), f)
        elif f.type in NUMBERS:
            out[f.name] = _number(df[f.label], f)
        elif f.type == "date":
            out[f.name] = _typed_list(df[f.label].tolist(), f)
        else:
            text = pa.chunked_array(pa.array(df[f.label].array, type=pa.large_string()))
            cells = pc.if_else(pc.equal(text, ""), None, text).to_numpy(zero_copy_only=False)
            out[f.name] = pd.Series(cells, dtype=object, index=out.index)
    return out


NUMBERS = {"int": (pa.int64(), "Int64", int), "float": (pa.float64(), "Float64", float)}


def _number(s: pd.Series, f: Field) -> pd.api.extensions.ExtensionArray:
    """A validated number column (cells that int() / float() read) cast by pyarrow, empty cells null."""
    arrow_type = NUMBERS[f.type][0]
    text = pa.chunked_array(pa.array(s.array, type=pa.large_string()))
    try:
        cast = pc.cast(pc.if_else(pc.equal(text, ""), None, text), arrow_type)
    except pa.ArrowInvalid:
        return _typed_list(s.tolist(), f)
    values = cast.fill_null(0).to_numpy(zero_copy_only=False)
    array = pd.arrays.IntegerArray if f.type == "int" else pd.arrays.FloatingArray
    return array(values, cast.is_null().to_numpy(zero_copy_only=False))


def _typed_list(s: list[str], f: Field):
    """One column of `typed` from a list of cells, cell by cell."""
    if f.type in NUMBERS:
        _, dtype, parse = NUMBERS[f.type]
        return pd.array([parse(v) if v else None for v in s], dtype=dtype)
    if f.type == "date":
        return pd.to_datetime(pd.Series(s).replace("", None), format="%Y-%m-%d").dt.date.to_numpy()
    return pd.Series(s, dtype=object).replace("", None).to_numpy()


Locate = Callable[[str, int], tuple[Source, int]]  # (register, frame row) -> file and row


def check_refs(frames: dict[str, pd.DataFrame], locate: Locate, limit: int | None = MAX_PROBLEMS) -> list[Problem]:
    """References between registers that are there; a register that failed has its own problems."""
    problems = []
    for reg in REGISTERS:
        for f in reg.fields:
            target, _, col = (f.ref or "").partition(".")
            if not f.ref or reg.name not in frames or target not in frames:
                continue
            s = frames[reg.name][f.name]
            missing = np.flatnonzero(s.notna() & ~s.isin(set(frames[target][col].dropna())))
            for i in missing[:limit]:
                source, row = locate(reg.name, int(i))
                where = BY_NAME[target].label
                problems.append(source.problem(row, f.label, s.iloc[i], f"在「{where}」台账中找不到"))
    return problems


def _load_one(reg: Register, folder: Path, loaded: Loaded, sources: dict[str, Source]) -> list[Problem]:
    path, problems = _locate(reg, folder)
    if path is None:
        return problems
    sheet = read_file(path, reg, plain=True)
    t = table(sheet, reg)
    sheet.rows, sheet.body = [], None  # every cell is in t.df now: the row lists go before validating (peak memory)
    problems = sheet.problems + t.problems
    if t.df is None:
        return problems
    df, found, notices = validate(t.df, reg, sheet.source, t.header_row, t.numeric)
    loaded.dropped += sheet.notices + notices
    if problems or found:
        return problems + found
    loaded.frames[reg.name], loaded.rows[reg.name] = typed(df, reg), [int(i) for i in df.index]
    sources[reg.name] = sheet.source
    return []


@contextlib.contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """The cyclic garbage collector off while loading: reading makes millions of cells and rows (no
    cycles among them), and each full collection would walk them all again (a third of the time
    of a large load). Re-enabled, as it was, afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_all(folder: Path) -> Loaded:
    """Load and validate every register in `folder`; raises RegisterError."""
    with _no_gc_pauses():
        return _load_all(folder)


def _load_all(folder: Path) -> Loaded:
    if not folder.is_dir():
        raise RegisterError([Problem(str(folder), 0, "", "", "台账文件夹不存在或不是文件夹")])
    loaded, problems = Loaded({}, []), []
    sources: dict[str, Source] = {}
    for reg in REGISTERS:
        problems += _load_one(reg, folder, loaded, sources)
    locate: Locate = lambda name, i: (sources[name], loaded.rows[name][int(i)])  # noqa: E731
    problems += check_refs(loaded.frames, locate)
    if not problems:
        from sanqu.ingest import integrity

        problems = integrity.check(loaded.frames, locate)
    if problems:
        raise RegisterError(problems)
    return loaded

"""Read and validate register files (CSV or Excel) against their schema.

Nothing is coerced: a code stored as a number, an unknown district, a bad date or a
missing column is a problem that names the file (and sheet), the row and the column.
Rows are numbered as a spreadsheet shows them (the header is row 1, blank rows count).
Reading itself is in `sanqu.ingest.readers`, the checks of one column in `sanqu.ingest.cells`.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from sanqu.ingest import cells
from sanqu.ingest.problems import MAX_PROBLEMS, Problem, RegisterError, Source
from sanqu.ingest.readers import EMPTY, Sheet, exists, read_file
from sanqu.ingest.registers import PERSONAL_LABELS, REGISTERS, Field, Register

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
    for n, row in data:
        if len(row) > len(header):
            problems.append(source.problem(n, message=f"第{n}行有 {len(row)} 个字段，表头只有 {len(header)} 列"))
            continue
        for i, value in enumerate(row):
            if not header[i] and value.strip():
                message = "这一列没有表头，却有数据（请补上表头或删除这些单元格）"
                problems.append(source.problem(n, get_column_letter(i + 1), value, message))
    return problems[:MAX_PROBLEMS]


def frame(sheet: Sheet) -> tuple[pd.DataFrame | None, int, list[Problem]]:
    """The data rows as text, indexed by spreadsheet row; (frame or None, header row, problems)."""
    rows = [(n, row) for n, row in sheet.rows if any(c.strip() for c in row)]
    if not rows:
        return None, 1, [] if sheet.problems else [sheet.source.problem(1, message=EMPTY)]
    (header_row, first), data = rows[0], rows[1:]
    header = [c.replace("\ufeff", "").strip() for c in first]
    if sheet.source.sheet:  # a worksheet: every row is as wide as the sheet
        header += [""] * (max(len(r) for _, r in rows) - len(header))
    problems = _header_problems(header, header_row, sheet.source) + _shape_problems(data, header, sheet.source)
    if problems:
        return None, header_row, problems
    named = [i for i, label in enumerate(header) if label]
    records = [[row[i] if i < len(row) else "" for i in named] for _, row in data]
    index = pd.Index([n for n, _ in data], dtype="int64")
    return pd.DataFrame(records, columns=[header[i] for i in named], index=index, dtype=str), header_row, []


def _column_problems(s: pd.Series, f: Field, source: Source) -> list[Problem]:
    empty = s.index[(s == "") & f.required][:MAX_PROBLEMS]
    problems = [source.problem(int(i), f.label, "", "必填项为空") for i in empty]
    for mask, message in cells.invalid(s, f):
        problems += [source.problem(int(i), f.label, s[i], message) for i in s.index[mask][:MAX_PROBLEMS]]
    return problems


def _duplicate_keys(df: pd.DataFrame, reg: Register, source: Source) -> list[Problem]:
    if not reg.key:
        return []
    keys = df[[reg.by_name(k).label for k in reg.key]]
    return [source.problem(int(i), "、".join(keys.columns), "", "编号重复") for i in keys.index[keys.duplicated()]][
        :MAX_PROBLEMS
    ]


def validate(
    df: pd.DataFrame, reg: Register, source: Source, header_row: int = 1
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Check every field; returns (cleaned frame, problems, notices)."""
    gone = [c for c in df.columns if c in PERSONAL_LABELS]
    df = df.drop(columns=gone)
    problems, notices, wide = [], [f"{source}: 已删除个人信息列「{c}」" for c in gone], 0
    for f in reg.fields:
        if f.label not in df.columns:
            if f.required:
                problems.append(source.problem(header_row, f.label, "", "缺少必需的列"))
            continue
        s, changed = cells.cleaned(df[f.label], f)
        wide += changed
        problems += _column_problems(s, f, source)
        if f.type == "text":
            s, masked = cells.masked(s)
            notices += [f"{source.problem(int(i), f.label).where()}: 已遮蔽{'、'.join(k)}" for i, k in masked.items()]
        df[f.label] = s
    if wide:
        notices.append(f"{source}: " + cells.WIDE_MESSAGE.format(n=wide))
    return df, problems or _duplicate_keys(df, reg, source), notices


def typed(df: pd.DataFrame, reg: Register) -> pd.DataFrame:
    """Columns renamed to field names and given their types (after validation); a fresh 0..n index."""
    out = pd.DataFrame(index=range(len(df)))
    for f in reg.fields:
        s = df[f.label].tolist() if f.label in df.columns else [""] * len(df)
        if f.type == "int":
            out[f.name] = pd.array([int(v) if v else None for v in s], dtype="Int64")
        elif f.type == "float":
            out[f.name] = pd.array([float(v) if v else None for v in s], dtype="Float64")
        elif f.type == "date":
            out[f.name] = pd.to_datetime(pd.Series(s).replace("", None), format="%Y-%m-%d").dt.date
        else:
            out[f.name] = pd.Series(s, dtype=object).replace("", None)
    return out


def _check_refs(loaded: Loaded, sources: dict[str, Source]) -> list[Problem]:
    """References between registers that loaded; a register that failed has its own problems."""
    problems = []
    for reg in REGISTERS:
        for f in reg.fields:
            target, _, col = (f.ref or "").partition(".")
            if not f.ref or reg.name not in loaded.frames or target not in loaded.frames:
                continue
            s = loaded.frames[reg.name][f.name]
            missing = np.flatnonzero(s.notna() & ~s.isin(set(loaded.frames[target][col].dropna())))
            rows = loaded.rows[reg.name]
            problems += [
                sources[reg.name].problem(rows[i], f.label, s.iloc[i], f"在 {target} 台账中找不到")
                for i in missing[:MAX_PROBLEMS]
            ]
    return problems


def _load_one(reg: Register, folder: Path, loaded: Loaded, sources: dict[str, Source]) -> list[Problem]:
    path, problems = _locate(reg, folder)
    if path is None:
        return problems
    sheet = read_file(path, reg)
    df, header_row, problems = frame(sheet)
    problems = sheet.problems + problems
    if df is None:
        return problems
    df, found, notices = validate(df, reg, sheet.source, header_row)
    loaded.dropped += notices
    if problems or found:
        return problems + found
    loaded.frames[reg.name], loaded.rows[reg.name] = typed(df, reg), [int(i) for i in df.index]
    sources[reg.name] = sheet.source
    return []


def load_all(folder: Path) -> Loaded:
    """Load and validate every register in `folder`; raises RegisterError."""
    if not folder.is_dir():
        raise RegisterError([Problem(str(folder), 0, "", "", "台账文件夹不存在或不是文件夹")])
    loaded, problems = Loaded({}, []), []
    sources: dict[str, Source] = {}
    for reg in REGISTERS:
        problems += _load_one(reg, folder, loaded, sources)
    problems += _check_refs(loaded, sources)
    if not problems:
        from sanqu.ingest import integrity

        problems = integrity.check(loaded.frames, lambda name, i: (sources[name], loaded.rows[name][int(i)]))
    if problems:
        raise RegisterError(problems)
    return loaded

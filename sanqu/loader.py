"""Read and validate register files (CSV or Excel) against their schema.

Nothing is coerced: a code stored as a number, an unknown district, a bad date or a
missing column is a problem that names the file, the row and the column.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sanqu.registers import PERSONAL_LABELS, REGISTERS, Field, Register

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} 第{self.row}行" + (f"「{self.column}」列" if self.column else "")
        value = f"（值: {self.value!r}）" if self.value else ""
        return f"{where}: {self.message}{value}"


class RegisterError(Exception):
    """One or more register files are malformed; the store was not changed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:MAX_PROBLEMS])
        more = f"\n… 另有 {len(problems) - MAX_PROBLEMS} 处问题" if len(problems) > MAX_PROBLEMS else ""
        super().__init__(f"台账校验未通过，共 {len(problems)} 处问题:\n{shown}{more}")


@dataclass
class Loaded:
    frames: dict[str, pd.DataFrame]
    dropped: list[str]  # notices of personal columns dropped on import


def find_file(reg: Register, folder: Path) -> Path | None:
    for path in (folder / reg.file, folder / (Path(reg.file).stem + ".xlsx")):
        if path.exists():
            return path
    return None


def _read_xlsx(path: Path, reg: Register) -> tuple[pd.DataFrame, list[Problem]]:
    """Read the first sheet as text; a code or date cell Excel stored as a number is a problem."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    fields = reg.by_label()
    problems, data = [], []
    label = f"{path.name} [{ws.title}]"
    for i, row in enumerate(rows, start=2):
        if row is None or all(v is None for v in row):
            continue
        out = []
        for col, v in zip(header, row):
            f = fields.get(col)
            if v is None:
                out.append("")
            elif isinstance(v, dt.datetime | dt.date):
                out.append(v.date().isoformat() if isinstance(v, dt.datetime) else v.isoformat())
            elif isinstance(v, int | float) and f is not None and f.type in ("code", "date", "period"):
                problems.append(Problem(label, i, col, str(v), "编码或日期被存成了数字，请把该列设为文本格式"))
                out.append(str(v))
            elif isinstance(v, float) and v.is_integer():
                out.append(str(int(v)))
            else:
                out.append(str(v))
        data.append(out + [""] * (len(header) - len(out)))
    wb.close()
    return pd.DataFrame(data, columns=header, dtype=str), problems


def read_raw(path: Path, reg: Register) -> tuple[pd.DataFrame, list[Problem], str]:
    if path.suffix == ".xlsx":
        df, problems = _read_xlsx(path, reg)
        return df, problems, path.name
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [str(c).strip() for c in df.columns]
    return df, [], path.name


def _invalid(s: pd.Series, f: Field) -> list[tuple[pd.Series, str]]:
    """(mask of invalid filled cells, message) pairs for one column."""
    filled = s != ""
    if f.type == "int":
        return [(~s.str.fullmatch(r"-?\d+") & filled, "不是整数")]
    if f.type == "float":
        return [(pd.to_numeric(s.where(filled), errors="coerce").isna() & filled, "不是数字")]
    if f.type == "date":
        iso = s.where(s.str.fullmatch(r"\d{4}-\d{2}-\d{2}"))
        bad = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").isna() & filled
        return [(bad, "日期无效，应为 YYYY-MM-DD")]
    checks = []
    if f.pattern:
        bad_format = ~s.str.match(f.pattern) & filled
        checks.append((bad_format, f"格式不符（应匹配 {f.pattern}；编码须按文本保存，不能是数字）"))
    else:
        bad_format = pd.Series(False, index=s.index)
    if f.allowed:
        what = (
            "未知的区县代码（应为吉安市 13 个区县之一）"
            if f.name == "district"
            else "取值不在允许范围内: " + " / ".join(f.allowed)
        )
        checks.append((~s.isin(f.allowed) & filled & ~bad_format, what))
    return checks


def validate(df: pd.DataFrame, reg: Register, label: str) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    problems: list[Problem] = []
    dropped = [c for c in df.columns if c in PERSONAL_LABELS]
    df = df.drop(columns=dropped)
    for f in reg.fields:
        if f.label not in df.columns:
            if f.required:
                problems.append(Problem(label, 1, f.label, "", "缺少必需的列"))
            continue
        s = df[f.label].fillna("").astype(str).str.strip()
        df[f.label] = s
        for idx in s.index[(s == "") & f.required][:MAX_PROBLEMS]:
            problems.append(Problem(label, int(idx) + 2, f.label, "", "必填项为空"))
        for mask, message in _invalid(s, f):
            for idx in s.index[mask][:MAX_PROBLEMS]:
                problems.append(Problem(label, int(idx) + 2, f.label, s[idx], message))
    if problems:
        return df, problems, dropped
    if reg.key:
        keys = df[[reg.by_name(k).label for k in reg.key]]
        for idx in keys.index[keys.duplicated()][:MAX_PROBLEMS]:
            problems.append(Problem(label, int(idx) + 2, "、".join(keys.columns), "", "编号重复"))
    return df, problems, dropped


def typed(df: pd.DataFrame, reg: Register) -> pd.DataFrame:
    """Columns renamed to field names and given their types (after validation)."""
    out = pd.DataFrame(index=df.index)
    for f in reg.fields:
        s = df[f.label] if f.label in df.columns else pd.Series("", index=df.index)
        if f.type == "int":
            out[f.name] = pd.to_numeric(s.replace("", None)).astype("Int64")
        elif f.type == "float":
            out[f.name] = pd.to_numeric(s.replace("", None)).astype("Float64")
        elif f.type == "date":
            out[f.name] = pd.to_datetime(s.replace("", None), format="%Y-%m-%d").dt.date
        else:
            out[f.name] = s.replace("", None)
    return out.reset_index(drop=True)


def _check_refs(frames: dict[str, pd.DataFrame], labels: dict[str, str]) -> list[Problem]:
    problems = []
    for reg in REGISTERS:
        for f in reg.fields:
            if not f.ref or reg.name not in frames:
                continue
            target, col = f.ref.split(".")
            known = set(frames[target][col].dropna()) if target in frames else set()
            s = frames[reg.name][f.name]
            for idx in s.index[s.notna() & ~s.isin(known)][:MAX_PROBLEMS]:
                problems.append(Problem(labels[reg.name], int(idx) + 2, f.label, s[idx], f"在 {target} 台账中找不到"))
    return problems


def load_all(folder: Path) -> Loaded:
    """Load and validate every register in `folder`; raises RegisterError."""
    frames, labels, problems, dropped = {}, {}, [], []
    for reg in REGISTERS:
        path = find_file(reg, folder)
        if path is None:
            problems.append(Problem(reg.file, 0, "", "", f"缺少台账文件（{reg.label}）"))
            continue
        raw, read_problems, label = read_raw(path, reg)
        df, found, gone = validate(raw, reg, label)
        problems += read_problems + found
        dropped += [f"{label}: 已删除个人信息列「{c}」" for c in gone]
        if not read_problems and not found:
            frames[reg.name], labels[reg.name] = typed(df, reg), label
    if not problems:
        problems = _check_refs(frames, labels)
    if not problems:
        from sanqu import integrity  # it imports Problem from here

        problems = integrity.check(frames, lambda name, idx: (labels[name], int(idx) + 2))
    if problems:
        raise RegisterError(problems)
    return Loaded(frames, dropped)

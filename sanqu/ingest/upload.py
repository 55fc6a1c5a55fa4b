"""Files an office uploads, checked row by row: each register's rows are accepted or sent back.

The same reading (`readers`), header finding and column checks (`loader`, `cells`) as the folder
build, with one difference: a bad cell sends back its row only, and every row read is either
accepted or rejected (`Part.rows_in == len(Part.accepted) + Part.rejected`). A problem of the
whole file or of its header sends back every row. Rules across registers are applied after the
rows are merged with the current registers (`sanqu.ingest.merge`).
"""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sanqu.geography import DISTRICTS, district_name
from sanqu.ingest import loader
from sanqu.ingest.problems import Problem, Source
from sanqu.ingest.readers import WORKBOOK_SUFFIXES, Sheet, read_csv, read_workbook
from sanqu.ingest.registers import REGISTERS, Register

MAX_BYTES = 100 * 1024 * 1024
GUIDE = "填表说明"  # the template's guide sheet
UNKNOWN = (
    "无法识别这是哪一个台账：工作表名、文件名和表头都对不上。请使用「下载模板」中的模板，"
    "或把工作表命名为台账名称（如「园区企业」）"
)
NO_ROWS = "只有表头，没有数据行"


def district_label(code: str) -> str:
    return f"{district_name(code)}（{code}）"


@dataclass
class Part:
    """One register's rows from one file (and sheet)."""

    source: Source
    register: Register | None
    rows_in: int = 0  # data rows read (non-blank rows under the header)
    header_row: int = 1
    frame: pd.DataFrame | None = None  # every data row as cleaned text, indexed by spreadsheet row
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def bad_rows(self) -> set[int]:
        """Spreadsheet rows sent back; every row when a problem is about the file or its header."""
        if self.frame is None:
            return set()
        if any(p.row <= self.header_row for p in self.problems):
            return set(int(i) for i in self.frame.index)
        return {p.row for p in self.problems} & set(int(i) for i in self.frame.index)

    @property
    def rejected(self) -> int:
        return len(self.bad_rows()) if self.frame is not None else self.rows_in

    @property
    def accepted_text(self) -> pd.DataFrame:
        """The accepted rows as cleaned text (Chinese headers)."""
        if self.frame is None:
            return pd.DataFrame()
        return self.frame.drop(index=list(self.bad_rows()))

    @property
    def accepted(self) -> int:
        return self.rows_in - self.rejected

    @property
    def ok(self) -> bool:
        return not self.problems


def _register_named(text: str) -> Register | None:
    """The register a sheet or file is named after (Chinese name or file name)."""
    stem = Path(text).stem.strip()
    for reg in REGISTERS:
        if stem in (reg.label, reg.name, Path(reg.file).stem):
            return reg
    hits = [reg for reg in REGISTERS if reg.label in stem]
    longest = max(hits, key=lambda r: len(r.label), default=None)
    return longest


def identify(sheet: Sheet, file_name: str) -> Register | None:
    """Which register a sheet holds: by the sheet's name, then the file's, then the best header."""
    by_name = _register_named(sheet.source.sheet) if sheet.source.sheet else None
    by_name = by_name or _register_named(file_name)
    if by_name:
        return by_name
    rows = [(n, r) for n, r in sheet.rows if any(c.strip() for c in r)]
    if not rows:
        return None
    scored = []
    for reg in REGISTERS:
        _, header, score = loader.find_header(rows, reg)
        scored.append((score / len(reg.fields), score, reg))
    share, score, best = max(scored, key=lambda t: (t[0], t[1]))
    return best if score >= 2 and share >= 0.5 else None


def _part(sheet: Sheet, file_name: str, district: str | None) -> Part | None:
    reg = identify(sheet, file_name)
    blank = not any(any(c.strip() for c in r) for _, r in sheet.rows)
    if sheet.problems:
        return Part(sheet.source, reg, problems=list(sheet.problems), notices=list(sheet.notices))
    if blank:
        return None
    if reg is None:
        return Part(sheet.source, None, problems=[sheet.source.problem(0, message=UNKNOWN)])
    return check_sheet(sheet, reg, district)


def check_sheet(sheet: Sheet, reg: Register, district: str | None = None) -> Part:
    """Read one sheet as register `reg`; with `district`, rows of other districts are refused."""
    t = loader.table(sheet, reg)
    part = Part(sheet.source, reg, header_row=t.header_row, notices=list(sheet.notices))
    if t.df is None:
        part.problems = t.problems
        return part
    part.rows_in = len(t.df)
    if not part.rows_in:
        part.problems = [sheet.source.problem(t.header_row, message=NO_ROWS)]
        part.frame = t.df
        return part
    known = {f.label for f in reg.fields} | set(loader.PERSONAL_LABELS)
    extra = [c for c in t.df.columns if c not in known]
    if extra:
        part.notices.append(f"{sheet.source}: 已忽略模板之外的列「{'」「'.join(extra)}」")
    df, problems, notices = loader.validate(t.df, reg, sheet.source, t.header_row, t.numeric, limit=None)
    if problems:  # validate names duplicated keys only when there is nothing else
        problems += loader.duplicate_keys(df, reg, sheet.source, limit=None)
    part.frame, part.problems, part.notices = df, problems, part.notices + notices
    if district:
        part.problems += foreign_rows(part, district)
    return part


def foreign_rows(part: Part, district: str) -> list[Problem]:
    """Rows whose 区县代码 is another district than the one submitting (refused by name)."""
    if part.register is None or part.frame is None or "区县代码" not in part.frame:
        return []
    col = part.frame["区县代码"]
    other = col[(col != district) & col.isin(list(DISTRICTS))]
    return [
        part.source.problem(
            int(i),
            "区县代码",
            code,
            f"这一行属于{district_label(code)}，不是本次上报的{district_label(district)}：请删除这一行，或由该区县自己上报",
        )
        for i, code in other.items()
    ]


def read_upload(name: str, data: bytes, district: str | None = None) -> list[Part]:
    """Every register found in one uploaded file (a CSV, or a workbook with a sheet per register)."""
    suffix = Path(name).suffix.lower()
    source = Source(name)
    if len(data) > MAX_BYTES:
        return [
            Part(source, None, problems=[source.problem(0, message=f"文件超过 {MAX_BYTES // 2**20} MB，请拆分后上传")])
        ]
    if suffix == ".csv":
        sheets = [read_csv(data, source)]
    elif suffix in WORKBOOK_SUFFIXES:
        sheets = read_workbook(data, name)
    else:
        message = f"不支持的文件类型「{suffix or '无扩展名'}」：请上传 .xlsx、.xls 或 .csv 文件"
        return [Part(source, None, problems=[source.problem(0, message=message)])]
    parts = [p for s in sheets if s.source.sheet != GUIDE and (p := _part(s, name, district)) is not None]
    known = [p for p in parts if p.register is not None]
    if known and len(known) < len(parts):  # a workbook's other sheets (notes, lists) are left alone
        skipped = [p.source.sheet for p in parts if p.register is None and p.problems[0].message == UNKNOWN]
        parts = [p for p in parts if p.register is not None or p.source.sheet not in skipped]
        if skipped:
            known[0].notices.append(f"{name}: 已忽略不是台账的工作表「{'」「'.join(skipped)}」")
    if not parts:
        empty = sheets[0].source
        return [Part(empty, None, problems=[empty.problem(1, message="文件是空的（没有表头行）")])]
    return parts


def read_uploads(files: list[tuple[str, bytes]], district: str | None = None) -> list[Part]:
    """Every part of every file; a register given twice is refused the second time."""
    parts: list[Part] = []
    seen: dict[str, Source] = {}
    for name, data in files:
        for part in read_upload(name, data, district):
            reg = part.register
            if reg is not None and part.frame is not None:
                if reg.name in seen:
                    message = f"「{reg.label}」在 {seen[reg.name]} 中已经上传过一次：每个台账只能上传一份"
                    part.problems.insert(0, part.source.problem(0, message=message))
                seen.setdefault(reg.name, part.source)
            parts.append(part)
    return parts

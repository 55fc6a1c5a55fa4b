"""Cell checks of one column: length, control characters, full-width characters, types, personal data.

Work is done on whole columns (pandas string methods); only the few suspicious cells are
looked at one by one.
"""

import datetime as dt
import math
import re

import pandas as pd

from sanqu import geography
from sanqu.ingest.registers import Field

FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # ！..～ and the ideographic space
WIDE = "[\uff01-\uff5e\u3000]"
CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
MAX_CHARS = {"text": 2000, "enum": 50}  # other types: MAX_SHORT
MAX_SHORT = 64
BIGINT = (-(2**63), 2**63 - 1)
INT = r"-?[0-9]+"
FLOAT = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
WIDE_MESSAGE = "已将 {n} 个单元格中的全角字符转换为半角"


NOTICES = {
    "wide": "已将 {n} 个单元格中的全角字符转换为半角",
    "space": "已去除 {n} 个单元格首尾的空格（含全角空格、不间断空格）",
    "date": "已将 {n} 个日期统一为 YYYY-MM-DD 格式",
}
NBSP = "[\u00a0\u2007\u202f]"
DATE_FORMS = re.compile(
    r"(?P<y>[0-9]{4})\s*(?P<s>[-/.年])\s*(?P<m>[0-9]{1,2})\s*(?P<t>[-/.月])\s*(?P<d>[0-9]{1,2})\s*(?P<u>日?)"
    r"(?:[ T]00:00(?::00)?)?"
)
SERIAL = re.compile(r"[0-9]{1,6}(?:\.0+)?")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's phantom 1900-02-29
YEARS = (1900, 2100)


def cleaned(s: pd.Series, f: Field) -> tuple[pd.Series, int]:
    """Stripped cells; outside free text, full-width characters made half-width. Returns (cells, changed)."""
    s, counts = normalised(s, f)
    return s, counts["wide"]


def normalised(s: pd.Series, f: Field) -> tuple[pd.Series, dict[str, int]]:
    """Cells as stored: stripped; outside free text full-width characters and non-breaking spaces
    made ASCII, dates in any accepted form written YYYY-MM-DD. Returns (cells, {kind: cells changed})."""
    s = s.fillna("").astype(str)
    counts = {"wide": 0, "space": 0, "date": 0}
    if f.type == "text":
        return s.str.strip(), counts
    if ascii_only(s):  # no full-width character, no non-breaking space: one scan instead of two
        stripped = s.str.strip()
        counts["space"] = int((stripped != s).sum())
        s = stripped
    else:
        wide = s.str.contains(WIDE, regex=True)
        if wide.any():
            s = s.copy()
            s[wide] = s[wide].str.translate(FULLWIDTH)
            counts["wide"] = int(wide.sum())
        s = s.str.replace(NBSP, " ", regex=True)
        stripped = s.str.strip()
        counts["space"] = int(((stripped != s) & ~wide).sum())
        s = stripped
    if f.type == "date":
        s, counts["date"] = _dates(s)
    return s, counts


def ascii_only(s: pd.Series) -> bool:
    """Whether every cell is ASCII (then no check for a character outside it can find one)."""
    return bool(s.str.isascii().all())


def _dates(s: pd.Series) -> tuple[pd.Series, int]:
    """Dates written 2026/3/5, 2026.3.5, 2026-3-5, 2026年3月5日 or as an Excel serial number made
    2026-03-05 (impossible dates are left as they are for `invalid` to name)."""
    todo = (s != "") & ~s.str.fullmatch(DATE)
    if not todo.any():
        return s, 0
    s, changed = s.copy(), 0
    for idx in s.index[todo]:
        iso = as_iso(s[idx])
        if iso and _real(iso):
            s[idx], changed = iso, changed + 1
    return s, changed


def as_iso(text: str) -> str | None:
    """YYYY-MM-DD for a date in an accepted form (even an impossible day), else None."""
    m = DATE_FORMS.fullmatch(text)
    if m:
        chinese = (m["s"], m["t"]) == ("年", "月")
        same = m["s"] == m["t"] and m["s"] in "-/." and not m["u"]
        return f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}" if chinese or same else None
    if SERIAL.fullmatch(text):
        day = EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
        return day.isoformat() if YEARS[0] <= day.year <= YEARS[1] and float(text) >= 61 else None
    return None


def _real(iso: str) -> bool:
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        return False
    return True


def date_problem(text: str) -> str:
    """Why a date cell is refused."""
    iso = as_iso(text) or text
    if re.fullmatch(DATE, iso):
        text = iso
        y, m, d = (int(x) for x in text.split("-"))
        if not 1 <= m <= 12:
            return f"日期无效：月份应为 1–12，这里是 {m}"
        return f"日期无效：{y}年{m}月没有{d}日"
    if SERIAL.fullmatch(text):
        return f"日期无效：{text} 不是 {YEARS[0]}–{YEARS[1]} 年间的 Excel 日期序号"
    return "日期无效，应为 2026-03-05 这样的日期（也接受 2026/3/5、2026.3.5、2026年3月5日和 Excel 日期）"


def invalid(s: pd.Series, f: Field) -> list[tuple[pd.Series, str]]:
    """(mask of invalid filled cells, message) pairs for one cleaned column; each cell fails once at most."""
    filled = s != ""
    cap = MAX_CHARS.get(f.type, MAX_SHORT)
    too_long = filled & (s.str.len() > cap)
    control = filled & ~too_long & s.str.contains(CONTROL, regex=True)
    if ascii_only(s):
        garbled = pd.Series(False, index=s.index)
    else:
        garbled = filled & ~too_long & ~control & s.str.contains("\ufffd", regex=False)
    checks = [
        (too_long, f"内容过长（最多 {cap} 个字符）"),
        (control, "含有控制字符或文字方向控制符（如 NUL、ESC、U+202E），请删除"),
        (garbled, "含有乱码字符（U+FFFD）：文件可能曾以错误的编码打开并保存，请从原始文件重新填写"),
    ]
    ok = filled & ~too_long & ~control & ~garbled
    return checks + [(mask & ok, message) for mask, message in _typed(s.where(ok, ""), f)]


def _typed(s: pd.Series, f: Field) -> list[tuple[pd.Series, str]]:
    filled = s != ""
    if f.type == "int":
        bad = ~s.str.fullmatch(INT) & filled
        big = _flag(s, ~bad & filled & (s.str.len() > 18), lambda v: not BIGINT[0] <= int(v) <= BIGINT[1])
        return [(bad, "不是整数"), (big, f"整数超出范围（应在 {BIGINT[0]} 到 {BIGINT[1]} 之间）")]
    if f.type == "float":
        bad = ~s.str.fullmatch(FLOAT) & filled
        huge = _flag(s, ~bad & filled, lambda v: not math.isfinite(float(v)))
        return [(bad, "不是数字"), (huge, "数值超出范围")]
    if f.type == "date":
        iso = s.where(s.str.fullmatch(DATE))
        bad = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").isna() & filled
        return [(bad & (s == v), date_problem(v)) for v in s[bad].unique()]
    return _coded(s, f, filled)


def _flag(s: pd.Series, mask: pd.Series, test) -> pd.Series:
    """True where `mask` holds and test(cell) is true."""
    hits = [i for i, v in zip(s.index[mask], s[mask]) if test(v)]
    return pd.Series(s.index.isin(hits), index=s.index)


SCIENTIFIC = r"[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+"
AS_NUMBER = "编码被存成了数字（Excel 会去掉开头的 0、把长编码变成科学计数法）：请把该列设为文本格式后重新填写完整编码"


def digits_wanted(f: Field) -> int | None:
    """The length of an all-digit code (^[0-9]{9}$ -> 9), else None."""
    m = re.fullmatch(r"\^\[0-9\]\{([0-9]+)\}\$", f.pattern or "")
    return int(m.group(1)) if m else None


def _as_numbers(s: pd.Series, f: Field, filled: pd.Series) -> list[tuple[pd.Series, str]]:
    """Codes that Excel turned into numbers, each refused with the reason (never repaired)."""
    sci = filled & s.str.fullmatch(SCIENTIFIC)
    point = filled & ~sci & s.str.fullmatch(r"[0-9]+\.0+")
    checks = [
        (
            sci,
            "编码变成了科学计数法：Excel 把长编码当作数字，后几位已经丢失、无法还原；"
            "请把该列设为文本格式后重新填写完整编码",
        ),
        (point, "编码带有「.0」：曾被当作数字保存；请把该列设为文本格式后重新填写"),
    ]
    wanted = digits_wanted(f)
    if wanted:
        short = filled & ~sci & ~point & s.str.fullmatch("[0-9]+") & (s.str.len() < wanted)
        for n in sorted(s[short].str.len().unique()):
            message = (
                f"编码只有 {n} 位，应为 {wanted} 位：可能是 Excel 把它当作数字去掉了开头的 0；"
                "请把该列设为文本格式后重新填写"
            )
            checks.append((short & (s.str.len() == n), message))
    return checks


def _coded(s: pd.Series, f: Field, filled: pd.Series) -> list[tuple[pd.Series, str]]:
    checks = _as_numbers(s, f, filled) if f.type == "code" else []
    bad_format = pd.Series(False, index=s.index)
    for mask, _ in checks:
        filled = filled & ~mask
    if f.type == "code" and not ascii_only(s):
        bad_format = s.str.contains("[^\x00-\x7f]", regex=True) & filled
    if f.pattern:
        # re.ASCII only where it changes the meaning (\d, \w …): with a flag pandas leaves pyarrow's fast
        # regex engine (ASCII classes already) for Python's, cell by cell; patterns of [0-9] / [A-Z] need none
        flags = re.ASCII if "\\" in f.pattern else 0
        bad_format |= ~s.str.fullmatch(f.pattern, flags=flags) & filled
        checks.append((bad_format, f"格式不符（应匹配 {f.pattern}；编码须按文本保存，不能是数字）"))
    elif f.type == "code":
        checks.append((bad_format, "编码只能由半角字母和数字组成"))
    if f.allowed:
        what = (
            f"未知的区县代码（应为{geography.counties_phrase()}之一）"
            if f.name == "district"
            else "取值不在允许范围内: " + " / ".join(f.allowed)
        )
        checks.append((~s.isin(f.allowed) & filled & ~bad_format, what))
    return checks


# --- personal data in free text ----------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])")
LANDLINE = re.compile(r"(?<![0-9])0[0-9]{2,3}-?[0-9]{7,8}(?![0-9])")
MANY_DIGITS = "(?:[0-9\uff10-\uff19][- ]?){10}"  # cells that may hold one of the above


def valid_id(number: str) -> bool:
    """GB 11643: the 18th character is the check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17].upper()


def _star(text: str, head: int, tail: int) -> str:
    """Digits between the first `head` and the last `tail` digits replaced by *."""
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    hidden = set(digits[head : len(digits) - tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def _landline(text: str) -> str:
    return _star(text, text.index("-") if "-" in text else 3, 4)


RULES = (
    ("身份证号", ID_NUMBER, valid_id, lambda t: t[:6] + "*" * 8 + t[14:]),
    ("手机号", MOBILE, lambda _: True, lambda t: _star(t, 3, 4)),
    ("固定电话", LANDLINE, lambda _: True, _landline),
)


def mask_personal(value: str) -> tuple[str, list[str]]:
    """The value with ID, mobile and landline numbers masked, and the kinds masked."""
    chars, kinds = list(value), []
    for kind, pattern, accept, mask in RULES:
        scan = "".join(chars).translate(FULLWIDTH)  # same length: full-width digits are found too
        found = [m for m in pattern.finditer(scan) if accept(m.group())]
        for m in found:
            chars[m.start() : m.end()] = mask(m.group())
        if found:
            kinds.append(kind)
    return "".join(chars), kinds


def masked(s: pd.Series) -> tuple[pd.Series, dict[int, list[str]]]:
    """A text column (indexed by spreadsheet row) with personal numbers masked, and {row: kinds}
    of the cells changed."""
    maybe = s.str.contains(MANY_DIGITS, regex=True)
    changed: dict[int, list[str]] = {}
    if not maybe.any():
        return s, changed
    s = s.copy()
    for idx in s.index[maybe]:
        value, kinds = mask_personal(s[idx])
        if kinds:
            s[idx], changed[idx] = value, kinds
    return s, changed

"""Cell checks of one column: length, control characters, full-width characters, types, personal data.

Work is done on whole columns (pandas string methods); only the few suspicious cells are
looked at one by one.
"""

import math
import re

import pandas as pd

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


def cleaned(s: pd.Series, f: Field) -> tuple[pd.Series, int]:
    """Stripped cells; outside free text, full-width characters made half-width. Returns (cells, changed)."""
    s = s.fillna("").astype(str).str.strip()
    if f.type == "text":
        return s, 0
    wide = s.str.contains(WIDE, regex=True)
    if not wide.any():
        return s, 0
    s = s.copy()
    s[wide] = s[wide].str.translate(FULLWIDTH).str.strip()
    return s, int(wide.sum())


def invalid(s: pd.Series, f: Field) -> list[tuple[pd.Series, str]]:
    """(mask of invalid filled cells, message) pairs for one cleaned column; each cell fails once at most."""
    filled = s != ""
    cap = MAX_CHARS.get(f.type, MAX_SHORT)
    too_long = filled & (s.str.len() > cap)
    control = filled & ~too_long & s.str.contains(CONTROL, regex=True)
    checks = [
        (too_long, f"内容过长（最多 {cap} 个字符）"),
        (control, "含有控制字符或文字方向控制符（如 NUL、ESC、U+202E），请删除"),
    ]
    ok = filled & ~too_long & ~control
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
        return [(bad, "日期无效，应为 YYYY-MM-DD")]
    return _coded(s, f, filled)


def _flag(s: pd.Series, mask: pd.Series, test) -> pd.Series:
    """True where `mask` holds and test(cell) is true."""
    hits = [i for i, v in zip(s.index[mask], s[mask]) if test(v)]
    return pd.Series(s.index.isin(hits), index=s.index)


def _coded(s: pd.Series, f: Field, filled: pd.Series) -> list[tuple[pd.Series, str]]:
    checks = []
    bad_format = pd.Series(False, index=s.index)
    if f.type == "code":
        bad_format = s.str.contains("[^\x00-\x7f]", regex=True) & filled
    if f.pattern:
        bad_format |= ~s.str.fullmatch(f.pattern, flags=re.ASCII) & filled
        checks.append((bad_format, f"格式不符（应匹配 {f.pattern}；编码须按文本保存，不能是数字）"))
    elif f.type == "code":
        checks.append((bad_format, "编码只能由半角字母和数字组成"))
    if f.allowed:
        what = (
            "未知的区县代码（应为吉安市 13 个区县之一）"
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

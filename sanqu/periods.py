"""Quarters (统计季度) as 'YYYYQn' strings."""

import datetime as dt
import re

_PERIOD = re.compile(r"^([0-9]{4})Q([1-4])$")


def parse(period: str) -> tuple[int, int]:
    m = _PERIOD.match(period or "")
    if not m:
        raise ValueError(f"不是有效的季度: {period!r} (应为 2026Q3 这样的格式)")
    return int(m.group(1)), int(m.group(2))


def end_date(period: str) -> dt.date:
    year, q = parse(period)
    month = q * 3
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def start_date(period: str) -> dt.date:
    year, q = parse(period)
    return dt.date(year, q * 3 - 2, 1)


def shift(period: str, quarters: int) -> str:
    year, q = parse(period)
    n = year * 4 + (q - 1) + quarters
    return f"{n // 4}Q{n % 4 + 1}"


def of_date(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def span(first: str, last: str) -> list[str]:
    out = [first]
    while out[-1] != last:
        out.append(shift(out[-1], 1))
    return out


def data_date(period: str, latest: str) -> str:
    """The day a quarter's figures are as of: its last day, or the store's data date (`latest`,
    the last day of its newest quarter) when that is earlier; '' when the store has none."""
    if not latest:
        return ""
    return str(min(end_date(period), dt.date.fromisoformat(latest)))


def label(period: str) -> str:
    year, q = parse(period)
    return f"{year}年第{q}季度"

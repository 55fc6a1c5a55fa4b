"""Numbers in Chinese conventions."""


def pct(rate: float | None, digits: int = 1) -> str:
    return "—" if rate is None or rate != rate else f"{rate * 100:.{digits}f}%"


def pp(delta: float | None) -> str | None:
    """A change in percentage points, e.g. '+1.7 个百分点'."""
    if delta is None:
        return None
    return "持平" if abs(delta) < 0.05 else f"{delta:+.1f} 个百分点"


def count(n: int | float) -> str:
    """12,345 below 100,000; 24.2万 above."""
    if n is None or n != n:
        return "—"
    return f"{n / 10000:.1f}万" if abs(n) >= 100_000 else f"{int(n):,}"


def ratio(numerator: int, denominator: int, unit: str = "") -> str:
    return f"{numerator:,} / {denominator:,}{unit}"


# What a rate with nothing to count (denominator 0) is called: never 0 %, never ranked.
NO_DATA = "暂无数据"
NO_DATA_NOTES = {
    "park": "无应覆盖企业",
    "community": "无城乡社区",
    "scenic": "无旅游景区",
    "sites": "无示范点",
}


def no_data(zone: str | None = None) -> str:
    """The note shown instead of a rate whose denominator is 0 (by zone; else 暂无数据)."""
    return NO_DATA_NOTES.get(zone or "", NO_DATA)

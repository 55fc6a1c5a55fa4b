"""Small pieces for shaping page tables and figures: dates as text, rates in percent, 'done/all'
text and the `Metric` a page draws as one st.metric."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sanqu import periods
from sanqu.geography import district_name


@dataclass(frozen=True)
class Metric:
    """One headline figure: label, value as text, optional help and change (环比)."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None


def dates(values):
    """Dates as YYYY-MM-DD text, empty where there is none (positional, like the input)."""
    return pd.to_datetime(pd.Series(values)).dt.strftime("%Y-%m-%d").fillna("").to_numpy()


def days(values: pd.Series) -> pd.Series:
    """Timestamps as dates (NaT where there is none), index kept."""
    return pd.to_datetime(values).dt.date


def percent(rates: pd.Series, digits: int = 1) -> pd.Series:
    """Rates (0-1) in percent, rounded (NaN stays NaN)."""
    return (pd.to_numeric(rates) * 100).round(digits)


def fractions(parts, wholes) -> list[str]:
    """'part/whole' text per row."""
    return [f"{a}/{b}" for a, b in zip(parts, wholes)]


def number(x, digits: int = 1) -> str:
    """A number with thousands separators, '—' when there is none."""
    return "—" if x is None or x != x else f"{x:,.{digits}f}"


def rounded(values, digits: int = 1) -> pd.Series:
    """Numbers rounded (NaN stays NaN)."""
    return pd.to_numeric(values).round(digits)


def integers(values: pd.Series) -> pd.Series:
    """Counts as whole numbers."""
    return values.astype(int)


def quarters(values: pd.Series) -> pd.Series:
    """Quarters 'YYYYQn' as 2026年第3季度."""
    return values.map(periods.label)


def district_names(codes: pd.Series) -> pd.Series:
    """District codes as names."""
    return codes.map(district_name)


def yes_no(flag) -> str:
    return "是" if bool(flag) else "否"


def flags(values: pd.Series) -> pd.Series:
    """True/False as 是/否."""
    return values.map(yes_no)


Column = Callable[[pd.DataFrame], Any]


def via(fn: Callable[..., Any], *columns: str) -> Column:
    """A column computed from columns of a table: `via(percent, "rate")`, `via(fractions, "done", "all")`."""
    return lambda df: fn(*(df[c] for c in columns))


@dataclass(frozen=True, eq=False)
class Headers:
    """A page table's final headers in order, each with what it shows of a query's table: a column
    by name, or a function of the table (`via(...)`). Called with the table, returns the page table."""

    columns: Mapping[str, str | Column]

    def __call__(self, df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {header: df[src] if isinstance(src, str) else src(df) for header, src in self.columns.items()}
        )

"""Small pieces for shaping page tables and figures: dates as text, rates in percent, 'done/all'
text and the `Metric` a page draws as one st.metric."""

from dataclasses import dataclass

import pandas as pd


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

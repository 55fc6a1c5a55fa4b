"""District rankings shared by the 红旗争创 (sites) and 督查考核评比 (mechanisms) rules: a weighted
score over items that may be missing, rounded half up, a stable order, and per-row notes."""

import math

import numpy as np
import pandas as pd


def round_half_up(x, digits: int = 1):
    """Round half up (not to even), ignoring float noise below 1e-9: 53.25 → 53.3."""
    f = 10**digits
    if isinstance(x, pd.Series):
        return np.floor(x * f + 0.5 + 1e-9) / f
    return None if x is None or x != x else math.floor(x * f + 0.5 + 1e-9) / f


def score_and_rank(
    df: pd.DataFrame,
    weights: dict[str, float],
    tie_break: list[tuple[str, bool]],
    eligible: pd.Series | None = None,
    zero_if_missing: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Add `score` (0-100, one decimal) and `rank` (1, 2, …; <NA> when not ranked) to `df`.

    score = 100 × Σ weight × item ÷ Σ weight over the items (columns named like the weights, each
    0-1) that are not missing; an item in `zero_if_missing` counts as 0 when missing instead of
    being left out. No item at all, or `eligible` False → no score, no rank. Rows are sorted by
    score (higher first), then by `tie_break` [(column, ascending), …], then by district code, so
    equal scores always come out in the same order."""
    out = df.copy()
    items = out[list(weights)].astype(float)
    for col in zero_if_missing:
        items[col] = items[col].fillna(0.0)
    w = pd.Series(weights, dtype=float)
    total_w = items.notna().mul(w, axis=1).sum(axis=1)
    raw = items.fillna(0).mul(w, axis=1).sum(axis=1) / total_w.where(total_w > 0)
    out["score"] = round_half_up(raw * 100)
    ok = out["score"].notna()
    if eligible is not None:
        ok &= eligible.astype(bool)
        out.loc[~ok, "score"] = np.nan
    cols = ["_unranked", "score", *(c for c, _ in tie_break), "district"]
    asc = [True, False, *(a for _, a in tie_break), True]
    out["_unranked"] = ~ok
    out = out.sort_values(cols, ascending=asc, na_position="last", kind="mergesort").reset_index(drop=True)
    out["rank"] = pd.array([i + 1 if r else pd.NA for i, r in enumerate(~out["_unranked"])], dtype="Int64")
    return out.drop(columns="_unranked")


def notes(checks: list[tuple[pd.Series, str]]) -> list[str]:
    """Per row, the texts whose condition (a boolean Series) holds, joined by '；'."""
    conds = [(c.to_numpy(dtype=bool), t) for c, t in checks]
    n = len(conds[0][0]) if conds else 0
    return ["；".join(t for c, t in conds if c[i]) for i in range(n)]


def no_data_last(df: pd.DataFrame, rate: str) -> pd.DataFrame:
    """Rows by `rate`, highest first, rows without a rate (nothing to count) last: such a row is
    never ranked first and never shown as 0 %."""
    return df.sort_values(rate, ascending=False, na_position="last", kind="mergesort").reset_index(drop=True)

"""Expectations recomputed from the register CSV files with plain pandas, independent of the code
under test: the enterprises to be covered as of a day, and those with a live Party organisation."""

from pathlib import Path

import pandas as pd


def read(registers: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(registers / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def enterprises_to_cover(registers: Path, iso: str) -> pd.DataFrame:
    """Non-public enterprises in their park on `iso` (YYYY-MM-DD) and not closed by then."""
    e = read(registers, "enterprises.csv")
    e = e[~e["经济类型"].isin(["国有", "集体"]) & (e["入园日期"] <= iso)]
    return e[(e["停业注销日期"] == "") | (e["停业注销日期"] > iso)]


def covered(enterprises: pd.DataFrame, registers: Path, iso: str) -> pd.Series:
    """Per enterprise: covered on `iso` by an organisation founded, included and not dissolved."""
    links = read(registers, "org_coverage.csv").merge(read(registers, "party_orgs.csv"), on="党组织编号")
    live = links[
        (links["纳入日期"] <= iso)
        & (links["成立日期"] <= iso)
        & ((links["撤销日期"] == "") | (links["撤销日期"] > iso))
    ]
    return enterprises["企业编号"].isin(live["单位编号"])

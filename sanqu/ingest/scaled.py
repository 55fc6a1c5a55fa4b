"""The demo registers multiplied (演示数据 ×N) for measuring the store and the pages at scale.

Copy k (0 … N-1) of every row of a register about units (enterprises, communities, scenic
sites, organisations and everything that names them) is the demo row with its identifiers
rewritten: the two digits after an id's letters (the province part, "36", of the district
code every demo id carries) become (36 + k) mod 100, so copy 0 is the demo itself, every
copy's keys are unique and every reference between copied registers still resolves to the
same copy. The district, township and park columns are untouched: the same 13 districts,
252 townships and 14 parks hold N times the units. Quarterly activity counts (keyed by
district, quarter, zone and carrier, so not copied) are multiplied by N.

The id format gives a district 4 digits of enterprises (9,999) and 5 of organisations, so
×100 cannot be numbered inside the real district code; hence the province digits.
"""

import shutil
from pathlib import Path

import pandas as pd

from sanqu.ingest import demo
from sanqu.ingest.folder import DEMO_MARKER, file_hash
from sanqu.ingest.registers import BY_NAME, REGISTERS

# register -> the fields holding ids of copied rows (the register's own key among them)
COPIED: dict[str, tuple[str, ...]] = {
    "enterprises": ("enterprise_id",),
    "communities": ("community_id",),
    "community_stats": ("community_id",),
    "scenic_sites": ("scenic_id", "parent_id"),
    "party_orgs": ("org_id", "parent_id"),
    "org_coverage": ("org_id", "entity_id"),
    "instructors": ("assignment_id", "entity_id"),
    "demo_sites": ("site_id", "entity_id"),
    "milestones": ("site_id",),
    "inspections": ("inspection_id", "site_id"),
    "contact_points": ("point_id", "entity_id"),
    "visits": ("visit_id", "point_id"),
    "pairings": ("pairing_id", "org_id"),
    "venues": ("venue_id", "org_id"),
    "cadres": ("cadre_id", "org_id"),
}
MULTIPLIED = {"activities": ("count", "participants")}  # counts multiplied, rows not copied
PROVINCE = 36  # the first two digits of every demo id's district code
ID_START = r"^(?P<letters>[A-Z]*)36"


def copy_prefix(k: int) -> str:
    """The two digits that replace the province part of an id in copy k (copy 0: the demo's own)."""
    return f"{(PROVINCE + k) % 100:02d}"


def _ids(s: pd.Series, k: int) -> pd.Series:
    """The ids of copy k (empty cells stay empty)."""
    if k == 0:
        return s
    filled = s != ""
    if not s[filled].str.match(ID_START).all():
        raise ValueError(f"an id does not start with letters and {PROVINCE}: {s[filled].head(3).tolist()}")
    return s.str.replace(ID_START, rf"\g<letters>{copy_prefix(k)}", regex=True)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def multiplied(df: pd.DataFrame, register: str, n: int) -> pd.DataFrame:
    """The register's rows (Chinese headers) in n copies with rewritten ids, or with counts × n."""
    reg = BY_NAME[register]
    if register in MULTIPLIED:
        out = df.copy()
        for name in MULTIPLIED[register]:
            label = reg.by_name(name).label
            out[label] = [str(int(v) * n) if v else v for v in out[label]]
        return out
    if register not in COPIED:
        return df
    labels = [reg.by_name(name).label for name in COPIED[register]]
    copies = []
    for k in range(n):
        c = df.copy()
        for label in labels:
            c[label] = _ids(df[label], k)
        copies.append(c)
    return pd.concat(copies, ignore_index=True)


def write(out_dir: Path, n: int, demo_dir: Path | None = None) -> dict[str, int]:
    """The demo registers ×n in `out_dir`, labelled 演示数据; returns row counts.

    `demo_dir`: the demo registers already written (else generated into out_dir first)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = demo_dir or out_dir
    if demo_dir is None:
        demo.write(out_dir)
    counts = {}
    for reg in REGISTERS:
        df = multiplied(_read(source / reg.file), reg.name, n)
        df.to_csv(out_dir / reg.file, index=False, encoding="utf-8-sig", lineterminator="\n")
        counts[reg.name] = len(df)
    if source != out_dir:
        shutil.copyfile(source / DEMO_MARKER, out_dir / DEMO_MARKER)
    _mark(out_dir, n)
    return counts


def _mark(out_dir: Path, n: int) -> None:
    """The 演示数据 marker with the hashes of the files as written here (so is_demo holds)."""
    hashes = "".join(f"{file_hash(out_dir / reg.file)}  {reg.file}\n" for reg in REGISTERS)
    (out_dir / DEMO_MARKER).write_text(
        f"演示数据 (demo data) ×{n}: the demo registers multiplied by sanqu.ingest.scaled "
        "(ids rewritten per copy; districts, townships and parks as in the demo).\n"
        "Files as written by the generator:\n" + hashes,
        encoding="utf-8",
    )

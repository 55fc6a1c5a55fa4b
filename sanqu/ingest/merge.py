"""District submissions merged into the current registers, checked across registers, and diffed.

A submission replaces, register by register, the rows of the districts it is for: with a
district (a county's upload) that district's rows; without one (the city's) the districts that
appear in the file. Every other district's rows are kept as they are, so one county's upload
never deletes another's. A row's district is its 区县代码, or for registers without one the
district of the row it belongs to (a milestone's site, a coverage link's organisation).
The rules across registers (`loader.check_refs`, `integrity.check`) run on the merged
registers; a problem on a submitted row sends that row back (and the merge is redone), a
problem on a kept row blocks the submission (e.g. it removed an organisation still named).
"""

from dataclasses import dataclass, field

import pandas as pd

from sanqu.ingest import integrity, loader
from sanqu.ingest.problems import Problem, Source
from sanqu.ingest.registers import BY_NAME, REGISTERS, Register
from sanqu.ingest.upload import Part, district_label

# registers without 区县代码: (field naming the parent row, parent register, parent key)
VIA = {"milestones": ("site_id", "demo_sites", "site_id"), "org_coverage": ("org_id", "party_orgs", "org_id")}
MAX_ROUNDS = 6


@dataclass
class Current:
    """The registers as published: typed frames and where each row came from."""

    frames: dict[str, pd.DataFrame]
    rows: dict[str, list[int]]

    @classmethod
    def of(cls, loaded: loader.Loaded) -> "Current":
        return cls(loaded.frames, loaded.rows)


@dataclass
class Merged:
    frames: dict[str, pd.DataFrame]
    where: dict[str, list[tuple[Source, int]]]
    kept_problems: list[Problem] = field(default_factory=list)  # on rows the submission did not send
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)


def districts(name: str, df: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.Series:
    """Each row's district code (None where it cannot be told)."""
    if "district" in df:
        return df["district"].astype(object)
    ref, parent, key = VIA[name]
    if parent not in frames:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    lookup = dict(zip(frames[parent][key], frames[parent]["district"]))
    return df[ref].map(lookup).astype(object)


def _typed(part: Part) -> tuple[pd.DataFrame, list[int]]:
    assert part.register is not None
    text = part.accepted_text
    return loader.typed(text, part.register), [int(i) for i in text.index]


def _replaced(name: str, new: pd.DataFrame, frames: dict, district: str | None) -> set:
    if district:
        return {district}
    return set(districts(name, new, frames).dropna())


def _merge_once(current: Current, parts: list[Part], district: str | None) -> Merged:
    frames = dict(current.frames)
    where = {
        name: [(Source(f"现有数据 {BY_NAME[name].file}"), r) for r in current.rows[name]] for name in current.frames
    }
    ordered = sorted(
        (p for p in parts if p.register is not None and p.frame is not None),
        key=lambda p: [r.name for r in REGISTERS].index(p.register.name),  # type: ignore[union-attr]
    )
    for part in ordered:
        reg: Register = part.register  # type: ignore[assignment]
        new, rows = _typed(part)
        old = current.frames.get(reg.name, new.iloc[0:0])
        gone = districts(reg.name, old, current.frames).isin(_replaced(reg.name, new, frames, district))
        kept = old[~gone.to_numpy()]
        frames[reg.name] = pd.concat([kept, new], ignore_index=True)
        old_where = where.get(reg.name, [])
        where[reg.name] = [w for w, g in zip(old_where, gone) if not g] + [(part.source, r) for r in rows]
    return Merged(frames, where)


def _cross_key(merged: Merged, parts: list[Part]) -> list[Problem]:
    """A submitted row whose key is already another district's row."""
    problems = []
    for part in parts:
        reg = part.register
        if reg is None or part.frame is None or not reg.key:
            continue
        df, whereabouts = merged.frames[reg.name], merged.where[reg.name]
        dup = df.duplicated(subset=list(reg.key), keep=False)
        for i in df.index[dup.to_numpy()]:
            source, row = whereabouts[i]
            if source == part.source:
                d = df.at[i, "district"] if "district" in df else None
                other = f"（{district_label(d)}）" if d else ""
                message = f"编号与其他区县已上报的一行重复{other}：编号在全市必须唯一"
                problems.append(source.problem(row, reg.by_name(reg.key[0]).label, "", message))
    return problems


def merge(current: Current, parts: list[Part], district: str | None = None) -> Merged:
    """The merged registers; problems across registers are added to the parts they are on."""
    sources = {p.source: p for p in parts}
    for _ in range(MAX_ROUNDS):
        merged = _merge_once(current, parts, district)
        locate: loader.Locate = lambda name, i: merged.where[name][int(i)]  # noqa: E731, B023
        found = _cross_key(merged, parts)
        refs = loader.check_refs(merged.frames, locate, limit=None)
        found += refs or integrity.check(merged.frames, locate)
        new = False
        for problem in found:
            source = Source(problem.file, problem.sheet)
            part = sources.get(source)
            if part is None:
                merged.kept_problems.append(problem)
            elif problem not in part.problems:
                part.problems.append(problem)
                new = True
        if not new:
            merged.changes = changes(current, merged, parts)
            return merged
    return merged


def _keyed(df: pd.DataFrame, reg: Register) -> dict[tuple, tuple]:
    cols = [f.name for f in reg.fields]
    values = df[cols].astype(object).where(df[cols].notna(), None).astype(str)
    keys = df[list(reg.key)].astype(str)
    return dict(zip(map(tuple, keys.itertuples(index=False)), map(tuple, values.itertuples(index=False))))


def changes(current: Current, merged: Merged, parts: list[Part]) -> pd.DataFrame:
    """Rows added, changed and removed per register and district."""
    out = []
    for name in dict.fromkeys(p.register.name for p in parts if p.register is not None and p.frame is not None):
        reg = BY_NAME[name]
        old = current.frames.get(name)
        new = merged.frames[name]
        old = new.iloc[0:0] if old is None else old
        for code in sorted(
            set(districts(name, old, current.frames).dropna()) | set(districts(name, new, merged.frames).dropna())
        ):
            a = _keyed(old[(districts(name, old, current.frames) == code).to_numpy()], reg)
            b = _keyed(new[(districts(name, new, merged.frames) == code).to_numpy()], reg)
            row = {
                "台账": reg.label,
                "区县": district_label(code),
                "新增": len(b.keys() - a.keys()),
                "修改": sum(1 for k in b.keys() & a.keys() if a[k] != b[k]),
                "删除": len(a.keys() - b.keys()),
                "发布后行数": len(b),
            }
            if row["新增"] or row["修改"] or row["删除"]:
                out.append(row)
    return pd.DataFrame(out, columns=["台账", "区县", "新增", "修改", "删除", "发布后行数"])

"""Rules across rows, columns and registers that the per-column checks cannot see.

`check` runs on the typed frames (field names as columns) once every declared
reference (`Field.ref`) resolves. Each rule family is one small function returning
problems; `locate(register, index)` turns a frame row into (its Source, spreadsheet row).
Values are named in the messages, so `Problem.value` stays empty.
"""

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from sanqu import geography
from sanqu.geography import district_name
from sanqu.ingest.problems import Problem, Source
from sanqu.ingest.registers import BY_NAME, REGISTERS, Field, bounds, number

Locate = Callable[[str, int], tuple[Source, int]]  # (register, frame row) -> file and row

# entity_type -> (register, key field, what one row is called)
ENTITIES = {
    "enterprise": ("enterprises", "enterprise_id", "企业"),
    "scenic": ("scenic_sites", "scenic_id", "景区景点"),
    "community": ("communities", "community_id", "村社区"),
}
ENTITY_REGISTERS = ("org_coverage", "instructors", "demo_sites", "contact_points")
# declared references whose row district must be the referenced row's district
# (enterprises -> parks is left out: a zone such as 井冈山经开区 spans 吉州区 and 吉安县)
SAME_DISTRICT = (
    ("community_stats", "community_id"),
    ("inspections", "site_id"),
    ("visits", "point_id"),
    ("pairings", "org_id"),
    ("venues", "org_id"),
    ("cadres", "org_id"),
)
DATE_PAIRS = (
    ("enterprises", "entered", "closed"),
    ("party_orgs", "founded", "dissolved"),
    ("instructors", "start", "end"),
)
MEMBERS_OF = (("enterprises", "employees"), ("scenic_sites", "staff"))
PARTS = (
    ("community_stats", ("quarters_own", "quarters_joint", "quarters_liaison"), "quarters"),
    ("community_stats", ("two_new_own", "two_new_joint", "two_new_liaison"), "two_new"),
    ("community_stats", ("buildings_group",), "buildings"),
)
WITH_TOWNSHIP = ("enterprises", "communities", "scenic_sites")


def _problem(locate: Locate, register: str, idx: int, field: str, message: str) -> Problem:
    source, row = locate(register, idx)
    return source.problem(row, BY_NAME[register].by_name(field).label, "", message)


def _label(register: str, field: str) -> str:
    return BY_NAME[register].by_name(field).label


def _district(code) -> str:
    return f"{code}（{district_name(code)}）"


def _rows(frames: dict[str, pd.DataFrame], register: str, *columns: str) -> Iterator[tuple]:
    """(index, value, ...) for each row of a register that is there."""
    if register not in frames:
        return iter(())
    df = frames[register]
    return zip(df.index, *(df[c] for c in columns))


def _filled(v) -> bool:
    return v is not None and not pd.isna(v)


def _districts_of(frames: dict[str, pd.DataFrame], register: str, key: str) -> dict:
    if register not in frames or "district" not in frames[register]:
        return {}
    df = frames[register]
    return dict(zip(df[key], df["district"]))


def entity_refs(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """Every (entity_type, entity_id) names an existing enterprise, scenic site or community,
    and a row's district is that entity's district."""
    problems: list[Problem] = []
    known = {t: _districts_of(frames, reg, key) for t, (reg, key, _) in ENTITIES.items()}
    for register in ENTITY_REGISTERS:
        districts = frames[register]["district"] if register in frames and "district" in frames[register] else None
        for idx, etype, eid in _rows(frames, register, "entity_type", "entity_id"):
            target, _, noun = ENTITIES[etype]
            if eid not in known[etype]:
                message = f"在{BY_NAME[target].label}台账中找不到{noun} {eid}"
                problems.append(_problem(locate, register, idx, "entity_id", message))
            elif districts is not None and districts[idx] != known[etype][eid]:
                message = (
                    f"区县代码 {_district(districts[idx])}与{noun} {eid} 所在区县 {_district(known[etype][eid])}不一致"
                )
                problems.append(_problem(locate, register, idx, "district", message))
    return problems


def ref_districts(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """A row that names a community, site, contact point or organisation is filed under
    that row's district."""
    problems: list[Problem] = []
    for register, field in SAME_DISTRICT:
        points_to = BY_NAME[register].by_name(field).ref
        if points_to is None:
            raise ValueError(f"SAME_DISTRICT names {register}.{field}, which refers to no register")
        target, key = points_to.split(".")
        known = _districts_of(frames, target, key)
        for idx, ref, district in _rows(frames, register, field, "district"):
            if ref in known and district != known[ref]:
                message = (
                    f"区县代码 {_district(district)}与{BY_NAME[target].label}台账中{_label(target, key)} {ref} "
                    f"的区县 {_district(known[ref])}不一致"
                )
                problems.append(_problem(locate, register, idx, "district", message))
    return problems


def township_districts(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """A row's township lies in the row's district (an enterprise is checked against its
    township only, not its park: some parks span two districts)."""
    problems: list[Problem] = []
    towns = _districts_of(frames, "townships", "code")
    for register in WITH_TOWNSHIP:
        for idx, town, district in _rows(frames, register, "township", "district"):
            if town in towns and district != towns[town]:
                message = f"乡镇街道 {town} 属于 {_district(towns[town])}，不在本行区县 {_district(district)}"
                problems.append(_problem(locate, register, idx, "township", message))
    return problems


def _cycle_from(start: str, parent: dict[str, str]) -> list[str] | None:
    """The cycle `start` lies on (start first), or None."""
    path, seen = [start], {start}
    node = parent.get(start)
    while node is not None and node not in seen:
        path.append(node)
        seen.add(node)
        node = parent.get(node)
    return path if node == start else None


def org_tree(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """Every parent organisation exists, is not the organisation itself, and the tree has
    no cycle (each organisation on a cycle is reported, with the whole cycle)."""
    problems: list[Problem] = []
    if "party_orgs" not in frames:
        return problems
    orgs = frames["party_orgs"]
    ids = set(orgs["org_id"])
    parent = {}
    for idx, org, up in _rows(frames, "party_orgs", "org_id", "parent_id"):
        if not _filled(up):
            continue
        if up == org:
            problems.append(_problem(locate, "party_orgs", idx, "parent_id", f"上级党组织是其自身 {org}"))
        elif up not in ids:
            message = f"在党组织台账中找不到上级党组织 {up}"
            problems.append(_problem(locate, "party_orgs", idx, "parent_id", message))
        else:
            parent[org] = up
    for idx, org in _rows(frames, "party_orgs", "org_id"):
        cycle = _cycle_from(org, parent) if org in parent else None
        if cycle:
            message = "上级党组织形成循环：" + "→".join([*cycle, org])
            problems.append(_problem(locate, "party_orgs", idx, "parent_id", message))
    return problems


def scenic_tree(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """A spot (景点) belongs to an existing scenic area (景区); an area has no parent."""
    problems: list[Problem] = []
    if "scenic_sites" not in frames:
        return problems
    sites = frames["scenic_sites"]
    kinds = dict(zip(sites["scenic_id"], sites["kind"]))
    for idx, kind, up in _rows(frames, "scenic_sites", "kind", "parent_id"):
        if kind == "景区" and _filled(up):
            message = f"类别为景区，不应填写所属景区编号 {up}（只有景点属于景区）"
        elif kind != "景点":
            continue
        elif not _filled(up):
            message = "类别为景点，必须填写所属景区编号"
        elif up not in kinds:
            message = f"在旅游景区景点台账中找不到景区 {up}"
        elif kinds[up] != "景区":
            message = f"所属景区 {up} 的类别是{kinds[up]}，不是景区"
        else:
            continue
        problems.append(_problem(locate, "scenic_sites", idx, "parent_id", message))
    return problems


def _positions(mask) -> Iterator[int]:
    """The positions where a boolean mask (Series or array, NA as False) holds."""
    return iter(np.flatnonzero(np.asarray(pd.Series(mask).fillna(False), dtype=bool)).tolist())


def date_order(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """An end date is not before its start date."""
    problems: list[Problem] = []
    for register, start, end in DATE_PAIRS:
        if register not in frames:
            continue
        df = frames[register]
        both = df[start].notna() & df[end].notna()  # usually few rows have an end
        for i in _positions(both):
            idx, a, b = df.index[i], df[start].iloc[i], df[end].iloc[i]
            if b < a:
                message = f"{_label(register, end)} {b} 早于{_label(register, start)} {a}"
                problems.append(_problem(locate, register, idx, end, message))
    return problems


def members_within(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """A unit has no more Party members than people working there."""
    problems: list[Problem] = []
    for register, whole in MEMBERS_OF:
        if register not in frames:
            continue
        df = frames[register]
        for i in _positions(df["members"] > df[whole]):
            members, people = df["members"].iloc[i], df[whole].iloc[i]
            message = f"{_label(register, 'members')} {members} 多于{_label(register, whole)} {people}"
            problems.append(_problem(locate, register, df.index[i], "members", message))
    return problems


def parts_within(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """Parts of a count do not add up to more than the count (reported on the whole)."""
    problems: list[Problem] = []
    for register, parts, whole in PARTS:
        if register not in frames:
            continue
        df = frames[register]
        total = sum((df[p] for p in parts), start=pd.Series(0, index=df.index, dtype="Int64"))
        for i in _positions(total > df[whole]):  # NA (a part or the whole empty): not checked
            names = " + ".join(_label(register, p) for p in parts)
            detail = f"{names} = {total.iloc[i]}" if len(parts) > 1 else f"{names} {total.iloc[i]}"
            message = f"{detail}，多于{_label(register, whole)} {df[whole].iloc[i]}"
            problems.append(_problem(locate, register, df.index[i], whole, message))
    return problems


def _outside(s: pd.Series, f: Field) -> np.ndarray:
    """Filled values that are not finite or lie outside the field's bounds."""
    v = pd.to_numeric(s, errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        out = ~np.isfinite(v)
        if f.min is not None:
            out |= v < f.min
        if f.max is not None:
            out |= v > f.max
    return out & ~np.isnan(v)


def ranges(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """Numbers lie within their field's bounds (`Field.min` / `Field.max`)."""
    problems: list[Problem] = []
    for reg in REGISTERS:
        for f in reg.fields:
            if f.type not in ("int", "float") or reg.name not in frames:
                continue
            df = frames[reg.name]
            for i in _positions(_outside(df[f.name], f)):
                where = f"{geography.region_name()}范围" if f.name in ("lon", "lat") else "取值范围"
                message = f"{number(df[f.name].iloc[i])} 超出{where} {bounds(f)}"
                problems.append(_problem(locate, reg.name, df.index[i], f.name, message))
    return problems


RULES = (
    ranges,
    entity_refs,
    ref_districts,
    township_districts,
    org_tree,
    scenic_tree,
    date_order,
    members_within,
    parts_within,
)


def check(frames: dict[str, pd.DataFrame], locate: Locate) -> list[Problem]:
    """Every rule's problems, rule by rule."""
    return [p for rule in RULES for p in rule(frames, locate)]

"""The names and codes of the register entities of a data folder, by district, and a search of
collected text (websocket frames, downloads) for those outside a scope (the sandbox leak test)."""

import csv
import re
from pathlib import Path

# register file -> (code column, name column or None); every entity that carries a district
ENTITIES = {
    "enterprises.csv": ("企业编号", "企业名称"),
    "parks.csv": ("园区代码", "园区名称"),
    "communities.csv": ("村社区代码", "村社区名称"),
    "scenic_sites.csv": ("景区编号", "景区景点名称"),
    "demo_sites.csv": ("示范点编号", "示范点名称"),
    "party_orgs.csv": ("党组织编号", "党组织名称"),
    "townships.csv": ("乡镇街道代码", "乡镇街道名称"),
    "cadres.csv": ("干部编号", None),
    "venues.csv": ("阵地编号", None),
    "inspections.csv": ("督查编号", None),
    "visits.csv": ("走访编号", None),
    "contact_points.csv": ("联系点编号", None),
    "pairings.csv": ("结对编号", None),
    "instructors.csv": ("派驻编号", None),
}
CODE = re.compile(r"(?<![0-9A-Za-z])[A-Z]{0,3}[0-9][0-9A-Z-]{5,}(?![0-9A-Za-z-])")
SPLIT = re.compile(r"[\x00-\x1f\"'<>{}\[\],:;\\=&|/\s()（）、，。：；]+")
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_NAME = 4  # shorter names (街道-like words) are not searched: they occur in ordinary text


class Catalogue:
    """Every entity's code and name with its district."""

    def __init__(self, registers: Path):
        self.codes: dict[str, set[str]] = {}  # code -> districts
        self.names: dict[str, set[str]] = {}  # name -> districts
        for file, (code_col, name_col) in ENTITIES.items():
            with open(registers / file, encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    d = row["区县代码"]
                    self.codes.setdefault(row[code_col], set()).add(d)
                    if name_col and len(row[name_col]) >= MIN_NAME:
                        self.names.setdefault(row[name_col], set()).add(d)

    def outside(self, allowed: set[str]) -> tuple[set[str], set[str]]:
        """Codes and names of entities only outside `allowed` (a name shared with an entity inside,
        or part of an inside name — 曾家村委会 in 上曾家村委会 — is not evidence of a leak)."""
        codes = {c for c, ds in self.codes.items() if not ds & allowed}
        inside = self.inside(allowed)[1]
        parts = {n[i:j] for n in inside for i in range(len(n)) for j in range(i + MIN_NAME, len(n) + 1)}
        names = {n for n, ds in self.names.items() if not ds & allowed and n not in parts}
        return codes, names

    def inside(self, allowed: set[str]) -> tuple[set[str], set[str]]:
        codes = {c for c, ds in self.codes.items() if ds & allowed}
        names = {n for n, ds in self.names.items() if ds & allowed}
        return codes, names


ESCAPED = re.compile(r"\\+u([0-9a-fA-F]{4})")


def unescape(text: str) -> str:
    """JSON's \\uXXXX escapes written out, however deeply nested (the map's data is JSON with every
    character escaped, inside a component's JSON arguments, inside the websocket message)."""
    return ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def found(text: str, codes: set[str], names: set[str]) -> set[str]:
    """Which of `codes` and `names` occur in `text` (codes as whole tokens, names anywhere in a
    run of text), escaped or not."""
    text = unescape(text)
    hits = {c for c in CODE.findall(text) if c in codes}
    longest = max((len(n) for n in names), default=0)
    for token in set(SPLIT.split(text)):
        if not CJK.search(token):
            continue
        for i in range(len(token)):
            for j in range(i + MIN_NAME, min(len(token), i + longest) + 1):
                if token[i:j] in names:
                    hits.add(token[i:j])
    return hits

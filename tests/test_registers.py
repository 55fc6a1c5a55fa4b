"""The register schema is the one documented place; docs/REGISTERS.md is generated from it."""

from pathlib import Path

import pytest

from sanqu.ingest.registers import REGISTERS, markdown

DOMAIN_REGISTERS = {
    "districts",
    "parks",
    "enterprises",
    "communities",
    "scenic_sites",
    "party_orgs",
    "org_coverage",
    "demo_sites",
    "milestones",
    "inspections",
    "contact_points",
    "visits",
    "pairings",
    "venues",
    "cadres",
    "activities",
}


def test_every_domain_register_has_a_schema():
    assert DOMAIN_REGISTERS <= {r.name for r in REGISTERS}


def test_every_field_is_documented():
    for reg in REGISTERS:
        labels = [f.label for f in reg.fields]
        assert len(labels) == len(set(labels)), reg.name
        for f in reg.fields:
            assert f.name and f.label and f.meaning and f.type


def test_docs_are_up_to_date():
    doc = Path(__file__).resolve().parent.parent / "docs" / "REGISTERS.md"
    assert doc.read_text(encoding="utf-8") == markdown() + "\n", "run `make docs`"


def test_code_patterns_are_ascii_whatever_the_regex_flags():
    import re

    from sanqu import periods
    from sanqu.ingest.registers import REGISTERS

    patterns = [f.pattern for reg in REGISTERS for f in reg.fields if f.pattern]
    assert patterns and all("\\d" not in p for p in patterns)
    assert re.match(patterns[0], "360802") and not re.match(patterns[0], "３６０８０２")
    assert periods.parse("2026Q3") == (2026, 3)
    with pytest.raises(ValueError):
        periods.parse("２０２６Q3")

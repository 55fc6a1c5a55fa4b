"""The register folder: which files in it are registers, and whether they are the demo's."""

import hashlib
from pathlib import Path

DEMO_MARKER = "README.txt"
REGISTER_SUFFIXES = (".csv", ".xlsx", ".xls")


def register_files(folder: Path) -> list[Path]:
    """Files in the register folder that look like registers (any case of .csv/.xlsx/.xls)."""
    try:
        return sorted(
            p for p in folder.iterdir() if p.suffix.lower() in REGISTER_SUFFIXES and not p.name.startswith(".")
        )
    except OSError:  # missing or unreadable folder: no registers to build from
        return []


def is_demo(folder: Path) -> bool:
    """The folder holds demo registers: the marker is there and at least one register file is
    still byte-identical to what the generator wrote (real files copied in keep the label only
    while demo files remain beside them, so mixed data stays labelled 演示数据)."""
    marker = folder / DEMO_MARKER
    try:
        text = marker.read_text(encoding="utf-8")
    except OSError:
        return False
    written = dict(line.split("  ", 1)[::-1] for line in text.splitlines() if line.startswith("sha256:"))
    if "演示数据" not in text:
        return False
    if not written:  # a marker from before the hashes
        return True
    return any(written.get(p.name) == file_hash(p) for p in register_files(folder))


def file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()

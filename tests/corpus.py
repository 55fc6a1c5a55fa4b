"""A small generator of bad register files: a valid tiny folder, then one file corrupted."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from sanqu.ingest import demo
from sanqu.ingest.registers import register
from tests import tiny

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
VALID_ID = "11010519491231002X"  # the GB 11643 example: its check character is right


def valid(tmp_path: Path) -> Path:
    """A folder of tiny registers that loads without a problem; returns the registers folder."""
    folder = tmp_path / "registers"
    demo.write_rows(folder, tiny.ROWS)
    return folder


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def csv_text(table: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def rewrite(path: Path, change, encoding: str = "utf-8-sig") -> None:
    """Apply `change` to the rows of a CSV register and write it back in `encoding`."""
    table = rows(path)
    change(table)
    path.write_bytes(csv_text(table).encode(encoding))


def set_cell(path: Path, row: int, label: str, value: str) -> None:
    """Set a cell by spreadsheet row number (header = 1) and header label."""

    def change(table):
        table[row - 1][table[0].index(label)] = value

    rewrite(path, change)


def insert_line(path: Path, before_row: int, line: str = "") -> None:
    """Insert a raw text line before the given physical line (1 = header)."""
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    lines.insert(before_row - 1, line)
    path.write_text("\n".join(lines), encoding="utf-8-sig")


def workbook_bytes(table: list[list], title: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in table:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_xlsx(folder: Path, name: str, change=None, title: str = "Sheet1") -> Path:
    """Replace name.csv by name.xlsx with the same cells as text (numbers as numbers)."""
    csv_path = folder / register(name).file
    table = rows(csv_path)
    if change:
        change(table)
    csv_path.unlink()
    path = folder / f"{name}.xlsx"
    path.write_bytes(workbook_bytes(table, title))
    return path

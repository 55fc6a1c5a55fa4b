"""How the store is built fast: a plain CSV read without a Python object per cell gives the frames
(or the problems) the row-by-row reading gives."""

import pandas as pd
import pytest

from sanqu.ingest import loader, readers
from sanqu.ingest.registers import BY_NAME

ENTERPRISES = BY_NAME["enterprises"]
HEADER = [f.label for f in ENTERPRISES.fields]


def _row(i: int, name: str = "") -> list[str]:
    cells = {f.name: "" for f in ENTERPRISES.fields}
    cells.update(enterprise_id=f"E3608220{i:03d}", name=name or f"企业{i}", district="360822", members=str(i % 7))
    return [cells[f.name] for f in ENTERPRISES.fields]


def _csv(rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in rows) + "\n"


def _both(tmp_path, text: str) -> tuple[loader.Table, loader.Table]:
    """(row by row, plain) tables of the same file."""
    path = tmp_path / ENTERPRISES.file
    path.write_text(text, encoding="utf-8")
    slow = loader.table(readers.read_file(path, ENTERPRISES), ENTERPRISES)
    plain = readers.read_file(path, ENTERPRISES, plain=True)
    return slow, loader.table(plain, ENTERPRISES)


def _same(slow: loader.Table, fast: loader.Table) -> None:
    assert (fast.header_row, fast.problems, fast.numeric) == (slow.header_row, slow.problems, slow.numeric)
    if slow.df is None:
        assert fast.df is None
    else:
        pd.testing.assert_frame_equal(fast.df, slow.df)


BLANK = [""] * len(HEADER)
TITLE = ["企业台账"] + [""] * (len(HEADER) - 1)
SIXTY = [_row(i) for i in range(60)]
CASES = {
    "header on row 1": [HEADER, *[_row(i) for i in range(100)]],
    "title rows above the header": [TITLE, BLANK, HEADER, *SIXTY],
    "a row of blank cells deep in the body": [HEADER, *SIXTY, BLANK, *[_row(i) for i in range(60, 70)]],
    "a row of spaces in the body": [HEADER, *SIXTY, [" \u3000"] * len(HEADER), _row(61)],
    "a cell of spaces only": [HEADER, *SIXTY, _row(60, " "), _row(61)],
    "a short row in the first rows": [HEADER, _row(0)[:3], *SIXTY[1:]],
}


@pytest.mark.parametrize("rows", CASES.values(), ids=CASES.keys())
def test_a_plain_csv_reads_as_row_by_row(tmp_path, rows):
    slow, fast = _both(tmp_path, _csv(rows))
    _same(slow, fast)
    assert slow.df is not None


def test_the_plain_reading_is_taken_for_a_plain_file(tmp_path):
    path = tmp_path / ENTERPRISES.file
    path.write_text(_csv([HEADER, *[_row(i) for i in range(100)]]), encoding="utf-8")
    sheet = readers.read_file(path, ENTERPRISES, plain=True)
    assert sheet.body is not None and sheet.body.num_rows == 101 - readers.PLAIN_HEAD
    table = loader.table(sheet, ENTERPRISES)
    assert list(table.df.index[:2]) == [2, 3] and table.df.index[-1] == 101  # spreadsheet rows


UNPLAIN = {
    "a quoted cell": lambda rows: rows[:50] + [_row(50, '"甲,乙"')] + rows[51:],
    "a blank line": lambda rows: rows[:50] + [[]] + rows[50:],
    "a long row in the body": lambda rows: rows[:70] + [[*_row(70), "多余"]] + rows[71:],
    "a short row in the body": lambda rows: rows[:70] + [_row(70)[:4]] + rows[71:],
}


@pytest.mark.parametrize("change", UNPLAIN.values(), ids=UNPLAIN.keys())
def test_a_file_that_is_not_plain_is_read_row_by_row(tmp_path, change):
    """Quotes, blank lines and rows of another width: the same frame or the same problems."""
    text = _csv(change([HEADER, *[_row(i) for i in range(100)]]))
    slow, fast = _both(tmp_path, text)
    _same(slow, fast)


def test_a_carriage_return_file_is_read_row_by_row(tmp_path):
    slow, fast = _both(tmp_path, _csv([HEADER, *[_row(i) for i in range(100)]]).replace("\n", "\r\n"))
    _same(slow, fast)
    assert len(fast.df) == 100

"""make bench: time to read and validate a 100,000-row register upload (.xlsx and .csv), figures only."""

import csv
import io
import time

from openpyxl import Workbook

from sanqu.ingest import upload
from sanqu.ingest.registers import register

ROWS = 100_000


def _rows() -> list[list[str]]:
    """100,000 valid enterprises of one park (text cells, as the template asks)."""
    out = []
    for i in range(ROWS):
        place = ["360822400", "360822", "360822100", "电子信息", "私营", "规上"]
        figures = [str(50 + i % 300), str(i % 20), "2020-01-01", "", f"{115.0 + (i % 100) / 1000:.3f}", "27.20"]
        out.append(["", f"企业{i}", *place, *figures])
    return out


def _ids(rows: list[list[str]]) -> None:
    for i, r in enumerate(rows):
        r[0] = f"QY{360000 + i // 10000:06d}-{i % 10000:04d}"


def files() -> tuple[bytes, bytes]:
    reg = register("enterprises")
    header = [f.label for f in reg.fields]
    rows = _rows()
    _ids(rows)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *rows])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("园区企业")
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return text.getvalue().encode("utf-8-sig"), out.getvalue()


def main() -> None:
    csv_data, xlsx_data = files()
    for name, data in (("园区企业.csv", csv_data), ("园区企业.xlsx", xlsx_data)):
        t0 = time.perf_counter()
        parts = upload.read_uploads([(name, data)])
        seconds = time.perf_counter() - t0
        part = parts[0]
        print(
            f"upload read+validate, {ROWS:,} rows {name:14s} {seconds * 1000:8.0f} ms  "
            f"({len(data) / 2**20:.1f} MB; 读入 {part.rows_in} = 通过 {part.accepted} + 退回 {part.rejected})"
        )


if __name__ == "__main__":
    main()

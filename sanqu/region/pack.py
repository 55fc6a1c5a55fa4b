"""Build a region pack: maps/<code>/ with units.csv, a boundary file per level, township points,
PROVENANCE.md and LICENSES.txt. The same packages give byte-identical files."""

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

from sanqu.region import divisions, points, shapes
from sanqu.region.divisions import Unit
from sanqu.region.provenance import licences_text, provenance_text
from sanqu.region.sources import Sources

BOUNDARY_LEVELS = ("province", "city", "county")  # townships: no boundary exists offline


@dataclass
class Report:
    code: str
    folder: Path
    units: dict[str, int]  # level → count
    boundaries: dict[str, int]  # level → units with a boundary
    missing: list[Unit] = field(default_factory=list)  # units of a boundary level with none
    points: int = 0
    villages: int = 0
    parks: int = 0
    bytes: int = 0


def _csv_text(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _units_csv(units: list[Unit]) -> str:
    return _csv_text(["code", "name", "level", "parent"], [[u.code, u.name, u.level, u.parent] for u in units])


def _points_csv(found: list[points.Point]) -> str:
    rows = [[p.code, p.name, p.county, f"{p.lon:.5f}", f"{p.lat:.5f}", p.geonameid, p.geonames_name] for p in found]
    return _csv_text(["code", "name", "county", "lon", "lat", "geonameid", "geonames_name"], rows)


def _villages_gz(villages: list[divisions.Village]) -> bytes:
    """villages.csv gzipped with no name and no time in the header: the same rows, the same bytes."""
    text = _csv_text(["code", "name", "township"], [[v.code, v.name, v.township] for v in villages])
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return out.getvalue()


def _parks_csv(units: list[Unit]) -> str:
    return _csv_text(["code", "name", "county"], [[u.code, u.name, u.parent] for u in units if divisions.is_park(u)])


def build(code: str, out: Path, sources: Sources) -> Report:
    """Write the pack of province or prefecture `code` into out/<code>/ and say what it holds."""
    units = divisions.units(sources.divisions_dir, code)
    folder = out / code
    by_level = {level: [u for u in units if u.level == level] for level in divisions.LEVELS}
    report = Report(code, folder, {lv: len(us) for lv, us in by_level.items() if us}, {})
    files: dict[str, str] = {"units.csv": _units_csv(units)}
    full: dict[str, object] = {}
    for level in BOUNDARY_LEVELS:
        loaded = [(u, shapes.load(sources.land_dir, u.code)) for u in by_level[level]]
        present = [(u, g) for u, g in loaded if g is not None]
        report.missing += [u for u, g in loaded if g is None]
        if not present:
            continue
        full.update({u.code: g for u, g in present})
        kept = [u for u, _ in present]
        files[f"{level}.geojson"] = shapes.feature_collection(kept, shapes.simplify([g for _, g in present]))
        report.boundaries[level] = len(kept)
    found = points.township_points(by_level["township"], full, sources.geonames_file)
    report.points = len(found)
    files["township_points.csv"] = _points_csv(found)
    villages = divisions.villages(sources.divisions_dir, code)
    report.villages = len(villages)
    files["parks.csv"] = _parks_csv(units)
    report.parks = files["parks.csv"].count("\n") - 1
    files["PROVENANCE.md"] = provenance_text(report, units, sources.versions())
    files["LICENSES.txt"] = licences_text(sources.licences())
    blobs = {name: text.encode("utf-8") for name, text in files.items()}
    blobs["villages.csv.gz"] = _villages_gz(villages)
    folder.mkdir(parents=True, exist_ok=True)
    for name, blob in sorted(blobs.items()):
        (folder / name).write_bytes(blob)
    report.bytes = sum(len(b) for b in blobs.values())
    return report

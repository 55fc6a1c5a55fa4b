"""Build a region pack: maps/<code>/ with units.csv, a boundary file per level, township points,
PROVENANCE.md and LICENSES.txt. The same packages give byte-identical files."""

import csv
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
    files["PROVENANCE.md"] = provenance_text(report, units, sources.versions())
    files["LICENSES.txt"] = licences_text(sources.licences())
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    report.bytes = sum(len(t.encode("utf-8")) for t in files.values())
    return report

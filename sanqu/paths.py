"""Where the project keeps its files; SANQU_DATA_DIR moves the data folder (tests)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPS_DIR = ROOT / "maps"
REFERENCE_DIR = MAPS_DIR / "reference"
STATIC_DIR = ROOT / "static"


def data_dir() -> Path:
    return Path(os.environ.get("SANQU_DATA_DIR", ROOT / "data"))


def registers_dir() -> Path:
    return data_dir() / "registers"


def db_path() -> Path:
    return data_dir() / "sanqu.duckdb"

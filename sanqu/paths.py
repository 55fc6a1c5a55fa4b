"""Where the project keeps its files; the data_dir setting moves the data folder (tests)."""

from pathlib import Path

from sanqu import settings

ROOT = Path(__file__).resolve().parent.parent
MAPS_DIR = ROOT / "maps"
REFERENCE_DIR = MAPS_DIR / "reference"


def data_dir() -> Path:
    return Path(settings.get("data_dir"))


def registers_dir() -> Path:
    return data_dir() / "registers"


def db_path() -> Path:
    return data_dir() / "sanqu.duckdb"

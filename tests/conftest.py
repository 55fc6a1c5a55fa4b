import os
from pathlib import Path

import pytest

from sanqu import demo, store
from sanqu.db import Database
from tests import tiny

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """Demo registers and their store in a private data folder (SANQU_DATA_DIR)."""
    folder = tmp_path_factory.mktemp("demo-data")
    demo.write(folder / "registers")
    store.build(folder / "registers", folder / "sanqu.duckdb")
    os.environ["SANQU_DATA_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def demo_db(demo_dir) -> Database:
    db = Database(demo_dir / "sanqu.duckdb")
    yield db
    db.close()


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Database:
    folder = tmp_path_factory.mktemp("tiny")
    demo.write_rows(folder / "registers", tiny.ROWS)
    store.build(folder / "registers", folder / "sanqu.duckdb")
    db = Database(folder / "sanqu.duckdb")
    yield db
    db.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT

import os
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module

from sanqu.storage.db import Database
from tests import stores, tiny
from tests.downloads import Manager

# No warmer (ui/warm.py) unless a test asks for one: the app processes the tests start inherit this.
os.environ.setdefault("SANQU_WARM", "0")
# Python's own full collections in this process, whose AppTests run app.py one after another (the
# browser tests' servers and tests/test_heap.py's own app process have the idle collector).
os.environ.setdefault("SANQU_GC_IDLE", "0")
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    """Demo registers and their store in a private data folder, built once per test run."""
    return stores.built(tmp_path_factory.mktemp("demo-data"))


@pytest.fixture()
def demo_dir(demo_data, monkeypatch) -> Path:
    """The demo data folder as the app's data folder for one test (SANQU_DATA_DIR)."""
    monkeypatch.setenv("SANQU_DATA_DIR", str(demo_data))
    return demo_data


@pytest.fixture(scope="session")
def demo_db(demo_data) -> Database:
    db = Database(demo_data / "sanqu.duckdb")
    yield db
    db.close()


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Database:
    yield from stores.opened(tmp_path_factory.mktemp("tiny"), tiny.ROWS)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture()
def media(monkeypatch):
    """AppTest's media file manager remembered: `tests.downloads.offered` reads a button's file."""
    monkeypatch.setattr(app_test_module, "MediaFileManager", Manager)
    return Manager

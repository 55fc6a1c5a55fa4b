"""Nothing lost: make run's setup never writes demo data over or beside real registers, never
replaces a store built from them, always starts on the last good store, and the app reopens a
store replaced under it (even with its old modification time)."""

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from sanqu.__main__ import main
from sanqu.ingest import demo
from sanqu.ingest.folder import is_demo
from sanqu.scope import Scope
from sanqu.storage import store
from sanqu.storage.db import StoreHandle, StoreUnavailable
from tests import tiny

PARK_NAMES = "SELECT name FROM parks WHERE district IN (SELECT unnest($scope)) ORDER BY park_id"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _csv_to_xlsx(path: Path) -> None:
    """The same register as an .xlsx with every cell stored as text (as a careful office would)."""
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path.with_suffix(".xlsx"))
    path.unlink()


@pytest.fixture()
def real(tmp_path, monkeypatch):
    """A data folder whose registers are real (not demo) .xlsx files, and the store built from them."""
    regs = tmp_path / "registers"
    demo.write_rows(regs, tiny.ROWS)
    for p in list(regs.glob("*.csv")):
        _csv_to_xlsx(p)
    monkeypatch.setenv("SANQU_DATA_DIR", str(tmp_path))
    assert main(["build"]) == 0
    return tmp_path


def test_xlsx_only_registers_survive_make_run(real):
    before = _digest(real / "sanqu.duckdb")
    listing = sorted(p.name for p in (real / "registers").iterdir())
    assert main(["ensure"]) == 0
    assert sorted(p.name for p in (real / "registers").iterdir()) == listing  # no demo CSVs beside them
    assert _digest(real / "sanqu.duckdb") == before  # and the store was not rebuilt
    assert store.store_is_demo(real / "sanqu.duckdb") is False


def test_missing_register_folder_keeps_the_real_store(real, capsys):
    before = _digest(real / "sanqu.duckdb")
    shutil.rmtree(real / "registers")
    assert main(["ensure"]) == 0
    assert not (real / "registers").exists()
    assert _digest(real / "sanqu.duckdb") == before
    assert "不会用演示数据覆盖" in capsys.readouterr().err


def test_unrecognised_files_are_never_joined_by_demo_data(real, capsys):
    before = _digest(real / "sanqu.duckdb")
    for p in (real / "registers").iterdir():
        p.rename(p.with_suffix(".bak"))
    assert main(["ensure"]) == 0
    assert not list((real / "registers").glob("*.csv"))
    assert _digest(real / "sanqu.duckdb") == before
    assert "没有可识别的台账文件" in capsys.readouterr().err


def test_make_demo_refuses_a_folder_of_real_registers(real, capsys):
    listing = {p.name: _digest(p) for p in (real / "registers").iterdir()}
    before = _digest(real / "sanqu.duckdb")
    assert main(["demo"]) == 2
    assert {p.name: _digest(p) for p in (real / "registers").iterdir()} == listing
    assert _digest(real / "sanqu.duckdb") == before
    assert "不会覆盖" in capsys.readouterr().err


def test_empty_data_folder_gets_the_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_DATA_DIR", str(tmp_path))
    assert main(["ensure"]) == 0
    assert is_demo(tmp_path / "registers")
    assert store.store_is_demo(tmp_path / "sanqu.duckdb") is True
    assert not store.needs_build(tmp_path / "registers", tmp_path / "sanqu.duckdb")


def test_real_file_in_a_demo_folder_is_rebuilt_and_still_labelled(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_DATA_DIR", str(tmp_path))
    assert main(["ensure"]) == 0
    regs = tmp_path / "registers"
    with open(regs / "parks.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    rows[1][1] = "改过的园区"
    with open(regs / "parks.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    assert store.needs_build(regs, tmp_path / "sanqu.duckdb")
    assert main(["ensure"]) == 0
    assert store.store_is_demo(tmp_path / "sanqu.duckdb") is True  # demo files remain: still 演示数据
    demo.write_rows(regs, tiny.ROWS)  # every file replaced by a real one: no longer demo
    assert main(["ensure"]) == 0
    assert store.store_is_demo(tmp_path / "sanqu.duckdb") is False
    assert not is_demo(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "payload",
    [b"", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "区县代码,区县名称\n360802,吉州区\n".encode("utf-16")],
)
def test_any_bad_register_still_starts_on_the_last_good_store(real, capsys, payload):
    before = _digest(real / "sanqu.duckdb")
    (real / "registers/parks.xlsx").unlink()
    (real / "registers/parks.csv").write_bytes(payload)
    assert main(["ensure"]) == 0
    err = capsys.readouterr().err
    assert "继续使用之前的" in err and "Traceback" not in err
    assert _digest(real / "sanqu.duckdb") == before


def test_a_crash_while_building_still_starts_on_the_last_good_store(real, capsys, monkeypatch):
    def explode(folder):
        raise ValueError("unexpected")

    monkeypatch.setattr(store, "load_all", explode)
    os.utime(real / "registers/parks.xlsx", ns=(1, os.stat(real / "registers/parks.xlsx").st_mtime_ns + 10**9))
    assert main(["ensure"]) == 0
    assert "台账未能导入（ValueError: unexpected）" in capsys.readouterr().err
    assert main(["build"]) == 2


def test_unwritable_data_folder_is_a_message(real, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(store.StoreError, match="数据库未能写入"):
        store.build(real / "registers", blocker / "sanqu.duckdb")


def _two_stores(tmp_path) -> tuple[Path, Path]:
    rows = {k: [dict(r) for r in v] for k, v in tiny.ROWS.items()}
    demo.write_rows(tmp_path / "a", rows)
    rows["parks"][0]["name"] = "另一个园区"
    demo.write_rows(tmp_path / "b", rows)
    store.build(tmp_path / "a", tmp_path / "a.duckdb")
    store.build(tmp_path / "b", tmp_path / "b.duckdb")
    return tmp_path / "a.duckdb", tmp_path / "b.duckdb"


def test_store_restored_with_its_old_mtime_is_reopened(tmp_path):
    a, b = _two_stores(tmp_path)
    live = tmp_path / "sanqu.duckdb"
    shutil.copy2(a, live)
    handle = StoreHandle()
    first = handle.get(live).query(PARK_NAMES, Scope.city())["name"].tolist()
    mtime = os.stat(live).st_mtime_ns
    subprocess.run(["cp", "-p", str(b), str(live)], check=True)  # in place, b's old mtime
    os.utime(live, ns=(mtime, mtime))  # even the very same mtime as before
    second = handle.get(live).query(PARK_NAMES, Scope.city())["name"].tolist()
    assert first[0] != "另一个园区" and second[0] == "另一个园区"
    handle.drop()


def test_failed_open_recovers_on_the_next_call(tmp_path):
    a, _ = _two_stores(tmp_path)
    live = tmp_path / "sanqu.duckdb"
    live.write_bytes(b"not a database" * 100)
    handle = StoreHandle()
    with pytest.raises(StoreUnavailable, match="数据库无法打开"):
        handle.get(live)
    shutil.copy(a, live)
    assert len(handle.get(live).query(PARK_NAMES, Scope.city())) == len(tiny.ROWS["parks"])
    live.unlink()
    with pytest.raises(StoreUnavailable, match="数据库尚未生成"):
        handle.get(live)
    handle.drop()


def test_app_follows_a_store_replaced_under_it(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    a, b = _two_stores(tmp_path)
    live = tmp_path / "sanqu.duckdb"
    shutil.copy2(a, live)
    monkeypatch.setenv("SANQU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SANQU_TODAY", "2026-09-30")
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
        at.switch_page("views/parks.py").run()
        assert not at.exception
        subprocess.run(["cp", "-p", str(b), str(live)], check=True)
        at.run()
        assert not at.exception
        shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
        assert "另一个园区" in shown
        live.write_bytes(b"garbage" * 1000)  # a corrupt store: a message, then recovery
        at.run()
        assert any("数据库无法打开" in e.value for e in at.error)
        shutil.copy(a, live)
        at.run()
        assert not at.exception and not at.error
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_the_app_says_why_it_did_not_rebuild(real, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    (real / "registers/parks.xlsx").unlink()
    (real / "registers/parks.csv").write_bytes(b"")
    assert main(["ensure"]) == 0
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60).run()
        assert any("台账文件比数据库新" in w.value for w in at.sidebar.warning)
        assert any("parks.csv" in t.value for t in at.sidebar.text)
        assert len(at.metric) == 3  # the last good store is shown
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def _ensure_process(data: Path) -> subprocess.CompletedProcess:
    """`make run`'s setup step exactly as make runs it: a separate process."""
    env = dict(os.environ, SANQU_DATA_DIR=str(data))
    root = Path(__file__).resolve().parent.parent
    cmd = [sys.executable, "-m", "sanqu", "ensure"]
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_make_run_setup_keeps_an_xlsx_store_as_a_process(real):
    before = _digest(real / "sanqu.duckdb")
    done = _ensure_process(real)
    assert done.returncode == 0, done.stderr
    assert _digest(real / "sanqu.duckdb") == before
    assert not list((real / "registers").glob("*.csv"))


def test_make_run_setup_never_shows_a_traceback(real):
    (real / "registers/parks.xlsx").write_bytes(b"PK\x03\x04 truncated")
    done = _ensure_process(real)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert "parks.xlsx" in done.stderr and "继续使用之前的" in done.stderr

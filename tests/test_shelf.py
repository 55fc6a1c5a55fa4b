"""The shelf (sanqu/storage/shelf.py) and the warmer (ui/warm.py): results made ahead for one
store version, read back instead of made; never across store versions, never for arguments whose
repr could stand for two values; the pages show the same with and without them."""

import contextlib
import functools
import json
import os
import pickle
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sanqu import geography
from sanqu.context import Context
from sanqu.scope import Scope
from sanqu.storage import shelf as shelf_module
from sanqu.storage.shelf import MISSING, Shelf, plain, version_of
from ui import data, warm

ROOT = Path(__file__).resolve().parent.parent
CLOCK = re.compile(r"刷新于 [0-9-]+ [0-9:]+")
WAIT_S = 300  # a bound on waiting for the warmer, never a pause


@pytest.fixture()
def own_data(demo_data, tmp_path, monkeypatch) -> Path:
    """A copy of the demo data folder (its store and registers) as the app's, for one test."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy2(demo_data / "sanqu.duckdb", folder / "sanqu.duckdb")
    shutil.copytree(demo_data / "registers", folder / "registers")
    monkeypatch.setenv("SANQU_DATA_DIR", str(folder))
    monkeypatch.setenv("SANQU_TODAY", "2026-11-26")
    data.recover()  # this test's store, opened afresh
    yield folder
    data.write_shelf(False)
    data.recover()


def test_an_entry_is_read_back_for_its_key_only(tmp_path):
    shelf = Shelf(tmp_path / "shelf", "v1")
    frame = pd.DataFrame({"区县": ["吉水县", "永丰县"], "n": [3, 0]})
    assert shelf.put("m.f", "ctx", ("a", 1, None), frame)
    pd.testing.assert_frame_equal(shelf.get("m.f", "ctx", ("a", 1, None)), frame)
    assert shelf.get("m.f", "ctx", ("a", 2, None)) is MISSING
    assert shelf.get("m.g", "ctx", ("a", 1, None)) is MISSING
    assert shelf.get("m.f", "other", ("a", 1, None)) is MISSING
    assert Shelf(tmp_path / "shelf", "v2").get("m.f", "ctx", ("a", 1, None)) is MISSING
    assert shelf.entries() == 1 and not list(shelf.folder.glob("*.tmp"))


def test_arguments_that_are_not_plain_data_are_never_shelved(tmp_path):
    shelf = Shelf(tmp_path / "shelf", "v1")
    frame = pd.DataFrame({"n": range(100)})  # its repr leaves rows out: two frames could share it
    assert not plain((frame,)) and not plain(({"a": 1},)) and not plain(([1],))
    assert plain(("a", 1, 2.5, None, True, ("b", ("c",))))
    assert not shelf.put("m.f", "ctx", (frame,), 1)
    assert shelf.get("m.f", "ctx", (frame,)) is MISSING
    assert shelf.entries() == 0


def test_a_damaged_entry_is_a_miss(tmp_path):
    shelf = Shelf(tmp_path / "shelf", "v1")
    shelf.put("m.f", "ctx", (), {"a": 1})
    (path,) = shelf.folder.glob("*.pkl")
    path.write_bytes(pickle.dumps({"a": 1})[:5])
    assert shelf.get("m.f", "ctx", ()) is MISSING


def test_a_store_rewritten_is_another_version(tmp_path):
    store = tmp_path / "sanqu.duckdb"
    assert version_of(store) is None
    store.write_bytes(b"one")
    first = version_of(store)
    copy = tmp_path / "new.duckdb"
    copy.write_bytes(b"one")
    os.replace(copy, store)  # the same bytes, replaced: another version
    assert version_of(store) not in (None, first)
    shelf = Shelf.of(store)
    assert shelf is not None and shelf.folder == tmp_path / "shelf" / version_of(store)


def test_another_code_or_region_is_another_shelf(monkeypatch):
    """An upgrade (the app's files, a library) or another region never reads what was made before."""
    first = shelf_module.folder_name("store v1")
    assert shelf_module.folder_name("store v1") == first and shelf_module.folder_name("store v2") != first
    monkeypatch.setenv("SANQU_REGION", "360000")
    assert shelf_module.folder_name("store v1") != first
    monkeypatch.delenv("SANQU_REGION")
    monkeypatch.setattr(shelf_module, "code_fingerprint", lambda: "another release")
    assert shelf_module.folder_name("store v1") != first


def test_the_code_fingerprint_follows_the_files(tmp_path, monkeypatch):
    for name, text in (("app.py", "x = 1"), ("sanqu/a.py", "y = 2"), ("maps/360800/county.geojson", "{}")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(shelf_module.settings, "ROOT", tmp_path)
    made = shelf_module.code_fingerprint.__wrapped__
    first = made()
    assert made() == first
    (tmp_path / "sanqu" / "a.py").write_text("y = 3")
    assert made() != first


def test_ready_and_the_shelves_of_older_stores_removed(tmp_path):
    old, new = Shelf(tmp_path / "shelf", "old"), Shelf(tmp_path / "shelf", "new")
    old.put("m.f", "ctx", (), 1)
    new.put("m.f", "ctx", (), 2)
    assert new.ready() is None
    new.mark_ready(views=3)
    assert new.ready() == {"views": 3}
    assert new.drop_others() == 1
    assert not old.folder.exists() and new.get("m.f", "ctx", ()) == 2


def test_the_version_now_follows_the_app_files_the_process_version_its_own_code(tmp_path, monkeypatch):
    store = tmp_path / "sanqu.duckdb"
    store.write_bytes(b"one")
    monkeypatch.setattr(shelf_module, "code_fingerprint", lambda: "the code this process runs")
    monkeypatch.setattr(shelf_module, "files_fingerprint", lambda: "the code this process runs")
    assert version_of(store, now=True) == version_of(store) is not None
    monkeypatch.setattr(shelf_module, "files_fingerprint", lambda: "a release installed since")
    assert version_of(store, now=True) != version_of(store)


def _plain_warm(monkeypatch, visited: list) -> None:
    """warm() over the newest quarter's city and districts of one page, its visits only counted."""
    monkeypatch.setattr(data, "start_warmer", lambda: None)
    for name, value in (("WARM", "1"), ("WARM_QUARTERS", "1"), ("WARM_TOWNSHIPS", "0"), ("WARM_FILTERS", "0")):
        monkeypatch.setenv(f"SANQU_{name}", value)

    def visit(_page: str, params: dict, _explore: bool = False) -> int:
        visited.append(params)
        return 1

    monkeypatch.setattr(warm, "visit", visit)


def test_a_warmer_whose_app_files_changed_leaves_the_other_shelves_and_stops(own_data, monkeypatch):
    """A release installed while a warmer works: a newer server's warmer makes another shelf. The
    older one, finishing, must not remove it (it did: a fresh shelf lost 2,982 of 14,054 entries)."""
    visited: list = []
    _plain_warm(monkeypatch, visited)
    store = own_data / "sanqu.duckdb"
    newer = Shelf(store.parent / "shelf", "made-by-the-newer-code")
    newer.put("m.f", "ctx", (), 1)
    running = shelf_module.code_fingerprint()  # this process's code, read before the files change
    monkeypatch.setattr(shelf_module, "files_fingerprint", lambda: "a release installed since")
    assert warm.warm(("views/map.py",)) == 14 == len(visited)  # fewer views than CODE_EVERY: all made
    assert Shelf.of(store).ready()["views"] == 14 and newer.get("m.f", "ctx", ()) == 1
    # the files as this process runs them: the other shelves go when a shelf is ready
    monkeypatch.setattr(shelf_module, "files_fingerprint", lambda: running)
    copy = store.parent / "copy.duckdb"
    shutil.copy2(store, copy)
    os.replace(copy, store)  # another store version: a shelf to make
    assert warm.warm(("views/map.py",)) == 14
    assert not newer.folder.exists() and [p.name for p in (store.parent / "shelf").iterdir() if p.is_dir()] == [
        Shelf.of(store).version
    ]
    # files changed in the middle of the plan: it stops at the next look at them, the shelf not ready
    copy = store.parent / "copy.duckdb"
    shutil.copy2(store, copy)
    os.replace(copy, store)
    monkeypatch.setattr(warm, "CODE_EVERY", 3)
    seen = len(visited)
    monkeypatch.setattr(
        shelf_module,
        "files_fingerprint",
        lambda: "changed" if len(visited) - seen >= 2 else shelf_module.code_fingerprint(),
    )
    assert warm.warm(("views/map.py",)) == 2 and Shelf.of(store).ready() is None


def test_one_warmer_per_store_version(tmp_path):
    shelf = Shelf(tmp_path / "shelf", "v1")
    with warm.only_one(shelf) as first, warm.only_one(shelf) as second:
        assert first and not second
    with warm.only_one(shelf) as again:
        assert again


def test_the_plan_the_newest_quarter_first_the_city_before_its_districts():
    got = warm.plan(["2026Q2", "2026Q3"], ["360802", "360803"], ("views/parks.py", "views/map.py"))
    assert got[:3] == [
        ("views/parks.py", {"period": "2026Q3"}),
        ("views/map.py", {"period": "2026Q3"}),
        ("views/parks.py", {"period": "2026Q3", "district": "360802"}),
    ]
    assert len(got) == 2 * 3 * 2 and got[-1] == ("views/map.py", {"period": "2026Q2", "district": "360803"})


def test_the_plan_the_townships_at_older_quarters_after_every_quarters_city_and_districts(monkeypatch):
    towns = ("360802001", "360803100")
    quarters = ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    got = warm.plan(quarters, ["360802"], ("views/parks.py",), towns, 3)
    assert [p.get("district", "") for _, p in got] == ["", "360802", *towns] + ["", "360802"] * 3 + [*towns] * 2
    assert [p["period"] for _, p in got] == ["2026Q3"] * 4 + ["2026Q2"] * 2 + ["2026Q1"] * 2 + ["2025Q4"] * 2 + [
        "2026Q2"
    ] * 2 + ["2026Q1"] * 2
    assert len(warm.plan(quarters, ["360802"], ("views/parks.py",), towns, len(quarters))) == 4 * 2 + 4 * 2
    assert warm.plan(["2026Q3"], ["360802"], ("views/parks.py",), towns, 0) == [
        ("views/parks.py", {"period": "2026Q3"}),
        ("views/parks.py", {"period": "2026Q3", "district": "360802"}),
    ]
    for value, n in (("all", 4), ("2", 2), ("0", 0)):
        monkeypatch.setenv("SANQU_WARM_TOWNSHIPS", value)
        assert warm.town_quarters(quarters) == n
    codes = warm.township_codes()
    assert len(codes) == 252 and codes == tuple(sorted(codes)) and all(len(c) == 9 for c in codes)


def _counting(calls: list):
    """A kept function whose every call is counted (its name, the cache's key, as `made`'s)."""

    def made(db, ctx, n):
        calls.append(n)
        return {"n": n, "scope": ctx.scope.key, "periods": db.periods()}

    return made


def test_read_from_the_shelf_instead_of_made(own_data, monkeypatch):
    monkeypatch.setattr(data, "start_warmer", lambda: None)
    calls: list = []
    fn, ctx = _counting(calls), Context(Scope.city(), "2026Q3")
    monkeypatch.setenv("SANQU_WARM", "1")
    data.write_shelf(True)  # as the warmer: made, then put on the shelf
    made = data.kept(fn, ctx, 7)
    data.write_shelf(False)
    data.recover()  # another process, as it were: nothing in memory
    assert data.kept(fn, ctx, 7) == made and calls == [7]  # read back, not made again
    assert data.kept(fn, ctx, 8)["n"] == 8 and calls == [7, 8]  # not on the shelf: made
    data.recover()
    monkeypatch.setenv("SANQU_WARM", "0")  # off: the shelf is not read
    assert data.kept(fn, ctx, 7) == made and calls == [7, 8, 7]


def test_a_replaced_store_never_answers_from_the_shelf_before(own_data, monkeypatch):
    monkeypatch.setattr(data, "start_warmer", lambda: None)
    calls: list = []
    fn, ctx = _counting(calls), Context(Scope.city(), "2026Q3")
    monkeypatch.setenv("SANQU_WARM", "1")
    data.write_shelf(True)
    data.kept(fn, ctx, 7)
    data.write_shelf(False)
    store = own_data / "sanqu.duckdb"
    shutil.copy2(store, own_data / "next.duckdb")
    os.replace(own_data / "next.duckdb", store)  # the same bytes, a new store
    data.recover()
    data.kept(fn, ctx, 7)
    assert calls == [7, 7]


def _shown(at: AppTest) -> list:
    """What a page shows, element by element: texts (the big screen's clock, 刷新于 …, left out),
    metrics, tables, Vega-Lite charts (spec and rows) and plotly figures (as JSON data: a figure
    read back from the shelf lists its layout's keys in another order)."""
    out: list = []
    for kind in ("title", "caption", "markdown", "metric", "subheader", "text"):
        for e in at.get(kind):
            value = getattr(e, "value", None)
            value = CLOCK.sub("", value) if isinstance(value, str) else value
            out.append((kind, value, getattr(e, "label", None)))
    out += [("table", e.value.to_json()) for e in at.dataframe]
    for e in at.get("vega_lite_chart"):
        out.append(("vega", e.proto.spec, [(d.name, d.data.data) for d in e.proto.datasets], e.proto.data.data))
    out += [("plotly", json.loads(e.proto.spec)) for e in at.get("plotly_chart")]
    return out


def _visit(page: str, params: dict) -> list:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return _shown(at)


def test_the_warmer_makes_what_the_pages_then_show_the_same(own_data, monkeypatch):
    """The warmer's plan for the newest quarter (two of its townships), in this process
    (`warm.warm`); then every page at three places, read from the shelf, shows what it shows made
    at the click (the shelf off)."""
    monkeypatch.setattr(data, "start_warmer", lambda: None)
    monkeypatch.setenv("SANQU_WARM", "1")
    monkeypatch.setenv("SANQU_WARM_QUARTERS", "1")
    monkeypatch.setenv("SANQU_WARM_TOWNSHIPS", "1")
    monkeypatch.setenv("SANQU_WARM_FILTERS", "0")  # the filters' own test below
    monkeypatch.setattr(warm, "township_codes", lambda: ("360822100", "360826102"))
    monkeypatch.setattr(warm, "visit", functools.partial(_warm_visit, monkeypatch))
    assert warm.warm() == 16 * len(warm.PAGES)
    shelf = Shelf.of(own_data / "sanqu.duckdb")
    assert shelf is not None and shelf.ready()["views"] == 16 * len(warm.PAGES)
    assert warm.warm() == 0  # ready: nothing to make
    data.write_shelf(False)
    places = ({"period": "2026Q3"}, {"period": "2026Q3", "district": "360822"}, {"district": "360826102"})
    for page in warm.PAGES:
        for params in places:
            data.recover()
            shelved = _visit(page, params)
            monkeypatch.setenv("SANQU_WARM", "0")
            data.recover()
            assert _visit(page, params) == shelved, (page, params)
            monkeypatch.setenv("SANQU_WARM", "1")


def _warm_visit(monkeypatch, page: str, params: dict, explore: bool = False) -> int:
    assert not explore
    with monkeypatch.context() as m:
        for name, value in warm.ENV.items():
            m.setenv(name, value)
        _visit(page, params)
    return 1


def test_the_warmer_explores_at_the_newest_quarters_city_and_districts(own_data, monkeypatch):
    """warm_filters=1: the views whose choices are tried are the newest quarter's at the city and its
    districts (not its townships, not an older quarter); 0: none. Each visit's runs are counted."""
    monkeypatch.setattr(data, "start_warmer", lambda: None)
    monkeypatch.setenv("SANQU_WARM", "1")
    monkeypatch.setenv("SANQU_WARM_QUARTERS", "2")
    monkeypatch.setattr(warm, "township_codes", lambda: ("360822100",))
    for filters in ("1", "0"):
        monkeypatch.setenv("SANQU_WARM_FILTERS", filters)
        seen: list = []

        def visit(_page: str, params: dict, explore: bool = False, seen: list = seen) -> int:
            seen.append((params, explore))
            return 3

        monkeypatch.setattr(warm, "visit", visit)
        shutil.rmtree(own_data / "shelf", ignore_errors=True)
        # each quarter: the city, 13 districts, the township (warm_townships: all by default)
        assert warm.warm() == 3 * (1 + 13 + 1) * 2 * len(warm.PAGES)
        explored = [params for params, explore in seen if explore]
        newest = [{"period": "2026Q3"}, *({"period": "2026Q3", "district": c} for c in geography.counties())]
        assert explored == ([p for p in newest for _ in warm.PAGES] if filters == "1" else [])


def test_the_warmer_tries_each_option_of_a_pages_own_choices(own_data, monkeypatch):
    """With `explore`, the warmer's visit also chooses each option of each of the page's own select
    boxes in turn (旅游景区: A级 6, 类别 3, the list 12; each box set back after: 1 + 6 + 3 + 12 runs),
    the sidebar's left to the plan. A first filter chosen in the app is then read from the shelf,
    not made, and shows what it shows made at the click."""
    from sanqu.figures import scenic_page

    monkeypatch.setattr(data, "start_warmer", lambda: None)
    monkeypatch.setenv("SANQU_WARM", "1")
    data.write_shelf(True)
    assert warm.visit("views/scenic.py", {"period": "2026Q3"}, explore=True) == 1 + 6 + 3 + 12
    assert warm.visit("views/scenic.py", {"period": "2026Q2"}) == 1  # without: the link's view only
    data.write_shelf(False)
    calls: list = []
    figures = scenic_page.figures
    monkeypatch.setattr(scenic_page, "figures", lambda *a, **k: calls.append(a[2:4]) or figures(*a, **k))
    shown = {}
    for warmed in ("1", "0"):
        monkeypatch.setenv("SANQU_WARM", warmed)
        data.recover()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update(period="2026Q3")
        at.switch_page("views/scenic.py").run()
        at.selectbox(key="alevel").select_index(2).run()
        assert not at.exception, at.exception
        shown[warmed] = _shown(at)
    assert calls == [("all", "all"), ("4A", "all")]  # only with the shelf off (its figures made at each choice)
    assert shown["1"] == shown["0"]


def test_the_app_starts_the_warmer_and_it_finishes(own_data, monkeypatch):
    """The app opening a store without a ready shelf starts `python -m ui.warm` (its own process):
    it makes the newest quarter's views (not its townships': a test of minutes) and marks the shelf
    ready; opened again, none is started."""
    monkeypatch.setenv("SANQU_WARM", "1")
    monkeypatch.setenv("SANQU_WARM_QUARTERS", "1")
    monkeypatch.setenv("SANQU_WARM_TOWNSHIPS", "0")
    monkeypatch.setenv("SANQU_WARM_FILTERS", "0")
    data.recover()
    before = len(data._warmers)
    data.database()  # opens the store: starts the warmer
    assert len(data._warmers) == before + 1
    proc = data._warmers[-1]
    seen = set()
    deadline = time.time() + WAIT_S
    while proc.poll() is None and time.time() < deadline:  # its priority, while it runs
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            seen.add((int(fields[16]), int(fields[38])))  # nice, scheduling policy
        time.sleep(0.05)
    assert proc.wait(WAIT_S) == 0
    assert (19, os.SCHED_IDLE) in seen  # nice 19 and SCHED_IDLE: a core only when no one else wants it
    shelf = Shelf.of(own_data / "sanqu.duckdb")
    assert shelf is not None and shelf.ready()["views"] == 14 * len(warm.PAGES)
    assert "shelf ready" in (own_data / "shelf" / "warm.log").read_text()
    started = len(data._warmers)
    data.recover()
    data.database()
    assert len(data._warmers) == started  # ready: not started again

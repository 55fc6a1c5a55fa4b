"""Results made ahead for one version of the store, kept on disk beside it (`<data>/shelf/`).

The app's results (query frames, a page's figures and tables) are pure functions of the store,
the query's context and its arguments. The warmer (`ui.warm`) makes those of every page's default
view at every district and quarter in a process of its own and puts them here; an app process
that misses its in-memory cache reads them back (a pickle of 5-100 KB: under a millisecond)
instead of making them again.

- One folder per store version: the store file's identity (device, inode, size, times), so a
  store replaced or rewritten never answers from the folder of the one before; and per code:
  the app's Python files, the region and its pack, the libraries' versions (an upgrade starts
  a new shelf).
- An entry's file name is a hash of the function's name, its context and its arguments, kept only
  when every argument is plain data (text, numbers, dates, tuples of them): anything whose repr
  could stand for two values is never shelved.
- Written by the warmer only, each file atomically (a temporary file renamed); a file that cannot
  be read is a miss. The files are the app's own, in its data folder, as trusted as the store.
"""

import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from sanqu import settings
from sanqu.storage.db import file_identity

MISSING = object()
READY = "READY"  # written when the warmer has made every view of its plan (JSON: entries, seconds)
PLAIN = (str, int, float, bool, type(None), dt.date)
LIBRARIES = ("streamlit", "pandas", "numpy", "pyarrow", "plotly", "duckdb")


def folder_name(version: str, code: str | None = None) -> str:
    """The shelf folder of a store version (`StoreHandle.version()`'s text) with this code (the
    process's `code_fingerprint`, or `code`), these libraries and this region: after an upgrade or
    another region nothing made before is read."""
    made_by = "\0".join((version, settings.get("region"), code_fingerprint() if code is None else code))
    return hashlib.sha256(made_by.encode()).hexdigest()[:20]


@functools.cache
def code_fingerprint() -> str:
    """`files_fingerprint` when this process first asked: the code it runs."""
    return files_fingerprint()


def files_fingerprint() -> str:
    """What the entries are made by: the app's Python files (their contents), the region packs'
    files (names and sizes) and the versions of the libraries whose objects are pickled."""
    digest = hashlib.sha256()
    sources = [settings.ROOT / "app.py", *(settings.ROOT / d for d in ("sanqu", "ui", "views"))]
    files = sorted(f for s in sources for f in ([s] if s.is_file() else s.rglob("*.py")))
    for path in files:
        digest.update(path.relative_to(settings.ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted((settings.ROOT / "maps").rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(settings.ROOT).as_posix()}={path.stat().st_size}".encode())
    for lib in LIBRARIES:
        digest.update(f"{lib}={metadata.version(lib)}".encode())
    return digest.hexdigest()


def version_of(store: Path, now: bool = False) -> str | None:
    """The shelf folder of the store file as it is now (None: no store) with this process's code,
    or (`now`) with the app's files as they are on disk now: another than this process's when they
    changed since it started (a release installed: a newer server makes its own shelf). The text
    hashed is `StoreHandle.version()`'s for that file: (its path, its identity)."""
    ident = file_identity(store)
    if ident is None:
        return None
    return folder_name(repr((str(store), ident)), files_fingerprint() if now else None)


def plain(value: object) -> bool:
    """Whether `value`'s repr stands for it alone: plain data, or tuples of plain data."""
    if isinstance(value, tuple):
        return all(plain(v) for v in value)
    return isinstance(value, PLAIN)


class Shelf:
    """The shelf of one store version: `root/<version>/<hash>.pkl`."""

    def __init__(self, root: Path, version: str):
        self.root, self.version = root, version  # version: a folder name (`folder_name`, `version_of`)
        self.folder = root / version

    @classmethod
    def beside(cls, store: Path, version: str) -> "Shelf":
        """The shelf of the store at a version (`StoreHandle.version()`'s text)."""
        return cls(store.parent / "shelf", folder_name(version))

    @classmethod
    def of(cls, store: Path) -> "Shelf | None":
        """The shelf of the store's current version, beside it (None: no store)."""
        version = version_of(store)
        return None if version is None else cls(store.parent / "shelf", version)

    def _file(self, name: str, key: str, args: tuple) -> Path | None:
        if not plain(args):
            return None
        digest = hashlib.sha256("\0".join((name, key, repr(args))).encode()).hexdigest()
        return self.folder / f"{digest[:32]}.pkl"

    def get(self, name: str, key: str, args: tuple) -> object:
        """The entry, or MISSING (none, not shelvable, or unreadable)."""
        path = self._file(name, key, args)
        if path is None:
            return MISSING
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            return MISSING
        except Exception:  # noqa: BLE001 (a damaged or half-removed entry is a miss: the caller makes it)
            return MISSING

    def put(self, name: str, key: str, args: tuple, value: object) -> bool:
        """Keep `value` (atomically); False when its arguments are not plain data."""
        path = self._file(name, key, args)
        if path is None:
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    def entries(self) -> int:
        return sum(1 for _ in self.folder.glob("*.pkl")) if self.folder.is_dir() else 0

    def ready(self) -> dict | None:
        """What the warmer wrote when it finished this version (None: not finished)."""
        try:
            return json.loads((self.folder / READY).read_text())
        except (OSError, ValueError):
            return None

    def mark_ready(self, **facts: object) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / READY).write_text(json.dumps(facts))

    def drop_others(self) -> int:
        """Remove the folders of other store versions; how many."""
        gone = 0
        for other in self.root.glob("*"):
            if other.is_dir() and other.name != self.version:
                shutil.rmtree(other, ignore_errors=True)
                gone += 1
        return gone

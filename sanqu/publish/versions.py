"""Published versions: each keeps the register folder and the store as they were, who, when,
which files, the row counts and the store's checksum; a roll back puts a version's files back.

Layout beside the store (data/): `versions/0001/` (`registers/`, `sanqu.duckdb`, `version.json`),
`submissions/<district or city>/<version>/` (the files as uploaded), `.intake.lock`.
"""

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sanqu.ingest.folder import is_demo
from sanqu.paths import data_dir, db_path, registers_dir
from sanqu.storage import store


@dataclass(frozen=True)
class Version:
    number: int
    who: str
    when: str
    what: str  # 发布 / 回滚到版本 N / 初始数据
    files: list[str]
    rows: dict[str, int]
    checksum: str
    district: str = ""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def versions_dir() -> Path:
    return data_dir() / "versions"


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """One publish or roll back at a time (across processes)."""
    data_dir().mkdir(parents=True, exist_ok=True)
    with open(data_dir() / ".intake.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def history() -> list[Version]:
    """Every version, newest first."""
    out = []
    for d in sorted(versions_dir().glob("[0-9]*"), reverse=True):
        try:
            info = json.loads((d / "version.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out.append(Version(**info))
    return out


def _rows(db: Path) -> dict[str, int]:
    """Rows per register of a store file that no connection of this process has open."""
    import duckdb

    from sanqu.ingest.registers import REGISTERS

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r.name: con.execute(f"SELECT count(*) FROM {r.name}").fetchone()[0] for r in REGISTERS}  # type: ignore[index]
    finally:
        con.close()


def record(who: str, what: str, files: list[str], district: str = "") -> Version:
    """Keep the current register folder and store as the next version."""
    db, folder = db_path(), registers_dir()
    number = max((v.number for v in history()), default=0) + 1
    target = versions_dir() / f"{number:04d}"
    tmp = versions_dir() / f".{number:04d}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copytree(folder, tmp / "registers")
    shutil.copy2(db, tmp / db.name)
    when = dt.datetime.now().isoformat(timespec="seconds")
    copy = tmp / db.name  # counted on the copy: the app may hold the store open with its own settings
    version = Version(number, who, when, what, files, _rows(copy), checksum(copy), district)
    (tmp / "version.json").write_text(json.dumps(version.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target)
    return version


def baseline(who: str) -> None:
    """The data as they were before the first publish: version 1, so it can be rolled back to."""
    if not history() and db_path().exists():
        record(who, "初始数据", [])


def swap_folder(new: Path) -> Path:
    """Put `new` in place of the register folder; returns where the old one went."""
    folder = registers_dir()
    old = folder.with_name(f".{folder.name}.old.{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(new, folder)
    return old


def rollback(number: int, who: str) -> Version:
    """Put version `number`'s registers and store back (the store byte-identical) as a new version."""
    with locked():
        source = versions_dir() / f"{number:04d}"
        if not (source / "version.json").exists():
            raise LookupError(f"没有版本 {number}")
        db = db_path()
        staged = registers_dir().with_name(".registers.rollback")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(source / "registers", staged)
        tmp_db = db.with_name(f".{db.name}.rollback")
        shutil.copy2(source / db.name, tmp_db)
        old = swap_folder(staged)
        os.replace(tmp_db, db)
        shutil.rmtree(old, ignore_errors=True)
        folder = registers_dir()
        info = {"registers": store.fingerprint(folder), "demo": is_demo(folder), "folder": str(folder)}
        store.write_sidecar(db, info | {"schema": store.SCHEMA})
        store.failure_file(db).unlink(missing_ok=True)
        return record(who, f"回滚到版本 {number}", [])

"""One import: uploaded files checked row by row, merged with the published registers, previewed,
then published with the store's atomic build and kept as a version.

Used by the command line (`python -m sanqu import`) and the 数据上报 page alike.
"""

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sanqu.context import Context
from sanqu.ingest import loader, merge, report, upload
from sanqu.ingest.problems import Problem
from sanqu.ingest.registers import BY_NAME, Register
from sanqu.metrics import overview
from sanqu.paths import data_dir, db_path, registers_dir
from sanqu.publish import versions
from sanqu.scope import Scope
from sanqu.storage import store
from sanqu.storage.db import Database

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass
class Intake:
    files: list[tuple[str, bytes]]
    district: str | None
    parts: list[upload.Part]
    merged: merge.Merged | None = None
    problems: list[Problem] = field(default_factory=list)  # blocking problems on kept rows

    @property
    def ok(self) -> bool:
        """Every file accepted: no problem anywhere, at least one register read."""
        readable = any(p.register is not None and p.rows_in for p in self.parts)
        return readable and all(p.ok for p in self.parts) and not self.problems

    def text(self) -> str:
        return report.text(self.parts, self.problems)

    def table(self) -> pd.DataFrame:
        return report.table(self.parts, self.problems)


def current() -> merge.Current:
    """The published registers (the folder the store was built from)."""
    return merge.Current.of(loader.load_all(registers_dir()))


def check(files: list[tuple[str, bytes]], district: str | None = None, progress: Progress = _quiet) -> Intake:
    """Read and check the files; with `district`, only that district's rows are accepted."""
    progress(f"读取并校验 {len(files)} 个文件…")
    parts = upload.read_uploads(files, district)
    intake = Intake(files, district, parts)
    if any(p.register is not None and p.frame is not None for p in parts):
        progress("与现有数据合并，检查台账之间的关系…")
        base = current() if registers_dir().exists() else merge.Current({}, {})
        intake.merged = merge.merge(base, parts, district)
        intake.problems = intake.merged.kept_problems
    return intake


def _cell(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float):  # numpy's float64 too: its repr would be np.float64(…)
        return repr(float(v))
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def register_csv(df: pd.DataFrame, reg: Register) -> bytes:
    """A typed register frame as the UTF-8 CSV the folder build reads."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([f.label for f in reg.fields])
    for row in df[[f.name for f in reg.fields]].itertuples(index=False):
        w.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _staged(intake: Intake) -> Path:
    """A copy of the register folder with the merged registers written in."""
    assert intake.merged is not None
    folder = registers_dir()
    staged = folder.with_name(".registers.new")
    shutil.rmtree(staged, ignore_errors=True)
    if folder.exists():
        shutil.copytree(folder, staged)
    else:
        staged.mkdir(parents=True)
    for name in {p.register.name for p in intake.parts if p.register is not None}:
        reg = BY_NAME[name]
        for path in loader.candidates(reg, staged):
            path.unlink()
        (staged / reg.file).write_bytes(register_csv(intake.merged.frames[name], reg))
    return staged


def publish(intake: Intake, who: str, progress: Progress = _quiet) -> versions.Version:
    """Write the merged registers, rebuild the store atomically and keep the version."""
    if not intake.ok or intake.merged is None:
        raise ValueError("只有全部通过校验的文件才能发布")
    with versions.locked():
        # checked again under the lock: another district may have published since the preview
        intake = check(intake.files, intake.district, progress)
        if not intake.ok:
            raise ValueError("发布前重新校验未通过（其他区县刚刚发布了数据）：请重新校验后再发布")
        versions.baseline(who)
        progress("写入台账…")
        old = versions.swap_folder(_staged(intake))
        progress("生成数据库…")
        try:
            store.build(registers_dir(), db_path())
        except Exception:
            shutil.rmtree(registers_dir(), ignore_errors=True)
            os.replace(old, registers_dir())
            raise
        shutil.rmtree(old, ignore_errors=True)
        version = versions.record(who, "发布", [name for name, _ in intake.files], intake.district or "")
        kept = data_dir() / "submissions" / (intake.district or "city") / f"{version.number:04d}"
        kept.mkdir(parents=True, exist_ok=True)
        for name, data in intake.files:
            (kept / Path(name).name).write_bytes(data)
        return version


def _headline(db_file: Path, scope: Scope) -> dict[str, tuple[int, int, float | None]]:
    db = Database(db_file)
    try:
        known = db.periods()
        if not known:
            return {}
        ctx = Context(scope, known[-1])
        return {k.indicator.title: (k.numerator, k.denominator, k.rate) for k in overview.headline(db, ctx)}
    finally:
        db.close()


def headline_preview(intake: Intake) -> pd.DataFrame:
    """The headline coverage figures now and after publishing (city, or the district submitting)."""
    assert intake.merged is not None
    scope = Scope.of(intake.district) if intake.district else Scope.city()
    before = _headline(db_path(), scope) if db_path().exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        after_db = Path(tmp) / "preview.duckdb"
        store.write_store(after_db, intake.merged.frames, False)
        after = _headline(after_db, scope)
    rows = []
    for name in after:
        b = before.get(name)
        a = after[name]
        rows.append(
            {
                "指标": name,
                "发布前": _figure(b),
                "发布后": _figure(a),
            }
        )
    return pd.DataFrame(rows, columns=["指标", "发布前", "发布后"])


def _figure(v: tuple[int, int, float | None] | None) -> str:
    if v is None or v[2] is None:
        return "无数据"
    return f"{v[2] * 100:.1f}%（{v[0]}/{v[1]}）"


CITY_WIDE = ""  # the city's upload for every district found in the files


def may_upload(role: str, read_only: bool) -> bool:
    """City and county administrators import; viewers, screens and share links do not."""
    return role in ("city", "county") and not read_only


def district_choices(role: str, codes: tuple[str, ...]) -> list[str]:
    """Whom an upload may be for: the city any district or the whole city (CITY_WIDE), a county
    its own district(s) only."""
    from sanqu.geography import DISTRICTS

    if role == "city":
        return [CITY_WIDE, *DISTRICTS]
    return [c for c in codes if c in DISTRICTS] if role == "county" else []


def may_roll_back(role: str, read_only: bool) -> bool:
    """A roll back replaces every district's data: the city's administrators only."""
    return role == "city" and not read_only

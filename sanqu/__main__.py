"""Command line: python -m sanqu {demo,build,docs,ensure,settings,users,share,audit,import,template,
versions,rollback}."""

import argparse
import sys
from pathlib import Path

from sanqu import settings
from sanqu.access import cli as access_cli
from sanqu.access import links_cli
from sanqu.ingest import demo
from sanqu.ingest import folder as folder_files
from sanqu.ingest.loader import RegisterError
from sanqu.ingest.registers import markdown
from sanqu.log import log, setup
from sanqu.paths import ROOT, db_path, registers_dir
from sanqu.storage import store


def _say(*lines: str) -> None:
    print(*lines, sep="\n", file=sys.stderr)


def _folder_is_empty(folder: Path) -> bool:
    """Missing, or holding nothing but hidden files: the only place demo data may be written."""
    try:
        return not any(not p.name.startswith(".") for p in folder.iterdir())
    except FileNotFoundError:
        return True


def _write_demo(folder: Path) -> bool:
    try:
        counts = demo.write(folder)
    except OSError as err:
        _say(f"演示数据未能写入 {folder}：{err}")
        return False
    print(f"演示数据 written to {folder}: {sum(counts.values())} rows in {len(counts)} registers")
    return True


def _build(keep_going: bool) -> int:
    """Build the store; on any failure say why and keep the last good store (exit 0 for make run
    when there is one, 2 otherwise)."""
    try:
        report = store.build()
    except (RegisterError, store.StoreError) as err:
        reason = str(err)
    except Exception as err:  # noqa: BLE001 - whatever the registers hold, make run must start
        reason = f"台账未能导入（{type(err).__name__}: {err}）"
    else:
        for notice in report.dropped:
            print(notice)
        print(f"built {report.path} ({sum(report.rows.values())} rows) in {report.seconds:.2f} s")
        return 0
    _say(reason)
    log.warning("build refused: %s", reason.splitlines()[0])
    store.record_failure(db_path(), reason)
    if keep_going and db_path().exists():
        _say(f"数据库未更新，继续使用之前的 {db_path()}（上次成功导入的数据）")
        return 0
    _say(f"数据库未更新，仍使用之前的 {db_path()}" if db_path().exists() else "尚无可用的数据库。")
    return 2


def ensure() -> int:
    """make run's setup: demo data only into an empty folder with no store built from real
    registers; a rebuild only when the registers changed; never a crash that stops the app."""
    folder, db = registers_dir(), db_path()
    if _folder_is_empty(folder):
        if store.store_is_demo(db) is False:
            _say(f"{folder} 中没有台账文件；继续使用由真实台账生成的 {db}（不会用演示数据覆盖）。")
            return 0
        if not _write_demo(folder):
            return 0 if db.exists() else 2
    elif not folder_files.register_files(folder) and db.exists():
        _say(f"{folder} 中没有可识别的台账文件（.csv/.xlsx）；继续使用之前的 {db}。")
        return 0
    if store.needs_build(folder, db):
        return _build(keep_going=True)
    return 0


def demo_command() -> int:
    """make demo: regenerate the demo registers, never over real ones."""
    folder = registers_dir()
    if not _folder_is_empty(folder) and not folder_files.is_demo(folder):
        _say(
            f"{folder} 中已有台账文件（不是演示数据），不会覆盖。",
            "要查看演示数据，请用另一个数据目录：SANQU_DATA_DIR=/tmp/sanqu-demo make demo run",
        )
        return 2
    if not _write_demo(folder):
        return 2
    return _build(keep_going=False)


def _who() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "命令行"


def import_command(files: list[str], district: str | None, publish: bool) -> int:
    """Check the files (and publish them when asked and all pass); exit 0 only if every file passed."""
    from sanqu.geography import DISTRICTS
    from sanqu.publish import intake

    if district and district not in DISTRICTS:
        _say(f"未知的区县代码 {district}（应为吉安市 13 个区县之一）")
        return 2
    loaded = []
    for name in files:
        try:
            loaded.append((Path(name).name, Path(name).read_bytes()))
        except OSError as err:
            _say(f"{name}: 无法读取文件（{err.strerror or err}）")
            return 1
    result = intake.check(loaded, district)
    print(result.text())
    if result.merged is not None and not result.merged.changes.empty:
        print("== 发布后的变化 ==")
        print(result.merged.changes.to_string(index=False))
    if not result.ok:
        print("有文件未通过校验：数据未发布。" if publish else "有文件未通过校验。")
        return 1
    if publish:
        version = intake.publish(result, _who())
        print(f"已发布：版本 {version.number}（{version.total} 行，{version.checksum}）")
    else:
        print("全部通过校验（未发布：加 --publish 发布）。")
    return 0


def versions_command() -> int:
    from sanqu.publish import versions

    for v in versions.history():
        files = "、".join(v.files)
        print(f"{v.number:>4}  {v.when}  {v.who}  {v.what}  {v.district}  {v.total} 行  {v.checksum[:19]}  {files}")
    return 0


def rollback_command(number: int) -> int:
    from sanqu.publish import versions

    try:
        v = versions.rollback(number, _who())
    except LookupError as err:
        _say(str(err))
        return 2
    print(f"已回滚到版本 {number}（新版本 {v.number}，{v.checksum}）")
    return 0


def template_command(names: list[str], out: Path) -> int:
    from sanqu.ingest import template
    from sanqu.ingest.registers import BY_NAME, REGISTERS

    chosen = []
    for n in names or [r.name for r in REGISTERS]:
        reg = BY_NAME.get(n) or next((r for r in REGISTERS if r.label == n), None)
        if reg is None:
            _say(f"未知的台账「{n}」：可用 {'、'.join(r.name for r in REGISTERS)}")
            return 2
        chosen.append(reg)
    out.mkdir(parents=True, exist_ok=True)
    for reg in chosen:
        path = out / template.file_name(reg)
        path.write_bytes(template.workbook([reg]))
        print(path)
    return 0


COMMANDS = {
    "demo": "regenerate the demo registers and build",
    "build": "build the store from the registers",
    "docs": "write docs/REGISTERS.md",
    "ensure": "demo data if none, build if stale (make run)",
    "settings": "list the settings and their values",
}


def _intake_parsers(sub) -> None:
    sub.add_parser("versions", help="the published versions")
    imp = sub.add_parser("import", help="check register files; --publish to publish them")
    imp.add_argument("--district", help="the district submitting (only its rows are accepted)")
    imp.add_argument("--publish", action="store_true", help="publish when every file passes")
    imp.add_argument("files", nargs="+")
    tpl = sub.add_parser("template", help="Excel templates of the registers")
    tpl.add_argument("registers", nargs="*")
    tpl.add_argument("--out", default=".")
    rb = sub.add_parser("rollback", help="restore an earlier version")
    rb.add_argument("number", type=int)


def _run_intake(args) -> int:
    if args.command == "import":
        return import_command(args.files, args.district, args.publish)
    if args.command == "template":
        return template_command(args.registers, Path(args.out))
    if args.command == "versions":
        return versions_command()
    return rollback_command(args.number)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sanqu")
    sub = ap.add_subparsers(dest="command", required=True, metavar="command")
    for name, text in COMMANDS.items():
        sub.add_parser(name, help=text)
    access_cli.parser(sub)
    links_cli.parser(sub)
    _intake_parsers(sub)
    args = ap.parse_args(argv)
    setup()
    if args.command in ("import", "template", "versions", "rollback"):
        return _run_intake(args)
    if args.command == "users":
        return access_cli.run(args)
    if args.command in ("share", "audit"):
        return links_cli.run(args)
    if args.command == "docs":
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "REGISTERS.md").write_text(markdown() + "\n", encoding="utf-8")
        return 0
    if args.command == "settings":
        print(settings.describe())
        return 0
    if args.command == "demo":
        return demo_command()
    if args.command == "ensure":
        return ensure()
    return _build(keep_going=False)


if __name__ == "__main__":
    sys.exit(main())

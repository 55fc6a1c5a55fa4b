"""Command line: python -m sanqu {demo,build,docs,ensure,settings,users,share,audit,import,template,
versions,rollback,region}."""

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
from sanqu.publish import cli as publish_cli
from sanqu.region import cli as region_cli
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


COMMANDS = {
    "demo": "regenerate the demo registers and build",
    "build": "build the store from the registers",
    "docs": "write docs/REGISTERS.md",
    "ensure": "demo data if none, build if stale (make run)",
    "settings": "list the settings and their values",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sanqu")
    sub = ap.add_subparsers(dest="command", required=True, metavar="command")
    for name, text in COMMANDS.items():
        sub.add_parser(name, help=text)
    access_cli.parser(sub)
    links_cli.parser(sub)
    publish_cli.parser(sub)
    region_cli.parser(sub)
    args = ap.parse_args(argv)
    setup()
    if args.command in publish_cli.COMMANDS:
        return publish_cli.run(args)
    if args.command == "users":
        return access_cli.run(args)
    if args.command in ("share", "audit"):
        return links_cli.run(args)
    if args.command == "region":
        return region_cli.run(args)
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

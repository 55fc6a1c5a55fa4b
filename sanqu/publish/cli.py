"""Command line of the intake: python -m sanqu {import,template,versions,rollback} (every
publish and roll back also written to the audit trail)."""

import sys
from contextlib import closing
from pathlib import Path

from sanqu.access import accessdb, audit, clock

COMMANDS = ("import", "template", "versions", "rollback")


def _say(*lines: str) -> None:
    print(*lines, sep="\n", file=sys.stderr)


def _audit(who: str, action: str, detail: str, district: str, rows: int) -> None:
    with closing(accessdb.connect()) as conn:
        audit.record(conn, clock.now(), who, "cli", action, detail, district, rows)


def _who() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "命令行"


def import_command(files: list[str], district: str | None, publish: bool) -> int:
    """Check the files (and publish them when asked and all pass); exit 0 only if every file passed."""
    from sanqu.geography import counties, counties_phrase
    from sanqu.publish import intake

    if district and district not in counties():
        _say(f"未知的区县代码 {district}（应为{counties_phrase()}之一）")
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
        kept = sum(p.rows_in - len(p.bad_rows()) for p in result.parts if p.register is not None)
        _audit(_who(), "import", f"{version.what}：{'、'.join(version.files)}", district or "", kept)
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
    _audit(_who(), "rollback", v.what, v.district, v.total)
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


def parser(sub) -> None:
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


def run(args) -> int:
    if args.command == "import":
        return import_command(args.files, args.district, args.publish)
    if args.command == "template":
        return template_command(args.registers, Path(args.out))
    if args.command == "versions":
        return versions_command()
    return rollback_command(args.number)

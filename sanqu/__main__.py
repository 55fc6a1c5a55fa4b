"""Command line: python -m sanqu {demo,build,docs,ensure}."""

import argparse
import sys

from sanqu import demo, store
from sanqu.loader import RegisterError
from sanqu.paths import ROOT, db_path, registers_dir
from sanqu.registers import markdown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sanqu")
    ap.add_argument(
        "command", choices=("demo", "build", "docs", "ensure"), help="ensure = demo data if none, build if stale"
    )
    args = ap.parse_args(argv)
    if args.command == "docs":
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "REGISTERS.md").write_text(markdown() + "\n", encoding="utf-8")
        return 0
    if args.command == "demo" or (args.command == "ensure" and not any(registers_dir().glob("*.csv"))):
        counts = demo.write(registers_dir())
        print(f"演示数据 written to {registers_dir()}: {sum(counts.values())} rows in {len(counts)} registers")
    if args.command in ("build", "demo") or store.needs_build():
        try:
            report = store.build()
        except RegisterError as err:
            print(err, file=sys.stderr)
            if args.command == "ensure" and db_path().exists():  # make run: start on the last good store
                print(f"数据库未更新，继续使用之前的 {db_path()}", file=sys.stderr)
                return 0
            print(f"数据库未更新，仍使用之前的 {db_path()}", file=sys.stderr)
            return 2
        for notice in report.dropped:
            print(notice)
        print(f"built {report.path} ({sum(report.rows.values())} rows) in {report.seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

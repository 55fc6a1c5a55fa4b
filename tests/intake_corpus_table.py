"""The intake corpus (tests/intake_corpus.py) as files in DIR and as a table of what came of each.

python -m tests.intake_corpus_table [DIR]
"""

import sys
import tempfile
from pathlib import Path

from sanqu.ingest import loader, merge, upload
from tests import corpus, intake_corpus


def main(out: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        current = merge.Current.of(loader.load_all(corpus.valid(Path(tmp))))
    print("| 情形 | 文件 | 结果 | 读入 = 通过 + 退回 | 消息 |")
    print("|---|---|---|---|---|")
    for i, case in enumerate(intake_corpus.cases(), start=1):
        if out:
            (out / f"{i:02d}").mkdir(parents=True, exist_ok=True)
            (out / f"{i:02d}" / case.file).write_bytes(case.data)
        parts = upload.read_uploads([(case.file, case.data)], case.district)
        if any(p.register is not None and p.frame is not None for p in parts):
            merge.merge(current, parts, case.district)
        problems = [p for part in parts for p in part.problems]
        notices = [n.split(": ", 1)[-1] for part in parts for n in part.notices]
        rows = [sum(getattr(p, k) for p in parts) for k in ("rows_in", "accepted", "rejected")]
        said = str(problems[0]).split(": ", 1)[-1] if problems else "；".join(notices)
        if len(said) > 110:
            said = said[:110] + "…"
        status = (
            "退回" if problems else ("规范后通过" if any("已将" in n or "已去除" in n for n in notices) else "通过")
        )
        print(f"| {case.name} | {case.file[:20]} | {status} | {rows[0]} = {rows[1]} + {rows[2]} | {said} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)

"""The import report: per file the rows read, accepted and sent back, every problem with its
place and a Chinese message, grouped by kind and counted."""

import re
from collections import Counter

import pandas as pd

from sanqu.ingest.problems import Problem, quoted
from sanqu.ingest.upload import Part

COLUMNS = ["文件", "工作表", "行", "列", "值", "问题"]


def balance(part: Part) -> str:
    """读入 N 行 = 通过 A 行 + 退回 R 行."""
    return f"读入 {part.rows_in} 行 = 通过 {part.accepted} 行 + 退回 {part.rejected} 行"


def kind(problem: Problem) -> str:
    """What a problem is, without the values in it: the column and the message's first clause."""
    head = re.split("[：（]", problem.message, maxsplit=1)[0]
    if head.startswith("这一行属于"):
        head = "这一行属于其他区县"
    head = re.sub("[0-9]+", "N", head)
    return f"「{problem.column}」列 · {head}" if problem.column else head


def table(parts: list[Part], extra: list[Problem] = ()) -> pd.DataFrame:  # type: ignore[assignment]
    """Every problem as a row: file, sheet, Excel row (0 = the whole file), column, value, message."""
    rows = [
        [p.file, p.sheet, p.row or "", p.column, quoted(p.value) if p.value else "", p.message]
        for part in parts
        for p in sorted(part.problems, key=lambda p: p.row)
    ] + [[p.file, p.sheet, p.row or "", p.column, quoted(p.value) if p.value else "", p.message] for p in extra]
    return pd.DataFrame(rows, columns=COLUMNS)


def kinds(problems: list[Problem]) -> list[tuple[str, int]]:
    """(kind, count), most frequent first."""
    return Counter(kind(p) for p in problems).most_common()


def title(part: Part) -> str:
    reg = f" → {part.register.label}" if part.register else ""
    return f"{part.source}{reg}"


def text(parts: list[Part], kept: list[Problem] = (), shown: int = 200) -> str:  # type: ignore[assignment]
    """The whole report as plain text (the command line prints it)."""
    out = []
    for part in parts:
        status = "通过" if part.ok else "未通过"
        out += [f"== {title(part)}：{status} ==", balance(part)]
        out += [f"  {n}" for n in part.notices]
        for name, count in kinds(part.problems):
            out.append(f"  {name}：{count} 处")
        for p in sorted(part.problems, key=lambda p: p.row)[:shown]:
            out.append(f"    - {p}")
        if len(part.problems) > shown:
            out.append(f"    … 另有 {len(part.problems) - shown} 处")
    if kept:
        out.append("== 与现有数据的冲突（须先处理）==")
        out += [f"    - {p}" for p in kept[:shown]]
    return "\n".join(out)

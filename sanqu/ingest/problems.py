"""What the loader reports: a problem names the file (and sheet), the row and the column."""

from dataclasses import dataclass

MAX_PROBLEMS = 50
SHOWN_VALUE = 40  # characters of a bad value quoted in a message


def quoted(value: str) -> str:
    """The value as quoted in a message: a 50 MB cell is cut, never copied whole."""
    cut = f"…（共 {len(value)} 个字符）" if len(value) > SHOWN_VALUE else ""
    return repr(value[:SHOWN_VALUE]) + cut


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1; 0 = the whole file
    column: str
    value: str
    message: str
    sheet: str = ""  # the worksheet of an .xlsx file

    def where(self) -> str:
        sheet = f" [{self.sheet}]" if self.sheet else ""
        row = f" 第{self.row}行" if self.row else ""
        column = f"「{self.column}」列" if self.column else ""
        return f"{self.file}{sheet}{row}{column}"

    def __str__(self) -> str:
        value = f"（值: {quoted(self.value)}）" if self.value else ""
        return f"{self.where()}: {self.message}{value}"


class RegisterError(Exception):
    """One or more register files are malformed; the store was not changed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:MAX_PROBLEMS])
        more = f"\n… 另有 {len(problems) - MAX_PROBLEMS} 处问题" if len(problems) > MAX_PROBLEMS else ""
        super().__init__(f"台账校验未通过，共 {len(problems)} 处问题:\n{shown}{more}")


@dataclass(frozen=True)
class Source:
    """Where rows come from: a file, and the worksheet of an .xlsx file."""

    file: str
    sheet: str = ""

    def problem(self, row: int, column: str = "", value: str = "", message: str = "") -> Problem:
        return Problem(self.file, row, column, value, message, self.sheet)

    def __str__(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file

"""What offices really send: awkward and malformed upload files, built from the tiny registers.

Each case is a file (name, bytes), the district submitting (None = the city), and what must come
of it: the rows read, accepted and sent back, and messages or notices that must appear.
Hand-computed: the tiny 园区企业 register has 8 rows (rows 2-9 of a plain file); 5 are of
吉水县 (360822: rows 2, 3, 6, 7, 8) and 3 of 峡江县 (360823: rows 4, 5, 9).
`python -m tests.intake_corpus_table DIR` writes the files for a person to open.
"""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook

from sanqu.ingest.registers import register
from sanqu.ingest.template import workbook
from tests import tiny
from tests.corpus import PNG

ENT = register("enterprises")
HEADER = [f.label for f in ENT.fields]


def _rows() -> list[list[str]]:
    return [[str(r.get(f.name, "")) for f in ENT.fields] for r in tiny.ROWS["enterprises"]]


def col(label: str) -> int:
    return HEADER.index(label)


def table(change=None) -> list[list[str]]:
    """Header + the 8 enterprises as text, after `change(rows)` (rows without the header)."""
    rows = _rows()
    if change:
        change(rows)
    return [list(HEADER)] + rows


def set_cell(row: int, label: str, value):
    """A change: spreadsheet row (2 = first enterprise) and column label."""
    return lambda rows: rows[row - 2].__setitem__(col(label), value)


def changes(*fns):
    def apply(rows):
        for fn in fns:
            fn(rows)

    return apply


def csv_bytes(t: list[list], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(t)
    return out.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list]], hidden: tuple[str, ...] = (), merges: dict | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def typed_xlsx(t: list[list[str]], numbers: tuple[str, ...] = (), dates: tuple[str, ...] = ()) -> bytes:
    """The table as a workbook, the given columns as numbers or as real Excel dates."""
    out = [t[0]]
    for r in t[1:]:
        row: list = list(r)
        for label in numbers:
            v = row[col(label)]
            row[col(label)] = float(v) if v.replace(".", "", 1).isdigit() else v or None
        for label in dates:
            row[col(label)] = dt.datetime.fromisoformat(row[col(label)]) if row[col(label)] else None
        out.append(row)
    return xlsx_bytes({"园区企业": out})


def _cell_xml(ref: str, value: str, formula: str | None) -> str:
    v = value.replace("&", "&amp;").replace("<", "&lt;")
    if formula is None:
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    f = formula.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return f'<c r="{ref}" t="str"><f>{f}</f><v>{v}</v></c>'


def formula_xlsx(t: list[list[str]], formulas: dict[tuple[int, int], str]) -> bytes:
    """A workbook written by hand so that formula cells carry cached values (as Excel saves them)."""
    from openpyxl.utils import get_column_letter

    rows = []
    for r, values in enumerate(t, start=1):
        cells = [
            _cell_xml(f"{get_column_letter(c)}{r}", v, formulas.get((r, c))) for c, v in enumerate(values, start=1)
        ]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+'
        'xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="园区企业" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet {ns}><sheetData>{"".join(rows)}</sheetData>'
        "</worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


def encrypted(data: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("mima123", out)
    return out.getvalue()


@dataclass
class Case:
    name: str
    file: str
    data: bytes
    status: str  # 通过 / 规范后通过 / 退回
    rows: tuple[int, int, int]  # read, accepted, rejected
    messages: list[str] = field(default_factory=list)  # str(problem) contains each, in order
    notices: list[str] = field(default_factory=list)
    district: str | None = None
    extra: list[tuple[str, bytes]] = field(default_factory=list)  # more files in the same upload


OK, NORMAL, REFUSED = "通过", "规范后通过", "退回"
PLAIN = table()
ALL = (8, 8, 0)


def _title_above(t):
    return [["吉水县、峡江县园区企业台账（2026年第3季度）"], ["填报单位：（盖章）", "", "填报日期：2026-10-08"], []] + t


def _two_row_header():
    top = ["企业编号", "企业名称", "所属园区代码", "区县代码", "乡镇街道代码", "所属产业", "企业情况", "", "", ""]
    top += ["", "", "", "位置", ""]
    below = ["", "", "", "", "", ""] + HEADER[6:12] + ["", ""]
    below[12:14] = ["经度", "纬度"]
    top = top[: len(HEADER)]
    below = below[: len(HEADER)]
    return [top, below] + _rows()


def _gb18030_only():
    return csv_bytes(table(set_cell(2, "企业名称", "𠀀企业0001")), "gb18030")


def _big_cell() -> bytes:
    head = csv_bytes(table()[:2])
    return head + ("QY360823-0009,名称" + "x" * 50_000_000 + ",360822400,360822\r\n").encode()


def cases() -> list[Case]:
    c = [
        # --- encodings -------------------------------------------------------------------------
        Case("UTF-8 带 BOM", "enterprises.csv", csv_bytes(PLAIN), OK, ALL),
        Case("UTF-8 无 BOM", "enterprises.csv", csv_bytes(PLAIN, "utf-8"), OK, ALL),
        Case("GBK（Excel 另存为 CSV）", "园区企业.csv", csv_bytes(PLAIN, "gbk"), OK, ALL),
        Case("GB18030 中 GBK 以外的字", "园区企业.csv", _gb18030_only(), OK, ALL),
        Case("UTF-16（带 BOM）", "enterprises.csv", csv_bytes(PLAIN, "utf-16"), OK, ALL),
        Case(
            "无法识别的编码",
            "enterprises.csv",
            csv_bytes(PLAIN, "utf-8") + b"\xff\xfe\xfa,\x81\r\n",
            REFUSED,
            (0, 0, 0),
            ["第10行: 文件编码无法识别"],
        ),
        # --- files that are not registers --------------------------------------------------------
        Case("空文件", "enterprises.csv", b"", REFUSED, (0, 0, 0), ["第1行: 文件是空的（没有表头行）"]),
        Case("只有空行", "enterprises.csv", b"\r\n \r\n,,\r\n", REFUSED, (0, 0, 0), ["文件是空的（没有表头行）"]),
        Case("只有表头", "enterprises.csv", csv_bytes([HEADER]), REFUSED, (0, 0, 0), ["第1行: 只有表头，没有数据行"]),
        Case("图片改名为 .csv", "enterprises.csv", PNG, REFUSED, (0, 0, 0), ["不是文本格式的 CSV 文件（PNG 图片"]),
        Case("图片改名为 .xlsx", "园区企业.xlsx", PNG, REFUSED, (0, 0, 0), ["不是有效的 Excel（.xlsx）文件"]),
        Case(
            "截断的工作簿",
            "园区企业.xlsx",
            typed_xlsx(PLAIN)[:2000],
            REFUSED,
            (0, 0, 0),
            ["Excel 文件已损坏或不完整，无法读取"],
        ),
        Case("设置了打开密码", "园区企业.xlsx", encrypted(typed_xlsx(PLAIN)), REFUSED, (0, 0, 0), ["设置了打开密码"]),
        Case("CSV 改名为 .xlsx", "园区企业.xlsx", csv_bytes(PLAIN), REFUSED, (0, 0, 0), ["这是文本（CSV）文件"]),
        Case("不支持的文件类型", "园区企业.txt", csv_bytes(PLAIN), REFUSED, (0, 0, 0), ["不支持的文件类型「.txt」"]),
        Case("50 MB 的单元格", "enterprises.csv", _big_cell(), REFUSED, (0, 0, 0), ["第3行: 单元格过长"]),
        Case(
            "引号不配对",
            "enterprises.csv",
            csv_bytes(PLAIN) + b'QY360822-0099,"\xe6\x9c\xaa\xe9\x97\xad\xe5\x90\x88,360822400\r\n',
            REFUSED,
            (0, 0, 0),
            ["第10行: 引号不配对"],
        ),
        Case(
            "认不出是哪个台账",
            "数据.csv",
            csv_bytes([["序号", "单位", "金额"], ["1", "某单位", "3"]]),
            REFUSED,
            (0, 0, 0),
            ["无法识别这是哪一个台账"],
        ),
        # --- layout -----------------------------------------------------------------------------
        Case("表头上方有标题、说明和空行", "园区企业.csv", csv_bytes(_title_above(PLAIN)), OK, ALL),
        Case(
            "标题行下方的坏单元格按 Excel 行号报告",
            "园区企业.csv",
            csv_bytes(_title_above(table(set_cell(3, "区县代码", "360899")))),
            REFUSED,
            (8, 7, 1),
            ["第6行「区县代码」列: 未知的区县代码"],
        ),
        Case(
            "工作簿：合并单元格标题在第 2 行",
            "园区企业.xlsx",
            xlsx_bytes({"Sheet1": [[], ["园区企业台账"]] + PLAIN}, merges={"Sheet1": ["A2:F2"]}),
            OK,
            ALL,
        ),
        Case(
            "两行合并表头",
            "园区企业.xlsx",
            xlsx_bytes({"台账": _two_row_header()}, merges={"台账": ["G1:L1", "M1:N1", "A1:A2", "B1:B2"]}),
            OK,
            ALL,
        ),
        Case(
            "隐藏的工作表",
            "园区企业.xlsx",
            xlsx_bytes({"隐藏": [["旧数据"], ["1"]], "园区企业": PLAIN}, hidden=("隐藏",)),
            OK,
            ALL,
            notices=["已忽略隐藏的工作表「隐藏」"],
        ),
        Case(
            "末尾的空行和空列",
            "enterprises.csv",
            csv_bytes([r + ["", ""] for r in PLAIN] + [[""] * 16] * 3),
            OK,
            ALL,
        ),
        Case(
            "模板之外的列",
            "enterprises.csv",
            csv_bytes([r + [v] for r, v in zip(PLAIN, ["备注"] + ["无"] * 8)]),
            OK,
            ALL,
            notices=["已忽略模板之外的列「备注」"],
        ),
        Case(
            "缺少必需的列",
            "enterprises.csv",
            csv_bytes([r[:10] + r[11:] for r in PLAIN]),
            REFUSED,
            (8, 0, 8),
            ["第1行「入园日期」列: 缺少必需的列"],
        ),
        Case(
            "表头重复",
            "enterprises.csv",
            csv_bytes([r + [r[1]] for r in PLAIN]),
            REFUSED,
            (0, 0, 0),
            ["表头重复：第 B、O 列都是「企业名称」"],
        ),
        # --- normalised ---------------------------------------------------------------------------
        Case(
            "全角数字",
            "enterprises.csv",
            csv_bytes(table(changes(set_cell(2, "从业人数", "３００"), set_cell(3, "区县代码", "３６０８２２")))),
            NORMAL,
            ALL,
            notices=["已将 2 个单元格中的全角字符转换为半角"],
        ),
        Case(
            "全角字母",
            "enterprises.csv",
            csv_bytes(table(set_cell(2, "企业编号", "ＱＹ３６０８２２－０００１"))),
            NORMAL,
            ALL,
            notices=["已将 1 个单元格中的全角字符转换为半角"],
        ),
        Case(
            "不间断空格、全角空格和编码末尾的空格",
            "enterprises.csv",
            csv_bytes(
                table(
                    changes(
                        set_cell(2, "区县代码", "360822\u00a0"),
                        set_cell(3, "企业规模", " 规上 "),
                        set_cell(4, "所属园区代码", "360823400 "),
                        set_cell(5, "经济类型", "\u3000私营"),
                    )
                )
            ),
            NORMAL,
            ALL,
            notices=["已将 1 个单元格中的全角字符转换为半角", "已去除 3 个单元格首尾的空格"],
        ),
        Case(
            "六种日期写法",
            "enterprises.csv",
            csv_bytes(
                table(
                    changes(
                        set_cell(2, "入园日期", "2020/1/1"),
                        set_cell(3, "入园日期", "2020.1.1"),
                        set_cell(4, "入园日期", "2020-1-1"),
                        set_cell(5, "入园日期", "2020年1月1日"),
                        set_cell(6, "入园日期", "43831"),
                    )
                )
            ),
            NORMAL,
            ALL,
            notices=["已将 5 个日期统一为 YYYY-MM-DD 格式"],
        ),
        Case("Excel 日期单元格", "园区企业.xlsx", typed_xlsx(PLAIN, dates=("入园日期",)), OK, ALL),
        Case(
            "Excel 日期序号（常规格式的数字）",
            "园区企业.xlsx",
            typed_xlsx(table(set_cell(2, "入园日期", "43831")), numbers=("入园日期",)),
            NORMAL,
            ALL,
            notices=["已将 1 个日期统一为 YYYY-MM-DD 格式"],
        ),
        Case(
            "数字列存成数字",
            "园区企业.xlsx",
            typed_xlsx(PLAIN, numbers=("从业人数", "正式党员数")),
            OK,
            ALL,
        ),
        # --- refused cells ---------------------------------------------------------------------------
        Case(
            "不存在的日期",
            "enterprises.csv",
            csv_bytes(table(set_cell(3, "入园日期", "2020-02-30"))),
            REFUSED,
            (8, 7, 1),
            ["第3行「入园日期」列: 日期无效：2020年2月没有30日"],
        ),
        Case(
            "不存在的月份",
            "enterprises.csv",
            csv_bytes(table(set_cell(3, "入园日期", "2020/13/1"))),
            REFUSED,
            (8, 7, 1),
            ["第3行「入园日期」列: 日期无效：月份应为 1–12，这里是 13"],
        ),
        Case(
            "认不出的日期",
            "enterprises.csv",
            csv_bytes(table(set_cell(3, "入园日期", "去年三月"))),
            REFUSED,
            (8, 7, 1),
            ["第3行「入园日期」列: 日期无效，应为 2026-03-05 这样的日期"],
        ),
        Case(
            "编码存成了数字（工作簿）",
            "园区企业.xlsx",
            typed_xlsx(PLAIN, numbers=("所属园区代码",)),
            REFUSED,
            (8, 0, 8),
            ["第2行「所属园区代码」列: 编码被存成了数字"],
        ),
        Case(
            "编码成了科学计数法",
            "enterprises.csv",
            csv_bytes(table(set_cell(2, "所属园区代码", "3.60822E+08"))),
            REFUSED,
            (8, 7, 1),
            ["第2行「所属园区代码」列: 编码变成了科学计数法"],
        ),
        Case(
            "编码丢了开头的 0",
            "enterprises.csv",
            csv_bytes(table(set_cell(2, "所属园区代码", "36082240"))),
            REFUSED,
            (8, 7, 1),
            ["第2行「所属园区代码」列: 编码只有 8 位，应为 9 位"],
        ),
        Case(
            "编码带 .0",
            "enterprises.csv",
            csv_bytes(table(set_cell(2, "所属园区代码", "360822400.0"))),
            REFUSED,
            (8, 7, 1),
            ["编码带有「.0」"],
        ),
        Case(
            "公式：读缓存值，不计算",
            "园区企业.xlsx",
            formula_xlsx(PLAIN, {(2, 2): 'CONCATENATE("企业","0001")', (3, 12): "1+1"}),
            OK,
            ALL,
        ),
        Case(
            "以 = + - @ 开头的文本",
            "enterprises.csv",
            csv_bytes(
                table(
                    changes(
                        set_cell(2, "企业名称", '=HYPERLINK("https://evil.example/","x")'),
                        set_cell(3, "企业名称", "+1"),
                        set_cell(4, "企业名称", "-1"),
                        set_cell(5, "企业名称", "@SUM(A1)"),
                    )
                )
            ),
            OK,
            ALL,
        ),
        Case(
            "乱码字符 U+FFFD",
            "enterprises.csv",
            csv_bytes(table(set_cell(3, "企业名称", "企业\ufffd\ufffd"))),
            REFUSED,
            (8, 7, 1),
            ["第3行「企业名称」列: 含有乱码字符"],
        ),
        Case(
            "控制字符",
            "enterprises.csv",
            csv_bytes(table(set_cell(3, "企业名称", "企业\x1b"))),
            REFUSED,
            (8, 7, 1),
            ["第3行「企业名称」列: 含有控制字符"],
        ),
        Case(
            "编号重复",
            "enterprises.csv",
            csv_bytes(table(set_cell(3, "企业编号", "QY360822-0001"))),
            REFUSED,
            (8, 7, 1),
            ["第3行「企业编号」列: 编号重复（与第2行相同）"],
        ),
        Case(
            "引用不存在的园区",
            "enterprises.csv",
            csv_bytes(table(set_cell(2, "所属园区代码", "360822499"))),
            REFUSED,
            (8, 7, 1),
            ["第2行「所属园区代码」列: 在「工业园区」台账中找不到"],
        ),
        # --- district submissions -----------------------------------------------------------------
        Case(
            "县里上报本县的行",
            "园区企业.csv",
            csv_bytes([HEADER] + [r for r in _rows() if r[col("区县代码")] == tiny.A]),
            OK,
            (5, 5, 0),
            district=tiny.A,
        ),
        Case(
            "县里上报中夹着别县的行",
            "园区企业.csv",
            csv_bytes(PLAIN),
            REFUSED,
            (8, 5, 3),
            ["第4行「区县代码」列: 这一行属于峡江县（360823），不是本次上报的吉水县（360822）"],
            district=tiny.A,
        ),
        Case(
            "一个工作簿、每个台账一个工作表（模板填好）",
            "吉安市台账.xlsx",
            _filled_template(),
            OK,
            (10, 10, 0),
        ),
    ]
    return c


def _filled_template() -> bytes:
    """The parks and enterprises template with the tiny rows typed in as text."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(workbook([register("parks"), ENT])))
    parks = [[str(r.get(f.name, "")) for f in register("parks").fields] for r in tiny.ROWS["parks"]]
    for sheet, rows in (("工业园区", parks), ("园区企业", _rows())):
        for i, values in enumerate(rows, start=2):
            for j, v in enumerate(values, start=1):
                wb[sheet].cell(row=i, column=j, value=v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

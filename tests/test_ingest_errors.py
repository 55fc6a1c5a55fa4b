"""Every failure of reading a register is a Chinese message naming file (and sheet), row and column.

Each test corrupts one file of the tiny registers (tests/corpus.py) and checks the exact
problems, hand-computed: parks.csv has the header on row 1 and two parks on rows 2-3;
enterprises.csv has eight enterprises on rows 2-9.
"""

import builtins
import time
from pathlib import Path

import pytest

from sanqu.ingest import demo
from sanqu.ingest.loader import Problem, RegisterError, load_all
from sanqu.storage import store
from tests import corpus, tiny

BIGINT_RANGE = "整数超出范围（应在 -9223372036854775808 到 9223372036854775807 之间）"
CONTROL = "含有控制字符或文字方向控制符（如 NUL、ESC、U+202E），请删除"


@pytest.fixture()
def folder(tmp_path) -> Path:
    return corpus.valid(tmp_path)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(RegisterError) as err:
        load_all(folder)
    return [str(p) for p in err.value.problems]


def _store_unchanged(folder: Path, corrupt) -> None:
    """A failed build leaves an existing store byte-identical."""
    db = folder.parent / "sanqu.duckdb"
    store.build(folder, db)
    before = db.read_bytes()
    corrupt()
    with pytest.raises(RegisterError):
        store.build(folder, db)
    assert db.read_bytes() == before


# --- item 4: files that cannot be read -----------------------------------------------------


def test_empty_file(folder):
    parks = folder / "parks.csv"
    _store_unchanged(folder, lambda: parks.write_bytes(b""))
    # only parks is named: the enterprises referring to parks are not checked against a failed register
    assert _problems(folder) == ["parks.csv 第1行: 文件是空的（没有表头行）"]


def test_header_only_file_is_a_register_without_rows(folder):
    (folder / "instructors.csv").write_text("派驻编号,单位类型,单位编号,区县代码,派出单位类别,派驻日期,结束日期\n")
    assert len(load_all(folder).frames["instructors"]) == 0


def test_gbk_csv_loads(folder):
    parks = folder / "parks.csv"
    parks.write_bytes(parks.read_text(encoding="utf-8-sig").encode("gbk"))
    loaded = load_all(folder)
    assert list(loaded.frames["parks"]["name"]) == ["吉水县工业园区", "峡江县工业园区"]
    assert list(loaded.frames["parks"]["level"]) == ["省级", "省级"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8"])
def test_utf16_with_bom_and_utf8_without_bom_load(folder, encoding):
    parks = folder / "parks.csv"
    text = parks.read_text(encoding="utf-8-sig")
    bom = "\ufeff" if encoding == "utf-16-be" else ""
    parks.write_bytes((bom + text).encode(encoding))
    assert list(load_all(folder).frames["parks"]["name"]) == ["吉水县工业园区", "峡江县工业园区"]


def test_undecodable_bytes_name_the_row(folder):
    parks = folder / "parks.csv"
    text = parks.read_text(encoding="utf-8-sig")
    parks.write_bytes(text.encode("utf-8") + b"360822401,\xff\xfe,360822,\xca\xa1,,\n")  # row 4, no BOM
    assert _problems(folder) == [
        "parks.csv 第4行: 文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030，无法识别的字节 b'\\xff\\xfe,3'）："
        "请另存为「CSV UTF-8」"
    ]


def test_picture_renamed_csv(folder):
    parks = folder / "parks.csv"
    _store_unchanged(folder, lambda: parks.write_bytes(corpus.PNG))
    assert _problems(folder) == ["parks.csv: 不是文本格式的 CSV 文件（PNG 图片，可能是图片或其他文件改了扩展名）"]


def test_nul_bytes_are_binary(folder):
    parks = folder / "parks.csv"
    parks.write_bytes(parks.read_bytes() + b"\x00\x01\x02")
    assert _problems(folder) == ["parks.csv: 不是文本格式的 CSV 文件（含有二进制内容，可能是图片或其他文件改了扩展名）"]


def test_xlsx_named_csv_and_csv_named_xlsx(folder):
    (folder / "parks.csv").write_bytes(corpus.workbook_bytes([["园区代码"]]))
    (folder / "enterprises.csv").rename(folder / "enterprises.xlsx")
    assert _problems(folder) == [
        "parks.csv: 不是文本格式的 CSV 文件，而是 Excel（.xlsx）或 ZIP 文件："
        "请把扩展名改为 .xlsx，或另存为「CSV UTF-8」",
        "enterprises.xlsx: 这是文本（CSV）文件，却使用了 .xlsx 扩展名：请把扩展名改为 .csv",
    ]


def test_truncated_and_corrupt_xlsx(folder):
    def corrupt():
        path = corpus.to_xlsx(folder, "parks")
        path.write_bytes(path.read_bytes()[:1500])  # a zip cut short
        (folder / "enterprises.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
        (folder / "enterprises.csv").unlink()
        (folder / "communities.xlsx").write_bytes(corpus.PNG)
        (folder / "communities.csv").unlink()

    _store_unchanged(folder, corrupt)
    assert _problems(folder) == [
        "parks.xlsx: Excel 文件已损坏或不完整，无法读取：请在 Excel 中打开后重新保存",
        "enterprises.xlsx: Excel 文件已损坏或不完整，无法读取：请在 Excel 中打开后重新保存",
        "communities.xlsx: 不是有效的 Excel（.xlsx）文件（可能是图片或其他文件改了扩展名）",
    ]


@pytest.mark.parametrize(
    "value, message",
    [
        ("99999999999999999999", BIGINT_RANGE),
        ("9223372036854775808", BIGINT_RANGE),
        ("-9223372036854775809", BIGINT_RANGE),
        ("12.5", "不是整数"),
        ("٣", "不是整数"),  # an Arabic-Indic digit is not made ASCII
        ("+5", "不是整数"),
    ],
)
def test_integer_out_of_range_or_not_ascii(folder, value, message):
    corpus.set_cell(folder / "enterprises.csv", 3, "从业人数", value)
    assert _problems(folder) == [f"enterprises.csv 第3行「从业人数」列: {message}（值: {value!r}）"]


def test_largest_bigint_is_read_exactly_then_refused_as_absurd(folder):
    corpus.set_cell(folder / "enterprises.csv", 3, "从业人数", "9223372036854775807")
    expected = "enterprises.csv 第3行「从业人数」列: 9,223,372,036,854,775,807 超出取值范围 0 – 1,000,000"
    assert _problems(folder) == [expected]


def test_fullwidth_number_in_integer_column(folder):
    corpus.set_cell(folder / "enterprises.csv", 3, "从业人数", "１２３")
    loaded = load_all(folder)
    assert loaded.frames["enterprises"]["employees"][1] == 123
    assert loaded.dropped == ["enterprises.csv: 已将 1 个单元格中的全角字符转换为半角"]


def test_row_with_an_extra_field(folder):
    corpus.rewrite(folder / "parks.csv", lambda t: t[2].append("多余"))
    assert _problems(folder) == ["parks.csv 第3行: 第3行有 7 个字段，表头只有 6 列"]


def test_unbalanced_quote_names_the_row_where_it_started(folder):
    corpus.insert_line(folder / "enterprises.csv", 4, 'QY360822-0009,"未闭合的企业名称,360822400,360822')
    assert _problems(folder) == ["enterprises.csv 第4行: 引号不配对：从这一行开始的带引号的单元格没有结束引号"]


def test_characters_after_a_closing_quote(folder):
    corpus.insert_line(folder / "parks.csv", 3, '360822401,"园区"甲,360822,省级,,')
    assert _problems(folder) == [
        'parks.csv 第3行: 引号不配对：带引号的单元格在结束引号后还有字符（单元格中的引号应写成两个 ""）'
    ]


def test_directory_and_dangling_link_where_a_file_is_expected(folder):
    (folder / "parks.csv").unlink()
    (folder / "parks.csv").mkdir()
    (folder / "venues.csv").unlink()
    (folder / "venues.csv").symlink_to(folder / "nowhere.csv")
    assert _problems(folder) == [
        "parks.csv: 应是一个文件，这里却是一个文件夹",
        "venues.csv: 无法读取文件：文件不存在（或是指向不存在文件的链接）",
    ]


@pytest.mark.parametrize("how", ["read_bytes", "open"])
def test_permission_denied(folder, monkeypatch, how):
    def deny(original):
        def wrapped(path, *args, **kwargs):
            if Path(path).name == "parks.csv":
                raise PermissionError(13, "Permission denied", str(path))
            return original(path, *args, **kwargs)

        return wrapped

    if how == "open":
        monkeypatch.setattr(builtins, "open", deny(builtins.open))
    else:
        monkeypatch.setattr(Path, "read_bytes", deny(Path.read_bytes))
    assert _problems(folder) == ["parks.csv: 无法读取文件：没有读取权限"]


def test_missing_folder(tmp_path):
    assert _problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: 台账文件夹不存在或不是文件夹"]


# --- item 5: row numbers as a spreadsheet shows them ---------------------------------------

UNKNOWN_DISTRICT = "未知的区县代码（应为吉安市 13 个区县之一）（值: '360899'）"


def test_blank_csv_line_counts_as_a_row(folder):
    ent = folder / "enterprises.csv"
    corpus.insert_line(ent, 2)  # a blank row 2: the first enterprise is now on row 3
    corpus.set_cell(ent, 5, "区县代码", "360899")
    assert _problems(folder) == [f"enterprises.csv 第5行「区县代码」列: {UNKNOWN_DISTRICT}"]


def test_empty_xlsx_row_counts_and_the_sheet_is_named(folder):
    def change(table):
        table.insert(2, [])  # an empty row 3
        table[3][2] = "360899"  # row 4: the second park

    corpus.to_xlsx(folder, "parks", change, title="园区")
    assert _problems(folder) == [f"parks.xlsx [园区] 第4行「区县代码」列: {UNKNOWN_DISTRICT}"]
    with pytest.raises(RegisterError) as err:
        load_all(folder)
    assert err.value.problems == [
        Problem("parks.xlsx", 4, "区县代码", "360899", "未知的区县代码（应为吉安市 13 个区县之一）", "园区")
    ]


def test_multi_line_quoted_cell_is_one_row(folder):
    ent = folder / "enterprises.csv"
    corpus.set_cell(ent, 2, "企业名称", "第一行\n第二行\n第三行")
    corpus.set_cell(ent, 4, "区县代码", "360899")
    assert _problems(folder) == [f"enterprises.csv 第4行「区县代码」列: {UNKNOWN_DISTRICT}"]


def test_multi_line_cell_is_kept(folder):
    corpus.set_cell(folder / "enterprises.csv", 2, "企业名称", "第一行\n第二行")
    assert load_all(folder).frames["enterprises"]["name"][0] == "第一行\n第二行"


def test_reference_problems_name_the_real_row(folder):
    cov = folder / "org_coverage.csv"
    corpus.insert_line(cov, 3)
    corpus.insert_line(cov, 3)  # rows 3-4 blank: the fourth organisation link is on row 7
    corpus.set_cell(cov, 7, "党组织编号", "DZ360822-09999")
    with pytest.raises(RegisterError) as err:
        load_all(folder)
    assert [str(p) for p in err.value.problems] == [
        "org_coverage.csv 第7行「党组织编号」列: 在「党组织」台账中找不到（值: 'DZ360822-09999'）"
    ]
    loaded = load_all(corpus.valid(folder.parent / "again"))
    assert loaded.rows["org_coverage"] == [2, 3, 4, 5, 6]


def test_rows_map_survives_blank_lines(folder):
    corpus.insert_line(folder / "parks.csv", 3)
    loaded = load_all(folder)
    assert loaded.rows["parks"] == [2, 4]
    assert list(loaded.frames["parks"].index) == [0, 1]


def test_failed_register_is_the_only_one_named(folder):
    corpus.set_cell(folder / "parks.csv", 2, "园区级别", "市级")  # enterprises refer to parks
    assert _problems(folder) == ["parks.csv 第2行「园区级别」列: 取值不在允许范围内: 国家级 / 省级（值: '市级'）"]


def test_csv_and_xlsx_of_one_register(folder):
    (folder / "parks.xlsx").write_bytes(corpus.workbook_bytes(corpus.rows(folder / "parks.csv")))
    assert _problems(folder) == [
        "parks.csv: 同时存在 parks.csv 和 parks.xlsx，无法确定以哪个为准：请删除或移走其中一个"
    ]


# --- item 9: codes are ASCII; full-width characters made half-width ------------------------


def test_fullwidth_codes_are_normalised_with_a_notice(folder):
    parks = folder / "parks.csv"
    corpus.set_cell(parks, 2, "园区代码", "３６０８２２４００")
    corpus.set_cell(parks, 2, "区县代码", "３６０８２２")
    corpus.set_cell(parks, 3, "经度", "１１５．３")
    loaded = load_all(folder)
    assert list(loaded.frames["parks"]["park_id"]) == [tiny.PA, tiny.PB]
    assert list(loaded.frames["parks"]["district"]) == [tiny.A, tiny.B]
    assert loaded.frames["parks"]["lon"][1] == 115.3
    assert loaded.dropped == ["parks.csv: 已将 3 个单元格中的全角字符转换为半角"]


@pytest.mark.parametrize("code", ["٣٦٠٨٢٢٤٠٠", "३६०८२२४००", "①②③④⑤⑥⑦⑧⑨"])
def test_other_unicode_digits_in_a_code_are_refused(folder, code):
    corpus.set_cell(folder / "parks.csv", 2, "园区代码", code)
    assert _problems(folder) == [
        f"parks.csv 第2行「园区代码」列: 格式不符（应匹配 ^[0-9]{{9}}$；编码须按文本保存，不能是数字）（值: {code!r}）"
    ]


@pytest.mark.parametrize("value", ["inf", "nan", "1e999", "-1e999", "Infinity", "1,5"])
def test_float_must_be_finite(folder, value):
    corpus.set_cell(folder / "parks.csv", 3, "经度", value)
    message = "数值超出范围" if value.endswith("e999") else "不是数字"
    assert _problems(folder) == [f"parks.csv 第3行「经度」列: {message}（值: {value!r}）"]


# --- item 10: text cells, headers ----------------------------------------------------------


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\u202e", "\u2066"])
def test_control_and_bidi_characters_are_refused(folder, char):
    corpus.set_cell(folder / "parks.csv", 3, "园区名称", f"峡江{char}园区")
    assert _problems(folder) == [f"parks.csv 第3行「园区名称」列: {CONTROL}（值: {'峡江' + char + '园区'!r}）"]


def test_nul_in_a_utf16_file_is_refused_in_its_cell(folder):
    parks = folder / "parks.csv"
    corpus.set_cell(parks, 3, "园区名称", "峡江\x00园区")
    parks.write_bytes(parks.read_text(encoding="utf-8-sig").encode("utf-16"))
    assert _problems(folder) == [f"parks.csv 第3行「园区名称」列: {CONTROL}（值: '峡江\\x00园区'）"]


def test_tab_and_line_breaks_are_text(folder):
    corpus.set_cell(folder / "parks.csv", 3, "园区名称", "峡江\t县\n园区")
    assert load_all(folder).frames["parks"]["name"][1] == "峡江\t县\n园区"


def test_over_long_cells(folder):
    corpus.set_cell(folder / "parks.csv", 3, "园区名称", "长" * 2001)
    corpus.set_cell(folder / "parks.csv", 2, "园区代码", "3" * 65)
    assert _problems(folder) == [
        f"parks.csv 第2行「园区代码」列: 内容过长（最多 64 个字符）（值: {'3' * 40!r}…（共 65 个字符））",
        f"parks.csv 第3行「园区名称」列: 内容过长（最多 2000 个字符）（值: {'长' * 40!r}…（共 2001 个字符））",
    ]


def test_a_50_mb_cell_is_refused_quickly(folder):
    parks = folder / "parks.csv"
    head, first, rest = parks.read_bytes().split(b"\n", 2)
    parks.write_bytes(
        head + b"\n" + first + b"\n360823400," + b"x" * 50_000_000 + b",360823,\xe7\x9c\x81\xe7\xba\xa7,,\n"
    )
    t0 = time.perf_counter()
    problems = _problems(folder)
    assert time.perf_counter() - t0 < 15
    assert problems == ["parks.csv 第3行: 单元格过长（超过 131072 个字符）"]


def test_duplicated_header(folder):
    corpus.rewrite(folder / "parks.csv", lambda t: [r.append(r[1]) for r in t])
    assert _problems(folder) == ["parks.csv 第1行「园区名称」列: 表头重复：第 B、G 列都是「园区名称」"]


def test_data_under_an_empty_header(folder):
    corpus.rewrite(folder / "parks.csv", lambda t: (t[0].append(""), t[1].append(""), t[2].append("备注")))
    assert _problems(folder) == [
        "parks.csv 第3行「G」列: 这一列没有表头，却有数据（请补上表头或删除这些单元格）（值: '备注'）"
    ]


def test_xlsx_data_right_of_the_header(folder):
    corpus.to_xlsx(folder, "parks", lambda t: t[2].append("备注"))
    assert _problems(folder) == [
        "parks.xlsx [Sheet1] 第3行「G」列: 这一列没有表头，却有数据（请补上表头或删除这些单元格）（值: '备注'）"
    ]


def test_header_with_stray_spaces_and_empty_trailing_columns_loads(folder):
    def change(table):
        table[0] = [f" {h}\u3000" for h in table[0]] + [""]
        for r in table[1:]:
            r.append("")

    corpus.rewrite(folder / "parks.csv", change)
    assert len(load_all(folder).frames["parks"]) == 2


# --- item 13: personal numbers in free text ------------------------------------------------


def test_personal_numbers_in_free_text_are_masked(folder):
    text = f"联系 {corpus.VALID_ID}，手机13812345678，电话0796-8221234"
    corpus.set_cell(folder / "enterprises.csv", 3, "所属产业", text)
    loaded = load_all(folder)
    assert loaded.frames["enterprises"]["industry"][1] == "联系 110105********002X，手机138****5678，电话0796-***1234"
    assert loaded.dropped == ["enterprises.csv 第3行「所属产业」列: 已遮蔽身份证号、手机号、固定电话"]


def test_masking_names_the_xlsx_sheet_and_skips_invalid_ids(folder):
    def change(table):
        table[2][1] = "峡江县工业园区 110105194912310021 138123456789"  # a wrong check digit, 12 digits

    corpus.to_xlsx(folder, "parks", change, title="园区")
    corpus.set_cell(folder / "enterprises.csv", 2, "企业名称", "企业（负责人手机 139 1234 5678）")
    loaded = load_all(folder)
    assert loaded.frames["parks"]["name"][1] == "峡江县工业园区 110105194912310021 138123456789"
    assert loaded.frames["enterprises"]["name"][0] == "企业（负责人手机 139 **** 5678）"
    assert loaded.dropped == ["enterprises.csv 第2行「企业名称」列: 已遮蔽手机号"]


def test_tiny_and_demo_registers_load_without_notices(tmp_path):
    assert load_all(corpus.valid(tmp_path)).dropped == []
    demo.write(tmp_path / "demo")
    assert load_all(tmp_path / "demo").dropped == []

"""Every case of the corpus (tests/intake_corpus.py): its messages or normalisation, and every
row read is accepted or sent back."""

import pytest

from sanqu.ingest import loader, merge, upload
from sanqu.reports.export import to_excel
from tests import corpus, intake_corpus

CASES = intake_corpus.cases()


@pytest.fixture(scope="module")
def current(tmp_path_factory) -> merge.Current:
    return merge.Current.of(loader.load_all(corpus.valid(tmp_path_factory.mktemp("tiny"))))


def _run(case: intake_corpus.Case, current: merge.Current) -> tuple[list[upload.Part], merge.Merged | None]:
    parts = upload.read_uploads([(case.file, case.data), *case.extra], case.district)
    if not any(p.register is not None and p.frame is not None for p in parts):
        return parts, None
    return parts, merge.merge(current, parts, case.district)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert {c.status for c in CASES} == {"通过", "规范后通过", "退回"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, current):
    parts, merged = _run(case, current)
    problems = [str(p) for part in parts for p in part.problems]
    notices = [n for part in parts for n in part.notices]
    rows = tuple(sum(getattr(p, k) for p in parts) for k in ("rows_in", "accepted", "rejected"))
    assert rows == case.rows
    for part in parts:
        assert part.rows_in == part.accepted + part.rejected
    for text in case.messages:
        assert any(text in p for p in problems), (text, problems)
    for text in case.notices:
        assert any(text in n for n in notices), (text, notices)
    if case.status == "退回":
        assert problems
    else:
        assert problems == [] and merged is not None and merged.kept_problems == []
        changed = [n for n in notices if "已将" in n or "已去除" in n]
        assert bool(changed) == (case.status == "规范后通过"), notices
    for part in parts:  # nothing garbled is ever accepted
        accepted = part.accepted_text
        assert not accepted.astype(str).apply(lambda s: s.str.contains("\ufffd")).any().any()


def test_values_after_normalising(current):
    by_name = {c.name: c for c in CASES}
    frame = _run(by_name["六种日期写法"], current)[0][0].accepted_text
    assert list(frame["入园日期"]) == ["2020-01-01"] * 8
    frame = _run(by_name["不间断空格、全角空格和编码末尾的空格"], current)[0][0].accepted_text
    assert list(frame["区县代码"][:1]) == ["360822"] and frame["企业规模"][3] == "规上"
    frame = _run(by_name["全角字母"], current)[0][0].accepted_text
    assert frame["企业编号"][2] == "QY360822-0001"
    frame = _run(by_name["公式：读缓存值，不计算"], current)[0][0].accepted_text
    assert frame["企业名称"][2] == "企业0001" and frame["从业人数"][3] == "50"  # cached, not 1+1
    frame = _run(by_name["两行合并表头"], current)[0][0].accepted_text
    assert list(frame.index) == list(range(3, 11)) and frame["经济类型"][3] == "私营"


def test_formula_like_text_is_kept_and_exported_as_text(current):
    case = next(c for c in CASES if c.name == "以 = + - @ 开头的文本")
    frame = _run(case, current)[0][0].accepted_text
    names = list(frame["企业名称"][:4])
    assert names == ['=HYPERLINK("https://evil.example/","x")', "+1", "-1", "@SUM(A1)"]
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(to_excel(frame[["企业名称"]], "名单", {"说明": "x"})))
    cells = [c for c in book["名单"]["A"][1:5]]
    assert [c.value for c in cells] == names and {c.data_type for c in cells} == {"s"}

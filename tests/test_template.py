"""The list template (``kiemnhiem template``): opened with openpyxl as a board would open it, the
headings the reader knows in the user's language, drop-down lists of the words it reads, date and
percentage cells, a marked example row, a guide to every column, and a round trip through batch."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

from cli import run  # noqa: E402
from conftest import policy  # noqa: E402
from engine.io import headings  # noqa: E402
from engine.io import template  # noqa: E402

HEADER = template.HEADER_ROW + 1  # as the spreadsheet numbers rows
EXAMPLE = template.EXAMPLE_ROW + 1


def _template(capsys, tmp_path: Path, *args: str, name: str = "mau-danh-sach.xlsx") -> Any:
    out = tmp_path / name
    code = run(["template", *args, "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert str(out) in captured.out
    return openpyxl.load_workbook(out)


def _head(sheet: Any) -> list[str]:
    return [c.value for c in sheet[HEADER] if c.value is not None]


def _word(path: str, code: str, lang: str = "vi") -> str:
    """The word the template writes for a code (the reader's vocabulary once it has one)."""
    return template.word(path, code, lang, "VN")


def test_words_for_codes_are_the_readers_own() -> None:
    """The template writes the words the reader reads (engine/contract/vocabulary.yaml), the first of each language."""
    assert _word("candidate.sex", "male") == "Nam" and _word("candidate.sex", "female", "en") == "Female"
    assert _word("candidate.party_status", "full") == "Chính thức" and _word("posts", "hamlet_head") == "Trưởng thôn"
    assert template.yes_no("vi") == ("Có", "Không") and template.yes_no("zh") == ("是", "否")
    assert template.none_word("vi") == "Không"


def _validation(sheet: Any, column: int) -> Any:
    letter = sheet.cell(HEADER, column).column_letter
    found = [dv for dv in sheet.data_validations.dataValidation if f"{letter}{EXAMPLE}" in dv.sqref]
    assert len(found) == 1, letter
    return found[0]


def _list_words(book: Any, formula: str) -> list[str]:
    """The words a list validation offers (its source is a range of the hidden lists sheet)."""
    sheet_name, cells = formula.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for row in book[sheet_name.strip("'")][f"{first}:{last}"] for c in row]


def test_a_vietnamese_template_for_nghe_an(capsys, tmp_path) -> None:
    book = _template(capsys, tmp_path, "--pack", "vn.nghe-an", "--lang", "vi", "--as-of", "2025-06-01")
    assert book.sheetnames == ["Danh sách", "Danh mục", "Hướng dẫn"]
    assert book["Danh mục"].sheet_state == "hidden"
    sheet = book["Danh sách"]
    assert sheet["A1"].value.startswith("DANH SÁCH NHÂN SỰ")  # the title row above the header
    assert "Hướng dẫn" in sheet["A2"].value
    head = _head(sheet)
    table = headings.shipped()
    assert head[0] == "STT" and head[-1] == "Ghi chú"
    for column in ("name", "birth_date", "party_status", "vote_share", "posts", "hamlet_province", "hamlet_district",
                   "hamlet_commune", "hamlet_name", "hamlet_id", "hamlet_households", "hamlet_kind"):
        assert table.heading(column, "vi") in head, column
    assert "Tỷ lệ phiếu bầu" in head and "Họ và tên" in head and "Thôn/xóm" in head
    assert table.heading("hamlet_population", "vi") not in head  # Nghệ An's rules do not read it
    col = {h: i + 1 for i, h in enumerate(head)}
    # the example row: real cells, marked as an example
    assert sheet.cell(EXAMPLE, col["Ngày sinh"]).value == datetime(1978, 3, 15)
    assert sheet.cell(EXAMPLE, col["Ngày sinh"]).number_format == "dd/mm/yyyy"
    share = sheet.cell(EXAMPLE, col["Tỷ lệ phiếu bầu"])
    assert share.value == 0.68 and share.number_format == "0%"
    assert sheet.cell(EXAMPLE, col["Đảng viên"]).value == _word("candidate.party_status", "full")
    assert sheet.cell(EXAMPLE, col["Thường trú tại thôn"]).value == template.yes_no("vi")[0]
    assert sheet.cell(EXAMPLE, col["Ghi chú"]).value == "Dòng ví dụ"
    assert "ví dụ" in sheet.cell(EXAMPLE, 1).comment.text
    # the empty rows below carry the column's formats
    assert sheet.column_dimensions[sheet.cell(HEADER, col["Ngày sinh"]).column_letter].number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions[sheet.cell(HEADER, col["Tỷ lệ phiếu bầu"]).column_letter].number_format == "0%"
    assert sheet.freeze_panes == f"C{EXAMPLE}"
    # drop-down lists of the words the reader is given, yes/no in Vietnamese
    party = _validation(sheet, col["Đảng viên"])
    statuses = [_word("candidate.party_status", c) for c in ("none", "probationary", "full")]
    assert party.type == "list" and _list_words(book, party.formula1) == statuses
    yes = _validation(sheet, col["Sức khỏe"])
    assert _list_words(book, yes.formula1) == list(template.yes_no("vi")) and template.yes_no("vi")[0].lower() == "có"
    assert party.errorStyle in (None, "stop")  # a code: anything else is refused as it is typed
    posts = _validation(sheet, col["Chức danh đề nghị"])
    assert posts.errorStyle == "warning"  # a list cell may hold several posts
    assert _list_words(book, posts.formula1)[0] == f"{_word('posts', 'party_cell_secretary')}; {_word('posts', 'hamlet_head')}"
    assert _validation(sheet, col["Ngày sinh"]).type == "date"
    vote = _validation(sheet, col["Tỷ lệ phiếu bầu"])
    assert vote.type == "decimal" and (vote.formula1, vote.formula2) == ("0", "1")
    assert _validation(sheet, col["Số hộ"]).type == "whole"
    assert str(_validation(sheet, col["Số hộ"]).sqref).endswith(str(EXAMPLE + template.EMPTY_ROWS))
    # the guide: every column, its meaning, the values it takes
    guide = {r[0]: r for r in book["Hướng dẫn"].iter_rows(min_row=2, values_only=True)}
    assert list(guide) == head
    assert guide["Đảng viên"][1] == "Tình trạng đảng viên"
    assert guide["Đảng viên"][2].split("\n") == statuses
    assert (guide["Mã thôn"][3], guide["Họ và tên"][3]) == template.yes_no("vi")
    assert guide["Ngày sinh"][2].startswith("ngày")


def test_the_columns_follow_the_pack_and_the_date(capsys, tmp_path) -> None:
    before = _head(_template(capsys, tmp_path, "--pack", "vn.nghe-an", "--as-of", "2025-06-01", name="a.xlsx")["Danh sách"])
    after = _head(_template(capsys, tmp_path, "--pack", "vn.nghe-an", "--as-of", "2025-08-01", name="b.xlsx")["Danh sách"])
    assert "Huyện" in before and "Huyện" not in after  # no districts from 2025-07-01 (Decree 170/2025)
    book = _template(capsys, tmp_path, "--pack", "cn.hainan", "--as-of", "2025-06-01", name="c.xlsx")
    assert book.sheetnames == ["名单", "选项", "填写说明"]
    head = _head(book["名单"])
    assert head[0] == "序号" and head[-1] == "备注"
    assert "被剥夺政治权利" in head and "人口" in head  # what Hainan's rules read
    assert headings.shipped().heading("interim", "zh") not in head


def test_english_words_with_lang_en(capsys, tmp_path) -> None:
    book = _template(capsys, tmp_path, "--pack", "vn.nghe-an", "--lang", "en", "--as-of", "2025-06-01")
    sheet = book["List"]
    head = _head(sheet)
    assert head[:3] == ["No.", "Name", "Birth date"] and "Hamlet ID" in head
    col = {h: i + 1 for i, h in enumerate(head)}
    assert _list_words(book, _validation(sheet, col["Health"]).formula1) == ["Yes", "No"]
    assert sheet.cell(EXAMPLE, col["Birth date"]).number_format == "yyyy-mm-dd"


def test_the_same_pack_language_and_date_give_the_same_bytes(tmp_path) -> None:
    pol = policy("vn.nghe-an")
    assert template.template_bytes(pol, "vi", date(2025, 6, 1)) == template.template_bytes(pol, "vi", date(2025, 6, 1))


def test_only_xlsx(capsys, tmp_path) -> None:
    code = run(["template", "--pack", "vn.nghe-an", "--lang", "en", "-o", str(tmp_path / "t.csv")])
    assert code == 2 and ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "t.csv").exists()


def test_a_filled_template_is_read_back_without_error(capsys, tmp_path) -> None:
    """A board fills the example row's template and one more row, then runs batch on it: every
    row is read (no error), the example as a case like the other."""
    book = _template(capsys, tmp_path, "--pack", "vn.nghe-an", "--lang", "vi", "--as-of", "2025-06-01")
    sheet = book["Danh sách"]
    head = _head(sheet)
    col = {h: i + 1 for i, h in enumerate(head)}
    second = EXAMPLE + 1
    for j in range(1, len(head) + 1):  # the second row as a copy of the example, then changed as a board would
        sheet.cell(second, j).value = sheet.cell(EXAMPLE, j).value
    sheet.cell(second, col["STT"]).value = 2
    sheet.cell(second, col["Họ và tên"]).value = "Lê Thị Mai"
    sheet.cell(second, col["Ngày sinh"]).value = datetime(1985, 11, 2)
    sheet.cell(second, col["Đảng viên"]).value = _word("candidate.party_status", "probationary")
    sheet.cell(second, col["Chức danh đề nghị"]).value = _word("posts", "hamlet_head")
    sheet.cell(second, col["Mã thôn"]).value = "NL-NP-06"
    sheet.cell(second, col["Ghi chú"]).value = None
    filled = tmp_path / "danh-sach.xlsx"
    book.save(filled)
    out = tmp_path / "ket-qua.csv"
    code = run(["batch", str(filled), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    import polars as pl

    res = pl.read_csv(out, infer_schema=False)
    assert res.height == 2 and "error" not in set(res["decision"]) and "skipped" not in set(res["decision"])
    assert res["hamlet_id"].to_list() == ["NL-NP-05", "NL-NP-06"]
    # the example fills in every field the rules read: nothing of the row is missing (what may stay
    # open is the pack's own, such as a parameter not yet known on the date), and it fails nothing
    example = res.row(0, named=True)
    assert not [m for m in (example["missing"] or "").split(";") if m.startswith(("candidate.", "hamlet.", "posts"))]
    assert not example["failing"] and example["decision"] in ("eligible", "eligible_with_conditions", "undetermined")

"""The results workbook a board hands round (``batch -o ket-qua.xlsx``): opened with openpyxl as
a person would open it: headings in the run's language, the input's columns first, decisions in
words, real numbers, dates and shares with their formats, frozen header and filters, a summary
sheet that agrees with the summary, and an errors sheet with every problem of every row."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

openpyxl = pytest.importorskip("openpyxl")

from cli import run  # noqa: E402
from conftest import ROOT, policy  # noqa: E402
from engine.batch import run as batch_mod  # noqa: E402
from engine.io import headings, workbook  # noqa: E402

HEADER = ("hamlet_id,hamlet_name,hamlet_province,hamlet_district,hamlet_commune,hamlet_kind,hamlet_households,hamlet_area,"
          "name,birth_date,party_status,permanent_residence,status,vote_share,disciplined,health_ok,posts")
OK = "h{i},Xóm {i},Nghệ An,Yên Thành,Thọ Thành,village,{hh},none,Người {i},1980-01-01,full,yes,hamlet_nonprofessional,0.8,no,yes,party_cell_secretary;hamlet_head"
ROWS = [
    OK.format(i=1, hh=200),  # eligible, the fund known
    "h2,Xóm 2,Nghệ An,Yên Thành,Thọ Thành,village,many,none,Người 2,2030-01-01,maybe,yes,none,0.8,no,yes,hamlet_head",  # 3 wrong cells
    OK.format(i=3, hh=420).replace("0.8", ""),  # the vote share missing: undetermined
    OK.format(i=4, hh=90).replace(",yes,hamlet_nonprofessional,0.8,no,", ",yes,hamlet_nonprofessional,0.8,yes,"),  # disciplined
]
VI_DECISIONS = {"đủ điều kiện", "đủ điều kiện, kèm điều kiện", "không đủ điều kiện", "chưa xác định", "lỗi"}


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "danh-sach.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def _run(capsys, tmp_path: Path, *extra: str, name: str = "ket-qua.xlsx") -> tuple[Path, dict[str, Any]]:
    out, summary = tmp_path / name, tmp_path / f"{name}.json"
    code = run(["batch", str(_table(tmp_path)), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out),
                "--summary", str(summary), *extra])
    err = capsys.readouterr().err
    assert code == 1, err  # one row could not be read
    return out, json.loads(summary.read_text(encoding="utf-8"))


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _section(sheet: Any, title: str) -> list[list[Any]]:
    """The rows of a summary section, from its header row to the blank row after it."""
    rows = _rows(sheet)
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 1
    end = next((i for i in range(start, len(rows)) if all(v is None for v in rows[i])), len(rows))
    return rows[start:end]


def test_the_results_sheet_speaks_vietnamese_with_real_cells(capsys, tmp_path) -> None:
    out, _ = _run(capsys, tmp_path)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Kết quả", "Tổng hợp", "Lỗi"]
    sheet = book["Kết quả"]
    head = [c.value for c in sheet[1]]
    # the input's own columns first, in its order (identifying ones no row fills are left out), then the answer, then money
    given = _table(tmp_path).read_text(encoding="utf-8").splitlines()[0].split(",")
    table = headings.shipped()
    assert head[:1 + len(given)] == ["Dòng", *[table.heading(table.column(c) or c, "vi") for c in given]]
    answer = head.index("Kết luận")
    assert head[answer:answer + 4] == ["Kết luận", "Lý do", "Lưu ý", "Còn thiếu"]
    assert head.index("Phụ cấp phải trả hằng tháng (đồng)") > answer + 3
    assert head[-4:] == ["Tiêu chí không đạt (mã)", "Bộ quy định", "Mã băm bộ quy định", "Ngày xét"]
    assert "decision" not in head and "explanation" not in head
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(head)).column_letter}{len(ROWS) + 1}"
    rows = {r[1]: dict(zip(head, r)) for r in _rows(sheet)[1:]}
    assert [r["Dòng"] for r in rows.values()] == [2, 3, 4, 5]  # the rows as the input's spreadsheet numbers them
    assert {r["Kết luận"] for r in rows.values()} <= VI_DECISIONS
    assert rows["h1"]["Kết luận"] == "đủ điều kiện" and rows["h1"]["Họ và tên"] == "Người 1"
    assert rows["h2"]["Kết luận"] == "lỗi" and "many" in rows["h2"]["Lý do"] and "2030-01-01" in rows["h2"]["Lý do"]
    assert rows["h3"]["Kết luận"] == "chưa xác định" and "tỷ lệ phiếu bầu" in rows["h3"]["Còn thiếu"]
    assert rows["h4"]["Kết luận"] == "không đủ điều kiện" and rows["h4"]["Lý do"].startswith("không đạt: ")
    assert rows["h4"]["Tiêu chí không đạt (mã)"]  # the ids stay, beside the words
    # money: whole numbers grouped by the viewer's locale; shares and dates in their formats
    fund = head.index("Quỹ phụ cấp thôn hằng tháng (đồng)") + 1
    cell = sheet.cell(2, fund)
    plain = tmp_path / "plain.csv"  # the same run, written plain: the same amounts
    run(["batch", str(_table(tmp_path)), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(plain)])
    capsys.readouterr()
    assert cell.value == int(pl.read_csv(plain)["fund_monthly"][0]) > 0
    assert isinstance(cell.value, int) and cell.number_format == "#,##0"
    as_of = sheet.cell(2, len(head))
    assert as_of.value == datetime(2025, 6, 1) and as_of.number_format == "dd/mm/yyyy"
    # long reasons wrap, in a column wide enough to read and a row tall enough to show them
    reasons = sheet.cell(3, answer + 2)
    assert reasons.alignment.wrap_text
    assert 20 <= sheet.column_dimensions[reasons.column_letter].width <= 60
    assert sheet.row_dimensions[3].height and sheet.row_dimensions[3].height > 15
    assert sheet.column_dimensions["B"].width >= len("vn.nghe-an") / 2


def test_an_amount_not_known_says_so(capsys, tmp_path) -> None:
    """Undetermined is not 0 and not "none": the payable allowance of an undetermined row says it."""
    out, data = _run(capsys, tmp_path)
    sheet = openpyxl.load_workbook(out)["Kết quả"]
    head = [c.value for c in sheet[1]]
    payable = head.index("Phụ cấp phải trả hằng tháng (đồng)")
    by_id = {r[1]: r for r in _rows(sheet)[1:]}
    assert by_id["h3"][payable] == "chưa xác định"
    assert by_id["h4"][payable] == 0  # ineligible: nothing payable, known
    assert by_id["h2"][payable] is None  # a row not read has no amount at all
    assert data["allowance_undetermined_rows"] >= 1


def test_the_summary_sheet_is_the_summary(capsys, tmp_path) -> None:
    out, data = _run(capsys, tmp_path)
    sheet = openpyxl.load_workbook(out)["Tổng hợp"]
    rows = _rows(sheet)
    assert rows[0][0].startswith("TỔNG HỢP KẾT QUẢ — vn.nghe-an")
    assert rows[1][:2] == ["Ngày xét", datetime(2025, 6, 1)] and sheet.cell(2, 2).number_format == "dd/mm/yyyy"
    counts = _section(sheet, "Theo kết luận")
    assert counts[0][:2] == ["Kết luận", "Số hàng"]
    words = {"eligible": "đủ điều kiện", "ineligible": "không đủ điều kiện", "undetermined": "chưa xác định", "error": "lỗi"}
    assert {r[0]: r[1] for r in counts[1:-1]} == {words[k]: v for k, v in data["by_decision"].items()}
    assert counts[-1][:2] == ["Tổng cộng", len(ROWS)]
    money = {r[0]: r for r in _section(sheet, "Tiền")[1:]}
    allowance = money["Phụ cấp phải trả hằng tháng"]
    # not every amount is known: the known part, marked "at least", and how many are not known
    assert allowance[1] == data["allowance_monthly_at_least"] and allowance[2] == data["allowance_undetermined_rows"]
    assert allowance[3].startswith("ít nhất")
    fund = money["Quỹ phụ cấp thôn hằng tháng"]
    assert fund[1] == data["fund_monthly_total"] and fund[2] == 0 and fund[3].startswith("đủ")
    assert sheet.cell(next(i for i, r in enumerate(rows) if r[0] == "Tiền") + 3, 2).number_format == "#,##0"
    heads = {r[0]: r[1] for r in _section(sheet, "Trưởng thôn là đảng viên")}
    assert heads["Số trưởng thôn"] == data["hamlet_heads"]
    share_row = next(i for i, r in enumerate(rows) if r[0] == "Tỷ lệ") + 1
    assert sheet.cell(share_row, 2).number_format == "0%"
    assert rows[3][:3] == ["Hàng không đọc được", 1, "xem trang Lỗi"]


def test_the_errors_sheet_lists_every_problem_of_every_row(capsys, tmp_path) -> None:
    out, _ = _run(capsys, tmp_path)
    sheet = openpyxl.load_workbook(out)["Lỗi"]
    rows = _rows(sheet)
    assert rows[0] == ["Dòng", "Cột", "Giá trị đã ghi", "Vấn đề"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:D{len(rows)}"
    problems = {(r[0], r[1]): r for r in rows[1:]}
    assert set(problems) == {(3, "hamlet_households"), (3, "birth_date"), (3, "party_status")}
    assert problems[(3, "hamlet_households")][2] == "many" and problems[(3, "hamlet_households")][3].startswith("cần một số nguyên")
    assert problems[(3, "party_status")][2] == "maybe"


def test_english_headings_with_lang_en(capsys, tmp_path) -> None:
    out, _ = _run(capsys, tmp_path, "--lang", "en")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Results", "Summary", "Errors"]
    head = [c.value for c in book["Results"][1]]
    assert head[:5] == ["Row", "Hamlet ID", "Hamlet", "Province", "District"] and "Name" in head
    assert {"Decision", "Reasons", "Advisories", "Missing", "Allowance payable per month (VND)"} <= set(head)
    assert {r[head.index("Decision")] for r in _rows(book["Results"])[1:]} <= {
        "eligible", "eligible with conditions", "ineligible", "undetermined", "error"}
    assert book["Results"].cell(2, len(head)).number_format == "yyyy-mm-dd"


def test_a_chinese_pack_writes_chinese(capsys, tmp_path) -> None:
    out = tmp_path / "结果.xlsx"
    src = ROOT / "examples" / "batch" / "hainan-sample.parquet"
    assert run(["batch", str(src), "--pack", "cn.hainan", "--as-of", "2025-06-01", "-o", str(out)]) in (0, 1)
    capsys.readouterr()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["结果", "汇总", "错误"]
    head = [c.value for c in book["结果"][1]]
    assert "结论" in head and "理由" in head and "每月应付补贴（元）" in head
    decisions = {r[head.index("结论")] for r in _rows(book["结果"])[1:]}
    assert decisions and decisions <= {"符合条件", "附条件符合", "不符合条件", "暂无法确定", "错误"}


def _frame(**columns: list[Any]) -> pl.DataFrame:
    base: dict[str, Any] = {"row": [2, 3, 4], "hamlet_id": ["h1", "h2", "h3"], "name": ["A", "B", "C"],
                            "decision": ["eligible", "skipped", "ineligible"], "failing": ["", "", "vn.head.health"],
                            "advisories": ["", "", ""], "missing": ["", "", ""],
                            "allowance_monthly_total": [1_490_000, None, 0], "error": [None, None, None],
                            "pack": ["vn"] * 3, "pack_hash": ["abc"] * 3, "as_of": ["2025-06-01"] * 3}
    return pl.DataFrame(base | columns)


def _book(frame: pl.DataFrame, summary: dict[str, Any] | None = None, lang: str = "vi") -> Any:
    import io

    words = workbook.Words.of(policy("vn.nghe-an"), date(2025, 6, 1), lang)
    data = workbook.results_bytes(frame, words, summary=summary, money=batch_mod.OUTPUT_MONEY, created=date(2025, 6, 1))
    return openpyxl.load_workbook(io.BytesIO(data))


def test_a_row_that_is_no_case_is_skipped_in_words() -> None:
    """The totals and signature rows the reader passes over come out as "bỏ qua", counted apart,
    and their money is not called undetermined."""
    summary = {"pack": "vn", "pack_hash": "abc", "as_of": "2025-06-01", "rows": 3,
               "by_decision": {"eligible": 1, "ineligible": 1, "skipped": 1}, "by_area": [],
               "allowance_monthly_total": 1_490_000, "allowance_monthly_at_least": 1_490_000,
               "allowance_undetermined_rows": 0, "fund_monthly_total": None, "fund_monthly_at_least": None,
               "fund_undetermined_hamlets": 2, "currency": "VND", "hamlet_heads": 0, "hamlet_heads_party_members": 0,
               "hamlet_heads_party_member_share": None, "targets": []}
    book = _book(_frame(), summary)
    sheet = book["Kết quả"]
    head = [c.value for c in sheet[1]]
    rows = _rows(sheet)[1:]
    assert [r[head.index("Kết luận")] for r in rows] == ["đủ điều kiện", "bỏ qua", "không đủ điều kiện"]
    assert rows[1][head.index("Phụ cấp phải trả hằng tháng (đồng)")] is None
    assert rows[2][head.index("Lý do")] == "không đạt: " + policy("vn.nghe-an").snapshot(date(2025, 6, 1)).title(
        next(ri for ri in policy("vn.nghe-an").criteria if ri.id == "vn.head.health"), "vi")
    counts = {r[0]: r[1] for r in _section(book["Tổng hợp"], "Theo kết luận")[1:]}
    assert counts == {"đủ điều kiện": 1, "không đủ điều kiện": 1, "bỏ qua": 1, "Tổng cộng": 3}
    money = {r[0]: r for r in _section(book["Tổng hợp"], "Tiền")[1:]}
    assert money["Quỹ phụ cấp thôn hằng tháng"][1] is None  # no fund known: no number, never 0
    assert money["Quỹ phụ cấp thôn hằng tháng"][3].startswith("chưa xác định")
    assert book["Lỗi"]["A2"].value == "Mọi hàng đều đọc được."


def test_input_columns_keep_their_order_and_shares_dates_their_formats() -> None:
    """Columns the rules do not read (STT, Ghi chú) come first as the input had them; a share is
    a percentage cell and a date a date cell."""
    frame = _frame().select(pl.Series("STT", [1, 2, 3]), pl.all(), pl.Series("Ghi chú", ["x", None, "z"]),
                            pl.Series("vote_share", [0.68, 0.5, None]),
                            pl.Series("birth_date", [date(1980, 1, 2), None, date(1990, 3, 4)]))
    sheet = _book(frame)["Kết quả"]
    head = [c.value for c in sheet[1]]
    assert head[:8] == ["Dòng", "STT", "Mã thôn", "Họ và tên", "Ghi chú", "Tỷ lệ phiếu bầu", "Ngày sinh", "Kết luận"]
    assert sheet.cell(2, 6).value == 0.68 and sheet.cell(2, 6).number_format == "0%"
    assert sheet.cell(2, 7).value == datetime(1980, 1, 2) and sheet.cell(2, 7).number_format == "dd/mm/yyyy"


def test_the_same_rows_give_the_same_bytes() -> None:
    words = workbook.Words.of(policy("vn.nghe-an"), date(2025, 6, 1), "vi")
    first, second = (workbook.results_bytes(_frame(), words, money=batch_mod.OUTPUT_MONEY, created=date(2025, 6, 1))
                     for _ in range(2))
    assert first == second


def test_csv_stays_plain(capsys, tmp_path) -> None:
    out = tmp_path / "out.csv"
    run(["batch", str(_table(tmp_path)), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out)])
    capsys.readouterr()
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns[:2] == ["row", "case_id"] and "decision" in frame.columns
    assert set(frame["decision"]) <= {"eligible", "ineligible", "undetermined", "error", "eligible_with_conditions"}


def test_a_boards_own_list_comes_back_in_its_order_with_skipped_rows(capsys, tmp_path) -> None:
    """A list in Vietnamese headings with STT and Ghi chú and a totals row: the workbook gives the
    board's columns back in the board's order, and the totals row as skipped, with the reason."""
    src = tmp_path / "danh-sach.csv"
    src.write_text(
        "STT,Họ và tên,Ngày sinh,Đảng viên,Xã,Thôn/xóm,Mã thôn,Loại thôn,Số hộ,Chức danh đề nghị,Tỷ lệ phiếu bầu,Ghi chú\n"
        "1,Nguyễn Văn Hùng,15/03/1978,Chính thức,Nghi Phong,Xóm 5,NL-05,Thôn,245,Bí thư chi bộ kiêm trưởng thôn,68%,mới\n"
        "2,Lê Thị Mai,02/11/1985,Dự bị,Nghi Phong,Xóm 6,NL-06,Thôn,180,Trưởng thôn,55%,\n"
        "Tổng cộng,,,,,,,,425,,,\n", encoding="utf-8")
    out = tmp_path / "ket-qua.xlsx"
    code = run(["batch", str(src), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    sheet = openpyxl.load_workbook(out)["Kết quả"]
    head = [c.value for c in sheet[1]]
    answer = head.index("Kết luận")
    assert head[:answer] == ["Dòng", "STT", "Họ và tên", "Ngày sinh", "Đảng viên", "Xã", "Thôn/xóm", "Mã thôn", "Loại thôn",
                             "Số hộ", "Chức danh đề nghị", "Tỷ lệ phiếu bầu", "Ghi chú"]  # the whole row, in its order
    rows = _rows(sheet)[1:]
    assert [r[1] for r in rows] == ["1", "2", "Tổng cộng"] and rows[0][head.index("Ghi chú")] == "mới"  # as the board wrote them
    assert rows[2][answer] == "bỏ qua" and rows[2][answer + 1]  # the reason it is no case


def test_a_passed_through_number_column_comes_back_as_numbers() -> None:
    """A board's STT read from number cells is text "1.0" in the engine's output: numbers again
    in the workbook; a code written "05" stays text."""
    frame = _frame().with_columns(pl.Series("STT", ["1.0", "2.0", None]), pl.Series("Mã số", ["05", "06", "07"]))
    sheet = _book(frame)["Kết quả"]
    head = [c.value for c in sheet[1]]
    rows = _rows(sheet)[1:]
    assert [r[head.index("STT")] for r in rows] == [1, 2, None]
    assert [r[head.index("Mã số")] for r in rows] == ["05", "06", "07"]

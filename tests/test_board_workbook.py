"""The board's own workbook, read as it is (issue 17): title rows, Vietnamese headings and values,
Excel dates, percentages, a totals row, signature lines, a second sheet; nothing renamed by hand."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cli import run
from engine.contract.case import Candidate
from tests.boards import district


def _batch(capsys, *args: str) -> tuple[int, str, str]:
    code = run(["batch", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("boards")
    return district.build(folder / "ds.xlsx"), district.build(folder / "ds-wrong.xlsx", wrong=True)


def test_the_district_list_is_read_with_no_flag(capsys, tmp_path, workbooks) -> None:
    out = tmp_path / "ket-qua.csv"
    code, _, err = _batch(capsys, str(workbooks[0]), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out))
    assert code == 0, err
    res = pl.read_csv(out, infer_schema=False)
    people = res.filter(pl.col("row").cast(pl.Int64).is_in(district.PEOPLE_ROWS))
    assert people["name"].to_list() == [p[0] for p in district.PEOPLE]
    assert people["hamlet_id"].to_list()[0] == "Nghi Phong / Đồn Dừa"  # no id column: the hamlet by its names
    by = {r["name"]: r for r in people.to_dicts()}
    assert by["Nguyễn Quang Biên"]["decision"] == "eligible"
    assert by["Trần Thị Hoa"]["failing"] == "vn.secretary.full_member"  # "Dự bị": probationary
    assert by["Lê Văn Cường"]["failing"] == "vn.head.standing"  # "Khiển trách": disciplined
    assert by["Hồ Thị Em"]["decision"] == "eligible" and by["Phạm Văn Dũng"]["decision"] == "eligible"
    assert by["Nguyễn Quang Biên"]["STT"] == "1" and by["Nguyễn Quang Biên"]["Ghi chú"] == "Tái cử"  # passed through
    rest = res.filter(~pl.col("row").cast(pl.Int64).is_in(district.PEOPLE_ROWS))
    assert set(rest["decision"]) == {"skipped"} and rest.height == 7  # totals, blank, signature lines: none lost
    totals = rest.filter(pl.col("row") == str(district.TOTALS_ROW))
    assert totals["note"][0] == "hàng tổng cộng" and totals["hamlet_id"][0] is None
    assert res["row"].to_list() == [str(r) for r in range(district.HEADER_ROW + 1, district.HEADER_ROW + 13)]


def test_three_wrong_cells_in_one_row_are_reported_at_once(capsys, tmp_path, workbooks) -> None:
    out, errs = tmp_path / "o.csv", tmp_path / "e.csv"
    code, _, _ = _batch(capsys, str(workbooks[1]), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out),
                        "--errors", str(errs))
    assert code == 1
    e = pl.read_csv(errs, infer_schema=False)
    assert e["row"].to_list() == ["7"] * 3
    assert e["column"].to_list() == ["Ngày sinh", "Giới tính", "Tỷ lệ phiếu bầu"]  # the board's own headings
    assert "Nam, Nữ" in e["error"][1]  # the words the board writes, not codes


def test_the_mapping_report_and_dry_run(capsys, tmp_path, workbooks) -> None:
    out = tmp_path / "never.csv"
    code, stdout, _ = _batch(capsys, str(workbooks[0]), "--pack", "vn.nghe-an", "-o", str(out), "--dry-run")
    assert code == 0 and not out.exists()
    assert "trang tính 'Danh sách', tiêu đề ở hàng 5" in stdout
    assert "Đảng viên tại chỗ   → số đảng viên tại chỗ (hamlet_local_party_members)" in stdout
    assert "Đảng viên           → tình trạng đảng viên (party_status)" in stdout  # whole headings, never substrings
    assert "STT, Ghi chú" in stdout


def test_sheet_and_header_row_and_a_provinces_own_headings(capsys, tmp_path, workbooks) -> None:
    out = tmp_path / "o.csv"
    code, _, err = _batch(capsys, str(workbooks[0]), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out),
                          "--sheet", "danh sách", "--header-row", "5")
    assert code == 0, err
    code, _, err = _batch(capsys, str(workbooks[0]), "--pack", "vn", "-o", str(out), "--sheet", "Bảng 2")
    assert code == 2 and "'Danh sách', 'Ghi chú'" in err
    src = tmp_path / "own.csv"
    src.write_text("Tên xóm,Loại,Họ tên cán bộ,Đảng viên,Chức danh\nĐồn Dừa,Thôn,Nguyễn Văn A,Chính thức,Bí thư chi bộ kiêm trưởng thôn\n",
                   encoding="utf-8")
    mapping = tmp_path / "cot.yaml"
    mapping.write_text('"Tên xóm": hamlet_name\n"Họ tên cán bộ": name\n', encoding="utf-8")
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2024-06-01", "-o", str(out), "--columns", str(mapping))
    assert code == 0, err
    row = pl.read_csv(out, infer_schema=False).row(0, named=True)
    assert row["name"] == "Nguyễn Văn A" and row["hamlet_id"] == "Đồn Dừa"


def test_two_headings_for_one_column_are_refused(capsys, tmp_path) -> None:
    src = tmp_path / "two.csv"
    src.write_text("Thôn/xóm,Tên thôn,Họ và tên,Ngày sinh\nA,A,B,01/01/1980\n", encoding="utf-8")
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and "'Thôn/xóm' and 'Tên thôn' both name the column hamlet_name" in err


def test_a_word_that_says_less_stays_less() -> None:
    """'Có' in a 'Đảng viên' column: a member of unknown standing, never a full member."""
    c = Candidate(id="a", party_status="Có")
    assert c.party_status is None and c.party_member is True
    assert Candidate(id="b", party_status="Dự bị").party_member is True
    assert Candidate(id="c", party_status="Không").party_member is False
    with pytest.raises(ValueError):
        Candidate(id="d", party_status="none", party_member=True)


def test_the_results_workbook_a_board_hands_round(capsys, tmp_path, workbooks) -> None:
    """Opened as a clerk would: the whole row in the board's own headings, then the answer in words;
    the summary and every problem on their own sheets."""
    import openpyxl

    out = tmp_path / "ket-qua.xlsx"
    code, _, err = _batch(capsys, str(workbooks[1]), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out))
    assert code == 1 and "xem trang Lỗi của" in err  # not "the error column": the workbook has an errors sheet
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["Kết quả", "Tổng hợp", "Lỗi"]
    sheet = book["Kết quả"]
    head = [c.value for c in sheet[1]]
    assert head[:18] == ["Dòng", *district.HEADINGS]  # the input's own columns first, in its order
    assert head[18] == "Kết luận" and sheet.freeze_panes is not None and sheet.auto_filter.ref
    first = {h: c.value for h, c in zip(head, sheet[2])}
    assert first["Ngày sinh"] == "12/03/1975" and first["Tỷ lệ phiếu bầu"] == "68 %"  # as a board writes them
    assert first["Kết luận"] == "đủ điều kiện" and first["Ghi chú"] == "Tái cử"
    wrong = {h: c.value for h, c in zip(head, sheet[3])}
    assert wrong["Kết luận"] == "lỗi" and wrong["Ngày sinh"] == "31/02/1982"  # a cell not read stays as given
    errors = [[c.value for c in row] for row in book["Lỗi"].iter_rows(min_row=2) if any(c.value for c in row)]
    assert [r[:2] for r in errors if r[0] == 7] == [[7, "Ngày sinh"], [7, "Giới tính"], [7, "Tỷ lệ phiếu bầu"]]


def test_a_member_of_unknown_standing_in_a_table(capsys, tmp_path) -> None:
    """'Có' under Đảng viên: the member's rule holds (no advisory), the full member's is undetermined;
    a membership column that contradicts the status is an error naming it."""
    src = tmp_path / "dv.csv"
    src.write_text("Mã thôn,Loại thôn,Số hộ,Họ và tên,Đảng viên,Là đảng viên,Chức danh đề nghị,Tỷ lệ phiếu bầu\n"
                   "h1,Thôn,200,A,Có,,Trưởng thôn,70%\n"
                   "h2,Thôn,200,B,Có,,Bí thư chi bộ kiêm trưởng thôn,70%\n"
                   "h3,Thôn,200,C,Chính thức,Không,Trưởng thôn,70%\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, _ = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2024-06-01", "-o", str(out), "--lang", "en")
    rows = {r["hamlet_id"]: r for r in pl.read_csv(out, infer_schema=False).to_dicts()}
    assert code == 1
    assert "nghe-an.head.party-member" not in (rows["h1"]["advisories"] or "")  # a member: the direction is met
    assert "candidate.party_status" not in (rows["h1"]["missing"] or "")  # the head's rules do not need the standing
    assert rows["h2"]["decision"] in ("undetermined", "ineligible") and "candidate.party_status" in rows["h2"]["missing"]
    assert rows["h3"]["decision"] == "error" and rows["h3"]["error"].startswith("Là đảng viên: disagrees with the column Đảng viên")


def test_the_column_numbers_under_the_header_are_no_case(capsys, tmp_path) -> None:
    """Official lists number their columns under the header, "(1) (2) (3) …": a row skipped, never
    an error row nor a hamlet called "(2)", even in a table whose every row has a Mã thôn."""
    src = tmp_path / "so-cot.csv"
    src.write_text("STT,Mã thôn,Thôn/xóm,Họ và tên,Ngày sinh,Giới tính\n(1),(2),(3),(4),(5),(6)\n"
                   "1,h1,Đồn Dừa,Nguyễn Văn A,12/03/1975,Nam\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2024-06-01", "-o", str(out), "--lang", "vi")
    assert code == 0, err
    rows = pl.read_csv(out, infer_schema=False)
    assert rows["decision"][0] == "skipped" and rows["note"][0] == "hàng đánh số thứ tự cột dưới tiêu đề"
    assert rows["hamlet_id"][1] == "h1" and rows["decision"][1] != "error"

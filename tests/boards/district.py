"""A district's list as an organisation board keeps it in Excel, built for the tests and the example.

Huyện ủy Nghi Lộc's list of nominees for party cell secretary cum hamlet head: a merged title above
the header, the board's Vietnamese headings, real date cells beside dd/mm/yyyy text, vote shares as
0.68 formatted 0% and as the text "68%", Vietnamese values, a "Tổng cộng" row of =SUM formulas, a
blank row and signature lines under the table, and a second sheet of notes. ``wrong`` puts three
wrong cells in one row, to check that all three are reported at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

HEADINGS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Đảng viên", "Ngày vào Đảng", "Xã", "Thôn/xóm", "Số hộ",
            "Số nhân khẩu", "Chức danh đề nghị", "Tỷ lệ phiếu bầu", "Thường trú tại thôn", "Sức khỏe", "Bị kỷ luật",
            "Đảng viên tại chỗ", "Ghi chú"]

BOTH = "Bí thư chi bộ kiêm trưởng thôn"
#: (name, birth, sex, party, joined, commune, hamlet, households, people, posts, votes, resident, health, discipline,
#:  local members, note); a date is a date cell, a text is typed as text
PEOPLE = [
    ("Nguyễn Quang Biên", date(1975, 3, 12), "Nam", "Chính thức", date(1998, 5, 19), "Nghi Phong", "Đồn Dừa", 245, 980,
     BOTH, 0.68, "Có", "Tốt", "Không", 35, "Tái cử"),
    ("Trần Thị Hoa", "08/07/1982", "Nữ", "Dự bị", date(2024, 11, 2), "Nghi Phong", "Xóm 3", 180, 720, BOTH, "68%", "Có",
     "Tốt", "Không", 12, ""),
    ("Lê Văn Cường", date(1970, 1, 30), "Nam", "Có", "", "Nghi Thái", "Hồng Lam", 210, 850, BOTH, 0.55, "Có", "Tốt",
     "Khiển trách", 20, "Chưa rõ đảng viên chính thức hay dự bị"),
    ("Phạm Văn Dũng", date(1988, 9, 14), "Nam", "Không", "", "Nghi Thái", "Phúc Lộc", 150, 610, "Trưởng thôn", 0.72,
     "Có", "Tốt", "Không", 9, ""),
    ("Hồ Thị Em", date(1979, 4, 4), "Nữ", "Chính thức", "15/06/2001", "Nghi Thái", "Thôn 5", 320, 1290, BOTH, 0.9, "Có",
     "Tốt", "Không", 41, ""),
]
#: the header's row as the sheet shows it (three title rows and a blank row above it)
HEADER_ROW = 5


def build(path: Path, wrong: bool = False) -> Path:
    """Write the workbook; with ``wrong``, row 7 (Trần Thị Hoa) has three wrong cells."""
    from xlsxwriter import Workbook

    book = Workbook(str(path))
    book.set_properties({"created": __import__("datetime").datetime(2025, 5, 20)})
    title = book.add_format({"bold": True, "align": "center"})
    head = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"})
    day = book.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    pct = book.add_format({"num_format": "0%", "border": 1})
    cell = book.add_format({"border": 1})
    sheet = book.add_worksheet("Danh sách")
    last = len(HEADINGS) - 1
    sheet.merge_range(0, 0, 0, 5, "HUYỆN ỦY NGHI LỘC", title)
    sheet.merge_range(1, 0, 1, last, "DANH SÁCH NHÂN SỰ DỰ KIẾN BÍ THƯ CHI BỘ KIÊM TRƯỞNG THÔN, NHIỆM KỲ 2025–2027", title)
    sheet.merge_range(2, 0, 2, last, "(Kèm theo Tờ trình số 15-TTr/HU ngày 20/5/2025)", title)
    for j, text in enumerate(HEADINGS):
        sheet.write(HEADER_ROW - 1, j, text, head)
    first = HEADER_ROW  # 0-based row of the first person
    for i, person in enumerate(PEOPLE):
        r = first + i
        values = list(person)
        if wrong and i == 1:
            values[1] = "31/02/1982"  # no such day
            values[2] = "Không rõ"  # no sex
            values[10] = "1,68"  # above 100 %
        sheet.write_number(r, 0, i + 1, cell)
        for j, value in enumerate(values, start=1):
            if isinstance(value, date):
                sheet.write_datetime(r, j, __import__("datetime").datetime(value.year, value.month, value.day), day)
            elif isinstance(value, float):
                sheet.write_number(r, j, value, pct)
            elif isinstance(value, int):
                sheet.write_number(r, j, value, cell)
            elif value == "":
                sheet.write_blank(r, j, None, cell)
            else:
                sheet.write_string(r, j, value, cell)
    total = first + len(PEOPLE)
    sheet.merge_range(total, 0, total, 1, "Tổng cộng", head)
    for j in (8, 9, 15):
        col = chr(ord("A") + j)
        sheet.write_formula(total, j, f"=SUM({col}{first + 1}:{col}{total})", head,
                            sum(p[j - 1] for p in PEOPLE))  # the cached value a spreadsheet would show
    sign = total + 2
    sheet.write_string(sign, 1, "NGƯỜI LẬP BIỂU", title)
    sheet.write_string(sign, 11, "T/M BAN THƯỜNG VỤ", title)
    sheet.write_string(sign + 1, 1, "(Ký, ghi rõ họ tên)")
    sheet.write_string(sign + 1, 11, "PHÓ BÍ THƯ THƯỜNG TRỰC")
    sheet.write_string(sign + 4, 1, "Nguyễn Văn Lập")
    sheet.write_string(sign + 4, 11, "Trần Văn Bình")
    notes = book.add_worksheet("Ghi chú")
    notes.write_string(0, 0, "Danh sách do Ban Tổ chức Huyện ủy lập, số liệu dân số tính đến 31/12/2024.")
    book.close()
    return path


#: the sheet rows of the people, the totals row and the signature lines
PEOPLE_ROWS = list(range(HEADER_ROW + 1, HEADER_ROW + 1 + len(PEOPLE)))
TOTALS_ROW = HEADER_ROW + 1 + len(PEOPLE)

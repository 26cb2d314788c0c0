"""The table of headings and the words for codes: each heading names one column, each word one code."""

from __future__ import annotations

from engine.contract import words
from engine.io import headings
from engine.contract.case import Case
from engine.contract.fields import catalogue


def test_no_heading_names_two_columns() -> None:
    assert headings.shipped_clashes() == ()


def test_headings_are_compared_whole_after_normalising() -> None:
    table = headings.shipped()
    assert table.column("Thôn / Xóm") == table.column("THÔN/XÓM") == "hamlet_name"
    assert table.column("Đảng viên") == "party_status"
    assert table.column("Đảng viên tại chỗ") == "hamlet_local_party_members"
    assert table.column("Đảng viên (tại chỗ) ghi chú") is None  # no substring match
    assert table.column("unit_kind") == "hamlet_kind" and table.column("Hamlet ID") == "hamlet_id"


def test_every_heading_and_word_names_a_real_column_and_code() -> None:
    cat = catalogue()
    for field, by_code in words.vocabulary().written.items():
        assert cat[field].values is not None and set(by_code) <= set(cat[field].values), field
    assert words.vocabulary().clashes == ()
    for field in words.flag_fields():
        assert cat[field].kind == "bool"


def test_a_dossier_reads_the_boards_words() -> None:
    case = Case.model_validate({"hamlet": {"id": "h", "kind": "Tổ dân phố", "area": ["Miền núi", "Biên giới"]},
                                "candidate": {"id": "c", "sex": "Nữ", "party_status": "Dự bị", "health_ok": "Tốt",
                                              "disciplined": "Không"},
                                "posts": ["Bí thư chi bộ", "Trưởng thôn"]})
    assert case.hamlet.kind == "residential_group" and case.hamlet.area == ["border", "mountainous"]
    assert case.candidate is not None and case.candidate.sex == "female" and case.candidate.party_member is True
    assert case.candidate.health_ok is True and case.candidate.disciplined is False
    assert case.posts == ["party_cell_secretary", "hamlet_head"]

"""The phrasebook: every step sentence a drafter may use in a feature, in Vietnamese and English.

This is the contract between drafters and the step library (``engine.bdd.steps``): each step
has one implementation and a sentence in each language. ``kiemnhiem steps --lang vi`` prints it;
the feature linter (``engine.bdd.featurelint``) checks every step line against it, so a typo is an
error with its file and line rather than a silently skipped step.

Parameters are written in double quotes or as bare words at the end; values are read with the
helpers below (numbers with either thousands separator, shares as ``46 %`` or ``0.46``, yes/no in
both languages), so a table copied from a Vietnamese spreadsheet works as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.contract import cells
from engine.errors import InputError, Where
from engine.i18n import DECISIONS, STATUSES
from engine.contract.fields import FieldType, catalogue


@dataclass(frozen=True)
class Step:
    key: str
    kind: str  # given / when / then
    vi: str
    en: str
    params: dict[str, str]
    example_vi: str
    example_en: str

    def sentence(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


STEPS: tuple[Step, ...] = (
    Step("pack", "given", 'gói quy tắc "{pack}"', 'the rule pack "{pack}"',
         {"pack": "pack id (kiemnhiem rules list)"}, 'Cho gói quy tắc "vn.nghe-an"', 'Given the rule pack "cn.hainan"'),
    Step("as_of", "given", "ngày xét là {day}", "the as-of date is {day}",
         {"day": "YYYY-MM-DD"}, "Và ngày xét là 2021-06-01", "And the as-of date is 2025-01-01"),
    Step("hamlet", "given", "một thôn:", "a hamlet:",
         {"table": "rows | field | value | with hamlet fields (id, kind, households, area, …)"},
         "Cho một thôn:\n  | households | 420 |", "Given a hamlet:\n  | population | 450 |"),
    Step("candidate", "given", "một ứng viên:", "a candidate:",
         {"table": "rows | field | value | with candidate fields (birth_date, party_status, …)"},
         "Và một ứng viên:\n  | party_status | full |", "And a candidate:\n  | vote_share | 71 % |"),
    Step("set_field", "given", 'trường "{field}" là "{value}"', 'field "{field}" is "{value}"',
         {"field": "hamlet.X or candidate.X", "value": "the value, empty for none"},
         'Và trường "candidate.vote_share" là "46 %"', 'And field "hamlet.population" is "999"'),
    Step("unset_field", "given", 'trường "{field}" để trống', 'field "{field}" is not given',
         {"field": "hamlet.X or candidate.X"}, 'Và trường "candidate.health_ok" để trống',
         'And field "candidate.vote_share" is not given'),
    Step("posts", "given", 'các chức danh "{posts}"', 'the posts "{posts}"',
         {"posts": "post ids, comma-separated"}, 'Và các chức danh "party_cell_secretary, hamlet_head"',
         'And the posts "party_cell_secretary, hamlet_head"'),
    Step("post_allowance", "given", 'phụ cấp của chức danh "{post}" là {amount}', 'the allowance of post "{post}" is {amount}',
         {"post": "post id", "amount": "monthly amount in the currency's unit"},
         'Và phụ cấp của chức danh "hamlet_head" là 2.340.000', 'And the allowance of post "hamlet_head" is 1,800'),
    Step("evaluate", "when", "xét hồ sơ", "the case is evaluated", {}, "Khi xét hồ sơ", "When the case is evaluated"),
    Step("decision", "then", 'kết luận là "{decision}"', 'the decision is "{decision}"',
         {"decision": "eligible / eligible_with_conditions / ineligible / undetermined / not_applicable, or its words"},
         'Thì kết luận là "đủ điều kiện"', 'Then the decision is "ineligible"'),
    Step("criterion", "then", 'tiêu chí "{rule}" là "{status}"', 'criterion "{rule}" is "{status}"',
         {"rule": "criterion id", "status": "pass / fail / unknown / waived / not_applicable, or đạt / không đạt / …"},
         'Và tiêu chí "vn.head.min_age" là "không đạt"', 'And criterion "cn.head.elected" is "pass"'),
    Step("condition", "then", 'có điều kiện kèm theo "{exception}"', 'the condition of "{exception}" applies',
         {"exception": "exception id"}, 'Và có điều kiện kèm theo "nghe-an.exception.non-member-head"',
         'And the condition of "cn.x" applies'),
    Step("missing", "then", 'còn thiếu "{field}"', '"{field}" is missing',
         {"field": "a case field or params.X"}, 'Và còn thiếu "candidate.vote_share"', 'And "candidate.vote_share" is missing'),
    Step("fund", "then", "quỹ phụ cấp hằng tháng là {amount}", "the monthly fund is {amount}",
         {"amount": "amount, or chưa xác định / undetermined"}, "Thì quỹ phụ cấp hằng tháng là 14.040.000",
         "Then the monthly fund is 10,530,000"),
    Step("fund_coefficient", "then", "hệ số quỹ là {coefficient}", "the fund coefficient is {coefficient}",
         {"coefficient": "e.g. 6,0 or 4.5"}, "Và hệ số quỹ là 6,0", "And the fund coefficient is 4.5"),
    Step("line_amount", "then", 'phụ cấp dòng "{post}" là {amount}', 'the allowance line "{post}" is {amount}',
         {"post": "post id (or grant id)", "amount": "amount, or chưa xác định / undetermined"},
         'Và phụ cấp dòng "hamlet_head" là 1.755.000', 'And the allowance line "hamlet_head" is undetermined'),
    Step("line_rate", "then", 'tỷ lệ phụ cấp dòng "{post}" là {rate}', 'the rate of line "{post}" is {rate}',
         {"post": "post id", "rate": "e.g. 75 % or 0.75"}, 'Và tỷ lệ phụ cấp dòng "hamlet_head" là 75 %',
         'And the rate of line "hamlet_head" is 100 %'),
    Step("total", "then", "tổng phụ cấp hằng tháng là {amount}", "the monthly allowance total is {amount}",
         {"amount": "amount, or chưa xác định / undetermined"}, "Và tổng phụ cấp hằng tháng là 3.510.000",
         "And the monthly allowance total is undetermined"),
    Step("yearly", "then", "tổng hỗ trợ hằng năm là {amount}", "the yearly total is {amount}",
         {"amount": "amount, or chưa xác định / undetermined"}, "Và tổng hỗ trợ hằng năm là 50.000",
         "And the yearly total is 50,000"),
    Step("counterfactual", "then", 'điều cần thay đổi nêu "{text}"', 'what would have to change mentions "{text}"',
         {"text": "words of the counterfactual sentence"}, 'Và điều cần thay đổi nêu "trên 50 %"',
         'And what would have to change mentions "below 1,000"'),
)

KEYWORDS = {
    "vi": {"given": ("Cho", "Biết"), "when": ("Khi",), "then": ("Thì",), "and": ("Và", "Nhưng", "*")},
    "en": {"given": ("Given",), "when": ("When",), "then": ("Then",), "and": ("And", "But", "*")},
}

UNDETERMINED_WORDS = {"chưa xác định", "undetermined", "null", "none", "—"}


def _words_to_ids(table: dict[str, tuple[str, str]]) -> dict[str, str]:
    out = {}
    for key, (vi, en) in table.items():
        out[key] = key
        out[vi.lower()] = key
        out[en.lower()] = key
    return out


DECISION_WORDS = _words_to_ids(DECISIONS)
STATUS_WORDS = _words_to_ids(STATUSES)


def step_regex(pattern: str) -> re.Pattern[str]:
    """The sentence as a regular expression with one named group per parameter.

    The step library binds steps with it and the linter checks lines with it, so the two can
    never disagree. A parameter may be empty (an empty Examples cell means "not given")."""
    parts = re.split(r"(\{[a-z_]+\})", pattern)
    regex = "".join(f"(?P<{p[1:-1]}>.*?)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


def parse_number(text: str) -> Decimal:
    """``1.755.000`` / ``1,755,000`` / ``1755000`` / ``4,5`` / ``4.5`` → Decimal (``engine.contract.cells``)."""
    try:
        return cells.parse_decimal(text)
    except cells.CellError as exc:
        raise ValueError(f"{text!r}: expected {exc.en} / cần {exc.vi}") from None


def parse_amount(text: str) -> int | None:
    if text.strip().lower() in UNDETERMINED_WORDS:
        return None
    value = parse_number(text)
    if value != value.to_integral_value():
        raise ValueError(f"{text!r} is not a whole amount / không phải số tiền nguyên")
    return int(value)


def parse_share(text: str) -> Decimal:
    """A rate or share as a feature writes it: ``75 %``, ``0,75``; a rate may exceed 1 only
    with ``%`` (a rate above 100 % is a proposal's to make, and lint's to question)."""
    t = text.strip()
    if t.endswith("%"):
        return parse_number(t[:-1]) / 100
    return parse_number(t)


def parse_field_value(path: str, text: str) -> Any:
    """A table cell as the value of a case field; an empty cell means 'not given'."""
    ft: FieldType | None = catalogue().get(path)
    if ft is None:
        known = ", ".join(p for p in catalogue() if p.split(".")[0] == path.split(".")[0])
        raise InputError(en=f"unknown field {path!r}; known: {known}", vi=f"không có trường {path!r}; các trường: {known}",
                         where=Where(field=path))
    t = text.strip()
    if t == "" or t.lower() in ("-", "—"):
        return None
    try:
        if ft.kind == "bool":
            return cells.parse_bool(t)
        if ft.kind == "number":
            return float(cells.parse_share(t)) if ft.share else cells.parse_whole(t)
        if ft.kind == "date":
            return cells.parse_date(t).isoformat()
        if ft.kind == "list":
            return list(cells.split_list(t))  # [] for "không"/"none": known, no tags at all
        return t
    except cells.CellError as exc:
        raise InputError(en=f"{path}: expected {exc.en} (given: {t!r})", vi=f"{path}: cần {exc.vi} (nhận được: {t!r})",
                         where=Where(field=path)) from None
    except ValueError as exc:
        raise InputError(en=f"{path}: {exc}", vi=f"{path}: giá trị không hợp lệ {t!r}", where=Where(field=path)) from None


def render(lang: str) -> str:
    """The phrasebook as text, grouped by step kind."""
    heads = {"vi": {"given": "CHO (bối cảnh, hồ sơ)", "when": "KHI (hành động)", "then": "THÌ (kiểm tra)"},
             "en": {"given": "GIVEN (context, dossier)", "when": "WHEN (action)", "then": "THEN (checks)"}}[lang]
    kw = {"vi": {"given": "Cho", "when": "Khi", "then": "Thì"}, "en": {"given": "Given", "when": "When", "then": "Then"}}[lang]
    out = []
    for kind in ("given", "when", "then"):
        out.append(heads[kind])
        for s in STEPS:
            if s.kind != kind:
                continue
            out.append(f"  {kw[kind]} {s.sentence(lang)}")
            for name, doc in s.params.items():
                out.append(f"      {name}: {doc}")
            example = s.example_vi if lang == "vi" else s.example_en
            out.append("      " + ("ví dụ" if lang == "vi" else "example") + ": " + example.replace("\n", "\n               "))
        out.append("")
    out.append("Từ khóa: Tính năng, Bối cảnh, Kịch bản, Khung kịch bản, Dữ liệu, Cho, Khi, Thì, Và, Nhưng"
               if lang == "vi" else "Keywords: Feature, Background, Scenario, Scenario Outline, Examples, Given, When, Then, And, But")
    return "\n".join(out) + "\n"

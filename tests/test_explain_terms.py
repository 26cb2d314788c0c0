"""Explanations of computed terms and of thresholds computed from parameters.

A condition such as ``months_between(candidate.party_join_date, as_of) < params.t_years * 12``
compares a computed term with a threshold worked out from a parameter: the explanation names the
term in words (the function's label with its fields' names), gives the threshold's value and the
parameter it comes from, says so when that parameter is unset, and a counterfactual quotes the
term's current value (it is no field of the case, but it is known).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engine import api
from engine.explain.render import to_text
from engine.i18n import field_label
from test_conformance import write_pack

AS_OF = date(2025, 1, 1)
CASE = {"hamlet": {"id": "h", "country": "VN"},
        "candidate": {"id": "c", "birth_date": "1980-01-01", "party_join_date": "2021-09-15"},
        "posts": ["hamlet_head"]}  # 39 whole months of membership on the as-of date


def _decide(tmp_path: Path, condition: str, lang: str = "en"):
    rules = tmp_path / "rules"
    write_pack(rules, "vn.term", condition)
    pol = api.load_policy("vn.term", [rules])
    d = api.evaluate(pol, api.read_case(CASE, "<test>", AS_OF), AS_OF, lang=lang)
    return d, next(c for c in d.criteria if c.id == "vn.term.rule")


def test_a_function_of_fields_is_named_in_words() -> None:
    assert field_label("months_between(candidate.party_join_date, as_of)", "en") == \
        "whole months from the party join date to the as-of date"
    assert field_label("months_between(candidate.party_join_date, as_of)", "vi") == \
        "số tháng tròn từ ngày vào Đảng đến ngày xét"
    assert field_label("years_between(candidate.birth_date, as_of)", "zh") == "自出生日期至评估日期的整年数"
    # what has no words stays as written: a nested term, a function without a label
    assert field_label("months_between(len(posts), as_of)", "en") == "months_between(len(posts), as_of)"
    assert field_label("len(hamlet.area)", "en") == "len(hamlet.area)"


def test_a_threshold_computed_from_a_parameter_names_it(tmp_path: Path) -> None:
    d, c = _decide(tmp_path, "months_between(candidate.party_join_date, as_of) < params.t_years * 12")
    assert c.status == "fail"
    (compared,) = c.compared
    assert (compared.value, compared.op, compared.threshold, compared.parameter) == (39, "<", 30, "t_years")
    assert c.thresholds == {"t_years": 30}
    assert "whole months from the party join date to the as-of date = 39 (required: below 30 — Years)" in c.sentence
    (cf,) = d.counterfactuals
    assert "would pass if whole months from the party join date to the as-of date were below 30; it is 39" in cf.sentence


def test_an_unset_threshold_is_said_so_and_its_parameter_named_once(tmp_path: Path) -> None:
    d, c = _decide(tmp_path, "months_between(candidate.party_join_date, as_of) < params.t_later * 12")
    assert c.status == "unknown" and d.decision == "undetermined"
    assert d.missing == ["params.t_later"] and c.missing == ["params.t_later"]
    assert c.compared[0].threshold is None and c.compared[0].parameter == "t_later"
    assert "(required: below a value not set — Not yet in force)" in c.sentence
    assert c.sentence.endswith("; not set: «Not yet in force».")
    assert "Missing: «Not yet in force»\n" in to_text(d)  # by its title, once; the JSON keeps params.t_later
    d_vi, c_vi = _decide(tmp_path / "vi", "months_between(candidate.party_join_date, as_of) < params.t_later * 12", "vi")
    assert "dưới một mức chưa được quy định — Chưa có hiệu lực" in c_vi.sentence

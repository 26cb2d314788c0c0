"""The hamlet head's term and the interim head as rules (issue 16 §3; Circular 04/2012 Art. 12(2)(a)).

- ``vn.head.term-running`` applies to a dossier that gives ``candidate.term_start``: with the term
  unset nationally (the province chooses 2.5 or 5 years) it is undetermined, naming the parameter;
  a province pack that sets it decides, at the whole month the term completes.
- ``vn.head.interim-limit`` applies to a dossier that says ``candidate.interim``: at most 6 months
  from ``candidate.interim_since``; the vote-share reading of ``vn.head.trusted`` is not asked of an
  appointee.
- A dossier that gives none of these fields keeps exactly the answer it had before the rules.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, VN_BASE, merge, policy
from engine import api
from engine.backends.facts import add_terms, flatten
from engine.backends.reference import verdicts
from engine.batch.synth import case_data
from engine.contract.case import Case
from engine.policy.outcome import fold
from engine.policy.resolved import Policy

AS_OF = date(2025, 1, 1)
HEAD = merge(VN_BASE, {"posts": ["party_cell_secretary", "hamlet_head"]})
NEW_FIELDS = ("term_start", "interim", "interim_since")


def _with_term(pack: str, years: Any) -> Policy:
    """``pack`` as a province pack that has set the term (``--set head_term_years=…``)."""
    from engine.policy.sets import with_params

    return with_params(pack, {"head_term_years": years})


def _decide(pol: Policy, data: dict[str, Any], as_of: date = AS_OF, lang: str = "en", backend: str = "durable"):
    return api.evaluate(pol, api.read_case(data, "<test>", as_of), as_of, lang=lang, backend=backend)


def _status(d, rule: str) -> str:
    return next((c.status for c in d.criteria if c.id == rule), "not_applicable")


# -- the term --------------------------------------------------------------------------------


@pytest.mark.parametrize("pack", ["vn", "vn.nghe-an", "vn.da-nang"])
@pytest.mark.parametrize("backend", ["durable", "reference"])
def test_a_sitting_heads_term_is_undetermined_nationally_naming_the_parameter(pack: str, backend: str) -> None:
    """No source gives a province's choice, so no shipped pack sets the term: the question is open."""
    d = _decide(policy(pack), merge(HEAD, {"candidate.term_start": "2022-07-10"}), backend=backend)
    assert _status(d, "vn.head.term-running") == "unknown"
    assert d.decision == "undetermined" and d.missing == ["params.head_term_years"]
    c = next(c for c in d.criteria if c.id == "vn.head.term-running")
    assert c.missing == ["params.head_term_years"]
    assert "not set: «Term of a hamlet head»" in c.sentence  # by its title; c.missing keeps the path
    assert "whole months from the start of the current term (the election day) to the as-of date = 29" in c.sentence


def test_the_national_sentence_in_vietnamese() -> None:
    d = _decide(policy("vn"), merge(HEAD, {"candidate.term_start": "2022-07-10"}), lang="vi")
    c = next(c for c in d.criteria if c.id == "vn.head.term-running")
    assert c.title == "Trưởng thôn còn trong nhiệm kỳ … năm tính từ ngày bầu"
    assert "dưới một mức chưa được quy định — Nhiệm kỳ của trưởng thôn, tổ trưởng tổ dân phố" in c.sentence
    assert "chưa có quy định về «Nhiệm kỳ của trưởng thôn, tổ trưởng tổ dân phố»" in c.sentence


@pytest.mark.parametrize("years,start,status", [
    (5, "2020-01-02", "pass"), (5, "2020-01-01", "fail"),  # 59 / 60 whole months on 2025-01-01
    (Decimal("2.5"), "2022-07-02", "pass"), (Decimal("2.5"), "2022-07-01", "fail"),  # 29 / 30
    (Decimal("2.5"), "2022-07-31", "pass"),  # from the 31st: the 30th month is complete on 2025-01-31
])
@pytest.mark.parametrize("backend", ["durable", "reference"])
def test_a_province_that_sets_the_term_decides_it(years: Any, start: str, status: str, backend: str) -> None:
    d = _decide(_with_term("vn", years), merge(HEAD, {"candidate.term_start": start}), backend=backend)
    assert _status(d, "vn.head.term-running") == status
    assert d.decision == ("eligible" if status == "pass" else "ineligible")
    if status == "fail":
        (cf,) = [cf for cf in d.counterfactuals if cf.criterion == "vn.head.term-running"]
        assert f"were below {int(years * 12)}" in cf.sentence
        c = next(c for c in d.criteria if c.id == "vn.head.term-running")
        assert c.compared[0].parameter == "head_term_years" and c.compared[0].threshold == years * 12


def test_a_term_cannot_begin_after_the_as_of_date() -> None:
    from engine.errors import InputError

    with pytest.raises(InputError, match="term_start"):
        api.read_case(merge(HEAD, {"candidate.term_start": "2025-01-02"}), "<test>", AS_OF)


# -- the interim head ------------------------------------------------------------------------

INTERIM = merge(HEAD, {"posts": ["hamlet_head"], "candidate.interim": True, "candidate.vote_share": ...})


@pytest.mark.parametrize("since,status", [
    ("2024-07-02", "pass"), ("2024-07-01", "fail"),  # 5 / 6 whole months on 2025-01-01
    ("2025-01-01", "pass"),  # appointed that day
    ("2024-06-30", "fail"),
])
@pytest.mark.parametrize("backend", ["durable", "reference"])
def test_an_interim_head_serves_at_most_six_months(since: str, status: str, backend: str) -> None:
    d = _decide(policy("vn"), merge(INTERIM, {"candidate.interim_since": since}), backend=backend)
    assert _status(d, "vn.head.interim-limit") == status
    assert d.decision == ("eligible" if status == "pass" else "ineligible")
    # appointed, not elected: the vote-share reading is not asked of them (no vote share given)
    assert _status(d, "vn.head.trusted") == "not_applicable"


def test_an_interim_head_without_the_appointment_day_is_undetermined() -> None:
    d = _decide(policy("vn"), INTERIM)
    assert _status(d, "vn.head.interim-limit") == "unknown"
    assert d.decision == "undetermined" and d.missing == ["candidate.interim_since"]


def test_an_interim_head_beyond_six_months_is_told_what_would_have_to_change() -> None:
    d = _decide(policy("vn"), merge(INTERIM, {"candidate.interim_since": "2024-05-20"}), lang="vi")
    (cf,) = d.counterfactuals
    assert cf.criterion == "vn.head.interim-limit"
    assert "số tháng tròn từ ngày được cử tạm thời phụ trách đến ngày xét dưới 6; hiện là 7" in cf.sentence


def test_a_head_not_said_to_be_interim_is_an_elected_head() -> None:
    for interim in (False, ...):
        d = _decide(policy("vn"), merge(HEAD, {"candidate.interim": interim, "candidate.interim_since": "2020-01-01"}))
        assert _status(d, "vn.head.interim-limit") == "not_applicable"
        assert _status(d, "vn.head.trusted") == "pass" and d.decision == "eligible"


# -- every dossier without the new fields keeps its answer -----------------------------------


def _before(tmp_path: Path) -> Path:
    """A proposal that takes the pack back to before the term rules: both removed, and the
    vote-share reading without its ``when`` (as it was)."""
    criteria = yaml.safe_load((ROOT / "rules" / "vn" / "criteria.yaml").read_text(encoding="utf-8"))["criteria"]
    trusted = next(c for c in criteria if c["id"] == "vn.head.trusted")
    trusted.pop("when")
    path = tmp_path / "before.yaml"
    path.write_text(yaml.safe_dump({"remove": ["vn.head.term-running", "vn.head.interim-limit"], "criteria": [trusted]},
                                   allow_unicode=True), encoding="utf-8")
    return path


def _answer(pol: Policy, case: Case, as_of: date) -> tuple[Any, ...]:
    snap = pol.snapshot(as_of)
    env = add_terms(flatten(case, as_of), snap.terms)
    o = fold(snap, env, verdicts(snap, env))
    return (o.decision, o.statuses, o.missing, o.advisories, o.conditions, o.fund_monthly, o.monthly_total,
            o.if_appointed_total)


@pytest.mark.parametrize("pack", ["vn", "vn.nghe-an", "vn.da-nang"])
def test_a_dossier_without_the_new_fields_keeps_its_answer(tmp_path: Path, pack: str) -> None:
    now, before = policy(pack), api.load_policy(pack, proposal=_before(tmp_path))
    assert {c.id for c in before.criteria} == {c.id for c in now.criteria} - {"vn.head.term-running", "vn.head.interim-limit"}
    rng = random.Random(16)
    for as_of in (date(2021, 6, 1), date(2023, 8, 1), date(2025, 7, 1)):
        for i in range(400):
            data = case_data(rng, "VN", i, as_of)
            for name in NEW_FIELDS:
                data.get("candidate", {}).pop(name, None)
            case = Case.model_validate(data)
            assert _answer(now, case, as_of) == _answer(before, case, as_of), (as_of, data)
    day = date(2025, 6, 1)
    for example in sorted((ROOT / "examples").glob("vn*/*.yaml")):
        if example.name == "interim-head.yaml":  # the one example about the new rules
            continue
        read = api.read_dossier(yaml.safe_load(example.read_text(encoding="utf-8")), str(example), day)
        for case in (read.cases() if hasattr(read, "holders") else [read]):  # a roster: each holder's case
            assert _answer(now, case, day) == _answer(before, case, day), example


@pytest.mark.parametrize("day,decision", [(date(2021, 6, 1), "eligible"), (date(2021, 11, 9), "eligible"),
                                          (date(2021, 11, 10), "ineligible"), (date(2025, 6, 1), "ineligible")])
def test_the_interim_head_example(day: date, decision: str) -> None:
    example = ROOT / "examples" / "vn" / "interim-head.yaml"
    d = _decide(policy("vn"), yaml.safe_load(example.read_text(encoding="utf-8")), day)
    assert d.decision == decision and _status(d, "vn.head.trusted") == "not_applicable"


def test_the_term_rules_read_nothing_of_a_dossier_that_does_not_speak_of_them() -> None:
    """``known()`` guards them: not applicable, never unknown, and their fields never named missing."""
    d = _decide(policy("vn"), merge(HEAD, {"candidate.vote_share": ...}))
    assert d.decision == "undetermined" and d.missing == ["candidate.vote_share", "candidate.trusted_by_people"]
    assert {_status(d, "vn.head.term-running"), _status(d, "vn.head.interim-limit")} == {"not_applicable"}


# -- a province's table ----------------------------------------------------------------------

TABLE = """hamlet_id,hamlet_country,hamlet_kind,hamlet_households,hamlet_area,candidate_id,birth_date,party_status,permanent_residence,status,vote_share,disciplined,health_ok,posts,term_start,interim,interim_since
h1,VN,village,200,none,sitting,1980-01-01,full,có,hamlet_nonprofessional,80 %,không,có,hamlet_head,10/07/2022,,
h2,VN,village,200,none,within,1980-01-01,full,có,hamlet_nonprofessional,,không,có,hamlet_head,,có,2024-07-02
h3,VN,village,200,none,beyond,1980-01-01,full,có,hamlet_nonprofessional,,không,có,hamlet_head,,có,2024-07-01
h4,VN,village,200,none,no-day,1980-01-01,full,có,hamlet_nonprofessional,,không,có,hamlet_head,,x,
h5,VN,village,200,none,elected,1980-01-01,full,có,hamlet_nonprofessional,80 %,không,có,hamlet_head,,không,
h6,VN,village,200,none,later,1980-01-01,full,có,hamlet_nonprofessional,80 %,không,có,hamlet_head,2025-01-02,,
"""


def test_a_table_with_the_new_columns_agrees_with_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``kiemnhiem batch`` reads the columns by their contract names and answers each row as the
    one-case engine answers its dossier; a term start after the as-of date is an error row naming it."""
    import polars as pl

    from cli import run

    src, out = tmp_path / "heads.csv", tmp_path / "out.csv"
    src.write_text(TABLE, encoding="utf-8")
    assert run(["batch", str(src), "--pack", "vn", "--as-of", "2025-01-01", "-o", str(out)]) == 1  # one error row
    capsys.readouterr()
    rows = {r["candidate_id"]: r for r in pl.read_csv(out, infer_schema_length=0).to_dicts()}
    assert rows["later"]["decision"] == "error" and "term_start" in rows["later"]["error"]
    want = {"sitting": ("undetermined", "params.head_term_years"), "within": ("eligible", None),
            "beyond": ("ineligible", None), "no-day": ("undetermined", "candidate.interim_since"),
            "elected": ("eligible", None)}
    for cid, (decision, missing) in want.items():
        assert (rows[cid]["decision"], rows[cid]["missing"] or None) == (decision, missing), cid
    assert rows["beyond"]["failing"] == "vn.head.interim-limit"
    frame = pl.read_csv(src, infer_schema_length=0)
    for r in frame.filter(pl.col("candidate_id") != "later").to_dicts():  # the same row as a dossier
        cand = {k: v for k, v in r.items() if not k.startswith("hamlet_") and k not in ("candidate_id", "posts") and v}
        data = {"hamlet": {k[len("hamlet_"):]: v for k, v in r.items() if k.startswith("hamlet_") and v},
                "candidate": {"id": r["candidate_id"], **cand}, "posts": [r["posts"]]}
        data["hamlet"]["area"] = []
        assert _decide(policy("vn"), data).decision == rows[r["candidate_id"]]["decision"], r["candidate_id"]

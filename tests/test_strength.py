"""Normative strength (issue 16): a failing *must* refuses, a failing *should* advises, a *may*
is a permission whose absence never refuses; informational notes never decide.

Every case engine (durable, reference) and the columnar engine must agree, so each check runs the
same rows through both: a batch row's ``failing``/``advisories`` and a dossier's decision.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from conftest import VN_BASE, merge
from engine import api
from engine.backends import columnar
from engine.backends.facts import flatten
from engine.errors import KiemnhiemError
from engine.policy.lattice import COUNTS, PERMISSION_USED, STATUSES, counted
from engine.policy.loader import load_policy

AS_OF = date(2025, 1, 1)


def _proposal(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "proposal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEALTH_AS = """criteria:
  - id: vn.head.health
    title: {{vi: "Trưởng thôn có sức khỏe", en: "The hamlet head is in good health"}}
    strength: {strength}
    posts: [hamlet_head]
    condition: candidate.health_ok
    source: {{doc: circular-04-2012, article: "Art. 11(1)"}}
"""


def _both(policy, data: dict, as_of: date = AS_OF) -> tuple:
    """The decision of one dossier from every case engine, and the columnar engine's row."""
    case = api.read_case(data, "<test>", as_of)
    decisions = [api.evaluate(policy, case, as_of, backend=b) for b in ("durable", "reference")]
    assert decisions[0].model_dump(exclude={"engine"}) == decisions[1].model_dump(exclude={"engine"})
    row = columnar.compiled(policy.snapshot(as_of)).evaluate(columnar.frame_from_envs([flatten(case, as_of)]))
    return decisions[0], row.select(pl.col("decision", "failing", "advisories").cast(pl.String)).row(0, named=True)


def test_the_lattice_keeps_each_strength_apart() -> None:
    assert COUNTS["must"] == {s: s for s in STATUSES}
    for weak in ("should", "may"):  # never ineligible, never undetermined by itself
        assert "fail" not in COUNTS[weak].values() and "unknown" not in COUNTS[weak].values()
        assert COUNTS[weak]["waived"] == "waived"  # an exception's obligation still applies
    assert counted(*PERMISSION_USED[:2], obligation=True) == "waived"
    assert counted("may", "pass", obligation=False) == "pass"


@pytest.mark.parametrize("strength,decision,failing,advisories", [
    ("must", "ineligible", "vn.head.health", ""),
    ("should", "eligible", "", "vn.head.health"),
    ("may", "eligible", "", "vn.head.health"),
])
def test_the_same_failing_rule_refuses_or_advises_by_its_strength(tmp_path, strength, decision, failing,
                                                                 advisories) -> None:
    policy = load_policy("vn", proposal=_proposal(tmp_path, HEALTH_AS.format(strength=strength)))
    d, row = _both(policy, merge(VN_BASE, {"candidate.health_ok": False}))
    assert (d.decision, row["decision"]) == (decision, decision)
    assert (row["failing"], row["advisories"]) == (failing, advisories)
    assert [a.criterion for a in d.advisories] == ([advisories] if advisories else [])
    assert next(c for c in d.criteria if c.id == "vn.head.health").strength == strength
    if strength != "must":
        assert not d.counterfactuals and d.advisories[0].kind == {"should": "contrary", "may": "outside"}[strength]


def test_an_unknown_should_leaves_nothing_open_and_names_nothing_missing(tmp_path) -> None:
    policy = load_policy("vn", proposal=_proposal(tmp_path, HEALTH_AS.format(strength="should")))
    d, row = _both(policy, merge(VN_BASE, {"candidate.health_ok": ...}))
    assert (d.decision, row["decision"]) == ("eligible", "eligible")
    assert d.missing == [] and d.advisories == []
    assert next(c for c in d.criteria if c.id == "vn.head.health").status == "unknown"


def test_a_permission_that_covers_the_case_brings_its_obligation_and_outside_it_the_rules_above_decide() -> None:
    policy = api.load_policy("vn.nghe-an")
    as_of = date(2021, 6, 1)
    staff = merge(VN_BASE, {"candidate.status": "commune_civil_servant", "candidate.permanent_residence": False,
                            "posts": ["party_cell_secretary"]})
    inside, row = _both(policy, merge(staff, {"hamlet.local_party_members": 2}), as_of)
    assert (inside.decision, row["decision"]) == ("eligible_with_conditions", "eligible_with_conditions")
    assert [c.id for c in inside.conditions] == ["nghe-an.secretary.special-hamlet-reinforcement"]
    outside, row = _both(policy, merge(staff, {"hamlet.local_party_members": 5}), as_of)
    assert (outside.decision, row["decision"]) == ("eligible", "eligible")
    assert "nghe-an.secretary.special-hamlet-reinforcement" in row["advisories"].split(";")
    # the rules above still refuse what they refuse: a probationary member cannot be secretary
    refused, row = _both(policy, merge(staff, {"hamlet.local_party_members": 2, "candidate.party_status": "probationary"}),
                         as_of)
    assert (refused.decision, row["decision"], row["failing"]) == ("ineligible", "ineligible", "vn.secretary.full_member")


def test_an_obligation_belongs_to_a_permission_only(tmp_path) -> None:
    bad = HEALTH_AS.format(strength="should") + "    obligation: {vi: x, en: x}\n"
    with pytest.raises(KiemnhiemError) as err:
        load_policy("vn", proposal=_proposal(tmp_path, bad))
    assert "strength: may" in str(err.value)


def test_notes_are_shown_where_they_surely_apply_and_never_decide() -> None:
    policy = api.load_policy("vn.nghe-an")
    as_of = date(2021, 6, 1)
    few = merge(VN_BASE, {"hamlet.local_party_members": 2})
    d_few, _ = _both(policy, few, as_of)
    d_many, _ = _both(policy, merge(VN_BASE, {"hamlet.local_party_members": 12}), as_of)
    d_unknown, _ = _both(policy, merge(VN_BASE, {"hamlet.local_party_members": ...}), as_of)
    cell = lambda d: [n.id for n in d.notes if n.id != "vn.note.head-term"]  # noqa: E731 (the term: every head)
    assert cell(d_few) == ["vn.note.party-cell-minimum", "nghe-an.note.project01-reinforce"]
    assert cell(d_many) == [] and cell(d_unknown) == []  # unknown: no note rather than a guess
    assert "vn.note.head-term" in [n.id for n in d_many.notes]
    assert d_few.decision == d_many.decision == "eligible"

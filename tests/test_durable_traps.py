"""The durable-rules 2.0.28 traps listed in DESIGN.md, each shown to be handled."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from engine.batch.synth import cases
from conftest import VN_BASE, decide, policy
from engine import api
from engine.backends import durable as durable_backend
from engine.backends.facts import add_terms, flatten
from engine.policy.outcome import fold

AS_OF = date(2025, 1, 1)


def _outcome_key(o):
    return (o.decision, o.statuses, o.conditions, o.missing, o.fund_row, o.fund_monthly, o.monthly_total,
            [(ln.post, ln.role, ln.rate, ln.amount, ln.missing) for ln in o.lines])


@pytest.mark.parametrize("pack,country,as_of", [
    ("vn.nghe-an", "VN", date(2021, 6, 1)),
    ("vn.nghe-an", "VN", AS_OF),
    ("vn", "VN", date(2023, 8, 1)),
    ("cn.hainan", "CN", AS_OF),
    ("cn.henan", "CN", AS_OF),
])
def test_ten_thousand_cases_in_one_process_all_come_back_and_match(pack, country, as_of) -> None:
    """Beyond the 1024-session limit, with no dispatcher threads losing results."""
    pol = policy(pack)
    snap = pol.snapshot(as_of)
    n = 10_000 if pack == "vn.nghe-an" and as_of == AS_OF else 2_000
    decisions = set()
    for case in cases(n, country, as_of, seed=hash(pack) % 1000):
        env = add_terms(flatten(case, as_of), snap.terms)
        durable = fold(snap, env, durable_backend.verdicts(snap, env))
        ref = fold(snap, env, __import__("engine.backends.reference", fromlist=["verdicts"]).verdicts(snap, env))
        assert _outcome_key(durable) == _outcome_key(ref), case
        decisions.add(durable.decision)
    assert {"eligible", "ineligible", "undetermined"} <= decisions


def test_no_dispatcher_threads_are_started() -> None:
    decide("vn", VN_BASE, AS_OF)
    names = [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    assert names == []


def test_sessions_are_deleted_after_each_case() -> None:
    snap = policy("vn").snapshot(AS_OF)
    rs = durable_backend.ruleset_for(snap)
    decide("vn", VN_BASE, AS_OF)
    sid = str(rs._sid)
    with pytest.raises(Exception, match="309"):  # ERR_STATE_NOT_FOUND: the session is gone
        rs.host.get_state(rs.name, sid)


def test_two_versions_side_by_side_in_one_process(tmp_path: Path) -> None:
    proposal = tmp_path / "p.yaml"
    proposal.write_text("parameters:\n  head_min_age:\n    values:\n      2012-08-31: 25\n", encoding="utf-8")
    base = policy("vn")
    changed = api.load_policy("vn", proposal=proposal)
    assert changed.hash != base.hash
    data = dict(VN_BASE, candidate=dict(VN_BASE["candidate"], birth_date="2002-01-01"))
    case = api.read_case(data)
    for _ in range(3):  # interleaved, each in its own host
        assert api.evaluate(base, case, AS_OF).decision == "eligible"
        assert api.evaluate(changed, case, AS_OF).decision == "ineligible"
    assert durable_backend.ruleset_for(base.snapshot(AS_OF)).host is not durable_backend.ruleset_for(
        changed.snapshot(AS_OF)).host


def test_every_fact_has_an_explicit_id() -> None:
    env = {"hamlet.id": "h", "as_of": AS_OF}
    fact = durable_backend.case_fact(env, "1")
    assert fact["id"] == "case"
    # identical hamlets in different sessions do not collide as duplicates
    d1 = decide("vn", {"hamlet": {"id": "same"}}, AS_OF)
    d2 = decide("vn", {"hamlet": {"id": "same"}}, AS_OF)
    assert d1 == d2


def test_a_case_matching_no_rule_gets_a_clean_answer() -> None:
    snap = policy("cn").snapshot(AS_OF)

    class NoCaseRule(durable_backend.CompiledRuleset):
        def _compile(self):
            rules = super()._compile()
            rules.pop("case")
            return rules

    rs = NoCaseRule(snap)
    env = {"hamlet.id": "v", "as_of": AS_OF}  # a hamlet alone: no criterion, no fund in cn
    for _ in range(1100):  # past the 1024-session limit: unhandled sessions must not pile up
        v = rs.run(env)
        assert v.trace == ["no rule matched the case"]
        assert fold(snap, env, v).decision == "not_applicable"


def test_rules_past_the_32_expression_cap_are_split() -> None:
    snap = policy("vn").snapshot(AS_OF)
    rs = durable_backend.ruleset_for(snap)
    split = [name for name in rs.definition if "#" in name]
    assert split, "the 2023 fund row's unknown-formula needs several rules"
    for rule in rs.definition.values():
        for pattern in rule["all"]:
            cond = next(iter(pattern.values()))
            assert len(cond.get("$and", [cond])) <= 32


def test_numbers_python_writes_with_an_exponent_reach_the_c_engine(vn_base) -> None:
    """durable-rules' JSON parser takes no exponent; a vote share of 0.00001 (``1e-05`` in
    Python's JSON) was an internal error. Found by the dossier fuzz suite."""
    from conftest import decide, merge

    data = merge(vn_base, {"candidate.vote_share": 0.00001, "hamlet.population": 10**15})
    for backend in ("durable", "reference"):
        d = decide("vn", data, date(2021, 6, 1), backend=backend)
        assert d.decision == "ineligible", backend

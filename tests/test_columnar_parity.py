"""The columnar engine agrees with the durable-rules engine on every output field.

A few thousand generated cases per pack and date (every rule's boundary, missing fields,
exceptions, all posts and statuses); ``bench/bench_batch.py`` runs the same check on 100,000+.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from conftest import policy
from engine.backends import columnar
from engine.backends import durable as durable_backend
from engine.backends.facts import add_terms, flatten, from_row
from engine.policy.outcome import fold
from engine.contract.fields import POSTS
from engine.batch.synth import agency_cases, cases

RUNS = [
    ("vn", "VN", date(2019, 6, 24)), ("vn", "VN", date(2021, 6, 1)), ("vn", "VN", date(2023, 8, 1)),
    ("vn", "VN", date(2024, 7, 1)), ("vn.nghe-an", "VN", date(2021, 6, 1)), ("vn.nghe-an", "VN", date(2024, 1, 1)), ("vn.nghe-an", "VN", date(2023, 6, 1)),
    ("vn.da-nang", "VN", date(2025, 4, 5)), ("cn", "CN", date(2025, 1, 1)), ("cn.hubei", "CN", date(2025, 1, 1)),
    ("cn.hainan", "CN", date(2025, 1, 1)), ("cn.henan", "CN", date(2025, 1, 1)),
]


def durable_row(snap, env) -> dict:
    o = fold(snap, env, durable_backend.verdicts(snap, env))
    amounts = {f"amount_{p}": None for p in POSTS}
    for ln in o.lines:
        if ln.kind == "post":
            amounts[f"amount_{ln.post}"] = ln.amount
    yearly = [ln for ln in o.lines if ln.period == "year"]
    return {
        "decision": o.decision,
        "failing": ";".join(c for c, s in o.statuses.items() if s == "fail" and c not in o.advisories),
        "advisories": ";".join(o.advisories),
        "missing": ";".join(o.missing),
        "fund_monthly": o.fund_monthly,
        "allowance_monthly_total": o.monthly_total,
        "allowance_if_appointed_total": o.if_appointed_total,
        # with grants in the pack: 0 when no grant line applies, null when a line's amount is unknown
        "grant_yearly": (None if not snap.policy.grants else 0 if not yearly else
                         sum(ln.amount for ln in yearly) if all(ln.amount is not None for ln in yearly) else None),
        **amounts,
    }


@pytest.mark.parametrize("pack,country,as_of", RUNS, ids=[f"{p}@{d}" for p, _, d in RUNS])
def test_columnar_matches_durable_on_every_field(pack, country, as_of) -> None:
    snap = policy(pack).snapshot(as_of)
    # hamlets, and agencies (kind agency or not given: no fund, their posts unpaid by the hamlet allowance)
    envs = [add_terms(flatten(c, as_of), snap.terms)
            for c in cases(2500, country, as_of, seed=31) + agency_cases(400, country, as_of, seed=32)]
    out = columnar.compiled(snap).evaluate(columnar.frame_from_envs(envs))
    keys = list(durable_row(snap, envs[0]))
    got = out.select(keys).to_dicts()
    mismatches = []
    for env, row in zip(envs, got):
        want = durable_row(snap, env)
        if want != row:
            mismatches.append((env, {k: (want[k], row[k]) for k in keys if want[k] != row[k]}))
    assert not mismatches, mismatches[:3]
    assert len(set(out["decision"])) >= 2


# a province that has chosen the hamlet head's term (unset in every shipped pack, where the rule is
# always undetermined): the term and the interim head pass and fail at their whole-month boundaries
TERM_RUNS = [("vn", Decimal("2.5"), date(2024, 2, 29)), ("vn", 5, date(2025, 3, 31)),
             ("vn.nghe-an", 5, date(2024, 1, 1)), ("vn.da-nang", Decimal("2.5"), date(2025, 4, 5))]


@pytest.mark.parametrize("pack,years,as_of", TERM_RUNS, ids=[f"{p}+{y}y@{d}" for p, y, d in TERM_RUNS])
def test_columnar_matches_durable_on_the_term_and_the_interim_head(pack, years, as_of) -> None:
    from engine.policy.sets import with_params

    snap = with_params(pack, {"head_term_years": years}).snapshot(as_of)
    envs = [add_terms(flatten(c, as_of), snap.terms) for c in cases(2500, "VN", as_of, seed=16)]
    out = columnar.compiled(snap).evaluate(columnar.frame_from_envs(envs))
    keys = list(durable_row(snap, envs[0]))
    mismatches = [(env, row) for env, row in zip(envs, out.select(keys).to_dicts()) if durable_row(snap, env) != row]
    assert not mismatches, mismatches[:3]
    # both rules exercised both ways, in both engines (the cases reach every boundary)
    for rule, want in (("vn.head.term-running", {"pass", "fail"}), ("vn.head.interim-limit", {"pass", "fail", "unknown"})):
        failing = out["failing"].cast(pl.String).str.contains(rule, literal=True)
        statuses = {fold(snap, env, durable_backend.verdicts(snap, env)).statuses.get(rule) for env in envs}
        assert want <= statuses and failing.any(), (rule, statuses)


def test_compiled_columns_are_not_shared_across_dates() -> None:
    """Two dates with identical rules share a durable ruleset, but ages depend on the date."""
    pol = policy("vn")
    a, b = pol.snapshot(date(2024, 7, 1)), pol.snapshot(date(2025, 1, 1))
    assert a.key == b.key
    frame = columnar.frame_from_envs([{"hamlet.id": "h", "candidate.id": "c", "candidate.birth_date": date(2003, 10, 1),
                                       "posts": ("hamlet_head",)}])
    ages = [columnar.compiled(s).evaluate(frame)["candidate__age"][0] for s in (a, b)]
    assert ages == [20, 21]


def test_a_table_row_gives_back_the_facts_of_its_case() -> None:
    """Batch rows re-checked by a case back end (benchmarks, audits) must see the same facts,
    lists included: an explicit empty list stays empty, an unknown one stays unknown."""
    as_of = date(2021, 6, 1)
    envs = [flatten(c, as_of) for c in cases(300, "VN", as_of, seed=7)]
    envs += [{"as_of": as_of, "hamlet.id": "h", "hamlet.area": (), "candidate.id": "c", "posts": ("hamlet_head",)},
             {"as_of": as_of, "hamlet.id": "h2"}]
    rows = columnar.frame_from_envs(envs).to_dicts()
    assert [from_row(r, as_of) for r in rows] == envs


@pytest.mark.parametrize("births", [
    [date(1980, 2, 29), date(1996, 6, 1), date(1996, 6, 2), date(2021, 6, 1), None],  # all in the age table
    [date(1850, 6, 1), date(1980, 2, 29), date(2030, 1, 1), None],  # some outside it: computed per row
], ids=["table", "outside-table"])
def test_ages_are_exact_whether_looked_up_or_computed(births) -> None:
    from engine.lang import years_between

    as_of = date(2021, 6, 1)
    snap = policy("vn").snapshot(as_of)
    frame = columnar.frame_from_envs([{"hamlet.id": f"h{i}", "candidate.id": f"c{i}", "candidate.birth_date": b}
                                      for i, b in enumerate(births)])
    ages = columnar.compiled(snap).evaluate(frame)["candidate__age"].to_list()
    assert ages == [years_between(b, as_of) if b is not None else None for b in births]


def test_the_age_table_agrees_with_the_calendar_on_every_day() -> None:
    from engine.lang import years_between

    table = columnar.AgeTable(date(2024, 2, 29))
    days = [table.first.toordinal() + i for i in range(0, len(table.ages), 7)]
    assert all(table.ages[i * 7] == years_between(date.fromordinal(d), table.as_of) for i, d in enumerate(days))

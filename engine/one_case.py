"""One case: a back end's verdicts folded into an outcome, explained as a Decision.

The board's question ("may this person hold both posts, and what is paid?") for one dossier. The
back ends are siblings; this is where one is chosen. ``engine.api`` exposes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.backends import durable as durable_backend
from engine.backends import reference
from engine.backends.facts import add_terms, flatten
from engine.contract import constraints
from engine.contract.case import Case
from engine.contract.decision import Decision
from engine.contract.roster import Roster
from engine.errors import InputError, Where
from engine.explain.reasons import explain
from engine.policy.outcome import Outcome, fold
from engine.policy.resolved import Policy

BACKENDS = {"durable": durable_backend.verdicts, "reference": reference.verdicts}
# the name each back end signs its decisions with (``Decision.engine``)
ENGINE_LABELS = {"durable": "durable-rules", "reference": "reference"}


def check_post_country(policy: Policy, case: Case | Roster, source: str) -> None:
    """The hamlet's country, when given, is the pack's (``constraints.PACK_COUNTRY``)."""
    country = case.hamlet.country
    if country is not None and country != policy.country:
        msg = constraints.wrong_country(country, policy.id, policy.country)
        raise InputError.of(msg.code, Where(file=source, field=constraints.PACK_COUNTRY), **msg.params)


def check_as_of(policy: Policy, as_of: date) -> None:
    """An as-of date before every dated value of the pack cannot be answered."""
    starts = [start for p in policy.params.values() for start, _ in p.history]
    if starts and as_of < min(starts):
        raise InputError.of("input.as-of-before-rules", Where(field="as_of"), as_of=as_of, pack=policy.id,
                            earliest=min(starts))


def decide(policy: Policy, case: Case, as_of: date, backend: str = "durable") -> tuple[Outcome, dict[str, Any]]:
    """Run one back end and fold its verdicts; returns the outcome and the facts used."""
    snap = policy.snapshot(as_of)
    env = add_terms(flatten(case, as_of), snap.terms)
    return fold(snap, env, BACKENDS[backend](snap, env)), env


def evaluate(policy: Policy, case: Case, as_of: date, lang: str = "en", backend: str = "durable",
             trace: bool = False) -> Decision:
    """One case on one date, explained; the Decision names the back end that made it."""
    outcome, env = decide(policy, case, as_of, backend)
    decision = explain(policy.snapshot(as_of), case, env, outcome, lang, trace=trace)
    decision.engine = ENGINE_LABELS[backend]
    return decision

"""One hamlet: its roster of post holders, each judged as one case, then the roster as a whole.

The board's question about a slate ("these people for these posts in this hamlet: is the slate in
order, and what does each person get?"). Each holder is one case (``engine.one_case``); the roster
checks (``engine.policy.roster``) read their outcomes; each holder's decision notes the roster
problems that concern them, and the roster's verdict is its own decision.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.contract.case import Case
from engine.contract.decision import RosterDecision
from engine.contract.roster import Roster
from engine.explain import roster as words
from engine.explain.names import unit_name
from engine.explain.reasons import _Ctx, explain
from engine.one_case import ENGINE_LABELS, decide
from engine.policy import roster as rules
from engine.policy.outcome import Outcome
from engine.policy.resolved import Policy


#: each holder's case judged: (the case, its outcome, the facts used)
Judged = list[tuple[Case, Outcome, dict[str, Any]]]


def decide_roster(policy: Policy, roster: Roster, as_of: date, backend: str = "durable") -> Judged:
    """Each holder as one case, judged by one back end (``engine.one_case.decide``)."""
    return [(case, *decide(policy, case, as_of, backend)) for case in roster.cases()]


def evaluate_roster(policy: Policy, roster: Roster, as_of: date, lang: str = "en", backend: str = "durable",
                    trace: bool = False, judged: Judged | None = None) -> RosterDecision:
    """A hamlet's roster on one date, explained; every holder's decision is in it, none dropped.
    ``judged``: the holders already decided (``decide_roster``), so a caller that reads the
    outcomes too (the features' rule coverage) does not decide them twice."""
    snap = policy.snapshot(as_of)
    judged = judged if judged is not None else decide_roster(policy, roster, as_of, backend)
    holders = [rules.Holder(h.candidate.id, tuple(h.posts), o.if_appointed_total)
               for h, (_, o, _) in zip(roster.holders, judged)]
    first = judged[0][1]  # the fund is the hamlet's: every holder's fold finds the same
    fund = rules.Fund(first.fund_row is not None, first.fund_monthly, tuple(first.fund_missing))
    findings = rules.judge(snap, holders, fund)
    ctx = _Ctx(snap, judged[0][2], lang)
    names = {h.candidate.id: h.candidate.name for h in roster.holders if h.candidate.name}
    worded = [words.finding(ctx, f, names) for f in findings]
    decisions = []
    for (case, outcome, env), holder in zip(judged, holders):
        d = explain(snap, case, env, outcome, lang, trace=trace)
        d.engine = ENGINE_LABELS[backend]
        d.roster = words.concerning(worded, holder.id)
        decisions.append(d)
    rd = words.roster_decision(snap, roster.hamlet.id, rules.verdict([f.status for f in findings]), worded,
                               words.fund_summary(ctx, fund, rules.paid_total(holders)), decisions, lang,
                               ENGINE_LABELS[backend])
    rd._heading = unit_name(roster.hamlet, lang) if roster.hamlet.name else None  # its name, where given
    return rd

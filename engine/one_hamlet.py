"""One hamlet: its roster of post holders, each judged as one case, then the roster as a whole.

The board's question about a slate ("these people for these posts in this hamlet: is the slate in
order, and what does each person get?"). Each holder is one case (``engine.one_case``); the roster
checks (``engine.policy.roster``) read their outcomes; each holder's decision notes the roster
problems that concern them, and the roster's verdict is its own decision.
"""

from __future__ import annotations

from datetime import date

from engine.contract.decision import RosterDecision
from engine.contract.roster import Roster
from engine.explain import roster as words
from engine.explain.reasons import _Ctx, explain
from engine.one_case import ENGINE_LABELS, decide
from engine.policy import roster as rules
from engine.policy.resolved import Policy


def evaluate_roster(policy: Policy, roster: Roster, as_of: date, lang: str = "en", backend: str = "durable",
                    trace: bool = False) -> RosterDecision:
    """A hamlet's roster on one date, explained; every holder's decision is in it, none dropped."""
    snap = policy.snapshot(as_of)
    cases = roster.cases()
    judged = [decide(policy, case, as_of, backend) for case in cases]
    holders = [rules.Holder(str(c.candidate.id), tuple(c.posts or ()), o.if_appointed_total)
               for c, (o, _) in zip(cases, judged) if c.candidate is not None]
    first = judged[0][0]  # the fund is the hamlet's: every holder's fold finds the same
    fund = rules.Fund(first.fund_row is not None, first.fund_monthly, tuple(first.fund_missing))
    findings = rules.judge(snap, holders, fund)
    ctx = _Ctx(snap, judged[0][1], lang)
    worded = [words.finding(ctx, f) for f in findings]
    decisions = []
    for case, (outcome, env), holder in zip(cases, judged, holders):
        d = explain(snap, case, env, outcome, lang, trace=trace)
        d.engine = ENGINE_LABELS[backend]
        d.roster = words.concerning(worded, holder.id)
        decisions.append(d)
    return words.roster_decision(snap, roster.hamlet.id, rules.verdict([f.status for f in findings]), worded,
                                 words.fund_summary(ctx, fund, rules.paid_total(holders)), decisions, lang,
                                 ENGINE_LABELS[backend])

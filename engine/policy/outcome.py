"""From verdicts to a decision and money: the part every back end shares.

A back end's job is to say, for one case and one snapshot, which criteria pass, fail or are
unknown, which exceptions hold, which fund row and rate rows match. This module folds those
verdicts the same way for all of them:

- a failing criterion is *waived* when one of its exceptions surely holds (its obligation
  becomes a condition), *unknown* when an exception might hold, *fail* otherwise;
- decision = ineligible if any *must* fails; else undetermined if any *must* is unknown; else
  eligible_with_conditions if any criterion is waived (or a permission that covers the case brings
  an obligation); else eligible (not_applicable without a candidate). A failing *should* or *may*
  is an advisory, never a refusal. These, what a criterion's strength does and what is owed
  (below) are declared as data in ``engine.policy.lattice``, which the columnar engine reads too;
- the fund is the first fund row not surely false (unknown if that row is unknown); a unit that
  is surely an agency has none (``lattice.fundless``: the table is a hamlet's);
- each post is a line: the person's own post (statuses in ``own_post_statuses``, first post) or
  a concurrent one; its rate is the first matching rate row; amount = rate × the post's
  allowance, rounded half-up to the currency unit. Money never passes through a float. A line's
  amount is what the post *would* pay if the person were appointed; with the status unknown it
  is still settled when every status would be paid the same rate;
- the **payable** total (``monthly_total``) is what is actually owed: 0 when the case is
  ineligible, unknown (None) when the decision or any amount is undetermined, else the sum of the
  lines (``if_appointed_total``). Nothing else may be summed as money owed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, Literal

from engine.contract.constraints import AGENCY_KINDS, AGENCY_POSTS
from engine.policy.lattice import ADVISES, WAIVERS, counted, decide, fundless, grant_use, payable
from engine.policy.resolved import Snapshot

@dataclass
class Verdicts:
    """What a back end found; absent keys mean 'does not apply' (criteria) or 'false' (rows)."""

    criteria: dict[str, str] = field(default_factory=dict)  # id -> pass / fail / unknown
    exceptions: dict[str, str] = field(default_factory=dict)  # id -> T / U (for failing criteria)
    fund: dict[str, str] = field(default_factory=dict)  # row id -> T / U
    rate_rows: dict[str, list[str]] = field(default_factory=dict)  # post -> ids of matching rows
    grants: dict[str, str] = field(default_factory=dict)  # grant id -> T / U
    trace: list[str] = field(default_factory=list)  # rule firings, in order


@dataclass
class Line:
    post: str
    role: str | None  # own / concurrent, None when the status is unknown
    rate: Decimal | None
    rate_row: str | None
    base_amount: int | None
    amount: int | None
    period: Literal["month", "year"] = "month"
    missing: list[str] = field(default_factory=list)
    kind: str = "post"  # post / grant
    rate_rows: tuple[str, ...] = ()  # with the status unknown: every row that would apply (same rate)


@dataclass
class Outcome:
    decision: str
    statuses: dict[str, str]  # criterion id -> pass / fail / unknown / waived (applicable ones only)
    waived_by: dict[str, str]
    conditions: list[str]  # ids of the exceptions (or permissions) whose obligations apply
    missing: list[str]
    fund_row: str | None
    fund_coefficient: Decimal | None
    fund_monthly: int | None
    fund_missing: list[str]
    lines: list[Line]
    monthly_total: int | None  # payable: 0 if ineligible, None if undetermined
    if_appointed_total: int | None  # what the posts would pay
    verdicts: Verdicts
    advisories: list[str] = field(default_factory=list)  # failing should/may criteria, in the policy's order
    funded: bool = True  # False: the unit has no hamlet fund at all (an agency: lattice.fundless)


_EXACT = Context(prec=80)  # products of amounts up to limits.MAX_WHOLE and rates stay exact


def money(*factors: Decimal | int) -> int:
    """The product of ``factors`` in the currency's unit, rounded half-up once, exactly whatever
    its size (the default decimal context would round a product past 28 digits first)."""
    product = Decimal(1)
    for f in factors:
        product = _EXACT.multiply(product, Decimal(f))
    return int(product.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_EXACT))


def _missing_fields(paths: list[str], env: dict[str, Any]) -> list[str]:
    return [p for p in paths if env.get(p) is None]


def fold(snap: Snapshot, env: dict[str, Any], v: Verdicts) -> Outcome:
    from engine.lang import open_refs
    from engine.lang import params as expr_params

    statuses: dict[str, str] = {}
    counts: list[str] = []  # each applicable criterion's status as the decision counts it
    advisories: list[str] = []
    waived_by: dict[str, str] = {}
    conditions: list[str] = []
    missing: list[str] = []

    def note_missing(items: list[str]) -> None:
        for m in items:
            if m not in missing:
                missing.append(m)

    for cc in snap.criteria:
        status = v.criteria.get(cc.id)
        if status is None:
            continue
        deciding = cc.strength == "must"  # only a must's unknowns leave the decision open
        for before, verdict, after in WAIVERS if cc.exceptions else ():
            hits = [e for e in cc.exceptions if v.exceptions.get(e.id) == verdict] if status == before else []
            if not hits:
                continue
            status = after
            if verdict == "T":  # the first exception that surely holds waives it; its obligation applies
                waived_by[cc.id] = hits[0].id
                if hits[0].id not in conditions:
                    conditions.append(hits[0].id)
            elif deciding:  # an exception that might hold: what it reads is missing
                for e in hits:
                    note_missing(_missing_fields(open_refs(e.condition), env))
                    note_missing([f"params.{p}" for p in expr_params(e.condition) if snap.params.get(p) is None])
            break
        if deciding and status == "unknown" and v.criteria.get(cc.id) == "unknown":
            paths = cc.reads
            note_missing(_missing_fields(paths, env))
            note_missing([f"params.{p}" for p in expr_params(cc.condition) if snap.params.get(p) is None])
        statuses[cc.id] = status
        counts.append(counted(cc.strength, status, cc.obligation))
        if status == "fail" and cc.strength in ADVISES:
            advisories.append(cc.id)
        if status == "pass" and counts[-1] == "waived":  # a permission used (lattice.PERMISSION_USED): its obligation
            conditions.append(cc.id)

    decision = decide(counts, env.get("candidate.id") is not None)

    funded = not fundless(env.get("hamlet.kind") in AGENCY_KINDS, any(p in AGENCY_POSTS for p in env.get("posts") or ()))
    fund_row, coefficient, fund_monthly, fund_missing = _fund(snap, env, v) if funded else (None, None, None, [])
    lines = _lines(snap, env, v)
    lines += _grants(snap, env, v, decision)
    monthly = [ln for ln in lines if ln.period == "month"]
    amounts = [ln.amount for ln in monthly if ln.amount is not None]
    total = sum(amounts) if monthly and len(amounts) == len(monthly) else None
    if not monthly and env.get("posts") is not None:
        total = 0
    return Outcome(decision, statuses, waived_by, conditions, missing if decision == "undetermined" else [],
                   fund_row, coefficient, fund_monthly, fund_missing, lines,
                   payable(decision, total, env.get("posts") is not None), total, v, advisories, funded)


def _fund(snap: Snapshot, env: dict[str, Any], v: Verdicts) -> tuple[str | None, Decimal | None, int | None, list[str]]:
    from engine.lang import open_refs

    for row in snap.fund:
        verdict = v.fund.get(row.id)
        if verdict is None:
            continue
        if verdict == "U":
            paths = open_refs(row.when) if row.when is not None else []
            return row.id, None, None, _missing_fields(paths, env) or [f"params.{p}" for p in row.value_params]
        base = snap.fund_base_value
        if row.value is None or base is None:
            gaps = [f"params.{p}" for p in row.value_params if snap.params.get(p) is None]
            if base is None:
                gaps.append(f"params.{snap.fund_base}")
            return row.id, row.value, None, gaps
        return row.id, Decimal(row.value), money(Decimal(row.value), base), []
    return None, None, None, []


def roles(snap: Snapshot, env: dict[str, Any]) -> list[tuple[str, str | None]]:
    posts = env.get("posts") or ()
    status = env.get("candidate.status")
    if status is None:
        return [(p, None) for p in posts]
    return [(p, snap.role(status, i == 0)) for i, p in enumerate(posts)]


def _lines(snap: Snapshot, env: dict[str, Any], v: Verdicts) -> list[Line]:
    if env.get("candidate.id") is None:
        return []
    supplied = env.get("post_allowances") or {}
    out = []
    rows = {r.id: r for r in snap.rates}
    for i, (post, role) in enumerate(roles(snap, env)):
        missing: list[str] = []
        row = None
        alternatives: tuple[str, ...] = ()
        rate = None
        if role is None:
            settled = snap.status_free_rate(post, i == 0)
            if settled is None:
                missing.append("candidate.status")
            else:
                rate, alternatives = settled
                row = rows[alternatives[0]] if len(alternatives) == 1 else None
        else:
            row = snap.first_rate(v.rate_rows.get(post, []))
            rate = None if row is None else row.value
        if row is not None and rate is None:
            missing += [f"params.{p}" for p in row.value_params if snap.params.get(p) is None]
        if role is not None and row is None:
            missing.append(f"rates:{post}")
        base = supplied.get(post)
        if base is None:
            base, base_params = snap.post_amounts.get(post, (None, []))
            if base is None:
                missing += [f"params.{p}" for p in base_params] or [f"post_allowances.{post}"]
        amount = None
        if rate is not None and Decimal(rate) == 0:
            amount = 0  # nothing is paid, whatever the post's allowance
        elif rate is not None and base is not None:
            amount = money(Decimal(rate), Decimal(base))
        out.append(Line(post, role, None if rate is None else Decimal(rate), row.id if row else None,
                        None if base is None else int(base), amount, "month", [] if amount is not None else missing,
                        rate_rows=alternatives))
    return out


def _grants(snap: Snapshot, env: dict[str, Any], v: Verdicts, decision: str) -> list[Line]:
    out = []
    for g in snap.grants:
        verdict = v.grants.get(g.id)
        if verdict is None:
            continue
        listed, settled = grant_use(verdict == "T", verdict == "U", decision in g.ri.item.requires,
                                    decision == "undetermined", g.value is not None)
        if not listed:
            continue
        out.append(Line(g.id, None, None, g.id, None, int(g.value) if settled else None, g.ri.item.period,
                        [] if settled else ([f"params.{p}" for p in g.value_params] if g.value is None else ["decision"]),
                        kind="grant"))
    return out

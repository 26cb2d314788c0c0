"""``kiemnhiem rules lint``: the findings of ``engine.verify.solve`` on a pack or a proposal.

Classes: gaps (a fund table with no answer for complete data; a post and status with no rate),
unreachable and shadowed rules (a criterion that can never pass or never fail, an exception that
can never apply, a table row an earlier row always pre-empts, a waivable criterion nothing
waives), dates (a value or rule in force before its source was issued, a value unset on the
as-of date), sources (a parameter without one, a declared document nobody cites), and overlays
(a replaced parameter changing its type or unit, a new id that looks like a typo of an inherited
one). Logical findings carry a witness case ready for ``kiemnhiem evaluate``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from engine import lang as expr
from engine.errors import PackProblems, RuleFileError
from engine.i18n import LANGS, Msg, Num, t
from engine.lang.logic import TooComplex, all_of
from engine.limits import quote
from engine.policy.resolved import Policy, RuleItem, Snapshot
from engine.contract.constraints import AGENCY_POSTS
from engine.contract.fields import POSTS, STATUSES
from engine.verify.solve import SEVERITIES, Finding, satisfiable, witness_case


def critical_dates(policy: Policy) -> list[date]:
    """Every date on which something can change, so each distinct snapshot is checked once."""
    days: set[date] = set()
    for p in policy.params.values():
        days |= {start for start, _ in p.history}
    for ri in policy.items:
        eff = ri.item.effective
        if eff.from_:
            days.add(eff.from_)
            if eff.to and eff.to < date.max:
                days.add(eff.to + timedelta(days=1))
    return sorted(days) or [date.today()]


def _at(policy: Policy, ri: RuleItem | None) -> dict[str, Any]:
    """Where a finding about ``ri`` (or about the whole pack) points: its pack, file and line."""
    return {"pack": ri.origin.pack if ri else policy.id, "file": ri.origin.file if ri else None,
            "line": ri.origin.line if ri else None}


def _load_errors(exc: RuleFileError, pack: str, **kw: Any) -> list[Finding]:
    """A ``load-error`` finding for each problem that kept the pack from loading (all of them),
    in every language the error speaks."""
    out = []
    for p in exc.problems if isinstance(exc, PackProblems) else (exc,):
        w = p.where
        out.append(Finding("load-error", "error", w.pack or pack, [w.rule] if w.rule else [], p.en, p.vi,
                           file=w.file, line=w.line, texts={lang: p.text(lang) for lang in LANGS}, **kw))
    return out


def lint(policy: Policy, as_of: date | None = None) -> list[Finding]:
    findings: list[Finding] = []
    findings += _sources(policy)
    findings += _dates(policy, as_of)
    findings += _overlays(policy)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for day in ([as_of] if as_of else critical_dates(policy)):
        try:
            logic = _logic(policy.snapshot(day))
        except RuleFileError as exc:  # a rule that cannot be compiled on this date (too complex, too large)
            logic = _load_errors(exc, policy.id, as_of=str(day))
        except TooComplex as exc:
            reason = Msg.of("expr.too-complex.more" if exc.more else "expr.too-complex", count=Num(exc.count))
            logic = [Finding.of("lint.too-complex", "warning", [], {"day": day, "reason": reason}, pack=policy.id,
                                as_of=str(day), proof=False)]
        for f in logic:
            key = (f.code, tuple(f.rules))
            if key not in seen:
                seen.add(key)
                findings.append(f)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.pack, f.code, f.rules))


def lint_packs(packs: Sequence[str] = (), *, proposal_pack: str | None = None, rules: Sequence[Path] = (),
               proposal: Path | None = None, as_of: date | None = None) -> tuple[list[str], list[Finding]]:
    """``kiemnhiem rules lint``: the packs named (``proposal_pack`` last, with ``proposal`` on top),
    or every pack found when none is; a pack that does not load is a ``load-error`` finding.
    Returns the packs checked and their findings."""
    from engine.policy.loader import find_packs, load_policy, rules_dirs

    extra = list(rules)
    names = list(packs) + ([proposal_pack] if proposal_pack else [])
    if not names:
        names = sorted(find_packs(rules_dirs(extra)))
    findings: list[Finding] = []
    for name in names:
        try:
            policy = load_policy(name, extra, proposal if name == proposal_pack else None)
        except RuleFileError as exc:
            findings += _load_errors(exc, name)
            continue
        findings += lint(policy, as_of)
    return names, findings


class LintReport:
    """Findings as reported: each once (by code, pack, rules and file), as text or JSON."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = list({(f.code, f.pack, tuple(f.rules), f.file): f for f in findings}.values())

    @property
    def failed(self) -> bool:
        """An error finding (exit code 1)."""
        return any(f.severity == "error" for f in self.findings)

    def json(self) -> str:
        return json.dumps([f.as_dict() for f in self.findings], ensure_ascii=False, indent=2, default=str) + "\n"

    def text(self, lang: str = "en") -> str:
        import yaml

        lines = []
        for f in self.findings:
            lines.append(f.message(lang) + ("" if f.proof else t("lint.best-effort", lang)))
            if f.witness is not None:
                lines.append(f"    {t('lint.witness', lang, day=f.as_of)}")
                lines += [f"      {line}" for line in yaml.safe_dump(f.witness, allow_unicode=True, sort_keys=False).splitlines()]
        counts = {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}
        lines.append(t("lint.summary", lang, errors=counts["error"], warnings=counts["warning"], notes=counts["info"]))
        return "\n".join(lines) + "\n"

    def render(self, fmt: str = "text", lang: str = "en") -> str:
        return self.json() if fmt == "json" else self.text(lang)


# -- logic -------------------------------------------------------------------------------------


def _unset(snap: Snapshot, node: Any) -> list[str]:
    return [p for p in expr.params(node) if snap.params.get(p) is None]


def _logic(snap: Snapshot) -> list[Finding]:
    policy, day = snap.policy, snap.as_of
    country = policy.country
    out: list[Finding] = []
    for cc in snap.criteria:
        a, c = cc.applies.t, cc.verdict
        t_sol, t_exact = satisfiable(all_of(a, c.t), snap.terms, day)
        f_sol, f_exact = satisfiable(all_of(a, c.f), snap.terms, day)
        unset = _unset(snap, cc.condition)
        on = {"day": day, "params": ", ".join(unset)}
        if (t_sol is None or f_sol is None) and unset:
            out.append(Finding.of("lint.undecidable-on-date", "info", [cc.id], on, **_at(policy, cc.ri), as_of=str(day)))
        elif t_sol is None and f_sol is None:
            if unset:
                out.append(Finding.of("lint.undecidable-on-date.only-unknown", "info", [cc.id], on, **_at(policy, cc.ri),
                                      as_of=str(day)))
            else:
                out.append(Finding.of("lint.never-applies", "error", [cc.id], on, **_at(policy, cc.ri), as_of=str(day),
                                      proof=t_exact and f_exact))
        elif t_sol is None:
            out.append(Finding.of("lint.never-passes", "error", [cc.id], on, **_at(policy, cc.ri), as_of=str(day),
                                  proof=t_exact))
        elif f_sol is None:
            out.append(Finding.of("lint.never-fails", "warning", [cc.id], on, **_at(policy, cc.ri), as_of=str(day),
                                  proof=f_exact))
        for e in cc.exceptions:
            sol, exact = satisfiable(all_of(a, c.f, e.verdict.t), snap.terms, day)
            if sol is None and f_sol is not None and _unset(snap, e.condition):
                out.append(Finding.of("lint.undecidable-on-date.exception", "info", [e.id],
                                      {"day": day, "params": ", ".join(_unset(snap, e.condition))},
                                      **_at(policy, e.ri), as_of=str(day)))
            elif sol is None and f_sol is not None:
                out.append(Finding.of("lint.exception-unreachable", "warning", [e.id, cc.id], {"day": day, "rule": cc.id},
                                      **_at(policy, e.ri), as_of=str(day), proof=exact))
        for i, e1 in enumerate(cc.exceptions):
            for e2 in cc.exceptions[i + 1:]:
                both, exact = satisfiable(all_of(a, c.f, e1.verdict.t, e2.verdict.t), snap.terms, day)
                if both is not None and e1.ri.item.obligation != e2.ri.item.obligation:
                    out.append(Finding.of("lint.exceptions-overlap", "warning", [e1.id, e2.id, cc.id],
                                          {"day": day, "rule": cc.id, "first": e1.id}, **_at(policy, e2.ri),
                                          as_of=str(day), proof=exact, witness=witness_case(both, day, country)))
        if cc.ri.item.waivable and not cc.exceptions and not any(cc.id in e.item.waives for e in policy.exceptions):
            out.append(Finding.of("lint.waivable-unwaived", "warning", [cc.id], **_at(policy, cc.ri)))
    out += _fund(snap, country)
    out += _rates(snap, country)
    for g in snap.grants:
        sol, exact = satisfiable(all_of(snap.grant_posts[g.id], g.verdict.t), snap.terms, day)
        if sol is None:
            out.append(Finding.of("lint.grant-unreachable", "warning", [g.id], {"day": day}, **_at(policy, g.ri),
                                  as_of=str(day), proof=exact))
    return out


def _fund(snap: Snapshot, country: str) -> list[Finding]:
    policy, day = snap.policy, snap.as_of
    out: list[Finding] = []
    if not snap.fund:
        if policy.fund:
            out.append(Finding.of("lint.fund-gap.none-in-force", "info", [r.id for r in policy.fund], {"day": day},
                                  **_at(policy, None), as_of=str(day)))
        return out
    earlier_false: list[Any] = []
    for row in snap.fund:
        sol, exact = satisfiable(all_of(row.verdict.t, *earlier_false), snap.terms, day)
        if sol is None:
            out.append(Finding.of("lint.row-shadowed", "warning", [row.id], {"day": day}, **_at(policy, row.ri),
                                  as_of=str(day), proof=exact))
        earlier_false.append(row.verdict.f)
    sol, exact = satisfiable(all_of(*earlier_false), snap.terms, day)
    if sol is not None:
        out.append(Finding.of("lint.fund-gap", "error", [r.id for r in snap.fund], {"day": day},
                              **_at(policy, snap.fund[-1].ri), as_of=str(day), witness=witness_case(sol, day, country),
                              proof=exact))
    return out


def _rates(snap: Snapshot, country: str) -> list[Finding]:
    policy, day = snap.policy, snap.as_of
    out: list[Finding] = []
    if not policy.rates:
        return [Finding.of("lint.no-rates", "info", [], **_at(policy, None))] if not policy.allowance.post_amounts else []
    chosen: set[str] = set()
    for status in STATUSES:
        for post in POSTS:
            for role in dict.fromkeys((snap.role(status, True), snap.role(status, False))):  # own first, if any
                row = snap.rate_row(post, role, status)
                if row is not None:
                    chosen.add(row.id)
                    continue
                posts = [post] if role == "own" else [_companion(post), post]
                witness = witness_case({"candidate.status": status, "posts": tuple(posts)}, day, country)
                witness["posts"] = posts
                on = {"day": day, "status": status, "post": post}
                out.append(Finding.of("lint.rate-gap.own" if role == "own" else "lint.rate-gap.concurrent", "warning",
                                      [f"{status}/{role}/{post}"], on, **_at(policy, None), witness=witness,
                                      as_of=str(day)))
    for row in snap.rates:
        if row.id not in chosen:
            out.append(Finding.of("lint.row-shadowed.rate", "warning", [row.id], {"day": day}, **_at(policy, row.ri),
                                  as_of=str(day)))
    return out


def _companion(post: str) -> str:
    """A post to list first in a witness of ``post`` held concurrently: one of the same kind of unit
    (a hamlet's post beside an agency's is refused as input, ``constraints.unit_problems``)."""
    same = AGENCY_POSTS if post in AGENCY_POSTS else ("hamlet_head", "party_cell_secretary")
    return next(p for p in same if p != post)


# -- sources, dates, overlays ------------------------------------------------------------------


def _sources(policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    used: set[str] = set()
    for pd in policy.params.values():
        refs = [r.doc for r in pd.param.source] + [dv.source.doc for _, dv in pd.history if dv.source]
        used |= set(refs)
        if not refs:
            out.append(Finding.of("lint.no-source", "error", [pd.name], pack=pd.origin.pack, file=pd.origin.file,
                                  line=pd.origin.line))
    for ri in policy.items:
        used |= {r.doc for r in ri.item.source}
    for doc in sorted(set(policy.sources) - used):
        out.append(Finding.of("lint.unused-source", "warning", [doc], pack=policy.source_pack.get(doc, policy.id)))
    return out


#: The sections whose rules state a requirement in force from a date: one without a start date,
#: citing dated sources, is reported. Fund, rate and grant rows read their figures' dated
#: parameters, a target has its own milestones, and a note is context (often history), not a
#: requirement.
UNDATED_CHECKED = ("criteria", "exceptions")


def _doc_date(policy: Policy, doc: str) -> date | None:
    d = policy.sources.get(doc)
    return None if d is None else (d.date or d.in_force)


def _dates(policy: Policy, as_of: date | None) -> list[Finding]:
    out: list[Finding] = []
    for pd in policy.params.values():
        at: dict[str, Any] = {"pack": pd.origin.pack, "file": pd.origin.file, "line": pd.origin.line}
        for start, dv in pd.history:
            ref = dv.source or (pd.param.source[0] if pd.param.source else None)
            issued = _doc_date(policy, ref.doc) if ref else None
            if ref and issued and start < issued:
                out.append(Finding.of("lint.value-before-source", "warning", [pd.name],
                                      {"start": start, "doc": ref.doc, "issued": issued}, **at))
        values = [(start, dv.value) for start, dv in pd.history]
        for (start, value), (nxt, later) in zip(values, values[1:]):
            if value is None and later is not None:
                out.append(Finding.of("lint.history-gap", "warning", [pd.name], {"start": start, "end": nxt}, **at))
        if as_of is not None and pd.value_on(as_of) is None and pd.history:
            out.append(Finding.of("lint.unset-on-date", "info", [pd.name], {"day": as_of}, **at))
    for ri in policy.items:
        start = ri.item.effective.from_
        dated = [(d, ref.doc) for ref in ri.item.source if (d := _doc_date(policy, ref.doc))]
        if start and dated and start < min(dated)[0]:  # several sources: the earliest must predate the rule
            issued, doc = min(dated)
            out.append(Finding.of("lint.rule-before-source", "warning", [ri.id],
                                  {"start": start, "doc": doc, "issued": issued}, **_at(policy, ri)))
        elif start is None and dated and ri.section in UNDATED_CHECKED:
            # a requirement without a start date applies on every date, also before any of its sources existed
            issued, doc = min(dated)
            out.append(Finding.of("lint.rule-undated", "warning", [ri.id], {"doc": doc, "issued": issued},
                                  **_at(policy, ri)))
        if ri.item.effective.to and start and ri.item.effective.to < start:
            out.append(Finding.of("lint.empty-period", "error", [ri.id], **_at(policy, ri)))
    return out


def _overlays(policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    inherited = {ri.id for ri in policy.items if ri.origin.pack == policy.chain[0]}
    for o in policy.overrides:
        name, origin = o.name, o.origin
        at: dict[str, Any] = {"pack": origin.pack, "file": origin.file, "line": origin.line}
        if o.kind == "parameter":
            parent, child = o.parent, o.child
            assert parent is not None and child is not None
            out += _unset_by_overlay(name, parent, child, origin)
            for attr, text in (("type", "lint.overlay-type-change"), ("unit", "lint.overlay-unit-change")):
                before, after = getattr(parent, attr), getattr(child, attr)
                if attr in child.model_fields_set and after is not None and before is not None and after != before:
                    out.append(Finding.of(text, "error", [name], {"before": quote(before), "after": quote(after)}, **at))
        elif o.kind == "added":
            close = difflib.get_close_matches(name, sorted(inherited), n=1, cutoff=0.85)
            if close:
                out.append(Finding.of("lint.overlay-near-miss", "warning", [name], {"rule": close[0]}, **at))
    for name, pd in policy.params.items():
        if pd.param.type is None and pd.origin.pack != policy.chain[0]:
            out.append(Finding.of("lint.overlay-untyped-parameter", "warning", [name], pack=pd.origin.pack,
                                  file=pd.origin.file, line=pd.origin.line))
    return out


def _unset_by_overlay(name: str, parent: Any, child: Any, origin: Any) -> list[Finding]:
    """An overlay that leaves a parameter unset on a date where the pack it extends had a value:
    a replaced history that starts later, or a null nobody sourced. An explicit dated ``value:
    null`` with a source is a statement ("the rate under Resolution 21/2023 is not known") and
    is not reported."""
    from engine.policy.build import merge_param

    merged = merge_param(parent, child).values or {}
    own = child.values or {}
    base = parent.values or {}

    def base_on(day: Any) -> Any:
        before = [d for d in base if d <= day]
        return base[max(before)].value if before else None

    out = []
    # every date where the base has a value: its own start dates, and the overlay's dates too
    # (an unsourced null the overlay adds in the middle of the base's history)
    checked = {d: base[d] for d in base} | {d: base[max(b)] for d in own if (b := [x for x in base if x <= d])}
    for start, dv in sorted(checked.items()):
        if dv.value is None or base_on(start) is None:
            continue
        before = [d for d in merged if d <= start]
        if not before:
            why = Msg.of("lint.overlay-unsets-parameter.starts-later")
        else:
            entry_date = max(before)
            entry = merged[entry_date]
            if entry.value is not None or (entry_date in own and own[entry_date].source is not None):
                continue
            why = Msg.of("lint.overlay-unsets-parameter.null-unsourced", day=entry_date)
        out.append(Finding.of("lint.overlay-unsets-parameter", "warning", [name],
                              {"name": name, "start": start, "value": dv.value, "why": why},
                              pack=origin.pack, file=origin.file, line=origin.line))
    return out


#: the lint text of a coverage gap, by what no scenario shows (``engine.bdd.results.Gap.missing``)
_UNCOVERED = {("pass",): "lint.uncovered.pass", ("fail",): "lint.uncovered.fail",
              ("pass", "fail"): "lint.uncovered.both"}


def coverage_findings(policy_ids: list[str], gaps: Any) -> list[Finding]:
    """Rules no feature scenario exercises both ways, as lint findings of the given packs.

    ``gaps`` are the coverage gaps of a run of the features (``engine.bdd.runner.run_features(
    coverage=True).coverage.gaps``: each with ``rule``, ``origin`` and ``missing``); the caller
    runs them, as this layer does not reach up to the use cases."""
    found = []
    for gap in gaps:
        if any(gap.origin == p or p.startswith(gap.origin + ".") or gap.origin.startswith(p) for p in policy_ids):
            found.append(Finding.of(_UNCOVERED[tuple(gap.missing)], "warning", [gap.rule], pack=gap.origin))
    return found

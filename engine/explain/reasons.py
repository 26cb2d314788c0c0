"""Why: from a policy snapshot, a case and an outcome to a Decision a person can read.

Explanations are built from the rule's own condition, not from hand-written prose per rule:
every comparison in it is listed with the case's value, the threshold and the parameter it
came from; a failing criterion gets the smallest change that would make it pass, worked out
from the condition's structure (all failing parts of an ``and``, the cheapest branch of an
``or``), plus the exceptions that could waive it.
"""

from __future__ import annotations

import weakref
from datetime import date
from decimal import Decimal
from typing import Any, Iterator

from engine import lang as expr
from engine.contract.case import Case
from engine.contract.decision import (Advisory, Allowance, AllowanceLine, Compared, Condition, Conflict,
                                     Counterfactual, CriterionResult, Decision, Fund, Note, Source)
from engine.explain.cite import cited
from engine.explain.names import case_heading, person_name
from engine.explain.render import _cite
from engine.lang.logic import holds
from engine.policy.lattice import ADVISES
from engine.lang.functions import FUNCTIONS, OPERATORS
from engine.lang.ast import FLIP, NEGATE, And, Arith, Call, Cmp, In, ListLit, Lit, Node, Not, Or, Ref
from engine.i18n import (OP_CODES, decision_label, field_label, fmt_decimal, fmt_money, fmt_value, pack_text,
                         post_label, status_label, t)
from engine.policy.outcome import Outcome
from engine.policy.resolved import CompiledCriterion, RuleItem, Snapshot
from engine.contract.fields import catalogue

SYMBOL = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<"}


def _text(node: Node) -> str:
    if isinstance(node, Ref):
        return node.path
    if isinstance(node, Lit):
        return repr(node.value)
    if isinstance(node, Call):
        args = tuple(_text(a) for a in node.args)
        fn = FUNCTIONS.get(node.fn)
        return fn.show(args) if fn else f"{node.fn}({', '.join(args)})"
    if isinstance(node, Arith):
        return OPERATORS[node.op].show(_text(node.left), _text(node.right))
    return repr(node)


def _is_share(path: str) -> bool:
    ft = catalogue().get(path)
    return bool(ft and ft.share)


#: snapshot → what the explanations computed from its rules alone (thresholds, titles)
_CACHES: weakref.WeakKeyDictionary[Snapshot, dict[Any, Any]] = weakref.WeakKeyDictionary()


class _Ctx:
    def __init__(self, snap: Snapshot, env: dict[str, Any], lang: str):
        self.snap, self.env, self.lang = snap, env, lang
        self.currency = snap.policy.currency  # for money
        self.country = snap.policy.country  # for the names of posts
        # what depends only on the rules is computed once per snapshot, not once per case (kept
        # here, beside the explanations, for as long as the snapshot lives)
        self.cache: dict[Any, Any] = _CACHES.setdefault(snap, {})

    def value(self, node: Node) -> Any:
        v = expr.evaluate(node, self.env)
        return None if v is expr.UNKNOWN else v

    def fmt(self, path: str, value: Any, share: bool | None = None) -> str:
        return fmt_value(value, self.lang, _is_share(path) if share is None else share, self.country)

    def param_title(self, name: str | None) -> str | None:
        if not name or name not in self.snap.policy.params:
            return None
        title = self.snap.policy.params[name].param.title
        return pack_text(title, self.lang) if title else name

    def sources(self, refs: list[Any]) -> list[Source]:
        key = ("sources", tuple(refs), self.lang)  # each cited in the answer's language
        if key not in self.cache:
            out = []
            for ref in refs:
                doc = self.snap.policy.sources.get(ref.doc)
                src = Source.model_construct(doc=ref.doc, title=doc.title if doc else ref.doc, article=ref.article,
                                             url=doc.url if doc else None,
                                             confidence=ref.confidence or (doc.confidence if doc else "high"))
                src._cited = cited(doc, ref.doc, ref.article, self.lang)
                out.append(src)
            self.cache[key] = out
        return list(self.cache[key])

    def title(self, ri: RuleItem) -> str:
        return self.snap.title(ri, self.lang)

    def conflicts(self, name: str) -> list[Conflict]:
        """Each source's figure where the sources conflict on the parameter's value on the date."""
        entry = self.snap.param_entry(name)
        if entry is None:
            return []
        share = self.snap.policy.params[name].field_type.share
        return [Conflict(parameter=f"params.{name}", value=float(c.value) if share else _json(c.value),
                         source=self.sources([c.source])) for c in entry[1].conflicts]

    def value_sources(self, name: str) -> list[Source]:
        """The source of a parameter's value in force, carrying that value's confidence (a figure
        known with medium confidence is cited as such wherever it is used)."""
        entry = self.snap.param_entry(name)
        if entry is None or entry[1].source is None:
            return []
        ref, dv = entry[1].source, entry[1]
        if ref.confidence is None and dv.confidence is not None:
            ref = ref.model_copy(update={"confidence": dv.confidence})
        return self.sources([ref])


# -- comparisons ------------------------------------------------------------------------------


def _atoms(node: Node, negated: bool = False) -> Iterator[tuple[Node, bool]]:
    if isinstance(node, Not):
        yield from _atoms(node.item, not negated)
    elif isinstance(node, (And, Or)):
        for item in node.items:
            yield from _atoms(item, negated)
    elif isinstance(node, (Cmp, In, Ref)):
        yield node, negated


def _normalise(atom: Node, negated: bool) -> tuple[str, Node, str, Any, str | None]:
    """(field path or term text, field node, op, threshold, parameter) with the field on the left."""
    if isinstance(atom, Ref):
        return atom.path, atom, "==", not negated, None
    if isinstance(atom, In):
        container = atom.container
        op = "in" if atom.negated == negated else "not in"
        if isinstance(atom.item, Lit):  # 'island' in hamlet.area
            path = _text(container)
            return path, container, "has" if op == "in" else "has not", atom.item.value, None
        values = container.value if isinstance(container, Lit) else tuple(
            i.value for i in container.items if isinstance(i, Lit)) if isinstance(container, ListLit) else None
        param = container.param if isinstance(container, Lit) else None
        return _text(atom.item), atom.item, op, values, param
    assert isinstance(atom, Cmp)
    left, right, op = atom.left, atom.right, atom.op
    if isinstance(left, Lit) and not isinstance(right, Lit):
        left, right, op = right, left, FLIP[op]
    if negated:
        op = NEGATE[op]
    if not isinstance(right, Lit) and not expr.refs(right):
        right = _constant(right)
    if isinstance(right, Lit):
        return _text(left), left, op, right.value, right.param
    return _text(left), left, op, right, None


def _constant(node: Node) -> Lit:
    """A threshold computed from parameters and constants alone (``params.head_term_years * 12``)
    as the value it comes to (unknown while a parameter is unset) and the parameter it comes from,
    so the explanation names the parameter and a counterfactual can say what to reach."""
    value = expr.evaluate(node, {})
    names = expr.params(node)
    return Lit(None if value is expr.UNKNOWN else value, param=names[0] if names else None)


def _holds(op: str, value: Any, threshold: Any) -> bool | None:
    if value is None or threshold is None:
        return None
    if op in ("has", "has not"):
        return (threshold in value) == (op == "has")
    if op in ("in", "not in"):
        return (value in threshold) == (op == "in")
    return expr.evaluate(Cmp(op, Lit(value), Lit(threshold)), {}) is True


def _deciding_atoms(ctx: _Ctx, node: Node) -> Iterator[tuple[Node, bool]]:
    """The comparisons that decide ``node`` for this case: of an ``or``, the first branch that
    holds (the others did not matter); of an ``and`` that fails, the parts that fail (a part whose
    field is not given did not decide it). Otherwise, every comparison, as ``_atoms``."""
    if isinstance(node, (And, Or)):
        values = [ctx.value(item) for item in node.items]
        decisive = True if isinstance(node, Or) else False
        hits = [item for item, v in zip(node.items, values) if v is decisive]
        if hits:
            for item in hits[:1] if isinstance(node, Or) else hits:
                yield from _deciding_atoms(ctx, item)
            return
        for item in node.items:
            yield from _deciding_atoms(ctx, item)
        return
    yield from _atoms(node)


def compared(ctx: _Ctx, node: Node) -> list[Compared]:
    atoms = []
    for atom, negated in _deciding_atoms(ctx, node):
        key = ("atom", atom, negated)
        if key not in ctx.cache:
            ctx.cache[key] = _normalise(atom, negated)
        atoms.append(ctx.cache[key])
    out = []
    for path, field_node, op, threshold, param in atoms:
        value = ctx.value(field_node)
        if isinstance(threshold, Node):
            threshold = ctx.value(threshold)
        out.append(Compared.model_construct(field=path, label=field_label(path, ctx.lang), value=_json(value), op=op,
                                            threshold=_json(threshold), parameter=param, holds=_holds(op, value, threshold)))
    return out


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _requirement(ctx: _Ctx, path: str, op: str, threshold: Any, sentence: bool = False) -> str:
    """What a comparison asks for: after "required:" (``sentence`` false), or as the predicate of
    a sentence about the field (a counterfactual), where Vietnamese needs its verb ("là …")."""
    lang = ctx.lang
    if op in ("has", "has not"):
        return t("explain.include" if op == "has" else "explain.not-include", lang, value=ctx.fmt("", threshold))
    if op in ("in", "not in"):
        shown = t("phrase.list-separator", lang).join(ctx.fmt(path, v) for v in (threshold or ()))
        code = ("explain.one-of-sentence" if sentence else "explain.one-of") if op == "in" else "explain.none-of"
        return t(code, lang, values=shown)
    if threshold is None:  # a threshold resting on a parameter unset on the date
        shown = t("explain.threshold-unset", lang)
    else:
        shown = ctx.fmt(path, threshold) if not isinstance(threshold, bool) else t(
            "phrase.yes" if threshold else "phrase.no", lang)
    code = "op.eq-sentence" if sentence and op == "==" else OP_CODES[op]
    return t(code, lang, v=shown)


def _comparison_text(ctx: _Ctx, c: Compared) -> str:
    threshold = c.threshold
    req = _requirement(ctx, c.field, c.op, tuple(threshold) if isinstance(threshold, list) else threshold)
    value = ctx.env.get(c.field) if c.field in ctx.env else c.value
    shown = ctx.fmt(c.field, value) if value is not None else t("explain.not-given", ctx.lang)
    param = ctx.param_title(c.parameter)
    if param:
        return t("explain.compared-param", ctx.lang, label=c.label, value=shown, requirement=req, parameter=param)
    return t("explain.compared", ctx.lang, label=c.label, value=shown, requirement=req)


# -- counterfactuals --------------------------------------------------------------------------


def _fix(ctx: _Ctx, node: Node, negated: bool = False) -> list[dict[str, Any]] | None:
    """The smallest set of changes that makes ``node`` (with polarity) true; [] if it already is."""
    value = ctx.value(node)
    if value is not None and bool(value) != negated:
        return []
    if isinstance(node, Not):
        return _fix(ctx, node.item, not negated)
    if isinstance(node, (And, Or)):
        conjunctive = isinstance(node, And) != negated
        fixes = [_fix(ctx, item, negated) for item in node.items]
        if conjunctive:
            out: list[dict[str, Any]] = []
            for f in fixes:
                if f is None:
                    return None
                out += f
            return out
        options = [f for f in fixes if f is not None]
        return min(options, key=len) if options else None
    if isinstance(node, (Cmp, In, Ref)):
        path, field_node, op, threshold, param = _normalise(node, negated)
        if isinstance(threshold, Node) or threshold is None:
            return None
        current = ctx.value(field_node)
        return [{"field": path, "op": op, "value": _json(threshold), "current": _json(current), "parameter": param}]
    return None


def _change_text(ctx: _Ctx, ch: dict[str, Any]) -> str:
    label = field_label(ch["field"], ctx.lang)
    threshold = tuple(ch["value"]) if isinstance(ch["value"], list) else ch["value"]
    req = _requirement(ctx, ch["field"], ch["op"], threshold, sentence=True)
    # a field's value as the case holds it; a computed term's (months_between(…)) as worked out
    current = ctx.env.get(ch["field"]) if ch["field"] in ctx.env else ch.get("current")
    if current is None:
        now = t("explain.now-not-given", ctx.lang)
    else:
        now = t("explain.now", ctx.lang, value=ctx.fmt(ch["field"], current))
    return t("explain.change", ctx.lang, field=label, requirement=req, now=now)


def counterfactual(ctx: _Ctx, cc: CompiledCriterion) -> Counterfactual | None:
    changes = _fix(ctx, cc.condition)
    if not changes:
        return None
    lang, both = ctx.lang, t("explain.and", ctx.lang)
    sentence = t("explain.would-pass-if", lang, title=ctx.title(cc.ri),
                 changes=both.join(_change_text(ctx, ch) for ch in changes))
    for exc in cc.exceptions:
        alt = _fix(ctx, exc.condition)
        if alt:
            sentence += t("explain.or-waived", lang, exception=ctx.title(exc.ri),
                          changes=both.join(_change_text(ctx, ch) for ch in alt))
            changes = changes + [{"exception": exc.id, "changes": alt}]
    return Counterfactual(criterion=cc.id, changes=changes, sentence=sentence + t("explain.end", lang))


# -- the whole decision -----------------------------------------------------------------------


_LEVELS = ("low", "medium", "high")


def _confidence(ctx: _Ctx, cc: CompiledCriterion) -> str:
    """The lowest confidence of the criterion and of the parameter values its condition uses on the
    date: a figure known with medium confidence makes every verdict resting on it medium too."""
    levels = [cc.ri.item.confidence or "high"]
    for name in expr.params(cc.ri.nodes["condition"]):
        entry = ctx.snap.param_entry(name)
        pd = ctx.snap.policy.params.get(name)
        if entry is not None:
            levels.append(entry[1].confidence or (pd.param.confidence if pd else None) or "high")
    return min(levels, key=_LEVELS.index)


def _criterion(ctx: _Ctx, cc: CompiledCriterion, status: str, outcome: Outcome) -> CriterionResult:
    node = cc.condition
    comps = compared(ctx, node)
    missing = [p for p in cc.reads if p != "posts" and ctx.env.get(p) is None]
    unset = [f"params.{p}" for p in expr.params(node) if ctx.snap.params.get(p) is None]
    if status != "unknown":
        missing, unset = [], []
    lang = ctx.lang
    parts = t("phrase.semicolon", lang).join(_comparison_text(ctx, c) for c in comps)
    sentence = t("explain.criterion", lang, title=ctx.title(cc.ri), status=status_label(status, lang))
    if cc.strength != "must":
        sentence += t(f"explain.strength.{cc.strength}", lang)
    if parts:
        sentence += t("explain.criterion-compared", lang, comparisons=parts)
    if status == "waived":
        exc = next(e for e in cc.exceptions if e.id == outcome.waived_by[cc.id])
        sentence += t("explain.waived-by", lang, exception=ctx.title(exc.ri))
    if unset:
        named = [t("explain.param-titled", lang, param=p, title=title) if (title := ctx.param_title(p[len("params."):]))
                 else p for p in unset]
        sentence += t("explain.unset-params", lang, params=t("phrase.list-separator", lang).join(named))
    sentence += t("explain.end", lang)
    thresholds = {c.parameter: c.threshold for c in comps if c.parameter}
    values = {p: _json(ctx.env.get(p)) for p in expr.refs(node)}
    return CriterionResult.model_construct(
        id=cc.id, title=ctx.title(cc.ri), status=status, sentence=sentence, compared=comps, values=values,
        thresholds=thresholds, missing=missing + unset, source=ctx.sources(cc.ri.item.source),
        waived_by=outcome.waived_by.get(cc.id), confidence=_confidence(ctx, cc), strength=cc.strength,
    )


def _advisory(ctx: _Ctx, cc: CompiledCriterion) -> Advisory:
    """A failing should or may, as the board reads it out: what it goes against, or which
    permission does not cover the case, with its source."""
    kind = ADVISES[cc.strength]
    sources = ctx.sources(cc.ri.item.source)
    text = t(f"explain.advisory.{kind}", ctx.lang, title=ctx.title(cc.ri))
    return Advisory(criterion=cc.id, strength=cc.strength, kind=kind,  # type: ignore[arg-type]
                    title=ctx.title(cc.ri), text=text, source=sources)


def _notes(ctx: _Ctx) -> list[Note]:
    """The informational notes that surely concern the case: the posts it holds (all of
    ``posts_all``, any of ``posts``) and its ``when`` true on the case's facts. An unknown is not
    shown: a note is context, never a guess."""
    out = []
    for ri, posts, when in ctx.snap.notes:
        if not holds(posts, ctx.env) or expr.evaluate(when, ctx.env) is not True:
            continue
        it = ri.item
        out.append(Note(id=ri.id, title=ctx.title(ri), text=pack_text(it.text, ctx.lang) if it.text else ctx.title(ri),
                        source=ctx.sources(it.source)))
    return out


def _fund(ctx: _Ctx, outcome: Outcome) -> Fund | None:
    snap, lang = ctx.snap, ctx.lang
    if not snap.policy.fund or not outcome.funded:
        return None  # the pack has no fund rules at all (e.g. China), or the unit is an agency: no hamlet fund
    base = snap.fund_base_value
    row = next((r for r in snap.fund if r.id == outcome.fund_row), None)
    if row is None:
        sentence = t("explain.fund-no-rule", lang)
        return Fund(row=None, coefficient=None, base_salary=base, monthly=None, currency=ctx.currency,
                    sentence=sentence, missing=["fund rule in force on the as-of date"], source=[])
    if outcome.fund_monthly is not None:
        assert outcome.fund_coefficient is not None  # a fund amount is its coefficient times the base salary
        sentence = t("explain.fund", lang, title=ctx.title(row.ri), coefficient=fmt_decimal(outcome.fund_coefficient, lang),
                     base=fmt_money(base, ctx.currency, lang), monthly=fmt_money(outcome.fund_monthly, ctx.currency, lang))
    else:
        sentence = t("explain.fund-open", lang, title=ctx.title(row.ri),
                     missing=t("phrase.list-separator", lang).join(field_label(m, lang) for m in outcome.fund_missing))
    sources = ctx.sources(row.ri.item.source) + ctx.value_sources(snap.fund_base)
    return Fund(row=row.id, coefficient=None if outcome.fund_coefficient is None else float(outcome.fund_coefficient),
                base_salary=base, monthly=outcome.fund_monthly, currency=ctx.currency, sentence=sentence,
                missing=outcome.fund_missing, source=sources)


def _allowance(ctx: _Ctx, outcome: Outcome) -> Allowance | None:
    if ctx.env.get("candidate.id") is None or ctx.env.get("posts") is None:
        return None
    lang, snap = ctx.lang, ctx.snap
    lines = []
    for ln in outcome.lines:
        ri = snap.policy.item(ln.rate_row) if ln.rate_row else None
        label = post_label(ln.post, ctx.country, lang) if ln.kind == "post" else (ctx.title(ri) if ri else ln.post)
        reason = None
        conflicts: list[Conflict] = []
        if ln.amount is None:
            names = []
            for m in ln.missing:
                if m.startswith("rates:"):
                    names.append(t("explain.no-rate", lang))
                elif m.startswith("params.") and (found := ctx.conflicts(m[len("params."):])):
                    # the sources disagree on the date: each figure with its source, none picked
                    conflicts += found
                    pd = snap.policy.params[m[len("params."):]]
                    figures = t("phrase.list-separator", lang).join(
                        t("explain.conflict-figure", lang, value=fmt_value(c.value, lang, share=pd.field_type.share),
                          sources=_cite(c.source, lang)) for c in found)
                    names.append(t("explain.conflict", lang, title=ctx.param_title(pd.name) or m, figures=figures))
                elif m.startswith("params."):
                    title = ctx.param_title(m[len("params."):])
                    names.append(t("explain.unset-param-titled", lang, param=m, title=title) if title
                                 else t("explain.unset-param", lang, param=m))
                elif m.startswith("post_allowances."):
                    names.append(t("explain.post-amount", lang, post=post_label(m[len("post_allowances."):], ctx.country, lang)))
                else:
                    names.append(t("explain.missing-field", lang, label=field_label(m, lang), path=m))
            reason = t("explain.line-undetermined", lang, reasons=t("phrase.semicolon", lang).join(names))
        applied = [ri] if ri else [it for r in ln.rate_rows if (it := snap.policy.item(r)) is not None]
        sources = []
        for it in applied:
            # the rate's figure is cited from where it is set: a province's resolution that sets the
            # value of a national row's parameter is the line's source, not the national decree
            # (Nghệ An's 75 % and 0 % of 2019 rest on Resolution 22/2019, not Decree 33/2023)
            overridden: list[Source] = []
            if ln.kind == "post" and (rate := it.nodes.get("rate")) is not None:
                for name in expr.params(rate):
                    cited = ctx.value_sources(name)
                    if snap.policy.params[name].origin.pack != it.origin.pack:
                        overridden += cited
                    else:
                        sources += cited
            sources = overridden + sources if overridden else ctx.sources(it.item.source) + sources
        sources = list({(s.doc, s.article): s for s in sources}.values())
        if ln.rate_rows and ri is None and ln.amount is not None:
            reason = t("explain.same-rate", lang)
        elif ri is not None and ln.amount == 0 and _declares_unpaid(ri):
            reason = ctx.title(ri)  # why nothing is paid: the row's own words (a post outside the regime)
        lines.append(AllowanceLine(
            post=ln.post, label=label, role=ln.role, rate=None if ln.rate is None else float(ln.rate),
            post_allowance=ln.base_amount, amount=ln.amount, period=ln.period, reason=reason, rule=ln.rate_row,
            rules=list(ln.rate_rows), source=sources, conflicts=conflicts,
        ))
    yearly = [ln for ln in outcome.lines if ln.period == "year"]
    amounts = [ln.amount for ln in yearly if ln.amount is not None]
    # as the batch's grant_yearly: in a pack with grants, 0 where surely none applies (none in force
    # on the date, or none for these posts or this decision), unknown while a listed grant's amount is
    yearly_total = (None if not snap.policy.grants else 0 if not yearly
                    else sum(amounts) if len(amounts) == len(yearly) else None)
    return Allowance(monthly_total=outcome.monthly_total, if_appointed_total=outcome.if_appointed_total,
                     yearly_total=yearly_total, currency=ctx.currency, lines=lines)


def _declares_unpaid(ri: RuleItem) -> bool:
    """A rate row whose rate is the constant 0, not a parameter that is 0 on the date: it declares
    its posts unpaid (a post outside the three paid posts, an agency's post), and its title says
    why, beside the line; a province's rate of 0 % is a figure and is cited as one."""
    node = ri.nodes.get("rate")
    return isinstance(node, Lit) and node.param is None and node.value == 0


def explain(snap: Snapshot, case: Case, env: dict[str, Any], outcome: Outcome, lang: str = "en",
            trace: bool = False) -> Decision:
    ctx = _Ctx(snap, env, lang)
    criteria = [
        _criterion(ctx, cc, outcome.statuses[cc.id], outcome) for cc in snap.criteria if cc.id in outcome.statuses
    ]
    conditions = []
    by_id = {e.id: e.ri for e in snap.exceptions} | {cc.id: cc.ri for cc in snap.criteria}
    for cond_id in outcome.conditions:  # an exception's obligation, or a permission's that covers the case
        ri = by_id[cond_id]
        conditions.append(Condition(id=cond_id, title=ctx.title(ri), text=pack_text(ri.item.obligation, lang),
                                    waives=[c for c, e in outcome.waived_by.items() if e == cond_id],
                                    source=ctx.sources(ri.item.source)))
    advisories = [_advisory(ctx, cc) for cc in snap.criteria if cc.id in outcome.advisories]
    notes = _notes(ctx)
    cfs = []
    for cc in snap.criteria:
        if outcome.statuses.get(cc.id) == "fail" and cc.strength == "must":
            cf = counterfactual(ctx, cc)
            if cf is not None:
                cfs.append(cf)
    decision = Decision(
        case_id=case.id or (f"{case.hamlet.id}/{case.candidate.id}" if case.candidate else case.hamlet.id),
        decision=outcome.decision,  # type: ignore[arg-type]
        decision_text=decision_label(outcome.decision, lang),
        criteria=criteria, conditions=conditions, advisories=advisories, notes=notes, missing=outcome.missing, fund=_fund(ctx, outcome),
        allowance=_allowance(ctx, outcome), counterfactuals=cfs, **provenance(snap, lang),
        trace=list(outcome.verdicts.trace) if trace else None,
    )
    decision._heading = case_heading(case, lang)  # the names a reader knows them by (not in the JSON)
    decision._person = person_name(case.candidate) if case.candidate is not None else None
    decision._missing_names = [_missing_name(ctx, m) for m in outcome.missing]
    return decision


def _missing_name(ctx: _Ctx, path: str) -> str:
    """What a case lacks, by name: a field by its label, a parameter by its title (``«…»``); a
    path with neither as it is."""
    if path.startswith("params.") and (title := ctx.param_title(path[len("params."):])):
        return t("explain.param-titled", ctx.lang, param=path, title=title)
    return t("explain.missing-field", ctx.lang, label=field_label(path, ctx.lang), path=path)


def provenance(snap: Snapshot, lang: str) -> dict[str, Any]:
    """What every answer records of what made it: the pack, its version, content hash and chain, the
    date and the language (a Decision's and a RosterDecision's alike)."""
    policy = snap.policy
    return {"pack": policy.id, "pack_version": policy.header.version, "pack_hash": policy.hash,
            "pack_chain": list(policy.chain), "as_of": snap.as_of.isoformat(), "lang": lang}

"""The resolved policy (overlays merged, expressions checked) and its snapshot on a date.

``Policy`` is built, complete and frozen, by ``engine.policy.build``; it is the one
intermediate representation every back end reads, like sqlglot's single IR behind many
dialects. ``Snapshot`` fixes an as-of date: parameters take the values in force that day, rules
outside their effective period drop out, and each condition is compiled once into T/F/U
formulas. Back ends cache their compiled form per ``Snapshot.key``, so two dates on which
nothing changed share one durable-rules ruleset.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from engine import lang as expr
from engine.errors import Problems, RuleFileError, Where
from engine.i18n import Num
from engine.limits import MAX_CONDITION_ALTERNATIVES, MAX_WHOLE, quote
from engine.lang.logic import TFU, FConst, FHas, FMissing, FPresent, Formula, TooComplex, all_of, alternatives, any_of, dnf
from engine.policy.model import SECTIONS, AllowanceSettings, Country, DatedValue, PackHeader, Parameter
from engine.contract.fields import FieldType

#: The parameter types that hold numbers.
NUMERIC = frozenset({"money", "number", "rate", "share", "count"})
#: ``{params.name}`` in a rule's title: the threshold in force is written in, never hard-coded,
#: so a proposal that moves the threshold moves the title with it.
PLACEHOLDER = re.compile(r"\{params\.([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Origin:
    pack: str
    file: str
    line: int | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def where(self, rule: str | None = None, key: str | None = None) -> Where:
        line = self.key_lines.get(key, self.line) if key else self.line
        return Where(pack=self.pack, file=self.file, line=line, rule=rule)


@dataclass(frozen=True, eq=False)
class RuleItem:
    """A rule of the resolved policy: as declared, with its expressions parsed and checked."""

    section: str
    item: Any  # Criterion | ExceptionRule | FundRow | RateRow | Grant | Target
    origin: Origin
    nodes: Mapping[str, expr.Node]  # key (condition, when, rate, …) → its expression

    @property
    def id(self) -> str:
        return str(self.item.id)


@dataclass(frozen=True, eq=False)
class ParamDef:
    """A parameter of the resolved policy with its checked history, sorted by start date."""

    name: str
    param: Parameter
    origin: Origin
    history: tuple[tuple[date, DatedValue], ...] = ()

    @property
    def kind(self) -> str:
        return self.param.type or "number"

    @property
    def field_type(self) -> FieldType:
        kind = self.kind
        if kind in NUMERIC:
            return FieldType("number", share=kind in ("share", "rate"))
        return FieldType(kind)

    def entry_on(self, day: date) -> tuple[date, DatedValue] | None:
        found = None
        for start, value in self.history:
            if start <= day:
                found = (start, value)
            else:
                break
        return found

    def value_on(self, day: date) -> Any:
        entry = self.entry_on(day)
        if entry is None or entry[1].value is None:
            return None
        return entry[1].value


@dataclass(frozen=True)
class Override:
    """What an overlay changed in the packs it extends: a parameter (``parent`` and ``child`` are
    the inherited and the overlay's declarations), a rule ``replaced`` or ``added``."""

    kind: Literal["parameter", "replaced", "added"]
    section: str  # "parameters" or the rule's section
    name: str
    origin: Origin
    parent: Parameter | None = None
    child: Parameter | None = None


@dataclass(frozen=True, eq=False)
class Policy:
    """A pack resolved: overlays merged, every expression checked (``engine.policy.build``).

    Frozen: nothing is filled in after it is built. ``snapshot`` keeps the snapshots it made (a
    cache of derived values, not part of the policy)."""

    id: str
    header: PackHeader
    chain: tuple[str, ...]
    sources: Mapping[str, Any]
    params: Mapping[str, ParamDef]
    criteria: tuple[RuleItem, ...]
    exceptions: tuple[RuleItem, ...]
    fund: tuple[RuleItem, ...]
    rates: tuple[RuleItem, ...]
    grants: tuple[RuleItem, ...]
    targets: tuple[RuleItem, ...]
    notes: tuple[RuleItem, ...]
    roster: tuple[RuleItem, ...]
    allowance: AllowanceSettings
    source_pack: Mapping[str, str] = field(default_factory=dict)  # source id -> pack that declares it
    overrides: tuple[Override, ...] = ()  # what the overlays changed, in order
    _snapshots: dict[date, "Snapshot"] = field(default_factory=dict, repr=False)

    @cached_property
    def hash(self) -> str:
        """The content hash: of ``canonical``, everything that decides an answer."""
        return hashlib.sha256(
            json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()[:16]

    @property
    def currency(self) -> str:
        """For formatting money; never to tell the country (that is ``country``)."""
        return self.header.currency

    @property
    def country(self) -> Country:
        """The country whose hamlets the pack judges, as ``pack.yaml`` declares it (or, for an older
        pack, as the loader derived it once from the currency): the one place to read it."""
        assert self.header.country is not None, "headers are settled by the loader"
        return self.header.country

    @property
    def fund_base(self) -> str:
        """The money parameter the fund coefficient multiplies (``fund_base`` in ``pack.yaml``)."""
        assert self.header.fund_base is not None, "headers are settled by the loader"
        return self.header.fund_base

    def item(self, item_id: str) -> RuleItem | None:
        return self._by_id.get(item_id)

    @property
    def items(self) -> tuple[RuleItem, ...]:
        """Every rule of every section (``model.SECTIONS``), in order: what walks the whole pack reads."""
        return tuple(ri for section in SECTIONS for ri in getattr(self, section))

    @property
    def evaluated(self) -> tuple[RuleItem, ...]:
        """The rules a back end evaluates for a case (criteria, exceptions, fund, rates, grants) or
        a roster (its checks): what rule coverage counts. Targets are judged over areas, notes are
        never evaluated."""
        return self.criteria + self.exceptions + self.fund + self.rates + self.grants + self.roster

    @cached_property
    def _by_id(self) -> dict[str, RuleItem]:
        return {it.id: it for it in self.items}

    def snapshot(self, as_of: date) -> "Snapshot":
        snap = self._snapshots.get(as_of)
        if snap is None:
            snap = Snapshot(self, as_of)
            if len(self._snapshots) > 256:
                self._snapshots.clear()
            self._snapshots[as_of] = snap
        return snap

    def canonical(self) -> dict[str, Any]:
        """Everything that decides an answer, in a stable form: the input of ``hash``."""

        def dump(it: RuleItem) -> Any:
            return it.item.model_dump(mode="json", by_alias=True, exclude_none=True)

        return {
            "id": self.id,
            "chain": list(self.chain),
            "currency": self.header.currency,
            "country": self.country,
            **({"fund_base": self.fund_base} if self.fund else {}),  # a pack without a fund has no base to name
            "params": {n: p.param.model_dump(mode="json", exclude_none=True) for n, p in sorted(self.params.items())},
            "criteria": [dump(i) for i in self.criteria],
            "exceptions": [dump(i) for i in self.exceptions],
            "fund": [dump(i) for i in self.fund],
            "rates": [dump(i) for i in self.rates],
            "grants": [dump(i) for i in self.grants],
            "targets": [dump(i) for i in self.targets],
            "notes": [dump(i) for i in self.notes],
            **({"roster": [dump(i) for i in self.roster]} if self.roster else {}),  # packs without one keep their hash
            "allowance": self.allowance.model_dump(mode="json", exclude_none=True),
            "sources": {k: v.model_dump(mode="json", exclude_none=True) for k, v in sorted(self.sources.items())},
        }


# ---------------------------------------------------------------------------------------------
# Snapshot: the policy as of one date


def post_bound(ri: RuleItem) -> bool:
    """A rule about particular posts (``posts`` or ``posts_all``)."""
    return bool(ri.item.posts or ri.item.posts_all)


@dataclass
class CompiledCriterion:
    ri: RuleItem
    condition: expr.Node
    applies: TFU  # whether the criterion applies to the case (posts held, `when`)
    verdict: TFU  # the condition itself
    posts: Formula = FConst(True)  # the posts part of applicability alone
    exceptions: list["CompiledException"] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.ri.id

    @property
    def post_bound(self) -> bool:
        """The criterion is about particular posts: unknown posts leave it unknown."""
        return post_bound(self.ri)

    @property
    def strength(self) -> str:
        """must / should / may (``engine.policy.lattice.COUNTS`` says what each does)."""
        return str(self.ri.item.strength)

    @property
    def obligation(self) -> bool:
        """A permission whose obligation applies to the cases it covers."""
        return self.ri.item.obligation is not None

    @property
    def reads(self) -> list[str]:
        """The case fields whose absence can leave the criterion unknown (named as missing): not a
        field only ``known()`` reads, whose absence decides nothing (``expr.open_refs``)."""
        when = self.ri.nodes.get("when")
        return expr.open_refs(self.condition) + (expr.open_refs(when) if when is not None else []) + (
            ["posts"] if self.post_bound else [])


@dataclass
class CompiledException:
    ri: RuleItem
    condition: expr.Node
    verdict: TFU

    @property
    def id(self) -> str:
        return self.ri.id


@dataclass
class CompiledRow:
    """A fund row, rate row or grant, with its value expression resolved for the date."""

    ri: RuleItem
    when: expr.Node | None
    verdict: TFU
    value: Any  # Decimal/int, or None when it rests on an unset parameter
    value_params: list[str]

    @property
    def id(self) -> str:
        return self.ri.id


def _posts_formula(any_posts: list[str] | None, all_posts: list[str] | None) -> Formula:
    parts: list[Formula] = []
    if any_posts:
        parts.append(any_of(*(FHas("posts", p) for p in any_posts)))
    if all_posts:
        parts.append(all_of(*(FHas("posts", p) for p in all_posts)))
    if not parts:
        return FPresent("candidate.id")
    return all_of(*parts)


# The keys of a payroll line that the rate table matches on (the case engine's line facts carry them).
RATE_LINE = ("role", "status", "post")


class Snapshot:
    """The policy in force on ``as_of``: parameter values substituted, conditions compiled."""

    def __init__(self, policy: Policy, as_of: date):
        self.policy = policy
        self.as_of = as_of
        self.params: dict[str, Any] = {n: p.value_on(as_of) for n, p in policy.params.items()}
        self.compiler = expr.Compiler()
        active = [ri for ri in policy.criteria if ri.item.effective.covers(as_of)]
        by_id: dict[str, CompiledCriterion] = {}
        self.criteria: list[CompiledCriterion] = []
        for ri in active:
            cond = expr.substitute(ri.nodes["condition"], self.params)
            posts = _posts_formula(ri.item.posts, ri.item.posts_all)
            # a candidate whose posts are not given may or may not hold the posts the rule is about:
            # the rule's applicability is unknown then, not false (Kleene, like every other field)
            posts_unknown: Formula = (all_of(FPresent("candidate.id"), FMissing("posts"))
                                      if post_bound(ri) else FConst(False))
            when = ri.nodes.get("when")
            if when is not None:
                w = self.compiler.tfu(expr.substitute(when, self.params))
                applies = TFU(all_of(posts, w.t), FConst(False),
                              any_of(all_of(posts, w.u), all_of(posts_unknown, any_of(w.t, w.u))))
            else:
                applies = TFU(posts, FConst(False), posts_unknown)
            cc = CompiledCriterion(ri, cond, applies, self.compiler.tfu(cond), posts)
            self.criteria.append(cc)
            by_id[cc.id] = cc
        self.exceptions: list[CompiledException] = []
        for ri in policy.exceptions:
            if not ri.item.effective.covers(as_of):
                continue
            cond = expr.substitute(ri.nodes["condition"], self.params)
            ce = CompiledException(ri, cond, self.compiler.tfu(cond))
            self.exceptions.append(ce)
            for target in ri.item.waives:
                if target in by_id:
                    by_id[target].exceptions.append(ce)
        problems = Problems(policy.id)  # every rule that cannot be compiled on this date, reported together
        self.fund = self._rows(policy.fund, "coefficient", problems)
        self.rates = self._rows(policy.rates, "rate", problems)
        # the rate table as declared, the one definition of rate matching: a row admits a line when
        # every key's value is admitted; ``rate_row`` reads it, the case engine's line rules are made from it
        self.rate_table: tuple[tuple[CompiledRow, dict[str, tuple[str, ...] | None]], ...] = tuple(
            (row, self._admits(row)) for row in self.rates)
        self.grants = self._rows(policy.grants, "amount", problems)
        self.grant_posts = {g.id: _posts_formula(None, g.ri.item.posts_all) for g in self.grants}
        self.post_amounts: dict[str, tuple[Any, list[str]]] = {}
        for post, text in (policy.allowance.post_amounts or {}).items():
            node = expr.substitute(expr.parse(text), self.params)
            value = expr.evaluate(node, {})
            self.post_amounts[post] = (None if value is expr.UNKNOWN else value, expr.params(node))
        # informational notes in force: (rule, the posts it is about, its `when` with the parameters
        # written in); never a criterion, so no back end evaluates them: the explanation reads them
        # on the case's facts. A note about no post concerns the hamlet, with or without a candidate.
        self.notes: list[tuple[RuleItem, Formula, expr.Node]] = [
            (ri, _posts_formula(ri.item.posts, ri.item.posts_all) if post_bound(ri) else FConst(True),
             expr.substitute(ri.nodes["when"], self.params))
            for ri in policy.notes if ri.item.effective.covers(as_of)]
        # the roster checks in force, each with its limit's value on the date (None: not known, so
        # the check cannot decide) and the parameters the limit reads (what is missing then)
        self.roster: list[tuple[RuleItem, Any, list[str]]] = []
        for ri in policy.roster:
            if ri.item.effective.covers(as_of):
                limit = ri.nodes.get("limit")
                value = None if limit is None else expr.evaluate(expr.substitute(limit, self.params), {})
                self.roster.append((ri, None if value is expr.UNKNOWN else value,
                                    [] if limit is None else expr.params(limit)))
        self.terms = dict(self.compiler.terms)
        self._status_free: dict[tuple[str, bool], tuple[Any, tuple[str, ...]] | None] = {}
        self._rate_rows: dict[tuple[str, str, str], CompiledRow | None] = {}
        self._check_complexity(problems)
        problems.raise_if_any()

    def _rows(self, items: Iterable[RuleItem], value_key: str, problems: Problems) -> list[CompiledRow]:
        rows = []
        for ri in items:
            if ri.item.effective.covers(self.as_of):
                with problems.catch():
                    rows.append(self._row(ri, value_key))
        return rows

    def _check_complexity(self, problems: Problems) -> None:
        """Refuse a rule whose formulas would expand beyond ``MAX_CONDITION_ALTERNATIVES`` in DNF."""
        checks: list[tuple[RuleItem, str, Formula]] = []
        for cc in self.criteria:
            a, c = cc.applies, cc.verdict
            for f in (all_of(a.t, c.t), all_of(a.t, c.f), any_of(all_of(a.t, c.u), a.u)):
                checks.append((cc.ri, "condition", f))
        for ce in self.exceptions:
            checks += [(ce.ri, "condition", ce.verdict.t), (ce.ri, "condition", ce.verdict.u)]
        for row in self.fund:
            checks += [(row.ri, "when", row.verdict.t), (row.ri, "when", row.verdict.u)]
        for row in self.grants:
            posts = self.grant_posts[row.id]
            checks += [(row.ri, "when", all_of(posts, row.verdict.t)), (row.ri, "when", all_of(posts, row.verdict.u))]
        for ri, key, formula in checks:
            if alternatives(formula) <= MAX_CONDITION_ALTERNATIVES:  # the bound: nearly always enough
                continue
            if any(p.where.rule == ri.id for p in problems.found):
                continue  # one report per rule
            try:  # contradictions may prune it: expand it, giving up past the limit
                dnf(formula, MAX_CONDITION_ALTERNATIVES)
            except TooComplex:
                problems.add(RuleFileError.of("pack.too-complex", ri.origin.where(ri.id, key), key=key, day=self.as_of,
                                              max=Num(MAX_CONDITION_ALTERNATIVES)))

    def _row(self, ri: RuleItem, value_key: str) -> CompiledRow:
        when = ri.nodes.get("when")
        when_sub = expr.substitute(when, self.params) if when is not None else None
        verdict = self.compiler.tfu(when_sub) if when_sub is not None else TFU(FConst(True), FConst(False), FConst(False))
        value_node = expr.substitute(ri.nodes[value_key], self.params)
        value = expr.evaluate(value_node, {})
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and not -MAX_WHOLE <= value <= MAX_WHOLE:
            raise RuleFileError.of("pack.value-too-large", ri.origin.where(ri.id, value_key), key=value_key,
                                   day=self.as_of, value=quote(value), max=Num(MAX_WHOLE))
        return CompiledRow(ri, when_sub, verdict, None if value is expr.UNKNOWN else value, expr.params(value_node))

    @property
    def fund_base(self) -> str:
        """The name of the parameter the fund coefficient multiplies (``Policy.fund_base``)."""
        return self.policy.fund_base

    @property
    def fund_base_value(self) -> Any:
        """Its value on the as-of date (``None`` when unknown)."""
        return self.params.get(self.policy.fund_base)

    def param_entry(self, name: str) -> tuple[date, DatedValue] | None:
        return self.policy.params[name].entry_on(self.as_of)

    def title(self, ri: RuleItem, lang: str) -> str:
        """The rule's title in ``lang`` (English when the pack does not speak it) with its
        ``{params.name}`` placeholders filled in with the values in force on the snapshot's date
        (``…`` where a value is unset)."""
        from engine.i18n import fmt_decimal, fmt_int, fmt_share

        text = getattr(ri.item.title, lang, None) or ri.item.title.en  # a pack without this language: English

        def value(m: re.Match[str]) -> str:
            name = m.group(1)
            v = self.params.get(name)
            if v is None or isinstance(v, bool):
                return "…" if v is None else str(v)
            kind = self.policy.params[name].kind
            if kind in ("share", "rate"):
                return fmt_share(v, lang)
            if isinstance(v, int) or (isinstance(v, Decimal) and v == v.to_integral_value()):
                return fmt_int(int(v), lang)
            return fmt_decimal(v, lang)

        return PLACEHOLDER.sub(value, text)

    def role(self, status: str, first: bool) -> str:
        """A post is the person's *own* when their status is one that holds a hamlet post and it is
        the first post listed; every other post is held *concurrently*."""
        own = status in (self.policy.allowance.own_post_statuses or [])
        return "own" if own and first else "concurrent"

    @staticmethod
    def _admits(row: CompiledRow) -> dict[str, tuple[str, ...] | None]:
        """For every key of ``RATE_LINE``, the values of that key the row admits (None: any value)."""
        item = row.ri.item
        admits = {"role": None if item.role == "any" else (item.role,),
                  "status": None if item.statuses is None else tuple(item.statuses),
                  "post": None if item.posts is None else tuple(item.posts)}
        return {k: admits[k] for k in RATE_LINE}

    def first_rate(self, matched: Iterable[str]) -> CompiledRow | None:
        """The rate table is first-hit: of the rows that admit a line, the one listed first."""
        ids = set(matched)
        return next((row for row in self.rates if row.id in ids), None)

    def rate_row(self, post: str, role: str, status: str) -> CompiledRow | None:
        """The row that pays a line: the first row of ``rate_table`` admitting it."""
        key = (post, role, status)
        if key not in self._rate_rows:
            line = {"post": post, "role": role, "status": status}
            self._rate_rows[key] = self.first_rate(
                row.id for row, admits in self.rate_table
                if all(values is None or line[k] in values for k, values in admits.items()))
        return self._rate_rows[key]

    def status_free_rate(self, post: str, first: bool) -> tuple[Any, tuple[str, ...]] | None:
        """(rate, rows) when the rate of ``post`` is the same whatever the person's status, else None.

        Status is a closed vocabulary, so an unknown status leaves the amount undetermined only if
        its possible values would pay different rates (under ``vn`` every status is paid 100 %).
        Decided once per snapshot and post, never per case or row."""
        key = (post, first)
        if key not in self._status_free:
            from engine.contract.fields import STATUSES

            rows = [self.rate_row(post, self.role(s, first), s) for s in STATUSES]
            values = {None if r is None else r.value for r in rows}
            answer = None
            if len(values) == 1 and None not in values:
                answer = (values.pop(), tuple(dict.fromkeys(r.id for r in rows if r is not None)))
            self._status_free[key] = answer
        return self._status_free[key]

    @cached_property
    def key(self) -> str:
        """Identifies the compiled behaviour: equal keys, identical answers."""
        parts = {
            "policy": self.policy.hash,
            "params": {k: str(v) for k, v in sorted(self.params.items())},
            "criteria": [c.id for c in self.criteria],
            "exceptions": [e.id for e in self.exceptions],
            "rows": [r.id for r in self.fund + self.rates + self.grants],
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]

"""The resolved policy (overlays merged, expressions checked) and its snapshot on a date.

``Policy`` is the one intermediate representation every back end reads, like sqlglot's single
IR behind many dialects. ``Snapshot`` fixes an as-of date: parameters take the values in force
that day, rules outside their effective period drop out, and each condition is compiled once
into T/F/U formulas. Back ends cache their compiled form per ``Snapshot.key``, so two dates on
which nothing changed share one durable-rules ruleset.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Iterable

from engine import lang as expr
from engine.errors import RuleFileError, Where
from engine.limits import MAX_CONDITION_ALTERNATIVES, MAX_WHOLE, quote
from engine.lang.logic import TFU, FConst, FHas, FMissing, FPresent, Formula, TooComplex, all_of, alternatives, any_of, dnf
from engine.policy.model import (AllowanceSettings, Country, DatedValue, PackHeader,
                    Parameter, SourceRef, to_decimal)
from engine.contract.fields import FieldType

_NUMERIC = {"money", "number", "rate", "share", "count"}
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


@dataclass
class RuleItem:
    section: str
    item: Any  # Criterion | ExceptionRule | FundRow | RateRow | Grant | Target
    origin: Origin
    nodes: dict[str, expr.Node] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.item.id


@dataclass
class ParamDef:
    name: str
    param: Parameter
    origin: Origin
    history: list[tuple[date, DatedValue]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.param.type or "number"

    @property
    def field_type(self) -> FieldType:
        kind = self.kind
        if kind in _NUMERIC:
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


@dataclass
class Policy:
    id: str
    header: PackHeader
    chain: list[str]
    sources: dict[str, Any]
    params: dict[str, ParamDef]
    criteria: list[RuleItem]
    exceptions: list[RuleItem]
    fund: list[RuleItem]
    rates: list[RuleItem]
    grants: list[RuleItem]
    targets: list[RuleItem]
    allowance: AllowanceSettings
    hash: str = ""
    source_pack: dict[str, str] = field(default_factory=dict)  # source id -> pack that declares it
    overrides: list[tuple[str, str, Any, Any, Origin]] = field(default_factory=list)  # what overlays replaced
    _snapshots: dict[date, "Snapshot"] = field(default_factory=dict, repr=False)

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

    @cached_property
    def _by_id(self) -> dict[str, RuleItem]:
        sections = (self.criteria, self.exceptions, self.fund, self.rates, self.grants, self.targets)
        return {it.id: it for section in sections for it in section}

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
            "chain": self.chain,
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
            "allowance": self.allowance.model_dump(mode="json", exclude_none=True),
            "sources": {k: v.model_dump(mode="json", exclude_none=True) for k, v in sorted(self.sources.items())},
        }


def _merge_param(parent: Parameter, child: Parameter) -> Parameter:
    """An overlay's parameter: its fields replace the parent's; its dated values are merged into
    the inherited history (a date it gives wins), unless it says ``replace: true``."""
    update = {name: getattr(child, name) for name in child.model_fields_set if name != "replace"}
    if child.values is not None and not child.replace:
        update["values"] = {**(parent.values or {}), **child.values}
    return parent.model_copy(update=update)


def build_policy(layers: list[tuple[PackHeader, dict[str, Any]]]) -> Policy:
    """Merge overlays in order (parent first), then check every reference and expression."""
    from engine.policy.loader import SECTIONS, check_expression

    sources: dict[str, Any] = {}
    source_pack: dict[str, str] = {}
    overrides: list[tuple[str, str, Any, Any, Origin]] = []
    params: dict[str, ParamDef] = {}
    sections: dict[str, list[RuleItem]] = {s: [] for s in SECTIONS}
    allowance = AllowanceSettings()
    for header, layer in layers:
        sources.update(header.sources)
        source_pack.update({doc: header.id for doc in header.sources})
        for name, (param, origin) in layer["params"].items():
            if name in params:
                overrides.append(("parameter", name, params[name].param, param, origin))
                params[name] = ParamDef(name, _merge_param(params[name].param, param), origin)
            else:
                params[name] = ParamDef(name, param, origin)
        for item_id, origin in layer["remove"]:
            hits = [s for s in SECTIONS if any(i.id == item_id for i in sections[s])]
            if not hits:
                raise RuleFileError(
                    en=f"remove: {quote(item_id)} is not a rule of the packs this one extends",
                    vi=f"remove: {quote(item_id)} không phải quy tắc của gói được mở rộng",
                    where=origin.where(item_id),
                )
            for s in hits:
                sections[s] = [i for i in sections[s] if i.id != item_id]
        for section in SECTIONS:
            current = sections[section]
            seen_here: set[str] = set()
            for ri in layer[section]:
                if ri.id in seen_here:
                    raise RuleFileError(en=f"id {quote(ri.id)} is used twice", vi=f"mã {quote(ri.id)} bị dùng hai lần",
                                        where=ri.origin.where(ri.id))
                seen_here.add(ri.id)
                for idx, existing in enumerate(current):
                    if existing.id == ri.id:
                        overrides.append((section, ri.id, existing, ri, ri.origin))
                        current[idx] = ri
                        break
                else:
                    if len(layers) > 1 and header is not layers[0][0]:
                        overrides.append((section + ":new", ri.id, None, ri, ri.origin))
                    current.append(ri)
        for settings in layer["allowance"]:
            allowance = allowance.model_copy(update={k: getattr(settings, k) for k in settings.model_fields_set})

    top = layers[-1][0]
    policy = Policy(
        id=top.id, header=_effective_header(layers), chain=[h.id for h, _ in layers], sources=sources,
        params=params, criteria=sections["criteria"], exceptions=sections["exceptions"], fund=sections["fund"],
        rates=sections["rates"], grants=sections["grants"], targets=sections["targets"], allowance=allowance,
    )
    policy.source_pack, policy.overrides = source_pack, overrides
    _check(policy, check_expression)
    policy.hash = hashlib.sha256(
        json.dumps(policy.canonical(), sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()[:16]
    return policy


def _effective_header(layers: list[tuple[PackHeader, dict[str, Any]]]) -> PackHeader:
    real = [h for h, _ in layers if h.version != "proposal"]
    base = real[-1] if real else layers[-1][0]
    top = layers[-1][0]
    if top is base:
        return base
    return base.model_copy(update={"id": top.id, "title": top.title, "version": f"{base.version}+proposal",
                                   "fund_base": top.fund_base or base.fund_base})


def _check_sources(refs: list[SourceRef], policy: Policy, where: Where) -> None:
    for ref in refs:
        if ref.doc not in policy.sources:
            raise RuleFileError(
                en=f"source {quote(ref.doc)} is not declared in any pack.yaml of {', '.join(policy.chain)}",
                vi=f"nguồn {quote(ref.doc)} chưa được khai báo trong pack.yaml của {', '.join(policy.chain)}",
                where=where,
            )


def _check_value(pd: ParamDef, value: Any, start: date) -> Any:
    kind = pd.kind
    value = to_decimal(value)
    ok = (
        value is None
        or (kind in _NUMERIC and isinstance(value, (int, Decimal)) and not isinstance(value, bool))
        or (kind == "bool" and isinstance(value, bool))
        or (kind == "list" and isinstance(value, list) and all(isinstance(v, str) for v in value))
        or (kind == "date" and isinstance(value, str))
    )
    if kind in ("money", "count") and isinstance(value, Decimal):
        ok = False
    if ok and isinstance(value, Decimal) and not value.is_finite():
        ok = False
    if ok and kind in ("share", "rate") and value is not None and value < 0:
        ok = False
    if ok and kind in _NUMERIC and value is not None and abs(value) > MAX_WHOLE:
        raise RuleFileError(
            en=f"parameter {quote(pd.name)}, value from {start}: {quote(value)} is larger than {MAX_WHOLE:,}",
            vi=f"tham số {quote(pd.name)}, giá trị từ {start}: {quote(value)} lớn hơn {MAX_WHOLE:,}",
            where=pd.origin.where(pd.name),
        )
    if not ok:
        raise RuleFileError(
            en=f"parameter {quote(pd.name)}, value from {start}: {quote(value)} is not a {kind}"
            + (" (money is a whole number in the currency's unit)" if kind == "money" else ""),
            vi=f"tham số {quote(pd.name)}, giá trị từ {start}: {quote(value)} không phải kiểu {kind}",
            where=pd.origin.where(pd.name),
        )
    if kind == "date" and isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise RuleFileError(
                en=f"parameter {quote(pd.name)}, value from {start}: {quote(value)} is not a date YYYY-MM-DD",
                vi=f"tham số {quote(pd.name)}, giá trị từ {start}: {quote(value)} không phải ngày dạng YYYY-MM-DD",
                where=pd.origin.where(pd.name),
            ) from None
    return value


def _check_fund_base(policy: Policy) -> None:
    """The fund base parameter must be money, and must exist when the pack has fund rules."""
    name = policy.fund_base
    pd = policy.params.get(name)
    if pd is None:
        if policy.fund:
            ri = policy.fund[0]
            raise RuleFileError(
                en=f"the fund base {quote(name)} (fund_base in pack.yaml, default base_salary) is not a parameter of "
                   f"{policy.id}",
                vi=f"cơ sở tính quỹ {quote(name)} (fund_base trong pack.yaml, mặc định base_salary) không phải tham số "
                   f"của {policy.id}",
                where=ri.origin.where(ri.id),
            )
        return
    if pd.kind != "money":
        raise RuleFileError(
            en=f"parameter {quote(name)} is the fund base (fund_base in pack.yaml) and must be money, not {pd.kind}",
            vi=f"tham số {quote(name)} là cơ sở tính quỹ (fund_base trong pack.yaml) nên phải là tiền, không phải {pd.kind}",
            where=pd.origin.where(name),
        )


def _check(policy: Policy, check_expression: Any) -> None:
    for pd in policy.params.values():
        _check_sources(pd.param.source, policy, pd.origin.where(pd.name))
        history = []
        for start, dv in sorted((pd.param.values or {}).items()):
            value = _check_value(pd, dv.value, start)
            if dv.source:
                _check_sources([dv.source], policy, pd.origin.where(pd.name))
            history.append((start, dv.model_copy(update={"value": value})))
        pd.history = history
    criteria_ids = {c.id: c for c in policy.criteria}
    expressions = {
        "criteria": (("condition", "condition"), ("when", "condition")),
        "exceptions": (("condition", "condition"),),
        "fund": (("when", "condition"), ("coefficient", "number")),
        "rates": (("rate", "number"),),
        "grants": (("when", "condition"), ("amount", "number")),
        "targets": (),
    }
    for section, keys in expressions.items():
        for ri in getattr(policy, section):
            for text in (ri.item.title.vi, ri.item.title.en):
                for name in PLACEHOLDER.findall(text):
                    if name not in policy.params:
                        raise RuleFileError(en=f"the title names {{params.{name}}}, which is not a parameter of {policy.id}",
                                            vi=f"tiêu đề có {{params.{name}}}, nhưng đây không phải tham số của {policy.id}",
                                            where=ri.origin.where(ri.id, "title"))
            _check_sources(ri.item.source, policy, ri.origin.where(ri.id))
            if not ri.item.source:
                raise RuleFileError(en="every rule must cite a source", vi="mỗi quy tắc phải dẫn nguồn",
                                    where=ri.origin.where(ri.id))
            for key, kind in keys:
                text = getattr(ri.item, key)
                if text is not None:
                    ri.nodes[key] = check_expression(str(text), kind, ri.origin, ri.id, key, policy.params)
    for ri in policy.exceptions:
        for target in ri.item.waives:
            crit = criteria_ids.get(target)
            if crit is None:
                raise RuleFileError(
                    en=f"waives {quote(target)}, which is not a criterion of {policy.id}",
                    vi=f"miễn trừ {quote(target)}, nhưng đây không phải tiêu chí của {policy.id}",
                    where=ri.origin.where(ri.id, "waives"),
                )
            if not crit.item.waivable:
                raise RuleFileError(
                    en=f"waives {quote(target)}, which is not marked waivable",
                    vi=f"miễn trừ {quote(target)}, nhưng tiêu chí này không được đánh dấu có thể miễn trừ",
                    where=ri.origin.where(ri.id, "waives"),
                )
    _check_fund_base(policy)
    settings = policy.allowance
    for post, text in (settings.post_amounts or {}).items():
        origin = Origin(pack=policy.id, file="allowance", line=None)
        check_expression(text, "number", origin, f"allowance.post_amounts.{post}", "post_amounts", policy.params)


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
    def reads(self) -> list[str]:
        """The case fields whose absence can leave the criterion unknown (named as missing)."""
        when = self.ri.nodes.get("when")
        return expr.refs(self.condition) + (expr.refs(when) if when is not None else []) + (
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
        self.fund = [self._row(ri, "coefficient") for ri in policy.fund if ri.item.effective.covers(as_of)]
        self.rates = [self._row(ri, "rate") for ri in policy.rates if ri.item.effective.covers(as_of)]
        # the rate table as declared, the one definition of rate matching: a row admits a line when
        # every key's value is admitted; ``rate_row`` reads it, the case engine's line rules are made from it
        self.rate_table: tuple[tuple[CompiledRow, dict[str, tuple[str, ...] | None]], ...] = tuple(
            (row, self._admits(row)) for row in self.rates)
        self.grants = [self._row(ri, "amount") for ri in policy.grants if ri.item.effective.covers(as_of)]
        self.grant_posts = {g.id: _posts_formula(None, g.ri.item.posts_all) for g in self.grants}
        self.post_amounts: dict[str, tuple[Any, list[str]]] = {}
        for post, text in (policy.allowance.post_amounts or {}).items():
            node = expr.substitute(expr.parse(text), self.params)
            value = expr.evaluate(node, {})
            self.post_amounts[post] = (None if value is expr.UNKNOWN else value, expr.params(node))
        self.terms = dict(self.compiler.terms)
        self._status_free: dict[tuple[str, bool], tuple[Any, tuple[str, ...]] | None] = {}
        self._rate_rows: dict[tuple[str, str, str], CompiledRow | None] = {}
        self._check_complexity()

    def _check_complexity(self) -> None:
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
            try:  # contradictions may prune it: expand it, giving up past the limit
                dnf(formula, MAX_CONDITION_ALTERNATIVES)
            except TooComplex:
                raise RuleFileError(
                    en=f"{key}: too complex on {self.as_of}: it expands to more than {MAX_CONDITION_ALTERNATIVES:,} "
                       f"alternatives (and/or combinations)",
                    vi=f"{key}: quá phức tạp vào ngày {self.as_of}: mở rộng thành hơn {MAX_CONDITION_ALTERNATIVES:,} "
                       f"phương án (tổ hợp và/hoặc)",
                    where=ri.origin.where(ri.id, key),
                ) from None

    def _row(self, ri: RuleItem, value_key: str) -> CompiledRow:
        when = ri.nodes.get("when")
        when_sub = expr.substitute(when, self.params) if when is not None else None
        verdict = self.compiler.tfu(when_sub) if when_sub is not None else TFU(FConst(True), FConst(False), FConst(False))
        value_node = expr.substitute(ri.nodes[value_key], self.params)
        value = expr.evaluate(value_node, {})
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and not -MAX_WHOLE <= value <= MAX_WHOLE:
            raise RuleFileError(
                en=f"{value_key}: on {self.as_of} it comes to {quote(value)}, larger than {MAX_WHOLE:,}",
                vi=f"{value_key}: ngày {self.as_of} giá trị là {quote(value)}, lớn hơn {MAX_WHOLE:,}",
                where=ri.origin.where(ri.id, value_key),
            )
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
        """The rule's title in ``lang`` with its ``{params.name}`` placeholders filled in with the
        values in force on the snapshot's date (``…`` where a value is unset)."""
        from engine.i18n import fmt_decimal, fmt_int, fmt_share

        text = ri.item.title.vi if lang == "vi" else ri.item.title.en

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

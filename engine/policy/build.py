"""Building the frozen ``Policy`` from a pack's layers: overlays merged, every reference and
expression checked, in one pass, with all of the pack's problems collected.

The loader (``engine.policy.loader``) turns files into ``Layer``s; ``build_policy`` merges them
parent first and checks what the merged pack says: sources declared, parameter values of their
type, titles naming parameters that exist, expressions that parse and type-check, exceptions
waiving waivable criteria, the fund base. A check that fails does not stop the others: every
problem is kept with its code, file, line and rule, and they are raised together
(``errors.Problems``), so a drafter fixes a pack in one round. Nothing is filled in afterwards:
the ``Policy`` that comes out is complete and frozen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine import lang as expr
from engine.contract.fields import FieldType, catalogue
from engine.errors import ExprError, Problems, RuleFileError, Where
from engine.i18n import Msg, Num
from engine.lang.typecheck import kind_word
from engine.limits import MAX_WHOLE, quote
from engine.policy.model import SECTIONS, AllowanceSettings, PackHeader, Parameter, SourceDoc, SourceRef, to_decimal
from engine.policy.resolved import NUMERIC, PLACEHOLDER, Origin, Override, ParamDef, Policy, RuleItem

#: The expressions of each section: (key, what it must be).
EXPRESSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "criteria": (("condition", "condition"), ("when", "condition")),
    "exceptions": (("condition", "condition"),),
    "fund": (("when", "condition"), ("coefficient", "number")),
    "rates": (("rate", "number"),),
    "grants": (("when", "condition"), ("amount", "number")),
    "targets": (),
    "notes": (("when", "condition"),),
    "roster": (("limit", "number"),),
}


@dataclass(frozen=True)
class RuleDecl:
    """A rule as one pack's file declares it (its expressions still text)."""

    section: str
    item: Any  # Criterion | ExceptionRule | FundRow | RateRow | Grant | Target
    origin: Origin

    @property
    def id(self) -> str:
        return str(self.item.id)


def _no_rules() -> dict[str, tuple[RuleDecl, ...]]:
    return {s: () for s in SECTIONS}


@dataclass(frozen=True)
class Layer:
    """One pack's (or proposal's) own contribution, before it is merged over its parent."""

    header: PackHeader
    params: Mapping[str, tuple[Parameter, Origin]] = field(default_factory=dict)
    rules: Mapping[str, tuple[RuleDecl, ...]] = field(default_factory=_no_rules)
    remove: tuple[tuple[str, Origin], ...] = ()
    allowance: tuple[AllowanceSettings, ...] = ()


def check_expression(text: str, kind: str, origin: Origin, rule_id: str, key: str,
                     param_types: Mapping[str, FieldType]) -> expr.Node:
    """Parse and type-check one expression (``param_types``: the pack's parameters' types),
    reporting errors at its rule and line."""
    line = origin.key_lines.get(key, origin.line)
    try:
        node = expr.parse(text)
        if kind == "condition":
            expr.check_condition(node, catalogue(), param_types)
        else:
            t = expr.check(node, catalogue(), param_types)
            if t.kind != "number":
                raise ExprError.of("expr.not-a-number", None, kind=kind_word(t.kind))
        return node
    except ExprError as exc:
        raise RuleFileError.of("pack.expression", Where(pack=origin.pack, file=origin.file, line=line, rule=rule_id),
                               key=key, problem=exc.msg(), text=quote(text)) from None


def merge_param(parent: Parameter, child: Parameter) -> Parameter:
    """An overlay's parameter: its fields replace the parent's; its dated values are merged into
    the inherited history (a date it gives wins), unless it says ``replace: true``."""
    update = {name: getattr(child, name) for name in child.model_fields_set if name != "replace"}
    if child.values is not None and not child.replace:
        update["values"] = {**(parent.values or {}), **child.values}
    return parent.model_copy(update=update)


@dataclass
class _Merged:
    """The layers merged (a working value of ``build_policy``, never seen outside it)."""

    sources: dict[str, SourceDoc] = field(default_factory=dict)
    source_pack: dict[str, str] = field(default_factory=dict)
    params: dict[str, tuple[Parameter, Origin]] = field(default_factory=dict)
    rules: dict[str, list[RuleDecl]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    allowance: AllowanceSettings = field(default_factory=AllowanceSettings)
    overrides: list[Override] = field(default_factory=list)


def _merge(layers: Sequence[Layer], problems: Problems) -> _Merged:
    m = _Merged()
    for layer in layers:
        header = layer.header
        m.sources.update(header.sources)
        m.source_pack.update({doc: header.id for doc in header.sources})
        for name, (param, origin) in layer.params.items():
            if name in m.params:
                parent = m.params[name][0]
                m.overrides.append(Override("parameter", "parameters", name, origin, parent, param))
                m.params[name] = (merge_param(parent, param), origin)
            else:
                m.params[name] = (param, origin)
        for item_id, origin in layer.remove:
            hits = [s for s in SECTIONS if any(d.id == item_id for d in m.rules[s])]
            if not hits:
                problems.add(RuleFileError.of("pack.remove-unknown", origin.where(item_id), id=quote(item_id)))
            for s in hits:
                m.rules[s] = [d for d in m.rules[s] if d.id != item_id]
        for section in SECTIONS:
            current = m.rules[section]
            seen_here: set[str] = set()
            for decl in layer.rules[section]:
                if decl.id in seen_here:
                    problems.add(RuleFileError.of("pack.duplicate-id", decl.origin.where(decl.id), id=quote(decl.id)))
                    continue
                seen_here.add(decl.id)
                for idx, existing in enumerate(current):
                    if existing.id == decl.id:
                        m.overrides.append(Override("replaced", section, decl.id, decl.origin))
                        current[idx] = decl
                        break
                else:
                    if layer is not layers[0]:
                        m.overrides.append(Override("added", section, decl.id, decl.origin))
                    current.append(decl)
        for settings in layer.allowance:
            m.allowance = m.allowance.model_copy(update={k: getattr(settings, k) for k in settings.model_fields_set})
    return m


def _effective_header(layers: Sequence[Layer]) -> PackHeader:
    real = [ly.header for ly in layers if ly.header.version != "proposal"]
    top = layers[-1].header
    base = real[-1] if real else top
    if top is base:
        return base
    return base.model_copy(update={"id": top.id, "title": top.title, "version": f"{base.version}+proposal",
                                   "fund_base": top.fund_base or base.fund_base})


class _Checker:
    """The checks of a merged pack; each reports into ``problems`` and goes on."""

    def __init__(self, m: _Merged, chain: list[str], pack: str, problems: Problems) -> None:
        self.m, self.chain, self.pack, self.problems = m, chain, pack, problems

    def sources(self, refs: Sequence[SourceRef], where: Where) -> None:
        for ref in refs:
            if ref.doc not in self.m.sources:
                self.problems.add(RuleFileError.of("pack.source-undeclared", where, doc=quote(ref.doc),
                                                   chain=", ".join(self.chain)))

    def param(self, name: str, param: Parameter, origin: Origin) -> ParamDef:
        """The parameter with its checked, dated history (a value that fails is left out)."""
        where = origin.where(name)
        self.sources(param.source, where)
        history = []
        for start, dv in sorted((param.values or {}).items()):
            with self.problems.catch():
                value = _check_value(name, param.type or "number", dv.value, start, where)
                conflicts = [c.model_copy(update={"value": _check_value(name, param.type or "number", c.value, start, where)})
                             for c in dv.conflicts]
                history.append((start, dv.model_copy(update={"value": value, "conflicts": conflicts})))
            if dv.source:
                self.sources([dv.source], where)
            self.sources([c.source for c in dv.conflicts], where)
        return ParamDef(name, param, origin, tuple(history))

    def rule(self, decl: RuleDecl, params: Mapping[str, ParamDef], param_types: Mapping[str, FieldType]) -> RuleItem:
        """The rule with its expressions parsed and checked (one that fails is left out)."""
        item, origin = decl.item, decl.origin
        for name in dict.fromkeys(PLACEHOLDER.findall(item.title.vi) + PLACEHOLDER.findall(item.title.en)):
            if name not in params:
                self.problems.add(RuleFileError.of("pack.title-placeholder", origin.where(decl.id, "title"),
                                                   name=name, pack=self.pack))
        self.sources(item.source, origin.where(decl.id))
        if not item.source:
            self.problems.add(RuleFileError.of("pack.no-source", origin.where(decl.id)))
        nodes: dict[str, expr.Node] = {}
        for key, kind in EXPRESSIONS[decl.section]:
            text = getattr(item, key)
            if text is not None:
                with self.problems.catch():
                    nodes[key] = check_expression(str(text), kind, origin, decl.id, key, param_types)
        return RuleItem(decl.section, item, origin, nodes)

    def waives(self, exceptions: Sequence[RuleItem], criteria: Sequence[RuleItem]) -> None:
        by_id = {c.id: c for c in criteria}
        for ri in exceptions:
            for target in ri.item.waives:
                crit = by_id.get(target)
                if crit is None:
                    self.problems.add(RuleFileError.of("pack.waives-unknown", ri.origin.where(ri.id, "waives"),
                                                       target=quote(target), pack=self.pack))
                elif not crit.item.waivable:
                    self.problems.add(RuleFileError.of("pack.waives-not-waivable", ri.origin.where(ri.id, "waives"),
                                                       target=quote(target)))

    def fund_base(self, name: str, params: Mapping[str, ParamDef], fund: Sequence[RuleItem]) -> None:
        """The fund base parameter must be money, and must exist when the pack has fund rules."""
        pd = params.get(name)
        if pd is None:
            if fund:
                ri = fund[0]
                self.problems.add(RuleFileError.of("pack.fund-base-missing", ri.origin.where(ri.id),
                                                   name=quote(name), pack=self.pack))
        elif pd.kind != "money":
            self.problems.add(RuleFileError.of("pack.fund-base-not-money", pd.origin.where(name),
                                               name=quote(name), kind=pd.kind))


def _check_value(name: str, kind: str, value: Any, start: date, where: Where) -> Any:
    """A dated parameter value checked against its type (money whole, shares not negative, …)."""
    value = to_decimal(value)
    ok = (
        value is None
        or (kind in NUMERIC and isinstance(value, (int, Decimal)) and not isinstance(value, bool))
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
    if ok and kind in NUMERIC and value is not None and abs(value) > MAX_WHOLE:
        raise RuleFileError.of("pack.parameter-too-large", where, name=quote(name), start=start, value=quote(value),
                               max=Num(MAX_WHOLE))
    if not ok:
        raise RuleFileError.of("pack.parameter-type", where, name=quote(name), start=start, value=quote(value),
                               kind=kind, hint=Msg.of("pack.parameter-money-hint") if kind == "money" else "")
    if kind == "date" and isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise RuleFileError.of("pack.parameter-date", where, name=quote(name), start=start,
                                   value=quote(value)) from None
    return value


def build_policy(layers: Sequence[Layer]) -> Policy:
    """Merge overlays in order (parent first), check every reference and expression, and return
    the frozen policy; every problem found is raised together (``errors.PackProblems``)."""
    top = layers[-1].header
    chain = [ly.header.id for ly in layers]
    problems = Problems(top.id)
    m = _merge(layers, problems)
    check = _Checker(m, chain, top.id, problems)
    params = {name: check.param(name, param, origin) for name, (param, origin) in m.params.items()}
    param_types = {name: p.field_type for name, p in params.items()}
    rules = {s: tuple(check.rule(d, params, param_types) for d in m.rules[s]) for s in SECTIONS}
    check.waives(rules["exceptions"], rules["criteria"])
    header = _effective_header(layers)
    assert header.fund_base is not None, "headers are settled by the loader"
    check.fund_base(header.fund_base, params, rules["fund"])
    for post, text in (m.allowance.post_amounts or {}).items():
        with problems.catch():
            check_expression(text, "number", Origin(pack=top.id, file="allowance", line=None),
                             f"allowance.post_amounts.{post}", "post_amounts", param_types)
    problems.raise_if_any()
    return Policy(
        id=top.id, header=header, chain=tuple(chain), sources=m.sources, params=params,
        criteria=rules["criteria"], exceptions=rules["exceptions"], fund=rules["fund"], rates=rules["rates"],
        grants=rules["grants"], targets=rules["targets"], notes=rules["notes"], roster=rules["roster"],
        allowance=m.allowance, source_pack=m.source_pack,
        overrides=tuple(m.overrides),
    )

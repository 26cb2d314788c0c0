"""Kleene logic compiled into three positive formulas: T (surely true), F (surely false), U.

Pattern-matching engines (durable-rules) and column engines (polars) have no "unknown": a
comparison with a missing value simply does not match. So every condition is compiled into
three formulas over primitive tests that *require* the field to be present, plus explicit
``Missing`` tests. Exactly one of T, F, U holds for any case; the back ends only ever evaluate
positive formulas, and the reference interpreter (``evaluate``) must agree with the result.

    T(a and b) = T(a) & T(b)          F(a and b) = F(a) | F(b)
    T(a or b)  = T(a) | T(b)          F(a or b)  = F(a) & F(b)
    T(not a)   = F(a)                 F(not a)   = T(a)
    U(e)       = not T(e) and not F(e), written positively per connective

Non-trivial arithmetic over fields becomes a named *term*, computed once per case by the
reference interpreter and then compared like a field.

A ``presence`` function (``known(x)``, ``engine.lang.functions``) is never unknown: it becomes the
presence tests themselves, T = present(x), F = missing(x), U = false, which every back end
already evaluates, so no back end needs a form of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Union

from engine.lang.ast import NEGATE, And, Arith, Call, Cmp, In, ListLit, Lit, Node, Not, Or, Ref, refs
from engine.lang.functions import FUNCTIONS, common_numbers


@dataclass(frozen=True)
class FConst:
    value: bool


@dataclass(frozen=True)
class FAtom:
    """``path op value`` with the field present; value is a constant or ``FieldOf``."""

    op: str
    path: str
    value: Any


@dataclass(frozen=True)
class FieldOf:
    path: str


@dataclass(frozen=True)
class FMissing:
    path: str


@dataclass(frozen=True)
class FPresent:
    path: str


@dataclass(frozen=True)
class FHas:
    """List field ``path`` present and (not) containing ``item``."""

    path: str
    item: str
    contains: bool = True


@dataclass(frozen=True)
class FAll:
    items: tuple["Formula", ...]


@dataclass(frozen=True)
class FAny:
    items: tuple["Formula", ...]


Formula = Union[FConst, FAtom, FMissing, FPresent, FHas, FAll, FAny]
TRUE, FALSE = FConst(True), FConst(False)


def all_of(*items: Formula) -> Formula:
    flat: list[Formula] = []
    for f in items:
        if f == FALSE:
            return FALSE
        if f == TRUE:
            continue
        for g in f.items if isinstance(f, FAll) else (f,):
            if g not in flat:
                flat.append(g)
    if not flat:
        return TRUE
    return flat[0] if len(flat) == 1 else FAll(tuple(flat))


def any_of(*items: Formula) -> Formula:
    flat: list[Formula] = []
    for f in items:
        if f == TRUE:
            return TRUE
        if f == FALSE:
            continue
        for g in f.items if isinstance(f, FAny) else (f,):
            if g not in flat:
                flat.append(g)
    if not flat:
        return FALSE
    return flat[0] if len(flat) == 1 else FAny(tuple(flat))


@dataclass(frozen=True)
class TFU:
    t: Formula
    f: Formula
    u: Formula

    def negate(self) -> "TFU":
        return TFU(self.f, self.t, self.u)


class Compiler:
    """Compiles substituted expressions to T/F/U; collects the terms the case must carry."""

    def __init__(self) -> None:
        self.terms: dict[str, Node] = {}

    def term_path(self, node: Node) -> str:
        if isinstance(node, Ref):
            return node.path
        digest = hashlib.sha1(repr(node).encode()).hexdigest()[:10]
        path = f"_t_{digest}"
        self.terms[path] = node
        return path

    def tfu(self, node: Node) -> TFU:
        if isinstance(node, Lit):
            if node.value is None:
                return TFU(FALSE, FALSE, TRUE)
            return TFU(FConst(bool(node.value)), FConst(not node.value), FALSE)
        if isinstance(node, Ref):  # a bare boolean field
            return TFU(FAtom("==", node.path, True), FAtom("==", node.path, False), FMissing(node.path))
        if isinstance(node, Not):
            return self.tfu(node.item).negate()
        if isinstance(node, And):
            parts = [self.tfu(i) for i in node.items]
            return TFU(
                all_of(*(p.t for p in parts)),
                any_of(*(p.f for p in parts)),
                all_of(*(any_of(p.t, p.u) for p in parts), any_of(*(p.u for p in parts))),
            )
        if isinstance(node, Or):
            parts = [self.tfu(i) for i in node.items]
            return TFU(
                any_of(*(p.t for p in parts)),
                all_of(*(p.f for p in parts)),
                all_of(*(any_of(p.f, p.u) for p in parts), any_of(*(p.u for p in parts))),
            )
        if isinstance(node, Cmp):
            return self._cmp(node)
        if isinstance(node, In):
            result = self._in(node)
            return result.negate() if node.negated else result
        if isinstance(node, Call) and (fn := FUNCTIONS.get(node.fn)) is not None and fn.presence:
            return self._presence(node.args[0])
        raise ValueError(f"not a condition: {node!r}")

    def _presence(self, arg: Node) -> TFU:
        """``known(arg)``: surely true or surely false, never unknown. A constant (a parameter,
        substituted) is decided now; a field or a computed term by its presence."""
        if isinstance(arg, Lit):
            return TFU(FConst(arg.value is not None), FConst(arg.value is None), FALSE)
        path = self.term_path(arg)
        return TFU(FPresent(path), FMissing(path), FALSE)

    def _side(self, node: Node) -> tuple[str | None, Any]:
        """(path, None) for a field or term, (None, value) for a constant. A term that reads no
        field (``params.head_term_years * 12``, parameters written in) is a constant: computed now,
        unknown (None) when it rests on an unset parameter, so the comparison is decided or surely
        unknown here, as with a bare parameter, and no back end carries it as a term."""
        if isinstance(node, Lit):
            return None, node.value
        if isinstance(node, (Arith, Call)) and not refs(node):
            from engine.lang.evaluate import UNKNOWN, evaluate

            value = evaluate(node, {})
            return None, None if value is UNKNOWN else value
        if isinstance(node, (Ref, Arith, Call)):
            return self.term_path(node), None
        raise ValueError(f"unsupported comparison side {node!r}")

    def _cmp(self, node: Cmp) -> TFU:
        lp, lv = self._side(node.left)
        rp, rv = self._side(node.right)
        op = node.op
        if lp is None and rp is None:
            if lv is None or rv is None:
                return TFU(FALSE, FALSE, TRUE)
            from engine.lang.evaluate import evaluate

            value = evaluate(node, {})
            return TFU(FConst(value is True), FConst(value is False), FALSE)
        if lp is None:  # constant on the left: flip so the field is on the left
            from engine.lang.ast import FLIP

            lp, rp, lv, rv, op = rp, None, rv, lv, FLIP[op]
        assert lp is not None
        if rp is None:
            if rv is None:  # unset parameter: never decidable
                return TFU(FALSE, FALSE, TRUE)
            return TFU(FAtom(op, lp, rv), FAtom(NEGATE[op], lp, rv), FMissing(lp))
        return TFU(
            FAtom(op, lp, FieldOf(rp)),
            FAtom(NEGATE[op], lp, FieldOf(rp)),
            any_of(FMissing(lp), FMissing(rp)),
        )

    def _in(self, node: In) -> TFU:
        item, container = node.item, node.container
        if isinstance(container, ListLit):
            values = tuple(i.value for i in container.items if isinstance(i, Lit))
            container = Lit(values)
        if isinstance(container, Lit):
            if container.value is None:
                return TFU(FALSE, FALSE, TRUE)
            path, value = self._side(item)
            if path is None:
                if value is None:
                    return TFU(FALSE, FALSE, TRUE)
                hit = value in container.value
                return TFU(FConst(hit), FConst(not hit), FALSE)
            values = tuple(container.value)
            if not values:
                return TFU(FALSE, FPresent(path), FMissing(path))
            return TFU(
                any_of(*(FAtom("==", path, v) for v in values)),
                all_of(*(FAtom("!=", path, v) for v in values)),
                FMissing(path),
            )
        # constant item in a list field
        assert isinstance(item, Lit)
        path = self.term_path(container)
        if item.value is None:
            return TFU(FALSE, FALSE, TRUE)
        return TFU(FHas(path, item.value, True), FHas(path, item.value, False), FMissing(path))


def holds(formula: Formula, env: dict[str, Any]) -> bool:
    """Evaluate a positive formula on one case (used by tests and the reference engine)."""
    if isinstance(formula, FConst):
        return formula.value
    if isinstance(formula, FMissing):
        return env.get(formula.path) is None
    if isinstance(formula, FPresent):
        return env.get(formula.path) is not None
    if isinstance(formula, FHas):
        value = env.get(formula.path)
        return value is not None and ((formula.item in value) == formula.contains)
    if isinstance(formula, FAtom):
        left = env.get(formula.path)
        right = env.get(formula.value.path) if isinstance(formula.value, FieldOf) else formula.value
        if left is None or right is None:
            return False
        from engine.lang.evaluate import _CMP

        a, b = common_numbers(left, right)
        return bool(_CMP[formula.op](a, b))
    if isinstance(formula, FAll):
        return all(holds(f, env) for f in formula.items)
    if isinstance(formula, FAny):
        return any(holds(f, env) for f in formula.items)
    raise ValueError(formula)


Conjunct = tuple[Formula, ...]  # primitive tests that must all hold


def _contradicts(a: Formula, b: Formula) -> bool:
    pa, pb = getattr(a, "path", None), getattr(b, "path", None)
    if pa is None or pa != pb:
        return False
    if isinstance(a, FMissing) or isinstance(b, FMissing):
        return not (isinstance(a, FMissing) and isinstance(b, FMissing))
    if isinstance(a, FHas) and isinstance(b, FHas):
        return a.item == b.item and a.contains != b.contains
    if isinstance(a, FAtom) and isinstance(b, FAtom) and not isinstance(a.value, FieldOf) and a.value == b.value:
        return NEGATE[a.op] == b.op
    if isinstance(a, FAtom) and isinstance(b, FAtom) and a.op == b.op == "==" and not isinstance(a.value, FieldOf):
        return a.value != b.value and not isinstance(b.value, FieldOf)
    return False


class TooComplex(ValueError):
    """A formula with more alternatives in DNF than the back end or the analysis will build:
    ``count`` of them (``more``: at least that many, the expansion stopped there)."""

    def __init__(self, count: int, more: bool = False) -> None:
        super().__init__(f"condition too complex: {'more than ' if more else ''}{count} alternatives")
        self.count, self.more = count, more


def alternatives(formula: Formula) -> int:
    """An upper bound of ``len(dnf(formula))``, computed without expanding anything."""
    if isinstance(formula, FConst):
        return 1 if formula.value else 0
    if isinstance(formula, FAny):
        return sum(alternatives(f) for f in formula.items)
    if isinstance(formula, FAll):
        total = 1
        for f in formula.items:
            total *= alternatives(f)
        return total
    return 1


def dnf(formula: Formula, limit: int = 4096) -> list[Conjunct]:
    """The formula as a list of conjunctions of primitive tests (contradictions and subsumed
    conjunctions removed). Pattern engines with a cap on expressions per rule (durable-rules
    allows 32) get one small rule per conjunct instead of one deep rule."""
    if isinstance(formula, FConst):
        return [()] if formula.value else []
    if isinstance(formula, FAny):
        out: list[Conjunct] = []
        for item in formula.items:
            out.extend(dnf(item, limit))
        return _minimal(out, limit)
    if isinstance(formula, FAll):
        acc: list[Conjunct] = [()]
        for item in formula.items:
            nxt: list[Conjunct] = []
            rights = dnf(item, limit)
            for left in acc:
                for right in rights:
                    merged = left + tuple(r for r in right if r not in left)
                    if not any(_contradicts(x, y) for i, x in enumerate(merged) for y in merged[i + 1:]):
                        nxt.append(merged)
                if len(nxt) > 8 * limit:  # stop before the quadratic pruning: it would take minutes
                    raise TooComplex(8 * limit, more=True)
            acc = _minimal(nxt, limit)
            if not acc:
                return []
        return acc
    return [(formula,)]


def _minimal(conjuncts: list[Conjunct], limit: int) -> list[Conjunct]:
    sets = [(c, frozenset(c)) for c in conjuncts]
    keep: list[Conjunct] = []
    seen: list[frozenset] = []
    for c, s in sorted(sets, key=lambda cs: len(cs[1])):
        if any(prev <= s for prev in seen):
            continue
        seen.append(s)
        keep.append(c)
    if len(keep) > limit:
        raise TooComplex(len(keep))
    return keep

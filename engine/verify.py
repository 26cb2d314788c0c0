"""Static verification of rule packs: what examples miss, found from the rules themselves.

The analysis works on the snapshot's T/F/U formulas in disjunctive normal form: a conjunction of
primitive tests is satisfiable exactly when, field by field, its tests are consistent (numeric
intervals within the field's domain, sets of text values, list membership, presence). That gives
**proofs** for conditions comparing fields with constants and parameters — all the shipped packs
use — and a **witness case** for every satisfiable one. Comparisons of two fields, and arithmetic
terms, are treated as unconstrained: findings that depend on them are best-effort (said so in
the finding). Each check runs on every date at which a parameter or a rule's period changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .expr.logic import FAtom, FConst, FHas, FieldOf, FMissing, FPresent, Formula, all_of, any_of, dnf
from .policy import Policy
from .schema import POSTS, STATUSES, catalogue

# declared domains of numeric fields: any age a dossier can carry, shares 0–1, counts ≥ 0
DOMAINS: dict[str, tuple[Decimal, Decimal]] = {"candidate.age": (Decimal(0), Decimal(120))}
_BIG = Decimal(10**9)


def domain(path: str) -> tuple[Decimal, Decimal]:
    if path in DOMAINS:
        return DOMAINS[path]
    ft = catalogue().get(path)
    if ft is not None and ft.share:
        return Decimal(0), Decimal(1)
    return Decimal(0), _BIG


@dataclass
class Finding:
    code: str
    severity: str  # error / warning / info
    pack: str
    rules: list[str]
    en: str
    vi: str
    file: str | None = None
    line: int | None = None
    witness: dict[str, Any] | None = None
    as_of: str | None = None
    proof: bool = True  # False: best-effort (field-to-field comparisons or terms involved)

    def message(self, lang: str) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{self.severity.upper():7} {self.code:<24} {where}{', '.join(self.rules)} — {self.vi if lang == 'vi' else self.en}"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


# -- satisfiability of a conjunct, with a witness ----------------------------------------------


@dataclass
class _Field:
    lo: Decimal
    hi: Decimal
    lo_open: bool = False
    hi_open: bool = False
    eq: set[Any] = field(default_factory=set)
    ne: set[Any] = field(default_factory=set)
    has: set[str] = field(default_factory=set)
    has_not: set[str] = field(default_factory=set)
    missing: bool = False
    present: bool = False


def _num(v: Any) -> Decimal | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, Decimal)):
        return Decimal(str(v))
    if isinstance(v, date):
        return Decimal(v.toordinal())
    return None


def solve(conjunct: tuple[Formula, ...]) -> tuple[dict[str, Any] | None, bool]:
    """(assignment or None when unsatisfiable, exact?) for a conjunction of primitive tests."""
    fields: dict[str, _Field] = {}
    exact = True

    def get(path: str) -> _Field:
        if path not in fields:
            lo, hi = domain(path)
            fields[path] = _Field(lo, hi)
        return fields[path]

    for t in conjunct:
        if isinstance(t, FConst):
            if not t.value:
                return None, True
            continue
        path = t.path
        if path.startswith("_t_"):
            exact = False  # an arithmetic term: not reasoned about
            continue
        f = get(path)
        if isinstance(t, FMissing):
            f.missing = True
        elif isinstance(t, FPresent):
            f.present = True
        elif isinstance(t, FHas):
            f.present = True
            (f.has if t.contains else f.has_not).add(t.item)
        elif isinstance(t, FAtom):
            f.present = True
            if isinstance(t.value, FieldOf):
                exact = False
                continue
            n = _num(t.value)
            if t.op == "==":
                f.eq.add(t.value)
            elif t.op == "!=":
                f.ne.add(t.value)
            elif n is not None:
                if t.op in (">", ">="):
                    if n > f.lo or (n == f.lo and t.op == ">"):
                        f.lo, f.lo_open = n, t.op == ">"
                else:
                    if n < f.hi or (n == f.hi and t.op == "<"):
                        f.hi, f.hi_open = n, t.op == "<"
    out: dict[str, Any] = {}
    for path, f in fields.items():
        if f.missing:
            if f.present:
                return None, True
            out[path] = None
            continue
        value = _pick(path, f)
        if value is _NONE:
            return None, True
        out[path] = value
    return out, exact


_NONE = object()


def _pick(path: str, f: _Field) -> Any:
    ft = catalogue().get(path)
    kind = ft.kind if ft else "number"
    if kind == "list" or path == "posts":
        if f.has & f.has_not:
            return _NONE
        return tuple(sorted(f.has))
    if f.eq:
        if len({str(v) for v in f.eq}) > 1:
            return _NONE
        v = next(iter(f.eq))
        if v in f.ne:
            return _NONE
        n = _num(v)
        if n is not None and not _in_range(n, f):
            return _NONE
        return v
    if kind == "bool":
        for v in (True, False):
            if v not in f.ne:
                return v
        return _NONE
    if kind == "str":
        for v in (ft.values if ft and ft.values else ("x", "y")):
            if v not in f.ne:
                return v
        return _NONE
    if kind == "date":
        lo = f.lo if f.lo > 0 else Decimal(date(2000, 1, 1).toordinal())
        return date.fromordinal(int(lo) + (1 if f.lo_open else 0))
    integral = not (ft and ft.share)
    return _number_in(f, integral)


def _in_range(n: Decimal, f: _Field) -> bool:
    return (n > f.lo if f.lo_open else n >= f.lo) and (n < f.hi if f.hi_open else n <= f.hi)


def _number_in(f: _Field, integral: bool) -> Any:
    if integral:
        lo = math.floor(f.lo) + 1 if f.lo_open or f.lo != math.floor(f.lo) else int(f.lo)
        hi = math.ceil(f.hi) - 1 if f.hi_open or f.hi != math.ceil(f.hi) else int(f.hi)
        for v in range(int(lo), min(int(hi), int(lo) + len(f.ne) + 1) + 1):
            if Decimal(v) not in {_num(x) for x in f.ne}:
                return v
        return _NONE
    step = Decimal("0.01")
    v = f.lo + (step if f.lo_open else 0)
    while _in_range(v, f):
        if v not in {_num(x) for x in f.ne}:
            return float(v)
        v += step
    return _NONE


def satisfiable(formula: Formula) -> tuple[dict[str, Any] | None, bool]:
    exact_all = True
    for conj in dnf(formula):
        sol, exact = solve(conj)
        exact_all &= exact
        if sol is not None:
            return sol, exact
    return None, exact_all


def witness_case(assignment: dict[str, Any], as_of: date, country: str) -> dict[str, Any]:
    """A dossier (the evaluate input) realizing an assignment of fields."""
    hamlet: dict[str, Any] = {"id": "witness", "country": country}
    candidate: dict[str, Any] = {"id": "witness"}
    posts = None
    for path, value in assignment.items():
        if value is None:
            continue
        if path == "posts":
            posts = list(value)
        elif path == "candidate.age":
            candidate["birth_date"] = _birth_for(int(value), as_of).isoformat()
        elif path.startswith("hamlet."):
            hamlet[path.split(".", 1)[1]] = list(value) if isinstance(value, tuple) else (
                value.isoformat() if isinstance(value, date) else value)
        elif path.startswith("candidate."):
            candidate[path.split(".", 1)[1]] = list(value) if isinstance(value, tuple) else (
                value.isoformat() if isinstance(value, date) else value)
    case: dict[str, Any] = {"hamlet": hamlet}
    if len(candidate) > 1 or posts:
        case["candidate"] = candidate
        case["posts"] = posts or []
    return case


def _birth_for(age: int, as_of: date) -> date:
    try:
        return as_of.replace(year=as_of.year - age) - timedelta(days=1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - age, day=28) - timedelta(days=1)

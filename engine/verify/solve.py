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

from engine.lang.logic import FAll, FAny, FAtom, FConst, FHas, FieldOf, FMissing, FPresent, Formula, alternatives, dnf
from engine.contract.fields import catalogue

# declared domains of numeric fields: any age a dossier can carry, shares 0–1, counts ≥ 0
DOMAINS: dict[str, tuple[Decimal, Decimal]] = {"candidate.age": (Decimal(0), Decimal(120))}
_BIG = Decimal(10**9)
#: Alternatives (DNF, before pruning) up to which a combination of rules is expanded as it is;
#: beyond, with a cap of an eighth of it, past which the checks of that date are skipped with a
#: warning (``lint``).
MAX_ANALYSED_ALTERNATIVES = 4096


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
        assert not isinstance(t, (FAll, FAny)), "a conjunct holds primitive tests only"
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
    d = f.lo + (step if f.lo_open else 0)
    while _in_range(d, f):
        if d not in {_num(x) for x in f.ne}:
            return float(d)
        d += step
    return _NONE


def satisfiable(formula: Formula, terms: dict[str, Any] | None = None) -> tuple[dict[str, Any] | None, bool]:
    """(a satisfying assignment or None, is the answer a proof?).

    Interval reasoning decides conjunctions of field-to-constant tests exactly; a conjunction it
    cannot decide (field-to-field comparisons, arithmetic terms) goes to z3 when available."""
    # a formula that may expand a lot is expanded with a low cap, so giving up (TooComplex, which
    # the caller reports) takes a second, not minutes
    small = alternatives(formula) <= MAX_ANALYSED_ALTERNATIVES
    exact_all = True
    for conj in dnf(formula) if small else dnf(formula, MAX_ANALYSED_ALTERNATIVES // 8):
        sol, exact = solve(conj)
        if not exact:
            smt = solve_smt(conj, terms or {})
            if smt is not None:
                sol, exact = smt
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


# -- SMT fallback (z3) for what interval reasoning cannot decide ---------------------------------


def solve_smt(conjunct: tuple[Formula, ...], terms: dict[str, Any]) -> tuple[dict[str, Any] | None, bool] | None:
    """Decide a conjunction with z3 when it compares two fields or uses arithmetic terms.

    Returns None when z3 is not installed (the caller keeps its best-effort answer)."""
    try:
        import z3
    except ImportError:  # pragma: no cover - z3-solver is a dependency, but stay usable without it
        return None
    from engine.lang.ast import Arith, Call, Lit, Ref

    cat = catalogue()
    solver = z3.Solver()
    present: dict[str, Any] = {}
    var: dict[str, Any] = {}
    items: dict[tuple[str, str], Any] = {}

    def pres(path: str) -> Any:
        if path not in present:
            present[path] = z3.Bool(f"present:{path}")
        return present[path]

    def kind(path: str) -> str:
        ft = cat.get(path)
        return "number" if path == "candidate.age" else (ft.kind if ft else "number")

    def v(path: str) -> Any:
        if path not in var:
            k, ft = kind(path), cat.get(path)
            if k == "bool":
                var[path] = z3.Bool(path)
            elif k == "str" and ft and ft.values:
                var[path] = z3.Int(path)
                solver.add(z3.Implies(pres(path), z3.And(var[path] >= 0, var[path] < len(ft.values))))
            elif k == "str":
                var[path] = z3.String(path)
            elif k == "number" and ft is not None and ft.share:
                var[path] = z3.Real(path)
            else:
                var[path] = z3.Int(path)
            if k in ("number", "date"):
                lo, hi = domain(path) if k == "number" else (Decimal(1), Decimal(3_000_000))
                solver.add(z3.Implies(pres(path), z3.And(var[path] >= int(lo), var[path] <= int(hi))))
        return var[path]

    def item(path: str, name: str) -> Any:
        if (path, name) not in items:
            items[(path, name)] = z3.Bool(f"{path}#{name}")
        return items[(path, name)]

    def const(path: str, value: Any) -> Any:
        ft = cat.get(path)
        if isinstance(value, str) and ft and ft.values:
            return ft.values.index(value) if value in ft.values else -1
        if isinstance(value, str):
            return z3.StringVal(value)
        if isinstance(value, date):
            return value.toordinal()
        if isinstance(value, Decimal):
            return z3.RealVal(str(value))
        return value

    def node(n: Any) -> tuple[Any, list[Any]]:
        """(z3 expression, presence conditions) of a term's expression tree."""
        if isinstance(n, Ref):
            return v(n.path), [pres(n.path)]
        if isinstance(n, Lit):
            return (z3.RealVal(str(n.value)) if isinstance(n.value, Decimal) else n.value), []
        if isinstance(n, Arith):
            (a, pa), (b, pb) = node(n.left), node(n.right)
            return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[n.op], pa + pb
        if isinstance(n, Call) and n.fn == "len":
            arg = n.args[0]
            assert isinstance(arg, Ref), "the type checker lets len() take a list field only"
            path = arg.path
            values = cat[path].values or ()
            return z3.Sum([z3.If(item(path, x), 1, 0) for x in values]), [pres(path)]
        raise ValueError(n)

    def side(path: str) -> tuple[Any, list[Any]]:
        if path.startswith("_t_"):
            return node(terms[path])
        return v(path), [pres(path)]

    ops = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
           "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
    for t in conjunct:
        if isinstance(t, FConst):
            if not t.value:
                return None, True
            continue
        if isinstance(t, FMissing):
            solver.add(z3.Not(z3.And(side(t.path)[1])) if t.path.startswith("_t_") else z3.Not(pres(t.path)))
        elif isinstance(t, FPresent):
            solver.add(z3.And(side(t.path)[1]))
        elif isinstance(t, FHas):
            solver.add(pres(t.path), item(t.path, t.item) == t.contains)
        elif isinstance(t, FAtom):
            left, need = side(t.path)
            if isinstance(t.value, FieldOf):
                right, more = side(t.value.path)
                need = need + more
            else:
                right = const(t.path, t.value)
            solver.add(*need, ops[t.op](left, right))
    if solver.check() != z3.sat:
        return None, True
    model = solver.model()
    out: dict[str, Any] = {}
    for path in sorted(set(present) | set(var)):
        if path.startswith("_t_"):
            continue
        if not z3.is_true(model.eval(pres(path), model_completion=True)):
            out[path] = None
            continue
        k, ft = kind(path), cat.get(path)
        if k == "list" and ft is not None:  # a list field is in the catalogue
            out[path] = tuple(x for x in (ft.values or ()) if z3.is_true(model.eval(item(path, x), model_completion=True)))
            continue
        val = model.eval(v(path), model_completion=True)
        if k == "bool":
            out[path] = z3.is_true(val)
        elif k == "str" and ft and ft.values:
            out[path] = ft.values[val.as_long()]
        elif k == "str":
            out[path] = val.as_string()
        elif k == "date":
            out[path] = date.fromordinal(val.as_long())
        elif ft is not None and ft.share:
            out[path] = float(val.as_fraction())
        else:
            out[path] = val.as_long()
    for (path, _), _b in items.items():
        if path not in out and z3.is_true(model.eval(pres(path), model_completion=True)):
            out[path] = tuple(x for x in (cat[path].values or ()) if z3.is_true(model.eval(item(path, x), model_completion=True)))
    return out, True

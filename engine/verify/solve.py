"""Static verification of rule packs: what examples miss, found from the rules themselves.

The analysis works on the snapshot's T/F/U formulas in disjunctive normal form: a conjunction of
primitive tests is satisfiable exactly when, field by field, its tests are consistent (numeric
intervals within the field's domain, sets of text values, list membership, presence). That gives
**proofs** for conditions comparing fields with constants and parameters — all the shipped packs
use — and a **witness case** for every satisfiable one. Comparisons of two fields, and arithmetic
terms, are treated as unconstrained: findings that depend on them are best-effort (said so in
the finding). Each check runs on every date at which a parameter or a rule's period changes.

The as-of date (``as_of`` in a condition) is not a field of the case: it is the date the check runs
for, pinned to it when the caller gives one. ``years_between`` and ``months_between`` are decided
exactly by z3 (each date split into year, month and day in linear integer arithmetic); ``known(x)``
is x's presence test, decided like any other; a term the SMT part cannot
translate leaves the answer best-effort (``Unsupported``), never an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from collections.abc import Callable, Mapping
from typing import Any

from engine.lang import functions, parse
from engine.lang.ast import Call, Ref
from engine.lang.logic import FAll, FAny, FAtom, FConst, FHas, FieldOf, FMissing, FPresent, Formula, alternatives, dnf
from engine.contract import constraints
from engine.contract.fields import DERIVED, DERIVED_AS, DERIVED_FROM, catalogue, number_bounds

# a value the contract gives no range (a date before it is clipped to the calendar, the as-of date)
_BIG = Decimal(10**9)
#: Alternatives (DNF, before pruning) up to which a combination of rules is expanded as it is;
#: beyond, with a cap of an eighth of it, past which the checks of that date are skipped with a
#: warning (``lint``).
MAX_ANALYSED_ALTERNATIVES = 4096


def domain(path: str) -> tuple[Decimal, Decimal]:
    """The range of a field as the contract declares it (``engine.contract.constraints``): a
    derived field's ``DERIVED_BOUNDS``, a number's kind's ``BOUNDS`` (shares 0–1, whole numbers)."""
    if path in constraints.DERIVED_BOUNDS:
        lo, hi = constraints.DERIVED_BOUNDS[path]
        return Decimal(lo), Decimal(hi)
    bounds = number_bounds().get(path)
    if bounds is not None:
        return Decimal(str(bounds[1])), Decimal(str(bounds[2]))
    return Decimal(0), _BIG


def _not_after_as_of(path: str) -> bool:
    """A date the contract says cannot be after the as-of date (``NOT_AFTER_AS_OF``)."""
    return path in constraints.NOT_AFTER_AS_OF


def _reads(fields: Mapping[str, Any], path: str) -> bool:
    """Whether a conjunction's fields include ``path``, or a field derived from it (``DERIVED_FROM``)."""
    return any(p == path or path in DERIVED_FROM.get(p, ()) for p in fields)


def _not_before(path: str) -> list[str]:
    """The dates ``path`` cannot come before (``constraints.NOT_BEFORE``)."""
    return [rule.other for rule in constraints.NOT_BEFORE if rule.path == path]


#: The severities of a finding, most serious first.
SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    """One finding of ``kiemnhiem rules lint``. Its sentence is a catalogue text (``lint.yaml``:
    ``lint.<code>``, or a variant ``lint.<code>.<variant>``), kept in every language in ``texts``;
    ``en``/``vi`` are the English and Vietnamese ones, as the JSON report has always shown them."""

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
    texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # language → sentence

    @classmethod
    def of(cls, text: str, severity: str, rules: list[str], params: Mapping[str, Any] | None = None, *,
           pack: str, **kw: Any) -> "Finding":
        """The finding whose sentence is the catalogue's ``text`` filled with ``params``; its code is
        the part of ``text`` after ``lint.`` (a variant's suffix dropped)."""
        from engine.i18n import texts

        words = texts(text, **(params or {}))
        return cls(text.split(".")[1], severity, pack, rules, words["en"], words["vi"], texts=words, **kw)

    def text(self, lang: str) -> str:
        """The sentence in ``lang`` (English for a finding made without the catalogues)."""
        return self.texts.get(lang) or (self.vi if lang == "vi" else self.en)

    def message(self, lang: str) -> str:
        from engine.i18n import t

        labels = {s: t(f"lint.severity.{s}", lang) for s in SEVERITIES}
        width = max(len(label) for label in labels.values())
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{labels[self.severity]:<{width}} {self.code:<24} {where}{', '.join(self.rules)} — {self.text(lang)}"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "texts"}


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


AS_OF = "as_of"  # the term of the language naming the as-of date


class Unsupported(ValueError):
    """A term the SMT translation does not cover: the answer stays best-effort."""


@dataclass(frozen=True)
class Smt:
    """What a function's z3 form may use while a conjunction is translated: ``node`` translates a
    sub-term to (z3 term, presence conditions), ``item`` is the Boolean "this list field holds this
    value", ``present`` the Boolean "this field is given", ``civil`` splits a day number into
    (year, month, day), ``catalogue`` the fields."""

    node: Callable[[Any], tuple[Any, list[Any]]]
    item: Callable[[str, str], Any]
    present: Callable[[str], Any]
    civil: Callable[[Any], tuple[Any, Any, Any]]
    catalogue: Mapping[str, Any]


# the arithmetic operators (``functions.OPERATORS``): given the operands' z3 terms (or Python
# numbers, for constants), each returns (its term, the conditions for it to have a value beyond
# its operands')

@functions.implements("verify", "+")
def _add(a: Any, b: Any) -> tuple[Any, list[Any]]:
    return a + b, []


@functions.implements("verify", "-")
def _subtract(a: Any, b: Any) -> tuple[Any, list[Any]]:
    return a - b, []


@functions.implements("verify", "*")
def _multiply(a: Any, b: Any) -> tuple[Any, list[Any]]:
    return a * b, []


@functions.implements("verify", "/")
def _divide(a: Any, b: Any) -> tuple[Any, list[Any]]:
    """Division of reals, with a value only where the divisor is not 0, as the reference: it divides
    exactly (z3's ``/`` of two integers rounds down: 21 / 2 = 10) and a divisor of 0 gives unknown
    (z3 leaves x / 0 unconstrained, any number, so a case dividing by 0 could "pass")."""
    a, b = _real(a), _real(b)
    return a / b, [b != 0]


def _real(x: Any) -> Any:
    """A z3 real: an integer term converted, a Python number (a constant) made exact."""
    import z3

    if z3.is_expr(x):
        return z3.ToReal(x) if z3.is_int(x) else x
    return z3.RealVal(str(x))


@functions.implements("verify", "len")
def _len(call: Call, smt: Smt) -> tuple[Any, list[Any]]:
    """The number of a list field's values present (of those its type allows)."""
    import z3

    arg = call.args[0]
    if not isinstance(arg, Ref):  # the length of a list written in the rule or a parameter
        raise Unsupported(f"no SMT form for {call!r}")
    path = arg.path
    values = smt.catalogue[path].values or ()
    return z3.Sum([z3.If(smt.item(path, x), 1, 0) for x in values]), [smt.present(path)]


@functions.implements("verify", "years_between")
def _years_between(call: Call, smt: Smt) -> tuple[Any, list[Any]]:
    """Whole years, as a person counts birthdays (each date split into year, month, day)."""
    import z3

    (a, pa), (b, pb) = smt.node(call.args[0]), smt.node(call.args[1])
    (ya, ma, da), (yb, mb, db) = smt.civil(a), smt.civil(b)
    before = z3.Or(mb < ma, z3.And(mb == ma, db < da))
    return yb - ya - z3.If(before, 1, 0), pa + pb


@functions.implements("verify", "months_between")
def _months_between(call: Call, smt: Smt) -> tuple[Any, list[Any]]:
    """Whole months, a month complete when its day comes round (each date split into year, month, day)."""
    import z3

    (a, pa), (b, pb) = smt.node(call.args[0]), smt.node(call.args[1])
    (ya, ma, da), (yb, mb, db) = smt.civil(a), smt.civil(b)
    return (yb - ya) * 12 + mb - ma - z3.If(db < da, 1, 0), pa + pb


def solve(conjunct: tuple[Formula, ...], as_of: date | None = None) -> tuple[dict[str, Any] | None, bool]:
    """(assignment or None when unsatisfiable, exact?) for a conjunction of primitive tests;
    ``as_of`` (the date checked) pins the ``as_of`` term."""
    fields: dict[str, _Field] = {}
    exact = True

    def get(path: str) -> _Field:
        if path not in fields:
            lo, hi = domain(path)
            fields[path] = _Field(lo, hi)
            if path == AS_OF and as_of is not None:
                fields[path].eq.add(as_of)
                fields[path].present = True
            elif as_of is not None and _not_after_as_of(path):
                fields[path].hi = min(fields[path].hi, Decimal(as_of.toordinal()))
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
    for rule in constraints.NOT_BEFORE:  # a relation between two dates of the case: z3 decides it
        if _reads(fields, rule.path) and _reads(fields, rule.other):
            exact = False
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
        if path == "posts" and f.has & set(constraints.HAMLET_POSTS) and f.has & set(constraints.AGENCY_POSTS):
            return _NONE  # posts of two kinds of unit: no case holds them (refused as input)
        return tuple(sorted(f.has))
    if f.eq:
        if len({str(v) for v in f.eq}) > 1:
            return _NONE
        v = next(iter(f.eq))
        if v in f.ne or (kind == "str" and ft is not None and ft.values and v not in ft.values):
            return _NONE  # (a code the field cannot hold, e.g. from a list parameter)
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
    if kind == "date":  # 2000-01-01 when the bounds allow it, else the day nearest to it within them
        f.lo, f.hi = max(f.lo, Decimal(1)), min(f.hi, Decimal(date.max.toordinal()))
        day = _number_in(f, True, near=date(2000, 1, 1).toordinal())
        return _NONE if day is _NONE else date.fromordinal(day)
    integral = not (ft and ft.share)
    return _number_in(f, integral)


def _in_range(n: Decimal, f: _Field) -> bool:
    return (n > f.lo if f.lo_open else n >= f.lo) and (n < f.hi if f.hi_open else n <= f.hi)


def _number_in(f: _Field, integral: bool, near: int | None = None) -> Any:
    if integral:
        lo = math.floor(f.lo) + 1 if f.lo_open or f.lo != math.floor(f.lo) else int(f.lo)
        hi = math.ceil(f.hi) - 1 if f.hi_open or f.hi != math.ceil(f.hi) else int(f.hi)
        if near is not None:  # start from the value nearest to ``near`` the bounds allow
            lo = min(max(lo, near), hi - len(f.ne)) if hi - len(f.ne) >= lo else lo
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


def satisfiable(formula: Formula, terms: dict[str, Any] | None = None,
                as_of: date | None = None) -> tuple[dict[str, Any] | None, bool]:
    """(a satisfying assignment or None, is the answer a proof?).

    Interval reasoning decides conjunctions of field-to-constant tests exactly; a conjunction it
    cannot decide (field-to-field comparisons, arithmetic terms) goes to z3 when available. A
    term z3 is not given (``Unsupported``) keeps the interval answer, marked best-effort."""
    # a formula that may expand a lot is expanded with a low cap, so giving up (TooComplex, which
    # the caller reports) takes a second, not minutes
    small = alternatives(formula) <= MAX_ANALYSED_ALTERNATIVES
    exact_all = True
    for conj in dnf(formula) if small else dnf(formula, MAX_ANALYSED_ALTERNATIVES // 8):
        sol, exact = solve(conj, as_of)
        if not exact:
            try:
                smt = solve_smt(conj, terms or {}, as_of)
            except Unsupported:
                smt = None
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
        if path in DERIVED_AS:  # a derived field is realized by the field it is derived from
            path, value = _counted_from(path), _birth_for(int(value), as_of)
        if path == "posts":
            posts = list(value)
        elif path.startswith("hamlet."):
            hamlet[path.split(".", 1)[1]] = list(value) if isinstance(value, tuple) else (
                value.isoformat() if isinstance(value, date) else value)
        elif path.startswith("candidate."):
            candidate[path.split(".", 1)[1]] = list(value) if isinstance(value, tuple) else (
                value.isoformat() if isinstance(value, date) else value)
    case: dict[str, Any] = {"hamlet": hamlet}
    if len(candidate) > 1 or posts or assignment.get("candidate.id") is not None:  # a rule on any candidate needs one
        case["candidate"] = candidate
        case["posts"] = posts or []
    return case


def _counted_from(path: str) -> str:
    """The date a derived field counts whole years from: its declaration (``DERIVED_AS``) is
    ``years_between(<a date field>, as_of)``, the only form a witness knows how to realize."""
    node = parse(DERIVED_AS[path])
    if (isinstance(node, Call) and node.fn == "years_between" and isinstance(node.args[0], Ref)
            and node.args[1] == Ref(AS_OF)):
        return node.args[0].path
    raise NotImplementedError(f"no witness for the derived field {path} = {DERIVED_AS[path]}")


def _birth_for(age: int, as_of: date) -> date:
    """A date ``age`` whole years before the as-of date (its anniversary the day before)."""
    try:
        return as_of.replace(year=as_of.year - age) - timedelta(days=1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - age, day=28) - timedelta(days=1)


# -- SMT fallback (z3) for what interval reasoning cannot decide ---------------------------------


def solve_smt(conjunct: tuple[Formula, ...], terms: dict[str, Any],
              as_of: date | None = None) -> tuple[dict[str, Any] | None, bool] | None:
    """Decide a conjunction with z3 when it compares two fields or uses arithmetic terms.

    Returns None when z3 is not installed (the caller keeps its best-effort answer); raises
    ``Unsupported`` for a term it has no translation of."""
    try:
        import z3
    except ImportError:  # pragma: no cover - z3-solver is a dependency, but stay usable without it
        return None
    from engine.lang.ast import Arith, Lit

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
        return DERIVED[path].kind if path in DERIVED else (ft.kind if ft else "number")

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
                solver.add(z3.Length(var[path]) >= 1)  # a text field is never empty
            elif k == "number" and ft is not None and ft.share:
                var[path] = z3.Real(path)
            else:
                var[path] = z3.Int(path)
            if k in ("number", "date"):
                lo, hi = domain(path) if k == "number" else (Decimal(1), Decimal(date.max.toordinal()))
                solver.add(z3.Implies(pres(path), z3.And(var[path] >= int(lo), var[path] <= int(hi))))
            if path == AS_OF and as_of is not None:  # the date checked, not a free variable
                solver.add(pres(path), var[path] == as_of.toordinal())
            elif as_of is not None and _not_after_as_of(path):
                solver.add(z3.Implies(pres(path), var[path] <= as_of.toordinal()))
            if path in DERIVED_AS:  # a derived field is its declaration: age, years from the birth date
                term, need = node(parse(DERIVED_AS[path]))
                solver.add(pres(path) == z3.And(need), z3.Implies(pres(path), var[path] == term))
            for earlier in _not_before(path):
                solver.add(z3.Implies(z3.And(pres(path), pres(earlier)), var[path] >= v(earlier)))
        return var[path]

    def civil(ordinal: Any) -> tuple[Any, Any, Any]:
        """(year, month, day) of a date given as its ordinal (``date.toordinal``), in linear integer
        arithmetic: exact for every date a case can carry."""
        if isinstance(ordinal, int):
            d = date.fromordinal(ordinal)
            return d.year, d.month, d.day
        n = len(solver.assertions())
        y, m, d = z3.Int(f"year:{n}"), z3.Int(f"month:{n}"), z3.Int(f"day:{n}")
        leap = z3.Or(z3.And(y % 4 == 0, y % 100 != 0), y % 400 == 0)
        before_year = 365 * (y - 1) + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400
        cumulative = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
        lengths = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
        before_month: Any = 0
        length: Any = 31
        for i in range(12, 0, -1):
            before_month = z3.If(m == i, cumulative[i - 1] + (z3.If(leap, 1, 0) if i > 2 else 0), before_month)
            length = z3.If(m == i, lengths[i - 1] + (z3.If(leap, 1, 0) if i == 2 else 0), length)
        solver.add(y >= 1, y <= 9999, m >= 1, m <= 12, d >= 1, d <= length, ordinal == before_year + before_month + d)
        return y, m, d

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
            if n.value is None or isinstance(n.value, tuple):  # an unset parameter; a list
                raise Unsupported(f"no SMT form for {n!r}")
            if isinstance(n.value, date):
                return n.value.toordinal(), []
            return (z3.RealVal(str(n.value)) if isinstance(n.value, Decimal) else n.value), []
        if isinstance(n, Arith):
            op = functions.form("verify", n.op)
            if op is not None:
                (a, pa), (b, pb) = node(n.left), node(n.right)
                value, defined = op(a, b)
                return value, pa + pb + defined
        if isinstance(n, Call):
            form = functions.form("verify", n.fn)
            if form is not None:
                return form(n, smt)
        raise Unsupported(f"no SMT form for {n!r}")

    smt = Smt(node=node, item=item, present=pres, civil=civil, catalogue=cat)

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
    # a case cannot hold posts of two kinds of unit (``constraints.unit_problems``: refused as input)
    held = {k: [b for (path, name), b in items.items() if path == "posts" and name in posts]
            for k, posts in (("hamlet", constraints.HAMLET_POSTS), ("agency", constraints.AGENCY_POSTS))}
    if held["hamlet"] and held["agency"]:
        solver.add(z3.Not(z3.And(z3.Or(held["hamlet"]), z3.Or(held["agency"]))))
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

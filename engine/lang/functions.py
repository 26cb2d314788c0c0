"""The functions of the rule language, each declared once.

A ``Function`` says everything the language layer knows about one function: its name, its
argument and result types (the type checker's kinds), hence its arity, the catalogue code of
the message a wrong argument type gets (``engine/messages/<lang>/language.yaml``), the
reference implementation on known values (``evaluate`` propagates unknown: a function of an
unknown argument is unknown), and its text form in explanations.
The parser, the type checker, the interpreter (hence the reference and durable back ends, whose
terms are computed by it) and the explanations read it.

The back ends' own forms (polars expressions for ``columnar``, z3 terms for ``verify``) are
written in the back-end modules, next to the machinery they need, and registered there by name
with ``implements``: this layer never imports polars or z3, not even lazily (the one-case path must
not load them). Which back ends a function must have a form for is declared here, in
``BACKENDS``; a back end that deliberately has none says so in the declaration
(``unsupported={"verify": "<code of why>"}``, a catalogue code), and then refuses a pack using the function when it compiles
the pack (``missing``), or, for ``verify``, answers best-effort as for any term it cannot
translate. ``tests/test_functions.py`` checks that every function has, for every back end, a
form or a declared refusal.

A function with ``fold`` is computed by the parser on its literal arguments (``date('2020-01-01')``
becomes a date literal), so it never reaches a back end.

A function with ``presence`` (``known(x)``) is *total*: it is true or false, never unknown, so it is
the one way a rule can speak of a field that is not given without becoming unknown itself (a
``when: known(candidate.term_start)`` applies a rule only to dossiers that give a term start,
and leaves every other dossier's answer as it was). It says whether its argument has a value: the
logic compiler (``engine.lang.logic``) turns it into the presence tests every back end already
evaluates, so it never reaches a back end either; its reference implementation is given ``None``
for an unknown argument (``evaluate``). A field only such a function reads is never named
missing (``open_refs``): its absence decides nothing.

The arithmetic operators ``+ - * /`` (``ast.Arith``) are declared the same way, in ``OPERATORS``
(``Operator``: symbol, kinds, reference, type error code, text), and every back end registers a form of
each with ``implements`` under its symbol; an operator has no declared refusal: every back end
computes every one (``tests/test_functions.py``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine.lang.ast import And, Call, Node, Not, Or, Ref, children

#: The back ends that compile a function into their own form (reference and durable evaluate
#: terms with ``Function.reference``; explanations use ``Function.text``).
BACKENDS = ("columnar", "verify")


@dataclass(frozen=True)
class Function:
    name: str
    args: tuple[str, ...]  # the kind of each argument (``FieldType.kind``)
    result: str  # the kind of the result
    reference: Callable[..., Any]  # on known argument values
    type_error: str  # catalogue code of the message when an argument has the wrong kind
    fold: bool = False  # computed at parse time on literal arguments
    presence: bool = False  # total: whether its argument has a value, compiled to presence tests
    value_error: str = "fn.invalid-value"  # catalogue code when a folded call's value is refused; {call}
    unsupported: dict[str, str] = field(default_factory=dict)  # back end → catalogue code of why it has no form
    text: Callable[[str, tuple[str, ...]], str] | None = None  # its text in explanations, if not name(args)

    @property
    def arity(self) -> int:
        return len(self.args)

    def show(self, args: tuple[str, ...]) -> str:
        return self.text(self.name, args) if self.text else f"{self.name}({', '.join(args)})"


def years_between(start: date, end: date) -> int:
    """Whole years from start to end (an age on a date), as a person counts birthdays."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def months_between(start: date, end: date) -> int:
    """Whole months from start to end, as a person counts months: one more each time the day of
    the month of ``start`` comes round (a month from 15 January is complete on 15 February). A
    month from the 31st is complete on the 1st of the month after a shorter month (from 31
    January, one month on 1 March in a year whose February has 28 days), as ``years_between``
    completes a year from 29 February on 1 March: a month is never complete before its day."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def known(value: Any) -> bool:
    """Whether a value is given (``evaluate`` passes ``None`` for an unknown argument)."""
    return value is not None


#: the kind of an argument that may be of any kind (``known``)
ANY = "any"

FUNCTIONS: dict[str, Function] = {f.name: f for f in (
    Function("len", ("list",), "number", len, "fn.len.argument"),
    Function("years_between", ("date", "date"), "number", years_between, "fn.years_between.argument"),
    Function("months_between", ("date", "date"), "number", months_between, "fn.months_between.argument"),
    Function("known", (ANY,), "bool", known, "fn.known.argument", presence=True),
    Function("date", ("str",), "date", date.fromisoformat, "fn.date.argument", fold=True,
             value_error="fn.date.value"),
)}


def common_numbers(a: Any, b: Any) -> tuple[Any, Any]:
    """Two known numbers on a common footing: a float (a share) meeting a Decimal (a literal such
    as ``0.5``) is taken as a float, since Python cannot add the two and compares them exactly
    (``0.1 != Decimal('0.1')``); any other pair as it is."""
    if isinstance(a, float) and isinstance(b, Decimal):
        return a, float(b)
    if isinstance(b, float) and isinstance(a, Decimal):
        return float(a), b
    return a, b


@dataclass(frozen=True)
class Operator:
    """An arithmetic operator, written between its operands (``left symbol right``, ``ast.Arith``)."""

    symbol: str
    reference: Callable[[Any, Any], Any]  # on known operands; None where the result has no value
    type_error: str = "fn.operator.numbers"  # catalogue code when an operand has the wrong kind; {symbol}
    args: tuple[str, str] = ("number", "number")  # the kind of each operand
    result: str = "number"

    def show(self, left: str, right: str) -> str:
        """Its text in explanations."""
        return f"{left} {self.symbol} {right}"


def _on_numbers(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``op`` on two known numbers brought to a common footing (``common_numbers``)."""
    def reference(a: Any, b: Any) -> Any:
        return op(*common_numbers(a, b))
    return reference


def divide(a: Any, b: Any) -> Any:
    """a / b, exactly (in Decimal) unless the dividend is a float; nothing (unknown, as a missing
    field) when b is 0: a rule dividing by 0 has no verdict, it does not pass or fail by accident."""
    if b == 0:
        return None
    return Decimal(a) / Decimal(b) if not isinstance(a, float) else a / b


#: symbol → operator; the parser's grammar gives their precedence (``* /`` before ``+ -``)
OPERATORS: dict[str, Operator] = {o.symbol: o for o in (
    Operator("+", _on_numbers(operator.add)),
    Operator("-", _on_numbers(operator.sub)),
    Operator("*", _on_numbers(operator.mul)),
    Operator("/", _on_numbers(divide)),
)}

#: back end → function name or operator symbol → its form there, filled by the back-end modules
#: (``implements``)
_FORMS: dict[str, dict[str, Callable[..., Any]]] = {b: {} for b in BACKENDS}


def implements(backend: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register a back end's form of a declared function, or of an operator by its
    symbol. A function's form is given the call and the back end's translation of sub-terms; an
    operator's form its two operands, already translated (each back end says what it returns)."""
    if name not in OPERATORS:
        fn = FUNCTIONS[name]  # a form of an undeclared function is a KeyError at import
        if backend in fn.unsupported:
            raise ValueError(f"{name}() is declared unsupported by {backend}")

    def register(form: Callable[..., Any]) -> Callable[..., Any]:
        _FORMS[backend][name] = form
        return form

    return register


def form(backend: str, name: str) -> Callable[..., Any] | None:
    """A back end's form of a function or an operator, or None when it has none (see ``missing``)."""
    return _FORMS[backend].get(name)


def calls(node: Node) -> Iterator[Call]:
    """Every call in an expression tree."""
    if isinstance(node, Call):
        yield node
    for child in children(node):
        yield from calls(child)


def open_refs(node: Node) -> list[str]:
    """The case fields an expression reads whose absence can leave it unknown, in order of first
    appearance: every field it reads but one read only by a ``presence`` function (``known(x)`` is
    true or false whether x is given or not), and one *guarded* by it: in ``known(x) and …`` a
    missing x makes the whole false, in ``not known(x) or …`` true, so x's absence decides there
    and leaves nothing unknown (``when: known(candidate.interim) and candidate.interim`` never names
    candidate.interim as missing). What a decision lists as missing is read from here, by every
    engine."""
    seen: dict[str, None] = {}

    def presence_of(n: Node) -> str | None:
        """The field ``n`` tests the presence of (``known(x)``), if it is such a test."""
        if isinstance(n, Call) and (fn := FUNCTIONS.get(n.fn)) is not None and fn.presence:
            arg = n.args[0]
            return arg.path if isinstance(arg, Ref) else None
        return None

    def walk(n: Node, guarded: frozenset[str]) -> None:
        if isinstance(n, Call) and (fn := FUNCTIONS.get(n.fn)) is not None and fn.presence:
            return
        if isinstance(n, Ref):
            if n.path not in guarded:
                seen.setdefault(n.path, None)
            return
        if isinstance(n, And):  # known(x) and …: x missing, the whole is false
            guarded = guarded | {p for i in n.items if (p := presence_of(i))}
        elif isinstance(n, Or):  # not known(x) or …: x missing, the whole is true
            guarded = guarded | {p for i in n.items if isinstance(i, Not) and (p := presence_of(i.item))}
        for child in children(n):
            walk(child, guarded)

    walk(node, frozenset())
    return list(seen)


def missing(node: Node, backend: str) -> list[tuple[str, str | None]]:
    """(function, catalogue code of why) for each function the expression uses that the back end
    has no form of; None for why when the function declares no refusal (a form not registered).
    A ``presence`` function is compiled to presence tests, which every back end has."""
    out: dict[str, str | None] = {}
    for c in calls(node):
        fn = FUNCTIONS.get(c.fn)
        if fn is not None and fn.presence:
            continue
        if form(backend, c.fn) is None:
            out.setdefault(c.fn, fn.unsupported.get(backend) if fn else None)
    return list(out.items())

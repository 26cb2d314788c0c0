"""The expression language: parsing, type errors, Kleene logic, and T/F/U compiled formulas."""

from __future__ import annotations

import itertools
import random
from datetime import date
from decimal import Decimal

import pytest

from engine import lang as expr
from engine.errors import ExprError
from engine.lang.ast import And, Cmp, Lit, Not, Or, Ref
from engine.lang.logic import Compiler, dnf, holds
from engine.contract.fields import FieldType, catalogue

PARAMS = {"min_age": FieldType("number"), "statuses": FieldType("list")}


def test_precedence_and_literals() -> None:
    node = expr.parse("not a.b or c.d and x.y >= 2.5")
    assert isinstance(node, Or)
    assert isinstance(node.items[0], Not)
    assert isinstance(node.items[1], And)
    assert node.items[1].items[1] == Cmp(">=", Ref("x.y"), Lit(Decimal("2.5")))
    assert expr.parse("date('2023-08-01')") == Lit(date(2023, 8, 1))


@pytest.mark.parametrize("text,column", [("candidate.age >= ", 18), ("candidate.age >= 21 )", 21),
                                          ("candidate.age ~ 3", 15), ("eval(1)", 1)])
def test_syntax_errors_name_the_column(text: str, column: int) -> None:
    with pytest.raises(ExprError) as info:
        expr.parse(text)
    assert info.value.column == column


@pytest.mark.parametrize("text,message", [
    ("candidate.agee >= 21", "unknown field"),
    ("params.nope > 1", "unknown parameter"),
    ("candidate.party_status == 'ful'", "'ful' is not a value of candidate.party_status"),
    ("candidate.birth_date > 3", "cannot compare date with number"),
    ("candidate.age", "expected a yes/no condition"),
    ("candidate.party_status > 'full'", "only be compared with == or !="),
    ("'isle' in hamlet.area", "'isle' is not one of"),
    ("len(candidate.age) > 1", "len() takes a list"),
])
def test_type_errors(text: str, message: str) -> None:
    with pytest.raises(ExprError, match=message.replace("(", r"\(").replace(")", r"\)")):
        expr.check_condition(expr.parse(text), catalogue(), PARAMS)


def test_kleene_truth_tables() -> None:
    env = {"a": True, "f": False}  # "u" is missing
    ev = lambda s: expr.evaluate(expr.parse(s), env)  # noqa: E731
    assert ev("u.x and f") is False
    assert ev("u.x or a") is True
    assert ev("u.x and a") is expr.UNKNOWN
    assert ev("u.x or f") is expr.UNKNOWN
    assert ev("not u.x") is expr.UNKNOWN


def test_years_between_counts_birthdays() -> None:
    assert expr.years_between(date(2004, 1, 1), date(2025, 1, 1)) == 21
    assert expr.years_between(date(2004, 1, 2), date(2025, 1, 1)) == 20
    assert expr.years_between(date(2004, 2, 29), date(2025, 2, 28)) == 20


CONDITIONS = [
    "x.n >= 3 and (x.b or 'k' in x.tags)",
    "not (x.n < 2 or x.s in ['p', 'q']) and x.m != x.n",
    "(x.s == 'p' and x.n > 1) or (x.s == 'q' and x.m <= 4) or 'z' in x.tags or not x.b",
    "len(x.tags) <= 1 or x.n + x.m > 5",
]


@pytest.mark.parametrize("text", CONDITIONS)
def test_tfu_partition_agrees_with_the_interpreter(text: str) -> None:
    """For every combination of present/missing values, exactly one of T, F, U holds, and it is
    the interpreter's verdict; the DNF of each formula says the same."""
    comp = Compiler()
    node = expr.parse(text)
    tfu = comp.tfu(node)
    forms = {"T": dnf(tfu.t), "F": dnf(tfu.f), "U": dnf(tfu.u)}
    domains = {
        "x.n": [None, 1, 2, 3], "x.m": [None, 2, 4], "x.b": [None, True, False],
        "x.s": [None, "p", "q", "r"], "x.tags": [None, (), ("k",), ("z", "k")],
    }
    keys = list(domains)
    for values in itertools.product(*domains.values()):
        env = {k: v for k, v in zip(keys, values) if v is not None}
        for path, term in comp.terms.items():
            value = expr.evaluate(term, env)
            if value is not expr.UNKNOWN:
                env[path] = value
        truth = expr.evaluate(node, env)
        expected = "U" if truth is expr.UNKNOWN else ("T" if truth else "F")
        got = [k for k in "TFU" if holds(getattr(tfu, k.lower()), env)]
        assert got == [expected], (env, got, expected)
        in_dnf = [k for k in "TFU" if any(all(holds(t, env) for t in conj) for conj in forms[k])]
        assert in_dnf == [expected], env


def test_dnf_removes_contradictions() -> None:
    comp = Compiler()
    tfu = comp.tfu(expr.parse("x.s == 'p' or x.n > 1"))
    for conj in dnf(tfu.u):
        paths_missing = {t.path for t in conj if type(t).__name__ == "FMissing"}
        paths_tested = {t.path for t in conj if type(t).__name__ == "FAtom"}
        assert not (paths_missing & paths_tested)


def test_random_expressions_agree(seed: int = 11) -> None:
    rng = random.Random(seed)
    atoms = ["x.n >= 2", "x.n < 3", "x.b", "x.s == 'p'", "'k' in x.tags", "x.m > x.n"]

    def gen(depth: int) -> str:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice(atoms)
        op = rng.choice(["and", "or", "not"])
        if op == "not":
            return f"not ({gen(depth - 1)})"
        return f"({gen(depth - 1)} {op} {gen(depth - 1)})"

    for _ in range(60):
        text = gen(4)
        comp = Compiler()
        node = expr.parse(text)
        tfu = comp.tfu(node)
        for _ in range(30):
            env = {k: rng.choice(v) for k, v in {"x.n": [1, 2, 3], "x.m": [1, 4], "x.b": [True, False],
                                                 "x.s": ["p", "q"], "x.tags": [(), ("k",)]}.items()
                   if rng.random() > 0.25}
            truth = expr.evaluate(node, env)
            expected = "U" if truth is expr.UNKNOWN else ("T" if truth else "F")
            assert [k for k in "TFU" if holds(getattr(tfu, k.lower()), env)] == [expected], text


def test_a_term_of_constants_is_computed_when_compiled() -> None:
    """A side that reads no field (parameters written in) is a constant, not a term the back ends
    carry: a comparison with it is decided like one with a bare parameter, and is surely unknown
    when a parameter it rests on is unset (so ``rules lint`` says the rule cannot decide then)."""
    from engine.lang import substitute
    from engine.lang.logic import FALSE, TRUE, FAtom

    node = expr.parse("months_between(candidate.party_join_date, as_of) < params.years * 12")
    c = Compiler()
    set_ = c.tfu(substitute(node, {"years": Decimal("2.5")}))
    (term,) = c.terms  # the months, not the constant
    assert set_.t == FAtom("<", term, Decimal("30.0")) and set_.f == FAtom(">=", term, Decimal("30.0"))
    c = Compiler()
    unset = c.tfu(substitute(node, {"years": None}))
    assert (unset.t, unset.f, unset.u) == (FALSE, FALSE, TRUE)
    assert all(expr.refs(t) for t in c.terms.values())  # the months may be a term; the constant is not
    assert Compiler().tfu(expr.parse("len(['a', 'b']) == 2")) == expr.TFU(TRUE, FALSE, FALSE)
    assert Compiler().tfu(expr.parse("1000 / 0 > 1")) == expr.TFU(FALSE, FALSE, TRUE)  # no value: unknown

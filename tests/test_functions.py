"""The function registry (``engine.lang.functions``): each function declared once, and every back
end held to it — a form of it, or a declared refusal the back end enforces when a pack is loaded
(never a crash on a row); each arithmetic operator declared once, and a form of it in every back end."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from engine import api
from engine.backends import columnar  # noqa: F401 - registers the polars forms
from engine.errors import ExprError, RuleFileError
from engine.lang import functions
from engine.lang.ast import Lit
from engine.lang.functions import BACKENDS, FUNCTIONS, OPERATORS, Function
from engine.verify import solve  # noqa: F401 - registers the z3 forms
from test_conformance import CONSTRUCTS, write_pack


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_function_has_every_back_ends_form_or_a_declared_refusal(name: str, backend: str) -> None:
    fn = FUNCTIONS[name]
    has_form = functions.form(backend, name) is not None
    if fn.fold or fn.presence:  # computed by the parser, or compiled to presence tests: never reaches a back end
        assert not has_form and backend not in fn.unsupported
        return
    assert has_form != (backend in fn.unsupported), (
        f"{name}() needs a {backend} form (functions.implements) or unsupported={{'{backend}': why}}")


def test_every_function_and_operator_message_is_in_the_catalogues() -> None:
    """The codes a declaration names (its type error, value error, refusals) are catalogue codes,
    as are the words naming each kind of value in a type error."""
    from engine.i18n import catalogue

    codes = {fn.type_error for fn in FUNCTIONS.values()} | {fn.value_error for fn in FUNCTIONS.values()}
    codes |= {why for fn in FUNCTIONS.values() for why in fn.unsupported.values()}
    codes |= {op.type_error for op in OPERATORS.values()}
    codes |= {f"expr.kind.{kind}" for kind in ("number", "str", "date", "bool", "list", "null")}
    assert sorted(codes - set(catalogue("en"))) == []


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_is_in_the_conformance_matrix(name: str) -> None:
    assert any(f"{name}(" in c.condition for c in CONSTRUCTS), f"add a construct using {name}() to test_conformance"


@pytest.mark.parametrize("symbol", sorted(OPERATORS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_operator_has_every_back_ends_form(symbol: str, backend: str) -> None:
    assert functions.form(backend, symbol) is not None, f"'{symbol}' needs a {backend} form (functions.implements)"


@pytest.mark.parametrize("symbol", sorted(OPERATORS))
def test_every_operator_is_parsed_and_in_the_conformance_matrix(symbol: str) -> None:
    from engine.lang import parse
    from engine.lang.ast import Arith, Ref

    assert parse(f"hamlet.population {symbol} 2") == Arith(symbol, Ref("hamlet.population"), Lit(2))
    assert any(f" {symbol} " in c.condition for c in CONSTRUCTS), f"add a construct using '{symbol}' to test_conformance"


def test_the_operator_registry_drives_the_interpreter_the_type_checker_and_the_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An operator's declaration alone gives its value, its type error and its text: a changed
    declaration is what every case engine computes and every explanation shows."""
    from engine.contract.fields import FieldType
    from engine.explain.reasons import _text
    from engine.lang import check, evaluate, parse

    node = parse("hamlet.population * 2")
    assert evaluate(node, {"hamlet.population": 21}) == 42
    assert _text(node) == "hamlet.population * 2"
    _words(monkeypatch, {"test.star": "'{symbol}' wants numbers"})
    monkeypatch.setitem(OPERATORS, "*", replace(OPERATORS["*"], reference=lambda a, b: a ** b, type_error="test.star"))
    assert evaluate(node, {"hamlet.population": 21}) == 441
    with pytest.raises(ExprError, match="'\\*' wants numbers"):
        check(parse("hamlet.name * 2"), {"hamlet.name": FieldType("str")}, {})


def test_division_by_zero_is_declared_unknown() -> None:
    """The reference divides exactly and gives no value for a divisor of 0 (unknown, not an error)."""
    from decimal import Decimal

    from engine.lang import UNKNOWN, evaluate, parse

    assert OPERATORS["/"].reference(1, 0) is None and OPERATORS["/"].reference(0.5, Decimal(0)) is None
    assert OPERATORS["/"].reference(21, 2) == Decimal("10.5")
    assert OPERATORS["+"].reference(0.25, Decimal("0.5")) == 0.75  # a share and a literal: as floats
    assert evaluate(parse("hamlet.population / hamlet.households"), {"hamlet.population": 5, "hamlet.households": 0}) is UNKNOWN


def test_a_back_end_cannot_register_a_form_it_declares_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FUNCTIONS, "double", _double(monkeypatch))
    with pytest.raises(ValueError, match="unsupported by columnar"):
        functions.implements("columnar", "double")


def _words(monkeypatch: pytest.MonkeyPatch, words: dict[str, str]) -> None:
    """Catalogue entries for a test's own declarations, in every language (the English text)."""
    from engine import i18n

    for lang in i18n.LANGS:
        for code, text in words.items():
            monkeypatch.setitem(i18n.catalogue(lang), code, text)


def _double(monkeypatch: pytest.MonkeyPatch) -> Function:
    """A function declared by a test, with its messages (catalogue codes) declared with it."""
    _words(monkeypatch, {"test.double.argument": "double() takes a number", "test.double.later": "not written yet"})
    return Function("double", ("number",), "number", lambda x: 2 * x, "test.double.argument",
                    unsupported={"columnar": "test.double.later", "verify": "test.double.later"})


def test_the_registry_drives_the_parser_and_the_type_checker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A function declared in the registry alone is parsed, type-checked and evaluated."""
    monkeypatch.setitem(FUNCTIONS, "double", _double(monkeypatch))
    from engine.lang import check, evaluate, parse
    from engine.contract.fields import FieldType

    node = parse("double(hamlet.population) > 1000")
    assert evaluate(node, {"hamlet.population": 600}) is True
    assert evaluate(node, {}) is not True and evaluate(node, {}) is not False  # unknown propagates
    with pytest.raises(ExprError, match="double\\(\\) takes 1 argument"):
        parse("double(1, 2) > 0")
    with pytest.raises(ExprError, match="double\\(\\) takes a number"):
        check(parse("double(hamlet.name) > 0"), {"hamlet.name": FieldType("str")}, {})


def test_date_is_folded_by_the_parser_with_the_registrys_messages() -> None:
    from engine.lang import parse
    from engine.lang.ast import Cmp, Lit

    node = parse("candidate.birth_date < date('1990-01-01')")
    assert isinstance(node, Cmp) and node.right == Lit(date(1990, 1, 1))
    with pytest.raises(ExprError, match="date\\('1990-13-01'\\) is not a YYYY-MM-DD date"):
        parse("date('1990-13-01')")
    with pytest.raises(ExprError, match="date\\(\\) takes a 'YYYY-MM-DD' text"):
        parse("date(1990)")


def test_a_function_a_back_end_lacks_is_refused_at_load_with_its_location(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A function with no columnar form: batch refuses the pack when it compiles it, naming the
    rule and its file (exit 2), while the case engines evaluate it and verify answers best-effort."""
    monkeypatch.setitem(FUNCTIONS, "double", _double(monkeypatch))
    rules = tmp_path / "rules"
    write_pack(rules, "vn.fn", "double(hamlet.population) > 1000")
    pol = api.load_policy("vn.fn", [rules])
    snap = pol.snapshot(date(2025, 1, 1))
    with pytest.raises(RuleFileError) as err:
        columnar.compiled(snap)
    assert err.value.where.rule == "vn.fn.rule" and "rules.yaml" in str(err.value.where.file)
    assert "double() cannot be evaluated on tables" in err.value.en and "not written yet" in err.value.en

    from cli import run

    out = tmp_path / "out.csv"
    code = run(["batch", str(Path(__file__).parent.parent / "examples" / "batch" / "nghe-an-sample.csv"), "-p", "vn.fn",
                "--rules", str(rules), "--as-of", "2025-01-01", "-o", str(out)])
    assert code == 2 and "double()" in capsys.readouterr().err and not out.exists()

    # the case engines compute it (the reference implementation); verify says best-effort
    from engine.backends import reference
    from engine.backends import durable as durable_backend
    from engine.backends.facts import add_terms, flatten
    from engine.batch.synth import case_data
    from engine.contract.case import Case

    data = case_data(random.Random(0), "VN", 0, snap.as_of)
    data["hamlet"]["population"] = 600
    env = add_terms(flatten(Case.model_validate(data), snap.as_of), snap.terms)
    cid = "vn.fn.rule"
    assert reference.verdicts(snap, env).criteria[cid] == durable_backend.verdicts(snap, env).criteria[cid] == "pass"
    cc = next(c for c in snap.criteria if c.id == cid)
    _, exact = solve.satisfiable(cc.verdict.t, snap.terms, snap.as_of)
    assert not exact


# -- months_between: whole months, as a person counts them -------------------------------------

#: (start, end, whole months): the day of the month comes round; month ends; leap years
MONTHS = [
    (date(2025, 1, 15), date(2025, 1, 15), 0),
    (date(2025, 1, 15), date(2025, 2, 14), 0),
    (date(2025, 1, 15), date(2025, 2, 15), 1),
    (date(2025, 1, 10), date(2025, 7, 9), 5),
    (date(2025, 1, 10), date(2025, 7, 10), 6),  # the sixth month is complete on its day
    (date(2024, 12, 31), date(2025, 1, 1), 0),  # across a year
    (date(2024, 12, 15), date(2025, 1, 15), 1),
    (date(2025, 1, 31), date(2025, 2, 28), 0),  # from the 31st: February has no 31st …
    (date(2025, 1, 31), date(2025, 3, 1), 1),  # … so the month is complete on 1 March, as a year from 29 February
    (date(2025, 1, 31), date(2025, 3, 31), 2),
    (date(2024, 1, 31), date(2024, 2, 29), 0),  # a leap year's February has a 29th, still no 31st
    (date(2024, 1, 29), date(2024, 2, 29), 1),
    (date(2024, 2, 29), date(2025, 2, 28), 11),  # from 29 February: one year is 12 months on 1 March
    (date(2024, 2, 29), date(2025, 3, 1), 12),
    (date(2024, 2, 29), date(2024, 3, 29), 1),
    (date(2022, 7, 10), date(2025, 1, 9), 29),  # a 2.5-year term: 30 months
    (date(2022, 7, 10), date(2025, 1, 10), 30),
    (date(2020, 6, 1), date(2025, 6, 1), 60),
    (date(2025, 6, 1), date(2025, 5, 1), -1),  # backwards: negative, as years_between
]


@pytest.mark.parametrize("start,end,months", MONTHS, ids=[f"{s}→{e}" for s, e, _ in MONTHS])
def test_months_between_counts_as_a_person_counts_months(start: date, end: date, months: int) -> None:
    assert functions.months_between(start, end) == months


def test_months_between_is_the_same_in_polars() -> None:
    """The columnar form gives the reference's months on the table above and on every pair of days
    around the month ends of a leap and a common year."""
    import polars as pl

    days = [date(y, m, d) for y in (2023, 2024) for m in (1, 2, 3, 12) for d in (1, 15, 28, 29, 30, 31)
            if (m != 2 or d <= (29 if y == 2024 else 28))]
    pairs = [(s, e) for s, e, _ in MONTHS] + [(s, e) for s in days for e in days]
    frame = pl.DataFrame({"s": [s for s, _ in pairs], "e": [e for _, e in pairs]}, schema={"s": pl.Date, "e": pl.Date})
    got = frame.select(columnar.months_between(pl.col("s"), pl.col("e")).alias("m"))["m"].to_list()
    assert got == [functions.months_between(s, e) for s, e in pairs]


def test_months_between_is_exact_in_z3() -> None:
    """The verify form is the reference's count: z3 finds no pair of days where they differ, at
    the month ends of a leap year (the term and the interim head are proved, not sampled)."""
    import z3

    from engine.lang import parse
    from engine.lang.logic import FAtom, FPresent

    node = parse("months_between(candidate.party_join_date, as_of)")
    for as_of in (date(2024, 2, 29), date(2024, 3, 1), date(2025, 2, 28), date(2025, 3, 31)):
        for months in (0, 1, 11, 12, 30):
            conj = (FPresent("candidate.party_join_date"), FAtom("==", "_t_m", months))
            sol, exact = solve.solve_smt(conj, {"_t_m": node}, as_of)
            assert exact and sol is not None
            start = sol["candidate.party_join_date"]
            assert functions.months_between(start, as_of) == months, (start, as_of, months)
    assert z3 is not None


# -- known(): true or false, never unknown ------------------------------------------------------


def test_known_is_total_and_compiled_to_presence_tests() -> None:
    from engine.lang import UNKNOWN, Compiler, check_condition, evaluate, open_refs, parse
    from engine.lang.logic import FALSE, FMissing, FPresent, holds
    from engine.contract.fields import catalogue

    node = parse("known(candidate.party_join_date) and candidate.health_ok")
    check_condition(node, catalogue(), {})
    assert evaluate(parse("known(candidate.party_join_date)"), {}) is False  # not given: false, not unknown
    assert evaluate(parse("known(candidate.party_join_date)"), {"candidate.party_join_date": date(2020, 1, 1)}) is True
    assert evaluate(node, {}) is False  # so a rule applied `when: known(x)` does not apply to a dossier without x
    tfu = Compiler().tfu(parse("known(candidate.party_join_date)"))
    assert tfu.t == FPresent("candidate.party_join_date") and tfu.f == FMissing("candidate.party_join_date") and tfu.u == FALSE
    for env in ({}, {"candidate.party_join_date": date(2020, 1, 1)}, {"candidate.health_ok": True},
                {"candidate.party_join_date": date(2020, 1, 1), "candidate.health_ok": False}):
        want = evaluate(node, env)
        c = Compiler().tfu(node)
        assert [holds(c.t, env), holds(c.f, env), holds(c.u, env)] == [want is True, want is False, want is UNKNOWN]
    # a field only known() reads is never named missing: its absence decides nothing
    assert open_refs(node) == ["candidate.health_ok"]
    # … nor one it guards: not given, `known(x) and …` is false and `not known(x) or …` true, whatever follows
    assert open_refs(parse("known(candidate.party_join_date) and candidate.party_join_date < as_of")) == ["as_of"]
    assert open_refs(parse("not known(candidate.party_join_date) or candidate.party_join_date < as_of")) == ["as_of"]
    assert open_refs(parse("not (known(candidate.interim) and candidate.interim)")) == []
    assert open_refs(parse("known(candidate.party_join_date) or candidate.party_join_date < as_of")) == [
        "candidate.party_join_date", "as_of"]  # not guarded: not given, the or is unknown


@pytest.mark.parametrize("text", ["known(candidate.age > 21)", "known(candidate.age) == true", "known(known(candidate.age))",
                                  "known(candidate.age) + 1 > 2", "months_between(candidate.age, as_of) > 1"])
def test_known_and_months_between_refuse_what_they_cannot_take(text: str) -> None:
    from engine.lang import check_condition, parse
    from engine.contract.fields import catalogue

    with pytest.raises(ExprError):
        check_condition(parse(text), catalogue(), {})


def test_known_of_a_parameter_is_decided_on_the_date(tmp_path: Path) -> None:
    """``known(params.x)`` is decided when the snapshot writes the parameter in: a rule can apply
    only where a province has set a value, in every back end alike (no form needed)."""
    rules = tmp_path / "rules"
    write_pack(rules, "vn.fn", "candidate.health_ok", when="known(params.max_paid_posts)")
    pol = api.load_policy("vn.fn", [rules])
    from engine.lang.logic import FALSE

    for day, applies in ((date(2023, 7, 31), False), (date(2023, 8, 1), True)):  # max_paid_posts: from 2023-08-01
        cc = next(c for c in pol.snapshot(day).criteria if c.id == "vn.fn.rule")
        assert cc.applies.t == (cc.posts if applies else FALSE)

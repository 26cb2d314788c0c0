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
    if fn.fold:  # computed by the parser: never reaches a back end
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

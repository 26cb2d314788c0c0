"""Reading a dossier into a ``Case``: every problem of the dossier at once, each naming its field,
what was expected and what was given.

The case contract itself (fields, types, constraints) is ``engine.contract.case``; this module turns
pydantic's validation errors into the messages a board reads, and reads dossier files safely.

A dossier about an agency or public service unit may say ``unit:`` where a hamlet's says
``hamlet:``: the same record (one model, ``Hamlet``, whose ``kind`` tells the two apart), read
here at the edge; its problems are named as written (``unit.households``). Both at once are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from engine.contract.case import Candidate, Case, Hamlet
from engine.contract.cells import CellError
from engine.contract.constraints import NOT_BEFORE, UNIT_KIND, unit_problems
from engine.contract.roster import Roster
from engine.contract.yamlsafe import load_input_json, load_input_text, read_input_file
from engine.errors import InputError, Where
from engine.i18n import Msg, t
from engine.limits import quote

#: pydantic's error type → the catalogue's code for what was expected, and the params it takes
#: from pydantic's context (``ge`` → ``low``)
_EXPECTED: dict[str, tuple[str, dict[str, str]]] = {
    "extra_forbidden": ("input.not-a-field", {}),
    "missing": ("input.required", {}),
    "greater_than_equal": ("input.at-least", {"ge": "low"}),
    "less_than_equal": ("input.at-most", {"le": "high"}),
    "bool_parsing": ("input.true-or-false", {}),
    "bool_type": ("input.true-or-false", {}),
    "int_parsing": ("input.whole-number", {}),
    "int_type": ("input.whole-number", {}),
    "int_from_float": ("input.whole-number", {}),
    "float_parsing": ("input.number", {}),
    "float_type": ("input.number", {}),
    "date_from_datetime_parsing": ("input.date", {}),
    "date_parsing": ("input.date", {}),
    "date_type": ("input.date", {}),
    "list_type": ("input.list", {}),
    "string_type": ("input.text", {}),
    "string_too_short": ("input.not-empty", {}),
    "too_short": ("input.not-empty", {}),
    "model_type": ("input.mapping-of-fields", {}),
    "dict_type": ("input.mapping", {}),
}


@dataclass(frozen=True)
class Choice:
    """The values a field may take, quoted and joined as the language joins a choice
    (``'a', 'b' or 'c'``; ``'a', 'b' hoặc 'c'``): pydantic words it in English only."""

    values: tuple[str, ...]

    def localized(self, lang: str) -> str:
        quoted = [f"'{v}'" for v in self.values]
        if len(quoted) < 2:
            return "".join(quoted)
        head = t("input.list.separator", lang).join(quoted[:-1])
        return t("input.list.or", lang, head=head, last=quoted[-1])


@dataclass(frozen=True)
class Joined:
    """A dossier's problems, each after its field, in one line of the language."""

    problems: tuple[tuple[str, Msg], ...]

    def localized(self, lang: str) -> str:
        return t("input.problems.separator", lang).join(
            t("input.field-problem", lang, field=loc, problem=msg) for loc, msg in self.problems)


def _literal(ctx: dict[str, Any]) -> Msg:
    """``must be one of …`` from pydantic's ``expected`` (``"'a', 'b' or 'c'"``)."""
    expected = str(ctx.get("expected", ""))
    values = tuple(re.findall(r"'([^']*)'", expected))
    return Msg.of("input.one-of", values=Choice(values) if values else expected)


def _problem(err: ErrorDetails) -> tuple[str, Msg]:
    """(field, message) for one validation problem: the field, what was expected, what was given."""
    loc = ".".join(str(p) for p in err["loc"])
    ctx = dict(err.get("ctx") or {})
    cause = ctx.get("error")
    if isinstance(cause, CellError):
        msg = cause.problem
    elif err["type"] == "literal_error":
        msg = _literal(ctx)
    elif err["type"] in _EXPECTED:
        code, names = _EXPECTED[err["type"]]
        msg = Msg.of(code, **{to: ctx.get(name) for name, to in names.items()})
    else:  # a problem pydantic words and no catalogue has: its own (English) words
        msg = Msg.of("input.invalid", detail=err["msg"])
    given = err.get("input")
    if err["type"] in ("missing", "model_type") or isinstance(given, (dict, list)):
        return loc, msg
    return loc, Msg.of("input.given", problem=msg, value=quote(given))


def case_error(exc: ValidationError, source: str, row: int | None = None) -> InputError:
    """Every validation problem of a dossier at once, each naming its field, what was expected
    and what was given: a dossier with four mistakes is fixed in one round, not four."""
    return _report([_problem(e) for e in exc.errors()], source, row)


def _report(problems: list[tuple[str, Msg]], source: str, row: int | None = None) -> InputError:
    """One report of a dossier's problems, each (field, message)."""
    if len(problems) == 1:
        loc, msg = problems[0]
        return InputError.of(msg.code, Where(file=source, row=row, field=loc), **msg.params)
    return InputError.of("input.problems", Where(file=source, row=row), count=len(problems), problems=Joined(tuple(problems)))


def read_case(data: Any, source: str = "<case>", as_of: date | None = None) -> Case:
    """Validate a dossier (a mapping) into a Case; impossible values name their field. With an
    as-of date, a birth or party-join date after it is one more problem of the same report."""
    if not isinstance(data, dict):
        raise InputError.of("input.dossier-not-mapping", Where(file=source))
    data, written = _unit_as_hamlet(data, source)
    problems: list[tuple[str, Msg]] = []
    case: Case | None = None
    try:
        case = Case.model_validate(data, context={"as_of": as_of})
    except ValidationError as exc:
        problems = [_problem(e) for e in exc.errors()]
    # the relations between fields join the same report: checked on the values that read well
    wrong = {loc for loc, _ in problems}
    problems += _relations(data, case, wrong)
    if UNIT_KIND not in wrong and "posts" not in wrong:
        hamlet = data.get("hamlet")
        # a field already wrong has its own problem: one report per field
        given = {f"hamlet.{k}" for k, v in hamlet.items() if v is not None} - wrong if isinstance(hamlet, dict) else set()
        problems += unit_problems(_value(data, case, UNIT_KIND), _value(data, case, "posts"), given)
    if problems:
        raise _report([(_as_written(loc, written), msg) for loc, msg in problems], source) from None
    assert case is not None
    return case


def _relations(data: dict[str, Any], case: Case | None, wrong: set[str], at: str = "") -> list[tuple[str, Msg]]:
    """The relations between a case's dates (``NOT_BEFORE``), on the values that read well; ``at``
    is where the case sits in the dossier (``holders.1.`` in a roster)."""
    out = []
    for rule in NOT_BEFORE:
        if at + rule.path in wrong or at + rule.other in wrong:
            continue
        value, other = _value(data, case, rule.path), _value(data, case, rule.other)
        if value is not None and other is not None and value < other:
            out.append((at + rule.path, rule.message(value, other)))
    return out


def read_roster(data: Any, source: str = "<roster>", as_of: date | None = None) -> Roster:
    """Validate a roster (a hamlet with ``holders``): every problem of every holder in one report,
    each named by its place (``holders.1.candidate.birth_date``)."""
    if not isinstance(data, dict):
        raise InputError.of("input.dossier-not-mapping", Where(file=source))
    data, written = _unit_as_hamlet(data, source)
    problems: list[tuple[str, Msg]] = []
    roster: Roster | None = None
    try:
        roster = Roster.model_validate(data, context={"as_of": as_of})
    except ValidationError as exc:
        problems = [_problem(e) for e in exc.errors()]
    wrong = {loc for loc, _ in problems}
    holders = data.get("holders")
    cases = roster.cases() if roster is not None else None
    for i, holder in enumerate(holders if isinstance(holders, list) else []):
        if isinstance(holder, dict):
            problems += _relations(holder, cases[i] if cases is not None else None, wrong, f"holders.{i}.")
    # each holder's posts kept to the unit's kind, the unit's own fields once (``unit_problems``)
    unit = data.get("hamlet")
    given = {f"hamlet.{k}" for k, v in unit.items() if v is not None} - wrong if isinstance(unit, dict) else set()
    kind = unit.get("kind") if isinstance(unit, dict) and UNIT_KIND not in wrong else None
    for i, holder in enumerate(holders if isinstance(holders, list) else []):
        posts = holder.get("posts") if isinstance(holder, dict) and f"holders.{i}.posts" not in wrong else None
        for loc, msg in unit_problems(kind, posts, given):
            named = f"holders.{i}.{loc}" if not loc.startswith("hamlet.") else loc
            if (named, msg) not in problems:
                problems.append((named, msg))
    if problems:
        raise _report([(_as_written(loc, written), msg) for loc, msg in problems], source) from None
    assert roster is not None
    return roster


def read_dossier(data: Any, source: str = "<case>", as_of: date | None = None) -> Case | Roster:
    """A dossier is one case, or a hamlet's roster when it lists ``holders``."""
    if isinstance(data, dict) and "holders" in data:
        return read_roster(data, source, as_of)
    return read_case(data, source, as_of)


#: A dossier's key for an agency's (or any unit's) record, read as ``hamlet``.
UNIT = "unit"


def _unit_as_hamlet(data: dict[str, Any], source: str) -> tuple[dict[str, Any], str]:
    """The dossier with ``unit:`` read as ``hamlet:``, and the key it was written with."""
    if UNIT not in data:
        return data, "hamlet"
    if "hamlet" in data:
        raise InputError.of("input.unit-and-hamlet", Where(file=source, field=UNIT))
    return {("hamlet" if k == UNIT else k): v for k, v in data.items()}, UNIT


def _as_written(loc: str, written: str) -> str:
    """A problem's field as the dossier wrote it: ``unit.households`` in a dossier that says ``unit:``."""
    head, dot, rest = loc.partition(".")
    return f"{written}{dot}{rest}" if head == "hamlet" else loc


def _value(data: dict[str, Any], case: Case | None, path: str) -> Any:
    """The value at a dotted path: the case's when it validated, else the dossier's own value read
    by its field's type (None where not given or not readable: its own problem says why)."""
    if case is not None:
        return _at(case, path)
    raw: Any = data
    for part in path.split("."):
        raw = raw.get(part) if isinstance(raw, dict) else None
    if raw is None:
        return None
    model, _, name = path.rpartition(".")
    field = _MODELS[model].model_fields[name] if model else Case.model_fields[name]
    kind: Any = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    try:
        return TypeAdapter(kind).validate_python(raw)
    except ValidationError:
        return None


_MODELS: dict[str, type[BaseModel]] = {"hamlet": Hamlet, "candidate": Candidate}


def _at(case: Case, path: str) -> Any:
    """A case's value at a dotted path (``candidate.birth_date``), None where not given."""
    obj: Any = case
    for part in path.split("."):
        obj = getattr(obj, part, None) if obj is not None else None
    return obj


def _load(path: Path) -> Any:
    name = str(path)
    text = read_input_file(path)
    return load_input_json(text, name) if path.suffix.lower() == ".json" else load_input_text(text, name)


def read_case_file(path: Path, as_of: date | None = None) -> Case:
    """A dossier from a .json, .yaml or .yml file."""
    return read_case(_load(path), str(path), as_of)


def read_dossier_file(path: Path, as_of: date | None = None) -> Case | Roster:
    """A dossier (one case, or a hamlet's roster) from a .json, .yaml or .yml file."""
    return read_dossier(_load(path), str(path), as_of)

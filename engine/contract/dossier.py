"""Reading a dossier into a ``Case``: every problem of the dossier at once, each naming its field,
what was expected and what was given.

The case contract itself (fields, types, constraints) is ``engine.contract.case``; this module turns
pydantic's validation errors into the messages a board reads, and reads dossier files safely.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from engine.contract.case import Candidate, Case, Hamlet
from engine.contract.cells import CellError
from engine.contract.constraints import NOT_BEFORE
from engine.contract.yamlsafe import load_input_json, load_input_text, read_input_file
from engine.errors import InputError, Where
from engine.limits import quote

_EXPECTED = {
    "extra_forbidden": ("is not a field of the case contract", "không phải trường của hồ sơ"),
    "missing": ("is required", "là bắt buộc"),
    "greater_than_equal": ("must be at least {ge}", "phải từ {ge} trở lên"),
    "less_than_equal": ("must be at most {le}", "phải không quá {le}"),
    "literal_error": ("must be one of {expected}", "phải là một trong {expected}"),
    "bool_parsing": ("must be true or false", "phải là true hoặc false"),
    "bool_type": ("must be true or false", "phải là true hoặc false"),
    "int_parsing": ("must be a whole number", "phải là số nguyên"),
    "int_type": ("must be a whole number", "phải là số nguyên"),
    "int_from_float": ("must be a whole number", "phải là số nguyên"),
    "float_parsing": ("must be a number", "phải là một số"),
    "float_type": ("must be a number", "phải là một số"),
    "date_from_datetime_parsing": ("must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD"),
    "date_parsing": ("must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD"),
    "date_type": ("must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD"),
    "list_type": ("must be a list", "phải là một danh sách"),
    "string_type": ("must be a text", "phải là chuỗi ký tự"),
    "string_too_short": ("must not be empty", "không được để trống"),
    "model_type": ("must be a mapping of fields", "phải là một nhóm trường"),
    "dict_type": ("must be a mapping", "phải là một ánh xạ"),
}


def _problem(err: ErrorDetails) -> tuple[str, str, str]:
    """(field, en, vi) for one validation problem: the field, what was expected, what was given."""
    loc = ".".join(str(p) for p in err["loc"])
    ctx = dict(err.get("ctx") or {})
    cause = ctx.get("error")
    if isinstance(cause, CellError):
        en, vi = f"expected {cause.en}", f"cần {cause.vi}"
    else:
        en, vi = _EXPECTED.get(err["type"], (err["msg"], err["msg"]))
        try:
            en, vi = en.format(**ctx), vi.format(**ctx)
        except (KeyError, IndexError):
            pass
    given = err.get("input")
    if err["type"] in ("missing", "model_type") or isinstance(given, (dict, list)):
        return loc, en, vi
    return loc, f"{en} (given: {quote(given)})", f"{vi} (nhận được: {quote(given)})"


def case_error(exc: ValidationError, source: str, row: int | None = None) -> InputError:
    """Every validation problem of a dossier at once, each naming its field, what was expected
    and what was given: a dossier with four mistakes is fixed in one round, not four."""
    return _report([_problem(e) for e in exc.errors()], source, row)


def _report(problems: list[tuple[str, str, str]], source: str, row: int | None = None) -> InputError:
    """One report of a dossier's problems, each (field, en, vi)."""
    if len(problems) == 1:
        loc, en, vi = problems[0]
        return InputError(en=en, vi=vi, where=Where(file=source, row=row, field=loc))
    return InputError(en=f"{len(problems)} problems: " + "; ".join(f"{loc}: {en}" for loc, en, _ in problems),
                      vi=f"{len(problems)} lỗi: " + "; ".join(f"{loc}: {vi}" for loc, _, vi in problems),
                      where=Where(file=source, row=row))


def read_case(data: Any, source: str = "<case>", as_of: date | None = None) -> Case:
    """Validate a dossier (a mapping) into a Case; impossible values name their field. With an
    as-of date, a birth or party-join date after it is one more problem of the same report."""
    if not isinstance(data, dict):
        raise InputError(en="a dossier must be a mapping with hamlet, candidate and posts",
                         vi="hồ sơ phải là một ánh xạ gồm hamlet, candidate và posts", where=Where(file=source))
    problems: list[tuple[str, str, str]] = []
    case: Case | None = None
    try:
        case = Case.model_validate(data, context={"as_of": as_of})
    except ValidationError as exc:
        problems = [_problem(e) for e in exc.errors()]
    # the relations between fields join the same report: checked on the values that read well
    wrong = {loc for loc, _, _ in problems}
    for rule in NOT_BEFORE:
        if rule.path in wrong or rule.other in wrong:
            continue
        value, other = _value(data, case, rule.path), _value(data, case, rule.other)
        if value is not None and other is not None and value < other:
            problems.append((rule.path, rule.en.format(value=value, other=other),
                             rule.vi.format(value=value, other=other)))
    if problems:
        raise _report(problems, source) from None
    assert case is not None
    return case


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
    field = _MODELS[model].model_fields[name]
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


def read_case_file(path: Path, as_of: date | None = None) -> Case:
    """A dossier from a .json, .yaml or .yml file."""
    name = str(path)
    text = read_input_file(path)
    if path.suffix.lower() == ".json":
        data = load_input_json(text, name)
    else:
        data = load_input_text(text, name)
    return read_case(data, name, as_of)

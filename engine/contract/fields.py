"""The field catalogue rule expressions are type-checked against.

Built from the pydantic case models, plus the few fields the engine derives (a candidate's
age on the as-of date), so adding a field to ``engine.contract.case`` makes it usable in rules at once.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pydantic import BaseModel

from engine.contract import constraints
from engine.contract.case import Candidate, Case, Hamlet


@dataclass(frozen=True)
class FieldType:
    kind: str  # "number", "bool", "str", "date", "list"
    values: tuple[str, ...] | None = None  # allowed values of a str or of a list's items
    share: bool = False  # a number between 0 and 1, shown as a percentage


#: the fields the engine derives, each defined once as a rule expression over the case and ``as_of``:
#: the case back ends evaluate it (``engine.backends.facts.derive``); the columnar engine's
#: vectorised age and the verifier are held to it by the tests
DERIVED_AS: dict[str, str] = {
    "candidate.age": "years_between(candidate.birth_date, as_of)",  # whole years, counting birthdays
}
DERIVED: dict[str, FieldType] = {"candidate.age": FieldType("number")}
#: the case fields each derived field reads (the references of ``DERIVED_AS``, but the as-of date)
DERIVED_FROM: dict[str, tuple[str, ...]] = {"candidate.age": ("candidate.birth_date",)}


def _literal_values(tp: object) -> tuple[str, ...] | None:
    if typing.get_origin(tp) is typing.Annotated:  # a code read as text first (engine.contract.case)
        return _literal_values(typing.get_args(tp)[0])
    if typing.get_origin(tp) is typing.Literal:
        return tuple(str(v) for v in typing.get_args(tp))
    return None


def _field_type(annotation: object) -> FieldType | None:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _field_type(inner[0]) if len(inner) == 1 else None
    if origin is typing.Annotated:
        base = args[0]
        ft = _field_type(base)
        if ft and base is float:
            return FieldType("number", share=True)
        return ft
    if origin is list:
        return FieldType("list", _literal_values(args[0]))
    values = _literal_values(annotation)
    if values:
        return FieldType("str", values)
    if annotation is bool:
        return FieldType("bool")
    if annotation in (int, float):
        return FieldType("number")
    if annotation is str:
        return FieldType("str")
    if annotation is date:
        return FieldType("date")
    return None


def _fields_of(prefix: str, model: type[BaseModel]) -> dict[str, FieldType]:
    out: dict[str, FieldType] = {}
    for name, info in model.model_fields.items():
        ft = _field_type(info.annotation)
        if ft is not None:
            out[f"{prefix}{name}"] = ft
    return out


@lru_cache(maxsize=1)
def catalogue() -> dict[str, FieldType]:
    """Every path a rule may read: ``hamlet.*``, ``candidate.*``, ``posts`` and ``as_of``."""
    fields = {}
    fields.update(_fields_of("hamlet.", Hamlet))
    fields.update(_fields_of("candidate.", Candidate))
    fields["posts"] = _field_type(Case.model_fields["posts"].annotation)  # type: ignore[assignment]
    fields["as_of"] = FieldType("date")
    fields.update(DERIVED)
    return fields


POSTS: tuple[str, ...] = catalogue()["posts"].values or ()
STATUSES: tuple[str, ...] = catalogue()["candidate.status"].values or ()


def number_bounds() -> dict[str, tuple[str, int | float, int | float]]:
    """Every number of the case (a path, or ``post_allowances.<post>``) -> (kind, least, greatest):
    the ranges the models' ``Count`` and ``Share`` carry (both are ``BOUNDS``)."""
    out: dict[str, tuple[str, int | float, int | float]] = {}
    models: dict[str, type[BaseModel]] = {"hamlet.": Hamlet, "candidate.": Candidate}
    for path, ft in catalogue().items():
        prefix, _, name = path.partition(".")
        model = models.get(prefix + ".")
        if ft.kind != "number" or model is None or name not in model.model_fields:
            continue
        kind = "share" if ft.share else "whole"
        out[path] = (kind, *constraints.BOUNDS[kind])
    for post in POSTS:
        out[f"post_allowances.{post}"] = ("whole", *constraints.BOUNDS["whole"])
    return out

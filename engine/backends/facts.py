"""A validated case flattened into the facts every back end reads.

Paths are the ones rules use (``hamlet.population``, ``candidate.age``); a missing value is
simply absent, which the three-valued logic turns into *unknown*. Derived fields (age on the
as-of date) and a snapshot's computed terms are added here, once, for all back ends.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from engine.contract.case import Case
from engine.contract.fields import DERIVED_AS
from engine.lang import UNKNOWN, Node, evaluate, parse
from engine.backends.listcols import fields as list_fields
from engine.backends.listcols import items


def flatten(case: Case, as_of: date) -> dict[str, Any]:
    env: dict[str, Any] = {"as_of": as_of}
    for key, value in case.hamlet.model_dump(exclude_none=True).items():
        env[f"hamlet.{key}"] = tuple(value) if isinstance(value, list) else value
    if case.candidate is not None:
        for key, value in case.candidate.model_dump(exclude_none=True).items():
            env[f"candidate.{key}"] = tuple(value) if isinstance(value, list) else value
    derive(env)
    if case.posts is not None:
        env["posts"] = tuple(case.posts)
    if case.post_allowances:
        env["post_allowances"] = dict(case.post_allowances)
    return env


def from_row(row: dict[str, Any], as_of: date) -> dict[str, Any]:
    """A normalized table row (``engine.io.tables.normalize``) as the same facts ``flatten`` gives,
    so a batch row can be re-checked by a case back end (parity runs, benchmarks)."""
    env: dict[str, Any] = {"as_of": as_of}
    allowances: dict[str, int] = {}
    for name, value in row.items():
        if value is None or name.startswith("_") or "#" in name:
            continue
        if name.startswith("post_allowances__"):
            allowances[name.split("__", 1)[1]] = value
        elif name in list_fields():
            env[name.replace("__", ".")] = tuple(items(value) or ())
        elif "__" in name:
            env[name.replace("__", ".")] = value
    derive(env)
    if allowances:
        env["post_allowances"] = allowances
    return env


@lru_cache(maxsize=1)
def _derivations() -> tuple[tuple[str, Node], ...]:
    return tuple((path, parse(text)) for path, text in DERIVED_AS.items())


def derive(env: dict[str, Any]) -> dict[str, Any]:
    """The derived fields (``engine.contract.fields.DERIVED_AS``: a candidate's age on the as-of
    date) from the facts that hold ``as_of``; a field whose inputs are unknown stays absent."""
    for path, node in _derivations():
        value = evaluate(node, env)
        if value is not UNKNOWN:
            env[path] = value
    return env


def add_terms(env: dict[str, Any], terms: dict[str, Any]) -> dict[str, Any]:
    """Compute a snapshot's arithmetic terms (e.g. ``len(posts)``) into the facts."""
    for path, node in terms.items():
        value = evaluate(node, env)
        if value is not UNKNOWN:
            env[path] = value
    return env

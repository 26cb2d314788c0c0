"""Kleene three-valued evaluation of an expression over one case.

A missing field is *unknown*, not false: ``unknown and false`` is false, ``unknown or true`` is
true, anything else involving unknown stays unknown. This interpreter is the reference
semantics; the durable-rules and columnar back ends must agree with it (the parity tests say so).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.lang.ast import And, Arith, Call, Cmp, In, ListLit, Lit, Node, Not, Or, Param, Ref
from engine.lang.functions import FUNCTIONS, OPERATORS, common_numbers


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:  # pragma: no cover - guards against accidental truthiness
        raise TypeError("UNKNOWN has no truth value")


UNKNOWN: Any = _Unknown()

_CMP = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(node: Node, env: Mapping[str, Any]) -> Any:
    """Evaluate with parameters already substituted; returns a value or UNKNOWN."""
    if isinstance(node, Lit):
        return UNKNOWN if node.value is None else node.value
    if isinstance(node, Ref):
        value = env.get(node.path)
        return UNKNOWN if value is None else value
    if isinstance(node, Param):  # pragma: no cover - snapshots substitute every parameter
        raise ValueError(f"parameter {node.name} was not substituted")
    if isinstance(node, ListLit):
        return tuple(evaluate(i, env) for i in node.items)
    if isinstance(node, And):
        result: Any = True
        for item in node.items:
            v = evaluate(item, env)
            if v is False:
                return False
            if v is UNKNOWN:
                result = UNKNOWN
        return result
    if isinstance(node, Or):
        result = False
        for item in node.items:
            v = evaluate(item, env)
            if v is True:
                return True
            if v is UNKNOWN:
                result = UNKNOWN
        return result
    if isinstance(node, Not):
        v = evaluate(node.item, env)
        return UNKNOWN if v is UNKNOWN else not v
    if isinstance(node, Cmp):
        a, b = evaluate(node.left, env), evaluate(node.right, env)
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        a, b = common_numbers(a, b)
        return bool(_CMP[node.op](a, b))
    if isinstance(node, In):
        item, container = evaluate(node.item, env), evaluate(node.container, env)
        if item is UNKNOWN or container is UNKNOWN:
            return UNKNOWN
        found = item in container
        return (not found) if node.negated else found
    if isinstance(node, Arith):
        a, b = evaluate(node.left, env), evaluate(node.right, env)
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        value = OPERATORS[node.op].reference(a, b)
        return UNKNOWN if value is None else value
    if isinstance(node, Call):
        args = [evaluate(a, env) for a in node.args]
        fn = FUNCTIONS.get(node.fn)
        if fn is not None and fn.presence:  # total: told of an unknown argument, never unknown itself
            return fn.reference(*(None if a is UNKNOWN else a for a in args))
        if any(a is UNKNOWN for a in args):
            return UNKNOWN
        if fn is not None:
            return fn.reference(*args)
    raise ValueError(f"cannot evaluate {node!r}")

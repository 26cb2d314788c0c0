"""Replacing parameter references with the values in force on a date."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.lang.ast import And, Arith, Call, Cmp, In, ListLit, Lit, Node, Not, Or, Param


def substitute(node: Node, values: Mapping[str, Any]) -> Node:
    """Return ``node`` with every ``params.x`` replaced by ``Lit(value, param='x')``.

    An unset parameter becomes ``Lit(None)``: the three-valued logic then makes any condition
    that depends on it unknown, and the explanation names the parameter.
    """
    if isinstance(node, Param):
        value = values[node.name]
        if isinstance(value, list):
            value = tuple(value)
        return Lit(value, param=node.name)
    if isinstance(node, Cmp):
        return Cmp(node.op, substitute(node.left, values), substitute(node.right, values))
    if isinstance(node, Arith):
        return Arith(node.op, substitute(node.left, values), substitute(node.right, values))
    if isinstance(node, In):
        return In(substitute(node.item, values), substitute(node.container, values), node.negated)
    if isinstance(node, And):
        return And(tuple(substitute(i, values) for i in node.items))
    if isinstance(node, Or):
        return Or(tuple(substitute(i, values) for i in node.items))
    if isinstance(node, Not):
        return Not(substitute(node.item, values))
    if isinstance(node, ListLit):
        return ListLit(tuple(substitute(i, values) for i in node.items))
    if isinstance(node, Call):
        return Call(node.fn, tuple(substitute(i, values) for i in node.args))
    return node

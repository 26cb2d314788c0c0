"""Type-checking expressions against the case schema and the pack's parameters.

Run once at load time, so a typo in a field name, a comparison of a date with a number or an
enum value that does not exist (``party_status == 'ful'``) is a load error with the rule's
location, not a surprise on the thousandth case.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.errors import ExprError
from engine.i18n import Msg
from engine.contract.fields import FieldType
from engine.lang.ast import And, Arith, Call, Cmp, In, ListLit, Lit, Node, Not, Or, Param, Ref
from engine.lang.functions import ANY, FUNCTIONS, OPERATORS

BOOL = FieldType("bool")
NUMBER = FieldType("number")
STR = FieldType("str")
DATE = FieldType("date")
LIST = FieldType("list")
NULL = FieldType("null")


def _lit_type(value: object) -> FieldType:
    from datetime import date
    from decimal import Decimal

    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, Decimal, float)):
        return NUMBER
    if isinstance(value, str):
        return STR
    if isinstance(value, date):
        return DATE
    return LIST


def check(node: Node, fields: Mapping[str, FieldType], params: Mapping[str, FieldType]) -> FieldType:
    """Return the expression's type, or raise ExprError naming what is wrong."""
    if isinstance(node, Lit):
        return _lit_type(node.value)
    if isinstance(node, Ref):
        if node.path not in fields:
            import difflib

            close = difflib.get_close_matches(node.path, list(fields), n=1, cutoff=0.7)
            raise ExprError.of("expr.unknown-field", None, path=repr(node.path), hint=_did_you_mean(close))
        return fields[node.path]
    if isinstance(node, Param):
        if node.name not in params:
            import difflib

            close = difflib.get_close_matches(node.name, list(params), n=1, cutoff=0.7)
            raise ExprError.of("expr.unknown-parameter", None, name=repr(f"params.{node.name}"),
                               hint=_did_you_mean([f"params.{c}" for c in close]))
        return params[node.name]
    if isinstance(node, ListLit):
        for item in node.items:
            t = check(item, fields, params)
            if t.kind != "str":
                raise ExprError.of("expr.list-of-texts")
        return LIST
    if isinstance(node, (And, Or)):
        for item in node.items:
            _expect_bool(item, fields, params)
        return BOOL
    if isinstance(node, Not):
        _expect_bool(node.item, fields, params)
        return BOOL
    if isinstance(node, Cmp):
        if any(_is_condition(side) for side in (node.left, node.right)):
            # the back ends compare values (a field, a parameter, a constant, a computed term), not conditions
            raise ExprError.of("expr.compare-condition", None, op=node.op)
        lt, rt = check(node.left, fields, params), check(node.right, fields, params)
        if NULL in (lt, rt):
            raise ExprError.of("expr.compare-null")
        if lt.kind != rt.kind:
            raise ExprError.of("expr.compare-kinds", None, left=kind_word(lt.kind), right=kind_word(rt.kind), op=node.op)
        if lt.kind in ("bool", "str", "list") and node.op not in ("==", "!="):
            raise ExprError.of("expr.compare-equality-only", None, kind=kind_word(lt.kind))
        _check_enum(node.left, lt, node.right)
        _check_enum(node.right, rt, node.left)
        return BOOL
    if isinstance(node, In):
        it, ct = check(node.item, fields, params), check(node.container, fields, params)
        if ct.kind != "list":
            raise ExprError.of("expr.in-needs-list")
        if it.kind != "str":
            raise ExprError.of("expr.in-needs-text")
        if isinstance(node.item, Ref) and isinstance(node.container, Ref):
            raise ExprError.of("expr.in-needs-constant")
        allowed = it.values or ct.values
        for lit in _str_literals(node.container) + _str_literals(node.item):
            if allowed and lit not in allowed:
                raise ExprError.of("expr.not-one-of", None, value=repr(lit), allowed=", ".join(allowed))
        return BOOL
    if isinstance(node, Arith):
        op = OPERATORS[node.op]
        lt, rt = check(node.left, fields, params), check(node.right, fields, params)
        if (lt.kind, rt.kind) != op.args:
            raise ExprError.of(op.type_error, None, symbol=op.symbol)
        return FieldType(op.result)
    if isinstance(node, Call) and node.fn in FUNCTIONS:
        fn = FUNCTIONS[node.fn]
        if any(_is_condition(a) for a in node.args):  # a value is asked for, not a condition
            raise ExprError.of(fn.type_error, None, name=fn.name)
        arg_types = [check(a, fields, params) for a in node.args]
        if len(arg_types) != fn.arity or any(k != ANY and t.kind != k for t, k in zip(arg_types, fn.args)):
            raise ExprError.of(fn.type_error, None, name=fn.name)
        return FieldType(fn.result)
    raise ExprError.of("expr.unsupported", None, node=repr(node))


def _is_condition(node: Node) -> bool:
    """A condition, not a value: the back ends compare and pass values (a field, a parameter, a
    constant, a computed term); a ``presence`` call (``known(x)``) is a condition, compiled to
    presence tests, never a value."""
    if isinstance(node, (Cmp, In, And, Or, Not)):
        return True
    return isinstance(node, Call) and node.fn in FUNCTIONS and FUNCTIONS[node.fn].presence


def _expect_bool(node: Node, fields: Mapping[str, FieldType], params: Mapping[str, FieldType]) -> None:
    t = check(node, fields, params)
    if t.kind != "bool":
        raise ExprError.of("expr.not-a-condition", None, kind=kind_word(t.kind))


def _str_literals(node: Node) -> list[str]:
    if isinstance(node, Lit) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, Lit) and isinstance(node.value, tuple):
        return [str(v) for v in node.value]
    if isinstance(node, ListLit):
        return [i.value for i in node.items if isinstance(i, Lit) and isinstance(i.value, str)]
    return []


def _check_enum(side: Node, side_type: FieldType, other: Node) -> None:
    if side_type.values and isinstance(side, Ref):
        for lit in _str_literals(other):
            if lit not in side_type.values:
                raise ExprError.of("expr.not-a-value-of", None, value=repr(lit), path=side.path,
                                   allowed=", ".join(side_type.values))


def kind_word(kind: str) -> Msg:
    """The name of a kind of value (``number``, ``date``, …) as a message's param."""
    return Msg(f"expr.kind.{kind}")


def _did_you_mean(close: list[str]) -> str | Msg:
    """The hint after an unknown name: the closest known one, if any."""
    return Msg.of("expr.did-you-mean", name=close[0]) if close else ""


def check_condition(node: Node, fields: Mapping[str, FieldType], params: Mapping[str, FieldType]) -> None:
    _expect_bool(node, fields, params)

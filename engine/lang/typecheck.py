"""Type-checking expressions against the case schema and the pack's parameters.

Run once at load time, so a typo in a field name, a comparison of a date with a number or an
enum value that does not exist (``party_status == 'ful'``) is a load error with the rule's
location, not a surprise on the thousandth case.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.errors import ExprError
from engine.contract.fields import FieldType
from engine.lang.ast import And, Arith, Call, Cmp, In, ListLit, Lit, Node, Not, Or, Param, Ref
from engine.lang.functions import FUNCTIONS, OPERATORS

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
            hint = f"; did you mean {close[0]}?" if close else ""
            hint_vi = f"; có phải {close[0]}?" if close else ""
            raise ExprError(f"unknown field {node.path!r}{hint}", f"trường không xác định {node.path!r}{hint_vi}")
        return fields[node.path]
    if isinstance(node, Param):
        if node.name not in params:
            import difflib

            close = difflib.get_close_matches(node.name, list(params), n=1, cutoff=0.7)
            hint = f"; did you mean params.{close[0]}?" if close else ""
            hint_vi = f"; có phải params.{close[0]}?" if close else ""
            raise ExprError(
                f"unknown parameter 'params.{node.name}'{hint}",
                f"tham số không xác định 'params.{node.name}'{hint_vi}",
            )
        return params[node.name]
    if isinstance(node, ListLit):
        for item in node.items:
            t = check(item, fields, params)
            if t.kind != "str":
                raise ExprError("list literals hold texts only", "danh sách chỉ chứa chuỗi")
        return LIST
    if isinstance(node, (And, Or)):
        for item in node.items:
            _expect_bool(item, fields, params)
        return BOOL
    if isinstance(node, Not):
        _expect_bool(node.item, fields, params)
        return BOOL
    if isinstance(node, Cmp):
        if any(isinstance(side, (Cmp, In, And, Or, Not)) for side in (node.left, node.right)):
            # the back ends compare values (a field, a parameter, a constant, a computed term), not conditions
            raise ExprError(f"a condition cannot be compared with {node.op}: use and, or, not",
                            f"không so sánh một điều kiện bằng {node.op}: dùng and, or, not")
        lt, rt = check(node.left, fields, params), check(node.right, fields, params)
        if NULL in (lt, rt):
            raise ExprError("compare with a value, not null", "so sánh với một giá trị, không phải null")
        if lt.kind != rt.kind:
            raise ExprError(
                f"cannot compare {lt.kind} with {rt.kind} ({node.op})",
                f"không thể so sánh {lt.kind} với {rt.kind} ({node.op})",
            )
        if lt.kind in ("bool", "str", "list") and node.op not in ("==", "!="):
            raise ExprError(
                f"{lt.kind} values can only be compared with == or !=",
                f"giá trị {lt.kind} chỉ so sánh bằng == hoặc !=",
            )
        _check_enum(node.left, lt, node.right)
        _check_enum(node.right, rt, node.left)
        return BOOL
    if isinstance(node, In):
        it, ct = check(node.item, fields, params), check(node.container, fields, params)
        if ct.kind != "list":
            raise ExprError("the right side of 'in' must be a list", "vế phải của 'in' phải là danh sách")
        if it.kind != "str":
            raise ExprError("only a text can be looked up with 'in'", "chỉ tìm chuỗi bằng 'in'")
        if isinstance(node.item, Ref) and isinstance(node.container, Ref):
            raise ExprError("'in' needs a constant on one side", "'in' cần một hằng ở một vế")
        allowed = it.values or ct.values
        for lit in _str_literals(node.container) + _str_literals(node.item):
            if allowed and lit not in allowed:
                raise ExprError(
                    f"{lit!r} is not one of {', '.join(allowed)}",
                    f"{lit!r} không thuộc {', '.join(allowed)}",
                )
        return BOOL
    if isinstance(node, Arith):
        op = OPERATORS[node.op]
        lt, rt = check(node.left, fields, params), check(node.right, fields, params)
        if (lt.kind, rt.kind) != op.args:
            raise ExprError(*op.type_error)
        return FieldType(op.result)
    if isinstance(node, Call) and node.fn in FUNCTIONS:
        fn = FUNCTIONS[node.fn]
        arg_types = [check(a, fields, params) for a in node.args]
        if len(arg_types) != fn.arity or any(t.kind != k for t, k in zip(arg_types, fn.args)):
            raise ExprError(*fn.type_error)
        return FieldType(fn.result)
    raise ExprError(f"unsupported expression {node!r}", f"biểu thức không hỗ trợ {node!r}")


def _expect_bool(node: Node, fields: Mapping[str, FieldType], params: Mapping[str, FieldType]) -> None:
    t = check(node, fields, params)
    if t.kind != "bool":
        raise ExprError(f"expected a yes/no condition, got a {t.kind}", f"cần điều kiện đúng/sai, gặp {t.kind}")


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
                raise ExprError(
                    f"{lit!r} is not a value of {side.path} ({', '.join(side_type.values)})",
                    f"{lit!r} không phải giá trị của {side.path} ({', '.join(side_type.values)})",
                )


def check_condition(node: Node, fields: Mapping[str, FieldType], params: Mapping[str, FieldType]) -> None:
    _expect_bool(node, fields, params)

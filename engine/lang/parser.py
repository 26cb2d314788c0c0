"""A small recursive-descent parser for rule conditions.

The grammar is deliberately tiny (no attribute access beyond dotted names, no calls except a
fixed list of functions), so a rule file can never run code:

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("=="|"!="|"<"|"<="|">"|">=") sum | ["not"] "in" sum)?
    sum     := product (("+"|"-") product)*
    product := unary (("*"|"/") unary)*
    unary   := "-" unary | atom
    atom    := number | string | true | false | null | name | name "(" args ")"
             | "(" expr ")" | "[" [expr ("," expr)*] "]"
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from engine.errors import ExprError
from engine.i18n import Msg, Num
from engine.limits import MAX_EXPRESSION_CHARS, MAX_EXPRESSION_DEPTH, MAX_NUMBER_DIGITS
from engine.lang.ast import And, Arith, Call, Cmp, In, ListLit, Lit, Node, Not, Or, Param, Ref, children
from engine.lang.functions import FUNCTIONS

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>'[^'\\]*'|"[^"\\]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}


class _Tokens:
    def __init__(self, text: str):
        self.items: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m:
                raise ExprError.of("expr.unexpected-character", pos + 1, char=repr(text[pos]), col=pos + 1)
            kind = m.lastgroup or ""
            value = m.group()
            if kind != "ws":
                if kind == "name" and value in _KEYWORDS:
                    kind = "kw"
                self.items.append((kind, value, pos + 1))
            pos = m.end()
        self.items.append(("end", "", len(text) + 1))
        self.i = 0
        self.depth = 0

    def enter(self) -> None:
        """One level deeper (a parenthesis, a list, a call, a ``not`` or a sign): refuse past the limit."""
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            col = self.peek()[2]
            raise ExprError.of("expr.too-deep", col, max=MAX_EXPRESSION_DEPTH, col=col)

    def leave(self) -> None:
        self.depth -= 1

    def peek(self) -> tuple[str, str, int]:
        return self.items[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.items[self.i]
        self.i += 1
        return tok

    def accept(self, value: str) -> bool:
        kind, text, _ = self.peek()
        if text == value and kind in ("op", "kw"):
            self.i += 1
            return True
        return False

    def expect(self, value: str) -> None:
        if not self.accept(value):
            kind, text, col = self.peek()
            raise ExprError.of("expr.expected", col, want=repr(value), col=col, found=_found(kind, text))


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """Parse a condition or value expression; raises ExprError with a column."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError.of("expr.empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExprError.of("expr.too-long", None, count=Num(len(text)), max=Num(MAX_EXPRESSION_CHARS))
    toks = _Tokens(text)
    node = _or(toks)
    kind, value, col = toks.peek()
    if kind != "end":
        raise ExprError.of("expr.unexpected", col, token=repr(value), col=col)
    if depth(node) > MAX_EXPRESSION_DEPTH:  # a long chain a + b + c + … nests without parentheses
        raise ExprError.of("expr.too-deep-chain", None, max=MAX_EXPRESSION_DEPTH)
    return node


def depth(node: Node) -> int:
    """Levels of the expression tree, counted without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children(current))
    return deepest


def _or(t: _Tokens) -> Node:
    t.enter()
    items = [_and(t)]
    while t.accept("or"):
        items.append(_and(t))
    t.leave()
    return items[0] if len(items) == 1 else Or(tuple(items))


def _and(t: _Tokens) -> Node:
    items = [_not(t)]
    while t.accept("and"):
        items.append(_not(t))
    return items[0] if len(items) == 1 else And(tuple(items))


def _not(t: _Tokens) -> Node:
    if t.accept("not"):
        t.enter()
        node = Not(_not(t))
        t.leave()
        return node
    return _compare(t)


def _compare(t: _Tokens) -> Node:
    left = _sum(t)
    kind, value, _ = t.peek()
    if kind == "op" and value in ("==", "!=", "<", "<=", ">", ">="):
        t.take()
        return Cmp(value, left, _sum(t))
    if kind == "kw" and value == "not" and t.items[t.i + 1][1] == "in":
        t.take()
        t.take()
        return In(left, _sum(t), negated=True)
    if kind == "kw" and value == "in":
        t.take()
        return In(left, _sum(t))
    return left


def _sum(t: _Tokens) -> Node:
    node = _product(t)
    while True:
        kind, value, _ = t.peek()
        if kind == "op" and value in ("+", "-"):
            t.take()
            node = Arith(value, node, _product(t))
        else:
            return node


def _product(t: _Tokens) -> Node:
    node = _unary(t)
    while True:
        kind, value, _ = t.peek()
        if kind == "op" and value in ("*", "/"):
            t.take()
            node = Arith(value, node, _unary(t))
        else:
            return node


def _unary(t: _Tokens) -> Node:
    if t.accept("-"):
        t.enter()
        inner = _unary(t)
        t.leave()
        if isinstance(inner, Lit) and isinstance(inner.value, (int, Decimal)):
            return Lit(-inner.value)
        return Arith("-", Lit(0), inner)
    return _atom(t)


def _atom(t: _Tokens) -> Node:
    kind, value, col = t.take()
    if kind == "num":
        if len(value.replace(".", "").lstrip("0")) > MAX_NUMBER_DIGITS:
            raise ExprError.of("expr.too-many-digits", col, col=col, max=MAX_NUMBER_DIGITS)
        return Lit(Decimal(value) if "." in value else int(value))
    if kind == "str":
        return Lit(value[1:-1])
    if kind == "kw" and value in ("true", "false"):
        return Lit(value == "true")
    if kind == "kw" and value == "null":
        return Lit(None)
    if kind == "op" and value == "(":
        node = _or(t)
        t.expect(")")
        return node
    if kind == "op" and value == "[":
        items: list[Node] = []
        if not t.accept("]"):
            items.append(_or(t))
            while t.accept(","):
                items.append(_or(t))
            t.expect("]")
        return ListLit(tuple(items))
    if kind == "name":
        if t.peek()[1] == "(":
            return _call(t, value, col)
        if value.startswith("params."):
            return Param(value[len("params."):])
        return Ref(value)
    raise ExprError.of("expr.expected-value", col, col=col, found=_found(kind, value))


def _call(t: _Tokens, name: str, col: int) -> Node:
    if name not in FUNCTIONS:
        raise ExprError.of("expr.unknown-function", col, name=repr(name), col=col, known=", ".join(sorted(FUNCTIONS)))
    t.expect("(")
    args: list[Node] = []
    if not t.accept(")"):
        args.append(_or(t))
        while t.accept(","):
            args.append(_or(t))
        t.expect(")")
    fn = FUNCTIONS[name]
    if len(args) != fn.arity:
        raise ExprError.of("expr.arity", col, name=name, arity=fn.arity, count=len(args), col=col)
    if fn.fold:  # computed now on its literal arguments (date('2020-01-01') is a date literal)
        if not all(isinstance(a, Lit) and a.value is not None and _LIT_KIND[fn.args[i]](a.value)
                   for i, a in enumerate(args)):
            raise ExprError.of(fn.type_error, col, name=name)
        values = [a.value for a in args if isinstance(a, Lit)]
        try:
            return Lit(fn.reference(*values))
        except ValueError:
            shown = f"{name}({', '.join(repr(v) for v in values)})"
            raise ExprError.of(fn.value_error, col, call=shown) from None
    return Call(name, tuple(args))


def _found(kind: str, text: str) -> str | Msg:
    """What stands where something else was expected: the token, or the end of the expression."""
    return Msg.of("expr.end") if kind == "end" else repr(text)


#: which literal values a folded function's argument kinds accept
_LIT_KIND = {"str": lambda v: isinstance(v, str)}

"""The expression tree shared by every back end.

Nodes are frozen so a parsed condition can be hashed, cached and shared between snapshots.
``Ref`` names a case field (``candidate.age``), ``Param`` a pack parameter
(``params.head_min_age``); after a snapshot substitutes parameters, only ``Ref`` and ``Lit``
remain at the leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Lit:
    value: Any  # int, Decimal, bool, str, date, tuple[str, ...] or None (an unset parameter)
    param: str | None = None  # the parameter this value came from, kept for explanations


@dataclass(frozen=True)
class Ref:
    path: str  # "candidate.age", "hamlet.area", "posts"


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class ListLit:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Cmp:
    op: str  # == != < <= > >=
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class In:
    item: "Node"
    container: "Node"
    negated: bool = False


@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    item: "Node"


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Call:
    fn: str
    args: tuple["Node", ...]


Node = Lit | Ref | Param | ListLit | Cmp | In | And | Or | Not | Arith | Call  # a runtime union: isinstance(x, Node) works

NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def refs(node: Node) -> list[str]:
    """The case fields an expression reads, in order of first appearance."""
    return list(_refs(node))


def params(node: Node) -> list[str]:
    """The parameters an expression reads (before or after substitution)."""
    return list(_params(node))


def _ref_name(n: Node) -> str | None:
    return n.path if isinstance(n, Ref) else None


def _param_name(n: Node) -> str | None:
    if isinstance(n, Param):
        return n.name
    return n.param if isinstance(n, Lit) else None


def _collect(node: Node, name_of: Any) -> tuple[str, ...]:
    """Names found in the tree, in order of first appearance."""
    seen: dict[str, None] = {}

    def walk(n: Node) -> None:
        name = name_of(n)
        if name:
            seen.setdefault(name, None)
        for child in children(n):
            walk(child)

    walk(node)
    return tuple(seen)


@lru_cache(maxsize=8192)
def _refs(node: Node) -> tuple[str, ...]:
    return _collect(node, _ref_name)


@lru_cache(maxsize=8192)
def _params(node: Node) -> tuple[str, ...]:
    return _collect(node, _param_name)


def children(n: Node) -> tuple[Node, ...]:
    if isinstance(n, (Cmp, Arith)):
        return (n.left, n.right)
    if isinstance(n, In):
        return (n.item, n.container)
    if isinstance(n, (And, Or, ListLit)):
        return n.items
    if isinstance(n, Not):
        return (n.item,)
    if isinstance(n, Call):
        return n.args
    return ()

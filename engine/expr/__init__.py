"""The rule expression language: parse, type-check, evaluate (3-valued), compile to T/F/U."""

from .ast import Node, params, refs
from .evaluate import UNKNOWN, evaluate, years_between
from .logic import TFU, Compiler, Formula
from .parser import parse
from .substitute import substitute
from .typecheck import check, check_condition

__all__ = [
    "Node", "params", "refs", "UNKNOWN", "evaluate", "years_between", "TFU", "Compiler",
    "Formula", "parse", "substitute", "check", "check_condition",
]

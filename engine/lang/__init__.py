"""The rule expression language: parse, type-check, evaluate (3-valued), compile to T/F/U."""

from engine.lang.ast import Node, params, refs
from engine.lang.evaluate import UNKNOWN, evaluate
from engine.lang.functions import FUNCTIONS, OPERATORS, Function, Operator, months_between, open_refs, years_between
from engine.lang.logic import TFU, Compiler, Formula
from engine.lang.parser import parse
from engine.lang.substitute import substitute
from engine.lang.typecheck import check, check_condition

__all__ = [
    "Node", "params", "refs", "open_refs", "UNKNOWN", "evaluate", "years_between", "months_between", "TFU", "Compiler",
    "Formula", "parse", "substitute", "check", "check_condition", "FUNCTIONS", "Function",
    "OPERATORS", "Operator",
]

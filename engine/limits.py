"""Resource limits on everything a user hands the tool: rule files, dossiers, tables, messages.

Input is data, and data can be hostile or simply broken: a 1 KB YAML alias bomb, a condition
nested 300 parentheses deep, a 4,000-digit number. Each limit below is far above anything a real
pack, dossier or province table needs, and each one exceeded gives a located message (exit 2),
never a traceback or a hang. The README's "Limits" section lists them; keep the two in step.
"""

from __future__ import annotations

#: Largest rule file (pack YAML, proposal) read, in bytes.
MAX_RULE_FILE_BYTES = 2 * 1024 * 1024
#: Largest dossier (one case, JSON or YAML) read, in bytes.
MAX_DOSSIER_BYTES = 1024 * 1024
#: Deepest nesting of mappings and lists in a rule file or dossier.
MAX_NESTING = 32
#: YAML aliases (``*name``) allowed in one document: enough for anchors reused by hand, too few
#: for a "billion laughs" expansion.
MAX_YAML_ALIASES = 100
#: Deepest nesting of parentheses and operators in one rule expression.
MAX_EXPRESSION_DEPTH = 64
#: Longest rule expression, in characters.
MAX_EXPRESSION_CHARS = 4_000
#: Alternatives (conjunctions, once put in disjunctive normal form and contradictions pruned) one
#: rule's condition may expand to on a date: ``(a > 1 or b > 1) and (c > 1 or d > 1)`` is 4. The
#: back ends compile a condition into one small rule per alternative, and expanding grows
#: quadratically: fourteen such pairs (16,384) took 12 s to fail with an internal error. The
#: shipped packs need at most 16.
MAX_CONDITION_ALTERNATIVES = 512
#: Digits in a number written in a rule file, dossier or table cell.
MAX_NUMBER_DIGITS = 18
#: Largest whole number (population, households, money in the currency's unit) accepted. Every
#: amount and product is computed exactly (Python integers, Decimal with 80 digits); totals over a
#: table are summed in 128-bit integers, so ten million rows of the largest amount still fit.
MAX_WHOLE = 10**15
#: Characters of a given value quoted back in an error message (the rest is cut, with its length).
MAX_QUOTED_VALUE = 80


def quote(value: object) -> str:
    """A value as an error message shows it: ``repr`` cut to ``MAX_QUOTED_VALUE`` characters.

    Never expands a structure first (a YAML alias bomb's ``repr`` would not end): containers are
    described by their type and size, not printed.
    """
    if isinstance(value, (dict, list, tuple, set)):
        return f"<{type(value).__name__} of {len(value)} items>"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_NUMBER_DIGITS:
        return f"<a number of more than {MAX_NUMBER_DIGITS} digits>"
    text = repr(value)
    if len(text) > MAX_QUOTED_VALUE:
        return f"{text[:MAX_QUOTED_VALUE]}… ({len(text)} characters)"
    return text

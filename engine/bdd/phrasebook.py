"""The phrasebook: every step sentence a drafter may use in a feature, in every language.

This is the contract between drafters and the step library (``engine.bdd.steps``): each step
has one implementation, and a sentence, an example and parameter notes in each language, which
are data (``engine/messages/<lang>/steps.yaml``, keyed ``step.<key>``): a feature language is a
catalogue file, not code. ``kiemnhiem steps --lang vi`` prints it; the feature linter
(``engine.bdd.featurelint``) checks every step line against it, so a typo is an error with its
file and line rather than a silently skipped step.

Parameters are written in double quotes or as bare words at the end; values are read with the
helpers below (numbers with either thousands separator, shares as ``46 %`` or ``0.46``, yes/no
as ``engine.contract.cells`` reads them, the decision and status words in every language), so a
table copied from a Vietnamese or Chinese spreadsheet works as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.bdd.dialect import dialect
from engine.contract import cells
from engine.contract import decision as decision_contract
from engine.contract.fields import FieldType, catalogue
from engine.errors import InputError, Where
from engine.i18n import LANGS, Msg, t


@dataclass(frozen=True)
class Step:
    """One step: its key (``step.<key>`` in the catalogues, ``step_<key>`` in the library), its
    kind, and the names of its parameters (``table``: the rows under the step)."""

    key: str
    kind: str  # given / when / then
    params: tuple[str, ...] = ()

    def sentence(self, lang: str) -> str:
        """The sentence with its ``{parameters}`` as written (not filled in)."""
        return _raw(f"step.{self.key}", lang)

    def example(self, lang: str) -> str:
        return _raw(f"step.{self.key}.example", lang)

    def param_note(self, name: str, lang: str) -> str:
        return _raw(f"step.{self.key}.param.{name}", lang)


def _raw(code: str, lang: str) -> str:
    from engine.i18n import catalogue as messages

    return messages(lang)[code]


STEPS: tuple[Step, ...] = (
    Step("pack", "given", ("pack",)),
    Step("as_of", "given", ("day",)),
    Step("hamlet", "given", ("table",)),
    Step("unit", "given", ("table",)),
    Step("candidate", "given", ("table",)),
    Step("set_field", "given", ("field", "value")),
    Step("unset_field", "given", ("field",)),
    Step("posts", "given", ("posts",)),
    Step("post_allowance", "given", ("post", "amount")),
    Step("param", "given", ("param", "value")),
    Step("evaluate", "when"),
    Step("decision", "then", ("decision",)),
    Step("criterion", "then", ("rule", "status")),
    Step("condition", "then", ("exception",)),
    Step("missing", "then", ("field",)),
    Step("fund", "then", ("amount",)),
    Step("no_fund", "then"),
    Step("fund_coefficient", "then", ("coefficient",)),
    Step("line_amount", "then", ("post", "amount")),
    Step("line_rate", "then", ("post", "rate")),
    Step("total", "then", ("amount",)),
    Step("yearly", "then", ("amount",)),
    Step("counterfactual", "then", ("text",)),
    Step("advisory", "then", ("rule",)),
    Step("no_advisory", "then"),
    Step("note", "then", ("rule",)),
    Step("holder", "given", ("id", "posts", "table")),
    Step("roster", "then", ("verdict",)),
    Step("roster_problem", "then", ("holder", "rule")),
    Step("roster_remainder", "then", ("amount",)),
)

STEPS_BY_KEY = {s.key: s for s in STEPS}


DECISIONS = decision_contract.DECISIONS
STATUSES = decision_contract.CRITERION_STATUSES
#: an amount with no value, besides ``phrase.undetermined`` (the word the explanations print) of each language
NO_VALUE = ("null", "none", "—")


def _words(kind: str, ids: tuple[str, ...]) -> dict[str, str]:
    """Word (lower case) → id: the ids themselves and their words in every language."""
    out = {i: i for i in ids}
    for lang in LANGS:
        for i in ids:
            out[t(f"step.word.{kind}.{i}", lang).lower()] = i
    return out


DECISION_WORDS = _words("decision", DECISIONS)
ROSTER_WORDS = _words("roster", decision_contract.ROSTER_VERDICTS)
STATUS_WORDS = _words("status", STATUSES)
UNDETERMINED_WORDS = {t("phrase.undetermined", lang).lower() for lang in LANGS} | set(NO_VALUE)
#: the header word of a field | value table, in every language
FIELD_HEADERS = {t("step.word.field", lang) for lang in LANGS}


def undetermined(lang: str) -> str:
    """How a step shows an amount that has no value."""
    return t("phrase.undetermined", lang)


def step_regex(pattern: str) -> re.Pattern[str]:
    """The sentence as a regular expression with one named group per parameter.

    The step library binds steps with it and the linter checks lines with it, so the two can
    never disagree. A parameter may be empty (an empty Examples cell means "not given")."""
    parts = re.split(r"(\{[a-z_]+\})", pattern)
    regex = "".join(f"(?P<{p[1:-1]}>.*?)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


class StepValueError(ValueError):
    """A step's value that cannot be read (``14,0x`` as an amount): said in any language."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def text(self, lang: str) -> str:
        return t(self.code, lang, **self.params)


def _expected(exc: cells.CellError) -> Msg:
    """What the cell reader expected (``a number (such as 4,5 or 4.5)``), in whichever language
    the sentence around it is said."""
    return exc.what or exc.problem


def parse_number(text: str) -> Decimal:
    """``1.755.000`` / ``1,755,000`` / ``1755000`` / ``4,5`` / ``4.5`` → Decimal (``engine.contract.cells``)."""
    try:
        return cells.parse_decimal(text)
    except cells.CellError as exc:
        raise StepValueError("feature.value.expected", expected=_expected(exc), value=repr(text)) from None


def parse_amount(text: str) -> int | None:
    if text.strip().lower() in UNDETERMINED_WORDS:
        return None
    value = parse_number(text)
    if value != value.to_integral_value():
        raise StepValueError("feature.value.not-whole", value=repr(text))
    return int(value)


def parse_share(text: str) -> Decimal:
    """A rate or share as a feature writes it: ``75 %``, ``0,75``; a rate may exceed 1 only
    with ``%`` (a rate above 100 % is a proposal's to make, and lint's to question)."""
    stripped = text.strip()
    if stripped.endswith("%"):
        return parse_number(stripped[:-1]) / 100
    return parse_number(stripped)


def parse_field_value(path: str, text: str) -> Any:
    """A table cell as the value of a case field; an empty cell means 'not given'."""
    ft: FieldType | None = catalogue().get(path)
    if ft is None:
        known = ", ".join(p for p in catalogue() if p.split(".")[0] == path.split(".")[0])
        raise InputError.of("feature.field.unknown", Where(field=path), field=repr(path), known=known)
    value = text.strip()
    if value == "" or value.lower() in ("-", "—"):
        return None
    try:
        if ft.kind == "bool":
            return cells.parse_bool(value)
        if ft.kind == "number":
            return float(cells.parse_share(value)) if ft.share else cells.parse_whole(value)
        if ft.kind == "date":
            return cells.parse_date(value).isoformat()
        if ft.kind == "list":
            return list(cells.split_list(value))  # [] for "không"/"none"/"无": known, no tags at all
        return value
    except cells.CellError as exc:
        raise InputError.of("feature.field.expected", Where(field=path), expected=_expected(exc), value=repr(value)) from None
    except ValueError:
        raise InputError.of("feature.field.invalid", Where(field=path), value=repr(value)) from None


def parse_param_value(kind: str, text: str) -> Any:
    """A parameter's value as a feature writes it, read by the parameter's kind (``ParamDef.kind``):
    a rate or share as ``75 %`` or ``0,75``, yes/no, a date, a list; any other number as a number
    (a whole one as an integer). Raises ``StepValueError`` for a value of another kind."""
    value = text.strip()
    try:
        if kind in ("share", "rate"):
            return parse_share(value)
        if kind == "bool":
            return cells.parse_bool(value)
        if kind == "date":
            return cells.parse_date(value)
        if kind == "list":
            return list(cells.split_list(value))
    except cells.CellError as exc:
        raise StepValueError("feature.value.expected", expected=_expected(exc), value=repr(text)) from None
    number = parse_number(value)
    return int(number) if number == number.to_integral_value() and kind in ("count", "money") else number


def render(lang: str) -> str:
    """The phrasebook as text, grouped by step kind."""
    words = dialect(lang)
    out = []
    for kind in ("given", "when", "then"):
        out.append(t(f"step.heading.{kind}", lang))
        for s in STEPS:
            if s.kind != kind:
                continue
            out.append(f"  {words.joined(words.shown[kind], s.sentence(lang))}")
            for name in s.params:
                out.append(f"      {name}: {s.param_note(name, lang)}")
            out.append("      " + t("step.heading.example", lang, text=s.example(lang).replace("\n", "\n" + " " * 15)))
        out.append("")
    keywords = [words.shown[k] for k in ("feature", "background", "scenario", "outline", "examples",
                                          "given", "when", "then", "and", "but")]
    out.append(t("step.heading.keywords", lang, keywords=", ".join(keywords)))
    return "\n".join(out) + "\n"

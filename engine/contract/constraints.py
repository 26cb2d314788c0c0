"""The constraints on a case, declared once, as data.

Each reader of people's writing enforces them: the pydantic models (``engine.contract.case``, one
dossier, a feature's case) and the vectorised row checks of a table chunk (``engine.io.tables``)
are both *built* from the declarations below, never copied, so a dossier and a table row cannot
disagree on what is possible (``tests/test_contract_once.py`` holds them to it).

- ``BOUNDS``: the range of each kind of number: whole numbers (counts, money) are never
  negative and at most ``limits.MAX_WHOLE``; shares are between 0 and 1.
- ``NOT_AFTER_AS_OF``: dates that cannot lie after the as-of date (a person not yet born, a
  party membership, a term or an interim appointment not yet begun).
- ``NOT_BEFORE``: pairs of dates where the first cannot come before the second.
- ``PACK_COUNTRY``: the field that must name the pack's country when it is given (a Chinese
  village under a Vietnamese pack is refused, by the dossier check and the table check alike).
- ``DERIVED_BOUNDS``: the range of a derived field (``engine.contract.fields.DERIVED_AS``) that the
  static checks (``engine.verify``) reason in.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.i18n import Msg
from engine.limits import MAX_WHOLE

#: kind of number -> (least, greatest) value allowed
BOUNDS: dict[str, tuple[int | float, int | float]] = {"whole": (0, MAX_WHOLE), "share": (0.0, 1.0)}

#: dates that cannot be after the as-of date
NOT_AFTER_AS_OF: tuple[str, ...] = ("candidate.birth_date", "candidate.party_join_date", "candidate.term_start",
                                     "candidate.interim_since")

#: derived field -> (least, greatest) value. The least age, 0, follows from a birth date not after
#: the as-of date (``NOT_AFTER_AS_OF``); the greatest, 120, is an assumption, not a check: it is
#: the range in which ``engine.verify`` looks for a possible case (beyond any living person's age).
#: A dossier is not refused for an older age (its birth date may be any date not after the as-of
#: date), so a condition only an age above it meets is reported impossible by verify.
DERIVED_BOUNDS: dict[str, tuple[int, int]] = {"candidate.age": (0, 120)}

#: the field that, when given, must be the country of the pack that judges the case
PACK_COUNTRY = "hamlet.country"


def wrong_country(given: object, pack: str, expected: object) -> Msg:
    """A dossier whose hamlet is in another country than the pack's."""
    return Msg.of("input.wrong-country", given=given, pack=pack, expected=expected)


def wrong_country_row(expected: object) -> Msg:
    return Msg.of("table.row.wrong-country", expected=expected)


@dataclass(frozen=True)
class NotBefore:
    """``path`` cannot be before ``other`` (both on the same record)."""

    path: str
    other: str
    code: str  # the dossier's message, with {value} and {other}
    row_code: str  # a table row's message (the row shows the value given)

    def message(self, value: object, other: object) -> Msg:
        return Msg.of(self.code, value=value, other=other)

    def row_message(self) -> Msg:
        return Msg.of(self.row_code)


NOT_BEFORE: tuple[NotBefore, ...] = (
    NotBefore("candidate.party_join_date", "candidate.birth_date", "input.join-before-birth", "table.row.join-before-birth"),
)


def after_as_of(as_of: object) -> Msg:
    """A date after the as-of date (the dossier and a table row alike show the value given beside it)."""
    return Msg.of("input.date-after-as-of", as_of=as_of)


def bound_message(kind: str) -> Msg:
    """A table row's words for a number out of its kind's range (a dossier's are pydantic's
    ``greater_than_equal``/``less_than_equal``, worded in ``engine.contract.dossier``)."""
    low, high = BOUNDS[kind]
    if kind == "share":
        return Msg.of("input.between", low=f"{low:g}", high=f"{high:g}")
    return Msg.of("input.at-least", low=f"{low:g}")

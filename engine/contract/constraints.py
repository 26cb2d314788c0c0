"""The constraints on a case, declared once, as data.

Each reader of people's writing enforces them: the pydantic models (``engine.contract.case``, one
dossier, a feature's case) and the vectorised row checks of a table chunk (``engine.io.tables``)
are both *built* from the declarations below, never copied, so a dossier and a table row cannot
disagree on what is possible (``tests/test_contract_once.py`` holds them to it).

- ``BOUNDS``: the range of each kind of number: whole numbers (counts, money) are never
  negative and at most ``limits.MAX_WHOLE``; shares are between 0 and 1.
- ``NOT_AFTER_AS_OF``: dates that cannot lie after the as-of date (a person not yet born, a
  party membership not yet begun).
- ``NOT_BEFORE``: pairs of dates where the first cannot come before the second.
- ``PACK_COUNTRY``: the field that must name the pack's country when it is given (a Chinese
  village under a Vietnamese pack is refused, by the dossier check and the table check alike).
- ``DERIVED_BOUNDS``: the range of a derived field (``engine.contract.fields.DERIVED_AS``) that the
  static checks (``engine.verify``) reason in.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.limits import MAX_WHOLE

#: kind of number -> (least, greatest) value allowed
BOUNDS: dict[str, tuple[int | float, int | float]] = {"whole": (0, MAX_WHOLE), "share": (0.0, 1.0)}

#: dates that cannot be after the as-of date
NOT_AFTER_AS_OF: tuple[str, ...] = ("candidate.birth_date", "candidate.party_join_date")

#: derived field -> (least, greatest) value. The least age, 0, follows from a birth date not after
#: the as-of date (``NOT_AFTER_AS_OF``); the greatest, 120, is an assumption, not a check: it is
#: the range in which ``engine.verify`` looks for a possible case (beyond any living person's age).
#: A dossier is not refused for an older age (its birth date may be any date not after the as-of
#: date), so a condition only an age above it meets is reported impossible by verify.
DERIVED_BOUNDS: dict[str, tuple[int, int]] = {"candidate.age": (0, 120)}

#: the field that, when given, must be the country of the pack that judges the case
PACK_COUNTRY = "hamlet.country"


def wrong_country(given: object, pack: str, expected: object) -> tuple[str, str]:
    """(en, vi) for a dossier whose hamlet is in another country than the pack's."""
    return (f"the hamlet is in {given} but pack {pack} is for {expected}",
            f"thôn thuộc {given} nhưng gói {pack} dành cho {expected}")


def wrong_country_row(expected: object) -> tuple[str, str]:
    return f"must be {expected} for this pack", f"phải là {expected} với gói này"


@dataclass(frozen=True)
class NotBefore:
    """``path`` cannot be before ``other`` (both on the same record)."""

    path: str
    other: str
    en: str  # with {value} and {other}: the dossier's message
    vi: str
    row_en: str  # a table row's message (the row shows the value given)
    row_vi: str


NOT_BEFORE: tuple[NotBefore, ...] = (
    NotBefore("candidate.party_join_date", "candidate.birth_date",
              "the party join date {value} is before the birth date {other}",
              "ngày vào Đảng {value} trước ngày sinh {other}",
              "is before the birth date", "trước ngày sinh"),
)


def after_as_of(value: object, as_of: object) -> tuple[str, str]:
    """(en, vi) for a date after the as-of date; a table row shows the value given beside it."""
    return f"{value} is after the as-of date {as_of}", f"{value} sau ngày xét {as_of}"


def after_as_of_row(as_of: object) -> tuple[str, str]:
    return f"is after the as-of date {as_of}", f"sau ngày xét {as_of}"


def bound_message(kind: str) -> tuple[str, str]:
    """A table row's words for a number out of its kind's range (a dossier's are pydantic's
    ``greater_than_equal``/``less_than_equal``, worded in ``engine.contract.dossier``)."""
    low, high = BOUNDS[kind]
    if kind == "share":
        return f"must be between {low:g} and {high:g}", f"phải từ {low:g} đến {high:g}"
    return f"must be at least {low:g}", f"phải từ {low:g} trở lên"

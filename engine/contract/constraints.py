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
- ``IMPLIED``: a field another field's code settles (a party status says whether the person is a
  party member): read from it when not given, refused when given otherwise.
- ``KIND_POSTS`` and ``HAMLET_ONLY``: the two kinds of unit (a hamlet; an agency or public service
  unit, Nghệ An Resolution 09/NQ-TU) and what belongs to each: a post of one kind named on a unit
  of the other, posts of both kinds in one case, or a hamlet's field on an agency are refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from dataclasses import dataclass

from engine.i18n import Msg, t
from engine.limits import MAX_WHOLE

if TYPE_CHECKING:  # polars only for tables: one dossier's path must not pay for importing it
    import polars as pl

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


@dataclass(frozen=True)
class Implied:
    """``path`` follows from the code of ``source`` (on the same record): read from it when not
    given; given, it must agree. A code not in ``by_code`` settles nothing."""

    path: str
    source: str
    by_code: tuple[tuple[str, object], ...]

    def value(self, code: object) -> object | None:
        return dict(self.by_code).get(code) if isinstance(code, str) else None

    def expr(self, source: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """``value`` for a column of codes (the table reader's and the summary's twin of ``value``)."""
        return source.cast(str).replace_strict([c for c, _ in self.by_code], [v for _, v in self.by_code], default=None,
                                                return_dtype=dtype)

    def message(self, code: object) -> Msg:
        return Msg.of("input.implied-disagrees", other=self.source, code=code)


#: A party status says whether the person is a party member. The member field exists for what says
#: less than a status ("Có" in a "Đảng viên" column, ``engine.contract.words``): a member of
#: unknown standing, for whom a member's rule holds and a full member's rule is undetermined.
IMPLIED: tuple[Implied, ...] = (
    Implied("candidate.party_member", "candidate.party_status", (("full", True), ("probationary", True), ("none", False))),
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


# -- units: a hamlet or an agency -------------------------------------------------------------

#: The field that says which kind of unit a case is about (``Hamlet.kind``; a dossier's ``unit:``
#: is its ``hamlet:``, a table's ``unit_<field>`` its ``hamlet_<field>``).
UNIT_KIND = "hamlet.kind"
#: The kinds of unit that are hamlets (thôn, xóm, bản; tổ dân phố, khối; 村) and the one that is not:
#: an administrative agency or public service unit (cơ quan, đơn vị).
HAMLET_KINDS: tuple[str, ...] = ("village", "residential_group")
AGENCY_KINDS: tuple[str, ...] = ("agency",)
#: The posts of each: a hamlet's (Circular 04/2012, Decree 33/2023 Art. 33) and an agency's (Nghệ An
#: Resolution 09/NQ-TU, seed 004). Every post of ``engine.contract.case.Post`` is in exactly one
#: (``tests/test_agency.py`` holds them to it).
HAMLET_POSTS: tuple[str, ...] = ("party_cell_secretary", "deputy_party_cell_secretary", "hamlet_head",
                                 "deputy_hamlet_head", "front_committee_head")
AGENCY_POSTS: tuple[str, ...] = ("party_committee_secretary", "agency_head")
#: The fields only a hamlet has: given for an agency they are refused, never ignored, since a hamlet
#: coded as an agency by mistake would otherwise lose its allowance fund without a word.
HAMLET_ONLY: tuple[str, ...] = ("hamlet.population", "hamlet.households", "hamlet.area", "hamlet.local_party_members",
                                "hamlet.converted_from_village_households", "hamlet.suitable_party_member_available",
                                "hamlet.election_turnout")


@dataclass(frozen=True)
class Quoted:
    """Codes quoted and listed as the language lists them (``'a', 'b'``; ``'a'、'b'``)."""

    values: tuple[str, ...]

    def localized(self, lang: str) -> str:
        return t("input.list.separator", lang).join(f"'{v}'" for v in self.values)


def is_agency(kind: object, posts: Iterable[str] | None) -> bool:
    """The unit is surely an agency: of kind ``agency``, or naming an agency's post, which no hamlet
    may name (``unit_problems``), so with its kind not given too. ``engine.policy.lattice.fundless``
    is the same test on the fund's side, for one case and for a table."""
    return kind in AGENCY_KINDS or any(p in AGENCY_POSTS for p in (posts or ()))


def unit_problems(kind: object, posts: Iterable[str] | None, given: set[str]) -> list[tuple[str, Msg]]:
    """(field, message) for each way a case mixes the two kinds of unit: an agency's post on a
    hamlet, a hamlet's post on an agency, posts of both with the kind not given, a hamlet's field
    (``given``: the paths of the fields given) on an agency. A table row checks the same
    (``engine.io.tables``, from these declarations, in the words of ``ROW_MESSAGES``)."""
    held = list(posts or ())
    agency_posts = [p for p in held if p in AGENCY_POSTS]
    hamlet_posts = [p for p in held if p in HAMLET_POSTS]
    out: list[tuple[str, Msg]] = []
    if kind in HAMLET_KINDS and agency_posts:
        out.append(("posts", Msg.of("input.agency-post-on-hamlet", posts=Quoted(tuple(agency_posts)), kind=kind,
                                    allowed=Quoted(HAMLET_POSTS))))
    elif kind in AGENCY_KINDS and hamlet_posts:
        out.append(("posts", Msg.of("input.hamlet-post-on-agency", posts=Quoted(tuple(hamlet_posts)),
                                    allowed=Quoted(AGENCY_POSTS))))
    elif kind is None and agency_posts and hamlet_posts:
        out.append(("posts", Msg.of("input.posts-of-two-units", hamlet=Quoted(tuple(hamlet_posts)),
                                    agency=Quoted(tuple(agency_posts)))))
    elif is_agency(kind, held):
        out += [(path, Msg.of("input.hamlet-only-field")) for path in HAMLET_ONLY if path in given]
    return out


#: A table row's words for the same problems (the row shows the cell given beside them).
ROW_MESSAGES: dict[str, str] = {"input.agency-post-on-hamlet": "table.row.agency-post-on-hamlet",
                                "input.hamlet-post-on-agency": "table.row.hamlet-post-on-agency",
                                "input.posts-of-two-units": "table.row.posts-of-two-units",
                                "input.hamlet-only-field": "table.row.hamlet-only-field"}

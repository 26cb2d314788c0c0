"""The input contract: a hamlet, optionally a candidate, and the posts to hold together.

These pydantic models are the edge of the system: every dossier, batch row and BDD table
passes through them, so an impossible value is refused here with the field's name, never deep
inside an engine. They are also the *schema* that rule expressions are type-checked against
(``engine.contract.fields`` reads their annotations), so a field exists in exactly one place.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from engine.contract import cells, words
from engine.contract.constraints import BOUNDS, IMPLIED, NOT_AFTER_AS_OF, after_as_of
from engine.i18n import Msg

Country = Literal["VN", "CN"]
#: ``agency``: an administrative agency or public service unit (cơ quan, đơn vị), the second kind of
#: unit, where the party committee secretary is also its head (Nghệ An Resolution 09/NQ-TU).
HamletKind = Literal["village", "residential_group", "agency"]
#: ``converted_from_village``: a residential group that was a village (Decree 33/2023 Art. 34(2)(a):
#: a village of 350 households or more turned into a residential group keeps the higher fund).
AreaTag = Literal["mountainous", "border", "island", "key_security", "difficult", "ethnic_minority",
                  "converted_from_village"]
PartyStatus = Literal["none", "probationary", "full"]
PersonStatus = Literal[
    "none",
    "commune_cadre",
    "commune_civil_servant",
    "commune_nonprofessional",
    "hamlet_nonprofessional",
]
#: The posts a case may name. A hamlet's: secretary, deputy secretary, head, deputy head (Circular
#: 04/2012 Art. 12: at most one), Front work committee head; an agency's (kind ``agency``): the party
#: committee secretary and the head of the agency or unit.
Post = Literal["party_cell_secretary", "deputy_party_cell_secretary", "hamlet_head", "deputy_hamlet_head",
               "front_committee_head", "party_committee_secretary", "agency_head"]
Sex = Literal["male", "female"]
BackgroundTag = Literal[
    "retired_soldier", "returning_entrepreneur", "graduate", "local_professional", "ethnic_minority"
]



def _whole(value: Any) -> Any:
    """Whole numbers and money by the one cell grammar: ``1.490.000`` in a dossier is 1490000,
    as in a table. ``true``/``false`` is not a number (pydantic would read it as 1/0)."""
    if isinstance(value, bool):
        raise cells.CellError.expected(cells.EXPECTED["whole"])
    if isinstance(value, str):
        return cells.parse_whole(value)
    return value


def _share(value: Any) -> Any:
    """Shares by the one cell grammar: ``0.646``, ``0,646``, ``64,6 %``; numbers from 0 to 1."""
    if isinstance(value, bool):
        raise cells.CellError.expected(cells.EXPECTED["share"])
    if isinstance(value, str):
        return float(cells.parse_share(value))
    if isinstance(value, (int, float)):
        return cells.share_value(value)
    return value


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        return cells.parse_bool(value)
    if isinstance(value, bool) or value is None:
        return value
    raise cells.CellError.expected(cells.EXPECTED["bool"])


def _date(value: Any) -> Any:
    """Dates by the one cell grammar (``1980-01-31``, ``31/01/1980``); a YAML date as it is; a
    number is no date (pydantic would read 0 as 1970-01-01, seconds since the epoch)."""
    if isinstance(value, str):
        return cells.parse_date(value)
    if isinstance(value, datetime):  # a YAML date-time: the day is kept, as in a table
        return value.date()
    if isinstance(value, (bool, int, float)):
        raise cells.CellError.expected(cells.EXPECTED["date"])
    return value


def _text(value: Any) -> Any:
    return cells.normalize_text(value) if isinstance(value, str) else value


def _code(field: str) -> Any:
    """A code as a board may write it (``Nữ``, ``Dự bị``, ``Bí thư chi bộ``): the vocabulary's word
    read as its code (``engine.contract.words``), as a table reads it."""
    def read(value: Any) -> Any:
        return words.code_of(field, value) if isinstance(value, str) else value
    return BeforeValidator(read)


def _flag(field: str) -> Any:
    """Yes/no as the field says it ("Tốt" for health, "Khiển trách" for discipline), else the common words."""
    def read(value: Any) -> Any:
        if isinstance(value, str) and (said := words.flag_of(field, value)) is not None:
            return said
        return _yes_no(value)
    return BeforeValidator(read)


Share = Annotated[float, BeforeValidator(_share), Field(ge=BOUNDS["share"][0], le=BOUNDS["share"][1])]
Count = Annotated[int, BeforeValidator(_whole), Field(ge=BOUNDS["whole"][0], le=BOUNDS["whole"][1])]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Text = Annotated[str, BeforeValidator(_text)]
Day = Annotated[date, BeforeValidator(_date)]
# codes are read as text first (stripped, odd spaces made plain, NFC), a board's word as its code,
# as a table reads them
CountryCode = Annotated[Country, _code("hamlet.country")]
KindCode = Annotated[HamletKind, _code("hamlet.kind")]
AreaCode = Annotated[AreaTag, _code("hamlet.area")]
PartyCode = Annotated[PartyStatus, _code("candidate.party_status")]
StatusCode = Annotated[PersonStatus, _code("candidate.status")]
PostCode = Annotated[Post, _code("posts")]
SexCode = Annotated[Sex, _code("candidate.sex")]
BackgroundCode = Annotated[BackgroundTag, _code("candidate.background")]


def distinct_posts(v: list[str] | None) -> list[str] | None:
    """A post is listed once (a case's, a roster holder's)."""
    if v is not None and len(set(v)) != len(v):
        raise cells.CellError(Msg.of("input.post-twice"))
    return v


def _not_after_as_of(value: date | None, info: ValidationInfo) -> date | None:
    as_of = (info.context or {}).get("as_of")
    if value is not None and as_of is not None and value > as_of:
        raise cells.CellError(after_as_of(as_of))
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Hamlet(_Strict):
    """A hamlet (thôn, xóm, bản, tổ dân phố) or Chinese administrative village (村)."""

    id: Text = Field(min_length=1)
    name: Text | None = None
    country: CountryCode | None = None
    province: Text | None = None
    district: Text | None = None
    commune: Text | None = None
    kind: KindCode | None = None
    population: Count | None = None
    households: Count | None = None
    area: list[AreaCode] | None = None
    local_party_members: Count | None = Field(default=None, description="full party members living there")
    converted_from_village_households: Count | None = Field(
        default=None, description="for a residential group converted from a village (area tag converted_from_village): "
        "the village's households when it was converted")
    suitable_party_member_available: YesNo | None = Field(
        default=None, description="a suitable party member is available to stand for hamlet head"
    )
    election_turnout: Share | None = Field(default=None, description="share of voters who voted")

    @field_validator("area")
    @classmethod
    def _unique_area(cls, v: list[str] | None) -> list[str] | None:
        return sorted(set(v)) if v is not None else None


class Candidate(_Strict):
    """The person proposed for the posts."""

    id: Text = Field(min_length=1)
    name: Text | None = None
    birth_date: Day | None = None
    sex: SexCode | None = None
    party_status: PartyCode | None = None
    party_member: YesNo | None = Field(
        default=None, description="a party member, whatever the standing: read from party_status when that is "
        "given; given alone (a list's 'Đảng viên: Có'), the standing stays unknown")
    party_join_date: Day | None = None
    permanent_residence: YesNo | None = None
    residence_years: Count | None = None
    status: StatusCode | None = None
    vote_share: Share | None = None
    confidence_vote: Share | None = None
    disciplined: Annotated[bool, _flag("candidate.disciplined")] | None = None
    health_ok: Annotated[bool, _flag("candidate.health_ok")] | None = None
    trusted_by_people: YesNo | None = Field(
        default=None, description="the board attests that the person is trusted by the people (Circular 04/2012 "
        "Art. 11(2) states a quality, not a threshold): read where the vote share alone cannot decide")
    deprived_of_political_rights: YesNo | None = None
    endorsed_by_party_committee: YesNo | None = None
    background: list[BackgroundCode] | None = None
    # The hamlet head's term and the interim head (Circular 04/2012 Art. 12(2)(a)). A dossier that
    # gives none of them is judged as before: the rules about them apply only to a dossier that
    # gives them (``when: known(...)`` in the pack), since a field not given is unknown, not false,
    # and an unknown *must* would leave every older dossier undetermined.
    term_start: Day | None = Field(
        default=None, description="for a sitting hamlet head: the day the current term began (the election); "
        "the term rule applies only to a dossier that gives it")
    interim: YesNo | None = Field(
        default=None, description="the person is the interim head the commune chairman appointed while the post "
        "is vacant, not an elected head; not given or no: the dossier is about an elected head")
    interim_since: Day | None = Field(
        default=None, description="for an interim head: the day of the appointment, from which at most 6 months run")

    @model_validator(mode="before")
    @classmethod
    def _what_status_says(cls, data: Any) -> Any:
        """A status word that says less than a code ("Có": a member, standing unknown) read as what
        it says; a field a code settles (``constraints.IMPLIED``) read from it, or refused when it
        disagrees."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for rule in IMPLIED:
            source, field = rule.source.split(".", 1)[1], rule.path.split(".", 1)[1]
            raw = data.get(source)
            if isinstance(raw, str) and (said := words.says_less(rule.source, raw)) is not None:
                data[source] = None
                for path, value in said:
                    name = path.split(".", 1)[1]
                    if data.get(name) is None:
                        data[name] = value
                continue
            code = words.code_of(rule.source, raw) if isinstance(raw, str) else raw
            implied = rule.value(code)
            if implied is None:
                continue
            given = data.get(field)
            try:
                given = _yes_no(given)
            except cells.CellError:
                continue  # the field's own check refuses it
            if given is None:
                data[field] = implied
            elif given != implied:
                raise cells.CellError(rule.message(code))
        return data

    _dates = field_validator(*(p.split(".", 1)[1] for p in NOT_AFTER_AS_OF if p.startswith("candidate.")))(
        _not_after_as_of)


class Case(_Strict):
    """One question put to the engine: this hamlet, this person, these posts together."""

    id: str | None = None
    hamlet: Hamlet
    candidate: Candidate | None = None
    posts: list[PostCode] | None = None
    post_allowances: dict[PostCode, Count] | None = Field(
        default=None,
        description="monthly allowance of each post in this hamlet, in the currency's unit, where the "
        "province's figure is known to the user but not to the pack",
    )

    _posts = field_validator("posts")(distinct_posts)

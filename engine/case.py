"""The input contract: a hamlet, optionally a candidate, and the posts to hold together.

These pydantic models are the edge of the system: every dossier, batch row and BDD table
passes through them, so an impossible value is refused here with the field's name, never deep
inside an engine. They are also the *schema* that rule expressions are type-checked against
(``engine.schema`` reads their annotations), so a field exists in exactly one place.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Country = Literal["VN", "CN"]
HamletKind = Literal["village", "residential_group"]
AreaTag = Literal["mountainous", "border", "island", "key_security", "difficult", "ethnic_minority"]
PartyStatus = Literal["none", "probationary", "full"]
PersonStatus = Literal[
    "none",
    "commune_cadre",
    "commune_civil_servant",
    "commune_nonprofessional",
    "hamlet_nonprofessional",
]
Post = Literal["party_cell_secretary", "deputy_party_cell_secretary", "hamlet_head", "front_committee_head"]
Sex = Literal["male", "female"]
BackgroundTag = Literal[
    "retired_soldier", "returning_entrepreneur", "graduate", "local_professional", "ethnic_minority"
]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Hamlet(_Strict):
    """A hamlet (thôn, xóm, bản, tổ dân phố) or Chinese administrative village (村)."""

    id: str = Field(min_length=1)
    name: str | None = None
    country: Country | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    kind: HamletKind | None = None
    population: Count | None = None
    households: Count | None = None
    area: list[AreaTag] | None = None
    local_party_members: Count | None = Field(default=None, description="full party members living there")
    suitable_party_member_available: bool | None = Field(
        default=None, description="a suitable party member is available to stand for hamlet head"
    )
    election_turnout: Share | None = Field(default=None, description="share of voters who voted")

    @field_validator("area")
    @classmethod
    def _unique_area(cls, v: list[str] | None) -> list[str] | None:
        return sorted(set(v)) if v is not None else None


class Candidate(_Strict):
    """The person proposed for the posts."""

    id: str = Field(min_length=1)
    name: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    party_status: PartyStatus | None = None
    party_join_date: date | None = None
    permanent_residence: bool | None = None
    residence_years: Count | None = None
    status: PersonStatus | None = None
    vote_share: Share | None = None
    confidence_vote: Share | None = None
    disciplined: bool | None = None
    health_ok: bool | None = None
    deprived_of_political_rights: bool | None = None
    endorsed_by_party_committee: bool | None = None
    background: list[BackgroundTag] | None = None


class Case(_Strict):
    """One question put to the engine: this hamlet, this person, these posts together."""

    id: str | None = None
    hamlet: Hamlet
    candidate: Candidate | None = None
    posts: list[Post] | None = None
    post_allowances: dict[Post, Count] | None = Field(
        default=None,
        description="monthly allowance of each post in this hamlet, in the currency's unit, where the "
        "province's figure is known to the user but not to the pack",
    )

    @field_validator("posts")
    @classmethod
    def _distinct_posts(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and len(set(v)) != len(v):
            raise ValueError("a post is listed twice / một chức danh bị liệt kê hai lần")
        return v

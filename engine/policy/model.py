"""The rule-pack file format, as a drafter writes it (validated with pydantic).

A pack is a folder under ``rules/``: ``pack.yaml`` (identity, sources, ``extends``) and any
number of YAML files holding sections ``parameters``, ``criteria``, ``exceptions``, ``fund``,
``rates``, ``grants``, ``post_allowances``, ``targets`` and ``notes``. A proposal is the same format.
Expressions stay text here; ``engine.policy.loader`` parses and type-checks them with their location.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from engine.contract.case import Country, PersonStatus, Post
from engine.contract.decision import Strength
from engine.limits import quote

Confidence = Literal["high", "medium", "low"]


def _expr_text(v: Any) -> Any:
    """``rate: 0.75`` and ``rate: "0.75"`` mean the same; expressions are kept as text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return v


Expr = Annotated[str, BeforeValidator(_expr_text)]
ParamType = Literal["money", "number", "rate", "share", "count", "bool", "list", "date"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_Model):
    """A sentence in the pack's languages; every user-facing string in a pack is one of these.

    Vietnamese and English always; Chinese (``zh``) where the pack is read in Chinese (a pack
    whose ``lang`` is ``zh`` has it on every text: ``tests/test_pack_languages.py``)."""

    vi: str
    en: str
    zh: str | None = None


class SourceDoc(_Model):
    """A legal document or article a pack cites. ``cite`` is how an answer names it, short and in
    the reader's language (``Nghị định 33/2023/NĐ-CP``, ``Decree 33/2023/ND-CP``); without it,
    the full ``title``."""

    title: str
    cite: Text | None = None
    issuer: str | None = None
    date: dt.date | None = None
    in_force: dt.date | None = None
    url: str | None = None
    confidence: Confidence = "high"
    note: str | None = None


class SourceRef(_Model):
    doc: str
    article: str | None = None
    confidence: Confidence | None = None
    note: str | None = None


def _as_source_list(v: Any) -> Any:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


class ConflictingValue(_Model):
    """One source's figure where sources disagree (``DatedValue.conflicts``)."""

    value: Any
    source: SourceRef
    note: str | None = None


class DatedValue(_Model):
    """A parameter's value from a date. Where the sources conflict on that date (a provincial
    resolution against a later national decree) the value is unset (``null``: every engine,
    summary and comparison counts what rests on it as undetermined) and ``conflicts`` lists each
    source's figure, which the answer shows instead of picking one."""

    value: Any = None
    source: SourceRef | None = None
    confidence: Confidence | None = None
    note: str | None = None
    conflicts: list[ConflictingValue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _a_conflict_has_no_value(self) -> "DatedValue":
        if self.conflicts and (self.value is not None or len(self.conflicts) < 2):
            raise ValueError("a value whose sources conflict is null and lists at least two conflicting figures")
        return self


class Parameter(_Model):
    """A named value with dated history, like an openfisca-country-template parameter."""

    title: Text | None = None
    type: ParamType | None = None
    unit: str | None = None
    description: Text | None = None
    source: list[SourceRef] = Field(default_factory=list)
    confidence: Confidence | None = None
    values: dict[dt.date, DatedValue] | None = None
    #: In an overlay: the dated values replace the inherited history instead of merging into it
    #: (without it, an overlay's value from 2025 leaves the inherited values before 2025 in force).
    replace: bool = False

    _src = field_validator("source", mode="before")(_as_source_list)

    @field_validator("values", mode="before")
    @classmethod
    def _wrap_values(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        return {k: (x if isinstance(x, (dict, DatedValue)) else {"value": x}) for k, x in v.items()}


class Effective(_Model):
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    def covers(self, day: dt.date) -> bool:
        return (self.from_ is None or self.from_ <= day) and (self.to is None or day <= self.to)


class _Item(_Model):
    """Common to every rule-like item: an id, titles, sources, a period."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    title: Text
    source: list[SourceRef] = Field(default_factory=list)
    effective: Effective = Field(default_factory=Effective)
    confidence: Confidence | None = None
    note: str | None = None

    _src = field_validator("source", mode="before")(_as_source_list)


class Criterion(_Item):
    """A pass/fail condition; applies to cases holding the listed posts.

    ``strength`` is the force its source gives it (``engine.contract.decision.Strength``; a
    criterion without one is a *must*). A *may* is a permission: its condition says which cases it
    covers, and its ``obligation`` (if any) applies to a case it covers, as an exception's does."""

    posts: list[Post] | None = None  # applies when the case holds any of these
    posts_all: list[Post] | None = None  # applies when the case holds all of these
    when: Expr | None = None  # further applicability condition
    condition: Expr
    waivable: bool = False
    strength: Strength = "must"
    obligation: Text | None = None

    @model_validator(mode="after")
    def _obligation_of_a_permission(self) -> "Criterion":
        if self.obligation is not None and self.strength != "may":
            raise ValueError("only a permission (strength: may) brings an obligation; a must or should "
                             "is waived by an exception, whose obligation applies")
        return self


class ExceptionRule(_Item):
    """Waives failing criteria when its condition holds, and brings an obligation."""

    waives: list[str] = Field(min_length=1)
    condition: Expr
    obligation: Text


class FundRow(_Item):
    """One row of the hamlet allowance-fund table (first matching row wins)."""

    when: Expr = "true"
    coefficient: Expr


class RateRow(_Item):
    """One row of the concurrent-allowance table: which share of a post's allowance is paid."""

    role: Literal["own", "concurrent", "any"] = "any"
    statuses: list[PersonStatus] | None = None
    posts: list[Post] | None = None
    rate: Expr


GrantRequires = Literal["eligible", "eligible_with_conditions"]
TargetScope = Literal["commune", "district", "province"]


def _both_eligible() -> list[GrantRequires]:
    return ["eligible", "eligible_with_conditions"]


def _commune_scope() -> list[TargetScope]:
    return ["commune"]


class Grant(_Item):
    """An extra sum paid to the hamlet (e.g. Henan's yuan per one-shoulder village)."""

    posts_all: list[Post] | None = None
    when: Expr = "true"
    amount: Expr
    period: Literal["month", "year"] = "year"
    requires: list[GrantRequires] = Field(default_factory=_both_eligible)


class Note(_Item):
    """Informational (``../shared/domain/POLICY.md``): context a board is shown where it is
    relevant (the posts held, ``when``), never a criterion: it cannot change a decision. Its
    ``text`` is what is shown (the title when it has none)."""

    posts: list[Post] | None = None  # shown when the case holds any of these
    posts_all: list[Post] | None = None  # shown when the case holds all of these
    when: Expr = "true"
    text: Text | None = None


#: The kinds of roster check (``engine.policy.roster`` gives each its meaning, once):
#: ``one_holder``: each listed post (every post when none is listed) is held by at most one person;
#: ``paid_persons``: at most ``limit`` persons hold the listed (paid) posts, one person's concurrent
#: posts counted once; ``within_fund``: what the holders' posts would pay together is within the
#: hamlet's fund; ``not_together``: no one person holds both posts of the pair (a forbidden pair).
RosterCheckKind = Literal["one_holder", "paid_persons", "within_fund", "not_together"]


class RosterCheck(_Item):
    """A rule over the hamlet's post holders together (issue 16 §2): judged on a roster, never on
    one person alone; its verdict is the roster's, and each holder it concerns is told."""

    check: RosterCheckKind
    posts: list[Post] | None = None
    limit: Expr | None = None

    @model_validator(mode="after")
    def _shape(self) -> "RosterCheck":
        if self.check == "paid_persons" and (not self.posts or self.limit is None):
            raise ValueError("a paid_persons check names the paid posts (posts) and the most persons (limit)")
        if self.check == "not_together" and (self.posts is None or len(set(self.posts)) != 2):
            raise ValueError("a not_together check names exactly two posts")
        if self.check in ("one_holder", "within_fund", "not_together") and self.limit is not None:
            raise ValueError(f"a {self.check} check has no limit")
        if self.check == "within_fund" and self.posts is not None:
            raise ValueError("a within_fund check counts every post the fund pays: it names none")
        return self


class Milestone(_Model):
    by: dt.date
    share: Decimal = Field(ge=0, le=1)


class Target(_Item):
    """A share to reach over an area (judged in batch, over communes, districts, provinces)."""

    metric: Literal["party_member_head_share", "one_shoulder_share"]
    milestones: list[Milestone] = Field(min_length=1)
    scope: list[TargetScope] = Field(default_factory=_commune_scope)


class AllowanceSettings(_Model):
    """How allowance lines are formed from the posts listed in a case."""

    own_post_statuses: list[PersonStatus] | None = None
    post_amounts: dict[Post, Expr] | None = None


class PackFile(_Model):
    """One YAML file of a pack; every section is optional."""

    parameters: dict[str, Parameter] = Field(default_factory=dict)
    criteria: list[Criterion] = Field(default_factory=list)
    exceptions: list[ExceptionRule] = Field(default_factory=list)
    fund: list[FundRow] = Field(default_factory=list)
    rates: list[RateRow] = Field(default_factory=list)
    grants: list[Grant] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    roster: list[RosterCheck] = Field(default_factory=list)
    allowance: AllowanceSettings | None = None
    remove: list[str] = Field(default_factory=list)  # ids of inherited items this overlay drops

    @field_validator("parameters")
    @classmethod
    def _param_names(cls, v: dict[str, Parameter]) -> dict[str, Parameter]:
        import re

        for name in v:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"parameter name {quote(name)} must be lower_snake_case")
        return v


#: The rule sections of a pack file, in the order they are merged and checked.
SECTIONS = ("criteria", "exceptions", "fund", "rates", "grants", "targets", "notes", "roster")

#: The currency of each country: a pack's ``country`` and ``currency`` must agree, and a pack that
#: does not declare its country (an older pack) gets it from its currency, once, in the loader.
COUNTRY_CURRENCY: dict[Country, str] = {"VN": "VND", "CN": "CNY"}
#: The parameter the fund coefficient multiplies when a pack does not declare ``fund_base``.
DEFAULT_FUND_BASE = "base_salary"


class PackHeader(_Model):
    """``pack.yaml``: who the pack is and what it cites.

    ``country`` (``VN``, ``CN``) is the country whose hamlets the pack judges; an overlay inherits
    its base's and may only repeat it. ``fund_base`` names the money parameter the fund
    coefficient multiplies (default ``base_salary``); an overlay inherits it. Both are ``None``
    only as written in the file: the loader fills them in (``Policy.country``, ``Policy.fund_base``).
    """

    id: str = Field(pattern=r"^[a-z]{2}(\.[a-z0-9\-]+)*$")
    version: str
    title: Text
    jurisdiction: str
    currency: Literal["VND", "CNY"]
    country: Country | None = None
    fund_base: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    lang: Literal["vi", "en", "zh"] = "en"
    extends: str | None = None
    sources: dict[str, SourceDoc] = Field(default_factory=dict)
    description: Text | None = None


def to_decimal(value: Any) -> Decimal | int | Any:
    """YAML gives floats for 0.75; rates and coefficients must be exact, so go through text."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return value

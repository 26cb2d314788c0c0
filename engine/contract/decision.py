"""The output contract (``--format json``): a stable interface scripts rely on.

Keys named in DESIGN.md are kept as they are; more may be added, never renamed. Money is an
integer in the currency's unit; rates and coefficients are plain numbers for display only.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, PrivateAttr

DecisionValue = Literal["eligible", "eligible_with_conditions", "ineligible", "undetermined", "not_applicable"]
#: A criterion's status in a decision.
CriterionStatus = Literal["pass", "fail", "unknown", "waived", "not_applicable"]
#: The decisions and the statuses, in order: every list of them (words, enums, schemas) reads these.
DECISIONS: tuple[str, ...] = get_args(DecisionValue)
CRITERION_STATUSES: tuple[str, ...] = get_args(CriterionStatus)
#: The normative strength its source gives a criterion (``../shared/domain/POLICY.md``): a failing
#: *must* makes the case ineligible; a failing *should* (nên, khuyến khích, 应当/提倡) leaves it
#: eligible with an advisory; a *may* (được, 可以) is a permission: a case outside it falls back to
#: the rules above it, never ineligible by the permission alone. Targets (aggregate) and
#: informational notes are not criteria.
Strength = Literal["must", "should", "may"]
STRENGTHS: tuple[str, ...] = get_args(Strength)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Source(_Out):
    doc: str
    title: str
    article: str | None = None
    url: str | None = None
    confidence: str = "high"
    #: how an answer cites it, in the answer's language (``Điều 34 Nghị định 33/2023/NĐ-CP``):
    #: words for a reader, not part of the JSON contract (``engine.explain.cite``)
    _cited: str | None = PrivateAttr(default=None)


class Compared(_Out):
    field: str
    label: str
    value: Any
    op: str
    threshold: Any
    parameter: str | None = None
    holds: bool | None = None


class CriterionResult(_Out):
    id: str
    title: str
    status: CriterionStatus
    sentence: str
    compared: list[Compared]
    values: dict[str, Any]
    thresholds: dict[str, Any]
    missing: list[str]
    source: list[Source]
    waived_by: str | None = None
    confidence: str = "high"
    strength: Strength = "must"


class Advisory(_Out):
    """A failing *should* (``kind: contrary``: the case goes against a direction) or a *may* that
    does not cover the case (``kind: outside``: the rules above it apply): the decision stands, and
    the board reads these out."""

    criterion: str
    strength: Strength
    kind: Literal["contrary", "outside"]
    title: str
    text: str
    source: list[Source]


class Note(_Out):
    """Informational: context shown where it is relevant; it never changes the decision."""

    id: str
    title: str
    text: str
    source: list[Source]


class Condition(_Out):
    id: str
    title: str
    text: str
    waives: list[str]
    source: list[Source]


class Fund(_Out):
    row: str | None
    coefficient: float | None
    base_salary: int | None
    monthly: int | None
    currency: str
    sentence: str
    missing: list[str]
    source: list[Source]


class Conflict(_Out):
    """One source's figure for a parameter on which the sources disagree on the date: the line's
    amount is then null (undetermined), and each figure is shown with its source."""

    parameter: str
    value: Any
    source: list[Source]


class AllowanceLine(_Out):
    post: str
    label: str
    role: str | None
    rate: float | None
    post_allowance: int | None
    amount: int | None
    period: Literal["month", "year"] = "month"
    reason: str | None = None
    rule: str | None = None
    rules: list[str] = []
    source: list[Source]
    conflicts: list[Conflict] = []


class Allowance(_Out):
    """``monthly_total`` is the **payable** amount: 0 when the case is ineligible, null while the
    decision or an amount is undetermined. ``if_appointed_total`` and each line's ``amount`` say
    what the posts would pay if the person were appointed; they are never money owed."""

    monthly_total: int | None
    if_appointed_total: int | None = None
    yearly_total: int | None = None
    currency: str
    lines: list[AllowanceLine]


class Counterfactual(_Out):
    criterion: str
    changes: list[dict[str, Any]]
    sentence: str


class RosterFinding(_Out):
    """One roster check on a hamlet (``engine.policy.roster``): its verdict, what it found, the
    holders it concerns when it fails, its source."""

    id: str
    title: str
    status: Literal["pass", "fail", "unknown"]
    text: str
    holders: list[str] = []
    posts: list[str] = []
    missing: list[str] = []
    source: list[Source]


class Decision(_Out):
    case_id: str | None
    decision: DecisionValue
    decision_text: str
    criteria: list[CriterionResult]
    conditions: list[Condition]
    advisories: list[Advisory] = []
    notes: list[Note] = []
    roster: list[RosterFinding] = []  # in a roster: the failing roster checks that concern this person
    missing: list[str]
    fund: Fund | None
    allowance: Allowance | None
    counterfactuals: list[Counterfactual]
    pack: str
    pack_version: str
    pack_hash: str
    pack_chain: list[str]
    as_of: str
    lang: str
    engine: str = "durable-rules"
    trace: list[str] | None = None
    #: the heading's names (``Thôn Đồn Dừa / Nguyễn Quang Biên``; ``engine.explain.names``): words
    #: for a reader, not part of the JSON contract, which keys the case by ``case_id``
    _heading: str | None = PrivateAttr(default=None)
    _person: str | None = PrivateAttr(default=None)  # the person alone (a roster lists its holders so)
    _missing_names: list[str] | None = PrivateAttr(default=None)  # ``missing`` by name, in ``lang``


RosterVerdict = Literal["ok", "problems", "undetermined"]
ROSTER_VERDICTS: tuple[str, ...] = get_args(RosterVerdict)


class RosterFund(_Out):
    """The hamlet's fund beside what its posts would pay together: ``remainder`` is fund − paid
    (negative when the posts exceed the fund); each null while not known."""

    monthly: int | None
    paid_total: int | None
    remainder: int | None
    currency: str
    sentence: str


class RosterDecision(_Out):
    """A hamlet's roster judged (``kiemnhiem evaluate`` on a dossier with ``holders``): the roster's
    own verdict with its checks, and each holder's own decision."""

    hamlet_id: str
    roster: RosterVerdict
    roster_text: str
    checks: list[RosterFinding]
    fund: RosterFund | None
    holders: list[Decision]
    pack: str
    pack_version: str
    pack_hash: str
    pack_chain: list[str]
    as_of: str
    lang: str
    engine: str = "durable-rules"
    _heading: str | None = PrivateAttr(default=None)  # the hamlet's name, as a Decision's heading

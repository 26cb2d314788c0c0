"""The decision lattice, declared once, as data: every back end reads it.

``engine.policy.outcome.fold`` walks these tables for one case; the columnar engine
(``engine.backends.columnar``) builds its polars ``when`` chains from the same tables, so the
order of the decisions, what an exception does to a failing criterion and what is owed are written
in one place. A criterion's status (after its exceptions) is one of ``STATUSES``; a criterion that
does not apply has no status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

STATUSES = ("pass", "fail", "unknown", "waived")

#: How a criterion's status counts in the decision, by the criterion's strength: a *must* counts as
#: it is; a *should* or a *may* never makes a case ineligible or undetermined: failing or unknown, it
#: only *applies* (a failing one becomes an advisory, ``ADVISES``), and waived it still brings its
#: conditions. ``applies`` is a status of the decision's fold only, never shown.
COUNTS: dict[str, dict[str, str]] = {
    "must": {s: s for s in STATUSES},
    "should": {"pass": "pass", "fail": "applies", "unknown": "applies", "waived": "waived"},
    "may": {"pass": "pass", "fail": "applies", "unknown": "applies", "waived": "waived"},
}
#: A permission that covers the case and brings an obligation counts as passed with conditions
#: (strength, status, counted as): its obligation becomes a condition, as a waiving exception's does.
PERMISSION_USED: tuple[str, str, str] = ("may", "pass", "waived")
#: Which failing criteria are advisories, and of what kind: a failing *should* goes against a
#: direction (``contrary``); a failing *may* leaves the case outside the permission (``outside``),
#: and the rules above it decide.
ADVISES: dict[str, str] = {"should": "contrary", "may": "outside"}


def counted(strength: str, status: str, obligation: bool) -> str:
    """How one criterion's status counts in the decision (``COUNTS``, ``PERMISSION_USED``)."""
    if obligation and (strength, status) == PERMISSION_USED[:2]:
        return PERMISSION_USED[2]
    return COUNTS[strength][status]


@dataclass(frozen=True)
class When:
    """A test on one case's criterion statuses (``some``: a criterion has ``status``; ``no_candidate``:
    the case names no candidate; ``none_applies``: no criterion applies; ``always``)."""

    kind: Literal["some", "no_candidate", "none_applies", "always"]
    status: str | None = None


#: The first rule whose test holds gives the decision:
#: ineligible > undetermined > not_applicable > eligible_with_conditions > eligible.
DECISION_RULES: tuple[tuple[When, str], ...] = (
    (When("some", "fail"), "ineligible"),
    (When("some", "unknown"), "undetermined"),
    (When("no_candidate"), "not_applicable"),
    (When("none_applies"), "not_applicable"),
    (When("some", "waived"), "eligible_with_conditions"),
    (When("always"), "eligible"),
)

#: What a criterion's exceptions do to its status, first match wins: (status, an exception's
#: verdict — ``T`` surely holds, ``U`` might hold —, the new status). A failing criterion is waived
#: when one of its exceptions surely holds (its obligation becomes a condition), unknown when one
#: might hold.
WAIVERS: tuple[tuple[str, str, str], ...] = (
    ("fail", "T", "waived"),
    ("fail", "U", "unknown"),
)


@dataclass(frozen=True)
class Owed:
    """A test for what is owed (``decision``: the decision is ``decision``; ``no_posts``: the posts
    are not given; ``always``)."""

    kind: Literal["decision", "no_posts", "always"]
    decision: str | None = None


#: What is owed (the payable total), first match wins: nothing to someone who cannot hold the
#: posts (whatever the posts), no figure without the posts or while the decision is open, else what
#: the posts would pay (``if_appointed``).
PAYABLE_RULES: tuple[tuple[Owed, Literal["zero", "unknown", "if_appointed"]], ...] = (
    (Owed("decision", "ineligible"), "zero"),
    (Owed("no_posts"), "unknown"),
    (Owed("decision", "undetermined"), "unknown"),
    (Owed("always"), "if_appointed"),
)


def decide(statuses: Iterable[str], has_candidate: bool) -> str:
    """The decision for one case from its applicable criteria's statuses."""
    values = set(statuses)
    for when, decision in DECISION_RULES:
        if ((when.kind == "some" and when.status in values) or (when.kind == "no_candidate" and not has_candidate)
                or (when.kind == "none_applies" and not values) or when.kind == "always"):
            return decision
    raise AssertionError("DECISION_RULES ends with an 'always' rule")


def payable(decision: str, if_appointed: int | None, posts_given: bool) -> int | None:
    """What is owed for one case."""
    for owed, result in PAYABLE_RULES:
        if ((owed.kind == "decision" and owed.decision == decision) or (owed.kind == "no_posts" and not posts_given)
                or owed.kind == "always"):
            return 0 if result == "zero" else None if result == "unknown" else if_appointed
    raise AssertionError("PAYABLE_RULES ends with an 'always' rule")


class Truth(Protocol):
    """A truth value the grant rule can combine: a Python ``bool`` for one case, a polars
    expression for a whole table."""

    def __and__(self, other: Any) -> Any: ...

    def __or__(self, other: Any) -> Any: ...


B = TypeVar("B", bound=Truth)


def fundless(agency_kind: B, agency_post: B) -> B:
    """The unit has no hamlet allowance fund at all, written once for one case (``bool``) and for a
    table (polars): it is surely an agency (``engine.contract.constraints.is_agency``), of kind
    ``agency`` or naming an agency's post (which no hamlet may name). The fund table of a pack (its
    ``fund`` rows: the fund of Decree 33/2023 Art. 34, a hamlet's) is then not read: no row, no
    figure, and nothing undetermined. Every other unit is read by the table as it always was, a
    hamlet whose kind is not given included.

    Why here and not in the rows' ``when``: a row would have to be surely false for an agency and
    surely true for a hamlet whose kind is not given, and no three-valued condition on the kind is
    both (``hamlet.kind != 'agency'`` is unknown when the kind is missing, which would leave every
    such hamlet's fund undetermined)."""
    return agency_kind | agency_post


def grant_use(surely: B, maybe: B, required: B, undetermined: B, amount_known: B) -> tuple[B, B]:
    """How the decision uses a grant, written once for one case (``bool``) and for a table (polars):
    (listed, settled). The grant is *listed* when it surely or maybe applies to the case and the
    decision is one the grant requires or still open (``undetermined``); its amount is *settled*
    (owed) when it surely applies, the decision is one it requires and its amount is known."""
    listed = (surely | maybe) & (required | undetermined)
    settled = surely & required & amount_known
    return listed, settled

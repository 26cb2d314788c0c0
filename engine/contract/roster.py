"""The input contract of a hamlet's roster: the hamlet with every post holder (issue 16 §2).

A roster is a dossier that lists ``holders`` instead of one ``candidate`` with its ``posts``: the
board's slate for the hamlet, judged person by person (each holder is one ``Case``) and as a whole
(``engine.policy.roster``). What the vocabulary makes impossible is refused here as bad input, with
the field named: a holder without posts, a post listed twice by one holder (``Case``'s own check),
the same person listed twice. Two people nominated for one post is *not* refused: it is a roster
problem both are told about (a rule, with its source), never a silent drop.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from engine.contract import cells
from engine.contract.case import Candidate, Case, Count, Hamlet, PostCode, _Strict, distinct_posts
from engine.i18n import Msg


class Holder(_Strict):
    """One person of the roster and the posts they are to hold."""

    candidate: Candidate
    posts: list[PostCode] = Field(min_length=1)

    _posts = field_validator("posts")(distinct_posts)


class Roster(_Strict):
    """A hamlet and its post holders together."""

    id: str | None = None
    hamlet: Hamlet
    holders: list[Holder] = Field(min_length=1)
    post_allowances: dict[PostCode, Count] | None = Field(
        default=None,
        description="monthly allowance of each post in this hamlet, in the currency's unit, where the "
        "province's figure is known to the user but not to the pack (what the within-fund check sums)",
    )

    @field_validator("holders")
    @classmethod
    def _one_entry_per_person(cls, v: list[Holder]) -> list[Holder]:
        seen: set[str] = set()
        for h in v:
            if h.candidate.id in seen:
                raise cells.CellError(Msg.of("input.holder-twice", id=h.candidate.id))
            seen.add(h.candidate.id)
        return v

    def cases(self) -> list[Case]:
        """Each holder as the one case the engines judge: this hamlet, this person, their posts."""
        return [Case(id=f"{self.hamlet.id}/{h.candidate.id}", hamlet=self.hamlet, candidate=h.candidate,
                     posts=list(h.posts), post_allowances=self.post_allowances) for h in self.holders]

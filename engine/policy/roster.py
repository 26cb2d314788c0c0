"""The hamlet as a whole: each kind of roster check given its meaning, once (issue 16 §2).

A pack declares its roster checks as data (``roster:``, ``engine.policy.model.RosterCheck``); this
module says what each kind means, on the holders of one hamlet after each was judged as one case.
The one-hamlet use case (``engine.one_hamlet``) calls ``judge`` on each holder's outcome; the batch
engine computes the same checks over a whole table with polars (``engine.backends.columnar_roster``)
and the parity test holds the two to the same answers.

- ``one_holder``: each listed post (every post when none is listed) has at most one holder; every
  holder of a post with two or more is concerned (both nominees are told, neither dropped).
- ``paid_persons``: the persons holding any listed (paid) post, each counted once whatever their
  concurrent posts, are at most ``limit``; unknown while the limit is not known.
- ``within_fund``: what the holders' posts would pay together (their ``if_appointed_total``) is
  within the hamlet's monthly fund; unknown while the fund or any amount is not known; the
  remainder (fund − paid, negative when exceeded) is reported. Without a fund row for the hamlet
  (no fund in the pack on that date) the check does not apply.
- ``not_together``: no one holder holds both posts of the pair.

A check that names posts no holder holds does not apply (an agency's roster is not judged by a
hamlet's checks).

The roster's verdict: ``problems`` when a check fails, else ``undetermined`` when one cannot decide,
else ``ok`` (``VERDICT``, read by both engines).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.policy.resolved import RuleItem, Snapshot

#: (a check status present → the roster's verdict), first match wins; none of them → ``ok``
VERDICT: tuple[tuple[str, str], ...] = (("fail", "problems"), ("unknown", "undetermined"))
ROSTER_VERDICTS: tuple[str, ...] = ("ok", "problems", "undetermined")


@dataclass(frozen=True)
class Holder:
    """What the roster checks read of one holder, once judged as one case."""

    id: str
    posts: tuple[str, ...]
    paid: int | None  # what their posts would pay a month (``Outcome.if_appointed_total``); None: not known


@dataclass(frozen=True)
class Fund:
    """The hamlet's fund as the one-case fold found it."""

    applies: bool  # a fund row is in force for the hamlet (else within_fund does not apply)
    monthly: int | None  # None: not known (its missing fields or parameters in ``missing``)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One roster check on one hamlet."""

    ri: RuleItem
    status: str  # pass / fail / unknown
    holders: tuple[str, ...] = ()  # the holders it concerns when it fails, in roster order
    posts: tuple[str, ...] = ()  # the posts at issue (one_holder: those with several holders)
    count: int | None = None  # paid_persons: the persons counted
    limit: Any = None
    paid_total: int | None = None  # within_fund
    fund: int | None = None
    remainder: int | None = None
    missing: tuple[str, ...] = ()


def verdict(statuses: Sequence[str]) -> str:
    for status, answer in VERDICT:
        if status in statuses:
            return answer
    return "ok"


def paid_total(holders: Sequence[Holder]) -> int | None:
    """What the holders' posts would pay together: unknown when any holder's amount is."""
    amounts = [h.paid for h in holders]
    return None if any(a is None for a in amounts) else sum(a for a in amounts if a is not None)


def judge(snap: Snapshot, holders: Sequence[Holder], fund: Fund) -> list[Finding]:
    """Every roster check in force on the snapshot's date, on these holders, in the pack's order."""
    out: list[Finding] = []
    for ri, limit, limit_params in snap.roster:
        kind = ri.item.check
        if ri.item.posts and not any(p in h.posts for h in holders for p in ri.item.posts):
            continue  # no holder of its posts (an agency's roster and a hamlet's checks): nothing to judge
        if kind == "one_holder":
            listed = ri.item.posts or sorted({p for h in holders for p in h.posts})
            crowded = tuple(p for p in listed if sum(p in h.posts for h in holders) > 1)
            concerned = tuple(h.id for h in holders if any(p in h.posts for p in crowded))
            out.append(Finding(ri, "fail" if crowded else "pass", concerned, crowded))
        elif kind == "paid_persons":
            paid = tuple(h.id for h in holders if any(p in h.posts for p in ri.item.posts))
            if limit is None:
                out.append(Finding(ri, "unknown", count=len(paid),
                                   missing=tuple(f"params.{p}" for p in limit_params)))
            else:
                fails = len(paid) > limit
                out.append(Finding(ri, "fail" if fails else "pass", paid if fails else (), count=len(paid), limit=limit))
        elif kind == "within_fund":
            if not fund.applies:
                continue
            total = paid_total(holders)
            missing = fund.missing + tuple(f"holders.{h.id}" for h in holders if h.paid is None)
            if total is None or fund.monthly is None:
                out.append(Finding(ri, "unknown", paid_total=total, fund=fund.monthly, missing=missing))
            else:
                fails = total > fund.monthly
                concerned = tuple(h.id for h in holders if h.paid) if fails else ()
                out.append(Finding(ri, "fail" if fails else "pass", concerned, paid_total=total, fund=fund.monthly,
                                   remainder=fund.monthly - total))
        else:  # not_together
            pair = tuple(ri.item.posts)
            both = tuple(h.id for h in holders if all(p in h.posts for p in pair))
            out.append(Finding(ri, "fail" if both else "pass", both, pair))
    return out

"""The reference back end: the snapshot interpreted directly, expression by expression.

It is short enough to read in one sitting and uses the tree-walking ``evaluate`` (Kleene
logic on the expressions themselves), not the T/F/U formulas the other back ends compile. That
independence is the point: the parity tests compare durable-rules (and later the columnar
engine) against it on thousands of generated cases.
"""

from __future__ import annotations

from typing import Any

from engine.lang import UNKNOWN, evaluate
from engine.lang.logic import holds
from engine.policy.outcome import Verdicts, roles
from engine.policy.resolved import Snapshot


def _tvl(value: Any) -> str:
    return "U" if value is UNKNOWN else ("T" if value else "F")


def verdicts(snap: Snapshot, env: dict[str, Any]) -> Verdicts:
    v = Verdicts()
    for cc in snap.criteria:
        if cc.post_bound and env.get("posts") is None and env.get("candidate.id") is not None:
            posts = "U"  # the candidate's posts are not given: the rule may or may not be about them
        else:
            posts = "T" if holds(cc.posts, env) else "F"
        if posts == "F":
            continue
        when = cc.ri.nodes.get("when")
        applies = "T" if when is None else _tvl(evaluate(_sub(snap, when), env))
        if applies == "F":
            continue
        applies = "U" if "U" in (posts, applies) else "T"
        if applies == "U":
            v.criteria[cc.id] = "unknown"
            continue
        v.criteria[cc.id] = {"T": "pass", "F": "fail", "U": "unknown"}[_tvl(evaluate(cc.condition, env))]
        if v.criteria[cc.id] == "fail":
            for exc in cc.exceptions:
                verdict = _tvl(evaluate(exc.condition, env))
                if verdict != "F":
                    v.exceptions[exc.id] = verdict
    for row in snap.fund:
        verdict = "T" if row.when is None else _tvl(evaluate(row.when, env))
        if verdict != "F":
            v.fund[row.id] = verdict
    status = env.get("candidate.status")
    for post, role in roles(snap, env):
        if role is None or status is None:  # roles() gives no role without a status
            continue
        rate_row = snap.rate_row(post, role, status)
        v.rate_rows[post] = [rate_row.id] if rate_row is not None else []
    for g in snap.grants:
        if not holds(snap.grant_posts[g.id], env):
            continue
        verdict = "T" if g.when is None else _tvl(evaluate(g.when, env))
        if verdict != "F":
            v.grants[g.id] = verdict
    return v


def _sub(snap: Snapshot, node: Any) -> Any:
    from engine.lang import substitute

    return substitute(node, snap.params)

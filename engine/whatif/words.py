"""How ``compare``'s text and its HTML report name things for the person who drafts a proposal.

The comparison computes in ids (``params.concurrent_rate_cadre``, ``remove:vn.head.health``,
``eligible``) and its JSON keeps them; a reader is shown the words the pack and the catalogues
have for them instead: a parameter by its title with its value in force and proposed on the
as-of date, a rule by its title (its ``{params.…}`` filled in), a decision by its label.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from engine.contract.decision import DECISIONS
from engine.i18n import decision_label, fmt_value, pack_text, t
from engine.policy.resolved import Policy

#: the blame of a case no single change moves alone (``engine.whatif.compare``)
COMBINATION = "combination"


def decision_words(decision: str, lang: str) -> str:
    """A decision as a word in a sentence or a table cell: its label (``decision.*``), in lower
    case (``đủ điều kiện``, ``eligible with conditions``); the code for what is not a decision."""
    return decision_label(decision, lang).lower() if decision in DECISIONS else decision


def _param_value(policy: Policy, name: str, day: date, lang: str) -> str:
    """A parameter's value on ``day`` as ``rules show`` writes it (``50 %``, ``25``), or the
    catalogue's word for a value the pack leaves unset."""
    pd = policy.params[name]
    value = pd.value_on(day)
    if value is None:
        return t("pack-show.unset", lang)
    return fmt_value(value, lang, share=pd.field_type.share)


def cause_title(cause: str, base: Policy, prop: Policy, day: date, lang: str) -> str:
    """One change of a proposal (an id of the blame) in words: a parameter's title with its value
    in force and proposed on ``day``, a rule's title as added, replaced or removed."""
    if cause == COMBINATION:
        return t("impact.cause.combination", lang)
    if cause.startswith("params."):
        name = cause.removeprefix("params.")
        if name not in prop.params:
            return cause
        title = pack_text(prop.params[name].param.title, lang) or name
        after = _param_value(prop, name, day, lang)
        if name not in base.params:
            return t("impact.cause.param-new", lang, title=title, after=after)
        before = _param_value(base, name, day, lang)
        if before == after:  # the proposal moves it on another date only
            return t("impact.cause.param-elsewhen", lang, title=title)
        return t("impact.cause.param", lang, title=title, before=before, after=after)
    if cause.startswith("remove:"):
        rule_id = cause.removeprefix("remove:")
        ri = base.item(rule_id)
        return t("impact.cause.rule-removed", lang, title=base.snapshot(day).title(ri, lang) if ri else rule_id)
    ri = prop.item(cause)
    if ri is None:
        return cause
    kind = "replaced" if base.item(cause) is not None else "added"
    return t(f"impact.cause.rule-{kind}", lang, title=prop.snapshot(day).title(ri, lang))


def cause_titles(causes: Iterable[str], base: Policy, prop: Policy, day: date, lang: str) -> dict[str, str]:
    """``cause_title`` of each cause (and of ``combination``, which any case may carry)."""
    return {c: cause_title(c, base, prop, day, lang) for c in sorted({*causes, COMBINATION})}

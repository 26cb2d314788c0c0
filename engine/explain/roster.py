"""A hamlet's roster explained: each roster check as a sentence a board reads out, the fund beside
what the posts would pay, each holder's own decision with the roster problems that concern them
(``engine.explain.render`` writes it as text, Markdown or JSON).

The checks' meaning is ``engine.policy.roster``; this module only words what it found.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.contract.decision import Decision, RosterDecision, RosterFinding, RosterFund
from engine.explain.names import people
from engine.explain.reasons import _Ctx, provenance
from engine.i18n import field_label, fmt_money, post_label, t
from engine.policy.resolved import Snapshot
from engine.policy.roster import Finding, Fund


def finding(ctx: _Ctx, f: Finding, names: Mapping[str, str] | None = None) -> RosterFinding:
    """One roster check in words: what it found, on the facts of this roster; the holders it
    concerns by their ``names`` (id → name) where the roster gives them, by id otherwise."""
    lang, cur = ctx.lang, ctx.currency
    named = names or {}

    def _people(ids: tuple[str, ...], lang: str) -> str:
        return people(ids, named, lang)

    kind = f.ri.item.check
    posts = t("phrase.list-separator", lang).join(post_label(p, ctx.country, lang) for p in f.posts)
    if f.status == "unknown":
        text = t("roster.unknown", lang, fields=t("phrase.list-separator", lang).join(
            field_label(m, lang) if not m.startswith("holders.") else _holder_amount(m, named, lang) for m in f.missing) or "—")
    elif kind == "one_holder":
        text = (t("roster.one_holder.fail", lang, posts=posts, holders=_people(f.holders, lang)) if f.status == "fail"
                else t("roster.one_holder.pass", lang))
    elif kind == "paid_persons":
        text = t(f"roster.paid_persons.{f.status}", lang, count=f.count, limit=f.limit, holders=_people(f.holders, lang))
    elif kind == "within_fund":
        assert f.paid_total is not None and f.fund is not None and f.remainder is not None
        text = t(f"roster.within_fund.{f.status}", lang, paid=fmt_money(f.paid_total, cur, lang),
                 fund=fmt_money(f.fund, cur, lang), left=fmt_money(abs(f.remainder), cur, lang))
    else:  # not_together
        text = (t("roster.not_together.fail", lang, posts=posts, holders=_people(f.holders, lang)) if f.status == "fail"
                else t("roster.not_together.pass", lang, posts=posts))
    return RosterFinding(id=f.ri.id, title=ctx.title(f.ri), status=f.status,  # type: ignore[arg-type]
                         text=text, holders=list(f.holders), posts=list(f.posts), missing=list(f.missing),
                         source=ctx.sources(f.ri.item.source))


def _holder_amount(missing: str, names: Mapping[str, str], lang: str) -> str:
    """``holders.<id>`` (what that holder's posts would pay is not known) in words."""
    holder = missing[len("holders."):]
    return t("wording.roster.holder-amount", lang, holder=names.get(holder, holder))


def fund_summary(ctx: _Ctx, fund: Fund, paid: int | None) -> RosterFund | None:
    """The fund beside what the posts would pay together, and what remains or exceeds."""
    if not fund.applies:
        return None
    lang, cur = ctx.lang, ctx.currency
    remainder = None if fund.monthly is None or paid is None else fund.monthly - paid
    if remainder is None:
        sentence = t("roster.fund.open", lang, fund=fmt_money(fund.monthly, cur, lang), paid=fmt_money(paid, cur, lang))
    else:
        sentence = t("roster.fund.left" if remainder >= 0 else "roster.fund.over", lang, fund=fmt_money(fund.monthly, cur, lang),
                     paid=fmt_money(paid, cur, lang), left=fmt_money(abs(remainder), cur, lang))
    return RosterFund(monthly=fund.monthly, paid_total=paid, remainder=remainder, currency=cur, sentence=sentence)


def roster_decision(snap: Snapshot, hamlet_id: str, verdict: str, findings: list[RosterFinding],
                    fund: RosterFund | None, holders: list[Decision], lang: str, engine: str) -> RosterDecision:
    return RosterDecision(hamlet_id=hamlet_id, roster=verdict, roster_text=t(f"roster.verdict.{verdict}", lang),  # type: ignore[arg-type]
                          checks=findings, fund=fund, holders=holders, engine=engine, **provenance(snap, lang))


def concerning(findings: list[RosterFinding], holder: str) -> list[RosterFinding]:
    """The failing roster checks that concern one holder: what their own decision notes."""
    return [f for f in findings if f.status == "fail" and holder in f.holders]

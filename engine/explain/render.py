"""A Decision as text for a terminal, Markdown for minutes, or the stable JSON contract."""

from __future__ import annotations

import json
from datetime import date

from engine.contract.decision import Decision, RosterDecision
from engine.i18n import field_label, fmt_date, fmt_money, fmt_percent, status_label, t

MARK = {"pass": "✔", "fail": "✘", "unknown": "?", "waived": "≈", "not_applicable": "–"}


def _dump(d: Decision) -> dict:
    """A Decision as JSON data: ``trace`` only when it was asked for (``--trace``)."""
    data = d.model_dump(mode="json")
    if data.get("trace") is None:
        data.pop("trace", None)
    return data


def to_json(d: Decision) -> str:
    return json.dumps(_dump(d), ensure_ascii=False, indent=2) + "\n"


def _head(title: str, d: Decision | RosterDecision, markdown: bool) -> list[str]:
    """The title, then the pack, its version and hash, and the date decided on."""
    meta = t("explain.meta", d.lang, pack=d.pack, version=d.pack_version, hash=d.pack_hash,
             date=fmt_date(date.fromisoformat(d.as_of), d.lang))
    return [f"{'# ' if markdown else ''}{title}", meta if not markdown else f"_{meta}_", ""]


def _checked(status: str, text: str, source: list, lang: str, markdown: bool) -> list[str]:
    """One judged line (a criterion, a roster check): its mark and status, what it found, its source."""
    word = status_label(status, lang)
    if markdown:
        return [f"- {MARK[status]} **{word}** — {text}  \n  _{_source(source, lang)}_"]
    return [f"  {MARK[status]} [{word}] {text}", f"      {_source(source, lang)}"]


def _cite(src: list, lang: str) -> str:
    parts = []
    for s in src:  # by its title as the answer's language cites it; a source read back from JSON by its title
        text = s._cited or (s.title if not s.article else f"{s.title} {s.article}")
        if s.confidence != "high":
            text += t("explain.confidence", lang, level=t(f"value.confidence-{s.confidence}", lang))
        parts.append(text)
    return t("phrase.semicolon", lang).join(parts)


def _source(src: list, lang: str) -> str:
    return t("explain.source", lang, sources=_cite(src, lang))


def _line_text(d: Decision, ln, lang: str) -> str:
    cur = d.allowance.currency if d.allowance else "VND"
    role = t("explain.role", lang, role=t("value.concurrent" if ln.role == "concurrent" else "value.own", lang)) if ln.role else ""
    if ln.amount is not None:
        if ln.rate is not None and ln.post_allowance is not None:
            calc = f"{fmt_percent(round(ln.rate * 100, 4), lang)} × {fmt_money(ln.post_allowance, cur, lang)} = "
        elif ln.rate is not None:
            calc = f"{fmt_percent(round(ln.rate * 100, 4), lang)} → "
        else:
            calc = ""
        note = t("explain.note", lang, note=ln.reason) if ln.reason else ""
        return t("explain.line-year" if ln.period == "year" else "explain.line-month", lang, post=ln.label, role=role,
                 calc=calc, amount=fmt_money(ln.amount, cur, lang), note=note)
    return t("explain.line-open", lang, post=ln.label, role=role, reason=ln.reason)


def _total_lines(d: Decision, lang: str) -> list[str]:
    """The payable total, and beside it (labelled) what the posts would pay if appointed, when
    the two differ: a refusal read out in a meeting must never end with a sum of money."""
    a = d.allowance
    assert a is not None
    cur = a.currency
    payable = t("explain.payable", lang, amount=fmt_money(a.monthly_total, cur, lang))
    if d.decision == "ineligible":
        payable += t("explain.payable-ineligible", lang)
    elif d.decision == "undetermined":
        payable += t("explain.payable-open", lang)
    out = [payable]
    if a.if_appointed_total != a.monthly_total and a.if_appointed_total is not None:
        out.append(t("explain.if-appointed-total", lang, amount=fmt_money(a.if_appointed_total, cur, lang)))
    if a.yearly_total is not None:
        out.append(t("explain.yearly-total", lang, amount=fmt_money(a.yearly_total, cur, lang)))
    return out


def to_text(d: Decision, markdown: bool = False) -> str:
    lang = d.lang
    h2, bullet = ("## ", "- ") if markdown else ("", "  • ")
    out = _head(t("explain.case", lang, case=d._heading or d.case_id), d, markdown)  # names where the dossier gives them
    verdict = f"**{d.decision_text}**" if markdown else d.decision_text
    out.append(f"{h2 if markdown else ''}{t('explain.decision', lang, decision=verdict)}")
    if not d.criteria and d.decision == "not_applicable":  # no one to judge, or nothing the pack asks of these posts
        out.append(t("explain.no-candidate" if d.allowance is None else "explain.no-rule-applies", lang))
    if d.missing:
        # by name (a field's label, a parameter's title), as the explanation found them; a decision
        # read back from JSON has the paths only: each by its label where it has one
        fields = t("phrase.list-separator", lang).join(d._missing_names if d._missing_names is not None else (
            t("explain.missing-field", lang, label=field_label(m, lang), path=m) for m in d.missing))
        out.append(t("explain.missing", lang, fields=fields))
    out.append("")
    if d.criteria:
        out.append(f"{h2}{t('explain.heading.criteria', lang)}")
        for c in d.criteria:
            out += _checked(c.status, c.sentence, c.source, lang, markdown)
        out.append("")
    if d.conditions:
        out.append(f"{h2}{t('explain.heading.conditions', lang)}")
        for cond in d.conditions:
            out.append(f"{bullet}{t('explain.condition', lang, text=cond.text, title=cond.title, sources=_cite(cond.source, lang))}")
        out.append("")
    # failing should / may (the decision stands, the board reads them out), then informational notes
    for heading, items in (("roster", d.roster), ("advisories", d.advisories), ("notes", d.notes)):
        if items:
            out.append(f"{h2}{t(f'explain.heading.{heading}', lang)}")
            for item in items:  # a roster problem is named (its check's title), then what it found
                out.append(f"{bullet}{item.title}: {item.text}" if heading == "roster" else f"{bullet}{item.text}")
                if item.source:
                    out.append(f"{'  ' if not markdown else ''}  {_source(item.source, lang)}")
            out.append("")
    if d.counterfactuals:
        out.append(f"{h2}{t('explain.heading.counterfactuals', lang)}")
        for cf in d.counterfactuals:
            out.append(f"{bullet}{cf.sentence}")
        out.append("")
    if d.fund:
        out.append(f"{h2}{t('explain.heading.fund', lang)}")
        out.append(f"{bullet}{d.fund.sentence}")
        if d.fund.source:
            out.append(f"{'  ' if not markdown else ''}  {_source(d.fund.source, lang)}")
        out.append("")
    if d.allowance:
        out.append(f"{h2}{t('explain.heading.allowance', lang)}")
        if d.decision in ("ineligible", "undetermined") and d.allowance.lines:
            out.append(t("explain.if-appointed-lines", lang))
        for ln in d.allowance.lines:
            out.append(f"{bullet}{_line_text(d, ln, lang)}")
            if ln.source:
                out.append(f"{'  ' if not markdown else ''}  {_source(ln.source, lang)}")
        out += [f"{bullet}{line}" for line in _total_lines(d, lang)]
        out.append("")
    if d.trace is not None:
        out.append(f"{h2}{t('explain.heading.trace', lang)}")
        for i, step in enumerate(d.trace, 1):
            out.append(f"{'' if markdown else '  '}{i}. {step}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def roster_text(rd: RosterDecision, markdown: bool = False) -> str:
    """A hamlet's roster: its verdict, its checks, the fund, then each holder's own decision."""
    lang = rd.lang
    h2, bullet = ("## ", "- ") if markdown else ("", "  • ")
    out = _head(t("roster.heading", lang, hamlet=rd._heading or rd.hamlet_id), rd, markdown)
    verdict = f"**{rd.roster_text}**" if markdown else rd.roster_text
    out += [f"{h2 if markdown else ''}{t('roster.verdict', lang, verdict=verdict)}", ""]
    if rd.checks:
        out.append(f"{h2}{t('roster.heading.checks', lang)}")
        for c in rd.checks:
            out += _checked(c.status, f"{c.title}: {c.text}", c.source, lang, markdown)
        out.append("")
    if rd.fund is not None:
        out += [f"{h2}{t('roster.heading.fund', lang)}", f"{bullet}{rd.fund.sentence}", ""]
    out.append(f"{h2}{t('roster.heading.holders', lang)}")
    for d in rd.holders:
        out.append(f"{bullet}{d._person or d.case_id}: {d.decision_text}"
                   + (t("roster.holder-problems", lang, count=len(d.roster)) if d.roster else ""))
    out.append("")
    body = "\n".join(out)
    rule = "\n" if markdown else "\n" + "─" * 60 + "\n"  # each holder's own decision follows
    return body + "".join(rule + to_text(d, markdown) for d in rd.holders)


def roster_json(rd: RosterDecision) -> str:
    data = rd.model_dump(mode="json") | {"holders": [_dump(h) for h in rd.holders]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_markdown(d: Decision) -> str:
    return to_text(d, markdown=True)


RENDERERS = {"text": to_text, "markdown": to_markdown, "json": to_json}


def render(decision: Decision | RosterDecision, fmt: str = "text") -> str:
    """A Decision (or a hamlet's RosterDecision) as ``text``, ``markdown`` or ``json`` (the
    contracts of ``schema decision`` and ``schema roster``)."""
    if isinstance(decision, RosterDecision):
        return roster_json(decision) if fmt == "json" else roster_text(decision, markdown=fmt == "markdown")
    return RENDERERS[fmt](decision)

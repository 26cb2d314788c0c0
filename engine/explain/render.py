"""A Decision as text for a terminal, Markdown for minutes, or the stable JSON contract."""

from __future__ import annotations

import json

from engine.contract.decision import Decision
from engine.i18n import STATUSES, field_label, fmt_date, fmt_decimal, fmt_money, phrase, pick

MARK = {"pass": "✔", "fail": "✘", "unknown": "?", "waived": "≈", "not_applicable": "–"}


def to_json(d: Decision) -> str:
    data = d.model_dump(mode="json")
    if data.get("trace") is None:
        data.pop("trace", None)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cite(src: list, lang: str) -> str:
    parts = []
    for s in src:
        text = s.doc if not s.article else f"{s.doc} {s.article}"
        if s.confidence != "high":
            text += f" [{phrase('confidence', lang)}: {s.confidence}]"
        parts.append(text)
    return "; ".join(parts)


def _line_text(d: Decision, ln, lang: str) -> str:
    cur = d.allowance.currency if d.allowance else "VND"
    kind = ("kiêm nhiệm", "concurrent") if ln.role == "concurrent" else ("chức danh chính", "own post")
    role = f" ({pick(kind, lang)})" if ln.role else ""
    period = phrase("per_year" if ln.period == "year" else "per_month", lang)
    if ln.amount is not None:
        if ln.rate is not None and ln.post_allowance is not None:
            calc = f"{fmt_decimal(round(ln.rate * 100, 4), lang)} % × {fmt_money(ln.post_allowance, cur, lang)} = "
        elif ln.rate is not None:
            calc = f"{fmt_decimal(round(ln.rate * 100, 4), lang)} % → "
        else:
            calc = ""
        note = f" ({ln.reason})" if ln.reason else ""
        return f"{ln.label}{role}: {calc}{fmt_money(ln.amount, cur, lang)} {period}{note}"
    return f"{ln.label}{role}: {ln.reason}"


def _total_lines(d: Decision, lang: str) -> list[str]:
    """The payable total, and beside it (labelled) what the posts would pay if appointed, when
    the two differ: a refusal read out in a meeting must never end with a sum of money."""
    a = d.allowance
    assert a is not None
    cur, month = a.currency, phrase("per_month", lang)
    payable = f"{phrase('payable_total', lang)}: {fmt_money(a.monthly_total, cur, lang)} {month}"
    if d.decision == "ineligible":
        payable += f" ({phrase('nothing_payable_ineligible', lang)})"
    elif d.decision == "undetermined":
        payable += f" ({phrase('payable_open', lang)})"
    out = [payable]
    if a.if_appointed_total != a.monthly_total and a.if_appointed_total is not None:
        out.append(f"{phrase('if_appointed', lang).capitalize()}: {fmt_money(a.if_appointed_total, cur, lang)} {month}")
    if a.yearly_total is not None:
        out.append(f"{phrase('total', lang)}: {fmt_money(a.yearly_total, cur, lang)} {phrase('per_year', lang)}")
    return out


def to_text(d: Decision, markdown: bool = False) -> str:
    lang = d.lang
    h1, h2, bullet = ("# ", "## ", "- ") if markdown else ("", "", "  • ")
    out: list[str] = []
    out.append(f"{h1}{phrase('case', lang)} {d.case_id}")
    meta = (f"{phrase('pack', lang)}: {d.pack} {d.pack_version} (hash {d.pack_hash}) · "
            f"{phrase('as_of', lang)}: {fmt_date(__import__('datetime').date.fromisoformat(d.as_of), lang)}")
    out.append(meta if not markdown else f"_{meta}_")
    out.append("")
    verdict = f"**{d.decision_text}**" if markdown else d.decision_text
    out.append(f"{h2 if markdown else ''}{phrase('decision', lang)}: {verdict}")
    if not d.criteria and d.decision == "not_applicable":
        out.append(phrase("no_candidate", lang))
    if d.missing:
        out.append(f"{phrase('missing', lang)}: " + ", ".join(f"{field_label(m, lang)} ({m})" for m in d.missing))
    out.append("")
    if d.criteria:
        out.append(f"{h2}{phrase('criteria', lang)}")
        for c in d.criteria:
            status = pick(STATUSES[c.status], lang)
            if markdown:
                out.append(f"- {MARK[c.status]} **{status}** — {c.sentence}  \n  _{phrase('source', lang)}: {_cite(c.source, lang)}_")
            else:
                out.append(f"  {MARK[c.status]} [{status}] {c.sentence}")
                out.append(f"      {phrase('source', lang)}: {_cite(c.source, lang)}")
        out.append("")
    if d.conditions:
        out.append(f"{h2}{phrase('conditions', lang)}")
        for cond in d.conditions:
            out.append(f"{bullet}{cond.text} ({cond.title}; {phrase('source', lang)}: {_cite(cond.source, lang)})")
        out.append("")
    if d.counterfactuals:
        out.append(f"{h2}{phrase('counterfactuals', lang)}")
        for cf in d.counterfactuals:
            out.append(f"{bullet}{cf.sentence}")
        out.append("")
    if d.fund:
        out.append(f"{h2}{phrase('fund', lang)}")
        out.append(f"{bullet}{d.fund.sentence}")
        if d.fund.source:
            out.append(f"{'  ' if not markdown else ''}  {phrase('source', lang)}: {_cite(d.fund.source, lang)}")
        out.append("")
    if d.allowance:
        out.append(f"{h2}{phrase('allowance', lang)}")
        if d.decision in ("ineligible", "undetermined") and d.allowance.lines:
            out.append(f"{phrase('if_appointed_lines', lang)}:")
        for ln in d.allowance.lines:
            out.append(f"{bullet}{_line_text(d, ln, lang)}")
            if ln.source:
                out.append(f"{'  ' if not markdown else ''}  {phrase('source', lang)}: {_cite(ln.source, lang)}")
        out += [f"{bullet}{line}" for line in _total_lines(d, lang)]
        out.append("")
    if d.trace is not None:
        out.append(f"{h2}{phrase('trace', lang)}")
        for i, step in enumerate(d.trace, 1):
            out.append(f"{'' if markdown else '  '}{i}. {step}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_markdown(d: Decision) -> str:
    return to_text(d, markdown=True)


RENDERERS = {"text": to_text, "markdown": to_markdown, "json": to_json}


def render(decision: Decision, fmt: str = "text") -> str:
    """A Decision as ``text``, ``markdown`` or ``json`` (the contract of ``schema decision``)."""
    return RENDERERS[fmt](decision)

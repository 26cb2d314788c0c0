"""``kiemnhiem rules show``: a pack laid out for a person (or as JSON for a tool)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine.i18n import fmt_date, fmt_value, pick
from engine.policy.resolved import Policy, RuleItem


def _t(text: Any, lang: str) -> str:
    return "" if text is None else pick((text.vi, text.en), lang)


def _src(refs: list[Any]) -> str:
    return "; ".join(r.doc + (f" {r.article}" if r.article else "") + (f" [{r.confidence}]" if r.confidence else "")
                     for r in refs)


def pack_json(policy: Policy) -> dict[str, Any]:
    data = policy.canonical()
    data.update(version=policy.header.version, hash=policy.hash, title=policy.header.title.model_dump())
    return data


def _period(ri: RuleItem) -> str:
    eff = ri.item.effective
    if eff.from_ is None and eff.to is None:
        return ""
    return f" [{eff.from_ or '…'} → {eff.to or '…'}]"


def pack_text(policy: Policy, lang: str, as_of: date | None = None) -> str:
    h = policy.header
    L = lambda vi, en: pick((vi, en), lang)  # noqa: E731
    out = [f"{policy.id} {h.version}  hash {policy.hash}", _t(h.title, lang)]
    if h.description:
        out.append(_t(h.description, lang))
    out.append(f"{L('Mở rộng', 'Chain')}: {' → '.join(policy.chain)} · {L('Quốc gia', 'Country')}: {policy.country}"
               f" · {L('Tiền tệ', 'Currency')}: {h.currency}"
               + (f" · {L('Cơ sở tính quỹ', 'Fund base')}: {policy.fund_base}" if policy.fund else ""))
    out.append("")
    out.append(L("NGUỒN", "SOURCES"))
    for doc_id, doc in sorted(policy.sources.items()):
        when = f", {doc.date}" if doc.date else ""
        force = f", {L('hiệu lực', 'in force')} {doc.in_force}" if doc.in_force else ""
        conf = f" [{doc.confidence}]" if doc.confidence != "high" else ""
        out.append(f"  {doc_id}: {doc.title}{when}{force}{conf}")
    out.append("")
    out.append(L("THAM SỐ (giá trị theo ngày)", "PARAMETERS (dated values)"))
    for name, pd in sorted(policy.params.items()):
        p = pd.param
        unit = f" ({p.unit})" if p.unit else ""
        out.append(f"  {name}{unit} — {_t(p.title, lang)}  [{pd.origin.pack}]")
        if p.description:
            out.append(f"      {_t(p.description, lang)}")
        in_force = pd.entry_on(as_of) if as_of else None
        if not pd.history:
            out.append(f"      {L('chưa quy định (tỉnh quyết định hoặc chưa biết)', 'unset (left to the province, or not known)')}"
                       + (f"; {L('nguồn', 'source')}: {_src(p.source)}" if p.source else ""))
        for start, dv in pd.history:
            shown = L("chưa quy định", "unset") if dv.value is None else fmt_value(dv.value, lang, share=pd.kind in ("share", "rate"))
            mark = " ◀" if in_force and in_force[0] == start else ""
            src = _src([dv.source]) if dv.source else _src(p.source)
            conf = f" [{dv.confidence}]" if dv.confidence else ""
            note = f" — {dv.note}" if dv.note else ""
            out.append(f"      {L('từ', 'from')} {fmt_date(start, lang)}: {shown}{conf}  ({src}){note}{mark}")
    sections = [
        ("criteria", L("TIÊU CHÍ", "CRITERIA")), ("exceptions", L("NGOẠI LỆ", "EXCEPTIONS")),
        ("fund", L("QUỸ PHỤ CẤP THÔN", "HAMLET FUND")), ("rates", L("TỶ LỆ PHỤ CẤP", "ALLOWANCE RATES")),
        ("grants", L("KHOẢN HỖ TRỢ", "GRANTS")), ("targets", L("MỤC TIÊU", "TARGETS")),
    ]
    snap = policy.snapshot(as_of) if as_of is not None else None
    for attr, heading in sections:
        items = getattr(policy, attr)
        if not items:
            continue
        out.append("")
        out.append(heading)
        for ri in items:
            it = ri.item
            # a title naming a parameter shows the value in force on the as-of date, if one is given
            title = snap.title(ri, lang) if snap is not None else _t(it.title, lang)
            out.append(f"  {it.id}{_period(ri)} — {title}  [{ri.origin.pack}]")
            for key in ("condition", "when", "coefficient", "rate", "amount"):
                value = getattr(it, key, None)
                if value is not None and not (key == "when" and value == "true"):
                    out.append(f"      {key}: {' '.join(str(value).split())}")
            if getattr(it, "posts", None):
                out.append(f"      posts: {', '.join(it.posts)}")
            if getattr(it, "posts_all", None):
                out.append(f"      posts_all: {', '.join(it.posts_all)}")
            if attr == "criteria" and it.waivable:
                by = [e.id for e in policy.exceptions if it.id in e.item.waives]
                out.append(f"      {L('có thể miễn trừ bởi', 'waivable by')}: {', '.join(by) or '—'}")
            if attr == "exceptions":
                out.append(f"      {L('miễn trừ', 'waives')}: {', '.join(it.waives)}")
                out.append(f"      {L('nghĩa vụ', 'obligation')}: {_t(it.obligation, lang)}")
            if attr == "rates":
                out.append(f"      role: {it.role}" + (f"; statuses: {', '.join(it.statuses)}" if it.statuses else ""))
            if attr == "targets":
                out.append("      " + "; ".join(f"{L('đến', 'by')} {fmt_date(m.by, lang)}: {fmt_value(m.share, lang, share=True)}"
                                               for m in it.milestones))
            if it.note:
                out.append(f"      {L('ghi chú', 'note')}: {' '.join(it.note.split())}")
            out.append(f"      {L('nguồn', 'source')}: {_src(it.source)}" + (f" [{it.confidence}]" if it.confidence else ""))
    return "\n".join(out) + "\n"


def list_packs(rules: Sequence[Path] = (), lang: str = "en") -> list[dict[str, Any]]:
    """``kiemnhiem rules list``: every pack found (the extra folders first, then the shipped
    rules), with its version, content hash, what it extends and its title in ``lang``."""
    from engine.policy.loader import find_packs, load_policy, rules_dirs

    rows = []
    for pack_id in sorted(find_packs(rules_dirs(list(rules)))):
        policy = load_policy(pack_id, list(rules))
        h = policy.header
        rows.append({"id": pack_id, "version": h.version, "hash": policy.hash, "extends": h.extends,
                     "jurisdiction": h.jurisdiction, "currency": h.currency,
                     "title": h.title.vi if lang == "vi" else h.title.en,
                     "criteria": len(policy.criteria), "parameters": len(policy.params)})
    return rows


def render_pack_list(rows: list[dict[str, Any]], fmt: str = "text") -> str:
    """The list of ``list_packs`` as JSON, or one line per pack."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    return "".join(f"{r['id']:<12} {r['version']:<10} {r['hash']}  {r['title']}"
                   + (f" ← {r['extends']}" if r["extends"] else "") + "\n" for r in rows)


def show_pack(pack: str, fmt: str = "text", lang: str | None = None, as_of: date | None = None,
              rules: Sequence[Path] = (), proposal: Path | None = None) -> str:
    """``kiemnhiem rules show``: a pack (with a proposal on top) as text in ``lang`` (default the
    pack's), marking the values in force on ``as_of``, or as JSON (``pack_json``)."""
    from engine.policy.loader import load_policy

    policy = load_policy(pack, list(rules), proposal)
    if fmt == "json":
        return json.dumps(pack_json(policy), ensure_ascii=False, indent=2) + "\n"
    return pack_text(policy, lang or policy.header.lang, as_of)

"""``kiemnhiem rules show``: a pack laid out for a person (or as JSON for a tool)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine import i18n
from engine.explain.cite import cited
from engine.i18n import fmt_date, fmt_value, t
from engine.policy.model import SECTIONS, Text
from engine.policy.resolved import Policy, RuleItem


def _t(text: Any, lang: str) -> str:
    return i18n.pack_text(text, lang)


def _src(policy: Policy, lang: str, refs: list[Any]) -> str:
    """Sources by their titles, as an answer cites them, each with its confidence in words."""
    return t("phrase.semicolon", lang).join(
        cited(policy.sources.get(r.doc), r.doc, r.article, lang) + (_conf(r.confidence, lang) if r.confidence else "")
        for r in refs)


def _conf(level: str, lang: str) -> str:
    """`` [độ tin cậy: trung bình]``: a confidence in the reader's words, not ``medium``."""
    return t("explain.confidence", lang, level=t(f"value.confidence-{level}", lang))


def _pack_texts(policy: Policy) -> Iterator[Text]:
    """Every text the pack itself carries (titles, descriptions, obligations), wherever it is."""

    def walk(node: Any) -> Iterator[Text]:
        if isinstance(node, Text):
            yield node
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                yield from walk(getattr(node, name))
        elif isinstance(node, (list, tuple)):
            for item in node:
                yield from walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                yield from walk(item)

    yield from walk(policy.header)
    for pd in policy.params.values():
        yield from walk(pd.param)
    for section in SECTIONS:
        for ri in getattr(policy, section):
            yield from walk(ri.item)


def pack_languages(policy: Policy) -> list[str]:
    """The languages the pack speaks: Vietnamese and English always (a ``Text`` has both), and
    each other language of the engine (``i18n.LANGS``) that every text of the resolved pack has."""
    texts = list(_pack_texts(policy))
    return [lang for lang in i18n.LANGS
            if lang in ("vi", "en") or (texts and all(getattr(text, lang, None) for text in texts))]


def pack_json(policy: Policy) -> dict[str, Any]:
    data = policy.canonical()
    data.update(version=policy.header.version, hash=policy.hash, title=policy.header.title.model_dump(exclude_none=True),
                languages=pack_languages(policy))
    return data


def _period(ri: RuleItem) -> str:
    eff = ri.item.effective
    if eff.from_ is None and eff.to is None:
        return ""
    return f" [{eff.from_ or '…'} → {eff.to or '…'}]"


def pack_text(policy: Policy, lang: str, as_of: date | None = None) -> str:
    h = policy.header
    out = [f"{policy.id} {h.version}  hash {policy.hash}", _t(h.title, lang)]
    if h.description:
        out.append(_t(h.description, lang))
    facts = [t("pack-show.chain", lang, chain=" → ".join(policy.chain)), t("pack-show.country", lang, country=policy.country),
             t("pack-show.currency", lang, currency=h.currency)]
    if policy.fund:
        facts.append(t("pack-show.fund-base", lang, param=policy.fund_base))
    facts.append(t("pack-show.languages", lang, langs=", ".join(pack_languages(policy))))
    out.append(" · ".join(facts))
    out.append("")
    out.append(t("pack-show.sources", lang))
    for doc_id, doc in sorted(policy.sources.items()):
        when = f", {fmt_date(doc.date, lang)}" if doc.date else ""
        force = t("pack-show.in-force", lang, date=fmt_date(doc.in_force, lang)) if doc.in_force else ""
        conf = _conf(doc.confidence, lang) if doc.confidence != "high" else ""
        out.append(f"  {doc_id}: {doc.title}{when}{force}{conf}")
    out.append("")
    out.append(t("pack-show.parameters", lang))
    for name, pd in sorted(policy.params.items()):
        p = pd.param
        unit = f" ({p.unit})" if p.unit else ""
        out.append(f"  {name}{unit} — {_t(p.title, lang)}  [{pd.origin.pack}]")
        if p.description:
            out.append(f"      {_t(p.description, lang)}")
        in_force = pd.entry_on(as_of) if as_of else None
        if not pd.history:
            out.append(f"      {t('pack-show.param-unset', lang)}"
                       + (t("pack-show.param-source", lang, sources=_src(policy, lang, p.source)) if p.source else ""))
        for start, dv in pd.history:
            shown = t("pack-show.unset", lang) if dv.value is None else fmt_value(dv.value, lang, share=pd.field_type.share)
            mark = " ◀" if in_force and in_force[0] == start else ""
            src = _src(policy, lang, [dv.source]) if dv.source else _src(policy, lang, p.source)
            conf = _conf(dv.confidence, lang) if dv.confidence else ""
            note = f" — {dv.note}" if dv.note else ""
            out.append(f"      {t('pack-show.value-from', lang, date=fmt_date(start, lang), value=shown)}{conf}  ({src}){note}{mark}")
            if dv.conflicts:  # the sources disagree on this date: each figure with its source
                out.append("        " + t("pack-show.conflicts", lang, figures="; ".join(
                    f"{fmt_value(c.value, lang, share=pd.field_type.share)} ({_src(policy, lang, [c.source])})"
                    for c in dv.conflicts)))
    snap = policy.snapshot(as_of) if as_of is not None else None
    for attr in SECTIONS:
        items = getattr(policy, attr)
        if not items:
            continue
        out.append("")
        out.append(t(f"pack-show.{attr}", lang))
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
            if attr == "criteria":  # every criterion says its strength, a must too: a reader should not infer it
                out.append(f"      {t('pack-show.strength', lang, strength=t(f'strength.{it.strength}', lang))}")
                if it.obligation is not None:
                    out.append(f"      {t('pack-show.obligation', lang, text=_t(it.obligation, lang))}")
            if attr == "criteria" and it.waivable:
                by = [e.id for e in policy.exceptions if it.id in e.item.waives]
                out.append(f"      {t('pack-show.waivable-by', lang, ids=', '.join(by) or '—')}")
            if attr == "exceptions":
                out.append(f"      {t('pack-show.waives', lang, ids=', '.join(it.waives))}")
                out.append(f"      {t('pack-show.obligation', lang, text=_t(it.obligation, lang))}")
            if attr == "roster":
                out.append(f"      check: {it.check}" + (f"; limit: {it.limit}" if it.limit is not None else ""))
            if attr == "rates":
                out.append(f"      role: {it.role}" + (f"; statuses: {', '.join(it.statuses)}" if it.statuses else ""))
            if attr == "notes" and it.text is not None:
                out.append(f"      {_t(it.text, lang)}")
            if attr == "targets":
                out.append("      " + "; ".join(t("pack-show.milestone", lang, date=fmt_date(m.by, lang),
                                                   share=fmt_value(m.share, lang, share=True)) for m in it.milestones))
            if it.note:
                out.append(f"      {t('pack-show.note', lang, note=' '.join(it.note.split()))}")
            conf = _conf(it.confidence, lang) if it.confidence else ""
            out.append(f"      {t('pack-show.source', lang, sources=_src(policy, lang, it.source))}{conf}")
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
                     "title": i18n.pack_text(h.title, lang),
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

"""A source as an answer cites it: the document by its short title in the reader's language (the
pack's ``cite``, else its ``title``), the article as that language writes one.

Packs write articles in one form, ``Art. 34(2)(a)`` (article, clause, point), and several as
``Art. 33(6), 34``; Vietnamese reads ``điểm a khoản 2 Điều 34 Nghị định 33/2023/NĐ-CP``, English
``Decree 33/2023/ND-CP, Art. 34(2)(a)``, Chinese ``…第34条第2款a项`` (the words are the
catalogues' ``wording.article*`` and ``wording.cite``). An article in another form (``election of
the head``) is shown as the pack writes it.
"""

from __future__ import annotations

import re
from typing import Any

from engine.i18n import pack_text, t

_PART = re.compile(r"(\d+)((?:\([0-9a-z\u0111]+\))*)")  # a point may be đ
_SUB = re.compile(r"\(([0-9a-z\u0111]+)\)")


def article_text(article: str, lang: str) -> str:
    """``Art. 34(2)(a)`` in ``lang`` (several articles, ``Art. 33(6), 34``, each so); any other
    form unchanged."""
    body = article.strip()
    if not body.startswith("Art."):
        return article
    parts = [p.strip() for p in body[len("Art."):].split(",")]
    out = []
    for part in parts:
        m = _PART.fullmatch(part)
        if m is None:
            return article
        subs = _SUB.findall(m[2])
        if len(subs) > 2:
            return article
        code = ("wording.article", "wording.article-clause", "wording.article-point")[len(subs)]
        out.append(t(code, lang, n=m[1], k=subs[0] if subs else "", p=subs[1] if len(subs) > 1 else ""))
    return t("phrase.list-separator", lang).join(out)


def doc_title(doc: Any, slug: str, lang: str) -> str:
    """A declared document's short title in ``lang`` (its ``cite``), else its title; the slug only
    for a document the pack does not declare."""
    if doc is None:
        return slug
    cite = getattr(doc, "cite", None)
    return pack_text(cite, lang) if cite is not None else str(doc.title)


def cited(doc: Any, slug: str, article: str | None, lang: str) -> str:
    """The document and the article together, as ``lang`` cites them."""
    title = doc_title(doc, slug, lang)
    if not article:
        return title
    return t("wording.cite", lang, title=title, article=article_text(article, lang))

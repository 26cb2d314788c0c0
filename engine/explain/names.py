"""People and hamlets as a reader names them: by their names where the dossier gives them, by
their ids only where it does not (``Hồ sơ Thôn Đồn Dừa / Nguyễn Quang Biên``).

A Vietnamese hamlet's name usually carries its kind (``Xóm 7``, ``Bản Hủa``, ``Tổ 12``); a bare
name (``Đồn Dừa``) is given its kind's word (``wording.unit.<kind>``: ``Thôn {name}``) so that the
heading reads as a board writes it. Which leading words already name a kind is the catalogue's
``wording.unit.kind-words`` (a language without such words leaves the name as it is).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.i18n import _known, t


def _has_kind_word(name: str, lang: str) -> bool:
    words = [w.strip().casefold() for w in t("wording.unit.kind-words", lang).split(",") if w.strip()]
    first = name.strip().casefold()
    return any(first == w or first.startswith(w + " ") for w in words)


def unit_name(hamlet: Any, lang: str) -> str:
    """A hamlet's (or an agency's) name as a heading says it, or its id when it has none."""
    name = getattr(hamlet, "name", None)
    if not name:
        return str(hamlet.id)
    kind = getattr(hamlet, "kind", None)
    code = f"wording.unit.{kind}"
    if kind and _known(code, lang) and not _has_kind_word(name, lang):
        return t(code, lang, name=name)
    return str(name)


def person_name(candidate: Any) -> str:
    """A person's name, or their id when the dossier gives none."""
    return str(getattr(candidate, "name", None) or candidate.id)


def case_heading(case: Any, lang: str) -> str | None:
    """What an answer about ``case`` is headed with: the hamlet's and the person's names (each
    its id where it has no name); None where neither has a name (the case id is then shown, as
    the dossier keys it)."""
    candidate = case.candidate
    if not case.hamlet.name and not (candidate is not None and candidate.name):
        return None
    unit = unit_name(case.hamlet, lang)
    return unit if candidate is None else t("wording.case-heading", lang, unit=unit, person=person_name(candidate))


def people(ids: Sequence[str], names: Mapping[str, str], lang: str) -> str:
    """Holders listed by name where they have one (a roster's problems name whom they concern)."""
    return t("phrase.list-separator", lang).join(names.get(i, i) for i in ids)


def missing_labels(policy: Any, lang: str) -> dict[str, str]:
    """What a case may lack (``missing``: a field's path, or ``params.<name>``) → its name for a
    reader: the field's label, the parameter's title (``«…»``); what has neither keeps its path."""
    from engine.contract.fields import catalogue
    from engine.i18n import field_label, pack_text

    out = {path: field_label(path, lang) for path in catalogue()}
    for name, pd in policy.params.items():
        title = pd.param.title
        if title:
            out[f"params.{name}"] = t("explain.param-titled", lang, param=f"params.{name}", title=pack_text(title, lang))
    return out

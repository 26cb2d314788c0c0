"""Feature-file hygiene: what the Gherkin parser would skip silently, reported with file and line.

Three mistakes cost drafters most: a line inside a scenario that is not a step (``Giả sử …`` is
not a Vietnamese keyword, so the parser treats it as text and the check it states never runs), a
step sentence that is not in the phrasebook, and a pack, field or rule id that does not exist.
The keywords are the parser's own for the feature's ``# language:`` (``engine.bdd.dialect``);
each finding is a code of ``engine/messages/<lang>/features.yaml``, said in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.bdd.dialect import dialect, engine_lang, languages
from engine.bdd.phrasebook import FIELD_HEADERS, STEPS, step_regex
from engine.contract.fields import catalogue
from engine.i18n import LANGS, t


@dataclass(frozen=True)
class Finding:
    """A problem of a feature file at its line: a catalogue code and the values its text names."""

    file: str
    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def text(self, lang: str) -> str:
        """The finding in ``lang``; a list among its values is joined as the language lists things."""
        joined = {k: t("feature.list-separator", lang).join(v) if isinstance(v, (list, tuple)) else v
                  for k, v in self.params.items()}
        return t(self.code, lang, **joined)

    def message(self, lang: str) -> str:
        return f"{self.file}:{self.line}: {self.text(lang)}"


def language_of(text: str) -> str:
    """The feature's ``# language:`` (a Gherkin dialect name), ``en`` when it names none."""
    for line in text.splitlines()[:5]:
        m = re.match(r"\s*#\s*language:\s*([a-zA-Z-]+)", line)
        if m:
            return m.group(1)
    return "en"


_PATTERNS = {lang: [(s, step_regex(s.sentence(lang))) for s in STEPS] for lang in LANGS}


def lint_text(text: str, name: str, packs: set[str], rule_ids: set[str]) -> list[Finding]:
    written = language_of(text)
    lang = engine_lang(written)
    out: list[Finding] = []
    if lang is None:
        return [Finding(name, 1, "feature.lint.language", {"lang": repr(written), "known": tuple(languages())})]
    words = dialect(lang)
    in_body = False
    in_doc = False
    last_kind = None
    table_owner: str | None = None
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith('"""') or line.startswith("```"):
            in_doc = not in_doc
            continue
        if in_doc or not line or line.startswith("#") or line.startswith("@"):
            continue
        if line.startswith("|"):
            if table_owner in ("hamlet", "candidate"):
                cells = [c.strip() for c in line.strip("|").split("|")]
                path = cells[0] if "." in cells[0] else f"{table_owner}.{cells[0]}"
                if cells[0] not in FIELD_HEADERS and path not in catalogue():
                    out.append(Finding(name, no, "feature.lint.table-field", {"field": repr(cells[0]), "owner": table_owner}))
            continue
        section = words.section(line)
        if section:
            in_body = section in ("background", "scenario")
            table_owner = None
            last_kind = None
            continue
        step = words.split_step(line)
        if not in_body:  # description text, unless it is a phrasebook step put before any scenario
            if step and any(rx.match(step[1]) for _, rx in _PATTERNS[lang]):
                out.append(Finding(name, no, "feature.lint.step-outside"))
            continue
        if step is None:
            out.append(Finding(name, no, "feature.lint.not-a-step",
                               {"line": repr(line), "keywords": words.step_keywords()}))
            continue
        keyword_kind, sentence = step
        kind = last_kind if keyword_kind == "and" else keyword_kind
        last_kind = kind
        match = next(((s, m) for s, rx in _PATTERNS[lang] if (m := rx.match(sentence)) and (kind is None or s.kind == kind)),
                     None)
        if match is None:
            out.append(Finding(name, no, "feature.lint.unknown-step", {"sentence": repr(sentence), "lang": lang}))
            table_owner = None
            continue
        s, m = match
        table_owner = s.key if s.key in ("hamlet", "candidate") else None
        values = dict(zip(re.findall(r"\{([a-z_]+)\}", s.sentence(lang)), m.groups()))
        value = values.get("pack")
        if value and "<" not in value and value not in packs:
            out.append(Finding(name, no, "feature.lint.unknown-pack", {"pack": repr(value)}))
        field_path = values.get("field")
        if field_path and "<" not in field_path and field_path not in catalogue() and not field_path.startswith("params."):
            out.append(Finding(name, no, "feature.lint.unknown-field", {"field": repr(field_path)}))
        for key in ("rule", "exception"):
            rid = values.get(key)
            if rid and "<" not in rid and rid not in rule_ids:
                out.append(Finding(name, no, "feature.lint.unknown-rule", {"rule": repr(rid)}))
    return out


def lint_paths(paths: Iterable[Path], packs: set[str], rule_ids: set[str]) -> list[Finding]:
    out: list[Finding] = []
    for path in paths:
        out += lint_text(path.read_text(encoding="utf-8"), str(path), packs, rule_ids)
    return out


def feature_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.feature")) if root.is_dir() else [root]

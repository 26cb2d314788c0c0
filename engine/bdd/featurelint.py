"""Feature-file hygiene: what the Gherkin parser would skip silently, reported with file and line.

Three mistakes cost drafters most: a line inside a scenario that is not a step (``Giả sử …`` is
not a Vietnamese keyword, so the parser treats it as text and the check it states never runs), a
step sentence that is not in the phrasebook, and a pack, field or rule id that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.bdd.phrasebook import KEYWORDS, STEPS, step_regex
from engine.contract.fields import catalogue

SECTIONS = {
    "vi": {"feature": ("Tính năng",), "background": ("Bối cảnh",), "scenario": ("Kịch bản", "Tình huống",
           "Khung kịch bản", "Khung tình huống"), "examples": ("Dữ liệu",), "rule": ("Quy tắc",)},
    "en": {"feature": ("Feature", "Business Need", "Ability"), "background": ("Background",),
           "scenario": ("Scenario", "Example", "Scenario Outline", "Scenario Template"),
           "examples": ("Examples", "Scenarios"), "rule": ("Rule",)},
}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    en: str
    vi: str

    def message(self, lang: str) -> str:
        return f"{self.file}:{self.line}: {self.vi if lang == 'vi' else self.en}"


def language_of(text: str) -> str:
    for line in text.splitlines()[:5]:
        m = re.match(r"\s*#\s*language:\s*([a-zA-Z-]+)", line)
        if m:
            return m.group(1)
    return "en"


def _section(line: str, lang: str) -> str | None:
    for kind, words in SECTIONS[lang].items():
        for w in words:
            if line.startswith(w) and line[len(w):].lstrip().startswith(":"):
                return kind
    return None


def _step_keyword(line: str, lang: str) -> tuple[str, str] | None:
    for kind, words in KEYWORDS[lang].items():
        for w in words:
            if line.startswith(w + " "):
                return kind, line[len(w) + 1:].strip()
    return None


_PATTERNS = {lang: [(s, step_regex(s.sentence(lang))) for s in STEPS] for lang in ("vi", "en")}


def lint_text(text: str, name: str, packs: set[str], rule_ids: set[str]) -> list[Finding]:
    lang = language_of(text)
    out: list[Finding] = []
    if lang not in SECTIONS:
        return [Finding(name, 1, f"language {lang!r} is not supported (vi, en)", f"không hỗ trợ ngôn ngữ {lang!r} (vi, en)")]
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
                if cells[0] not in ("field", "trường") and path not in catalogue():
                    out.append(Finding(name, no, f"unknown field {cells[0]!r} in the {table_owner} table",
                                       f"không có trường {cells[0]!r} trong bảng {table_owner}"))
            continue
        section = _section(line, lang)
        if section:
            in_body = section in ("background", "scenario")
            table_owner = None
            last_kind = None
            continue
        step = _step_keyword(line, lang)
        if not in_body:
            if step:
                out.append(Finding(name, no, "a step outside a scenario or background",
                                   "bước nằm ngoài kịch bản hoặc bối cảnh"))
            continue
        if step is None:
            kws = ", ".join(w for ws in KEYWORDS[lang].values() for w in ws if w != "*")
            out.append(Finding(name, no, f"not a step, and the parser would skip it: {line!r}; start it with one of "
                                         f"{kws}, or make it a comment with #",
                               f"không phải một bước, trình phân tích sẽ bỏ qua: {line!r}; hãy bắt đầu bằng "
                               f"{kws}, hoặc biến thành chú thích bằng #"))
            continue
        keyword_kind, sentence = step
        kind = last_kind if keyword_kind == "and" else keyword_kind
        last_kind = kind
        match = next(((s, m) for s, rx in _PATTERNS[lang] if (m := rx.match(sentence)) and (kind is None or s.kind == kind)),
                     None)
        if match is None:
            out.append(Finding(name, no, f"unknown step {sentence!r}; see `kiemnhiem steps --lang {lang}`",
                               f"bước không có trong sổ tay: {sentence!r}; xem `kiemnhiem steps --lang {lang}`"))
            table_owner = None
            continue
        s, m = match
        table_owner = s.key if s.key in ("hamlet", "candidate") else None
        values = dict(zip(re.findall(r"\{([a-z_]+)\}", s.sentence(lang)), m.groups()))
        value = values.get("pack")
        if value and "<" not in value and value not in packs:
            out.append(Finding(name, no, f"unknown pack {value!r}", f"không có gói {value!r}"))
        field = values.get("field")
        if field and "<" not in field and field not in catalogue() and not field.startswith("params."):
            out.append(Finding(name, no, f"unknown field {field!r}", f"không có trường {field!r}"))
        for key in ("rule", "exception"):
            rid = values.get(key)
            if rid and "<" not in rid and rid not in rule_ids:
                out.append(Finding(name, no, f"unknown rule id {rid!r}", f"không có quy tắc {rid!r}"))
    return out


def lint_paths(paths: Iterable[Path], packs: set[str], rule_ids: set[str]) -> list[Finding]:
    out: list[Finding] = []
    for path in paths:
        out += lint_text(path.read_text(encoding="utf-8"), str(path), packs, rule_ids)
    return out


def feature_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.feature")) if root.is_dir() else [root]

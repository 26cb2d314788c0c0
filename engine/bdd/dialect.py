"""A feature language is data: which Gherkin dialect each engine language writes, and its keywords.

The engine's languages (``engine.i18n.LANGS``) each name their Gherkin dialect in their step
catalogue (``step.gherkin-language`` in ``engine/messages/<lang>/steps.yaml``: ``vi``, ``en``,
``zh-CN``). The keywords are the Gherkin parser's own (``gherkin-languages.json`` of the
``gherkin-official`` package pytest-bdd parses with), so the feature linter and the phrasebook
accept exactly what the parser does; the catalogue only says which keyword of each kind the
phrasebook shows first (``step.keyword.given``: ``Cho`` rather than ``Biết``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from engine.i18n import LANGS, catalogue

#: The step kinds a keyword introduces; ``and`` continues the kind of the step before it.
STEP_KINDS = ("given", "when", "then", "and")
#: The title keywords of a feature file, by the linter's name for them.
SECTION_KINDS = ("feature", "background", "scenario", "examples", "rule")


@dataclass(frozen=True)
class Dialect:
    """The keywords of one feature language.

    ``steps`` are (keyword as the parser matches it, kind), longest first, the keyword with its
    trailing space where the language has one (``Cho ``, ``Given ``; Chinese ``假如`` has none);
    ``*`` (a step of any kind) counts as ``and``. ``shown`` are the keywords the phrasebook writes,
    by kind (``given`` … ``but``, ``feature`` … ``outline``)."""

    lang: str  # the engine's language: vi, en, zh
    name: str  # the Gherkin dialect: vi, en, zh-CN
    sections: dict[str, tuple[str, ...]]
    steps: tuple[tuple[str, str], ...]
    by_kind: dict[str, tuple[str, ...]]  # given … but: the parser's keywords of each kind, stripped, ``*`` aside
    shown: dict[str, str]

    def step_keywords(self) -> list[str]:
        """Every step keyword (``*`` aside), the shown one of each kind first: for a message that
        lists them (``Cho, Biết, Khi, Thì, Và, Nhưng``)."""
        out: list[str] = []
        for kind in ("given", "when", "then", "and", "but"):
            for word in (self.shown[kind], *self.by_kind[kind]):
                if word not in out:
                    out.append(word)
        return out

    def joined(self, keyword: str, text: str) -> str:
        """``keyword text`` as a step line is written: with a space where the keyword has one in
        the dialect (``Cho gói …``), without where it has none (``假如使用规则包 …``)."""
        spaced = any(k == keyword + " " for k, _ in self.steps)
        return f"{keyword} {text}" if spaced else f"{keyword}{text}"

    def split_step(self, line: str) -> tuple[str, str] | None:
        """(kind, sentence) of a step line, ``None`` for a line that is not a step."""
        for keyword, kind in self.steps:
            if line.startswith(keyword):
                return kind, line[len(keyword):].strip()
        return None

    def section(self, line: str) -> str | None:
        """The kind of a title line (``Kịch bản: …``, ``场景: …``), ``None`` for any other line.
        The parser wants the ASCII colon right after the keyword; the linter also takes a space
        before it, as before."""
        for kind, words in self.sections.items():
            for w in words:
                if line.startswith(w) and line[len(w):].lstrip().startswith(":"):
                    return kind
        return None


def languages() -> dict[str, str]:
    """Gherkin dialect → engine language, for every language with a step catalogue."""
    return {catalogue(lang)["step.gherkin-language"]: lang for lang in LANGS}


def engine_lang(name: str) -> str | None:
    """The engine's language for a feature's ``# language:`` (``zh-CN`` → ``zh``), ``None`` when
    the engine has no phrasebook in it."""
    return languages().get(name)


@lru_cache(maxsize=None)
def dialect(lang: str) -> Dialect:
    """The keywords of the engine language ``lang``'s feature dialect."""
    from gherkin.dialect import Dialect as Gherkin

    words = catalogue(lang)
    name = words["step.gherkin-language"]
    spec = Gherkin.for_name(name)
    if spec is None:  # a catalogue naming a dialect the parser does not know: a broken install
        raise LookupError(f"the Gherkin parser has no dialect {name!r} (engine/messages/{lang}/steps.yaml)")
    sections = {"feature": tuple(spec.feature_keywords), "background": tuple(spec.background_keywords),
                "scenario": tuple(spec.scenario_keywords) + tuple(spec.scenario_outline_keywords),
                "examples": tuple(spec.examples_keywords), "rule": tuple(spec.rule_keywords)}
    kinds: dict[str, str] = {}
    by_kind: dict[str, tuple[str, ...]] = {}
    for kind in ("given", "when", "then", "and", "but"):
        keywords = getattr(spec, f"{kind}_keywords")
        by_kind[kind] = tuple(k.strip() for k in keywords if k.strip() != "*")
        for keyword in keywords:
            named = "and" if kind == "but" else kind
            kinds[keyword] = named if kinds.get(keyword, named) == named else "and"  # "* ": any kind
    steps = tuple(sorted(kinds.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    shown = {kind: words[f"step.keyword.{kind}"] for kind in
             ("feature", "background", "scenario", "outline", "examples", "given", "when", "then", "and", "but")}
    return Dialect(lang=lang, name=name, sections=sections, steps=steps, by_kind=by_kind, shown=shown)

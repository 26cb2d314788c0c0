"""What a run of the features found, as values: each scenario at its file and line, a failure at
its step with expected and actual values in the feature's language, and rule coverage.

``engine.bdd.plugin`` builds them while pytest runs; ``engine.bdd.runner`` returns them and
renders them for the terminal, in words of ``engine/messages/<lang>/features.yaml``. Nothing here
parses text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.bdd.featurelint import Finding
from engine.i18n import t
from engine.policy.model import Text


@dataclass(frozen=True)
class Failure:
    """Where and why a scenario failed: the step (keyword and text) and its line, what was checked,
    the values (``None`` when the check has none), a detail, and the engine's explanation."""

    step: str | None
    line: int | None
    message: str
    expected: str | None = None
    actual: str | None = None
    detail: str | None = None
    explanation: str = ""


@dataclass(frozen=True)
class ScenarioResult:
    file: Path
    line: int
    name: str  # with the Examples row of an outline, e.g. ``… [hamlet_nonprofessional-75 %]``
    keyword: str  # Kịch bản / Scenario / Khung kịch bản / 场景 …
    language: str  # vi / en / zh: the engine's language the feature is written in
    outcome: str  # passed / failed / skipped
    nodeid: str
    failure: Failure | None = None
    title: str = ""  # the name as the drafter wrote it, without the Examples row
    example: tuple[tuple[str, str], ...] = ()  # an outline's Examples row: (column, value) in order
    example_line: int | None = None  # that row's line in the file

    @property
    def where(self) -> str:
        return f"{shown_path(self.file)}:{self.line}"

    @property
    def named(self) -> str:
        """``file:line  name`` for a reader: an outline's example at its row's line, with the
        row's values by their columns (``… (ngày: 2021-06-01; vị trí: commune_cadre)``), never
        pytest's id (``[2021-06-01-commune_cadre]``)."""
        if not self.example:
            return f"{self.where}  {self.title or self.name}"
        values = "; ".join(f"{k}: {v}" for k, v in self.example)
        return f"{shown_path(self.file)}:{self.example_line or self.line}  {self.title or self.name} ({values})"


@dataclass(frozen=True)
class CoverageRow:
    rule: str
    origin: str  # the pack the rule comes from
    title: Text
    passes: bool  # some scenario where it passes (or is chosen)
    fails: bool  # … and one where it fails or is waived


@dataclass(frozen=True)
class Gap:
    rule: str
    origin: str
    missing: tuple[str, ...]  # "pass" and/or "fail"

    def words_in(self, lang: str) -> str:
        """What no scenario does: ``passes``, ``fails or is waived``, or both."""
        return t(f"feature.coverage.missing.{'-'.join(self.missing)}", lang)

    @property
    def words(self) -> str:
        """``words_in`` in English (what ``rules lint --coverage`` quotes)."""
        return self.words_in("en")

    def message(self, lang: str = "en") -> str:
        return t("feature.coverage.gap", lang, rule=self.rule, origin=self.origin, words=self.words_in(lang))


@dataclass(frozen=True)
class Coverage:
    rows: tuple[CoverageRow, ...]
    gaps: tuple[Gap, ...]
    idle: tuple[ScenarioResult, ...]  # scenarios that ran and exercised no rule

    def lines(self, lang: str = "en") -> list[str]:
        mark = lambda ok: "✔" if ok else "✘"  # noqa: E731
        return [t("feature.coverage.row", lang, passes=mark(r.passes), fails=mark(r.fails), rule=r.rule, origin=r.origin,
                  title=text_in(r.title, lang)) for r in self.rows]


def text_in(text: Text, lang: str) -> str:
    """A pack's text in ``lang``; English where the pack has none in it (a pack without Chinese)."""
    return getattr(text, lang, None) or text.en


@dataclass(frozen=True)
class FeatureRun:
    scenarios: tuple[ScenarioResult, ...] = ()
    coverage: Coverage | None = None
    lint: tuple[Finding, ...] = ()  # feature-file problems: nothing was run
    errors: tuple[str, ...] = ()  # what pytest could not collect or run, as it said it
    exit_code: int = 0
    coverage_asked: bool = False  # the coverage table was asked for (it is computed anyway on a full run)

    @property
    def passed(self) -> tuple[ScenarioResult, ...]:
        return tuple(s for s in self.scenarios if s.outcome == "passed")

    @property
    def failed(self) -> tuple[ScenarioResult, ...]:
        return tuple(s for s in self.scenarios if s.outcome == "failed")

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def shown_path(path: Path) -> str:
    """Relative to the working folder when under it (``features/vn/tieu-chuan.feature``), else absolute."""
    try:
        return os.path.relpath(path) if Path.cwd() in path.parents else str(path)
    except ValueError:
        return str(path)


def render_failure(s: ScenarioResult) -> str:
    """``file:line  Kịch bản: name``, the step at its line, expected and actual, the explanation."""
    lang = s.language
    out = [f"{s.where}  {s.keyword}: {s.name}"]
    f = s.failure
    if f is None:
        return out[0]
    if f.step is not None:
        out.append("  " + t("feature.failure.step", lang, line=f.line, step=f.step))
    if f.expected is not None or f.actual is not None:
        out.append("  " + t("feature.failure.values", lang, check=f.message, expected=f.expected, actual=f.actual))
    else:
        out.append(f"  {f.message}")
    if f.detail:
        out.append(f"  {f.detail}")
    if f.explanation.strip():
        out.append("")
        out += [f"      {line}" if line else "" for line in f.explanation.rstrip().splitlines()]
    return "\n".join(out)

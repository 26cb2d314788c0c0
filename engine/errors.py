"""Errors a user can act on.

Every error the tool reports to a person carries where it happened (file, line, rule, row,
field) and what was expected, in Vietnamese and English. The CLI turns them into a message and
exit code 2; nothing else should ever reach the user as a traceback.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:
    from engine.i18n import Msg

#: The longest part of a place (a file path, a rule id, a field) and the longest sentence a
#: message shows: values in messages are quoted short already (``limits.quote``); this is the net
#: under every other text a hostile input could make long.
MAX_PLACE_PART = 300
MAX_MESSAGE = 2000


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


@dataclass
class Where:
    """The place an error points at; every part is optional."""

    pack: str | None = None
    file: str | None = None
    line: int | None = None
    rule: str | None = None
    row: int | None = None
    field: str | None = None

    def describe(self, lang: str) -> str:
        from engine.i18n import t

        parts = []
        for key in ("pack", "file", "line", "rule", "row", "field"):
            value = getattr(self, key)
            if value is not None:
                parts.append(t(f"where.{key}", lang, value=_cut(str(value), MAX_PLACE_PART)))
        return t("where.separator", lang).join(parts)


@dataclass
class KiemnhiemError(Exception):
    """A user-facing error with a message in both languages, and the stable code of the problem
    (``pack.duplicate-id``) where one is given: what a catalogue, a test or a caller keys on."""

    en: str
    vi: str
    where: Where = field(default_factory=Where)
    code: str | None = None
    params: Mapping[str, Any] | None = field(default=None, compare=False)  # the values the code's text is filled with

    #: The exit status of the command that stops on it: 2, the person must fix their input (rules,
    #: dossier, table, output path); the command line reads it, never a number of its own.
    exit_code: ClassVar[int] = 2

    def __post_init__(self) -> None:
        super().__init__(self.en)

    @classmethod
    def of(cls, code: str, where: Where | None = None, /, **params: Any) -> Self:
        """The error whose text is the catalogues' ``code`` (``engine/messages``) filled with ``params``."""
        from engine.i18n import t

        return cls(en=t(code, "en", **params), vi=t(code, "vi", **params), where=where or Where(), code=code,
                   params=params)

    def text(self, lang: str) -> str:
        """The message without its place, in ``lang`` (one built from its ``en``/``vi`` alone, not
        with ``of``, has no other language: English then)."""
        if lang == "vi":
            return self.vi
        if lang == "en" or self.code is None or self.params is None:
            return self.en
        from engine.i18n import t

        return t(self.code, lang, **self.params)

    def message(self, lang: str = "en") -> str:
        from engine.i18n import t

        text = _cut(self.text(lang), MAX_MESSAGE)
        place = self.where.describe(lang)
        return f"{place}{t('where.then', lang)}{text}" if place else text

    def __str__(self) -> str:  # pragma: no cover - used in logs only
        return self.message("en")


class RuleFileError(KiemnhiemError):
    """A rule pack (or proposal) is malformed: the drafter must fix the YAML."""


@dataclass
class PackProblems(RuleFileError):
    """Several problems of one pack, reported together so that a drafter fixes them in one round.

    ``problems`` are the single errors in the order they were found (file by file, rule by rule);
    the message lists the first ``MAX_PROBLEMS`` on their own lines with their places (``rules
    lint`` gives every one). ``where`` names the pack."""

    problems: tuple[RuleFileError, ...] = ()

    def message(self, lang: str = "en") -> str:
        head = super().message(lang)
        return "\n".join([head] + [f"  - {p.message(lang)}" for p in self.problems[:MAX_PROBLEMS]])


#: The most problems one message lists (a pack broken everywhere would otherwise bury the first,
#: and a message must stay readable); ``kiemnhiem rules lint`` lists every one, one finding each.
MAX_PROBLEMS = 10


class Problems:
    """Collects a pack's problems while it is read and checked, then raises them together.

    ``catch()`` wraps a check written to raise: its ``RuleFileError`` (or each of a
    ``PackProblems``) is kept and the build goes on with the next rule."""

    def __init__(self, pack: str | None = None) -> None:
        self.pack = pack
        self.found: list[RuleFileError] = []

    def add(self, error: RuleFileError) -> None:
        self.found.extend(error.problems if isinstance(error, PackProblems) else (error,))

    @contextmanager
    def catch(self) -> Iterator[None]:
        try:
            yield
        except RuleFileError as exc:
            self.add(exc)

    def raise_if_any(self) -> None:
        """One problem is raised as itself (its message unchanged); several as a ``PackProblems``."""
        if self.found:
            raise self.error()

    def error(self) -> RuleFileError:
        """The problems found as one error (there must be at least one)."""
        assert self.found, "no problem was found"
        if len(self.found) == 1:
            return self.found[0]
        shown = min(len(self.found), MAX_PROBLEMS)  # the message lists these; ``problems`` keeps them all
        code = "pack.problems" if shown == len(self.found) else "pack.problems-first"
        pack = self.pack or next((p.where.pack for p in self.found if p.where.pack), None)
        error = PackProblems.of(code, Where(pack=pack), count=len(self.found), shown=shown)
        return dataclasses.replace(error, problems=tuple(self.found))


class InputError(KiemnhiemError):
    """A case or data file is malformed: the user must fix their input."""


class OutputError(InputError):
    """An output file cannot be written (missing or read-only folder, full disk): exit code 2."""


class ExprError(Exception):
    """An expression is malformed: the catalogue ``code`` of the problem, its ``params`` and the
    column; the loader wraps it into a RuleFileError with its location (``msg``: in every
    language). ``en``/``vi`` are its text, for callers reading them."""

    def __init__(self, code: str, column: int | None = None, params: Mapping[str, Any] | None = None):
        from engine.i18n import t

        self.code, self.column, self.params = code, column, dict(params or {})
        self.en, self.vi = t(code, "en", **self.params), t(code, "vi", **self.params)
        super().__init__(self.en)

    @classmethod
    def of(cls, code: str, column: int | None = None, /, **params: Any) -> Self:
        """The error whose text is the catalogues' ``code`` filled with ``params``, at ``column``."""
        return cls(code, column, params)

    def msg(self) -> Msg:
        """The problem as the value of another text's placeholder (the pack error wrapping it)."""
        from engine.i18n import Msg

        return Msg(self.code, self.params)

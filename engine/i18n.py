"""Words and number formats for Vietnamese, English and Chinese; the catalogues' reader (``t``).

Numbers follow each language's convention (1.755.000 ₫ and 46 % in Vietnamese, 1,755,000 VND
and 46 % in English, 1,755,000 元 and 46% in Chinese), with the words of each format in the
catalogues. Labels are looked up by field path, value, post or decision in the catalogues
(``field.*``, ``value.*``, ``post.<country>.*``), so a rule file never carries display text for
fields, only for its own titles (read with ``pack_text``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The languages the engine speaks: each is a folder of catalogues in ``engine/messages``.
LANGS = ("vi", "en", "zh")
_MESSAGES = Path(__file__).resolve().parent / "messages"


def compile_catalogue(lang: str) -> dict[str, str]:
    """Code → text in ``lang`` from the sources, every ``engine/messages/<lang>/*.yaml`` (what
    translators edit). A code in two files of a language is refused."""
    from engine.shipped import load_data

    out: dict[str, str] = {}
    for path in _sources(lang):
        data = load_data(path) or {}
        for code, text in data.items():
            if code in out:
                raise ValueError(f"{path}: the code {code!r} is also in another catalogue of {lang!r}")
            out[str(code)] = str(text)
    return out


def _sources(lang: str) -> list[Path]:
    return sorted((_MESSAGES / lang).glob("*.yaml"))


def compiled_path(lang: str) -> Path:
    """The compiled catalogue of ``lang`` (``python3 tasks.py catalogues`` writes it; a test
    holds it equal to the sources): one JSON file, read in a millisecond where the YAML takes
    ten, on every start of the command line."""
    return _MESSAGES / f"{lang}.json"


def _fingerprint(lang: str) -> str:
    """What the sources of ``lang`` hold (SHA-256 of their names and bytes): the compiled
    catalogue is used only when it was compiled from exactly these (file dates prove nothing: a
    fresh clone writes them in any order)."""
    import hashlib

    digest = hashlib.sha256()
    for path in _sources(lang):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def catalogue_json(lang: str) -> str:
    """The compiled catalogue's text: the sources' fingerprint, then the codes sorted, one per
    line, so that its diffs read well."""
    import json

    body = {"sources": _fingerprint(lang), "texts": compile_catalogue(lang)}
    return json.dumps(body, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Code → text in ``lang``, read once, when first needed (the one-case path reads only the
    language it answers in): the compiled JSON when it was compiled from the sources as they are,
    else the sources themselves (a translator's edit shows at once, before the JSON is written
    again)."""
    import json

    try:
        compiled = json.loads(compiled_path(lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return compile_catalogue(lang)
    if not isinstance(compiled, dict) or compiled.get("sources") != _fingerprint(lang):
        return compile_catalogue(lang)
    texts: dict[str, str] = compiled["texts"]
    return texts


def t(code: str, lang: str, /, **params: Any) -> str:
    """The text of ``code`` in ``lang`` with its ``{placeholders}`` filled in (a text meant to
    show a brace writes it twice, ``{{``, as ``str.format`` reads it). A value that has a
    ``localized(lang)`` method (``Msg``, ``Num``) is rendered in ``lang`` first: one error's
    params then serve every language."""
    return catalogue(lang)[code].format(**{k: _in(v, lang) for k, v in params.items()})


def _in(value: Any, lang: str) -> Any:
    localized = getattr(value, "localized", None)
    return localized(lang) if callable(localized) else value


@dataclass(frozen=True)
class Msg:
    """A catalogue text used as the value of another text's placeholder (what was expected,
    inside an error): rendered in the language of the text around it."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, /, **params: Any) -> Msg:
        return cls(code, params)

    def localized(self, lang: str) -> str:
        return t(self.code, lang, **self.params)


@dataclass(frozen=True)
class Num:
    """A number as a placeholder's value, grouped as the language writes it (1.000 / 1,000)."""

    value: int | Decimal

    def localized(self, lang: str) -> str:
        return fmt_decimal(self.value, lang)


def texts(code: str, /, **params: Any) -> dict[str, str]:
    """The text of ``code`` in every language."""
    return {lang: t(code, lang, **params) for lang in LANGS}


#: field paths whose code is not the path itself (a code is dotted words, not an expression)
_FIELD_CODES = {"len(posts)": "posts-held"}
#: a comparison operator → the code of its requirement (``op.ge``: "at least {v}")
OP_CODES = {">=": "op.ge", ">": "op.gt", "<=": "op.le", "<": "op.lt", "==": "op.eq", "!=": "op.ne"}
#: digit grouping and decimal mark: Vietnamese writes 1.755.000,5; English and Chinese 1,755,000.5
_MARKS = {"vi": (".", ",")}


def _known(code: str, lang: str) -> bool:
    return code in catalogue(lang)


def field_label(path: str, lang: str) -> str:
    """A field's name for a person (``field.<path>``), or the path itself for a field without one.
    A function of fields (``months_between(candidate.interim_since, as_of)``, as explanations write
    a computed term) is named by its function's label (``fn.<name>.label``) with its arguments'
    names filled in, where the catalogue has one."""
    code = "field." + _FIELD_CODES.get(path, path)
    if _known(code, lang):
        return t(code, lang)
    call = _CALL.fullmatch(path)
    if call and _known(f"fn.{call[1]}.label", lang):
        args = [a.strip() for a in call[2].split(",")]
        if all(_PATH.fullmatch(a) for a in args):  # plain fields only: a nested term keeps its text
            return t(f"fn.{call[1]}.label", lang, **{f"a{i}": field_label(a, lang) for i, a in enumerate(args)})
    return path


#: a function call as ``engine.explain.reasons`` writes a term, and a plain field path
_CALL = re.compile(r"([a-z_]+)\((.*)\)")
_PATH = re.compile(r"[a-z_]+(\.[a-z_]+)?")


def post_label(post: str, country: str, lang: str) -> str:
    """A post's name as the pack's country calls it (``post.<country>.<post>``; Vietnam's for a
    country without its own), or the post id."""
    code = f"post.{country.lower()}.{post}"
    if not _known(code, lang):
        code = f"post.vn.{post}"
    return t(code, lang) if _known(code, lang) else post


def decision_label(decision: str, lang: str) -> str:
    return t(f"decision.{decision}", lang)


def status_label(status: str, lang: str) -> str:
    return t(f"status.{status}", lang)


def pack_text(text: Any, lang: str) -> str:
    """A rule pack's own text (a ``Text``: title, description, obligation) in ``lang``. Every
    Text has Vietnamese and English; another language is an optional attribute (``zh``), read
    where the pack has it and English where it has not. "" for no text."""
    if text is None:
        return ""
    if lang == "vi":
        return str(text.vi)
    return str(getattr(text, lang, None) or text.en)


def columns(text: str) -> int:
    """The terminal columns ``text`` takes (a Chinese character takes two)."""
    return len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns, on the right (left-aligned) or, with
    ``right``, on the left: the columns of a plain-text table in any language."""
    fill = " " * max(0, width - columns(text))
    return fill + text if right else text + fill


def fmt_int(n: int, lang: str) -> str:
    text = f"{abs(n):,}"
    group = _MARKS.get(lang, (",", "."))[0]
    if group != ",":
        text = text.replace(",", group)
    return ("-" if n < 0 else "") + text


def fmt_decimal(x: Decimal | float | int, lang: str) -> str:
    d = Decimal(str(x)).normalize()
    if d == d.to_integral_value():
        return fmt_int(int(d), lang)
    text = format(d, "f")
    whole, frac = text.split(".")
    return fmt_int(int(whole), lang) + _MARKS.get(lang, (",", "."))[1] + frac


def fmt_money(amount: int | None, currency: str, lang: str) -> str:
    """An amount with its currency as the language writes it (1.755.000 ₫, 1,755,000 VND,
    1,755,000 元); the catalogues' "undetermined" for an amount not known."""
    if amount is None:
        return t("phrase.undetermined", lang)
    code = f"phrase.money.{currency.lower()}"
    if not _known(code, lang):
        return f"{fmt_int(amount, lang)} {currency}"
    return t(code, lang, amount=fmt_int(amount, lang))


def fmt_percent(number: Decimal | float | int, lang: str) -> str:
    """A number of percent (46 → "46 %", "46%" in Chinese)."""
    return t("phrase.share", lang, value=fmt_decimal(number, lang))


def fmt_share(x: Any, lang: str) -> str:
    """A share (0.46 → "46 %")."""
    return fmt_percent(Decimal(str(x)) * 100, lang)


def fmt_date(d: date, lang: str) -> str:
    return t("phrase.date", lang, year=d.year, month=d.month, day=d.day)


def fmt_value(value: Any, lang: str, share: bool = False, country: str = "VN") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("phrase.yes" if value else "phrase.no", lang)
    if isinstance(value, date):
        return fmt_date(value, lang)
    if isinstance(value, (tuple, list)):
        if not value:
            return "∅"
        return t("phrase.list-separator", lang).join(fmt_value(v, lang, country=country) for v in value)
    if isinstance(value, str):
        post = f"post.{country.lower()}.{value}"
        if _known(post, lang):
            return t(post, lang)
        return t(f"value.{value}", lang) if _known(f"value.{value}", lang) else value
    if share:
        return fmt_share(value, lang)
    if isinstance(value, (int, Decimal, float)):
        return fmt_decimal(value, lang)
    return str(value)

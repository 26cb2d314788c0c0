"""The words a board writes for a code: "Nam", "Dự bị", "Thôn", "Bí thư chi bộ", "Khiển trách".

A board's sheet says what a program's CSV codes (``male``, ``probationary``, ``village``,
``party_cell_secretary``, ``disciplined: yes``). The words are data (``vocabulary.yaml``: ``codes``,
``flags``, ``says_less``), read here once, and every reader goes through this module: the case
models (a dossier may say ``sex: Nữ``), the table reader (one distinct text at a time) and the
template's drop-down lists (the first word of each language). A word is compared after NFC, case
and runs of spaces are normalised; diacritics are kept (``Có`` is not ``Cơ``): a word typed
without them is listed as such where boards do (``Khong``).

A word means exactly its code or it is not listed. A word that says *less* than any code ("Có" in
a "Đảng viên" column: a member, of unknown standing) is read as what it does say, in another field
(``candidate.party_member``), and the field itself stays unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # polars only for tables: a dossier's path must not pay for importing it
    import polars as pl


def key(text: str) -> str:
    """A word as compared: NFC, stripped, lower case, single spaces (odd spaces too: they are
    whitespace to ``str.split``)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def key_expr(text: pl.Expr) -> pl.Expr:
    """``key`` for a column of texts already read as text (NFC, odd spaces made plain, stripped:
    ``engine.contract.cells.text_expr``): lower case, single spaces."""
    return text.str.to_lowercase().str.replace_all(r"\s+", " ")


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """``vocabulary.yaml`` as written, read once for the cell grammar and the words alike."""
    from engine.shipped import load_data

    return dict(load_data(Path(__file__).resolve().parent / "vocabulary.yaml"))


@dataclass(frozen=True)
class SaysLess:
    words: frozenset[str]  # keys of the words
    means: tuple[tuple[str, Any], ...]  # (field path, value) the word does say


@dataclass(frozen=True)
class Vocabulary:
    codes: dict[str, dict[str, str]]  # field → key(word) → code
    written: dict[str, dict[str, dict[str, str]]]  # field → code → lang → the word written
    flags: dict[str, dict[str, bool]]  # field → key(word) → yes/no
    says_less: dict[str, SaysLess]  # field → the words that say less, and what they say
    clashes: tuple[tuple[str, str], ...] = ()  # (field, word) a word given two meanings in one field (kept empty by a test)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = data()
    codes: dict[str, dict[str, str]] = {}
    written: dict[str, dict[str, dict[str, str]]] = {}
    clashes: list[tuple[str, str]] = []
    for field, by_code in raw["codes"].items():
        index = codes.setdefault(field, {})
        for code, by_lang in by_code.items():
            written.setdefault(field, {})[str(code)] = {lang: str(ws[0]) for lang, ws in by_lang.items() if ws}
            for w in [code, *(w for ws in by_lang.values() for w in ws)]:
                if index.setdefault(key(str(w)), str(code)) != str(code):
                    clashes.append((field, str(w)))
        less = raw["says_less"].get(field)
        clashes += [(field, str(w)) for w in (less or {}).get("words", ()) if key(str(w)) in index]
    flags = {field: {key(str(w)): answer == "yes" for answer, ws in by_answer.items() for w in ws}
             for field, by_answer in raw["flags"].items()}
    less = {field: SaysLess(frozenset(key(str(w)) for w in entry["words"]), tuple(sorted(entry["means"].items())))
            for field, entry in raw["says_less"].items()}
    return Vocabulary(codes, written, flags, less, tuple(clashes))


def code_of(field: str, text: str) -> str:
    """The code a word means for ``field``; the text itself (normalised) when it is no word of it,
    so that the field's own check refuses it, naming what was given."""
    found = vocabulary().codes.get(field, {}).get(key(text))
    return found if found is not None else " ".join(unicodedata.normalize("NFC", text).split())


def flag_of(field: str, text: str) -> bool | None:
    """Yes/no as ``field`` says it ("Tốt" for health, "Khiển trách" for discipline); None when
    the word is not one of the field's own (the common yes/no words then apply)."""
    return vocabulary().flags.get(field, {}).get(key(text))


def says_less(field: str, text: str) -> tuple[tuple[str, Any], ...] | None:
    """What a word that says less than any code of ``field`` does say, or None."""
    entry = vocabulary().says_less.get(field)
    return entry.means if entry is not None and key(text) in entry.words else None


def word(field: str, code: str, lang: str) -> str:
    """The word written for ``code`` of ``field`` in ``lang`` (the code when none is listed)."""
    return vocabulary().written.get(field, {}).get(code, {}).get(lang, code)


def words(field: str, lang: str) -> list[str]:
    """The words written for every code of ``field`` in ``lang``, in the vocabulary's order."""
    return [word(field, code, lang) for code in vocabulary().written.get(field, {})]


def flag_fields() -> tuple[str, ...]:
    return tuple(vocabulary().flags)

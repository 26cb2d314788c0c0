"""Which input column a heading names: the one table of labels (``headings.yaml``), and a
province's own mapping file on top of it.

A board's workbook says "Họ và tên", "Ngày sinh", "Thôn/xóm", "Đảng viên"; a program's CSV says
``name``, ``birth_date``, ``hamlet_name``. Both are read by comparing the *whole* heading after
normalising case, spacing, punctuation and diacritics, never by substring, so "Đảng viên" and
"Đảng viên tại chỗ" stay two columns. A heading that names no column is kept and passed through
(STT, Ghi chú); a heading that names two columns, or two headings that name one, are refused
with the headings named: reading either would be a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from engine.errors import InputError, Where

LANGS = ("vi", "en", "zh")


def normal(text: str) -> str:
    """A heading as compared: NFD without combining marks, đ as d, lower case, every run of
    punctuation or space one space (``"Thôn / Xóm"`` → ``"thon xom"``; ``hamlet_id`` → ``"hamlet id"``)."""
    t = unicodedata.normalize("NFD", str(text))
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "d")
    t = unicodedata.normalize("NFC", t).casefold()
    return " ".join(re.split(r"[\W_]+", t)).strip()


@dataclass(frozen=True)
class Table:
    """Headings per column and language (the first written), and the index from a normalised heading."""

    written: Mapping[str, Mapping[str, str]]  # column → lang → the heading written
    index: Mapping[str, str]  # normal(heading) → column

    def column(self, heading: str) -> str | None:
        return self.index.get(normal(heading))

    def heading(self, column: str, lang: str) -> str:
        """The heading written above ``column`` in ``lang`` (its id when the table has none)."""
        return self.written.get(column, {}).get(lang, column)


@dataclass(frozen=True)
class Clash:
    """A heading the table gives to two columns (a test keeps the shipped table free of them)."""

    heading: str
    columns: tuple[str, ...] = field(default=())


def _build(entries: Mapping[str, Mapping[str, Iterable[str]]], columns: Mapping[str, str]) -> tuple[Table, list[Clash]]:
    index: dict[str, str] = {}
    clashes: list[Clash] = []
    written: dict[str, dict[str, str]] = {}

    def add(heading: str, column: str) -> None:
        key = normal(heading)
        if key and index.setdefault(key, column) != column:
            clashes.append(Clash(heading, (index[key], column)))

    for name, column in columns.items():
        add(name, column)
    for column, by_lang in entries.items():
        written[column] = {}
        for lang, headings in by_lang.items():
            for i, heading in enumerate(headings):
                if i == 0:
                    written[column][lang] = str(heading)
                add(str(heading), column)
    return Table(written, index), clashes


@lru_cache(maxsize=1)
def _shipped() -> tuple[Table, tuple[Clash, ...]]:
    from engine.io.tables import ALIASES, known_columns, unit_aliases
    from engine.shipped import load_data

    data = load_data(Path(__file__).resolve().parent / "headings.yaml")
    aliases = ALIASES | unit_aliases()  # id → candidate_id, unit_kind → hamlet_kind …
    table, clashes = _build(data["columns"], {c: aliases.get(c, c) for c in sorted(known_columns())})
    return table, tuple(clashes)


def shipped() -> Table:
    return _shipped()[0]


def shipped_clashes() -> tuple[Clash, ...]:
    return _shipped()[1]


def with_mapping(path: Path) -> Table:
    """The shipped table with a province's own headings on top (``--columns FILE``): a YAML
    mapping ``heading: column`` (``"Họ tên cán bộ": name``). A column that is not one of the
    contract's, or a heading given twice, is refused with the file named."""
    from engine.contract import yamlsafe
    from engine.io.tables import ALIASES, known_columns, unit_aliases

    aliases = ALIASES | unit_aliases()
    data = yamlsafe.load_input_text(yamlsafe.read_input_file(path), str(path))
    where = Where(file=str(path))
    if not isinstance(data, dict):
        raise InputError.of("columns.not-a-mapping", where)
    base = shipped()
    known = known_columns()
    index = dict(base.index)
    for heading, column in data.items():
        if not isinstance(column, str) or column not in known or column in aliases:
            raise InputError.of("columns.unknown-column", Where(file=str(path), field=str(heading)), column=repr(column),
                                examples="name, birth_date, hamlet_name, posts")
        index[normal(str(heading))] = column  # the province's word wins over the shipped one
    return Table(base.written, index)

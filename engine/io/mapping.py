"""The column-mapping report: which heading of a table is read as which field, and which are kept
as they are, said before anything is evaluated (and all that ``batch --dry-run`` does).

A board that hands in its own workbook sees at once that "Ngày sinh" was read as the birth date
and that "Năm sinh" was not read at all, before a thousand rows come back undetermined.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.i18n import field_label, t
from engine.io import header
from engine.io.columns import engine_names
from engine.io.tables import DEFAULT, Reading, probe_header


@dataclass(frozen=True)
class Mapping:
    file: str
    sheet: str | None  # a workbook's sheet read
    header_row: int  # the header's row as the user sees it
    columns: tuple[tuple[str, str | None], ...]  # (heading as written, the column read, or None: kept as it is)

    @property
    def used(self) -> list[tuple[str, str]]:
        return [(h, c) for h, c in self.columns if c is not None]

    @property
    def kept(self) -> list[str]:
        return [h for h, c in self.columns if c is None]


def probe(path: Path, reading: Reading = DEFAULT) -> Mapping:
    sheet, row, names = probe_header(path, reading)
    columns = header.resolve(names, reading.headings(), str(path))
    return Mapping(str(path), sheet, row, tuple(zip(names, columns)))


def _field(column: str, lang: str) -> str:
    """A column's meaning in words (``field.*`` labels), by its path in the case."""
    name = engine_names().get(column)
    path = name.replace("__", ".") if name is not None else column
    label = field_label(path, lang)
    return label if label != path else column


def render(mapping: Mapping, lang: str) -> str:
    """The report, a few lines: where the header was found, each heading → its field, the rest kept."""
    where = t("mapping.sheet", lang, sheet=mapping.sheet, row=mapping.header_row) if mapping.sheet is not None else \
        t("mapping.row", lang, row=mapping.header_row)
    lines = [t("mapping.head", lang, file=mapping.file, where=where)]
    width = max((len(h) for h, _ in mapping.used), default=0)
    for heading, column in mapping.used:
        lines.append(f"  {heading.ljust(width)} → {_field(column, lang)} ({column})")
    if mapping.kept:
        lines.append("  " + t("mapping.kept", lang, columns=", ".join(mapping.kept)))
    return "\n".join(lines) + "\n"


def reading_from(sheet: str | None = None, header_row: int | None = None, columns: Path | None = None) -> Reading:
    """How to read a table, from the command line's ``--sheet``, ``--header-row`` and ``--columns``."""
    from engine.io.headings import with_mapping

    return Reading(with_mapping(columns) if columns is not None else None, sheet, header_row)

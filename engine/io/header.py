"""Finding a table's header row, or refusing the table.

A table is used only when its header is found: a row that names the unit (``hamlet_id``, or its
name: "Thôn/xóm") and at least two other columns of the case contract, by the table of headings
(``engine.contract.headings``: "Họ và tên", "Ngày sinh", or the ids). Otherwise the whole file
is refused (exit 2) with the columns expected, the closest names found and the row looked at —
never read with a wrong header, where every data row would become one garbled error row or,
worse, vanish. The first rows of the sheet are searched, so title rows above the header (a
district's name, the list's title) are passed over.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from engine.contract.cells import normalize_text
from engine.contract.headings import Table
from engine.errors import InputError, Where
from engine.i18n import Msg

#: How many rows from the top may hold titles before the header.
MAX_TITLE_ROWS = 20
#: Beside the key, how many contract columns a header must name.
MIN_OTHER_COLUMNS = 2
KEY = "hamlet_id"
#: A header names the unit by its id or, in a board's list, by its name ("Thôn/xóm").
KEYS = ("hamlet_id", "hamlet_name")


@dataclass(frozen=True)
class Header:
    index: int  # 0-based position of the header row among the rows read
    names: tuple[str, ...]  # the header's cells, as column names (blank cells named column_<n>)
    columns: tuple[str | None, ...] = ()  # the contract column each names (None: kept, passed through)

    def mapping(self) -> list[tuple[str, str | None]]:
        """(heading as written, the column it is read as, or None) for every column, in order."""
        return list(zip(self.names, self.columns or (None,) * len(self.names)))


def column_names(cells: Sequence[object]) -> tuple[str, ...]:
    """A header row as unique column names: stripped, NFC, blanks named by position, repeats numbered."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for j, cell in enumerate(cells):
        name = normalize_text(str(cell)) if cell is not None else ""
        name = " ".join(name.lstrip("\ufeff").split()) or f"column_{j + 1}"  # a heading wrapped on two lines is one
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        names.append(name)
    return tuple(names)


def resolve(names: Sequence[str], table: Table, source: str) -> tuple[str | None, ...]:
    """The contract column each heading names; two headings naming one column are refused, naming both."""
    columns = tuple(table.column(n) for n in names)
    first: dict[str, str] = {}
    for name, column in zip(names, columns):
        if column is None:
            continue
        if column in first:
            raise InputError.of("table.two-headings-one-column", Where(file=source, field=name), first=repr(first[column]),
                                second=repr(name), column=column)
        first[column] = name
    return columns


def find(rows: Sequence[Sequence[object]], table: Table, source: str, first_row_number: int = 1,
         at: int | None = None) -> Header:
    """The header among the first rows (or at ``at``, 0-based among them, when the user says where
    it is), or an InputError saying what was looked for and found."""
    best: tuple[int, int, tuple[str, ...]] | None = None  # (hits, index, names)
    candidates = [(at, rows[at])] if at is not None and at < len(rows) else list(enumerate(rows[:MAX_TITLE_ROWS]))
    for i, row in candidates:
        names = column_names(row)
        canon = {table.column(n) for n in names} - {None}
        hits = len(canon)
        if canon & set(KEYS) and hits - 1 >= MIN_OTHER_COLUMNS:
            return Header(i, names, resolve(names, table, source))
        if any(c is not None and str(c).strip() for c in row) and (best is None or hits > best[0]):
            best = (hits, i, names)
    if best is None:
        raise InputError.of("table.empty", Where(file=source))
    shown = sorted({c for c in table.index.values()})
    hits, i, names = best
    close = []
    for n in names:
        match = difflib.get_close_matches(n, shown, n=1, cutoff=0.6)
        if match and match[0] != n:
            close.append(f"{n!r} → {match[0]!r}?")
    closest = Msg.of("table.header.closest", names=", ".join(close[:6])) if close else ""
    looked = ", ".join(repr(n) for n in names[:8]) + (" …" if len(names) > 8 else "")
    row_number = first_row_number + i
    raise InputError.of("table.no-header", Where(file=source, row=row_number), rows=MAX_TITLE_ROWS, key=" / ".join(KEYS),
                        others=MIN_OTHER_COLUMNS, examples="hamlet_kind, hamlet_households, candidate_id, birth_date, "
                        "party_status, posts", row=row_number, found=looked, closest=closest)

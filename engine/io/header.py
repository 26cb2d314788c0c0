"""Finding a table's header row, or refusing the table.

A table is used only when its header is found: a row that names ``hamlet_id`` and at least two
other columns of the case contract. Otherwise the whole file is refused (exit 2) with the columns
expected, the closest names found and the row looked at — never read with a wrong header, where
every data row would become one garbled error row or, worse, vanish. The first rows of the sheet
are searched, so title rows above the header (a district's name, the list's title) are passed
over. The spreadsheet issue extends the names known here with the board's Vietnamese labels.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from engine.contract.cells import normalize_text
from engine.errors import InputError, Where
from engine.i18n import Msg

#: How many rows from the top may hold titles before the header.
MAX_TITLE_ROWS = 20
#: Beside the key, how many contract columns a header must name.
MIN_OTHER_COLUMNS = 2
KEY = "hamlet_id"


@dataclass(frozen=True)
class Header:
    index: int  # 0-based position of the header row among the rows read
    names: tuple[str, ...]  # the header's cells, as column names (blank cells named column_<n>)


def column_names(cells: Sequence[object]) -> tuple[str, ...]:
    """A header row as unique column names: stripped, NFC, blanks named by position, repeats numbered."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for j, cell in enumerate(cells):
        name = normalize_text(str(cell)) if cell is not None else ""
        name = name.lstrip("\ufeff") or f"column_{j + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        names.append(name)
    return tuple(names)


def find(rows: Sequence[Sequence[object]], known: set[str], aliases: dict[str, str], source: str,
         first_row_number: int = 1) -> Header:
    """The header among the first rows, or an InputError saying what was looked for and found."""
    best: tuple[int, int, tuple[str, ...]] | None = None  # (hits, index, names)
    for i, row in enumerate(rows[:MAX_TITLE_ROWS]):
        names = column_names(row)
        canon = {aliases.get(n, n) for n in names}
        hits = len(canon & known)
        if KEY in canon and hits - 1 >= MIN_OTHER_COLUMNS:
            return Header(i, names)
        if any(c is not None and str(c).strip() for c in row) and (best is None or hits > best[0]):
            best = (hits, i, names)
    shown = sorted(known)
    if best is None:
        raise InputError.of("table.empty", Where(file=source))
    hits, i, names = best
    close = []
    for n in names:
        match = difflib.get_close_matches(n, shown, n=1, cutoff=0.6)
        if match and match[0] != n:
            close.append(f"{n!r} → {match[0]!r}?")
    closest = Msg.of("table.header.closest", names=", ".join(close[:6])) if close else ""
    looked = ", ".join(repr(n) for n in names[:8]) + (" …" if len(names) > 8 else "")
    row_number = first_row_number + i
    raise InputError.of("table.no-header", Where(file=source, row=row_number), rows=MAX_TITLE_ROWS, key=KEY,
                        others=MIN_OTHER_COLUMNS, examples="hamlet_kind, hamlet_households, candidate_id, birth_date, "
                        "party_status, posts", row=row_number, found=looked, closest=closest)

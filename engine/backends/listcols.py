"""List fields (posts, hamlet area tags, background) as columns the columnar engine reads fast.

A list field's own column holds its canonical text (items joined by ';', '' for an explicit empty
list, null when unknown): cheap to gather, write and compare. Rules ask three things of a list:
does it hold an item, how long is it, and (for allowances)
which post comes first. Asked of a list column, each question walks every row's list; asked of
a small integer it is one machine operation. So every list field ``col`` also gets
``col#mask`` (bit i set when the i-th allowed item is present), ``col#first`` (index of the first
item) and ``col#len``. Every list field has a closed set of items (``engine.contract.case``), which is what
makes a bitmask possible.

In a table the texts of a list column repeat (a province has a handful of post combinations and
area tags), so each distinct text is parsed once, in Python, with the same rules as the case
model (area tags sorted and de-duplicated, a post listed twice refused), and the results are
gathered onto the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from engine.contract import cells
from engine.contract.fields import catalogue

if TYPE_CHECKING:  # polars only for tables: a dossier's facts (engine.backends.facts) use the pure helpers
    import polars as pl

EMPTY_LIST = cells.EMPTY_LIST


def mask(col: str) -> str:
    return f"{col}#mask"


def first(col: str) -> str:
    return f"{col}#first"


def length(col: str) -> str:
    return f"{col}#len"


@lru_cache(maxsize=1)
def fields() -> dict[str, tuple[str, ...]]:
    """List column (``posts``, ``hamlet__area``) → its allowed items, in bit order."""
    return {path.replace(".", "__"): ft.values or () for path, ft in catalogue().items() if ft.kind == "list"}


def helper_columns() -> list[str]:
    return [h for col in fields() for h in (mask(col), first(col), length(col))]


def dtypes(col: str) -> dict[str, pl.DataType]:
    """The list column and its helpers, with their types."""
    import polars as pl
    return {col: pl.String(), mask(col): pl.Int32(), first(col): pl.Int8(), length(col): pl.Int16()}


def absent(col: str) -> list[pl.Expr]:
    """The list column and its helpers for a table that does not have the column: unknown."""
    import polars as pl
    return [pl.lit(None, dtype=t).alias(name) for name, t in dtypes(col).items()]


def has(col: str, item: str) -> pl.Expr:
    """Whether the list holds ``item``: one bit test; null where the list is unknown."""
    import polars as pl
    return (pl.col(mask(col)) & (1 << fields()[col].index(item))) != 0


@dataclass(frozen=True)
class Parsed:
    items: tuple[str, ...] | None  # None: the cell is blank (unknown); (): an explicit empty list
    unknown: bool = False  # an item outside the allowed set
    repeated: bool = False  # an item listed twice where the case model refuses it


def parse(text: str | None, col: str) -> Parsed:
    """One cell's text: items separated by ';' or ',', spaces ignored; 'none'/'không' is empty."""
    if text is None or not text.strip():
        return Parsed(None)
    items = cells.split_list(text, col.replace("__", "."))
    allowed = fields()[col]
    unknown = bool(allowed) and any(i not in allowed for i in items)
    if col == "hamlet__area":  # the case model keeps area tags as a sorted set
        return Parsed(tuple(sorted(set(items))), unknown)
    return Parsed(items, unknown, repeated=col == "posts" and len(set(items)) != len(items))


def encode(items: tuple[str, ...] | None, col: str) -> tuple[int | None, int | None, int | None]:
    """(mask, first, len) of one list; all None for an unknown list."""
    if items is None:
        return None, None, None
    allowed = fields()[col]
    m = 0
    for i in items:
        if i in allowed:
            m |= 1 << allowed.index(i)
    head = allowed.index(items[0]) if items and items[0] in allowed else None
    return m, head, len(items)


def text(items: tuple[str, ...] | list[str] | None) -> str | None:
    return None if items is None else ";".join(items)


def items(value: str | None) -> list[str] | None:
    """The items of a canonical list text (the inverse of ``text``)."""
    return None if value is None else [i for i in value.split(";") if i]


def _lookups(parsed: list[Parsed | None], col: str) -> dict[str, pl.Series]:
    """Lookup tables, one slot per parsed value (None: a slot no row uses)."""
    import polars as pl
    codes = [encode(p.items if p else None, col) for p in parsed]
    values: list[Sequence[str | int | None]] = [[text(p.items) if p else None for p in parsed], *([c[k] for c in codes] for k in range(3))]
    return {
        **{name: pl.Series(name, v, dtype=t) for (name, t), v in zip(dtypes(col).items(), values)},
        "unknown": pl.Series([p.unknown if p else None for p in parsed], dtype=pl.Boolean),
        "repeated": pl.Series([p.repeated if p else None for p in parsed], dtype=pl.Boolean),
    }


@dataclass(frozen=True)
class Cells:
    """A raw list column turned into expressions over that column, to run in the caller's one
    pass over the chunk: the list column and its helpers, and the per-row problems."""
    columns: dict[str, pl.Expr]
    unknown: pl.Expr  # an item outside the allowed set
    repeated: pl.Expr  # a post listed twice


# a categorical column's codes index the lookup directly unless they are this sparse
_MAX_CODE = 1 << 20


def from_cells(cells: pl.Series, col: str) -> Cells:
    """Parse each distinct value of a raw column of texts, categories or lists once, and map the
    results onto the rows (``cells.name`` is the column the expressions read)."""
    import polars as pl
    source = pl.col(cells.name)
    if isinstance(cells.dtype, pl.List):
        lists = source.cast(pl.List(pl.String))
        source = pl.when(lists.list.len() == 0).then(pl.lit(EMPTY_LIST[1])).otherwise(lists.list.join(";"))
        cells = cells.to_frame().select(source).to_series()
    elif cells.dtype not in (pl.String, pl.Categorical):
        source = source.cast(pl.String)
        cells = cells.cast(pl.String)
    distinct = cells.unique().drop_nulls()
    texts = distinct.cast(pl.String).to_list()
    parsed = [parse(t, col) for t in texts]
    index: pl.Expr
    codes = distinct.to_physical().to_list() if cells.dtype == pl.Categorical else []
    if codes and max(codes) < _MAX_CODE:
        # categories come from the file's dictionary: look up by integer code, no text hashing
        slots: list[Parsed | None] = [None] * (max(codes) + 1)
        for code, p in zip(codes, parsed):
            slots[code] = p
        parsed_by_slot: list[Parsed | None] = slots
        index = source.to_physical()
    else:
        parsed_by_slot = list(parsed)
        index = source.cast(pl.String).replace_strict(texts, list(range(len(texts))), default=None, return_dtype=pl.UInt32)
    table = _lookups(parsed_by_slot, col)

    def gather(name: str) -> pl.Expr:
        return pl.lit(table[name]).gather(index).alias(name)

    flags = {}
    for flag in ("unknown", "repeated"):
        flags[flag] = gather(flag).fill_null(False) if any(p is not None and getattr(p, flag) for p in parsed) \
            else pl.lit(False)
    return Cells({name: gather(name) for name in dtypes(col)}, **flags)


def from_values(values: list[tuple[str, ...] | list[str] | None], col: str) -> dict[str, pl.Series]:
    """The list column and its helpers from Python lists (dossiers turned into rows, tests)."""
    table = _lookups([Parsed(tuple(v)) if v is not None else None for v in values], col)
    return {name: table[name] for name in dtypes(col)}

"""Rows of a table that are not cases: a board's totals row, a section heading, signature lines, a
blank separator.

A board's list has them between and under its cases ("Tổng cộng" with ``=SUM``, "I. XÃ NGHI
PHONG", "NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"). Read as cases they would be phantom hamlets or a
screen of errors; dropped, rows in would not be rows out. So each is recognised here, comes out
with ``decision = skipped`` and the reason in ``note``, and is never evaluated. Recognised, not
guessed: a row is skipped only when it names no hamlet and no candidate id (a numbering row
excepted, whose every cell is a number in brackets) *and*

- every cell is blank (``blank``), or
- every filled cell, three at least, is a column's number in brackets (``numbering``: the
  "(1) (2) (3) …" row official lists put under their header), or
- a cell is, whole, a totals phrase (``totals``: "Tổng cộng", "Cộng", "Total", "合计"), or
- at most two contract columns hold a value (``text``: a section heading, a signature line with
  its two signers, a note, the place and date).

A row that names no hamlet but gives three facts or more is a case with its hamlet missing: an
error row, as before, never skipped.
"""

from __future__ import annotations

import re

import polars as pl

from engine.contract import cells

#: a whole cell that says "this row is the total" (the vocabulary's ``totals``, in lower case, after stripping)
TOTALS = r"^(?:" + "|".join(re.escape(w) for w in cells.TOTAL_WORDS) + r")\s*[:.]?$"
#: at most this many contract cells filled, and no hamlet nor candidate named: a line of text
TEXT_CELLS = 2
#: the columns that make a row a case when given
IDENTIFYING = ("hamlet_id", "hamlet_name", "candidate_id", "case_id")
#: the reasons, in the order they are tested (the catalogue words them: ``skipped.<reason>``)
REASONS = ("blank", "numbering", "totals", "text")
#: a cell of a numbering row: a column's number in brackets
NUMBER_CELL = r"^\(\s*[0-9]{1,3}\s*\)$"


def reason(raw: pl.DataFrame, contract: set[str]) -> pl.Expr:
    """Per row, the reason it is not a case (one of ``REASONS``), or null for a case.
    ``contract``: the columns of ``raw`` that are contract columns (by their ids)."""
    data = [c for c in raw.columns if not c.startswith("_")]
    if not data:
        return pl.lit(None, dtype=pl.String)
    # a program's table names every row (an id) and has no numbering row under its header (its first
    # row): then no row is skipped, and no cell need be looked at
    keys = [c for c in ("hamlet_id", "candidate_id", "case_id") if c in raw.columns]
    texts = [c for c in data if raw.schema[c] == pl.String]
    first_numbered = bool(raw.height) and bool(texts) and all(
        v is None or bool(re.fullmatch(NUMBER_CELL, str(v).strip())) for v in raw.select(texts).row(0))
    if keys and not first_numbered and raw.select(pl.any_horizontal([pl.col(c).is_not_null() for c in keys]).all()).item():
        return pl.lit(None, dtype=pl.String)

    def filled(c: str) -> pl.Expr:
        col = pl.col(c)
        if raw.schema[c] == pl.String:
            return col.is_not_null() & (col.str.strip_chars() != "")
        return col.is_not_null()

    blank = ~pl.any_horizontal([filled(c) for c in data])
    count = pl.sum_horizontal([filled(c).cast(pl.Int32) for c in data])
    numbered = pl.sum_horizontal([pl.col(c).str.strip_chars().str.contains(NUMBER_CELL).fill_null(False).cast(pl.Int32)
                                  if raw.schema[c] == pl.String else pl.lit(0, dtype=pl.Int32) for c in data])
    numbering = (count >= 3) & (numbered == count)
    totals = pl.any_horizontal([pl.col(c).str.strip_chars().str.to_lowercase().str.contains(TOTALS).fill_null(False)
                                for c in texts]) if texts else pl.lit(False)
    ident = [c for c in IDENTIFYING if c in raw.columns]
    named = pl.any_horizontal([filled(c) for c in ident]) if ident else pl.lit(False)
    facts = [c for c in data if c in contract]
    few = pl.sum_horizontal([filled(c).cast(pl.Int32) for c in facts]) <= TEXT_CELLS if facts else pl.lit(True)
    keyed = filled("hamlet_id") if "hamlet_id" in raw.columns else pl.lit(False)  # a hamlet's id: a case, whatever it says
    # a line the reader could not read (malformed JSON, more cells than the header) is an error, never skipped
    unread = pl.col("_parse_error").is_not_null() if "_parse_error" in raw.columns else pl.lit(False)
    return (pl.when(unread).then(pl.lit(None, dtype=pl.String))
            .when(blank).then(pl.lit("blank"))
            .when(numbering).then(pl.lit("numbering"))
            .when(totals & ~keyed).then(pl.lit("totals"))
            .when(~named & few).then(pl.lit("text"))
            .otherwise(pl.lit(None, dtype=pl.String)))

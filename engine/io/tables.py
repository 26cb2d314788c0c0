"""Reading case tables (CSV, XLSX, Parquet, JSON Lines) into the engine's columns, row by row checked.

Every input row comes out: a row that cannot be read as a case keeps its row number — as the
user sees it (the spreadsheet row, header being row 1; the line of a JSON Lines file; the 1-based
position in a Parquet file) — and an error naming the column, the value and what was expected;
every other row is answered. Validation is vectorised: each column is converted once per chunk
and the first problem of each row becomes its message.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from engine.backends.columnar import schema
from engine.errors import InputError, Where
from engine.i18n import Msg, Num, catalogue as messages, t
from engine.limits import MAX_QUOTED_VALUE, MAX_WHOLE
from engine.contract import cells, constraints
from engine.io import header, headings, skipped
from engine.io.columns import IDENTIFYING, unit_aliases, user_columns
from engine.backends import listcols
from engine.contract.fields import catalogue, number_bounds

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SOURCE_ROW = "_source_row"  # a row's own number, where the reader skipped rows (blank sheet rows)


def input_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError.of("table.unknown-type", Where(file=str(path)), suffix=repr(path.suffix))
    if not path.is_file():
        raise InputError.of("input.file.missing", Where(file=str(path)))
    return fmt


# -- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How a table is read: the table of headings (``--columns FILE`` on top of the shipped one),
    the sheet of a workbook (``--sheet``; else the first with a header) and the header's row as
    the user sees it (``--header-row``; else found among the first rows)."""

    table: headings.Table | None = None
    sheet: str | None = None
    header_row: int | None = None

    def headings(self) -> headings.Table:
        return self.table or headings.shipped()


DEFAULT = Reading()


def _header(rows: list[list[Any]], path: Path, first_row_number: int = 1, reading: Reading = DEFAULT) -> header.Header:
    at = reading.header_row - first_row_number if reading.header_row is not None else None
    if at is not None and not 0 <= at < len(rows):
        raise InputError.of("table.header-row-outside", Where(file=str(path), row=reading.header_row), row=reading.header_row,
                            first=first_row_number,
                            last=first_row_number + len(rows) - 1)
    return header.find(rows, reading.headings(), str(path), first_row_number, at)


def _check_encoding(path: Path) -> None:
    """A CSV must be UTF-8 (with or without BOM): UTF-16 and legacy code pages (cp1258, TCVN3)
    are refused with the line of the first undecodable byte, never read as replacement marks."""
    import codecs

    with path.open("rb") as fh:
        start = fh.read(4)
        if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise InputError.of("table.utf16", Where(file=str(path)))
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        line = 1
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                line += block.count(b"\n", 0, max(exc.start, 0))
                raise InputError.of("table.not-utf8", Where(file=str(path), line=line)) from None
            line += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InputError.of("table.ends-inside-character", Where(file=str(path), line=line)) from None


def _sniff_separator(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        text = "".join(fh.readline() for _ in range(header.MAX_TITLE_ROWS))
    return ";" if text.count(";") > text.count(",") else ","


def _head_rows(reading: Reading) -> int:
    """How many rows from the top are looked at for the header."""
    return max(header.MAX_TITLE_ROWS, reading.header_row or 0)


def _csv_head(path: Path, sep: str, reading: Reading = DEFAULT) -> list[list[Any]]:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=sep)
        return [row for _, row in zip(range(_head_rows(reading)), reader)]


def _csv_chunks(path: Path, chunk_rows: int, reading: Reading = DEFAULT) -> Iterator[tuple[pl.DataFrame, int]]:
    _check_encoding(path)
    sep, head = _csv_header(path, reading)
    yield from _csv_body(path, chunk_rows, sep, head)


def _csv_header(path: Path, reading: Reading) -> tuple[str, header.Header]:
    """The separator and the header: the separator is the one under which the header is found
    (';' inside list cells such as "party_cell_secretary;hamlet_head" must not outvote the commas
    of a comma-separated file)."""
    first_sep = _sniff_separator(path)
    error: InputError | None = None
    for sep in (first_sep, ";" if first_sep == "," else ","):
        try:
            head = _header(_csv_head(path, sep, reading), path, 1, reading)
            break
        except InputError as exc:
            error = error or exc
    else:
        assert error is not None
        raise error
    return sep, head


def _csv_body(path: Path, chunk_rows: int, sep: str, head: header.Header) -> Iterator[tuple[pl.DataFrame, int]]:
    first = head.index + 2  # the header is row index+1; data starts on the next row
    done = 0
    try:
        lf = pl.scan_csv(path, separator=sep, infer_schema=False, encoding="utf8", skip_rows=head.index,
                         has_header=True, new_columns=list(head.names), missing_columns="insert")
        for chunk in lf.collect_batches(chunk_size=chunk_rows):
            numbered = chunk.with_columns(pl.int_range(first + done, first + done + chunk.height,
                                                       dtype=pl.Int64).alias(SOURCE_ROW))
            done += chunk.height
            # a line with no cell at all is no row (as in a spreadsheet); the others keep their numbers
            blank = pl.all_horizontal([pl.col(c).is_null() for c in chunk.columns])
            kept = numbered.filter(~blank) if chunk.width and chunk.select(blank.any()).item() else numbered
            if kept.height:
                yield kept, int(kept[SOURCE_ROW][0])
    except pl.exceptions.ComputeError as exc:
        if "more fields" not in str(exc):
            raise
        # a row with more cells than the header: polars stops; read on with the csv module so
        # that row becomes an error row of its own, and no cell is silently cut off
        yield from _csv_ragged(path, sep, head, done, chunk_rows)


def _csv_ragged(path: Path, sep: str, head: header.Header, skip: int, chunk_rows: int
                ) -> Iterator[tuple[pl.DataFrame, int]]:
    names = list(head.names)
    width = len(names)
    schema = {**{k: pl.String for k in names}, "_parse_error": pl.String, SOURCE_ROW: pl.Int64}
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=sep)
        for _ in range(head.index + 1):
            next(reader, None)
        columns: dict[str, list[Any]] = {n: [] for n in names}
        errors: list[str | None] = []
        numbers: list[int] = []
        for n, record in enumerate(reader):
            if n < skip or not any(record):
                continue  # read already, or a blank line: no row, as in the polars path
            cells = record[:width] + [""] * (width - len(record))
            for name, cell in zip(names, cells):
                columns[name].append(cell if cell != "" else None)
            errors.append(parse_error("table.row.ragged", cells=len(record), header=width) if len(record) > width else None)
            numbers.append(head.index + 2 + n)
            if len(errors) == chunk_rows:
                yield pl.DataFrame({**columns, "_parse_error": errors, SOURCE_ROW: numbers}, schema=schema), numbers[0]
                columns, errors, numbers = {n: [] for n in names}, [], []
        if errors:
            yield pl.DataFrame({**columns, "_parse_error": errors, SOURCE_ROW: numbers}, schema=schema), numbers[0]


def _xlsx_chunks(path: Path, chunk_rows: int, reading: Reading = DEFAULT) -> Iterator[tuple[pl.DataFrame, int]]:
    """The sheet named by ``--sheet``, else the first sheet whose header is found (a note or cover
    sheet before the list is passed over). Every cell is read as text; row numbers stay the
    sheet's own. Blank rows inside the table are rows (``engine.io.skipped`` answers them as
    skipped: rows in = rows out); blank rows after its last filled row are the sheet's end."""
    reader = _open_xlsx(path)
    index, head, top, frame = _xlsx_header(reader, path, reading)
    data = frame.slice(head.index + 1)
    data.columns = list(head.names) + [f"column_{j + 1}" for j in range(len(head.names), data.width)]
    blank = data.select(pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "")
                                            for c in head.names]))
    data = _typed_numbers(reader, index, head, data)
    first = top + head.index + 1  # the sheet row of the first data row
    data = data.with_columns(pl.int_range(first, first + data.height, dtype=pl.Int64).alias(SOURCE_ROW))
    filled = (~blank.to_series()).arg_true()
    data = data.slice(0, int(filled[-1]) + 1 if len(filled) else 0)  # the sheet's end, not blank rows of the table
    for start in range(0, max(data.height, 1), chunk_rows):
        part = data.slice(start, chunk_rows)
        yield part, int(part[SOURCE_ROW][0]) if part.height else first


def _open_xlsx(path: Path) -> Any:
    import fastexcel

    try:
        return fastexcel.read_excel(str(path))
    except Exception as exc:  # noqa: BLE001 - fastexcel raises its own hierarchy for broken workbooks
        raise InputError.of("table.xlsx-unreadable", Where(file=str(path)), detail=_first_line(exc)) from None


def _xlsx_header(reader: Any, path: Path, reading: Reading, top_only: bool = False
                 ) -> tuple[int, header.Header, int, pl.DataFrame]:
    """(sheet index, header, the sheet row of the reader's first row, the sheet as text): the
    sheet named by ``--sheet``, else the first whose header is found. ``top_only`` reads only
    the top rows (the mapping report); otherwise each sheet is read whole once, since the
    workbook's reader parses a sheet whole to give any of its rows."""
    first_error: InputError | None = None
    starts = _first_used_rows(path)
    indices = list(range(len(reader.sheet_names)))
    if reading.sheet is not None:
        wanted = [i for i, name in enumerate(reader.sheet_names) if headings.normal(name) == headings.normal(reading.sheet)]
        if not wanted:
            raise InputError.of("table.no-such-sheet", Where(file=str(path)), sheet=repr(reading.sheet),
                                sheets=", ".join(repr(n) for n in reader.sheet_names))
        indices = wanted[:1]
    for index in indices:
        limit = {"n_rows": _head_rows(reading)} if top_only else {}
        frame = reader.load_sheet(index, header_row=None, dtypes="string", **limit).to_polars()
        top = starts[index] if index < len(starts) else 1  # the sheet row the reader's first row is
        try:
            return index, _header([list(r) for r in frame.head(_head_rows(reading)).rows()], path, top, reading), top, frame
        except InputError as exc:
            first_error = first_error or exc
    sheets = ", ".join(repr(n) for n in reader.sheet_names)
    if first_error is None:
        raise InputError.of("table.xlsx-no-sheet", Where(file=str(path)))
    assert first_error.code is not None  # the header's refusal, from the catalogues
    raise InputError.of("table.xlsx-no-header", first_error.where, problem=Msg(first_error.code, first_error.params or {}),
                        sheets=sheets)


def _first_used_rows(path: Path) -> list[int]:
    """For each sheet, in workbook order, the row number of its first cell that holds a value:
    the sheet reader starts there, not at row 1, and row numbers must be the sheet's own."""
    import re
    import zipfile
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels}
            out = []
            for sheet in book.find("m:sheets", ns) or []:
                target = targets.get(sheet.get(f"{{{ns['r']}}}id") or "", "")
                name = target.lstrip("/") if target.startswith("/") else "xl/" + target
                with z.open(name) as fh:
                    head = fh.read(1 << 20).decode("utf-8", "replace")
                m = re.search(r'<c r="[A-Z]+(\d+)"[^>]*>(?:(?!</c>).)*?<(?:v|is)[ >]', head, re.S)
                out.append(int(m.group(1)) if m else 1)
            return out
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return []


def _typed_numbers(reader: Any, index: int, head: header.Header, data: pl.DataFrame) -> pl.DataFrame:
    """A column whose cells are all numbers in the workbook keeps them as numbers: read as text,
    the number 1.234 would look like the grouped 1.234 (one thousand two hundred thirty-four)."""
    typed = reader.load_sheet(index, header_row=head.index).to_polars()
    if typed.height != data.height:
        return data
    numeric = {j: typed.to_series(j) for j in range(min(typed.width, data.width))
               if typed.dtypes[j].is_numeric() or typed.dtypes[j].is_temporal()}
    if not numeric:
        return data
    return data.with_columns([s.alias(data.columns[j]) for j, s in numeric.items()])


def read_chunks(path: Path, chunk_rows: int = 200_000, reading: Reading = DEFAULT) -> Iterator[tuple[pl.DataFrame, int]]:
    """(raw chunk, row number of its first row) for the whole file, in order. A chunk may carry
    its rows' own numbers in ``_source_row`` (a sheet whose blank rows were skipped)."""
    fmt = input_format(path)
    try:
        for chunk, first in _format_chunks(path, fmt, chunk_rows, reading):
            yield chunk, first
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError.of("table.unreadable", Where(file=str(path)), detail=_first_line(exc)) from None


def _format_chunks(path: Path, fmt: str, chunk_rows: int, reading: Reading = DEFAULT) -> Iterator[tuple[pl.DataFrame, int]]:
    if fmt == "csv":
        yield from _csv_chunks(path, chunk_rows, reading)
    elif fmt == "parquet":
        first = 1  # pyarrow streams record batches: memory stays bounded by the chunk
        file = _parquet(path)
        _header([list(file.schema_arrow.names)], path, 1, Reading(reading.table))
        for batch in file.iter_batches(batch_size=chunk_rows):
            chunk = pl.from_arrow(batch)
            assert isinstance(chunk, pl.DataFrame)  # a record batch becomes a frame
            yield chunk, first
            first += chunk.height
    elif fmt == "xlsx":
        yield from _xlsx_chunks(path, chunk_rows, reading)
    else:
        yield from _jsonl_chunks(path, chunk_rows)


def _first_line(exc: BaseException) -> str:
    """A library's error, as much as a user needs: its first line, cut short."""
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def _repetitive_columns() -> set[str]:
    """Input columns whose texts repeat by design: codes, list fields and area names."""
    names = user_columns()
    out = {"hamlet_province", "hamlet_district", "hamlet_commune"}
    for path, ft in catalogue().items():
        name = path.replace(".", "__")
        if name in names and (ft.values or ft.kind == "list"):
            out.add(names[name])
    return out | {alias for alias, column in unit_aliases().items() if column in out}


def _parquet(path: Path) -> Any:
    """A Parquet file that decodes repetitive text columns as dictionaries: half the decoding
    work, and the engine then sees each distinct text once instead of once per row."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    wanted = _repetitive_columns()
    texts = [f.name for f in schema if f.name in wanted and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]
    return pq.ParquetFile(path, read_dictionary=texts) if texts else file


def _jsonl_chunks(path: Path, chunk_rows: int) -> Iterator[tuple[pl.DataFrame, int]]:
    """JSON Lines read line by line, so one malformed line is one error row, not a lost file."""
    rows: list[dict[str, Any]] = []
    first = 1
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            text = line.strip()
            if not text:
                rows.append({"_parse_error": parse_error("table.row.empty-line")})
            else:
                try:
                    obj = json.loads(text)
                    rows.append(_flatten_json(obj) if isinstance(obj, dict) else
                                {"_parse_error": parse_error("table.row.not-an-object")})
                except json.JSONDecodeError as exc:
                    rows.append({"_parse_error": parse_error("yaml.json-invalid", problem=exc.msg)})
            if len(rows) == chunk_rows:
                yield _json_frame(rows), first
                first += len(rows)
                rows = []
    if rows:
        yield _json_frame(rows), first


def _flatten_json(obj: dict[str, Any]) -> dict[str, Any]:
    """Accept both flat rows and the nested dossier shape (hamlet: {...} or unit: {...}, candidate: {...})."""
    out: dict[str, Any] = {}
    if isinstance(obj.get("hamlet"), dict) and isinstance(obj.get("unit"), dict):
        return {"_parse_error": parse_error("table.row.unit-and-hamlet")}
    for key, value in obj.items():
        if key in ("hamlet", "unit") and isinstance(value, dict):
            out.update({f"{key}_{k}": v for k, v in value.items()})
        elif key == "candidate" and isinstance(value, dict):
            out.update({("candidate_id" if k == "id" else k): v for k, v in value.items()})
        elif key == "post_allowances" and isinstance(value, dict):
            out.update({f"post_allowance_{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def _json_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    keys: dict[str, None] = {}
    for r in rows:
        keys.update(dict.fromkeys(r))
    data = {k: [_cell(r.get(k)) for r in rows] for k in keys}
    return pl.DataFrame(data, schema={k: (pl.List(pl.String) if _is_list_col(data[k]) else pl.String) for k in keys})


def _is_list_col(values: list[Any]) -> bool:
    return any(isinstance(v, list) for v in values)


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, list):
        return None if value is None else [str(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # a JSON number with a fraction, written so that the cell grammar cannot take its point
        # for a thousands separator (1.234 → "1.2340", never 1234) and without an exponent
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f") if value == value and abs(value) != float("inf") else text
        return text + "0" if "." in text else text
    return str(value)


# -- normalizing ------------------------------------------------------------------------------


@dataclass
class Check:
    bad: pl.Expr  # true where the row's value cannot be used
    column: str
    message: Msg  # what is wrong, in the run's language when the row is reported


@dataclass(frozen=True)
class _Listed:
    """The codes a column may hold, listed as the language lists (``none, full``; ``none、full``)."""

    values: tuple[str, ...]
    field: str | None = None  # its path: the words written for the codes (``engine.contract.words``), where it has them

    def localized(self, lang: str) -> str:
        from engine.contract.words import vocabulary, word

        # English is the codes' own language (a program's CSV); Vietnamese and Chinese boards are shown their words
        field = self.field
        board = field is not None and lang != "en" and field in vocabulary().written
        shown = [word(field, v, lang) for v in self.values] if board and field is not None else self.values
        return t("input.list.separator", lang).join(shown)


def _text(raw: pl.Expr, dtype: pl.DataType | type[pl.DataType], unicode_work: bool = True) -> pl.Expr:
    """A cell as stripped NFC text (decomposed Vietnamese typed by some input methods would
    otherwise be another word: another district in the summary, an unknown code). Without
    ``unicode_work`` (the column was seen to hold no combining mark or odd space) only stripped."""
    if dtype == pl.String:
        if not unicode_work:
            return raw.str.strip_chars().replace("", None)
        return cells.text_expr(raw.str.normalize("NFC")).replace("", None)
    if isinstance(dtype, pl.List):
        return raw.cast(pl.List(pl.String)).list.join(";")
    return raw.cast(pl.String)


def _from_distinct(user: str, distinct: pl.Series, target: pl.DataType, values: tuple[str, ...] | None,
                   share: bool, field: str | None = None) -> tuple[pl.Expr, pl.Expr]:
    """Convert each distinct text once (codes, yes/no, dates repeat across rows), then map."""
    value, bad = convert(pl.col(user), pl.String, target, values, share, field=field)
    small = pl.DataFrame({user: distinct.cast(pl.String)}).select(pl.col(user), value.alias("v"), bad.alias("b"))
    if target == pl.String and small[user].equals(small["v"]) and not small["b"].any():
        return pl.col(user), pl.lit(False)  # already clean, known texts (or categories): no per-row work at all
    text = pl.col(user).cast(pl.String)
    mapped = text.replace_strict(small[user], small["v"], default=None, return_dtype=target)
    return mapped, text.is_in(small.filter(pl.col("b"))[user].implode())


def needs_unicode_work(column: pl.Series) -> bool:
    """Whether a text column holds a combining mark or an odd space anywhere: one scan, so that
    the common clean column (ids, names already in NFC) skips normalising every cell."""
    if column.str.len_bytes().sum() == column.str.len_chars().sum():
        return False  # pure ASCII (ids, codes): no mark, no odd space; 8× cheaper than the pattern
    return bool(column.str.contains(cells.UNICODE_WORK).any())


def convert(raw: pl.Expr, dtype: pl.DataType | type[pl.DataType], target: pl.DataType, values: tuple[str, ...] | None,
            share: bool, unicode_work: bool = True, field: str | None = None) -> tuple[pl.Expr, pl.Expr]:
    """(converted value, bad) for one raw column; ``bad`` is true where a given value failed.
    Numbers, shares and yes/no follow the one cell grammar of ``engine.contract.cells``; codes
    and a field's own yes/no words (``field``, its path) the vocabulary of ``engine.contract.words``."""
    if dtype == target and target in (pl.Boolean, pl.Date):
        return raw, pl.lit(False)  # already typed (Parquet)
    if dtype == target == pl.Int64:
        return raw, raw.abs() > MAX_WHOLE  # already whole; only the magnitude to check
    if dtype == target == pl.Float64:
        return raw, pl.lit(False)  # shares: the 0..1 range is a row check
    text = _text(raw, dtype, unicode_work)
    if target == pl.Int64:
        return cells.whole_from_number(raw) if dtype.is_numeric() else cells.whole_expr(text)
    if target == pl.Float64:
        return cells.share_number_expr(raw) if dtype.is_numeric() else cells.share_expr(text)
    if target == pl.Boolean:
        return cells.bool_expr(text, field)
    if target == pl.Date:
        if isinstance(dtype, pl.Datetime):
            return raw.dt.date(), pl.lit(False)
        return cells.date_expr(text)
    bad = pl.lit(False)
    if values:
        if field is not None:
            text = cells.code_expr(text, field)
        bad = text.is_not_null() & ~text.is_in(list(values))
    return text, bad


def _clean_codes(raw: pl.DataFrame, codes: dict[str, tuple[str, ...]]) -> set[str]:
    """The code columns whose every value is already spelled as the rules spell it (one pass)."""
    checks = [(pl.col(u).is_null() | pl.col(u).is_in(list(allowed))).all().alias(u) for u, allowed in codes.items()
              if raw.schema[u] in (pl.String, pl.Categorical)]
    if not checks:
        return set()
    return {u for u, ok in raw.select(checks).row(0, named=True).items() if ok}


def _column(raw: pl.DataFrame, user: str, target: pl.DataType, ft: Any, clean: set[str], field: str
            ) -> tuple[pl.Expr, pl.Expr]:
    """(value, bad) for one scalar input column (``field``, its path), choosing the cheapest way that is exact."""
    dtype = raw.schema[user]
    allowed = ft.values if ft else None
    if user in clean:
        return pl.col(user), pl.lit(False)  # codes exactly as the rules spell them: nothing to convert
    if dtype == pl.Categorical:  # a dictionary column of a Parquet file: its categories are the distinct texts
        return _from_distinct(user, raw[user].unique().drop_nulls(), target, allowed, bool(ft and ft.share), field)
    if dtype == pl.String and raw.height > 64 and raw[user].head(20_000).n_unique() <= 2_000:
        distinct = raw[user].drop_nulls().unique()  # codes, yes/no, dates: few distinct texts
        if len(distinct) <= 50_000:
            return _from_distinct(user, distinct, target, allowed, bool(ft and ft.share), field)
    work = dtype != pl.String or needs_unicode_work(raw[user])
    return convert(pl.col(user), dtype, target, allowed, bool(ft and ft.share), work, field)


def _constraint_checks(as_of: date, names: dict[str, str], columns: list[str]) -> list[Check]:
    """The row checks of ``engine.contract.constraints``, the declarations the case models are
    built from: ranges of numbers, dates not after the as-of date, dates not before another."""
    out: list[Check] = []
    for path, (kind, low, high) in number_bounds().items():
        col = path.replace(".", "__")
        if col not in columns:
            continue
        # a whole number above MAX_WHOLE is refused when its cell is read (cells.whole_expr)
        bad = (pl.col(col) < low) | (pl.col(col) > high) if kind == "share" else pl.col(col) < low
        out.append(Check(bad, names[col], constraints.bound_message(kind)))
    as_of_lit = pl.lit(as_of, dtype=pl.Date)
    for path in constraints.NOT_AFTER_AS_OF:
        col = path.replace(".", "__")
        out.append(Check(pl.col(col) > as_of_lit, names[col], constraints.after_as_of(as_of)))
    for rule in constraints.NOT_BEFORE:
        col, other = rule.path.replace(".", "__"), rule.other.replace(".", "__")
        out.append(Check(pl.col(col) < pl.col(other), names[col], rule.row_message()))
    return out


def _unit_checks(names: dict[str, str]) -> list[Check]:
    """The row checks of ``constraints.unit_problems``, from the same declarations: an agency's post
    on a hamlet, a hamlet's post on an agency, posts of both kinds with the kind not given, and a
    hamlet's column filled in for an agency."""
    kind = pl.col(constraints.UNIT_KIND.replace(".", "__"))

    def holds(posts: tuple[str, ...]) -> pl.Expr:
        return pl.any_horizontal([listcols.has("posts", p).fill_null(False) for p in posts])

    agency_post, hamlet_post = holds(constraints.AGENCY_POSTS), holds(constraints.HAMLET_POSTS)
    is_hamlet, is_agency = kind.is_in(list(constraints.HAMLET_KINDS)), kind.is_in(list(constraints.AGENCY_KINDS))
    agency = (is_agency | (kind.is_null() & agency_post)) & ~(kind.is_null() & hamlet_post)
    row = constraints.ROW_MESSAGES
    out = [Check(is_hamlet & agency_post, "posts", Msg.of(row["input.agency-post-on-hamlet"])),
           Check(is_agency & hamlet_post, "posts", Msg.of(row["input.hamlet-post-on-agency"])),
           Check(kind.is_null() & agency_post & hamlet_post, "posts", Msg.of(row["input.posts-of-two-units"]))]
    for path in constraints.HAMLET_ONLY:
        col = path.replace(".", "__")
        given = pl.col(listcols.mask(col) if col in listcols.fields() else col).is_not_null()
        out.append(Check(agency & ~hamlet_post & given, names[col], Msg.of(row["input.hamlet-only-field"])))
    return out


_EXPECT: dict[pl.DataType | type[pl.DataType], Msg] = {  # a class and its instance look up alike
    pl.Int64: Msg.of("table.kind.whole-at-most", what=cells.EXPECTED["whole"], max=Num(MAX_WHOLE)),
    pl.Float64: cells.EXPECTED["share"],
    pl.Boolean: cells.EXPECTED["bool"],
    pl.Date: cells.EXPECTED["date"],
}


def normalize(raw: pl.DataFrame, first_row: int, as_of: date, country: str, lang: str,
              table: headings.Table | None = None, source: str = "") -> tuple[pl.DataFrame, list[str]]:
    """The chunk in engine columns, with ``_row``, ``_error`` (all of the row's problems in one
    message), ``_problems`` (the same as a list), ``_skip`` (why a row that is no case is skipped,
    ``engine.io.skipped``) and the identifying columns. Returns the frame and the names of the
    columns it did not use (kept by the batch and passed through)."""
    cat = catalogue()
    names = user_columns()
    # every heading read as the column it names (``engine.io.headings``: "Họ và tên" is name,
    # unit_kind is hamlet_kind), and named as written in messages; two naming one column are refused
    given = [c for c in raw.columns if not c.startswith("_")]
    columns = header.resolve(given, table or headings.shipped(), source)
    rename = {c: col for c, col in zip(given, columns) if col is not None and col != c}
    written = {col: c for c, col in rename.items()}
    raw = raw.rename(rename)
    # before the hamlet's id is made of its names: a totals row that says "Tổng cộng" under Thôn/xóm is no hamlet
    skip = skipped.reason(raw, {col for col in columns if col is not None})
    raw = _hamlet_id_from_names(raw)
    raw, said = _says_less(raw, names)
    used: set[str] = set()
    values: list[pl.Expr] = []
    checks: list[Check] = []
    repeated: pl.Expr = pl.lit(False)
    clean = _clean_codes(raw, {names[n]: ft.values for n in schema() if n not in listcols.fields()
                               and (ft := cat.get(n.replace("__", "."))) is not None and ft.values and names[n] in raw.columns})
    for name, target in schema().items():
        user = names[name]
        path = name.replace("__", ".")
        ft = cat.get(path)
        if name in listcols.fields():
            if user not in raw.columns:
                values += listcols.absent(name)
                continue
            used.add(user)
            cells = listcols.from_cells(raw[user], name)
            values += list(cells.columns.values())
            if name == "posts":
                repeated = cells.repeated
            bad: pl.Expr = cells.unknown
        elif user not in raw.columns:
            values.append(pl.lit(None, dtype=target).alias(name))
            continue
        else:
            used.add(user)
            value, bad = _column(raw, user, target, ft, clean, path)
            values.append(value.alias(name))
        if target in _EXPECT:
            what = _EXPECT[target]
        elif ft and ft.values:
            what = Msg.of("table.kind.one-of", values=_Listed(tuple(ft.values), path))
        else:
            what = Msg.of("table.kind.text")
        checks.append(Check(bad, user, Msg.of("cell.expected", what=what)))
    ident = [pl.col(c).cast(pl.String).alias(c) if c in raw.columns else pl.lit(None, dtype=pl.String).alias(c)
             for c in IDENTIFYING if c not in names.values()]
    used |= {c for c in IDENTIFYING if c in raw.columns}
    # one pass over the raw chunk: converted values and one flag per column check
    flags = [c.bad.fill_null(False).alias(f"_b{i}") for i, c in enumerate(checks)]
    parse = [pl.col("_parse_error")] if "_parse_error" in raw.columns else [pl.lit(None, dtype=pl.String).alias("_parse_error")]
    rows = [pl.col(SOURCE_ROW).cast(pl.Int64).alias("_row")] if SOURCE_ROW in raw.columns else \
        [pl.int_range(first_row, first_row + pl.len(), dtype=pl.Int64).alias("_row")]
    frame = raw.select(ident + values + flags + parse + rows + [repeated.alias("_repeated")] + [pl.col(c) for c in said]
                       + [skip.alias("_skip")])
    frame, implied_checks = _implied(frame, names, said, written)
    cand_cols = [n for n in schema() if n.startswith("candidate__") and n != "candidate__id"]
    has_candidate = pl.any_horizontal([pl.col(n).is_not_null() for n in cand_cols]) | pl.col("candidate__id").is_not_null()
    frame = frame.with_columns(
        pl.when(has_candidate & pl.col("candidate__id").is_null()).then(pl.format("row {}", pl.col("_row")))
        .otherwise(pl.col("candidate__id")).alias("candidate__id"))
    pack_country = constraints.PACK_COUNTRY.replace(".", "__")
    row_checks = _constraint_checks(as_of, names, frame.columns) + [
        Check(pl.col("_repeated"), "posts", Msg.of("table.row.post-twice")),
        Check(pl.col("hamlet__id").is_null(), "hamlet_id", Msg.of("input.required")),
        Check(pl.col(pack_country).is_not_null() & (pl.col(pack_country) != country), names[pack_country],
              constraints.wrong_country_row(country)),
        *_unit_checks(names),
        *implied_checks,
    ]
    n = len(checks)
    frame = frame.with_columns([c.bad.fill_null(False).alias(f"_b{n + j}") for j, c in enumerate(row_checks)])
    all_checks = checks + row_checks
    flag_names = [f"_b{i}" for i in range(len(all_checks))]
    frame = frame.with_columns(((pl.any_horizontal(flag_names) | pl.col("_parse_error").is_not_null())
                                & pl.col("_skip").is_null()).alias("_bad"))
    per_row = _problems(raw, frame, all_checks, lang, written)
    if per_row is None:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("_error"),
                                   pl.lit(None, dtype=pl.List(PROBLEM)).alias("_problems"))
    else:  # a join, not a scatter: polars cannot scatter lists of structs
        frame = frame.with_row_index("_pos").join(per_row, on="_pos", how="left", maintain_order="left").drop("_pos")
    unused = [written.get(c, c) for c in raw.columns if c not in used and c not in ("_parse_error", SOURCE_ROW, *said)]
    keep = list(schema()) + listcols.helper_columns() + [c for c in IDENTIFYING if c not in names.values()] + [
        "_row", "_error", "_problems", "_skip"]
    return frame.select(keep), unused


def _hamlet_id_from_names(raw: pl.DataFrame) -> pl.DataFrame:
    """A board's list names its hamlets ("Thôn/xóm", with "Xã" and "Huyện") and gives no id: the
    hamlet's id is then its names, from the widest to its own (``Nghi Lộc / Nghi Phong / Đồn Dừa``),
    so that two "Thôn 1" of two communes stay two hamlets; null where the row names no hamlet."""
    if "hamlet_id" in raw.columns or "hamlet_name" not in raw.columns:
        return raw
    parts = [c for c in ("hamlet_district", "hamlet_commune", "hamlet_name") if c in raw.columns]
    text = [pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in parts]
    return raw.with_columns(pl.when(text[-1].is_not_null()).then(pl.concat_str(text, separator=" / ", ignore_nulls=True))
                            .alias("hamlet_id"))


def _says_less(raw: pl.DataFrame, names: dict[str, str]) -> tuple[pl.DataFrame, dict[str, str]]:
    """A status word that says less than any code ("Có" in a "Đảng viên" column) taken out of its
    column (which stays unknown) into a flag column ``_said#<path>`` of what it does say, as the
    case model reads it (``engine.contract.case.Candidate``; ``engine.contract.words.says_less``)."""
    from engine.contract import words
    from engine.contract.words import vocabulary

    said: dict[str, str] = {}
    for rule in constraints.IMPLIED:
        user = names[rule.source.replace(".", "__")]
        entry = vocabulary().says_less.get(rule.source)
        if entry is None or user not in raw.columns or raw.schema[user] not in (pl.String, pl.Categorical):
            continue
        # a status column holds a handful of distinct texts: each is looked up once, not each row
        distinct = raw[user].unique().drop_nulls().cast(pl.String)
        if len(distinct) > 50_000:  # not a status column in any real sense: looked at row by row
            spoken = words.key_expr(cells.text_expr(pl.col(user).cast(pl.String).str.normalize("NFC")))
            flag = spoken.is_in(sorted(entry.words)).fill_null(False)
        else:
            says = [v for v in distinct.to_list() if words.says_less(rule.source, v) is not None]
            if not says:
                continue
            flag = pl.col(user).cast(pl.String).is_in(says).fill_null(False)
        for path, _ in entry.means:
            said[f"_said#{path}"] = path
        raw = raw.with_columns(pl.when(flag).then(None).otherwise(pl.col(user)).alias(user),
                               *[flag.alias(f"_said#{path}") for path, _ in entry.means])
    return raw, said


def _implied(frame: pl.DataFrame, names: dict[str, str], said: dict[str, str], written: dict[str, str]
             ) -> tuple[pl.DataFrame, list[Check]]:
    """A field a code settles (``constraints.IMPLIED``: a party status says membership) read from
    it when not given, from a word that said it (``_says_less``), and checked where given."""
    from engine.contract.words import vocabulary

    checks: list[Check] = []
    for rule in constraints.IMPLIED:
        col, source = rule.path.replace(".", "__"), rule.source.replace(".", "__")
        implied = rule.expr(pl.col(source), frame.schema[col])
        parts = [pl.col(col)]
        entry = vocabulary().says_less.get(rule.source)
        for flag, path in said.items():
            if path == rule.path and entry is not None:
                value = dict(entry.means)[path]
                parts.append(pl.when(pl.col(flag)).then(pl.lit(value, dtype=frame.schema[col])))
        if frame[col].null_count() == frame.height and len(parts) == 1:  # not given, nothing said: read from the code
            frame = frame.with_columns(implied.alias(col))
            continue
        parts.append(implied)
        checks.append(Check(pl.col(col).is_not_null() & implied.is_not_null() & (pl.col(col) != implied),
                            names[col], Msg.of("table.row.implied-disagrees", other=written.get(names[source], names[source]))))
        frame = frame.with_columns(pl.coalesce(parts).alias(col))
    return frame, checks


PROBLEM = pl.Struct({"column": pl.String, "value": pl.String, "error": pl.String})


def _problems(raw: pl.DataFrame, frame: pl.DataFrame, checks: list[Check], lang: str,
              written: dict[str, str] | None = None) -> pl.DataFrame | None:
    """For each bad row (by ``_pos`` in the chunk): ``_error``, every problem of the row in one
    message, each with its column (as the table wrote it: ``written``), what was expected and the
    value given, and ``_problems``, the same as structs for the errors table. A row with three
    wrong cells is told all three at once. Built for the bad rows only: usually few, so no
    per-check work runs over the chunk."""
    written = written or {}
    bad_idx = frame["_bad"].arg_true()
    if not len(bad_idx):
        return None
    sub = frame[bad_idx]
    raw_bad = raw[bad_idx]
    schema = {"i": pl.UInt32, "k": pl.Int64, "column": pl.String, "value": pl.String, "error": pl.String}
    parts: list[pl.DataFrame] = []
    parse = sub["_parse_error"]
    if parse.is_not_null().any():
        idx = parse.is_not_null().arg_true()
        worded = {raw: _parse_error_text(raw, lang) for raw in parse.gather(idx).unique().to_list()}
        parts.append(pl.DataFrame({"i": idx, "k": [-1] * len(idx), "column": [""] * len(idx),
                                   "value": [None] * len(idx), "error": parse.gather(idx).replace_strict(worded)},
                                  schema=schema))
    for k, c in enumerate(checks):
        flag = sub[f"_b{k}"]
        if not flag.any():
            continue
        idx = flag.arg_true()
        if c.column in raw.columns:
            shown = raw_bad.select(_text(pl.col(c.column), raw.schema[c.column]).alias("v"))["v"].gather(idx)
        else:
            shown = pl.repeat(None, len(idx), dtype=pl.String, eager=True)
        parts.append(pl.DataFrame({"i": idx, "k": [k] * len(idx), "column": [written.get(c.column, c.column)] * len(idx),
                                   "value": shown,
                                   "error": [c.message.localized(lang)] * len(idx)}, schema=schema))
    long = pl.concat(parts).sort(["i", "k"]).with_columns(pl.col("value").str.slice(0, MAX_QUOTED_VALUE))
    given = template_expr("input.given", lang, problem=pl.col("error"),
                      value=pl.concat_str([pl.lit("'"), pl.col("value"), pl.lit("'")]))
    said = pl.when(pl.col("value").is_not_null()).then(given).otherwise(pl.col("error"))
    message = pl.when(pl.col("column") == "").then(pl.col("error")).otherwise(
        template_expr("input.field-problem", lang, field=pl.col("column"), problem=said))
    per_row = long.with_columns(message.alias("m")).group_by("i", maintain_order=True).agg(
        pl.col("m").str.join(t("input.problems.separator", lang)).alias("_error"),
        pl.struct("column", "value", "error").alias("_problems"))
    return per_row.select(pl.Series("_pos", bad_idx.gather(per_row["i"].cast(pl.Int64)), dtype=pl.UInt32),
                          "_error", "_problems")


def parse_error(code: str, /, **params: Any) -> str:
    """A row's reading problem as its ``_parse_error`` cell carries it: the catalogue's code and
    params (JSON), found before the run's language is known and worded in ``_problems``."""
    return json.dumps([code, params], ensure_ascii=False)


def parse_error_expr(code: str, /, **params: pl.Expr) -> pl.Expr:
    """``parse_error`` for every row of a chunk at once, its params taken from columns."""
    fields = [value.alias(name) for name, value in params.items()]
    return pl.concat_str([pl.lit(f'["{code}", '), pl.struct(fields).struct.json_encode(), pl.lit("]")])


def _parse_error_text(raw: str, lang: str) -> str:
    code, params = json.loads(raw)
    return t(code, lang, **params)


def template_expr(code: str, lang: str, /, **parts: pl.Expr) -> pl.Expr:
    """A catalogue text as a polars expression: its own words around the columns given for its
    placeholders (so that each row's message is assembled by polars, not row by row)."""
    import string

    pieces: list[pl.Expr] = []
    for literal, name, _, _ in string.Formatter().parse(messages(lang)[code]):
        if literal:
            pieces.append(pl.lit(literal))
        if name is not None:
            pieces.append(parts[name])
    return pl.concat_str(pieces)


def probe_header(path: Path, reading: Reading = DEFAULT) -> tuple[str | None, int, tuple[str, ...]]:
    """(sheet, header row as the user sees it, headings) of a table, reading only its top: what the
    column-mapping report (``engine.io.mapping``) shows before anything is evaluated."""
    fmt = input_format(path)
    if fmt == "csv":
        _check_encoding(path)
        _, head = _csv_header(path, reading)
        return None, head.index + 1, head.names
    if fmt == "xlsx":
        reader = _open_xlsx(path)
        index, head, top, _ = _xlsx_header(reader, path, reading, top_only=True)
        return str(reader.sheet_names[index]), top + head.index, head.names
    if fmt == "parquet":
        names = tuple(_parquet(path).schema_arrow.names)
        _header([list(names)], path, 1, Reading(reading.table))
        return None, 1, names
    keys: dict[str, None] = {}
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        for _, line in zip(range(1000), fh):
            with contextlib.suppress(json.JSONDecodeError):
                obj = json.loads(line)
                if isinstance(obj, dict):
                    keys.update(dict.fromkeys(_flatten_json(obj)))
    return None, 1, tuple(k for k in keys if not k.startswith("_"))

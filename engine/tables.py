"""Reading case tables (CSV, XLSX, Parquet, JSON Lines) into the engine's columns, row by row checked.

Every input row comes out: a row that cannot be read as a case keeps its row number — as the
user sees it (the spreadsheet row, header being row 1; the line of a JSON Lines file; the 1-based
position in a Parquet file) — and an error naming the column, the value and what was expected;
every other row is answered. Validation is vectorised: each column is converted once per chunk
and the first problem of each row becomes its message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from .columnar import schema
from .errors import InputError, Where
from . import listcols
from .schema import catalogue

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_YES = ["true", "yes", "có", "co", "x", "1", "đúng", "y"]
_NO = ["false", "no", "không", "khong", "0", "sai", "n"]
IDENTIFYING = ["case_id", "hamlet_id", "candidate_id", "hamlet_name", "name", "hamlet_province", "hamlet_district",
               "hamlet_commune"]


def input_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(en=f"unknown file type {path.suffix!r}; use .csv, .xlsx, .parquet or .jsonl",
                         vi=f"không nhận dạng loại tệp {path.suffix!r}; dùng .csv, .xlsx, .parquet hoặc .jsonl",
                         where=Where(file=str(path)))
    if not path.is_file():
        raise InputError(en="no such file", vi="không tìm thấy tệp", where=Where(file=str(path)))
    return fmt


def user_columns() -> dict[str, str]:
    """Normalized column → the column name a user writes (hamlet fields prefixed ``hamlet_``)."""
    out = {}
    for name in schema():
        path = name.replace("__", ".")
        if path.startswith("hamlet."):
            out[name] = "hamlet_" + path.split(".", 1)[1]
        elif path == "candidate.id":
            out[name] = "candidate_id"
        elif path.startswith("candidate."):
            out[name] = path.split(".", 1)[1]
        elif path.startswith("post_allowances."):
            out[name] = "post_allowance_" + path.split(".", 1)[1]
        else:
            out[name] = path
    return out


ALIASES = {"id": "candidate_id", "candidate_name": "name"}


# -- reading --------------------------------------------------------------------------------


def _sniff_separator(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        head = fh.readline()
    return ";" if head.count(";") > head.count(",") else ","


def read_chunks(path: Path, chunk_rows: int = 200_000) -> Iterator[tuple[pl.DataFrame, int]]:
    """(raw chunk, row number of its first row) for the whole file, in order."""
    fmt = input_format(path)
    try:
        if fmt == "csv":
            lf = pl.scan_csv(path, separator=_sniff_separator(path), infer_schema=False, encoding="utf8-lossy",
                             missing_columns="insert", truncate_ragged_lines=True)
            first = 2
            for chunk in lf.collect_batches(chunk_size=chunk_rows):
                if chunk.columns and chunk.columns[0].startswith("\ufeff"):
                    chunk = chunk.rename({chunk.columns[0]: chunk.columns[0].lstrip("\ufeff")})
                yield chunk, first
                first += chunk.height
        elif fmt == "parquet":
            first = 1  # pyarrow streams record batches: memory stays bounded by the chunk
            for batch in _parquet(path).iter_batches(batch_size=chunk_rows):
                chunk = pl.from_arrow(batch)
                yield chunk, first
                first += chunk.height
        elif fmt == "xlsx":
            frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
            for start in range(0, max(frame.height, 1), chunk_rows):
                yield frame.slice(start, chunk_rows), start + 2
        else:
            yield from _jsonl_chunks(path, chunk_rows)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(en=f"cannot read the file: {str(exc).splitlines()[0]}",
                         vi=f"không đọc được tệp: {str(exc).splitlines()[0]}", where=Where(file=str(path))) from None


def _repetitive_columns() -> set[str]:
    """Input columns whose texts repeat by design: codes, list fields and area names."""
    names = user_columns()
    out = {"hamlet_province", "hamlet_district", "hamlet_commune"}
    for path, ft in catalogue().items():
        name = path.replace(".", "__")
        if name in names and (ft.values or ft.kind == "list"):
            out.add(names[name])
    return out


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
                rows.append({"_parse_error": "empty line"})
            else:
                try:
                    obj = json.loads(text)
                    rows.append(_flatten_json(obj) if isinstance(obj, dict) else {"_parse_error": "not a JSON object"})
                except json.JSONDecodeError as exc:
                    rows.append({"_parse_error": f"not valid JSON: {exc.msg}"})
            if len(rows) == chunk_rows:
                yield _json_frame(rows), first
                first += len(rows)
                rows = []
    if rows:
        yield _json_frame(rows), first


def _flatten_json(obj: dict[str, Any]) -> dict[str, Any]:
    """Accept both flat rows and the nested dossier shape (hamlet: {...}, candidate: {...})."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key == "hamlet" and isinstance(value, dict):
            out.update({f"hamlet_{k}": v for k, v in value.items()})
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
    return str(value)


# -- normalizing ------------------------------------------------------------------------------


@dataclass
class Check:
    bad: pl.Expr  # true where the row's value cannot be used
    column: str
    en: str
    vi: str


def _text(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        return raw.str.strip_chars().replace("", None)  # one strip per cell (a when/otherwise would strip twice)
    if isinstance(dtype, pl.List):
        return raw.cast(pl.List(pl.String)).list.join(";")
    return raw.cast(pl.String)


def _number(text: pl.Expr) -> pl.Expr:
    t = text.str.replace_all(r"\s|₫|VND|CNY|¥", "")
    t = pl.when(t.str.contains(r"^-?\d{1,3}([.,]\d{3})+$")).then(t.str.replace_all(r"[.,]", "")).otherwise(t)
    t = pl.when(t.str.contains(r"^-?\d+,\d+$")).then(t.str.replace(",", ".")).otherwise(t)
    return t.cast(pl.Float64, strict=False)


def _from_distinct(user: str, distinct: pl.Series, target: pl.DataType, values: tuple[str, ...] | None,
                   share: bool) -> tuple[pl.Expr, pl.Expr]:
    """Convert each distinct text once (codes, yes/no, dates repeat across rows), then map."""
    value, bad = convert(pl.col(user), pl.String, target, values, share)
    small = pl.DataFrame({user: distinct.cast(pl.String)}).select(pl.col(user), value.alias("v"), bad.alias("b"))
    if target == pl.String and small[user].equals(small["v"]):
        return pl.col(user), pl.lit(False)  # already clean texts (or categories): no per-row work at all
    text = pl.col(user).cast(pl.String)
    mapped = text.replace_strict(small[user], small["v"], default=None, return_dtype=target)
    return mapped, text.is_in(small.filter(pl.col("b"))[user].implode())


def convert(raw: pl.Expr, dtype: pl.DataType, target: pl.DataType, values: tuple[str, ...] | None,
            share: bool) -> tuple[pl.Expr, pl.Expr]:
    """(converted value, bad) for one raw column; ``bad`` is true where a given value failed."""
    if dtype == target and target in (pl.Int64, pl.Float64, pl.Boolean, pl.Date):
        return raw, pl.lit(False)  # already typed (Parquet): ranges are checked with the row checks
    present = raw.is_not_null() if dtype != pl.String else _text(raw, dtype).is_not_null()
    text = _text(raw, dtype)
    if target == pl.Int64:
        f = raw.cast(pl.Float64, strict=False) if dtype.is_numeric() else _number(text)
        ok = f.is_not_null() & f.is_finite() & (f == f.floor())
        value = pl.when(ok).then(f.cast(pl.Int64, strict=False))
        return value, present & ~ok
    if target == pl.Float64:
        if dtype.is_numeric():
            f = raw.cast(pl.Float64)
        else:
            pct = text.str.ends_with("%")
            f = pl.when(pct).then(_number(text.str.strip_chars_end("%")) / 100).otherwise(_number(text))
        return f, present & f.is_null()
    if target == pl.Boolean:
        if dtype == pl.Boolean:
            return raw, pl.lit(False)
        low = text.str.to_lowercase()
        value = pl.when(low.is_in(_YES)).then(True).when(low.is_in(_NO)).then(False)
        return value, present & value.is_null()
    if target == pl.Date:
        if dtype == pl.Date:
            return raw, pl.lit(False)
        if isinstance(dtype, pl.Datetime):
            return raw.dt.date(), pl.lit(False)
        d = pl.coalesce(text.str.to_date("%Y-%m-%d", strict=False), text.str.to_date("%d/%m/%Y", strict=False))
        return d, present & d.is_null()
    value = text
    bad = pl.lit(False)
    if values:
        bad = value.is_not_null() & ~value.is_in(list(values))
    return value, bad


def _clean_codes(raw: pl.DataFrame, codes: dict[str, tuple[str, ...]]) -> set[str]:
    """The code columns whose every value is already spelled as the rules spell it (one pass)."""
    checks = [(pl.col(u).is_null() | pl.col(u).is_in(list(allowed))).all().alias(u) for u, allowed in codes.items()
              if raw.schema[u] in (pl.String, pl.Categorical)]
    if not checks:
        return set()
    return {u for u, ok in raw.select(checks).row(0, named=True).items() if ok}


def _column(raw: pl.DataFrame, user: str, target: pl.DataType, ft: Any, clean: set[str]) -> tuple[pl.Expr, pl.Expr]:
    """(value, bad) for one scalar input column, choosing the cheapest way that is exact."""
    dtype = raw.schema[user]
    allowed = ft.values if ft else None
    if user in clean:
        return pl.col(user), pl.lit(False)  # codes exactly as the rules spell them: nothing to convert
    if dtype == pl.Categorical:  # a dictionary column of a Parquet file: its categories are the distinct texts
        return _from_distinct(user, raw[user].unique().drop_nulls(), target, allowed, bool(ft and ft.share))
    if dtype == pl.String and raw.height > 64 and raw[user].head(20_000).n_unique() <= 2_000:
        distinct = raw[user].drop_nulls().unique()  # codes, yes/no, dates: few distinct texts
        if len(distinct) <= 50_000:
            return _from_distinct(user, distinct, target, allowed, bool(ft and ft.share))
    return convert(pl.col(user), dtype, target, allowed, bool(ft and ft.share))


_EXPECT = {
    pl.Int64: ("a whole number", "một số nguyên"),
    pl.Float64: ("a number between 0 and 1 (or a percentage)", "một số từ 0 đến 1 (hoặc phần trăm)"),
    pl.Boolean: ("yes or no (true/false, có/không)", "có hoặc không (true/false, có/không)"),
    pl.Date: ("a date YYYY-MM-DD", "ngày dạng YYYY-MM-DD"),
}


def normalize(raw: pl.DataFrame, first_row: int, as_of: date, country: str, lang: str
              ) -> tuple[pl.DataFrame, list[str]]:
    """The chunk in engine columns, with ``_row``, ``_error``, ``_error_column``, ``_error_value``
    and the identifying columns. Returns the frame and the names of columns it did not use."""
    cat = catalogue()
    names = user_columns()
    rename = {c: ALIASES.get(c, c) for c in raw.columns}
    raw = raw.rename({k: v for k, v in rename.items() if k != v and v not in raw.columns})
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
            value, bad = _column(raw, user, target, ft, clean)
            values.append(value.alias(name))
        if target in _EXPECT:
            en, vi = _EXPECT[target]
        elif ft and ft.values:
            en, vi = f"one of {', '.join(ft.values)}", f"một trong {', '.join(ft.values)}"
        else:
            en, vi = "a text", "chuỗi ký tự"
        checks.append(Check(bad, user, f"expected {en}", f"cần {vi}"))
    ident = [pl.col(c).cast(pl.String).alias(c) if c in raw.columns else pl.lit(None, dtype=pl.String).alias(c)
             for c in IDENTIFYING if c not in names.values()]
    used |= {c for c in IDENTIFYING if c in raw.columns}
    # one pass over the raw chunk: converted values and one flag per column check
    flags = [c.bad.fill_null(False).alias(f"_b{i}") for i, c in enumerate(checks)]
    parse = [pl.col("_parse_error")] if "_parse_error" in raw.columns else [pl.lit(None, dtype=pl.String).alias("_parse_error")]
    frame = raw.select(ident + values + flags + parse + [repeated.alias("_repeated")])
    frame = frame.with_columns(pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias("_row"))
    cand_cols = [n for n in schema() if n.startswith("candidate__") and n != "candidate__id"]
    has_candidate = pl.any_horizontal([pl.col(n).is_not_null() for n in cand_cols]) | pl.col("candidate__id").is_not_null()
    frame = frame.with_columns(
        pl.when(has_candidate & pl.col("candidate__id").is_null()).then(pl.format("row {}", pl.col("_row")))
        .otherwise(pl.col("candidate__id")).alias("candidate__id"))
    as_of_lit = pl.lit(as_of, dtype=pl.Date)
    row_checks = [
        Check(pl.col("hamlet__population") < 0, "hamlet_population", "must be at least 0", "phải từ 0 trở lên"),
        Check(pl.col("hamlet__households") < 0, "hamlet_households", "must be at least 0", "phải từ 0 trở lên"),
        Check(pl.col("hamlet__local_party_members") < 0, "hamlet_local_party_members", "must be at least 0", "phải từ 0 trở lên"),
        Check(pl.col("candidate__residence_years") < 0, "residence_years", "must be at least 0", "phải từ 0 trở lên"),
        Check((pl.col("candidate__vote_share") < 0) | (pl.col("candidate__vote_share") > 1), "vote_share",
              "must be between 0 and 1", "phải từ 0 đến 1"),
        Check((pl.col("candidate__confidence_vote") < 0) | (pl.col("candidate__confidence_vote") > 1), "confidence_vote",
              "must be between 0 and 1", "phải từ 0 đến 1"),
        Check((pl.col("hamlet__election_turnout") < 0) | (pl.col("hamlet__election_turnout") > 1), "hamlet_election_turnout",
              "must be between 0 and 1", "phải từ 0 đến 1"),
        Check(pl.col("candidate__birth_date") > as_of_lit, "birth_date", f"is after the as-of date {as_of}",
              f"sau ngày xét {as_of}"),
        Check(pl.col("candidate__party_join_date") > as_of_lit, "party_join_date", f"is after the as-of date {as_of}",
              f"sau ngày xét {as_of}"),
        Check(pl.col("_repeated"), "posts", "lists a post twice", "liệt kê một chức danh hai lần"),
        Check(pl.col("hamlet__id").is_null(), "hamlet_id", "is required", "là bắt buộc"),
        Check(pl.col("hamlet__country").is_not_null() & (pl.col("hamlet__country") != country), "hamlet_country",
              f"must be {country} for this pack", f"phải là {country} với gói này"),
    ]
    n = len(checks)
    frame = frame.with_columns([c.bad.fill_null(False).alias(f"_b{n + j}") for j, c in enumerate(row_checks)])
    all_checks = checks + row_checks
    flags = [f"_b{i}" for i in range(len(all_checks))]
    frame = frame.with_columns((pl.any_horizontal(flags) | pl.col("_parse_error").is_not_null()).alias("_bad"))
    bad_idx = frame["_bad"].arg_true()
    error, err_col, err_val = (pl.repeat(None, frame.height, dtype=pl.String, eager=True).alias(c)
                               for c in ("_error", "_error_column", "_error_value"))
    if len(bad_idx):
        # messages only for the rows that have a problem: usually few, so the checks' long
        # when-chains never run over the whole chunk
        sub = frame.filter(pl.col("_bad"))
        message = pl.lit(None, dtype=pl.String)
        col_name = pl.lit(None, dtype=pl.String)
        for i in reversed(range(len(all_checks))):
            c = all_checks[i]
            message = pl.when(pl.col(f"_b{i}")).then(pl.lit(f"{c.column}: {c.vi if lang == 'vi' else c.en}")).otherwise(message)
            col_name = pl.when(pl.col(f"_b{i}")).then(pl.lit(c.column)).otherwise(col_name)
        parse_err = pl.col("_parse_error").is_not_null()
        sub = sub.select(pl.when(parse_err).then(pl.col("_parse_error")).otherwise(message).alias("_error"),
                         pl.when(parse_err).then(pl.lit("")).otherwise(col_name).alias("_error_column"))
        raw_bad = raw[bad_idx]
        value = pl.lit(None, dtype=pl.String)
        for c in {c.column for c in all_checks}:
            if c in raw.columns:
                value = pl.when(pl.lit(sub["_error_column"]) == c).then(_text(pl.col(c), raw.schema[c])).otherwise(value)
        values_bad = raw_bad.select(value.alias("_error_value"))["_error_value"]
        error = error.scatter(bad_idx, sub["_error"])
        err_col = err_col.scatter(bad_idx, sub["_error_column"])
        err_val = err_val.scatter(bad_idx, values_bad)
    frame = frame.with_columns(error, err_col, err_val)
    unused = [c for c in raw.columns if c not in used and c != "_parse_error"]
    keep = list(schema()) + listcols.helper_columns() + [c for c in IDENTIFYING if c not in names.values()] + ["_row", "_error", "_error_column",
                                                                                    "_error_value"]
    return frame.select(keep), unused

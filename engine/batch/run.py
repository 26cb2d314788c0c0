"""``kiemnhiem batch``: every row of a province's table answered or reported, nothing lost.

Reads the input in chunks (bounded memory), checks and normalizes each chunk
(``engine.io.tables``), evaluates the valid rows with the columnar engine (``engine.backends.columnar``),
and writes one output row per input row, in input order, to a temporary file renamed into place
when complete. Text cells that a spreadsheet would run as formulas are neutralised in CSV and
XLSX outputs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

import polars as pl

from engine.backends import columnar
from engine.io import workbook
from engine.io.atomic import AtomicFile, signals_deferred
from engine.io.workbook import Words
from engine.io.progress import Progress, table_rows
from engine.errors import InputError, Where
from engine.contract.decision import DECISIONS
from engine.explain.names import missing_labels
from engine.i18n import Msg, Num, decision_label, t
from engine.backends.listcols import mask
from engine.policy.resolved import Policy
from engine.contract.fields import POSTS
from engine.io import skipped
from engine.io.tables import (DEFAULT, IDENTIFYING, Reading, input_format, normalize, parse_error_expr, read_chunks,
                               template_expr, unit_aliases)

# allowance_monthly_total is payable (0 if ineligible, empty if undetermined); allowance_if_appointed_total
# and amount_<post> say what the posts would pay if the person were appointed
OUTPUT_MONEY = ["fund_monthly", "allowance_monthly_total", "allowance_if_appointed_total", *[f"amount_{p}" for p in POSTS],
                "grant_yearly"]
XLSX_MAX_ROWS = 1_048_575
#: what a chunk's output carries for the summary and the hamlet table, never written
INTERNAL = [mask("posts"), "candidate__party_status", "candidate__party_member", "hamlet__kind", "allowance_open",
            "fund_applies"]
REPEATED = ["decision", "failing", "advisories", "missing", "error", "pack", "pack_hash", "as_of", "hamlet_province",
            "hamlet_district", "hamlet_commune"]


@dataclass
class BatchResult:
    rows: int = 0
    errors: int = 0
    unused_columns: list[str] = field(default_factory=list)
    summary: Any = None
    hamlets: pl.DataFrame | None = None  # the hamlet table, when asked for
    data: dict[str, Any] = field(default_factory=dict)  # the summary's data, when the run is complete


def _explanation(policy: Policy, lang: str, as_of: date) -> pl.Expr:
    """A short sentence per row: the decision, then what fails or is missing."""
    decision = pl.col("decision").cast(pl.String)
    label = decision.replace_strict({k: decision_label(k, lang) for k in DECISIONS} | {"error": t("batch.decision-error", lang),
                                    "skipped": t("decision.skipped", lang)}, default=decision)
    snap = policy.snapshot(as_of)
    titles = {ri.id: snap.title(ri, lang) for ri in policy.criteria}
    def spelled(col: str) -> pl.Expr:
        return pl.col(col).cast(pl.String).str.split(";").list.eval(
            pl.element().replace_strict(titles, default=pl.element())).list.join("; ")

    failing = spelled("failing")
    # what is missing by its name (``còn thiếu: tỷ lệ phiếu bầu``); the ``missing`` column keeps the paths
    labels = missing_labels(policy, lang)
    missing = pl.col("missing").cast(pl.String).str.split(";").list.eval(
        pl.element().replace_strict(labels, default=pl.element())).list.join(t("phrase.list-separator", lang))
    return (pl.when(pl.col("decision") == "skipped").then(pl.concat_str([label, pl.lit(": "), pl.col("note")]))
            .when(pl.col("decision") == "error").then(
                template_expr("batch.explanation.error", lang, decision=label, error=pl.col("error")))
            .when(pl.col("failing") != "").then(template_expr("batch.explanation.fails", lang, decision=label, criteria=failing))
            .when(pl.col("missing") != "").then(
                template_expr("batch.explanation.missing", lang, decision=label, fields=missing))
            .when(pl.col("advisories") != "").then(
                template_expr("batch.explanation.advisories", lang, decision=label, criteria=spelled("advisories")))
            .otherwise(label))


def evaluate_chunk(policy: Policy, as_of: date, raw: pl.DataFrame, first_row: int, lang: str,
                   explain: bool, reading: Reading = DEFAULT, source: str = "", echo: bool = False
                   ) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """(output rows, error rows, unused input columns) for one chunk, rows in input order. The
    unused columns (STT, Ghi chú …) are passed through, after the engine's own; rows that are no
    case (``engine.io.skipped``) come out as ``skipped`` with the reason in ``note``."""
    country = policy.country
    norm, unused = normalize(raw, first_row, as_of, country, lang, reading.headings(), source)
    snap = policy.snapshot(as_of)
    # every row is evaluated, rejected ones too (their unreadable cells are empty), and then the
    # rejected rows' answers are replaced: cheaper than splitting the chunk and sorting it back
    answered = columnar.compiled(snap).evaluate(norm)
    base_cols = ["case_id", "hamlet__id", "candidate__id", "hamlet__name", "candidate__name", "hamlet__province",
                 "hamlet__district", "hamlet__commune", "_row"]
    out_cols = ["decision", "failing", "advisories", "missing", *OUTPUT_MONEY]
    out = answered.select(base_cols + out_cols + [mask("posts"), "candidate__party_status", "candidate__party_member",
                                                  "hamlet__kind", "allowance_open", "fund_applies", "_error", "_skip"])
    if norm["_skip"].is_not_null().any():
        skip = pl.col("_skip").is_not_null()
        out = out.with_columns(*_unanswered(out, skip, "skipped"),
                               pl.when(skip).then(None).otherwise(pl.col("candidate__id")).alias("candidate__id"))
    out = out.with_columns(pl.col("_skip").replace_strict({r: t(f"skipped.{r}", lang) for r in skipped.REASONS},
                                                          default=None, return_dtype=pl.String).alias("note")).drop("_skip")
    bad = norm["_error"].is_not_null()
    if bad.any():
        out = out.with_columns(*_unanswered(out, pl.col("_error").is_not_null(), "error"), pl.col("_error").alias("error"))
    else:
        out = out.with_columns(pl.lit(None, dtype=pl.String).alias("error"))
    out = out.drop("_error").rename(
        {"hamlet__id": "hamlet_id", "candidate__id": "candidate_id", "hamlet__name": "hamlet_name",
         "candidate__name": "name", "hamlet__province": "hamlet_province", "hamlet__district": "hamlet_district",
         "hamlet__commune": "hamlet_commune", "_row": "row"})
    # the same three texts on every row: one-value enums cost nothing per row to write
    out = out.with_columns(*[pl.lit(v, dtype=pl.Enum([v])).alias(k) for k, v in
                             (("pack", policy.id), ("pack_hash", policy.hash), ("as_of", as_of.isoformat()))])
    if explain:
        out = out.with_columns(_explanation(policy, lang, as_of).alias("explanation"))
    # the input's own columns the rules do not read, kept: a board's STT and Ghi chú come back beside the answer
    through = [c for c in unused if c in raw.columns and not c.endswith("_hamlet")]
    if through:
        out = out.with_columns(raw.select([pl.col(c).cast(pl.String).alias(c if c not in out.columns else f"{c} (input)")
                                           for c in through]))
    if echo:
        out = out.with_columns(_echoed(raw, norm, out.columns, reading, lang))
    # the errors table: one line per problem, so a row with three wrong cells has three lines
    errors = norm.filter(bad).select(pl.col("_row").alias("row"), "_problems").explode("_problems").unnest("_problems")
    return out, errors, unused


def _unanswered(out: pl.DataFrame, where: pl.Expr, decision: str) -> list[pl.Expr]:
    """The answer of the rows ``where`` replaced by ``decision`` (``error``: not read; ``skipped``:
    no case): no criteria, nothing missing, no money. Every row is evaluated with the chunk, which
    is cheaper than splitting it and sorting it back."""
    return [pl.when(where).then(pl.lit(decision, dtype=columnar.DECISION)).otherwise(pl.col("decision")).alias("decision"),
            *[pl.when(where).then(pl.lit("", dtype=out.schema[c])).otherwise(pl.col(c)).alias(c)
              for c in ("failing", "advisories", "missing")],
            *[pl.when(where).then(pl.lit(None, dtype=pl.Int64)).otherwise(pl.col(c)).alias(c) for c in OUTPUT_MONEY]]


def _echoed(raw: pl.DataFrame, norm: pl.DataFrame, taken: list[str], reading: Reading, lang: str) -> list[pl.Series]:
    """The board's workbook: the whole row as the input wrote it, under the contract's names (the
    workbook heads them with the board's words), before the answer. A date or a share the engine
    read is written as a board writes it (``12/03/1975``, ``68 %``), whatever the cell held (an
    Excel date, ``0.68``); a cell it could not read stays as given, beside its error."""
    from engine.io.columns import engine_names

    engine_name = engine_names()
    kinds = _board_kinds()
    mark = "," if lang == "vi" else "."
    out: list[pl.Series] = []
    for c in raw.columns:
        col = reading.headings().column(str(c)) or str(c)
        if c.startswith("_") or col in taken:
            continue
        dtype = raw.schema[c]
        name = engine_name.get(col, "")  # "" for a column the engine does not read: no kind
        kind = kinds.get(name)
        if dtype == pl.Date or isinstance(dtype, pl.Datetime):
            given = raw[c].dt.strftime("%d/%m/%Y")
        elif dtype == pl.Boolean:
            given = raw[c].replace_strict([True, False], [t("echo.yes", lang), t("echo.no", lang)], default=None,
                                          return_dtype=pl.String)
        elif isinstance(dtype, pl.List):
            given = raw[c].cast(pl.List(pl.String)).list.join("; ")
        elif dtype.is_numeric() and kind is None:
            given = raw[c]  # a number the file typed stays a number
        else:
            given = raw[c].cast(pl.String)
        if kind == "date":
            given = norm.select(pl.when(pl.col(name).is_not_null()).then(pl.col(name).dt.strftime("%d/%m/%Y"))
                                .otherwise(given)).to_series()
        elif kind == "share":
            pct = (pl.col(name) * 100).round(2).cast(pl.String).str.replace(r"\.0$", "").str.replace(".", mark, literal=True)
            given = norm.select(pl.when(pl.col(name).is_not_null()).then(pl.concat_str([pct, pl.lit(" %")]))
                                .otherwise(given)).to_series()
        out.append(given.alias(col))
    return out


@lru_cache(maxsize=1)
def _board_kinds() -> dict[str, str]:
    """Engine column → ``date`` or ``share`` for the input fields written as a board writes them."""
    from engine.contract.fields import catalogue

    kinds = {}
    for path, ft in catalogue().items():
        if ft.kind == "date":
            kinds[path.replace(".", "__")] = "date"
        elif ft.kind == "number" and ft.share:
            kinds[path.replace(".", "__")] = "share"
    return kinds


PUBLIC = ["row", *IDENTIFYING, "decision", "failing", "advisories", "missing", *OUTPUT_MONEY, "error", "note", "pack", "pack_hash",
          "as_of"]


def _neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells a spreadsheet would evaluate (=, +, -, @) with an apostrophe."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype in (pl.String, pl.Categorical):  # categories too: a Parquet input's province names
            c = pl.col(name).cast(pl.String)
            exprs.append(pl.when(c.str.contains(r"^[=+\-@\t\r]")).then(pl.concat_str([pl.lit("'"), c])).otherwise(c).alias(name))
    return frame.with_columns(exprs) if exprs else frame


class Writer:
    """Writes chunks to a temporary file (``engine.io.atomic``), renamed into place only when
    everything is written; ``abort()`` (or leaving a ``with`` block by an exception) removes it.
    An XLSX given ``words`` is the board's results workbook (``engine.io.workbook``), with the
    errors given to ``add_errors`` and the summary given to ``close``; without, a plain sheet."""

    def __init__(self, path: Path, explain: bool, created: date | None = None, words: Words | None = None):
        self.path = path
        self.fmt = FORMAT_OUT.get(path.suffix.lower())
        if self.fmt is None:
            raise InputError.of("batch.unknown-output-type", Where(file=str(path)), suffix=repr(path.suffix))
        self.created = created  # the XLSX creation date: fixed, so that a replay is byte-identical
        self.columns = PUBLIC + (["explanation"] if explain else [])
        self.passes_through = False  # the batch's results (not its errors or hamlet tables) keep the input's columns
        self._parquet: Any = None  # a pyarrow ParquetWriter once the first chunk is written
        self._xlsx: list[pl.DataFrame] = []
        self.words = words if self.fmt == "xlsx" else None
        self.inputs: list[str] = []  # the input's columns in its own order (the workbook writes them first, so)
        self._errors: list[pl.DataFrame] = []
        self._rows = 0
        self._started = False
        self._out = AtomicFile(path)

    @property
    def tmp(self) -> Path | None:
        return self._out.tmp

    def write(self, chunk: pl.DataFrame) -> None:
        with self._out.errors():
            self._write(chunk)

    def _write(self, chunk: pl.DataFrame) -> None:
        if not self._started and self.passes_through:  # the input's own columns, after the engine's
            self.columns = self.columns + [c for c in chunk.columns if c not in self.columns and c not in INTERNAL]
        frame = chunk.select([pl.col(c) if c in chunk.columns else pl.lit(None, dtype=pl.String).alias(c) for c in self.columns])
        self._rows += frame.height
        if self.fmt in ("csv", "xlsx"):
            frame = _neutralise(frame)
        sink = cast(IO[bytes], self._out.file)  # the part of a binary file polars and pyarrow use
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            # repeated texts as dictionaries: smaller files, and several times faster to write;
            # only those: trying a dictionary on unique ids and falling back costs more than it saves
            repeated = [c for c in REPEATED if c in frame.columns]
            frame = frame.with_columns([pl.col(c).cast(pl.Categorical) for c in repeated
                                        if not isinstance(frame.schema[c], (pl.Categorical, pl.Enum))])
            table = frame.to_arrow()
            if self._parquet is None:
                # statistics only where a reader filters (the row number): text statistics cost a
                # pass over every value and nobody prunes row groups on a name; row numbers count
                # up by one, so as deltas they take a few bytes per row group
                rows = [c for c in ("row",) if c in frame.columns and frame.schema[c].is_integer()]
                self._parquet = pq.ParquetWriter(sink, table.schema, use_dictionary=repeated, write_statistics=rows,
                                                 column_encoding={c: "DELTA_BINARY_PACKED" for c in rows})
            self._parquet.write_table(table)
        elif self.fmt == "csv":
            if not self._started:
                sink.write("\ufeff".encode())  # Excel reads UTF-8 with a BOM as UTF-8
            frame.write_csv(sink, include_header=not self._started)
        elif self.fmt == "jsonl":
            frame.write_ndjson(sink)
        else:
            if self._rows > XLSX_MAX_ROWS:
                raise InputError.of("batch.xlsx-too-many-rows", Where(file=str(self.path)), rows=Num(XLSX_MAX_ROWS))
            self._xlsx.append(frame)
        self._started = True

    def add_errors(self, errors: pl.DataFrame) -> None:
        """The problems of a chunk's rows (file, row, column, value, error), for the workbook's errors sheet."""
        if self.words is not None and errors.height:
            self._errors.append(errors)

    def close(self, summary: dict[str, Any] | None = None) -> None:
        try:
            with self._out.errors():
                if not self._started and self.fmt != "xlsx":  # nothing written at all: still a valid, empty table
                    self._write(pl.DataFrame(schema={c: pl.String for c in self.columns}))
                if self.fmt == "parquet" and self._parquet is not None:
                    parquet, self._parquet = self._parquet, None
                    parquet.close()
                elif self.fmt == "xlsx":
                    frame = pl.concat(self._xlsx) if self._xlsx else pl.DataFrame(schema={c: pl.String for c in self.columns})
                    if self.words is None:
                        self._out.file.write(xlsx_bytes(frame, self.created))
                    else:
                        errors = pl.concat(self._errors, how="vertical_relaxed") if self._errors else None
                        self._out.file.write(workbook.results_bytes(frame, self.words, errors=errors, summary=summary,
                                                                    money=OUTPUT_MONEY, created=self.created,
                                                                    inputs=self.inputs))
            self._out.commit()
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        with signals_deferred():
            if self._parquet is not None:
                parquet, self._parquet = self._parquet, None
                with contextlib.suppress(Exception):
                    parquet.close()
            self._out.abort()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


#: a table as one plain sheet, built in memory with a fixed creation date (``engine.io.workbook``)
xlsx_bytes = workbook.plain_bytes


FORMAT_OUT = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def chunks_joined(hamlets: Path, candidates: Path, chunk_rows: int, reading: Reading = DEFAULT
                  ) -> Iterator[tuple[pl.DataFrame, int]]:
    """Candidates joined to their hamlet's columns; then hamlets that have no candidate. Either
    table may key its rows by ``unit_id`` (``engine.io.tables.unit_aliases``): the join reads it as
    ``hamlet_id``."""
    ham = _keyed(pl.concat([c for c, _ in read_chunks(hamlets, 10**9, reading)], how="diagonal_relaxed"))
    if "hamlet_id" not in ham.columns:
        raise InputError.of("batch.hamlets-without-id", Where(file=str(hamlets)))
    first_h = 1 if input_format(hamlets) in ("parquet", "jsonl") else 2
    ham = ham.with_columns(pl.col("hamlet_id").cast(pl.String).str.strip_chars(),
                           pl.int_range(first_h, first_h + ham.height).alias("_hamlet_row"))
    dup = ham.filter(pl.col("hamlet_id").is_duplicated())
    if dup.height:
        rows = ", ".join(str(r) for r in dup["_hamlet_row"].head(5))
        raise InputError.of("batch.hamlet-id-twice", Where(file=str(hamlets), field="hamlet_id"), id=repr(dup["hamlet_id"][0]),
                            rows=rows)
    seen: set[str] = set()
    for chunk, first in read_chunks(candidates, chunk_rows, reading):
        chunk = _keyed(chunk)
        if "hamlet_id" not in chunk.columns:
            raise InputError.of("batch.candidates-without-id", Where(file=str(candidates)))
        chunk = chunk.with_columns(pl.col("hamlet_id").cast(pl.String).str.strip_chars())
        seen |= set(chunk["hamlet_id"].drop_nulls().to_list())
        joined = chunk.join(ham.drop("_hamlet_row").with_columns(pl.lit(True).alias("_hamlet_found")),
                            on="hamlet_id", how="left", maintain_order="left", suffix="_hamlet")
        joined = joined.with_columns(
            pl.when(pl.col("_hamlet_found").is_null() & pl.col("hamlet_id").is_not_null())
            .then(parse_error_expr("batch.hamlet-not-found", id=pl.col("hamlet_id"))).alias("_parse_error"))
        yield joined.drop("_hamlet_found"), first
    alone = ham.filter(~pl.col("hamlet_id").is_in(list(seen)))
    if alone.height:
        yield alone.drop("_hamlet_row"), -int(alone["_hamlet_row"][0])  # negative: rows of the hamlets file


#: what the hamlet table (``--hamlets``) reads of each answered row, and its names in the columnar output
ROSTER_READS = {"hamlet_id": "hamlet__id", "candidate_id": "candidate__id", mask("posts"): mask("posts"),
                "allowance_if_appointed_total": "allowance_if_appointed_total", "fund_monthly": "fund_monthly",
                "fund_applies": "fund_applies", "decision": "decision"}


#: their types (a chunk without rows has none of its own; the decision is kept as the engine wrote it)
ROSTER_TYPES: dict[str, pl.DataType] = {
    "hamlet_id": pl.String(), "candidate_id": pl.String(), mask("posts"): pl.Int32(),
    "allowance_if_appointed_total": pl.Int64(), "fund_monthly": pl.Int64(), "fund_applies": pl.Boolean(),
    "decision": pl.String()}


def write_hamlets(policy: Policy, as_of: date, rows: list[pl.DataFrame], path: Path) -> pl.DataFrame:
    """The hamlet table: one row per hamlet of the run, its roster judged (``columnar_roster``)."""
    from engine.backends import columnar_roster

    frame = pl.concat(rows, how="vertical_relaxed") if rows else pl.DataFrame(schema=ROSTER_TYPES)
    frame = frame.rename(ROSTER_READS)
    table = columnar_roster.hamlets(policy.snapshot(as_of), frame)
    table = table.with_columns(*[pl.lit(v).alias(k) for k, v in
                                 (("pack", policy.id), ("pack_hash", policy.hash), ("as_of", as_of.isoformat()))])
    with Writer(path, False, as_of) as writer:
        writer.columns = list(table.columns)
        writer.write(table)
    return table


def _keyed(frame: pl.DataFrame) -> pl.DataFrame:
    """A table keyed by ``unit_id`` as one keyed by ``hamlet_id`` (both at once are refused when read)."""
    key = next(alias for alias, column in unit_aliases().items() if column == "hamlet_id")
    return frame.rename({key: "hamlet_id"}) if key in frame.columns and "hamlet_id" not in frame.columns else frame


def run(policy: Policy, as_of: date, inputs: list[Path], output: Path, errors_path: Path | None, lang: str,
        chunk_rows: int = 200_000, progress: bool | None = None, hamlets_path: Path | None = None,
        reading: Reading = DEFAULT) -> BatchResult:
    explain = output.suffix.lower() in (".csv", ".xlsx")
    from engine.batch.summary import Summary

    result = BatchResult(summary=Summary(policy, as_of, lang))
    source = inputs[0] if len(inputs) == 1 else None
    stream = read_chunks(inputs[0], chunk_rows, reading) if len(inputs) == 1 else \
        chunks_joined(inputs[0], inputs[1], chunk_rows, reading)
    bar = Progress("rows", lang, show=progress)  # on stderr, when a terminal (engine.io.progress)
    if bar.show and source is not None:
        bar.total = table_rows(source)
    # a pipeline of three: chunk n+1 is read while chunk n is evaluated and chunk n-1 written and
    # summarised (polars and pyarrow release the GIL). One worker per stage keeps the order, and
    # each stage waits for its previous chunk, so at most three chunks are in memory.
    from concurrent.futures import Future, ThreadPoolExecutor

    writer: Writer | None = None
    err_writer: Writer | None = None
    roster_rows: list[pl.DataFrame] = []  # what the hamlet table reads, kept from each chunk (a few columns)

    def sink(out: pl.DataFrame, errs: pl.DataFrame, file: str) -> None:
        assert writer is not None  # made before the first chunk is submitted
        writer.write(out)
        if errs.height:
            located = errs.with_columns(pl.lit(file).alias("file"))
            writer.add_errors(located)
            if err_writer is not None:
                err_writer.write(located)
        result.summary.add(out)
        if hamlets_path is not None:
            roster_rows.append(out.select(pl.col(k) if k == "decision" else pl.col(k).cast(v)
                                          for k, v in ROSTER_TYPES.items()))

    pending: Future | None = None
    pool = ThreadPoolExecutor(max_workers=1)
    reader = ThreadPoolExecutor(max_workers=1)
    ahead: Future | None = None
    try:
        with signals_deferred():  # a signal between creating a temporary and naming it here would leave it
            words = Words.of(policy, as_of, lang) if FORMAT_OUT.get(output.suffix.lower()) == "xlsx" else None
            writer = Writer(output, explain, as_of, words)
            writer.passes_through = True
            err_writer = Writer(errors_path, False, as_of) if errors_path is not None else None
        if err_writer is not None:
            err_writer.columns = ["file", "row", "column", "value", "error"]
        ahead = reader.submit(next, stream, None)
        while (item := ahead.result()) is not None:
            ahead = reader.submit(next, stream, None)
            raw, first = item
            file = str(source or (inputs[0] if first < 0 else inputs[1]))
            out, errs, unused = evaluate_chunk(policy, as_of, raw, abs(first), lang, explain, reading, file,
                                               echo=writer.words is not None)
            if writer.words is not None and not writer.inputs:  # the board's workbook keeps the input's order
                writer.inputs = [reading.headings().column(str(c)) or str(c) for c in raw.columns]
            for c in unused:
                if c not in result.unused_columns and not c.endswith("_hamlet"):
                    result.unused_columns.append(c)
            if pending is not None:
                pending.result()
            pending = pool.submit(sink, out, errs, file)
            result.rows += out.height
            result.errors += errs["row"].n_unique() if errs.height else 0
            bar.advance(out.height)
        if pending is not None:
            pending.result()
        bar.close()
        if hamlets_path is not None:  # before the results are named: a failure leaves neither file
            result.hamlets = write_hamlets(policy, as_of, roster_rows, hamlets_path)
        result.data = summary_data(result)
        writer.close(result.data)
        if err_writer is not None:
            err_writer.close()
    except BaseException:
        bar.close(finished=False)
        with signals_deferred():  # a second Ctrl-C must not leave a temporary behind
            for future in (pending, ahead):
                if future is not None:
                    future.cancel()
            pool.shutdown(wait=True)
            reader.shutdown(wait=True)
            for w in (writer, err_writer):
                if w is not None:
                    w.abort()
        raise
    pool.shutdown(wait=True)
    reader.shutdown(wait=True)
    return result


def summary_data(result: BatchResult) -> dict[str, Any]:
    """The summary as data (``Summary.finish``), with the rosters' verdicts counted (with
    ``--hamlets``: what a board looks at first) and the rows not read."""
    data: dict[str, Any] = result.summary.finish()
    if result.hamlets is not None:
        counts = result.hamlets["roster"].drop_nulls().value_counts()
        data["rosters"] = {v: int(n) for v, n in zip(counts["roster"], counts["count"])}
    data["errors"] = result.errors
    return data


@dataclass
class BatchRun:
    """What ``kiemnhiem batch`` reports: the counts, the summary (``summary`` as data,
    ``summary_text`` rendered), the input columns not used, and the files written."""

    rows: int
    errors: int
    unused_columns: list[str]
    summary: dict[str, Any]
    summary_text: str
    lang: str
    output: Path
    errors_path: Path | None = None
    summary_path: Path | None = None

    def unused_note(self) -> str | None:
        """A line naming the input columns not used, or None."""
        if not self.unused_columns:
            return None
        return t("batch.unused-columns", self.lang, columns=", ".join(self.unused_columns)) + "\n"

    def errors_note(self) -> str | None:
        """A line saying how many rows could not be read and where they are reported, or None."""
        if not self.errors:
            return None
        # a results workbook lists them on its own errors sheet; the other outputs in their error column
        sheet = self.output.suffix.lower() == ".xlsx"
        where = self.errors_path or (Msg.of("batch.errors-sheet", output=self.output, sheet=Msg.of("workbook.sheet.errors"))
                                     if sheet else Msg.of("batch.error-column", output=self.output))
        return t("batch.rows-not-read", self.lang, count=Num(self.errors), where=where) + "\n"


def run_batch(table: Path, pack: str, output: Path, as_of: date | None = None, *, candidates: Path | None = None,
              errors_path: Path | None = None, summary_path: Path | None = None, lang: str | None = None,
              rules: Sequence[Path] = (), proposal: Path | None = None, chunk_rows: int = 200_000,
              hamlets_path: Path | None = None, reading: Reading = DEFAULT, progress: bool | None = None) -> BatchRun:
    """``kiemnhiem batch``: every row of ``table`` (or of ``candidates`` joined to the hamlets
    ``table``) answered into ``output`` or reported into ``errors_path``; the summary written to
    ``summary_path`` too (JSON for .json, otherwise text). Outputs that are inputs are refused first.
    ``progress``: the bar on stderr (None: when it is a terminal; False: never)."""
    import json

    from engine.io.atomic import write_text
    from engine.io.guard import refuse_overwrite
    from engine.one_case import check_as_of
    from engine.policy.loader import load_policy

    refuse_overwrite([table, candidates, proposal], {"--output": output, "--errors": errors_path, "--summary": summary_path,
                                                     "--hamlets": hamlets_path})
    day = as_of or date.today()
    policy = load_policy(pack, list(rules), proposal)
    check_as_of(policy, day)
    language = lang or policy.header.lang
    inputs = [table] if candidates is None else [table, candidates]
    result = run(policy, day, inputs, output, errors_path, language, chunk_rows, progress=progress, hamlets_path=hamlets_path,
                 reading=reading)
    data = result.data
    text = result.summary.text(data)
    if summary_path is not None:
        payload = json.dumps(data, ensure_ascii=False, indent=2) + "\n" if summary_path.suffix == ".json" else text
        write_text(summary_path, payload)
    return BatchRun(rows=result.rows, errors=result.errors, unused_columns=result.unused_columns, summary=data,
                    summary_text=text, lang=language, output=output, errors_path=errors_path, summary_path=summary_path)

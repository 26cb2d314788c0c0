"""The results workbook a board can hand round (``kiemnhiem batch … -o ket-qua.xlsx``).

A plain export in English ids (``decision = eligible_with_conditions``, ``2025-06-01`` as text,
``4470000``) is a file a commune office cannot forward as it is. This one speaks the run's
language and writes the way a board reads a list:

- **Kết quả** (results): the input's own columns first (headings from the contract's table of
  headings, ``engine.io.headings``), then the decision in words, the reasons, the
  advisories and what is missing (criteria by their titles, fields by their names), then the
  money, then the technical columns (criterion ids, the input error, pack, hash, as-of date).
  Frozen header, filters, widths fitted to the text (long reasons wrap), money as whole numbers
  with digit grouping (``#,##0``: the viewer's locale shows 1.490.000 or 1,490,000), shares as
  ``0%``, dates as real date cells.
- **Tổng hợp** (summary): the numbers ``engine.batch.summary.Summary.finish`` gives the text
  summary, as a table: counts per decision, the money (a total is exact only when every amount
  is known; otherwise it is the known part, marked "at least", with the unknown ones counted:
  an unknown amount is never added as 0), the party-member heads, by area, the area targets.
- **Lỗi** (errors): every problem of every row, one line each: the row as the spreadsheet
  numbers it, the column, the value given, what was expected.

The workbook is built in memory (no half-written zip on a full disk, no temporary files of
xlsxwriter's own) with a fixed creation date: the same run gives the same bytes. Cells are
written with xlsxwriter's typed calls, column by column, and empty cells are not written at all.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import polars as pl

from engine.io import headings
from engine.i18n import catalogue, columns as text_columns, post_label, t

if TYPE_CHECKING:
    from xlsxwriter import Workbook
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from engine.policy.resolved import Policy

#: After the input's own columns: the answer, read left to right as a board reads it. The
#: reasons are the criteria failed, by their titles, or the row's input error: the decision is
#: in its own column (the batch's one-sentence ``explanation`` repeats it) and what is missing and
#: what is advised have theirs.
ANSWER = ("decision", "reasons", "advisories", "missing")
#: Last, for whoever checks the run: the ids behind the words, and where the answer came from.
TECHNICAL = ("failing", "pack", "pack_hash", "as_of")
#: The engine's columns the workbook says in other words (``reasons``, the errors sheet).
RESTATED = ("explanation", "error", "note")
#: The money column whose empty cell means "not known" on a row that was answered (a row found
#: ineligible has 0): it says so in words, where another amount's empty cell means "none".
PAYABLE = "allowance_monthly_total"
#: Share columns an input may carry (written ``0%``).
SHARES = ("vote_share", "confidence_vote", "hamlet_election_turnout")
#: The decisions in the order a board counts them; any other (a newer one) follows.
DECISION_ORDER = ("eligible", "eligible_with_conditions", "ineligible", "undetermined", "not_applicable", "skipped",
                  "error")
#: A decision's cell colours (fill, font): green, amber, red, grey, as spreadsheets colour them.
DECISION_COLOURS = {"eligible": ("#C6EFCE", "#006100"), "eligible_with_conditions": ("#FFEB9C", "#7F6000"),
                    "ineligible": ("#FFC7CE", "#9C0006"), "undetermined": ("#EDEDED", "#404040"),
                    "error": ("#FFC7CE", "#9C0006"), "skipped": ("#F2F2F2", "#808080")}
MONEY_FORMAT, SHARE_FORMAT = "#,##0", "0%"
#: letters of ordinary text a column holds per unit of width (the unit is a digit's width; most
#: letters are narrower), less what word wrapping leaves at the end of lines: measured on
#: LibreOffice's rendering of the reasons
LETTERS_PER_WIDTH = 1.15
FIXED_DAY = date(2000, 1, 1)  # the creation date of a workbook written without one


@dataclass(frozen=True)
class Words:
    """What the workbook says besides the data: the language, the pack's country (post names),
    currency, criterion and target titles, and whether the pack has a hamlet fund and grants
    (their columns are written even when every amount is unknown)."""

    lang: str
    country: str = "VN"
    currency: str = "VND"
    criteria: Mapping[str, str] = field(default_factory=dict)
    targets: Mapping[str, str] = field(default_factory=dict)
    fund: bool = True
    grants: bool = False

    @classmethod
    def of(cls, policy: Policy, as_of: date, lang: str) -> Words:
        snap = policy.snapshot(as_of)
        return cls(lang, policy.country, policy.currency, {ri.id: snap.title(ri, lang) for ri in policy.criteria},
                   {ri.id: snap.title(ri, lang) for ri in policy.targets}, bool(policy.fund), bool(policy.grants))

    def decision(self, code: str) -> str:
        key = f"workbook.decision.{code}"
        return t(key, self.lang) if key in catalogue(self.lang) else code

    def unit(self) -> str:
        key = f"workbook.unit.{self.currency.lower()}"
        return t(key, self.lang) if key in catalogue(self.lang) else self.currency


def new_workbook(buffer: io.BytesIO, created: date | None, date_format: str = "yyyy-mm-dd") -> Workbook:
    """An xlsxwriter workbook in memory, with a fixed creation date (so that the same run gives
    the same bytes) and the options polars uses: a text is never read as a formula."""
    from xlsxwriter import Workbook

    workbook = Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True, "strings_to_formulas": False,
                                 "strings_to_urls": False, "default_date_format": date_format})
    day = created or FIXED_DAY
    workbook.set_properties({"created": datetime(day.year, day.month, day.day)})
    return workbook


def plain_bytes(frame: pl.DataFrame, created: date | None, worksheet: str = "results", autofit: bool = True) -> bytes:
    """A table as one plain sheet, headers as ids (the other tables a run writes: the errors
    file, the hamlet table, a generated province)."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, created)
    frame.write_excel(workbook, worksheet=worksheet, autofit=autofit)
    workbook.close()
    return buffer.getvalue()


# -- the results sheet ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the results sheet: its name in the frame, heading, kind of cell and width."""

    name: str
    heading: str
    kind: str  # text, wrap, decision, whole, money, share, date
    width: float


def _heading(name: str, words: Words, money: Sequence[str]) -> str:
    lang = words.lang
    code = f"workbook.column.{name}"
    if name.startswith("amount_") and name in money:
        text = t("workbook.column.amount", lang, post=post_label(name[len("amount_"):], words.country, lang))
    elif code in catalogue(lang):
        text = t(code, lang)
    else:  # an input column: the contract's heading, or the input's own name (STT, Ghi chú)
        return headings.shipped().heading(name, lang)
    return t("workbook.money-heading", lang, name=text, unit=words.unit()) if name in money else text


def _order(frame: pl.DataFrame, words: Words, money: Sequence[str], given: Sequence[str] = ()) -> list[str]:
    """The row number, then the input's columns in the input's order (``given``: STT, Họ và tên
    … Ghi chú; an identifying column no row fills, or the input does not have, is left out), then the answer, the money (a
    post's amount only when some row has one; the fund and the grant when the pack has them),
    then the technical columns."""
    from engine.io.tables import IDENTIFYING

    own = set(ANSWER) | set(TECHNICAL) | set(RESTATED) | set(money)
    empty = {c for c, n in zip(frame.columns, frame.null_count().row(0)) if n == frame.height}
    theirs = [c for c in frame.columns if c not in own and not (c in IDENTIFYING and c in empty)]
    rank = {c: i for i, c in enumerate(given)}
    if rank:  # an identifying column the input does not have is the engine's (a candidate id made of the row)
        theirs = [c for c in theirs if c in rank or c == "row" or c not in IDENTIFYING]
    first = [c for c in theirs if c == "row"]
    inputs = first + sorted((c for c in theirs if c not in first), key=lambda c: (rank.get(c, len(rank)), theirs.index(c)))
    kept_money = [c for c in money if c in frame.columns and not (
        (c.startswith("amount_") and c in empty) or (c == "fund_monthly" and not words.fund)
        or (c == "grant_yearly" and not words.grants))]
    answer = [c for c in ANSWER if c in frame.columns or c == "reasons" and "decision" in frame.columns]
    return [*inputs, *answer, *kept_money, *[c for c in TECHNICAL if c in frame.columns]]


def _spelled(col: str, words: Mapping[str, str]) -> pl.Expr:
    """A list cell of ids (``a;b``) as their words, separated by ``; ``."""
    c = pl.col(col).cast(pl.String)
    return pl.when(c == "").then(None).otherwise(
        c.str.split(";").list.eval(pl.element().replace_strict(dict(words), default=pl.element())).list.join("; "))


def _field_labels(lang: str) -> dict[str, str]:
    """Field path → its name (``field.*`` of the catalogue), for the missing column."""
    return {code[len("field."):]: text for code, text in catalogue(lang).items() if code.startswith("field.")}


def _displayed(frame: pl.DataFrame, order: list[str], words: Words) -> pl.DataFrame:
    """The values as written: decisions and ids in words, the as-of date a date, empty texts empty."""
    exprs = []
    for name in order:
        dtype, c = frame.schema.get(name), pl.col(name)
        if name == "decision":
            decisions = frame["decision"].cast(pl.String).unique().drop_nulls().to_list()
            exprs.append(c.cast(pl.String).replace_strict({d: words.decision(d) for d in decisions}, default=c.cast(pl.String)))
        elif name == "reasons":
            exprs.append(_reasons(frame, words))
        elif name == "advisories":
            exprs.append(_spelled(name, words.criteria))
        elif name == "missing":
            exprs.append(_spelled(name, _field_labels(words.lang)))
        elif name == "as_of" and dtype is not None and not dtype.is_temporal():
            exprs.append(c.cast(pl.String).str.to_date("%Y-%m-%d", strict=False))
        elif isinstance(dtype, (pl.Categorical, pl.Enum)):
            exprs.append(c.cast(pl.String))
        else:
            exprs.append(c)
    out = frame.select([e.alias(n) for e, n in zip(exprs, order)])
    out = out.with_columns([pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
                            for c, d in out.schema.items() if d == pl.String])
    return _whole_again(out, [c for c in order if c not in OWN_TEXT and not c.startswith(("hamlet_", "candidate_"))])


#: the engine's text columns, never numbers whatever they hold
OWN_TEXT = ("decision", "reasons", "advisories", "missing", "failing", "pack", "pack_hash", "name", "case_id")


def _whole_again(frame: pl.DataFrame, passed: Sequence[str]) -> pl.DataFrame:
    """A passed-through column of whole numbers (a board's STT) comes back as numbers: the reader
    keeps an unused column as text, and a spreadsheet's number cell reads as ``1.0`` then. Only a
    column whose every value is written so: a code such as ``05`` stays text."""
    numeric = [c for c in passed if frame.schema[c] == pl.String and frame[c].null_count() < frame.height
               and bool(frame.select(pl.col(c).drop_nulls().str.contains(r"^-?[0-9]{1,15}\.0$").all()).item())]
    return frame.with_columns([pl.col(c).str.replace(r"\.0$", "").cast(pl.Int64) for c in numeric]) if numeric else frame


def _reasons(frame: pl.DataFrame, words: Words) -> pl.Expr:
    """Why: the criteria failed, by their titles, the row's input error (every problem of it), or
    why a row is no case (a totals row, a signature)."""
    from engine.io.tables import template_expr

    decision = pl.col("decision").cast(pl.String)
    fails = template_expr("workbook.reason.fails", words.lang, criteria=_spelled("failing", words.criteria))
    error = pl.col("error") if "error" in frame.columns else pl.lit(None, dtype=pl.String)
    note = pl.col("note") if "note" in frame.columns else pl.lit(None, dtype=pl.String)  # why a row is no case
    failing = pl.col("failing").cast(pl.String) if "failing" in frame.columns else pl.lit("")
    return (pl.when(decision == "error").then(error).when(decision == "skipped").then(note)
            .when(failing != "").then(fails).otherwise(None))


def _kind(name: str, dtype: pl.DataType, money: Sequence[str]) -> str:
    if name == "decision":
        return "decision"
    if name in ("reasons", "advisories", "missing"):
        return "wrap"
    if name in money:
        return "money"
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        return "date"
    if dtype.is_float() and name in SHARES:
        return "share"
    if dtype.is_numeric():
        return "whole" if dtype.is_integer() else "number"
    return "text"


#: the widest a column is made (in characters); wrapped columns hold their text over several lines
CAPS = {"wrap": 50.0, "text": 36.0, "decision": 28.0}


def _width(heading: str, series: pl.Series, kind: str, date_format: str) -> float:
    """Wide enough for the longest value (capped: long text wraps) and for the heading over two
    lines (never narrower than its longest word)."""
    longest_word = max((text_columns(w) for w in heading.split()), default=4)
    head = max(longest_word, (text_columns(heading) + 1) // 2)
    if kind in ("money", "whole", "number"):
        top: Any = series.drop_nulls().abs().max() if series.null_count() < len(series) else 0
        value = len(f"{int(top or 0):,}") + 1
    elif kind == "date":
        value = len(date_format)
    elif kind == "share":
        value = 5
    else:
        longest: Any = series.str.len_chars().max() if series.dtype == pl.String else 8
        value = int(longest or 0)
    return float(min(max(head, value, 6) + 2, CAPS.get(kind, 40.0)))


class _Formats:
    """The cell formats of a workbook, made once."""

    def __init__(self, workbook: Workbook, date_format: str):
        base = {"valign": "top"}
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9E1F2",
                                           "border": 1, "border_color": "#8EA9DB"})
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.bold = workbook.add_format({"bold": True, **base})
        self.text = workbook.add_format(base)
        self.wrap = workbook.add_format({"text_wrap": True, **base})
        self.money = workbook.add_format({"num_format": MONEY_FORMAT, **base})
        self.money_bold = workbook.add_format({"num_format": MONEY_FORMAT, "bold": True, **base})
        self.whole = workbook.add_format({"num_format": "0", **base})
        self.number = workbook.add_format({"num_format": "General", **base})
        self.share = workbook.add_format({"num_format": SHARE_FORMAT, **base})
        self.date = workbook.add_format({"num_format": date_format, "align": "left", **base})
        self.unknown = workbook.add_format({"italic": True, "font_color": "#7F7F7F", "align": "right", **base})
        self.colours = {d: workbook.add_format({"bg_color": fill, "font_color": font}) for d, (fill, font) in
                        DECISION_COLOURS.items()}

    def of(self, kind: str) -> Format:
        return {"wrap": self.wrap, "money": self.money, "whole": self.whole, "number": self.number,
                "share": self.share, "date": self.date}.get(kind, self.text)


def _write_column(sheet: Worksheet, col: int, values: list[Any], kind: str, fmt: Format, first_row: int = 1) -> None:
    """One column's cells, by the typed call of its kind; an empty cell is not written."""
    if kind in ("money", "whole", "number", "share"):
        write: Callable[..., Any] = sheet.write_number
    elif kind == "date":
        write = sheet.write_datetime
    else:
        write = sheet.write_string
    for r, v in enumerate(values, first_row):
        if v is not None:
            write(r, col, v, fmt)


def _results_sheet(workbook: Workbook, fmts: _Formats, frame: pl.DataFrame, words: Words, money: Sequence[str],
                   date_format: str, given: Sequence[str]) -> None:
    sheet = workbook.add_worksheet(t("workbook.sheet.results", words.lang))
    order = _order(frame, words, money, given)
    shown = _displayed(frame, order, words)
    cols = []
    for name in order:
        heading = _heading(name, words, money)
        kind = _kind(name, shown.schema[name], money)
        cols.append(Column(name, heading, kind, _width(heading, shown[name], kind, date_format)))
    for j, c in enumerate(cols):
        sheet.set_column(j, j, c.width)
        sheet.write_string(0, j, c.heading, fmts.header)
        _write_column(sheet, j, shown[c.name].to_list(), c.kind, fmts.of(c.kind))
    if PAYABLE in order:  # an amount not known says so, where an empty cell would read as none
        unknown = frame.select(pl.col(PAYABLE).is_null() & ~pl.col("decision").cast(pl.String).is_in(["error", "skipped"]))
        word, j = t("phrase.undetermined", words.lang), order.index(PAYABLE)
        for r in unknown.to_series().arg_true().to_list():
            sheet.write_string(r + 1, j, word, fmts.unknown)
    rows = shown.height
    sheet.set_row(0, header_height([(c.heading, c.width) for c in cols]))
    _row_heights(sheet, shown, [c for c in cols if c.kind == "wrap"])
    sheet.freeze_panes(1, 0)
    _printed(sheet)
    if cols:
        sheet.autofilter(0, 0, rows, len(cols) - 1)
    if "decision" in order and rows:
        j = order.index("decision")
        for code, fmt in fmts.colours.items():
            sheet.conditional_format(1, j, rows, j, {"type": "cell", "criteria": "==", "value": _quoted(words.decision(code)),
                                                     "format": fmt})


def header_height(cells: Sequence[tuple[str, float]]) -> float:
    """A header row's height in points for its (heading, column width) cells: as many lines as
    its longest wrapped heading takes (spreadsheets do not grow a row for wrapped text they did
    not lay out themselves)."""
    lines = 1
    for heading, width in cells:
        line, n = 0, 1
        for word in heading.split():
            size = text_columns(word)
            if line and line + 1 + size > width - 1:
                n, line = n + 1, size
            else:
                line += size + (1 if line else 0)
        lines = max(lines, n)
    return 15.0 * lines


def _row_heights(sheet: Worksheet, shown: pl.DataFrame, wrapped: Sequence[Column]) -> None:
    """Rows whose long text wraps made tall enough for it: a spreadsheet opening the file keeps
    the heights it is given, and LibreOffice does not grow a row for wrapped text by itself. The
    lines are estimated from the text's length."""
    if not wrapped or not shown.height:
        return
    lines = shown.select(pl.max_horizontal(
        [(pl.col(c.name).str.len_chars().fill_null(0) / (c.width * LETTERS_PER_WIDTH)).ceil().cast(pl.Int32) for c in wrapped]
    ).clip(1, 20).alias("n")).with_row_index("r").filter(pl.col("n") > 1)
    for r, n in lines.iter_rows():
        sheet.set_row(r + 1, 15.0 * n)


def _printed(sheet: Worksheet) -> None:
    """Printed as a board prints a list: A4 landscape, the header on every page, the pages of
    one band of rows side by side before the next band (a row's answer follows its name)."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(0)
    sheet.print_across()


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# -- the errors sheet -----------------------------------------------------------------------------


def _errors_sheet(workbook: Workbook, fmts: _Formats, errors: pl.DataFrame | None, lang: str) -> None:
    sheet = workbook.add_worksheet(t("workbook.sheet.errors", lang))
    errors = errors if errors is not None else pl.DataFrame(schema={"row": pl.Int64, "column": pl.String,
                                                                     "value": pl.String, "error": pl.String})
    several = "file" in errors.columns and errors["file"].n_unique() > 1
    names = (["file"] if several else []) + ["row", "column", "value", "error"]
    codes = {"file": "file", "row": "row", "column": "column", "value": "value", "error": "problem"}
    kinds = {"file": "text", "row": "whole", "column": "text", "value": "text", "error": "wrap"}
    widths = {"file": 30.0, "row": 8.0, "column": 24.0, "value": 24.0, "error": 70.0}
    for j, name in enumerate(names):
        sheet.set_column(j, j, widths[name])
        sheet.write_string(0, j, t(f"workbook.errors.{codes[name]}", lang), fmts.header)
        if errors.height:
            values = errors[name].cast(pl.Int64 if name == "row" else pl.String).to_list()
            if name == "column":  # a problem of the whole row (a ragged line) names no column
                values = [v or None for v in values]
            _write_column(sheet, j, values, kinds[name], fmts.of(kinds[name]))
    sheet.freeze_panes(1, 0)
    if errors.height:
        sheet.autofilter(0, 0, errors.height, len(names) - 1)
    else:
        sheet.write_string(1, 0, t("workbook.errors.none", lang), fmts.text)


# -- the summary sheet ----------------------------------------------------------------------------


class _Lines:
    """A sheet written line by line: a section title, a header row, rows of cells."""

    def __init__(self, sheet: Worksheet, fmts: _Formats, widths: Sequence[float]):
        self.sheet, self.fmts, self.row, self.widths = sheet, fmts, 0, widths
        for j, width in enumerate(widths):
            sheet.set_column(j, j, width)

    def title(self, text: str, fmt: Format | None = None) -> None:
        self.sheet.write_string(self.row, 0, text, fmt or self.fmts.bold)
        self.row += 1

    def header(self, texts: Sequence[str]) -> None:
        self.sheet.set_row(self.row, header_height([(text, self._width(j)) for j, text in enumerate(texts)]))
        for j, text in enumerate(texts):
            self.sheet.write_string(self.row, j, text, self.fmts.header)
        self.row += 1

    def cells(self, values: Sequence[Any], kinds: Sequence[str]) -> None:
        lines = max([-(-text_columns(str(v)) // int(self._width(j) * LETTERS_PER_WIDTH))
                     for j, (v, k) in enumerate(zip(values, kinds)) if v is not None and k == "text"] or [1])
        if lines > 1:  # a long text (a target's title) wraps: the row is made tall enough for it
            self.sheet.set_row(self.row, 15.0 * lines)
        for j, (value, kind) in enumerate(zip(values, kinds)):
            if value is None:
                continue
            if kind in ("money", "whole", "share", "money_bold"):
                fmt = {"money": self.fmts.money, "whole": self.fmts.whole, "share": self.fmts.share,
                       "money_bold": self.fmts.money_bold}[kind]
                self.sheet.write_number(self.row, j, value, fmt)
            elif kind == "date":
                self.sheet.write_datetime(self.row, j, value, self.fmts.date)
            else:
                fmt = {"bold": self.fmts.bold, "note": self.fmts.text}.get(kind, self.fmts.wrap)  # a note runs on to the right
                self.sheet.write_string(self.row, j, str(value), fmt)
        self.row += 1

    def _width(self, j: int) -> float:
        return self.widths[min(j, len(self.widths) - 1)]

    def gap(self) -> None:
        self.row += 1


def _open_note(known: int | None, undetermined: int, unit: str, lang: str) -> str:
    """What a money total is: exact, the known part of it ("at least"), or unknown altogether."""
    if not undetermined:
        return t("workbook.summary.exact", lang)
    if known is None:
        return t(f"workbook.summary.none-known.{unit}", lang, n=undetermined)
    return t(f"workbook.summary.at-least.{unit}", lang, n=undetermined)


def _summary_sheet(workbook: Workbook, fmts: _Formats, data: Mapping[str, Any], words: Words) -> None:
    lang = words.lang
    sheet = workbook.add_worksheet(t("workbook.sheet.summary", lang))
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    w = _Lines(sheet, fmts, [40.0, 16.0, 28.0, *[14.0] * 10])
    w.title(t("workbook.summary.title", lang, pack=data["pack"], hash=data["pack_hash"]), fmts.title)
    w.cells([t("workbook.summary.as-of", lang), date.fromisoformat(data["as_of"])], ["bold", "date"])
    w.cells([t("workbook.summary.rows", lang), data["rows"]], ["bold", "whole"])
    if data.get("errors"):
        w.cells([t("workbook.summary.errors", lang), data["errors"],
                 t("workbook.summary.errors-note", lang, sheet=t("workbook.sheet.errors", lang))], ["bold", "whole", "note"])
    w.gap()

    w.title(t("workbook.summary.by-decision", lang))
    w.header([t("workbook.column.decision", lang), t("workbook.summary.rows", lang)])
    counts = data.get("by_decision", {})
    for code in _decisions(counts):
        w.cells([words.decision(code), counts[code]], ["text", "whole"])
    w.cells([t("workbook.summary.total", lang), sum(counts.values())], ["bold", "whole"])
    w.gap()

    w.title(t("workbook.summary.money", lang))
    w.header([t("workbook.summary.item", lang), t("workbook.summary.amount", lang, unit=words.unit()),
              t("workbook.summary.undetermined", lang), t("workbook.summary.note", lang)])
    lines = [("allowance", data["allowance_monthly_at_least"], data["allowance_undetermined_rows"], "rows")]
    if words.fund:
        lines.append(("fund", data["fund_monthly_at_least"], data["fund_undetermined_hamlets"], "hamlets"))
    for key, known, open_, unit in lines:
        w.cells([t(f"workbook.summary.{key}", lang), known, open_, _open_note(known, open_, unit, lang)],
                ["text", "money_bold" if not open_ else "money", "whole", "note"])
    w.gap()

    if data.get("hamlet_heads"):
        w.title(t("workbook.summary.heads", lang))
        w.cells([t("workbook.summary.heads.count", lang), data["hamlet_heads"]], ["text", "whole"])
        w.cells([t("workbook.summary.heads.members", lang), data["hamlet_heads_party_members"]], ["text", "whole"])
        w.cells([t("workbook.summary.share", lang), data["hamlet_heads_party_member_share"]], ["text", "share"])
        w.gap()

    if data.get("rosters"):
        w.title(t("workbook.summary.rosters", lang))
        for verdict in ("ok", "problems", "undetermined"):
            if verdict in data["rosters"]:
                w.cells([t(f"roster.verdict.{verdict}", lang).lower(), data["rosters"][verdict]], ["text", "whole"])
        w.gap()

    by_area = data.get("by_area") or []
    if by_area:
        w.title(t("workbook.summary.by-area", lang))
        area = [k for k in by_area[0] if k.startswith("hamlet_")]
        decisions = _decisions({k: 1 for row in by_area for k in row if k not in area})
        w.header([*[headings.shipped().heading(c, lang) for c in area], *[words.decision(d) for d in decisions],
                  t("workbook.summary.total", lang)])
        for row in by_area:
            w.cells([*[row.get(c) for c in area], *[row.get(d, 0) for d in decisions],
                     sum(row.get(d, 0) for d in decisions)], [*["text"] * len(area), *["whole"] * (len(decisions) + 1)])
        w.gap()

    if data.get("targets"):
        w.title(t("workbook.summary.targets", lang))
        first = w.row
        w.header([t(f"workbook.summary.{k}", lang) for k in
                  ("target", "scope", "area", "by", "required", "count", "of", "share", "result", "short-by")])
        rank = {"province": 0, "district": 1, "commune": 2}  # the largest areas first, as the text summary
        targets = sorted(data["targets"], key=lambda g: (g["target"], rank.get(g["scope"], 3), g["area"]))
        sheet.autofilter(first, 0, first + len(targets), 9)  # a province has many communes: filter the ones not met
        for g in targets:
            w.cells([words.targets.get(g["target"], g["target"]), t(f"summary.scope.{g['scope']}", lang), g["area"],
                     date.fromisoformat(g["by"]), g["required_share"], g["count"], g["n"], g["share"],
                     t("workbook.summary.meets" if g["meets"] else "workbook.summary.misses", lang), g["short_by"]],
                    ["text", "text", "text", "date", "share", "whole", "whole", "share", "text", "whole"])


def _decisions(counts: Mapping[str, Any]) -> list[str]:
    return [d for d in DECISION_ORDER if d in counts] + sorted(d for d in counts if d not in DECISION_ORDER)


# -- the workbook ---------------------------------------------------------------------------------


def results_bytes(frame: pl.DataFrame, words: Words, *, errors: pl.DataFrame | None = None,
                  summary: Mapping[str, Any] | None = None, money: Sequence[str] = (), created: date | None = None,
                  inputs: Sequence[str] = ()) -> bytes:
    """The results workbook: the results sheet, the summary sheet (when a summary is given: the
    data of ``Summary.finish``) and the errors sheet (the long table of problems: row, column,
    value, error, and file for a joined run). ``money`` names the money columns; ``inputs`` the
    input's columns in its own order (the engine's ids for those it read)."""
    buffer = io.BytesIO()
    date_format = t("workbook.date-format", words.lang)
    workbook = new_workbook(buffer, created, date_format)
    fmts = _Formats(workbook, date_format)
    _results_sheet(workbook, fmts, frame, words, money, date_format, inputs)
    if summary is not None:
        _summary_sheet(workbook, fmts, summary, words)
    _errors_sheet(workbook, fmts, errors, words.lang)
    workbook.close()
    return buffer.getvalue()

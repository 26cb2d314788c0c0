"""The one grammar of a cell: how a text typed by a person becomes a number, a share or a yes/no.

Dossiers (``engine.contract.case``), tables (``engine.io.tables``) and feature tables (``engine.bdd.phrasebook``)
all read people's writing, in Vietnamese, English and spreadsheet styles. They read it here, so a
value cannot mean one thing in a dossier and another in a table. The grammar knows the *kind* of
field it reads, because ``0.646`` is a share of 64.6 % but ``1.490`` is one thousand four hundred
and ninety đồng:

- **whole numbers and money** (``whole``): ``1.490.000``, ``1,490,000``, ``1 490 000``: ``.``,
  ``,`` or a space separate groups of exactly three digits, after a first group of one to three
  digits that does not start with 0 (so ``0.646`` and ``1.5`` are no grouping); a currency mark
  at either end is ignored; ``200.0`` is 200, ``1,5`` is not whole; no exponents; at most
  ``limits.MAX_WHOLE``.
- **shares** (``share``): ``0.646``, ``0,646`` (``.`` or ``,`` is the decimal mark), ``64.6%``,
  ``64,6 %`` (divided by 100, exactly); above 1 without ``%`` is refused, as is above 100 %.
- **decimals** (``decimal``, rule coefficients and rates in features): like whole numbers, with
  a fractional part allowed.
- **yes/no** (``bool``): ``yes/no``, ``true/false``, ``có/không``, ``x``, ``1/0`` …
- **dates** (``date``): ``YYYY-MM-DD``, ``DD/MM/YYYY``, or a date-time as a spreadsheet or a
  program writes it, ``YYYY-MM-DD HH:MM:SS`` or ``YYYY-MM-DDTHH:MM:SS`` (the day is kept);
  nothing else (no ``19800101``, no number of seconds).
- **lists** (``hamlet.area``, ``posts``, ``background``): items separated by ``;`` or ``,``; one of
  ``EMPTY_LIST`` is an explicit empty list.

This is the value vocabulary of the contract, declared once: the case models, the table reader and
the feature steps read every cell with it (``tests/test_contract_once.py``); the codes each field
may hold are the ``Literal`` types of ``engine.contract.case``.

Each kind is written twice, once per value for one dossier and once as a polars expression for
a table chunk; ``tests/test_cells.py`` checks the two agree on generated values in every style.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from engine.contract import words
from engine.i18n import Msg, Num
from engine.limits import MAX_NUMBER_DIGITS, MAX_WHOLE

if TYPE_CHECKING:  # polars only for tables: one dossier's path must not pay for importing it
    import polars as pl

def _vocabulary() -> dict[str, tuple[str, ...]]:
    """The yes/no and empty-list words (``vocabulary.yaml``): what people write, data beside
    the code as the catalogues are, read once (``engine.contract.words.data``)."""
    return {key: tuple(str(w) for w in ws) for key, ws in words.data().items() if isinstance(ws, list)}


_WORDS = _vocabulary()
_LIST_WORDS = _WORDS["list_words"]
#: a whole cell that says its row is a total (``engine.io.skipped``)
TOTAL_WORDS = _WORDS["totals"]
YES = _WORDS["yes"]
NO = _WORDS["no"]
#: a list cell that says "none at all" (known and empty), as opposed to a blank cell (unknown)
EMPTY_LIST = _WORDS["empty_list"]
#: between a list cell's items: ";" and ",", and the words boards write between posts ("Bí thư chi
#: bộ kiêm trưởng thôn"; ``list_words`` in the vocabulary), as whole words
LIST_SEPARATORS = r"[;,]|" + "|".join(
    r"\s+" + re.escape(w) + r"\s+" if w.isalpha() and len(w) > 1 else r"\s*" + re.escape(w) + r"\s*" for w in _LIST_WORDS)
#: (shape, format) of each date spelling; the shape keeps the two readers (strptime, polars) exact
DATE_FORMATS = ((r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "%Y-%m-%d"), (r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$", "%d/%m/%Y"),
                (r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y-%m-%d %H:%M:%S"),
                (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y-%m-%dT%H:%M:%S"))

#: what a person is told they should have written, per kind (``cell.kind.*`` in the catalogues)
EXPECTED = {"whole": Msg.of("cell.kind.whole"), "share": Msg.of("cell.kind.share"), "decimal": Msg.of("cell.kind.decimal"),
            "bool": Msg.of("cell.kind.bool"), "date": Msg.of("cell.kind.date")}
TOO_LARGE = Msg.of("cell.kind.too-large", max=Num(MAX_WHOLE))

_SPACES = "\u00a0\u202f\u2009\u2007"  # no-break, narrow no-break, thin and figure spaces typed by spreadsheets
#: what makes a text need more than stripping: a combining mark (decomposed Vietnamese) or an odd space
UNICODE_WORK = "[\u0300-\u036f\u1dc0-\u1dff" + _SPACES + "]"
_CURRENCY = "(?:" + "|".join(re.escape(mark) for mark in _WORDS["currency"]) + ")"
_GROUPED = [r"^-?[1-9][0-9]{0,2}(?:\.[0-9]{3})+$", r"^-?[1-9][0-9]{0,2}(?:,[0-9]{3})+$", r"^-?[1-9][0-9]{0,2}(?: [0-9]{3})+$"]
_PLAIN = r"^-?[0-9]+$"
_FRACTION = r"^-?[0-9]+[.,][0-9]+$"
_SHARE = r"^(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$"


class CellError(ValueError):
    """A value that does not fit. ``problem`` says so in any language (``expected a whole
    number …``); for a cell that does not fit its kind, ``what`` is what was expected (``a whole
    number …``), which a reader may word into its own sentence. ``en``/``vi``: ``what`` (else
    ``problem``) in English and Vietnamese, for the readers that compose their own."""

    def __init__(self, problem: Msg, what: Msg | None = None):
        super().__init__(problem.localized("en"))
        self.problem, self.what = problem, what

    @classmethod
    def expected(cls, what: Msg) -> CellError:
        return cls(Msg.of("cell.expected", what=what), what)

    @property
    def en(self) -> str:
        return (self.what or self.problem).localized("en")

    @property
    def vi(self) -> str:
        return (self.what or self.problem).localized("vi")


def _fail(kind: str) -> CellError:
    return CellError.expected(EXPECTED[kind])


def normalize_text(text: str) -> str:
    """NFC (decomposed Vietnamese from some input methods would otherwise be another word),
    odd spaces made plain, and stripped."""
    text = unicodedata.normalize("NFC", text)
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return text.strip()


def _digits(text: str) -> str:
    """The number's own characters: currency marks at the ends and spaces around them gone."""
    t = normalize_text(text)
    t = re.sub(rf"^{_CURRENCY}\s*|\s*{_CURRENCY}$", "", t, flags=re.IGNORECASE)
    return re.sub(r" +", " ", t.strip())


def _ungroup(t: str) -> str:
    if any(re.fullmatch(p, t) for p in _GROUPED):
        return re.sub(r"[., ]", "", t)
    return t


def parse_decimal(text: str, kind: str = "decimal") -> Decimal:
    t = _ungroup(_digits(text))
    if re.fullmatch(_PLAIN, t) or re.fullmatch(_FRACTION, t):
        if len(t.lstrip("-").replace(",", "").replace(".", "")) > MAX_NUMBER_DIGITS:
            raise CellError.expected(TOO_LARGE)
        return Decimal(t.replace(",", "."))
    raise _fail(kind)


def parse_whole(text: str) -> int:
    value = parse_decimal(text, "whole")
    if value != value.to_integral_value():
        raise _fail("whole")
    if abs(value) > MAX_WHOLE:
        raise CellError.expected(TOO_LARGE)
    return int(value)


def parse_share(text: str) -> Decimal:
    t = _digits(text)
    pct = t.endswith("%")
    if pct:
        t = t[:-1].rstrip()
    if not re.fullmatch(_SHARE, t) or len(t) > MAX_NUMBER_DIGITS + 1:
        raise _fail("share")
    value = Decimal(t.replace(",", "."))
    if pct:
        value = value.scaleb(-2)
    if value > 1:
        raise _fail("share")
    return value


def parse_bool(text: str) -> bool:
    t = normalize_text(text).lower()
    if t in YES:
        return True
    if t in NO:
        return False
    raise _fail("bool")


def parse_date(text: str) -> date:
    t = normalize_text(text)
    for shape, fmt in DATE_FORMATS:
        if re.fullmatch(shape, t):
            try:
                return datetime.strptime(t, fmt).date()
            except ValueError:
                break
    raise _fail("date")


def split_list(text: str, field: str | None = None) -> tuple[str, ...]:
    """A list cell's items; () for one of ``EMPTY_LIST``. A blank cell is not a list (unknown).
    With ``field`` (``posts``, ``hamlet.area``), each item is read as the code its word means."""
    t = normalize_text(text)
    if t.lower() in EMPTY_LIST:
        return ()
    items = tuple(p.strip() for p in re.split(LIST_SEPARATORS, t, flags=re.IGNORECASE) if p.strip())
    if field is None:
        return items
    return tuple(words.code_of(field, item) for item in items)


# -- the vectorised twins, for table chunks ------------------------------------------------------


def text_expr(raw: pl.Expr) -> pl.Expr:
    """``normalize_text`` as an expression (NFC is applied where the text is read)."""
    t = raw
    for ch in _SPACES:
        t = t.str.replace_all(ch, " ", literal=True)
    return t.str.strip_chars()


def _digits_expr(text: pl.Expr) -> pl.Expr:
    t = text_expr(text).str.replace(rf"(?i)^{_CURRENCY}\s*", "").str.replace(rf"(?i)\s*{_CURRENCY}$", "")
    return t.str.strip_chars().str.replace_all(r" +", " ")


def _ungroup_expr(t: pl.Expr) -> pl.Expr:
    import polars as pl

    grouped = pl.any_horizontal([t.str.contains(p) for p in _GROUPED])
    return pl.when(grouped).then(t.str.replace_all(r"[., ]", "")).otherwise(t)


def whole_expr(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(value as Int64, bad) for a text column of whole numbers; null text is neither."""
    import polars as pl

    t = _ungroup_expr(_digits_expr(text))
    plain = t.str.contains(_PLAIN)
    frac = t.str.contains(_FRACTION)
    int_part = pl.when(plain).then(t).when(frac).then(t.str.extract(r"^(-?[0-9]+)[.,]", 1))
    frac_zero = pl.when(frac).then(t.str.contains(r"[.,]0+$")).otherwise(plain)
    digits = t.str.replace_all("[^0-9]", "").str.len_chars()  # every digit, as parse_decimal counts them
    value = int_part.cast(pl.Int64, strict=False)
    ok = (plain | frac) & frac_zero & (digits <= MAX_NUMBER_DIGITS) & (value.abs() <= MAX_WHOLE)
    return pl.when(ok).then(value), text.is_not_null() & ~ok.fill_null(False)


def whole_from_number(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(Int64, bad) for a numeric column (Parquet, a spreadsheet's numeric cells)."""
    import polars as pl

    f = raw.cast(pl.Float64, strict=False)
    ok = f.is_finite() & (f == f.floor()) & (f.abs() <= MAX_WHOLE)
    return pl.when(ok).then(f.cast(pl.Int64, strict=False)), raw.is_not_null() & ~ok.fill_null(False)


def share_expr(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(value as Float64, bad); a percentage is divided by 100 by moving the decimal point, so
    ``64.6 %`` reads as the same double as ``0.646``."""
    import polars as pl

    t = _digits_expr(text)
    pct = t.str.ends_with("%")
    t = pl.when(pct).then(t.str.strip_chars_end("%").str.strip_chars_end()).otherwise(t).str.replace(",", ".", literal=True)
    shaped = t.str.contains(_SHARE) & (t.str.len_chars() <= MAX_NUMBER_DIGITS + 1)
    int_part = t.str.extract(r"^([0-9]*)", 1).str.zfill(3)
    frac_part = t.str.extract(r"\.([0-9]+)$", 1).fill_null("")
    shifted = pl.concat_str([int_part.str.slice(0, int_part.str.len_chars() - 2), pl.lit("."),
                             int_part.str.slice(-2, 2), frac_part])
    value = pl.when(pct).then(shifted).otherwise(t).cast(pl.Float64, strict=False)
    ok = shaped & (value <= 1)
    return pl.when(ok).then(value), text.is_not_null() & ~ok.fill_null(False)


def share_value(value: float | int | Decimal) -> float:
    """A share given as a number (YAML, JSON, a spreadsheet's numeric cell): 0..1, finite."""
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise _fail("share") from None
    if not d.is_finite() or d < 0 or d > 1:
        raise _fail("share")
    return float(value)


def share_number_expr(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(Float64, bad) for a numeric share column: 0..1, finite."""
    import polars as pl

    f = raw.cast(pl.Float64, strict=False)
    ok = f.is_finite() & (f >= 0) & (f <= 1)
    return pl.when(ok).then(f), raw.is_not_null() & ~ok.fill_null(False)


def bool_expr(text: pl.Expr, field: str | None = None) -> tuple[pl.Expr, pl.Expr]:
    """(value, bad) for yes/no; with ``field``, its own words first ("Tốt" for health)."""
    import polars as pl

    low = text_expr(text).str.to_lowercase()
    value: pl.Expr = pl.when(low.is_in(list(YES))).then(True).when(low.is_in(list(NO))).then(False)
    if field is not None:
        own = words.vocabulary().flags.get(field)
        if own:
            spaced = words.key_expr(low)
            value = pl.when(spaced.is_in([k for k, v in own.items() if v])).then(True).when(
                spaced.is_in([k for k, v in own.items() if not v])).then(False).otherwise(value)
    return value, text.is_not_null() & value.is_null()


def code_expr(text: pl.Expr, field: str) -> pl.Expr:
    """A code column as the board wrote it, read as codes (``engine.contract.words.code_of`` for a
    column); a text that is no word of the field stays as given, for the field's check to refuse."""
    import polars as pl

    index = words.vocabulary().codes.get(field)
    if not index:
        return text
    return words.key_expr(text).replace_strict(list(index), list(index.values()), default=text, return_dtype=pl.String)


def date_expr(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(value as Date, bad) for a text column of dates, by ``DATE_FORMATS``."""
    import polars as pl

    parts = []
    for shape, fmt in DATE_FORMATS:
        parsed = text.str.to_datetime(fmt, strict=False).dt.date() if "%H" in fmt else text.str.to_date(fmt, strict=False)
        parts.append(pl.when(text.str.contains(shape)).then(parsed))
    value = pl.coalesce(parts)
    return value, text.is_not_null() & value.is_null()

"""The one cell grammar (``engine.contract.cells``): the per-value parser and its vectorised twin agree,
and values written in Vietnamese, English and spreadsheet styles read back exactly."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.contract import cells
from engine.limits import MAX_WHOLE

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@st.composite
def whole_texts(draw) -> tuple[str, int]:
    n = draw(st.integers(min_value=0, max_value=MAX_WHOLE))
    style = draw(st.sampled_from(["plain", ".", ",", " ", "\u00a0", "money_vi", "money_en", "float"]))
    if style == "plain":
        text = str(n)
    elif style == "money_vi":
        text = f"{_group(n, '.')} ₫"
    elif style == "money_en":
        text = f"{_group(n, ',')} VND"
    elif style == "float":
        text = f"{n}.0"  # a spreadsheet's numeric cell
    else:
        text = _group(n, style)
    return text, n


@st.composite
def share_texts(draw) -> tuple[str, Decimal]:
    thousandths = draw(st.integers(min_value=0, max_value=1000))
    value = Decimal(thousandths).scaleb(-3)
    style = draw(st.sampled_from(["en", "vi", "pct_en", "pct_vi", "pct_space"]))
    if style == "en":
        text = f"{value:f}"
    elif style == "vi":
        text = f"{value:f}".replace(".", ",")
    else:
        pct = f"{value.scaleb(2).normalize():f}"
        text = {"pct_en": f"{pct}%", "pct_vi": f"{pct.replace('.', ',')} %", "pct_space": f"{pct} %"}[style]
    return text, value


def _vector(fn, texts: list[str]) -> list:
    value, bad = fn(pl.col("t"))
    out = pl.DataFrame({"t": texts}, schema={"t": pl.String}).select(value.alias("v"), bad.alias("b"))
    return [None if b else v for v, b in out.iter_rows()]


@SETTINGS
@given(st.lists(whole_texts(), min_size=1, max_size=80))
def test_whole_numbers_read_back_exactly_in_every_style(items) -> None:
    texts = [t for t, _ in items]
    assert [cells.parse_whole(t) for t in texts] == [n for _, n in items]
    assert _vector(cells.whole_expr, texts) == [n for _, n in items]


@SETTINGS
@given(st.lists(share_texts(), min_size=1, max_size=80))
def test_shares_read_back_exactly_in_every_style(items) -> None:
    texts = [t for t, _ in items]
    want = [float(v) for _, v in items]
    assert [float(cells.parse_share(t)) for t in texts] == want
    assert _vector(cells.share_expr, texts) == want  # the same double, % or not


@SETTINGS
@given(st.lists(st.text(alphabet="0123456789.,% -₫eE+x１２٣\u00a0", max_size=30), min_size=1, max_size=120))
def test_the_two_parsers_agree_on_any_text(texts) -> None:
    """Junk included: both accept the same texts, with the same values."""
    def py(fn, t):
        try:
            v = fn(t)
        except cells.CellError:
            return None
        return float(v) if isinstance(v, Decimal) else v

    assert _vector(cells.whole_expr, texts) == [py(cells.parse_whole, t) for t in texts]
    assert _vector(cells.share_expr, texts) == [py(cells.parse_share, t) for t in texts]


@pytest.mark.parametrize("text,kind,want", [
    ("0.646", "share", Decimal("0.646")), ("0,685", "share", Decimal("0.685")), ("64,6 %", "share", Decimal("0.646")),
    ("1.490.000", "whole", 1_490_000), ("1,490,000", "whole", 1_490_000), ("1 490 000", "whole", 1_490_000),
    ("1.490", "whole", 1490), ("200.0", "whole", 200), ("4,5", "decimal", Decimal("4.5")),
    ("1.755.000", "decimal", Decimal(1755000)), ("có", "bool", True), ("Không", "bool", False),
])
def test_examples_of_the_grammar(text, kind, want) -> None:
    fn = {"share": cells.parse_share, "whole": cells.parse_whole, "decimal": cells.parse_decimal,
          "bool": cells.parse_bool}[kind]
    assert fn(text) == want


@pytest.mark.parametrize("text,kind", [
    ("1.3", "share"), ("101 %", "share"), ("-0.1", "share"), ("0.646", "whole"), ("1,5", "whole"),
    ("1e30", "whole"), ("99999999999999999999", "whole"), ("12 34", "whole"), ("1.49.000", "whole"),
    ("01.490", "whole"), ("maybe", "bool"), ("", "whole"),
])
def test_what_the_grammar_refuses(text, kind) -> None:
    fn = {"share": cells.parse_share, "whole": cells.parse_whole, "bool": cells.parse_bool}[kind]
    with pytest.raises(cells.CellError):
        fn(text)


@SETTINGS
@given(st.lists(st.sampled_from(["có", "Có", "không", "KHÔNG", "yes", "no", "x", "1", "0", "true", "False", "đúng",
                                 "sai", "maybe", "", " có ", "y", "n", "co", "khong"]), min_size=1, max_size=40))
def test_the_two_yes_no_readers_agree(texts) -> None:
    def py(t):
        try:
            return cells.parse_bool(t)
        except cells.CellError:
            return None

    assert _vector(cells.bool_expr, texts) == [py(t) for t in texts]

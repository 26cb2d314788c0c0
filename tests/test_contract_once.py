"""The input contract declared once (issue 14): the constraints of ``engine.contract.constraints``
and the value vocabulary of ``engine.contract.cells`` drive the dossier reader (pydantic), the
table row checks (polars) and the feature steps, so the three accept and refuse alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from engine.contract import constraints
from engine.contract.dossier import read_case
from engine.errors import InputError
from engine.io.tables import normalize, user_columns

AS_OF = date(2021, 6, 1)


def _dossier(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"hamlet": {"id": "h1"}, "candidate": {"id": "c1"}}
    for path, value in values.items():
        head, _, name = path.partition(".")
        data.setdefault(head, {})[name] = value
    return data


def _dossier_ok(values: dict[str, Any]) -> bool:
    try:
        read_case(_dossier(values), as_of=AS_OF)
    except InputError:
        return False
    return True


def _row_ok(values: dict[str, Any]) -> bool:
    names = user_columns()
    row = {"hamlet_id": "h1", "candidate_id": "c1"}
    row.update({names[p.replace(".", "__")]: None if v is None else str(v) for p, v in values.items()})
    frame, _ = normalize(pl.DataFrame({k: [v] for k, v in row.items()}, schema={k: pl.String for k in row}),
                         2, AS_OF, "VN", "en")
    return frame["_error"][0] is None


def _cases() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for path, (kind, low, high) in constraints.number_bounds().items():
        if kind == "share":
            out += [(path, v) for v in ("0", "1", "0.5", "1.0001", "-0.1", "100 %", "101 %")]
        else:
            out += [(path, v) for v in (low, low - 1, high, -5, 7)]
    for path in constraints.NOT_AFTER_AS_OF:
        out += [(path, "2021-06-01"), (path, "2021-06-02"), (path, "1980-02-29")]
    return out


@pytest.mark.parametrize(("path", "value"), _cases())
def test_every_declared_constraint_refuses_alike_in_a_dossier_and_a_table_row(path: str, value: Any) -> None:
    assert _dossier_ok({path: value}) == _row_ok({path: value}), (path, value)


@pytest.mark.parametrize(("join", "birth", "ok"), [("2000-01-01", "2001-01-01", False), ("2001-01-01", "2001-01-01", True),
                                                   ("2010-05-05", "1980-01-01", True)])
def test_not_before_refuses_alike(join: str, birth: str, ok: bool) -> None:
    values = {"candidate.party_join_date": join, "candidate.birth_date": birth}
    assert _dossier_ok(values) == _row_ok(values) == ok


def test_a_negative_post_allowance_is_refused_in_a_table_as_in_a_dossier() -> None:
    """Regression: the table row checks had no rule for post_allowance_* columns, so -5 was
    paid into the fund of a batch row while the same dossier was refused (must be at least 0)."""
    names = user_columns()
    raw = pl.DataFrame({"hamlet_id": ["h1", "h2"], names["post_allowances__hamlet_head"]: ["-5", "10"]})
    frame, _ = normalize(raw, 2, AS_OF, "VN", "en")
    assert frame["_error"].to_list() == ["post_allowance_hamlet_head: must be at least 0 (given: '-5')", None]
    with pytest.raises(InputError, match="must be at least 0"):
        read_case({"hamlet": {"id": "h"}, "post_allowances": {"hamlet_head": -5}}, as_of=AS_OF)

"""The input contract declared once (issue 14): the constraints of ``engine.contract.constraints``
and the value vocabulary of ``engine.contract.cells`` drive the dossier reader (pydantic), the
table row checks (polars) and the feature steps, so the three accept and refuse alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from engine.contract import constraints
from engine.contract.fields import number_bounds
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
    for path, (kind, low, high) in number_bounds().items():
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


def test_join_before_birth_is_reported_with_the_dossiers_other_problems() -> None:
    """Regression: the join-before-birth problem was raised on its own after validation, so a
    dossier with a bad vote share as well was fixed in two rounds; every problem is one report."""
    values = {"candidate.vote_share": 1.5, "candidate.party_join_date": "2000-01-01",
              "candidate.birth_date": "2001-01-01"}
    with pytest.raises(InputError) as err:
        read_case(_dossier(values), as_of=AS_OF)
    assert err.value.en.startswith("2 problems: candidate.vote_share: ")
    assert "candidate.party_join_date: the party join date 2000-01-01 is before the birth date 2001-01-01" in err.value.en
    assert "ngày vào Đảng 2000-01-01 trước ngày sinh 2001-01-01" in err.value.vi


def test_a_negative_post_allowance_is_refused_in_a_table_as_in_a_dossier() -> None:
    """Regression: the table row checks had no rule for post_allowance_* columns, so -5 was
    paid into the fund of a batch row while the same dossier was refused (must be at least 0)."""
    names = user_columns()
    raw = pl.DataFrame({"hamlet_id": ["h1", "h2"], names["post_allowances__hamlet_head"]: ["-5", "10"]})
    frame, _ = normalize(raw, 2, AS_OF, "VN", "en")
    assert frame["_error"].to_list() == ["post_allowance_hamlet_head: must be at least 0 (given: '-5')", None]
    with pytest.raises(InputError, match="must be at least 0"):
        read_case({"hamlet": {"id": "h"}, "post_allowances": {"hamlet_head": -5}}, as_of=AS_OF)


def test_a_hamlet_of_another_country_is_refused_alike_in_a_dossier_and_a_table() -> None:
    """The pack's country is one declared constraint (``PACK_COUNTRY``), worded once: the one-case
    check and the table's row check read it (they were two checks, each with its own words)."""
    from conftest import policy
    from engine import api

    names = user_columns()
    col = names[constraints.PACK_COUNTRY.replace(".", "__")]
    frame, _ = normalize(pl.DataFrame({"hamlet_id": ["h1", "h2", "h3"], col: ["CN", "VN", None]}), 2, AS_OF, "VN", "en")
    en_row = constraints.wrong_country_row("VN").localized("en")
    assert frame["_error"].to_list() == [f"{col}: {en_row} (given: 'CN')", None, None]
    case = read_case(_dossier({"hamlet.country": "CN"}), as_of=AS_OF)
    with pytest.raises(InputError) as err:
        api.check_post_country(policy("vn.nghe-an"), case, "<test>")
    worded = constraints.wrong_country("CN", "vn.nghe-an", "VN")
    assert (err.value.en, err.value.vi) == (worded.localized("en"), worded.localized("vi"))
    assert err.value.where.field == constraints.PACK_COUNTRY


# -- the value vocabulary: dossier, table row and feature step read every spelling alike ----------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from engine.bdd.phrasebook import parse_field_value  # noqa: E402
from engine.contract import cells  # noqa: E402
from engine.contract.fields import DERIVED, catalogue  # noqa: E402

FIELDS = [p for p in catalogue() if p.split(".")[0] in ("hamlet", "candidate") and p not in DERIVED
          and p not in ("hamlet.id", "candidate.id")]


def _spellings(path: str) -> list[str]:
    """What the declaration says a person may write in this field, and near misses."""
    ft = catalogue()[path]
    if ft.kind == "bool":
        return [*cells.YES, *cells.NO, "Có", "YES", "maybe", "2", "đ", "nope"]
    if ft.kind == "number" and ft.share:
        return ["0.646", "0,646", "64,6 %", "64.6%", "1", "0", "1.5", "150 %", "-0.1", ".5", "abc", "1e-1"]
    if ft.kind == "number":
        return ["1.490.000", "1,490,000", "1 490 000", "200.0", "1,5", "0", "-5", "007", "1e3", "many", "420 ₫"]
    if ft.kind == "date":
        return ["1980-01-31", "31/01/1980", "1980-01-31 00:00:00", "1980-01-31T10:00:00", "1980-1-31", "19800131",
                "1980-02-30", "31/1/1980", "2030-01-01", "1980/01/31", "0"]
    codes = list(ft.values or ())
    if ft.kind == "list":
        return [*codes, ";".join(codes[:2]), ", ".join(codes[:2]), *cells.EMPTY_LIST, "Không", "unknown_tag"]
    return [*codes, *(c.upper() for c in codes[:1]), "other"] if codes else ["Xóm 1", "Nghệ An"]


def _case_reads(path: str, value: Any) -> Any:
    """What a dossier holding ``value`` at ``path`` reads (lists sorted), or "refused"."""
    try:
        case = read_case(_dossier({path: value}), as_of=AS_OF)
    except InputError:
        return "refused"
    got = getattr(getattr(case, path.split(".")[0]), path.split(".")[1])
    return sorted(got) if isinstance(got, list) else got


def _dossier_reads(path: str, text: str) -> Any:
    ft = catalogue()[path]
    return _case_reads(path, list(cells.split_list(text)) if ft.kind == "list" else text)


def _feature_reads(path: str, text: str) -> Any:
    try:
        value = parse_field_value(path, text)
    except InputError:
        return "refused"
    return _case_reads(path, value)


def _table_reads(path: str, text: str) -> Any:
    from engine.backends.listcols import items
    from engine.contract.words import code_of

    col = path.replace(".", "__")
    names = user_columns()
    row = {"hamlet_id": "h1", "candidate_id": "c1", names[col]: text}
    # the pack's country is a check of the pack against the case (one_case.check_post_country), not
    # of the spelling: the table is read for a pack of the country written, where it is one
    country = "CN" if path == "hamlet.country" and code_of(path, text) == "CN" else "VN"
    frame, _ = normalize(pl.DataFrame({k: [v] for k, v in row.items()}, schema={k: pl.String for k in row}),
                         2, AS_OF, country, "en")
    if frame["_error"][0] is not None:
        return "refused"
    got = frame[col][0]
    if catalogue()[path].kind == "list":
        return sorted(items(got) or [])
    return got


@pytest.mark.parametrize("path", FIELDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_dossier_table_and_feature_read_every_spelling_alike(path: str, data: st.DataObject) -> None:
    word = data.draw(st.sampled_from(_spellings(path)))
    text = data.draw(st.sampled_from([word, f" {word} ", f"{word}\u00a0", word.upper(), word.title()]))
    dossier, table, feature = _dossier_reads(path, text), _table_reads(path, text), _feature_reads(path, text)
    assert dossier == table == feature, (path, text, dossier, table, feature)


def test_one_list_of_yes_no_words_and_of_empty_list_words() -> None:
    from engine.backends import listcols

    assert set(cells.YES).isdisjoint(cells.NO)
    assert listcols.EMPTY_LIST is cells.EMPTY_LIST
    for word in cells.YES + cells.NO:  # every reader of a yes/no field takes the one list
        assert _dossier_reads("candidate.health_ok", word) == _table_reads("candidate.health_ok", word) \
            == _feature_reads("candidate.health_ok", word) == (word in cells.YES)


@pytest.mark.parametrize(("text", "day"), [("31/01/1980", date(1980, 1, 31)), ("1980-01-31T00:00:00", date(1980, 1, 31)),
                                           ("19800131", "refused"), ("0", "refused")])
def test_dates_are_read_alike(text: str, day: Any) -> None:
    """Regression: a table read 31/01/1980 but a dossier and a feature refused it; a feature read
    19800131 (Python's basic ISO form) that the others refused; a dossier read the number 0 as
    1970-01-01 (seconds since the epoch)."""
    path = "candidate.birth_date"
    assert _dossier_reads(path, text) == _table_reads(path, text) == _feature_reads(path, text) == day
    with pytest.raises(InputError, match="expected a date"):
        read_case(_dossier({path: 0}), as_of=AS_OF)


# -- age on the as-of date: one definition ------------------------------------------------------


def test_derived_fields_are_declared_once_as_expressions() -> None:
    from engine.contract.fields import DERIVED_AS, DERIVED_FROM
    from engine.lang import parse, refs

    assert set(DERIVED_AS) == set(DERIVED) == set(DERIVED_FROM)
    for path, text in DERIVED_AS.items():
        assert set(refs(parse(text))) - {"as_of"} == set(DERIVED_FROM[path])


@settings(max_examples=60, deadline=None)
@given(births=st.lists(st.dates(min_value=date(1800, 1, 1), max_value=date(2030, 12, 31)), min_size=1, max_size=30),
       as_of=st.sampled_from([date(2021, 6, 1), date(2024, 2, 29), date(2023, 2, 28), date(2000, 3, 1)]))
def test_every_back_end_computes_the_declared_age(births: list[date], as_of: date) -> None:
    """The columnar engine's vectorised age (its table and its calendar form) and the case back
    ends' facts (``facts.derive`` of ``DERIVED_AS``) give the same age for every birth date."""
    from engine.backends.columnar import AgeTable, derived
    from engine.backends.facts import derive

    expected = [derive({"as_of": as_of, "candidate.birth_date": b})["candidate.age"] for b in births]
    frame = pl.DataFrame({"candidate__birth_date": births}, schema={"candidate__birth_date": pl.Date})
    assert frame.select(derived(as_of)[0])["candidate__age"].to_list() == expected
    assert frame.select(AgeTable(as_of).expr(frame))["candidate__age"].to_list() == expected


def test_a_table_rows_problems_are_worded_in_the_runs_language() -> None:
    """Issue 15: row problems come from the catalogues in the run's language, Chinese included."""
    raw = pl.DataFrame({"hamlet_id": ["h1"], "hamlet_households": ["many"], "party_status": ["honorary"]})
    frame, _ = normalize(raw, 2, AS_OF, "CN", "zh")
    assert frame["_error"][0] == ("hamlet_households：应为整数（如 1,490,000 或 1490000），不超过 1,000,000,000,000,000"
                                  "（填写的是：'many'）；party_status：应为以下之一：群众、预备党员、正式党员（填写的是：'honorary'）")


@pytest.mark.parametrize("path", ["candidate.term_start", "candidate.interim_since"])
def test_a_term_or_an_interim_appointment_cannot_begin_after_the_as_of_date(path: str) -> None:
    """The term start and the interim head's appointment day are dates of the past, refused alike
    in a dossier and a table row when they lie after the as-of date (``NOT_AFTER_AS_OF``)."""
    assert path in constraints.NOT_AFTER_AS_OF
    assert not _dossier_ok({path: "2021-06-02"}) and not _row_ok({path: "2021-06-02"})
    assert _dossier_ok({path: "2021-06-01"}) and _row_ok({path: "2021-06-01"})
    assert _dossier_ok({"candidate.interim": "có"}) and _row_ok({"candidate.interim": "không"})
    with pytest.raises(InputError, match=path.split(".")[1]):
        read_case(_dossier({path: "2030-01-01"}), as_of=AS_OF)

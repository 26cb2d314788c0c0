"""Verify reads the input contract (issue 14): the ranges of fields, the dates not after the as-of
date and the dates not before another are ``engine.contract.constraints``'s declarations, so
changing a declaration changes what the static checks consider possible."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.contract import constraints
from engine.lang.logic import FAtom, FieldOf, Formula
from engine.verify.solve import satisfiable, solve, solve_smt, witness_case

AS_OF = date(2021, 6, 1)


def _possible(test: Formula) -> bool:
    """Verify's answer, both by interval reasoning and by z3, which must agree and be proofs."""
    sol, exact = solve((test,), AS_OF)
    smt = solve_smt((test,), {}, AS_OF)
    assert exact and smt is not None and smt[1]
    assert (sol is None) == (smt[0] is None), (sol, smt)
    return sol is not None


def test_a_shares_declared_range_bounds_what_verify_considers_possible(monkeypatch: pytest.MonkeyPatch) -> None:
    high = FAtom(">", "candidate.vote_share", Decimal("0.9"))
    assert _possible(high)
    monkeypatch.setitem(constraints.BOUNDS, "share", (0.0, 0.5))
    assert not _possible(high)


def test_a_whole_numbers_declared_range_bounds_what_verify_considers_possible(monkeypatch: pytest.MonkeyPatch) -> None:
    many = FAtom(">", "hamlet.population", Decimal(5000))
    assert _possible(many)
    monkeypatch.setitem(constraints.BOUNDS, "whole", (0, 1000))
    assert not _possible(many)


def test_the_declared_age_range_bounds_what_verify_considers_possible(monkeypatch: pytest.MonkeyPatch) -> None:
    old = FAtom(">", "candidate.age", Decimal(150))
    assert not _possible(old)
    monkeypatch.setitem(constraints.DERIVED_BOUNDS, "candidate.age", (0, 200))
    assert _possible(old)


def test_the_dates_declared_not_after_the_as_of_date(monkeypatch: pytest.MonkeyPatch) -> None:
    unborn = FAtom(">", "candidate.birth_date", date(2030, 1, 1))
    assert not _possible(unborn)
    monkeypatch.setattr(constraints, "NOT_AFTER_AS_OF", ("candidate.party_join_date",))
    assert _possible(unborn)


def test_the_dates_declared_not_before_another(monkeypatch: pytest.MonkeyPatch) -> None:
    early = FAtom("<", "candidate.party_join_date", FieldOf("candidate.birth_date"))
    assert satisfiable(early, as_of=AS_OF) == (None, True)
    monkeypatch.setattr(constraints, "NOT_BEFORE", ())
    sol, exact = satisfiable(early, as_of=AS_OF)
    assert exact and sol is not None and sol["candidate.party_join_date"] < sol["candidate.birth_date"]


def test_an_age_is_realized_by_the_date_it_is_declared_to_count_from() -> None:
    case = witness_case({"candidate.age": 40}, AS_OF, "VN")
    assert case["candidate"]["birth_date"] == "1981-05-31"


def test_a_witness_respects_the_dates_declared_not_before_another() -> None:
    """Regression: interval reasoning picked each date of a conjunction on its own, so a party join
    date before 1990 with any birth date gave the witness born 2000 (a dossier refused), and a join
    before 1990 of a person born after 1995 was called possible; an age counts from the birth date."""
    from engine.contract.dossier import read_case
    from engine.lang.logic import FPresent, all_of

    early = FAtom("<", "candidate.party_join_date", date(1990, 1, 1))
    for other in (FPresent("candidate.birth_date"), FAtom(">", "candidate.age", Decimal(20))):
        sol, exact = satisfiable(all_of(early, other), as_of=AS_OF)
        assert exact and sol is not None
        read_case(witness_case(sol, AS_OF, "VN"), as_of=AS_OF)  # a valid dossier
    for other in (FAtom(">", "candidate.birth_date", date(1995, 1, 1)), FAtom("<", "candidate.age", Decimal(20))):
        assert satisfiable(all_of(early, other), as_of=AS_OF) == (None, True)


def test_a_witness_never_holds_posts_of_two_kinds_of_unit() -> None:
    """A case cannot hold a hamlet's post and an agency's (refused as input): verify knows it, so a
    witness is always a dossier that reads, and asking for both is proved impossible."""
    from engine.contract.dossier import read_case
    from engine.lang.logic import FHas

    both = (FHas("posts", "party_committee_secretary", True), FHas("posts", "hamlet_head", True))
    assert solve(both, AS_OF)[0] is None and solve_smt(both, {}, AS_OF)[0] is None
    # one agency post asked for: the witness reads as a dossier
    sol, exact = satisfiable(FHas("posts", "party_committee_secretary", True), {}, AS_OF)
    assert sol is not None and exact
    assert read_case(witness_case(sol, AS_OF, "VN"), "<witness>", AS_OF).posts == ["party_committee_secretary"]

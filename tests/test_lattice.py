"""The decision lattice is declared once (``engine.policy.lattice``) and read by every back end."""

from __future__ import annotations

import inspect
from itertools import combinations

from engine.backends import columnar
from engine.policy import lattice, outcome
from engine.policy.lattice import STATUSES, decide, payable


def test_the_order_of_the_decisions() -> None:
    for n in range(len(STATUSES) + 1):
        for combo in combinations(STATUSES, n):
            s = set(combo)
            want = ("ineligible" if "fail" in s else "undetermined" if "unknown" in s else "not_applicable" if not s
                    else "eligible_with_conditions" if "waived" in s else "eligible")
            assert decide(combo, True) == want, combo
            assert decide(combo, False) == (want if want in ("ineligible", "undetermined") else "not_applicable")


def test_what_is_owed() -> None:
    assert payable("ineligible", None, False) == 0 and payable("ineligible", 7, True) == 0
    assert payable("undetermined", 7, True) is None and payable("eligible", 7, False) is None
    assert payable("eligible", 7, True) == 7 and payable("eligible_with_conditions", None, True) is None


def test_no_back_end_spells_the_lattice_itself() -> None:
    """The fold and the columnar plan read the tables; neither writes the order out again."""
    fold_src, plan_src = inspect.getsource(outcome.fold), inspect.getsource(columnar.CompiledColumns._plan)
    assert "decide(" in fold_src and "WAIVERS" in fold_src and "WAIVERS" in plan_src and "DECISION_RULES" in plan_src
    for src in (fold_src, plan_src):
        assert '"eligible_with_conditions"' not in src and '"ineligible"' not in src
    assert "PAYABLE_RULES" in inspect.getsource(columnar.CompiledColumns._payable)
    assert outcome.payable is lattice.payable

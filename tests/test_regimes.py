"""Regimes of issue 16 that change answers by date: the two-tier reform (no districts from
2025-07-01, the commune cadre's rate left to the province), Decree 34/2019's silence on
residential groups of 500 households, villages converted into residential groups, and grants
that are surely none before they began.
"""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from cli import run
from conftest import CN_BASE, VN_BASE, decide, merge


def _table(tmp_path, rows: list[dict]) -> str:
    path = tmp_path / "cases.csv"
    pl.DataFrame(rows).write_csv(path)
    return str(path)


HEADS = [  # two communes of one province, in two former districts; every head a party member but one
    {"hamlet_id": f"h{i}", "hamlet_province": "Đà Nẵng", "hamlet_district": d, "hamlet_commune": c,
     "hamlet_kind": "village", "hamlet_households": 200, "hamlet_area": "none", "candidate_id": f"c{i}",
     "birth_date": "1975-01-01", "party_status": "full" if i != 3 else "none", "permanent_residence": "yes",
     "status": "hamlet_nonprofessional", "vote_share": "70 %", "disciplined": "no", "health_ok": "yes",
     "posts": "party_cell_secretary;hamlet_head"}
    for i, (d, c) in enumerate([("Hòa Vang", "Hòa Bắc"), ("Hòa Vang", "Hòa Bắc"), ("Hòa Vang", "Hòa Tiến"),
                                ("Hòa Vang", "Hòa Tiến")])
]


def _summary(tmp_path, as_of: str) -> dict:
    out, summary = tmp_path / f"out-{as_of}.csv", tmp_path / f"summary-{as_of}.json"
    assert run(["batch", _table(tmp_path, HEADS), "--pack", "vn.da-nang", "--as-of", as_of, "-o", str(out),
                "--summary", str(summary)]) == 0
    return json.loads(summary.read_text(encoding="utf-8"))


def test_targets_and_areas_have_no_district_after_the_two_tier_reform(tmp_path) -> None:
    before, after = _summary(tmp_path, "2025-06-30"), _summary(tmp_path, "2025-07-01")
    assert {t["scope"] for t in before["targets"]} == {"commune", "district", "province"}
    assert {t["scope"] for t in after["targets"]} == {"commune", "province"}
    communes = {t["area"]: t["meets"] for t in after["targets"] if t["scope"] == "commune"}
    assert communes == {"Đà Nẵng / Hòa Bắc": True, "Đà Nẵng / Hòa Tiến": False}
    assert set(before["by_area"][0]) >= {"hamlet_province", "hamlet_district"}
    assert "hamlet_district" not in after["by_area"][0] and "hamlet_commune" in after["by_area"][0]


def test_the_commune_cadres_rate_for_hamlet_posts_is_the_provinces_from_the_reform() -> None:
    data = merge(VN_BASE, {"candidate.status": "commune_civil_servant", "posts": ["party_cell_secretary"],
                           "post_allowances": {"party_cell_secretary": 1_755_000}})
    before = decide("vn", data, date(2025, 6, 30))
    after = decide("vn", data, date(2025, 7, 1))
    assert before.allowance.lines[0].amount == 1_755_000
    assert after.allowance.lines[0].amount is None and after.allowance.monthly_total is None
    assert after.decision == "eligible"  # the money is open, the eligibility is not
    assert any(s.doc == "decree-170-2025" and s.confidence == "medium" for s in after.allowance.lines[0].source)


def test_a_residential_group_of_500_households_under_decree_34_is_undetermined_not_3() -> None:
    group = {"hamlet": {"id": "g", "country": "VN", "kind": "residential_group", "households": 520, "area": []}}
    d = decide("vn", group, date(2023, 7, 31))
    assert d.fund.monthly is None and d.fund.row == "vn.fund.group-500-2019"
    assert "params.fund_coef_group_500_2019" in d.fund.missing
    small = decide("vn", merge(group, {"hamlet.households": 499}), date(2023, 7, 31))
    assert small.fund.monthly == 3 * 1_800_000


def test_a_village_turned_residential_group_keeps_the_higher_fund() -> None:
    group = {"hamlet": {"id": "g", "country": "VN", "kind": "residential_group", "households": 420,
                        "area": ["converted_from_village"], "converted_from_village_households": 380}}
    assert decide("vn", group, date(2024, 7, 1)).fund.coefficient == 6.0
    assert decide("vn", merge(group, {"hamlet.converted_from_village_households": 300}), date(2024, 7, 1)).fund.coefficient == 4.5
    assert decide("vn", merge(group, {"hamlet.area": []}), date(2024, 7, 1)).fund.coefficient == 4.5
    assert decide("vn", merge(group, {"hamlet.converted_from_village_households": ...}), date(2024, 7, 1)).fund.monthly is None


def test_henans_grant_is_none_before_2019_not_undetermined(tmp_path) -> None:
    data = merge(CN_BASE, {"posts": ["party_cell_secretary", "hamlet_head"]})
    assert decide("cn.henan", data, date(2018, 6, 1)).allowance.yearly_total == 0
    assert decide("cn.henan", data, date(2019, 6, 1)).allowance.yearly_total == 50_000
    assert decide("cn", data, date(2019, 6, 1)).allowance.yearly_total is None  # a pack without grants says nothing


def test_where_the_sources_conflict_the_answer_shows_both_and_picks_neither(tmp_path) -> None:
    """Nghe An, August to December 2023: Resolution 22/2019's 75 % against Decree 33/2023's 100 %
    (issue 16). The line is undetermined in every engine, with each figure and its source."""
    data = merge(VN_BASE, {"candidate.status": "hamlet_nonprofessional", "posts": ["party_cell_secretary", "hamlet_head"],
                           "post_allowances": {"party_cell_secretary": 1_755_000, "hamlet_head": 2_340_000}})
    for backend in ("durable", "reference"):
        d = decide("vn.nghe-an", data, date(2023, 9, 1), backend=backend)
        line = next(ln for ln in d.allowance.lines if ln.post == "hamlet_head")
        assert line.amount is None and d.allowance.monthly_total is None and d.decision == "eligible"
        assert [(c.value, c.source[0].doc) for c in line.conflicts] == [
            (0.75, "resolution-22-2019-nghe-an"), (1.0, "decree-33-2023")]
        assert "75 %" in line.reason and "100 %" in line.reason
    assert decide("vn.nghe-an", data, date(2023, 7, 31)).allowance.lines[1].amount == 1_755_000
    # the batch counts it as undetermined too, never as a figure
    row = {"hamlet_id": "h", "hamlet_kind": "village", "hamlet_households": 200, "hamlet_area": "none",
           "candidate_id": "c", "birth_date": "1980-01-01", "party_status": "full", "permanent_residence": "yes",
           "status": "hamlet_nonprofessional", "vote_share": "80 %", "disciplined": "no", "health_ok": "yes",
           "posts": "party_cell_secretary;hamlet_head", "post_allowance_party_cell_secretary": 1755000,
           "post_allowance_hamlet_head": 2340000}
    out = tmp_path / "out.csv"
    assert run(["batch", _table(tmp_path, [row]), "--pack", "vn.nghe-an", "--as-of", "2023-09-01", "-o", str(out)]) == 0
    got = pl.read_csv(out, infer_schema=False).row(0, named=True)
    assert got["amount_hamlet_head"] is None and got["allowance_monthly_total"] is None


def test_a_conflict_is_a_null_value_with_two_figures(tmp_path) -> None:
    from engine.errors import KiemnhiemError
    from engine.policy.loader import load_policy

    import pytest

    bad = tmp_path / "p.yaml"
    bad.write_text("parameters:\n  concurrent_rate_cadre:\n    values:\n      2023-08-01:\n        value: 0.5\n"
                   "        conflicts:\n          - {value: 0, source: {doc: decree-33-2023}}\n"
                   "          - {value: 1, source: {doc: decree-33-2023}}\n", encoding="utf-8")
    with pytest.raises(KiemnhiemError, match="conflict"):
        load_policy("vn", proposal=bad)


def test_chinas_term_is_told_as_in_force_on_the_date() -> None:
    data = merge(CN_BASE, {"posts": ["hamlet_head"]})
    before = next(n for n in decide("cn", data, date(2018, 6, 1)).notes if n.id == "cn.note.term")
    after = next(n for n in decide("cn", data, date(2019, 1, 1)).notes if n.id == "cn.note.term")
    assert before.text.startswith("The village committee's term is 3 years")
    assert after.text.startswith("The village committee's term is 5 years")

"""Dated values at their boundaries, and exact money."""

from __future__ import annotations

from datetime import date

from conftest import VN_BASE, decide, merge

ILLUSTRATIVE = {"post_allowances": {"party_cell_secretary": 1755000, "hamlet_head": 2340000}}


def test_fund_changes_on_2023_08_01() -> None:
    large = merge(VN_BASE, {"hamlet.households": 350})
    before = decide("vn", large, date(2023, 7, 31)).fund
    after = decide("vn", large, date(2023, 8, 1)).fund
    assert (before.coefficient, before.base_salary, before.monthly) == (5.0, 1800000, 9000000)
    assert (after.coefficient, after.base_salary, after.monthly) == (6.0, 1800000, 10800000)
    small = decide("vn", VN_BASE, date(2023, 7, 31)).fund
    assert (small.coefficient, small.monthly) == (3.0, 5400000)
    assert decide("vn", VN_BASE, date(2023, 8, 1)).fund.monthly == 8100000


def test_base_salary_changes_on_2024_07_01() -> None:
    assert decide("vn", VN_BASE, date(2024, 6, 30)).fund.monthly == 4.5 * 1800000
    after = decide("vn", VN_BASE, date(2024, 7, 1)).fund
    assert after.monthly == 10530000 and isinstance(after.monthly, int)
    large = merge(VN_BASE, {"hamlet.households": 420})
    assert decide("vn", large, date(2024, 7, 1)).fund.monthly == 14040000


def test_residential_group_of_500_households_only_counts_from_2023() -> None:
    """Decree 33/2023 names residential groups of 500 households; Decree 34/2019 is silent on them,
    so before 2023-08-01 their fund is undetermined (issue 16), not the 3.0× of other hamlets."""
    group = merge(VN_BASE, {"hamlet.kind": "residential_group", "hamlet.households": 500})
    before = decide("vn", group, date(2023, 7, 31)).fund
    assert (before.row, before.monthly) == ("vn.fund.group-500-2019", None)
    assert decide("vn", group, date(2023, 8, 1)).fund.row == "vn.fund.large-2023"


def test_border_commune_gets_the_higher_fund() -> None:
    border = merge(VN_BASE, {"hamlet.area": ["border"], "hamlet.households": 80})
    assert decide("vn", border, date(2025, 1, 1)).fund.coefficient == 6.0


def test_fund_before_decree_34_is_undetermined() -> None:
    d = decide("vn", VN_BASE, date(2019, 6, 24))
    assert d.fund.monthly is None


def test_nghe_an_concurrent_rate_75_then_unknown() -> None:
    data = merge(VN_BASE, ILLUSTRATIVE)
    d = decide("vn.nghe-an", data, date(2023, 7, 31))
    lines = {ln.post: ln for ln in d.allowance.lines}
    assert lines["party_cell_secretary"].rate == 1.0 and lines["party_cell_secretary"].amount == 1755000
    assert lines["hamlet_head"].rate == 0.75 and lines["hamlet_head"].amount == 1755000  # 0.75 × 2,340,000
    assert d.allowance.monthly_total == 3510000
    # August to December 2023 the sources conflict (Decree 33/2023's 100 %): undetermined, both shown
    d = decide("vn.nghe-an", data, date(2023, 12, 31))
    assert next(ln for ln in d.allowance.lines if ln.post == "hamlet_head").amount is None
    d = decide("vn.nghe-an", data, date(2024, 1, 1))
    lines = {ln.post: ln for ln in d.allowance.lines}
    assert lines["hamlet_head"].amount is None
    # the reason is read by people: the parameter by its title (the pack's concurrent_rate_nonprofessional)
    assert "not set: «Concurrent rate for a non-professional holding another post»" in lines["hamlet_head"].reason
    assert d.allowance.monthly_total is None
    assert d.decision == "eligible"  # an unknown allowance does not unsettle eligibility


def test_national_rate_is_100_percent_from_2023_08_01() -> None:
    data = merge(VN_BASE, ILLUSTRATIVE)
    d = decide("vn", data, date(2023, 8, 1))
    assert [ln.amount for ln in d.allowance.lines] == [1755000, 2340000]
    d = decide("vn", data, date(2023, 7, 31))
    assert d.allowance.lines[1].amount is None  # no national rate known under Decree 34/2019


def test_commune_cadre_gets_nothing_in_nghe_an_2021() -> None:
    data = merge(VN_BASE, {**ILLUSTRATIVE, "candidate.status": "commune_cadre"})
    d = decide("vn.nghe-an", data, date(2021, 6, 1))
    assert [(ln.role, ln.rate, ln.amount) for ln in d.allowance.lines] == [("concurrent", 0.0, 0), ("concurrent", 0.0, 0)]


def test_rounding_is_half_up_to_the_dong() -> None:
    data = merge(VN_BASE, {"post_allowances": {"party_cell_secretary": 1000, "hamlet_head": 1001}})
    d = decide("vn.nghe-an", data, date(2021, 6, 1))
    assert d.allowance.lines[1].amount == 751  # 0.75 × 1001 = 750.75


def test_henan_grant_is_a_yearly_line() -> None:
    from conftest import CN_BASE

    d = decide("cn.henan", CN_BASE, date(2025, 1, 1))
    grant = [ln for ln in d.allowance.lines if ln.period == "year"]
    assert [(g.post, g.amount) for g in grant] == [("cn.henan.one-shoulder-grant", 50000)]
    assert d.allowance.yearly_total == 50000
    single = merge(CN_BASE, {"posts": ["hamlet_head"]})
    assert not [ln for ln in decide("cn.henan", single, date(2025, 1, 1)).allowance.lines if ln.period == "year"]
    ineligible = merge(CN_BASE, {"candidate.vote_share": 0.4})
    lines = decide("cn.henan", ineligible, date(2025, 1, 1)).allowance.lines
    assert not [ln for ln in lines if ln.period == "year"]

"""The feature runner as a library: structured results (file, line, step, expected and actual in
the feature's language), runs in one process that never leak into one another, coverage gaps as
values, ``compare`` without a subprocess, and an unreadable post allowance is an error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from engine.bdd.results import FeatureRun
from engine.bdd.runner import render_run, run_features
from engine.whatif.compare import broken_scenarios
from test_drafting import NEW_SCENARIO

PROPOSAL = ROOT / "proposals" / "nghe-an-concurrent-100.yaml"

VI = NEW_SCENARIO  # the drafter's 420-household fund scenario, with {fund} to fill in

EN = """Feature: A hamlet's decision
  Scenario: a hamlet of 420 households
    Given the rule pack "vn"
    And the as-of date is 2024-07-01
    And a hamlet:
      | kind       | village |
      | households | 420     |
      | area       | none    |
    When the case is evaluated
    Then the decision is "{decision}"
    And the monthly fund is undetermined
"""


def _features(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "x.feature").write_text(text, encoding="utf-8")
    return folder


def test_a_passing_run_as_values(tmp_path: Path) -> None:
    run = run_features(_features(tmp_path, "ok", VI.format(fund="14.040.000")))
    assert isinstance(run, FeatureRun) and run.ok and run.exit_code == 0
    [s] = run.scenarios
    assert (s.file, s.line, s.name, s.language, s.outcome, s.failure) == (
        tmp_path / "ok" / "x.feature", 3, "Thôn 420 hộ năm 2024", "vi", "passed", None)
    assert run.coverage is None  # not asked, and not the shipped features
    assert render_run(run, "en").endswith("1 passed, 0 failed\n")


def test_a_failing_run_in_vietnamese_as_values(tmp_path: Path) -> None:
    run = run_features(_features(tmp_path, "vi", VI.format(fund="14.000.000")))
    assert run.exit_code == 1
    [s] = run.failed
    assert (s.file.name, s.line, s.keyword, s.language) == ("x.feature", 3, "Kịch bản", "vi")
    f = s.failure
    assert (f.step, f.line) == ("Thì quỹ phụ cấp hằng tháng là 14.000.000", 11)
    assert (f.message, f.expected, f.actual) == ("quỹ phụ cấp hằng tháng", "14000000", "14040000")
    assert "Quỹ phụ cấp" in f.explanation
    text = render_run(run, "vi")
    assert f"{s.file}:3  Kịch bản: Thôn 420 hộ năm 2024\n  bước (dòng 11): Thì quỹ phụ cấp hằng tháng là 14.000.000\n" in text
    assert "  quỹ phụ cấp hằng tháng — mong đợi: 14000000 · thực tế: 14040000\n" in text
    assert "During handling" not in text and "None" not in text and text.endswith("0 kịch bản đạt, 1 không đạt\n")


def test_a_failing_run_in_english_and_undetermined_values(tmp_path: Path) -> None:
    run = run_features(_features(tmp_path, "en", EN.format(decision="ineligible")))
    [s] = run.failed
    f = s.failure
    assert (s.line, s.keyword, s.language) == (2, "Scenario", "en")
    assert (f.step, f.line, f.message, f.expected, f.actual) == (
        'Then the decision is "ineligible"', 10, "decision", "ineligible", "not_applicable")
    assert "step (line 10): Then the decision is \"ineligible\"" in render_run(run, "en")
    run = run_features(_features(tmp_path, "en2", EN.format(decision="not_applicable")))
    [s] = run.failed
    assert (s.failure.line, s.failure.expected, s.failure.actual) == (11, "undetermined", "14040000")


def test_two_runs_in_one_process_do_not_leak(tmp_path: Path) -> None:
    folder = ROOT / "features" / "vn.nghe-an"
    base = run_features(folder)
    with_proposal = run_features(folder, pack="vn.nghe-an", proposal=PROPOSAL)
    again = run_features(folder)
    assert base.ok and not base.failed and again.ok
    assert [s.nodeid for s in base.scenarios] == [s.nodeid for s in again.scenarios]
    assert len(with_proposal.failed) == 2 and with_proposal.exit_code == 1
    assert all("75 %" in s.name and s.failure.actual == "100 %" for s in with_proposal.failed)


def test_coverage_gaps_as_values(tmp_path: Path) -> None:
    run = run_features(_features(tmp_path, "cov", VI.format(fund="14.040.000")), coverage=True)
    assert run.exit_code == 1 and run.coverage is not None
    gaps = {(g.rule, g.origin): g for g in run.coverage.gaps}
    assert gaps[("vn.head.min_age", "vn")].missing == ("pass", "fail")
    row = next(r for r in run.coverage.rows if r.rule == "vn.fund.large-2023")
    assert row.passes and not row.fails
    idle = run_features(_features(tmp_path, "idle", 'Feature: idle\n  Scenario: nothing\n    Given the rule pack "vn"\n'),
                        coverage=True)
    assert [s.name for s in idle.coverage.idle] == ["nothing"]


def test_compare_broken_scenarios_without_a_subprocess(monkeypatch) -> None:
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("no subprocess")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    broken = broken_scenarios("vn.nghe-an", PROPOSAL)
    assert len(broken) == 2
    # each example of the outline (line 30) at its own Examples row, by its name and values, not pytest's id
    assert [b.split("  ")[0] for b in broken] == ["features/vn.nghe-an/phu-cap-kiem-nhiem.feature:41",
                                                  "features/vn.nghe-an/phu-cap-kiem-nhiem.feature:42"]
    assert all("[" not in b and "(ngày: 20" in b for b in broken)


@pytest.mark.parametrize("amount", ["chưa xác định", "nhiều"])
def test_an_unreadable_post_allowance_is_an_error_naming_the_step(tmp_path: Path, amount: str) -> None:
    text = VI.format(fund="14.040.000").replace("    Khi xét hồ sơ", f'    Và phụ cấp của chức danh "hamlet_head" là {amount}\n    Khi xét hồ sơ')
    run = run_features(_features(tmp_path, "pa", text))
    [s] = run.failed
    assert s.failure.line == 10 and s.failure.step == f'Và phụ cấp của chức danh "hamlet_head" là {amount}'
    assert "phụ cấp của chức danh 'hamlet_head' phải là một số tiền" in s.failure.message


ZH = """# language: zh-CN
功能: 湖北的村
  场景: 人口 1,200 的村“一肩挑”
    假如使用规则包 "cn.hubei"
    并且审查日期为 2025-01-01
    并且有一个村：
      | population       | 1200 |
      | election_turnout | 88 % |
    并且有一名候选人：
      | birth_date                   | 1962-03-03 |
      | party_status                 | full       |
      | vote_share                   | 58 %       |
      | deprived_of_political_rights | 否         |
    并且担任职务 "party_cell_secretary, hamlet_head"
    当审查此案
    那么结论为 "{decision}"
    并且每年补助合计为 {yearly}
"""


def test_a_chinese_feature_runs_and_fails_in_chinese(tmp_path: Path) -> None:
    run = run_features(_features(tmp_path, "zh-ok", ZH.format(decision="符合条件", yearly="待定")))
    assert run.ok and [(s.keyword, s.language) for s in run.scenarios] == [("场景", "zh")]
    assert render_run(run, "zh").endswith("1 个场景通过，0 个未通过\n")
    run = run_features(_features(tmp_path, "zh-bad", ZH.format(decision="不符合条件", yearly="12x")))
    [s] = run.failed
    assert (s.failure.step, s.failure.line, s.failure.message, s.failure.expected, s.failure.actual) == (
        '那么结论为 "不符合条件"', 16, "结论", "ineligible", "eligible")
    text = render_run(run, "zh")
    assert f"{s.file}:3  场景: 人口 1,200 的村“一肩挑”\n  步骤（第 16 行）：那么结论为 \"不符合条件\"\n" in text
    assert "  结论 — 预期：ineligible · 实际：eligible\n" in text and text.endswith("0 个场景通过，1 个未通过\n")
    run = run_features(_features(tmp_path, "zh-amount", ZH.format(decision="符合条件", yearly="12x")))
    [s] = run.failed
    assert s.failure.line == 17 and s.failure.message.startswith("'12x'：应为")  # what the cell reader expected



PARAM = """# language: vi
Tính năng: Một tham số do kịch bản đặt
  Kịch bản: người 25 tuổi ứng cử trưởng thôn
    Cho gói quy tắc "vn"
    Và ngày xét là 2025-06-01
    Và tham số "{param}" là {value}
    Và một ứng viên:
      | birth_date | 2000-01-01 |
    Và các chức danh "hamlet_head"
    Khi xét hồ sơ
    Thì tiêu chí "vn.head.min_age" là "{status}"
"""


@pytest.mark.parametrize("value,status", [("30", "không đạt"), ("25", "đạt"), ("21", "đạt")])
def test_a_parameter_set_by_a_scenario_holds_for_that_scenario(tmp_path: Path, value: str, status: str) -> None:
    """``Cho tham số "head_min_age" là 30``: the pack with that value on every date, for this scenario
    only (as ``compare --set``); without the step, the pack's own value (21) decides."""
    text = PARAM.format(param="head_min_age", value=value, status=status)
    run = run_features(_features(tmp_path, "param", text))
    assert run.ok, render_run(run, "en")
    run = run_features(_features(tmp_path, "unset", text.replace(f'    Và tham số "head_min_age" là {value}\n', "")))
    if status == "đạt":
        assert run.ok
    else:
        [s] = run.failed
        assert (s.failure.expected, s.failure.actual) == ("fail", "pass")


@pytest.mark.parametrize("param,value,needle", [
    ("head_min", "30", "gói vn không có tham số 'head_min'; các tham số của gói: "),
    ("head_min_age", "nhiều", "'nhiều'"),
    ("head_min_age", "25,5", "không phải kiểu count"),  # a count is whole: the pack's type holds
])
def test_a_parameter_a_scenario_cannot_set_is_an_error_naming_it(tmp_path: Path, param: str, value: str, needle: str) -> None:
    run = run_features(_features(tmp_path, "bad", PARAM.format(param=param, value=value, status="đạt")))
    [s] = run.failed
    assert needle in s.failure.message and s.failure.step == "Khi xét hồ sơ"

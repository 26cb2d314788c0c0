"""The drafter's workflow: feature hygiene, the phrasebook, new scenarios without Python,
proposals that break exactly the scenarios depending on them, and coverage gaps failing CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from engine.bdd import phrasebook
from engine.bdd.dialect import dialect
from engine.bdd.featurelint import feature_files, language_of, lint_paths, lint_text
from engine.i18n import LANGS
from engine.policy.loader import find_packs

PACKS = set(find_packs())


def _ids() -> set[str]:
    from conftest import policy

    return {ri.id for p in PACKS for ri in policy(p).items}


def test_shipped_features_are_clean() -> None:
    assert lint_paths(feature_files(ROOT / "features"), PACKS, _ids()) == []


def test_every_keyword_set_is_used() -> None:
    langs = {language_of(f.read_text(encoding="utf-8")): f for f in feature_files(ROOT / "features")}
    assert set(langs) == {"vi", "en", "zh-CN"}
    hainan = {f.name for f in (ROOT / "features" / "cn.hainan").glob("*.feature")}
    assert len(hainan) == 2  # one pack written in both languages
    # the Chinese packs' drafters write in Chinese: a feature of the base pack and of a province
    assert {f.parent.name for f in feature_files(ROOT / "features") if "# language: zh-CN" in f.read_text(encoding="utf-8")} \
        >= {"cn", "cn.hubei"}


CHINESE = """# language: zh-CN
功能: 试写
  场景: 一个场景
    假如使用规则包 "cn.hunan"
    假若审查日期为 2025-01-01
    并且有一个村：
      | population | 800 |
      | mianji     | 5   |
    当审查此案
    那么结论为 "符合条件"
    并且资格条件 "cn.head.nianling" 的结果为 "通过"
    并且天气很好
"""


def test_lint_reads_a_chinese_feature_with_the_parsers_keywords() -> None:
    found = [(f.line, f.code) for f in lint_text(CHINESE, "x.feature", PACKS, _ids())]
    assert found == [(4, "feature.lint.unknown-pack"), (5, "feature.lint.not-a-step"), (8, "feature.lint.table-field"),
                     (11, "feature.lint.unknown-rule"), (12, "feature.lint.unknown-step")]
    messages = [f.message("zh") for f in lint_text(CHINESE, "x.feature", PACKS, _ids())]
    assert messages[1].startswith("x.feature:5: 不是步骤，解析器会跳过此行：'假若审查日期为 2025-01-01'；请以 假如、假设、假定、当、那么、并且")
    assert messages[4].endswith("`kiemnhiem steps --lang zh`")


def test_a_description_line_that_starts_like_a_keyword_is_not_a_step() -> None:
    """``当`` (when) and ``同时`` (and) begin many Chinese sentences: in a feature's description
    they are text, unless the rest is a phrasebook step put before any scenario."""
    text = ('# language: zh-CN\n功能: 说明\n  同时，本文件说明一个规则。\n  当村民选举有效时……\n'
            '  假如使用规则包 "cn"\n  场景: 空\n    假如使用规则包 "cn"\n')
    assert [(f.line, f.code) for f in lint_text(text, "x.feature", PACKS, _ids())] == [(5, "feature.lint.step-outside")]


BROKEN = """# language: vi
Tính năng: Thử
  Kịch bản: Một kịch bản
    Cho gói quy tắc "vn.ha-noi"
    Giả sử ngày xét là 2025-01-01
    Và một thôn:
      | households | 200 |
      | dien_tich  | 5   |
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và tiêu chí "vn.head.tuoi" là "đạt"
    Và trời đẹp
"""


def test_lint_reports_each_mistake_with_its_line() -> None:
    findings = {(f.line, f.code) for f in lint_text(BROKEN, "x.feature", PACKS, _ids())}
    messages = [f.message("en") for f in lint_text(BROKEN, "x.feature", PACKS, _ids())]
    assert any(m.startswith("x.feature:4: unknown pack 'vn.ha-noi'") for m in messages)
    assert any(m.startswith("x.feature:5: not a step, and the parser would skip it: 'Giả sử ngày xét") for m in messages)
    assert any(m.startswith("x.feature:8: unknown field 'dien_tich'") for m in messages)
    assert any(m.startswith("x.feature:11: unknown rule id 'vn.head.tuoi'") for m in messages)
    assert any(m.startswith("x.feature:12: unknown step 'trời đẹp'") for m in messages)
    assert len(findings) == 5
    vi = lint_text(BROKEN, "x.feature", PACKS, _ids())[1].message("vi")
    assert "không phải một bước" in vi


def test_phrasebook_lists_every_step_in_every_language() -> None:
    for lang in LANGS:
        text = phrasebook.render(lang)
        for step in phrasebook.STEPS:
            assert step.sentence(lang) in text
    assert "Khung kịch bản" in phrasebook.render("vi")
    assert "场景大纲" in phrasebook.render("zh") and '假如使用规则包 "{pack}"' in phrasebook.render("zh")


def test_phrasebook_examples_are_valid_steps() -> None:
    for step in phrasebook.STEPS:
        for lang in LANGS:
            example = step.example(lang)
            split = dialect(lang).split_step(example.splitlines()[0])
            assert split is not None, (lang, example)
            assert phrasebook.step_regex(step.sentence(lang)).match(split[1]), (lang, example)


def test_the_shown_keywords_are_the_parsers() -> None:
    """The keywords the phrasebook writes are ones the Gherkin parser knows for the dialect, and
    every step sentence of a language is told apart from the others of its kind."""
    for lang in LANGS:
        words = dialect(lang)
        for kind in ("given", "when", "then", "and", "but"):
            assert words.shown[kind] in words.by_kind[kind], (lang, kind)
        for kind, shown in (("feature", "feature"), ("background", "background"), ("scenario", "scenario"),
                            ("outline", "scenario"), ("examples", "examples")):
            assert words.shown[kind] in words.sections[shown], (lang, kind)
        for step in phrasebook.STEPS:
            example = dialect(lang).split_step(step.example(lang).splitlines()[0])
            assert example is not None
            others = [s.key for s in phrasebook.STEPS if s.kind == step.kind and s.key != step.key
                      and phrasebook.step_regex(s.sentence(lang)).match(example[1])]
            assert others == [], (lang, step.key, others)


def test_the_words_of_every_language_are_read() -> None:
    assert phrasebook.DECISION_WORDS["不符合条件"] == "ineligible"
    assert phrasebook.DECISION_WORDS["đủ điều kiện, kèm điều kiện"] == "eligible_with_conditions"
    assert phrasebook.STATUS_WORDS["未通过"] == "fail" and phrasebook.STATUS_WORDS["not applicable"] == "not_applicable"
    assert phrasebook.parse_amount("待定") is None and phrasebook.parse_amount("1,755,000") == 1755000
    assert phrasebook.parse_field_value("candidate.deprived_of_political_rights", "否") is False
    assert phrasebook.parse_field_value("candidate.deprived_of_political_rights", "không") is False
    assert phrasebook.parse_field_value("hamlet.area", "无") == [] and phrasebook.parse_field_value("hamlet.area", "không") == []


def _kiemnhiem(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KIEMNHIEM_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=ROOT,
                          env=full_env, timeout=300)


NEW_SCENARIO = """# language: vi
Tính năng: Kịch bản mới của người soạn thảo, chỉ dùng câu trong sổ tay
  Kịch bản: Thôn 420 hộ năm 2024
    Cho gói quy tắc "vn"
    Và ngày xét là 2024-07-01
    Và một thôn:
      | kind       | village |
      | households | 420     |
      | area       | không   |
    Khi xét hồ sơ
    Thì quỹ phụ cấp hằng tháng là {fund}
"""


def test_a_new_vietnamese_scenario_runs_without_python_changes(tmp_path: Path) -> None:
    (tmp_path / "moi.feature").write_text(NEW_SCENARIO.format(fund="14.040.000"), encoding="utf-8")
    done = _kiemnhiem("test", "--features", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 0 failed" in done.stdout
    (tmp_path / "moi.feature").write_text(NEW_SCENARIO.format(fund="14.000.000"), encoding="utf-8")
    done = _kiemnhiem("test", "--features", str(tmp_path), "--lang", "vi")
    assert done.returncode == 1
    # reported at the feature's file and line, the step at its line, the values in the feature's words
    assert f"{tmp_path / 'moi.feature'}:3  Kịch bản: Thôn 420 hộ năm 2024" in done.stdout
    assert "  bước (dòng 11): Thì quỹ phụ cấp hằng tháng là 14.000.000" in done.stdout
    assert "  quỹ phụ cấp hằng tháng — mong đợi: 14000000 · thực tế: 14040000" in done.stdout
    assert "During handling" not in done.stdout and "test_features.py" not in done.stdout
    assert "0 kịch bản đạt, 1 không đạt" in done.stdout


def test_a_broken_feature_is_refused_before_running(tmp_path: Path) -> None:
    (tmp_path / "x.feature").write_text(BROKEN, encoding="utf-8")
    done = _kiemnhiem("test", "--features", str(tmp_path), "--lang", "vi")
    assert done.returncode == 2
    assert "x.feature:5: không phải một bước" in done.stderr
    assert "Traceback" not in done.stderr


def test_changing_one_parameter_breaks_exactly_the_scenarios_that_depend_on_it() -> None:
    done = _kiemnhiem("test", "--pack", "vn.nghe-an", "--proposal", str(ROOT / "proposals" / "nghe-an-concurrent-100.yaml"))
    assert done.returncode == 1
    failing = [line for line in done.stdout.splitlines() if re.match(r"^features/\S+\.feature:\d+  ", line)]
    assert len(failing) == 2, done.stdout
    assert all("hamlet_nonprofessional-75 %" in f or "commune_nonprofessional-75 %" in f for f in failing)
    assert all(f.startswith("features/vn.nghe-an/phu-cap-kiem-nhiem.feature:30  Khung kịch bản: ") for f in failing)
    assert "tỷ lệ của hamlet_head — mong đợi: 75 % · thực tế: 100 %" in done.stdout
    assert "Nghị quyết 22/2019/NQ-HĐND tỉnh Nghệ An" in done.stdout  # the reason cites the source of the value, by its title
    assert done.stdout.rstrip().endswith("2 failed")


def test_a_coverage_gap_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "moi.feature").write_text(NEW_SCENARIO.format(fund="14.040.000"), encoding="utf-8")
    done = _kiemnhiem("test", "--features", str(tmp_path), "--coverage")
    assert done.returncode == 1
    assert "RULE NOT COVERED: vn.head.min_age [vn]: no scenario where it passes or fails or is waived" in done.stdout
    assert "✔ pass  ✘ fail/waived   vn.fund.large-2023" in done.stdout


def test_a_scenario_that_exercises_no_rule_fails_the_coverage_check(tmp_path: Path) -> None:
    (tmp_path / "idle.feature").write_text(
        'Feature: idle\n  Scenario: nothing evaluated\n    Given the rule pack "vn"\n    And the as-of date is 2025-01-01\n',
        encoding="utf-8")
    done = _kiemnhiem("test", "--features", str(tmp_path), "--coverage")
    assert done.returncode == 1
    assert "SCENARIO EXERCISES NO RULE" in done.stdout


@pytest.mark.parametrize("lang,word", [("vi", "Cho gói quy tắc"), ("en", "Given the rule pack")])
def test_steps_command(lang: str, word: str) -> None:
    done = _kiemnhiem("steps", "--lang", lang)
    assert done.returncode == 0 and word in done.stdout

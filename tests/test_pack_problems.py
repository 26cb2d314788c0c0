"""A pack's problems are collected and reported together, each with its code, file, line and
rule, so that a drafter fixes a broken pack in one round instead of one mistake per run; and the
policy built from a pack is frozen (nothing is filled in afterwards)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from engine import api
from engine.errors import PackProblems, RuleFileError

# four mistakes of the build phase, in two files of an overlay over ``vn``
OVERLAY_CRITERIA = """criteria:
  - id: x.parse
    title: {vi: "Sai cú pháp", en: "Does not parse"}
    condition: candidate.age >=
    source: {doc: circular-04-2012}
  - id: x.source
    title: {vi: "Nguồn lạ", en: "Unknown source"}
    condition: candidate.age >= 21
    source: {doc: no-such-document}
  - id: x.ok
    title: {vi: "Thường trú", en: "Resident"}
    condition: candidate.permanent_residence
    waivable: true
    source: {doc: circular-04-2012}
"""
OVERLAY_EXCEPTIONS = """exceptions:
  - id: x.waiver
    title: {vi: "Miễn", en: "Waiver"}
    waives: [no.such.criterion]
    condition: candidate.permanent_residence
    obligation: {vi: "x", en: "x"}
    source: {doc: circular-04-2012}
  - id: x.placeholder
    title: {vi: "Trên {params.no_such}", en: "Above {params.no_such}"}
    waives: [x.ok]
    condition: candidate.permanent_residence
    obligation: {vi: "x", en: "x"}
    source: {doc: circular-04-2012}
"""


def _overlay(tmp_path: Path, files: dict[str, str]) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    pack = rules / "vn.broken"
    pack.mkdir()
    (pack / "pack.yaml").write_text("id: vn.broken\nversion: '1'\ntitle: {vi: Hỏng, en: Broken}\njurisdiction: x\n"
                                    "currency: VND\nextends: vn\n", encoding="utf-8")
    for name, text in files.items():
        (pack / name).write_text(text, encoding="utf-8")
    return rules


def _refused(rules: Path, pack: str = "vn.broken") -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        api.load_policy(pack, [rules])
    return info.value


def test_every_problem_of_the_build_is_reported_at_once(tmp_path: Path) -> None:
    rules = _overlay(tmp_path, {"a.yaml": OVERLAY_CRITERIA, "b.yaml": OVERLAY_EXCEPTIONS})
    err = _refused(rules)
    assert isinstance(err, PackProblems), err.message("en")
    found = [(p.code, Path(p.where.file or "").name, p.where.rule) for p in err.problems]
    assert found == [
        ("pack.expression", "a.yaml", "x.parse"),
        ("pack.source-undeclared", "a.yaml", "x.source"),
        ("pack.title-placeholder", "b.yaml", "x.placeholder"),
        ("pack.waives-unknown", "b.yaml", "x.waiver"),
    ]
    assert all(p.where.line for p in err.problems)  # each at its line
    text = err.message("en")
    assert text.startswith("pack vn.broken: 4 problems in the rules:")
    assert text.count("\n  - ") == 4 and "no-such-document" in text and "no.such.criterion" in text
    assert err.message("vi").startswith("gói vn.broken: 4 lỗi trong quy tắc:")


def test_every_file_with_invalid_sections_is_reported_at_once(tmp_path: Path) -> None:
    rules = _overlay(tmp_path, {
        "a.yaml": "criteria:\n  - id: x.a\n    title: {vi: a, en: a}\n    condition: 'true'\n    colour: red\n",
        "b.yaml": "rates:\n  - id: x.b\n    title: {vi: b, en: b}\n    role: boss\n    rate: 1\n",
    })
    err = _refused(rules)
    assert isinstance(err, PackProblems)
    assert [(Path(p.where.file or "").name, p.where.line, p.code) for p in err.problems] == [
        ("a.yaml", 5, "pack.invalid"), ("b.yaml", 4, "pack.invalid")]


def test_one_problem_is_reported_as_before(tmp_path: Path) -> None:
    rules = _overlay(tmp_path, {"a.yaml": OVERLAY_CRITERIA.split("  - id: x.source")[0]})
    err = _refused(rules)
    assert not isinstance(err, PackProblems)
    assert err.code == "pack.expression" and err.where.rule == "x.parse" and err.exit_code == 2


def test_the_command_line_and_lint_show_every_problem(tmp_path: Path) -> None:
    from cli import run

    rules = _overlay(tmp_path, {"a.yaml": OVERLAY_CRITERIA, "b.yaml": OVERLAY_EXCEPTIONS})
    case = ROOT / "examples" / "vn.nghe-an" / "quy-hop-secretary-and-head.yaml"
    assert case.is_file()
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "cli.py"), "evaluate", str(case), "--pack", "vn.broken",
                          "--rules", str(rules), "--as-of", "2025-06-01", "--lang", "en"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.count("\n  - ") == 4, out.stderr
    assert run(["rules", "lint", "vn.broken", "--rules", str(rules)]) == 1
    _, findings = api.lint_packs(["vn.broken"], rules=[rules])
    assert sorted(f.rules[0] for f in findings if f.code == "load-error") == [
        "x.parse", "x.placeholder", "x.source", "x.waiver"]


def test_the_policy_is_frozen() -> None:
    pol = api.load_policy("vn.nghe-an")
    with pytest.raises(dataclasses.FrozenInstanceError):
        pol.criteria = ()  # type: ignore[misc]
    ri = pol.criteria[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ri.nodes = {}  # type: ignore[misc]
    assert "condition" in ri.nodes  # complete when built
    pd = next(iter(pol.params.values()))
    assert isinstance(pd.history, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pd.history = ()  # type: ignore[misc]


def test_a_long_list_of_problems_is_cut_in_the_message_and_whole_in_lint(tmp_path: Path) -> None:
    """A pack broken everywhere: the message lists the first ``MAX_PROBLEMS`` (it must stay
    readable, in two languages), says how many there are and where to see them all; ``rules lint``
    gives every one."""
    from engine.errors import MAX_PROBLEMS

    many = "criteria:\n" + "".join(
        f"  - id: x.bad{i:02d}\n    title: {{vi: x, en: x}}\n    condition: candidate.age >= 21\n"
        f"    source: {{doc: no-such-document-{i}}}\n" for i in range(MAX_PROBLEMS + 5))
    rules = _overlay(tmp_path, {"a.yaml": many})
    err = _refused(rules)
    assert isinstance(err, PackProblems) and len(err.problems) == MAX_PROBLEMS + 5
    text = err.message("en")
    assert text.count("\n  - ") == MAX_PROBLEMS and f"{MAX_PROBLEMS + 5} problems" in text and "rules lint" in text
    _, findings = api.lint_packs(["vn.broken"], rules=[rules])
    assert len([f for f in findings if f.code == "load-error"]) == MAX_PROBLEMS + 5

"""Broken and hostile rule packs and dossiers (issue 12): each is a located message, exit code 2.

Every case here was found by fuzzing and crashed ("internal error", exit 3), hung, or was
silently accepted before the fix. ``tests/test_fuzz_inputs.py`` keeps the class closed.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from cli import run
from conftest import ROOT
from engine import api, limits
from engine.errors import InputError, RuleFileError

DON_DUA = ROOT / "examples" / "vn.nghe-an" / "don-dua-civil-servant-secretary.yaml"
EVAL = ["--pack", "vn.nghe-an", "--as-of", "2021-06-01"]


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rules_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, symlinks=True)
    return rules


def refused(rules: Path, pack: str = "vn.nghe-an", proposal: Path | None = None) -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        api.load_policy(pack, [rules], proposal)
    return info.value


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CRITERION = """criteria:
  - id: vn.test.hostile
    title: {{vi: x, en: x}}
    posts: [hamlet_head]
    condition: "{condition}"
    source: {{doc: circular-04-2012}}
"""


# -- 1. expressions nested too deeply or too long ------------------------------------------------


@pytest.mark.parametrize("condition", [
    "(" * 130 + "candidate.age >= 21" + ")" * 130,
    "not " * 200 + "candidate.disciplined",
    "candidate.age >= " + "-" * 200 + "21",
    "candidate.age >= " + " + ".join(["1"] * 300),
])
def test_deeply_nested_condition_is_a_located_error(tmp_path: Path, condition: str) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition=condition), encoding="utf-8")
    err = refused(rules)
    assert (err.where.pack, err.where.rule, err.where.line) == ("vn", "vn.test.hostile", 5)
    assert f"nested more than {limits.MAX_EXPRESSION_DEPTH} levels deep" in err.message("en")
    assert "lồng sâu quá" in err.message("vi")


def test_deeply_nested_proposal_is_a_located_error(tmp_path: Path, capsys) -> None:
    proposal = tmp_path / "proposal.yaml"
    proposal.write_text(CRITERION.format(condition="(" * 300 + "candidate.age >= 21" + ")" * 300), encoding="utf-8")
    code, out, err = cli(capsys, "evaluate", str(DON_DUA), *EVAL, "--proposal", str(proposal))
    assert code == 2 and out == ""
    assert "proposal.yaml" in err and "line 5" in err and "vn.test.hostile" in err and "nested more than" in err


def test_expression_too_long_is_a_located_error(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    condition = " or ".join(["candidate.age >= 21"] * 300)
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition=condition), encoding="utf-8")
    err = refused(rules)
    assert err.where.rule == "vn.test.hostile"
    assert f"at most {limits.MAX_EXPRESSION_CHARS:,} are allowed" in err.message("en")


def test_an_expression_at_the_limits_still_loads(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    depth = limits.MAX_EXPRESSION_DEPTH - 2
    condition = "(" * depth + "candidate.age >= 21" + ")" * depth
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition=condition), encoding="utf-8")
    pol = api.load_policy("vn.nghe-an", [rules])
    assert pol.item("vn.test.hostile") is not None


def test_number_in_an_expression_with_too_many_digits(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition="candidate.age >= " + "9" * 40),
                                             encoding="utf-8")
    err = refused(rules)
    assert err.where.rule == "vn.test.hostile" and "digits" in err.message("en")

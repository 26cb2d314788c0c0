"""Broken and hostile rule packs and dossiers (issue 12): each is a located message, exit code 2.

Every case here was found by fuzzing and crashed ("internal error", exit 3), hung, or was
silently accepted before the fix. ``tests/test_fuzz_inputs.py`` keeps the class closed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from cli import run
from conftest import ROOT
from engine import api, limits
from engine.errors import InputError, PackProblems, RuleFileError

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


# -- 2. numbers with too many digits ------------------------------------------------------------


@pytest.mark.parametrize("number", ["9" * 4301, "9" * 19, "0x" + "f" * 40, "1" + "_000" * 10])
def test_number_with_too_many_digits_is_a_located_error(tmp_path: Path, number: str) -> None:
    rules = rules_copy(tmp_path)
    replace_in(rules / "vn" / "parameters.yaml", "value: 350,", f"value: {number},")
    err = refused(rules)
    assert err.where.file.endswith("parameters.yaml") and err.where.line is not None and err.where.pack == "vn"
    assert f"at most {limits.MAX_NUMBER_DIGITS} digits" in err.message("en")


# -- 3. not UTF-8 ------------------------------------------------------------------------------


def test_rule_file_not_utf8_names_file_and_line(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_bytes("# first line\n# caf\xe9\n".encode("latin-1"))
    err = refused(rules)
    assert err.where.file.endswith("extra.yaml") and err.where.line == 2 and err.where.pack == "vn"
    assert "not UTF-8" in err.message("en")
    code, _, stderr = cli(capsys, "rules", "show", "vn", "--rules", str(rules))
    assert code == 2 and "extra.yaml" in stderr and "internal error" not in stderr


# -- 4. complex YAML keys ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "parameters:\n  ? {a: 1}\n  : 1\n"])
def test_complex_yaml_key_is_a_located_error(tmp_path: Path, text: str) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_text(text, encoding="utf-8")
    err = refused(rules)
    assert err.where.file.endswith("extra.yaml") and err.where.line in (1, 2)
    assert "a key must be a plain value" in err.message("en")


# -- 5. folders, links and pipes where a rule file is expected ---------------------------------


def test_folder_named_yaml_in_a_pack(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "old.yaml").mkdir()
    err = refused(rules)
    assert err.where.file.endswith("old.yaml") and "a folder, not a file" in err.message("en")


def test_dangling_and_looping_links_in_a_pack(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    os.symlink(tmp_path / "nowhere.yaml", rules / "vn" / "gone.yaml")
    err = refused(rules)
    assert err.where.file.endswith("gone.yaml") and "which does not exist" in err.message("en")
    (rules / "vn" / "gone.yaml").unlink()
    os.symlink("loop-b.yaml", rules / "vn" / "loop-a.yaml")
    os.symlink("loop-a.yaml", rules / "vn" / "loop-b.yaml")
    err = refused(rules)
    # both links of the loop are reported, in one report
    assert isinstance(err, PackProblems), err.message("en")
    assert [p.where.file.rsplit("/", 1)[-1] for p in err.problems] == ["loop-a.yaml", "loop-b.yaml"]
    assert all("a link that cannot be followed" in p.message("en") for p in err.problems)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_yaml_does_not_hang(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    os.mkfifo(rules / "vn" / "pipe.yaml")
    start = time.monotonic()
    err = refused(rules)
    assert time.monotonic() - start < 10
    assert err.where.file.endswith("pipe.yaml") and "not a regular file" in err.message("en")


def test_a_link_to_a_rule_file_elsewhere_is_followed(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    moved = tmp_path / "criteria.yaml"
    shutil.move(rules / "vn.nghe-an" / "criteria.yaml", moved)
    os.symlink(moved, rules / "vn.nghe-an" / "criteria.yaml")
    assert api.load_policy("vn.nghe-an", [rules]).hash == api.load_policy("vn.nghe-an").hash


def test_an_editors_hidden_lock_file_is_not_read(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    os.symlink("user@host.1234:1700000000", rules / "vn" / ".#criteria.yaml")  # what Emacs leaves
    assert api.load_policy("vn.nghe-an", [rules]).hash == api.load_policy("vn.nghe-an").hash


# -- 6. alias bombs and huge values in messages -------------------------------------------------


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    parts = ["&a0 [" + ", ".join(["lol"] * width) + "]"]
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


def test_alias_bomb_as_a_wrong_typed_parameter_value_is_refused_fast(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    bomb = _alias_bomb()
    assert len(bomb) < 1400
    replace_in(rules / "vn" / "parameters.yaml", "value: 350,", f"value: {bomb},")
    start = time.monotonic()
    code, out, err = cli(capsys, "evaluate", str(DON_DUA), *EVAL, "--rules", str(rules))
    assert time.monotonic() - start < 10
    assert code == 2 and "parameters.yaml" in err and f"more than {limits.MAX_YAML_ALIASES} YAML aliases" in err
    assert len(err) < 2000


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    replace_in(rules / "vn" / "parameters.yaml", "      2019-06-25: {value: 350, source: {doc: decree-34-2019, article: \"Art. 2(6)\"}}",
               "      2019-06-25: {value: 350, source: &src {doc: decree-34-2019, article: \"Art. 2(6)\"}}")
    replace_in(rules / "vn" / "parameters.yaml", "      2023-08-01: {value: 350, source: {doc: decree-33-2023, article: \"Art. 34(2)(a)\"}}",
               "      2023-08-01: {value: 350, source: *src}")
    pol = api.load_policy("vn.nghe-an", [rules])
    assert pol.params["fund_large_village_households"].history[1][1].source.doc == "decree-34-2019"


def test_a_huge_wrong_value_gives_a_short_message(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    huge = "x" * (1024 * 1024)
    replace_in(rules / "vn" / "parameters.yaml", "value: 350,", f"value: '{huge}',")
    err = refused(rules)
    assert err.where.rule == "fund_large_village_households"
    assert len(err.message("en")) < 1000 and len(err.message("vi")) < 1000
    assert "1,048,578 characters" in err.message("en") or "characters" in err.message("en")
    rules2 = rules_copy(tmp_path / "again")
    replace_in(rules2 / "vn" / "parameters.yaml", "type: count\n    unit: households", f"type: '{huge}'\n    unit: households")
    err = refused(rules2)
    assert len(err.message("en")) < 1000


def test_a_long_broken_expression_is_quoted_short(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition="not " * 200 + "candidate.disciplined"),
                                             encoding="utf-8")
    err = refused(rules)
    assert "nested more than" in err.en and len(err.en) < 300 and "(823 characters)" in err.en


def test_a_huge_key_gives_a_short_message(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_text(f"parameters:\n  ? {'X' * 500_000}\n  : {{type: count}}\n", encoding="utf-8")
    err = refused(rules)
    assert len(err.message("en")) < 1500 and "lower_snake_case" in err.message("en")


# -- 7. non-finite numbers ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1.0e+999"])
def test_non_finite_parameter_is_refused_at_load(tmp_path: Path, capsys, value: str) -> None:
    rules = rules_copy(tmp_path)
    replace_in(rules / "vn" / "parameters.yaml", "value: 3.0,", f"value: {value},")
    err = refused(rules)
    assert err.where.file.endswith("parameters.yaml") and err.where.line is not None
    assert "finite" in err.message("en") or "digits" in err.message("en")
    for argv in (["evaluate", str(DON_DUA), *EVAL], ["rules", "show", "vn"], ["rules", "lint", "vn"]):
        code, _, stderr = cli(capsys, *argv, "--rules", str(rules))
        assert code in (1, 2) and "internal error" not in stderr


def test_lint_reports_a_non_finite_parameter_as_an_error(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    replace_in(rules / "vn" / "parameters.yaml", "value: 3.0,", "value: .nan,")
    code, out, _ = cli(capsys, "rules", "lint", "vn", "--rules", str(rules))
    assert code == 1 and "load-error" in out and "finite" in out


# -- 7b. parameter values the type check used to let through or crash on ------------------


def test_parameter_beyond_the_largest_whole_number(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    replace_in(rules / "vn" / "parameters.yaml", "value: 1300000,", f"value: {limits.MAX_WHOLE * 10},")
    err = refused(rules)
    assert err.where.rule == "base_salary" and f"larger than {limits.MAX_WHOLE:,}" in err.message("en")


def test_a_fund_coefficient_that_comes_to_more_than_the_largest_whole_number(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    text = (rules / "vn" / "allowances.yaml").read_text(encoding="utf-8")
    big = " * ".join(["999999999999999999"] * 3)
    (rules / "vn" / "allowances.yaml").write_text(re.sub(r"coefficient: .*", f'coefficient: "{big}"', text),
                                                  encoding="utf-8")
    code, _, err = cli(capsys, "evaluate", str(DON_DUA), *EVAL, "--rules", str(rules))
    assert code == 2 and "allowances.yaml" in err and "coefficient" in err
    assert f"larger than {limits.MAX_WHOLE:,}" in err and "internal error" not in err


def test_a_date_parameter_that_is_not_a_date(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_text(
        "parameters:\n  some_day: {type: date, source: {doc: decree-34-2019}, values: {2020-01-01: 'soon'}}\n",
        encoding="utf-8")
    err = refused(rules)
    assert err.where.rule == "some_day" and "not a date" in err.message("en")


# -- 8. a target's period ----------------------------------------------------------------------


def test_a_target_whose_period_ends_before_it_starts_is_a_lint_error(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    replace_in(rules / "vn.da-nang" / "targets.yaml", "    metric:",
               "    effective: {from: 2030-01-01, to: 2020-01-01}\n    metric:")
    code, out, _ = cli(capsys, "rules", "lint", "vn.da-nang", "--rules", str(rules), "--format", "json")
    assert code == 1
    found = {(f["code"], tuple(f["rules"])): f for f in json.loads(out)}
    finding = found[("empty-period", ("da-nang.target.party-member-heads",))]
    assert finding["severity"] == "error" and finding["file"].endswith("targets.yaml")


def test_lint_on_a_rule_in_force_until_the_end_of_time(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition="candidate.age >= 21")
                                             + "    effective: {to: 9999-12-31}\n", encoding="utf-8")
    code, _, err = cli(capsys, "rules", "lint", "vn", "--rules", str(rules))
    assert code in (0, 1) and "internal error" not in err


# -- 9. a user's rules folder that cannot be used ----------------------------------------------


def test_rules_folder_with_an_invalid_pack_id_fails_loudly(tmp_path: Path, capsys) -> None:
    rules = tmp_path / "mine"
    shutil.copytree(ROOT / "rules" / "vn.nghe-an", rules / "vn.nghe-an")
    replace_in(rules / "vn.nghe-an" / "pack.yaml", "id: vn.nghe-an", "id: VN.NGHE_AN")
    for argv in (["evaluate", str(DON_DUA), *EVAL], ["rules", "list"], ["rules", "lint"]):
        code, out, err = cli(capsys, *argv, "--rules", str(rules))
        assert code == 2, (argv, out, err)
        assert str(rules / "vn.nghe-an" / "pack.yaml") in err and "id" in err
        assert "internal error" not in err


@pytest.mark.parametrize("make", ["missing", "file", "empty", "a-pack-itself", "no-id", "twice"])
def test_rules_folder_that_cannot_be_used_fails_loudly(tmp_path: Path, capsys, make: str) -> None:
    given = tmp_path / "mine"
    if make == "file":
        given.write_text("x", encoding="utf-8")
    elif make == "empty":
        given.mkdir()
    elif make == "a-pack-itself":
        shutil.copytree(ROOT / "rules" / "vn.nghe-an", given)
    elif make == "no-id":
        shutil.copytree(ROOT / "rules" / "vn.nghe-an", given / "vn.nghe-an")
        replace_in(given / "vn.nghe-an" / "pack.yaml", "id: vn.nghe-an\n", "")
    elif make == "twice":
        shutil.copytree(ROOT / "rules" / "vn.nghe-an", given / "vn.nghe-an")
        shutil.copytree(ROOT / "rules" / "vn.nghe-an", given / "copy")
    code, out, err = cli(capsys, "evaluate", str(DON_DUA), *EVAL, "--rules", str(given))
    assert code == 2 and out == "" and str(given) in err and "internal error" not in err


def test_environment_rules_folder_that_does_not_exist_fails_loudly(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KIEMNHIEM_RULES", str(tmp_path / "nowhere"))
    code, _, err = cli(capsys, "evaluate", str(DON_DUA), *EVAL)
    assert code == 2 and "nowhere" in err and "does not exist" in err


# -- 10. rule-file size and nesting ------------------------------------------------------------


def test_rule_file_too_large(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "big.yaml").write_text("# " + "x" * limits.MAX_RULE_FILE_BYTES + "\n", encoding="utf-8")
    err = refused(rules)
    assert err.where.file.endswith("big.yaml") and f"at most {limits.MAX_RULE_FILE_BYTES:,}" in err.message("en")


@pytest.mark.parametrize("depth", [limits.MAX_NESTING + 1, 200, 5000])
def test_rule_file_nested_too_deeply(tmp_path: Path, depth: int) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "deep.yaml").write_text("remove: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    err = refused(rules)
    assert err.where.file.endswith("deep.yaml") and err.where.line == 1
    assert "nest" in err.en


def test_nesting_through_an_alias_counts(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    half = limits.MAX_NESTING // 2 + 1
    text = "x-deep: &d " + "[" * half + "]" * half + "\nremove: " + "[" * half + "*d" + "]" * half + "\n"
    (rules / "vn" / "deep.yaml").write_text(text, encoding="utf-8")
    err = refused(rules)
    assert err.where.line == 2 and "nested more than" in err.message("en")


def test_recursive_alias(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    (rules / "vn" / "self.yaml").write_text("remove: &r [a, *r]\n", encoding="utf-8")
    err = refused(rules)
    assert err.where.file.endswith("self.yaml") and err.where.line == 1


# -- 11-13. dossiers ----------------------------------------------------------------------------

GOOD = {"hamlet": {"id": "h", "country": "VN", "population": 500},
        "candidate": {"id": "c", "birth_date": "1980-01-01", "party_status": "full"},
        "posts": ["party_cell_secretary"]}


def _dossier(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_json_dossier_with_a_duplicate_key(tmp_path: Path, capsys) -> None:
    text = '{\n  "hamlet": {"id": "h", "country": "VN",\n             "population": 500, "population": 5000},\n' \
           '  "candidate": {"id": "c", "birth_date": "1980-01-01", "party_status": "full"},\n' \
           '  "posts": ["party_cell_secretary"]\n}\n'
    path = _dossier(tmp_path, "dup.json", text)
    with pytest.raises(InputError) as info:
        api.read_case_file(path)
    assert info.value.where.line == 3 and "'population' is given twice" in info.value.message("en")
    code, out, err = cli(capsys, "evaluate", str(path), *EVAL)
    assert code == 2 and out == "" and "dup.json" in err and "line 3" in err


def test_json_dossier_duplicate_key_in_another_object_is_fine(tmp_path: Path) -> None:
    data = dict(GOOD, hamlet=dict(GOOD["hamlet"], name="x"), candidate=dict(GOOD["candidate"], name="y"))
    case = api.read_case_file(_dossier(tmp_path, "ok.json", json.dumps(data)))
    assert case.hamlet.name == "x" and case.candidate.name == "y"


@pytest.mark.parametrize("name,text,needle", [
    ("deep.json", "[" * 1000 + "]" * 1000, "nested more than"),
    ("deep.json", '{"hamlet": ' * 10_000 + "{}" + "}" * 10_000, "nested more than"),
    ("deep.yaml", "[" * 1000 + "]" * 1000, "nest"),
    ("deep.yaml", "".join(f"{'  ' * i}a:\n" for i in range(40)) + "  " * 40 + "1\n", "nest"),
    ("nan.json", json.dumps(GOOD).replace("500", "NaN"), "finite"),
    ("inf.json", json.dumps(GOOD).replace("500", "1e999"), "finite"),
    ("digits.json", json.dumps(GOOD).replace("500", "9" * 5000), "digits"),
    ("digits.yaml", json.dumps(GOOD).replace("500", "9" * 5000), "digits"),
    ("nan.yaml", json.dumps(GOOD).replace("500", ".nan"), "finite"),
    ("bomb.yaml", "x: " + _alias_bomb() + "\n", "aliases"),
    ("latin.yaml", "hamlet: {id: caf\xe9}\n".encode("latin-1"), "not UTF-8"),
    ("key.yaml", "? [a, b]\n: 1\n", "plain value"),
])
def test_hostile_dossier_is_a_located_error(tmp_path: Path, capsys, name: str, text: str, needle: str) -> None:
    path = _dossier(tmp_path, name, text)
    start = time.monotonic()
    code, out, err = cli(capsys, "evaluate", str(path), *EVAL)
    assert time.monotonic() - start < 10
    assert code == 2 and out == "" and name in err and needle in err, err
    assert "internal error" not in err and len(err) < 2000


def test_dossier_too_large(tmp_path: Path, capsys) -> None:
    path = _dossier(tmp_path, "big.yaml", "# " + "x" * limits.MAX_DOSSIER_BYTES + "\n" + json.dumps(GOOD))
    code, _, err = cli(capsys, "evaluate", str(path), *EVAL)
    assert code == 2 and "big.yaml" in err and f"at most {limits.MAX_DOSSIER_BYTES:,}" in err


def test_dossier_that_is_not_a_file(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "case.json"
    folder.mkdir()
    code, _, err = cli(capsys, "evaluate", str(folder), *EVAL)
    assert code == 2 and "a folder, not a file" in err and "case.json" in err
    os.symlink(tmp_path / "gone.json", tmp_path / "link.json")
    code, _, err = cli(capsys, "evaluate", str(tmp_path / "link.json"), *EVAL)
    assert code == 2 and "which does not exist" in err
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.yaml")
        code, _, err = cli(capsys, "evaluate", str(tmp_path / "pipe.yaml"), *EVAL)
        assert code == 2 and "not a regular file" in err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads every file")
def test_unreadable_dossier(tmp_path: Path, capsys) -> None:
    path = _dossier(tmp_path, "secret.json", json.dumps(GOOD))
    path.chmod(0)
    try:
        code, _, err = cli(capsys, "evaluate", str(path), *EVAL)
    finally:
        path.chmod(0o600)
    assert code == 2 and "permission denied" in err


def test_good_dossiers_still_read(tmp_path: Path) -> None:
    for path in sorted((ROOT / "examples").glob("*/*")):
        if path.suffix in (".json", ".yaml"):
            assert api.read_dossier_file(path).hamlet is not None  # one case, or a hamlet's roster
    bom = _dossier(tmp_path, "bom.json", "\ufeff" + json.dumps(GOOD))
    assert api.read_case_file(bom).hamlet.population == 500


# -- conditions that expand beyond what the back ends build (found by the fuzz suite) -----------


def test_condition_expanding_to_too_many_alternatives(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    condition = " and ".join(f"(candidate.age > {i} or hamlet.population > {i})" for i in range(14))
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition=condition), encoding="utf-8")
    for argv, exit_code in ((["evaluate", str(DON_DUA), *EVAL], 2), (["rules", "lint", "vn.nghe-an"], 1)):
        start = time.monotonic()
        code, out, err = cli(capsys, *argv, "--rules", str(rules))
        assert time.monotonic() - start < 10
        assert code == exit_code
        assert "vn.test.hostile" in out + err and ("extra.yaml:5" in out or "line 5" in err)
        assert f"more than {limits.MAX_CONDITION_ALTERNATIVES} alternatives" in out + err


def test_long_conditions_that_prune_to_few_alternatives_still_work(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    condition = " and ".join(f"candidate.age != {i}" for i in range(40))  # its 'unknown' side bounds at 2^40
    (rules / "vn" / "extra.yaml").write_text(CRITERION.format(condition=condition), encoding="utf-8")
    code, out, _ = cli(capsys, "evaluate", str(DON_DUA), *EVAL, "--rules", str(rules), "--format", "json")
    assert code == 0 and json.loads(out)["decision"]


def test_lint_gives_up_on_a_fund_table_too_complex_to_analyse_with_a_warning(tmp_path: Path, capsys) -> None:
    rules = rules_copy(tmp_path)
    rows = "".join(f"""  - id: nghe-an.fund.test-{i}
    title: {{vi: x, en: x}}
    when: hamlet.households > {i} and hamlet.population > {i * 10}
    coefficient: 3
    source: {{doc: decree-34-2019}}
""" for i in range(16))
    (rules / "vn.nghe-an" / "extra.yaml").write_text(
        "remove: [vn.fund.large-2019, vn.fund.large-2023, vn.fund.standard]\nfund:\n" + rows, encoding="utf-8")
    start = time.monotonic()
    code, out, err = cli(capsys, "rules", "lint", "vn.nghe-an", "--as-of", "2021-06-01", "--rules", str(rules))
    assert time.monotonic() - start < 20
    assert code in (0, 1) and "internal error" not in err
    assert "too-complex" in out and "too complex to check" in out and "alternatives)" in out
    code, out, err = cli(capsys, "rules", "lint", "vn.nghe-an", "--as-of", "2021-06-01", "--rules", str(rules), "--lang", "zh")
    assert "无法检查（条件过于复杂：" in out and "alternatives" not in out  # the reason in the finding's language


# -- numbers durable-rules cannot read -----------------------------------------------------------


def test_a_tiny_vote_share_is_answered_by_the_case_engine(tmp_path: Path, capsys) -> None:
    data = {"hamlet": {"id": "h", "country": "VN", "population": 500},
            "candidate": {"id": "c", "birth_date": "1980-01-01", "party_status": "full", "vote_share": 0.00001},
            "posts": ["hamlet_head"]}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = cli(capsys, "evaluate", str(path), "--pack", "vn", "--as-of", "2024-07-01")
    assert code == 0, err

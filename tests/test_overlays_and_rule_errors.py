"""Overlays (provincial packs, proposals) and the errors a drafter gets for a broken rule file."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, VN_BASE, merge, policy
from engine import api
from engine.errors import RuleFileError


def test_provincial_pack_replaces_parameters_and_adds_rules() -> None:
    vn, na = policy("vn"), policy("vn.nghe-an")
    assert na.chain == ("vn", "vn.nghe-an")
    assert na.params["concurrent_rate_nonprofessional"].value_on(date(2021, 1, 1)) == __import__("decimal").Decimal("0.75")
    assert vn.params["concurrent_rate_nonprofessional"].value_on(date(2021, 1, 1)) is None
    # a partial override keeps the parent's title and unit
    assert na.params["concurrent_rate_nonprofessional"].param.title == vn.params["concurrent_rate_nonprofessional"].param.title
    assert {c.id for c in vn.criteria} < {c.id for c in na.criteria}
    assert na.hash != vn.hash


def test_hash_is_stable_and_content_based(tmp_path: Path) -> None:
    again = api.load_policy("vn.nghe-an")
    assert again.hash == policy("vn.nghe-an").hash
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    (copy / "vn" / "criteria.yaml").write_text(
        (copy / "vn" / "criteria.yaml").read_text(encoding="utf-8").replace("The hamlet head is in good health", "The hamlet head is healthy"),
        encoding="utf-8")
    changed = api.load_policy("vn", [copy])
    assert changed.hash != policy("vn").hash


def test_proposal_file_replaces_a_rule_by_id_and_removes_another(tmp_path: Path) -> None:
    proposal = tmp_path / "proposal.yaml"
    proposal.write_text("""
remove: [vn.head.health]
criteria:
  - id: vn.head.min_age
    title: {vi: "Từ đủ 25 tuổi", en: "At least 25"}
    posts: [hamlet_head]
    condition: candidate.age >= 25
    source: {doc: circular-04-2012, article: "Art. 11"}
""", encoding="utf-8")
    pol = api.load_policy("vn", proposal=proposal)
    assert pol.chain == ("vn", "vn.proposal")
    ids = [c.id for c in pol.criteria]
    assert "vn.head.health" not in ids and ids.index("vn.head.min_age") == [c.id for c in policy("vn").criteria].index("vn.head.min_age")
    data = merge(VN_BASE, {"candidate.birth_date": "2002-06-01", "candidate.health_ok": False})
    d = api.evaluate(pol, api.read_case(data), date(2025, 1, 1))
    assert {c.id: c.status for c in d.criteria}["vn.head.min_age"] == "fail"
    assert "vn.head.health" not in {c.id for c in d.criteria}


def _broken(tmp_path: Path, filename: str, text: str, pack: str = "vn") -> RuleFileError:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / pack / filename).write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        api.load_policy(pack, [rules])
    return info.value


def test_expression_error_names_pack_file_rule_and_line(tmp_path: Path) -> None:
    err = _broken(tmp_path, "extra.yaml", """criteria:
  - id: vn.test.broken
    title: {vi: x, en: x}
    posts: [hamlet_head]
    condition: candidate.agee >= 21
    source: {doc: circular-04-2012}
""")
    assert (err.where.pack, err.where.rule, err.where.line) == ("vn", "vn.test.broken", 5)
    assert err.where.file.endswith("extra.yaml")
    assert "unknown field 'candidate.agee'" in err.message("en") and "did you mean candidate.age" in err.message("en")
    assert "trường không xác định" in err.message("vi")


@pytest.mark.parametrize("text,needle", [
    ("criteria:\n  - id: vn.x\n    title: {vi: x, en: x}\n    condition: 'true'\n    source: {doc: nowhere}\n",
     "source 'nowhere' is not declared"),
    ("criteria:\n  - id: vn.x\n    title: {vi: x, en: x}\n    condition: 'true'\n", "every rule must cite a source"),
    ("criteria:\n  - id: vn.x\n    title: {vi: x, en: x}\n    condition: 'true'\n    bogus: 1\n    source: {doc: decree-33-2023}\n",
     "Extra inputs are not permitted"),
    ("exceptions:\n  - id: vn.e\n    title: {vi: x, en: x}\n    waives: [vn.head.health]\n    condition: 'true'\n"
     "    obligation: {vi: x, en: x}\n    source: {doc: decree-33-2023}\n", "not marked waivable"),
    ("exceptions:\n  - id: vn.e\n    title: {vi: x, en: x}\n    waives: [vn.nope]\n    condition: 'true'\n"
     "    obligation: {vi: x, en: x}\n    source: {doc: decree-33-2023}\n", "not a criterion"),
    ("parameters:\n  base_salary2:\n    type: money\n    values:\n      2020-01-01: 1.5\n", "is not a money"),
    ("parameters:\n  base_salary:\n    values: {2020-01-01: 1}\n", "defined twice"),
    ("criteria: [\n", "not valid YAML"),
    ("remove: [vn.nope]\n", "is not a rule of the packs"),
])
def test_broken_rule_files_are_reported(tmp_path: Path, text: str, needle: str) -> None:
    err = _broken(tmp_path, "zz-extra.yaml", text)
    assert needle in err.message("en")
    assert err.where.file and err.where.pack in ("vn", None) or "YAML" in needle


def test_unknown_parent_pack(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    (rules / "xx").mkdir(parents=True)
    (rules / "xx" / "pack.yaml").write_text(
        "id: xx\nversion: '1'\ntitle: {vi: x, en: x}\njurisdiction: X\ncurrency: VND\nextends: zz\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="extends 'zz', which does not exist"):
        api.load_policy("xx", [rules])


def test_unknown_pack() -> None:
    with pytest.raises(RuleFileError, match="unknown pack 'vn.ha-noi'; available: cn, cn.hainan"):
        api.load_policy("vn.ha-noi")


def test_rule_files_are_never_executed(tmp_path: Path) -> None:
    err = _broken(tmp_path, "zz-evil.yaml", "criteria: !!python/object/apply:os.system ['echo pwned']\n")
    assert "not valid YAML" in err.message("en")


def test_a_parameter_takes_its_dated_values_as_models_too() -> None:
    # the shorthand ``2021-01-01: 0.75`` is wrapped as a value; a DatedValue built in code (as
    # ``compare --set`` does) must be kept as it is, not wrapped as the value of another one
    from engine.policy.model import DatedValue, Parameter

    given = DatedValue(value=0, note="--set")
    param = Parameter(values={date(2021, 1, 1): given, date(2022, 1, 1): 0.5, date(2023, 1, 1): {"value": 1}})
    assert param.values == {date(2021, 1, 1): given, date(2022, 1, 1): DatedValue(value=0.5),
                            date(2023, 1, 1): DatedValue(value=1)}

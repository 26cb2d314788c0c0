"""Static verification: each finding class on a small, deliberately broken pack; the shipped
packs lint clean; witnesses fed back into the case engine show the finding."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
import pytest


from cli import run
from engine import api
from engine.errors import KiemnhiemError
from engine.verify.lint import lint

HEADER = """id: {id}
version: "1"
title: {{vi: thử, en: test}}
jurisdiction: VN
currency: VND
{extends}
sources:
  law: {{title: A law, date: 2020-01-01}}
  unused: {{title: A law nobody cites}}
"""


def make_pack(tmp_path: Path, body: str, pack: str = "xx", extends: str | None = None) -> Path:
    root = tmp_path / "rules"
    folder = root / pack
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(HEADER.format(id=pack, extends=f"extends: {extends}" if extends else ""), encoding="utf-8")
    (folder / "rules.yaml").write_text(body, encoding="utf-8")
    return root


def findings(tmp_path: Path, body: str, **kw):
    root = make_pack(tmp_path, body, **kw)
    return {(f.code, tuple(f.rules)): f for f in lint(api.load_policy(kw.get("pack", "xx"), [root]))}, root


CRIT = """  - id: {id}
    title: {{vi: x, en: x}}
    posts: [hamlet_head]
    condition: {cond}
    effective: {{from: 2020-01-01}}
    source: {{doc: law}}
"""


def test_shipped_packs_lint_clean(capsys) -> None:
    code = run(["rules", "lint"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out


def test_criteria_that_never_pass_or_never_fail(tmp_path) -> None:
    body = "criteria:\n" + CRIT.format(id="xx.never-pass", cond="candidate.age >= 200") + \
        CRIT.format(id="xx.never-fail", cond="candidate.age >= 0 or candidate.age < 0") + \
        CRIT.format(id="xx.fine", cond="candidate.age >= 21")
    found, _ = findings(tmp_path, body)
    assert found[("never-passes", ("xx.never-pass",))].severity == "error"
    assert found[("never-passes", ("xx.never-pass",))].proof
    assert found[("never-fails", ("xx.never-fail",))].severity == "warning"
    assert not any("xx.fine" in k[1] for k in found)


def test_unreachable_exception_and_unwaived_waivable(tmp_path) -> None:
    body = """criteria:
  - id: xx.health
    title: {vi: x, en: x}
    posts: [hamlet_head]
    condition: candidate.health_ok
    waivable: true
    source: {doc: law}
  - id: xx.age
    title: {vi: x, en: x}
    posts: [hamlet_head]
    condition: candidate.age >= 21
    waivable: true
    source: {doc: law}
exceptions:
  - id: xx.exc
    title: {vi: x, en: x}
    waives: [xx.health]
    condition: candidate.health_ok
    obligation: {vi: x, en: x}
    source: {doc: law}
"""
    found, _ = findings(tmp_path, body)
    assert ("exception-unreachable", ("xx.exc", "xx.health")) in found
    assert ("waivable-unwaived", ("xx.age",)) in found


FUND = """parameters:
  base_salary: {title: {vi: x, en: x}, type: money, unit: VND, values: {2020-01-01: {value: 1000000, source: {doc: law}}}}
  coef: {title: {vi: x, en: x}, type: number, values: {2020-01-01: {value: 2, source: {doc: law}}}}
fund:
  - id: xx.fund.big
    title: {vi: x, en: x}
    when: hamlet.households >= 300
    coefficient: params.coef
    source: {doc: law}
  - id: xx.fund.bigger
    title: {vi: x, en: x}
    when: hamlet.households >= 500
    coefficient: params.coef
    source: {doc: law}
"""


def test_fund_gap_with_a_witness_that_gets_no_answer(tmp_path) -> None:
    found, root = findings(tmp_path, FUND)
    gap = found[("fund-gap", ("xx.fund.big", "xx.fund.bigger"))]
    assert gap.severity == "error" and gap.witness is not None
    assert ("row-shadowed", ("xx.fund.bigger",)) in found  # ≥ 500 is always taken by ≥ 300 first
    pol = api.load_policy("xx", [root])
    d = api.evaluate(pol, api.read_case(gap.witness), date.fromisoformat(gap.as_of))
    assert d.fund.row is None and d.fund.monthly is None  # the engine indeed has no answer


def test_rate_gap_witness_is_undetermined(tmp_path) -> None:
    body = FUND.replace("when: hamlet.households >= 500", "when: 'true'") + """rates:
  - id: xx.rate.own
    title: {vi: x, en: x}
    role: own
    rate: "1"
    source: {doc: law}
allowance:
  own_post_statuses: [none, hamlet_nonprofessional]
"""
    found, root = findings(tmp_path, body)
    gaps = [f for (code, _), f in found.items() if code == "rate-gap"]
    assert gaps and all(f.severity == "warning" for f in gaps)
    pol = api.load_policy("xx", [root])
    w = gaps[0]
    d = api.evaluate(pol, api.read_case(w.witness), date.fromisoformat(w.as_of))
    assert any(ln.amount is None and ln.rule is None for ln in d.allowance.lines)


def test_dates_and_sources(tmp_path) -> None:
    body = """parameters:
  early: {title: {vi: x, en: x}, type: number, values: {2019-01-01: {value: 1, source: {doc: law}}}}
  nosource: {title: {vi: x, en: x}, type: number, values: {2021-01-01: 2}}
criteria:
  - id: xx.early
    title: {vi: x, en: x}
    condition: candidate.age >= params.early
    effective: {from: 2019-06-01}
    source: {doc: law}
  - id: xx.backwards
    title: {vi: x, en: x}
    condition: candidate.age >= params.nosource
    effective: {from: 2022-01-01, to: 2021-01-01}
    source: {doc: law}
"""
    found, _ = findings(tmp_path, body)
    assert ("value-before-source", ("early",)) in found
    assert ("rule-before-source", ("xx.early",)) in found
    assert found[("empty-period", ("xx.backwards",))].severity == "error"
    assert found[("no-source", ("nosource",))].severity == "error"
    assert ("unused-source", ("unused",)) in found
    f = found[("no-source", ("nosource",))]
    assert f.file.endswith("rules.yaml") and f.line == 3


def test_overlay_slips(tmp_path) -> None:
    make_pack(tmp_path, FUND + "criteria:\n" + CRIT.format(id="xx.head.min-age", cond="candidate.age >= 21"))
    body = """parameters:
  coef: {type: money, values: {2020-01-01: {value: 3, source: {doc: law}}}}
  cofe: {values: {2020-01-01: {value: 3, source: {doc: law}}}}
criteria:
""" + CRIT.format(id="xx.head.min-agee", cond="candidate.age >= 25")
    root = make_pack(tmp_path, body, pack="xx.child", extends="xx")
    found = {(f.code, tuple(f.rules)): f for f in lint(api.load_policy("xx.child", [root]))}
    assert found[("overlay-type-change", ("coef",))].severity == "error"
    assert ("overlay-untyped-parameter", ("cofe",)) in found
    assert "xx.head.min-age" in found[("overlay-near-miss", ("xx.head.min-agee",))].en


def test_grant_that_no_case_receives(tmp_path) -> None:
    body = """parameters:
  g: {title: {vi: x, en: x}, type: money, values: {2020-01-01: {value: 5, source: {doc: law}}}}
grants:
  - id: xx.grant
    title: {vi: x, en: x}
    posts_all: [hamlet_head]
    when: hamlet.population < 0
    amount: params.g
    source: {doc: law}
"""
    found, _ = findings(tmp_path, body)
    assert ("grant-unreachable", ("xx.grant",)) in found


def test_cli_json_exit_codes_and_load_errors(capsys, tmp_path) -> None:
    root = make_pack(tmp_path, FUND)
    code = run(["rules", "lint", "xx", "--rules", str(root), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    gap = next(f for f in data if f["code"] == "fund-gap")
    assert gap["witness"]["hamlet"]["households"] < 300 and gap["file"].endswith("rules.yaml")
    broken = make_pack(tmp_path / "b", "criteria:\n" + CRIT.format(id="xx.bad", cond="candidate.age >= 21").replace(
        "doc: law", "doc: nowhere"))
    code = run(["rules", "lint", "xx", "--rules", str(broken)])
    out = capsys.readouterr().out
    assert code == 1 and "load-error" in out and "nowhere" in out


def test_a_proposal_is_checked_on_top_of_its_pack(capsys, tmp_path) -> None:
    proposal = tmp_path / "p.yaml"
    proposal.write_text("parameters:\n  head_min_age:\n    type: money\n    values:\n      2012-08-31: 21\n", encoding="utf-8")
    code = run(["rules", "lint", "--pack", "vn", "--rules", str(proposal)])
    out = capsys.readouterr().out
    assert code == 1 and "overlay-type-change" in out


def test_overlapping_exceptions_with_different_obligations(tmp_path) -> None:
    body = """criteria:
  - id: xx.member
    title: {vi: x, en: x}
    posts: [hamlet_head]
    condition: candidate.party_status == 'full'
    waivable: true
    source: {doc: law}
exceptions:
  - id: xx.exc.endorsed
    title: {vi: x, en: x}
    waives: [xx.member]
    condition: candidate.endorsed_by_party_committee
    obligation: {vi: a, en: train and admit them}
    source: {doc: law}
  - id: xx.exc.trusted
    title: {vi: x, en: x}
    waives: [xx.member]
    condition: candidate.vote_share > 0.8
    obligation: {vi: b, en: review in a year}
    source: {doc: law}
"""
    found, root = findings(tmp_path, body)
    f = found[("exceptions-overlap", ("xx.exc.endorsed", "xx.exc.trusted", "xx.member"))]
    d = api.evaluate(api.load_policy("xx", [root]), api.read_case(f.witness), date.fromisoformat(f.as_of))
    assert d.decision == "eligible_with_conditions"
    assert [c.id for c in d.conditions] == ["xx.exc.endorsed"]  # the second obligation is indeed lost


def test_history_gap(tmp_path) -> None:
    body = "parameters:\n  p: {title: {vi: x, en: x}, type: number, source: {doc: law}, values: {2020-01-01: 1, 2021-01-01: null, 2022-01-01: 2}}\n"
    found, _ = findings(tmp_path, body)
    assert "unset from 2021-01-01 until 2022-01-01" in found[("history-gap", ("p",))].en


def test_coverage_findings_from_the_features(capsys) -> None:
    code = run(["rules", "lint", "cn.henan", "--coverage"])
    out = capsys.readouterr().out
    assert code == 0 and "uncovered" not in out  # every rule of the pack is exercised both ways


def test_field_to_field_and_arithmetic_conditions_are_decided_by_smt(tmp_path) -> None:
    body = "criteria:\n" + CRIT.format(id="xx.votes", cond="candidate.vote_share > candidate.confidence_vote and candidate.confidence_vote > candidate.vote_share") + \
        CRIT.format(id="xx.posts", cond="len(posts) + 1 > 0") + \
        CRIT.format(id="xx.ok", cond="candidate.vote_share > candidate.confidence_vote")
    found, _ = findings(tmp_path, body)
    never = found[("never-passes", ("xx.votes",))]
    assert never.proof  # decided by z3, not best-effort
    assert found[("never-fails", ("xx.posts",))].proof
    assert not any("xx.ok" in k[1] for k in found)


def test_lint_speaks_each_language(capsys, tmp_path) -> None:
    """The findings, the report's words and a pack's load errors (an expression's error
    included) come from the catalogues: Chinese with --lang zh, no English words in Vietnamese."""
    root = make_pack(tmp_path, FUND)
    assert run(["rules", "lint", "xx", "--rules", str(root), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert "错误 fund-gap" in out and "时存在数据完整却不匹配任何经费行的村" in out and "示例案例（截至 " in out
    assert "个错误" in out and "error(s)" not in out
    assert run(["rules", "lint", "xx", "--rules", str(root), "--lang", "vi"]) == 1
    out = capsys.readouterr().out
    assert "LỖI" in out and "hồ sơ minh họa (tính đến ngày " in out and "ERROR" not in out and "as of" not in out
    broken = make_pack(tmp_path / "b", "criteria:\n" + CRIT.format(id="xx.bad", cond="candidate.agee >= 21"))
    assert run(["rules", "lint", "xx", "--rules", str(broken), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert "load-error" in out and "condition：未知字段 'candidate.agee'；是否应为 candidate.age？（表达式 " in out
    assert run(["rules", "lint", "xx", "--rules", str(broken), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "condition: unknown field 'candidate.agee'; did you mean candidate.age? in 'candidate.agee >= 21'" in out


def test_an_undated_requirement_is_reported_against_its_sources_dates(tmp_path) -> None:
    """Issue 16: a criterion without a start date is in force on every date, also before the law it
    cites existed (the cn rules answered for 1990 from the Organic Law of 1998)."""
    body = "criteria:\n" + CRIT.replace("    effective: {{from: 2020-01-01}}\n", "").format(id="xx.undated", cond="candidate.age >= 21")
    found, _ = findings(tmp_path, body)
    f = found[("rule-undated", ("xx.undated",))]
    assert f.severity == "warning" and "2020-01-01" in f.message("en")
    dated = "criteria:\n" + CRIT.format(id="xx.dated", cond="candidate.age >= 21")
    found, _ = findings(tmp_path / "dated", dated)
    assert not any(k[0] == "rule-undated" for k in found)


def test_a_should_or_may_without_a_source_is_refused(tmp_path) -> None:
    """A strength is read from a source's words (phải / nên / được): a rule without one is refused
    at load, as every rule is."""
    body = """criteria:
  - id: xx.direction
    title: {vi: x, en: x}
    strength: should
    posts: [hamlet_head]
    condition: candidate.age >= 21
"""
    with pytest.raises(KiemnhiemError, match="must cite a source"):
        findings(tmp_path, body)

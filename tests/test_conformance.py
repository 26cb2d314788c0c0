"""The conformance matrix: every construct of the rule language × every back end.

In the spirit of sqlglot's cross-dialect tests: each construct (a comparison of each type, ``in``
lists, ``and``/``or``/``not``, arithmetic, ``len``, ``years_between``, ``months_between``, ``known``,
``date(...)``, ``as_of``,
parameters of each kind, list fields…) is a pack holding one criterion (``vn`` with its own
criteria removed), evaluated on generated cases (every field sometimes missing). Every back end
must give the reference interpreter's verdict (pass, fail, unknown, not applicable) case by case:

- ``durable``   durable-rules, case by case;
- ``columnar``  polars, the same cases as one table;
- ``verify``    a witness found for "can pass" / "can fail" is a case the reference passes / fails,
                and "cannot pass" / "cannot fail" is never contradicted by a generated case;
- ``explain``   the decision renders (text, Markdown, JSON), names the criterion and agrees.

A construct a back end cannot handle must be refused when the pack loads, with its location —
never a crash at run time. The regressions at the end are the holes the matrix was built to catch.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import policy
from engine import api
from engine.backends import columnar, reference
from engine.backends import durable as durable_backend
from engine.backends.facts import add_terms, flatten
from engine.batch.synth import case_data
from engine.contract.case import Case
from engine.lang.logic import all_of
from engine.policy.resolved import Policy, Snapshot
from engine.verify.solve import satisfiable, witness_case

AS_OF = date(2025, 1, 1)
CASES = 40


@dataclass(frozen=True)
class Construct:
    name: str
    condition: str
    posts: tuple[str, ...] = ()
    when: str | None = None


CONSTRUCTS = [
    # comparisons of each type
    Construct("number<", "hamlet.population < 1000"),
    Construct("number==", "hamlet.households == 350"),
    Construct("number!=", "hamlet.local_party_members != 0"),
    Construct("share>", "candidate.vote_share > 0.5"),
    Construct("share<=param", "candidate.vote_share <= params.head_min_vote_share"),
    Construct("date<", "candidate.birth_date < date('1990-01-01')"),
    Construct("date>=param", "candidate.party_join_date >= params.t_cutoff"),
    Construct("date==", "candidate.birth_date == candidate.party_join_date"),
    Construct("bool", "candidate.health_ok"),
    Construct("bool==", "candidate.disciplined == false"),
    Construct("enum==", "candidate.party_status == 'full'"),
    Construct("enum!=", "hamlet.kind != 'village'"),
    Construct("text==", "hamlet.id == 'h3'"),
    Construct("field<field", "candidate.vote_share < hamlet.election_turnout"),
    # in lists, presence in list fields
    Construct("in[]", "candidate.status in ['commune_cadre', 'hamlet_nonprofessional']"),
    Construct("not_in[]", "candidate.party_status not in ['none']"),
    Construct("in[]empty", "hamlet.kind in []"),
    Construct("in_param", "candidate.status in params.t_statuses"),
    Construct("has_area", "'mountainous' in hamlet.area"),
    Construct("has_background", "'graduate' in candidate.background"),
    Construct("not_has_post", "'hamlet_head' not in posts"),
    Construct("const_in_param", "'border' in params.t_areas"),
    # connectives
    Construct("and", "candidate.health_ok and hamlet.population > 500"),
    Construct("or", "candidate.disciplined or hamlet.households < 350"),
    Construct("not", "not (candidate.vote_share >= 0.5)"),
    Construct("nested", "not (candidate.health_ok or 'island' in hamlet.area) and (hamlet.kind == 'village' or candidate.age > 30)"),
    # arithmetic
    Construct("arith+-", "hamlet.population - 2 * hamlet.local_party_members >= 480"),
    Construct("arith/", "hamlet.population / hamlet.households > 3"),
    Construct("arith_decimal", "candidate.vote_share * 2 >= 1.02"),
    Construct("arith_param", "candidate.age + 1 > params.head_min_age"),
    Construct("negative", "hamlet.population - hamlet.households > -5"),
    # functions and the as-of date
    Construct("len_posts", "len(posts) <= 2"),
    Construct("len_area", "len(hamlet.area) >= 1"),
    Construct("len_param", "len(params.t_areas) == 2"),
    Construct("years_between", "years_between(candidate.birth_date, as_of) >= 21"),
    Construct("years_between_fields", "years_between(candidate.birth_date, candidate.party_join_date) < 30"),
    Construct("months_between", "months_between(candidate.birth_date, as_of) >= 252"),
    Construct("months_between_fields", "months_between(candidate.birth_date, candidate.party_join_date) < 360"),
    Construct("months_between_param", "months_between(candidate.party_join_date, as_of) < params.t_years * 12"),
    Construct("known", "known(candidate.party_join_date) or candidate.health_ok"),
    Construct("known_when", "candidate.vote_share > 0.5", when="known(candidate.health_ok) and candidate.health_ok"),
    Construct("known_param", "candidate.health_ok", when="known(params.t_later)"),  # unset on the date: never applies
    Construct("as_of", "as_of >= date('2024-01-01')"),
    Construct("as_of_field", "candidate.party_join_date <= as_of"),
    Construct("age", "candidate.age >= params.head_min_age"),
    # parameters: a count, one unset on the date
    Construct("param_count", "len(posts) <= params.max_paid_posts"),
    Construct("param_unset", "hamlet.population > params.t_later"),
    Construct("param_list_enum", "hamlet.kind in params.t_statuses"),  # codes of another field: never passes
    Construct("len[]", "len(['a', 'b']) == 2"),
    Construct("bool==field", "candidate.health_ok == candidate.disciplined"),
    Construct("minus", "-hamlet.population < -500"),
    # applicability: posts and `when`
    Construct("posts", "candidate.health_ok", posts=("hamlet_head",)),
    Construct("when", "candidate.vote_share > 0.5", when="hamlet.kind == 'village'"),
    Construct("posts+when", "candidate.age < 60", posts=("party_cell_secretary", "hamlet_head"),
              when="'mountainous' in hamlet.area"),
]
BACKENDS = ["durable", "columnar", "verify", "explain"]

_PARAMS = """
parameters:
  t_cutoff:
    title: {vi: "Ngày mốc", en: "Cut-off date"}
    type: date
    values: {2012-01-01: {value: 2000-01-01, source: {doc: decree-33-2023}}}
  t_statuses:
    title: {vi: "Tình trạng", en: "Statuses"}
    type: list
    values: {2012-01-01: {value: [commune_cadre, none], source: {doc: decree-33-2023}}}
  t_areas:
    title: {vi: "Vùng", en: "Areas"}
    type: list
    values: {2012-01-01: {value: [border, island], source: {doc: decree-33-2023}}}
  t_years:
    title: {vi: "Số năm", en: "Years"}
    type: number
    values: {2012-01-01: {value: 2.5, source: {doc: decree-33-2023}}}
  t_later:
    title: {vi: "Chưa có hiệu lực", en: "Not yet in force"}
    type: count
    values: {2030-01-01: {value: 500, source: {doc: decree-33-2023}}}
"""


def pack_id(c: Construct) -> str:
    return "vn.c-" + "".join(ch if ch.isalnum() else "-" for ch in c.name.lower()).strip("-") + f"-{CONSTRUCTS.index(c)}"


def write_pack(rules: Path, pid: str, condition: str, posts: tuple[str, ...] = (), when: str | None = None) -> None:
    """A one-criterion pack: ``vn`` (fund, rates, parameters) with its own criteria removed."""
    folder = rules / pid
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(f'id: {pid}\nversion: "1"\ntitle: {{vi: "{pid}", en: "{pid}"}}\n'
                                      "extends: vn\njurisdiction: VN\ncurrency: VND\nlang: en\n", encoding="utf-8")
    remove = ", ".join(c.id for c in policy("vn").criteria)
    lines = [_PARAMS, f"remove: [{remove}]", "criteria:", f"  - id: {pid}.rule",
             '    title: {vi: "Điều kiện thử", en: "The construct under test"}', f"    condition: {condition!r}",
             '    source: {doc: party-charter, article: "Art. 1"}']
    if posts:
        lines.append(f"    posts: [{', '.join(posts)}]")
    if when:
        lines.append(f"    when: {when!r}")
    (folder / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generated(seed: int) -> list[Case]:
    """Synthetic cases (``engine.batch.synth``) plus the fields it leaves out, each sometimes missing."""
    rng = random.Random(seed)
    out = []
    for i in range(CASES):
        data = case_data(rng, "VN", i, AS_OF)
        cand = data.get("candidate")
        if cand is not None:
            if rng.random() < 0.8:  # a valid dossier: not after the as-of date, nor before the birth date
                joined = AS_OF - timedelta(days=rng.choice([0, 365 * 5, 365 * 25, 365 * 40]) + rng.randint(0, 3))
                if "birth_date" not in cand or joined >= date.fromisoformat(cand["birth_date"]):
                    cand["party_join_date"] = joined.isoformat()
            if rng.random() < 0.8:
                cand["background"] = rng.sample(["graduate", "retired_soldier", "ethnic_minority"], rng.randint(0, 2))
            if rng.random() < 0.1 and "birth_date" in cand:
                cand["party_join_date"] = cand["birth_date"]
            if rng.random() < 0.1:
                data.pop("posts", None)  # posts unknown
        out.append(Case.model_validate(data))
    return out


@dataclass
class Loaded:
    construct: Construct
    policy: Policy
    snap: Snapshot
    cid: str
    cases: list[Case]
    envs: list[dict[str, Any]]
    want: list[str]  # the reference verdicts: pass / fail / unknown / n/a


def _verdict(verdicts: Any, cid: str) -> str:
    return verdicts.criteria.get(cid, "n/a")


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("conformance")
    for c in CONSTRUCTS:
        write_pack(root, pack_id(c), c.condition, c.posts, c.when)
    return root


@cache
def _loaded(root: Path, c: Construct) -> Loaded:
    pol = api.load_policy(pack_id(c), [root])
    snap = pol.snapshot(AS_OF)
    cid = f"{pack_id(c)}.rule"
    cases = generated(seed=CONSTRUCTS.index(c))
    envs = [add_terms(flatten(case, AS_OF), snap.terms) for case in cases]
    want = [_verdict(reference.verdicts(snap, env), cid) for env in envs]
    return Loaded(c, pol, snap, cid, cases, envs, want)


MATRIX = [(c, b) for c in CONSTRUCTS for b in BACKENDS]


@pytest.mark.parametrize("construct,backend", MATRIX, ids=[f"{c.name}×{b}" for c, b in MATRIX])
def test_conformance(rules: Path, construct: Construct, backend: str) -> None:
    ld = _loaded(rules, construct)
    assert len(set(ld.want)) >= 2 or construct.name in _CONSTANT, f"the cases do not exercise {construct.name}: {set(ld.want)}"
    CHECKS[backend](ld)


# constructs whose verdict does not depend on the case (given a candidate)
_CONSTANT = {"in[]empty", "const_in_param", "len_param", "as_of", "param_unset", "len[]", "known_param"}


def _durable(ld: Loaded) -> None:
    got = [_verdict(durable_backend.verdicts(ld.snap, env), ld.cid) for env in ld.envs]
    _same(ld, got)


_DECISION = {"eligible": "pass", "ineligible": "fail", "undetermined": "unknown", "not_applicable": "n/a"}


def _columnar(ld: Loaded) -> None:
    out = columnar.compiled(ld.snap).evaluate(columnar.frame_from_envs(ld.envs))
    _same(ld, [_DECISION[d] for d in out["decision"].to_list()])


def _verify(ld: Loaded) -> None:
    snap = ld.snap
    cc = next(c for c in snap.criteria if c.id == ld.cid)
    for target, formula in (("pass", all_of(cc.applies.t, cc.verdict.t)), ("fail", all_of(cc.applies.t, cc.verdict.f))):
        sol, exact = satisfiable(formula, snap.terms, AS_OF)
        if sol is None:
            assert not (exact and target in ld.want), f"{target} proved impossible, but a generated case does"
            continue
        data = witness_case(sol, AS_OF, "VN")
        env = add_terms(flatten(api.read_case(data, "<witness>", AS_OF), AS_OF), snap.terms)
        got = _verdict(reference.verdicts(snap, env), ld.cid)
        assert got == target or not exact, f"witness for {target} gives {got}: {data}"


def _explain(ld: Loaded) -> None:
    for case, want in list(zip(ld.cases, ld.want))[:12]:
        d = api.evaluate(ld.policy, case, AS_OF, lang="en", backend="durable")
        statuses = {c.id: c.status for c in d.criteria}
        assert statuses.get(ld.cid, "n/a") in (want, "not_applicable" if want == "n/a" else want)
        for fmt in ("text", "markdown", "json"):
            text = api.render_decision(d, fmt)
            assert want == "n/a" or ld.cid in text or "The construct under test" in text, fmt


def _same(ld: Loaded, got: list[str]) -> None:
    bad = [(i, w, g) for i, (w, g) in enumerate(zip(ld.want, got)) if w != g]
    assert not bad, f"{len(bad)}/{len(got)} cases differ from the reference, e.g. case {bad[0][0]}: " \
                    f"reference {bad[0][1]}, got {bad[0][2]}; facts {ld.envs[bad[0][0]]}"


CHECKS = {"durable": _durable, "columnar": _columnar, "verify": _verify, "explain": _explain}


# -- the holes the matrix was built for, as the user met them ------------------------------------


def _one_pack(tmp_path: Path, condition: str) -> Path:
    rules = tmp_path / "rules"
    write_pack(rules, "vn.hole", condition)
    return rules


def test_as_of_in_a_condition_runs_in_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: ``internal error: ColumnNotFoundError: unable to find column "as_of"`` (exit 3) in
    ``CompiledColumns.evaluate``: the columnar engine had no column for the as-of date."""
    from cli import run

    rules = _one_pack(tmp_path, "years_between(candidate.birth_date, as_of) >= 30 and as_of >= date('2024-01-01')")
    out = tmp_path / "out.csv"
    code = run(["batch", str(Path(__file__).parent.parent / "examples" / "batch" / "nghe-an-sample.csv"), "-p", "vn.hole",
                "--rules", str(rules), "--as-of", "2025-01-01", "-o", str(out)])
    assert code in (0, 1), capsys.readouterr().err
    import polars as pl

    decisions = set(pl.read_csv(out)["decision"])
    assert {"eligible", "ineligible"} <= decisions
    assert "as_of" in pl.read_csv(out).columns  # the output's own column, unchanged


def test_years_between_in_a_condition_is_linted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: ``internal error: ValueError: Call(fn='years_between', …)`` from ``verify.solve_smt``:
    the SMT part had no translation of ``years_between``; now it is exact, so an impossible
    condition is proved so and a possible one is not reported."""
    from cli import run

    rules = _one_pack(tmp_path, "years_between(candidate.birth_date, candidate.party_join_date) >= 2100")
    code = run(["rules", "lint", "vn.hole", "--rules", str(rules), "--as-of", "2025-01-01", "--format", "json"])
    report = capsys.readouterr().out
    assert code == 1 and "never-passes" in report and "vn.hole.rule" in report
    rules = _one_pack(tmp_path / "ok", "years_between(candidate.birth_date, as_of) >= 21")
    assert run(["rules", "lint", "vn.hole", "--rules", str(rules), "--as-of", "2025-01-01"]) == 0
    assert "vn.hole.rule" not in capsys.readouterr().out


def test_a_condition_compared_as_a_value_is_refused_at_load(tmp_path: Path) -> None:
    """Was: ``ValueError: unsupported comparison side`` when a snapshot was compiled (every back
    end but the reference): the type checker let ``(a > b) == true`` through."""
    from engine.errors import RuleFileError

    rules = _one_pack(tmp_path, "(hamlet.population > 1000) == true")
    with pytest.raises(RuleFileError) as err:
        api.load_policy("vn.hole", [rules])
    assert err.value.where.rule == "vn.hole.rule" and "rules.yaml" in str(err.value.where.file)
    assert "cannot be compared" in err.value.en


def test_a_sum_of_constants_with_a_zero_is_linted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: ``internal error: ZeroDivisionError`` from ``verify.solve_smt``: it computed every
    operator on the two operands (a dict of ``a + b … a / b``) and used one, so ``1000 + 0`` (two
    constants, a parameter set to 0) divided 1000 by 0 in Python."""
    from cli import run

    rules = _one_pack(tmp_path, "hamlet.population > 1000 + 0")
    code = run(["rules", "lint", "vn.hole", "--rules", str(rules), "--as-of", "2025-01-01", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0 and "vn.hole.rule" not in captured.out, captured.err


def _verify_verdict(rules: Path, target: str) -> tuple[str | None, bool]:
    """(the reference's verdict on verify's witness that the criterion can ``target``, or None when
    verify finds none; is verify's answer a proof?) for the ``vn.hole`` pack."""
    snap = api.load_policy("vn.hole", [rules]).snapshot(AS_OF)
    cc = next(c for c in snap.criteria if c.id == "vn.hole.rule")
    sol, exact = satisfiable(all_of(cc.applies.t, cc.verdict.t if target == "pass" else cc.verdict.f), snap.terms, AS_OF)
    if sol is None:
        return None, exact
    env = add_terms(flatten(api.read_case(witness_case(sol, AS_OF, "VN"), "<witness>", AS_OF), AS_OF), snap.terms)
    return _verdict(reference.verdicts(snap, env), "vn.hole.rule"), exact


def test_verify_divides_as_the_reference_does(tmp_path: Path) -> None:
    """Was: z3's ``/`` of two integers is integer division (21 / 2 = 10), so verify proved that
    ``hamlet.population / 2 == 10.5`` never passes (``rules lint``: never-passes, an error) while the
    reference passes a hamlet of 21 people."""
    for i, condition in enumerate(("hamlet.population / 2 == 10.5", "hamlet.population / hamlet.households == 1.5")):
        assert _verify_verdict(_one_pack(tmp_path / str(i), condition), "pass") == ("pass", True), condition


def test_a_division_by_zero_is_unknown_to_verify_as_to_the_reference(tmp_path: Path) -> None:
    """Was: z3 leaves ``x / 0`` unconstrained (any number), so verify gave, as a proof, a hamlet of
    0 households as a witness that ``population / households > 3`` can pass; the reference says
    unknown for it (a divisor of 0 gives no value), so with ``households == 0`` it never passes."""
    for i, (condition, can_fail) in enumerate((
            ("hamlet.population / hamlet.households > 3 and hamlet.households == 0", "fail"),  # households != 0
            ("hamlet.population / 0 > 1", None), ("hamlet.population > 5 / 0", None))):  # always unknown
        rules = _one_pack(tmp_path / str(i), condition)
        assert _verify_verdict(rules, "pass") == (None, True), condition
        assert _verify_verdict(rules, "fail") == (can_fail, True), condition

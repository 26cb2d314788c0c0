"""The agency or public service unit, the second kind of unit (Nghệ An Resolution 09/NQ-TU, seed 004):
read as a hamlet's record (``unit:``, ``unit_<field>``), its posts and fields kept apart from a
hamlet's, no hamlet fund, its posts unpaid by the hamlet allowance, the secretary-is-head
direction, and batch summaries that do not count it as a hamlet."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, get_args

import polars as pl
import pytest

from cli import run
from conftest import ROOT, decide, policy
from engine import api
from engine.backends import columnar
from engine.backends.facts import add_terms, flatten
from engine.contract import constraints
from engine.contract.case import HamletKind, Post
from engine.contract.dossier import read_case
from engine.errors import InputError
from engine.io.tables import normalize, user_columns

AS_OF = date(2025, 6, 1)
EX = ROOT / "examples" / "vn.nghe-an"
AGENCY: dict[str, Any] = {
    "unit": {"id": "so-khcn", "name": "Sở Khoa học và Công nghệ", "country": "VN", "province": "Nghệ An", "kind": "agency"},
    "candidate": {"id": "c1", "birth_date": "1972-04-12", "party_status": "full", "status": "none"},
    "posts": ["party_committee_secretary", "agency_head"],
}


def _with(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(data))
    for path, value in changes.items():
        head, _, name = path.partition("__")
        if name:
            if value is ...:
                out[head].pop(name, None)
            else:
                out[head][name] = value
        elif value is ...:
            out.pop(head, None)
        else:
            out[head] = value
    return out


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- the contract -------------------------------------------------------------------------------


def test_every_post_and_kind_belongs_to_exactly_one_kind_of_unit() -> None:
    posts = constraints.HAMLET_POSTS + constraints.AGENCY_POSTS
    assert sorted(posts) == sorted(get_args(Post)) and len(set(posts)) == len(posts)
    kinds = constraints.HAMLET_KINDS + constraints.AGENCY_KINDS
    assert sorted(kinds) == sorted(get_args(HamletKind))


def test_a_dossier_may_call_its_record_a_unit() -> None:
    case = read_case(AGENCY, as_of=AS_OF)
    same = read_case(_with(AGENCY, unit=..., hamlet=AGENCY["unit"]), as_of=AS_OF)
    assert case == same and case.hamlet.kind == "agency" and case.hamlet.id == "so-khcn"


@pytest.mark.parametrize("lang,words", [("en", "field unit: the dossier gives both 'unit' and 'hamlet'"),
                                        ("vi", "trường unit: hồ sơ có cả 'unit' và 'hamlet'"),
                                        ("zh", "字段 unit：档案同时给出了 'unit' 和 'hamlet'")])
def test_unit_and_hamlet_together_are_refused(capsys, tmp_path, lang, words) -> None:
    path = tmp_path / "both.yaml"
    path.write_text(json.dumps(_with(AGENCY, hamlet={"id": "h"})), encoding="utf-8")
    code, _, err = _cli(capsys, "evaluate", str(path), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "--lang", lang)
    assert code == 2 and words in err and str(path) in err


def test_a_units_problems_are_named_as_written() -> None:
    with pytest.raises(InputError) as err:
        read_case(_with(AGENCY, unit__households=-3, unit__population=100), as_of=AS_OF)
    assert err.value.en.startswith("2 problems: unit.households: must be at least 0")
    assert "unit.population: only a hamlet has this field" in err.value.en and "hamlet." not in err.value.en


def _dossier_problems(kind: str | None, posts: list[str] | None, fields: dict[str, Any]) -> set[str]:
    hamlet = {"id": "u1", **({"kind": kind} if kind else {}), **fields}
    data: dict[str, Any] = {"hamlet": hamlet, "candidate": {"id": "c1"}, **({"posts": posts} if posts is not None else {})}
    try:
        read_case(data, as_of=AS_OF)
    except InputError as exc:
        text = exc.en
        return {f for f in ("posts", *constraints.HAMLET_ONLY) if f"{f}:" in text or exc.where.field == f}
    return set()


def _row_problems(kind: str | None, posts: list[str] | None, fields: dict[str, Any]) -> set[str]:
    names = user_columns()
    row = {"unit_id": "u1", "candidate_id": "c1", "unit_kind": kind, "posts": None if posts is None else ";".join(posts)}
    row |= {"unit_" + path.split(".")[1]: str(v) for path, v in fields.items()}
    frame, _ = normalize(pl.DataFrame({k: [v] for k, v in row.items()}, schema={k: pl.String for k in row}),
                         2, AS_OF, "VN", "en")
    error = frame["_error"][0] or ""
    found = {"posts"} if "posts:" in error else set()
    # a unit's column is named as the table wrote it (unit_households), the field it is is hamlet.households
    return found | {p for p in constraints.HAMLET_ONLY if f"unit_{p.split('.')[1]}:" in error
                    and names[p.replace(".", "__")] == "hamlet_" + p.split(".")[1]}


UNIT_CASES = [
    ("agency", ["party_committee_secretary", "agency_head"], {}, set()),
    ("agency", ["hamlet_head"], {}, {"posts"}),
    ("agency", ["party_committee_secretary", "deputy_hamlet_head"], {"hamlet.households": 100}, {"posts"}),
    ("village", ["agency_head"], {}, {"posts"}),
    ("residential_group", ["hamlet_head", "party_committee_secretary"], {}, {"posts"}),
    (None, ["party_committee_secretary", "hamlet_head"], {}, {"posts"}),
    (None, ["party_committee_secretary"], {}, set()),
    ("agency", ["party_committee_secretary"], {"hamlet.households": 100, "hamlet.area": "border"},
     {"hamlet.households", "hamlet.area"}),
    (None, ["agency_head"], {"hamlet.local_party_members": 3}, {"hamlet.local_party_members"}),
    ("agency", None, {"hamlet.election_turnout": "0.9", "hamlet.suitable_party_member_available": "yes"},
     {"hamlet.election_turnout", "hamlet.suitable_party_member_available"}),
    ("village", ["hamlet_head"], {"hamlet.households": 100}, set()),
    (None, None, {"hamlet.households": 100}, set()),
    ("residential_group", ["deputy_hamlet_head"], {"hamlet.population": 900}, set()),
]


@pytest.mark.parametrize("kind,posts,fields,refused", UNIT_CASES)
def test_posts_and_fields_of_the_other_kind_of_unit_are_refused_alike_in_a_dossier_and_a_table(
        kind, posts, fields, refused) -> None:
    dossier_fields = {k: (v.split(";") if k == "hamlet.area" else v) for k, v in fields.items()}
    assert _dossier_problems(kind, posts, {k.split(".")[1]: v for k, v in dossier_fields.items()}) == refused
    assert _row_problems(kind, posts, fields) == refused


@pytest.mark.parametrize("lang,words", [
    ("en", "field posts: 'agency_head': posts of an agency or unit, named on a hamlet (kind 'village')"),
    ("vi", "trường posts: 'agency_head': chức danh của cơ quan, đơn vị, nhưng đơn vị là thôn, tổ dân phố"),
    ("zh", "字段 posts：'agency_head'：机关单位的职务，却列在村（kind 'village'）上")])
def test_an_agency_post_on_a_hamlet_is_a_message_in_every_language(capsys, tmp_path, lang, words) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps({"hamlet": {"id": "h", "kind": "village"}, "candidate": {"id": "c"},
                                "posts": ["party_cell_secretary", "agency_head"]}), encoding="utf-8")
    code, _, err = _cli(capsys, "evaluate", str(path), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "--lang", lang)
    assert code == 2 and words in err


# -- money: no hamlet fund, posts unpaid by the hamlet allowance -------------------------------


@pytest.mark.parametrize("backend", ["durable", "reference"])
@pytest.mark.parametrize("unit", [{"kind": "agency"}, {}], ids=["kind-agency", "kind-not-given"])
def test_an_agency_has_no_hamlet_fund(backend, unit) -> None:
    """Regression: the fund table's last row has no condition, so an agency got 4.5 × the base salary."""
    data = _with(AGENCY, unit={"id": "a", **unit})
    d = decide("vn.nghe-an", {"hamlet" if k == "unit" else k: v for k, v in data.items()}, AS_OF, backend=backend)
    assert d.fund is None and json.loads(api.render_decision(d, "json"))["fund"] is None
    assert "vn.note.agency-no-fund" in [n.id for n in d.notes]


def test_a_hamlet_whose_kind_is_not_given_keeps_its_fund() -> None:
    """The agency's rule must not leave a hamlet without a kind undetermined (a Kleene ``kind !=
    'agency'`` would): 4.5 × 2,340,000 with or without posts, as before."""
    hamlet = {"id": "h", "households": 120, "area": []}
    for extra in ({}, {"candidate": {"id": "c", "status": "none"}, "posts": ["party_cell_secretary"]}):
        d = decide("vn.nghe-an", {"hamlet": hamlet, **extra}, AS_OF)
        assert d.fund is not None and (d.fund.row, d.fund.monthly) == ("vn.fund.standard", 10530000)


def test_the_columnar_engine_gives_agencies_no_fund() -> None:
    snap = policy("vn.nghe-an").snapshot(AS_OF)
    cases = [AGENCY, _with(AGENCY, unit__kind=...),
             {"hamlet": {"id": "h", "households": 120, "area": []}},          # kind not given: 4.5×
             {"hamlet": {"id": "g", "households": 400, "area": []}}]          # kind not given, 400: undetermined
    frame = columnar.frame_from_envs([add_terms(flatten(read_case(c, as_of=AS_OF), AS_OF), snap.terms) for c in cases])
    out = columnar.compiled(snap).evaluate(frame)
    assert out["fund_monthly"].to_list() == [None, None, 10530000, None]
    assert frame.select(columnar.agency()).to_series().to_list() == [True, True, False, False]


@pytest.mark.parametrize("status", ["none", "commune_civil_servant", "hamlet_nonprofessional", None])
def test_an_agencys_posts_are_unpaid_by_the_hamlet_allowance(status) -> None:
    """Regression: the national own-post and concurrent rows matched every post, so an agency's head
    was paid 100 % (or undetermined) of a hamlet post's allowance."""
    data = _with(AGENCY, unit=..., hamlet=AGENCY["unit"], post_allowances={"agency_head": 5000000},
                 candidate__status=status if status else ...)
    d = decide("vn.nghe-an", data, AS_OF, lang="vi")
    assert d.allowance is not None
    assert [(ln.post, ln.amount, ln.rule) for ln in d.allowance.lines] == [
        ("party_committee_secretary", 0, "vn.rate.agency-post"), ("agency_head", 0, "vn.rate.agency-post")]
    assert d.allowance.monthly_total == 0
    assert all("lương và các phụ cấp khác" in (ln.reason or "") for ln in d.allowance.lines)


def test_the_rate_table_pays_every_agency_post_by_its_own_row_on_every_date() -> None:
    for pack in ("vn", "vn.nghe-an", "vn.da-nang"):
        for day in (date(2019, 7, 1), date(2023, 8, 1), AS_OF):
            snap = policy(pack).snapshot(day)
            for post in constraints.AGENCY_POSTS:
                for status in ("none", "commune_cadre", "commune_civil_servant", "commune_nonprofessional",
                               "hamlet_nonprofessional"):
                    for first in (True, False):
                        row = snap.rate_row(post, snap.role(status, first), status)
                        assert row is not None and row.id == "vn.rate.agency-post", (pack, day, post, status)


def test_lint_says_nothing_of_the_new_posts() -> None:
    _, findings = api.lint_packs(["vn", "vn.nghe-an", "vn.da-nang"])
    loud = [f for f in findings if f.severity != "info"]
    assert not loud, [f.en for f in loud]
    named = " ".join(f.en + " ".join(f.rules) for f in findings)
    for post in (*constraints.AGENCY_POSTS, "deputy_hamlet_head"):
        assert post not in named


# -- the rules ------------------------------------------------------------------------------------


def test_the_examples_say_what_their_headers_say() -> None:
    both = api.evaluate_dossier(EX / "agency-secretary-and-head.yaml", "vn.nghe-an", AS_OF)
    assert (both.decision, both.advisories, both.fund) == ("eligible", [], None)
    alone = api.evaluate_dossier(EX / "agency-secretary-not-head.yaml", "vn.nghe-an", AS_OF, lang="vi")
    assert alone.decision == "eligible"
    assert [(a.criterion, a.kind) for a in alone.advisories] == [("nghe-an.agency.secretary-is-head", "contrary")]
    assert {s.doc for s in alone.advisories[0].source} == {"resolution-09-nq-tu-nghe-an", "seed-004-agency-model"}


def test_a_probationary_member_is_no_party_committee_secretary() -> None:
    d = decide("vn.nghe-an", _with(_with(AGENCY, unit=..., hamlet=AGENCY["unit"]), candidate__party_status="probationary"),
               AS_OF)
    assert d.decision == "ineligible"
    assert {c.id: c.status for c in d.criteria}["vn.secretary.full_member"] == "fail"


def test_the_direction_is_the_nghe_an_packs_only() -> None:
    d = decide("vn", _with(AGENCY, unit=..., hamlet=AGENCY["unit"], posts=["party_committee_secretary"]), AS_OF)
    assert d.decision == "eligible" and d.advisories == []


# -- batch ------------------------------------------------------------------------------------------


def _table(tmp_path: Path, header: str, rows: list[str], name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


UNIT_HEADER = ("unit_id,unit_name,unit_province,unit_district,unit_kind,unit_households,unit_area,candidate_id,party_status,"
               "status,posts")


def test_a_table_of_agencies_keyed_by_unit_id_is_answered(capsys, tmp_path) -> None:
    src = _table(tmp_path, UNIT_HEADER, [
        "so-khcn,Sở KH&CN,Nghệ An,Vinh,agency,,,c1,full,none,party_committee_secretary;agency_head",
        "so-khdt,Sở KH&ĐT,Nghệ An,Vinh,agency,,,c2,full,none,party_committee_secretary",
        "so-x,Sở X,Nghệ An,Vinh,agency,120,,c3,full,none,party_committee_secretary",
        "h1,Xóm 1,Nghệ An,Vinh,village,120,none,c4,full,none,agency_head",
        "h2,Xóm 2,Nghệ An,Vinh,village,120,none,,,,",
    ])
    out, summary = tmp_path / "out.csv", tmp_path / "summary.json"
    code, _, _ = _cli(capsys, "batch", str(src), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out),
                      "--summary", str(summary), "--lang", "en")
    res = pl.read_csv(out, infer_schema=False)
    assert code == 1
    assert res["hamlet_id"].to_list() == ["so-khcn", "so-khdt", "so-x", "h1", "h2"]
    assert res["decision"].to_list() == ["eligible", "eligible", "error", "error", "not_applicable"]
    assert res["advisories"].to_list()[:2] == ["", "nghe-an.agency.secretary-is-head"]
    assert res["fund_monthly"].to_list() == [None, None, None, None, "10530000"]
    assert res["amount_agency_head"].to_list()[0] == "0"
    assert res["error"][2].startswith("unit_households: only a hamlet has this column")  # named as written
    assert res["error"][3].startswith("posts: names a post of an agency or unit")
    data = json.loads(summary.read_text(encoding="utf-8"))
    # the agencies are no hamlets: no fund, and not an undetermined one
    assert (data["fund_monthly_total"], data["fund_undetermined_hamlets"]) == (10530000, 0)


def test_hamlet_id_and_unit_id_together_are_refused(capsys, tmp_path) -> None:
    src = _table(tmp_path, "hamlet_id,unit_id,hamlet_kind,candidate_id,posts", ["a,b,agency,c1,agency_head"])
    code, _, err = _cli(capsys, "batch", str(src), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o",
                        str(tmp_path / "o.csv"), "--lang", "en")
    assert code == 2 and "field unit_id: the headings 'hamlet_id' and 'unit_id' both name the column hamlet_id" in err


def test_joined_tables_may_be_keyed_by_unit_id(capsys, tmp_path) -> None:
    units = _table(tmp_path, "unit_id,unit_kind,unit_province", ["so-khcn,agency,Nghệ An"], "units.csv")
    people = _table(tmp_path, "unit_id,candidate_id,party_status,status,posts",
                    ["so-khcn,c1,full,none,party_committee_secretary"], "people.csv")
    out = tmp_path / "out.csv"
    code, _, err = _cli(capsys, "batch", str(units), "--candidates", str(people), "--pack", "vn.nghe-an", "--as-of",
                        "2025-06-01", "-o", str(out), "--lang", "en")
    res = pl.read_csv(out, infer_schema=False)
    assert code == 0, err
    assert (res["hamlet_id"][0], res["decision"][0], res["advisories"][0]) == (
        "so-khcn", "eligible", "nghe-an.agency.secretary-is-head")


def test_json_lines_may_nest_a_unit(capsys, tmp_path) -> None:
    src = tmp_path / "units.jsonl"
    lines = [{"unit": {"id": "so-khcn", "kind": "agency"}, "candidate": {"id": "c1", "party_status": "full"},
              "posts": ["party_committee_secretary", "agency_head"]},
             {"unit": {"id": "a"}, "hamlet": {"id": "b"}}]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, _ = _cli(capsys, "batch", str(src), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out),
                      "--lang", "en")
    res = pl.read_ndjson(out)
    assert code == 1
    assert res["decision"].to_list() == ["eligible", "error"]
    assert "gives both hamlet and unit" in res["error"][1]


def test_a_one_shoulder_target_counts_villages_not_agencies(capsys, tmp_path) -> None:
    """Regression: the one-shoulder share's denominator counted every row's unit, agencies included."""
    src = _table(tmp_path, "hamlet_id,hamlet_country,hamlet_province,hamlet_kind,candidate_id,party_status,posts", [
        "v1,CN,Hubei,village,c1,full,party_cell_secretary;hamlet_head",
        "v2,CN,Hubei,village,c2,full,hamlet_head",
        "a1,CN,Hubei,agency,c3,full,party_committee_secretary;agency_head",
    ])
    summary = tmp_path / "summary.json"
    _cli(capsys, "batch", str(src), "--pack", "cn", "--as-of", "2025-01-01", "-o", str(tmp_path / "o.parquet"),
         "--summary", str(summary))
    targets = json.loads(summary.read_text(encoding="utf-8"))["targets"]
    assert [(t["area"], t["n"]) for t in targets] == [("Hubei", 2)]


def test_a_sweep_counts_no_agency_as_an_undetermined_fund(tmp_path) -> None:
    src = _table(tmp_path, UNIT_HEADER, [
        "so-khcn,Sở KH&CN,Nghệ An,Vinh,agency,,,c1,full,none,party_committee_secretary;agency_head",
        "h2,Xóm 2,Nghệ An,Vinh,village,120,none,,,,",
    ])
    sweep = api.compare_proposal("vn.nghe-an", src, sets=["head_min_age=21..22:1"], as_of=AS_OF)
    assert [p["undetermined_funds"] for p in sweep.points] == [0, 0]
    assert [p["cost_monthly"] for p in sweep.points] == [10530000, 10530000]


# -- features ---------------------------------------------------------------------------------------

AGENCY_FEATURE = """# language: vi
Tính năng: Quỹ của một cơ quan, đơn vị
  Kịch bản: {name}
    Cho gói quy tắc "vn.nghe-an"
    Và ngày xét là 2025-06-01
    Và {unit}
      | kind | {kind} |
    Khi xét hồ sơ
    Thì {check}
"""


@pytest.mark.parametrize("unit,kind,wrong,message,right", [
    ("một cơ quan, đơn vị:", "agency", "quỹ phụ cấp hằng tháng là chưa xác định", "không có quỹ nào",
     "không có quỹ phụ cấp thôn"),
    ("một thôn:", "village", "không có quỹ phụ cấp thôn", "không mong có quỹ phụ cấp thôn, nhưng có: ",
     "quỹ phụ cấp hằng tháng là chưa xác định"),  # its households not given: undetermined
], ids=["no-fund-is-not-undetermined", "a-fund-where-none-was-expected"])
def test_the_fund_steps_tell_no_fund_from_an_undetermined_one(tmp_path, unit, kind, wrong, message, right) -> None:
    from engine.bdd.runner import run_features

    folder = tmp_path / "f"
    folder.mkdir()
    feature = folder / "x.feature"
    feature.write_text(AGENCY_FEATURE.format(name="quỹ", unit=unit, kind=kind, check=wrong), encoding="utf-8")
    [scenario] = run_features(folder).failed
    assert scenario.failure is not None and scenario.failure.message.startswith(message)
    feature.write_text(AGENCY_FEATURE.format(name="quỹ", unit=unit, kind=kind, check=right), encoding="utf-8")
    assert run_features(folder).ok

"""The hamlet as a whole (issue 16 §2): a roster of post holders, judged person by person and as a
slate; the batch's hamlet table agrees with the one-hamlet answer on every check."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from conftest import policy
from engine.backends import columnar, columnar_roster
from engine.backends.facts import add_terms, flatten
from engine.batch.synth import cases
from cli import run
from engine.contract.dossier import read_dossier
from engine.contract.roster import Holder, Roster
from engine.errors import InputError, RuleFileError
from engine.evaluate import evaluate_dossier
from engine.one_hamlet import evaluate_roster

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "vn" / "roster-two-nominees.yaml"
DAY = date(2024, 6, 1)
FIT = {"party_status": "full", "permanent_residence": True, "health_ok": True, "disciplined": False, "vote_share": 0.7,
       "birth_date": "1975-01-01", "status": "none"}


def roster(*holders: tuple[str, list[str]], allowances: dict | None = None, **hamlet) -> dict:
    return {"hamlet": {"id": "h1", "kind": "village", "households": 200, "area": [], **hamlet},
            "holders": [{"candidate": {"id": cid, **FIT}, "posts": posts} for cid, posts in holders],
            **({"post_allowances": allowances} if allowances else {})}


def test_two_nominees_for_one_post_are_both_told_and_neither_dropped() -> None:
    rd = evaluate_dossier(EXAMPLE, "vn", DAY, lang="vi")
    assert rd.roster == "problems"
    assert [d.case_id for d in rd.holders] == ["xom-dong/nguyen-van-a", "xom-dong/tran-thi-b", "xom-dong/le-van-c"]
    failing = [c for c in rd.checks if c.status == "fail"]
    assert [c.id for c in failing] == ["vn.roster.one-head"]
    assert failing[0].holders == ["nguyen-van-a", "tran-thi-b"] and failing[0].posts == ["hamlet_head"]
    assert failing[0].source[0].doc == "circular-04-2012"
    told = {d.case_id.split("/")[1]: [r.id for r in d.roster] for d in rd.holders}
    assert told == {"nguyen-van-a": ["vn.roster.one-head"], "tran-thi-b": ["vn.roster.one-head"], "le-van-c": []}
    # each person's own decision is unchanged by the slate: both nominees may hold the post (the Front
    # head's post alone has no criterion in the pack: not applicable)
    assert [d.decision for d in rd.holders] == ["eligible", "eligible", "not_applicable"]
    # 4.5 × 1,800,000 = 8,100,000; posts: 1.8M + 1.8M (a), 1.8M (b), 1.2M (c) = 6,600,000
    assert (rd.fund.monthly, rd.fund.paid_total, rd.fund.remainder) == (8_100_000, 6_600_000, 1_500_000)


def test_the_fund_exceeded_shows_the_excess_and_concerns_the_paid_holders(capsys) -> None:
    data = roster(("a", ["party_cell_secretary", "hamlet_head"]), ("b", ["front_committee_head"]),
                  allowances={"party_cell_secretary": 3_000_000, "hamlet_head": 3_000_000, "front_committee_head": 2_500_000})
    rd = evaluate_dossier(data, "vn", DAY, lang="en")
    fund = next(c for c in rd.checks if c.id == "vn.roster.within-fund")
    assert fund.status == "fail" and fund.holders == ["a", "b"]
    assert (rd.fund.monthly, rd.fund.paid_total, rd.fund.remainder) == (8_100_000, 8_500_000, -400_000)
    assert "400,000" in fund.text and "more than the fund" in fund.text
    assert rd.roster == "problems"


def test_an_unknown_amount_leaves_the_fund_check_open_never_counted_as_zero() -> None:
    rd = evaluate_dossier(roster(("a", ["hamlet_head"])), "vn", DAY)  # no allowance known for the post
    fund = next(c for c in rd.checks if c.id == "vn.roster.within-fund")
    assert fund.status == "unknown" and rd.roster == "undetermined"
    assert rd.fund.paid_total is None and rd.fund.remainder is None


def test_paid_persons_count_one_person_once_and_fail_past_the_cap() -> None:
    one = evaluate_dossier(roster(("a", ["party_cell_secretary", "hamlet_head", "front_committee_head"])), "vn", DAY, lang="en")
    assert next(c for c in one.checks if c.id == "vn.roster.paid-persons").text.startswith("1 person")
    four = evaluate_dossier(roster(("a", ["party_cell_secretary"]), ("b", ["hamlet_head"]), ("c", ["front_committee_head"]),
                                   ("d", ["hamlet_head"])), "vn", DAY)
    paid = next(c for c in four.checks if c.id == "vn.roster.paid-persons")
    assert paid.status == "fail" and paid.holders == ["a", "b", "c", "d"]


def test_before_decree_33_only_the_circulars_check_applies() -> None:
    rd = evaluate_dossier(roster(("a", ["party_cell_secretary", "hamlet_head"]), ("b", ["party_cell_secretary"])), "vn",
                          date(2021, 6, 1))
    assert [c.id for c in rd.checks] == ["vn.roster.one-head"] and rd.roster == "ok"


def test_an_agencys_roster_is_not_judged_by_a_hamlets_checks() -> None:
    data = {"unit": {"id": "so-khdt", "kind": "agency"},
            "holders": [{"candidate": {"id": "a", "party_status": "full"}, "posts": ["party_committee_secretary", "agency_head"]}]}
    rd = evaluate_dossier(data, "vn.nghe-an", DAY)
    assert rd.checks == [] and rd.fund is None and rd.roster == "ok"
    data["holders"].append({"candidate": {"id": "b"}, "posts": ["hamlet_head"]})
    with pytest.raises(InputError, match="holders.1.posts"):  # a hamlet's post in an agency's roster: bad input
        evaluate_dossier(data, "vn.nghe-an", DAY)


def test_a_forbidden_pair_from_a_proposal_concerns_the_person_holding_both(tmp_path) -> None:
    proposal = tmp_path / "pair.yaml"
    proposal.write_text("roster:\n  - id: test.roster.not-secretary-and-front\n    check: not_together\n"
                        "    posts: [party_cell_secretary, front_committee_head]\n"
                        "    title: {vi: Không kiêm, en: Not together}\n    source: {doc: decree-33-2023}\n", encoding="utf-8")
    data = roster(("a", ["party_cell_secretary", "front_committee_head"]), ("b", ["hamlet_head"]))
    rd = evaluate_dossier(data, "vn", DAY, proposal=proposal)
    pair = next(c for c in rd.checks if c.id == "test.roster.not-secretary-and-front")
    assert pair.status == "fail" and pair.holders == ["a"]
    assert [r.id for r in rd.holders[0].roster] == ["test.roster.not-secretary-and-front"] and rd.holders[1].roster == []


def test_a_malformed_roster_check_is_refused_at_load(tmp_path) -> None:
    proposal = tmp_path / "bad.yaml"
    proposal.write_text("roster:\n  - id: test.roster.bad\n    check: not_together\n    posts: [hamlet_head]\n"
                        "    title: {vi: x, en: x}\n    source: {doc: decree-33-2023}\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="exactly two posts"):
        evaluate_dossier(roster(("a", ["hamlet_head"])), "vn", DAY, proposal=proposal)


def test_structural_problems_are_bad_input_all_at_once() -> None:
    data = roster(("a", ["hamlet_head"]), ("a", ["party_cell_secretary"]))
    data["holders"].append({"candidate": {"id": "z", "birth_date": "1990-01-01", "party_join_date": "1980-01-01"},
                            "posts": []})
    with pytest.raises(InputError) as err:
        read_dossier(data, "slate.yaml", DAY)
    text = err.value.message("en")
    assert "slate.yaml" in text and "holders.2.posts: must not be empty" in text
    assert "holders.2.candidate.party_join_date" in text
    with pytest.raises(InputError, match="a is listed twice"):
        read_dossier(roster(("a", ["hamlet_head"]), ("a", ["party_cell_secretary"])), "slate.yaml", DAY)
    with pytest.raises(InputError, match="candidate"):  # one case's keys beside holders: not a roster field
        read_dossier({**roster(("a", ["hamlet_head"])), "candidate": {"id": "x"}}, "slate.yaml", DAY)


def test_the_roster_reads_out_in_vietnamese_with_sources(capsys) -> None:
    code = run(["evaluate", str(EXAMPLE), "--pack", "vn", "--as-of", "2024-06-01", "--lang", "vi"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Danh sách nhân sự: CÓ VẤN ĐỀ" in out
    assert "có nhiều hơn một người được đề xuất (nguyen-van-a, tran-thi-b)" in out  # the example gives no names
    assert "Nguồn: Điều 12 Thông tư 04/2012/TT-BNV" in out
    assert "Vấn đề của danh sách nhân sự thôn liên quan đến người này" in out
    assert "còn lại 1.500.000 ₫" in out
    code = run(["evaluate", str(EXAMPLE), "--pack", "vn", "--as-of", "2024-06-01", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["roster"] == "problems" and len(data["holders"]) == 3 and "trace" not in data["holders"][0]


# -- the batch's hamlet table agrees with the one-hamlet answer --------------------------------

def _slates(country: str, as_of: date, seed: int) -> list[Roster]:
    rng = random.Random(seed)
    people = [c for c in cases(500, country, as_of, seed=seed) if c.candidate is not None]
    posts = ["party_cell_secretary", "hamlet_head", "front_committee_head", "deputy_hamlet_head",
             "deputy_party_cell_secretary"]
    out, i = [], 0
    while i < len(people) - 4:
        k = rng.randint(1, 4)
        group, i = people[i:i + k], i + k
        holders, seen = [], set()
        for c in group:
            if c.candidate.id not in seen:
                seen.add(c.candidate.id)
                holders.append(Holder(candidate=c.candidate, posts=rng.sample(posts, rng.randint(1, 2))))
        pay = {"party_cell_secretary": 1_800_000, "hamlet_head": 1_700_000, "front_committee_head": rng.choice([1_500_000, 9_000_000])}
        out.append(Roster(hamlet=group[0].hamlet, holders=holders, post_allowances=pay if rng.random() < 0.7 else None))
    return out


@pytest.mark.parametrize("pack,country,as_of", [("vn", "VN", date(2024, 7, 1)), ("vn", "VN", date(2021, 6, 1)),
                                                ("vn.nghe-an", "VN", date(2021, 6, 1)), ("cn", "CN", date(2025, 1, 1))])
def test_the_hamlet_table_matches_the_one_hamlet_answer(pack, country, as_of) -> None:
    pol = policy(pack)
    snap = pol.snapshot(as_of)
    slates = _slates(country, as_of, seed=11)
    envs = [add_terms(flatten(c, as_of), snap.terms) for r in slates for c in r.cases()]
    table = columnar_roster.hamlets(snap, columnar.compiled(snap).evaluate(columnar.frame_from_envs(envs)))
    assert table.height == len(slates)
    verdicts, mismatches = set(), []
    for slate, row in zip(slates, table.to_dicts()):
        rd = evaluate_roster(pol, slate, as_of, backend="reference")
        want = {"roster": rd.roster, "holders": len(rd.holders),
                "failing": ";".join(c.id for c in rd.checks if c.status == "fail"),
                "undetermined": ";".join(c.id for c in rd.checks if c.status == "unknown"),
                "concerned": "; ".join(f"{c.id}: {', '.join(c.holders)}" for c in rd.checks if c.status == "fail"),
                "paid_total": rd.fund.paid_total if rd.fund else row["paid_total"],
                "remainder": rd.fund.remainder if rd.fund else None}
        got = {k: row[k] for k in want}
        verdicts.add(rd.roster)
        if want != got:
            mismatches.append((slate.hamlet.id, want, got))
    assert not mismatches, mismatches[:3]
    assert "problems" in verdicts  # the sample puts the checks to the test


def test_batch_writes_the_hamlet_table_beside_the_rows(tmp_path, capsys) -> None:
    cands = tmp_path / "candidates.csv"
    cands.write_text("candidate_id,hamlet_id,birth_date,party_status,permanent_residence,status,health_ok,disciplined,"
                     "vote_share,posts\n"
                     "a1,xom-7,1975-01-01,full,yes,hamlet_nonprofessional,yes,no,0.7,party_cell_secretary;hamlet_head\n"
                     "a2,xom-7,1980-01-01,full,yes,none,yes,no,0.6,hamlet_head\n"
                     "a3,don-dua,1970-01-01,full,yes,none,yes,no,,front_committee_head\n"
                     "a4,khoi-6,31/02/1990,full,yes,none,yes,no,0.5,hamlet_head\n", encoding="utf-8")
    out, hamlets = tmp_path / "out.csv", tmp_path / "hamlets.csv"
    code = run(["batch", str(ROOT / "examples" / "batch" / "hamlets.csv"), "--candidates", str(cands), "--pack", "vn",
                "--as-of", "2024-06-01", "-o", str(out), "--hamlets", str(hamlets), "--lang", "en"])
    printed = capsys.readouterr().out
    assert code == 1 and "Hamlet rosters (--hamlets): HAS PROBLEMS 1, UNDETERMINED 2" in printed  # 1: a row is an error
    table = pl.read_csv(hamlets)
    assert pl.read_csv(out).height == 5  # rows in = rows out (khoi-6's row is its candidate's), the hamlet table beside
    xom7 = table.filter(pl.col("hamlet_id") == "xom-7").to_dicts()[0]
    assert xom7["roster"] == "problems" and xom7["concerned"] == "vn.roster.one-head: a1, a2" and xom7["holders"] == 2
    unread = table.filter(pl.col("hamlet_id") == "khoi-6").to_dicts()[0]
    assert (unread["roster"], unread["error_rows"], unread["holders"]) == ("undetermined", 1, 0)  # its slate is not known
    empty = table.filter((pl.col("holders") == 0) & (pl.col("error_rows") == 0))
    assert empty.height == 1 and empty["roster"].null_count() == 1  # no one proposed: no roster to judge


def test_a_table_without_rows_gets_an_empty_hamlet_table(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("hamlet_id,candidate_id,posts\n", encoding="utf-8")
    hamlets = tmp_path / "hamlets.csv"
    code = run(["batch", str(empty), "--pack", "vn", "--as-of", "2024-06-01", "-o", str(tmp_path / "out.csv"),
                "--hamlets", str(hamlets)])
    capsys.readouterr()
    assert code == 0 and hamlets.read_text(encoding="utf-8-sig").startswith("hamlet_id,holders,error_rows,roster")

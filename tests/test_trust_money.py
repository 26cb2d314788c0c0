"""Money means one thing everywhere: what is *payable*. A refused person is owed 0; an undetermined
amount is never a 0 in a sum; an unknown that cannot change the amount does not block it.

Regression tests for issue 11 (items 3, 4 and 8), each failing on the code before the fix."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from cli import run
from conftest import ROOT, decide, merge, policy
from engine.backends import columnar
from engine.backends.facts import add_terms, flatten
from engine import api

AS_OF = date(2021, 6, 1)


def _young_head(vn_base: dict) -> dict:
    """A 20-year-old proposed as hamlet head: refused on age (Circular 04/2012: from 21)."""
    return merge(vn_base, {"candidate.birth_date": "2001-01-01", "posts": ["hamlet_head"],
                           "post_allowances": {"hamlet_head": 1_490_000}})


def test_a_refused_candidate_is_owed_nothing_but_sees_what_the_post_would_pay(vn_base) -> None:
    d = decide("vn.nghe-an", _young_head(vn_base), AS_OF, lang="vi")
    assert d.decision == "ineligible"
    assert d.allowance.monthly_total == 0
    assert d.allowance.if_appointed_total == 1_490_000
    assert d.allowance.lines[0].amount == 1_490_000  # per line: what the post would pay, labelled so


def test_the_text_of_a_refusal_never_ends_with_a_sum_owed(vn_base, tmp_path, capsys) -> None:
    path = tmp_path / "young.json"
    path.write_text(json.dumps(_young_head(vn_base)), encoding="utf-8")
    assert run(["evaluate", str(path), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--lang", "vi"]) == 0
    text = capsys.readouterr().out
    assert "Tổng phải chi trả hằng tháng: 1.490.000 ₫" not in text
    assert "Tổng phải chi trả hằng tháng: 0 ₫ (không đủ điều kiện nên không được chi trả)" in text
    assert "Mức hằng tháng nếu đảm nhiệm các chức danh: 1.490.000 ₫" in text


def test_undetermined_decision_leaves_the_payable_amount_open(vn_base) -> None:
    data = merge(vn_base, {"post_allowances": {"party_cell_secretary": 1_755_000, "hamlet_head": 2_340_000}})
    data["candidate"].pop("vote_share")
    d = decide("vn", data, date(2025, 1, 1))
    assert d.decision == "undetermined"
    assert d.allowance.monthly_total is None
    assert d.allowance.if_appointed_total == 4_095_000


def test_batch_and_summary_count_only_what_is_payable(tmp_path) -> None:
    """A generated Nghe An province: the summary's total was 4.92 bn VND, 2.52 bn of it for
    ineligible rows. Now every ineligible row pays 0 and the total is the eligible rows' sum."""
    data, out, summary = tmp_path / "p.parquet", tmp_path / "r.parquet", tmp_path / "s.json"
    assert run(["generate", "--pack", "vn.nghe-an", "--rows", "2000", "-o", str(data)]) == 0
    # the province's own per-post figures, as a board would add them to its table
    pl.read_parquet(data).with_columns(pl.lit(1_490_000).alias("post_allowance_hamlet_head"),
                                       pl.lit(1_490_000).alias("post_allowance_party_cell_secretary")).write_parquet(data)
    code = run(["batch", str(data), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out),
                "--summary", str(summary)])
    assert code in (0, 1)
    rows = pl.read_parquet(out)
    refused = rows.filter(pl.col("decision") == "ineligible")
    assert refused.height > 0
    assert (refused["allowance_monthly_total"] == 0).all()
    assert refused["allowance_if_appointed_total"].drop_nulls().sum() > 0  # the posts would pay
    s = json.loads(summary.read_text(encoding="utf-8"))
    payable = rows.filter(pl.col("decision").is_in(["eligible", "eligible_with_conditions"]))["allowance_monthly_total"]
    assert s["allowance_monthly_at_least"] == int(payable.drop_nulls().sum())
    open_rows = rows.filter(pl.col("allowance_monthly_total").is_null() & (pl.col("decision") != "error"))
    assert s["allowance_undetermined_rows"] == open_rows.height
    assert s["allowance_monthly_total"] is (None if open_rows.height else s["allowance_monthly_at_least"])


def test_a_summary_never_prints_an_unknown_total_as_zero(tmp_path) -> None:
    """Before 25/06/2019 no fund rule is in force: every fund is undetermined, not 0 ₫."""
    from engine.batch.summary import Summary

    pol = policy("vn.nghe-an")
    s = Summary(pol, AS_OF, "vi")
    frame = pl.DataFrame({"hamlet_id": ["a", "b"], "fund_monthly": [None, None], "allowance_monthly_total": [None, 500],
                          "posts_mask": [1, 1], "hamlet_province": ["P", "P"], "hamlet_district": ["D", "D"],
                          "hamlet_commune": ["C", "C"], "decision": ["undetermined", "eligible"],
                          "candidate__party_status": ["full", "full"], "hamlet__kind": ["village", None],
                          "allowance_open": [True, False]},
                         schema_overrides={"fund_monthly": pl.Int64, "allowance_monthly_total": pl.Int64,
                                           "hamlet__kind": pl.String})
    frame = frame.rename({"posts_mask": columnar.listcols.mask("posts")})
    s.add(frame)
    data = s.finish()
    assert data["fund_monthly_total"] is None and data["fund_undetermined_hamlets"] == 2
    assert data["allowance_monthly_total"] is None and data["allowance_monthly_at_least"] == 500
    text = s.text(data)
    assert ": 0 ₫" not in text
    assert "ít nhất 500 ₫; 1 hàng chưa xác định" in text
    assert "Tổng quỹ phụ cấp thôn hằng tháng: chưa xác định (2 thôn chưa xác định)" in text


def test_compare_reports_an_undetermined_change_as_undetermined(tmp_path, capsys) -> None:
    """On the shipped sample, cadres at 50 %: amounts become undetermined; the change is not '0 VND'."""
    code = run(["compare", "--pack", "vn.nghe-an", "--proposal", str(ROOT / "proposals" / "cadre-allowance-50.yaml"),
                "--data", str(ROOT / "examples" / "batch" / "nghe-an-sample.csv"), "--as-of", "2021-06-01",
                "--no-features", "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["allowance_undetermined_rows"] > 0
    assert out["delta_monthly"] is None and out["delta_yearly"] is None
    assert isinstance(out["delta_monthly_known"], int)


def test_a_sweep_costs_only_what_is_payable(tmp_path) -> None:
    """The monthly cost of a sweep point is the payable allowances (0 for refused people) plus
    each hamlet's fund once, over known amounts; unknown ones are counted, not added as 0."""
    from engine.whatif.compare import sweep, sweep_policies

    data = tmp_path / "p.parquet"
    assert run(["generate", "--pack", "vn.nghe-an", "--rows", "500", "-o", str(data)]) == 0
    base, points = sweep_policies("vn.nghe-an", {}, "concurrent_rate_cadre", [0], [])
    got = sweep(base, points, AS_OF, data)[0]
    out = tmp_path / "r.parquet"
    assert run(["batch", str(data), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out)]) in (0, 1)
    rows = pl.read_parquet(out).filter(pl.col("decision") != "error")
    assert rows.filter(pl.col("decision") == "ineligible").height > 0
    hamlets = rows.unique("hamlet_id", keep="first", maintain_order=True)
    assert got["cost_monthly_known"] == int(rows["allowance_monthly_total"].drop_nulls().sum()) + int(
        hamlets["fund_monthly"].drop_nulls().sum())
    # undetermined: a candidate with no payable figure (a hamlet without a candidate owes nothing)
    assert got["undetermined"] == rows.filter(pl.col("candidate_id").is_not_null()
                                              & pl.col("allowance_monthly_total").is_null()).height
    # the known part is not a total while some amount is unknown
    assert got["undetermined"] > 0 and got["cost_monthly"] is None and got["delta_allowance"] is None


def test_a_sweep_never_prints_an_unknown_cost_as_zero(capsys) -> None:
    """cn.hainan fixes no money: every fund of the sweep is undetermined, so the cost per month is
    not "0 CNY" but at least the known part, with the unknowns counted under the table."""
    args = ["compare", "--pack", "cn.hainan", "--set", "hainan_island_max_population=500..1000:500",
            "--data", str(ROOT / "examples" / "batch" / "hainan-sample.parquet"), "--as-of", "2025-06-01"]
    assert run([*args, "--format", "json"]) == 0
    points = json.loads(capsys.readouterr().out)["points"]
    assert all(p["cost_monthly"] is None and p["undetermined_funds"] > 0 for p in points)
    assert run(args) == 0
    text = capsys.readouterr().out
    assert " 0 CNY\n" not in text and "≥ 0 CNY *" in text
    assert "only known amounts are summed, an unknown one is not counted as 0" in text


def test_an_unknown_status_does_not_block_an_amount_every_status_pays_alike(vn_base) -> None:
    """Under ``vn`` from 2023-08-01 every status is paid 100 % of each post: status missing is harmless."""
    data = merge(vn_base, {"post_allowances": {"party_cell_secretary": 1_755_000, "hamlet_head": 2_340_000}})
    data["candidate"].pop("status")
    for backend in ("durable", "reference"):
        d = decide("vn", data, date(2025, 1, 1), backend=backend)
        assert d.decision == "eligible"
        assert [ln.amount for ln in d.allowance.lines] == [1_755_000, 2_340_000]
        assert d.allowance.monthly_total == 4_095_000
    # and where the statuses differ (Nghe An 2021: 75 % or 0 %), it stays undetermined
    d = decide("vn.nghe-an", data, AS_OF)
    assert d.allowance.monthly_total is None


def test_the_columnar_engine_settles_the_same_status_free_amounts(vn_base) -> None:
    data = merge(vn_base, {"post_allowances": {"party_cell_secretary": 1_755_000, "hamlet_head": 2_340_000}})
    data["candidate"].pop("status")
    as_of = date(2025, 1, 1)
    snap = policy("vn").snapshot(as_of)
    env = add_terms(flatten(api.read_case(data, "<t>", as_of), as_of), snap.terms)
    out = columnar.compiled(snap).evaluate(columnar.frame_from_envs([env]))
    assert out["allowance_monthly_total"].to_list() == [4_095_000]
    assert out["amount_hamlet_head"].to_list() == [2_340_000]


def test_batch_columns_say_payable_and_if_appointed(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("hamlet_id,hamlet_kind,hamlet_households,candidate_id,birth_date,party_status,permanent_residence,"
                    "status,vote_share,disciplined,health_ok,posts,post_allowance_hamlet_head\n"
                    "h1,village,200,c1,2001-01-01,full,yes,none,0.8,no,yes,hamlet_head,1490000\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert run(["batch", str(path), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out)]) == 0
    row = pl.read_csv(out).row(0, named=True)
    assert row["decision"] == "ineligible"
    assert row["allowance_monthly_total"] == 0 and row["allowance_if_appointed_total"] == 1_490_000


def test_money_stays_exact_at_the_limits() -> None:
    """Products past 28 digits were rounded (or raised InvalidOperation); sums of 64-bit amounts
    wrapped silently past 9.2 × 10^18. Found by the rule-pack fuzz suite."""
    from decimal import Decimal

    from engine.policy.outcome import money
    from engine.batch.summary import Summary

    assert money(Decimal(123456789012345), Decimal(987654321098765)) == 123456789012345 * 987654321098765
    assert money(Decimal("0.75"), 1_490_000) == 1_117_500 and money(Decimal("2.5")) == 3
    s = Summary(policy("vn"), AS_OF, "en")
    n = 20
    s.add(pl.DataFrame({"hamlet_id": [f"h{i}" for i in range(n)], "fund_monthly": [10**18] * n,
                        "allowance_monthly_total": [10**18] * n, "posts_mask": [1] * n,
                        "hamlet_province": ["P"] * n, "hamlet_district": ["D"] * n, "hamlet_commune": ["C"] * n,
                        "decision": ["eligible"] * n, "candidate__party_status": ["full"] * n,
                        "hamlet__kind": ["village"] * n, "allowance_open": [False] * n},
                       schema_overrides={"fund_monthly": pl.Int64, "allowance_monthly_total": pl.Int64}
                       ).rename({"posts_mask": columnar.listcols.mask("posts")}))
    data = s.finish()
    assert data["allowance_monthly_total"] == data["fund_monthly_total"] == n * 10**18


def test_compare_counts_a_lost_grant_as_a_certain_change(tmp_path, capsys) -> None:
    """Henan: villages that become ineligible lose a certain 50,000 yuan a year; that is a change,
    not an undetermined amount (grant_yearly is 0 where surely no grant applies)."""
    data = tmp_path / "he.parquet"
    assert run(["generate", "--pack", "cn.henan", "--rows", "300", "-o", str(data)]) == 0
    capsys.readouterr()
    code = run(["compare", "--pack", "cn.henan", "--set", "cn_min_age=45", "--data", str(data), "--as-of", "2024-06-01",
                "--no-features", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    lost = out["transition"].get("eligible", {}).get("ineligible", 0)
    assert lost > 0
    assert out["grant_undetermined_rows"] < lost  # only cases undetermined under a policy
    # 39 of them were one-shoulder villages: each loses a certain 50,000 yuan a year
    assert out["delta_yearly_known"] == -39 * 50_000


def test_compare_does_not_count_a_hamlet_without_a_candidate_as_undetermined(tmp_path, capsys) -> None:
    src = tmp_path / "ho.csv"
    src.write_text("hamlet_id,hamlet_kind,hamlet_households,candidate_id,birth_date,party_status,permanent_residence,"
                   "status,vote_share,disciplined,health_ok,posts,post_allowance_hamlet_head\n"
                   "h1,village,200,c1,1980-01-01,full,yes,none,0.8,no,yes,hamlet_head,1000000\n"
                   "h2,village,200,,,,,,,,,,\n", encoding="utf-8")
    code = run(["compare", "--pack", "vn", "--set", "head_min_age=50", "--data", str(src), "--as-of", "2025-01-01",
                "--no-features", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["allowance_undetermined_rows"] == 0
    assert out["delta_allowance_monthly"] == -1_000_000  # c1 (born 1980) is refused at 50

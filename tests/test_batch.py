"""Batch: every input row out, in order, answered or reported with its row, column and value;
CSV/XLSX/Parquet/JSON Lines; joined tables; safe outputs; the summary and area targets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from cli import run
from conftest import ROOT, policy
from engine import api
from engine.batch import run as batch_mod

HEADER = ("hamlet_id,hamlet_name,hamlet_country,hamlet_province,hamlet_district,hamlet_commune,hamlet_kind,"
          "hamlet_households,hamlet_area,candidate_id,birth_date,party_status,permanent_residence,status,vote_share,"
          "disciplined,health_ok,posts")
GOOD = "h{i},Xóm {i},VN,Nghệ An,Yên Thành,Thọ Thành,village,{hh},none,c{i},1980-01-01,full,yes,hamlet_nonprofessional,80 %,no,yes,party_cell_secretary;hamlet_head"
ROWS = [
    GOOD.format(i=1, hh=200),
    GOOD.format(i=2, hh=420),
    "h3,Xóm 3,VN,Nghệ An,Yên Thành,Thọ Thành,village,many,none,c3,1980-01-01,full,yes,none,0.8,no,yes,hamlet_head",
    "h4,Xóm 4,VN,Nghệ An,Yên Thành,Thọ Thành,village,-5,none,c4,1980-01-01,full,yes,none,0.8,no,yes,hamlet_head",
    "h5,Xóm 5,VN,Nghệ An,Yên Thành,Thọ Thành,village,100,none,c5,1980-01-01,full,yes,none,1.3,no,yes,hamlet_head",
    "h6,Xóm 6,VN,Nghệ An,Yên Thành,Thọ Thành,village,100,none,c6,2030-01-01,full,yes,none,0.8,no,yes,hamlet_head",
    "h7,Xóm 7,VN,Nghệ An,Yên Thành,Thọ Thành,village,100,none,c7,1980-01-01,honorary,yes,none,0.8,no,yes,hamlet_head",
    "h8,Xóm 8,VN,Nghệ An,Yên Thành,Thọ Thành,village,100,none,c8,1980-01-01,full,yes,none,0.8,no,yes,chairman",
    "h9,=HYPERLINK(\"x\"),VN,Nghệ An,Yên Thành,Thọ Thành,village,100,none,c9,1980-01-01,full,yes,none,46 %,no,maybe,hamlet_head",
    GOOD.format(i=10, hh=90).replace("80 %", ""),
]


def _csv(tmp_path: Path, sep: str = ",", bom: bool = False) -> Path:
    text = "\n".join([HEADER, *ROWS]) + "\n"
    if sep == ";":
        text = text.replace(",", ";").replace("party_cell_secretary;hamlet_head", "party_cell_secretary,hamlet_head")
    path = tmp_path / "cases.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _batch(capsys, *args: str) -> tuple[int, str, str]:
    code = run(["batch", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("sep,bom", [(",", False), (";", True)])
def test_every_row_comes_out_in_order_answered_or_reported(capsys, tmp_path, sep, bom) -> None:
    src = _csv(tmp_path, sep, bom)
    out, errs = tmp_path / "out.csv", tmp_path / "errors.csv"
    code, stdout, stderr = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out),
                                  "--errors", str(errs), "--lang", "en")
    assert code == 1 and "7 rows could not be read" in stderr
    res = pl.read_csv(out, infer_schema=False)
    assert res.height == len(ROWS)
    assert res["row"].to_list() == [str(i) for i in range(2, 2 + len(ROWS))]  # spreadsheet rows, header is row 1
    assert res["hamlet_id"].to_list() == [f"h{i}" for i in range(1, 11)]
    by_id = {r["hamlet_id"]: r for r in res.to_dicts()}
    assert by_id["h1"]["decision"] == "eligible" and by_id["h1"]["fund_monthly"] == "4470000"
    assert by_id["h2"]["fund_monthly"] == "7450000"  # 420 households: 5.0 × 1,490,000
    assert by_id["h10"]["decision"] == "undetermined" and by_id["h10"]["missing"] == "candidate.vote_share;candidate.trusted_by_people"
    expected = {
        "h3": "hamlet_households: expected a whole number (such as 1.490.000 or 1490000), at most "
              "1,000,000,000,000,000 (given: 'many')",
        "h4": "hamlet_households: must be at least 0 (given: '-5')",
        "h5": "vote_share: expected a share between 0 and 1 or a percentage (such as 0.646 or 64,6 %) (given: '1.3')",
        "h6": "birth_date: is after the as-of date 2021-06-01 (given: '2030-01-01')",
        "h7": "party_status: expected one of none, probationary, full (given: 'honorary')",
        "h8": "posts: expected one of party_cell_secretary",
        "h9": "health_ok: expected yes or no",
    }
    for hid, message in expected.items():
        assert by_id[hid]["decision"] == "error"
        assert by_id[hid]["error"].startswith(message), by_id[hid]["error"]
    assert by_id["h9"]["hamlet_name"] == "'=HYPERLINK(\"x\")"  # neutralised for spreadsheets
    e = pl.read_csv(errs, infer_schema=False)
    assert e["row"].to_list() == ["4", "5", "6", "7", "8", "9", "10"]
    assert e.filter(pl.col("row") == "4")["column"][0] == "hamlet_households"
    assert e.filter(pl.col("row") == "4")["value"][0] == "many"
    assert "Rows: 10" in stdout and "error" in stdout


def test_vietnamese_messages(capsys, tmp_path) -> None:
    src = _csv(tmp_path)
    out = tmp_path / "out.csv"
    _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out), "--lang", "vi")
    res = pl.read_csv(out, infer_schema=False)
    row = res.filter(pl.col("hamlet_id") == "h3").row(0, named=True)
    assert row["error"] == ("hamlet_households: cần một số nguyên (ví dụ 1.490.000 hoặc 1490000), không quá "
                            "1.000.000.000.000.000 (nhận được: 'many')")
    assert res.filter(pl.col("hamlet_id") == "h1")["explanation"][0] == "ĐỦ ĐIỀU KIỆN"


def test_chinese_explanations_name_the_decision_in_chinese(capsys, tmp_path) -> None:
    """Regression: the decision word of a row's explanation was taken from (Vietnamese, English)
    pairs, so under --lang zh it was English ("UNDETERMINED — 缺少：…")."""
    out = tmp_path / "out.csv"
    src = ROOT / "examples" / "batch" / "hainan-sample.parquet"
    code, _, _ = _batch(capsys, str(src), "--pack", "cn.hainan", "--as-of", "2025-06-01", "-o", str(out), "--lang", "zh")
    assert code == 0
    words = {e.split(" — ")[0] for e in pl.read_csv(out, infer_schema=False)["explanation"].to_list()}
    assert words == {"符合条件", "不符合条件", "暂无法确定"}


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx", ".jsonl"])
def test_formats_round_trip(capsys, tmp_path, suffix) -> None:
    src = tmp_path / f"cases{suffix}"
    code = run(["generate", "--pack", "vn.nghe-an", "--rows", "300", "-o", str(src)])
    capsys.readouterr()
    assert code == 0
    out = tmp_path / f"out{suffix}"
    code, _, err = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out))
    assert code == 0, err
    res = {".parquet": pl.read_parquet, ".xlsx": pl.read_excel, ".jsonl": pl.read_ndjson}[suffix](out)
    if suffix == ".xlsx":  # the board's workbook: headings and decisions in the pack's language (tests/test_workbook.py)
        from engine.i18n import t

        res = res.rename({t(f"workbook.column.{c}", "vi"): c for c in ("row", "decision", "pack_hash")}).with_columns(
            pl.col("decision").replace({t("workbook.decision.error", "vi"): "error"}))
    assert res.height == 300
    first = 2 if suffix == ".xlsx" else 1
    assert [int(r) for r in res["row"].to_list()] == list(range(first, first + 300))
    assert (res["decision"] == "error").sum() == 0
    assert set(res["pack_hash"]) == {policy("vn.nghe-an").hash}


def test_batch_agrees_with_evaluate_row_by_row(capsys, tmp_path) -> None:
    src = tmp_path / "cases.parquet"
    run(["generate", "--pack", "vn.nghe-an", "--rows", "200", "-o", str(src), "--seed", "5"])
    out = tmp_path / "out.parquet"
    _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out))
    res = pl.read_parquet(out)
    inp = pl.read_parquet(src)
    pol = policy("vn.nghe-an")
    for raw, got in list(zip(inp.to_dicts(), res.to_dicts()))[:60]:
        case = {"hamlet": {k[len("hamlet_"):]: v for k, v in raw.items() if k.startswith("hamlet_") and v is not None},
                "candidate": {("id" if k == "candidate_id" else k): v for k, v in raw.items()
                              if not k.startswith("hamlet_") and k != "posts" and v is not None},
                "posts": raw["posts"].split(";")}
        case["hamlet"]["area"] = [] if case["hamlet"]["area"] == "none" else case["hamlet"]["area"].split(";")
        d = api.evaluate(pol, api.read_case(case), date(2021, 6, 1))
        assert d.decision == got["decision"]
        assert (d.fund.monthly if d.fund else None) == got["fund_monthly"]
        assert ";".join(c.id for c in d.criteria if c.status == "fail" and c.strength == "must") == got["failing"]
        assert ";".join(a.criterion for a in d.advisories) == got["advisories"]


def test_joined_tables_and_missing_hamlet(capsys, tmp_path) -> None:
    hamlets = tmp_path / "hamlets.csv"
    hamlets.write_text("hamlet_id,hamlet_kind,hamlet_households,hamlet_area\nA,village,400,none\nB,village,100,none\n"
                       "C,village,100,border\n", encoding="utf-8")
    cands = tmp_path / "candidates.csv"
    cands.write_text("hamlet_id,candidate_id,birth_date,party_status,status,posts\nA,x1,1980-01-01,full,none,party_cell_secretary\n"
                     "Z,x2,1980-01-01,full,none,party_cell_secretary\nB,x3,1980-01-01,probationary,none,party_cell_secretary\n",
                     encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, _ = _batch(capsys, str(hamlets), "--candidates", str(cands), "--pack", "vn", "--as-of", "2025-01-01",
                        "-o", str(out))
    assert code == 1
    res = pl.read_csv(out, infer_schema=False)
    assert res["hamlet_id"].to_list() == ["A", "Z", "B", "C"]
    assert res["decision"].to_list() == ["eligible", "error", "ineligible", "not_applicable"]
    assert "hamlet_id 'Z' không có trong bảng thôn" in res["error"][1]  # in the run's language (the pack's: vi)
    assert res["fund_monthly"].to_list()[0] == "14040000" and res["fund_monthly"].to_list()[3] == "14040000"


def test_an_interrupted_run_leaves_no_output(capsys, tmp_path, monkeypatch) -> None:
    src = tmp_path / "cases.parquet"
    run(["generate", "--pack", "vn.nghe-an", "--rows", "500", "-o", str(src)])
    out = tmp_path / "out.parquet"
    calls = {"n": 0}
    real = batch_mod.evaluate_chunk

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_mod, "evaluate_chunk", flaky)
    with pytest.raises(KeyboardInterrupt):
        batch_mod.run(policy("vn.nghe-an"), date(2021, 6, 1), [src], out, None, "en", chunk_rows=200, progress=False)
    assert not out.exists()
    assert list(tmp_path.glob(".out.parquet*")) == []


def test_output_is_deterministic(capsys, tmp_path) -> None:
    src = _csv(tmp_path)
    outs = []
    for name in ("a.csv", "b.csv"):
        _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(tmp_path / name))
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


def test_chunked_and_whole_runs_agree(capsys, tmp_path) -> None:
    src = tmp_path / "cases.parquet"
    run(["generate", "--pack", "cn.hainan", "--rows", "1000", "-o", str(src)])
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    _batch(capsys, str(src), "--pack", "cn.hainan", "--as-of", "2025-01-01", "-o", str(a))
    _batch(capsys, str(src), "--pack", "cn.hainan", "--as-of", "2025-01-01", "-o", str(b), "--chunk-rows", "97")
    assert pl.read_parquet(a).equals(pl.read_parquet(b))


def test_malformed_json_line_is_one_error_row(capsys, tmp_path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text('{"hamlet": {"id": "a", "households": 100, "area": []}}\n{not json\n'
                   '{"hamlet_id": "c", "hamlet_kind": "village", "hamlet_households": 400, "hamlet_area": []}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, _ = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2025-01-01", "-o", str(out))
    res = pl.read_ndjson(out)
    assert code == 1
    assert res["decision"].to_list() == ["not_applicable", "error", "not_applicable"]
    assert res["fund_monthly"].to_list() == [10530000, None, 14040000]
    assert res["row"].to_list() == [1, 2, 3]


def test_summary_counts_funds_once_and_judges_targets(capsys, tmp_path) -> None:
    src = tmp_path / "dn.csv"
    rows = ["hamlet_id,hamlet_province,hamlet_district,hamlet_commune,hamlet_kind,hamlet_households,hamlet_area,"
            "candidate_id,party_status,posts"]
    for i in range(10):  # commune A: 9 of 10 heads are members -> meets 90 %
        rows.append(f"a{i},Đà Nẵng,D1,A,village,100,none,ca{i},{'none' if i == 0 else 'full'},hamlet_head")
    for i in range(4):  # commune B: 2 of 4 -> short by 2 (ceil(0.9 × 4) = 4)
        rows.append(f"b{i},Đà Nẵng,D1,B,village,100,none,cb{i},{'full' if i < 2 else 'none'},hamlet_head")
    rows.append("a1,Đà Nẵng,D1,A,village,100,none,extra,full,party_cell_secretary")  # same hamlet again
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = tmp_path / "summary.json"
    code, stdout, _ = _batch(capsys, str(src), "--pack", "vn.da-nang", "--as-of", "2025-06-01", "-o",
                             str(tmp_path / "o.parquet"), "--summary", str(summary))
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["fund_monthly_total"] == 14 * 4.5 * 2340000  # 14 distinct hamlets, a1 counted once
    assert data["hamlet_heads"] == 14 and data["hamlet_heads_party_members"] == 11
    t = {(x["scope"], x["area"]): x for x in data["targets"]}
    assert t[("commune", "Đà Nẵng / D1 / A")]["meets"] is True
    b = t[("commune", "Đà Nẵng / D1 / B")]
    assert (b["meets"], b["short_by"], b["by"]) == (False, 2, "2025-12-31")
    assert t[("district", "Đà Nẵng / D1")]["short_by"] == 2  # ceil(0.9 × 14) = 13, 11 members
    assert "short by 2" in stdout or "thiếu 2" in stdout


def test_unknown_file_type_and_missing_file(capsys, tmp_path) -> None:
    bad = tmp_path / "cases.txt"
    bad.write_text("x", encoding="utf-8")
    code, _, err = _batch(capsys, str(bad), "--pack", "vn", "--as-of", "2025-01-01", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and "unknown file type '.txt'" in err
    code, _, err = _batch(capsys, str(tmp_path / "nope.csv"), "--pack", "vn", "--as-of", "2025-01-01", "-o",
                          str(tmp_path / "o.csv"))
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize("name,pack", [("nghe-an-sample.csv", "vn.nghe-an"), ("da-nang-sample.xlsx", "vn.da-nang"),
                                       ("hainan-sample.parquet", "cn.hainan")])
def test_shipped_samples_run(capsys, tmp_path, name, pack) -> None:
    code, stdout, err = _batch(capsys, str(ROOT / "examples" / "batch" / name), "--pack", pack, "--as-of", "2025-01-01",
                               "-o", str(tmp_path / "out.parquet"))
    assert code == 0, err
    assert pl.read_parquet(tmp_path / "out.parquet").height == pl.read_parquet(tmp_path / "out.parquet")["row"].max() - (
        0 if name.endswith(".parquet") else 1)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_an_empty_table_gives_an_empty_result(capsys, tmp_path, suffix) -> None:
    src = tmp_path / "empty.csv"
    src.write_text("hamlet_id,hamlet_kind,hamlet_households\n", encoding="utf-8")
    out, errs = tmp_path / f"out{suffix}", tmp_path / "errors.csv"
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2025-01-01", "-o", str(out), "--errors", str(errs))
    assert code == 0, err
    assert out.exists() and errs.exists()


def test_formula_cells_from_a_parquet_dictionary_column_are_neutralised(capsys, tmp_path) -> None:
    """Parquet text columns arrive as categories; a spreadsheet would still run them."""
    src = tmp_path / "cases.parquet"
    pl.DataFrame({"hamlet_id": ["h1", "h2"], "hamlet_province": ["=cmd|'/c calc'!A1", "Nghệ An"],
                  "hamlet_households": [100, 200]}).with_columns(pl.col("hamlet_province").cast(pl.Categorical)
                                                                   ).write_parquet(src)
    out = tmp_path / "out.csv"
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2025-01-01", "-o", str(out))
    assert code == 0, err
    assert pl.read_csv(out, infer_schema=False)["hamlet_province"].to_list() == ["'=cmd|'/c calc'!A1", "Nghệ An"]


def test_parquet_list_columns_are_read_as_lists(capsys, tmp_path) -> None:
    """Lists in Parquet: items as given, [] an explicit empty list, null unknown, a bad item reported."""
    src = tmp_path / "cases.parquet"
    pl.DataFrame({
        "hamlet_id": ["h1", "h2", "h3", "h4"], "hamlet_households": [100, 100, 100, 100],
        "hamlet_area": [[], ["mountainous"], None, []],
        "candidate_id": ["c1", "c2", "c3", "c4"],
        "posts": [["party_cell_secretary", "hamlet_head"], [], None, ["chairman"]],
    }, schema_overrides={"hamlet_area": pl.List(pl.String), "posts": pl.List(pl.String)}).write_parquet(src)
    out, errs = tmp_path / "out.csv", tmp_path / "errors.csv"
    code, _, _ = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2025-01-01", "-o", str(out), "--errors", str(errs),
                        "--lang", "en")
    res = pl.read_csv(out, infer_schema=False)
    assert code == 1 and res.height == 4
    assert res["decision"][3] == "error" and res["error"][3].startswith("posts: expected one of")
    assert res["allowance_monthly_total"][1] == "0"  # an explicit empty list of posts: nothing to pay
    assert res["allowance_monthly_total"][2] is None  # posts not given: undetermined
    assert pl.read_csv(errs, infer_schema=False)["row"].to_list() == ["4"]

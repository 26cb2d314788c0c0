"""Real inputs read right and nothing lost (issue 11 items 1, 2, 5, 6, 7, 9, 10, and the table
findings of the hardening issue). Each test failed on the code before its fix."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from cli import run
from conftest import ROOT, decide, merge

CSV_HEADER = ("hamlet_id,hamlet_province,hamlet_district,hamlet_kind,hamlet_households,candidate_id,birth_date,"
              "party_status,permanent_residence,status,vote_share,disciplined,health_ok,posts")


def _row(i: int, share: str = "0.646", district: str = "Yên Thành", status: str = "hamlet_nonprofessional",
         kind: str = "village", households: str = "200") -> str:
    return (f"h{i},Nghệ An,{district},{kind},{households},c{i},1980-01-01,full,yes,{status},\"{share}\",no,yes,"
            "party_cell_secretary;hamlet_head")


def _batch(capsys, *args: str) -> tuple[int, str, str]:
    code = run(["batch", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _results(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def _csv_batch(capsys, tmp_path: Path, rows: list[str], *extra: str, header: str = CSV_HEADER
               ) -> tuple[int, str, pl.DataFrame | None]:
    """Write ``rows`` under ``header`` as a CSV, run a Nghe An batch on it; (exit, stderr, results)."""
    src, out = tmp_path / "t.csv", tmp_path / "o.csv"
    src.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, _, err = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out), *extra)
    return code, err, _results(out) if out.exists() else None


# -- 1. numbers and shares ---------------------------------------------------------------------


@pytest.mark.parametrize("share,want", [("0.646", 0.646), ("0,685", 0.685), ("64,6 %", 0.646), ("0.512", 0.512)])
def test_shares_with_three_decimals_are_read_not_refused(capsys, tmp_path, share, want) -> None:
    code, err, res = _csv_batch(capsys, tmp_path, [_row(i, share) for i in range(1, 4)])
    assert code == 0, err
    assert set(res["decision"]) == {"eligible"}


def test_a_numeric_spreadsheet_share_cell_is_read(capsys, tmp_path) -> None:
    import xlsxwriter

    src = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet("Danh sách")
    names = CSV_HEADER.split(",")
    ws.write_row(0, 0, names)
    pct = wb.add_format({"num_format": "0%"})
    for r in range(1, 4):
        values = _row(r).replace('"', "").split(",")
        for c, v in enumerate(values):
            if names[c] == "vote_share":
                ws.write_number(r, c, 0.512, pct)
            elif names[c] == "hamlet_households":
                ws.write_number(r, c, 1200)
            elif names[c] == "birth_date":
                ws.write_datetime(r, c, datetime(1980, 1, 1), wb.add_format({"num_format": "dd/mm/yyyy"}))
            else:
                ws.write(r, c, v)
    wb.close()
    out = tmp_path / "o.csv"
    code, _, err = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out))
    assert code == 0, err
    res = _results(out)
    assert set(res["decision"]) == {"eligible"} and res["row"].to_list() == ["2", "3", "4"]


def test_money_cells_in_every_style(capsys, tmp_path) -> None:
    rows = [_row(i).replace("party_cell_secretary;hamlet_head", "hamlet_head") + f",\"{m}\""
            for i, m in enumerate(["1.490.000", "1,490,000", "1 490 000 ₫", "1490000"], 1)]
    code, err, res = _csv_batch(capsys, tmp_path, rows, header=CSV_HEADER + ",post_allowance_hamlet_head")
    assert code == 0, err
    assert res["allowance_monthly_total"].to_list() == ["1490000"] * 4


# -- 2. a header that is not found refuses the table; nothing silently shrinks -----------------------


def test_an_unknown_header_is_refused_not_shrunk_to_one_row(capsys, tmp_path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("Họ và tên,Số hộ\nA,100\nB,200\n", encoding="utf-8")
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "-o", str(tmp_path / "o.csv"))
    assert code == 2
    assert "no header row found" in err and "hamlet_id" in err and "'Họ và tên'" in err
    assert not (tmp_path / "o.csv").exists()


def test_foo_bar_is_no_header(capsys, tmp_path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("foo,bar\n1,2\n", encoding="utf-8")
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and "no header row found" in err and "row 1" in err


def test_close_names_are_suggested(capsys, tmp_path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("hamlet_idd,hamlet_househols,party_statuss\nh1,100,full\n", encoding="utf-8")
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and "'hamlet_idd' → 'hamlet_id'?" in err


def test_title_rows_above_the_header_are_passed_over(capsys, tmp_path) -> None:
    rows = [CSV_HEADER, *[_row(i) for i in range(1, 61)]]
    code, err, res = _csv_batch(capsys, tmp_path, rows, header="HUYỆN ỦY NGHI LỘC,,\nDANH SÁCH NHÂN SỰ,,")
    assert code == 0, err
    assert res.height == 60 and res["row"].to_list()[:2] == ["4", "5"]  # the sheet's own row numbers


def test_utf16_is_refused_and_a_legacy_code_page_is_named(capsys, tmp_path) -> None:
    text = "\n".join([CSV_HEADER, _row(1)]) + "\n"
    u16 = tmp_path / "u16.csv"
    u16.write_bytes(text.encode("utf-16"))
    code, _, err = _batch(capsys, str(u16), "--pack", "vn", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and "UTF-16" in err
    legacy = tmp_path / "cp.csv"
    legacy.write_bytes(text.encode("cp1258", errors="replace"))  # Vietnamese in Windows-1258 (as far as it goes)
    code, _, err = _batch(capsys, str(legacy), "--pack", "vn", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and "not UTF-8" in err and "line 2" in err


def test_ragged_rows_and_embedded_newlines_keep_rows_in_equal_rows_out(capsys, tmp_path) -> None:
    rows = [_row(1), _row(2) + ",extra,cells", _row(3).replace("h3,", '"h3\nsecond line",', 1), _row(4)]
    code, _, res = _csv_batch(capsys, tmp_path, rows)
    assert code == 1
    assert res.height == 4
    assert res["decision"].to_list() == ["eligible", "error", "eligible", "eligible"]
    assert "16 ô" in res["error"][1]  # in the run's language (the pack's: vi)


@pytest.mark.parametrize("rows", [0, 1, 63, 64, 65, 300])
def test_rows_in_equal_rows_out_in_every_format(capsys, tmp_path, rows) -> None:
    frame = pl.read_csv(ROOT / "examples" / "batch" / "nghe-an-sample.csv", infer_schema=False).head(rows)
    for suffix in (".csv", ".parquet", ".jsonl", ".xlsx"):
        src = tmp_path / f"in{suffix}"
        {".csv": frame.write_csv, ".parquet": frame.write_parquet, ".jsonl": frame.write_ndjson,
         ".xlsx": frame.write_excel}[suffix](src)
        out = tmp_path / f"out{suffix}.parquet"
        code, _, err = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out))
        assert code in (0, 1), (suffix, err)
        assert pl.read_parquet(out).height == rows, suffix


# -- 5. overlays merge dated values ---------------------------------------------------------------


def test_a_proposal_from_a_later_date_keeps_the_earlier_history(capsys, tmp_path) -> None:
    prop = tmp_path / "late.yaml"
    prop.write_text("parameters:\n  concurrent_rate_nonprofessional:\n    values:\n"
                    "      2025-01-01: {value: 0.9, source: {doc: resolution-21-2023-nghe-an}}\n", encoding="utf-8")
    code = run(["evaluate", str(ROOT / "examples" / "vn.nghe-an" / "quy-hop-secretary-and-head.yaml"), "--pack",
                "vn.nghe-an", "--as-of", "2021-06-01", "--proposal", str(prop), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["allowance"]["monthly_total"] == 2_607_500  # 75 % still in force in 2021
    prop.write_text(prop.read_text().replace("    values:", "    replace: true\n    values:"), encoding="utf-8")
    code = run(["rules", "lint", "--pack", "vn.nghe-an", "--rules", str(prop)])
    assert "overlay-unsets-parameter" in capsys.readouterr().out


# -- 6. an output is never an input --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_output_equal_to_the_input_is_refused(capsys, tmp_path, suffix) -> None:
    frame = pl.read_csv(ROOT / "examples" / "batch" / "nghe-an-sample.csv", infer_schema=False).head(5)
    src = tmp_path / f"in{suffix}"
    frame.write_csv(src) if suffix == ".csv" else frame.write_excel(src)
    before = src.read_bytes()
    code, _, err = _batch(capsys, str(src), "--pack", "vn.nghe-an", "-o", str(src))
    assert code == 2 and "would be overwritten" in err
    link = tmp_path / f"link{suffix}"
    link.symlink_to(src)
    code, _, err = _batch(capsys, str(src), "--pack", "vn.nghe-an", "-o", str(link))
    assert code == 2
    assert src.read_bytes() == before


# -- 7. titles take their thresholds from parameters ------------------------------------------------


def test_a_title_follows_a_proposal_that_moves_its_threshold(capsys, tmp_path, vn_base) -> None:
    prop = tmp_path / "p.yaml"
    prop.write_text("parameters:\n  head_min_age:\n    values:\n      2012-08-31: {value: 25, source: "
                    "{doc: circular-04-2012}}\n", encoding="utf-8")
    dossier = tmp_path / "d.json"
    dossier.write_text(json.dumps(merge(vn_base, {"candidate.birth_date": "1999-01-01"})), encoding="utf-8")
    code = run(["evaluate", str(dossier), "--pack", "vn", "--as-of", "2021-06-01", "--proposal", str(prop), "--lang", "vi"])
    text = capsys.readouterr().out
    assert code == 0
    assert "Trưởng thôn từ đủ 25 tuổi: không đạt" in text and "từ đủ 21 tuổi" not in text


# -- 9. every mistake at once -------------------------------------------------------------------------


def test_a_dossier_with_four_mistakes_gets_four_messages(capsys, tmp_path, vn_base) -> None:
    data = merge(vn_base, {"hamlet.households": "many", "candidate.vote_share": 1.3, "candidate.birth_date": "2030-01-01",
                           "posts": ["chairman"]})
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code = run(["evaluate", str(path), "--pack", "vn", "--as-of", "2021-06-01", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and "4 problems" in err
    for field in ("hamlet.households", "candidate.vote_share", "candidate.birth_date", "posts.0"):
        assert field in err


def test_a_row_with_three_mistakes_reports_all_three(capsys, tmp_path) -> None:
    bad = _row(2, share="1.3", households="many").replace(",full,", ",honorary,")
    errs = tmp_path / "e.csv"
    code, _, res = _csv_batch(capsys, tmp_path, [_row(1), bad], "--errors", str(errs), "--lang", "en")
    assert code == 1
    message = res["error"][1]
    for column in ("hamlet_households", "party_status", "vote_share"):
        assert column in message
    assert _results(errs)["column"].to_list() == ["hamlet_households", "party_status", "vote_share"]


# -- 10. decomposed Unicode -----------------------------------------------------------------------------


def test_decomposed_names_are_one_district(capsys, tmp_path) -> None:
    nfd = unicodedata.normalize("NFD", "Yên Thành")
    assert nfd != "Yên Thành"
    summary = tmp_path / "s.json"
    code, _, _ = _csv_batch(capsys, tmp_path, [_row(1), _row(2, district=nfd)], "--summary", str(summary))
    assert code == 0
    assert len(json.loads(summary.read_text(encoding="utf-8"))["by_area"]) == 1


def test_decomposed_codes_in_a_dossier_are_read(vn_base) -> None:
    data = merge(vn_base, {"candidate.permanent_residence": unicodedata.normalize("NFD", "có")})
    assert decide("vn", data, date(2021, 6, 1)).decision == "eligible"


# -- the table findings of the hardening issue --------------------------------------------------------


@pytest.mark.parametrize("n", [10, 100])
@pytest.mark.parametrize("column,value", [("party_status", "founder"), ("status", "boss"), ("hamlet_kind", "city")])
def test_unknown_codes_are_flagged_in_any_table_size(capsys, tmp_path, n, column, value) -> None:
    rows = [_row(i) for i in range(1, n + 1)]
    names = CSV_HEADER.split(",")
    cells = rows[4].split(",")
    cells[names.index(column)] = value
    rows[4] = ",".join(cells)
    code, _, res = _csv_batch(capsys, tmp_path, rows)
    assert code == 1
    assert res["decision"][4] == "error" and column in res["error"][4]


def test_unknown_codes_in_a_parquet_dictionary_column_are_flagged(capsys, tmp_path) -> None:
    frame = pl.read_csv(ROOT / "examples" / "batch" / "nghe-an-sample.csv", infer_schema=False).head(100)
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 7).then(pl.lit("boss")).otherwise(pl.col("status"))
                               .cast(pl.Categorical).alias("status"))
    src = tmp_path / "t.parquet"
    frame.write_parquet(src)
    out = tmp_path / "o.parquet"
    code, _, _ = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out))
    assert code == 1 and pl.read_parquet(out)["decision"][7] == "error"


@pytest.mark.parametrize("value", ["99999999999999999999", "1e30"])
def test_a_huge_number_is_an_error_not_a_blank(capsys, tmp_path, value) -> None:
    code, _, res = _csv_batch(capsys, tmp_path, [_row(1, households=value)])
    assert code == 1 and "hamlet_households" in res["error"][0]


def test_a_workbook_whose_first_sheet_is_a_note(capsys, tmp_path) -> None:
    import xlsxwriter

    src = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(src)
    wb.add_worksheet("Ghi chú").write(0, 0, "Danh sách ở trang sau")
    ws = wb.add_worksheet("Danh sách")
    ws.write_row(0, 0, CSV_HEADER.split(","))
    ws.write_row(1, 0, _row(1).replace('"', "").split(","))
    ws.write_row(3, 0, _row(2).replace('"', "").split(","))  # row 3 left blank
    wb.close()
    out = tmp_path / "o.csv"
    code, _, err = _batch(capsys, str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(out))
    assert code == 0, err
    res = _results(out)
    assert res["row"].to_list() == ["2", "3", "4"]  # the blank row does not shift the numbers, and comes out
    assert res["decision"].to_list() == ["eligible", "skipped", res["decision"][2]] and res["decision"][2] != "skipped"


def test_a_header_only_workbook_to_parquet(capsys, tmp_path) -> None:
    pl.DataFrame({c: [] for c in CSV_HEADER.split(",")}, schema={c: pl.String for c in CSV_HEADER.split(",")}
                 ).write_excel(tmp_path / "t.xlsx")
    out = tmp_path / "o.parquet"
    code, _, err = _batch(capsys, str(tmp_path / "t.xlsx"), "--pack", "vn", "-o", str(out))
    assert code == 0, err
    assert pl.read_parquet(out).height == 0


def test_false_is_not_a_count_and_a_huge_allowance_is_refused(vn_base) -> None:
    from engine.errors import InputError

    with pytest.raises(InputError, match="hamlet.local_party_members"):
        decide("vn", merge(vn_base, {"hamlet.local_party_members": False}), date(2021, 6, 1))
    with pytest.raises(InputError, match="post_allowances.hamlet_head"):
        decide("vn", merge(vn_base, {"post_allowances": {"hamlet_head": 10**28}}), date(2021, 6, 1))


# -- posts unknown: three-valued like every other field -------------------------------------------------


def test_a_candidate_without_posts_is_undetermined_when_a_post_rule_fails(cn_base) -> None:
    data = merge(cn_base, {"candidate.vote_share": 0.3})
    data.pop("posts")
    for backend in ("durable", "reference"):
        d = decide("cn", data, date(2025, 1, 1), backend=backend)
        assert d.decision == "undetermined" and "posts" in d.missing, backend


@pytest.mark.parametrize("pack,country", [("cn.hainan", "CN"), ("vn.nghe-an", "VN")])
def test_a_definite_answer_without_posts_holds_for_every_list_of_posts(pack, country) -> None:
    """Kleene soundness for ``posts``: when the engine answers without the posts, every possible
    list of posts gives that same answer."""
    from itertools import combinations

    from conftest import policy
    from engine.backends.facts import add_terms, flatten
    from engine.backends.reference import verdicts
    from engine.policy.outcome import fold
    from engine.contract.fields import POSTS
    from engine.batch.synth import cases

    as_of = date(2025, 1, 1)
    snap = policy(pack).snapshot(as_of)

    def decision(case) -> str:
        env = add_terms(flatten(case, as_of), snap.terms)
        return fold(snap, env, verdicts(snap, env)).decision

    lists = [list(c) for n in range(1, len(POSTS) + 1) for c in combinations(POSTS, n)]
    seen = 0
    for case in cases(300, country, as_of, seed=5):
        if case.candidate is None:
            continue
        seen += 1
        blind = case.model_copy(update={"posts": None})
        answer = decision(blind)
        if answer == "undetermined":
            continue
        for posts in lists:
            assert decision(case.model_copy(update={"posts": posts})) == answer, (blind, posts)
    assert seen > 100


# -- found in review -------------------------------------------------------------------------------


def test_a_json_number_with_a_point_is_never_read_as_thousands(capsys, tmp_path) -> None:
    src = tmp_path / "n.jsonl"
    src.write_text('{"hamlet_id":"h1","hamlet_kind":"village","hamlet_households":1.234,"candidate_id":"c1",'
                   '"posts":["hamlet_head"]}\n{"hamlet_id":"h2","hamlet_kind":"village","hamlet_households":400.0,'
                   '"vote_share":0.646}\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, _ = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2024-01-01", "-o", str(out))
    res = _results(out)
    assert code == 1 and res["decision"][0] == "error" and "hamlet_households" in res["error"][0]
    assert res["fund_monthly"][1] == "10800000"  # 400 households: the large-hamlet fund


def test_numeric_workbook_cells_stay_numbers_and_rows_keep_the_sheets_numbers(capsys, tmp_path) -> None:
    import xlsxwriter

    src = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet("s")
    ws.write_row(3, 1, ["hamlet_id", "hamlet_kind", "hamlet_households"])  # the header in B4
    ws.write_row(4, 1, ["h1", "village", 1.234])
    ws.write_row(6, 1, ["h2", "village", 420])  # row 6 left blank
    wb.close()
    out = tmp_path / "o.csv"
    code, _, _ = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2024-01-01", "-o", str(out))
    res = _results(out)
    assert code == 1
    assert res["row"].to_list() == ["5", "6", "7"]  # the blank row inside the table is a row, skipped
    assert res["decision"][0] == "error" and "1.234" in res["error"][0]
    assert res["decision"][1] == "skipped" and res["fund_monthly"][2] == "10800000"


def test_a_comma_file_with_lists_is_not_taken_for_semicolons(capsys, tmp_path) -> None:
    src = tmp_path / "s.csv"
    src.write_text("hamlet_id,hamlet_kind,hamlet_area,posts\nh1,village,border;island;mountainous,"
                   "party_cell_secretary;hamlet_head\n", encoding="utf-8")
    code, _, err = _batch(capsys, str(src), "--pack", "vn", "--as-of", "2024-01-01", "-o", str(tmp_path / "s-o.csv"))
    assert code in (0, 1), err


def test_a_blank_csv_line_is_no_row_and_the_others_keep_their_numbers(capsys, tmp_path) -> None:
    code, _, res = _csv_batch(capsys, tmp_path, [_row(1), "", _row(2)])
    assert code == 0 and res["row"].to_list() == ["2", "4"]


def test_digits_from_other_scripts_are_read_alike_by_both_parsers(tmp_path, vn_base) -> None:
    from engine.contract import cells
    from engine.errors import InputError

    with pytest.raises(cells.CellError):
        cells.parse_whole("１２３")  # full-width digits: refused in a dossier as in a table
    with pytest.raises(InputError):
        decide("vn", merge(vn_base, {"hamlet.households": "１２３"}), date(2021, 6, 1))


def test_unknown_amounts_are_counted_alike_everywhere(capsys, tmp_path) -> None:
    """A candidate whose posts are not given has no payable figure: undetermined, not an exact
    total; a hamlet without a candidate owes nothing and is no 'undetermined case'."""
    rows = ["h1,village,200,c1,1980-01-01,full,yes,none,0.8,no,yes,hamlet_head,1000000",
            "h2,village,200,c2,1980-01-01,full,yes,none,0.8,no,yes,,",
            "h3,village,200,,,,,,,,,,"]
    header = ("hamlet_id,hamlet_kind,hamlet_households,candidate_id,birth_date,party_status,permanent_residence,"
              "status,vote_share,disciplined,health_ok,posts,post_allowance_hamlet_head")
    summary = tmp_path / "s.json"
    code, err, res = _csv_batch(capsys, tmp_path, rows, "--summary", str(summary), header=header)
    assert code == 0, err
    s = json.loads(summary.read_text(encoding="utf-8"))
    assert s["allowance_monthly_total"] is None and s["allowance_undetermined_rows"] == 1
    assert s["allowance_monthly_at_least"] == 1_000_000


def test_lint_finds_an_unsourced_null_an_overlay_adds_mid_history(capsys, tmp_path) -> None:
    prop = tmp_path / "p.yaml"
    prop.write_text("parameters:\n  concurrent_rate_nonprofessional:\n    values:\n      2024-01-01: {value: null}\n",
                    encoding="utf-8")
    run(["rules", "lint", "--pack", "vn", "--rules", str(prop)])
    assert "overlay-unsets-parameter" in capsys.readouterr().out


def test_a_ragged_file_skips_blank_lines_and_keeps_row_numbers_like_any_other(capsys, tmp_path) -> None:
    code, _, res = _csv_batch(capsys, tmp_path, [_row(1), "", _row(2) + ",extra", _row(3)])
    assert code == 1
    assert res["row"].to_list() == ["2", "4", "5"] and res["decision"].to_list() == ["eligible", "error", "eligible"]

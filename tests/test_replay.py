"""Byte-identical replay: the same command twice gives the same bytes, in every output format —
evaluate (text, Markdown, JSON), batch results (CSV, XLSX, Parquet, JSON Lines), --errors,
--summary (text and JSON), compare (--format json, --report, --cases, --export-scenarios),
generate. Each command runs several times, into fresh folders; the XLSX runs a second apart
(its creation date used to be the clock's)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cli import run
from conftest import ROOT
from test_batch import HEADER, ROWS
from test_compare import CASES

DON_DUA = ROOT / "examples" / "vn.nghe-an" / "don-dua-civil-servant-secretary.yaml"
PROPOSAL = ROOT / "proposals" / "cadre-allowance-50.yaml"
VN = ["--pack", "vn.nghe-an", "--as-of", "2021-06-01"]


def _replay(capsys, tmp_path: Path, argv, files: list[str], times: int = 2, pause: float = 0.0) -> None:  # noqa: ANN001
    """Run ``argv(folder)`` ``times`` times; stdout and every file must be the same bytes each time."""
    seen: list[tuple[str, dict[str, bytes]]] = []
    for i in range(times):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        code = run(argv(folder))
        out = capsys.readouterr().out.replace(str(folder), "<folder>")  # a message may name the output
        assert code in (0, 1), code
        seen.append((out, {name: (folder / name).read_bytes() for name in files}))
        if pause and i + 1 < times:
            time.sleep(pause)
    first_out, first_files = seen[0]
    for out, files_i in seen[1:]:
        assert out == first_out
        for name in files:
            assert files_i[name] == first_files[name], f"{name} differs between runs"


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """A table with good rows and every kind of bad row (so --errors has content)."""
    path = tmp_path / "cases.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def province(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "province.parquet"
    assert run(["generate", "--pack", "vn.nghe-an", "--rows", "2000", "-o", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_evaluate(capsys, tmp_path, fmt) -> None:
    _replay(capsys, tmp_path, lambda d: ["evaluate", str(DON_DUA), *VN, "--format", fmt, "--trace"], [])
    (tmp_path / "o").mkdir()
    _replay(capsys, tmp_path / "o", lambda d: ["evaluate", str(DON_DUA), *VN, "--format", fmt, "-o", str(d / "out")],
            ["out"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".jsonl"])
def test_batch_results_and_errors(capsys, tmp_path, table, suffix) -> None:
    _replay(capsys, tmp_path, lambda d: ["batch", str(table), *VN, "-o", str(d / f"out{suffix}"), "--errors",
                                         str(d / f"errors{suffix}")],
            [f"out{suffix}", f"errors{suffix}"], pause=1.1 if suffix == ".xlsx" else 0.0)


def test_batch_joined_tables(capsys, tmp_path) -> None:
    hamlets = tmp_path / "hamlets.csv"
    hamlets.write_text("hamlet_id,hamlet_kind,hamlet_households,hamlet_area\nh1,village,200,none\nh2,village,90,none\n"
                       "h3,village,300,none\n", encoding="utf-8")
    cands = tmp_path / "candidates.csv"
    cands.write_text("hamlet_id,candidate_id,birth_date,party_status,posts\nh1,c1,1980-01-01,full,hamlet_head\n"
                     "h9,c2,1980-01-01,full,hamlet_head\nh2,c3,1980-01-01,none,hamlet_head\n", encoding="utf-8")
    _replay(capsys, tmp_path, lambda d: ["batch", str(hamlets), "--candidates", str(cands), *VN, "-o", str(d / "o.csv"),
                                         "--errors", str(d / "e.csv")], ["o.csv", "e.csv"])


@pytest.mark.parametrize("name", ["summary.json", "summary.txt"])
def test_batch_summary(capsys, tmp_path, province, name) -> None:
    _replay(capsys, tmp_path, lambda d: ["batch", str(province), *VN, "-o", str(d / "o.parquet"), "--summary",
                                         str(d / name)], [name], times=6)



def test_compare_json_report_cases_and_scenarios(capsys, tmp_path) -> None:
    data = tmp_path / "cases.csv"
    data.write_text(CASES, encoding="utf-8")
    _replay(capsys, tmp_path, lambda d: ["compare", *VN, "--proposal", str(PROPOSAL), "--data", str(data), "--format", "json",
                                         "--report", str(d / "report.html"), "--cases", str(d / "changed.csv"),
                                         "--export-scenarios", str(d / "pinned")],
            ["report.html", "changed.csv", "pinned/vn.nghe-an.proposal.feature"])


def test_compare_on_a_generated_province(capsys, tmp_path, province) -> None:
    _replay(capsys, tmp_path, lambda d: ["compare", *VN, "--proposal", str(PROPOSAL), "--data", str(province),
                                         "--format", "json", "--no-features", "--report", str(d / "report.html"),
                                         "--cases", str(d / "changed.xlsx")],
            ["report.html", "changed.xlsx"], times=3, pause=0.5)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl", ".xlsx"])
def test_generate(capsys, tmp_path, suffix) -> None:
    _replay(capsys, tmp_path, lambda d: ["generate", "--pack", "cn.hainan", "--rows", "300", "-o", str(d / f"p{suffix}")],
            [f"p{suffix}"], pause=1.1 if suffix == ".xlsx" else 0.0)

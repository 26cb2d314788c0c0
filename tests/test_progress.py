"""Long runs show progress, and ``generate`` streams (issue 17).

- the bar (``engine.io.progress``): redrawn at most ten times a second, in the user's language,
  ending with its own line and a newline; nothing when hidden; a table's rows estimated cheaply;
- ``batch``, ``compare``, ``generate`` and ``test`` run under a pseudo-terminal draw it on
  stderr with the total and the rate, and stdout (a pipe here) carries the results alone; with
  ``--quiet``, or a stderr that is not a terminal, there is no bar;
- ``generate`` makes and writes the province in pieces, and the pieces are the whole table:
  the same values, and the bytes the whole table written at once gives, in every format.
"""

from __future__ import annotations

import hashlib
import io
import os
import select
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import ROOT
from engine.batch.synth import province, province_chunks, write_province
from engine.io.progress import Progress, table_rows


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_is_redrawn_at_most_ten_times_a_second_and_ends_with_a_line_of_its_own() -> None:
    clock, stream = Clock(), io.StringIO()
    with Progress("rows", "en", 2000, show=True, stream=stream, clock=clock) as bar:
        for _ in range(2000):  # 2,000 steps over two seconds: twenty redraws, not 2,000
            clock.now += 0.001
            bar.advance()
    text = stream.getvalue()
    assert 18 <= text.count("\r") <= 22
    assert text.endswith("\n") and text.count("\n") == 1
    assert "/2,000 rows · 1,000 rows/s · 0:01 left" in text
    assert "]  50% " in text and "[████████████░░░░░░░░░░░░]" in text  # half way: half the bar
    assert text.rstrip().endswith("2,000 rows in 0:02 · 1,000 rows/s")


def test_the_words_are_the_users_language_and_an_estimate_short_of_the_rows_done_never_overflows() -> None:
    for lang, words in (("vi", ["1.500/1.500 hàng", "hàng/giây", "còn 0:00", "1.500 hàng trong 0:03"]),
                        ("zh", ["1,500/1,500 行", "每秒 500 行", "剩余 0:00", "1,500 行，用时 0:03"])):
        clock, stream = Clock(), io.StringIO()
        with Progress("rows", lang, 1000, show=True, stream=stream, clock=clock) as bar:
            for _ in range(3):
                clock.now += 1
                bar.advance(500)
        text = stream.getvalue()
        for w in words:
            assert w in text, (lang, w, text)
        assert "150%" not in text and "100%" in text


def test_without_a_total_the_count_and_rate_and_hidden_nothing_at_all() -> None:
    clock, stream = Clock(), io.StringIO()
    with Progress("scenarios", "en", show=True, stream=stream, clock=clock) as bar:
        clock.now = 2
        bar.advance(10)
    assert "10 scenarios · 5 scenarios/s" in stream.getvalue() and "[" not in stream.getvalue()
    for show in (False, None):  # None: only on a terminal, which a StringIO is not
        quiet = io.StringIO()
        with Progress("rows", "en", 10, show=show, stream=quiet) as bar:
            bar.advance(10)
        assert quiet.getvalue() == ""


def test_a_run_stopped_early_ends_the_line_without_a_summary() -> None:
    stream = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        with Progress("rows", "en", 100, show=True, stream=stream, clock=Clock()) as bar:
            bar.advance(10)
            raise KeyboardInterrupt
    assert stream.getvalue().endswith("\n") and " in " not in stream.getvalue()


def test_a_tables_rows_are_estimated_from_lines_the_sheets_range_or_the_parquet_count(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"x,y\n1,2\n3,4\n5,6")  # no newline after the last row
    assert table_rows(tmp_path / "a.csv") == 3
    for suffix in (".xlsx", ".parquet", ".jsonl", ".csv"):
        write_province("vn.nghe-an", 250, tmp_path / f"p{suffix}", progress=False)
        assert table_rows(tmp_path / f"p{suffix}") == 250, suffix
    assert table_rows(tmp_path / "missing.csv") is None


# -- generate: in pieces, the same table --------------------------------------------------------


@pytest.mark.parametrize("pack", ["vn.nghe-an", "vn.da-nang", "cn.hainan"])
def test_the_pieces_are_the_whole_table(pack: str) -> None:
    for rows, chunk in ((0, 10), (1, 10), (30, 10), (2500, 1000), (999, 1000)):
        whole = province(pack, rows, seed=5)
        pieces = list(province_chunks(pack, rows, seed=5, chunk_rows=chunk))
        assert [p.height for p in pieces] == ([min(chunk, rows - s) for s in range(0, rows, chunk)] or [0])
        assert pl.concat(pieces).equals(whole), (pack, rows, chunk)


def _written_whole(frame: pl.DataFrame, suffix: str) -> bytes:
    """The file ``generate`` wrote before it streamed: the whole table, written at once."""
    from engine.batch.run import xlsx_bytes

    buffer = io.BytesIO()
    if suffix == ".parquet":
        frame.write_parquet(buffer)
        return buffer.getvalue()
    flat = frame.with_columns(pl.col("birth_date").cast(pl.String))
    if suffix == ".xlsx":
        return xlsx_bytes(flat, None, "cases", autofit=False)
    if suffix == ".csv":
        flat.write_csv(buffer)
    else:
        flat.write_ndjson(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".xlsx"])
def test_generate_writes_in_pieces_the_bytes_of_the_whole_table(tmp_path: Path, suffix: str) -> None:
    for pack, rows in (("vn.nghe-an", 2500), ("cn.hainan", 1001)):
        out = tmp_path / f"{pack}-{rows}{suffix}"
        assert write_province(pack, rows, out, seed=9, progress=False, chunk_rows=1000) == rows
        expected = _written_whole(province(pack, rows, seed=9), suffix)
        assert hashlib.sha256(out.read_bytes()).hexdigest() == hashlib.sha256(expected).hexdigest(), (pack, suffix)


# -- the commands, under a pseudo-terminal --------------------------------------------------------


def _run(args: list[str], terminal: bool = True) -> tuple[int, str, str]:
    """The command with stdout a pipe and stderr a pseudo-terminal (or a pipe): exit code, stdout, stderr."""
    import pty

    cmd = [sys.executable, str(ROOT / "cli.py"), *args]
    if not terminal:
        done = subprocess.run(cmd, capture_output=True, cwd=ROOT, timeout=300)
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, cwd=ROOT)
    os.close(slave)
    err = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    block = os.read(master, 1 << 16)
                except OSError:  # the other end closed
                    break
                if not block:
                    break
                err += block
            elif proc.poll() is not None:
                break
        out = proc.stdout.read() if proc.stdout else b""
        proc.wait(timeout=300)
    finally:
        os.close(master)
    return proc.returncode, out.decode(), err.decode()


SAMPLE = ROOT / "examples" / "batch" / "nghe-an-sample.csv"
PROPOSAL = ROOT / "proposals" / "cadre-allowance-50.yaml"


def _commands(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """Each long command, and the total its bar must show."""
    rows = str(sum(1 for _ in SAMPLE.open(encoding="utf-8")) - 1)
    return {
        "generate": (["generate", "--pack", "vn.nghe-an", "--rows", "3000", "-o", str(tmp / "g.csv")], "/3,000 rows"),
        "batch": (["batch", str(SAMPLE), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(tmp / "out.csv"),
                   "--lang", "en"], f"/{rows} rows"),
        "compare": (["compare", "--pack", "vn.nghe-an", "--proposal", str(PROPOSAL), "--data", str(SAMPLE), "--as-of",
                     "2025-06-01", "--no-features"], f"/{rows} rows"),
        "test": (["test", "--features", str(ROOT / "features" / "cn.hainan" / "dao-nho.feature")], "/2 scenarios"),
    }


@pytest.mark.parametrize("command", ["generate", "batch", "compare", "test"])
def test_a_long_command_draws_a_bar_with_total_and_rate_on_a_terminal_and_keeps_stdout_clean(
        tmp_path: Path, command: str) -> None:
    args, total = _commands(tmp_path)[command]
    code, out, err = _run(args)
    assert code in (0, 1), err
    assert "\r  [" in err and total in err, err  # the bar, with its total
    assert "/s" in err and err.endswith("\n")  # the rate; the line ended
    assert "\r" not in out and "█" not in out and "/s" not in out and out.strip()  # the results alone


@pytest.mark.parametrize("command", ["generate", "batch"])
def test_no_bar_with_quiet_or_when_stderr_is_not_a_terminal(tmp_path: Path, command: str) -> None:
    args_ = _commands(tmp_path)[command][0]
    for run_args, terminal in ((args_ + ["--quiet"], True), (args_, False)):
        for f in tmp_path.iterdir():
            f.unlink()
        code, out, err = _run(run_args, terminal)
        assert code in (0, 1), err
        assert "█" not in err and "/s" not in err and "\r" not in err, err
        assert out.strip()

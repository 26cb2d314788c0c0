"""A batch run killed with SIGINT, SIGTERM or SIGKILL at points spread over its life (just after
its first temporary appears, a third and two thirds of the way, and the moment the results file
is renamed into place, before --errors and --summary): every output is then absent or exactly the
complete run's bytes, never half-written; after SIGINT and SIGTERM no temporary is left (and the
exit code is non-zero); after SIGKILL the next run removes the dead process's temporaries.

One generated input of 200,000 rows, written as CSV in chunks of 20,000; ≈ 20–25 s in all."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

ROWS, CHUNK = 200_000, 20_000
OUTPUTS = ("out.csv", "errors.csv", "summary.json")


def _start(src: Path, folder: Path) -> subprocess.Popen:
    args = [sys.executable, str(ROOT / "cli.py"), "batch", str(src), "--pack", "vn.nghe-an", "--as-of", "2021-06-01",
            "-o", str(folder / "out.csv"), "--errors", str(folder / "errors.csv"), "--summary",
            str(folder / "summary.json"), "--chunk-rows", str(CHUNK)]
    # Ctrl-C must reach Python as KeyboardInterrupt even when the tests run in a background job
    # (where SIGINT is inherited as ignored)
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _temporaries(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


@pytest.fixture(scope="module")
def complete(tmp_path_factory) -> dict:
    """The input, and the bytes and duration of an uninterrupted run."""
    from cli import run

    base = tmp_path_factory.mktemp("kill")
    src = base / "province.parquet"
    assert run(["generate", "--pack", "vn.nghe-an", "--rows", str(ROWS), "-o", str(src)]) == 0
    folder = base / "complete"
    folder.mkdir()
    proc = _start(src, folder)
    _wait_for(folder, proc, lambda: bool(_temporaries(folder)))
    started = time.monotonic()  # the run's work, from its first temporary to its exit
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return {"src": src, "seconds": time.monotonic() - started,
            "bytes": {name: (folder / name).read_bytes() for name in OUTPUTS}}


def _wait_for(folder: Path, proc: subprocess.Popen, ready) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 60
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)


def _kill_at(complete: dict, folder: Path, sig: int, point: str, rng: random.Random) -> subprocess.Popen:
    proc = _start(complete["src"], folder)
    if point == "renamed":  # the results are in place, --errors and --summary are not yet
        _wait_for(folder, proc, lambda: (folder / "out.csv").exists())
    else:
        _wait_for(folder, proc, lambda: bool(_temporaries(folder)))
        share = {"first-temporary": 0.0, "a-third": 1 / 3, "two-thirds": 2 / 3}[point]
        time.sleep(share * complete["seconds"] * rng.uniform(0.8, 1.2))
    proc.send_signal(sig)
    _, proc.stderr_text = proc.communicate(timeout=60)  # kept for the assertion messages
    return proc


def _check_outputs(complete: dict, folder: Path) -> list[str]:
    present = []
    for name in OUTPUTS:
        path = folder / name
        if path.exists():
            assert path.read_bytes() == complete["bytes"][name], f"{name} is half-written"
            present.append(name)
    return present


POINTS = ["first-temporary", "a-third", "two-thirds", "renamed"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_sigint_and_sigterm_leave_complete_outputs_or_none_and_no_temporary(tmp_path, complete, sig) -> None:
    rng = random.Random(12)
    for point in POINTS:
        folder = tmp_path / point
        folder.mkdir()
        proc = _kill_at(complete, folder, sig, point, rng)
        present = _check_outputs(complete, folder)
        assert _temporaries(folder) == [], (point, proc.stderr_text)
        if present == list(OUTPUTS):  # it finished before the signal came, or while it was exiting
            # (after the last output, Python's own handlers are back: the signal then ends it as
            # the signal's default would, with every output already complete)
            assert proc.returncode in (0, -sig, 1 if sig == signal.SIGINT else 143), (point, proc.returncode)
        else:
            assert proc.returncode == (1 if sig == signal.SIGINT else 143), (point, proc.returncode, proc.stderr_text)
            assert len(present) < len(OUTPUTS)


def test_sigkill_leaves_complete_outputs_or_none_and_the_next_run_removes_its_temporaries(tmp_path, complete) -> None:
    from cli import run

    rng = random.Random(13)
    tiny = tmp_path / "tiny.csv"
    from test_compare import CASES

    tiny.write_text(CASES, encoding="utf-8")
    for point in POINTS:
        folder = tmp_path / point
        folder.mkdir()
        proc = _kill_at(complete, folder, signal.SIGKILL, point, rng)
        present = _check_outputs(complete, folder)
        assert proc.returncode == -signal.SIGKILL or (proc.returncode == 0 and present == list(OUTPUTS)), point
        left = _temporaries(folder)
        assert all(f".{proc.pid}." in name for name in left), left  # only the killed run's
        assert left or point != "first-temporary", point  # killed at its start: its temporaries are there
        # the next run (a small one, to the same outputs) removes them
        code = run(["batch", str(tiny), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "-o", str(folder / "out.csv"),
                    "--errors", str(folder / "errors.csv"), "--summary", str(folder / "summary.json")])
        assert code in (0, 1) and _temporaries(folder) == [], point

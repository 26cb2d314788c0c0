"""Output files against hostile and broken surroundings (issue 12): a symlink planted where the
temporary goes, a stale temporary of a killed run, a second Ctrl-C during clean-up, and a missing
folder, a read-only one or a full disk — for every writer: batch results (each format), --errors,
--summary, evaluate -o, compare --report / --cases / --export-scenarios, generate."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from cli import run
from conftest import ROOT, policy
from engine.io import atomic
from engine.batch import run as batch_mod
from engine.errors import OutputError
from test_compare import CASES

DON_DUA = ROOT / "examples" / "vn.nghe-an" / "don-dua-civil-servant-secretary.yaml"
PROPOSAL = ROOT / "proposals" / "cadre-allowance-50.yaml"
VN = ["--pack", "vn.nghe-an", "--as-of", "2021-06-01"]


def _cases(tmp_path: Path) -> Path:
    data = tmp_path / "cases.csv"
    if not data.exists():
        data.write_text(CASES, encoding="utf-8")
    return data


# Every writer of the tool: (name, the argv writing the file `out`, the file's name)
def _writers(tmp_path: Path) -> dict[str, tuple[Callable[[Path], list[str]], str]]:
    data = str(tmp_path / "cases.csv" if tmp_path.name == "nonexistent" else _cases(tmp_path))
    ok = str(tmp_path / "ok.csv")
    return {
        "batch-csv": (lambda o: ["batch", data, *VN, "-o", str(o)], "out.csv"),
        "batch-xlsx": (lambda o: ["batch", data, *VN, "-o", str(o)], "out.xlsx"),
        "batch-parquet": (lambda o: ["batch", data, *VN, "-o", str(o)], "out.parquet"),
        "batch-jsonl": (lambda o: ["batch", data, *VN, "-o", str(o)], "out.jsonl"),
        "batch-errors": (lambda o: ["batch", data, *VN, "-o", ok, "--errors", str(o)], "errors.csv"),
        "batch-summary": (lambda o: ["batch", data, *VN, "-o", ok, "--summary", str(o)], "summary.txt"),
        "batch-summary-json": (lambda o: ["batch", data, *VN, "-o", ok, "--summary", str(o)], "summary.json"),
        "evaluate": (lambda o: ["evaluate", str(DON_DUA), *VN, "-o", str(o)], "decision.txt"),
        "compare-report": (lambda o: ["compare", *VN, "--proposal", str(PROPOSAL), "--data", data, "--no-features",
                                      "--report", str(o)], "report.html"),
        "compare-cases": (lambda o: ["compare", *VN, "--proposal", str(PROPOSAL), "--data", data, "--no-features",
                                     "--cases", str(o)], "changed.csv"),
        "compare-scenarios": (lambda o: ["compare", *VN, "--proposal", str(PROPOSAL), "--data", data, "--no-features",
                                         "--export-scenarios", str(o)], "pinned"),
        "generate": (lambda o: ["generate", "--pack", "vn.nghe-an", "--rows", "50", "-o", str(o)], "province.parquet"),
    }


WRITERS = list(_writers(Path("/nonexistent")))


def _leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp")) if folder.is_dir() else []


# -- 1. temporaries: created exclusively, never a link; stale ones of dead processes removed -----

@pytest.mark.parametrize("planted", ["{name}.tmp", ".{name}.{pid}.tmp"])
@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "compare-scenarios"])
def test_a_symlink_planted_at_the_temporary_name_is_never_followed(capsys, tmp_path, writer, planted) -> None:
    argv, name = _writers(tmp_path)[writer]
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    link = folder / planted.format(name=name, pid=os.getpid())
    link.symlink_to(victim)
    code = run(argv(folder / name))
    capsys.readouterr()
    assert code in (0, 1), writer
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (folder / name).is_file() and not (folder / name).is_symlink()


def test_a_symlink_planted_for_the_exported_scenarios_is_never_followed(capsys, tmp_path) -> None:
    argv, _ = _writers(tmp_path)["compare-scenarios"]
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    folder = tmp_path / "pinned"
    folder.mkdir()
    for planted in ("vn.nghe-an.proposal.feature.tmp", f".vn.nghe-an.proposal.feature.{os.getpid()}.tmp"):
        (folder / planted).symlink_to(victim)
    assert run(argv(folder)) == 0
    capsys.readouterr()
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_the_temporary_is_a_fresh_hidden_file_named_with_the_pid(tmp_path) -> None:
    out = tmp_path / "results.csv"
    with atomic.AtomicFile(out) as f:
        assert f.tmp is not None and f.tmp.parent == tmp_path
        assert f.tmp.name.startswith(f".results.csv.{os.getpid()}.") and f.tmp.name.endswith(".tmp")
        st = os.lstat(f.tmp)
        assert not os.path.islink(f.tmp) and st.st_size == 0 and st.st_nlink == 1
        f.write(b"a,b\n")
        assert not out.exists()  # nothing at the output before it is complete
    assert out.read_bytes() == b"a,b\n" and _leftovers(tmp_path) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporaries_of_dead_processes_are_removed_and_live_ones_kept(capsys, tmp_path) -> None:
    data = _cases(tmp_path)
    out = tmp_path / "out.csv"
    dead = _dead_pid()
    stale = [tmp_path / f".out.csv.{dead}.tmp", tmp_path / f".out.csv.{dead}.k3j_x9.tmp"]
    for s in stale:
        s.write_text("half", encoding="utf-8")
    stale_link = tmp_path / f".out.csv.{dead}.zz.tmp"
    stale_link.symlink_to(tmp_path / "cases.csv")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".out.csv.{sleeper.pid}.abc.tmp"
        live.write_text("being written", encoding="utf-8")
        other = tmp_path / f".other.csv.{dead}.tmp"  # another output's: not ours to judge
        other.write_text("x", encoding="utf-8")
        assert run(["batch", str(data), *VN, "-o", str(out)]) == 0
        capsys.readouterr()
        assert not any(s.exists() or s.is_symlink() for s in [*stale, stale_link])
        assert (tmp_path / "cases.csv").read_text(encoding="utf-8") == CASES  # the link's target untouched
        assert live.read_text(encoding="utf-8") == "being written" and other.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_second_ctrl_c_during_clean_up_still_removes_the_temporary(tmp_path, monkeypatch) -> None:
    src = tmp_path / "cases.parquet"
    assert run(["generate", "--pack", "vn.nghe-an", "--rows", "600", "-o", str(src)]) == 0
    out = tmp_path / "out.parquet"
    calls = {"n": 0}
    real_eval = batch_mod.evaluate_chunk

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # the first chunk is written by then: the temporary exists
            raise KeyboardInterrupt
        return real_eval(*args, **kwargs)

    from concurrent.futures import ThreadPoolExecutor

    real_shutdown = ThreadPoolExecutor.shutdown

    def shutdown_pressed_again(self, wait=True, **kwargs):
        signal.raise_signal(signal.SIGINT)  # Ctrl-C again, while the pipeline winds down
        return real_shutdown(self, wait, **kwargs)

    monkeypatch.setattr(batch_mod, "evaluate_chunk", interrupted)
    monkeypatch.setattr(ThreadPoolExecutor, "shutdown", shutdown_pressed_again)
    with pytest.raises(KeyboardInterrupt):
        batch_mod.run(policy("vn.nghe-an"), date(2021, 6, 1), [src], out, tmp_path / "errors.csv", "en",
                      chunk_rows=200, progress=False)
    monkeypatch.undo()
    assert not out.exists() and _leftovers(tmp_path) == []


def test_an_interrupt_in_the_middle_of_abort_is_held_until_the_temporary_is_gone(tmp_path, monkeypatch) -> None:
    f = atomic.AtomicFile(tmp_path / "x.txt")
    f.write(b"partial")
    real_close = os.close

    def close_pressed_again(fd: int) -> None:
        signal.raise_signal(signal.SIGINT)
        real_close(fd)

    with pytest.raises(KeyboardInterrupt):
        with monkeypatch.context() as m:
            m.setattr(os, "close", close_pressed_again)
            f.abort()
    assert _leftovers(tmp_path) == [] and not (tmp_path / "x.txt").exists()


def test_systemexit_while_writing_removes_the_temporary(tmp_path) -> None:
    with pytest.raises(SystemExit):
        with atomic.AtomicFile(tmp_path / "x.txt") as f:
            f.write(b"partial")
            raise SystemExit(1)
    assert list(tmp_path.iterdir()) == []


def test_writing_through_a_symlink_at_the_output_itself_is_allowed(tmp_path) -> None:
    """The user may point -o at a link; the link is replaced by the file (rename), its target
    is never written half-way."""
    target = tmp_path / "target.txt"
    target.write_text("old", encoding="utf-8")
    out = tmp_path / "out.txt"
    out.symlink_to(target)
    atomic.write_text(out, "new")
    assert out.read_text(encoding="utf-8") == "new" and target.read_text(encoding="utf-8") == "old"


# -- 2. a missing folder, a read-only one, a full disk: a message naming the file, exit 2 -------

@contextlib.contextmanager
def _tmpfs(folder: Path, options: str) -> Iterator[bool]:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    try:
        yield done.returncode == 0
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def broken(tmp_path: Path, request) -> Iterator[Path]:
    """A folder where writing fails: missing, read-only, or on a full file system."""
    kind = request.param
    if kind == "missing":
        yield tmp_path / "no" / "such" / "folder"
        return
    folder = tmp_path / kind
    if kind == "read-only":
        if os.geteuid() != 0:
            folder.mkdir()
            folder.chmod(0o555)
            yield folder
            folder.chmod(0o755)
            return
        with _tmpfs(folder, "ro,size=64k") as ok:
            if not ok:
                pytest.skip("running as root, and a read-only tmpfs cannot be mounted here: chmod would not stop root")
            yield folder
        return
    with _tmpfs(folder, "size=64k") as ok:
        if not ok:
            pytest.skip("a small tmpfs cannot be mounted here (needs root); /dev/full is tested below")
        with contextlib.suppress(OSError), open(folder / "filler", "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        yield folder


@pytest.mark.parametrize("broken", ["missing", "read-only", "full"], indirect=True)
@pytest.mark.parametrize("writer", WRITERS)
def test_an_unwritable_output_is_a_clear_message_naming_the_file(capsys, tmp_path, broken, writer) -> None:
    argv, name = _writers(tmp_path)[writer]
    out = broken / name
    made = not broken.parent.exists()
    code = run(argv(out))
    if writer == "compare-scenarios" and made:  # a missing folder is made (mkdir -p)
        capsys.readouterr()
        assert code == 0 and (out / "vn.nghe-an.proposal.feature").is_file() and _leftovers(out) == []
        return
    gc.collect()  # a half-built zip must not complain while being collected
    err = capsys.readouterr().err
    assert code == 2, err
    assert str(out) in err or str(out.parent) in err, err
    assert "internal error" not in err and "Traceback" not in err and "Exception ignored" not in err, err
    assert ("cannot write" in err and "không ghi được" in err), err
    assert not out.exists() or out.is_dir()
    assert _leftovers(broken.parent if writer != "compare-scenarios" else broken) == []
    assert _leftovers(tmp_path) == []


def test_the_message_says_why(capsys, tmp_path) -> None:
    out = tmp_path / "missing" / "results.csv"
    code = run(["batch", str(_cases(tmp_path)), *VN, "-o", str(out), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"error: file {out}: cannot write the output: the folder {out.parent} does not exist"


@pytest.mark.parametrize("writer", ["batch-summary", "evaluate", "batch-csv", "batch-xlsx", "compare-report"])
def test_an_output_that_is_a_device_is_written_directly_and_dev_full_fails_with_a_message(capsys, tmp_path,
                                                                                           writer) -> None:
    """An existing output that is not a regular file (a device, a pipe) is written straight into:
    renaming over it would replace /dev/full (or /dev/stdout) with a file. The test points a link
    in its own folder at /dev/full, so that a writer that renames replaces the link, never the
    device."""
    import stat

    if not os.path.exists("/dev/full") or not stat.S_ISCHR(os.stat("/dev/full").st_mode):
        pytest.skip("no /dev/full device here")
    before = os.stat("/dev/full")
    argv, name = _writers(tmp_path)[writer]
    link = tmp_path / name
    link.symlink_to("/dev/full")
    code = run(argv(link))
    gc.collect()
    err = capsys.readouterr().err
    assert code == 2 and "no space left" in err and "Traceback" not in err, err
    assert link.is_symlink()
    after = os.stat("/dev/full")
    assert (after.st_mode, after.st_rdev, after.st_ino) == (before.st_mode, before.st_rdev, before.st_ino)
    assert _leftovers(tmp_path) == []


def test_output_error_is_an_input_error() -> None:
    from engine.errors import InputError

    assert issubclass(OutputError, InputError)


def test_dev_stdout_is_written_through_the_process_stdout(tmp_path) -> None:
    """-o /dev/stdout with stdout redirected to a file: the text lands in that file after what was
    printed before, and /dev/stdout stays the link it was (the old writer, as root, renamed a
    temporary over it)."""
    before = os.readlink("/dev/stdout") if os.path.islink("/dev/stdout") else None
    target = tmp_path / "captured.txt"
    with open(target, "wb") as fh:
        proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "batch", str(_cases(tmp_path)), *VN,
                               "-o", str(tmp_path / "o.csv"), "--summary", "/dev/stdout", "--lang", "en"],
                              stdout=fh, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = target.read_text(encoding="utf-8")
    assert text.count("SUMMARY") == 2 and text.index("SUMMARY") == 0, text  # printed, then the --summary copy
    assert (os.readlink("/dev/stdout") if os.path.islink("/dev/stdout") else None) == before
    assert list(Path("/dev").glob(".stdout*")) == []


@pytest.mark.parametrize("case", ["a-folder", "under-a-file", "scenarios-into-a-file"])
def test_an_output_that_is_a_folder_or_under_a_file_is_a_message(capsys, tmp_path, case) -> None:
    afile = tmp_path / "afile.txt"
    afile.write_text("x", encoding="utf-8")
    if case == "a-folder":
        (tmp_path / "out.csv").mkdir()
        argv, expected = _writers(tmp_path)["batch-csv"][0](tmp_path / "out.csv"), "is a folder, not a file"
    elif case == "under-a-file":
        argv, expected = _writers(tmp_path)["evaluate"][0](afile / "d.txt"), f"{afile} is not a folder"
    else:
        argv, expected = _writers(tmp_path)["compare-scenarios"][0](afile), "exists and is not a folder"
    code = run([*argv, "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and expected in err and "Traceback" not in err, err
    assert _leftovers(tmp_path) == [] and afile.read_text(encoding="utf-8") == "x"

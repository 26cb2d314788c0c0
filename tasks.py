#!/usr/bin/env python3
"""Set-up and everyday tasks, with nothing but Python 3.11+ on the machine.

    python3 tasks.py demo    # install into .venv if needed, then explain a sample dossier in Vietnamese
    python3 tasks.py test    # install into .venv if needed, then run the whole test suite
    python3 tasks.py bench   # run the benchmarks under bench/
    python3 tasks.py schemas # regenerate engine/contract/schemas/ from the output models (then commit them)
    python3 tasks.py catalogues # compile engine/messages/<lang>/*.yaml into engine/messages/<lang>.json (then commit them)

The virtual environment is rebuilt only when pyproject.toml changes (a stamp file records its
hash). durable-rules is compiled from source by pip, which needs gcc and the Python headers.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".kiemnhiem-installed"


def _run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit("kiemnhiem needs Python 3.11 or newer")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted and PY.exists():
        return
    started = time.monotonic()
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _run([str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", ".[test,bench]"])
    # an editable install leaves our own modules uncompiled; compile them once so the CLI starts fast
    subprocess.run([str(PY), "-m", "compileall", "-q", "engine", "cli.py"], cwd=ROOT, check=False)
    STAMP.write_text(wanted)
    print(f"set-up: {time.monotonic() - started:.0f} s", flush=True)


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task not in ("demo", "test", "bench", "env", "schemas", "catalogues"):
        print(__doc__)
        return 0 if task == "help" else 2
    ensure_env()
    if task == "env":
        return 0
    if task == "demo":
        cmd = [str(BIN / "kiemnhiem"), "evaluate", "examples/vn.nghe-an/don-dua-civil-servant-secretary.yaml",
               "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--lang", "vi"]
        return subprocess.call(cmd + rest, cwd=ROOT)
    if task == "test":
        started = time.monotonic()
        code = subprocess.call([str(PY), "-m", "pytest", "--durations=5", *rest], cwd=ROOT)
        print(f"tests: {time.monotonic() - started:.0f} s", flush=True)
        return code
    if task == "schemas":
        return subprocess.call([str(PY), "cli.py", "schema", "--write"], cwd=ROOT)
    if task == "catalogues":
        return subprocess.call([str(PY), "-c", "from engine import i18n\n"
                                "for lang in i18n.LANGS:\n"
                                "    i18n.compiled_path(lang).write_text(i18n.catalogue_json(lang), encoding='utf-8')"],
                               cwd=ROOT)
    if task == "bench":
        code = 0
        for script in sorted((ROOT / "bench").glob("bench_*.py")):
            code |= subprocess.call([str(PY), str(script), *rest], cwd=ROOT)
        return code
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Reading speed: the batch reader alone (read and check every row, no evaluation), issue 17.

    PYTHONPATH=/path/to/checkout python bench/bench_read.py [--repeat 3] [--xlsx-rows 200000] [--csv-rows 2000000]

Times ``engine.io.tables.read_chunks`` + ``engine.io.tables.normalize`` over every chunk (what
``kiemnhiem batch`` does before it evaluates) on a 200,000-row XLSX and a 2,000,000-row CSV made
by ``kiemnhiem generate`` (vn.nghe-an, seed 1), built once and kept under /tmp. Prints, for each,
the best and median of ``--repeat`` runs and rows per second at the best.

The engine measured is the one ``PYTHONPATH`` names (printed first), not this file's checkout:
run it before and after a change to the reader with the same files. The files are made in a
child process of that same engine, so that building them leaves this process's memory alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

# the checkout PYTHONPATH names comes first; this file's own only when none is given
sys.path.append(str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402
from engine.io.tables import normalize, read_chunks  # noqa: E402

PACK, AS_OF, SEED = "vn.nghe-an", date(2025, 6, 1), 1
CACHE = Path(os.environ.get("KIEMNHIEM_BENCH_CACHE", "/tmp/kiemnhiem-bench-read"))


def table(rows: int, suffix: str) -> Path:
    """The generated table (made once: a file of the right name is taken as it is)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{PACK}-{rows}-seed{SEED}{suffix}"
    if not path.exists():
        t0 = time.perf_counter()
        code = (f"from pathlib import Path; from engine.batch.synth import write_province; "
                f"write_province({PACK!r}, {rows}, Path({str(path)!r}), {SEED})")
        subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        print(f"  made {path} in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def read_once(path: Path) -> int:
    """Read and check every row as the batch reader does; the number of rows read."""
    rows = 0
    for raw, first in read_chunks(path, 200_000):
        norm, _ = normalize(raw, first, AS_OF, "VN", "en")
        rows += norm.height
    return rows


def bench(path: Path, repeat: int) -> None:
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = read_once(path)
        times.append(time.perf_counter() - t0)
    best, median = min(times), statistics.median(times)
    size = path.stat().st_size / 1e6
    print(f"  {path.suffix[1:].upper():5} {rows:>10,} rows  {size:6.0f} MB   best {best:7.2f} s   median {median:7.2f} s   "
          f"{rows / best:>10,.0f} rows/s (best)   runs: {', '.join(f'{t:.2f}' for t in times)}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--xlsx-rows", type=int, default=200_000)
    ap.add_argument("--csv-rows", type=int, default=2_000_000)
    args = ap.parse_args()
    print(f"engine: {Path(engine.__file__).resolve().parent}  (python {sys.version.split()[0]}, {os.cpu_count()} cores)")
    xlsx, csv = table(args.xlsx_rows, ".xlsx"), table(args.csv_rows, ".csv")
    print(f"read_chunks + normalize, {args.repeat} runs each:")
    bench(xlsx, args.repeat)
    bench(csv, args.repeat)


if __name__ == "__main__":
    main()

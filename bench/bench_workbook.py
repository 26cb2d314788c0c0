"""Writing the results workbook: the board's workbook against the plain sheet it replaced.

    python bench/bench_workbook.py [--rows 100000]

Evaluates a generated province (vn.nghe-an) once, then times, on the same answered rows:
- before: the plain sheet (polars ``write_excel`` with autofit, English ids; what ``batch -o
  x.xlsx`` wrote until the board's workbook), still used for the other tables;
- after: ``engine.io.workbook.results_bytes`` (results, summary and errors sheets);
and ``kiemnhiem batch … -o out.xlsx`` end to end. Prints the figures and the ratio after/before.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from engine.batch import run as batch  # noqa: E402
from engine.batch.summary import Summary  # noqa: E402
from engine.batch.synth import province  # noqa: E402
from engine.io import workbook  # noqa: E402
from engine.policy.loader import load_policy  # noqa: E402

PACK, AS_OF, LANG = "vn.nghe-an", date(2021, 6, 1), "vi"


def best(fn, times: int = 3) -> float:
    out = []
    for _ in range(times):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--times", type=int, default=3)
    args = parser.parse_args()
    policy = load_policy(PACK)
    cases = province(PACK, args.rows, seed=7)
    out, errors, _ = batch.evaluate_chunk(policy, AS_OF, cases, 2, LANG, True)
    summary = Summary(policy, AS_OF, LANG)
    summary.add(out)
    data = summary.finish()
    frame = batch._neutralise(out.select(batch.PUBLIC + ["explanation"]))
    words = workbook.Words.of(policy, AS_OF, LANG)
    before = best(lambda: batch.xlsx_bytes(frame, AS_OF), args.times)
    after = best(lambda: workbook.results_bytes(frame, words, errors=errors, summary=data, money=batch.OUTPUT_MONEY,
                                                created=AS_OF), args.times)
    size_before = len(batch.xlsx_bytes(frame, AS_OF))
    size_after = len(workbook.results_bytes(frame, words, errors=errors, summary=data, money=batch.OUTPUT_MONEY,
                                            created=AS_OF))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cases.parquet"
        cases.write_parquet(src)
        whole = best(lambda: batch.run(policy, AS_OF, [src], Path(tmp) / f"out-{time.monotonic_ns()}.xlsx", None, LANG,
                                       progress=False), 1)
    cells = frame.height * frame.width
    print(f"rows: {frame.height:,} ({frame.width} columns, {cells:,} cells before)")
    print(f"before (plain sheet, polars write_excel): {before:6.2f} s  {size_before / 1e6:5.1f} MB")
    print(f"after  (board's workbook, 3 sheets):      {after:6.2f} s  {size_after / 1e6:5.1f} MB")
    print(f"ratio after/before: {after / before:.2f}")
    print(f"batch -o out.xlsx end to end (read, evaluate, write): {whole:6.2f} s")


if __name__ == "__main__":
    main()

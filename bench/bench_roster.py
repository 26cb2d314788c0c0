"""The hamlet table's cost: ``kiemnhiem batch`` with and without ``--hamlets``.

    python bench/bench_roster.py [--rows 1000000] [--per-hamlet 3]

Generates a province (vn, 2024-07-01) whose rows are grouped ``--per-hamlet`` to a hamlet (the
slate of each hamlet), then runs the batch end to end (Parquet to Parquet) three times each way and
prints the best times, their ratio, and the roster stage alone (``columnar_roster.hamlets`` over
the answered rows). Figures are wall-clock seconds on this machine: compare ratios.
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

import polars as pl  # noqa: E402

from engine.backends import columnar, columnar_roster  # noqa: E402
from engine.batch import run as batch  # noqa: E402
from engine.batch.synth import province  # noqa: E402
from engine.io.tables import normalize  # noqa: E402
from engine.policy.loader import load_policy  # noqa: E402

PACK, AS_OF = "vn", date(2024, 7, 1)


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--per-hamlet", type=int, default=3)
    args = ap.parse_args()
    policy = load_policy(PACK)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "province.parquet"
        frame = province(PACK, args.rows, seed=7)
        frame = frame.with_columns((pl.lit("h") + (pl.int_range(pl.len()) // args.per_hamlet).cast(pl.String))
                                   .alias("hamlet_id"))
        frame.write_parquet(src)
        out, ham = Path(tmp) / "out.parquet", Path(tmp) / "hamlets.parquet"
        plain = best(lambda: batch.run(policy, AS_OF, [src], out, None, "en", progress=False))
        with_table = best(lambda: batch.run(policy, AS_OF, [src], out, None, "en", progress=False, hamlets_path=ham))
        hamlets = pl.read_parquet(ham)
        norm, _ = normalize(frame, 2, AS_OF, policy.country, "en")
        snap = policy.snapshot(AS_OF)
        answered = columnar.compiled(snap).evaluate(norm)
        stage = best(lambda: columnar_roster.hamlets(snap, answered))
    print(f"rows {args.rows:,}, hamlets {hamlets.height:,} ({args.per_hamlet} rows each)")
    print(f"batch without --hamlets  {plain:7.3f} s")
    print(f"batch with --hamlets     {with_table:7.3f} s   ratio {with_table / plain:.2f}×")
    print(f"roster stage alone       {stage:7.3f} s   ({stage / plain:.2f}× the plain batch)")
    print("verdicts:", dict(zip(*hamlets["roster"].value_counts().to_dict(as_series=False).values())))


if __name__ == "__main__":
    main()

"""Comparing a proposal on 1,000,000 cases with blame, and a 9-point sweep (issue #5 targets:
under 5 s and under 10 s on this machine). Run: python bench/bench_compare.py"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.whatif import compare as cmp  # noqa: E402
from engine.batch.synth import province  # noqa: E402

DATA = ROOT / "bench" / ".data"


def data(pack: str, rows: int) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"compare-{pack}-{rows}.parquet"
    if not path.exists():
        province(pack, rows, seed=11).write_parquet(path)
    return path


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    na = data("vn.nghe-an", rows)
    t0 = time.perf_counter()
    base, prop, changes = cmp.policies("vn.nghe-an", ROOT / "proposals" / "cadre-allowance-50.yaml", {}, [])
    result = cmp.compare(base, prop, changes, date(2021, 6, 1), na)
    t = time.perf_counter() - t0
    print(f"compare vn.nghe-an vs cadre-allowance-50, {rows:,} cases with blame: {t:.2f} s "
          f"({result.changed:,} changed; target < 5 s: {'met' if t < 5 else 'NOT met'})")
    villages = data("cn", rows)
    t0 = time.perf_counter()
    values = list(range(18, 35, 2))
    base, points = cmp.sweep_policies("cn", {}, "cn_min_age", values, [])
    cmp.sweep(base, points, date(2025, 1, 1), villages)
    t = time.perf_counter() - t0
    print(f"sweep cn_min_age over {len(values)} points, {rows:,} cases: {t:.2f} s "
          f"(target < 10 s: {'met' if t < 10 else 'NOT met'})")


if __name__ == "__main__":
    main()

"""How fast one case is evaluated in-process (the CLI's cold start is ``bench_coldstart.py``).

Prints figures and ratios; the target from issue #2: under 1 ms a case in-process for a full pack.
Run: python3 tasks.py bench (or .venv/bin/python bench/bench_evaluate.py).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import api  # noqa: E402
from engine.backends import durable as durable_backend  # noqa: E402
from engine.backends import reference  # noqa: E402
from engine.backends.facts import add_terms, flatten  # noqa: E402
from engine.policy.outcome import fold  # noqa: E402
from engine.batch.synth import cases  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000


def per_case(label: str, fn, items) -> float:
    fn(items[0])  # warm: compile the ruleset
    t0 = time.perf_counter()
    for item in items:
        fn(item)
    dt = (time.perf_counter() - t0) / len(items)
    print(f"  {label:<44} {dt * 1e6:8.1f} µs/case  {1 / dt:10,.0f} cases/s")
    return dt


def main() -> None:
    as_of = date(2021, 6, 1)
    policy = api.load_policy("vn.nghe-an")
    snap = policy.snapshot(as_of)
    sample = cases(N, "VN", as_of)
    envs = [add_terms(flatten(c, as_of), snap.terms) for c in sample]
    n_rules = len(durable_backend.ruleset_for(snap).definition)
    print(f"pack vn.nghe-an ({len(snap.criteria)} criteria, {len(snap.exceptions)} exceptions, "
          f"{n_rules} durable rules after DNF), {N} generated cases, as of {as_of}")
    d_ver = per_case("durable-rules: verdicts + fold", lambda e: fold(snap, e, durable_backend.verdicts(snap, e)), envs)
    r_ver = per_case("reference interpreter: verdicts + fold", lambda e: fold(snap, e, reference.verdicts(snap, e)), envs)
    full = per_case("durable-rules: full decision with explanation",
                    lambda c: api.evaluate(policy, c, as_of, lang="vi"), sample[: max(500, N // 5)])
    print(f"  ratio durable / reference verdicts: {d_ver / r_ver:.1f}×; explanation share of a full decision: "
          f"{(full - d_ver) / full:.0%}")
    print(f"  target < 1000 µs/case: {'met' if full < 1e-3 else 'NOT met'} ({full * 1e6:.0f} µs)")
    print("  CLI cold start: bench/bench_coldstart.py (a new process per sample, interleaved, from this checkout)")

if __name__ == "__main__":
    main()

"""Cold start of the one-case path, as a user meets it: every sample is a new process.

    python bench/bench_coldstart.py [--runs 11] [--repo PATH] [--target 0.5] [--dossier FILE]
    python bench/bench_coldstart.py --importtime      # what `import engine.api` spends its time on

Times, with sys.executable and the repository as working directory (so that its `engine` package
is the one imported):
- the floor: `python -c "pass"`;
- `python -c "import engine.api"` (the import cost);
- `python cli.py evaluate <dossier under examples/vn/> --pack vn --as-of 2025-06-01` (text);
- the same with `--format json`;
- `python cli.py --help`.
The subjects are interleaved run by run (and their order rotated) so that the noise of a busy
machine hits them alike; one untimed warm-up of each first, so that bytecode is cached as after an
install. Prints median, min and p90 of wall time, the median CPU time (user + sys, steadier when
the machine is noisy), the ratio to the floor and the time above it; then whether the median of
`evaluate` (text) is under the target (issue #2: 0.5 s).

`--importtime` instead runs `python -X importtime -c "import engine.api"` once and prints the 15
heaviest cumulative imports and the heaviest top-level packages by their own time: what to defer.
Relies only on cli.py, engine.api and examples/; no third-party dependency.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows: no CPU column there
    resource = None

HERE = Path(__file__).resolve().parent.parent
PACK, AS_OF = "vn", "2025-06-01"
PREFERRED = "large-village-2024.yaml"  # a full case: a candidate holding two posts, fund and allowance


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONSAFEPATH", None)  # it would drop the working directory from sys.path
    return env


def pick_dossier(repo: Path, given: str | None) -> Path:
    if given:
        path = Path(given)
        return path if path.is_absolute() else repo / path
    folder = repo / "examples" / "vn"
    if (folder / PREFERRED).exists():
        return folder / PREFERRED
    found = sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml", ".json"))
    if not found:
        sys.exit(f"no dossier under {folder}")
    return found[0]


def subjects(repo: Path, dossier: Path) -> dict[str, list[str]]:
    py, rel = sys.executable, os.path.relpath(dossier, repo)
    evaluate = [py, "cli.py", "evaluate", rel, "--pack", PACK, "--as-of", AS_OF]
    return {
        "floor: python -c pass": [py, "-c", "pass"],
        "import engine.api": [py, "-c", "import engine.api"],
        "cli.py evaluate (text)": evaluate,
        "cli.py evaluate --format json": [*evaluate, "--format", "json"],
        "cli.py --help": [py, "cli.py", "--help"],
    }


def run_once(cmd: list[str], repo: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one new process; exits on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    cpu = math.nan
    if resource:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr.decode(errors='replace')}")
    return wall, cpu


def check_engine_is_repos(repo: Path, env: dict[str, str]) -> None:
    out = subprocess.run([sys.executable, "-c", "import engine.api; print(engine.api.__file__)"], cwd=repo, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"import engine.api failed in {repo}:\n{out.stderr}")
    where = Path(out.stdout.strip()).resolve()
    if repo.resolve() not in where.parents:
        sys.exit(f"engine.api comes from {where}, not from {repo}")


def p90(xs: list[float]) -> float:
    s = sorted(xs)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]  # nearest rank


def ms(x: float) -> str:
    return "-" if math.isnan(x) else f"{x * 1000:.0f}"


def coldstart(repo: Path, dossier: Path, runs: int, target: float) -> None:
    env = child_env()
    check_engine_is_repos(repo, env)
    subs = subjects(repo, dossier)
    names = list(subs)
    for cmd in subs.values():  # warm-up, untimed: bytecode written and cached as after an install
        run_once(cmd, repo, env)
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for i in range(runs):
        k = i % len(names)
        for name in names[k:] + names[:k]:  # every subject each run, the order rotated run by run
            w, c = run_once(subs[name], repo, env)
            wall[name].append(w)
            cpu[name].append(c)

    floor = statistics.median(wall[names[0]])
    print(f"cold start, a new process each: {runs} runs per subject, interleaved; {sys.executable} "
          f"(Python {sys.version.split()[0]}), {os.cpu_count()} CPUs")
    print(f"repo {repo}; dossier {os.path.relpath(dossier, repo)} --pack {PACK} --as-of {AS_OF}")
    head = f"  {'subject':<30} {'median':>7} {'min':>6} {'p90':>6} {'cpu med':>8} {'× floor':>8} {'− floor':>8}"
    print(head)
    print(f"  {'':<30} {'ms':>7} {'ms':>6} {'ms':>6} {'ms':>8} {'':>8} {'ms':>8}")
    for name in names:
        med = statistics.median(wall[name])
        cmed = statistics.median(cpu[name]) if resource else math.nan
        print(f"  {name:<30} {ms(med):>7} {ms(min(wall[name])):>6} {ms(p90(wall[name])):>6} {ms(cmed):>8} "
              f"{med / floor:>7.1f}× {ms(med - floor):>8}")
    ev = statistics.median(wall["cli.py evaluate (text)"])
    imp = statistics.median(wall["import engine.api"])
    print(f"  evaluate (text) median {ev * 1000:.0f} ms, {ev / floor:.1f}× the floor ({floor * 1000:.0f} ms); "
          + (f"import engine.api is {(imp - floor) / (ev - floor):.0%} of it above the floor" if ev > floor else ""))
    print(f"  target < {target * 1000:.0f} ms: {'met' if ev < target else 'NOT met'}")


def parse_importtime(stderr: str) -> list[tuple[int, int, int, str]]:
    """(cumulative µs, self µs, depth, module) for each line of -X importtime."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cum_us, name = line[len("import time:"):].split("|", 2)
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append((int(cum_us), int(self_us), depth, name.strip()))
    return rows


def importtime(repo: Path, top: int = 15) -> None:
    env = child_env()
    check_engine_is_repos(repo, env)  # also the warm-up: bytecode cached
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import engine.api"], cwd=repo, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    rows = parse_importtime(out.stderr)
    total = sum(r[1] for r in rows)
    print(f"python -X importtime -c 'import engine.api' in {repo}: {len(rows)} modules, "
          f"{total / 1000:.0f} ms of import in all (importtime's own overhead included)")
    print(f"  {top} heaviest cumulative imports")
    print(f"  {'cum ms':>7} {'self ms':>8}  module (indented by depth)")
    for cum, own, depth, name in sorted(rows, key=lambda r: -r[0])[:top]:
        print(f"  {cum / 1000:>7.1f} {own / 1000:>8.1f}  {'  ' * depth}{name}")
    by_pkg: dict[str, int] = {}
    for _, own, _, name in rows:
        by_pkg[name.split(".")[0]] = by_pkg.get(name.split(".")[0], 0) + own
    heavy = sorted(by_pkg.items(), key=lambda kv: -kv[1])[:10]
    print("  top-level packages by their own import time (ms, share of all): "
          + ", ".join(f"{p} {us / 1000:.0f} ({us / total:.0%})" for p, us in heavy))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=11, help="samples per subject (at least 9 recommended)")
    ap.add_argument("--repo", type=Path, default=HERE, help="the checkout to measure (default: this script's)")
    ap.add_argument("--target", type=float, default=0.5, help="seconds; the median of evaluate (text) against it")
    ap.add_argument("--dossier", help="default: examples/vn/" + PREFERRED + " of the repo (or the first there)")
    ap.add_argument("--importtime", action="store_true", help="print the heaviest imports of engine.api instead")
    args = ap.parse_args()
    repo = args.repo.resolve()
    if not (repo / "cli.py").exists():
        sys.exit(f"{repo} has no cli.py")
    if args.importtime:
        importtime(repo)
        return
    if args.runs < 1:
        sys.exit("--runs must be at least 1")
    coldstart(repo, pick_dossier(repo, args.dossier), args.runs, args.target)


if __name__ == "__main__":
    main()

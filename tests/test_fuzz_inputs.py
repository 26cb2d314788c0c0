"""Fuzzing rule packs and dossiers through the command line: broken input is a message, never a crash.

Seeded generators (``random.Random``), no extra dependency. Each case copies the shipped rules
(or an example dossier) to a temporary folder, applies a few random mutations — deleted keys,
swapped types, deep nesting, huge numbers, NaN, bad UTF-8, aliases and alias bombs, symlinks,
folders and pipes where files belong, byte flips, broken expressions — and runs the command
line in-process (``cli.run``). The invariants, for every case:

- the exit code is 0, 1 or 2: never 3 ("internal error"), never an uncaught exception;
- no traceback and no "internal error" in the output, and the error message stays short;
- it finishes: a 20 s alarm per case catches a hang (a generous bound, not a timing test).

The CI run uses a fixed seed and a small number of cases (well under a minute). A longer run
with fresh seeds::

    KIEMNHIEM_FUZZ_SEED=random KIEMNHIEM_FUZZ_CASES=5000 pytest tests/test_fuzz_inputs.py

``KIEMNHIEM_FUZZ_CASES`` is the number of cases of each kind (packs, dossiers); a failure names
its seed and case number, and ``KIEMNHIEM_FUZZ_ONLY=<case>`` re-runs just that case.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from cli import run
from conftest import ROOT

_SEED_TEXT = os.environ.get("KIEMNHIEM_FUZZ_SEED", "12")
SEED = random.SystemRandom().randrange(10**9) if _SEED_TEXT == "random" else int(_SEED_TEXT)
PACK_CASES = int(os.environ.get("KIEMNHIEM_FUZZ_CASES", "0")) or 120
DOSSIER_CASES = int(os.environ.get("KIEMNHIEM_FUZZ_CASES", "0")) or 300
ONLY = os.environ.get("KIEMNHIEM_FUZZ_ONLY")
ALARM_SECONDS = 20
MAX_MESSAGE = 6000  # an error message (both languages) stays short, whatever the input

PACKS = ["vn", "vn.nghe-an", "vn.da-nang", "cn", "cn.hubei", "cn.hainan", "cn.henan"]
DATES = ["2019-07-01", "2021-06-01", "2023-08-01", "2024-07-01", "2026-01-01"]
PROPOSALS = {p.name: p for p in sorted((ROOT / "proposals").glob("*.yaml"))}
PROPOSAL_PACK = {"cadre-allowance-50.yaml": "vn.nghe-an", "nghe-an-concurrent-100.yaml": "vn.nghe-an",
                 "hainan-islands-1000.yaml": "cn.hainan", "da-nang-target-2027.yaml": "vn.da-nang"}


def _examples(pack: str) -> list[Path]:
    found = sorted(p for p in (ROOT / "examples" / pack).glob("*") if p.suffix in (".yaml", ".json"))
    if found:
        return found
    parent = pack.rsplit(".", 1)[0]
    return _examples(parent) if parent != pack else []


EXAMPLES = {pack: _examples(pack) for pack in PACKS}
ALL_EXAMPLES = [(pack, ex) for pack in PACKS for ex in EXAMPLES[pack]]


# -- values and mutations ----------------------------------------------------------------------


def _alias_bomb(levels: int = 9) -> str:
    parts = ["&b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [f"&b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


def _odd_value(rng: random.Random) -> Any:
    return rng.choice([
        None, True, False, 0, -1, 1, 2**63, -(10**15), 10**17, 0.5, -0.0, 1e300, 1e-300, float("nan"),
        float("inf"), "", " ", "x", "yes", "2020-02-30", "1990-01-01", "0001-01-01", "9999-12-31",
        "không", "一肩挑", "\u202e", "a" * rng.choice([100, 5000, 300_000]), [], [None], [1, "a", [2]], {},
        {"a": 1}, {"value": None}, {"doc": "nowhere"}, ["hamlet_head", "hamlet_head"], "hamlet_head",
        "params.nothing", "candidate.age >= 21", "(" * 200 + "1" + ")" * 200, dt.date(2021, 6, 1),
    ])


EXPR_TOKENS = ["candidate.age", "hamlet.population", "posts", "params.base_salary", "params.nothing", "and",
               "or", "not", "in", "==", "!=", "<", ">=", "+", "-", "*", "/", "(", ")", "[", "]", ",", "0", "1",
               "0.5", "99999999999999999999", "'full'", "'x'", "true", "null", "len(posts)", "date('2020-01-01')",
               "years_between(candidate.birth_date, date('2020-01-01'))", "candidate.party_status", "@", "'", "\\"]


EXPR_KEYS = {"condition", "when", "rate", "coefficient", "amount"}


def _mutate_expression(text: str, rng: random.Random) -> str:
    words = text.split()
    choice = rng.randrange(7)
    if choice == 0 and words:
        words[rng.randrange(len(words))] = rng.choice(EXPR_TOKENS)
    elif choice == 1:
        words.insert(rng.randrange(len(words) + 1), rng.choice(EXPR_TOKENS))
    elif choice == 2 and words:
        del words[rng.randrange(len(words))]
    elif choice == 3:
        n = rng.choice([10, 63, 64, 65, 200, 1000])
        return "(" * n + text + ")" * n
    elif choice == 4:
        return " and ".join([f"({text})"] * rng.choice([2, 8, 40, 200]))
    elif choice == 5:
        return " or ".join(f"(candidate.age >= {i} and hamlet.population < {i * 7})" for i in range(rng.choice([3, 20, 60])))
    else:  # and/or alternation: the disjunctive normal form doubles with each pair
        n = rng.choice([4, 9, 14, 30])
        return " and ".join(f"({text} or hamlet.population > {i})" for i in range(n))
    return " ".join(words)


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _containers(data: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key-or-index) pair in the document."""
    if isinstance(data, dict):
        for k in list(data):
            out.append((data, k))
            _containers(data[k], out)
    elif isinstance(data, list):
        for i in range(len(data)):
            out.append((data, i))
            _containers(data[i], out)
    return out


def _mutate_data(data: Any, rng: random.Random, log: list[str]) -> Any:
    """One structural mutation of parsed YAML/JSON data (a mutation Python cannot do is skipped)."""
    try:
        return _mutate_data_once(data, rng, log)
    except RecursionError:
        log.append("(skipped: too deep to copy)")
        return data


def _mutate_data_once(data: Any, rng: random.Random, log: list[str]) -> Any:
    slots = _containers(data, [])
    if not slots:
        log.append("replace document")
        return _odd_value(rng)
    parent, key = rng.choice(slots)
    op = rng.randrange(8)
    if op == 0:
        log.append(f"delete {key!r}")
        del parent[key]
    elif op == 1:
        value = _odd_value(rng)
        log.append(f"set {key!r} to {type(value).__name__}")
        parent[key] = value
    elif op == 2 and isinstance(parent[key], str) and parent[key]:
        log.append(f"mutate expression at {key!r}")
        parent[key] = _mutate_expression(parent[key], rng)
    elif op == 3 and isinstance(parent, list):
        log.append(f"duplicate item {key}")
        parent.append(copy.deepcopy(parent[key]))
    elif op == 4 and isinstance(parent, dict):
        new = rng.choice(["extra", "id", "effective", "values", "source", "when", "remove", "waives", "to", "from",
                          "2020-01-01", "hamlet", "candidate", "posts", "nickname", "type", "extends"])
        log.append(f"add key {new!r}")
        parent[new] = _odd_value(rng)
    elif op == 5:
        depth = rng.choice([20, 33, 100, 900])
        value: Any = parent[key]
        for _ in range(depth):
            value = [value] if rng.random() < 0.5 else {"k": value}
        log.append(f"nest {key!r} {depth} deep")
        parent[key] = value
    elif op == 6 and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
        number = parent[key]
        make = rng.choice([lambda: -number, lambda: number * 10**12, lambda: number + 0.5, lambda: 10**4300])
        try:
            value = make()
        except OverflowError:  # an earlier mutation made it too large for a float
            value = 10**4300
        log.append(f"number at {key!r}")
        parent[key] = value
    else:
        log.append(f"swap {key!r} with a sibling")
        siblings = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        other = rng.choice(siblings)
        parent[key], parent[other] = parent[other], parent[key]
    return data


def _dump(data: Any) -> str:
    try:
        return yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False)
    except (RecursionError, ValueError):  # a value PyYAML cannot write: write something else broken
        return "broken: [\n"


TEXT_INSERTS = [
    lambda rng: "9" * rng.choice([19, 4301, 100_000]),
    lambda rng: rng.choice([".nan", ".inf", "-.inf", "1.0e+999", "0x" + "f" * 30, "1_000_000_000_000_000_000"]),
    lambda rng: "[" * rng.choice([33, 500, 5000]) + "]" * 0,
    lambda rng: _alias_bomb(),
    lambda rng: "*undefined",
    lambda rng: "&a [*a]",
    lambda rng: "? [a, b]",
    lambda rng: "!!python/object:os.system",
    lambda rng: "!!binary aGVsbG8=",
    lambda rng: "!!set {a, b}",
    lambda rng: "<<: *nothing",
    lambda rng: "\t",
    lambda rng: "\x00",
    lambda rng: "---",
    lambda rng: "\ufeff",
    lambda rng: "'unterminated",
    lambda rng: "x" * rng.choice([2000, 300_000]),
]


def _mutate_text(text: str, rng: random.Random, log: list[str]) -> bytes:
    """A textual mutation: lines moved or cut, tokens inserted, bytes flipped."""
    op = rng.randrange(6)
    lines = text.splitlines(keepends=True) or [""]
    if op == 0:
        i = rng.randrange(len(lines))
        insert = rng.choice(TEXT_INSERTS)(rng)
        line = lines[i]
        cut = line.find(": ")
        lines[i] = (line[: cut + 2] + insert + "\n") if cut >= 0 else insert + "\n" + line
        log.append(f"insert {insert[:20]!r} at line {i + 1}")
    elif op == 1:
        i = rng.randrange(len(lines))
        log.append(f"delete line {i + 1}")
        del lines[i]
    elif op == 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        log.append(f"swap lines {i + 1} and {j + 1}")
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:
        log.append("truncate")
        data = "".join(lines).encode("utf-8")
        return data[: rng.randrange(len(data) + 1)]
    elif op == 4:
        i = rng.randrange(len(lines))
        log.append(f"re-indent line {i + 1}")
        lines[i] = " " * rng.choice([1, 3, 8]) + lines[i]
    data = bytearray("".join(lines).encode("utf-8"))
    if op == 5 or rng.random() < 0.15:
        for _ in range(rng.choice([1, 1, 2, 8])):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        log.append("flip bytes")
    return bytes(data)


def _special_file(path: Path, rng: random.Random, log: list[str]) -> None:
    """Put something that is not a plain rule file where one is expected."""
    op = rng.randrange(6)
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if op == 0:
        path.mkdir()
        log.append(f"folder {path.name}")
    elif op == 1:
        os.symlink(path.parent / "nowhere.yaml", path)
        log.append(f"dangling link {path.name}")
    elif op == 2:
        os.symlink(path.name, path)
        log.append(f"self link {path.name}")
    elif op == 3 and hasattr(os, "mkfifo"):
        os.mkfifo(path)
        log.append(f"pipe {path.name}")
    elif op == 4:
        path.write_bytes(b"")
        log.append(f"empty {path.name}")
    else:
        os.symlink("/dev/zero" if os.path.exists("/dev/zero") else "/", path)
        log.append(f"link to a device {path.name}")


# -- running a case ----------------------------------------------------------------------------


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang()


def _run_cli(capsys: Any, argv: list[str]) -> tuple[Any, str, float]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(ALARM_SECONDS)
    start = time.monotonic()
    try:
        code: Any = run(argv)
    except _Hang:
        code = "hang"
    except BaseException as exc:  # noqa: BLE001 - anything escaping cli.run is the defect we look for
        code = f"escaped {type(exc).__name__}: {str(exc)[:200]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    return code, out + err, time.monotonic() - start


def _problem(code: Any, output: str) -> str | None:
    if code not in (0, 1, 2):
        return f"exit {code}"
    if "Traceback" in output or "internal error" in output or "lỗi nội bộ" in output:
        return "internal error or traceback in the output"
    if code == 2 and len(output) > MAX_MESSAGE:
        return f"error message of {len(output):,} characters"
    return None


def _cases(total: int) -> list[int]:
    return [int(ONLY)] if ONLY else list(range(total))


def _report(kind: str, failures: list[str], counts: dict[Any, int], total: int) -> None:
    summary = ", ".join(f"exit {k}: {v}" for k, v in sorted(counts.items(), key=str))
    print(f"\nfuzz {kind}: seed {SEED}, {total} cases ({summary})", file=sys.stderr)
    assert not failures, f"{len(failures)} of {total} {kind} cases broke the invariants (seed {SEED}):\n" + \
        "\n".join(failures[:15])


# -- packs -------------------------------------------------------------------------------------


def _pack_case(tmp: Path, case: int, capsys: Any) -> tuple[list[tuple[list[str], Any, str, float]], list[str]]:
    rng = random.Random(f"{SEED}:pack:{case}")
    rules = tmp / "rules"
    shutil.copytree(ROOT / "rules", rules)
    pack = rng.choice(PACKS)
    chain = [pack]
    while "." in chain[-1]:
        chain.append(chain[-1].rsplit(".", 1)[0])
    log: list[str] = [f"pack {pack}"]
    proposal: Path | None = None
    if rng.random() < 0.15:
        name = rng.choice([n for n, p in PROPOSAL_PACK.items() if p == pack] or [None])
        if name is not None:
            proposal = tmp / name
            shutil.copy(PROPOSALS[name], proposal)
            log.append(f"proposal {name}")
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if proposal is not None and rng.random() < 0.5:
            target = proposal
        else:
            folder = rules / rng.choice(chain)
            files = sorted(folder.glob("*.yaml"))
            target = rng.choice(files) if files else folder / "pack.yaml"
        kind = rng.random()
        if not target.is_file() or target.is_symlink():
            continue
        if kind < 0.2:
            data = _load_yaml(target)
            slots = [(p, k) for p, k in _containers(data, []) if k in EXPR_KEYS and isinstance(p[k], (str, int, float))]
            if data is not _UNREADABLE and slots:
                parent, key = rng.choice(slots)
                parent[key] = _mutate_expression(str(parent[key]), rng)
                log.append(f"{target.name}: expression {key} → {parent[key][:40]!r}")
                target.write_text(_dump(data), encoding="utf-8")
        elif kind < 0.5:
            log.append(f"{target.name}:")
            data = _load_yaml(target)
            if data is not _UNREADABLE:
                target.write_text(_dump(_mutate_data(data, rng, log)), encoding="utf-8")
        elif kind < 0.85:
            log.append(f"{target.name}:")
            target.write_bytes(_mutate_text(target.read_text(encoding="utf-8", errors="replace"), rng, log))
        elif kind < 0.95:
            _special_file(target.parent / rng.choice(["extra.yaml", target.name]), rng, log)
        else:
            (rules / "zz").mkdir(exist_ok=True)
            _special_file(rules / "zz" / "pack.yaml", rng, log)
    as_of = rng.choice(DATES)
    lang = rng.choice(["vi", "en"])
    given = ["--rules", str(rules)]
    commands: list[list[str]] = []
    if EXAMPLES[pack]:
        dossier = rng.choice(EXAMPLES[pack])
        commands.append(["evaluate", str(dossier), "--pack", pack, "--as-of", as_of, "--lang", lang, *given,
                         "--engine", rng.choice(["durable", "reference"]), "--format", rng.choice(["text", "json"])]
                        + (["--proposal", str(proposal)] if proposal else []))
    extra = rng.random()
    if extra < 0.25:
        commands.append(["rules", "show", pack, "--as-of", as_of, *given] + (["--proposal", str(proposal)] if proposal else []))
    elif extra < 0.35:
        commands.append(["rules", "lint", pack, "--as-of", as_of, "--rules", str(rules)])
    elif extra < 0.40:
        commands.append(["rules", "list", *given])
    results = []
    for argv in commands:
        code, output, seconds = _run_cli(capsys, argv)
        results.append((argv, code, output, seconds))
    return results, log


_UNREADABLE = object()


def _load_yaml(path: Path) -> Any:
    """A rule file's data for mutating; an earlier mutation may have broken it already."""
    from engine.errors import RuleFileError
    from engine.contract.yamlsafe import load_rule_file

    try:
        return load_rule_file(path)
    except RuleFileError:
        return _UNREADABLE


def test_fuzz_rule_packs(tmp_path: Path, capsys: Any) -> None:
    failures: list[str] = []
    counts: dict[Any, int] = {}
    for case in _cases(PACK_CASES):
        where = tmp_path / f"p{case}"
        where.mkdir()
        results, log = _pack_case(where, case, capsys)
        for argv, code, output, _seconds in results:
            counts[code] = counts.get(code, 0) + 1
            problem = _problem(code, output)
            if problem:
                failures.append(f"case {case} ({'; '.join(log)}): {' '.join(argv[:2])} → {problem}: "
                                f"{output.strip()[-300:]!r} [kept in {where}]")
        if not any(_problem(code, output) for _, code, output, _ in results):
            shutil.rmtree(where, ignore_errors=True)
    _report("rule-pack", failures, counts, len(_cases(PACK_CASES)))


# -- dossiers ----------------------------------------------------------------------------------


def _dossier_case(tmp: Path, case: int, capsys: Any) -> tuple[list[str], Any, str, list[str]]:
    rng = random.Random(f"{SEED}:dossier:{case}")
    pack, example = rng.choice(ALL_EXAMPLES)
    log = [f"{pack} {example.name}"]
    suffix = rng.choice([".json", ".yaml"]) if rng.random() < 0.3 else example.suffix
    target = tmp / f"case{suffix}"
    text = example.read_text(encoding="utf-8")
    kind = rng.random()
    if kind < 0.5:
        from engine.contract.yamlsafe import load_input_text

        data = load_input_text(text, str(example))
        for _ in range(rng.choice([1, 1, 2, 3, 5])):
            data = _mutate_data(data, rng, log)
        if suffix == ".json":
            try:
                body = json.dumps(_plain(data), ensure_ascii=rng.random() < 0.5, default=str)
            except (ValueError, RecursionError):
                body = "{"
            target.write_text(body, encoding="utf-8")
        else:
            target.write_text(_dump(data), encoding="utf-8")
    elif kind < 0.8:
        target.write_bytes(_mutate_text(text, rng, log))
    elif kind < 0.9:
        from engine.contract.yamlsafe import load_input_text

        data = _plain(load_input_text(text, str(example)))
        body = json.dumps(data, default=str)
        trick = rng.randrange(5)
        if trick == 0:  # a duplicate key
            body = body.replace('"id": ', '"id": "dup", "id": ', 1)
            log.append("duplicate key")
        elif trick == 1:
            n = rng.choice([33, 1000, 100_000])
            body = body.replace('"posts": ', '"posts": ' + "[" * n, 1) + "]" * rng.choice([0, n])
            log.append(f"json nesting {n}")
        elif trick == 2:
            token = rng.choice(["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000, "1" + "0" * 25, "-0", "1E400"])
            body = body.replace(": ", ": " + token + ", \"x\": ", 1)
            log.append(f"json number {token[:12]}")
        elif trick == 3:
            body = "\ufeff" + body
            log.append("bom")
        else:
            body = body[: rng.randrange(len(body))]
            log.append("json truncated")
        target = tmp / "case.json"
        target.write_text(body, encoding="utf-8")
    else:
        _special_file(target, rng, log)
    argv = ["evaluate", str(target), "--pack", pack, "--as-of", rng.choice(DATES), "--lang", rng.choice(["vi", "en"]),
            "--engine", rng.choice(["durable", "reference"]), "--format", rng.choice(["text", "json", "markdown"])]
    code, output, _ = _run_cli(capsys, argv)
    return argv, code, output, log


def test_fuzz_dossiers(tmp_path: Path, capsys: Any) -> None:
    failures: list[str] = []
    counts: dict[Any, int] = {}
    for case in _cases(DOSSIER_CASES):
        where = tmp_path / f"d{case}"
        where.mkdir()
        argv, code, output, log = _dossier_case(where, case, capsys)
        counts[code] = counts.get(code, 0) + 1
        problem = _problem(code, output)
        if problem:
            failures.append(f"case {case} ({'; '.join(log)}): → {problem}: {output.strip()[-300:]!r} [kept in {where}]")
        else:
            shutil.rmtree(where, ignore_errors=True)
    _report("dossier", failures, counts, len(_cases(DOSSIER_CASES)))


@pytest.mark.parametrize("maker", [_alias_bomb])
def test_the_generators_make_what_they_say(maker: Callable[[], str]) -> None:
    """A sanity check on the fuzzer itself: the bomb it inserts really is one."""
    from engine.errors import InputError
    from engine.contract.yamlsafe import load_input_text

    with pytest.raises(InputError, match="aliases"):
        load_input_text("x: " + maker(), "<bomb>")

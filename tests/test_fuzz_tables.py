"""Tables fuzzed as a province's clerks and an attacker would write them.

Each run generates valid rows (``engine.batch.synth.province``), then, row by row and with a fixed
seed, either re-spells a cell the way people do (``1.490`` → ``1 490``, ``0.65`` → ``65 %``,
``true`` → ``Có``, decomposed Unicode, spaces) or corrupts it (an unknown code, a share of 1.3,
``many`` households, a 25-digit number, a date after the as-of date). It writes the table in
every input format and runs ``kiemnhiem batch``, asserting the invariants:

- exit code 0 or 1, never 2 or 3, and no traceback;
- rows in = rows out, in order, with their own row numbers;
- no valid row flagged (a re-spelled row gets the same decision as its original), and no
  invalid row passed (it is an error naming the corrupted column);
- the columnar engine agrees with durable-rules on the rows it answered.

CI runs a fixed seed on a few hundred rows. A longer run with fresh seeds:

    KIEMNHIEM_FUZZ_SEED=random KIEMNHIEM_FUZZ_ROWS=20000 .venv/bin/python -m pytest tests/test_fuzz_tables.py -q
"""

from __future__ import annotations

import os
import random
import unicodedata
from datetime import date

import polars as pl
import pytest

from cli import run
from conftest import policy
from engine.backends import durable as durable_backend
from engine.backends.facts import add_terms, from_row
from engine.policy.outcome import fold
from engine.batch.synth import province
from engine.io.tables import normalize

AS_OF = date(2021, 6, 1)
PACK = "vn.nghe-an"
SEED = random.randrange(1 << 30) if os.environ.get("KIEMNHIEM_FUZZ_SEED") == "random" else int(
    os.environ.get("KIEMNHIEM_FUZZ_SEED", "20261125"))
ROWS = int(os.environ.get("KIEMNHIEM_FUZZ_ROWS", "240"))


def _respell(column: str, value: object, rng: random.Random) -> str | None:
    """The same value as another person would type it, or None when the column has no variant."""
    if value is None:
        return None
    if column in ("hamlet_households", "hamlet_population", "hamlet_local_party_members"):
        n = int(value)  # type: ignore[arg-type]
        return rng.choice([f"{n:,}".replace(",", "."), f"{n:,}", f"{n:,}".replace(",", " "), f" {n} ", f"{n}.0"])
    if column in ("vote_share", "hamlet_election_turnout"):
        x = round(float(value), 3)  # type: ignore[arg-type]
        pct = f"{x * 100:.1f}".rstrip("0").rstrip(".")
        return rng.choice([f"{x}", f"{x}".replace(".", ","), f"{pct}%", f"{pct.replace('.', ',')} %"])
    if isinstance(value, bool):
        return rng.choice(["Có", "có", "yes", "TRUE", "x"] if value else ["Không", "không", "no", "False", "0"])
    if isinstance(value, date):
        return rng.choice([value.isoformat(), value.strftime("%d/%m/%Y")])
    if column in ("hamlet_province", "hamlet_district", "hamlet_commune"):
        return unicodedata.normalize("NFD", str(value))
    if column in ("party_status", "status", "hamlet_kind", "sex"):
        return rng.choice([f" {value} ", unicodedata.normalize("NFD", str(value))])
    return None


CORRUPTIONS: dict[str, list[str]] = {
    "hamlet_households": ["many", "-3", "12 34", "1e30", "9" * 25, "1,5"],
    "hamlet_population": ["about 800", "-1", "0.646"],
    "vote_share": ["1.3", "101 %", "-0.2", "half", "0,5,5"],
    "hamlet_election_turnout": ["2", "abc"],
    "party_status": ["founder", "honorary member", "FULL-TIME"],  # "member" says less (a member), "full member" is full
    "status": ["boss", "cadre"],
    "hamlet_kind": ["city", "village!"],
    "birth_date": ["2030-01-01", "31/02/1980", "yesterday"],
    "permanent_residence": ["maybe", "2"],
    "health_ok": ["fine"],
    "posts": ["chairman", "hamlet_head;hamlet_head"],
    "hamlet_area": ["volcano"],
}


def _fuzzed(rng: random.Random, n: int) -> tuple[pl.DataFrame, pl.DataFrame, dict[int, str], set[int]]:
    """(original rows, fuzzed rows as text, {row: corrupted column}, re-spelled rows)."""
    base = province(PACK, n, seed=rng.randrange(1 << 20))
    text: dict[str, list[str | None]] = {c: [] for c in base.columns}
    corrupted: dict[int, str] = {}
    respelled: set[int] = set()
    for i, row in enumerate(base.iter_rows(named=True)):
        roll = rng.random()
        target = None
        if roll < 0.25:
            target = rng.choice(sorted(CORRUPTIONS))
            corrupted[i] = target
        for column, value in row.items():
            if column == target:
                text[column].append(rng.choice(CORRUPTIONS[column]))
                continue
            variant = _respell(column, value, rng) if roll >= 0.25 and rng.random() < 0.5 else None
            if variant is not None:
                respelled.add(i)
                text[column].append(variant)
            elif value is None:
                text[column].append(None)
            else:
                text[column].append(value.isoformat() if isinstance(value, date) else
                                    ("true" if value is True else "false" if value is False else str(value)))
    return base, pl.DataFrame(text, schema={c: pl.String for c in base.columns}), corrupted, respelled


def _write(frame: pl.DataFrame, path) -> None:
    suffix = path.suffix
    if suffix == ".csv":
        frame.write_csv(path)
    elif suffix == ".xlsx":
        frame.write_excel(path)
    elif suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_ndjson(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".jsonl"])
def test_fuzzed_tables_keep_every_invariant(capsys, tmp_path, suffix) -> None:
    rng = random.Random(f"{SEED}-{suffix}")
    base, fuzzed, corrupted, respelled = _fuzzed(rng, ROWS)
    src, out = tmp_path / f"in{suffix}", tmp_path / "out.parquet"
    _write(fuzzed, src)
    clean_src, clean_out = tmp_path / "clean.parquet", tmp_path / "clean-out.parquet"
    base.write_parquet(clean_src)
    code = run(["batch", str(src), "--pack", PACK, "--as-of", AS_OF.isoformat(), "-o", str(out)])
    err = capsys.readouterr().err
    assert code in (0, 1), f"seed {SEED}: {err}"
    assert "Traceback" not in err
    assert run(["batch", str(clean_src), "--pack", PACK, "--as-of", AS_OF.isoformat(), "-o", str(clean_out)]) in (0, 1)
    capsys.readouterr()
    got, want = pl.read_parquet(out), pl.read_parquet(clean_out)
    assert got.height == ROWS, f"seed {SEED}: rows in {ROWS}, rows out {got.height}"
    first = 1 if suffix in (".parquet", ".jsonl") else 2
    assert got["row"].to_list() == list(range(first, first + ROWS))
    decisions, errors, clean = got["decision"].cast(pl.String), got["error"], want["decision"].cast(pl.String)
    for i in range(ROWS):
        if i in corrupted:
            assert decisions[i] == "error" and corrupted[i] in (errors[i] or ""), (
                f"seed {SEED}, row {i}: corrupted {corrupted[i]} = {fuzzed[corrupted[i]][i]!r} passed as {decisions[i]}")
        else:
            assert decisions[i] == clean[i], (
                f"seed {SEED}, row {i} ({'re-spelled' if i in respelled else 'as generated'}): {decisions[i]} "
                f"{errors[i]!r} instead of {clean[i]}; row {fuzzed.row(i, named=True)}")


def test_the_columnar_engine_agrees_with_durable_rules_on_fuzzed_rows() -> None:
    rng = random.Random(f"{SEED}-engines")
    _, fuzzed, _, _ = _fuzzed(rng, min(ROWS, 400))
    snap = policy(PACK).snapshot(AS_OF)
    norm, _ = normalize(fuzzed, 2, AS_OF, "VN", "en")
    from engine.backends import columnar

    answered = columnar.compiled(snap).evaluate(norm)
    ok = norm["_error"].is_null()
    checked = 0
    for row, got in zip(norm.filter(ok).iter_rows(named=True), answered.filter(ok)["decision"].cast(pl.String)):
        env = add_terms(from_row(row, AS_OF), snap.terms)
        want = fold(snap, env, durable_backend.verdicts(snap, env)).decision
        assert got == want, f"seed {SEED}: columnar {got}, durable {want} for {row}"
        checked += 1
    assert checked > 50

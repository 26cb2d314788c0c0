"""The published JSON Schemas (``engine/contract/schemas/``): they are what the models generate, and
the outputs validate against them.

A failure of the first test means an output model changed: if that is deliberate, regenerate with
``python3 tasks.py schemas`` (or ``kiemnhiem schema --write``) and commit the files; a key renamed
or removed needs a new version (``engine.contract.schema.VERSION``)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT

jsonschema = pytest.importorskip("jsonschema")

from engine import api  # noqa: E402
from engine.contract import schema  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*") if p.suffix in (".yaml", ".yml", ".json")
                  and p.parent.name != "batch")


def _validator(name: str) -> jsonschema.Draft202012Validator:
    published = json.loads(schema.shipped(name))
    jsonschema.Draft202012Validator.check_schema(published)
    return jsonschema.Draft202012Validator(published, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("name", schema.NAMES)
def test_the_shipped_schema_is_what_the_models_generate(name: str) -> None:
    assert schema.shipped(name) == schema.dumps(schema.generate(name)), (
        f"{schema.file_name(name)} differs from what the output models generate: if the change is deliberate, "
        "run `python3 tasks.py schemas` (or `kiemnhiem schema --write`) and commit engine/contract/schemas/")


@pytest.mark.parametrize("name", schema.NAMES)
def test_each_schema_is_versioned_and_described(name: str) -> None:
    published = json.loads(schema.shipped(name))
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert published["$id"].endswith(f".v{published['version']}") and f"v{published['version']}." in schema.file_name(name)
    assert published["title"] and published["description"]


def test_every_example_dossier_gives_json_the_decision_schema_accepts() -> None:
    assert EXAMPLES
    checks = {"decision": _validator("decision"), "roster": _validator("roster")}  # a roster dossier lists holders
    for dossier in EXAMPLES:
        pack = dossier.parent.name
        for as_of, trace in ((date(2021, 6, 1), False), (date(2025, 6, 1), True)):
            decision = api.evaluate_dossier(dossier, pack, as_of, trace=trace)
            check = checks["roster" if isinstance(decision, api.RosterDecision) else "decision"]
            errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                      for e in check.iter_errors(json.loads(api.render_decision(decision, "json")))]
            assert errors == [], f"{dossier.name} as of {as_of}: {errors[:3]}"


def test_the_decision_schema_refuses_what_is_not_a_decision() -> None:
    check = _validator("decision")
    good = json.loads(api.render_decision(api.evaluate_dossier(EXAMPLES[0], EXAMPLES[0].parent.name, date(2021, 6, 1)), "json"))
    assert check.is_valid(good)
    assert not check.is_valid({**good, "decision": "maybe"})
    assert not check.is_valid({k: v for k, v in good.items() if k != "pack_hash"})
    assert not check.is_valid({**good, "surprise": 1})


def test_the_batch_output_has_the_published_columns(tmp_path: Path) -> None:
    published = json.loads(schema.shipped("batch"))
    columns = [c["name"] for c in published["x-columns"]]
    check = _validator("batch")
    table = ROOT / "examples" / "batch" / "nghe-an-sample.csv"
    for suffix, explained in ((".jsonl", False), (".csv", True), (".parquet", False)):
        out = tmp_path / f"out{suffix}"
        run = api.run_batch(table, "vn.nghe-an", out, date(2021, 6, 1))
        assert run.rows > 0
        if suffix == ".jsonl":
            rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            assert [list(r) for r in rows[:1]] == [columns[:-1]]
            for r in rows:
                errors = [e.message for e in check.iter_errors(r)]
                assert errors == [], (r["row"], errors[:3])
        elif suffix == ".csv":
            header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
            assert header == columns and explained
        else:
            import pyarrow.parquet as pq

            assert pq.read_schema(out).names == columns[:-1]


def test_the_schema_command_prints_and_writes_the_shipped_files(tmp_path: Path) -> None:
    for name in schema.NAMES:
        done = subprocess.run([sys.executable, "cli.py", "schema", name], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0 and done.stdout == schema.shipped(name)
    out = tmp_path / "d.json"
    done = subprocess.run([sys.executable, "cli.py", "schema", "decision", "-o", str(out)], capture_output=True, cwd=ROOT)
    assert done.returncode == 0 and out.read_text(encoding="utf-8") == schema.shipped("decision")
    bad = subprocess.run([sys.executable, "cli.py", "schema"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2

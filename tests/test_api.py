"""The public API (``engine.api``): every use case reachable by one name, resolved lazily, and the
one-case path light."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from conftest import ROOT

import engine.api as api

DON_DUA = ROOT / "examples" / "vn.nghe-an" / "don-dua-civil-servant-secretary.yaml"


def test_all_names_every_public_entry_point_and_each_resolves_to_its_concepts_module() -> None:
    assert api.__all__ == sorted(api._WHERE)
    for name, (module, attr) in api._WHERE.items():
        assert getattr(api, name) is getattr(importlib.import_module(module), attr), name
        assert module != "engine.api" and not module.startswith("cli")


def test_the_type_checking_imports_match_the_lazy_names() -> None:
    """The ``if TYPE_CHECKING`` block (what type checkers and the layer test see) names the same
    objects as ``_WHERE``."""
    tree = ast.parse(Path(api.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {(a.asname or a.name): (node.module, a.name) for node in block.body if isinstance(node, ast.ImportFrom)
            for a in node.names}
    assert seen == api._WHERE


def test_importing_the_api_imports_no_use_case() -> None:
    code = "import sys, engine.api; print(sorted(m for m in sys.modules if m.startswith('engine.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "['engine.api']", done.stdout + done.stderr


def test_evaluate_a_dossier_from_a_file_or_a_mapping() -> None:
    from_file = api.evaluate_dossier(DON_DUA, "vn.nghe-an", date(2021, 6, 1), lang="vi")
    data = yaml.safe_load(DON_DUA.read_text(encoding="utf-8"))
    from_mapping = api.evaluate_dossier(data, "vn.nghe-an", date(2021, 6, 1), lang="vi")
    assert from_file.decision == "eligible_with_conditions"
    assert api.render_decision(from_file, "json") == api.render_decision(from_mapping, "json")
    assert api.render_decision(from_file, "text").startswith(api.render_decision(from_mapping, "text")[:40])


def test_the_decision_names_the_engine_that_made_it() -> None:
    durable = api.evaluate_dossier(DON_DUA, "vn.nghe-an", date(2021, 6, 1))
    reference = api.evaluate_dossier(DON_DUA, "vn.nghe-an", date(2021, 6, 1), backend="reference")
    assert (durable.engine, reference.engine) == ("durable-rules", "reference")
    assert durable.model_dump(exclude={"engine"}) == reference.model_dump(exclude={"engine"})


def test_rules_list_show_lint_and_steps_as_data_and_text() -> None:
    rows = api.list_packs()
    assert {"vn", "vn.nghe-an"} <= {r["id"] for r in rows}
    assert api.render_pack_list(rows).count("\n") == len(rows)
    assert api.show_pack("vn.nghe-an", "text", "en").startswith("vn.nghe-an ")
    names, findings = api.lint_packs(["vn.nghe-an"])
    report = api.LintReport(findings)
    assert names == ["vn.nghe-an"] and not report.failed
    assert report.text().endswith("note(s)\n")
    assert "Given" in api.render_phrasebook("en")


def test_batch_and_compare_return_structured_results(tmp_path: Path) -> None:
    table = ROOT / "examples" / "batch" / "nghe-an-sample.csv"
    run = api.run_batch(table, "vn.nghe-an", tmp_path / "out.parquet", date(2021, 6, 1), summary_path=tmp_path / "s.json")
    assert run.rows > 0 and run.summary["errors"] == run.errors
    assert (tmp_path / "s.json").is_file() and run.summary_text
    result = api.compare_proposal("vn.nghe-an", table, proposal=ROOT / "proposals" / "nghe-an-concurrent-100.yaml",
                                  as_of=date(2021, 6, 1), features=False)
    assert isinstance(result, api.ProposalComparison) and result.data["rows"] == run.rows
    assert result.text().startswith("vn.nghe-an (")
    sweep = api.compare_proposal("vn.nghe-an", table, sets=["concurrent_rate_cadre=0..1:0.5"], as_of=date(2021, 6, 1))
    assert isinstance(sweep, api.SweepComparison) and len(sweep.points) == 3

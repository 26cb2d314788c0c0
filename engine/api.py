"""The public API: one entry point per use case, the only module the command line (and the web
service) calls.

    from datetime import date
    from engine import api

    decision = api.evaluate_dossier("examples/vn.nghe-an/don-dua-civil-servant-secretary.yaml",
                                    "vn.nghe-an", date(2021, 6, 1), lang="vi")
    decision.decision                         # 'eligible_with_conditions'
    print(api.render_decision(decision, "text"))

    run = api.run_batch(Path("cases.csv"), "vn.nghe-an", Path("results.parquet"), date(2021, 6, 1))
    run.rows, run.errors, run.summary         # counts and the summary as data; run.summary_text

Use cases (each defined in the module of its concept, named in ``_WHERE`` below):

- one dossier: ``evaluate_dossier`` (a file or a mapping) → ``Decision``, or ``RosterDecision`` for a
  hamlet's roster (a dossier listing ``holders``; ``evaluate_roster`` on a read ``Roster``); ``render_decision``
  (text, markdown, json); the parts: ``load_policy``, ``read_case``, ``read_case_file``,
  ``check_as_of``, ``check_post_country``, ``evaluate``, ``decide``, ``explain``
- a table: ``run_batch`` → ``BatchRun``; a synthetic province: ``write_province``; a board's blank
  list to fill in: ``write_template``
- a proposal: ``compare_proposal`` → ``ProposalComparison`` or ``SweepComparison``
- the packs: ``list_packs`` / ``render_pack_list``, ``show_pack`` (``pack_json``, ``pack_text``),
  ``lint_packs`` → findings, ``LintReport`` to report them
- the features' phrasebook: ``render_phrasebook``
- the published output schemas: ``schema_text``, ``generate_schema``, ``write_schemas``

Names are resolved lazily (module ``__getattr__``): ``import engine.api`` costs nothing, and each
name imports only its own module when first used, so the one-case path never pays for polars,
pyarrow or z3 and ``kiemnhiem --help`` stays fast. ``from engine.api import *`` imports everything.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names are, for type checkers and readers (and the layer test)
    from engine.batch.run import BatchRun, run_batch
    from engine.batch.synth import PROVINCE_SUFFIXES, write_province
    from engine.io.mapping import Mapping, probe as probe_columns, reading_from, render as render_mapping
    from engine.io.tables import Reading
    from engine.bdd.phrasebook import render as render_phrasebook
    from engine.bdd.results import FeatureRun
    from engine.bdd.runner import render_run, run_features
    from engine.contract.decision import Decision, RosterDecision
    from engine.contract.dossier import case_error, read_case, read_case_file, read_dossier, read_dossier_file
    from engine.contract.schema import NAMES as SCHEMA_NAMES
    from engine.contract.schema import generate as generate_schema
    from engine.contract.schema import shipped as schema_text
    from engine.contract.schema import write_shipped as write_schemas
    from engine.explain.pack import list_packs, pack_json, pack_text, render_pack_list, show_pack
    from engine.explain.reasons import explain
    from engine.explain.render import render as render_decision
    from engine.io.atomic import Terminated, sigterm_raises, write_text
    from engine.io.guard import refuse_overwrite
    from engine.io.template import write_template
    from engine.evaluate import evaluate_dossier
    from engine.one_case import BACKENDS, ENGINE_LABELS, check_as_of, check_post_country, decide, evaluate
    from engine.one_hamlet import evaluate_roster
    from engine.policy.loader import load_policy
    from engine.verify.lint import LintReport, coverage_findings, lint_packs
    from engine.verify.solve import Finding
    from engine.whatif.compare import ProposalComparison, SweepComparison, compare_proposal

# public name → (module, name there)
_WHERE: dict[str, tuple[str, str]] = {
    # one dossier
    "evaluate_dossier": ("engine.evaluate", "evaluate_dossier"),
    "render_decision": ("engine.explain.render", "render"),
    "Decision": ("engine.contract.decision", "Decision"),
    "RosterDecision": ("engine.contract.decision", "RosterDecision"),
    "evaluate_roster": ("engine.one_hamlet", "evaluate_roster"),
    "read_dossier": ("engine.contract.dossier", "read_dossier"),
    "read_dossier_file": ("engine.contract.dossier", "read_dossier_file"),
    "load_policy": ("engine.policy.loader", "load_policy"),
    "read_case": ("engine.contract.dossier", "read_case"),
    "read_case_file": ("engine.contract.dossier", "read_case_file"),
    "case_error": ("engine.contract.dossier", "case_error"),
    "check_as_of": ("engine.one_case", "check_as_of"),
    "check_post_country": ("engine.one_case", "check_post_country"),
    "evaluate": ("engine.one_case", "evaluate"),
    "decide": ("engine.one_case", "decide"),
    "BACKENDS": ("engine.one_case", "BACKENDS"),
    "ENGINE_LABELS": ("engine.one_case", "ENGINE_LABELS"),
    "explain": ("engine.explain.reasons", "explain"),
    # a province's table
    "run_batch": ("engine.batch.run", "run_batch"),
    "BatchRun": ("engine.batch.run", "BatchRun"),
    "write_province": ("engine.batch.synth", "write_province"),
    "Reading": ("engine.io.tables", "Reading"),
    "reading_from": ("engine.io.mapping", "reading_from"),
    "probe_columns": ("engine.io.mapping", "probe"),
    "render_mapping": ("engine.io.mapping", "render"),
    "Mapping": ("engine.io.mapping", "Mapping"),
    "PROVINCE_SUFFIXES": ("engine.batch.synth", "PROVINCE_SUFFIXES"),
    "write_template": ("engine.io.template", "write_template"),  # a board's blank list, per pack and language
    # a proposal against the rules in force
    "compare_proposal": ("engine.whatif.compare", "compare_proposal"),
    "ProposalComparison": ("engine.whatif.compare", "ProposalComparison"),
    "SweepComparison": ("engine.whatif.compare", "SweepComparison"),
    # the packs
    "list_packs": ("engine.explain.pack", "list_packs"),
    "render_pack_list": ("engine.explain.pack", "render_pack_list"),
    "show_pack": ("engine.explain.pack", "show_pack"),
    "pack_json": ("engine.explain.pack", "pack_json"),
    "pack_text": ("engine.explain.pack", "pack_text"),
    "lint_packs": ("engine.verify.lint", "lint_packs"),
    "LintReport": ("engine.verify.lint", "LintReport"),
    "Finding": ("engine.verify.solve", "Finding"),
    # the features
    "render_phrasebook": ("engine.bdd.phrasebook", "render"),
    "run_features": ("engine.bdd.runner", "run_features"),
    "render_run": ("engine.bdd.runner", "render_run"),
    "FeatureRun": ("engine.bdd.results", "FeatureRun"),
    "coverage_findings": ("engine.verify.lint", "coverage_findings"),
    # the published schemas of the outputs
    "SCHEMA_NAMES": ("engine.contract.schema", "NAMES"),
    "schema_text": ("engine.contract.schema", "shipped"),
    "generate_schema": ("engine.contract.schema", "generate"),
    "write_schemas": ("engine.contract.schema", "write_shipped"),
    # for a front end that writes files: refuse an output that is an input; write atomically;
    # let SIGTERM clean up like Ctrl-C
    "refuse_overwrite": ("engine.io.guard", "refuse_overwrite"),
    "write_text": ("engine.io.atomic", "write_text"),
    "sigterm_raises": ("engine.io.atomic", "sigterm_raises"),
    "Terminated": ("engine.io.atomic", "Terminated"),
}

# spelled out (and checked against _WHERE by tests/test_api.py) so that tools see the public names
__all__ = ["BACKENDS", "BatchRun", "Decision", "ENGINE_LABELS", "FeatureRun", "Finding", "LintReport", "Mapping",
           "PROVINCE_SUFFIXES", "ProposalComparison", "Reading", "RosterDecision", "SCHEMA_NAMES", "SweepComparison",
           "Terminated", "case_error", "check_as_of", "check_post_country", "compare_proposal", "coverage_findings",
           "decide", "evaluate", "evaluate_dossier", "evaluate_roster", "explain", "generate_schema", "lint_packs",
           "list_packs", "load_policy", "pack_json", "pack_text", "probe_columns", "read_case", "read_case_file", "read_dossier",
           "read_dossier_file", "reading_from", "refuse_overwrite", "render_decision", "render_mapping",
           "render_pack_list", "render_phrasebook", "render_run", "run_batch",
           "run_features", "schema_text", "show_pack", "sigterm_raises", "write_province", "write_schemas",
           "write_template", "write_text"]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where[0]), where[1])
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

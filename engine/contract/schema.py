"""The published JSON Schemas of the outputs: generated from the models, shipped with the package.

- ``decision``: one Decision, as ``kiemnhiem evaluate --format json`` writes it
  (``engine.contract.decision.Decision``);
- ``roster``: a hamlet's roster judged (``kiemnhiem evaluate`` on a dossier with ``holders``;
  ``engine.contract.decision.RosterDecision``), each holder's Decision inside;
- ``hamlets``: one row of the hamlet table of ``kiemnhiem batch --hamlets``;
- ``batch``: one output row of ``kiemnhiem batch`` (a line of its JSON Lines output; the same
  columns, in this order, in CSV, XLSX and Parquet), with a table of the columns (``x-columns``:
  name, type, nullable, meaning).

The files ``engine/contract/schemas/<name>.v<N>.json`` are what is published; the tests check that
they equal what this module generates, so a change of an output is a deliberate act: regenerate
with ``kiemnhiem schema --write`` (or ``python3 tasks.py schemas``), and bump ``VERSION`` (a new
file) when a key is renamed or removed. Keys are only ever added within a version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.contract.decision import DECISIONS
from engine.contract.fields import POSTS

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
VERSION = {"decision": 1, "batch": 2, "roster": 1, "hamlets": 1}
FILES = {"decision": "decision.v{v}.json", "batch": "batch-columns.v{v}.json", "roster": "roster.v{v}.json",
         "hamlets": "hamlet-columns.v{v}.json"}
NAMES = tuple(FILES)


def file_name(name: str) -> str:
    return FILES[name].format(v=VERSION[name])


def _head(name: str, title: str, description: str) -> dict[str, Any]:
    return {"$schema": DIALECT, "$id": f"urn:kiemnhiem:schema:{file_name(name).removesuffix('.json')}",
            "version": VERSION[name], "title": title, "description": description}


def _all_required(node: Any) -> None:
    """Every key of an output object is always written (a null says "not known" or "not
    applicable"): the schema says so, so that a consumer may rely on the keys."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
        for value in node.values():
            _all_required(value)
    elif isinstance(node, list):
        for value in node:
            _all_required(value)


def decision_schema() -> dict[str, Any]:
    from engine.contract.decision import Decision

    body = Decision.model_json_schema(mode="serialization")
    _all_required(body)
    body["required"] = [k for k in body["required"] if k != "trace"]  # written only with --trace
    head = _head("decision", "kiemnhiem decision",
                 "One dossier's decision, as `kiemnhiem evaluate --format json` writes it: the decision, each "
                 "criterion with the facts and thresholds compared and its legal source, the conditions an "
                 "exception brings, what is missing, the hamlet's fund, the candidate's allowance (monthly_total is "
                 "payable: 0 when ineligible, null while undetermined), what would have to change, and the pack, "
                 "version, content hash and date it was decided with. Money is an integer in the currency's unit.")
    body.pop("title", None)
    return {**head, **body}


# One output row of `kiemnhiem batch`, in column order: (name, JSON type, nullable, meaning)
_ID = "copied from the input (empty when the input has no such column)"
BATCH_COLUMNS: list[tuple[str, str, bool, str]] = [
    ("row", "integer", False, "the row's number in its input file: the spreadsheet line for CSV and XLSX (the header "
                              "is line 1), the record number (from 1) for Parquet and JSON Lines"),
    ("case_id", "string", True, f"the case's id, {_ID}"),
    ("hamlet_id", "string", True, f"the hamlet's id, {_ID}"),
    ("candidate_id", "string", True, f"the candidate's id, {_ID}"),
    ("hamlet_name", "string", True, f"the hamlet's name, {_ID}"),
    ("name", "string", True, f"the candidate's name, {_ID}"),
    ("hamlet_province", "string", True, f"the hamlet's province, {_ID}"),
    ("hamlet_district", "string", True, f"the hamlet's district, {_ID}"),
    ("hamlet_commune", "string", True, f"the hamlet's commune, {_ID}"),
    ("decision", "string", False, "eligible, eligible_with_conditions, ineligible, undetermined, not_applicable, "
                                  "error for a row that could not be read (see `error`), or skipped for a row that is "
                                  "no case (a totals row, a blank row, a heading or signature line: see `note`)"),
    ("failing", "string", False, "the ids of the *must* criteria that fail, joined by `;` (empty when none does)"),
    ("advisories", "string", False, "the ids of the *should* criteria that fail and of the *may* permissions that do "
                                    "not cover the case, joined by `;`: the decision stands, the board reads them out"),
    ("missing", "string", False, "the fields whose absence leaves the decision undetermined, joined by `;` (empty "
                                 "when none)"),
    ("fund_monthly", "integer", True, "the hamlet's monthly allowance fund (null when undetermined or not applicable)"),
    ("allowance_monthly_total", "integer", True, "the candidate's payable monthly allowance: 0 when ineligible, null "
                                                 "while the decision or an amount is undetermined"),
    ("allowance_if_appointed_total", "integer", True, "what the posts would pay each month if the person were "
                                                      "appointed (never money owed); null when undetermined"),
    *[(f"amount_{post}", "integer", True, f"what the post {post} would pay each month if the person were appointed "
                                          f"(null when not held or undetermined)") for post in POSTS],
    ("grant_yearly", "integer", True, "a yearly grant the case brings (China's packs), null when none applies or it "
                                      "is undetermined"),
    ("error", "string", True, "why the row could not be read (the errors table has one line per problem); null for "
                              "an answered row"),
    ("note", "string", True, "why a skipped row is no case, in the run's language; null for every other row"),
    ("pack", "string", False, "the rule pack evaluated (the same on every row)"),
    ("pack_hash", "string", False, "the pack's content hash"),
    ("as_of", "string", False, "the date the rules were taken as of, YYYY-MM-DD"),
]
# written only to CSV and XLSX outputs, after the columns above
BATCH_OPTIONAL: list[tuple[str, str, bool, str]] = [
    ("explanation", "string", False, "the decision in a short sentence in the run's language, with what fails or is "
                                     "missing (CSV and XLSX outputs only)"),
]


def _table(name: str, title: str, description: str, columns: list[tuple[str, str, bool, str]],
           required: list[str], enums: dict[str, list[Any]], passed_through: bool = False) -> dict[str, Any]:
    """A table's row as a schema, with its columns' table (``x-columns``: name, type, nullable,
    meaning): the batch output and the hamlet table are described the same way."""
    props: dict[str, Any] = {}
    for col, kind, nullable, meaning in columns:
        prop: dict[str, Any] = {"type": [kind, "null"] if nullable else kind, "description": meaning}
        if col in enums:
            prop["enum"] = enums[col]
        if col == "as_of":
            prop["format"] = "date"
        props[col] = prop
    return {**_head(name, title, description), "type": "object", "properties": props, "required": required,
            # the batch keeps the input's own columns the rules do not read (STT, Ghi chú), as text, after its own
            "additionalProperties": {"type": ["string", "null"], "description": "an input column passed through"}
            if passed_through else False,
            "x-columns": [{"name": n, "type": t, "nullable": nl, "description": m} for n, t, nl, m in columns]}


def batch_schema() -> dict[str, Any]:
    return _table("batch", "kiemnhiem batch output row",
                  "One output row of `kiemnhiem batch` (one line of its JSON Lines output). CSV, XLSX and Parquet "
                  "outputs have the same columns in the order of `x-columns` (CSV and XLSX add `explanation`), then the "
                  "input's own columns the rules do not read, passed through as text; in CSV "
                  "and XLSX a null is an empty cell. Money is an integer in the pack's currency unit; totals over "
                  "rows count payable amounts only and never an unknown as 0.",
                  BATCH_COLUMNS + BATCH_OPTIONAL, [c[0] for c in BATCH_COLUMNS],
                  {"decision": [*DECISIONS, "error", "skipped"]}, passed_through=True)


def roster_schema() -> dict[str, Any]:
    from engine.contract.decision import RosterDecision

    body = RosterDecision.model_json_schema(mode="serialization")
    _all_required(body)
    for definition in body.get("$defs", {}).values():  # a holder's trace is written only with --trace
        if definition.get("title") == "Decision":
            definition["required"] = [k for k in definition["required"] if k != "trace"]
    head = _head("roster", "kiemnhiem roster decision",
                 "A hamlet's roster judged, as `kiemnhiem evaluate --format json` writes it for a dossier that lists "
                 "`holders`: the roster's verdict (ok, problems, undetermined), each roster check with what it found, "
                 "whom it concerns and its source, the fund beside what the posts would pay together (remainder "
                 "negative when exceeded), and each holder's own decision noting the roster problems that concern "
                 "them.")
    body.pop("title", None)
    return {**head, **body}


# One row of the hamlet table (`kiemnhiem batch --hamlets`), in column order
HAMLET_COLUMNS: list[tuple[str, str, bool, str]] = [
    ("hamlet_id", "string", True, "the hamlet's id"),
    ("holders", "integer", False, "the rows of the hamlet that propose a person for at least one post"),
    ("error_rows", "integer", False, "the rows of the hamlet that could not be read (the roster is then at best "
                                     "undetermined)"),
    ("roster", "string", True, "ok, problems or undetermined; null when no row proposes anyone"),
    ("failing", "string", False, "the ids of the roster checks that fail, joined by `;`"),
    ("undetermined", "string", False, "the ids of the roster checks that cannot decide, joined by `;`"),
    ("concerned", "string", False, "for each failing check, `id: candidate ids` of the holders it concerns, joined "
                                   "by `; `"),
    ("fund_monthly", "integer", True, "the hamlet's monthly allowance fund (null when undetermined or none)"),
    ("paid_total", "integer", True, "what the holders' posts would pay together each month (null when an amount is "
                                    "undetermined)"),
    ("remainder", "integer", True, "fund_monthly − paid_total, negative when the posts exceed the fund; null when "
                                   "either is not known or the hamlet has no fund"),
    ("pack", "string", False, "the rule pack evaluated"),
    ("pack_hash", "string", False, "the pack's content hash"),
    ("as_of", "string", False, "the date the rules were taken as of, YYYY-MM-DD"),
]


def hamlets_schema() -> dict[str, Any]:
    return _table("hamlets", "kiemnhiem hamlet table row",
                  "One row of the hamlet table `kiemnhiem batch --hamlets` writes: the hamlet's roster judged as a "
                  "whole from every row of the hamlet in the input. Money is an integer in the pack's currency unit.",
                  HAMLET_COLUMNS, [c[0] for c in HAMLET_COLUMNS], {"roster": ["ok", "problems", "undetermined", None]})


GENERATORS = {"decision": decision_schema, "batch": batch_schema, "roster": roster_schema, "hamlets": hamlets_schema}


def generate(name: str) -> dict[str, Any]:
    """The schema ``name`` (``NAMES``) generated from the models now."""
    return GENERATORS[name]()


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def shipped(name: str) -> str:
    """The published schema ``name``, as shipped with the package."""
    return (SCHEMA_DIR / file_name(name)).read_text(encoding="utf-8")


def write_shipped() -> list[Path]:
    """Regenerate the shipped files from the models (in a checkout: then commit them)."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    written = []
    for name in NAMES:
        path = SCHEMA_DIR / file_name(name)
        path.write_text(dumps(generate(name)), encoding="utf-8")
        written.append(path)
    return written

#!/usr/bin/env python3
"""Golden outputs of the command line on the shipped examples: record them, compare two records.

Meant for refactorings that must not change behaviour (moving engine modules around): record the
outputs before, record them after, and compare. Standard library only; the CLI is run as
``<this Python> cli.py …`` with the repository as working directory, so the ``engine`` imported is
that repository's (the script checks it). If this Python lacks the project's packages (a bare
``python3``), the ``.venv/bin/python`` of ``--repo`` or of this script's checkout is used instead.

    python3 bench/golden.py --out DIR [--repo REPO] [--jobs 2] [--only REGEX] [--force]
    python3 bench/golden.py --compare DIR_A DIR_B      # exit 1 on any difference
    python3 bench/golden.py --list                     # the commands, without running them

What is run (every file under ``examples/<pack>/`` is a dossier for pack ``<pack>``; the tables
of ``examples/batch/`` and the proposals of ``proposals/`` are mapped to their packs below):
``evaluate`` in every format and language at two dates, with ``--trace``, the reference engine
and a proposal; ``batch`` on every example table into CSV, JSON Lines, XLSX and Parquet with
``--errors`` and ``--summary``; ``compare`` for every proposal (text, JSON, ``--report``,
``--cases``, ``--export-scenarios``, one run with the features) and a sweep; ``rules list``,
``rules show`` and ``rules lint`` for every pack; ``steps``; ``generate``; ``test``; ``--help``;
and a few inputs that must be refused (exit 2). One file per command: the command line, the exit
code, stdout, stderr, then every file the command wrote (XLSX unzipped member by member, Parquet
dumped as schema, metadata and rows through pyarrow in a child process).

Masked, and nothing else: each pack's (or proposal's) content hash, by the pack it belongs to
(``<HASH:vn.nghe-an>``; a 16-hex-digit word not known as a hash becomes ``<HASH:?>``), the
temporary folder the outputs are written into (``<TMP>``), the repository's path (``<REPO>``),
the pid and random part of an atomic writer's temporary file name, pytest's "in 1.70s", and in an
XLSX sheet the width autofit gives the column of hashes (it follows the hash's glyphs); a Parquet
file's serialized Arrow schema (base64, holding the hash) is shown decoded instead.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

DATES = ["2021-06-01", "2025-06-01"]
FORMATS = ["text", "markdown", "json"]
LANGS = ["vi", "en"]
RUN_META = "_run.json"

# Example tables of examples/batch/ → (pack, candidates table or None). The pack is not in the
# file, so it is named here; a table found there and missing here is reported as unmapped.
BATCH_TABLES = {
    "nghe-an-sample.csv": ("vn.nghe-an", None),
    "hamlets.csv": ("vn.nghe-an", "candidates.csv"),
    "da-nang-sample.xlsx": ("vn.da-nang", None),
    "hainan-sample.parquet": ("cn.hainan", None),
}
BATCH_JOINED_ONLY = {"candidates.csv"}  # used with hamlets.csv, never alone

# Proposals of proposals/ → (pack, example table for compare).
PROPOSALS = {
    "cadre-allowance-50.yaml": ("vn.nghe-an", "nghe-an-sample.csv"),
    "nghe-an-concurrent-100.yaml": ("vn.nghe-an", "nghe-an-sample.csv"),
    "hainan-islands-1000.yaml": ("cn.hainan", "hainan-sample.parquet"),
    "da-nang-target-2027.yaml": ("vn.da-nang", "da-nang-sample.xlsx"),
}

# Inputs that must be refused, written into the temporary folder (stable content, so stable answers).
BAD_DOSSIER = """\
hamlet:
  id: bad-hamlet
  country: VN
  kind: village
  households: -5
  colour: blue
candidate:
  id: bad-candidate
  birth_date: 2030-01-01
  party_status: full
  vote_share: 1.3
posts: [hamlet_head, mayor]
"""
BAD_TABLE_HEADER = ("hamlet_id,hamlet_country,hamlet_province,hamlet_district,hamlet_commune,hamlet_kind,"
                    "hamlet_households,hamlet_area,candidate_id,birth_date,party_status,vote_share,posts")
BAD_TABLE = "\n".join([
    BAD_TABLE_HEADER,
    "h1,VN,Nghệ An,Nghi Lộc,Nghi Thịnh,village,many,none,c1,1980-01-01,full,68 %,hamlet_head",
    "h2,VN,Nghệ An,Nghi Lộc,Nghi Thịnh,village,1.490,none,c2,2030-01-01,full,1.3,hamlet_head",
    "h3,VN,Nghệ An,Nghi Lộc,Nghi Thịnh,hamlet,240,moon,c3,1980-01-01,gold,0.5,king",
    "h4,VN,Nghệ An,Nghi Lộc,Nghi Thịnh,village,240,none,c4,1980-01-01,full,0.7,hamlet_head,extra",
    "",
    "h5,VN,Nghệ An,Nghi Lộc,Nghi Thịnh,village,\"1 490\",none,c5,1979-09-14,none,\"64,6 %\",hamlet_head",
    "h6,VN,Nghệ An,Nghi Lộc,Nghi Thịnh,village,240,none,c6,1979-09-14,full,=1+1,hamlet_head",
]) + "\n"
NO_HEADER_TABLE = "hamlet_idd,households,kind\nh1,240,village\n"


class Cmd:
    """One CLI run: ``args`` may hold ``{T}`` (the run's own empty folder) and ``{I}`` (the inputs
    written by this script)."""

    def __init__(self, name: str, args: list[str], group: str) -> None:
        self.name, self.args, self.group = name, args, group


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", name)


def build_commands(repo: Path) -> tuple[list[Cmd], list[str]]:
    """Every command, and notes on example files this script does not know how to run."""
    cmds: list[Cmd] = []
    notes: list[str] = []

    def add(group: str, name: str, args: list[str]) -> None:
        cmds.append(Cmd(_safe(f"{group}__{name}"), args, group))

    examples = repo / "examples"
    packs = sorted(p.name for p in (repo / "rules").iterdir() if p.is_dir() and not p.name.startswith("."))

    # -- evaluate: every dossier of examples/<pack>/ ------------------------------------------------
    dossiers: list[tuple[str, str]] = []
    for folder in sorted(p for p in examples.iterdir() if p.is_dir() and p.name != "batch"):
        if folder.name not in packs:
            notes.append(f"examples/{folder.name}/: no pack of that name in rules/; run as a pack anyway")
        for f in sorted(folder.iterdir()):
            if f.suffix.lower() in (".yaml", ".yml", ".json") and f.is_file():
                dossiers.append((folder.name, f"examples/{folder.name}/{f.name}"))
            else:
                notes.append(f"examples/{folder.name}/{f.name}: not a dossier (yaml/json); skipped")
    for pack, rel in dossiers:
        stem = f"{pack}__{Path(rel).stem}"
        for day in DATES:
            base = [rel, "--pack", pack, "--as-of", day]
            for fmt in FORMATS:
                for lang in LANGS:
                    add("evaluate", f"{stem}__{day}__{fmt}__{lang}", ["evaluate", *base, "--format", fmt, "--lang", lang])
            add("evaluate", f"{stem}__{day}__text__default-lang__trace", ["evaluate", *base, "--trace"])
            add("evaluate", f"{stem}__{day}__json__en__trace", ["evaluate", *base, "--format", "json", "--lang", "en", "--trace"])
            add("evaluate", f"{stem}__{day}__json__en__reference",
                ["evaluate", *base, "--format", "json", "--lang", "en", "--engine", "reference"])
    for prop, (pack, _table) in sorted(PROPOSALS.items()):
        for dpack, rel in dossiers:
            if dpack == pack:
                add("evaluate-proposal", f"{pack}__{Path(rel).stem}__{Path(prop).stem}__{DATES[0]}",
                    ["evaluate", rel, "--pack", pack, "--as-of", DATES[0], "--proposal", f"proposals/{prop}",
                     "--format", "json", "--lang", "en"])
    if dossiers:
        pack, rel = dossiers[0]
        add("evaluate-output", f"{pack}__{Path(rel).stem}__markdown__-o",
            ["evaluate", rel, "--pack", pack, "--as-of", DATES[1], "--format", "markdown", "--trace", "-o", "{T}/decision.md"])

    # -- batch: every example table ----------------------------------------------------------------
    batch_dir = examples / "batch"
    tables = sorted(p.name for p in batch_dir.iterdir() if p.is_file()) if batch_dir.is_dir() else []
    for name in tables:
        if name not in BATCH_TABLES and name not in BATCH_JOINED_ONLY:
            notes.append(f"examples/batch/{name}: no pack known for this table; not run (add it to BATCH_TABLES)")
    variants: list[tuple[str, str, str, str, str | None]] = [  # (label, results, errors, summary, lang)
        ("csv__vi", "results.csv", "errors.csv", "summary.txt", "vi"),
        ("csv__en", "results.csv", "errors.csv", "summary.json", "en"),
        ("jsonl__default-lang", "results.jsonl", "errors.jsonl", "summary.json", None),
        ("xlsx__en", "results.xlsx", "errors.xlsx", "summary.txt", "en"),
        ("parquet__default-lang", "results.parquet", "errors.parquet", "summary.json", None),
    ]
    for name in tables:
        if name not in BATCH_TABLES:
            continue
        pack, cands = BATCH_TABLES[name]
        inputs = [f"examples/batch/{name}"] + (["--candidates", f"examples/batch/{cands}"] if cands else [])
        label = Path(name).stem + (f"+{Path(cands).stem}" if cands else "")
        for day in DATES:
            for v, res, err, summ, vlang in variants:
                args = ["batch", *inputs, "--pack", pack, "--as-of", day, "-o", f"{{T}}/{res}",
                        "--errors", f"{{T}}/{err}", "--summary", f"{{T}}/{summ}"]
                if vlang:
                    args += ["--lang", vlang]
                add("batch", f"{label}__{pack}__{day}__{v}", args)
    if "nghe-an-sample.csv" in tables:
        add("batch", f"nghe-an-sample__vn.nghe-an__{DATES[0]}__csv__chunk-rows-37",
            ["batch", "examples/batch/nghe-an-sample.csv", "--pack", "vn.nghe-an", "--as-of", DATES[0],
             "-o", "{T}/results.csv", "--errors", "{T}/errors.csv", "--summary", "{T}/summary.txt", "--chunk-rows", "37"])

    # -- compare: every proposal -------------------------------------------------------------------
    proposals_dir = repo / "proposals"
    props = sorted(p.name for p in proposals_dir.iterdir() if p.is_file()) if proposals_dir.is_dir() else []
    for prop in props:
        if prop not in PROPOSALS:
            notes.append(f"proposals/{prop}: no pack known for this proposal; not run (add it to PROPOSALS)")
    for prop in props:
        if prop not in PROPOSALS:
            continue
        pack, table = PROPOSALS[prop]
        stem = Path(prop).stem
        for day in DATES:
            base = ["compare", "--pack", pack, "--proposal", f"proposals/{prop}", "--data", f"examples/batch/{table}",
                    "--as-of", day, "--no-features"]
            add("compare", f"{stem}__{pack}__{day}__text__en", [*base, "--report", "{T}/report.html", "--cases", "{T}/changed.csv"])
            add("compare", f"{stem}__{pack}__{day}__json__en", [*base, "--format", "json", "--cases", "{T}/changed.parquet"])
            add("compare", f"{stem}__{pack}__{day}__text__vi",
                [*base, "--lang", "vi", "--cases", "{T}/changed.xlsx", "--export-scenarios", "{T}/pinned"])
    if "nghe-an-concurrent-100.yaml" in props:
        add("compare", f"nghe-an-concurrent-100__vn.nghe-an__{DATES[0]}__json__en__with-features",
            ["compare", "--pack", "vn.nghe-an", "--proposal", "proposals/nghe-an-concurrent-100.yaml",
             "--data", "examples/batch/nghe-an-sample.csv", "--as-of", DATES[0], "--format", "json"])
    if "hainan-sample.parquet" in tables:
        for fmt in ("text", "json"):
            add("compare", f"sweep__cn__{DATES[1]}__{fmt}",
                ["compare", "--pack", "cn", "--set", "cn_min_age=18..30:2",
                 "--data", "examples/batch/hainan-sample.parquet", "--as-of", DATES[1], "--format", fmt])
    if "nghe-an-sample.csv" in tables:
        add("compare", f"set__vn.nghe-an__{DATES[0]}__text",
            ["compare", "--pack", "vn.nghe-an", "--set", "concurrent_rate_cadre=0.5",
             "--data", "examples/batch/nghe-an-sample.csv", "--as-of", DATES[0], "--report", "{T}/report.html"])
        add("compare", f"set__vn.nghe-an__{DATES[0]}__json",  # also names the hash of the policy with --set
            ["compare", "--pack", "vn.nghe-an", "--set", "concurrent_rate_cadre=0.5",
             "--data", "examples/batch/nghe-an-sample.csv", "--as-of", DATES[0], "--format", "json"])

    # -- rules -------------------------------------------------------------------------------------
    add("rules", "list__text", ["rules", "list"])
    add("rules", "list__text__vi", ["rules", "list", "--lang", "vi"])
    add("rules", "list__json", ["rules", "list", "--format", "json"])
    for pack in packs:
        add("rules", f"show__{pack}__text", ["rules", "show", pack])
        add("rules", f"show__{pack}__text__en", ["rules", "show", pack, "--lang", "en"])
        add("rules", f"show__{pack}__text__vi__{DATES[1]}", ["rules", "show", pack, "--lang", "vi", "--as-of", DATES[1]])
        add("rules", f"show__{pack}__json", ["rules", "show", pack, "--format", "json"])
        add("rules", f"show__{pack}__json__{DATES[0]}", ["rules", "show", pack, "--format", "json", "--as-of", DATES[0]])
        add("rules", f"lint__{pack}__text", ["rules", "lint", pack])
        add("rules", f"lint__{pack}__json", ["rules", "lint", pack, "--format", "json"])
    add("rules", "lint__all__text__vi", ["rules", "lint", "--lang", "vi"])
    add("rules", "lint__all__json", ["rules", "lint", "--format", "json"])
    add("rules", f"lint__all__text__{DATES[1]}", ["rules", "lint", "--as-of", DATES[1]])
    add("rules", "lint__all__coverage", ["rules", "lint", "--coverage"])
    for prop in props:
        if prop in PROPOSALS:
            pack = PROPOSALS[prop][0]
            add("rules", f"lint__{pack}__proposal__{Path(prop).stem}", ["rules", "lint", "--pack", pack, "--rules", f"proposals/{prop}"])
            add("rules", f"show__{pack}__proposal__{Path(prop).stem}", ["rules", "show", pack, "--proposal", f"proposals/{prop}"])

    # -- steps, generate, test, help ----------------------------------------------------------------
    for lang in LANGS:
        add("steps", lang, ["steps", "--lang", lang])
    for pack in [p for p in packs if p in ("vn.nghe-an", "vn.da-nang") or p.startswith("cn.")]:
        add("generate", f"{pack}__jsonl", ["generate", "--pack", pack, "--rows", "60", "-o", "{T}/province.jsonl"])
    for suffix in ("csv", "xlsx", "parquet"):
        add("generate", f"vn.nghe-an__{suffix}", ["generate", "--pack", "vn.nghe-an", "--rows", "60", "--seed", "7",
                                                  "-o", f"{{T}}/province.{suffix}"])
    add("test", "all", ["test"])
    add("test", "all__vi__coverage", ["test", "--lang", "vi", "--coverage"])
    if "nghe-an-concurrent-100.yaml" in props:
        add("test", "vn.nghe-an__proposal__nghe-an-concurrent-100",
            ["test", "--pack", "vn.nghe-an", "--proposal", "proposals/nghe-an-concurrent-100.yaml"])
    add("help", "top", ["--help"])
    add("help", "version", ["--version"])
    for sub in (["evaluate"], ["batch"], ["compare"], ["generate"], ["steps"], ["test"], ["rules"],
                ["rules", "list"], ["rules", "show"], ["rules", "lint"]):
        add("help", "_".join(sub), [*sub, "--help"])

    # -- inputs that must be refused ---------------------------------------------------------------
    if dossiers:
        pack, rel = dossiers[0]
        add("refused", "evaluate__missing-file", ["evaluate", "examples/no-such-dossier.yaml", "--pack", pack, "--as-of", DATES[0]])
        add("refused", "evaluate__unknown-pack", ["evaluate", rel, "--pack", "vn.atlantis", "--as-of", DATES[0]])
        add("refused", "evaluate__before-every-rule", ["evaluate", rel, "--pack", pack, "--as-of", "1900-01-01"])
        add("refused", "evaluate__bad-date", ["evaluate", rel, "--pack", pack, "--as-of", "2021-13-01"])
        add("refused", "evaluate__output-is-input", ["evaluate", "{I}/dossier-copy.yaml", "--pack", pack, "--as-of", DATES[0],
                                                     "-o", "{I}/dossier-copy.yaml"])
    add("refused", "evaluate__bad-dossier__both-langs", ["evaluate", "{I}/bad-dossier.yaml", "--pack", "vn.nghe-an", "--as-of", DATES[0]])
    add("refused", "evaluate__bad-dossier__en", ["evaluate", "{I}/bad-dossier.yaml", "--pack", "vn.nghe-an", "--as-of", DATES[0],
                                                 "--lang", "en", "--format", "json"])
    add("refused", "batch__bad-rows__csv", ["batch", "{I}/bad-rows.csv", "--pack", "vn.nghe-an", "--as-of", DATES[0],
                                            "-o", "{T}/results.csv", "--errors", "{T}/errors.csv", "--summary", "{T}/summary.json"])
    add("refused", "batch__bad-rows__jsonl__en", ["batch", "{I}/bad-rows.csv", "--pack", "vn.nghe-an", "--as-of", DATES[0],
                                                  "-o", "{T}/results.jsonl", "--errors", "{T}/errors.jsonl", "--lang", "en"])
    add("refused", "batch__no-header", ["batch", "{I}/no-header.csv", "--pack", "vn.nghe-an", "--as-of", DATES[0],
                                        "-o", "{T}/results.csv"])
    add("refused", "batch__unwritable-output", ["batch", "examples/batch/nghe-an-sample.csv", "--pack", "vn.nghe-an",
                                                "--as-of", DATES[0], "-o", "{T}/no-such-folder/results.csv"])
    add("refused", "compare__nothing-to-compare", ["compare", "--pack", "vn.nghe-an", "--data", "examples/batch/nghe-an-sample.csv",
                                                   "--as-of", DATES[0]])
    add("refused", "rules__show__unknown-pack", ["rules", "show", "vn.atlantis"])
    add("refused", "unknown-command", ["frobnicate"])

    names = [c.name for c in cmds]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SystemExit(f"golden: duplicate command names {sorted(dupes)}")
    return cmds, notes


def write_inputs(folder: Path, repo: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bad-dossier.yaml").write_text(BAD_DOSSIER, encoding="utf-8")
    (folder / "bad-rows.csv").write_text(BAD_TABLE, encoding="utf-8")
    (folder / "no-header.csv").write_text(NO_HEADER_TABLE, encoding="utf-8")
    first = sorted((repo / "examples" / "vn.nghe-an").glob("*.yaml"))
    if first:
        shutil.copyfile(first[0], folder / "dossier-copy.yaml")


# -- turning what a command wrote into text ----------------------------------------------------------

PARQUET_DUMP = r"""
import json, sys
import pyarrow.parquet as pq
path = sys.argv[1]
f = pq.ParquetFile(path)
md = f.metadata
print("schema (arrow):")
print(f.schema_arrow.to_string(show_field_metadata=True, show_schema_metadata=True, truncate_metadata=False))
print(f"rows: {md.num_rows}  row groups: {md.num_row_groups}  columns: {md.num_columns}  created_by: {md.created_by}")
kv = md.metadata or {}
for k in sorted(kv):
    if k == b"ARROW:schema":  # the Arrow schema, serialized and base64-encoded: printed decoded above
        print(f"key-value ARROW:schema: ({len(kv[k])} bytes, the schema above)")
        continue
    print(f"key-value {k.decode('utf-8', 'backslashreplace')}: {kv[k].decode('utf-8', 'backslashreplace')}")
for g in range(md.num_row_groups):
    rg = md.row_group(g)
    for c in range(rg.num_columns):
        col = rg.column(c)
        st = col.statistics
        stats = (f" min={st.min!r} max={st.max!r} nulls={st.null_count}" if st is not None and st.has_min_max
                 else (f" nulls={st.null_count}" if st is not None else ""))
        print(f"  group {g} column {col.path_in_schema}: {col.physical_type} {sorted(col.encodings)} {col.compression}{stats}")
print("rows (JSON):")
for row in f.read().to_pylist():
    print(json.dumps(row, ensure_ascii=False, sort_keys=False, default=str))
"""


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="backslashreplace")


def _section(title: str, body: str) -> str:
    if body and not body.endswith("\n"):
        body += "\n\\ no newline at end\n"
    return f"=== {title} ===\n{body}"


def describe_file(path: Path, rel: str, env: dict[str, str], cwd: Path) -> str:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and zipfile.is_zipfile(path):
        parts = []
        with zipfile.ZipFile(path) as z:
            members = {info.filename: z.read(info) for info in z.infolist()}
            shared = _shared_strings(members.get("xl/sharedStrings.xml"))
            for info in z.infolist():
                head = f"file: {rel} member {info.filename} (date_time {info.date_time}, compress_type {info.compress_type})"
                body = _text(members[info.filename])
                if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                    body = _mask_hash_column_width(body, shared)
                parts.append(_section(head, body))
        return "".join(parts)
    if suffix == ".parquet":
        proc = subprocess.run([PYTHON[0], "-c", PARQUET_DUMP, str(path)], cwd=cwd, env=env,
                              capture_output=True, timeout=300)
        if proc.returncode == 0:
            return _section(f"file: {rel} (parquet, read by pyarrow)", _text(proc.stdout))
        return (_section(f"file: {rel} (parquet: pyarrow failed, exit {proc.returncode})", _text(proc.stderr))
                + _section(f"file: {rel} (raw bytes, latin-1)", data.decode("latin-1")))
    return _section(f"file: {rel}", _text(data))


_XL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _shared_strings(data: bytes | None) -> list[str]:
    if not data:
        return []
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return []
    return ["".join(t.text or "" for t in si.iter(f"{_XL}t")) for si in root.iter(f"{_XL}si")]


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def _mask_hash_column_width(sheet: str, shared: list[str]) -> str:
    """The width autofit gives a column of content hashes (``pack_hash``…) follows the glyphs of the
    hash: masked, in that column only. Every other width stays (it follows the cells' text)."""
    try:
        root = ET.fromstring(sheet.encode("utf-8"))
    except ET.ParseError:
        return sheet
    first = next(root.iter(f"{_XL}row"), None)
    if first is None:
        return sheet
    hash_columns = set()
    for c in first.iter(f"{_XL}c"):
        kind, v = c.get("t"), c.find(f"{_XL}v")
        value = v.text or "" if v is not None else ""
        if kind == "s" and value.isdigit() and int(value) < len(shared):
            text = shared[int(value)]
        elif kind == "inlineStr":
            text = "".join(t.text or "" for t in c.iter(f"{_XL}t"))
        else:
            text = v.text if v is not None and v.text else ""
        m = re.match(r"([A-Z]+)\d+$", c.get("r", ""))
        if m and (text == "hash" or text.endswith("_hash")):
            hash_columns.add(_column_number(m.group(1)))
    if not hash_columns:
        return sheet

    def col(m: re.Match) -> str:
        lo, hi = int(m.group(1)), int(m.group(2))
        if any(lo <= n <= hi for n in hash_columns):
            return re.sub(r'\bwidth="[^"]*"', 'width="HASH-COLUMN-WIDTH"', m.group(0))
        return m.group(0)

    return re.sub(r'<col\b[^>]*?\bmin="(\d+)"[^>]*?\bmax="(\d+)"[^>]*>', col, sheet)


# -- running ---------------------------------------------------------------------------------------

def child_env() -> dict[str, str]:
    """The caller's environment without what would change the answers or hide nondeterminism."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KIEMNHIEM_") and k not in ("PYTHONPATH", "PYTHONHASHSEED", "PYTHONSTARTUP", "LINES")}
    env.update({"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC", "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"})
    return env


def run_one(cmd: Cmd, repo: Path, tmp: Path, inputs: Path, env: dict[str, str]) -> dict:
    folder = tmp / cmd.name
    folder.mkdir()
    args = [a.replace("{T}", str(folder)).replace("{I}", str(inputs)) for a in cmd.args]
    start = time.monotonic()
    try:
        proc = subprocess.run([PYTHON[0], "cli.py", *args], cwd=repo, env=env, capture_output=True, timeout=600)
        code: int | str = proc.returncode
        out, err = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as e:
        code, out, err = "timeout after 600 s", e.stdout or b"", e.stderr or b""
    seconds = time.monotonic() - start
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(folder).as_posix()
        files.append(describe_file(path, rel, env, repo))
    return {"name": cmd.name, "args": args, "code": code, "stdout": out, "stderr": err, "files": files, "seconds": seconds}


# -- masking ---------------------------------------------------------------------------------------

# A content hash is the first 16 hex digits of a SHA-256: a known one is masked wherever it is; an
# unknown 16-hex-digit word only if it has a letter (the 16 digits after the point of a float,
# 0.5600000000000001 in an XLSX cell, are not a hash).
HEX16 = re.compile(r"\b[0-9a-f]{16}\b")
ATOMIC_TMP = re.compile(r"(\.[^/\s'\"]+)\.\d+\.[A-Za-z0-9_]+\.tmp\b")
PYTEST_TIME = re.compile(r"(\b\d+ (?:passed|failed|skipped|deselected|errors?|warnings?|xfailed|xpassed)\b(?:, \d+ \w+)*)"
                         r" in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?")


HASH_LISTING = "rules__list__json"


def _hash_source(name: str) -> bool:
    """``rules list --format json`` (every pack's hash) and ``compare --format json`` (a proposal's)."""
    return name == HASH_LISTING or (name.startswith("compare__") and re.search(r"__json(__|$)", name) is not None)


def collect_hashes(results: dict[str, dict]) -> dict[str, str]:
    """hash → label, from ``rules list --format json`` (every pack) and ``compare --format json``
    (every proposal, by pack and proposal file)."""
    labels: dict[str, str] = {}

    def put(value: object, label: str) -> None:
        if not isinstance(value, str) or not HEX16.fullmatch(value) or value in labels:
            return
        used = set(labels.values())
        final, n = label, 2
        while final in used:
            final, n = f"{label}#{n}", n + 1
        labels[value] = final

    listing = results.get(HASH_LISTING)
    if listing and listing["code"] == 0:
        try:
            for entry in json.loads(listing["stdout"]):
                put(entry.get("hash"), entry.get("id", "?"))
        except (ValueError, AttributeError, TypeError):
            pass
    for name in sorted(results):
        r = results[name]
        if not _hash_source(name) or name == HASH_LISTING or r["code"] != 0:
            continue
        try:
            doc = json.loads(r["stdout"])
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        put(doc.get("pack_hash"), str(doc.get("pack")))
        stem = name.split("__")[1]
        put(doc.get("proposal_hash"), f"{doc.get('pack')}+{stem}")
    return labels


class Masker:
    def __init__(self, hashes: dict[str, str], tmp: Path, repo: Path) -> None:
        self.hashes = hashes
        paths = {str(tmp): "<TMP>", str(tmp.resolve()): "<TMP>", str(repo): "<REPO>", str(repo.resolve()): "<REPO>"}
        self.paths = sorted(paths.items(), key=lambda kv: -len(kv[0]))
        self.unknown_hex: set[str] = set()

    def __call__(self, text: str) -> str:
        for path, mark in self.paths:
            text = text.replace(path, mark)
        text = ATOMIC_TMP.sub(r"\1.<PID>.<RANDOM>.tmp", text)
        text = PYTEST_TIME.sub(r"\1 in <SECONDS>s", text)

        def hex_(m: re.Match) -> str:
            value = m.group(0)
            if value in self.hashes:
                return f"<HASH:{self.hashes[value]}>"
            if value.isdigit():
                return value
            self.unknown_hex.add(value)
            return "<HASH:?>"

        return HEX16.sub(hex_, text)


def render(r: dict, mask: Masker) -> str:
    line = " ".join(_shell_quote(a) for a in ["python", "cli.py", *r["args"]])
    parts = [f"$ {mask(line)}\n", f"exit: {r['code']}\n",
             _section("stdout", mask(_text(r["stdout"]))), _section("stderr", mask(_text(r["stderr"])))]
    parts += [mask(f) for f in r["files"]]
    return "".join(parts)


def _shell_quote(arg: str) -> str:
    return arg if re.fullmatch(r"[A-Za-z0-9_./:=+,@{}%-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


PYTHON = [sys.executable]  # the interpreter that runs cli.py (this one, unless it lacks the project's packages)
_PROBE = ("import sys; sys.path.insert(0, '.'); import engine, cli, engine.api, durable, polars, pyarrow; "
          "print(engine.__file__); print(cli.__file__)")


def check_engine(repo: Path, env: dict[str, str]) -> str:
    """Choose the interpreter (this one; if it lacks the project's packages, the ``.venv`` of the
    repository or of this script's checkout) and check that the ``engine`` that ``cli.py`` imports
    when run from ``repo`` is ``repo``'s."""
    candidates = [Path(sys.executable), repo / ".venv" / "bin" / "python",
                  Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"]
    errors = []
    for python in dict.fromkeys(candidates):
        if not python.exists():
            continue
        proc = subprocess.run([str(python), "-c", _PROBE], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            errors.append(f"{python}: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
            continue
        where = proc.stdout.split()
        for f in where:
            if not Path(f).resolve().is_relative_to(repo.resolve()):
                raise SystemExit(f"golden: {f} is imported from outside {repo}; run with the repository's own layout")
        if str(python) != sys.executable:
            print(f"note: {sys.executable} lacks the project's packages ({errors[0]}); running cli.py with {python}",
                  file=sys.stderr)
        PYTHON[0] = str(python)
        return where[0]
    raise SystemExit("golden: no interpreter can run cli.py from " + str(repo) + ":\n  " + "\n  ".join(errors))


LOCK = ".golden.lock"


def record(repo: Path, out: Path, jobs: int, only: str | None, force: bool, keep_tmp: bool) -> int:
    """Write the golden files into ``out``, holding a lock there: two runs into one folder would
    leave a mix of both."""
    if not (repo / "cli.py").is_file():
        raise SystemExit(f"golden: {repo} has no cli.py")
    out.mkdir(parents=True, exist_ok=True)
    lock = out / LOCK
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        holder = lock.read_text(encoding="utf-8", errors="replace").strip() if lock.is_file() else "?"
        raise SystemExit(f"golden: another run is writing into {out} ({lock}: {holder}); remove the lock if it is dead") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"pid {os.getpid()}, repo {repo}\n")
    try:
        return _record(repo, out, jobs, only, force, keep_tmp)
    finally:
        lock.unlink(missing_ok=True)


def _record(repo: Path, out: Path, jobs: int, only: str | None, force: bool, keep_tmp: bool) -> int:
    existing = [f for f in out.iterdir() if f.name != LOCK]
    if existing:
        if not force:
            raise SystemExit(f"golden: {out} is not empty (use --force to replace the golden files in it)")
        for f in existing:
            if f.is_file() and (f.suffix == ".txt" or f.name == RUN_META):
                f.unlink()
    env = child_env()
    engine_file = check_engine(repo, env)
    cmds, notes = build_commands(repo)
    selected = {c.name for c in cmds if not only or re.search(only, c.name)}
    # The commands the hashes are learnt from always run (written only if selected).
    cmds = [c for c in cmds if c.name in selected or _hash_source(c.name)]
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="golden-"))
    inputs = tmp / "_inputs"
    write_inputs(inputs, repo)
    started = time.monotonic()
    results: dict[str, dict] = {}
    lock = threading.Lock()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(run_one, c, repo, tmp, inputs, env): c for c in cmds}
            for fut in concurrent.futures.as_completed(futures):
                r = fut.result()
                with lock:
                    results[r["name"]] = r
                    if len(results) % 50 == 0:
                        print(f"  {len(results)}/{len(cmds)} commands, {time.monotonic() - started:.0f} s", file=sys.stderr)
        wall = time.monotonic() - started
        hashes = collect_hashes(results)
        mask = Masker(hashes, tmp, repo)
        for name, r in results.items():
            if name not in selected:
                continue
            (out / f"{name}.txt").write_text(render(r, mask), encoding="utf-8", newline="")
    finally:
        if keep_tmp:
            print(f"temporary outputs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    codes: dict[str, int] = {}
    for r in results.values():
        codes[str(r["code"])] = codes.get(str(r["code"]), 0) + 1
    suspicious = sorted(n for n, r in results.items()
                        if not isinstance(r["code"], int) or r["code"] >= 3 or r["code"] < 0 or b"Traceback" in r["stderr"])
    by_group: dict[str, list[float]] = {}
    for c in cmds:
        if c.name in selected:
            by_group.setdefault(c.group, []).append(results[c.name]["seconds"])
    meta = {
        "repo": str(repo), "python": PYTHON[0], "engine": engine_file, "commands": len(selected),
        "wall_seconds": round(wall, 1), "jobs": jobs, "exit_codes": codes,
        "hashes": {label: h for h, label in sorted(hashes.items(), key=lambda kv: kv[1])},
        "unknown_16_hex_masked": sorted(mask.unknown_hex),
        "seconds_by_group": {g: {"commands": len(s), "total": round(sum(s), 1), "max": round(max(s), 2)}
                             for g, s in sorted(by_group.items())},
        "slowest": sorted(((round(r["seconds"], 2), n) for n, r in results.items()), reverse=True)[:10],
        "internal_errors_or_tracebacks": suspicious, "notes": notes,
    }
    (out / RUN_META).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(selected)} commands written ({len(results)} run) in {wall:.1f} s (jobs={jobs}) → {out}; "
          f"exit codes {codes}")
    if mask.unknown_hex:
        print(f"warning: 16-hex-digit words not known as pack hashes were masked: {sorted(mask.unknown_hex)}", file=sys.stderr)
    if suspicious:
        print(f"warning: internal error (exit ≥ 3) or traceback in: {', '.join(suspicious)}", file=sys.stderr)
    return 0


# -- comparing -------------------------------------------------------------------------------------

_WRAP = re.compile(r"(?<=[>,;{}\[\]])")


def _display_lines(text: str) -> list[str]:
    """Lines for the diff display only (equality is decided on the exact bytes): very long lines
    (HTML, embedded JSON, XLSX members) are cut after ``>``, ``,``, ``;``, brackets and braces."""
    lines = []
    for line in text.splitlines(keepends=True):
        if len(line) <= 300:
            lines.append(line)
            continue
        pieces = [p for p in _WRAP.split(line) if p]
        lines += [p if p.endswith("\n") else p + "⏎\n" for p in pieces]
    return lines


def compare(a: Path, b: Path) -> int:
    for d in (a, b):
        if not d.is_dir():
            raise SystemExit(f"golden: {d} is not a folder")
    for d in (a, b):
        if (d / LOCK).exists():
            print(f"warning: {d} is being written ({d / LOCK} exists): the comparison may be of a partial recording",
                  file=sys.stderr)
    files_a = {p.name for p in a.iterdir() if p.is_file() and p.name not in (RUN_META, LOCK)}
    files_b = {p.name for p in b.iterdir() if p.is_file() and p.name not in (RUN_META, LOCK)}
    only_a, only_b = sorted(files_a - files_b), sorted(files_b - files_a)
    differ = []
    for name in sorted(files_a & files_b):
        da, db = (a / name).read_bytes(), (b / name).read_bytes()
        if da == db:
            continue
        differ.append(name)
        diff = difflib.unified_diff(_display_lines(_text(da)), _display_lines(_text(db)),
                                    fromfile=str(a / name), tofile=str(b / name), n=3)
        sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
    for name in only_a:
        print(f"only in {a}: {name}")
    for name in only_b:
        print(f"only in {b}: {name}")
    try:
        ha = json.loads((a / RUN_META).read_text(encoding="utf-8")).get("hashes", {})
        hb = json.loads((b / RUN_META).read_text(encoding="utf-8")).get("hashes", {})
        changed = sorted(k for k in set(ha) | set(hb) if ha.get(k) != hb.get(k))
        if changed:
            print("info (masked, not a difference): content hashes changed for "
                  + ", ".join(f"{k} {ha.get(k)} → {hb.get(k)}" for k in changed))
    except (OSError, ValueError):
        pass
    if differ or only_a or only_b:
        print(f"DIFFERENT: {len(differ)} file(s) differ, {len(only_a)} only in {a}, {len(only_b)} only in {b} "
              f"({len(files_a & files_b) - len(differ)} identical)")
        return 1
    print(f"identical: {len(files_a)} files")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="repository root whose cli.py is run (default: the one holding this script)")
    parser.add_argument("--out", type=Path, help="write the golden files into this folder")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("DIR_A", "DIR_B"), help="compare two recordings")
    parser.add_argument("--list", action="store_true", help="list the commands and exit")
    parser.add_argument("--jobs", type=int, default=2, help="commands run at once (default 2)")
    parser.add_argument("--only", help="run only the commands whose name matches this regular expression")
    parser.add_argument("--force", action="store_true", help="replace the golden files of a non-empty --out folder")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder the commands wrote into")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    repo = args.repo.resolve() if not args.repo.is_absolute() else args.repo
    if args.list:
        cmds, notes = build_commands(repo)
        for c in cmds:
            print(f"{c.name}: cli.py {' '.join(c.args)}")
        for n in notes:
            print(f"note: {n}")
        print(f"{len(cmds)} commands")
        return 0
    if not args.out:
        parser.error("give --out DIR, --compare DIR_A DIR_B or --list")
    return record(repo, args.out, max(1, args.jobs), args.only, args.force, args.keep_tmp)


if __name__ == "__main__":
    sys.exit(main())

"""The layers of ``../shared/DESIGN.md``, checked on the import graph of ``engine/``.

contract → lang → policy → back ends, explain, verify, io → use cases → the public API; each
module imports only its own layer or those before it; the back ends never import one another;
nothing in the engine imports the command line or the test tree. The graph is read from the
source (every ``import``, including those inside functions), so a lazy import is no way around a
layer. ``KNOWN`` lists today's exceptions, each with its way out (issue 13): the test fails on a
new one and on one that has gone (so the list only shrinks).
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

ENGINE = ROOT / "engine"

LAYERS: dict[str, int] = {
    # 0 contract: fields, case constraints, the cell grammar, errors, limits, the output model, words
    **dict.fromkeys(["engine", "engine.limits", "engine.errors", "engine.cells", "engine.case", "engine.schema",
                     "engine.header", "engine.shipped", "engine.decision", "engine.i18n", "engine.yamlsafe"], 0),
    # 1 lang: the expression language
    **dict.fromkeys(["engine.expr", "engine.expr.ast", "engine.expr.evaluate", "engine.expr.logic", "engine.expr.parser",
                     "engine.expr.substitute", "engine.expr.typecheck"], 1),
    # 2 policy: the pack model, loading, the frozen IR and its snapshot, the shared fold
    **dict.fromkeys(["engine.model", "engine.loader", "engine.policy", "engine.outcome"], 2),
    # 3 back ends, explain, verify, io
    **dict.fromkeys(["engine.reference", "engine.durable_backend", "engine.columnar", "engine.facts", "engine.listcols",
                     "engine.explain", "engine.render", "engine.verify", "engine.lint", "engine.tables", "engine.atomic",
                     "engine.phrasebook", "engine.featurelint", "engine.showpack"], 3),
    # 4 use cases
    **dict.fromkeys(["engine.batch", "engine.summary", "engine.compare", "engine.report", "engine.scenarios",
                     "engine.drafting", "engine.synth"], 4),
    # 5 the public API the CLI (and later the web service) calls
    "engine.api": 5,
}
BACK_ENDS = {"engine.reference", "engine.durable_backend", "engine.columnar"}
KNOWN: set[tuple[str, str]] = {
    # `kiemnhiem test` loads packs through the public API; the feature runner moves into the
    # package as a use case of its own (issue 13), below the API
    ("engine.drafting", "engine.api"),
}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(ENGINE.rglob("*.py")):
        name = _module(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                    deps.add(target)
                    if not node.module:  # from . import x: x may be a module
                        deps |= {".".join(base + [a.name]) for a in node.names}
                else:
                    deps.add(node.module or "")
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[name] = deps
    return graph


def test_every_engine_module_has_a_layer() -> None:
    assert sorted(set(imports()) - set(LAYERS)) == []


def test_each_module_imports_only_its_layer_and_those_before_it() -> None:
    graph = imports()
    found = {(m, d) for m, deps in graph.items() for d in deps if d in LAYERS and LAYERS[d] > LAYERS[m]}
    assert found - KNOWN == set(), "imports from a later layer"
    assert KNOWN - found == set(), "a known exception has gone: remove it from KNOWN"


def test_back_ends_never_import_one_another() -> None:
    graph = imports()
    assert {(m, d) for m in BACK_ENDS for d in graph[m] if d in BACK_ENDS - {m}} == set()


def test_the_engine_imports_neither_the_command_line_nor_the_tests() -> None:
    graph = imports()
    bad = {(m, d) for m, deps in graph.items() for d in deps
           if d.split(".")[0] in ("cli", "tests", "conftest", "bdd_steps")}
    assert bad == set()

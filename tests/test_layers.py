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

PACKAGE_LAYERS: dict[str, int] = {
    # 0 the contract (the case, its fields, the cell grammar, the decision, safe YAML) and the
    #   foundations every layer uses: errors, limits, words, where the shipped data is
    **dict.fromkeys(["engine", "engine.errors", "engine.limits", "engine.i18n", "engine.shipped", "engine.contract"], 0),
    # 1 the expression language
    "engine.lang": 1,
    # 2 the pack format, loading, the resolved policy and its snapshot, the shared fold
    "engine.policy": 2,
    # 3 back ends, explanation, static checks, files
    **dict.fromkeys(["engine.backends", "engine.explain", "engine.verify", "engine.io"], 3),
    # 4 use cases: batch, what-if, the feature machinery
    **dict.fromkeys(["engine.one_case", "engine.one_hamlet", "engine.evaluate", "engine.batch", "engine.whatif", "engine.bdd"], 4),
    # 5 the public API the CLI (and later the web service) calls
    "engine.api": 5,
}


def layer_of(module: str) -> int | None:
    """The layer of the longest package (or module) in ``PACKAGE_LAYERS`` that holds ``module``."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in PACKAGE_LAYERS:
            return PACKAGE_LAYERS[".".join(parts[:n])]
    return None


BACK_ENDS = {"engine.backends.reference", "engine.backends.durable", "engine.backends.columnar"}
KNOWN: set[tuple[str, str]] = set()


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
                    deps |= {".".join(base + ([node.module] if node.module else []) + [a.name]) for a in node.names}
                else:
                    deps.add(node.module or "")
                    deps |= {f"{node.module}.{a.name}" for a in node.names}  # a name may be a module
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[name] = deps
    return graph


def test_every_engine_module_has_a_layer() -> None:
    assert sorted(m for m in imports() if layer_of(m) is None) == []


def test_each_module_imports_only_its_layer_and_those_before_it() -> None:
    graph = imports()
    found = {(m, d) for m, deps in graph.items() for d in deps
             if d.split(".")[0] == "engine" and d in graph and (layer_of(d) or 0) > (layer_of(m) or 0)}
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


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or around a loop (Tarjan)."""
    edges = {m: sorted(d for d in deps if d in graph and d != m and not m.startswith(d + ".")) for m, deps in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return groups


def test_no_two_modules_import_each_other() -> None:
    # a module's imports, lazy ones included, never lead back to it: the loader reads the build,
    # the build reads the resolved policy, never the other way round (the cycle issue 14 removed)
    assert _cycles(imports()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]

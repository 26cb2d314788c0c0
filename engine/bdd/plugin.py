"""The pytest plugin that runs ``.feature`` files: CI's plain ``pytest`` loads it from
``tests/conftest.py`` (``pytest_plugins``), ``kiemnhiem test`` passes it to ``pytest.main``.

- every ``.feature`` file pytest is given (or finds under ``testpaths``) is collected as a
  module of scenarios bound to the generic steps (``engine.bdd.steps``), re-read on every run;
- ``@source:…`` tags cite the law and are not pytest marks;
- each scenario runs in its feature's language, and its result is kept as a value
  (``engine.bdd.results``): file, line, the failing step, expected and actual, the explanation;
  pytest's own report of a failure is that same text, without a Python traceback;
- ``--rule-coverage`` prints which rules the features exercise, both ways; a complete run of the
  shipped features (or a forced one) fails on a rule not covered both ways or a scenario that
  exercises no rule (said in English: pytest's own report is).

A run's configuration and results live in ``config.stash`` (``steps.SESSION``, ``RUN``), so two
runs in one process never see each other's.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import feature as bdd_feature
from pytest_bdd.scenario import get_python_name_generator, scenario

from engine.bdd.results import Coverage, CoverageRow, Failure, Gap, ScenarioResult, render_failure
from engine.bdd import steps
from engine.bdd.dialect import dialect, engine_lang
from engine.bdd.steps import StepFailure, session_of
from engine.policy.model import Text
from engine.i18n import t


@dataclass
class RunState:
    collected: list[str] = field(default_factory=list)
    deselected: int = 0
    files: set[Path] = field(default_factory=set)
    results: dict[str, ScenarioResult] = field(default_factory=dict)
    coverage: Coverage | None = None


RUN = pytest.StashKey[RunState]()
_SCENARIO = pytest.StashKey[dict[str, Any]]()
_STEP = pytest.StashKey[dict[str, Any]]()


def run_state(config: pytest.Config) -> RunState:
    if RUN not in config.stash:
        config.stash[RUN] = RunState()
    return config.stash[RUN]


def pytest_configure(config: pytest.Config) -> None:
    """The steps are fixtures of a plugin of their own (registered here, not by name, so pytest does
    not try to rewrite a module already imported)."""
    if not config.pluginmanager.is_registered(steps):
        config.pluginmanager.register(steps, "engine.bdd.steps")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--rule-coverage", action="store_true", help=t("feature.option.rule-coverage", "en"))  # pytest's help is English


# -- collection: a .feature file is a module of scenarios -------------------------------------------


class FeatureFile(pytest.Module):
    """The scenarios of one ``.feature`` file, bound afresh on each run (no import, no cache)."""

    def _getobj(self) -> types.ModuleType:
        path = str(self.path)
        bdd_feature.features.pop(path, None)  # pytest-bdd caches parsed files by path: re-read it
        module = types.ModuleType(f"feature:{path}")
        module.__file__ = path
        parsed = bdd_feature.get_feature(str(self.path.parent), self.path.name)
        for name in parsed.scenarios:
            bound = scenario(path, name, features_base_dir=str(self.path.parent))(_nothing)
            test_name = next(n for n in get_python_name_generator(name) if n not in module.__dict__)
            setattr(module, test_name, bound)
        return module


def _nothing() -> None:
    pass


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".feature":
        return FeatureFile.from_parent(parent, path=file_path)
    return None


def _is_feature(item: pytest.Item) -> bool:
    return isinstance(item.parent, FeatureFile)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    state = run_state(config)
    state.collected = [i.nodeid for i in items if _is_feature(i)]
    state.files = {i.path.resolve() for i in items if _is_feature(i)}


def pytest_deselected(items: list[pytest.Item]) -> None:
    for i in items:
        if _is_feature(i):
            run_state(i.config).deselected += 1


@pytest.hookimpl(tryfirst=True)  # before pytest-bdd's own, whichever plugin was registered first
def pytest_bdd_apply_tag(tag, function):  # noqa: ANN001, ANN201 - pytest-bdd hook
    """``@source:decree-33-2023-art-34`` cites the law; it is not a pytest mark."""
    return True if tag.startswith("source:") else None


# -- running: the feature's language, the failing step ---------------------------------------------


def pytest_bdd_before_scenario(request, feature, scenario) -> None:  # noqa: ANN001 - pytest-bdd hook
    lang = engine_lang(feature.language) or "en"  # the feature linter refuses a language without a phrasebook
    request.node._kiemnhiem_lang = lang
    template = next((s for s in feature.scenarios.values() if s.line_number == scenario.line_number), None)
    request.node.stash[_SCENARIO] = {"file": Path(feature.filename), "line": scenario.line_number, "name": scenario.name,
                                     "keyword": scenario.keyword, "language": lang, "template": template}


def _step_line(request, step) -> str:  # noqa: ANN001 - pytest-bdd objects
    """The step as its line reads: ``Thì quỹ …``, ``那么结论为 …`` (no space after a Chinese keyword)."""
    return dialect(getattr(request.node, "_kiemnhiem_lang", "en")).joined(step.keyword.strip(), step.name)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception) -> None:  # noqa: ANN001
    request.node.stash[_STEP] = {"step": _step_line(request, step), "line": step.line_number, "exception": exception}


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception) -> None:  # noqa: ANN001
    request.node.stash[_STEP] = {"step": _step_line(request, step), "line": step.line_number, "exception": exception}


def _failure(item: pytest.Item, call: pytest.CallInfo) -> Failure:
    step = item.stash.get(_STEP, None) or {"step": None, "line": None, "exception": call.excinfo.value if call.excinfo else None}
    exc = step["exception"]
    if isinstance(exc, StepFailure):
        return Failure(step["step"], step["line"], exc.message, exc.expected, exc.actual, exc.detail, exc.explanation)
    lang = item.stash[_SCENARIO]["language"] if _SCENARIO in item.stash else "en"
    return Failure(step["step"], step["line"], f"{type(exc).__name__}: {exc}" if exc is not None
                   else t("feature.failure.no-reason", lang))


def _example(item: pytest.Item, info: dict[str, Any]) -> tuple[tuple[tuple[str, str], ...], int | None]:
    """An outline's Examples row (column, value) and the line it stands on: pytest-bdd keeps where
    each Examples table starts and the row's place among them, the row's own line is counted here
    (the table's rows are the lines that begin with ``|``, the first its heading)."""
    callspec = getattr(item, "callspec", None)
    row = callspec.params.get("_pytest_bdd_example") if callspec is not None else None
    if not isinstance(row, dict):
        return (), None
    values = tuple((str(k), str(v)) for k, v in row.items())
    template = info.get("template")
    index = callspec.indices.get("_pytest_bdd_example") if callspec is not None else None
    if template is None or index is None:
        return values, None
    for examples in template.examples:
        if index >= len(examples.examples):
            index -= len(examples.examples)
            continue
        if examples.line_number is None:
            return values, None
        try:
            lines = Path(info["file"]).read_text(encoding="utf-8").splitlines()
        except OSError:
            return values, None
        rows = [n for n, text in enumerate(lines[examples.line_number:], examples.line_number + 1)
                if text.lstrip().startswith("|")]
        return values, rows[index + 1] if index + 1 < len(rows) else None
    return values, None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201
    report = yield
    if not _is_feature(item) or not (report.when == "call" or (report.when == "setup" and not report.passed)):
        return report
    info = item.stash.get(_SCENARIO, None)
    if info is None:  # failed before the scenario began (a fixture): keep pytest's report
        return report
    name = info["name"]
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.id:
        name = f"{name} [{callspec.id}]"
    failure = _failure(item, call) if report.failed else None
    example, example_line = _example(item, info)
    result = ScenarioResult(info["file"], info["line"], name, info["keyword"], info["language"], report.outcome,
                            item.nodeid, failure, info["name"], example, example_line)
    run_state(item.config).results[item.nodeid] = result
    if failure is not None and (isinstance(item.stash[_STEP]["exception"], StepFailure) if _STEP in item.stash else False):
        report.longrepr = render_failure(result)  # the feature's file, line and words; no traceback
    return report


# -- rule coverage ---------------------------------------------------------------------------------


def coverage(config: pytest.Config) -> Coverage:
    """Which rules of the packs in reach the recorded evaluations exercised, both ways."""
    from engine.policy.loader import find_packs, rules_dirs

    session, state = session_of(config), run_state(config)
    seen: dict[tuple[str, str], set[str]] = {}
    by_scenario: dict[str, set] = {}
    for nodeid, _pack, items in session.evaluations:
        by_scenario.setdefault(nodeid, set()).update(items)
        for origin, rule, direction in items:
            seen.setdefault((origin, rule), set()).add(direction)
    universe: dict[tuple[str, str], Text] = {}
    for pack in sorted(find_packs(rules_dirs(list(session.rules)))):
        pol = session.load(pack)
        for ri in pol.evaluated:
            universe[(ri.origin.pack, ri.id)] = ri.item.title
    rows, gaps = [], []
    for (origin, rule), title in sorted(universe.items()):
        got = seen.get((origin, rule), set())
        rows.append(CoverageRow(rule, origin, title, "pass" in got, "fail" in got))
        missing = tuple(d for d in ("pass", "fail") if d not in got)
        if missing:
            gaps.append(Gap(rule, origin, missing))
    idle = tuple(r for n, r in state.results.items() if r.outcome != "skipped" and not by_scenario.get(n))
    return Coverage(tuple(rows), tuple(gaps), idle)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    state, settings = run_state(config), session_of(config)
    if not state.collected:
        return
    forced = config.getoption("--rule-coverage")
    from engine.bdd.featurelint import feature_files
    from engine.shipped import data_dir

    shipped = {p.resolve() for p in feature_files(data_dir("features"))}
    complete = (not state.deselected and settings.features is None and settings.proposal is None and not settings.rules
                and len(state.results) == len(state.collected) and shipped <= state.files)
    if not (forced or complete):
        return
    state.coverage = cov = coverage(config)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    write = (lambda s: reporter.write_line(s)) if reporter else print
    if forced:
        write(t("feature.coverage.heading", "en"))
        for line in cov.lines("en"):
            write(line)
    for gap in cov.gaps:
        write(t("feature.coverage.not-covered", "en", gap=gap.message("en")))
    for r in cov.idle:
        write(t("feature.coverage.idle", "en", where=r.where, name=r.name))
    if (cov.gaps or cov.idle) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

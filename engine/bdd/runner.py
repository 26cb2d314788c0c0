"""``kiemnhiem test``: the drafter's loop — lint the features, run them, report each failure.

``run_features`` checks the feature files (``engine.bdd.featurelint``), then runs them in this
process through pytest with the feature plugin (``engine.bdd.plugin``), configured through the
run's ``config.stash`` (never the environment), and returns what happened as values
(``engine.bdd.results``): each scenario at its file and line, a failure at its step with expected
and actual values and the engine's explanation, the rule coverage when asked. ``render_run`` is
the terminal's text, in the words of ``engine/messages/<lang>/features.yaml``. ``rules lint
--coverage`` and ``compare`` call ``run_features`` too.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from engine.bdd import plugin
from engine.bdd.featurelint import feature_files, lint_paths
from engine.bdd.results import FeatureRun, render_failure
from engine.bdd.steps import SESSION, FeatureSession
from engine.errors import KiemnhiemError, Where
from engine.i18n import t
from engine.io.progress import Progress
from engine.shipped import data_dir

__all__ = ["FeatureRun", "render_run", "run_features"]


def _known(session: FeatureSession) -> tuple[set[str], set[str]]:
    """The pack ids and rule ids a feature may name, for the linter; the packs are loaded into the
    run's session, where the steps find them again (each pack is read once per run)."""
    from engine.policy.loader import find_packs, rules_dirs

    packs = set(find_packs(rules_dirs(list(session.rules))))
    ids: set[str] = set()
    for p in packs:
        pol = session.load(p)
        ids |= {ri.id for ri in pol.items}
    return packs, ids


class _Configure:
    """This run's settings into ``config.stash`` before anything is collected; what pytest could not
    collect, as it said it."""

    def __init__(self, session: FeatureSession) -> None:
        self.session = session
        self.errors: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[SESSION] = self.session

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(f"{report.nodeid}: {report.longreprtext.strip()}")


def run_features(features: Path | None = None, rules: list[Path] | None = None, pack: str | None = None,
                 proposal: Path | None = None, keyword: str | None = None, coverage: bool = False,
                 progress: bool | None = False, lang: str = "en") -> FeatureRun:
    """Lint then run the features (default: the shipped ones) against the packs, or ``pack`` with ``proposal``.

    Lint findings return at once (``exit_code`` 2, nothing run). ``coverage`` computes the rule
    coverage (and fails the run on a gap); a run of all the shipped features computes it anyway.
    ``progress``: a bar of the scenarios run on stderr, in ``lang`` (None: when it is a terminal)."""
    rules = [p.resolve() for p in rules or []]
    if proposal is not None and pack is None:
        raise KiemnhiemError.of("feature.run.proposal-needs-pack", Where(file=str(proposal)))
    folder = (features or data_dir("features")).resolve()
    session = FeatureSession(rules=tuple(rules), proposal=proposal.resolve() if proposal else None,
                             proposal_pack=pack if proposal is not None else None,
                             features=folder if features is not None else None)
    packs, ids = _known(session)
    if pack is not None and pack not in packs:
        raise KiemnhiemError.of("feature.run.unknown-pack", pack=repr(pack))
    findings = lint_paths(feature_files(folder), packs, ids)
    if findings:
        return FeatureRun(lint=tuple(findings), exit_code=2)
    configure = _Configure(session)
    root = folder if folder.is_dir() else folder.parent
    args = [str(folder), "-q", "--no-header", "-p", "no:cacheprovider", "--rootdir", str(root),
            "-o", "addopts=", "--confcutdir", str(root), "--tb=no", "-o", "console_output_style=classic",
            # a scenario's name is the drafter's, in their language: pytest would escape 未通过 as \u672a…
            "-o", "disable_test_id_escaping_and_forfeit_all_rights_to_community_support=true"]
    if coverage:
        args.append("--rule-coverage")
    if keyword:
        args += ["-k", keyword]
    holder: dict[str, pytest.Config] = {}

    class _Keep:
        @pytest.hookimpl(trylast=True)
        def pytest_unconfigure(self, config: pytest.Config) -> None:
            holder["config"] = config

    out = io.StringIO()
    with Progress("scenarios", lang, show=progress) as bar, contextlib.redirect_stdout(out):
        code = pytest.main(args, plugins=[plugin, configure, _Keep(), _Counted(bar)])
    config = holder.get("config")
    state = plugin.run_state(config) if config is not None else plugin.RunState()
    errors = list(configure.errors)
    if int(code) not in (0, 1) and not errors:
        errors.append(out.getvalue().strip()[-2000:])
    order = {n: i for i, n in enumerate(state.collected)}
    scenarios = tuple(sorted(state.results.values(), key=lambda r: order.get(r.nodeid, 0)))
    return FeatureRun(scenarios=scenarios, coverage=state.coverage, errors=tuple(errors), exit_code=int(code),
                      coverage_asked=coverage)


class _Counted:
    """The scenarios collected as the bar's total, each counted when it has run."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.bar.total = len(session.items)
        self.bar.restart()

    def pytest_runtest_logfinish(self, nodeid: str, location: object) -> None:
        self.bar.advance()


def render_run(run: FeatureRun, lang: str) -> str:
    """The terminal's text: lint findings, or each failure at its file and line, coverage, the count."""
    out: list[str] = []
    if run.lint:
        out += [f.message(lang) for f in run.lint]
        out.append(t("feature.run.lint-failed", lang, count=len(run.lint)))
        return "\n".join(out) + "\n"
    out += list(run.errors)
    if run.failed:
        out.append(t("feature.run.failing", lang))
        for s in run.failed:
            out += [render_failure(s), ""]
    cov = run.coverage
    if cov is not None:
        if run.coverage_asked:
            out.append(t("feature.coverage.heading", lang))
            out += cov.lines(lang)
        out += [t("feature.coverage.not-covered", lang, gap=g.message(lang)) for g in cov.gaps]
        out += [t("feature.coverage.idle", lang, where=r.where, name=r.name) for r in cov.idle]
    out.append(t("feature.run.count", lang, passed=len(run.passed), failed=len(run.failed)))
    return "\n".join(out) + "\n"

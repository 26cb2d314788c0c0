"""``kiemnhiem test``: the drafter's loop — lint the features, run them, report each failure.

The features run through pytest with the generic step library in ``tests/`` (the same run CI
does), configured by environment variables the step library reads: the features folder, and the
proposal with the pack it applies to. The report names each failing scenario with the engine's
own explanation of the case, so a drafter sees *why* a proposal breaks it.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from engine.errors import KiemnhiemError, Where
from engine.bdd.featurelint import feature_files, lint_paths
from engine.shipped import data_dir

ROOT = Path(__file__).resolve().parents[2]
FEATURES = data_dir("features")


def _known(rules_dirs: list[Path], pack: str | None, proposal: Path | None) -> tuple[set[str], set[str]]:
    from engine.policy.loader import load_policy
    from engine.policy.loader import find_packs, rules_dirs as dirs

    packs = set(find_packs(dirs(rules_dirs)))
    ids: set[str] = set()
    for p in packs:
        pol = load_policy(p, rules_dirs, proposal if p == pack else None)
        ids |= {ri.id for s in (pol.criteria, pol.exceptions, pol.fund, pol.rates, pol.grants) for ri in s}
    return packs, ids


class _Collector:
    """A pytest plugin that keeps each scenario's outcome and failure message."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}
        self.failures: list[tuple[str, str]] = []

    def pytest_runtest_logreport(self, report) -> None:  # noqa: ANN001
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            self.outcomes[report.nodeid] = report.outcome
            if report.outcome == "failed":
                self.failures.append((report.nodeid, report.longreprtext))


def run_features(pack: str | None, proposal: Path | None, rules_dirs: list[Path], features: Path | None,
                 coverage: bool, keyword: str | None, lang: str) -> int:
    if proposal is not None and pack is None:
        raise KiemnhiemError(en="--proposal needs --pack: the pack the proposal changes",
                             vi="--proposal cần --pack: gói mà đề xuất thay đổi", where=Where(file=str(proposal)))
    folder = (features or FEATURES).resolve()
    if rules_dirs:
        os.environ["KIEMNHIEM_RULES"] = os.pathsep.join(str(p.resolve()) for p in rules_dirs)
    packs, ids = _known(rules_dirs, pack, proposal)
    if pack is not None and pack not in packs:
        raise KiemnhiemError(en=f"unknown pack {pack!r}", vi=f"không có gói {pack!r}")
    findings = lint_paths(feature_files(folder), packs, ids)
    if findings:
        for f in findings:
            click.echo(f.message(lang), err=True)
        click.echo(("lỗi: {} lỗi trong các tệp tính năng; chưa chạy kịch bản nào" if lang == "vi" else
                    "error: {} problem(s) in the feature files; no scenario was run").format(len(findings)), err=True)
        return 2
    if features is not None:
        os.environ["KIEMNHIEM_FEATURES"] = str(folder)
    if proposal is not None:
        os.environ["KIEMNHIEM_PROPOSAL"] = str(proposal.resolve())
        os.environ["KIEMNHIEM_PROPOSAL_PACK"] = str(pack)

    import pytest

    collector = _Collector()
    args = [str(ROOT / "tests" / "test_features.py"), "-q", "--no-header", "-p", "no:cacheprovider",
            "--rootdir", str(ROOT), "-o", "addopts=", "--tb=no", "-o", "console_output_style=classic"]
    if coverage:
        args.append("--rule-coverage")
    if keyword:
        args += ["-k", keyword]
    code = pytest.main(args, plugins=[collector])
    passed = sum(1 for o in collector.outcomes.values() if o == "passed")
    failed = len(collector.failures)
    click.echo("")
    if collector.failures:
        click.echo("KỊCH BẢN KHÔNG ĐẠT" if lang == "vi" else "FAILING SCENARIOS")
        for nodeid, text in collector.failures:
            name = nodeid.split("::", 1)[-1]
            click.echo(f"✘ {name}")
            for line in text.strip().splitlines()[:6]:
                click.echo(f"    {line}")
            click.echo("")
    click.echo(f"{passed} passed, {failed} failed")
    return int(code)

"""Shared fixtures: policies load once per test session; helpers build cases from overrides."""

from __future__ import annotations

import copy
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine import api  # noqa: E402
from engine.policy.resolved import Policy  # noqa: E402

_POLICIES: dict[str, Policy] = {}


def policy(pack: str) -> Policy:
    if pack not in _POLICIES:
        _POLICIES[pack] = api.load_policy(pack)
    return _POLICIES[pack]


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Overrides use dotted paths (``candidate.vote_share``); a value of ``...`` deletes the field."""
    data = copy.deepcopy(base)
    for path, value in overrides.items():
        *parents, leaf = path.split(".")
        node = data
        for p in parents:
            node = node.setdefault(p, {})
        if value is ...:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return data


def decide(pack: str, data: dict[str, Any], as_of: date, lang: str = "en", backend: str = "durable"):
    case = api.read_case(data, "<test>", as_of)
    return api.evaluate(policy(pack), case, as_of, lang=lang, backend=backend)


VN_BASE: dict[str, Any] = {
    "hamlet": {"id": "h1", "country": "VN", "kind": "village", "households": 200, "population": 800,
               "area": [], "local_party_members": 12, "suitable_party_member_available": True},
    "candidate": {"id": "c1", "birth_date": "1980-01-01", "party_status": "full", "permanent_residence": True,
                  "status": "hamlet_nonprofessional", "vote_share": 0.8, "disciplined": False, "health_ok": True,
                  "endorsed_by_party_committee": True},
    "posts": ["party_cell_secretary", "hamlet_head"],
}

CN_BASE: dict[str, Any] = {
    "hamlet": {"id": "v1", "country": "CN", "kind": "village", "population": 450, "area": ["island"],
               "election_turnout": 0.9},
    "candidate": {"id": "c1", "birth_date": "1980-01-01", "party_status": "full", "vote_share": 0.7,
                  "deprived_of_political_rights": False},
    "posts": ["party_cell_secretary", "hamlet_head"],
}


@pytest.fixture
def vn_base() -> dict[str, Any]:
    return copy.deepcopy(VN_BASE)


@pytest.fixture
def cn_base() -> dict[str, Any]:
    return copy.deepcopy(CN_BASE)


# -- BDD features: the feature's language for messages, and rule coverage ---------------------

_FEATURE_RUN: dict[str, Any] = {"collected": [], "deselected": 0, "outcomes": {}}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--rule-coverage", action="store_true",
                     help="print which rules the features exercise, and fail on a rule not covered both ways")


def pytest_bdd_apply_tag(tag, function):  # noqa: ANN001, ANN201 - pytest-bdd hook
    """``@source:decree-33-2023-art-34`` cites the law; it is not a pytest mark."""
    return True if tag.startswith("source:") else None


def pytest_bdd_before_scenario(request, feature, scenario) -> None:  # noqa: ANN001 - pytest-bdd hook
    request.node._kiemnhiem_lang = "vi" if feature.language == "vi" else "en"


def pytest_collection_modifyitems(session, config, items) -> None:  # noqa: ANN001
    _FEATURE_RUN["collected"] = [i.nodeid for i in items if "test_features.py" in i.nodeid]


def pytest_deselected(items) -> None:  # noqa: ANN001
    _FEATURE_RUN["deselected"] += sum(1 for i in items if "test_features.py" in i.nodeid)


def pytest_runtest_logreport(report) -> None:  # noqa: ANN001
    if "test_features.py" in report.nodeid and report.when == "call":
        _FEATURE_RUN["outcomes"][report.nodeid] = report.outcome


def rule_universe(proposal_pack: str | None = None) -> dict[tuple[str, str], str]:
    """(origin pack, rule id) → title, for every rule a feature can exercise in the shipped packs."""
    import bdd_steps
    from engine.policy.loader import find_packs

    out: dict[tuple[str, str], str] = {}
    for pack in sorted(find_packs()):
        pol = bdd_steps.load(pack)
        for section in (pol.criteria, pol.exceptions, pol.fund, pol.rates, pol.grants):
            for ri in section:
                out[(ri.origin.pack, ri.id)] = ri.item.title.en
    return out


_GAPS: list[dict[str, str]] = []


def coverage_report() -> tuple[list[str], list[str], list[str]]:
    """(table lines, gaps, scenarios exercising no rule)."""
    import bdd_steps

    seen: dict[tuple[str, str], set[str]] = {}
    by_scenario: dict[str, set] = {}
    for nodeid, _pack, items in bdd_steps.EVALUATIONS:
        by_scenario.setdefault(nodeid, set()).update(items)
        for origin, rule, direction in items:
            seen.setdefault((origin, rule), set()).add(direction)
    lines, gaps = [], []
    for (origin, rule), title in sorted(rule_universe().items()):
        got = seen.get((origin, rule), set())
        mark = lambda d, got=got: "✔" if d in got else "✘"  # noqa: E731
        lines.append(f"  {mark('pass')} pass  {mark('fail')} fail/waived   {rule}  [{origin}]  {title}")
        missing = [d for d in ("pass", "fail") if d not in got]
        if missing:
            words = " or ".join("passes" if d == "pass" else "fails or is waived" for d in missing)
            gaps.append(f"{rule} [{origin}]: no scenario where it {words}")
            _GAPS.append({"rule": rule, "origin": origin, "missing": words})
    idle = [n for n in _FEATURE_RUN["outcomes"] if not by_scenario.get(n)]
    return lines, gaps, idle


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: ANN001
    import os

    if not _FEATURE_RUN["collected"] or "bdd_steps" not in sys.modules:
        return
    forced = session.config.getoption("--rule-coverage")
    complete = (not _FEATURE_RUN["deselected"] and not os.environ.get("KIEMNHIEM_FEATURES")
                and not os.environ.get("KIEMNHIEM_PROPOSAL")
                and len(_FEATURE_RUN["outcomes"]) == len(_FEATURE_RUN["collected"]))
    if not (forced or complete):
        return
    lines, gaps, idle = coverage_report()
    if os.environ.get("KIEMNHIEM_COVERAGE_JSON"):  # for `kiemnhiem rules lint --coverage`
        import json

        Path(os.environ["KIEMNHIEM_COVERAGE_JSON"]).write_text(
            json.dumps({"gaps": _GAPS, "idle": idle}, ensure_ascii=False), encoding="utf-8")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    write = (lambda s: reporter.write_line(s)) if reporter else print
    if forced:
        write("rule coverage of the features (pass / fail or waived):")
        for line in lines:
            write(line)
    for gap in gaps:
        write(f"RULE NOT COVERED: {gap}")
    for nodeid in idle:
        write(f"SCENARIO EXERCISES NO RULE: {nodeid}")
    if (gaps or idle) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

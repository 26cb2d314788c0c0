"""Shared fixtures: policies load once per test session; helpers build cases from overrides.
The features under ``features/`` run through the package's plugin (``engine.bdd.plugin``)."""

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


def decide(pack: str | Policy, data: dict[str, Any], as_of: date, lang: str = "en", backend: str = "durable"):
    """The decision on ``data`` under a shipped pack (by name) or a policy already built."""
    case = api.read_case(data, "<test>", as_of)
    return api.evaluate(policy(pack) if isinstance(pack, str) else pack, case, as_of, lang=lang, backend=backend)


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


# -- BDD features: collected from features/ (testpaths) by the feature plugin (`-p engine.bdd.plugin`
#    in pyproject.toml's addopts, so `pytest features/x.feature` works alone too), which also fails
#    the run on a rule not covered both ways or a scenario that exercises no rule ------------------

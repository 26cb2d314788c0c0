"""Synthetic cases for parity tests and benchmarks: every field sometimes missing, values near the
thresholds the shipped packs use, all posts and statuses. Seeded, so a failure reproduces."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from engine.case import Case

POSTS = ["party_cell_secretary", "deputy_party_cell_secretary", "hamlet_head", "front_committee_head"]
STATUSES = ["none", "commune_cadre", "commune_civil_servant", "commune_nonprofessional", "hamlet_nonprofessional"]
AREAS = ["mountainous", "border", "island", "key_security", "difficult", "ethnic_minority"]


def _maybe(rng: random.Random, value: Any, p_missing: float = 0.12) -> Any:
    return None if rng.random() < p_missing else value


def case_data(rng: random.Random, country: str, i: int, as_of: date) -> dict[str, Any]:
    hamlet = {
        "id": f"h{i}",
        "country": country,
        "kind": _maybe(rng, rng.choice(["village", "residential_group"])),
        "households": _maybe(rng, rng.choice([0, 120, 349, 350, 351, 499, 500, 501, 800])),
        "population": _maybe(rng, rng.choice([0, 450, 499, 500, 501, 999, 1000, 1001, 3000])),
        "area": _maybe(rng, rng.sample(AREAS, rng.randint(0, 2))),
        "local_party_members": _maybe(rng, rng.randint(0, 8)),
        "suitable_party_member_available": _maybe(rng, rng.random() < 0.5),
        "election_turnout": _maybe(rng, rng.choice([0.3, 0.5, 0.51, 0.9])),
    }
    data: dict[str, Any] = {"hamlet": {k: v for k, v in hamlet.items() if v is not None}}
    if rng.random() < 0.9:
        age_days = rng.choice([17, 18, 20, 21, 22, 40, 70]) * 365 + rng.randint(-3, 3)
        cand = {
            "id": f"c{i}",
            "birth_date": _maybe(rng, (as_of - timedelta(days=age_days)).isoformat()),
            "party_status": _maybe(rng, rng.choice(["none", "probationary", "full", "full"])),
            "permanent_residence": _maybe(rng, rng.random() < 0.8),
            "status": _maybe(rng, rng.choice(STATUSES)),
            "vote_share": _maybe(rng, rng.choice([0.3, 0.46, 0.5, 0.51, 0.8])),
            "disciplined": _maybe(rng, rng.random() < 0.1),
            "health_ok": _maybe(rng, rng.random() < 0.9),
            "deprived_of_political_rights": _maybe(rng, rng.random() < 0.05),
            "endorsed_by_party_committee": _maybe(rng, rng.random() < 0.5),
        }
        data["candidate"] = {k: v for k, v in cand.items() if v is not None}
        data["posts"] = rng.sample(POSTS, rng.choice([1, 2, 2, 2, 3, 4]))
        if rng.random() < 0.3:
            data["post_allowances"] = {p: rng.choice([1000000, 1755000, 2340001]) for p in data["posts"]}
    return data


def cases(n: int, country: str, as_of: date, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    return [Case.model_validate(case_data(rng, country, i, as_of)) for i in range(n)]

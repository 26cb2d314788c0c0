"""Synthetic cases for parity tests and benchmarks: every field sometimes missing, values near the
thresholds the shipped packs use, all posts and statuses. Seeded, so a failure reproduces."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from engine.contract.case import Case

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
            # by position, not drawn: the random stream (and every seeded case) stays as it was
            "trusted_by_people": (None, True, False)[i % 3],
            **_term_fields(random.Random(hash(rng.getstate()[1])), as_of),
        }
        data["candidate"] = {k: v for k, v in cand.items() if v is not None}
        data["posts"] = rng.sample(POSTS, rng.choice([1, 2, 2, 2, 3, 4]))
        if rng.random() < 0.3:
            data["post_allowances"] = {p: rng.choice([1000000, 1755000, 2340001]) for p in data["posts"]}
    return data


def _months_before(as_of: date, months: int, day: int) -> date:
    """The day ``day`` (at most the month's last) of the month ``months`` before the as-of date's."""
    index = as_of.year * 12 + as_of.month - 1 - months
    year, month = divmod(index, 12)
    last = (date(year + (month == 11), (month + 1) % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month + 1, min(day, last))


def _term_fields(rng: random.Random, as_of: date) -> dict[str, Any]:
    """Sometimes a sitting head's term start, sometimes an interim head and the appointment day,
    at the whole-month boundaries the term (30 or 60 months) and the interim limit (6 months)
    turn on, the day before, on and after them, month ends included; never after the as-of date.
    Drawn from a stream of their own (``rng``), so the cases' other fields stay as they were."""
    def near(months: tuple[int, ...]) -> str:
        day = rng.choice([as_of.day, as_of.day, 28, 29, 30, 31])
        start = _months_before(as_of, rng.choice(months), day) + timedelta(days=rng.choice([-1, 0, 0, 1]))
        return min(start, as_of).isoformat()

    out: dict[str, Any] = {}
    if rng.random() < 0.3:
        out["term_start"] = near((0, 1, 29, 30, 31, 59, 60, 61))
    interim = rng.choice([None] * 6 + [True] * 3 + [False])
    if interim is not None:
        out["interim"] = interim
    if (interim and rng.random() < 0.85) or rng.random() < 0.1:
        out["interim_since"] = near((0, 1, 5, 6, 7, 12))
    return out


def cases(n: int, country: str, as_of: date, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    return [Case.model_validate(case_data(rng, country, i, as_of)) for i in range(n)]


def agency_case_data(rng: random.Random, country: str, i: int, as_of: date) -> dict[str, Any]:
    """An agency or public service unit (kind ``agency``, sometimes not given): none of a hamlet's
    fields, an agency's posts (``engine.contract.constraints``), a candidate as ``case_data``'s.
    Its own stream of random numbers, so ``case_data``'s seeded cases stay as they were."""
    from engine.contract.constraints import AGENCY_POSTS

    data = case_data(rng, country, i, as_of)
    data["hamlet"] = {"id": f"a{i}", "country": country, **({} if rng.random() < 0.15 else {"kind": "agency"})}
    if "candidate" in data:
        posts = list(AGENCY_POSTS)
        data["posts"] = _maybe(rng, rng.sample(posts, rng.choice([1, 1, 2])), 0.08)
        if data["posts"] is None:
            del data["posts"]
        if "post_allowances" in data:
            data["post_allowances"] = {p: rng.choice([0, 5000000]) for p in data.get("posts") or posts}
    return data


def agency_cases(n: int, country: str, as_of: date, seed: int = 11) -> list[Case]:
    """``n`` agencies (``agency_case_data``), each checked as a dossier is (``read_case``)."""
    from engine.contract.dossier import read_case

    rng = random.Random(seed)
    return [read_case(agency_case_data(rng, country, i, as_of), as_of=as_of) for i in range(n)]


# -- synthetic provinces for batch samples and benchmarks ---------------------------------------

def _provinces() -> dict[str, Any]:
    """The districts and names of the synthetic provinces (``provinces.yaml``, data beside the code)."""
    from engine.shipped import load_data

    data = load_data(Path(__file__).resolve().parent / "provinces.yaml")
    for province in data.values():
        if isinstance(province, dict):
            province["districts"] = [(name, hamlets, members / heads, tuple(special), list(area))
                                     for name, hamlets, (members, heads), special, area in province["districts"]]
    return data


# district, hamlets, member-head share, special (none, 1-2, 3-4), area tags
_PROVINCES = _provinces()
NGHE_AN = _PROVINCES["nghe_an"]["districts"]
DA_NANG = _PROVINCES["da_nang"]["districts"]
CHINA = _PROVINCES["china"]["districts"]


def _country(pack: str) -> str:
    """The pack's declared country (``pack.yaml``); a name that is no pack gets a Vietnamese province."""
    from engine.errors import RuleFileError
    from engine.policy.loader import header_chain

    try:
        country = header_chain(pack)[-1][1].country
    except RuleFileError:
        return "VN"
    assert country is not None
    return country


def province(pack: str, rows: int, seed: int = 1, offset: int = 0) -> "Any":
    """A flat case table (the batch input format) of ``rows`` candidates in realistic hamlets."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    country = _country(pack)
    districts = DA_NANG if pack == "vn.da-nang" else (CHINA if country == "CN" else NGHE_AN)
    weights = np.array([d[1] for d in districts], dtype=float)
    idx = rng.choice(len(districts), size=rows, p=weights / weights.sum())
    names = np.array([d[0] for d in districts])
    share_member = np.array([d[2] for d in districts])[idx]
    special = np.array([sum(d[3]) / d[1] for d in districts])[idx]
    n = rows
    households = np.clip(rng.lognormal(5.3, 0.45, n), 40, 900).astype(np.int64)
    kind = np.where(rng.random(n) < (0.85 if country == "VN" else 1.0), "village", "residential_group")
    population = (households * rng.uniform(3.2, 4.6, n)).astype(np.int64)
    is_special = rng.random(n) < special
    local_members = np.where(is_special, rng.integers(0, 5, n), rng.integers(5, 60, n))
    area_base = [";".join(d[4]) or "none" for d in districts]
    area = np.array(area_base, dtype=object)[idx]
    extra = rng.random(n)
    area = np.where(extra < 0.03, np.where(area.astype(str) == "none", "key_security",
                                           np.char.add(area.astype(str), ";key_security")), area.astype(str))
    if country == "CN":
        population = np.where(names[idx] == "Hainan", np.clip(rng.lognormal(6.4, 0.8, n), 120, 6000),
                              rng.lognormal(7.0, 0.5, n)).astype(np.int64)
    member = rng.random(n) < share_member
    party = np.where(member, np.where(rng.random(n) < 0.04, "probationary", "full"), "none")
    commune_staff = is_special & (local_members <= 2) & (rng.random(n) < 0.8)
    status = np.where(commune_staff, rng.choice(["commune_civil_servant", "commune_nonprofessional", "commune_cadre"], n),
                      np.where(rng.random(n) < 0.9, "hamlet_nonprofessional", "none"))
    secretary_and_head = member & ~commune_staff & (rng.random(n) < (0.35 if country == "VN" else 0.55))
    posts = np.where(commune_staff, "party_cell_secretary",
                     np.where(secretary_and_head, "party_cell_secretary;hamlet_head",
                              np.where(member & (rng.random(n) < 0.8), "deputy_party_cell_secretary;hamlet_head", "hamlet_head")))
    age_days = rng.integers(22 * 365, 68 * 365, n)
    birth = (np.datetime64("2025-01-01") - age_days.astype("timedelta64[D]")).astype("datetime64[D]")
    vote = np.round(np.clip(rng.normal(0.74, 0.14, n), 0.2, 1.0), 2)
    gone = rng.random(n) < 0.02  # dossiers sent before the election
    district_names = names[idx]
    commune = np.char.add(np.char.add(district_names.astype(str), _PROVINCES["commune"]), (rng.integers(1, 30, n)).astype(str))
    frame = pl.DataFrame({
        "hamlet_id": [f"{pack}-h{i}" for i in range(offset, offset + n)],
        "hamlet_country": np.full(n, country),
        "hamlet_province": np.full(n, _PROVINCES["nghe_an"]["province"] if pack == "vn.nghe-an" else (
            _PROVINCES["da_nang"]["province"] if pack == "vn.da-nang" else (pack.split(".")[-1].title() if country == "CN" else "—"))),
        "hamlet_district": district_names,
        "hamlet_commune": commune,
        "hamlet_kind": kind,
        "hamlet_households": households,
        "hamlet_population": population,
        "hamlet_area": area,
        "hamlet_local_party_members": local_members,
        "hamlet_suitable_party_member_available": rng.random(n) < 0.7,
        "hamlet_election_turnout": np.round(rng.uniform(0.45, 0.98, n), 2),
        "candidate_id": [f"c{i}" for i in range(offset, offset + n)],
        "birth_date": birth,
        "sex": rng.choice(["male", "female"], n, p=[0.8, 0.2]),
        "party_status": party,
        "permanent_residence": ~commune_staff,
        "status": status,
        "vote_share": np.where(gone, np.nan, vote),
        "disciplined": rng.random(n) < 0.01,
        "health_ok": rng.random(n) < 0.985,
        "endorsed_by_party_committee": rng.random(n) < 0.6,
        "deprived_of_political_rights": rng.random(n) < 0.002,
        "posts": posts,
    })
    if country == "CN":
        frame = frame.with_columns(pl.col("hamlet_province"))
        frame = frame.with_columns(pl.col("hamlet_district").alias("hamlet_province"))
    return frame.with_columns(pl.col("vote_share").fill_nan(None), pl.col("birth_date").cast(pl.Date))


PROVINCE_SUFFIXES = (".parquet", ".csv", ".xlsx", ".jsonl", ".ndjson")


def write_province(pack: str, rows: int, output: Path, seed: int = 1) -> int:
    """``kiemnhiem generate``: a synthetic province of ``rows`` cases (the batch input format)
    written to ``output`` (.parquet, .csv, .xlsx or .jsonl); returns the number of rows."""
    import polars as pl

    from engine.errors import InputError, Where
    from engine.io.atomic import AtomicFile

    suffix = output.suffix.lower()
    if suffix not in PROVINCE_SUFFIXES:
        raise InputError.of("batch.generate-type", Where(file=str(output)))
    frame = province(pack, rows, seed)
    with AtomicFile(output) as out, out.errors():
        if suffix == ".parquet":
            frame.write_parquet(out.file)
        else:
            flat = frame.with_columns(pl.col("birth_date").cast(pl.String))
            if suffix == ".csv":
                flat.write_csv(out.file)
            elif suffix == ".xlsx":
                from engine.batch.run import xlsx_bytes

                out.write(xlsx_bytes(flat, None, "cases", autofit=False))
            else:
                flat.write_ndjson(out.file)
    return rows

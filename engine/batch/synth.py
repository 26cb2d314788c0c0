"""Synthetic cases for parity tests and benchmarks: every field sometimes missing, values near the
thresholds the shipped packs use, all posts and statuses. Seeded, so a failure reproduces."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from collections.abc import Iterator
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
    """A flat case table (the batch input format) of ``rows`` candidates in realistic hamlets,
    in memory (``province_chunks`` gives the same rows in pieces)."""
    import numpy as np

    return _table(np.random.default_rng(seed), pack, _country(pack), rows, offset)


def _table(rng: Any, pack: str, country: str, n: int, offset: int) -> "Any":
    """``n`` rows from hamlet number ``offset`` on. ``rng`` draws each random column whole, one
    column after the other, in the order written here: a numpy generator, or ``_Opening`` and
    ``_Replay``, which give a piece of each column (``province_chunks``). Every draw passes its
    count as ``size=`` (what those two replace), and no draw depends on a drawn value."""
    import numpy as np
    import polars as pl

    districts = DA_NANG if pack == "vn.da-nang" else (CHINA if country == "CN" else NGHE_AN)
    weights = np.array([d[1] for d in districts], dtype=float)
    idx = rng.choice(len(districts), size=n, p=weights / weights.sum())
    names = np.array([d[0] for d in districts])
    share_member = np.array([d[2] for d in districts])[idx]
    special = np.array([sum(d[3]) / d[1] for d in districts])[idx]
    households = np.clip(rng.lognormal(5.3, 0.45, size=n), 40, 900).astype(np.int64)
    kind = np.where(rng.random(size=n) < (0.85 if country == "VN" else 1.0), "village", "residential_group")
    population = (households * rng.uniform(3.2, 4.6, size=n)).astype(np.int64)
    is_special = rng.random(size=n) < special
    local_members = np.where(is_special, rng.integers(0, 5, size=n), rng.integers(5, 60, size=n))
    area_base = [";".join(d[4]) or "none" for d in districts]
    area = np.array(area_base, dtype=object)[idx]
    extra = rng.random(size=n)
    area = np.where(extra < 0.03, np.where(area.astype(str) == "none", "key_security",
                                           np.char.add(area.astype(str), ";key_security")), area.astype(str))
    if country == "CN":
        population = np.where(names[idx] == "Hainan", np.clip(rng.lognormal(6.4, 0.8, size=n), 120, 6000),
                              rng.lognormal(7.0, 0.5, size=n)).astype(np.int64)
    member = rng.random(size=n) < share_member
    party = np.where(member, np.where(rng.random(size=n) < 0.04, "probationary", "full"), "none")
    commune_staff = is_special & (local_members <= 2) & (rng.random(size=n) < 0.8)
    status = np.where(commune_staff, rng.choice(["commune_civil_servant", "commune_nonprofessional", "commune_cadre"], size=n),
                      np.where(rng.random(size=n) < 0.9, "hamlet_nonprofessional", "none"))
    secretary_and_head = member & ~commune_staff & (rng.random(size=n) < (0.35 if country == "VN" else 0.55))
    posts = np.where(commune_staff, "party_cell_secretary",
                     np.where(secretary_and_head, "party_cell_secretary;hamlet_head",
                              np.where(member & (rng.random(size=n) < 0.8), "deputy_party_cell_secretary;hamlet_head", "hamlet_head")))
    age_days = rng.integers(22 * 365, 68 * 365, size=n)
    birth = (np.datetime64("2025-01-01") - age_days.astype("timedelta64[D]")).astype("datetime64[D]")
    vote = np.round(np.clip(rng.normal(0.74, 0.14, size=n), 0.2, 1.0), 2)
    gone = rng.random(size=n) < 0.02  # dossiers sent before the election
    district_names = names[idx]
    commune = np.char.add(np.char.add(district_names.astype(str), _PROVINCES["commune"]), (rng.integers(1, 30, size=n)).astype(str))
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
        "hamlet_suitable_party_member_available": rng.random(size=n) < 0.7,
        "hamlet_election_turnout": np.round(rng.uniform(0.45, 0.98, size=n), 2),
        "candidate_id": [f"c{i}" for i in range(offset, offset + n)],
        "birth_date": birth,
        "sex": rng.choice(["male", "female"], size=n, p=[0.8, 0.2]),
        "party_status": party,
        "permanent_residence": ~commune_staff,
        "status": status,
        "vote_share": np.where(gone, np.nan, vote),
        "disciplined": rng.random(size=n) < 0.01,
        "health_ok": rng.random(size=n) < 0.985,
        "endorsed_by_party_committee": rng.random(size=n) < 0.6,
        "deprived_of_political_rights": rng.random(size=n) < 0.002,
        "posts": posts,
    })
    if country == "CN":
        frame = frame.with_columns(pl.col("hamlet_province"))
        frame = frame.with_columns(pl.col("hamlet_district").alias("hamlet_province"))
    return frame.with_columns(pl.col("vote_share").fill_nan(None), pl.col("birth_date").cast(pl.Date))


#: rows per piece of a generated province: a piece's numpy and polars columns take about 100 MB
#: (2,000,000 rows to CSV peak at a quarter of the memory pieces of 200,000 take), and polars'
#: streaming sinks work in pieces of this size too
CHUNK_ROWS = 100_000


def province_chunks(pack: str, rows: int, seed: int = 1, chunk_rows: int = CHUNK_ROWS) -> "Iterator[Any]":
    """``province(pack, rows, seed)`` in pieces of ``chunk_rows`` rows: the same rows with the
    same values, in bounded memory (at least one piece, perhaps empty, for the header).

    The whole table draws each random column at once, one column after the other, from one
    generator, so a column's draws start where the previous column's left the generator. A piece
    draws a slice of every column: each draw of ``_table`` (a "site") gets a generator of its own,
    started where the whole table's draw at that site started and continued piece after piece
    (numpy draws the same numbers in pieces as at once). A first pass finds where each site
    starts: it draws the first piece of the site, then the rest of the column, and throws the
    rest away (``_Opening``): random numbers cost twice, memory once."""
    import numpy as np

    country = _country(pack)
    opening = _Opening(np.random.default_rng(seed), rows)
    first = min(rows, chunk_rows)
    yield _table(opening, pack, country, first, 0)
    replay = _Replay(opening.sites)
    for start in range(first, rows, chunk_rows):
        replay.rewind()
        yield _table(replay, pack, country, min(chunk_rows, rows - start), start)


class _Opening:
    """Stands in for the generator of a whole table while the first piece is drawn: each draw
    returns its first ``size`` numbers and keeps the generator's state after them (where that
    site's next piece starts), then draws the rest of the column, ``rows`` in all, in blocks."""

    BLOCK = 1 << 20

    def __init__(self, rng: Any, rows: int) -> None:
        self.rng, self.rows = rng, rows
        self.sites: list[dict[str, Any]] = []

    def __getattr__(self, method: str) -> Any:
        import copy

        def draw(*args: Any, size: int, **kwargs: Any) -> Any:
            values = getattr(self.rng, method)(*args, size=size, **kwargs)
            self.sites.append(copy.deepcopy(self.rng.bit_generator.state))
            left = self.rows - size
            while left > 0:
                getattr(self.rng, method)(*args, size=min(left, self.BLOCK), **kwargs)
                left -= self.BLOCK
            return values

        return draw


class _Replay:
    """Stands in for the generator of a whole table for the pieces after the first: the k-th
    draw of a piece comes from the k-th site's own generator (``rewind`` before each piece)."""

    def __init__(self, sites: list[dict[str, Any]]) -> None:
        import numpy as np

        self._gens = []
        for state in sites:
            gen = np.random.Generator(getattr(np.random, state["bit_generator"])())
            gen.bit_generator.state = state
            self._gens.append(gen)
        self._next = 0

    def rewind(self) -> None:
        self._next = 0

    def __getattr__(self, method: str) -> Any:
        def draw(*args: Any, **kwargs: Any) -> Any:
            gen = self._gens[self._next]
            self._next += 1
            return getattr(gen, method)(*args, **kwargs)

        return draw


PROVINCE_SUFFIXES = (".parquet", ".csv", ".xlsx", ".jsonl", ".ndjson")


def write_province(pack: str, rows: int, output: Path, seed: int = 1, *, progress: bool | None = None,
                   lang: str = "en", chunk_rows: int = CHUNK_ROWS) -> int:
    """``kiemnhiem generate``: a synthetic province of ``rows`` cases (the batch input format)
    written to ``output`` (.parquet, .csv, .xlsx or .jsonl); returns the number of rows.

    Made and written piece by piece (``province_chunks``), through polars' streaming sinks, so
    memory stays bounded whatever ``rows``. CSV and JSON Lines bytes are those of the whole table
    written at once; so are Parquet's up to some 300,000 rows: beyond, polars splits a table
    held whole into row groups of equal size (125,000 rows for 2,000,000), while the streamed
    file has row groups of 100,000 rows: the same rows and values, and the same bytes for the
    same seed and size on any machine. An XLSX workbook is built whole in memory by its writer (at most 1,048,575 rows fit in
    a sheet anyway). ``progress``: the bar on stderr (``engine.io.progress``; None: on a terminal)."""
    import polars as pl

    from engine.errors import InputError, Where
    from engine.io.atomic import AtomicFile
    from engine.io.progress import Progress

    suffix = output.suffix.lower()
    if suffix not in PROVINCE_SUFFIXES:
        raise InputError.of("batch.generate-type", Where(file=str(output)))
    with Progress("rows", lang, rows, show=progress) as bar, AtomicFile(output) as out, out.errors():
        def pieces() -> Iterator[pl.DataFrame]:
            for piece in province_chunks(pack, rows, seed, chunk_rows):
                yield piece if suffix == ".parquet" else piece.with_columns(pl.col("birth_date").cast(pl.String))
                bar.advance(piece.height)

        if suffix == ".xlsx":
            from engine.batch.run import xlsx_bytes

            out.write(xlsx_bytes(pl.concat(list(pieces())), None, "cases", autofit=False))
        else:
            stream = _streamed(pieces())
            if suffix == ".parquet":
                stream.sink_parquet(out.file)
            elif suffix == ".csv":
                stream.sink_csv(out.file)
            else:
                stream.sink_ndjson(out.file)
    return rows


def _streamed(pieces: Iterator[Any]) -> Any:
    """The pieces as a polars LazyFrame that pulls them one by one while a sink writes: the
    streaming engine writes what ``DataFrame.write_parquet`` / ``write_csv`` / ``write_ndjson``
    write (they are that same sink), byte for byte, without the whole table in memory."""
    from polars.io.plugins import register_io_source

    first = next(pieces)
    used = False

    def source(with_columns: Any, predicate: Any, n_rows: Any, batch_size: Any) -> Iterator[Any]:
        nonlocal used
        assert not used, "the pieces are read once"
        used = True
        yield first
        yield from pieces

    return register_io_source(source, schema=first.schema)

"""``kiemnhiem compare``: a proposal against the rules in force, on a whole population.

Baseline and proposal are evaluated by the columnar engine on the same checked rows. **Blame**:
the proposal is split into its single changes (each parameter, each rule added, replaced or
removed, each ``--set``); the population is re-evaluated with each change alone, and a changed
case is blamed on every change that alone changes it (``combination`` when none does alone).
Money deltas are exact integers over the **payable** amounts (0 for a refused case): monthly
allowances per case, and each hamlet's fund once. A case or hamlet whose amount is undetermined
under either policy is counted apart and never enters a delta as 0; a total with any such case is
reported as null beside the part that is known.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from engine.backends import columnar
from engine.errors import InputError
from engine.i18n import columns, fmt_date, fmt_int, fmt_money, pad, t
from engine.policy.build import Layer, build_policy
from engine.policy.loader import pack_layers, proposal_layer, rules_dirs
from engine.policy.sets import set_layer
from engine.policy.model import SECTIONS
from engine.policy.resolved import Policy
from engine.backends.listcols import mask
from engine.io.progress import Progress, table_rows
from engine.io.tables import normalize, read_chunks
from engine.whatif.words import COMBINATION, cause_titles, decision_words

KEY = ["decision", "failing", "advisories", "fund_monthly", "allowance_monthly_total", "grant_yearly"]


@dataclass
class Change:
    id: str  # "params.x" or a rule id, or "remove:<id>"
    policy: Policy  # the baseline with this change alone


def _split(layer: Layer) -> list[tuple[str, Layer]]:
    """A proposal layer as single-change layers."""
    out = [(f"params.{name}", Layer(layer.header, params={name: entry})) for name, entry in layer.params.items()]
    for section in SECTIONS:
        for decl in layer.rules[section]:
            out.append((decl.id, Layer(layer.header, rules={**{s: () for s in SECTIONS}, section: (decl,)})))
    for item_id, origin in layer.remove:
        out.append((f"remove:{item_id}", Layer(layer.header, remove=((item_id, origin),))))
    return out


def policies(pack: str, proposal: Path | None, sets: dict[str, Any], extra: list[Path]) -> tuple[Policy, Policy, list[Change]]:
    """Baseline, proposal, and the baseline with each single change of the proposal (for blame).

    The pack's files are read once; every policy is built from the same layers."""
    layers = pack_layers(pack, rules_dirs(extra))
    base = build_policy(layers)
    top = proposal_layer(proposal, layers[-1].header) if proposal is not None else set_layer(base, sets)
    prop = build_policy(layers + [top])
    changes = [Change(cid, build_policy(layers + [layer])) for cid, layer in _split(top)]
    return base, prop, changes


def sweep_policies(pack: str, fixed: dict[str, Any], name: str, values: list[Any],
                   extra: list[Path]) -> tuple[Policy, list[tuple[Any, Policy]]]:
    """Baseline and one policy per swept value (``fixed`` --set values applied to each)."""
    layers = pack_layers(pack, rules_dirs(extra))
    base = build_policy(layers)
    return base, [(v, build_policy(layers + [set_layer(base, {**fixed, name: v})])) for v in values]


@dataclass
class Comparison:
    rows: int = 0
    errors: int = 0
    transition: dict[str, dict[str, int]] = field(default_factory=dict)
    changed: int = 0
    delta_allowance: int = 0
    delta_fund: int = 0
    delta_grant_yearly: int = 0
    gainers: int = 0
    gain: int = 0
    losers: int = 0
    loss: int = 0
    undetermined_money: int = 0
    undetermined_grants: int = 0
    blame: dict[str, int] = field(default_factory=dict)
    by_area: list[pl.DataFrame] = field(default_factory=list)
    cases: list[pl.DataFrame] = field(default_factory=list)
    funds: list[pl.DataFrame] = field(default_factory=list)
    summaries: tuple[Any, Any] | None = None  # baseline and proposal summaries (area targets)

    def to_json(self, base: Policy, prop: Policy, as_of: date) -> dict[str, Any]:
        area = pl.concat(self.by_area) if self.by_area else None
        by_area = []
        if area is not None and area.height:
            by_area = area.group_by(["hamlet_province", "hamlet_district", "hamlet_commune"]).agg(
                pl.col("delta_monthly").sum(), pl.col("undetermined").sum(), pl.col("changed").sum()).sort(
                ["hamlet_province", "hamlet_district", "hamlet_commune"], nulls_last=True).to_dicts()
        fund = pl.concat(self.funds).unique("h", keep="first", maintain_order=True) if self.funds else None
        known_fund = fund.filter(pl.col("b").is_not_null() & pl.col("p").is_not_null()) if fund is not None else None
        delta_fund = int((known_fund["p"] - known_fund["b"]).sum()) if known_fund is not None and known_fund.height else 0
        fund_open = fund.height - known_fund.height if fund is not None and known_fund is not None else 0
        known_monthly = self.delta_allowance + delta_fund
        settled = self.undetermined_money == 0 and fund_open == 0
        return {
            "pack": base.id, "pack_hash": base.hash, "proposal": prop.id, "proposal_hash": prop.hash,
            "as_of": as_of.isoformat(), "rows": self.rows, "errors": self.errors, "changed": self.changed,
            # null when some amount is undetermined under either policy: the *_known fields then
            # give the change over the cases and hamlets whose amounts are known
            "delta_monthly": known_monthly if settled else None,
            "delta_monthly_known": known_monthly,
            "delta_allowance_monthly": self.delta_allowance if self.undetermined_money == 0 else None,
            "delta_allowance_monthly_known": self.delta_allowance,
            "delta_fund_monthly": delta_fund if fund_open == 0 else None,
            "delta_fund_monthly_known": delta_fund,
            "delta_yearly": known_monthly * 12 + self.delta_grant_yearly if settled and not self.undetermined_grants else None,
            "delta_yearly_known": known_monthly * 12 + self.delta_grant_yearly,
            # sorted: the counts come from group_by, whose order varies; the JSON must not
            "currency": base.currency,
            "transition": {b: dict(sorted(row.items())) for b, row in sorted(self.transition.items())},
            "gainers": {"count": self.gainers, "monthly": self.gain},
            "losers": {"count": self.losers, "monthly": self.loss},
            "allowance_undetermined_rows": self.undetermined_money, "fund_undetermined_hamlets": fund_open,
            "grant_undetermined_rows": self.undetermined_grants, "blame": dict(sorted(self.blame.items())),
            "by_area": by_area,
            "targets": self._targets(),
        }

    def _targets(self) -> dict[str, Any]:
        if self.summaries is None:
            return {"baseline": [], "proposal": [], "changed": 0}
        base, prop = (s.finish()["targets"] for s in self.summaries)
        key = lambda t: (t["target"], t["scope"], t["area"])  # noqa: E731
        before = {key(t): t for t in base}
        changed = sum(1 for t in prop if key(t) not in before or
                      {k: before[key(t)][k] for k in ("by", "required_share", "meets", "short_by")} !=
                      {k: t[k] for k in ("by", "required_share", "meets", "short_by")})
        return {"baseline": base, "proposal": prop, "changed": changed}


def _outcome(policy: Policy, as_of: date, frame: pl.DataFrame) -> pl.DataFrame:
    # as text: each policy spells its failing criteria with its own enum
    return columnar.compiled(policy.snapshot(as_of)).evaluate(frame).select(KEY + ["allowance_open"]).with_columns(
        pl.col("decision", "failing", "advisories").cast(pl.String))


def _summary_input(ok: pl.DataFrame, outcome: pl.DataFrame) -> pl.DataFrame:
    names = {"hamlet__id": "hamlet_id", "hamlet__province": "hamlet_province", "hamlet__district": "hamlet_district",
             "hamlet__commune": "hamlet_commune"}
    return pl.concat([ok.select([pl.col(k).alias(v) for k, v in names.items()] + [mask("posts"), "candidate__party_status",
                                                                                   "candidate__party_member", "hamlet__kind"]),
                      outcome.select("decision", "fund_monthly", "allowance_monthly_total", "allowance_open")],
                     how="horizontal")


def _tracked(chunks: Iterator[tuple[pl.DataFrame, int]], bar: Progress | None) -> Iterator[tuple[pl.DataFrame, int]]:
    """The chunks, each counted on ``bar`` once done with (when the next is asked for)."""
    return chunks if bar is None else bar.track(chunks, lambda chunk: chunk[0].height)


def compare(base: Policy, prop: Policy, changes: list[Change], as_of: date, data: Path,
            chunk_rows: int = 500_000, keep_cases: bool = True, bar: Progress | None = None) -> Comparison:
    from engine.batch.summary import Summary

    result = Comparison()
    result.summaries = (Summary(base, as_of, "en"), Summary(prop, as_of, "en"))
    country = base.country
    for raw, first in _tracked(read_chunks(data, chunk_rows), bar):
        norm, _ = normalize(raw, first, as_of, country, "en")
        ok = norm.filter(pl.col("_error").is_null())
        result.rows += norm.height
        result.errors += norm.height - ok.height
        if not ok.height:
            continue
        b = _outcome(base, as_of, ok)
        p = _outcome(prop, as_of, ok)
        if base.targets or prop.targets:
            result.summaries[0].add(_summary_input(ok, b))
            result.summaries[1].add(_summary_input(ok, p))
        diff = pl.any_horizontal([b[k].ne_missing(p[k]) for k in KEY])
        frame = pl.concat([
            ok.select("_row", "hamlet__id", "candidate__id", "hamlet__province", "hamlet__district", "hamlet__commune"),
            b.select([pl.col(k).alias(f"base_{k}") for k in KEY]),
            p.select([pl.col(k).alias(f"proposal_{k}") for k in KEY])], how="horizontal")
        frame = frame.with_columns(diff.alias("changed"))
        # transitions and money
        for row in frame.group_by(["base_decision", "proposal_decision"]).len().iter_rows():
            result.transition.setdefault(row[0], {}).setdefault(row[1], 0)
            result.transition[row[0]][row[1]] += int(row[2])
        result.changed += int(frame["changed"].sum())
        open_either = b["allowance_open"] | p["allowance_open"]
        both = frame.filter(pl.col("base_allowance_monthly_total").is_not_null()
                            & pl.col("proposal_allowance_monthly_total").is_not_null())
        # 128-bit: a sum of 64-bit amounts would wrap silently past 9.2 × 10^18
        delta = both["proposal_allowance_monthly_total"].cast(pl.Int128) - both["base_allowance_monthly_total"].cast(pl.Int128)
        result.delta_allowance += int(delta.sum())
        result.gainers += int((delta > 0).sum())
        result.gain += int(delta.filter(delta > 0).sum())
        result.losers += int((delta < 0).sum())
        result.loss += int(delta.filter(delta < 0).sum())
        result.undetermined_money += int(open_either.sum())
        # grant_yearly is 0 where surely no grant applies and null only where it is unknown (or
        # where the pack has no grants at all, under both policies)
        grant_b, grant_p = frame["base_grant_yearly"], frame["proposal_grant_yearly"]
        if base.grants or prop.grants:
            known_g = grant_b.is_not_null() & grant_p.is_not_null()
            result.delta_grant_yearly += int((grant_p.fill_null(0).cast(pl.Int128) - grant_b.fill_null(0).cast(pl.Int128))
                                             .filter(known_g).sum() or 0)
            result.undetermined_grants += int((~known_g).sum())
        if base.fund or prop.fund:
            hamlet = ~ok.select(columnar.agency()).to_series()  # an agency has no fund, not an undetermined one
            result.funds.append(frame.filter(hamlet).select(
                pl.col("hamlet__id").hash().alias("h"), pl.col("base_fund_monthly").alias("b"),
                pl.col("proposal_fund_monthly").alias("p")).unique("h", keep="first", maintain_order=True))
        known = pl.col("proposal_allowance_monthly_total").is_not_null() & pl.col("base_allowance_monthly_total").is_not_null()
        result.by_area.append(frame.select(
            pl.col("hamlet__province").alias("hamlet_province"), pl.col("hamlet__district").alias("hamlet_district"),
            pl.col("hamlet__commune").alias("hamlet_commune"),
            pl.when(known).then(pl.col("proposal_allowance_monthly_total") - pl.col("base_allowance_monthly_total"))
            .otherwise(0).alias("delta_monthly"), pl.Series(open_either).cast(pl.Int64).alias("undetermined"),
            pl.col("changed").cast(pl.Int64)).group_by(
            ["hamlet_province", "hamlet_district", "hamlet_commune"]).agg(pl.all().sum()))
        # blame: each change alone, on the changed rows only
        changed = frame.filter(pl.col("changed"))
        if changed.height:
            sub = ok.filter(diff)
            base_sub = b.filter(diff)
            hits = {}
            for ch in changes:
                alone = _outcome(ch.policy, as_of, sub)
                hits[ch.id] = pl.DataFrame([base_sub[k].ne_missing(alone[k]).alias(k) for k in KEY]).select(
                    pl.any_horizontal(pl.all())).to_series()
            if hits:
                blame = pl.DataFrame(hits).select(pl.concat_str(
                    [pl.when(pl.col(cid)).then(pl.lit(cid)) for cid in hits], separator=";", ignore_nulls=True).alias("blame"))
            else:
                blame = pl.DataFrame({"blame": [""] * sub.height})
            blame = blame.with_columns(pl.when(pl.col("blame") == "").then(pl.lit(COMBINATION)).otherwise(pl.col("blame")))
            for value, n in blame.group_by("blame").len().iter_rows():
                for cid in value.split(";"):
                    result.blame[cid] = result.blame.get(cid, 0) + int(n)
            if keep_cases:
                facts = sub.select([c for c in columnar.schema() if c not in changed.columns])
                result.cases.append(pl.concat([changed.with_columns(blame["blame"]), facts], how="horizontal"))
    return result


def parse_set(text: str) -> tuple[str, list[Any]]:
    """``name=value`` or a sweep ``name=lo..hi:step`` (numbers, exact decimals)."""
    if "=" not in text:
        raise InputError.of("whatif.set-syntax", text=repr(text))
    name, value = text.split("=", 1)

    def num(t: str) -> Any:
        d = Decimal(t.strip())
        return int(d) if d == d.to_integral_value() and "." not in t else d

    try:
        if ".." in value:
            lo, rest = value.split("..", 1)
            hi, _, step = rest.partition(":")
            lo_v, hi_v, step_v = num(lo), num(hi), num(step or "1")
            values, v = [], lo_v
            while v <= hi_v:
                values.append(v)
                v = v + step_v
            return name.strip(), values
        if value.strip().lower() in ("true", "false"):
            return name.strip(), [value.strip().lower() == "true"]
        return name.strip(), [num(value)]
    except (ArithmeticError, ValueError):
        raise InputError.of("whatif.set-value", text=repr(text), value=repr(value)) from None


def sweep(base: Policy, points: list[tuple[Any, Policy]], as_of: date, data: Path,
          chunk_rows: int = 500_000, bar: Progress | None = None) -> list[dict[str, Any]]:
    """Each point of a parameter sweep against the baseline; the data is read and checked once."""
    country = base.country
    acc: list[dict[str, Any]] = [{"value": str(v), "eligible": 0, "changed": 0, "delta_allowance": 0, "delta_allowance_known": 0,
                                  "cost_monthly": 0, "cost_monthly_known": 0, "undetermined": 0, "undetermined_delta": 0,
                                  "undetermined_funds": 0} for v, _ in points]
    funds: list[list[pl.DataFrame]] = [[] for _ in points]  # each hamlet's fund once, over all chunks
    good = ["eligible", "eligible_with_conditions"]
    for raw, first in _tracked(read_chunks(data, chunk_rows), bar):
        norm, _ = normalize(raw, first, as_of, country, "en")
        ok = norm.filter(pl.col("_error").is_null())
        if not ok.height:
            continue
        b = _outcome(base, as_of, ok)
        hamlet = ~ok.select(columnar.agency()).to_series()  # an agency has no fund, not an undetermined one
        for point, hamlet_funds, (_, policy) in zip(acc, funds, points):
            p = _outcome(policy, as_of, ok)
            diff = pl.DataFrame([b[k].ne_missing(p[k]).alias(k) for k in KEY]).select(pl.any_horizontal(pl.all())).to_series()
            point["changed"] += int(diff.sum())
            point["eligible"] += int(p["decision"].is_in(good).sum())
            known = b["allowance_monthly_total"].is_not_null() & p["allowance_monthly_total"].is_not_null()
            point["delta_allowance_known"] += int((p["allowance_monthly_total"] - b["allowance_monthly_total"]).filter(known).sum())
            point["undetermined_delta"] += int((b["allowance_open"] | p["allowance_open"]).sum())
            # payable allowances and funds known under the proposal; unknown ones counted, never as 0
            point["cost_monthly_known"] += int(p["allowance_monthly_total"].sum() or 0)
            point["undetermined"] += int(p["allowance_open"].sum())
            hamlet_funds.append(pl.DataFrame({"h": ok["hamlet__id"].hash(), "f": p["fund_monthly"]}).filter(hamlet))
    for point, hamlet_funds in zip(acc, funds):
        if hamlet_funds:
            f = pl.concat(hamlet_funds).unique("h", keep="first", maintain_order=True)["f"]
            point["cost_monthly_known"] += int(f.sum() or 0)
            point["undetermined_funds"] = f.null_count()
    for point in acc:  # a total only when every amount in it is known; else null, and the *_known part
        settled = point["undetermined"] == 0 and point["undetermined_funds"] == 0
        point["cost_monthly"] = point["cost_monthly_known"] if settled else None
        point["delta_allowance"] = point["delta_allowance_known"] if point["undetermined_delta"] == 0 else None
    return acc


def broken_scenarios(pack: str, proposal: Path, progress: bool | None = False, lang: str = "en") -> list[str]:
    """The scenarios of the shipped features that fail under the proposal, each as
    ``file:line  name`` as the drafter wrote it, an outline's example by its row's line and
    values (runs them in this process: ``engine.bdd.runner``)."""
    from engine.bdd.runner import run_features

    run = run_features(pack=pack, proposal=proposal, progress=progress, lang=lang)
    return [s.named for s in run.failed]


def explanations(cases: pl.DataFrame, base: Policy, prop: Policy, lang: str, as_of: date) -> pl.DataFrame:
    """Both short explanations of each changed case, side by side."""
    from engine.batch.run import _explanation

    out = cases
    for side, policy in (("base", base), ("proposal", prop)):
        frame = cases.select(pl.col(f"{side}_decision").alias("decision"), pl.col(f"{side}_failing").alias("failing"),
                             pl.col(f"{side}_advisories").alias("advisories"), pl.lit("").alias("missing"),
                             pl.lit(None, dtype=pl.String).alias("error"), pl.lit(None, dtype=pl.String).alias("note"))
        out = out.with_columns(frame.select(_explanation(policy, lang, as_of).alias(f"{side}_explanation")))
    return out


def _frames(frames: list[pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(frames, how="vertical_relaxed") if frames else pl.DataFrame({"row": []})


@dataclass
class ProposalComparison:
    """What ``kiemnhiem compare`` reports for a proposal: ``data`` (the JSON of ``--format json``),
    the changed cases with both explanations, and the number of scenarios exported (if asked)."""

    data: dict[str, Any]
    cases: pl.DataFrame | None
    pack: str
    proposal_id: str
    base_hash: str
    proposal_hash: str
    currency: str
    as_of: date
    lang: str
    exported: int | None = None
    export_dir: Path | None = None
    causes: dict[str, str] = field(default_factory=dict)  # each change of the blame in words (``words.cause_titles``)

    def export_note(self) -> str | None:
        if self.export_dir is None:
            return None
        return t("whatif.exported", self.lang, n=self.exported, folder=self.export_dir) + "\n"

    def json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, indent=2) + "\n"

    def text(self) -> str:
        out, cur, lang = self.data, self.currency, self.lang
        n = lambda x: fmt_int(x, lang)  # noqa: E731
        m = lambda x: fmt_money(x, cur, lang)  # noqa: E731

        decision = lambda d: decision_words(d, lang)  # noqa: E731
        seen = {*out["transition"], *(d for row in out["transition"].values() for d in row)}
        width = max((columns(decision(d)) for d in seen), default=0) + 1  # the longest word sets the column
        lines = [t("whatif.head", lang, pack=self.pack, hash=self.base_hash, proposal=self.proposal_id,
                   proposal_hash=self.proposal_hash, date=fmt_date(self.as_of, lang), rows=n(out["rows"]),
                   changed=n(out["changed"]), errors=n(out["errors"])),
                 t("whatif.transitions", lang)]
        for b_dec, row in sorted(out["transition"].items()):
            for p_dec, count in sorted(row.items()):
                mark = "" if b_dec == p_dec else "  ←"
                lines.append(f"  {pad(decision(b_dec), width)} → {pad(decision(p_dec), width)} {n(count):>10}{mark}")
        if out["delta_monthly"] is not None:
            lines.append(t("whatif.monthly", lang, total=m(out["delta_monthly"]), allowances=m(out["delta_allowance_monthly"]),
                           funds=m(out["delta_fund_monthly"]), yearly=m(out["delta_yearly"])))
        else:  # never a 0 for what is unknown: the known part, and what it leaves out
            lines.append(t("whatif.monthly-open", lang, known=m(out["delta_monthly_known"]),
                           allowances=m(out["delta_allowance_monthly_known"]), funds=m(out["delta_fund_monthly_known"]),
                           rows=n(out["allowance_undetermined_rows"]), hamlets=n(out["fund_undetermined_hamlets"])))
        lines.append(t("whatif.gainers", lang, gaining=n(out["gainers"]["count"]), gained=m(out["gainers"]["monthly"]),
                       losing=n(out["losers"]["count"]), lost=m(out["losers"]["monthly"])))
        if out["blame"]:  # each change by its title, the most cases first
            lines.append(t("whatif.blame", lang))
            ranked = sorted(out["blame"].items(), key=lambda kv: (-kv[1], kv[0]))
            wide = max(columns(n(v)) for _, v in ranked)
            lines += ["  " + t("whatif.blame-item", lang, change=self.causes.get(k, k), n=pad(n(v), wide, True))
                      for k, v in ranked]
        if out.get("broken_scenarios"):
            lines.append(t("whatif.broken", lang, n=len(out["broken_scenarios"])))
            lines += [f"  ✘ {name}" for name in out["broken_scenarios"]]
        return "\n".join(lines) + "\n"

    def render(self, fmt: str = "text") -> str:
        return self.json() if fmt == "json" else self.text()


@dataclass
class SweepComparison:
    """A parameter swept over values: one point per value (eligible, changed, cost per month)."""

    parameter: str
    points: list[dict[str, Any]]
    currency: str
    lang: str

    def json(self) -> str:
        return json.dumps({"parameter": self.parameter, "points": self.points}, ensure_ascii=False, indent=2) + "\n"

    def text(self) -> str:
        lang = self.lang

        def cost(r: dict[str, Any]) -> str:
            known = fmt_money(r["cost_monthly_known"], self.currency, lang)
            return known if r["cost_monthly"] is not None else f"≥ {known} *"

        name = self.parameter
        head = [t(f"whatif.sweep.{key}", lang) for key in ("value", "eligible", "changed", "cost")]
        # each column 10, 10, 9 and 20 wide, or wider where its header (in any language) needs it
        width = [max(w, columns(h) + 2) for w, h in zip((10, 10, 9, 20), head)]
        lines = [f"{name}: " + " ".join(pad(h, w, True) for h, w in zip(head, width))]
        for r in self.points:
            cells = (str(r["value"]), fmt_int(r["eligible"], lang), fmt_int(r["changed"], lang), cost(r))
            lines.append(f"{'':>{len(name)}}  " + " ".join(pad(c, w, True) for c, w in zip(cells, width)))
        open_rows = max((r["undetermined"] for r in self.points), default=0)
        open_funds = max((r["undetermined_funds"] for r in self.points), default=0)
        if open_rows or open_funds:
            lines.append(t("whatif.sweep.open", lang, rows=fmt_int(open_rows, lang), hamlets=fmt_int(open_funds, lang)))
        return "\n".join(lines) + "\n"

    def render(self, fmt: str = "text") -> str:
        return self.json() if fmt == "json" else self.text()


def _rows_bar(data: Path, lang: str, show: bool | None) -> Progress:
    """The bar of the rows read, its total the table's rows as estimated cheaply (only when shown)."""
    bar = Progress("rows", lang, show=show)
    if bar.show:
        bar.total = table_rows(data)
    return bar


def compare_proposal(pack: str, data: Path, *, proposal: Path | None = None, sets: Sequence[str] = (),
                     as_of: date | None = None, lang: str = "en", cases_path: Path | None = None,
                     report_path: Path | None = None, export_dir: Path | None = None, features: bool = True,
                     rules: Sequence[Path] = (), progress: bool | None = None) -> ProposalComparison | SweepComparison:
    """``kiemnhiem compare``: a proposal (an overlay file, and/or ``--set name=value``) against the
    rules in force on the cases of ``data``; with one ``--set name=lo..hi:step``, a sweep. Writes the
    changed cases (``cases_path``), an HTML report and Gherkin scenarios when asked; with a proposal
    file and ``features``, runs the features to name the scenarios it breaks. ``progress``: bars
    on stderr for the rows read and the scenarios run (None: when it is a terminal; False: never)."""
    from engine.io.guard import refuse_overwrite

    refuse_overwrite([data, proposal], {"--cases": cases_path, "--report": report_path})
    day = as_of or date.today()
    parsed = dict(parse_set(s) for s in sets)
    if proposal is None and not parsed:
        raise InputError.of("whatif.nothing-to-compare")
    sweeping = {k: v for k, v in parsed.items() if len(v) > 1}
    fixed = {k: v[0] for k, v in parsed.items() if len(v) == 1}
    extra = list(rules)
    if sweeping:
        (name, values), = sweeping.items()
        base, points = sweep_policies(pack, fixed, name, values, extra)
        with _rows_bar(data, lang, progress) as bar:
            points_out = sweep(base, points, day, data, bar=bar)
        return SweepComparison(name, points_out, base.currency, lang)
    base, prop, changes = policies(pack, proposal, fixed, extra)
    with _rows_bar(data, lang, progress) as bar:
        result = compare(base, prop, changes, day, data, bar=bar)
    out = result.to_json(base, prop, day)
    changed = explanations(_frames(result.cases), base, prop, lang, day) if result.cases else None
    causes = cause_titles(out["blame"], base, prop, day, lang)
    if proposal is not None and features:
        out["broken_scenarios"] = broken_scenarios(pack, proposal, progress, lang)
    if cases_path is not None:
        from engine.batch.run import Writer

        frame = changed if changed is not None else _frames([])
        with Writer(cases_path, False, day) as writer:
            writer.columns = frame.columns
            writer.write(frame)
    if report_path is not None:
        from engine.io.atomic import write_text
        from engine.whatif.report import render

        write_text(report_path, render(out, changed.to_dicts() if changed is not None else [], lang, causes))
    exported = None
    if export_dir is not None:
        from engine.whatif.scenarios import export

        exported = export(prop, day, data, changed, export_dir)
    return ProposalComparison(out, changed, pack, prop.id, base.hash, prop.hash, base.currency, day, lang,
                              exported, export_dir, causes)

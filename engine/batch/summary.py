"""The batch summary: counts, money and area targets, accumulated chunk by chunk.

Only small per-chunk aggregates are kept (plus a 16-byte key per hamlet to count each hamlet's
fund once), so a 10-million-row run summarises in bounded memory. Targets over an area (Da Nang's
party-member heads, China's one-shoulder share) are judged per commune, district and province
against the milestone in force on the as-of date: the first one not yet past, or the last.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from engine.explain.names import missing_labels
from engine.i18n import fmt_date, fmt_int, fmt_money, fmt_share, pack_text, pad, t
from engine.backends.columnar import agency
from engine.backends.listcols import has, mask
from engine.policy.resolved import Policy

GOOD = ["eligible", "eligible_with_conditions"]


def _holds(post: str) -> pl.Expr:
    return has("posts", post).fill_null(False)


DECISION_ORDER = ["eligible", "eligible_with_conditions", "ineligible", "undetermined", "not_applicable", "error", "skipped"]
#: rows that are no answer: counted, never in money, funds, heads or targets
NOT_ANSWERED = ["error", "skipped"]


def known_and_open(known: int, undetermined: int, known_count: int) -> dict[str, int | None]:
    """A money total over many cases, never with an unknown folded in as 0: the exact ``total``
    only when every amount is known (else null), the sum of the known ones as ``at_least`` (null
    when none is known), and how many amounts are undetermined."""
    return {"total": known if undetermined == 0 else None, "at_least": known if known_count else None,
            "undetermined": undetermined}


def _fund_totals(fund: pl.DataFrame | None) -> dict[str, int | None]:
    """Each hamlet's fund once (the first row seen of it). Counting the distinct hamlets is
    cheaper than de-duplicating them, and in a flat table every hamlet is usually there once.
    Only hamlets are here: an agency has no fund, neither a known one nor an undetermined one."""
    if fund is None:
        return known_and_open(0, 0, 0)
    if fund["h"].n_unique() != fund.height:
        fund = fund.unique("h", keep="first", maintain_order=True)
    unknown = int(fund["fund_monthly"].null_count())
    return known_and_open(int(fund["fund_monthly"].cast(pl.Int128).sum() or 0), unknown, fund.height - unknown)


def _member_from_status() -> pl.Expr:
    """Party membership as a party status implies it (``constraints.IMPLIED``), for a frame that
    carries the status only."""
    from engine.contract.constraints import IMPLIED

    rule = next(r for r in IMPLIED if r.path == "candidate.party_member")
    return rule.expr(pl.col("candidate__party_status"), pl.Boolean())


#: The levels of local government, largest first, and the column each is read from.
LEVELS = {"province": "hamlet_province", "district": "hamlet_district", "commune": "hamlet_commune"}


class Summary:
    def __init__(self, policy: Policy, as_of: date, lang: str):
        self.policy, self.as_of, self.lang = policy, as_of, lang
        # the levels in force on the date: a pack may say (``area_levels``: Vietnam has no districts
        # from 2025-07-01, Decree 170/2025); otherwise province, district and commune
        declared = policy.params["area_levels"].value_on(as_of) if "area_levels" in policy.params else None
        self.levels = [lv for lv in LEVELS if declared is None or lv in declared]
        # the areas of the by-area table: province and district, or province and commune without districts
        self.area = [LEVELS[lv] for lv in (("province", "district") if "district" in self.levels
                                          else ("province", "commune"))]
        self.parts: dict[str, list[pl.DataFrame]] = {"areas": [], "fund": [], "heads": [], "shoulder": [], "money": [],
                                                     "missing": []}

    def add(self, out: pl.DataFrame) -> None:
        # group on categorical keys: polars strings are views into the chunk's buffers, and an
        # aggregate keyed by them would keep every chunk's text alive until the end of the run
        keys = ["hamlet_province", "hamlet_district", "hamlet_commune", "decision"]
        posts = pl.col(mask("posts"))
        schema = out.schema
        unanswered = out.height - out["error"].null_count() if "error" in schema else 0
        unanswered += out.height - out["note"].null_count() if "note" in schema else 0  # skipped rows carry a note
        # an agency (columnar.agency) is no hamlet: it has no fund, and no target counts it
        member = pl.col("candidate__party_member") if "candidate__party_member" in schema else _member_from_status()
        lacking = pl.col("missing") if "missing" in schema else pl.lit("").alias("missing")  # a comparison's rows have none
        out = out.select("hamlet_id", "fund_monthly", "allowance_monthly_total", "allowance_open", posts, lacking,
                         member.alias("candidate__party_member"),
                         agency().alias("agency"),
                         *[pl.col(k) if isinstance(schema[k], (pl.Categorical, pl.Enum)) else pl.col(k).cast(pl.Categorical)
                           for k in keys])
        ok = out.lazy().filter(~pl.col("decision").cast(pl.String).is_in(NOT_ANSWERED)) if unanswered else out.lazy()
        area = self.area
        queries = {
            "areas": out.lazy().group_by(area + ["decision"]).len(),  # skipped rows: counted, not in the by-area table
            # what the undetermined rows lack, as combinations (few): split into fields at the end
            "missing": ok.filter(pl.col("decision").cast(pl.String) == "undetermined").group_by(
                pl.col("missing").cast(pl.String)).len(),
            "money": ok.select(
                pl.col("allowance_monthly_total").cast(pl.Int128).sum().alias("allowance"),  # no 64-bit overflow
                pl.col("allowance_open").sum().alias("allowance_unknown"),
                pl.col("allowance_monthly_total").is_not_null().sum().alias("allowance_known")),
            # each hamlet's fund once: de-duplicated at the end only, since a hamlet's rows may lie
            # in different chunks (and in a flat table rarely repeat within one)
            "fund": (ok.filter(~pl.col("agency")) if self.policy.fund else ok.filter(pl.col("fund_monthly").is_not_null())
                     ).select(pl.col("hamlet_id").hash().alias("h"), "fund_monthly"),
            "heads": ok.filter(_holds("hamlet_head")).group_by(["hamlet_province", "hamlet_district", "hamlet_commune"]).agg(
                pl.len().alias("heads"), pl.col("candidate__party_member").fill_null(False).sum().alias("members"),
                pl.col("candidate__party_member").is_null().sum().alias("unknown")),
        }
        if any(t.item.metric == "one_shoulder_share" for t in self.policy.targets):
            both = _holds("party_cell_secretary") & _holds("hamlet_head")
            # a share of hamlets: an agency's rows are no hamlet of it
            queries["shoulder"] = ok.filter(~pl.col("agency")).group_by(["hamlet_province"]).agg(
                pl.col("hamlet_id").n_unique().alias("hamlets"),
                (both & pl.col("decision").cast(pl.String).is_in(GOOD)).sum().alias("one_shoulder"))
        # one collect for all of them: polars runs the queries side by side over the same chunk
        for key, frame in zip(queries, pl.collect_all(list(queries.values()))):
            self.parts[key].append(frame)

    def _cat(self, key: str) -> pl.DataFrame | None:
        frames = [f for f in self.parts[key] if f.height]
        if not frames:
            return None
        frame = pl.concat(frames, how="vertical_relaxed")
        return frame.with_columns([pl.col(c).cast(pl.String) for c, t in frame.schema.items()
                                   if isinstance(t, (pl.Categorical, pl.Enum))])

    def milestone(self, target: Any) -> Any:
        ahead = [m for m in target.milestones if m.by >= self.as_of]
        return ahead[0] if ahead else target.milestones[-1]

    def finish(self) -> dict[str, Any]:
        areas = self._cat("areas")
        by_decision: dict[str, int] = {}
        by_area: list[dict[str, Any]] = []
        if areas is not None:
            for row in areas.group_by("decision").agg(pl.col("len").sum()).sort("decision").iter_rows():
                by_decision[row[0]] = int(row[1])
            grouped = areas.filter(pl.col("decision") != "skipped").group_by([*self.area, "decision"]).agg(pl.col("len").sum())
            pivot = grouped.pivot(on="decision", index=self.area, values="len").fill_null(0)
            order = [d for d in DECISION_ORDER if d in pivot.columns]  # fixed key order, whatever came first
            pivot = pivot.select([*self.area, *order])
            by_area = pivot.sort(self.area, nulls_last=True).to_dicts()
        money = self._cat("money")
        fund = self._cat("fund")
        heads = self._cat("heads")
        total_heads = members = 0
        head_groups = None
        if heads is not None:
            head_groups = heads.group_by(["hamlet_province", "hamlet_district", "hamlet_commune"]).agg(
                pl.col("heads").sum(), pl.col("members").sum(), pl.col("unknown").sum())
            total_heads, members = int(head_groups["heads"].sum()), int(head_groups["members"].sum())
        result: dict[str, Any] = {
            "pack": self.policy.id, "pack_hash": self.policy.hash, "as_of": self.as_of.isoformat(),
            "rows": sum(by_decision.values()), "by_decision": by_decision, "by_area": by_area,
            "missing": self._missing(),
        }
        allowance = known_and_open(*(int(money[c].sum() or 0) if money is not None else 0
                                     for c in ("allowance", "allowance_unknown", "allowance_known")))
        funds = _fund_totals(fund)
        result |= {
            # payable amounts only (0 for ineligible rows); undetermined ones counted apart
            "allowance_monthly_total": allowance["total"],
            "allowance_monthly_at_least": allowance["at_least"],
            "allowance_undetermined_rows": allowance["undetermined"],
            "fund_monthly_total": funds["total"],
            "fund_monthly_at_least": funds["at_least"],
            "fund_undetermined_hamlets": funds["undetermined"],
            "currency": self.policy.currency,
            "hamlet_heads": total_heads, "hamlet_heads_party_members": members,
            "hamlet_heads_party_member_share": round(members / total_heads, 4) if total_heads else None,
            "targets": self._targets(head_groups),
        }
        return result

    def _missing(self) -> dict[str, int]:
        """Each field (or parameter) the undetermined rows lack → how many rows lack it, most
        lacked first (the paths, as the ``missing`` column has them)."""
        frame = self._cat("missing")
        counts: dict[str, int] = {}
        if frame is not None:
            for combination, n in frame.iter_rows():
                for path in (combination or "").split(";"):
                    if path:
                        counts[path] = counts.get(path, 0) + int(n)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def _targets(self, heads: pl.DataFrame | None) -> list[dict[str, Any]]:
        out = []
        shoulder = self._cat("shoulder")
        for ri in self.policy.targets:
            t = ri.item
            m = self.milestone(t)
            share = Decimal(m.share)
            # each scope's area is named by the levels above and at it that are in force on the date
            levels = {scope: [LEVELS[lv] for lv in self.levels[:self.levels.index(scope) + 1]]
                      for scope in self.levels}
            for scope in t.scope:
                if scope not in levels:  # no districts after the two-tier reform: nothing to judge there
                    continue
                if t.metric == "party_member_head_share":
                    if heads is None:
                        continue
                    g = heads.group_by(levels[scope]).agg(pl.col("heads").sum().alias("n"), pl.col("members").sum().alias("k"))
                else:
                    if shoulder is None or scope != "province":
                        continue
                    g = shoulder.group_by(["hamlet_province"]).agg(pl.col("hamlets").sum().alias("n"),
                                                                   pl.col("one_shoulder").sum().alias("k"))
                for row in g.sort(levels[scope] if t.metric == "party_member_head_share" else ["hamlet_province"],
                                  nulls_last=True).to_dicts():
                    n, k = int(row["n"]), int(row["k"])
                    need = math.ceil(share * n)
                    out.append({"target": t.id, "scope": scope, "area": " / ".join(str(row[c]) for c in levels[scope]
                                                                                   if c in row),
                                "by": m.by.isoformat(), "required_share": float(share), "n": n, "count": k,
                                "share": round(k / n, 4) if n else None, "meets": k >= need, "short_by": max(0, need - k)})
        return out

    def _open_total(self, known: int | None, undetermined: int, cur: str, unit: str) -> str:
        """``X`` when every amount is known; ``at least X; N … undetermined`` when some are not;
        ``undetermined (N …)`` when none is: an unknown amount is never printed as 0. ``unit`` is
        what is counted (``rows``, ``hamlets``)."""
        n = fmt_int(undetermined, self.lang)
        if not undetermined:
            return fmt_money(known or 0, cur, self.lang)
        if known is None:
            return t(f"summary.open.{unit}-all", self.lang, n=n)
        return t(f"summary.open.{unit}-some", self.lang, amount=fmt_money(known, cur, self.lang), n=n)

    def text(self, data: dict[str, Any]) -> str:
        lang = self.lang
        cur = data["currency"]

        def decision(d: str) -> str:
            return t(f"summary.decision.{d}", lang) if d in DECISION_ORDER else d

        lines = [t("summary.title", lang, pack=data["pack"], hash=data["pack_hash"],
                   date=fmt_date(date.fromisoformat(data["as_of"]), lang)),
                 t("summary.rows", lang, n=fmt_int(data["rows"], lang))]
        for k, v in data["by_decision"].items():
            lines.append(f"  {pad(decision(k), 26)} {fmt_int(v, lang):>12}")
        if data.get("missing"):  # by name: "tỷ lệ phiếu bầu (8 hàng)", not candidate.vote_share
            labels = missing_labels(self.policy, lang)
            lines.append(t("wording.summary.missing", lang, fields=t("phrase.semicolon", lang).join(
                t("wording.summary.missing-count", lang, field=labels.get(path, path), n=fmt_int(n, lang))
                for path, n in data["missing"].items())))
        lines.append(t("summary.allowance", lang, total=self._open_total(
            data["allowance_monthly_at_least"], data["allowance_undetermined_rows"], cur, "rows")))
        if self.policy.fund:
            lines.append(t("summary.fund", lang, total=self._open_total(
                data["fund_monthly_at_least"], data["fund_undetermined_hamlets"], cur, "hamlets")))
        if data["hamlet_heads"]:
            lines.append(t("summary.heads", lang, members=fmt_int(data["hamlet_heads_party_members"], lang),
                           heads=fmt_int(data["hamlet_heads"], lang),
                           share=fmt_share(round(data["hamlet_heads_party_member_share"], 3), lang)))
        if data.get("rosters"):  # with --hamlets: the rosters' verdicts (engine.backends.columnar_roster)
            lines.append(t("summary.rosters", lang, counts=t("phrase.list-separator", lang).join(
                t("summary.roster-count", lang, verdict=t(f"roster.verdict.{v}", lang), n=fmt_int(data["rosters"][v], lang))
                for v in ("ok", "problems", "undetermined") if v in data["rosters"])))
        if data["by_area"]:
            lines.append(t("summary.by-area", lang))
            for row in data["by_area"][:50]:
                counts = t("phrase.list-separator", lang).join(
                    t("summary.area-count", lang, decision=decision(k), n=v)
                    for k, v in row.items() if k not in self.area and v)
                lines.append(f"  {' / '.join(str(row.get(c) or '—') for c in self.area)}: {counts}")
            if len(data["by_area"]) > 50:
                lines.append(f"  {t('summary.more', lang, n=len(data['by_area']) - 50)}")
        if data["targets"]:
            lines.append(t("summary.targets", lang))
            rank = {"province": 0, "district": 1, "commune": 2}
            titles = {ri.id: pack_text(ri.item.title, lang) or ri.id for ri in self.policy.targets}  # by name, not id
            met_communes = 0
            for g in sorted(data["targets"], key=lambda g: (g["target"], rank[g["scope"]])):
                if g["scope"] == "commune" and g["meets"]:
                    met_communes += 1
                    continue
                short = "" if g["meets"] else t("summary.short-by", lang, n=g["short_by"])
                lines.append("  " + t("summary.target", lang, mark="✔" if g["meets"] else "✘", target=titles.get(g["target"], g["target"]),
                                      scope=t(f"summary.scope.{g['scope']}", lang), area=g["area"], count=g["count"],
                                      n=g["n"], share=fmt_share(g["required_share"], lang),
                                      date=fmt_date(date.fromisoformat(g["by"]), lang), short=short))
            if met_communes:
                lines.append(f"  {t('summary.communes-met', lang, n=met_communes)}")
        return "\n".join(lines) + "\n"

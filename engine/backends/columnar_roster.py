"""The roster checks over a whole table, with polars: one row per hamlet (issue 16 §2).

The meaning of each check is ``engine.policy.roster`` (the one-hamlet use case calls it holder by
holder); this is the same meaning computed on the columnar engine's output, grouped by hamlet, so a
province of a million rows is answered in one pass. ``tests/test_roster.py`` holds the two to the
same answers. A sibling of ``columnar``: it reads the columns ``columnar`` writes, never the reverse.

Holders are the rows with a candidate and at least one post (a hamlet with none has an empty
verdict: there is no roster to judge); a row the table check refused
(decision ``error``) is no holder, and its hamlet's roster is at best undetermined: the slate is
not fully known.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from engine.backends.listcols import fields, mask
from engine.policy.roster import VERDICT
from engine.policy.resolved import Snapshot

#: the columns the checks read, as ``columnar.CompiledColumns.evaluate`` names them
READS = ("hamlet__id", "candidate__id", mask("posts"), "allowance_if_appointed_total", "fund_monthly", "fund_applies",
         "decision")
#: the columns of the hamlet table, in order
COLUMNS = ("hamlet_id", "holders", "error_rows", "roster", "failing", "undetermined", "concerned", "fund_monthly",
           "paid_total", "remainder")


def _bits(posts: list[str]) -> int:
    allowed = fields()["posts"]
    return sum(1 << allowed.index(p) for p in posts)


def hamlets(snap: Snapshot, rows: pl.DataFrame) -> pl.DataFrame:
    """One row per hamlet of ``rows`` (the columnar output of every row of a table, in input
    order): the roster's verdict, the checks that fail and those that cannot decide, whom each
    failing check concerns, the fund, what the posts would pay together and the remainder.

    Little text work per hamlet: the hamlets are aggregated from numbers and flags (a holder count
    per post, the paid persons, the sums); the failing checks are bits spelled once per distinct
    combination; the rows of failing hamlets learn, by one join, which checks concern them, and
    only those (row, check) pairs are joined into the ``concerned`` text."""
    h = "hamlet__id"
    amount = pl.col("allowance_if_appointed_total")
    error = pl.col("decision").cast(pl.String) == "error" if rows.schema["decision"] == pl.String else (
        pl.col("decision") == "error")  # an Enum compared as it is: casting a million codes to text costs
    posts = pl.col(mask("posts")).fill_null(0)
    frame = rows.select(READS).with_columns(
        (pl.col("candidate__id").is_not_null() & (posts != 0) & ~error).alias("_holder"), error.alias("_error"))
    holder = pl.col("_holder")

    def has(post_list: list[str] | None, every: bool = False) -> pl.Expr:
        bits = _bits(list(post_list or ()))
        return holder & (((posts & bits) == bits) if every else ((posts & bits) != 0))

    counted: dict[str, pl.Expr] = {}  # per row, summed per hamlet: what the checks count (holders of a post, …)
    for n, (ri, _, _) in enumerate(snap.roster):
        item = ri.item
        for p in item.posts or ():  # holders of each post the check names: whether it applies
            counted[f"_any{n}_{p}"] = has([p])
        if item.check == "one_holder":
            for p in item.posts or fields()["posts"]:
                counted[f"_n_{p}"] = has([p]).cast(pl.Int32)
        elif item.check == "paid_persons":
            counted[f"_paid{n}"] = has(item.posts).cast(pl.Int32)
        elif item.check == "not_together":
            counted[f"_both{n}"] = has(item.posts, every=True)
    # each row's share of the counts first: a group-by sums plain columns on its fast path, while an
    # expression inside it would be evaluated hamlet by hamlet (ten times slower on a province)
    aggregated = {"_holder": "sum", "_error": "sum", "_paid": "sum", "_paid_null": "max",
                  **{k: ("max" if k.startswith(("_both", "_any")) else "sum") for k in counted}}
    per = (frame.lazy()
           .with_columns(pl.when(holder).then(amount).alias("_paid"), (holder & amount.is_null()).alias("_paid_null"),
                         *[e.alias(k) for k, e in counted.items()])
           .group_by(h, maintain_order=True)
           .agg(pl.col("fund_monthly").first(), pl.col("fund_applies").first(),
                *[getattr(pl.col(k), how)() for k, how in aggregated.items()])
           .rename({"_holder": "holders", "_error": "error_rows", "_paid": "_paid_sum", "_paid_null": "_paid_open"})
           .with_columns(pl.col("holders").cast(pl.Int64), pl.col("error_rows").cast(pl.Int64),
                         pl.col("fund_applies").fill_null(False).alias("_applies"))
           .collect())
    per = per.with_columns(pl.when(pl.col("_paid_open")).then(None).otherwise(pl.col("_paid_sum")).cast(pl.Int64)
                           .alias("paid_total"))
    known = pl.col("paid_total").is_not_null() & pl.col("fund_monthly").is_not_null()
    status: list[tuple[str, pl.Expr, pl.Expr]] = []  # (check id, the hamlet fails it, it cannot decide)
    concern: list[pl.Expr] = []  # per check, on a row joined to its hamlet: the check fails and concerns the row
    for n, (ri, limit, _) in enumerate(snap.roster):
        item, no = ri.item, pl.lit(False)
        # a check naming posts no holder holds does not apply (engine.policy.roster): never open
        applies = pl.any_horizontal([pl.col(f"_any{n}_{p}") for p in item.posts]) if item.posts else pl.lit(True)
        if item.check == "one_holder":
            listed = list(item.posts or fields()["posts"])
            status.append((ri.id, pl.any_horizontal([pl.col(f"_n_{p}") > 1 for p in listed]), no))
            concern.append(pl.any_horizontal([has([p]) & (pl.col(f"_n_{p}") > 1) for p in listed]))
        elif item.check == "paid_persons":
            fails = no if limit is None else pl.col(f"_paid{n}") > int(limit)
            status.append((ri.id, fails, pl.lit(limit is None) & applies))
            concern.append(has(item.posts) & fails)
        elif item.check == "within_fund":
            fails = pl.col("_applies") & known & (pl.col("paid_total") > pl.col("fund_monthly"))
            status.append((ri.id, fails, pl.col("_applies") & ~known))
            concern.append(holder & (amount.fill_null(0) != 0) & fails)
        else:  # not_together
            status.append((ri.id, pl.col(f"_both{n}"), no))
            concern.append(has(item.posts, every=True))
    ids = [cid for cid, _, _ in status]
    # the failing and the undecided checks as bits, each combination spelled once (few distinct)
    bits = pl.sum_horizontal([pl.lit(0, pl.Int64), *[f.fill_null(False).cast(pl.Int64) * (1 << n)
                                                      for n, (_, f, _) in enumerate(status)]])
    open_bits = pl.sum_horizontal([pl.lit(0, pl.Int64), *[(o & ~f).fill_null(False).cast(pl.Int64) * (1 << n)
                                                           for n, (_, f, o) in enumerate(status)]])
    per = per.with_columns(bits.alias("_fail_bits"), open_bits.alias("_open_bits"),
                           pl.when(pl.col("_applies")).then(pl.col("fund_monthly") - pl.col("paid_total")).alias("remainder"))

    def spelled(col: str) -> pl.Expr:
        seen = per[col].unique().to_list()
        words = [";".join(c for n, c in enumerate(ids) if b >> n & 1) for b in seen]
        if not seen:  # no hamlet at all: an empty text column
            return pl.col(col).cast(pl.String)
        return pl.col(col).replace_strict(seen, words, return_dtype=pl.String)

    per = per.with_columns(spelled("_fail_bits").alias("failing"), spelled("_open_bits").alias("undetermined"))
    # whom each failing check concerns: the rows of hamlets that fail a check, joined to their
    # hamlet's counts; only the concerned (row, check) pairs become text, in one pass: each pair a
    # token ("; check: id" for a check's first holder in the hamlet, ", id" after it)
    concerned = pl.DataFrame(schema={h: pl.String, "concerned": pl.String})
    if status:
        counts = [h, "_hidx", "fund_monthly", "_applies", "paid_total", *counted]
        failed = frame.drop("fund_monthly", "fund_applies").with_row_index("_order").join(
            per.with_row_index("_hidx").filter(pl.col("_fail_bits") != 0).select(counts), on=h, how="inner")
        if failed.height:
            pairs = (failed.select(h, "_hidx", "candidate__id", "_order",
                                   *[c.fill_null(False).alias(f"_c{n}") for n, c in enumerate(concern)])
                     .unpivot(index=[h, "_hidx", "candidate__id", "_order"], variable_name="_check", value_name="_on")
                     .filter(pl.col("_on"))
                     .with_columns(pl.col("_check").str.slice(2).cast(pl.Int64).alias("_n"))
                     .sort("_hidx", "_n", "_order"))
            first = (pl.col("_n") != pl.col("_n").shift()) | (pl.col("_hidx") != pl.col("_hidx").shift())
            label = pl.col("_n").replace_strict(list(range(len(ids))), ids, return_dtype=pl.String)
            token = pl.when(first.fill_null(True)).then(pl.lit("; ") + label + pl.lit(": ") + pl.col("candidate__id")) \
                .otherwise(pl.lit(", ") + pl.col("candidate__id"))
            concerned = (pairs.with_columns(token.alias("_token"))
                         .group_by(h, maintain_order=True).agg(pl.col("_token").str.join(""))
                         .select(h, pl.col("_token").str.slice(2).alias("concerned")))
    per = per.join(concerned, on=h, how="left", maintain_order="left").with_columns(pl.col("concerned").fill_null(""))
    verdict: Any = pl
    for st, answer in VERDICT:  # the one table of the roster's verdict (engine.policy.roster)
        cond = (pl.col("failing") != "") if st == "fail" else ((pl.col("undetermined") != "") | (pl.col("error_rows") > 0))
        verdict = verdict.when(cond).then(pl.lit(answer))
    # a hamlet no row proposes anyone for (a fund question only) has no roster to judge: empty
    nobody = (pl.col("holders") == 0) & (pl.col("error_rows") == 0)
    per = per.with_columns(pl.when(nobody).then(None).otherwise(verdict.otherwise(pl.lit("ok"))).alias("roster"))
    return per.rename({h: "hamlet_id"}).select(COLUMNS)

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


def _ids(cond: pl.Expr) -> pl.Expr:
    """The holders (in row order) for whom ``cond`` holds, joined by ', '."""
    return pl.col("candidate__id").filter(cond).str.join(", ")


def hamlets(snap: Snapshot, rows: pl.DataFrame) -> pl.DataFrame:
    """One row per hamlet of ``rows`` (the columnar output of every row of a table, in input
    order): the roster's verdict, the checks that fail and those that cannot decide, whom each
    failing check concerns, the fund, what the posts would pay together and the remainder."""
    frame = rows.select(READS).with_row_index("_order")
    error = (pl.col("decision").cast(pl.String) == "error")
    holder = pl.col("candidate__id").is_not_null() & (pl.col(mask("posts")).fill_null(0) != 0) & ~error
    posts = pl.col(mask("posts")).fill_null(0)
    allowed = fields()["posts"]
    aggs: list[pl.Expr] = [holder.sum().alias("holders"), error.sum().alias("error_rows"),
                           pl.col("fund_monthly").first().alias("fund_monthly"),
                           pl.col("fund_applies").first().fill_null(False).alias("_fund_applies"),
                           pl.when(holder).then(pl.col("allowance_if_appointed_total")).sum().alias("_paid_sum"),
                           (holder & pl.col("allowance_if_appointed_total").is_null()).any().alias("_paid_open")]
    checks: list[tuple[str, str]] = []  # (check id, kind)
    for n, (ri, limit, _) in enumerate(snap.roster):
        item, key = ri.item, f"_c{n}"
        checks.append((ri.id, item.check))
        if item.check == "one_holder":
            listed = item.posts or list(allowed)
            counts = {p: (holder & ((posts & _bits([p])) != 0)).sum() for p in listed}
            crowded = pl.any_horizontal([counts[p] > 1 for p in listed])
            concerned_rows = pl.any_horizontal([(holder & ((posts & _bits([p])) != 0)) & (counts[p] > 1)
                                                for p in listed])
            aggs += [crowded.alias(f"{key}_fail"), pl.lit(False).alias(f"{key}_open"),
                     _ids(concerned_rows).alias(f"{key}_who")]
        elif item.check == "paid_persons":
            paid = holder & ((posts & _bits(item.posts)) != 0)
            if limit is None:
                aggs += [pl.lit(False).alias(f"{key}_fail"), pl.lit(True).alias(f"{key}_open"), pl.lit("").alias(f"{key}_who")]
            else:
                aggs += [(paid.sum() > int(limit)).alias(f"{key}_fail"), pl.lit(False).alias(f"{key}_open"),
                         _ids(paid).alias(f"{key}_who")]
        elif item.check == "within_fund":
            pass  # from the sums, below
        else:  # not_together
            both = holder & ((posts & _bits(item.posts)) == _bits(item.posts))
            aggs += [both.any().alias(f"{key}_fail"), pl.lit(False).alias(f"{key}_open"), _ids(both).alias(f"{key}_who")]
    # holders with an amount that is not 0: whom an exceeded fund concerns
    aggs.append(_ids(holder & (pl.col("allowance_if_appointed_total").fill_null(0) != 0)).alias("_paying"))
    per = frame.group_by("hamlet__id", maintain_order=True).agg(aggs)
    paid_total = pl.when(pl.col("_paid_open")).then(None).otherwise(pl.col("_paid_sum")).cast(pl.Int64)
    per = per.with_columns(paid_total.alias("paid_total"))
    remainder = pl.when(pl.col("_fund_applies")).then(pl.col("fund_monthly") - pl.col("paid_total"))
    per = per.with_columns(remainder.alias("remainder"))
    status: list[tuple[str, pl.Expr, pl.Expr, pl.Expr]] = []  # (id, fails, cannot decide, concerned)
    for n, (cid, kind) in enumerate(checks):
        key = f"_c{n}"
        if kind == "within_fund":
            applies = pl.col("_fund_applies")
            known = pl.col("paid_total").is_not_null() & pl.col("fund_monthly").is_not_null()
            status.append((cid, applies & known & (pl.col("paid_total") > pl.col("fund_monthly")), applies & ~known,
                           pl.col("_paying")))
        else:
            status.append((cid, pl.col(f"{key}_fail"), pl.col(f"{key}_open"), pl.col(f"{key}_who")))
    failing = pl.concat_list([pl.when(f).then(pl.lit(cid)) for cid, f, _, _ in status] or [pl.lit(None, pl.String)])
    opened = pl.concat_list([pl.when(o & ~f).then(pl.lit(cid)) for cid, f, o, _ in status] or [pl.lit(None, pl.String)])
    concerned = pl.concat_list([pl.when(f).then(pl.lit(cid) + pl.lit(": ") + who) for cid, f, _, who in status]
                               or [pl.lit(None, pl.String)])
    per = per.with_columns(failing.list.drop_nulls().list.join(";").alias("failing"),
                           opened.list.drop_nulls().list.join(";").alias("undetermined"),
                           concerned.list.drop_nulls().list.join("; ").alias("concerned"))
    verdict: Any = pl
    for st, answer in VERDICT:  # the one table of the roster's verdict (engine.policy.roster)
        cond = (pl.col("failing") != "") if st == "fail" else ((pl.col("undetermined") != "") | (pl.col("error_rows") > 0))
        verdict = verdict.when(cond).then(pl.lit(answer))
    # a hamlet no row proposes anyone for (a fund question only) has no roster to judge: empty
    nobody = (pl.col("holders") == 0) & (pl.col("error_rows") == 0)
    per = per.with_columns(pl.when(nobody).then(None).otherwise(verdict.otherwise(pl.lit("ok"))).alias("roster"))
    return per.rename({"hamlet__id": "hamlet_id"}).select(COLUMNS).with_columns(
        pl.col("holders").cast(pl.Int64), pl.col("error_rows").cast(pl.Int64))

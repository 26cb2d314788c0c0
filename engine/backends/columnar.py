"""The columnar engine: a policy snapshot compiled to polars expressions over whole tables.

It reads the same ``Snapshot`` as the case engine — the same T/F/U formulas, fund rows, rate
rows and grants — and reproduces ``engine.policy.outcome.fold`` column-wise, so the two can only
disagree through a bug, which the parity tests look for. Columns are named like the durable
facts: a case path with dots replaced by ``__`` (``hamlet__population``, ``candidate__age``,
``posts``, ``post_allowances__hamlet_head``).

Criterion statuses are small integers (0 not applicable, 1 pass, 2 fail, 3 unknown, 4 waived)
and text is built only for the columns people read (``failing``, ``missing``), as DESIGN.md's
measurements advise. ``decision`` and ``failing`` are enums and ``missing`` categorical: a
handful of texts repeated on every row, chosen, grouped and written as small integers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from engine.backends import listcols
from engine.lang import UNKNOWN as LANG_UNKNOWN
from engine.lang import evaluate, open_refs, refs
from engine.lang import params as expr_params
from engine.errors import Problems, RuleFileError
from engine.i18n import Msg
from engine.lang import functions
from engine.lang.ast import Arith, Call, Lit, Node, Ref
from engine.lang.logic import FAll, FAny, FAtom, FConst, FHas, FieldOf, FMissing, FPresent, Formula
from engine.contract.decision import DECISIONS
from engine.contract import constraints
from engine.policy.lattice import ADVISES, DECISION_RULES, PAYABLE_RULES, STATUSES, WAIVERS, counted, fundless, grant_use
from engine.policy.resolved import Snapshot
from engine.contract.fields import POSTS

NA, PASS, FAIL, UNKNOWN, WAIVED, APPLIES = 0, 1, 2, 3, 4, 5
CODE = dict(zip(STATUSES, (PASS, FAIL, UNKNOWN, WAIVED))) | {"applies": APPLIES}  # a status as its small integer
_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def column(path: str) -> str:
    return path.replace(".", "__")


def _lit(value: Any) -> pl.Expr:
    if isinstance(value, Decimal):
        return pl.lit(float(value))
    if isinstance(value, date):
        return pl.lit(value, dtype=pl.Date)
    return pl.lit(value)


def formula(f: Formula, prims: dict[Formula, str] | None = None) -> pl.Expr:
    """A positive formula as a boolean expression that is never null.

    With ``prims`` (primitive test → column name), primitive tests read columns computed once
    per chunk instead of being recomputed in every formula that uses them."""
    if prims is not None and f in prims:
        return pl.col(prims[f])
    if isinstance(f, FConst):
        return pl.lit(f.value)
    if isinstance(f, FMissing):
        return pl.col(column(f.path)).is_null()
    if isinstance(f, FPresent):
        return pl.col(column(f.path)).is_not_null()
    if isinstance(f, FHas):
        has = listcols.has(column(f.path), f.item)
        return (has if f.contains else ~has).fill_null(False)
    if isinstance(f, FAtom):
        left = pl.col(column(f.path))
        right = pl.col(column(f.value.path)) if isinstance(f.value, FieldOf) else _lit(f.value)
        return _OPS[f.op](left, right).fill_null(False)
    if isinstance(f, FAll):
        return pl.all_horizontal([formula(i, prims) for i in f.items])
    if isinstance(f, FAny):
        return pl.any_horizontal([formula(i, prims) for i in f.items])
    raise ValueError(f)


def primitives(f: Formula, out: dict[Formula, str]) -> None:
    """Collect the primitive tests of a formula (shared across all formulas of a snapshot)."""
    if isinstance(f, (FAll, FAny)):
        for i in f.items:
            primitives(i, out)
    elif not isinstance(f, FConst) and f not in out:
        out[f] = f"_prim{len(out)}"


def term(node: Node) -> pl.Expr:
    """An arithmetic term (``len(posts)``, ``a + b``) as an expression; null when unknown."""
    if not refs(node):  # a constant (``len(['a', 'b'])``, a parameter): computed once, as the reference does
        value = evaluate(node, {})
        return pl.lit(None) if value is LANG_UNKNOWN else _lit(value)
    if isinstance(node, Ref):
        return pl.col(column(node.path))
    if isinstance(node, Lit):
        return _lit(node.value)
    if isinstance(node, Arith):
        op = functions.form("columnar", node.op)
        if op is not None:
            return op(term(node.left), term(node.right))
    if isinstance(node, Call):
        form = functions.form("columnar", node.fn)
        if form is not None:
            return form(node, term)
    raise ValueError(f"no columnar form for {node!r}")


# the arithmetic operators (``functions.OPERATORS``): polars' own, null where an operand is null

@functions.implements("columnar", "+")
def _add(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return a + b


@functions.implements("columnar", "-")
def _subtract(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return a - b


@functions.implements("columnar", "*")
def _multiply(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return a * b


@functions.implements("columnar", "/")
def _divide(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """True division, null where the divisor is 0 (the reference's unknown; polars would give inf or NaN)."""
    return pl.when(b != 0).then(a / b)


@functions.implements("columnar", "len")
def _len(call: Call, term_: Callable[[Node], pl.Expr]) -> pl.Expr:
    arg = call.args[0]
    if isinstance(arg, Ref) and column(arg.path) in listcols.fields():
        return pl.col(listcols.length(column(arg.path))).cast(pl.Int64)
    return term_(arg).list.len()


@functions.implements("columnar", "years_between")
def _years_between(call: Call, term_: Callable[[Node], pl.Expr]) -> pl.Expr:
    return years_between(term_(call.args[0]), term_(call.args[1]))


@functions.implements("columnar", "months_between")
def _months_between(call: Call, term_: Callable[[Node], pl.Expr]) -> pl.Expr:
    return months_between(term_(call.args[0]), term_(call.args[1]))


def refuse_unsupported(snap: Snapshot) -> None:
    """Refuse, with the rule's location, a pack using a function this engine has no form of
    (when the policy is compiled, never on a row)."""
    policy = snap.policy
    problems = Problems(policy.id)  # every such use, reported together
    for ri in policy.items:
        for key, node in ri.nodes.items():
            for name, why in functions.missing(node, "columnar"):
                problems.add(RuleFileError.of(
                    "columnar.unsupported", ri.origin.where(ri.id, key), key=key, name=name,
                    why=Msg(why) if why is not None else Msg.of("fn.no-form", backend="columnar")))
    problems.raise_if_any()


def years_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Whole years from start to end, counting birthdays (as ``engine.lang.years_between``)."""
    before = (end.dt.month() < start.dt.month()) | (
        (end.dt.month() == start.dt.month()) & (end.dt.day() < start.dt.day()))
    return (end.dt.year().cast(pl.Int32) - start.dt.year().cast(pl.Int32) - before.cast(pl.Int32))


def months_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Whole months from start to end, a month complete when its day comes round (as
    ``engine.lang.functions.months_between``)."""
    year = end.dt.year().cast(pl.Int32) - start.dt.year().cast(pl.Int32)
    month = end.dt.month().cast(pl.Int32) - start.dt.month().cast(pl.Int32)
    return year * 12 + month - (end.dt.day() < start.dt.day()).cast(pl.Int32)


def derived(as_of: date) -> list[pl.Expr]:
    """Fields the engine derives from the case, vectorised: ``engine.contract.fields.DERIVED_AS``
    (``tests/test_contract_once.py`` holds the two to the same ages)."""
    return [years_between(pl.col("candidate__birth_date"), pl.lit(as_of, dtype=pl.Date)).alias("candidate__age")]


class AgeTable:
    """Ages on one as-of date for every birth date of the last 130 years, computed once.

    Splitting a date into year, month and day is calendar arithmetic on every row; a chunk whose
    birth dates all fall in the table looks its ages up by day number instead (several times
    faster), and any other chunk is computed exactly as ``derived`` does."""

    SPAN_YEARS = 130

    def __init__(self, as_of: date):
        self.as_of = as_of
        self.first = date(as_of.year - self.SPAN_YEARS, 1, 1)
        self.offset = (self.first - date(1970, 1, 1)).days
        days = pl.date_range(self.first, as_of, eager=True)
        self.ages = pl.select(years_between(pl.lit(days), pl.lit(as_of, dtype=pl.Date))).to_series()

    def expr(self, frame: pl.DataFrame) -> pl.Expr:
        births = frame["candidate__birth_date"]
        low, high = births.min(), births.max()
        if low is not None and (low < self.first or high > self.as_of):  # type: ignore[operator]
            return derived(self.as_of)[0]
        return pl.lit(self.ages).gather(pl.col("candidate__birth_date").to_physical() - self.offset).alias("candidate__age")


def agency() -> pl.Expr:
    """Each row's unit is surely an agency (``engine.contract.constraints.is_agency``): it has no
    hamlet fund (``engine.policy.lattice.fundless``: ``fund_monthly`` is null there, and not an
    undetermined fund), and a summary, a comparison or a sweep counts it among neither the hamlets'
    funds nor a target's hamlets. Reads ``hamlet__kind`` and the posts' bits."""
    kind = pl.col(column(constraints.UNIT_KIND))
    agency_post = pl.any_horizontal([listcols.has("posts", p).fill_null(False) for p in constraints.AGENCY_POSTS])
    return fundless(kind.is_in(list(constraints.AGENCY_KINDS)).fill_null(False), agency_post)


def _money(base: pl.Expr, rate: Decimal) -> pl.Expr:
    """round-half-up(base × rate) in integers: exact for any decimal rate."""
    n, d = rate.as_integer_ratio()
    return ((base.cast(pl.Int64) * (2 * n) + d) // (2 * d)).cast(pl.Int64)


def _join(parts: list[pl.Expr]) -> pl.Expr:
    """Non-null texts of ``parts`` joined by ';', first occurrence kept."""
    if not parts:
        return pl.lit("")
    return pl.concat_list(parts).list.drop_nulls().list.unique(maintain_order=True).list.join(";")


# Decisions and (below) failing-criteria combinations are enums: a closed set of texts stored as
# small integers, so choosing, grouping and writing them never touches the text (a categorical
# would be re-coded against the process-wide dictionary every time a chunk is written)
DECISION = pl.Enum([*DECISIONS, "error", "skipped"])
AS_OF = column("as_of")  # the as-of date as a column while a chunk is evaluated
_SCRATCH = ("_raw_", "_st_", "_prim", "_held_", "_failing", "_advised", "_undetermined")


def _spell(ids: list[str], bits: int) -> str:
    """The failing criteria whose bits are set, in the policy's order, ';'-joined."""
    return ";".join(cid for i, cid in enumerate(ids) if bits >> i & 1)


class CompiledColumns:
    """One snapshot's expressions; ``evaluate`` adds the decision columns to a frame."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        refuse_unsupported(snap)
        self.terms = {path: term(node) for path, node in snap.terms.items()}
        self.prims: dict[Formula, str] = {}
        for cc in snap.criteria:
            for tfu in (cc.applies, cc.verdict, *(e.verdict for e in cc.exceptions)):
                for f in (tfu.t, tfu.f, tfu.u):
                    primitives(f, self.prims)
        for row in snap.fund + snap.grants:
            for f in (row.verdict.t, row.verdict.u):
                primitives(f, self.prims)
        for f in snap.grant_posts.values():
            primitives(f, self.prims)
        self.ages = AgeTable(snap.as_of)
        # the failing musts (``failing``) and the failing shoulds and mays (``advisories``)
        self.must_ids = [cc.id for cc in snap.criteria if cc.strength == "must"]
        self.advisory_ids = [cc.id for cc in snap.criteria if cc.strength in ADVISES]
        self.stages = self._plan()
        self.missing = self._missing()
        self.missing_reads = sorted(set(self.missing.meta.root_names()))
        # each combination of failing musts / advisories spelled in advance while there are few of them
        self.spelled = self._spelled(self.must_ids)
        self.spelled_advisories = self._spelled(self.advisory_ids)

    @staticmethod
    def _spelled(ids: list[str]) -> pl.Series | None:
        spelled = [_spell(ids, b) for b in range(1 << len(ids))] if len(ids) <= 12 else None
        return pl.Series(spelled, dtype=pl.Enum(spelled)) if spelled is not None else None

    def f(self, formula_: Formula) -> pl.Expr:
        return formula(formula_, self.prims)

    def _plan(self) -> list[list[pl.Expr]]:
        """The expressions ``evaluate`` adds, stage by stage; built once per snapshot and date
        (building them is Python work that would otherwise be repeated for every chunk)."""
        snap = self.snap
        stages: list[list[pl.Expr]] = []
        if self.terms:
            stages.append([e.alias(column(p)) for p, e in self.terms.items()])
        stages.append([formula(p).alias(name) for p, name in self.prims.items()])
        # criterion statuses, before and after exceptions
        raw = []
        for cc in snap.criteria:
            a, c = cc.applies, cc.verdict
            at = self.f(a.t)
            raw.append(pl.when(at & self.f(c.t)).then(PASS).when(at & self.f(c.f)).then(FAIL)
                       .when((at & self.f(c.u)) | self.f(a.u)).then(UNKNOWN).otherwise(NA).cast(pl.Int8))
        stages.append([e.alias(f"_raw_{i}") for i, e in enumerate(raw)])
        final = []
        for i, cc in enumerate(snap.criteria):
            r = pl.col(f"_raw_{i}")
            if cc.exceptions:  # engine.policy.lattice.WAIVERS, first match wins
                waived: Any = pl
                for before, verdict, after in WAIVERS:
                    hit = pl.any_horizontal([self.f(e.verdict.t if verdict == "T" else e.verdict.u) for e in cc.exceptions])
                    waived = waived.when((r == CODE[before]) & hit).then(CODE[after])
                r = waived.otherwise(r)
            final.append(r.cast(pl.Int8).alias(f"_st_{i}"))
        stages.append(final)
        # each status as the decision counts it (engine.policy.lattice.counted, by the criterion's strength)
        st = []
        for i, cc in enumerate(snap.criteria):
            s_ = pl.col(f"_st_{i}")
            recode = {CODE[k]: CODE[counted(cc.strength, k, cc.obligation)] for k in STATUSES}
            if any(k != v for k, v in recode.items()):
                chain_: Any = pl
                for k, v in recode.items():
                    chain_ = chain_.when(s_ == k).then(pl.lit(v, dtype=pl.Int8))
                s_ = chain_.otherwise(s_)
            st.append(s_)
        some = (lambda code: pl.any_horizontal([s == code for s in st])) if st else (lambda code: pl.lit(False))
        has_candidate = pl.col("candidate__id").is_not_null()
        word = lambda w: pl.lit(w, dtype=DECISION)  # noqa: E731
        # engine.policy.lattice.DECISION_RULES as one when-chain, first match wins
        tests = {"no_candidate": ~has_candidate,
                 "none_applies": ~pl.any_horizontal([s != NA for s in st]) if st else pl.lit(True)}
        chain: Any = pl
        for when, word_ in DECISION_RULES:
            if when.kind == "always":
                decision = chain.otherwise(word(word_))
                break
            chain = chain.when(some(CODE[str(when.status)]) if when.kind == "some" else tests[when.kind]).then(word(word_))
        # failing musts and failing shoulds/mays as bits; each combination a chunk has is spelled once (_text)
        stages.append([
            decision.alias("decision"),
            self._bits(self.must_ids).alias("_failing"),
            self._bits(self.advisory_ids).alias("_advised"),
            (some(UNKNOWN) & ~some(FAIL)).alias("_undetermined"),
            self._fund().alias("fund_monthly"),
            self._fund_applies().alias("fund_applies"),
            *[listcols.has("posts", p).fill_null(False).alias(f"_held_{p}") for p in POSTS],
        ])
        stages.append(self._lines())
        stages.append([self._total().alias("allowance_if_appointed_total"), self._grants().alias("grant_yearly")])
        stages.append([self._payable().alias("allowance_monthly_total")])
        # the one definition of "an amount owed is not known": a candidate, and no payable figure
        # (summary, compare and sweeps count these apart; a hamlet without a candidate owes none)
        stages.append([(pl.col("candidate__id").is_not_null() & pl.col("allowance_monthly_total").is_null())
                       .alias("allowance_open")])
        return stages

    def _bits(self, ids: list[str]) -> pl.Expr:
        """The criteria of ``ids`` that fail (after their exceptions), as bits in ``ids``' order."""
        index = {cc.id: i for i, cc in enumerate(self.snap.criteria)}
        bits = [pl.when(pl.col(f"_st_{index[cid]}") == FAIL).then(pl.lit(1 << b, dtype=pl.Int64)).otherwise(0)
                for b, cid in enumerate(ids)]
        return pl.sum_horizontal(bits) if bits else pl.lit(0, dtype=pl.Int64)

    def evaluate(self, frame: pl.DataFrame) -> pl.DataFrame:
        # the as-of date is a term of the language (``as_of``), the same on every row: a literal
        # column for the stages that read it, dropped from the output (it is the run's, not the row's)
        lazy = frame.lazy().with_columns(self.ages.expr(frame), pl.lit(self.snap.as_of, dtype=pl.Date).alias(AS_OF))
        for stage in self.stages:
            lazy = lazy.with_columns(stage)
        out = self._with_missing(lazy.collect())
        return out.select([c for c in out.columns if not c.startswith(_SCRATCH) and c != AS_OF]
                          + [self._text(out["_failing"], self.must_ids, self.spelled).alias("failing"),
                             self._text(out["_advised"], self.advisory_ids, self.spelled_advisories).alias("advisories")])

    @staticmethod
    def _text(bits: pl.Series, ids: list[str], spelled: pl.Series | None) -> pl.Series:
        if spelled is not None:
            return spelled.gather(bits)
        distinct = bits.unique().to_list()
        return bits.replace_strict(distinct, [_spell(ids, b) for b in distinct], return_dtype=pl.Categorical)

    # -- missing fields --------------------------------------------------------------------
    def _with_missing(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``missing`` for undetermined rows only: few rows, and de-duplicating is list work."""
        undetermined = frame["_undetermined"]
        missing = pl.repeat("", frame.height, dtype=pl.Categorical, eager=True).alias("missing")
        if undetermined.any():
            idx = undetermined.arg_true()
            values = frame.select(self.missing_reads).filter(undetermined).select(
                self.missing.cast(pl.Categorical).alias("missing"))["missing"]
            missing = missing.scatter(idx, values)
        return frame.with_columns(missing)

    def _missing(self) -> pl.Expr:
        snap = self.snap
        parts: list[pl.Expr] = []
        for i, cc in enumerate(snap.criteria):
            if cc.strength != "must":  # a should's or a may's unknowns never leave the decision open
                continue
            raw, final = pl.col(f"_raw_{i}"), pl.col(f"_st_{i}")
            if cc.exceptions:
                exc_unknown = (raw == FAIL) & (final == UNKNOWN)
                for e in cc.exceptions:
                    maybe = exc_unknown & self.f(e.verdict.u)
                    parts += [pl.when(maybe & pl.col(column(p)).is_null()).then(pl.lit(p)) for p in open_refs(e.condition)]
                    parts += [pl.when(maybe).then(pl.lit(f"params.{p}")) for p in expr_params(e.condition)
                              if snap.params.get(p) is None]
            own = raw == UNKNOWN
            paths = cc.reads
            parts += [pl.when(own & pl.col(column(p)).is_null()).then(pl.lit(p)) for p in paths]
            parts += [pl.when(own).then(pl.lit(f"params.{p}")) for p in expr_params(cc.condition)
                      if snap.params.get(p) is None]
        return _join(parts)

    # -- money ------------------------------------------------------------------------------
    def _fund(self) -> pl.Expr:
        snap = self.snap
        base = snap.fund_base_value
        out: pl.Expr = pl.lit(None, dtype=pl.Int64)
        for row in reversed(snap.fund):
            t, u = self.f(row.verdict.t), self.f(row.verdict.u)
            amount = None if (row.value is None or base is None) else _money(pl.lit(int(base)), Decimal(row.value))
            value = pl.when(u).then(pl.lit(None, dtype=pl.Int64)).otherwise(
                amount if amount is not None else pl.lit(None, dtype=pl.Int64))
            out = pl.when(t | u).then(value).otherwise(out)
        return pl.when(agency()).then(pl.lit(None, dtype=pl.Int64)).otherwise(out)

    def _fund_applies(self) -> pl.Expr:
        """A fund row is in force for the hamlet (surely or maybe), as ``fold``'s ``fund_row``: what
        the roster's within-fund check reads (no fund row: the check does not apply)."""
        out: pl.Expr = pl.lit(False)
        for row in self.snap.fund:
            out = out | self.f(row.verdict.t) | self.f(row.verdict.u)
        return out & ~agency()  # an agency has no hamlet fund (lattice.fundless), as in _fund

    def _lines(self) -> list[pl.Expr]:
        """Each post's amount if appointed. The rate comes from ``Snapshot.rate_row`` (the one
        first-hit reading of the rate table) for each status and position, spelled as one
        expression per post; with the status unknown, from ``Snapshot.status_free_rate``."""
        from engine.contract.fields import STATUSES

        snap = self.snap
        status = pl.col("candidate__status")
        exprs = []
        for i, p in enumerate(POSTS):
            held = pl.col(f"_held_{p}") & pl.col("candidate__id").is_not_null()
            is_first = (pl.col(listcols.first("posts")) == i).fill_null(False)
            supplied = pl.col(column(f"post_allowances.{p}"))
            param_base = snap.post_amounts.get(p, (None, []))[0]
            base = supplied if param_base is None else supplied.fill_null(pl.lit(int(param_base)))
            by_position = []
            for first in (True, False):
                amount: pl.Expr = pl.lit(None, dtype=pl.Int64)
                for s in STATUSES:
                    row = snap.rate_row(p, snap.role(s, first), s)
                    value = self._rate_amount(base, None if row is None else (row.value, (row.id,)))
                    amount = pl.when(status == s).then(value).otherwise(amount)
                # status unknown: settled only where every status would be paid the same rate
                unknown = self._rate_amount(base, snap.status_free_rate(p, first))
                by_position.append(pl.when(status.is_null()).then(unknown).otherwise(amount))
            exprs.append(pl.when(held).then(pl.when(is_first).then(by_position[0]).otherwise(by_position[1]))
                         .otherwise(pl.lit(None, dtype=pl.Int64)).alias(f"amount_{p}"))
        return exprs

    @staticmethod
    def _rate_amount(base: pl.Expr, settled: tuple[Any, tuple[str, ...]] | None) -> pl.Expr:
        if settled is None or settled[0] is None:
            return pl.lit(None, dtype=pl.Int64)
        if Decimal(settled[0]) == 0:
            return pl.lit(0, dtype=pl.Int64)
        return _money(base, Decimal(settled[0]))

    def _payable(self) -> pl.Expr:
        """``engine.policy.lattice.PAYABLE_RULES`` as an expression: 0 if ineligible, null if undetermined."""
        decision = pl.col("decision")
        posts = pl.col(listcols.mask("posts"))
        results = {"zero": pl.lit(0, dtype=pl.Int64), "unknown": pl.lit(None, dtype=pl.Int64),
                   "if_appointed": pl.col("allowance_if_appointed_total")}
        chain: Any = pl
        for owed, result in PAYABLE_RULES:
            if owed.kind == "always":
                return chain.otherwise(results[result])
            chain = chain.when(decision == owed.decision if owed.kind == "decision" else posts.is_null()).then(results[result])
        raise AssertionError("PAYABLE_RULES ends with an 'always' rule")

    def _total(self) -> pl.Expr:
        posts = pl.col(listcols.mask("posts"))
        has_candidate = pl.col("candidate__id").is_not_null()
        held = [pl.col(f"_held_{p}") for p in POSTS]
        amounts = [pl.col(f"amount_{p}") for p in POSTS]
        all_known = pl.all_horizontal([~h | a.is_not_null() for h, a in zip(held, amounts)])
        total = pl.sum_horizontal([pl.when(h).then(a).otherwise(0) for h, a in zip(held, amounts)]).cast(pl.Int64)
        return (pl.when(~has_candidate).then(pl.when(posts.is_not_null()).then(pl.lit(0, dtype=pl.Int64)))
                .when(posts.is_null()).then(pl.lit(None, dtype=pl.Int64))
                .when(pl.col(listcols.length("posts")) == 0).then(pl.lit(0, dtype=pl.Int64))
                .when(all_known).then(total)
                .otherwise(pl.lit(None, dtype=pl.Int64)))

    def _grants(self) -> pl.Expr:
        snap = self.snap
        if not snap.policy.grants:  # a pack that pays no grant on any date: no figure at all
            return pl.lit(None, dtype=pl.Int64)
        if not snap.grants:  # a pack with grants, none in force on the date: surely none (Henan before 2019)
            return pl.lit(0, dtype=pl.Int64)
        decision = pl.col("decision")
        exists, settled, amounts = [], [], []
        for g in snap.grants:
            posts_f = self.f(snap.grant_posts[g.id])
            t = posts_f & self.f(g.verdict.t)
            u = posts_f & self.f(g.verdict.u)
            line, ok = grant_use(t, u, decision.is_in(list(g.ri.item.requires)), decision == "undetermined",
                                 pl.lit(g.value is not None))
            exists.append(line)
            settled.append(ok)
            amounts.append(pl.when(ok).then(pl.lit(int(g.value) if g.value is not None else 0)).otherwise(0))
        any_line = pl.any_horizontal(exists)
        all_settled = pl.all_horizontal([~e | s for e, s in zip(exists, settled)])
        # a pack with grants: 0 where surely no grant applies, null only where one might and its
        # amount is not known (so a comparison can tell a lost grant from an unknown one)
        return (pl.when(~any_line).then(pl.lit(0, dtype=pl.Int64))
                .when(all_settled).then(pl.sum_horizontal(amounts).cast(pl.Int64))
                .otherwise(pl.lit(None, dtype=pl.Int64)))


_CACHE: dict[tuple[str, date], CompiledColumns] = {}


def compiled(snap: Snapshot) -> CompiledColumns:
    """Cached per snapshot key *and date*: unlike the durable facts, which are derived per case
    by ``engine.backends.facts``, the columnar engine derives ages from the snapshot's own date."""
    key = (snap.key, snap.as_of)
    cc = _CACHE.get(key)
    if cc is None:
        cc = _CACHE[key] = CompiledColumns(snap)
    return cc


def schema() -> dict[str, pl.DataType]:
    """The normalized input columns: every case path the rules may read, typed."""
    from engine.contract.fields import DERIVED, catalogue

    out: dict[str, Any] = {}
    for path, ft in catalogue().items():
        if path in DERIVED or path == "as_of":
            continue
        if ft.kind == "number":
            dtype: Any = pl.Float64 if ft.share else pl.Int64
        else:
            dtype = {"bool": pl.Boolean, "str": pl.String, "date": pl.Date, "list": pl.String}[ft.kind]
        out[column(path)] = dtype
    for p in POSTS:
        out[column(f"post_allowances.{p}")] = pl.Int64
    return out


def frame_from_envs(envs: list[dict[str, Any]]) -> pl.DataFrame:
    """Flattened cases (``engine.backends.facts.flatten``) as a normalized frame (tests and benchmarks)."""
    sch = schema()
    data: dict[str, Any] = {}
    for name, dtype in sch.items():
        if name in listcols.fields():
            data.update(listcols.from_values([env.get(name.replace("__", ".")) for env in envs], name))
        elif name.startswith("post_allowances__"):
            data[name] = pl.Series(name, [(env.get("post_allowances") or {}).get(name.split("__", 1)[1]) for env in envs],
                                   dtype=dtype)
        else:
            data[name] = pl.Series(name, [env.get(name.replace("__", ".")) for env in envs], dtype=dtype)
    return pl.DataFrame(data)

"""The generic step library: one implementation per phrasebook step, bound in both languages.

Nothing here is specific to a pack or a rule, so a drafter's new ``.feature`` file runs without
any Python change. A pytest plugin (``engine.bdd.plugin`` registers it): the steps are fixtures.
What a run is configured with (rules folders, the proposal and its pack) and what it records
(each evaluation, for rule coverage) live in the run's ``FeatureSession`` in ``config.stash``,
never in this module. A failing check raises ``StepFailure`` with the expected and actual values
and the engine's own explanation of the case, in the feature's language (its texts are codes of
``engine/messages/<lang>/features.yaml``, ``feature.check.*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

import pytest
from pytest_bdd import given, parsers, then, when

from engine.bdd import phrasebook
from engine.bdd.dialect import dialect
from engine.bdd.phrasebook import StepValueError, undetermined
from engine.contract.decision import Decision, RosterDecision
from engine.contract.dossier import read_case, read_roster
from engine.errors import InputError, KiemnhiemError, Where
from engine.i18n import LANGS, t
from engine.explain.reasons import explain
from engine.explain.render import render, to_text
from engine.one_case import decide
from engine.one_hamlet import decide_roster, evaluate_roster
from engine.policy.loader import load_policy
from engine.policy.sets import with_params
from engine.policy.outcome import Outcome
from engine.policy.resolved import Policy, Snapshot

SESSION = pytest.StashKey["FeatureSession"]()
_T = TypeVar("_T")


class StepFailure(Exception):
    """A check of a scenario that does not hold: what was checked, the values, the explanation."""

    def __init__(self, message: str, expected: str | None = None, actual: str | None = None,
                 detail: str | None = None, explanation: str = "") -> None:
        super().__init__(message)
        self.message, self.expected, self.actual, self.detail, self.explanation = message, expected, actual, detail, explanation


@dataclass
class FeatureSession:
    """One run's configuration and what it records; lives in ``config.stash[SESSION]``."""

    rules: tuple[Path, ...] = ()
    proposal: Path | None = None
    proposal_pack: str | None = None
    features: Path | None = None  # None: the shipped features
    policies: dict[str, Policy] = field(default_factory=dict)
    evaluations: list[tuple[str, str, set[tuple[str, str, str]]]] = field(default_factory=list)  # nodeid, pack, exercised

    def load(self, pack: str) -> Policy:
        """The pack, with the drafter's proposal applied when one is given for it (cached for this run)."""
        if pack not in self.policies:
            proposal = self.proposal if self.proposal_pack == pack else None
            self.policies[pack] = load_policy(pack, list(self.rules), proposal)
        return self.policies[pack]

    def load_set(self, pack: str, written: Mapping[str, str]) -> Policy:
        """The pack with parameters set on every date (a scenario's ``the parameter "x" is v``),
        each value read by its parameter's kind; cached for this run like the pack itself."""
        base = self.load(pack)
        key = f"{pack}|" + "|".join(f"{k}={v}" for k, v in sorted(written.items()))
        if key not in self.policies:
            for name in written:
                if name not in base.params:
                    raise InputError.of("feature.param.unknown", Where(field=f"params.{name}"), pack=pack,
                                        name=repr(name), known=", ".join(sorted(base.params)))
            sets = {name: phrasebook.parse_param_value(base.params[name].kind, text) for name, text in written.items()}
            proposal = self.proposal if self.proposal_pack == pack else None
            self.policies[key] = with_params(pack, sets, self.rules, proposal)
        return self.policies[key]


def session_of(config: pytest.Config) -> FeatureSession:
    if SESSION not in config.stash:
        config.stash[SESSION] = FeatureSession()
    return config.stash[SESSION]


@dataclass
class Bdd:
    nodeid: str
    session: FeatureSession
    lang: str = "en"
    pack: str | None = None
    as_of: date | None = None
    hamlet: dict[str, Any] = field(default_factory=lambda: {"id": "hamlet"})
    candidate: dict[str, Any] | None = None
    posts: list[str] | None = None
    post_allowances: dict[str, int] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # parameter → value as written, set on every date
    decision: Decision | None = None
    holders: list[dict[str, Any]] = field(default_factory=list)  # a hamlet's roster, when given
    roster: RosterDecision | None = None

    def fail(self, code: str, detail: str | None = None, expected: Any = "", actual: Any = "", **params: Any) -> NoReturn:
        """Fail with the check (``code`` of the catalogues, filled with ``params``), expected and
        actual values (``None``: undetermined), the relevant part of the explanation, then the whole of it."""
        self.fail_with(t(code, self.lang, **params), detail, expected, actual)

    def fail_with(self, message: str, detail: str | None = None, expected: Any = "", actual: Any = "") -> NoReturn:
        """``fail`` with a message already in the feature's language (a user error's, a value's)."""
        explanation = (to_text(self.decision) if self.decision is not None
                       else render(self.roster) if self.roster is not None else "")
        shown = {} if expected == "" and actual == "" else {
            "expected": undetermined(self.lang) if expected is None else str(expected),
            "actual": undetermined(self.lang) if actual is None else str(actual)}
        raise StepFailure(message, detail=detail, explanation=explanation, **shown)

    def need_decision(self) -> Decision:
        if self.decision is None:
            words = dialect(self.lang)
            self.fail("feature.check.not-evaluated",
                      step=words.joined(words.shown["when"], phrasebook.STEPS_BY_KEY["evaluate"].sentence(self.lang)))
        assert self.decision is not None
        return self.decision

    def need_roster(self) -> RosterDecision:
        if self.roster is None:
            words = dialect(self.lang)
            self.fail("feature.check.no-roster", step=words.joined(
                words.shown["given"], phrasebook.STEPS_BY_KEY["holder"].sentence(self.lang)))
        assert self.roster is not None
        return self.roster

    def read(self, parse: Callable[[str], _T], text: str) -> _T:
        """A step's value read with ``parse``; one that cannot be read fails the step in its language."""
        try:
            return parse(text)
        except StepValueError as exc:
            self.fail_with(exc.text(self.lang))


@pytest.fixture
def bdd(request: pytest.FixtureRequest) -> Bdd:
    return Bdd(nodeid=request.node.nodeid, session=session_of(request.config),
               lang=getattr(request.node, "_kiemnhiem_lang", "en"))


def _user_error(exc: KiemnhiemError, ctx: Bdd) -> NoReturn:
    raise StepFailure(exc.message(ctx.lang)) from None


# -- given ------------------------------------------------------------------------------------


def step_pack(bdd: Bdd, pack: str) -> None:
    try:
        bdd.session.load(pack)
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    bdd.pack = pack


def step_as_of(bdd: Bdd, day: str) -> None:
    try:
        bdd.as_of = date.fromisoformat(day.strip())
    except ValueError:
        bdd.fail("feature.check.not-a-date", day=repr(day))


def _table(bdd: Bdd, owner: str, datatable: list[list[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for row in datatable:
        if len(row) < 2 or row[0].strip() in phrasebook.FIELD_HEADERS:
            continue
        name = row[0].strip()
        path = name if "." in name else f"{owner}.{name}"
        try:
            value = phrasebook.parse_field_value(path, row[1])
        except KiemnhiemError as exc:
            _user_error(exc, bdd)
        if value is not None:
            values[path.split(".", 1)[1]] = value
    return values


def step_hamlet(bdd: Bdd, datatable: list[list[str]]) -> None:
    bdd.hamlet = {"id": "hamlet", **_table(bdd, "hamlet", datatable)}


def step_unit(bdd: Bdd, datatable: list[list[str]]) -> None:
    """An agency or unit: the same record as a hamlet (``unit:`` in a dossier), with the same fields
    (``kind``, ``province``, ``commune`` …), so that a board vetting an agency's secretary need not
    call the agency a hamlet."""
    bdd.hamlet = {"id": "unit", **_table(bdd, "hamlet", datatable)}


def step_candidate(bdd: Bdd, datatable: list[list[str]]) -> None:
    bdd.candidate = {"id": "candidate", **_table(bdd, "candidate", datatable)}


def _target(bdd: Bdd, path: str) -> tuple[dict[str, Any], str]:
    owner, _, name = path.partition(".")
    if owner == "hamlet":
        return bdd.hamlet, name
    if owner == "candidate":
        if bdd.candidate is None:
            bdd.candidate = {"id": "candidate"}
        return bdd.candidate, name
    bdd.fail("feature.check.field-owner", field=repr(path))
    raise AssertionError


def step_set_field(bdd: Bdd, field: str, value: str) -> None:
    try:
        parsed = phrasebook.parse_field_value(field, value)
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    target, name = _target(bdd, field)
    if parsed is None:
        target.pop(name, None)
    else:
        target[name] = parsed


def step_unset_field(bdd: Bdd, field: str) -> None:
    try:
        phrasebook.parse_field_value(field, "")  # checks the field exists
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    target, name = _target(bdd, field)
    target.pop(name, None)


def step_posts(bdd: Bdd, posts: str) -> None:
    bdd.posts = [p.strip() for p in posts.replace(";", ",").split(",") if p.strip()]


def step_param(bdd: Bdd, param: str, value: str) -> None:
    """A parameter set on every date for this scenario (read by its kind when the case is evaluated)."""
    bdd.params[param.strip().removeprefix("params.")] = value


def step_post_allowance(bdd: Bdd, post: str, amount: str) -> None:
    try:
        value = phrasebook.parse_amount(amount)
    except StepValueError as exc:
        value, reason = None, exc.text(bdd.lang)
    else:
        reason = ""
    if value is None:
        bdd.fail_with(t("feature.check.allowance-not-amount", bdd.lang, post=repr(post), value=repr(amount.strip()),
                        reason=reason).rstrip())
    bdd.post_allowances[post] = value


def step_holder(bdd: Bdd, id: str, posts: str, datatable: list[list[str]]) -> None:
    """One person of the hamlet's roster: the case is then the roster (``engine.one_hamlet``)."""
    held = [p.strip() for p in posts.replace(";", ",").split(",") if p.strip()]
    bdd.holders.append({"candidate": {"id": id.strip(), **_table(bdd, "candidate", datatable)}, "posts": held})


# -- when -------------------------------------------------------------------------------------


def step_evaluate(bdd: Bdd) -> None:
    if bdd.pack is None or bdd.as_of is None:
        bdd.fail("feature.check.no-pack-or-date", background=dialect(bdd.lang).shown["background"])
    try:
        policy = bdd.session.load_set(bdd.pack, bdd.params) if bdd.params else bdd.session.load(bdd.pack)
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    except StepValueError as exc:
        bdd.fail_with(exc.text(bdd.lang))
    if bdd.holders:
        _evaluate_roster(bdd, policy)
        return
    data: dict[str, Any] = {"hamlet": bdd.hamlet}
    if bdd.candidate is not None:
        data["candidate"] = bdd.candidate
    if bdd.posts is not None:
        data["posts"] = bdd.posts
    if bdd.post_allowances:
        data["post_allowances"] = bdd.post_allowances
    try:
        case = read_case(data, bdd.nodeid, bdd.as_of)
        outcome, env = decide(policy, case, bdd.as_of)
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    snap = policy.snapshot(bdd.as_of)
    bdd.decision = explain(snap, case, env, outcome, bdd.lang)
    bdd.session.evaluations.append((bdd.nodeid, policy.id, exercised(snap, outcome)))


def _evaluate_roster(bdd: Bdd, policy: Policy) -> None:
    assert bdd.as_of is not None
    data: dict[str, Any] = {"hamlet": bdd.hamlet, "holders": bdd.holders}
    if bdd.candidate is not None or bdd.posts is not None:
        bdd.fail("feature.check.roster-and-candidate")
    if bdd.post_allowances:
        data["post_allowances"] = bdd.post_allowances
    try:
        roster = read_roster(data, bdd.nodeid, bdd.as_of)
        judged = decide_roster(policy, roster, bdd.as_of)
        bdd.roster = evaluate_roster(policy, roster, bdd.as_of, bdd.lang, judged=judged)
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    snap = policy.snapshot(bdd.as_of)
    done = set().union(*(exercised(snap, o) for _, o, _ in judged))
    checks = {ri.id: ri for ri, _, _ in snap.roster}
    done |= {(checks[c.id].origin.pack, c.id, c.status) for c in bdd.roster.checks if c.status in ("pass", "fail")}
    bdd.session.evaluations.append((bdd.nodeid, policy.id, done))


def exercised(snap: Snapshot, o: Outcome) -> set[tuple[str, str, str]]:
    """(origin pack, rule id, pass|fail) for every rule this evaluation put to the test."""
    out: set[tuple[str, str, str]] = set()
    for cc in snap.criteria:
        status = o.statuses.get(cc.id)
        if status in ("pass", "fail", "waived"):
            out.add((cc.ri.origin.pack, cc.id, "pass" if status == "pass" else "fail"))
        if o.verdicts.criteria.get(cc.id) == "fail":
            for e in cc.exceptions:
                out.add((e.ri.origin.pack, e.id, "pass" if o.waived_by.get(cc.id) == e.id else "fail"))
    if o.fund_row is not None:
        for row in snap.fund:
            out.add((row.ri.origin.pack, row.id, "pass" if row.id == o.fund_row else "fail"))
    for line in o.lines:
        if line.kind == "post" and line.role is not None:
            for row in snap.rates:
                out.add((row.ri.origin.pack, row.id, "pass" if row.id == line.rate_row else "fail"))
    paid = {ln.post for ln in o.lines if ln.kind == "grant" and ln.amount is not None}
    for g in snap.grants:
        out.add((g.ri.origin.pack, g.id, "pass" if g.id in paid else "fail"))
    return out


# -- then -------------------------------------------------------------------------------------


def step_decision(bdd: Bdd, decision: str) -> None:
    d = bdd.need_decision()
    want = phrasebook.DECISION_WORDS.get(decision.strip().lower())
    if want is None:
        bdd.fail("feature.check.unknown-decision", decision=repr(decision))
    if d.decision != want:
        bdd.fail("feature.check.decision", expected=want, actual=d.decision)


def step_criterion(bdd: Bdd, rule: str, status: str) -> None:
    d = bdd.need_decision()
    want = phrasebook.STATUS_WORDS.get(status.strip().lower())
    if want is None:
        bdd.fail("feature.check.unknown-status", status=repr(status))
    got = next((c.status for c in d.criteria if c.id == rule), "not_applicable")
    if got != want:
        bdd.fail("feature.check.criterion", expected=want, actual=got, rule=rule)


def step_condition(bdd: Bdd, exception: str) -> None:
    d = bdd.need_decision()
    if exception not in [c.id for c in d.conditions]:
        bdd.fail("feature.check.no-condition", exception=exception)


def step_missing(bdd: Bdd, field: str) -> None:
    d = bdd.need_decision()
    if field not in d.missing:
        bdd.fail("feature.check.not-missing", field=field, missing=d.missing)


def _amount_equal(bdd: Bdd, what: str, got: int | None, expected: str) -> None:
    want = bdd.read(phrasebook.parse_amount, expected)
    if got != want:
        bdd.fail(what, expected=want, actual=got)


def step_fund(bdd: Bdd, amount: str) -> None:
    d = bdd.need_decision()
    if d.fund is None:  # no fund at all (an agency, a pack without a fund table) is not an undetermined one
        bdd.fail("feature.check.fund-none")
    _amount_equal(bdd, "feature.check.fund", d.fund.monthly, amount)


def step_no_fund(bdd: Bdd) -> None:
    d = bdd.need_decision()
    if d.fund is not None:
        bdd.fail("feature.check.fund-exists", fund=d.fund.sentence)


def step_fund_coefficient(bdd: Bdd, coefficient: str) -> None:
    d = bdd.need_decision()
    got = Decimal(str(d.fund.coefficient)) if d.fund and d.fund.coefficient is not None else None
    want = bdd.read(phrasebook.parse_number, coefficient)
    if got != want:
        bdd.fail("feature.check.fund-coefficient", expected=want, actual=got)


def _line(bdd: Bdd, post: str):
    d = bdd.need_decision()
    lines = {ln.post: ln for ln in (d.allowance.lines if d.allowance else [])}
    if post not in lines:
        bdd.fail("feature.check.no-line", post=repr(post), lines=list(lines))
    return lines[post]


def _line_detail(bdd: Bdd, line) -> str:
    from engine.explain.render import _cite, _line_text

    d = bdd.need_decision()
    src = _cite(line.source, bdd.lang)
    return f"{_line_text(d, line, bdd.lang)} [{line.rule}; {src}]"


def step_line_amount(bdd: Bdd, post: str, amount: str) -> None:
    line = _line(bdd, post)
    want = bdd.read(phrasebook.parse_amount, amount)
    if line.amount != want:
        bdd.fail("feature.check.line-amount", _line_detail(bdd, line), expected=want, actual=line.amount, post=post)


def _pct(x) -> str:
    return "—" if x is None else f"{format((Decimal(str(x)) * 100).normalize(), 'f')} %"


def step_line_rate(bdd: Bdd, post: str, rate: str) -> None:
    line = _line(bdd, post)
    want = bdd.read(phrasebook.parse_share, rate)
    if line.rate is None or Decimal(str(line.rate)) != want:
        bdd.fail("feature.check.line-rate", _line_detail(bdd, line), expected=_pct(want),
                 actual=None if line.rate is None else _pct(line.rate), post=post)


def step_total(bdd: Bdd, amount: str) -> None:
    d = bdd.need_decision()
    _amount_equal(bdd, "feature.check.total", d.allowance.monthly_total if d.allowance else None, amount)


def step_yearly(bdd: Bdd, amount: str) -> None:
    d = bdd.need_decision()
    _amount_equal(bdd, "feature.check.yearly", d.allowance.yearly_total if d.allowance else None, amount)


def step_counterfactual(bdd: Bdd, text: str) -> None:
    d = bdd.need_decision()
    if not any(text in cf.sentence for cf in d.counterfactuals):
        bdd.fail("feature.check.no-counterfactual", text=repr(text))


def step_advisory(bdd: Bdd, rule: str) -> None:
    d = bdd.need_decision()
    if rule not in [a.criterion for a in d.advisories]:
        bdd.fail("feature.check.no-advisory", rule=rule, advisories=[a.criterion for a in d.advisories])


def step_no_advisory(bdd: Bdd) -> None:
    d = bdd.need_decision()
    if d.advisories:
        bdd.fail("feature.check.advisories", advisories=[a.criterion for a in d.advisories])


def step_note(bdd: Bdd, rule: str) -> None:
    d = bdd.need_decision()
    if rule not in [n.id for n in d.notes]:
        bdd.fail("feature.check.no-note", rule=rule, notes=[n.id for n in d.notes])


def step_roster(bdd: Bdd, verdict: str) -> None:
    rd = bdd.need_roster()
    want = phrasebook.ROSTER_WORDS.get(verdict.strip().lower())
    if want is None:
        bdd.fail("feature.check.unknown-roster", verdict=repr(verdict), words=sorted(phrasebook.ROSTER_WORDS))
    if rd.roster != want:
        bdd.fail("feature.check.roster", expected=want, actual=rd.roster)


def step_roster_problem(bdd: Bdd, holder: str, rule: str) -> None:
    rd = bdd.need_roster()
    told = {str(d.case_id).rsplit("/", 1)[-1]: [r.id for r in d.roster] for d in rd.holders}
    if holder not in told:
        bdd.fail("feature.check.no-holder", holder=repr(holder), holders=list(told))
    if rule not in told[holder]:
        bdd.fail("feature.check.roster-problem", holder=holder, rule=rule, told=told[holder])


def step_roster_remainder(bdd: Bdd, amount: str) -> None:
    rd = bdd.need_roster()
    _amount_equal(bdd, "feature.check.roster-remainder", rd.fund.remainder if rd.fund else None, amount)


# -- binding: every phrasebook step, in every language, to its one implementation --------------

_DECORATORS = {"given": given, "when": when, "then": then}
for _step in phrasebook.STEPS:
    _impl = globals()[f"step_{_step.key}"]
    for _lang in LANGS:
        _DECORATORS[_step.kind](parsers.re(phrasebook.step_regex(_step.sentence(_lang)).pattern))(_impl)

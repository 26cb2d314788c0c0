"""The generic step library: one implementation per phrasebook step, bound in both languages.

Nothing here is specific to a pack or a rule, so a drafter's new ``.feature`` file runs without
any Python change. Each evaluation is recorded for rule coverage (``tests/conftest.py``). A
failing check raises with the engine's own explanation of the case, in the feature's language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from engine import api
from engine.bdd import phrasebook
from engine.contract.decision import Decision
from engine.errors import KiemnhiemError
from engine.policy.outcome import Outcome
from engine.policy.resolved import Policy, Snapshot
from engine.explain.render import to_text

_POLICIES: dict[tuple[str, str | None], Policy] = {}
EVALUATIONS: list[tuple[str, str, set[tuple[str, str, str]]]] = []  # nodeid, pack, {(origin, rule, direction)}


def load(pack: str) -> Policy:
    """The pack, with the drafter's proposal applied when one is given for it."""
    proposal = os.environ.get("KIEMNHIEM_PROPOSAL") if os.environ.get("KIEMNHIEM_PROPOSAL_PACK") == pack else None
    key = (pack, proposal)
    if key not in _POLICIES:
        _POLICIES[key] = api.load_policy(pack, proposal=Path(proposal) if proposal else None)
    return _POLICIES[key]


@dataclass
class Bdd:
    nodeid: str
    lang: str = "en"
    pack: str | None = None
    as_of: date | None = None
    hamlet: dict[str, Any] = field(default_factory=lambda: {"id": "hamlet"})
    candidate: dict[str, Any] | None = None
    posts: list[str] | None = None
    post_allowances: dict[str, int] = field(default_factory=dict)
    decision: Decision | None = None

    def fail(self, en: str, vi: str, detail: str | None = None) -> None:
        """Fail with the check, the relevant part of the explanation, then the whole of it."""
        head = vi if self.lang == "vi" else en
        if detail:
            head += f"\n  {detail}"
        explanation = to_text(self.decision) if self.decision is not None else ""
        pytest.fail(f"{head}\n\n{explanation}", pytrace=False)

    def need_decision(self) -> Decision:
        if self.decision is None:
            self.fail("no case was evaluated yet: add 'When the case is evaluated'",
                      "chưa xét hồ sơ: thêm bước 'Khi xét hồ sơ'")
        assert self.decision is not None
        return self.decision


@pytest.fixture
def bdd(request: pytest.FixtureRequest) -> Bdd:
    return Bdd(nodeid=request.node.nodeid, lang=getattr(request.node, "_kiemnhiem_lang", "en"))


def _user_error(exc: KiemnhiemError, ctx: Bdd) -> None:
    pytest.fail(exc.message(ctx.lang), pytrace=False)


# -- given ------------------------------------------------------------------------------------


def step_pack(bdd: Bdd, pack: str) -> None:
    try:
        load(pack)
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    bdd.pack = pack


def step_as_of(bdd: Bdd, day: str) -> None:
    try:
        bdd.as_of = date.fromisoformat(day.strip())
    except ValueError:
        bdd.fail(f"{day!r} is not a date YYYY-MM-DD", f"{day!r} không phải ngày dạng YYYY-MM-DD")


def _table(bdd: Bdd, owner: str, datatable: list[list[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for row in datatable:
        if len(row) < 2 or row[0].strip() in ("field", "trường"):
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
    bdd.fail(f"field {path!r} must start with hamlet. or candidate.", f"trường {path!r} phải bắt đầu bằng hamlet. hoặc candidate.")
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
    phrasebook.parse_field_value(field, "")  # checks the field exists
    target, name = _target(bdd, field)
    target.pop(name, None)


def step_posts(bdd: Bdd, posts: str) -> None:
    bdd.posts = [p.strip() for p in posts.replace(";", ",").split(",") if p.strip()]


def step_post_allowance(bdd: Bdd, post: str, amount: str) -> None:
    bdd.post_allowances[post] = phrasebook.parse_amount(amount) or 0


# -- when -------------------------------------------------------------------------------------


def step_evaluate(bdd: Bdd) -> None:
    if bdd.pack is None or bdd.as_of is None:
        bdd.fail("set the pack and the as-of date first (Background)", "cần nêu gói quy tắc và ngày xét trước (Bối cảnh)")
    policy = load(bdd.pack)
    data: dict[str, Any] = {"hamlet": bdd.hamlet}
    if bdd.candidate is not None:
        data["candidate"] = bdd.candidate
    if bdd.posts is not None:
        data["posts"] = bdd.posts
    if bdd.post_allowances:
        data["post_allowances"] = bdd.post_allowances
    try:
        case = api.read_case(data, bdd.nodeid, bdd.as_of)
        outcome, env = api.decide(policy, case, bdd.as_of)
    except KiemnhiemError as exc:
        _user_error(exc, bdd)
    snap = policy.snapshot(bdd.as_of)
    bdd.decision = api.explain(snap, case, env, outcome, bdd.lang)
    EVALUATIONS.append((bdd.nodeid, policy.id, exercised(snap, outcome)))


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
        bdd.fail(f"unknown decision {decision!r}", f"kết luận không hợp lệ {decision!r}")
    if d.decision != want:
        bdd.fail(f"expected decision {want}, got {d.decision}", f"kết luận mong đợi {want}, thực tế {d.decision}")


def step_criterion(bdd: Bdd, rule: str, status: str) -> None:
    d = bdd.need_decision()
    want = phrasebook.STATUS_WORDS.get(status.strip().lower())
    if want is None:
        bdd.fail(f"unknown status {status!r}", f"trạng thái không hợp lệ {status!r}")
    got = next((c.status for c in d.criteria if c.id == rule), "not_applicable")
    if got != want:
        bdd.fail(f"criterion {rule}: expected {want}, got {got}", f"tiêu chí {rule}: mong đợi {want}, thực tế {got}")


def step_condition(bdd: Bdd, exception: str) -> None:
    d = bdd.need_decision()
    if exception not in [c.id for c in d.conditions]:
        bdd.fail(f"the condition of {exception} does not apply", f"không có điều kiện kèm theo {exception}")


def step_missing(bdd: Bdd, field: str) -> None:
    d = bdd.need_decision()
    if field not in d.missing:
        bdd.fail(f"{field} is not listed as missing ({d.missing})", f"{field} không nằm trong danh sách còn thiếu ({d.missing})")


def _amount_equal(bdd: Bdd, what: str, got: int | None, expected: str) -> None:
    want = phrasebook.parse_amount(expected)
    if got != want:
        bdd.fail(f"{what}: expected {want}, got {got}", f"{what}: mong đợi {want}, thực tế {got}")


def step_fund(bdd: Bdd, amount: str) -> None:
    d = bdd.need_decision()
    _amount_equal(bdd, "monthly fund", d.fund.monthly if d.fund else None, amount)


def step_fund_coefficient(bdd: Bdd, coefficient: str) -> None:
    d = bdd.need_decision()
    got = Decimal(str(d.fund.coefficient)) if d.fund and d.fund.coefficient is not None else None
    want = phrasebook.parse_number(coefficient)
    if got != want:
        bdd.fail(f"fund coefficient: expected {want}, got {got}", f"hệ số quỹ: mong đợi {want}, thực tế {got}")


def _line(bdd: Bdd, post: str):
    d = bdd.need_decision()
    lines = {ln.post: ln for ln in (d.allowance.lines if d.allowance else [])}
    if post not in lines:
        bdd.fail(f"no allowance line {post!r} (lines: {list(lines)})", f"không có dòng phụ cấp {post!r} (các dòng: {list(lines)})")
    return lines[post]


def _line_detail(bdd: Bdd, line) -> str:
    from engine.explain.render import _cite, _line_text

    d = bdd.need_decision()
    src = _cite(line.source, bdd.lang)
    return f"{_line_text(d, line, bdd.lang)} [{line.rule}; {src}]"


def step_line_amount(bdd: Bdd, post: str, amount: str) -> None:
    line = _line(bdd, post)
    want = phrasebook.parse_amount(amount)
    if line.amount != want:
        bdd.fail(f"allowance line {post}: expected {want}, got {line.amount}",
                 f"dòng phụ cấp {post}: mong đợi {want}, thực tế {line.amount}", _line_detail(bdd, line))


def _pct(x) -> str:
    return "—" if x is None else f"{format((Decimal(str(x)) * 100).normalize(), 'f')} %"


def step_line_rate(bdd: Bdd, post: str, rate: str) -> None:
    line = _line(bdd, post)
    want = phrasebook.parse_share(rate)
    if line.rate is None or Decimal(str(line.rate)) != want:
        bdd.fail(f"rate of {post}: expected {_pct(want)}, got {_pct(line.rate)}",
                 f"tỷ lệ của {post}: mong đợi {_pct(want)}, thực tế {_pct(line.rate)}", _line_detail(bdd, line))


def step_total(bdd: Bdd, amount: str) -> None:
    d = bdd.need_decision()
    _amount_equal(bdd, "monthly allowance total", d.allowance.monthly_total if d.allowance else None, amount)


def step_yearly(bdd: Bdd, amount: str) -> None:
    d = bdd.need_decision()
    _amount_equal(bdd, "yearly total", d.allowance.yearly_total if d.allowance else None, amount)


def step_counterfactual(bdd: Bdd, text: str) -> None:
    d = bdd.need_decision()
    if not any(text in cf.sentence for cf in d.counterfactuals):
        bdd.fail(f"no counterfactual mentions {text!r}", f"không có điều cần thay đổi nào nêu {text!r}")


# -- binding: every phrasebook step, in both languages, to its one implementation ---------------

_DECORATORS = {"given": given, "when": when, "then": then}
for _step in phrasebook.STEPS:
    _impl = globals()[f"step_{_step.key}"]
    for _lang in ("vi", "en"):
        _DECORATORS[_step.kind](parsers.re(phrasebook.step_regex(_step.sentence(_lang)).pattern))(_impl)

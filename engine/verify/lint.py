"""``kiemnhiem rules lint``: the findings of ``engine.verify.solve`` on a pack or a proposal.

Classes: gaps (a fund table with no answer for complete data; a post and status with no rate),
unreachable and shadowed rules (a criterion that can never pass or never fail, an exception that
can never apply, a table row an earlier row always pre-empts, a waivable criterion nothing
waives), dates (a value or rule in force before its source was issued, a value unset on the
as-of date), sources (a parameter without one, a declared document nobody cites), and overlays
(a replaced parameter changing its type or unit, a new id that looks like a typo of an inherited
one). Logical findings carry a witness case ready for ``kiemnhiem evaluate``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from engine import lang as expr
from engine.errors import PackProblems, RuleFileError
from engine.lang.logic import TooComplex, all_of
from engine.limits import quote
from engine.policy.resolved import Policy, RuleItem, Snapshot
from engine.contract.fields import POSTS, STATUSES
from engine.verify.solve import Finding, satisfiable, witness_case


def critical_dates(policy: Policy) -> list[date]:
    """Every date on which something can change, so each distinct snapshot is checked once."""
    days: set[date] = set()
    for p in policy.params.values():
        days |= {start for start, _ in p.history}
    for section in (policy.criteria, policy.exceptions, policy.fund, policy.rates, policy.grants):
        for ri in section:
            eff = ri.item.effective
            if eff.from_:
                days.add(eff.from_)
            if eff.to and eff.to < date.max:
                days.add(eff.to + timedelta(days=1))
    return sorted(days) or [date.today()]


def _f(code: str, severity: str, policy: Policy, ri: RuleItem | None, rules: list[str], en: str, vi: str,
       **kw: Any) -> Finding:
    return Finding(code, severity, ri.origin.pack if ri else policy.id, rules, en, vi,
                   file=ri.origin.file if ri else None, line=ri.origin.line if ri else None, **kw)


def _load_errors(exc: RuleFileError, pack: str, **kw: Any) -> list[Finding]:
    """A ``load-error`` finding for each problem that kept the pack from loading (all of them)."""
    out = []
    for p in exc.problems if isinstance(exc, PackProblems) else (exc,):
        w = p.where
        out.append(Finding("load-error", "error", w.pack or pack, [w.rule] if w.rule else [], p.en, p.vi,
                           file=w.file, line=w.line, **kw))
    return out


def lint(policy: Policy, as_of: date | None = None) -> list[Finding]:
    findings: list[Finding] = []
    findings += _sources(policy)
    findings += _dates(policy, as_of)
    findings += _overlays(policy)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for day in ([as_of] if as_of else critical_dates(policy)):
        try:
            logic = _logic(policy.snapshot(day))
        except RuleFileError as exc:  # a rule that cannot be compiled on this date (too complex, too large)
            logic = _load_errors(exc, policy.id, as_of=str(day))
        except TooComplex as exc:
            logic = [Finding("too-complex", "warning", policy.id, [], f"on {day} the rules are too complex to check "
                             f"({exc}): gaps and unreachable rules were not looked for",
                             f"ngày {day} các quy tắc quá phức tạp để kiểm tra ({exc}): chưa tìm khoảng trống và "
                             f"quy tắc không thể áp dụng", as_of=str(day), proof=False)]
        for f in logic:
            key = (f.code, tuple(f.rules))
            if key not in seen:
                seen.add(key)
                findings.append(f)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.pack, f.code, f.rules))


def lint_packs(packs: Sequence[str] = (), *, proposal_pack: str | None = None, rules: Sequence[Path] = (),
               proposal: Path | None = None, as_of: date | None = None) -> tuple[list[str], list[Finding]]:
    """``kiemnhiem rules lint``: the packs named (``proposal_pack`` last, with ``proposal`` on top),
    or every pack found when none is; a pack that does not load is a ``load-error`` finding.
    Returns the packs checked and their findings."""
    from engine.policy.loader import find_packs, load_policy, rules_dirs

    extra = list(rules)
    names = list(packs) + ([proposal_pack] if proposal_pack else [])
    if not names:
        names = sorted(find_packs(rules_dirs(extra)))
    findings: list[Finding] = []
    for name in names:
        try:
            policy = load_policy(name, extra, proposal if name == proposal_pack else None)
        except RuleFileError as exc:
            findings += _load_errors(exc, name)
            continue
        findings += lint(policy, as_of)
    return names, findings


class LintReport:
    """Findings as reported: each once (by code, pack, rules and file), as text or JSON."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = list({(f.code, f.pack, tuple(f.rules), f.file): f for f in findings}.values())

    @property
    def failed(self) -> bool:
        """An error finding (exit code 1)."""
        return any(f.severity == "error" for f in self.findings)

    def json(self) -> str:
        return json.dumps([f.as_dict() for f in self.findings], ensure_ascii=False, indent=2, default=str) + "\n"

    def text(self, lang: str = "en") -> str:
        import yaml

        lines = []
        for f in self.findings:
            lines.append(f.message(lang) + ("" if f.proof else " [best-effort]"))
            if f.witness is not None:
                label = "hồ sơ minh họa" if lang == "vi" else "witness"
                lines.append(f"    {label} (as of {f.as_of}):")
                lines += [f"      {line}" for line in yaml.safe_dump(f.witness, allow_unicode=True, sort_keys=False).splitlines()]
        counts = {s: sum(1 for f in self.findings if f.severity == s) for s in ("error", "warning", "info")}
        lines.append(f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)")
        return "\n".join(lines) + "\n"

    def render(self, fmt: str = "text", lang: str = "en") -> str:
        return self.json() if fmt == "json" else self.text(lang)


# -- logic -------------------------------------------------------------------------------------


def _unset(snap: Snapshot, node: Any) -> list[str]:
    return [p for p in expr.params(node) if snap.params.get(p) is None]


def _logic(snap: Snapshot) -> list[Finding]:
    policy, day = snap.policy, snap.as_of
    country = policy.country
    out: list[Finding] = []
    for cc in snap.criteria:
        a, c = cc.applies.t, cc.verdict
        t_sol, t_exact = satisfiable(all_of(a, c.t), snap.terms, day)
        f_sol, f_exact = satisfiable(all_of(a, c.f), snap.terms, day)
        unset = _unset(snap, cc.condition)
        if (t_sol is None or f_sol is None) and unset:
            out.append(_f("undecidable-on-date", "info", policy, cc.ri, [cc.id],
                          f"on {day} parameter(s) {', '.join(unset)} are unset, so the rule cannot always decide",
                          f"ngày {day} tham số {', '.join(unset)} chưa quy định nên quy tắc không phải lúc nào cũng kết luận được",
                          as_of=str(day)))
        elif t_sol is None and f_sol is None:
            if unset:
                out.append(_f("undecidable-on-date", "info", policy, cc.ri, [cc.id],
                              f"on {day} the rule can only be unknown: parameter(s) {', '.join(unset)} unset",
                              f"ngày {day} quy tắc chỉ có thể chưa rõ: tham số {', '.join(unset)} chưa quy định", as_of=str(day)))
            else:
                out.append(_f("never-applies", "error", policy, cc.ri, [cc.id], f"on {day} no case can pass or fail it",
                              f"ngày {day} không hồ sơ nào đạt hay không đạt được", as_of=str(day), proof=t_exact and f_exact))
        elif t_sol is None:
            out.append(_f("never-passes", "error", policy, cc.ri, [cc.id], f"on {day} no case can pass it",
                          f"ngày {day} không hồ sơ nào có thể đạt", as_of=str(day), proof=t_exact))
        elif f_sol is None:
            out.append(_f("never-fails", "warning", policy, cc.ri, [cc.id], f"on {day} no case can fail it: it decides nothing",
                          f"ngày {day} không hồ sơ nào có thể không đạt: tiêu chí không có tác dụng", as_of=str(day),
                          proof=f_exact))
        for e in cc.exceptions:
            sol, exact = satisfiable(all_of(a, c.f, e.verdict.t), snap.terms, day)
            if sol is None and f_sol is not None and _unset(snap, e.condition):
                out.append(_f("undecidable-on-date", "info", policy, e.ri, [e.id],
                              f"on {day} parameter(s) {', '.join(_unset(snap, e.condition))} are unset: it cannot apply",
                              f"ngày {day} tham số {', '.join(_unset(snap, e.condition))} chưa quy định: ngoại lệ không thể áp dụng",
                              as_of=str(day)))
            elif sol is None and f_sol is not None:
                out.append(_f("exception-unreachable", "warning", policy, e.ri, [e.id, cc.id],
                              f"on {day} it never applies to a case failing {cc.id}",
                              f"ngày {day} ngoại lệ không bao giờ áp dụng cho hồ sơ không đạt {cc.id}", as_of=str(day),
                              proof=exact))
        for i, e1 in enumerate(cc.exceptions):
            for e2 in cc.exceptions[i + 1:]:
                both, exact = satisfiable(all_of(a, c.f, e1.verdict.t, e2.verdict.t), snap.terms, day)
                if both is not None and e1.ri.item.obligation != e2.ri.item.obligation:
                    out.append(_f("exceptions-overlap", "warning", policy, e2.ri, [e1.id, e2.id, cc.id],
                                  f"on {day} both can waive {cc.id} for the same case, with different obligations; "
                                  f"only {e1.id}'s is reported",
                                  f"ngày {day} cả hai cùng có thể miễn trừ {cc.id} cho một hồ sơ, với nghĩa vụ khác nhau; "
                                  f"chỉ nêu nghĩa vụ của {e1.id}", as_of=str(day), proof=exact,
                                  witness=witness_case(both, day, country)))
        if cc.ri.item.waivable and not cc.exceptions and not any(cc.id in e.item.waives for e in policy.exceptions):
            out.append(_f("waivable-unwaived", "warning", policy, cc.ri, [cc.id], "marked waivable, but no exception waives it",
                          "được đánh dấu có thể miễn trừ nhưng không có ngoại lệ nào miễn trừ"))
    out += _fund(snap, country)
    out += _rates(snap, country)
    for g in snap.grants:
        sol, exact = satisfiable(all_of(snap.grant_posts[g.id], g.verdict.t), snap.terms, day)
        if sol is None:
            out.append(_f("grant-unreachable", "warning", policy, g.ri, [g.id], f"on {day} no case receives it",
                          f"ngày {day} không hồ sơ nào được hưởng", as_of=str(day), proof=exact))
    return out


def _fund(snap: Snapshot, country: str) -> list[Finding]:
    policy, day = snap.policy, snap.as_of
    out: list[Finding] = []
    if not snap.fund:
        if policy.fund:
            out.append(_f("fund-gap", "info", policy, None, [r.id for r in policy.fund],
                          f"no fund row is in force on {day}", f"ngày {day} không có dòng quỹ nào có hiệu lực", as_of=str(day)))
        return out
    earlier_false: list[Any] = []
    for row in snap.fund:
        sol, exact = satisfiable(all_of(row.verdict.t, *earlier_false), snap.terms, day)
        if sol is None:
            out.append(_f("row-shadowed", "warning", policy, row.ri, [row.id],
                          f"on {day} every case it matches is taken by an earlier row",
                          f"ngày {day} mọi hồ sơ khớp dòng này đều đã khớp một dòng trước", as_of=str(day), proof=exact))
        earlier_false.append(row.verdict.f)
    sol, exact = satisfiable(all_of(*earlier_false), snap.terms, day)
    if sol is not None:
        out.append(_f("fund-gap", "error", policy, snap.fund[-1].ri, [r.id for r in snap.fund],
                      f"on {day} a hamlet with complete data matches no fund row",
                      f"ngày {day} một thôn đủ dữ liệu không khớp dòng quỹ nào", as_of=str(day),
                      witness=witness_case(sol, day, country), proof=exact))
    return out


def _rates(snap: Snapshot, country: str) -> list[Finding]:
    policy, day = snap.policy, snap.as_of
    out: list[Finding] = []
    if not policy.rates:
        return [_f("no-rates", "info", policy, None, [], "the pack sets no allowance rates: every allowance is undetermined",
                   "gói không quy định tỷ lệ phụ cấp: mọi khoản phụ cấp đều chưa xác định")] if not policy.allowance.post_amounts else []
    chosen: set[str] = set()
    for status in STATUSES:
        for post in POSTS:
            for role in dict.fromkeys((snap.role(status, True), snap.role(status, False))):  # own first, if any
                row = snap.rate_row(post, role, status)
                if row is not None:
                    chosen.add(row.id)
                    continue
                posts = [post] if role == "own" else ["hamlet_head" if post != "hamlet_head" else "party_cell_secretary", post]
                witness = witness_case({"candidate.status": status, "posts": tuple(posts)}, day, country)
                witness["posts"] = posts
                out.append(_f("rate-gap", "warning", policy, None, [f"{status}/{role}/{post}"],
                              f"on {day} no rate row answers a {status} holding {post} as {role} post: the line is undetermined",
                              f"ngày {day} không dòng tỷ lệ nào cho {status} giữ {post} ({role}): dòng phụ cấp chưa xác định",
                              witness=witness, as_of=str(day)))
    for row in snap.rates:
        if row.id not in chosen:
            out.append(_f("row-shadowed", "warning", policy, row.ri, [row.id],
                          f"on {day} earlier rows always answer first: this rate is never used",
                          f"ngày {day} các dòng trước luôn được chọn trước: tỷ lệ này không bao giờ dùng", as_of=str(day)))
    return out


# -- sources, dates, overlays ------------------------------------------------------------------


def _sources(policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    used: set[str] = set()
    for pd in policy.params.values():
        refs = [r.doc for r in pd.param.source] + [dv.source.doc for _, dv in pd.history if dv.source]
        used |= set(refs)
        if not refs:
            out.append(Finding("no-source", "error", pd.origin.pack, [pd.name], "parameter without any source",
                               "tham số không dẫn nguồn", file=pd.origin.file, line=pd.origin.line))
    for section in (policy.criteria, policy.exceptions, policy.fund, policy.rates, policy.grants, policy.targets):
        for ri in section:
            used |= {r.doc for r in ri.item.source}
    for doc in sorted(set(policy.sources) - used):
        out.append(Finding("unused-source", "warning", policy.source_pack.get(doc, policy.id), [doc],
                           "declared in pack.yaml but cited by no rule or parameter",
                           "khai báo trong pack.yaml nhưng không quy tắc hay tham số nào dẫn"))
    return out


def _doc_date(policy: Policy, doc: str) -> date | None:
    d = policy.sources.get(doc)
    return None if d is None else (d.date or d.in_force)


def _dates(policy: Policy, as_of: date | None) -> list[Finding]:
    out: list[Finding] = []
    for pd in policy.params.values():
        for start, dv in pd.history:
            ref = dv.source or (pd.param.source[0] if pd.param.source else None)
            issued = _doc_date(policy, ref.doc) if ref else None
            if ref and issued and start < issued:
                out.append(Finding("value-before-source", "warning", pd.origin.pack, [pd.name],
                                   f"value from {start} predates its source {ref.doc} ({issued})",
                                   f"giá trị từ {start} có trước văn bản nguồn {ref.doc} ({issued})",
                                   file=pd.origin.file, line=pd.origin.line))
        values = [(start, dv.value) for start, dv in pd.history]
        for (start, value), (nxt, later) in zip(values, values[1:]):
            if value is None and later is not None:
                out.append(Finding("history-gap", "warning", pd.origin.pack, [pd.name],
                                   f"unset from {start} until {nxt}: cases in between are undetermined",
                                   f"chưa quy định từ {start} đến {nxt}: hồ sơ trong khoảng này chưa xác định",
                                   file=pd.origin.file, line=pd.origin.line))
        if as_of is not None and pd.value_on(as_of) is None and pd.history:
            out.append(Finding("unset-on-date", "info", pd.origin.pack, [pd.name], f"no value in force on {as_of}",
                               f"không có giá trị hiệu lực ngày {as_of}", file=pd.origin.file, line=pd.origin.line))
    for section in (policy.criteria, policy.exceptions, policy.fund, policy.rates, policy.grants, policy.targets):
        for ri in section:
            start = ri.item.effective.from_
            dated = [(d, ref.doc) for ref in ri.item.source if (d := _doc_date(policy, ref.doc))]
            if start and dated and start < min(dated)[0]:  # several sources: the earliest must predate the rule
                issued, doc = min(dated)
                out.append(_f("rule-before-source", "warning", policy, ri, [ri.id],
                              f"in force from {start}, before its source {doc} was issued ({issued})",
                              f"hiệu lực từ {start}, trước khi văn bản {doc} ban hành ({issued})"))
            if ri.item.effective.to and start and ri.item.effective.to < start:
                out.append(_f("empty-period", "error", policy, ri, [ri.id], "its period ends before it starts",
                              "thời hạn kết thúc trước khi bắt đầu"))
    return out


def _overlays(policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    inherited = {ri.id for s in (policy.criteria, policy.exceptions, policy.fund, policy.rates, policy.grants)
                 for ri in s if ri.origin.pack == policy.chain[0]}
    for o in policy.overrides:
        name, origin = o.name, o.origin
        if o.kind == "parameter":
            parent, child = o.parent, o.child
            assert parent is not None and child is not None
            out += _unset_by_overlay(name, parent, child, origin)
            for attr in ("type", "unit"):
                before, after = getattr(parent, attr), getattr(child, attr)
                if attr in child.model_fields_set and after is not None and before is not None and after != before:
                    out.append(Finding(f"overlay-{attr}-change", "error", origin.pack, [name],
                                       f"the overlay changes its {attr} from {quote(before)} to {quote(after)}",
                                       f"lớp phủ đổi {attr} từ {quote(before)} thành {quote(after)}", file=origin.file, line=origin.line))
        elif o.kind == "added":
            close = difflib.get_close_matches(name, sorted(inherited), n=1, cutoff=0.85)
            if close:
                out.append(Finding("overlay-near-miss", "warning", origin.pack, [name],
                                   f"adds a new rule; did it mean to replace {close[0]}?",
                                   f"thêm quy tắc mới; có phải định thay {close[0]}?", file=origin.file, line=origin.line))
    for name, pd in policy.params.items():
        if pd.param.type is None and pd.origin.pack != policy.chain[0]:
            out.append(Finding("overlay-untyped-parameter", "warning", pd.origin.pack, [name],
                               "a parameter the packs it extends do not have, without a type: a misspelt override?",
                               "tham số không có ở gói gốc và không có kiểu: có phải viết sai tên?",
                               file=pd.origin.file, line=pd.origin.line))
    return out


def _unset_by_overlay(name: str, parent: Any, child: Any, origin: Any) -> list[Finding]:
    """An overlay that leaves a parameter unset on a date where the pack it extends had a value:
    a replaced history that starts later, or a null nobody sourced. An explicit dated ``value:
    null`` with a source is a statement ("the rate under Resolution 21/2023 is not known") and
    is not reported."""
    from engine.policy.build import merge_param

    merged = merge_param(parent, child).values or {}
    own = child.values or {}
    base = parent.values or {}

    def base_on(day: Any) -> Any:
        before = [d for d in base if d <= day]
        return base[max(before)].value if before else None

    out = []
    # every date where the base has a value: its own start dates, and the overlay's dates too
    # (an unsourced null the overlay adds in the middle of the base's history)
    checked = {d: base[d] for d in base} | {d: base[max(b)] for d in own if (b := [x for x in base if x <= d])}
    for start, dv in sorted(checked.items()):
        if dv.value is None or base_on(start) is None:
            continue
        before = [d for d in merged if d <= start]
        if not before:
            why_en, why_vi = "its history now starts later", "lịch sử giá trị nay bắt đầu muộn hơn"
        else:
            entry_date = max(before)
            entry = merged[entry_date]
            if entry.value is not None or (entry_date in own and own[entry_date].source is not None):
                continue
            why_en, why_vi = f"the value from {entry_date} is null with no source", f"giá trị từ {entry_date} là null, không dẫn nguồn"
        out.append(Finding("overlay-unsets-parameter", "warning", origin.pack, [name],
                           f"the overlay leaves {name} unset from {start}, where the pack it extends has {dv.value} "
                           f"({why_en}); give the dated values to keep, drop `replace: true`, or state "
                           f"`value: null` with a source",
                           f"lớp phủ bỏ trống {name} từ {start}, trong khi gói gốc có {dv.value} ({why_vi}); hãy nêu "
                           f"giá trị theo ngày cần giữ, bỏ `replace: true`, hoặc ghi `value: null` kèm nguồn",
                           file=origin.file, line=origin.line))
    return out


def coverage_findings(policy_ids: list[str], gaps: Any) -> list[Finding]:
    """Rules no feature scenario exercises both ways, as lint findings of the given packs.

    ``gaps`` are the coverage gaps of a run of the features (``engine.bdd.runner.run_features(
    coverage=True).coverage.gaps``: each with ``rule``, ``origin`` and ``words``); the caller runs
    them, as this layer does not reach up to the use cases."""
    found = []
    for gap in gaps:
        if any(gap.origin == p or p.startswith(gap.origin + ".") or gap.origin.startswith(p) for p in policy_ids):
            found.append(Finding("uncovered", "warning", gap.origin, [gap.rule],
                                 f"no feature scenario where it {gap.words}",
                                 f"không kịch bản nào mà quy tắc {gap.words}"))
    return found

"""The case engine: a snapshot compiled to a durable-rules ruleset, one case at a time.

Compilation (``compile_ruleset``): every criterion becomes three rules on the case fact, for
its T, F and U formulas (``engine.lang.logic``); a failing criterion that an exception can waive
asserts a ``crit`` fact, and each exception is a rule joining that fact with the case, so the
waiver is derived by forward chaining; fund rows and grants are rules on the case fact; the
``case`` rule asserts one ``line`` fact per post held, and rate-table rows are rules on those
lines. The firings, in order, are the derivation trace (``--trace``).

The durable-rules 2.0.28 traps (DESIGN.md), each tested in ``tests/test_durable_traps.py``:
- at most 1024 live sessions per ruleset: every case gets its own session id and its state
  is deleted as soon as it is answered;
- facts without an ``id`` are keyed by a 32-bit content hash: every fact gets an explicit id;
- the stock ``Host`` starts dispatcher threads that race with synchronous asserts: ``_QuietHost``
  never starts them;
- a fact matching no rule raises ``MessageNotHandledException``: the ``case`` rule matches every
  case fact, and the exception is still turned into a clean error, never a traceback;
- ruleset names are global per host and cannot be redefined: one host per snapshot key, so
  two versions of a pack (a baseline and a proposal) run side by side in one process.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from decimal import Decimal
from typing import Any

import durable.engine as durable_engine
import durable_rules_engine as _dre  # the C engine under durable.engine

from engine.errors import KiemnhiemError, Problems, RuleFileError, Where
from engine.lang.logic import (FAll, FAny, FAtom, FConst, FHas, FieldOf, FMissing, FPresent, Formula, all_of, any_of,
                         dnf)
from engine.policy.outcome import Verdicts, roles
from engine.policy.resolved import RATE_LINE, Snapshot
from engine.contract.fields import catalogue

_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_ALWAYS = object()


class _QuietHost(durable_engine.Host):
    """A host without the background dispatcher threads (see the module docstring)."""

    def _run(self) -> None:  # noqa: D401 - overriding the thread start-up
        return None


def field_name(path: str) -> str:
    return path.replace(".", "__")


def _value(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, date):
        return v.toordinal()
    return v


def to_durable(f: Formula) -> Any:
    """A positive formula as a durable-rules JSON condition (``_ALWAYS`` for true, None for false)."""
    if isinstance(f, FConst):
        return _ALWAYS if f.value else None
    if isinstance(f, FAtom):
        name = field_name(f.path)
        right = {"$m": field_name(f.value.path)} if isinstance(f.value, FieldOf) else _value(f.value)
        if f.op == "==":
            return {name: right}
        return {_OPS[f.op]: {name: right}}
    if isinstance(f, FMissing):
        return {"$nex": {field_name(f.path): 1}}
    if isinstance(f, FPresent):
        return {"$ex": {field_name(f.path): 1}}
    if isinstance(f, FHas):
        return {field_name(f"{f.path}.{f.item}"): f.contains}
    if isinstance(f, (FAll, FAny)):
        parts = [to_durable(i) for i in f.items]
        if isinstance(f, FAll):
            if any(p is None for p in parts):
                return None
            parts = [p for p in parts if p is not _ALWAYS]
            return _ALWAYS if not parts else (parts[0] if len(parts) == 1 else {"$and": parts})
        if any(p is _ALWAYS for p in parts):
            return _ALWAYS
        parts = [p for p in parts if p is not None]
        return None if not parts else (parts[0] if len(parts) == 1 else {"$or": parts})
    raise ValueError(f)


def _patterns(kind: str, f: Formula) -> list[Any]:
    """One durable pattern per conjunct of the formula's DNF (durable caps a rule at 32 tests)."""
    out = []
    for conjunct in dnf(f):
        tests = [to_durable(t) for t in conjunct]
        out.append({"$and": [{"t": kind}, *tests]} if tests else {"t": kind})
    return out


def _in(name: str, values: tuple[str, ...]) -> Any:
    if len(values) == 1:
        return {name: values[0]}
    return {"$or": [{name: v} for v in values]}


def case_fact(env: dict[str, Any], sid: str) -> dict[str, Any]:
    """The case as one durable fact: dotted paths flattened, list fields spread into flags."""
    fact: dict[str, Any] = {"id": "case", "t": "case", "sid": sid}
    cat = catalogue()
    for path, value in env.items():
        if path == "post_allowances":
            continue
        if isinstance(value, tuple):
            known = cat[path].values if path in cat else None
            for item in known or value:
                fact[field_name(f"{path}.{item}")] = item in value
            fact[field_name(path)] = list(value)
        else:
            fact[field_name(path)] = _value(value)
    return fact


class CompiledRuleset:
    """One snapshot's ruleset, living in its own host."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.name = f"kiemnhiem_{snap.key}"
        self._lock = threading.Lock()
        self._current: Verdicts | None = None
        self._env: dict[str, Any] = {}
        self._sid = 0
        self._actions: dict[str, Any] = {}
        self.definition = self._compile()
        self._new_host()

    # -- compilation --------------------------------------------------------------------------
    def _compile(self) -> dict[str, Any]:
        snap = self.snap
        rules: dict[str, Any] = {}

        def add(name: str, patterns: list[Any], action: Any) -> None:
            """One rule per alternative of the last pattern (a formula in DNF); none if it never holds."""
            *fixed, last = patterns
            alternatives = last if isinstance(last, list) else [last]
            for k, alt in enumerate(alternatives):
                pats = [*fixed, alt]
                rule_name = name if len(alternatives) == 1 else f"{name}#{k}"
                rules[rule_name] = {"all": [{f"m{i}" if len(pats) > 1 else "m": p} for i, p in enumerate(pats)],
                                    "run": _unused_action}
                self._actions[rule_name] = action

        add("case", [{"t": "case"}], self._on_case)
        for cc in snap.criteria:
            a, c = cc.applies, cc.verdict
            add(f"criterion:{cc.id}:pass", [_patterns("case", all_of(a.t, c.t))], self._criterion(cc.id, "pass"))
            add(f"criterion:{cc.id}:fail", [_patterns("case", all_of(a.t, c.f))],
                self._criterion(cc.id, "fail", chain=bool(cc.exceptions)))
            add(f"criterion:{cc.id}:unknown", [_patterns("case", any_of(all_of(a.t, c.u), a.u))],
                self._criterion(cc.id, "unknown"))
            for exc in cc.exceptions:
                crit = {"$and": [{"t": "crit"}, {"cid": cc.id}, {"status": "fail"}]}
                for label, formula in (("T", exc.verdict.t), ("U", exc.verdict.u)):
                    add(f"exception:{exc.id}:{cc.id}:{label}", [crit, _patterns("case", formula)],
                        self._record("exceptions", exc.id, label))
        for row in snap.fund:
            for label, formula in (("T", row.verdict.t), ("U", row.verdict.u)):
                add(f"fund:{row.id}:{label}", [_patterns("case", formula)], self._record("fund", row.id, label))
        for row, admits in snap.rate_table:  # the snapshot's declared matching, one rule per row
            if any(values is not None and not values for values in admits.values()):
                continue  # a row admitting no value of a key admits no line
            parts = [{"t": "line"}, *(_in(name, values) for name, values in admits.items() if values is not None)]
            add(f"rate:{row.id}", [{"$and": parts} if len(parts) > 1 else parts[0]], self._rate(row.id))
        for g in snap.grants:
            posts = snap.grant_posts[g.id]
            for label, formula in (("T", g.verdict.t), ("U", g.verdict.u)):
                add(f"grant:{g.id}:{label}", [_patterns("case", all_of(posts, formula))],
                    self._record("grants", g.id, label))
        return rules

    # -- actions ------------------------------------------------------------------------------
    def _on_case(self, message: dict[str, Any]) -> None:
        v = self._current
        assert v is not None
        v.trace.append("case")
        status = self._env.get("candidate.status")
        for post, role in roles(self.snap, self._env):
            if role is not None:
                line = {"post": post, "role": role, "status": status}
                self._assert({"id": f"line:{post}", "t": "line", **{k: line[k] for k in RATE_LINE}})

    def _criterion(self, cid: str, status: str, chain: bool = False) -> Any:
        rule = f"criterion:{cid}:{status}"

        def action(message: dict[str, Any]) -> None:
            v = self._current
            assert v is not None
            v.trace.append(rule)
            first = cid not in v.criteria  # several DNF alternatives of one rule may fire
            v.criteria[cid] = status
            if chain and first:
                self._assert({"id": f"crit:{cid}", "t": "crit", "cid": cid, "status": status})

        return action

    def _record(self, kind: str, item_id: str, label: str) -> Any:
        rule = f"{kind}:{item_id}:{label}"

        def action(message: dict[str, Any]) -> None:
            v = self._current
            assert v is not None
            v.trace.append(rule)
            target = getattr(v, kind)
            if target.get(item_id) != "T":
                target[item_id] = label

        return action

    def _rate(self, row_id: str) -> Any:
        def action(message: dict[str, Any]) -> None:
            v = self._current
            assert v is not None
            post = message["m"]["post"]
            v.trace.append(f"rate:{row_id}:{post}")
            v.rate_rows.setdefault(post, []).append(row_id)

        return action

    # -- running ------------------------------------------------------------------------------
    def _new_host(self) -> None:
        problems = Problems(self.snap.policy.id)
        for rule_name, rule in self.definition.items():
            # durable-rules' JSON parser reads no exponent, and the host writes the ruleset with
            # json.dumps, which gives one for a constant under 0.0001: refuse it by name instead
            if _EXPONENT.search(json.dumps({k: v for k, v in rule.items() if k != "run"})):
                rule_id = rule_name.split(":")[1] if ":" in rule_name else rule_name
                if any(p.where.rule == rule_id for p in problems.found):
                    continue  # one report per rule, however many of its durable rules
                problems.add(RuleFileError.of("durable.exponent", Where(pack=self.snap.policy.id, rule=rule_id)))
        problems.raise_if_any()
        self.host = _QuietHost()
        # durable deletes each rule's "run" key while registering: hand it copies
        self.host.register_rulesets({self.name: {k: dict(r) for k, r in self.definition.items()}})
        self._handle = self.host.get_ruleset(self.name)._handle

    def _assert(self, fact: dict[str, Any]) -> None:
        """Assert a derived fact into the session whose actions are running."""
        fact["sid"] = self._session
        code = _dre.assert_fact(self._handle, fact_json(fact))[0]
        if code == 2:  # pragma: no cover - derived facts are asserted once per session
            raise KiemnhiemError.of("durable.duplicate-fact", None, id=fact["id"])

    def _dispatch(self, state: Any) -> None:
        """Run the actions of every rule the case made fire, in agenda order, until none is left.

        This is durable.engine's action loop without what we do not use (state documents,
        closures, leases): each firing only records a verdict or asserts a derived fact.
        """
        result = _dre.start_action_for_state(self._handle, state)
        message = result[1] if result else None
        while message:
            for name, payload in json.loads(message).items():
                self._actions[name](payload)
            message = _dre.complete_and_start_action(self._handle, state)

    def run(self, env: dict[str, Any]) -> Verdicts:
        with self._lock:
            self._sid += 1
            sid = self._session = str(self._sid)
            verdicts = Verdicts()
            self._current, self._env = verdicts, env
            handled = True
            try:
                code, state = _dre.assert_fact(self._handle, fact_json(case_fact(env, sid)))
                if code == 1:
                    handled = False
                    verdicts.trace.append("no rule matched the case")
                elif code == 2:  # pragma: no cover - every fact carries a unique id
                    raise KiemnhiemError.of("durable.duplicate-case")
                else:
                    self._dispatch(state)
            finally:
                self._current, self._env = None, {}
            if handled:
                self.host.delete_state(self.name, sid)
            else:
                # durable keeps a session for an unhandled fact, and deleting it can crash the C
                # engine; such sessions would count towards the 1024 limit, so start a fresh host.
                self._new_host()
            return verdicts


def _unused_action(c: Any) -> None:  # pragma: no cover - actions run through CompiledRuleset._dispatch
    raise AssertionError("durable's own dispatcher must not run kiemnhiem actions")


_CACHE: dict[str, CompiledRuleset] = {}
_CACHE_LOCK = threading.Lock()


_EXPONENT = re.compile(r"[0-9]e[-+][0-9]")


def fact_json(fact: dict[str, Any]) -> str:
    """A fact as the C engine reads it. Its JSON parser takes no exponent (``1e-05``, which
    Python writes for a vote share of 0.00001, makes it fail): such numbers are written out in
    full, exactly (the shortest decimal that reads back as the same double)."""
    text = json.dumps(fact, ensure_ascii=False)
    if "e-" not in text and "e+" not in text:
        return text  # the usual case: no number needed an exponent
    return _json(fact)


def _json(value: Any) -> str:
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def ruleset_for(snap: Snapshot) -> CompiledRuleset:
    with _CACHE_LOCK:
        rs = _CACHE.get(snap.key)
        if rs is None:
            rs = CompiledRuleset(snap)
            _CACHE[snap.key] = rs
        return rs


def verdicts(snap: Snapshot, env: dict[str, Any]) -> Verdicts:
    return ruleset_for(snap).run(env)

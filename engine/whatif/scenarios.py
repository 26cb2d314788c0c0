"""Changed cases written as Gherkin scenarios that pin a proposal's behaviour.

The scenarios use only phrasebook sentences, in the pack's language, so
``kiemnhiem test --pack P --proposal X --features DIR`` passes them, and the same features run
against the rules in force fail exactly where the proposal makes a difference.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from engine.io import atomic
from engine.backends.columnar import schema
from engine.errors import InputError, Where
from engine.backends.listcols import fields as list_fields
from engine.backends.listcols import items
from engine.bdd.dialect import dialect
from engine.bdd.phrasebook import STEPS, undetermined
from engine.i18n import fmt_int, t
from engine.policy.resolved import Policy
from engine.contract.fields import catalogue

_S = {s.key: s for s in STEPS}
MAX_SCENARIOS = 200


# A Gherkin line ends at \n (and \r: pytest-bdd reads with universal newlines); featurelint
# splits as str.splitlines does (also \v \f \x1c-\x1e \x85 U+2028 U+2029). Text from the data
# must not end a line, or it could add a step, a tag or a table row; nor add a cell with "|".
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_CELL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # a tab is text; \n has an escape


def _inline(text: Any) -> str:
    """Free text on a title or step line (ids, names): line breaks and control characters are
    written as visible escapes (``\\u2028``), so the line stays one line."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def _table_cell(text: str, data: Path, row: Any, field: str) -> str:
    """A table cell: ``\\`` and ``|`` escaped, a newline as Gherkin's ``\\n`` (the parser gives
    back the same text); other line breaks and control characters have no Gherkin escape, so the
    row is refused rather than written differently."""
    bad = _CONTROL_IN_CELL.search(text)
    if bad:
        raise InputError.of("whatif.gherkin-control", Where(file=str(data), row=row, field=field), field=field,
                            code=f"{ord(bad.group()):04X}")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def _cell(value: Any, lang: str, share: bool) -> str:
    """A value as the phrasebook reads it back in ``lang`` (yes/no, an empty list as "none")."""
    if isinstance(value, bool):
        return t("phrase.yes" if value else "phrase.no", lang)
    if isinstance(value, list):
        return "; ".join(value) if value else t("value.none", lang)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _money(value: int | None, lang: str) -> str:
    return undetermined(lang) if value is None else fmt_int(value, lang)


def export(policy: Policy, as_of: date, data: Path, cases: pl.DataFrame | None, folder: Path) -> int:
    atomic.mkdir(folder)
    # the pack's language: every language of the engine has a phrasebook and a Gherkin dialect
    lang = policy.header.lang
    words = dialect(lang)
    base_pack = policy.chain[-2] if len(policy.chain) > 1 else policy.id
    feature, background, scenario = (t(f"whatif.gherkin.{k}", lang) for k in ("feature", "background", "scenario"))
    given, and_, when, then = (words.shown[k] for k in ("given", "and", "when", "then"))

    def step(keyword: str, text: str) -> str:
        return "    " + words.joined(keyword, text)

    lines = ([f"# language: {words.name}"] if lang != "en" else []) + [
        f"{feature}: {t('whatif.scenarios.title', lang, proposal=_inline(policy.id), hash=policy.hash)}",
        "",
        f"  {background}:",
        step(given, _S['pack'].sentence(lang).replace('{pack}', base_pack)),
        step(and_, _S['as_of'].sentence(lang).replace('{day}', as_of.isoformat())),
    ]
    cat = catalogue()
    count = 0
    for row in (cases.head(MAX_SCENARIOS).to_dicts() if cases is not None else []):
        count += 1
        case = _inline(row["hamlet__id"]) + (" / " + _inline(row["candidate__id"]) if row.get("candidate__id") else "")
        lines += ["", f"  {scenario}: {t('whatif.scenarios.row', lang, row=_inline(row['_row']), case=case)}"]
        for owner, sentence in (("hamlet", "hamlet"), ("candidate", "candidate")):
            cells = []
            for name in schema():
                if not name.startswith(owner + "__") or row.get(name) is None or name.endswith("__id"):
                    continue
                ft = cat.get(name.replace("__", "."))
                value = items(row[name]) if name in list_fields() else row[name]
                key = name.split("__", 1)[1]
                cells.append((key, _table_cell(_cell(value, lang, bool(ft and ft.share)), data, row["_row"], name.replace("__", "."))))
            if owner == "candidate" and row.get("candidate__id") is None:
                continue
            lines.append(step(given if owner == "hamlet" else and_, _S[sentence].sentence(lang)))
            width = max((len(k) for k, _ in cells), default=5)
            lines += [f"      | {k:<{width}} | {v} |" for k, v in cells] or [
                f"      | {'id':<{width}} | {_table_cell(str(row['hamlet__id']), data, row['_row'], 'hamlet.id')} |"]
        if row.get("posts") is not None:
            lines.append(step(and_, _S['posts'].sentence(lang).replace('{posts}', _inline(', '.join(items(row['posts']) or [])))))
        for name, value in row.items():
            if name.startswith("post_allowances__") and value is not None:
                post = name.split("__", 1)[1]
                lines.append(step(and_, _S["post_allowance"].sentence(lang).replace("{post}", post)
                                  .replace("{amount}", _money(int(value), lang))))
        lines.append(step(when, _S['evaluate'].sentence(lang)))
        lines.append(step(then, _S['decision'].sentence(lang).replace('{decision}', row['proposal_decision'])))
        # the advisories too: a proposal that changes a should or a may changes them, not the decision
        advised = [a for a in str(row.get("proposal_advisories") or "").split(";") if a]
        for rule in advised:
            lines.append(step(and_, _S["advisory"].sentence(lang).replace("{rule}", _inline(rule))))
        if not advised and row.get("candidate__id") is not None:
            lines.append(step(and_, _S["no_advisory"].sentence(lang)))
        if row.get("posts") is not None and row.get("candidate__id") is not None:
            lines.append(step(and_, _S["total"].sentence(lang).replace(
                "{amount}", _money(row["proposal_allowance_monthly_total"], lang))))
        if row.get("proposal_fund_monthly") is not None:
            lines.append(step(and_, _S["fund"].sentence(lang).replace("{amount}", _money(row["proposal_fund_monthly"], lang))))
    atomic.write_text(folder / f"{policy.id}.feature", "\n".join(lines) + "\n")
    return count

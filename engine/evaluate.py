"""``kiemnhiem evaluate``: a dossier read, checked against the pack, and answered: one case
(``engine.one_case``) or, for a dossier that lists ``holders``, a hamlet's roster
(``engine.one_hamlet``). The use case the command line and the API call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine.contract.decision import Decision, RosterDecision
from engine.contract.dossier import read_dossier, read_dossier_file
from engine.contract.roster import Roster
from engine.one_case import check_as_of, check_post_country, evaluate
from engine.one_hamlet import evaluate_roster
from engine.policy.loader import load_policy


def evaluate_dossier(dossier: Path | str | Mapping[str, Any], pack: str, as_of: date | None = None, *,
                     lang: str | None = None, backend: str = "durable", trace: bool = False,
                     rules: Sequence[Path] = (), proposal: Path | None = None,
                     source: str = "<case>") -> Decision | RosterDecision:
    """``kiemnhiem evaluate``: a dossier (a .json/.yaml file, or a mapping; a hamlet's roster when it
    lists ``holders``, answered by a ``RosterDecision``) against a pack (with an
    optional proposal on top) on a date (default today), explained in ``lang`` (default the
    pack's). Raises ``InputError``/``RuleFileError`` naming what is wrong."""
    day = as_of or date.today()
    policy = load_policy(pack, list(rules), proposal)
    check_as_of(policy, day)
    if isinstance(dossier, Mapping):
        read = read_dossier(dict(dossier), source, day)
    else:
        read = read_dossier_file(Path(dossier), day)
        source = str(dossier)
    check_post_country(policy, read, source)
    if isinstance(read, Roster):  # a hamlet's roster: each holder, then the roster as a whole
        return evaluate_roster(policy, read, day, lang=lang or policy.header.lang, backend=backend, trace=trace)
    return evaluate(policy, read, day, lang=lang or policy.header.lang, backend=backend, trace=trace)

"""Parameters set on every date: ``kiemnhiem compare --set name=value`` and a feature's
``Given the parameter "name" is value`` (``engine.bdd.steps``).

A set is one more layer over a pack, built once here for both: the parameter takes the value from
its first dated value on (or from 1900 when it has none), replacing its history, so a drafter can
ask what a rule does once a province has chosen a value the shipped pack leaves unset (the hamlet
head's term, ``head_term_years``) without writing a pack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine.errors import InputError
from engine.i18n import texts
from engine.policy.build import Layer, build_policy
from engine.policy.loader import pack_layers, proposal_layer, rules_dirs
from engine.policy.model import DatedValue, PackHeader, Parameter, Text
from engine.policy.resolved import Origin, Policy


def _set_title() -> Text:
    """The title of the ``--set`` layer, in every language a pack's ``Text`` holds."""
    return Text.model_validate({lang: text for lang, text in texts("whatif.set-layer").items() if lang in Text.model_fields})


def set_layer(base: Policy, sets: Mapping[str, Any]) -> Layer:
    """``--set name=value``: the parameter takes this value on every date."""
    params: dict[str, tuple[Parameter, Origin]] = {}
    for name, value in sets.items():
        if name not in base.params:
            raise InputError.of("whatif.set-unknown-param", pack=base.id, name=repr(name))
        first = min([start for start, _ in base.params[name].history] or [date(1900, 1, 1)])
        param = Parameter(values={first: DatedValue(value=value, note="--set")}, replace=True)
        params[name] = (param, Origin(pack=f"{base.id}.set", file="--set"))
    header = PackHeader(id=f"{base.id}.set", version="set", title=_set_title(), jurisdiction="-",
                        currency=base.header.currency, country=base.country, fund_base=base.fund_base,
                        lang=base.header.lang)  # it speaks its base's language
    return Layer(header, params)


def with_params(pack: str, sets: Mapping[str, Any], rules: Sequence[Path] = (), proposal: Path | None = None) -> Policy:
    """The pack (from ``rules``, else the shipped packs; with a proposal over it if given) with
    ``sets`` applied on every date, over everything else."""
    layers = pack_layers(pack, rules_dirs(list(rules)))
    if proposal is not None:
        layers.append(proposal_layer(proposal, layers[-1].header))
    return build_policy(layers + [set_layer(build_policy(layers), sets)])

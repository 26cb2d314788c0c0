"""The input contract's columns as a table names them: ``hamlet_households``, ``birth_date``,
``candidate_id``, ``post_allowance_hamlet_head``, and their other names (``id``, ``unit_kind``).

One home for the names: the table reader (``engine.io.tables``), the table of headings
(``engine.io.headings``) and the writers all read them here.
"""

from __future__ import annotations

from functools import lru_cache

from engine.backends.columnar import schema

IDENTIFYING = ["case_id", "hamlet_id", "candidate_id", "hamlet_name", "name", "hamlet_province", "hamlet_district",
               "hamlet_commune"]


def user_columns() -> dict[str, str]:
    """Normalized column → the column name a user writes (hamlet fields prefixed ``hamlet_``)."""
    out = {}
    for name in schema():
        path = name.replace("__", ".")
        if path.startswith("hamlet."):
            out[name] = "hamlet_" + path.split(".", 1)[1]
        elif path == "candidate.id":
            out[name] = "candidate_id"
        elif path.startswith("candidate."):
            out[name] = path.split(".", 1)[1]
        elif path.startswith("post_allowances."):
            out[name] = "post_allowance_" + path.split(".", 1)[1]
        else:
            out[name] = path
    return out


ALIASES = {"id": "candidate_id", "candidate_name": "name"}
#: A table about agencies may name the unit's columns ``unit_<field>`` (``unit_id``, ``unit_kind``,
#: ``unit_commune`` …): the same columns as ``hamlet_<field>`` (a dossier's ``unit:`` is its
#: ``hamlet:``, ``engine.contract.dossier``), read as such and named as written in every message;
#: a table naming both of one field is refused (``engine.io.header.resolve``: two headings, one column).
UNIT_PREFIX, HAMLET_PREFIX = "unit_", "hamlet_"


def unit_aliases() -> dict[str, str]:
    """``unit_<field>`` → ``hamlet_<field>`` for every field of the unit (``hamlet.*``)."""
    return {UNIT_PREFIX + c[len(HAMLET_PREFIX):]: c for c in [*user_columns().values(), *IDENTIFYING]
            if c.startswith(HAMLET_PREFIX)}


def known_columns() -> set[str]:
    """Every column name of the input contract a header may hold."""
    return set(user_columns().values()) | set(ALIASES) | set(unit_aliases()) | set(IDENTIFYING) | {"hamlet_id"}




@lru_cache(maxsize=1)
def engine_names() -> dict[str, str]:
    """The column a user writes → the engine's column (``hamlet_households`` → ``hamlet__households``):
    the inverse of ``user_columns``."""
    return {user: name for name, user in user_columns().items()}

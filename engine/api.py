"""The public entry points: read a case, evaluate it, get a Decision.

    from engine.api import load_policy, read_case, evaluate
    policy = load_policy("vn.nghe-an")
    decision = evaluate(policy, read_case(data), date(2021, 6, 1), lang="vi")

The command line calls only what is here (and so will the web service); each name is defined in
the module that holds its concept and re-exported here.
"""

from __future__ import annotations

from engine.contract.dossier import case_error, read_case, read_case_file
from engine.explain.reasons import explain
from engine.one_case import BACKENDS, check_as_of, check_post_country, decide, evaluate
from engine.policy.loader import load_policy

__all__ = ["BACKENDS", "case_error", "check_as_of", "check_post_country", "decide", "evaluate", "explain",
           "load_policy", "read_case", "read_case_file"]

"""Runs every ``.feature`` under ``features/`` (or $KIEMNHIEM_FEATURES) with the generic steps."""

from __future__ import annotations

import os
from pathlib import Path

from pytest_bdd import scenarios

from bdd_steps import *  # noqa: F401,F403 - the step definitions and the `bdd` fixture

FEATURES = Path(os.environ.get("KIEMNHIEM_FEATURES") or Path(__file__).resolve().parent.parent / "features")

scenarios(str(FEATURES))

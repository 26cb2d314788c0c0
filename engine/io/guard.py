"""A user's input is never overwritten: an output that is an input (by any name or link), or two
outputs on one file, is refused before anything is read."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.errors import InputError, Where


def same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def refuse_overwrite(inputs: Sequence[Path | None], outputs: Mapping[str, Path | None]) -> None:
    """Raise ``InputError`` if an output (named by its option, e.g. ``--output``) is one of the
    inputs, or the same file as another output."""
    given = [(name, p) for name, p in outputs.items() if p is not None]
    for name, out in given:
        for src in inputs:
            if src is not None and same_file(out, src):
                raise InputError.of("output.is-input", Where(file=str(out)), option=name, output=out, input=src)
    for i, (name, out) in enumerate(given):
        for other, out2 in given[i + 1:]:
            if same_file(out, out2):
                raise InputError.of("output.same-file", Where(file=str(out)), option=name, other=other, output=out)

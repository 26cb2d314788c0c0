"""Where the shipped packs and features are: the checkout's top-level folders, or the package's
copy of them once installed.

The user's layout keeps ``rules/`` and ``features/`` at the top of the repository: that is where
drafters edit them. A wheel cannot carry top-level folders, so the build (``setup.py``) copies
them into ``engine/_shipped/``. Code asks here, never ``Path(__file__)``, so a checkout, an
editable install and an installed wheel all find the same packs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_dir(name: str) -> Path:
    """``rules`` or ``features``: the checkout's folder when there is one, else the installed copy."""
    top = _CHECKOUT / name
    if top.is_dir():
        return top
    return _PACKAGE / "_shipped" / name


def load_data(path: Path) -> Any:
    """A YAML data file shipped inside the package (the message catalogues, the input
    vocabulary, the synthetic provinces): our own data, read with the safe loader (the C one
    where PyYAML has it). Drafters' rule files and users' inputs go through
    ``engine.contract.yamlsafe`` instead, which also bounds and locates them."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)

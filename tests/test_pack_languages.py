"""A pack speaks the languages it says it does: every text (title, description, obligation) of a
pack whose header says ``lang: zh`` has its Chinese (``Text.zh``), its own and the ones it
inherits, with the same ``{placeholders}`` as the English; and the Chinese packs, which Chinese
boards read, have Chinese on every text whatever their ``lang``.

Checked here, over the packs as written (the files, before any merge), so that a missing
translation names its file and the place in it.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from conftest import ROOT
from engine.policy.model import PackFile, PackHeader, Text

RULES = ROOT / "rules"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _texts(node: Any, where: str) -> Iterator[tuple[str, Text]]:
    """Every ``Text`` under a pack model, with its path (``criteria[2].title``)."""
    if isinstance(node, Text):
        yield where, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _texts(getattr(node, name), f"{where}.{name}" if where else name)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _texts(value, f"{where}[{i}]")


def _read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def header(folder: Path) -> PackHeader:
    return PackHeader.model_validate(_read(folder / "pack.yaml"))


def untranslated(folder: Path, lang: str = "zh") -> list[str]:
    """``file: path`` of each text of the pack folder with no ``lang``, or whose placeholders differ
    from the English."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        model: BaseModel = header(folder) if path.name == "pack.yaml" else PackFile.model_validate(_read(path))
        for where, text in _texts(model, ""):
            said = getattr(text, lang)
            if not said:
                out.append(f"{path.name}: {where} has no {lang}")
            elif _placeholders(said) != _placeholders(text.en):
                out.append(f"{path.name}: {where}: the {lang} names {sorted(_placeholders(said))}, the en "
                           f"{sorted(_placeholders(text.en))}")
    return out


def chain(folder: Path) -> list[Path]:
    """The pack and the packs it extends, itself first."""
    out = [folder]
    while (base := header(out[-1]).extends) is not None:
        out.append(folder.parent / base)
    return out


def _packs() -> list[Path]:
    return sorted(p.parent for p in RULES.glob("*/pack.yaml"))


def test_a_pack_that_speaks_chinese_has_chinese_on_every_text() -> None:
    for folder in _packs():
        if header(folder).lang == "zh":
            assert [m for p in chain(folder) for m in untranslated(p)] == [], folder.name


def test_the_chinese_packs_have_chinese_on_every_text() -> None:
    chinese = [p for p in _packs() if header(p).country == "CN"]
    assert {p.name for p in chinese} >= {"cn", "cn.hainan", "cn.henan", "cn.hubei"}
    assert {p.name: untranslated(p) for p in chinese} == {p.name: [] for p in chinese}


def test_a_missing_translation_is_found(tmp_path: Path) -> None:
    pack = tmp_path / "cn.x"
    pack.mkdir()
    (pack / "pack.yaml").write_text("id: cn.x\nversion: '1'\ntitle: {vi: X, en: X, zh: 某省}\njurisdiction: CN-X\n"
                                    "currency: CNY\nlang: zh\n", encoding="utf-8")
    (pack / "rules.yaml").write_text(
        "criteria:\n"
        "  - {id: cn.x.a, title: {vi: A, en: A, zh: 甲}, condition: 'true'}\n"
        "  - {id: cn.x.b, title: {vi: 'B {params.n}', en: 'B {params.n}'}, condition: 'true'}\n"
        "  - {id: cn.x.c, title: {vi: 'C {params.n}', en: 'C {params.n}', zh: 丙}, condition: 'true'}\n",
        encoding="utf-8")
    assert untranslated(pack) == ["rules.yaml: criteria[1].title has no zh",
                                  "rules.yaml: criteria[2].title: the zh names [], the en ['params.n']"]

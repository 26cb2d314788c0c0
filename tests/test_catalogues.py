"""Every user-facing text comes from the catalogues (``engine/messages/<lang>/*.yaml``), keyed
by a stable code, complete in every language.

- every code is in every language, with the same placeholders;
- every code the engine asks for (``Error.of("…")``, ``t("…")``, ``texts("…")``) exists;
- no user-facing literal outside the catalogues: ``en=``/``vi=`` texts, ``pick((vi, en))``
  pairs, and any Vietnamese or Chinese text in the code (docstrings aside). ``NOT_YET`` counts
  today's, module by module, as the texts move (issue 15): the test fails on a new one and on a
  count that went down without the list following (so the list only shrinks).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from conftest import ROOT
from engine import i18n

SOURCES = sorted(p for p in (ROOT / "engine").rglob("*.py") if "_shipped" not in p.parts) + [ROOT / "cli.py"]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_code_is_in_every_language_with_the_same_placeholders() -> None:
    english = i18n.catalogue("en")
    assert english, "no English catalogue"
    for lang in i18n.LANGS:
        other = i18n.catalogue(lang)
        assert sorted(set(english) - set(other)) == [], f"missing in {lang}"
        assert sorted(set(other) - set(english)) == [], f"only in {lang}"
        differ = {code: (_placeholders(english[code]), _placeholders(other[code]))
                  for code in english if _placeholders(english[code]) != _placeholders(other[code])}
        assert differ == {}, f"placeholders differ in {lang}"


def test_the_compiled_catalogues_are_the_sources() -> None:
    """``engine/messages/<lang>.json`` is what a start reads; it must say what the YAML says
    (``python3 tasks.py catalogues`` writes it)."""
    for lang in i18n.LANGS:
        assert i18n.compiled_path(lang).read_text(encoding="utf-8") == i18n.catalogue_json(lang), (
            f"engine/messages/{lang}.json is stale: run python3 tasks.py catalogues")


def test_a_compiled_catalogue_is_read_only_when_compiled_from_the_sources_as_they_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    (tmp_path / "en").mkdir()
    source = tmp_path / "en" / "a.yaml"
    source.write_text("x.y: new\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "_MESSAGES", tmp_path)
    try:
        compiled = json.loads(i18n.catalogue_json("en"))
        compiled["texts"]["x.y"] = "from the compiled file"
        (tmp_path / "en.json").write_text(json.dumps(compiled), encoding="utf-8")
        i18n.catalogue.cache_clear()
        assert i18n.catalogue("en") == {"x.y": "from the compiled file"}  # the sources' fingerprint matches
        source.write_text("x.y: edited\n", encoding="utf-8")  # a translator's edit since: the source is read
        i18n.catalogue.cache_clear()
        assert i18n.catalogue("en") == {"x.y": "edited"}
    finally:
        i18n.catalogue.cache_clear()


def test_a_code_in_two_files_of_a_language_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.yaml").write_text("x.y: one\n", encoding="utf-8")
    (tmp_path / "en" / "b.yaml").write_text("x.y: two\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "_MESSAGES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="'x.y' is also in another catalogue"):
            i18n.catalogue("en")
    finally:
        i18n.catalogue.cache_clear()


def _asked_for(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name in ("of", "t", "texts"):
                out.append(node.args[0].value)
    return out


def test_every_code_the_engine_asks_for_exists() -> None:
    known = set(i18n.catalogue("en"))
    asked = {(str(path.relative_to(ROOT)), code) for path in SOURCES
             for code in _asked_for(ast.parse(path.read_text(encoding="utf-8")))}
    assert asked, "the scan finds nothing: it is broken"
    assert sorted((f, c) for f, c in asked if c not in known) == []


# Vietnamese letters (with their tone marks) and Chinese characters
_WORDS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ\u4e00-\u9fff]")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def literals(tree: ast.AST) -> list[int]:
    """The lines of the user-facing literals of a module."""
    docs = _docstrings(tree)
    lines: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in i18n.LANGS and _is_text(node.value):
            lines.append(node.value.lineno)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "pick" and node.args \
                and isinstance(node.args[0], ast.Tuple) and any(_is_text(e) for e in node.args[0].elts):
            lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                and _WORDS.search(node.value):
            lines.append(node.lineno)
    return sorted(set(lines))


#: module → lines with user-facing literals still outside the catalogues (only shrinks)
NOT_YET: dict[str, int] = {}


def test_no_user_facing_literal_outside_the_catalogues() -> None:
    found = {}
    for path in SOURCES:
        n = len(literals(ast.parse(path.read_text(encoding="utf-8"))))
        if n:
            found[str(path.relative_to(ROOT))] = n
    grown = {m: (NOT_YET.get(m, 0), n) for m, n in found.items() if n > NOT_YET.get(m, 0)}
    assert grown == {}, "user-facing text written in the code: put it in engine/messages (NOT_YET: before, now)"
    shrunk = {m: (n, found.get(m, 0)) for m, n in NOT_YET.items() if found.get(m, 0) < n}
    assert shrunk == {}, "fewer literals than NOT_YET says: lower the count (or remove the module)"


def test_the_literal_scan_finds_each_kind() -> None:
    code = '''
def f(lang):
    """Thôn: a docstring may say it."""
    raise E(en="an error", vi=f"lỗi {lang}")
    x = pick(("có", "yes"), lang)
    y = "一肩挑"
'''
    assert literals(ast.parse(code)) == [4, 5, 6]

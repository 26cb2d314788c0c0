"""Safe reading of rule files and dossiers: YAML (and JSON dossiers) that remember line numbers.

Rule files and dossiers are data: only the safe loader is used, never one that can build
Python objects. Mappings come back as ``LineDict`` so an error can point at the line a drafter
wrote. Dates stay as text here; pydantic turns them into dates where a date is expected.

Everything read here may be broken or hostile, so the limits of ``engine.limits`` are enforced
before anything is built from it: the file's size (and that it is a regular file at all: not a
folder, a link to nowhere or a pipe that would block), UTF-8, nesting depth, YAML aliases (a
"billion laughs" document is refused before it is expanded), digits in a number and non-finite
numbers (``.nan``, ``.inf``, ``1e999``). Each gives an ``InputError`` or ``RuleFileError`` naming
the file and line.
"""

from __future__ import annotations

import json
import math
from itertools import chain
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from engine.errors import InputError, KiemnhiemError, RuleFileError, Where
from engine.i18n import Msg, Num
from engine.limits import (MAX_DOSSIER_BYTES, MAX_NESTING, MAX_NUMBER_DIGITS, MAX_RULE_FILE_BYTES,
                     MAX_YAML_ALIASES, quote)

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[Any, Any]):
    """A dict that knows the 1-based line where it started in its file."""

    __slots__ = ("line", "key_lines")
    line: int  # where the mapping starts
    key_lines: dict[Any, int]  # where each key is written


class _Refused(yaml.YAMLError):
    """A limit exceeded while building the document: the message (any language) and the mark."""

    def __init__(self, msg: Msg, mark: Any = None):
        super().__init__(msg.code)
        self.msg, self.mark = msg, mark


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise _Refused(Msg.of("yaml.key-not-plain"), key_node.start_mark) from None
        if key in result:
            raise _Refused(Msg.of("yaml.duplicate-key", key=quote(key)), key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_TOO_MANY_DIGITS = Msg.of("yaml.too-many-digits", digits=MAX_NUMBER_DIGITS)
_TOO_DEEP = Msg.of("yaml.too-deep", levels=MAX_NESTING)
_NOT_FINITE = Msg.of("yaml.not-finite")


def _significant_digits(text: str) -> int:
    """Digits of a number's mantissa, leading zeros and any base prefix left out."""
    mantissa = re.split(r"[eE]", text, maxsplit=1)[0] if not re.match(r"[-+]?0[xX]", text) else text[2:]
    mantissa = re.sub(r"^[-+]?0[oObB]", "", mantissa)
    digits = re.sub(r"[^0-9a-fA-F]", "", mantissa)
    return len(digits.lstrip("0"))


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _Refused(_TOO_MANY_DIGITS, node.start_mark)
    value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise _Refused(_TOO_MANY_DIGITS, node.start_mark)
    return value


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    text = str(node.value)
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _Refused(_TOO_MANY_DIGITS, node.start_mark)
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise _Refused(_NOT_FINITE, node.start_mark)
    if abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise _Refused(_TOO_MANY_DIGITS, node.start_mark)
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _too_deep(mark: Any) -> _Refused:
    return _Refused(_TOO_DEEP, mark)


def _check_nodes(root: yaml.Node) -> None:
    """Refuse a document nested too deeply or using too many aliases, before building it.

    Aliases of lists and mappings are counted as the document would be expanded: an alias inside
    an anchored node counts again each time that node is referenced, so a "billion laughs"
    document (aliases of aliases) exceeds ``MAX_YAML_ALIASES`` after a few references, whatever
    its size on disk. (An alias of a single value cannot expand, and is not counted.)
    Each node is visited once (heights and alias counts are remembered), so this is linear.
    """
    memo: dict[int, tuple[int, int]] = {}  # id(node) -> (height, aliases inside it once expanded)
    busy: set[int] = set()  # the nodes being walked: an alias to one of them is a cycle
    scalar = yaml.ScalarNode

    def walk(node: yaml.Node, depth: int) -> tuple[int, int]:
        if depth > MAX_NESTING:
            raise _too_deep(node.start_mark)
        busy.add(id(node))
        children = node.value if isinstance(node, yaml.SequenceNode) else chain.from_iterable(node.value)
        height, aliases = 0, 0
        for child in children:
            if isinstance(child, scalar):  # a leaf: an alias to it cannot expand into anything
                continue
            key = id(child)
            # an alias node is the anchored node itself, marked where the anchor is: the place
            # to point at is the list or mapping that holds the alias
            if key in busy:
                raise _Refused(Msg.of("yaml.alias-cycle"), node.start_mark)
            if key in memo:  # an alias: the node is built again here, with every alias inside it
                h, a = memo[key]
                a += 1
                if depth + h > MAX_NESTING:
                    raise _too_deep(node.start_mark)
            else:
                h, a = memo[key] = walk(child, depth + 1)
            height, aliases = max(height, h), aliases + a
            if aliases > MAX_YAML_ALIASES:
                raise _Refused(Msg.of("yaml.too-many-aliases", aliases=MAX_YAML_ALIASES), node.start_mark)
        busy.discard(id(node))
        return height + 1, aliases

    if not isinstance(root, scalar):
        walk(root, 1)


def _parse(text: str, name: str, error_cls: type[KiemnhiemError], pack: str | None = None) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        return loader.construct_document(node)
    except _Refused as exc:
        line = exc.mark.line + 1 if exc.mark is not None else None
        raise error_cls.of(exc.msg.code, Where(pack=pack, file=name, line=line), **exc.msg.params) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        position = getattr(exc, "position", None)  # a ReaderError (a control character) has no mark
        if line is None and isinstance(position, int):
            line = text.count("\n", 0, position) + 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise error_cls.of("yaml.invalid", Where(pack=pack, file=name, line=line), problem=problem) from None
    except RecursionError:  # only without libyaml (the pure-Python composer recurses)
        raise error_cls.of(_TOO_DEEP.code, Where(pack=pack, file=name), **_TOO_DEEP.params) from None
    finally:
        loader.dispose()


# -- files -------------------------------------------------------------------------------------


def read_text_file(path: Path, limit: int, error_cls: type[KiemnhiemError], pack: str | None = None) -> str:
    """A file's text, refusing anything but a regular UTF-8 file of at most ``limit`` bytes.

    Opened without following the promise of a name: a folder, a link to nowhere or in a loop, a
    pipe or a device is refused (a pipe is opened non-blocking, so it cannot hang the read), and
    no more than ``limit + 1`` bytes are ever read.
    """
    name = str(path)
    where = Where(pack=pack, file=name)

    def refuse(code: str, **params: Any) -> KiemnhiemError:
        return error_cls.of(code, where, **params)

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise refuse("input.file.dangling-link", target=quote(os.readlink(path))) from None
        raise refuse("input.file.missing") from None
    except IsADirectoryError:
        raise refuse("input.file.folder") from None
    except PermissionError:
        raise refuse("input.file.no-permission") from None
    except OSError as exc:
        if os.path.islink(path):
            raise refuse("input.file.bad-link", reason=exc.strerror) from None
        raise refuse("input.file.unreadable", reason=exc.strerror) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("input.file.folder")
        if not stat.S_ISREG(info.st_mode):
            raise refuse("input.file.not-regular")
        if info.st_size > limit:
            raise refuse("input.file.too-large", size=Num(info.st_size), limit=Num(limit))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise refuse("input.file.grew-too-large", limit=Num(limit))
        data = b"".join(chunks)
    except OSError as exc:
        raise refuse("input.file.unreadable", reason=exc.strerror) from None
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error_cls.of("input.file.not-utf8", Where(pack=pack, file=name, line=line), byte=exc.start + 1) from None


def load_rule_file(path: Path, pack: str | None = None) -> Any:
    return _parse(read_text_file(path, MAX_RULE_FILE_BYTES, RuleFileError, pack), str(path), RuleFileError, pack)


def read_input_file(path: Path) -> str:
    """A dossier's text (JSON or YAML), within ``MAX_DOSSIER_BYTES``."""
    return read_text_file(path, MAX_DOSSIER_BYTES, InputError)


def load_input_text(text: str, name: str) -> Any:
    return _parse(text, name, InputError)


# -- JSON dossiers -----------------------------------------------------------------------------

# a string (an unterminated one runs to the end: possessive, so never quadratic), a bracket or
# separator, or any other run of characters (a number, a literal)
_JSON_TOKEN = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)|[\[\]{}:,]|[^\s"\[\]{}:,]+', re.DOTALL)


class _JsonRefused(Exception):
    """A duplicate key (``key``) or a number refused (``needle``: its text), found while parsing."""

    def __init__(self, msg: Msg, needle: str = "", key: str | None = None):
        super().__init__(msg.code)
        self.msg, self.needle, self.key = msg, needle, key


def _json_line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _json_depth(text: str, name: str) -> None:
    """Refuse JSON nested more than ``MAX_NESTING`` deep before the (recursive) parser sees it."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                raise InputError.of(_TOO_DEEP.code, Where(file=name, line=_json_line(text, m.start())), **_TOO_DEEP.params)
        elif tok in ("]", "}"):
            depth -= 1


def _value_line(text: str, needle: str) -> int | None:
    """The line of the first value (not a key, not inside a string) written as ``needle``."""
    tokens = list(_JSON_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        if m.group() == needle and (i + 1 == len(tokens) or tokens[i + 1].group() != ":"):
            return _json_line(text, m.start())
    return None


def _duplicate_line(text: str, key: str) -> int | None:
    """The line where ``key`` appears a second time in one JSON object."""
    stack: list[set[str] | None] = []
    tokens = list(_JSON_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        tok = m.group()
        if tok == "{":
            stack.append(set())
        elif tok == "[":
            stack.append(None)
        elif tok in ("}", "]"):
            if stack:
                stack.pop()
        elif tok.startswith('"') and i + 1 < len(tokens) and tokens[i + 1].group() == ":" and stack and stack[-1] is not None:
            try:
                name = json.loads(tok)
            except ValueError:
                continue
            if name in stack[-1]:
                if name == key:
                    return _json_line(text, m.start())
            stack[-1].add(name)
    return None


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonRefused(Msg.of("yaml.json-duplicate-key", key=quote(key)), key=key)
        out[key] = value
    return out


def _json_int(text: str) -> int:
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _JsonRefused(_TOO_MANY_DIGITS, text)
    return int(text)


def _json_float(text: str) -> float:
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _JsonRefused(_TOO_MANY_DIGITS, text)
    value = float(text)
    if not math.isfinite(value):
        raise _JsonRefused(_NOT_FINITE, text)
    if abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise _JsonRefused(_TOO_MANY_DIGITS, text)
    return value


def _json_constant(text: str) -> float:
    raise _JsonRefused(_NOT_FINITE, text)


def load_input_json(text: str, name: str) -> Any:
    """A JSON dossier, refusing duplicate keys, deep nesting, long and non-finite numbers, with lines."""
    _json_depth(text, name)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_json_int, parse_float=_json_float,
                          parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise InputError.of("yaml.json-invalid", Where(file=name, line=exc.lineno), problem=exc.msg) from None
    except _JsonRefused as exc:
        line = _duplicate_line(text, exc.key) if exc.key is not None else _value_line(text, exc.needle)
        raise InputError.of(exc.msg.code, Where(file=name, line=line), **exc.msg.params) from None
    except RecursionError:  # _json_depth makes this unreachable; kept as the last guard
        raise InputError.of(_TOO_DEEP.code, Where(file=name), **_TOO_DEEP.params) from None

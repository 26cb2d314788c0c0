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
from engine.limits import (MAX_DOSSIER_BYTES, MAX_NESTING, MAX_NUMBER_DIGITS, MAX_RULE_FILE_BYTES,
                     MAX_YAML_ALIASES, quote)

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[Any, Any]):
    """A dict that knows the 1-based line where it started in its file."""

    __slots__ = ("line", "key_lines")
    line: int  # where the mapping starts
    key_lines: dict[Any, int]  # where each key is written


class _Refused(yaml.YAMLError):
    """A limit exceeded while building the document; carries both languages and the mark."""

    def __init__(self, en: str, vi: str, mark: Any = None):
        super().__init__(en)
        self.en, self.vi, self.mark = en, vi, mark


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
            raise _Refused("a key must be a plain value (a name or a number), not a list or a mapping",
                           "khóa phải là một giá trị đơn (tên hoặc số), không phải danh sách hay ánh xạ",
                           key_node.start_mark) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {quote(key)}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_TOO_MANY_DIGITS = (f"a number may have at most {MAX_NUMBER_DIGITS} digits",
                    f"một số chỉ được có tối đa {MAX_NUMBER_DIGITS} chữ số")
_NOT_FINITE = ("a number must be finite (not .nan or .inf, nor so large it overflows)",
               "số phải hữu hạn (không phải .nan hay .inf, cũng không lớn đến mức tràn)")


def _significant_digits(text: str) -> int:
    """Digits of a number's mantissa, leading zeros and any base prefix left out."""
    mantissa = re.split(r"[eE]", text, maxsplit=1)[0] if not re.match(r"[-+]?0[xX]", text) else text[2:]
    mantissa = re.sub(r"^[-+]?0[oObB]", "", mantissa)
    digits = re.sub(r"[^0-9a-fA-F]", "", mantissa)
    return len(digits.lstrip("0"))


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _Refused(*_TOO_MANY_DIGITS, node.start_mark)
    value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise _Refused(*_TOO_MANY_DIGITS, node.start_mark)
    return value


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    text = str(node.value)
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _Refused(*_TOO_MANY_DIGITS, node.start_mark)
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise _Refused(*_NOT_FINITE, node.start_mark)
    if abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise _Refused(*_TOO_MANY_DIGITS, node.start_mark)
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _too_deep(mark: Any) -> _Refused:
    return _Refused(f"nested more than {MAX_NESTING} levels deep (mappings and lists)",
                    f"lồng sâu quá {MAX_NESTING} cấp (ánh xạ và danh sách)", mark)


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
                raise _Refused("a YAML alias refers to the structure that contains it",
                               "một bí danh YAML trỏ tới chính cấu trúc chứa nó", node.start_mark)
            if key in memo:  # an alias: the node is built again here, with every alias inside it
                h, a = memo[key]
                a += 1
                if depth + h > MAX_NESTING:
                    raise _too_deep(node.start_mark)
            else:
                h, a = memo[key] = walk(child, depth + 1)
            height, aliases = max(height, h), aliases + a
            if aliases > MAX_YAML_ALIASES:
                raise _Refused(f"more than {MAX_YAML_ALIASES} YAML aliases (*name) once expanded",
                               f"quá {MAX_YAML_ALIASES} bí danh YAML (*tên) khi mở rộng", node.start_mark)
        busy.discard(id(node))
        return height + 1, aliases

    if not isinstance(root, scalar):
        walk(root, 1)


def _parse(text: str, name: str, error_cls: type, pack: str | None = None) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        return loader.construct_document(node)
    except _Refused as exc:
        line = exc.mark.line + 1 if exc.mark is not None else None
        raise error_cls(en=exc.en, vi=exc.vi, where=Where(pack=pack, file=name, line=line)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        position = getattr(exc, "position", None)  # a ReaderError (a control character) has no mark
        if line is None and isinstance(position, int):
            line = text.count("\n", 0, position) + 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise error_cls(
            en=f"not valid YAML: {problem}",
            vi=f"không phải YAML hợp lệ: {problem}",
            where=Where(pack=pack, file=name, line=line),
        ) from None
    except RecursionError:  # only without libyaml (the pure-Python composer recurses)
        deep = _too_deep(None)
        raise error_cls(en=deep.en, vi=deep.vi, where=Where(pack=pack, file=name)) from None
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

    def refuse(en: str, vi: str) -> KiemnhiemError:
        return error_cls(en=en, vi=vi, where=where)

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise refuse(f"a link to {quote(os.readlink(path))}, which does not exist",
                         f"liên kết tới {quote(os.readlink(path))}, nhưng đích không tồn tại") from None
        raise refuse("no such file", "không tìm thấy tệp") from None
    except IsADirectoryError:
        raise refuse("a folder, not a file", "đây là thư mục, không phải tệp") from None
    except PermissionError:
        raise refuse("the file cannot be read (permission denied)", "không có quyền đọc tệp") from None
    except OSError as exc:
        if os.path.islink(path):
            raise refuse(f"a link that cannot be followed ({exc.strerror})",
                         f"liên kết không thể mở ({exc.strerror})") from None
        raise refuse(f"the file cannot be read ({exc.strerror})", f"không đọc được tệp ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("a folder, not a file", "đây là thư mục, không phải tệp")
        if not stat.S_ISREG(info.st_mode):
            raise refuse("not a regular file (a pipe, socket or device)",
                         "không phải tệp thông thường (ống, socket hay thiết bị)")
        if info.st_size > limit:
            raise refuse(f"the file has {info.st_size:,} bytes; at most {limit:,} are read",
                         f"tệp có {info.st_size:,} byte; tối đa {limit:,} byte")
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
            raise refuse(f"the file has more than {limit:,} bytes", f"tệp lớn hơn {limit:,} byte")
        data = b"".join(chunks)
    except OSError as exc:
        raise refuse(f"the file cannot be read ({exc.strerror})", f"không đọc được tệp ({exc.strerror})") from None
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error_cls(en=f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read)",
                        vi=f"tệp không phải văn bản UTF-8 (byte {exc.start + 1} không đọc được)",
                        where=Where(pack=pack, file=name, line=line)) from None


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

    def __init__(self, en: str, vi: str, needle: str = "", key: str | None = None):
        super().__init__(en)
        self.en, self.vi, self.needle, self.key = en, vi, needle, key


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
                raise InputError(en=_too_deep(None).en, vi=_too_deep(None).vi,
                                 where=Where(file=name, line=_json_line(text, m.start())))
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
            raise _JsonRefused(f"the key {quote(key)} is given twice in the same object",
                               f"khóa {quote(key)} xuất hiện hai lần trong cùng một đối tượng", key=key)
        out[key] = value
    return out


def _json_int(text: str) -> int:
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _JsonRefused(*_TOO_MANY_DIGITS, text)
    return int(text)


def _json_float(text: str) -> float:
    if _significant_digits(text) > MAX_NUMBER_DIGITS:
        raise _JsonRefused(*_TOO_MANY_DIGITS, text)
    value = float(text)
    if not math.isfinite(value):
        raise _JsonRefused(*_NOT_FINITE, text)
    if abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise _JsonRefused(*_TOO_MANY_DIGITS, text)
    return value


def _json_constant(text: str) -> float:
    raise _JsonRefused(*_NOT_FINITE, text)


def load_input_json(text: str, name: str) -> Any:
    """A JSON dossier, refusing duplicate keys, deep nesting, long and non-finite numbers, with lines."""
    _json_depth(text, name)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_json_int, parse_float=_json_float,
                          parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise InputError(en=f"not valid JSON: {exc.msg}", vi=f"không phải JSON hợp lệ: {exc.msg}",
                         where=Where(file=name, line=exc.lineno)) from None
    except _JsonRefused as exc:
        line = _duplicate_line(text, exc.key) if exc.key is not None else _value_line(text, exc.needle)
        raise InputError(en=exc.en, vi=exc.vi, where=Where(file=name, line=line)) from None
    except RecursionError:  # _json_depth makes this unreachable; kept as the last guard
        raise InputError(en=_too_deep(None).en, vi=_too_deep(None).vi, where=Where(file=name)) from None

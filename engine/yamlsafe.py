"""Safe YAML loading that remembers line numbers.

Rule files and dossiers are data: only the safe loader is used, never one that can build
Python objects. Mappings come back as ``LineDict`` so an error can point at the line a drafter
wrote. Dates stay as text here; pydantic turns them into dates where a date is expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, RuleFileError, Where

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A dict that knows the 1-based line where it started in its file."""

    __slots__ = ("line", "key_lines")


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def _parse(text: str, name: str, error_cls: type) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise error_cls(
            en=f"not valid YAML: {problem}",
            vi=f"không phải YAML hợp lệ: {problem}",
            where=Where(file=name, line=line),
        ) from None


def load_rule_file(path: Path) -> Any:
    return _parse(path.read_text(encoding="utf-8"), str(path), RuleFileError)


def load_input_text(text: str, name: str) -> Any:
    return _parse(text, name, InputError)

"""Safe YAML reading that remembers line numbers, for errors that point at a line.

Only plain data is accepted: no tags, no aliases (so no "billion laughs"), no dates
(a date stays the string it was written as), and no duplicate keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ComprendeError


class LineDict(dict):
    """A mapping read from YAML, with the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence read from YAML, with the line of each element."""

    line: int = 0
    item_lines: list[int]


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without timestamps, aliases or explicit tags."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose_node(self: _PlainLoader, parent: Any, index: Any) -> Any:
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        raise ComprendeError(
            "YAML aliases (*name) are not allowed",
            line=event.start_mark.line + 1,
            fix="write the value out in full instead of referring to an anchor",
        )
    event = self.peek_event()
    tag = getattr(event, "tag", None)
    if tag not in (None, "!") and not getattr(event, "implicit", (True,))[0]:
        raise ComprendeError(
            f"YAML tags ({tag}) are not allowed",
            line=event.start_mark.line + 1,
            fix="remove the tag; write plain text, numbers, lists and mappings only",
        )
    return yaml.SafeLoader.compose_node(self, parent, index)


_PlainLoader.compose_node = _compose_node  # type: ignore[method-assign]


def _construct_mapping(loader: _PlainLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise ComprendeError(
                "a key must be plain text",
                line=key_node.start_mark.line + 1,
                fix="write the key as text, e.g. `pregunta-1:`",
            )
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise ComprendeError(
                f"the key {key!r} appears twice in the same mapping",
                line=key_node.start_mark.line + 1,
                fix=f"keep one {key!r} (the other is on line {result.key_lines[key]})",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _PlainLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_PlainLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_PlainLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse YAML text; syntax and safety errors name ``path`` and the line."""
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except ComprendeError as exc:
        exc.path = str(path)
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ComprendeError(
            f"YAML syntax error: {problem}",
            path=path,
            line=line,
            fix="check indentation, colons and quotes on that line "
            "(text with ': ' or '#' needs quotes)",
        ) from None
    except yaml.YAMLError as exc:
        raise ComprendeError(f"YAML error: {exc}", path=path, fix="check the file") from None


def read_yaml(path: str | Path) -> Any:
    """Read and parse a UTF-8 YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ComprendeError("file not found", path=path, fix="check the path") from None
    except UnicodeDecodeError as exc:
        raise ComprendeError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path, fix="save as UTF-8"
        ) from None
    return parse_yaml(text, path)

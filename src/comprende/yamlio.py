"""Safe YAML reading that remembers line numbers, for errors that point at a line.

Only plain data is accepted: no tags, no aliases (so no "billion laughs"), no dates
(a date stays the string it was written as), and no duplicate keys. Parsing is done
by libyaml (the C composer) when available; the node tree is then turned into data
here, with the line of every mapping, key and list element.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .errors import ComprendeError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PREFIX = "tag:yaml.org,2002:"
_SCALARS = {f"{_PREFIX}{name}" for name in ("str", "int", "float", "bool", "null")}
_constructor = SafeConstructor()


class LineDict(dict):
    """A mapping read from YAML, with the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence read from YAML, with the line of each element."""

    line: int = 0
    item_lines: list[int]


def _refuse(message: str, node: yaml.Node, fix: str) -> ComprendeError:
    return ComprendeError(message, line=node.start_mark.line + 1, fix=fix)


class _Builder:
    """Turns a composed node tree into plain data, refusing aliases and tags."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.seen:
            raise _refuse(
                "YAML aliases (*name) are not allowed",
                node,
                "write the value out in full instead of referring to an anchor",
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            result = LineList(self.build(child) for child in node.value)
            result.line = node.start_mark.line + 1
            result.item_lines = [child.start_mark.line + 1 for child in node.value]
            return result
        if node.tag == f"{_PREFIX}timestamp":
            return node.value  # a date stays text
        if node.tag not in _SCALARS:
            raise _refuse(
                f"YAML tags ({node.tag}) are not allowed",
                node,
                "remove the tag; write plain text, numbers, lists and mappings only",
            )
        return _constructor.yaml_constructors[node.tag](_constructor, node)

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        if node.tag != f"{_PREFIX}map":
            raise _refuse(f"YAML tags ({node.tag}) are not allowed", node, "remove the tag")
        result = LineDict()
        result.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _refuse(
                    "a key must be plain text",
                    key_node,
                    "write the key as text, e.g. `pregunta-1:`",
                )
            key = self.build(key_node)
            key = key if isinstance(key, str) else str(key)
            if key == "<<":
                raise _refuse(
                    "YAML merge keys (<<) are not allowed", key_node, "write the keys out in full"
                )
            if key in result:
                raise _refuse(
                    f"the key {key!r} appears twice in the same mapping",
                    key_node,
                    f"keep one {key!r} (the other is on line {result.key_lines[key]})",
                )
            result[key] = self.build(value_node)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse YAML text; syntax and safety errors name ``path`` and the line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        return None if node is None else _Builder().build(node)
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
    except (yaml.YAMLError, ValueError, TypeError) as exc:
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

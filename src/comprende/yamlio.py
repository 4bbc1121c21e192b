"""Safe YAML reading that remembers line numbers, for errors that point at a line.

Only plain data is accepted: no tags, no aliases (so no "billion laughs"), no dates
(a date stays the string it was written as), and no duplicate keys. Parsing is done
by libyaml (the C composer) when available; the node tree is then turned into data
here, with the line of every mapping, key and list element.

Exercise banks, glossaries and test data are read with YAML 1.1's scalar rules (as
PyYAML's safe loader reads them). **Answers files** (``parse_yaml(..., answers_file=True)``)
use a stricter rule, so that a value keeps the text the student wrote:

* a quoted scalar, or one tagged ``!!str``, is text; any other tag than YAML's
  scalar ones (``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!timestamp``) is
  refused, and those do not change the rule below (``!!int 0o17`` is ``"0o17"``);
* otherwise, by its text: ``null``, ``~`` or nothing is null; ``true`` / ``false`` are
  booleans; ``0`` or ``-?[1-9][0-9]*`` is an integer; ``-?(0|[1-9][0-9]*)[.][0-9]+`` is a
  float; **everything else is text**: ``012345``, ``0o17``, ``1:30``, ``yes``, ``no``,
  ``on``, ``off``, ``True``, ``.inf``, ``.nan``, ``1e3``, ``1_000``, ``2024-11-27``;
* an integer of more than :data:`MAX_INT_DIGITS` digits, or a float past the float
  range, becomes an :class:`~comprende.textnorm.Unusable` text (graded invalid);
* a mapping key is always the text of its scalar as written (``1:`` is the key ``"1"``);
* every mapping remembers the source text of its scalar values (``LineDict.raw``), so
  ``student.id`` and ``student.name`` can keep exactly what was written;
* nesting deeper than :data:`MAX_DEPTH` levels is refused.

Messages for answers files are in Spanish (students read them).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .errors import ComprendeError
from .textnorm import Unusable, show

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PREFIX = "tag:yaml.org,2002:"
_SCALARS = {f"{_PREFIX}{name}" for name in ("str", "int", "float", "bool", "null")}
_constructor = SafeConstructor()

#: Longest integer an answers file may hold (Python's default conversion limit).
MAX_INT_DIGITS = 4300
#: Deepest nesting of lists and mappings in an answers file (a real one has 3 levels).
MAX_DEPTH = 20
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z")

TOO_BIG = "el número «{text}» es demasiado grande para usarlo."


def answer_scalar(text: str) -> Any:
    """The value of an untagged plain scalar in an answers file (see the module doc)."""
    if text in ("", "~", "null"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if _INT.match(text):
        if len(text.lstrip("-")) > MAX_INT_DIGITS:
            return Unusable(show(text), TOO_BIG.format(text=show(text, 20)))
        return int(text)
    if _FLOAT.match(text):
        value = float(text)
        if not math.isfinite(value):
            return Unusable(show(text), TOO_BIG.format(text=show(text, 20)))
        return value
    return text


class LineDict(dict):
    """A mapping read from YAML, with the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]
    #: The source text of each scalar value (answers files only).
    raw: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}
        self.raw = {}

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

    def __init__(self, answers_file: bool = False) -> None:
        self.seen: set[int] = set()
        self.answers_file = answers_file
        self.depth = 0

    def _say(self, english: str, spanish: str) -> str:
        return spanish if self.answers_file else english

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.seen:
            raise _refuse(
                self._say(
                    "YAML aliases (*name) are not allowed", "no se admiten alias YAML (*nombre)"
                ),
                node,
                self._say(
                    "write the value out in full instead of referring to an anchor",
                    "escribe el valor completo en vez de referirte a un ancla (&nombre)",
                ),
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            self.depth += 1
            if self.answers_file and self.depth > MAX_DEPTH:
                raise _refuse(
                    f"el archivo tiene demasiados niveles de listas o bloques (más de {MAX_DEPTH})",
                    node,
                    "entrega el archivo tal como se descargó o como la plantilla",
                )
            try:
                if isinstance(node, yaml.MappingNode):
                    return self._mapping(node)
                result = LineList(self.build(child) for child in node.value)
                result.line = node.start_mark.line + 1
                result.item_lines = [child.start_mark.line + 1 for child in node.value]
                return result
            finally:
                self.depth -= 1
        if self.answers_file:
            return self._answer_scalar(node)
        if node.tag == f"{_PREFIX}timestamp":
            return node.value  # a date stays text
        if node.tag not in _SCALARS:
            raise _refuse(
                f"YAML tags ({node.tag}) are not allowed",
                node,
                "remove the tag; write plain text, numbers, lists and mappings only",
            )
        return _constructor.yaml_constructors[node.tag](_constructor, node)

    def _answer_scalar(self, node: yaml.Node) -> Any:
        if node.tag == f"{_PREFIX}str":
            return node.value
        if node.tag not in _SCALARS and node.tag != f"{_PREFIX}timestamp":
            raise _refuse(
                f"no se admiten etiquetas YAML ({show(node.tag)})",
                node,
                "borra la etiqueta (lo que empieza por «!»); escribe solo textos, números, "
                "listas y pares «clave: valor»",
            )
        return answer_scalar(node.value)

    def _key(self, key_node: yaml.Node) -> str:
        if self.answers_file:
            if key_node.value == "<<":
                return "<<"
            if key_node.tag not in _SCALARS and key_node.tag != f"{_PREFIX}timestamp":
                self._answer_scalar(key_node)  # refuses the tag
            return str(key_node.value)
        key = self.build(key_node)
        return key if isinstance(key, str) else str(key)

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        if node.tag != f"{_PREFIX}map":
            raise _refuse(
                self._say(
                    f"YAML tags ({node.tag}) are not allowed",
                    f"no se admiten etiquetas YAML ({show(node.tag)})",
                ),
                node,
                self._say("remove the tag", "borra la etiqueta (lo que empieza por «!»)"),
            )
        result = LineDict()
        result.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _refuse(
                    self._say("a key must be plain text", "una clave debe ser un texto"),
                    key_node,
                    self._say(
                        "write the key as text, e.g. `pregunta-1:`",
                        "escribe la clave como texto, por ejemplo `pregunta-1:`",
                    ),
                )
            key = self._key(key_node)
            if key == "<<":
                raise _refuse(
                    self._say(
                        "YAML merge keys (<<) are not allowed",
                        "no se admiten claves de fusión YAML (<<)",
                    ),
                    key_node,
                    self._say("write the keys out in full", "escribe cada clave completa"),
                )
            if key in result:
                raise _refuse(
                    self._say(
                        f"the key {key!r} appears twice in the same mapping",
                        f"la clave «{show(key)}» aparece dos veces en el mismo bloque",
                    ),
                    key_node,
                    self._say(
                        f"keep one {key!r} (the other is on line {result.key_lines[key]})",
                        f"deja solo una (la otra está en la línea {result.key_lines[key]})",
                    ),
                )
            result[key] = self.build(value_node)
            result.key_lines[key] = key_node.start_mark.line + 1
            if self.answers_file and isinstance(value_node, yaml.ScalarNode):
                result.raw[key] = value_node.value
        return result


def parse_yaml(text: str, path: str | Path, *, answers_file: bool = False) -> Any:
    """Parse YAML text; syntax and safety errors name ``path`` and the line.

    ``answers_file``: use the answers files' scalar rule and Spanish messages (module doc).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
        return None if node is None else _Builder(answers_file).build(node)
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

"""Reading and checking answers files (JSON, or YAML for hand editing).

The contract (PRODUCT.md): ``{"module": <bank id>, "student": {"id": …, "name": …},
"answers": {<item id>: <value>}}``. Messages here are for students, in Spanish.

How a file is read (nothing in one file makes the reader raise):

* **Bytes to text.** A UTF-8/16/32 byte order mark decides (bytes that are not valid in
  that encoding are replaced by «�», with a warning). Otherwise UTF-16-LE if more than a
  quarter of the bytes at odd positions are zero and it decodes, else UTF-8. A file
  that is not valid UTF-8 but holds at least one valid multi-byte UTF-8 sequence is read
  as UTF-8 with the bad bytes replaced by «�», and a warning names their lines; a file
  with no valid multi-byte sequence at all (the usual Windows-1252 file) is read as
  Windows-1252, with a warning.
* **Text to data.** JSON, or YAML by the answers-file rule of :mod:`comprende.yamlio`
  (values keep their text: ``id: 012345`` is ``"012345"``). A key that appears twice in
  one object is an error, in JSON as in YAML, at any depth. Nesting deeper than
  :data:`~comprende.yamlio.MAX_DEPTH` levels is an error. A JSON number that has no
  finite value (``1e400``, ``NaN``, ``Infinity``, an integer of more than 4,300 digits)
  is kept as its text in an :class:`~comprende.textnorm.Unusable`, which grading marks
  invalid (0 points).
* **Data to a submission.** Every key is compared after
  :func:`~comprende.textnorm.clean_text` and trimming (so ``"p1\\u200b"`` is ``p1``; two
  keys that become one are an error; a key of more than :data:`MAX_KEY_CHARS` characters,
  which names no item, is cut and ends in «…»). ``module`` is cleaned and trimmed.
  ``student.id`` and ``student.name`` are the text of their scalar as written (a number
  stays its digits), cleaned, trimmed and with inner white space collapsed; they may not
  hold a lone surrogate or a control character, nor exceed :data:`MAX_FIELD_CHARS`.
  A lone surrogate (``"\\ud800"``) in ``module``, ``student.id`` or ``student.name`` is
  an error; in an answer it makes that answer invalid; in an item id it makes the id
  an unknown question, shown with the escape.
"""

from __future__ import annotations

import codecs
import errno
import functools
import json
import math
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ComprendeError
from .files import not_regular
from .grading import grade_item, is_empty
from .model import Bank, Status, Student, Submission, SubmissionResult
from .textnorm import Unusable, clean_text, has_surrogate, show
from .yamlio import MAX_DEPTH, MAX_INT_DIGITS, TOO_BIG, LineDict, parse_yaml

#: Larger files are refused: a real answers file is a few kilobytes.
MAX_BYTES = 1024 * 1024
#: How many names one message lists before «… y N más».
MAX_LISTED = 20
#: Longest ``student.id`` or ``student.name`` accepted, in characters.
MAX_FIELD_CHARS = 200

Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """Something wrong (``error``) or worth knowing (``warning``) about a file."""

    severity: str
    message: str
    line: int | None = None
    fix: str = ""
    item_id: str | None = None

    def render(self, path: str) -> str:
        path = show(path, 200)
        where = f"{path}:{self.line}" if self.line else path
        text = f"{where}: {'error' if self.severity == 'error' else 'aviso'}: {self.message}"
        return f"{text}\n    → {self.fix}" if self.fix else text


class _Lines(Mapping[Path_, int]):
    """Lines by cleaned key path, looked up in the source's lines only when asked for.

    Working out a JSON file's lines takes a pass in Python over its text; a file without
    problems never needs it, so the pass is made on the first look-up (see
    :class:`_JsonStructure`).
    """

    def __init__(self, source: Mapping[Path_, int]) -> None:
        self._source = source
        self._alias: dict[Path_, tuple[Path_, int | None]] = {}
        #: Keys kept as written under a cleaned key: (head, key) is at (raw head, key).
        self._same: dict[str, tuple[str, Mapping[str, Any]]] = {}

    def alias(self, path: Path_, raw_path: Path_, default: int | None = None) -> None:
        """``path`` (cleaned keys) is at the line of ``raw_path`` (keys as written)."""
        self._alias[path] = (raw_path, default)

    def alias_keys(self, head: str, raw_head: str, keys: Mapping[str, Any]) -> None:
        """``(head, key)`` is at the line of ``(raw_head, key)`` for every key of ``keys``."""
        self._same[head] = (raw_head, keys)

    def _raw(self, path: Path_) -> tuple[Path_, int | None]:
        found = self._alias.get(path)
        if found is None and len(path) == 2 and path[0] in self._same:
            raw_head, keys = self._same[path[0]]
            if path[1] in keys:
                return (raw_head, path[1]), None
        if found is None:
            raise KeyError(path)
        return found

    def __getitem__(self, path: Path_) -> int:
        raw_path, default = self._raw(path)
        line = self._source.get(raw_path, default)
        if line is None:
            raise KeyError(path)
        return line

    def __iter__(self) -> Iterator[Path_]:
        same = [(head, key) for head, (_, keys) in self._same.items() for key in keys]
        return (path for path in [*self._alias, *same] if path in self)

    def __contains__(self, path: object) -> bool:
        try:
            self[path]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _JsonStructure:
    """A JSON text's key lines and literal texts (:func:`_json_structure`), made on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._made: tuple[dict[Path_, int], dict[Path_, str], list[Problem]] | None = None

    def made(self) -> tuple[dict[Path_, int], dict[Path_, str], list[Problem]]:
        if self._made is None:
            self._made = _json_structure(self.text)
        return self._made


class _Lazy(Mapping[Path_, Any]):
    """One of a :class:`_JsonStructure`'s mappings (0: lines, 1: literal texts)."""

    def __init__(self, structure: _JsonStructure, index: int) -> None:
        self._structure, self._index = structure, index

    def _data(self) -> dict[Path_, Any]:
        return self._structure.made()[self._index]  # type: ignore[return-value]

    def __getitem__(self, path: Path_) -> Any:
        return self._data()[path]

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


@dataclass
class Reading:
    """The outcome of reading one file: the submission, if any, and what was found."""

    source: str
    submission: Submission | None = None
    problems: list[Problem] = field(default_factory=list)
    #: The decoded text.
    text: str = ""
    #: The line of each key, by its path of cleaned keys: ``("answers", item_id)``.
    lines: _Lines = field(default_factory=lambda: _Lines({}))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.submission is not None and not self.errors

    def line(self, *path: str) -> int | None:
        """The line of the key at ``path`` (cleaned keys), if known."""
        return self.lines.get(path)


def listing(names: Iterable[str], limit: int = MAX_LISTED) -> str:
    """``a, b, c`` shown safely; past ``limit`` names, «… y N más»."""
    names = list(names)
    shown = ", ".join(show(n, 60) for n in names[:limit])
    return f"{shown} … y {len(names) - limit} más" if len(names) > limit else shown


def _lines_text(lines: list[int]) -> str:
    if len(lines) == 1:
        return f"la línea {lines[0]}"
    return f"las líneas {listing([str(n) for n in lines], 10)}"


# ---------------------------------------------------------------- bytes to text

#: One valid multi-byte UTF-8 sequence (two to four bytes, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes: the encoding if not UTF-8, and lines with bad bytes."""

    text: str
    encoding: str | None = None
    #: 1-based lines whose bytes were not valid and were replaced by U+FFFD.
    bad_lines: tuple[int, ...] = ()
    #: Bytes were replaced, but their lines are not known (UTF-16/32).
    replaced: bool = False


def decode_bytes(data: bytes) -> Decoded:
    """Text from bytes, by the rule in the module doc; never raises."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            if encoding == "utf-8":
                return _decode_utf8(data[len(bom) :])
            try:
                return Decoded(data.decode(encoding), encoding.upper())
            except UnicodeDecodeError:
                return Decoded(data.decode(encoding, errors="replace"), encoding.upper(), (), True)
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        try:
            return Decoded(data.decode("utf-16-le"), "UTF-16")
        except UnicodeDecodeError:
            pass
    return _decode_utf8(data)


def _decode_utf8(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if not _UTF8_MULTIBYTE.search(data):
        return Decoded(data.decode("cp1252", errors="replace"), "Windows-1252")
    # A line break (0x0A) is never part of a multi-byte sequence, so lines decode alone.
    bad = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    return Decoded(data.decode("utf-8", errors="replace"), None, tuple(bad))


def decode(data: bytes) -> tuple[str, str | None]:
    """Text from bytes and, if it was not UTF-8, the name of the encoding used."""
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


# ---------------------------------------------------------------- text to data


class _FileError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _json_int(text: str) -> Any:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return Unusable(show(text), TOO_BIG.format(text=show(text, 20)))
    return int(text)


def _json_float(text: str) -> Any:
    value = float(text)
    if not math.isfinite(value):
        return Unusable(show(text), TOO_BIG.format(text=show(text, 20)))
    return value


def _json_constant(text: str) -> Any:
    return Unusable(text, f"«{text}» no es un número que se pueda usar.")


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


@dataclass
class _Frame:
    is_object: bool
    path: Path_ | None  # None: inside a list, or deeper than the paths recorded
    keys: dict[str, int] = field(default_factory=dict)
    key: str | None = None
    expect_key: bool = True


def _json_structure(text: str) -> tuple[dict[Path_, int], dict[Path_, str], list[Problem]]:
    """One pass over valid JSON text: key lines, source text of literals, duplicate keys.

    Lines and literals are recorded for paths of at most two keys (``("student", "id")``).
    """
    lines: dict[Path_, int] = {}
    raw: dict[Path_, str] = {}
    duplicates: list[Problem] = []
    stack: list[_Frame] = []
    line, last = 1, 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        line += text.count("\n", last, match.start())
        last = match.start()
        top = stack[-1] if stack else None
        if token in "{[":
            if len(stack) >= MAX_DEPTH:
                raise _FileError(
                    Problem(
                        "error",
                        f"el archivo tiene demasiados niveles de listas o bloques (más de {MAX_DEPTH})",
                        line,
                        "entrega el archivo tal como se descargó o como la plantilla",
                    )
                )
            path: Path_ | None = ()
            if top is not None:
                path = (
                    (*top.path, top.key)
                    if top.is_object and top.path is not None and top.key is not None
                    else None
                )
                if path is not None and len(path) >= 2:
                    path = None
            stack.append(_Frame(token == "{", path))
        elif token in "}]":
            stack.pop()
        elif token == ",":
            if top is not None and top.is_object:
                top.expect_key = True
        elif token == ":":
            pass
        elif top is not None and top.is_object and top.expect_key:
            key = json.loads(token) if "\\" in token else token[1:-1]
            top.expect_key = False
            top.key = key
            if key in top.keys:
                if len(duplicates) < MAX_LISTED:
                    duplicates.append(
                        Problem(
                            "error",
                            f"la clave «{show(key)}» aparece dos veces en el mismo bloque",
                            line,
                            f"deja solo una (la otra está en la línea {top.keys[key]})",
                        )
                    )
            else:
                top.keys[key] = line
                if top.path is not None:
                    lines.setdefault((*top.path, key), line)
        elif (
            top is not None
            and top.is_object
            and top.path is not None
            and top.key is not None
            and not token.startswith('"')
        ):
            raw[(*top.path, top.key)] = token
    return lines, raw, duplicates


def _parse_json(
    text: str,
) -> tuple[Any, Mapping[Path_, int], Mapping[Path_, str], list[Problem]]:
    """Parse JSON; key lines and literal texts come lazily, the slow pass only if needed."""
    repeated = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        mapping = dict(items)
        if len(mapping) != len(items):
            repeated = True
        return mapping

    try:
        value = json.loads(
            text,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
            object_pairs_hook=pairs,
        )
    except json.JSONDecodeError as exc:
        raise _FileError(
            Problem(
                "error",
                f"el archivo no es JSON válido: {_json_reason(exc.msg)}",
                exc.lineno,
                "revisa comas, comillas y llaves en esa línea, o descarga el archivo de nuevo",
            )
        ) from None
    except RecursionError:
        raise _FileError(_too_deep()) from None
    structure = _JsonStructure(text)
    duplicates: list[Problem] = []
    if repeated or _deeper_than(value, MAX_DEPTH):
        duplicates = structure.made()[2]  # raises for a file nested too deep
    return value, _Lazy(structure, 0), _Lazy(structure, 1), duplicates


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` (parsed JSON) nests lists and mappings more than ``limit`` levels deep."""
    level: list[Any] = [value] if value.__class__ in _CONTAINERS else []
    for _ in range(limit):
        deeper: list[Any] = []
        for node in level:
            children = node.values() if node.__class__ is dict else node
            deeper += [child for child in children if child.__class__ in _CONTAINERS]
        if not deeper:
            return False
        level = deeper
    return bool(level)


_CONTAINERS = frozenset({dict, list})


_JSON_REASONS = {
    "Expecting value": "falta un valor",
    "Expecting property name enclosed in double quotes": "falta un nombre entre comillas dobles",
    "Expecting ':' delimiter": "faltan los dos puntos (:)",
    "Expecting ',' delimiter": "falta una coma",
    "Unterminated string starting at": "un texto no cierra sus comillas",
    "Invalid control character at": "hay un carácter de control dentro de un texto",
    "Invalid \\escape": "hay una secuencia \\ no válida",
    "Invalid \\uXXXX escape": "hay una secuencia \\u no válida",
    "Extra data": "hay texto después del final",
}


def _json_reason(message: str) -> str:
    return _JSON_REASONS.get(message, message)


def _too_big(size: int) -> Problem:
    return Problem(
        "error",
        f"el archivo ocupa {size:,} bytes; el máximo es {MAX_BYTES:,}".replace(",", "."),
        fix="entrega solo el archivo de respuestas que descargaste o rellenaste",
    )


def _too_deep() -> Problem:
    return Problem(
        "error",
        "el archivo tiene demasiados niveles de listas o bloques",
        fix="entrega el archivo tal como se descargó",
    )


def _yaml_structure(data: Any) -> tuple[dict[Path_, int], dict[Path_, str]]:
    lines: dict[Path_, int] = {}
    raw: dict[Path_, str] = {}
    if isinstance(data, LineDict):
        for key, value in data.items():
            lines[(key,)] = data.line_of(key)
            if isinstance(value, LineDict):
                for sub in value:
                    lines[(key, sub)] = value.line_of(sub)
                raw.update({(key, sub): text for sub, text in value.raw.items()})
    return lines, raw


def parse_text(text: str, source: str, *, kind: str | None = None) -> Any:
    """Parse answers text as JSON or YAML (by ``kind``, or by trying JSON first)."""
    if kind is None:
        kind = "json" if text.lstrip().startswith("{") else "yaml"
    if kind == "json":
        try:
            return _parse_json(text)[0]
        except _FileError as exc:
            raise ComprendeError(
                exc.problem.message, path=source, line=exc.problem.line, fix=exc.problem.fix
            ) from None
    return _parse_yaml(text, source)


#: The parser's commonest complaints (libyaml, in English), said in Spanish.
_YAML_REASONS = {
    "mapping values are not allowed": "hay unos dos puntos (:) donde no se esperan",
    "could not find expected ':'": "falta «:» después de una clave",
    "found character that cannot start any token": (
        "hay un carácter que no puede empezar un valor (un tabulador, «@» o «`»)"
    ),
    "found invalid Unicode character escape code": (
        "hay una secuencia \\u que no es un carácter válido"
    ),
    "did not find expected key": "la sangría no cuadra con la de las líneas anteriores",
    "did not find expected node content": "falta un valor",
    "found unexpected end of stream": "el archivo acaba antes de cerrar un texto o una lista",
    "control characters are not allowed": "hay caracteres de control",
    "found undefined tag handle": "hay una etiqueta (!…) que no existe",
    "found unknown escape character": "hay una secuencia con \\ que no es válida",
    "found a tab character": "hay un tabulador donde solo valen espacios",
    "expected <block end>": "la sangría no cuadra con la de las líneas anteriores",
    "did not find expected ',' or ']'": "falta una coma o el «]» que cierra la lista",
    "did not find expected ',' or '}'": "falta una coma o la «}» que cierra el bloque",
    "found unexpected ':'": "hay unos dos puntos (:) donde no se esperan",
    "exceeded maximum nesting depth": "hay demasiados niveles de listas o bloques",
    "special characters are not allowed": "hay caracteres de control",
}


def _yaml_reason(message: str) -> str:
    problem = message.removeprefix("YAML syntax error: ").removeprefix("YAML error: ")
    for english, spanish in _YAML_REASONS.items():
        if english in problem:
            return spanish
    return f"error de sintaxis: {show(problem)}"


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return parse_yaml(text, source, answers_file=True)
    except ComprendeError as exc:
        if exc.message.startswith("YAML"):  # a syntax error from the parser, in English
            raise ComprendeError(
                f"el archivo no es YAML válido: {_yaml_reason(exc.message)}",
                path=source,
                line=exc.line,
                fix="revisa la sangría y los dos puntos de esa línea; "
                "los textos con «:» van entre comillas",
            ) from None
        raise


# ---------------------------------------------------------------- reading


def read_submission(data: bytes, source: str, *, kind: str | None = None) -> Reading:
    """Read an answers file from its bytes; never raises, problems are reported."""
    reading = Reading(source=source)
    try:
        _read(data, source, kind, reading)
    except _FileError as exc:
        reading.problems.append(exc.problem)
        reading.submission = None
    except RecursionError:
        reading.problems.append(_too_deep())
        reading.submission = None
    return reading


def _read(data: bytes, source: str, kind: str | None, reading: Reading) -> None:
    if len(data) > MAX_BYTES:
        raise _FileError(_too_big(len(data)))
    if not data.strip():
        raise _FileError(
            Problem(
                "error",
                "el archivo está vacío",
                fix="descarga tus respuestas de nuevo o rellena la plantilla",
            )
        )
    decoded = decode_bytes(data)
    text = reading.text = decoded.text
    if decoded.bad_lines:
        reading.problems.append(
            Problem(
                "warning",
                f"{_lines_text(list(decoded.bad_lines))} del archivo "
                f"{'tiene' if len(decoded.bad_lines) == 1 else 'tienen'} bytes que no son "
                "UTF-8 válido; se han sustituido por «�» y el resto se ha leído bien",
                decoded.bad_lines[0],
                "abre el archivo, corrige los caracteres «�» de esas líneas y guárdalo como UTF-8",
            )
        )
    elif decoded.replaced:
        reading.problems.append(
            Problem(
                "warning",
                f"el archivo tiene bytes que no son {decoded.encoding} válido; "
                "se han sustituido por «�»",
                fix="guárdalo de nuevo como UTF-8",
            )
        )
    elif decoded.encoding:
        reading.problems.append(
            Problem(
                "warning",
                f"el archivo no está en UTF-8; se ha leído como {decoded.encoding}",
                fix="guárdalo como UTF-8 para que las tildes no se pierdan",
            )
        )
    if kind is None and source.lower().endswith(".json"):
        kind = "json"
    elif kind is None and source.lower().endswith((".yaml", ".yml")):
        kind = "yaml"
    if kind is None:
        kind = "json" if text.lstrip().startswith("{") else "yaml"
    if kind == "json":
        value, lines, raw, duplicates = _parse_json(text)
        reading.problems.extend(duplicates)
    else:
        try:
            value = _parse_yaml(text, source)
        except ComprendeError as exc:
            raise _FileError(Problem("error", exc.message, exc.line, exc.fix)) from None
        lines, raw = _yaml_structure(value)
    reading.lines = _Lines(lines)
    reading.submission = _to_submission(value, source, lines, raw, reading)


#: Longest key kept as written; a longer one (no item id is) is cut and marked «…».
MAX_KEY_CHARS = 200


def _clean_key(key: str) -> str:
    clean = _CLEAN_KEYS.get(key)
    if clean is None:
        clean = _cleaned_key(key)
        if len(_CLEAN_KEYS) < 10_000:  # a class's keys repeat: item ids, blanks, pairs
            _CLEAN_KEYS[key] = clean
    return clean


_CLEAN_KEYS: dict[str, str] = {}


def _cleaned_key(key: str) -> str:
    if key.isascii() and len(key) <= MAX_KEY_CHARS:
        return key.strip()
    if has_surrogate(key) or len(key) > MAX_KEY_CHARS:
        return show(key, MAX_KEY_CHARS)
    return clean_text(key).strip()


def _sanitize(value: Any, problems: list[Problem], line: Callable[[], int | None]) -> Any:
    """Answers with keys cleaned and texts holding lone surrogates made :class:`Unusable`."""
    kind = type(value)
    if kind is str and value.isascii():
        return value
    if kind is list and all(type(v) is str and v.isascii() for v in value):
        return value
    if isinstance(value, str) and not isinstance(value, Unusable) and has_surrogate(value):
        return Unusable(
            show(value, 200),
            f"la respuesta tiene un carácter que no es texto válido ({show(value, 30)}).",
        )
    if isinstance(value, list):
        return [_sanitize(v, problems, line) for v in value]
    if isinstance(value, dict):
        return _clean_mapping(value, problems, line, _sanitize)
    return value


def _clean_mapping(
    value: dict[Any, Any],
    problems: list[Problem],
    line: Callable[[], int | None],
    inner: Callable[[Any, list[Problem], Callable[[], int | None]], Any],
) -> dict[str, Any]:
    """A mapping with its keys cleaned and ``inner`` applied to its values; two keys
    that read the same once cleaned are an error."""
    result: dict[str, Any] = {}
    for key, sub in value.items():
        clean = _clean_key(key)
        if clean in result:
            problems.append(
                Problem(
                    "error",
                    f"la clave «{show(clean)}» aparece dos veces "
                    "(escrita de dos formas que se leen igual)",
                    line(),
                    "deja solo una",
                )
            )
        result[clean] = inner(sub, problems, line)
    return result


def _clean_keys(value: Any, problems: list[Problem], line: Callable[[], int | None]) -> Any:
    """:func:`_sanitize` for a text with no escape (``\\``), so with no lone surrogate:
    only the keys of mappings change."""
    if isinstance(value, list):
        if all(v.__class__ in _SCALARS for v in value):
            return value
        return [_clean_keys(v, problems, line) for v in value]
    if isinstance(value, dict):
        if (
            value.__class__ is dict
            and all(v.__class__ in _SCALARS for v in value.values())
            and all(_clean_key(k) == k for k in value)
        ):
            return value
        return _clean_mapping(value, problems, line, _clean_keys)
    return value


#: What a parsed value is when it is no list or mapping.
_SCALARS = frozenset({str, int, float, bool, type(None), Unusable})


def _to_submission(
    data: Any,
    source: str,
    raw_lines: Mapping[Path_, int],
    raw: Mapping[Path_, str],
    reading: Reading,
) -> Submission | None:
    problems = reading.problems
    lines = reading.lines

    def error(message: str, line: int | None, fix: str) -> None:
        problems.append(Problem("error", message, line, fix))

    if not isinstance(data, dict):
        error(
            "el archivo debe ser un objeto con `module`, `student` y `answers`",
            1,
            "parte de la plantilla (`comprende template`) o del archivo descargado",
        )
        return None
    top: dict[str, tuple[str, Any]] = {}
    for key, value in data.items():
        clean = _clean_key(key)
        if clean in top:
            error(
                f"el campo `{show(clean)}` aparece dos veces "
                "(escrita de dos formas que se leen igual)",
                raw_lines.get((key,)),
                f"deja solo uno (el otro está en la línea {lines.get((clean,), '?')})",
            )
            continue
        top[clean] = (key, value)
        lines.alias((clean,), (key,), 1)
    unknown = sorted(set(top) - {"module", "student", "answers"})
    for key in unknown[:MAX_LISTED]:
        problems.append(
            Problem(
                "warning",
                f"se ignora el campo desconocido `{show(key)}`",
                lines.get((key,)),
                "bórralo: solo cuentan `module`, `student` y `answers`",
            )
        )
    if len(unknown) > MAX_LISTED:
        problems.append(
            Problem(
                "warning",
                f"se ignoran otros {len(unknown) - MAX_LISTED} campos desconocidos",
                fix="bórralos: solo cuentan `module`, `student` y `answers`",
            )
        )

    raw_module = top.get("module", ("module", None))[1]
    module: str | None = None
    if isinstance(raw_module, str) and has_surrogate(raw_module):
        error(
            f"el identificador del módulo (`module`) tiene un carácter que no es texto válido "
            f"({show(raw_module, 40)})",
            lines.get(("module",)),
            "copia la línea `module:` de la plantilla",
        )
    elif isinstance(raw_module, str) and not isinstance(raw_module, Unusable):
        module = clean_text(raw_module).strip()
        if not module:
            module = None
            error(
                "falta el identificador del módulo (`module`)",
                lines.get(("module",)),
                "copia la línea `module:` de la plantilla",
            )
    else:
        error(
            "falta el identificador del módulo (`module`)"
            if raw_module is None
            else "el identificador del módulo (`module`) debe ser un texto",
            lines.get(("module",)),
            "copia la línea `module:` de la plantilla",
        )

    raw_key, student = top.get("student", ("student", None))
    student_id = student_name = ""
    if not isinstance(student, dict):
        error(
            "faltan tus datos (`student`, con `id` y `name`)",
            lines.get(("student",)),
            "escribe `student: {id: …, name: …}` como en la plantilla",
        )
    else:
        fields: dict[str, tuple[str, Any]] = {}
        for key, value in student.items():
            clean = _clean_key(key)
            if clean in fields:
                error(
                    f"el campo `student.{show(clean)}` aparece dos veces "
                    "(escrita de dos formas que se leen igual)",
                    raw_lines.get((raw_key, key)),
                    "deja solo uno",
                )
                continue
            fields[clean] = (key, value)
            lines.alias(("student", clean), (raw_key, key))
        student_id = _student_field(
            fields,
            "id",
            raw_key,
            raw,
            reading,
            "tu identificador de estudiante",
            "escribe el identificador que te dio tu profesor o profesora",
        )
        student_name = _student_field(
            fields, "name", raw_key, raw, reading, "tu nombre", "escribe tu nombre completo"
        )

    raw_key, answers = top.get("answers", ("answers", None))
    if answers is None:
        answers = {}
        if "answers" not in top:
            error(
                "falta la sección de respuestas (`answers`)",
                None,
                "copia la sección `answers:` de la plantilla",
            )
    elif not isinstance(answers, dict):
        error(
            "`answers` debe ser un objeto {pregunta: respuesta}",
            lines.get(("answers",)),
            "escribe cada respuesta debajo de `answers:` con su identificador",
        )
        answers = {}
    cleaned = _clean_answers(answers, raw_key, raw_lines, reading)
    if module is None:
        return None
    return Submission(
        module=module,
        student=Student(student_id, student_name),
        answers=cleaned,
        source=source,
    )


def _clean_answers(
    answers: dict[str, Any], raw_key: str, raw_lines: Mapping[Path_, int], reading: Reading
) -> dict[str, Any]:
    """The answers with their keys cleaned and their texts made safe (:func:`_sanitize`)."""
    problems, lines = reading.problems, reading.lines
    # Only an escape (``\\ud800``) can make a lone surrogate: decoding never does.
    sanitize = _sanitize if "\\" in reading.text else _clean_keys
    keys = list(answers)
    if sanitize is _clean_keys and [_CLEAN_KEYS.get(k) for k in keys] == keys:
        return _clean_values(answers, raw_key, raw_lines, reading)
    cleaned: dict[str, Any] = {}
    for key, value in answers.items():
        clean = _clean_key(key)
        if clean in cleaned:
            problems.append(
                Problem(
                    "error",
                    f"la pregunta «{show(clean)}» aparece dos veces "
                    "(escrita de dos formas que se leen igual)",
                    raw_lines.get((raw_key, key)),
                    f"deja solo una (la otra está en la línea {lines.get(('answers', clean), '?')})",
                )
            )
            continue
        lines.alias(("answers", clean), (raw_key, key))
        if sanitize is _sanitize or isinstance(value, list | dict):
            value = sanitize(value, problems, functools.partial(raw_lines.get, (raw_key, key)))
        cleaned[clean] = value
    return cleaned


def _clean_values(
    answers: dict[str, Any], raw_key: str, raw_lines: Mapping[Path_, int], reading: Reading
) -> dict[str, Any]:
    """:func:`_clean_answers` of answers whose keys are all clean, in a text with no escape."""
    reading.lines.alias_keys("answers", raw_key, answers)
    cleaned = dict(answers)
    for key, value in answers.items():
        if value.__class__ not in _SCALARS:
            line = functools.partial(raw_lines.get, (raw_key, key))
            cleaned[key] = _clean_keys(value, reading.problems, line)
    return cleaned


_WS = re.compile(r"\s+")


def _student_field(
    fields: dict[str, tuple[str, Any]],
    name: str,
    raw_key: str,
    raw: Mapping[Path_, str],
    reading: Reading,
    label: str,
    fix: str,
) -> str:
    """``student.id`` / ``student.name``: the text of the scalar as written, cleaned."""
    key, value = fields.get(name, (name, None))

    def error(message: str) -> str:
        line = reading.lines.get(("student", name), reading.lines.get(("student",)))
        reading.problems.append(Problem("error", message, line, fix))
        return ""

    if value is None:
        return error(f"falta {label} (`student.{name}`)")
    if isinstance(value, dict | list):
        return error(f"`student.{name}` debe ser un texto, no una lista ni un bloque")
    text = None if isinstance(value, str) else raw.get((raw_key, key))
    if text is None:
        text = value if isinstance(value, str) else json.dumps(value)
    if has_surrogate(text):
        return error(
            f"`student.{name}` tiene un carácter que no es texto válido ({show(text, 40)})"
        )
    text = _WS.sub(" ", clean_text(text)).strip()
    if any(unicodedata.category(c) == "Cc" for c in text):
        return error(f"`student.{name}` tiene caracteres de control ({show(text, 40)})")
    if len(text) > MAX_FIELD_CHARS:
        return error(
            f"`student.{name}` es demasiado largo ({len(text)} caracteres; "
            f"el máximo es {MAX_FIELD_CHARS})"
        )
    if not text:
        return error(f"falta {label} (`student.{name}`)")
    return text


# ---------------------------------------------------------------- checking


def check_against_bank(reading: Reading, bank: Bank) -> SubmissionResult | None:
    """Add the problems of ``reading`` that depend on the bank: module, items, shapes.

    Grades each item once and returns that grade (``None`` for another module's file),
    so a caller need not grade again.
    """
    submission = reading.submission
    if submission is None:
        return None
    if submission.module != bank.id:
        reading.problems.append(
            Problem(
                "error",
                f"este archivo es del módulo «{show(submission.module)}», no de «{bank.id}»",
                reading.line("module"),
                "comprueba que entregas las respuestas de este módulo",
            )
        )
        return None
    items = bank.by_id
    unknown = [item_id for item_id in submission.answers if item_id not in items]
    for item_id in unknown[:MAX_LISTED]:
        reading.problems.append(
            Problem(
                "error",
                f"la pregunta «{show(item_id)}» no existe en este módulo",
                reading.line("answers", item_id),
                "comprueba el identificador (cópialo de la plantilla) o borra esa línea",
                item_id,
            )
        )
    if len(unknown) > MAX_LISTED:
        rest = unknown[MAX_LISTED:]
        reading.problems.append(
            Problem(
                "error",
                f"otras {len(rest)} preguntas no existen en este módulo: {listing(rest, 5)}",
                reading.line("answers", rest[0]),
                "copia los identificadores de la plantilla (`comprende template`) "
                "y borra los demás",
            )
        )
    results = []
    for item in bank.items:
        answer = submission.answers.get(item.id)
        result = grade_item(item, answer)
        results.append(result)
        if result.status is Status.INVALID:
            reading.problems.append(
                Problem(
                    "error",
                    f"la respuesta a «{item.id}» no tiene la forma esperada: "
                    f"{result.feedback[0].removeprefix('Respuesta no válida: ')}",
                    reading.line("answers", item.id),
                    answer_hint(item),
                    item.id,
                )
            )
        elif is_empty(answer) or result.status is Status.MISSING:
            reading.problems.append(
                Problem(
                    "warning",
                    f"la pregunta «{item.id}» está sin responder",
                    reading.line("answers", item.id),
                    item_id=item.id,
                )
            )
    return SubmissionResult(submission, tuple(results))


def answer_hint(item: Any) -> str:
    """How to write an answer of this item's type, in Spanish."""
    return str(item.kind.how_to_answer)


# ---------------------------------------------------------------- files

_OS_REASONS = {
    errno.ENOENT: "no existe",
    errno.EACCES: "no tienes permiso para leerlo",
    errno.EPERM: "no tienes permiso para leerlo",
    errno.EISDIR: "es una carpeta, no un archivo",
    errno.ELOOP: "es un enlace que apunta a sí mismo",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
}


def _unreadable(source: str, reason: str, fix: str = "comprueba la ruta y los permisos") -> Reading:
    reading = Reading(source=source)
    reading.problems.append(Problem("error", f"no se puede leer el archivo: {reason}", fix=fix))
    return reading


def read_path(path: Path) -> Reading:
    """Read an answers file from disk (``-`` is standard input, read up to the limit).

    Only regular files are read: a folder, FIFO, device or socket is an error at once
    (the path is checked with ``stat`` and opened with ``O_NONBLOCK``, then checked again).
    """
    import sys

    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            return _unreadable("<stdin>", "no hay entrada estándar", "indica la ruta del archivo")
        try:
            return read_submission(stream.read(MAX_BYTES + 1), "<stdin>")
        except (OSError, ValueError) as exc:
            return _unreadable("<stdin>", _os_reason(exc), "indica la ruta del archivo")
    source = str(path)
    fix_kind = "indica la ruta de tu archivo de respuestas (.json o .yaml)"
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        return _unreadable(source, _os_reason(exc))
    reason = not_regular(info.st_mode)
    if reason:
        if not stat.S_ISDIR(info.st_mode):
            fix_kind += "; para leer de la entrada estándar, escribe «-»"
        return _unreadable(source, reason, fix_kind)
    if info.st_size > MAX_BYTES:
        reading = Reading(source=source)
        reading.problems.append(_too_big(info.st_size))
        return reading
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as exc:
        return _unreadable(source, _os_reason(exc))
    try:
        reason = not_regular(os.fstat(fd).st_mode)
        if reason:
            return _unreadable(source, reason, fix_kind)
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        return _unreadable(source, _os_reason(exc))
    finally:
        os.close(fd)
    return read_submission(data, source)


def _os_reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if isinstance(exc, OSError):
        return f"error del sistema {exc.errno}"
    return "la ruta no es válida"

"""Loading the exercise bank from ``exercises/``: every error names file, line and fix.

``module.yaml`` holds the module's id, title, version, article and the order of its
sets; each set lives in ``<set id>.yaml``. The author guide (docs/guias/autores.md)
documents every field.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import types
from .article import Article, load_article
from .diagnostics import (
    did_you_mean,
    missing_but_misspelt,
    misspelt_missing,
    quote_mismatch,
    unknown_field,
)
from .errors import ComprendeError
from .model import LEVELS, SKILLS, Bank, Evidence, Item, ItemSet
from .yamlio import LineDict, read_yaml

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMON = ("id", "type", "prompt", "points", "skill", "level", "evidence", "explanation")
_OPTIONAL = {"context"}
_LABEL = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
#: Items of these skills rely on a context page, so they must name it.
CONTEXT_SKILLS = ("contexto", "lectura-critica")


class _Reader:
    """Field access on one YAML mapping, raising errors that point at its lines."""

    def __init__(self, data: LineDict, path: Path, what: str) -> None:
        self.data, self.path, self.what = data, path, what

    def fail(self, message: str, key: str | None = None, fix: str = "") -> ComprendeError:
        line = self.data.line_of(key) if key else self.data.line
        return ComprendeError(f"{self.what}: {message}", path=self.path, line=line, fix=fix)

    def get(
        self, key: str, kind: type | tuple[type, ...], *, default: Any = ..., fix: str = ""
    ) -> Any:
        if key not in self.data:
            if default is not ...:
                return default
            raise self.fail(f"`{key}` is missing", fix=fix or f"add `{key}:`")
        value = self.data[key]
        if isinstance(value, bool) and kind in (int, float, (int, float)):
            raise self.fail(f"`{key}` must be a number", key, fix)
        if not isinstance(value, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise self.fail(f"`{key}` must be {_KIND_NAMES.get(names, names)}", key, fix)
        return value

    def text(self, key: str, *, default: Any = ...) -> str:
        value = self.get(key, str, default=default)
        if isinstance(value, str) and not value.strip() and default is ...:
            raise self.fail(f"`{key}` is empty", key, f"write the {key}")
        return value.strip() if isinstance(value, str) else value

    def mapping(self, value: Any, what: str, line_key: str, fields: Iterable[str] = ()) -> _Reader:
        """A reader of the entry ``value``; with ``fields``, any other field is refused
        (named, with the closest valid one: `corect` is never silently ignored)."""
        if not isinstance(value, LineDict):
            raise self.fail(
                f"`{line_key}` entries must be mappings", line_key, "write `- id: …` entries"
            )
        reader = _Reader(value, self.path, what)
        if fields:
            _no_unknown_fields(reader, tuple(sorted(fields)))
        return reader


_KIND_NAMES = {
    "str": "text",
    "int or float": "a number",
    "list": "a list",
    "LineDict": "a mapping",
    "dict": "a mapping",
    "bool": "true or false",
    "float": "a number",
    "int": "a number",
    "str or int": "text or a number",
    "str or int or float": "text or a number",
}


#: The fields of ``module.yaml`` and of a set file.
MODULE_FIELDS = ("id", "title", "version", "article", "sets")
SET_FIELDS = ("id", "title", "instructions", "items")


def _no_unknown_fields(reader: _Reader, valid: tuple[str, ...]) -> None:
    """A field the file may not have is refused, with the closest valid name."""
    unknown = [key for key in reader.data if key not in valid]
    if unknown:
        raise reader.fail(
            unknown_field(str(unknown[0]), valid), str(unknown[0]), "fields: " + ", ".join(valid)
        )


def default_bank_dir() -> Path:
    """``$COMPRENDE_BANK``, else ``./exercises``, else the checkout's ``exercises/``."""
    if os.environ.get("COMPRENDE_BANK"):
        return Path(os.environ["COMPRENDE_BANK"])
    here = Path.cwd() / "exercises"
    if (here / "module.yaml").exists():
        return here
    return Path(__file__).resolve().parents[2] / "exercises"


def load_bank(folder: str | Path, article: Article | None = None) -> Bank:
    """Load ``module.yaml`` and its sets from ``folder``, checked against the article."""
    folder = Path(folder)
    module_path = folder / "module.yaml"
    data = read_yaml(module_path)
    if not isinstance(data, LineDict):
        raise ComprendeError(
            "module.yaml must be a mapping",
            path=module_path,
            line=1,
            fix="see docs/guias/autores.md for the fields",
        )
    module = _Reader(data, module_path, "module")
    _no_unknown_fields(module, MODULE_FIELDS)
    module_id = module.text("id")
    if not _ID.match(module_id):
        raise module.fail(
            f"id {module_id!r} is not a slug", "id", "use lowercase ascii and hyphens"
        )
    if article is None:
        article = load_article(folder.parent / module.text("article"))
    set_ids = module.get("sets", list, fix="list the set ids, e.g. `sets: [global, detalle]`")
    sets: list[ItemSet] = []
    seen: dict[str, str] = {}
    for index, set_id in enumerate(set_ids):
        if not isinstance(set_id, str) or not _ID.match(set_id):
            raise ComprendeError(
                f"set id {set_id!r} is not a slug",
                path=module_path,
                line=set_ids.item_lines[index],
                fix="use lowercase ascii and hyphens",
            )
        set_path = folder / f"{set_id}.yaml"
        if not set_path.exists():
            raise ComprendeError(
                f"set {set_id!r} has no file {set_path.name}",
                path=module_path,
                line=set_ids.item_lines[index],
                fix=f"create {set_path} or remove it from `sets`",
            )
        item_set = _load_set(set_path, set_id, article)
        for item in item_set.items:
            if item.id in seen:
                raise ComprendeError(
                    f"item id {item.id!r} is used twice",
                    path=item.source.rsplit(":", 1)[0],
                    line=int(item.source.rsplit(":", 1)[1]),
                    fix=f"ids are unique across the bank; the other is at {seen[item.id]}",
                )
            seen[item.id] = item.source
        sets.append(item_set)
    version = module.get("version", int, fix="a whole number, bumped when items change")
    return Bank(id=module_id, title=module.text("title"), version=version, sets=tuple(sets))


def _load_set(path: Path, set_id: str, article: Article) -> ItemSet:
    data = read_yaml(path)
    if not isinstance(data, LineDict):
        raise ComprendeError(
            "a set file must be a mapping",
            path=path,
            line=1,
            fix="start with `id:`, `title:`, `instructions:` and `items:`",
        )
    reader = _Reader(data, path, f"set {set_id!r}")
    _no_unknown_fields(reader, SET_FIELDS)
    if reader.text("id") != set_id:
        raise reader.fail(
            f"id {data['id']!r} does not match the file name", "id", f"write `id: {set_id}`"
        )
    raw_items = reader.get("items", list, fix="list the items under `items:`")
    items = tuple(
        parse_item(reader.mapping(raw, "item", "items").data, set_id, path, article)
        for raw in raw_items
    )
    return ItemSet(
        id=set_id,
        title=reader.text("title"),
        instructions=reader.text("instructions", default=""),
        items=items,
    )


def parse_item(data: LineDict, set_id: str, path: Path, article: Article) -> Item:
    """Build one :class:`Item` from its YAML mapping, checking everything about it."""
    raw_id = data.get("id")
    reader = _Reader(data, path, f"item {raw_id!r}" if "id" in data else "an item")
    missing = [key for key in _COMMON if key not in data]
    typo = misspelt_missing(missing, [k for k in data if k not in _COMMON and k not in _OPTIONAL])
    if typo:
        raise reader.fail(
            missing_but_misspelt(*typo), typo[0], "every item needs " + ", ".join(_COMMON)
        )
    if missing:
        raise reader.fail(
            f"missing {', '.join(f'`{k}`' for k in missing)}",
            fix="every item needs " + ", ".join(_COMMON),
        )
    if not isinstance(raw_id, str):  # YAML read `id: 5` as a number, `id: yes` as true
        raise reader.fail(
            f"id {raw_id!r} is not text",
            "id",
            'write it in quotes, e.g. `id: "uno-1"`: lowercase ascii, digits and hyphens',
        )
    item_id: str = raw_id
    if not _ID.match(item_id):
        raise reader.fail(
            f"id {item_id!r} is not a slug", "id", "use lowercase ascii, digits and hyphens"
        )
    try:
        kind = types.get(data["type"])
    except (KeyError, TypeError):
        raise reader.fail(
            f"unknown type {data['type']!r}"
            + did_you_mean(str(data["type"]), [t.id for t in types.all_types()]),
            "type",
            "use one of: " + ", ".join(t.id for t in types.all_types()),
        ) from None
    points = reader.get("points", (int, float))
    if not math.isfinite(points) or points <= 0:
        raise reader.fail("`points` must be a positive number", "points")
    skill = reader.text("skill")
    if skill not in SKILLS:
        raise reader.fail(
            f"unknown skill {skill!r}{did_you_mean(skill, SKILLS)}",
            "skill",
            "use one of: " + ", ".join(SKILLS),
        )
    level = reader.text("level")
    if level not in LEVELS:
        raise reader.fail(
            f"unknown level {level!r}{did_you_mean(level, LEVELS)}",
            "level",
            "use one of: " + ", ".join(LEVELS),
        )
    unknown = sorted(set(data) - set(_COMMON) - _OPTIONAL - kind.fields)
    if unknown:
        raise reader.fail(
            unknown_field(
                unknown[0],
                {*_COMMON, *_OPTIONAL, *kind.fields},
                f" for type {kind.id}",
            ),
            unknown[0],
            "fields of this type: " + ", ".join(sorted(kind.fields | _OPTIONAL)),
        )
    context = _context(reader, skill)
    evidence = _evidence(reader, article)
    common: dict[str, Any] = dict(
        id=item_id,
        type=kind.id,
        kind=kind,
        prompt=reader.text("prompt"),
        points=float(points),
        skill=skill,
        level=level,
        evidence=evidence,
        explanation=reader.text("explanation"),
        set_id=set_id,
        source=f"{path}:{data.line}",
        context=context,
        context_line=data.line_of("context") if context else 0,
    )
    return Item(**common, **kind.parse(reader, float(points), article))


def _context(reader: _Reader, skill: str) -> str:
    """The label of the context section the item relies on (checked against the site at build)."""
    if "context" not in reader.data:
        if skill in CONTEXT_SKILLS:
            raise reader.fail(
                f"a `{skill}` item must name the context section it relies on",
                "skill",
                "add `context: <label>`, the `(label)=` of a section in docs/contexto/ "
                "or docs/lectura-critica.md, e.g. `context: petroleo-80`",
            )
        return ""
    label = reader.text("context")
    if not _LABEL.match(label):
        raise reader.fail(
            f"`context` {label!r} is not a Sphinx label",
            "context",
            "write the label of a section, as in its `(label)=` line, e.g. `petroleo-80`",
        )
    return label


def _evidence(reader: _Reader, article: Article) -> tuple[Evidence, ...]:
    quotes = reader.get("evidence", list, fix="list one or more verbatim quotes of the article")
    if not quotes:
        raise reader.fail(
            "`evidence` is empty", "evidence", "quote the sentence that proves the key"
        )
    result = []
    for index, quote in enumerate(quotes):
        line = quotes.item_lines[index]
        if not isinstance(quote, str) or not quote.strip():
            raise ComprendeError(
                f"{reader.what}: evidence must be text",
                path=reader.path,
                line=line,
                fix="quote the article between double quotes",
            )
        paragraph = article.locate(quote)
        if paragraph is None:
            raise ComprendeError(
                f"{reader.what}: evidence is not a verbatim quote of one paragraph: {quote[:60]!r}"
                f"\n{quote_mismatch(quote, article)}",
                path=reader.path,
                line=line,
                fix="copy the words from seeds/ exactly (accents, commas, '%'), within one paragraph",
                kind="evidence",
            )
        result.append(Evidence(quote=quote, paragraph=paragraph))
    return tuple(result)

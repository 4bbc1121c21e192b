"""huecos: a text with blanks, each with its own text key; points per right blank."""

from __future__ import annotations

import re
from typing import Any

from ...model import Item
from ...reports.base import UNKNOWN_BLANK, AnswerPart, AnswerView, shown
from ...yamlio import LineDict
from ..base import MSG_MISSING, Invalid, QuestionType, is_empty, mapping_lines, register, render
from ..fields import TEXT_KEY_FIELDS, text_key, text_key_json
from ..textmatch import grade_text

_BLANK = re.compile(r"\[\[([a-z0-9_-]+)\]\]")
NO_ANSWER = "(sin respuesta)"


@register
class Cloze(QuestionType):
    id = "huecos"
    name = "completar huecos"
    how_to_answer = "escribe una palabra o expresión en cada hueco, entre comillas"
    fields = frozenset({"text", "blanks"})
    mapping_answer = True
    script = "comprende/types/huecos.js"
    stylesheets = ("comprende/types/huecos.css",)

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        text = reader.text("text")
        names = _BLANK.findall(text)
        if not names:
            raise reader.fail("the text has no [[blank]]", "text", "mark each blank as [[name]]")
        if len(set(names)) != len(names):
            raise reader.fail("a blank name appears twice in the text", "text")
        blanks_data = reader.get("blanks", LineDict, fix="give each blank its `accept:` list")
        if set(map(str, blanks_data)) != set(names):
            raise reader.fail(
                f"`blanks` must define exactly the blanks of the text: {', '.join(names)}",
                "blanks",
            )
        blanks = []
        for name in names:
            sub = reader.mapping(
                blanks_data[name], f"{reader.what}, blank {name!r}", "blanks", TEXT_KEY_FIELDS
            )
            blanks.append((name, text_key(sub)))
        return {"text": text, "blanks": tuple(blanks)}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        names = [name for name, _ in item.blanks]
        if not isinstance(answer, dict) or set(answer) - set(names):
            raise Invalid(f"se esperaba un texto para cada hueco: {', '.join(names)}.")
        right, feedback = 0.0, []
        for number, (name, key) in enumerate(item.blanks, start=1):
            given = answer.get(name)
            if is_empty(given):
                feedback.append(f"Hueco {number}: {MSG_MISSING}")
                continue
            try:
                fraction, messages = grade_text(key, given)
            except Invalid as exc:
                raise Invalid(f"hueco {number}: {exc}") from None
            right += fraction
            feedback.append(f"Hueco {number}: {' '.join(messages)}")
        return right / len(names), feedback

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                name: {"type": ["string", "integer", "null"]} for name, _ in item.blanks
            },
        }

    def key_answer(self, item: Item) -> Any:
        return {name: key.accept[0] for name, key in item.blanks}

    def template_comments(self, item: Item) -> list[str]:
        return ["Texto: " + item.text]

    def template_answer(self, item: Item, value: Any, indent: str) -> list[str]:
        return mapping_lines(item, [name for name, _ in item.blanks], value, indent)

    def page_data(self, item: Item) -> dict[str, Any]:
        return {"blanks": [name for name, _ in item.blanks]}

    def page_key(self, item: Item) -> dict[str, Any]:
        return {"blankKeys": {name: text_key_json(key) for name, key in item.blanks}}

    def widget(self, item: Item) -> str:
        parts = _BLANK.split(item.text)
        pieces = [(part, "") if index % 2 == 0 else ("", part) for index, part in enumerate(parts)]
        return render(self, "widget.html", item=item, pieces=pieces)

    def print_context(self, item: Item) -> dict[str, Any]:
        parts = _BLANK.split(item.text)
        # (text, blank number): text pieces with 0, the n-th blank with n.
        pieces = [(part, 0) if i % 2 == 0 else ("", i // 2 + 1) for i, part in enumerate(parts)]
        return {"pieces": pieces}

    def choices_to_read(self, item: Item) -> list[str]:
        return [_BLANK.sub(" ", item.text)]

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, dict):
            return None
        names = [name for name, _ in item.blanks]
        parts = [
            AnswerPart(
                NO_ANSWER if answer.get(name) in (None, "") else shown(answer.get(name)),
                f"Hueco {number}",
            )
            for number, name in enumerate(names, 1)
        ]
        parts += [
            AnswerPart(shown(value), f"Hueco «{shown(name)}»", UNKNOWN_BLANK)
            for name, value in answer.items()
            if name not in names
        ]
        return AnswerView("blanks", tuple(parts))

    def report_text(self, item: Item) -> list[tuple[str, str]]:
        if not item.text:
            return []
        pieces = _BLANK.split(item.text)  # text, name, text, name, …, text
        return [
            (piece, "") if index % 2 == 0 else ("", f"(hueco {index // 2 + 1})")
            for index, piece in enumerate(pieces)
            if piece or index % 2
        ]

    def invalid_reason(self, item: Item) -> str:
        blanks = ", ".join(f"hueco {n}" for n in range(1, len(item.blanks) + 1))
        return f"se esperaba un texto para cada hueco ({blanks})."

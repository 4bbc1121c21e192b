"""opcion-unica: one right option among several."""

from __future__ import annotations

from typing import Any

from ...model import Item
from ...reports.base import AnswerView, choice_part
from ..base import Invalid, QuestionType, option_map, register
from ..fields import choice_json, choices


@register
class SingleChoice(QuestionType):
    id = "opcion-unica"
    name = "opción única"
    how_to_answer = "escribe la letra (el id) de una opción, p. ej.: b"
    fields = frozenset({"options"})
    script = "comprende/types/opcion-unica.js"

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        options = choices(reader, "options", options=True)
        if sum(o.correct for o in options) != 1:
            raise reader.fail(
                "a single-choice item needs exactly one option with `correct: true`", "options"
            )
        return {"options": options}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        options = option_map(item.options)
        if not isinstance(answer, str) or answer not in options:
            raise Invalid(f"se esperaba una de las opciones: {', '.join(options)}.")
        chosen = options[answer]
        return float(chosen.correct), [chosen.feedback]

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {"enum": [o.id for o in item.options]}

    def key_answer(self, item: Item) -> Any:
        return next(o.id for o in item.options if o.correct)

    def page_data(self, item: Item) -> dict[str, Any]:
        return {"options": [choice_json(o, False) for o in item.options]}

    def page_key(self, item: Item) -> dict[str, Any]:
        return {"options": [choice_json(o, True) for o in item.options]}

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if isinstance(answer, list | dict):
            return None
        return AnswerView("choice", (choice_part(item.options, answer),))

    def invalid_reason(self, item: Item) -> str:
        return "se esperaba una de las opciones de la pregunta."

    def key_label(self, item: Item) -> str:
        return str(self.key_answer(item))

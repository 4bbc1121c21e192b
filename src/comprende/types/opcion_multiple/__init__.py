"""opcion-multiple: two or more right options; wrong picks cost points."""

from __future__ import annotations

from typing import Any

from ...model import Item
from ...reports.base import AnswerView, choice_part
from ..base import Invalid, QuestionType, option_map, register
from ..fields import choice_json, choices

MSG_MISSED = "Te falta alguna opción correcta."


@register
class MultipleChoice(QuestionType):
    id = "opcion-multiple"
    name = "opción múltiple"
    how_to_answer = "escribe la lista de las opciones correctas, p. ej.: [a, c]"
    fields = frozenset({"options"})
    script = "comprende/types/opcion-multiple.js"

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        options = choices(reader, "options", options=True)
        right = sum(o.correct for o in options)
        if right < 2 or right == len(options):
            raise reader.fail(
                "a multiple-choice item needs two or more correct options and at least one wrong",
                "options",
                "use opcion-unica for a single correct option",
            )
        return {"options": options}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        options = option_map(item.options)
        if not isinstance(answer, list) or not all(
            isinstance(a, str) and a in options for a in answer
        ):
            raise Invalid(f"se esperaba una lista de opciones entre: {', '.join(options)}.")
        if len(set(answer)) != len(answer):
            raise Invalid("una opción aparece dos veces.")
        right = [o for o in item.options if o.correct]
        wrong_count = len(item.options) - len(right)
        picked_right = sum(options[a].correct for a in answer)
        picked_wrong = len(answer) - picked_right
        fraction = picked_right / len(right) - picked_wrong / wrong_count
        feedback = [options[a].feedback for a in sorted(answer, key=list(options).index)]
        if picked_right < len(right):
            feedback.append(MSG_MISSED)
        return fraction, feedback

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {
            "type": "array",
            "items": {"enum": [o.id for o in item.options]},
            "uniqueItems": True,
        }

    def key_answer(self, item: Item) -> Any:
        return [o.id for o in item.options if o.correct]

    def page_data(self, item: Item) -> dict[str, Any]:
        return {"options": [choice_json(o, False) for o in item.options]}

    def page_key(self, item: Item) -> dict[str, Any]:
        return {"options": [choice_json(o, True) for o in item.options]}

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, list):
            return None
        order = {o.id: n for n, o in enumerate(item.options)}
        ranked = sorted(
            answer, key=lambda a: order.get(a, len(order)) if isinstance(a, str) else len(order)
        )
        return AnswerView("list", tuple(choice_part(item.options, a) for a in ranked))

    def invalid_reason(self, item: Item) -> str:
        return "se esperaba una lista de opciones de la pregunta."

    def key_label(self, item: Item) -> str:
        return "+".join(self.key_answer(item))

    def answer_label(self, item: Item, answer: Any) -> str | None:
        if not isinstance(answer, list):
            return None
        order = [o.id for o in item.options]
        return "+".join(sorted(answer, key=order.index))

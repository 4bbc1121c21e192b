"""numerica: a number, within a tolerance; text such as «80,5 %» is read too."""

from __future__ import annotations

from typing import Any

from ...model import Item
from ...reports.base import AnswerPart, AnswerView, shown
from ..base import MSG_CORRECT, MSG_INCORRECT, QuestionType, register, render
from ..fields import wrong_answers
from ..textmatch import parse_number


@register
class Numeric(QuestionType):
    id = "numerica"
    name = "respuesta numérica"
    how_to_answer = "escribe el número, p. ej.: 80 o 80,5"
    fields = frozenset({"key", "tolerance", "unit", "wrong"})
    script = "comprende/types/numerica.js"

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        key = reader.get("key", (int, float), fix="write the number, e.g. `key: 80`")
        tolerance = reader.get("tolerance", (int, float), default=0)
        if tolerance < 0:
            raise reader.fail("`tolerance` cannot be negative", "tolerance")
        return {
            "key": float(key),
            "tolerance": float(tolerance),
            "unit": reader.text("unit", default=""),
            "wrong": wrong_answers(reader, numeric=True),
        }

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        value = parse_number(answer, item.unit)
        if abs(value - item.key) <= item.tolerance + 1e-9:
            return 1.0, [MSG_CORRECT]
        for wrong in item.wrong:
            if abs(value - float(wrong.answer)) <= item.tolerance + 1e-9:
                return 0.0, [wrong.feedback]
        return 0.0, [MSG_INCORRECT]

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {"type": ["number", "string"], "description": "80, 80.5 o el texto «80,5»"}

    def key_answer(self, item: Item) -> Any:
        return item.key

    def template_comments(self, item: Item) -> list[str]:
        return [f"Unidad: {item.unit}"] if item.unit else []

    def page_key(self, item: Item) -> dict[str, Any]:
        return {
            "key": item.key,
            "tolerance": item.tolerance,
            "unit": item.unit,
            "wrong": [{"answer": w.answer, "feedback": w.feedback} for w in item.wrong],
        }

    def widget(self, item: Item) -> str:
        return render(self, "widget.html", item=item, numeric=True)

    def print_context(self, item: Item) -> dict[str, Any]:
        from ...reports.base import points

        low, high = item.key - item.tolerance, item.key + item.tolerance
        return {
            "number": points(item.key, comma=True),
            "low": points(low, comma=True),
            "high": points(high, comma=True),
        }

    def shape_data(self, item: Item) -> dict[str, Any]:
        if item.unit:  # shown next to the field; an answer may end with it
            return {"unit": item.unit}
        return {}

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if isinstance(answer, list | dict):
            return None
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            text = shown(answer)
        else:
            text = str(int(answer)) if float(answer).is_integer() else repr(float(answer))
            text = text.replace(".", ",")
        return AnswerView("text", (AnswerPart(f"{text} {item.unit}" if item.unit else text),))

"""respuesta-abierta: a text the instructor marks with the item's rubric."""

from __future__ import annotations

import math
import textwrap
from typing import Any

from ...model import Criterion, Item, ItemResult, MarkingGuide, Status
from ...reports.base import AnswerPart, AnswerView
from ..base import QuestionType, invalid_result, register, render

MSG_PENDING = "Tu profesor o profesora corregirá esta respuesta."


@register
class OpenResponse(QuestionType):
    id = "respuesta-abierta"
    name = "respuesta abierta"
    how_to_answer = "escribe tu texto después de `|`, con sangría, en las líneas siguientes"
    fields = frozenset({"rubric", "min_words", "max_words", "model_answer"})
    auto_graded = False
    script = "comprende/types/respuesta-abierta.js"

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        rubric = []
        for entry in reader.get(
            "rubric", list, fix="list the criteria: - criterion: … / points: 1"
        ):
            sub = reader.mapping(entry, f"{reader.what}, rubric", "rubric", ("criterion", "points"))
            rubric.append(
                Criterion(
                    criterion=sub.text("criterion"),
                    points=float(sub.get("points", (int, float))),
                )
            )
        if not rubric:
            raise reader.fail("`rubric` is empty", "rubric")
        if not math.isclose(sum(c.points for c in rubric), points):
            raise reader.fail(
                f"the rubric's points add up to {sum(c.points for c in rubric):g}, not {points:g}",
                "rubric",
                "make the criteria's points add up to the item's `points`",
            )
        min_words = reader.get("min_words", int, default=0)
        max_words = reader.get("max_words", int, default=0)
        if max_words and max_words < min_words:
            raise reader.fail("`max_words` is below `min_words`", "max_words")
        return {
            "rubric": tuple(rubric),
            "min_words": min_words,
            "max_words": max_words,
            "model_answer": reader.text("model_answer", default=""),
        }

    def result(self, item: Item, answer: Any) -> ItemResult:
        if isinstance(answer, bool) or not isinstance(answer, str):
            return invalid_result(item, "se esperaba un texto.", answer)
        return ItemResult(
            item.id, 0.0, item.points, Status.PENDING, _word_feedback(item, answer), answer
        )

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {"type": "string"}

    def key_answer(self, item: Item) -> Any:
        return item.model_answer or "Respuesta modelo."

    def template_comments(self, item: Item) -> list[str]:
        if not (item.min_words or item.max_words):
            return []
        return [f"Extensión: entre {item.min_words} y {item.max_words} palabras."]

    def template_answer(self, item: Item, value: Any, indent: str) -> list[str]:
        lines = [f"{indent}{item.id}: |"]
        if not value:
            return [*lines, f"{indent}  "]
        return lines + [f"{indent}  {line}".rstrip() for line in textwrap.wrap(value, 80)]

    def page_data(self, item: Item) -> dict[str, Any]:
        if item.max_words or item.min_words:
            return {"words": [item.min_words, item.max_words]}
        return {}

    def widget(self, item: Item) -> str:
        return render(self, "widget.html", item=item)

    def print_context(self, item: Item) -> dict[str, Any]:
        from ...reports.base import points

        # About nine handwritten words fit on a ruled line of the page.
        lines = max(6, math.ceil((item.max_words or 60) / 9) + 1)
        return {"lines": lines, "points": lambda value: points(value, comma=True)}

    def marking_guide(self, item: Item) -> MarkingGuide:
        return MarkingGuide(item.rubric, item.model_answer, item.min_words, item.max_words)

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, str):
            return None
        return AnswerView("text", (AnswerPart(answer),))


def _word_feedback(item: Item, text: str) -> tuple[str, ...]:
    words = len(text.split())
    messages = [MSG_PENDING]
    if item.min_words and words < item.min_words:
        messages.append(f"Tu texto tiene {words} palabras; se piden al menos {item.min_words}.")
    if item.max_words and words > item.max_words:
        messages.append(f"Tu texto tiene {words} palabras; se piden como máximo {item.max_words}.")
    return tuple(messages)

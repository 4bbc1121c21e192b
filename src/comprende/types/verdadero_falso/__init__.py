"""verdadero-falso: a statement the student judges true or false."""

from __future__ import annotations

from typing import Any

from ...model import Item
from ...reports.base import AnswerPart, AnswerView
from ...yamlio import LineDict
from ..base import Invalid, QuestionType, register


@register
class TrueFalse(QuestionType):
    id = "verdadero-falso"
    name = "verdadero o falso"
    how_to_answer = "escribe true (verdadero) o false (falso)"
    fields = frozenset({"key", "feedback"})
    script = "comprende/types/verdadero-falso.js"

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        key = reader.get("key", bool, fix="write `key: true` or `key: false`")
        feedback = reader.get(
            "feedback",
            LineDict,
            fix="give feedback for both answers: feedback: {true: …, false: …}",
        )
        texts = {str(k).lower(): v for k, v in feedback.items()}
        if set(texts) != {"true", "false"} or not all(
            isinstance(v, str) and v.strip() for v in texts.values()
        ):
            raise reader.fail("`feedback` needs a text for `true` and for `false`", "feedback")
        return {"key": key, "feedback": texts}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        if isinstance(answer, str) and answer.strip().casefold() in ("verdadero", "falso"):
            answer = answer.strip().casefold() == "verdadero"
        if not isinstance(answer, bool):
            raise Invalid("se esperaba true (verdadero) o false (falso).")
        return float(answer == item.key), [item.feedback["true" if answer else "false"]]

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {"type": "boolean"}

    def key_answer(self, item: Item) -> Any:
        return item.key

    def page_key(self, item: Item) -> dict[str, Any]:
        return {"key": item.key, "feedback": dict(item.feedback)}

    def choices_to_read(self, item: Item) -> list[str]:
        return ["Verdadero", "Falso"]

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, bool):
            return None
        return AnswerView("choice", (AnswerPart("Verdadero" if answer else "Falso"),))

    def answer_label(self, item: Item, answer: Any) -> str | None:
        if isinstance(answer, bool):
            return "verdadero" if answer else "falso"
        return None

    def key_label(self, item: Item) -> str:
        return "verdadero" if item.key else "falso"

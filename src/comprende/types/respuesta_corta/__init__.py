"""respuesta-corta: a word or a short phrase, compared with the accepted ones."""

from __future__ import annotations

from typing import Any

from ...model import Item
from ...reports.base import AnswerPart, AnswerView
from ..base import QuestionType, register, render
from ..fields import TEXT_KEY_FIELDS, text_key, text_key_json
from ..textmatch import grade_text


@register
class ShortAnswer(QuestionType):
    id = "respuesta-corta"
    name = "respuesta corta"
    how_to_answer = 'escribe tu respuesta entre comillas, p. ej.: "palabra"'
    fields = TEXT_KEY_FIELDS
    script = "comprende/types/respuesta-corta.js"

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        return {"text_key": text_key(reader)}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        assert item.text_key is not None
        return grade_text(item.text_key, answer)

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {"type": ["string", "integer"]}

    def key_answer(self, item: Item) -> Any:
        assert item.text_key is not None
        return item.text_key.accept[0]

    def page_key(self, item: Item) -> dict[str, Any]:
        assert item.text_key is not None
        return {"textKey": text_key_json(item.text_key)}

    def widget(self, item: Item) -> str:
        return render(self, "widget.html", item=item, numeric=False)

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, str):
            return None
        return AnswerView("text", (AnswerPart(answer),))

"""ordenar: every element once, in order; points per element followed by its successor."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from ...model import Choice, Item
from ...reports.base import AnswerView, choice_part
from ..base import MSG_CORRECT, MSG_INCORRECT, Invalid, QuestionType, register, render
from ..fields import choice_json, choices


def _natural(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


@register
class Ordering(QuestionType):
    id = "ordenar"
    name = "ordenar"
    how_to_answer = "escribe la lista de todos los ids en el orden correcto, p. ej.: [c, a, d, b]"
    fields = frozenset({"elements"})
    script = "comprende/types/ordenar.js"
    stylesheets = ("comprende/types/ordenar.css",)

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        elements = choices(reader, "elements")
        if len(elements) < 3:
            raise reader.fail("an ordering item needs at least three elements", "elements")
        ids = [e.id for e in elements]
        if ids == sorted(ids, key=_natural):
            raise reader.fail(
                "the element ids are in alphabetical order, so they give the order away",
                "elements",
                "use ids that do not sort into the right order, e.g. short words",
            )
        return {"elements": elements}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        ids = [e.id for e in item.elements]
        if (
            not isinstance(answer, list)
            or not all(isinstance(a, str) for a in answer)
            or sorted(answer) != sorted(ids)
        ):
            raise Invalid("se esperaba la lista de todos los elementos, cada uno una vez.")
        position = {element_id: index for index, element_id in enumerate(ids)}
        good = sum(position[b] == position[a] + 1 for a, b in pairwise(answer))
        return good / (len(ids) - 1), [MSG_CORRECT if good == len(ids) - 1 else MSG_INCORRECT]

    def answer_schema(self, item: Item) -> dict[str, Any]:
        from ...pagedata import neutral_ids

        ids = neutral_ids(item, item.elements)  # never the key's order
        return {
            "type": "array",
            "items": {"enum": ids},
            "uniqueItems": True,
            "minItems": len(ids),
            "maxItems": len(ids),
        }

    def key_answer(self, item: Item) -> Any:
        return [e.id for e in item.elements]

    def template_comments(self, item: Item) -> list[str]:
        shuffled = sorted(item.elements, key=lambda e: e.text.casefold())
        return [f"  {e.id}) {e.text}" for e in shuffled]

    def page_data(self, item: Item) -> dict[str, Any]:
        from ...pagedata import display_order

        return {"elements": [choice_json(c, False) for c in display_order(item, item.elements)]}

    def page_key(self, item: Item) -> dict[str, Any]:
        return {"order": [e.id for e in item.elements]}

    def widget(self, item: Item) -> str:
        from ...pagedata import display_order

        return render(self, "widget.html", item=item, elements=display_order(item, item.elements))

    def choices_to_read(self, item: Item) -> list[str]:
        return [e.text for e in item.elements]

    def key_order(self, item: Item, choices: tuple[Choice, ...]) -> list[str] | None:
        if choices is item.elements:
            return [c.id for c in item.elements]
        return None

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, list):
            return None
        return AnswerView("ordered", tuple(choice_part(item.elements, a) for a in answer))

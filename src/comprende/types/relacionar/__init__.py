"""relacionar: each entry of the left list paired with one of the right list."""

from __future__ import annotations

from typing import Any

from ...model import Choice, Item
from ...reports.base import UNKNOWN_LEFT, AnswerPart, AnswerView, choice_part, shown
from ...yamlio import LineDict
from ..base import (
    MSG_CORRECT,
    MSG_INCORRECT,
    Invalid,
    QuestionType,
    mapping_lines,
    register,
    render,
)
from ..fields import choice_json, choices


@register
class Matching(QuestionType):
    id = "relacionar"
    name = "relacionar"
    how_to_answer = "escribe, para cada elemento de la izquierda, el id de su pareja de la derecha"
    fields = frozenset({"left", "right", "key", "feedback"})
    mapping_answer = True
    script = "comprende/types/relacionar.js"
    stylesheets = ("comprende/types/relacionar.css",)

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        left, right = choices(reader, "left"), choices(reader, "right")
        key = reader.get("key", LineDict, fix="map every left id to a right id: key: {l1: r2, …}")
        pairs = {str(k): str(v) for k, v in key.items()}
        left_ids, right_ids = {c.id for c in left}, {c.id for c in right}
        if set(pairs) != left_ids:
            raise reader.fail("`key` must map every left id, and only those", "key")
        unknown = sorted(set(pairs.values()) - right_ids)
        if unknown:
            raise reader.fail(f"`key` points to unknown right ids: {', '.join(unknown)}", "key")
        if all(pairs[c.id] == r.id for c, r in zip(left, right, strict=False)):
            raise reader.fail(
                "the key pairs each left entry with the right entry in the same position",
                "key",
                "list the right entries in another order, so ids do not give the key away",
            )
        given = reader.get("feedback", LineDict, default=LineDict())
        feedback = {str(k): v for k, v in given.items()}
        if set(feedback) - left_ids:
            raise reader.fail("`feedback` is keyed by left ids", "feedback")
        return {"left": left, "right": right, "pairs": pairs, "feedback": feedback}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        left = [c.id for c in item.left]
        right = {c.id for c in item.right}
        if (
            not isinstance(answer, dict)
            or set(answer) - set(left)
            or not all(isinstance(v, str) and v in right for v in answer.values())
        ):
            raise Invalid(
                "se esperaba una pareja (izquierda: derecha) por elemento, con ids existentes."
            )
        good = sum(answer.get(lid) == item.pairs[lid] for lid in left)
        feedback = [
            item.feedback[lid]
            for lid in left
            if lid in answer and answer[lid] != item.pairs[lid] and lid in item.feedback
        ]
        return good / len(left), feedback or [MSG_CORRECT if good == len(left) else MSG_INCORRECT]

    def answer_schema(self, item: Item) -> dict[str, Any]:
        from ...pagedata import neutral_ids

        right = neutral_ids(item, item.right)
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {c.id: {"enum": [*right, None]} for c in item.left},
        }

    def key_answer(self, item: Item) -> Any:
        return dict(item.pairs)

    def template_comments(self, item: Item) -> list[str]:
        return [
            "Izquierda:",
            *(f"  {c.id}) {c.text}" for c in item.left),
            "Derecha:",
            *(f"  {c.id}) {c.text}" for c in item.right),
        ]

    def template_answer(self, item: Item, value: Any, indent: str) -> list[str]:
        return mapping_lines(item, [c.id for c in item.left], value, indent)

    def page_data(self, item: Item) -> dict[str, Any]:
        from ...pagedata import display_order

        return {
            "left": [choice_json(c, False) for c in item.left],
            "right": [choice_json(c, False) for c in display_order(item, item.right)],
        }

    def page_key(self, item: Item) -> dict[str, Any]:
        data: dict[str, Any] = {"feedback": dict(item.feedback)} if item.feedback else {}
        return data | {"pairs": dict(item.pairs)}

    def widget(self, item: Item) -> str:
        return render(self, "widget.html", item=item)

    def choices_to_read(self, item: Item) -> list[str]:
        return [c.text for c in (*item.left, *item.right)]

    def key_order(self, item: Item, choices: tuple[Choice, ...]) -> list[str] | None:
        if choices is item.right and item.pairs:
            pairs = dict(item.pairs)
            key = list(dict.fromkeys(pairs[c.id] for c in item.left if c.id in pairs))
            key += [c.id for c in item.right if c.id not in key]
            return key
        return None

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, dict):
            return None
        known = {c.id for c in item.left}
        parts = [
            choice_part(item.right, answer.get(left.id), left.text)
            for left in item.left
            if left.id in answer
        ]
        for left_id, right_id in answer.items():
            if left_id not in known:
                part = choice_part(item.right, right_id)
                parts.append(AnswerPart(f"{shown(left_id)} → {part.text}", "", UNKNOWN_LEFT))
        return AnswerView("pairs", tuple(parts))

    def invalid_reason(self, item: Item) -> str:
        return "se esperaba una pareja para cada elemento de la lista."

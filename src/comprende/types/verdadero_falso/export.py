"""verdadero-falso in the export formats: truefalse (Moodle XML, GIFT),
true_false_question (Canvas QTI). Exact in all three."""

from __future__ import annotations

from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...model import Item


def export(item: Item, fmt: str) -> Any:
    true_fb, false_fb = item.feedback["true"], item.feedback["false"]
    if fmt == mx.NAME:
        q = mx.question(item, "truefalse")
        mx.answer(q, float(item.key), "true", true_fb, fmt="moodle_auto_format")
        mx.answer(q, float(not item.key), "false", false_fb, fmt="moodle_auto_format")
        return q
    if fmt == gift.NAME:
        return gift.truefalse(item, item.key, true_fb, false_fb)
    if fmt == qti.NAME:
        choices = [
            ("true", "Verdadero", item.key, true_fb),
            ("false", "Falso", not item.key, false_fb),
        ]
        return qti.choice(item, choices, question_type="true_false_question")
    return None

"""opcion-unica in the export formats: multichoice with one answer (Moodle XML, GIFT),
multiple_choice_question (Canvas QTI). Exact in all three."""

from __future__ import annotations

from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported
from ...model import Item


def export(item: Item, fmt: str) -> Any:
    choices = [(o.text, o.correct, o.feedback) for o in item.options]
    if fmt == mx.NAME:
        q, degraded = mx.multichoice(item, choices, single=True)
        return Exported(q, tuple(degraded))
    if fmt == gift.NAME:
        text, degraded = gift.multichoice(item, choices, single=True)
        return Exported(text, tuple(degraded))
    if fmt == qti.NAME:
        with_ids = [(o.id, o.text, o.correct, o.feedback) for o in item.options]
        return qti.choice(item, with_ids, question_type="multiple_choice_question")
    return None

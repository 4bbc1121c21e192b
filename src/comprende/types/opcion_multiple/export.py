"""opcion-multiple in the export formats.

Moodle XML and GIFT: multichoice with several answers; comprende's rule (right picks /
right options − wrong picks / wrong options) is each right option at 100/k % and each
wrong one at −100/m %, exact where Moodle allows those fractions, else the nearest
allowed one (reported). Canvas QTI: multiple_answers_question, whose partial credit
Canvas works out by its own rule (reported).
"""

from __future__ import annotations

from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported
from ...model import Item

CANVAS_PARTIAL = (
    "Canvas gives partial credit on multiple answers by its own rule; "
    "the package states only the fully right answer"
)


def export(item: Item, fmt: str) -> Any:
    choices = [(o.text, o.correct, o.feedback) for o in item.options]
    if fmt == mx.NAME:
        q, degraded = mx.multichoice(item, choices, single=False)
        return Exported(q, tuple(degraded))
    if fmt == gift.NAME:
        text, degraded = gift.multichoice(item, choices, single=False)
        return Exported(text, tuple(degraded))
    if fmt == qti.NAME:
        with_ids = [(o.id, o.text, o.correct, o.feedback) for o in item.options]
        element = qti.choice(item, with_ids, question_type="multiple_answers_question")
        return Exported(element, (CANVAS_PARTIAL,))
    return None

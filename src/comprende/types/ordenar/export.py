"""ordenar in the export formats.

Moodle XML: the ordering question (``qtype_ordering``, shipped with Moodle 4.4+): all
elements shown (``selecttype`` ALL), graded ``RELATIVE_NEXT_EXCLUDE_LAST`` (a point per
element followed by its right successor), which is comprende's rule. GIFT and Canvas
Classic Quizzes have no ordering question.
"""

from __future__ import annotations

from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import NotExpressible
from ...model import Item


def export(item: Item, fmt: str) -> Any:
    if fmt == mx.NAME:
        q = mx.question(item, "ordering")
        mx.simple(q, "layouttype", "VERTICAL")
        mx.simple(q, "selecttype", "ALL")
        mx.simple(q, "selectcount", str(len(item.elements)))
        mx.simple(q, "gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST")
        mx.simple(q, "showgrading", "SHOW")
        mx.simple(q, "numberingstyle", "none")
        mx.combined_feedback(q)
        for position, element in enumerate(item.elements, 1):
            answer = mx.answer(q, 0, mx.paragraphs([element.text]), "")
            answer.set("fraction", str(position))  # the position, as qtype_ordering writes it
        return q
    if fmt == gift.NAME:
        raise NotExpressible("GIFT has no ordering question")
    if fmt == qti.NAME:
        raise NotExpressible("Canvas Classic Quizzes have no ordering question")
    return None

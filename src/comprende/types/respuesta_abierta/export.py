"""respuesta-abierta in the export formats.

Moodle XML: essay, with the rubric, the model answer and the length as information for
the grader (``graderinfo``); no word limits Moodle would enforce, as the site only
warns about the length. GIFT: an essay (``{}``), without
the rubric (reported). Canvas QTI: essay_question, without the rubric (reported).
"""

from __future__ import annotations

from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported
from ...model import Item

LOST = "the rubric and the model answer (information for the grader) are not in the file"


def grader_info(item: Item) -> str:
    rubric = "".join(
        f"<li>{mx.html_text(c.criterion)} ({mx.points_text(c.points)} p.)</li>" for c in item.rubric
    )
    parts = [f"<p><strong>Rúbrica</strong></p><ul>{rubric}</ul>"]
    if item.min_words and item.max_words:
        parts.append(
            mx.paragraphs([f"Extensión: entre {item.min_words} y {item.max_words} palabras."])
        )
    elif item.min_words:
        parts.append(mx.paragraphs([f"Extensión: al menos {item.min_words} palabras."]))
    elif item.max_words:
        parts.append(mx.paragraphs([f"Extensión: como máximo {item.max_words} palabras."]))
    if item.model_answer:
        parts.append(
            "<p><strong>Respuesta modelo</strong></p>" + mx.paragraphs([item.model_answer])
        )
    return "".join(parts)


def export(item: Item, fmt: str) -> Any:
    if fmt == mx.NAME:
        q = mx.question(item, "essay")
        mx.simple(q, "responseformat", "editor")
        mx.simple(q, "responserequired", "1")
        mx.simple(q, "responsefieldlines", "15")
        # No minwordlimit/maxwordlimit: the site only tells the learner the length; the
        # limits go to the grader (graderinfo), so Moodle accepts the same answers.
        mx.simple(q, "attachments", "0")
        mx.simple(q, "attachmentsrequired", "0")
        mx.text_element(q, "graderinfo", grader_info(item))
        mx.text_element(q, "responsetemplate", "")
        return q
    if fmt == gift.NAME:
        return Exported(gift.essay(item), (LOST,))
    if fmt == qti.NAME:
        return Exported(qti.essay(item), (LOST,))
    return None

"""respuesta-corta in the export formats: shortanswer (Moodle XML, GIFT),
short_answer_question (Canvas QTI).

The accepted answers at 100 %; each one's accent-free form at 100 % with the accent note
(accents optional) or at 0 % with «Casi: revisa la tilde» (accents required); the common
wrong answers with their feedback; then any other answer with the incorrect feedback.
Typos are not accepted outside the site (reported).
"""

from __future__ import annotations

from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported
from ...model import Item


def export(item: Item, fmt: str) -> Any:
    key = item.text_key
    assert key is not None
    if fmt == mx.NAME:
        q, degraded = mx.shortanswer(item, key)
        return Exported(q, tuple(degraded))
    if fmt == gift.NAME:
        text, degraded = gift.shortanswer(item, key)
        return Exported(text, tuple(degraded))
    if fmt == qti.NAME:
        element, degraded = qti.short_answer(item, key)
        return Exported(element, tuple(degraded))
    return None

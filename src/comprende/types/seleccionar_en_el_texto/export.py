"""seleccionar-en-el-texto in the export formats: a multiple-answer choice over the
candidate sentences (Moodle XML and GIFT multichoice, Canvas QTI
multiple_answers_question), with the same rule as opcion-multiple: each key sentence
100/k %, each other sentence −100/m %, or the nearest fraction Moodle allows (reported).
The sentences become options: the learner no longer marks them in the running text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported
from ...model import Item
from ..opcion_multiple.export import CANVAS_PARTIAL

OUT_OF_TEXT = "the sentences are listed as options, not marked in the running text"


def choices(
    selection: Any, label: Callable[[Any], str], right: str, wrong: str
) -> list[tuple[str, str, bool, str]]:
    """``(id, text, correct, feedback)`` for each candidate sentence of ``selection``
    (named by ``label``; ``right``/``wrong``: the feedback of a sentence without its own).
    The package passes these in, so this module imports nothing of it."""
    key = set(selection.key)
    return [
        (
            s.id,
            f"{label(s).split(' («')[0]}: {s.text}",
            s.id in key,
            selection.feedback.get(s.id) or (right if s.id in key else wrong),
        )
        for s in selection.candidates
    ]


def export(item: Item, fmt: str, *, label: Callable[[Any], str], right: str, wrong: str) -> Any:
    with_ids = choices(item.data, label, right, wrong)
    plain = [(text, correct, feedback) for _, text, correct, feedback in with_ids]
    if fmt == mx.NAME:
        q, degraded = mx.multichoice(item, plain, single=False)
        return Exported(q, (OUT_OF_TEXT, *degraded))
    if fmt == gift.NAME:
        text, degraded = gift.multichoice(item, plain, single=False)
        return Exported(text, (OUT_OF_TEXT, *degraded))
    if fmt == qti.NAME:
        element = qti.choice(item, with_ids, question_type="multiple_answers_question")
        return Exported(element, (OUT_OF_TEXT, CANVAS_PARTIAL))
    return None

"""dos-partes in the export formats.

Moodle XML: one embedded-answers (cloze) question holding both parts, Part A as
``{w:MULTICHOICE_V:…}`` and Part B as ``MULTICHOICE_V`` (one option) or
``MULTIRESPONSE`` (several options, or the sentences of a selection), each half the
points. Moodle scores the two parts on their own, so ``scoring: dependent`` (Part B
counts only when Part A is right) is lost (reported). GIFT and Canvas Classic Quizzes
have no question made of two linked parts: not expressible.
"""

from __future__ import annotations

from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported, NotExpressible
from ...model import Item
from ..seleccionar_en_el_texto import MSG_RIGHT, MSG_WRONG, label
from ..seleccionar_en_el_texto.export import choices as sentence_choices

MULTIPLE = "opcion-multiple"  # Part B's kind with several right options

DEPENDENT = "Moodle scores Part B even when Part A is wrong (scoring: dependent is lost)"


def export(item: Item, fmt: str) -> Any:
    data = item.data  # dos_partes.TwoParts (not imported: the package imports this module)
    if fmt == mx.NAME:
        weight, degraded = mx.cloze_weights(item, 2)
        a, lost = mx.cloze_choice(
            [(o.text, o.correct, o.feedback) for o in data.a.options], weight, single=True
        )
        degraded += lost
        if data.b.selection is not None:
            b_choices = [
                (t, c, f)
                for _, t, c, f in sentence_choices(data.b.selection, label, MSG_RIGHT, MSG_WRONG)
            ]
            single = False
        else:
            b_choices = [(f"«{o.text}»", o.correct, o.feedback) for o in data.b.options]
            single = data.b.kind != MULTIPLE
        b, lost = mx.cloze_choice(b_choices, weight, single=single)
        degraded += lost
        if data.dependent:
            degraded.append(DEPENDENT)
        text = (
            f"<p>{mx.cloze_text(item.prompt)}</p>"
            f"<p><strong>Parte A.</strong> {mx.cloze_text(data.a.prompt)}</p>{a}"
            f"<p><strong>Parte B.</strong> {mx.cloze_text(data.b.prompt)}</p>{b}"
        )
        return Exported(mx.question(item, "cloze", text=text, points=False), tuple(degraded))
    if fmt == gift.NAME:
        raise NotExpressible("GIFT has no question of two linked parts")
    if fmt == qti.NAME:
        raise NotExpressible("Canvas Classic Quizzes have no question of two linked parts")
    return None

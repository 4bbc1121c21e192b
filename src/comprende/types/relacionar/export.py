"""relacionar in the export formats.

Moodle XML: matching, a subquestion per left entry, the right entries no left takes as
extra answers; points per right pair, as on the site. Moodle has no feedback per pair:
the hints go together into the partially correct and incorrect feedback (reported).
GIFT: ``=left -> right`` (no feedback per pair, reported). Canvas QTI:
matching_question, with a feedback per left entry.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported, NotExpressible
from ...model import Item

HINTS = "Pistas:"
LOST_HINTS = "no feedback per pair: the hints are shown together when not all pairs are right"


def export(item: Item, fmt: str) -> Any:
    right = {c.id: c.text for c in item.right}
    used = set(item.pairs.values())
    extra = [c.text for c in item.right if c.id not in used]
    hints = [item.feedback[c.id] for c in item.left if c.id in item.feedback]
    lost = (LOST_HINTS,) if hints else ()
    if fmt == mx.NAME:
        if len(item.left) < 2 or len(set(right.values())) < 3:
            raise NotExpressible("Moodle's matching needs two questions and three answers")
        q = mx.question(item, "matching")
        mx.simple(q, "shuffleanswers", "true")
        hint_text = [HINTS, *hints] if hints else []
        mx.text_element(q, "correctfeedback", mx.paragraphs([mx.MSG_CORRECT]))
        mx.text_element(q, "partiallycorrectfeedback", mx.paragraphs([mx.MSG_PARTIAL, *hint_text]))
        mx.text_element(q, "incorrectfeedback", mx.paragraphs([mx.MSG_INCORRECT, *hint_text]))
        ET.SubElement(q, "shownumcorrect")
        for stem, answer in [(c.text, right[item.pairs[c.id]]) for c in item.left] + [
            ("", text) for text in extra
        ]:
            sub = mx.text_element(q, "subquestion", mx.paragraphs([stem]) if stem else "")
            mx.simple(ET.SubElement(sub, "answer"), "text", answer)
        return Exported(q, lost)
    if fmt == gift.NAME:
        pairs = [(c.text, right[item.pairs[c.id]]) for c in item.left]
        return Exported(gift.matching(item, pairs, extra), lost)
    if fmt == qti.NAME:
        return qti.matching(
            item,
            [(c.id, c.text) for c in item.left],
            [(c.id, c.text) for c in item.right],
            item.pairs,
            dict(item.feedback),
        )
    return None

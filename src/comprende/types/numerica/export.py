"""numerica in the export formats: numerical with its tolerance (Moodle XML, GIFT; the
common wrong values with their feedback), numerical_question (Canvas QTI: the range,
without the wrong values' feedback, reported)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported
from ...model import Item
from ..base import MSG_CORRECT, MSG_INCORRECT


def export(item: Item, fmt: str) -> Any:
    wrong = [(float(w.answer), w.feedback) for w in item.wrong]
    if fmt == mx.NAME:
        q = mx.question(item, "numerical")
        for fraction, value, feedback in [(1.0, item.key, MSG_CORRECT)] + [
            (0.0, v, fb) for v, fb in wrong
        ]:
            answer = mx.answer(q, fraction, mx.number(value), feedback, fmt="plain")
            mx.simple(answer, "tolerance", mx.number(item.tolerance))
        other = mx.answer(q, 0.0, "*", MSG_INCORRECT, fmt="plain")
        mx.simple(other, "tolerance", "0")
        if item.unit:
            unit = ET.SubElement(ET.SubElement(q, "units"), "unit")
            mx.simple(unit, "multiplier", "1")
            mx.simple(unit, "unit_name", item.unit)
            mx.simple(q, "unitgradingtype", "0")
            mx.simple(q, "unitpenalty", "0")
        return q
    if fmt == gift.NAME:
        return gift.numerical(item, item.key, item.tolerance, wrong)
    if fmt == qti.NAME:
        element = qti.numerical(item, item.key, item.tolerance)
        lost = ("the feedback for common wrong values is not in the package",) if wrong else ()
        return Exported(element, lost)
    return None

"""huecos in the export formats.

Moodle XML: an embedded-answers (cloze, ``multianswer``) question, one
``{w:SHORTANSWER:…}`` per blank with the blank's accepted answers, accent-free forms,
wrong answers and feedback (see :func:`comprende.exports.moodle_xml.text_key_answers`);
every blank weighs the same, as on the site. GIFT: only a text with one blank
(GIFT's missing-word form); more blanks are not expressible. Canvas QTI:
fill_in_multiple_blanks_question, each blank a share of the points.
"""

from __future__ import annotations

import re
from typing import Any

from ...exports import gift, qti
from ...exports import moodle_xml as mx
from ...exports.base import Exported, NotExpressible
from ...model import Item

_BLANK = re.compile(r"\[\[([a-z0-9_-]+)\]\]")


def export(item: Item, fmt: str) -> Any:
    pieces = _BLANK.split(item.text)  # text, name, text, name, …, text
    keys = dict(item.blanks)
    if fmt == mx.NAME:
        weight, degraded = mx.cloze_weights(item, len(item.blanks))
        body = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                body.append(mx.cloze_text(piece))
            else:
                blank, lost = mx.cloze_shortanswer(keys[piece], weight)
                body.append(blank)
                degraded += [f"blank {piece}: {reason}" for reason in lost]
        text = f"<p>{mx.cloze_text(item.prompt)}</p><p>{''.join(body)}</p>"
        return Exported(mx.question(item, "cloze", text=text, points=False), tuple(degraded))
    if fmt == gift.NAME:
        if len(item.blanks) != 1:
            raise NotExpressible(
                f"GIFT has one blank per question (missing-word form); this text has "
                f"{len(item.blanks)}"
            )
        text, degraded = gift.missing_word(item, pieces[0], keys[pieces[1]], pieces[2])
        return Exported(text, tuple(degraded))
    if fmt == qti.NAME:
        body = [
            qti.html_text(piece) if index % 2 == 0 else qti.blank_marker(piece)
            for index, piece in enumerate(pieces)
        ]
        text = f"<p>{qti.html_text(item.prompt)}</p><p>{''.join(body)}</p>"
        element, degraded = qti.blanks(item, text, list(item.blanks))
        return Exported(element, tuple(degraded))
    return None

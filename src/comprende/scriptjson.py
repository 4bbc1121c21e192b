"""JSON written inside ``<script type="application/json">`` elements (pages and reports)."""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def script_json(value: Any) -> str:
    """``value`` as compact JSON that is inert inside a script element.

    Escaping only ``</`` is not enough: an author's or a student's ``<!--<script>`` puts
    the HTML parser into its "script data double escaped" state, and the rest of the page
    is swallowed as script text. With every ``<``, ``>`` and ``&`` written as a JSON
    escape, no HTML tokenizer state can change; lone surrogates are escaped too, since they
    cannot be encoded in UTF-8. ``JSON.parse`` gives back the same value.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

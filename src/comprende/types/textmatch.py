"""Text and number answers: the rules shared by respuesta-corta, huecos and numerica.

Documented in :mod:`comprende.grading`; the page's ``static/comprende/lib.js`` applies
the same ones, and the shared vectors test both.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from rapidfuzz.distance import Levenshtein

from ..model import TextKey
from ..textnorm import clean_text
from .base import MSG_CORRECT, MSG_INCORRECT, Invalid

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)
_SPACES = re.compile(r"\s+")
_SAFE_INTEGER = 2**53 - 1
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$")
#: Integers past this many bits are refused before turning them into text.
MAX_INT_BITS = 14_000

MSG_ACCENT_REQUIRED = "Casi: revisa la tilde. La forma correcta es «{expected}»."
MSG_ACCENT_OPTIONAL = "Correcto, pero revisa la tilde: se escribe «{expected}»."
MSG_TYPO = "Correcto, aunque con una errata: se escribe «{expected}»."
MSG_TOO_BIG = "el número es demasiado grande."


def normalize(text: str, *, case: bool, punctuation: bool) -> str:
    """Clean (``clean_text``), straighten quotes, trim and collapse spaces; fold case and
    drop punctuation if asked."""
    text = clean_text(text).translate(_QUOTES)
    if case:
        text = text.lower()
    if punctuation:
        text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """Remove acute accents and diaeresis from vowels; ñ is a letter of its own."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = [
        c
        for i, c in enumerate(decomposed)
        if unicodedata.category(c) != "Mn" or (c == "\u0303" and i and decomposed[i - 1] in "nN")
    ]
    return unicodedata.normalize("NFC", "".join(kept))


def grade_text(key: TextKey, answer: Any) -> tuple[float, list[str]]:
    """Grade one text answer against a :class:`TextKey`: (fraction, feedback)."""
    if isinstance(answer, float) and answer.is_integer() and abs(answer) <= _SAFE_INTEGER:
        answer = int(answer)  # JSON has one number type: 3.0 is 3, as in the page
    if isinstance(answer, bool) or not isinstance(answer, str | int):
        raise Invalid("se esperaba un texto.")
    if isinstance(answer, int) and answer.bit_length() > MAX_INT_BITS:
        raise Invalid(MSG_TOO_BIG)
    policy = key.policy
    case, punctuation = policy.case == "ignore", policy.punctuation == "ignore"
    given = normalize(str(answer), case=case, punctuation=punctuation)
    accepted = [(a, normalize(a, case=case, punctuation=punctuation)) for a in key.accept]
    if any(given == norm for _, norm in accepted):
        return 1.0, [MSG_CORRECT]
    bare = strip_accents(given)
    for original, norm in accepted:
        if bare == strip_accents(norm):
            if policy.accents == "optional":
                return 1.0, [MSG_ACCENT_OPTIONAL.format(expected=original)]
            return 0.0, [MSG_ACCENT_REQUIRED.format(expected=original)]
    for wrong in key.wrong:
        if bare == strip_accents(normalize(str(wrong.answer), case=case, punctuation=punctuation)):
            return 0.0, [wrong.feedback]
    if policy.typos:
        for original, norm in accepted:
            allowed = min(policy.typos, len(norm.replace(" ", "")) // 4)
            if allowed and Levenshtein.distance(bare, strip_accents(norm)) <= allowed:
                return 1.0, [MSG_TYPO.format(expected=original)]
    return 0.0, [key.feedback_incorrect or MSG_INCORRECT]


def parse_number(answer: Any, unit: str = "") -> float:
    """A number from a JSON number or text such as ``"80,5 %"``."""
    if isinstance(answer, bool):
        raise Invalid("se esperaba un número.")
    if isinstance(answer, int | float):
        try:
            value = float(answer)
        except OverflowError:
            raise Invalid(MSG_TOO_BIG) from None
    elif isinstance(answer, str):
        text = answer.strip()
        for suffix in filter(None, (unit.strip(), "%")):
            if text.endswith(suffix):
                text = text[: -len(suffix)].rstrip()
                break
        if not _NUMBER.match(text):
            raise Invalid("se esperaba un número, como 80 o 80,5.")
        value = float(text.replace(",", "."))
    else:
        raise Invalid("se esperaba un número.")
    if math.isinf(value):
        raise Invalid(MSG_TOO_BIG)
    if math.isnan(value):
        raise Invalid("se esperaba un número.")
    return value

"""Grading: pure functions from an item and an answer to a result.

The page's JavaScript (``static/comprende-exercises.js``) applies the same rules, and
``tests/data/grading_vectors.yaml`` holds the cases both must pass. The rules:

* **Text is cleaned first**: every text in an answer (and every key of a mapping) goes
  through :func:`~comprende.textnorm.clean_text` before anything else (NFC; zero-width
  characters, soft hyphens, byte order marks and direction marks removed; full-width
  forms such as ``ｖｅｒｄａｄｅｒｏ`` or ``８０`` folded to ASCII), so an answer that
  looks right is graded as what it looks like. An answer holding a lone surrogate, or
  an :class:`~comprende.textnorm.Unusable` value (a number from the file that has no
  finite value), or nested more than 50 levels, is invalid.
* **Missing**: no answer, ``null``, empty text, empty list or empty mapping: 0 points.
  In a mapping (huecos, relacionar), an entry whose value is empty (``null`` or
  blank text) counts as not answered; a mapping with only such entries is missing.
* **Invalid**: an answer of the wrong shape (see :class:`~comprende.model.ItemType`), or
  naming an option, blank or element that does not exist: 0 points. Grading never raises.
* **verdadero-falso**: ``true``/``false`` (also the text ``"verdadero"``/``"falso"``).
* **opcion-unica**: the option id; all or nothing.
* **opcion-multiple**: a list of distinct option ids. Score = points × max(0, right
  picks / right options − wrong picks / wrong options).
* **respuesta-corta** (and each blank of **huecos**): both sides are normalised —
  spaces trimmed and collapsed, curly quotes made straight, then per the item's policy:
  case folded (``case: ignore``), punctuation (Unicode P*, e.g. ¿ ¡ . , « ») dropped
  (``punctuation: ignore``). Equal to an accepted answer: correct. Equal once accents
  are removed (every combining mark, á é í ó ú ü à…; ñ stays a letter): with
  ``accents: optional`` correct ("Correcto, pero revisa la tilde"), with
  ``accents: required`` incorrect ("Casi: revisa la tilde"). Matching a listed wrong
  answer (compared without accents): its feedback. Otherwise, within ``typos`` edits
  (Levenshtein, accents removed) of an accepted answer with at least four non-space
  characters per edit: correct, with the exact spelling. An integer answer is compared
  as its text.
* **numerica**: a number, or text with ASCII digits, a decimal comma or point and an
  optional unit or ``%`` after it (``"80,5 %"``); no thousands separators, no spaces
  inside the number. Correct within ``tolerance``. A number past the float range
  (``1e400``, a 400-digit integer) is invalid: "el número es demasiado grande."
* **huecos**: ``{blank: text}``; points × right blanks / blanks.
* **relacionar**: ``{left id: right id}``; points × right pairs / left items.
* **ordenar**: every element id once. Points × (adjacent pairs in the right order)
  / (elements − 1): each element directly followed by its successor scores.
* **respuesta-abierta**: text; ``pending`` with 0 points until the instructor grades it.

Points are rounded to hundredths, halves up. Status: ``correct`` (full points),
``partial`` (some), ``incorrect`` (none).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from rapidfuzz.distance import Levenshtein

from .model import (
    Bank,
    Item,
    ItemResult,
    ItemType,
    Status,
    Submission,
    SubmissionResult,
    TextKey,
    round_points,
)
from .textnorm import Unusable, clean_text, has_surrogate, show

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)
_SPACES = re.compile(r"\s+")
_SAFE_INTEGER = 2**53 - 1
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$")

MSG_MISSING = "Sin respuesta."
MSG_INVALID = "Respuesta no válida: {reason}"
MSG_CORRECT = "¡Correcto!"
MSG_INCORRECT = "No es correcto."
MSG_ACCENT_REQUIRED = "Casi: revisa la tilde. La forma correcta es «{expected}»."
MSG_ACCENT_OPTIONAL = "Correcto, pero revisa la tilde: se escribe «{expected}»."
MSG_TYPO = "Correcto, aunque con una errata: se escribe «{expected}»."
MSG_MISSED = "Te falta alguna opción correcta."
MSG_PENDING = "Tu profesor o profesora corregirá esta respuesta."
MSG_TOO_BIG = "el número es demasiado grande."
MSG_BAD_TEXT = "la respuesta tiene un carácter que no es texto válido."
MSG_TOO_DEEP = "la respuesta tiene demasiados niveles de listas o bloques."

#: Deepest nesting of lists and mappings an answer may have before it is invalid.
MAX_NESTING = 50
#: Integers longer than this many bits are too big to grade (~4,200 digits).
_MAX_INT_BITS = 14_000


def is_empty(answer: Any) -> bool:
    return answer is None or (
        isinstance(answer, str | list | dict)
        and not (answer.strip() if isinstance(answer, str) else answer)
    )


def _result(item: Item, fraction: float, feedback: list[str], answer: Any) -> ItemResult:
    points = round_points(item.points * max(0.0, min(1.0, fraction)))
    if points >= item.points:
        status = Status.CORRECT
    elif points > 0:
        status = Status.PARTIAL
    else:
        status = Status.INCORRECT
    return ItemResult(item.id, points, item.points, status, tuple(feedback), answer)


def _invalid(item: Item, reason: str, answer: Any) -> ItemResult:
    return ItemResult(
        item.id, 0.0, item.points, Status.INVALID, (MSG_INVALID.format(reason=reason),), answer
    )


class _Invalid(Exception):
    """An answer of the wrong shape; the message says why, in Spanish."""


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
        raise _Invalid("se esperaba un texto.")
    if isinstance(answer, int) and answer.bit_length() > _MAX_INT_BITS:
        raise _Invalid(MSG_TOO_BIG)
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
        raise _Invalid("se esperaba un número.")
    if isinstance(answer, int | float):
        try:
            value = float(answer)
        except OverflowError:
            raise _Invalid(MSG_TOO_BIG) from None
    elif isinstance(answer, str):
        text = answer.strip()
        for suffix in filter(None, (unit.strip(), "%")):
            if text.endswith(suffix):
                text = text[: -len(suffix)].rstrip()
                break
        if not _NUMBER.match(text):
            raise _Invalid("se esperaba un número, como 80 o 80,5.")
        value = float(text.replace(",", "."))
    else:
        raise _Invalid("se esperaba un número.")
    if math.isinf(value):
        raise _Invalid(MSG_TOO_BIG)
    if math.isnan(value):
        raise _Invalid("se esperaba un número.")
    return value


def _true_false(item: Item, answer: Any) -> tuple[float, list[str]]:
    if isinstance(answer, str) and answer.strip().casefold() in ("verdadero", "falso"):
        answer = answer.strip().casefold() == "verdadero"
    if not isinstance(answer, bool):
        raise _Invalid("se esperaba true (verdadero) o false (falso).")
    return float(answer == item.key), [item.feedback["true" if answer else "false"]]


def _option_ids(item: Item) -> dict[str, Any]:
    return {option.id: option for option in item.options}


def _single(item: Item, answer: Any) -> tuple[float, list[str]]:
    options = _option_ids(item)
    if not isinstance(answer, str) or answer not in options:
        raise _Invalid(f"se esperaba una de las opciones: {', '.join(options)}.")
    chosen = options[answer]
    return float(chosen.correct), [chosen.feedback]


def _multiple(item: Item, answer: Any) -> tuple[float, list[str]]:
    options = _option_ids(item)
    if not isinstance(answer, list) or not all(isinstance(a, str) and a in options for a in answer):
        raise _Invalid(f"se esperaba una lista de opciones entre: {', '.join(options)}.")
    if len(set(answer)) != len(answer):
        raise _Invalid("una opción aparece dos veces.")
    right = [o for o in item.options if o.correct]
    wrong_count = len(item.options) - len(right)
    picked_right = sum(options[a].correct for a in answer)
    picked_wrong = len(answer) - picked_right
    fraction = picked_right / len(right) - picked_wrong / wrong_count
    feedback = [options[a].feedback for a in sorted(answer, key=list(options).index)]
    if picked_right < len(right):
        feedback.append(MSG_MISSED)
    return fraction, feedback


def _short(item: Item, answer: Any) -> tuple[float, list[str]]:
    assert item.text_key is not None
    return grade_text(item.text_key, answer)


def _numeric(item: Item, answer: Any) -> tuple[float, list[str]]:
    value = parse_number(answer, item.unit)
    if abs(value - item.key) <= item.tolerance + 1e-9:
        return 1.0, [MSG_CORRECT]
    for wrong in item.wrong:
        if abs(value - float(wrong.answer)) <= item.tolerance + 1e-9:
            return 0.0, [wrong.feedback]
    return 0.0, [MSG_INCORRECT]


def _cloze(item: Item, answer: Any) -> tuple[float, list[str]]:
    names = [name for name, _ in item.blanks]
    if not isinstance(answer, dict) or set(answer) - set(names):
        raise _Invalid(f"se esperaba un texto para cada hueco: {', '.join(names)}.")
    right, feedback = 0.0, []
    for number, (name, key) in enumerate(item.blanks, start=1):
        given = answer.get(name)
        if is_empty(given):
            feedback.append(f"Hueco {number}: {MSG_MISSING}")
            continue
        try:
            fraction, messages = grade_text(key, given)
        except _Invalid as exc:
            raise _Invalid(f"hueco {number}: {exc}") from None
        right += fraction
        feedback.append(f"Hueco {number}: {' '.join(messages)}")
    return right / len(names), feedback


def _matching(item: Item, answer: Any) -> tuple[float, list[str]]:
    left = [c.id for c in item.left]
    right = {c.id for c in item.right}
    if (
        not isinstance(answer, dict)
        or set(answer) - set(left)
        or not all(isinstance(v, str) and v in right for v in answer.values())
    ):
        raise _Invalid(
            "se esperaba una pareja (izquierda: derecha) por elemento, con ids existentes."
        )
    good = sum(answer.get(lid) == item.pairs[lid] for lid in left)
    feedback = [
        item.feedback[lid]
        for lid in left
        if lid in answer and answer[lid] != item.pairs[lid] and lid in item.feedback
    ]
    return good / len(left), feedback or [MSG_CORRECT if good == len(left) else MSG_INCORRECT]


def _ordering(item: Item, answer: Any) -> tuple[float, list[str]]:
    ids = [e.id for e in item.elements]
    if (
        not isinstance(answer, list)
        or not all(isinstance(a, str) for a in answer)
        or sorted(answer) != sorted(ids)
    ):
        raise _Invalid("se esperaba la lista de todos los elementos, cada uno una vez.")
    position = {element_id: index for index, element_id in enumerate(ids)}
    good = sum(position[b] == position[a] + 1 for a, b in pairwise(answer))
    return good / (len(ids) - 1), [MSG_CORRECT if good == len(ids) - 1 else MSG_INCORRECT]


_GRADERS: dict[ItemType, Callable[[Item, Any], tuple[float, list[str]]]] = {
    ItemType.TRUE_FALSE: _true_false,
    ItemType.SINGLE: _single,
    ItemType.MULTIPLE: _multiple,
    ItemType.SHORT: _short,
    ItemType.NUMERIC: _numeric,
    ItemType.CLOZE: _cloze,
    ItemType.MATCHING: _matching,
    ItemType.ORDERING: _ordering,
}


def clean_answer(answer: Any, depth: int = 0) -> Any:
    """``answer`` with every text and mapping key cleaned (``clean_text``).

    Raises ``_Invalid`` for an :class:`Unusable` value, a lone surrogate, or nesting
    deeper than :data:`MAX_NESTING`.
    """
    if isinstance(answer, Unusable):
        raise _Invalid(answer.reason)
    if isinstance(answer, str):
        if answer.isascii():  # the common case: nothing to clean
            return answer
        if has_surrogate(answer):
            raise _Invalid(MSG_BAD_TEXT)
        return clean_text(answer)
    if isinstance(answer, list | dict):
        if depth >= MAX_NESTING:
            raise _Invalid(MSG_TOO_DEEP)
        if isinstance(answer, list):
            return [clean_answer(value, depth + 1) for value in answer]
        return {
            clean_answer(key, depth + 1) if isinstance(key, str) else key: clean_answer(
                value, depth + 1
            )
            for key, value in answer.items()
        }
    return answer


def _printable(answer: Any, depth: int = 0) -> Any:
    """``answer`` with texts that UTF-8 cannot encode shown as escapes; nesting cut."""
    if isinstance(answer, str):
        return show(answer, 200) if has_surrogate(answer) else answer
    if isinstance(answer, list | dict):
        if depth >= MAX_NESTING:
            return "…"
        if isinstance(answer, list):
            return [_printable(value, depth + 1) for value in answer]
        return {_printable(k, depth + 1): _printable(v, depth + 1) for k, v in answer.items()}
    return answer


def grade_item(item: Item, answer: Any) -> ItemResult:
    """Grade one answer; never raises, whatever JSON value ``answer`` is."""
    try:
        answer = clean_answer(answer)
    except _Invalid as exc:
        return _invalid(item, str(exc), _printable(answer))
    if item.type in (ItemType.CLOZE, ItemType.MATCHING) and isinstance(answer, dict):
        answer = {key: value for key, value in answer.items() if not is_empty(value)}
    if is_empty(answer):
        return ItemResult(item.id, 0.0, item.points, Status.MISSING, (MSG_MISSING,), answer)
    if item.type is ItemType.OPEN:
        if isinstance(answer, bool) or not isinstance(answer, str):
            return _invalid(item, "se esperaba un texto.", answer)
        return ItemResult(
            item.id, 0.0, item.points, Status.PENDING, _word_feedback(item, answer), answer
        )
    try:
        fraction, feedback = _GRADERS[item.type](item, answer)
    except _Invalid as exc:
        return _invalid(item, str(exc), answer)
    return _result(item, fraction, feedback, answer)


def _word_feedback(item: Item, text: str) -> tuple[str, ...]:
    words = len(text.split())
    messages = [MSG_PENDING]
    if item.min_words and words < item.min_words:
        messages.append(f"Tu texto tiene {words} palabras; se piden al menos {item.min_words}.")
    if item.max_words and words > item.max_words:
        messages.append(f"Tu texto tiene {words} palabras; se piden como máximo {item.max_words}.")
    return tuple(messages)


def grade_submission(bank: Bank, submission: Submission) -> SubmissionResult:
    """Grade every item of the bank for one submission (absent answers are missing)."""
    answers = submission.answers
    return SubmissionResult(
        submission, tuple(grade_item(item, answers.get(item.id)) for item in bank.items)
    )

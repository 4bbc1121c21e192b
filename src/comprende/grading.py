"""Grading: pure functions from an item and an answer to a result.

Each question type grades its own answers (``grade`` in its package of
:mod:`comprende.types`); this module does what is common to all: cleaning, the missing
and invalid cases, and a whole submission. The page's scripts
(``static/comprende/lib.js`` and one module per type) apply the same rules, and
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
* **seleccionar-en-el-texto**: a list of distinct sentence ids (``"3.1"``: paragraph 3,
  sentence 1). Points × max(0, right marks / key sentences − wrong marks / other
  candidate sentences) (see :mod:`comprende.types.seleccionar_en_el_texto`).
* **dos-partes**: ``{"a": option id, "b": Part B's answer}``. Each part is worth half
  the points: Part A all or nothing, Part B by its own type's rule; with ``scoring:
  dependent`` (the default) Part B counts only when Part A is right
  (see :mod:`comprende.types.dos_partes`).

Each type's package documents its rule at the top; a new type's rule is written there.

Points are rounded to hundredths, halves up. Status: ``correct`` (full points),
``partial`` (some), ``incorrect`` (none).
"""

from __future__ import annotations

from typing import Any

from . import types
from .model import Bank, Item, ItemResult, Status, Submission, SubmissionResult
from .textnorm import Unusable, clean_text, has_surrogate, show
from .types.base import (
    MSG_CORRECT,
    MSG_INCORRECT,
    MSG_INVALID,
    MSG_MISSING,
    Invalid,
    invalid_result,
    is_empty,
)
from .types.textmatch import (
    MSG_ACCENT_OPTIONAL,
    MSG_ACCENT_REQUIRED,
    MSG_TOO_BIG,
    MSG_TYPO,
    grade_text,
    normalize,
    parse_number,
    strip_accents,
)

__all__ = [
    "MSG_ACCENT_OPTIONAL",
    "MSG_ACCENT_REQUIRED",
    "MSG_CORRECT",
    "MSG_INCORRECT",
    "MSG_INVALID",
    "MSG_MISSING",
    "MSG_TOO_BIG",
    "MSG_TYPO",
    "clean_answer",
    "grade_item",
    "grade_submission",
    "grade_text",
    "is_empty",
    "normalize",
    "parse_number",
    "strip_accents",
]

MSG_BAD_TEXT = "la respuesta tiene un carácter que no es texto válido."
MSG_TOO_DEEP = "la respuesta tiene demasiados niveles de listas o bloques."

#: Deeper answers are invalid (and never walked further).
MAX_NESTING = 50


def clean_answer(answer: Any, depth: int = 0) -> Any:
    """``answer`` with every text and mapping key cleaned (``clean_text``).

    Raises :class:`~comprende.types.Invalid` for an :class:`Unusable` value, a lone
    surrogate, or nesting deeper than :data:`MAX_NESTING`.
    """
    if isinstance(answer, Unusable):
        raise Invalid(answer.reason)
    if isinstance(answer, str):
        if answer.isascii():  # the common case: nothing to clean
            return answer
        if has_surrogate(answer):
            raise Invalid(MSG_BAD_TEXT)
        return clean_text(answer)
    if isinstance(answer, list | dict):
        if depth >= MAX_NESTING:
            raise Invalid(MSG_TOO_DEEP)
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
    except Invalid as exc:
        return invalid_result(item, str(exc), _printable(answer))
    kind = types.get(item.type)
    if kind.mapping_answer and isinstance(answer, dict):
        answer = {key: value for key, value in answer.items() if not is_empty(value)}
    if is_empty(answer):
        return ItemResult(item.id, 0.0, item.points, Status.MISSING, (MSG_MISSING,), answer)
    return kind.result(item, answer)


def grade_submission(bank: Bank, submission: Submission) -> SubmissionResult:
    """Grade every item of the bank for one submission (absent answers are missing)."""
    answers = submission.answers
    return SubmissionResult(
        submission, tuple(grade_item(item, answers.get(item.id)) for item in bank.items)
    )

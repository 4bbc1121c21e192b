"""What the writers share: safe CSV cells, number formats, HTML escaping, answer display."""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from typing import Any

from ..model import Item, Status

#: A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    """Text for a CSV cell that no spreadsheet will run as a formula (OWASP's advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@functools.lru_cache(maxsize=8192)
def points(value: float | None, *, comma: bool = False) -> str:
    """Points as text: ``1.5`` (or ``1,5``), at most two decimals; ``None`` is empty."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if comma else text


def points_text(value: float) -> str:
    """«1 punto», «0,5 puntos», «3 puntos»: the one way points are written for a student."""
    return f"{points(value, comma=True)} punto" + ("" if value == 1 else "s")


def decimal(value: float | None, places: int = 3, *, comma: bool = False) -> str:
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",") if comma else text


class CsvWriter:
    """Rows to a text handle, every text cell made safe; ``\\r\\n`` line ends (RFC 4180)."""

    def __init__(self, handle: io.TextIOBase | Any, *, delimiter: str = ",") -> None:
        self._writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")

    def row(self, cells: list[Any]) -> None:
        self._writer.writerow(
            [cell if isinstance(cell, _Number) else safe_cell(cell) for cell in cells]
        )


class _Number(str):
    """A cell we formatted ourselves from a number: never a formula."""


def number_cell(text: str) -> _Number:
    return _Number(text)


#: Why a part of an answer is marked: it names nothing the page showed.
UNKNOWN_CHOICE = "no es ninguna de las opciones"
UNKNOWN_BLANK = "no es ningún hueco del texto"
UNKNOWN_LEFT = "no es ningún elemento de la lista"
NO_ANSWER = "(sin respuesta)"


@dataclass(frozen=True)
class AnswerPart:
    """One line of an answer as the student saw it.

    ``label`` heads the line ("Hueco 2", or a matching item's left text); ``text`` is
    what was chosen or typed; ``unknown`` says why the line is marked (an id the page
    never showed), empty when it is a known choice.
    """

    text: str
    label: str = ""
    unknown: str = ""

    @property
    def shown(self) -> str:
        """The text, with its mark if it is unknown."""
        return f"«{self.text}» ({self.unknown})" if self.unknown else self.text


@dataclass(frozen=True)
class AnswerView:
    """An answer laid out for display.

    ``kind`` is ``empty`` (no answer), ``choice`` (one choice, or true/false), ``text``
    (typed text or a number: its line breaks are kept), ``list`` (several choices), ``ordered`` (an ordering, first to last),
    ``pairs`` (matching: ``label`` → ``text``), ``blanks`` (cloze: ``label`` is
    «Hueco n», by position in the text) or ``raw`` (a value of the wrong shape, shown
    as JSON).
    """

    kind: str
    parts: tuple[AnswerPart, ...] = ()

    def __str__(self) -> str:
        if self.kind == "empty":
            return NO_ANSWER
        if self.kind == "ordered":
            return "; ".join(f"{n}. {part.shown}" for n, part in enumerate(self.parts, 1))
        if self.kind == "blanks":
            return "; ".join(f"{part.label}: {part.shown}" for part in self.parts)
        return "; ".join(
            f"{part.label} → {part.shown}" if part.label else part.shown for part in self.parts
        )


def shown(value: Any) -> str:
    """A value of an answer as text: itself if text, else its JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def choice_part(choices: Any, choice_id: Any, label: str = "") -> AnswerPart:
    """The text of the choice ``choice_id``, or the id marked unknown."""
    if isinstance(choice_id, str):
        for choice in choices:
            if choice.id == choice_id:
                return AnswerPart(choice.text, label)
    if choice_id is None or choice_id == "":
        return AnswerPart(NO_ANSWER, label)
    return AnswerPart(shown(choice_id), label, UNKNOWN_CHOICE)


def answer_view(item: Item, answer: Any) -> AnswerView:
    """How the student saw ``answer``: choices by their text, never by id or letter.

    The exercise pages show no letters and shuffle the options, so an id means nothing
    to the student. Each type lays out its own answers (``answer_view`` in its package:
    matching pairs read «left text → right text», an ordering lists the texts first to
    last, cloze blanks are named by their position in the text, «Hueco 2»). Anything the
    page never showed (an unknown id, a blank that does not exist) is shown as given,
    marked ``unknown``; an answer of the wrong shape is shown as JSON. Any JSON value is
    accepted.
    """
    if answer is None or answer == "" or answer == [] or answer == {}:
        return AnswerView("empty")
    view = item.kind.answer_view(item, answer)
    return view if view is not None else AnswerView("raw", (AnswerPart(shown(answer)),))


def display_answer(item: Item, answer: Any) -> str:
    """An answer as the student would read it, in Spanish, on one line (see :func:`answer_view`)."""
    return str(answer_view(item, answer))


def answer_label(item: Item, answer: Any, status: Status) -> str:
    """A short label of an answer, for counting how often each was given."""
    if status is Status.MISSING:
        return "(sin respuesta)"
    if status is Status.INVALID:
        return "(no válida)"
    label = item.kind.answer_label(item, answer)
    if label is not None:
        return label
    if isinstance(answer, str):
        text = " ".join(answer.split())
        return text if len(text) <= 40 else text[:39] + "…"
    if isinstance(answer, dict):
        return ", ".join(f"{k}:{v}" for k, v in sorted(answer.items()))[:60]
    if isinstance(answer, list):
        return ",".join(map(str, answer))[:60]
    return json.dumps(answer, ensure_ascii=False)[:60]

"""What the writers share: safe CSV cells, number formats, HTML escaping, answer display."""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from html import escape
from typing import Any

from ..model import Item, ItemType, Status

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


def html(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


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


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _choice_part(choices: Any, choice_id: Any, label: str = "") -> AnswerPart:
    if isinstance(choice_id, str):
        for choice in choices:
            if choice.id == choice_id:
                return AnswerPart(choice.text, label)
    if choice_id is None or choice_id == "":
        return AnswerPart(NO_ANSWER, label)
    return AnswerPart(_shown(choice_id), label, UNKNOWN_CHOICE)


def _number(value: Any, unit: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = _shown(value)
    else:
        text = str(int(value)) if float(value).is_integer() else repr(float(value))
        text = text.replace(".", ",")
    return f"{text} {unit}" if unit else text


def _blank_parts(item: Item, answer: dict[Any, Any]) -> tuple[AnswerPart, ...]:
    names = [name for name, _ in item.blanks]
    parts = [
        AnswerPart(
            NO_ANSWER if answer.get(name) in (None, "") else _shown(answer.get(name)),
            f"Hueco {number}",
        )
        for number, name in enumerate(names, 1)
    ]
    parts += [
        AnswerPart(_shown(value), f"Hueco «{_shown(name)}»", UNKNOWN_BLANK)
        for name, value in answer.items()
        if name not in names
    ]
    return tuple(parts)


def _pair_parts(item: Item, answer: dict[Any, Any]) -> tuple[AnswerPart, ...]:
    known = {c.id for c in item.left}
    parts = [
        _choice_part(item.right, answer.get(left.id), left.text)
        for left in item.left
        if left.id in answer
    ]
    for left_id, right_id in answer.items():
        if left_id not in known:
            part = _choice_part(item.right, right_id)
            parts.append(AnswerPart(f"{_shown(left_id)} → {part.text}", "", UNKNOWN_LEFT))
    return tuple(parts)


def answer_view(item: Item, answer: Any) -> AnswerView:
    """How the student saw ``answer``: choices by their text, never by id or letter.

    The exercise pages show no letters and shuffle the options, so an id means nothing
    to the student. Matching pairs read «left text → right text» (in the page's order of
    the left column), an ordering lists the texts first to last, cloze blanks are named by
    their position in the text («Hueco 2»). Anything the page never showed (an unknown
    id, a blank that does not exist) is shown as given, marked ``unknown``; an answer of
    the wrong shape is shown as JSON. Any JSON value is accepted.
    """
    if answer is None or answer == "" or answer == [] or answer == {}:
        return AnswerView("empty")
    match item.type:
        case ItemType.TRUE_FALSE if isinstance(answer, bool):
            return AnswerView("choice", (AnswerPart("Verdadero" if answer else "Falso"),))
        case ItemType.SINGLE if not isinstance(answer, list | dict):
            return AnswerView("choice", (_choice_part(item.options, answer),))
        case ItemType.MULTIPLE if isinstance(answer, list):
            order = {o.id: n for n, o in enumerate(item.options)}
            ranked = sorted(
                answer, key=lambda a: order.get(a, len(order)) if isinstance(a, str) else len(order)
            )
            return AnswerView("list", tuple(_choice_part(item.options, a) for a in ranked))
        case ItemType.MATCHING if isinstance(answer, dict):
            return AnswerView("pairs", _pair_parts(item, answer))
        case ItemType.ORDERING if isinstance(answer, list):
            return AnswerView("ordered", tuple(_choice_part(item.elements, a) for a in answer))
        case ItemType.CLOZE if isinstance(answer, dict):
            return AnswerView("blanks", _blank_parts(item, answer))
        case ItemType.NUMERIC if not isinstance(answer, list | dict):
            return AnswerView("text", (AnswerPart(_number(answer, item.unit)),))
        case ItemType.SHORT | ItemType.OPEN if isinstance(answer, str):
            return AnswerView("text", (AnswerPart(answer),))
    return AnswerView("raw", (AnswerPart(_shown(answer)),))


def display_answer(item: Item, answer: Any) -> str:
    """An answer as the student would read it, in Spanish, on one line (see :func:`answer_view`)."""
    return str(answer_view(item, answer))


def answer_label(item: Item, answer: Any, status: Status) -> str:
    """A short label of an answer, for counting how often each was given."""
    if status is Status.MISSING:
        return "(sin respuesta)"
    if status is Status.INVALID:
        return "(no válida)"
    if isinstance(answer, bool):
        return "verdadero" if answer else "falso"
    if item.type is ItemType.MULTIPLE and isinstance(answer, list):
        order = [o.id for o in item.options]
        return "+".join(sorted(answer, key=order.index))
    if isinstance(answer, str):
        text = " ".join(answer.split())
        return text if len(text) <= 40 else text[:39] + "…"
    if isinstance(answer, dict):
        return ", ".join(f"{k}:{v}" for k, v in sorted(answer.items()))[:60]
    if isinstance(answer, list):
        return ",".join(map(str, answer))[:60]
    return json.dumps(answer, ensure_ascii=False)[:60]

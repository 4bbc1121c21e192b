"""What the writers share: safe CSV cells, number formats, HTML escaping, answer display."""

from __future__ import annotations

import csv
import functools
import io
import json
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


def _choice_text(choices: Any, choice_id: Any) -> str:
    for choice in choices:
        if choice.id == choice_id:
            return f"{choice.id}) {choice.text}"
    return str(choice_id)


def display_answer(item: Item, answer: Any) -> str:
    """An answer as the student would read it, in Spanish; any JSON value is shown."""
    if answer is None or answer == "" or answer == [] or answer == {}:
        return "(sin respuesta)"
    try:
        match item.type:
            case ItemType.TRUE_FALSE if isinstance(answer, bool):
                return "Verdadero" if answer else "Falso"
            case ItemType.SINGLE if isinstance(answer, str):
                return _choice_text(item.options, answer)
            case ItemType.MULTIPLE if isinstance(answer, list):
                return "; ".join(_choice_text(item.options, a) for a in answer)
            case ItemType.MATCHING if isinstance(answer, dict):
                return "; ".join(
                    f"{_choice_text(item.left, k)} → {_choice_text(item.right, v)}"
                    for k, v in answer.items()
                )
            case ItemType.ORDERING if isinstance(answer, list):
                return " → ".join(_choice_text(item.elements, a) for a in answer)
            case ItemType.CLOZE if isinstance(answer, dict):
                return "; ".join(f"{k}: {v}" for k, v in answer.items())
    except TypeError:
        pass
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False)


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

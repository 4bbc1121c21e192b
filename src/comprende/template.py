"""The YAML answers template: every item with its prompt and how to answer, in Spanish."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from .model import Bank, Item, ItemType, Status

TYPE_NAMES = {
    ItemType.TRUE_FALSE: "verdadero o falso",
    ItemType.SINGLE: "opción única",
    ItemType.MULTIPLE: "opción múltiple",
    ItemType.SHORT: "respuesta corta",
    ItemType.NUMERIC: "respuesta numérica",
    ItemType.CLOZE: "completar huecos",
    ItemType.MATCHING: "relacionar",
    ItemType.ORDERING: "ordenar",
    ItemType.OPEN: "respuesta abierta",
}

STATUS_NAMES = {
    Status.CORRECT: "correcta",
    Status.PARTIAL: "parcialmente correcta",
    Status.INCORRECT: "incorrecta",
    Status.MISSING: "sin responder",
    Status.INVALID: "no válida",
    Status.PENDING: "pendiente de corrección",
}

HOW_TO_ANSWER = {
    ItemType.TRUE_FALSE: "escribe true (verdadero) o false (falso)",
    ItemType.SINGLE: "escribe la letra (el id) de una opción, p. ej.: b",
    ItemType.MULTIPLE: "escribe la lista de las opciones correctas, p. ej.: [a, c]",
    ItemType.SHORT: 'escribe tu respuesta entre comillas, p. ej.: "palabra"',
    ItemType.NUMERIC: "escribe el número, p. ej.: 80 o 80,5",
    ItemType.CLOZE: "escribe una palabra o expresión en cada hueco, entre comillas",
    ItemType.MATCHING: "escribe, para cada elemento de la izquierda, el id de su pareja de la derecha",
    ItemType.ORDERING: "escribe la lista de todos los ids en el orden correcto, p. ej.: [c, a, d, b]",
    ItemType.OPEN: "escribe tu texto después de `|`, con sangría, en las líneas siguientes",
}


def key_answer(item: Item) -> Any:
    """An answer that earns full marks (for open responses, the model answer)."""
    match item.type:
        case ItemType.TRUE_FALSE | ItemType.NUMERIC:
            return item.key
        case ItemType.SINGLE:
            return next(o.id for o in item.options if o.correct)
        case ItemType.MULTIPLE:
            return [o.id for o in item.options if o.correct]
        case ItemType.SHORT:
            assert item.text_key is not None
            return item.text_key.accept[0]
        case ItemType.CLOZE:
            return {name: key.accept[0] for name, key in item.blanks}
        case ItemType.MATCHING:
            return dict(item.pairs)
        case ItemType.ORDERING:
            return [e.id for e in item.elements]
        case ItemType.OPEN:
            return item.model_answer or "Respuesta modelo."


def _comment(text: str, indent: str, width: int = 88) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width - len(indent) - 2) or [""]
        lines += [f"{indent}# {line}".rstrip() for line in wrapped]
    return lines


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _item_block(item: Item, with_key: bool) -> list[str]:
    indent = "  "
    points = f"{item.points:g} punto" + ("" if item.points == 1 else "s")
    lines = [f"{indent}# {item.id} ({TYPE_NAMES[item.type]}, {points})"]
    lines += _comment(item.prompt, indent)
    if item.type is ItemType.CLOZE:
        lines += _comment("Texto: " + item.text, indent)
    for option in item.options:
        lines += _comment(f"  {option.id}) {option.text}", indent)
    if item.type is ItemType.MATCHING:
        lines += _comment("Izquierda:", indent)
        lines += [line for c in item.left for line in _comment(f"  {c.id}) {c.text}", indent)]
        lines += _comment("Derecha:", indent)
        lines += [line for c in item.right for line in _comment(f"  {c.id}) {c.text}", indent)]
    if item.type is ItemType.ORDERING:
        shuffled = sorted(item.elements, key=lambda e: e.text.casefold())
        lines += [line for e in shuffled for line in _comment(f"  {e.id}) {e.text}", indent)]
    if item.type is ItemType.NUMERIC and item.unit:
        lines += _comment(f"Unidad: {item.unit}", indent)
    if item.type is ItemType.OPEN and (item.min_words or item.max_words):
        lines += _comment(f"Extensión: entre {item.min_words} y {item.max_words} palabras.", indent)
    lines += _comment("Cómo responder: " + HOW_TO_ANSWER[item.type] + ".", indent)
    value = key_answer(item) if with_key else None
    if item.type in (ItemType.CLOZE, ItemType.MATCHING):
        names = (
            [n for n, _ in item.blanks]
            if item.type is ItemType.CLOZE
            else [c.id for c in item.left]
        )
        lines.append(f"{indent}{item.id}:")
        for name in names:
            lines.append(f"{indent}  {name}: {_scalar(value[name]) if value else ''}".rstrip())
    elif item.type is ItemType.OPEN:
        lines.append(f"{indent}{item.id}: |")
        text = value if value else ""
        lines += (
            [f"{indent}  {line}".rstrip() for line in textwrap.wrap(text, 80)]
            if text
            else [f"{indent}  "]
        )
    elif value is None:
        lines.append(f"{indent}{item.id}:")
    else:
        lines.append(f"{indent}{item.id}: {_scalar(value)}")
    return lines


def render_template(bank: Bank, *, with_key: bool = False) -> str:
    """The answers template as YAML text, every answer empty (or the key with ``with_key``)."""
    lines = [
        f"# Plantilla de respuestas: {bank.title}",
        f"# Módulo {bank.id}, versión {bank.version}.",
        "# Escribe tus datos y tus respuestas; las líneas que empiezan por # son comentarios.",
        "# Antes de entregar el archivo, compruébalo con:  comprende check ARCHIVO",
    ]
    if with_key:
        lines.append("# CON LA CLAVE: solo para el profesorado; no lo repartas.")
    student_id, student_name = ("clave", "Clave de respuestas") if with_key else ("", "")
    lines += [
        f"module: {bank.id}",
        "student:",
        f'  id: "{student_id}"    # tu identificador de estudiante',
        f'  name: "{student_name}"  # tu nombre completo',
        "answers:",
    ]
    for item_set in bank.sets:
        lines += ["", f"  # ===== {item_set.title} =====", ""]
        for item in item_set.items:
            lines += [*_item_block(item, with_key), ""]
    return "\n".join(lines).rstrip() + "\n"

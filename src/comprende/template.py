"""The YAML answers template: every item with its prompt and how to answer, in Spanish."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from .model import Bank, Item, Status

STATUS_NAMES = {
    Status.CORRECT: "correcta",
    Status.PARTIAL: "parcialmente correcta",
    Status.INCORRECT: "incorrecta",
    Status.MISSING: "sin responder",
    Status.INVALID: "no válida",
    Status.PENDING: "pendiente de corrección",
}


def key_answer(item: Item) -> Any:
    """An answer that earns full marks (for open responses, the model answer)."""
    return item.kind.key_answer(item)


# «parte B», «párrafo 6»: a name and its letter or number stay on one line. textwrap
# breaks lines at ASCII spaces only, so a private-use character stands for that space
# while wrapping (not a no-break space, which an author's text may hold and keeps).
_KEEP_TOGETHER = re.compile(r"\b((?i:parte|párrafo|frase|hueco)) (?=[A-Z0-9])")
_JOIN = "\ue000"


def _comment(text: str, indent: str, width: int = 88) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        kept = _KEEP_TOGETHER.sub("\\1" + _JOIN, paragraph)
        wrapped = textwrap.wrap(kept, width - len(indent) - 2) or [""]
        lines += [f"{indent}# {line}".rstrip().replace(_JOIN, " ") for line in wrapped]
    return lines


def _item_block(item: Item, with_key: bool) -> list[str]:
    indent, kind = "  ", item.kind
    points = f"{item.points:g} punto" + ("" if item.points == 1 else "s")
    lines = [f"{indent}# {item.id} ({kind.name}, {points})"]
    lines += _comment(item.prompt, indent)
    for line in kind.template_comments(item):
        lines += _comment(line, indent)
    lines += _comment("Cómo responder: " + kind.how_to_answer + ".", indent)
    return lines + kind.template_answer(item, key_answer(item) if with_key else None, indent)


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

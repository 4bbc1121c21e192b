"""``feedback/<student>.html``: a self-contained report in Spanish for one student.

Each item shows the student's answer, the result, the feedback, the evidence from the
article, the right answer and the explanation. Every piece of student text is escaped.

With ``include_key=False`` (``--no-key``, for a class that may still sit the exam) the
page gives no answer away, directly or through a quote: it shows the student's answer,
the result and the points, and only *which* paragraphs hold the evidence ("Vuelve a leer
el párrafo 4"), never the evidence sentence, the explanation, the key or the per-answer
feedback (which may name the right form, as "revisa la tilde: se escribe «…»" does). An item's fragment depends only on the item and the
result, so fragments are cached: a class repeats the same answers many times.
"""

from __future__ import annotations

from typing import Any

from ..model import Bank, Item, ItemResult, Status, SubmissionResult
from ..template import STATUS_NAMES, key_answer
from .base import display_answer, html, points

CSS = """
body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.item{border-left:.3rem solid #999;padding:.2rem 1rem;margin:1rem 0}
.correct{border-color:#1a7f37}.partial{border-color:#9a6700}.incorrect,.invalid{border-color:#cf222e}
.missing{border-color:#999}.pending{border-color:#0969da}
dt{font-weight:600}dd{margin:0 0 .5rem 1rem}blockquote{margin:.2rem 0;font-style:italic}
.total{font-size:1.2rem}
""".strip()


class FeedbackRenderer:
    """Renders feedback pages for one bank; ``include_key=False`` leaves the key out."""

    def __init__(self, bank: Bank, *, include_key: bool = True) -> None:
        self.bank = bank
        self.include_key = include_key
        self._items = bank.by_id
        self._static = {item.id: self._static_part(item) for item in bank.items}
        self._cache: dict[Any, str] = {}

    def _static_part(self, item: Item) -> tuple[str, str]:
        head = f"<h3>{html(item.prompt)}</h3>\n<dl>\n"
        tail = []
        if self.include_key:
            if item.auto_graded:
                tail.append(
                    f"<dt>Respuesta correcta</dt><dd>{html(display_answer(item, key_answer(item)))}</dd>"
                )
            elif item.model_answer:
                tail.append(f"<dt>Respuesta modelo</dt><dd>{html(item.model_answer)}</dd>")
            if item.explanation:
                tail.append(f"<dt>Explicación</dt><dd>{html(item.explanation)}</dd>")
            for evidence in item.evidence:
                tail.append(
                    f"<dt>En el texto (párrafo {evidence.paragraph})</dt>"
                    f"<dd><blockquote>«{html(evidence.quote)}»</blockquote></dd>"
                )
        elif item.evidence:
            paragraphs = sorted({evidence.paragraph for evidence in item.evidence})
            where = " y ".join(str(p) for p in paragraphs)
            label = "el párrafo" if len(paragraphs) == 1 else "los párrafos"
            tail.append(f"<dt>Para repasar</dt><dd>Vuelve a leer {label} {where}.</dd>")
        return head, "\n".join(tail) + "\n</dl>"

    def item_fragment(self, result: ItemResult, cache_key: Any = None) -> str:
        """One item's ``<section>``; ``cache_key`` (hashable, from the answer) enables the cache."""
        key = (result.item_id, result.status, result.points, result.feedback, cache_key)
        if cache_key is not None and key in self._cache:
            return self._cache[key]
        item = self._items[result.item_id]
        head, tail = self._static[item.id]
        feedback = (
            "".join(f"<p>{html(message)}</p>" for message in result.feedback)
            if self.include_key
            else ""
        )
        verdict = STATUS_NAMES[result.status]
        if result.status is not Status.PENDING:
            verdict += (
                f": {points(result.points, comma=True)} de {points(result.possible, comma=True)}"
            )
        else:
            verdict += f" ({points(result.possible, comma=True)} puntos)"
        text = (
            f'<section class="item {result.status.value}" id="{html(item.id)}">\n{head}'
            f"<dt>Tu respuesta</dt><dd>{html(display_answer(item, result.answer))}</dd>\n"
            f"<dt>Resultado</dt><dd>{html(verdict)}</dd>\n"
            + (f"<dt>Comentario</dt><dd>{feedback}</dd>\n" if feedback else "")
            + f"{tail}\n</section>"
        )
        if cache_key is not None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = text
        return text

    def render(self, result: SubmissionResult, fragments: list[str], notes: list[str]) -> str:
        """The whole page, from the item fragments in bank order."""
        student = result.submission.student
        pending = result.pending
        summary = (
            f'<p class="total">Puntuación: <strong>{points(result.total, comma=True)}</strong> de '
            f"{points(result.possible, comma=True)} ({points(result.percentage, comma=True)} %)</p>"
        )
        if pending:
            summary += (
                f"<p>{len(pending)} respuesta(s) abierta(s) pendiente(s) de corrección "
                f"({points(sum(r.possible for r in pending), comma=True)} puntos): "
                "la puntuación es provisional.</p>"
            )
        if notes:
            summary += "<ul>" + "".join(f"<li>{html(n)}</li>" for n in notes) + "</ul>"
        body, index = [], 0
        for item_set in self.bank.sets:
            body.append(f"<h2>{html(item_set.title)}</h2>")
            body.extend(fragments[index : index + len(item_set.items)])
            index += len(item_set.items)
        return (
            f'<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>Informe de {html(student.name)}: {html(self.bank.title)}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{html(self.bank.title)}</h1>\n"
            f"<p>Estudiante: <strong>{html(student.name)}</strong> ({html(student.id)})<br>"
            f"Archivo: {html(result.submission.source)}</p>\n{summary}\n"
            + "\n".join(body)
            + "\n</main>\n</body>\n</html>\n"
        )

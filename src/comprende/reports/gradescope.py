"""``gradescope/<student>.results.json``: Gradescope's autograder results format.

One test per item (``name``, ``number``, ``score``, ``max_score``, ``status``,
``output``, ``visibility``), the total in ``score``; the format is Gradescope's
"Autograder Specifications" (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
A test is named as the student saw the question on the site («Comprensión detallada ·
Pregunta 3», :func:`comprende.reports.feedback.question_labels`) and numbered «set.question»
(``"2.3"``: the second set's third question, the spec's own form of ``number``).

An open response not yet marked shows 0 points and says it is pending, so the
instructor can add it in Gradescope's manual grading. A marked one (``ItemResult.marking``)
shows its points, one line per rubric criterion («Criterio: … — 1 de 1») and the
instructor's comment; its status is ``passed`` only with full marks. Every output and
name is declared plain text (``output_format``/``name_format`` ``"text"``, the spec's
"Output String Formatting"), so nothing a student typed is read as HTML or Markdown.

With ``include_key=False`` a test's output is only its result and points ("Correcta: 1
de 1 punto."): per-answer feedback can name the right form, so it is left out, and so are
the rubric's wording and the instructor's comment (criteria are given by number).
"""

from __future__ import annotations

import json

from ..model import Bank, ItemResult, Status, SubmissionResult
from ..template import STATUS_NAMES
from .base import points
from .feedback import criteria_lines, points_text, question_labels, student_feedback


class GradescopeWriter:
    def __init__(self, bank: Bank, *, include_key: bool = True) -> None:
        self.include_key = include_key
        self._items = bank.by_id
        self._numbers = {
            item.id: f"{set_number}.{number}"
            for set_number, item_set in enumerate(bank.sets, 1)
            for number, item in enumerate(item_set.items, 1)
        }
        self._labels = question_labels(bank)

    def output(self, result: ItemResult) -> str:
        """The test's text for the student, in Spanish."""
        item = self._items[result.item_id]
        verdict = STATUS_NAMES[result.status]
        verdict = verdict[:1].upper() + verdict[1:]
        if result.status is Status.PENDING:
            lines = [f"{verdict} ({points_text(result.possible)})."]
        else:
            lines = [
                f"{verdict}: {points(result.points, comma=True)} de {points_text(result.possible)}."
            ]
        marking = result.marking if result.status is not Status.PENDING else None
        if marking is not None:
            lines += criteria_lines(item, marking, include_key=self.include_key)
            if marking.comment:  # the instructor's words for the student, in any mode
                lines.append(f"Comentario de tu profesor o profesora: {marking.comment}")
        if self.include_key:
            messages = student_feedback(item, result)
            if marking is not None:
                messages = tuple(m for m in messages if m != marking.comment)
            if messages:
                lines.append(" ".join(messages))
        return "\n".join(lines)

    def test_json(self, item: ItemResult) -> str:
        """One item's test, as JSON text (cached by the caller: answers repeat)."""
        number = self._numbers[item.item_id]
        if item.marking is not None and item.status is not Status.PENDING:
            passed = item.points >= item.possible
        else:
            passed = item.status is Status.CORRECT
        return json.dumps(
            {
                "max_score": item.possible,
                "name": self._labels[item.item_id],
                "name_format": "text",
                "number": number,
                "output": self.output(item),
                "output_format": "text",
                "score": item.points,
                "status": "passed" if passed else "failed",
                "visibility": "visible",
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    def document(self, result: SubmissionResult, tests: list[str]) -> str:
        """The whole ``results.json`` from the tests' JSON texts."""
        pending = len(result.pending)
        total = f"{points(result.total, comma=True)} de {points(result.possible, comma=True)}"
        if pending:
            output = (
                f"Puntuación provisional: {total}. {pending} respuesta(s) abierta(s) "
                "pendiente(s) de corrección manual."
            )
        else:
            output = f"Puntuación: {total}."
        head = json.dumps(
            {"output": output, "output_format": "text", "score": result.total},
            ensure_ascii=False,
        )[:-1]
        return (
            f'{head}, "stdout_visibility": "hidden", "tests": [\n'
            + ",\n".join(tests)
            + '\n], "visibility": "visible"}\n'
        )

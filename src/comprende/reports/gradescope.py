"""``gradescope/<student>.results.json``: Gradescope's autograder results format.

One test per item (``name``, ``number``, ``score``, ``max_score``, ``status``,
``output``, ``visibility``), the total in ``score``. Open responses show 0 points and
say they are pending, so the instructor adds them in Gradescope's manual grading.
With ``include_key=False`` a test's output is only its result ("Correcta",
"Incorrecta"…): per-answer feedback can name the right form, so it is left out.
"""

from __future__ import annotations

import json

from ..model import Bank, ItemResult, Status, SubmissionResult
from ..template import STATUS_NAMES


class GradescopeWriter:
    def __init__(self, bank: Bank, *, include_key: bool = True) -> None:
        self.include_key = include_key
        self._numbers = {item.id: number for number, item in enumerate(bank.items, start=1)}

    def test_json(self, item: ItemResult) -> str:
        """One item's test, as JSON text (cached by the caller: answers repeat)."""
        number = self._numbers[item.item_id]
        feedback = " ".join(item.feedback) if self.include_key else ""
        output = f"{STATUS_NAMES[item.status]}. {feedback}".strip()
        return json.dumps(
            {
                "max_score": item.possible,
                "name": f"{number}. {item.item_id}",
                "number": str(number),
                "output": output,
                "score": item.points,
                "status": "passed" if item.status is Status.CORRECT else "failed",
                "visibility": "visible",
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    def document(self, result: SubmissionResult, tests: list[str]) -> str:
        """The whole ``results.json`` from the tests' JSON texts."""
        pending = len(result.pending)
        output = f"Puntuación automática: {result.total:g} de {result.possible:g}."
        if pending:
            output += f" {pending} respuesta(s) abierta(s) pendiente(s) de corrección manual."
        head = json.dumps({"output": output, "score": result.total}, ensure_ascii=False)[:-1]
        return (
            f'{head}, "stdout_visibility": "hidden", "tests": [\n'
            + ",\n".join(tests)
            + '\n], "visibility": "visible"}\n'
        )

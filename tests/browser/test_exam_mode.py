"""The exam build in a real browser: answers are kept and downloaded, nothing is graded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from comprende.bank import load_bank

from ..conftest import ROOT
from .test_accessibility import axe_violations
from .test_exercises import answer_by_keyboard

BANK = load_bank(ROOT / "exercises")


def test_exam_pages_keep_answers_and_download_without_feedback(page: Any, exam_server: str) -> None:
    item = next(i for i in BANK.items if i.set_id == "detalle" and i.type == "respuesta-corta")
    page.goto(exam_server + "ejercicios/detalle.html")
    assert page.locator(".cp-check, .cp-check-all, .cp-feedback, .cp-score").count() == 0
    answer_by_keyboard(page, item, "Astana")
    page.reload()
    assert page.locator(f"#{item.id}--input").input_value() == "Astana"
    page.locator("#cp-student-id").fill("E-1")
    page.locator("#cp-student-name").fill("Eva")
    with page.expect_download() as info:
        page.locator(".cp-download").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data == {
        "module": BANK.id,
        "student": {"id": "E-1", "name": "Eva"},
        "answers": {item.id: "Astana"},
    }
    assert (
        page.evaluate("typeof comprende.gradeItem") == "function"
    )  # the code is there, the key is not
    assert (
        page.evaluate("JSON.stringify([...document.scripts].map(s => s.textContent))").count(
            '"correct"'
        )
        == 0
    )


def test_exam_exercise_pages_have_no_axe_violation(
    page: Any, exam_server: str, axe_source: str
) -> None:
    found = {}
    for set_id in ("global", "detalle", "vocabulario", "contexto"):
        page.goto(f"{exam_server}ejercicios/{set_id}.html")
        violations = axe_violations(page, axe_source)
        if violations:
            found[set_id] = violations
    assert found == {}

"""The exercises in a real browser: every question type by keyboard, feedback, persistence,
download graded by Python, upload, per-student order, and the shared grading vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from comprende.bank import load_bank
from comprende.grading import grade_item, grade_submission
from comprende.model import Item, ItemType, Student, Submission
from comprende.pagedata import item_to_json
from comprende.template import key_answer

from ..conftest import ROOT
from ..vectors import load_vectors

BANK = load_bank(ROOT / "exercises")
FIRST_OF_TYPE = {t: next(i for i in BANK.items if i.type == t) for t in ItemType}


def open_item(page: Any, item: Item) -> Any:
    page.goto(f"{page.base}ejercicios/{item.set_id}.html")
    return page.locator(f"#item-{item.id}")


def answer_by_keyboard(page: Any, item: Item, answer: Any) -> None:
    """Give ``answer`` to ``item`` with the keyboard only (focus moves as a user's would)."""
    section = page.locator(f"#item-{item.id}")
    keyboard = page.keyboard
    match item.type:
        case ItemType.TRUE_FALSE | ItemType.SINGLE:
            target = "true" if answer is True else "false" if answer is False else answer
            section.locator("input").first.focus()
            keyboard.press("Space")
            for _ in range(10):
                if section.locator("input:checked").get_attribute("value") == target:
                    break
                keyboard.press("ArrowDown")
        case ItemType.MULTIPLE:
            section.locator("input").first.focus()
            for box in section.locator("input").all():
                if box.get_attribute("value") in answer:
                    keyboard.press("Space")
                keyboard.press("Tab")
        case ItemType.SHORT | ItemType.NUMERIC | ItemType.OPEN:
            section.locator("input.cp-text, textarea").focus()
            keyboard.type(str(answer))
        case ItemType.CLOZE:
            section.locator(".cp-blank").first.focus()
            for blank in section.locator(".cp-blank").all():
                keyboard.type(answer[blank.get_attribute("data-blank")])
                keyboard.press("Tab")
        case ItemType.MATCHING:
            for group in section.locator(".cp-pair").all():
                group.locator("input").first.focus()
                keyboard.press("Space")
                for _ in range(12):
                    if (
                        group.locator("input:checked").get_attribute("value")
                        == answer[group.get_attribute("data-left")]
                    ):
                        break
                    keyboard.press("ArrowRight")
        case ItemType.ORDERING:
            for position, element_id in enumerate(answer):
                current = section.locator(".cp-order-item").evaluate_all(
                    "(items, id) => items.findIndex(li => li.dataset.element === id)", element_id
                )
                up = section.locator(f'.cp-order-item[data-element="{element_id}"] .cp-up')
                for _ in range(current - position):
                    up.focus()
                    keyboard.press("Enter")


def check_by_keyboard(page: Any, item: Item) -> str:
    page.locator(f"#item-{item.id} .cp-check").focus()
    page.keyboard.press("Enter")
    return page.locator(f"#{item.id}--feedback").inner_text()


@pytest.mark.parametrize("item_type", [t for t in ItemType if t is not ItemType.OPEN], ids=str)
def test_each_type_answered_by_keyboard_gets_feedback_and_survives_reload(
    page: Any, item_type: ItemType
) -> None:
    item = FIRST_OF_TYPE[item_type]
    open_item(page, item)
    answer = key_answer(item)
    answer_by_keyboard(page, item, answer)
    feedback = check_by_keyboard(page, item)
    assert feedback.startswith("Correcto:"), feedback
    assert "Por qué:" in feedback and "Ver la frase en el artículo" in feedback
    stored = page.evaluate(
        "key => JSON.parse(localStorage.getItem(key)).answers",
        f"comprende:{BANK.id}:practica",
    )
    assert grade_item(item, stored[item.id]).status.value == "correct"
    page.reload()
    assert page.locator(f"#{item.id}--feedback").inner_text() == feedback
    stored_again = page.evaluate(
        "key => JSON.parse(localStorage.getItem(key)).answers",
        f"comprende:{BANK.id}:practica",
    )
    assert stored_again[item.id] == stored[item.id]


def test_open_response_is_kept_and_counted(page: Any) -> None:
    item = FIRST_OF_TYPE[ItemType.OPEN]
    open_item(page, item)
    answer_by_keyboard(page, item, "Kazajistán depende de Rusia para exportar su petróleo.")
    assert page.locator(f"#{item.id}--count").inner_text() == "8 palabras"
    page.reload()
    assert page.locator(f"#{item.id}--input").input_value().startswith("Kazajistán depende")


def test_wrong_answer_explains_why_and_links_to_the_highlighted_evidence(page: Any) -> None:
    item = next(i for i in BANK.items if i.type == ItemType.SINGLE and i.set_id == "detalle")
    wrong = next(o for o in item.options if not o.correct)
    open_item(page, item)
    answer_by_keyboard(page, item, wrong.id)
    feedback = check_by_keyboard(page, item)
    assert feedback.startswith("Incorrecto: 0 de")
    assert wrong.feedback in feedback
    link = page.locator(f"#{item.id}--feedback a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/articulo.html?cita=*")
    mark = page.locator("mark.cp-evidence")
    assert " ".join(mark.all_inner_texts()).replace("  ", " ").strip() in item.evidence[0].quote
    assert item.evidence[0].quote.startswith(mark.first.inner_text())
    assert (
        page.locator(f"#p{item.evidence[0].paragraph}").get_attribute("class").count("cp-highlight")
        == 1
    )


def test_download_is_the_contract_and_python_gives_the_page_score(
    page: Any, tmp_path: Path
) -> None:
    page.goto(page.base + "ejercicios/global.html")
    items = [i for i in BANK.items if i.set_id == "global" and i.auto_graded]
    for index, item in enumerate(items):
        answer = key_answer(item)
        if index % 3 == 1 and item.type == ItemType.SINGLE:
            answer = next(o.id for o in item.options if not o.correct)
        if index % 3 == 2:
            continue
        answer_by_keyboard(page, item, answer)
    page.get_by_role("button", name="Comprobar todas").click()
    score = page.locator(".cp-set-actions .cp-score").inner_text()
    page.locator("#cp-student-id").focus()
    page.keyboard.type("A-042")
    page.locator("#cp-student-name").focus()
    page.keyboard.type("Ana Pérez")
    with page.expect_download() as info:
        page.locator(".cp-download").focus()
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == "respuestas-putin-kazajistan-2024-A-042.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert set(data) == {"module", "student", "answers"}
    assert data["student"] == {"id": "A-042", "name": "Ana Pérez"}
    result = grade_submission(
        BANK, Submission(data["module"], Student("A-042", "Ana Pérez"), data["answers"])
    )
    possible = sum(i.points for i in BANK.items if i.set_id == "global")
    shown = f"Puntuación de esta serie: {result.total:g} de {possible:g} puntos".replace(".", ",")
    assert shown in score, (shown, score)
    assert (
        "Descargado respuestas-putin-kazajistan-2024-A-042.json"
        in page.locator(".cp-status").inner_text()
    )


def test_download_needs_id_and_name(page: Any) -> None:
    page.goto(page.base + "ejercicios/index.html")
    page.locator(".cp-download").click()
    assert "Escribe tu identificador y tu nombre" in page.locator(".cp-status").inner_text()
    assert page.evaluate("document.activeElement.id") == "cp-student-id"


def test_upload_restores_answers_and_rejects_other_files(page: Any, tmp_path: Path) -> None:
    item = FIRST_OF_TYPE[ItemType.SHORT]
    good = tmp_path / "mias.json"
    good.write_text(
        json.dumps(
            {
                "module": BANK.id,
                "student": {"id": "B7", "name": "Bea"},
                "answers": {item.id: "Astana", "no-existe": 1},
            }
        ),
        encoding="utf-8",
    )
    other = tmp_path / "otro.json"
    other.write_text(json.dumps({"module": "otro", "student": {}, "answers": {}}), encoding="utf-8")
    open_item(page, item)
    status = page.locator(".cp-status")
    page.locator("#cp-upload").set_input_files(str(other))
    expect(status).to_contain_text("no es un archivo de respuestas de este módulo")
    page.locator("#cp-upload").set_input_files(str(good))
    expect(status).to_contain_text("Cargadas 1 respuestas")
    expect(status).to_contain_text("ignorado 1")
    assert page.locator(f"#{item.id}--input").input_value() == "Astana"
    assert page.locator("#cp-student-id").input_value() == "B7"


def test_clear_removes_every_answer_after_confirmation(page: Any) -> None:
    item = FIRST_OF_TYPE[ItemType.SHORT]
    open_item(page, item)
    answer_by_keyboard(page, item, "Astana")
    page.locator(".cp-clear").click()
    page.get_by_role("dialog").get_by_role("button", name="Sí, borrar todas").click()
    page.reload()
    assert page.locator(f"#{item.id}--input").input_value() == ""


def test_option_order_is_shuffled_per_student_but_ids_never_change(page: Any) -> None:
    item = FIRST_OF_TYPE[ItemType.SINGLE]
    open_item(page, item)
    orders = {}
    for student in ("estudiante-1", "estudiante-2", "estudiante-3"):
        page.locator("#cp-student-id").fill(student)
        page.locator("#cp-student-id").press("Tab")  # the order follows a committed id
        orders[student] = tuple(
            page.locator(f"#item-{item.id} input").evaluate_all("els => els.map(e => e.value)")
        )
        assert sorted(orders[student]) == sorted(o.id for o in item.options)
    assert len(set(orders.values())) > 1
    page.locator("#cp-student-id").fill("estudiante-1")
    page.reload()
    again = tuple(
        page.locator(f"#item-{item.id} input").evaluate_all("els => els.map(e => e.value)")
    )
    assert again == orders["estudiante-1"]


def test_page_javascript_passes_every_shared_grading_vector(page: Any) -> None:
    items, cases = load_vectors()
    page.goto(page.base + "ejercicios/global.html")
    payload = {item_id: item_to_json(item, with_key=True) for item_id, item in items.items()}
    results = page.evaluate(
        "([items, cases]) => Promise.all(cases.map(c => comprende.grade(items[c.item], c.answer)))",
        [payload, cases],
    )
    failures = []
    for case, result in zip(cases, results, strict=True):
        ok = (result["points"], result["status"]) == (case["points"], case["status"])
        if "feedback_contains" in case:
            ok = ok and any(case["feedback_contains"] in m for m in result["feedback"])
        python = grade_item(items[case["item"]], case["answer"])
        ok = ok and list(python.feedback) == result["feedback"]
        if not ok:
            failures.append((case["item"], case["answer"], result, python.feedback))
    assert failures == []
    assert len(results) >= 150

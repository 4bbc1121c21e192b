"""The evidence items (seleccionar-en-el-texto, dos-partes) in a real browser: by keyboard,
by touch, what a screen reader is told, saved and graded as Python grades them, and no
axe-core violation in the light and the dark theme."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from comprende.bank import load_bank
from comprende.grading import grade_item
from comprende.model import Item

from ..conftest import ROOT
from .test_accessibility import axe_violations

BANK = load_bank(ROOT / "exercises")
SELECTION = BANK.item("evidencia-importancia-petroleo")  # paragraph 6, key 6.1
ARTICLE_WIDE = BANK.item("evidencia-nuclear-posible")  # whole article, key 9.1 + 9.2
TWO_CHOICE = BANK.item("evidencia-petroleo-dos-partes")  # Part B: opcion-multiple
TWO_SELECT = BANK.item("evidencia-prensa-dos-partes")  # Part B: paragraph 2, key 2.2
STORAGE = f"comprende:{BANK.id}:practica"  # practice and exam keep apart


def open_set(page: Any) -> None:
    page.goto(f"{page.base}ejercicios/evidencia.html")
    expect(page.locator(f"#item-{SELECTION.id} .cp-sentence").first).to_be_visible()


def section(page: Any, item: Item) -> Any:
    return page.locator(f"#item-{item.id}")


def sentence(page: Any, item: Item, sentence_id: str) -> Any:
    return section(page, item).locator(f'.cp-sentence[data-sentence="{sentence_id}"]')


def stored(page: Any) -> dict[str, Any]:
    answers: dict[str, Any] = page.evaluate(
        "key => JSON.parse(localStorage.getItem(key) || '{\"answers\": {}}').answers", STORAGE
    )
    return answers


def check(page: Any, item: Item) -> str:
    section(page, item).locator(".cp-check").focus()
    page.keyboard.press("Enter")
    feedback = page.locator(f"#{item.id}--feedback")
    expect(feedback).not_to_be_empty()
    return str(feedback.inner_text())


def test_sentences_are_named_toggle_buttons_in_named_groups(page: Any) -> None:
    open_set(page)
    item = section(page, SELECTION)
    group = item.get_by_role("group", name=SELECTION.prompt)
    expect(group).to_be_visible()
    paragraph = group.get_by_role("group", name="Párrafo 6")
    buttons = paragraph.get_by_role("button", pressed=False)
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_have_accessible_name(SELECTION.data.candidates[0].text)
    # the whole-article item groups its 17 sentences under their 11 paragraphs
    wide = section(page, ARTICLE_WIDE)
    expect(wide.locator(".cp-sentence")).to_have_count(17)
    expect(wide.get_by_role("group", name="Párrafo 11")).to_have_count(1)


def test_a_sentence_is_marked_by_keyboard_graded_saved_and_restored(page: Any) -> None:
    open_set(page)
    first = sentence(page, SELECTION, "6.1")
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Tab")
    expect(sentence(page, SELECTION, "6.2")).to_be_focused()
    page.keyboard.press("Enter")
    expect(sentence(page, SELECTION, "6.2")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")  # pressed again: unmarked
    expect(sentence(page, SELECTION, "6.2")).to_have_attribute("aria-pressed", "false")
    feedback = check(page, SELECTION)
    assert feedback.startswith("Correcto"), feedback
    assert "Párrafo 6, frase 1" in feedback and "Ver la frase en el artículo" in feedback
    answer = stored(page)[SELECTION.id]
    assert answer == ["6.1"]
    assert grade_item(SELECTION, answer).points == SELECTION.points
    page.reload()
    expect(sentence(page, SELECTION, "6.1")).to_have_attribute("aria-pressed", "true")
    expect(sentence(page, SELECTION, "6.2")).to_have_attribute("aria-pressed", "false")
    assert page.locator(f"#{SELECTION.id}--feedback").inner_text() == feedback


def test_wrong_marks_cost_points_as_python_says(page: Any) -> None:
    open_set(page)
    for sentence_id in ("9.1", "7.1"):
        sentence(page, ARTICLE_WIDE, sentence_id).click()
    feedback = check(page, ARTICLE_WIDE)
    answer = stored(page)[ARTICLE_WIDE.id]
    assert sorted(answer) == ["7.1", "9.1"]
    python = grade_item(ARTICLE_WIDE, answer)
    assert python.points == 0.87  # 2 × (1/2 − 1/15)
    assert feedback.startswith("Parcialmente correcto: 0,87 de 2 puntos."), feedback
    assert all(message in feedback for message in python.feedback)


@pytest.fixture
def touch_page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(
        has_touch=True, is_mobile=True, viewport={"width": 390, "height": 800}
    )
    tab = context.new_page()
    tab.base = server
    yield tab
    context.close()


def test_sentences_and_parts_work_by_touch(touch_page: Any) -> None:
    page = touch_page
    open_set(page)
    target = sentence(page, SELECTION, "6.1")
    target.tap()
    expect(target).to_have_attribute("aria-pressed", "true")
    box = target.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    two = section(page, TWO_SELECT)
    two.get_by_label(TWO_SELECT.data.a.options[2].text).tap()
    sentence(page, TWO_SELECT, "2.2").tap()
    assert stored(page)[TWO_SELECT.id] == {"a": "c", "b": ["2.2"]}


def test_two_parts_by_keyboard_and_part_b_counts_only_after_part_a(page: Any) -> None:
    open_set(page)
    item = section(page, TWO_SELECT)
    part_a = item.get_by_role("group", name="Parte A. " + TWO_SELECT.data.a.prompt)
    part_b = item.get_by_role("group", name="Parte B. " + TWO_SELECT.data.b.prompt)
    expect(part_a.get_by_role("radio")).to_have_count(4)
    expect(part_b.get_by_role("button")).to_have_count(2)
    # a wrong Part A (the first option in the page's order that is not c)
    wrong = next(r for r in part_a.get_by_role("radio").all() if r.get_attribute("value") != "c")
    wrong.focus()
    page.keyboard.press("Space")
    sentence(page, TWO_SELECT, "2.2").focus()
    page.keyboard.press("Space")
    feedback = check(page, TWO_SELECT)
    assert "La parte B no puntúa porque la parte A no es correcta." in feedback
    assert grade_item(TWO_SELECT, stored(page)[TWO_SELECT.id]).points == 0
    # now the right Part A, by the arrow keys
    wrong.focus()
    for _ in range(4):
        if item.locator("[data-part=a] input:checked").get_attribute("value") == "c":
            break
        page.keyboard.press("ArrowDown")
    feedback = check(page, TWO_SELECT)
    assert feedback.startswith("Correcto"), feedback
    assert stored(page)[TWO_SELECT.id] == {"a": "c", "b": ["2.2"]}


def test_two_parts_with_quotes_as_part_b(page: Any) -> None:
    open_set(page)
    item = section(page, TWO_CHOICE)
    item.get_by_label(TWO_CHOICE.data.a.options[0].text).check()
    for option in TWO_CHOICE.data.b.options:
        if option.correct:
            item.get_by_label(f"«{option.text}»").check()
    feedback = check(page, TWO_CHOICE)
    assert feedback.startswith("Correcto"), feedback
    assert grade_item(TWO_CHOICE, stored(page)[TWO_CHOICE.id]).points == TWO_CHOICE.points


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_axe_violation_with_marks_and_feedback(page: Any, axe_source: str, theme: str) -> None:
    page.emulate_media(color_scheme=theme)
    page.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    open_set(page)
    assert page.evaluate("document.body.dataset.theme") == theme
    sentence(page, SELECTION, "6.2").click()
    sentence(page, ARTICLE_WIDE, "9.1").click()
    section(page, TWO_SELECT).get_by_label(TWO_SELECT.data.a.options[2].text).check()
    sentence(page, TWO_SELECT, "2.1").click()
    page.get_by_role("button", name="Comprobar todas").click()
    expect(page.locator(".cp-feedback:not(:empty)")).not_to_have_count(0)
    sentence(page, SELECTION, "6.2").focus()
    assert axe_violations(page, axe_source) == []


def test_each_part_is_shuffled_per_student_and_sentences_keep_the_reading_order(
    page: Any,
) -> None:
    open_set(page)
    item = section(page, TWO_CHOICE)
    orders = {}
    for student in ("estudiante-1", "estudiante-2", "estudiante-3", "estudiante-4"):
        page.locator("#cp-student-id").fill(student)
        page.locator("#cp-student-id").press("Tab")  # the order follows a committed id
        orders[student] = tuple(
            tuple(
                item.locator(f"[data-part={part}] input").evaluate_all(
                    "els => els.map(e => e.value)"
                )
            )
            for part in ("a", "b")
        )
        a, b = orders[student]
        assert sorted(a) == sorted(o.id for o in TWO_CHOICE.data.a.options)
        assert sorted(b) == sorted(o.id for o in TWO_CHOICE.data.b.options)
    assert len({a for a, _ in orders.values()}) > 1 and len({b for _, b in orders.values()}) > 1
    page.reload()
    again = tuple(
        tuple(
            item.locator(f"[data-part={part}] input").evaluate_all("els => els.map(e => e.value)")
        )
        for part in ("a", "b")
    )
    assert again == orders["estudiante-4"]
    ids = (
        section(page, ARTICLE_WIDE)
        .locator(".cp-sentence")
        .evaluate_all("els => els.map(e => e.dataset.sentence)")
    )
    assert ids == ARTICLE_WIDE.data.ids  # the article's order, never shuffled

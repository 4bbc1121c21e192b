"""The writers: safe CSV cells, number formats, answer display, Gradescope's format."""

from __future__ import annotations

import json
import re

import pytest

from comprende.bank import load_bank
from comprende.grading import grade_submission
from comprende.model import ItemType, Student, Submission
from comprende.reports.base import display_answer, points, safe_cell
from comprende.reports.gradescope import GradescopeWriter
from comprende.template import key_answer


@pytest.fixture(scope="module")
def bank():
    from pathlib import Path

    return load_bank(Path(__file__).resolve().parent.parent / "exercises")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+34 600", "'+34 600"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_points():
    assert [points(1.0), points(0.5), points(2 / 3), points(None)] == ["1", "0.5", "0.67", ""]
    assert points(1.25, comma=True) == "1,25"


def test_display_answer_handles_any_json(bank):
    for item in bank.items:
        for answer in (None, key_answer(item), 3, [1, {"a": None}], {"x": [True]}, "texto", True):
            assert isinstance(display_answer(item, answer), str)
    tf = next(i for i in bank.items if i.type == ItemType.TRUE_FALSE)
    assert display_answer(tf, True) == "Verdadero"
    single = next(i for i in bank.items if i.type == ItemType.SINGLE)
    # The page shows no letters: a choice is its text, never «a) …».
    assert display_answer(single, single.options[0].id) == single.options[0].text
    assert display_answer(single, "zz") == "«zz» (no es ninguna de las opciones)"


def test_display_answer_shows_every_type_as_the_page_did(bank):
    matching = next(i for i in bank.items if i.type == ItemType.MATCHING)
    left, right = matching.left[0], matching.right[-1]
    assert display_answer(matching, {left.id: right.id}) == f"{left.text} → {right.text}"
    assert display_answer(matching, {"zz": right.id}) == (
        f"«zz → {right.text}» (no es ningún elemento de la lista)"
    )
    ordering = next(i for i in bank.items if i.type == ItemType.ORDERING)
    shown = display_answer(ordering, [e.id for e in reversed(ordering.elements)])
    assert shown == "; ".join(
        f"{n}. {e.text}" for n, e in enumerate(reversed(ordering.elements), 1)
    )
    cloze = next(i for i in bank.items if i.type == ItemType.CLOZE)
    first, second = (name for name, _ in cloze.blanks[:2])
    assert display_answer(cloze, {second: "dos", first: "uno", "b99": "x"}).startswith(
        "Hueco 1: uno; Hueco 2: dos; "
    )
    assert "Hueco «b99»: «x» (no es ningún hueco del texto)" in display_answer(cloze, {"b99": "x"})
    multiple = next(i for i in bank.items if i.type == ItemType.MULTIPLE)
    ids = [o.id for o in multiple.options]
    assert display_answer(multiple, [ids[1], ids[0]]) == (
        f"{multiple.options[0].text}; {multiple.options[1].text}"
    )
    for item in bank.items:
        for answer in (key_answer(item), None):
            text = display_answer(item, answer)
            for choice in (*item.options, *item.left, *item.right, *item.elements):
                assert not re.search(rf"(^|; |→ ){re.escape(choice.id)}\) ", text), text
                assert f"«{choice.id}»" not in text


def test_gradescope_results_json(bank):
    answers = {item.id: key_answer(item) for item in bank.items}
    result = grade_submission(bank, Submission(bank.id, Student("e1", "Ana"), answers))
    writer = GradescopeWriter(bank)
    document = json.loads(writer.document(result, [writer.test_json(r) for r in result.items]))
    assert document["score"] == result.total
    assert document["visibility"] == "visible"
    assert [t["number"] for t in document["tests"]] == [
        f"{s}.{n}"
        for s, item_set in enumerate(bank.sets, 1)
        for n in range(1, len(item_set.items) + 1)
    ]
    assert sum(t["max_score"] for t in document["tests"]) == bank.possible
    open_test = next(
        t for t, i in zip(document["tests"], bank.items, strict=True) if not i.auto_graded
    )
    assert (open_test["score"], open_test["status"]) == (0.0, "failed")
    assert (
        open_test["output"].splitlines()[0]
        == f"Pendiente de corrección ({points(open_test['max_score'], comma=True)} puntos)."
    )
    assert open_test["name"] == "Comprensión global · Pregunta 11"
    assert {t["output_format"] for t in document["tests"]} == {"text"}
    assert document["output"].startswith("Puntuación provisional: ")

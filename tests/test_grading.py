"""The grading core: the shared vectors, the rules, and that it never raises."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comprende.bank import load_bank
from comprende.grading import grade_item, grade_submission, normalize, strip_accents
from comprende.model import Status, Student, Submission
from comprende.template import key_answer
from comprende.types import all_types

from .conftest import ROOT
from .vectors import case_id, load_vectors

ITEMS, CASES = load_vectors()


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT / "exercises")


def test_vectors_cover_every_type_and_status() -> None:
    assert len(CASES) >= 150
    assert {item.type for item in ITEMS.values()} == {kind.id for kind in all_types()}
    assert {case["status"] for case in CASES} == {s.value for s in Status}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_vector(case: dict[str, Any]) -> None:
    result = grade_item(ITEMS[case["item"]], case["answer"])
    assert (result.points, result.status.value) == (case["points"], case["status"]), case.get("why")
    if "feedback_contains" in case:
        assert any(case["feedback_contains"] in message for message in result.feedback)


def test_key_scores_full_marks(bank) -> None:
    answers = {item.id: key_answer(item) for item in bank.items}
    result = grade_submission(bank, Submission(bank.id, Student("k", "Clave"), answers))
    auto = [r for r in result.items if r.status is not Status.PENDING]
    assert all(r.status is Status.CORRECT for r in auto)
    assert result.total == sum(i.points for i in bank.items if i.auto_graded)
    assert {r.item_id for r in result.pending} == {i.id for i in bank.items if not i.auto_graded}


def test_empty_submission_scores_zero(bank) -> None:
    result = grade_submission(bank, Submission(bank.id, Student("e", "Vacía"), {}))
    assert result.total == 0
    assert all(r.status is Status.MISSING for r in result.items)


def test_each_distractor_gets_its_own_feedback(bank) -> None:
    for item in bank.items:
        if item.type in ("opcion-unica", "opcion-multiple"):
            messages = {o.feedback for o in item.options}
            assert len(messages) == len(item.options), item.id
        if item.type == "opcion-unica":
            assert {grade_item(item, o.id).feedback for o in item.options} == {
                (m,) for m in messages
            }
        if item.type == "verdadero-falso":
            assert grade_item(item, True).feedback != grade_item(item, False).feedback


def test_accent_slip_says_almost() -> None:
    item = next(i for i in ITEMS.values() if i.text_key and i.text_key.policy.accents == "required")
    accepted = item.text_key.accept[0]
    slipped = strip_accents(accepted)
    assert slipped != accepted, "the vectors need a required-accent item whose answer has an accent"
    result = grade_item(item, slipped)
    assert result.status is Status.INCORRECT
    assert "Casi: revisa la tilde" in result.feedback[0]


def test_normalize_straightens_quotes_and_drops_spanish_punctuation() -> None:
    assert normalize("  ¿«Hola»,   “mundo”?  ", case=True, punctuation=True) == "hola mundo"
    assert normalize("‘a’", case=False, punctuation=False) == "'a'"
    assert strip_accents("Kazajistán, pingüino, España") == "Kazajistan, pinguino, España"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(answer=JSON_VALUES)
def test_grader_never_raises_on_any_json_value(answer: Any) -> None:
    json.dumps(answer)  # a JSON value
    for item in ITEMS.values():
        result = grade_item(item, answer)
        assert 0 <= result.points <= result.possible
        assert result.status in Status

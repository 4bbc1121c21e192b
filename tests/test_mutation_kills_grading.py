"""Grading's common rules at their edges: each test kills mutants `make mutation` left alive.

What an invalid answer is kept as (the reports and the feedback page show it), nesting
at exactly the limit, empty values in mappings, a whole submission, the messages of a
missing, an unreadable and a matching answer, and the marks removed with the accents.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from comprende.bank import load_bank
from comprende.grading import (
    MAX_NESTING,
    clean_answer,
    grade_item,
    grade_submission,
    is_empty,
    strip_accents,
)
from comprende.model import ItemType, Status, Student, Submission
from comprende.template import key_answer
from comprende.types.base import Invalid, scored_result
from comprende.types.respuesta_abierta import MSG_PENDING

from .conftest import ROOT
from .vectors import load_vectors

BANK = load_bank(ROOT / "exercises")
SHORT = next(i for i in BANK.items if i.type == ItemType.SHORT)
CLOZE = next(i for i in BANK.items if i.type == ItemType.CLOZE)
MATCHING = next(i for i in BANK.items if i.type == ItemType.MATCHING)
ORDERING = next(i for i in BANK.items if i.type == ItemType.ORDERING)
SURROGATE = "Mosc\udc80"
VECTOR_ITEMS, _ = load_vectors()


def nested(levels: int, inner: object = "x") -> object:
    value = inner
    for _ in range(levels):
        value = [value]
    return value


def test_an_answer_with_a_lone_surrogate_is_kept_printable() -> None:
    result = grade_item(SHORT, SURROGATE)
    assert result.status is Status.INVALID and result.points == 0
    assert result.answer == "Mosc\\udc80"
    assert result.answer.encode("utf-8")  # the reports can write it


def test_a_long_answer_with_a_surrogate_is_cut_at_200_characters() -> None:
    result = grade_item(SHORT, "a" * 300 + "\udc80")
    assert result.answer == "a" * 200 + "…"


def test_only_the_texts_with_a_surrogate_are_changed() -> None:
    long, tabbed = "b" * 300, "dos\tpalabras"
    result = grade_item(CLOZE, {"b1": long, "b2": tabbed, "b3": "\udc80"})
    assert result.answer == {"b1": long, "b2": tabbed, "b3": "\\udc80"}


def test_surrogates_inside_lists_and_mappings_are_shown_where_they_are() -> None:
    answer = {"b1": ["ok", SURROGATE], "k\udc81": 3, "b2": None}
    result = grade_item(CLOZE, answer)
    assert result.status is Status.INVALID
    assert result.answer == {"b1": ["ok", "Mosc\\udc80"], "k\\udc81": 3, "b2": None}


def test_nesting_up_to_the_limit_is_an_answer_and_one_more_is_invalid() -> None:
    assert clean_answer(nested(MAX_NESTING)) == nested(MAX_NESTING)
    with pytest.raises(Invalid):
        clean_answer(nested(MAX_NESTING + 1))
    assert grade_item(ORDERING, nested(MAX_NESTING)).status is Status.INVALID  # wrong shape
    too_deep = grade_item(ORDERING, nested(MAX_NESTING + 1, SURROGATE))
    assert too_deep.status is Status.INVALID
    assert "niveles" in too_deep.feedback[0]
    assert too_deep.answer == nested(MAX_NESTING, "…")  # cut where grading stopped
    deep_map: object = SURROGATE
    for _ in range(MAX_NESTING + 1):
        deep_map = {"k": deep_map}
    shown = grade_item(CLOZE, deep_map).answer
    for _ in range(MAX_NESTING):
        shown = shown["k"]
    assert shown == "…"


def test_mapping_keys_are_cleaned_too() -> None:
    answer = {"\u200bl1": "r1"}  # a zero-width space before the key
    assert clean_answer(answer) == {"l1": "r1"}
    assert clean_answer({1: "ｖｅｒｄａｄｅｒｏ"}) == {1: "verdadero"}


@pytest.mark.parametrize(
    ("answer", "empty"),
    [
        (None, True),
        ("", True),
        ("  \t", True),
        ([], True),
        ({}, True),
        (0, False),
        (False, False),
        ("0", False),
        ([""], False),
        ({"a": None}, False),
    ],
)
def test_what_counts_as_no_answer(answer: object, empty: bool) -> None:
    assert is_empty(answer) is empty


def test_a_mapping_of_only_empty_values_is_missing_and_empty_values_are_not_answers() -> None:
    left = [c.id for c in MATCHING.left]
    result = grade_item(MATCHING, {left[0]: None, left[1]: "  "})
    assert result.status is Status.MISSING and result.answer == {}
    key = key_answer(MATCHING)
    one_blank = {**key, left[0]: ""}
    result = grade_item(MATCHING, one_blank)
    assert result.status is Status.PARTIAL
    assert left[0] not in result.answer
    # a list is not a mapping: its empty texts are kept, and the shape is wrong
    assert grade_item(MATCHING, ["", ""]).status is Status.INVALID


def test_a_submission_is_graded_item_by_item_in_bank_order() -> None:
    answers = {SHORT.id: key_answer(SHORT), "no-such-item": "x"}
    submission = Submission(BANK.id, Student("s", "Sara"), answers)
    result = grade_submission(BANK, submission)
    assert result.submission is submission
    assert [r.item_id for r in result.items] == [i.id for i in BANK.items]
    by_id = {r.item_id: r for r in result.items}
    assert by_id[SHORT.id].status is Status.CORRECT
    assert all(r.status is Status.MISSING for i, r in by_id.items() if i != SHORT.id)
    assert result.total == SHORT.points


def test_a_missing_answer_says_so_and_an_unreadable_text_says_why() -> None:
    assert grade_item(SHORT, None).feedback == ("Sin respuesta.",)
    assert grade_item(CLOZE, {"b1": " "}).feedback == ("Sin respuesta.",)
    assert grade_item(SHORT, SURROGATE).feedback == (
        "Respuesta no válida: la respuesta tiene un carácter que no es texto válido.",
    )


def test_the_levels_inside_a_mapping_count_towards_the_limit_like_a_lists() -> None:
    at_limit = {"b1": nested(MAX_NESTING - 1)}  # the mapping and 49 lists: 50 levels
    assert clean_answer(at_limit) == at_limit
    assert "niveles" not in grade_item(CLOZE, at_limit).feedback[0]  # only the wrong shape
    one_more = {"b1": nested(MAX_NESTING)}
    with pytest.raises(Invalid, match="niveles"):
        clean_answer(one_more)
    assert grade_item(CLOZE, one_more).feedback == (
        "Respuesta no válida: la respuesta tiene demasiados niveles de listas o bloques.",
    )


def test_a_matching_answer_says_correct_or_not_when_no_pair_has_its_own_feedback() -> None:
    item = VECTOR_ITEMS["rel-temas"]
    assert grade_item(item, key_answer(item)).feedback == ("¡Correcto!",)
    assert grade_item(item, {"l2": "r3"}).feedback == ("No es correcto.",)  # l2 has none
    assert grade_item(item, {"l1": "r1"}).feedback == (item.feedback["l1"],)
    assert grade_item(item, ["r1"]).feedback == (
        "Respuesta no válida: se esperaba una pareja (izquierda: derecha) por elemento, "
        "con ids existentes.",
    )


@pytest.mark.parametrize("letter", "aeiouAEIOUxX")
def test_only_n_keeps_its_tilde_when_accents_are_removed(letter: str) -> None:
    assert strip_accents(f"{letter}\u0303") == letter  # ã, õ… (and any letter) lose it
    assert strip_accents(f"n{letter}\u0303") == f"n{letter}"  # even right after an n


def test_n_and_capital_n_keep_their_tilde_and_lose_any_other_mark() -> None:
    assert strip_accents("Ñandú, ESPAÑA") == "Ñandu, ESPAÑA"
    assert strip_accents("pin\u0303a PIN\u0303A") == "piña PIÑA"  # decomposed ñ too
    assert strip_accents("ńǹ") == "nn"
    assert strip_accents("\u0301n") == "n"  # a mark opening the text follows no letter


@pytest.mark.parametrize(
    ("item_id", "answer", "reason"),
    [
        ("vf-verdadero", "quizá", "se esperaba true (verdadero) o false (falso)."),
        ("ou-ciudad", "zz", "se esperaba una de las opciones: a, b, c, d."),
        ("om-2de5", "a", "se esperaba una lista de opciones entre: a, b, c, d, e."),
        ("om-2de5", ["a", "a"], "una opción aparece dos veces."),
        ("rc-moscu", 1.5, "se esperaba un texto."),
        ("ab-resumen", ["x"], "se esperaba un texto."),
        ("num-porcentaje", "ochenta", "se esperaba un número, como 80 o 80,5."),
        ("num-porcentaje", [80], "se esperaba un número."),
        ("num-dia", True, "se esperaba un número."),
        ("num-dia", float("nan"), "se esperaba un número."),
        pytest.param("num-dia", 10**400, "el número es demasiado grande.", id="num-dia-10**400"),
        pytest.param("rc-dia", 2**14_000, "el número es demasiado grande.", id="rc-dia-2**14000"),
        ("hu-resumen", "x", "se esperaba un texto para cada hueco: b1, b2, b3."),
        ("hu-resumen", {"b2": 1.5}, "hueco 2: se esperaba un texto."),
        ("ord-4", ["llegada"], "se esperaba la lista de todos los elementos, cada uno una vez."),
        ("sel-p6", "6.1", 'se esperaba una lista de frases del párrafo 6 (como "6.1").'),
        ("sel-p6", ["6.1", "6.1"], "una frase aparece dos veces."),
        (
            "dp-unica",
            "c",
            "se esperaba una respuesta para la parte A (a) y otra para la parte B (b).",
        ),
        (
            "dp-unica",
            {"a": "zz", "b": "y"},
            "en la parte A, se esperaba una de las opciones: a, b, c.",
        ),
    ],
)
def test_an_answer_of_the_wrong_shape_says_what_was_expected(
    item_id: str, answer: object, reason: str
) -> None:
    result = grade_item(VECTOR_ITEMS[item_id], answer)
    assert (result.status, result.points) == (Status.INVALID, 0)
    assert result.feedback == (f"Respuesta no válida: {reason}",)
    assert result.answer is answer or result.answer == answer  # the report shows it as sent


def test_an_ordering_says_correct_only_with_every_element_followed_by_its_successor() -> None:
    item = VECTOR_ITEMS["ord-4"]
    key = key_answer(item)
    assert grade_item(item, key).feedback == ("¡Correcto!",)
    two_of_three = key[1:] + key[:1]  # the first moved to the end: two pairs still in order
    result = grade_item(item, two_of_three)
    assert (result.status, result.feedback) == (Status.PARTIAL, ("No es correcto.",))


def test_an_open_response_counts_its_words_against_both_limits_inclusive() -> None:
    item = VECTOR_ITEMS["ab-resumen"]  # 5 to 30 words
    assert (item.min_words, item.max_words) == (5, 30)

    def feedback(words: int) -> tuple[str, ...]:
        return grade_item(item, " ".join(["palabra"] * words)).feedback

    assert feedback(4) == (MSG_PENDING, "Tu texto tiene 4 palabras; se piden al menos 5.")
    assert feedback(5) == feedback(12) == feedback(30) == (MSG_PENDING,)
    assert feedback(31) == (MSG_PENDING, "Tu texto tiene 31 palabras; se piden como máximo 30.")


def test_an_open_response_that_is_not_text_is_shown_as_given() -> None:
    result = grade_item(VECTOR_ITEMS["ab-resumen"], ["una", "lista"])
    assert result.status is Status.INVALID
    assert result.answer == ["una", "lista"]  # the report shows what was sent


def test_a_number_may_end_in_a_percent_sign_even_without_a_unit() -> None:
    item = VECTOR_ITEMS["num-dia"]  # 27, no unit
    assert item.unit == ""
    assert grade_item(item, "27 %").status is Status.CORRECT
    assert grade_item(item, "27%").status is Status.CORRECT


def test_a_number_exactly_at_the_tolerances_edge_is_correct() -> None:
    # the edge is the tolerance plus a billionth (for rounding), inclusive: with key 0 and
    # no tolerance, 1e-9 is the one value that differs from the key by exactly that
    item = replace(VECTOR_ITEMS["num-dia"], key=0.0, tolerance=0.0)
    assert grade_item(item, 1e-9).status is Status.CORRECT
    assert grade_item(item, 2e-9).status is Status.INCORRECT


def test_a_text_answer_that_is_a_whole_number_is_compared_as_its_digits() -> None:
    item = VECTOR_ITEMS["rc-dia"]  # accepts "27"
    assert grade_item(item, 27.0).status is Status.CORRECT  # JSON's 27.0 is 27
    largest_exact = float(2**53 - 1)  # still a whole number as a float
    assert grade_item(item, largest_exact).feedback == ("Busca la fecha en el párrafo 2.",)
    longest = 2**13_999  # 14,000 bits: the longest integer read as text
    assert grade_item(item, longest).feedback == ("Busca la fecha en el párrafo 2.",)


def test_an_accent_or_a_typo_names_the_right_spelling_and_scores_as_its_blank() -> None:
    def feedback(item_id: str, answer: str) -> tuple[str, ...]:
        return grade_item(VECTOR_ITEMS[item_id], answer).feedback

    assert feedback("rc-opcional", "kazajistan") == (
        "Correcto, pero revisa la tilde: se escribe «Kazajistán».",
    )
    assert feedback("rc-moscu", "moscu") == (
        "Casi: revisa la tilde. La forma correcta es «Moscú».",
    )
    assert feedback("rc-typos1", "petrolio") == (
        "Correcto, aunque con una errata: se escribe «petróleo».",
    )
    cloze = VECTOR_ITEMS["hu-resumen"]  # 3 points, 3 blanks
    assert grade_item(cloze, {"b2": "petroleo"}).points == 1.0  # accent optional: one blank
    assert grade_item(cloze, {"b3": "nuklear"}).points == 1.0  # one typo allowed: one blank


def test_a_listed_wrong_answer_is_recognised_without_its_punctuation() -> None:
    item = VECTOR_ITEMS["rc-moscu"]  # punctuation ignored
    assert item.text_key is not None
    (wrong,) = item.text_key.wrong
    shouted = replace(item.text_key, wrong=(replace(wrong, answer="¡Astana!"),))
    assert grade_item(replace(item, text_key=shouted), "Astana").feedback == (wrong.feedback,)


def test_a_number_gets_a_wrong_answers_feedback_only_within_the_tolerance() -> None:
    item = VECTOR_ITEMS["num-dia"]  # 27; 2024 is the year; no tolerance
    (wrong,) = item.wrong
    assert grade_item(item, 2024).feedback == (wrong.feedback,)
    assert grade_item(item, 2024.5).feedback == ("No es correcto.",)
    at_zero = replace(item, wrong=(replace(wrong, answer=0.0),))
    assert grade_item(at_zero, 1e-9).feedback == (wrong.feedback,)  # the edge, inclusive


def test_a_fraction_outside_zero_to_one_is_clamped_to_the_items_points() -> None:
    # a type's grade() may return any fraction (the plug-in contract): points stay in range
    item = VECTOR_ITEMS["ou-ciudad"]
    over = scored_result(item, 1.5, [], "a")
    assert (over.points, over.status) == (item.points, Status.CORRECT)
    under = scored_result(item, -0.5, [], "b")
    assert (under.points, under.status) == (0.0, Status.INCORRECT)


def test_multiple_choice_feedback_follows_the_options_order_and_notes_a_missed_one() -> None:
    om = VECTOR_ITEMS["om-2de5"]  # right: a, c
    fb = {o.id: o.feedback for o in om.options}
    assert grade_item(om, ["c", "a"]).feedback == (fb["a"], fb["c"])  # all right: nothing missed
    assert grade_item(om, ["c", "b", "a"]).feedback == (fb["a"], fb["b"], fb["c"])
    backwards = replace(om, options=om.options[::-1])  # e, d, c, b, a on the page
    assert grade_item(backwards, ["a", "e"]).feedback == (
        fb["e"],
        fb["a"],
        "Te falta alguna opción correcta.",
    )


def test_a_selection_notes_a_missed_sentence_only_when_one_is_missing() -> None:
    item = VECTOR_ITEMS["sel-nuclear"]  # key: 9.1, 9.2
    assert grade_item(item, ["9.1"]).feedback[-1] == "Te falta alguna frase."
    every_key = grade_item(item, ["9.2", "10.1", "9.1"]).feedback
    assert len(every_key) == 3
    assert "Te falta alguna frase." not in every_key

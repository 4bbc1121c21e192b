"""``comprende export gift``: the file parsed with the GIFT grammar as Moodle reads it.

The parser (:mod:`tests.gift_import`) is written from the GIFT documentation and from
Moodle's GIFT importer. No PyPI GIFT parser fits: ``pygiftparser`` 1.1 (2017, pins
Markdown 3.0.1), tried on this export on 2026-12-01, reads 50 of its 51 questions but
takes the weighted short answers (``=%100%…``) for choices and rejects Moodle's
numerical question with several answers (``{#=%100%27:0#… =%0%2024:0#… ~#…}``), which
Moodle's importer reads. Every exported item comes back with
its key, weights and feedback; what GIFT cannot hold is listed by id with the reason;
hostile text survives the escaping.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comprende.cli import main
from comprende.exports import clean, export, get_format, report_lines
from comprende.exports.gift import esc
from comprende.model import Item
from comprende.types import get
from comprende.types.textmatch import strip_accents

from .export_support import HOSTILE_ANSWER_CLEAN, HOSTILE_CLEAN, bank, hostile_bank
from .gift_import import GiftQuestion, read_file, readquestion
from .moodle_import import Answer, allowed, match_text

NOT_IN_GIFT = {"ordenar", "dos-partes"}


@pytest.fixture(scope="module")
def result():
    return export(bank(), "gift")


@pytest.fixture(scope="module")
def questions(result) -> dict[str, GiftQuestion]:
    parsed = read_file(result.data.decode("utf-8"))
    return {q.name: q for q in parsed if q.qtype != "category"}


def items_of(type_id: str) -> list[Item]:
    found = [i for i in bank().items if i.type == type_id]
    assert found
    return found


def text(value: str) -> str:
    return html.unescape(value.replace("<br>", "\n"))


def test_every_item_is_exported_or_listed_with_its_reason(result, questions) -> None:
    skipped = {p.item_id: p.reason for p in result.skipped}
    assert sorted(result.exported + list(skipped)) == sorted(i.id for i in bank().items)
    assert sorted(questions) == sorted(result.exported)
    for item in bank().items:
        if item.type in NOT_IN_GIFT or (item.type == "huecos" and len(item.blanks) > 1):
            assert item.id in skipped, item.id
    assert skipped["global-estructura"] == "GIFT has no ordering question"
    lines = report_lines(result, get_format("gift"))
    for item_id, reason in skipped.items():
        assert f"  not exported: {item_id}: {reason}" in lines


def test_the_sets_are_categories(result) -> None:
    parsed = read_file(result.data.decode("utf-8"))
    categories = [q.category for q in parsed if q.qtype == "category"]
    assert categories == [f"$course$/top/{bank().title}/{s.title}" for s in bank().sets]


def test_question_text_and_general_feedback(questions) -> None:
    for name, q in questions.items():
        item = bank().item(name)
        assert q.fmt == "html"
        assert text(q.text) == item.prompt
        feedback = text(q.generalfeedback)
        assert item.explanation.strip() in feedback
        for evidence in item.evidence:
            assert f"Evidencia (párrafo {evidence.paragraph}): «{evidence.quote}»" in feedback


def test_true_false(questions) -> None:
    for item in items_of("verdadero-falso"):
        q = questions[item.id]
        assert q.qtype == "truefalse" and q.correct is item.key
        assert text(q.feedback_true) == item.feedback["true"]
        assert text(q.feedback_false) == item.feedback["false"]


@pytest.mark.parametrize("type_id", ["opcion-unica", "opcion-multiple", "seleccionar-en-el-texto"])
def test_choices_come_back_with_weights_moodle_accepts(questions, type_id: str) -> None:
    for item in items_of(type_id):
        q = questions[item.id]
        assert q.qtype == "multichoice"
        assert q.single is (type_id == "opcion-unica")
        assert all(allowed(a.fraction) for a in q.answers)
        if item.options:
            assert [text(a.text) for a in q.answers] == [o.text for o in item.options]
            assert [text(a.feedback) for a in q.answers] == [o.feedback for o in item.options]
            assert [a.fraction > 0 for a in q.answers] == [o.correct for o in item.options]
        else:
            assert [a.fraction > 0 for a in q.answers] == [
                s.id in item.data.key for s in item.data.candidates
            ]
        if not q.single:
            assert round(sum(a.fraction for a in q.answers if a.fraction > 0), 2) == 1


def test_multiple_choice_weights_give_comprendes_score(questions) -> None:
    for item in items_of("opcion-multiple"):
        q = questions[item.id]
        ids = [o.id for o in item.options]
        for size in range(1, len(ids) + 1):
            for picked in itertools.combinations(range(len(ids)), size):
                moodle = max(0.0, min(1.0, sum(q.answers[i].fraction for i in picked)))
                ours, _ = get(item.type).grade(item, [ids[i] for i in picked])
                assert moodle == pytest.approx(max(0.0, min(1.0, ours)), abs=1e-6)


def test_short_answers_match_as_on_the_site(questions) -> None:
    for item in items_of("respuesta-corta"):
        q = questions[item.id]
        assert q.qtype == "shortanswer"
        key = item.text_key
        answers = [Answer(a.text, a.fraction, a.feedback) for a in q.answers]
        tries = [*key.accept, *(strip_accents(a) for a in key.accept)]
        tries += [str(w.answer) for w in key.wrong] + ["otra cosa"]
        for response in tries:
            hit = match_text(answers, response, False)
            assert hit is not None
            fraction, feedback = get(item.type).grade(item, response)
            assert (hit.fraction, text(hit.feedback)) == (fraction, feedback[0]), response


def test_numerical(questions) -> None:
    for item in items_of("numerica"):
        q = questions[item.id]
        assert q.qtype == "numerical"
        right = [a for a in q.answers if a.fraction == 1]
        assert [(float(a.text), a.tolerance) for a in right] == [(item.key, item.tolerance)]
        wrong = {
            float(a.text): text(a.feedback) for a in q.answers if a.fraction == 0 and a.text != "*"
        }
        assert wrong == {w.answer: w.feedback for w in item.wrong}
        assert q.answers[-1].text == "*"


def test_matching_pairs_and_distractors(result, questions) -> None:
    for item in items_of("relacionar"):
        q = questions[item.id]
        assert q.qtype == "match"
        right = {c.id: c.text for c in item.right}
        stems = [(text(s), a) for s, a in q.pairs if s]
        assert stems == [(c.text, right[item.pairs[c.id]]) for c in item.left]
        assert {a for _, a in q.pairs} == set(right.values())
        if item.feedback:
            assert any(p.item_id == item.id for p in result.degraded)


def test_essay_and_its_lost_rubric_is_reported(result, questions) -> None:
    for item in items_of("respuesta-abierta"):
        assert questions[item.id].qtype == "essay"
        assert any(p.item_id == item.id and "rubric" in p.reason for p in result.degraded)


def test_a_cloze_with_one_blank_is_a_missing_word_question() -> None:
    base = items_of("huecos")[0]
    name, key = base.blanks[0]
    item = replace(
        base,
        text=f"Antes de la visita, Putin publicó un [[{name}]] en un periódico.",
        blanks=((name, key),),
    )
    piece = get("huecos").export(item, "gift").value
    q = readquestion(piece.split("\n"))
    assert q is not None and q.qtype == "shortanswer"
    assert "_____" in text(q.text)  # the blank stays where it was
    assert text(q.text).endswith("_____ en un periódico.")
    hit = match_text(
        [Answer(a.text, a.fraction, a.feedback) for a in q.answers], key.accept[0], False
    )
    assert hit is not None and hit.fraction == 1


# ----- bad input ----------------------------------------------------------------------


def test_every_special_character_is_escaped() -> None:
    escaped = esc("a~b=c#d{e}f:g\\h\ni")
    assert escaped == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    assert not re.search(r"(?<!\\)[~=#{}:]", escaped.replace("\\\\", ""))


def test_hostile_text_survives_the_grammar() -> None:
    result = export(hostile_bank(), "gift")
    data = result.data.decode("utf-8")
    assert "\x01" not in data and "\ufffe" not in data
    questions = {q.name: q for q in read_file(data) if q.qtype != "category"}
    assert sorted(questions) == sorted(result.exported)
    for name, q in questions.items():
        assert HOSTILE_CLEAN in text(q.text), name
        assert HOSTILE_CLEAN in text(q.generalfeedback), name
        key = hostile_bank().item(name).text_key
        if key is not None:
            feedbacks = {text(a.feedback) for a in q.answers}
            assert {clean(w.feedback) for w in key.wrong} <= feedbacks
    short = questions[items_of("respuesta-corta")[0].id]
    answers = [Answer(a.text, a.fraction, a.feedback) for a in short.answers]
    hit = match_text(answers, HOSTILE_ANSWER_CLEAN, False)
    assert hit is not None and hit.fraction == 1
    choice = questions[items_of("opcion-unica")[0].id]
    assert all(
        HOSTILE_CLEAN in text(a.text) and HOSTILE_CLEAN in text(a.feedback) for a in choice.answers
    )
    pairs = questions[items_of("relacionar")[0].id].pairs
    assert all(a.endswith(HOSTILE_CLEAN) for _, a in pairs)


def test_a_matching_stem_with_an_arrow_is_reported() -> None:
    item = items_of("relacionar")[0]
    left = (replace(item.left[0], text="Párrafo 3 -> idea"), *item.left[1:])
    result = export(
        replace(bank(), sets=(replace(bank().sets[0], items=(replace(item, left=left),)),)), "gift"
    )
    assert [(p.item_id, "->" in p.reason) for p in result.skipped] == [(item.id, True)]


def test_cli_writes_a_gift_file_and_lists_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "banco.txt"
    assert main(["export", "gift", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "not exported: global-estructura: GIFT has no ordering question" in err
    assert "not exported: evidencia-petroleo-dos-partes:" in err
    assert read_file(out.read_text(encoding="utf-8"))


ANY_TEXT = st.text(min_size=1, max_size=40).filter(lambda t: clean(t).strip() == clean(t) != "")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, ANY_TEXT)
def test_any_text_comes_back_through_the_grammar(words: str, answer: str) -> None:
    choice = items_of("opcion-unica")[0]
    choice = replace(
        choice,
        prompt=words,
        explanation=words,
        options=(replace(choice.options[0], text=words, feedback=words), *choice.options[1:]),
    )
    q = readquestion(get(choice.type).export(choice, "gift").value.split("\n"))
    assert q is not None and q.qtype == "multichoice"
    assert text(q.text) == clean(words)
    assert (text(q.answers[0].text), text(q.answers[0].feedback)) == (clean(words),) * 2
    assert text(q.generalfeedback).startswith(clean(words))
    short = items_of("respuesta-corta")[0]
    short = replace(short, text_key=replace(short.text_key, accept=(answer,), wrong=()))
    q = readquestion(get(short.type).export(short, "gift").value.split("\n"))
    assert q is not None and q.qtype == "shortanswer"
    answers = [Answer(a.text, a.fraction, a.feedback) for a in q.answers]
    hit = match_text(answers, clean(answer), False)
    assert hit is not None and hit.fraction == 1


@pytest.mark.parametrize("start", ["%5%", "=", "~", "#", "[html]", "//", "::", "{", "}", "->"])
def test_texts_that_look_like_gift_syntax(start: str) -> None:
    item = items_of("opcion-unica")[0]
    options = tuple(replace(o, text=f"{start}{o.text}") for o in item.options)
    q = readquestion(
        get(item.type).export(replace(item, options=options), "gift").value.split("\n")
    )
    assert [text(a.text) for a in q.answers] == [o.text for o in options]
    assert [a.fraction for a in q.answers] == [float(o.correct) for o in options]


@pytest.mark.parametrize(
    ("answer", "reason"), [("a->b", "matching"), ("a&&058;b", "rewrites"), ("[html]a", "rewrites")]
)
def test_a_short_answer_gift_would_misread_is_reported(answer: str, reason: str) -> None:
    """Found by running Moodle's GIFT reading code (transcribed into PHP) on 3,000 random
    texts: '->' makes a short answer a matching question; the importer's placeholders and
    a leading [format] change a plain-text answer."""
    item = items_of("respuesta-corta")[0]
    key = replace(item.text_key, accept=(*item.text_key.accept, answer))
    result = export(
        replace(bank(), sets=(replace(bank().sets[0], items=(replace(item, text_key=key),)),)),
        "gift",
    )
    assert [(p.item_id, reason in p.reason) for p in result.skipped] == [(item.id, True)]

"""``comprende export moodle-xml``: what Moodle's importer would do with the file.

The file is read back by :mod:`tests.moodle_import`, a model of Moodle's own import code
(``question/format/xml/format.php`` and the code it calls), and the questions Moodle
would store are compared with the bank: every item's key, points and feedback, every
fraction in Moodle's list, the same score as comprende's grader for the same answers.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comprende.cli import main
from comprende.exports import MARKER, clean, export
from comprende.exports.moodle_xml import cloze_text, nearest, percent
from comprende.model import Item
from comprende.types import get
from comprende.types.seleccionar_en_el_texto import MSG_RIGHT, MSG_WRONG
from comprende.types.textmatch import strip_accents

from .export_support import (
    HOSTILE_ANSWER_CLEAN,
    HOSTILE_CLEAN,
    SHIPPED_TYPES,
    bank,
    hostile_bank,
    with_unknown_type,
)
from .moodle_import import Question, allowed, import_file, import_question, match_text, plain

CLOZE_TYPES = {"huecos", "dos-partes"}


@pytest.fixture(scope="module")
def result():
    return export(bank(), "moodle-xml")


@pytest.fixture(scope="module")
def questions(result) -> dict[str, Question]:
    imported = import_file(result.data)
    return {q.name: q for q in imported if q.qtype != "category"}


def items_of(type_id: str) -> list[Item]:
    found = [i for i in bank().items if i.type == type_id]
    assert found, f"the bank has no {type_id} item to test"
    return found


def degraded(result, item: Item) -> list[str]:
    return [p.reason for p in result.degraded if p.item_id == item.id]


# ----- the file against the importer's rules ------------------------------------------


def test_moodle_imports_every_item_of_the_bank(result, questions) -> None:
    """Every item of a shipped type is imported; any other is imported or reported."""
    ids = [i.id for i in bank().items]
    skipped = {p.item_id for p in result.skipped}
    assert result.exported == [i for i in ids if i not in skipped]
    assert all(p.reason for p in result.skipped)
    assert not [i for i in skipped if bank().item(i).type in SHIPPED_TYPES]
    assert sorted(questions) == sorted(result.exported)
    assert all(q.idnumber == name for name, q in questions.items())


def test_each_set_is_a_category(result) -> None:
    categories = [q.category for q in import_file(result.data) if q.qtype == "category"]
    assert categories == [f"$course$/top/{bank().title}/{s.title}" for s in bank().sets]


def test_the_question_types_are_the_ones_moodle_dispatches(questions) -> None:
    expected = {
        "verdadero-falso": "truefalse",
        "opcion-unica": "multichoice",
        "opcion-multiple": "multichoice",
        "seleccionar-en-el-texto": "multichoice",
        "respuesta-corta": "shortanswer",
        "numerica": "numerical",
        "huecos": "multianswer",
        "dos-partes": "multianswer",
        "relacionar": "match",
        "ordenar": "ordering",
        "respuesta-abierta": "essay",
    }
    assert set(expected) == SHIPPED_TYPES
    for item in bank().items:
        if item.type in expected:
            assert questions[item.id].qtype == expected[item.type], item.id


def test_every_fraction_is_one_moodle_accepts(questions) -> None:
    # import_file already refuses a file Moodle's importprocess would stop on; the
    # embedded answers of cloze questions are checked here too.
    checked = 0
    for q in questions.values():
        fractions = q.fractions + [a.fraction for s in q.subs for a in s.answers]
        assert all(allowed(f) for f in fractions), (q.name, fractions)
        checked += len(fractions)
    assert checked > 200


def test_the_xml_has_moodles_shape(result) -> None:
    root = ET.fromstring(result.data)
    assert root.tag == "quiz"
    assert MARKER in result.data.decode()
    for node in root.iter("question"):
        if node.get("type") == "category":
            continue
        for tag in ("name/text", "questiontext/text", "generalfeedback/text", "idnumber"):
            assert node.find(tag) is not None, (node.get("type"), tag)
        assert node.find("questiontext").get("format") == "html"
        for answer in node.findall("answer"):
            assert answer.get("fraction") is not None and answer.find("text") is not None


def test_multianswer_has_no_defaultgrade_and_the_others_have_their_points(questions) -> None:
    for item in bank().items:
        if item.type in CLOZE_TYPES or item.id not in questions:
            continue
        assert questions[item.id].defaultmark == item.points, item.id


# ----- round trip: key, points, feedback ----------------------------------------------


def test_general_feedback_holds_the_explanation_and_the_evidence(questions) -> None:
    for item in (i for i in bank().items if i.id in questions):
        text = plain(questions[item.id].generalfeedback)
        assert item.explanation.strip() in text, item.id
        for evidence in item.evidence:
            assert f"Evidencia (párrafo {evidence.paragraph}): «{evidence.quote}»" in text


def test_true_false_key_and_feedback(questions) -> None:
    for item in items_of("verdadero-falso"):
        q = questions[item.id]
        assert q.options["correctanswer"] is item.key
        by_text = {a.text: a for a in q.answers}
        assert plain(by_text["true"].feedback) == item.feedback["true"]
        assert plain(by_text["false"].feedback) == item.feedback["false"]


@pytest.mark.parametrize("type_id", ["opcion-unica", "opcion-multiple"])
def test_choice_keys_and_feedback(questions, type_id: str) -> None:
    for item in items_of(type_id):
        q = questions[item.id]
        assert q.single is (type_id == "opcion-unica")
        assert [plain(a.text) for a in q.answers] == [o.text for o in item.options]
        assert [a.fraction > 0 for a in q.answers] == [o.correct for o in item.options]
        assert [plain(a.feedback) for a in q.answers] == [o.feedback for o in item.options]
        if type_id == "opcion-unica":
            assert sorted(q.fractions) == [0.0] * (len(item.options) - 1) + [1.0]
        else:
            assert round(sum(f for f in q.fractions if f > 0), 2) == 1


def test_multiple_choice_scores_as_comprende_does(result, questions) -> None:
    """Moodle's multiple-answer grade (the picked fractions added, kept within 0..1) is
    comprende's for every possible answer, where the fractions are exact."""
    compared = 0
    for item in [*items_of("opcion-multiple"), *items_of("seleccionar-en-el-texto")]:
        if any("fraction" in r for r in degraded(result, item)):
            continue
        q = questions[item.id]
        ids = [o.id for o in item.options] or item.data.ids
        for size in range(1, min(len(ids), 4) + 1):
            for picked in itertools.combinations(range(len(ids)), size):
                moodle = max(0.0, min(1.0, sum(q.answers[i].fraction for i in picked)))
                ours, _ = get(item.type).grade(item, [ids[i] for i in picked])
                assert moodle == pytest.approx(max(0.0, min(1.0, ours)), abs=1e-6), (
                    item.id,
                    picked,
                )
                compared += 1
    assert compared > 50


def test_a_fraction_moodle_lacks_is_the_nearest_and_is_reported(result, questions) -> None:
    item = next(i for i in items_of("seleccionar-en-el-texto") if len(i.data.key) == 1)
    wrong = len(item.data.candidates) - 1
    value, reason = nearest(-1 / wrong)
    assert reason and value == -0.05  # 1/16 is not in Moodle's list; 0.05 is the nearest
    assert {a.fraction for a in questions[item.id].answers} == {1.0, -0.05}
    assert any(
        f"written as the nearest allowed, {percent(value)}%" in r for r in degraded(result, item)
    )


def test_short_answers_grade_as_on_the_site(questions) -> None:
    """Each accepted answer, its accent-free form, the common wrong answers and anything
    else get in Moodle the fraction and the feedback the site gives."""
    for item in items_of("respuesta-corta"):
        q = questions[item.id]
        key = item.text_key
        assert key is not None
        assert q.usecase is (key.policy.case == "exact")
        tries = [*key.accept, *(strip_accents(a) for a in key.accept)]
        tries += [str(w.answer) for w in key.wrong] + ["respuesta inventada"]
        for response in tries:
            answer = match_text(q.answers, response, q.usecase)
            assert answer is not None, (item.id, response)
            fraction, feedback = get(item.type).grade(item, response)
            assert answer.fraction == fraction, (item.id, response)
            assert plain(answer.feedback) == feedback[0], (item.id, response)


@pytest.mark.parametrize(
    ("accents", "fraction", "start"),
    [
        ("optional", 1.0, "Correcto, pero revisa la tilde"),
        ("required", 0.0, "Casi: revisa la tilde"),
    ],
)
def test_the_accent_free_answer_follows_the_items_policy(
    accents: str, fraction: float, start: str
) -> None:
    base = next(i for i in items_of("respuesta-corta") if i.id == "vocabulario-apreton")
    key = replace(base.text_key, policy=replace(base.text_key.policy, accents=accents))
    item = replace(base, text_key=key)
    q = import_question(get(item.type).export(item, "moodle-xml").value)
    answer = match_text(q.answers, "apreton", q.usecase)
    assert answer is not None and answer.fraction == fraction
    assert plain(answer.feedback).startswith(start)
    assert plain(answer.feedback) == get(item.type).grade(item, "apreton")[1][0]
    assert match_text(q.answers, "APRETÓN", q.usecase).fraction == 1  # case ignored


def test_numerical_key_tolerance_and_wrong_values(questions) -> None:
    for item in items_of("numerica"):
        q = questions[item.id]
        right = [a for a in q.answers if a.fraction == 1]
        assert len(right) == 1 and float(right[0].text) == item.key
        assert right[0].tolerance == item.tolerance
        for wrong in item.wrong:
            found = next(a for a in q.answers if a.text != "*" and float(a.text) == wrong.answer)
            assert found.fraction == 0 and plain(found.feedback) == wrong.feedback
        assert q.answers[-1].text == "*" and q.answers[-1].fraction == 0


def test_cloze_blanks_keys_weights_and_feedback(result, questions) -> None:
    for item in items_of("huecos"):
        q = questions[item.id]
        assert len(q.subs) == len(item.blanks)
        weights = {s.weight for s in q.subs}
        assert len(weights) == 1  # every blank counts the same, as on the site
        if q.defaultmark != item.points:
            assert any("set its mark in the quiz" in r for r in degraded(result, item))
        for sub, (name, key) in zip(q.subs, item.blanks, strict=True):
            assert sub.qtype == "shortanswer"
            assert [a.text for a in sub.answers if a.fraction == 1][: len(key.accept)] == list(
                key.accept
            )
            for response in [
                *key.accept,
                *(strip_accents(a) for a in key.accept),
                *(str(w.answer) for w in key.wrong),
                "nada",
            ]:
                answer = match_text(sub.answers, response, sub.usecase)
                assert answer is not None
                fraction, feedback = get("respuesta-corta").grade(
                    Item("x", "respuesta-corta", "", 1, "literal", "B1", (), "", "s", text_key=key),
                    response,
                )
                assert (answer.fraction, plain(answer.feedback)) == (fraction, feedback[0]), (
                    item.id,
                    name,
                    response,
                )


def test_cloze_grade_is_comprendes(questions) -> None:
    for item in items_of("huecos"):
        q = questions[item.id]
        for picks in itertools.product(*[[k.accept[0], "mal"] for _, k in item.blanks]):
            answer = dict(zip([n for n, _ in item.blanks], picks, strict=True))
            got = [match_text(s.answers, v, s.usecase) for s, v in zip(q.subs, picks, strict=True)]
            moodle = sum(
                s.weight * (a.fraction if a else 0) for s, a in zip(q.subs, got, strict=True)
            )
            ours, _ = get("huecos").grade(item, answer)
            assert moodle / q.defaultmark == pytest.approx(ours)


def test_matching_pairs_and_distractors(questions) -> None:
    for item in items_of("relacionar"):
        q = questions[item.id]
        right = {c.id: c.text for c in item.right}
        stems = [(plain(s), a) for s, a in q.subquestions if s]
        assert stems == [(c.text, right[item.pairs[c.id]]) for c in item.left]
        answers = {a for _, a in q.subquestions}
        assert answers == set(right.values())  # the unused right entries stay as distractors
        for hint in item.feedback.values():
            assert hint in plain(q.combined["incorrectfeedback"])


def test_ordering_is_moodles_ordering_question_with_comprendes_rule(questions) -> None:
    for item in items_of("ordenar"):
        q = questions[item.id]
        assert q.options["selecttype"] == "ALL"
        assert q.options["gradingtype"] == "RELATIVE_NEXT_EXCLUDE_LAST"
        assert int(q.options["selectcount"]) == len(item.elements)
        assert [plain(a.text) for a in q.answers] == [e.text for e in item.elements]
        assert q.options["positions"] == list(range(1, len(item.elements) + 1))
        ids = [e.id for e in item.elements]
        successor = dict(itertools.pairwise(ids))
        for order in itertools.islice(itertools.permutations(ids), 200):
            # RELATIVE_NEXT_EXCLUDE_LAST: a point for each item, but the last, whose next
            # item in the response is its next item in the right order
            moodle = sum(successor.get(a) == b for a, b in itertools.pairwise(order)) / (
                len(ids) - 1
            )
            ours, _ = get("ordenar").grade(item, list(order))
            assert moodle == pytest.approx(ours)


def test_essay_carries_the_rubric_for_the_grader(questions) -> None:
    for item in items_of("respuesta-abierta"):
        q = questions[item.id]
        info = plain(q.options["graderinfo"])
        for criterion in item.rubric:
            assert criterion.criterion in info
        assert item.model_answer[:60] in info
        assert q.options["responseformat"] == "editor"
        assert q.options["minwordlimit"] == q.options["maxwordlimit"] == ""  # not enforced
        assert f"entre {item.min_words} y {item.max_words} palabras" in info
        assert q.defaultmark == sum(c.points for c in item.rubric)


def test_selection_is_a_multiple_answer_over_the_sentences(questions) -> None:
    for item in items_of("seleccionar-en-el-texto"):
        q = questions[item.id]
        assert not q.single
        texts = [plain(a.text) for a in q.answers]
        assert len(texts) == len(item.data.candidates)
        for text, sentence in zip(texts, item.data.candidates, strict=True):
            assert text.endswith(sentence.text)
        right = [s.id in item.data.key for s in item.data.candidates]
        assert [a.fraction > 0 for a in q.answers] == right
        default = {True: MSG_RIGHT, False: MSG_WRONG}
        assert [plain(a.feedback) for a in q.answers] == [
            item.data.feedback.get(s.id) or default[s.id in item.data.key]
            for s in item.data.candidates
        ]


def test_two_parts_are_two_embedded_choices_and_the_lost_dependency_is_reported(
    result, questions
) -> None:
    for item in items_of("dos-partes"):
        q = questions[item.id]
        assert [s.qtype for s in q.subs] == ["multichoice", "multichoice"]
        a, b = q.subs
        assert a.single and [x.fraction == 1 for x in a.answers] == [
            o.correct for o in item.data.a.options
        ]
        assert a.weight == b.weight
        if item.data.dependent:
            assert any("Part B" in r for r in degraded(result, item))


# ----- bad input ----------------------------------------------------------------------


def test_hostile_text_stays_well_formed_and_comes_back(tmp_path: Path) -> None:
    result = export(hostile_bank(), "moodle-xml")
    questions = {q.name: q for q in import_file(result.data) if q.qtype != "category"}
    assert sorted(questions) == sorted(result.exported)
    assert {i.id for i in hostile_bank().items if i.type in SHIPPED_TYPES} <= set(questions)
    for item in (i for i in hostile_bank().items if i.id in questions):
        q = questions[item.id]
        assert HOSTILE_CLEAN in plain(q.generalfeedback), item.id
        if item.type not in CLOZE_TYPES:
            assert HOSTILE_CLEAN in plain(q.questiontext), item.id
    short = questions[items_of("respuesta-corta")[0].id]
    hit = match_text(short.answers, HOSTILE_ANSWER_CLEAN, short.usecase)
    assert hit is not None and hit.fraction == 1  # '*' in it is no wildcard
    assert match_text(short.answers[:-1], "a{b}~c=d#e:f<g&hXXXi%j]]>k", False) is None
    cloze = questions[items_of("huecos")[0].id]
    for sub in cloze.subs:
        assert HOSTILE_ANSWER_CLEAN.replace("*", "\\*") in [a.text for a in sub.answers]
        assert match_text(sub.answers, HOSTILE_ANSWER_CLEAN, sub.usecase).fraction == 1
        assert any(HOSTILE_CLEAN in plain(a.feedback) for a in sub.answers)
    assert HOSTILE_CLEAN in plain(cloze.questiontext)
    two = questions[items_of("dos-partes")[0].id]
    assert any(HOSTILE_CLEAN in plain(a.text) for a in two.subs[0].answers)


def test_cloze_text_cannot_open_an_embedded_answer() -> None:
    assert "{" not in cloze_text("texto {1:SHORTANSWER:=x} fin")


def test_an_unknown_type_is_reported_not_dropped() -> None:
    result = export(with_unknown_type(bank()), "moodle-xml")
    before = [(p.item_id, p.reason) for p in export(bank(), "moodle-xml").skipped]
    assert sorted((p.item_id, p.reason) for p in result.skipped) == sorted(
        [*before, ("tipo-desconocido", "unknown question type 'no-such-type'")]
    )
    assert "tipo-desconocido" not in result.data.decode()


# ----- the command --------------------------------------------------------------------


def test_cli_writes_reports_and_never_overwrites_a_foreign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "banco.xml"
    assert main(["export", "moodle-xml", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    counts = export(bank(), "moodle-xml")
    assert (
        f"moodle-xml: {len(counts.exported)} item(s) exported, "
        f"{len(counts.skipped)} not exported" in err
    )
    assert "degraded: evidencia-distancia-ucrania: fraction -6.25%" in err
    assert import_file(out.read_bytes())
    assert main(["export", "moodle-xml", "-o", str(out)]) == 0  # ours: replaced
    foreign = tmp_path / "notas.xml"
    foreign.write_text("<mis-notas/>", encoding="utf-8")
    assert main(["export", "moodle-xml", "-o", str(foreign)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert foreign.read_text(encoding="utf-8") == "<mis-notas/>"
    assert main(["export", "moodle-xml", "-o", str(foreign), "--force"]) == 0
    assert import_file(foreign.read_bytes())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


# ----- any text -----------------------------------------------------------------------

ANY_TEXT = st.text(min_size=1, max_size=40).filter(lambda t: clean(t).strip() == clean(t) != "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, ANY_TEXT)
def test_any_text_comes_back_from_every_moodle_question(words: str, answer: str) -> None:
    """Whatever the text holds, the file is well-formed and Moodle reads back the text
    (the prompt, an option and its feedback, a short answer, a blank's answer)."""
    choice = items_of("opcion-unica")[0]
    choice = replace(
        choice,
        prompt=words,
        options=(replace(choice.options[0], text=words, feedback=words), *choice.options[1:]),
    )
    q = import_question(get(choice.type).export(choice, "moodle-xml").value)
    assert plain(q.questiontext) == clean(words)
    assert (plain(q.answers[0].text), plain(q.answers[0].feedback)) == (clean(words),) * 2
    short = items_of("respuesta-corta")[0]
    short = replace(short, text_key=replace(short.text_key, accept=(answer,), wrong=()))
    q = import_question(get(short.type).export(short, "moodle-xml").value)
    hit = match_text(q.answers, clean(answer), q.usecase)
    assert hit is not None and hit.fraction == 1
    cloze = items_of("huecos")[0]
    name, key = cloze.blanks[0]
    cloze = replace(
        cloze,
        text=f"{words} [[{name}]] {words}",
        blanks=((name, replace(key, accept=(answer,), wrong=(), feedback_incorrect=words)),),
    )
    q = import_question(get(cloze.type).export(cloze, "moodle-xml").value)
    assert len(q.subs) == 1
    sub = q.subs[0]
    assert match_text(sub.answers, clean(answer), sub.usecase).fraction == 1
    assert plain(sub.answers[-1].feedback) == clean(words)
    assert plain(q.questiontext) == f"{cloze.prompt}\n{clean(words)} {{#1}} {clean(words)}"


@pytest.mark.parametrize(
    "answer", ["*", "&", "a&", "a\\}", "x\\#y", "&amp;", "=50", "%50%x", "a~b", "\\"]
)
def test_answers_the_cloze_syntax_would_misread(answer: str) -> None:
    """Each answer comes back from an embedded answer as typed, and only it gets 100 %
    (a literal ``*`` is no wildcard; ``&`` before ``#`` still ends the answer; the
    parser's ``\\}`` and ``\\#`` keep their backslash). Checked against Moodle's own
    regular expressions run by PHP on 3,000 random texts while writing the exporter."""
    cloze = items_of("huecos")[0]
    name, key = cloze.blanks[0]
    blank = replace(key, accept=(answer,), wrong=(), feedback_incorrect=f"no {answer}")
    cloze = replace(cloze, text=f"x [[{name}]] y", blanks=((name, blank),))
    q = import_question(get(cloze.type).export(cloze, "moodle-xml").value)
    right, other = q.subs[0].answers
    assert (right.text, right.fraction) == (answer.replace("*", "\\*"), 1)
    assert (other.text, plain(other.feedback)) == ("*", f"no {answer}")
    assert match_text([right], answer, False) is not None
    assert match_text([right], "otra cosa", False) is None

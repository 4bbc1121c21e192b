"""The evidence types, seleccionar-en-el-texto and dos-partes: loading (errors at their
line), the key derived from the evidence, schema, answers template, widget, page data,
reports, and the bank's items of these types."""

from __future__ import annotations

import csv
import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup

from comprende.bank import load_bank
from comprende.errors import ComprendeError
from comprende.grading import grade_item
from comprende.model import Item, Status
from comprende.pagedata import item_to_json
from comprende.reports.base import display_answer
from comprende.reports.feedback import student_feedback
from comprende.schema import answer_schema
from comprende.sentences import article_sentences, sentences_by_id
from comprende.template import render_template

from .conftest import ROOT, SEED

BANK = load_bank(ROOT / "exercises")
SELECT, TWO = "seleccionar-en-el-texto", "dos-partes"

SELECTION = """\
  - id: sel
    type: seleccionar-en-el-texto
    prompt: Marca la frase.
    points: 2
    skill: literal
    level: B1
    paragraph: 6
    evidence:
      - "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"
    explanation: Párrafo 6.
    feedback:
      "6.2": Esta frase habla de otra cosa.
"""

TWO_PARTS = """\
  - id: dos
    type: dos-partes
    prompt: Responde a las dos partes.
    points: 2
    skill: inferencia
    level: B1
    evidence:
      - "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"
    explanation: Párrafo 6.
    part_a:
      prompt: ¿Por qué?
      options:
        - {id: a, text: Por el petróleo., correct: true, feedback: Sí.}
        - {id: b, text: Por el idioma., feedback: No.}
    part_b:
      type: opcion-unica
      prompt: ¿Qué cita lo apoya?
      options:
        - {id: x, text: "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia", correct: true, feedback: Sí.}
        - {id: y, text: "Reafirma este compromiso", feedback: No.}
"""


def write_bank(folder: Path, items: str) -> Path:
    """A one-set bank in ``folder`` holding ``items`` (YAML under ``items:``)."""
    (folder / "exercises").mkdir()
    (folder / "seeds").mkdir()
    (folder / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    (folder / "exercises" / "module.yaml").write_text(
        f"id: m\ntitle: M\nversion: 1\narticle: seeds/{SEED.name}\nsets: [s]\n", encoding="utf-8"
    )
    path = folder / "exercises" / "s.yaml"
    path.write_text("id: s\ntitle: S\ninstructions: I.\nitems:\n" + items, encoding="utf-8")
    return path


def load_item(folder: Path, items: str) -> Item:
    write_bank(folder, items)
    return load_bank(folder / "exercises").items[0]


def error_of(folder: Path, items: str) -> tuple[ComprendeError, list[str]]:
    path = write_bank(folder, items)
    with pytest.raises(ComprendeError) as caught:
        load_bank(folder / "exercises")
    assert caught.value.path == str(path)
    return caught.value, path.read_text(encoding="utf-8").splitlines()


def line_of(lines: list[str], text: str) -> int:
    return next(n for n, line in enumerate(lines, 1) if text in line)


# ----- the key comes from the evidence --------------------------------------------------


def test_the_key_is_the_sentences_holding_the_evidence(tmp_path: Path) -> None:
    item = load_item(tmp_path, SELECTION)
    assert item.data.key == ("6.1",)
    assert [s.id for s in item.data.candidates] == ["6.1", "6.2"]
    assert grade_item(item, ["6.1"]).points == 2
    assert grade_item(item, ["6.2"]).points == 0


def test_without_paragraph_every_sentence_of_the_article_is_a_candidate(tmp_path: Path) -> None:
    item = load_item(tmp_path, SELECTION.replace("    paragraph: 6\n", ""))
    article = [s.id for s in article_sentences(item_article())]
    assert item.data.ids == article and len(article) == 17
    # 2 × (1 − 1/16): one wrong mark among the 16 other sentences
    assert grade_item(item, ["6.1", "1.1"]).points == 1.88


def item_article() -> Any:
    from comprende.article import load_article

    return load_article(SEED)


@pytest.mark.parametrize(
    ("old", "new", "message", "at"),
    [
        (
            "    paragraph: 6\n",
            "    paragraph: 12\n",
            "paragraph 12 does not exist",
            "paragraph: 12",
        ),
        (
            "    paragraph: 6\n",
            "    paragraph: seis\n",
            "`paragraph` must be a number",
            "paragraph:",
        ),
        (
            '"Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"',
            '"los dos líderes. Putin destaca"',
            "runs over more than one sentence",
            '"los dos líderes. Putin destaca"',
        ),
        (
            '"Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"',
            '"del petróleo"',
            "is in 2 sentences",
            '"del petróleo"',
        ),
        (
            '"Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"',
            '"Reafirma este compromiso"',
            "is not in the sentences the learner can mark",
            '"Reafirma este compromiso"',
        ),
        ('      "6.2": Esta', "      6.20: Esta", "read as the number 6.2", "feedback:"),
        ('      "6.2": Esta', '      "6.3": Esta', "'6.3', which is not a sentence", "feedback:"),
        ("    paragraph: 6\n", "    paragraf: 6\n", "unknown field `paragraf`", "paragraf:"),
    ],
)
def test_selection_errors_name_their_line(
    tmp_path: Path, old: str, new: str, message: str, at: str
) -> None:
    assert old in SELECTION
    error, lines = error_of(tmp_path, SELECTION.replace(old, new))
    assert message in error.message
    assert error.line == line_of(lines, at)
    assert error.fix


def test_an_unquoted_sentence_id_that_reads_the_same_is_accepted(tmp_path: Path) -> None:
    item = load_item(tmp_path, SELECTION.replace('      "6.2": Esta', "      6.2: Esta"))
    assert item.data.feedback == {"6.2": "Esta frase habla de otra cosa."}


def test_a_selection_where_every_sentence_is_key_is_refused(tmp_path: Path) -> None:
    items = (
        SELECTION.replace(
            '      - "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"\n',
            '      - "Más del 80% del petróleo"\n      - "Putin destaca su cooperación"\n',
        )
        .replace('      "6.2": Esta frase habla de otra cosa.\n', "")
        .replace("    feedback:\n", "")
    )
    error, lines = error_of(tmp_path, items)
    assert "every sentence of paragraph 6 is a key sentence" in error.message
    assert error.line == line_of(lines, "paragraph: 6")


# ----- dos-partes -----------------------------------------------------------------------


def test_two_parts_load_with_both_part_b_kinds(tmp_path: Path) -> None:
    item = load_item(tmp_path, TWO_PARTS)
    assert item.data.dependent and item.data.b.kind == "opcion-unica"
    assert grade_item(item, {"a": "a", "b": "x"}).points == 2
    assert grade_item(item, {"a": "b", "b": "x"}).points == 0


@pytest.mark.parametrize(
    ("old", "new", "message", "at"),
    [
        ("    part_a:\n", "    parte_a:\n", "unknown field `parte_a`", "parte_a:"),
        (
            "        - {id: b, text: Por el idioma., feedback: No.}",
            "        - {id: b, text: Por el idioma., correct: true, feedback: No.}",
            "exactly one option",
            "options:",
        ),
        ("      type: opcion-unica", "      type: huecos", "must be one of", "type: huecos"),
        ("      prompt: ¿Qué cita", "      promt: ¿Qué cita", "did you mean `prompt`", "promt:"),
        (
            '"Reafirma este compromiso"',
            '"Reafirma su compromiso"',
            "option 'y' is not a verbatim quote",
            "Reafirma su compromiso",
        ),
        (
            "    points: 2\n",
            "    points: 2\n    scoring: a veces\n",
            "`scoring` must be",
            "scoring:",
        ),
    ],
)
def test_two_parts_errors_name_their_line(
    tmp_path: Path, old: str, new: str, message: str, at: str
) -> None:
    assert old in TWO_PARTS
    error, lines = error_of(tmp_path, TWO_PARTS.replace(old, new))
    assert message in error.message
    assert error.line == line_of(lines, at)


def test_part_b_right_option_must_be_one_of_the_evidence(tmp_path: Path) -> None:
    items = TWO_PARTS.replace(
        '"Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"\n',
        '"Reafirma este compromiso"\n',
        1,
    )
    error, lines = error_of(tmp_path, items)
    assert "the right option 'x' is not one of the item's `evidence`" in error.message
    assert error.line == line_of(lines, "{id: x,")


def test_a_selection_part_b_takes_its_key_from_the_evidence(tmp_path: Path) -> None:
    part_b = "    part_b:\n      type: seleccionar-en-el-texto\n      prompt: Marca la frase.\n      paragraph: 6\n"
    item = load_item(tmp_path, TWO_PARTS.split("    part_b:\n")[0] + part_b)
    assert item.data.b.selection.key == ("6.1",)
    assert item.kind.key_answer(item) == {"a": "a", "b": ["6.1"]}
    assert grade_item(item, {"a": "a", "b": ["6.1"]}).points == 2


def test_a_selection_part_b_refuses_choice_fields(tmp_path: Path) -> None:
    items = TWO_PARTS.replace("      type: opcion-unica", "      type: seleccionar-en-el-texto")
    error, lines = error_of(tmp_path, items)
    assert "unknown field `options`" in error.message
    part_b = line_of(lines, "part_b:")
    assert error.line == part_b + line_of(lines[part_b:], "      options:")


# ----- schema, template, page, reports (on the bank's items) ----------------------------

EVIDENCE_ITEMS = [item for item in BANK.items if item.type in (SELECT, TWO)]


def test_the_bank_has_the_evidence_items() -> None:
    kinds = [item.type for item in EVIDENCE_ITEMS]
    assert kinds.count(SELECT) >= 3 and kinds.count(TWO) >= 3
    part_b = {item.data.b.kind for item in EVIDENCE_ITEMS if item.type == TWO}
    assert SELECT in part_b and part_b - {SELECT}
    assert any(i.type == SELECT and i.data.paragraph for i in EVIDENCE_ITEMS)
    assert any(i.type == SELECT and not i.data.paragraph for i in EVIDENCE_ITEMS)


@pytest.mark.parametrize("item", EVIDENCE_ITEMS, ids=lambda i: i.id)
def test_the_key_is_exactly_the_sentences_holding_an_evidence_quote(item: Item) -> None:
    sentences = sentences_by_id(item_article())
    selection = item.data if item.type == SELECT else item.data.b.selection
    if selection is None:
        right = [o.text for o in item.data.b.options if o.correct]
        assert set(right) <= {e.quote for e in item.evidence}
        return
    # The key is exactly the candidate sentences that hold a quote of the evidence: none
    # missing (a right mark scored as wrong) and none extra (a wrong mark scored as right).
    holding = {
        sentence.id
        for sentence in selection.candidates
        if any(e.quote in sentences[sentence.id].text for e in item.evidence)
    }  # the article's own sentences, split again here, not the item's copies
    assert set(selection.key) == holding
    assert len(selection.key) == len(set(selection.key)) < len(selection.candidates)


@pytest.mark.parametrize("item", EVIDENCE_ITEMS, ids=lambda i: i.id)
def test_the_key_fits_the_schema_and_scores_full_marks(item: Item) -> None:
    schema = answer_schema(item)
    key = item.kind.key_answer(item)
    jsonschema.validate(key, schema)
    jsonschema.validate(None, schema)
    assert grade_item(item, key).points == item.points
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(["99.1"] if item.type == SELECT else {"c": "a"}, schema)


@pytest.mark.parametrize("item", EVIDENCE_ITEMS, ids=lambda i: i.id)
def test_the_widget_shows_every_candidate_as_a_toggle_and_no_key(item: Item) -> None:
    html = item.kind.widget(item)
    soup = BeautifulSoup(html, "html.parser")
    selection = item.data if item.type == SELECT else item.data.b.selection
    buttons = soup.select("button.cp-sentence")
    if selection is not None:
        sentences = sentences_by_id(item_article())
        assert [b["data-sentence"] for b in buttons] == selection.ids
        assert all(b["aria-pressed"] == "false" and b["type"] == "button" for b in buttons)
        assert [b.get_text() for b in buttons] == [sentences[i].text for i in selection.ids]
        for group in soup.select(".cp-sentence-group"):
            assert soup.find(id=group["aria-labelledby"]).get_text().startswith("Párrafo ")
    else:
        assert buttons == []
    if item.type == TWO:
        secrets = [o.feedback for o in (*item.data.a.options, *item.data.b.options)]
    else:
        secrets = []
    secrets += list(selection.feedback.values()) if selection is not None else []
    assert secrets and not [text for text in secrets if text in html]
    data = item_to_json(item, with_key=False)
    assert "key" not in json.dumps(data) and "sentenceFeedback" not in json.dumps(data)


def test_two_parts_widget_has_a_fieldset_per_part(tmp_path: Path) -> None:
    item = load_item(tmp_path, TWO_PARTS)
    soup = BeautifulSoup(item.kind.widget(item), "html.parser")
    legends = [f.legend.get_text(" ", strip=True) for f in soup.select("fieldset.cp-part")]
    assert legends == ["Parte A. ¿Por qué?", "Parte B. ¿Qué cita lo apoya?"]
    assert {i["name"] for i in soup.select("[data-part=a] input")} == {"dos--a"}
    assert {i["type"] for i in soup.select("[data-part=b] input")} == {"radio"}
    assert "La parte B solo puntúa si la parte A es correcta." in soup.get_text()
    labels = [label.get_text() for label in soup.select("[data-part=b] label")]
    assert labels[0] == "«Más del 80% del petróleo de Kazajistán se exporta a través de Rusia»"


def test_text_is_escaped_in_the_widget(tmp_path: Path) -> None:
    item = load_item(tmp_path, SELECTION.replace("Marca la frase.", '"<b onclick=x>Marca</b>"'))
    assert "<b onclick" not in item.kind.widget(item)


def test_the_answers_template_lists_the_sentences_and_the_parts() -> None:
    template = render_template(BANK, with_key=True)
    assert "# Párrafo" not in template  # ids, not labels: the student writes "6.1"
    assert "#   6.1) Más del 80% del petróleo de Kazajistán" in template
    assert "#   6.2) Putin destaca" in template
    assert 'evidencia-importancia-petroleo: ["6.1"]' in template
    assert "# Parte A (a):" in template and "# Parte B (b):" in template
    assert '  b: ["2.2"]' in template


def test_reports_show_the_sentences_and_parts_by_their_text() -> None:
    item = BANK.item("evidencia-importancia-petroleo")
    shown = display_answer(item, ["6.2", "7.7"])
    assert shown.startswith("Párrafo 6, frase 2: «Putin destaca su cooperación constructiva…»")
    assert "«7.7» (no es ninguna frase de la pregunta)" in shown
    two = BANK.item("evidencia-prensa-dos-partes")
    shown = display_answer(two, {"a": "c", "b": ["2.2"]})
    assert shown.startswith("Parte A: Que los dos tienen la misma idea")
    assert "Parte B, Párrafo 2, frase 2: «Toqaev revela que leyó cuidadosamente…»" in shown


def test_answers_template_is_valid_yaml_for_the_new_types() -> None:
    import yaml

    data = yaml.safe_load(render_template(BANK, with_key=True))
    answers = data.get("answers", data)
    for item in EVIDENCE_ITEMS:
        assert grade_item(item, answers[item.id]).points == item.points, item.id


def test_a_class_run_grades_the_new_types_and_the_no_key_page_gives_nothing_away(
    tmp_path: Path,
) -> None:
    from .test_classgrade import answers_file, run, write

    answers = {
        "evidencia-importancia-petroleo": ["6.2"],
        "evidencia-nuclear-posible": ["9.1", "7.1"],
        "evidencia-prensa-dos-partes": {"a": "b", "b": ["2.2"]},
        "evidencia-petroleo-dos-partes": {"a": "a", "b": ["a", "c"]},
    }
    write(tmp_path / "in" / "a.json", answers_file(BANK, "a", "Ana", answers=answers))
    for include_key in (True, False):
        out = tmp_path / f"out-{include_key}"
        assert run(BANK, tmp_path / "in", out=out, include_key=include_key)[0] == 0
        page = (out / "feedback" / "a.html").read_text(encoding="utf-8")
        assert "Párrafo 6, frase 2: «Putin destaca su cooperación constructiva…»" in page
        assert "Parte A: Que cada uno prefiere los periódicos de su propio país." in page
        secrets = [
            "Esta frase cuenta lo que destaca Putin",  # a sentence's comment
            "La parte B no puntúa",  # says Part A is wrong
            "Es el dato que muestra la dependencia",  # a Part B option's feedback
        ]
        found = [text for text in secrets if text in page]
        assert found == (secrets if include_key else []), include_key
    with (out / "item_analysis.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["item"]: row for row in csv.DictReader(handle)}
    assert rows["evidencia-nuclear-posible"]["mean"] == "0.870"
    assert rows["evidencia-nuclear-posible"]["answers"] == "7.1+9.1: 1 (100 %)"
    assert rows["evidencia-prensa-dos-partes"]["mean"] == "0.000"
    assert rows["evidencia-petroleo-dos-partes"]["answers"] == "A:a B:a+c (clave): 1 (100 %)"


def test_every_text_of_the_parts_is_escaped(tmp_path: Path) -> None:
    from dataclasses import replace

    hostile = '"><img src=x onerror=alert(1)>'
    item = load_item(tmp_path, TWO_PARTS)
    data = item.data

    def choices(part: Any) -> Any:
        options = tuple(replace(o, text=hostile + o.text) for o in part.options)
        return replace(part, prompt=hostile + part.prompt, options=options)

    changed = replace(
        item, prompt=hostile, data=replace(data, a=choices(data.a), b=choices(data.b))
    )
    html = changed.kind.widget(changed)
    assert "<img" not in html and html.count("&lt;img") == 1 + 2 + 2 + 2


def test_the_answers_template_never_parts_a_name_from_its_letter_or_number() -> None:
    """«parte B», «párrafo 6»: a comment line never ends with the name while its letter or
    number starts the next one; and every comment line fits in 88 columns."""
    for with_key in (False, True):
        lines = render_template(BANK, with_key=with_key).splitlines()
        for line, following in pairwise(lines):
            if re.search(r"\b(?:parte|párrafo|frase|hueco)$", line, re.IGNORECASE):
                rest = following.lstrip(" #")
                assert not re.match(r"[A-Z0-9]", rest), (line, following)
        assert all(len(line) <= 88 for line in lines if line.lstrip().startswith("#"))


@pytest.mark.parametrize("item", [i for i in BANK.items if i.type == TWO], ids=lambda i: i.id)
def test_an_invalid_part_is_named_in_the_students_report_without_ids(item: Item) -> None:
    """The grading message names the part and lists the ids (for a hand-edited file); the
    student's report names the part and says what was expected in words, as the part's
    own type does."""
    key = item.kind.key_answer(item)
    wrong_b = ["99.9"] if item.data.b.selection is not None else "zz"
    for part, answer in (("A", {"a": "zz", "b": key["b"]}), ("B", {"a": key["a"], "b": wrong_b})):
        result = grade_item(item, answer)
        assert result.status is Status.INVALID
        (graded,) = result.feedback
        assert graded.startswith(f"Respuesta no válida: en la parte {part}, se esperaba ")
        (shown,) = student_feedback(item, result)
        assert shown.startswith(f"Respuesta no válida: en la parte {part}, se esperaba ")
        expected = {
            "opcion-unica": "una de las opciones de la pregunta.",
            "opcion-multiple": "una lista de opciones de la pregunta.",
        }
        kind = "opcion-unica" if part == "A" else item.data.b.kind
        if kind in expected:
            assert shown.endswith("se esperaba " + expected[kind]), shown
        else:  # a sentence selection: where the sentences are, no option id
            assert shown.endswith(f"se esperaba una lista de frases {item.data.b.selection.where}.")


def test_a_part_b_quote_that_is_not_verbatim_shows_the_closest_sentence(tmp_path: Path) -> None:
    """As an ``evidence`` quote: the closest sentence of the article and where the two part,
    as a ``comprende.evidence`` problem."""
    error, lines = error_of(
        tmp_path, TWO_PARTS.replace('"Reafirma este compromiso"', '"Reafirma su compromiso"')
    )
    assert error.message.startswith(
        "item 'dos', part_b: option 'y' is not a verbatim quote of one paragraph: "
        "'Reafirma su compromiso'\n"
        "  closest sentence (3.2: paragraph 3, sentence 2): «Reafirma este compromiso de "
        "fortalecer los lazos entre Moscú y Astana.»\n"
        "  they part at character 10 of the quote: 's'"
    ), error.message
    assert error.kind == "evidence"
    assert error.line == line_of(lines, "Reafirma su compromiso")


@pytest.mark.parametrize(
    ("old", "new", "suggestion"),
    [
        ("      type: opcion-unica", "      type: seleccionar-en-texto", "seleccionar-en-el-texto"),
        ("      type: opcion-unica", "      type: opcion-unca", "opcion-unica"),
        ("    points: 2\n", "    points: 2\n    scoring: dependiente\n", "dependent"),
        ("    points: 2\n", "    points: 2\n    scoring: independiente\n", "independent"),
    ],
)
def test_a_misspelt_part_b_type_or_scoring_gets_the_closest_valid_name(
    tmp_path: Path, old: str, new: str, suggestion: str
) -> None:
    error, lines = error_of(tmp_path, TWO_PARTS.replace(old, new))
    assert f"did you mean `{suggestion}`?" in error.message, error.message
    assert error.line == line_of(lines, new.strip().split("\n")[-1].strip())


def test_a_long_part_b_quote_that_is_not_verbatim_is_named_by_its_first_60_characters(
    tmp_path: Path,
) -> None:
    quote = (
        "Toqaev enfatiza que Kazajistán sigue siendo un socio estratégico y aliado fiel de Rusia"
    )
    error, _ = error_of(tmp_path, TWO_PARTS.replace('"Reafirma este compromiso"', f'"{quote}"'))
    first = error.message.splitlines()[0]
    assert first == (
        f"item 'dos', part_b: option 'y' is not a verbatim quote of one paragraph: {quote[:60]!r}"
    )


def test_a_part_b_without_a_type_is_refused_at_the_parts_line(tmp_path: Path) -> None:
    error, lines = error_of(tmp_path, TWO_PARTS.replace("      type: opcion-unica\n", ""))
    assert error.message == (
        "item 'dos', part_b: Part B's `type` must be one of: opcion-unica, opcion-multiple, "
        "seleccionar-en-el-texto"
    )
    assert error.line == line_of(lines, "prompt: ¿Qué cita")  # the part's first line


def test_a_no_break_space_of_the_authors_text_is_kept_in_the_template() -> None:
    from comprende.template import _comment

    text = "Más del 80\u00a0% sale por Rusia; responde a la parte B " + "palabra " * 12
    lines = _comment(text, "  ", width=40)
    assert "80\u00a0%" in "".join(lines)
    assert not any(line.endswith("parte") for line in lines)

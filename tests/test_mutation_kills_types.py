"""Each type's answer schema (published in esquema-respuestas.json, which students' and
instructors' tools check files against): the key passes, every wrong shape is refused.

Kills the schema mutants `make mutation` left alive in comprende/types/*.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from comprende.article import load_article
from comprende.bank import load_bank, parse_item
from comprende.errors import ComprendeError
from comprende.model import Item, ItemType
from comprende.schema import answer_schema
from comprende.template import key_answer
from comprende.yamlio import read_yaml

from .conftest import ROOT, SEED
from .export_support import SHIPPED_TYPES
from .vectors import load_vectors

BANK = load_bank(ROOT / "exercises")


def valid(item: Item, answer: Any) -> bool:
    schema = item.kind.answer_schema(item)
    validator = jsonschema.Draft202012Validator(schema)
    return validator.is_valid(answer)


def wrong_answers(item: Item) -> list[Any]:
    """Answers of the wrong shape for ``item`` (each must be refused)."""
    kind = item.type
    if kind == ItemType.TRUE_FALSE:
        return ["true", 1, None, [True]]
    if kind == ItemType.SINGLE:
        return ["zz", [item.options[0].id], None, 1]
    if kind == ItemType.MULTIPLE:
        first = item.options[0].id
        return [first, [first, first], ["zz"], {first: True}, None]
    if kind == ItemType.NUMERIC:
        return [True, [80], None, {"n": 80}]
    if kind == ItemType.SHORT:
        return [1.5, None, True, ["x"]]
    if kind == ItemType.CLOZE:
        first = item.blanks[0][0]
        return [{"zz": "x"}, {first: 1.5}, {first: ["x"]}, ["x"], "x", None]
    if kind == ItemType.MATCHING:
        left, right = item.left[0].id, item.right[0].id
        return [{left: "zz"}, {"zz": right}, {left: [right]}, [right], None]
    if kind == ItemType.ORDERING:
        ids = [e.id for e in item.elements]
        return [ids[:-1], [*ids, ids[0]], [*ids[:-1], ids[0]], [*ids[:-1], "zz"], {}, None]
    if kind == ItemType.OPEN:
        return [5, None, ["texto"], {"t": "x"}]
    if kind == "seleccionar-en-el-texto":
        first = item.data.ids[0]
        return [first, [first, first], ["99.99"], {first: True}, None]
    if kind == "dos-partes":
        key = key_answer(item)
        return [
            {**key, "c": key["a"]},
            {**key, "a": "zz"},
            {**key, "a": [key["a"]]},
            {**key, "b": "zz" if isinstance(key["b"], str) else ["zz"]},
            [key["a"], key["b"]],
            None,
        ]
    # A type added later has its own tests; every shipped type is listed above.
    assert kind not in SHIPPED_TYPES, f"no wrong shapes listed for {kind}: add them here"
    return []


@pytest.mark.parametrize("item", BANK.items, ids=lambda i: i.id)
def test_the_key_fits_the_schema_and_wrong_shapes_do_not(item: Item) -> None:
    assert valid(item, key_answer(item))
    assert [a for a in wrong_answers(item) if valid(item, a)] == []
    # the published schema lets every answer be null (not answered)
    assert jsonschema.Draft202012Validator(answer_schema(item)).is_valid(None)


def test_mappings_may_leave_entries_empty() -> None:
    for item in BANK.items:
        if item.type == ItemType.CLOZE:
            assert valid(item, {item.blanks[0][0]: None})
            assert valid(item, {item.blanks[0][0]: 7})  # a number typed in a blank
        if item.type == ItemType.MATCHING:
            assert valid(item, {item.left[0].id: None})
        if item.type == "dos-partes":
            assert valid(item, {"a": None, "b": None}) and valid(item, {})


def test_answers_of_several_choices_may_be_partial() -> None:
    for item in BANK.items:
        if item.type == ItemType.MULTIPLE:
            assert valid(item, [item.options[-1].id]) and valid(item, [])
        if item.type == "seleccionar-en-el-texto":
            assert valid(item, [item.data.ids[-1]])
        if item.type in (ItemType.NUMERIC, ItemType.SHORT):
            assert valid(item, "80,5") and valid(item, 80)
        if item.type == ItemType.NUMERIC:
            assert valid(item, 80.5)


def test_the_schema_never_lists_an_order_in_the_key_order() -> None:
    for item in BANK.items:
        if item.type == ItemType.ORDERING:
            listed = item.kind.answer_schema(item)["items"]["enum"]
            assert sorted(listed) == sorted(e.id for e in item.elements)
            assert listed != [e.id for e in item.elements]
        if item.type == ItemType.MATCHING:
            enums = [p["enum"] for p in item.kind.answer_schema(item)["properties"].values()]
            assert all(e == enums[0] for e in enums) and enums[0][-1] is None
            key_order = list(dict.fromkeys(item.pairs[c.id] for c in item.left))
            assert enums[0][: len(key_order)] != key_order


def test_every_type_of_the_bank_is_checked() -> None:
    kinds = {i.type for i in BANK.items}
    assert {*ItemType, "seleccionar-en-el-texto", "dos-partes"} <= kinds


# ------------------------------------------------------------------ the evidence types' loading

PART_B = """\
    part_b:
      type: opcion-multiple
      prompt: ¿Qué dos citas del artículo apoyan tu respuesta a la parte A?
"""
SECOND_B = """\
          text: "Putin destaca su cooperación constructiva en el sector del petróleo y gas"
"""


@pytest.fixture
def evidence_set(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "exercises" / "evidencia.yaml"


def refused(path: Path, old: str, new: str, at: str) -> ComprendeError:
    """Load the bank with ``old`` changed to ``new``; the error must point at ``at``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ComprendeError) as caught:
        load_bank(path.parent)
    error = caught.value
    start = text.index(new) + new.index(at) if at in new else text.index(at)
    assert (Path(error.path).name, error.line) == (path.name, text[:start].count("\n") + 1), error
    return error


def test_a_part_b_without_its_type_is_refused(evidence_set: Path) -> None:
    new = PART_B.replace("      type: opcion-multiple\n", "")
    error = refused(evidence_set, PART_B, new, "      prompt:")  # the mapping's first line
    assert "Part B's `type` must be one of: " in error.message and "(not" not in error.message
    assert "seleccionar-en-el-texto" in error.message


def test_a_part_b_of_another_type_is_refused_at_its_type(evidence_set: Path) -> None:
    error = refused(evidence_set, PART_B, PART_B.replace("opcion-multiple", "huecos"), "type:")
    assert "(not 'huecos')" in error.message
    assert "write e.g. `type: seleccionar-en-el-texto`" in error.fix


def test_a_multiple_choice_part_b_needs_two_right_options(evidence_set: Path) -> None:
    text = evidence_set.read_text(encoding="utf-8")
    start = text.index(PART_B)
    first = text.index("          correct: true\n", start)
    second = text.index("          correct: true\n", first + 1)
    evidence_set.write_text(text[:second] + text[second + 24 :], encoding="utf-8")
    with pytest.raises(ComprendeError, match="needs two or more correct options") as caught:
        load_bank(evidence_set.parent)
    assert caught.value.line == text[: text.index("      options:", start)].count("\n") + 1


PARAGRAPH = "    paragraph: 6\n"


@pytest.mark.parametrize("paragraph", [0, 12, -1])
def test_a_selection_in_a_paragraph_the_article_lacks_is_refused(
    evidence_set: Path, paragraph: int
) -> None:
    error = refused(evidence_set, PARAGRAPH, f"    paragraph: {paragraph}\n", "paragraph:")
    assert str(paragraph) in error.message


def test_a_selection_in_the_first_paragraph(evidence_set: Path) -> None:
    text = evidence_set.read_text(encoding="utf-8")
    old = (
        PARAGRAPH + "    evidence:\n"
        '      - "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"\n'
    )
    assert old in text
    new = '    paragraph: 1\n    evidence:\n      - "La visita se produce en un momento crítico"\n'
    text = text.replace(old, new, 1).replace('      "6.2": >-\n', '      "1.1": >-\n', 1)
    evidence_set.write_text(text, encoding="utf-8")
    item = load_bank(evidence_set.parent).by_id["evidencia-importancia-petroleo"]
    assert {i.split(".")[0] for i in item.data.ids} == {"1"}
    assert key_answer(item) == ["1.2"]


def test_the_last_paragraph_is_in_the_article(evidence_set: Path) -> None:
    """Paragraph 11 exists (its one sentence is the key, so there is nothing to choose)."""
    text = evidence_set.read_text(encoding="utf-8")
    old = (
        PARAGRAPH + "    evidence:\n"
        '      - "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"\n'
    )
    new = '    paragraph: 11\n    evidence:\n      - "esta visita estatal refuerza la alianza duradera"\n'
    evidence_set.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ComprendeError, match="every sentence of paragraph 11 is a key sentence"):
        load_bank(evidence_set.parent)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('      "6.2": >-\n', "      6.10: >-\n", "was read as the number 6.1"),
        (
            '      "6.2": >-\n',
            '      "5.1": >-\n',
            "`feedback` names '5.1', which is not a sentence",
        ),
        (
            '      "3.2": Esta frase habla del compromiso de reforzar los lazos, no de una distancia.\n',
            '      "3.2": "  "\n',
            "the feedback for '3.2' must be a text",
        ),
    ],
)
def test_a_selection_feedback_that_names_no_candidate_is_refused(
    evidence_set: Path, old: str, new: str, message: str
) -> None:
    text = evidence_set.read_text(encoding="utf-8").replace(old, new, 1)
    evidence_set.write_text(text, encoding="utf-8")
    with pytest.raises(ComprendeError) as caught:
        load_bank(evidence_set.parent)
    feedback_line = text[: text.rindex("    feedback:", 0, text.index(new))].count("\n") + 1
    assert caught.value.line == feedback_line  # the item's `feedback:` line
    assert message in caught.value.message


def test_the_answers_template_writes_mapping_keys_readably() -> None:
    """A blank's key with an accent is written as typed, and the empty template has none."""
    from comprende.template import render_template

    item = next(i for i in BANK.items if i.type == ItemType.CLOZE)
    keyed, empty = render_template(BANK, with_key=True), render_template(BANK)
    names = [name for name, _ in item.blanks]
    block = keyed[keyed.index(f"{item.id}:") :].splitlines()[1 : 1 + len(names)]
    assert block == [f'    {n}: "{key_answer(item)[n]}"' for n in names]
    assert any(not line.isascii() for line in block)  # e.g. "visión", not "visi\u00f3n"
    block = empty[empty.index(f"{item.id}:") :].splitlines()[1 : 1 + len(names)]
    assert block == [f"    {n}:" for n in names]


def test_the_page_data_of_choices_in_each_mode() -> None:
    """What the page's script gets of each option: the key only in practice mode."""
    from comprende.pagedata import item_to_json

    item = next(i for i in BANK.items if i.type == ItemType.SINGLE)
    exam = item_to_json(item, with_key=False)["options"]
    practice = item_to_json(item, with_key=True)["options"]
    assert exam == [{"id": o.id, "text": o.text} for o in item.options]
    assert practice == [
        {"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
        for o in item.options
    ]


# ------------------------------------------------------------------ each type's loading errors
# A vector item (tests/data/grading_vectors.yaml) with one change must be refused with
# the whole message, at its line, with its fix: an author reads all three.

VECTOR_TEXT = (ROOT / "tests" / "data" / "grading_vectors.yaml").read_text(encoding="utf-8")
ARTICLE = load_article(SEED)


def vector_block(item_id: str) -> str:
    start = VECTOR_TEXT.index(f"  - id: {item_id}\n")
    end = min(
        i
        for i in (
            VECTOR_TEXT.find("\n  - id: ", start + 1),
            VECTOR_TEXT.find("\n  # ", start + 1),
            VECTOR_TEXT.find("\ncases:", start + 1),
        )
        if i > 0
    )
    return VECTOR_TEXT[start : end + 1]


def refusal(tmp_path: Path, item_id: str, old: str, new: str) -> tuple[str, ComprendeError]:
    text = "items:\n" + vector_block(item_id)
    assert old in text, old
    text = text.replace(old, new, 1)
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    entry = read_yaml(path)["items"][0]
    with pytest.raises(ComprendeError) as caught:
        parse_item(entry, "vectors", path, ARTICLE)
    return text, caught.value


def line_at(text: str, fragment: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(fragment, start)].count("\n") + 1


DP_A_OPTIONS = "      options:\n        - {id: a, text: Porque Rusia"
DP_Y = '        - {id: y, text: "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia", correct: true,'
P6_TWO = "la colaboración entre los dos líderes. Putin destaca su cooperación constructiva"
P3_LONG = "Kazajistán sigue siendo un socio estratégico y aliado firme de Rusia"

# (case, item, old, new, where the error points: (fragment, after), message, fix)
TYPE_ERRORS: list[tuple[str, str, str, str, tuple[str, str], str, str]] = [
    (
        "dos-partes scoring",
        "dp-unica",
        "    points: 2\n",
        "    points: 2\n    scoring: sometimes\n",
        ("    scoring:", ""),
        "item 'dp-unica': `scoring` must be dependent or independent, not 'sometimes'",
        "dependent (the default): Part B counts only when Part A is right",
    ),
    (
        "dos-partes part_a missing",
        "dp-unica",
        "    part_a:\n      prompt: ¿Por qué necesita Kazajistán a Rusia?\n",
        "    parta:\n      prompt: ¿Por qué necesita Kazajistán a Rusia?\n",
        ("    parta:", ""),
        "item 'dp-unica': unknown field `parta` for type dos-partes: did you mean `part_a`?",
        "fields of this type: context, part_a, part_b, scoring",
    ),
    (
        "dos-partes unknown field in part_a",
        "dp-unica",
        "      prompt: ¿Por qué necesita Kazajistán a Rusia?\n",
        "      prompt: ¿Por qué necesita Kazajistán a Rusia?\n      option: x\n",
        ("      option:", ""),
        "item 'dp-unica', part_a: unknown field `option` in part_a: did you mean `options`?",
        "fields: options, prompt",
    ),
    (
        "dos-partes part_a two right",
        "dp-unica",
        "text: Porque firman una alianza militar., feedback",
        "text: Porque firman una alianza militar., correct: true, feedback",
        ("      options:", ""),
        "item 'dp-unica', part_a: Part A needs exactly one option with `correct: true`",
        "",
    ),
    (
        "dos-partes part_b without type",
        "dp-unica",
        "      type: opcion-unica\n",
        "",
        ("      prompt: ¿Qué cita", ""),
        "item 'dp-unica', part_b: Part B's `type` must be one of: "
        "opcion-unica, opcion-multiple, seleccionar-en-el-texto",
        "write e.g. `type: seleccionar-en-el-texto`",
    ),
    (
        "dos-partes part_b of another type",
        "dp-unica",
        "      type: opcion-unica\n      prompt: ¿Qué cita apoya tu respuesta?\n",
        "      prompt: ¿Qué cita apoya tu respuesta?\n      type: huecos\n",
        ("      type: huecos", ""),
        "item 'dp-unica', part_b: Part B's `type` must be one of: "
        "opcion-unica, opcion-multiple, seleccionar-en-el-texto (not 'huecos')",
        "write e.g. `type: seleccionar-en-el-texto`",
    ),
    (
        "dos-partes field of another part_b type",
        "dp-unica",
        "      type: opcion-unica\n",
        "      type: opcion-unica\n      paragraph: 6\n",
        ("      paragraph:", ""),
        "item 'dp-unica', part_b: unknown field `paragraph` in a part_b of type opcion-unica",
        "fields: options, prompt, type",
    ),
    (
        "dos-partes single part_b without a right option",
        "dp-unica",
        'Rusia", correct: true, feedback',
        'Rusia", feedback',
        ("      options:", "    part_b:"),
        "item 'dp-unica', part_b: an opcion-unica Part B needs exactly one `correct: true`",
        "",
    ),
    (
        "dos-partes multiple part_b with one right option",
        "dp-multiple-independiente",
        'exportaciones de petróleo", correct: true,',
        'exportaciones de petróleo",',
        ("      options:", "    part_b:"),
        "item 'dp-multiple-independiente', part_b: an opcion-multiple Part B needs two or "
        "more correct options and at least one wrong",
        "",
    ),
    (
        "dos-partes part_b option not a quote",
        "dp-unica",
        '"Putin destaca su cooperación constructiva"',
        '"Putin no destaca nada"',
        ("        - {id: x", ""),
        "item 'dp-unica', part_b: option 'x' is not a verbatim quote of one paragraph: "
        "'Putin no destaca nada'\n"
        "  closest sentence (6.2: paragraph 6, sentence 2): «Putin destaca su cooperación "
        "constructiva en el sector del petróleo y gas, enfatizando sus esfuerzos conjuntos "
        "para lograr resultados tangibles.»\n"
        "  they part at character 8 of the quote: 'o' (U+006F LATIN SMALL LETTER O) in the "
        "quote, 'n' (U+006E LATIN SMALL LETTER N) in the article\n"
        "    quote:   «Putin no destaca nada»\n"
        "    article: …s. Putin destaca su cooperación…\n"
        "                     ^",
        "Part B's options are quotes: copy the words from seeds/ exactly",
    ),
    (
        "dos-partes right option not in the evidence",
        "dp-unica",
        'evidence: ["Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"]',
        'evidence: ["Más del 80% del petróleo de Kazajistán"]',
        ("        - {id: y", ""),
        "item 'dp-unica', part_b: the right option 'y' is not one of the item's `evidence`",
        "list its text, exactly, under the item's `evidence:`",
    ),
    (
        "selection paragraph past the end",
        "sel-p6",
        "    paragraph: 6\n",
        "    paragraph: 12\n",
        ("    paragraph:", ""),
        "item 'sel-p6': paragraph 12 does not exist: the article has 11",
        "write a number from 1 to 11, or remove `paragraph` to select in the whole article",
    ),
    (
        "selection paragraph not a number",
        "sel-p6",
        "    paragraph: 6\n",
        "    paragraph: seis\n",
        ("    paragraph:", ""),
        "item 'sel-p6': `paragraph` must be a number",
        "a paragraph number, 1 to 11",
    ),
    (
        "selection of every sentence of its paragraph",
        "sel-p6",
        'exporta a través de Rusia"]',
        'exporta a través de Rusia", "Putin destaca su cooperación constructiva"]',
        ("    paragraph:", ""),
        "item 'sel-p6': every sentence of paragraph 6 is a key sentence, so there is nothing "
        "to tell apart",
        "remove `paragraph` to select in the whole article, or choose another paragraph",
    ),
    (
        "selection evidence in two sentences",
        "sel-p6",
        '["Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"]',
        '["del petróleo"]',
        ("    evidence:", ""),
        "item 'sel-p6': evidence 'del petróleo' is in 2 sentences",
        "quote enough words to name one sentence",
    ),
    (
        "selection evidence outside the paragraph",
        "sel-p6",
        '["Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"]',
        f'["{P3_LONG}"]',
        ("    evidence:", ""),
        f"item 'sel-p6': evidence {P3_LONG[:60]!r} is not in the sentences the learner can mark",
        "quote a sentence of the item's `paragraph`, or change `paragraph`",
    ),
    (
        "selection evidence over two sentences",
        "sel-p6",
        '["Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"]',
        f'["{P6_TWO}"]',
        ("    evidence:", ""),
        f"item 'sel-p6': evidence {P6_TWO[:60]!r} runs over more than one sentence",
        "quote each key sentence on its own line (the key is the sentences quoted)",
    ),
    (
        "selection feedback not a mapping",
        "sel-p6",
        '    feedback:\n      "6.2": "Esta frase cuenta lo que destaca Putin."\n',
        "    feedback: Bien.\n",
        ("    feedback:", ""),
        "item 'sel-p6': `feedback` must be a mapping",
        'e.g. feedback: {"3.1": …}',
    ),
    (
        "selection feedback id read as a number",
        "sel-p6",
        '      "6.2": "Esta',
        '      6.20: "Esta',
        ("    feedback:", ""),
        "item 'sel-p6': a sentence id under `feedback` was read as the number 6.2",
        'write sentence ids between quotes, e.g. "3.1": YAML reads 3.10 as 3.1',
    ),
    (
        "selection feedback for no candidate",
        "sel-p6",
        '      "6.2": "Esta',
        '      "6.3": "Esta',
        ("    feedback:", ""),
        "item 'sel-p6': `feedback` names '6.3', which is not a sentence the learner can mark",
        "use ids paragraph.sentence of the candidates: 6.1, 6.2",
    ),
    (
        "dos-partes part_a absent",
        "dp-unica",
        "    part_a:\n      prompt: ¿Por qué necesita Kazajistán a Rusia?\n      options:\n"
        '        - {id: a, text: Porque Rusia compra su petróleo., feedback: "No: el petróleo '
        'pasa por Rusia."}\n        - {id: b, text: Porque firman una alianza militar., '
        'feedback: "No: no hay alianza militar."}\n        - {id: c, text: Porque su petróleo '
        'sale por Rusia., correct: true, feedback: "Correcto: sale a través de Rusia."}\n',
        "",
        ("  - id: dp-unica", ""),
        "item 'dp-unica': `part_a` is missing",
        "give `part_a:` its `prompt:` and the rest of the part",
    ),
    (
        "cloze without a blank",
        "hu-resumen",
        "socio [[b1]] de",
        "socio de",
        ("    blanks:", ""),
        "item 'hu-resumen': `blanks` must define exactly the blanks of the text: b2, b3",
        "",
    ),
    (
        "cloze text with no blank",
        "hu-resumen",
        "    text: >-\n      Kazajistán sigue siendo un socio [[b1]] de Rusia. Más del 80 % del [[b2]]\n"
        "      kazajo se exporta a través de Rusia. Rosatom es la corporación [[b3]]\n"
        "      estatal de Rusia.\n",
        "    text: Sin huecos.\n",
        ("    text:", ""),
        "item 'hu-resumen': the text has no [[blank]]",
        "mark each blank as [[name]]",
    ),
    (
        "cloze blank twice",
        "hu-resumen",
        "del [[b2]]",
        "del [[b1]]",
        ("    text:", ""),
        "item 'hu-resumen': a blank name appears twice in the text",
        "",
    ),
    (
        "cloze blanks of another text",
        "hu-resumen",
        "      b3:\n",
        "      b4:\n",
        ("    blanks:", ""),
        "item 'hu-resumen': `blanks` must define exactly the blanks of the text: b1, b2, b3",
        "",
    ),
    (
        "cloze without blanks",
        "hu-resumen",
        "    blanks:\n      b1:",
        "    otros:\n      b1:",
        ("    otros:", ""),
        "item 'hu-resumen': unknown field `otros` for type huecos",
        "fields of this type: blanks, context, text",
    ),
    (
        "cloze with no blanks field",
        "hu-resumen",
        '    blanks:\n      b1:\n        accept: ["estratégico"]\n      b2:\n        accept: ["petróleo"]\n'
        '        normalize:\n          accents: optional\n      b3:\n        accept: ["nuclear"]\n'
        "        normalize:\n          typos: 1\n        wrong:\n          - answer: petrolera\n"
        '            feedback: "No: Rosatom se dedica a la energía nuclear."\n',
        "",
        ("  - id: hu-resumen", ""),
        "item 'hu-resumen': `blanks` is missing",
        "give each blank its `accept:` list",
    ),
    (
        "cloze blank not a mapping",
        "hu-resumen",
        '      b1:\n        accept: ["estratégico"]\n',
        "      b1: estratégico\n",
        ("    blanks:", ""),
        "item 'hu-resumen': `blanks` entries must be mappings",
        "write `- id: …` entries",
    ),
    (
        "cloze blank with a misspelt field",
        "hu-resumen",
        '        accept: ["estratégico"]\n',
        '        acept: ["estratégico"]\n',
        ("        acept:", ""),
        "item 'hu-resumen', blank 'b1': unknown field `acept`: did you mean `accept`?",
        "fields: accept, feedback_incorrect, normalize, wrong",
    ),
    (
        "cloze blank accepting nothing",
        "hu-resumen",
        '        accept: ["estratégico"]\n',
        "        accept: []\n",
        ("        accept: []", ""),
        "item 'hu-resumen', blank 'b1': `accept` must list one or more answers as text",
        "",
    ),
    (
        "cloze wrong answer not a mapping",
        "hu-resumen",
        "          - answer: petrolera\n"
        '            feedback: "No: Rosatom se dedica a la energía nuclear."\n',
        "          - petrolera\n",
        ("        wrong:", ""),
        "item 'hu-resumen', blank 'b3': `wrong` entries must be mappings",
        "write `- id: …` entries",
    ),
    (
        "cloze wrong answer without feedback",
        "hu-resumen",
        '            feedback: "No: Rosatom se dedica a la energía nuclear."\n',
        "",
        ("          - answer: petrolera", ""),
        "item 'hu-resumen', blank 'b3', wrong answer: `feedback` is missing",
        "add `feedback:`",
    ),
    (
        "cloze too many typos",
        "hu-resumen",
        "          typos: 1\n",
        "          case: exact\n          typos: 4\n",
        ("          typos:", ""),
        "item 'hu-resumen', blank 'b3', normalize: `typos` must be 0, 1, 2 or 3",
        "",
    ),
    (
        "cloze accents neither required nor optional",
        "hu-resumen",
        "          accents: optional\n",
        "          case: exact\n          accents: sometimes\n",
        ("          accents:", ""),
        "item 'hu-resumen', blank 'b2', normalize: `accents` must be required or optional",
        "",
    ),
    (
        "cloze misspelt setting",
        "hu-resumen",
        "          accents: optional\n",
        "          case: exact\n          acents: optional\n",
        ("          acents:", ""),
        "item 'hu-resumen', blank 'b2', normalize: unknown setting `acents`: did you mean "
        "`accents`?",
        "use case, accents, punctuation or typos",
    ),
    (
        "cloze misspelt typos",
        "hu-resumen",
        "          typos: 1\n",
        "          case: exact\n          typo: 1\n",
        ("          typo:", ""),
        "item 'hu-resumen', blank 'b3', normalize: unknown setting `typo`: did you mean `typos`?",
        "use case, accents, punctuation or typos",
    ),
    (
        "short answer without accept",
        "rc-moscu",
        '    accept: ["Moscú"]\n',
        "",
        ("  - id: rc-moscu", ""),
        "item 'rc-moscu': `accept` is missing",
        'list the accepted answers, e.g. accept: ["Astana"]',
    ),
    (
        "short answer accepting a blank",
        "rc-moscu",
        '    accept: ["Moscú"]\n',
        '    accept: ["Moscú", " "]\n',
        ("    accept:", ""),
        "item 'rc-moscu': `accept` must list one or more answers as text",
        "",
    ),
    (
        "short answer accepting a list",
        "rc-moscu",
        '    accept: ["Moscú"]\n',
        "    accept: [[Moscú]]\n",
        ("    accept:", ""),
        "item 'rc-moscu': `accept` must list one or more answers as text",
        "",
    ),
    (
        "short answer accepting a boolean",
        "rc-moscu",
        '    accept: ["Moscú"]\n',
        "    accept: [true]\n",
        ("    accept:", ""),
        "item 'rc-moscu': `accept` must list one or more answers as text",
        "",
    ),
    (
        "short answer accepting nothing",
        "rc-moscu",
        '    accept: ["Moscú"]\n',
        "    accept: []\n",
        ("    accept:", ""),
        "item 'rc-moscu': `accept` must list one or more answers as text",
        "",
    ),
    (
        "short answer with negative typos",
        "rc-moscu",
        '    accept: ["Moscú"]\n',
        '    accept: ["Moscú"]\n    normalize: {typos: -1}\n',
        ("    normalize:", ""),
        "item 'rc-moscu', normalize: `typos` must be 0, 1, 2 or 3",
        "",
    ),
    (
        "number without key",
        "num-porcentaje",
        "    key: 80\n",
        "",
        ("  - id: num-porcentaje", ""),
        "item 'num-porcentaje': `key` is missing",
        "write the number, e.g. `key: 80`",
    ),
    (
        "number key as text",
        "num-porcentaje",
        "    key: 80\n",
        "    key: ochenta\n",
        ("    key:", ""),
        "item 'num-porcentaje': `key` must be a number",
        "write the number, e.g. `key: 80`",
    ),
    (
        "number tolerance negative",
        "num-porcentaje",
        "    tolerance: 0.5\n",
        "    tolerance: -1\n",
        ("    tolerance:", ""),
        "item 'num-porcentaje': `tolerance` cannot be negative",
        "",
    ),
    (
        "number wrong answer as text",
        "num-porcentaje",
        "      - answer: 20\n",
        "      - answer: veinte\n",
        ("      - answer:", ""),
        "item 'num-porcentaje', wrong answer: `answer` must be a number",
        "",
    ),
    (
        "true-false without key",
        "vf-verdadero",
        "    key: true\n",
        "",
        ("  - id: vf-verdadero", ""),
        "item 'vf-verdadero': `key` is missing",
        "write `key: true` or `key: false`",
    ),
    (
        "true-false feedback as one text",
        "vf-verdadero",
        '    feedback:\n      true: "Correcto: lo dice el párrafo 2."\n'
        '      false: "No: el párrafo 2 dice que llega a Astana el 27 de noviembre."\n',
        '    feedback: "Correcto."\n',
        ("    feedback:", ""),
        "item 'vf-verdadero': `feedback` must be a mapping",
        "give feedback for both answers: feedback: {true: …, false: …}",
    ),
    (
        "true-false blank feedback",
        "vf-verdadero",
        '      false: "No: el párrafo 2 dice que llega a Astana el 27 de noviembre."\n',
        '      false: " "\n',
        ("    feedback:", ""),
        "item 'vf-verdadero': `feedback` needs a text for `true` and for `false`",
        "",
    ),
    (
        "true-false feedback for one answer",
        "vf-verdadero",
        '      false: "No: el párrafo 2 dice que llega a Astana el 27 de noviembre."\n',
        "",
        ("    feedback:", ""),
        "item 'vf-verdadero': `feedback` needs a text for `true` and for `false`",
        "",
    ),
    (
        "choice id with a space",
        "ou-ciudad",
        "      - id: b\n",
        '      - id: "b c"\n',
        ('      - id: "b c"', ""),
        "item 'ou-ciudad', options: id 'b c' has characters an id cannot have",
        "use letters, digits, - and _ only, e.g. `id: a`",
    ),
    (
        "choice id twice",
        "ou-ciudad",
        "      - id: b\n",
        "      - id: a\n",
        ("      - id: a", "Correcto: el párrafo 2"),
        "item 'ou-ciudad', options: id 'a' is used twice",
        "give each a different id",
    ),
    (
        "choice id a list",
        "ou-ciudad",
        "      - id: b\n",
        "      - id: [b]\n",
        ("      - id: [b]", ""),
        "item 'ou-ciudad', options: `id` must be text or a number",
        "",
    ),
    (
        "short answer wrong answer a list",
        "rc-moscu",
        "      - answer: Astana\n",
        "      - answer: [Astana]\n",
        ("      - answer:", ""),
        "item 'rc-moscu', wrong answer: `answer` must be text or a number",
        "",
    ),
    (
        "choices missing",
        "ou-ciudad",
        '    options:\n      - id: a\n        text: Astana\n        correct: true\n        feedback: "Correcto: el párrafo 2 dice «al llegar a Astana»."\n      - id: b\n        text: Almaty\n        feedback: "No: Almaty es la ciudad más poblada, pero Putin llega a Astana."\n      - id: c\n        text: Moscú\n        feedback: "No: Moscú es la capital de Rusia."\n      - id: d\n        text: Biskek\n        feedback: "No: Biskek es la capital de Kirguistán."\n',
        "",
        ("  - id: ou-ciudad", ""),
        "item 'ou-ciudad': `options` is missing",
        "list the options as `- id: a` / `text: …` mappings",
    ),
    (
        "choice not a mapping",
        "ou-ciudad",
        '      - id: b\n        text: Almaty\n        feedback: "No: Almaty es la ciudad más poblada, pero Putin llega a Astana."\n',
        "      - Almaty\n",
        ("    options:", ""),
        "item 'ou-ciudad': `options` entries must be mappings",
        "write `- id: …` entries",
    ),
    (
        "choice id with a space after the text",
        "ou-ciudad",
        "      - id: b\n        text: Almaty\n",
        '      - text: Almaty\n        id: "b c"\n',
        ('        id: "b c"', ""),
        "item 'ou-ciudad', options: id 'b c' has characters an id cannot have",
        "use letters, digits, - and _ only, e.g. `id: a`",
    ),
    (
        "choice id twice after the text",
        "ou-ciudad",
        "      - id: b\n        text: Almaty\n",
        "      - text: Almaty\n        id: a\n",
        ("        id: a", ""),
        "item 'ou-ciudad', options: id 'a' is used twice",
        "give each a different id",
    ),
    (
        "matching entry with feedback",
        "rel-temas",
        "      - {id: l1, text: El petróleo}\n",
        "      - {id: l1, text: El petróleo, feedback: Bien.}\n",
        ("      - {id: l1", ""),
        "item 'rel-temas', left: unknown field `feedback`",
        "fields: id, text",
    ),
    (
        "choice without feedback",
        "ou-ciudad",
        '        feedback: "No: Moscú es la capital de Rusia."\n',
        "",
        ("      - id: c", ""),
        "item 'ou-ciudad', options: option 'c' has no feedback",
        "say why it is right or wrong",
    ),
    (
        "choice with a misspelt field",
        "ou-ciudad",
        "        text: Almaty\n",
        "        txt: Almaty\n",
        ("        txt:", ""),
        "item 'ou-ciudad', options: unknown field `txt`: did you mean `text`?",
        "fields: correct, feedback, id, text",
    ),
    (
        "single choice of one option",
        "ou-ciudad",
        '      - id: b\n        text: Almaty\n        feedback: "No: Almaty es la ciudad más '
        'poblada, pero Putin llega a Astana."\n      - id: c\n        text: Moscú\n'
        '        feedback: "No: Moscú es la capital de Rusia."\n      - id: d\n'
        '        text: Biskek\n        feedback: "No: Biskek es la capital de Kirguistán."\n',
        "",
        ("    options:", ""),
        "item 'ou-ciudad': `options` needs at least two entries",
        "",
    ),
    (
        "single choice with two right options",
        "ou-ciudad",
        "        text: Almaty\n",
        "        text: Almaty\n        correct: true\n",
        ("    options:", ""),
        "item 'ou-ciudad': a single-choice item needs exactly one option with `correct: true`",
        "",
    ),
    (
        "multiple choice with one right option",
        "om-2de5",
        "        text: Electricidad\n        correct: true\n",
        "        text: Electricidad\n",
        ("    options:", ""),
        "item 'om-2de5': a multiple-choice item needs two or more correct options and at least "
        "one wrong",
        "use opcion-unica for a single correct option",
    ),
    (
        "matching key without a left id",
        "rel-temas",
        "    key: {l1: r3, l2: r1, l3: r5, l4: r2}\n",
        "    key: {l1: r3, l2: r1, l3: r5}\n",
        ("    key:", ""),
        "item 'rel-temas': `key` must map every left id, and only those",
        "",
    ),
    (
        "matching key to an unknown right id",
        "rel-temas",
        "    key: {l1: r3, l2: r1, l3: r5, l4: r2}\n",
        "    key: {l1: r3, l2: r9, l3: r5, l4: r8}\n",
        ("    key:", ""),
        "item 'rel-temas': `key` points to unknown right ids: r8, r9",
        "",
    ),
    (
        "matching key in the lists' order",
        "rel-temas",
        "    key: {l1: r3, l2: r1, l3: r5, l4: r2}\n",
        "    key: {l1: r1, l2: r2, l3: r3, l4: r4}\n",
        ("    key:", ""),
        "item 'rel-temas': the key pairs each left entry with the right entry in the same position",
        "list the right entries in another order, so ids do not give the key away",
    ),
    (
        "matching key not a mapping",
        "rel-temas",
        "    key: {l1: r3, l2: r1, l3: r5, l4: r2}\n",
        "    key: [r3, r1, r5, r2]\n",
        ("    key:", ""),
        "item 'rel-temas': `key` must be a mapping",
        "map every left id to a right id: key: {l1: r2, …}",
    ),
    (
        "matching feedback by a right id",
        "rel-temas",
        '      l3: "Relee',
        '      r5: "Relee',
        ("    feedback:", ""),
        "item 'rel-temas': `feedback` is keyed by left ids",
        "",
    ),
    (
        "ordering of two elements",
        "ord-4",
        "      - {id: idioma, text: Putin agradece la atención al idioma ruso.}\n"
        "      - {id: rosatom, text: Putin habla de Rosatom.}\n",
        "",
        ("    elements:", ""),
        "item 'ord-4': an ordering item needs at least three elements",
        "",
    ),
    (
        "open response rubric that adds up to more",
        "ab-resumen",
        "        points: 1\n      - criterion: Nombra",
        "        points: 1.5\n      - criterion: Nombra",
        ("    rubric:", ""),
        "item 'ab-resumen': the rubric's points add up to 2.5, not 2",
        "make the criteria's points add up to the item's `points`",
    ),
    (
        "open response rubric empty",
        "ab-resumen",
        "    rubric:\n      - criterion: Dice quién visita a quién.\n        points: 1\n"
        "      - criterion: Nombra un tema de la visita.\n        points: 1\n",
        "    rubric: []\n",
        ("    rubric:", ""),
        "item 'ab-resumen': `rubric` is empty",
        "",
    ),
    (
        "open response rubric not a list",
        "ab-resumen",
        "    rubric:\n      - criterion: Dice quién visita a quién.\n        points: 1\n"
        "      - criterion: Nombra un tema de la visita.\n        points: 1\n",
        "    rubric: Una idea.\n",
        ("    rubric:", ""),
        "item 'ab-resumen': `rubric` must be a list",
        "list the criteria: - criterion: … / points: 1",
    ),
    (
        "open response criterion without points",
        "ab-resumen",
        "        points: 1\n      - criterion: Nombra",
        "      - criterion: Nombra",
        ("      - criterion: Dice", ""),
        "item 'ab-resumen', rubric: `points` is missing",
        "add `points:`",
    ),
    (
        "open response criterion misspelt",
        "ab-resumen",
        "      - criterion: Dice",
        "      - criterio: Dice",
        ("      - criterio: Dice", ""),
        "item 'ab-resumen', rubric: unknown field `criterio`: did you mean `criterion`?",
        "fields: criterion, points",
    ),
    (
        "open response criterion not a mapping",
        "ab-resumen",
        "      - criterion: Dice quién visita a quién.\n        points: 1\n",
        "      - Dice quién visita a quién.\n",
        ("    rubric:", ""),
        "item 'ab-resumen': `rubric` entries must be mappings",
        "write `- id: …` entries",
    ),
    (
        "open response max_words below min_words",
        "ab-resumen",
        "    max_words: 30\n",
        "    max_words: 3\n",
        ("    max_words:", ""),
        "item 'ab-resumen': `max_words` is below `min_words`",
        "",
    ),
]


@pytest.mark.parametrize(
    ("item_id", "old", "new", "at", "message", "fix"),
    [c[1:] for c in TYPE_ERRORS],
    ids=[c[0] for c in TYPE_ERRORS],
)
def test_each_types_loading_errors_whole(
    tmp_path: Path, item_id: str, old: str, new: str, at: tuple[str, str], message: str, fix: str
) -> None:
    text, error = refusal(tmp_path, item_id, old, new)
    assert (error.message, error.fix) == (message, fix)
    assert error.line == line_at(text, *at)


@pytest.mark.parametrize(
    ("ids", "refused"),
    [
        (("p1", "p2", "p10", "p11"), True),  # in order, numbers read as numbers
        (("a", "b", "c", "d"), True),
        (("p2", "p10", "p1", "p11"), False),
        (("p1", "p10", "p11", "p2"), False),  # sorted as text, not in natural order
    ],
)
def test_ordering_ids_may_not_sort_into_the_key(
    tmp_path: Path, ids: tuple[str, ...], refused: bool
) -> None:
    text = "items:\n" + vector_block("ord-4")
    for old, new in zip(("llegada", "alianza", "idioma", "rosatom"), ids, strict=True):
        text = text.replace(f"{{id: {old},", f"{{id: {new},")
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    entry = read_yaml(path)["items"][0]
    if not refused:
        assert [e.id for e in parse_item(entry, "v", path, ARTICLE).elements] == list(ids)
        return
    with pytest.raises(ComprendeError) as caught:
        parse_item(entry, "v", path, ARTICLE)
    assert (caught.value.message, caught.value.fix, caught.value.line) == (
        "item 'ord-4': the element ids are in alphabetical order, so they give the order away",
        "use ids that do not sort into the right order, e.g. short words",
        line_at(text, "    elements:"),
    )


def parsed(tmp_path: Path, item_id: str, old: str = "", new: str = "") -> Item:
    """The vector item, loaded in the test (``old`` changed to ``new`` first)."""
    text = "items:\n" + vector_block(item_id)
    assert old in text
    path = tmp_path / "set.yaml"
    path.write_text(text.replace(old, new, 1) if old else text, encoding="utf-8")
    return parse_item(read_yaml(path)["items"][0], "v", path, ARTICLE)


def test_a_number_item_keeps_its_key_tolerance_unit_and_wrong_answers(tmp_path: Path) -> None:
    item = parsed(tmp_path, "num-porcentaje")
    assert (item.key, item.tolerance, item.unit) == (80.0, 0.5, "%")
    assert [(w.answer, w.feedback) for w in item.wrong] == [
        (20.0, "Ese es el porcentaje que no pasa por Rusia.")
    ]
    assert isinstance(item.wrong[0].answer, float)
    bare = parsed(tmp_path, "num-porcentaje", '    tolerance: 0.5\n    unit: "%"\n', "")
    assert (bare.tolerance, bare.unit) == (0.0, "")
    assert bare.kind.grade(bare, 80.4) == (0.0, ["No es correcto."])
    assert bare.kind.template_comments(bare) == []
    assert item.kind.template_comments(item) == ["Unidad: %"]


def test_text_keys_keep_their_policy_wrong_answers_and_feedback(tmp_path: Path) -> None:
    item = parsed(tmp_path, "hu-resumen")
    keys = dict(item.blanks)
    assert list(keys) == ["b1", "b2", "b3"]
    assert keys["b2"].policy.accents == "optional" and keys["b1"].policy.accents == "required"
    assert keys["b3"].policy.typos == 1 and keys["b1"].policy.typos == 0
    assert [(w.answer, w.feedback) for w in keys["b3"].wrong] == [
        ("petrolera", "No: Rosatom se dedica a la energía nuclear.")
    ]
    assert keys["b1"].feedback_incorrect == ""
    assert item.kind.grade(item, {"b1": "otra"}) == (
        0.0,
        ["Hueco 1: No es correcto.", "Hueco 2: Sin respuesta.", "Hueco 3: Sin respuesta."],
    )
    short = parsed(tmp_path, "rc-moscu", "      - answer: Astana\n", "      - answer: 2024\n")
    assert short.text_key is not None
    assert short.text_key.accept == ("Moscú",)
    assert [w.answer for w in short.text_key.wrong] == ["2024"]  # a number, kept as text
    assert short.text_key.feedback_incorrect == "Busca en el párrafo 3 la capital de Rusia."


def test_an_open_response_keeps_its_rubric_and_word_limits(tmp_path: Path) -> None:
    item = parsed(tmp_path, "ab-resumen")
    assert [(c.criterion, c.points) for c in item.rubric] == [
        ("Dice quién visita a quién.", 1.0),
        ("Nombra un tema de la visita.", 1.0),
    ]
    assert (item.min_words, item.max_words, item.model_answer) == (5, 30, "")
    loose = parsed(tmp_path, "ab-resumen", "    min_words: 5\n    max_words: 30\n", "")
    assert (loose.min_words, loose.max_words) == (0, 0)
    only_max = parsed(tmp_path, "ab-resumen", "    min_words: 5\n", "")
    assert (only_max.min_words, only_max.max_words) == (0, 30)
    same = parsed(tmp_path, "ab-resumen", "    max_words: 30\n", "    max_words: 5\n")
    assert (same.min_words, same.max_words) == (5, 5)
    model = parsed(
        tmp_path,
        "ab-resumen",
        "    max_words: 30\n",
        "    max_words: 30\n    model_answer: Putin visita Astana.\n",
    )
    assert model.model_answer == "Putin visita Astana."


def test_a_two_part_item_keeps_its_parts_and_scoring(tmp_path: Path) -> None:
    item = parsed(tmp_path, "dp-unica")
    data = item.data
    assert data.dependent is True
    assert (data.a.kind, data.a.prompt) == ("opcion-unica", "¿Por qué necesita Kazajistán a Rusia?")
    assert [(o.id, o.correct) for o in data.a.options] == [("a", False), ("b", False), ("c", True)]
    assert (data.b.kind, data.b.prompt) == ("opcion-unica", "¿Qué cita apoya tu respuesta?")
    assert [o.id for o in data.b.options if o.correct] == ["y"]
    assert parsed(tmp_path, "dp-multiple-independiente").data.dependent is False
    frases = parsed(tmp_path, "dp-frases").data
    assert (frases.b.kind, frases.b.prompt) == (
        "seleccionar-en-el-texto",
        "Marca en el párrafo 2 la frase que lo apoya.",
    )
    assert frases.b.selection.paragraph == 2 and frases.b.selection.key == ("2.2",)
    assert frases.b.selection.feedback == {"2.1": "Esta frase habla del apretón de manos."}


def test_a_selection_of_every_sentence_of_the_article_is_refused(tmp_path: Path) -> None:
    from comprende.sentences import article_sentences

    quotes = "".join(f'      - "{s.text}"\n' for s in article_sentences(ARTICLE))
    text = "items:\n" + vector_block("sel-nuclear")
    old = (
        '    evidence:\n      - "insinuando posibles colaboraciones nucleares futuras"\n'
        '      - "no se divulgan detalles específicos"\n'
    )
    assert old in text
    text = text.replace(old, "    evidence:\n" + quotes).replace('      "7.1": "Esta', "      #")
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ComprendeError) as caught:
        parse_item(read_yaml(path)["items"][0], "v", path, ARTICLE)
    assert (caught.value.message, caught.value.line) == (
        "item 'sel-nuclear': every sentence of the article is a key sentence, so there is "
        "nothing to tell apart",
        2,
    )


def test_an_edited_bank_file_is_read_again_for_its_feedback_ids(tmp_path: Path) -> None:
    """The quoted-id check reads the file's lines; after an edit, the new lines."""
    import os

    first = parsed(tmp_path, "sel-p6")
    assert first.data.feedback == {"6.2": "Esta frase cuenta lo que destaca Putin."}
    path = tmp_path / "set.yaml"
    stat = path.stat()
    # the same file, one line longer above the feedback: its id moves one line down
    text = path.read_text(encoding="utf-8").replace(
        "    feedback:\n", "    # nota\n    feedback:\n"
    )
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = parse_item(read_yaml(path)["items"][0], "v", path, ARTICLE)
    assert again.data.feedback == first.data.feedback


# ------------------------------------------------------------------ the answers file, exactly

VECTOR_ITEMS, _ = load_vectors()
NULL = {"type": "null"}


def test_each_types_published_answer_schema() -> None:
    """esquema-respuestas.json, as students' and instructors' tools read it."""
    schema = {i: VECTOR_ITEMS[i].kind.answer_schema(VECTOR_ITEMS[i]) for i in VECTOR_ITEMS}
    assert schema["vf-verdadero"] == {"type": "boolean"}
    assert schema["ou-ciudad"] == {"enum": ["a", "b", "c", "d"]}
    assert schema["om-2de5"] == {
        "type": "array",
        "items": {"enum": ["a", "b", "c", "d", "e"]},
        "uniqueItems": True,
    }
    assert schema["rc-moscu"] == {"type": ["string", "integer"]}
    assert schema["num-porcentaje"] == {
        "type": ["number", "string"],
        "description": "80, 80.5 o el texto «80,5»",
    }
    text = {"type": ["string", "integer", "null"]}
    assert schema["hu-resumen"] == {
        "type": "object",
        "additionalProperties": False,
        "properties": {"b1": text, "b2": text, "b3": text},
    }
    right = {"enum": ["r3", "r1", "r4", "r2", "r5", None]}
    assert schema["rel-temas"] == {
        "type": "object",
        "additionalProperties": False,
        "properties": {"l1": right, "l2": right, "l3": right, "l4": right},
    }
    assert schema["ord-4"] == {
        "type": "array",
        "items": {"enum": ["rosatom", "alianza", "idioma", "llegada"]},
        "uniqueItems": True,
        "minItems": 4,
        "maxItems": 4,
    }
    assert schema["ab-resumen"] == {"type": "string"}
    assert schema["sel-p6"] == {
        "type": "array",
        "items": {"enum": ["6.1", "6.2"]},
        "uniqueItems": True,
    }

    def two_parts(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {"a": {"anyOf": [a, NULL]}, "b": {"anyOf": [b, NULL]}},
        }

    assert schema["dp-unica"] == two_parts({"enum": ["a", "b", "c"]}, {"enum": ["x", "y", "z"]})
    assert schema["dp-multiple-independiente"] == two_parts(
        {"enum": ["a", "b", "c"]},
        {"type": "array", "items": {"enum": ["q1", "q2", "q3", "q4", "q5"]}, "uniqueItems": True},
    )
    assert schema["dp-frases"] == two_parts(
        {"enum": ["a", "b"]},
        {"type": "array", "items": {"enum": ["2.1", "2.2"]}, "uniqueItems": True},
    )


def template(item_id: str) -> tuple[list[str], list[str], list[str]]:
    """The item's comments, and its answer lines with the key and empty."""
    item = VECTOR_ITEMS[item_id]
    kind = item.kind
    return (
        kind.template_comments(item),
        kind.template_answer(item, kind.key_answer(item), "  "),
        kind.template_answer(item, None, "  "),
    )


def test_each_types_lines_in_the_answers_template() -> None:
    assert template("vf-verdadero") == ([], ["  vf-verdadero: true"], ["  vf-verdadero:"])
    assert template("ou-ciudad") == (
        ["  a) Astana", "  b) Almaty", "  c) Moscú", "  d) Biskek"],
        ['  ou-ciudad: "a"'],
        ["  ou-ciudad:"],
    )
    assert template("rc-moscu") == ([], ['  rc-moscu: "Moscú"'], ["  rc-moscu:"])
    assert template("num-porcentaje") == (
        ["Unidad: %"],
        ["  num-porcentaje: 80.0"],
        ["  num-porcentaje:"],
    )
    hu = VECTOR_ITEMS["hu-resumen"]
    assert template("hu-resumen") == (
        ["Texto: " + hu.text],
        ["  hu-resumen:", '    b1: "estratégico"', '    b2: "petróleo"', '    b3: "nuclear"'],
        ["  hu-resumen:", "    b1:", "    b2:", "    b3:"],
    )
    rel = VECTOR_ITEMS["rel-temas"]
    assert template("rel-temas") == (
        [
            "Izquierda:",
            *(f"  {c.id}) {c.text}" for c in rel.left),
            "Derecha:",
            *(f"  {c.id}) {c.text}" for c in rel.right),
        ],
        ["  rel-temas:", '    l1: "r3"', '    l2: "r1"', '    l3: "r5"', '    l4: "r2"'],
        ["  rel-temas:", "    l1:", "    l2:", "    l3:", "    l4:"],
    )
    assert template("ord-4")[0] == [
        "  idioma) Putin agradece la atención al idioma ruso.",
        "  rosatom) Putin habla de Rosatom.",
        "  llegada) Putin llega a Astana.",
        "  alianza) Toqaev reafirma la alianza con Rusia.",
    ]
    assert template("ab-resumen") == (
        ["Extensión: entre 5 y 30 palabras."],
        ["  ab-resumen: |", "    Respuesta modelo."],
        ["  ab-resumen: |", "    "],
    )
    dp = VECTOR_ITEMS["dp-unica"]
    assert template("dp-unica") == (
        [
            "Parte A (a): ¿Por qué necesita Kazajistán a Rusia?",
            *(f"  {o.id}) {o.text}" for o in dp.data.a.options),
            "Parte B (b): ¿Qué cita apoya tu respuesta?",
            *(f"  {o.id}) «{o.text}»" for o in dp.data.b.options),
            "La parte B solo puntúa si la parte A es correcta.",
        ],
        ["  dp-unica:", '    a: "c"', '    b: "y"'],
        ["  dp-unica:", "    a:", "    b:"],
    )
    frases = VECTOR_ITEMS["dp-frases"]
    comments = template("dp-frases")[0]
    assert comments[:4] == [
        "Parte A (a): ¿Qué quieren mostrar los presidentes con sus textos en la prensa?",
        "  a) Que no están de acuerdo.",
        "  b) Que tienen una visión común.",
        "Parte B (b): Marca en el párrafo 2 la frase que lo apoya.",
    ]
    assert comments[4:] == [
        *(f"  {s.id}) {s.text}" for s in frases.data.b.selection.candidates),
        "La parte B solo puntúa si la parte A es correcta.",
    ]
    assert "La parte B" not in " ".join(template("dp-multiple-independiente")[0])


def test_an_open_answer_is_wrapped_at_80_characters_in_the_template() -> None:
    item = VECTOR_ITEMS["ab-resumen"]
    kind = item.kind
    long = "x" * 40 + " " + "y" * 40 + " z"  # 81 characters before the last word
    assert kind.template_answer(item, long, "") == [
        "ab-resumen: |",
        "  " + "x" * 40,
        "  " + "y" * 40 + " z",
    ]
    fits = "x" * 37 + " " + "y" * 37  # 75 characters: one line of at most 80
    assert kind.template_answer(item, fits, "") == ["ab-resumen: |", "  " + fits]
    only_max = replace(item, min_words=0, max_words=30)
    assert kind.template_comments(only_max) == ["Extensión: entre 0 y 30 palabras."]
    assert kind.template_comments(replace(item, min_words=0, max_words=0)) == []


def test_what_an_invalid_answer_should_have_been_names_no_internal_id() -> None:
    reasons = {i: VECTOR_ITEMS[i].kind.invalid_reason(VECTOR_ITEMS[i]) for i in VECTOR_ITEMS}
    assert reasons["ou-ciudad"] == "se esperaba una de las opciones de la pregunta."
    assert reasons["om-2de5"] == "se esperaba una lista de opciones de la pregunta."
    assert (
        reasons["hu-resumen"] == "se esperaba un texto para cada hueco (hueco 1, hueco 2, hueco 3)."
    )
    assert reasons["rel-temas"] == "se esperaba una pareja para cada elemento de la lista."
    assert reasons["sel-p6"] == "se esperaba una lista de frases del párrafo 6."
    assert reasons["sel-nuclear"] == "se esperaba una lista de frases del artículo."
    assert (
        reasons["dp-unica"] == "se esperaba una respuesta para la parte A y otra para la parte B."
    )
    for item_id in ("vf-verdadero", "rc-moscu", "num-porcentaje", "ord-4", "ab-resumen"):
        assert reasons[item_id] == "", item_id  # the grading message names no id already


def test_each_type_exports_its_item_through_its_package() -> None:
    from xml.etree import ElementTree

    from comprende.exports import Exported

    for item in VECTOR_ITEMS.values():
        piece = item.kind.export(item, "moodle-xml")
        if piece is None and item.type not in SHIPPED_TYPES:
            continue  # export.py is optional for a type added later
        element = piece.value if isinstance(piece, Exported) else piece
        xml = ElementTree.tostring(element, encoding="unicode")
        assert item.id in xml and ElementTree.fromstring(xml).tag == "question", item.id
    sel = VECTOR_ITEMS["sel-p6"]
    gift = sel.kind.export(sel, "gift").value
    assert "Párrafo 6, frase 1\\: Más del 80%" in gift
    assert (
        "Sí, esta frase lo demuestra." in gift and "Esta frase cuenta lo que destaca Putin." in gift
    )
    whole = VECTOR_ITEMS["sel-nuclear"]
    assert "Esta frase no lo demuestra." in whole.kind.export(whole, "gift").value


def _bare_type(type_id: str, type_name: str) -> type:
    """A question type with only what the ABC requires (nothing to parse, no schema, no key)."""
    from comprende.types.base import QuestionType

    class Bare(QuestionType):
        id = type_id
        name = type_name
        how_to_answer = "—"

        def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
            return {}

        def answer_schema(self, item: Item) -> dict[str, Any]:
            return {}

        def key_answer(self, item: Item) -> Any:
            return None

    return Bare


def test_a_type_is_registered_once_with_its_package_folder() -> None:
    from comprende import types as registry

    Probe = _bare_type("prueba-de-registro", "prueba")

    try:
        assert registry.register(Probe) is Probe
        assert Probe.folder == Path(__file__).parent
        assert isinstance(registry.get("prueba-de-registro"), Probe)
        with pytest.raises(RuntimeError) as twice:
            registry.register(Probe)
        assert str(twice.value) == "question type 'prueba-de-registro' is registered twice"
    finally:
        registry._REGISTRY.pop("prueba-de-registro", None)
    assert "prueba-de-registro" not in [k.id for k in registry.all_types()]
    # A fresh process imports each type's package once, on first use, through the registry
    # (run on the same code as this one: under `make mutation`, the mutated copy).
    import os
    import subprocess
    import sys

    import comprende

    code = (
        "from comprende import types\n"
        "print(types.get('huecos').folder.name)\n"
        "print(' '.join(f'{t.id}={t.folder.name}' for t in types.all_types()))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(comprende.__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    first, every = done.stdout.splitlines()
    assert first == "huecos"
    assert every.split() == [f"{t.id}={t.folder.name}" for t in registry.all_types()]
    assert {"huecos=huecos", "dos-partes=dos_partes", "verdadero-falso=verdadero_falso"} <= set(
        every.split()
    )


@pytest.mark.parametrize("typos", [0, 3])
def test_zero_to_three_typos_are_allowed(tmp_path: Path, typos: int) -> None:
    old = '    accept: ["Moscú"]\n'
    item = parsed(tmp_path, "rc-moscu", old, f"{old}    normalize: {{typos: {typos}}}\n")
    assert item.text_key is not None and item.text_key.policy.typos == typos


def test_a_number_among_the_accepted_answers_is_text(tmp_path: Path) -> None:
    item = parsed(
        tmp_path, "rc-moscu", '    accept: ["Moscú"]\n', '    accept: [2024, " Moscú "]\n'
    )
    assert item.text_key is not None and item.text_key.accept == ("2024", "Moscú")


def test_a_matching_item_keeps_its_pairs_and_may_have_no_feedback(tmp_path: Path) -> None:
    item = parsed(tmp_path, "rel-temas")
    assert item.pairs == {"l1": "r3", "l2": "r1", "l3": "r5", "l4": "r2"}
    assert item.feedback == {
        "l1": "Relee el párrafo 6: el petróleo se exporta a través de Rusia.",
        "l3": "Relee el párrafo 9: Rosatom está preparada para nuevos proyectos.",
    }
    assert [c.id for c in item.right] == ["r1", "r2", "r3", "r4", "r5"]
    feedback = (
        '    feedback:\n      l1: "Relee el párrafo 6: el petróleo se exporta a través de Rusia."\n'
        '      l3: "Relee el párrafo 9: Rosatom está preparada para nuevos proyectos."\n'
    )
    assert parsed(tmp_path, "rel-temas", feedback, "").feedback == {}


def test_a_type_that_grades_nothing_says_what_it_must_write() -> None:
    Ungraded = _bare_type("sin-nota", "sin nota")

    with pytest.raises(NotImplementedError) as caught:
        Ungraded().grade(VECTOR_ITEMS["vf-verdadero"], True)
    assert str(caught.value) == "sin-nota: a type writes grade(), or result() instead"


def test_a_choice_keeps_its_text_key_and_feedback(tmp_path: Path) -> None:
    item = parsed(tmp_path, "ou-ciudad")
    assert [(o.id, o.text, o.correct, o.feedback) for o in item.options] == [
        ("a", "Astana", True, "Correcto: el párrafo 2 dice «al llegar a Astana»."),
        ("b", "Almaty", False, "No: Almaty es la ciudad más poblada, pero Putin llega a Astana."),
        ("c", "Moscú", False, "No: Moscú es la capital de Rusia."),
        ("d", "Biskek", False, "No: Biskek es la capital de Kirguistán."),
    ]


def test_the_item_analysis_labels_of_keys_and_answers() -> None:
    def labels(item_id: str, answer: Any) -> tuple[str, str | None]:
        item = VECTOR_ITEMS[item_id]
        return item.kind.key_label(item), item.kind.answer_label(item, answer)

    assert labels("vf-verdadero", True) == ("verdadero", "verdadero")
    assert labels("vf-falso", False) == ("falso", "falso")
    assert labels("vf-falso", "falso") == ("falso", None)  # text: the reports' default
    assert labels("ou-ciudad", "b") == ("a", None)
    assert labels("om-2de5", ["c", "a"]) == ("a+c", "a+c")
    assert labels("om-2de5", "a") == ("a+c", None)
    om = VECTOR_ITEMS["om-2de5"]
    backwards = replace(om, options=om.options[::-1])  # e, d, c, b, a: the options' order counts
    assert om.kind.answer_label(backwards, ["a", "c"]) == "c+a"
    assert labels("rc-moscu", "Moscú") == ("", None)
    assert labels("sel-p6", ["6.2", "6.1"]) == ("6.1", "6.1+6.2")
    assert labels("sel-p6", "6.1")[1] is None and labels("sel-p6", [6.1])[1] is None
    assert labels("sel-p6", ["zz", "6.2"])[1] == "6.2+zz"
    assert labels("sel-nuclear", ["10.1", "9.1", "2.1"])[1] == "2.1+9.1+10.1"  # reading order
    assert labels("dp-unica", {"a": "b", "b": "x"}) == ("A:c B:y", "A:b B:x")
    assert labels("dp-multiple-independiente", {"a": "a", "b": ["q3", "q1"]}) == (
        "A:a B:q1+q3",
        "A:a B:q3+q1",
    )
    assert labels("dp-unica", {})[1] == "A: B:"
    assert labels("dp-unica", "c")[1] is None


def test_how_the_reports_show_a_typed_or_chosen_answer() -> None:
    from comprende.reports.base import AnswerPart, AnswerView

    def view(item_id: str, answer: Any) -> AnswerView | None:
        item = VECTOR_ITEMS[item_id]
        return item.kind.answer_view(item, answer)

    assert view("ab-resumen", "Putin visita Astana.") == AnswerView(
        "text", (AnswerPart("Putin visita Astana."),)
    )
    assert view("ab-resumen", ["x"]) is None
    assert view("rc-moscu", "Moscú") == AnswerView("text", (AnswerPart("Moscú"),))
    assert view("rc-moscu", 5) is None
    assert view("vf-verdadero", True) == AnswerView("choice", (AnswerPart("Verdadero"),))
    assert view("vf-verdadero", False) == AnswerView("choice", (AnswerPart("Falso"),))
    assert view("vf-verdadero", "sí") is None
    assert view("num-porcentaje", 80.5) == AnswerView("text", (AnswerPart("80,5 %"),))
    assert view("num-porcentaje", 80) == AnswerView("text", (AnswerPart("80 %"),))
    assert view("num-porcentaje", [80]) is None


def test_how_the_reports_show_blanks_orders_and_two_part_keys() -> None:
    hu, order = VECTOR_ITEMS["hu-resumen"], VECTOR_ITEMS["ord-4"]
    assert str(hu.kind.answer_view(hu, {"b1": "x", "b3": None, "zz": "y"})) == (
        "Hueco 1: x; Hueco 2: (sin respuesta); Hueco 3: (sin respuesta); "
        "Hueco «zz»: «y» (no es ningún hueco del texto)"
    )
    assert hu.kind.answer_view(hu, ["x"]) is None
    assert str(order.kind.answer_view(order, ["llegada", "zz"])) == (
        "1. Putin llega a Astana.; 2. «zz» (no es ninguna de las opciones)"
    )
    assert order.kind.answer_view(order, "llegada") is None
    sel = VECTOR_ITEMS["sel-nuclear"]
    assert sel.kind.key_label(sel) == "9.1+9.2"
    dp = VECTOR_ITEMS["dp-unica"]
    b = replace(dp.data.b, options=tuple(replace(o, id=o.id * 2) for o in dp.data.b.options))
    longer = replace(dp, data=replace(dp.data, b=b))
    assert dp.kind.key_label(longer) == "A:c B:yy"

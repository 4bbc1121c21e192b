"""Each type's answer schema (published in esquema-respuestas.json, which students' and
instructors' tools check files against): the key passes, every wrong shape is refused.

Kills the schema mutants `make mutation` left alive in comprende/types/*.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from comprende.bank import load_bank
from comprende.errors import ComprendeError
from comprende.model import Item, ItemType
from comprende.schema import answer_schema
from comprende.template import key_answer

from .conftest import ROOT

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
    raise AssertionError(f"no wrong shapes listed for {kind}: add them here")


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

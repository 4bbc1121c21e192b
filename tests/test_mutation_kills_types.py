"""Each type's answer schema (published in esquema-respuestas.json, which students' and
instructors' tools check files against): the key passes, every wrong shape is refused.

Kills the schema mutants `make mutation` left alive in comprende/types/*.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from comprende.bank import load_bank
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

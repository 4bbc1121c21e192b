"""What exercise pages carry besides their items (ext/exercise_page.py, pagedata.py): the
content hash that keeps saved answers across bank versions, the catalog's item shapes
(no text, no key), and the exam settings' validator."""

from __future__ import annotations

import dataclasses
import json

from comprende.bank import load_bank
from comprende.ext.config import ComprendeConfig, flag_value
from comprende.pagedata import content_hash, shape_json

from .conftest import ROOT

BANK = load_bank(ROOT / "exercises")


def test_the_hash_changes_with_what_the_student_sees() -> None:
    item = BANK.item("global-tema")
    reworded = dataclasses.replace(item, prompt=item.prompt + " (en pocas palabras)")
    for with_key in (True, False):
        assert content_hash(item, with_key=with_key) == content_hash(item, with_key=with_key)
        assert content_hash(item, with_key=with_key) != content_hash(reworded, with_key=with_key)
    options = (dataclasses.replace(item.options[0], text="Otra cosa"), *item.options[1:])
    assert content_hash(item, with_key=True) != content_hash(
        dataclasses.replace(item, options=options), with_key=True
    )


def test_the_key_counts_in_practice_only_and_explanations_never() -> None:
    item = BANK.item("global-conclusion")
    flipped = dataclasses.replace(item, key=not item.key)
    assert content_hash(item, with_key=True) != content_hash(flipped, with_key=True)
    # an exam page must not let a hash give a true/false key away
    assert content_hash(item, with_key=False) == content_hash(flipped, with_key=False)
    explained = dataclasses.replace(item, explanation="Otra explicación.")
    assert content_hash(item, with_key=True) == content_hash(explained, with_key=True)


def test_an_open_response_keeps_its_essay_when_the_model_answer_changes() -> None:
    item = next(i for i in BANK.items if i.type == "respuesta-abierta")
    changed = dataclasses.replace(item, model_answer="Otra respuesta modelo.")
    assert content_hash(item, with_key=True) == content_hash(changed, with_key=True)


def test_shapes_carry_ids_and_no_text_or_key() -> None:
    texts = [i.prompt for i in BANK.items] + [i.explanation for i in BANK.items]
    for item in BANK.items:
        shape = shape_json(item)
        assert shape["id"] == item.id and shape["type"] == item.type
        dumped = json.dumps(shape, ensure_ascii=False)
        assert '"correct"' not in dumped and '"text"' not in dumped, item.id
        assert not any(text and text in dumped for text in texts), item.id
    numeric = next(i for i in BANK.items if i.type == "numerica")
    with_unit = dataclasses.replace(numeric, unit="millones")
    assert shape_json(with_unit)["unit"] == "millones"  # shown; an answer may end with it


def test_exam_flags_take_true_or_false_only() -> None:
    assert flag_value(True) is None and flag_value(False) is None
    assert flag_value("no") == "must be True or False, not str 'no'"
    assert flag_value(0) == "must be True or False, not int 0"
    settings = ComprendeConfig()
    assert settings.exam_glossary is True and settings.exam_links is True

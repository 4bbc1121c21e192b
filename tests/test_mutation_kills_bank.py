"""The bank loader's error branches, each at its file and line, and what a good item holds.

A small bank (one module, one set, one item) is written for each case with one change;
the loader must refuse it naming the file, the line and the problem. Kills the loader's
mutants that `make mutation` left alive (most of its error branches had no test).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from comprende.bank import load_bank
from comprende.errors import ComprendeError
from comprende.types import all_types

from .conftest import SEED

MODULE = """\
id: prueba
title: Prueba
version: 3
article: seed.txt
sets: [uno]
"""

ITEM = """\
  - id: uno-llegada
    type: verdadero-falso
    prompt: "  Putin llega a Astana.  "
    points: 2
    skill: literal
    level: B1
    evidence:
      - "Al llegar a Astana el 27 de noviembre"
      - "La visita se produce en un momento crítico"
    explanation: Lo dice el párrafo 2.
    key: true
    feedback:
      true: Sí.
      false: No.
"""

EVIDENCE = """\
    evidence:
      - "Al llegar a Astana el 27 de noviembre"
      - "La visita se produce en un momento crítico"
"""
assert EVIDENCE in ITEM

SET = "id: uno\ntitle: Uno\ninstructions: Responde.\nitems:\n" + ITEM


def write_bank(root: Path, module: str = MODULE, set_text: str = SET) -> Path:
    folder = root / "exercises"
    folder.mkdir(parents=True)
    shutil.copy(SEED, root / "seed.txt")
    (folder / "module.yaml").write_text(module, encoding="utf-8")
    (folder / "uno.yaml").write_text(set_text, encoding="utf-8")
    return folder


def line_of(text: str, fragment: str) -> int:
    assert fragment in text, fragment
    return text[: text.index(fragment)].count("\n") + 1


def test_the_small_bank_loads_with_every_field(tmp_path: Path) -> None:
    bank = load_bank(write_bank(tmp_path))
    assert (bank.id, bank.title, bank.version) == ("prueba", "Prueba", 3)
    ((item_set),) = bank.sets
    assert (item_set.id, item_set.title, item_set.instructions) == ("uno", "Uno", "Responde.")
    (item,) = item_set.items
    assert (item.id, item.type, item.prompt, item.points) == (
        "uno-llegada",
        "verdadero-falso",
        "Putin llega a Astana.",
        2.0,
    )
    assert isinstance(item.points, float)
    assert (item.skill, item.level, item.explanation) == ("literal", "B1", "Lo dice el párrafo 2.")
    assert [(e.quote, e.paragraph) for e in item.evidence] == [
        ("Al llegar a Astana el 27 de noviembre", 2),
        ("La visita se produce en un momento crítico", 1),
    ]
    assert item.paragraphs == (1, 2)
    assert item.source == f"{tmp_path / 'exercises' / 'uno.yaml'}:{line_of(SET, '  - id:')}"
    assert (item.context, item.context_line, item.set_id, item.key) == ("", 0, "uno", True)


def test_instructions_are_optional_and_a_context_is_kept_with_its_line(tmp_path: Path) -> None:
    text = SET.replace("instructions: Responde.\n", "").replace(
        "    skill: literal\n", "    skill: contexto\n    context: petroleo-80\n"
    )
    bank = load_bank(write_bank(tmp_path, set_text=text))
    assert bank.sets[0].instructions == ""
    item = bank.items[0]
    assert (item.context, item.context_line) == ("petroleo-80", line_of(text, "    context:"))


# (what is changed, in which file: old → new), the line the error points at, and what it says
MODULE_CASES = [
    ("not a mapping", MODULE, "- prueba\n", "- prueba", "module.yaml must be a mapping"),
    ("id not a slug", "id: prueba", "id: Prueba X", "id:", "'Prueba X' is not a slug"),
    ("unknown field", "title: Prueba", "titel: Prueba", "titel:", "unknown field `titel`"),
    ("set id not text", "sets: [uno]", "sets:\n  - 5", "  - 5", "set id 5 is not a slug"),
    ("set id not a slug", "sets: [uno]", "sets:\n  - Uno", "  - Uno", "'Uno' is not a slug"),
    (
        "set without file",
        "sets: [uno]",
        "sets:\n  - uno\n  - dos",
        "  - dos",
        "has no file dos.yaml",
    ),
    (
        "version not a number",
        "version: 3",
        "version: tres",
        "version:",
        "`version` must be a number",
    ),
    ("version true", "version: 3", "version: true", "version:", "`version` must be a number"),
    ("version a fraction", "version: 3", "version: 3.5", "version:", "`version` must be a number"),
    ("sets missing", "sets: [uno]\n", "", "id:", "`sets` is missing"),
    ("sets not a list", "sets: [uno]", "sets: uno", "sets:", "`sets` must be a list"),
    ("title empty", "title: Prueba", 'title: "  "', "title:", "`title` is empty"),
    ("title a number", "title: Prueba", "title: 5", "title:", "`title` must be text"),
]


@pytest.mark.parametrize(
    ("old", "new", "at", "message"), [c[1:] for c in MODULE_CASES], ids=[c[0] for c in MODULE_CASES]
)
def test_module_errors(tmp_path: Path, old: str, new: str, at: str, message: str) -> None:
    assert old in MODULE
    text = MODULE.replace(old, new, 1)
    folder = write_bank(tmp_path, module=text)
    with pytest.raises(ComprendeError) as caught:
        load_bank(folder)
    error = caught.value
    assert (Path(error.path).name, error.line) == ("module.yaml", line_of(text, at)), error
    assert message in error.message


SET_CASES = [
    ("set not a mapping", SET, "- uno\n", "- uno", "a set file must be a mapping"),
    ("set id mismatch", "id: uno", "id: unos", "id:", "does not match the file name"),
    ("set unknown field", "title: Uno", "titulo: Uno", "titulo:", "unknown field `titulo`"),
    ("items not a list", "items:\n" + ITEM, "items: ninguno\n", "items:", "`items` must be a list"),
    (
        "item not a mapping",
        "items:\n" + ITEM,
        "items:\n  - uno\n",
        "items:",
        "entries must be mappings",
    ),
    (
        "missing field",
        "    explanation: Lo dice el párrafo 2.\n",
        "",
        "  - id:",
        "missing `explanation`",
    ),
    ("item id not a slug", "- id: uno-llegada", "- id: Uno_Llegada", "- id:", "is not a slug"),
    ("type not text", "type: verdadero-falso", "type: 5", "type:", "unknown type 5"),
    (
        "type unknown",
        "type: verdadero-falso",
        "type: verdadero",
        "type:",
        "unknown type 'verdadero'",
    ),
    ("points zero", "points: 2", "points: 0", "points:", "`points` must be a positive number"),
    ("points negative", "points: 2", "points: -1", "points:", "`points` must be a positive number"),
    ("points not finite", "points: 2", "points: .inf", "points:", "`points` must be a positive"),
    ("points nan", "points: 2", "points: .nan", "points:", "`points` must be a positive"),
    ("points text", "points: 2", "points: dos", "points:", "`points` must be a number"),
    ("points true", "points: 2", "points: true", "points:", "`points` must be a number"),
    ("skill unknown", "skill: literal", "skill: literala", "skill:", "unknown skill 'literala'"),
    ("level unknown", "level: B1", "level: B3", "level:", "unknown level 'B3'"),
    (
        "field of another type",
        "    key: true\n",
        "    key: true\n    options: []\n",
        "    options:",
        "for type verdadero-falso",
    ),
    (
        "context skill without context",
        "skill: literal",
        "skill: contexto",
        "    skill:",
        "must name the context section",
    ),
    (
        "context not a label",
        "skill: literal",
        "skill: literal\n    context: Petróleo 80",
        "    context:",
        "is not a Sphinx label",
    ),
    ("evidence empty", EVIDENCE, "    evidence: []\n", "    evidence:", "`evidence` is empty"),
    (
        "evidence not a list",
        EVIDENCE,
        '    evidence: "Al llegar"\n',
        "    evidence:",
        "`evidence` must be a list",
    ),
    (
        "evidence not text",
        '      - "La visita se produce en un momento crítico"',
        "      - 27",
        "      - 27",
        "evidence must be text",
    ),
    (
        "evidence blank",
        '      - "La visita se produce en un momento crítico"',
        '      - "   "',
        '      - "   "',
        "evidence must be text",
    ),
    (
        "evidence not verbatim",
        "momento crítico",
        "momento critico",
        '      - "La visita',
        "not a verbatim quote",
    ),
    ("prompt empty", '"  Putin llega a Astana.  "', '""', "    prompt:", "`prompt` is empty"),
]


@pytest.mark.parametrize(
    ("old", "new", "at", "message"), [c[1:] for c in SET_CASES], ids=[c[0] for c in SET_CASES]
)
def test_set_and_item_errors(tmp_path: Path, old: str, new: str, at: str, message: str) -> None:
    assert old in SET
    text = SET.replace(old, new, 1)
    folder = write_bank(tmp_path, set_text=text)
    with pytest.raises(ComprendeError) as caught:
        load_bank(folder)
    error = caught.value
    assert (Path(error.path).name, error.line) == ("uno.yaml", line_of(text, at)), error
    assert message in error.message


def test_an_id_used_twice_points_at_the_second_and_names_the_first(tmp_path: Path) -> None:
    text = SET + ITEM.replace("Putin llega", "Putin vuelve")
    folder = write_bank(tmp_path, set_text=text)
    with pytest.raises(ComprendeError, match="'uno-llegada' is used twice") as caught:
        load_bank(folder)
    first = line_of(text, "  - id:")
    second = text.index("  - id:", text.index("  - id:") + 1)
    assert (Path(caught.value.path).name, caught.value.line) == (
        "uno.yaml",
        text[:second].count("\n") + 1,
    )
    assert f"uno.yaml:{first}" in caught.value.fix


def test_the_default_bank_is_comprende_bank_then_the_working_folder_then_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from comprende.bank import default_bank_dir

    monkeypatch.setenv("COMPRENDE_BANK", str(tmp_path / "otro"))
    assert default_bank_dir() == tmp_path / "otro"
    monkeypatch.setenv("COMPRENDE_BANK", "")  # empty: as if unset
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exercises").mkdir()
    checkout = default_bank_dir()  # ./exercises has no module.yaml: not a bank
    assert checkout != tmp_path / "exercises"
    assert (checkout / "module.yaml").is_file() and checkout.name == "exercises"
    import comprende.bank

    # the bank of the checkout this code runs from
    assert (checkout.parent / "src" / "comprende" / "bank.py").resolve() == Path(
        comprende.bank.__file__
    ).resolve()
    (tmp_path / "exercises" / "module.yaml").write_text("id: x\n", encoding="utf-8")
    assert default_bank_dir() == tmp_path / "exercises"
    monkeypatch.delenv("COMPRENDE_BANK")
    assert default_bank_dir() == tmp_path / "exercises"


# The same cases, each message and fix whole: an author reads both.
TYPES_LIST = "use one of: " + ", ".join(kind.id for kind in all_types())
SLUG = "use lowercase ascii and hyphens"
VERSION = "a whole number, bumped when items change"
SETS = "list the set ids, e.g. `sets: [global, detalle]`"
POSITIVE = ("item 'uno-llegada': `points` must be a positive number", "")
NUMBER = ("item 'uno-llegada': `points` must be a number", "")
EVIDENCE_TEXT = (
    "item 'uno-llegada': evidence must be text",
    "quote the article between double quotes",
)
WHOLE = {
    "not a mapping": ("module.yaml must be a mapping", "see docs/guias/autores.md for the fields"),
    "id not a slug": ("module: id 'Prueba X' is not a slug", SLUG),
    "unknown field": (
        "module: unknown field `titel`: did you mean `title`?",
        "fields: id, title, version, article, sets",
    ),
    "set id not text": ("set id 5 is not a slug", SLUG),
    "set id not a slug": ("set id 'Uno' is not a slug", SLUG),
    "version not a number": ("module: `version` must be a number", VERSION),
    "version true": ("module: `version` must be a number", VERSION),
    "version a fraction": ("module: `version` must be a number", VERSION),
    "sets missing": ("module: `sets` is missing", SETS),
    "sets not a list": ("module: `sets` must be a list", SETS),
    "title empty": ("module: `title` is empty", "write the title"),
    "title a number": ("module: `title` must be text", ""),
    "set not a mapping": (
        "a set file must be a mapping",
        "start with `id:`, `title:`, `instructions:` and `items:`",
    ),
    "set id mismatch": ("set 'uno': id 'unos' does not match the file name", "write `id: uno`"),
    "set unknown field": (
        "set 'uno': unknown field `titulo`: did you mean `title`?",
        "fields: id, title, instructions, items",
    ),
    "items not a list": ("set 'uno': `items` must be a list", "list the items under `items:`"),
    "item not a mapping": (
        "set 'uno': `items` entries must be mappings",
        "write `- id: …` entries",
    ),
    "missing field": (
        "item 'uno-llegada': missing `explanation`",
        "every item needs id, type, prompt, points, skill, level, evidence, explanation",
    ),
    "item id not a slug": (
        "item 'Uno_Llegada': id 'Uno_Llegada' is not a slug",
        "use lowercase ascii, digits and hyphens",
    ),
    "type not text": ("item 'uno-llegada': unknown type 5", TYPES_LIST),
    "type unknown": (
        "item 'uno-llegada': unknown type 'verdadero': did you mean `verdadero-falso`?",
        TYPES_LIST,
    ),
    "points zero": POSITIVE,
    "points negative": POSITIVE,
    "points not finite": POSITIVE,
    "points nan": POSITIVE,
    "points text": NUMBER,
    "points true": NUMBER,
    "skill unknown": (
        "item 'uno-llegada': unknown skill 'literala': did you mean `literal`?",
        "use one of: literal, vocabulario, inferencia, contexto, lectura-critica",
    ),
    "level unknown": (
        "item 'uno-llegada': unknown level 'B3'",
        "use one of: A1, A2, B1, B2, C1, C2",
    ),
    "field of another type": (
        "item 'uno-llegada': unknown field `options` for type verdadero-falso: did you mean "
        "`points`?",
        "fields of this type: context, feedback, key",
    ),
    "context skill without context": (
        "item 'uno-llegada': a `contexto` item must name the context section it relies on",
        "add `context: <label>`, the `(label)=` of a section in docs/contexto/ or "
        "docs/lectura-critica.md, e.g. `context: petroleo-80`",
    ),
    "context not a label": (
        "item 'uno-llegada': `context` 'Petróleo 80' is not a Sphinx label",
        "write the label of a section, as in its `(label)=` line, e.g. `petroleo-80`",
    ),
    "evidence empty": (
        "item 'uno-llegada': `evidence` is empty",
        "quote the sentence that proves the key",
    ),
    "evidence not a list": (
        "item 'uno-llegada': `evidence` must be a list",
        "list one or more verbatim quotes of the article",
    ),
    "evidence not text": EVIDENCE_TEXT,
    "evidence blank": EVIDENCE_TEXT,
    "prompt empty": ("item 'uno-llegada': `prompt` is empty", "write the prompt"),
}


@pytest.mark.parametrize("case", MODULE_CASES + SET_CASES, ids=lambda c: c[0])
def test_each_loading_error_says_all_of_its_message_and_fix(tmp_path: Path, case: tuple) -> None:  # type: ignore[type-arg]
    name, old, new = case[:3]
    if case in MODULE_CASES:
        folder = write_bank(tmp_path, module=MODULE.replace(old, new, 1))
    else:
        folder = write_bank(tmp_path, set_text=SET.replace(old, new, 1))
    with pytest.raises(ComprendeError) as caught:
        load_bank(folder)
    error = caught.value
    if name == "set without file":
        expected = (
            "set 'dos' has no file dos.yaml",
            f"create {folder / 'dos.yaml'} or remove it from `sets`",
        )
    elif name == "evidence not verbatim":
        first, _, closest = error.message.partition("\n")
        assert first == (
            "item 'uno-llegada': evidence is not a verbatim quote of one paragraph: "
            "'La visita se produce en un momento critico'"
        )
        assert closest.startswith("  closest sentence (1.2: paragraph 1, sentence 2)")
        assert error.kind == "evidence"
        expected = (
            error.message,
            "copy the words from seeds/ exactly (accents, commas, '%'), within one paragraph",
        )
    else:
        expected = WHOLE[name]
        assert error.kind is None
    assert (error.message, error.fix) == expected


def test_a_long_quote_that_is_not_verbatim_is_named_by_its_first_60_characters(
    tmp_path: Path,
) -> None:
    long = "La visita se produce en un momento crítico para ambas naciones."
    wrong = long.replace("ambas", "las dos")
    text = SET.replace('"La visita se produce en un momento crítico"', f'"{wrong}"', 1)
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path, set_text=text))
    assert len(wrong) > 60
    assert caught.value.message.split("\n")[0].endswith(f": {wrong[:60]!r}")


def test_an_id_error_points_at_the_id_line_wherever_it_is(tmp_path: Path) -> None:
    module = MODULE.replace("id: prueba\n", "").replace(
        "title: Prueba\n", "title: Prueba\nid: Prueba X\n"
    )
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path / "m", module=module))
    assert (caught.value.message, caught.value.line) == ("module: id 'Prueba X' is not a slug", 2)
    set_text = SET.replace("id: uno\ntitle: Uno\n", "title: Uno\nid: unos\n", 1)
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path / "s", set_text=set_text))
    assert (caught.value.message, caught.value.line) == (
        "set 'uno': id 'unos' does not match the file name",
        2,
    )


def test_an_id_used_twice_names_its_file_even_in_a_folder_with_a_colon(tmp_path: Path) -> None:
    folder = write_bank(tmp_path / "curso:2024", set_text=SET + ITEM)
    with pytest.raises(ComprendeError) as caught:
        load_bank(folder)
    assert caught.value.path == str(folder / "uno.yaml")
    assert caught.value.line == SET.count("\n") + 1  # the second item's first line
    assert caught.value.fix == (
        f"ids are unique across the bank; the other is at {folder / 'uno.yaml'}:{line_of(SET, '  - id:')}"
    )


def test_a_misspelt_required_field_is_named_with_the_missing_one(tmp_path: Path) -> None:
    text = SET.replace("    explanation:", "    explantion:")
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path, set_text=text))
    assert (caught.value.message, caught.value.line) == (
        "item 'uno-llegada': unknown field `explantion`: did you mean `explanation`? "
        "(`explanation` is missing)",
        line_of(text, "    explantion:"),
    )
    assert caught.value.fix == (
        "every item needs id, type, prompt, points, skill, level, evidence, explanation"
    )


def test_every_missing_field_is_named(tmp_path: Path) -> None:
    text = SET.replace("    skill: literal\n    level: B1\n", "")
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path, set_text=text))
    assert caught.value.message == "item 'uno-llegada': missing `skill`, `level`"


def test_an_item_id_error_points_at_the_id_line_and_a_level_is_suggested(tmp_path: Path) -> None:
    text = SET.replace(
        "  - id: uno-llegada\n    type: verdadero-falso\n",
        "  - type: verdadero-falso\n    id: Uno_Llegada\n",
    )
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path / "a", set_text=text))
    assert caught.value.line == line_of(text, "    id: Uno_Llegada")
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path / "b", set_text=SET.replace("level: B1", "level: b1")))
    assert caught.value.message == "item 'uno-llegada': unknown level 'b1': did you mean `B1`?"


@pytest.mark.parametrize(
    ("value", "shown"), [("5", "5"), ("yes", "True"), ("[a, b]", "['a', 'b']")]
)
def test_an_item_id_that_is_not_text_is_named_as_written_at_its_line(
    tmp_path: Path, value: str, shown: str
) -> None:
    text = SET.replace(  # the id on a line of its own, not the item's first
        "  - id: uno-llegada\n    type: verdadero-falso\n",
        f"  - type: verdadero-falso\n    id: {value}\n",
    )
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path, set_text=text))
    assert (caught.value.message, caught.value.line, caught.value.fix) == (
        f"item {shown}: id {shown} is not text",
        line_of(text, f"    id: {value}"),
        'write it in quotes, e.g. `id: "uno-1"`: lowercase ascii, digits and hyphens',
    )


def test_an_item_without_an_id_is_named_by_its_place_not_by_a_question_mark(
    tmp_path: Path,
) -> None:
    text = SET.replace("  - id: uno-llegada\n    type:", "  - type:")
    with pytest.raises(ComprendeError) as caught:
        load_bank(write_bank(tmp_path, set_text=text))
    assert caught.value.message == "an item: missing `id`"
    assert caught.value.line == line_of(text, "  - type:")

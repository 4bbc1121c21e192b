"""The registry of question types: every type is complete, and nothing else knows one.

Goes through :func:`comprende.types.all_types`, so a type added as a package is checked
without touching this file.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from comprende import types
from comprende.grading import grade_item
from comprende.model import Item, Status
from comprende.schema import answer_schema
from comprende.template import key_answer
from comprende.types.base import QuestionType

from .conftest import ROOT
from .vectors import load_vectors

SRC = ROOT / "src" / "comprende"
ITEMS, CASES = load_vectors()
TYPES = types.all_types()


def _overrides(kind: QuestionType, name: str) -> bool:
    return getattr(type(kind), name) is not getattr(QuestionType, name)


@pytest.mark.parametrize("kind", TYPES, ids=lambda k: k.id)
def test_every_type_has_each_part(kind: QuestionType) -> None:
    assert kind.name and kind.how_to_answer, "Spanish name and how to answer"
    assert _overrides(kind, "parse")
    assert _overrides(kind, "grade") or _overrides(kind, "result")
    assert _overrides(kind, "answer_schema") and _overrides(kind, "key_answer")
    assert (kind.folder / "widget.html").is_file(), "its widget's template"
    assert (SRC / "static" / kind.script).is_file(), f"its page script {kind.script}"
    # Optional (the author guide): print.html, the printed form, and export.py, the
    # export hooks; without them the worksheet and the exports report the type
    # (test_a_type_with_only_the_required_parts_is_reported_by_the_optional_ones).
    vectors = [c for c in CASES if ITEMS[c["item"]].type == kind.id]
    assert len({c["status"] for c in vectors}) >= 3, "vectors for right, wrong and invalid"


class _Minimal(QuestionType):
    """A type with only the parts the author guide requires (no print.html, no export)."""

    id = "minimo"
    name = "mínimo"
    how_to_answer = "escribe una palabra"
    folder = Path(__file__).parent  # no print.html here

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        return {}

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {"type": "string"}

    def key_answer(self, item: Item) -> Any:
        return "x"


def test_a_type_with_only_the_required_parts_is_reported_by_the_optional_ones() -> None:
    """Without ``export.py`` every format reports the item as not exported, with the
    reason; without ``print.html`` the worksheet prints its prompt and a note."""
    from dataclasses import replace

    from comprende.article import load_article
    from comprende.exports import export
    from comprende.worksheet import render_worksheet

    from .conftest import SEED
    from .export_support import bank

    original = bank()
    item = replace(original.items[0], id="minimo-1", type="minimo", kind=_Minimal())
    first = original.sets[0]
    extended = replace(
        original, sets=(replace(first, items=(*first.items, item)), *original.sets[1:])
    )
    for fmt in ("moodle-xml", "gift", "qti"):
        result = export(extended, fmt)
        assert "minimo-1" not in result.exported
        reasons = [p.reason for p in result.skipped if p.item_id == "minimo-1"]
        assert reasons == [f"{fmt} has no equivalent of type minimo"]
    assert item.kind.printed(item, key=False) is None
    sheet = render_worksheet(extended, load_article(SEED), ())
    assert "no printed form" in dict(sheet.problems)["minimo-1"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += attrs


@pytest.mark.parametrize("item", list(ITEMS.values()), ids=lambda i: i.id)
def test_every_vector_item_renders_grades_and_has_a_key(item) -> None:  # type: ignore[no-untyped-def]
    kind = item.kind
    html = kind.widget(item)
    assert item.prompt.split()[0] in html
    parser = _Tags()
    parser.feed(html)
    assert all(value is None or "\n" not in value for _, value in parser.attributes)
    schema = answer_schema(item)
    assert schema["anyOf"][1] == {"type": "null"}
    result = grade_item(item, key_answer(item))
    expected = Status.CORRECT if item.auto_graded else Status.PENDING
    assert result.status is expected, (item.id, result.feedback)


def test_markup_is_escaped_in_every_attribute_and_text() -> None:
    """An author's text or id can never become markup (ids are restricted, texts escaped)."""
    hostile = '"><img src=x onerror=alert(1)>'
    for item in ITEMS.values():
        kind = item.kind
        changed = _with_hostile_texts(item, hostile)
        html = kind.widget(changed)
        assert "<img" not in html, item.id


def _with_hostile_texts(item, hostile):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    def choices(values):  # type: ignore[no-untyped-def]
        return tuple(replace(c, text=hostile + c.text) for c in values)

    return replace(
        item,
        prompt=hostile,
        unit=hostile if item.unit else "",
        options=choices(item.options),
        left=choices(item.left),
        right=choices(item.right),
        elements=choices(item.elements),
        text=item.text.replace(" ", " " + hostile, 1),
    )


def test_a_choice_id_that_could_break_the_markup_is_refused(tmp_path: Path) -> None:
    from comprende.article import load_article
    from comprende.bank import parse_item
    from comprende.errors import ComprendeError
    from comprende.yamlio import read_yaml

    from .conftest import SEED

    source = tmp_path / "set.yaml"
    source.write_text(
        "id: x\ntype: opcion-unica\nprompt: ¿Qué?\npoints: 1\nskill: literal\nlevel: B1\n"
        'evidence: ["Putin"]\nexplanation: Porque sí.\noptions:\n'
        '  - {id: "a\\" onfocus=\\"alert(1)", text: Uno, correct: true, feedback: Sí.}\n'
        "  - {id: b, text: Dos, feedback: No.}\n",
        encoding="utf-8",
    )
    with pytest.raises(ComprendeError) as error:
        parse_item(read_yaml(source), "x", source, load_article(SEED))
    assert "line 10" in str(error.value) or ":10" in str(error.value)
    assert "letters, digits" in str(error.value)


def _type_fields() -> set[str]:
    """The fields of :class:`~comprende.model.Item` that only some types fill (``key``
    to ``data``): reading one is knowing the type."""
    names = [f.name for f in dataclasses.fields(Item)]
    return set(names[names.index("key") : names.index("data") + 1])


def test_no_module_outside_the_types_dispatches_on_a_type_name() -> None:
    """The registry is the only place that knows a type: outside ``types/`` no
    ``ItemType.X``, no type id compared, and no type's own field of an item read (an
    ordering's ``elements``, a number's ``unit``, an open item's ``rubric``…), in Python
    or in a report's template."""
    names = {kind.id for kind in TYPES}
    fields = _type_fields()
    assert {"elements", "unit", "rubric", "model_answer", "text", "data"} <= fields
    offenders = []
    for path in SRC.rglob("*.py"):
        if "types" in path.relative_to(SRC).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped: set[int] = set()
        for node in ast.walk(tree):  # the enum of the built-in ids, for the tests
            if isinstance(node, ast.ClassDef) and node.name == "ItemType":
                skipped.update(id(child) for child in ast.walk(node))
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Attribute) and node.attr.isupper():
                base = node.value
                if isinstance(base, ast.Name) and base.id == "ItemType":
                    offenders.append(f"{path.name}:{node.lineno} ItemType.{node.attr}")
            if isinstance(node, ast.Constant) and node.value in names:
                offenders.append(f"{path.name}:{node.lineno} {node.value!r}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in fields
                and isinstance(node.value, ast.Name)
                and node.value.id in ("item", "it")
            ):
                offenders.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    for path in SRC.rglob("*.html"):
        if "types" in path.relative_to(SRC).parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\bitem\.([a-z_]+)", text):
            if match.group(1) in fields:
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.name}:{line} item.{match.group(1)}")
    assert offenders == []


@pytest.mark.parametrize("bad", ["Mi-Tipo", "mi_tipo", "-tipo", "tipo2", "tipo.js", ""])
def test_a_type_id_the_page_could_not_load_is_refused(bad: str) -> None:
    class Bad(_Minimal):
        id = bad

    with pytest.raises(ValueError) as error:
        types.register(Bad)
    assert str(error.value) == (
        f"question type id {bad!r}: use lowercase letters and hyphens, starting with a "
        "letter (the page loads comprende/types/<id>.js by it)"
    )
    assert bad not in [kind.id for kind in types.all_types()]


def test_the_page_loads_one_module_per_type_it_uses() -> None:
    scripts = {kind.script for kind in TYPES}
    assert len(scripts) == len(TYPES)
    assert all(re.fullmatch(r"comprende/types/[a-z-]+\.js", s) for s in scripts)


@pytest.mark.parametrize(
    ("entry", "typo", "valid"),
    [
        (
            "type: opcion-unica\noptions:\n  - {id: a, text: Uno, corect: true, feedback: Sí.}\n"
            "  - {id: b, text: Dos, feedback: No.}\n",
            "corect",
            "correct",
        ),
        (
            "type: respuesta-corta\naccept: [Astana]\nwrong:\n  - {answer: Moscú, feedbak: No.}\n",
            "feedbak",
            "feedback",
        ),
        (
            "type: respuesta-abierta\nrubric:\n  - {criterio: Idea, points: 1}\n",
            "criterio",
            "criterion",
        ),
        (
            "type: huecos\ntext: Llega a [[c]].\nblanks:\n  c: {acept: [Astana]}\n",
            "acept",
            "accept",
        ),
        (
            "type: ordenar\nelements:\n  - {id: x, text: Uno}\n  - {id: c, text: Dos}\n"
            "  - {id: m, txt: Tres}\n",
            "txt",
            "text",
        ),
        (
            "type: respuesta-corta\naccept: [Astana]\nnormalize: {acents: optional}\n",
            "acents",
            "accents",
        ),
    ],
)
def test_a_misspelt_field_inside_an_entry_is_named(
    tmp_path: Path, entry: str, typo: str, valid: str
) -> None:
    """`corect: true` in an option is an error at its line, never silently ignored."""
    from comprende.article import load_article
    from comprende.bank import parse_item
    from comprende.errors import ComprendeError
    from comprende.yamlio import read_yaml

    from .conftest import SEED

    source = tmp_path / "set.yaml"
    source.write_text(
        "id: x\nprompt: ¿Qué?\npoints: 1\nskill: literal\nlevel: B1\n"
        'evidence: ["Putin"]\nexplanation: Porque sí.\n' + entry,
        encoding="utf-8",
    )
    with pytest.raises(ComprendeError) as error:
        parse_item(read_yaml(source), "x", source, load_article(SEED))
    message = str(error.value)
    assert f"`{typo}`" in message and f"did you mean `{valid}`" in message
    line = next(n for n, text in enumerate(source.read_text().splitlines(), 1) if typo in text)
    assert f":{line}" in message or f"line {line}" in message


def test_no_page_script_outside_the_type_modules_names_a_type() -> None:
    """The page's core and shared modules ask the type's module, never compare type ids."""
    static = SRC / "static"
    offenders = []
    for path in static.rglob("*.js"):
        if "types" in path.relative_to(static).parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//")[0]
            if code.lstrip().startswith(("*", "/*")):
                continue  # a comment
            offenders += [
                f"{path.name}:{number} {kind.id}"
                for kind in TYPES
                if f'"{kind.id}"' in code or f"'{kind.id}'" in code
            ]
    assert offenders == []


def test_a_type_without_its_required_parts_cannot_be_made() -> None:
    class Incomplete(QuestionType):
        id = "incompleto"
        name = "incompleto"
        how_to_answer = "—"

        def answer_schema(self, item):  # type: ignore[no-untyped-def]
            return {}

    with pytest.raises(TypeError, match="parse"):
        Incomplete()  # type: ignore[abstract]

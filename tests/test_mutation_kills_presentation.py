"""What a reader sees of each type, in process: its widget (the prompt, every choice,
the ids wired to labels), its plain form (builders other than HTML), its printed form
(student's and teacher's copy), the page data its script reads, and what the feedback
pages show of an answer.

The site builds check the same through a subprocess that mutmut cannot see; these tests
kill the presentation mutants of comprende/types/* that `make mutation` left alive.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

import pytest

from comprende.model import Item
from comprende.pagedata import display_order
from comprende.reports.base import (
    NO_ANSWER,
    UNKNOWN_CHOICE,
    UNKNOWN_LEFT,
    AnswerPart,
    AnswerView,
    answer_view,
)
from comprende.reports.feedback import _ENV
from comprende.sentences import Sentence
from comprende.types.base import render
from comprende.types.seleccionar_en_el_texto import UNKNOWN_SENTENCE, opening

from .vectors import load_vectors

ITEMS, _ = load_vectors()
BLANK = re.compile(r"\[\[([a-z0-9_-]+)\]\]")


# ----- a small DOM ----------------------------------------------------------------------


@dataclass
class El:
    tag: str
    attrs: dict[str, str]
    children: list[El | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text a reader sees (spaces collapsed)."""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def all(self, tag: str | None = None, **attrs: str) -> list[El]:
        found = []
        for child in self.children:
            if isinstance(child, El):
                if (tag is None or child.tag == tag) and all(
                    child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()
                ):
                    found.append(child)
                found += child.all(tag, **attrs)
        return found

    def one(self, tag: str | None = None, **attrs: str) -> El:
        found = self.all(tag, **attrs)
        assert len(found) == 1, (tag, attrs, len(found))
        return found[0]

    def cls(self, name: str) -> list[El]:
        return [e for e in self.all() if name in e.attrs.get("class", "").split()]


VOID = {"input", "br", "img", "hr", "meta", "link"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = El(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def dom(html: str) -> El:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "every element is closed"
    return builder.root


def of_type(type_id: str) -> list[Item]:
    return [item for item in ITEMS.values() if item.type == type_id]


def labelled_inputs(root: El) -> dict[str, str]:
    """``{input id: its label's text}``: every label points at an element that exists,
    and every id is used once."""
    ids = [e.attrs["id"] for e in root.all() if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "ids are unique"
    labels = {label.attrs["for"]: label.text for label in root.all("label") if "for" in label.attrs}
    assert set(labels) <= set(ids)
    return labels


# ----- widgets --------------------------------------------------------------------------


@pytest.mark.parametrize("item", list(ITEMS.values()), ids=lambda i: i.id)
def test_every_widget_is_one_element_whose_ids_are_wired(item: Item) -> None:
    html = item.kind.widget(item)
    assert html == html.strip() and ">\n" not in html, "layout between tags is dropped"
    root = dom(html)
    assert len([c for c in root.children if isinstance(c, El)]) == 1
    labels = labelled_inputs(root)
    for element in root.all("input") + root.all("textarea"):
        named = element.attrs.get("id") in labels or element.attrs.get("aria-label")
        assert named, f"{item.id}: an input without a label"
    for element in root.all():
        for name in ("aria-describedby", "aria-labelledby"):
            for target in element.attrs.get(name, "").split():
                assert root.all(id=target), f"{item.id}: {name} {target} names nothing"


@pytest.mark.parametrize("type_id", ["opcion-unica", "opcion-multiple"])
def test_a_choice_widget_shows_the_prompt_and_a_labelled_box_per_option(type_id: str) -> None:
    for item in of_type(type_id):
        root = dom(item.kind.widget(item))
        assert root.one("legend").text == item.prompt
        inputs = root.all("input")
        kind = "radio" if type_id == "opcion-unica" else "checkbox"
        assert [i.attrs["type"] for i in inputs] == [kind] * len(item.options)
        assert [i.attrs["value"] for i in inputs] == [o.id for o in item.options]
        assert {i.attrs["name"] for i in inputs} == {item.id}
        labels = labelled_inputs(root)
        assert [labels[i.attrs["id"]] for i in inputs] == [o.text for o in item.options]
        assert not any("correct" in name for e in root.all() for name in e.attrs), "no key"


def test_a_true_false_widget_offers_verdadero_and_falso() -> None:
    for item in of_type("verdadero-falso"):
        root = dom(item.kind.widget(item))
        assert root.one("legend").text == item.prompt
        labels = labelled_inputs(root)
        inputs = root.all("input")
        assert [(i.attrs["value"], labels[i.attrs["id"]]) for i in inputs] == [
            ("true", "Verdadero"),
            ("false", "Falso"),
        ]
        assert item.kind.choices_to_read(item) == ["Verdadero", "Falso"]


@pytest.mark.parametrize("type_id", ["respuesta-corta", "numerica"])
def test_a_text_field_is_labelled_by_the_prompt_and_only_a_number_asks_for_digits(
    type_id: str,
) -> None:
    for item in of_type(type_id):
        root = dom(item.kind.widget(item))
        field_ = root.one("input")
        assert labelled_inputs(root)[field_.attrs["id"]] == item.prompt
        assert field_.attrs["name"] == item.id
        assert field_.attrs.get("inputmode") == ("decimal" if type_id == "numerica" else None)
        units = root.cls("cp-unit")
        assert [u.text for u in units] == ([item.unit] if item.unit else [])
    assert any(item.unit for item in of_type("numerica"))


def test_a_cloze_widget_shows_the_text_with_a_field_per_blank_in_order() -> None:
    for item in of_type("huecos"):
        root = dom(item.kind.widget(item))
        assert root.one("legend").text == item.prompt
        cloze = root.cls("cp-cloze")[0]
        names = [name for name, _ in item.blanks]
        fields = cloze.all("input")
        assert [f.attrs["data-blank"] for f in fields] == names
        assert [f.attrs["name"] for f in fields] == [f"{item.id}--{n}" for n in names]
        assert [f.attrs["aria-label"] for f in fields] == [
            f"Hueco {n}" for n in range(1, len(names) + 1)
        ]
        # the text around the blanks, in order, with each blank where the author put it
        pieces = [
            c if isinstance(c, str) else f"[[{c.attrs['data-blank']}]]" for c in cloze.children
        ]
        assert "".join(pieces) == item.text
        assert item.kind.choices_to_read(item) == [BLANK.sub(" ", item.text)]


def test_a_matching_widget_lists_the_right_column_in_display_order_and_pairs_each_left() -> None:
    for item in of_type("relacionar"):
        root = dom(item.kind.widget(item))
        assert root.cls("cp-prompt")[0].text == item.prompt
        shown = display_order(item, item.right)
        entries = root.one("ol").all("li")
        assert [li.attrs["data-right"] for li in entries] == [c.id for c in shown]
        assert [li.cls("cp-match-text")[0].text for li in entries] == [c.text for c in shown]
        pairs = root.cls("cp-pair")
        assert [p.attrs["data-left"] for p in pairs] == [c.id for c in item.left]
        assert [p.one("legend").text for p in pairs] == [c.text for c in item.left]
        for pair, left in zip(pairs, item.left, strict=True):
            radios = pair.all("input")
            assert [r.attrs["value"] for r in radios] == [c.id for c in shown]
            assert {r.attrs["name"] for r in radios} == {f"{item.id}--{left.id}"}
        labelled_inputs(root)


def test_an_ordering_widget_shows_every_element_in_an_order_that_is_not_the_key() -> None:
    for item in of_type("ordenar"):
        root = dom(item.kind.widget(item))
        assert root.one("legend").text == item.prompt
        rows = root.cls("cp-order-item")
        shown = [c.id for c in display_order(item, item.elements)]
        assert [r.attrs["data-element"] for r in rows] == shown
        assert shown != [e.id for e in item.elements]
        texts = {e.id: e.text for e in item.elements}
        for row in rows:
            text = texts[row.attrs["data-element"]]
            assert row.cls("cp-order-text")[0].text == text
            buttons = row.all("button")
            assert [b.attrs["aria-label"] for b in buttons] == [f"Subir: {text}", f"Bajar: {text}"]


def test_an_open_response_widget_has_a_labelled_text_area_and_its_word_count() -> None:
    for item in of_type("respuesta-abierta"):
        root = dom(item.kind.widget(item))
        area = root.one("textarea")
        assert labelled_inputs(root)[area.attrs["id"]] == item.prompt
        assert root.one(id=f"{item.id}--count").text == "0 palabras"
        if item.min_words:
            assert f"Entre {item.min_words} y {item.max_words} palabras." in root.text


def test_a_selection_widget_offers_each_candidate_sentence_as_a_toggle() -> None:
    for item in of_type("seleccionar-en-el-texto"):
        root = dom(item.kind.widget(item))
        assert root.one("legend").text == item.prompt
        buttons = root.cls("cp-sentence")
        assert [(b.attrs["data-sentence"], b.text) for b in buttons] == [
            (s.id, s.text) for s in item.data.candidates
        ]
        assert {b.attrs["aria-pressed"] for b in buttons} == {"false"}
        groups = root.cls("cp-sentence-group")
        paragraphs = sorted({s.paragraph for s in item.data.candidates})
        assert [g.cls("cp-sentence-paragraph")[0].text for g in groups] == [
            f"Párrafo {n}" for n in paragraphs
        ]
        assert [[b.attrs["data-sentence"] for b in g.cls("cp-sentence")] for g in groups] == [
            [s.id for s in item.data.candidates if s.paragraph == n] for n in paragraphs
        ]
        assert root.one(data_sentences=item.id)


def test_a_two_part_widget_shows_both_parts_and_a_selection_as_toggles_not_as_text() -> None:
    for item in of_type("dos-partes"):
        data = item.data
        html = item.kind.widget(item)
        assert "&lt;" not in html, "Part B's sentences are markup, not escaped text"
        root = dom(html)
        part_a, part_b = root.all("fieldset")
        assert part_a.one("legend").text == f"Parte A. {data.a.prompt}"
        assert part_b.one("legend").text == f"Parte B. {data.b.prompt}"
        a_labels = labelled_inputs(part_a)
        assert [a_labels[i.attrs["id"]] for i in part_a.all("input")] == [
            o.text for o in data.a.options
        ]
        assert {i.attrs["name"] for i in part_a.all("input")} == {f"{item.id}--a"}
        if data.b.selection is not None:
            assert [b.attrs["data-sentence"] for b in part_b.cls("cp-sentence")] == (
                data.b.selection.ids
            )
            assert part_b.one(data_sentences=f"{item.id}--b")
        else:
            labels = labelled_inputs(part_b)
            assert [labels[i.attrs["id"]] for i in part_b.all("input")] == [
                f"«{o.text}»" for o in data.b.options
            ]
        hint = "La parte B solo puntúa si la parte A es correcta."
        assert (hint in root.text) == data.dependent
    assert {i.data.dependent for i in of_type("dos-partes")} == {True, False}


def test_a_rendered_template_is_escaped_and_refuses_an_unknown_name() -> None:
    item = ITEMS["ou-ciudad"]
    hostile = replace(item, prompt="<b>¿Adónde?</b>")
    assert "&lt;b&gt;¿Adónde?&lt;/b&gt;" in item.kind.widget(hostile)
    with pytest.raises(Exception, match="item"):
        render(item.kind, "widget.html")


# ----- plain output (builders other than HTML) ------------------------------------------


@pytest.mark.parametrize("item", list(ITEMS.values()), ids=lambda i: i.id)
def test_the_plain_form_is_the_prompt_and_the_choices_to_read(item: Item) -> None:
    nodes = item.kind.plain(item)
    texts = [n.astext() for n in nodes]
    if item.type == "seleccionar-en-el-texto":
        assert texts == [
            item.prompt,
            "\n\n".join(f"{s.id}) {s.text}" for s in item.data.candidates),
        ]
        assert item.kind.choices_to_read(item) == []
    elif item.type == "dos-partes":
        data = item.data
        b = (
            [s.text for s in data.b.selection.candidates]
            if data.b.selection is not None
            else [f"«{o.text}»" for o in data.b.options]
        )
        assert texts == [
            item.prompt,
            f"Parte A. {data.a.prompt}",
            "\n\n".join(o.text for o in data.a.options),
            f"Parte B. {data.b.prompt}",
            "\n\n".join(b),
        ]
        assert item.kind.choices_to_read(item) == [
            f"Parte A. {data.a.prompt}",
            *(o.text for o in data.a.options),
            f"Parte B. {data.b.prompt}",
            *(f"«{o.text}»" for o in data.b.options),
        ]
    else:
        choices = item.kind.choices_to_read(item)
        assert texts == ([item.prompt, "\n\n".join(choices)] if choices else [item.prompt])
        assert [type(n).__name__ for n in nodes] == ["paragraph", "bullet_list"][: len(texts)]


def test_the_choices_to_read_of_each_type() -> None:
    rel = ITEMS["rel-temas"]
    assert rel.kind.choices_to_read(rel) == [c.text for c in (*rel.left, *rel.right)]
    order = ITEMS["ord-4"]
    assert order.kind.choices_to_read(order) == [e.text for e in order.elements]
    for item_id in ("ou-ciudad", "om-2de5"):
        item = ITEMS[item_id]
        assert item.kind.choices_to_read(item) == [o.text for o in item.options]
    for item_id in ("rc-moscu", "num-porcentaje", "ab-resumen"):
        assert ITEMS[item_id].kind.choices_to_read(ITEMS[item_id]) == []


# ----- the printed worksheet ------------------------------------------------------------


@pytest.mark.parametrize("item", list(ITEMS.values()), ids=lambda i: i.id)
def test_the_students_copy_has_the_prompt_and_no_key_and_the_teachers_marks_it(
    item: Item,
) -> None:
    student, teacher = item.kind.printed(item, key=False), item.kind.printed(item, key=True)
    if not (item.kind.folder / "print.html").exists():  # optional: the worksheet notes it
        assert student is None and teacher is None
        return
    assert student is not None and teacher is not None
    for html in (student, teacher):
        assert dom(html).cls("ws-prompt")[0].text == item.prompt
    marks = ("ws-key", "ws-accept", "ws-correct", "ws-rubric")
    assert not any(dom(student).cls(mark) for mark in marks) and "(correcta)" not in student
    assert any(dom(teacher).cls(mark) for mark in marks)


def test_a_printed_number_key_uses_a_decimal_comma_and_its_range() -> None:
    item = ITEMS["num-porcentaje"]
    assert item.key == 80 and item.tolerance == 0.5 and item.unit == "%"
    key = dom(item.kind.printed(item, key=True) or "").cls("ws-key")[0].text
    assert key == "Clave: 80 % (se acepta de 79,5 a 80,5)."
    exact = replace(item, key=7.25, tolerance=0.0, unit="")
    assert dom(item.kind.printed(exact, key=True) or "").cls("ws-key")[0].text == "Clave: 7,25."
    student = dom(item.kind.printed(item, key=False) or "")
    assert [u.text for u in student.cls("ws-unit")] == ["%"]


def test_a_printed_open_response_has_room_for_its_words() -> None:
    item = ITEMS["ab-resumen"]

    def rules(max_words: int) -> int:
        changed = replace(item, max_words=max_words, min_words=0)
        return len(dom(item.kind.printed(changed, key=False) or "").cls("ws-rule"))

    # about nine words a line, one line more, and never fewer than six
    assert rules(30) == 6
    assert rules(90) == math.ceil(90 / 9) + 1 == 11
    assert rules(100) == 13
    assert rules(0) == math.ceil(60 / 9) + 1 == 8
    teacher = dom(item.kind.printed(item, key=True) or "")
    assert [[td.text for td in row.all("td")] for row in teacher.one("tbody").all("tr")] == [
        [c.criterion, f"{c.points:g}"] for c in item.rubric
    ]
    halves = replace(item, rubric=(replace(item.rubric[0], points=1.5),))
    assert dom(item.kind.printed(halves, key=True) or "").one("tbody").all("td")[1].text == "1,5"


def test_a_printed_cloze_numbers_its_blanks_in_order() -> None:
    for item in of_type("huecos"):
        for key in (False, True):
            cloze = dom(item.kind.printed(item, key=key) or "").cls("ws-cloze")[0]
            blanks = [c.text for c in cloze.children if isinstance(c, El)]
            assert blanks == [f"({n})" for n in range(1, len(item.blanks) + 1)]
            pieces = BLANK.split(item.text)
            pieces[1::2] = [f"({n})" for n in range(1, len(pieces) // 2 + 1)]
            numbered = "".join(pieces)
            assert cloze.text == re.sub(r"\s+", " ", numbered)


# ----- the page's data ------------------------------------------------------------------


def test_the_page_data_and_key_of_every_type() -> None:
    for item_id in ("ou-ciudad", "om-2de5"):
        item = ITEMS[item_id]
        assert item.kind.page_data(item) == {
            "options": [{"id": o.id, "text": o.text} for o in item.options]
        }
        assert item.kind.page_key(item) == {
            "options": [
                {"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
                for o in item.options
            ]
        }
    vf = ITEMS["vf-verdadero"]
    assert vf.kind.page_data(vf) == {}
    assert vf.kind.page_key(vf) == {"key": True, "feedback": dict(vf.feedback)}
    num = ITEMS["num-porcentaje"]
    assert num.kind.page_key(num) == {
        "key": 80.0,
        "tolerance": 0.5,
        "unit": "%",
        "wrong": [{"answer": w.answer, "feedback": w.feedback} for w in num.wrong],
    }
    assert num.wrong
    rc = ITEMS["rc-moscu"]
    assert rc.kind.page_key(rc) == {"textKey": text_key(rc.text_key)}
    hu = ITEMS["hu-resumen"]
    assert hu.kind.page_data(hu) == {"blanks": [name for name, _ in hu.blanks]}
    assert hu.kind.page_key(hu) == {"blankKeys": {n: text_key(k) for n, k in hu.blanks}}
    rel = ITEMS["rel-temas"]
    assert rel.kind.page_data(rel) == {
        "left": [{"id": c.id, "text": c.text} for c in rel.left],
        "right": [{"id": c.id, "text": c.text} for c in display_order(rel, rel.right)],
    }
    assert rel.kind.page_key(rel) == {"feedback": dict(rel.feedback), "pairs": dict(rel.pairs)}
    assert rel.feedback
    no_feedback = replace(rel, feedback={})
    assert rel.kind.page_key(no_feedback) == {"pairs": dict(rel.pairs)}
    order = ITEMS["ord-4"]
    assert order.kind.page_data(order) == {
        "elements": [{"id": c.id, "text": c.text} for c in display_order(order, order.elements)]
    }
    assert order.kind.page_key(order) == {"order": [e.id for e in order.elements]}
    ab = ITEMS["ab-resumen"]
    assert ab.kind.page_data(ab) == {"words": [5, 30]}
    assert ab.kind.page_data(replace(ab, min_words=0, max_words=0)) == {}
    assert ab.kind.page_data(replace(ab, min_words=0, max_words=40)) == {"words": [0, 40]}
    assert ab.kind.page_data(replace(ab, min_words=10, max_words=0)) == {"words": [10, 0]}
    assert ab.kind.page_key(ab) == {}


def text_key(key: Any) -> dict[str, Any]:
    return {
        "accept": list(key.accept),
        "policy": {
            "case": key.policy.case,
            "accents": key.policy.accents,
            "punctuation": key.policy.punctuation,
            "typos": key.policy.typos,
        },
        "wrong": [{"answer": w.answer, "feedback": w.feedback} for w in key.wrong],
        "feedbackIncorrect": key.feedback_incorrect,
    }


def test_the_page_data_of_a_selection_and_of_two_parts() -> None:
    sel = ITEMS["sel-p6"]
    assert sel.kind.page_data(sel) == {"sentences": ["6.1", "6.2"]}
    assert sel.kind.page_key(sel) == {
        "key": ["6.1"],
        "labels": {
            "6.1": "Párrafo 6, frase 1 («Más del 80% del petróleo…»)",
            "6.2": "Párrafo 6, frase 2 («Putin destaca su cooperación constructiva…»)",
        },
        "sentenceFeedback": dict(sel.data.feedback),
        "where": "del párrafo 6",
    }
    assert sel.data.feedback
    dp = ITEMS["dp-unica"]
    a, b = dp.data.a, dp.data.b

    def options(choices: Any, key: bool) -> list[dict[str, Any]]:
        def extra(o: Any) -> dict[str, Any]:
            return {"correct": o.correct, "feedback": o.feedback} if key else {}

        return [{"id": o.id, "text": o.text} | extra(o) for o in choices]

    assert dp.kind.page_data(dp) == {
        "partA": {"options": options(a.options, False)},
        "partB": {"kind": "opcion-unica", "options": options(b.options, False)},
        "dependent": True,
    }
    assert dp.kind.page_key(dp) == {
        "partA": {"options": options(a.options, True)},
        "partB": {"kind": "opcion-unica", "options": options(b.options, True)},
    }
    frases = next(i for i in of_type("dos-partes") if i.data.b.selection is not None)
    selection = frases.data.b.selection
    data, key = frases.kind.page_data(frases), frases.kind.page_key(frases)
    assert data["partB"] == {"kind": "seleccionar-en-el-texto", "sentences": selection.ids}
    assert frases.id == "dp-frases"
    assert data["partA"] == {"options": options(frases.data.a.options, False)}
    assert data["dependent"] is True
    assert key == {
        "partA": {"options": options(frases.data.a.options, True)},
        "partB": {
            "kind": "seleccionar-en-el-texto",
            "sentences": ["2.1", "2.2"],
            "key": ["2.2"],
            "labels": {
                "2.1": "Párrafo 2, frase 1 («Al llegar a Astana el…»)",
                "2.2": "Párrafo 2, frase 2 («Toqaev revela que leyó cuidadosamente…»)",
            },
            "sentenceFeedback": {"2.1": "Esta frase habla del apretón de manos."},
            "where": "del párrafo 2",
        },
    }


def test_an_item_is_titled_with_its_number_type_and_points_and_checked_in_practice() -> None:
    from comprende.ext.exercises import render_item

    item = ITEMS["ou-ciudad"]
    before, after = render_item(item, 3, practice=True)
    root = dom(before + after)
    section = root.one("section")
    assert section.attrs["data-item"] == "ou-ciudad"
    assert root.one("h2").text == "Pregunta 3 (opción única, 1 punto)"
    assert root.one("button").text == "Comprobar"
    assert root.one("legend").text == item.prompt
    _, exam = render_item(item, 3, practice=False)
    assert "cp-check" not in exam
    open_item = ITEMS["ab-resumen"]
    assert "cp-check" not in "".join(render_item(open_item, 1, practice=True))


# ----- the reports' view of an answer -----------------------------------------------------
# What the instructor's and the student's feedback pages show of an answer
# (comprende.reports.base.answer_view, rendered by templates/feedback_answer.html):
# choices by their text, unknown ids marked, in the layout of the type.


def answer_on_the_page(item: Item, answer: Any) -> tuple[AnswerView, str, str]:
    """The view of ``answer``, its one-line text, and the feedback page's HTML of it."""
    view = answer_view(item, answer)
    return view, str(view), _ENV.get_template("feedback_answer.html").render(view=view)


def test_a_single_choice_is_shown_by_its_text_and_an_unknown_id_is_marked() -> None:
    item = ITEMS["ou-ciudad"]
    assert answer_on_the_page(item, "c") == (
        AnswerView("choice", (AnswerPart("Moscú"),)),
        "Moscú",
        "Moscú",
    )
    view, text, html = answer_on_the_page(item, "zz")
    assert view == AnswerView("choice", (AnswerPart("zz", "", UNKNOWN_CHOICE),))
    assert text == "«zz» (no es ninguna de las opciones)"
    assert html == (
        '<span class="unknown">«zz»</span> <em class="why">(no es ninguna de las opciones)</em>'
    )
    assert item.kind.answer_view(item, ["c"]) is None  # the wrong shape: shown as JSON
    assert answer_on_the_page(item, ["c"])[1] == '["c"]'


def test_several_choices_are_listed_in_the_options_order_then_the_unknown_as_given() -> None:
    om = ITEMS["om-2de5"]
    backwards = replace(om, options=om.options[::-1])  # e, d, c, b, a: the options' order counts
    view, text, html = answer_on_the_page(backwards, ["a", "zz", ["x"], "e"])
    assert view == AnswerView(
        "list",
        (
            AnswerPart("Neumáticos"),
            AnswerPart("Alimentos"),
            AnswerPart("zz", "", UNKNOWN_CHOICE),
            AnswerPart('["x"]', "", UNKNOWN_CHOICE),
        ),
    )
    assert text.startswith("Neumáticos; Alimentos; «zz» (no es ninguna")
    assert html.startswith('<ul class="answer"><li>Neumáticos</li><li>Alimentos</li><li>')
    assert html.count("<li>") == 4
    assert str(answer_view(om, ["e", "a"])) == "Alimentos; Neumáticos"
    assert om.kind.answer_view(om, "a") is None


def test_matching_pairs_read_left_then_right_in_the_left_columns_order() -> None:
    item = ITEMS["rel-temas"]
    view, text, html = answer_on_the_page(item, {"l2": "r1", "l1": "zz", "x9": "r3", "l4": None})
    assert view == AnswerView(
        "pairs",
        (
            AnswerPart("zz", "El petróleo", UNKNOWN_CHOICE),
            AnswerPart(
                "Se quiere aumentar su tránsito hacia Uzbekistán y Kirguistán.", "El gas natural"
            ),
            AnswerPart(NO_ANSWER, "El comercio agrícola"),
            AnswerPart("x9 → Más del 80 % se exporta a través de Rusia.", "", UNKNOWN_LEFT),
        ),
    )
    assert text == (
        "El petróleo → «zz» (no es ninguna de las opciones); "
        "El gas natural → Se quiere aumentar su tránsito hacia Uzbekistán y Kirguistán.; "
        "El comercio agrícola → (sin respuesta); "
        "«x9 → Más del 80 % se exporta a través de Rusia.» (no es ningún elemento de la lista)"
    )
    assert html.startswith('<ul class="answer"><li>El petróleo → <span class="unknown">«zz»')
    assert html.count("<li>") == 4
    assert item.kind.answer_view(item, ["r1"]) is None


def test_a_number_given_as_text_is_shown_as_typed_with_the_unit_and_no_unit_adds_no_space() -> None:
    percent, day = ITEMS["num-porcentaje"], ITEMS["num-dia"]
    assert answer_on_the_page(percent, "80,5")[1:] == ("80,5 %", '<span class="text">80,5 %</span>')
    assert str(answer_view(percent, True)) == "true %"  # not a number: as given, not as 1
    assert answer_on_the_page(day, 27)[1:] == ("27", '<span class="text">27</span>')


def test_a_blank_left_empty_is_shown_as_not_answered() -> None:
    item = ITEMS["hu-resumen"]
    assert str(answer_view(item, {"b1": "", "b2": "x"})) == (
        "Hueco 1: (sin respuesta); Hueco 2: x; Hueco 3: (sin respuesta)"
    )


def test_a_two_part_answer_shows_each_part_by_its_text_under_its_name() -> None:
    sentences, multiple, single = (
        ITEMS["dp-frases"],
        ITEMS["dp-multiple-independiente"],
        ITEMS["dp-unica"],
    )
    view, text, html = answer_on_the_page(sentences, {"a": "b", "b": ["zz", "2.2"]})
    assert view == AnswerView(
        "blanks",
        (
            AnswerPart("Que tienen una visión común.", "Parte A"),
            AnswerPart("«Toqaev revela que leyó cuidadosamente…»", "Parte B, Párrafo 2, frase 2"),
            AnswerPart("zz", "Parte B", UNKNOWN_SENTENCE),
        ),
    )
    assert text.endswith("; Parte B: «zz» (no es ninguna frase de la pregunta)")
    assert html.count("<li>") == 3
    assert str(answer_view(sentences, {"a": "b", "b": []})) == (
        "Parte A: Que tienen una visión común.; Parte B: (sin respuesta)"
    )
    assert str(answer_view(multiple, {"a": "a", "b": ["zz", "q3"]})) == (
        "Parte A: De Rusia para exportar petróleo.; "
        "Parte B: «zz» (no es ninguna de las opciones); "
        "Parte B: Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"
    )
    assert str(answer_view(multiple, {"a": "a", "b": []})) == (
        "Parte A: De Rusia para exportar petróleo.; Parte B: (sin respuesta)"
    )
    assert str(answer_view(single, {"a": "c", "b": "y"})) == (
        "Parte A: Porque su petróleo sale por Rusia.; "
        "Parte B: Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"
    )
    assert str(answer_view(single, {"a": "c"})) == (
        "Parte A: Porque su petróleo sale por Rusia.; Parte B: (sin respuesta)"
    )


def test_marked_sentences_are_shown_in_reading_order_by_their_opening_words() -> None:
    item = ITEMS["sel-nuclear"]
    view = answer_view(item, ["10.1", "zz", ["x"], "9.1"])  # "10.1" sorts before "9.1" as text
    assert view == AnswerView(
        "blanks",
        (
            AnswerPart("«A medida que avanzan sus…»", "Párrafo 9, frase 1"),
            AnswerPart("«El enfoque de Toqaev en…»", "Párrafo 10, frase 1"),
            AnswerPart("zz", "", UNKNOWN_SENTENCE),
            AnswerPart('["x"]', "", UNKNOWN_SENTENCE),
        ),
    )
    html = _ENV.get_template("feedback_answer.html").render(view=view)
    assert html.startswith('<ul class="answer"><li>Párrafo 9, frase 1: «A medida que avanzan')
    assert '<li><span class="unknown">«zz»</span>' in html  # no label before an unknown id


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Putin llega hoy a Astana.", "«Putin llega hoy a Astana.»"),  # five words: whole
        ("Uno dos tres cuatro cinco, seis.", "«Uno dos tres cuatro cinco…»"),
        ("Uno dos tres cuatro cinco: seis.", "«Uno dos tres cuatro cinco…»"),
        (", dos tres cuatro cinco seis.", "«, dos tres cuatro cinco…»"),
        ("Uno dos tres cuatro ONUX seis.", "«Uno dos tres cuatro ONUX…»"),
    ],
)
def test_a_sentence_is_named_by_its_first_five_words(text: str, shown: str) -> None:
    assert opening(Sentence(1, 1, text)) == shown


# ----- the registry's hooks that the reports, the marks and the page data call ----------


def test_a_clozes_report_text_is_its_pieces_with_each_blank_numbered() -> None:
    (item, *_) = of_type("huecos")
    kind = item.kind
    text = "[[b1]] sigue siendo un socio [[b2]] de Rusia; [[b3]]"
    assert kind.report_text(replace(item, text=text)) == [
        ("", "(hueco 1)"),
        (" sigue siendo un socio ", ""),
        ("", "(hueco 2)"),
        (" de Rusia; ", ""),
        ("", "(hueco 3)"),
    ]
    assert kind.report_text(replace(item, text="[[b1]][[b2]] y [[b3]]")) == [
        ("", "(hueco 1)"),
        ("", "(hueco 2)"),
        (" y ", ""),
        ("", "(hueco 3)"),
    ]  # two blanks side by side: nothing between them
    pieces = kind.report_text(item)
    assert "".join(t or gap for t, gap in pieces) == BLANK.sub("{}", item.text).format(
        *(f"(hueco {n})" for n in range(1, len(BLANK.findall(item.text)) + 1))
    )
    assert all((t == "") != (gap == "") for t, gap in pieces)


def test_a_matchings_key_order_is_the_right_column_in_the_left_columns_order() -> None:
    item = ITEMS["rel-temas"]
    kind = item.kind
    assert kind.key_order(item, item.right) == ["r3", "r1", "r5", "r2", "r4"]
    assert kind.key_order(item, item.left) is None
    assert kind.key_order(replace(item, pairs=()), item.right) is None
    one = replace(item, pairs=(("l2", "r4"),))
    assert kind.key_order(one, one.right) == ["r4", "r1", "r2", "r3", "r5"]


def test_an_open_responses_marking_guide_is_its_rubric_model_and_word_limits() -> None:
    item = ITEMS["ab-resumen"]
    guide = item.kind.marking_guide(item)
    assert (guide.rubric, guide.model_answer, guide.min_words, guide.max_words) == (
        item.rubric,
        "",
        5,
        30,
    )
    assert len(guide.rubric) == 2
    modelled = replace(item, model_answer="Un modelo.", min_words=0, max_words=0)
    assert modelled.kind.marking_guide(modelled).model_answer == "Un modelo."
    assert (
        modelled.kind.marking_guide(modelled).min_words,
        modelled.kind.marking_guide(modelled).max_words,
    ) == (0, 0)


def test_a_numbers_shape_data_carries_its_unit_only_when_it_has_one() -> None:
    assert ITEMS["num-porcentaje"].kind.shape_data(ITEMS["num-porcentaje"]) == {"unit": "%"}
    assert ITEMS["num-unidad"].kind.shape_data(ITEMS["num-unidad"]) == {"unit": "por ciento"}
    assert ITEMS["num-dia"].kind.shape_data(ITEMS["num-dia"]) == {}


def test_the_students_message_of_an_invalid_answer_names_no_id() -> None:
    single = of_type("opcion-unica")[0]
    kind = single.kind
    listed = "Respuesta no válida: se esperaba una de las opciones: a, b, c."
    assert kind.student_message(single, listed) == (
        "Respuesta no válida: se esperaba una de las opciones de la pregunta."
    )
    other = "Respuesta no válida: una opción aparece dos veces."
    assert kind.student_message(single, other) == other  # names no id: kept
    assert kind.student_message(single, "No es correcto.") == "No es correcto."
    text = of_type("respuesta-corta")[0]  # no reason of its own: every message kept
    assert text.kind.student_message(text, "Respuesta no válida: se esperaba un texto.") == (
        "Respuesta no válida: se esperaba un texto."
    )


def test_a_two_part_answers_invalid_part_is_worded_by_the_parts_own_type() -> None:
    unica, frases = ITEMS["dp-unica"], ITEMS["dp-frases"]
    kind = unica.kind
    assert kind.student_message(
        unica, "Respuesta no válida: en la parte A, se esperaba una de las opciones: a, b, c."
    ) == ("Respuesta no válida: en la parte A, se esperaba una de las opciones de la pregunta.")
    assert kind.student_message(
        unica, "Respuesta no válida: en la parte B, se esperaba una de las opciones: x, y, z."
    ) == ("Respuesta no válida: en la parte B, se esperaba una de las opciones de la pregunta.")
    assert (
        kind.student_message(
            frases,
            'Respuesta no válida: en la parte B, se esperaba una lista de frases del párrafo 2 (como "2.1").',
        )
        == "Respuesta no válida: en la parte B, se esperaba una lista de frases del párrafo 2."
    )
    whole = "Respuesta no válida: se esperaba una respuesta para la parte A (a) y otra para la parte B (b)."
    assert kind.student_message(unica, whole) == (
        "Respuesta no válida: se esperaba una respuesta para la parte A y otra para la parte B."
    )
    twice = "Respuesta no válida: en la parte B, una opción aparece dos veces."
    assert kind.student_message(ITEMS["dp-multiple-independiente"], twice) == twice


@pytest.mark.parametrize("given", ["2.2", 7, {"x": 1}])
def test_a_sentence_part_b_that_is_not_a_list_is_no_sentence_not_no_option(given: Any) -> None:
    item = ITEMS["dp-frases"]
    view = answer_view(item, {"a": "a", "b": given})
    part_b = [p for p in view.parts if p.label == "Parte B"]
    assert [(p.text, p.unknown) for p in part_b] == [
        (given if isinstance(given, str) else json.dumps(given), UNKNOWN_SENTENCE)
    ]
    assert answer_view(item, {"a": "a"}).parts[-1] == AnswerPart(NO_ANSWER, "Parte B")
    unica = ITEMS["dp-unica"]  # a choice Part B keeps the choices' wording
    assert answer_view(unica, {"a": "a", "b": "zz"}).parts[-1].unknown == UNKNOWN_CHOICE

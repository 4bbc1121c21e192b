"""dos-partes: Part A is a choice; Part B asks for its evidence.

Part A (``part_a``: ``prompt``, ``options``) is a single choice. Part B (``part_b``)
is one of three kinds, named by its ``type``:

* ``opcion-unica`` / ``opcion-multiple``: ``prompt`` and ``options`` whose texts are
  verbatim quotes of the article; the right ones must be quotes of the item's
  ``evidence``;
* ``seleccionar-en-el-texto``: ``prompt``, optional ``paragraph`` and ``feedback``; the
  key is the sentences of the item's ``evidence``
  (see :mod:`comprende.types.seleccionar_en_el_texto`).

**Score.** Each part is worth half the points. Part A scores 1 or 0; Part B scores by
its own type's rule (a selection or a multiple choice may earn part of its half),
never below 0. With ``scoring: dependent`` (the default) Part B counts only when Part
A is right: a wrong or missing Part A makes the whole item 0, whatever Part B says.
With ``scoring: independent`` the two halves add up on their own.

This is CommonLit's rule (Part B counts only when Part A is correct) on a fixed scale:
CommonLit leaves a Part B out of the total when Part A is wrong, whereas here every
student's item keeps the same possible points, as PARCC's two-point EBSR items do
(2 points: both parts right; 1: Part A right; 0: otherwise). The sources are in the
author guide (docs/guias/autores.md, «Preguntas de dos partes»).

The answer is ``{"a": option id, "b": option id | [option ids] | [sentence ids]}``;
an empty part counts as not answered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ...diagnostics import did_you_mean, quote_mismatch, unknown_field
from ...errors import ComprendeError
from ...model import Choice, Item
from ...reports.base import AnswerPart, AnswerView, choice_part
from ...yamlio import LineDict
from .. import opcion_multiple, opcion_unica  # noqa: F401  (Part A's and B's types)
from ..base import (
    MSG_INVALID,
    MSG_MISSING,
    Invalid,
    QuestionType,
    mapping_lines,
    register,
    registered,
    render,
)
from ..fields import choice_json, choices
from ..seleccionar_en_el_texto import (
    UNKNOWN_SENTENCE,
    Selection,
    grade_selection,
    parse_selection,
    render_sentences,
    selection_comments,
    selection_data,
    selection_key,
    selection_view,
)

if TYPE_CHECKING:
    from ...article import Article
    from ...bank import _Reader

SINGLE, MULTIPLE, SELECT = "opcion-unica", "opcion-multiple", "seleccionar-en-el-texto"
PART_B_TYPES = (SINGLE, MULTIPLE, SELECT)
PART_A_FIELDS = frozenset({"prompt", "options"})
PART_B_FIELDS = {
    SINGLE: frozenset({"type", "prompt", "options"}),
    MULTIPLE: frozenset({"type", "prompt", "options"}),
    SELECT: frozenset({"type", "prompt", "paragraph", "feedback"}),
}
SCORING = ("dependent", "independent")
MSG_NOT_COUNTED = "La parte B no puntúa porque la parte A no es correcta."
MSG_NOT_ANSWERED = "La parte B no puntúa porque la parte A no está respondida."
PARTS = {"a": "Parte A", "b": "Parte B"}


@dataclass(frozen=True)
class Part:
    """One part: its prompt and, by kind, its options or its sentence selection."""

    kind: str
    prompt: str
    options: tuple[Choice, ...] = ()
    selection: Selection | None = None


@dataclass(frozen=True)
class TwoParts:
    a: Part
    b: Part
    #: Part B counts only when Part A is right.
    dependent: bool = True


# ----- loading ------------------------------------------------------------------------


def _part_reader(reader: _Reader, key: str) -> _Reader:
    value = reader.get(key, LineDict, fix=f"give `{key}:` its `prompt:` and the rest of the part")
    return reader.mapping(value, f"{reader.what}, {key}", key)


def _check_fields(part: _Reader, valid: frozenset[str], where: str) -> None:
    for name in part.data:
        if name not in valid:
            raise part.fail(
                unknown_field(str(name), valid, where),
                str(name),
                "fields: " + ", ".join(sorted(valid)),
            )


def _parse_a(reader: _Reader) -> Part:
    part = _part_reader(reader, "part_a")
    _check_fields(part, PART_A_FIELDS, " in part_a")
    options = choices(part, "options", options=True)
    if sum(o.correct for o in options) != 1:
        raise part.fail("Part A needs exactly one option with `correct: true`", "options")
    return Part(SINGLE, part.text("prompt"), options=options)


def _parse_b(reader: _Reader, article: Article) -> Part:
    part = _part_reader(reader, "part_b")
    kind = part.text("type") if "type" in part.data else ""
    if kind not in PART_B_TYPES:
        raise part.fail(
            f"Part B's `type` must be one of: {', '.join(PART_B_TYPES)}"
            + (f" (not {kind!r}{did_you_mean(kind, PART_B_TYPES)})" if kind else ""),
            "type",  # its line, or the part's when it is missing
            "write e.g. `type: seleccionar-en-el-texto`",
        )
    _check_fields(part, PART_B_FIELDS[kind], f" in a part_b of type {kind}")
    prompt = part.text("prompt")
    if kind == SELECT:
        return Part(kind, prompt, selection=parse_selection(part, reader, article))
    options = choices(part, "options", options=True)
    right = sum(o.correct for o in options)
    if kind == SINGLE and right != 1:
        raise part.fail("an opcion-unica Part B needs exactly one `correct: true`", "options")
    if kind == MULTIPLE and (right < 2 or right == len(options)):
        raise part.fail(
            "an opcion-multiple Part B needs two or more correct options and at least one wrong",
            "options",
        )
    quotes = set(reader.data["evidence"])
    lines = part.data["options"].item_lines
    for index, option in enumerate(options):
        if article.locate(option.text) is None:
            raise ComprendeError(
                f"{part.what}: option {option.id!r} is not a verbatim quote of one paragraph: "
                f"{option.text[:60]!r}\n{quote_mismatch(option.text, article)}",
                path=part.path,
                line=lines[index],
                fix="Part B's options are quotes: copy the words from seeds/ exactly",
                kind="evidence",
            )
        if option.correct and option.text not in quotes:
            raise ComprendeError(
                f"{part.what}: the right option {option.id!r} is not one of the item's `evidence`",
                path=part.path,
                line=lines[index],
                fix="list its text, exactly, under the item's `evidence:`",
            )
    return Part(kind, prompt, options=options)


# ----- grading ------------------------------------------------------------------------


def _part_item(item: Item, part: Part) -> Item:
    """The item as the part's own type sees it: the part's options, or its selection."""
    if part.selection is not None:
        return replace(item, data=part.selection)
    return replace(item, options=part.options)


def _grade_part(item: Item, part: Part, answer: Any) -> tuple[float, list[str]]:
    if part.selection is not None:
        return grade_selection(part.selection, answer)
    return registered(part.kind).grade(_part_item(item, part), answer)


@register
class TwoPart(QuestionType):
    id = "dos-partes"
    name = "dos partes"
    how_to_answer = (
        "en «a», la letra (el id) de una opción; en «b», lo que pide la parte B: una letra, "
        'una lista de letras o una lista de frases, p. ej.: ["2.2"]'
    )
    fields = frozenset({"part_a", "part_b", "scoring"})
    mapping_answer = True
    script = "comprende/types/dos-partes.js"
    stylesheets = ("comprende/selection.css", "comprende/types/dos-partes.css")

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        scoring = reader.text("scoring", default="dependent")
        if scoring not in SCORING:
            raise reader.fail(
                f"`scoring` must be dependent or independent, not {scoring!r}"
                + did_you_mean(scoring, SCORING),
                "scoring",
                "dependent (the default): Part B counts only when Part A is right",
            )
        data = TwoParts(_parse_a(reader), _parse_b(reader, article), scoring == "dependent")
        return {"data": data}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        data: TwoParts = item.data
        if not isinstance(answer, dict) or set(answer) - set(PARTS):
            raise Invalid(
                "se esperaba una respuesta para la parte A (a) y otra para la parte B (b)."
            )
        fractions, feedback = {}, []
        for name, part in (("a", data.a), ("b", data.b)):
            if name not in answer:
                fractions[name] = 0.0
                feedback.append(f"{PARTS[name]}: {MSG_MISSING}")
                continue
            try:
                fraction, messages = _grade_part(item, part, answer[name])
            except Invalid as exc:
                raise Invalid(f"en la parte {name.upper()}, {exc}") from None
            fractions[name] = max(0.0, min(1.0, fraction))
            feedback += [f"{PARTS[name]}: {message}" for message in messages]
        b = fractions["b"]
        if data.dependent and fractions["a"] < 1:
            if "b" in answer:
                feedback.append(MSG_NOT_COUNTED if "a" in answer else MSG_NOT_ANSWERED)
            b = 0.0
        return (fractions["a"] + b) / 2, feedback

    def answer_schema(self, item: Item) -> dict[str, Any]:
        data: TwoParts = item.data
        if data.b.selection is not None:
            b: dict[str, Any] = {
                "type": "array",
                "items": {"enum": data.b.selection.ids},
                "uniqueItems": True,
            }
        elif data.b.kind == MULTIPLE:
            b = {
                "type": "array",
                "items": {"enum": [o.id for o in data.b.options]},
                "uniqueItems": True,
            }
        else:
            b = {"enum": [o.id for o in data.b.options]}
        a = {"enum": [o.id for o in data.a.options]}
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "a": {"anyOf": [a, {"type": "null"}]},
                "b": {"anyOf": [b, {"type": "null"}]},
            },
        }

    def key_answer(self, item: Item) -> Any:
        data: TwoParts = item.data
        a = next(o.id for o in data.a.options if o.correct)
        if data.b.selection is not None:
            b: Any = list(data.b.selection.key)
        elif data.b.kind == MULTIPLE:
            b = [o.id for o in data.b.options if o.correct]
        else:
            b = next(o.id for o in data.b.options if o.correct)
        return {"a": a, "b": b}

    def template_comments(self, item: Item) -> list[str]:
        data: TwoParts = item.data
        lines = [f"Parte A (a): {data.a.prompt}"]
        lines += [f"  {o.id}) {o.text}" for o in data.a.options]
        lines.append(f"Parte B (b): {data.b.prompt}")
        if data.b.selection is not None:
            lines += selection_comments(data.b.selection)
        else:
            lines += [f"  {o.id}) «{o.text}»" for o in data.b.options]
        if data.dependent:
            lines.append("La parte B solo puntúa si la parte A es correcta.")
        return lines

    def template_answer(self, item: Item, value: Any, indent: str) -> list[str]:
        return mapping_lines(item, ["a", "b"], value, indent)

    def page_data(self, item: Item) -> dict[str, Any]:
        data: TwoParts = item.data
        b: dict[str, Any] = {"kind": data.b.kind}
        if data.b.selection is not None:
            b |= selection_data(data.b.selection)
        else:
            b["options"] = [choice_json(o, False) for o in data.b.options]
        return {
            "partA": {"options": [choice_json(o, False) for o in data.a.options]},
            "partB": b,
            "dependent": data.dependent,
        }

    def page_key(self, item: Item) -> dict[str, Any]:
        data: TwoParts = item.data
        b: dict[str, Any] = {"kind": data.b.kind}
        if data.b.selection is not None:
            b |= selection_data(data.b.selection) | selection_key(data.b.selection)
        else:
            b["options"] = [choice_json(o, True) for o in data.b.options]
        return {"partA": {"options": [choice_json(o, True) for o in data.a.options]}, "partB": b}

    def widget(self, item: Item) -> str:
        data: TwoParts = item.data
        sentences = (
            Markup(render_sentences(data.b.selection, f"{item.id}--b"))
            if data.b.selection is not None
            else ""
        )
        return render(self, "widget.html", item=item, data=data, sentences=sentences)

    def choices_to_read(self, item: Item) -> list[str]:
        # Part B's sentences are the article's own, already counted once as the article.
        data: TwoParts = item.data
        texts = [f"Parte A. {data.a.prompt}", *(o.text for o in data.a.options)]
        texts.append(f"Parte B. {data.b.prompt}")
        return texts + [f"«{o.text}»" for o in data.b.options]

    def plain(self, item: Item) -> list[Any]:
        from docutils import nodes

        data: TwoParts = item.data

        def bullets(texts: list[str]) -> Any:
            return nodes.bullet_list(
                "", *(nodes.list_item("", nodes.paragraph("", text)) for text in texts)
            )

        b_texts = (
            [s.text for s in data.b.selection.candidates]
            if data.b.selection is not None
            else [f"«{o.text}»" for o in data.b.options]
        )
        return [
            nodes.paragraph("", item.prompt),
            nodes.paragraph("", f"Parte A. {data.a.prompt}"),
            bullets([o.text for o in data.a.options]),
            nodes.paragraph("", f"Parte B. {data.b.prompt}"),
            bullets(b_texts),
        ]

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        if not isinstance(answer, dict):
            return None
        data: TwoParts = item.data
        parts = [choice_part(data.a.options, answer.get("a"), PARTS["a"])]
        given = answer.get("b")
        if data.b.selection is not None and isinstance(given, list):
            view = selection_view(data.b.selection, given)
            assert view is not None
            parts += [
                AnswerPart(p.text, f"{PARTS['b']}, {p.label}" if p.label else PARTS["b"], p.unknown)
                for p in view.parts
            ] or [AnswerPart("(sin respuesta)", PARTS["b"])]
        elif isinstance(given, list):
            parts += [choice_part(data.b.options, g, PARTS["b"]) for g in given] or [
                AnswerPart("(sin respuesta)", PARTS["b"])
            ]
        else:
            part = choice_part(data.b.options, given, PARTS["b"])
            if data.b.selection is not None and part.unknown:  # not a list of sentences
                part = AnswerPart(part.text, part.label, UNKNOWN_SENTENCE)
            parts.append(part)
        return AnswerView("blanks", tuple(parts))

    def invalid_reason(self, item: Item) -> str:
        return "se esperaba una respuesta para la parte A y otra para la parte B."

    def student_message(self, item: Item, message: str) -> str:
        """«en la parte A, se esperaba…»: the part's own type words the reason."""
        data: TwoParts = item.data
        bare = MSG_INVALID.format(reason="")
        for letter, part in (("A", data.a), ("B", data.b)):
            lead = f"{bare}en la parte {letter}, "
            if message.startswith(lead):
                inner = bare + message[len(lead) :]
                shown = registered(part.kind).student_message(_part_item(item, part), inner)
                return lead + shown[len(bare) :]
        return super().student_message(item, message)

    def key_label(self, item: Item) -> str:
        key = self.key_answer(item)
        b = "+".join(key["b"]) if isinstance(key["b"], list) else key["b"]
        return f"A:{key['a']} B:{b}"

    def answer_label(self, item: Item, answer: Any) -> str | None:
        if not isinstance(answer, dict):
            return None
        b = answer.get("b", "")
        if isinstance(b, list):
            b = "+".join(str(x) for x in b)
        return f"A:{answer.get('a', '')} B:{b}"

"""Exercises in the page: ``comprende-exercises`` renders a set, ``comprende-answers`` the panel.

The markup is plain, accessible HTML that works as a form without script (fieldsets,
native radios, checkboxes, selects and text inputs); ``comprende-exercises.js`` adds
checking, feedback, persistence, download and upload. In exam mode the page carries
no key, no feedback and no explanation.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..diagnostics import Kind, did_you_mean, warn
from ..errors import ComprendeError
from ..model import Bank, Item, ItemType
from ..pagedata import bank_meta, display_order, item_to_json
from ..schema import submission_schema
from ..template import TYPE_NAMES
from . import common
from .config import get_config
from .exercise_scripts import add_exercise_scripts
from .nodes import html_raw

SCHEMA_FILE = "esquema-respuestas.json"


def site_bank(directive: SphinxDirective) -> Bank:
    """The bank, loaded once per build (and again only when one of its files changes).

    A broken bank raises :class:`ComprendeError`; it has been reported once per build
    already (``comprende.bank``, at the bank file and line), so callers just go without.
    """
    return common.site_bank(directive.env)


def _points(value: float) -> str:
    text = f"{value:g}".replace(".", ",")
    return f"{text} punto" + ("" if value == 1 else "s")


def _choice_inputs(item: Item, kind: str) -> str:
    rows = []
    for option in item.options:
        input_id = f"{item.id}--{option.id}"
        rows.append(
            f'<div class="cp-option"><input type="{kind}" id="{input_id}" name="{item.id}" '
            f'value="{escape(option.id)}"><label for="{input_id}">{escape(option.text)}</label></div>'
        )
    return f'<div class="cp-options">{"".join(rows)}</div>'


def _fieldset(item: Item, body: str, hint: str = "") -> str:
    hint_html = f'<p class="cp-hint" id="{item.id}--hint">{escape(hint)}</p>' if hint else ""
    described = f' aria-describedby="{item.id}--hint"' if hint else ""
    return (
        f'<fieldset class="cp-answer"{described}><legend class="cp-prompt">{escape(item.prompt)}</legend>'
        f"{hint_html}{body}</fieldset>"
    )


def _text_field(item: Item, *, numeric: bool = False) -> str:
    mode = ' inputmode="decimal"' if numeric else ""
    unit = f' <span class="cp-unit">{escape(item.unit)}</span>' if item.unit else ""
    return (
        f'<div class="cp-answer"><label class="cp-prompt" for="{item.id}--input">{escape(item.prompt)}</label>'
        f'<div><input type="text" id="{item.id}--input" name="{item.id}" class="cp-text" '
        f'autocomplete="off" spellcheck="false"{mode}>{unit}</div></div>'
    )


def _cloze(item: Item) -> str:
    import re

    parts = re.split(r"\[\[([a-z0-9_-]+)\]\]", item.text)
    html = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            html.append(escape(part))
        else:
            number = (index + 1) // 2
            html.append(
                f'<input type="text" class="cp-blank" name="{item.id}--{part}" data-blank="{part}" '
                f'aria-label="Hueco {number}" autocomplete="off" spellcheck="false" size="12">'
            )
    return _fieldset(
        item,
        f'<p class="cp-cloze">{"".join(html)}</p>',
        "Escribe una palabra o expresión en cada hueco.",
    )


def _matching(item: Item) -> str:
    options = '<option value="">— Elige —</option>' + "".join(
        f'<option value="{escape(r.id)}">{escape(r.text)}</option>' for r in item.right
    )
    rows = "".join(
        f'<div class="cp-pair"><label for="{item.id}--{left.id}">{escape(left.text)}</label>'
        f'<select id="{item.id}--{left.id}" data-left="{escape(left.id)}">{options}</select></div>'
        for left in item.left
    )
    return _fieldset(
        item,
        f'<div class="cp-pairs">{rows}</div>',
        "Elige en cada lista la pareja que corresponde.",
    )


def _ordering(item: Item) -> str:
    rows = "".join(
        f'<li class="cp-order-item" data-element="{escape(e.id)}"><span class="cp-order-text">{escape(e.text)}</span>'
        f'<span class="cp-order-buttons"><button type="button" class="cp-up" '
        f'aria-label="Subir: {escape(e.text)}">↑</button><button type="button" class="cp-down" '
        f'aria-label="Bajar: {escape(e.text)}">↓</button></span></li>'
        for e in display_order(item, item.elements)
    )
    return _fieldset(
        item,
        f'<ol class="cp-order">{rows}</ol>',
        "Ordena los elementos con los botones Subir (↑) y Bajar (↓).",
    )


def _open(item: Item) -> str:
    limits = ""
    if item.min_words or item.max_words:
        limits = f"Entre {item.min_words} y {item.max_words} palabras. "
    return (
        f'<div class="cp-answer"><label class="cp-prompt" for="{item.id}--input">{escape(item.prompt)}</label>'
        f'<p class="cp-hint" id="{item.id}--hint">{limits}Esta respuesta la corrige tu profesor o profesora.</p>'
        f'<textarea id="{item.id}--input" name="{item.id}" rows="6" class="cp-textarea" '
        f'aria-describedby="{item.id}--hint {item.id}--count"></textarea>'
        f'<p class="cp-count" id="{item.id}--count" aria-live="polite">0 palabras</p></div>'
    )


def render_item(item: Item, number: int, *, practice: bool) -> tuple[str, str]:
    """The item's markup before and after the place of its context link."""
    match item.type:
        case ItemType.TRUE_FALSE:
            body = _fieldset(
                item,
                (
                    f'<div class="cp-options"><div class="cp-option"><input type="radio" id="{item.id}--v" '
                    f'name="{item.id}" value="true"><label for="{item.id}--v">Verdadero</label></div>'
                    f'<div class="cp-option"><input type="radio" id="{item.id}--f" name="{item.id}" '
                    f'value="false"><label for="{item.id}--f">Falso</label></div></div>'
                ),
            )
        case ItemType.SINGLE:
            body = _fieldset(item, _choice_inputs(item, "radio"))
        case ItemType.MULTIPLE:
            body = _fieldset(
                item, _choice_inputs(item, "checkbox"), "Puede haber varias respuestas correctas."
            )
        case ItemType.SHORT:
            body = _text_field(item)
        case ItemType.NUMERIC:
            body = _text_field(item, numeric=True)
        case ItemType.CLOZE:
            body = _cloze(item)
        case ItemType.MATCHING:
            body = _matching(item)
        case ItemType.ORDERING:
            body = _ordering(item)
        case ItemType.OPEN:
            body = _open(item)
    actions = ""
    if practice and item.auto_graded:
        actions = (
            f'<div class="cp-actions"><button type="button" class="cp-check">Comprobar</button></div>'
            f'<div class="cp-feedback" id="{item.id}--feedback" aria-live="polite"></div>'
        )
    title_id = f"item-{item.id}-title"
    return (
        f'<section class="cp-item" id="item-{item.id}" data-item="{item.id}" aria-labelledby="{title_id}">'
        f'<h2 class="cp-item-title" id="{title_id}">Pregunta {number}'
        f' <span class="cp-item-meta">({TYPE_NAMES[item.type]}, {_points(item.points)})</span></h2>'
        f"{body}",
        f"{actions}</section>",
    )


def context_link(item: Item, docname: str) -> nodes.paragraph:
    """«Consulta: <section title>», a cross-reference Sphinx resolves (and warns about)."""
    path, _, item_line = item.source.rpartition(":")
    line = str(item.context_line) if item.context_line else item_line
    reference = addnodes.pending_xref(
        "",
        nodes.inline(item.context, item.context),
        refdomain="std",
        reftype="ref",
        reftarget=item.context,
        refexplicit=False,
        refwarn=True,
        refdoc=docname,
    )
    reference.source, reference.line = path, int(line) if line.isdigit() else None
    paragraph = nodes.paragraph(
        "", "Consulta: ", reference, classes=["cp-context"], cp_label=item.context
    )
    paragraph.source, paragraph.line = reference.source, reference.line
    return paragraph


def _data_script(element_id: str, data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


class ExercisesDirective(SphinxDirective):
    """Render one set of the bank: ``:::{comprende-exercises} global``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        try:
            bank = site_bank(self)
        except ComprendeError:
            return []  # already reported once, with the bank file and line
        sets = {s.id: s for s in bank.sets}
        if self.arguments[0] not in sets:
            warn(
                Kind.EXERCISES,
                f"unknown set {self.arguments[0]!r}{did_you_mean(self.arguments[0], sets)} "
                f"(the bank has: {', '.join(sets)})",
                (self.env.docname, self.lineno),
            )
            return []
        item_set = sets[self.arguments[0]]
        practice = get_config(self.env.app).mode == "practice"
        items: list[nodes.Node] = []
        for number, item in enumerate(item_set.items, 1):
            before, after = render_item(item, number, practice=practice)
            items.append(html_raw("", html=before))
            if item.context:
                items.append(context_link(item, self.env.docname))
            items.append(html_raw("", html=after))
        data = {
            "mode": get_config(self.env.app).mode,
            "set": item_set.id,
            **bank_meta(bank),
            "pageItems": [item_to_json(i, with_key=practice) for i in item_set.items],
        }
        set_actions = ""
        if practice:
            set_actions = (
                '<div class="cp-set-actions"><button type="button" class="cp-check-all">'
                'Comprobar todas</button> <button type="button" class="cp-retry">Reintentar '
                'esta serie</button><p class="cp-score" aria-live="polite"></p></div>'
            )
        opening = (
            f'<div class="cp-exercises" data-set="{item_set.id}">'
            f'<p class="cp-instructions">{escape(item_set.instructions)}</p>'
            f'<form class="cp-form" novalidate>'
        )
        closing = f"</form>{set_actions}{_data_script('cp-data-' + item_set.id, data)}</div>"
        return [html_raw("", html=opening), *items, html_raw("", html=closing)]


ANSWERS_PANEL = """<section class="cp-panel" aria-labelledby="cp-panel-title">
<h2 id="cp-panel-title">Tus respuestas</h2>
<p>Tus respuestas se guardan en este navegador. Para entregarlas, escribe tu identificador
y tu nombre y descarga el archivo.</p>
<div class="cp-student"><div><label for="cp-student-id">Identificador de estudiante</label>
<input type="text" id="cp-student-id" autocomplete="off"></div>
<div><label for="cp-student-name">Nombre completo</label>
<input type="text" id="cp-student-name" autocomplete="name"></div></div>
<div class="cp-panel-actions"><button type="button" class="cp-download">Descargar respuestas</button>
<input type="file" id="cp-upload" accept=".json,application/json">
<label class="cp-upload-label" for="cp-upload">Cargar un archivo de respuestas</label>
<button type="button" class="cp-clear">Borrar todas mis respuestas</button></div>
<p class="cp-status" role="status" aria-live="polite"></p>
{data}
</section>"""


class AnswersDirective(SphinxDirective):
    """The student's panel: id, name, download, upload, clear: ``:::{comprende-answers}``."""

    def run(self) -> list[nodes.Node]:
        try:
            bank = site_bank(self)
        except ComprendeError:
            return []  # already reported once, with the bank file and line
        data = {"mode": get_config(self.env.app).mode, **bank_meta(bank)}
        return [html_raw("", html=ANSWERS_PANEL.format(data=_data_script("cp-data-panel", data)))]


def _write_schema(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    bank = common.cached_bank(app)
    if bank is None:
        return  # reported once, as comprende.bank, with its file and line
    target = Path(app.outdir) / SCHEMA_FILE
    target.write_text(
        json.dumps(submission_schema(bank), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _exercise_script(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.Node | None
) -> None:
    """Only pages with exercises or the answers panel load the exercises' modules."""
    fragments = [node["html"] for node in doctree.findall(html_raw)] if doctree else []
    if any("cp-panel" in html or "cp-exercises" in html for html in fragments):
        add_exercise_scripts(app, context, fragments)


_MORE = "Para saber más: "


def _tidy_context_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """«Consulta: <section> (página: <page>)»; a dropdown shows its topic, not its prefix."""
    labels = app.env.domaindata["std"]["labels"]
    for paragraph in doctree.findall(nodes.paragraph):
        if "cp-context" not in paragraph["classes"]:
            continue
        for text in list(paragraph.findall(nodes.Text)):
            if text.astext().startswith(_MORE) and text.parent is not paragraph:
                topic = text.astext()[len(_MORE) :]
                first = next((i for i, c in enumerate(topic) if c.isalpha()), 0)
                topic = topic[:first] + topic[first:].capitalize()[:1] + topic[first + 1 :]
                text.parent.replace(text, nodes.Text(topic))
        target = labels.get(paragraph.get("cp_label", ""))
        if target and target[0] in app.env.titles:
            page = app.env.titles[target[0]].astext()
            if page != target[2]:
                paragraph += nodes.Text(f" (página: {page})")


def setup_exercises(app: Sphinx) -> None:
    app.add_directive("comprende-exercises", ExercisesDirective)
    app.add_directive("comprende-answers", AnswersDirective)
    app.connect("html-page-context", _exercise_script)
    app.connect("doctree-resolved", _tidy_context_links)
    app.connect("build-finished", _write_schema)

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
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..diagnostics import Kind, did_you_mean, warn
from ..errors import ComprendeError
from ..model import Bank, Item
from ..pagedata import bank_meta, item_to_json
from ..reports.base import points_text
from ..schema import submission_schema
from ..types.base import render
from . import common
from .config import get_config
from .exercise_scripts import add_exercise_scripts
from .nodes import html_raw

SCHEMA_FILE = "esquema-respuestas.json"
#: Where, in an item's markup, its context link goes (see types/templates/item.html).
_CONTEXT_SLOT = "<!--cp-context-->"


def site_bank(directive: SphinxDirective) -> Bank:
    """The bank, loaded once per build (and again only when one of its files changes).

    A broken bank raises :class:`ComprendeError`; it has been reported once per build
    already (``comprende.bank``, at the bank file and line), so callers just go without.
    """
    return common.site_bank(directive.env)


def render_item(item: Item, number: int, *, practice: bool) -> tuple[str, str]:
    """The item's markup before and after the place of its context link."""
    kind = item.kind
    before, after = render(
        kind,
        "item.html",
        item=item,
        number=number,
        points=points_text(item.points),
        body=Markup(kind.widget(item)),
        actions=practice and item.auto_graded,
    ).split(_CONTEXT_SLOT)
    return before, after


class plain_only(nodes.General, nodes.Element):
    """What builders other than HTML show of an item (HTML shows the widget instead)."""


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Element) -> None:
    """Other builders render the children as they are."""


def _plain(item: Item) -> plain_only:
    return plain_only("", *item.kind.plain(item))


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
            items.append(_plain(item))
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
    bank = common.cached_bank(app.env)
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
        add_exercise_scripts(app, pagename, context, fragments)


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
    shown: dict[str, Any] = {name: (_pass, _pass) for name in ("latex", "text", "man", "texinfo")}
    app.add_node(plain_only, html=(_skip, None), **shown)
    app.add_directive("comprende-exercises", ExercisesDirective)
    app.add_directive("comprende-answers", AnswersDirective)
    app.connect("html-page-context", _exercise_script)
    app.connect("doctree-resolved", _tidy_context_links)
    app.connect("build-finished", _write_schema)

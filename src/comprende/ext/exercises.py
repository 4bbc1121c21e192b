"""Exercises in the page: ``comprende-exercises`` renders a set, ``comprende-answers`` the panel.

The markup is plain, accessible HTML that works as a form without script (fieldsets,
native radios, checkboxes and text inputs); ``comprende-exercises.js`` adds
checking, feedback, persistence, download and upload. In exam mode the page carries
no key, no feedback and no explanation, and says it is an exam.
``comprende-review`` (what is left before handing in) and ``comprende-progress`` (each
set's progress) are filled by the script from the bank's catalog, which every page
with exercises carries (:mod:`.exercise_page`).
"""

from __future__ import annotations

import json
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
from .config import ComprendeConfig, env_config
from .directive import ComprendeDirective
from .exercise_page import data_script, finish_page, page_macros, set_docs, setup_exercise_page
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


def _shows_links(settings: ComprendeConfig) -> bool:
    return settings.mode == "practice" or settings.exam_links


class ExercisesDirective(ComprendeDirective):
    """Render one set of the bank: ``:::{comprende-exercises} global``."""

    argument = "the id of a set of the bank"
    example = "global"

    def body(self) -> list[nodes.Node]:
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
        set_docs(self.env)[item_set.id] = self.env.docname
        mode = env_config(self.env).mode
        practice = mode == "practice"
        links = _shows_links(env_config(self.env))
        items: list[nodes.Node] = []
        for number, item in enumerate(item_set.items, 1):
            before, after = render_item(item, number, practice=practice)
            items.append(_plain(item))
            items.append(html_raw("", html=before))
            if item.context and links:
                items.append(context_link(item, self.env.docname))
            items.append(html_raw("", html=after))
        data = {
            "mode": mode,
            "set": item_set.id,
            **bank_meta(bank),
            "pageItems": [item_to_json(i, with_key=practice) for i in item_set.items],
        }
        macros = page_macros()
        opening = macros.set_top(item_set)
        closing = macros.set_bottom(
            item_set, practice, Markup(data_script("cp-data-" + item_set.id, data))
        )
        return [html_raw("", html=opening), *items, html_raw("", html=closing)]


class AnswersDirective(ComprendeDirective):
    """The student's panel: id, name, download, upload, clear: ``:::{comprende-answers}``."""

    def body(self) -> list[nodes.Node]:
        try:
            bank = site_bank(self)
        except ComprendeError:
            return []  # already reported once, with the bank file and line
        mode = env_config(self.env).mode
        data = Markup(data_script("cp-data-panel", {"mode": mode, **bank_meta(bank)}))
        return [html_raw("", html=page_macros().panel(mode == "practice", data))]


class ReviewDirective(ComprendeDirective):
    """What is left before handing in, set by set: ``:::{comprende-review}``."""

    def body(self) -> list[nodes.Node]:
        set_docs(self.env)[""] = self.env.docname
        practice = env_config(self.env).mode == "practice"
        return [html_raw("", html=page_macros().review(practice))]


class ProgressDirective(ComprendeDirective):
    """Each set's progress (answered, and the score in practice): ``:::{comprende-progress}``."""

    def body(self) -> list[nodes.Node]:
        return [html_raw("", html=page_macros().progress())]


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
    if any(marker in html for html in fragments for marker in _MARKERS):
        finish_page(app, pagename, context)
        add_exercise_scripts(app, pagename, context, fragments)


_MARKERS = ("cp-panel", "cp-exercises", "cp-review", "cp-progress")
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
    app.add_directive("comprende-review", ReviewDirective)
    app.add_directive("comprende-progress", ProgressDirective)
    setup_exercise_page(app)
    app.connect("html-page-context", _exercise_script)
    app.connect("doctree-resolved", _tidy_context_links)
    app.connect("build-finished", _write_schema)

"""Context notes: ``comprende-context`` on a context page, shown under the paragraph.

A note is written once, on the context page that sources it::

    :::{comprende-context} 5 6
    Una o dos frases de contexto.
    :::

There it renders as an aside that links to paragraphs 5 and 6 of the article; on the
article page, every paragraph gets a card with the notes about it, each linking back
to its section. The collection works like ``sphinx.ext.todo`` (purge, merge, resolve).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..diagnostics import Kind, did_you_mean, warn
from ..errors import ComprendeError
from .common import paragraph_label, site_article
from .config import get_config
from .directive import ComprendeDirective
from .nodes import element


class context_note(nodes.General, nodes.Element):
    """A note about some paragraphs, on the context page that explains them."""


class context_placeholder(nodes.General, nodes.Element):
    """Where the notes about one paragraph go on the article page."""


@dataclass
class NoteRecord:
    docname: str
    node_id: str
    paragraphs: tuple[int, ...]
    page_title: str
    section_title: str
    content: list[nodes.Node]


def _paragraph_refs(numbers: tuple[int, ...]) -> list[nodes.Node]:
    parts: list[nodes.Node] = []
    for index, number in enumerate(numbers):
        if index:
            parts.append(nodes.Text(" y " if index == len(numbers) - 1 else ", "))
        parts.append(
            addnodes.pending_xref(
                "",
                nodes.inline("", str(number)),
                refdomain="std",
                reftype="ref",
                reftarget=paragraph_label(number),
                refexplicit=True,
                refwarn=True,
            )
        )
    return parts


class ContextDirective(ComprendeDirective):
    """``:::{comprende-context} N [N …]``: a note about article paragraphs N…"""

    argument = "the numbers of the paragraphs it is about"
    example = "5 6"
    takes_content = None  # checked below: it needs a note

    def body(self) -> list[nodes.Node]:
        location = (self.env.docname, self.lineno)
        try:
            numbers = tuple(int(word) for word in self.arguments[0].split())
        except ValueError:
            warn(
                Kind.CONTEXT,
                f"comprende-context takes paragraph numbers, not {self.arguments[0]!r} "
                "(write e.g. `:::{comprende-context} 5 6`)",
                location,
            )
            return []
        try:
            count = len(site_article(self.env).paragraphs)
        except ComprendeError:
            count = 0  # reported once, as comprende.article: the numbers cannot be checked
        wrong = [n for n in numbers if count and not 1 <= n <= count]
        if wrong:
            warn(
                Kind.CONTEXT,
                f"comprende-context: the article has no paragraph {', '.join(map(str, wrong))} "
                f"(it has paragraphs 1 to {count})",
                location,
            )
            return []
        if not self.content:
            warn(Kind.CONTEXT, "comprende-context needs a short note as its content", location)
            return []
        serial = self.env.new_serialno("comprende-context")
        node_id = f"cp-nota-{serial}"
        note = context_note("", paragraphs=numbers, ids=[node_id], classes=["cp-note"])
        self.state.nested_parse(self.content, self.content_offset, note)
        self.set_source_info(note)
        return [note]


def _collect_notes(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    notes: list[NoteRecord] = env.comprende_notes  # type: ignore[attr-defined]
    docname = env.docname
    titles = list(doctree.findall(nodes.title))
    page_title = titles[0].astext() if titles else docname
    for note in doctree.findall(context_note):
        section = note.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        section_title = section[0].astext() if section is not None else page_title
        content = [child.deepcopy() for child in note.children]
        notes.append(
            NoteRecord(
                docname, note["ids"][0], note["paragraphs"], page_title, section_title, content
            )
        )
        # On its own page the note says which paragraphs it is about, with links.
        label = nodes.paragraph("", "", nodes.strong("", "En el artículo: "))
        label += nodes.Text("párrafo " if len(note["paragraphs"]) == 1 else "párrafos ")
        label += _paragraph_refs(note["paragraphs"])
        label["classes"] = ["cp-note-label"]
        note.insert(0, label)


# Each build's builder, for the notes' links. A post-transform reaches only the environment
# (``SphinxTransform.app`` is deprecated since Sphinx 9 and goes in 11), and a builder cannot
# be stored in the environment, which is pickled.
_BUILDERS: WeakKeyDictionary[BuildEnvironment, Builder] = WeakKeyDictionary()


def _init_env(app: Sphinx) -> None:
    _BUILDERS[app.env] = app.builder
    if not hasattr(app.env, "comprende_notes"):
        app.env.comprende_notes = []  # type: ignore[attr-defined]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.comprende_notes = [n for n in env.comprende_notes if n.docname != docname]  # type: ignore[attr-defined]


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    env.comprende_notes.extend(n for n in other.comprende_notes if n.docname in docnames)  # type: ignore[attr-defined]


def _article_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    page = get_config(app).article_page
    return [page] if (added or changed or removed) and page in env.found_docs else []


class PlaceContextNotes(SphinxPostTransform):
    """Replace each paragraph's placeholder with the notes about it (before refs resolve)."""

    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        notes: list[NoteRecord] = self.env.comprende_notes  # type: ignore[attr-defined]
        builder = _BUILDERS[self.env]
        docname = self.env.docname
        for placeholder in list(self.document.findall(context_placeholder)):
            number = placeholder["paragraph"]
            about = sorted(
                (n for n in notes if number in n.paragraphs), key=lambda n: (n.docname, n.node_id)
            )
            if not about:
                placeholder.parent.remove(placeholder)
                continue
            heading_id = f"cp-ctx-h-{number}"
            card = element(
                "aside",
                classes=["cp-context"],
                ids=[f"cp-ctx-{number}"],
                aria_labelledby=heading_id,
            )
            card += element(  # the card's title: .cp-context > p
                "p", nodes.Text(f"Contexto del párrafo {number}"), ids=[heading_id]
            )
            for note in about:
                item = element("div")  # a note: .cp-context > div
                for child in note.content:
                    item += child.deepcopy()
                uri = builder.get_relative_uri(docname, note.docname) + "#" + note.node_id
                more = nodes.paragraph("", "", nodes.Text("Más en "), classes=["cp-context-more"])
                title = note.page_title
                if note.section_title != note.page_title:
                    title += f": {note.section_title}"
                more += element("a", nodes.Text(title), href=uri)  # no classes: it is light
                item += more
                card += item
            placeholder.replace_self(card)


def _missing_context_label(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    """An item's «Consulta: …» link to a section label the site lacks: a ``comprende.context``
    warning at the item's ``context:`` line, with the closest label; the link stays text."""
    parent, target = node.parent, node.get("reftarget", "")
    if not (
        isinstance(parent, nodes.paragraph)
        and "cp-context" in parent["classes"]
        and parent.get("cp_label") == target
    ):
        return None
    labels = [
        name for name in env.domains.standard_domain.labels if not name.startswith("parrafo-")
    ]
    warn(
        Kind.CONTEXT,
        f"`context: {target}` is not the label of a section{did_you_mean(target, labels)}",
        node,
        once=True,  # the item may be shown on several pages: one mistake, one warning
    )
    return contnode


def _visit_note(self: Any, node: context_note) -> None:
    self.body.append(self.starttag(node, "aside", "", **{"aria-label": "Nota de contexto"}))


def _depart_note(self: Any, node: context_note) -> None:
    self.body.append("</aside>")


def setup_context(app: Sphinx) -> None:
    skip = (lambda self, node: None, lambda self, node: None)
    others: dict[str, Any] = {"latex": skip, "text": skip, "man": skip, "texinfo": skip}
    app.add_node(context_note, html=(_visit_note, _depart_note), **others)
    app.add_node(context_placeholder, html=skip, **others)
    app.add_directive("comprende-context", ContextDirective)
    app.add_post_transform(PlaceContextNotes)
    app.connect("builder-inited", _init_env)
    app.connect("env-before-read-docs", lambda app, env, docnames: _init_env(app))
    app.connect("doctree-read", _collect_notes)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _article_outdated)
    app.connect("missing-reference", _missing_context_label)

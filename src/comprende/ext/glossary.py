"""The glossary: the ``comprende-glossary`` page and the term links in the article.

Each form of a term in the article is a plain link to its entry (``glosario.html#id``):
without the page's script it is an ordinary, accessible link. The page holds one hidden
preview per term (:func:`term_previews`), however often the term occurs. The script
(``static/comprende.js``) gives the links their class and their ``aria-describedby``,
and the previews their ``role="tooltip"`` and their id (``cp-tip-<id>``, derived from
the term's form): what is the same for every occurrence is not repeated in the markup.
It shows the preview beside the word on hover, focus or tap.
"""

from __future__ import annotations

import re
import unicodedata

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from ..errors import ComprendeError
from ..glossary import LEVELS, Occurrence, Term, find_occurrences
from .common import paragraph_label, site_article, site_glossary
from .config import get_config
from .directive import ComprendeDirective
from .nodes import element


class glossary_term(nodes.Inline, nodes.TextElement):
    """A form of a glossary term in the article, linked to its entry with a preview."""


def preview_id(term_id: str) -> str:
    """The id of the preview of the term ``term_id`` on the article page."""
    return f"cp-tip-{term_id}"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def implied_id(form: str) -> str:
    """The entry id that the article page's script derives from a term's dictionary form
    (``slug`` in ``static/comprende.js``, step for step): lower case, accents dropped
    (NFD, U+0300–U+036F), every run of other characters a hyphen, none at the ends."""
    text = unicodedata.normalize("NFD", form.lower())
    text = "".join(c for c in text if not "\u0300" <= c <= "\u036f")
    return _NOT_SLUG.sub("-", text).strip("-")


def link_terms(text: str, occurrences: list[Occurrence], offset: int = 0) -> list[nodes.Node]:
    """``text`` as nodes, each of ``occurrences`` (positions from ``offset``) a link."""
    result: list[nodes.Node] = []
    position = 0
    for occ in occurrences:
        start, end = occ.start - offset, occ.end - offset
        if start > position:
            result.append(nodes.Text(text[position:start]))
        result.append(glossary_term("", text[start:end], term_id=occ.term.id))
        position = end
    if position < len(text):
        result.append(nodes.Text(text[position:]))
    return result


def term_previews(terms: list[Term]) -> nodes.Element:
    """One hidden preview per term, grouped by CEFR level.

    Only the script reads them, so they are kept short: a ``<p>`` per term, «form:
    definition», the level once per group (``data-level``), in the order of ``terms``.
    The script sets the form (the text before the first ``": "``) in bold, and gives
    each preview its ``role="tooltip"`` and its id, ``cp-tip-<entry id>``, derived from
    the form (:func:`implied_id`); only a preview whose entry id is not the form's
    carries its id in the markup.
    """
    box = element("div", classes=["cp-tips"], hidden="hidden")
    for level in LEVELS:
        group = [term for term in terms if term.level == level]
        if not group:
            continue
        tips = element("div", data_level=level)
        for term in group:
            implied = ": " not in term.term and implied_id(term.term) == term.id
            tips += element(
                "p",
                nodes.Text(f"{term.term}: {term.definition}"),
                ids=[] if implied else [preview_id(term.id)],
            )
        box += tips
    return box


def _visit_glossary_term(self: HTML5Translator, node: glossary_term) -> None:
    page = get_config(self.builder.app).glossary_page
    href = self.builder.get_relative_uri(self.builder.current_docname, page) + "#" + node["term_id"]
    self.body.append(self.starttag(node, "a", "", href=href))


def _depart_glossary_term(self: HTML5Translator, node: glossary_term) -> None:
    self.body.append("</a>")


class GlossaryDirective(ComprendeDirective):
    """Render the whole glossary from its data file: ``:::{comprende-glossary}``."""

    def body(self) -> list[nodes.Node]:
        try:
            article = site_article(self.env)
            terms = site_glossary(self.env)
        except ComprendeError:
            return []  # reported once, as comprende.article or comprende.glossary
        listing = nodes.definition_list(classes=["cp-glossary"])
        for term in sorted(terms, key=lambda t: _collation_key(t.term)):
            head = nodes.term("", "", nodes.strong("", term.term), ids=[term.id])
            head += element(
                "span", nodes.Text(f" {term.category} · {term.level}"), classes=["cp-term-meta"]
            )
            body = nodes.definition()
            body += nodes.paragraph("", term.definition)
            english = nodes.paragraph("", "", nodes.emphasis("", "En inglés: "))
            english += element("span", nodes.Text(term.english), lang="en")
            body += english
            number = article.locate(term.example) or 1
            example = nodes.paragraph("", "", nodes.emphasis("", "En el artículo: "))
            example += nodes.Text("«")
            example += _highlight(term.example, term)
            example += nodes.Text("» (")
            example += addnodes.pending_xref(
                "",
                nodes.inline("", f"párrafo {number}"),
                refdomain="std",
                reftype="ref",
                reftarget=paragraph_label(number),
                refexplicit=True,
                refwarn=True,
            )
            example += nodes.Text(")")
            body += example
            if term.note:
                body += nodes.paragraph("", "", nodes.emphasis("", "Nota: "), nodes.Text(term.note))
            listing += nodes.definition_list_item("", head, body)
        return [listing]


def _highlight(sentence: str, term: Term) -> list[nodes.Node]:
    parts: list[nodes.Node] = []
    position = 0
    for occ in find_occurrences(sentence, (term,)):
        parts.append(nodes.Text(sentence[position : occ.start]))
        parts.append(nodes.strong("", sentence[occ.start : occ.end]))
        position = occ.end
    parts.append(nodes.Text(sentence[position:]))
    return parts


def _collation_key(text: str) -> str:
    import unicodedata

    base = "".join(
        c
        for c in unicodedata.normalize("NFD", text.lower().replace("ñ", "n~"))
        if unicodedata.category(c) != "Mn"
    )
    return base


def setup_glossary(app: Sphinx) -> None:
    skip = (lambda self, node: None, lambda self, node: None)
    app.add_node(
        glossary_term,
        html=(_visit_glossary_term, _depart_glossary_term),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_directive("comprende-glossary", GlossaryDirective)

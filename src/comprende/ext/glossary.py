"""The glossary: the ``comprende-glossary`` page and the term links in the article.

A term link shows a preview of the definition on hover and on keyboard focus (CSS,
plus a few lines of script so Escape dismisses it, WCAG 1.4.13).
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..errors import ComprendeError
from ..glossary import Term, find_occurrences
from .common import paragraph_label, site_article, site_glossary
from .config import get_config
from .nodes import element


class glossary_term(nodes.Inline, nodes.TextElement):
    """A form of a glossary term in the article, linked to its entry with a preview."""


def link_terms(text: str, terms: tuple[Term, ...], prefix: str) -> list[nodes.Node]:
    """``text`` as nodes, with every glossary form wrapped in a :class:`glossary_term`."""
    result: list[nodes.Node] = []
    position = 0
    for index, occ in enumerate(find_occurrences(text, terms), start=1):
        if occ.start > position:
            result.append(nodes.Text(text[position : occ.start]))
        result.append(
            glossary_term(
                "",
                text[occ.start : occ.end],
                term_id=occ.term.id,
                term=occ.term.term,
                definition=occ.term.definition,
                tip_id=f"cp-tip-{prefix}-{index}",
            )
        )
        position = occ.end
    if position < len(text):
        result.append(nodes.Text(text[position:]))
    return result


def _visit_glossary_term(self: HTML5Translator, node: glossary_term) -> None:
    page = get_config(self.builder.app).glossary_page
    href = self.builder.get_relative_uri(self.builder.current_docname, page) + "#" + node["term_id"]
    self.body.append(
        self.starttag(
            node, "a", "", href=href, CLASS="cp-term", **{"aria-describedby": node["tip_id"]}
        )
    )


def _depart_glossary_term(self: HTML5Translator, node: glossary_term) -> None:
    term, definition = self.encode(node["term"]), self.encode(node["definition"])
    self.body.append(
        f'</a><span class="cp-tip" role="tooltip" id="{node["tip_id"]}">'
        f'<span class="cp-tip-term">{term}</span>: {definition}</span>'
    )


class GlossaryDirective(SphinxDirective):
    """Render the whole glossary from its data file: ``:::{comprende-glossary}``."""

    def run(self) -> list[nodes.Node]:
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

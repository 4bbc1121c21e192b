"""The ``comprende-article`` directive: the seed rendered as numbered paragraphs.

Each paragraph gets the anchor ``#pN`` and the reference label ``parrafo-N``; glossary
terms are linked where they occur, and the context notes of other pages are placed
under the paragraph they explain (see :mod:`.context`).
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..errors import ComprendeError
from . import common
from .common import paragraph_label, site_article, site_glossary
from .config import get_config
from .context import context_placeholder
from .glossary import link_terms
from .nodes import element

__all__ = ["ArticleDirective", "paragraph_label", "setup_article"]


class ArticleDirective(SphinxDirective):
    """Render the seed article: ``:::{comprende-article}``."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        try:
            article = site_article(self.env)
        except ComprendeError:
            return []  # reported once, as comprende.article, at the seed file
        try:
            terms = site_glossary(self.env)
        except ComprendeError:
            terms = ()  # reported once, as comprende.glossary: the article without links
        settings = get_config(self.env.app)
        if settings.mode == "exam" and not settings.exam_glossary:
            terms = ()  # an exam without the glossary's help (comprende_exam_glossary)
        std = self.env.domains.standard_domain
        body = element("div", classes=["cp-article"], lang="es")
        for number, text in enumerate(article.paragraphs, start=1):
            anchor = f"p{number}"
            std.note_hyperlink_target(
                paragraph_label(number), self.env.docname, anchor, f"párrafo {number}"
            )
            number_link = nodes.reference(
                "",
                "",
                element("span", nodes.Text("Párrafo "), classes=["cp-visually-hidden"]),
                nodes.Text(str(number)),
                refuri=f"#{anchor}",
                classes=["cp-para-num"],
            )
            para = nodes.paragraph(
                "", "", number_link, nodes.Text(" "), ids=[anchor], classes=["cp-para"]
            )
            para += element("span", *link_terms(text, terms, anchor), classes=["cp-para-text"])
            block = element(
                "div", para, context_placeholder(paragraph=number), classes=["cp-para-block"]
            )
            body += block
        return [body]


_PARAGRAPH_LABEL = re.compile(r"parrafo-\d+")


def _quiet_paragraph_links(
    app: Sphinx, env: Any, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    """Links to paragraphs while the article is broken are left as plain text, without a
    warning each: that is one mistake, reported once (``comprende.article``)."""
    target = node.get("reftarget", "")
    if _PARAGRAPH_LABEL.fullmatch(target) and common.failed(env, "article"):
        return contnode
    return None


def setup_article(app: Sphinx) -> None:
    app.add_directive("comprende-article", ArticleDirective)
    app.connect("missing-reference", _quiet_paragraph_links)

"""The ``comprende-article`` directive: the seed rendered as numbered paragraphs.

Each paragraph gets the anchor ``#pN`` and the reference label ``parrafo-N``; each of its
sentences (split at build time by :mod:`comprende.sentences`) is a ``<span
class="cp-s" id="sN-M">``, so the page's listening reads and highlights sentence by
sentence without a splitter of its own. Glossary terms are linked where they occur,
with one hidden preview per term for the whole page (see :mod:`.glossary`), and the
context notes of other pages are placed under the paragraph they explain (see
:mod:`.context`).

Above the text: an editorial header (a headline written by the module and marked as
ours, the source, the date, the level and the reading time) and the reader's tools
(reading modes and listening, ``templates/reader_tools.html``), which the article
page's script (``static/comprende.js``, loaded by this page only) brings to life::

    :::{comprende-article}
    :headline: Un titular escrito por el módulo
    :level: B1–B2

    La fecha de la noticia, con su fuente[^nota].
    :::
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sphinx.application import Sphinx

from ..article import Article
from ..errors import ComprendeError
from ..glossary import LEVELS, Occurrence, Term, find_occurrences
from ..sentences import split_sentences
from . import common
from .common import paragraph_label, site_article, site_glossary
from .config import env_config
from .context import context_placeholder
from .directive import ComprendeDirective
from .glossary import link_terms, term_previews
from .nodes import element, html_element, html_raw
from .reading import WORDS_PER_MINUTE, count_words, minutes

__all__ = ["ArticleDirective", "paragraph_label", "setup_article"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SCRIPT = "comprende.js"
STYLESHEET = "comprende-reader.css"
#: Terms at this level or above are marked by default («Con glosario»).
MARKED_FROM = "B2"
_LAYOUT = re.compile(r">\s+<")


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def reader_tools(*, glossary: bool) -> str:
    """The HTML of the reading modes and listening controls (hidden until the script runs)."""
    template = _templates().get_template("reader_tools.html")
    html = template.render(glossary=glossary, levels=LEVELS, marked_from=MARKED_FROM, rates=RATES)
    return _LAYOUT.sub("><", html).strip()


#: Listening speeds offered, as (value, label); 1 is the default.
RATES = (("0.75", "0,75×"), ("0.9", "0,9×"), ("1", "1×"), ("1.1", "1,1×"), ("1.25", "1,25×"))


def sentence_spans(number: int, text: str, occurrences: list[Occurrence]) -> list[nodes.Node]:
    """Paragraph ``number``'s ``text`` as one span per sentence, the spaces between kept
    as they are in the seed, and each of ``occurrences`` a glossary link."""
    result: list[nodes.Node] = []
    position = 0
    for index, sentence in enumerate(split_sentences(text), start=1):
        start = text.index(sentence, position)
        if start > position:
            result.append(nodes.Text(text[position:start]))
        end = start + len(sentence)
        inside = [o for o in occurrences if start <= o.start and o.end <= end]
        result.append(
            element(
                "span",
                *link_terms(sentence, inside, offset=start),
                classes=["cp-s"],
                ids=[f"s{number}-{index}"],
            )
        )
        position = end
    if position < len(text):
        result.append(nodes.Text(text[position:]))
    return result


def _paragraph(number: int, text: str, occurrences: list[Occurrence]) -> nodes.paragraph:
    anchor = f"p{number}"
    number_link = element(
        "a",
        element("span", nodes.Text("Párrafo "), classes=["cp-visually-hidden"]),
        nodes.Text(str(number)),
        href=f"#{anchor}",
        classes=["cp-para-num"],
    )
    para = nodes.paragraph("", "", number_link, nodes.Text(" "), ids=[anchor], classes=["cp-para"])
    para += element("span", *sentence_spans(number, text, occurrences), classes=["cp-para-text"])
    return para


def reading_time(article: Article) -> str:
    """«4 minutos (447 palabras)», at :data:`~.reading.WORDS_PER_MINUTE`."""
    words = count_words(" ".join(article.paragraphs))
    count = minutes(words)
    return f"{count} {'minuto' if count == 1 else 'minutos'} ({words} palabras)"


class ArticleDirective(ComprendeDirective):
    """Render the seed article: ``:::{comprende-article}``, with its editorial header."""

    takes_content = None  # optional: the date line of its header («Fecha»)
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "headline": directives.unchanged_required,
        "level": directives.unchanged,
    }

    def body(self) -> list[nodes.Node]:
        try:
            article = site_article(self.env)
        except ComprendeError:
            return []  # reported once, as comprende.article, at the seed file
        try:
            terms = site_glossary(self.env)
        except ComprendeError:
            terms = ()  # reported once, as comprende.glossary: the article without links
        settings = env_config(self.env)
        if settings.mode == "exam" and not settings.exam_glossary:
            terms = ()  # an exam without the glossary's help (comprende_exam_glossary)
        std = self.env.domains.standard_domain
        body = element("div", classes=["cp-article"], lang="es")
        body += self._header(article)
        body += html_raw("", html=reader_tools(glossary=bool(terms)))
        used: dict[str, Term] = {}
        for number, text in enumerate(article.paragraphs, start=1):
            std.note_hyperlink_target(
                paragraph_label(number), self.env.docname, f"p{number}", f"párrafo {number}"
            )
            occurrences = find_occurrences(text, terms)
            used.update((o.term.id, o.term) for o in occurrences if o.term.id not in used)
            block = element(
                "div",
                _paragraph(number, text, occurrences),
                context_placeholder(paragraph=number),
                classes=["cp-para-block"],
            )
            body += block
        if used:
            body += term_previews(list(used.values()))
        return [body]

    def _header(self, article: Article) -> nodes.Element:
        """The editorial header: our headline, then the source, date, level and time."""
        header = element("header", classes=["cp-article-head"])
        headline = self.options.get("headline", "").strip()
        if headline:
            header += element(
                "h2",
                element("span", nodes.Text("Titular de comprende"), classes=["cp-kicker"]),
                element("span", nodes.Text(": "), classes=["cp-visually-hidden"]),
                element("span", nodes.Text(headline), classes=["cp-headline-text"]),
                classes=["cp-headline"],
            )
            header += element(
                "p",
                nodes.Text(
                    "El titular lo ha escrito comprende. El texto del artículo, a "
                    "continuación, se reproduce sin cambios, con sus errores."
                ),
                classes=["cp-headline-note"],
            )
        facts = element("dl", classes=["cp-article-facts", "simple"])  # furo: not an API list
        source = (self.config.html_context or {}).get("comprende_source") or {}
        if source.get("name"):
            name = nodes.inline("", source["name"])
            if source.get("url"):  # a reference must sit in a text element
                name = nodes.inline(
                    "", "", nodes.reference("", source["name"], refuri=source["url"])
                )
            facts += self._fact("Fuente", [name])
        if self.content:
            holder = nodes.Element()
            self.state.nested_parse(self.content, self.content_offset, holder)
            facts += self._fact("Fecha", holder.children)
        if self.options.get("level"):
            facts += self._fact("Nivel", [nodes.Text(self.options["level"])])
        facts += self._fact(
            "Lectura", [nodes.Text(f"{reading_time(article)}, a {WORDS_PER_MINUTE} por minuto")]
        )
        header += facts
        return header

    @staticmethod
    def _fact(label: str, value: list[nodes.Node]) -> list[nodes.Element]:
        return [element("dt", nodes.Text(label)), element("dd", *value)]


def _paragraph_links_quiet(
    app: Sphinx, env: Any, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    """Links to paragraphs while the article is broken are left as plain text, without a
    warning each: that is one mistake, reported once (``comprende.article``)."""
    target = node.get("reftarget", "")
    if _PARAGRAPH_LABEL.fullmatch(target) and common.failed(env, "article"):
        return contnode
    return None


_PARAGRAPH_LABEL = re.compile(r"parrafo-\d+")


def _article_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The reader's script and styles, on the article page only."""
    if doctree is not None and any(
        "cp-article" in n["classes"] for n in doctree.findall(html_element)
    ):
        app.add_css_file(STYLESHEET)
        app.add_js_file(SCRIPT, loading_method="defer")


def setup_article(app: Sphinx) -> None:
    app.add_directive("comprende-article", ArticleDirective)
    app.connect("missing-reference", _paragraph_links_quiet)
    app.connect("html-page-context", _article_script)

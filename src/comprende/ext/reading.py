"""Reading times on the landing page, counted from the real texts at build time.

``:::{comprende-reading-times}`` renders a table: the article, the core of each context
page (from its title down to its first «Para saber más» dropdown, footnote marks left
out), the critical-reading page's core and the exercises' text, each with its words and
its minutes at :data:`WORDS_PER_MINUTE`. The pages are counted when the landing page is
written, so the table follows every edit of the pages it measures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ..errors import ComprendeError
from ..model import Bank
from . import common
from .directive import ComprendeDirective

WORDS_PER_MINUTE = 120
#: A word: letters or digits, with inner hyphens, apostrophes, commas or points
#: («Kasim-Yomart», «80,5» and «n.º» are one word each); «%» or «—» are not words.
_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*")
#: The critical-reading page, counted like a context page.
CRITICAL_READING = "lectura-critica"
ARTICLE = "articulo"
SOURCES_TITLE = "Fuentes"
_SKIPPED = (
    nodes.footnote_reference,
    nodes.footnote,
    nodes.comment,
    nodes.system_message,
    nodes.raw,
    nodes.substitution_definition,
    addnodes.toctree,
)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def minutes(words: int) -> int:
    """Whole minutes at :data:`WORDS_PER_MINUTE`, rounded up (at least one)."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _is_dropdown(node: nodes.Node) -> bool:
    """sphinx-design's dropdown, before or after its HTML post-transform."""
    return isinstance(node, nodes.Element) and (
        node.get("design_component") == "dropdown" or type(node).__name__ == "dropdown_main"
    )


def _is_sources(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.section)
        and bool(node.children)
        and isinstance(node[0], nodes.title)
        and node[0].astext().strip() == SOURCES_TITLE
    )


def core_text(doctree: nodes.Node) -> str:
    """The page's text from its title down to its first dropdown (or its sources)."""
    pieces: list[str] = []

    def walk(node: nodes.Node) -> bool:
        if _is_dropdown(node) or _is_sources(node):
            return True
        if isinstance(node, _SKIPPED):
            return False
        if isinstance(node, nodes.Text):
            pieces.append(str(node))
            return False
        return any(walk(child) for child in node.children)

    walk(doctree)
    return " ".join(pieces)


def bank_text(bank: Bank) -> str:
    """What a student reads in the exercises: instructions, prompts, options, texts."""
    pieces: list[str] = []
    for item_set in bank.sets:
        pieces.append(item_set.instructions)
        for item in item_set.items:
            pieces.append(item.prompt)
            pieces.extend(item.kind.choices_to_read(item))
    return " ".join(pieces)


class reading_times(nodes.General, nodes.Element):
    """Placeholder, filled in when the page is written (every page has been read then)."""


class ReadingTimesDirective(ComprendeDirective):
    """``:::{comprende-reading-times}``: the landing page's table of reading times."""

    def body(self) -> list[nodes.Node]:
        docs = Path(self.env.srcdir)
        watched: Iterable[Path] = (
            *sorted((docs / "contexto").glob("*.md")),
            docs / f"{CRITICAL_READING}.md",
            *common.bank_files(self.env),  # the bank's files and the article
        )
        for path in watched:
            self.env.note_dependency(str(path))
        return [reading_times("")]


def _context_pages(app: Sphinx) -> list[str]:
    included = app.env.toctree_includes.get("contexto/index", [])
    return [name for name in included if name.startswith("contexto/")]


def _parts(app: Sphinx) -> list[tuple[str, str, int]]:
    """(docname, label, words) for each part the landing page times."""
    env = app.env
    article = common.article(app.env)  # a broken seed raises (reported once, by the article page)
    parts = [(ARTICLE, "El artículo", count_words(" ".join(article.paragraphs)))]
    for docname in [*_context_pages(app), CRITICAL_READING]:
        if docname not in env.titles:
            continue
        title = env.titles[docname].astext()
        doctree = env.get_and_resolve_doctree(docname, app.builder)  # links show titles
        parts.append((docname, title, count_words(core_text(doctree))))
    bank = common.cached_bank(app.env)
    if bank is None:
        return parts  # reported once, as comprende.bank, with its file and line
    exercises = count_words(bank_text(bank))
    parts.append(("ejercicios/index", "Los ejercicios (enunciados y opciones)", exercises))
    return parts


def _row(*cells: nodes.Node | str) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", cell if isinstance(cell, nodes.Node) else nodes.Text(cell))
        row += entry
    return row


def _table(app: Sphinx, fromdoc: str) -> nodes.table:
    table = nodes.table(classes=["cp-reading-times"])
    group = nodes.tgroup(cols=3)
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in (6, 2, 2))
    head = nodes.thead()
    head += _row("Parte", "Palabras", "Minutos")
    body = nodes.tbody()
    total = 0
    for docname, label, words in _parts(app):
        total += words
        link = nodes.reference("", label, internal=True)
        link["refuri"] = app.builder.get_relative_uri(fromdoc, docname)
        row = _row(link, str(words), str(minutes(words)))
        row["classes"].append("cp-reading-part")
        body += row
    total_row = _row("Total", str(total), str(minutes(total)))
    total_row["classes"].append("cp-reading-total")
    body += total_row
    group += head
    group += body
    return table


def _fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for placeholder in list(doctree.findall(reading_times)):
        try:
            placeholder.replace_self(_table(app, docname))
        except ComprendeError:  # a bad article: the article page reports it
            placeholder.replace_self([])


def setup_reading(app: Sphinx) -> None:
    app.add_node(reading_times)
    app.add_directive("comprende-reading-times", ReadingTimesDirective)
    app.connect("doctree-resolved", _fill)

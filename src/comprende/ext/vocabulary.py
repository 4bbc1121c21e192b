"""The glossary as files to download: ``vocabulario-anki.txt`` and ``vocabulario.csv``.

At the end of an HTML build (``build-finished``) both files are written at the site's
root from the glossary and the article the build loaded (see
:mod:`comprende.exports.anki`). The ``comprende-vocabulary`` directive puts the two
download links on a page: ``:::{comprende-vocabulary}``.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..errors import ComprendeError
from ..exports.anki import ANKI_FILE, CSV_FILE, write_anki, write_csv
from . import common
from .nodes import element


def _link(href: str, text: str) -> nodes.Node:
    # download: the browser saves the file instead of showing it as text
    return element("a", nodes.Text(text), href=href, download="")


class VocabularyDirective(SphinxDirective):
    """The two download links, relative to the page that holds them."""

    def run(self) -> list[nodes.Node]:
        try:
            terms = common.site_glossary(self.env)
        except ComprendeError:
            return []  # reported once, as comprende.glossary
        page = self.env.docname + ".html"
        count = f"{len(terms)} palabras y expresiones"
        items = nodes.bullet_list(classes=["cp-vocabulary"])
        for href, text, what in (
            (ANKI_FILE, "Vocabulario para Anki", f"archivo de texto, {count}"),
            (CSV_FILE, "Vocabulario en CSV", "para Excel, LibreOffice u otra hoja de cálculo"),
        ):
            paragraph = nodes.paragraph()
            paragraph += _link(relative_uri(page, href), text)
            paragraph += nodes.Text(f" ({what})")
            items += nodes.list_item("", paragraph)
        return [items]


def write_vocabulary(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: both files at the root of an HTML site."""
    if exception is not None or app.builder.format != "html":
        return
    try:
        article = common.article(app.env)
        terms = common.glossary(app.env)
    except ComprendeError:
        return  # reported once, as comprende.article or comprende.glossary
    out = Path(app.outdir)
    write_anki(terms, article, out / ANKI_FILE)
    write_csv(terms, article, out / CSV_FILE)


def setup_vocabulary(app: Sphinx) -> None:
    app.add_directive("comprende-vocabulary", VocabularyDirective)
    app.connect("build-finished", write_vocabulary)

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
from sphinx.util.osutil import relative_uri
from sphinx.writers.html5 import HTML5Translator

from ..errors import ComprendeError
from ..exports.anki import ANKI_FILE, CSV_FILE, write_anki, write_csv
from . import common
from .directive import ComprendeDirective


class download_link(nodes.Inline, nodes.TextElement):
    """A link to a file at the site's root, saved rather than shown (``download``)."""


def _visit_download_link(self: HTML5Translator, node: download_link) -> None:
    # relative to the page as this builder names it (glosario.html, or glosario/ in dirhtml)
    page = self.builder.get_target_uri(self.builder.current_docname)
    href = relative_uri(page, node["file"])
    self.body.append(self.starttag(node, "a", "", href=href, download=""))


def _depart_download_link(self: HTML5Translator, node: download_link) -> None:
    self.body.append("</a>")


class VocabularyDirective(ComprendeDirective):
    """The two download links: ``:::{comprende-vocabulary}``."""

    def body(self) -> list[nodes.Node]:
        try:
            terms = common.site_glossary(self.env)
        except ComprendeError:
            return []  # reported once, as comprende.glossary
        count = f"{len(terms)} palabras y expresiones"
        items = nodes.bullet_list(classes=["cp-vocabulary"])
        for file, text, what in (
            (ANKI_FILE, "Vocabulario para Anki", f"archivo de texto, {count}"),
            (CSV_FILE, "Vocabulario en CSV", "para Excel, LibreOffice u otra hoja de cálculo"),
        ):
            paragraph = nodes.paragraph()
            paragraph += download_link("", text, file=file)
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
    text_only = (lambda self, node: None, lambda self, node: None)
    app.add_node(
        download_link,
        html=(_visit_download_link, _depart_download_link),
        latex=text_only,
        text=text_only,
        man=text_only,
        texinfo=text_only,
    )
    app.add_directive("comprende-vocabulary", VocabularyDirective)
    app.connect("build-finished", write_vocabulary)

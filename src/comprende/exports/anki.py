"""Vocabulary export: the glossary as an Anki text file (TSV) and as a spreadsheet CSV.

One row per glossary term, in the glossary's order. Each row carries the term, its
definition, its English equivalents, its usage note and *the article's sentence where
the term first occurs* (sentences as :mod:`comprende.sentences` cuts them; the first
sentence, in reading order, that holds one of the term's forms), with the term's forms
in bold in the Anki file.

**The Anki file** (``vocabulario-anki.txt``) follows the Anki manual, "Importing → Text
Files", in particular its "File Headers" section (Anki 2.1.54 and later), and the
importer it describes (``rslib/src/import_export/text/csv/metadata.rs`` and
``import.rs`` in ankitects/anki):

* UTF-8 **without** a BOM: the headers are only read from lines that *start* with
  ``#``, and a BOM would come before the first one.
* Header lines, one ``#key:value`` per line at the top: ``#separator:tab``,
  ``#html:true`` (fields are HTML, so the ``<b>`` of the sentence shows as bold and
  ``&lt;``/``&gt;``/``&amp;`` are the manual's replacements for literal ``<``, ``>``,
  ``&``), ``#notetype:Basic`` (Anki presets it only if a note type of that name exists,
  otherwise it keeps the one the dialog offers) and ``#tags column:7``. A plain ``#``
  comment line then names the columns. There is no ``#deck:`` header (Anki presets a
  deck only if one of that name already exists, so the learner chooses it) and no
  ``#columns:`` header: with column names Anki maps columns to fields *by name*, and
  the stock Basic note type (fields "Front"/"Back", translated in other interface
  languages) would get column 1 and an empty back. Without names Anki maps by position,
  so Basic takes column 1 (the term) as its front and column 2 (the whole answer) as
  its back, and a note type with more fields can take the other columns.
* Columns: 1 term, 2 back of the card (definition, English, the sentence in «» with
  its paragraph, the note), 3 definition, 4 English, 5 the sentence with the term in
  ``<b>…</b>``, 6 note, 7 tags. Anki takes the first field to spot duplicates, so
  importing a newer file again updates the cards instead of doubling them.
* Tags (space-separated, as Anki splits that column): ``nivel::B1`` and
  ``categoría::locución_adverbial`` (Anki's ``::`` hierarchy; spaces inside a value
  become ``_``). Anki reads the tags column as it is, not as HTML.
* No field ever holds a raw tab, line break or double quote: whitespace runs (tabs and
  line breaks included) become one space, ``"`` is written ``&#34;``. So a record is
  one line, split at its tabs, and Anki's CSV reader never sees a quoted field. A field
  starting with ``#`` (which would make the whole line a comment, skipped), ``=``,
  ``+``, ``-`` or ``@`` (a formula if the file is opened in a spreadsheet) starts with
  that character's numeric entity instead (``&#61;``), which Anki shows as the
  character itself.

**The CSV** (``vocabulario.csv``) is for spreadsheets: RFC 4180 (comma, ``"`` quoting,
``\\r\\n``), a header row, plain text (no HTML), every text cell formula-safe as
:func:`comprende.reports.base.safe_cell` makes it (OWASP's advice: a leading ``'``).
It is UTF-8 **with** a BOM: Excel on Windows reads a CSV without one in the system's
ANSI code page (Windows-1252 in western locales), so «definición» would show as
«definiciÃ³n»; with the BOM it reads UTF-8 (and Excel's own "CSV UTF-8" writes one).
LibreOffice Calc, Google Sheets and Python's ``encoding="utf-8-sig"`` read the BOM as
the encoding mark and drop it; Anki is not meant to read this file (the TSV is).

Sources (consulted 1 December 2026): Anki manual, "Text Files",
https://docs.ankiweb.net/importing/text-files.html (source:
ankitects/anki-manual ``src/importing/text-files.md``); Anki's importer,
https://github.com/ankitects/anki (``rslib/src/import_export/text/csv/``); on Excel
and the BOM: denoland/deno_std pull request 3143
(https://github.com/denoland/deno_std/pull/3143), Moodle commit MDL-72035 "csvlib:
Write BOM for Excel"
(https://github.com/moodle/moodle/commit/0eb14ac1d4e71899aa27d70922b547226f23eb06),
enlyze/S7-Project-Explorer issue 4 (LibreOffice and Google Sheets read it, Excel needs
the BOM), Peter Hilton, "CSV isn't broken - Excel is broken" (2022,
https://hilton.org.uk/blog/csv-excel: Excel saves UTF-8 CSV with a BOM and reads a CSV
as UTF-8 only when it has one).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from markupsafe import Markup, escape

from ..article import Article, load_article
from ..errors import ComprendeError
from ..glossary import Term, find_occurrences, load_glossary
from ..reports.base import CsvWriter, number_cell
from ..sentences import article_sentences
from .base import MARKER, ExportResult, Format, register_format

if TYPE_CHECKING:
    from ..model import Bank

#: The file names the site publishes (at its root).
ANKI_FILE = "vocabulario-anki.txt"
CSV_FILE = "vocabulario.csv"

#: In the Anki file's comment line: ``comprende export`` may replace a file that has it.
GENERATED = MARKER

#: The Anki file's columns, in order (1-based in Anki's headers).
ANKI_COLUMNS = ("Término", "Reverso", "Definición", "Inglés", "Frase", "Nota", "Etiquetas")
#: The CSV's header row.
CSV_COLUMNS = ("Término", "Definición", "Inglés", "Frase", "Párrafo", "Nivel", "Categoría", "Nota")

#: A field starting with one of these gets its first character as a numeric entity:
#: ``#`` would make Anki skip the line as a comment, the others start a formula.
_GUARDED_START = ("#", "=", "+", "-", "@")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NOT_TAG = re.compile(r"[^\w:.\-]+")
#: The back of a Basic card (autoescaped; ``sentence`` comes as Markup, its bold kept).
_BACK = Environment(autoescape=True).from_string(
    "{{ definition }}<br><i lang=en>{{ english }}</i><br>«{{ sentence }}»"
    "{% if paragraph %} (párrafo {{ paragraph }}){% endif %}"
    "{% if note %}<br><small>Nota: {{ note }}</small>{% endif %}"
)
_BOLD = Markup("<b>{}</b>")


@dataclass(frozen=True)
class Card:
    """One glossary term with the article's sentence where it first occurs."""

    term: Term
    #: The sentence, verbatim (or the glossary's example if no sentence holds the term).
    sentence: str
    #: 1-based paragraph of the sentence (0 if unknown).
    paragraph: int
    #: Where the term's forms are in :attr:`sentence` (start, end), in order.
    spans: tuple[tuple[int, int], ...]


def clean(text: str) -> str:
    """``text`` on one line: control characters dropped, whitespace runs made one space."""
    return " ".join(_CONTROL.sub("", text).split())


def cards(glossary: Iterable[Term], article: Article) -> tuple[Card, ...]:
    """A :class:`Card` per term, in the glossary's order."""
    sentences = article_sentences(article)
    result = []
    for term in glossary:
        for sentence in sentences:
            found = find_occurrences(sentence.text, (term,))
            if found:
                spans = tuple((occ.start, occ.end) for occ in found)
                result.append(Card(term, sentence.text, sentence.paragraph, spans))
                break
        else:  # not in the article (a glossary not checked against it): its example
            found = find_occurrences(term.example, (term,))
            result.append(
                Card(
                    term,
                    term.example,
                    article.locate(term.example) or 0,
                    tuple((occ.start, occ.end) for occ in found),
                )
            )
    return tuple(result)


def _html(text: str) -> Markup:
    """Plain text as HTML for one Anki field (whitespace cleaned, ``<&>"'`` escaped)."""
    return escape(clean(text))


def _guard(field: str) -> str:
    """The field, its first character as an entity if it would start a comment or formula."""
    if field.startswith(_GUARDED_START):
        return f"&#{ord(field[0])};{field[1:]}"
    return field


def bold_sentence(card: Card) -> Markup:
    """The sentence as HTML, the term's forms in ``<b>…</b>``."""
    parts = []
    position = 0
    for start, end in card.spans:
        parts.append(escape(card.sentence[position:start]))
        parts.append(_BOLD.format(card.sentence[start:end]))
        position = end
    parts.append(escape(card.sentence[position:]))
    return Markup(clean(Markup("").join(parts)))  # every part is escaped or _BOLD


def tags(term: Term) -> str:
    """The tags column: ``nivel::B1 categoría::locución_adverbial``."""

    def tag(prefix: str, value: str) -> str:
        return f"{prefix}::{_NOT_TAG.sub('_', clean(value)).strip('_') or 'sin_dato'}"

    return f"{tag('nivel', term.level)} {tag('categoría', term.category)}"


def anki_fields(card: Card) -> list[str]:
    """The seven fields of the card's line, as written (HTML, guarded)."""
    term = card.term
    sentence = bold_sentence(card)
    back = _BACK.render(
        definition=clean(term.definition),
        english=clean(term.english),
        sentence=sentence,
        paragraph=card.paragraph,
        note=clean(term.note),
    )
    fields = [
        _html(term.term),
        back,
        _html(term.definition),
        _html(term.english),
        sentence,
        _html(term.note),
    ]
    return [_guard(str(field)) for field in fields] + [tags(term)]


def anki_text(glossary: Iterable[Term], article: Article) -> str:
    """The Anki import file (headers, then one tab-separated line per term)."""
    lines = [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        f"#tags column:{len(ANKI_COLUMNS)}",
        f"# {GENERATED}. Vocabulario del artículo. Columnas "
        + " | ".join(f"({n}) {name}" for n, name in enumerate(ANKI_COLUMNS, start=1)),
    ]
    lines += ["\t".join(anki_fields(card)) for card in cards(glossary, article)]
    return "\n".join(lines) + "\n"


def csv_rows(glossary: Iterable[Term], article: Article) -> list[list[str]]:
    """The CSV's data rows as plain text (before the cells are made formula-safe)."""
    return [
        [
            clean(card.term.term),
            clean(card.term.definition),
            clean(card.term.english),
            clean(card.sentence),
            number_cell(str(card.paragraph)) if card.paragraph else "",
            clean(card.term.level),
            clean(card.term.category),
            clean(card.term.note),
        ]
        for card in cards(glossary, article)
    ]


def csv_text(glossary: Iterable[Term], article: Article) -> str:
    """The CSV, BOM first, header row, one row per term, ``\\r\\n`` line ends."""
    handle = io.StringIO()
    writer = CsvWriter(handle)
    writer.row(list(CSV_COLUMNS))
    for row in csv_rows(glossary, article):
        writer.row(row)
    return "\ufeff" + handle.getvalue()


def write_anki(glossary: Iterable[Term], article: Article, path: str | Path) -> Path:
    """Write :func:`anki_text` to ``path`` (UTF-8, no BOM); return the path."""
    path = Path(path)
    path.write_text(anki_text(glossary, article), encoding="utf-8", newline="")
    return path


def write_csv(glossary: Iterable[Term], article: Article, path: str | Path) -> Path:
    """Write :func:`csv_text` to ``path`` (UTF-8 with BOM); return the path."""
    path = Path(path)
    path.write_text(csv_text(glossary, article), encoding="utf-8", newline="")
    return path


def glossary_path(bank_folder: Path) -> Path:
    """``$COMPRENDE_GLOSSARY``, else the site's glossary next to the bank
    (``<bank>/../docs/_data/glosario.yaml``, as ``docs/conf.py`` has it)."""
    if os.environ.get("COMPRENDE_GLOSSARY"):
        return Path(os.environ["COMPRENDE_GLOSSARY"])
    return bank_folder.parent / "docs" / "_data" / "glosario.yaml"


def vocabulary_sources(bank_folder: str | Path) -> tuple[tuple[Term, ...], Article]:
    """The glossary (checked against the article) and the article of the bank in
    ``bank_folder``: the article is ``module.yaml``'s ``article``, relative to the
    folder's parent, as :func:`comprende.bank.load_bank` reads it."""
    from ..yamlio import LineDict, read_yaml

    folder = Path(bank_folder)
    module = read_yaml(folder / "module.yaml")
    if not isinstance(module, LineDict) or not isinstance(module.get("article"), str):
        raise ComprendeError(
            "module.yaml names no article",
            path=folder / "module.yaml",
            line=1,
            fix="add `article: seeds/<file>.txt`",
        )
    article = load_article(folder.parent / module["article"])
    return load_glossary(glossary_path(folder), article), article


# ----- ``comprende export anki|csv`` ----------------------------------------------------


def bank_folder(bank: Bank) -> Path:
    """The folder the bank was read from (its items' ``source`` is ``<folder>/<set>.yaml:line``),
    else the command's default bank folder."""
    for item in bank.items:
        if item.source:
            return Path(item.source.rsplit(":", 1)[0]).parent
    from ..bank import default_bank_dir

    return default_bank_dir()


def build_anki(bank: Bank) -> ExportResult:
    """The Anki file for the bank's module (its glossary and article)."""
    terms, article = vocabulary_sources(bank_folder(bank))
    return ExportResult(anki_text(terms, article).encode("utf-8"), [t.id for t in terms], [])


def build_csv(bank: Bank) -> ExportResult:
    """The CSV for the bank's module (UTF-8 with BOM)."""
    terms, article = vocabulary_sources(bank_folder(bank))
    return ExportResult(csv_text(terms, article).encode("utf-8"), [t.id for t in terms], [])


_NOTE = (
    "the glossary's terms (not the bank's items), read from $COMPRENDE_GLOSSARY or "
    "docs/_data/glosario.yaml next to the bank"
)
ANKI_FORMAT = register_format(
    Format(
        name="anki",
        suffix=".txt",
        description="the glossary as an Anki text file (tab-separated, Anki's file headers)",
        build=build_anki,
        note=_NOTE + "; in Anki: File > Import.",
    )
)
CSV_FORMAT = register_format(
    Format(
        name="csv",
        suffix=".csv",
        description="the glossary as a spreadsheet CSV (UTF-8 with BOM, for Excel)",
        build=build_csv,
        note=_NOTE + "; a CSV cannot carry comprende's marker, so replacing one needs --force.",
    )
)

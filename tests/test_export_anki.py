"""The vocabulary export: what Anki, a spreadsheet and the site do with it.

The Anki file is read the way Anki's importer reads it (ankitects/anki,
``rslib/src/import_export/text/csv/metadata.rs`` and ``import.rs``): header lines
``#key:value`` at the top, then records split by the separator they name, with ``"``
quoting and every line starting with ``#`` skipped as a comment; the tags column
split at whitespace. Then Anki itself (the ``anki`` package, whose importer is that
Rust code) imports the site's file into a fresh collection.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from bs4 import BeautifulSoup

from comprende.article import Article
from comprende.errors import ComprendeError
from comprende.exports.anki import (
    ANKI_COLUMNS,
    ANKI_FILE,
    CSV_COLUMNS,
    CSV_FILE,
    GENERATED,
    anki_text,
    csv_text,
    vocabulary_sources,
    write_anki,
    write_csv,
)
from comprende.glossary import Term, form_pattern, load_glossary
from comprende.sentences import article_sentences

from .conftest import DOCS

#: The header keys Anki knows (metadata.rs, parse_meta_value).
ANKI_KEYS = {
    "separator",
    "html",
    "tags",
    "columns",
    "notetype",
    "deck",
    "notetype column",
    "deck column",
    "tags column",
    "guid column",
}
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}


@dataclass
class AnkiImport:
    """What Anki makes of the file: its headers, its records, each record's tags."""

    meta: dict[str, str] = field(default_factory=dict)
    records: list[list[str]] = field(default_factory=list)

    @property
    def tags_column(self) -> int:
        return int(self.meta["tags column"])

    def tags(self, record: list[str]) -> list[str]:
        return record[self.tags_column - 1].split()


def anki_import(text: str) -> AnkiImport:
    """Read ``text`` as Anki 2.1.55+ does (see the module docstring)."""
    result = AnkiImport()
    lines = text.splitlines(keepends=True)
    position = 0
    if lines and lines[0].startswith("tags:"):
        result.meta["tags"] = lines[0][5:].strip()
        position = 1
    while position < len(lines) and lines[position].startswith("#"):
        body = lines[position][1:].rstrip("\r\n")
        if ":" in body:
            key, value = body.split(":", 1)
            result.meta[key.strip().lower()] = value
        position += 1
    separator = result.meta.get("separator", "").strip().lower()
    delimiter = SEPARATORS.get(separator, separator)
    assert len(delimiter) == 1, f"no separator Anki knows: {separator!r}"
    # the CSV reader skips every record that starts with the comment character
    body = "".join(line for line in lines[position:] if not line.startswith("#"))
    result.records = list(csv.reader(io.StringIO(body), delimiter=delimiter, quotechar='"'))
    return result


class _FieldHtml(HTMLParser):
    """Checks one field's HTML: only the tags we write, balanced; entities well formed."""

    ALLOWED: ClassVar = {"b", "i", "small", "br"}
    VOID: ClassVar = {"br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.ALLOWED:
            self.problems.append(f"unexpected <{tag}>")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append(f"raw angle bracket in {data!r}")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.problems.append(f"&{name};")
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def check_html(value: str) -> str:
    """The field's text once Anki renders it; fails on HTML that is not well formed."""
    assert not re.search(r"&(?!(?:[a-z]+|#\d+|#x[0-9a-f]+);)", value), f"bare & in {value!r}"
    parser = _FieldHtml()
    parser.feed(value)
    parser.close()
    assert parser.problems == [], (value, parser.problems)
    assert parser.stack == [], f"unclosed {parser.stack} in {value!r}"
    return "".join(parser.text)


def bold_parts(value: str) -> list[str]:
    return [html.unescape(part) for part in re.findall(r"<b>(.*?)</b>", value)]


@pytest.fixture(scope="module")
def glossary(article: Article) -> tuple[Term, ...]:
    return load_glossary(DOCS / "_data" / "glosario.yaml", article)


@pytest.fixture(scope="module")
def imported(glossary: tuple[Term, ...], article: Article) -> AnkiImport:
    return anki_import(anki_text(glossary, article))


def first_sentence(term: Term, article: Article) -> str:
    """Independently: the first sentence of the article holding one of the term's forms."""
    for sentence in article_sentences(article):
        if any(form_pattern(form).search(sentence.text) for form in term.forms):
            return sentence.text
    raise AssertionError(f"{term.id} is not in the article")


# -- the Anki file --------------------------------------------------------------------


def test_headers_are_the_ones_anki_reads(glossary: tuple[Term, ...], article: Article) -> None:
    text = anki_text(glossary, article)
    assert not text.startswith("\ufeff"), "a BOM would hide the first header from Anki"
    lines = text.splitlines()
    assert lines[:2] == ["#separator:tab", "#html:true"]
    result = anki_import(text)
    assert result.meta["separator"] == "tab"
    assert result.meta["html"] == "true"
    assert result.meta["notetype"] == "Basic"
    assert result.tags_column == len(ANKI_COLUMNS) == 7
    assert set(result.meta) <= ANKI_KEYS, set(result.meta) - ANKI_KEYS
    # no #columns: Anki would map fields by name and leave Basic's Back empty
    assert "columns" not in result.meta
    # every header comes before the first record, and the first record is a term
    first_record = next(n for n, line in enumerate(lines) if not line.startswith("#"))
    assert all(line.startswith("#") for line in lines[:first_record])
    assert lines[first_record].split("\t")[0] == glossary[0].term


def test_every_line_has_seven_tab_separated_fields(
    glossary: tuple[Term, ...], article: Article, imported: AnkiImport
) -> None:
    text = anki_text(glossary, article)
    data_lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    assert len(data_lines) == len(glossary)
    for line in data_lines:
        assert line.count("\t") == len(ANKI_COLUMNS) - 1, line
        assert "\r" not in line and '"' not in line, line
    # Anki's CSV reader (with its quoting) agrees: one record per line, seven fields
    assert [len(record) for record in imported.records] == [7] * len(glossary)
    assert ["\t".join(record) for record in imported.records] == data_lines


def test_every_term_once_with_its_first_sentence_in_bold(
    glossary: tuple[Term, ...], article: Article, imported: AnkiImport
) -> None:
    fronts = [check_html(record[0]) for record in imported.records]
    assert fronts == [term.term for term in glossary]
    assert len(set(fronts)) == len(fronts) == 88
    for term, record in zip(glossary, imported.records, strict=True):
        sentence_html = record[ANKI_COLUMNS.index("Frase")]
        sentence = check_html(sentence_html)
        assert sentence == first_sentence(term, article)
        assert article.locate(sentence) is not None
        bold = bold_parts(sentence_html)
        assert bold, f"{term.id}: no <b> in {sentence_html}"
        assert set(bold) <= set(term.forms), (term.id, bold)
        assert check_html(record[ANKI_COLUMNS.index("Definición")]) == term.definition
        assert check_html(record[ANKI_COLUMNS.index("Inglés")]) == term.english
        assert check_html(record[ANKI_COLUMNS.index("Nota")]) == term.note


def test_the_back_of_a_basic_card_holds_everything(
    glossary: tuple[Term, ...], article: Article, imported: AnkiImport
) -> None:
    """Mapped by position, Basic's Back is column 2: definition, English, sentence, note."""
    for term, record in zip(glossary, imported.records, strict=True):
        back = record[1]
        shown = check_html(back)
        assert term.definition in shown and term.english in shown
        assert f"«{first_sentence(term, article)}» (párrafo " in shown
        assert bold_parts(back) == bold_parts(record[ANKI_COLUMNS.index("Frase")])
        assert (f"Nota: {term.note}" in shown) == bool(term.note)
        assert f"párrafo {article.locate(first_sentence(term, article))})" in shown


def test_tags_carry_level_and_category(glossary: tuple[Term, ...], imported: AnkiImport) -> None:
    for term, record in zip(glossary, imported.records, strict=True):
        assert imported.tags(record) == [
            f"nivel::{term.level}",
            f"categoría::{term.category.replace(' ', '_')}",
        ]
    categories = {imported.tags(record)[1] for record in imported.records}
    assert "categoría::locución_adverbial" in categories


# -- the CSV --------------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_the_same_rows(
    glossary: tuple[Term, ...], article: Article, imported: AnkiImport
) -> None:
    text = csv_text(glossary, article)
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    header, *rows = read_csv(text)
    assert header == list(CSV_COLUMNS)
    assert len(rows) == len(glossary)
    column = {name: CSV_COLUMNS.index(name) for name in CSV_COLUMNS}
    for term, row, record in zip(glossary, rows, imported.records, strict=True):
        assert len(row) == len(CSV_COLUMNS)
        for name in ("Término", "Definición", "Inglés", "Frase", "Nota"):
            assert row[column[name]] == check_html(record[ANKI_COLUMNS.index(name)]), name
        assert row[column["Nivel"]] == term.level
        assert row[column["Categoría"]] == term.category
        assert row[column["Párrafo"]] == str(article.locate(row[column["Frase"]]))
        assert "<b>" not in row[column["Frase"]]


def test_written_files(glossary: tuple[Term, ...], article: Article, tmp_path: Path) -> None:
    anki = write_anki(glossary, article, tmp_path / "a.txt").read_bytes()
    assert anki.decode("utf-8") == anki_text(glossary, article)
    assert not anki.startswith(b"\xef\xbb\xbf") and b"\r" not in anki
    spreadsheet = write_csv(glossary, article, tmp_path / "v.csv").read_bytes()
    assert spreadsheet.startswith(b"\xef\xbb\xbf")
    assert spreadsheet.decode("utf-8") == csv_text(glossary, article)


# -- hostile text ---------------------------------------------------------------------

HOSTILE_ARTICLE = Article(
    path=Path("hostil.txt"),
    paragraphs=(
        'Un texto con <script>alert(1)</script> & "comillas" aquí. '
        "Otra frase con =SUMA(A1) y #almohadilla.",
        "Un párrafo con -menos, +más y @arroba.",
    ),
)


def _term(term: str, forms: tuple[str, ...], example: str, **fields: str) -> Term:
    values = {
        "definition": '=1+1 "definición"\tcon\ttabuladores\ny\r\nsaltos',
        "english": "<i>x</i> & y; 'a'",
        "level": "B1",
        "category": "locución verbal",
        "note": "@nota\t#no es un comentario",
        **fields,
    }
    return Term(id=re.sub(r"\W+", "-", term).strip("-") or "x", term=term, forms=forms,
                example=example, **values)  # fmt: skip


HOSTILE = (
    _term("=SUMA(A1)", ("=SUMA(A1)",), "Otra frase con =SUMA(A1) y #almohadilla."),
    _term("#almohadilla", ("#almohadilla",), "Otra frase con =SUMA(A1) y #almohadilla."),
    _term(
        "<script>alert(1)</script>",
        ("<script>alert(1)</script>",),
        'Un texto con <script>alert(1)</script> & "comillas" aquí.',
        definition="-menos",
        english="+más",
    ),
    _term('"comillas"', ('"comillas"',), 'Un texto con <script>alert(1)</script> & "comillas"'),
    _term("-menos", ("-menos",), "Un párrafo con -menos, +más y @arroba.", note=""),
    _term("fuera\tdel\ntexto", ("fuera",), "Una frase\tque no\nestá.", category="sigla"),
)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_hostile_text_survives_anki() -> None:
    text = anki_text(HOSTILE, HOSTILE_ARTICLE)
    result = anki_import(text)
    # the #almohadilla line is not taken for a comment; nothing is split or merged
    assert len(result.records) == len(HOSTILE)
    assert [len(record) for record in result.records] == [7] * len(HOSTILE)
    for term, record in zip(HOSTILE, result.records, strict=True):
        assert check_html(record[0]) == one_line(term.term)
        assert check_html(record[2]) == one_line(term.definition)
        assert check_html(record[3]) == one_line(term.english)
        assert check_html(record[5]) == one_line(term.note)
        for value in record:
            assert not value.startswith(("#", "=", "+", "-", "@", '"')), value
            assert "\t" not in value and "\n" not in value and '"' not in value
        assert result.tags(record)[0] == "nivel::B1"
    assert result.tags(result.records[0])[1] == "categoría::locución_verbal"
    # the article's <script> is text in the sentence, never a tag; the term is in bold
    script = result.records[2]
    assert "<script>" not in script[4] and "&lt;script&gt;" in script[4]
    assert bold_parts(script[4]) == ["<script>alert(1)</script>"]
    assert check_html(script[4]) == 'Un texto con <script>alert(1)</script> & "comillas" aquí.'
    assert bold_parts(result.records[3][4]) == ['"comillas"']
    # a term missing from the article keeps its own example, without a paragraph
    assert check_html(result.records[5][4]) == "Una frase que no está."
    assert "párrafo" not in check_html(result.records[5][1])


def test_hostile_text_in_the_csv() -> None:
    header, *rows = read_csv(csv_text(HOSTILE, HOSTILE_ARTICLE))
    assert len(rows) == len(HOSTILE)
    for term, row in zip(HOSTILE, rows, strict=True):
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell  # formula-safe
        expected = [term.term, term.definition, term.english]
        assert [cell.removeprefix("'") for cell in row[:3]] == [one_line(v) for v in expected]
    assert rows[0][0] == "'=SUMA(A1)"
    assert rows[0][1] == '\'=1+1 "definición" con tabuladores y saltos'
    assert rows[3][0] == '"comillas"'
    assert rows[1][3] == "Otra frase con =SUMA(A1) y #almohadilla."
    assert rows[1][4] == "1" and rows[5][4] == ""


# -- the site -------------------------------------------------------------------------


def test_the_site_publishes_both_files_and_links_them(
    site: Path, glossary: tuple[Term, ...], article: Article
) -> None:
    anki = (site / ANKI_FILE).read_bytes().decode("utf-8")
    assert anki == anki_text(glossary, article)
    assert (site / CSV_FILE).read_bytes().decode("utf-8") == csv_text(glossary, article)
    page = site / "glosario.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    section = soup.find("section", id="glosario-descargar")
    assert section is not None
    heading = section.find("h2")
    assert heading is not None and heading.get_text().startswith("Descargar vocabulario")
    links = {str(a["href"]): a for a in section.find_all("a", attrs={"download": True})}
    assert set(links) == {ANKI_FILE, CSV_FILE}
    for href, link in links.items():
        assert (page.parent / href).is_file()
        assert link.get_text(strip=True).startswith("Vocabulario")
    assert "Anki" in links[ANKI_FILE].get_text() and "CSV" in links[CSV_FILE].get_text()
    explanation = section.get_text(" ", strip=True)
    assert "Importar" in explanation and "vocabulario-anki.txt" in explanation


# -- where the command finds the glossary ---------------------------------------------


def test_the_marker_is_a_comment_anki_ignores(glossary: tuple[Term, ...], article: Article) -> None:
    text = anki_text(glossary, article)
    marked = [line for line in text.splitlines() if GENERATED in line]
    assert len(marked) == 1 and marked[0].startswith("# ")
    assert ":" not in marked[0], "a colon would make Anki read the comment as a header"
    assert GENERATED not in csv_text(glossary, article)


def test_vocabulary_sources_follow_the_bank_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .conftest import ROOT

    monkeypatch.delenv("COMPRENDE_GLOSSARY", raising=False)
    terms, found = vocabulary_sources(ROOT / "exercises")
    assert found.path == ROOT / "seeds" / "000_3b1596ccf2fa3e1b.txt"
    assert [t.id for t in terms] == [t.id for t in load_glossary(DOCS / "_data" / "glosario.yaml")]
    bank = tmp_path / "banco"
    bank.mkdir()
    (tmp_path / "articulo.txt").write_text("Un párrafo con una palabra.\n", encoding="utf-8")
    (bank / "module.yaml").write_text("id: x\narticle: articulo.txt\n", encoding="utf-8")
    own = tmp_path / "glosario.yaml"
    own.write_text(
        "terms:\n  - {id: palabra, term: palabra, category: sustantivo, definition: d,"
        " english: word, level: A1, forms: [palabra],"
        " example: 'Un párrafo con una palabra.'}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("COMPRENDE_GLOSSARY", str(own))
    terms, found = vocabulary_sources(bank)
    assert [t.term for t in terms] == ["palabra"] and found.paragraphs[0].startswith("Un")
    (bank / "module.yaml").write_text("id: x\n", encoding="utf-8")
    with pytest.raises(ComprendeError, match="names no article"):
        vocabulary_sources(bank)


# -- comprende export anki|csv ---------------------------------------------------------


def test_comprende_export_writes_both_files(
    tmp_path: Path, glossary: tuple[Term, ...], article: Article, capsys: pytest.CaptureFixture[str]
) -> None:
    from comprende.cli import main

    from .conftest import ROOT

    bank = str(ROOT / "exercises")
    anki, spreadsheet = tmp_path / "v.txt", tmp_path / "v.csv"
    assert main(["--bank", bank, "export", "anki", "-o", str(anki)]) == 0
    assert anki.read_bytes() == anki_text(glossary, article).encode("utf-8")
    assert "anki: 88 item(s) exported" in capsys.readouterr().err
    assert main(["--bank", bank, "export", "anki", "-o", str(anki)]) == 0  # ours: replaced
    assert main(["--bank", bank, "export", "csv", "-o", str(spreadsheet)]) == 0
    assert spreadsheet.read_bytes() == csv_text(glossary, article).encode("utf-8")
    # a CSV has no place for the marker: replacing one takes --force
    capsys.readouterr()
    assert main(["--bank", bank, "export", "csv", "-o", str(spreadsheet)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["--bank", bank, "export", "csv", "-o", str(spreadsheet), "--force"]) == 0


def test_comprende_export_reads_the_glossary_next_to_the_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from comprende.cli import main

    from .conftest import ROOT, SEED

    monkeypatch.delenv("COMPRENDE_GLOSSARY", raising=False)
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    data = tmp_path / "docs" / "_data"
    data.mkdir(parents=True)
    lines = (DOCS / "_data" / "glosario.yaml").read_text(encoding="utf-8").splitlines()
    second = [n for n, line in enumerate(lines) if line.startswith("  - id:")][2]
    (data / "glosario.yaml").write_text("\n".join(lines[:second]) + "\n", encoding="utf-8")
    out = tmp_path / "v.txt"
    assert main(["--bank", str(tmp_path / "exercises"), "export", "anki", "-o", str(out)]) == 0
    records = anki_import(out.read_text(encoding="utf-8")).records
    assert [check_html(r[0]) for r in records] == ["a gran escala", "a medida que"]
    (data / "glosario.yaml").unlink()
    capsys.readouterr()
    assert main(["--bank", str(tmp_path / "exercises"), "export", "csv", "-o", "-"]) == 2
    assert "glosario.yaml: file not found" in capsys.readouterr().err


# -- Anki itself -------------------------------------------------------------------------


def anki_collection(tmp_path: Path) -> Any:
    from anki.collection import Collection

    return Collection(str(tmp_path / "coleccion.anki2"))


def import_into(col: Any, path: Path) -> Any:
    from anki.collection import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), None)
    return metadata, col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def test_anki_imports_the_site_file_into_basic_cards(
    site: Path, glossary: tuple[Term, ...], article: Article, tmp_path: Path
) -> None:
    """Anki's own importer (the ``anki`` package, its Rust backend) reads the site's file."""
    from anki.import_export_pb2 import CsvMetadata

    col = anki_collection(tmp_path)
    try:
        metadata, log = import_into(col, site / ANKI_FILE)
        assert CsvMetadata.Delimiter.Name(metadata.delimiter) == "TAB"
        assert metadata.is_html and metadata.tags_column == 7
        assert col.models.get(metadata.global_notetype.id)["name"] == "Basic"
        assert list(metadata.global_notetype.field_columns) == [1, 2]  # by position
        assert len(log.new) == len(glossary) and not log.empty_first_field
        notes = {col.get_note(nid)["Front"]: col.get_note(nid) for nid in col.find_notes("")}
        assert len(notes) == len(glossary)
        for term in glossary:
            note = notes[html.escape(term.term, quote=True)]
            back = check_html(note["Back"])
            assert term.definition in back and f"«{first_sentence(term, article)}»" in back
            assert bold_parts(note["Back"]), term.id
            assert sorted(note.tags) == sorted(
                [f"nivel::{term.level}", f"categoría::{term.category.replace(' ', '_')}"]
            )
        b2 = sum(term.level == "B2" for term in glossary)
        assert len(col.find_notes("tag:nivel::B2")) == b2 > 0
        # importing it again neither doubles nor loses a card
        _, again = import_into(col, site / ANKI_FILE)
        assert not again.new and len(col.find_notes("")) == len(glossary)
    finally:
        col.close()


def test_anki_imports_hostile_text_as_text(tmp_path: Path) -> None:
    path = write_anki(HOSTILE, HOSTILE_ARTICLE, tmp_path / "hostil.txt")
    col = anki_collection(tmp_path)
    try:
        _, log = import_into(col, path)
        assert len(log.new) == len(HOSTILE)
        fronts = {html.unescape(col.get_note(nid)["Front"]) for nid in col.find_notes("")}
        assert fronts == {one_line(term.term) for term in HOSTILE}
    finally:
        col.close()


def test_the_links_follow_the_builder_page_names(tmp_path: Path) -> None:
    """In a dirhtml build the glossary is glosario/index.html: the links climb one level."""
    import subprocess
    import sys

    out = tmp_path / "dirhtml"
    command = [sys.executable, "-m", "sphinx", "-b", "dirhtml", "-q", "-d", str(tmp_path / "d")]
    result = subprocess.run(
        [*command, str(DOCS), str(out)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "glosario" / "index.html").read_text("utf-8"), "html.parser")
    hrefs = {str(a["href"]) for a in soup.select("#glosario-descargar a[download]")}
    assert hrefs == {f"../{ANKI_FILE}", f"../{CSV_FILE}"}
    assert all((out / "glosario" / href).resolve().is_file() for href in hrefs)

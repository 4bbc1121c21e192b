"""The printable worksheet (`comprende worksheet`), read back as a printed page is read.

The PDFs are made by headless Chromium (as the browser tests launch it) and read with
pypdf: the student's copy must hold the article verbatim, in the numbered lines the
worksheet's rule makes, every question and no key; the teacher's copy every key.
Without Chromium the PDF tests (marked `browser`) are skipped locally and fail under
CI=true.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from comprende import cli, worksheet
from comprende.article import load_article
from comprende.bank import load_bank
from comprende.glossary import load_glossary
from comprende.model import Bank, Item
from comprende.pagedata import display_order
from comprende.reports.base import points

from .browser.conftest import require
from .conftest import ROOT, SEED
from .export_support import SHIPPED_TYPES
from .test_html_validity import VNU

BANK = ROOT / "exercises"
GLOSSARY = ROOT / "docs" / "_data" / "glosario.yaml"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: The A4 page in PostScript points, and the text column of the article (left margin
#: 18 mm + the 9 mm paragraph-number column, to the 9 mm line-number column).
A4 = (595.3, 841.9)
MM = 72 / 25.4
COLUMN = (18 * MM + 9 * MM - 2, A4[0] - 18 * MM - 9 * MM - 2)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(BANK)


def require_chromium() -> None:
    require(Path(worksheet.chromium_path()).exists(), "Chromium is needed to print the PDF")


@dataclass
class Built:
    out: Path
    messages: list[str]
    status: int


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, bank: Bank) -> Built:
    require_chromium()
    out = tmp_path_factory.mktemp("worksheet") / "hoja"
    messages: list[str] = []
    status = worksheet.main(bank=bank, bank_dir=BANK, out=out, echo=messages.append)
    return Built(out, messages, status)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def student_text(built: Built) -> str:
    return flat(" ".join(pdf_pages(built.out / "estudiante.pdf")))


def teacher_text(built: Built) -> str:
    return flat(" ".join(pdf_pages(built.out / "profesorado.pdf")))


@dataclass
class Row:
    """One printed line of a page: its text chunks by x position."""

    page: int
    y: float
    chunks: list[tuple[float, str]]

    def between(self, low: float, high: float) -> str:
        return "".join(text for x, text in self.chunks if low <= x < high)


def rows(path: Path) -> list[Row]:
    """Every line of every page, top to bottom, as pypdf places its text; not the
    footer (in the bottom margin)."""
    result: list[Row] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        result += [
            row
            for row in page_rows(number, page)
            if row.y > 20 * MM and flat(row.between(0, A4[0]))
        ]
    return result


def page_rows(number: int, page: Any) -> list[Row]:
    found: list[Row] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text:
            return
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        for row in found:
            if abs(row.y - y) < 4:
                row.chunks.append((x, text.replace("\n", "")))
                return
        found.append(Row(number, y, [(x, text.replace("\n", ""))]))

    page.extract_text(visitor_text=visit)
    for row in found:
        row.chunks.sort(key=lambda chunk: chunk[0])
    return sorted(found, key=lambda row: -row.y)


# ----- the line rule --------------------------------------------------------------------


def test_lines_give_back_every_paragraph_and_keep_within_the_width() -> None:
    article = load_article(SEED)
    terms = load_glossary(GLOSSARY, article)
    lines = worksheet.article_lines(article, terms)
    for number, paragraph in enumerate(article.paragraphs, start=1):
        mine = [line for line in lines if line.paragraph == number]
        assert " ".join(line.text for line in mine) == paragraph
        assert all("".join(s.text for s in line.segments) == line.text for line in mine)
        for line in mine:
            assert len(line.text) <= worksheet.LINE_WIDTH or " " not in line.text
        # greedy: the next line's first word would not have fitted
        for this, following in itertools.pairwise(mine):
            first = following.text.split(" ")[0]
            assert len(this.text) + 1 + len(first) > worksheet.LINE_WIDTH
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    assert worksheet.wrap("palabra", 3) == [(0, "palabra")]
    assert worksheet.wrap("a bb ccc dd", 6) == [(0, "a bb"), (5, "ccc dd")]


def test_the_terms_the_site_marks_are_marked_and_defined() -> None:
    """The article page's rule: of the glossary forms found, those of a term at B2 or
    above are marked by default; the worksheet underlines and defines exactly those."""
    from comprende.ext.article import MARKED_FROM
    from comprende.glossary import LEVELS, find_occurrences

    assert MARKED_FROM == "B2"
    article = load_article(SEED)
    terms = load_glossary(GLOSSARY, article)
    high = {t.id for t in terms if LEVELS.index(t.level) >= LEVELS.index("B2")}
    found = {o.term.id for p in article.paragraphs for o in find_occurrences(p, terms)}
    assert found - high and found & high  # both kinds occur: the rule is tested
    sheet = worksheet.render_worksheet(load_bank(BANK), article, terms)
    page = sheet.pages["estudiante.html"]
    glossary = page.split('id="ws-vocabulario"', 1)[1].split("</ul>", 1)[0]
    listed = re.findall(r"<li><strong>(.*?)</strong>", glossary)
    by_term = {t.term: t for t in terms}
    assert {by_term[name].id for name in listed} == found & high
    lines = worksheet.article_lines(article, terms, marked_from="B2")
    marked = [s for line in lines for s in line.segments if s.term]
    assert {s.term.id for s in marked if s.term} == found & high
    assert page.count('class="ws-term"') == len(marked)
    assert "de nivel B2 o superior" in page


# ----- the student's copy ---------------------------------------------------------------


@pytest.mark.browser  # headless Chromium prints the PDF
def test_the_pdfs_are_a4_and_printed_without_warnings(built: Built) -> None:
    assert built.status == 0, built.messages
    # Only an item of a type without a print.html (optional) is printed as its prompt.
    unprintable = {
        i.id for i in load_bank(BANK).items if not (i.kind.folder / "print.html").exists()
    }
    assert not unprintable & {i.id for i in load_bank(BANK).items if i.type in SHIPPED_TYPES}
    assert [m for m in built.messages if "warning" in m or "printed as" in m] == [
        m for m in built.messages if any(f": {i}: printed as" in m for i in unprintable)
    ]
    for name in ("estudiante.pdf", "profesorado.pdf"):
        reader = PdfReader(built.out / name)
        assert len(reader.pages) >= 2
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - A4[0]) < 2 and abs(float(box.height) - A4[1]) < 2


@pytest.mark.browser  # headless Chromium prints the PDF
def test_student_pdf_has_the_article_verbatim_in_its_numbered_lines(built: Built) -> None:
    """Each printed line of the article is one line of the rule, with its paragraph
    number (first line of a paragraph) and its line number (every fifth)."""
    article = load_article(SEED)
    lines = worksheet.article_lines(article, load_glossary(GLOSSARY, article))
    printed = rows(built.out / "estudiante.pdf")
    start = next(i for i, row in enumerate(printed) if flat(row.between(0, A4[0])) == "El artículo")
    found = printed[start + 1 : start + 1 + len(lines)]
    assert [flat(row.between(*COLUMN)) for row in found] == [line.text for line in lines]
    for row, line in zip(found, lines, strict=True):
        first = line.start == 0
        assert flat(row.between(0, COLUMN[0])) == (str(line.paragraph) if first else "")
        assert flat(row.between(COLUMN[1], A4[0])) == line.shown_number
    for number, paragraph in enumerate(article.paragraphs, start=1):
        mine = [
            flat(r.between(*COLUMN))
            for r, ln in zip(found, lines, strict=True)
            if ln.paragraph == number
        ]
        assert " ".join(mine) == paragraph


def item_texts(item: Item) -> list[str]:
    """What a student must read of ``item`` on paper besides its prompt."""
    if item.type == "huecos":
        return [flat(p) for p in re.split(r"\[\[[^\]]+\]\]", item.text) if flat(p)]
    texts = [flat(text) for text in item.kind.choices_to_read(item)]
    selection = {"seleccionar-en-el-texto": item.data, "dos-partes": None}.get(item.type)
    if item.type == "dos-partes":
        selection = item.data.b.selection
    if selection is not None:  # the sentences to mark, each with its id
        texts += [f"{s.id}) {flat(s.text)}" for s in selection.candidates]
    return texts


@pytest.mark.browser  # headless Chromium prints the PDF
def test_student_pdf_has_every_question_on_one_page(built: Built, bank: Bank) -> None:
    pages = [flat(text) for text in pdf_pages(built.out / "estudiante.pdf")]
    for number, item in enumerate(bank.items, start=1):
        heading = f"Pregunta {number} ("
        holding = [page for page in pages if heading in page]
        assert len(holding) == 1, item.id
        page = holding[0].split(heading, 1)[1]
        assert flat(item.prompt) in page, item.id
        for text in item_texts(item):
            assert text in page, (item.id, text)
    assert f"{len(bank.items)} preguntas" in pages[0]
    assert "Nombre:" in pages[0] and "Fecha:" in pages[0]
    assert "Responde en el espacio" in pages[0]


@pytest.mark.browser  # headless Chromium prints the PDF
def test_student_pdf_has_no_key(built: Built, bank: Bank) -> None:
    text = student_text(built)
    for marker in ("(correcta)", "Clave", "Explicación", "Respuestas aceptadas", "Rúbrica"):
        assert marker not in text
    assert "Orden correcto" not in text and "Respuesta modelo" not in text
    for item in bank.items:
        assert flat(item.explanation) not in text, item.id
        if item.model_answer:
            assert flat(item.model_answer) not in text, item.id
        for criterion in item.rubric:
            assert flat(criterion.criterion) not in text, item.id


# ----- the teacher's copy ---------------------------------------------------------------


def choice_marks(options: Any, text: str, quoted: bool = False) -> None:
    for letter, option in zip(LETTERS, options, strict=False):
        shown = f"«{flat(option.text)}»" if quoted else flat(option.text)
        marked = f"{letter}) {shown} (correcta)" in text
        assert marked == option.correct, (option.id, option.text)
        assert f"{letter}) {shown}" in text


def key_strings(item: Item) -> list[str]:
    """What the teacher's copy must say of ``item``'s key (choices are checked apart)."""
    if item.type == "verdadero-falso":
        return [f"Clave: {'Verdadero' if item.key else 'Falso'}"]
    if item.type == "respuesta-corta":
        assert item.text_key is not None
        return [f"«{answer}»" for answer in item.text_key.accept]
    if item.type == "numerica":
        unit = f" {item.unit}" if item.unit else ""
        return [f"Clave: {points(item.key, comma=True)}{unit}"]
    if item.type == "huecos":
        return [
            f"Hueco {n}: " + ", ".join(f"«{a}»" for a in key.accept)
            for n, (_, key) in enumerate(item.blanks, start=1)
        ]
    if item.type == "ordenar":
        letter = {e.id: LETTERS[i] for i, e in enumerate(display_order(item, item.elements))}
        order = " – ".join(letter[e.id] for e in item.elements)
        return [f"Orden correcto: {order}"] + [
            f"{letter[e.id]}) {flat(e.text)}" for e in item.elements
        ]
    if item.type == "relacionar":
        right = display_order(item, item.right)
        letter = {c.id: LETTERS[i] for i, c in enumerate(right)}
        texts = {c.id: c.text for c in right}
        return [
            f"{flat(left.text)} → {letter[item.pairs[left.id]]}) {flat(texts[item.pairs[left.id]])}"
            for left in item.left
        ]
    if item.type == "respuesta-abierta":
        result = [f"Respuesta modelo: {flat(item.model_answer)}"] if item.model_answer else []
        return result + [f"{flat(c.criterion)} {points(c.points, comma=True)}" for c in item.rubric]
    if item.type == "seleccionar-en-el-texto":
        key = [s for s in item.data.candidates if s.id in item.data.key]
        return [f"{s.id}) {flat(s.text)} (correcta)" for s in key]
    if item.type == "dos-partes":
        b = item.data.b
        if b.selection is None:
            return []
        key = [s for s in b.selection.candidates if s.id in b.selection.key]
        return [f"{s.id}) {flat(s.text)} (correcta)" for s in key]
    if item.type in ("opcion-unica", "opcion-multiple"):
        return []
    # A type added later: its print.html is optional, and what it prints is its own
    # (the block is still checked for its id, prompt, explanation and evidence).
    assert item.type not in SHIPPED_TYPES, f"no printed key is checked for {item.type!r}"
    return []


def teacher_items(built: Built, bank: Bank) -> dict[str, str]:
    text = teacher_text(built)
    result = {}
    for number, item in enumerate(bank.items, start=1):
        start = text.index(f"Pregunta {number} (")
        end = text.find(f"Pregunta {number + 1} (", start)
        result[item.id] = text[start : end if end > 0 else None]
    return result


@pytest.mark.browser  # headless Chromium prints the PDF
def test_teacher_pdf_has_every_key_explanation_and_evidence(built: Built, bank: Bank) -> None:
    article = load_article(SEED)
    lines = worksheet.article_lines(article)
    blocks = teacher_items(built, bank)
    for item in bank.items:
        block = blocks[item.id]
        assert item.id in block
        assert flat(item.prompt) in block, item.id
        for expected in key_strings(item):
            assert expected in block, (item.id, expected)
        if item.type in ("opcion-unica", "opcion-multiple"):
            choice_marks(item.options, block)
        if item.type == "dos-partes":
            choice_marks(item.data.a.options, block)
            if item.data.b.selection is None:
                choice_marks(item.data.b.options, block, quoted=True)
        assert f"Explicación: {flat(item.explanation)}" in block, item.id
        for evidence in item.evidence:
            where = worksheet.quote_lines(lines, article, evidence.paragraph, evidence.quote)
            assert where, (item.id, evidence.quote)
            assert f"Párrafo {evidence.paragraph}, {where}: «{flat(evidence.quote)}»" in block


def test_evidence_lines_name_the_lines_that_hold_the_quote() -> None:
    article = load_article(SEED)
    lines = worksheet.article_lines(article)
    for item in load_bank(BANK).items:
        for evidence in item.evidence:
            where = worksheet.quote_lines(lines, article, evidence.paragraph, evidence.quote)
            numbers = [int(n) for n in re.findall(r"\d+", where)]
            first, last = numbers[0], numbers[-1]
            held = " ".join(line.text for line in lines[first - 1 : last])
            assert evidence.quote in held
            assert evidence.quote not in " ".join(line.text for line in lines[first:last])


# ----- the HTML -------------------------------------------------------------------------


def test_the_worksheet_html_is_valid(tmp_path: Path, bank: Bank) -> None:
    require(VNU.exists(), f"the Nu HTML checker is not installed at {VNU} (npm ci)")
    require(shutil.which("java") is not None, "java is needed to run the Nu HTML checker")
    out = tmp_path / "hoja"
    assert worksheet.main(bank=bank, bank_dir=BANK, out=out, pdf=False, echo=print) == 0
    pages = [str(out / "estudiante.html"), str(out / "profesorado.html")]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert result.returncode == 0


def test_text_from_the_bank_is_escaped(bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    article = load_article(SEED)
    item = replace(bank.items[0], prompt="¿<b>Qué</b> & <script>x</script>?")
    sets = (replace(bank.sets[0], items=(item,)),)
    sheet = worksheet.render_worksheet(replace(bank, sets=sets), article, ())
    for page in sheet.pages.values():
        assert "<script>x" not in page and "<b>Qué" not in page
        assert "&lt;b&gt;Qué&lt;/b&gt; &amp; &lt;script&gt;" in page


# ----- types without a printed form -----------------------------------------------------


def test_a_type_without_a_printed_form_prints_its_prompt_and_a_note(
    bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = load_article(SEED)
    item = next(i for i in bank.items if i.type == "ordenar")
    monkeypatch.setattr(type(item.kind), "printed", lambda self, item, key: None)
    broken = next(i for i in bank.items if i.type == "relacionar")

    def fails(self: Any, item: Item, key: bool) -> str:
        raise ValueError("boom")

    monkeypatch.setattr(type(broken.kind), "printed", fails)
    sheet = worksheet.render_worksheet(bank, article, ())
    reported = dict(sheet.problems)
    unprintable = {i.id for i in bank.items if not (i.kind.folder / "print.html").exists()}
    assert set(reported) == unprintable | {
        i.id for i in bank.items if i.type in ("ordenar", "relacionar")
    }
    assert "no printed form" in reported[item.id] and "boom" in reported[broken.id]
    for page in sheet.pages.values():
        block = page.split(f'id="item-{item.id}"', 1)[1].split('class="ws-item"', 1)[0]
        assert "Esta pregunta no se puede imprimir" in block


# ----- the command and its output folder ------------------------------------------------


def run(*args: str) -> int:
    return cli.main(["--bank", str(BANK), "worksheet", *args])


def test_the_command_never_touches_a_folder_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mis-cosas"
    mine.mkdir()
    (mine / "notas.txt").write_text("mis notas", encoding="utf-8")
    (mine / "estudiante.html").write_text("mío", encoding="utf-8")
    assert run("-o", str(mine), "--html-only", "--overwrite") == 2
    assert "no la ha escrito comprende" in capsys.readouterr().err
    assert (mine / "estudiante.html").read_text(encoding="utf-8") == "mío"
    assert sorted(p.name for p in mine.iterdir()) == ["estudiante.html", "notas.txt"]
    a_file = tmp_path / "hoja.html"
    a_file.write_text("x", encoding="utf-8")
    assert run("-o", str(a_file), "--html-only") == 2
    assert a_file.read_text(encoding="utf-8") == "x"


def test_the_command_replaces_its_own_worksheet_only_with_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hoja"
    assert run("-o", str(out), "--html-only") == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "estudiante.html",
        "profesorado.html",
    ]
    (out / "estudiante.html").write_text("cambiado", encoding="utf-8")
    assert run("-o", str(out), "--html-only", "--overwrite") == 2
    assert (out / "estudiante.html").read_text(encoding="utf-8") == "cambiado"
    (out / "estudiante.html").unlink()  # a file missing is no file of someone else's
    assert run("-o", str(out), "--html-only", "--overwrite") == 0
    before = (out / "estudiante.html").read_text(encoding="utf-8")
    assert run("-o", str(out), "--html-only") == 2
    assert "--overwrite" in capsys.readouterr().err
    assert run("-o", str(out), "--html-only", "--overwrite") == 0
    assert (out / "estudiante.html").read_text(encoding="utf-8") == before


def test_without_chromium_the_html_is_written_and_the_message_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COMPRENDE_CHROMIUM", str(tmp_path / "no-chromium"))
    out = tmp_path / "hoja"
    assert run("-o", str(out)) == 1
    err = capsys.readouterr().err
    assert "no PDF" in err and "print them to PDF" in err and "A4" in err
    assert str(out / "estudiante.html") in err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "estudiante.html",
        "profesorado.html",
    ]


@pytest.mark.browser  # headless Chromium prints the PDF
def test_a_line_too_wide_for_its_column_is_reported(
    tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that keeps the line numbers honest can fail: lines of 200 characters
    cannot fit the column."""
    require_chromium()
    monkeypatch.setattr(worksheet, "LINE_WIDTH", 200)
    messages: list[str] = []
    assert worksheet.main(bank=bank, bank_dir=BANK, out=tmp_path / "h", echo=messages.append) == 0
    assert any("wider than their column" in m for m in messages)


def test_a_missing_glossary_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hoja"
    missing = tmp_path / "glosario.yaml"
    assert run("-o", str(out), "--glossary", str(missing), "--html-only") == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "--glossary" in err
    assert not out.exists()

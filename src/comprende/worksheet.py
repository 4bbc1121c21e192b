"""The printable worksheet: a student's copy and a teacher's copy, as HTML and PDF.

``comprende worksheet -o DIR`` (and ``make worksheet``) writes into ``DIR``:

* ``estudiante.html`` / ``estudiante.pdf``: the article, verbatim, with numbered
  paragraphs, line numbers and its glossary terms marked (and defined after it), then
  every question of the bank with room to answer, and no key;
* ``profesorado.html`` / ``profesorado.pdf``: every question with its key, explanation
  and evidence (paragraph and lines), and the rubric of each open item.

**Line numbers.** A line number is only useful if the line it names is the same on
every printout, so the lines are made here, not by the browser: each paragraph is cut
into lines of at most :data:`LINE_WIDTH` characters, at spaces only (a word longer
than that stays whole on its own line), never hyphenated. Every line is one block that
the stylesheet never wraps (``white-space: nowrap``), sized so the longest possible
line fits the column; :func:`print_pdfs` checks in the browser that no line is wider
than its column and says so if one is. So the numbers (every fifth line is numbered,
as in printed reading tests) are the same in the HTML, in the PDF and on any printer,
and the teacher's copy can name the lines of each piece of evidence. Joining a
paragraph's lines with single spaces gives the paragraph back exactly.

**Glossary terms.** The site's article page marks, by default («Con glosario»), the
glossary terms of level :data:`~comprende.ext.article.MARKED_FROM` (B2) or above, of
all those it links; the worksheet follows the same rule: it finds every glossary form
as the site does (longer forms first), and underlines those of a term at B2 or above,
with their definitions after the article.

**The PDF** comes from Chromium's own print-to-PDF, driven by Playwright with
Debian's Chromium (``/usr/bin/chromium``, or ``$COMPRENDE_CHROMIUM``), as the
browser tests launch it: the same engine renders the site and its tests, so the
worksheet's CSS (``@page``, ``break-inside``) is checked by one engine only, and
nothing new is installed (WeasyPrint would need Pango and its system libraries).
Without Playwright or Chromium the HTML is still written and the message says how to
get the PDF (print the HTML from a browser, A4).

**Question types.** What a type prints lives in its package (``print.html``, through
:meth:`comprende.types.base.QuestionType.printed`); a type that has none, or whose
hook fails, prints its prompt and a note, and the item is reported by id.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .article import Article, load_article
from .errors import ComprendeError, UsageError
from .glossary import LEVELS, Term, find_occurrences, load_glossary
from .model import Bank, Item
from .reports.base import points_text

#: Most characters on one printed line of the article.
LINE_WIDTH = 68
#: Every how many lines a number is printed beside the article.
NUMBER_EVERY = 5
STUDENT = "estudiante"
TEACHER = "profesorado"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
NOTE_UNPRINTABLE = (
    "Esta pregunta no se puede imprimir en papel: respóndela en el sitio web del módulo."
)
#: Page margins (A4), kept in one place for the stylesheet and the PDF footer.
MARGINS = {"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"}
_TEMPLATES = Path(__file__).parent / "templates"


# ----- the article in lines -----------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of a line: plain text, or (with ``term``) a glossary term's form."""

    text: str
    term: Term | None = None


@dataclass(frozen=True)
class Line:
    """One printed line of the article."""

    #: 1-based, counted through the whole article.
    number: int
    #: 1-based paragraph.
    paragraph: int
    #: Offset of the line in its paragraph.
    start: int
    text: str
    segments: tuple[Segment, ...] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def shown_number(self) -> str:
        """The number printed beside the line ("" for most lines)."""
        return str(self.number) if self.number % NUMBER_EVERY == 0 else ""


def wrap(text: str, width: int | None = None) -> list[tuple[int, str]]:
    """``text`` cut into ``(offset, line)`` at single spaces: each line as long as fits
    in ``width`` (default :data:`LINE_WIDTH`) characters (a longer word alone). The
    lines joined by one space are ``text``."""
    width = width or LINE_WIDTH
    lines: list[tuple[int, str]] = []
    start, position, current = 0, 0, ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append((start, current))
            start, current = position, word
        else:
            current = f"{current} {word}" if position > start else word
        position += len(word) + 1
    lines.append((start, current))
    return lines


def article_lines(
    article: Article,
    terms: tuple[Term, ...] = (),
    width: int | None = None,
    marked_from: str = "A1",
) -> tuple[Line, ...]:
    """Every printed line of the article, with the glossary terms of level
    ``marked_from`` or above marked (the forms are found among all ``terms``)."""
    lowest = LEVELS.index(marked_from)
    result: list[Line] = []
    for paragraph, text in enumerate(article.paragraphs, start=1):
        occurrences = [
            occ for occ in find_occurrences(text, terms) if LEVELS.index(occ.term.level) >= lowest
        ]
        for start, line in wrap(text, width):
            end = start + len(line)
            segments: list[Segment] = []
            position = start
            for occ in occurrences:
                a, b = max(occ.start, start), min(occ.end, end)
                if a >= b:
                    continue
                if a > position:
                    segments.append(Segment(text[position:a]))
                segments.append(Segment(text[a:b], occ.term))
                position = b
            if position < end:
                segments.append(Segment(text[position:end]))
            result.append(
                Line(len(result) + 1, paragraph, start, line, tuple(segments) or (Segment(""),))
            )
    return tuple(result)


def quote_lines(lines: tuple[Line, ...], article: Article, paragraph: int, quote: str) -> str:
    """Where ``quote`` is printed: «línea 7» or «líneas 7–9» ("" if not found)."""
    start = article.paragraphs[paragraph - 1].find(quote)
    if start < 0 or not quote:
        return ""
    end = start + len(quote)
    numbers = [
        line.number
        for line in lines
        if line.paragraph == paragraph and line.start < end and start < line.end + 1
    ]
    if not numbers:
        return ""
    first, last = numbers[0], numbers[-1]
    return f"línea {first}" if first == last else f"líneas {first}–{last}"


def glossary_entries(lines: tuple[Line, ...]) -> list[tuple[Term, int]]:
    """The marked terms in order of first appearance, with the line where it is."""
    seen: dict[str, tuple[Term, int]] = {}
    for line in lines:
        for segment in line.segments:
            if segment.term is not None and segment.term.id not in seen:
                seen[segment.term.id] = (segment.term, line.number)
    return list(seen.values())


# ----- the questions ------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedItem:
    """One question as the two copies print it."""

    item: Item
    number: int
    points: str
    student: Markup
    teacher: Markup
    #: Evidence as ``(where, quote)``: «Párrafo 3, líneas 12–13».
    evidence: tuple[tuple[str, str], ...] = ()
    #: Why the type could not print it ("" when it could).
    problem: str = ""


def _fallback(item: Item) -> Markup:
    return Markup('<p class="ws-prompt">{}</p><p class="ws-note">{}</p>').format(
        item.prompt, NOTE_UNPRINTABLE
    )


def print_item(item: Item) -> tuple[Markup, Markup, str]:
    """``(student's HTML, teacher's HTML, problem)`` of one item, from its type's hook;
    an item whose type cannot print it gets its prompt and a note, and a problem."""
    try:
        student = item.kind.printed(item, key=False)
        teacher = item.kind.printed(item, key=True)
    except Exception as exc:  # a type's bug must not stop the worksheet: it is reported
        return _fallback(item), _fallback(item), f"its type {item.type!r} failed: {exc}"
    if student is None or teacher is None:
        return _fallback(item), _fallback(item), f"its type {item.type!r} has no printed form"
    return Markup(student), Markup(teacher), ""


def printed_items(bank: Bank, article: Article, lines: tuple[Line, ...]) -> list[PrintedItem]:
    result = []
    for number, item in enumerate(bank.items, start=1):
        student, teacher, problem = print_item(item)
        evidence = tuple(
            (
                ", ".join(
                    part
                    for part in (
                        f"Párrafo {e.paragraph}",
                        quote_lines(lines, article, e.paragraph, e.quote),
                    )
                    if part
                ),
                e.quote,
            )
            for e in item.evidence
        )
        result.append(
            PrintedItem(item, number, points_text(item.points), student, teacher, evidence, problem)
        )
    return result


# ----- the pages ----------------------------------------------------------------------


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Worksheet:
    """Both copies, rendered."""

    #: ``{file name: HTML}``: ``estudiante.html`` and ``profesorado.html``.
    pages: dict[str, str]
    #: Items a type could not print: ``(item id, reason)``.
    problems: list[tuple[str, str]] = field(default_factory=list)


def render_worksheet(bank: Bank, article: Article, terms: tuple[Term, ...]) -> Worksheet:
    """The student's and the teacher's copy as HTML pages."""
    from .ext.article import MARKED_FROM

    lines = article_lines(article, terms, marked_from=MARKED_FROM)
    items = printed_items(bank, article, lines)
    by_set = [
        (item_set, [p for p in items if p.item.set_id == item_set.id]) for item_set in bank.sets
    ]
    context = {
        "bank": bank,
        "lines": lines,
        "glossary": glossary_entries(lines),
        "sets": by_set,
        "total": points_text(bank.possible),
        "count": len(items),
        "margins": MARGINS,
        "number_every": NUMBER_EVERY,
        "marked_from": MARKED_FROM,
    }
    env = _environment()
    pages = {
        f"{STUDENT}.html": env.get_template("worksheet_student.html").render(**context),
        f"{TEACHER}.html": env.get_template("worksheet_teacher.html").render(**context),
    }
    return Worksheet(pages, [(p.item.id, p.problem) for p in items if p.problem])


# ----- the PDF ------------------------------------------------------------------------


class PdfUnavailable(Exception):
    """No PDF could be made here; the message says why and how to get one."""


#: Lines of the article wider than their column (their number would then be wrong).
_OVERFLOW_JS = """() => [...document.querySelectorAll('.ws-t')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.closest('.ws-l').dataset.line)"""


def _footer(title: str) -> str:
    return (
        '<div style="font-size:8pt;width:100%;text-align:center;color:#000;'
        "font-family:'DejaVu Serif',serif\">"
        f'{html.escape(title)} · página <span class="pageNumber"></span> '
        'de <span class="totalPages"></span></div>'
    )


def chromium_path() -> str:
    return os.environ.get("COMPRENDE_CHROMIUM", CHROMIUM)


def print_pdfs(jobs: list[tuple[Path, Path, str]], chromium: str | None = None) -> list[str]:
    """Print each ``(html, pdf, footer title)`` to PDF (A4) with headless Chromium.

    Returns notices (lines of the article that do not fit their column); raises
    :class:`PdfUnavailable` when Playwright or Chromium is missing or fails to start.
    """
    chromium = chromium or chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise PdfUnavailable("Playwright is not installed (pip install playwright)") from None
    if not Path(chromium).exists():
        raise PdfUnavailable(
            f"Chromium was not found at {chromium} (install Debian's chromium package, "
            "or set COMPRENDE_CHROMIUM to a Chromium binary)"
        )
    # Playwright's sync API refuses to run in a thread with a running asyncio loop (a
    # notebook, or another Playwright session in the same thread): a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, jobs, chromium).result()


def _print(jobs: list[tuple[Path, Path, str]], chromium: str) -> list[str]:
    from playwright.sync_api import Error, sync_playwright

    notices: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                for source, target, title in jobs:
                    page = browser.new_page()
                    page.goto(source.resolve().as_uri())
                    page.emulate_media(media="print")
                    wide = page.evaluate(_OVERFLOW_JS)
                    if wide:
                        notices.append(
                            f"{source.name}: article lines {', '.join(wide)} are wider than "
                            "their column, so the printed line numbers may be off"
                        )
                    page.pdf(
                        path=str(target),
                        format="A4",
                        print_background=True,
                        prefer_css_page_size=True,
                        display_header_footer=True,
                        header_template="<span></span>",
                        footer_template=_footer(title),
                        margin={
                            "top": MARGINS["top"],
                            "bottom": MARGINS["bottom"],
                            "left": MARGINS["left"],
                            "right": MARGINS["right"],
                        },
                    )
                    page.close()
            finally:
                browser.close()
    except Error as exc:
        raise PdfUnavailable(f"Chromium failed: {str(exc).splitlines()[0]}") from None
    return notices


# ----- the command --------------------------------------------------------------------


def default_glossary(bank_dir: Path) -> Path:
    """The site's glossary next to the bank: ``<bank>/../docs/_data/glosario.yaml``."""
    return bank_dir.resolve().parent / "docs" / "_data" / "glosario.yaml"


def article_path(bank_dir: Path) -> Path:
    """The article the bank's ``module.yaml`` names."""
    from .yamlio import read_yaml

    data = read_yaml(bank_dir / "module.yaml")
    return bank_dir.parent / str(data["article"])


def main(
    *,
    bank: Bank,
    bank_dir: Path,
    out: Path,
    glossary: Path | None = None,
    overwrite: bool = False,
    pdf: bool = True,
    chromium: str | None = None,
    echo: Callable[[str], Any] = print,
) -> int:
    """Write the worksheet into ``out``: 0 done, 1 HTML written but no PDF, 2 refused.

    ``out`` follows the rules of :mod:`comprende.outdir`: a folder comprende did not
    write is never touched; an earlier worksheet is replaced only with ``overwrite``.
    """
    from .outdir import OutputFolder

    glossary = glossary or default_glossary(bank_dir)
    try:
        article = load_article(article_path(bank_dir))
        terms = load_glossary(glossary, article)
    except ComprendeError as exc:
        echo(
            "comprende worksheet: cannot read the article or the glossary "
            f"(--glossary FILE names another glossary):\n{exc}"
        )
        return 2
    sheet = render_worksheet(bank, article, terms)
    for item_id, reason in sheet.problems:
        echo(f"comprende worksheet: {item_id}: printed as its prompt and a note: {reason}")
    try:
        folder = OutputFolder(
            out,
            inputs=[bank_dir, article.path, glossary],
            overwrite=overwrite,
            tool="comprende worksheet",
        )
    except UsageError as exc:
        echo(f"comprende worksheet: {exc}")
        return 2
    status = 0
    with folder:
        for name, text in sheet.pages.items():
            (folder.work / name).write_text(text, encoding="utf-8")
        if pdf:
            titles = {STUDENT: "Hoja del estudiante", TEACHER: "Solucionario"}
            jobs = [
                (folder.work / f"{n}.html", folder.work / f"{n}.pdf", f"{bank.title} · {t}")
                for n, t in titles.items()
            ]
            try:
                for notice in print_pdfs(jobs, chromium):
                    echo(f"comprende worksheet: warning: {notice}")
            except PdfUnavailable as exc:
                status = 1
                echo(
                    f"comprende worksheet: wrote the HTML but no PDF: {exc}.\n"
                    f"To get the PDF, open {out / (STUDENT + '.html')} and "
                    f"{out / (TEACHER + '.html')} in a browser and print them to PDF "
                    "(paper A4; the pages set their own margins), or install Chromium "
                    "and run the command again."
                )
        try:
            folder.commit()
        except UsageError as exc:
            echo(f"comprende worksheet: {exc}")
            return 2
    for notice in folder.notices:
        echo(f"comprende worksheet: {notice}")
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    echo(f"comprende worksheet: wrote {', '.join(written)} in {out}")
    return status

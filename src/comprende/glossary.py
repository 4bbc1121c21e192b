"""The glossary: terms of the article with definitions, read from one YAML file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .article import Article
from .diagnostics import missing_but_misspelt, misspelt_missing, quote_mismatch
from .errors import ComprendeError
from .yamlio import LineDict, read_yaml

CATEGORIES = frozenset(
    {
        "sustantivo",
        "verbo",
        "adjetivo",
        "adverbio",
        "locución nominal",
        "locución verbal",
        "locución adverbial",
        "locución adjetiva",
        "locución preposicional",
        "locución conjuntiva",
        "sigla",
        "expresión",
    }
)
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
_REQUIRED = ("id", "term", "category", "definition", "english", "level", "forms", "example")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    #: Stable slug; the anchor of the entry on the glossary page.
    id: str
    #: Dictionary form (infinitive, singular…).
    term: str
    #: Grammatical category, in Spanish.
    category: str
    #: Spanish definition for a B1–B2 reader.
    definition: str
    #: English equivalents.
    english: str
    #: CEFR level.
    level: str
    #: The strings, as written in the article, that link to this entry.
    forms: tuple[str, ...]
    #: The article's sentence where the term occurs, verbatim.
    example: str
    #: Optional usage note.
    note: str = ""
    #: Line of the entry in its file.
    line: int = 0


@dataclass(frozen=True)
class Occurrence:
    """A place in a paragraph where a glossary form occurs."""

    start: int
    end: int
    term: Term


def form_pattern(form: str) -> re.Pattern[str]:
    """Whole-word, case-sensitive match of a form."""
    return re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")


def load_glossary(path: str | Path, article: Article | None = None) -> tuple[Term, ...]:
    """Load and check the glossary; with ``article``, check examples and forms against it."""
    data = read_yaml(path)
    if not isinstance(data, LineDict) or not isinstance(data.get("terms"), list):
        raise ComprendeError(
            "the glossary must be a mapping with a `terms:` list",
            path=path,
            line=1,
            fix="start the file with `terms:` followed by `- id: …` entries",
        )
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for entry in data["terms"]:
        if not isinstance(entry, LineDict):
            raise ComprendeError("each term must be a mapping", path=path, fix="use `- id: …`")
        missing = [key for key in _REQUIRED if key not in entry]
        typo = misspelt_missing(missing, [k for k in entry if k not in (*_REQUIRED, "note")])
        if typo:
            raise ComprendeError(
                missing_but_misspelt(*typo),
                path=path,
                line=entry.line_of(typo[0]),
                fix="every term needs " + ", ".join(_REQUIRED),
            )
        if missing:
            raise ComprendeError(
                f"term is missing {', '.join(missing)}",
                path=path,
                line=entry.line,
                fix="every term needs " + ", ".join(_REQUIRED),
            )
        term_id = str(entry["id"])
        if not _SLUG.match(term_id):
            raise ComprendeError(
                f"id {term_id!r} is not a slug",
                path=path,
                line=entry.line_of("id"),
                fix="use lowercase ascii letters, digits and hyphens",
            )
        if term_id in seen:
            raise ComprendeError(
                f"id {term_id!r} is used twice",
                path=path,
                line=entry.line_of("id"),
                fix=f"rename one (the other is on line {seen[term_id]})",
            )
        seen[term_id] = entry.line_of("id")
        if entry["category"] not in CATEGORIES:
            raise ComprendeError(
                f"unknown category {entry['category']!r}",
                path=path,
                line=entry.line_of("category"),
                fix="use one of: " + ", ".join(sorted(CATEGORIES)),
            )
        if entry["level"] not in LEVELS:
            raise ComprendeError(
                f"unknown CEFR level {entry['level']!r}",
                path=path,
                line=entry.line_of("level"),
                fix="use one of " + ", ".join(LEVELS),
            )
        forms = entry["forms"]
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) for f in forms):
            raise ComprendeError(
                "`forms` must be a non-empty list of strings",
                path=path,
                line=entry.line_of("forms"),
                fix='e.g. forms: ["apretón de manos"]',
            )
        term = Term(
            id=term_id,
            term=str(entry["term"]),
            category=str(entry["category"]),
            definition=str(entry["definition"]),
            english=str(entry["english"]),
            level=str(entry["level"]),
            forms=tuple(forms),
            example=str(entry["example"]),
            note=str(entry.get("note", "")),
            line=entry.line,
        )
        if article is not None:
            _check_against_article(term, entry, article, path)
        terms.append(term)
    return tuple(terms)


def _check_against_article(term: Term, entry: LineDict, article: Article, path: str | Path) -> None:
    if article.locate(term.example) is None:
        raise ComprendeError(
            f"the example of {term.id!r} is not in the article verbatim\n"
            + quote_mismatch(term.example, article),
            path=path,
            line=entry.line_of("example"),
            fix="copy the sentence from the seed exactly",
        )
    for form in term.forms:
        if not form_pattern(form).search(term.example):
            raise ComprendeError(
                f"form {form!r} of {term.id!r} does not occur in its example",
                path=path,
                line=entry.line_of("forms"),
                fix="write the form exactly as in the example",
            )


def find_occurrences(text: str, terms: tuple[Term, ...]) -> list[Occurrence]:
    """Non-overlapping occurrences of glossary forms in ``text``; longer forms win."""
    candidates = [
        Occurrence(match.start(), match.end(), term)
        for term in terms
        for form in term.forms
        for match in form_pattern(form).finditer(text)
    ]
    candidates.sort(key=lambda occ: (occ.start, -(occ.end - occ.start)))
    chosen: list[Occurrence] = []
    for occ in candidates:
        if not chosen or occ.start >= chosen[-1].end:
            chosen.append(occ)
    return chosen

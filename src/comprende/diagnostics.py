"""The extension's warnings: one kind per thing an author can silence, and helpful messages.

Every problem the Sphinx extension finds is logged through Sphinx's logger with
``type="comprende"`` and ``subtype=<kind>`` (MyST-Parser's ``MystWarnings`` and
sphinx-design's ``WARNING_TYPE`` do the same), so Sphinx prints it as
``file:line: WARNING: message [comprende.<kind>]`` and ``conf.py`` can silence it::

    suppress_warnings = ["comprende.evidence"]   # one kind
    suppress_warnings = ["comprende"]            # all of them

This module also writes the messages that explain a mistake: the closest valid name of a
misspelt field (:func:`unknown_field`) and, for a quote that is not verbatim, the
closest sentence of the article and the first character where the two part
(:func:`quote_mismatch`).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .article import Article
    from .errors import ComprendeError

#: The ``type`` of every comprende warning (``suppress_warnings = ["comprende"]``).
WARNING_TYPE = "comprende"

#: The loader, the grader and the command line use the message helpers without Sphinx,
#: so Sphinx's logger is imported only when a warning is logged.
_logger: Any = None


class Kind(Enum):
    """The kinds of comprende warnings: ``comprende.<value>`` in ``suppress_warnings``.

    Each member's ``help`` is the Spanish description shown in the author guide
    (``:::{comprende-warnings}`` renders the table from this Enum).
    """

    help: str

    def __new__(cls, value: str, help: str = "") -> Kind:
        member = object.__new__(cls)
        member._value_ = value
        member.help = help
        return member

    #: A ``comprende_*`` setting of ``conf.py``.
    CONFIG = (
        "config",
        "Un ajuste `comprende_*` de `conf.py` tiene un valor no válido o un nombre que no "
        "existe (el aviso propone el más parecido). La compilación sigue con el valor por "
        "defecto (con `exam` en `comprende_mode`).",
    )
    #: The seed article cannot be read.
    ARTICLE = (
        "article",
        "El artículo (`comprende_article`) no se puede leer: no existe, no está en UTF-8 o "
        "está vacío. Se avisa una sola vez, y los enlaces a sus párrafos quedan como texto.",
    )
    #: The glossary data file.
    GLOSSARY = (
        "glossary",
        "El archivo del glosario (`comprende_glossary`) tiene un error: falta un campo, un "
        "valor no es válido o un ejemplo no es una cita literal del artículo (el aviso "
        "muestra dónde se separan). El artículo se muestra entonces sin enlaces al glosario.",
    )
    #: A file of the exercise bank.
    BANK = (
        "bank",
        "Un archivo del banco de ejercicios (`exercises/`) tiene un error: falta un campo, "
        "sobra uno o está mal escrito (el aviso propone el nombre válido más parecido), o un "
        "valor no es válido. Se avisa una sola vez por compilación, con el archivo y la "
        "línea, y las páginas de ejercicios se quedan sin preguntas hasta que se corrige.",
    )
    #: An ``evidence`` quote of the bank is not verbatim.
    EVIDENCE = (
        "evidence",
        "Una cita de `evidence` no es literal: el aviso muestra la frase más parecida del "
        "artículo y el carácter en el que las dos se separan. Como `comprende.bank`, deja las "
        "páginas de ejercicios sin preguntas.",
    )
    #: A ``comprende-context`` note, or an item's ``context`` label.
    CONTEXT = (
        "context",
        "Una nota `comprende-context` está mal escrita (sin texto, o con números de párrafo "
        "que no son números o que el artículo no tiene), o el `context` de una pregunta no es "
        "la etiqueta de ninguna sección (el aviso propone la más parecida).",
    )
    #: A ``comprende-exercises`` directive.
    EXERCISES = (
        "exercises",
        "Una directiva `comprende-exercises` nombra una serie que el banco no tiene (el aviso "
        "propone la más parecida).",
    )
    #: A directive of comprende written wrongly (its argument or its content).
    DIRECTIVE = (
        "directive",
        "Una directiva `comprende-…` está mal escrita: le falta el argumento que necesita "
        "(la serie en `comprende-exercises`, los párrafos en `comprende-context`) o lleva un "
        "argumento o un texto que no admite. El aviso dice qué escribir, y la directiva no "
        "muestra nada hasta que se corrige.",
    )

    @property
    def code(self) -> str:
        """What ``suppress_warnings`` takes: ``comprende.<kind>``."""
        return f"{WARNING_TYPE}.{self.value}"


Location = str | tuple[str, int | None] | Any | None


def warn(kind: Kind, message: str, location: Location = None, *, once: bool = False) -> None:
    """Log ``message`` as a ``comprende.<kind>`` warning at ``location``.

    ``location`` is what Sphinx's logger takes: a ``"path:line"`` string (a data file),
    a ``(docname, line)`` pair, or a node. With ``once``, the same message is logged only
    the first time (Sphinx's ``once``): for a data file's mistake seen from several pages.
    """
    global _logger
    if _logger is None:
        from sphinx.util import logging

        _logger = logging.getLogger(__name__)
    _logger.warning(message, type=WARNING_TYPE, subtype=kind.value, location=location, once=once)


def error_location(error: ComprendeError) -> str | None:
    """``"path:line"`` of a :class:`~comprende.errors.ComprendeError`, for the logger.

    Without a line it is ``"path:"``, as Sphinx writes a node's file without a line (a
    bare string would be read as a docname).
    """
    if error.path is None:
        return None
    return f"{error.path}:{error.line}" if error.line else f"{error.path}:"


def error_message(error: ComprendeError) -> str:
    """The error's message and what to do, without its location (the logger shows that)."""
    return f"{error.message}\n  → {error.fix}" if error.fix else error.message


def report(kind: Kind, error: ComprendeError, *, once: bool = False) -> None:
    """Log a :class:`~comprende.errors.ComprendeError` at its own file and line.

    An error that names its own kind (``error.kind``, e.g. ``"evidence"``) is logged as
    that kind; otherwise as ``kind``.
    """
    own = getattr(error, "kind", None)
    warn(Kind(own) if own else kind, error_message(error), error_location(error), once=once)


# -- misspelt names ------------------------------------------------------------------

#: How alike (difflib's ratio) a name must be to a valid one to be offered as a fix.
CUTOFF = 0.6


def closest(name: str, valid: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The valid name closest to ``name`` (case aside), if any is close enough."""
    names = sorted(set(valid))
    lowered = {n.lower(): n for n in names}
    found = difflib.get_close_matches(str(name).lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None


def did_you_mean(name: str, valid: Iterable[str], cutoff: float = CUTOFF) -> str:
    """``": did you mean `x`?"`` for the closest valid name, or ``""``."""
    best = closest(name, valid, cutoff)
    return f": did you mean `{best}`?" if best else ""


def unknown_field(name: str, valid: Iterable[str], where: str = "") -> str:
    """``unknown field `explantion`: did you mean `explanation`?`` (``where``: e.g. " for type …")."""
    return f"unknown field `{name}`{where}{did_you_mean(name, valid)}"


def misspelt_missing(
    missing: Sequence[str], present: Iterable[str], cutoff: float = 0.7
) -> tuple[str, str] | None:
    """``(present, missing)``: a present unknown name that is a misspelling of a missing one.

    The cutoff is higher than :data:`CUTOFF`: a present name may be a valid field of
    another part of the file, so only a close likeness counts.
    """
    for name in present:
        best = closest(name, missing, cutoff)
        if best is not None:
            return name, best
    return None


def missing_but_misspelt(present: str, missing: str) -> str:
    """The message for a required field written with a typo."""
    return f"unknown field `{present}`: did you mean `{missing}`? (`{missing}` is missing)"


# -- quotes that are not verbatim ----------------------------------------------------

#: Characters of context shown on each side of the first difference.
EXCERPT = 24


def split_sentences(paragraph: str) -> list[tuple[int, str]]:
    """``(start, sentence)`` for each sentence of ``paragraph``, by the rule of
    :mod:`comprende.sentences` (the one sentence-selection items use)."""
    from .sentences import split_sentences as split

    result, position = [], 0
    for sentence in split(paragraph):
        start = paragraph.index(sentence, position)
        result.append((start, sentence))
        position = start + len(sentence)
    return result


#: A prefix at least this long anchors the quote where it occurs; a shorter one may be
#: anywhere, so the quote is anchored on its longest run in common with a paragraph.
ANCHOR = 8


#: A quote with no run this long in common with the article is not close to any sentence.
NOTHING_ALIKE = 4


def _show(char: str, end: str) -> str:
    if not char:
        return end
    name = unicodedata.name(char, "")
    return f"{char!r} (U+{ord(char):04X}{' ' + name if name else ''})"


def _align(quote: str, paragraphs: Sequence[str]) -> tuple[int, int, int]:
    """``(paragraph index, index in the quote, index in the paragraph)`` where they part."""
    length, where = 0, (0, 0)
    for index, text in enumerate(paragraphs):
        # The longest prefix of the quote that the paragraph has, from its start.
        low = length
        while low < len(quote) and quote[: low + 1] in text:
            low += 1
        if low > length:
            length, where = low, (index, text.index(quote[:low]))
    if length >= min(ANCHOR, len(quote)):
        return where[0], length, where[1] + length
    # Too short a prefix: anchor on the longest run in common, and read back from it.
    best: tuple[int, float, int, int, int] = (0, 0.0, 0, 0, 0)
    for index, text in enumerate(paragraphs):
        matcher = difflib.SequenceMatcher(None, quote, text, autojunk=False)
        match = matcher.find_longest_match(0, len(quote), 0, len(text))
        candidate = (match.size, matcher.ratio(), index, match.a, match.b)
        if candidate[:2] > best[:2]:
            best = candidate
    _, _, index, a, b = best
    text = paragraphs[index]
    while a > 0 and b > 0 and quote[a - 1] == text[b - 1]:
        a, b = a - 1, b - 1
    if a == 0 or best[0] == 0:  # the run reaches the quote's start: the prefix says it all
        return where[0], length, where[1] + length
    return index, a - 1, b - 1


def quote_mismatch(quote: str, article: Article) -> str:
    """Where ``quote`` stops matching the article: its closest sentence and the first
    differing character, with a short excerpt of both (lines to add to the error).

    The quote is anchored where the longest prefix of it that the article has verbatim
    occurs (at least :data:`ANCHOR` characters); the character after that prefix is
    where the two part. A quote whose first characters are already wrong is anchored
    on its longest run in common with a paragraph instead, and parts just before it.
    """
    if not any(
        quote[i : i + NOTHING_ALIKE] in text
        for text in article.paragraphs
        for i in range(max(1, len(quote) - NOTHING_ALIKE + 1))
    ):
        return f"  no {NOTHING_ALIKE} characters in a row of it are in the article"
    number, index, at = _align(quote, article.paragraphs)
    text = article.paragraphs[number]
    sentence_number, sentence = 1, text
    for position, (start, part) in enumerate(split_sentences(text), start=1):
        if start <= max(at, 0):
            sentence_number, sentence = position, part
    before = min(index, max(at, 0), EXCERPT)
    theirs = text[at : at + 1] if 0 <= at < len(text) else ""
    edge = "the start of the paragraph" if at < 0 else "the end of the paragraph"
    return (
        f"  closest sentence ({number + 1}.{sentence_number}: paragraph {number + 1}, "
        f"sentence {sentence_number}): «{sentence}»\n"
        f"  they part at character {index + 1} of the quote: "
        f"{_show(quote[index : index + 1], 'the end of the quote')} in the quote, "
        f"{_show(theirs, edge)} in the article\n"
        f"    quote:   {_excerpt(quote, index, before)}\n"
        f"    article: {_excerpt(text, max(at, 0), before)}\n"
        f"             {' ' * (before + 1)}^"
    )


def _excerpt(text: str, at: int, before: int) -> str:
    """``text`` around ``at``: ``before`` characters before it (after "…"), a few after."""
    start, end = at - before, min(len(text), at + EXCERPT)
    return ("…" if start > 0 else "«") + text[start:end] + ("…" if end < len(text) else "»")

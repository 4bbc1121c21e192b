"""The article split into sentences, for items where the learner marks sentences.

A sentence id is ``"<paragraph>.<sentence>"``, both 1-based: ``"3.2"`` is the second
sentence of paragraph 3. The article never changes, so neither do the ids.

**The rule.** A paragraph is cut after a *sentence end* and the spaces that follow it,
and only there. A sentence end is

1. a run of terminators — ``.``, ``?``, ``!``, ``…`` (``...`` is three ``.``) — and
   the closing marks right after it (``»``, ``”``, ``’``, ``"``, ``'``, ``)``, ``]``),
2. followed by at least one space,
3. followed by what can begin a sentence: an upper-case letter, a digit, an opening
   mark (``«``, ``“``, ``"``, ``(``, ``[``, ``¿``, ``¡``) or a dash (``—``, ``–``).

So a terminator followed by a lower-case word or by a comma is no end (``«¿Vienes?»,
preguntó`` or ``… y más``), and a period inside a number is no end either, since no
space follows it (``1.5``, ``27.11.2024``). Three exceptions keep a cut from happening:

* **Abbreviations** that go before what they name (:data:`ABBREVIATIONS`: ``Sr.``,
  ``Dra.``, ``núm.``, ``pág.``, ``EE.`` of ``EE. UU.``…) never end a sentence, whatever
  follows. Others, such as ``etc.``, end one when an upper-case word follows.
* **Initials**: a period after a single upper-case letter (``V. Putin``, ``J. R. R.``)
  is no end.
* **Quotations and brackets**: a terminator inside ``«…»``, ``“…”``, straight
  ``"…"`` or ``(…)`` belongs to the sentence that holds the quotation
  (``Dijo: «Vamos. Ya». Luego…`` has its only cut before ``Luego``), and an omission
  mark ``(…)`` / ``[…]`` is no end. If a paragraph's marks do not balance (an
  opening ``«`` never closed), quotation depth is ignored for that paragraph.

Spaces between sentences are not part of either, so the sentences of a paragraph
joined with single spaces give back the paragraph (with its spaces collapsed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .article import Article

#: Abbreviations (lower-cased, without their period) that never end a sentence.
ABBREVIATIONS = frozenset(
    {
        # titles and forms of address
        "sr",
        "sra",
        "srta",
        "sres",
        "sras",
        "d",
        "dña",
        "dª",
        "dr",
        "dra",
        "dres",
        "lic",
        "ing",
        "prof",
        "profa",
        "excmo",
        "excma",
        "ilmo",
        "ilma",
        "mons",
        "gral",
        "cnel",
        "tte",
        "sto",
        "sta",
        "st",
        "ud",
        "uds",
        "vd",
        "vds",
        # references and quantities
        "núm",
        "nro",
        "art",
        "arts",
        "pág",
        "págs",
        "pp",
        "cap",
        "vol",
        "fig",
        "tel",
        "av",
        "avda",
        "aprox",
        "ej",
        "cf",
        "cfr",
        "vs",
        # the first half of EE. UU.
        "ee",
    }
)

_TERMINATORS = ".?!…"
_CLOSERS = "»”’\"')]"
_OPENERS = '«“"([¿¡—–'
_PAIRS = {"«": "»", "“": "”", "(": ")"}
#: A possible sentence end: terminators, closing marks, spaces, then something.
_END = re.compile(rf"[{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*(?P<space>\s+)(?=\S)")
_WORD_BEFORE = re.compile(r"(\w+)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article."""

    #: 1-based paragraph number.
    paragraph: int
    #: 1-based number within the paragraph.
    number: int
    #: The sentence as in the seed, without the spaces around it.
    text: str

    @property
    def id(self) -> str:
        """``"<paragraph>.<sentence>"``, e.g. ``"3.2"``."""
        return f"{self.paragraph}.{self.number}"


def _depths(text: str) -> list[int] | None:
    """Quotation and bracket depth before each character, or None if they do not balance."""
    depths = []
    stack: list[str] = []
    straight_open = False
    for char in text:
        depths.append(len(stack) + straight_open)
        if char in _PAIRS:
            stack.append(_PAIRS[char])
        elif stack and char == stack[-1]:
            stack.pop()
        elif char in _PAIRS.values():
            return None
        elif char == '"':
            straight_open = not straight_open
    depths.append(len(stack) + straight_open)
    if stack or straight_open:
        return None
    return depths


def _is_end(text: str, match: re.Match[str], depths: list[int] | None) -> bool:
    start = match.start()
    cut = match.start("space")
    first = text[match.end()]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if depths is not None and depths[cut] > 0:
        return False
    run_end = start
    while run_end < len(text) and text[run_end] in _TERMINATORS:
        run_end += 1
    if text[start] == "." and run_end - start == 1:  # a single period: abbreviation, initial
        word = _WORD_BEFORE.search(text[:start])
        if word:
            before = word.group(1)
            if before.lower() in ABBREVIATIONS:
                return False
            if len(before) == 1 and before.isupper():
                return False
    # an omission mark, (…) or [...], is no end
    omission = start > 0 and text[start - 1] in "([" and text[run_end : run_end + 1] in (")", "]")
    return not omission


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph, by the rule in this module's docstring."""
    depths = _depths(text)
    sentences = []
    begin = 0
    for match in _END.finditer(text):
        if _is_end(text, match, depths):
            sentences.append(text[begin : match.start("space")].strip())
            begin = match.end("space")
    last = text[begin:].strip()
    if last:
        sentences.append(last)
    return [s for s in sentences if s]


def paragraph_sentences(article: Article, paragraph: int) -> tuple[Sentence, ...]:
    """The sentences of the 1-based ``paragraph``."""
    text = article.paragraphs[paragraph - 1]
    return tuple(
        Sentence(paragraph, number, sentence)
        for number, sentence in enumerate(split_sentences(text), start=1)
    )


def article_sentences(article: Article) -> tuple[Sentence, ...]:
    """Every sentence of the article, in order."""
    return tuple(
        sentence
        for paragraph in range(1, len(article.paragraphs) + 1)
        for sentence in paragraph_sentences(article, paragraph)
    )


def sentences_by_id(article: Article) -> dict[str, Sentence]:
    """``{sentence id: sentence}`` for the whole article."""
    return {sentence.id: sentence for sentence in article_sentences(article)}


def sentence_of(article: Article, quote: str) -> Sentence | None:
    """The one sentence that contains ``quote`` verbatim, if exactly one does."""
    found = [s for s in article_sentences(article) if quote and quote in s.text]
    return found[0] if len(found) == 1 else None

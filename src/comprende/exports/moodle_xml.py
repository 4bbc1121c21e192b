"""Moodle XML: the question bank as Moodle's «Moodle XML format» importer reads it.

What the importer reads, from Moodle's own code (moodle/moodle on GitHub, read with the
project's ``search`` tool on 2026-12-01):

* ``question/format/xml/format.php``: ``readquestions`` takes ``quiz/question``;
  ``import_question`` dispatches on ``question/@type`` (``multichoice``, ``truefalse``,
  ``shortanswer``, ``numerical``, ``matching``, ``cloze``/``multianswer``, ``essay``,
  ``category``; any other type, such as ``ordering``, goes to that qtype's
  ``import_from_xml``). ``import_headers`` reads ``name/text``, ``questiontext/@format``
  and ``questiontext/text``, ``generalfeedback``, ``defaultgrade``, ``penalty``,
  ``idnumber`` and ``tags/tag/text``. ``import_answer`` reads ``answer/@fraction``
  (a percentage), ``answer/text`` and ``answer/feedback/text``. Multichoice reads
  ``single``, ``shuffleanswers``, ``answernumbering``, the combined feedback
  (``correctfeedback``, ``partiallycorrectfeedback``, ``incorrectfeedback``,
  ``shownumcorrect``); shortanswer ``usecase``; numerical ``answer/tolerance`` and
  ``units/unit/unit_name``; matching ``subquestion/text`` and
  ``subquestion/answer/text``; essay ``responseformat``, ``responserequired``,
  ``responsefieldlines``, ``minwordlimit``, ``maxwordlimit``, ``attachments``,
  ``graderinfo``, ``responsetemplate``; multianswer only ``name``, ``questiontext``,
  ``generalfeedback``, ``penalty``, hints and tags (its points are the sum of the
  embedded answers' weights).
* ``question/format.php`` (``importprocess``): every fraction of every question is checked
  with ``match_grade_options`` against ``question_bank::fraction_options_full()``
  (``question/engine/bank.php``: 1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5,
  0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0
  and their negatives, to within 0.00001); with the default ``matchgrades = 'error'`` a
  question with another fraction is not imported. :data:`ALLOWED` is that list.
* ``question/type/ordering/questiontype.php`` (``import_from_xml``, Moodle 4.4+):
  ``layouttype``, ``selecttype``, ``selectcount``, ``gradingtype``, ``showgrading``,
  ``answer`` in the right order; ``RELATIVE_NEXT_EXCLUDE_LAST`` is comprende's rule
  (a point per element followed by its right successor). Its test fixture
  ``tests/fixtures/testexport.moodle.xml`` shows the layout.
* ``question/type/multianswer/questiontype.php``: the embedded-answer syntax
  ``{weight:SHORTANSWER:=right#feedback~%0%wrong#feedback~*#other}``. An answer ends at
  ``~``, ``#`` or ``}`` unless that character follows ``\\`` or ``&``; answers and
  feedback are then HTML-entity-decoded. So the special characters inside an embedded
  answer are written as character references (``&#126;`` for ``~``…), which can never
  end an answer. ``SHORTANSWER_C`` compares case; ``MULTICHOICE_V`` and
  ``MULTIRESPONSE`` are the single and multiple choice forms.
* Short answers: ``*`` is the shortanswer wildcard, so a literal ``*`` is written ``\\*``.

Texts are HTML (``format="html"``), escaped; ElementTree writes the XML, so ``<``, ``&``
and ``]]>`` are character data and the file is well-formed whatever the bank holds
(see :func:`comprende.exports.clean`).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..model import TextKey
from ..types.base import MSG_CORRECT, MSG_INCORRECT
from ..types.textmatch import MSG_ACCENT_OPTIONAL, MSG_ACCENT_REQUIRED, strip_accents
from .base import (
    MARKER,
    ExportResult,
    Format,
    NotExpressible,
    Problem,
    clean,
    evidence_text,
    item_piece,
    register_format,
    unique,
)

if TYPE_CHECKING:
    from ..model import Bank, Item

NAME = "moodle-xml"

_POSITIVE = (
    1.0,
    0.9,
    0.8333333,
    0.8,
    0.75,
    0.7,
    0.6666667,
    0.6,
    0.5,
    0.4,
    0.3333333,
    0.3,
    0.25,
    0.2,
    0.1666667,
    0.1428571,
    0.125,
    0.1111111,
    0.1,
    0.05,
)
#: Moodle's allowed grade fractions (``question_bank::fraction_options_full()``).
ALLOWED: tuple[float, ...] = (*_POSITIVE, 0.0, *(-f for f in reversed(_POSITIVE)))
MSG_PARTIAL = "Correcto solo en parte."
#: Stands for «any other answer» (Moodle's ``*``) in :func:`text_key_answers`; compared
#: by identity, so an accepted answer that is a literal ``*`` stays one.
ANY = "\x00any"


# ----- fractions ----------------------------------------------------------------------


def percent(fraction: float) -> str:
    """A fraction as Moodle writes ``fraction="…"``: a percentage, up to 5 decimals."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nearest(value: float) -> tuple[float, str]:
    """The allowed fraction nearest ``value``, and "" or why it differs (English)."""
    best = min(ALLOWED, key=lambda allowed: abs(allowed - value))
    if abs(best - value) < 0.00001:
        return best, ""
    return best, (
        f"fraction {value * 100:.4g}% is not one Moodle accepts; "
        f"written as the nearest allowed, {percent(best)}%"
    )


# ----- text ---------------------------------------------------------------------------


def html_text(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return html.escape(clean(text), quote=False).replace("\n", "<br>")


def paragraphs(lines: Iterable[str]) -> str:
    return "".join(f"<p>{html_text(line)}</p>" for line in lines if line)


def text_element(parent: ET.Element, tag: str, text: str, fmt: str = "html") -> ET.Element:
    """``<tag format="…"><text>…</text></tag>``, as ``import_text_with_files`` reads it."""
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = clean(text)
    return element


def simple(parent: ET.Element, tag: str, value: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = clean(str(value))
    return element


def number(value: float) -> str:
    return format(float(value), ".15g")


def points_text(points: float) -> str:
    return number(points)


# ----- the parts every question has ---------------------------------------------------


def question(item: Item, qtype: str, *, text: str | None = None, points: bool = True) -> ET.Element:
    """A ``<question type=qtype>`` with the headers ``import_headers`` reads: name,
    question text (``text``, HTML; default: the prompt), general feedback (explanation
    and evidence), default grade, penalty, idnumber and tags (set, skill, level)."""
    element = ET.Element("question", {"type": qtype})
    name = ET.SubElement(element, "name")
    ET.SubElement(name, "text").text = clean(item.id)
    text_element(element, "questiontext", paragraphs([item.prompt]) if text is None else text)
    text_element(element, "generalfeedback", paragraphs(evidence_text(item)))
    if points:
        simple(element, "defaultgrade", points_text(item.points))
    simple(element, "penalty", "0")
    simple(element, "hidden", "0")
    simple(element, "idnumber", item.id)
    tags = ET.SubElement(element, "tags")
    for tag in (item.set_id, item.skill, item.level):
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = clean(tag)
    return element


def answer(
    parent: ET.Element, fraction: float, text: str, feedback: str, *, fmt: str = "html"
) -> ET.Element:
    """``<answer fraction=…>`` with its text and its feedback (``fmt``: the answer's
    format; plain text for short answers, HTML for choices)."""
    element = ET.SubElement(parent, "answer", {"fraction": percent(fraction), "format": fmt})
    ET.SubElement(element, "text").text = clean(text)
    text_element(element, "feedback", paragraphs([feedback]))
    return element


def combined_feedback(
    parent: ET.Element, *, partial: str = MSG_PARTIAL, incorrect: str = MSG_INCORRECT
) -> None:
    text_element(parent, "correctfeedback", paragraphs([MSG_CORRECT]))
    text_element(parent, "partiallycorrectfeedback", paragraphs([partial]))
    text_element(parent, "incorrectfeedback", paragraphs([incorrect]))
    ET.SubElement(parent, "shownumcorrect")


# ----- choices ------------------------------------------------------------------------


def multichoice(
    item: Item,
    choices: Sequence[tuple[str, bool, str]],
    *,
    single: bool,
    text: str | None = None,
) -> tuple[ET.Element, list[str]]:
    """A multichoice question from ``(text, correct, feedback)`` choices.

    Single: 100 % for the right one. Multiple (comprende's rule: right picks / right
    options − wrong picks / wrong options): each right option 100/k %, each wrong one
    −100/m %, or the nearest allowed fraction (reported). Returns the question and the
    degradations."""
    q = question(item, "multichoice", text=text)
    simple(q, "single", "true" if single else "false")
    simple(q, "shuffleanswers", "false")
    simple(q, "answernumbering", "abc")
    simple(q, "showstandardinstruction", "0")
    combined_feedback(q)
    degraded: list[str] = []
    right = sum(correct for _, correct, _ in choices)
    wrong = len(choices) - right
    if single:
        fractions = {True: 1.0, False: 0.0}
    else:
        right_fraction, why_right = nearest(1 / right)
        wrong_fraction, why_wrong = nearest(-1 / wrong) if wrong else (0.0, "")
        if round(right_fraction * right, 2) != 1:
            raise NotExpressible(
                f"{right} right options: Moodle needs right fractions adding up to 100%, "
                "and no allowed fraction does"
            )
        degraded += [why for why in (why_right, why_wrong) if why]
        fractions = {True: right_fraction, False: wrong_fraction}
    for choice_text, correct, feedback in choices:
        answer(q, fractions[correct], paragraphs([choice_text]), feedback)
    return q, degraded


# ----- short answers ------------------------------------------------------------------


def wildcard_safe(text: str) -> str:
    """A short answer with Moodle's ``*`` wildcard escaped (``compare_string_with_wildcard``
    in ``question/type/shortanswer/question.php`` splits on unescaped ``*`` and turns
    ``\\*`` back into ``*``; no other character is special)."""
    return clean(text).replace("*", "\\*")


def text_key_answers(key: TextKey) -> tuple[list[tuple[float, str, str]], list[str]]:
    """The answers of a text key, in Moodle's matching order (first match wins):
    ``(fraction, answer, feedback)`` each, and what degrades.

    The accepted answers (100 %), then each one's accent-free form (100 % with the
    accent note when accents are optional; 0 % with «Casi: revisa la tilde» when
    required), then the common wrong answers with their feedback, then ``*``: any other
    answer, with the incorrect feedback."""
    policy = key.policy
    fold = policy.case == "ignore"
    result: list[tuple[float, str, str]] = []
    seen: set[str] = set()

    def add(fraction: float, text: str, feedback: str) -> None:
        marker = text.casefold() if fold else text
        if marker not in seen:
            seen.add(marker)
            result.append((fraction, text, feedback))

    for accepted in key.accept:
        add(1.0, accepted, MSG_CORRECT)
    for accepted in key.accept:
        bare = strip_accents(accepted)
        if bare != accepted:
            if policy.accents == "optional":
                add(1.0, bare, MSG_ACCENT_OPTIONAL.format(expected=accepted))
            else:
                add(0.0, bare, MSG_ACCENT_REQUIRED.format(expected=accepted))
    for wrong in key.wrong:
        for form in unique([str(wrong.answer), strip_accents(str(wrong.answer))], fold=fold):
            add(0.0, form, wrong.feedback)
    result.append((0.0, ANY, key.feedback_incorrect or MSG_INCORRECT))
    degraded = []
    if policy.typos:
        degraded.append(
            f"answers with up to {policy.typos} typo(s) are accepted on the site, not in Moodle"
        )
    return result, degraded


def shortanswer(item: Item, key: TextKey) -> tuple[ET.Element, list[str]]:
    q = question(item, "shortanswer")
    simple(q, "usecase", "1" if key.policy.case == "exact" else "0")
    answers, degraded = text_key_answers(key)
    for fraction, text, feedback in answers:
        answer(q, fraction, "*" if text is ANY else wildcard_safe(text), feedback, fmt="plain")
    return q, degraded


# ----- embedded answers (cloze) -------------------------------------------------------

_CLOZE_SPECIAL = {
    "{": "&#123;",
    "}": "&#125;",
    "~": "&#126;",
    "#": "&#35;",
    "\\": "&#92;",
    "=": "&#61;",
    "%": "&#37;",
}


def cloze_text(text: str) -> str:
    """Text around the embedded answers: HTML, and no ``{`` that could open one."""
    return "".join(_CLOZE_SPECIAL.get(c, c) for c in html_text(text))


#: ``&`` ``<`` ``>`` as numeric references: ``&amp;`` just before a ``#`` would keep the
#: parser from ending the answer there (its look-behind skips ``&amp;``).
_HTML_SPECIAL = {
    "&": ("&#38;", "&#38;amp;"),
    "<": ("&#60;", "&#38;lt;"),
    ">": ("&#62;", "&#38;gt;"),
}


def _cloze_part(text: str, *, is_html: bool) -> str:
    """An answer or a feedback inside ``{…}``, in one pass over its characters: what the
    cloze parser gives back after decoding the character references is ``text`` (plain)
    or ``text`` escaped as HTML (``is_html``)."""
    parts = []
    text = clean(text)
    for index, c in enumerate(text):
        if c in _HTML_SPECIAL:
            parts.append(_HTML_SPECIAL[c][is_html])
        elif c == "\\" and text[index + 1 : index + 2] in ("}", "#"):
            parts.append("&#92;&#92;")  # the parser turns a decoded \} or \# into } or #
        else:
            parts.append(_CLOZE_SPECIAL.get(c, c))
    return "".join(parts)


def _cloze_answer(text: str) -> str:
    if text is ANY:
        return "*"
    return _cloze_part(text, is_html=False).replace("*", "&#92;*")


def cloze_shortanswer(key: TextKey, weight: int) -> tuple[str, list[str]]:
    """One blank as ``{weight:SHORTANSWER:…}`` (``SHORTANSWER_C`` when case counts)."""
    answers, degraded = text_key_answers(key)
    kind = "SHORTANSWER_C" if key.policy.case == "exact" else "SHORTANSWER"
    parts = [
        f"%{percent(fraction)}%{_cloze_answer(text)}#{_cloze_part(feedback, is_html=True)}"
        for fraction, text, feedback in answers
    ]
    return f"{{{weight}:{kind}:{'~'.join(parts)}}}", degraded


def cloze_choice(
    choices: Sequence[tuple[str, bool, str]], weight: int, *, single: bool
) -> tuple[str, list[str]]:
    """Choices as ``{weight:MULTICHOICE_V:…}`` or ``{weight:MULTIRESPONSE:…}`` with
    comprende's fractions (see :func:`multichoice`)."""
    right = sum(correct for _, correct, _ in choices)
    wrong = len(choices) - right
    degraded: list[str] = []
    if single:
        fractions = {True: 1.0, False: 0.0}
    else:
        right_fraction, why_right = nearest(1 / right)
        wrong_fraction, why_wrong = nearest(-1 / wrong) if wrong else (0.0, "")
        degraded += [why for why in (why_right, why_wrong) if why]
        fractions = {True: right_fraction, False: wrong_fraction}
    parts = [
        f"%{percent(fractions[correct])}%{_cloze_part(text, is_html=True)}"
        f"#{_cloze_part(feedback, is_html=True)}"
        for text, correct, feedback in choices
    ]
    kind = "MULTICHOICE_V" if single else "MULTIRESPONSE"
    return f"{{{weight}:{kind}:{'~'.join(parts)}}}", degraded


def cloze_weights(item: Item, parts: int) -> tuple[int, list[str]]:
    """An integer weight per embedded answer; Moodle's points are their sum."""
    share = item.points / parts
    if share.is_integer() and share >= 1:
        return int(share), []
    return 1, [
        f"Moodle gives this cloze question {parts} point(s), one per part; "
        f"set its mark in the quiz to {points_text(item.points)}"
    ]


# ----- the file -----------------------------------------------------------------------


def category(path: str) -> ET.Element:
    element = ET.Element("question", {"type": "category"})
    ET.SubElement(ET.SubElement(element, "category"), "text").text = clean(path)
    info = ET.SubElement(element, "info", {"format": "html"})
    ET.SubElement(info, "text").text = ""
    return element


def build(bank: Bank) -> ExportResult:
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" {MARKER} ({NAME}): bank {bank.id} v{bank.version} "))
    problems: list[Problem] = []
    exported: list[str] = []
    for item_set in bank.sets:
        quiz.append(category(f"$course$/top/{bank.title}/{item_set.title}"))
        for item in item_set.items:
            piece = item_piece(item, NAME, problems)
            if piece is None:
                continue
            quiz.append(piece)
            exported.append(item.id)
    ET.indent(quiz)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode")
    return ExportResult((text + "\n").encode("utf-8"), exported, problems)


FORMAT = register_format(
    Format(
        name=NAME,
        suffix=".xml",
        description="Moodle XML (question bank import)",
        build=build,
        note=(
            "Moodle compares short answers as typed, apart from letter case: "
            "punctuation and extra spaces the site ignores count in Moodle."
        ),
    )
)

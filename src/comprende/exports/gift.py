"""GIFT: the question bank as a text file Moodle's GIFT importer reads.

The grammar, from Moodle's documentation («GIFT format», docs.moodle.org, symbols
table: ``::title::``, ``[html]``, ``{…}``, ``=``/``~``, ``#feedback``, ``####general
feedback``, ``{#…}``, ``=%n%``, ``->``; «Backslash escapes the special meaning of ~, =,
#, {, }, and :»; ``\\n`` for a line break, a blank line between questions) and from the
importer itself (moodle/moodle ``question/format/gift/format.php``, read with the
project's ``search`` tool on 2026-12-01): ``escapedchar_pre`` turns ``\\\\``, ``\\:``,
``\\#``, ``\\=``, ``\\{``, ``\\}``, ``\\~`` and ``\\n`` into placeholders before anything
else; a weight is ``%n%`` matching ``^%-*([0-9]{1,2})\\.?([0-9]*)%``; ``{TRUE#wrong
answer's feedback#right answer's feedback}``; a numerical question's ``~`` part is the
feedback for any other number; a matching stem ends at its first ``->``; ``{}`` (or
``{####…}``) is an essay; a text starting ``[format]`` names its format.

What GIFT cannot hold is reported by id (see :mod:`comprende.exports`): a cloze with
more than one blank (GIFT's missing-word form has one), ordering, two-part items; a
degradation for what an item loses (the rubric of an essay, case-sensitive answers,
feedback per matching pair).

Texts are written as HTML (``[html]``), so ``<`` and ``&`` are escaped as HTML; short
answers and matching answers are plain text, only GIFT-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import TextKey
from ..types.base import MSG_CORRECT, MSG_INCORRECT
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
)
from .moodle_xml import ANY, nearest, number, percent, text_key_answers, wildcard_safe

if TYPE_CHECKING:
    from ..model import Bank, Item

NAME = "gift"
_SPECIAL = {c: "\\" + c for c in "~=#{}:"}
_SPECIAL["\\"] = "\\\\"
_SPECIAL["\n"] = "\\n"


def esc(text: str) -> str:
    """Plain text GIFT-escaped: ``\\`` before ``~ = # { } :`` and ``\\``; line breaks
    as ``\\n`` (a blank line would end the question)."""
    return "".join(_SPECIAL.get(c, c) for c in clean(text))


#: The importer's own placeholders for escaped characters (``escapedchar_pre``): in a
#: plain-text part (a short answer, a matching answer) they would turn into the character.
_PLACEHOLDER = re.compile(r"&&(?:058|035|061|123|125|126|092);|&&010")
#: A leading ``[format]`` is taken as the text's format (``parse_text_with_format``).
_FORMAT = re.compile(r"\[(?:moodle|html|plain|markdown)\]")


def plain(text: str) -> str:
    """A plain-text part GIFT-escaped; :class:`NotExpressible` if GIFT would change it."""
    if _PLACEHOLDER.search(clean(text)) or _FORMAT.match(clean(text).strip()):
        raise NotExpressible(f"{clean(text)!r} holds a sequence Moodle's GIFT importer rewrites")
    return esc(text)


def rich(text: str) -> str:
    """Text as escaped HTML (line breaks as ``<br>``), then GIFT-escaped; never read as
    a ``[format]``."""
    value = html.escape(clean(text), quote=False).replace("[", "&#91;").replace("\n", "<br>")
    return esc(value)


def head(item: Item, text: str | None = None) -> str:
    """``::id::[html]question text``."""
    return f"::{esc(item.id)}::[html]{rich(item.prompt) if text is None else text}"


def general_feedback(item: Item) -> str:
    return "####" + rich("\n".join(evidence_text(item)))


def block(item: Item, answers: Sequence[str], text: str | None = None) -> str:
    """The question: its head, then ``{`` the answer lines and the general feedback ``}``."""
    lines = [head(item, text) + "{", *(f"\t{a}" for a in answers), f"\t{general_feedback(item)}"]
    return "\n".join(lines) + "\n}"


def weight(fraction: float) -> str:
    return f"%{percent(fraction)}%"


# ----- per kind of question -----------------------------------------------------------


def truefalse(item: Item, key: bool, feedback_true: str, feedback_false: str) -> str:
    right, wrong = (feedback_true, feedback_false) if key else (feedback_false, feedback_true)
    answer = f"{'TRUE' if key else 'FALSE'}#{rich(wrong)}#{rich(right)}"
    return block(item, [answer])


def multichoice(
    item: Item, choices: Sequence[tuple[str, bool, str]], *, single: bool
) -> tuple[str, list[str]]:
    """``=right ~wrong`` (single) or ``~%w%right ~%-w%wrong`` (multiple, comprende's
    rule: see :func:`comprende.exports.moodle_xml.multichoice`)."""
    degraded: list[str] = []
    lines = []
    if single:
        for text, correct, feedback in choices:
            # ~%0% rather than ~: a text starting «%5%» would otherwise be read as a weight
            lines.append(f"{'=' if correct else '~%0%'}{rich(text)}#{rich(feedback)}")
        return block(item, lines), degraded
    right = sum(correct for _, correct, _ in choices)
    wrong = len(choices) - right
    right_fraction, why_right = nearest(1 / right)
    wrong_fraction, why_wrong = nearest(-1 / wrong) if wrong else (0.0, "")
    if round(right_fraction * right, 2) != 1:
        raise NotExpressible(f"{right} right options: no allowed fraction adds up to 100%")
    degraded += [why for why in (why_right, why_wrong) if why]
    for text, correct, feedback in choices:
        fraction = right_fraction if correct else wrong_fraction
        lines.append(f"~{weight(fraction)}{rich(text)}#{rich(feedback)}")
    return block(item, lines), degraded


def text_answers(key: TextKey) -> tuple[list[str], list[str]]:
    """A text key as GIFT short answers ``=%w%answer#feedback``, in Moodle's order."""
    answers, degraded = text_key_answers(key)
    if any("->" in text for _, text, _ in answers):
        raise NotExpressible(
            "a short answer holding '->' would make Moodle read the question as matching"
        )
    if key.policy.case == "exact":
        degraded.append("GIFT cannot make a short answer case-sensitive; Moodle ignores case")
    lines = [
        f"={weight(fraction)}{'*' if text is ANY else plain(wildcard_safe(text))}#{rich(feedback)}"
        for fraction, text, feedback in answers
    ]
    return lines, degraded


def shortanswer(item: Item, key: TextKey) -> tuple[str, list[str]]:
    lines, degraded = text_answers(key)
    return block(item, lines), degraded


def missing_word(item: Item, before: str, key: TextKey, after: str) -> tuple[str, list[str]]:
    """A text with one blank: ``before {=answer …} after`` (GIFT's missing-word form)."""
    lines, degraded = text_answers(key)
    text = f"{rich(item.prompt)}<br>{rich(before)}"
    body = "{\n" + "\n".join(f"\t{a}" for a in lines) + f"\n\t{general_feedback(item)}\n}}"
    rest = rich(after) if after.strip() else "&nbsp;"  # text after }: missing-word form
    return f"{head(item, text)}{body}{rest}", degraded


def numerical(item: Item, key: float, tolerance: float, wrong: Sequence[tuple[float, str]]) -> str:
    lines = [f"={weight(1.0)}{number(key)}:{number(tolerance)}#{rich(MSG_CORRECT)}"]
    lines += [f"={weight(0.0)}{number(v)}:{number(tolerance)}#{rich(fb)}" for v, fb in wrong]
    lines.append(f"~#{rich(MSG_INCORRECT)}")
    return (
        "\n".join([head(item) + "{#", *(f"\t{a}" for a in lines), f"\t{general_feedback(item)}"])
        + "\n}"
    )


def matching(item: Item, pairs: Sequence[tuple[str, str]], extra: Sequence[str]) -> str:
    """``=left -> right``; a right entry no left takes is a stem-less ``= -> right``."""
    for left, _ in pairs:
        if "->" in left:
            raise NotExpressible("a left entry holds '->', which ends a GIFT matching stem")
    lines = [f"={rich(left)} -> {plain(right)}" for left, right in pairs]
    lines += [f"= -> {plain(right)}" for right in extra]
    return block(item, lines)


def essay(item: Item) -> str:
    return f"{head(item)}{{{general_feedback(item)}}}"


# ----- the file -----------------------------------------------------------------------


def build(bank: Bank) -> ExportResult:
    parts = [f"// {MARKER} ({NAME}): bank {clean(bank.id)} v{bank.version}"]
    problems: list[Problem] = []
    exported: list[str] = []
    for item_set in bank.sets:
        path = clean(f"$course$/top/{bank.title}/{item_set.title}").replace("\n", " ")
        parts.append(f"$CATEGORY: {path}")
        for item in item_set.items:
            piece = item_piece(item, NAME, problems)
            if piece is None:
                continue
            parts.append(f"// {clean(item.id)}\n{piece}")
            exported.append(item.id)
    return ExportResult(("\n\n".join(parts) + "\n").encode("utf-8"), exported, problems)


FORMAT = register_format(
    Format(
        name=NAME,
        suffix=".txt",
        description="GIFT (Moodle's text format)",
        build=build,
        note=(
            "Moodle compares short answers as typed, apart from letter case: "
            "punctuation and extra spaces the site ignores count in Moodle."
        ),
    )
)

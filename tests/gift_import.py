"""The GIFT grammar as Moodle's importer reads it, for the tests.

Written from Moodle's ``question/format/gift/format.php`` (``readquestion``,
``escapedchar_pre``/``escapedchar_post``, ``answerweightparser``, ``commentparser``,
``split_truefalse_comment``, ``parse_text_with_format``; read with the project's
``search`` tool on 2026-12-01) and from the GIFT documentation's symbols table
(docs.moodle.org, «GIFT format»). A question is a run of lines without a blank one
(``qformat_default::readquestions``); comment lines start with ``//``. Raises
:class:`GiftError` where Moodle reports an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPED = ["\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n"]
_HOLDERS = ["&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010"]
_CHARS = [":", "#", "=", "{", "}", "~", "\n"]
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = {"moodle", "html", "plain", "markdown"}


class GiftError(Exception):
    pass


@dataclass
class GiftAnswer:
    text: str
    fraction: float
    feedback: str = ""
    tolerance: float = 0.0


@dataclass
class GiftQuestion:
    qtype: str
    name: str = ""
    text: str = ""
    fmt: str = "moodle"
    generalfeedback: str = ""
    answers: list[GiftAnswer] = field(default_factory=list)
    single: bool = True
    correct: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    pairs: list[tuple[str, str]] = field(default_factory=list)
    category: str = ""


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, holder in zip(_ESCAPED, _HOLDERS, strict=True):
        text = text.replace(escaped, holder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for holder, char in zip(_HOLDERS, _CHARS, strict=True):
        text = text.replace(holder, char)
    return text


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end]
        if name in _FORMATS:
            fmt, text = name, text[end + 1 :]
    return _post(text).strip(), fmt


def _weight(answer: str) -> tuple[float, str]:
    answer = answer[1:]
    end = answer.find("%")
    return float(answer[:end]) / 100, answer[end + 1 :]


def _comment(answer: str, fmt: str) -> tuple[str, str]:
    bits = answer.split("#", 1)
    text, _ = _with_format(bits[0].strip(), fmt)
    feedback = _with_format(bits[1].strip(), fmt)[0] if len(bits) > 1 else ""
    return text, feedback


def _split(answertext: str, mark: str, minimum: int) -> list[str]:
    answers = answertext.split(mark)
    answers[0] = answers[0].strip()
    if not answers[0]:
        answers.pop(0)
    if len(answers) < minimum:
        raise GiftError("too few answers")
    return answers


def readquestion(lines: list[str]) -> GiftQuestion | None:
    lines = [" " if line.strip().startswith("//") else line for line in lines]
    text = "\n".join(lines).strip()
    if not text:
        return None
    text = _pre(text)
    if text.startswith("$CATEGORY:"):
        return GiftQuestion("category", category=text[10:].strip())
    name = ""
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            name = _post(text[:end])
            text = text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        q = GiftQuestion("description", name=name)
        q.text, q.fmt = _with_format(text)
        return q
    if start < 0 or finish < 0 or finish < start:
        raise GiftError("brace error")
    answertext = text[start + 1 : finish].strip()
    if text.endswith("}"):
        questiontext = text[:start] + text[finish + 1 :]
    else:
        questiontext = text[:start] + "_____" + text[finish + 1 :]
    general = ""
    separator = answertext.rfind("####")
    if separator >= 0:
        general = answertext[separator + 4 :]
        answertext = answertext[:separator].strip()
    q = GiftQuestion("", name=name)
    q.text, q.fmt = _with_format(questiontext)
    q.generalfeedback = _with_format(general, q.fmt)[0]
    if answertext == "":
        q.qtype = "essay"
    elif answertext[0] == "#":
        q.qtype = "numerical"
    elif "~" in answertext:
        q.qtype = "multichoice"
    elif "=" in answertext and "->" in answertext:
        q.qtype = "match"
    else:
        check = answertext.split("#", 1)[0].strip() if "#" in answertext[1:] else answertext
        q.qtype = "truefalse" if check in ("T", "TRUE", "F", "FALSE") else "shortanswer"

    if q.qtype == "multichoice":
        q.single = "=" in answertext
        for answer in _split(answertext.replace("=", "~="), "~", 2):
            answer = answer.strip()
            if answer.startswith("="):
                fraction, answer = 1.0, answer[1:]
            elif _WEIGHT.match(answer):
                fraction, answer = _weight(answer)
            else:
                fraction = 0.0
            body, feedback = _comment(answer, q.fmt)
            q.answers.append(GiftAnswer(body, fraction, feedback))
    elif q.qtype == "match":
        for answer in _split(answertext, "=", 2):
            answer = answer.strip()
            if "->" not in answer:
                raise GiftError("matching answer without ->")
            marker = answer.find("->")
            stem = _with_format(answer[:marker], q.fmt)[0]
            q.pairs.append((stem, _post(answer[marker + 2 :]).strip()))
    elif q.qtype == "truefalse":
        bits = answertext.split("#", 2)
        answer = _with_format(bits[0].strip(), q.fmt)[0]
        wrong = _with_format(bits[1].strip(), q.fmt)[0] if len(bits) > 1 else ""
        right = _with_format(bits[2].strip(), q.fmt)[0] if len(bits) > 2 else ""
        q.correct = answer in ("T", "TRUE")
        q.feedback_true, q.feedback_false = (right, wrong) if q.correct else (wrong, right)
    elif q.qtype == "shortanswer":
        for answer in _split(answertext, "=", 1):
            answer = answer.strip()
            fraction = 1.0
            if _WEIGHT.match(answer):
                fraction, answer = _weight(answer)
            body, feedback = _comment(answer, q.fmt)
            q.answers.append(GiftAnswer(body, fraction, feedback))
    elif q.qtype == "numerical":
        answertext = answertext[1:]
        wrongfeedback = ""
        if "~" in answertext:
            position = answertext.find("~")
            wrongfeedback, answertext = answertext[position:], answertext[:position]
        answers = _split(answertext, "=", 1)
        for answer in answers:
            answer = answer.strip()
            fraction = 1.0
            if _WEIGHT.match(answer):
                fraction, answer = _weight(answer)
            body, feedback = _comment(answer, q.fmt)
            if ".." in body[1:]:
                low, high = (float(x) for x in body.split("..", 1))
                value, tolerance = (low + high) / 2, (high - low) / 2
            elif ":" in body[1:]:
                value_text, tolerance_text = body.split(":", 1)
                value, tolerance = float(value_text), float(tolerance_text)
            else:
                value, tolerance = float(body), 0.0
            q.answers.append(GiftAnswer(repr(value), fraction, feedback, tolerance))
        if wrongfeedback:
            q.answers.append(GiftAnswer("*", 0.0, _comment(wrongfeedback, q.fmt)[1]))
    return q


def read_file(text: str) -> list[GiftQuestion]:
    """Every question of a GIFT file, blocks split at blank lines as Moodle does."""
    questions, block = [], []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            block.append(line)
        elif block:
            q = readquestion(block)
            if q is not None:
                questions.append(q)
            block = []
    return questions

"""A model of Moodle's «Moodle XML» import, written from Moodle's code, for the tests.

Read with the project's ``search`` tool (moodle/moodle on GitHub) on 2026-12-01:

* ``question/format/xml/format.php``: ``readquestions`` (``quiz/question``),
  ``import_question`` (dispatch on ``@type``), ``import_headers``, ``import_answer``,
  ``import_text_with_files`` (``…/text`` and ``@format``; ``trans_format`` knows
  moodle_auto_format, html, plain_text, wiki_like, markdown), ``import_multichoice``,
  ``import_truefalse`` (answer texts ``true``/``false``), ``import_shortanswer``,
  ``import_numerical``, ``import_match``, ``import_multianswer``, ``import_essay``,
  ``import_category``. Where the PHP indexes an element without ``getpath`` (e.g.
  ``$question['#']['answer']``) a missing element is an error here too.
* ``question/format.php``, ``importprocess``: every fraction checked against
  ``question_bank::fraction_options_full()`` (``question/engine/bank.php``) with
  ``match_grade_options`` (to within 0.00001; ``matchgrades = 'error'``).
* ``question/type/multianswer/questiontype.php``: ``qtype_multianswer_extract_question``
  (the ``ANSWER_REGEX`` family, ported below; PHP's variable-width look-behind
  ``(?<!\\\\|&|&amp;)`` is written as three look-behinds) and
  ``qtype_multianswer_validate_question``.
* ``question/type/ordering/questiontype.php``, ``import_from_xml``.
* ``question/type/shortanswer/question.php``, ``compare_string_with_wildcard``.

It raises :class:`ImportFailure` where Moodle would stop with an error or skip the
question, and keeps the values Moodle stores.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from comprende.exports.moodle_xml import ALLOWED

FORMATS = {"moodle_auto_format", "html", "plain_text", "wiki_like", "markdown"}
CORE_TYPES = {
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "description",
    "matching",
    "match",
    "cloze",
    "multianswer",
    "essay",
    "category",
}
#: Types imported by their own qtype plugin (``import_from_xml``) that this model knows.
PLUGIN_TYPES = {"ordering"}


class ImportFailure(Exception):
    pass


@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str
    tolerance: float = 0.0


@dataclass
class Sub:
    """An embedded answer of a cloze question."""

    qtype: str
    weight: int
    answers: list[Answer]
    usecase: bool = False
    single: bool = True


@dataclass
class Question:
    qtype: str
    name: str = ""
    idnumber: str = ""
    questiontext: str = ""
    generalfeedback: str = ""
    defaultmark: float = 1.0
    tags: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    single: bool = True
    usecase: bool = False
    subquestions: list[tuple[str, str]] = field(default_factory=list)
    subs: list[Sub] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    combined: dict[str, str] = field(default_factory=dict)
    category: str = ""

    @property
    def fractions(self) -> list[float]:
        return [a.fraction for a in self.answers]


def plain(text: str) -> str:
    """HTML as the student reads it."""
    return html.unescape(
        re.sub(r"<br>", "\n", re.sub(r"</p><p>", "\n", re.sub(r"^<p>|</p>$", "", text)))
    )


def _text(element: ET.Element | None, path: str, default: str | None = "") -> str:
    found = element.find(path) if element is not None else None
    if found is None:
        if default is None:
            raise ImportFailure(f"missing {path}")
        return default
    return (found.text or "").strip()


def _formatted(element: ET.Element, tag: str) -> str:
    node = element.find(tag)
    if node is None:
        return ""
    fmt = node.get("format", "html")
    if fmt not in FORMATS:
        raise ImportFailure(f"unknown text format {fmt!r} in {tag}")
    return _text(node, "text")


def _answer(node: ET.Element, with_files: bool) -> Answer:
    if with_files and node.get("format", "html") not in FORMATS:
        raise ImportFailure("unknown answer format")
    fraction = float(node.get("fraction", "0")) / 100
    return Answer(_text(node, "text"), fraction, _formatted(node, "feedback"))


def _answers(question: ET.Element, with_files: bool) -> list[Answer]:
    nodes = question.findall("answer")
    if not nodes:  # $question['#']['answer'] without getpath
        raise ImportFailure("no answer")
    return [_answer(n, with_files) for n in nodes]


def _headers(node: ET.Element, qtype: str) -> Question:
    name = _text(node, "name/text", None)
    if not name:
        raise ImportFailure("question without a name")
    q = Question(qtype, name=name)
    q.questiontext = _formatted(node, "questiontext")
    q.generalfeedback = _formatted(node, "generalfeedback")
    q.defaultmark = float(_text(node, "defaultgrade", "1"))
    q.idnumber = _text(node, "idnumber", "")
    q.tags = [_text(t, "text") for t in node.findall("tags/tag")]
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        q.combined[tag] = _formatted(node, tag)
    return q


# ----- cloze (qtype_multianswer_extract_question) -------------------------------------

_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALT = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_ALT_NC = f"(?:{_FRACTION.replace('(-?', '(?:-?')})?(?:{_ANSWER})(?:#(?:{_FEEDBACK}))?"
_TYPES = (
    "NUMERICAL|NM|MULTICHOICE|MC|MULTICHOICE_V|MCV|MULTICHOICE_H|MCH|SHORTANSWER|SA|MW|"
    "SHORTANSWER_C|SAC|MWC|MULTICHOICE_S|MCS|MULTICHOICE_VS|MCVS|MULTICHOICE_HS|MCHS|"
    "MULTIRESPONSE|MR|MULTIRESPONSE_H|MRH|MULTIRESPONSE_S|MRS|MULTIRESPONSE_HS|MRHS"
)
CLOZE = re.compile(r"\{([0-9]*):(" + _TYPES + r"):(" + _ALT_NC + r"(?:~" + _ALT_NC + r")*)\}", re.S)
_ALT_RE = re.compile("~?" + _ALT, re.S)


def _decode(text: str) -> str:
    return html.unescape(text).replace("\\}", "}").replace("\\#", "#")


def extract_cloze(text: str) -> tuple[str, list[Sub]]:
    subs: list[Sub] = []
    while match := CLOZE.search(text):
        weight = int(match.group(1) or "1")
        kind = match.group(2)
        qtype = (
            "numerical"
            if kind in ("NUMERICAL", "NM")
            else "shortanswer"
            if kind in ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC")
            else "multichoice"
        )
        sub = Sub(qtype, weight, [], usecase=kind in ("SHORTANSWER_C", "SAC", "MWC"))
        sub.single = not kind.startswith(("MULTIRESPONSE", "MR"))
        remaining = match.group(3)
        specific = False
        while remaining and (alt := _ALT_RE.match(remaining)):
            if alt.group(1) == "=":
                fraction = 1.0
            elif alt.group(2):
                fraction = float(alt.group(2).replace(",", ".")) / 100
                specific = True
            else:
                fraction = 0.0
            feedback = _decode(alt.group(5)) if alt.group(5) is not None else ""
            sub.answers.append(Answer(_decode(alt.group(3)), fraction, feedback))
            remaining = remaining[alt.end() :]
        if not sub.single:
            total = sum(a.fraction for a in sub.answers if a.fraction > 0)
            for a in sub.answers:
                if a.fraction > 0:
                    a.fraction /= total
                elif not specific:
                    a.fraction = -1 / total
        subs.append(sub)
        text = text[: match.start()] + f"{{#{len(subs)}}}" + text[match.end() :]
    # qtype_multianswer_validate_question
    if not subs:
        raise ImportFailure("cloze question without embedded answers")
    for sub in subs:
        if not sub.answers:
            raise ImportFailure("embedded answer without answers")
        if sub.qtype == "multichoice" and len(sub.answers) < 2:
            raise ImportFailure("embedded choice with fewer than two answers")
        best = any(a.fraction == 1 for a in sub.answers) or (
            not sub.single and any(a.fraction > 0 for a in sub.answers)
        )
        if not best:
            raise ImportFailure("embedded answer with no full-marks answer")
    return text, subs


# ----- the whole file -----------------------------------------------------------------


def allowed(fraction: float) -> bool:
    return any(abs(fraction - value) < 0.00001 for value in ALLOWED)


def import_question(node: ET.Element) -> Question:
    qtype = node.get("type", "")
    if qtype not in CORE_TYPES | PLUGIN_TYPES:
        raise ImportFailure(f"question type {qtype!r} is not supported")
    if qtype == "category":
        return Question("category", category=_text(node, "category/text", None))
    if qtype in ("cloze", "multianswer"):
        q = Question("multianswer", name=_text(node, "name/text", None))
        text, q.subs = extract_cloze(_formatted(node, "questiontext"))
        q.questiontext = text
        q.generalfeedback = _formatted(node, "generalfeedback")
        q.defaultmark = sum(s.weight for s in q.subs)
        q.idnumber = _text(node, "idnumber", "")
        return q
    q = _headers(node, "match" if qtype == "matching" else qtype)
    if qtype == "multichoice":
        q.single = _text(node, "single", "true") != "false"
        q.answers = _answers(node, True)
        q.options["shuffleanswers"] = _text(node, "shuffleanswers", "false")
    elif qtype == "truefalse":
        answers = _answers(node, False)
        texts = [a.text for a in answers]
        if sorted(texts) != ["false", "true"]:
            raise ImportFailure(f"true/false answers {texts} (old-style file)")
        q.answers = answers
        true = next(a for a in answers if a.text == "true")
        q.options["correctanswer"] = true.fraction == 1
    elif qtype == "shortanswer":
        q.usecase = _text(node, "usecase", "0") == "1"
        q.answers = _answers(node, False)
    elif qtype == "numerical":
        q.answers = []
        for a in node.findall("answer") or []:
            answer = _answer(a, False)
            answer.tolerance = float(_text(a, "tolerance", "0") or 0)
            q.answers.append(answer)
        if not q.answers:
            raise ImportFailure("no answer")
        q.options["units"] = [_text(u, "unit_name") for u in node.findall("units/unit")]
    elif qtype == "matching":
        subs = node.findall("subquestion")
        if not subs:
            raise ImportFailure("matching without subquestions")
        for sub in subs:
            q.subquestions.append((_formatted_sub(sub), _text(sub, "answer/text")))
    elif qtype == "essay":
        for name in (
            "responseformat",
            "responserequired",
            "responsefieldlines",
            "minwordlimit",
            "maxwordlimit",
            "attachments",
        ):
            q.options[name] = _text(node, name, "")
        q.options["graderinfo"] = _formatted(node, "graderinfo")
    elif qtype == "ordering":
        for name, default in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "RANDOM"),
            ("selectcount", "6"),
            ("gradingtype", "RELATIVE"),
            ("showgrading", "1"),
        ):
            q.options[name] = _text(node, name, default)
        q.answers = [_answer(a, True) for a in node.findall("answer")]
        q.options["positions"] = [a.fraction * 100 for a in q.answers]
        for answer in q.answers:
            answer.fraction = 1.0  # import_from_xml: reset later in save_question_options()
    return q


def _formatted_sub(node: ET.Element) -> str:
    fmt = node.get("format", "html")
    if fmt not in FORMATS:
        raise ImportFailure("unknown subquestion format")
    return _text(node, "text")


def import_file(data: bytes) -> list[Question]:
    """Every question Moodle would import, or :class:`ImportFailure`."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImportFailure(f"not well-formed: {exc}") from None
    if root.tag != "quiz":
        raise ImportFailure("the root is not <quiz>")
    questions = [import_question(node) for node in root.findall("question")]
    for q in questions:  # importprocess: answer grades
        bad = [f for f in q.fractions if not allowed(f)]
        if bad:
            raise ImportFailure(f"{q.name}: fractions {bad} are not allowed")
    return questions


# ----- how Moodle grades --------------------------------------------------------------


def wildcard_match(response: str, pattern: str, ignorecase: bool) -> bool:
    """``compare_string_with_wildcard``."""
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response)
    bits = re.split(r"(?<!\\)\*+", pattern)
    regexp = "^" + ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits) + "$"
    return re.match(regexp, response.strip(), re.I if ignorecase else 0) is not None


def match_text(answers: list[Answer], response: str, usecase: bool) -> Answer | None:
    """The first answer a short answer matches (``get_matching_answer``)."""
    for answer in answers:
        if wildcard_match(response, answer.text, not usecase):
            return answer
    return None

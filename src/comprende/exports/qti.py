"""QTI: a Canvas Classic Quizzes package (IMS QTI 1.2 in a zip with ``imsmanifest.xml``).

The layout and the elements are the ones Canvas writes in its own QTI export and reads
back («Import existing content» → «QTI .zip file»), from Canvas's code
(instructure/canvas-lms, read with the project's ``search`` tool on 2026-12-01):

* ``lib/cc/qti/qti_manifest.rb``: ``imsmanifest.xml``, a ``manifest`` in the
  ``imscp_v1p1`` namespace with ``metadata`` (``schema`` «IMS Content», ``schemaversion``
  1.1.3), ``organizations`` and ``resources``;
* ``lib/cc/qti/qti_generator.rb`` (``generate_quiz(quiz, false)``, the QTI-only export):
  the assessment in ``<id>/<id>.xml``, a resource of type ``imsqti_xmlv1p2``
  (``lib/cc/cc_helper.rb``: ``QTI_ASSESSMENT_TYPE``) depending on a second resource, the
  quiz's settings in ``<id>/assessment_meta.xml`` (namespace
  ``http://canvas.instructure.com/xsd/cccv1p0``); the assessment is
  ``questestinterop/assessment/section ident="root_section"/item``;
* ``lib/cc/qti/qti_items.rb``: each ``item`` has ``itemmetadata/qtimetadata`` with
  ``question_type`` and ``points_possible``; ``presentation/material/mattext``
  (``texttype="text/html"``); ``response_lid``/``render_choice``/``response_label`` for
  choices (``rcardinality`` Single or Multiple), one ``response_lid`` per left entry for
  ``matching_question`` and per blank (``response_<blank>``) for
  ``fill_in_multiple_blanks_question``, ``response_str``/``render_fib`` for short
  answers, essays and numbers (``fibtype="Decimal"``); ``resprocessing`` with
  ``outcomes/decvar`` (SCORE, 0–100) and ``respcondition``/``conditionvar``
  (``varequal``, ``vargte``, ``varlte``, ``and``, ``or``, ``not``, ``other``),
  ``setvar`` (``Set`` 100 or ``Add`` a share) and ``displayfeedback``; ``itemfeedback``
  ``general_fb`` (shown to all), ``general_incorrect_fb`` and ``<answer id>_fb`` with
  ``flow_mat/material/mattext``. The question types Canvas names there:
  multiple_choice_question, true_false_question, multiple_answers_question,
  short_answer_question, numerical_question, matching_question,
  fill_in_multiple_blanks_question, essay_question. :data:`CANVAS_ELEMENTS` lists every
  element this module writes; nothing else is used.

Classic Quizzes have no ordering question and no two-part question; those items are
reported by id. Texts are HTML inside ``mattext`` (escaped by ElementTree), so the XML is
well-formed whatever they hold.
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import TextKey
from ..types.base import MSG_INCORRECT
from ..types.textmatch import strip_accents
from .base import (
    MARKER,
    ExportResult,
    Format,
    Problem,
    clean,
    evidence_text,
    item_piece,
    register_format,
    unique,
)
from .moodle_xml import number, paragraphs

if TYPE_CHECKING:
    from ..model import Bank, Item

NAME = "qti"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
QTI_RESOURCE = "imsqti_xmlv1p2"
META_RESOURCE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"

#: The QTI 1.2 elements Canvas's exporter writes (``qti_items.rb``, ``qti_generator.rb``).
CANVAS_ELEMENTS = frozenset(
    [
        "questestinterop",
        "assessment",
        "qtimetadata",
        "qtimetadatafield",
        "fieldlabel",
        "fieldentry",
        "section",
        "item",
        "itemmetadata",
        "presentation",
        "material",
        "mattext",
        "response_lid",
        "render_choice",
        "response_label",
        "response_str",
        "render_fib",
        "resprocessing",
        "outcomes",
        "decvar",
        "respcondition",
        "conditionvar",
        "varequal",
        "vargte",
        "varlte",
        "and",
        "or",
        "not",
        "other",
        "setvar",
        "displayfeedback",
        "itemfeedback",
        "flow_mat",
    ]
)

_IDENT = re.compile(r"[^A-Za-z0-9_.-]")


def ident(text: str) -> str:
    return _IDENT.sub("_", clean(text)) or "_"


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def mattext(parent: ET.Element, content: str, *, is_html: bool = True) -> ET.Element:
    material = sub(parent, "material")
    return sub(material, "mattext", content, texttype="text/html" if is_html else "text/plain")


def meta(parent: ET.Element, label: str, entry: str) -> None:
    field = sub(parent, "qtimetadatafield")
    sub(field, "fieldlabel", label)
    sub(field, "fieldentry", entry)


# ----- the parts every item has -------------------------------------------------------


def item(it: Item, question_type: str, *, text: str | None = None) -> ET.Element:
    """An ``<item>`` with its metadata, its ``presentation`` (the question text, HTML)
    and, after :func:`resprocessing`, the general feedback (explanation and evidence)."""
    element = ET.Element("item", {"ident": ident(it.id), "title": clean(it.id)})
    qti_meta = sub(sub(element, "itemmetadata"), "qtimetadata")
    meta(qti_meta, "question_type", question_type)
    meta(qti_meta, "points_possible", number(it.points))
    presentation = sub(element, "presentation")
    mattext(presentation, f"<div>{paragraphs([it.prompt]) if text is None else text}</div>")
    return element


def presentation(element: ET.Element) -> ET.Element:
    found = element.find("presentation")
    assert found is not None
    return found


def resprocessing(element: ET.Element, it: Item) -> ET.Element:
    """``resprocessing`` with SCORE and the general feedback shown to every student."""
    processing = sub(element, "resprocessing")
    outcomes = sub(processing, "outcomes")
    sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    condition = sub(processing, "respcondition", **{"continue": "Yes"})
    sub(sub(condition, "conditionvar"), "other")
    sub(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    feedback(element, "general_fb", paragraphs(evidence_text(it)))
    return processing


def feedback(element: ET.Element, feedback_id: str, content: str) -> None:
    node = sub(element, "itemfeedback", ident=feedback_id)
    mattext(sub(node, "flow_mat"), content)


def condition(
    processing: ET.Element, *, go_on: bool, score: str | None = None, action: str = "Set"
) -> tuple[ET.Element, ET.Element]:
    """A ``respcondition`` and its ``conditionvar`` (to fill)."""
    node = sub(processing, "respcondition", **{"continue": "Yes" if go_on else "No"})
    variable = sub(node, "conditionvar")
    if score is not None:
        sub(node, "setvar", score, action=action, varname="SCORE")
    return node, variable


def show(node: ET.Element, feedback_id: str) -> None:
    sub(node, "displayfeedback", feedbacktype="Response", linkrefid=feedback_id)


def incorrect(element: ET.Element, processing: ET.Element, text: str) -> None:
    node, variable = condition(processing, go_on=True)
    sub(variable, "other")
    show(node, "general_incorrect_fb")
    feedback(element, "general_incorrect_fb", paragraphs([text]))


# ----- per kind of question -----------------------------------------------------------


def choice(
    it: Item,
    choices: Sequence[tuple[str, str, bool, str]],
    *,
    question_type: str,
    text: str | None = None,
) -> ET.Element:
    """A choice item from ``(id, text, correct, feedback)``: one right answer
    (multiple_choice_question, true_false_question) or several
    (multiple_answers_question: right means all right ones and no wrong one)."""
    element = item(it, question_type, text=text)
    multiple = question_type == "multiple_answers_question"
    lid = sub(
        presentation(element),
        "response_lid",
        ident="response1",
        rcardinality="Multiple" if multiple else "Single",
    )
    render = sub(lid, "render_choice")
    for choice_id, choice_text, _, _ in choices:
        mattext(sub(render, "response_label", ident=ident(choice_id)), paragraphs([choice_text]))
    processing = resprocessing(element, it)
    for choice_id, _, _, choice_feedback in choices:
        if choice_feedback:
            node, variable = condition(processing, go_on=True)
            sub(variable, "varequal", ident(choice_id), respident="response1")
            show(node, f"{ident(choice_id)}_fb")
    node, variable = condition(processing, go_on=False, score="100")
    if multiple:
        both = sub(variable, "and")
        for choice_id, _, correct, _ in choices:
            target = both if correct else sub(both, "not")
            sub(target, "varequal", ident(choice_id), respident="response1")
    else:
        right = next(choice_id for choice_id, _, correct, _ in choices if correct)
        sub(variable, "varequal", ident(right), respident="response1")
    for choice_id, _, _, choice_feedback in choices:
        if choice_feedback:
            feedback(element, f"{ident(choice_id)}_fb", paragraphs([choice_feedback]))
    return element


def accepted_texts(key: TextKey) -> tuple[list[str], list[str]]:
    """The answers Canvas should take as right, and what degrades: the accent-free forms
    join them where accents are optional; Canvas lists only right answers, so the
    feedback for wrong ones (and «Casi: revisa la tilde») is lost."""
    fold = key.policy.case == "ignore"
    texts = list(key.accept)
    degraded = []
    bare = [strip_accents(a) for a in key.accept if strip_accents(a) != a]
    if bare and key.policy.accents == "optional":
        texts += bare
    elif bare:
        degraded.append("the accent-free answer gets no «Casi: revisa la tilde» feedback")
    if key.wrong:
        degraded.append(
            "the feedback for common wrong answers is not in the package "
            "(Canvas lists right answers only)"
        )
    if key.policy.typos:
        degraded.append(f"answers with up to {key.policy.typos} typo(s) are not accepted")
    return unique(texts, fold=fold), degraded


def short_answer(it: Item, key: TextKey) -> tuple[ET.Element, list[str]]:
    element = item(it, "short_answer_question")
    fib = sub(presentation(element), "response_str", ident="response1", rcardinality="Single")
    sub(sub(fib, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    processing = resprocessing(element, it)
    texts, degraded = accepted_texts(key)
    _node, variable = condition(processing, go_on=False, score="100")
    for text in texts:
        sub(variable, "varequal", text, respident="response1")
    incorrect(element, processing, key.feedback_incorrect or MSG_INCORRECT)
    return element, degraded


def numerical(it: Item, key: float, tolerance: float) -> ET.Element:
    element = item(it, "numerical_question")
    fib = sub(presentation(element), "response_str", ident="response1", rcardinality="Single")
    sub(sub(fib, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    processing = resprocessing(element, it)
    _node, variable = condition(processing, go_on=False, score="100")
    either = sub(variable, "or")
    sub(either, "varequal", number(key), respident="response1")
    both = sub(either, "and")
    sub(both, "vargte", number(key - tolerance), respident="response1")
    sub(both, "varlte", number(key + tolerance), respident="response1")
    incorrect(element, processing, MSG_INCORRECT)
    return element


def blanks(
    it: Item, text: str, keys: Sequence[tuple[str, TextKey]]
) -> tuple[ET.Element, list[str]]:
    """fill_in_multiple_blanks_question: ``text`` holds ``[name]`` for each blank; each
    right answer of a blank adds its share of the points (comprende's rule)."""
    element = item(it, "fill_in_multiple_blanks_question", text=text)
    degraded: list[str] = []
    share = number(round(100 / len(keys), 2))
    answers: list[tuple[str, list[str]]] = []
    for name, key in keys:
        texts, lost = accepted_texts(key)
        degraded += [f"blank {name}: {reason}" for reason in lost]
        answers.append((name, texts))
        lid = sub(presentation(element), "response_lid", ident=f"response_{ident(name)}")
        mattext(lid, ident(name), is_html=False)
        render = sub(lid, "render_choice")
        for number_, answer_text in enumerate(texts, 1):
            label = sub(render, "response_label", ident=f"{ident(name)}-{number_}")
            mattext(label, answer_text, is_html=False)
    processing = resprocessing(element, it)
    for name, texts in answers:
        for number_, _ in enumerate(texts, 1):
            _, variable = condition(processing, go_on=True, score=share, action="Add")
            sub(
                variable,
                "varequal",
                f"{ident(name)}-{number_}",
                respident=f"response_{ident(name)}",
            )
    return element, degraded


def matching(
    it: Item,
    left: Sequence[tuple[str, str]],
    right: Sequence[tuple[str, str]],
    pairs: dict[str, str],
    hints: dict[str, str],
) -> ET.Element:
    """matching_question: a ``response_lid`` per left entry; each right pair adds its
    share; a wrong pair shows that entry's feedback."""
    element = item(it, "matching_question")
    for left_id, left_text in left:
        lid = sub(presentation(element), "response_lid", ident=f"response_{ident(left_id)}")
        mattext(lid, paragraphs([left_text]))
        render = sub(lid, "render_choice")
        for right_id, right_text in right:
            mattext(sub(render, "response_label", ident=ident(right_id)), right_text, is_html=False)
    processing = resprocessing(element, it)
    share = number(round(100 / len(left), 2))
    for left_id, _ in left:
        respident = f"response_{ident(left_id)}"
        _, variable = condition(processing, go_on=True, score=share, action="Add")
        sub(variable, "varequal", ident(pairs[left_id]), respident=respident)
        if left_id in hints:
            node, variable = condition(processing, go_on=True)
            sub(sub(variable, "not"), "varequal", ident(pairs[left_id]), respident=respident)
            show(node, f"{ident(left_id)}_fb")
            feedback(element, f"{ident(left_id)}_fb", paragraphs([hints[left_id]]))
    return element


def essay(it: Item) -> ET.Element:
    element = item(it, "essay_question")
    fib = sub(presentation(element), "response_str", ident="response1", rcardinality="Single")
    sub(sub(fib, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    resprocessing(element, it)
    return element


def blank_marker(name: str) -> str:
    return f"[{ident(name)}]"


def html_text(text: str) -> str:
    return html.escape(clean(text), quote=False)


# ----- the package --------------------------------------------------------------------


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    ).encode("utf-8")


def build(bank: Bank) -> ExportResult:
    quiz_id = ident(f"comprende_{bank.id}_v{bank.version}")
    meta_id = f"{quiz_id}_meta"
    problems: list[Problem] = []
    exported: list[str] = []
    root = ET.Element(
        "questestinterop",
        {
            "xmlns": QTI_NS,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
        },
    )
    root.append(ET.Comment(f" {MARKER} ({NAME}): bank {clean(bank.id)} v{bank.version} "))
    assessment = sub(root, "assessment", ident=quiz_id, title=bank.title)
    meta(sub(assessment, "qtimetadata"), "cc_maxattempts", "1")
    section = sub(assessment, "section", ident="root_section")
    points = 0.0
    for it in bank.items:
        piece = item_piece(it, NAME, problems)
        if piece is None:
            continue
        section.append(piece)
        exported.append(it.id)
        points += it.points

    quiz_meta = ET.Element("quiz", {"identifier": quiz_id, "xmlns": CANVAS_NS})
    sub(quiz_meta, "title", bank.title)
    sub(quiz_meta, "description", "")
    sub(quiz_meta, "shuffle_answers", "false")
    sub(quiz_meta, "scoring_policy", "keep_highest")
    sub(quiz_meta, "quiz_type", "assignment")
    sub(quiz_meta, "points_possible", number(points))
    sub(quiz_meta, "allowed_attempts", "1")

    manifest = ET.Element("manifest", {"identifier": f"{quiz_id}_manifest", "xmlns": CP_NS})
    metadata = sub(manifest, "metadata")
    sub(metadata, "schema", "IMS Content")
    sub(metadata, "schemaversion", "1.1.3")
    sub(manifest, "organizations")
    resources = sub(manifest, "resources")
    assessment_path = f"{quiz_id}/{quiz_id}.xml"
    meta_path = f"{quiz_id}/assessment_meta.xml"
    resource = sub(resources, "resource", identifier=quiz_id, type=QTI_RESOURCE)
    sub(resource, "file", href=assessment_path)
    sub(resource, "dependency", identifierref=meta_id)
    resource = sub(resources, "resource", identifier=meta_id, type=META_RESOURCE, href=meta_path)
    sub(resource, "file", href=meta_path)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = MARKER.encode("ascii")
        for path, data in (
            ("imsmanifest.xml", _xml(manifest)),
            (assessment_path, _xml(root)),
            (meta_path, _xml(quiz_meta)),
        ):
            info = zipfile.ZipInfo(path, date_time=(2024, 11, 27, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return ExportResult(buffer.getvalue(), exported, problems)


FORMAT = register_format(
    Format(
        name=NAME,
        suffix=".zip",
        description="Canvas Classic Quizzes QTI 1.2 package",
        build=build,
        note=(
            "Canvas compares short answers and blanks by its own rules: punctuation and "
            "spacing the site ignores may count in Canvas."
        ),
    )
)

"""``comprende export qti``: a Canvas Classic Quizzes QTI 1.2 package.

The zip opens, its manifest lists its resources (and nothing else is in it), every XML
file is well-formed and uses only the QTI 1.2 elements Canvas's own exporter writes
(``lib/cc/qti/qti_items.rb``, see :mod:`comprende.exports.qti`). The response processing
is then run as QTI 1.2 defines it (conditions in order, ``continue="No"`` stops,
``setvar`` Set/Add on SCORE, ``displayfeedback``): the right answers score 100, wrong
ones less, and the feedback shown is the bank's.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comprende.cli import main
from comprende.exports import MARKER, clean, export
from comprende.exports.qti import CANVAS_ELEMENTS, QTI_NS
from comprende.model import Item
from comprende.types import get

from .export_support import (
    HOSTILE_ANSWER_CLEAN,
    HOSTILE_CLEAN,
    SHIPPED_TYPES,
    bank,
    hostile_bank,
)

NS = {"q": QTI_NS}
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS_TYPES = {
    "multiple_choice_question",
    "true_false_question",
    "multiple_answers_question",
    "short_answer_question",
    "numerical_question",
    "matching_question",
    "fill_in_multiple_blanks_question",
    "essay_question",
}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def plain(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", value)).split()


def words(value: str) -> str:
    """An HTML text's words."""
    return " ".join(plain(value))


def flat(value: str) -> str:
    """A plain text's words."""
    return " ".join(value.split())


class Package:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        assert self.zip.testzip() is None
        self.manifest = ET.fromstring(self.zip.read("imsmanifest.xml"))
        self.resources = self.manifest.findall(f"{CP}resources/{CP}resource")
        qti = [r for r in self.resources if r.get("type") == "imsqti_xmlv1p2"]
        assert len(qti) == 1
        self.assessment = ET.fromstring(self.zip.read(qti[0].find(f"{CP}file").get("href")))
        self.items = {i.get("ident"): i for i in self.assessment.iter(f"{{{QTI_NS}}}item")}


@pytest.fixture(scope="module")
def result():
    return export(bank(), "qti")


@pytest.fixture(scope="module")
def package(result) -> Package:
    return Package(result.data)


def items_of(type_id: str) -> list[Item]:
    found = [i for i in bank().items if i.type == type_id]
    assert found
    return found


def metadata(item: ET.Element) -> dict[str, str]:
    return {
        f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", namespaces=NS)
        for f in item.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS)
    }


def feedbacks(item: ET.Element) -> dict[str, str]:
    return {
        f.get("ident"): words(f.findtext("q:flow_mat/q:material/q:mattext", namespaces=NS))
        for f in item.iterfind("q:itemfeedback", NS)
    }


# ----- QTI 1.2 response processing, as the specification runs it ---------------------


def _holds(node: ET.Element, response: dict[str, Any]) -> bool:
    tag = local(node.tag)
    children = list(node)
    if (
        tag == "conditionvar"
        and len(children) > 1
        and {local(c.tag) for c in children} == {"varequal"}
        and len({c.get("respident") for c in children}) == 1
    ):
        # Canvas's short answers: several right texts for one typed response, written as
        # sibling varequal (qti_items.rb, short_answer_resprocessing): any one of them
        return any(_holds(child, response) for child in children)
    if tag in ("conditionvar", "and"):
        return all(_holds(child, response) for child in node)
    if tag == "or":
        return any(_holds(child, response) for child in node)
    if tag == "not":
        return not all(_holds(child, response) for child in node)
    if tag == "other":
        return True
    given = response.get(node.get("respident"))
    if given is None:
        return False
    if tag == "varequal":
        if isinstance(given, set):
            return node.text in given
        try:
            return float(given) == float(node.text)
        except ValueError:
            return given == node.text
    value, limit = float(given), float(node.text)
    return value >= limit if tag == "vargte" else value <= limit


def run(item: ET.Element, response: dict[str, Any]) -> tuple[float, list[str]]:
    """SCORE (0–100) and the feedback ids shown."""
    score, shown = 0.0, []
    for condition in item.iterfind("q:resprocessing/q:respcondition", NS):
        if not _holds(condition.find("q:conditionvar", NS), response):
            continue
        for setvar in condition.iterfind("q:setvar", NS):
            value = float(setvar.text)
            score = value if setvar.get("action") == "Set" else score + value
        shown += [d.get("linkrefid") for d in condition.iterfind("q:displayfeedback", NS)]
        if condition.get("continue") == "No":
            break
    return score, shown


# ----- the package --------------------------------------------------------------------


def test_the_zip_opens_and_its_manifest_lists_every_file(result) -> None:
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    assert archive.comment == MARKER.encode()
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "IMS Content"
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    listed = {f.get("href") for r in resources for f in r.findall(f"{CP}file")}
    assert listed == set(archive.namelist()) - {"imsmanifest.xml"}
    ids = {r.get("identifier") for r in resources}
    for resource in resources:
        for dependency in resource.findall(f"{CP}dependency"):
            assert dependency.get("identifierref") in ids
    quiz = next(r for r in resources if r.get("type") == "imsqti_xmlv1p2")
    meta = ET.fromstring(archive.read(next(n for n in listed if n.endswith("assessment_meta.xml"))))
    assert meta.findtext("{http://canvas.instructure.com/xsd/cccv1p0}title") == bank().title
    assert quiz.find(f"{CP}dependency") is not None


def test_every_xml_file_is_well_formed_qti_that_canvas_writes(result, package) -> None:
    root = package.assessment
    assert root.tag == f"{{{QTI_NS}}}questestinterop"
    names = {local(e.tag) for e in root.iter() if isinstance(e.tag, str)}
    assert names <= CANVAS_ELEMENTS, names - CANVAS_ELEMENTS
    assert all(e.tag.startswith(f"{{{QTI_NS}}}") for e in root.iter() if isinstance(e.tag, str))
    section = root.find("q:assessment/q:section", NS)
    assert section is not None and section.get("ident") == "root_section"


def test_every_item_is_in_the_package_or_reported(result, package) -> None:
    skipped = {p.item_id: p.reason for p in result.skipped}
    assert sorted([*package.items, *skipped]) == sorted(i.id for i in bank().items)
    shipped = {bank().item(i).type for i in skipped} & SHIPPED_TYPES
    assert shipped == {"ordenar", "dos-partes"}  # a type added later may be reported too
    assert all(skipped.values())
    assert skipped["global-estructura"] == "Canvas Classic Quizzes have no ordering question"


def test_types_and_points(package) -> None:
    expected = {
        "verdadero-falso": "true_false_question",
        "opcion-unica": "multiple_choice_question",
        "opcion-multiple": "multiple_answers_question",
        "seleccionar-en-el-texto": "multiple_answers_question",
        "respuesta-corta": "short_answer_question",
        "numerica": "numerical_question",
        "huecos": "fill_in_multiple_blanks_question",
        "relacionar": "matching_question",
        "respuesta-abierta": "essay_question",
    }
    assert set(expected) == SHIPPED_TYPES - {"ordenar", "dos-partes"}
    for ident, element in package.items.items():
        item = bank().item(ident)
        fields = metadata(element)
        assert fields["question_type"] == expected.get(item.type, fields["question_type"])
        assert fields["question_type"] in CANVAS_TYPES
        assert float(fields["points_possible"]) == item.points


def test_the_general_feedback_holds_the_explanation_and_the_evidence(package) -> None:
    for ident, element in package.items.items():
        item = bank().item(ident)
        general = feedbacks(element)["general_fb"]
        assert flat(item.explanation) in general
        for evidence in item.evidence:
            assert flat(f"Evidencia (párrafo {evidence.paragraph}): «{evidence.quote}»") in general
        assert "general_fb" in run(element, {})[1]


# ----- keys and scores ----------------------------------------------------------------


@pytest.mark.parametrize("type_id", ["verdadero-falso", "opcion-unica"])
def test_one_right_choice_scores_100_and_shows_its_feedback(package, type_id: str) -> None:
    for item in items_of(type_id):
        element = package.items[item.id]
        fb = feedbacks(element)
        choices = (
            [
                ("true", item.key, item.feedback["true"]),
                ("false", not item.key, item.feedback["false"]),
            ]
            if item.type == "verdadero-falso"
            else [(o.id, o.correct, o.feedback) for o in item.options]
        )
        for choice_id, correct, feedback in choices:
            score, shown = run(element, {"response1": {choice_id}})
            assert score == (100 if correct else 0)
            assert f"{choice_id}_fb" in shown and fb[f"{choice_id}_fb"] == flat(feedback)


def test_multiple_answers_score_100_only_for_the_key(package) -> None:
    for item in [*items_of("opcion-multiple"), *items_of("seleccionar-en-el-texto")]:
        element = package.items[item.id]
        key = set(get(item.type).key_answer(item))
        ids = [o.id for o in item.options] or item.data.ids
        for picked in itertools.islice(
            itertools.chain.from_iterable(itertools.combinations(ids, n) for n in range(1, 4)), 300
        ):
            score, _ = run(element, {"response1": set(picked)})
            assert score == (100 if set(picked) == key else 0), (item.id, picked)
        assert run(element, {"response1": key})[0] == 100


def test_short_answers(package) -> None:
    for item in items_of("respuesta-corta"):
        element = package.items[item.id]
        for accepted in item.text_key.accept:
            assert run(element, {"response1": accepted})[0] == 100
        score, shown = run(element, {"response1": "otra cosa"})
        assert score == 0 and "general_incorrect_fb" in shown


def test_numerical_range(package) -> None:
    for item in items_of("numerica"):
        element = package.items[item.id]
        for value in (item.key, item.key - item.tolerance, item.key + item.tolerance):
            assert run(element, {"response1": str(value)})[0] == 100
        assert run(element, {"response1": str(item.key + item.tolerance + 1)})[0] == 0


def test_blanks_each_add_their_share(package) -> None:
    for item in items_of("huecos"):
        element = package.items[item.id]
        text = element.findtext("q:presentation/q:material/q:mattext", namespaces=NS)
        labels = {}
        for lid in element.iterfind("q:presentation/q:response_lid", NS):
            name = lid.get("ident").removeprefix("response_")
            assert f"[{name}]" in text
            labels[lid.get("ident")] = {
                label.findtext("q:material/q:mattext", namespaces=NS): label.get("ident")
                for label in lid.iterfind("q:render_choice/q:response_label", NS)
            }
        assert len(labels) == len(item.blanks)
        for picks in itertools.product([True, False], repeat=len(item.blanks)):
            response = {}
            for right, (name, key) in zip(picks, item.blanks, strict=True):
                if right:
                    response[f"response_{name}"] = {labels[f"response_{name}"][key.accept[-1]]}
            answer = {
                name: (key.accept[-1] if right else "mal")
                for right, (name, key) in zip(picks, item.blanks, strict=True)
            }
            assert run(element, response)[0] == pytest.approx(
                100 * get("huecos").grade(item, answer)[0], abs=0.02
            )


def test_matching_pairs_add_their_share_and_show_the_hint(package) -> None:
    for item in items_of("relacionar"):
        element = package.items[item.id]
        fb = feedbacks(element)
        response = {f"response_{c.id}": {item.pairs[c.id]} for c in item.left}
        assert run(element, response)[0] == pytest.approx(100, abs=0.05)
        first = item.left[0]
        wrong = next(r.id for r in item.right if r.id != item.pairs[first.id])
        response[f"response_{first.id}"] = {wrong}
        score, shown = run(element, response)
        expected, _ = get("relacionar").grade(
            item, {c.id: next(iter(response[f"response_{c.id}"])) for c in item.left}
        )
        assert score == pytest.approx(100 * expected, abs=0.05)
        if first.id in item.feedback:
            assert f"{first.id}_fb" in shown and fb[f"{first.id}_fb"] == flat(
                item.feedback[first.id]
            )
        lefts = [
            words(lid.findtext("q:material/q:mattext", namespaces=NS))
            for lid in element.iterfind("q:presentation/q:response_lid", NS)
        ]
        assert lefts == [flat(c.text) for c in item.left]


def test_essays_are_essay_questions_and_the_lost_rubric_is_reported(result, package) -> None:
    for item in items_of("respuesta-abierta"):
        assert metadata(package.items[item.id])["question_type"] == "essay_question"
        assert any(p.item_id == item.id and "rubric" in p.reason for p in result.degraded)


# ----- bad input and the command ------------------------------------------------------


def test_hostile_text_stays_well_formed_and_comes_back() -> None:
    result = export(hostile_bank(), "qti")
    package = Package(result.data)
    assert sorted(package.items) == sorted(result.exported)
    assert {
        i.id for i in hostile_bank().items if i.type in SHIPPED_TYPES - {"ordenar", "dos-partes"}
    } <= set(package.items)
    for ident, element in package.items.items():
        question = element.findtext("q:presentation/q:material/q:mattext", namespaces=NS)
        assert flat(HOSTILE_CLEAN) in words(question), ident
        assert flat(HOSTILE_CLEAN) in feedbacks(element)["general_fb"], ident
    short = package.items[items_of("respuesta-corta")[0].id]
    assert run(short, {"response1": HOSTILE_ANSWER_CLEAN})[0] == 100


def test_cli_writes_the_package_and_replaces_only_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "canvas.zip"
    assert main(["export", "qti", "-o", str(out)]) == 0
    assert (
        "not exported: global-estructura: Canvas Classic Quizzes have no ordering question"
        in capsys.readouterr().err
    )
    assert main(["export", "qti", "-o", str(out)]) == 0
    Package(out.read_bytes())
    other = tmp_path / "otro.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("x.txt", "mío")
    assert main(["export", "qti", "-o", str(other)]) == 2
    assert zipfile.ZipFile(other).namelist() == ["x.txt"]


ANY_TEXT = st.text(min_size=1, max_size=40).filter(lambda t: clean(t).strip() == clean(t) != "")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, ANY_TEXT)
def test_any_text_is_well_formed_and_comes_back(words: str, answer: str) -> None:
    choice = items_of("opcion-unica")[0]
    choice = replace(
        choice,
        prompt=words,
        options=(replace(choice.options[0], text=words, feedback=words), *choice.options[1:]),
    )
    element = ET.fromstring(ET.tostring(get(choice.type).export(choice, "qti")))
    question = element.findtext("presentation/material/mattext")
    body = re.fullmatch(r"<div><p>(.*)</p></div>", question, re.S)
    assert body is not None and html.unescape(body.group(1).replace("<br>", "\n")) == clean(words)
    short = items_of("respuesta-corta")[0]
    short = replace(short, text_key=replace(short.text_key, accept=(answer,), wrong=()))
    element = ET.fromstring(ET.tostring(get(short.type).export(short, "qti").value))
    texts = [v.text for v in element.iter("varequal")]
    assert clean(answer) in texts

"""The student's feedback report (``feedback/<student>.html``), as a student reads it.

A generated class is graded; every report is parsed and checked: the summary per set and
per skill adds up, every question carries the number the site gives it, no choice is
shown by its internal id, nothing names the instructor's folders, the site links are
there only with ``site_url`` and point at the question on the built site, marked open
answers show their criteria and comment, ``--no-key`` still gives nothing away, and the
page is valid HTML that fits a 320 px screen.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from comprende import classgrade
from comprende.bank import load_bank
from comprende.errors import UsageError
from comprende.grading import grade_submission
from comprende.model import (
    Bank,
    Item,
    ItemResult,
    ItemType,
    Marking,
    Status,
    Student,
    Submission,
    SubmissionResult,
    round_points,
)
from comprende.reports.feedback import SKILL_NAMES, FeedbackRenderer, check_site_url
from comprende.reports.gradescope import GradescopeWriter
from comprende.template import key_answer

from .browser.conftest import require

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITE_URL = "https://profesora.example.org/comprende/"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(ROOT / "exercises")


# ----------------------------------------------------------------------------- parsing


_VOID = {"meta", "br", "link", "img", "input", "hr"}


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Any] = dataclasses.field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag: str, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and all(
                    value in child.attrs.get(name.rstrip("_"), "").split()
                    if name == "class_"
                    else child.attrs.get(name) == value
                    for name, value in attrs.items()
                ):
                    found.append(child)
                found += child.find(tag, **attrs)
        return found


class _Tree(HTMLParser):
    """A tree of the page; ``strict``: every element is closed, in order (our reports)."""

    def __init__(self, strict: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.strict = strict
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.strict:
            assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        while len(self.stack) > 1 and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str, *, strict: bool = True) -> Node:
    tree = _Tree(strict)
    tree.feed(page)
    tree.close()
    assert tree.stack == [tree.root] or not strict, "unclosed elements"
    return tree.root


def fields(section: Node) -> dict[str, Node]:
    """An item's ``<dt>`` → ``<dd>``."""
    (dl,) = section.find("dl")
    nodes = [c for c in dl.children if isinstance(c, Node)]
    return {dt.text(): dd for dt, dd in zip(nodes[::2], nodes[1::2], strict=True)}


def table(root: Node, caption: str) -> dict[str, list[str]]:
    """A summary table: row name → its cells, then the points still to be marked ("" if none)."""
    (found,) = [t for t in root.find("table") if t.find("caption")[0].text() == caption]
    rows = {}
    for row in found.find("tr")[1:]:
        header, *cells = (c for c in row.children if isinstance(c, Node))
        waiting = header.find("span", class_="waiting")
        name = header.text().removesuffix(" " + waiting[0].text()) if waiting else header.text()
        rows[name] = [c.text() for c in cells] + [waiting[0].text() if waiting else ""]
    return rows


def number(text: str) -> float:
    return float(text.replace(",", ".").rstrip(" %"))


# ----------------------------------------------------------------------------- the class


def random_answer(item: Item, rng: random.Random) -> Any:
    """Right, wrong, empty, of the wrong shape, or naming ids the page never showed."""
    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.2:
        return {"zz": "<b>x</b>"} if rng.random() < 0.5 else ["zz", 3]
    if roll < 0.5:
        return key_answer(item)
    match item.type:
        case ItemType.SINGLE:
            return rng.choice([*(o.id for o in item.options), "zz", "<i>q</i>"])
        case ItemType.MULTIPLE:
            return rng.sample([o.id for o in item.options], 2) + (["zz"] if roll < 0.6 else [])
        case ItemType.MATCHING:
            rights = [c.id for c in item.right]
            answer = {c.id: rng.choice(rights) for c in item.left}
            return answer | ({"zz": rights[0]} if roll < 0.6 else {})
        case ItemType.ORDERING:
            ids = [e.id for e in item.elements]
            rng.shuffle(ids)
            return ids
        case ItemType.CLOZE:
            return {name: rng.choice(["uno", "", "<script>x</script>"]) for name, _ in item.blanks}
        case ItemType.TRUE_FALSE:
            return rng.random() < 0.5
        case ItemType.NUMERIC:
            return rng.choice([80, "80,5", 27])
    return rng.choice(["texto", "<em>libre</em>", "Línea 1\nLínea 2"])


def make_class(bank: Bank, folder: Path, n: int = 16) -> dict[str, dict[str, Any]]:
    rng = random.Random(7)
    files = {}
    for index in range(n):
        student = f"e{index:02d}"
        answers = {item.id: random_answer(item, rng) for item in bank.items}
        if index == 0:
            answers = {item.id: key_answer(item) for item in bank.items}
        if index == 1:
            answers = {}
        data = {
            "module": bank.id,
            "student": {"id": student, "name": f"Estudiante <b>{index}</b> Núñez"},
            "answers": answers,
        }
        path = folder / f"{student}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        files[student] = data
    return files


@pytest.fixture(scope="module")
def graded(bank: Bank, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    base = tmp_path_factory.mktemp("clase")
    inputs = base / "home" / "docente-mgarcia" / "carpeta-privada"
    files = make_class(bank, inputs)
    out = base / "resultados"
    status = classgrade.main(paths=[inputs], out=out, bank=bank, echo=lambda _: None)
    assert status == classgrade.EXIT_OK
    return inputs, out, files


def expected(bank: Bank, data: dict) -> SubmissionResult:
    student = Student(data["student"]["id"], data["student"]["name"])
    return grade_submission(bank, Submission(bank.id, student, data["answers"]))


def test_every_report_opens_with_the_scores_per_set_and_per_skill(bank, graded):
    _, out, files = graded
    for student, data in files.items():
        result = expected(bank, data)
        root = parse((out / "feedback" / f"{student}.html").read_text(encoding="utf-8"))
        (summary,) = root.find("section", class_="summary")
        total = summary.find("p", class_="total")[0].text()
        assert total.startswith(f"Puntuación total: {result.total:g}".replace(".", ","))
        by_item = {r.item_id: r for r in result.items}
        groups = {
            "Puntuación por serie": {s.title: list(s.items) for s in bank.sets},
            "Puntuación por destreza": {
                SKILL_NAMES[skill]: [i for i in bank.items if i.skill == skill]
                for skill in SKILL_NAMES
            },
        }
        for caption, group in groups.items():
            rows = table(summary, caption)
            assert list(rows) == [*group, "Total"], caption
            for name, items in group.items():
                earned = round_points(sum(by_item[i.id].points for i in items))
                possible = sum(i.points for i in items)
                cells = rows[name]
                assert cells[0] == f"{earned:g} de {possible:g}".replace(".", ","), (student, name)
                assert cells[1] == f"{math.floor(100 * earned / possible + 0.5 + 1e-9)}\u00a0%"
                waiting = sum(i.points for i in items if by_item[i.id].status is Status.PENDING)
                if waiting:
                    assert cells[2] == f"({waiting:g} puntos por corregir)", (student, name)
                else:
                    assert cells[2] == ""
            assert rows["Total"][0] == f"{result.total:g} de {bank.possible:g}".replace(".", ",")
        # The page lists the sets in that order, after the summary.
        titles = [h.text() for s in root.find("section", class_="set") for h in s.find("h2")]
        assert titles == [s.title for s in bank.sets]


def test_every_question_is_numbered_as_on_the_site(bank, graded, site):
    _, out, files = graded
    on_site = {}
    for item_set in bank.sets:
        page = parse(
            (site / "ejercicios" / f"{item_set.id}.html").read_text(encoding="utf-8"),
            strict=False,
        )
        for section in page.find("section", class_="cp-item"):
            title = section.find("h2", class_="cp-item-title")[0].text()
            on_site[section.attrs["id"]] = (item_set.title, title.split(" (")[0])
    for student in files:
        root = parse((out / "feedback" / f"{student}.html").read_text(encoding="utf-8"))
        sections = root.find("section", class_="item")
        assert [s.attrs["id"] for s in sections] == [f"item-{i.id}" for i in bank.items]
        for section in sections:
            set_title, question = on_site[section.attrs["id"]]
            assert section.find("h3")[0].text() == f"{set_title} · {question}"


def _all_empty(answer: dict[str, Any]) -> bool:
    """A mapping with no entry answered: graded as missing, and shown as no answer."""
    return all(
        value is None or (isinstance(value, str) and not value.strip()) for value in answer.values()
    )


def shown_answer(item: Item, answer: Any) -> list[str]:
    """What the student saw, independently of the report's code."""

    def text(choices, choice_id):
        known = {c.id: c.text for c in choices}
        if isinstance(choice_id, str) and choice_id in known:
            return known[choice_id]
        shown = choice_id if isinstance(choice_id, str) else json.dumps(choice_id)
        return f"«{shown}» (no es ninguna de las opciones)"

    if isinstance(answer, dict) and answer and _all_empty(answer):
        return ["(sin respuesta)"]
    match item.type:
        case ItemType.SINGLE if isinstance(answer, str):
            return [text(item.options, answer)]
        case ItemType.MULTIPLE if isinstance(answer, list) and answer:
            order = [o.id for o in item.options]
            known = [a for a in order if a in answer]
            return [text(item.options, a) for a in known] + [
                text(item.options, a) for a in answer if a not in order
            ]
        case ItemType.ORDERING if isinstance(answer, list) and answer:
            return [text(item.elements, a) for a in answer]
        case ItemType.MATCHING if isinstance(answer, dict) and not _all_empty(answer):
            lines = [
                f"{c.text} → {text(item.right, answer[c.id])}" for c in item.left if c.id in answer
            ]
            rights = {c.id: c.text for c in item.right}
            lines += [
                f"«{k} → {rights.get(v, v)}» (no es ningún elemento de la lista)"
                for k, v in answer.items()
                if k not in {c.id for c in item.left}
            ]
            return lines
        case ItemType.CLOZE if isinstance(answer, dict) and not _all_empty(answer):
            names = [name for name, _ in item.blanks]
            lines = [
                f"Hueco {n}: {answer.get(name) or '(sin respuesta)'}"
                for n, name in enumerate(names, 1)
            ]
            return lines + [
                f"Hueco «{k}»: «{v}» (no es ningún hueco del texto)"
                for k, v in answer.items()
                if k not in names
            ]
    return []


def test_choices_are_shown_by_their_text_never_by_their_id(bank, graded):
    _, out, files = graded
    checked = 0
    for student, data in files.items():
        root = parse((out / "feedback" / f"{student}.html").read_text(encoding="utf-8"))
        sections = {s.attrs["id"]: s for s in root.find("section", class_="item")}
        for item in bank.items:
            answer = data["answers"].get(item.id)
            dd = fields(sections[f"item-{item.id}"])["Tu respuesta"]
            lines = [li.text() for li in dd.find("li")] or [dd.text()]
            want = shown_answer(item, answer)
            if want:
                assert lines == want, (student, item.id)
                checked += 1
            ids = [c.id for c in (*item.options, *item.left, *item.right, *item.elements)]
            for line in lines:
                # A choice is never shown as its id, nor «a) text» with a letter the page never showed.
                assert line not in ids
                assert not re.match(r"^[a-z0-9]{1,3}\) ", line), line
            key = fields(sections[f"item-{item.id}"]).get("Respuesta correcta")
            want_key = shown_answer(item, key_answer(item))
            if key is not None and want_key:
                assert ([li.text() for li in key.find("li")] or [key.text()]) == want_key
    assert checked > 100


def test_an_unknown_choice_is_escaped_and_marked(bank, tmp_path):
    single = next(i for i in bank.items if i.type == ItemType.SINGLE)
    renderer = FeedbackRenderer(bank)
    fragment = renderer.item_fragment(
        ItemResult(single.id, 0.0, single.points, Status.INVALID, answer="<img src=x>")
    )
    assert "<img" not in fragment
    assert (
        '<span class="unknown">«&lt;img src=x&gt;»</span> '
        '<em class="why">(no es ninguna de las opciones)</em>'
    ) in fragment


def test_no_report_names_a_folder_of_the_instructor(graded):
    inputs, out, _ = graded
    secrets = [str(inputs), "docente-mgarcia", "carpeta-privada", ".json"]
    for folder in ("feedback", "gradescope"):
        for path in (out / folder).iterdir():
            text = path.read_text(encoding="utf-8")
            for secret in secrets:
                assert secret not in text, (path.name, secret)
            assert "Archivo:" not in text
    page = (out / "feedback" / "e03.html").read_text(encoding="utf-8")
    assert "Estudiante: <strong>Estudiante &lt;b&gt;3&lt;/b&gt; Núñez</strong>" in page


def test_without_a_site_url_there_is_no_link_out(graded):
    _, out, files = graded
    for student in files:
        root = parse((out / "feedback" / f"{student}.html").read_text(encoding="utf-8"))
        assert all(a.attrs["href"].startswith("#") for a in root.find("a"))


def test_with_a_site_url_each_question_links_to_itself_on_the_site(bank, site):
    renderer = FeedbackRenderer(bank, site_url=SITE_URL)
    data = {"student": {"id": "e1", "name": "Ana"}, "answers": {}}
    result = expected(bank, data)
    page = renderer.render(result, [renderer.item_fragment(r) for r in result.items], [])
    root = parse(page)
    for item_set in bank.sets:
        anchors = set(
            re.findall(
                r'id="(item-[^"]+)"',
                (site / "ejercicios" / f"{item_set.id}.html").read_text(encoding="utf-8"),
            )
        )
        for item in item_set.items:
            (section,) = root.find("section", id=f"item-{item.id}")
            (link,) = section.find("a")
            assert link.text() == "Ver la pregunta en el sitio"
            href = link.attrs["href"]
            assert href == f"{SITE_URL}ejercicios/{item_set.id}.html#item-{item.id}"
            page_path, _, anchor = href[len(SITE_URL) :].partition("#")
            assert (site / page_path).is_file() and anchor in anchors


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>x</script>",
        "ftp://example.org/",
        "//example.org/",
        "example.org/comprende",
        "https://",
        "https://user:secret@example.org/",
        'https://example.org/"onmouseover="x',
        "https://example.org/a b",
        "https://example.org/?q=1",
        "https://example.org/#top",
        "https://example.org:99999/",
        "https://example.org/\u202e",
        "https://a..b/",
    ],
)
def test_a_site_url_that_is_not_plain_http_is_refused(bank, url):
    with pytest.raises(UsageError, match="--site-url"):
        FeedbackRenderer(bank, site_url=url)


def test_a_site_url_is_normalised_and_escaped(bank):
    assert check_site_url("HTTPS://Example.org/comprende/") == "https://example.org/comprende"
    assert check_site_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert check_site_url("https://[::1]:8000/") == "https://[::1]:8000"
    assert check_site_url("https://señal.es/") == "https://xn--seal-hqa.es"
    assert check_site_url("https://example.org/a/index.html") == "https://example.org/a"
    assert check_site_url("https://example.org/curso's/ñ") == "https://example.org/curso's/%C3%B1"
    renderer = FeedbackRenderer(bank, site_url="https://example.org/a&b/curso's")
    item = bank.items[0]
    fragment = renderer.item_fragment(ItemResult(item.id, 0.0, item.points, Status.MISSING))
    assert 'href="https://example.org/a&amp;b/curso&#39;s/ejercicios/' in fragment


# ----------------------------------------------------------------------------- marking


def marked_result(bank: Bank, *, full: bool = False) -> tuple[SubmissionResult, Item, Item]:
    """Ana's answers, with the first open response marked and the second still pending."""
    answers = {item.id: key_answer(item) for item in bank.items}
    answers |= {i.id: "Mi resumen, con mis palabras." for i in bank.items if not i.auto_graded}
    result = grade_submission(bank, Submission(bank.id, Student("ana", "Ana"), answers))
    first, second = (i for i in bank.items if i.type == ItemType.OPEN)
    marks = tuple(c.points for c in first.rubric)
    if not full:
        marks = (*marks[:-2], 0.0, None)
    score = sum(m or 0.0 for m in marks)
    comment = "Buen resumen; te falta <la conclusión> del artículo."
    items = tuple(
        dataclasses.replace(
            r,
            points=score,
            status=Status.CORRECT if full else Status.PARTIAL,
            feedback=(comment,),
            marking=Marking(marks, comment),
        )
        if r.item_id == first.id
        else r
        for r in result.items
    )
    return SubmissionResult(result.submission, items), first, second


def test_a_marked_open_answer_shows_its_criteria_and_comment(bank):
    result, first, second = marked_result(bank)
    renderer = FeedbackRenderer(bank)
    root = parse(renderer.render(result, [renderer.item_fragment(r) for r in result.items], []))
    (marked,) = root.find("section", id=f"item-{first.id}")
    shown = fields(marked)
    lines = [li.text() for li in shown["Corrección de tu profesor o profesora"].find("li")]
    rubric = first.rubric
    assert lines[0] == f"Criterio: {rubric[0].criterion.rstrip('.')} — 1 de 1"
    assert lines[-2] == f"Criterio: {rubric[-2].criterion.rstrip('.')} — 0 de 1"
    assert lines[-1] == f"Criterio: {rubric[-1].criterion.rstrip('.')} — sin puntuar de 1"
    assert len(lines) == len(rubric)
    comment = shown["Comentario de tu profesor o profesora"].text()
    assert comment == "Buen resumen; te falta <la conclusión> del artículo."
    assert "Comentario" not in shown  # the comment is not repeated as generic feedback
    score = sum(c.points for c in rubric[:-2])
    assert (
        shown["Resultado"].text() == f"Parcialmente correcta: {score:g} de {first.points:g} puntos"
    )
    (pending,) = root.find("section", id=f"item-{second.id}")
    assert (
        fields(pending)["Resultado"].text() == f"Pendiente de corrección ({second.points:g} puntos)"
    )
    assert "Corrección de tu profesor o profesora" not in fields(pending)
    # The summary counts the marked points and only the other response as pending.
    rows = table(root, "Puntuación por serie")
    assert rows["Total"][2] == f"({second.points:g} puntos por corregir)"
    assert "1 respuesta abierta está pendiente de corrección" in root.text()


def test_a_mark_with_only_a_score_lists_no_criteria(bank):
    result, first, _ = marked_result(bank)
    only_score = tuple(
        dataclasses.replace(r, marking=Marking((), "")) if r.item_id == first.id else r
        for r in result.items
    )
    (marked,) = (r for r in only_score if r.item_id == first.id)
    fragment = parse(FeedbackRenderer(bank).item_fragment(marked))
    shown = fields(fragment.find("section")[0])
    assert "Corrección de tu profesor o profesora" not in shown
    assert "Comentario de tu profesor o profesora" not in shown
    assert shown["Resultado"].text().startswith("Parcialmente correcta: ")
    output = GradescopeWriter(bank).output(marked)
    assert "Criterio" not in output and output.startswith("Parcialmente correcta: ")


def test_gradescope_shows_the_marks_and_passes_only_full_marks(bank):
    for full in (False, True):
        result, first, second = marked_result(bank, full=full)
        writer = GradescopeWriter(bank)
        document = json.loads(writer.document(result, [writer.test_json(r) for r in result.items]))
        tests = {t["name"]: t for t in document["tests"]}
        marked = tests["Comprensión global · Pregunta 11"]
        assert marked["score"] == sum(r.points for r in result.items if r.item_id == first.id)
        assert marked["status"] == ("passed" if full else "failed")
        lines = marked["output"].splitlines()
        assert lines[1] == f"Criterio: {first.rubric[0].criterion.rstrip('.')} — 1 de 1"
        assert lines[len(first.rubric)].startswith("Criterio: ")
        assert lines[-1] == (
            "Comentario de tu profesor o profesora: Buen resumen; te falta <la conclusión> del artículo."
        )
        ((set_number, position),) = [
            (s, n)
            for s, item_set in enumerate(bank.sets, 1)
            for n, item in enumerate(item_set.items, 1)
            if item.id == second.id
        ]
        other = next(t for t in document["tests"] if t["number"] == f"{set_number}.{position}")
        assert other["output"].startswith("Pendiente de corrección") and other["score"] == 0


def test_no_key_hides_the_rubric_wording_but_keeps_the_instructors_comment(bank):
    result, first, _ = marked_result(bank)
    renderer = FeedbackRenderer(bank, include_key=False)
    page = renderer.render(result, [renderer.item_fragment(r) for r in result.items], [])
    writer = GradescopeWriter(bank, include_key=False)
    document = writer.document(result, [writer.test_json(r) for r in result.items])
    for text in (page, document):
        assert "Buen resumen" in text  # the instructor wrote it for the student
        for criterion in first.rubric:
            assert criterion.criterion.rstrip(".") not in text
        assert "Criterio 1 — 1 de 1" in text
        for item in bank.items:
            if item.explanation:
                assert item.explanation not in text
            if item.model_answer:
                assert item.model_answer not in text
    root = parse(page)
    (marked,) = root.find("section", id=f"item-{first.id}")
    assert "Comentario de tu profesor o profesora" in fields(marked)
    assert "Respuesta correcta" not in page and "<blockquote>" not in page


def test_no_key_class_reports_still_give_nothing_away(bank, tmp_path):
    inputs = tmp_path / "in"
    files = make_class(bank, inputs, n=6)
    out = tmp_path / "out"
    assert (
        classgrade.main(paths=[inputs], out=out, bank=bank, include_key=False, echo=lambda _: None)
        == 0
    )
    for student in files:
        page = (out / "feedback" / f"{student}.html").read_text(encoding="utf-8")
        assert "Respuesta correcta" not in page and "Explicación" not in page
        assert "<blockquote>" not in page
        for item in bank.items:
            for choice in item.options:
                if choice.feedback:
                    assert choice.feedback not in page
        # The summary and the numbering are there all the same.
        root = parse(page)
        assert table(root, "Puntuación por serie")["Total"][0].endswith(f" de {bank.possible:g}")
        assert root.find("h3")[0].text() == f"{bank.sets[0].title} · Pregunta 1"


# ----------------------------------------------------------------------------- the page itself


def sample_page(bank: Bank, tmp_path: Path) -> Path:
    result, _, _ = marked_result(bank)
    rng = random.Random(3)
    answers = {item.id: random_answer(item, rng) for item in bank.items}
    graded = expected(
        bank, {"student": {"id": "e9", "name": "Zoë <b>Ñandú</b>"}, "answers": answers}
    )
    items = tuple(
        g if g.status is not Status.PENDING else r
        for g, r in zip(graded.items, result.items, strict=True)
    )
    mixed = SubmissionResult(graded.submission, items)
    renderer = FeedbackRenderer(bank, site_url=SITE_URL)
    page = renderer.render(
        mixed, [renderer.item_fragment(r) for r in mixed.items], ["entregado tarde (Canvas)"]
    )
    path = tmp_path / "informe.html"
    path.write_text(page, encoding="utf-8")
    return path


def test_the_report_is_valid_html_in_spanish(bank, tmp_path):
    path = sample_page(bank, tmp_path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="es">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    require(VNU.exists(), f"the Nu HTML checker is not installed at {VNU} (npm ci)")
    require(shutil.which("java") is not None, "java is needed to run the Nu HTML checker")
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    assert [f"{m.get('lastLine')}: {m['message']}" for m in messages] == []


def test_marks_from_pending_csv_reach_the_report_and_gradescope(bank, tmp_path):
    """The whole loop: grade, fill pending.csv, grade again with the marks."""
    import csv

    inputs = tmp_path / "in"
    answers = {item.id: key_answer(item) for item in bank.items}
    data = {"module": bank.id, "student": {"id": "a", "name": "Ana"}, "answers": answers}
    inputs.mkdir()
    (inputs / "a.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    first_run = tmp_path / "primera"
    assert classgrade.main(paths=[inputs], out=first_run, bank=bank, echo=lambda _: None) == 0
    with (first_run / "pending.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first, second = (i for i in bank.items if i.type == ItemType.OPEN)
    for row in rows:
        if row["item"] == first.id:
            row |= {"c1": "1", "c2": "1", "c3": "0", "c4": "1", "score": "3"}
            row["comment"] = "Falta la conclusión: <revísala>."
    marks = tmp_path / "notas.csv"
    with marks.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "segunda"
    status = classgrade.main(paths=[inputs], out=out, bank=bank, marks=[marks], echo=lambda _: None)
    assert status == 0
    root = parse((out / "feedback" / "a.html").read_text(encoding="utf-8"))
    shown = fields(root.find("section", id=f"item-{first.id}")[0])
    lines = [li.text() for li in shown["Corrección de tu profesor o profesora"].find("li")]
    assert lines == [
        f"Criterio: {c.criterion.rstrip('.')} — {m} de 1"
        for c, m in zip(first.rubric, ("1", "1", "0", "1"), strict=True)
    ]
    assert (
        shown["Comentario de tu profesor o profesora"].text() == "Falta la conclusión: <revísala>."
    )
    assert shown["Resultado"].text() == "Parcialmente correcta: 3 de 4 puntos"
    pending = fields(root.find("section", id=f"item-{second.id}")[0])
    assert pending["Resultado"].text() == "Pendiente de corrección (4 puntos)"
    rows_shown = table(root, "Puntuación por serie")
    assert rows_shown[bank.sets[0].title][2] == ""  # its open answer is marked
    assert rows_shown["Total"][2] == "(4 puntos por corregir)"
    results = json.loads((out / "gradescope" / "a.results.json").read_text(encoding="utf-8"))
    (test,) = [t for t in results["tests"] if t["name"] == "Comprensión global · Pregunta 11"]
    assert (test["score"], test["status"]) == (3.0, "failed")
    assert (
        "Comentario de tu profesor o profesora: Falta la conclusión: <revísala>." in test["output"]
    )

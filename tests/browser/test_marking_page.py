"""corregir.html in a real browser: marked with the keyboard only, saved, read back by --marks."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from comprende.bank import load_bank
from comprende.marks import answer_sha256, read_marks
from comprende.model import Bank, ItemSet, ItemType, Marking
from comprende.reports.marking import bank_data, write_marking_page
from comprende.reports.problems import PendingWriter

from ..conftest import ROOT
from .conftest import PageWatch, serve
from .test_accessibility import axe_violations

BASE = load_bank(ROOT / "exercises")
OPEN = [i for i in BASE.items if i.type == ItemType.OPEN]


def bank_with_unrubricked_item() -> Bank:
    """The real bank plus one open item without a rubric (a single score field)."""
    extra = dataclasses.replace(OPEN[0], id="extra-abierta", rubric=(), points=2, set_id="extra")
    return dataclasses.replace(BASE, sets=(*BASE.sets, ItemSet("extra", "Extra", "", (extra,))))


BANK = bank_with_unrubricked_item()
LABELS = {k: v["label"] for k, v in bank_data(BANK)["items"].items()}
#: (id, name, lms, lms_id, item, answer, earlier marking, earlier score)
ROWS: list[tuple[str, str, str, str, str, str, Marking | None, float | None]] = [
    (
        "e1",
        "Ana López",
        "moodle",
        "17",
        OPEN[0].id,
        "Putin visita Astaná. <b>negrita</b>",
        None,
        None,
    ),
    ("e1", "Ana López", "moodle", "17", OPEN[1].id, "=1+1 no es una fórmula", None, None),
    ("E-2", "Bruno Díaz", "", "", OPEN[0].id, "Otra respuesta\ncon dos líneas", None, None),
    ("E-2", "Bruno Díaz", "", "", "extra-abierta", "Breve.", None, None),
    ("e3", "Carla", "canvas", "99", OPEN[0].id, "Ya corregida", Marking((1, 1, 0, 1), "Bien"), 3),
    ("e4", "Dani", "", "", OPEN[1].id, "Solo nota", Marking((None,) * 4, ""), 2.5),
]
#: What the keyboard types for each row: the fields, then the comment.
TYPED = [
    (["1", "0,5", "1", "0.5"], "Muy bien, «Astaná»."),
    (["0", "1", "1", "1"], ""),
    (["1", "1", "0", "0"], "Falta el tema del idioma."),
    (["1,5"], "Correcto"),
]


@pytest.fixture
def marking_page(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "out"
    folder.mkdir()
    writer = PendingWriter(folder / "pending.csv", BANK, keep_rows=True)
    for student_id, name, lms, lms_id, item_id, answer, marking, score in ROWS:
        item = BANK.by_id[item_id]
        writer.add(
            student_id, name, "f.json", item_id, item.points, answer, lms, lms_id, marking, score
        )
    writer.close()
    assert write_marking_page(folder / "corregir.html", BANK, writer.rows()) == len(ROWS) == 6
    writer.discard()
    yield folder


def open_tab(browser: Any, folder: Path, **options: Any) -> Iterator[Any]:
    """A tab on corregir.html served from ``folder``, watched as conftest's ``page`` is."""
    server = serve(folder)
    base = next(server)
    context = browser.new_context(accept_downloads=True, locale="es-ES", **options)
    watch = PageWatch()

    def route(route: Any) -> None:
        if route.request.url.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            watch.foreign.append(route.request.url)
            route.abort()

    def console(message: Any) -> None:
        if message.type in ("error", "warning"):
            watch.console.append(f"{message.type}: {message.text}")

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("console", console)
    tab.on("pageerror", lambda e: watch.console.append(f"pageerror: {e}"))
    tab.goto(base + "corregir.html")
    yield tab
    context.close()
    next(server, None)
    assert watch.console == [], "console errors or warnings"
    assert watch.foreign == [], "requests to other hosts"


@pytest.fixture
def tab(browser: Any, marking_page: Path) -> Iterator[Any]:
    yield from open_tab(browser, marking_page)


def focused_id(tab: Any) -> str:
    return tab.evaluate("document.activeElement.id")


def announces(tab: Any, text: str, *, exact: bool = False) -> None:
    """The live region says ``text`` (the page clears it first, so a repeat is heard)."""
    from playwright.sync_api import expect

    region = expect(tab.locator("#announce"))
    if exact:
        region.to_have_text(text)
    else:
        region.to_contain_text(text)


def test_marking_every_answer_with_the_keyboard_and_reading_the_download(
    tab: Any, tmp_path: Path
) -> None:
    assert tab.locator("#progress").text_content() == (
        "Respuesta 1 de 6 · 2 corregidas, 4 sin corregir"
    )
    # The student's text is shown as text, never as markup.
    assert tab.locator("#answer").text_content() == ROWS[0][5]
    assert tab.locator("#answer b").count() == 0
    # Skip link, then into the first criterion.
    tab.keyboard.press("Tab")
    assert focused_id(tab) == ""  # the skip link has no id; check its text instead
    assert tab.evaluate("document.activeElement.textContent") == "Ir a la respuesta"
    tab.keyboard.press("Enter")
    assert focused_id(tab) == "card-title"
    tab.keyboard.press("Tab")
    assert focused_id(tab) == "field-0"

    # A value above a criterion's maximum is shown as an error and does not count.
    tab.keyboard.type("2")
    assert tab.locator("#field-0").get_attribute("aria-invalid") == "true"
    assert tab.locator("#field-0-error").text_content() == "Como máximo 1 punto."
    assert (
        tab.locator("#total").text_content()
        == "Nota: falta puntuar algún criterio (máximo: 4 puntos)"
    )
    tab.keyboard.press("Backspace")

    for number, (fields, comment) in enumerate(TYPED, 1):
        row = ROWS[number - 1]
        assert tab.locator("#card-title").text_content() == LABELS[row[4]]
        assert focused_id(tab) == "field-0"
        for index, value in enumerate(fields):
            if index:
                tab.keyboard.press("Tab")
                assert focused_id(tab) == f"field-{index}"
            tab.keyboard.type(value)
        tab.keyboard.press("Tab")
        assert focused_id(tab) == "comment"
        tab.keyboard.type(comment)
        total = sum(float(v.replace(",", ".")) for v in fields)
        assert (
            tab.locator("#total")
            .text_content()
            .startswith(f"Nota: {f'{total:g}'.replace('.', ',')} de ")
        )
        tab.keyboard.press("Alt+Shift+KeyS")
        if number < len(TYPED):
            announces(tab, f"Respuesta {number + 1} de 6")

    # The fifth answer came with its earlier mark, shown filled in.
    assert tab.locator("#progress").text_content() == (
        "Respuesta 5 de 6 · 6 corregidas, 0 sin corregir"
    )
    assert [tab.locator(f"#field-{i}").input_value() for i in range(4)] == ["1", "1", "0", "1"]
    assert tab.locator("#comment").input_value() == "Bien"
    # The sixth was given only a score, in the spreadsheet.
    tab.keyboard.press("Alt+Shift+KeyS")
    announces(tab, "Respuesta 6 de 6: Dani")
    assert [tab.locator(f"#field-{i}").input_value() for i in range(4)] == [""] * 4
    assert (
        tab.locator("#total")
        .text_content()
        .startswith("Nota: 2,5 de 4 puntos (puesta sin criterios")
    )
    tab.keyboard.press("Alt+Shift+KeyS")
    announces(tab, "Ya estás en la última respuesta.", exact=True)

    # The work survives a reload (localStorage).
    tab.reload()
    assert tab.locator("#field-1").input_value() == "0,5"
    assert tab.locator("#comment").input_value() == "Muy bien, «Astaná»."

    with tab.expect_download() as info:
        tab.keyboard.press("Alt+Shift+KeyG")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.startswith("notas-putin-kazajistan-2024-")
    assert "6 notas" in tab.locator("#save-status").text_content()

    marks = read_marks(saved, BANK)
    assert marks.problems == []
    assert len(marks) == 6
    expected = [
        ([1, 0.5, 1, 0.5], 3.0, "Muy bien, «Astaná»."),
        ([0, 1, 1, 1], 3.0, ""),
        ([1, 1, 0, 0], 2.0, "Falta el tema del idioma."),
        ([], 1.5, "Correcto"),
        ([1, 1, 0, 1], 3.0, "Bien"),
        ([None] * 4, 2.5, ""),
    ]
    for row, (criteria, score, comment) in zip(ROWS, expected, strict=True):
        student_id, _name, lms, lms_id, item_id, answer = row[:6]
        mark, problem = marks.lookup(student_id, lms, lms_id, item_id, answer)
        assert problem is None and mark is not None, row
        assert list(mark.marking.criteria) == criteria
        assert mark.score == score
        assert mark.marking.comment == comment
        assert mark.answer_sha256 == answer_sha256(answer)
        # The same mark does not apply to a changed answer.
        assert marks.lookup(student_id, lms, lms_id, item_id, answer + " más")[0] is None


def test_filter_and_next_unmarked_skip_what_is_marked(tab: Any) -> None:
    tab.locator("#field-0").focus()
    for value in ("1", "1", "1", "1"):
        tab.keyboard.type(value)
        tab.keyboard.press("Tab")
    tab.keyboard.press("Alt+Shift+KeyN")
    announces(tab, "Respuesta 2 de 6")
    tab.locator("#only-unmarked").check()
    tab.keyboard.press("Alt+Shift+KeyA")
    announces(tab, "No hay respuestas sin corregir antes de esta.", exact=True)
    tab.locator("#only-unmarked").uncheck()
    tab.keyboard.press("Alt+Shift+KeyA")
    announces(tab, "Respuesta 1 de 6")
    announces(tab, "ya corregida")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation_in_light_and_dark_mode(
    browser: Any, marking_page: Path, axe_source: str, scheme: str
) -> None:
    # axe is injected as an inline script, which the page's own policy would refuse.
    for tab in open_tab(browser, marking_page, color_scheme=scheme, bypass_csp=True):
        assert tab.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        assert axe_violations(tab, axe_source) == []
        # With an error shown, too.
        tab.locator("#field-0").fill("7")
        assert tab.locator("#field-0-error").is_visible()
        assert axe_violations(tab, axe_source) == []


def test_works_at_320_px_and_on_touch(browser: Any, marking_page: Path) -> None:
    for tab in open_tab(
        browser, marking_page, viewport={"width": 320, "height": 640}, has_touch=True
    ):
        assert tab.evaluate("document.documentElement.scrollWidth") <= 320
        tab.locator("#next").tap()
        announces(tab, "Respuesta 2 de 6")
        box = tab.locator("#next").bounding_box()
        assert box["height"] >= 44
        tab.locator("#field-0").tap()
        assert focused_id(tab) == "field-0"


def test_the_page_is_one_file_with_a_policy_against_other_hosts(marking_page: Path) -> None:
    page = (marking_page / "corregir.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert html.unescape(policy.group(1)).startswith("default-src 'none'; script-src 'sha256-")
    assert "<script src" not in page and "<link" not in page
    # The student's markup is data, not HTML.
    assert "<b>negrita</b>" not in page


def test_an_empty_class_says_so_without_errors(browser: Any, tmp_path: Path) -> None:
    write_marking_page(tmp_path / "corregir.html", BANK, [])
    for tab in open_tab(browser, tmp_path):
        assert tab.locator("#empty").is_visible()
        assert tab.locator("#progress").text_content() == "No hay respuestas que corregir."
        assert tab.locator("#save").is_disabled()


def test_opened_from_disk_it_keeps_work_and_saves(
    browser: Any, marking_page: Path, tmp_path: Path
) -> None:
    """The instructor double-clicks DIR/corregir.html: a file:// page, no server."""
    context = browser.new_context(accept_downloads=True, locale="es-ES")
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    url = (marking_page / "corregir.html").as_uri()
    tab.goto(url)
    tab.locator("#field-0").focus()
    for value in ("1", "1", "0", "1"):
        tab.keyboard.type(value)
        tab.keyboard.press("Tab")
    tab.reload()
    assert tab.locator("#field-2").input_value() == "0"
    assert tab.locator("#storage-note").is_hidden()
    with tab.expect_download() as info:
        tab.get_by_role("button", name="Guardar las notas").click()
    saved = tmp_path / "notas.json"
    info.value.save_as(saved)
    context.close()
    marks = read_marks(saved, BANK)
    assert marks.problems == [] and len(marks) == 3  # this one, and the two earlier marks
    mark, _ = marks.lookup("e1", "moodle", "17", OPEN[0].id, ROWS[0][5])
    assert mark is not None and mark.marking.criteria == (1, 1, 0, 1) and mark.score == 3
    assert errors == []
    assert [r for r in requests if not r.startswith(("file:", "blob:", "data:"))] == []


def test_typed_work_survives_a_rerun_that_changes_the_class(browser: Any, tmp_path: Path) -> None:
    """A late file arrives and the class is graded again: typed marks are still there."""
    folder = tmp_path / "out"
    folder.mkdir()

    def page(name: str, rows: list[tuple[Any, ...]]) -> None:
        writer = PendingWriter(folder / f"{name}.csv", BANK, keep_rows=True)
        for student_id, person, lms, lms_id, item_id, answer, marking, score in rows:
            possible = BANK.by_id[item_id].points
            writer.add(
                student_id, person, "f.json", item_id, possible, answer, lms, lms_id, marking, score
            )
        writer.close()
        write_marking_page(folder / f"{name}.html", BANK, writer.rows())
        writer.discard()

    page("first", ROWS[:2])
    late = ("e9", "Tardía", "", "", OPEN[0].id, "Llegó tarde.", None, None)
    page("second", [*ROWS[:2], late])
    context = browser.new_context(locale="es-ES")
    tab = context.new_page()
    tab.goto((folder / "first.html").as_uri())
    tab.locator("#field-0").focus()
    tab.keyboard.type("1")
    tab.keyboard.press("Tab")
    tab.goto((folder / "second.html").as_uri())
    assert tab.locator("#field-0").input_value() == "1"
    context.close()

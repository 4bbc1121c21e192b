"""The exercises as a student meets them (issue 13, points 6-8): progress per set, the
review page, warnings before downloading, no explanation before an attempt, confirmations
before erasing, a stable option order, matching in full, no overflow from 320 px, the
exam's own storage, banner and texts, its settings, and answers kept across bank versions.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from comprende.bank import load_bank
from comprende.model import ItemType

from ..conftest import ROOT, build_site
from .conftest import record_errors, serve
from .test_accessibility import axe_violations
from .test_exercises import answer_by_keyboard

BANK = load_bank(ROOT / "exercises")
SETS = {s.id: s for s in BANK.sets}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def item_of(set_id: str, item_type: ItemType) -> Any:
    return next(i for i in SETS[set_id].items if i.type == item_type)


def number_of(item: Any) -> int:
    return [i.id for i in SETS[item.set_id].items].index(item.id) + 1


def new_tab(browser: Any, **options: Any) -> Any:
    """A tab like the `page` fixture's (Spanish, downloads), with console errors collected."""
    context = browser.new_context(accept_downloads=True, locale="es-ES", **options)
    tab = context.new_page()
    tab.errors = []
    record_errors(tab, tab.errors)
    return tab


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    tab = new_tab(browser, **PHONE)
    tab.base = server
    yield tab
    tab.context.close()
    assert tab.errors == []


@pytest.fixture(scope="module")
def same_origin(
    site: Path, exam_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Practice at /practica/, exam at /examen/: one origin, so one localStorage, as when an
    instructor publishes both builds on one web server."""
    root = tmp_path_factory.mktemp("both")
    (root / "practica").symlink_to(site)
    (root / "examen").symlink_to(exam_site)
    yield from serve(root)


def dark(page: Any) -> None:
    page.evaluate("document.body.dataset.theme = 'dark'")


# --- progress per set -------------------------------------------------------------------


def test_progress_is_this_sets_own_and_is_announced_politely(page: Any) -> None:
    item = item_of("global", ItemType.SINGLE)
    page.goto(page.base + "ejercicios/global.html")
    top = page.locator(".cp-set-progress")
    live = page.locator(".cp-set-actions .cp-score")
    assert live.get_attribute("aria-live") == "polite"
    total = len(SETS["global"].items)
    possible = f"{sum(i.points for i in SETS['global'].items):g}"
    expect(top).to_have_text(
        f"Has respondido 0 de {total} preguntas de esta serie. Puntuación de esta serie: "
        f"0 de {possible} puntos (0 preguntas comprobadas)."
    )
    answer_by_keyboard(page, item, next(o.id for o in item.options if o.correct))
    expect(top).to_contain_text(f"Has respondido 1 de {total} preguntas")
    expect(live).to_contain_text(f"Has respondido 1 de {total} preguntas")
    page.locator(f"#item-{item.id} .cp-check").click()
    expect(live).to_contain_text(f"Puntuación de esta serie: {item.points:g} de {possible} puntos")
    expect(live).to_contain_text("(1 pregunta comprobada)")
    # another set's page counts its own questions, not this one
    page.goto(page.base + "ejercicios/detalle.html")
    expect(page.locator(".cp-set-progress")).to_contain_text(
        f"Has respondido 0 de {len(SETS['detalle'].items)} preguntas"
    )
    # the index: every set, linked, with its progress
    page.goto(page.base + "ejercicios/index.html")
    assert "Esto es un examen" not in page.locator("article[role=main]").inner_text()
    assert page.locator(".cp-exam-banner").count() == 0
    assert page.locator(".cp-progress-list").get_attribute("aria-live") == "polite"
    rows = page.locator(".cp-progress-set")
    expect(rows).to_have_count(len(BANK.sets))
    # typing the name changes no line, so nothing is announced; only changed lines are rewritten
    line = rows.first.locator(".cp-progress-line")
    line.evaluate("node => (node.dataset.same = 'yes')")
    page.locator("#cp-student-name").fill("Ana")
    expect(line).to_have_attribute("data-same", "yes")
    first = rows.first
    expect(first.get_by_role("link", name=SETS["global"].title)).to_have_attribute(
        "href", "global.html"
    )
    expect(first).to_contain_text(f"1 de {total} preguntas respondidas")
    expect(first).to_contain_text(f"{item.points:g} de {possible} puntos")


# --- review and download ----------------------------------------------------------------


def test_review_lists_unanswered_and_invalid_answers_linked_to_their_question(page: Any) -> None:
    numeric = item_of("detalle", ItemType.NUMERIC)
    short = item_of("detalle", ItemType.SHORT)
    page.goto(page.base + "ejercicios/detalle.html")
    answer_by_keyboard(page, numeric, "ochenta")
    answer_by_keyboard(page, short, "Astana")
    page.goto(page.base + "ejercicios/revisar.html")
    review = page.locator(".cp-review-list")
    expect(review.locator(".cp-review-summary")).to_have_attribute("role", "status")
    expect(review.locator(".cp-review-summary")).to_have_text(
        f"Te faltan {len(BANK.items) - 2} preguntas por responder y hay 1 respuesta no válida."
    )
    detalle = review.locator(".cp-review-set", has_text=SETS["detalle"].title)
    invalid = detalle.locator(".cp-review-problem-invalid")
    expect(invalid).to_have_count(1)
    expect(invalid).to_contain_text(f"Pregunta {number_of(numeric)}: respuesta no válida")
    expect(invalid).to_contain_text("se esperaba un número")
    link = invalid.get_by_role("link")
    expect(link).to_have_attribute("href", f"detalle.html#item-{numeric.id}")
    missing = detalle.locator(".cp-review-missing")
    expect(missing).to_contain_text("Sin responder: pregunta ")
    unanswered = missing.get_by_role("link").all_inner_texts()
    assert len(unanswered) == len(SETS["detalle"].items) - 2
    assert f"pregunta {number_of(short)}" not in unanswered
    link.click()
    page.wait_for_url(f"**/detalle.html#item-{numeric.id}")
    assert page.locator(f"#{numeric.id}--input").input_value() == "ochenta"


def test_download_warns_about_invalid_answers_and_still_lets_the_student_download(
    page: Any,
) -> None:
    numeric = item_of("detalle", ItemType.NUMERIC)
    page.goto(page.base + "ejercicios/detalle.html")
    answer_by_keyboard(page, numeric, "ochenta")
    page.locator("#cp-student-id").fill("C-3")
    page.locator("#cp-student-name").fill("Carla")
    page.locator(".cp-download").click()
    dialog = page.get_by_role("dialog", name="Hay una respuesta no válida")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        f"«{SETS['detalle'].title}», pregunta {number_of(numeric)}: se esperaba un número"
    )
    dialog.get_by_role("button", name="Volver para corregirlas").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".cp-status")).to_contain_text("No se ha descargado nada")
    page.locator(".cp-download").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Descargar de todos modos").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["answers"] == {numeric.id: "ochenta"}
    expect(page.locator(".cp-status")).to_contain_text("Una respuesta no es válida")


def test_a_valid_download_asks_nothing(page: Any) -> None:
    short = item_of("detalle", ItemType.SHORT)
    page.goto(page.base + "ejercicios/revisar.html")
    page.goto(page.base + "ejercicios/detalle.html")
    answer_by_keyboard(page, short, "Astana")
    page.goto(page.base + "ejercicios/revisar.html")
    page.locator("#cp-student-id").fill("D-4")
    page.locator("#cp-student-name").fill("Dora")
    with page.expect_download():
        page.locator(".cp-download").click()
    assert page.get_by_role("dialog").count() == 0


def test_an_uploaded_file_with_an_invalid_answer_says_which(page: Any, tmp_path: Path) -> None:
    numeric = item_of("detalle", ItemType.NUMERIC)
    matching = item_of("global", ItemType.MATCHING)
    upload = tmp_path / "respuestas.json"
    answers = {numeric.id: "muchos", matching.id: {matching.left[0].id: "no-existe"}}
    upload.write_text(
        json.dumps({"module": BANK.id, "student": {"id": "E", "name": "Eli"}, "answers": answers}),
        encoding="utf-8",
    )
    page.goto(page.base + "ejercicios/index.html")  # a page without those questions
    page.locator("#cp-upload").set_input_files(str(upload))
    status = page.locator(".cp-status")
    expect(status).to_contain_text("Cargadas 2 respuestas")
    expect(status).to_contain_text("2 respuestas no son válidas")
    expect(status).to_contain_text(f"«{SETS['detalle'].title}», pregunta {number_of(numeric)}")
    expect(status).to_contain_text(f"«{SETS['global'].title}», pregunta {number_of(matching)}")


# --- feedback only after a real attempt ---------------------------------------------------


@pytest.mark.parametrize(
    ("set_id", "item_type"),
    [
        ("global", ItemType.SINGLE),
        ("global", ItemType.ORDERING),
        ("global", ItemType.MATCHING),
        ("detalle", ItemType.CLOZE),
        ("detalle", ItemType.NUMERIC),
        ("global", ItemType.MULTIPLE),
        ("evidencia", "dos-partes"),
        ("evidencia", "seleccionar-en-el-texto"),
    ],
    ids=str,
)
def test_checking_an_empty_answer_says_so_and_reveals_nothing(
    page: Any, set_id: str, item_type: ItemType
) -> None:
    item = item_of(set_id, item_type)
    page.goto(f"{page.base}ejercicios/{set_id}.html")
    page.locator(f"#item-{item.id} .cp-check").click()
    feedback = page.locator(f"#{item.id}--feedback")
    expect(feedback).to_contain_text("Sin respuesta.")
    text = feedback.inner_text()
    assert "Por qué" not in text and "En el artículo" not in text, text
    assert feedback.locator("a").count() == 0
    assert item.explanation[:40] not in text
    expect(page.locator(".cp-set-progress")).to_contain_text("(0 preguntas comprobadas)")


def test_an_ordering_kept_as_it_starts_is_an_answer(page: Any) -> None:
    item = item_of("global", ItemType.ORDERING)
    page.goto(page.base + "ejercicios/global.html")
    section = page.locator(f"#item-{item.id}")
    start = section.locator(".cp-order-item").evaluate_all("els => els.map(e => e.dataset.element)")
    section.get_by_role("button", name="Este orden es mi respuesta").click()
    section.locator(".cp-check").click()
    expect(page.locator(f"#{item.id}--feedback")).not_to_contain_text("Sin respuesta")
    stored = page.evaluate(
        "key => JSON.parse(localStorage.getItem(key)).answers", f"comprende:{BANK.id}:practica"
    )
    assert stored[item.id] == start


def test_checking_all_unanswered_reveals_no_explanation(page: Any) -> None:
    page.goto(page.base + "ejercicios/global.html")
    page.get_by_role("button", name="Comprobar todas").click()
    main = page.locator("article[role=main]").inner_text()
    assert "Por qué:" not in main
    assert "Ver la frase en el artículo" not in main
    expect(page.locator(".cp-feedback", has_text="Sin respuesta.")).to_have_count(
        len([i for i in SETS["global"].items if i.auto_graded])
    )


# --- destructive actions ------------------------------------------------------------------


def essay_and_choice(page: Any) -> tuple[Any, Any]:
    essay = item_of("global", ItemType.OPEN)
    choice = item_of("global", ItemType.SINGLE)
    page.goto(page.base + "ejercicios/global.html")
    answer_by_keyboard(page, choice, choice.options[0].id)
    answer_by_keyboard(page, essay, "Kazajistán necesita a Rusia para vender su petróleo.")
    return essay, choice


def test_retry_asks_first_by_keyboard_names_the_essay_and_cancel_keeps_everything(
    page: Any,
) -> None:
    essay, choice = essay_and_choice(page)
    page.locator(".cp-retry").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="¿Reintentar esta serie?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("las 2 preguntas que has respondido")
    expect(dialog).to_contain_text(
        f"El texto que has escrito en «{SETS['global'].title}», pregunta {number_of(essay)} "
        "(8 palabras)."
    )
    assert page.evaluate("document.activeElement.textContent") == "Cancelar"
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert page.evaluate("document.activeElement.classList.contains('cp-retry')")
    assert page.locator(f"#{essay.id}--input").input_value().startswith("Kazajistán")
    page.reload()
    assert page.locator(f"#item-{choice.id} input:checked").count() == 1
    # confirmed with the keyboard: Tab from «Cancelar» to the erasing button, Enter
    page.locator(".cp-retry").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").endswith("Sí, borrar esta serie")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{essay.id}--input")).to_have_value("")
    page.reload()
    assert page.locator(f"#item-{choice.id} input:checked").count() == 0
    assert page.locator(f"#{essay.id}--input").input_value() == ""


def test_clear_all_on_a_phone_asks_with_a_tap_and_says_what_is_lost(phone: Any) -> None:
    essay, choice = essay_and_choice(phone)
    phone.locator(".cp-clear").tap()
    dialog = phone.get_by_role("dialog", name="¿Borrar todas tus respuestas?")
    expect(dialog).to_contain_text("las 2 preguntas")
    expect(dialog).to_contain_text("descárgalas antes")
    expect(dialog).to_contain_text(f"pregunta {number_of(essay)} (8 palabras)")
    dialog.get_by_role("button", name="Cancelar").tap()
    assert phone.locator(f"#{essay.id}--input").input_value() != ""
    phone.locator(".cp-clear").tap()
    phone.get_by_role("button", name="Sí, borrar todas").tap()
    expect(phone.locator(".cp-status")).to_have_text("Se han borrado todas tus respuestas.")
    phone.reload()
    assert phone.locator(f"#item-{choice.id} input:checked").count() == 0


CONTRAST = """node => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const style = getComputedStyle(node);
  let back = style.backgroundColor, el = node;
  while (/rgba\\(.*, 0\\)|transparent/.test(back) && el.parentElement) { el = el.parentElement; back = getComputedStyle(el).backgroundColor; }
  const [a, b] = [lum(style.color), lum(back)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), background: style.backgroundColor, border: style.borderStyle, color: style.color};
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_erasing_buttons_look_different_from_checking_and_pass_contrast(
    page: Any, theme: str
) -> None:
    page.goto(page.base + "ejercicios/global.html")
    if theme == "dark":
        dark(page)
    check = page.locator(".cp-check-all").evaluate(CONTRAST)
    for selector in (".cp-retry", ".cp-clear"):
        danger = page.locator(selector).evaluate(CONTRAST)
        assert danger["background"] != check["background"], selector
        assert danger["border"] == "dashed" and check["border"] == "solid", selector
        assert danger["ratio"] >= 4.5, (selector, danger)
    assert check["ratio"] >= 4.5, check


# --- stable option order ----------------------------------------------------------------


def option_order(page: Any, item: Any) -> list[str]:
    return page.locator(f"#item-{item.id} .cp-options input").evaluate_all(
        "els => els.map(e => e.value)"
    )


def test_typing_the_student_id_does_not_reshuffle_until_it_is_committed(page: Any) -> None:
    item = item_of("global", ItemType.SINGLE)
    page.goto(page.base + "ejercicios/global.html")
    before = option_order(page, item)
    page.locator("#cp-student-id").focus()
    for character in "estudiante-2":
        page.keyboard.type(character)
        assert option_order(page, item) == before
    page.keyboard.press("Tab")  # committed: the order is now this student's
    committed = option_order(page, item)
    assert sorted(committed) == sorted(before)
    page.reload()
    assert option_order(page, item) == committed
    assert page.locator("#cp-student-id").input_value() == "estudiante-2"
    # once answered, the order is fixed: a new id, even committed, moves nothing
    other = item_of("global", ItemType.MULTIPLE)
    answer_by_keyboard(page, item, committed[1])
    others = option_order(page, other)
    page.locator("#cp-student-id").fill("estudiante-7")
    page.locator("#cp-student-id").press("Enter")
    assert option_order(page, item) == committed
    assert option_order(page, other) == others
    page.reload()
    assert option_order(page, item) == committed
    assert page.locator(f"#item-{item.id} input:checked").get_attribute("value") == committed[1]


# --- matching and widths ----------------------------------------------------------------


def test_matching_shows_every_option_in_full_and_works_with_taps(phone: Any) -> None:
    item = item_of("contexto", ItemType.MATCHING)  # the longest options of the bank
    phone.goto(phone.base + "ejercicios/contexto.html")
    section = phone.locator(f"#item-{item.id}")
    assert section.locator("select").count() == 0
    shown = section.locator(".cp-match-text").all_inner_texts()
    assert sorted(shown) == sorted(c.text for c in item.right)
    for text in section.locator(".cp-match-text").all():
        assert text.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    first_left = item.left[0]
    group = section.locator(f'.cp-pair[data-left="{first_left.id}"]')
    target = dict(item.pairs)[first_left.id]
    label = group.locator(f'label[for="{item.id}--{first_left.id}--{target}"]')
    box = label.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a finger-sized target
    group.locator(f'input[value="{target}"]').tap()  # the radio covers its letter box
    full = next(c.text for c in item.right if c.id == target)
    expect(group.locator(".cp-pair-choice")).to_contain_text(full)
    phone.reload()
    expect(group.locator("input:checked")).to_have_value(target)
    expect(group.locator(".cp-pair-choice")).to_contain_text(full)


@pytest.mark.parametrize("width", [320, 390])
def test_no_widget_overflows_its_card(browser: Any, server: str, width: int) -> None:
    tab = new_tab(browser, viewport={"width": width, "height": 800})
    found = {}
    for item_set in BANK.sets:
        tab.goto(f"{server}ejercicios/{item_set.id}.html")
        wide = tab.evaluate(
            """() => {
              const out = [];
              if (document.documentElement.scrollWidth > document.documentElement.clientWidth)
                out.push('page ' + document.documentElement.scrollWidth);
              for (const card of document.querySelectorAll('.cp-item, .cp-panel')) {
                const style = getComputedStyle(card);  // its content box
                const right = card.getBoundingClientRect().right - parseFloat(style.paddingRight)
                  - parseFloat(style.borderRightWidth) + 0.5;
                for (const el of card.querySelectorAll('*')) {
                  const box = el.getBoundingClientRect();
                  const own = getComputedStyle(el);  // a heading's padding may reach out
                  if (box.width && box.right - parseFloat(own.paddingRight) > right
                      && !el.closest('.cp-visually-hidden') && own.position !== 'absolute')
                    out.push((card.id || card.className) + ' ' + el.tagName + '.' + el.className);
                }
              }
              return out.slice(0, 5);
            }"""
        )
        if wide:
            found[item_set.id] = wide
    tab.context.close()
    assert found == {}
    assert tab.errors == []


# --- exam mode --------------------------------------------------------------------------


def test_the_exam_is_never_prefilled_from_practice(browser: Any, same_origin: str) -> None:
    item = item_of("detalle", ItemType.SHORT)
    tab = new_tab(browser)
    tab.goto(same_origin + "practica/ejercicios/detalle.html")
    answer_by_keyboard(tab, item, "Astana")
    tab.locator("#cp-student-id").fill("P-1")
    tab.goto(same_origin + "examen/ejercicios/detalle.html")
    banner = tab.locator(".cp-exam-banner")
    expect(banner).to_be_visible()
    expect(banner.locator(".cp-exam-banner-title")).to_have_text("Examen")
    assert tab.locator(f"#{item.id}--input").input_value() == ""
    assert tab.locator("#cp-student-id").input_value() == ""
    expect(tab.locator(".cp-set-progress")).to_contain_text("Has respondido 0 de")
    # the exam's answers are its own, and practice keeps its own
    answer_by_keyboard(tab, item, "Almaty")
    tab.goto(same_origin + "practica/ejercicios/detalle.html")
    assert tab.locator(f"#{item.id}--input").input_value() == "Astana"
    tab.goto(same_origin + "examen/ejercicios/detalle.html")
    assert tab.locator(f"#{item.id}--input").input_value() == "Almaty"
    keys = tab.evaluate("Object.keys(localStorage).sort()")
    assert keys == [f"comprende:{BANK.id}:examen", f"comprende:{BANK.id}:practica"]
    tab.context.close()
    assert tab.errors == []


def test_exam_pages_speak_of_the_exam_not_of_checking(page: Any, exam_server: str) -> None:
    for path in ("ejercicios/index.html", "ejercicios/global.html", "ejercicios/revisar.html"):
        page.goto(exam_server + path)
        main = page.locator("article[role=main]").inner_text()
        assert "Comprobar" not in main, path
        assert "Reintentar" not in main, path
        expect(page.locator(".cp-exam-banner")).to_contain_text("descarga el archivo")
    page.goto(exam_server + "ejercicios/index.html")
    main = page.locator("article[role=main]").inner_text()
    assert "Esto es un examen" in main
    assert "Tus respuestas del examen" in main
    page.goto(exam_server + "ejercicios/global.html")
    expect(page.locator(".cp-set-progress")).to_have_text(
        f"Has respondido 0 de {len(SETS['global'].items)} preguntas de esta serie."
    )


@pytest.fixture(scope="module")
def bare_exam_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bare-exam")
    result = build_site(
        out,
        mode="exam",
        overrides=("comprende_exam_glossary=0", "comprende_exam_links=0"),
    )
    assert result.returncode == 0, result.stderr
    return out


def test_exam_settings_hide_the_glossary_and_the_help_links(
    exam_site: Path, bare_exam_site: Path
) -> None:
    def count(site: Path, page: str, selector: str) -> int:
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        return len(soup.select(selector))

    assert count(exam_site, "articulo.html", ".cp-para-text a[href^='glosario.html#']") > 20
    assert count(exam_site, "ejercicios/contexto.html", "p.cp-context") > 5
    assert count(bare_exam_site, "articulo.html", ".cp-para-text a") == 0
    assert count(bare_exam_site, "ejercicios/contexto.html", "p.cp-context") == 0
    assert count(bare_exam_site, "ejercicios/contexto.html", ".cp-exam-banner") == 1


# --- bank versions ----------------------------------------------------------------------

REMOVED = "global-contraste"
CHANGED = (
    "global-tema",
    "¿Cuál es el tema principal del artículo?",
    "¿De qué trata sobre todo el artículo?",
)


@pytest.fixture(scope="module")
def next_version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site with the bank's next version: one prompt reworded, one item removed."""
    root = tmp_path_factory.mktemp("next-version")
    for folder in ("docs", "exercises", "seeds"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("_build"))
    module = root / "exercises" / "module.yaml"
    module.write_text(
        module.read_text(encoding="utf-8").replace(
            f"version: {BANK.version}", f"version: {BANK.version + 1}"
        ),
        encoding="utf-8",
    )
    bank = root / "exercises" / "global.yaml"
    text = bank.read_text(encoding="utf-8")
    assert text.count(CHANGED[1]) == 1
    text = text.replace(CHANGED[1], CHANGED[2])
    start = text.index(f"\n  - id: {REMOVED}\n")
    end = text.index("\n  - id: ", start + 1)  # the next item (its options are deeper)
    bank.write_text(text[:start] + text[end:], encoding="utf-8")
    out = root / "site"
    result = build_site(out, docs=root / "docs")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def two_versions(
    site: Path, next_version: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    root = tmp_path_factory.mktemp("versions")
    (root / "antes").symlink_to(site)
    (root / "despues").symlink_to(next_version)
    yield from serve(root)


def test_a_new_bank_version_keeps_unchanged_answers_and_says_once_what_was_dropped(
    browser: Any, two_versions: str
) -> None:
    changed = BANK.item(CHANGED[0])
    kept = item_of("global", ItemType.TRUE_FALSE)
    short = item_of("detalle", ItemType.SHORT)
    tab = new_tab(browser)
    tab.goto(two_versions + "antes/ejercicios/global.html")
    answer_by_keyboard(tab, changed, changed.options[0].id)
    answer_by_keyboard(tab, kept, True)
    removed = BANK.item(REMOVED)
    answer_by_keyboard(tab, removed, removed.options[0].id)
    tab.goto(two_versions + "antes/ejercicios/detalle.html")
    answer_by_keyboard(tab, short, "Astana")
    tab.goto(two_versions + "despues/ejercicios/global.html")
    notice = tab.locator(".cp-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Se han conservado tus respuestas")
    expect(notice.locator("li")).to_have_text(
        [
            f"«{SETS['global'].title}», pregunta {number_of(changed)} (ha cambiado)",
            f"«{SETS['global'].title}», pregunta {number_of(removed)} (ya no existe)",
        ]
    )
    expect(notice).to_contain_text("se han quitado las de estas 2 preguntas")
    assert tab.locator(f"#item-{changed.id} input:checked").count() == 0
    expect(tab.locator(f"#item-{kept.id} input:checked")).to_have_value("true")
    tab.goto(two_versions + "despues/ejercicios/detalle.html")
    assert tab.locator(".cp-notice").count() == 0  # said once
    assert tab.locator(f"#{short.id}--input").input_value() == "Astana"
    tab.goto(two_versions + "despues/ejercicios/global.html")
    assert tab.locator(".cp-notice").count() == 0
    tab.context.close()
    assert tab.errors == []


def test_answers_saved_under_the_old_key_move_to_practice_only(
    browser: Any, same_origin: str
) -> None:
    short = item_of("detalle", ItemType.SHORT)
    tab = new_tab(browser)
    tab.goto(same_origin + "practica/ejercicios/index.html")
    old = {"student": {"id": "V", "name": "Vera"}, "answers": {short.id: "Astana"}, "checked": {}}
    tab.evaluate(
        "([key, value]) => { localStorage.clear(); localStorage.setItem(key, value); }",
        [f"comprende:{BANK.id}:v{BANK.version}", json.dumps(old)],
    )
    tab.goto(same_origin + "examen/ejercicios/detalle.html")
    assert tab.locator(f"#{short.id}--input").input_value() == ""
    tab.goto(same_origin + "practica/ejercicios/detalle.html")
    assert tab.locator(f"#{short.id}--input").input_value() == "Astana"
    assert tab.locator(".cp-notice").count() == 0
    keys = tab.evaluate("Object.keys(localStorage).sort()")
    assert f"comprende:{BANK.id}:v{BANK.version}" not in keys
    tab.context.close()
    assert tab.errors == []


# --- accessibility of what changed --------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_changed_pages_have_no_axe_violation(
    page: Any, exam_server: str, axe_source: str, theme: str
) -> None:
    found = {}

    def audit(name: str) -> None:
        if theme == "dark":
            dark(page)
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = violations

    numeric = item_of("detalle", ItemType.NUMERIC)
    page.goto(page.base + "ejercicios/detalle.html")
    answer_by_keyboard(page, numeric, "ochenta")
    page.get_by_role("button", name="Comprobar todas").click()
    audit("detalle, checked")
    page.locator(".cp-retry").click()
    audit("detalle, confirmation")
    page.keyboard.press("Escape")
    page.goto(page.base + "ejercicios/revisar.html")
    expect(page.locator(".cp-review-problem-invalid")).to_have_count(1)
    audit("revisar")
    page.goto(page.base + "ejercicios/index.html")
    expect(page.locator(".cp-progress-set")).to_have_count(len(BANK.sets))
    audit("index")
    page.goto(page.base + "ejercicios/global.html")
    audit("global (matching)")
    for path in ("ejercicios/index.html", "ejercicios/global.html", "ejercicios/revisar.html"):
        page.goto(exam_server + path)
        audit(f"exam {path}")
    assert found == {}

"""The article as a reader meets it (issue 13, points 1, 2 and 5): reading modes, glossary
previews beside their word (mouse, keyboard and touch), skipping a paragraph's words,
context notes on demand, and the editorial header; on desktop and on a 390×844 phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from comprende.glossary import LEVELS, find_occurrences, load_glossary

from ..conftest import DOCS, SEED, build_site
from .conftest import record_errors, serve
from .test_accessibility import axe_violations
from .test_theme import set_scheme

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def occurrences() -> list[Any]:
    from comprende.article import load_article

    article = load_article(SEED)
    terms = load_glossary(DOCS / "_data" / "glosario.yaml", article)
    return [occ for text in article.paragraphs for occ in find_occurrences(text, terms)]


OCCURRENCES = occurrences()
B2_AND_UP = [o for o in OCCURRENCES if LEVELS.index(o.term.level) >= LEVELS.index("B2")]


def new_tab(browser: Any, base: str, **options: Any) -> Any:
    """A tab that records console errors and every request that is not to the site."""
    context = browser.new_context(locale="es-ES", **options)
    tab = context.new_page()
    tab.errors, tab.foreign, tab.base = [], [], base

    def route(route: Any) -> None:
        if route.request.url.startswith((base, "data:", "blob:", "file:")):
            route.continue_()
        else:
            tab.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    record_errors(tab, tab.errors)
    return tab


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    tab = new_tab(browser, server, **PHONE)
    yield tab
    tab.context.close()
    assert tab.errors == [] and tab.foreign == []


def open_article(page: Any, query: str = "") -> None:
    page.goto(page.base + "articulo.html" + query)
    expect(page.locator(".cp-reader")).to_be_visible()


def choose(page: Any, mode: str) -> None:
    page.locator(".cp-modes").get_by_label(mode, exact=True).check()


def marked(page: Any) -> int:
    return int(page.locator(".cp-para-text a.cp-term[href]").count())


def visible_notes(page: Any) -> int:
    return int(page.locator("aside.cp-context:visible").count())


# --- the modes -----------------------------------------------------------------------------


def test_the_default_mode_marks_only_the_words_at_b2_or_above(page: Any) -> None:
    open_article(page)
    expect(page.get_by_label("Con glosario", exact=True)).to_be_checked()
    assert marked(page) == len(B2_AND_UP) < len(OCCURRENCES)
    levels = page.locator(".cp-para-text a.cp-term").evaluate_all(
        "links => links.map(a => document.getElementById("
        "a.getAttribute('aria-describedby')).parentElement.dataset.level)"
    )
    assert set(levels) <= {"B2", "C1", "C2"}
    # The easier words read as plain text: no link, no Tab stop, no description.
    easy = page.locator(".cp-para-text a.cp-term-off")
    assert easy.count() == len(OCCURRENCES) - len(B2_AND_UP)
    assert easy.first.get_attribute("href") is None
    assert visible_notes(page) == 0
    expect(page.locator(".cp-mode-help:visible")).to_contain_text("B2 o superior")


def test_mark_all_marks_every_word_and_is_remembered(page: Any) -> None:
    open_article(page)
    page.get_by_label("Marcar todas las palabras del glosario").check()
    assert marked(page) == len(OCCURRENCES)
    page.reload()
    expect(page.get_by_label("Marcar todas las palabras del glosario")).to_be_checked()
    assert marked(page) == len(OCCURRENCES)


def test_only_the_text_shows_no_marks_and_no_notes_and_is_remembered(
    page: Any, article: Any
) -> None:
    open_article(page)
    choose(page, "Solo el texto")
    assert marked(page) == 0
    assert page.locator(".cp-para-text a[href]").count() == 0
    assert visible_notes(page) == 0
    assert page.locator(".cp-notes-toggle:visible").count() == 0
    expect(page.get_by_label("Marcar todas las palabras del glosario")).to_be_disabled()
    texts = page.locator(".cp-para-text").all_inner_texts()
    assert [" ".join(t.split()) for t in texts] == [" ".join(p.split()) for p in article.paragraphs]
    page.reload()
    expect(page.get_by_label("Solo el texto", exact=True)).to_be_checked()
    assert marked(page) == 0


def test_with_notes_each_paragraph_opens_its_notes_on_demand(page: Any) -> None:
    open_article(page)
    choose(page, "Con notas")
    assert marked(page) == len(B2_AND_UP)
    toggles = page.locator(".cp-notes-toggle")
    assert toggles.count() == 11
    assert visible_notes(page) == 0
    toggle = page.get_by_role("button", name="Contexto del párrafo 6", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    notes = page.locator("#" + str(toggle.get_attribute("aria-controls")))
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(notes).to_be_visible()
    expect(notes.locator(".cp-context-more a").first).to_be_visible()
    assert visible_notes(page) == 1
    page.keyboard.press("Space")
    expect(notes).to_be_hidden()


def test_the_modes_are_one_radio_group_for_the_keyboard(page: Any) -> None:
    open_article(page)
    page.get_by_label("Con glosario", exact=True).focus()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_label("Solo el texto", exact=True)).to_be_checked()
    assert marked(page) == 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Con notas", exact=True)).to_be_checked()
    assert page.locator(".cp-notes-toggle:visible").count() == 11


def test_without_a_script_the_article_is_whole(browser: Any, server: str) -> None:
    """No script: every word linked, every note shown, no tools that would do nothing."""
    tab = new_tab(browser, server, java_script_enabled=False)
    tab.goto(server + "articulo.html")
    words = tab.locator(".cp-para-text a")
    hrefs = words.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"glosario.html#{o.term.id}" for o in OCCURRENCES]
    styles = words.evaluate_all("links => links.map(a => getComputedStyle(a).textDecorationStyle)")
    assert set(styles) == {"dotted"}  # marked as glossary words, the script or not
    assert tab.locator("aside.cp-context:visible").count() == 11
    expect(tab.locator(".cp-reader")).to_be_hidden()
    tab.context.close()


# --- the keyboard: tab stops and the skip link ---------------------------------------------


def tab_stops(page: Any, limit: int = 300) -> list[dict[str, Any]]:
    """Each element Tab reaches from the top of the page, in order, until the footer."""
    page.reload()
    expect(page.locator(".cp-reader")).to_be_visible()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => { const e = document.activeElement;
                 return {cls: e.className || e.tagName, text: (e.textContent || '').trim(),
                         inArticle: !!e.closest('.cp-article'),
                         para: e.closest('.cp-para-block') ? [...document.querySelectorAll(
                           '.cp-para-block')].indexOf(e.closest('.cp-para-block')) + 1 : 0} }"""
        )
        if stops and not stop["inArticle"] and stops[-1]["inArticle"]:
            break
        stops.append(stop)
    return stops


def test_a_paragraph_s_words_can_be_skipped(page: Any) -> None:
    open_article(page)
    stops = tab_stops(page)
    in_article = [s for s in stops if s["inArticle"]]
    terms = [s for s in in_article if s["cls"] == "cp-term"]
    assert len(terms) == len(B2_AND_UP)
    # Every paragraph with two or more marked words starts with its skip link.
    for number in range(1, 12):
        mine = [s for s in in_article if s["para"] == number]
        words = [s for s in mine if s["cls"] == "cp-term"]
        if len(words) >= 2:
            skip = next(i for i, s in enumerate(mine) if s["cls"] == "cp-skip")
            first = next(i for i, s in enumerate(mine) if s["cls"] == "cp-term")
            assert skip < first, number
            assert (
                mine[skip]["text"]
                == f"Saltar las {len(words)} palabras marcadas del párrafo {number}"
            )
    # The skip link of paragraph 6 leads past its words, to the paragraph's tools.
    skip = page.locator("#p6 .cp-skip")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "p6-fin"
    page.keyboard.press("Tab")  # (no voice here, so no «Escuchar el párrafo 6»)
    expect(page.locator("#p7 .cp-para-num")).to_be_focused()


def keys_to_cross(page: Any, *, skip: bool) -> tuple[int, int]:
    """(keys pressed, the stop of the first marked word) from the top of the page to past
    the article, pressing Enter on each skip link if ``skip``."""
    page.reload()  # Tab from the top of the page
    expect(page.locator(".cp-reader")).to_be_visible()
    keys, first, seen_article = 0, 0, False
    for _ in range(400):
        page.keyboard.press("Tab")
        keys += 1
        where = page.evaluate(
            "[document.activeElement.className, !!document.activeElement.closest('.cp-article')]"
        )
        if where[0] == "cp-term" and not first:
            first = keys
        if seen_article and not where[1]:
            return keys, first
        seen_article = seen_article or where[1]
        if skip and where[0] == "cp-skip":
            page.keyboard.press("Enter")
            keys += 1
    raise AssertionError("Tab never left the article")


def test_fewer_tab_stops_than_before(page: Any) -> None:
    """Before issue 13: 129 stops in the article (99 words, all linked), the first word
    the 17th stop from the top of the page."""
    open_article(page)
    stops = [s for s in tab_stops(page) if s["inArticle"]]
    crossing, first = keys_to_cross(page, skip=False)
    skipping, _ = keys_to_cross(page, skip=True)
    choose(page, "Solo el texto")
    bare = [s for s in tab_stops(page) if s["inArticle"]]
    print(
        f"\ntab stops in the article: {len(stops)} (Con glosario), {len(bare)} (Solo el texto);"
        f" first word at {first}; keys to cross: {crossing}, {skipping} with the skip links"
    )
    assert len(stops) < 129 and len(bare) < len(stops)
    assert first <= 24  # 15 stops of the theme, then the header's 3 links and the 2 tools
    assert not any(s["cls"] == "cp-term" for s in bare)
    assert skipping < crossing - 20


# --- the previews ------------------------------------------------------------------------------


def box(locator: Any) -> dict[str, float]:
    result = locator.bounding_box()
    assert result is not None
    return dict(result)


def assert_beside(tip: Any, term: Any, width: float) -> None:
    """The preview starts just under (or over) its word, and stays inside the viewport.

    Both boxes are read at once: the theme scrolls smoothly, so two reads could fall at
    two moments of a scroll. A word broken over two lines: the preview follows its first
    line (or sits over it).
    """
    t, first, last = term.evaluate(
        """(e, tip) => { const r = e.getClientRects(), f = r[0], l = r[r.length - 1];
             const b = tip.getBoundingClientRect();
             return [{x: b.left, y: b.top, width: b.width, height: b.height},
                     {x: f.left, y: f.top}, {y: l.bottom}]; }""",
        tip.element_handle(),
    )
    assert t["x"] >= 0 and t["x"] + t["width"] <= width
    below = 0 <= t["y"] - last["y"] <= 12
    above = 0 <= first["y"] - (t["y"] + t["height"]) <= 12
    assert below or above, (t, first, last)
    if t["width"] + first["x"] <= width - 8:
        assert abs(t["x"] - first["x"]) <= 2  # it starts at the word, not at the paragraph's edge


def preview_of(page: Any, term: Any) -> Any:
    return page.locator("#" + str(term.get_attribute("aria-describedby")))


def test_the_preview_appears_beside_its_word_on_hover_and_focus(page: Any) -> None:
    open_article(page)
    term = page.locator("#p6 a.cp-term").nth(2)
    tip = preview_of(page, term)
    expect(tip).to_be_hidden()
    term.hover()
    expect(tip).to_be_visible()
    expect(tip).to_have_attribute("role", "tooltip")
    assert_beside(page.locator(".cp-preview"), term, page.viewport_size["width"])
    # The pointer can move onto the preview without losing it (WCAG 1.4.13).
    page.mouse.move(box(tip)["x"] + 4, box(tip)["y"] + 4, steps=4)
    page.wait_for_timeout(400)
    expect(tip).to_be_visible()
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()
    # The keyboard: focus shows it, the word is described by it, Escape hides it.
    term.focus()
    expect(tip).to_be_visible()
    expect(term).to_have_accessible_description(tip.inner_text())
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(term).to_be_focused()


def test_a_focused_word_keeps_its_preview_under_the_mouse(page: Any) -> None:
    """The keyboard wins: the pointer resting on another word (or a word scrolling under
    it) does not take the focused word's preview away."""
    open_article(page)
    focused, other = page.locator("#p3 a.cp-term").nth(0), page.locator("#p3 a.cp-term").nth(3)
    focused.focus()
    other.hover()
    expect(preview_of(page, focused)).to_be_visible()
    expect(preview_of(page, other)).to_be_hidden()


def test_one_preview_per_term_for_every_occurrence(page: Any) -> None:
    open_article(page)
    page.get_by_label("Marcar todas las palabras del glosario").check()
    described = page.locator("a.cp-term").evaluate_all(
        "links => links.map(a => a.getAttribute('aria-describedby'))"
    )
    assert len(described) == len(OCCURRENCES) > len(set(described))
    assert described == [f"cp-tip-{o.term.id}" for o in OCCURRENCES]  # its entry's preview
    assert page.locator("[role=tooltip]").count() == len(set(described))
    # A term met twice shows the same preview at each of its words.
    twice = page.locator('a.cp-term[href$="#cooperacion"]')
    assert twice.count() >= 2
    for index in (0, 1):
        twice.nth(index).focus()
        expect(page.locator("#cp-tip-cooperacion")).to_be_visible()
        assert_beside(page.locator(".cp-preview"), twice.nth(index), page.viewport_size["width"])


def test_a_mouse_click_on_a_word_opens_its_glossary_entry(page: Any) -> None:
    open_article(page)
    term = page.locator("#p3 a.cp-term").first
    href = str(term.get_attribute("href"))
    term.click()
    page.wait_for_url("**/" + href)


@pytest.mark.parametrize("width", [320, 390])
def test_a_tap_opens_the_preview_and_stays_in_the_article(
    browser: Any, server: str, width: int
) -> None:
    tab = new_tab(browser, server, **{**PHONE, "viewport": {"width": width, "height": 844}})
    open_article(tab)
    for term in (tab.locator("#p6 a.cp-term").first, tab.locator("#p11 a.cp-term").last):
        term.scroll_into_view_if_needed()
        term.tap()
        assert tab.url.endswith("articulo.html")
        tip = preview_of(tab, term)
        expect(tip).to_be_visible()
        assert_beside(tab.locator(".cp-preview"), term, width)
        link = tab.locator(".cp-preview-link")
        expect(link).to_be_visible()
        assert link.get_attribute("href") == term.get_attribute("href")
        tab.keyboard.press("Escape")
        expect(tip).to_be_hidden()
    tab.context.close()
    assert tab.errors == [] and tab.foreign == []


def test_on_touch_a_tap_outside_closes_and_the_link_leads_to_the_entry(phone: Any) -> None:
    open_article(phone)
    term = phone.locator("#p2 a.cp-term").first
    term.tap()
    expect(phone.locator(".cp-preview")).to_be_visible()
    phone.locator("#p4 .cp-para-num").tap()  # outside the preview and its word
    expect(phone.locator(".cp-preview")).to_be_hidden()
    term.tap()
    term.tap()  # a second tap on the same word closes it too
    expect(phone.locator(".cp-preview")).to_be_hidden()
    term.tap()
    href = str(term.get_attribute("href"))
    phone.locator(".cp-preview-link").tap()
    phone.wait_for_url("**/" + href)
    expect(phone.locator(f"[id='{href.split('#')[1]}']")).to_be_visible()


def test_the_phone_shows_every_mode_without_overflow(phone: Any) -> None:
    open_article(phone)
    for mode in ("Solo el texto", "Con glosario", "Con notas"):
        choose(phone, mode)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, mode
    phone.get_by_role("button", name="Contexto del párrafo 1", exact=True).tap()
    expect(phone.locator("#cp-ctx-1")).to_be_visible()


# --- the editorial header -----------------------------------------------------------------


def test_the_header_marks_our_headline_and_gives_the_facts(page: Any, article: Any) -> None:
    open_article(page)
    head = page.locator(".cp-article-head")
    headline = head.get_by_role("heading", level=2)
    expect(headline).to_contain_text("Titular de comprende")
    own = headline.locator(".cp-headline-text").inner_text()
    assert own and not any(own in paragraph for paragraph in article.paragraphs)
    facts = dict(
        zip(
            head.locator("dt").all_inner_texts(),
            [" ".join(t.split()) for t in head.locator("dd").all_inner_texts()],
            strict=True,
        )
    )
    assert facts["Fuente"] == "Sports News Times (edición en español)"
    assert head.locator("dd a[href^='https://sportsnewstimes.com/es/']").count() == 1
    assert "27 de noviembre de 2024" in facts["Fecha"]
    assert facts["Nivel"].startswith("B1–B2")
    assert facts["Lectura"].startswith("4 minutos")
    # The header is not part of the article's text.
    assert page.locator(".cp-para-text .cp-headline, .cp-para-text .cp-kicker").count() == 0


# --- accessibility, dark mode, file:// -------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation_in_each_mode_with_a_preview_open(
    page: Any, axe_source: str, scheme: str
) -> None:
    set_scheme(page, scheme)
    open_article(page)
    for mode in ("Solo el texto", "Con glosario", "Con notas"):
        choose(page, mode)
        if mode == "Con notas":
            page.get_by_role("button", name="Contexto del párrafo 2", exact=True).click()
        if mode != "Solo el texto":
            page.locator("#p2 a.cp-term").first.focus()
            expect(page.locator(".cp-preview")).to_be_visible()
        else:
            page.locator("#p2 .cp-para-num").focus()
        assert axe_violations(page, axe_source) == [], mode


def test_the_modes_work_from_a_file(browser: Any, site: Path) -> None:
    tab = new_tab(browser, (site / "articulo.html").as_uri())
    tab.goto((site / "articulo.html").as_uri())
    expect(tab.locator(".cp-reader")).to_be_visible()
    choose(tab, "Solo el texto")
    assert marked(tab) == 0
    tab.reload()
    expect(tab.get_by_label("Solo el texto", exact=True)).to_be_checked()
    choose(tab, "Con notas")
    tab.get_by_role("button", name="Contexto del párrafo 3", exact=True).click()
    expect(tab.locator("#cp-ctx-3")).to_be_visible()
    term = tab.locator("a.cp-term").first
    term.focus()
    expect(preview_of(tab, term)).to_be_visible()
    tab.context.close()
    assert tab.errors == [] and tab.foreign == []


@pytest.fixture(scope="module")
def bare_exam_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An exam build without the glossary's help (comprende_exam_glossary=0)."""
    out = tmp_path_factory.mktemp("bare-exam-reader")
    result = build_site(out, mode="exam", overrides=("comprende_exam_glossary=0",))
    assert result.returncode == 0, result.stderr
    yield from serve(out)


def test_an_exam_without_the_glossary_offers_the_text_and_the_notes(
    browser: Any, bare_exam_server: str
) -> None:
    tab = new_tab(browser, bare_exam_server)
    open_article(tab)
    modes = tab.locator(".cp-modes input[type=radio]")
    assert modes.evaluate_all("rs => rs.map(r => r.value)") == ["texto", "notas"]
    expect(tab.get_by_label("Solo el texto", exact=True)).to_be_checked()
    assert tab.locator(".cp-para-text a").count() == 0
    assert visible_notes(tab) == 0
    choose(tab, "Con notas")
    tab.get_by_role("button", name="Contexto del párrafo 9", exact=True).click()
    expect(tab.locator("#cp-ctx-9")).to_be_visible()
    tab.context.close()
    assert tab.errors == [] and tab.foreign == []

"""The theme in a real browser: highlights readable in light and dark mode, clean printing.

Dark mode is set as a reader sets it: furo's toggle stores ``theme`` in localStorage
(``dark``/``light``), or "auto" follows the system's colour scheme (emulated here).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ..test_site import html_pages
from .test_accessibility import axe_violations

#: (the stored theme, the emulated system scheme): light, dark, and auto under a dark system.
SCHEMES = {
    "light": ("light", "light"),
    "dark": ("dark", "light"),
    "auto-dark": ("auto", "dark"),
}
QUOTE = "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia"


def set_scheme(page: Any, scheme: str) -> None:
    stored, system = SCHEMES[scheme]
    page.emulate_media(color_scheme=system)
    page.add_init_script(f"localStorage.setItem('theme', '{stored}')")


def _rgb(value: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", value)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def page_background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def dark(page: Any) -> bool:
    return _luminance(_rgb(page_background(page))) < 0.1


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_the_evidence_highlight_is_readable(page: Any, axe_source: str, scheme: str) -> None:
    set_scheme(page, scheme)
    page.goto(page.base + f"articulo.html?cita={QUOTE}#p6")
    paragraph = page.locator("#p6")
    expect(paragraph).to_have_class(re.compile(r"\bcp-highlight\b"))  # its script loads on ?cita
    assert page.locator("mark.cp-evidence").first.is_visible()
    assert dark(page) == (scheme != "light")
    colours = paragraph.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor,"
        " getComputedStyle(e).outlineColor]"
    )
    assert contrast(colours[0], colours[1]) >= 4.5
    assert contrast(colours[2], page_background(page)) >= 3
    mark = page.locator("mark.cp-evidence").first.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert contrast(*mark) >= 4.5
    # A glossary term inside the highlighted paragraph, focused, with its preview open.
    term = paragraph.locator("a.cp-term").first
    term.focus()
    ring = term.evaluate(
        "e => [getComputedStyle(e).outlineColor, getComputedStyle(e).outlineStyle]"
    )
    assert ring[1] != "none"
    assert contrast(ring[0], colours[1]) >= 3
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_box_shows_its_focus(page: Any, scheme: str) -> None:
    set_scheme(page, scheme)
    page.goto(page.base + "articulo.html")
    page.locator("input.sidebar-search").focus()
    box = page.locator(".sidebar-search-container")
    ring = box.evaluate(
        "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineColor,"
        " getComputedStyle(e).backgroundColor, getComputedStyle(e.closest('.sidebar-drawer'))"
        ".backgroundColor]"
    )
    assert ring[0] == "solid"
    assert contrast(ring[1], ring[2]) >= 3 and contrast(ring[1], ring[3]) >= 3


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_highlight_is_readable(page: Any, axe_source: str, scheme: str) -> None:
    set_scheme(page, scheme)
    page.goto(page.base + "articulo.html?highlight=petróleo")
    page.locator("span.highlighted:visible").first.wait_for()
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_exercise_states_are_readable(page: Any, axe_source: str, scheme: str) -> None:
    set_scheme(page, scheme)
    page.goto(page.base + "ejercicios/evidencia.html")
    page.locator("button.cp-sentence").first.click()
    assert page.locator('button.cp-sentence[aria-pressed="true"]').count() == 1
    page.get_by_role("button", name="Comprobar todas").click()
    assert page.locator(".cp-feedback:not(:empty)").count() > 3
    page.locator("button.cp-sentence").nth(1).focus()
    assert axe_violations(page, axe_source) == []


HIDDEN_IN_PRINT = (
    ".sidebar-drawer",
    ".toc-drawer",
    ".mobile-header",
    ".theme-toggle",
    ".related-pages",
    ".back-to-top",
    ".skip-to-content",
    ".content-icon-container",
)


def visible(page: Any, selector: str) -> list[str]:
    """The selector's elements a printed page would show (rendered, with a box)."""
    return list(
        page.evaluate(
            """sel => [...document.querySelectorAll(sel)].filter(e => {
                 const s = getComputedStyle(e), r = e.getBoundingClientRect();
                 return s.display !== 'none' && s.visibility !== 'hidden'
                   && r.width > 0 && r.height > 0;
               }).map(e => e.className || e.tagName)""",
            selector,
        )
    )


@pytest.mark.parametrize("name", ["articulo.html", "ejercicios/evidencia.html"])
def test_pages_print_as_a_worksheet(page: Any, name: str) -> None:
    page.goto(page.base + name)
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert visible(page, selector) == [], selector
    assert visible(page, "button:not(.cp-sentence)") == []
    assert visible(page, "input.sidebar-toggle, input.sidebar-search") == []
    # The content stays, with the footer's credit of the source.
    assert page.locator("article h1").is_visible()
    assert page.locator("footer .copyright a").is_visible()
    width = page.evaluate("document.querySelector('article').getBoundingClientRect().width")
    assert width >= 0.8 * page.viewport_size["width"]
    if name == "articulo.html":
        assert len(visible(page, ".cp-para")) == 11
    else:
        assert len(visible(page, ".cp-item")) >= 5
        assert len(visible(page, "button.cp-sentence")) > 10
    page.emulate_media(media="screen")
    assert visible(page, "button.theme-toggle")


def test_every_page_has_no_axe_violation_in_dark_mode(
    page: Any, site: Path, axe_source: str
) -> None:
    set_scheme(page, "dark")
    found: dict[str, list[str]] = {}
    for path in html_pages(site):
        relative = path.relative_to(site).as_posix()
        if relative in ("search.html", "genindex.html"):
            continue
        page.goto(page.base + relative)
        assert dark(page), relative
        violations = axe_violations(page, axe_source)
        if violations:
            found[relative] = violations
    assert found == {}


def test_the_search_page_speaks_spanish(page: Any) -> None:
    page.goto(page.base + "search.html?q=petróleo")
    status = page.locator("#search-results .search-summary")
    status.wait_for()
    page.wait_for_function(
        "() => (document.querySelector('#search-results .search-summary') || {}).innerText"
    )
    assert page.locator("#search-results h2").inner_text() == "Resultados de la búsqueda"
    assert re.fullmatch(
        r"Búsqueda terminada: \d+ páginas contienen las palabras buscadas\.", status.inner_text()
    )
    page.goto(page.base + "search.html?q=zzzzqqq")
    page.wait_for_function(
        "() => (document.querySelector('#search-results .search-summary') || {}).innerText"
    )
    assert status.inner_text().startswith("No hemos encontrado ninguna página")


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_header_speaks_spanish_and_the_highlight_is_readable(
    browser: Any, server: str, axe_source: str, scheme: str
) -> None:
    context = browser.new_context(locale="es-ES", **PHONE)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1:", "data:"))
            else route.abort()
        ),
    )
    try:
        tab = context.new_page()
        set_scheme(tab, scheme)
        tab.goto(server + f"articulo.html?cita={QUOTE}#p6")
        assert dark(tab) == (scheme == "dark")
        header = tab.locator(".mobile-header")
        assert header.is_visible()
        toggle = header.locator("button.theme-toggle")
        assert toggle.get_attribute("aria-label") == (
            "Cambiar el modo de color: claro, oscuro o automático"
        )
        # Tapping the menu icon opens the site's navigation, named in Spanish.
        header.locator("label.nav-overlay-icon").tap()
        assert tab.locator("#__navigation").is_checked()
        assert tab.locator("#__navigation").get_attribute("aria-label") == (
            "Mostrar u ocultar el menú del sitio"
        )
        assert tab.locator(".sidebar-drawer").is_visible()
        tab.locator("label.sidebar-overlay").tap(position={"x": 380, "y": 400})
        assert not tab.locator("#__navigation").is_checked()
        assert axe_violations(tab, axe_source) == []
    finally:
        context.close()


def test_a_result_of_the_search_opens_highlighted_with_a_spanish_link(page: Any) -> None:
    # Sphinx's highlighting loads only on a page reached from the search (theme.py).
    page.goto(page.base + "articulo.html")
    assert page.evaluate("typeof SphinxHighlight") == "undefined"
    page.goto(page.base + "search.html?q=Rosatom")
    result = page.locator("#search-results a[href*='articulo']").first
    result.click()
    page.wait_for_url("**/articulo.html*")
    page.locator("span.highlighted:visible").first.wait_for()
    link = page.locator("#searchbox .highlight-link a")
    assert link.inner_text() == "Quitar el resaltado de la búsqueda"
    link.click()  # a javascript: link, run as a task after the click
    page.wait_for_function("() => !document.querySelector('span.highlighted')")
    assert page.locator("#searchbox .highlight-link").count() == 0
    # No single-key shortcut: "/" does not jump to the search box (WCAG 2.1.4).
    page.locator("article h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.className") != "sidebar-search"
    # The next visit to the page has no highlighting, and does not load it.
    page.goto(page.base + "articulo.html")
    assert page.locator("span.highlighted").count() == 0
    assert page.evaluate("typeof SphinxHighlight") == "undefined"
    assert page.evaluate("typeof Documentation") == "undefined"
    assert page.evaluate("typeof DOCUMENTATION_OPTIONS") == "undefined"


def test_no_page_shows_english_after_its_scripts_run(page: Any, site: Path) -> None:
    # The same scan as tests/test_theme_strings.py, on the live page: what the scripts
    # write (status lines, labels, the search's messages) is scanned too.
    from ..test_theme_strings import english_strings

    found: dict[str, list[str]] = {}
    for path in html_pages(site):
        relative = path.relative_to(site).as_posix()
        query = "?q=petróleo" if relative == "search.html" else ""
        page.goto(page.base + relative + query)
        if query:
            page.wait_for_function(
                "() => (document.querySelector('#search-results .search-summary') || {}).innerText"
            )
        page.wait_for_load_state("load")
        english = english_strings(page.content())
        if english:
            found[relative] = english
    assert found == {}

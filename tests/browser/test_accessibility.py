"""Every page in a real browser: axe-core finds no WCAG 2.1 AA violation, no console noise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..test_site import html_pages

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_every_page_has_no_axe_violation(page: Any, site: Path, axe_source: str) -> None:
    found: dict[str, list[str]] = {}
    pages = html_pages(site)
    assert len(pages) >= 15
    for path in pages:
        relative = path.relative_to(site).as_posix()
        if relative in ("search.html", "genindex.html"):
            continue
        page.goto(page.base + relative)
        violations = axe_violations(page, axe_source)
        if violations:
            found[relative] = violations
    assert found == {}


def test_exercises_with_feedback_shown_have_no_axe_violation(page: Any, axe_source: str) -> None:
    page.goto(page.base + "ejercicios/detalle.html")
    page.get_by_role("button", name="Comprobar todas").click()
    assert page.locator(".cp-feedback:not(:empty)").count() > 5
    assert axe_violations(page, axe_source) == []


def test_glossary_preview_opens_on_focus_and_closes_on_escape(page: Any) -> None:
    page.goto(page.base + "articulo.html")
    term = page.locator("a.cp-term").first
    tip = page.locator("#" + term.get_attribute("aria-describedby"))
    assert not tip.is_visible()
    term.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.keyboard.press("Tab")
    second = page.locator(
        "#" + page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    )
    assert second.is_visible()


def test_glossary_preview_opens_on_hover(page: Any) -> None:
    page.goto(page.base + "articulo.html")
    term = page.locator("a.cp-term").nth(3)
    term.hover()
    assert page.locator("#" + term.get_attribute("aria-describedby")).is_visible()

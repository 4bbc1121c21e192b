"""An author's text holding script markup, in a real browser: the page keeps working.

The snippet site (tests/test_extension_snippets.py) gets an explanation and a feedback text
with ``<!--<script>``, which, escaped only as ``<\\/``, made Chromium swallow the rest of
the page as script text (the answers panel and the page's data were gone).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from ..test_extension_snippets import HOSTILE, SET_TEXT, build, make_site
from .conftest import record_errors, serve


def test_script_markup_in_an_authors_text_leaves_the_page_working(
    browser: Any, tmp_path: Path
) -> None:
    hostile = SET_TEXT.replace("Sí, llega a Astana.", f'"Sí. {HOSTILE}"')
    output, out, _ = build(make_site(tmp_path, set_text=hostile), comprende_mode="practice")
    assert output == ""
    context = browser.new_context(locale="es-ES")
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # none here
    tab = context.new_page()
    errors: list[str] = []
    record_errors(tab, errors)
    for base in serve(out):
        tab.goto(f"{base}uno.html")
        section = tab.locator("#item-uno-llegada")
        section.locator("input").first.check()
        section.locator(".cp-check").click()
        feedback = tab.locator("#uno-llegada--feedback")
        expect(feedback).to_contain_text(f"Sí. {HOSTILE}")
        assert feedback.locator("b, script").count() == 0
        expect(tab.locator("#cp-student-id")).to_be_visible()
        expect(tab.locator(".cp-panel h2")).to_have_text("Tus respuestas")
    context.close()
    assert errors == []

"""Opened from file:// (no server): module scripts do not run there, so the exercise pages
say how to open the site through a local server; reader pages work as they are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .test_accessibility import axe_violations


@pytest.fixture
def file_tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="es-ES")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def test_exercise_page_from_file_says_how_to_start_a_local_server(
    file_tab: Any, site: Path, axe_source: str
) -> None:
    file_tab.goto((site / "ejercicios" / "global.html").as_uri())
    notice = file_tab.locator(".cp-file-notice")
    expect(notice).to_be_visible()
    assert notice.get_attribute("role") == "note"
    text = notice.inner_text()
    assert "Los ejercicios necesitan un servidor local" in text
    assert "python3 -m http.server" in text
    link = notice.get_by_role("link")
    assert link.get_attribute("href") == "http://localhost:8000/ejercicios/global.html"
    # the notice stands before the exercises, where a reader meets it first
    assert file_tab.evaluate(
        "document.querySelector('.cp-file-notice').compareDocumentPosition("
        "document.querySelector('.cp-exercises')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert axe_violations(file_tab, axe_source) == []


def test_answers_panel_from_file_shows_the_notice_too(file_tab: Any, site: Path) -> None:
    file_tab.goto((site / "ejercicios" / "index.html").as_uri())
    expect(file_tab.locator(".cp-file-notice")).to_be_visible()
    assert (
        file_tab.locator(".cp-file-notice a").get_attribute("href")
        == "http://localhost:8000/ejercicios/index.html"
    )


def test_reader_pages_from_file_work_and_have_no_notice(file_tab: Any, site: Path) -> None:
    file_tab.goto((site / "articulo.html").as_uri())
    assert file_tab.locator(".cp-file-notice").count() == 0
    term = file_tab.locator("a.cp-term").first
    term.focus()
    expect(file_tab.locator("#" + term.get_attribute("aria-describedby"))).to_be_visible()
    assert file_tab.errors == []


def test_served_exercise_page_keeps_the_notice_hidden(page: Any) -> None:
    page.goto(page.base + "ejercicios/global.html")
    assert page.locator(".cp-file-notice").count() == 1
    expect(page.locator(".cp-file-notice")).to_be_hidden()
    assert page.evaluate("comprende.started") is True

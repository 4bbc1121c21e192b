"""The glossary's «Descargar vocabulario» links in a real browser: keyboard, download, axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from comprende.exports.anki import ANKI_FILE, CSV_FILE

from .test_accessibility import axe_violations


@pytest.mark.parametrize(("name", "filename"), [("Anki", ANKI_FILE), ("CSV", CSV_FILE)])
def test_each_link_downloads_its_file_from_the_keyboard(
    page: Any, site: Path, name: str, filename: str
) -> None:
    page.goto(page.base + "glosario.html")
    link = page.get_by_role("link", name=f"Vocabulario {'para' if name == 'Anki' else 'en'} {name}")
    with page.expect_download() as info:
        link.focus()
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == filename
    assert Path(download.path()).read_bytes() == (site / filename).read_bytes()


def test_the_download_section_has_no_axe_violation(page: Any, axe_source: str) -> None:
    page.goto(page.base + "glosario.html")
    assert page.locator("#glosario-descargar a[download]").count() == 2
    assert axe_violations(page, axe_source) == []

"""Each built page loads only the JavaScript it needs: an exercise page imports the core
and the modules of the question types on it, no other; reader pages import no module.
Exercise pages carry the file:// notice, hidden; reader pages do not."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup

from comprende import types

from .test_site import html_pages

CORE = "_static/comprende-exercises.js"


def imports(site: Path, page: Path) -> tuple[set[str], set[str]]:
    """The site paths a page's module script imports, and the question types of its items."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    base = "http://site/" + page.relative_to(site).as_posix()
    found: set[str] = set()
    for script in soup.find_all("script", type="module"):
        for specifier in re.findall(r'from "([^"]+)"', script.string or ""):
            found.add(urlparse(urljoin(base, specifier)).path.lstrip("/"))
    used = {
        item["type"]
        for script in soup.find_all("script", type="application/json")
        if (script.get("id") or "").startswith("cp-data-")
        for item in json.loads(script.string).get("pageItems", [])
    }
    return found, used


def test_exercise_pages_import_the_core_and_only_their_types(site: Path) -> None:
    pages = sorted((site / "ejercicios").glob("*.html"))
    assert len(pages) == 7  # five sets, the index and «Revisar y entregar»
    for page in pages:
        found, used = imports(site, page)
        expected = {CORE} | {f"_static/{types.get(t).script}" for t in used}
        assert found == expected, page.name
        assert all((site / path).is_file() for path in found), page.name
    # the sets differ: a page without an ordering item does not load the ordering module
    detalle, _ = imports(site, site / "ejercicios" / "detalle.html")
    assert "_static/comprende/types/ordenar.js" not in detalle


def test_reader_pages_import_no_module_and_have_no_notice(site: Path) -> None:
    for page in html_pages(site):
        if page.parent.name == "ejercicios":
            continue
        text = page.read_text(encoding="utf-8")
        assert 'type="module"' not in text, page.name
        assert "cp-file-notice" not in text, page.name


def test_exercise_pages_carry_the_notice_hidden_before_the_exercises(site: Path) -> None:
    for page in sorted((site / "ejercicios").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        notices = soup.select(".cp-file-notice")
        assert len(notices) == 1, page.name
        assert notices[0].has_attr("hidden")
        following = notices[0].find_next(class_=re.compile(r"^cp-(exercises|panel)$"))
        assert following is not None, page.name
        link = notices[0].find("a")
        assert link["href"] == f"http://localhost:8000/ejercicios/{page.name}"


def test_exercise_pages_load_the_stylesheets_of_their_types_only(site: Path) -> None:
    all_sheets = {f"_static/{s}" for kind in types.all_types() for s in kind.stylesheets}
    assert all((site / s).is_file() for s in all_sheets)
    seen: set[str] = set()
    for page in sorted((site / "ejercicios").glob("*.html")):
        _, used = imports(site, page)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        base = "http://site/" + page.relative_to(site).as_posix()
        linked = {
            urlparse(urljoin(base, link["href"])).path.lstrip("/")
            for link in soup.find_all("link", rel="stylesheet")
        }
        expected = {f"_static/{s}" for t in used for s in types.get(t).stylesheets}
        assert linked & all_sheets == expected, page.name
        seen |= expected
    assert seen == all_sheets  # every type stylesheet is used by some page

"""The built site as a whole: Spanish, self-contained, offline, strict."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

# Attributes that make the browser fetch something (links in <a href> are not requests).
_FETCHING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "link": "href",
    "video": "src",
    "audio": "src",
    "object": "data",
    "embed": "src",
}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def test_every_page_is_spanish(site: Path) -> None:
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == "es", page.name


def test_no_page_fetches_from_another_host(site: Path) -> None:
    remote: list[str] = []
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in _FETCHING.items():
            for element in soup.find_all(tag):
                value = element.get(attribute) or ""
                rel = " ".join(element.get("rel", []))
                if tag == "link" and not re.search(r"stylesheet|icon|preload", rel):
                    continue
                if _REMOTE.match(value):
                    remote.append(f"{page.name}: <{tag} {attribute}={value}>")
        for style in soup.find_all(style=True):
            remote += [
                f"{page.name}: {u}" for u in _CSS_URL.findall(style["style"]) if _REMOTE.match(u)
            ]
    for asset in list(site.rglob("*.css")):
        remote += [
            f"{asset.name}: {u}"
            for u in _CSS_URL.findall(asset.read_text("utf-8"))
            if _REMOTE.match(u)
        ]
    assert remote == []


def test_pages_work_from_file_urls(site: Path) -> None:
    """Every local link points at a file that exists, relative to its page."""
    broken: list[str] = []
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(["a", "link", "script", "img"]):
            target = element.get("href") or element.get("src")
            if not target or _REMOTE.match(target) or target.startswith(("#", "mailto:", "data:")):
                continue
            path = target.split("#")[0].split("?")[0]
            if path and not (page.parent / path).exists():
                broken.append(f"{page.relative_to(site)} → {target}")
    assert broken == []


def test_favicon_is_served_locally(site: Path) -> None:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    icon = soup.find("link", rel="icon")
    assert icon is not None and (site / icon["href"]).exists()


def test_navigation_captions_have_a_heading_level(site: Path) -> None:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    captions = soup.select('[role="heading"]')
    assert captions, "the sidebar should have toctree captions"
    assert all(c.get("aria-level") for c in captions)


def test_landing_page_says_what_the_module_is(site: Path) -> None:
    text = BeautifulSoup(
        (site / "index.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text()
    for expected in (
        "B1–B2",
        "Tiempo estimado",
        "Objetivos de aprendizaje",
        "Antes de leer",
        "Durante la lectura",
        "Después de leer",
        "Créditos",
    ):
        assert expected in text


def test_site_publishes_the_submission_schema(site: Path) -> None:
    import json

    from comprende.bank import load_bank
    from comprende.schema import submission_schema

    from .conftest import ROOT

    published = json.loads((site / "esquema-respuestas.json").read_text(encoding="utf-8"))
    assert published == submission_schema(load_bank(ROOT / "exercises"))
    soup = BeautifulSoup(
        (site / "guias" / "estudiante.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.find("a", href="../esquema-respuestas.json") is not None

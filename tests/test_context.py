"""Context pages: sourced, dated where needed, linked both ways with the article."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from .conftest import DOCS

CONTEXT_PAGES = sorted(p for p in (DOCS / "contexto").glob("*.md") if p.name != "index.md")
SOURCED_PAGES = [*CONTEXT_PAGES, DOCS / "lectura-critica.md"]


def test_the_six_context_pages_exist() -> None:
    assert {p.stem for p in CONTEXT_PAGES} == {
        "personas",
        "uee",
        "idioma-ruso",
        "petroleo",
        "gas-nuclear",
        "agricultura",
    }


def test_every_context_page_has_a_sources_section_with_addresses() -> None:
    for page in SOURCED_PAGES:
        text = page.read_text(encoding="utf-8")
        assert re.search(r"^## Fuentes\s*$", text, re.MULTILINE), page.name
        sources = re.findall(r"^\[\^[^\]]+\]:.*<https?://[^>]+>", text, re.MULTILINE)
        assert len(sources) >= 3, page.name


def test_every_footnote_cited_is_defined_and_every_source_is_cited() -> None:
    for page in SOURCED_PAGES:
        text = page.read_text(encoding="utf-8")
        defined = set(re.findall(r"^\[\^([^\]]+)\]:", text, re.MULTILINE))
        cited = set(re.findall(r"\[\^([^\]]+)\](?!:)", text))
        assert cited == defined, page.name


def test_pages_date_what_may_change() -> None:
    for page in SOURCED_PAGES:
        assert re.search(r"[Aa] fecha de", page.read_text(encoding="utf-8")), page.name


def test_every_paragraph_has_a_context_note(site: Path) -> None:
    soup = BeautifulSoup((site / "articulo.html").read_text(encoding="utf-8"), "html.parser")
    for number in range(1, 12):
        block = soup.find(id=f"p{number}").find_parent(class_="cp-para-block")
        card = block.select_one("aside.cp-context")
        assert card is not None, f"paragraph {number} has no context note"
        assert card.select(".cp-context-more a"), number


def test_context_notes_link_back_to_their_paragraphs(site: Path) -> None:
    for page in CONTEXT_PAGES:
        soup = BeautifulSoup(
            (site / "contexto" / f"{page.stem}.html").read_text("utf-8"), "html.parser"
        )
        links = [a["href"] for a in soup.select("aside.cp-note a")]
        assert links and all(re.fullmatch(r"\.\./articulo\.html#p\d+", href) for href in links), (
            page.name
        )


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    broken = []
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids[path.resolve()] = {e["id"] for e in soup.find_all(id=True)}
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            href = link["href"]
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            target, _, anchor = href.partition("#")
            target = target.split("?")[0]
            resolved = (path.parent / target).resolve() if target else path.resolve()
            if not resolved.exists():
                broken.append(f"{path.name}: {href}")
            elif anchor and resolved.suffix == ".html" and anchor not in ids.get(resolved, set()):
                broken.append(f"{path.name}: {href} (no #{anchor})")
    assert broken == []


def test_russian_and_kazakh_names_carry_their_language(site: Path) -> None:
    soup = BeautifulSoup((site / "contexto" / "personas.html").read_text("utf-8"), "html.parser")
    langs = {span["lang"] for span in soup.select("span[lang]")}
    assert {"ru", "kk"} <= langs
    for span in soup.select('span[lang="ru"]'):
        assert re.search("[А-Яа-яЁё]", span.get_text()) or span.get_text().isascii(), span

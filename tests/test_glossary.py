"""The glossary: its data file, its page, and the term links in the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from comprende.errors import ComprendeError
from comprende.glossary import find_occurrences, load_glossary

from .conftest import DOCS
from .test_reader import entry_of

GLOSSARY = DOCS / "_data" / "glosario.yaml"


@pytest.fixture(scope="module")
def terms(article):
    return load_glossary(GLOSSARY, article)


def test_glossary_has_at_least_forty_terms(terms) -> None:
    assert len(terms) >= 40
    assert len({t.id for t in terms}) == len(terms)


def test_every_example_sentence_is_verbatim_in_the_seed(terms, article) -> None:
    seed = "\n".join(article.paragraphs)
    missing = [t.id for t in terms if t.example not in seed]
    assert missing == []


def test_every_term_occurs_in_the_article(terms, article) -> None:
    found = {occ.term.id for p in article.paragraphs for occ in find_occurrences(p, terms)}
    assert {t.id for t in terms} - found == set()


def test_every_term_is_linked_from_the_article(site: Path, terms) -> None:
    soup = BeautifulSoup((site / "articulo.html").read_text(encoding="utf-8"), "html.parser")
    linked = {a["href"].split("#")[1] for a in soup.select(".cp-para-text a")}
    assert {t.id for t in terms} - linked == set()


def test_term_links_carry_a_preview_for_hover_and_focus(site: Path) -> None:
    # The page's script describes each link by its entry's preview (a tooltip then).
    soup = BeautifulSoup((site / "articulo.html").read_text(encoding="utf-8"), "html.parser")
    tips = {entry_of(tip): tip for tip in soup.select(".cp-tips p")}
    links = soup.select(".cp-para-text a")
    assert links
    for link in links:
        assert link["href"].startswith("glosario.html#")
        tip = tips.get(link["href"].split("#")[1])
        assert tip is not None and tip.get_text().strip()


def test_glossary_page_has_an_anchor_per_term(site: Path, terms) -> None:
    soup = BeautifulSoup((site / "glosario.html").read_text(encoding="utf-8"), "html.parser")
    for term in terms:
        entry = soup.find(id=term.id)
        assert entry is not None, term.id
    english = soup.select('span[lang="en"]')
    assert len(english) == len(terms)


def test_example_not_in_article_names_file_and_line(tmp_path: Path, article) -> None:
    bad = tmp_path / "g.yaml"
    bad.write_text(
        "terms:\n  - id: x\n    term: x\n    category: verbo\n    definition: d\n"
        "    english: e\n    level: B1\n    forms: [Putin]\n    example: Putin no vino.\n",
        encoding="utf-8",
    )
    with pytest.raises(ComprendeError) as caught:
        load_glossary(bad, article)
    assert caught.value.line == 9
    assert "verbatim" in str(caught.value)

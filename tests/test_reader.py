"""The article page's build side (issue 13): sentences in the markup, one preview per
glossary term, the editorial header, the reader's tools, and the page's own assets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from docutils.nodes import Node, Text

from comprende.ext.article import MARKED_FROM, RATES, reader_tools, reading_time, sentence_spans
from comprende.ext.glossary import implied_id, term_previews
from comprende.glossary import LEVELS, Term, find_occurrences, load_glossary
from comprende.sentences import article_sentences, split_sentences

from .conftest import DOCS
from .test_site import html_pages


@pytest.fixture(scope="module")
def page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "articulo.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def terms(article):
    return load_glossary(DOCS / "_data" / "glosario.yaml", article)


def plain(node: Node) -> str:
    """The text of ``node`` as the page shows it (docutils' astext() adds blank lines)."""
    return "".join(str(t) for t in node.findall(Text))


# --- sentences ---------------------------------------------------------------------------


def test_every_sentence_is_a_span_with_its_id(page: BeautifulSoup, article) -> None:
    spans = page.select(".cp-para-text > span.cp-s")
    expected = article_sentences(article)
    assert [s["id"] for s in spans] == [f"s{x.paragraph}-{x.number}" for x in expected]
    assert [s.get_text() for s in spans] == [x.text for x in expected]


def test_sentence_spans_keep_the_seed_s_spaces_and_links(article, terms) -> None:
    text = article.paragraphs[5]
    occurrences = find_occurrences(text, terms)
    nodes = sentence_spans(6, text, occurrences)
    assert "".join(plain(n) for n in nodes) == text
    spans = [n for n in nodes if not isinstance(n, Text) and n["classes"] == ["cp-s"]]
    assert [plain(s) for s in spans] == split_sentences(text)
    assert len(spans) == 2
    linked = [
        t for s in spans for t in s.findall(lambda n: "term_id" in getattr(n, "attributes", {}))
    ]
    assert [t["term_id"] for t in linked] == [o.term.id for o in occurrences]
    # A paragraph with two spaces between sentences keeps them, outside both spans.
    doubled = sentence_spans(1, "Uno dos.  Tres cuatro.", [])
    assert [plain(n) for n in doubled] == ["Uno dos.", "  ", "Tres cuatro."]


# --- the glossary's previews ----------------------------------------------------------------


def entry_of(tip: Tag) -> str:
    """The entry id the page's script gives a preview: the one the build wrote, if any,
    else the one derived from its form (the script's slug, mirrored by implied_id)."""
    if tip.has_attr("id"):
        return str(tip["id"]).removeprefix("cp-tip-")
    return implied_id(tip.get_text().split(": ")[0])


def test_one_preview_per_term_however_often_it_occurs(page: BeautifulSoup, terms) -> None:
    links = page.select(".cp-para-text a")
    ids = [a["href"].removeprefix("glosario.html#") for a in links]
    assert all(a["href"] == f"glosario.html#{i}" for a, i in zip(links, ids, strict=True))
    assert len(ids) > len(set(ids)), "some term occurs twice in the article"
    tips = page.select(".cp-tips > div > p")
    assert sorted(entry_of(t) for t in tips) == sorted(set(ids))
    assert len(tips) == len(terms)
    assert page.select(".cp-para-text [id^=cp-tip-]") == []  # none inline any more
    assert page.select_one(".cp-tips").has_attr("hidden")


def test_term_links_repeat_nothing_the_script_can_add(page: BeautifulSoup) -> None:
    """A glossary word is a bare link to its entry: with the script off it is an ordinary
    link; the class, aria-describedby and the previews' role are the script's."""
    links = page.select(".cp-para-text a")
    assert len(links) > 90
    assert all(a.attrs == {"href": a["href"]} for a in links)
    assert page.select(".cp-tips [role], .cp-tips [class]") == []


def test_a_preview_carries_its_id_only_when_its_form_does_not_give_it() -> None:
    assert implied_id("Apretón de manos") == "apreton-de-manos"
    assert implied_id("año") == "ano" and implied_id("  ¿pingüino?  ") == "pinguino"
    forms = [
        Term("lider", "líder", "sustantivo", "Persona que dirige.", "leader", "B1", (), "x"),
        Term("jefe-2", "jefe", "sustantivo", "Persona que manda.", "boss", "B1", (), "x"),
        Term("nota-a", "nota: a", "sustantivo", "Una forma con «: ».", "note", "B1", (), "x"),
    ]
    (group,) = term_previews(forms).children  # one level: B1
    ids = [tip["attributes"]["ids"] for tip in group.children]
    assert ids == [[], ["cp-tip-jefe-2"], ["cp-tip-nota-a"]]


def test_previews_are_grouped_by_level_and_read_term_then_definition(
    page: BeautifulSoup, terms
) -> None:
    by_id = {t.id: t for t in terms}
    groups = page.select(".cp-tips > div[data-level]")
    assert [g["data-level"] for g in groups] == [
        level for level in LEVELS if any(t.level == level for t in terms)
    ]
    for group in groups:
        for tip in group.select(":scope > p"):
            term = by_id[entry_of(tip)]
            assert term.level == group["data-level"]
            assert tip.get_text() == f"{term.term}: {term.definition}"
            assert tip.find(True) is None  # text only: the script sets the form in bold


def test_the_page_marks_b2_and_up_by_default() -> None:
    assert MARKED_FROM == "B2"
    html = reader_tools(glossary=True)
    assert 'data-marked-from="B2"' in html
    assert "nivel B2 o superior" in html


# --- the editorial header ------------------------------------------------------------------


def test_the_header_holds_our_headline_source_date_level_and_time(
    page: BeautifulSoup, article
) -> None:
    head = page.select_one(".cp-article > header.cp-article-head")
    assert head is not None
    headline = head.select_one("h2.cp-headline")
    assert headline.select_one(".cp-kicker").get_text() == "Titular de comprende"
    assert "lo ha escrito comprende" in head.select_one(".cp-headline-note").get_text()
    facts = {dt.get_text(): dd for dt, dd in zip(head("dt"), head("dd"), strict=True)}
    assert list(facts) == ["Fuente", "Fecha", "Nivel", "Lectura"]
    source = facts["Fuente"].a
    assert source.get_text() == "Sports News Times (edición en español)"
    assert source["href"].startswith("https://sportsnewstimes.com/es/")
    # The date's two claims cite the page's sources, listed under «Fuentes».
    notes = [a["href"] for a in facts["Fecha"].select("a.footnote-reference")]
    assert len(notes) == 2
    for href in notes:
        assert page.find(id=href[1:]) is not None
    assert facts["Lectura"].get_text().startswith(reading_time(article))
    assert reading_time(article) == "4 minutos (439 palabras)"


def test_the_headline_is_not_the_article_s_text(page: BeautifulSoup, article) -> None:
    own = page.select_one(".cp-headline-text").get_text()
    assert own and all(own not in paragraph for paragraph in article.paragraphs)
    assert page.select(".cp-para .cp-headline, .cp-para-text header") == []


# --- the reader's tools -------------------------------------------------------------------


def test_the_tools_are_hidden_until_the_script_runs(page: BeautifulSoup) -> None:
    tools = page.select_one(".cp-article > .cp-reader")
    assert tools.has_attr("hidden")
    assert [r["value"] for r in tools.select("input[name=cp-modo]")] == [
        "texto",
        "glosario",
        "notas",
    ]
    assert tools.select_one("input[value=glosario]").has_attr("checked")
    assert [o["value"] for o in tools.select("select option")] == [v for v, _ in RATES]
    assert tools.select_one(".cp-listen-status")["role"] == "status"


def test_without_a_glossary_the_tools_offer_no_glossary_mode() -> None:
    tools = BeautifulSoup(reader_tools(glossary=False), "html.parser")
    assert [r["value"] for r in tools.select("input[name=cp-modo]")] == ["texto", "notas"]
    assert tools.select("input[name=cp-todas]") == []


def test_every_context_card_can_be_controlled_by_its_button(page: BeautifulSoup) -> None:
    ids = [a["id"] for a in page.select("aside.cp-context")]
    assert ids == [f"cp-ctx-{n}" for n in range(1, 12)]


def test_only_the_article_page_loads_the_reader_s_script_and_styles(site: Path) -> None:
    for path in html_pages(site):
        html = path.read_text(encoding="utf-8")
        has_article = 'class="cp-article"' in html
        name = path.relative_to(site).as_posix()
        assert bool(re.search(r'src="[^"]*_static/comprende\.js', html)) == has_article, name
        assert ("comprende-reader.css" in html) == has_article, name
        # Listening and the evidence highlight load on demand, from the article's script.
        assert "comprende-listen.js" not in html and "comprende-evidence.js" not in html, name
    js = (site / "_static" / "comprende.js").read_text(encoding="utf-8")
    assert 'type="module"' not in (site / "articulo.html").read_text(encoding="utf-8")
    assert "import " not in js  # a classic script: it runs from file:// as well
    for name in ("comprende-listen.js", "comprende-evidence.js"):
        assert f'"{name}"' in js  # named by it, loaded beside it as classic scripts too
        assert "import " not in (site / "_static" / name).read_text(encoding="utf-8")

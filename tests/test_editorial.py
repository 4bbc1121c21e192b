"""The editorial checks of issue 11, on the built site: context links, the cores' word
budget, the length of the context notes, the name policy, the landing page's reading
times, and typo tolerance."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from comprende.bank import CONTEXT_SKILLS, load_bank, parse_item
from comprende.errors import ComprendeError
from comprende.ext.reading import WORDS_PER_MINUTE, count_words
from comprende.glossary import load_glossary
from comprende.grading import grade_item
from comprende.model import Item, ItemType, Status
from comprende.yamlio import parse_yaml

from .conftest import DOCS, ROOT, SEED, build_site

BANK = load_bank(ROOT / "exercises")
CORE_BUDGET = 350
CONTEXT_PAGES = sorted(p.stem for p in (DOCS / "contexto").glob("*.md") if p.stem != "index")
CORE_PAGES = [*(f"contexto/{name}" for name in CONTEXT_PAGES), "lectura-critica"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def main_of(page: BeautifulSoup) -> Tag:
    main = page.select_one("article[role=main]")
    assert main is not None, "no main article in the page"
    return main


# --- every context item links its page and section -------------------------------------


def page_title(path: Path) -> str:
    heading = main_of(soup(path)).find("h1")
    assert heading is not None
    for mark in heading.select("a.headerlink"):
        mark.decompose()
    return heading.get_text(strip=True)


def context_items() -> list[Item]:
    return [i for i in BANK.items if i.skill in CONTEXT_SKILLS or i.context]


def test_every_context_skill_item_names_a_context_section() -> None:
    assert [i.id for i in BANK.items if i.skill in CONTEXT_SKILLS and not i.context] == []
    assert len(context_items()) >= 8


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_every_context_item_links_an_existing_context_page_and_anchor(
    mode: str, site: Path, exam_site: Path
) -> None:
    root = site if mode == "practice" else exam_site
    problems = []
    for item in context_items():
        page = root / "ejercicios" / f"{item.set_id}.html"
        section = soup(page).select_one(f"#item-{item.id}")
        assert section is not None, f"{item.id}: not on {page.name}"
        paragraph = section.select_one("p.cp-context")
        link = section.select_one("p.cp-context a[href]")
        if paragraph is None or link is None or not paragraph.get_text().startswith("Consulta: "):
            problems.append(f"{item.id}: no «Consulta: …» link")
            continue
        href = urlsplit(str(link["href"]))
        target = (page.parent / href.path).resolve()
        relative = target.relative_to(root.resolve()).as_posix()
        if not (relative.startswith("contexto/") or relative == "lectura-critica.html"):
            problems.append(f"{item.id}: links {relative}, not a context page")
        elif not target.exists() or not href.fragment:
            problems.append(f"{item.id}: {link['href']} has no page or no anchor")
        elif soup(target).find(id=href.fragment) is None:
            problems.append(f"{item.id}: {relative} has no anchor #{href.fragment}")
        elif not link.get_text(strip=True) or link.get_text().startswith("Para saber más"):
            problems.append(f"{item.id}: the link does not name its section")
        elif page_title(target) not in paragraph.get_text():
            problems.append(f"{item.id}: the link does not name its page")
    assert problems == []


def copy_project(tmp_path: Path) -> Path:
    for name in ("docs", "exercises", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("_build"))
    return tmp_path


def test_a_context_label_missing_from_the_site_fails_the_build_at_its_line(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "project")
    path = project / "exercises" / "contexto.yaml"
    text = path.read_text(encoding="utf-8")
    old = f"    context: {context_items()[0].context}\n"
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, "    context: no-hay-tal-seccion\n", 1), encoding="utf-8")
    result = build_site(tmp_path / "out", docs=project / "docs")
    assert result.returncode != 0
    assert f"contexto.yaml:{line}" in result.stderr
    assert "no-hay-tal-seccion" in result.stderr


def test_a_context_item_without_its_section_is_refused_with_its_line(article) -> None:
    data = parse_yaml(
        "id: c\ntype: verdadero-falso\nprompt: p\npoints: 1\nskill: contexto\nlevel: B1\n"
        'evidence: ["Al llegar a Astana el 27 de noviembre"]\nexplanation: e\nkey: true\n'
        "feedback: {true: s, false: n}\n",
        "c.yaml",
    )
    with pytest.raises(ComprendeError, match="must name the context section") as caught:
        parse_item(data, "s", Path("c.yaml"), article)
    assert caught.value.line == 5
    bad = parse_yaml(
        "id: c\ntype: verdadero-falso\nprompt: p\npoints: 1\nskill: contexto\nlevel: B1\n"
        'context: "Ver página"\nevidence: ["Al llegar a Astana el 27 de noviembre"]\n'
        "explanation: e\nkey: true\nfeedback: {true: s, false: n}\n",
        "c.yaml",
    )
    with pytest.raises(ComprendeError, match="not a Sphinx label") as caught:
        parse_item(bad, "s", Path("c.yaml"), article)
    assert caught.value.line == 7


# --- the core of each context page -------------------------------------------------------


def core_words(page: BeautifulSoup) -> tuple[int, bool]:
    """Words from the title down to the first dropdown (or «Fuentes»); and whether a
    dropdown was found. Footnote marks and heading links are left out."""
    main = main_of(page)
    for mark in main.select("a.footnote-reference, a.headerlink, script, style"):
        mark.decompose()
    title = main.find("h1")
    assert title is not None
    pieces: list[str] = []
    found_dropdown = False
    for node in title.find_all_next(string=True):
        parent = node.parent
        if parent is None:
            continue
        if parent.find_parent("details", class_="sd-dropdown") is not None:
            found_dropdown = True
            break
        if parent.name == "h2" and node.strip() == "Fuentes":
            break
        if main in parent.parents or parent is main:
            pieces.append(str(node))
    return count_words(" ".join(pieces)), found_dropdown


@pytest.mark.parametrize("docname", CORE_PAGES)
def test_each_context_page_core_is_within_its_budget(site: Path, docname: str) -> None:
    words, has_dropdown = core_words(soup(site / f"{docname}.html"))
    assert has_dropdown, f"{docname}: no «Para saber más» dropdown after the core"
    assert 100 < words <= CORE_BUDGET, f"{docname}: core of {words} words"


def test_the_core_count_stops_at_the_first_dropdown() -> None:
    page = BeautifulSoup(
        '<article role="main"><section><h1>Título<a class="headerlink">¶</a></h1>'
        '<p>uno dos tres<a class="footnote-reference">1</a></p>'
        '<details class="sd-dropdown"><summary>Para saber más</summary><p>cuatro cinco</p>'
        "</details><p>seis</p></section></article>",
        "html.parser",
    )
    assert core_words(page) == (4, True)


#: A context note is read in the middle of the article, so it stays short (EDITORIAL.md).
NOTE_BUDGET = 60


def context_note_words(note: Tag) -> int:
    """Words of one note under a paragraph, without its «Más en…» link or footnote marks."""
    note = BeautifulSoup(str(note), "html.parser")
    for extra in note.select(".cp-context-more, a.footnote-reference"):
        extra.decompose()
    return count_words(note.get_text(" "))


def test_every_context_note_under_the_article_is_short(site: Path) -> None:
    notes = main_of(soup(site / "articulo.html")).select("aside.cp-context > div")
    assert len(notes) >= 11, "the article shows fewer context notes than paragraphs"
    long = {}
    for note in notes:
        if (words := context_note_words(note)) > NOTE_BUDGET:
            long[note.get_text(" ", strip=True)[:60]] = words
    assert not long, f"notes over {NOTE_BUDGET} words: {long}"


def test_the_note_count_leaves_out_the_link_and_would_catch_a_long_note() -> None:
    note = BeautifulSoup(
        "<div><p>uno dos tres</p>"
        '<p class="cp-context-more">Más en <a href="x.html">Personas</a></p></div>',
        "html.parser",
    ).div
    assert note is not None and context_note_words(note) == 3
    long = BeautifulSoup(f"<div><p>{'palabra ' * 61}</p></div>", "html.parser").div
    assert long is not None and context_note_words(long) > NOTE_BUDGET


# --- the landing page's reading times ----------------------------------------------------


def article_words(site: Path) -> int:
    page = soup(site / "articulo.html")
    texts = []
    for paragraph in page.select(".cp-para-text"):
        for tip in paragraph.select(".cp-tip"):
            tip.decompose()
        texts.append(paragraph.get_text(" "))
    assert len(texts) == 11
    return count_words(" ".join(texts))


def exercise_words(site: Path) -> int:
    """What a student reads in the four set pages: instructions, prompts, options…"""
    texts = []
    for item_set in BANK.sets:
        page = soup(site / "ejercicios" / f"{item_set.id}.html")
        texts += [p.get_text(" ") for p in page.select(".cp-instructions")]
        for section in page.select("section.cp-item"):
            texts += [e.get_text(" ") for e in section.select(".cp-prompt")]
            texts += [e.get_text(" ") for e in section.select(".cp-option label")]
            texts += [e.get_text(" ") for e in section.select(".cp-pair > legend")]
            texts += [e.get_text(" ") for e in section.select(".cp-match-text")]
            texts += [e.get_text(" ") for e in section.select(".cp-order-text")]
            texts += [e.get_text(" ") for e in section.select(".cp-cloze")]
    return count_words(" ".join(texts))


def landing_rows(site: Path) -> dict[str, tuple[int, int]]:
    table = soup(site / "index.html").select_one("table.cp-reading-times")
    assert table is not None, "the landing page has no table of reading times"
    rows = {}
    for row in table.select("tbody tr"):
        cells = row.select("td")
        link = cells[0].select_one("a[href]")
        key = urlsplit(str(link["href"])).path if link else cells[0].get_text(strip=True)
        rows[key] = (int(cells[1].get_text(strip=True)), int(cells[2].get_text(strip=True)))
    return rows


def test_the_landing_page_times_match_the_word_counts(site: Path) -> None:
    rows = landing_rows(site)
    expected = {
        "articulo.html": article_words(site),
        **{f"{d}.html": core_words(soup(site / f"{d}.html"))[0] for d in CORE_PAGES},
        "ejercicios/index.html": exercise_words(site),
    }
    assert {key: words for key, (words, _) in rows.items() if key != "Total"} == expected
    seed_words = count_words(SEED.read_text(encoding="utf-8"))
    assert expected["articulo.html"] == seed_words
    for key, (words, shown) in rows.items():
        assert shown == max(1, math.ceil(words / WORDS_PER_MINUTE)), key
    assert rows["Total"][0] == sum(expected.values())


def test_the_landing_page_no_longer_promises_a_fixed_time(site: Path) -> None:
    text = main_of(soup(site / "index.html")).get_text(" ")
    assert "120 palabras por minuto" in text
    assert "entre 60 y 90 minutos" not in text


# --- the name policy ---------------------------------------------------------------------

BANNED = [
    "Tokayev",
    "Tokaev",
    "Tokáev",
    "Tokaiev",
    "Toqaev",
    "Kassym-Jomart",
    "Qasym-Zhomart",
    "Astana",
    "Novorossiysk",
    "Novorossiisk",
    "Novorosisk",
    "Kazajstán",
    "Kazakhstan",
    "Unión Económica Eurasiática",
    "UEEA",
    "Vladimir Putin",
    "Organización Internacional del Idioma Ruso",
]
_BANNED = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, BANNED)) + r")(?!\w)")
#: Pages that discuss the spellings themselves may mention them in italics or «quotes».
DISCUSSING_SPELLING = {"guias/nombres.html", "lectura-critica.html", "contexto/personas.html"}


def _squash(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"\s+([,.;:»)])", r"\1", re.sub(r"([«(])\s+", r"\1", text))


SEED_TEXT = _squash(SEED.read_text(encoding="utf-8")).casefold()


def without_seed_quotes(text: str, *, mentions: bool = False) -> str:
    """Drop «quotes» of the article (and, where allowed, «mentioned» forms)."""

    def keep(match: re.Match[str]) -> str:
        inner = _squash(match.group(1)).casefold()
        if inner and inner in SEED_TEXT:
            return " "
        if mentions and _BANNED.fullmatch(_squash(match.group(1))):
            return " "
        return match.group(0)

    return re.sub(r"«([^«»]*)»", keep, _squash(text))


#: Spellings of the other languages that the names of cited sources keep.
SOURCE_SPELLINGS = {"Astana", "Kazakhstan", "Tokayev", "Kassym-Jomart"}


def sources_prose(text: str) -> str:
    """A footnote without its quoted title, addresses and foreign source names."""
    text = re.sub(r"«[^«»]*»|https?://\S+", " ", text)
    return _BANNED.sub(lambda m: " " if m.group(0) in SOURCE_SPELLINGS else m.group(0), text)


def banned_in(text: str) -> list[str]:
    return sorted(set(_BANNED.findall(text)))


def page_prose(path: Path, relative: str) -> str:
    page = soup(path)
    main = main_of(page)
    for other in main.select("[lang]"):
        if not str(other["lang"]).lower().startswith("es"):
            other.decompose()
    for paragraph in main.select(".cp-para-text"):  # the article itself: keep only our tips
        tips = " ".join(t.get_text(" ") for t in paragraph.select(".cp-tip"))
        paragraph.replace_with(tips)
    for sentence in main.select(".cp-sentence"):  # a sentence of the article to mark, verbatim
        sentence.decompose()
    for note in main.select("aside.footnote"):  # a source: its «title», name and address
        note.replace_with(sources_prose(note.get_text(" ")))
    discussing = relative in DISCUSSING_SPELLING
    if discussing:
        for mention in main.select("em, i"):
            if _BANNED.fullmatch(_squash(mention.get_text())):
                mention.decompose()
    return without_seed_quotes(main.get_text(" "), mentions=discussing)


def test_no_page_uses_a_banned_spelling(site: Path) -> None:
    found = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("_", "genindex", "search")):
            continue
        hits = banned_in(page_prose(path, relative))
        if hits:
            found[relative] = hits
    assert found == {}


def item_prose(item: Item) -> list[str]:
    texts = [item.prompt, item.explanation, item.text, item.model_answer]
    texts += [c.text for c in (*item.options, *item.left, *item.right, *item.elements)]
    texts += [c.feedback for c in item.options]
    texts += list(item.feedback.values()) + [w.feedback for w in item.wrong]
    texts += [c.criterion for c in item.rubric]
    for key in [item.text_key, *(k for _, k in item.blanks)]:
        if key is not None:
            texts += [w.feedback for w in key.wrong] + [key.feedback_incorrect]
    return texts


def test_no_item_uses_a_banned_spelling_outside_quotes_of_the_article() -> None:
    found = {
        item.id: hits
        for item in BANK.items
        if (hits := banned_in(" ".join(without_seed_quotes(t) for t in item_prose(item))))
    }
    assert found == {}


def test_no_glossary_note_uses_a_banned_spelling(article) -> None:
    glossary = load_glossary(DOCS / "_data" / "glosario.yaml", article)
    found = {
        term.id: hits
        for term in glossary
        if (hits := banned_in(without_seed_quotes(f"{term.definition} {term.note}")))
    }
    assert found == {}


def test_the_name_check_finds_a_banned_spelling_and_spares_quotes() -> None:
    assert banned_in(without_seed_quotes("Putin llegó a Astana y saludó a Tokayev.")) == [
        "Astana",
        "Tokayev",
    ]
    assert banned_in(without_seed_quotes("El texto dice «Al llegar a Astana el 27»")) == []
    assert banned_in(without_seed_quotes("Tokáyev, en Astaná y Kazajistán")) == []


# --- typo tolerance never gives full marks to another form of the word ---------------------

#: For each text key (item id, blank or None): other forms of the key and near words.
OTHER_FORMS: dict[tuple[str, str | None], list[str]] = {
    ("detalle-ciudad", None): ["Nursultán", "Nur-Sultán", "Akmola", "Almaty", "Kazajistán"],
    ("detalle-llegada", "b1"): ["comentarios", "artículos", "textos", "comentó", "comentar"],
    ("detalle-llegada", "b2"): ["ruso", "rusa", "rusas", "Rusia", "kazajos"],
    ("detalle-llegada", "b3"): ["visiones", "ideas", "opiniones", "perspectivas", "ver"],
    ("detalle-resumen-energia", "b1"): ["gases", "petróleo"],
    ("detalle-resumen-energia", "b2"): [
        "amistoso",
        "amistosos",
        "amistosas",
        "amigables",
        "amigablemente",
        "amistad",
    ],
    ("detalle-resumen-energia", "b3"): ["Gazprom", "Rosneft"],
    ("vocabulario-kazajo", None): ["kazaja", "kazajos", "kazajas", "kazako", "kazajistano"],
    ("vocabulario-apreton", None): ["apretones", "apretar", "apretó", "aprieto", "manos"],
    ("vocabulario-definiciones", "b1"): [
        "abordar",
        "aborda",
        "abordas",
        "abordamos",
        "abordaron",
        "abordó",
        "aborden",
        "abordando",
    ],
    ("vocabulario-definiciones", "b2"): [
        "divulgar",
        "divulga",
        "divulgaron",
        "divulgó",
        "divulguen",
        "divulgado",
        "divulgados",
    ],
    ("vocabulario-definiciones", "b3"): [
        "allanar",
        "allanan",
        "allanó",
        "allane",
        "allanará",
        "allanando",
    ],
}


def text_keys() -> list[tuple[Item, str | None]]:
    keys: list[tuple[Item, str | None]] = []
    for item in BANK.items:
        if item.type == ItemType.SHORT:
            keys.append((item, None))
        keys += [(item, name) for name, _ in item.blanks]
    return keys


def simple_inflections(word: str) -> set[str]:
    """Gender and number of a lower-case noun or adjective, person and number of a verb."""
    if " " in word or not word.islower():
        return set()
    forms = {word + "s", word + "es"}
    for a, b in (("o", "a"), ("a", "o"), ("os", "as"), ("as", "os"), ("an", "a"), ("a", "an")):
        if word.endswith(a):
            forms.add(word[: -len(a)] + b)
    if word.endswith(("an", "en")):
        forms.add(word[:-2] + "ar")
    if word.endswith("a"):
        forms.add(word[:-1] + "ar")
    return forms


def answer_for(item: Item, blank: str | None, value: str) -> object:
    if blank is None:
        return value
    return {name: (value if name == blank else key.accept[0]) for name, key in item.blanks}


def full_marks(item: Item, blank: str | None, value: str) -> bool:
    return grade_item(item, answer_for(item, blank, value)).status is Status.CORRECT


def test_every_text_key_has_its_list_of_other_forms() -> None:
    assert sorted((i.id, b or "") for i, b in text_keys()) == sorted(
        (i, b or "") for i, b in OTHER_FORMS
    )


def test_no_other_form_of_a_key_gets_full_marks() -> None:
    given = []
    for item, blank in text_keys():
        key = item.text_key if blank is None else dict(item.blanks)[blank]
        assert key is not None
        accepted = {a.casefold() for a in key.accept}
        generated = {f for a in key.accept for f in simple_inflections(a)}
        for form in sorted(set(OTHER_FORMS[(item.id, blank)]) | generated):
            if form.casefold() not in accepted and full_marks(item, blank, form):
                given.append(f"{item.id} {blank or ''}: «{form}»")
    assert given == []


def test_the_key_itself_still_gets_full_marks() -> None:
    for item, blank in text_keys():
        key = item.text_key if blank is None else dict(item.blanks)[blank]
        assert key is not None
        assert all(full_marks(item, blank, a) for a in key.accept), item.id


def test_one_edit_tolerance_would_be_caught() -> None:
    """With ``typos: 1`` «abordar» is one edit from «abordan»: the check must see it."""
    from dataclasses import replace

    item = BANK.item("vocabulario-definiciones")
    blanks = tuple(
        (name, replace(key, wrong=(), policy=replace(key.policy, typos=1)))
        for name, key in item.blanks
    )
    loose = replace(item, blanks=blanks)
    assert full_marks(loose, "b1", "abordar")
    assert not full_marks(item, "b1", "abordar")

"""The extension built in-process on snippet sites (``sphinx.testing``): directive misuse
reported at its file and line, and what practice and exam mode put on an exercise page.

The snippet site (a seed, a one-set bank, an article page, two exercise pages) is the one
of tests/test_diagnostics.py, which covers the bank's and the configuration's errors.
"""

from __future__ import annotations

import json
import re
import warnings
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from .test_diagnostics import PAGES, make_site
from .test_diagnostics import SET as SET_TEXT
from .test_exercises_builders import EVIDENCE_ITEMS, SENTENCE_1, SENTENCE_2, SENTENCE_3

EXPLANATION = "Lo dice el párrafo 2."
FEEDBACK = ("Sí, llega a Astana.", "No. Vuelve a leer el párrafo 2.")


def build(docs: Path, **overrides: object) -> tuple[str, Path, nodes.document]:
    """Build in-process: the warnings (no colour codes), the output folder, uno's doctree."""
    warnings = StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=docs,
        builddir=docs.parent / "_build",
        warning=warnings,
        status=StringIO(),
        confoverrides=dict(overrides) or None,
        freshenv=True,
    )
    try:
        app.build()
        doctree = app.env.get_doctree("uno")
    finally:
        app.cleanup()
    return re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue()), Path(app.outdir), doctree


MISUSE = """\
# Uno

:::{comprende-exercises}
:::

:::{comprende-exercises} uno
Texto que sobra.
:::

:::{comprende-context} 99
Una nota.
:::

:::{comprende-context} 2
:::

:::{comprende-progress}
Texto que sobra.
:::

:::{comprende-answers} panel
:::

:::{comprende-context}
Una nota sin párrafo.
:::

:::{comprende-glossary} todo
:::

:::{comprende-warnings}
Texto.
:::
"""


def test_each_directive_misuse_is_a_typed_warning_at_its_line(tmp_path: Path) -> None:
    """Not docutils' untyped errors: each misuse is ``comprende.directive`` (so it can go in
    ``suppress_warnings``), says what to write instead, and renders nothing."""
    docs = make_site(tmp_path, pages={**PAGES, "uno.md": MISUSE})
    output, out, _ = build(docs)
    where = str(docs / "uno.md")
    expected = {
        3: "comprende-exercises needs the id of a set of the bank (write e.g. "
        "`:::{comprende-exercises} global`) [comprende.directive]",
        6: "comprende-exercises takes no content: remove the text between its `:::` lines "
        "[comprende.directive]",
        10: "the article has no paragraph 99 (it has paragraphs 1 to 11) [comprende.context]",
        14: "comprende-context needs a short note as its content [comprende.context]",
        17: "comprende-progress takes no content: remove the text between its `:::` lines "
        "[comprende.directive]",
        21: "comprende-answers takes no argument: remove 'panel' after its name "
        "[comprende.directive]",
        24: "comprende-context needs the numbers of the paragraphs it is about (write e.g. "
        "`:::{comprende-context} 5 6`) [comprende.directive]",
        28: "comprende-glossary takes no argument: remove 'todo' after its name "
        "[comprende.directive]",
        31: "comprende-warnings takes no content: remove the text between its `:::` lines "
        "[comprende.directive]",
    }
    lines = output.splitlines()
    for line, message in expected.items():
        found = [w for w in lines if w.startswith(f"{where}:{line}: ")]
        assert len(found) == 1 and found[0].endswith(message), (line, output)
    assert len(lines) == len(expected), output
    assert "ERROR" not in output and "docutils" not in output
    page = BeautifulSoup((out / "uno.html").read_text("utf-8"), "html.parser")
    assert page.select(".cp-item, .cp-panel, .cp-progress, table") == []
    quiet = make_site(
        tmp_path / "quiet",
        pages={**PAGES, "uno.md": MISUSE},
        conf='suppress_warnings = ["comprende.directive", "comprende.context"]\n',
    )
    assert build(quiet)[0] == ""
    assert "Traceback" not in output


def test_an_unknown_set_on_a_page_leaves_no_widget(tmp_path: Path) -> None:
    pages = {**PAGES, "uno.md": "# Uno\n\n:::{comprende-exercises} unos\n:::\n"}
    output, out, doctree = build(make_site(tmp_path, pages=pages))
    assert f"{tmp_path / 'docs' / 'uno.md'}:3: " in output and "'unos'" in output
    page = BeautifulSoup((out / "uno.html").read_text("utf-8"), "html.parser")
    assert page.select(".cp-item") == [] and page.select('script[id^="cp-data-"]') == []
    assert list(doctree.findall(nodes.raw)) == []


def item_fragment(page: BeautifulSoup) -> str:
    """The item's widget, whitespace normalised, without its actions and feedback area."""
    section = page.find(id="item-uno-llegada")
    for extra in section.select(".cp-actions, .cp-feedback"):
        extra.decompose()
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(section))).strip()


@pytest.fixture(scope="module")
def both_modes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path, object]]:
    built = {}
    for mode in ("practice", "exam"):
        docs = make_site(tmp_path_factory.mktemp(mode))
        built[mode] = build(docs, comprende_mode=mode)
    return built


def page_of(out: Path) -> tuple[BeautifulSoup, dict]:
    page = BeautifulSoup((out / "uno.html").read_text("utf-8"), "html.parser")
    return page, json.loads(page.find(id="cp-data-uno").string)


def test_both_modes_build_without_warnings(both_modes) -> None:
    assert {mode: output for mode, (output, _, _) in both_modes.items()} == {
        "practice": "",
        "exam": "",
    }


def test_practice_mode_carries_the_key_and_the_check_buttons(both_modes) -> None:
    _, out, _ = both_modes["practice"]
    page, data = page_of(out)
    assert data["mode"] == "practice"
    (item,) = data["pageItems"]
    assert (item["key"], item["explanation"]) == (True, EXPLANATION)
    assert item["evidence"] == [{"quote": "Al llegar a Astana el 27 de noviembre", "paragraph": 2}]
    assert tuple(item["feedback"].values()) == FEEDBACK
    assert [b.get_text(strip=True) for b in page.select(".cp-check")] == ["Comprobar"]
    assert page.select(".cp-check-all") and page.select("#uno-llegada--feedback[aria-live]")


def test_exam_mode_shows_the_same_widget_and_nothing_of_the_key(both_modes) -> None:
    _, practice_out, _ = both_modes["practice"]
    _, exam_out, exam_doctree = both_modes["exam"]
    page, data = page_of(exam_out)
    assert data["mode"] == "exam"
    assert data["pageItems"] == [{"id": "uno-llegada", "type": "verdadero-falso", "points": 1.0}]
    assert page.select(".cp-check, .cp-check-all, .cp-feedback") == []
    assert [b.get_text(strip=True) for b in page.select(".cp-download")] == ["Descargar respuestas"]
    assert item_fragment(page) == item_fragment(page_of(practice_out)[0])
    for path in exam_out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt"):
            text = path.read_text("utf-8", errors="replace")
            assert EXPLANATION not in text and not any(f in text for f in FEEDBACK), path
    assert EXPLANATION not in exam_doctree.astext()


def test_the_item_widget_as_the_student_gets_it(both_modes) -> None:
    _, out, _ = both_modes["exam"]
    assert item_fragment(page_of(out)[0]) == (
        '<section aria-labelledby="item-uno-llegada-title" class="cp-item" '
        'data-item="uno-llegada" id="item-uno-llegada">'
        '<h2 class="cp-item-title" id="item-uno-llegada-title">Pregunta 1 '
        '<span class="cp-item-meta">(verdadero o falso, 1 punto)</span></h2>'
        '<fieldset class="cp-answer"><legend class="cp-prompt">Putin llega a Astana.</legend>'
        '<div class="cp-options">'
        '<div class="cp-option"><input id="uno-llegada--v" name="uno-llegada" type="radio" '
        'value="true"/><label for="uno-llegada--v">Verdadero</label></div>'
        '<div class="cp-option"><input id="uno-llegada--f" name="uno-llegada" type="radio" '
        'value="false"/><label for="uno-llegada--f">Falso</label></div>'
        "</div></fieldset></section>"
    )


def test_a_context_note_in_a_subfolder_links_from_the_article_without_deprecated_api(
    tmp_path: Path,
) -> None:
    """The article's card for paragraph 2 links to the note's section in ``contexto/``, by a
    path relative to the article, and the build uses no API Sphinx has deprecated."""
    note = "# Kazajistán\n\n## La capital\n\n:::{comprende-context} 2\nAstana es la capital.\n:::\n"
    pages = {**PAGES, "index.md": PAGES["index.md"].replace("dos\n", "dos\ncontexto/pais\n")}
    docs = make_site(tmp_path, pages={**pages, "contexto/pais.md": note})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        output, outdir, _ = build(docs)
    assert "WARNING" not in output, output
    deprecated = [
        f"{w.filename}:{w.lineno}: {w.message}"
        for w in caught
        if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))
        and "comprende" in w.filename
    ]
    assert deprecated == []
    article = BeautifulSoup((outdir / "articulo.html").read_text(encoding="utf-8"), "html.parser")
    card = article.select_one("aside#cp-ctx-2")
    assert card is not None
    assert "Astana es la capital." in card.get_text()
    link = card.select_one(".cp-context-more a")
    assert link is not None
    assert link.get_text() == "Kazajistán: La capital"
    page, _, anchor = link["href"].partition("#")
    assert page == "contexto/pais.html"
    target = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    assert target.find(id=anchor) is not None


HOSTILE = "<!--<script> & <b>x</b>"  # no "-->": the old escaping left the page open


def test_author_text_with_script_markup_stays_data_in_the_pages_json(tmp_path: Path) -> None:
    """An explanation or feedback holding ``<!--<script>`` cannot change how the browser
    reads the page: the data scripts hold no ``<``, ``>`` or ``&``, and give back the text."""
    hostile = SET_TEXT.replace("Lo dice el párrafo 2.", f'"{HOSTILE}"').replace(
        "Sí, llega a Astana.", f'"Sí. {HOSTILE}"'
    )
    output, out, _ = build(make_site(tmp_path, set_text=hostile), comprende_mode="practice")
    assert output == ""
    for name in ("uno.html", "dos.html"):
        page = BeautifulSoup((out / name).read_text("utf-8"), "html.parser")
        scripts = page.select('script[type="application/json"]')
        assert {s["id"] for s in scripts} >= {"cp-data-uno"}
        for script in scripts:
            assert not set("<>&") & set(script.string), (name, script["id"])
            json.loads(script.string)
    _, data = page_of(out)
    (item,) = data["pageItems"]
    assert item["explanation"] == HOSTILE
    assert item["feedback"]["true"] == f"Sí. {HOSTILE}"


def test_module_imports_resolve_from_pages_at_the_root_and_in_folders(tmp_path: Path) -> None:
    """Each exercise page's module script imports files that exist, by specifiers a browser
    accepts (``./`` or ``../``: a bare ``_static/…`` is refused as a package name)."""
    pages = {**PAGES, "index.md": PAGES["index.md"].replace("dos\n", "dos\nsub/tres\n")}
    pages["sub/tres.md"] = "# Tres\n\n:::{comprende-exercises} uno\n:::\n"
    output, out, _ = build(make_site(tmp_path, pages=pages))
    assert output == ""
    for name in ("uno.html", "dos.html", "sub/tres.html"):
        page = BeautifulSoup((out / name).read_text("utf-8"), "html.parser")
        (module,) = page.select('script[type="module"]')
        specifiers = re.findall(r'from\s*"([^"]+)"', module.string)
        assert len(specifiers) == 2, (name, module.string)  # the core and verdadero-falso
        for specifier in specifiers:
            assert specifier.startswith(("./", "../")), (name, specifier)
            target = (out / name).parent / specifier.partition("?")[0]
            assert target.is_file(), (name, specifier)


def test_the_evidence_types_widgets_as_the_student_gets_them(tmp_path: Path) -> None:
    """A sentence selection is one toggle button per sentence of its paragraph, unpressed,
    in the article's words; a two-part item shows Part A's choices and Part B's sentences;
    the exam build carries neither key."""
    set_text = SET_TEXT + EVIDENCE_ITEMS
    for mode in ("practice", "exam"):
        output, out, _ = build(make_site(tmp_path / mode, set_text=set_text), comprende_mode=mode)
        assert output == "", output
        page, data = page_of(out)
        marca = page.find(id="item-uno-marca")
        buttons = marca.select("button.cp-sentence")
        assert [b["data-sentence"] for b in buttons] == ["2.1", "2.2"]
        assert all(b["aria-pressed"] == "false" and b["type"] == "button" for b in buttons)
        assert buttons[0].get_text().startswith(SENTENCE_1)
        assert buttons[1].get_text().startswith(SENTENCE_2)
        hint = marca.select_one("fieldset.cp-answer")["aria-describedby"]
        assert marca.find(id=hint).get_text(strip=True).startswith("Pulsa cada frase")
        partes = page.find(id="item-uno-partes")
        text = " ".join(partes.get_text(" ").split())
        for expected in ("¿Qué quiere Toqaev?", "Reforzar los lazos con Rusia.", SENTENCE_3):
            assert expected in text, expected
        radios = partes.select('input[type="radio"]')
        assert len(radios) == 2 and all(
            partes.select_one(f'label[for="{r["id"]}"]') for r in radios
        )
        assert [b["data-sentence"] for b in partes.select("button.cp-sentence")] == ["3.1", "3.2"]
        items = {i["id"]: i for i in data["pageItems"]}
        if mode == "practice":
            assert items["uno-marca"]["key"] == ["2.1"]
        else:
            assert all("key" not in item for item in items.values())

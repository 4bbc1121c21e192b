"""The extension's warnings as an author sees them: typed, at their file and line, once.

Small snippet sites are built in-process with ``sphinx.testing`` (``SphinxTestApp``):
a seed, a one-set bank, an article page and two exercise pages.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from comprende.article import Article
from comprende.bank import MODULE_FIELDS, SET_FIELDS, load_bank
from comprende.diagnostics import (
    WARNING_TYPE,
    Kind,
    closest,
    misspelt_missing,
    quote_mismatch,
    unknown_field,
)
from comprende.errors import ComprendeError
from comprende.glossary import load_glossary

from .conftest import ROOT, SEED

SRC = ROOT / "src" / "comprende"

MODULE = """\
id: prueba
title: Prueba
version: 1
article: seed.txt
sets: [uno]
"""

ITEM = """\
  - id: uno-llegada
    type: verdadero-falso
    prompt: Putin llega a Astana.
    points: 1
    skill: literal
    level: A2
    evidence:
      - "Al llegar a Astana el 27 de noviembre"
    explanation: Lo dice el párrafo 2.
    key: true
    feedback:
      true: Sí, llega a Astana.
      false: No. Vuelve a leer el párrafo 2.
"""

SET = "id: uno\ntitle: Uno\ninstructions: Responde.\nitems:\n" + ITEM

PAGES = {
    "index.md": "# Inicio\n\n```{toctree}\narticulo\nuno\ndos\n```\n",
    "articulo.md": "# Artículo\n\n:::{comprende-article}\n:::\n",
    "uno.md": "# Uno\n\n:::{comprende-exercises} uno\n:::\n\n:::{comprende-answers}\n:::\n",
    "dos.md": "# Dos\n\n:::{comprende-exercises} uno\n:::\n",
}


def make_site(
    root: Path,
    *,
    set_text: str = SET,
    module: str = MODULE,
    pages: dict[str, str] | None = None,
    conf: str = "",
) -> Path:
    """A snippet site under ``root``; returns its ``docs`` folder."""
    docs, bank = root / "docs", root / "exercises"
    docs.mkdir(parents=True)
    bank.mkdir()
    shutil.copy(SEED, root / "seed.txt")
    (bank / "module.yaml").write_text(module, encoding="utf-8")
    (bank / "uno.yaml").write_text(set_text, encoding="utf-8")
    (docs / "glosario.yaml").write_text("terms: []\n", encoding="utf-8")
    (docs / "conf.py").write_text(
        'extensions = ["myst_parser", "comprende"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'source_suffix = {".md": "markdown"}\n'
        'language = "es"\n'
        'comprende_article = "../seed.txt"\n'
        'comprende_glossary = "glosario.yaml"\n'
        'comprende_bank = "../exercises"\n' + conf,
        encoding="utf-8",
    )
    for name, text in (pages or PAGES).items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def build(docs: Path, **overrides: object) -> str:
    """Build the site in-process; what Sphinx printed as warnings."""
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
    finally:
        app.cleanup()
    return _plain(warnings.getvalue())


def _plain(text: str) -> str:
    """Without the terminal's colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def typed(output: str, kind: Kind | None = None) -> list[str]:
    """The warning lines (first line of each) of comprende, or of one kind."""
    code = kind.code if kind else WARNING_TYPE
    starts = [m.start() for m in re.finditer(r"^(?:\S.*?: )?WARNING: ", output, re.M)]
    ends = [*starts[1:], len(output)]
    blocks = [output[a:b] for a, b in zip(starts, ends, strict=False)]
    return [b for b in blocks if f"[{code}" in b]


def test_the_snippet_site_builds_without_any_warning(tmp_path: Path) -> None:
    output = build(make_site(tmp_path))
    assert output == ""
    assert (tmp_path / "_build" / "html" / "uno.html").exists()


def test_a_bad_bank_file_is_reported_once_per_build_at_its_line(tmp_path: Path) -> None:
    """Three pages use the bank (two sets, the answers panel): one warning, not three."""
    broken = SET.replace("27 de noviembre", "28 de noviembre")
    output = build(make_site(tmp_path, set_text=broken))
    warnings = typed(output)
    assert len(warnings) == 1, output
    line = broken.splitlines().index('      - "Al llegar a Astana el 28 de noviembre"') + 1
    assert warnings[0].startswith(f"{tmp_path / 'exercises' / 'uno.yaml'}:{line}: WARNING: ")
    assert "item 'uno-llegada': evidence is not a verbatim quote" in warnings[0]
    assert warnings[0].rstrip().endswith("[comprende.evidence]")
    # The author is told where the quote and the seed part, and what to do.
    assert "closest sentence (2.1: paragraph 2, sentence 1)" in warnings[0]
    assert "'8' (U+0038 DIGIT EIGHT) in the quote, '7' (U+0037 DIGIT SEVEN)" in warnings[0]
    assert "→ copy the words from seeds/ exactly" in warnings[0]
    # The pages go without the exercises (no traceback, no half-rendered form).
    page = (tmp_path / "_build" / "html" / "uno.html").read_text("utf-8")
    assert "cp-exercises" not in page


def test_a_misspelt_required_field_is_named_with_its_valid_name(tmp_path: Path) -> None:
    broken = SET.replace("    explanation:", "    explantion:")
    output = build(make_site(tmp_path, set_text=broken))
    warnings = typed(output, Kind.BANK)
    assert len(warnings) == 1, output
    line = broken.splitlines().index("    explantion: Lo dice el párrafo 2.") + 1
    assert warnings[0].startswith(f"{tmp_path / 'exercises' / 'uno.yaml'}:{line}: WARNING: ")
    assert (
        "item 'uno-llegada': unknown field `explantion`: did you mean `explanation`? "
        "(`explanation` is missing)" in warnings[0]
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # a type's own field
        ("    key: true", "    kye: true", "unknown field `kye` for type verdadero-falso"),
        # the optional common field
        (
            "    level: A2",
            "    level: A2\n    contxt: petroleo-80",
            "unknown field `contxt` for type verdadero-falso: did you mean `context`?",
        ),
        # a misspelt type, skill or level
        (
            "    type: verdadero-falso",
            "    type: verdadero_falso",
            "unknown type 'verdadero_falso': did you mean `verdadero-falso`?",
        ),
        ("    level: A2", "    level: a2", "unknown level 'a2': did you mean `A2`?"),
        (
            "    skill: literal",
            "    skill: litteral",
            "unknown skill 'litteral': did you mean `literal`?",
        ),
        # a set's field
        (
            "instructions: Responde.",
            "instrucions: Responde.",
            "set 'uno': unknown field `instrucions`: did you mean `instructions`?",
        ),
    ],
)
def test_unknown_fields_suggest_the_closest_valid_name(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in SET
    text = SET.replace(old, new)
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "module.yaml").write_text(MODULE, encoding="utf-8")
    (tmp_path / "exercises" / "uno.yaml").write_text(text, encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    with pytest.raises(ComprendeError) as caught:
        load_bank(tmp_path / "exercises")
    assert message in caught.value.message
    assert caught.value.line == text.splitlines().index(new.splitlines()[-1]) + 1


def test_an_unknown_module_field_suggests_the_closest(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "module.yaml").write_text(
        MODULE.replace("version: 1", "versoin: 1"), encoding="utf-8"
    )
    (tmp_path / "exercises" / "uno.yaml").write_text(SET, encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    with pytest.raises(ComprendeError) as caught:
        load_bank(tmp_path / "exercises")
    assert caught.value.message == "module: unknown field `versoin`: did you mean `version`?"
    assert caught.value.line == 3
    assert "fields: " + ", ".join(MODULE_FIELDS) == caught.value.fix
    assert "items" in SET_FIELDS


def test_suppressing_one_kind_silences_it_and_only_it(tmp_path: Path) -> None:
    pages = {
        **PAGES,
        "nota.md": "# Nota\n\n:::{comprende-context} 99\nUna nota.\n:::\n",
        "index.md": PAGES["index.md"].replace("dos\n", "dos\nnota\n"),
    }
    broken = SET.replace("27 de noviembre", "28 de noviembre")
    loud = build(make_site(tmp_path / "a", set_text=broken, pages=pages))
    assert len(typed(loud, Kind.EVIDENCE)) == 1, loud
    assert len(typed(loud, Kind.CONTEXT)) == 1, loud
    context = typed(loud, Kind.CONTEXT)[0]
    assert context.startswith(f"{tmp_path / 'a' / 'docs' / 'nota.md'}:3: WARNING: ")
    assert "the article has no paragraph 99 (it has paragraphs 1 to 11)" in context

    quiet = build(
        make_site(
            tmp_path / "b",
            set_text=broken,
            pages=pages,
            conf='suppress_warnings = ["comprende.evidence"]\n',
        )
    )
    assert typed(quiet, Kind.EVIDENCE) == []
    assert len(typed(quiet, Kind.CONTEXT)) == 1, quiet
    assert len(typed(quiet)) == 1, quiet

    silent = build(
        make_site(
            tmp_path / "c", set_text=broken, pages=pages, conf='suppress_warnings = ["comprende"]\n'
        )
    )
    assert typed(silent) == [] and "WARNING" not in silent, silent


def test_an_unknown_set_names_the_closest_one_at_the_page_line(tmp_path: Path) -> None:
    pages = {**PAGES, "dos.md": "# Dos\n\nTexto.\n\n:::{comprende-exercises} unno\n:::\n"}
    output = build(make_site(tmp_path, pages=pages))
    warnings = typed(output)
    assert len(warnings) == 1, output
    assert warnings[0].startswith(f"{tmp_path / 'docs' / 'dos.md'}:5: WARNING: ")
    assert "unknown set 'unno': did you mean `uno`? (the bank has: uno)" in warnings[0]
    assert warnings[0].rstrip().endswith("[comprende.exercises]")


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (
            ":::{comprende-context} cinco\nUna nota.\n:::\n",
            "comprende-context takes paragraph numbers, not 'cinco'",
        ),
        (":::{comprende-context} 5\n:::\n", "comprende-context needs a short note"),
    ],
)
def test_a_malformed_context_note(tmp_path: Path, note: str, message: str) -> None:
    pages = {
        **PAGES,
        "nota.md": "# Nota\n\n" + note,
        "index.md": PAGES["index.md"].replace("dos\n", "dos\nnota\n"),
    }
    output = build(make_site(tmp_path, pages=pages))
    warnings = typed(output, Kind.CONTEXT)
    assert len(warnings) == 1 and output.count("WARNING") == 1, output
    assert warnings[0].startswith(f"{tmp_path / 'docs' / 'nota.md'}:3: WARNING: {message}")


LINKS = {
    **PAGES,
    "enlaces.md": "# Enlaces\n\nVer el {ref}`párrafo 2 <parrafo-2>` y el {ref}`parrafo-5`.\n",
    "index.md": PAGES["index.md"].replace("dos\n", "dos\nenlaces\n"),
}


def test_an_item_context_label_the_site_lacks(tmp_path: Path) -> None:
    """At the item's `context:` line, with the closest label; the link stays plain text."""
    pages = {
        **PAGES,
        "fondo.md": "# Fondo\n\n(petroleo-80)=\n## El petróleo\n\nTexto.\n",
        "index.md": PAGES["index.md"].replace("dos\n", "dos\nfondo\n"),
    }
    text = SET.replace("    level: A2\n", "    level: A2\n    context: petroleo-8\n")
    output = build(make_site(tmp_path, set_text=text, pages=pages))
    warnings = typed(output)
    # Two pages show the set, so the link is on both: one warning all the same.
    assert len(warnings) == 1 and output.count("WARNING") == 1, output
    line = text.splitlines().index("    context: petroleo-8") + 1
    assert warnings[0] == (
        f"{tmp_path / 'exercises' / 'uno.yaml'}:{line}: WARNING: `context: petroleo-8` is not "
        "the label of a section: did you mean `petroleo-80`? [comprende.context]\n"
    )


def test_a_missing_article_is_reported_once(tmp_path: Path) -> None:
    """One warning: not one more per page that uses it, nor per link to a paragraph."""
    docs = make_site(tmp_path, pages=LINKS)
    (tmp_path / "seed.txt").unlink()
    output = build(docs)
    warnings = typed(output)
    assert len(warnings) == 1 and output.count("WARNING") == 1, output
    assert warnings[0].startswith(f"{tmp_path / 'seed.txt'}:: WARNING: the article file does not")
    assert warnings[0].rstrip().endswith("[comprende.article]")


def test_a_link_to_a_paragraph_the_article_lacks_still_warns(tmp_path: Path) -> None:
    pages = {**LINKS, "enlaces.md": "# Enlaces\n\nVer el {ref}`párrafo 12 <parrafo-12>`.\n"}
    output = build(make_site(tmp_path, pages=pages))
    assert "enlaces.md:3: WARNING: undefined label: 'parrafo-12' [ref.ref]" in output, output
    assert output.count("WARNING") == 1


def test_a_bad_glossary_is_reported_once_and_the_article_still_shows(tmp_path: Path) -> None:
    docs = make_site(tmp_path)
    (docs / "glosario.yaml").write_text("terminos: []\n", encoding="utf-8")
    output = build(docs)
    warnings = typed(output)
    assert len(warnings) == 1, output
    assert warnings[0].startswith(f"{docs / 'glosario.yaml'}:1: WARNING: the glossary must be")
    assert warnings[0].rstrip().endswith("[comprende.glossary]")
    page = (tmp_path / "_build" / "html" / "articulo.html").read_text("utf-8")
    assert page.count('class="cp-para"') == 11


def test_a_bank_fixed_between_builds_is_read_again(tmp_path: Path) -> None:
    """The bank is cached for the application; a changed file is read again."""
    docs = make_site(tmp_path, set_text=SET.replace("27 de", "28 de"))
    warnings = StringIO()
    app = SphinxTestApp(
        "html", srcdir=docs, builddir=tmp_path / "_build", warning=warnings, status=StringIO()
    )
    try:
        app.build()
        assert len(typed(_plain(warnings.getvalue()))) == 1
        (tmp_path / "exercises" / "uno.yaml").write_text(SET, encoding="utf-8")
        warnings.truncate(0)
        warnings.seek(0)
        app.build()
    finally:
        app.cleanup()
    assert typed(_plain(warnings.getvalue())) == []
    assert "cp-exercises" in (tmp_path / "_build" / "html" / "uno.html").read_text("utf-8")


# -- the message helpers ---------------------------------------------------------------


def test_closest_names() -> None:
    fields = ["explanation", "evidence", "prompt", "points", "level"]
    assert closest("explantion", fields) == "explanation"
    assert closest("Evidencia", fields) == "evidence"
    assert closest("zzz", fields) is None
    assert unknown_field("promt", fields) == "unknown field `promt`: did you mean `prompt`?"
    assert unknown_field("zzz", fields) == "unknown field `zzz`"
    # A type's own field is not taken for a misspelt common one.
    assert misspelt_missing(["explanation"], ["options", "feedback"]) is None
    assert misspelt_missing(["explanation", "level"], ["options", "lvel"]) == ("lvel", "level")


def test_a_quote_parts_where_its_first_character_differs(article: Article) -> None:
    text = quote_mismatch("Más del 80 % del petróleo de Kazajistán", article)
    assert "closest sentence (6.1: paragraph 6, sentence 1): «Más del 80% del petróleo" in text
    assert "they part at character 11 of the quote: ' ' (U+0020 SPACE) in the quote" in text
    assert "'%' (U+0025 PERCENT SIGN) in the article" in text
    lines = text.splitlines()
    quote, seed, caret = lines[-3], lines[-2], lines[-1]
    assert quote.endswith("«Más del 80 % del petróleo de Kazaj…")
    assert seed.endswith("«Más del 80% del petróleo de Kazaji…")
    # The caret points at the place in both excerpts.
    column = caret.index("^")
    assert quote[column] == " " and seed[column] == "%"


def test_a_quote_that_goes_on_past_its_paragraph(article: Article) -> None:
    text = quote_mismatch("entre Kazajistán y Rusia. A pesar de los desafíos", article)
    assert "(10.1: paragraph 10, sentence 1)" in text
    assert "' ' (U+0020 SPACE) in the quote, the end of the paragraph in the article" in text


def test_a_quote_with_a_wrong_first_character(article: Article) -> None:
    text = quote_mismatch("XAl llegar a Astana el 27", article)
    assert "(2.1: paragraph 2" in text
    assert "character 1 of the quote: 'X'" in text
    assert "the start of the paragraph in the article" in text


def test_a_quote_with_nothing_in_common(article: Article) -> None:
    assert "no 4 characters in a row of it are in the article" in quote_mismatch("Qzxw", article)


def test_every_kind_is_documented_and_named_once() -> None:
    values = [kind.value for kind in Kind]
    assert len(values) == len(set(values))
    for kind in Kind:
        assert re.fullmatch(r"[a-z]+", kind.value)
        assert kind.code == f"comprende.{kind.value}"
        assert len(kind.help) > 40 and kind.help.endswith(".")


def test_the_author_guide_lists_the_kinds_from_the_enum(tmp_path: Path) -> None:
    """The guide renders the table with ``comprende-warnings``; the page shows every kind."""
    guide = (ROOT / "docs" / "guias" / "autores.md").read_text("utf-8")
    assert ":::{comprende-warnings}" in guide
    pages = {**PAGES, "avisos.md": "# Avisos\n\n:::{comprende-warnings}\n:::\n"}
    pages["index.md"] = PAGES["index.md"].replace("dos\n", "dos\navisos\n")
    output = build(make_site(tmp_path, pages=pages))
    assert output == ""
    page = (tmp_path / "_build" / "html" / "avisos.html").read_text("utf-8")
    rows = re.findall(
        r'<tr class="row-(?:odd|even)"><td><p><code[^>]*><span class="pre">'
        r"([a-z.]+)</span>",
        page,
    )
    assert rows == [kind.code for kind in Kind]


# -- the import graph ------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The modules of comprende that ``path`` imports, anywhere in it (but TYPE_CHECKING)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in modules else module)
    return {m for m in found if m in modules and m != name}


def _discovers(path: Path) -> bool:
    """Whether a package's ``__init__.py`` imports its own subpackages and modules by
    name at run time (``pkgutil.iter_modules(__path__)``), as the registries do."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Call)
        and ast.unparse(node.func).endswith("iter_modules")
        and any(ast.unparse(arg) == "__path__" for arg in node.args)
        for node in ast.walk(tree)
    )


def import_graph() -> dict[str, set[str]]:
    """Every module's imports; a registry that discovers its package's modules (see
    :func:`_discovers`) imports each of them, so it has an edge to each."""
    paths = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph = {name: _imports(path, set(paths)) for name, path in paths.items()}
    for name, path in paths.items():
        if path.name == "__init__.py" and _discovers(path):
            graph[name] |= {m for m in paths if m.rpartition(".")[0] == name}
    return graph


def test_the_import_graph_is_read_from_the_sources() -> None:
    graph = import_graph()
    assert "comprende.ext.common" in graph["comprende.ext.article"]
    assert "comprende.diagnostics" in graph["comprende.bank"]
    # A lazy import inside a function counts too.
    assert "comprende.bank" in graph["comprende.ext.common"]
    # So do the registries' imports by name: every type package, every format module.
    assert {"comprende.types.huecos", "comprende.types.base"} <= graph["comprende.types"]
    assert "comprende.exports.gift" in graph["comprende.exports"]
    # A type package never imports grading, nor the registry that imports it.
    for name in graph:
        if name.startswith("comprende.types."):
            assert not {"comprende.grading", "comprende.types"} & graph[name], name


def test_no_import_cycle_within_comprende() -> None:
    graph = import_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize(
    "module", sorted(p.stem for p in (SRC / "ext").glob("*.py") if p.stem != "__init__")
)
def test_each_ext_module_imports_on_its_own(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import comprende.ext.{module}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_a_glossary_example_that_is_not_verbatim_shows_where(
    tmp_path: Path, article: Article
) -> None:
    path = tmp_path / "glosario.yaml"
    path.write_text(
        "terms:\n"
        "  - id: apreton\n"
        "    term: apretón de manos\n"
        "    category: locución nominal\n"
        "    definition: Saludo.\n"
        "    english: handshake\n"
        "    level: B1\n"
        '    forms: ["apretón de manos"]\n'
        '    example: "Putin es recibido por Toqaev con un firme apreton de manos"\n',
        encoding="utf-8",
    )
    with pytest.raises(ComprendeError) as caught:
        load_glossary(path, article)
    assert caught.value.line == 9
    assert "closest sentence (2.1: paragraph 2, sentence 1)" in caught.value.message
    assert "'o' (U+006F LATIN SMALL LETTER O) in the quote" in caught.value.message
    assert "'ó' (U+00F3 LATIN SMALL LETTER O WITH ACUTE) in the article" in caught.value.message


def test_a_bad_bank_is_reported_once_in_a_parallel_build(tmp_path: Path) -> None:
    """`-j 4`: each reading process loads the bank; the build's log has the error once."""
    names = [f"serie{n}" for n in range(8)]
    pages = {f"{name}.md": PAGES["dos.md"] for name in names}
    pages["index.md"] = "# Inicio\n\n```{toctree}\n" + "\n".join(names) + "\n```\n"
    docs = make_site(tmp_path, set_text=SET.replace("27 de", "28 de"), pages=pages)
    warnings = StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=docs,
        builddir=tmp_path / "_build",
        warning=warnings,
        status=StringIO(),
        parallel=4,
    )
    try:
        assert app.parallel == 4 and app.is_parallel_allowed("read")
        app.build()
    finally:
        app.cleanup()
    output = _plain(warnings.getvalue())
    assert len(typed(output, Kind.EVIDENCE)) == 1 and output.count("WARNING") == 1, output


def test_a_misspelt_glossary_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "glosario.yaml"
    path.write_text(
        "terms:\n"
        "  - id: apreton\n"
        "    term: apretón de manos\n"
        "    category: locución nominal\n"
        "    defintion: Saludo.\n"
        "    english: handshake\n"
        "    level: B1\n"
        '    forms: ["apretón de manos"]\n'
        '    example: "Putin es recibido por Toqaev con un firme apretón de manos"\n',
        encoding="utf-8",
    )
    with pytest.raises(ComprendeError) as caught:
        load_glossary(path)
    assert caught.value.message == (
        "unknown field `defintion`: did you mean `definition`? (`definition` is missing)"
    )
    assert caught.value.line == 5


def test_the_loader_and_its_messages_do_not_import_sphinx() -> None:
    """The grader and the command line load the bank without paying for Sphinx."""
    code = (
        "import sys, comprende.bank, comprende.diagnostics, comprende.glossary\n"
        "print(sorted(m for m in sys.modules if m == 'sphinx' or m.startswith('sphinx.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

"""The extension's CSS and JavaScript, and the theme (Furo) in the site's language.

Strings, in three classes:

- Furo's templates mark most of their strings for translation (``_("Next")``,
  ``{% trans %}Back to top{% endtrans %}``); Sphinx's own Spanish catalog does not cover
  them. The extension ships ``locale/<lang>/LC_MESSAGES/sphinx.po``, compiles it at build
  time (Babel, a Sphinx dependency) into the doctree folder and registers it with
  :meth:`~sphinx.application.Sphinx.add_message_catalog` for the ``sphinx`` domain: the
  catalog joins Sphinx's translator as its fallback, and that translator is the one
  Sphinx installs as the templates' ``_()``/``gettext``.
- A few strings are hard-coded in English in Furo's templates (aria-labels of the
  sidebar toggles and of the theme toggle, the icons' titles, a possessive in the
  footer). Rather than copying Furo's templates (which would then drift from Furo's),
  a Jinja2 extension's ``preprocess`` wraps those exact literals in ``_()`` before Jinja2
  compiles Furo's template, so the catalog translates them. Each literal is expected a
  known number of times: if Furo changes one, the page fails to render with a
  :class:`~sphinx.errors.ThemeError` that says which literal is missing.
- ``furo/navigation.py`` builds the navigation tree's "Toggle navigation of …" labels in
  Python; they are translated (through the same catalog) in ``html-page-context``.

The search page's script takes its strings from ``_static/translations.js``, copied from
Sphinx's Spanish JavaScript catalog; at the end of the build the entries our catalog
translates are merged into it (Sphinx leaves the results count untranslated).

The footer's copyright line credits the article's source (``html_context``'s
``comprende_source``: its name and address), linked.

Weight: Sphinx and sphinx-design add their stylesheets (and sphinx-design its tabs
script) to every page. A page keeps Pygments' stylesheet (and Furo's inline style of
code colours) only if it shows highlighted code, and sphinx-design's files only if it
uses one of its components, judged from the page's doctree and from its rendered body
(either one keeps them). Furo's templates are loaded without their indentation, and
its icon sprite without the icons of top-of-page buttons the options hide. Our own CSS
and JavaScript are served compacted (:mod:`.compact`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from jinja2.ext import Extension
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.errors import ThemeError

from .compact import compact_js, compact_tree

STATIC = Path(__file__).resolve().parent.parent / "static"
LOCALE = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "sphinx"
_CAPTION = re.compile(r'(<p class="caption" role="heading")(?! aria-level)')
_NAV_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')
_NAV_TOGGLE_MSGID = "Toggle navigation of %(title)s"


# --- the message catalog ------------------------------------------------------------


def compile_catalogs(language: str, target: Path, source: Path = LOCALE) -> Path | None:
    """Compile ``source/<language>/LC_MESSAGES/*.po`` into ``target`` (same layout).

    Returns ``target`` if there is a catalog for ``language``, else ``None``. A ``.mo``
    newer than its ``.po`` is kept; a new one is written atomically (concurrent builds
    may share the folder).
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po_dir = source / language / "LC_MESSAGES"
    catalogs = sorted(po_dir.glob("*.po")) if po_dir.is_dir() else []
    if not catalogs:
        return None
    mo_dir = target / language / "LC_MESSAGES"
    mo_dir.mkdir(parents=True, exist_ok=True)
    for po in catalogs:
        mo = mo_dir / f"{po.stem}.mo"
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        fd, tmp = tempfile.mkstemp(dir=mo_dir, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo)
    return target


def read_catalog(language: str, source: Path = LOCALE) -> dict[str, str | list[str]]:
    """Our translations for ``language``: msgid → msgstr (a list of forms for plurals)."""
    from babel.messages.pofile import read_po

    po = source / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return {}
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    result: dict[str, str | list[str]] = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str) and isinstance(message.string, str):
            result[message.id] = message.string
        elif not isinstance(message.id, str) and not isinstance(message.string, str):
            result[message.id[0]] = list(message.string)
    return result


def _register_catalog(app: Sphinx) -> None:
    language = app.config.language or "en"
    target = compile_catalogs(language, Path(app.doctreedir) / "comprende-locale")
    if target is not None:
        app.add_message_catalog(DOMAIN, str(target))


# --- literals hard-coded in Furo's templates -----------------------------------------


@dataclass(frozen=True)
class Literal:
    """``before + text + after`` in a template, ``count`` times; ``text`` gets wrapped."""

    before: str
    text: str
    after: str
    count: int

    def wrapped(self) -> str:
        return self.before + "{{ _(" + json.dumps(self.text) + ") }}" + self.after


def _attribute(name: str, text: str, count: int = 1) -> Literal:
    return Literal(f'{name}="', text, '"', count)


def _title(text: str) -> Literal:
    return Literal("<title>", text, "</title>", 1)


#: Furo's template (relative to its theme folder) → its English literals.
FURO_LITERALS: dict[str, tuple[Literal, ...]] = {
    "page.html": (
        _attribute("aria-label", "Toggle site navigation sidebar"),
        _attribute("aria-label", "Toggle table of contents sidebar"),
        _attribute("aria-label", "Toggle Light / Dark / Auto color theme", 2),
        Literal("", '<a class="muted-link" href="https://pradyunsg.me">@pradyunsg</a>\'s', "", 1),
    ),
    "partials/icons.html": tuple(
        _title(text)
        for text in (
            "Contents",
            "Menu",
            "Expand",
            "Light mode",
            "Dark mode",
            "Auto light/dark, in light mode",
            "Auto light/dark, in dark mode",
        )
    ),
}


def wrap_literals(source: str, literals: Iterable[Literal], template: str) -> str:
    """``source`` with each literal wrapped in ``_()``; a literal not found is an error."""
    for literal in literals:
        plain = literal.before + literal.text + literal.after
        found = source.count(plain)
        if found != literal.count:
            raise ThemeError(
                f"comprende: the theme's template {template} has {found} occurrence(s) of "
                f"{plain!r}, expected {literal.count}: the theme changed; update "
                "FURO_LITERALS in comprende/ext/theme.py and the catalog "
                "comprende/locale/*/LC_MESSAGES/sphinx.po"
            )
        source = source.replace(plain, literal.wrapped())
    return source


def _furo_dir() -> Path | None:
    try:
        import furo
    except ImportError:  # pragma: no cover - furo is a dependency
        return None
    return Path(furo.__file__).resolve().parent / "theme" / "furo"


# --- Furo's markup, lighter -----------------------------------------------------------

_TRANS_BLOCK = re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S)
_INDENT = re.compile(r"^[ \t]+", re.M)
_BLANK_LINES = re.compile(r"\n{2,}")
#: Inline SVG in HTML needs no namespace declaration (the parser puts it in SVG's).
_SVG_XMLNS = ' xmlns="http://www.w3.org/2000/svg"'

#: Furo's icon sprite (``partials/icons.html``, in every page): a symbol only a top-of-page
#: button uses is kept only where the theme's options may show that button.
FURO_BUTTON_SYMBOLS = {"svg-pencil": "edit", "svg-eye": "view"}


def trim_indentation(source: str) -> str:
    """A template's ``source`` without its lines' indentation, its blank lines, and the
    ``xmlns`` of its inline SVG.

    Leading spaces and line breaks between tags never show (HTML collapses them, one line
    break is kept); a ``{% trans %}`` block is left as it is, its text being a msgid.
    """

    def trim(text: str) -> str:
        return _BLANK_LINES.sub("\n", _INDENT.sub("", text)).replace(_SVG_XMLNS, "")

    parts = []
    position = 0
    for match in _TRANS_BLOCK.finditer(source):
        parts.append(trim(source[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(trim(source[position:]))
    return "".join(parts)


#: Set in each page's context: whether it shows code (see :func:`unused_assets`).
CODE_FLAG = "comprende_shows_code"
_STYLE = re.compile(r"<style>.*?</style>", re.S)


def code_colours_on_demand(source: str) -> str:
    """``partials/_head_css_variables.html`` with its ``<style>`` (the code blocks'
    colours, and the site's own CSS variables if any) only on a page that may use it."""
    condition = (
        f"{CODE_FLAG} is not defined or {CODE_FLAG}"
        " or theme_light_css_variables or theme_dark_css_variables"
    )
    return _STYLE.sub(f"{{% if {condition} %}}\\g<0>{{% endif %}}", source, count=1)


def button_symbols_on_demand(source: str) -> str:
    """``partials/icons.html`` with each of :data:`FURO_BUTTON_SYMBOLS` rendered only if
    ``theme_top_of_page_buttons`` is Furo's default (``""``) or names its button."""
    for symbol, button in FURO_BUTTON_SYMBOLS.items():
        pattern = re.compile(r'<symbol id="' + symbol + r'".*?</symbol>', re.S)
        condition = f'theme_top_of_page_buttons == "" or "{button}" in theme_top_of_page_buttons'
        source = pattern.sub(f"{{% if {condition} %}}\\g<0>{{% endif %}}", source)
    return source


class FuroLiterals(Extension):
    """When Jinja2 loads Furo's templates: wraps :data:`FURO_LITERALS` in ``_()``, trims
    the markup's indentation, and leaves the sprite's top-of-page button icons, and the
    code colours' inline style, to pages that may use them."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        furo_dir = _furo_dir()
        if filename is None or furo_dir is None:
            return source
        try:
            relative = Path(filename).resolve().relative_to(furo_dir).as_posix()
        except ValueError:
            return source
        literals = FURO_LITERALS.get(relative)
        if literals is not None:
            source = wrap_literals(source, literals, relative)
        if relative == "partials/icons.html":
            source = button_symbols_on_demand(source)
        elif relative == "partials/_head_css_variables.html":
            source = code_colours_on_demand(source)
        return trim_indentation(source)


def _install_preprocessor(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None and app.config.html_theme == "furo":
        environment.add_extension(FuroLiterals)


# --- the page's context ----------------------------------------------------------------


def _caption_levels(context: dict[str, Any]) -> None:
    # furo renders toctree captions as role="heading" without aria-level, which
    # axe-core reports (aria-required-attr); they head the navigation lists: level 2.
    for key in ("furo_navigation_tree", "toctree"):
        value = context.get(key)
        if isinstance(value, str):
            context[key] = _CAPTION.sub(r'\1 aria-level="2"', value)


def _navigation_labels(app: Sphinx, context: dict[str, Any]) -> None:
    value = context.get("furo_navigation_tree")
    if not isinstance(value, str) or app.translator is None:
        return
    template = app.translator.gettext(_NAV_TOGGLE_MSGID)

    def label(match: re.Match[str]) -> str:
        return f'aria-label="{template % {"title": match.group(1)}}"'

    context["furo_navigation_tree"] = _NAV_TOGGLE.sub(label, value)


def _source_credit(context: dict[str, Any]) -> None:
    """The copyright line, followed by the article's source, linked."""
    source = context.get("comprende_source")
    copyright = context.get("copyright")
    if not isinstance(source, dict) or not isinstance(copyright, str):
        return
    context["copyright"] = Markup('{copyright}. {label} <a href="{url}">{name}</a>{detail}').format(
        copyright=copyright.rstrip("."),
        label=source.get("label", "Texto del artículo:"),
        url=source["url"],
        name=source["name"],
        detail=source.get("detail", ""),
    )


# A class attribute with the token ``highlight`` (Pygments' blocks and inline code), or
# with a token starting with ``sd-`` (sphinx-design's components).
_HIGHLIGHT_CLASS = re.compile(r'class="(?:[^"]*\s)?highlight[\s"]')
_DESIGN_CLASS = re.compile(r'class="(?:[^"]*\s)?sd-')
PYGMENTS_CSS = "pygments.css"
DESIGN_FILES = ("sphinx-design.min.css", "design-tabs.js")
FURO_EXTENSIONS_CSS = "furo-extensions.css"


def _has_code(doctree: nodes.document | None, body: str) -> bool:
    if doctree is not None and any(True for _ in doctree.findall(nodes.literal_block)):
        return True
    return bool(_HIGHLIGHT_CLASS.search(body))


def _is_design_node(node: nodes.Node) -> bool:
    if type(node).__module__.startswith("sphinx_design"):
        return True
    return isinstance(node, nodes.Element) and any(
        str(c).startswith("sd-") for c in node.get("classes", ())
    )


def _has_design(doctree: nodes.document | None, body: str) -> bool:
    if doctree is not None and any(True for _ in doctree.findall(_is_design_node)):
        return True
    return bool(_DESIGN_CLASS.search(body))


def _asset_name(asset: Any) -> str:
    """The file name of a stylesheet or script (``_static/pygments.css`` → ``pygments.css``)."""
    return str(getattr(asset, "filename", asset)).split("?", 1)[0].rsplit("/", 1)[-1]


def unused_assets(
    doctree: nodes.document | None, body: str, *, readthedocs: bool = False
) -> set[str]:
    """The file names of the stylesheets and scripts this page does not use.

    Furo's ``furo-extensions.css`` styles sphinx-design's components, code blocks' copy
    buttons and Read the Docs' widgets: a page with none of them does not use it.
    """
    unused: set[str] = set()
    code = _has_code(doctree, body)
    design = _has_design(doctree, body)
    if not code:
        unused.add(PYGMENTS_CSS)
    if not design:
        unused.update(DESIGN_FILES)
    if not (code or design or readthedocs):
        unused.add(FURO_EXTENSIONS_CSS)
    return unused


def _prune_assets(context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body")
    unused = unused_assets(
        doctree if isinstance(doctree, nodes.document) else None,
        body if isinstance(body, str) else "",
        readthedocs=bool(context.get("READTHEDOCS")),
    )
    # Furo's inline <style> of code colours (partials/_head_css_variables.html) too.
    context[CODE_FLAG] = PYGMENTS_CSS not in unused
    for key in ("css_files", "script_files"):
        assets = context.get(key)
        if isinstance(assets, list):
            # In place: the builder restores its own list before each page, and a
            # handler after this one may still add a file to it.
            assets[:] = [a for a in assets if _asset_name(a) not in unused]


#: Sphinx's search-term highlighting (and the translations its one link needs) work only
#: on a page reached from the search page, which leaves the terms in localStorage (or,
#: in older links, in ``?highlight=``). Other pages load them only then; ``doctools.js``
#: too, when its keyboard shortcuts are off (the theme options ``navigation_with_keys``
#: and ``enable_search_shortcuts``): it is then only the others' helper; and
#: ``documentation_options.js``, which only these scripts (and the search page's) read.
ON_DEMAND_SCRIPTS = (
    "documentation_options.js",
    "doctools.js",
    "translations.js",
    "sphinx_highlight.js",
)
SEARCH_SCRIPT = "searchtools.js"
SEARCH_TEMPLATE = "search.html"
_LOADER = """(function () {
  var terms = null;
  try { terms = localStorage.getItem("sphinx_highlight_terms"); } catch (e) {}
  if (!terms && !/[?&]highlight=/.test(window.location.search)) return;
  var root = document.documentElement.getAttribute("data-content_root") || "";
  %s.forEach(function (file) {
    var script = document.createElement("script");
    script.src = root + file;
    script.async = false;
    document.head.appendChild(script);
  });
})();"""


def _option_on(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def _load_highlighting_on_demand(app: Sphinx, templatename: str, context: dict[str, Any]) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list) or templatename == SEARCH_TEMPLATE:
        return  # the search page's own script needs them all
    names = [_asset_name(a) for a in scripts]
    if SEARCH_SCRIPT in names or "sphinx_highlight.js" not in names:
        return
    on_demand = set(ON_DEMAND_SCRIPTS)
    if _option_on(context.get("theme_navigation_with_keys")) or _option_on(
        context.get("theme_enable_search_shortcuts", True)
    ):
        on_demand -= {"doctools.js", "documentation_options.js"}  # shortcuts on every page
    # In this order: each needs the one before when it runs.
    deferred = sorted(
        (a for a in scripts if _asset_name(a) in on_demand),
        key=lambda a: ON_DEMAND_SCRIPTS.index(_asset_name(a)),
    )
    files = [str(getattr(a, "filename", a)).split("?", 1)[0] for a in deferred]
    scripts[:] = [a for a in scripts if a not in deferred]
    # Sphinx's html-page-context way to add a script to this page only.
    app.add_js_file(None, body=compact_js(_LOADER % json.dumps(files)).strip(), priority=201)


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    _caption_levels(context)
    _navigation_labels(app, context)
    _source_credit(context)
    _prune_assets(context, doctree)
    _load_highlighting_on_demand(app, templatename, context)


# --- the search page's script ------------------------------------------------------------

_TRANSLATIONS_JS = re.compile(r"^\s*Documentation\.addTranslations\((.*)\);?\s*$", re.S)


def merge_translations_js(text: str, ours: dict[str, str | list[str]]) -> str:
    """Sphinx's ``translations.js`` with the messages that ``ours`` translates replaced."""
    match = _TRANSLATIONS_JS.match(text)
    if match is None:
        raise ValueError("not a Sphinx translations.js")
    data = json.loads(match.group(1))
    messages = data.setdefault("messages", {})
    for msgid, current in list(messages.items()):
        new = ours.get(msgid)
        if new is None or (isinstance(current, list) != isinstance(new, list)):
            continue
        messages[msgid] = new
    return (
        "Documentation.addTranslations("
        + json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        + ");\n"
    )


def _translate_search_script(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "_static" / "translations.js"
    ours = read_catalog(app.config.language or "en")
    if not path.is_file() or not ours:
        return
    path.write_text(merge_translations_js(path.read_text("utf-8"), ours), "utf-8")


# --- setup ---------------------------------------------------------------------------


def _add_static(app: Sphinx) -> None:
    """Our static files, CSS and JavaScript compacted (:mod:`.compact`)."""
    if app.builder.format == "html":
        target = compact_tree(STATIC, Path(app.doctreedir) / "comprende-static")
        app.config.html_static_path.append(str(target))


def setup_theme(app: Sphinx) -> None:
    _register_catalog(app)
    app.connect("builder-inited", _add_static)
    app.connect("builder-inited", _install_preprocessor)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _translate_search_script)
    app.add_css_file("comprende.css")
    app.add_css_file("comprende-theme.css")
    # comprende.js is the article page's script: ext/article.py adds it to that page.

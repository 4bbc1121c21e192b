"""The exercises' JavaScript on a page: native ES modules, and a notice for ``file://``.

A page with exercises (or the answers panel) gets one inline module script that
imports the core (``static/comprende-exercises.js``) and the module of each question
type on the page (``static/comprende/types/<type-id>.js``), then calls ``start``.
Static imports, not ``import()`` from the core: the browser's ``load`` event waits for
a module script and everything it imports, so the widgets are restored before it.

Browsers do not run module scripts from ``file://`` (Chromium blocks them as a CORS
error), so these pages carry a hidden Spanish notice, shown there by a one-line classic
script: how to open the site through a local server. The other pages have no modules
and work from ``file://``.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parent.parent / "static"
CORE = "comprende-exercises.js"
_DATA = re.compile(r'<script type="application/json" id="cp-data-[^"]*">(.*?)</script>', re.S)
_TYPE_ID = re.compile(r"[a-z][a-z-]*")


def type_script(type_id: str) -> str:
    """The type's module, relative to the static folder (the registry says which)."""
    from .. import types

    return types.get(type_id).script


def type_stylesheets(type_ids: Iterable[str]) -> list[str]:
    """The stylesheets of these types' widgets, each once, in order (the registry says)."""
    from .. import types

    return list(dict.fromkeys(s for t in type_ids for s in types.get(t).stylesheets))


def page_types(fragments: Iterable[str]) -> list[str]:
    """The question types of the items in the pages' data scripts, in order of first use."""
    found: dict[str, None] = {}
    for fragment in fragments:
        for match in _DATA.finditer(fragment):
            for item in json.loads(match.group(1)).get("pageItems", []):
                if not _TYPE_ID.fullmatch(item["type"]):
                    raise ValueError(f"not a question type id: {item['type']!r}")
                found[item["type"]] = None
    return list(found)


@cache
def _checksum(path: str) -> str:
    """As Sphinx versions its own assets (``?v=``), so a new build is never half cached."""
    content = (STATIC / path).read_bytes().translate(None, b"\r")
    return f"{zlib.crc32(content):08x}"


def module_specifier(address: str) -> str:
    """A static file's URL as an ES module specifier. A relative one must start with ``./``
    or ``../``: the browser takes a bare ``_static/x.js`` (a page at the site's root) for a
    package name and refuses to load it."""
    if address.startswith(("/", "./", "../")) or "://" in address:
        return address
    return "./" + address


def entry_script(url: Any, types: list[str]) -> str:
    """The page's module script; ``url(path)`` gives a static file's URL from the page."""

    def specifier(path: str) -> str:
        return json.dumps(f"{module_specifier(url('_static/' + path))}?v={_checksum(path)}")

    lines = [f"import {{ start }} from {specifier(CORE)};"]
    lines += [f"import t{i} from {specifier(type_script(t))};" for i, t in enumerate(types)]
    given = ", ".join(f"{json.dumps(t)}: t{i}" for i, t in enumerate(types))
    lines.append(f"start({{{given}}});")
    return "\n".join(lines)


# Hidden unless the page is a file:// page and the exercises did not start (a browser
# that runs modules from files needs no notice).
FILE_NOTICE_SCRIPT = (
    'addEventListener("load",()=>{if(location.protocol=="file:"&&!window.comprende?.started)'
    'for(const n of document.querySelectorAll(".cp-file-notice"))n.hidden=false})'
)
FILE_NOTICE = """\
<div class="admonition warning cp-file-notice" role="note" hidden>
<p class="admonition-title">Los ejercicios necesitan un servidor local</p>
<p>Has abierto esta página directamente como archivo (<code>file://</code>). Así puedes leer \
el artículo, el contexto y el glosario, pero el navegador no permite usar los ejercicios: \
no se pueden comprobar ni guardar las respuestas.</p>
<p>Para hacer los ejercicios, abre una terminal en la carpeta del sitio (la que contiene el \
archivo <code>index.html</code>) y escribe <code>python3 -m http.server</code>. Después, \
abre esta dirección en el navegador: <a href="{address}">{address}</a>.</p>
</div>
"""
_FIRST_EXERCISES = re.compile(
    r'<[a-z]+\b[^>]*\bclass="(?:[^"]* )?cp-(?:exercises|panel|review|progress)[ "]'
)


def with_file_notice(body: str, page: str) -> str:
    """``body`` with the (hidden) notice before its first exercises or answers panel."""
    notice = FILE_NOTICE.format(address=escape(f"http://localhost:8000/{page}"))
    match = _FIRST_EXERCISES.search(body)
    at = match.start() if match else 0
    return body[:at] + notice + body[at:]


def add_exercise_scripts(
    app: Sphinx, pagename: str, context: dict[str, Any], fragments: list[str]
) -> None:
    """Add the module entry, and the ``file://`` notice, to a page with exercises."""
    if isinstance(context.get("body"), str):
        context["body"] = with_file_notice(context["body"], app.builder.get_target_uri(pagename))

    def url(path: str) -> str:
        return str(context["pathto"](path, resource=True))

    app.add_js_file(None, body=FILE_NOTICE_SCRIPT)
    on_page = page_types(fragments)
    app.add_js_file(None, body=entry_script(url, on_page), type="module")
    for sheet in type_stylesheets(on_page):
        app.add_css_file(sheet, priority=600)  # after the exercises' own stylesheet

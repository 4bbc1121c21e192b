"""The exercises' JavaScript on a page: native ES modules, and a notice for ``file://``.

A page with exercises (or the answers panel) gets one inline module script that
imports the core (``static/comprende-exercises.js``) and the module of each question
type on the page (``static/comprende/types/<type-id>.js``), then calls ``start``.
Static imports, not ``import()`` from the core: the browser's ``load`` event waits for
a module script and everything it imports, so the widgets are restored before it.

Browsers do not run module scripts from ``file://`` (Chromium blocks them as a CORS
error), so a small classic script shows a Spanish notice there: how to open the site
through a local server. The other pages have no modules and work from ``file://``.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable
from functools import cache
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


def entry_script(url: Any, types: list[str]) -> str:
    """The page's module script; ``url(path)`` gives a static file's URL from the page."""

    def specifier(path: str) -> str:
        return json.dumps(f"{url('_static/' + path)}?v={_checksum(path)}")

    lines = [f"import {{ start }} from {specifier(CORE)};"]
    lines += [f"import t{i} from {specifier(type_script(t))};" for i, t in enumerate(types)]
    given = ", ".join(f"{json.dumps(t)}: t{i}" for i, t in enumerate(types))
    lines.append(f"start({{{given}}});")
    return "\n".join(lines)


# Shown only from file://, and only if the exercises did not start (a browser that runs
# modules from files needs no notice).
FILE_NOTICE = """\
if (location.protocol === "file:") addEventListener("load", () => {
  const target = document.querySelector(".cp-exercises, .cp-panel");
  if (!target || (window.comprende && window.comprende.started)) return;
  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  const address = "http://localhost:8000/" + location.pathname.slice(root.pathname.length);
  const node = (tag, text, className) => {
    const n = document.createElement(tag);
    if (text) n.textContent = text;
    if (className) n.className = className;
    return n;
  };
  const box = node("div", "", "admonition warning cp-file-notice");
  box.setAttribute("role", "note");
  box.append(node("p", "Los ejercicios necesitan un servidor local", "admonition-title"));
  box.append(node("p", "Has abierto esta página como archivo (file://). Así puedes leer el \
artículo, el contexto y el glosario, pero el navegador no deja funcionar los ejercicios: \
no se pueden comprobar ni guardar las respuestas."));
  const steps = node("p", "Para hacer los ejercicios, abre una terminal en la carpeta del \
sitio (la que tiene el archivo index.html) y escribe ");
  const link = node("a", address);
  link.href = address;
  steps.append(node("code", "python3 -m http.server"), ". Después, abre en el navegador ", link, ".");
  box.append(steps);
  target.before(box);
});"""


def add_exercise_scripts(app: Sphinx, context: dict[str, Any], fragments: list[str]) -> None:
    """Add the module entry (and the ``file://`` notice) to a page with exercises."""

    def url(path: str) -> str:
        return str(context["pathto"](path, resource=True))

    app.add_js_file(None, body=FILE_NOTICE)
    app.add_js_file(None, body=entry_script(url, page_types(fragments)), type="module")

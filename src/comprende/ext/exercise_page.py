"""What a page with exercises gets when it is written, besides its items.

- The bank's catalog (``<script id="cp-data-bank">``): every set (title, page, items)
  and every item's shape (ids, no text, no key), its set, number and content hash
  (:func:`comprende.pagedata.content_hash`): the script checks answers' shapes, shows
  progress and keeps saved answers across bank versions from it.
- Links written ``href="cp:review"`` or ``href="cp:set:<id>"`` resolved to the review
  page and the sets' pages (known only once every page is read).
- In exam mode, the «Examen» banner after the page's title.
- The exercises' stylesheet (the reader's pages do not load it).

The ``only`` directive sees the tag ``comprende_examen`` or ``comprende_practica``, so
a page can say different things in each mode.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config

from ..model import Bank
from ..pagedata import content_hash, shape_json
from ..scriptjson import script_json
from . import common
from .config import get_config

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STYLESHEET = "comprende-exercises.css"
_LAYOUT = re.compile(r">\n\s*<")
_LATE_LINK = re.compile(
    r'<a class="cp-review-link" href="cp:review">[^<]*</a>|href="cp:(review|set:[a-z0-9_-]+)"'
)


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class _Macros:
    """The macros of ``templates/exercise_page.html``, each returning its HTML (no layout)."""

    def __getattr__(self, name: str) -> Any:
        macro = getattr(_environment().get_template("exercise_page.html").module, name)
        return lambda *args: _LAYOUT.sub("><", str(macro(*args))).strip()


def page_macros() -> _Macros:
    return _Macros()


def set_docs(env: Any) -> dict[str, str]:
    """Which page shows each set (set id -> docname); the key ``""`` is the review page."""
    if not hasattr(env, "comprende_set_docs"):
        env.comprende_set_docs = {}
    docs: dict[str, str] = env.comprende_set_docs
    return docs


def _purge_set_docs(app: Sphinx, env: Any, docname: str) -> None:
    docs = set_docs(env)
    for key in [k for k, v in docs.items() if v == docname]:
        del docs[key]


def _merge_set_docs(app: Sphinx, env: Any, docnames: Any, other: Any) -> None:
    set_docs(env).update({k: v for k, v in set_docs(other).items() if v in docnames})


def catalog(app: Sphinx, bank: Bank, pagename: str) -> dict[str, Any]:
    """The bank as every exercise page's script sees it (see the module's docstring)."""
    practice = get_config(app).mode == "practice"
    docs = set_docs(app.env)
    sets, items = [], {}
    for item_set in bank.sets:
        doc = docs.get(item_set.id)
        sets.append(
            {
                "id": item_set.id,
                "title": item_set.title,
                "url": app.builder.get_relative_uri(pagename, doc) if doc else None,
                "items": [item.id for item in item_set.items],
            }
        )
        for number, item in enumerate(item_set.items, 1):
            shape = shape_json(item)
            shape.update(set=item_set.id, number=number, hash=content_hash(item, with_key=practice))
            items[item.id] = shape
    review = docs.get("")
    return {
        "module": bank.id,
        "title": bank.title,
        "version": bank.version,
        "mode": get_config(app).mode,
        "possible": bank.possible,
        "review": app.builder.get_relative_uri(pagename, review) if review else None,
        "sets": sets,
        "items": items,
    }


def _resolve_links(body: str, app: Sphinx, pagename: str) -> str:
    docs = set_docs(app.env)
    review = docs.get("")

    def resolve(match: re.Match[str]) -> str:
        if match.group(1) is None:  # a «Revisar y entregar» button
            return (
                ""
                if review in (None, pagename)
                else match.group(0).replace(
                    "cp:review", app.builder.get_relative_uri(pagename, review)
                )
            )
        target = review if match.group(1) == "review" else docs.get(match.group(1)[4:])
        if target is None:
            return 'href="#"'
        if target == pagename:
            return 'href="#cp-review-title"' if match.group(1) == "review" else 'href="#"'
        return f'href="{app.builder.get_relative_uri(pagename, target)}"'

    return _LATE_LINK.sub(resolve, body)


def data_script(element_id: str, data: object) -> str:
    return f'<script type="application/json" id="{element_id}">{script_json(data)}</script>'


def finish_page(app: Sphinx, pagename: str, context: dict[str, Any]) -> None:
    """Catalog, links, banner and stylesheet of a page with exercises."""
    app.add_css_file(STYLESHEET)
    body = context.get("body")
    if not isinstance(body, str):
        return
    if get_config(app).mode == "exam":
        banner = page_macros().banner()
        at = body.find("</h1>")
        at = at + len("</h1>") if at >= 0 else 0
        body = body[:at] + banner + body[at:]
    body = _resolve_links(body, app, pagename)
    bank = common.cached_bank(app.env)
    if bank is not None:
        body += data_script("cp-data-bank", catalog(app, bank, pagename))
    context["body"] = Markup(body) if isinstance(body, Markup) else body


def _mode_tag(app: Sphinx, config: Config) -> None:
    app.tags.add("comprende_examen" if get_config(app).mode == "exam" else "comprende_practica")


def setup_exercise_page(app: Sphinx) -> None:
    app.connect("config-inited", _mode_tag, priority=600)
    app.connect("env-purge-doc", _purge_set_docs)
    app.connect("env-merge-info", _merge_set_docs)

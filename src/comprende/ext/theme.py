"""The extension's own CSS and JavaScript, and an accessibility fix for the theme."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parent.parent / "static"
_CAPTION = re.compile(r'(<p class="caption" role="heading")(?! aria-level)')


def _add_static(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))


def _caption_levels(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # furo renders toctree captions as role="heading" without aria-level, which
    # axe-core reports (aria-required-attr); they head the navigation lists: level 2.
    for key in ("furo_navigation_tree", "toctree"):
        value = context.get(key)
        if isinstance(value, str):
            context[key] = _CAPTION.sub(r'\1 aria-level="2"', value)


def setup_theme(app: Sphinx) -> None:
    app.connect("builder-inited", _add_static)
    app.connect("html-page-context", _caption_levels, priority=900)
    app.add_css_file("comprende.css")
    app.add_js_file("comprende.js", loading_method="defer")

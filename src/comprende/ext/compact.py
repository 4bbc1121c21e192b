"""The extension's static files, as the site serves them: our CSS and JavaScript
minified (they count in the article page's 120 KiB).

The minifiers are rcssmin and rjsmin (pinned dependencies, pure regular-expression
minifiers that keep strings, regular expressions and template literals as they are).
rjsmin reads template literals only unnested, so a script with a template literal
inside another's ``${…}`` is refused (:class:`NestedTemplate`, naming the file and line:
write the inner part as a string). ``tests/test_compact.py`` checks that every served
script still parses in Node, and tests/test_js_vectors.py that the minified page modules
grade every shared vector as the sources do.

Everything else under ``static/`` is copied unchanged. The minified tree is written
under the doctree folder and replaces ``static/`` in ``html_static_path``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import rcssmin
import rjsmin


def compact_css(text: str) -> str:
    """``text`` minified (comments, indentation and needless spaces dropped)."""
    return str(rcssmin.cssmin(text)) + "\n"


class NestedTemplate(ValueError):
    """A template literal inside another's ``${…}``, which rjsmin would mangle."""


def nested_template(text: str) -> int | None:
    """The line of the first ``${…}`` that holds a backtick (a template literal nested in
    another), or ``None``. Braces are counted, strings are not parsed: a backtick or an
    unmatched brace inside a string there is also reported (rewrite it, or unnest it)."""
    start = text.find("${")
    while start != -1:
        depth, index = 0, start + 1
        while index < len(text):
            char = text[index]
            if char == "`":
                return text.count("\n", 0, start) + 1
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                break
            index += 1
        start = text.find("${", index)
    return None


def compact_js(text: str, name: str = "<script>") -> str:
    """``text`` minified (comments, indentation and needless spaces dropped)."""
    line = nested_template(text)
    if line is not None:
        raise NestedTemplate(
            f"{name}:{line}: a template literal inside another's ${{…}}: rjsmin cannot "
            'minify it; write the inner part as a string ("las " + n + " preguntas")'
        )
    return str(rjsmin.jsmin(text)) + "\n"


COMPACTORS = {".css": compact_css, ".js": compact_js, ".mjs": compact_js}


def _write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)  # concurrent builds may share the folder


def compact_tree(source: Path, target: Path) -> Path:
    """``source``'s files under ``target``, CSS and JavaScript compacted; returns ``target``.

    A file of ``target`` that ``source`` no longer has is removed (else it would still be
    copied into the site)."""
    wanted = set()
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        compactor = COMPACTORS.get(path.suffix)
        data = path.read_bytes()
        if compactor is compact_js:
            data = compact_js(data.decode("utf-8"), str(path)).encode("utf-8")
        elif compactor is not None:
            data = compactor(data.decode("utf-8")).encode("utf-8")
        relative = path.relative_to(source)
        wanted.add(relative)
        _write(target / relative, data)
    for path in sorted(target.rglob("*")):
        if path.is_file() and path.relative_to(target) not in wanted:
            path.unlink(missing_ok=True)
    return target

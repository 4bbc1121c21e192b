"""The extension's static files, as the site serves them: our CSS and JavaScript without
their comments and indentation (they count in the article page's 120 KiB).

Not a minifier, and no build dependency: only changes that cannot alter what a file
does, on files whose lines can be judged one by one.

- CSS: outside strings, every ``/* … */`` comment goes, and the spaces around
  ``{ } ; ,`` and after ``:``; then the line breaks but one after each ``}``.
- JavaScript: block comments that start a line and full-line ``//`` comments go, then
  each line's indentation and the blank lines; line breaks are kept, so automatic
  semicolon insertion reads the code as before. A ``//`` comment after code goes only
  if no quote or slash comes before it on its line; other comments after code stay. A
  file that may hold a string across lines (a template literal, or a line ending in
  ``\\``), or a comment that starts after code and goes on to the next line, is left
  as it is.

Everything else under ``static/`` is copied unchanged. The compacted tree is written
under the doctree folder and replaces ``static/`` in ``html_static_path``.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

#: A CSS string (kept as it is) or comment (dropped).
_CSS_TOKEN = re.compile(r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|/\*.*?\*/""", re.S)
#: A block comment alone on its line(s); its body never holds ``*/``.
_JS_BLOCK_COMMENT = re.compile(r"^[ \t]*/\*(?:(?!\*/).)*\*/[ \t]*$", re.S | re.M)
#: ``/*`` after code, not closed on its line: a comment (or string) across lines.
#: A ``//`` comment after code with no quote and no slash, so in no string or regex.
_TRAILING_COMMENT = re.compile(r"^([^'\"`/]*\S)[ \t]*//.*$")
_OPEN_AFTER_CODE = re.compile(r"^[ \t]*(?!/[*/])\S.*?/\*(?!.*\*/)", re.M)


#: Spaces around these never matter in CSS, outside strings (unlike ``+`` or ``-``); nor
#: after a colon (before one they may: ``a :hover`` is not ``a:hover``).
_CSS_PUNCTUATION = re.compile(r"[ \t]*([{};,])[ \t]*|(:)[ \t]+")


def compact_css(text: str) -> str:
    """``text`` without comments, indentation, blank lines and the spaces around
    ``{ } ; ,``; strings kept as they are."""
    bare = _CSS_TOKEN.sub(lambda m: m.group(1) or "", text)  # no comment left: strings only

    def tighten(code: str) -> str:
        return _CSS_PUNCTUATION.sub(lambda m: m.group(1) or m.group(2), code)

    parts = []
    position = 0
    for match in _CSS_TOKEN.finditer(bare):
        parts.append(tighten(bare[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(tighten(bare[position:]))
    out = ""
    for line in "".join(parts).splitlines():
        line = line.strip()
        if line:  # a line after "{", ";" or "," joins it; after "}" it starts a new one
            out += line if not out or out.endswith(("{", ";", ",", "\n")) else f" {line}"
            if line.endswith("}"):
                out += "\n"
    return out if not out or out.endswith("\n") else out + "\n"


def _may_span_lines(text: str) -> bool:
    """Whether a string, or a comment that starts after code, may go on to the next line."""
    if "`" in text or _OPEN_AFTER_CODE.search(text):
        return True
    return any(line.rstrip().endswith("\\") for line in text.splitlines())


def compact_js(text: str) -> str:
    """``text`` without whole-line comments, indentation and blank lines (see above)."""
    if _may_span_lines(text):
        return text
    kept = []
    for line in _JS_BLOCK_COMMENT.sub("", text).splitlines():
        line = _TRAILING_COMMENT.sub(r"\1", line).strip()
        if not line or (line.startswith("//") and "*/" not in line):
            continue
        kept.append(f"{line}\n")
    return "".join(kept)


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
        if compactor is not None:
            data = compactor(data.decode("utf-8")).encode("utf-8")
        relative = path.relative_to(source)
        wanted.add(relative)
        _write(target / relative, data)
    for path in sorted(target.rglob("*")):
        if path.is_file() and path.relative_to(target) not in wanted:
            path.unlink(missing_ok=True)
    return target

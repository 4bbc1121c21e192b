"""Bytes of the exercises' JavaScript each exercise page loads, raw and gzipped.

Follows each page's scripts and their module imports as benchmarks/page_weight.py does
(one rule for both; the served modules are minified, ``from"./x.js"``), and counts
comprende's own exercise scripts: not the reader's ``comprende.js``, nor Sphinx's and the
theme's scripts, which are the same on every page. The page's inline scripts are counted
apart. Compare two builds, e.g. before and after a change:

    .venv/bin/python benchmarks/page_js.py SITE [SITE ...]
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from page_weight import page_files

_INLINE = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


def page_js(site: Path, page: str) -> tuple[int, int, int, int]:
    """(raw bytes, gzipped bytes file by file, inline script bytes, files) of one page."""
    html = (site / page).read_text(encoding="utf-8")
    inline = sum(
        len(body.encode())
        for attrs, body in _INLINE.findall(html)
        if "application/json" not in attrs
    )
    ours = [
        data
        for name, data in page_files(site, page).items()
        if name.endswith((".js", ".mjs")) and "comprende" in name and name != "_static/comprende.js"
    ]
    raw = sum(len(d) for d in ours)
    packed = sum(len(gzip.compress(d, 9, mtime=0)) for d in ours)
    return raw, packed, inline, len(ours)


def main(sites: list[str]) -> None:
    for site in map(Path, sites):
        print(site)
        for page in sorted((site / "ejercicios").glob("*.html")):
            name = page.relative_to(site).as_posix()
            raw, packed, inline, count = page_js(site, name)
            print(f"  {name:28} {raw:6} B (gzip {packed:5} B) in {count} files, inline {inline} B")


if __name__ == "__main__":
    main(sys.argv[1:] or ["docs/_build/html"])

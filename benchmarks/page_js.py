"""Bytes of the exercises' JavaScript each exercise page loads, raw and gzipped.

Follows each page's scripts and their module imports (comprende's own files only;
Sphinx's and the theme's scripts are the same on every page), and counts the page's
inline scripts apart. Compare two builds, e.g. before and after a change:

    .venv/bin/python benchmarks/page_js.py SITE [SITE ...]
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

_SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S)
_IMPORT = re.compile(r'from "([^"]+)"')


def page_js(site: Path, page: str) -> tuple[int, int, int, int]:
    """(raw bytes, gzipped bytes file by file, inline script bytes, files) of one page."""
    html = (site / page).read_text(encoding="utf-8")
    base = "http://site/" + page
    todo: list[str] = []
    inline = 0
    for attrs, body in _SCRIPT.findall(html):
        if "application/json" in attrs:
            continue
        source = re.search(r'src="([^"]+)"', attrs)
        if source:
            todo.append(urljoin(base, source.group(1)))
        else:
            inline += len(body.encode())
            todo += [urljoin(base, s) for s in _IMPORT.findall(body)]
    files: dict[str, bytes] = {}
    while todo:
        url = todo.pop()
        path = urlparse(url).path.lstrip("/")
        if path not in files:
            files[path] = (site / path).read_bytes()
            todo += [urljoin(url, s) for s in _IMPORT.findall(files[path].decode())]
    ours = [d for p, d in files.items() if "comprende" in p and not p.endswith("/comprende.js")]
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
    main(sys.argv[1:])

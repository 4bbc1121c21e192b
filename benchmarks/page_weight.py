"""Bytes each page of a built site loads: its HTML, stylesheets and scripts, uncompressed.

Counted: the page's HTML, each ``<link rel="stylesheet">`` and ``<script src>`` of the
site, and the ES modules those scripts (and inline module scripts) import, transitively; gzipped figures beside.
Not counted: images, the favicon, and the search index (only the search page loads it).
The article page's ceiling is 120 KiB (tests/test_theme_strings.py asserts it).

    .venv/bin/python benchmarks/page_weight.py SITE [SITE ...]   # default: docs/_build/html
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

_ASSET = re.compile(r'<(?:link[^>]*\brel="stylesheet"[^>]*\bhref|script[^>]*\bsrc)="([^"]+)"')
_INLINE_MODULE = re.compile(r'<script[^>]*type="module"[^>]*>(.*?)</script>', re.S)
_IMPORT = re.compile(r'(?:^|[;\s])import\s[^"\']*["\']([^"\']+)["\']|from\s*["\']([^"\']+)["\']')
PAGES = (
    "articulo.html",
    "index.html",
    "glosario.html",
    "lectura-critica.html",
    "ejercicios/global.html",
    "ejercicios/evidencia.html",
    "guias/autores.html",
)


def page_files(site: Path, page: str) -> dict[str, bytes]:
    path = site / page
    files = {page: path.read_bytes()}
    html = path.read_text("utf-8")
    specs = _ASSET.findall(html)
    for inline in _INLINE_MODULE.findall(html):  # an inline entry script's imports
        specs += [a or b for a, b in _IMPORT.findall(inline)]
    todo = [(path.parent / spec.split("?", 1)[0]).resolve() for spec in specs]
    while todo:
        asset = todo.pop()
        key = asset.relative_to(site.resolve()).as_posix()
        if key in files or not asset.is_file():
            continue
        files[key] = asset.read_bytes()
        if asset.suffix in (".js", ".mjs"):
            for a, b in _IMPORT.findall(files[key].decode("utf-8")):
                if (a or b).startswith("."):
                    todo.append((asset.parent / (a or b).split("?", 1)[0]).resolve())
    return files


def main(argv: list[str]) -> int:
    sites = [Path(a) for a in argv] or [Path("docs/_build/html")]
    for site in sites:
        print(f"{site}:")
        for page in PAGES:
            if not (site / page).is_file():
                continue
            files = page_files(site, page)
            raw = sum(len(b) for b in files.values())
            zipped = sum(len(gzip.compress(b, 9)) for b in files.values())
            html = len(files[page])
            print(
                f"  {page:28} {raw / 1024:6.1f} KiB ({zipped / 1024:5.1f} KiB gzipped file by file; "
                f"HTML {html / 1024:5.1f} KiB, {len(files) - 1} files)"
            )
        article = page_files(site, "articulo.html")
        for name, data in sorted(article.items(), key=lambda kv: -len(kv[1])):
            print(f"    articulo.html loads {name:40} {len(data) / 1024:6.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Bytes each page of a built site loads: its HTML, stylesheets and scripts, uncompressed.

Counted: the page's HTML, each ``<link rel="stylesheet">`` and ``<script src>`` of the
site, and the ES modules those scripts (and inline module scripts) import, transitively;
gzipped figures beside. Shown apart, as "on demand": the scripts of ours that a counted
script names and loads only when the page needs them (the article's listening, once the
browser has a Spanish voice; its evidence highlight, from a feedback link), found as
``"name.js"`` string literals naming a file beside that script.
Not counted: images, the favicon, the search index (only the search page loads it), and
Sphinx's search highlighting, loaded only on a page reached from the search.
The article page's ceiling is 120 KiB, on demand included (tests/test_theme_strings.py
asserts it).

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


_SIBLING = re.compile(r'["\']([\w-]+\.m?js)["\']')


def on_demand_files(site: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """The scripts beside the counted ones that those name but the page does not load."""
    found: dict[str, bytes] = {}
    for name, data in files.items():
        if not name.endswith((".js", ".mjs")):
            continue
        for sibling in _SIBLING.findall(data.decode("utf-8")):
            path = (site / name).parent / sibling
            key = path.relative_to(site).as_posix()
            if key not in files and path.is_file():
                found[key] = path.read_bytes()
    return found


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
            extra = sum(len(b) for b in on_demand_files(site, files).values())
            later = f"; +{extra / 1024:.1f} KiB on demand" if extra else ""
            print(
                f"  {page:28} {raw / 1024:6.1f} KiB ({zipped / 1024:5.1f} KiB gzipped file by file; "
                f"HTML {html / 1024:5.1f} KiB, {len(files) - 1} files{later})"
            )
        article = page_files(site, "articulo.html")
        for name, data in sorted(article.items(), key=lambda kv: -len(kv[1])):
            print(f"    articulo.html loads {name:40} {len(data) / 1024:6.1f} KiB")
        for name, data in sorted(on_demand_files(site, article).items()):
            print(f"    articulo.html on demand {name:36} {len(data) / 1024:6.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

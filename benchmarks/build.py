"""Build benchmark: a clean build of the site against a bare sphinx-build of the same pages.

The floor is measured in the same run: the same sources built without the comprende
extension (its directives then render nothing). Prints the median times, the ratio,
and the weight of the article page with everything it loads.

    .venv/bin/python benchmarks/build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def build(out: Path, *, bare: bool) -> float:
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-E",
        "-d",
        str(out / ".doctrees"),
        str(DOCS),
        str(out),
    ]
    if bare:
        command[5:5] = ["-D", "extensions=myst_parser,sphinx_design"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def page_weight(site: Path, page: str) -> tuple[int, dict[str, int]]:
    """Bytes of ``page`` plus every local file it loads (stylesheets, scripts, images, icons)."""
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    parts = {page: html_path.stat().st_size}
    for tag in re.findall(r"<(?:link|script|img)\b[^>]*>", html):
        rel = re.search(r'rel="([^"]+)"', tag)
        if tag.startswith("<link") and not (rel and re.search(r"stylesheet|icon", rel.group(1))):
            continue
        source = re.search(r'(?:href|src)="([^"#?]+)', tag)
        if source and not source.group(1).startswith(("http:", "https:", "//", "data:")):
            path = (html_path.parent / source.group(1)).resolve()
            if path.exists():
                parts[source.group(1)] = path.stat().st_size
    return sum(parts.values()), parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site, bare_site = Path(tmp) / "site", Path(tmp) / "bare"
        build(site, bare=False)  # warm the file cache and imports
        ours, bare = [], []
        for _ in range(args.runs):
            bare.append(build(bare_site, bare=True))
            ours.append(build(site, bare=False))
        ours_median, bare_median = statistics.median(ours), statistics.median(bare)
        total, parts = page_weight(site, "articulo.html")
        pages = len([p for p in site.rglob("*.html") if "_static" not in p.parts])
    print(f"pages built: {pages}; runs: {args.runs} each, clean output every time")
    print(f"bare sphinx-build (no comprende extension): median {bare_median:.2f} s")
    print(f"comprende site build:                       median {ours_median:.2f} s")
    print(f"ratio: {ours_median / bare_median:.2f}x")
    print(f"article page weight: {total / 1024:.1f} KiB ({len(parts)} files)")
    for name, size in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {size / 1024:7.1f} KiB  {name}")


if __name__ == "__main__":
    main()

"""Our static CSS and JavaScript are served minified (rcssmin, rjsmin), and mean the
same: strings, regular expressions and template literals stay; every served script still
parses in Node; the served page modules grade every shared vector as the sources do
(tests/test_js_vectors.py runs the vectors on both trees)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from comprende.ext.compact import (
    NestedTemplate,
    compact_css,
    compact_js,
    compact_tree,
    nested_template,
)
from comprende.ext.theme import STATIC

from .test_js_vectors import node_or_skip


def test_css_loses_comments_and_spaces_but_not_strings_or_meaningful_spaces() -> None:
    css = (
        "/* header\n   on two lines */\n"
        ".a , .b  {\n  content: \"/* kept ; */\" / '';  /* why */\n"
        "  width: calc(1px + 2px);\n}\n"
        ".c :hover, .d:hover { margin: 0\n    1px }\n"
        "@media (max-width: 40em) {\n  .e { font: 1em/1.2 serif; }\n}\n"
    )
    out = compact_css(css)
    assert "header" not in out and "why" not in out
    assert '"/* kept ; */"' in out  # a comment-like string is text
    assert "calc(1px + 2px)" in out  # spaces around + matter in calc()
    assert ".c :hover" in out and ".d:hover" in out  # a descendant is not a pseudo-class
    assert "margin:0 1px" in out and "font:1em/1.2 serif" in out
    assert len(out) < len(css)


def test_js_loses_comments_and_indentation_but_keeps_strings_regexps_and_templates() -> None:
    js = (
        "/* header */\n"
        '"use strict";\n'
        "(function () {\n"
        "  // a note\n"
        "\n"
        "  const url = 'https://example.org/x'; // after a string\n"
        "  /* alone,\n     on two lines */\n"
        "  const re = /\\/\\*not a comment\\*\\//g;\n"
        "  const t = `two\n  lines // kept /* kept */ ${url}`;\n"
        "  f(url, re, t) /* after code */ ;\n"
        "  h(1 / 2); // after a slash\n"
        "})();\n"
    )
    out = compact_js(js)
    for gone in ("header", "a note", "after a string", "alone", "after code", "after a slash"):
        assert gone not in out
    assert "'https://example.org/x'" in out
    assert "/\\/\\*not a comment\\*\\//g" in out
    assert "`two\n  lines // kept /* kept */ ${url}`" in out
    assert "h(1/2)" in out
    assert len(out) < len(js)


def _parses(node: str, path: Path, module: bool) -> bool:
    copy = path.with_suffix(".mjs" if module else ".cjs")
    shutil.copyfile(path, copy)
    done = subprocess.run(
        [node, "--check", str(copy)], capture_output=True, text=True, check=False, timeout=60
    )
    return done.returncode == 0


def test_every_served_script_parses_in_node_as_its_source_does(tmp_path: Path) -> None:
    node = node_or_skip()
    served = compact_tree(STATIC, tmp_path / "served")
    scripts = sorted(p for p in STATIC.rglob("*.js"))
    assert len(scripts) >= 20
    for source in scripts:
        relative = source.relative_to(STATIC)
        target = served / relative
        (tmp_path / "src" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "min" / relative).parent.mkdir(parents=True, exist_ok=True)
        original = shutil.copyfile(source, tmp_path / "src" / relative)
        minified = shutil.copyfile(target, tmp_path / "min" / relative)
        for module in (True, False):
            if _parses(node, original, module):
                assert _parses(node, minified, module), f"{relative} (module={module})"


@pytest.mark.parametrize("name", ["comprende.js", "comprende-exercises.js"])
def test_the_biggest_scripts_shrink_by_a_fifth_at_least(name: str) -> None:
    source = (STATIC / name).read_text("utf-8")
    assert len(compact_js(source).encode()) <= 0.8 * len(source.encode())


def test_the_site_serves_our_files_compacted_and_other_files_unchanged(tmp_path: Path) -> None:
    (tmp_path / "gone.js").write_text("// a file static/ no longer has\n")
    out = compact_tree(STATIC, tmp_path)
    assert not (out / "gone.js").exists()
    for source in STATIC.rglob("*"):
        if not source.is_file():
            continue
        served = (out / source.relative_to(STATIC)).read_bytes()
        if source.suffix not in (".css", ".js"):
            assert served == source.read_bytes(), source.name
        else:
            assert len(served) <= source.stat().st_size, source.name
    reader = (out / "comprende.js").read_text("utf-8")
    assert "/*" not in reader.split("\n", 1)[0] and "\n  " not in reader


def test_the_built_site_s_article_script_is_the_compacted_one(site: Path) -> None:
    served = (site / "_static" / "comprende.js").read_text("utf-8")
    assert served == compact_js((STATIC / "comprende.js").read_text("utf-8"))
    assert len(served) < (STATIC / "comprende.js").stat().st_size


def test_a_nested_template_literal_is_refused_with_its_file_and_line() -> None:
    nested = "const a = 1;\nconst b = `x ${a ? `y ${a}` : 'z'} w`;\n"
    with pytest.raises(NestedTemplate, match=r"^pagina\.js:2: a template literal inside"):
        compact_js(nested, "pagina.js")
    for plain in ("const b = `x ${a ? 'y' + a : { k: 1 }.k} w ${c}`;\n", "f({a: 1});\n"):
        assert nested_template(plain) is None
        assert compact_js(plain)
    # rjsmin would have dropped the space after the inner literal's expression:
    assert nested_template("`${n === 1 ? 'una' : `${n} respuestas`}`") == 1


def test_no_script_of_ours_nests_template_literals() -> None:
    for path in sorted(STATIC.rglob("*.js")):
        assert nested_template(path.read_text("utf-8")) is None, path.name

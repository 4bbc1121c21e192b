"""Our static CSS and JavaScript are served without comments and indentation, and mean
the same: comments inside strings, code after a comment and strings across lines stay."""

from __future__ import annotations

from pathlib import Path

from comprende.ext.compact import compact_css, compact_js, compact_tree
from comprende.ext.theme import STATIC


def test_css_loses_comments_and_spaces_but_not_strings_or_meaningful_spaces() -> None:
    css = (
        "/* header\n   on two lines */\n"
        ".a , .b  {\n  content: \"/* kept ; */\" / '';  /* why */\n"
        "  width: calc(1px + 2px);\n}\n"
        ".c :hover, .d:hover { margin: 0\n    1px }\n"
        "@media (max-width: 40em) {\n  .e { font: 1em/1.2 serif; }\n}\n"
    )
    assert compact_css(css) == (
        ".a,.b{content:\"/* kept ; */\" / '';width:calc(1px + 2px);}\n"
        ".c :hover,.d:hover{margin:0 1px}\n"
        "@media (max-width:40em){.e{font:1em/1.2 serif;}\n}\n"
    )


def test_js_loses_whole_line_comments_and_indentation_only() -> None:
    js = (
        "/* header */\n"
        '"use strict";\n'
        "(function () {\n"
        "  // a note\n"
        "\n"
        "  const url = 'https://example.org/x'; // after a string: kept\n"
        "  /* alone,\n     on two lines */\n"
        "  f(url) /* after code */ ;\n"
        "  g(url); // after code without quotes or slashes: dropped\n"
        "  h(1 / 2); // after a slash: kept\n"
        "})();\n"
    )
    assert compact_js(js) == (
        '"use strict";\n'
        "(function () {\n"
        "const url = 'https://example.org/x'; // after a string: kept\n"
        "f(url) /* after code */ ;\n"
        "g(url);\n"
        "h(1 / 2); // after a slash: kept\n"
        "})();\n"
    )


def test_js_that_may_hold_text_across_lines_is_left_alone() -> None:
    for js in (
        "const a = `one\n  two`;\n",  # a template literal
        "const a = 'one \\\n  two';\n",  # a line continuation
        "f(); /* a comment after code\n  // that goes on */\ng();\n",
    ):
        assert compact_js(js) == js


def test_a_block_comment_that_ends_before_code_keeps_the_code() -> None:
    js = "/* a */ f();\n  g(); /* b */\n"
    assert compact_js(js) == "/* a */ f();\ng(); /* b */\n"


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

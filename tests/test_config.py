"""The extension's settings: checked field by field, a warning and a fallback, read once."""

from __future__ import annotations

from dataclasses import Field, fields
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from comprende.diagnostics import Kind
from comprende.ext import config as ext_config
from comprende.ext.config import (
    MODES,
    ComprendeConfig,
    Validator,
    docname_value,
    get_config,
    text_value,
)

from .test_diagnostics import PAGES, build, make_site, typed


def conf_line(docs: Path, text: str) -> int:
    lines = (docs / "conf.py").read_text("utf-8").splitlines()
    assert lines.count(text) == 1
    return lines.index(text) + 1


def test_a_bad_mode_warns_at_its_line_and_builds_the_exam_site(tmp_path: Path) -> None:
    """No traceback: one comprende.config warning, and the safe mode (no keys in the page)."""
    docs = make_site(tmp_path, conf='comprende_mode = "examen"\n')
    output = build(docs)
    warnings = typed(output)
    assert len(warnings) == 1 and output.count("WARNING") == 1, output
    line = conf_line(docs, 'comprende_mode = "examen"')
    assert warnings[0].startswith(f"{docs / 'conf.py'}:{line}: WARNING: comprende_mode must be")
    assert "must be one of 'practice', 'exam', not 'examen' (did you mean `exam`?)" in warnings[0]
    assert "using the safe value, 'exam'" in warnings[0]
    assert warnings[0].rstrip().endswith("[comprende.config]")
    assert "Traceback" not in output
    page = (tmp_path / "_build" / "html" / "uno.html").read_text("utf-8")
    assert '"mode":"exam"' in page and '"mode":"practice"' not in page
    assert "cp-check" not in page  # no «Comprobar» button: no key in the page


def test_a_bad_mode_given_on_the_command_line(tmp_path: Path) -> None:
    output = build(make_site(tmp_path), comprende_mode="practise")
    warnings = typed(output, Kind.CONFIG)
    assert len(warnings) == 1, output
    # Set with -D: there is no line of conf.py to point at.
    assert warnings[0].startswith("WARNING: comprende_mode must be one of")
    assert "(did you mean `practice`?)" in warnings[0]


def test_a_good_mode_on_the_command_line_is_used(tmp_path: Path) -> None:
    output = build(make_site(tmp_path), comprende_mode="exam")
    assert output == ""
    assert '"mode":"exam"' in (tmp_path / "_build" / "html" / "uno.html").read_text("utf-8")


@pytest.mark.parametrize(("value", "shown"), [("1", True), ("0", False)])
def test_a_flag_on_the_command_line(tmp_path: Path, value: str, shown: bool) -> None:
    docs = make_site(tmp_path)
    app = SphinxTestApp(
        "html",
        srcdir=docs,
        builddir=tmp_path / "_build",
        status=StringIO(),
        warning=StringIO(),
        confoverrides={"comprende_exam_glossary": value},
    )
    try:
        assert get_config(app).exam_glossary is shown
    finally:
        app.cleanup()


def test_a_bad_flag_on_the_command_line_warns_and_keeps_the_default(tmp_path: Path) -> None:
    """`-D comprende_exam_glossary=yes`: no crash in Sphinx's conversion, a warning."""
    output = build(make_site(tmp_path), comprende_exam_glossary="yes")
    warnings = typed(output)
    assert len(warnings) == 1 and output.count("WARNING") == 1, output
    default = get_field("exam_glossary").default
    assert warnings[0].startswith(
        "WARNING: comprende_exam_glossary must be True or False, not str 'yes'; "
        f"using the default, {default!r}"
    )


def test_a_flag_in_conf_py_that_is_not_a_flag(tmp_path: Path) -> None:
    docs = make_site(tmp_path, conf='comprende_exam_links = "no"\n')
    output = build(docs)
    warnings = typed(output)
    assert len(warnings) == 1 and output.count("WARNING") == 1, output
    line = conf_line(docs, 'comprende_exam_links = "no"')
    assert warnings[0].startswith(f"{docs / 'conf.py'}:{line}: WARNING: comprende_exam_links")


def test_a_path_that_is_not_text_keeps_the_default(tmp_path: Path) -> None:
    """`comprende_bank = 3`: a warning, and the default `../exercises` (there in the site)."""
    docs = make_site(tmp_path, conf="comprende_bank = 3\n")
    output = build(docs)
    warnings = typed(output)
    assert len(warnings) == 1 and output.count("WARNING") == 1, output
    line = conf_line(docs, "comprende_bank = 3")
    assert warnings[0].startswith(f"{docs / 'conf.py'}:{line}: WARNING: ")
    assert "comprende_bank must be a text (a quoted string), not int 3" in warnings[0]
    assert "using the default, '../exercises'" in warnings[0]
    assert "cp-exercises" in (tmp_path / "_build" / "html" / "uno.html").read_text("utf-8")


def test_a_page_name_with_its_suffix(tmp_path: Path) -> None:
    docs = make_site(tmp_path, conf='comprende_glossary_page = "glosario.md"\n')
    warnings = typed(build(docs), Kind.CONFIG)
    assert len(warnings) == 1
    assert (
        "comprende_glossary_page is a page's name without its suffix: write 'glosario'"
        in (warnings[0])
    )


def test_an_unknown_setting_names_the_closest(tmp_path: Path) -> None:
    docs = make_site(tmp_path, conf='comprende_mdoe = "exam"\n')
    output = build(docs)
    warnings = typed(output)
    assert len(warnings) == 1, output
    line = conf_line(docs, 'comprende_mdoe = "exam"')
    assert warnings[0].startswith(
        f"{docs / 'conf.py'}:{line}: WARNING: unknown setting `comprende_mdoe`: "
        "did you mean `comprende_mode`?"
    )
    # The misspelt setting is not used: the site stays in practice mode.
    assert '"mode":"practice"' in (tmp_path / "_build" / "html" / "uno.html").read_text("utf-8")


def test_a_config_warning_can_be_suppressed(tmp_path: Path) -> None:
    docs = make_site(
        tmp_path, conf='comprende_mode = "examen"\nsuppress_warnings = ["comprende.config"]\n'
    )
    assert build(docs) == ""
    assert '"mode":"exam"' in (tmp_path / "_build" / "html" / "uno.html").read_text("utf-8")


def test_the_settings_are_read_once_per_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = ComprendeConfig.from_sphinx

    def counted(app: Any, config: Any) -> ComprendeConfig:
        calls.append(1)
        return original(app, config)

    monkeypatch.setattr(ComprendeConfig, "from_sphinx", staticmethod(counted))
    docs = make_site(tmp_path)
    app = SphinxTestApp(
        "html", srcdir=docs, builddir=tmp_path / "_build", status=StringIO(), warning=StringIO()
    )
    try:
        app.build()
        assert get_config(app) is get_config(app)
        assert get_config(app).mode == "practice"
    finally:
        app.cleanup()
    # Three pages read the settings many times (every directive and every term link).
    assert len(calls) == 1


def test_every_field_has_help_a_validator_and_a_valid_default() -> None:
    for f in fields(ComprendeConfig):
        assert f.metadata["help"].endswith(".")
        assert f.metadata["validator"](f.default) is None
        assert f.metadata["validator"](f.metadata["fallback"]) is None
    assert get_field("mode").metadata["fallback"] == "exam"
    assert MODES == ("practice", "exam")


def get_field(name: str) -> Field[Any]:
    return next(f for f in fields(ComprendeConfig) if f.name == name)


def test_building_the_dataclass_with_a_bad_value_is_refused() -> None:
    with pytest.raises(ValueError, match="comprende_mode must be one of 'practice', 'exam'"):
        ComprendeConfig(mode="examen")
    assert ComprendeConfig(mode="exam").mode == "exam"


@pytest.mark.parametrize(
    ("validator", "value", "problem"),
    [
        (text_value, "", "must not be empty"),
        (text_value, "  ", "must not be empty"),
        (text_value, None, "must be a text (a quoted string), not NoneType None"),
        (text_value, "x", None),
        (docname_value, "/glosario", "is a page's name relative to docs/, without a leading '/'"),
        (docname_value, "guias/autores.rst", "is a page's name without its suffix: write "),
        (docname_value, "guias/autores", None),
    ],
)
def test_validators(validator: Validator, value: Any, problem: str | None) -> None:
    result = validator(value)
    if problem is None:
        assert result is None
    else:
        assert result is not None and result.startswith(problem)


def test_the_config_table_lists_every_setting(tmp_path: Path) -> None:
    pages = {**PAGES, "ajustes.md": "# Ajustes\n\n:::{comprende-config}\n:::\n"}
    pages["index.md"] = PAGES["index.md"].replace("dos\n", "dos\najustes\n")
    assert build(make_site(tmp_path, pages=pages)) == ""
    page = (tmp_path / "_build" / "html" / "ajustes.html").read_text("utf-8")
    for f in fields(ComprendeConfig):
        assert f"comprende_{f.name}" in page
    # The help's `code` is shown as code, not as backquotes.
    assert "`" not in page[page.index("cp-config") :].split("</table>")[0]
    assert ext_config.PREFIX == "comprende_"

"""The exercises in builders other than HTML: a text or LaTeX build shows every item's
prompt and choices (the widgets are HTML only), built in-process with ``sphinx.testing``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .test_diagnostics import ITEM, MODULE, make_site

CHOICE = """\
  - id: uno-motivo
    type: opcion-unica
    prompt: ¿Adónde llega Putin?
    points: 1
    skill: literal
    level: A2
    evidence:
      - "Al llegar a Astana el 27 de noviembre"
    explanation: Lo dice el párrafo 2.
    options:
      - {id: a, text: A Astana, correct: true, feedback: Sí.}
      - {id: b, text: A Moscú, feedback: No.}
"""


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_every_item_shows_its_prompt_and_choices(tmp_path: Path, builder: str) -> None:
    set_text = "id: uno\ntitle: Uno\ninstructions: Responde.\nitems:\n" + ITEM + CHOICE
    docs = make_site(tmp_path, set_text=set_text, module=MODULE)
    warnings = StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=docs,
        builddir=tmp_path / "_build",
        warning=warnings,
        status=StringIO(),
        freshenv=True,
    )
    try:
        app.build()
        out = Path(app.outdir)
    finally:
        app.cleanup()
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.t*") if p.is_file())
    for expected in ("Putin llega a Astana.", "Verdadero", "Falso", "¿Adónde llega Putin?"):
        assert expected in text, (builder, expected)
    assert "A Astana" in text and "A Moscú" in text
    assert "<input" not in text and "cp-item" not in text

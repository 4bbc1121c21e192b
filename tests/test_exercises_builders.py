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

#: The two evidence types: a sentence selection in paragraph 2, and a two-part item whose
#: Part B is a selection in paragraph 3.
SENTENCE_1 = "Al llegar a Astana el 27 de noviembre, Putin es recibido por Toqaev"
SENTENCE_2 = "Toqaev revela que leyó cuidadosamente el comentario de Putin"
SENTENCE_3 = "Reafirma este compromiso de fortalecer los lazos entre Moscú y Astana."
EVIDENCE_ITEMS = """\
  - id: uno-marca
    type: seleccionar-en-el-texto
    prompt: Marca la frase que cuenta cómo recibe Toqaev a Putin.
    points: 1
    skill: literal
    level: B1
    paragraph: 2
    evidence:
      - "Putin es recibido por Toqaev con un firme apretón de manos"
    explanation: Lo dice la primera frase del párrafo 2.
  - id: uno-partes
    type: dos-partes
    prompt: Esta pregunta tiene dos partes.
    points: 2
    skill: inferencia
    level: B1
    evidence:
      - "Reafirma este compromiso de fortalecer los lazos entre Moscú y Astana"
    explanation: Lo dice el párrafo 3.
    part_a:
      prompt: ¿Qué quiere Toqaev?
      options:
        - {id: a, text: Reforzar los lazos con Rusia., correct: true, feedback: Sí.}
        - {id: b, text: Alejarse de Rusia., feedback: No.}
    part_b:
      type: seleccionar-en-el-texto
      prompt: Marca en el párrafo 3 la frase que apoya tu respuesta.
      paragraph: 3
"""


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_every_item_shows_its_prompt_and_choices(tmp_path: Path, builder: str) -> None:
    set_text = (
        "id: uno\ntitle: Uno\ninstructions: Responde.\nitems:\n" + ITEM + CHOICE + EVIDENCE_ITEMS
    )
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
    for expected in (
        "Marca la frase que cuenta cómo recibe Toqaev a Putin.",
        "¿Qué quiere Toqaev?",
        "Reforzar los lazos con Rusia.",
        "Alejarse de Rusia.",
        "Marca en el párrafo 3 la frase que apoya tu respuesta.",
    ):
        assert expected in text, (builder, expected)
    flat = " ".join(text.split())  # the text builder wraps lines
    for sentence in (SENTENCE_1, SENTENCE_2, SENTENCE_3):  # what there is to mark
        assert sentence in flat, (builder, sentence)
    if builder == "text":
        assert "2.1) " + SENTENCE_1 in flat and "2.2) " + SENTENCE_2 in flat
        assert "Parte A. ¿Qué quiere Toqaev?" in flat and "Parte B. Marca en el párrafo 3" in flat
    assert "<input" not in text and "cp-item" not in text

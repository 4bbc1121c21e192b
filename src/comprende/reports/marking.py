"""``corregir.html``: the page on which the instructor marks the open responses.

``write_marking_page(path, bank, pending_rows)`` writes one self-contained file (its
style, script and data inline; no request to any host: a Content-Security-Policy with
``default-src 'none'`` and the hashes of its own style and script says so to the
browser). ``pending_rows`` are :class:`~comprende.reports.problems.PendingRow` (as
:meth:`~comprende.reports.problems.PendingWriter.rows` gives them back); they are
streamed into the file, never all held in memory. Returns the number of rows.

The page (template ``templates/corregir.html``, script ``corregir.js``, style
``corregir.css``), in Spanish, keyboard first and WCAG 2.1 AA:

* one answer at a time: where the question is (set and number, as the student saw
  it), the student, the prompt, the answer (always as text, never as HTML), a field
  per rubric criterion with its points (or one score field for an item without a
  rubric), the total, a comment box and the model answer;
* previous / next (buttons, and ``Alt+Mayús+A`` / ``Alt+Mayús+S``; ``Alt+Mayús+N`` goes
  to the next answer still to mark), each move announced (``aria-live``); progress
  ("Respuesta 3 de 12 · 5 corregidas"), and a filter to show only what is left;
* work is kept in ``localStorage`` under ``comprende-corregir:<module>:<version>:<run>``
  (the run: a hash of the rows, so two runs never mix), and a mark already in the
  rows (from an earlier ``--marks``) is shown filled in;
* "Guardar las notas" (or ``Alt+Mayús+G``) downloads the JSON marks file that
  :func:`comprende.marks.read_marks` reads (format in :mod:`comprende.marks`); only
  complete marks go in, and the page says how many were left out.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..marks import JSON_FORMAT
from ..model import Bank
from ..scriptjson import script_json
from .problems import PendingRow

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
    )


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def bank_data(bank: Bank) -> dict[str, Any]:
    """What the page needs of each open item."""
    items: dict[str, Any] = {}
    for item_set in bank.sets:
        for number, item in enumerate(item_set.items, 1):
            if item.auto_graded:
                continue
            guide = item.kind.marking_guide(item)
            items[item.id] = {
                "label": f"{item_set.title} · Pregunta {number}",
                "prompt": item.prompt,
                "points": item.points,
                "rubric": [[c.criterion, c.points] for c in guide.rubric],
                "model": guide.model_answer,
                "minWords": guide.min_words,
                "maxWords": guide.max_words,
            }
    return {
        "format": JSON_FORMAT,
        "module": bank.id,
        "title": bank.title,
        "version": bank.version,
        "items": items,
    }


def _row_json(row: PendingRow) -> list[Any]:
    marking = row.marking
    return [
        row.student_id,
        row.name,
        row.file,
        row.lms,
        row.lms_id,
        row.item_id,
        row.answer,
        row.answer_sha256,
        list(marking.criteria) if marking is not None else None,
        row.score,
        marking.comment if marking is not None else "",
    ]


def write_marking_page(path: Path, bank: Bank, pending_rows: Iterable[PendingRow]) -> int:
    """Write ``corregir.html`` for these rows; returns how many rows it holds."""
    from markupsafe import Markup

    script = (_TEMPLATES / "corregir.js").read_text(encoding="utf-8")
    style = (_TEMPLATES / "corregir.css").read_text(encoding="utf-8")
    if "</" in script or "</" in style:
        raise ValueError("the page's script and style must not contain '</'")
    digest = hashlib.sha256(f"{bank.id}\n{bank.version}\n".encode())
    count = 0

    def rows() -> Iterator[Markup]:
        nonlocal count
        for row in pending_rows:
            line = script_json(_row_json(row))
            digest.update(line.encode("utf-8") + b"\n")
            yield Markup(("," if count else "") + line + "\n")
            count += 1

    def run() -> Markup:
        return Markup(script_json({"run": digest.hexdigest()[:16], "count": count}))

    template = _environment().get_template("corregir.html")
    stream = template.generate(
        bank=bank,
        bank_json=Markup(script_json(bank_data(bank))),
        rows=rows(),
        run=run,
        script=Markup(script),
        style=Markup(style),
        csp=f"default-src 'none'; script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'",
    )
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for chunk in stream:
            handle.write(chunk)
    return count

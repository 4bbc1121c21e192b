"""The LMS's own files, filled in: Moodle's grading worksheet, Canvas's gradebook, a roster.

Pure functions the grading run calls at its end (see each module's docstring for the
importer rules they follow, with the source files they were read from):

* :mod:`comprende.lms.moodle`: ``read_worksheet(path)`` / ``fill_worksheet(ws, grades)``
  for Moodle's "upload a grading worksheet", and ``feedback_zip(grades, out_zip)`` for
  its "upload multiple feedback files in a zip";
* :mod:`comprende.lms.canvas`: ``fill_gradebook(export_path, assignment, grades)`` for
  Canvas's gradebook import;
* :mod:`comprende.lms.roster`: ``read_roster(path)`` and ``match_roster(entries, rows)``.

This module holds what they share: :class:`FinalGrade` (one per student row, built by
the run), :func:`scale`, :func:`same_name` and :class:`FillReport`.

Pass one :class:`FinalGrade` per student *with a submission*: a roster student with no
submission has nothing to upload, and the LMS row stays as it was. Only ``status ==
"corregido"`` is uploaded unless the fill function gets ``include_pending=True``.

Scaling
-------
``scale(points, possible, maximum)`` is ``points / possible * maximum`` computed in
:class:`decimal.Decimal` from the floats' shortest ``repr`` and **rounded half up to two
decimals** (``ROUND_HALF_UP``: 7.125 → 7.13, 7.124 → 7.12), then clamped to
``[0, maximum]``; it is 0 when ``possible`` is 0 (nothing could be scored). Two
decimals because Canvas's exporter writes scores with ``I18n.n(score, precision: 2)``
and its importer compares them at that precision, and Moodle's worksheet shows grades
with ``format_float(grade, <the grade item's decimals>)``.

Names
-----
``same_name(a, b)``: whether two spellings of a person's name agree, as
:func:`comprende.inputs.name_matches` compares a file's name with the LMS's: case,
accents, punctuation and the order of the words ignored ("García, Ana" = "ana garcia",
"O'Brien, Sean" = "Sean OBrien"). The fill functions use it to refuse a row whose name
in the LMS file is another person's (a worksheet or gradebook of another assignment,
group or course); a name missing on either side is not compared.

Writing the files
-----------------
``moodle.save_worksheet(path, worksheet, text)`` and ``canvas.save_gradebook(path,
text)`` write what the fill functions return in the original's encoding, BOM and line
ends; ``FillReport.text()`` is the Spanish report to show or save next to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from ..textnorm import fold_bare

__all__ = ["FillReport", "FinalGrade", "Matched", "grade_text", "same_name", "scale"]


@dataclass(frozen=True)
class FinalGrade:
    """One student's final result, handed to the LMS writers by the grading run."""

    student_id: str
    name: str
    #: ``"moodle"``, ``"canvas"`` or ``""`` (from the submission's file naming).
    lms: str
    #: The LMS's own id: Moodle participant id, Canvas user id.
    lms_id: str
    total: float
    possible: float
    #: ``"corregido"`` or ``"pendiente"`` (open responses still to mark).
    status: str
    #: Short Spanish summary for the LMS's feedback comment.
    comment: str
    #: The student's ``feedback/<slug>.html``, if it was written.
    feedback_page: Path | None = None


_CENT = Decimal("0.01")


def _dec(value: float) -> Decimal:
    # repr() is the shortest text that reads back as the same float: 0.1 → "0.1",
    # not 0.1000000000000000055…, so 2.675 rounds half up to 2.68 as a person expects.
    return Decimal(repr(float(value)))


def scale(points: float, possible: float, maximum: float) -> float:
    """``points / possible * maximum``, rounded half up to 2 decimals, within ``[0, maximum]``.

    0 when ``possible`` is 0. Computed in :class:`~decimal.Decimal`, so
    ``scale(1, 8, 57)`` is 7.13 (7.125 rounds up), never 7.12 through a binary float.
    """
    try:
        top = _dec(maximum)
        if possible == 0 or top <= 0:
            return 0.0
        value = (_dec(points) * top / _dec(possible)).quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # NaN or infinity from a broken caller
        return 0.0
    value = max(Decimal(0), min(value, top.quantize(_CENT, rounding=ROUND_HALF_UP)))
    return float(value)


def grade_text(value: float) -> str:
    """A grade as the LMS importers read it: decimal point, at most 2 decimals, no zeros.

    ``7.5``, ``10``, ``6.83``. A point, never a comma: Moodle's ``unformat_float``
    replaces the site's decimal separator with a point, so "7.5" reads as 7.5 whether the
    site's separator is "." or ","; but "7,5" on an English site is cast to 7. Canvas's
    importer reads either.
    """
    text = f"{Decimal(repr(float(value))).quantize(_CENT, rounding=ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("", "-0") else text


_WORD = re.compile(r"[^\W_]+")


def _words(name: str) -> list[str]:
    return _WORD.findall(fold_bare(name))


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same person's, ignoring case, accents, punctuation, order.

    True when either has no letters (nothing to compare).
    """
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return True
    if sorted(wa) == sorted(wb):
        return True
    # "Surname, Name" against "Name Surname" written with other breaks ("O'Brien" / "OBrien").
    joined = "".join(wb)
    return any("".join(wa[i:] + wa[:i]) == joined for i in range(len(wa)))


@dataclass(frozen=True)
class Matched:
    """A row of the LMS file that received a grade."""

    #: 1-based line of the row in the LMS file.
    line: int
    #: The LMS's id on that row (Moodle participant id, Canvas user id).
    lms_id: str
    #: Name on the LMS row.
    name: str
    #: The grade written, as text.
    grade: str
    #: The maximum it was scaled to.
    maximum: str
    #: How the row was found ("id de participante", "id de usuario de Canvas", "SIS User ID").
    how: str
    #: The grade the row held before, if any (it is replaced).
    previous: str = ""


@dataclass
class FillReport:
    """What filling an LMS file did, for the instructor (every text in Spanish)."""

    #: The LMS file that was filled.
    source: str
    matched: list[Matched] = field(default_factory=list)
    #: Grades that found no row: (student id, name, reason).
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)
    #: Rows left as they were although a grade was found for them: (line, who, reason).
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    #: Rows with no grade (no submission): left byte for byte as they were.
    untouched: int = 0
    #: General remarks (upload settings, missing feedback column…).
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as lines of Spanish text, most important first."""
        out = [
            f"Archivo: {self.source}",
            f"Filas con calificación: {len(self.matched)}",
            f"Filas sin entrega (sin cambios): {self.untouched}",
        ]
        out += [f"Nota: {note}" for note in self.notes]
        for line, who, reason in self.skipped:
            out.append(f"Fila omitida (línea {line}, {who}): {reason}")
        for student_id, name, reason in self.unmatched:
            who = f"{name} ({student_id})" if student_id else name
            out.append(f"Sin fila en el archivo: {who}: {reason}")
        for m in self.matched:
            was = f"; antes {m.previous}" if m.previous else ""
            out.append(
                f"Calificado (línea {m.line}, {m.name}, {m.how} {m.lms_id}): "
                f"{m.grade} de {m.maximum}{was}"
            )
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

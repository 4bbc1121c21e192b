"""The end of a grading run: final grades into the LMS's own files, and the class list.

:class:`FinalOptions` holds what the instructor asked for (``--moodle-worksheet``,
``--canvas-gradebook`` with ``--canvas-assignment``, ``--roster``, ``--scale``).
:func:`prepare` reads those files **before** any grading, so a wrong file is a usage
error that costs nothing; :func:`write_lms_files` fills them at the end, into the run's
folder:

* ``moodle-worksheet.csv``: the worksheet downloaded from the Moodle assignment, with
  the grade, "Last modified (grade)" and feedback comment of every row that has a
  submission (:mod:`comprende.lms.moodle`), and ``moodle-feedback.zip``, the feedback
  pages for "Upload multiple feedback files in a zip";
* ``canvas-gradebook.csv``: the gradebook export with the assignment's column filled
  (:mod:`comprende.lms.canvas`);
* ``lms-report.txt``: what each file received and whom it left out, in Spanish.

Students whose open responses are still pending get no grade in the LMS files (a
provisional grade would be taken as final); the report lists them.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ComprendeError, UsageError
from .lms import FinalGrade
from .lms import canvas as canvas_lms
from .lms import moodle as moodle_lms
from .lms.roster import RosterEntry, read_roster

__all__ = ["FinalOptions", "Prepared", "prepare", "summary_comment", "write_lms_files"]


@dataclass(frozen=True)
class FinalOptions:
    """The LMS files and class list to use, and the scale of the standalone gradebooks."""

    #: Moodle's grading worksheet, as downloaded from the assignment.
    moodle_worksheet: Path | None = None
    #: Canvas's gradebook export, and the assignment whose column to fill.
    canvas_gradebook: Path | None = None
    canvas_assignment: str | None = None
    #: A class list: id, name, optional email.
    roster: Path | None = None
    #: Scale of ``gradebook.csv`` and its variants (e.g. 10 or 100); ``None``: points.
    scale: float | None = None

    @property
    def needs_grades(self) -> bool:
        return self.moodle_worksheet is not None or self.canvas_gradebook is not None


@dataclass
class Prepared:
    """The files of :class:`FinalOptions`, read and checked."""

    options: FinalOptions
    worksheet: moodle_lms.Worksheet | None = None
    roster: list[RosterEntry] = field(default_factory=list)
    #: Problems found in the roster (Spanish); the run goes on without those lines.
    roster_problems: list[str] = field(default_factory=list)


def prepare(options: FinalOptions) -> Prepared:
    """Read the worksheet, gradebook and roster now; a file that cannot be used is a UsageError."""
    if options.scale is not None and not (1 <= options.scale <= 1_000_000):
        raise UsageError(
            f"--scale debe ser un número entre 1 y 1.000.000, como 10 o 100 "
            f"(se ha dado {options.scale!r})"
        )
    for label, path in (
        ("--moodle-worksheet", options.moodle_worksheet),
        ("--canvas-gradebook", options.canvas_gradebook),
        ("--roster", options.roster),
    ):
        if path is not None:
            regular_file(path, label)
    if (options.canvas_gradebook is None) != (options.canvas_assignment is None):
        raise UsageError(
            "--canvas-gradebook y --canvas-assignment van juntos: el archivo exportado de "
            "Canvas y el nombre de la tarea cuya columna se rellena"
        )
    prepared = Prepared(options)
    try:
        if options.moodle_worksheet is not None:
            prepared.worksheet = moodle_lms.read_worksheet(options.moodle_worksheet)
        if options.canvas_gradebook is not None:  # reads it and finds the column, or says why
            canvas_lms.fill_gradebook(options.canvas_gradebook, options.canvas_assignment or "", [])
        if options.roster is not None:
            prepared.roster, prepared.roster_problems = read_roster(options.roster)
            if not prepared.roster:
                raise UsageError(
                    f"--roster {options.roster}: la lista de clase no tiene ningún estudiante "
                    f"con identificador ({'; '.join(prepared.roster_problems[:3])})"
                )
    except ComprendeError as exc:
        raise UsageError(str(exc)) from None
    return prepared


def parse_scale(text: str) -> float:
    """``--scale N`` as typed: digits with at most one decimal point or comma (10, 100,
    10,5); anything else is a UsageError in Spanish. The range is checked by :func:`prepare`."""
    if not re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", text):
        raise UsageError(f"--scale debe ser un número como 10, 100 o 10,5 (se ha dado {text!r})")
    return float(text.strip().replace(",", "."))


def regular_file(path: Path, label: str) -> None:
    """Refuse at once (UsageError) a path that is not an ordinary file: never block on a FIFO."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UsageError(f"{label} {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        what = {
            "--marks": "el archivo de notas",
            "--roster": "la lista de clase",
        }.get(label, "el archivo descargado del LMS")
        raise UsageError(
            f"{label} {path}: no es un archivo normal (una carpeta, un dispositivo o una "
            f"tubería); indica {what}"
        )


def summary_comment(total: float, possible: float, pending: int, comma_points: str) -> str:
    """The short Spanish comment an LMS shows next to the grade."""
    text = f"Puntuación en el módulo de lectura: {comma_points}."
    if pending:
        text += f" {pending} respuesta(s) abierta(s) aún sin corregir: nota provisional."
    return text + " El informe detallado explica cada pregunta."


def write_lms_files(
    work: Path,
    prepared: Prepared,
    grades: Iterable[FinalGrade],
    *,
    out: Path | None = None,
    also: Sequence[str] = (),
) -> list[str]:
    """Fill the LMS files into ``work``; returns the report's lines (also in lms-report.txt).

    ``out`` is where ``work`` will be once in place: the report names the files there.
    """
    options = prepared.options
    grades = list(grades)
    lines: list[str] = []
    try:
        if prepared.worksheet is not None:
            text, report = moodle_lms.fill_worksheet(prepared.worksheet, grades)
            moodle_lms.save_worksheet(work / "moodle-worksheet.csv", prepared.worksheet, text)
            lines += [
                "== Moodle: hoja de calificaciones (moodle-worksheet.csv) ==",
                *report.lines(),
            ]
            zipped = moodle_lms.feedback_zip(
                grades, work / "moodle-feedback.zip", worksheet=prepared.worksheet
            )
            lines += [
                "",
                "== Moodle: comentarios en archivo (moodle-feedback.zip) ==",
                *zipped.lines(),
            ]
        if options.canvas_gradebook is not None and options.canvas_assignment is not None:
            text, report = canvas_lms.fill_gradebook(
                options.canvas_gradebook, options.canvas_assignment, grades
            )
            canvas_lms.save_gradebook(work / "canvas-gradebook.csv", text)
            lines += [
                "",
                "== Canvas: libro de calificaciones (canvas-gradebook.csv) ==",
                *report.lines(),
            ]
    except ComprendeError as exc:  # read once already: only a file changed meanwhile
        raise UsageError(str(exc)) from None
    if lines and also:
        lines += ["", "== Entregas que no se suben ==", *also]
    if out is not None:
        lines = [line.replace(str(work), str(out)) for line in lines]
    if lines:
        (work / "lms-report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines

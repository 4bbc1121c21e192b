"""The gradebook, one row per student, in four CSV variants.

* ``gradebook.csv``: UTF-8, comma, decimal point; every column (id, name, file,
  status, points per item, total, maximum, percentage, pending, LMS, LMS id, notes).
* ``gradebook-excel.csv``: the same for Excel: UTF-8 *with* BOM (without it Excel
  reads UTF-8 as the ANSI code page and breaks the accents), semicolon separator and
  decimal comma, which is what Excel expects in Spanish (and most European) locales.
* ``gradebook-moodle.csv``: for Moodle's "upload a grading worksheet" (matched by
  ``Identifier`` = ``Participant <id>`` from the "download all submissions" zip) and
  for the gradebook's CSV import (match on ``ID number``).
With ``scale`` (``--scale N``) every variant also gives the grade out of N, rounded half
up to 2 decimals (:func:`comprende.lms.scale`): a ``grade_N`` column after
``percentage`` in the first two, and N as the maximum of the Moodle and Canvas ones.

* ``gradebook-canvas.csv``: Canvas's gradebook import (``Student``, ``ID``, ``SIS User
  ID``, ``SIS Login ID``, ``Section``, then one column for the assignment), with its
  ``Points Possible`` row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..lms import scale
from ..model import Bank
from .base import CsvWriter, number_cell, points, safe_cell


@dataclass(frozen=True)
class GradebookRow:
    """One student's line of the gradebook."""

    #: The student's id, as in their file.
    student_id: str
    #: The student's name, as in their file.
    name: str
    #: The file that counts.
    file: str
    #: ``corregido``, or ``pendiente`` while open responses wait for the instructor.
    status: str
    #: Points per bank item, in bank order; ``None`` for an open response still pending.
    scores: tuple[float | None, ...]
    total: float
    possible: float
    percentage: float
    #: Open responses waiting for manual grading.
    pending: int = 0
    #: ``moodle`` or ``canvas`` when the file came from that LMS's download.
    lms: str = ""
    #: The LMS's own id of the student (Moodle participant, Canvas user).
    lms_id: str = ""
    #: Things the instructor should know (name mismatch, duplicates, late…), in Spanish.
    notes: tuple[str, ...] = ()
    #: The points per item already as CSV text, when made once per answer by the
    #: caller: (cells joined by ",", decimal point; joined by ";", decimal comma).
    #: ``scores`` is then not read.
    cells: tuple[str, str] | None = None

    def to_json(self) -> list[Any]:
        return [
            self.student_id,
            self.name,
            self.file,
            self.status,
            list(self.scores),
            self.total,
            self.possible,
            self.percentage,
            self.pending,
            self.lms,
            self.lms_id,
            list(self.notes),
            None if self.cells is None else list(self.cells),
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> GradebookRow:
        return cls(
            data[0],
            data[1],
            data[2],
            data[3],
            tuple(data[4]),
            data[5],
            data[6],
            data[7],
            data[8],
            data[9],
            data[10],
            tuple(data[11]),
            None if data[12] is None else (data[12][0], data[12][1]),
        )


def plain(number: float) -> str:
    """A number as typed, without an exponent or trailing zeros: 1000000, 250000.5, 1.875."""
    text = format(Decimal(repr(float(number))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class GradebookWriter:
    """Opens the four files in ``folder``; :meth:`add` rows in order, then :meth:`close`."""

    def __init__(self, folder: Path, bank: Bank, *, scale: float | None = None) -> None:
        self.bank = bank
        #: ``--scale``: the grade out of this maximum, beside the points (``None``: points only).
        self.scale = scale
        item_ids = [item.id for item in bank.items]
        self._files = [
            (folder / "gradebook.csv").open(
                "w", encoding="utf-8", errors="backslashreplace", newline=""
            ),
            (folder / "gradebook-excel.csv").open(
                "w", encoding="utf-8-sig", errors="backslashreplace", newline=""
            ),
            (folder / "gradebook-moodle.csv").open(
                "w", encoding="utf-8", errors="backslashreplace", newline=""
            ),
            (folder / "gradebook-canvas.csv").open(
                "w", encoding="utf-8", errors="backslashreplace", newline=""
            ),
        ]
        self._plain_text, self._excel_text = CsvText(","), CsvText(";")
        self.plain = CsvWriter(self._files[0])
        self.excel = CsvWriter(self._files[1], delimiter=";")
        self.moodle = CsvWriter(self._files[2])
        self.canvas = CsvWriter(self._files[3])
        header = [
            "id",
            "name",
            "file",
            "status",
            *item_ids,
            "total",
            "maximum",
            "percentage",
            "pending",
            "lms",
            "lms_id",
            "notes",
        ]
        if scale is not None:
            header.insert(header.index("percentage") + 1, f"grade_{plain(scale)}")
        self.plain.row(header)
        self.excel.row(header)
        self.moodle.row(
            ["Identifier", "Full name", "ID number", "Grade", "Maximum Grade", "Feedback comments"]
        )
        self.canvas.row(
            ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", f"{bank.title} ({bank.id})"]
        )
        maximum = plain(scale) if scale is not None else points(bank.possible)
        self.canvas.row(["    Points Possible", "", "", "", "", number_cell(maximum)])

    def add(self, row: GradebookRow, *, ambiguous: bool = False) -> None:
        """One row; ``ambiguous``: another row has the same id, so the LMS files leave
        this grade out (their import matches by id and would keep whichever came last)."""
        grade = scale(row.total, row.possible, self.scale) if self.scale is not None else None
        if row.cells is not None and self.bank.items:
            self._spliced(row, grade)
        else:
            self._rows(row, grade)
        self._lms_rows(row, grade, ambiguous)

    def _rows(self, row: GradebookRow, grade: float | None) -> None:
        """The rows of the first two files, every cell formatted here."""
        for writer, comma in ((self.plain, False), (self.excel, True)):
            scaled = [number_cell(points(grade, comma=comma))] if grade is not None else []
            writer.row(
                [
                    row.student_id,
                    row.name,
                    row.file,
                    row.status,
                    *(number_cell(points(s, comma=comma)) for s in row.scores),
                    number_cell(points(row.total, comma=comma)),
                    number_cell(points(row.possible, comma=comma)),
                    number_cell(points(row.percentage, comma=comma)),
                    *scaled,
                    number_cell(str(row.pending)),
                    row.lms,
                    row.lms_id,
                    " | ".join(row.notes),
                ]
            )

    def _lms_rows(self, row: GradebookRow, grade: float | None, ambiguous: bool) -> None:
        # The LMS files carry final grades only: a provisional total (open answers to
        # mark) or the 0 of a student with no submission would be taken as final.
        final = row.status == "corregido" and not ambiguous
        if ambiguous:
            comment = "Sin nota: otra fila tiene el mismo id de estudiante; compruébalo."
        elif row.pending:
            comment = (
                f"Sin nota todavía: {row.pending} respuesta(s) abierta(s) pendiente(s) de "
                f"corrección (provisional: {points(row.total)} de {points(row.possible)})."
            )
        elif not final:
            comment = "Sin entrega."
        else:
            comment = ""
        shown = grade if grade is not None else row.total
        self.moodle.row(
            [
                f"Participant {row.lms_id}" if row.lms == "moodle" else "",
                row.name,
                row.student_id,
                number_cell(points(shown)) if final else "",
                number_cell(plain(self.scale) if self.scale is not None else points(row.possible)),
                comment,
            ]
        )
        self.canvas.row(
            [
                row.name,
                row.lms_id if row.lms == "canvas" else "",
                row.student_id,
                "",
                "",
                number_cell(points(shown)) if final else "",
            ]
        )

    def _spliced(self, row: GradebookRow, grade: float | None) -> None:
        """The rows of the first two files, around the score cells already written out."""
        assert row.cells is not None
        for handle, spliced, comma in (
            (self._files[0], self._plain_text, False),
            (self._files[1], self._excel_text, True),
        ):
            scaled = [points(grade, comma=comma)] if grade is not None else []
            head = spliced([safe_cell(c) for c in (row.student_id, row.name, row.file, row.status)])
            tail = spliced(
                [
                    points(row.total, comma=comma),
                    points(row.possible, comma=comma),
                    points(row.percentage, comma=comma),
                    *scaled,
                    str(row.pending),
                    safe_cell(row.lms),
                    safe_cell(row.lms_id),
                    safe_cell(" | ".join(row.notes)),
                ]
            )
            mark = spliced.delimiter
            handle.write(f"{head}{mark}{row.cells[comma]}{mark}{tail}\r\n")

    def close(self) -> None:
        for handle in self._files:
            handle.close()


class CsvText:
    """Cells made CSV text (as :class:`csv.writer` writes them), without the line end."""

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self._text = ""
        # The line end as the files': the writer quotes a cell holding one of its characters.
        self._writer = csv.writer(self, delimiter=delimiter, lineterminator="\r\n")

    def write(self, text: str) -> None:
        self._text = text

    def __call__(self, cells: list[str]) -> str:
        self._writer.writerow(cells)
        return self._text[:-2]

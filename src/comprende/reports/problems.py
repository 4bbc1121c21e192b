"""The lists for the instructor: ``errors.csv``, ``warnings.csv`` and ``pending.csv``.

* ``errors.csv``: every file that was not graded, with the reason and what to do;
* ``warnings.csv``: files graded with something to check (a name that does not match
  the LMS's, a second file of the same student, a late submission, answers of the
  wrong shape, unknown questions, a legacy encoding);
* ``pending.csv``: every open response waiting for manual grading.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .base import CsvWriter, number_cell


def write_errors(path: Path, rows: Iterable[tuple[str, int | None, str, str]]) -> None:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        writer = CsvWriter(handle)
        writer.row(["file", "line", "reason", "fix"])
        for source, line, reason, fix in rows:
            writer.row([source, number_cell(str(line) if line else ""), reason, fix])


def write_warnings(path: Path, rows: Iterable[tuple[str, str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        writer = CsvWriter(handle)
        writer.row(["file", "student_id", "kind", "message"])
        for row in rows:
            writer.row(list(row))


class PendingWriter:
    """``pending.csv``, one row at a time (a class may have many open responses)."""

    def __init__(self, path: Path) -> None:
        self._handle = path.open("w", encoding="utf-8", errors="backslashreplace", newline="")
        self._writer = CsvWriter(self._handle)
        self._writer.row(["id", "name", "file", "item", "points_possible", "answer"])
        #: Rows written.
        self.count = 0

    def add(
        self, student_id: str, name: str, source: str, item_id: str, possible: float, answer: str
    ) -> None:
        self._writer.row([student_id, name, source, item_id, number_cell(f"{possible:g}"), answer])
        self.count += 1

    def close(self) -> None:
        self._handle.close()

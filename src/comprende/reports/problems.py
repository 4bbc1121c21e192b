"""The lists for the instructor: ``errors.csv``, ``warnings.csv`` and ``pending.csv``.

* ``errors.csv``: every file that was not graded, with the reason and what to do;
* ``warnings.csv``: files graded with something to check (a name that does not match
  the LMS's, a second file of the same student, a late submission, answers of the
  wrong shape, unknown questions, a legacy encoding);
* ``pending.csv``: every open response for the instructor to mark (:class:`PendingWriter`).

``pending.csv`` and ``pending-excel.csv``
-----------------------------------------

One row per student and open item. ``pending.csv`` is UTF-8 (no BOM), ``,`` and a
decimal point; ``pending-excel.csv`` is the same for Excel, as ``gradebook-excel.csv``:
UTF-8 *with* BOM, ``;`` and a decimal comma. CRLF line ends, RFC 4180 quoting; every
text cell is formula-safe (:func:`~comprende.reports.base.safe_cell`: a leading
``= + - @`` gets an apostrophe, which :mod:`comprende.marks` drops again). Columns:

``id``, ``name``, ``file``
    the student's id and name as in their file, and the file that counts;
``lms``, ``lms_id``
    ``moodle``/``canvas`` and the participant's id when the file came from that LMS's
    download (how marks find the student again), else empty;
``item``, ``points_possible``
    the open item's id and its points;
``answer``
    the answer as graded (text; any other JSON value as JSON);
``answer_sha256``
    SHA-256 of that text (:func:`comprende.marks.answer_sha256`): a mark is applied only
    while the answer is the same;
``rubric``
    what each criterion column means for this row's item, with its maximum:
    ``c1: Indica quién visita… (1 p.) | c2: …``;
``c1`` … ``cN``
    points per rubric criterion (N: the bank's largest rubric; columns past the item's
    own rubric stay empty); filled by the instructor;
``score``
    the item's points; may stay empty when every criterion is filled (their sum);
``comment``
    the instructor's comment for the student.

The instructor fills ``c1``… and/or ``score`` and ``comment`` and passes the file back
with ``--marks`` (read by :func:`comprende.marks.read_marks`, which also takes the file
after a spreadsheet saved it). When the run already has a mark for a row, the writer
fills those cells, so the same file can be corrected and passed again.

:meth:`PendingWriter.rows` gives the rows back (from an anonymous temporary file, so a
large class does not stay in memory), for :func:`comprende.reports.marking.write_marking_page`.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..marks import answer_sha256, answer_text, criterion_columns
from ..model import Bank, Item, Marking
from .base import CsvWriter, number_cell, points, safe_cell
from .gradebook import CsvText


def write_errors(path: Path, rows: Iterable[tuple[str, int | None, str, str]]) -> None:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        writer = CsvWriter(handle)
        writer.row(["file", "line", "reason", "fix"])
        for source, line, reason, fix in rows:
            writer.row([source, number_cell(str(line) if line else ""), reason, fix])


def write_warnings(path: Path, rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        writer = CsvWriter(handle)
        writer.row(["file", "student_id", "kind", "message"])
        for row in rows:
            writer.row(list(row))


#: The columns of ``pending.csv`` before ``c1``…, and after them.
PENDING_HEAD = (
    "id",
    "name",
    "file",
    "lms",
    "lms_id",
    "item",
    "points_possible",
    "answer",
    "answer_sha256",
    "rubric",
)
PENDING_TAIL = ("score", "comment")


@dataclass(frozen=True)
class PendingRow:
    """One open response to mark, as written to ``pending.csv``."""

    student_id: str
    name: str
    file: str
    lms: str
    lms_id: str
    item_id: str
    possible: float
    #: The answer as text (:func:`comprende.marks.answer_text`).
    answer: str
    answer_sha256: str
    #: The mark already given to this answer, if any.
    marking: Marking | None = None
    score: float | None = None

    def to_json(self) -> list[Any]:
        marking = [list(self.marking.criteria), self.marking.comment] if self.marking else None
        return [
            self.student_id,
            self.name,
            self.file,
            self.lms,
            self.lms_id,
            self.item_id,
            self.possible,
            self.answer,
            self.answer_sha256,
            marking,
            self.score,
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> PendingRow:
        marking = Marking(tuple(data[9][0]), data[9][1]) if data[9] is not None else None
        return cls(
            data[0],
            data[1],
            data[2],
            data[3],
            data[4],
            data[5],
            data[6],
            data[7],
            data[8],
            marking,
            data[10],
        )


def rubric_text(item: Item, *, comma: bool = False) -> str:
    """``c1: <criterion> (1 p.) | c2: …``: what each criterion column means for ``item``."""
    return " | ".join(
        f"c{i}: {c.criterion} ({points(c.points, comma=comma)} p.)"
        for i, c in enumerate(item.kind.marking_guide(item).rubric, 1)
    )


class PendingWriter:
    """``pending.csv`` (and ``pending-excel.csv`` when ``excel`` is given), one row at a time.

    ``bank`` gives the rubric columns (without it, none). With ``keep_rows`` the rows
    can be read back with :meth:`rows` after :meth:`close`.
    """

    def __init__(
        self,
        path: Path,
        bank: Bank | None = None,
        *,
        excel: Path | None = None,
        keep_rows: bool = False,
    ) -> None:
        self._items = bank.by_id if bank is not None else {}
        self._columns = list(criterion_columns(bank)) if bank is not None else []
        self._rubrics: dict[tuple[str, bool], str] = {}
        self._handles: list[IO[str]] = []
        self._writers: list[tuple[CsvWriter, bool]] = []
        #: Per file: its handle, its cells made CSV text, and whether it has a decimal comma.
        self._texts: list[tuple[IO[str], CsvText, bool]] = []
        self._item_cells: dict[tuple[str, float, bool], tuple[str, str]] = {}
        header = [*PENDING_HEAD, *self._columns, *PENDING_TAIL]
        targets = [(path, "utf-8", ",", False)]
        if excel is not None:
            targets.append((excel, "utf-8-sig", ";", True))
        for target, encoding, delimiter, comma in targets:
            handle = target.open("w", encoding=encoding, errors="backslashreplace", newline="")
            self._handles.append(handle)
            writer = CsvWriter(handle, delimiter=delimiter)
            writer.row(header)
            self._writers.append((writer, comma))
            self._texts.append((handle, CsvText(delimiter), comma))
        self._kept: IO[bytes] | None = tempfile.TemporaryFile() if keep_rows else None  # noqa: SIM115
        #: Rows written.
        self.count = 0

    def _rubric(self, item_id: str, comma: bool) -> str:
        key = (item_id, comma)
        if key not in self._rubrics:
            item = self._items.get(item_id)
            self._rubrics[key] = rubric_text(item, comma=comma) if item is not None else ""
        return self._rubrics[key]

    def add(
        self,
        student_id: str,
        name: str,
        source: str,
        item_id: str,
        possible: float,
        answer: Any,
        lms: str = "",
        lms_id: str = "",
        marking: Marking | None = None,
        score: float | None = None,
    ) -> None:
        """One open response; ``answer`` as graded (text or any JSON value)."""
        text = answer_text(answer)
        digest = answer_sha256(text)
        criteria = list(marking.criteria) if marking is not None else []
        criteria += [None] * (len(self._columns) - len(criteria))
        comment = marking.comment if marking is not None else ""
        for handle, cells, comma in self._texts:
            item, rubric = self._item_text(item_id, possible, cells, comma)
            student = cells([safe_cell(c) for c in (student_id, name, source, lms, lms_id)])
            answered = cells([safe_cell(text), digest])
            marked = cells(
                [
                    *(points(c, comma=comma) for c in criteria[: len(self._columns)]),
                    points(score, comma=comma),
                    safe_cell(comment),
                ]
            )
            mark = cells.delimiter
            handle.write(f"{student}{mark}{item}{mark}{answered}{mark}{rubric}{mark}{marked}\r\n")
        if self._kept is not None:
            row = PendingRow(
                student_id,
                name,
                source,
                lms,
                lms_id,
                item_id,
                possible,
                text,
                digest,
                marking,
                score,
            )
            line = json.dumps(row.to_json(), ensure_ascii=False)
            self._kept.write(line.encode("utf-8", "surrogatepass") + b"\n")
        self.count += 1

    def _item_text(
        self, item_id: str, possible: float, cells: CsvText, comma: bool
    ) -> tuple[str, str]:
        """An item's cells as CSV text: its id and points, and its rubric."""
        key = (item_id, possible, comma)
        if key not in self._item_cells:
            self._item_cells[key] = (
                cells([safe_cell(item_id), points(possible, comma=comma)]),
                # (a row of one empty cell would be written as "")
                cells([safe_cell(rubric)]) if (rubric := self._rubric(item_id, comma)) else "",
            )
        return self._item_cells[key]

    def close(self) -> None:
        for handle in self._handles:
            handle.close()

    def rows(self) -> Iterator[PendingRow]:
        """The rows written, in order (only with ``keep_rows``)."""
        if self._kept is None:
            raise ValueError("PendingWriter(keep_rows=True) keeps the rows")
        self._kept.flush()
        self._kept.seek(0)
        for line in self._kept:
            yield PendingRow.from_json(json.loads(line.decode("utf-8", "surrogatepass")))

    def discard(self) -> None:
        """Drop the kept rows."""
        if self._kept is not None:
            self._kept.close()
            self._kept = None

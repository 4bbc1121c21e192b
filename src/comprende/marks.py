"""The instructor's marks for open responses: read back from ``pending.csv`` or the page.

An open response (``respuesta-abierta``) is graded by the instructor, in one of two ways:

* filling ``pending.csv`` (or ``pending-excel.csv``) in a spreadsheet: the criteria
  ``c1``, ``c2``… and/or the ``score``, and a ``comment`` (the format is documented in
  :mod:`comprende.reports.problems`);
* on the marking page ``corregir.html`` (:mod:`comprende.reports.marking`), which saves
  a JSON marks file.

Either file is passed back with ``--marks FILE`` (repeatable) and read here.

API (called from :mod:`comprende.classgrade`)::

    marks = read_marks([path, ...], bank)          # or one path; never raises
    marks.unusable                                 # list[Problem]: files that are no marks file
    marks.problems                                 # list[Problem]: rows not applied, and why
    marks.notices                                  # list[Problem]: a later mark replaced one
    mark, problem = marks.lookup(student_id, lms, lms_id, item_id, answer_text)
    marks.unused()                                 # list[Problem]: marks no submission used
    marked_result(item_result, mark)               # the pending ItemResult, marked
    problem.warning()                              # (file, student_id, kind, message)
    answer_sha256(answer)                          # the hash pending.csv and the page carry

``lookup`` returns ``(Mark, None)`` when a mark applies, ``(None, Problem)`` when the
mark was given to a different answer (``answer_sha256`` differs: "la respuesta ha
cambiado desde que se corrigió: no se aplica la nota"), ``(None, None)`` when there is no
mark. A :class:`Mark` carries a :class:`~comprende.model.Marking` (points per criterion
in rubric order, ``None`` where not given, and the comment) and ``score`` (the total).

Rules:

* **What a file may look like.** UTF-8 with or without BOM (UTF-16 with BOM and
  Windows-1252, as Excel's "Unicode text" and "CSV" save, too); ``,``, ``;`` or tab as
  separator (found from the header; Excel's ``sep=;`` first line is understood);
  decimal point or comma; quoted cells, CRLF, LF or CR line ends, extra or reordered
  columns, blank lines; a leading apostrophe before ``= + - @`` (the formula escaping of
  our cells, which Excel keeps) is dropped. Column names are compared without case;
  ``nota`` and ``puntos`` are read as ``score`` and ``comentario`` as ``comment``.
  Cells of any length are read (csv's field limit is raised to the file's size while it
  is read, then restored: it is one setting for the whole process).
* **Bytes to text.** A UTF-16 BOM decides; else strict UTF-8. A file that is not valid
  UTF-8 but holds at least one valid multi-byte UTF-8 sequence is UTF-8 with the bad
  bytes replaced by «�», and one problem (for the file) names their rows; with no valid
  multi-byte sequence at all it is Windows-1252 (the same rule as the answers reader,
  :mod:`comprende.submission`).
* **Files that are no marks file at all** are refused whole, each one problem in
  :attr:`MarksFile.unusable` (and in ``problems``) with what to do, in Spanish: a path
  that cannot be read, a folder, FIFO, device or socket (``stat`` first, opened with
  ``O_NONBLOCK``: never read, never waited on), an empty file, a workbook (``.xlsx``),
  a binary file, a web page (``corregir.html`` itself), a CSV without the columns of
  ``pending.csv`` (a gradebook, an LMS worksheet), a JSON that is not the page's marks
  file, or its marks for another module or version. The caller should make that a
  usage error.
* **Where.** A problem names the row a spreadsheet shows (1 is the header, blank lines
  before it are rows, Excel's ``sep=`` line is not; an answer of several lines is one
  row) and the row's student and item: ``m.csv, fila 5, estudiante e1, pregunta p1,
  columna score``.
* **Two columns for the same thing** (``score`` and an added ``Nota``; two ``comment``)
  are said once for the file (a problem without a row); in each row the filled one is
  read; if several are filled and differ (``3`` and ``3,0`` agree), the row is a
  problem and is not applied.
* **The page's JSON.** A file starting with ``{`` is the page's JSON (``{"format": "comprende-marks", "version": 1, "module": …,
  "marks": [{"id", "name", "lms", "lms_id", "item", "answer_sha256", "criteria": [number
  or null, …], "score": number or null, "comment"}]}``; a problem in it names the mark's
  number and field, ``marca 3, …, campo criteria[1]``). Files are streamed: a class's
  whole ``pending.csv`` is never held in memory, only its marks.
* **A row with nothing filled** (no criterion, score or comment) is not a mark: the
  answer is still pending. Any bad cell makes its row a :class:`Problem` (file, row or
  mark number, column, what is wrong, how to fix it, in Spanish) and the row is not
  applied; the other rows are.
* **Score and criteria.** Every number is 0 or more; a criterion is at most its points
  in the rubric, the score at most the item's points. With every criterion filled the
  score may be left empty (it is their sum) or must equal their sum; with some criteria
  filled the score is required and must lie between what they add up to and that plus
  the missing criteria's points; an item without a rubric takes only a score; a
  comment without any points is a problem (it would be lost). Scores are rounded to
  hundredths (:func:`~comprende.model.round_points`).
* **Who.** A row belongs to the LMS participant's file with that id (``lms`` +
  ``lms_id`` + the id folded by :func:`comprende.textnorm.fold_id`) when it names a
  participant, else to its id folded: the same identities as
  :func:`comprende.classgrade.identity_of`, so two files of one participant with
  different ids get their own marks. ``lookup`` tries the participant's file, then a
  row naming the participant without an id, then the folded id (a row without a
  participant matches by id); a row with a participant never matches anyone else.
* **Changed answers.** Each row carries ``answer_sha256``, the SHA-256 of the answer
  text that was graded (:func:`answer_sha256`, the one function the writer of
  ``pending.csv``, the page and this reader share). A mark whose hash differs from the
  current answer's is never applied; a row without a valid hash is a problem.
* **Several files.** Files are read in order; a later mark for the same student and
  item replaces an earlier one (in the same file too), and that is a notice.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import errno
import hashlib
import io
import itertools
import json
import math
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from .files import not_regular
from .model import Bank, Item, ItemResult, Marking, Status, round_points
from .textnorm import fold_id

__all__ = [
    "JSON_FORMAT",
    "Mark",
    "MarksFile",
    "Problem",
    "answer_sha256",
    "answer_text",
    "criterion_columns",
    "identity_key",
    "marked_result",
    "read_marks",
]

#: The ``format`` of the page's JSON marks file.
JSON_FORMAT = "comprende-marks"
#: Differences below this count as equal when criteria are checked against a score.
_EPSILON = 0.005
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CRITERION = re.compile(r"c(\d+)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ALIASES = {"nota": "score", "puntos": "score", "comentario": "comment"}
_KNOWN = {"id", "name", "file", "lms", "lms_id", "item", "answer_sha256", "score", "comment"}
#: The columns a row's check reads (with ``c1``…), and what each one holds.
_MEANING = {
    "id": "el id del estudiante",
    "lms": "el LMS",
    "lms_id": "el id del participante en el LMS",
    "item": "el id de la pregunta",
    "answer_sha256": "el resumen de la respuesta",
    "score": "la nota",
    "comment": "el comentario",
}
_LMS = ("moodle", "canvas")
#: A valid UTF-8 sequence of two or more bytes (the same test as :mod:`comprende.submission`).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
#: A line end as csv and ``newline=""`` see it (neither byte is ever inside a UTF-8 sequence).
_LINE_END = re.compile(rb"\r\n|\r|\n")
_CHUNK = 1 << 16
#: ``csv.field_size_limit`` is one setting for the whole process: changed under this lock.
_FIELD_LIMIT_LOCK = threading.Lock()
_FIX_PATH = (
    "da con --marks el pending.csv rellenado (o pending-excel.csv) o el archivo .json "
    "que guarda corregir.html"
)
_OS_REASONS = {
    errno.ENOENT: "no existe",
    errno.EACCES: "no tienes permiso para leerlo",
    errno.EPERM: "no tienes permiso para leerlo",
    errno.EISDIR: "es una carpeta, no un archivo",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
    errno.ELOOP: "la ruta tiene demasiados enlaces simbólicos",
}


def answer_text(answer: Any) -> str:
    """An answer as the text written in ``pending.csv``: text as is, anything else as JSON."""
    return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)


def answer_sha256(answer: Any) -> str:
    """The SHA-256 (hex) of :func:`answer_text`, UTF-8 (lone surrogates kept as such)."""
    return hashlib.sha256(answer_text(answer).encode("utf-8", "surrogatepass")).hexdigest()


def identity_key(student_id: str, lms: str = "", lms_id: str = "") -> str:
    """``moodle:123:<folded id>`` for an LMS participant's file, else ``id:<folded id>``.

    The grading run's identities (:func:`comprende.classgrade.identity_of`): files of one
    participant with different ids are different students, and so are their marks.
    """
    if lms and lms_id:
        return f"{lms}:{lms_id}:{fold_id(student_id)}"
    return f"id:{fold_id(student_id)}"


@dataclass(frozen=True)
class Problem:
    """A mark that is not applied (or, as a notice, one that replaced another), in Spanish."""

    #: The marks file, as given.
    file: str
    #: The row as a spreadsheet numbers it (1 is the header; an answer of several lines is
    #: still one row), or the mark's number in a JSON file; ``None``: the whole file.
    line: int | None
    #: The column (CSV) or field (JSON) at fault; ``""`` for the whole row or file.
    column: str
    #: What is wrong.
    message: str
    #: What to do.
    fix: str
    #: The row's student: their id, or the LMS participant (``moodle:17``) if it has no id.
    student_id: str = ""
    item_id: str = ""
    #: Whether ``line`` numbers a mark of the page's JSON file.
    json: bool = False

    @property
    def where(self) -> str:
        """``m.csv, fila 5, estudiante e1, pregunta p1, columna score`` (what is known)."""
        parts = [self.file]
        if self.line is not None:
            parts.append(f"{'marca' if self.json else 'fila'} {self.line}")
            if self.student_id:
                parts.append(f"estudiante {self.student_id}")
            if self.item_id:
                parts.append(f"pregunta {self.item_id}")
        if self.column:
            parts.append(f"{'campo' if self.json else 'columna'} {self.column}")
        return ", ".join(parts)

    @property
    def reason(self) -> str:
        """The message with its column, for a ``reason`` cell next to ``file`` and ``line``."""
        if self.column:
            return f"{'campo' if self.json else 'columna'} {self.column}: {self.message}"
        return self.message

    def __str__(self) -> str:
        return f"{self.where}: {self.message}. {self.fix}"

    def warning(self, kind: str = "notas") -> tuple[str, str, str, str]:
        """A row of ``warnings.csv`` (file, student_id, kind, message)."""
        return (self.file, self.student_id, kind, f"{self.where}: {self.message}. {self.fix}")


@dataclass(frozen=True, slots=True)
class Mark:
    """The instructor's mark for one student's open response."""

    #: ``moodle:123``, ``canvas:456`` or ``id:<folded id>`` (see :func:`identity_key`).
    identity_key: str
    student_id: str
    lms: str
    lms_id: str
    item_id: str
    #: SHA-256 of the answer that was marked (:func:`answer_sha256`).
    answer_sha256: str
    marking: Marking
    #: The points given: the score, or the criteria's sum.
    score: float
    #: Where the mark was read from: the file, and its spreadsheet row (or JSON mark number).
    file: str = ""
    line: int = 0
    json: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}, {'marca' if self.json else 'fila'} {self.line}"


@dataclass
class MarksFile:
    """The marks read from one or more files, by (identity, item)."""

    marks: dict[tuple[str, str], Mark] = field(default_factory=dict)
    #: Rows that were not applied, and why.
    problems: list[Problem] = field(default_factory=list)
    #: Marks that replaced an earlier one for the same student and item.
    notices: list[Problem] = field(default_factory=list)
    #: Files that could not be read as marks files at all (a folder, a FIFO, an empty file,
    #: the marking page, a gradebook…), one file-level problem each (``line`` is ``None``),
    #: in Spanish with the fix. Each is in :attr:`problems` too, for a caller that goes on.
    unusable: list[Problem] = field(default_factory=list)
    #: The files read, in order.
    files: list[str] = field(default_factory=list)
    _used: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def __len__(self) -> int:
        return len(self.marks)

    def add(self, mark: Mark) -> None:
        """Add a mark; a later one for the same student and item wins (a notice)."""
        key = (mark.identity_key, mark.item_id)
        earlier = self.marks.get(key)
        if earlier is not None:
            self.notices.append(
                Problem(
                    mark.file,
                    mark.line,
                    "",
                    f"nota repetida para {mark.student_id or mark.identity_key} en "
                    f"{mark.item_id}: cuenta esta y no la de {earlier.where}",
                    "si no es lo que querías, borra una de las dos",
                    mark.student_id,
                    mark.item_id,
                    mark.json,
                )
            )
        self.marks[key] = mark

    def extend(self, other: MarksFile) -> None:
        """Add another file's marks after these (its marks win), with its problems."""
        self.files.extend(other.files)
        self.problems.extend(other.problems)
        self.unusable.extend(other.unusable)
        self.notices.extend(other.notices)
        for mark in other.marks.values():
            self.add(mark)

    def find(self, student_id: str, lms: str, lms_id: str, item_id: str) -> Mark | None:
        """The mark for a student and item, participant first, then folded id."""
        if lms and lms_id:
            for key in (identity_key(student_id, lms, lms_id), f"{lms}:{lms_id}:"):
                mark = self.marks.get((key, item_id))  # the file's, or the participant's
                if mark is not None:
                    return mark
        return self.marks.get((f"id:{fold_id(student_id)}", item_id))

    def lookup(
        self, student_id: str, lms: str, lms_id: str, item_id: str, answer_text: Any
    ) -> tuple[Mark | None, Problem | None]:
        """The mark to apply to this answer, or the problem why none applies.

        ``answer_text`` is the answer as graded: its text as in ``pending.csv``, or the
        raw JSON value (:func:`answer_text` turns it into that text). A mark given to a
        different answer is a problem.
        """
        mark = self.find(student_id, lms, lms_id, item_id)
        if mark is None:
            return None, None
        self._used.add((mark.identity_key, mark.item_id))
        if mark.answer_sha256 != answer_sha256(answer_text):
            return None, Problem(
                mark.file,
                mark.line,
                "answer_sha256",
                f"la respuesta de {student_id} a {item_id} ha cambiado desde que se corrigió: "
                "no se aplica la nota",
                "corrígela de nuevo en el pending.csv o el corregir.html de esta ejecución",
                student_id,
                item_id,
                mark.json,
            )
        return mark, None

    def unused(self) -> list[Problem]:
        """Marks that no :meth:`lookup` asked for: no submission of that student and item."""
        return [
            Problem(
                mark.file,
                mark.line,
                "",
                f"no hay ninguna entrega de {mark.student_id or mark.identity_key} con "
                f"respuesta a {mark.item_id}: la nota no se ha usado",
                "comprueba el id del estudiante y que su archivo esté entre las entregas",
                mark.student_id,
                mark.item_id,
                mark.json,
            )
            for key, mark in self.marks.items()
            if key not in self._used
        ]


def marked_result(result: ItemResult, mark: Mark) -> ItemResult:
    """A pending open response with the instructor's mark applied.

    Points are the mark's score (never above the item's points); the status is
    ``correct`` at full points, ``incorrect`` at 0 and ``partial`` in between; the
    feedback is the comment (if any); ``marking`` keeps the points per criterion.
    """
    points = round_points(min(mark.score, result.possible))
    if points >= result.possible - _EPSILON:
        status = Status.CORRECT
    elif points <= _EPSILON:
        status = Status.INCORRECT
    else:
        status = Status.PARTIAL
    comment = mark.marking.comment
    return dataclasses.replace(
        result,
        points=points,
        status=status,
        feedback=(comment,) if comment else (),
        marking=mark.marking,
    )


# ----------------------------------------------------------------------------- reading


def read_marks(paths: Path | str | Iterable[Path | str], bank: Bank) -> MarksFile:
    """Read one marks file, or several in order (a later file's mark wins).

    A file that cannot be read as a marks file at all is one problem in
    :attr:`MarksFile.unusable` (and in ``problems``); a bad row is one problem per bad
    cell; nothing raises.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    result = MarksFile()
    for path in paths:
        result.extend(_read_one(Path(path), bank))
    return result


class _NotMarks(Exception):
    """The file cannot be read as a marks file at all: why, and what to do."""

    def __init__(self, message: str, fix: str = _FIX_PATH) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


def _os_reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.errno in _OS_REASONS:
        return _OS_REASONS[error.errno]
    if isinstance(error, OSError) and error.errno:
        return f"error del sistema {error.errno}"
    return "la ruta no es válida"


def _open_regular(path: Path) -> IO[bytes]:
    """A regular file opened for reading; anything else is refused before it is read.

    ``stat`` first, then ``open`` with ``O_NONBLOCK`` (a FIFO swapped in meanwhile does not
    wait for a writer) and ``fstat`` again.
    """
    try:
        reason = not_regular(os.stat(path).st_mode)
    except (OSError, ValueError) as error:
        raise _NotMarks(
            f"no se puede leer el archivo: {_os_reason(error)}",
            "comprueba la ruta que das con --marks",
        ) from None
    if reason:
        raise _NotMarks(reason)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as error:
        raise _NotMarks(
            f"no se puede leer el archivo: {_os_reason(error)}",
            "comprueba la ruta que das con --marks",
        ) from None
    try:
        reason = not_regular(os.fstat(fd).st_mode)
        if reason:
            raise _NotMarks(reason)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_one(path: Path, bank: Bank) -> MarksFile:
    """One file, streamed (a class's pending.csv may be large)."""
    name = str(path)
    try:
        with _open_regular(path) as raw:
            return _read_raw(raw, name, bank)
    except _NotMarks as error:
        failed = MarksFile(files=[name])
        _RowReader(name, bank, failed).unusable(error.message, error.fix)
        return failed
    except OSError as error:
        failed = MarksFile(files=[name])
        _RowReader(name, bank, failed).unusable(
            f"no se puede leer el archivo: {_os_reason(error)}",
            "comprueba el archivo y vuelve a intentarlo",
        )
        return failed


def _read_raw(raw: IO[bytes], name: str, bank: Bank) -> MarksFile:
    """The bytes to text: UTF-16 with its BOM; UTF-8 (BOM or not); else Windows-1252.

    Strict UTF-8 is tried first. If that fails, a file with at least one valid multi-byte
    UTF-8 sequence is UTF-8 with the bad bytes replaced by «�» (a problem names their
    rows); one with none at all is Windows-1252 (Excel's "CSV" on Windows).
    """
    size = os.fstat(raw.fileno()).st_size
    start = raw.read(8192)
    if not start:
        raise _NotMarks("el archivo está vacío", "pasa el pending.csv rellenado y guardado")
    if start.startswith(b"PK\x03\x04"):
        raise _NotMarks(
            "es un libro de Excel (.xlsx, .ods) o un archivo comprimido, no un CSV",
            "en la hoja de cálculo, guárdalo como CSV (UTF-8) y da con --marks ese archivo",
        )
    utf16 = start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in start:
        raise _NotMarks("no es un archivo de texto")
    with _field_limit(size):
        try:
            return _parse(raw, name, bank, "utf-16" if utf16 else "utf-8-sig", "strict")
        except UnicodeError:
            pass
        if utf16:
            result = _parse(raw, name, bank, "utf-16", "replace")
            if not result.unusable:
                result.problems.insert(
                    0,
                    Problem(
                        name,
                        None,
                        "",
                        "el archivo tiene bytes que no forman UTF-16 válido: se leen como «�»",
                        "ábrelo, corrige los caracteres «�» y guárdalo de nuevo",
                    ),
                )
            return result
        multibyte, bad_lines = _scan_utf8(raw)
        if not multibyte:
            return _parse(raw, name, bank, "cp1252", "replace")
        return _parse(raw, name, bank, "utf-8-sig", "replace", bad_lines)


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """csv's field limit raised to the file's size (no cell can be longer), then restored."""
    with _FIELD_LIMIT_LOCK:
        before = csv.field_size_limit()
        csv.field_size_limit(max(before, min(size + 1, 2**31 - 1)))
        try:
            yield
        finally:
            csv.field_size_limit(before)


def _scan_utf8(raw: IO[bytes]) -> tuple[bool, list[int]]:
    """Whether the bytes hold a valid multi-byte UTF-8 sequence; the lines that are not UTF-8.

    Lines are counted as csv counts them (``\\r\\n``, ``\\r`` or ``\\n`` ends one), streamed.
    """
    raw.seek(0)
    multibyte = False
    bad: list[int] = []
    number = 0
    rest = b""
    while True:
        chunk = raw.read(_CHUNK)
        data = rest + chunk
        if chunk:
            # Whole lines only; a final "\r" may be half of a "\r\n": it waits with the rest.
            limit = len(data) - 1 if data.endswith(b"\r") else len(data)
            end = max(data.rfind(b"\n", 0, limit), data.rfind(b"\r", 0, limit))
            if end < 0:
                rest = data
                continue
            body, rest = data[: end + 1], data[end + 1 :]
        else:
            body, rest = data, b""
        lines = _LINE_END.split(body)
        if not lines[-1]:
            lines.pop()  # what follows the last line end is not a line
        for line in lines:
            number += 1
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(number)
            if not multibyte and _UTF8_MULTIBYTE.search(line):
                multibyte = True
        if not chunk:
            return multibyte, bad


def _parse(
    raw: IO[bytes],
    name: str,
    bank: Bank,
    encoding: str,
    errors: str,
    bad_lines: Sequence[int] = (),
) -> MarksFile:
    raw.seek(0)
    result = MarksFile(files=[name])
    handle = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
    try:
        _RowReader(name, bank, result, bad_lines).read(handle)
    finally:
        handle.detach()
    return result


def _and(names: Sequence[str]) -> str:
    """``a``, ``a y b``, ``a, b y c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} y {names[-1]}"


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same(a: str, b: str) -> bool:
    """Two cells for the same thing agree: the same text, or the same number (3 and 3,0)."""
    if a.strip() == b.strip():
        return True
    try:
        return abs(_number(a) - _number(b)) <= _EPSILON
    except ValueError:
        return False


def _unescape(text: str) -> str:
    """Drop the apostrophe our formula escaping put before ``= + - @`` (Excel keeps it)."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def _header_name(cell: str) -> str:
    name = cell.strip().strip("\ufeff").strip().lower()
    return _ALIASES.get(name, name)


def _sniff(first_line: str) -> str:
    best, best_count = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        count = sum(
            1 for c in cells if _header_name(c) in _KNOWN or _CRITERION.fullmatch(_header_name(c))
        )
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _number(text: str) -> float:
    """A number typed in a spreadsheet: ``1``, ``1.5``, ``1,5``; ValueError otherwise."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.startswith("'"):
        cleaned = cleaned[1:]
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cleaned):
        raise ValueError(text)
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _p(value: float) -> str:
    """Points for a Spanish message: ``1``, ``0,5``."""
    return f"{round_points(value):g}".replace(".", ",")


class _RowReader:
    """Checks rows (CSV cells, or a JSON mark turned into cells) and adds the good ones."""

    def __init__(
        self, name: str, bank: Bank, result: MarksFile, bad_lines: Sequence[int] = ()
    ) -> None:
        self.name = name
        self.bank = bank
        self.items = bank.by_id
        self.result = result
        self.json = False
        self.shared: dict[Any, Any] = {}
        #: Lines (as csv counts them) whose bytes were not valid and read as «�».
        self.bad_lines = list(bad_lines)
        self._bad_next = 0
        self.bad_rows: list[int] = []

    def unusable(self, message: str, fix: str) -> None:
        """The file is not a marks file at all (or not one that can be read)."""
        problem = Problem(self.name, None, "", message, fix, json=self.json)
        self.result.unusable.append(problem)
        self.result.problems.append(problem)

    def file_problem(self, message: str, fix: str, column: str = "") -> None:
        self.result.problems.append(Problem(self.name, None, column, message, fix, json=self.json))

    def _note_bad(self, last_line: int, row: int) -> None:
        """Lines up to ``last_line`` with replaced bytes belong to this row."""
        while self._bad_next < len(self.bad_lines) and self.bad_lines[self._bad_next] <= last_line:
            if not self.bad_rows or self.bad_rows[-1] != row:
                self.bad_rows.append(row)
            self._bad_next += 1

    def _report_bad(self, unit: str, numbers: list[int]) -> None:
        if not numbers or self.result.unusable:
            return
        listed = [str(n) for n in numbers[:10]]
        shown = (
            _and(listed) if len(numbers) <= 10 else f"{', '.join(listed)} y {len(numbers) - 10} más"
        )
        where = f"la {unit} {shown}" if len(numbers) == 1 else f"las {unit}s {shown}"
        self.result.problems.insert(
            0,
            Problem(
                self.name,
                None,
                "",
                f"{where} {'tiene' if len(numbers) == 1 else 'tienen'} bytes que no son UTF-8: "
                "se leen como «�» (el resto del archivo es UTF-8)",
                f"abre el archivo, corrige los caracteres «�» de {'esa' if len(numbers) == 1 else 'esas'} "
                f"{unit}{'' if len(numbers) == 1 else 's'} y guárdalo como "
                + ("UTF-8" if self.json else "«CSV UTF-8»"),
                json=self.json,
            ),
        )

    # -- CSV

    def read(self, handle: TextIO) -> None:
        first = handle.readline()
        lines_before = 0  # lines read before the header's
        rows_before = 0  # rows a spreadsheet shows before the header (blank ones)
        while first and not first.strip():  # blank lines before the header
            first = handle.readline()
            lines_before += 1
            rows_before += 1
        if not first:
            self.unusable("el archivo está vacío", "pasa el pending.csv rellenado y guardado")
            return
        lead = first.lstrip().lstrip("\ufeff").lstrip()
        if lead.startswith("{"):
            self.read_json(first + handle.read())
            self._report_bad("línea", self.bad_lines)
            return
        if lead.startswith("<"):
            self.unusable(
                "es una página web (¿corregir.html?), no un archivo de notas",
                "en corregir.html, pulsa «Guardar las notas» y da con --marks el archivo "
                ".json que se descarga",
            )
            return
        lines: Iterator[str] = itertools.chain([first], handle)
        separator = re.fullmatch(r"\ufeff?sep=(.)\r?\n?", first)
        if separator:  # Excel's "sep=;" line (Excel does not show it as a row)
            delimiter = separator.group(1)
            first = handle.readline()
            lines = itertools.chain([first], handle)
            lines_before += 1
        else:
            delimiter = _sniff(first.rstrip("\r\n"))
        self.read_csv(csv.reader(lines, delimiter=delimiter), lines_before, rows_before)
        self._report_bad("fila", self.bad_rows)

    def read_csv(self, reader: Any, lines_before: int = 0, rows_before: int = 0) -> None:
        """Records after the header; a problem names the record's spreadsheet row."""
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            self.unusable("el archivo está vacío", "pasa el pending.csv rellenado y guardado")
            return
        header_row = rows_before + 1
        self._note_bad(lines_before + reader.line_num, header_row)
        columns = [_header_name(c) for c in header]
        missing = [c for c in ("item", "answer_sha256") if c not in columns]
        if "id" not in columns and "lms_id" not in columns:
            missing.insert(0, "id")
        if "score" not in columns and not any(_CRITERION.fullmatch(c) for c in columns):
            missing.append("score")
        if missing:
            self.unusable(
                f"no es un pending.csv: faltan las columnas {', '.join(missing)}",
                "rellena el pending.csv que escribió comprende, sin borrar ni renombrar "
                "columnas, o da el .json que guarda corregir.html",
            )
            return
        # Each column a row's check reads, from one or more columns of the file.
        used: dict[str, list[int]] = {}
        for index, column in enumerate(columns):
            if column in _MEANING or _CRITERION.fullmatch(column):
                used.setdefault(column, []).append(index)
        shown = [c.strip().strip("\ufeff").strip() for c in header]
        for column, indexes in used.items():
            if len(indexes) > 1:
                names = _and([f"«{shown[i]}»" for i in indexes])
                meaning = _MEANING.get(column, f"los puntos del criterio {column[1:]}")
                self.file_problem(
                    f"las columnas {names} son la misma ({meaning})",
                    "se lee la que está rellena en cada fila (si lo están varias y no "
                    "coinciden, la fila no se aplica); deja solo una",
                    column,
                )
        single = [(c, indexes[0]) for c, indexes in used.items() if len(indexes) == 1]
        several = [(c, indexes) for c, indexes in used.items() if len(indexes) > 1]
        row_number = header_row
        while True:
            row_number += 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                self._note_bad(lines_before + reader.line_num, row_number)
                self.result.problems.append(
                    Problem(
                        self.name,
                        row_number,
                        "",
                        f"la fila no se puede leer como CSV ({error})",
                        "revisa las comillas de esa fila",
                    )
                )
                continue
            if self.bad_lines:
                self._note_bad(lines_before + reader.line_num, row_number)
            if not any(c.strip() for c in cells):
                continue
            count = len(cells)
            row = {
                column: _unescape(cells[index]) if index < count else "" for column, index in single
            }
            conflicts: list[tuple[str, str]] = []
            for column, indexes in several:
                values = [(i, _unescape(cells[i])) for i in indexes if i < count]
                filled = [(i, v) for i, v in values if v.strip()]
                row[column] = filled[0][1] if filled else ""
                different = [(i, v) for i, v in filled[1:] if not _same(filled[0][1], v)]
                if different:
                    pairs = [filled[0], *different]
                    conflicts.append(
                        (
                            column,
                            f"las columnas {_and([f'«{shown[i]}»' for i, _ in pairs])} no "
                            f"coinciden ({_and([f'«{_clip(v)}»' for _, v in pairs])})",
                        )
                    )
            self.check(row, row_number, conflicts)

    # -- JSON

    def read_json(self, text: str) -> None:
        self.json = True
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            self.unusable(
                f"no es un JSON válido ({getattr(error, 'msg', error)})",
                "pasa el archivo tal como lo guardó corregir.html",
            )
            return
        if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
            self.unusable(
                "no es un archivo de notas de corregir.html",
                "pasa el archivo que guarda el botón «Guardar las notas» de corregir.html",
            )
            return
        if data.get("version") != 1:
            self.unusable(
                f"versión del archivo de notas desconocida ({data.get('version')!r})",
                "guarda las notas de nuevo con el corregir.html de esta versión de comprende",
            )
            return
        if data.get("module") != self.bank.id:
            self.unusable(
                f"las notas son del módulo {data.get('module')!r}, no de {self.bank.id!r}",
                "pasa las notas de este módulo",
            )
            return
        marks = data.get("marks")
        if not isinstance(marks, list):
            self.unusable("falta la lista «marks»", "guarda las notas de nuevo")
            return
        for number, entry in enumerate(marks, 1):
            if not isinstance(entry, dict):
                self.result.problems.append(
                    Problem(
                        self.name,
                        number,
                        "",
                        "la marca no es un objeto",
                        "guárdalas de nuevo",
                        json=True,
                    )
                )
                continue
            row = {
                key: _json_cell(entry.get(key))
                for key in (
                    "id",
                    "name",
                    "lms",
                    "lms_id",
                    "item",
                    "answer_sha256",
                    "score",
                    "comment",
                )
            }
            criteria = entry.get("criteria") or []
            if not isinstance(criteria, list):
                criteria = [criteria]
            for index, value in enumerate(criteria, 1):
                row[f"c{index}"] = _json_cell(value)
            self.check(row, number)

    # -- one row

    def column(self, name: str) -> str:
        if not self.json:
            return name
        match = _CRITERION.fullmatch(name)
        return f"criteria[{int(match.group(1)) - 1}]" if match else name

    def check(
        self, row: dict[str, str], line: int, conflicts: Sequence[tuple[str, str]] = ()
    ) -> None:
        """One row (``line``: its spreadsheet row or JSON mark number); ``conflicts``: the
        columns of the same thing that say different things."""
        student_id = row.get("id", "").strip()
        lms = row.get("lms", "").strip().lower()
        lms_id = row.get("lms_id", "").strip()
        item_id = row.get("item", "").strip()
        who = student_id or (f"{lms}:{lms_id}" if lms and lms_id else "")
        problems: list[Problem] = []

        def problem(column: str, message: str, fix: str) -> None:
            problems.append(
                Problem(
                    self.name,
                    line,
                    self.column(column),
                    message,
                    fix,
                    who,
                    item_id,
                    self.json,
                )
            )

        for column, message in conflicts:
            problem(column, message, "deja el valor en una sola de ellas, o el mismo en todas")

        criteria_cells = {
            int(m.group(1)): value.strip()
            for key, value in row.items()
            if (m := _CRITERION.fullmatch(key)) and int(m.group(1)) >= 1
        }
        score_cell = row.get("score", "").strip()
        comment = row.get("comment", "").strip()
        if not any(criteria_cells.values()) and not score_cell and not comment:
            return  # not marked yet

        if lms and lms not in _LMS:
            problem("lms", f"LMS desconocido «{lms}»", "deja moodle, canvas o nada, como estaba")
        elif lms and not lms_id:
            problem("lms_id", "falta el id del participante en el LMS", "déjalo como estaba")
        elif lms_id and not lms:
            problem("lms", "falta el LMS (moodle o canvas) de lms_id", "déjalo como estaba")
        if not student_id and not lms_id:
            problem("id", "falta el id del estudiante", "déjalo como estaba en pending.csv")
        item: Item | None = None
        if not item_id:
            problem("item", "falta el id de la pregunta", "déjalo como estaba en pending.csv")
        elif item_id not in self.items:
            problem(
                "item",
                f"pregunta desconocida «{item_id}»",
                "usa el id de una pregunta abierta del banco, como en pending.csv",
            )
        elif self.items[item_id].auto_graded:
            problem(
                "item",
                f"«{item_id}» no es una pregunta abierta: se corrige automáticamente",
                "borra esta fila",
            )
        else:
            item = self.items[item_id]
        rubric = item.kind.marking_guide(item).rubric if item is not None else ()
        sha = row.get("answer_sha256", "").strip().lower()
        if not _SHA256.fullmatch(sha):
            problem(
                "answer_sha256",
                "falta el resumen SHA-256 de la respuesta"
                if not sha
                else "resumen SHA-256 no válido",
                "no cambies esta columna: copia la fila del pending.csv de la ejecución",
            )

        given: dict[int, float] = {}
        for index, cell in sorted(criteria_cells.items()):
            if not cell:
                continue
            if item is not None and index > len(rubric):
                problem(
                    f"c{index}",
                    f"la pregunta {item.id} tiene {len(rubric)} criterio(s), no {index}",
                    f"deja vacías las columnas a partir de c{len(rubric) + 1}"
                    if rubric
                    else "escribe la nota en score",
                )
                continue
            try:
                value = _number(cell)
            except ValueError:
                problem(
                    f"c{index}", f"«{cell}» no es un número", "escribe los puntos, p. ej. 1 o 0,5"
                )
                continue
            if value < 0:
                problem(f"c{index}", f"puntos negativos ({_p(value)})", "escribe 0 o más")
                continue
            if item is not None:
                maximum = rubric[index - 1].points
                if value > maximum + _EPSILON:
                    problem(
                        f"c{index}",
                        f"{_p(value)} puntos en el criterio {index}, que vale como máximo {_p(maximum)}",
                        f"escribe entre 0 y {_p(maximum)}",
                    )
                    continue
            given[index] = value

        score: float | None = None
        if score_cell:
            try:
                score = _number(score_cell)
            except ValueError:
                problem(
                    "score", f"«{score_cell}» no es un número", "escribe la nota, p. ej. 3 o 2,5"
                )
            else:
                if score < 0:
                    problem("score", f"nota negativa ({_p(score)})", "escribe 0 o más")
                    score = None
                elif item is not None and score > item.points + _EPSILON:
                    problem(
                        "score",
                        f"nota {_p(score)} por encima del máximo de la pregunta ({_p(item.points)})",
                        f"escribe entre 0 y {_p(item.points)}",
                    )
                    score = None

        if problems or item is None:
            self.result.problems.extend(problems)
            return
        count = len(rubric)
        missing = [i for i in range(1, count + 1) if i not in given]
        total = sum(given.values())
        if score is None and score_cell:
            pass  # already a problem
        elif not given and score is None:
            problem(
                "score",
                "hay comentario pero ninguna nota",
                "rellena los criterios" + (" (c1…)" if count else "") + " o la nota en score",
            )
        elif given and not missing:
            if score is not None and abs(score - total) > _EPSILON:
                problem(
                    "score",
                    f"los criterios suman {_p(total)}, pero la nota es {_p(score)}",
                    "corrige un criterio o la nota, o deja score vacío (se usa la suma)",
                )
            score = total if score is None else score
        elif given:
            missing_names = ", ".join(f"c{i}" for i in missing)
            if score is None:
                problem(
                    "score",
                    f"faltan los criterios {missing_names} y no hay nota",
                    "rellena todos los criterios, o escribe la nota total en score",
                )
            else:
                ceiling = total + sum(rubric[i - 1].points for i in missing)
                if score < total - _EPSILON or score > ceiling + _EPSILON:
                    problem(
                        "score",
                        f"la nota {_p(score)} no cuadra con los criterios dados "
                        f"(suman {_p(total)}; con {missing_names} podría llegar a {_p(ceiling)})",
                        "corrige un criterio o la nota",
                    )
        if problems or score is None:
            self.result.problems.extend(problems)
            return
        # Marks repeat the same few values: share them (a large class's marks stay small).
        criteria = tuple(given.get(i) for i in range(1, count + 1))
        criteria = self.shared.setdefault(criteria, criteria)
        comment = self.shared.setdefault(comment, comment)
        self.result.add(
            Mark(
                identity_key(student_id, lms, lms_id),
                student_id,
                sys.intern(lms),
                lms_id,
                item.id,
                sha,
                Marking(criteria, comment),
                round_points(score),
                self.name,
                line,
                self.json,
            )
        )


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # not a number: reported as written
    if isinstance(value, int | float):
        # NaN and Infinity are not numbers either; shown as the JSON wrote them.
        return repr(value) if math.isfinite(value) else json.dumps(value)
    return str(value)


def criterion_columns(bank: Bank) -> Sequence[str]:
    """``c1`` … ``cN``, N the bank's largest rubric."""
    largest = max(
        (len(item.kind.marking_guide(item).rubric) for item in bank.items if not item.auto_graded),
        default=0,
    )
    return [f"c{i}" for i in range(1, largest + 1)]

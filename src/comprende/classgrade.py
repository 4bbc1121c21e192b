"""The instructor's grading run: a class's files in, gradebooks, feedback and analysis out.

``main(paths=…, out=…, bank=…)`` is what ``comprende grade`` and the pytest plugin
(:mod:`comprende.pytest_plugin`) run. The steps:

1. :func:`comprende.inputs.find_inputs` walks files, folders and zips (Moodle's and
   Canvas's "download all submissions" too) and yields one ``Found`` per file.
2. :meth:`GradingRun.grade` reads and grades one file, with the one grading core
   (:func:`comprende.grading.grade_item`), and writes that student's feedback page and
   Gradescope ``results.json``. A bad file becomes a line of ``errors.csv``; it never
   stops the others.
3. :meth:`GradingRun.finish` writes the gradebooks, the item analysis and the lists,
   then puts the whole folder in place at once.

Rules (documented for instructors in ``docs/guias/profesorado.md``):

* **One student is one student.** Files are one student when they agree on the LMS
  participant (Moodle participant id, Canvas user id; none for a file from no LMS) and
  on ``student.id`` compared folded (:func:`comprende.textnorm.fold_id`: Unicode form,
  case, invisible characters and full-width forms make no difference). So two
  participants are never merged, even with one typed id, nor two ids under one
  participant number; both cases are noted on the rows. A zip a student uploaded
  inside an LMS download belongs to that participant, whatever its inner names say.
* **Two files for one student**: the newest counts, by time in one base (UTC; see
  :mod:`comprende.inputs`), then by Canvas's attachment id, then the last by name. The
  others are listed in ``warnings.csv`` and in the gradebook's ``notes``.
* **One bad file never stops the others**: anything that goes wrong while reading or
  grading a file, a bug included, becomes its line of ``errors.csv``. What goes wrong
  while *writing* the results (a full disk) stops the run: nothing is replaced.
* **Nothing comprende did not write is touched** (:mod:`comprende.outdir`): results are
  built in a hidden folder and swapped in whole, only over a folder a run wrote.
* **Nothing printed or written is raw**: file names and ids are made printable
  (control, bidi-override and surrogate characters escaped), cells are capped at
  :data:`~comprende.inputs.MAX_CELL` characters.
* **A run that grades no file** replaces nothing: an empty input is a usage error, and
  inputs that all fail keep the earlier results of ``--out`` (their problems printed).
* **Final grades** (:mod:`comprende.finalgrades`): ``--marks`` on the open responses,
  the LMS's own files filled, a roster's students without a submission, ``--scale``.
* Exit status: 0 every file graded; 1 some file not graded (see ``errors.csv``);
  2 usage error (no input, no file found, ``--out`` refused or in use, a bad option
  file, a bank that does not load): nothing written; 3 the run itself failed (a full
  disk…): nothing was replaced; 130 interrupted (Ctrl-C): nothing was replaced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from hashlib import sha1
from pathlib import Path
from typing import Any, NamedTuple

from .errors import UsageError
from .finalgrades import (
    FinalOptions,
    Prepared,
    prepare,
    regular_file,
    summary_comment,
    write_lms_files,
)
from .grading import grade_item
from .inputs import (
    Found,
    LmsNaming,
    clip,
    find_inputs,
    listing,
    name_matches,
    printable,
    reason_of,
)
from .lms import FinalGrade
from .lms.roster import RosterEntry, match_roster
from .marks import MarksFile, marked_result, read_marks
from .model import (
    Bank,
    Item,
    ItemResult,
    Marking,
    Status,
    Student,
    Submission,
    SubmissionResult,
)
from .outdir import OutputFolder
from .reports.analysis import render_report, write_item_analysis
from .reports.base import answer_label, points
from .reports.feedback import FeedbackRenderer
from .reports.gradebook import GradebookRow, GradebookWriter
from .reports.gradescope import GradescopeWriter
from .reports.marking import write_marking_page
from .reports.problems import PendingWriter, write_errors, write_warnings
from .runindex import Entry, RunIndex, participant_of
from .stats import StatsAccumulator
from .submission import read_submission
from .textnorm import fold_bare, fold_id

__all__ = ["EXIT_FAILED", "EXIT_NOT_GRADED", "EXIT_OK", "EXIT_USAGE", "GradingRun", "UsageError"]


#: Exit statuses: all graded; some files not graded (errors.csv); usage error; the run failed.
EXIT_OK, EXIT_NOT_GRADED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
#: Exit status after Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
#: Distinct (item, answer) grades kept for reuse, up to about this many characters of
#: outputs (fragments and tests); emptied when full, so memory stays bounded.
_CACHE_CHARS = 3_000_000
#: Answers longer than this (as text, or as ``repr``) are graded but not kept: free text
#: seldom repeats, and keeping it would push out the answers that do.
_CACHE_LONGEST = 160


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    source: str
    #: Whether it was graded (it may still be superseded by a newer file of the student).
    graded: bool
    student_id: str = ""
    total: float = 0.0
    possible: float = 0.0
    #: Why it was not graded, or what to check, in Spanish.
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """What the run did."""

    #: The output folder.
    out: Path
    #: Students in the gradebook.
    students: int
    #: Files graded (including ones superseded by a newer file of the same student).
    files_graded: int
    #: Files not graded (lines of errors.csv).
    not_graded: int
    #: Files superseded by a newer file of the same student.
    superseded: int
    #: Open responses waiting for manual grading.
    pending: int
    #: With ``--marks``: marks applied, and marks not applied (bad rows, changed answers,
    #: no such submission); ``None`` without marks files.
    marks_applied: int | None = None
    marks_refused: int = 0

    @property
    def exit_status(self) -> int:
        return EXIT_NOT_GRADED if self.not_graded else EXIT_OK


# ----------------------------------------------------------------------------- grading


def _answer_key(item_id: str, answer: Any) -> tuple[Any, ...]:
    """A hashable key, equal for equal answers; ``repr`` keeps ``True``, ``1`` and ``1.0`` apart."""
    if type(answer) is str:
        return (item_id, answer)
    return (item_id, None, repr(answer))


@dataclass(frozen=True)
class _Graded(SubmissionResult):
    """A submission's grade with its sums computed once (they are read many times)."""

    @functools.cached_property
    def total(self) -> float:
        return SubmissionResult.total.fget(self)  # type: ignore[attr-defined]

    @functools.cached_property
    def possible(self) -> float:
        return SubmissionResult.possible.fget(self)  # type: ignore[attr-defined]

    @functools.cached_property
    def percentage(self) -> float:
        return SubmissionResult.percentage.fget(self)  # type: ignore[attr-defined]

    @functools.cached_property
    def pending(self) -> tuple[ItemResult, ...]:
        return SubmissionResult.pending.fget(self)  # type: ignore[attr-defined]


#: Names Windows reserves whatever the extension (a feedback page must open there too).
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def _slug(base: str) -> str:
    """A file name from a folded id, stable and safe; a hash keeps unlike ids apart."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", base).strip("-")[:60]
    if slug != base or not slug or slug in _RESERVED:
        digest = sha1(base.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug or 'estudiante'}-{digest}"
    return slug


def identity_of(student_id: str, naming: LmsNaming | None) -> str:
    """Who a file belongs to: its LMS participant (when its naming says so) and its id.

    Ids are compared folded (:func:`comprende.textnorm.fold_id`): case, Unicode form,
    invisible characters and full-width forms make no difference. Files are one student
    only when they agree on both: two participants are never merged, even with one typed
    id, and neither are two ids under one participant number (a file name that merely
    looks like an LMS's); both cases are noted on the rows.
    """
    folded = fold_id(student_id)
    if naming is not None:
        return f"{naming.lms}:{naming.lms_id}:{folded}"
    return f"id:{folded}"


class _Answer(NamedTuple):
    """One item graded for one distinct answer, with what each output needs of it."""

    result: ItemResult
    #: The feedback page's section and the Gradescope test ("" without per-student files).
    fragment: str
    test: str
    #: The answer's label in the item analysis.
    label: str
    #: The gradebook's cell: with a decimal point, with a decimal comma ("" if pending).
    cell: str
    comma_cell: str


def _cells(result: ItemResult) -> tuple[str, str]:
    """An item's gradebook cells (decimal point, decimal comma): empty while pending."""
    if result.status is Status.PENDING:
        return "", ""
    return points(result.points), points(result.points, comma=True)


@dataclass(frozen=True)
class _Evaluation:
    """One file read and graded, before anything is written."""

    submission: Submission
    result: SubmissionResult
    #: Per item, in bank order.
    answers: list[_Answer]
    warnings: list[tuple[str, str]]
    notes: list[str]


#: The reader's messages for a file that does not say who the student is.
_NO_STUDENT = ("falta tu identificador", "falta tu nombre", "faltan tus datos")


class _FileError(Exception):
    """A file that cannot be graded: reason, line and fix, for errors.csv."""

    def __init__(self, reason: str, fix: str = "", line: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.fix, self.line = reason, fix, line


def _download_name(typed: str, download: str) -> str:
    """The student's name in a Moodle download's folder name, as its worksheet has it.

    A team submission's folder is «<group>-<name>»: of the whole name and the part after
    the first hyphen, the one that holds the typed name with the fewest other words;
    the whole name when neither does.
    """
    candidates = [download]
    if "-" in download:
        candidates.append(download.split("-", 1)[1])
    holding = [c for c in candidates if _part_of(typed, c)]
    if not holding:
        return download
    return min(holding, key=lambda c: len(_words(c)))


def _part_of(typed: str, full: str) -> bool:
    """Whether every word of ``typed`` is a word of ``full`` (case, accents ignored)."""
    plain = set(_words(full))
    typed_words = _words(typed)
    return bool(typed_words) and all(w in plain for w in typed_words)


def _words(name: str) -> list[str]:
    """A name's words, folded and without accents, split at anything not a letter."""
    return [w for w in re.split(r"[\W_]+", fold_bare(name)) if w]


def _platform_grades(grades: list[FinalGrade]) -> tuple[list[FinalGrade], list[str]]:
    """The grades for the LMS files: a loose file (e-mailed, from no LMS download) whose
    id is also on a file from the LMS's download does not compete with it there."""
    from_lms = {fold_id(g.student_id) for g in grades if g.lms}
    kept, left = [], []
    for given in grades:
        if not given.lms and fold_id(given.student_id) in from_lms:
            left.append(
                f"Archivo suelto sin subir: {given.name} ({given.student_id}): su id también "
                "está en una entrega de la descarga del LMS, que es la que se sube; compruebe "
                "quién es quién en el libro de notas"
            )
        else:
            kept.append(given)
    return kept, left


def absent_row(bank: Bank, student_id: str, name: str) -> GradebookRow:
    """The gradebook row of a student on the class list who handed nothing in."""
    return GradebookRow(
        clip(printable(student_id)),
        clip(printable(name)),
        "",
        "sin entrega",
        tuple(None for _ in bank.items),
        0.0,
        bank.possible,
        0.0,
        0,
        notes=("está en la lista de clase y no ha entregado ningún archivo",),
    )


class _Spool:
    """Rows of text cells kept in an anonymous temporary file, read back in order."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.count = 0

    def append(self, row: tuple[str, ...]) -> None:
        line = json.dumps(row, ensure_ascii=False).encode("utf-8", "backslashreplace")
        self._file.write(line + b"\n")
        self.count += 1

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield tuple(json.loads(line))
        self._file.seek(0, os.SEEK_END)

    def __len__(self) -> int:
        return self.count

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class _Who:
    """A submission's folded id, as :func:`comprende.lms.roster.match_roster` reads it."""

    student_id: str


class GradingRun:
    """One grading run into ``out``; :meth:`grade` each file, then :meth:`finish` (or :meth:`abort`)."""

    def __init__(
        self,
        *,
        bank: Bank,
        out: Path,
        inputs: Iterable[Path] = (),
        include_key: bool = True,
        overwrite: bool = False,
        per_student: bool = True,
        marks: MarksFile | None = None,
        final: Prepared | None = None,
        site_url: str | None = None,
    ) -> None:
        self.bank = bank
        self.marks = marks
        self.final = final
        self.per_student = per_student
        # Everything that can refuse the options comes before the output folder exists.
        self._feedback = FeedbackRenderer(bank, include_key=include_key, site_url=site_url)
        self._gradescope = GradescopeWriter(bank, include_key=include_key)
        self.folder = OutputFolder(Path(out), inputs=list(inputs), overwrite=overwrite)
        self.out = Path(out)
        self.work = self.folder.work
        try:
            if per_student:
                (self.work / "feedback").mkdir()
                (self.work / "gradescope").mkdir()
            self._scratch = (self.work / ".scratch.jsonl").open("w+b")
            self._scratch_end = 0
            self._index = RunIndex(self.work / ".index.sqlite")
        except BaseException:
            self.folder.abort()
            raise
        self._items = bank.items
        self._by_id = bank.by_id
        self._scored = [i for i, item in enumerate(self._items) if item.auto_graded]
        self._cache: dict[Any, _Answer] = {}
        self._cache_chars = 0
        self.errors: list[tuple[str, int | None, str, str]] = []
        #: warnings.csv's rows, kept on disk in the order found (a class may have many).
        self.warnings = _Spool()
        self.files_graded = 0
        #: Files seen (graded or not), to tell an empty input from a bad one.
        self.files_seen = 0
        #: What stopped the run's own writing, if anything: then it must not finish.
        self.broken: BaseException | None = None
        #: What the LMS files received (lines of lms-report.txt), once written.
        self.lms_report: list[str] = []
        #: Marks applied (to any file), applied to the files that count, and marks whose
        #: answer had changed (not applied).
        self.marks_applied = 0
        self.marks_counted = 0
        self.marks_changed = 0

    def first_read(self, device: int, inode: int) -> bool:
        """Whether this run meets the file ``(device, inode)`` for the first time (for
        :func:`find_inputs`: the files seen are kept on disk, however large the class)."""
        return self._index.first_read(device, inode)

    @property
    def notices(self) -> list[str]:
        """What the output folder cleaned up from earlier runs (leftovers of killed runs)."""
        return self.folder.notices

    # -- one file

    def grade(self, found: Found) -> Outcome:
        """Read, grade and write one file's outputs; never raises for a bad file.

        Whatever goes wrong while reading or grading the file becomes a line of
        ``errors.csv``. Writing its outputs is the run's part: a full disk stops the run.
        """
        self.files_seen += 1
        try:
            evaluation = self._evaluate(found)
        except _FileError as exc:
            return self._error(found.source, exc.line, exc.reason, exc.fix)
        except Exception as exc:  # a bug must cost one file, not the class
            return self._error(
                found.source,
                None,
                f"error interno al corregir este archivo ({type(exc).__name__}: {reason_of(exc)})",
                "avisa a quien mantiene comprende con este archivo; los demás se han corregido",
            )
        try:
            self._keep(found, evaluation)
        except BaseException as exc:  # the run's own failure (a full disk): nothing is kept
            self.broken = exc
            raise
        result = evaluation.result
        return Outcome(
            found.source,
            True,
            evaluation.submission.student.id,
            result.total,
            result.possible,
            warnings=tuple(message for _, message in evaluation.warnings),
        )

    def _read(self, found: Found) -> tuple[Submission, list[tuple[str, str]]]:
        """The file's submission and its reading warnings; :class:`_FileError` if unreadable."""
        if found.problem:
            raise _FileError(found.problem, found.fix)
        assert found.read is not None
        try:
            data = found.read()
        except Exception as exc:  # (unreadable compression methods are refused before)
            raise _FileError(
                f"no se puede leer el archivo ({reason_of(exc)})",
                "descárgalo de nuevo o pide al estudiante que lo entregue otra vez",
            ) from None
        reading = read_submission(data, found.source)
        unnamed = self._named_by_lms(reading, found.naming)
        if found.guessed and (reading.submission is None or reading.errors):
            raise _FileError(
                "no es un archivo de respuestas (.json, .yaml o .yml) y su contenido tampoco lo es",
                "si el estudiante entregó otro formato, pídele el archivo de respuestas",
            )
        if reading.submission is None or reading.errors:
            problems = reading.errors
            reason = "; ".join(
                p.message + (f" (línea {p.line})" if p.line else "") for p in problems
            )
            first = problems[0] if problems else None
            raise _FileError(
                clip(reason or "archivo no válido", 2000),
                first.fix if first else "",
                first.line if first else None,
            )
        submission = reading.submission
        if submission.module != self.bank.id:
            raise _FileError(
                clip(f"este archivo es del módulo «{submission.module}», no de «{self.bank.id}»"),
                "comprueba que es la entrega de esta tarea; si no, no hace falta hacer nada",
            )
        warnings = [
            ("codificación" if "UTF-8" in p.message else "aviso", clip(p.message))
            for p in reading.problems
            if p.severity == "warning"
        ]
        if unnamed:
            warnings.append(("sin id", unnamed))
        return submission, warnings

    @staticmethod
    def _named_by_lms(reading: Any, naming: LmsNaming | None) -> str:
        """A file from an LMS download with no id or name of its own takes the LMS's.

        The participant is the student whatever the file says (the guide), so a
        template handed in with the id or name left blank is graded, not refused.
        Returns the warning to give, or "" when nothing was filled in.
        """
        submission = reading.submission
        if naming is None or submission is None:
            return ""
        missing = [p for p in reading.errors if p.message.startswith(_NO_STUDENT)]
        if not missing or len(missing) != len(reading.errors):
            return ""
        student = submission.student
        filled = Student(student.id or f"{naming.lms}-{naming.lms_id}", student.name or naming.name)
        reading.submission = dataclasses.replace(submission, student=filled)
        reading.problems = [p for p in reading.problems if p not in missing]
        return (
            f"el archivo no dice quién es el estudiante: se usa el participante "
            f"{naming.lms_id} de {naming.lms.capitalize()} ({naming.name})"
        )

    def _evaluate(self, found: Found) -> _Evaluation:
        """Read and grade one file; writes nothing."""
        submission, warnings = self._read(found)
        by_id = self._by_id
        unknown = sorted(printable(k) for k in submission.answers if k not in by_id)
        if unknown and len(unknown) == len(submission.answers):
            raise _FileError(
                "ninguna respuesta corresponde a una pregunta de este módulo "
                f"({listing(unknown, 5)})",
                "comprueba la versión del módulo; los identificadores deben ser los de "
                "la plantilla (`comprende template`)",
            )
        if unknown:
            warnings.append(
                (
                    "pregunta desconocida",
                    f"se ignoran respuestas a preguntas que no existen: {listing(unknown)}",
                )
            )
        notes: list[str] = []
        naming = found.naming
        if naming and not name_matches(naming, submission.student.name):
            message = clip(
                f"el nombre del archivo ({submission.student.name}) no coincide con el de "
                f"{naming.lms.capitalize()} ({naming.name}, id {naming.lms_id})"
            )
            warnings.append(("nombre distinto", message))
            notes.append(message)
        if naming and naming.late:
            warnings.append(("tarde", "Canvas marca esta entrega como tardía"))
            notes.append("entregado tarde (Canvas)")
        result, graded = self._grade(submission)
        if self.marks is not None and result.pending:
            result = self._apply_marks(found, result, graded, warnings, notes)
        invalid = [r.item_id for r in result.items if r.status is Status.INVALID]
        if invalid:
            warnings.append(
                (
                    "respuesta no válida",
                    f"respuestas con una forma no válida (0 puntos): {listing(invalid)}",
                )
            )
            notes.append(f"{len(invalid)} respuesta(s) no válida(s)")
        return _Evaluation(submission, result, graded, warnings, notes)

    def _apply_marks(
        self,
        found: Found,
        result: SubmissionResult,
        graded: list[_Answer],
        warnings: list[tuple[str, str]],
        notes: list[str],
    ) -> SubmissionResult:
        """The instructor's marks on the open responses still pending (``--marks``)."""
        assert self.marks is not None
        naming = found.naming
        student = result.submission.student
        items = list(result.items)
        for index, item_result in enumerate(items):
            if item_result.status is not Status.PENDING:
                continue
            mark, problem = self.marks.lookup(
                clip(printable(student.id)),  # as pending.csv wrote it
                naming.lms if naming else "",
                naming.lms_id if naming else "",
                item_result.item_id,
                item_result.answer,
            )
            if problem is not None:
                self.marks_changed += 1
                warnings.append(("nota no aplicada", clip(printable(str(problem)))))
                notes.append(clip(problem.message))
            if mark is None:
                continue
            marked = marked_result(item_result, mark)
            self.marks_applied += 1
            items[index] = marked
            fragment = test = ""
            if self.per_student:
                fragment = self._feedback.item_fragment(marked)
                test = self._gradescope.test_json(marked)
            graded[index] = _Answer(marked, fragment, test, graded[index].label, *_cells(marked))
        return _Graded(result.submission, tuple(items))

    def _keep(self, found: Found, evaluation: _Evaluation) -> None:
        """Count a graded file: the student's newest file is kept, the others noted."""
        submission = evaluation.submission
        student_id = printable(submission.student.id)
        for kind, message in evaluation.warnings:
            self.warnings.append((found.source, clip(student_id), kind, message))
        self.files_graded += 1
        identity = identity_of(submission.student.id, found.naming)
        attempt = found.naming.attempt if found.naming else 0
        rank = (found.timestamp, attempt)
        entry = self._index.get(identity)
        if entry is not None and (rank, found.source) <= (entry.rank, entry.source):
            entry.supersede(found.source)
            self._index.put(identity, entry, new=False)
            return
        offset = self._record(found, evaluation)
        folded = fold_id(submission.student.id)
        slug = ""
        if self.per_student:
            naming = found.naming
            base = f"{folded}-{naming.lms}-{naming.lms_id}" if naming else folded
            slug = self._write_student_files(identity, base, evaluation)
        lms_name = found.naming.name if found.naming else ""
        kept = Entry(rank, found.source, offset, folded, slug, lms_name, "!/" in found.source)
        if entry is not None:
            kept.others = [*(entry.others or ()), entry.source]
        self._index.put(identity, kept, new=entry is None)

    def _write_student_files(self, identity: str, base: str, evaluation: _Evaluation) -> str:
        slug = self._slug_for(identity, base)
        result = evaluation.result
        fragments = [answer.fragment for answer in evaluation.answers]
        page = self._feedback.render(result, fragments, evaluation.notes)
        (self.work / "feedback" / f"{slug}.html").write_text(
            page, encoding="utf-8", errors="backslashreplace"
        )
        document = self._gradescope.document(result, [a.test for a in evaluation.answers])
        (self.work / "gradescope" / f"{slug}.results.json").write_text(
            document, encoding="utf-8", errors="backslashreplace"
        )
        return slug

    def _slug_for(self, identity: str, base: str) -> str:
        """A file name no other student of this run has (checked after it is made)."""
        slug = _slug(base)
        owner = self._index.claim_slug(slug, identity)
        if owner != identity:
            slug = f"{slug}-{sha1(identity.encode('utf-8', 'surrogatepass')).hexdigest()}"
            self._index.claim_slug(slug, identity)
        return slug

    def _grade(self, submission: Submission) -> tuple[SubmissionResult, list[_Answer]]:
        """Grade every item once; equal answers to an item share one :class:`_Answer`."""
        graded = []
        cache = self._cache
        answers = submission.answers
        for item in self._items:
            answer = answers.get(item.id)
            try:
                key: Any = _answer_key(item.id, answer)
                hit = cache.get(key)
            except (RecursionError, TypeError, ValueError):  # graded, not cached
                key = hit = None
            if hit is None:
                hit = self._answer(item, answer)
                if key is not None and len(key[-1]) <= _CACHE_LONGEST:
                    size = len(hit.fragment) + len(hit.test) + len(key[-1]) + 200
                    if self._cache_chars + size > _CACHE_CHARS:
                        cache.clear()
                        self._cache_chars = 0
                    cache[key] = hit
                    self._cache_chars += size
            graded.append(hit)
        return _Graded(submission, tuple(a.result for a in graded)), graded

    def _answer(self, item: Item, answer: Any) -> _Answer:
        result = grade_item(item, answer)
        return _Answer(
            result,
            self._feedback.item_fragment(result) if self.per_student else "",
            self._gradescope.test_json(result) if self.per_student else "",
            answer_label(item, result.answer, result.status),
            *_cells(result),
        )

    def _record(self, found: Found, evaluation: _Evaluation) -> int:
        result = evaluation.result
        naming = found.naming
        pending = [
            (
                r.item_id,
                r.possible,
                r.answer,
                list(r.marking.criteria) if r.marking else None,
                r.marking.comment if r.marking else "",
                r.points if r.marking else None,
            )
            for r in result.items
            if r.status is Status.PENDING or r.marking is not None
        ]
        student = result.submission.student
        row = GradebookRow(
            clip(printable(student.id)),
            clip(printable(student.name)),
            found.source,
            "pendiente" if result.pending else "corregido",
            (),  # given as ``cells``, formatted once per distinct answer
            result.total,
            result.possible,
            result.percentage,
            len(result.pending),
            naming.lms if naming else "",
            naming.lms_id if naming else "",
            tuple(evaluation.notes),
            (
                ",".join([a.cell for a in evaluation.answers]),
                ";".join([a.comma_cell for a in evaluation.answers]),
            ),
        )
        scores, labels = self._scores(evaluation)
        record = [row.to_json(), scores, labels, pending]
        # Only written while the class is read (read back in finish): no seek, which
        # would flush the buffer for every file.
        offset = self._scratch_end
        line = json.dumps(record, ensure_ascii=False).encode("utf-8", "backslashreplace")
        self._scratch.write(line + b"\n")
        self._scratch_end += len(line) + 1
        return offset

    def _scores(self, evaluation: _Evaluation) -> tuple[list[int], list[str]]:
        """The statistics' part of a file: points in hundredths and labels of the scored items."""
        items, answers = evaluation.result.items, evaluation.answers
        return (
            [round(items[i].points * 100) for i in self._scored],
            [answers[i].label for i in self._scored],
        )

    def _error(self, source: str, line: int | None, reason: str, fix: str) -> Outcome:
        self.errors.append((source, line, clip(printable(reason), 2000), printable(fix)))
        return Outcome(source, False, errors=(reason,))

    # -- the whole class

    def finish(self) -> Summary:
        """Write the class's files and move the results into ``out``."""
        if self.broken is not None:
            raise OSError(f"the run failed earlier: {self.broken}")
        work = self.work
        pending, superseded = self._write_gradebooks()
        self._marks_warnings()
        self._scratch.close()
        (work / ".scratch.jsonl").unlink()
        self._index.close()
        write_errors(
            work / "errors.csv", sorted(self.errors, key=lambda e: (e[0], e[1] or 0, e[2]))
        )
        write_warnings(work / "warnings.csv", self.warnings)
        self.warnings.close()
        self.folder.commit()
        refused = 0
        if self.marks is not None:
            refused = len(self.marks.problems) + len(self.marks.unused()) + self.marks_changed
        return Summary(
            self.out,
            len(self._index),
            self.files_graded,
            len(self.errors),
            superseded,
            pending,
            self.marks_counted if self.marks is not None else None,
            refused,
        )

    def _marks_warnings(self) -> None:
        """What the marks files said: bad rows, replaced marks, marks nobody's answer used."""
        if self.marks is None:
            return
        for kind, problems in (
            ("nota no válida", self.marks.problems),
            ("nota sustituida", self.marks.notices),
            ("nota sin entrega", self.marks.unused()),
        ):
            for problem in problems:
                self.warnings.append(
                    (
                        printable(problem.where),
                        printable(problem.student_id),
                        kind,
                        clip(printable(str(problem))),
                    )
                )

    def _split_note(self, entry: Entry, identity: str, student_id: str) -> str:
        lms, number = participant_of(identity).split(":")
        message = clip(
            f"los archivos del participante {number} de {lms.capitalize()} llevan ids de "
            f"estudiante distintos ({student_id} y otros): se cuentan por separado; "
            "comprueba quién es quién"
        )
        self.warnings.append((entry.source, student_id, "id distinto", message))
        return message

    def _write_gradebooks(self) -> tuple[int, int]:
        """Gradebooks, pending.csv, corregir.html, the analysis, the LMS files; (pending, superseded)."""
        work, bank, final = self.work, self.bank, self.final
        gradebook = GradebookWriter(work, bank, scale=final.options.scale if final else None)
        accumulator = StatsAccumulator(
            [(self._items[i].id, self._items[i].points) for i in self._scored]
        )
        open_rows = PendingWriter(
            work / "pending.csv", bank, excel=work / "pending-excel.csv", keep_rows=True
        )
        shared = self._index.shared_ids()
        split = self._index.split_participants()
        absent, not_listed = self._roster_check()
        grades: list[FinalGrade] | None = [] if final and final.options.needs_grades else None
        superseded = still_pending = 0
        for identity, entry in self._index.ordered():
            self._scratch.seek(entry.offset)
            data, scores, labels, responses = json.loads(self._scratch.readline())
            row = GradebookRow.from_json(data)
            file_lms, file_lms_id = row.lms, row.lms_id
            notes = list(row.notes)
            if entry.others:
                superseded += len(entry.others)
                notes.append(self._superseded_note(entry, row.student_id))
            if entry.folded_id in shared:
                notes.append(
                    self._shared_note(entry, identity, shared[entry.folded_id], row.student_id)
                )
            if participant_of(identity) in split:
                notes.append(self._split_note(entry, identity, row.student_id))
            if entry.folded_id in not_listed:
                notes.append(self._not_listed_note(entry, row.student_id))
            if notes != list(row.notes):
                row = GradebookRow(**{**row.__dict__, "notes": tuple(notes)})
            gradebook.add(row, ambiguous=entry.folded_id in shared)
            accumulator.add(scores, labels)
            still_pending += row.pending
            for item_id, possible, answer, criteria, comment, score in responses:
                marking = Marking(tuple(criteria), comment) if criteria is not None else None
                self.marks_counted += marking is not None  # on the files that count only
                open_rows.add(
                    row.student_id,
                    row.name,
                    row.file,
                    item_id,
                    possible,
                    answer,
                    file_lms,
                    file_lms_id,
                    marking,
                    score,
                )
            if grades is not None:
                grades.append(self._final_grade(row, entry))
        for student in absent:
            gradebook.add(absent_row(bank, student.student_id, student.name))
        gradebook.close()
        open_rows.close()
        write_marking_page(work / "corregir.html", bank, open_rows.rows())
        open_rows.discard()
        stats = accumulator.result()
        write_item_analysis(work / "item_analysis.csv", bank, stats)
        (work / "report.html").write_text(
            render_report(
                bank,
                stats,
                graded=len(self._index),
                not_graded=len(self.errors),
                pending=still_pending,
            ),
            encoding="utf-8",
        )
        if final is not None:
            kept, left = _platform_grades(grades or [])
            self.lms_report = write_lms_files(work, final, kept, out=self.out, also=left)
        return still_pending, superseded

    def _roster_check(self) -> tuple[list[RosterEntry], set[str]]:
        """Roster students without a submission, and folded ids not on the roster."""
        if self.final is None or self.final.options.roster is None:
            return [], set()
        for problem in self.final.roster_problems:
            self.warnings.append((str(self.final.options.roster), "", "lista de clase", problem))
        submitted = [_Who(folded) for folded in self._index.folded_ids()]
        match = match_roster(self.final.roster, submitted)
        return match.missing, {who.student_id for who in match.unknown}

    def _not_listed_note(self, entry: Entry, student_id: str) -> str:
        message = f"{student_id} no está en la lista de clase: comprueba el id"
        self.warnings.append((entry.source, student_id, "fuera de la lista", message))
        return message

    def _final_grade(self, row: GradebookRow, entry: Entry) -> FinalGrade:
        comment = summary_comment(
            row.total,
            row.possible,
            row.pending,
            f"{points(row.total, comma=True)} de {points(row.possible, comma=True)}",
        )
        # The page as written in the work folder: the LMS files are made before the swap.
        work_page = self.work / "feedback" / f"{entry.slug}.html" if entry.slug else None
        # The LMS files check this name against their rows: the download's own name,
        # but only from inside a zip (a loose file's name can be made to look like a
        # download's; its typed name then fails that check).
        name = row.name
        if row.lms == "moodle" and entry.lms_name and entry.lms_trusted:
            name = _download_name(row.name, entry.lms_name)
        return FinalGrade(
            row.student_id,
            name,
            row.lms,
            row.lms_id,
            row.total,
            row.possible,
            row.status,
            comment,
            work_page,
        )

    def _superseded_note(self, entry: Entry, student_id: str) -> str:
        others = sorted(entry.others or ())
        for other in others:
            self.warnings.append(
                (
                    other,
                    student_id,
                    "duplicado",
                    clip(f"otro archivo del mismo estudiante cuenta: {entry.source}"),
                )
            )
        return clip(
            f"{len(others) + 1} archivos de este estudiante; cuenta el más reciente "
            f"({entry.source}); no cuentan: {listing(others, 3)}"
        )

    def _shared_note(
        self, entry: Entry, identity: str, identities: list[str], student_id: str
    ) -> str:
        others = sorted(
            participant_of(i) or i.removeprefix("id:") for i in identities if i != identity
        )
        message = clip(
            f"el mismo id de estudiante ({student_id}) aparece en las entregas de otros "
            f"participantes ({listing(others, 3)}): comprueba quién es quién"
        )
        self.warnings.append((entry.source, student_id, "id repetido", message))
        return message

    def abort(self) -> None:
        """Drop the half-written results; ``out`` is left as it was."""
        if not self._scratch.closed:
            self._scratch.close()
        with contextlib.suppress(OSError):
            self._index.close()
        self.warnings.close()
        self.folder.abort()


def main(
    *,
    paths: list[Path],
    out: Path,
    bank: Bank,
    include_key: bool = True,
    overwrite: bool = False,
    per_student: bool = True,
    marks: Sequence[Path] = (),
    final: FinalOptions | None = None,
    site_url: str | None = None,
    echo: Callable[[str], Any] | None = None,
) -> int:
    """Grade every file in ``paths`` into ``out``; returns the exit status (see the module doc)."""
    say = echo or (lambda text: print(text, file=sys.stderr))
    missing = [problem for p in [*paths, *marks] if (problem := missing_path(p))]
    if missing:
        say(f"comprende grade: {'; '.join(missing)}")
        return EXIT_USAGE
    try:
        for path in marks:
            regular_file(path, "--marks")
    except UsageError as exc:
        say(f"comprende grade: {exc}")
        return EXIT_USAGE
    inside = marks_inside(marks, out)
    if inside:
        say(f"comprende grade: {inside}")
        return EXIT_USAGE
    try:
        prepared = prepare(final) if final is not None else None
        marks_file = read_marks(list(marks), bank) if marks else None
        if marks_file is not None and marks_file.unusable:
            raise UsageError(
                "estos archivos de --marks no son archivos de notas: "
                + "; ".join(printable(str(problem)) for problem in marks_file.unusable)
            )
        run = GradingRun(
            bank=bank,
            out=out,
            inputs=[*paths, *marks, *option_files(final)],
            include_key=include_key,
            overwrite=overwrite,
            per_student=per_student,
            marks=marks_file,
            final=prepared,
            site_url=site_url,
        )
    except (UsageError, ValueError) as exc:
        say(f"comprende grade: {exc}")
        return EXIT_USAGE
    for notice in run.notices:
        say(f"comprende grade: {notice}")
    try:
        # The marks and LMS files are inputs of the run, never submissions.
        options = [*marks, *option_files(final)]
        found_files = find_inputs(
            paths, exclude=[out, run.work, *options], first_read=run.first_read
        )
        for found in found_files:
            run.grade(found)
        if run.files_seen == 0:
            run.abort()
            say(
                "comprende grade: no se ha encontrado ningún archivo en "
                f"{', '.join(printable(str(p)) for p in paths)}: no se ha corregido nada "
                "y los resultados anteriores siguen como estaban"
            )
            return EXIT_USAGE
        if run.files_graded == 0 and _holds_results(out):
            run.abort()
            say(_nothing_graded(run, out))
            return EXIT_NOT_GRADED
        summary = run.finish()
    except KeyboardInterrupt:
        run.abort()
        say(
            "comprende grade: interrumpido: no se ha escrito nada; los resultados "
            "anteriores, si los había, siguen como estaban"
        )
        return EXIT_INTERRUPTED
    except UsageError as exc:  # the results could not be put in place
        run.abort()
        say(f"comprende grade: {exc}")
        return EXIT_FAILED
    except OSError as exc:
        run.abort()
        say(
            f"comprende grade: la corrección no ha terminado: {printable(str(exc))}. "
            f"No se ha escrito nada en {printable(str(out))}; los resultados anteriores, si "
            "los había, siguen como estaban. Libera espacio o elige otra carpeta con --out."
        )
        return EXIT_FAILED
    except BaseException:
        run.abort()
        raise
    say(summary_text(summary))
    return summary.exit_status


def missing_path(path: Path) -> str:
    """Why ``path`` cannot be an input or a marks file (empty when it can)."""
    try:
        path.stat()
    except FileNotFoundError:
        return f"no existe: {printable(str(path))}"
    except OSError as exc:
        return f"no se puede usar {printable(str(path))[:120]}: {exc.strerror or exc}"
    return ""


def _holds_results(out: Path) -> bool:
    try:
        return out.is_dir() and any(out.iterdir())
    except OSError:
        return False


def _nothing_graded(run: GradingRun, out: Path) -> str:
    """The terminal's account of a run that graded no file (earlier results kept)."""
    lines = [
        f"comprende grade: no se ha podido corregir ningún archivo ({len(run.errors)} con "
        f"problemas), así que no se sustituyen los resultados de {printable(str(out))}. "
        "¿Es la carpeta o el zip de esta tarea? Los problemas:"
    ]
    for source, _line, reason, _fix in sorted(run.errors)[:10]:
        lines.append(f"  {source}: {reason}")
    if len(run.errors) > 10:
        lines.append(f"  … y {len(run.errors) - 10} más")
    return "\n".join(lines)


def marks_inside(marks: Sequence[Path], out: Path) -> str:
    """Why a marks file inside the results folder is refused, with the way out ("" if none)."""
    inside = [m for m in marks if _real_path(m).is_relative_to(_real_path(out))]
    if not inside:
        return ""
    return (
        f"el archivo de notas {printable(str(inside[0]))} está dentro de la carpeta de "
        f"resultados {printable(str(out))}. Cópialo fuera de ella (por ejemplo, junto a "
        "las entregas) y vuelve a ejecutar la orden con esa copia: comprende no sustituye "
        "una carpeta en la que has cambiado archivos."
    )


def _real_path(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def option_files(final: FinalOptions | None) -> list[Path]:
    """The LMS files and class list given: inputs too, so ``--out`` never holds them."""
    if final is None:
        return []
    named = (final.moodle_worksheet, final.canvas_gradebook, final.roster)
    return [path for path in named if path is not None]


def summary_text(summary: Summary) -> str:
    """The run's outcome for the instructor, in Spanish."""
    out = printable(str(summary.out))
    lines = [
        f"Corregidos: {summary.students} estudiante(s) ({summary.files_graded} archivo(s)).",
        f"Resultados en {out}/ (gradebook.csv, feedback/, report.html…).",
    ]
    if summary.superseded:
        lines.append(
            f"{summary.superseded} archivo(s) sustituido(s) por otro más reciente del mismo "
            "estudiante: ver warnings.csv."
        )
    if summary.pending:
        lines.append(
            f"{summary.pending} respuesta(s) abierta(s) pendiente(s) de corrección: ver pending.csv."
        )
    if summary.marks_applied is not None:
        text = f"Notas de respuestas abiertas: {summary.marks_applied} aplicada(s)"
        if summary.marks_refused:
            text += f"; {summary.marks_refused} NO aplicada(s): ver {out}/warnings.csv"
        lines.append(text + ".")
        if summary.marks_applied == 0:
            lines.append(
                "Ninguna nota se ha aplicado: ¿es el pending.csv rellenado, o el archivo que "
                "guardó corregir.html?"
            )
    if summary.not_graded:
        lines.append(f"{summary.not_graded} archivo(s) NO corregido(s): ver {out}/errors.csv.")
    return "\n".join(lines)

"""The instructor's grading run: a class's files in, gradebooks, feedback and analysis out.

``main(paths=…, out=…, bank=…)`` is what ``comprende grade`` and the pytest plugin
(:mod:`comprende.pytest_plugin`) run. The steps:

1. :func:`find_inputs` walks files, folders (recursively) and zip archives (Moodle's
   and Canvas's "download all submissions" too) and yields one :class:`Found` per file.
2. :meth:`GradingRun.grade` reads and grades one file, with the one grading core
   (:func:`comprende.grading.grade_item`), and writes that student's feedback page and
   Gradescope ``results.json``. A bad file becomes a line of ``errors.csv``; it never
   stops the others.
3. :meth:`GradingRun.finish` writes the gradebooks, the item analysis and the lists,
   then moves the whole folder into place at once.

Rules (documented for instructors in ``docs/guias/profesorado.md``):

* **Two files for one student** (same ``student.id``, case ignored): the newest counts,
  by the file's modification time or the zip entry's time; on a tie, the last by path.
  The others are listed in ``warnings.csv`` and in the gradebook's ``notes``.
* **A re-run never destroys results**: if ``--out`` exists and is not empty the run
  stops (exit 2) unless ``overwrite``; the new results are built in a hidden folder
  next to it and replace the old ones only once complete.
* **Zips** are read in memory, never extracted: a member whose path escapes the
  archive (``..``, absolute), a member larger than :data:`MAX_BYTES`, a compression
  ratio above :data:`MAX_RATIO`, more than :data:`MAX_ARCHIVE_BYTES` in all, more than
  :data:`MAX_MEMBERS` members, or a zip nested more than one level deep is refused,
  each as a line of ``errors.csv``.
* Exit status: 0 every file graded; 1 some file not graded (see ``errors.csv``);
  2 usage error (no input, ``--out`` in use) or a bank that does not load.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha1
from pathlib import Path, PurePosixPath
from typing import Any

from .grading import grade_item
from .model import Bank, ItemResult, Status, Submission, SubmissionResult
from .reports.analysis import render_report, write_item_analysis
from .reports.base import answer_label
from .reports.feedback import FeedbackRenderer
from .reports.gradebook import GradebookRow, GradebookWriter
from .reports.gradescope import GradescopeWriter
from .reports.problems import PendingWriter, write_errors, write_warnings
from .stats import StatsAccumulator
from .submission import MAX_BYTES, read_submission

#: Files read as answers files; anything else found in the inputs is listed in errors.csv.
ANSWER_SUFFIXES = (".json", ".yaml", ".yml")
#: Files that operating systems and LMSs leave behind; skipped silently.
JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini", "__macosx"})
#: Total bytes a zip (with the zips inside it) may expand to.
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
#: Largest uncompressed / compressed ratio of a zip member (text compresses ~5–20×).
MAX_RATIO = 200
#: Most members read from one zip.
MAX_MEMBERS = 500_000
#: Largest zip inside a zip (it is read into memory).
MAX_NESTED_ZIP_BYTES = 256 * 1024 * 1024

EXIT_OK, EXIT_NOT_GRADED, EXIT_USAGE = 0, 1, 2
#: Distinct (item, answer) grades kept for reuse; emptied when full, so memory stays bounded.
_CACHE_SIZE = 10_000


class UsageError(Exception):
    """The run cannot start: the message says why and what to do (exit status 2)."""


@dataclass(frozen=True)
class LmsNaming:
    """What an LMS's "download all submissions" naming says about a file."""

    #: ``moodle`` or ``canvas``.
    lms: str
    #: The student's name as the LMS wrote it (Canvas: ``lastnamefirstname``).
    name: str
    #: The LMS's own id of the student (Moodle participant id, Canvas user id).
    lms_id: str
    #: Canvas marks files handed in after the due date.
    late: bool = False


@dataclass(frozen=True)
class Found:
    """One file found in the inputs."""

    #: Where it is, for people: a path, or ``archive.zip!/member``.
    source: str
    #: Modification time (UTC for files, as stored for zip entries), to choose among duplicates.
    timestamp: tuple[int, ...] = ()
    #: What an LMS's naming says about it.
    naming: LmsNaming | None = None
    #: Why it cannot be graded (Spanish), when it cannot; with what to do.
    problem: str = ""
    fix: str = ""
    #: Reads its bytes (at most ``MAX_BYTES + 1``).
    read: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)


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

    @property
    def exit_status(self) -> int:
        return EXIT_NOT_GRADED if self.not_graded else EXIT_OK


# ----------------------------------------------------------------------------- inputs

_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_[a-z]+_(?P<rest>.*)$")
_CANVAS = re.compile(
    r"^(?P<name>[^\W_]+(?:-[^\W_]+)*)_(?:(?P<late>late)_)?(?P<id>\d{3,})_(?P<sub>\d+)_(?P<rest>.+)$",
    re.IGNORECASE,
)


def lms_naming(relative: str) -> LmsNaming | None:
    """The LMS naming of a path inside a download (Moodle folder or file prefix, Canvas file name)."""
    parts = PurePosixPath(relative).parts
    for part in parts:
        match = _MOODLE.match(part)
        if match:
            return LmsNaming("moodle", match["name"].strip(), match["id"])
    match = _CANVAS.match(parts[-1]) if parts else None
    if match:
        return LmsNaming("canvas", match["name"], match["id"], late=bool(match["late"]))
    return None


def _letters(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text)
    return "".join(c for c in bare if c.isalnum()).casefold()


def name_matches(naming: LmsNaming, name: str) -> bool:
    """Whether the name in a file agrees with the LMS's, ignoring case, accents and order."""
    words = [w for w in (_letters(w) for w in name.split()) if w]
    if naming.lms == "canvas":
        target = _letters(naming.name)
        return any("".join(words[i:] + words[:i]) == target for i in range(len(words)))
    return sorted(words) == sorted(w for w in (_letters(w) for w in naming.name.split()) if w)


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.casefold() in JUNK_NAMES


def _not_answers(source: str) -> Found:
    return Found(
        source,
        problem="no es un archivo de respuestas (.json, .yaml o .yml)",
        fix="si el estudiante entregó otro formato, pídele el archivo de respuestas",
    )


def find_inputs(paths: Iterable[Path], *, exclude: Iterable[Path] = ()) -> Iterator[Found]:
    """Every file in ``paths`` (files, folders, zips), in a stable order; never raises."""
    excluded = {p.resolve() for p in exclude}
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                here = Path(folder)
                dirs[:] = sorted(
                    d for d in dirs if not _skipped(d) and (here / d).resolve() not in excluded
                )
                for name in sorted(files):
                    if not _skipped(name):
                        yield from _from_file(
                            here / name, (here / name).relative_to(path).as_posix()
                        )
        else:
            yield from _from_file(path, path.name)


def _from_file(path: Path, relative: str) -> Iterator[Found]:
    source = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        yield Found(
            source,
            problem=f"no se puede leer el archivo ({exc.strerror})",
            fix="comprueba la ruta y los permisos",
        )
        return
    if not stat.S_ISREG(info.st_mode):
        yield Found(
            source, problem="no es un archivo normal", fix="entrega solo archivos de respuestas"
        )
        return
    timestamp = datetime.fromtimestamp(info.st_mtime, UTC).timetuple()[:6]
    if path.suffix.lower() == ".zip":
        yield from _from_zip(lambda: path.open("rb"), source, _Budget(), depth=0)
        return
    if path.suffix.lower() not in ANSWER_SUFFIXES:
        yield _not_answers(source)
        return

    def read() -> bytes:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)

    yield Found(source, timestamp, lms_naming(relative), read=read)


class _Budget:
    """What one top-level zip (with the zips inside it) may still expand to."""

    def __init__(self) -> None:
        self.bytes = MAX_ARCHIVE_BYTES
        self.members = MAX_MEMBERS


def _from_zip(
    opener: Callable[[], Any], source: str, budget: _Budget, depth: int
) -> Iterator[Found]:
    try:
        archive = zipfile.ZipFile(opener())
        members = sorted(archive.infolist(), key=lambda info: info.filename)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        yield Found(
            source,
            problem=f"el archivo zip está dañado o no es un zip ({exc})",
            fix="descárgalo de nuevo desde la plataforma",
        )
        return
    for info in members:
        name = info.filename
        member = f"{source}!/{name}"
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if info.is_dir() or not parts:
            continue
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
            yield Found(
                member,
                problem="la ruta de este archivo sale de la carpeta del zip "
                "(«..» o ruta absoluta): no se lee",
                fix="revisa de dónde viene este zip",
            )
            continue
        if any(_skipped(p) for p in parts):
            continue
        budget.members -= 1
        if budget.members < 0:
            yield Found(
                member,
                problem=f"el zip tiene más de {MAX_MEMBERS:,} archivos: no se leen más",
                fix="divide la entrega en varios zips",
            )
            continue
        if info.flag_bits & 0x1:
            yield Found(
                member,
                problem="el archivo está cifrado con contraseña",
                fix="pide al estudiante el archivo sin contraseña",
            )
            continue
        is_zip = parts[-1].lower().endswith(".zip")
        limit = MAX_NESTED_ZIP_BYTES if is_zip else MAX_BYTES
        if info.file_size > limit:
            yield Found(
                member,
                problem=f"el archivo ocupa {info.file_size:,} bytes sin comprimir; "
                f"el máximo es {limit:,}",
                fix="entrega solo el archivo de respuestas",
            )
            continue
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 65536
        ):
            yield Found(
                member,
                problem=f"el archivo se expande {info.file_size // info.compress_size}× "
                "al descomprimirlo: parece una bomba zip y no se lee",
                fix="revisa de dónde viene este zip",
            )
            continue
        budget.bytes -= info.file_size
        if budget.bytes < 0:
            yield Found(
                member,
                problem=f"el zip se expande a más de {MAX_ARCHIVE_BYTES:,} bytes: "
                "no se leen más archivos",
                fix="divide la entrega en varios zips",
            )
            continue
        relative = "/".join(parts)
        if is_zip:
            if depth >= 1:
                yield Found(
                    member,
                    problem="zip dentro de un zip dentro de un zip: no se abre",
                    fix="descomprime los zips interiores y vuelve a ejecutar la corrección",
                )
                continue
            yield from _from_zip(
                functools.partial(_member_stream, archive, info, limit),
                member,
                budget,
                depth + 1,
            )
            continue
        if PurePosixPath(relative).suffix.lower() not in ANSWER_SUFFIXES:
            yield _not_answers(member)
            continue
        yield Found(
            member,
            tuple(info.date_time),
            lms_naming(relative),
            read=functools.partial(_read_member, archive, info, MAX_BYTES),
        )


def _member_stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> io.BytesIO:
    return io.BytesIO(_read_member(archive, info, limit))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as handle:
        return handle.read(limit + 1)


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


def _slug(student_key: str) -> str:
    """A file name for a student, stable and safe; a hash keeps unlike ids apart."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", student_key).strip("-")[:60]
    if slug != student_key or not slug:
        slug = f"{slug or 'estudiante'}-{sha1(student_key.encode()).hexdigest()[:8]}"
    return slug


@dataclass(slots=True)
class _Entry:
    """The files of one student seen so far; the best one's record in the scratch file."""

    rank: tuple[Any, ...]
    source: str
    offset: int
    others: list[str] = field(default_factory=list)


class GradingRun:
    """One grading run into ``out``; :meth:`grade` each file, then :meth:`finish` (or :meth:`abort`)."""

    def __init__(
        self,
        *,
        bank: Bank,
        out: Path,
        include_key: bool = True,
        overwrite: bool = False,
        per_student: bool = True,
    ) -> None:
        self.bank = bank
        self.per_student = per_student
        self.out = Path(out)
        self.overwrite = overwrite
        check_out(self.out, overwrite=overwrite)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.work = Path(
            tempfile.mkdtemp(prefix=f".{self.out.name}.", suffix=".tmp", dir=self.out.parent)
        )
        if per_student:
            (self.work / "feedback").mkdir()
            (self.work / "gradescope").mkdir()
        self._items = bank.items
        self._by_id = bank.by_id
        self._scored = [i for i, item in enumerate(self._items) if item.auto_graded]
        self._feedback = FeedbackRenderer(bank, include_key=include_key)
        self._gradescope = GradescopeWriter(bank)
        self._cache: dict[Any, tuple[ItemResult, str, str, str]] = {}
        self._index: dict[str, _Entry] = {}
        self._scratch = (self.work / ".scratch.jsonl").open("w+b")
        self.errors: list[tuple[str, int | None, str, str]] = []
        self.warnings: list[tuple[str, str, str, str]] = []
        self.files_graded = 0

    # -- one file

    def grade(self, found: Found) -> Outcome:
        """Read, grade and write one file's outputs; never raises for a bad file."""
        if found.problem:
            return self._error(found.source, None, found.problem, found.fix)
        assert found.read is not None
        try:
            data = found.read()
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ValueError) as exc:
            return self._error(
                found.source,
                None,
                f"no se puede leer el archivo ({exc})",
                "descárgalo de nuevo o pide al estudiante que lo entregue otra vez",
            )
        reading = read_submission(data, found.source)
        if reading.submission is None or reading.errors:
            problems = reading.errors
            reason = "; ".join(
                p.message + (f" (línea {p.line})" if p.line else "") for p in problems
            )
            first = problems[0] if problems else None
            return self._error(
                found.source,
                first.line if first else None,
                reason or "archivo no válido",
                first.fix if first else "",
            )
        submission = reading.submission
        if submission.module != self.bank.id:
            return self._error(
                found.source,
                None,
                f"este archivo es del módulo «{submission.module}», no de «{self.bank.id}»",
                "comprueba que es la entrega de esta tarea; si no, no hace falta hacer nada",
            )
        by_id = self._by_id
        unknown = sorted(k for k in submission.answers if k not in by_id)
        if unknown and len(unknown) == len(submission.answers):
            return self._error(
                found.source,
                None,
                "ninguna respuesta corresponde a una pregunta de este módulo "
                f"({', '.join(unknown[:5])}{'…' if len(unknown) > 5 else ''})",
                "comprueba la versión del módulo; los identificadores deben ser los de "
                "la plantilla (`comprende template`)",
            )
        student_id = submission.student.id
        warnings: list[tuple[str, str]] = [
            ("codificación" if "UTF-8" in p.message else "aviso", p.message)
            for p in reading.problems
            if p.severity == "warning"
        ]
        if unknown:
            warnings.append(
                (
                    "pregunta desconocida",
                    f"se ignoran respuestas a preguntas que no existen: {', '.join(unknown)}",
                )
            )
        notes: list[str] = []
        naming = found.naming
        if naming and not name_matches(naming, submission.student.name):
            message = (
                f"el nombre del archivo ({submission.student.name}) no coincide con el de "
                f"{naming.lms.capitalize()} ({naming.name}, id {naming.lms_id})"
            )
            warnings.append(("nombre distinto", message))
            notes.append(message)
        if naming and naming.late:
            warnings.append(("tarde", "Canvas marca esta entrega como tardía"))
            notes.append("entregado tarde (Canvas)")

        result, fragments, labels, tests = self._grade(submission)
        invalid = [r.item_id for r in result.items if r.status is Status.INVALID]
        if invalid:
            warnings.append(
                (
                    "respuesta no válida",
                    f"respuestas con una forma no válida (0 puntos): {', '.join(invalid)}",
                )
            )
            notes.append(f"{len(invalid)} respuesta(s) no válida(s)")
        for kind, message in warnings:
            self.warnings.append((found.source, student_id, kind, message))
        self.files_graded += 1

        key = student_id.casefold()
        rank = (found.timestamp, found.source)
        entry = self._index.get(key)
        if entry is None or rank > entry.rank:
            offset = self._record(found, result, labels, notes, naming)
            if self.per_student:
                slug = _slug(key)
                page = self._feedback.render(result, fragments, notes)
                (self.work / "feedback" / f"{slug}.html").write_text(page, encoding="utf-8")
                gradescope = self._gradescope.document(result, tests)
                (self.work / "gradescope" / f"{slug}.results.json").write_text(
                    gradescope, encoding="utf-8"
                )
            if entry is None:
                self._index[key] = _Entry(rank, found.source, offset)
            else:
                entry.others.append(entry.source)
                entry.rank, entry.source, entry.offset = rank, found.source, offset
        else:
            entry.others.append(found.source)
        return Outcome(
            found.source,
            True,
            student_id,
            result.total,
            result.possible,
            warnings=tuple(message for _, message in warnings),
        )

    def _grade(
        self, submission: Submission
    ) -> tuple[SubmissionResult, list[str], list[str], list[str]]:
        """Grade every item once; equal answers to an item share one result, page fragment and label."""
        results, fragments, labels, tests = [], [], [], []
        cache = self._cache
        answers = submission.answers
        for item in self._items:
            answer = answers.get(item.id)
            try:
                key: Any = _answer_key(item.id, answer)
            except RecursionError:  # an absurdly nested answer: graded, not cached
                key = None
            hit = cache.get(key) if key is not None else None
            if hit is None:
                result = grade_item(item, answer)
                hit = (
                    result,
                    self._feedback.item_fragment(result),
                    answer_label(item, result.answer, result.status),
                    self._gradescope.test_json(result),
                )
                if key is not None:
                    if len(cache) > _CACHE_SIZE:
                        cache.clear()
                    cache[key] = hit
            results.append(hit[0])
            fragments.append(hit[1])
            labels.append(hit[2])
            tests.append(hit[3])
        return _Graded(submission, tuple(results)), fragments, labels, tests

    def _record(
        self,
        found: Found,
        result: SubmissionResult,
        labels: list[str],
        notes: list[str],
        naming: LmsNaming | None,
    ) -> int:
        pending = [(r.item_id, r.possible, r.answer) for r in result.pending]
        student = result.submission.student
        row = GradebookRow(
            student.id,
            student.name,
            found.source,
            "pendiente" if pending else "corregido",
            tuple(None if r.status is Status.PENDING else r.points for r in result.items),
            result.total,
            result.possible,
            result.percentage,
            len(pending),
            naming.lms if naming else "",
            naming.lms_id if naming else "",
            tuple(notes),
        )
        scores = [round(result.items[i].points * 100) for i in self._scored]
        record = [row.to_json(), scores, [labels[i] for i in self._scored], pending]
        self._scratch.seek(0, os.SEEK_END)
        offset = self._scratch.tell()
        self._scratch.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
        return offset

    def _error(self, source: str, line: int | None, reason: str, fix: str) -> Outcome:
        self.errors.append((source, line, reason, fix))
        return Outcome(source, False, errors=(reason,))

    # -- the whole class

    def finish(self) -> Summary:
        """Write the class's files and move the results into ``out``."""
        work, bank = self.work, self.bank
        gradebook = GradebookWriter(work, bank)
        accumulator = StatsAccumulator(
            [(self._items[i].id, self._items[i].points) for i in self._scored]
        )
        pending_rows = PendingWriter(work / "pending.csv")
        superseded = 0
        for key in sorted(self._index):
            entry = self._index[key]
            self._scratch.seek(entry.offset)
            data, scores, labels, pending = json.loads(self._scratch.readline())
            row = GradebookRow.from_json(data)
            if entry.others:
                superseded += len(entry.others)
                note = (
                    f"{len(entry.others) + 1} archivos de este estudiante; cuenta el más reciente "
                    f"({entry.source}); no cuentan: {', '.join(sorted(entry.others))}"
                )
                row = GradebookRow(**{**row.__dict__, "notes": (*row.notes, note)})
                for other in entry.others:
                    self.warnings.append(
                        (
                            other,
                            row.student_id,
                            "duplicado",
                            f"otro archivo del mismo estudiante cuenta: {entry.source}",
                        )
                    )
            gradebook.add(row)
            accumulator.add(scores, labels)
            for item_id, possible, answer in pending:
                text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
                pending_rows.add(row.student_id, row.name, row.file, item_id, possible, text)
        gradebook.close()
        pending_rows.close()
        self._scratch.close()
        (work / ".scratch.jsonl").unlink()
        stats = accumulator.result()
        write_item_analysis(work / "item_analysis.csv", bank, stats)
        (work / "report.html").write_text(
            render_report(
                bank,
                stats,
                graded=len(self._index),
                not_graded=len(self.errors),
                pending=pending_rows.count,
            ),
            encoding="utf-8",
        )
        write_errors(
            work / "errors.csv", sorted(self.errors, key=lambda e: (e[0], e[1] or 0, e[2]))
        )
        write_warnings(work / "warnings.csv", sorted(self.warnings))
        self._move_into_place()
        return Summary(
            self.out,
            len(self._index),
            self.files_graded,
            len(self.errors),
            superseded,
            pending_rows.count,
        )

    def _move_into_place(self) -> None:
        check_out(self.out, overwrite=self.overwrite)
        old = None
        if self.out.exists():
            old = Path(
                tempfile.mkdtemp(prefix=f".{self.out.name}.", suffix=".old", dir=self.out.parent)
            )
            os.replace(self.out, old / "previous")
        os.replace(self.work, self.out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Drop the half-written results; ``out`` is left as it was."""
        if not self._scratch.closed:
            self._scratch.close()
        shutil.rmtree(self.work, ignore_errors=True)


def check_out(out: Path, *, overwrite: bool) -> None:
    """Refuse an output folder that would lose an earlier run's results (or is a file)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} existe y no es una carpeta: elige otra con --out")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise UsageError(
            f"{out} ya contiene resultados: usa --overwrite para sustituirlos, "
            "u otra carpeta con --out"
        )


def main(
    *,
    paths: list[Path],
    out: Path,
    bank: Bank,
    include_key: bool = True,
    overwrite: bool = False,
    per_student: bool = True,
    echo: Callable[[str], Any] | None = None,
) -> int:
    """Grade every file in ``paths`` into ``out``; returns the exit status (see the module doc)."""
    say = echo or (lambda text: print(text, file=sys.stderr))
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        say(f"comprende grade: no existe: {', '.join(missing)}")
        return EXIT_USAGE
    try:
        run = GradingRun(
            bank=bank,
            out=out,
            include_key=include_key,
            overwrite=overwrite,
            per_student=per_student,
        )
    except UsageError as exc:
        say(f"comprende grade: {exc}")
        return EXIT_USAGE
    try:
        for found in find_inputs(paths, exclude=[out, run.work]):
            run.grade(found)
        summary = run.finish()
    except BaseException:
        run.abort()
        raise
    say(summary_text(summary))
    return summary.exit_status


def summary_text(summary: Summary) -> str:
    """The run's outcome for the instructor, in Spanish."""
    lines = [
        f"Corregidos: {summary.students} estudiante(s) ({summary.files_graded} archivo(s)).",
        f"Resultados en {summary.out}/ (gradebook.csv, feedback/, report.html…).",
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
    if summary.not_graded:
        lines.append(
            f"{summary.not_graded} archivo(s) NO corregido(s): ver {summary.out}/errors.csv."
        )
    return "\n".join(lines)

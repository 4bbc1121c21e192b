"""Finding a class's answers files: files, folders and LMS zips, never extracted.

:func:`find_inputs` walks files, folders (recursively) and zip archives (Moodle's and
Canvas's "download all submissions" too) and yields one :class:`Found` per file, in a
stable order. It never raises: whatever goes wrong with one path or one zip entry
becomes a :class:`Found` with its problem, for ``errors.csv``.

Zips are read in memory, never extracted. Refused, each as its own problem: a member
whose path escapes the archive (``..``, ``/…``, ``C:\\…``), one larger than
:data:`~comprende.submission.MAX_BYTES`, a compression ratio above :data:`MAX_RATIO`,
more than :data:`MAX_ARCHIVE_BYTES` in all, more than :data:`MAX_MEMBERS` members, a zip
nested more than one level deep, an encrypted member, a compression method
:mod:`zipfile` cannot read (Deflate64…); a zip whose entries share bytes is refused
whole, and of entries repeating one name only the last counts.

Times (to choose a student's newest file) are seconds since the epoch, UTC: a file's
modification time; a zip entry's UTC field when the zip has one, else its DOS time read
as this computer's local time (:func:`zip_time`).
"""

from __future__ import annotations

import functools
import io
import os
import re
import stat
import struct
import time
import unicodedata
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from .outdir import MANIFEST
from .submission import MAX_BYTES
from .textnorm import fold_id

#: Files read as answers files; anything else found in the inputs is listed in errors.csv.
ANSWER_SUFFIXES = (".json", ".yaml", ".yml")
#: Files read too, and listed as "not an answers file" if they are not one.
MAYBE_SUFFIXES = (".txt",)
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
#: What one zip inside a zip (a student's own upload) may make us read, and its entries.
MAX_NESTED_READ = 64 * 1024 * 1024
MAX_NESTED_MEMBERS = 10_000
#: How deep downloads kept inside zips are opened (a student's own zip is opened, never
#: a zip inside it).
MAX_ZIP_DEPTH = 2
#: Longest text put in one gradebook or warnings cell (a name, a note, a message).
MAX_CELL = 500

#: Characters never printed raw: C0 and C1 controls, bidirectional overrides, surrogates.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with control, bidi-override and surrogate characters shown as escapes.

    File names come from students and LMSs: one must not move the terminal's cursor,
    reverse the text around it, or fail to encode as UTF-8 in a CSV file.
    """
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def clip(text: str, limit: int = MAX_CELL) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(names: list[str], limit: int = 10) -> str:
    """The first ``limit`` names, then how many more."""
    shown = ", ".join(names[:limit])
    return shown + (f" … y {len(names) - limit} más" if len(names) > limit else "")


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
    #: Canvas's attachment id: a later upload has a larger one (0 when unknown).
    attempt: int = 0


@dataclass(frozen=True)
class Found:
    """One file found in the inputs."""

    #: Where it is, for people: a path, or ``archive.zip!/member`` (made printable).
    source: str
    #: Modification time, seconds since the epoch (UTC), to choose among duplicates.
    timestamp: float = 0.0
    #: What an LMS's naming says about it.
    naming: LmsNaming | None = None
    #: Why it cannot be graded (Spanish), when it cannot; with what to do.
    problem: str = ""
    fix: str = ""
    #: Reads its bytes (at most ``MAX_BYTES + 1``).
    read: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)
    #: Its name does not say it is an answers file (.txt, no extension): if it cannot be
    #: read as one, it is reported as "not an answers file".
    guessed: bool = False
    #: (device, inode) of a file on disk, to read each file once.
    inode: tuple[int, int] | None = field(default=None, compare=False, repr=False)


# ----------------------------------------------------------------------------- inputs

#: Moodle's download: ``<name>_<participant>_assignsubmission_<plugin>_`` (a folder, or a
#: file-name prefix), and from Moodle 4.1 the folder without the last ``_``.
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_[a-z]+(?:_(?P<rest>.*))?$")
_CANVAS = re.compile(
    r"^(?P<name>[^\W_]+(?:-[^\W_]+)*)_(?:(?P<late>late)_)?(?P<id>\d{3,})_(?P<sub>\d+)_(?P<rest>.+)$",
    re.IGNORECASE,
)


def lms_naming(relative: str) -> LmsNaming | None:
    """The LMS naming of a path inside a download (Moodle folder or file prefix, Canvas file name)."""
    return _naming(PurePosixPath(relative).parts)


def _naming(parts: tuple[str, ...]) -> LmsNaming | None:
    """:func:`lms_naming` of a path's parts."""
    for part in parts:
        match = _MOODLE.match(part)
        if match:
            name = match["name"].strip()
            # Blind marking: Moodle writes "Participant_<n>_…", with no name at all.
            if fold_id(name) in _ANONYMOUS:
                name = ""
            return LmsNaming("moodle", name, _number(match["id"]))
    match = _CANVAS.match(parts[-1]) if parts else None
    if match:
        return LmsNaming(
            "canvas",
            match["name"],
            _number(match["id"]),
            late=bool(match["late"]),
            attempt=int(match["sub"]) if len(match["sub"]) <= 18 else 0,
        )
    return None


#: What Moodle writes instead of the name under blind marking (its "hiddenuser" string).
_ANONYMOUS = frozenset(
    {
        "participant",
        "participante",
        "partecipante",
        "teilnehmer",
        "teilnehmerin",
        "teilnehmer/in",
        "deelnemer",
        "participant(e)",
    }
)


def _number(digits: str) -> str:
    """An id's digits without leading zeros (never ``int()``: it has a size limit)."""
    return digits.lstrip("0") or "0"


def _letters(text: str) -> str:
    bare = unicodedata.normalize("NFKD", fold_id(text))
    return "".join(c for c in bare if c.isalnum())


def name_matches(naming: LmsNaming, name: str) -> bool:
    """Whether the name in a file agrees with the LMS's, ignoring case, accents and order.

    An LMS that gives no name (Moodle's blind marking) agrees with any."""
    if not naming.name:
        return True
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


def find_inputs(
    paths: Iterable[Path],
    *,
    exclude: Iterable[Path] = (),
    first_read: Callable[[int, int], bool] | None = None,
) -> Iterator[Found]:
    """Every file in ``paths`` (files, folders, zips), in a stable order; never raises.

    Anything that goes wrong while walking one path (an unreadable folder, a zip that
    fails half-way) becomes a :class:`Found` with its problem; the other paths go on.
    A file given twice (or in two inputs) is read once: ``first_read(device, inode)``
    says whether a file is new and records it (by default a set in memory; a run of a
    large class passes its on-disk index).
    """
    excluded = {_real(p) for p in exclude}
    if first_read is None:
        read: set[tuple[int, int]] = set()

        def first_read(device: int, inode: int) -> bool:
            if (device, inode) in read:
                return False
            read.add((device, inode))
            return True

    for path in paths:
        try:
            found = _from_folder(path, excluded) if path.is_dir() else _from_file(path, path.name)
            for one in found:
                if one.inode is not None and not first_read(*one.inode):
                    continue
                yield one
        except Exception as exc:  # one bad input never stops the others
            yield Found(
                printable(str(path)),
                problem=f"no se puede recorrer esta entrada ({reason_of(exc)})",
                fix="comprueba la ruta y los permisos, o entrega esa parte aparte",
            )


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _excluded(folder: str, real_folder: str, name: str, excluded: set[Path]) -> bool:
    """Whether ``folder/name`` is, really, one of ``excluded`` (``real_folder``: the
    folder's real path). Only a link is resolved: any other entry's real path is its
    folder's with its name (resolving each of a class's files costs a stat per level).
    """
    if not excluded:
        return False
    full = os.path.join(folder, name)
    if os.path.islink(full):
        return _real(Path(full)) in excluded
    return Path(real_folder, name) in excluded


def _from_folder(path: Path, excluded: set[Path]) -> Iterator[Found]:
    def unreadable(error: OSError) -> None:
        problems.append(error)

    def reported(folder: str) -> Iterator[Found]:
        while problems:
            error = problems.pop(0)
            yield Found(
                printable(str(error.filename or folder)),
                problem=f"no se puede leer esta carpeta ({error.strerror})",
                fix="comprueba los permisos de la carpeta",
            )

    problems: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(path, onerror=unreadable, followlinks=True):
        here = Path(folder)
        try:
            info = here.stat()
        except OSError as exc:
            problems.append(exc)
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:  # a link back to a folder already read
            dirs[:] = []
            yield Found(
                printable(str(here)),
                problem="esta carpeta es un enlace a otra que ya se ha leído: no se lee dos veces",
                fix="no hace falta hacer nada; si falta alguien, revisa los enlaces de la carpeta",
            )
            continue
        seen.add((info.st_dev, info.st_ino))
        if (here / MANIFEST).exists():  # an earlier run's results, given as input
            dirs[:] = []
            yield Found(
                printable(str(here)),
                problem="es una carpeta de resultados de comprende, no de entregas: no se lee",
                fix="quita esa carpeta de las entradas (o guárdala fuera de la de entregas)",
            )
            continue
        real_here = str(_real(here)) if excluded else ""
        dirs[:] = sorted(
            d for d in dirs if not _skipped(d) and not _excluded(folder, real_here, d, excluded)
        )
        at = here.relative_to(path).as_posix()
        for name in sorted(files):
            if _skipped(name) or _excluded(folder, real_here, name, excluded):
                continue
            relative = name if at == "." else f"{at}/{name}"
            try:
                yield from _from_file(here / name, relative)
            except Exception as exc:  # one file never stops the others
                yield Found(
                    printable(str(here / name)),
                    problem=f"no se puede leer el archivo ({reason_of(exc)})",
                    fix="comprueba el archivo y vuelve a ejecutar la corrección",
                )
        yield from reported(folder)
    # A folder that could not be read after the last one that could (os.walk reports it
    # before it would have yielded it) is reported too, not lost.
    yield from reported(str(path))


def _from_file(path: Path, relative: str) -> Iterator[Found]:
    source = printable(str(path))
    try:
        info = path.stat()
    except OSError as exc:
        yield Found(
            source,
            problem=f"no se puede leer el archivo ({exc.strerror})",
            fix="comprueba la ruta y los permisos (¿un enlace simbólico roto?)",
        )
        return
    if not stat.S_ISREG(info.st_mode):
        yield Found(
            source, problem="no es un archivo normal", fix="entrega solo archivos de respuestas"
        )
        return
    kind = _kind(path.name)
    # ``relative`` is made of a walk's names (none empty or "."): its parts are its pieces.
    naming = _naming(tuple(printable(relative).split("/")))
    if kind == "zip":
        # A zip inside an LMS download's folder is a student's own upload: its files are
        # that participant's, whatever their names say (as for a zip inside the zip).
        depth = 1 if naming is not None else 0
        yield from _from_zip(_OnDisk(path), source, _Budget(), depth, naming)
        return
    if _lms_own_file(tuple(relative.split("/"))):  # Moodle's online-text page: skipped
        return
    if kind == "other":
        yield _not_answers(source)
        return

    def read() -> bytes:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)

    yield Found(
        source,
        _believable(info.st_mtime),
        naming,
        read=read,
        guessed=kind == "maybe",
        inode=(info.st_dev, info.st_ino),
    )


class _Budget:
    """What one zip may still make us read, and how many of its entries we still look at."""

    def __init__(self, size: int | None = None, members: int | None = None) -> None:
        self.size = MAX_ARCHIVE_BYTES if size is None else size
        self.bytes = self.size
        self.limit = MAX_MEMBERS if members is None else members
        self.members = self.limit


#: Compression methods :mod:`zipfile` can read (stored, deflate, bzip2, LZMA).
_READABLE_METHODS = frozenset({0, 8, 12, 14})
_METHOD_NAMES = {9: "Deflate64", 6: "Implode", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES"}
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


class _OnDisk:
    """A zip file on disk, opened when read and shared: only a few stay open at once.

    The pytest route collects every file before it reads any, so a class of per-student
    zips would otherwise hold one open file each (and run out of them).
    """

    _open: ClassVar[OrderedDict[str, zipfile.ZipFile]] = OrderedDict()
    _KEEP: ClassVar[int] = 4

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __call__(self) -> zipfile.ZipFile:
        archive = self._open.pop(self.path, None)
        if archive is None or archive.fp is None:
            archive = zipfile.ZipFile(self.path)
        self._open[self.path] = archive
        while len(self._open) > self._KEEP:
            _, oldest = self._open.popitem(last=False)
            oldest.close()
        return archive


def _in_memory(opener: Callable[[], Any]) -> Callable[[], zipfile.ZipFile]:
    """A zip read from inside another one: opened once, kept in memory."""
    archive: list[zipfile.ZipFile] = []

    def get() -> zipfile.ZipFile:
        if not archive:
            archive.append(zipfile.ZipFile(opener()))
        return archive[0]

    return get


def _zip_overlaps(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bool:
    """Whether two entries share bytes (a crafted zip: one deflate stream counted many times)."""
    handle = archive.fp
    if handle is None:
        return False
    end = -1
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end:
            return True
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size:
            return True
        fields = _LOCAL_HEADER.unpack(header)
        end = info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11] + info.compress_size
    return end > archive.start_dir


def _from_zip(
    opener: Callable[[], zipfile.ZipFile],
    source: str,
    budget: _Budget,
    depth: int,
    owner: LmsNaming | None = None,
) -> Iterator[Found]:
    """The files of a zip. In a zip inside a zip (a student's own upload) every file
    belongs to ``owner``, the outer entry's LMS participant: the inner names are the
    student's and never say who it is."""
    opened = _open_zip(opener, source)
    if isinstance(opened, Found):
        yield opened
        return
    archive, infos = opened
    upload = depth >= 1 and owner is not None  # a student's own zip, inside a download
    if upload:  # a budget of its own, so it costs no one else
        budget = _Budget(MAX_NESTED_READ, MAX_NESTED_MEMBERS)
    elif depth >= 1:  # a download kept inside a zip: read as the download it is
        budget = _Budget()
    last = {info.filename: info for info in infos}
    ordered = sorted(infos, key=lambda i: i.filename)
    results = _result_folders(infos)
    for prefix in results:
        yield Found(
            f"{source}!/{printable(prefix)}" if prefix else source,
            problem="es una carpeta de resultados de comprende, no de entregas: no se lee",
            fix="quita esa carpeta de las entradas (o guárdala fuera de la de entregas)",
        )
    if results:
        ordered = [i for i in ordered if not any(i.filename.startswith(p) for p in results)]
    others: list[str] = []
    for index, info in enumerate(ordered):
        if budget.members <= 0:
            yield Found(
                source,
                problem=f"el zip tiene más de {_thousands(budget.limit)} archivos: no se leen "
                f"los {_thousands(len(ordered) - index)} restantes",
                fix="divide la entrega en varios zips",
            )
            break
        member = f"{source}!/{printable(info.filename)}"
        if last[info.filename] is not info:
            yield Found(
                member,
                problem="el zip repite esta entrada con el mismo nombre: solo cuenta la última",
                fix="si falta una entrega, pide al estudiante que la vuelva a subir",
            )
            continue
        if (
            upload
            and _kind(info.filename) in ("other", "maybe")
            and not info.is_dir()
            and not any(_skipped(p) for p in PurePosixPath(info.filename).parts)
        ):  # (hidden and junk files, a Mac's .DS_Store and __MACOSX, are skipped silently)
            budget.members -= 1
            others.append(printable(PurePosixPath(info.filename).name))
            continue  # counted, and said once for the whole zip below
        try:
            yield from _member(opener, archive, info, member, budget, depth, owner)
        except Exception as exc:  # one entry never stops the rest of the download
            yield Found(
                member,
                problem=f"no se puede leer esta entrada del zip ({reason_of(exc)})",
                fix="descárgala de nuevo o pide al estudiante que la entregue otra vez",
            )
    if others:
        yield _others_in_upload(source, others)


def _open_zip(
    opener: Callable[[], zipfile.ZipFile], source: str
) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]] | Found:
    """The archive and its entries, or why it is not read: damaged, not a zip, or entries
    that share their data (a zip bomb's trick)."""
    try:
        archive = opener()
        infos = archive.infolist()
        overlapping = _zip_overlaps(archive, infos)
    except Exception as exc:
        return Found(
            source,
            problem=f"el archivo zip está dañado o no es un zip ({reason_of(exc)})",
            fix="descárgalo de nuevo desde la plataforma",
        )
    if overlapping:
        return Found(
            source,
            problem="el zip tiene entradas que comparten los mismos datos (un zip manipulado "
            "o dañado): no se lee",
            fix="descárgalo de nuevo desde la plataforma",
        )
    return archive, infos


def _result_folders(infos: list[zipfile.ZipInfo]) -> list[str]:
    """The folders of the zip (as prefixes, "" for its root) that hold earlier results
    (their manifest), zipped and given as input: each is one problem, not one per file."""
    return sorted(
        {i.filename[: -len(MANIFEST)] for i in infos if PurePosixPath(i.filename).name == MANIFEST}
    )


def _others_in_upload(source: str, others: list[str]) -> Found:
    """A student's zip holding files that are not answers files: one row, naming three."""
    shown = ", ".join(others[:3]) + (f" … y {len(others) - 3} más" if len(others) > 3 else "")
    return Found(
        source,
        problem=f"el zip tiene {_thousands(len(others))} archivo(s) que no son de "
        f"respuestas ({shown}): no se leen",
        fix="si falta el archivo de respuestas, pídeselo al estudiante",
    )


def _member(
    opener: Callable[[], zipfile.ZipFile],
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    member: str,
    budget: _Budget,
    depth: int,
    owner: LmsNaming | None,
) -> Iterator[Found]:
    """What one zip entry is: a refusal, a zip to open, or an answers file to read."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if info.is_dir() or not parts:
        return
    if name.startswith(("/", "\\")) or ".." in parts or _DRIVE.match(name):
        yield Found(
            member,
            problem="la ruta de este archivo sale de la carpeta del zip "
            "(«..» o ruta absoluta): no se lee",
            fix="revisa de dónde viene este zip",
        )
        return
    if any(_skipped(p) for p in parts) or _lms_own_file(parts):
        return
    budget.members -= 1
    relative = printable("/".join(parts))
    kind = _kind(parts[-1])
    upload = depth >= 1 and owner is not None
    if kind == "other":
        yield _not_answers(member)  # never read, so it costs the budget nothing
        return
    problem, fix = _member_problem(info, parts, budget)
    if problem:
        yield Found(member, problem=problem, fix=fix)
        return
    # Inside a student's own upload the names are the student's, never who they are;
    # a zip with no participant (a download kept in a zip) is read like the download.
    naming = owner if upload else lms_naming(relative)
    if kind == "zip":
        # One zip level for a download, one for a download kept in a zip, then only a
        # student's own upload (which names its participant); never a zip in an upload.
        deeper = depth + 1
        if upload or deeper > MAX_ZIP_DEPTH or (deeper == MAX_ZIP_DEPTH and naming is None):
            yield Found(
                member,
                problem="zip dentro de un zip dentro de un zip: no se abre",
                fix="descomprime los zips interiores y vuelve a ejecutar la corrección",
            )
            return
        opener = _in_memory(functools.partial(_member_stream, archive, info, MAX_NESTED_ZIP_BYTES))
        yield from _from_zip(opener, member, budget, depth + 1, naming)
        return
    yield Found(
        member,
        zip_time(info),
        naming,
        read=functools.partial(_read_through, opener, info, MAX_BYTES),
        guessed=kind == "maybe",
    )


def _kind(name: str) -> str:
    """``zip``, ``answers`` (.json, .yaml, .yml), ``maybe`` (.txt or no extension: Windows
    hides extensions, so «respuestas.json.txt» is often an answers file) or ``other``."""
    if "/" in name:
        name = PurePosixPath(name).name
    dot = name.rfind(".")  # pathlib's suffix: the last dot, not first nor last character
    suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""
    if suffix == ".zip":
        return "zip"
    if suffix in ANSWER_SUFFIXES:
        return "answers"
    if suffix in MAYBE_SUFFIXES or not suffix:
        return "maybe"
    return "other"


_ONLINE_TEXT = re.compile(r"_\d+_assignsubmission_onlinetext_?(?:/|_)?onlinetext\.html$", re.I)


def _lms_own_file(parts: tuple[str, ...]) -> bool:
    """Files an LMS adds to its download that are not students' uploads (Moodle's
    online-text page of each submission, in a folder or with the flat naming)."""
    return _ONLINE_TEXT.search("/".join(parts[-2:])) is not None


#: A Windows drive path (``C:\\…``, ``C:/…``); ``P:respuestas.json`` is an ordinary name.
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _member_problem(
    info: zipfile.ZipInfo, parts: tuple[str, ...], budget: _Budget
) -> tuple[str, str]:
    """Why a zip entry is not read (in Spanish), with what to do; empty when it is fine."""
    if info.flag_bits & 0x1:
        return (
            "el archivo está cifrado con contraseña",
            "pide al estudiante el archivo sin contraseña",
        )
    if info.compress_type not in _READABLE_METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"método {info.compress_type}")
        return (
            f"el archivo está comprimido con un método que no se puede leer ({method})",
            "descomprime el zip y vuelve a comprimirlo con la compresión normal (Deflate)",
        )
    limit = MAX_NESTED_ZIP_BYTES if parts[-1].lower().endswith(".zip") else MAX_BYTES
    if info.file_size > limit:
        return (
            f"el archivo ocupa {_thousands(info.file_size)} bytes sin comprimir; el máximo es {_thousands(limit)}",
            "entrega solo el archivo de respuestas",
        )
    if (
        info.compress_size
        and info.file_size / info.compress_size > MAX_RATIO
        and info.file_size > 65536
    ):
        return (
            f"el archivo se expande {info.file_size // info.compress_size}× al "
            "descomprimirlo: parece una bomba zip y no se lee",
            "revisa de dónde viene este zip",
        )
    budget.bytes -= info.file_size
    if budget.bytes < 0:
        return (
            f"el zip se expande a más de {_thousands(budget.size)} bytes: no se leen más archivos",
            "divide la entrega en varios zips",
        )
    return "", ""


def zip_time(info: zipfile.ZipInfo) -> float:
    """A zip entry's modification time, in seconds since the epoch (UTC).

    The zip's own UTC fields are used when present (the extended timestamp ``UT``
    and NTFS extra fields); otherwise the DOS time, which has no zone, is read as
    this computer's local time (``TZ``), as the LMS wrote it in its server's.
    """
    extra = info.extra
    index = 0
    while index + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, index)
        body = extra[index + 4 : index + 4 + size]
        if tag == 0x5455 and len(body) >= 5 and body[0] & 1:
            return _believable(float(struct.unpack_from("<i", body, 1)[0]))
        if tag == 0x000A and len(body) >= 32 and body[4:8] == b"\x01\x00\x18\x00":
            filetime = struct.unpack_from("<Q", body, 8)[0]
            return _believable(filetime / 10_000_000 - 11_644_473_600)
        index += 4 + size
    try:
        return _believable(time.mktime((*info.date_time, 0, 0, -1)))
    except (OverflowError, ValueError):
        return 0.0


def _believable(moment: float) -> float:
    """A file's time, or 0 (the oldest) if it is more than a day in the future: a date
    set by hand must not make a file "the newest" and replace a student's real one."""
    return 0.0 if moment > time.time() + 86_400 else moment


def _member_stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> io.BytesIO:
    return io.BytesIO(_read_member(archive, info, limit))


def _read_through(
    opener: Callable[[], zipfile.ZipFile], info: zipfile.ZipInfo, limit: int
) -> bytes:
    """An entry's bytes, its zip opened again if it was closed meanwhile."""
    return _read_member(opener(), info, limit)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as handle:
        return handle.read(limit + 1)


def _thousands(number: int) -> str:
    """``1.048.576``: Spanish digit grouping."""
    return f"{number:,}".replace(",", ".")


def reason_of(exc: BaseException) -> str:
    """An exception as a short, printable reason."""
    text = printable(str(exc)) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"

"""The one place that creates, fills and replaces a results folder (``--out``).

Use::

    with OutputFolder(out, inputs=paths, overwrite=False) as folder:
        for text in folder.notices:      # leftovers of killed runs, cleaned or kept
            print(text)
        ...write the results into folder.work...
        folder.commit()                  # manifest, then the atomic swap

``OutputFolder(out, *, inputs, overwrite, tool="comprende grade")`` checks ``out``, takes
its lock, deals with what killed runs left and creates :attr:`~OutputFolder.work`; any
reason not to start is a :class:`~comprende.errors.UsageError` whose Spanish message
says why and what to do (and what was recovered first, if anything).
:meth:`~OutputFolder.commit` puts the results in place, or raises ``UsageError`` with
``out`` as it was; :meth:`~OutputFolder.abort` (also what leaving the ``with`` block
without committing does) drops them. Both release the lock; :attr:`~OutputFolder.notices`
may grow in :meth:`~OutputFolder.commit`. :meth:`~OutputFolder.failure` words an
``OSError`` met while writing into ``work`` (a full disk) for the instructor.

The rules: **nothing comprende did not write is deleted or overwritten, and a failure
leaves the earlier results as they were.**

1. ``out`` may not be, contain or lie inside an input (real paths: symlinks and ``..``
   resolved, and the same inode counts as the same folder), nor be the current folder,
   the home folder or one of their ancestors (so never ``/``), nor the root of a disk.
   ``out`` itself may not be a symlink or a file.
2. A folder comprende wrote holds :data:`MANIFEST`: tool, version and every
   folder and file written, with size and SHA-256. ``overwrite`` replaces only such a
   folder, and only while no file was added to it or changed; any other non-empty folder
   is refused whatever the flags, with a message listing what is in it. An empty folder
   is fine.
3. The results are written in ``work``, a hidden sibling ``.{name}.<random>.tmp`` that
   holds :data:`MARKER`. :meth:`commit` writes the manifest, renames the old folder aside
   (``.{name}.<random>.old``), renames ``work`` into place, then deletes the old folder
   after checking it against its manifest again (only entries found inside it, so a
   manifest cannot name a path elsewhere). An error at any step puts the old folder back.
   Under the lock, leftovers of killed runs are dealt with first: a ``.tmp`` carrying
   our marker is deleted; a ``.old`` is put back if ``out`` is missing (a kill in the
   middle of the swap), deleted if ``out`` holds complete results, and otherwise kept
   and reported. Nothing without our marker or a manifest that still matches is deleted.
4. A lock (``fcntl.flock`` on ``.{name}.lock`` next to ``out``) is taken before any
   work; a second run on the same ``out`` is told at once who holds it (pid, host,
   start). The kernel drops it when the process dies.
5. ``out``'s parent is created if missing (and removed again if the run does not
   start); a parent that is a file, cannot be created or cannot be written is a
   ``UsageError``. Names in messages are escaped for the terminal.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import errno
import functools
import hashlib
import heapq
import itertools
import json
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from . import __version__
from .errors import UsageError

try:
    import fcntl
except ImportError:  # Windows: msvcrt's byte-range lock instead (untested there)
    fcntl = None  # type: ignore[assignment]
    import msvcrt

#: The manifest at the top of every results folder comprende wrote.
MANIFEST = ".comprende-manifest.json"
#: The marker at the top of a work folder being written.
MARKER = ".comprende-work.json"
_FORMAT = 1
_SHOWN = 5  # names listed in a message before "… y N más"


class OutputFolder:
    """A results folder being written: checked and locked; see the module doc."""

    def __init__(
        self,
        out: Path,
        *,
        inputs: Sequence[Path],
        overwrite: bool,
        tool: str = "comprende grade",
    ) -> None:
        self.shown = str(out)
        self.overwrite = overwrite
        self.tool = tool
        #: What was cleaned or recovered, or is left for the instructor, in Spanish.
        self.notices: list[str] = []
        self.path = _real_out(Path(out), self.shown)
        _refuse_overlap(self.path, self.shown, inputs)
        self.name, self.parent = self.path.name, self.path.parent
        self._made = _make_parent(self.parent)
        self._started = time.time()
        self._lock_path = self.parent / f".{self.name}.lock"
        self._lock_fd: int | None = None
        self._state = "open"
        try:
            self._lock_fd = _lock(self._lock_path, self._record("lock"), self.shown)
            self.notices += map(_clean, _recover(self.parent, self.name, self.path))
            self._check_out()
            #: The hidden folder to write the results into.
            self.work = self._make_work()
        except BaseException as exc:
            self._state = "aborted"
            self._release()
            _remove_made(self._made)
            if isinstance(exc, OSError):
                exc = _usage(_unwritable(self.parent, exc))
            if isinstance(exc, UsageError):  # with what was recovered, which is news too
                raise _usage("\n".join([str(exc), *self.notices])) from None
            raise

    # -- the two ways out

    def commit(self) -> None:
        """Write the manifest and swap ``work`` into place.

        On any error ``out`` is kept as it was, ``work`` is dropped, and an ``OSError``
        (a full disk…) becomes a :class:`UsageError` saying so.
        """
        if self._state != "open":
            raise RuntimeError(f"OutputFolder already {self._state}")
        try:
            _write_manifest(self.work, self.tool)
            (self.work / MARKER).unlink()
            self._check_out()
            old = self._swap()
        except OSError as exc:
            self.abort()
            raise _usage(self.failure(exc)) from exc
        except BaseException:
            self.abort()
            raise
        self._state = "committed"
        if old is not None and (left := _remove_results(old)):
            self.notices.append(_clean(left))
        self._release()

    def abort(self) -> None:
        """Drop ``work`` and release the lock; ``out`` is not touched. Safe to call twice."""
        if self._state == "open":
            self._state = "aborted"
            if os.path.lexists(self.work) and not _remove_work(self.work):
                self.notices.append(_clean(f"no se ha podido borrar {self.work}: bórrala tú"))
        self._release()
        if self._state == "aborted":
            _remove_made(self._made)

    def failure(self, exc: BaseException) -> str:
        """The Spanish message for an error while writing the results (a full disk…)."""
        kept = (
            "los anteriores siguen como estaban"
            if os.path.lexists(self.path)
            else "no se ha escrito nada"
        )
        return _clean(
            f"no se han podido guardar los resultados en {self.shown} ({_why(exc)}): {kept}. "
            "Arregla el problema (por ejemplo, libera espacio) y vuelve a ejecutar."
        )

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()

    # -- steps

    def _record(self, kind: str) -> dict[str, Any]:
        return {
            "comprende": kind,
            "tool": self.tool,
            "out": self.name,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": self._started,
        }

    def _check_out(self) -> None:
        """Refuse an ``out`` that is not ours to replace (rule 2)."""
        shown, path = self.shown, self.path
        if os.path.islink(path):
            raise _usage(_symlink_message(shown))
        if not os.path.lexists(path):
            return
        if not path.is_dir():
            raise _usage(f"{shown} existe y no es una carpeta: elige otra con --out")
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            raise _usage(
                f"no se puede leer {shown} ({_why(exc)}): elige otra carpeta con --out"
            ) from None
        if not names:
            return
        manifest = _read_manifest(path)
        if manifest is None:
            raise _usage(
                f"{shown} no está vacía y no la ha escrito comprende (contiene: {_names(names)}): "
                "comprende nunca borra ni sustituye lo que no ha escrito, ni con --overwrite. "
                "Elige otra carpeta con --out, nueva o vacía."
            )
        foreign = _foreign(path, manifest)
        if foreign:
            raise _usage(
                f"{shown} tiene resultados de comprende, pero también archivos que comprende no "
                f"escribió o que han cambiado desde entonces ({_names(foreign)}): comprende no los "
                "borra, ni con --overwrite. Llévalos a otro sitio o elige otra carpeta con --out."
            )
        if not self.overwrite:
            raise _usage(
                f"{shown} ya contiene resultados: usa --overwrite para sustituirlos, "
                "u otra carpeta con --out"
            )

    def _make_work(self) -> Path:
        try:
            work = Path(tempfile.mkdtemp(prefix=f".{self.name}.", suffix=".tmp", dir=self.parent))
        except OSError as exc:
            raise _usage(_unwritable(self.parent, exc)) from None
        try:
            os.chmod(work, 0o777 & ~_umask())
            _write_json(work / MARKER, self._record("work"))
        except OSError as exc:
            _remove_work(work)
            raise _usage(_unwritable(self.parent, exc)) from None
        return work

    def _swap(self) -> Path | None:
        """Rename the old folder aside and ``work`` into place; returns the old one."""
        old = None
        if os.path.lexists(self.path):
            old = Path(tempfile.mkdtemp(prefix=f".{self.name}.", suffix=".old", dir=self.parent))
            if os.name == "nt":  # there a folder cannot be renamed onto an empty one
                old.rmdir()
            try:
                os.replace(self.path, old)
            except BaseException:
                with contextlib.suppress(OSError):
                    old.rmdir()
                raise
        try:
            os.replace(self.work, self.path)
        except BaseException as exc:
            if old is not None:
                try:
                    os.replace(old, self.path)
                except OSError as again:
                    raise _usage(
                        f"no se han podido poner los resultados nuevos en {self.shown} "
                        f"({_why(exc)}), ni devolver allí los anteriores ({_why(again)}): "
                        f"los anteriores están en {old}. Vuelve a ejecutar y comprende los "
                        f"devolverá a su sitio, o cámbiale tú el nombre a {self.shown}."
                    ) from exc
            raise
        _sync_dir(self.parent)
        return old

    def _release(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._lock_path)  # while still holding it; see _lock
            os.close(self._lock_fd)
            self._lock_fd = None


# -- rule 1: where out may be


def _real_out(out: Path, shown: str) -> Path:
    if os.path.islink(out):
        raise _usage(_symlink_message(shown))
    real = Path(os.path.realpath(out))
    forbidden: list[tuple[Path, str]] = []
    with contextlib.suppress(OSError):
        forbidden.append((Path(os.path.realpath(os.getcwd())), "la carpeta actual"))
    with contextlib.suppress(RuntimeError, KeyError):
        forbidden.append((Path(os.path.realpath(Path.home())), "tu carpeta personal"))
    for place, what in forbidden:
        if real == place or real in place.parents:
            which = "es" if real == place else "contiene"
            raise _usage(
                f"--out {shown} {which} {what} ({real}): los resultados se mezclarían con tus "
                "archivos. Elige una carpeta nueva solo para ellos, por ejemplo --out resultados."
            )
    if os.path.ismount(real):
        raise _usage(
            f"--out {shown} es la raíz de un disco, y comprende necesita poder cambiarle el "
            f"nombre: elige una carpeta dentro, por ejemplo --out {Path(shown) / 'resultados'}."
        )
    return real


def _refuse_overlap(real: Path, shown: str, inputs: Iterable[Path]) -> None:
    inode = functools.cache(_inode)  # many inputs share their parents
    out_chain = _inodes(real, inode)
    out_id = inode(real)
    for given in inputs:
        found = Path(os.path.realpath(given))
        in_chain = _inodes(found, inode)
        in_id = inode(found)
        if found == real or (out_id is not None and out_id == in_id):
            how = "es también una entrada"
        elif found.is_relative_to(real) or (out_id is not None and out_id in in_chain):
            how = f"contiene la entrada {given}"
        elif real.is_relative_to(found) or (in_id is not None and in_id in out_chain):
            how = f"está dentro de la entrada {given}"
        else:
            continue
        raise _usage(
            f"--out {shown} {how}: comprende podría borrar o leer como entregas sus propios "
            "resultados. Elige una carpeta de resultados fuera de las entregas, por ejemplo "
            "--out resultados."
        )


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _inodes(path: Path, inode: Callable[[Path], tuple[int, int] | None]) -> set[tuple[int, int]]:
    """The inodes of ``path`` and of every existing folder above it."""
    found = (inode(p) for p in (path, *path.parents))
    return {i for i in found if i is not None}


def _make_parent(parent: Path) -> list[Path]:
    """Create ``parent`` if needed (rule 5); returns the folders created, innermost first."""
    missing = []
    here = parent
    while not os.path.lexists(here):
        missing.append(here)
        here = here.parent
    if not here.is_dir():
        raise _usage(
            f"{here} es un archivo, no una carpeta: no se puede crear {parent} dentro. "
            "Elige otra ruta con --out."
        )
    for i, folder in enumerate(reversed(missing)):
        try:
            folder.mkdir()
        except OSError as exc:
            _remove_made(missing[len(missing) - i :])
            raise _usage(
                f"no se puede crear la carpeta {folder} ({_why(exc)}): créala tú o elige otra "
                "ruta con --out."
            ) from None
    return missing


def _remove_made(made: list[Path]) -> None:
    """Remove the parent folders :func:`_make_parent` created, if still empty."""
    for folder in made:
        with contextlib.suppress(OSError):
            folder.rmdir()
    made.clear()


# -- rule 4: the lock


def _lock(path: Path, record: dict[str, Any], shown: str) -> int:
    """Take the lock at ``path`` without waiting and write who holds it; returns its fd.

    The holder deletes the file on release, so after locking check that the path still
    names the file we hold (else we locked a deleted file: try again).
    """
    for _ in range(100):
        try:
            fd = os.open(path, _LOCK_FLAGS, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _usage(
                    f"{path} es un enlace simbólico y comprende lo necesita para su bloqueo: "
                    "bórralo o elige otra carpeta con --out."
                ) from None
            raise _usage(_unwritable(path.parent, exc)) from None
        try:
            _try_lock(fd)
        except OSError as exc:
            holder = _holder(fd)
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise _usage(
                    f"no se puede bloquear {path} ({_why(exc)}): elige --out en un disco local."
                ) from None
            raise _usage(
                f"otra ejecución de comprende{holder} está escribiendo en {shown}: espera a que "
                "termine o elige otra carpeta con --out."
            ) from None
        held = os.fstat(fd)
        try:
            now = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino):
            os.close(fd)
            continue
        return _claim(fd, path, record)
    raise _usage(f"no se consigue el bloqueo {path}: inténtalo de nuevo.")


_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _try_lock(fd: int) -> None:
    """Lock ``fd`` for this process, or raise ``OSError`` (EWOULDBLOCK…) at once."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


def _read_fd(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096)


def _claim(fd: int, path: Path, record: dict[str, Any]) -> int:
    """Write ``record`` into the lock file we hold, unless it is someone else's file."""
    try:
        before = _read_fd(fd)
        if before.strip() and _json(before).get("comprende") != "lock":
            raise _usage(
                f"{path} existe y no lo ha creado comprende: llévalo a otro sitio o elige otra "
                "carpeta con --out."
            )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(record).encode())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(path)  # ours (empty or a lock record), and still held
        os.close(fd)
        raise _usage(_unwritable(path.parent, exc)) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _holder(fd: int) -> str:
    """`` (pid …, iniciada …)``: who holds the lock, as its file says; "" if unknown."""
    try:
        data = _json(_read_fd(fd))
        pid, host = int(data["pid"]), str(data["host"])
        started = _when(float(data["started"]))
    except (OSError, KeyError, TypeError, ValueError, OverflowError):
        return ""
    return f" ({data.get('tool', 'comprende')}, pid {pid} en {host}, iniciada el {started})"


# -- rule 3: what killed runs left


def _recover(parent: Path, name: str, path: Path) -> list[str]:
    """Clean or restore the leftovers of killed runs on ``out``; the lock must be held."""
    pattern = re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]+\.(tmp|old)")
    notices: list[str] = []
    olds: list[Path] = []
    for entry in sorted(os.scandir(parent), key=lambda e: e.name):
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        left = Path(entry.path)
        if match[1] == "old":
            olds.append(left)
            continue
        marker = _read_json(left / MARKER)
        if marker.get("comprende") == "work" and marker.get("out") == name:
            if _remove_work(left):
                notices.append(
                    f"se ha borrado {left}: resultados a medias de una ejecución interrumpida"
                    f"{_by(marker)}."
                )
            else:
                notices.append(f"no se ha podido borrar {left}, de una ejecución interrumpida.")
        elif (manifest := _read_manifest(left)) is not None and not _foreign(left, manifest):
            notices.append(
                _remove_results(left)
                or f"se ha borrado {left}: resultados de una ejecución interrumpida."
            )
        else:
            notices.append(
                f"se ha dejado {left}: no lleva la marca de comprende; bórrala tú si no la necesitas."
            )
    restorable = [old for old in olds if _is_ours(old)]
    if restorable and not os.path.lexists(path):
        newest = max(restorable, key=lambda p: (p / MANIFEST).stat().st_mtime)
        try:
            os.replace(newest, path)
        except OSError as exc:
            raise _usage(
                f"una ejecución se interrumpió mientras sustituía los resultados de {path}, y "
                f"no se pueden devolver a su sitio ({_why(exc)}): están en {newest}; cámbiale "
                f"el nombre a {path}."
            ) from None
        olds.remove(newest)
        notices.append(
            f"se han recuperado los resultados anteriores en {path}: una ejecución se interrumpió "
            "mientras los sustituía."
        )
    complete = _read_manifest(path) is not None
    for old in olds:
        with contextlib.suppress(OSError):
            old.rmdir()  # empty: a name reserved for a swap that never happened
            continue
        if complete and _is_ours(old):
            notices.append(
                _remove_results(old)
                or f"se ha borrado {old}: resultados antiguos que una ejecución interrumpida no llegó a borrar."
            )
        else:
            notices.append(f"se han dejado resultados antiguos en {old}: revísalos y bórralos tú.")
    return notices


def _is_ours(old: Path) -> bool:
    """An aside folder we may restore or delete: empty, or with a manifest still matching."""
    try:
        if not os.listdir(old):
            return True
    except OSError:
        return False
    manifest = _read_manifest(old)
    return manifest is not None and not _foreign(old, manifest)


def _by(marker: dict[str, Any]) -> str:
    try:
        return f" (pid {int(marker['pid'])}, iniciada el {_when(float(marker['started']))})"
    except (KeyError, TypeError, ValueError, OverflowError):
        return ""


# -- rule 2: the manifest


def _write_manifest(work: Path, tool: str) -> None:
    """The manifest, written as it is made: a class's files are never all in memory.

    The text is the one ``json.dump(manifest, indent=1, sort_keys=True)`` writes (the
    files in sorted order, each hashed in turn); ``dirs`` in the order of :func:`_walk`.
    """
    head = {"comprende": "results", "dirs": _dirs(work)}
    tail = {"format": _FORMAT, "tool": tool, "version": __version__}
    with open(work / MANIFEST, "x", encoding="utf-8") as handle:
        handle.write(json.dumps(head, indent=1, sort_keys=True)[:-2] + ',\n "files": {')
        separator = "\n"
        for rel, (size, digest) in _digests(work, _files(work, "")):
            entry = json.dumps({"sha256": digest, "size": size}, indent=1, sort_keys=True)
            handle.write(
                f"{separator}  {json.dumps(rel)}: {entry.replace(chr(10), chr(10) + '  ')}"
            )
            separator = ",\n"
        handle.write("\n }" if separator == ",\n" else "}")
        handle.write(",\n" + json.dumps(tail, indent=1, sort_keys=True)[2:] + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _digests(folder: Path, rels: Iterable[str]) -> Iterator[tuple[str, tuple[int, str]]]:
    """``(rel, (size, SHA-256))`` of each file, in order, hashed by two threads (reading
    and hashing release the interpreter), a few hundred files at a time."""
    rels = iter(rels)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        while chunk := list(itertools.islice(rels, 256)):
            yield from zip(chunk, pool.map(lambda rel: _digest(folder / rel), chunk), strict=True)


def _dirs(folder: Path, base: str = "") -> list[str]:
    """The folders under ``folder`` (no links), in :func:`_walk`'s order."""
    names = sorted(
        entry.name for entry in os.scandir(folder) if entry.is_dir() and not entry.is_symlink()
    )
    found = [f"{base}{name}" for name in names if base or name not in (MANIFEST, MARKER)]
    for name in names:
        found += _dirs(folder / name, f"{base}{name}/")
    return found


def _files(folder: Path, base: str) -> Iterator[str]:
    """The regular files under ``folder`` (not links, not in linked folders), by path in
    sorted order: a folder's entries sort by name, a folder's with a "/" after it."""
    folders: list[str] = []
    with contextlib.ExitStack() as stack:
        names = _sorted_names(folder, folders, stack)
        folders.sort()
        for name in heapq.merge(names, folders):
            if name.endswith("/"):  # (a file's name never ends so)
                yield from _files(folder / name, base + name)
            elif base or name not in (MANIFEST, MARKER):
                yield base + name


#: A folder's file names sorted in memory up to this many; beyond, in sorted runs on
#: disk, merged (a class's feedback folder holds one file per student).
_NAMES_IN_MEMORY = 5_000


def _sorted_names(folder: Path, folders: list[str], stack: contextlib.ExitStack) -> Iterator[str]:
    """``folder``'s regular files' names, sorted; its folders' (with "/") go in ``folders``."""
    names: list[str] = []
    runs: list[Iterator[str]] = []
    for entry in os.scandir(folder):
        if entry.is_dir() and not entry.is_symlink():
            folders.append(entry.name + "/")
        elif entry.is_file(follow_symlinks=False):
            names.append(entry.name)
            if len(names) >= _NAMES_IN_MEMORY:
                runs.append(_spill(sorted(names), stack))
                names = []
    names.sort()
    if not runs:
        return iter(names)
    runs.append(iter(names))
    return heapq.merge(*runs)


def _spill(names: list[str], stack: contextlib.ExitStack) -> Iterator[str]:
    """``names`` (sorted) written to a temporary file, read back one by one (as JSON, so
    that any name, line breaks and undecodable bytes included, comes back the same)."""
    handle = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))  # noqa: SIM115
    handle.writelines(json.dumps(name) + "\n" for name in names)
    handle.seek(0)
    return (json.loads(line) for line in handle)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    data = _read_json(folder / MANIFEST)
    if (
        data.get("comprende") != "results"
        or data.get("format") != _FORMAT
        or not isinstance(data.get("files"), dict)
        or not isinstance(data.get("dirs"), list)
        or not all(isinstance(v, dict) for v in data["files"].values())
        or not all(isinstance(d, str) for d in data["dirs"])
    ):
        return None
    return data


def _foreign(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """What in ``folder`` comprende did not write as it is: added, changed, or not a file."""
    files: dict[str, dict[str, Any]] = manifest["files"]
    dirs = set(manifest["dirs"])
    foreign = []
    for rel, kind in _walk(folder):
        if rel == MANIFEST:
            continue
        if kind == "dir" and rel in dirs:
            continue
        listed = files.get(rel) if kind == "file" else None
        if listed is None:
            foreign.append(rel)
            continue
        if not _matches(folder / rel, listed):
            foreign.append(rel)
    return foreign


def _matches(path: Path, listed: dict[str, Any]) -> bool:
    """Whether the file at ``path`` is still the one the manifest lists (size, then hash)."""
    try:
        if os.stat(path).st_size != listed.get("size"):
            return False
        return _digest(path) == (listed.get("size"), listed.get("sha256"))
    except OSError:
        return False


def _remove_results(folder: Path) -> str:
    """Delete a results folder we wrote, if all in it still matches its manifest.

    Only what is found inside ``folder`` is deleted (never a path the manifest names),
    the manifest last. Returns "" when all is gone, else a notice saying what was kept.
    """
    manifest = _read_manifest(folder)
    found = list(_walk(folder))
    if manifest is None and found:
        return (
            f"se han dejado resultados antiguos en {folder}: no llevan manifiesto de comprende; "
            "revísalos y bórralos tú."
        )
    foreign = _foreign(folder, manifest) if manifest is not None else []
    if foreign:
        return (
            f"se han dejado resultados antiguos en {folder}: contienen archivos que comprende "
            f"no escribió ({_names(foreign)}); revísalos y bórralos tú."
        )
    try:
        for rel, kind in found:
            if kind == "file" and rel != MANIFEST:
                os.unlink(folder / rel)
        for rel, kind in sorted(found, key=lambda entry: -entry[0].count("/")):
            if kind == "dir":
                os.rmdir(folder / rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / MANIFEST)
        folder.rmdir()
    except OSError as exc:
        return f"no se ha podido borrar del todo {folder} ({_why(exc)}): bórrala tú."
    return ""


def _remove_work(work: Path) -> bool:
    """Delete a work folder, its marker last (so a kill midway leaves it recognisable)."""
    try:
        for entry in os.scandir(work):
            if entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(work / MARKER)
        work.rmdir()
    except OSError:
        return False
    return True


# -- small helpers


def _walk(folder: Path) -> Iterable[tuple[str, str]]:
    """(relative POSIX path, "dir" | "file" | "other") for everything under ``folder``."""
    for root, dirnames, filenames in os.walk(folder):
        base = Path(root).relative_to(folder)
        for name in sorted(dirnames):
            full = Path(root, name)
            yield (base / name).as_posix(), "other" if full.is_symlink() else "dir"
        for name in sorted(filenames):
            full = Path(root, name)
            regular = full.is_file() and not full.is_symlink()
            yield (base / name).as_posix(), "file" if regular else "other"
        dirnames[:] = [d for d in sorted(dirnames) if not Path(root, d).is_symlink()]


def _digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
        return os.fstat(handle.fileno()).st_size, digest.hexdigest()


def _write_json(path: Path, data: dict[str, Any]) -> None:
    with open(path, "x", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)  # ASCII: any file name
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def _read_json(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; {} if missing, unreadable, too big or not an object."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 64 * 2**20:
            return {}
        return _json(path.read_bytes())
    except OSError:
        return {}


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _usage(message: str) -> UsageError:
    return UsageError(_clean(message))


def _clean(text: str) -> str:
    """``text`` safe for a terminal: control and invisible characters written as escapes.

    A file name that is not UTF-8 (a surrogate escape) shows its byte as ``\\xNN``.
    """
    return "".join(ch if ch.isprintable() or ch == "\n" else _escape(ord(ch)) for ch in text)


def _escape(code: int) -> str:
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return f"{shown} … y {len(names) - _SHOWN} más" if len(names) > _SHOWN else shown


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).astimezone().strftime("%d/%m/%Y a las %H:%M:%S")


def _why(exc: BaseException) -> str:
    """An OS error's reason in Spanish, for the instructor."""
    if not isinstance(exc, OSError):
        return str(exc) or type(exc).__name__
    reasons = {
        errno.EACCES: "no tienes permiso de escritura",
        errno.EPERM: "no tienes permiso",
        errno.EROFS: "el disco es de solo lectura",
        errno.ENOSPC: "el disco está lleno",
        errno.EDQUOT: "se ha superado la cuota de disco",
        errno.EFBIG: "un archivo supera el tamaño máximo permitido",
        errno.ENOTDIR: "una parte de la ruta es un archivo, no una carpeta",
        errno.ENOENT: "no existe",
        errno.EXDEV: "está en otro disco",
        errno.ENAMETOOLONG: (
            "el nombre es demasiado largo: comprende escribe junto a la carpeta una copia "
            "oculta con el nombre alargado, así que usa un nombre más corto"
        ),
        errno.EISDIR: "ya hay una carpeta con el nombre que comprende necesita para un archivo",
        errno.EEXIST: "ya existe",
        errno.EBUSY: "está en uso",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def _unwritable(folder: Path, exc: OSError) -> str:
    return (
        f"no se puede escribir en {folder} ({_why(exc)}): elige con --out una carpeta en un "
        "disco donde puedas escribir."
    )


def _symlink_message(shown: str) -> str:
    return (
        f"{shown} es un enlace simbólico: comprende no escribe a través de enlaces. "
        "Da con --out la ruta de una carpeta real, o una nueva."
    )

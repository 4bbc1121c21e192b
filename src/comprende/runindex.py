"""The grading run's index of students, kept on disk so a large class needs little memory.

:class:`RunIndex` is what :class:`comprende.classgrade.GradingRun` knows of each student
while it reads the class: the identity (:func:`comprende.classgrade.identity_of`), the
file that counts so far and where its record is in the run's scratch file, the others
(superseded), and the names of the student's feedback and Gradescope files. 100,000
students held as Python objects take some 60 MB; here they are rows of an SQLite
database in the work folder (deleted before the results are put in place), with a page
cache of a few megabytes, so memory stays flat whatever the size of the class.

An error of the database (a full disk) is raised as an :class:`OSError`: the run's own
failure, which stops it with nothing replaced, as any other write of the run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Texts are stored as UTF-8 bytes with lone surrogates kept (``surrogatepass``): any
# Python text goes in, and bytes compare in the order Python compares the texts.
_SCHEMA = """
CREATE TABLE student (
    identity BLOB PRIMARY KEY,
    folded BLOB NOT NULL,
    participant BLOB NOT NULL,
    time REAL NOT NULL,
    attempt INTEGER NOT NULL,
    source BLOB NOT NULL,
    offset INTEGER NOT NULL,
    slug BLOB NOT NULL,
    lms_name BLOB NOT NULL,
    lms_trusted INTEGER NOT NULL,
    others BLOB
) WITHOUT ROWID;
CREATE TABLE slug (slug BLOB PRIMARY KEY, identity BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE file (device INTEGER, inode INTEGER, PRIMARY KEY (device, inode)) WITHOUT ROWID;
"""
_BITS = 1 << 23
_COLUMNS = "time, attempt, source, offset, folded, slug, lms_name, lms_trusted, others"


@dataclass(slots=True)
class Entry:
    """The files of one student seen so far; the best one's record in the scratch file."""

    #: (time, Canvas attempt): with ``source``, what decides the newest file.
    rank: tuple[float, int]
    source: str
    offset: int
    #: The folded student id of the counting file (to find one id in two identities).
    folded_id: str
    #: The file name of the student's feedback page and Gradescope file ("" if none).
    slug: str = ""
    #: The student's name as the LMS's download writes it ("" for a file from no LMS).
    lms_name: str = ""
    #: Whether the LMS naming came from inside a zip (the LMS's download), not from the
    #: name of a loose file, which anyone can give a file.
    lms_trusted: bool = False
    #: The student's other files, superseded (``None`` while there are none: most have one).
    others: list[str] | None = None

    def supersede(self, source: str) -> None:
        if self.others is None:
            self.others = []
        self.others.append(source)


def participant_of(identity: str) -> str:
    """The LMS participant part of an identity (empty for a file from no LMS)."""
    lms, _, rest = identity.partition(":")
    return "" if lms == "id" else f"{lms}:{rest.partition(':')[0]}"


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _s(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


@contextmanager
def _disk() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise OSError(f"el índice de la corrección no se puede escribir ({exc})") from exc


def _entry(row: tuple[Any, ...]) -> Entry:
    time, attempt, source, offset, folded, slug, lms_name, trusted, others = row
    return Entry(
        (time, attempt),
        _s(source),
        offset,
        _s(folded),
        _s(slug),
        _s(lms_name),
        bool(trusted),
        json.loads(_s(others)) if others is not None else None,
    )


def _signed(number: int) -> int:
    """An unsigned 64-bit number as SQLite's signed one (the same bits)."""
    return number - (1 << 64) if number >= 1 << 63 else number


class RunIndex:
    """The students of one run, by identity, in an SQLite file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        #: One bit per hash of the identities recorded (1 MB): most files are a new
        #: student's, and a clear bit says so without asking the database.
        self._seen = bytearray(_BITS // 8)
        with _disk():
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            # A scratch database: nothing to recover after a crash (the run starts over).
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-2000"):
                self._db.execute(f"PRAGMA {pragma}")
            self._db.executescript(_SCHEMA)
            self._db.execute("BEGIN")

    def get(self, identity: str) -> Entry | None:
        bit = hash(identity) % _BITS
        if not self._seen[bit >> 3] & 1 << (bit & 7):
            return None
        with _disk():
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM student WHERE identity = ?", (_b(identity),)
            ).fetchone()
        return _entry(row) if row is not None else None

    def put(self, identity: str, entry: Entry, *, new: bool) -> None:
        """Record ``entry`` for ``identity`` (``new``: the identity was not seen before)."""
        (time, attempt), others = entry.rank, entry.others
        values = (
            time,
            attempt,
            _b(entry.source),
            entry.offset,
            _b(entry.folded_id),
            _b(entry.slug),
            _b(entry.lms_name),
            int(entry.lms_trusted),
            _b(json.dumps(others, ensure_ascii=False)) if others is not None else None,
            _b(identity),
        )
        with _disk():
            if new:
                bit = hash(identity) % _BITS
                self._seen[bit >> 3] |= 1 << (bit & 7)
                self._db.execute(
                    f"INSERT INTO student (participant, {_COLUMNS}, identity) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (_b(participant_of(identity)), *values),
                )
                self.count += 1
            else:
                self._db.execute(
                    "UPDATE student SET time = ?, attempt = ?, source = ?, offset = ?, "
                    "folded = ?, slug = ?, lms_name = ?, lms_trusted = ?, others = ? "
                    "WHERE identity = ?",
                    values,
                )

    def __len__(self) -> int:
        return self.count

    def first_read(self, device: int, inode: int) -> bool:
        """Whether the file ``(device, inode)`` is read for the first time in this run
        (then it is recorded): a class of 100,000 files stays on disk, not in memory."""
        with _disk():
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO file VALUES (?, ?)", (_signed(device), _signed(inode))
            )
        return cursor.rowcount == 1

    def claim_slug(self, slug: str, identity: str) -> str:
        """The identity that owns ``slug``: ``identity`` if no other took it first."""
        with _disk():
            key = _b(slug)
            added = self._db.execute(
                "INSERT OR IGNORE INTO slug VALUES (?, ?)", (key, _b(identity))
            ).rowcount
            if added == 1:
                return identity
            (owner,) = self._db.execute(
                "SELECT identity FROM slug WHERE slug = ?", (key,)
            ).fetchone()
        return _s(owner)

    def ordered(self) -> Iterator[tuple[str, Entry]]:
        """Every student, by folded id then identity (code point order, as Python's)."""
        with _disk():
            cursor = self._db.execute(
                f"SELECT identity, {_COLUMNS} FROM student ORDER BY folded, identity"
            )
            for row in cursor:
                yield _s(row[0]), _entry(row[1:])

    def folded_ids(self) -> Iterator[str]:
        with _disk():
            for (folded,) in self._db.execute("SELECT folded FROM student"):
                yield _s(folded)

    def shared_ids(self) -> dict[str, list[str]]:
        """Folded ids that more than one student (LMS participant) handed in."""
        with _disk():
            rows = self._db.execute(
                "SELECT folded, identity FROM student WHERE folded IN "
                "(SELECT folded FROM student GROUP BY folded HAVING count(*) > 1) "
                "ORDER BY folded, identity"
            ).fetchall()
        owners: dict[str, list[str]] = {}
        for folded, identity in rows:
            owners.setdefault(_s(folded), []).append(_s(identity))
        return owners

    def split_participants(self) -> set[str]:
        """LMS participants whose files carry different student ids (kept apart)."""
        with _disk():
            rows = self._db.execute(
                "SELECT participant FROM student WHERE length(participant) > 0 "
                "GROUP BY participant HAVING count(*) > 1"
            ).fetchall()
        return {_s(participant) for (participant,) in rows}

    def close(self) -> None:
        """Close and delete the database (safe to call twice)."""
        with _disk():
            self._db.close()
        self.path.unlink(missing_ok=True)

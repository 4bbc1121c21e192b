"""Writing an export: never over a file comprende export did not write, unless forced.

A file is ours when it holds :data:`comprende.exports.MARKER`: in its first 4 KiB (the
XML comment of Moodle XML and QTI's files, GIFT's first comment line) or as the zip's
comment (the QTI package). The new file is written next to the target and renamed over
it, so an interrupted run leaves the old file as it was.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from .base import MARKER


class UnsafeOutput(Exception):
    """The output cannot be written; the message says why and what to do (English)."""


def written_by_us(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            if MARKER.encode() in handle.read(4096):
                return True
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return archive.comment == MARKER.encode()
    except (OSError, zipfile.BadZipFile):
        return False
    return False


def write_export(path: Path, data: bytes, *, force: bool) -> None:
    if path.is_dir():
        raise UnsafeOutput(f"{path} is a folder; give a file name")
    if path.exists() and not force and not written_by_us(path):
        raise UnsafeOutput(
            f"{path} exists and was not written by comprende export; "
            "use --force to replace it, or choose another file name"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UnsafeOutput(f"the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Writing the per-student files in a thread of their own, while the next file is graded.

A grading run writes two files per student (feedback page, Gradescope results): creating
and filling them is mostly the kernel's work, during which Python's other thread runs.
:class:`FileWriter` takes ``(path, text)`` and writes them in order with
``Path.write_text`` (UTF-8, ``backslashreplace``), a few at a time in its queue.

Failures are the run's, as if it had written the file itself: the first error (a full
disk) is raised by the next :meth:`~FileWriter.write` or by :meth:`~FileWriter.close`,
which waits for every file; later files are not written. :meth:`~FileWriter.discard`
stops without raising (the run is being dropped).
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

#: Files waiting at most (a page is ~100 kB): memory stays small, the disk keeps busy.
_WAITING = 16


class FileWriter:
    """Writes text files in a background thread, in the order given."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Path, str] | None] = queue.Queue(_WAITING)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="comprende-files", daemon=True)
        self._thread.start()

    def write(self, path: Path, text: str) -> None:
        self._raise()
        self._queue.put((path, text))

    def close(self) -> None:
        """Wait until every file is written; raise the first error, if any."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise()

    def discard(self) -> None:
        """Stop, dropping what waits, and raise nothing (the results are being dropped)."""
        self._error = self._error or RuntimeError("discarded")
        while self._thread.is_alive():
            try:
                self._queue.put(None, timeout=0.1)
            except queue.Full:
                continue
            self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._error is not None:
                continue  # after a failure nothing more is written
            path, text = job
            try:
                path.write_text(text, encoding="utf-8", errors="backslashreplace")
            except BaseException as exc:  # the run's failure: raised in the run's thread
                self._error = exc

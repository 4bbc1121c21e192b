"""Errors that point at a file and a line, and say what to do."""

from __future__ import annotations

from pathlib import Path


class ComprendeError(Exception):
    """A problem in an input file: where it is, what is wrong, and how to fix it."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        fix: str = "",
        kind: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        #: The file at fault, if any.
        self.path = str(path) if path is not None else None
        #: 1-based line number in that file, if known.
        self.line = line
        #: What the user should do about it.
        self.fix = fix
        #: The warning kind the Sphinx extension logs it as (a :class:`comprende.diagnostics.Kind`
        #: value, e.g. ``"evidence"``); ``None``: the kind of the file it is in.
        self.kind = kind

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text}\n  → {self.fix}" if self.fix else text


class UsageError(Exception):
    """The run cannot start: the message says why and what to do (exit status 2)."""

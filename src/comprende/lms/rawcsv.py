"""A CSV reader that keeps every byte, so a file can be written back changed in one cell.

The LMS files are filled in place: every row and cell we do not change must come out
exactly as it went in (quotes, line ends, BOM). :func:`parse` splits text into
:class:`Record` objects holding, for each field, its value and its raw text; ``str()``
of a record is its raw text again, so ``"".join(map(str, records)) == text`` always.
Fields follow RFC 4180 (double quotes, ``""`` inside them); a quoted field may hold
line breaks; line ends may be ``\\r\\n``, ``\\n`` or ``\\r``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Record", "parse", "quote"]


@dataclass
class Record:
    """One CSV record: its fields (value and raw text) and the line end after it."""

    #: 1-based line where the record starts.
    line: int
    values: list[str] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    #: The delimiter between fields.
    delimiter: str = ","
    #: ``"\\r\\n"``, ``"\\n"``, ``"\\r"``, or ``""`` for a last line without one.
    end: str = ""
    #: The record's text when it was read (``None`` once a field was changed).
    _raw: str | None = None

    def set(self, index: int, value: str, *, quote_spaces: bool = False) -> None:
        """Give field ``index`` a new value, quoted as needed."""
        self.values[index] = value
        self.raws[index] = quote(value, self.delimiter, quote_spaces=quote_spaces)
        self._raw = None

    def __str__(self) -> str:
        if self._raw is not None:
            return self._raw
        return self.delimiter.join(self.raws) + self.end

    def blank(self) -> bool:
        return all(v.strip() == "" for v in self.values)


def quote(value: str, delimiter: str, *, quote_spaces: bool = False) -> str:
    """``value`` as a CSV field: in double quotes when it holds the delimiter, a quote,
    a line break (or, with ``quote_spaces``, a space or tab, as PHP's ``fputcsv`` does)."""
    specials = [delimiter, '"', "\n", "\r"] + ([" ", "\t", "\\"] if quote_spaces else [])
    if any(c in value for c in specials):
        return '"' + value.replace('"', '""') + '"'
    return value


def parse(text: str, delimiter: str) -> list[Record]:
    """Split ``text`` into records; raises ``ValueError(line)`` on an unclosed quote."""
    records: list[Record] = []
    plain = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    n = len(text)
    i = 0
    line = 1
    while i < n:
        start = i
        rec = Record(line=line, delimiter=delimiter)
        while True:  # one field
            fstart = i
            if i < n and text[i] == '"':
                i += 1
                parts: list[str] = []
                while True:
                    j = text.find('"', i)
                    if j < 0:
                        raise ValueError(rec.line)
                    parts.append(text[i:j])
                    if j + 1 < n and text[j + 1] == '"':
                        parts.append('"')
                        i = j + 2
                        continue
                    i = j + 1
                    break
                # Anything between the closing quote and the delimiter is kept as-is.
                k = plain.match(text, i).end()  # type: ignore[union-attr]
                value = "".join(parts) + text[i:k]
                i = k
            else:
                k = plain.match(text, i).end()  # type: ignore[union-attr]
                value = text[i:k]
                i = k
            raw = text[fstart:i]
            line += raw.count("\n") + raw.count("\r") - raw.count("\r\n")
            rec.values.append(value)
            rec.raws.append(raw)
            if i < n and text[i] == delimiter:
                i += 1
                continue
            break
        if text.startswith("\r\n", i):
            rec.end = "\r\n"
        elif i < n:
            rec.end = text[i]
        i += len(rec.end)
        if rec.end:
            line += 1
        rec._raw = text[start:i]
        records.append(rec)
    return records

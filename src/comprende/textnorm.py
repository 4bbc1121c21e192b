"""Text normalisation shared by reading, grading and identity matching.

Two functions, used everywhere text typed by a person is compared:

``clean_text(s)``
    Unicode NFC; invisible characters removed (zero-width space and joiners
    U+200B-U+200D, word joiner U+2060, byte order mark U+FEFF, soft hyphen U+00AD,
    direction marks and embeddings U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 and
    U+061C); full-width ASCII forms U+FF01-U+FF5E folded to ASCII U+0021-U+007E and the
    ideographic space U+3000 to a space; then NFC again (removing a character or folding
    a form can bring a base letter next to a combining mark).

``fold_id(s)``
    The one folding of identifiers (student ids, names, item ids) for every comparison:
    ``clean_text``, surrounding white space stripped, inner runs of white space collapsed
    to one space, ``str.casefold()``, then NFC again.

Only the standard library is used, so the same rules are easy to mirror in the page's
JavaScript (``comprende-exercises.js``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INVISIBLE_CHARS", "clean_text", "fold_id"]

#: Code points removed by ``clean_text``.
INVISIBLE_CHARS: frozenset[str] = frozenset(
    [chr(c) for c in range(0x200B, 0x200E)]  # ZWSP, ZWNJ, ZWJ
    + ["\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u061c"]
    + [chr(c) for c in range(0x202A, 0x202F)]  # LRE RLE PDF LRO RLO
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI RLI FSI PDI
)

_TABLE: dict[int, str | None] = {ord(c): None for c in INVISIBLE_CHARS}
_TABLE.update({c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_TABLE[0x3000] = " "

_WS = re.compile(r"\s+")


def clean_text(s: str) -> str:
    """Return ``s`` in NFC, without invisible characters, full-width forms folded.

    Invisible characters removed: U+200B-U+200D, U+2060, U+FEFF, U+00AD, U+200E,
    U+200F, U+202A-U+202E, U+2066-U+2069, U+061C. Full-width U+FF01-U+FF5E become
    ASCII U+0021-U+007E; U+3000 becomes U+0020. NFC is applied before and after.
    Lone surrogates pass through unchanged (callers that need valid text check them).
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", s).translate(_TABLE))


def fold_id(s: str) -> str:
    """Return the folded form of an identifier, used for every comparison of ids.

    ``clean_text``, surrounding white space stripped, inner runs of white space
    collapsed to one space, ``casefold()``, then NFC again.
    """
    return unicodedata.normalize("NFC", _WS.sub(" ", clean_text(s).strip()).casefold())

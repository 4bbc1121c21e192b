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

Also here: ``has_surrogate`` (a lone surrogate, which no file can encode, e.g. from the
JSON escape ``"\\ud800"``), ``show`` (any text made safe to print in a message), and
:class:`Unusable`, the text that stands in for a value read from a file that cannot be
graded (grading marks an answer holding one invalid, with its reason).

Only the standard library is used, so the same rules are easy to mirror in the page's
JavaScript (``comprende-exercises.js``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INVISIBLE_CHARS", "Unusable", "clean_text", "fold_id", "has_surrogate", "show"]

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
    if s.isascii():  # nothing to do: every character changed here is outside ASCII
        return s
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", s).translate(_TABLE))


def fold_id(s: str) -> str:
    """Return the folded form of an identifier, used for every comparison of ids.

    ``clean_text``, surrounding white space stripped, inner runs of white space
    collapsed to one space, ``casefold()``, then NFC again.
    """
    return unicodedata.normalize("NFC", _WS.sub(" ", clean_text(s).strip()).casefold())


def fold_bare(s: str) -> str:
    """:func:`fold_id`, then every combining mark removed (``ñ`` becomes ``n``): for
    matching headers, roles and names that are written with or without accents."""
    bare = unicodedata.normalize("NFKD", fold_id(s))
    return "".join(c for c in bare if not unicodedata.combining(c))


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]|[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\u00ad]"
)


def has_surrogate(s: str) -> bool:
    """Whether ``s`` holds a lone surrogate (U+D800-U+DFFF), which UTF-8 cannot encode."""
    if s.isascii():
        return False
    return _SURROGATE.search(s) is not None


def show(s: str, limit: int = 80) -> str:
    """``s`` made safe to print: control, invisible and surrogate characters as escapes.

    Longer texts are cut to ``limit`` characters and end in «…». The result always
    encodes as UTF-8 and holds no line break or terminal control sequence.
    """
    if len(s) > limit:
        s = s[:limit] + "…"
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), s)


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class Unusable(str):
    """A value read from a file that cannot be graded, as printable text, with the reason.

    It is a ``str`` (so it can be shown, stored and serialised like any answer text);
    grading sees the type and marks the answer invalid with :attr:`reason` (Spanish).
    The text is kept as given: make it with :func:`show` first.
    """

    reason: str

    def __new__(cls, text: str, reason: str) -> Unusable:
        self = super().__new__(cls, text)
        self.reason = reason
        return self

    def __reduce__(self) -> tuple[type[Unusable], tuple[str, str]]:
        return (Unusable, (str(self), self.reason))

"""The bank in other programs' formats: a registry of formats and one way to report.

``comprende export FORMAT -o FILE`` asks :func:`get_format` for a :class:`Format` and
calls :func:`export`. A format module registers one :class:`Format` with
:func:`register_format`; the question types stay in charge of what is specific to
them: each type's :meth:`~comprende.types.base.QuestionType.export` hook returns the
piece of the format its items become (built with the format module's shared
builders), or ``None`` when the type has no equivalent there.

What a hook may return or raise:

* ``None``: the type has no equivalent in that format (reported as *not exported*);
* :class:`NotExpressible` (raised): this item cannot be written, with the reason;
* :class:`Exported`: the piece, with the reasons it is *degraded* (a grading rule or a
  feedback the format cannot hold exactly), possibly none.

Every item ends in :attr:`ExportResult.problems` or is exported exactly: nothing is
dropped silently. :func:`report_lines` words the problems for the command line, one
item id per line. Problem reasons are in English (the CLI's language); the instructor
guide (``docs/guias/profesorado.md``, «Exportar las preguntas») has the table in Spanish.

Text put into any export goes through :func:`clean`: characters XML 1.0 cannot hold
(C0 controls other than tab and line breaks, U+FFFE/U+FFFF, lone surrogates) are
removed, so an export is well-formed whatever the bank holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    _FORMATS,
    MARKER,
    Exported,
    ExportResult,
    Format,
    NotExpressible,
    Problem,
    clean,
    evidence_text,
    item_piece,
    register_format,
    report_lines,
)

if TYPE_CHECKING:
    from ..model import Bank

__all__ = [
    "MARKER",
    "ExportResult",
    "Exported",
    "Format",
    "NotExpressible",
    "Problem",
    "all_formats",
    "clean",
    "evidence_text",
    "export",
    "get_format",
    "item_piece",
    "register_format",
    "report_lines",
]

_BUILT_IN = ("moodle_xml", "gift", "qti")


def _load() -> None:
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def all_formats() -> tuple[Format, ...]:
    _load()
    return tuple(_FORMATS[name] for name in sorted(_FORMATS))


def get_format(name: str) -> Format:
    """The format ``name``; ``KeyError`` when there is none."""
    _load()
    return _FORMATS[name]


def export(bank: Bank, name: str) -> ExportResult:
    return get_format(name).build(bank)

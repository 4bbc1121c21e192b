"""The question types: one package each, found through one registry.

Every subpackage of :mod:`comprende.types` is imported on first use; each registers
its :class:`~comprende.types.base.QuestionType` with :func:`register` (kept in
:mod:`comprende.types.base`, so that no type package imports this one). Nothing else in
comprende knows a type by name: the loader, grading, the schema, the answers template,
the page and the reports all ask :func:`get`.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import _REGISTRY, Invalid, QuestionType, register

__all__ = ["Invalid", "QuestionType", "all_types", "get", "register"]

_LOADED = False


def _load() -> None:
    global _LOADED
    if not _LOADED:
        for info in pkgutil.iter_modules(__path__):
            if info.ispkg:
                importlib.import_module(f"{__name__}.{info.name}")
        _LOADED = True


def get(type_id: str) -> QuestionType:
    """The type ``type_id``; ``KeyError`` when there is none."""
    _load()
    return _REGISTRY[type_id]


def all_types() -> tuple[QuestionType, ...]:
    """Every registered type, in the order of their ids."""
    _load()
    return tuple(_REGISTRY[type_id] for type_id in sorted(_REGISTRY))

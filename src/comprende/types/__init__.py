"""The question types: one package each, found through one registry.

Every subpackage of :mod:`comprende.types` is imported on first use; each registers
its :class:`~comprende.types.base.QuestionType` with :func:`register`. Nothing else in
comprende knows a type by name: the loader, grading, the schema, the answers template,
the page and the reports all ask :func:`get`.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import TypeVar

from .base import Invalid, QuestionType

__all__ = ["Invalid", "QuestionType", "all_types", "get", "register"]

_T = TypeVar("_T", bound=type[QuestionType])
_REGISTRY: dict[str, QuestionType] = {}
_LOADED = False


def register(cls: _T) -> _T:
    """Class decorator: make ``cls`` the type ``cls.id``."""
    if cls.id in _REGISTRY:
        raise RuntimeError(f"question type {cls.id!r} is registered twice")
    module = importlib.import_module(cls.__module__)
    cls.folder = Path(module.__file__ or "").parent
    _REGISTRY[cls.id] = cls()
    return cls


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

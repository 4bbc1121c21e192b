"""comprende: a guided-reading module built with Sphinx, and its grader."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point; the implementation is imported only when Sphinx loads it."""
    from .ext import setup_extension

    setup_extension(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

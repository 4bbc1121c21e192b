"""The shared grading cases (tests/data/grading_vectors.yaml), loaded as model items."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from comprende.article import load_article
from comprende.bank import parse_item
from comprende.model import Item
from comprende.yamlio import read_yaml

from .conftest import ROOT, SEED

VECTORS = ROOT / "tests" / "data" / "grading_vectors.yaml"


@cache
def load_vectors() -> tuple[dict[str, Item], list[dict[str, Any]]]:
    data = read_yaml(VECTORS)
    article = load_article(SEED)
    items = {
        entry["id"]: parse_item(entry, "vectors", Path(VECTORS), article) for entry in data["items"]
    }
    return items, list(data["cases"])


def case_id(case: dict[str, Any]) -> str:
    """The case's test id: printable ASCII without backslashes (``é`` is ``<e9>``).

    pytest escapes an id once per collection and keeps the ids it generated on the mark,
    so an id it must escape changes when a process collects twice: mutmut collects the
    tests, then runs them, in one process, and would not find such a test again.
    """
    text = f"{case['item']}:{case['answer']!r}"[:80]
    return "".join(
        c if c.isascii() and c.isprintable() and c != "\\" else f"<{ord(c):x}>" for c in text
    )

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
    return f"{case['item']}:{case['answer']!r}"[:80]

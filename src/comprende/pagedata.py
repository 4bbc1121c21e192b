"""Items as the page's JavaScript sees them: with the key in practice mode, without in exam mode."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import Bank, Choice, Item


def display_order(item: Item, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """A fixed order that gives nothing of the key away (the page reshuffles per student).

    The order comes from a hash of the ids; where it happens to be the key's order (the
    type's ``key_order``: the bank's order of ordering elements, or of the right column
    of a matching item), or that order reversed, it is rotated until it is neither.
    """
    order = sorted(choices, key=lambda c: hashlib.sha256(f"{item.id}:{c.id}".encode()).hexdigest())
    revealing = _key_orders(item, choices)
    for _ in range(len(order)):
        if [c.id for c in order] not in revealing:
            break
        order = order[1:] + order[:1]
    return tuple(order)


def _key_orders(item: Item, choices: tuple[Choice, ...]) -> list[list[str]]:
    key = item.kind.key_order(item, choices)
    if key is None:
        return []
    return [key, key[::-1]] if len(key) > 2 else [key]


def neutral_ids(item: Item, choices: tuple[Choice, ...]) -> list[str]:
    """The ids of ``choices`` in :func:`display_order` (for the published schema)."""
    return [c.id for c in display_order(item, choices)]


def item_to_json(item: Item, *, with_key: bool) -> dict[str, Any]:
    """What the page needs to render, restore and (in practice mode) grade ``item``."""
    kind = item.kind
    data: dict[str, Any] = {"id": item.id, "type": item.type, "points": item.points}
    data |= kind.page_data(item)
    if not with_key:
        return data
    data["explanation"] = item.explanation
    data["evidence"] = [{"quote": e.quote, "paragraph": e.paragraph} for e in item.evidence]
    return data | kind.page_key(item)


def content_hash(item: Item, *, with_key: bool) -> str:
    """A short hash of what the student sees of ``item`` and, ``with_key``, of its key.

    A browser keeps a saved answer across bank versions only while this hash is the
    same. Exam pages hash what the student sees only: the hash of a key with few
    possible values (true or false) would give the key away.
    """
    kind = item.kind
    seen = {
        "type": item.type,
        "data": kind.page_data(item),
        "text": [node.astext() for node in kind.plain(item)],
    }
    if with_key and item.auto_graded:
        seen["key"] = kind.key_answer(item)
    text = json.dumps(seen, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def shape_json(item: Item) -> dict[str, Any]:
    """The item without its texts or key: what checking an answer's shape needs."""

    def bare(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: bare(v) for k, v in value.items() if k not in ("text", "prompt")}
        if isinstance(value, list):
            return [bare(v) for v in value]
        return value

    shape = bare(item_to_json(item, with_key=False))
    return shape | item.kind.shape_data(item)


def bank_meta(bank: Bank) -> dict[str, Any]:
    return {
        "module": bank.id,
        "title": bank.title,
        "version": bank.version,
        "possible": bank.possible,
        "items": [i.id for i in bank.items],
    }

"""Items as the page's JavaScript sees them: with the key in practice mode, without in exam mode."""

from __future__ import annotations

import hashlib
from typing import Any

from .model import Bank, Choice, Item, TextKey


def display_order(item: Item, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """A fixed order that gives nothing of the key away (the page reshuffles per student).

    The order comes from a hash of the ids; where it happens to be the key's order (the
    bank's order of ordering elements, or of the right column of a matching item), or
    that order reversed, it is rotated until it is neither.
    """
    order = sorted(choices, key=lambda c: hashlib.sha256(f"{item.id}:{c.id}".encode()).hexdigest())
    revealing = _key_orders(item, choices)
    for _ in range(len(order)):
        if [c.id for c in order] not in revealing:
            break
        order = order[1:] + order[:1]
    return tuple(order)


def _key_orders(item: Item, choices: tuple[Choice, ...]) -> list[list[str]]:
    if choices is item.elements:
        key = [c.id for c in item.elements]
    elif choices is item.right and item.pairs:
        pairs = dict(item.pairs)
        key = list(dict.fromkeys(pairs[c.id] for c in item.left if c.id in pairs))
        key += [c.id for c in item.right if c.id not in key]
    else:
        return []
    return [key, key[::-1]] if len(key) > 2 else [key]


def neutral_ids(item: Item, choices: tuple[Choice, ...]) -> list[str]:
    """The ids of ``choices`` in :func:`display_order` (for the published schema)."""
    return [c.id for c in display_order(item, choices)]


def _text_key(key: TextKey) -> dict[str, Any]:
    policy = key.policy
    return {
        "accept": list(key.accept),
        "policy": {
            "case": policy.case,
            "accents": policy.accents,
            "punctuation": policy.punctuation,
            "typos": policy.typos,
        },
        "wrong": [{"answer": w.answer, "feedback": w.feedback} for w in key.wrong],
        "feedbackIncorrect": key.feedback_incorrect,
    }


def _choice(choice: Choice, with_key: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": choice.id, "text": choice.text}
    if with_key:
        data |= {"correct": choice.correct, "feedback": choice.feedback}
    return data


def item_to_json(item: Item, *, with_key: bool) -> dict[str, Any]:
    """What the page needs to render, restore and (in practice mode) grade ``item``."""
    data: dict[str, Any] = {"id": item.id, "type": item.type.value, "points": item.points}
    if item.options:
        data["options"] = [_choice(o, with_key) for o in item.options]
    if item.blanks:
        data["blanks"] = [name for name, _ in item.blanks]
    if item.left:
        data["left"] = [_choice(c, False) for c in item.left]
        data["right"] = [_choice(c, False) for c in display_order(item, item.right)]
    if item.elements:
        data["elements"] = [_choice(c, False) for c in display_order(item, item.elements)]
    if item.max_words or item.min_words:
        data["words"] = [item.min_words, item.max_words]
    if not with_key:
        return data
    data["explanation"] = item.explanation
    data["evidence"] = [{"quote": e.quote, "paragraph": e.paragraph} for e in item.evidence]
    if item.key is not None:
        data["key"] = item.key
    if item.feedback:
        data["feedback"] = dict(item.feedback)
    if item.text_key:
        data["textKey"] = _text_key(item.text_key)
    if item.blanks:
        data["blankKeys"] = {name: _text_key(key) for name, key in item.blanks}
    if item.pairs:
        data["pairs"] = dict(item.pairs)
    if item.elements:
        data["order"] = [e.id for e in item.elements]
    if item.type.value == "numerica":
        data |= {
            "tolerance": item.tolerance,
            "unit": item.unit,
            "wrong": [{"answer": w.answer, "feedback": w.feedback} for w in item.wrong],
        }
    return data


def bank_meta(bank: Bank) -> dict[str, Any]:
    return {
        "module": bank.id,
        "title": bank.title,
        "version": bank.version,
        "possible": bank.possible,
        "items": [i.id for i in bank.items],
    }

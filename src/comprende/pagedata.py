"""Items as the page's JavaScript sees them: with the key in practice mode, without in exam mode."""

from __future__ import annotations

import hashlib
from typing import Any

from .model import Bank, Choice, Item, TextKey


def display_order(item: Item, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """A fixed order that does not depend on the key (the page reshuffles per student)."""
    return tuple(
        sorted(choices, key=lambda c: hashlib.sha256(f"{item.id}:{c.id}".encode()).hexdigest())
    )


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
        data["right"] = [_choice(c, False) for c in item.right]
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

"""The JSON Schema of an answers file, generated from the bank's model."""

from __future__ import annotations

from typing import Any

from .model import Bank, Item, ItemType
from .pagedata import neutral_ids

_TEXT: dict[str, Any] = {"type": ["string", "integer"]}
_NUMBER: dict[str, Any] = {
    "type": ["number", "string"],
    "description": "80, 80.5 o el texto «80,5»",
}


def answer_schema(item: Item) -> dict[str, Any]:
    """The shape of one item's answer (``null`` always allowed: not answered)."""
    match item.type:
        case ItemType.TRUE_FALSE:
            shape: dict[str, Any] = {"type": "boolean"}
        case ItemType.SINGLE:
            shape = {"enum": [o.id for o in item.options]}
        case ItemType.MULTIPLE:
            shape = {
                "type": "array",
                "items": {"enum": [o.id for o in item.options]},
                "uniqueItems": True,
            }
        case ItemType.SHORT | ItemType.OPEN:
            shape = dict(_TEXT) if item.type is ItemType.SHORT else {"type": "string"}
        case ItemType.NUMERIC:
            shape = dict(_NUMBER)
        case ItemType.CLOZE:
            shape = {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    name: {"type": ["string", "integer", "null"]} for name, _ in item.blanks
                },
            }
        case ItemType.MATCHING:
            right = neutral_ids(item, item.right)
            shape = {
                "type": "object",
                "additionalProperties": False,
                "properties": {c.id: {"enum": [*right, None]} for c in item.left},
            }
        case ItemType.ORDERING:
            ids = neutral_ids(item, item.elements)  # never the key's order
            shape = {
                "type": "array",
                "items": {"enum": ids},
                "uniqueItems": True,
                "minItems": len(ids),
                "maxItems": len(ids),
            }
    return {"title": item.prompt, "anyOf": [shape, {"type": "null"}]}


def submission_schema(bank: Bank) -> dict[str, Any]:
    """JSON Schema (2020-12) of an answers file for ``bank``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"comprende:{bank.id}:v{bank.version}",
        "title": f"Respuestas: {bank.title}",
        "type": "object",
        "required": ["module", "student", "answers"],
        "additionalProperties": False,
        "properties": {
            "module": {"const": bank.id},
            "student": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": ["string", "integer"], "minLength": 1},
                    "name": {"type": "string", "minLength": 1},
                },
            },
            "answers": {
                "type": "object",
                "additionalProperties": False,
                "properties": {item.id: answer_schema(item) for item in bank.items},
            },
        },
    }

"""The JSON Schema of an answers file, generated from the bank's model."""

from __future__ import annotations

from typing import Any

from .model import Bank, Item


def answer_schema(item: Item) -> dict[str, Any]:
    """The shape of one item's answer (``null`` always allowed: not answered)."""
    return {"title": item.prompt, "anyOf": [item.kind.answer_schema(item), {"type": "null"}]}


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

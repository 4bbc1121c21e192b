"""Bank fields that several types share: choices, wrong answers, text keys.

Each function reads through the loader's reader, so an error names the file and line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..diagnostics import did_you_mean
from ..model import Choice, TextKey, TextPolicy, WrongAnswer
from ..yamlio import LineDict

if TYPE_CHECKING:
    from ..bank import _Reader

#: A choice id: what the answers file names, and part of the page's element ids.
CHOICE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
TEXT_KEY_FIELDS = frozenset({"accept", "normalize", "wrong", "feedback_incorrect"})
_POLICY_VALUES = {
    "case": ("ignore", "exact"),
    "accents": ("required", "optional"),
    "punctuation": ("ignore", "exact"),
}


def choices(reader: _Reader, key: str, *, options: bool = False) -> tuple[Choice, ...]:
    """A list of ``- id: …`` / ``text: …`` mappings (options also have ``correct``, ``feedback``)."""
    raw = reader.get(key, list, fix=f"list the {key} as `- id: a` / `text: …` mappings")
    result: list[Choice] = []
    for entry in raw:
        valid = ("id", "text", "correct", "feedback") if options else ("id", "text")
        sub = reader.mapping(entry, f"{reader.what}, {key}", key, valid)
        choice_id = str(sub.get("id", (str, int)))
        if not CHOICE_ID.match(choice_id):
            raise sub.fail(
                f"id {choice_id!r} has characters an id cannot have",
                "id",
                "use letters, digits, - and _ only, e.g. `id: a`",
            )
        if any(c.id == choice_id for c in result):
            raise sub.fail(f"id {choice_id!r} is used twice", "id", "give each a different id")
        correct = sub.get("correct", bool, default=False) if options else False
        feedback = sub.text("feedback", default="") if options else ""
        if options and not feedback:
            raise sub.fail(
                f"option {choice_id!r} has no feedback", fix="say why it is right or wrong"
            )
        result.append(
            Choice(id=choice_id, text=sub.text("text"), correct=correct, feedback=feedback)
        )
    if len(result) < 2:
        raise reader.fail(f"`{key}` needs at least two entries", key)
    return tuple(result)


def wrong_answers(reader: _Reader, numeric: bool = False) -> tuple[WrongAnswer, ...]:
    result = []
    for entry in reader.get("wrong", list, default=[]):
        sub = reader.mapping(entry, f"{reader.what}, wrong answer", "wrong", ("answer", "feedback"))
        answer = sub.get("answer", (int, float) if numeric else (str, int, float))
        result.append(
            WrongAnswer(
                answer=float(answer) if numeric else str(answer), feedback=sub.text("feedback")
            )
        )
    return tuple(result)


def text_key(reader: _Reader) -> TextKey:
    accept = reader.get("accept", list, fix='list the accepted answers, e.g. accept: ["Astana"]')
    if not accept or not all(
        isinstance(a, str | int) and not isinstance(a, bool) and str(a).strip() for a in accept
    ):
        raise reader.fail("`accept` must list one or more answers as text", "accept")
    policy_data = reader.get("normalize", LineDict, default=LineDict())
    policy_reader = type(reader)(policy_data, reader.path, f"{reader.what}, normalize")
    settings: dict[str, Any] = {}
    for key, value in policy_data.items():
        if key == "typos":
            typos = policy_reader.get("typos", int)
            if not 0 <= typos <= 3:
                raise policy_reader.fail("`typos` must be 0, 1, 2 or 3", "typos")
            settings["typos"] = typos
        elif key in _POLICY_VALUES:
            if value not in _POLICY_VALUES[key]:
                raise policy_reader.fail(
                    f"`{key}` must be " + " or ".join(_POLICY_VALUES[key]), key
                )
            settings[key] = value
        else:
            raise policy_reader.fail(
                f"unknown setting `{key}`{did_you_mean(str(key), [*_POLICY_VALUES, 'typos'])}",
                key,
                "use case, accents, punctuation or typos",
            )
    return TextKey(
        accept=tuple(str(a).strip() for a in accept),
        policy=TextPolicy(**settings),
        wrong=wrong_answers(reader),
        feedback_incorrect=reader.text("feedback_incorrect", default=""),
    )


def text_key_json(key: TextKey) -> dict[str, Any]:
    """A text key as the page's script reads it."""
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


def choice_json(choice: Choice, with_key: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": choice.id, "text": choice.text}
    if with_key:
        data |= {"correct": choice.correct, "feedback": choice.feedback}
    return data

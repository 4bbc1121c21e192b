"""What the export tests share: the bank, and the same bank with hostile text everywhere.

Hostile text: Spanish with every character GIFT, the cloze syntax, HTML and XML give a
meaning to (``{ } ~ = # : % * \\ < & ]]>``), and control characters XML 1.0 cannot hold.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from comprende.bank import load_bank
from comprende.exports import clean
from comprende.model import Bank, Item, ItemSet, ItemType, TextKey

from .conftest import ROOT

#: The types comprende ships: what each exports is pinned by the export tests. A type
#: added later may have no export (``export.py`` is optional): its items are reported.
SHIPPED_TYPES = frozenset({*ItemType, "seleccionar-en-el-texto", "dos-partes"})

#: Appended to every text of the hostile bank.
HOSTILE = "Él dijo: «{sí} ~no~ = #1 :: 3 < 4 & 5 > 2 ]]> fin» \\ * 50% \x01\x0b\x1f\ufffe ok"
#: Added as an accepted answer of every text key.
HOSTILE_ANSWER = "a{b}~c=d#e:f<g&h*i%j]]>k\x02"
#: What survives: the same text without the characters XML cannot hold.
HOSTILE_CLEAN = clean(HOSTILE)
HOSTILE_ANSWER_CLEAN = clean(HOSTILE_ANSWER)


@cache
def bank() -> Bank:
    return load_bank(ROOT / "exercises")


def _h(text: str) -> str:
    return f"{text} {HOSTILE}" if text else text


def _key(key: TextKey) -> TextKey:
    return replace(
        key,
        accept=(*key.accept, HOSTILE_ANSWER),
        wrong=tuple(replace(w, feedback=_h(w.feedback)) for w in key.wrong),
        feedback_incorrect=_h(key.feedback_incorrect),
    )


def _choices(choices: tuple) -> tuple:
    return tuple(replace(c, text=_h(c.text), feedback=_h(c.feedback)) for c in choices)


def _selection(selection):
    return replace(
        selection,
        candidates=tuple(replace(s, text=_h(s.text)) for s in selection.candidates),
        feedback={k: _h(v) for k, v in selection.feedback.items()},
    )


def hostile_item(item: Item) -> Item:
    changes: dict[str, object] = {
        "prompt": _h(item.prompt),
        "explanation": _h(item.explanation),
        "evidence": tuple(replace(e, quote=_h(e.quote)) for e in item.evidence),
        "options": _choices(item.options),
        "left": _choices(item.left),
        "right": _choices(item.right),
        "elements": _choices(item.elements),
        "feedback": {k: _h(v) for k, v in item.feedback.items()},
        "rubric": tuple(replace(c, criterion=_h(c.criterion)) for c in item.rubric),
        "model_answer": _h(item.model_answer),
        "wrong": tuple(replace(w, feedback=_h(w.feedback)) for w in item.wrong),
    }
    if item.text_key is not None:
        changes["text_key"] = _key(item.text_key)
    if item.blanks:
        changes["blanks"] = tuple((name, _key(key)) for name, key in item.blanks)
        changes["text"] = item.text.replace("[[", f"{HOSTILE} [[")
    if item.type == "seleccionar-en-el-texto":
        changes["data"] = _selection(item.data)
    if item.type == "dos-partes":
        data = item.data
        a = replace(data.a, prompt=_h(data.a.prompt), options=_choices(data.a.options))
        b = replace(data.b, prompt=_h(data.b.prompt), options=_choices(data.b.options))
        if b.selection is not None:
            b = replace(b, selection=_selection(b.selection))
        changes["data"] = replace(data, a=a, b=b)
    return replace(item, **changes)


@cache
def hostile_bank() -> Bank:
    original = bank()
    sets = tuple(
        ItemSet(s.id, _h(s.title), s.instructions, tuple(hostile_item(i) for i in s.items))
        for s in original.sets
    )
    return replace(original, title=_h(original.title), sets=sets)


def with_unknown_type(original: Bank) -> Bank:
    """The bank plus an item of a type no package defines."""
    stray = replace(original.items[0], id="tipo-desconocido", type="no-such-type")
    first = original.sets[0]
    return replace(original, sets=(replace(first, items=(*first.items, stray)), *original.sets[1:]))

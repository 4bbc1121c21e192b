"""seleccionar-en-el-texto: the learner marks the sentences that support a statement.

The candidates are the sentences of one paragraph (``paragraph: 6``) or, without
``paragraph``, of the whole article, split by the rule of :mod:`comprende.sentences`.
The key is derived from the item's ``evidence``: the sentences that hold its quotes,
so every key sentence is a verbatim, checked quote and the evidence rule holds as
for every item. ``feedback`` (optional) gives a comment per sentence id (``"3.1"``),
shown when the learner marks that sentence.

**Score** (like opcion-multiple): points × max(0, right marks / key sentences − wrong
marks / other candidate sentences). The answer is the list of the marked sentence
ids, each once, in any order.

:mod:`comprende.types.dos_partes` uses the same selection as its Part B.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import ComprendeError
from ...model import Item
from ...reports.base import AnswerPart, AnswerView, shown
from ...sentences import Sentence, article_sentences, paragraph_sentences
from ...yamlio import LineDict
from ..base import Invalid, QuestionType, register, registered, render

if TYPE_CHECKING:
    from ...article import Article
    from ...bank import _Reader

MSG_RIGHT = "Sí, esta frase lo demuestra."
MSG_WRONG = "Esta frase no lo demuestra."
MSG_MISSED = "Te falta alguna frase."
MSG_DUPLICATE = "una frase aparece dos veces."
UNKNOWN_SENTENCE = "no es ninguna frase de la pregunta"
#: Words of a sentence shown in its label.
LABEL_WORDS = 5


@dataclass(frozen=True)
class Selection:
    """The sentences to choose among, and the key."""

    #: The paragraph the candidates come from; ``None``: the whole article.
    paragraph: int | None
    #: Every sentence the learner may mark, in reading order.
    candidates: tuple[Sentence, ...]
    #: The ids of the key sentences, in reading order.
    key: tuple[str, ...]
    #: Comment per sentence id, shown when it is marked.
    feedback: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.candidates]

    @property
    def where(self) -> str:
        """«del párrafo 6» or «del artículo», for messages."""
        return f"del párrafo {self.paragraph}" if self.paragraph else "del artículo"

    def groups(self) -> list[tuple[int, list[Sentence]]]:
        """The candidates by paragraph: ``[(paragraph, [sentences…])…]``."""
        result: list[tuple[int, list[Sentence]]] = []
        for sentence in self.candidates:
            if not result or result[-1][0] != sentence.paragraph:
                result.append((sentence.paragraph, []))
            result[-1][1].append(sentence)
        return result


def opening(sentence: Sentence) -> str:
    """The first words of a sentence, quoted: «Más del 80% del petróleo…»."""
    words = sentence.text.split()
    start = " ".join(words[:LABEL_WORDS])
    if len(words) > LABEL_WORDS:
        start = start.rstrip(",;:") + "…"
    return f"«{start}»"


def label(sentence: Sentence) -> str:
    """How messages name a sentence: «Párrafo 6, frase 1 («Más del 80% del petróleo…»)»."""
    return f"Párrafo {sentence.paragraph}, frase {sentence.number} ({opening(sentence)})"


# ----- loading ------------------------------------------------------------------------


def parse_selection(reader: _Reader, evidence: _Reader, article: Article) -> Selection:
    """The selection of ``reader`` (``paragraph``, ``feedback``), keyed by the quotes of
    ``evidence``'s ``evidence`` list (already checked verbatim by the loader)."""
    count = len(article.paragraphs)
    paragraph = reader.get("paragraph", int, default=None, fix=f"a paragraph number, 1 to {count}")
    if paragraph is not None and not 1 <= paragraph <= count:
        raise reader.fail(
            f"paragraph {paragraph} does not exist: the article has {count}",
            "paragraph",
            f"write a number from 1 to {count}, or remove `paragraph` to select in the whole article",
        )
    numbers = [paragraph] if paragraph else range(1, count + 1)
    candidates = tuple(s for n in numbers for s in paragraph_sentences(article, n))
    key = _key(evidence, candidates, article)
    if len(key) == len(candidates):
        where = f"paragraph {paragraph}" if paragraph else "the article"
        raise reader.fail(
            f"every sentence of {where} is a key sentence, so there is nothing to tell apart",
            "paragraph" if paragraph else None,
            "remove `paragraph` to select in the whole article, or choose another paragraph",
        )
    feedback = _feedback(reader, candidates)
    return Selection(paragraph=paragraph, candidates=candidates, key=key, feedback=feedback)


def _key(evidence: _Reader, candidates: tuple[Sentence, ...], article: Article) -> tuple[str, ...]:
    """The candidates holding the quotes of ``evidence``; each quote must name one."""
    quotes = evidence.data["evidence"]
    found: set[str] = set()
    for index, quote in enumerate(quotes):
        holding = [s for s in candidates if quote in s.text]
        if len(holding) == 1:
            found.add(holding[0].id)
            continue
        if holding:
            problem = f"evidence {quote[:60]!r} is in {len(holding)} sentences"
            fix = "quote enough words to name one sentence"
        elif any(quote in s.text for s in article_sentences(article)):
            problem = f"evidence {quote[:60]!r} is not in the sentences the learner can mark"
            fix = "quote a sentence of the item's `paragraph`, or change `paragraph`"
        else:
            problem = f"evidence {quote[:60]!r} runs over more than one sentence"
            fix = "quote each key sentence on its own line (the key is the sentences quoted)"
        raise ComprendeError(
            f"{evidence.what}: {problem}",
            path=evidence.path,
            line=quotes.item_lines[index],
            fix=fix,
        )
    return tuple(s.id for s in candidates if s.id in found)


def _feedback(reader: _Reader, candidates: tuple[Sentence, ...]) -> dict[str, str]:
    data = reader.get("feedback", LineDict, default=LineDict(), fix='e.g. feedback: {"3.1": …}')
    ids = [s.id for s in candidates]
    result = {}
    for sentence_id, text in data.items():
        if not _written_as(reader, data.line_of(sentence_id), sentence_id):
            raise reader.fail(
                f"a sentence id under `feedback` was read as the number {sentence_id}",
                "feedback",
                'write sentence ids between quotes, e.g. "3.1": YAML reads 3.10 as 3.1',
            )
        if sentence_id not in ids:
            raise reader.fail(
                f"`feedback` names {sentence_id!r}, which is not a sentence the learner can mark",
                "feedback",
                "use ids paragraph.sentence of the candidates: " + ", ".join(ids),
            )
        if not isinstance(text, str) or not text.strip():
            raise reader.fail(f"the feedback for {sentence_id!r} must be a text", "feedback")
        result[sentence_id] = text.strip()
    return result


def _written_as(reader: _Reader, line: int, key: str) -> bool:
    """Whether the file's ``line`` writes the key ``key`` as it was read (YAML reads an
    unquoted 6.10 as the number 6.1, which would name another sentence)."""
    path = Path(reader.path)
    text = _source_lines(str(path), path.stat().st_mtime_ns)[line - 1] if line else ""
    quoted = f'"{key}"' in text or f"'{key}'" in text
    return quoted or re.search(rf"(?<![\w.]){re.escape(key)}\s*:", text) is not None


@lru_cache(maxsize=16)
def _source_lines(path: str, mtime: int) -> list[str]:
    """The file's lines (keyed by its modification time: an edited file is read again)."""
    return Path(path).read_text(encoding="utf-8").splitlines()


# ----- grading ------------------------------------------------------------------------


def grade_selection(selection: Selection, answer: Any) -> tuple[float, list[str]]:
    """(fraction, feedback) of a list of marked sentence ids."""
    ids = selection.ids
    if not isinstance(answer, list) or not all(isinstance(a, str) and a in ids for a in answer):
        example = selection.candidates[0].id
        raise Invalid(f'se esperaba una lista de frases {selection.where} (como "{example}").')
    if len(set(answer)) != len(answer):
        raise Invalid(MSG_DUPLICATE)
    key = set(selection.key)
    right = sum(a in key for a in answer)
    wrong = len(answer) - right
    fraction = right / len(key) - wrong / (len(ids) - len(key))
    feedback = []
    for sentence in selection.candidates:
        if sentence.id in answer:
            default = MSG_RIGHT if sentence.id in key else MSG_WRONG
            feedback.append(f"{label(sentence)}. {selection.feedback.get(sentence.id, default)}")
    if right < len(key):
        feedback.append(MSG_MISSED)
    return fraction, feedback


# ----- the page and the reports -------------------------------------------------------


def selection_data(selection: Selection) -> dict[str, Any]:
    """What the page needs to restore a selection (no key)."""
    return {"sentences": selection.ids}


def selection_key(selection: Selection) -> dict[str, Any]:
    """What the page needs besides to grade it (practice mode)."""
    return {
        "key": list(selection.key),
        "labels": {s.id: label(s) for s in selection.candidates},
        "sentenceFeedback": dict(selection.feedback),
        "where": selection.where,
    }


def selection_view(selection: Selection, answer: Any) -> AnswerView | None:
    if not isinstance(answer, list):
        return None
    by_id = {s.id: s for s in selection.candidates}
    order = {s.id: n for n, s in enumerate(selection.candidates)}
    parts = []
    for given in sorted(
        answer, key=lambda a: order.get(a, len(order)) if isinstance(a, str) else len(order)
    ):
        sentence = by_id.get(given) if isinstance(given, str) else None
        if sentence is None:
            parts.append(AnswerPart(shown(given), "", UNKNOWN_SENTENCE))
        else:
            # its opening words, not the whole sentence: a report without the key
            # quotes no evidence
            parts.append(
                AnswerPart(
                    opening(sentence), f"Párrafo {sentence.paragraph}, frase {sentence.number}"
                )
            )
    return AnswerView("blanks", tuple(parts))


def selection_comments(selection: Selection, indent: str = "  ") -> list[str]:
    return [f"{indent}{s.id}) {s.text}" for s in selection.candidates]


def render_sentences(selection: Selection, name: str) -> str:
    """The sentence toggles, grouped by paragraph (shared with dos-partes' Part B)."""
    return render(get_kind(), "sentences.html", selection=selection, name=name)


def get_kind() -> TextSelection:
    kind = registered(TextSelection.id)
    assert isinstance(kind, TextSelection)
    return kind


@register
class TextSelection(QuestionType):
    id = "seleccionar-en-el-texto"
    name = "seleccionar en el texto"
    how_to_answer = (
        "escribe la lista de las frases que marcas, con su número de párrafo y de frase "
        'entre comillas, p. ej.: ["6.1", "9.2"]'
    )
    fields = frozenset({"paragraph", "feedback"})
    script = "comprende/types/seleccionar-en-el-texto.js"
    stylesheets = ("comprende/selection.css",)

    def parse(self, reader: Any, points: float, article: Any) -> dict[str, Any]:
        return {"data": parse_selection(reader, reader, article)}

    def export(self, item: Item, fmt: str) -> Any:
        from .export import export

        return export(item, fmt, label=label, right=MSG_RIGHT, wrong=MSG_WRONG)

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        return grade_selection(item.data, answer)

    def answer_schema(self, item: Item) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": item.data.ids}, "uniqueItems": True}

    def key_answer(self, item: Item) -> Any:
        return list(item.data.key)

    def template_comments(self, item: Item) -> list[str]:
        return selection_comments(item.data)

    def page_data(self, item: Item) -> dict[str, Any]:
        return selection_data(item.data)

    def page_key(self, item: Item) -> dict[str, Any]:
        return selection_key(item.data)

    def widget(self, item: Item) -> str:
        sentences = render_sentences(item.data, item.id)
        return render(self, "widget.html", item=item, sentences=sentences)

    def choices_to_read(self, item: Item) -> list[str]:
        # The sentences are the article's own, already counted once as the article.
        return []

    def plain(self, item: Item) -> list[Any]:
        from docutils import nodes

        return [
            nodes.paragraph("", item.prompt),
            nodes.bullet_list(
                "",
                *(
                    nodes.list_item("", nodes.paragraph("", f"{s.id}) {s.text}"))
                    for s in item.data.candidates
                ),
            ),
        ]

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        return selection_view(item.data, answer)

    def invalid_reason(self, item: Item) -> str:
        return f"se esperaba una lista de frases {item.data.where}."

    def key_label(self, item: Item) -> str:
        return "+".join(item.data.key)

    def answer_label(self, item: Item, answer: Any) -> str | None:
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return None
        order = {s.id: n for n, s in enumerate(item.data.candidates)}
        return "+".join(sorted(answer, key=lambda a: order.get(a, len(order))))

"""The plain data of the module: bank, items, submissions and results.

Loading and validation live in :mod:`comprende.bank` and :mod:`comprende.submission`;
grading in :mod:`comprende.grading`. Nothing here reads files or grades.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import QuestionType


class ItemType(StrEnum):
    """The ids of the first nine built-in question types, with the answer shape each
    expects: names the tests and benchmarks use.

    Not the list of types: comprende never reads it (``tests/test_types.py`` checks),
    it asks the registry (:mod:`comprende.types`), where every type, built in or added,
    is one package. A type added later is named by its id and adds nothing here.
    """

    TRUE_FALSE = "verdadero-falso"  #: ``true`` or ``false``
    SINGLE = "opcion-unica"  #: an option id
    MULTIPLE = "opcion-multiple"  #: a list of option ids
    SHORT = "respuesta-corta"  #: text
    NUMERIC = "numerica"  #: a number, or text such as ``"80,5"``
    CLOZE = "huecos"  #: ``{blank name: text}``
    MATCHING = "relacionar"  #: ``{left id: right id}``
    ORDERING = "ordenar"  #: the list of all element ids, in order
    OPEN = "respuesta-abierta"  #: text, graded by the instructor


class Status(StrEnum):
    """What happened to one answer."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    MISSING = "missing"  #: no answer given
    INVALID = "invalid"  #: an answer of the wrong shape
    PENDING = "pending"  #: open response, waiting for the instructor


SKILLS = ("literal", "vocabulario", "inferencia", "contexto", "lectura-critica")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


@dataclass(frozen=True)
class Choice:
    """An option, a matching side or an element to order."""

    #: Stable id, unique within its item.
    id: str
    #: What the student reads.
    text: str
    #: Whether choosing it is right (options only).
    correct: bool = False
    #: Shown when the student chooses it.
    feedback: str = ""


@dataclass(frozen=True)
class TextPolicy:
    """How a text answer is compared with the accepted ones."""

    #: ``ignore`` or ``exact``.
    case: str = "ignore"
    #: ``required`` (an accent slip is wrong, with "casi") or ``optional``.
    accents: str = "required"
    #: ``ignore`` or ``exact``: ¿ ¡ . , ; : « » quotes and the like.
    punctuation: str = "ignore"
    #: Largest edit distance still accepted (0: none).
    typos: int = 0


@dataclass(frozen=True)
class WrongAnswer:
    """A common wrong answer and the feedback it gets."""

    answer: str | float
    feedback: str


@dataclass(frozen=True)
class TextKey:
    """The key of a text answer: a short answer, or one blank of a cloze."""

    #: Accepted answers; the first is the canonical one.
    accept: tuple[str, ...]
    policy: TextPolicy = field(default_factory=TextPolicy)
    wrong: tuple[WrongAnswer, ...] = ()
    #: Feedback for any other wrong answer.
    feedback_incorrect: str = ""


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote of the article that grounds the key."""

    quote: str
    #: 1-based paragraph of the article that contains it.
    paragraph: int


@dataclass(frozen=True)
class Criterion:
    """One line of an open response's rubric."""

    criterion: str
    points: float


@dataclass(frozen=True)
class MarkingGuide:
    """What the instructor marks a hand-marked answer by: the marking page, ``pending.csv``
    and the reports take it from the item's type (``QuestionType.marking_guide``)."""

    #: One line per criterion; none: the item is marked with one score.
    rubric: tuple[Criterion, ...] = ()
    model_answer: str = ""
    #: Word limits the marking page counts against (0: none).
    min_words: int = 0
    max_words: int = 0


@dataclass(frozen=True)
class Item:
    """One question of the bank. Fields from ``key`` to ``data`` depend on the type: only
    the types' packages read them (``tests/test_types.py`` checks); a type added later
    keeps what it needs in ``data``."""

    id: str
    #: The question type's id (see :mod:`comprende.types`).
    type: str
    prompt: str
    points: float
    skill: str
    level: str
    evidence: tuple[Evidence, ...]
    explanation: str
    #: The set the item belongs to.
    set_id: str
    #: Where the item is defined (``file:line``), for messages.
    source: str = ""
    #: Sphinx label of the context page (or section) the answer relies on, if any.
    context: str = ""
    #: Line of the ``context:`` field, for the build's warning about an unknown label.
    context_line: int = 0
    #: Key of true/false (bool) and numeric (float) items.
    key: Any = None
    #: true/false: feedback per answer (``"true"``/``"false"``); matching: per left id.
    feedback: dict[str, str] = field(default_factory=dict)
    #: Single and multiple choice options.
    options: tuple[Choice, ...] = ()
    #: Short answer key.
    text_key: TextKey | None = None
    #: Numeric: absolute tolerance, unit, common wrong values.
    tolerance: float = 0.0
    unit: str = ""
    wrong: tuple[WrongAnswer, ...] = ()
    #: Cloze: the text with ``[[name]]`` blanks, and each blank's key in order.
    text: str = ""
    blanks: tuple[tuple[str, TextKey], ...] = ()
    #: Matching: the two sides and the key ``{left id: right id}``.
    left: tuple[Choice, ...] = ()
    right: tuple[Choice, ...] = ()
    pairs: dict[str, str] = field(default_factory=dict)
    #: Ordering: the elements in the correct order.
    elements: tuple[Choice, ...] = ()
    #: Open response.
    rubric: tuple[Criterion, ...] = ()
    min_words: int = 0
    max_words: int = 0
    model_answer: str = ""
    #: What a type added after these fields keeps of its own (a frozen dataclass).
    data: Any = None
    #: The item's question type (the registry's entry for ``type``), set by the loader.
    kind: QuestionType = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """The article paragraphs the item is about, from its evidence."""
        return tuple(sorted({e.paragraph for e in self.evidence}))

    @property
    def auto_graded(self) -> bool:
        return self.kind.auto_graded


@dataclass(frozen=True)
class ItemSet:
    """A group of items shown together (comprensión global, vocabulario…)."""

    id: str
    title: str
    instructions: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Bank:
    """The whole exercise bank of a module."""

    #: Module id; every submission names it.
    id: str
    title: str
    #: Bumped when items change; keeps browsers' saved answers apart.
    version: int
    sets: tuple[ItemSet, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for item_set in self.sets for item in item_set.items)

    def item(self, item_id: str) -> Item:
        return self.by_id[item_id]

    @property
    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @property
    def possible(self) -> float:
        return sum(item.points for item in self.items)


@dataclass(frozen=True)
class Student:
    id: str
    name: str


@dataclass(frozen=True)
class Submission:
    """A student's answers file, as read (see :mod:`comprende.submission`)."""

    module: str
    student: Student
    #: ``{item id: answer}``; any JSON value may appear as an answer.
    answers: dict[str, Any]
    #: Where it was read from.
    source: str = ""


@dataclass(frozen=True)
class Marking:
    """The instructor's marks for one open response."""

    #: Points per rubric criterion, in the item's rubric order (``None`` where not given).
    criteria: tuple[float | None, ...] = ()
    #: The instructor's comment for the student.
    comment: str = ""


@dataclass(frozen=True)
class ItemResult:
    """The grade of one answer."""

    item_id: str
    #: Points earned (0 for pending open responses).
    points: float
    #: Points possible.
    possible: float
    status: Status
    #: Messages for the student, in Spanish: why right or wrong.
    feedback: tuple[str, ...] = ()
    #: The answer as given.
    answer: Any = None
    #: The instructor's marks, for an open response that has been marked.
    marking: Marking | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item_id,
            "points": self.points,
            "possible": self.possible,
            "status": self.status.value,
            "feedback": list(self.feedback),
            "answer": self.answer,
        }


@dataclass(frozen=True)
class SubmissionResult:
    """The grade of a whole submission."""

    submission: Submission
    items: tuple[ItemResult, ...]

    @property
    def total(self) -> float:
        return round_points(sum(r.points for r in self.items))

    @property
    def possible(self) -> float:
        return round_points(sum(r.possible for r in self.items))

    @property
    def percentage(self) -> float:
        return round_points(100 * self.total / self.possible) if self.possible else 0.0

    @property
    def pending(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.items if r.status is Status.PENDING)

    def to_dict(self) -> dict[str, Any]:
        return {
            "module": self.submission.module,
            "student": {"id": self.submission.student.id, "name": self.submission.student.name},
            "total": self.total,
            "possible": self.possible,
            "percentage": self.percentage,
            "items": [r.to_dict() for r in self.items],
        }


def round_points(value: float) -> float:
    """Round to hundredths, halves up: the page's JavaScript rounds the same way."""
    import math

    return math.floor(value * 100 + 0.5 + 1e-9) / 100

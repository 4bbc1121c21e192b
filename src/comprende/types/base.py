"""What every question type is: :class:`QuestionType`, and the helpers its methods share.

A type is one package of :mod:`comprende.types` holding a subclass of
:class:`QuestionType` decorated with :func:`comprende.types.register`, its widget's
Jinja2 template (``widget.html``) and, under ``static/comprende/types/``, its page
script. Its methods are the only place that knows the type: loading, grading, the
answer's schema, the answers template, the page's data and widget, the reports'
view of an answer, the export hooks and the printed worksheet (``print.html``,
:meth:`QuestionType.printed`). See the author guide, «Añadir un tipo de pregunta».
"""

from __future__ import annotations

import importlib
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from docutils import nodes
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from ..model import Choice, Item, ItemResult, MarkingGuide, Status, round_points

if TYPE_CHECKING:
    from ..article import Article
    from ..bank import _Reader
    from ..reports.base import AnswerView

MSG_INVALID = "Respuesta no válida: {reason}"
MSG_CORRECT = "¡Correcto!"
MSG_INCORRECT = "No es correcto."
MSG_MISSING = "Sin respuesta."

_SHARED_TEMPLATES = Path(__file__).parent / "templates"
_LAYOUT = re.compile(r">\n\s*<")


class Invalid(Exception):
    """An answer of the wrong shape; the message says why, in Spanish."""


class QuestionType(ABC):
    """One kind of question. Subclasses set the class attributes and override the methods
    (``parse``, ``answer_schema`` and ``key_answer`` must be written; ``grade`` unless the
    type writes its own ``result``).

    The defaults suit a type whose answer is one value chosen among ``item.options``.
    """

    #: The type's id, as written in the bank (``type: huecos``).
    id: ClassVar[str]
    #: Its name for the student, in Spanish («completar huecos»).
    name: ClassVar[str]
    #: How to write the answer in the YAML answers template, in Spanish.
    how_to_answer: ClassVar[str]
    #: The bank fields of this type (besides the common ones).
    fields: ClassVar[frozenset[str]] = frozenset()
    #: False for answers the instructor marks by hand.
    auto_graded: ClassVar[bool] = True
    #: True when the answer is a mapping whose empty entries count as not answered.
    mapping_answer: ClassVar[bool] = False
    #: The page script, relative to ``src/comprende/static/``.
    script: ClassVar[str] = ""
    #: The widget's own stylesheets, relative to ``src/comprende/static/``; a page loads
    #: them only when it has an item of this type.
    stylesheets: ClassVar[tuple[str, ...]] = ()
    #: Folder of the type's package (its ``widget.html``); set by ``register``.
    folder: ClassVar[Path]

    # ----- loading -------------------------------------------------------------------

    @abstractmethod
    def parse(self, reader: _Reader, points: float, article: Article) -> dict[str, Any]:
        """The type's fields of :class:`~comprende.model.Item`, checked; errors via
        ``reader.fail(message, key, fix)``, which name the file and the line."""

    # ----- grading -------------------------------------------------------------------

    def grade(self, item: Item, answer: Any) -> tuple[float, list[str]]:
        """``(fraction of the points, feedback)`` for a cleaned, non-empty answer.

        Raises :class:`Invalid` for an answer of the wrong shape; never anything else.
        """
        raise NotImplementedError(f"{self.id}: a type writes grade(), or result() instead")

    def result(self, item: Item, answer: Any) -> ItemResult:
        """The graded result of a cleaned, non-empty answer."""
        try:
            fraction, feedback = self.grade(item, answer)
        except Invalid as exc:
            return invalid_result(item, str(exc), answer)
        return scored_result(item, fraction, feedback, answer)

    # ----- the answers file ----------------------------------------------------------

    @abstractmethod
    def answer_schema(self, item: Item) -> dict[str, Any]:
        """JSON Schema of one answer (``null``, not answered, is added by the caller)."""

    @abstractmethod
    def key_answer(self, item: Item) -> Any:
        """An answer that earns full marks (for open responses, the model answer)."""

    def template_comments(self, item: Item) -> list[str]:
        """What the answers template shows of the item besides its prompt, one line each."""
        return [f"  {option.id}) {option.text}" for option in item.options]

    def template_answer(self, item: Item, value: Any, indent: str) -> list[str]:
        """The answer's lines in the template: empty, or ``value`` (the key)."""
        if value is None:
            return [f"{indent}{item.id}:"]
        return [f"{indent}{item.id}: {json.dumps(value, ensure_ascii=False)}"]

    # ----- the page ------------------------------------------------------------------

    def page_data(self, item: Item) -> dict[str, Any]:
        """What the page needs of the item to render and restore it (no key)."""
        return {}

    def page_key(self, item: Item) -> dict[str, Any]:
        """What the page needs besides to grade it, in practice mode only."""
        return {}

    def widget(self, item: Item) -> str:
        """The answer's HTML (the item's prompt included), from ``widget.html``."""
        return render(self, "widget.html", item=item)

    def plain(self, item: Item) -> list[nodes.Node]:
        """The item for builders other than HTML (text, LaTeX): prompt and choices."""
        result: list[nodes.Node] = [nodes.paragraph("", item.prompt)]
        choices = self.choices_to_read(item)
        if choices:
            result.append(
                nodes.bullet_list(
                    "", *(nodes.list_item("", nodes.paragraph("", text)) for text in choices)
                )
            )
        return result

    def choices_to_read(self, item: Item) -> list[str]:
        """The texts the student reads besides the prompt (reading time, plain output)."""
        return [option.text for option in item.options]

    def key_order(self, item: Item, choices: tuple[Choice, ...]) -> list[str] | None:
        """The order of ``choices`` (ids) that would give the key away, or ``None``.

        :func:`comprende.pagedata.display_order` never shows ``choices`` in that order,
        nor (past two) in its reverse: an ordering's elements, a matching's right column.
        """
        return None

    def shape_data(self, item: Item) -> dict[str, Any]:
        """What checking an answer's shape needs besides the page data without its texts
        (:func:`comprende.pagedata.shape_json`)."""
        return {}

    # ----- reports -------------------------------------------------------------------

    def answer_view(self, item: Item, answer: Any) -> AnswerView | None:
        """How the student saw ``answer``, or ``None`` when it has the wrong shape."""
        return None

    def invalid_reason(self, item: Item) -> str:
        """What an answer should have been, for the student, naming no internal id
        (empty: the grading message already names none)."""
        return ""

    def student_message(self, item: Item, message: str) -> str:
        """A grading message of an invalid answer as the student's report shows it.

        The grading messages list the bank's ids, for someone editing an answers file by
        hand; the student's report names none: «Respuesta no válida: se esperaba…» says
        :meth:`invalid_reason` instead (when the type has one)."""
        reason = self.invalid_reason(item)
        if reason and message.startswith(MSG_INVALID.format(reason="se esperaba")):
            return MSG_INVALID.format(reason=reason)
        return message

    def key_label(self, item: Item) -> str:
        """The right answer as the item analysis labels answers ("" when it has none)."""
        return ""

    def answer_label(self, item: Item, answer: Any) -> str | None:
        """A short label of a valid answer for the frequencies (``None``: the default)."""
        return None

    def report_text(self, item: Item) -> list[tuple[str, str]]:
        """The item's text the feedback report shows under the prompt, in pieces: ``(text,
        "")`` is text, ``("", label)`` a gap shown by its label; empty: none."""
        return []

    def marking_guide(self, item: Item) -> MarkingGuide:
        """What the instructor marks the answer by (types with ``auto_graded`` false): the
        marking page, ``pending.csv``'s criterion columns and the reports read it."""
        return MarkingGuide()

    # ----- exports (issue 14) --------------------------------------------------------

    def export(self, item: Item, fmt: str) -> Any:
        """The item in an exchange format (``moodle-xml``, ``gift``, ``qti``…), or
        ``None`` when this type has no equivalent there (the exporter reports it).

        The piece is what the format module needs (a ``<question>`` or ``<item>``
        Element, a GIFT string), built with its shared builders; wrap it in
        :class:`comprende.exports.base.Exported` to name what degrades, or raise
        :class:`comprende.exports.base.NotExpressible` with the reason. The built-in types
        keep this in their package's ``export.py``."""
        return None

    # ----- the printed worksheet (issue 14) --------------------------------------------

    def printed(self, item: Item, *, key: bool) -> str | None:
        """The item on the printed worksheet (:mod:`comprende.worksheet`), as HTML.

        ``key=False``: the student's copy, the prompt with room to answer and no key;
        ``key=True``: the teacher's copy, the prompt with the key. The worksheet adds the
        number, the points, and (teacher's copy) the explanation and the evidence. It is
        rendered from the package's ``print.html`` (context: ``item``, ``key`` and
        :meth:`print_context`; the shared macros are in ``print_macros.html``); ``None``
        when the package has none: the worksheet then prints the prompt and a note.
        """
        if not (self.folder / "print.html").exists():
            return None
        return render(self, "print.html", item=item, key=key, **self.print_context(item))

    def print_context(self, item: Item) -> dict[str, Any]:
        """What the type's ``print.html`` needs besides ``item`` and ``key``."""
        return {}


# ----- the registry's store -----------------------------------------------------------
#
# The store lives here, below every type package, so that a package registers itself
# without importing :mod:`comprende.types`, whose ``get`` imports the packages: the
# registry's discovery is then the only edge from the types' parent to a type.

_T = TypeVar("_T", bound=type[QuestionType])
_REGISTRY: dict[str, QuestionType] = {}
#: A type's id: the page loads ``comprende/types/<id>.js`` and accepts no other name.
TYPE_ID = re.compile(r"[a-z][a-z-]*")


def register(cls: _T) -> _T:
    """Class decorator: make ``cls`` the type ``cls.id``."""
    if not isinstance(cls.id, str) or not TYPE_ID.fullmatch(cls.id):
        raise ValueError(
            f"question type id {cls.id!r}: use lowercase letters and hyphens, starting "
            "with a letter (the page loads comprende/types/<id>.js by it)"
        )
    if cls.id in _REGISTRY:
        raise RuntimeError(f"question type {cls.id!r} is registered twice")
    module = importlib.import_module(cls.__module__)
    cls.folder = Path(module.__file__ or "").parent
    _REGISTRY[cls.id] = cls()
    return cls


def registered(type_id: str) -> QuestionType:
    """The type ``type_id`` if its package is already imported (``KeyError`` if not);
    for a type that uses another one it imports. Everyone else asks
    :func:`comprende.types.get`, which imports every package first."""
    return _REGISTRY[type_id]


# ----- answers ------------------------------------------------------------------------


def is_empty(answer: Any) -> bool:
    return answer is None or (
        isinstance(answer, str | list | dict)
        and not (answer.strip() if isinstance(answer, str) else answer)
    )


# ----- results ------------------------------------------------------------------------


def scored_result(item: Item, fraction: float, feedback: list[str], answer: Any) -> ItemResult:
    """The result of a fraction of the points: rounded, and its status from the points."""
    points = round_points(item.points * max(0.0, min(1.0, fraction)))
    if points >= item.points:
        status = Status.CORRECT
    elif points > 0:
        status = Status.PARTIAL
    else:
        status = Status.INCORRECT
    return ItemResult(item.id, points, item.points, status, tuple(feedback), answer)


def invalid_result(item: Item, reason: str, answer: Any) -> ItemResult:
    return ItemResult(
        item.id, 0.0, item.points, Status.INVALID, (MSG_INVALID.format(reason=reason),), answer
    )


def mapping_lines(item: Item, names: list[str], value: Any, indent: str) -> list[str]:
    """A mapping answer in the answers template: a line per name, empty or with the key."""
    lines = [f"{indent}{item.id}:"]
    for name in names:
        given = json.dumps(value[name], ensure_ascii=False) if value else ""
        lines.append(f"{indent}  {name}: {given}".rstrip())
    return lines


def option_map(choices: Iterable[Choice]) -> dict[str, Choice]:
    return {choice.id: choice for choice in choices}


# ----- widgets ------------------------------------------------------------------------


@cache
def _environment(folder: Path) -> Environment:
    environment = Environment(
        loader=ChoiceLoader([FileSystemLoader(folder), FileSystemLoader(_SHARED_TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    from ..pagedata import display_order

    environment.globals["display_order"] = display_order
    return environment


def render(kind: QuestionType, template: str, **context: Any) -> str:
    """Render one of the type's templates, autoescaped.

    The templates' layout (a line break and indentation between two tags) is dropped;
    text, escaped, can hold no ``<`` or ``>``, so nothing the student reads changes.
    """
    html = _environment(kind.folder).get_template(template).render(kind=kind, **context)
    return _LAYOUT.sub("><", html).strip()

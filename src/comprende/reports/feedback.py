"""``feedback/<student>.html``: a self-contained report in Spanish for one student.

The page opens with a summary (the total, then the score per set and per skill, as
tables), then every question as the student saw it on the site: numbered as the
exercise pages number it («Comprensión detallada · Pregunta 3»: the set's title and the
position in its set, :mod:`comprende.ext.exercises`), the answer with every choice by
its text (the pages show no letters and shuffle the options; see
:func:`comprende.reports.base.answer_view`), the result, the feedback, the evidence from
the article, the right answer and the explanation. A marked open response shows the
points per rubric criterion and the instructor's comment; an unmarked one says it is
«pendiente de corrección». The page names the student, never a file of the
instructor's. It is rendered from the Jinja2 templates ``templates/feedback*.html``
with autoescaping: every piece of student (and bank) text is escaped.

With ``include_key=False`` (``--no-key``, for a class that may still sit the exam) the
page gives no answer away, directly or through a quote: it shows the student's answer,
the result and the points, and only *which* paragraphs hold the evidence ("Vuelve a leer
el párrafo 4"), never the evidence sentence, the explanation, the key or the per-answer
feedback (which may name the right form, as "revisa la tilde: se escribe «…»" does). For
a marked open response that means the points per criterion by number only («Criterio
2: 1 de 1»): the rubric's wording (what a good answer contains) is left out. The
instructor's own comment is shown: it was written for the student, knowing the mode.

With ``site_url`` (``--site-url URL``: the published site's address, ``http://`` or
``https://`` only, see :func:`check_site_url`) each question links to itself on the
site: set ``S`` is on the page ``ejercicios/S.html`` (the site's convention, checked by
the tests) and item ``I`` has the anchor ``item-I`` there.

Interface (called by :class:`comprende.classgrade.GradingRun`):

* ``FeedbackRenderer(bank, include_key=True, site_url=None)``;
* ``item_fragment(result) -> str``: one question's ``<section>``. It depends only on the
  item and the :class:`~comprende.model.ItemResult` (answer and marking included), so
  the caller caches it per distinct answer: a class repeats the same answers. A caller
  that attaches a ``marking`` must key its cache on the marking too;
* ``render(result, fragments, notes) -> str``: the whole page, from the fragments in bank
  order and the notes for the student (already in Spanish, without file paths).
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from ..errors import UsageError
from ..model import SKILLS, Bank, Item, ItemResult, Marking, Status, SubmissionResult
from ..model import round_points as _round
from ..template import STATUS_NAMES, key_answer
from .base import answer_view, points, points_text

#: The skills' names for students.
SKILL_NAMES = {
    "literal": "Comprensión literal",
    "vocabulario": "Vocabulario",
    "inferencia": "Inferencia",
    "contexto": "Contexto",
    "lectura-critica": "Lectura crítica",
}

CSS = """
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 .75rem;
line-height:1.5;color:#1b1b1b;background:#fff}
main{overflow-wrap:anywhere}
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1.05rem;margin:.3rem 0}
.item{border-left:.3rem solid #767676;padding:.2rem 0 .2rem .75rem;margin:1.25rem 0}
.correct{border-color:#1a7f37}.partial{border-color:#9a6700}
.incorrect,.invalid{border-color:#cf222e}.pending{border-color:#0969da}
dt{font-weight:600}dd{margin:0 0 .5rem .75rem}dd p{margin:.2rem 0}
dd ul,dd ol{margin:.2rem 0;padding-left:1.25rem}
blockquote{margin:.2rem 0;font-style:italic}
.waiting{display:block;font-weight:400;color:#595959}
.text{white-space:pre-wrap}.unknown{background:#fff3cd}.why{color:#595959}
.total{font-size:1.15rem}
.table{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;width:100%;overflow-wrap:normal;font-size:.875rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #ddd;padding:.3rem .35rem;text-align:right;vertical-align:top}
td{white-space:nowrap}
th[scope=row],thead th:first-child{text-align:left}
td{font-variant-numeric:tabular-nums}
tfoot th,tfoot td{font-weight:700;border-top:2px solid #999}
a{color:#0b57d0}
""".strip()

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("comprende", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    auto_reload=False,  # the package's templates do not change during a run: no stat() a page
)


def check_site_url(url: str) -> str:
    """The site's address, normalised (no trailing ``/``), or :class:`UsageError`.

    Only an absolute ``http://`` or ``https://`` address with a host is accepted, without
    user name, password, query or fragment; characters not allowed in a URL path are
    percent-encoded. The links are escaped again when the page is written.
    """
    text = url.strip()
    if any(c in '"<>\\^`{|}' or unicodedata.category(c)[0] in "CZ" for c in text):
        raise UsageError(
            f"--site-url: la dirección contiene espacios o caracteres no válidos: {text!r}"
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise UsageError(f"--site-url: la dirección no es válida: {text!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--site-url: se necesita una dirección que empiece por http:// o https://, "
            f"p. ej.: https://ejemplo.org/comprende (se recibió {text!r})"
        )
    if parts.username is not None or parts.password is not None:
        raise UsageError("--site-url: la dirección no puede llevar usuario ni contraseña")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise UsageError(
            "--site-url: da la dirección de la página de inicio del sitio, sin «?» ni «#»"
        )
    host = parts.hostname
    try:
        host = host.encode("idna").decode("ascii")  # señal.es → xn--seal-hqa.es
    except UnicodeError:
        raise UsageError(f"--site-url: el nombre del servidor no es válido: {host!r}") from None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return f"{parts.scheme.lower()}://{netloc}{path.rstrip('/')}"


def question_labels(bank: Bank) -> dict[str, str]:
    """``{item id: «<set title> · Pregunta <n>»}``, numbered as the exercise pages do."""
    return {
        item.id: f"{item_set.title} · Pregunta {number}"
        for item_set in bank.sets
        for number, item in enumerate(item_set.items, 1)
    }


def criteria_lines(item: Item, marking: Marking, *, include_key: bool) -> list[str]:
    """One line per rubric criterion: «Criterio: <text> — 1 de 1» (by number without the key).

    None when no criterion was given points (the instructor gave only the score).
    """
    if all(given is None for given in marking.criteria):
        return []
    lines = []
    for number, (criterion, given) in enumerate(
        itertools.zip_longest(item.kind.marking_guide(item).rubric, marking.criteria), 1
    ):
        if criterion is not None and include_key:
            name = f"Criterio: {criterion.criterion.rstrip('.')}"
        else:
            name = f"Criterio {number}"
        score = "sin puntuar" if given is None else points(given, comma=True)
        if criterion is not None:
            score += f" de {points(criterion.points, comma=True)}"
        lines.append(f"{name} — {score}")
    return lines


def student_feedback(item: Item, result: ItemResult) -> tuple[str, ...]:
    """The result's messages for the student: an invalid answer's reason names no id
    (the type's ``student_message``)."""
    if result.status is not Status.INVALID:
        return result.feedback
    return tuple(item.kind.student_message(item, m) for m in result.feedback)


class _Section(NamedTuple):
    """A set's part of the page (attributes, so the template finds them at once)."""

    id: Markup
    title: Markup
    fragments: str


@dataclass(frozen=True)
class _Row:
    name: str
    points: str
    possible: str
    percentage: str
    pending: str
    href: str = ""


@functools.lru_cache(maxsize=1024)
def _row(name: str, earned: float, possible: float, pending: float, href: str = "") -> _Row:
    # Whole percentages, halves up: the table must fit a 320 px screen.
    share = math.floor(100 * earned / possible + 0.5 + 1e-9) if possible else 0
    return _Row(
        name,
        points(_round(earned), comma=True),
        points(_round(possible), comma=True),
        f"{share}\u00a0%",
        f"{points_text(_round(pending))} por corregir" if pending else "",
        href,
    )


_ROW_TEMPLATE = _ENV.get_template("feedback_row.html")


@functools.lru_cache(maxsize=1024)
def _row_html(row: _Row) -> Markup:
    """A summary row's ``<tr>``: rows repeat across a class, so each is rendered once."""
    return Markup(_ROW_TEMPLATE.render(row=row).strip())


class FeedbackRenderer:
    """Renders feedback pages for one bank; ``include_key=False`` leaves the key out."""

    def __init__(
        self, bank: Bank, *, include_key: bool = True, site_url: str | None = None
    ) -> None:
        self.bank = bank
        self.include_key = include_key
        self.site_url = check_site_url(site_url) if site_url is not None else None
        self._items = bank.by_id
        self._labels = question_labels(bank)
        self._links = {
            item.id: self._link(item_set.id, item.id)
            for item_set in bank.sets
            for item in item_set.items
        }
        key_template = _ENV.get_template("feedback_key.html")
        self._key = {item.id: Markup(self._key_part(key_template, item)) for item in bank.items}
        self._text = {item.id: item.kind.report_text(item) for item in bank.items}
        self._item_template = _ENV.get_template("feedback_item.html")
        self._page_template = _ENV.get_template("feedback.html")
        # The sets' ids and titles escaped once (the page shows them for every student).
        self._set_names = [(Markup(escape(s.id)), Markup(escape(s.title))) for s in bank.sets]
        self._css = Markup(CSS)
        # Summary: per item (bank order), the index of its set and of its skill.
        self._skills = [s for s in SKILLS if any(i.skill == s for i in bank.items)]
        skill_index = {s: n for n, s in enumerate(self._skills)}
        # (the skills' slots follow the sets'), and the points possible per slot.
        self._slots = [
            (set_index, len(bank.sets) + skill_index[item.skill])
            for set_index, item_set in enumerate(bank.sets)
            for item in item_set.items
        ]
        self._possible = [0.0] * (len(bank.sets) + len(self._skills))
        for (set_index, skill_slot), item in zip(self._slots, bank.items, strict=True):
            self._possible[set_index] += item.points
            self._possible[skill_slot] += item.points

    def _link(self, set_id: str, item_id: str) -> str:
        if self.site_url is None:
            return ""
        return f"{self.site_url}/ejercicios/{quote(set_id)}.html#item-{quote(item_id)}"

    def _key_part(self, template: jinja2.Template, item: Item) -> str:
        return template.render(
            item=item,
            include_key=self.include_key,
            key_view=answer_view(item, key_answer(item)) if item.auto_graded else None,
            model_answer=item.kind.marking_guide(item).model_answer,
            paragraphs=item.paragraphs,
        ).strip()

    def item_fragment(self, result: ItemResult) -> str:
        """One item's ``<section>``."""
        item = self._items[result.item_id]
        verdict = STATUS_NAMES[result.status]
        verdict = verdict[:1].upper() + verdict[1:]
        if result.status is Status.PENDING:
            detail = f"({points_text(result.possible)})"
        else:
            verdict += ":"
            detail = f"{points(result.points, comma=True)} de {points_text(result.possible)}"
        criteria: list[str] = []
        comment = ""
        feedback = student_feedback(item, result) if self.include_key else ()
        marking = result.marking
        if marking is not None and result.status is not Status.PENDING:
            criteria = criteria_lines(item, marking, include_key=self.include_key)
            comment = marking.comment
            # The comment is the marked response's feedback: shown once, as the comment.
            feedback = tuple(m for m in feedback if m != marking.comment)
        return self._item_template.render(
            item=item,
            status=result.status.value,
            label=self._labels[item.id],
            text=self._text[item.id],
            answer=answer_view(item, result.answer),
            verdict=verdict,
            detail=detail,
            criteria=criteria,
            comment=comment,
            feedback=feedback,
            key=self._key[item.id],
            link=self._links[item.id],
        )

    def summary(self, result: SubmissionResult) -> tuple[list[_Row], list[_Row], _Row]:
        """The rows per set and per skill, and the total (points, possible, pending)."""
        n_sets = len(self.bank.sets)
        earned = [0.0] * len(self._possible)
        pending = [0.0] * len(self._possible)
        for (set_index, skill_index), item in zip(self._slots, result.items, strict=True):
            value = item.points
            earned[set_index] += value
            earned[skill_index] += value
            if item.status is Status.PENDING:
                pending[set_index] += item.possible
                pending[skill_index] += item.possible
        possible = self._possible
        sets = [
            _row(s.title, earned[n], possible[n], pending[n], "#serie-" + s.id)
            for n, s in enumerate(self.bank.sets)
        ]
        skills = [
            _row(
                SKILL_NAMES.get(s, s), earned[n_sets + n], possible[n_sets + n], pending[n_sets + n]
            )
            for n, s in enumerate(self._skills)
        ]
        total = _row(
            "Total", result.total, result.possible, sum(pending[:n_sets]) if n_sets else 0.0
        )
        return sets, skills, total

    def render(self, result: SubmissionResult, fragments: list[str], notes: list[str]) -> str:
        """The whole page, from the item fragments in bank order."""
        sets, skills, total = self.summary(result)
        sections: list[_Section] = []
        index = 0
        for item_set in self.bank.sets:
            end = index + len(item_set.items)
            set_id, title = self._set_names[len(sections)]
            # The fragments: plain text, inserted unescaped (they were escaped when
            # rendered, and wrapping 80 kB in Markup costs ~0.2 ms a page).
            sections.append(_Section(set_id, title, "\n".join(fragments[index:end])))
            index = end
        pending = result.pending
        return self._page_template.render(
            css=self._css,
            bank=self.bank,
            student=result.submission.student,
            total=total,
            pending=len(pending),
            pending_points=points_text(_round(sum(r.possible for r in pending))),
            notes=notes,
            tables=(
                (
                    "Puntuación por serie",
                    "Serie",
                    Markup("\n".join(_row_html(r) for r in sets)),
                ),
                (
                    "Puntuación por destreza",
                    "Destreza",
                    Markup("\n".join(_row_html(r) for r in skills)),
                ),
            ),
            total_row=_row_html(total),
            sections=sections,
        )

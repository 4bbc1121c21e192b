"""Reading and checking answers files (JSON, or YAML for hand editing).

The contract (PRODUCT.md): ``{"module": <bank id>, "student": {"id": …, "name": …},
"answers": {<item id>: <value>}}``. Messages here are for students, in Spanish.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ComprendeError
from .grading import grade_item, is_empty
from .model import Bank, Status, Student, Submission, SubmissionResult
from .yamlio import parse_yaml

#: Larger files are refused: a real answers file is a few kilobytes.
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """Something wrong (``error``) or worth knowing (``warning``) about a file."""

    severity: str
    message: str
    line: int | None = None
    fix: str = ""
    item_id: str | None = None

    def render(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        text = f"{where}: {'error' if self.severity == 'error' else 'aviso'}: {self.message}"
        return f"{text}\n    → {self.fix}" if self.fix else text


@dataclass
class Reading:
    """The outcome of reading one file: the submission, if any, and what was found."""

    source: str
    submission: Submission | None = None
    problems: list[Problem] = field(default_factory=list)
    #: The decoded text (for line look-ups).
    text: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.submission is not None and not self.errors


def decode(data: bytes) -> tuple[str, str | None]:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252.

    Returns the text and, if it was not UTF-8, the name of the encoding used.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(encoding)
            return text, None if encoding == "utf-8-sig" else encoding.upper()
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-le"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf'(^|[\s{{,])"?{re.escape(key)}"?\s*:')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def parse_text(text: str, source: str, *, kind: str | None = None) -> Any:
    """Parse answers text as JSON or YAML (by ``kind``, or by trying JSON first)."""
    if kind is None:
        kind = "json" if text.lstrip().startswith("{") else "yaml"
    if kind == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ComprendeError(
                f"el archivo no es JSON válido: {exc.msg}",
                path=source,
                line=exc.lineno,
                fix="revisa comas, comillas y llaves en esa línea, o descarga el archivo de nuevo",
            ) from None
    try:
        return parse_yaml(text, source)
    except ComprendeError as exc:
        raise ComprendeError(
            f"el archivo no es YAML válido ({exc.message})",
            path=source,
            line=exc.line,
            fix="revisa la sangría y los dos puntos de esa línea; los textos con «:» van entre comillas",
        ) from None


def read_submission(data: bytes, source: str, *, kind: str | None = None) -> Reading:
    """Read an answers file from its bytes; never raises, problems are reported."""
    reading = Reading(source=source)
    if len(data) > MAX_BYTES:
        reading.problems.append(
            Problem(
                "error",
                f"el archivo ocupa {len(data):,} bytes; el máximo es {MAX_BYTES:,}",
                fix="entrega solo el archivo de respuestas que descargaste o rellenaste",
            )
        )
        return reading
    if not data.strip():
        reading.problems.append(
            Problem(
                "error",
                "el archivo está vacío",
                fix="descarga tus respuestas de nuevo o rellena la plantilla",
            )
        )
        return reading
    text, encoding = decode(data)
    reading.text = text
    if encoding:
        reading.problems.append(
            Problem(
                "warning",
                f"el archivo no está en UTF-8; se ha leído como {encoding}",
                fix="guárdalo como UTF-8 para que las tildes no se pierdan",
            )
        )
    if kind is None and source.lower().endswith(".json"):
        kind = "json"
    elif kind is None and source.lower().endswith((".yaml", ".yml")):
        kind = "yaml"
    try:
        data_value = parse_text(text, source, kind=kind)
    except ComprendeError as exc:
        reading.problems.append(Problem("error", exc.message, exc.line, exc.fix))
        return reading
    except RecursionError:
        reading.problems.append(
            Problem(
                "error",
                "el archivo está anidado demasiado profundamente",
                fix="entrega el archivo tal como se descargó",
            )
        )
        return reading
    reading.submission = _to_submission(data_value, source, text, reading.problems)
    return reading


def _to_submission(data: Any, source: str, text: str, problems: list[Problem]) -> Submission | None:
    def error(message: str, key: str | None, fix: str) -> None:
        problems.append(Problem("error", message, _line_of(text, key) if key else 1, fix))

    if not isinstance(data, dict):
        error(
            "el archivo debe ser un objeto con `module`, `student` y `answers`",
            None,
            "parte de la plantilla (`comprende template`) o del archivo descargado",
        )
        return None
    for key in sorted(set(data) - {"module", "student", "answers"}):
        problems.append(
            Problem(
                "warning",
                f"se ignora el campo desconocido `{key}`",
                _line_of(text, key),
                "bórralo: solo cuentan `module`, `student` y `answers`",
            )
        )
    module = data.get("module")
    if not isinstance(module, str) or not module.strip():
        error(
            "falta el identificador del módulo (`module`)",
            "module",
            "copia la línea `module:` de la plantilla",
        )
    student = data.get("student")
    student_id = student_name = ""
    if not isinstance(student, dict):
        error(
            "faltan tus datos (`student`, con `id` y `name`)",
            "student",
            "escribe `student: {id: …, name: …}` como en la plantilla",
        )
    else:
        student_id = _text(student.get("id"))
        student_name = _text(student.get("name"))
        if not student_id:
            error(
                "falta tu identificador de estudiante (`student.id`)",
                "id",
                "escribe el identificador que te dio tu profesor o profesora",
            )
        if not student_name:
            error("falta tu nombre (`student.name`)", "name", "escribe tu nombre completo")
    answers = data.get("answers")
    if answers is None:
        answers = {}
        if "answers" not in data:
            error(
                "falta la sección de respuestas (`answers`)",
                None,
                "copia la sección `answers:` de la plantilla",
            )
    elif not isinstance(answers, dict):
        error(
            "`answers` debe ser un objeto {pregunta: respuesta}",
            "answers",
            "escribe cada respuesta debajo de `answers:` con su identificador",
        )
        answers = {}
    if not isinstance(module, str):
        return None
    return Submission(
        module=module.strip(),
        student=Student(student_id, student_name),
        answers={str(k): v for k, v in answers.items()},
        source=source,
    )


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | str):
        return str(value).strip()
    return ""


def check_against_bank(reading: Reading, bank: Bank) -> SubmissionResult | None:
    """Add the problems of ``reading`` that depend on the bank: module, items, shapes.

    Grades each item once and returns that grade (``None`` for another module's file),
    so a caller need not grade again.
    """
    submission = reading.submission
    if submission is None:
        return None
    text = reading.text
    if submission.module != bank.id:
        reading.problems.append(
            Problem(
                "error",
                f"este archivo es del módulo «{submission.module}», no de «{bank.id}»",
                _line_of(text, "module"),
                "comprueba que entregas las respuestas de este módulo",
            )
        )
        return None
    items = bank.by_id
    for item_id in submission.answers:
        if item_id not in items:
            reading.problems.append(
                Problem(
                    "error",
                    f"la pregunta «{item_id}» no existe en este módulo",
                    _line_of(text, item_id),
                    "comprueba el identificador (cópialo de la plantilla) o borra esa línea",
                    item_id,
                )
            )
    results = []
    for item in bank.items:
        answer = submission.answers.get(item.id)
        result = grade_item(item, answer)
        results.append(result)
        if result.status is Status.INVALID:
            reading.problems.append(
                Problem(
                    "error",
                    f"la respuesta a «{item.id}» no tiene la forma esperada: "
                    f"{result.feedback[0].removeprefix('Respuesta no válida: ')}",
                    _line_of(text, item.id),
                    answer_hint(item),
                    item.id,
                )
            )
        elif is_empty(answer) or result.status is Status.MISSING:
            reading.problems.append(
                Problem(
                    "warning",
                    f"la pregunta «{item.id}» está sin responder",
                    _line_of(text, item.id),
                    item_id=item.id,
                )
            )
    return SubmissionResult(submission, tuple(results))


def answer_hint(item: Any) -> str:
    """How to write an answer of this item's type, in Spanish."""
    from .template import HOW_TO_ANSWER

    return HOW_TO_ANSWER[item.type]


def read_path(path: Path) -> Reading:
    """Read an answers file from disk (``-`` is standard input)."""
    import sys

    if str(path) == "-":
        return read_submission(sys.stdin.buffer.read(), "<stdin>")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        reading = Reading(source=str(path))
        reading.problems.append(
            Problem(
                "error",
                f"no se puede leer el archivo ({exc.strerror})",
                fix="comprueba la ruta y los permisos",
            )
        )
        return reading
    return read_submission(data, str(path))

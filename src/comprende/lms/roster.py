"""A class list (roster), and who is missing from the submissions or from it.

Interface
---------
``read_roster(path) -> (entries, problems)``
    Reads a class list: CSV with "," or ";" or a tab (Excel's "CSV UTF-8" with its BOM
    included; Windows-1252 when a spreadsheet saved it so), one student per line, with
    a header naming the columns in Spanish or English (case, accents and spacing
    ignored): the id (``id``, ``identificador``, ``identificación``, ``dni``,
    ``matrícula``, ``número``, ``student id``, ``codigo``…), the name (``name``,
    ``nombre``, ``nombre completo``, ``full name``, ``alumno``, ``estudiante``…) and
    optionally the e-mail (``email``, ``e-mail``, ``correo``, ``correo electrónico``,
    ``mail``). Only the id column is required. The name may also be in two columns, a
    given name and a surname (``first name`` / ``last name``, ``nombre`` /
    ``apellido(s)``, ``apellidos``), joined as "<given name> <surname>": Moodle's
    participants page exports «Nombre», «Apellido(s)», «Número de ID», «Dirección de
    correo» in Spanish and "First name", "Last name", "ID number", "Email address" in
    English. A first line ``sep=;`` (Excel's, naming the separator) is skipped.
    ``entries`` are the students, in file order; ``problems`` are Spanish sentences,
    each naming the line (a missing id, an id given twice, a line with too many
    fields). A file that is not a roster at all (empty, not text, no id column) raises
    :class:`~comprende.errors.ComprendeError` naming the file and line.
``match_roster(entries, rows) -> RosterMatch``
    ``rows`` are the gradebook's rows (anything with ``student_id``, e.g.
    ``GradebookRow``). ``missing``: roster students with no row; ``unknown``: rows
    whose id is not on the roster. Ids are compared folded (``textnorm.fold_id``:
    invisible characters removed, spacing collapsed, case folded).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from ..errors import ComprendeError
from ..textnorm import clean_text, fold_bare, fold_id

__all__ = ["RosterEntry", "RosterMatch", "match_roster", "read_roster"]


@dataclass(frozen=True)
class RosterEntry:
    """One student on the class list."""

    student_id: str
    name: str
    email: str
    #: 1-based line in the roster file.
    line: int


class HasStudentId(Protocol):
    @property
    def student_id(self) -> str: ...


Row = TypeVar("Row", bound=HasStudentId)


@dataclass(frozen=True)
class RosterMatch(Generic[Row]):
    """Who is on the roster without a submission, and which submissions are not on it."""

    missing: list[RosterEntry]
    unknown: list[Row]


def _key(header: str) -> str:
    bare = fold_bare(header)
    return " ".join(bare.replace("_", " ").replace("-", " ").replace(".", " ").split())


_ID = {
    "id",
    "identificador",
    "identificacion",
    "id estudiante",
    "id alumno",
    "id del estudiante",
    "student id",
    "studentid",
    "student number",
    "id number",
    "idnumber",
    "numero de id",
    "numero id",
    "dni",
    "nie",
    "matricula",
    "numero",
    "numero de matricula",
    "n matricula",
    "no matricula",
    "codigo",
    "legajo",
    "carne",
    "carnet",
    "sis user id",
    "username",
    "usuario",
}
_NAME = {
    "name",
    "nombre",
    "nombre completo",
    "nombre y apellidos",
    "apellidos y nombre",
    "apellidos, nombre",
    "full name",
    "fullname",
    "student",
    "student name",
    "alumno",
    "alumna",
    "estudiante",
}
#: A given name and a surname in two columns (Moodle's participants export: "First
#: name" / "Last name", «Nombre» / «Apellido(s)»): the name is "<first> <last>".
_FIRST = {"first name", "firstname", "given name", "nombre", "nombres", "nombre de pila"}
_LAST = {
    "last name",
    "lastname",
    "surname",
    "family name",
    "apellido",
    "apellidos",
    "apellido(s)",
}
_EMAIL = {
    "email",
    "e mail",
    "mail",
    "correo",
    "correo electronico",
    "email address",
    "direccion de correo",
    "direccion de correo electronico",
}


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ComprendeError(
            "no es un archivo de texto: la lista de clase debe ser un CSV",
            path=path,
            fix="Guárdela desde la hoja de cálculo como «CSV UTF-8 (delimitado por comas)».",
        ) from None


def _delimiter(first: str) -> str:
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


_FIX = (
    "La primera línea debe nombrar las columnas, p. ej. «id;nombre;correo» o "
    "«identificador,nombre»; una línea por estudiante."
)


def _cell(rec: list[str], index: int | None) -> str:
    return clean_text(rec[index]).strip() if index is not None and index < len(rec) else ""


#: Headers of a roles column (Moodle's participants download, in several languages),
#: and the names of a student's role in it.
_ROLE = frozenset({"roles", "rol", "rols", "roles del curso", "funciones", "role", "papeis"})
#: A role is a student's when its first word starts so («Alumno/a», «Estudiantes»,
#: «Learner»); «Tutora de alumnos» is not.
_STUDENT_STEMS = ("alumn", "estudiant", "estudant", "student", "learner", "aluno", "aluna")


def _roles(cell: str) -> list[str]:
    return [_key(role) for role in re.split(r"[,;]", cell) if role.strip()]


def _is_student(roles: str) -> bool:
    """Whether a roles cell (one role or several, comma-separated) names a student's.

    An empty cell is read as a student (a list without roles is a class list)."""
    named = _roles(roles)
    return not named or any(_student_role(role) for role in named)


def _student_role(role: str) -> bool:
    words = role.split()
    return bool(words) and words[0].startswith(_STUDENT_STEMS)


def read_roster(path: str | Path) -> tuple[list[RosterEntry], list[str]]:
    """Read a class list; return its students and the problems found (Spanish, by line)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ComprendeError(
            f"no se puede leer la lista de clase: {exc.strerror or exc}", path=path
        ) from None
    text = _decode(path, data)
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise ComprendeError("la lista de clase está vacía", path=path, fix=_FIX)
    # Excel's "sep=;" first line names the separator; it is not the header.
    excel_sep = re.fullmatch(r'\s*"?sep=(.)"?\s*', lines[start].removeprefix("\ufeff"))
    delimiter = excel_sep[1] if excel_sep else _delimiter(lines[start])
    numbered: list[tuple[int, list[str]]] = []  # (line where the record starts, fields)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    last = 0
    for rec in reader:
        numbered.append((last + 1, rec))
        last = reader.line_num
    header_at = next(
        (
            i
            for i, (line, r) in enumerate(numbered)
            if any(c.strip() for c in r) and not (excel_sep and line == start + 1)
        ),
        None,
    )
    if header_at is None:
        raise ComprendeError("la lista de clase está vacía", path=path, fix=_FIX)
    header_line, header = numbered[header_at]
    keys = [_key(h) for h in header]
    id_col = next((i for i, k in enumerate(keys) if k in _ID), None)
    last_col = next((i for i, k in enumerate(keys) if k in _LAST), None)
    full_col = next((i for i, k in enumerate(keys) if k in _NAME and k not in _FIRST), None)
    first_col = next((i for i, k in enumerate(keys) if k in _FIRST), None)
    # A full-name column wins; else first + last name; else a lone «Nombre» is the name.
    split_name = full_col is None and last_col is not None
    name_col = full_col if full_col is not None else first_col
    email_col = next((i for i, k in enumerate(keys) if k in _EMAIL), None)
    # Moodle's participants download lists every enrolled user, with their roles.
    role_col = next((i for i, k in enumerate(keys) if k in _ROLE), None)
    if (
        role_col is not None
        and not any(  # a column of class duties, not Moodle's roles
            any(_student_role(r) for r in _roles(_cell(rec, role_col)))
            for _, rec in numbered[header_at + 1 :]
        )
    ):
        role_col = None
    if id_col is None:
        shown = ", ".join(f"«{clean_text(h).strip()}»" for h in header if h.strip()) or "(vacía)"
        raise ComprendeError(
            f"la lista de clase no tiene columna de identificador: la cabecera es {shown}; "
            "se espera «id» o «identificador» (también valen «dni», «matrícula», «student id»…)",
            path=path,
            line=header_line,
            fix=_FIX,
        )
    entries: list[RosterEntry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, rec in numbered[header_at + 1 :]:
        if not any(c.strip() for c in rec):
            continue
        if len(rec) > len(header) and any(c.strip() for c in rec[len(header) :]):
            problems.append(
                f"línea {line}: tiene {len(rec)} campos y la cabecera {len(header)}; "
                "¿hay una coma o un punto y coma dentro de un nombre sin comillas?"
            )
        if role_col is not None and not _is_student(_cell(rec, role_col)):
            continue  # a teacher or another non-student role
        student_id = _cell(rec, id_col)
        name = _cell(rec, name_col)
        if split_name:
            name = f"{name} {_cell(rec, last_col)}"
        name = " ".join(name.split())
        email = _cell(rec, email_col)
        if not student_id:
            problems.append(
                f"línea {line}: falta el identificador ({name or 'sin nombre'}); se ignora"
            )
            continue
        key = fold_id(student_id)
        if key in seen:
            problems.append(
                f"línea {line}: el identificador «{student_id}» ya aparece en la línea {seen[key]}; se ignora"
            )
            continue
        seen[key] = line
        entries.append(RosterEntry(student_id, name, email, line))
    if not entries:
        problems.append("la lista de clase no tiene ningún estudiante")
    return entries, problems


def match_roster(entries: Iterable[RosterEntry], rows: Sequence[Row]) -> RosterMatch[Row]:
    """Roster students without a row, and rows whose id is not on the roster (folded ids)."""
    roster = list(entries)
    on_roster = {fold_id(e.student_id) for e in roster}
    submitted = {fold_id(r.student_id) for r in rows}
    missing = [e for e in roster if fold_id(e.student_id) not in submitted]
    unknown = [r for r in rows if fold_id(r.student_id) not in on_roster]
    return RosterMatch(missing=missing, unknown=unknown)

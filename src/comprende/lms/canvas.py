"""Canvas's gradebook export, filled in for one assignment.

Interface
---------
``read_gradebook(path) -> Gradebook``
    Reads a gradebook exported from Canvas ("Export" → "Export entire gradebook" /
    "Export current gradebook view"). Raises :class:`~comprende.errors.ComprendeError`
    (Spanish, naming the file and line) for a file that is not one.
``fill_gradebook(export_path, assignment, grades, *, include_pending=False) -> (text, FillReport)``
    The export's text with the named assignment's column filled in, everything else
    byte for byte as it was. Write it with :func:`save_gradebook`.

The importer's rules (what Canvas does with the uploaded file)
--------------------------------------------------------------
Read in instructure/canvas-lms with the search tool: ``lib/gradebook_importer.rb``
(``csv_stream``, ``identify_delimiter``, ``check_for_non_student_row``,
``process_header``, ``row_has_student_headers?``, ``update_column_count``,
``strip_non_assignment_columns``, ``parse_assignments``, ``process_pp``,
``process_student``, ``process_submissions``, ``no_change_to_value?``),
``lib/gradebook_exporter.rb`` (the export's layout) and ``app/models/assignment.rb``
(``title_with_id``, ``title_and_id``).

1. **Reading**: the separator is ";" or ",": the one that splits the first three
   lines into the same number of fields, ";" when both do with more fields. Lines of
   only separators and spaces are skipped. A field that is a bare number
   (``^-?[0-9.,]+%?$``) has its last "." or "," taken as the decimal point and the
   others dropped (converter ``decimal_comma_to_period``): "7,5" and "7.5" are both 7.5.
2. **Header** (the first row): its first cell must contain "Student" and the second
   "ID" (or "LastName", "FirstName", "ID"); then "SIS User ID" and "SIS Login ID" (or
   only "SIS Login ID"), optionally "Integration ID" and "Root Account"; the next one
   must contain "Section". Custom gradebook columns follow (known by their title), then
   the assignments. Columns whose header contains "Current Score", "Current Points",
   "Current Grade", "Final Score", "Final Points", "Final Grade", "Override Score",
   "Override Grade" or "Override Status" (with "Unposted" variants) are not assignments.
3. **Assignment columns**: the export writes each as ``title_with_id``,
   "<title> (<id>)". The importer splits a header with ``/\\A(.*)\\s\\((\\d+)\\)\\z/`` and
   finds the assignment by that id; failing that, by a title equal to the whole header;
   failing that **it creates a new assignment** with that title.
4. **Rows that are not students**: a row whose first cell contains "Points Possible"
   gives each assignment's points (the export writes "    Points Possible"); a cell
   there matching ``/read\\s+only/`` makes the column read-only and it is ignored; a row
   whose cells are all empty, "Muted" or "Manual Posting…" is skipped.
5. **Students**: by the "ID" column (Canvas user id); failing that by "SIS User ID",
   then "SIS Login ID" within the root account; failing that by a name equal to the
   user's name or sortable name; else the student is unknown (not imported).
6. **Grades**: a cell is stripped; empty or "-" is no score; "EX" is excused. A cell is
   "no change" when it equals the current score at two decimals
   (``I18n.n(value, precision: 2)``); only changed, gradeable cells are offered in the
   import's review page. A student the assignment is not assigned to gets "" (the
   export writes "N/A").

What ``fill_gradebook`` writes
------------------------------
* The named assignment's column only: ``assignment`` matches a header equal to it, or
  its title without the "(id)", or the bare id (case and spacing ignored); none or
  several is an error listing the assignment columns. A column without "(id)" is
  refused: importing it would create a new assignment.
* In it, for each student row matched by a grade: :func:`comprende.lms.scale` of the
  total to the column's "Points Possible", written by :func:`comprende.lms.grade_text`
  (decimal point: unambiguous for the converter whatever the separator).
* Students are matched by the Canvas user id from the submission's file names
  (``lms == "canvas"``, ``lms_id`` = "ID") **only**: the id a student typed in her file
  is no proof, and a classmate's typed there must not send her grade to his row. Grades
  without a Canvas user id (files not from the download, e.g. sent by e-mail) are
  matched by "SIS User ID" equal to the student's id (folded with
  :func:`comprende.textnorm.fold_id`). Never by name, but the name is checked: a row
  whose "Student" is not the grade's name (:func:`comprende.lms.same_name`, "Surname,
  Name" against "Name Surname") is not written.
* A row that two grades lead to (say Luis's download file by user id and a copy he
  e-mailed by SIS) gets neither: the report names both. A grade that leads to several
  rows (a SIS User ID given twice) is written to none.
* Rows skipped, with the reason in the report: another person's name, two grades,
  "N/A" (not assigned), "EX" (excused), a grade still "pendiente" (unless
  ``include_pending``).
* Everything else (header, "Points Possible" row, other columns and rows, BOM,
  separator, quoting, line ends) byte for byte as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..errors import ComprendeError
from ..textnorm import fold_id
from . import FillReport, FinalGrade, Matched, grade_text, same_name, scale
from .rawcsv import Record, parse

__all__ = [
    "Gradebook",
    "canvas_number",
    "fill_gradebook",
    "read_gradebook",
    "save_gradebook",
    "title_and_id",
]

_TITLE_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z", re.DOTALL)
_NON_ASSIGNMENT = re.compile(
    "|".join(
        [
            "Current Score",
            "Current Points",
            "Current Grade",
            "Final Score",
            "Final Points",
            "Final Grade",
            "Override Score",
            "Override Grade",
            "Override Status",
        ]
    )
)
_NUMBER = re.compile(r"^-?[0-9.,]+%?$")
_SKIP_LINE = re.compile(r"^[;, ]+$")
_MUTED = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)

_EXPORT_FIX = (
    "Exporte el libro de calificaciones desde Canvas: «Calificaciones» → «Exportar» → "
    "«Exportar todo el libro de calificaciones», y pase el CSV sin cambiarlo."
)


def title_and_id(header: str) -> tuple[str, str | None]:
    """Canvas's ``Assignment.title_and_id``: "Lectura 1 (123)" → ("Lectura 1", "123")."""
    m = _TITLE_ID.match(header)
    return (m[1], m[2]) if m else (header, None)


def canvas_number(cell: str) -> float | None:
    """A cell read as the importer's ``decimal_comma_to_period`` converter does."""
    cell = cell.strip()
    if not _NUMBER.match(cell) or cell.endswith("%"):
        return None
    parts = re.split(r"[,.]", cell)
    last = parts.pop()
    text = f"{''.join(parts)}.{last}" if parts else last
    try:
        return float(text)
    except ValueError:
        return None


@dataclass
class Gradebook:
    """A Canvas gradebook export as read."""

    path: str
    bom: bool
    delimiter: str
    header: list[str]
    #: Index of the "ID" column, and of "SIS User ID" if the export has it.
    id_column: int
    sis_column: int | None
    #: Number of student information columns (name(s), ID, SIS…, Section).
    student_columns: int
    #: Columns after the student information that are assignments (index → header).
    assignments: dict[int, str]
    records: list[Record]
    #: Index in ``records`` of the "Points Possible" row (None if absent).
    points_row: int | None
    #: Indexes in ``records`` of the student rows.
    student_rows: list[int] = field(default_factory=list)

    def text(self) -> str:
        return ("\ufeff" if self.bom else "") + "".join(str(r) for r in self.records)


def _fail(path: Path | str, message: str, *, line: int | None = None, fix: str = "") -> NoReturn:
    raise ComprendeError(message, path=path, line=line, fix=fix)


def _identify_delimiter(lines: list[str]) -> str:
    counts = {}
    for sep in (";", ","):
        counts[sep] = 0
        try:
            sizes = [len(parse(line, sep)[0].values) if line else 0 for line in lines]
        except (ValueError, IndexError):
            continue
        if len(set(sizes)) == 1:
            counts[sep] = sizes[0]
    return ";" if counts[";"] > counts[","] else ","


def read_gradebook(path: str | Path) -> Gradebook:
    """Read a Canvas gradebook export; errors in Spanish name the file and line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail(path, f"no se puede leer el libro de calificaciones: {exc.strerror or exc}")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError:
        _fail(
            path,
            "no está en UTF-8: no es una exportación de Canvas sin tocar",
            fix=_EXPORT_FIX,
        )
    if not text.strip():
        _fail(path, "el archivo está vacío", fix=_EXPORT_FIX)
    delimiter = _identify_delimiter(text.splitlines()[:3])
    try:
        records = parse(text, delimiter)
    except ValueError as exc:
        _fail(path, "hay unas comillas sin cerrar", line=int(exc.args[0]), fix=_EXPORT_FIX)
    header = records[0].values
    first_last = len(header) > 4 and "LastName" in header[0] and "FirstName" in header[1]
    if not (
        (len(header) > 3 and "Student" in header[0] and "ID" in header[1])
        or (first_last and "ID" in header[2])
    ):
        _fail(
            path,
            "no es un libro de calificaciones de Canvas: la cabecera debe empezar por "
            "«Student», «ID» (Canvas la rechaza: «Invalid header row»)",
            line=1,
            fix=_EXPORT_FIX,
        )
    names = 2 if first_last else 1
    id_column = names
    columns = names + 2  # name(s), ID, Section
    sis_column = None
    after = names + 1
    if after < len(header) and re.search(r"SIS\s+Login\s+ID", header[after]):
        columns += 1
    elif (
        after + 1 < len(header)
        and re.search(r"SIS\s+User\s+ID", header[after])
        and re.search(r"SIS\s+Login\s+ID", header[after + 1])
    ):
        sis_column = after
        extra = (
            1
            if after + 2 < len(header) and re.search(r"Integration\s+ID", header[after + 2])
            else 0
        )
        columns += 2 + extra
        if after + 2 + extra < len(header) and re.search(
            r"Root\s+Account", header[after + 2 + extra]
        ):
            columns += 1
    if columns > len(header) or "Section" not in header[columns - 1]:
        _fail(
            path,
            "no es un libro de calificaciones de Canvas: falta la columna «Section» tras las "
            "del estudiante (Canvas la rechaza: «Invalid header row»)",
            line=1,
            fix=_EXPORT_FIX,
        )
    assignments = {
        i: h
        for i, h in enumerate(header)
        if i >= columns and h.strip() and not _NON_ASSIGNMENT.search(h)
    }
    book = Gradebook(
        path=str(path),
        bom=bom,
        delimiter=delimiter,
        header=list(header),
        id_column=id_column,
        sis_column=sis_column,
        student_columns=columns,
        assignments=assignments,
        records=records,
        points_row=None,
    )
    for index, rec in enumerate(records[1:], start=1):
        line_text = str(rec).rstrip("\r\n")
        if not line_text or _SKIP_LINE.match(line_text):
            continue
        if rec.values and "Points Possible" in rec.values[0]:
            book.points_row = index
            continue
        if all(_MUTED.match(v) for v in rec.values if v != ""):
            continue
        if len(rec.values) != len(header):
            _fail(
                path,
                f"esta fila tiene {len(rec.values)} campos y la cabecera {len(header)}",
                line=rec.line,
                fix=_EXPORT_FIX,
            )
        book.student_rows.append(index)
    return book


def _pick_column(book: Gradebook, assignment: str) -> int:
    want = fold_id(assignment)
    hits = []
    for index, header in book.assignments.items():
        title, ident = title_and_id(header)
        if want in (fold_id(header), fold_id(title)) or (ident is not None and want == ident):
            hits.append(index)
    listed = "; ".join(f"«{h}»" for h in book.assignments.values()) or "(ninguna)"
    if not hits:
        _fail(
            book.path,
            f"no hay ninguna tarea «{assignment}» en el libro de calificaciones; sus tareas son: {listed}",
            line=1,
            fix="Pase en --canvas-assignment el nombre de la tarea tal como aparece en la cabecera (con o sin su número entre paréntesis).",
        )
    if len(hits) > 1:
        matches = "; ".join(f"«{book.header[i]}»" for i in hits)
        _fail(
            book.path,
            f"«{assignment}» es ambiguo: coincide con {matches}",
            line=1,
            fix="Escriba la cabecera completa, con su número entre paréntesis, p. ej. «Lectura (123)».",
        )
    index = hits[0]
    if title_and_id(book.header[index])[1] is None:
        _fail(
            book.path,
            f"la columna «{book.header[index]}» no lleva el número de la tarea entre paréntesis: "
            "al importarla, Canvas crearía una tarea nueva en vez de llenar la existente",
            line=1,
            fix=_EXPORT_FIX,
        )
    return index


def _canvas_user(grade: FinalGrade) -> str | None:
    """The Canvas user id of a grade from the Canvas download (None for other files)."""
    if grade.lms == "canvas" and grade.lms_id.strip().isdigit():
        return str(int(grade.lms_id))
    return None


def fill_gradebook(
    export_path: str | Path,
    assignment: str,
    grades: Iterable[FinalGrade],
    *,
    include_pending: bool = False,
) -> tuple[str, FillReport]:
    """The export's text with ``assignment``'s column filled in; see the module docstring."""
    book = read_gradebook(export_path)
    column = _pick_column(book, assignment)
    report = FillReport(source=book.path)
    header = book.header[column]
    if book.points_row is None:
        _fail(
            book.path,
            "falta la fila «Points Possible»: sin ella no se sabe sobre cuántos puntos calificar",
            fix=_EXPORT_FIX,
        )
    pp_cell = book.records[book.points_row].values[column]
    if re.search(r"read\s+only", pp_cell):
        _fail(book.path, f"la columna «{header}» es de solo lectura en Canvas", fix=_EXPORT_FIX)
    maximum = canvas_number(pp_cell)
    if maximum is None or maximum <= 0:
        _fail(
            book.path,
            f"«Points Possible» de «{header}» no es un número positivo: «{pp_cell}»",
            line=book.records[book.points_row].line,
            fix="Dé puntos a la tarea en Canvas y vuelva a exportar el libro.",
        )
    everyone = list(grades)
    # A grade from the Canvas download is found by its Canvas user id only; the SIS User
    # ID is for the others (a file sent by e-mail): the id a student typed is not proof.
    by_canvas: dict[str, list[FinalGrade]] = {}
    by_sis: dict[str, list[FinalGrade]] = {}
    for given in everyone:
        key = _canvas_user(given)
        if key is not None:
            by_canvas.setdefault(key, []).append(given)
        elif given.student_id.strip():
            by_sis.setdefault(fold_id(given.student_id), []).append(given)
    hits: dict[int, list[tuple[FinalGrade, str, str]]] = {}  # row → (grade, how, id)
    rows_of: dict[int, list[int]] = {}  # id(grade) → rows
    sis_rows: dict[str, list[int]] = {}  # folded SIS User ID → rows
    for index in book.student_rows:
        rec = book.records[index]
        ident = rec.values[book.id_column].strip()
        candidates: list[tuple[FinalGrade, str, str]] = []
        if ident.isdigit():
            candidates += [
                (g, "id de usuario de Canvas", ident) for g in by_canvas.get(str(int(ident)), [])
            ]
        if book.sis_column is not None:
            sis_text = rec.values[book.sis_column].strip()
            sis = fold_id(sis_text)
            if sis:
                sis_rows.setdefault(sis, []).append(index)
                candidates += [(g, "SIS User ID", sis_text) for g in by_sis.get(sis, [])]
        if candidates:
            hits[index] = candidates
            for g, _, _ in candidates:
                rows_of.setdefault(id(g), []).append(index)
    reported: set[int] = set()  # id() of the grades the report already speaks of

    def row_name(index: int) -> str:
        values = book.records[index].values
        return values[0] if book.id_column == 1 else f"{values[1]} {values[0]}"

    def rows_text(indexes: list[int]) -> str:
        return ", ".join(f"«{row_name(i)}» (línea {book.records[i].line})" for i in indexes)

    for given in everyone:
        rows = rows_of.get(id(given), [])
        if len(rows) > 1:
            report.unmatched.append(
                (
                    given.student_id,
                    given.name,
                    f"le corresponden varias filas del libro ({rows_text(rows)}): no se escribe "
                    "en ninguna; póngala a mano en Canvas en la fila que sea suya",
                )
            )
            reported.add(id(given))
    for index in book.student_rows:
        rec = book.records[index]
        name = row_name(index)
        found_here = [h for h in hits.get(index, []) if id(h[0]) not in reported]
        if not found_here:
            report.untouched += 1
            continue
        if len(found_here) > 1:
            listed = "; ".join(
                f"{g.name} ({g.student_id}), por su {how} «{value}»"
                if g.student_id.strip()
                else f"{g.name}, por su {how} «{value}»"
                for g, how, value in found_here
            )
            report.skipped.append(
                (
                    rec.line,
                    name,
                    f"le corresponden {len(found_here)} entregas ({listed}): no se escribe "
                    "ninguna; compruebe cuál vale y ponga esa nota a mano en Canvas",
                )
            )
            reported.update(id(g) for g, _, _ in found_here)
            continue
        found, how, value = found_here[0]
        reported.add(id(found))
        cell = rec.values[column].strip()
        reason = ""
        if not same_name(name, found.name):
            cause = (
                "¿el libro es de otro curso?"
                if how.startswith("id")
                else "¿escribió el estudiante el id de otro en su archivo?"
            )
            reason = (
                f"en el libro, el {how} «{value}» es de «{name}», pero la entrega es de "
                f"«{found.name}» ({cause}): no se escribe esta fila. Exporte el libro de "
                "calificaciones de este curso y vuelva a pasarlo; si es la misma persona con "
                "el nombre escrito de otra forma, ponga la nota a mano en Canvas"
            )
        elif found.status != "corregido" and not include_pending:
            reason = "quedan respuestas abiertas sin corregir (pendiente): no se sube una nota provisional"
        elif cell == "N/A":
            reason = "la tarea no está asignada a este estudiante en Canvas («N/A»)"
        elif cell.upper() == "EX":
            reason = "está justificado en Canvas («EX»): no se cambia"
        if reason:
            report.skipped.append((rec.line, name, reason))
            continue
        grade = grade_text(scale(found.total, found.possible, maximum))
        rec.set(column, grade)
        report.matched.append(
            Matched(
                line=rec.line,
                lms_id=value,
                name=name,
                grade=grade,
                maximum=grade_text(maximum),
                how=how,
                previous=cell if cell not in ("", "-") else "",
            )
        )
    for given in everyone:
        if id(given) in reported:
            continue
        sid = given.student_id.strip()
        same_sis = sis_rows.get(fold_id(sid), []) if sid else []
        if _canvas_user(given) is not None:
            why = (
                f"ningún estudiante del libro tiene el ID {given.lms_id} de Canvas "
                "(¿el libro es de otro curso?)"
            )
            if same_sis:
                why += (
                    f"; la fila con el SIS User ID «{sid}» ({rows_text(same_sis)}) no se usa: "
                    "la entrega viene de la descarga de Canvas con el id de otro usuario"
                )
        else:
            why = "la entrega no viene de la descarga de Canvas (su nombre de archivo no lleva el id de usuario)"
            if not sid:
                why += " y no lleva id de estudiante"
            elif book.sis_column is None:
                why += (
                    f" y se buscaría por el SIS User ID «{given.student_id}», pero la "
                    "exportación no tiene la columna «SIS User ID»"
                )
            else:
                why += f" y ninguna fila tiene el SIS User ID «{given.student_id}»"
        report.unmatched.append((given.student_id, given.name, why))
    report.notes.append(
        f"columna «{header}», sobre {grade_text(maximum)} puntos (fila «Points Possible»)"
    )
    return book.text(), report


def save_gradebook(path: str | Path, text: str) -> None:
    """Write ``text`` (from :func:`fill_gradebook`) as UTF-8, line ends and BOM as they are."""
    Path(path).write_bytes(text.encode("utf-8"))

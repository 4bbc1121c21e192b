"""Moodle's grading worksheet, filled in; and the feedback-files zip.

Interface
---------
``read_worksheet(path) -> Worksheet``
    Reads the worksheet downloaded from the assignment ("Download grading worksheet"),
    from a Moodle in English or in Spanish. Raises :class:`~comprende.errors.ComprendeError`
    (Spanish, naming the file and line) for a file that is not one.
``fill_worksheet(worksheet, grades, *, now=None, include_pending=False) -> (text, FillReport)``
    The worksheet's text with the grades filled in, and what was done. Write it with
    :func:`save_worksheet` (same encoding and BOM as the download).
``feedback_zip(grades, out_zip, *, worksheet=None) -> ZipReport``
    The zip for "Upload multiple feedback files in a zip" (with the worksheet, without
    the pages of participants the worksheet names otherwise).

The importer's rules (what Moodle does with the uploaded file)
--------------------------------------------------------------
Read in moodle/moodle with the search tool: ``mod/assign/feedback/offline/importgradeslib.php``
(``init()``, ``next()``), ``mod/assign/feedback/offline/locallib.php``
(``process_import_grades()``, ``upload_grades()``, ``download_grades()``),
``mod/assign/gradingtable.php`` (the download's columns, ``col_recordid``,
``col_timemarked``, ``display_grade``, ``col_grademax``), ``lib/csvlib.class.php``
(``csv_import_reader::load_csv_content``), ``lib/moodlelib.php`` (``format_float``,
``unformat_float``), ``lib/classes/dataformat/spout_base.php`` and
``dataformat/csv/classes/writer.php`` (the download is written by Spout's CSV writer),
``mod/assign/feedback/comments/locallib.php`` (``get_editor_fields``),
``mod/assign/feedback/file/importziplib.php``, and the language strings
``mod/assign/lang/en/assign.php``, ``mod/assign/feedback/comments/lang/en/…``, the
Spanish pack's ``assign.php`` ("language 'es', version '3.11'", from AMOS) and, in
projectestac/moodle-langpacks, ``es/moodle.php`` (``grade`` = "Calificación",
``fullname`` = "Nombre completo"), ``es/assignfeedback_comments.php``,
``es/assignfeedback_offline.php`` and ``es/langconfig.php`` (``decsep`` = ",",
``strftimedaydatetime`` = "%A, %d de %B de %Y, %I:%M %p"). PHP 8.2's ``strtotime`` was
run on the dates below.

1. **Reading.** ``load_csv_content`` converts from the encoding chosen in the upload
   form (default UTF-8), strips a UTF-8 BOM, turns ``\\r\\n``/``\\r`` into ``\\n``,
   trims the whole text, then reads records with ``fgetcsv`` and the separator chosen
   in the form (default comma; also semicolon, colon, tab). Every record must have as
   many fields as the header, or the whole file is refused (``csvweirdcolumns``).
2. **Columns, by exact name in the site's language** (``init()``): the grade column is
   ``get_string('gradenoun')`` (``'grade'`` before 4.x): "Grade" / "Calificación"; the
   identifier column ``get_string('recordid', 'assign')``: "Identifier" /
   "Identificador"; the date column ``get_string('lastmodifiedgrade', 'assign')``:
   "Last modified (grade)" / "Última modificación (calificación)". If any of the three
   is missing, ``init()`` returns false and the import fails ("invalidgradeimport").
   Feedback columns are found the same way, by the text of each enabled feedback
   plugin's editor field: the comments plugin's is its ``pluginname``, "Feedback
   comments" (Spanish: "Comentarios de retroalimentación"); the download writes these
   columns right after "Last modified (grade)".
3. **Identifiers** (``next()``): the participant number is the identifier with the
   first ``strlen(get_string('hiddenuser', 'assign'))`` bytes cut off; hiddenuser is
   "Participant " (with the space) in English and "Participante" (no space) in
   Spanish, so rows read "Participant 12345" / "Participante12345". The number is
   looked up with ``get_user_id_for_uniqueid``: the same number Moodle puts in the
   "download all submissions" folder names (``Name_12345_assignsubmission_file``).
   Rows whose number is not a participant of the assignment are silently ignored.
4. **The grade** (``process_import_grades()``): for a point grade it is read with
   ``unformat_float``: trimmed, spaces removed, the site's decimal separator
   (``decsep``, "," in Spanish) replaced by ".", then cast to float, so "7,5" reads as 7
   on an English site but "7.5" reads as 7.5 on both. A row is skipped when the grade
   is unchanged, empty or negative, when it is above the assignment's maximum grade
   ("out of range"), when grading is locked for the user ("Grade can be changed" =
   No), or when the date check fails. With a scale (the download then has a "Scale"
   column instead of "Maximum grade") the grade must be one of the scale's items, by
   its text.
5. **"Last modified (grade)"**: read with PHP's ``strtotime``; the row is stale, and
   skipped (grade *and* feedback), when the grade stored in Moodle was modified more
   than 60 s after that time, unless the form's "Ignore last modified date" is ticked.
   The download writes ``userdate()`` there, in the site's language: an English date
   ("Tuesday, 26 November 2024, 10:30 AM") which ``strtotime`` reads, but a Spanish
   one ("martes, 26 de noviembre de 2024, 10:30 AM") which it does not (false, i.e. 0),
   so a Spanish worksheet's graded rows are always stale.
6. **Feedback comments**: written with the plugin's ``set_editor_text`` when they
   differ from the stored text; the text is the comment's HTML.

What ``fill_worksheet`` writes, following those rules
----------------------------------------------------
* Every record in the same order with the same fields; only three cells of a matched
  row change: the grade, "Last modified (grade)" and the feedback comments. Rows with
  no grade come out byte for byte as they were, and so do the header, the BOM, the
  separator, the quoting and the line ends.
* The grade: :func:`comprende.lms.scale` of the student's total to that row's "Maximum
  grade", written by :func:`comprende.lms.grade_text` (decimal point, at most two
  decimals), never above the maximum.
* "Last modified (grade)": the time of filling, in UTC, as ``2026-12-01 07:40:00 UTC``:
  PHP's documented "MySQL" compound format (``YY "-" MM "-" DD " " HH ":" II ":" SS``)
  followed by a time-zone abbreviation (``tz``, from "Hour, minutes, seconds and
  timezone"), so ``strtotime`` reads the same instant on any server, later than any
  grade given before the file was filled. (So the importer's protection covers changes
  made in Moodle between filling and uploading, not between downloading and filling:
  fill the worksheet right after downloading it. ``now=`` sets another time.)
* The comment, HTML-escaped with line breaks as ``<br>``.
* Rows skipped, with the reason in the report: a row whose "Full name" is not the
  grade's name (:func:`comprende.lms.same_name`: a worksheet of another assignment,
  group or course, where the same participant number is someone else), a grade still
  "pendiente" (unless ``include_pending``), an assignment graded with a scale, a row
  whose grade cannot be changed, a row without a readable maximum grade.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from ..errors import ComprendeError
from ..textnorm import fold_bare
from . import FillReport, FinalGrade, Matched, grade_text, same_name, scale
from .rawcsv import Record, parse

__all__ = [
    "LANGUAGES",
    "Worksheet",
    "ZipReport",
    "feedback_zip",
    "fill_worksheet",
    "moodle_date",
    "read_worksheet",
    "save_worksheet",
]


@dataclass(frozen=True)
class Language:
    """The worksheet's column names (and participant prefix) in one site language."""

    code: str
    #: ``get_string('recordid', 'assign')``
    identifier: str
    #: ``get_string('hiddenuser', 'assign')``: what precedes the number.
    participant: str
    #: ``get_string('gradenoun')`` (``'grade'`` before 4.x)
    grade: str
    #: ``get_string('lastmodifiedgrade', 'assign')``
    modified: str
    #: ``get_string('maxgrade', 'assign')`` (older English packs: "Maximum Grade")
    maximum: tuple[str, ...]
    #: ``get_string('scale', 'assign')``
    scale: str
    #: ``get_string('gradecanbechanged', 'assign')``
    can_change: str
    #: ``get_string('no')``
    no: str
    #: ``get_string('fullname')``
    fullname: str
    #: ``get_string('pluginname', 'assignfeedback_comments')``
    feedback: tuple[str, ...]


LANGUAGES: dict[str, Language] = {
    "en": Language(
        code="en",
        identifier="Identifier",
        participant="Participant ",
        grade="Grade",
        modified="Last modified (grade)",
        maximum=("Maximum grade", "Maximum Grade"),
        scale="Scale",
        can_change="Grade can be changed",
        no="No",
        fullname="Full name",
        feedback=("Feedback comments",),
    ),
    "es": Language(
        code="es",
        identifier="Identificador",
        participant="Participante",
        grade="Calificación",
        modified="Última modificación (calificación)",
        maximum=("Calificación máxima",),
        scale="Escala",
        can_change="La calificación puede ser cambiada",
        no="No",
        fullname="Nombre completo",
        feedback=("Comentarios de retroalimentación", "Comentarios de retroalimentacion"),
    ),
}

#: The site language's name, for messages.
_LANGUAGE_NAME = {"en": "inglés", "es": "español"}


@dataclass
class Worksheet:
    """A grading worksheet as read: its records, columns and how it was written."""

    path: str
    #: ``"en"`` or ``"es"``: the site language the column names are in.
    language: str
    #: ``"utf-8"`` (what Moodle writes) or ``"cp1252"`` (re-saved by a spreadsheet).
    encoding: str
    #: Whether the file started with a UTF-8 byte order mark.
    bom: bool
    #: ``","`` (Moodle's), or ``";"``/``"\\t"`` after a spreadsheet re-saved it.
    delimiter: str
    header: list[str]
    #: The data records, in file order (blank lines included, as Moodle ignores them).
    rows: list[Record]
    #: Column indexes: ``identifier``, ``grade``, ``modified`` always; ``maximum``,
    #: ``scale``, ``can_change``, ``feedback``, ``fullname`` when present
    #: (``feedback_guessed`` when the feedback column was taken by its position).
    columns: dict[str, int]
    _header_record: Record = field(repr=False, default_factory=lambda: Record(line=1))
    _text: str = field(repr=False, default="")

    @property
    def lang(self) -> Language:
        return LANGUAGES[self.language]

    def participant(self, row: Record) -> str:
        """The row's participant number as the importer reads it ("" if none)."""
        ident = row.values[self.columns["identifier"]]
        # The importer cuts strlen(hiddenuser) bytes, whatever they are; the download
        # wrote hiddenuser + number, so we require the word, with or without the space
        # (English packs have "Participant ", the Spanish one "Participante").
        m = re.fullmatch(re.escape(self.lang.participant.rstrip()) + r" ?([0-9]+)", ident)
        return str(int(m[1])) if m else ""

    def cell(self, row: Record, column: str) -> str:
        index = self.columns.get(column)
        return row.values[index] if index is not None and index < len(row.values) else ""


def _fail(path: Path | str, message: str, *, line: int | None = None, fix: str = "") -> NoReturn:
    raise ComprendeError(message, path=path, line=line, fix=fix)


_NOT_A_WORKSHEET_FIX = (
    "Descargue la hoja desde la tarea de Moodle: «Calificaciones» (o «Ver todas las "
    "entregas») → «Acción sobre las calificaciones» → «Descargar hoja de calificaciones», "
    "y pásela sin cambiarla."
)


def _decode(path: Path, data: bytes) -> tuple[str, str, bool]:
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", bom
    except UnicodeDecodeError:
        _fail(
            path,
            "no es un archivo de texto (ni UTF-8 ni Windows-1252): no puede ser una hoja de calificaciones",
            fix=_NOT_A_WORKSHEET_FIX,
        )


def _language_of(header: list[str]) -> str | None:
    for code, lang in LANGUAGES.items():
        if lang.identifier in header:
            return code
    return None


def _fold(text: str) -> str:
    return fold_bare(text)


def read_worksheet(path: str | Path) -> Worksheet:
    """Read a grading worksheet downloaded from a Moodle assignment (English or Spanish)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail(path, f"no se puede leer la hoja de calificaciones: {exc.strerror or exc}")
    text, encoding, bom = _decode(path, data)
    if not text.strip():
        _fail(
            path,
            "el archivo está vacío: no es una hoja de calificaciones",
            fix=_NOT_A_WORKSHEET_FIX,
        )
    first = text.splitlines()[0] if text.splitlines() else ""
    chosen: tuple[str, list[Record]] | None = None
    for delimiter in (",", ";", "\t"):
        try:
            head = parse(first, delimiter)
        except ValueError:
            continue
        if head and _language_of(head[0].values):
            chosen = (delimiter, [])
            break
    if chosen is None:
        names = " / ".join(f"«{lang.identifier}»" for lang in LANGUAGES.values())
        _fail(
            path,
            f"no es una hoja de calificaciones de Moodle: la primera línea no tiene la columna {names}",
            line=1,
            fix=_NOT_A_WORKSHEET_FIX,
        )
    delimiter = chosen[0]
    try:
        records = parse(text, delimiter)
    except ValueError as exc:
        _fail(
            path,
            "hay unas comillas sin cerrar: el archivo está cortado o mal guardado",
            line=int(exc.args[0]),
            fix=_NOT_A_WORKSHEET_FIX,
        )
    header_rec = records[0]
    header = header_rec.values
    language = _language_of(header) or "en"
    lang = LANGUAGES[language]
    columns: dict[str, int] = {"identifier": header.index(lang.identifier)}
    missing = []
    for key, name in (("grade", lang.grade), ("modified", lang.modified)):
        if name in header:
            columns[key] = header.index(name)
        else:
            missing.append(f"«{name}»")
    if missing:
        others = [h for h in header if _fold(h) in {_fold(lang.grade), _fold(lang.modified)}]
        hint = (
            f" (hay {', '.join(f'«{h}»' for h in others)}: el nombre debe ser exacto)"
            if others
            else ""
        )
        _fail(
            path,
            f"no es una hoja de calificaciones de Moodle en {_LANGUAGE_NAME[language]}: "
            f"faltan las columnas {' y '.join(missing)}{hint}; Moodle busca esas columnas "
            "por su nombre exacto y rechaza la hoja sin ellas",
            line=1,
            fix=_NOT_A_WORKSHEET_FIX,
        )
    folded = [_fold(h) for h in header]
    for key, candidates in (
        ("maximum", lang.maximum),
        ("scale", (lang.scale,)),
        ("can_change", (lang.can_change,)),
        ("feedback", lang.feedback),
        ("fullname", (lang.fullname,)),
    ):
        for name in candidates:
            if _fold(name) in folded:
                columns[key] = folded.index(_fold(name))
                break
    if "feedback" not in columns:
        # The download writes the feedback plugins' editor fields right after
        # "Last modified (grade)"; the comments plugin is the one with such a field.
        after = columns["modified"] + 1
        if after < len(header) and header[after].strip():
            columns["feedback"] = after
            columns["feedback_guessed"] = after
    rows: list[Record] = []
    for rec in records[1:]:
        if rec.blank() and len(rec.values) == 1:
            rows.append(rec)  # an empty line: Moodle skips it, we keep it
            continue
        if len(rec.values) != len(header):
            _fail(
                path,
                f"esta fila tiene {len(rec.values)} campos y la cabecera {len(header)}: "
                "Moodle rechaza la hoja entera («csvweirdcolumns»)",
                line=rec.line,
                fix="Vuelva a descargar la hoja; si la editó con una hoja de cálculo, guárdela como CSV UTF-8 separado por comas.",
            )
        rows.append(rec)
    return Worksheet(
        path=str(path),
        language=language,
        encoding=encoding,
        bom=bom,
        delimiter=delimiter,
        header=list(header),
        rows=rows,
        columns=columns,
        _header_record=header_rec,
        _text=text,
    )


def moodle_date(moment: datetime) -> str:
    """A time as ``2026-12-01 07:40:00 UTC``: read by PHP's ``strtotime`` on any server."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d+([.,]\d+)?", cleaned):
        return float(cleaned.replace(",", "."))
    return None


def _comment_html(comment: str) -> str:
    return "<br>".join(html.escape(part, quote=False) for part in comment.splitlines())


def fill_worksheet(
    worksheet: Worksheet,
    grades: Iterable[FinalGrade],
    *,
    now: datetime | None = None,
    include_pending: bool = False,
) -> tuple[str, FillReport]:
    """The worksheet's text with each matched row's grade, date and comment filled in.

    A row matches a grade with ``lms == "moodle"`` and ``lms_id`` equal to its
    participant number. See the module docstring for what is written and why.
    """
    stamp = moodle_date(now or datetime.now(UTC))
    report = FillReport(source=worksheet.path)
    lang = worksheet.lang
    by_id: dict[str, FinalGrade] = {}
    twice: dict[str, list[FinalGrade]] = {}
    for given in grades:
        if given.lms != "moodle" or not given.lms_id.strip().isdigit():
            why = (
                "la entrega no viene de la descarga de Moodle (su nombre de archivo no lleva el número de participante)"
                if given.lms != "moodle"
                else "sin número de participante"
            )
            report.unmatched.append((given.student_id, given.name, why))
            continue
        key = given.lms_id.strip().lstrip("0") or "0"
        if key in by_id or key in twice:
            twice.setdefault(key, [by_id.pop(key)] if key in by_id else []).append(given)
            continue
        by_id[key] = given
    # Two grades for one participant (two files with different ids): which one is theirs
    # is the instructor's call, so neither is written.
    for key, both in sorted(twice.items()):
        for given in both:
            report.unmatched.append(
                (
                    given.student_id,
                    given.name,
                    f"el participante {key} tiene {len(both)} calificaciones (archivos con ids "
                    "distintos): no se escribe ninguna; compruebe cuál es la suya y póngala a mano",
                )
            )
    used: set[str] = set()
    cols = worksheet.columns
    uses_scale = "scale" in cols and "maximum" not in cols
    if uses_scale:
        report.notes.append(
            "la tarea se califica con una escala, no con puntos: Moodle solo acepta los "
            "nombres de la escala, así que no se escribió ninguna calificación; califique en Moodle"
        )
    if "feedback_guessed" in cols:
        report.notes.append(
            f"se toma «{worksheet.header[cols['feedback']]}» (la columna que sigue a "
            f"«{lang.modified}») como la de comentarios de retroalimentación"
        )
    if "feedback" not in cols:
        report.notes.append(
            "la hoja no tiene columna de comentarios: active «Comentarios de "
            "retroalimentación» en los ajustes de la tarea y vuelva a descargarla para subir también los comentarios"
        )
    if worksheet.delimiter != ",":
        sep = {";": "punto y coma", "\t": "tabulador"}[worksheet.delimiter]
        report.notes.append(f"la hoja usa «{sep}» como separador: elija ese separador al subirla")
    if worksheet.encoding != "utf-8":
        report.notes.append(
            "la hoja está en Windows-1252 (la guardó una hoja de cálculo): elija esa codificación al subirla"
        )
    for row in worksheet.rows:
        if row.blank() and len(row.values) == 1:
            continue
        number = worksheet.participant(row)
        who = worksheet.cell(row, "fullname") or worksheet.cell(row, "identifier")
        grade = by_id.get(number) if number else None
        if grade is None:
            report.untouched += 1
            continue
        used.add(number)
        reason = ""
        maximum = _number(worksheet.cell(row, "maximum"))
        sheet_name = worksheet.cell(row, "fullname").strip()
        if not same_name(sheet_name, grade.name):
            reason = (
                f"en la hoja, «{lang.participant}{number}» es «{sheet_name}», pero la entrega "
                f"es de «{grade.name}»: la hoja parece de otra tarea, grupo o curso, y no se "
                "escribe esta fila. Descargue la hoja de calificaciones de esta tarea y vuelva "
                "a pasarla; si es la misma persona con el nombre escrito de otra forma, ponga "
                "la nota a mano en Moodle"
            )
        elif grade.status != "corregido" and not include_pending:
            reason = "quedan respuestas abiertas sin corregir (pendiente): no se sube una nota provisional"
        elif uses_scale:
            reason = "la tarea usa una escala"
        elif worksheet.cell(row, "can_change").strip() == lang.no:
            reason = "Moodle no permite cambiar esta calificación (está bloqueada o se cambió en el libro de calificaciones)"
        elif maximum is None:
            reason = "la fila no tiene una calificación máxima legible"
        if reason:
            report.skipped.append((row.line, who, reason))
            continue
        assert maximum is not None
        value = grade_text(scale(grade.total, grade.possible, maximum))
        previous = worksheet.cell(row, "grade").strip()
        row.set(cols["grade"], value, quote_spaces=True)
        row.set(cols["modified"], stamp, quote_spaces=True)
        if "feedback" in cols and grade.comment:
            row.set(cols["feedback"], _comment_html(grade.comment), quote_spaces=True)
        report.matched.append(
            Matched(
                line=row.line,
                lms_id=number,
                name=who,
                grade=value,
                maximum=grade_text(maximum),
                how="participante",
                previous=previous if previous and previous != "-" else "",
            )
        )
    for key, grade in by_id.items():
        if key not in used:
            report.unmatched.append(
                (
                    grade.student_id,
                    grade.name,
                    f"ninguna fila de la hoja es «{lang.participant}{key}»: ¿la hoja es de otra tarea, o de un grupo?",
                )
            )
    text = str(worksheet._header_record) + "".join(str(r) for r in worksheet.rows)
    return ("\ufeff" if worksheet.bom else "") + text, report


def save_worksheet(path: str | Path, worksheet: Worksheet, text: str) -> None:
    """Write ``text`` (from :func:`fill_worksheet`) in the worksheet's own encoding."""
    Path(path).write_bytes(text.encode(worksheet.encoding, errors="replace"))


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def _folder_name(name: str, number: str) -> str:
    clean = _UNSAFE.sub(" ", name.replace("_", " ")).strip() or "Participante"
    return f"{clean}_{number}_assignfeedback_file_"


@dataclass
class ZipReport:
    """What :func:`feedback_zip` put in the zip, and whom it left out (Spanish reasons)."""

    path: str
    #: (participant number, name, path inside the zip)
    added: list[tuple[str, str, str]] = field(default_factory=list)
    #: (student id, name, reason)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Zip de comentarios: {self.path}", f"Páginas incluidas: {len(self.added)}"]
        out += [f"Sin página en el zip: {name} ({sid}): {why}" for sid, name, why in self.skipped]
        return out


def feedback_zip(
    grades: Iterable[FinalGrade], out_zip: str | Path, *, worksheet: Worksheet | None = None
) -> ZipReport:
    """Write the zip for Moodle's "Upload multiple feedback files in a zip".

    One folder per Moodle student, ``<name>_<participant>_assignfeedback_file_``, holding
    their feedback page. The importer (``importziplib.php``,
    ``is_valid_filename_for_import``) splits each path part on "_" (at most 5 pieces),
    needs at least 4, takes the second as the participant number (numeric, and a
    participant of the assignment) and the third and fourth as the plugin
    (``get_plugin_by_type('assignfeedback', 'file')``, the plugin that offers this
    upload), and keeps the rest as the file's name. It is the naming of its "download
    all submissions" (``<name>_<participant>_assignsubmission_file_``), so underscores
    in the name become spaces; the trailing "_" is what Moodle before 4.1 wrote and
    later versions still accept.

    With ``worksheet`` (the assignment's grading worksheet), a grade whose participant
    has another name there (:func:`comprende.lms.same_name`) is left out, as
    :func:`fill_worksheet` leaves out its row: its page would reach someone else.
    """
    report = ZipReport(path=str(out_zip))
    seen: set[str] = set()
    named: dict[str, str] = {}
    if worksheet is not None:
        for row in worksheet.rows:
            number = worksheet.participant(row)
            if number:
                named.setdefault(number, worksheet.cell(row, "fullname").strip())
    with zipfile.ZipFile(out_zip, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for grade in grades:
            if grade.lms != "moodle" or not grade.lms_id.strip().isdigit():
                report.skipped.append(
                    (grade.student_id, grade.name, "sin número de participante de Moodle")
                )
                continue
            page = grade.feedback_page
            if page is None or not Path(page).is_file():
                report.skipped.append(
                    (grade.student_id, grade.name, "no se escribió su página de comentarios")
                )
                continue
            number = str(int(grade.lms_id))
            if not same_name(named.get(number, ""), grade.name):
                report.skipped.append(
                    (
                        grade.student_id,
                        grade.name,
                        f"en la hoja de calificaciones, el participante {number} es "
                        f"«{named[number]}»: su página llegaría a otra persona",
                    )
                )
                continue
            if number in seen:
                report.skipped.append(
                    (grade.student_id, grade.name, f"el participante {number} ya está en el zip")
                )
                continue
            seen.add(number)
            arcname = f"{_folder_name(grade.name, number)}/{Path(page).name}"
            # A fixed time: two runs on the same inputs give the same zip, byte for byte.
            entry = zipfile.ZipInfo(arcname, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, Path(page).read_bytes())
            report.added.append((number, grade.name, arcname))
    return report

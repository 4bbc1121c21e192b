"""Canvas's gradebook export filled in, checked against the importer's own rules.

``canvas_import`` applies the rules of instructure/canvas-lms ``lib/gradebook_importer.rb``
(delimiter detection, header check, assignment lookup by "(id)", the "Points Possible"
row, student lookup by ID then SIS User ID, the decimal-comma converter, "no change"
at two decimals), as listed in :mod:`comprende.lms.canvas`'s docstring.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from comprende.errors import ComprendeError
from comprende.lms import FinalGrade, scale
from comprende.lms.canvas import (
    canvas_number,
    fill_gradebook,
    read_gradebook,
    save_gradebook,
    title_and_id,
)

DATA = Path(__file__).parent / "data" / "lms"
EXPORT = DATA / "gradebook-canvas.csv"
SEMICOLON = DATA / "gradebook-canvas-semicolon.csv"

#: The course as Canvas knows it: assignment ids, user ids, SIS ids.
ASSIGNMENTS = {4711: "Lectura: Putin en Kazajistán", 4712: "Cuestionario 1"}
USERS = {1001: "A1", 1002: "L2", 1003: "M3", 1004: "P4", 1005: "E5", 1099: ""}
NON_ASSIGNMENT = re.compile(
    "Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|"
    "Override Score|Override Grade|Override Status"
)


def decimal_comma_to_period(field: str | None) -> str | None:
    if field is not None and re.match(r"^-?[0-9.,]+%?$", field):
        parts = re.split(r"[,.]", field)
        last = parts.pop()
        return last if not parts else "".join(parts) + "." + last
    return field


def identify_delimiter(lines: list[str]) -> str:
    counts = {}
    for sep in (";", ","):
        sizes = [len(next(csv.reader([line], delimiter=sep), [])) for line in lines]
        counts[sep] = sizes[0] if len(set(sizes)) == 1 else 0
    return ";" if counts[";"] > counts[","] else ","


def canvas_import(data: bytes) -> dict[tuple[int, int], str]:
    """{(user id, assignment id): grade} as the importer reads the file."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    sep = identify_delimiter(text.splitlines()[:3])
    rows = [
        [decimal_comma_to_period(f) for f in row]
        for row in csv.reader(io.StringIO(text), delimiter=sep)
        if not re.fullmatch(r"[;, ]+", sep.join(row) or " ")
    ]
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1]
    columns = 3
    if re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        columns += 2
    assert "Section" in header[columns - 1]
    found: dict[int, int] = {}
    for index, name in enumerate(header):
        if index < columns or NON_ASSIGNMENT.search(name):
            continue
        m = re.fullmatch(r"(.*)\s\((\d+)\)", name, re.DOTALL)
        # A header without a known id would make the importer create a new assignment.
        assert m and int(m[2]) in ASSIGNMENTS, f"new assignment: {name}"
        found[index] = int(m[2])
    points: dict[int, float] = {}
    result: dict[tuple[int, int], str] = {}
    for row in rows[1:]:
        if "Points Possible" in (row[0] or ""):
            points = {i: float(row[i]) for i in found}
            continue
        if all(re.match(r"^\s*(Muted|Manual Posting.*)?\s*$", c, re.I) for c in row if c):
            continue
        user = int(row[1]) if row[1].isdigit() and int(row[1]) in USERS else None
        if user is None:
            user = next((u for u, sis in USERS.items() if sis and sis == row[2]), None)
        assert user is not None, f"unknown student {row[0]}"
        for index, assignment in found.items():
            grade = (row[index] or "").strip()
            if grade not in ("", "-", "N/A", "EX"):
                assert 0 <= float(grade) <= points[index], (grade, points[index])
            result[(user, assignment)] = grade
    return result


def grades() -> list[FinalGrade]:
    return [
        FinalGrade("a1", "Ana García", "canvas", "1001", 51, 68, "corregido", "", None),
        FinalGrade("L2", "Luis Pérez", "canvas", "1002", 34, 68, "corregido", "", None),
        # No Canvas naming (sent by e-mail): found by SIS User ID, folded.
        FinalGrade(" m3 ", "Marta Ruiz", "", "", 68, 68, "corregido", "", None),
        FinalGrade("P4", "Pedro Gil", "canvas", "1004", 60, 68, "corregido", "", None),
        FinalGrade("E5", "Eva Sol", "canvas", "1005", 60, 68, "corregido", "", None),
        FinalGrade("Z9", "Zoe", "canvas", "2000", 10, 68, "corregido", "", None),
        FinalGrade("Q7", "Quique", "", "", 10, 68, "corregido", "", None),
    ]


def test_filled_column_is_read_by_the_importer_as_scaled_grades():
    before = canvas_import(EXPORT.read_bytes())
    text, report = fill_gradebook(EXPORT, "Lectura: Putin en Kazajistán", grades())
    after = canvas_import(text.encode())
    assert after[(1001, 4711)] == "15" == str(int(scale(51, 68, 20)))
    assert after[(1002, 4711)] == "10"
    assert after[(1003, 4711)] == "20"
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {(1001, 4711), (1002, 4711), (1003, 4711)}
    assert [m.how for m in report.matched] == [
        "id de usuario de Canvas",
        "id de usuario de Canvas",
        "SIS User ID",
    ]
    assert report.matched[1].previous == "12.50"


def test_everything_else_is_byte_identical():
    source = EXPORT.read_bytes().decode("utf-8")
    text, _ = fill_gradebook(EXPORT, "4711", grades())
    old, new = source.split("\n"), text.split("\n")
    assert len(old) == len(new)
    for a, b in zip(old, new, strict=True):
        fa, fb = next(csv.reader([a]), []), next(csv.reader([b]), [])
        if a != b:
            assert [i for i, (x, y) in enumerate(zip(fa, fb, strict=True)) if x != y] == [5]
            assert a.split(",", 1)[0] == b.split(",", 1)[0]  # the quoted name kept as written
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 3


def test_report_says_what_happened_to_each_student():
    _, report = fill_gradebook(EXPORT, "lectura: putin en kazajistán (4711)", grades())
    skipped = {who: why for _, who, why in report.skipped}
    assert "N/A" in skipped["Gil, Pedro"] and "EX" in skipped["Sol, Eva"]
    unmatched = {sid: why for sid, _, why in report.unmatched}
    assert set(unmatched) == {"Z9", "Q7"}
    assert "2000" in unmatched["Z9"] and "«Q7»" in unmatched["Q7"]
    assert report.untouched == 1  # the test student
    assert any("sobre 20 puntos" in n for n in report.notes)


def test_pending_is_not_uploaded_by_default():
    g = [FinalGrade("a1", "Ana García", "canvas", "1001", 51, 68, "pendiente", "", None)]
    _, report = fill_gradebook(EXPORT, "4711", g)
    assert not report.matched and "pendiente" in report.skipped[0][2]
    _, report = fill_gradebook(EXPORT, "4711", g, include_pending=True)
    assert report.matched[0].grade == "15"


def test_semicolon_export_with_bom_and_manual_posting_row():
    book = read_gradebook(SEMICOLON)
    assert book.delimiter == ";" and book.bom and book.points_row == 2
    g = [FinalGrade("x", "Ana García", "canvas", "1001", 45.5, 68, "corregido", "", None)]
    text, report = fill_gradebook(SEMICOLON, "Lectura: Putin en Kazajistán", g)
    assert text.startswith("\ufeff") and text.count("\r\n") == 5
    result = canvas_import(text.encode())
    assert result[(1001, 4711)] == "13.38"  # 45.5 / 68 * 20 = 13.382…
    assert result[(1002, 4711)] == "12.50"  # "12,50" through the converter
    source = SEMICOLON.read_bytes().decode("utf-8")
    assert [a == b for a, b in zip(source.split("\r\n"), text.split("\r\n"), strict=True)] == [
        True,
        True,
        True,
        False,
        True,
        True,
    ]
    assert report.matched[0].maximum == "20"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Examen final", "no hay ninguna tarea «Examen final»"),
        ("Current Score", "no hay ninguna tarea"),
    ],
)
def test_missing_assignment_lists_the_columns(name, message):
    with pytest.raises(ComprendeError) as err:
        fill_gradebook(EXPORT, name, grades())
    text = str(err.value)
    assert message in text
    assert "«Lectura: Putin en Kazajistán (4711)»; «Cuestionario 1 (4712)»" in text
    assert str(EXPORT) in text


def test_ambiguous_assignment_is_an_error(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "Student,ID,SIS Login ID,Section,Lectura (1),Lectura (2)\n"
        "    Points Possible,,,,10,10\nAna,5,ana,S,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ComprendeError, match="ambiguo"):
        fill_gradebook(path, "Lectura", grades())
    text, _ = fill_gradebook(path, "Lectura (2)", [grades()[0]])
    assert text.splitlines()[2] == "Ana,5,ana,S,,"


def test_column_without_id_is_refused(tmp_path):
    # What gradebook-canvas.csv used to be: Canvas would create a new assignment.
    path = tmp_path / "g.csv"
    path.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,comprende\n"
        'Points Possible,,,,,68\n"García, Ana",1001,A1,ana,S,51\n',
        encoding="utf-8",
    )
    with pytest.raises(ComprendeError, match="crearía una tarea nueva"):
        fill_gradebook(path, "comprende", grades())


@pytest.mark.parametrize(
    "content",
    [
        b"Identifier,Full name,Grade\nParticipant 1,Ana,7\n",
        b"Student,ID,Lectura (1)\nAna,1,5\n",
        b"",
    ],
)
def test_not_a_canvas_export(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ComprendeError) as err:
        read_gradebook(path)
    assert str(path) in str(err.value) and "Exportar" in str(err.value)


def test_missing_points_possible_row(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("Student,ID,SIS Login ID,Section,Lectura (1)\nAna,5,ana,S,\n", encoding="utf-8")
    with pytest.raises(ComprendeError, match="Points Possible"):
        fill_gradebook(path, "Lectura", grades())


def test_title_and_id_and_number_converter():
    assert title_and_id("Lectura (12) (4711)") == ("Lectura (12)", "4711")
    assert title_and_id("Lectura") == ("Lectura", None)
    assert canvas_number("12,50") == 12.5
    assert canvas_number("1.234,5") == 1234.5
    assert canvas_number("(read only)") is None


@pytest.mark.parametrize("export", [EXPORT, SEMICOLON])
def test_with_no_grades_the_saved_file_is_the_export_byte_for_byte(tmp_path, export):
    text, report = fill_gradebook(export, "4711", [])
    out = tmp_path / "canvas-gradebook.csv"
    save_gradebook(out, text)
    assert out.read_bytes() == export.read_bytes()
    assert not report.matched


def test_last_name_first_name_export(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "LastName,FirstName,ID,SIS User ID,SIS Login ID,Section,Lectura (4711)\n"
        "    Points Possible,,,,,,10.00\n"
        "García,Ana,1001,A1,ana,S,\n",
        encoding="utf-8",
    )
    text, report = fill_gradebook(path, "Lectura", grades()[:1])
    assert text.splitlines()[2] == "García,Ana,1001,A1,ana,S,7.5"
    assert report.matched[0].name == "Ana García"


def test_a_download_grade_is_found_by_its_canvas_user_id_never_by_the_typed_id():
    # Marta (user 1003) typed her classmate Ana's id "A1"; Ana (user 1001, SIS A1) did
    # not submit. Marta's grade goes on Marta's row; Ana's row stays as it was.
    g = [FinalGrade("A1", "Marta Ruiz", "canvas", "1003", 68, 68, "corregido", "", None)]
    before = canvas_import(EXPORT.read_bytes())
    text, report = fill_gradebook(EXPORT, "4711", g)
    after = canvas_import(text.encode())
    assert after[(1003, 4711)] == "20"
    assert {k for k in after if after[k] != before[k]} == {(1003, 4711)}
    assert [(m.name, m.how, m.lms_id) for m in report.matched] == [
        ("Ruiz, Marta", "id de usuario de Canvas", "1003")
    ]
    assert not report.unmatched and not report.skipped


def test_a_download_grade_whose_user_is_not_in_the_book_does_not_take_the_sis_row():
    g = [FinalGrade("A1", "Marta Ruiz", "canvas", "2003", 68, 68, "corregido", "", None)]
    text, report = fill_gradebook(EXPORT, "4711", g)
    assert text == EXPORT.read_text(encoding="utf-8")
    ((_, _, why),) = report.unmatched
    assert "ID 2003 de Canvas" in why
    assert "SIS User ID «A1»" in why and "«García, Ana» (línea 3)" in why and "no se usa" in why


def test_two_grades_for_one_row_write_neither_and_both_are_reported():
    # Luis's file from the Canvas download, and a copy he e-mailed (found by SIS L2).
    g = [
        FinalGrade("L2", "Luis Pérez", "canvas", "1002", 34, 68, "corregido", "", None),
        FinalGrade("L2", "Luis Pérez", "", "", 68, 68, "corregido", "", None),
    ]
    text, report = fill_gradebook(EXPORT, "4711", g)
    assert canvas_import(text.encode())[(1002, 4711)] == "12.50"  # as it was
    assert not report.matched and not report.unmatched
    ((line, who, why),) = report.skipped
    assert (line, who) == (4, "Pérez, Luis")
    assert "2 entregas" in why and "no se escribe ninguna" in why
    assert "id de usuario de Canvas «1002»" in why and "SIS User ID «L2»" in why
    assert "Sin fila" not in report.text() and "ninguna fila" not in report.text()


@pytest.mark.parametrize(
    ("grade", "line", "how"),
    [
        # The download says user 1002, the file says Zoe: the book is of another course.
        (
            FinalGrade("Z9", "Zoe Nadie", "canvas", "1002", 68, 68, "corregido", "", None),
            4,
            "id de usuario de Canvas «1002» es de «Pérez, Luis»",
        ),
        # A file sent by e-mail with a classmate's id: the SIS row is someone else's.
        (
            FinalGrade("A1", "Marta Ruiz", "", "", 68, 68, "corregido", "", None),
            3,
            "SIS User ID «A1» es de «García, Ana»",
        ),
    ],
)
def test_a_row_with_another_persons_name_is_not_written(grade, line, how):
    text, report = fill_gradebook(EXPORT, "4711", [grade])
    assert text == EXPORT.read_text(encoding="utf-8")
    assert not report.matched
    ((skipped_line, _, why),) = report.skipped
    assert skipped_line == line
    assert how in why and f"la entrega es de «{grade.name}»" in why
    assert "Exporte el libro de calificaciones de este curso" in why


def test_names_are_compared_ignoring_case_accents_and_order():
    g = [FinalGrade("x", "ana GARCIA", "canvas", "1001", 68, 68, "corregido", "", None)]
    _, report = fill_gradebook(EXPORT, "4711", g)
    assert [m.name for m in report.matched] == ["García, Ana"]


def test_a_sis_user_id_on_two_rows_is_written_to_neither(tmp_path):
    path = tmp_path / "g.csv"
    source = (
        "Student,ID,SIS User ID,SIS Login ID,Section,Lectura (4711)\n"
        "    Points Possible,,,,,10.00\n"
        '"García, Ana",1001,A1,ana,S,\n'
        '"García, Ana",1011,a1,ana2,S,\n'
    )
    path.write_text(source, encoding="utf-8")
    g = [FinalGrade("A1", "Ana García", "", "", 68, 68, "corregido", "", None)]
    text, report = fill_gradebook(path, "4711", g)
    assert text == source and not report.matched
    ((_, _, why),) = report.unmatched
    assert "varias filas" in why and "(línea 3)" in why and "(línea 4)" in why

"""Marks for open responses: pending.csv written, filled as spreadsheets save it, read back."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from comprende.bank import load_bank
from comprende.marks import (
    JSON_FORMAT,
    MarksFile,
    Problem,
    answer_sha256,
    answer_text,
    read_marks,
)
from comprende.model import Bank, ItemSet, ItemType, Marking
from comprende.reports.problems import PendingWriter, rubric_text

from .conftest import ROOT

BASE = load_bank(ROOT / "exercises")
OPEN = [i for i in BASE.items if i.type == ItemType.OPEN]
AUTO = next(i for i in BASE.items if i.auto_graded)
A, B = OPEN[0].id, OPEN[1].id


def _bank() -> Bank:
    """The real bank plus an open item without a rubric, worth 2 points."""
    extra = dataclasses.replace(OPEN[0], id="sin-rubrica", rubric=(), points=2, set_id="x")
    return dataclasses.replace(BASE, sets=(*BASE.sets, ItemSet("x", "Extra", "", (extra,))))


BANK = _bank()
#: (id, name, lms, lms_id, item, answer)
STUDENTS = [
    ("e1", "Ana López", "moodle", "17", A, "Putin llega a Astaná."),
    ("e1", "Ana López", "moodle", "17", B, "=1+1 no es una fórmula"),
    ("E-2", "Bruno Díaz", "", "", A, 'Dos\nlíneas, con «comillas» y "dobles"'),
    ("E-2", "Bruno Díaz", "", "", "sin-rubrica", "Breve."),
]


def write_pending(folder: Path, rows=STUDENTS, **marked) -> tuple[Path, Path]:
    writer = PendingWriter(folder / "pending.csv", BANK, excel=folder / "pending-excel.csv")
    for student_id, name, lms, lms_id, item_id, answer in rows:
        extra = marked.get(f"{student_id}/{item_id}", {})
        writer.add(
            student_id,
            name,
            f"{student_id}.json",
            item_id,
            BANK.by_id[item_id].points,
            answer,
            lms,
            lms_id,
            **extra,
        )
    writer.close()
    assert writer.count == len(rows)
    return folder / "pending.csv", folder / "pending-excel.csv"


def read_rows(path: Path, *, encoding: str = "utf-8", delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def fill(rows: list[dict[str, str]], values: dict[tuple[str, str], dict[str, str]]) -> None:
    for row in rows:
        row.update(values.get((row["id"], row["item"]), {}))


def save(path: Path, rows: list[dict[str, str]], *, fields=None, **options) -> Path:
    """Rows saved as a spreadsheet would: options are csv.writer's, plus encoding."""
    encoding = options.pop("encoding", "utf-8")
    fields = fields or list(rows[0])
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", **options)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


FILLED = {
    ("e1", A): {"c1": "1", "c2": "0.5", "c3": "1", "c4": "0", "comment": "Bien, «Ana»."},
    ("e1", B): {"score": "2.5", "comment": "-Falta una fuente"},
    ("E-2", A): {"c1": "1", "c2": "1", "c3": "1", "c4": "1", "score": "4"},
    ("E-2", "sin-rubrica"): {"score": "1.5"},
}
EXPECTED = {
    ("e1", A): ((1, 0.5, 1, 0), 2.5, "Bien, «Ana»."),
    ("e1", B): ((None, None, None, None), 2.5, "-Falta una fuente"),
    ("E-2", A): ((1, 1, 1, 1), 4.0, ""),
    ("E-2", "sin-rubrica"): ((), 1.5, ""),
}


def check_all(marks: MarksFile) -> None:
    assert marks.problems == []
    assert len(marks) == 4
    for student_id, _name, lms, lms_id, item_id, answer in STUDENTS:
        mark, problem = marks.lookup(student_id, lms, lms_id, item_id, answer)
        assert problem is None and mark is not None, (student_id, item_id)
        criteria, score, comment = EXPECTED[(student_id, item_id)]
        assert mark.marking == Marking(criteria, comment)
        assert mark.score == score
        assert mark.answer_sha256 == answer_sha256(answer)


# ----------------------------------------------------------------------------- the writer


def test_pending_csv_has_the_documented_columns_and_safe_cells(tmp_path):
    plain, excel = write_pending(tmp_path)
    rows = read_rows(plain)
    assert list(rows[0]) == [
        "id",
        "name",
        "file",
        "lms",
        "lms_id",
        "item",
        "points_possible",
        "answer",
        "answer_sha256",
        "rubric",
        "c1",
        "c2",
        "c3",
        "c4",
        "score",
        "comment",
    ]
    first = rows[0]
    assert (first["lms"], first["lms_id"], first["points_possible"]) == ("moodle", "17", "4")
    assert first["answer_sha256"] == answer_sha256(STUDENTS[0][5])
    assert first["rubric"].startswith(f"c1: {OPEN[0].rubric[0].criterion} (1 p.) | c2: ")
    assert first["rubric"].count(" | ") == len(OPEN[0].rubric) - 1
    # An answer that a spreadsheet would run as a formula is escaped.
    assert rows[1]["answer"] == "'=1+1 no es una fórmula"
    assert rows[2]["answer"] == STUDENTS[2][5]
    assert rows[3]["rubric"] == ""
    assert plain.read_bytes().count(b"\r\n") >= 5
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    # The Excel variant: BOM, semicolons, decimal comma.
    data = excel.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid;name;file;lms;")
    excel_rows = read_rows(excel, encoding="utf-8-sig", delimiter=";")
    assert [r["answer_sha256"] for r in excel_rows] == [r["answer_sha256"] for r in rows]


def test_a_row_already_marked_is_written_filled_in_and_reads_back_the_same(tmp_path):
    plain, excel = write_pending(
        tmp_path,
        **{
            f"e1/{A}": {"marking": Marking((1, 0.5, None, 1), "Bien"), "score": 3},
            "E-2/sin-rubrica": {"marking": Marking((), "Corto"), "score": 1.25},
        },
    )
    row = read_rows(plain)[0]
    assert [row[c] for c in ("c1", "c2", "c3", "c4", "score", "comment")] == [
        "1",
        "0.5",
        "",
        "1",
        "3",
        "Bien",
    ]
    assert read_rows(excel, encoding="utf-8-sig", delimiter=";")[3]["score"] == "1,25"
    for path in (plain, excel):
        marks = read_marks(path, BANK)
        assert marks.problems == [] and len(marks) == 2
        mark, _ = marks.lookup("e1", "moodle", "17", A, STUDENTS[0][5])
        assert mark is not None and mark.marking == Marking((1, 0.5, None, 1), "Bien")
        assert mark.score == 3
        mark, _ = marks.lookup("E-2", "", "", "sin-rubrica", "Breve.")
        assert mark is not None and mark.score == 1.25


def test_rubric_text_uses_a_decimal_comma_for_excel():
    item = dataclasses.replace(
        OPEN[0], rubric=(dataclasses.replace(OPEN[0].rubric[0], points=0.5),)
    )
    assert rubric_text(item, comma=True).endswith("(0,5 p.)")


def test_answer_sha256_is_of_the_text_written():
    assert answer_text({"a": "é"}) == '{"a": "é"}'
    assert answer_sha256({"a": "é"}) == answer_sha256('{"a": "é"}')
    assert answer_sha256("x") != answer_sha256("x ")
    assert answer_sha256("\ud800") != answer_sha256("")  # a lone surrogate does not crash


# ----------------------------------------------------------------------------- formats


def test_the_plain_file_filled_and_saved_as_is(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    check_all(read_marks(save(tmp_path / "m.csv", rows, lineterminator="\r\n"), BANK))


def _comma(values):
    return {
        k: {c: v if c == "comment" else v.replace(".", ",") for c, v in row.items()}
        for k, row in values.items()
    }


@pytest.mark.parametrize(
    ("encoding", "delimiter", "comma", "quoting", "terminator"),
    [
        ("utf-8", ",", False, csv.QUOTE_MINIMAL, "\n"),
        ("utf-8-sig", ";", True, csv.QUOTE_MINIMAL, "\r\n"),  # Excel "CSV UTF-8", Spanish
        ("cp1252", ";", True, csv.QUOTE_MINIMAL, "\r\n"),  # Excel "CSV" on Windows
        ("utf-8", ",", True, csv.QUOTE_ALL, "\r\n"),  # LibreOffice, quote all, "1,5" quoted
        ("utf-16", "\t", True, csv.QUOTE_MINIMAL, "\r\n"),  # Excel "Unicode text"
        ("utf-8", ";", False, csv.QUOTE_NONNUMERIC, "\r"),  # old Mac line ends
    ],
)
def test_what_spreadsheets_save(tmp_path, encoding, delimiter, comma, quoting, terminator):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, _comma(FILLED) if comma else FILLED)
    if encoding == "cp1252":  # no character outside the code page in this class
        for row in rows:
            for key, value in row.items():
                row[key] = value.encode("cp1252", "replace").decode("cp1252")
    path = save(
        tmp_path / "m.csv",
        rows,
        encoding=encoding,
        delimiter=delimiter,
        quoting=quoting,
        lineterminator=terminator,
    )
    check_all(read_marks(path, BANK))


def test_the_excel_variant_filled_with_decimal_commas(tmp_path):
    _, excel = write_pending(tmp_path)
    rows = read_rows(excel, encoding="utf-8-sig", delimiter=";")
    fill(rows, _comma(FILLED))
    path = save(tmp_path / "m.csv", rows, encoding="utf-8-sig", delimiter=";")
    check_all(read_marks(path, BANK))


def test_extra_reordered_and_renamed_columns_and_excel_apostrophes(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    for row in rows:
        row["Revisado"] = "sí"
        # Excel keeps the apostrophe that escaped a formula, as text.
        row["comment"] = "'" + row["comment"] if row["comment"].startswith("-") else row["comment"]
        row["Nota"] = row.pop("score")
        row["Comentario"] = row.pop("comment")
        row["ID"] = row.pop("id")
    fields = ["Comentario", "Nota", "c4", "c3", "c2", "c1", "answer_sha256", "item"]
    fields += ["lms_id", "lms", "ID", "Revisado"]
    check_all(read_marks(save(tmp_path / "m.csv", rows, fields=fields), BANK))


def test_a_row_with_nothing_filled_is_still_pending_and_blank_lines_are_skipped(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, {("e1", A): FILLED[("e1", A)]})
    path = save(tmp_path / "m.csv", rows)
    path.write_bytes(path.read_bytes() + b",,,,\r\n\r\n")
    marks = read_marks(path, BANK)
    assert marks.problems == [] and len(marks) == 1
    assert marks.lookup("E-2", "", "", A, STUDENTS[2][5]) == (None, None)


def test_the_pages_json(tmp_path):
    marks = [
        {
            "id": s[0],
            "name": s[1],
            "lms": s[2],
            "lms_id": s[3],
            "item": s[4],
            "answer_sha256": answer_sha256(s[5]),
            "criteria": list(EXPECTED[(s[0], s[4])][0]),
            "score": EXPECTED[(s[0], s[4])][1],
            "comment": EXPECTED[(s[0], s[4])][2],
        }
        for s in STUDENTS
    ]
    data = {"format": JSON_FORMAT, "version": 1, "module": BANK.id, "marks": marks}
    path = tmp_path / "notas.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    check_all(read_marks(path, BANK))


# ----------------------------------------------------------------------------- problems


def one_row(tmp_path, values, *, student=0, name="m.csv") -> MarksFile:
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    good = {("e1", A): FILLED[("e1", A)]} if student != 0 else {}
    key = (STUDENTS[student][0], STUDENTS[student][4])
    fill(rows, {**good, key: values})
    return read_marks(save(tmp_path / name, rows), BANK)


PROBLEMS = [
    # (row values, student, column, words in the message, words in the fix)
    ({"score": "5"}, 2, "score", "nota 5 por encima del máximo de la pregunta (4)", "entre 0 y 4"),
    (
        {"c2": "1,5", "score": "3"},
        2,
        "c2",
        "1,5 puntos en el criterio 2, que vale como máximo 1",
        "entre 0 y 1",
    ),
    (
        {"c1": "1", "c2": "1", "c3": "1", "c4": "0", "score": "4"},
        2,
        "score",
        "los criterios suman 3, pero la nota es 4",
        "deja score vacío",
    ),
    ({"c1": "uno"}, 2, "c1", "«uno» no es un número", "0,5"),
    ({"score": "2,5,1"}, 2, "score", "«2,5,1» no es un número", "2,5"),
    ({"score": "-1"}, 2, "score", "nota negativa (-1)", "0 o más"),
    ({"c3": "-0.5", "score": "1"}, 2, "c3", "puntos negativos", "0 o más"),
    (
        {"item": "no-existe", "score": "1"},
        2,
        "item",
        "pregunta desconocida «no-existe»",
        "pregunta abierta",
    ),
    ({"item": AUTO.id, "score": "1"}, 2, "item", "no es una pregunta abierta", "borra"),
    (
        {"answer_sha256": "", "score": "1"},
        2,
        "answer_sha256",
        "falta el resumen SHA-256",
        "no cambies",
    ),
    (
        {"answer_sha256": "abc", "score": "1"},
        2,
        "answer_sha256",
        "resumen SHA-256 no válido",
        "no cambies",
    ),
    (
        {"c1": "1", "c2": "1"},
        2,
        "score",
        "faltan los criterios c3, c4 y no hay nota",
        "todos los criterios",
    ),
    ({"c1": "1", "c2": "1", "score": "1"}, 2, "score", "no cuadra con los criterios", "corrige"),
    ({"comment": "Bien"}, 2, "score", "hay comentario pero ninguna nota", "criterios"),
    ({"c1": "1", "score": "1"}, 3, "c1", "la pregunta sin-rubrica tiene 0 criterio(s)", "score"),
    ({"id": "", "score": "1"}, 2, "id", "falta el id del estudiante", "como estaba"),
    ({"lms": "blackboard", "lms_id": "3", "score": "1"}, 2, "lms", "LMS desconocido", "moodle"),
    ({"lms": "moodle", "score": "1"}, 2, "lms_id", "falta el id del participante", "como estaba"),
]


@pytest.mark.parametrize(("values", "student", "column", "message", "fix"), PROBLEMS)
def test_every_bad_cell_is_a_problem_and_the_other_rows_still_count(
    tmp_path, values, student, column, message, fix
):
    marks = one_row(tmp_path, values, student=student)
    assert len(marks.problems) == 1, marks.problems
    problem = marks.problems[0]
    assert problem.file == str(tmp_path / "m.csv")
    # The spreadsheet row: E-2's answer of 2 lines above student 3 is still one row.
    assert problem.line == 2 + student
    assert problem.column == column
    assert message in problem.message and fix in problem.fix
    who = values.get("id", STUDENTS[student][0])
    item_id = values.get("item", STUDENTS[student][4])
    assert str(problem).startswith(
        f"{tmp_path / 'm.csv'}, fila {problem.line}, "
        + (f"estudiante {who}, " if who else "")
        + f"pregunta {item_id}, columna {column}: "
    )
    # The good row still counts.
    assert marks.lookup("e1", "moodle", "17", A, STUDENTS[0][5])[0] is not None
    assert len(marks) == 1


def test_several_bad_cells_of_one_row_are_each_reported(tmp_path):
    marks = one_row(tmp_path, {"c1": "x", "c2": "9", "score": "7"}, student=2)
    assert [p.column for p in marks.problems] == ["c1", "c2", "score"]


def test_a_file_without_the_needed_columns_or_unreadable(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("id;nota\r\ne1;3\r\n", encoding="utf-8")
    [problem] = read_marks(path, BANK).problems
    assert (problem.line, problem.column) == (None, "")
    assert "faltan las columnas item, answer_sha256" in problem.message
    empty = tmp_path / "vacio.csv"
    empty.write_bytes(b"")
    assert "vacío" in read_marks(empty, BANK).problems[0].message
    missing = read_marks(tmp_path / "no-existe.csv", BANK).problems[0]
    assert "no se puede leer" in missing.message and "--marks" in missing.fix


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "no es un JSON válido"),
        ('{"format": "otro"}', "no es un archivo de notas de corregir.html"),
        (f'{{"format": "{JSON_FORMAT}", "version": 2}}', "versión del archivo de notas"),
        (
            f'{{"format": "{JSON_FORMAT}", "version": 1, "module": "otro", "marks": []}}',
            "del módulo 'otro'",
        ),
    ],
)
def test_a_bad_json_file_is_one_problem(tmp_path, text, message):
    path = tmp_path / "notas.json"
    path.write_text(text, encoding="utf-8")
    marks = read_marks(path, BANK)
    assert len(marks) == 0 and len(marks.problems) == 1
    assert message in marks.problems[0].message


def test_a_bad_mark_in_the_json_names_its_number_and_field(tmp_path):
    good = {
        "id": "E-2",
        "item": "sin-rubrica",
        "answer_sha256": answer_sha256("Breve."),
        "score": 1,
    }
    bad = {**good, "item": A, "criteria": [1, 2, None, True]}
    data = {"format": JSON_FORMAT, "version": 1, "module": BANK.id, "marks": [good, bad, 3]}
    path = tmp_path / "notas.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    marks = read_marks(path, BANK)
    assert len(marks) == 1
    assert [(p.line, p.column) for p in marks.problems] == [
        (2, "criteria[1]"),
        (2, "criteria[3]"),
        (3, ""),
    ]
    assert str(marks.problems[0]).startswith(
        f"{path}, marca 2, estudiante E-2, pregunta {A}, campo criteria[1]: 2 puntos"
    )


# ----------------------------------------------------------------------------- applying


def test_a_mark_for_a_changed_answer_is_never_applied(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    marks = read_marks(save(tmp_path / "m.csv", rows), BANK)
    mark, problem = marks.lookup("e1", "moodle", "17", A, "Putin llega a Astaná (editado).")
    assert mark is None and isinstance(problem, Problem)
    assert "la respuesta de e1 a " in problem.message
    assert problem.message.endswith("ha cambiado desde que se corrigió: no se aplica la nota")
    assert (problem.file, problem.line, problem.column) == (
        str(tmp_path / "m.csv"),
        2,
        "answer_sha256",
    )
    # A non-text answer is compared as the JSON text pending.csv shows.
    writer = PendingWriter(tmp_path / "p2.csv", BANK)
    writer.add("e9", "", "f", "sin-rubrica", 2, ["a", 1])
    writer.close()
    rows = read_rows(tmp_path / "p2.csv")
    rows[0]["score"] = "2"
    marks = read_marks(save(tmp_path / "m2.csv", rows), BANK)
    assert marks.lookup("e9", "", "", "sin-rubrica", ["a", 1])[0] is not None
    assert marks.lookup("e9", "", "", "sin-rubrica", ["a", 2])[0] is None


def test_matching_participant_and_id_then_folded_id(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    marks = read_marks(save(tmp_path / "m.csv", rows), BANK)
    answer = STUDENTS[0][5]
    # The Moodle participant's file with that id (its folded forms too); a file of the
    # same participant with another id is another student, as in the gradebook.
    assert marks.lookup("E1", "moodle", "17", A, answer)[0] is not None
    assert marks.lookup("otro-id", "moodle", "17", A, answer)[0] is None
    # Another participant with the same typed id is someone else.
    assert marks.lookup("e1", "moodle", "18", A, answer)[0] is None
    # A row without a participant matches by the folded id: case, width, spaces.
    b_answer = STUDENTS[2][5]
    for typed in ("E-2", "e-2", " Ｅ-２ "):
        assert marks.lookup(typed, "", "", A, b_answer)[0] is not None, typed
    assert marks.lookup("e-2", "canvas", "5", A, b_answer)[0] is not None
    assert marks.lookup("e-3", "", "", A, b_answer) == (None, None)


def test_several_files_the_later_wins_and_that_is_reported(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    first = save(tmp_path / "primero.csv", rows)
    later = [dict(r) for r in rows[:1]]
    later[0].update({"c4": "1", "comment": "Revisado"})
    second = save(tmp_path / "segundo.csv", later)
    marks = read_marks([first, second], BANK)
    assert marks.files == [str(first), str(second)]
    assert marks.problems == [] and len(marks) == 4
    mark, _ = marks.lookup("e1", "moodle", "17", A, STUDENTS[0][5])
    assert mark is not None and mark.score == 3.5 and mark.marking.comment == "Revisado"
    [notice] = marks.notices
    assert (notice.file, notice.line) == (str(second), 2)
    assert f"cuenta esta y no la de {first}, fila 2" in notice.message
    # In the other order, the first file's mark wins.
    mark, _ = read_marks([second, first], BANK).lookup("e1", "moodle", "17", A, STUDENTS[0][5])
    assert mark is not None and mark.score == 2.5


def test_the_same_row_twice_in_one_file(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    rows.append({**rows[0], "c4": "1"})
    marks = read_marks(save(tmp_path / "m.csv", rows), BANK)
    assert len(marks.notices) == 1 and marks.notices[0].line == 6  # row 6, the file's line 7
    mark, _ = marks.lookup("e1", "moodle", "17", A, STUDENTS[0][5])
    assert mark is not None and mark.score == 3.5


def test_marks_no_submission_asked_for_are_listed(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    marks = read_marks(save(tmp_path / "m.csv", rows), BANK)
    for student_id, _name, lms, lms_id, item_id, answer in STUDENTS[1:]:
        marks.lookup(student_id, lms, lms_id, item_id, answer)
    [unused] = marks.unused()
    assert (unused.line, unused.student_id, unused.item_id) == (2, "e1", A)
    assert "la nota no se ha usado" in unused.message


# ----------------------------------------------------------------------------- the page's data


def page_data(path: Path) -> dict[str, object]:
    import re

    text = path.read_text(encoding="utf-8")
    blocks = dict(
        re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', text, re.S)
    )
    return {key: json.loads(value) for key, value in blocks.items()}


def test_the_marking_page_carries_every_row_safely(tmp_path):
    from comprende.reports.marking import write_marking_page

    hostile = "</script><script>alert(1)</script> & \ud800 fin"
    writer = PendingWriter(tmp_path / "pending.csv", BANK, keep_rows=True)
    for student_id, name, lms, lms_id, item_id, answer in [
        *STUDENTS,
        ("e4", "<b>", "", "", A, hostile),
    ]:
        writer.add(student_id, name, "f.json", item_id, 4, answer, lms, lms_id)
    writer.close()
    assert write_marking_page(tmp_path / "corregir.html", BANK, writer.rows()) == 5
    text = (tmp_path / "corregir.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<b>" not in text
    data = page_data(tmp_path / "corregir.html")
    rows = data["cp-rows"]
    assert [r[6] for r in rows] == [s[5] for s in STUDENTS] + [hostile]
    assert [r[7] for r in rows] == [answer_sha256(s[5]) for s in STUDENTS] + [
        answer_sha256(hostile)
    ]
    assert data["cp-run"]["count"] == 5
    items = data["cp-bank"]["items"]
    assert set(items) == {A, B, "sin-rubrica"}
    assert items[A]["rubric"] == [[c.criterion, c.points] for c in OPEN[0].rubric]
    assert items["sin-rubrica"]["label"] == "Extra · Pregunta 1"
    # Another run (other answers) is kept apart in the browser's storage.
    writer2 = PendingWriter(tmp_path / "p2.csv", BANK, keep_rows=True)
    writer2.add("e1", "Ana", "f", A, 4, "otra")
    writer2.close()
    write_marking_page(tmp_path / "c2.html", BANK, writer2.rows())
    assert page_data(tmp_path / "c2.html")["cp-run"]["run"] != data["cp-run"]["run"]


def test_an_empty_class_gets_a_page_that_says_so(tmp_path):
    from comprende.reports.marking import write_marking_page

    assert write_marking_page(tmp_path / "corregir.html", BANK, []) == 0
    assert page_data(tmp_path / "corregir.html")["cp-rows"] == []
    assert "No hay respuestas abiertas que corregir." in (tmp_path / "corregir.html").read_text(
        encoding="utf-8"
    )


def test_a_mark_makes_the_pending_result_count():
    from comprende.grading import grade_item
    from comprende.marks import Mark, marked_result
    from comprende.model import Status

    pending = grade_item(OPEN[0], "Putin visita Astaná el 27 de noviembre.")
    assert pending.status is Status.PENDING and pending.points == 0

    def mark(score, comment=""):
        return Mark("id:e1", "e1", "", "", A, "0" * 64, Marking((None,) * 4, comment), score)

    full = marked_result(pending, mark(4, "Excelente"))
    assert (full.points, full.status, full.feedback) == (4, Status.CORRECT, ("Excelente",))
    assert full.marking == Marking((None,) * 4, "Excelente")
    assert full.answer == pending.answer and full.possible == 4
    half = marked_result(pending, mark(2.5))
    assert (half.points, half.status, half.feedback) == (2.5, Status.PARTIAL, ())
    assert marked_result(pending, mark(0)).status is Status.INCORRECT


def test_a_problem_as_a_warnings_row(tmp_path):
    marks = one_row(tmp_path, {"score": "9"}, student=2)
    file, student_id, kind, message = marks.problems[0].warning()
    assert (file, student_id, kind) == (str(tmp_path / "m.csv"), "E-2", "notas")
    assert message.startswith(
        f"{tmp_path / 'm.csv'}, fila 4, estudiante E-2, pregunta {A}, columna score: nota 9 por"
    )


def test_excels_sep_line_and_a_file_that_is_not_text(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, _comma(FILLED))
    path = save(tmp_path / "m.csv", rows, delimiter=";")
    path.write_bytes(b"sep=;\r\n" + path.read_bytes())
    check_all(read_marks(path, BANK))
    fill(rows, {("E-2", A): {"score": "9"}})
    path.write_bytes(b"sep=;\r\n" + save(tmp_path / "n.csv", rows, delimiter=";").read_bytes())
    # Excel reads the sep line and does not show it: the header is still row 1.
    assert [p.line for p in read_marks(path, BANK).problems] == [4]
    binary = tmp_path / "foto.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    marks = read_marks(binary, BANK)
    assert len(marks) == 0 and len(marks.problems) == 1


# ----------------------------------------------------------------------------- hard files


def filled_file(tmp_path: Path, rows=STUDENTS, values=FILLED, name="m.csv", **options) -> Path:
    plain, _ = write_pending(tmp_path, rows)
    table = read_rows(plain)
    fill(table, values)
    return save(tmp_path / name, table, **options)


def test_one_stray_windows_1252_byte_in_utf8_spoils_only_its_own_row(tmp_path):
    """A UTF-8 file with one Latin-1 «ñ» is UTF-8 (the «ñ» replaced), not mojibake everywhere."""
    values = {**FILLED, ("e1", B): {"score": "2.5", "comment": "-Falta una fuente, señorita"}}
    path = filled_file(tmp_path, values=values)
    data = path.read_bytes()
    path.write_bytes(data.replace("señorita".encode(), "señorita".encode("cp1252")))
    marks = read_marks(path, BANK)
    # Every other comment keeps its UTF-8 letters: «Ana», not Â«AnaÂ».
    mark, _ = marks.lookup("e1", "moodle", "17", A, STUDENTS[0][5])
    assert mark is not None and mark.marking.comment == "Bien, «Ana»."
    mark, _ = marks.lookup("e1", "moodle", "17", B, STUDENTS[1][5])
    assert mark is not None and mark.marking.comment == "-Falta una fuente, se\ufffdorita"
    assert len(marks) == 4 and marks.unusable == []
    [problem] = marks.problems
    assert problem.line is None and "no son UTF-8" in problem.message
    assert "fila 3" in problem.message and "«�»" in problem.fix
    # With no UTF-8 sequence at all, the file is Windows-1252 (Excel's "CSV"), as before.
    path.write_bytes(data.decode("utf-8").encode("cp1252"))
    mark, _ = read_marks(path, BANK).lookup("e1", "moodle", "17", B, STUDENTS[1][5])
    assert mark is not None and mark.marking.comment == "-Falta una fuente, señorita"


def test_two_columns_for_the_same_thing_the_filled_one_counts(tmp_path):
    plain, _ = write_pending(tmp_path)
    rows = read_rows(plain)
    fill(rows, FILLED)
    for row in rows:  # marks written in an added «Nota» column, «score» left empty
        row["Nota"], row["score"] = row["score"], ""
    rows[2]["score"] = "4,0"  # both filled, the same number: fine
    marks = read_marks(save(tmp_path / "m.csv", rows), BANK)
    assert len(marks) == 4
    mark, _ = marks.lookup("E-2", "", "", "sin-rubrica", "Breve.")
    assert mark is not None and mark.score == 1.5
    [said] = marks.problems  # once for the file, not once a row
    assert (said.line, said.column) == (None, "score")
    assert "«score» y «Nota»" in said.message and "la misma" in said.message
    # Both filled and different: that row is not applied, and says why.
    rows[3]["score"] = "2"
    marks = read_marks(save(tmp_path / "m.csv", rows), BANK)
    assert len(marks) == 3 and len(marks.problems) == 2
    conflict = marks.problems[1]
    assert (conflict.line, conflict.column, conflict.item_id) == (5, "score", "sin-rubrica")
    assert "«2» y «1.5»" in conflict.message


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("folder", "es una carpeta"),
        ("fifo", "tubería"),
        ("device", "dispositivo"),
        ("empty", "está vacío"),
        ("missing", "no existe"),
        ("page", "es una página web"),
        ("gradebook", "faltan las columnas item, answer_sha256"),
        ("answers", "no es un archivo de notas de corregir.html"),
        ("xlsx", "libro de Excel"),
        ("binary", "no es un archivo de texto"),
    ],
)
def test_a_file_that_is_not_a_marks_file_at_all_is_unusable(tmp_path, kind, reason):
    import os
    import threading

    path = tmp_path / f"notas-{kind}"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path(os.devnull)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "page":
        path.write_text("<!DOCTYPE html>\n<html lang=es>\n<title>Corregir</title>\n")
    elif kind == "gradebook":
        path.write_text("id,name,file,status,score\ne1,Ana,e1.json,pendiente,3\n")
    elif kind == "answers":
        path.write_text(json.dumps({"module": BANK.id, "student": {"id": "e1"}, "answers": {}}))
    elif kind == "xlsx":
        path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 8)
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    good = filled_file(tmp_path)
    found: list[MarksFile] = []
    reader = threading.Thread(target=lambda: found.append(read_marks([good, path], BANK)))
    reader.daemon = True  # a FIFO opened for reading would wait for a writer forever
    reader.start()
    reader.join(10)
    assert found, "read_marks waited on the file"
    [marks] = found
    [problem] = marks.unusable
    assert problem.file == str(path) and problem.line is None
    assert reason in problem.message, problem.message
    assert any(what in problem.fix for what in ("--marks", "pending.csv", "corregir.html"))
    assert problem in marks.problems  # also a warnings row for a caller that goes on
    assert len(marks) == 4  # the good file's marks are all there


def test_one_huge_answer_costs_nothing_and_the_later_rows_are_read(tmp_path):
    essay = "palabra " * 25000 + "fin"  # 200,000 characters, over csv's default field limit
    rows = [("e0", "Larga", "", "", A, essay), *STUDENTS]
    values = {**FILLED, ("e0", A): {"score": "3"}}
    before = csv.field_size_limit()
    csv.field_size_limit(1 << 20)  # for this test's own reading of pending.csv
    try:
        path = filled_file(tmp_path, rows, values)
    finally:
        csv.field_size_limit(before)
    marks = read_marks(path, BANK)
    assert marks.problems == [] and len(marks) == 5
    assert marks.lookup("e0", "", "", A, essay)[0] is not None
    assert marks.lookup("E-2", "", "", "sin-rubrica", "Breve.")[0] is not None
    assert csv.field_size_limit() == before  # the process-wide limit is given back


def test_a_problem_names_the_spreadsheet_row_the_student_and_the_item(tmp_path):
    """Answers of several lines above do not shift the row a spreadsheet shows."""
    rows = [
        ("e1", "Ana", "", "", A, "Uno\ndos\ntres\ncuatro"),
        ("e1", "Ana", "", "", B, "Cinco\r\nseis\rsiete"),
        ("E-2", "Bruno", "", "", A, "Ocho"),
        ("E-2", "Bruno", "", "", B, "Nueve\n\ndiez"),
    ]
    values = {("E-2", B): {"score": "9"}, ("e1", B): {"score": "1"}}
    path = filled_file(tmp_path, rows, values)
    marks = read_marks(path, BANK)
    [problem] = marks.problems
    assert problem.line == 5  # the 4th record; it starts on the file's line 10
    assert (problem.student_id, problem.item_id) == ("E-2", B)
    assert str(problem).startswith(f"{path}, fila 5, estudiante E-2, pregunta {B}, columna score:")
    mark, _ = marks.lookup("e1", "", "", B, "Cinco\r\nseis\rsiete")
    assert mark is not None and mark.line == 3 and mark.where == f"{path}, fila 3"
    # A row that names only the LMS participant is named by it.
    participant = one_row(
        tmp_path, {"id": "", "lms": "moodle", "lms_id": "17", "score": "9"}, student=1
    )
    assert "fila 3, estudiante moodle:17, pregunta" in str(participant.problems[0])

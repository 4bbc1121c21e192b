"""From a class's files to final grades: marks on the open answers, then the LMS's own files.

The whole loop an instructor runs, end to end through ``comprende grade``: grade, fill
``pending.csv`` as a spreadsheet would, grade again with ``--marks``, and hand the LMS
its own file back filled. Every gradebook cell is checked against values worked out here
from the bank, not from the grader. The marking page's half of the loop is in
``tests/browser/test_final_grades_page.py``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from comprende import classgrade
from comprende.bank import load_bank
from comprende.finalgrades import FinalOptions
from comprende.lms import scale
from comprende.model import ItemType
from comprende.reports.base import points
from comprende.template import key_answer

from .test_classgrade import BANK_DIR, read_csv, write
from .test_lms_canvas import canvas_import
from .test_lms_moodle import moodle_import

LMS_DATA = Path(__file__).parent / "data" / "lms"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK_DIR)


def open_items(bank):
    return [item for item in bank.items if item.type == ItemType.OPEN]


def submission(bank, student_id, name, essay="Putin visitó Astaná y hablaron de energía."):
    answers = {item.id: key_answer(item) for item in bank.items if item.auto_graded}
    answers |= {item.id: f"{essay} ({item.id})" for item in open_items(bank)}
    return {"module": bank.id, "student": {"id": student_id, "name": name}, "answers": answers}


def grade(bank, *paths, out, **options):
    messages: list[str] = []
    status = classgrade.main(paths=list(paths), out=out, bank=bank, echo=messages.append, **options)
    return status, "\n".join(messages)


def fill(pending: Path, target: Path, marks: dict[tuple[str, str], tuple[list, str]]) -> None:
    """Fill ``pending.csv`` as an instructor would: criteria and a comment per row."""
    with pending.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        criteria, comment = marks.get((row["id"], row["item"]), ([], ""))
        for number, value in enumerate(criteria, 1):
            row[f"c{number}"] = str(value)
        row["comment"] = comment
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(buffer.getvalue(), encoding="utf-8")


def row_untouched(original: Path, filled: Path, participant: str) -> bool:
    """Whether the participant's worksheet row is byte for byte as downloaded."""

    def rows(path: Path) -> list[str]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [line for line in lines if participant in line]

    return rows(original) == rows(filled) != []


def auto_points(bank) -> float:
    return sum(item.points for item in bank.items if item.auto_graded)


def test_marks_through_pending_csv_reach_every_cell(bank, tmp_path):
    essays = open_items(bank)
    assert essays, "the bank has open items"
    for student in ("ana", "bea", "carla"):
        write(tmp_path / "in" / f"{student}.json", submission(bank, student, student.title()))
    assert grade(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    pending = read_csv(tmp_path / "first" / "pending.csv")
    assert {(r["id"], r["item"]) for r in pending} == {
        (s, i.id) for s in ("ana", "bea", "carla") for i in essays
    }
    first, second = essays[0], essays[1] if len(essays) > 1 else essays[0]
    full = [c.points for c in first.rubric]
    half = [c.points for c in second.rubric]
    half[0] = 0
    marks = {
        ("ana", first.id): (full, "Muy bien resumido."),
        ("ana", second.id): (half, "Falta una idea."),
        ("bea", first.id): ([0] * len(first.rubric), "Copia frases del texto."),
    }
    fill(tmp_path / "first" / "pending.csv", tmp_path / "notas.csv", marks)
    status, message = grade(
        bank, tmp_path / "in", out=tmp_path / "second", marks=[tmp_path / "notas.csv"]
    )
    assert status == 0, message
    rows = {row["id"]: row for row in read_csv(tmp_path / "second" / "gradebook.csv")}
    marked = {
        "ana": {first.id: sum(full), second.id: sum(half)},
        "bea": {first.id: 0},
        "carla": {},
    }
    for student, given in marked.items():
        row = rows[student]
        for item in bank.items:
            expected = (
                item.points if item.auto_graded else given.get(item.id)
            )  # None: still pending
            assert row[item.id] == points(expected), (student, item.id)
        total = auto_points(bank) + sum(given.values())
        assert row["total"] == points(total)
        assert row["maximum"] == points(bank.possible)
        assert row["percentage"] == points(total / bank.possible * 100)
        left = len(essays) - len(given)
        assert row["pending"] == str(left)
        assert row["status"] == ("corregido" if left == 0 else "pendiente")
    page = (tmp_path / "second" / "feedback" / "ana.html").read_text(encoding="utf-8")
    assert "Muy bien resumido." in page and first.rubric[0].criterion.rstrip(".") in page
    results = json.loads(
        (tmp_path / "second" / "gradescope" / "ana.results.json").read_text(encoding="utf-8")
    )
    assert results["score"] == auto_points(bank) + sum(full) + sum(half)
    # The new pending.csv keeps the marks given, so it can be corrected and passed again.
    again = {(r["id"], r["item"]): r for r in read_csv(tmp_path / "second" / "pending.csv")}
    assert again[("ana", first.id)]["comment"] == "Muy bien resumido."
    assert again[("carla", first.id)]["comment"] == ""


def test_a_mark_for_a_changed_answer_is_flagged_not_applied(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    assert grade(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    essay = open_items(bank)[0]
    fill(
        tmp_path / "first" / "pending.csv",
        tmp_path / "notas.csv",
        {("ana", essay.id): ([c.points for c in essay.rubric], "Bien")},
    )
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana", essay="Otro texto."))
    status, _ = grade(
        bank, tmp_path / "in", out=tmp_path / "second", marks=[tmp_path / "notas.csv"]
    )
    assert status == 0
    (row,) = read_csv(tmp_path / "second" / "gradebook.csv")
    assert row[essay.id] == "" and row["status"] == "pendiente"
    kinds = [r["kind"] for r in read_csv(tmp_path / "second" / "warnings.csv")]
    assert "nota no aplicada" in kinds


def test_a_marks_file_inside_the_results_is_refused_with_the_way_out(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    assert grade(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    status, message = grade(
        bank,
        tmp_path / "in",
        out=tmp_path / "out",
        overwrite=True,
        marks=[tmp_path / "out" / "pending.csv"],
    )
    assert status == classgrade.EXIT_USAGE and "Cópialo fuera" in message


def moodle_download(bank, folder: Path, people: dict[str, str]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, name in people.items():
            data = json.dumps(submission(bank, f"e{number}", name), ensure_ascii=False)
            archive.writestr(f"{name}_{number}_assignsubmission_file_/respuestas.json", data)
    return write(folder / "moodle.zip", buffer.getvalue())


def all_marked(bank, pending: Path, target: Path) -> None:
    rows = read_csv(pending)
    fill(
        pending,
        target,
        {
            (row["id"], item.id): ([c.points for c in item.rubric], "Bien")
            for row in rows
            for item in open_items(bank)
            if row["item"] == item.id
        },
    )


@pytest.mark.parametrize(("lang", "maximum"), [("en", 10.0), ("es", 100.0)])
def test_the_moodle_worksheet_comes_back_filled_for_its_importer(bank, tmp_path, lang, maximum):
    people = {"1234567": "Ana García", "1234568": "Luis Pérez", "1234570": "Pedro Gil"}
    download = moodle_download(bank, tmp_path, people)
    assert grade(bank, download, out=tmp_path / "first")[0] == 0
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    worksheet = LMS_DATA / f"worksheet-{lang}.csv"
    status, message = grade(
        bank,
        download,
        out=tmp_path / "second",
        marks=[tmp_path / "notas.csv"],
        final=FinalOptions(moodle_worksheet=worksheet),
    )
    assert status == 0, message
    filled = (tmp_path / "second" / "moodle-worksheet.csv").read_bytes()
    saved = moodle_import(
        filled, lang, maximum=maximum, participants={1234567, 1234568, 1234569, 1234570}
    )
    expected = scale(bank.possible, bank.possible, maximum)
    assert saved[1234567][0] == expected and saved[1234568][0] == expected
    assert 1234569 not in saved  # no submission: the row is untouched
    assert row_untouched(worksheet, tmp_path / "second" / "moodle-worksheet.csv", "1234569")
    with zipfile.ZipFile(tmp_path / "second" / "moodle-feedback.zip") as archive:
        names = archive.namelist()
    assert any("_1234567_assignfeedback_file_/" in name for name in names)
    report = (tmp_path / "second" / "lms-report.txt").read_text(encoding="utf-8")
    assert "moodle-worksheet.csv" in report


def test_the_canvas_gradebook_fills_the_assignment_the_students_submitted_to(bank, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for user, (surname, name) in {1001: ("garcia", "ana"), 1002: ("perez", "luis")}.items():
            data = json.dumps(submission(bank, f"s{user}", f"{name.title()} {surname.title()}"))
            archive.writestr(f"{surname}{name}_{user}_{user + 4000}_respuestas.json", data)
    download = write(tmp_path / "canvas.zip", buffer.getvalue())
    assert grade(bank, download, out=tmp_path / "first")[0] == 0
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    export = LMS_DATA / "gradebook-canvas.csv"
    status, message = grade(
        bank,
        download,
        out=tmp_path / "second",
        marks=[tmp_path / "notas.csv"],
        final=FinalOptions(
            canvas_gradebook=export, canvas_assignment="Lectura: Putin en Kazajistán"
        ),
    )
    assert status == 0, message
    imported = canvas_import((tmp_path / "second" / "canvas-gradebook.csv").read_bytes())
    assert float(imported[(1001, 4711)]) == 20.0 and float(imported[(1002, 4711)]) == 20.0
    assert imported[(1003, 4711)] == ""  # no submission
    assert imported[(1001, 4712)] == "8.00"  # another assignment, untouched


def test_scale_and_roster(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    write(tmp_path / "in" / "zoe.json", submission(bank, "zoe", "Zoe"))
    roster = write(tmp_path / "clase.csv", "id,nombre\nana,Ana López\nbea,Bea Ruiz\n")
    status, message = grade(
        bank,
        tmp_path / "in",
        out=tmp_path / "out",
        final=FinalOptions(roster=roster, scale=10),
    )
    assert status == 0, message
    rows = {row["id"]: row for row in read_csv(tmp_path / "out" / "gradebook.csv")}
    assert rows["bea"]["status"] == "sin entrega" and rows["bea"]["total"] == "0"
    assert "no está en la lista" in rows["zoe"]["notes"]
    expected = scale(auto_points(bank), bank.possible, 10)
    assert rows["ana"]["grade_10"] == points(expected)
    excel = (tmp_path / "out" / "gradebook-excel.csv").read_text(encoding="utf-8-sig")
    assert points(expected, comma=True) in excel


def test_a_bad_lms_file_is_a_usage_error_before_any_grading(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    bad = write(tmp_path / "hoja.csv", "esto no es una hoja\n")
    status, message = grade(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(moodle_worksheet=bad)
    )
    assert status == classgrade.EXIT_USAGE and "hoja.csv" in message
    assert not (tmp_path / "out").exists()
    status, message = grade(
        bank,
        tmp_path / "in",
        out=tmp_path / "out",
        final=FinalOptions(
            canvas_gradebook=LMS_DATA / "gradebook-canvas.csv", canvas_assignment="No existe"
        ),
    )
    assert status == classgrade.EXIT_USAGE


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/", "https://a b/"])
def test_a_bad_site_url_is_refused_and_leaves_nothing_behind(bank, tmp_path, url):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    status, message = grade(bank, tmp_path / "in", out=tmp_path / "out", site_url=url)
    assert status == classgrade.EXIT_USAGE, message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_the_lms_gradebooks_carry_final_grades_only(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    roster = write(tmp_path / "clase.csv", "id,nombre\nana,Ana\nbea,Bea\n")
    options = FinalOptions(roster=roster)
    assert grade(bank, tmp_path / "in", out=tmp_path / "first", final=options)[0] == 0
    moodle = {r["ID number"]: r for r in read_csv(tmp_path / "first" / "gradebook-moodle.csv")}
    assert moodle["ana"]["Grade"] == "" and "Sin nota todavía" in moodle["ana"]["Feedback comments"]
    assert moodle["bea"]["Grade"] == "" and moodle["bea"]["Feedback comments"] == "Sin entrega."
    canvas = (tmp_path / "first" / "gradebook-canvas.csv").read_text(encoding="utf-8")
    assert all(line.endswith(",") for line in canvas.splitlines()[2:])
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    status, _ = grade(
        bank, tmp_path / "in", out=tmp_path / "second", marks=[tmp_path / "notas.csv"]
    )
    assert status == 0
    (row,) = read_csv(tmp_path / "second" / "gradebook-moodle.csv")
    assert row["Grade"] == points(bank.possible)


def test_no_key_keeps_the_instructors_comment_but_not_the_rubric(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    assert grade(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    essay = open_items(bank)[0]
    fill(
        tmp_path / "first" / "pending.csv",
        tmp_path / "notas.csv",
        {("ana", essay.id): ([c.points for c in essay.rubric], "Tu resumen es claro.")},
    )
    status, _ = grade(
        bank,
        tmp_path / "in",
        out=tmp_path / "second",
        marks=[tmp_path / "notas.csv"],
        include_key=False,
    )
    assert status == 0
    page = (tmp_path / "second" / "feedback" / "ana.html").read_text(encoding="utf-8")
    results = (tmp_path / "second" / "gradescope" / "ana.results.json").read_text(encoding="utf-8")
    for text in (page, results):
        assert "Tu resumen es claro." in text
        assert essay.rubric[0].criterion.rstrip(".") not in text


def test_the_lms_report_names_the_results_folder(bank, tmp_path):
    people = {"1234567": "Ana García"}
    download = moodle_download(bank, tmp_path, people)
    options = FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv")
    assert grade(bank, download, out=tmp_path / "one", final=options)[0] == 0
    assert grade(bank, download, out=tmp_path / "two", final=options)[0] == 0
    one = (tmp_path / "one" / "lms-report.txt").read_text(encoding="utf-8")
    two = (tmp_path / "two" / "lms-report.txt").read_text(encoding="utf-8")
    assert ".tmp" not in one and str(tmp_path / "one" / "moodle-feedback.zip") in one
    assert one.replace(str(tmp_path / "one"), "") == two.replace(str(tmp_path / "two"), "")


def test_the_worksheet_checks_the_name_moodle_gave_not_the_one_typed(bank, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        data = json.dumps(submission(bank, "e1", "Ana"))  # she typed her first name only
        archive.writestr("Ana García_1234567_assignsubmission_file_/respuestas.json", data)
    download = write(tmp_path / "moodle.zip", buffer.getvalue())
    assert grade(bank, download, out=tmp_path / "first")[0] == 0
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    status, _ = grade(
        bank,
        download,
        out=tmp_path / "second",
        marks=[tmp_path / "notas.csv"],
        final=FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv"),
    )
    assert status == 0
    filled = (tmp_path / "second" / "moodle-worksheet.csv").read_bytes()
    saved = moodle_import(filled, "en", maximum=10.0, participants={1234567})
    assert saved[1234567][0] == 10.0


def test_a_marks_file_that_is_not_one_is_a_usage_error(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    assert grade(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    page = write(tmp_path / "pagina.html", (tmp_path / "first" / "corregir.html").read_bytes())
    empty = write(tmp_path / "vacio.csv", "")
    for wrong in (page, empty, LMS_DATA / "worksheet-en.csv"):
        status, message = grade(bank, tmp_path / "in", out=tmp_path / "second", marks=[wrong])
        assert status == classgrade.EXIT_USAGE and "no son archivos de notas" in message
        assert not (tmp_path / "second").exists()


def test_option_files_in_the_input_folder_are_not_submissions(bank, tmp_path):
    people = {"1234567": "Ana García"}
    download = moodle_download(bank, tmp_path / "descargas", people)
    assert grade(bank, download, out=tmp_path / "first")[0] == 0
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "descargas" / "notas.csv")
    sheet = write(tmp_path / "descargas" / "hoja.csv", (LMS_DATA / "worksheet-en.csv").read_bytes())
    status, message = grade(
        bank,
        tmp_path / "descargas",
        out=tmp_path / "second",
        marks=[tmp_path / "descargas" / "notas.csv"],
        final=FinalOptions(moodle_worksheet=sheet),
    )
    assert status == 0, message
    assert errors_of(tmp_path / "second") == []


def errors_of(out: Path) -> list[dict[str, str]]:
    return read_csv(out / "errors.csv")


def test_two_files_of_one_participant_get_their_own_marks_and_no_worksheet_grade(bank, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        folder = "Luis Pérez_1234568_assignsubmission_file_/"
        archive.writestr(folder + "a.json", json.dumps(submission(bank, "L2", "Luis Pérez")))
        archive.writestr(
            folder + "b.json", json.dumps(submission(bank, "l2-b", "Luis Pérez", essay="Otra."))
        )
    download = write(tmp_path / "moodle.zip", buffer.getvalue())
    assert grade(bank, download, out=tmp_path / "first")[0] == 0
    essay = open_items(bank)[0]
    full = [c.points for c in essay.rubric]
    fill(
        tmp_path / "first" / "pending.csv",
        tmp_path / "notas.csv",
        {("L2", essay.id): (full, "Primero"), ("l2-b", essay.id): ([0] * len(full), "Segundo")},
    )
    status, _ = grade(
        bank,
        download,
        out=tmp_path / "second",
        marks=[tmp_path / "notas.csv"],
        final=FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv"),
    )
    assert status == 0
    rows = {r["id"]: r for r in read_csv(tmp_path / "second" / "gradebook.csv")}
    assert rows["L2"][essay.id] == points(sum(full)) and rows["l2-b"][essay.id] == "0"
    # Two grades for one participant: neither is written, the row is as downloaded.
    sheet = LMS_DATA / "worksheet-en.csv"
    assert row_untouched(sheet, tmp_path / "second" / "moodle-worksheet.csv", "1234568")
    report = (tmp_path / "second" / "lms-report.txt").read_text(encoding="utf-8")
    assert "tiene 2 calificaciones" in report


def test_a_file_named_after_another_participant_does_not_get_their_row(bank, tmp_path):
    forged = write(
        tmp_path / "entregas" / "Luis Pérez_1234568_assignsubmission_file_respuestas.json",
        submission(bank, "aaa", "Eva Sol"),
    )
    assert grade(bank, forged.parent, out=tmp_path / "first")[0] == 0
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    status, _ = grade(
        bank,
        forged.parent,
        out=tmp_path / "second",
        marks=[tmp_path / "notas.csv"],
        final=FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv"),
    )
    assert status == 0
    sheet = LMS_DATA / "worksheet-en.csv"
    assert row_untouched(sheet, tmp_path / "second" / "moodle-worksheet.csv", "1234568")


def test_the_terminal_says_how_many_marks_were_applied(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    assert grade(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    unfilled = write(
        tmp_path / "sin-rellenar.csv", (tmp_path / "first" / "pending.csv").read_bytes()
    )
    status, message = grade(bank, tmp_path / "in", out=tmp_path / "second", marks=[unfilled])
    assert status == 0 and "0 aplicada(s)" in message and "Ninguna nota se ha aplicado" in message
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    status, message = grade(
        bank, tmp_path / "in", out=tmp_path / "third", marks=[tmp_path / "notas.csv"]
    )
    assert f"{len(open_items(bank))} aplicada(s)" in message


def test_a_moodle_participants_roster_leaves_out_the_teachers(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    roster = write(
        tmp_path / "participantes.csv",
        "Nombre,Apellido(s),Número de ID,Roles\n"
        "Ana,López,ana,Estudiante\nBea,Ruiz,bea,Estudiante\nMaría,Profesora,p1,Profesor\n",
    )
    status, _ = grade(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(roster=roster)
    )
    assert status == 0
    assert sorted(r["id"] for r in read_csv(tmp_path / "out" / "gradebook.csv")) == ["ana", "bea"]


def test_a_roster_without_students_is_a_usage_error(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    roster = write(tmp_path / "lista.csv", "id,nombre\n,Ana\n")
    status, message = grade(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(roster=roster)
    )
    assert status == classgrade.EXIT_USAGE and "ningún estudiante" in message


def test_the_moodle_feedback_zip_is_the_same_on_every_run(bank, tmp_path):
    download = moodle_download(bank, tmp_path, {"1234567": "Ana García"})
    options = FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv")
    for out in ("one", "two"):
        assert grade(bank, download, out=tmp_path / out, final=options)[0] == 0
    one = (tmp_path / "one" / "moodle-feedback.zip").read_bytes()
    assert one == (tmp_path / "two" / "moodle-feedback.zip").read_bytes()


def test_scale_takes_a_decimal_comma_and_refuses_words_in_spanish(bank, tmp_path):
    from comprende.cli import main as cli_main

    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    base = ["--bank", str(BANK_DIR), "grade", str(tmp_path / "in")]
    assert cli_main([*base, "--out", str(tmp_path / "a"), "--scale", "10,5"]) == 0
    assert "grade_10.5" in (tmp_path / "a" / "gradebook.csv").read_text(encoding="utf-8")
    assert cli_main([*base, "--out", str(tmp_path / "b"), "--scale", "diez"]) == 2


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        ("Rols", "Estudiant,Professor,Estudiant", ["ana", "p1"]),  # Catalan Moodle
        ("rol", "delegada,,", ["ana", "bea", "p1"]),  # class duties: nobody is dropped
        ("Roles", "Estudiante,Tutora de alumnos,Estudiante", ["ana", "p1"]),
    ],
)
def test_roles_columns_drop_only_non_students(bank, tmp_path, header, rows, expected):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    roles = rows.split(",")
    lines = [f"id,nombre,{header}"] + [
        f"{i},{n},{r}"
        for (i, n), r in zip((("ana", "Ana"), ("bea", "Bea"), ("p1", "Pepa")), roles, strict=True)
    ]
    roster = write(tmp_path / "lista.csv", "\n".join(lines) + "\n")
    status, message = grade(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(roster=roster)
    )
    assert status == 0, message
    assert sorted(r["id"] for r in read_csv(tmp_path / "out" / "gradebook.csv")) == expected


def test_scale_refuses_what_is_not_a_plain_number(bank, tmp_path):
    from comprende.cli import main as cli_main

    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    base = ["--bank", str(BANK_DIR), "grade", str(tmp_path / "in")]
    for text in ("1_0", "0x10", "-inf", "diez"):
        assert cli_main([*base, "--out", str(tmp_path / text), f"--scale={text}"]) == 2
    assert cli_main([*base, "--out", str(tmp_path / "ok"), "--scale", "1.875"]) == 0
    assert "grade_1.875" in (tmp_path / "ok" / "gradebook.csv").read_text(encoding="utf-8")


def test_team_submission_folders_reach_the_worksheet(bank, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        folder = "Grupo A-Ana García_1234567_assignsubmission_file_/"
        archive.writestr(folder + "r.json", json.dumps(submission(bank, "a1", "Ana García")))
    download = write(tmp_path / "moodle.zip", buffer.getvalue())
    assert grade(bank, download, out=tmp_path / "first")[0] == 0
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    options = FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv")
    marks = [tmp_path / "notas.csv"]
    assert grade(bank, download, out=tmp_path / "second", marks=marks, final=options)[0] == 0
    filled = (tmp_path / "second" / "moodle-worksheet.csv").read_bytes()
    assert moodle_import(filled, "en", maximum=10.0, participants={1234567})[1234567][0] == 10.0


def test_a_loose_copy_with_a_students_id_does_not_block_their_canvas_grade(bank, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        data = json.dumps(submission(bank, "L2", "Luis Pérez"))
        archive.writestr("perezluis_1002_5001_respuestas.json", data)
    download = write(tmp_path / "in" / "canvas.zip", buffer.getvalue())
    write(tmp_path / "in" / "correo.json", submission(bank, "L2", "Eva Sol"))
    assert grade(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    all_marked(bank, tmp_path / "first" / "pending.csv", tmp_path / "notas.csv")
    status, _ = grade(
        bank,
        tmp_path / "in",
        out=tmp_path / "second",
        marks=[tmp_path / "notas.csv"],
        final=FinalOptions(
            canvas_gradebook=LMS_DATA / "gradebook-canvas.csv",
            canvas_assignment="Lectura: Putin en Kazajistán",
        ),
    )
    assert status == 0
    assert download.exists()
    imported = canvas_import((tmp_path / "second" / "canvas-gradebook.csv").read_bytes())
    assert float(imported[(1002, 4711)]) == 20.0
    report = (tmp_path / "second" / "lms-report.txt").read_text(encoding="utf-8")
    assert "Archivo suelto sin subir: Eva Sol" in report


@pytest.mark.parametrize(("value", "shown"), [("1000000", "1000000"), ("250000,5", "250000.5")])
def test_large_scales_are_written_as_given(bank, tmp_path, value, shown):
    from comprende.cli import main as cli_main

    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    base = ["--bank", str(BANK_DIR), "grade", str(tmp_path / "in"), "--out", str(tmp_path / "o")]
    assert cli_main([*base, "--scale", value]) == 0
    assert f"grade_{shown}" in (tmp_path / "o" / "gradebook.csv").read_text(encoding="utf-8")
    canvas = (tmp_path / "o" / "gradebook-canvas.csv").read_text(encoding="utf-8")
    assert canvas.splitlines()[1].endswith(f",{shown}")


@pytest.mark.parametrize("role", ["Alumnado", "Alumno/a", "Estudiantes", "Learner"])
def test_roster_student_roles_by_their_first_word(bank, tmp_path, role):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    roster = write(
        tmp_path / "lista.csv", f"id,nombre,Roles\nana,Ana,{role}\np1,Pepa,Tutora de alumnos\n"
    )
    status, _ = grade(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(roster=roster)
    )
    assert status == 0
    assert [r["id"] for r in read_csv(tmp_path / "out" / "gradebook.csv")] == ["ana"]

"""The class run's details that no test pinned: each test kills mutants `make mutation` left.

Feedback file names (what the instructor hands each student), the files counted in the
summary, loose files beside an LMS download, and the note on an id shared by two people.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import locale
import os
import re
import shutil
import warnings as warnings_module
import zipfile
from hashlib import sha1
from pathlib import Path

import pytest

from comprende import classgrade
from comprende.classgrade import _platform_grades, _slug, participant_of
from comprende.finalgrades import FinalOptions
from comprende.inputs import Found, find_inputs
from comprende.lms import FinalGrade
from comprende.marks import JSON_FORMAT, answer_sha256
from comprende.model import ItemSet, ItemType
from comprende.reports.base import points
from comprende.template import key_answer

from .test_classgrade import (
    answers_file,
    build_answer,
    errors,
    expected_points,
    gradebook,
    make_zip,
    read_csv,
    run,
    warnings,
    write,
)
from .test_final_grades import LMS_DATA, fill, submission


def digest(base: str) -> str:
    return sha1(base.encode("utf-8", "surrogatepass")).hexdigest()[:8]


@pytest.mark.parametrize(
    ("base", "slug"),
    [
        ("ana", "ana"),
        ("e1-moodle-12", "e1-moodle-12"),
        ("a_b", "a_b"),
        ("-ana-", f"ana-{digest('-ana-')}"),
        ("ana lópez", f"ana-l-pez-{digest('ana lópez')}"),
        ("a" * 60, "a" * 60),
        ("a" * 61, f"{'a' * 60}-{digest('a' * 61)}"),
        ("con", f"con-{digest('con')}"),  # a name Windows reserves
        ("lpt9", f"lpt9-{digest('lpt9')}"),
        ("", f"estudiante-{digest('')}"),
        ("ñ", f"estudiante-{digest('ñ')}"),
        ("x\udc80", f"x-{digest('x' + chr(0xDC80))}"),  # a lone surrogate still has a name
    ],
)
def test_feedback_file_names(base: str, slug: str) -> None:
    assert _slug(base) == slug


def test_unlike_ids_never_share_a_feedback_file(bank, tmp_path: Path) -> None:
    for sid, name in (("ana.lópez", "Ana"), ("ana-lopez", "Ana B"), ("ana_lópez", "Ana C")):
        write(tmp_path / "in" / f"{name}.json", answers_file(bank, sid, name))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    pages = sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir())
    assert pages == sorted(
        [
            "ana-lopez.html",
            f"ana-l-pez-{digest('ana.lópez')}.html",
            f"ana_l-pez-{digest('ana_lópez')}.html",
        ]
    )


def test_a_moodle_download_names_the_page_after_the_participant(bank, tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "moodle.zip",
        {
            "Ana López_12_assignsubmission_file_/respuestas.json": json.dumps(
                answers_file(bank, "e1", "Ana López")
            )
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 0
    assert [p.name for p in (tmp_path / "out" / "feedback").iterdir()] == ["e1-moodle-12.html"]
    assert [p.name for p in (tmp_path / "out" / "gradescope").iterdir()] == [
        "e1-moodle-12.results.json"
    ]


def test_the_summary_counts_students_and_files(bank, tmp_path: Path) -> None:
    write(tmp_path / "in" / "a1.json", answers_file(bank, "a", "Ana"))
    write(tmp_path / "in" / "a2.json", answers_file(bank, "a", "Ana"))  # handed in twice
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "Berto"))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 0
    assert "Corregidos: 2 estudiante(s) (3 archivo(s))." in message
    assert sorted(gradebook(tmp_path / "out")) == ["a", "b"]


def grade(student_id: str, lms: str, lms_id: str = "") -> FinalGrade:
    return FinalGrade(student_id, f"N {student_id}", lms, lms_id, 1.0, 2.0, "corregido", "")


def test_a_loose_file_with_an_id_from_the_lms_download_is_left_out_of_the_lms_files() -> None:
    grades = [grade("E1", "moodle", "12"), grade("e1", ""), grade("e2", ""), grade("e3", "canvas")]
    kept, left = _platform_grades(grades)
    assert [g.student_id for g in kept] == ["E1", "e2", "e3"]
    assert left == [
        "Archivo suelto sin subir: N e1 (e1): su id también está en una entrega de la "
        "descarga del LMS, que es la que se sube; compruebe quién es quién en el libro de notas"
    ]
    assert _platform_grades([grade("e1", ""), grade("e2", "")]) == (
        [grade("e1", ""), grade("e2", "")],
        [],
    )


def test_identities_name_their_participant() -> None:
    assert participant_of("id:e1") == ""
    assert participant_of("moodle:12:e1") == "moodle:12"
    assert participant_of("canvas:7:e1:x") == "canvas:7"


def test_an_id_shared_by_two_participants_is_noted_with_the_other(bank, tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "moodle.zip",
        {
            "Ana López_12_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "e1", "Ana López")
            ),
            "Berto Ruiz_13_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "e1", "Berto Ruiz")
            ),
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 0
    note = "el mismo id de estudiante (e1) aparece en las entregas de otros participantes ({}): comprueba quién es quién"
    assert [w for w in warnings(tmp_path / "out") if w[1] == "id repetido"] == [
        (
            f"{archive}!/Ana López_12_assignsubmission_file_/r.json",
            "id repetido",
            note.format("moodle:13"),
        ),
        (
            f"{archive}!/Berto Ruiz_13_assignsubmission_file_/r.json",
            "id repetido",
            note.format("moodle:12"),
        ),
    ]


@pytest.fixture(scope="module")
def bank():
    from comprende.bank import load_bank

    from .test_classgrade import BANK_DIR

    return load_bank(BANK_DIR)


def test_the_exit_statuses_are_distinct() -> None:
    assert len({classgrade.EXIT_NOT_GRADED, classgrade.EXIT_USAGE, 0}) == 3


# ------------------------------------------------------------- what each file's grade shows


def half_answers(bank) -> dict:
    """Answers worth part of each item's points where the type allows it."""
    return {item.id: build_answer(item, "half") for item in bank.items}


def test_the_excel_gradebook_has_the_same_item_cells_with_decimal_commas(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers=half_answers(bank)))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    (plain,) = read_csv(tmp_path / "out" / "gradebook.csv")
    (excel,) = read_csv(tmp_path / "out" / "gradebook-excel.csv", ";", "utf-8-sig")
    cells = {item.id: plain[item.id] for item in bank.items}
    assert any("." in cell for cell in cells.values())  # some points have decimals
    for item in bank.items:
        expected = expected_points(item, "half")
        shown = "" if expected is None else f"{expected:g}"
        assert (cells[item.id], excel[item.id]) == (shown, shown.replace(".", ",")), item.id


def found_in(folder: Path, run_: classgrade.GradingRun) -> list:
    return list(find_inputs([folder], exclude=[run_.work], first_read=run_.first_read))


def test_a_file_not_graded_says_so_in_its_outcome(bank, tmp_path):
    bad = write(tmp_path / "in" / "a.json", "{")
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])
    try:
        (found,) = found_in(tmp_path / "in", grading)
        outcome = grading.grade(found)
    finally:
        grading.abort()
    reason = "el archivo no es JSON válido: falta un nombre entre comillas dobles (línea 1)"
    assert outcome == classgrade.Outcome(str(bad), False, errors=(reason,))


def keys_read_the_same(bank, count: int) -> str:
    """An answers file whose ``count`` pairs of keys read the same once trimmed: ``count``
    errors, on line 1, in one long reason."""
    pairs = ", ".join(f'"k{i}": 1, " k{i}": 1' for i in range(count))
    return (
        f'{{"module": "{bank.id}", "student": {{"id": "e1", "name": "Ana"}}, '
        f'"answers": {{{pairs}}}}}'
    )


def test_a_long_reason_reaches_errors_csv_whole(bank, tmp_path):
    # Twenty keys that read the same once trimmed: twenty errors, one reason of ~1,700
    # characters (errors.csv keeps 2,000; other cells are cut at 500).
    text = keys_read_the_same(bank, 20)
    bad = write(tmp_path / "in" / "a.json", text)
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "Berto"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    one = "la pregunta «k{}» aparece dos veces (escrita de dos formas que se leen igual) (línea 1)"
    assert errors(tmp_path / "out") == {str(bad): "; ".join(one.format(i) for i in range(20))}


def test_the_feedback_page_shows_the_files_notes(bank, tmp_path):
    archive = make_zip(
        tmp_path / "canvas.zip",
        {"ruizberto_LATE_2002_9002_r.json": json.dumps(answers_file(bank, "e2", "Berto Ruiz"))},
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 0
    page = (tmp_path / "out" / "feedback" / "e2-canvas-2002.html").read_text(encoding="utf-8")
    assert "entregado tarde (Canvas)" in page
    assert warnings(tmp_path / "out") == [
        (
            f"{archive}!/ruizberto_LATE_2002_9002_r.json",
            "tarde",
            "Canvas marca esta entrega como tardía",
        )
    ]


@pytest.fixture
def ascii_locale():
    """A locale whose encoding is ASCII (as a Windows code page is not UTF-8 either):
    files written without an explicit encoding would come out in it."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_every_output_is_utf8_whatever_the_locale(bank, tmp_path, ascii_locale):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana López"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    out = tmp_path / "out"
    for path in (
        out / "feedback" / "a.html",
        out / "gradescope" / "a.results.json",
        out / "report.html",
        out / "gradebook.csv",
        out / "pending.csv",
        out / "corregir.html",
    ):
        text = path.read_bytes().decode("utf-8")
        assert "\\x" not in text and "\\u00" not in text, path.name
    assert "Ana López" in (out / "feedback" / "a.html").read_text(encoding="utf-8")
    assert "Ana López" in (out / "gradebook.csv").read_text(encoding="utf-8")
    results = json.loads((out / "gradescope" / "a.results.json").read_text(encoding="utf-8"))
    assert results["score"] > 0
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"<h1>Análisis de la clase: {bank.title}</h1>" in report


# ------------------------------------------------------------------- the notes on the rows


def test_an_id_handed_in_by_many_participants_lists_three_of_them(bank, tmp_path):
    members = {
        f"P{n}_{n}_assignsubmission_file_/r.json": json.dumps(answers_file(bank, "e1", f"P{n}"))
        for n in range(11, 16)
    }
    make_zip(tmp_path / "in" / "moodle.zip", members)
    loose = write(tmp_path / "in" / "suelto.json", answers_file(bank, "E1", "Eva"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    note = (
        "el mismo id de estudiante ({}) aparece en las entregas de otros participantes "
        "({}): comprueba quién es quién"
    )
    notes = {
        (r["id"], r["lms_id"]): r["notes"] for r in read_csv(tmp_path / "out" / "gradebook.csv")
    }
    # The loose file is named by its id, the others by their participant.
    assert notes[("e1", "12")] == note.format("e1", "e1, moodle:11, moodle:13 … y 2 más")
    assert notes[("E1", "")] == note.format("E1", "moodle:11, moodle:12, moodle:13 … y 2 más")
    assert (str(loose), "id repetido", notes[("E1", "")]) in warnings(tmp_path / "out")


def test_one_participant_with_two_ids_is_noted_on_both_rows(bank, tmp_path):
    archive = make_zip(
        tmp_path / "moodle.zip",
        {
            f"Ana_20_assignsubmission_file_/{name}.json": json.dumps(answers_file(bank, sid, "Ana"))
            for name, sid in (("a", "x1"), ("b", "x2"))
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 0
    note = (
        "los archivos del participante 20 de Moodle llevan ids de estudiante distintos "
        "({} y otros): se cuentan por separado; comprueba quién es quién"
    )
    book = gradebook(tmp_path / "out")
    assert (book["x1"]["notes"], book["x2"]["notes"]) == (note.format("x1"), note.format("x2"))
    assert [w for w in warnings(tmp_path / "out") if w[1] == "id distinto"] == [
        (f"{archive}!/Ana_20_assignsubmission_file_/a.json", "id distinto", note.format("x1")),
        (f"{archive}!/Ana_20_assignsubmission_file_/b.json", "id distinto", note.format("x2")),
    ]


def test_five_files_of_one_student_the_note_counts_them_and_lists_three(bank, tmp_path):
    paths = []
    for number, name in enumerate("abcde"):
        path = write(tmp_path / "in" / f"{name}.json", answers_file(bank, "e1", "Ana"))
        os.utime(path, (1_000_000_000 + number, 1_000_000_000 + number))
        paths.append(str(path))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 0 and "4 archivo(s) sustituido(s)" in message
    duplicates = [
        (r["file"], r["student_id"])
        for r in read_csv(tmp_path / "out" / "warnings.csv")
        if r["kind"] == "duplicado"
    ]
    assert duplicates == [(path, "e1") for path in paths[:4]]
    assert gradebook(tmp_path / "out")["e1"]["notes"] == (
        f"5 archivos de este estudiante; cuenta el más reciente ({paths[4]}); "
        f"no cuentan: {paths[0]}, {paths[1]}, {paths[2]} … y 1 más"
    )


def test_two_files_shown_with_one_name_and_time_the_first_found_counts(bank, tmp_path):
    # A file name with a byte that is not UTF-8 and one with that escape typed out are
    # shown alike. Nothing tells them apart, so a tie keeps the file found first (the
    # typed backslash sorts first) and lists the other as a duplicate.
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"L\xf3pez.json")
    with open(raw, "w", encoding="utf-8") as handle:
        json.dump(answers_file(bank, "e1", "Ana", answers={}), handle)
    typed = write(folder / "L\\udcf3pez.json", answers_file(bank, "e1", "Ana"))
    for path in (raw, typed):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert run(bank, folder, out=tmp_path / "out")[0] == 0
    shown = str(typed)
    row = gradebook(tmp_path / "out")["e1"]
    assert row["file"] == shown and float(row["total"]) > 0  # the typed name's answers
    assert (shown, "duplicado", f"otro archivo del mismo estudiante cuenta: {shown}") in warnings(
        tmp_path / "out"
    )


# ------------------------------------------------------------- a run that stops or grades nothing


def test_an_aborted_run_closes_its_files_and_leaves_nothing(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])
    for found in found_in(tmp_path / "in", grading):
        grading.grade(found)
    work = grading.work
    grading.abort()
    # An open scratch file would keep the work folder from being deleted on Windows.
    assert grading._scratch.closed
    assert not work.exists() and not (tmp_path / "out").exists()


def test_an_abort_goes_on_when_the_index_cannot_be_closed(bank, tmp_path, monkeypatch):
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])

    def full_disk() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grading._index, "close", full_disk)
    work = grading.work
    grading.abort()
    assert not work.exists()


def test_bad_files_only_into_an_empty_out_folder_still_write_the_results(bank, tmp_path):
    write(tmp_path / "in" / "a.json", "{")
    (tmp_path / "out").mkdir()
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 1 and "1 archivo(s) NO corregido(s)" in message
    assert list(errors(tmp_path / "out")) == [str(tmp_path / "in" / "a.json")]


def test_an_out_folder_that_cannot_be_looked_into_holds_no_results(tmp_path):
    assert classgrade._holds_results(tmp_path / ("x" * 300)) is False  # name too long


@pytest.mark.parametrize("count", [10, 11, 12])
def test_a_run_that_grades_nothing_over_results_lists_ten_problems(bank, tmp_path, count):
    write(tmp_path / "first" / "a.json", answers_file(bank, "a", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "first", out=out)[0] == 0
    for number in range(count):
        write(tmp_path / "in" / f"{number:02d}.json", "{")
    status, message = run(bank, tmp_path / "in", out=out, overwrite=True)
    assert status == classgrade.EXIT_NOT_GRADED
    reason = "el archivo no es JSON válido: falta un nombre entre comillas dobles (línea 1)"
    lines = [
        f"comprende grade: no se ha podido corregir ningún archivo ({count} con problemas), "
        f"así que no se sustituyen los resultados de {out}. ¿Es la carpeta o el zip de esta "
        "tarea? Los problemas:",
        *(f"  {tmp_path / 'in' / f'{n:02d}.json'}: {reason}" for n in range(min(count, 10))),
        *([f"  … y {count - 10} más"] if count > 10 else []),
    ]
    assert message == "\n".join(lines)
    assert gradebook(out).keys() == {"a"}  # the earlier results are kept


def test_a_gradebook_only_run_writes_no_student_files(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out", per_student=False)[0] == 0
    assert not (tmp_path / "out" / "feedback").exists()
    assert gradebook(tmp_path / "out")["a"]["name"] == "Ana"


# ------------------------------------------------------------------ the instructor's marks


def open_ids(bank) -> list[str]:
    return [item.id for item in bank.items if item.type == ItemType.OPEN]


def marked_class(bank, tmp_path: Path, **options) -> tuple[Path, Path, str]:
    """A Moodle class graded once, two open answers marked (one with a changed answer
    since), graded again with the marks: (the download, the results, the terminal)."""
    first, second = (bank.by_id[i] for i in open_ids(bank)[:2])
    names = {"12": ("e1", "Ana García"), "13": ("e2", "Luis Pérez")}

    def download(path: Path, essay_e2: str) -> Path:
        members: dict[str, bytes | str] = {
            f"{name}_{number}_assignsubmission_file_/r.json": json.dumps(
                submission(bank, sid, name, **({"essay": essay_e2} if sid == "e2" else {}))
            )
            for number, (sid, name) in names.items()
        }
        return make_zip(path, members)

    before = download(tmp_path / "antes.zip", "Putin visitó Astaná.")
    assert run(bank, before, out=tmp_path / "first")[0] == 0
    half = [1, 0.5, 1, 0][: len(first.rubric)]
    fill(
        tmp_path / "first" / "pending.csv",
        tmp_path / "notas.csv",
        {
            ("e1", first.id): (half, "Bien, pero incompleto."),
            ("e1", second.id): ([0] * len(second.rubric), "Falta."),
            ("e2", first.id): ([c.points for c in first.rubric], "Bien."),
        },
    )
    after = download(tmp_path / "despues.zip", "Otra cosa.")  # e2 changed the answer
    status, message = run(
        bank, after, out=tmp_path / "second", marks=[tmp_path / "notas.csv"], **options
    )
    assert status == 0, message
    return after, tmp_path / "second", message


def test_marks_reach_the_gradebooks_the_feedback_and_gradescope(bank, tmp_path):
    first, second = open_ids(bank)[:2]
    archive, out, message = marked_class(bank, tmp_path)
    auto = sum(item.points for item in bank.items if item.auto_graded)
    book = gradebook(out)
    assert {k: book["e1"][k] for k in ("status", "pending", first, second, "total")} == {
        "status": "corregido",
        "pending": "0",
        first: "2.5",
        second: "0",
        "total": f"{auto + 2.5:g}",
    }
    excel = {r["id"]: r for r in read_csv(out / "gradebook-excel.csv", ";", "utf-8-sig")}
    assert (excel["e1"][first], excel["e1"][second]) == ("2,5", "0")
    changed = "la respuesta de e2 a global-resumen ha cambiado desde que se corrigió: no se aplica la nota"
    assert first == "global-resumen"
    assert {k: book["e2"][k] for k in ("status", "pending", first, "notes")} == {
        "status": "pendiente",
        "pending": "2",
        first: "",
        "notes": changed,
    }
    (refused,) = [w for w in warnings(out) if w[1] == "nota no aplicada"]
    assert refused[0] == f"{archive}!/Luis Pérez_13_assignsubmission_file_/r.json"
    assert refused[2] == (
        f"{tmp_path / 'notas.csv'}, fila 4, estudiante e2, pregunta global-resumen, columna "
        f"answer_sha256: {changed}. corrígela de nuevo en el pending.csv o el corregir.html "
        "de esta ejecución"
    )
    assert "Notas de respuestas abiertas: 2 aplicada(s); 1 NO aplicada(s)" in message
    page = (out / "feedback" / "e1-moodle-12.html").read_text(encoding="utf-8")
    assert "Bien, pero incompleto." in page and "Falta." in page
    results = json.loads((out / "gradescope" / "e1-moodle-12.results.json").read_text("utf-8"))
    assert results["score"] == auto + 2.5
    scores = {t["number"]: (t["score"], t["status"]) for t in results["tests"]}
    numbers = {
        i.id: f"{s}.{n}" for s, st in enumerate(bank.sets, 1) for n, i in enumerate(st.items, 1)
    }
    assert scores[numbers[first]] == (2.5, "failed") and scores[numbers[second]] == (0, "failed")
    pending = {(r["id"], r["item"]): r for r in read_csv(out / "pending.csv")}
    assert pending[("e1", first)]["comment"] == "Bien, pero incompleto."
    assert pending[("e2", first)]["comment"] == ""


def test_marks_in_a_gradebook_only_run(bank, tmp_path):
    first = open_ids(bank)[0]
    _, out, message = marked_class(bank, tmp_path, per_student=False)
    assert not (out / "feedback").exists()
    assert gradebook(out)["e1"][first] == "2.5"
    assert "Notas de respuestas abiertas: 2 aplicada(s); 1 NO aplicada(s)" in message


# ------------------------------------------------------------- final grades and the LMS files


def moodle_class(bank, tmp_path: Path, **options) -> Path:
    """A team folder (typed name without accents), a name typed in part, and a loose file
    named like a third participant's download: marked, then graded with Moodle's worksheet."""
    download = make_zip(
        tmp_path / "moodle.zip",
        {
            "Grupo A-Ana García_1234567_assignsubmission_file_/r.json": json.dumps(
                submission(bank, "e1", "ana garcia")
            ),
            "Luis Pérez_1234568_assignsubmission_file_/r.json": json.dumps(
                submission(bank, "e2", "Luis")
            ),
        },
    )
    loose = write(
        tmp_path / "Pedro Gil_1234570_assignsubmission_file_r.json",
        submission(bank, "e3", "Eva Sol"),
    )
    assert run(bank, download, loose, out=tmp_path / "first")[0] == 0
    first, second = (bank.by_id[i] for i in open_ids(bank)[:2])
    fill(
        tmp_path / "first" / "pending.csv",
        tmp_path / "notas.csv",
        {
            (sid, item.id): (marks, "")
            for sid in ("e1", "e2", "e3")
            for item, marks in ((first, [1, 0.5, 1, 1]), (second, [1, 1, 1, 1]))
        },
    )
    out = tmp_path / "second"
    status, message = run(
        bank,
        download,
        loose,
        out=out,
        marks=[tmp_path / "notas.csv"],
        final=FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv"),
        **options,
    )
    assert status == 0, message
    return out


def worksheet_rows(out: Path) -> dict[str, dict[str, str]]:
    rows = read_csv(out / "moodle-worksheet.csv", encoding="utf-8-sig")
    return {row["Identifier"]: row for row in rows}


def test_the_moodle_worksheet_gets_the_grade_and_comment_under_moodles_names(bank, tmp_path):
    out = moodle_class(bank, tmp_path)
    assert bank.possible == 87  # 86.5 below: every auto-graded point and 3.5 + 4 marked
    comment = "Puntuación en el módulo de lectura: 86,5 de 87. El informe detallado explica cada pregunta."
    rows = worksheet_rows(out)
    for participant in ("1234567", "1234568"):
        row = rows[f"Participant {participant}"]
        assert (row["Grade"], row["Feedback comments"]) == ("9.94", comment), participant
    untouched = rows["Participant 1234570"]  # the loose file's typed name is not Pedro Gil's
    assert (untouched["Grade"], untouched["Feedback comments"]) == ("", "")
    report = (out / "lms-report.txt").read_text(encoding="utf-8")
    assert "la entrega es de «Eva Sol»" in report
    assert "Calificado (línea 2, Ana García, participante 1234567): 9.94 de 10" in report
    with zipfile.ZipFile(out / "moodle-feedback.zip") as archive:
        pages = {name: archive.read(name) for name in archive.namelist()}
    assert sorted(pages) == [
        "Ana García_1234567_assignfeedback_file_/e1-moodle-1234567.html",
        "Luis Pérez_1234568_assignfeedback_file_/e2-moodle-1234568.html",
    ]
    for name, page in pages.items():
        assert page == (out / "feedback" / name.split("/")[1]).read_bytes()


def test_without_feedback_pages_the_worksheet_still_gets_the_grades(bank, tmp_path):
    out = moodle_class(bank, tmp_path, per_student=False)
    assert worksheet_rows(out)["Participant 1234567"]["Grade"] == "9.94"
    with zipfile.ZipFile(out / "moodle-feedback.zip") as archive:
        assert archive.namelist() == []


@pytest.mark.parametrize(
    ("typed", "download", "name"),
    [
        ("Ana García", "Ana García", "Ana García"),
        ("Ana", "Ana García", "Ana García"),
        ("ana garcia", "Grupo A-Ana García", "Ana García"),  # a team: the part after "-"
        ("ANA GARCÍA", "Grupo 1-2-Ana García", "2-Ana García"),  # split at the first "-"
        ("Ana-María López", "Ana-María López", "Ana-María López"),
        ("María López", "Ana-María López", "María López"),  # the fewest other words
        ("Grupo A Ana", "Grupo A-Ana García", "Grupo A-Ana García"),  # only the whole holds it
        ("Luis", "Grupo A-Ana García", "Grupo A-Ana García"),  # neither: the whole
        ("", "Grupo A-Ana García", "Grupo A-Ana García"),
    ],
)
def test_the_download_name_that_holds_the_typed_name(typed: str, download: str, name: str) -> None:
    assert classgrade._download_name(typed, download) == name


def test_names_are_compared_word_by_word_without_case_or_accents() -> None:
    assert classgrade._words("  Ana_María  LÓPEZ-gil, Ñu ") == [
        "ana",
        "maria",
        "lopez",
        "gil",
        "nu",
    ]
    assert classgrade._words("__") == []
    assert classgrade._words("Çàñé ÅNGSTRÖM") == ["cane", "angstrom"]
    assert classgrade._part_of("lopez ana", "Ana María López")
    assert not classgrade._part_of("Ana Ruiz", "Ana María López")
    assert not classgrade._part_of(" - ", "Ana María López")


def test_the_class_list_adds_the_absent_and_flags_the_unlisted(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", submission(bank, "ana", "Ana"))
    zoe = write(tmp_path / "in" / "zoe.json", submission(bank, "zoe", "Zoe"))
    folder = tmp_path / os.fsdecode(b"listas-\xf1")  # a folder name that is not UTF-8
    long_name = "Bea " + "Ruiz" * 150
    roster = write(
        folder / "clase.csv",
        f"id,nombre\nana,Ana López\n,Sin Id\nbea,{long_name}\n",
    )
    status, message = run(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(roster=roster)
    )
    assert status == 0, message
    book = gradebook(tmp_path / "out")
    assert sorted(book) == ["ana", "bea", "zoe"]
    absent = {k: v for k, v in book["bea"].items() if k in {i.id for i in bank.items}}
    assert set(absent.values()) == {""}
    assert {k: v for k, v in book["bea"].items() if k not in absent} == {
        "id": "bea",
        "name": long_name[:499] + "…",
        "file": "",
        "status": "sin entrega",
        "total": "0",
        "maximum": f"{bank.possible:g}",
        "percentage": "0",
        "pending": "0",
        "lms": "",
        "lms_id": "",
        "notes": "está en la lista de clase y no ha entregado ningún archivo",
    }
    unlisted = "zoe no está en la lista de clase: comprueba el id"
    assert book["zoe"]["notes"] == unlisted
    ids = [(r["kind"], r["student_id"]) for r in read_csv(tmp_path / "out" / "warnings.csv")]
    assert ids == [("lista de clase", ""), ("fuera de la lista", "zoe")]
    assert warnings(tmp_path / "out") == [
        (
            str(folder / "clase.csv").replace("\udcf1", "\\udcf1"),
            "lista de clase",
            "línea 3: falta el identificador (Sin Id); se ignora",
        ),
        (str(zoe), "fuera de la lista", unlisted),
    ]


def test_marks_on_loose_files_each_counted_and_each_refusal_counted(bank, tmp_path):
    first, second = (bank.by_id[i] for i in open_ids(bank)[:2])
    full = [c.points for c in second.rubric]
    write(tmp_path / "in" / "a.json", submission(bank, "s1", "Ana"))
    write(tmp_path / "in" / "b.json", submission(bank, "s2", "Berto"))
    assert run(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    fill(
        tmp_path / "first" / "pending.csv",
        tmp_path / "notas.csv",
        {
            ("s1", second.id): (full, "Solo la segunda."),  # the first one left unmarked
            ("s2", first.id): (full, ""),
            ("s2", second.id): (full, ""),
        },
    )
    write(tmp_path / "in" / "b.json", submission(bank, "s2", "Berto", essay="Otro texto."))
    status, message = run(
        bank, tmp_path / "in", out=tmp_path / "second", marks=[tmp_path / "notas.csv"]
    )
    assert status == 0, message
    book = gradebook(tmp_path / "second")
    assert (book["s1"][first.id], book["s1"][second.id], book["s1"]["pending"]) == (
        "",
        f"{sum(full):g}",
        "1",
    )
    assert (book["s2"][first.id], book["s2"][second.id]) == ("", "")
    assert "Notas de respuestas abiertas: 1 aplicada(s); 2 NO aplicada(s)" in message


def test_the_lms_comment_writes_a_decimal_maximum_with_a_comma(bank, tmp_path):
    auto = next(item for item in bank.items if item.auto_graded)
    half = dataclasses.replace(auto, id="media", points=0.5, set_id="x")
    sets = [
        dataclasses.replace(s, items=tuple(i for i in s.items if i.auto_graded)) for s in bank.sets
    ]
    small = dataclasses.replace(
        bank, sets=(*[s for s in sets if s.items], ItemSet("x", "Extra", "", (half,)))
    )
    answers = {item.id: key_answer(item) for item in small.items}
    download = make_zip(
        tmp_path / "moodle.zip",
        {
            "Ana García_1234567_assignsubmission_file_/r.json": json.dumps(
                answers_file(small, "e1", "Ana García", answers=answers)
            )
        },
    )
    options = FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv")
    status, message = run(small, download, out=tmp_path / "out", final=options)
    assert status == 0, message
    shown = points(small.possible, comma=True)
    assert "," in shown
    row = worksheet_rows(tmp_path / "out")["Participant 1234567"]
    assert row["Feedback comments"] == (
        f"Puntuación en el módulo de lectura: {shown} de {shown}. "
        "El informe detallado explica cada pregunta."
    )


def test_a_comment_with_a_lone_surrogate_is_written_escaped(bank, tmp_path):
    # corregir.html saves JSON, where "\ud800" is a lone surrogate once read.
    answers = submission(bank, "e1", "Ana")
    write(tmp_path / "in" / "a.json", answers)
    item = bank.by_id[open_ids(bank)[0]]
    mark = {
        "id": "e1",
        "item": item.id,
        "answer_sha256": answer_sha256(answers["answers"][item.id]),
        "score": 1,
        "comment": "Bien \ud800 hecho",
    }
    marks = tmp_path / "notas.json"
    marks.write_text(
        json.dumps({"format": JSON_FORMAT, "version": 1, "module": bank.id, "marks": [mark]}),
        encoding="utf-8",
    )
    assert run(bank, tmp_path / "in", out=tmp_path / "out", marks=[marks])[0] == 0
    out = tmp_path / "out"
    page = (out / "feedback" / "e1.html").read_bytes().decode("utf-8")
    assert "Bien \\ud800 hecho" in page
    results = json.loads((out / "gradescope" / "e1.results.json").read_bytes().decode("utf-8"))
    (test,) = [t for t in results["tests"] if "Bien" in t["output"]]
    assert test["score"] == 1


def test_errors_csv_gives_the_line_and_the_fix(bank, tmp_path):
    bad = write(tmp_path / "in" / "a.yaml", "module: x\nstudent:\n  id: [\n")
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "Berto"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    (row,) = read_csv(tmp_path / "out" / "errors.csv")
    assert (row["file"], row["line"]) == (str(bad), "4")
    assert row["reason"].endswith("(línea 4)") and row["fix"]


def test_a_bug_while_grading_costs_that_file_only(bank, tmp_path, monkeypatch):
    real = classgrade.grade_item

    def buggy(item, answer):
        if answer == "¡rompe!":
            raise RuntimeError("fallo\x1b[2J de prueba")
        return real(item, answer)

    monkeypatch.setattr(classgrade, "grade_item", buggy)
    first = bank.items[0].id
    bad = write(
        tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers={first: "¡rompe!"})
    )
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "Berto"))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == classgrade.EXIT_NOT_GRADED and "1 archivo(s) NO corregido(s)" in message
    assert read_csv(tmp_path / "out" / "errors.csv") == [
        {
            "file": str(bad),
            "line": "",
            "reason": "error interno al corregir este archivo "
            "(RuntimeError: fallo\\u001b[2J de prueba)",
            "fix": "avisa a quien mantiene comprende con este archivo; los demás se han corregido",
        }
    ]
    assert list(gradebook(tmp_path / "out")) == ["b"]


# ------------------------------------------------------------ reading each file: what is said


def test_what_each_file_read_is_told(bank, tmp_path):
    ids = [item.id for item in bank.items]
    folder = tmp_path / "in"
    blank = {"module": bank.id, "student": {"id": "", "name": ""}, "answers": {ids[0]: "x"}}
    write(folder / "notas.txt", "hola")
    write(folder / "otro.json", answers_file(bank, "o", "O", module="otro-modulo"))
    write(folder / "nada.json", answers_file(bank, "n", "N", answers={"zz1": 1, "zz2": 2}))
    odd = {ids[0]: "x", "zz1": 1, ids[1]: {"raro": [1]}}
    write(folder / "algo.json", {**answers_file(bank, "a", "Ana", answers=odd), "extra": 1})
    latin = json.dumps(answers_file(bank, "l", "Lía"), ensure_ascii=False).encode("latin-1")
    write(folder / "latin.json", latin)
    write(folder / "vacio.json", {**blank, "answers": {}})
    archive = make_zip(
        folder / "m.zip",
        {
            "Ana García_12_assignsubmission_file_/r.json": json.dumps(blank),
            "Luis Pérez_13_assignsubmission_file_/r.json": json.dumps(
                {**blank, "student": {"id": "e13", "name": ""}}
            ),
            "Pedro Gil_14_assignsubmission_file_/r.json": json.dumps({**blank, "answers": []}),
        },
    )
    status, message = run(bank, folder, out=tmp_path / "out")
    assert status == 1 and "5 archivo(s) NO corregido(s)" in message
    out = tmp_path / "out"
    pedro = f"{archive}!/Pedro Gil_14_assignsubmission_file_/r.json"
    assert [
        (r["file"], r["line"], r["reason"], r["fix"]) for r in read_csv(out / "errors.csv")
    ] == [
        (
            pedro,
            "1",
            "falta tu identificador de estudiante (`student.id`) (línea 1); falta tu nombre "
            "(`student.name`) (línea 1); `answers` debe ser un objeto {pregunta: respuesta} "
            "(línea 1)",
            "escribe el identificador que te dio tu profesor o profesora",
        ),
        (
            str(folder / "nada.json"),
            "",
            "ninguna respuesta corresponde a una pregunta de este módulo (zz1, zz2)",
            "comprueba la versión del módulo; los identificadores deben ser los de la "
            "plantilla (`comprende template`)",
        ),
        (
            str(folder / "notas.txt"),
            "",
            "no es un archivo de respuestas (.json, .yaml o .yml) y su contenido tampoco lo es",
            "si el estudiante entregó otro formato, pídele el archivo de respuestas",
        ),
        (
            str(folder / "otro.json"),
            "",
            f"este archivo es del módulo «otro-modulo», no de «{bank.id}»",
            "comprueba que es la entrega de esta tarea; si no, no hace falta hacer nada",
        ),
        (
            str(folder / "vacio.json"),
            "1",
            "falta tu identificador de estudiante (`student.id`) (línea 1); falta tu nombre "
            "(`student.name`) (línea 1)",
            "escribe el identificador que te dio tu profesor o profesora",
        ),
    ]
    ana = f"{archive}!/Ana García_12_assignsubmission_file_/r.json"
    luis = f"{archive}!/Luis Pérez_13_assignsubmission_file_/r.json"
    invalid = "respuestas con una forma no válida (0 puntos): "
    filled = "el archivo no dice quién es el estudiante: se usa el participante {} de Moodle ({})"
    assert sorted(warnings(out)) == sorted(
        [
            (str(folder / "algo.json"), "aviso", "se ignora el campo desconocido `extra`"),
            (
                str(folder / "algo.json"),
                "pregunta desconocida",
                "se ignoran respuestas a preguntas que no existen: zz1",
            ),
            (str(folder / "algo.json"), "respuesta no válida", invalid + f"{ids[0]}, {ids[1]}"),
            (
                str(folder / "latin.json"),
                "codificación",
                "el archivo no está en UTF-8; se ha leído como Windows-1252",
            ),
            (ana, "sin id", filled.format("12", "Ana García")),
            (ana, "respuesta no válida", invalid + ids[0]),
            (luis, "sin id", filled.format("13", "Luis Pérez")),
            (luis, "respuesta no válida", invalid + ids[0]),
        ]
    )
    book = gradebook(out)
    assert {sid: (row["name"], row["notes"]) for sid, row in book.items()} == {
        "a": ("Ana", "2 respuesta(s) no válida(s)"),
        "e13": ("Luis Pérez", "1 respuesta(s) no válida(s)"),
        "l": ("Lía", ""),
        "moodle-12": ("Ana García", "1 respuesta(s) no válida(s)"),
    }


def test_a_graded_file_says_so_in_its_outcome(bank, tmp_path):
    answers = {item.id: build_answer(item, "half") for item in bank.items}
    extra = answers_file(bank, "e1", "Ana", answers={**answers, "zz": 1})
    good = write(tmp_path / "in" / "a.json", extra)
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])
    try:
        (found,) = found_in(tmp_path / "in", grading)
        outcome = grading.grade(found)
    finally:
        grading.abort()
    total = sum(expected_points(item, "half") or 0 for item in bank.items)
    assert outcome == classgrade.Outcome(
        str(good),
        True,
        "e1",
        pytest.approx(total),
        bank.possible,
        warnings=("se ignoran respuestas a preguntas que no existen: zz",),
    )


def test_a_run_whose_writing_failed_cannot_finish(bank, tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])

    def full_disk(*_args) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grading, "_record", full_disk)
    try:
        (found,) = found_in(tmp_path / "in", grading)
        with pytest.raises(OSError, match="No space"):
            grading.grade(found)
        with pytest.raises(OSError, match="the run failed earlier"):
            grading.finish()
    finally:
        grading.abort()
    assert not (tmp_path / "out").exists()


def test_the_class_report_counts_students_files_not_graded_and_open_answers(bank, tmp_path):
    write(tmp_path / "in" / "a1.json", submission(bank, "a", "Ana"))
    write(tmp_path / "in" / "a2.json", submission(bank, "a", "Ana"))  # handed in twice
    write(tmp_path / "in" / "b.json", submission(bank, "b", "Berto"))
    write(tmp_path / "in" / "b2.json", submission(bank, "b", "Berto"))  # so did Berto
    write(tmp_path / "in" / "c.json", "{")
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 1
    opened = len(open_ids(bank))
    assert message.splitlines()[2:] == [
        "2 archivo(s) sustituido(s) por otro más reciente del mismo estudiante: ver warnings.csv.",
        f"{2 * opened} respuesta(s) abierta(s) pendiente(s) de corrección: ver pending.csv.",
        f"1 archivo(s) NO corregido(s): ver {tmp_path / 'out'}/errors.csv.",
    ]
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for label, value in (
        ("Estudiantes corregidos", 2),
        ("Archivos no corregidos (errors.csv)", 1),
        ("Respuestas abiertas pendientes (pending.csv)", 2 * opened),
    ):
        assert f"{label}</th><td>{value}</td>" in report
    assert len(read_csv(tmp_path / "out" / "pending.csv")) == 2 * opened


# ------------------------------------------------------------------ main: what is refused


def test_missing_inputs_and_marks_are_all_named(bank, tmp_path):
    good = write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    status, message = run(
        bank, good, tmp_path / "nada", out=tmp_path / "out", marks=[tmp_path / "notas.csv"]
    )
    assert status == classgrade.EXIT_USAGE
    assert message == (
        f"comprende grade: no existe: {tmp_path / 'nada'}; no existe: {tmp_path / 'notas.csv'}"
    )
    assert not (tmp_path / "out").exists()


def test_a_marks_folder_is_refused(bank, tmp_path):
    good = write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    (tmp_path / "notas").mkdir()
    status, message = run(bank, good, out=tmp_path / "out", marks=[tmp_path / "notas"])
    assert (status, message) == (
        classgrade.EXIT_USAGE,
        f"comprende grade: --marks {tmp_path / 'notas'}: no es un archivo normal (una carpeta, "
        "un dispositivo o una tubería); indica el archivo de notas",
    )
    assert not (tmp_path / "out").exists()


def test_a_marks_file_inside_the_results_names_the_way_out(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    status, message = run(
        bank, tmp_path / "in", out=out, overwrite=True, marks=[out / "pending.csv"]
    )
    assert (status, message) == (
        classgrade.EXIT_USAGE,
        f"comprende grade: el archivo de notas {out / 'pending.csv'} está dentro de la carpeta "
        f"de resultados {out}. Cópialo fuera de ella (por ejemplo, junto a las entregas) y "
        "vuelve a ejecutar la orden con esa copia: comprende no sustituye una carpeta en la "
        "que has cambiado archivos.",
    )
    assert classgrade.marks_inside([tmp_path / "in" / "a.json"], out) == ""


def test_a_file_that_is_no_marks_file_is_refused_before_anything(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    empty = write(tmp_path / "vacio.csv", "")
    other = write(tmp_path / "otro.csv", "")
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out", marks=[empty, other])
    assert status == classgrade.EXIT_USAGE
    assert message.startswith(
        f"comprende grade: estos archivos de --marks no son archivos de notas: {empty}"
    )
    assert f"; {other}" in message and message.count(": el archivo") == 2, message
    assert not (tmp_path / "out").exists()


def test_an_empty_input_is_a_usage_error_that_keeps_earlier_results(bank, tmp_path):
    (tmp_path / "vacia").mkdir()
    (tmp_path / "otra").mkdir()
    status, message = run(bank, tmp_path / "vacia", tmp_path / "otra", out=tmp_path / "out")
    assert (status, message) == (
        classgrade.EXIT_USAGE,
        f"comprende grade: no se ha encontrado ningún archivo en {tmp_path / 'vacia'}, "
        f"{tmp_path / 'otra'}: no se ha corregido nada y los resultados anteriores siguen "
        "como estaban",
    )
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["otra", "vacia"]


@pytest.mark.parametrize(
    ("failure", "status", "said"),
    [
        (
            KeyboardInterrupt(),
            classgrade.EXIT_INTERRUPTED,
            "comprende grade: interrumpido: no se ha escrito nada; los resultados anteriores, "
            "si los había, siguen como estaban",
        ),
        (
            classgrade.UsageError("no se puede poner en su sitio"),
            classgrade.EXIT_FAILED,
            "comprende grade: no se puede poner en su sitio",
        ),
        (
            OSError(28, "No space left on device"),
            classgrade.EXIT_FAILED,
            "comprende grade: la corrección no ha terminado: [Errno 28] No space left on "
            "device. No se ha escrito nada en {out}; los resultados anteriores, si los había, "
            "siguen como estaban. Libera espacio o elige otra carpeta con --out.",
        ),
    ],
)
def test_a_run_that_fails_replaces_nothing_and_says_why(
    bank, tmp_path, monkeypatch, failure, status, said
):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    before = sorted(p.name for p in out.iterdir())

    def fail(self):
        raise failure

    monkeypatch.setattr(classgrade.GradingRun, "finish", fail)
    assert run(bank, tmp_path / "in", out=out, overwrite=True) == (status, said.format(out=out))
    assert sorted(p.name for p in out.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # no work folder left


def test_a_bug_in_the_run_itself_is_raised_after_cleaning_up(bank, tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))

    def fail(self):
        raise RuntimeError("fallo")

    monkeypatch.setattr(classgrade.GradingRun, "finish", fail)
    with pytest.raises(RuntimeError, match="fallo"):
        run(bank, tmp_path / "in", out=tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_option_files_inside_the_input_folder_are_not_graded(bank, tmp_path):
    write(tmp_path / "in" / "a.json", submission(bank, "a", "Ana"))
    roster = write(tmp_path / "in" / "clase.csv", "id,nombre\na,Ana\n")
    status, message = run(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(roster=roster)
    )
    assert status == 0, message
    assert read_csv(tmp_path / "out" / "errors.csv") == []
    assert classgrade.option_files(FinalOptions(roster=roster)) == [roster]
    assert classgrade.option_files(None) == []


def test_the_summary_printed_after_a_run() -> None:
    out = Path("/r\x1bx")
    plain = classgrade.Summary(out, 3, 4, 0, 0, 0)
    assert classgrade.summary_text(plain) == (
        "Corregidos: 3 estudiante(s) (4 archivo(s)).\n"
        "Resultados en /r\\u001bx/ (gradebook.csv, feedback/, report.html…)."
    )
    assert plain.exit_status == classgrade.EXIT_OK
    full = classgrade.Summary(out, 3, 4, 2, 1, 5, marks_applied=6, marks_refused=7)
    assert classgrade.summary_text(full).splitlines()[2:] == [
        "1 archivo(s) sustituido(s) por otro más reciente del mismo estudiante: ver warnings.csv.",
        "5 respuesta(s) abierta(s) pendiente(s) de corrección: ver pending.csv.",
        "Notas de respuestas abiertas: 6 aplicada(s); 7 NO aplicada(s): ver /r\\u001bx/warnings.csv.",
        "2 archivo(s) NO corregido(s): ver /r\\u001bx/errors.csv.",
    ]
    assert full.exit_status == classgrade.EXIT_NOT_GRADED
    none = classgrade.Summary(out, 1, 1, 0, 0, 0, marks_applied=0)
    assert classgrade.summary_text(none).splitlines()[2:] == [
        "Notas de respuestas abiertas: 0 aplicada(s).",
        "Ninguna nota se ha aplicado: ¿es el pending.csv rellenado, o el archivo que guardó "
        "corregir.html?",
    ]


def test_what_the_marks_files_said_goes_to_warnings(bank, tmp_path):
    first, second = (bank.by_id[i] for i in open_ids(bank)[:2])
    full = [c.points for c in first.rubric]
    write(tmp_path / "in" / "a.json", submission(bank, "s1", "Ana"))
    write(tmp_path / "in" / "b.json", submission(bank, "s2", "Berto"))
    assert run(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    pending = tmp_path / "first" / "pending.csv"
    one, two, three = (tmp_path / name for name in ("uno.csv", "dos.csv", "tres.csv"))
    fill(pending, one, {("s1", first.id): (full, "Uno")})
    fill(pending, two, {("s1", first.id): (full, "Dos"), ("s1", second.id): ([9, *full[1:]], "")})
    fill(pending, three, {("s2", first.id): (full, "")})
    (tmp_path / "in" / "b.json").unlink()  # s2's mark now has no submission
    status, message = run(bank, tmp_path / "in", out=tmp_path / "second", marks=[one, two, three])
    assert status == 0, message
    assert "Notas de respuestas abiertas: 1 aplicada(s); 2 NO aplicada(s)" in message
    bad = f"{two}, fila 3, estudiante s1, pregunta {second.id}, columna c1"
    again = f"{two}, fila 2, estudiante s1, pregunta {first.id}"
    unused = f"{three}, fila 4, estudiante s2, pregunta {first.id}"
    assert read_csv(tmp_path / "second" / "warnings.csv") == [
        {
            "file": bad,
            "student_id": "s1",
            "kind": "nota no válida",
            "message": f"{bad}: 9 puntos en el criterio 1, que vale como máximo 1. "
            "escribe entre 0 y 1",
        },
        {
            "file": again,
            "student_id": "s1",
            "kind": "nota sustituida",
            "message": f"{again}: nota repetida para s1 en {first.id}: cuenta esta y no la de "
            f"{one}, fila 2. si no es lo que querías, borra una de las dos",
        },
        {
            "file": unused,
            "student_id": "s2",
            "kind": "nota sin entrega",
            "message": f"{unused}: no hay ninguna entrega de s2 con respuesta a {first.id}: la "
            "nota no se ha usado. comprueba el id del estudiante y que su archivo esté entre "
            "las entregas",
        },
    ]


def test_the_new_pending_csv_keeps_every_mark_given(bank, tmp_path):
    essay = bank.by_id[open_ids(bank)[0]]
    bare = dataclasses.replace(essay, id="sin-rubrica", rubric=(), points=2, set_id="x")
    extended = dataclasses.replace(bank, sets=(*bank.sets, ItemSet("x", "Extra", "", (bare,))))
    answers = submission(extended, "e1", "Ana")
    answers["answers"]["sin-rubrica"] = "Breve."
    write(tmp_path / "in" / "a.json", answers)
    assert run(extended, tmp_path / "in", out=tmp_path / "first")[0] == 0
    rows = read_csv(tmp_path / "first" / "pending.csv")
    for row in rows:
        if row["item"] == essay.id:
            row.update(c1="1", c2="0.5", c3="1", c4="0", comment="Casi.")
        elif row["item"] == "sin-rubrica":
            row.update(score="1.5", comment="Corta.")
    with (tmp_path / "notas.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    status, message = run(
        extended, tmp_path / "in", out=tmp_path / "second", marks=[tmp_path / "notas.csv"]
    )
    assert status == 0 and "2 aplicada(s)" in message, message
    kept = {
        r["item"]: (r["c1"], r["c2"], r["c3"], r["c4"], r["score"], r["comment"])
        for r in read_csv(tmp_path / "second" / "pending.csv")
    }
    assert kept[essay.id] == ("1", "0.5", "1", "0", "2.5", "Casi.")
    assert kept["sin-rubrica"][4:] == ("1.5", "Corta.")
    assert gradebook(tmp_path / "second")["e1"]["sin-rubrica"] == "1.5"


def marking_rows(out: Path) -> list[list]:
    text = (out / "corregir.html").read_text(encoding="utf-8")
    (data,) = re.findall(r'<script type="application/json" id="cp-rows">(.*?)</script>', text, re.S)
    return json.loads(data)


def test_every_open_answer_reaches_pending_csv_and_the_marking_page(bank, tmp_path):
    archive, out, _ = marked_class(bank, tmp_path)
    first = open_ids(bank)[0]
    rows = read_csv(out / "pending.csv")
    excel = read_csv(out / "pending-excel.csv", ";", "utf-8-sig")
    assert len(rows) == len(excel) == 2 * len(open_ids(bank))
    (ana,) = [r for r in rows if (r["id"], r["item"]) == ("e1", first)]
    assert {k: ana[k] for k in ("name", "file", "lms", "lms_id", "points_possible")} == {
        "name": "Ana García",
        "file": f"{archive}!/Ana García_12_assignsubmission_file_/r.json",
        "lms": "moodle",
        "lms_id": "12",
        "points_possible": f"{bank.by_id[first].points:g}",
    }
    assert ana["answer"] == f"Putin visitó Astaná y hablaron de energía. ({first})"
    answers = sorted(r[6] for r in marking_rows(out))
    assert answers == sorted(r["answer"] for r in rows)


def test_a_scale_adds_the_grade_column(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers={}))
    status, _ = run(bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(scale=10))
    assert status == 0
    assert gradebook(tmp_path / "out")["a"]["grade_10"] == "0"


def test_rows_that_share_an_id_get_no_grade_in_the_lms_gradebooks(bank, tmp_path):
    make_zip(
        tmp_path / "in" / "moodle.zip",
        {
            f"P{n}_{n}_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "e1", f"P{n}", answers={})
            )
            for n in (11, 12)
        },
    )
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "Berto", answers={}))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    moodle = {
        r["ID number"] + r["Identifier"]: r
        for r in read_csv(tmp_path / "out" / "gradebook-moodle.csv")
    }
    same = "Sin nota: otra fila tiene el mismo id de estudiante; compruébalo."
    for key in ("e1Participant 11", "e1Participant 12"):
        assert (moodle[key]["Grade"], moodle[key]["Feedback comments"]) == ("", same)
    assert (moodle["b"]["Grade"], moodle["b"]["Feedback comments"]) == ("0", "")


def test_a_loose_copy_of_an_lms_students_file_is_reported_not_uploaded(bank, tmp_path):
    download = make_zip(
        tmp_path / "in" / "moodle.zip",
        {
            "Ana García_1234567_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "e1", "Ana García", answers={})
            )
        },
    )
    write(tmp_path / "in" / "correo.json", answers_file(bank, "E1", "Eva Sol", answers={}))
    options = FinalOptions(moodle_worksheet=LMS_DATA / "worksheet-en.csv")
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out", final=options)
    assert status == 0, message
    assert download.exists()
    report = (tmp_path / "out" / "lms-report.txt").read_text(encoding="utf-8")
    assert "Archivo suelto sin subir: Eva Sol (E1)" in report
    assert str(tmp_path / "out" / "moodle-feedback.zip") in report
    assert worksheet_rows(tmp_path / "out")["Participant 1234567"]["Grade"] == "0"


def test_long_lists_of_unknown_and_invalid_answers_are_cut(bank, tmp_path):
    ids = [item.id for item in bank.items]
    assert len(ids) > 11
    unknown = [f"zz{n:02d}" for n in range(12)]
    write(
        tmp_path / "in" / "seis.json",
        answers_file(bank, "s", "S", answers={k: 1 for k in unknown[:6]}),
    )
    odd = {i: {"raro": 1} for i in ids} | {k: 1 for k in unknown[:11]}
    write(tmp_path / "in" / "raro.json", answers_file(bank, "r", "R", answers=odd))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    assert errors(tmp_path / "out")[str(tmp_path / "in" / "seis.json")] == (
        "ninguna respuesta corresponde a una pregunta de este módulo "
        "(zz00, zz01, zz02, zz03, zz04 … y 1 más)"
    )
    said = {kind: text for _, kind, text in warnings(tmp_path / "out")}
    assert said["pregunta desconocida"] == (
        f"se ignoran respuestas a preguntas que no existen: {', '.join(unknown[:10])} … y 1 más"
    )
    assert said["respuesta no válida"] == (
        f"respuestas con una forma no válida (0 puntos): {', '.join(ids[:10])} "
        f"… y {len(ids) - 10} más"
    )
    assert gradebook(tmp_path / "out")["r"]["notes"] == f"{len(ids)} respuesta(s) no válida(s)"


def test_a_reason_over_2000_characters_is_cut_there(bank, tmp_path):
    text = keys_read_the_same(bank, 30)
    bad = write(tmp_path / "in" / "a.json", text)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    reason = errors(tmp_path / "out")[str(bad)]
    one = "la pregunta «k{}» aparece dos veces (escrita de dos formas que se leen igual) (línea 1)"
    assert reason == "; ".join(one.format(i) for i in range(30))[:1999] + "…"


def test_a_moodle_file_without_the_student_block_takes_the_participant(bank, tmp_path):
    data = {"module": bank.id, "answers": {bank.items[0].id: key_answer(bank.items[0])}}
    archive = make_zip(
        tmp_path / "moodle.zip", {"Pedro Gil_14_assignsubmission_file_/r.json": json.dumps(data)}
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 0
    assert gradebook(tmp_path / "out")["moodle-14"]["name"] == "Pedro Gil"


def test_a_file_that_cannot_be_read_is_one_error(bank, tmp_path):
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])

    def vanished() -> bytes:
        raise FileNotFoundError(2, "No such file or directory")

    try:
        outcome = grading.grade(Found("/x/a.json", read=vanished))
    finally:
        grading.abort()
    reason = "no se puede leer el archivo ([Errno 2] No such file or directory)"
    assert outcome == classgrade.Outcome("/x/a.json", False, errors=(reason,))
    assert grading.errors == [
        (
            "/x/a.json",
            None,
            reason,
            "descárgalo de nuevo o pide al estudiante que lo entregue otra vez",
        )
    ]


def test_no_key_and_the_site_address_reach_both_student_files(bank, tmp_path):
    single = next(i for i in bank.items if i.type == ItemType.SINGLE)
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers={single.id: None}))
    site = "https://example.org/curso/"
    run(bank, tmp_path / "in", out=tmp_path / "with", site_url=site)
    run(bank, tmp_path / "in", out=tmp_path / "without", include_key=False)
    for folder, keyed in (("with", True), ("without", False)):
        out = tmp_path / folder
        results = json.loads((out / "gradescope" / "a.results.json").read_text(encoding="utf-8"))
        page = (out / "feedback" / "a.html").read_text(encoding="utf-8")
        # Without the key a test's output is only its result and points.
        assert ("Sin respuesta." in results["tests"][0]["output"]) is keyed
        assert ("Respuesta correcta" in page) is keyed
        assert (f'href="{site}' in page) is keyed


def test_a_run_that_cannot_start_leaves_no_work_folder(bank, tmp_path, monkeypatch):
    def broken(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(classgrade, "RunIndex", broken)
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    with pytest.raises(OSError, match="No space"):
        classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_why_a_path_cannot_be_used(tmp_path):
    loop = tmp_path / "bucle"
    loop.symlink_to(loop)
    afile = write(tmp_path / "a.json", "{}")
    long = tmp_path / ("x" * 300)
    assert classgrade.missing_path(afile) == ""
    assert classgrade.missing_path(tmp_path / "nada") == f"no existe: {tmp_path / 'nada'}"
    assert (
        classgrade.missing_path(afile / "x") == f"no se puede usar {afile / 'x'}: Not a directory"
    )
    assert classgrade.missing_path(loop) == (
        f"no se puede usar {loop}: Too many levels of symbolic links"
    )
    assert classgrade.missing_path(long) == (
        f"no se puede usar {str(long)[:120]}: File name too long"
    )
    # A results folder that cannot be resolved is compared as given.
    assert classgrade.marks_inside([afile], loop) == ""
    assert classgrade.marks_inside([loop], loop) != ""


def test_two_errors_of_one_zip_entry_are_listed_by_line_then_reason(bank, tmp_path):
    (tmp_path / "in").mkdir()
    archive = tmp_path / "in" / "d.zip"
    with warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore")  # zipfile warns of the repeated names
        with zipfile.ZipFile(archive, "w") as handle:
            for name, data in (
                ("a.txt", "hola"),
                ("a.txt", "hola"),
                ("b.json", "{"),
                ("b.json", "{"),
            ):
                handle.writestr(name, data)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    repeated = "el zip repite esta entrada con el mismo nombre: solo cuenta la última"
    rows = read_csv(tmp_path / "out" / "errors.csv")
    assert rows[0]["fix"] == "si falta una entrega, pide al estudiante que la vuelva a subir"
    assert [(r["file"].rpartition("!/")[2], r["line"], r["reason"]) for r in rows] == [
        ("a.txt", "", repeated),
        (
            "a.txt",
            "",
            "no es un archivo de respuestas (.json, .yaml o .yml) y su contenido tampoco lo es",
        ),
        ("b.json", "", repeated),
        (
            "b.json",
            "1",
            "el archivo no es JSON válido: falta un nombre entre comillas dobles (línea 1)",
        ),
    ]


def test_a_file_named_like_no_answers_file_is_refused_whole(bank, tmp_path):
    blank = {"module": bank.id, "student": {"id": "", "name": ""}, "answers": {}}
    write(tmp_path / "in" / "notas.txt", blank)  # JSON inside, but not an answers file's name
    write(tmp_path / "in" / "vacio.json", "  \n")
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    assert errors(tmp_path / "out") == {
        str(tmp_path / "in" / "notas.txt"): "no es un archivo de respuestas (.json, .yaml o "
        ".yml) y su contenido tampoco lo es",
        str(tmp_path / "in" / "vacio.json"): "el archivo está vacío",
    }


def test_a_class_list_inside_the_results_folder_is_refused(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    roster = write(out / "clase.csv", "id,nombre\na,Ana\n")
    status, message = run(
        bank, tmp_path / "in", out=out, overwrite=True, final=FinalOptions(roster=roster)
    )
    assert status == classgrade.EXIT_USAGE
    assert message.startswith(f"comprende grade: --out {out} contiene la entrada {roster}:")
    assert roster.read_text(encoding="utf-8") == "id,nombre\na,Ana\n"


def test_a_file_given_twice_is_graded_once(bank, tmp_path):
    good = write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    status, message = run(bank, tmp_path / "in", good, out=tmp_path / "out")
    assert status == 0
    assert "Corregidos: 1 estudiante(s) (1 archivo(s))." in message
    assert [w for w in warnings(tmp_path / "out") if w[1] == "duplicado"] == []


def test_the_leftovers_of_a_killed_run_are_cleaned_and_said(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    out = tmp_path / "out"
    killed = classgrade.GradingRun(bank=bank, out=out, inputs=[tmp_path / "in"])
    left = tmp_path / ".out.killed1.tmp"
    shutil.copytree(killed.work, left)  # what a run killed mid-way leaves
    killed.abort()
    status, message = run(bank, tmp_path / "in", out=out)
    assert status == 0 and not left.exists()
    assert message.startswith(
        f"comprende grade: se ha borrado {left}: resultados a medias de una ejecución interrumpida"
    )


def test_the_grading_cache_stays_within_its_budget(bank, tmp_path, monkeypatch):
    # Equal answers are graded once and kept; the kept ones never exceed _CACHE_CHARS
    # (memory stays bounded however large the class): here a budget of a few answers.
    monkeypatch.setattr(classgrade, "_CACHE_CHARS", 20_000)
    short = next(item for item in bank.items if item.type == ItemType.SHORT)
    for number in range(40):
        answers = {short.id: f"respuesta {number}"}
        write(
            tmp_path / "in" / f"{number:02d}.json",
            answers_file(bank, f"e{number}", "A", answers=answers),
        )
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])
    try:
        for found in found_in(tmp_path / "in", grading):
            assert grading.grade(found).graded
        kept = sum(
            len(hit.fragment) + len(hit.test) + len(key[-1]) + 200
            for key, hit in grading._cache.items()
        )
        assert 0 < kept <= grading._cache_chars <= 20_000
        assert len(grading._cache) < 40 + len(bank.items) - 1  # it was emptied on the way
    finally:
        grading.abort()


def test_the_item_analysis_counts_blank_and_invalid_answers_apart(bank, tmp_path):
    first = bank.items[0]
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "A", answers={first.id: {"raro": 1}}))
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "B", answers={}))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    rows = {r["item"]: r for r in read_csv(tmp_path / "out" / "item_analysis.csv")}
    shown = rows[first.id]["answers"]
    assert "(no válida): 1 (50 %)" in shown and "(sin respuesta): 1 (50 %)" in shown, shown


def test_a_run_writes_per_student_files_unless_told_not_to(bank, tmp_path):
    # The pytest plugin relies on this default (it never passes per_student).
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    grading = classgrade.GradingRun(bank=bank, out=tmp_path / "out", inputs=[tmp_path / "in"])
    try:
        for found in found_in(tmp_path / "in", grading):
            grading.grade(found)
        assert [p.name for p in (grading.work / "feedback").iterdir()] == ["a.html"]
    finally:
        grading.abort()

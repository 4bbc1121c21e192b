"""The class run's details that no test pinned: each test kills mutants `make mutation` left.

Feedback file names (what the instructor hands each student), the files counted in the
summary, loose files beside an LMS download, and the note on an id shared by two people.
"""

from __future__ import annotations

import json
from hashlib import sha1
from pathlib import Path

import pytest

from comprende import classgrade
from comprende.classgrade import _platform_grades, _slug, participant_of
from comprende.lms import FinalGrade

from .test_classgrade import answers_file, gradebook, make_zip, run, warnings, write


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

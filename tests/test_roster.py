"""The class list: reading it in the forms instructors have it, and matching it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from comprende.errors import ComprendeError
from comprende.lms.roster import RosterEntry, match_roster, read_roster


@dataclass(frozen=True)
class Row:
    student_id: str
    name: str = ""


def write(tmp_path, data: bytes, name: str = "lista.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_excel_csv_with_bom_semicolons_and_spanish_headers(tmp_path):
    data = (
        "\ufeffIdentificador;Nombre;Correo electrónico\r\n"
        "A-001;Ana García;ana@example.org\r\n"
        "b-002;  Luis   Pérez ;\r\n"
        ";Sin Id;x@example.org\r\n"
        "a-001;Ana otra vez;\r\n"
        "\r\n"
        'C-003;"Ruiz; Marta";marta@example.org\r\n'
    ).encode()
    entries, problems = read_roster(write(tmp_path, data))
    assert entries == [
        RosterEntry("A-001", "Ana García", "ana@example.org", 2),
        RosterEntry("b-002", "Luis Pérez", "", 3),
        RosterEntry("C-003", "Ruiz; Marta", "marta@example.org", 7),
    ]
    assert problems == [
        "línea 4: falta el identificador (Sin Id); se ignora",
        "línea 5: el identificador «a-001» ya aparece en la línea 2; se ignora",
    ]


@pytest.mark.parametrize(
    "header",
    ["id,name,email", "ID,Full Name,E-mail", "DNI,Nombre completo,Correo", "Matrícula,Alumno"],
)
def test_header_names_in_english_or_spanish(tmp_path, header):
    row = "7,Eva Sol,eva@x.org" if header.count(",") == 2 else "7,Eva Sol"
    entries, problems = read_roster(write(tmp_path, f"{header}\n{row}\n".encode()))
    assert problems == []
    assert entries[0].student_id == "7" and entries[0].name == "Eva Sol"
    assert entries[0].email == ("eva@x.org" if header.count(",") == 2 else "")


def test_windows_1252_roster(tmp_path):
    data = "id;nombre\n1;Íñigo Muñoz\n".encode("cp1252")
    entries, _ = read_roster(write(tmp_path, data))
    assert entries[0].name == "Íñigo Muñoz"


def test_quoted_name_with_a_line_break_keeps_line_numbers(tmp_path):
    data = b'id,nombre\n1,"Ana\nGarcia"\n2,Luis\n,Nadie\n'
    entries, problems = read_roster(write(tmp_path, data))
    assert [(e.student_id, e.line) for e in entries] == [("1", 2), ("2", 4)]
    assert problems == ["línea 5: falta el identificador (Nadie); se ignora"]


def test_too_many_fields_is_reported_with_its_line(tmp_path):
    data = b"id,nombre\n1,Garcia, Ana\n"
    entries, problems = read_roster(write(tmp_path, data))
    assert entries[0].student_id == "1"
    assert problems and problems[0].startswith("línea 2: tiene 3 campos")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "vacía"),
        (b"\n\n", "vacía"),
        (
            b"nombre;correo\nAna;a@x\n",
            "no tiene columna de identificador: la cabecera es «nombre», «correo»",
        ),
        (b"\x00\x9f\xff\xfe\x81", "no es un archivo de texto"),
    ],
)
def test_not_a_roster(tmp_path, data, expected):
    path = write(tmp_path, data)
    with pytest.raises(ComprendeError) as err:
        read_roster(path)
    assert expected in str(err.value) and str(path) in str(err.value)


def test_no_id_column_names_the_header_line(tmp_path):
    path = write(tmp_path, b"\nalumno,correo\nAna,a@x\n")
    with pytest.raises(ComprendeError) as err:
        read_roster(path)
    assert f"{path}:2:" in str(err.value)


def test_match_roster_by_folded_ids():
    entries = [
        RosterEntry("A-001", "Ana", "", 2),
        RosterEntry("B-002", "Luis", "", 3),
        RosterEntry("C-003", "Marta", "", 4),
    ]
    rows = [Row(" a-001 "), Row("b\u200b-002"), Row("Z-999", "Zoe")]
    result = match_roster(entries, rows)
    assert [e.student_id for e in result.missing] == ["C-003"]
    assert result.unknown == [Row("Z-999", "Zoe")]


@pytest.mark.parametrize(
    "data",
    [
        b"sep=;\r\nDNI;Nombre\r\nid0;Estudiante 0\r\n",
        b"\xef\xbb\xbfsep=;\nDNI;Nombre\nid0;Estudiante 0\n",
        b"sep=,\nDNI,Nombre\nid0,Estudiante 0\n",
    ],
)
def test_excel_sep_first_line_names_the_separator(tmp_path, data):
    entries, problems = read_roster(write(tmp_path, data))
    assert problems == []
    assert entries == [RosterEntry("id0", "Estudiante 0", "", 3)]


def test_only_an_excel_sep_line_is_an_empty_roster(tmp_path):
    with pytest.raises(ComprendeError, match="vacía"):
        read_roster(write(tmp_path, b"sep=;\n"))


@pytest.mark.parametrize(
    "header",
    [
        # Moodle's participants page, "Download table data as" CSV, Spanish and English.
        "Nombre,Apellido(s),Número de ID,Dirección de correo",
        "First name,Last name,ID number,Email address",
    ],
)
def test_moodle_participants_export_joins_first_and_last_name(tmp_path, header):
    data = f"{header}\nAna,García López,A1,ana@x.org\nNo,Show,id7,n@x.org\n".encode()
    entries, problems = read_roster(write(tmp_path, data))
    assert problems == []
    assert entries == [
        RosterEntry("A1", "Ana García López", "ana@x.org", 2),
        RosterEntry("id7", "No Show", "n@x.org", 3),
    ]


def test_surnames_column_before_the_name_and_a_full_name_column_wins(tmp_path):
    entries, _ = read_roster(write(tmp_path, b"Apellidos;Nombre;DNI\nRuiz;Marta;3\n"))
    assert entries[0].name == "Marta Ruiz"
    data = b"id,Nombre completo,Nombre,Apellidos\n1,Eva Sol Gil,Eva,Sol\n"
    entries, _ = read_roster(write(tmp_path, data))
    assert entries[0].name == "Eva Sol Gil"

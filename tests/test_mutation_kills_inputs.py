"""Finding the class's input files, at their edges: each test kills mutants `make mutation`
left alive in inputs.py.

What is asserted is what the instructor sees: which files are read and in what order,
and for each one refused, its row of errors.csv (where, why, what to do), word for word.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
from pathlib import Path

import pytest

from comprende import inputs
from comprende.outdir import MANIFEST

# ----------------------------------------------------------------------------- helpers


def found(*paths: Path, exclude: tuple[Path, ...] = ()) -> list[tuple[str, str, str]]:
    """``(source, problem, fix)`` of every file found, in the order found."""
    return [(f.source, f.problem, f.fix) for f in inputs.find_inputs(paths, exclude=exclude)]


def sources(*paths: Path, **kwargs) -> list[str]:
    return [source for source, _, _ in found(*paths, **kwargs)]


def write(path: Path, data: bytes | str = b"{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def zip_bytes(members: dict[str, bytes | str], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 11, 27, 9, 0, 0))
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def central(data: bytes, name: str) -> int:
    """Where ``name``'s central directory header starts."""
    start = 0
    while (at := data.find(b"PK\x01\x02", start)) != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
        start = at + 4
    raise AssertionError(name)


def patched(data: bytes, name: str, **fields: int) -> bytes:
    """``data`` with fields of ``name``'s central directory header changed (a crafted zip)."""
    offsets = {"flags": (8, "<H"), "method": (10, "<H"), "compressed": (20, "<L")}
    offsets |= {"size": (24, "<L"), "header": (42, "<L")}
    raw = bytearray(data)
    at = central(data, name)
    for field_name, value in fields.items():
        offset, fmt = offsets[field_name]
        struct.pack_into(fmt, raw, at + offset, value)
    return bytes(raw)


def zip_file(path: Path, members: dict[str, bytes | str], **kwargs) -> Path:
    return write(path, zip_bytes(members, **kwargs))


# ----------------------------------------------------------------------------- folders


def test_a_folder_is_read_in_name_order_without_hidden_or_junk_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for name in (
        "b.json",
        "a.yaml",
        "sub/c.yml",
        "sub/notas.txt",
        ".oculto.json",
        "Thumbs.db",
        "desktop.ini",
        "__MACOSX/x.json",
        ".git/y.json",
        "A.json",
    ):
        write(folder / name)
    found_files = list(inputs.find_inputs([folder]))
    assert [f.source for f in found_files] == [
        str(folder / "A.json"),
        str(folder / "a.yaml"),
        str(folder / "b.json"),
        str(folder / "sub/c.yml"),
        str(folder / "sub/notas.txt"),
    ]
    assert [f.guessed for f in found_files] == [False, False, False, False, True]
    assert all(f.problem == "" and f.read is not None for f in found_files)
    assert found_files[0].read() == b"{}"


def test_a_file_longer_than_the_limit_is_read_one_byte_past_it(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", b"x" * (inputs.MAX_BYTES + 10))
    (one,) = inputs.find_inputs([path])
    assert len(one.read()) == inputs.MAX_BYTES + 1  # enough to say "too large"


def test_an_excluded_folder_a_link_to_it_and_an_excluded_file_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "a.json")
    write(folder / "out" / "gradebook.json")
    write(folder / "skip.json")
    (folder / "enlace").symlink_to(folder / "out")
    (folder / "enlace.json").symlink_to(folder / "skip.json")
    assert sources(folder, exclude=(folder / "out", folder / "skip.json")) == [
        str(folder / "a.json")
    ]
    # Without exclusions everything is read, once (the linked file is the same file).
    assert found(folder) == [
        (str(folder / "a.json"), "", ""),
        (str(folder / "enlace.json"), "", ""),
        (str(folder / "enlace/gradebook.json"), "", ""),
        (
            str(folder / "out"),
            "esta carpeta es un enlace a otra que ya se ha leído: no se lee dos veces",
            "no hace falta hacer nada; si falta alguien, revisa los enlaces de la carpeta",
        ),
    ]


def test_an_unreadable_folder_is_one_error_even_when_it_is_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder os.walk cannot list is reported with its path (it was lost, unreported,
    when no folder came after it)."""
    folder = tmp_path / "in"
    write(folder / "a" / "x.json")
    write(folder / "m" / "y.json")
    (folder / "z").mkdir()
    scandir = os.scandir

    def refusing(path="."):
        if os.path.basename(os.fspath(path)) in ("m", "z"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    assert found(folder) == [
        (str(folder / "a" / "x.json"), "", ""),
        (
            str(folder / "m"),
            "no se puede leer esta carpeta (Permission denied)",
            "comprueba los permisos de la carpeta",
        ),
        (
            str(folder / "z"),
            "no se puede leer esta carpeta (Permission denied)",
            "comprueba los permisos de la carpeta",
        ),
    ]


def test_a_folder_that_vanishes_while_it_is_read_is_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    write(folder / "a" / "x.json")
    write(folder / "a" / "deep" / "w.json")
    write(folder / "b" / "y.json")
    stat = Path.stat
    gone = folder / "a"

    def vanishing(self, **kwargs):
        if self == gone:
            raise FileNotFoundError(2, "No such file or directory", str(self))
        return stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", vanishing)
    assert found(folder) == [
        (str(folder / "b" / "y.json"), "", ""),
        (
            str(gone),
            "no se puede leer esta carpeta (No such file or directory)",
            "comprueba los permisos de la carpeta",
        ),
    ]


def test_a_link_back_to_a_folder_already_read_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "a.json")
    (folder / "vuelta").symlink_to(folder)
    write(folder / "w" / MANIFEST)  # an earlier run's results: not read
    write(folder / "w" / "gradebook.json")
    write(folder / "z" / "b.json")  # the folders after those are read
    assert found(folder) == [
        (str(folder / "a.json"), "", ""),
        (
            str(folder / "vuelta"),
            "esta carpeta es un enlace a otra que ya se ha leído: no se lee dos veces",
            "no hace falta hacer nada; si falta alguien, revisa los enlaces de la carpeta",
        ),
        (
            str(folder / "w"),
            "es una carpeta de resultados de comprende, no de entregas: no se lee",
            "quita esa carpeta de las entradas (o guárdala fuera de la de entregas)",
        ),
        (str(folder / "z" / "b.json"), "", ""),
    ]


def test_a_file_that_fails_in_a_folder_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    write(folder / "a.json")
    write(folder / "b.json")
    naming = inputs._naming

    def failing(parts: tuple[str, ...]):
        if parts[-1] == "a.json":
            raise ValueError("nombre imposible")
        return naming(parts)

    monkeypatch.setattr(inputs, "_naming", failing)
    assert found(folder) == [
        (
            str(folder / "a.json"),
            "no se puede leer el archivo (nombre imposible)",
            "comprueba el archivo y vuelve a ejecutar la corrección",
        ),
        (str(folder / "b.json"), "", ""),
    ]


def test_files_that_cannot_be_graded_are_named_with_why(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "tarea.pdf")
    (folder / "roto.json").symlink_to(tmp_path / "nada.json")
    os.mkfifo(folder / "tubo.json")
    # Moodle's online-text pages, in an extracted download: the LMS's, not an error.
    write(folder / "Ana_12_assignsubmission_onlinetext_" / "onlinetext.html", "<p>hola</p>")
    write(folder / "Bea_13_assignsubmission_onlinetext_onlinetext.html", "<p>hola</p>")
    assert found(folder) == [
        (
            str(folder / "roto.json"),
            "no se puede leer el archivo (No such file or directory)",
            "comprueba la ruta y los permisos (¿un enlace simbólico roto?)",
        ),
        (
            str(folder / "tarea.pdf"),
            "no es un archivo de respuestas (.json, .yaml o .yml)",
            "si el estudiante entregó otro formato, pídele el archivo de respuestas",
        ),
        (
            str(folder / "tubo.json"),
            "no es un archivo normal",
            "entrega solo archivos de respuestas",
        ),
    ]


# ----------------------------------------------------------------------------- LMS names


@pytest.mark.parametrize(
    ("path", "naming"),
    [
        ("Ana López_007_assignsubmission_file_/r.json", ("moodle", "Ana López", "7", False, 0)),
        ("Ana López_000_assignsubmission_file_/r.json", ("moodle", "Ana López", "0", False, 0)),
        ("Ana López_12_assignsubmission_file_r.json", ("moodle", "Ana López", "12", False, 0)),
        ("Ana López_12_assignsubmission_file/r.json", ("moodle", "Ana López", "12", False, 0)),
        ("Participant_12_assignsubmission_file_/r.json", ("moodle", "", "12", False, 0)),
        (
            "lopezgarciaana_0123_456_respuestas.json",
            ("canvas", "lopezgarciaana", "123", False, 456),
        ),
        ("lopez-garcia_late_12345_7_r-1.json", ("canvas", "lopez-garcia", "12345", True, 7)),
        (f"ana_12345_{'9' * 19}_r.json", ("canvas", "ana", "12345", False, 0)),
        (f"ana_12345_{'9' * 18}_r.json", ("canvas", "ana", "12345", False, 10**18 - 1)),
        (" Ana López _12_assignsubmission_file_/r.json", ("moodle", "Ana López", "12", False, 0)),
        ("Ana_María_12_assignsubmission_file_/r.json", ("moodle", "Ana_María", "12", False, 0)),
        (
            "Ana_12_assignsubmission_file_/Bea_13_assignsubmission_file_r.json",
            ("moodle", "Ana", "12", False, 0),
        ),
        ("PARTICIPANTE_12_assignsubmission_file_/r.json", ("moodle", "", "12", False, 0)),
        ("lopezana_1234_99_x/r.json", None),  # Canvas names its files, not folders
        ("ana_12_456_r.json", None),  # a Canvas user id has three digits or more
        ("respuestas.json", None),
        ("", None),
    ],
)
def test_lms_names(path: str, naming: tuple | None) -> None:
    result = inputs.lms_naming(path)
    assert result == (None if naming is None else inputs.LmsNaming(*naming))


def test_the_lms_naming_of_a_file_in_a_download_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "Ana López_007_assignsubmission_file_" / "r.json")
    write(folder / "lopezana_late_1234_99_r.json")
    write(folder / "canvas" / "ruizbea_5678_100_r.json")  # a Canvas zip extracted in a folder
    naming = [f.naming for f in inputs.find_inputs([folder])]
    assert naming == [  # a folder's files come before its subfolders'
        inputs.LmsNaming("canvas", "lopezana", "1234", late=True, attempt=99),
        inputs.LmsNaming("moodle", "Ana López", "7"),
        inputs.LmsNaming("canvas", "ruizbea", "5678", attempt=100),
    ]


# ----------------------------------------------------------------------------- zips


def test_a_zips_members_are_read_in_name_order_without_folders_hidden_or_junk(
    tmp_path: Path,
) -> None:
    path = zip_file(
        tmp_path / "clase.zip",
        {
            "grupo/": b"",
            "grupo/b.json": "{}",
            "grupo/a.txt": "{}",
            "__MACOSX/grupo/._b.json": "x",
            ".DS_Store": "x",
            "A.yml": "{}",
            "sin-extension": "{}",
        },
    )
    found_files = list(inputs.find_inputs([path]))
    assert [(f.source, f.guessed, f.problem) for f in found_files] == [
        (f"{path}!/A.yml", False, ""),
        (f"{path}!/grupo/a.txt", True, ""),
        (f"{path}!/grupo/b.json", False, ""),
        (f"{path}!/sin-extension", True, ""),
    ]
    assert found_files[2].read() == b"{}"


def test_a_damaged_zip_is_one_error_naming_it(tmp_path: Path) -> None:
    path = write(tmp_path / "clase.zip", b"PK\x03\x04 not a zip")
    assert found(path) == [
        (
            str(path),
            "el archivo zip está dañado o no es un zip (File is not a zip file)",
            "descárgalo de nuevo desde la plataforma",
        )
    ]


OVERLAP = (
    "el zip tiene entradas que comparten los mismos datos (un zip manipulado o dañado): no se lee",
    "descárgalo de nuevo desde la plataforma",
)


def test_a_zip_whose_member_runs_into_its_directory_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("respuestas.json", date_time=(2024, 11, 27, 9, 0, 0))
        info.extra = b"\xfe\xca\x00\x00"  # four bytes of extra field, as many zips have
        archive.writestr(info, "{}")
    data = buffer.getvalue()
    assert found(write(tmp_path / "bien.zip", data)) == [
        (f"{tmp_path}/bien.zip!/respuestas.json", "", "")
    ]
    path = write(tmp_path / "clase.zip", patched(data, "respuestas.json", compressed=3))
    assert found(path) == [(str(path), *OVERLAP)]  # its data would end one byte too far


def test_a_zip_whose_member_header_is_past_its_end_is_refused(tmp_path: Path) -> None:
    data = zip_bytes({"a.json": "{}"})
    path = write(tmp_path / "clase.zip", patched(data, "a.json", header=len(data) - 10))
    assert found(path) == [(str(path), *OVERLAP)]


def test_earlier_results_zipped_are_one_error_each(tmp_path: Path) -> None:
    results = (
        "es una carpeta de resultados de comprende, no de entregas: no se lee",
        "quita esa carpeta de las entradas (o guárdala fuera de la de entregas)",
    )
    root = zip_file(tmp_path / "r.zip", {MANIFEST: "{}", "gradebook.json": "{}"})
    assert found(root) == [(str(root), *results)]
    inner = zip_file(
        tmp_path / "s.zip", {f"antes/{MANIFEST}": "{}", "antes/g.json": "{}", "a.json": "{}"}
    )
    assert found(inner) == [(f"{inner}!/antes/", *results), (f"{inner}!/a.json", "", "")]


def test_a_zip_with_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_MEMBERS", 1000)
    members = {f"e{n:04}.json": "{}" for n in range(1000)}
    assert all(p == "" for _, p, _ in found(zip_file(tmp_path / "mil.zip", members)))
    members["e1000.json"] = members["e1001.json"] = "{}"
    path = zip_file(tmp_path / "mil2.zip", members)
    rows = found(path)
    assert len(rows) == 1001
    assert rows[-1] == (
        str(path),
        "el zip tiene más de 1.000 archivos: no se leen los 2 restantes",
        "divide la entrega en varios zips",
    )


def test_a_repeated_member_counts_once(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.json", "{}")
        archive.writestr("a.json", '{"b": 1}')
    path = write(tmp_path / "clase.zip", buffer.getvalue())
    found_files = list(inputs.find_inputs([path]))
    assert [(f.source, f.problem, f.fix) for f in found_files] == [
        (
            f"{path}!/a.json",
            "el zip repite esta entrada con el mismo nombre: solo cuenta la última",
            "si falta una entrega, pide al estudiante que la vuelva a subir",
        ),
        (f"{path}!/a.json", "", ""),
    ]
    assert found_files[1].read() == b'{"b": 1}'


@pytest.mark.parametrize(
    "name",
    [
        "../x.json",
        "a/../../x.json",
        "/x.json",
        "\\x.json",
        "a\\..\\..\\x.json",
        "C:\\x.json",
        "c:/x.json",
    ],
)
def test_a_member_path_out_of_the_zip_is_refused(tmp_path: Path, name: str) -> None:
    path = zip_file(tmp_path / "clase.zip", {name: "{}", "bien.json": "{}"})
    refused = (
        f"{path}!/{name}",
        "la ruta de este archivo sale de la carpeta del zip («..» o ruta absoluta): no se lee",
        "revisa de dónde viene este zip",
    )
    assert found(path) == sorted([refused, (f"{path}!/bien.json", "", "")])


def test_member_names_that_only_look_like_paths_out_are_read(tmp_path: Path) -> None:
    path = zip_file(
        tmp_path / "clase.zip", {"P:r.json": "{}", "a..b.json": "{}", "x\\y.json": "{}"}
    )
    assert found(path) == [(f"{path}!/{n}", "", "") for n in ("P:r.json", "a..b.json", "x\\y.json")]


def test_an_encrypted_member_is_refused_and_other_flags_are_not(tmp_path: Path) -> None:
    data = zip_bytes({"a.json": "{}", "b.json": "{}"})
    data = patched(patched(data, "a.json", flags=0x1), "b.json", flags=0x2)
    path = write(tmp_path / "clase.zip", data)
    assert found(path) == [
        (
            f"{path}!/a.json",
            "el archivo está cifrado con contraseña",
            "pide al estudiante el archivo sin contraseña",
        ),
        (f"{path}!/b.json", "", ""),
    ]


@pytest.mark.parametrize(("method", "said"), [(9, "Deflate64"), (77, "método 77")])
def test_a_compression_method_that_cannot_be_read_is_named(
    tmp_path: Path, method: int, said: str
) -> None:
    path = write(
        tmp_path / "clase.zip", patched(zip_bytes({"a.json": "{}"}), "a.json", method=method)
    )
    assert found(path) == [
        (
            f"{path}!/a.json",
            f"el archivo está comprimido con un método que no se puede leer ({said})",
            "descomprime el zip y vuelve a comprimirlo con la compresión normal (Deflate)",
        )
    ]


def test_the_size_limit_of_a_member(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 1000)
    path = zip_file(tmp_path / "clase.zip", {"a.json": b"x" * 1000, "b.json": b"x" * 1001})
    found_files = list(inputs.find_inputs([path]))
    assert [(f.source, f.problem, f.fix) for f in found_files] == [
        (f"{path}!/a.json", "", ""),
        (
            f"{path}!/b.json",
            "el archivo ocupa 1.001 bytes sin comprimir; el máximo es 1.000",
            "entrega solo el archivo de respuestas",
        ),
    ]
    assert found_files[0].read() == b"x" * 1000  # whole, not cut


def test_the_size_limit_of_a_zip_inside_a_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = zip_bytes({"a.json": "{}"})
    monkeypatch.setattr(inputs, "MAX_NESTED_ZIP_BYTES", len(inner))
    path = zip_file(tmp_path / "clase.zip", {"g1.zip": inner, "g2.zip": inner + b"\0"})
    assert found(path) == [
        (f"{path}!/g1.zip!/a.json", "", ""),
        (
            f"{path}!/g2.zip",
            f"el archivo ocupa {len(inner) + 1} bytes sin comprimir; el máximo es {len(inner)}",
            "entrega solo el archivo de respuestas",
        ),
    ]


BOMB = "parece una bomba zip y no se lee"


@pytest.mark.parametrize(
    ("size", "compressed", "problem"),
    [
        (200_000, 1_000, ""),  # 200×: the largest ratio read
        (200_201, 1_000, f"el archivo se expande 200× al descomprimirlo: {BOMB}"),
        (65_536, 65, ""),  # 1008×, but small enough to read whatever it is
        (65_537, 65, f"el archivo se expande 1008× al descomprimirlo: {BOMB}"),
    ],
)
def test_the_compression_ratio_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, compressed: int, problem: str
) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 10**6)
    data = zip_bytes({"a.json": b"x" * compressed})
    path = write(tmp_path / "clase.zip", patched(data, "a.json", size=size))
    fix = "revisa de dónde viene este zip" if problem else ""
    assert found(path) == [(f"{path}!/a.json", problem, fix)]


def test_the_total_size_limit_of_a_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_ARCHIVE_BYTES", 2000)
    members = {"a.json": b"x" * 1000, "b.json": b"x" * 1000}
    assert found(zip_file(tmp_path / "justo.zip", members))[1][1] == ""
    members["c.json"] = b"x"
    path = zip_file(tmp_path / "clase.zip", members)
    assert found(path)[2] == (
        f"{path}!/c.json",
        "el zip se expande a más de 2.000 bytes: no se leen más archivos",
        "divide la entrega en varios zips",
    )


def test_a_download_kept_inside_a_zip_has_a_budget_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = zip_bytes({"a.json": b"x" * 3000})
    monkeypatch.setattr(inputs, "MAX_ARCHIVE_BYTES", len(inner) + 2000)
    path = zip_file(tmp_path / "todo.zip", {"grupo-a.zip": inner})
    assert found(path) == [(f"{path}!/grupo-a.zip!/a.json", "", "")]


def test_a_plain_zip_inside_a_zip_lists_each_file_it_cannot_read(tmp_path: Path) -> None:
    inner = zip_bytes({"foto.jpg": b"\xff\xd8", "r.json": "{}"})
    path = zip_file(tmp_path / "todo.zip", {"grupo.zip": inner})
    assert found(path) == [
        (
            f"{path}!/grupo.zip!/foto.jpg",
            "no es un archivo de respuestas (.json, .yaml o .yml)",
            "si el estudiante entregó otro formato, pídele el archivo de respuestas",
        ),
        (f"{path}!/grupo.zip!/r.json", "", ""),
    ]


MOODLE = "Ana García_1234567_assignsubmission_file_"


def test_a_students_own_zip_says_once_which_files_are_not_answers(tmp_path: Path) -> None:
    own = zip_bytes({"a.pdf": "x", "b.pdf": "x", "c.txt": "x", "d.pdf": "x", "r.json": "{}"})
    path = zip_file(tmp_path / "moodle.zip", {f"{MOODLE}/entrega.zip": own})
    found_files = list(inputs.find_inputs([path]))
    owner = inputs.LmsNaming("moodle", "Ana García", "1234567")
    assert [(f.source, f.problem, f.fix, f.naming) for f in found_files] == [
        (f"{path}!/{MOODLE}/entrega.zip!/r.json", "", "", owner),
        (
            f"{path}!/{MOODLE}/entrega.zip",
            "el zip tiene 4 archivo(s) que no son de respuestas (a.pdf, b.pdf, c.txt … y 1 más): "
            "no se leen",
            "si falta el archivo de respuestas, pídeselo al estudiante",
            None,
        ),
    ]
    # A Mac's leftovers are skipped silently, as everywhere else.
    own = zip_bytes(
        {
            "a.pdf": "x",
            "b.pdf": "x",
            "c.pdf": "x",
            "r.json": "{}",
            ".DS_Store": "x",
            "__MACOSX/._a.pdf": "x",
            "sub/Thumbs.db": "x",
        }
    )
    path = zip_file(tmp_path / "moodle2.zip", {f"{MOODLE}/entrega.zip": own})
    assert found(path)[1][1] == (
        "el zip tiene 3 archivo(s) que no son de respuestas (a.pdf, b.pdf, c.pdf): no se leen"
    )


def test_a_students_own_zip_has_a_smaller_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_NESTED_MEMBERS", 3)
    own = zip_bytes({"a.pdf": "x", "b.pdf": "x", "c.pdf": "x", "r.json": "{}", "s.json": "{}"})
    path = zip_file(tmp_path / "moodle.zip", {f"{MOODLE}/entrega.zip": own})
    upload = f"{path}!/{MOODLE}/entrega.zip"
    assert found(path) == [
        (
            upload,
            "el zip tiene más de 3 archivos: no se leen los 2 restantes",
            "divide la entrega en varios zips",
        ),
        (
            upload,
            "el zip tiene 3 archivo(s) que no son de respuestas (a.pdf, b.pdf, c.pdf): no se leen",
            "si falta el archivo de respuestas, pídeselo al estudiante",
        ),
    ]
    monkeypatch.setattr(inputs, "MAX_NESTED_MEMBERS", 10)
    monkeypatch.setattr(inputs, "MAX_NESTED_READ", 3000)
    own = zip_bytes({"r.json": b"x" * 2000, "s.json": b"x" * 2000})
    path = zip_file(tmp_path / "moodle2.zip", {f"{MOODLE}/entrega.zip": own})
    assert found(path)[1] == (
        f"{path}!/{MOODLE}/entrega.zip!/s.json",
        "el zip se expande a más de 3.000 bytes: no se leen más archivos",
        "divide la entrega en varios zips",
    )


def test_a_zip_inside_a_students_own_zip_is_not_opened(tmp_path: Path) -> None:
    own = zip_bytes({"mas.zip": zip_bytes({"r.json": "{}"})})
    path = zip_file(tmp_path / "moodle.zip", {f"{MOODLE}/entrega.zip": own})
    assert found(path) == [
        (
            f"{path}!/{MOODLE}/entrega.zip!/mas.zip",
            "zip dentro de un zip dentro de un zip: no se abre",
            "descomprime los zips interiores y vuelve a ejecutar la corrección",
        )
    ]


def test_an_entry_that_fails_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zip_time = inputs.zip_time

    def failing(info: zipfile.ZipInfo) -> float:
        if info.filename == "a.json":
            raise ValueError("fecha imposible")
        return zip_time(info)

    monkeypatch.setattr(inputs, "zip_time", failing)
    path = zip_file(tmp_path / "clase.zip", {"a.json": "{}", "b.json": "{}"})
    assert found(path) == [
        (
            f"{path}!/a.json",
            "no se puede leer esta entrada del zip (fecha imposible)",
            "descárgala de nuevo o pide al estudiante que la entregue otra vez",
        ),
        (f"{path}!/b.json", "", ""),
    ]


def test_a_zip_on_disk_is_opened_once_for_all_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = zip_file(tmp_path / "clase.zip", {f"{n}.json": "{}" for n in "abcd"})
    opened: list[str] = []
    zip_class = zipfile.ZipFile

    class Counting(zip_class):  # type: ignore[misc, valid-type]
        def __init__(self, file, *args, **kwargs) -> None:
            opened.append(str(file))
            super().__init__(file, *args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", Counting)
    assert [f.read() for f in inputs.find_inputs([path])] == [b"{}"] * 4
    assert opened == [str(path)]


# ----------------------------------------------------------------------------- zip times


def info_with(extra: bytes, date_time=(2024, 11, 27, 10, 0, 0)) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("a.json", date_time=date_time)
    info.extra = extra
    return info


def ut(moment: int, flags: int = 1) -> bytes:
    """The extended timestamp field (``UT``) with a modification time."""
    return struct.pack("<HHBi", 0x5455, 5, flags, moment)


def ntfs(filetime: int, attribute: int = 1) -> bytes:
    """The NTFS field: reserved, then attribute 1 (mtime, atime, ctime)."""
    body = struct.pack("<LHHQQQ", 0, attribute, 24, filetime, 0, 0)
    return struct.pack("<HH", 0x000A, len(body)) + body


STAMP = 1_732_701_600  # 2024-11-27 10:00 UTC
FILETIME = (STAMP + 11_644_473_600) * 10_000_000


@pytest.fixture
def madrid(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "Europe/Madrid")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_zip_s_own_utc_time_is_used(madrid) -> None:
    assert inputs.zip_time(info_with(ut(STAMP))) == STAMP
    assert inputs.zip_time(info_with(ut(-86_400))) == -86_400  # 1969: a signed field
    assert inputs.zip_time(info_with(ntfs(FILETIME))) == STAMP
    assert inputs.zip_time(info_with(ntfs(FILETIME + 5_000_000))) == STAMP + 0.5
    # An unknown field first (Info-ZIP's Unix uid/gid), then the time.
    unix = struct.pack("<HHBBLBL", 0x7875, 11, 1, 4, 1000, 4, 1000)
    assert inputs.zip_time(info_with(unix + ut(STAMP))) == STAMP
    assert inputs.zip_time(info_with(unix + ntfs(FILETIME))) == STAMP
    two = struct.pack("<HHH", 0xCAFE, 2, 0)
    assert inputs.zip_time(info_with(unix + two + ut(STAMP))) == STAMP
    big = struct.pack("<HH", 0xCAFE, 40_000) + b"\x01" * 40_000  # a field of over 32 kB
    assert inputs.zip_time(info_with(big + ut(STAMP))) == STAMP


def test_a_utc_field_without_a_modification_time_falls_back(madrid) -> None:
    dos = STAMP - 3600  # 10:00 in Madrid (CET) is 09:00 UTC
    assert inputs.zip_time(info_with(ut(STAMP, flags=0b110))) == dos  # atime, ctime only
    assert inputs.zip_time(info_with(ut(STAMP)[:-1])) == dos  # cut short
    assert inputs.zip_time(info_with(ntfs(FILETIME, attribute=2))) == dos
    assert inputs.zip_time(info_with(ntfs(FILETIME)[:-1])) == dos
    # A short UT field does not borrow the next field's bytes.
    short = struct.pack("<HHBBBB", 0x5455, 4, 1, 0, 0, 0)
    assert inputs.zip_time(info_with(short + ntfs(FILETIME))) == STAMP


def test_the_dos_time_is_read_in_local_time_summer_or_winter(madrid) -> None:
    assert inputs.zip_time(info_with(b"")) == STAMP - 3600  # CET, UTC+1
    summer = info_with(b"", (2024, 7, 1, 12, 0, 0))
    assert inputs.zip_time(summer) == 1_719_828_000  # CEST, UTC+2: 10:00 UTC
    assert inputs.zip_time(info_with(b"", (10**20, 1, 1, 0, 0, 0))) == 0.0


def test_a_time_more_than_a_day_ahead_is_the_oldest(monkeypatch: pytest.MonkeyPatch) -> None:
    now = float(STAMP)
    monkeypatch.setattr(inputs.time, "time", lambda: now)
    assert inputs.zip_time(info_with(ut(STAMP + 86_400))) == STAMP + 86_400
    assert inputs.zip_time(info_with(ut(STAMP + 86_401))) == 0.0
    assert inputs.zip_time(info_with(ntfs(2**64 - 1))) == 0.0  # year 60056


# ----------------------------------------------------------------------------- messages


def test_reasons_are_short_and_never_empty() -> None:
    assert inputs.reason_of(ValueError()) == "ValueError"
    assert inputs.reason_of(ValueError("x" * 300)) == "x" * 300
    assert inputs.reason_of(ValueError("x" * 301)) == "x" * 299 + "…"
    assert inputs.reason_of(ValueError("a\x1bb")) == "a\\u001bb"


def test_a_listing_shows_ten_names_then_how_many_more() -> None:
    names = [f"n{n}" for n in range(12)]
    assert inputs.listing(names) == ", ".join(names[:10]) + " … y 2 más"
    assert inputs.listing(names[:10]) == ", ".join(names[:10])
    assert inputs.listing(names, 3) == "n0, n1, n2 … y 9 más"


def test_a_long_cell_is_cut_with_an_ellipsis() -> None:
    assert inputs.clip("x" * 500) == "x" * 500
    assert inputs.clip("x" * 501) == "x" * 499 + "…"
    assert inputs.clip("abc", 2) == "a…"


def test_one_input_that_cannot_be_walked_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad, good = tmp_path / "grupo-a", tmp_path / "grupo-b"
    write(bad / "a.json")
    write(good / "b.json")
    from_folder = inputs._from_folder

    def failing(path: Path, excluded: set[Path]):
        if path == bad:
            raise OSError("el disco se ha desconectado")
        return from_folder(path, excluded)

    monkeypatch.setattr(inputs, "_from_folder", failing)
    assert found(bad, good) == [
        (
            str(bad),
            "no se puede recorrer esta entrada (el disco se ha desconectado)",
            "comprueba la ruta y los permisos, o entrega esa parte aparte",
        ),
        (str(good / "b.json"), "", ""),
    ]


def test_files_on_two_disks_with_the_same_inode_are_two_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file is known by its device and inode: inode numbers repeat across disks."""
    disks = {"a.json": (1, 5), "b.json": (2, 5), "c.json": (1, 5)}

    def on_disk(path: Path, relative: str):
        yield inputs.Found(str(path), inode=disks[path.name])

    monkeypatch.setattr(inputs, "_from_file", on_disk)
    paths = [tmp_path / name for name in disks]
    assert sources(*paths) == [str(tmp_path / "a.json"), str(tmp_path / "b.json")]


def test_a_zip_in_an_extracted_download_folder_is_that_students(tmp_path: Path) -> None:
    folder = tmp_path / "in" / MOODLE
    own = zip_bytes({"respuestas.json": "{}", "notas.pdf": "x"})
    path = write(folder / "entrega.zip", own)
    found_files = list(inputs.find_inputs([tmp_path / "in"]))
    assert [(f.source, f.problem, f.naming) for f in found_files] == [
        (f"{path}!/respuestas.json", "", inputs.LmsNaming("moodle", "Ana García", "1234567")),
        (
            str(path),
            "el zip tiene 1 archivo(s) que no son de respuestas (notas.pdf): no se leen",
            None,
        ),
    ]


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("respuestas.", True),  # a name ending in a dot has no extension
        (".json", True),  # a hidden file's name, given by hand, is not an extension
        ("analisis.r", False),  # a one-letter extension is one
        ("respuestas.JSON", True),
    ],
)
def test_extensions_at_the_edges(tmp_path: Path, name: str, read: bool) -> None:
    path = write(tmp_path / name)
    (one,) = inputs.find_inputs([path])
    assert (one.problem == "", one.guessed) == (read, read and name != "respuestas.JSON")

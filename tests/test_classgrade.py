"""The grading run (`comprende grade`): every kind of input, with what the instructor sees."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import random
import zipfile
from pathlib import Path

import pytest

from comprende import classgrade, inputs
from comprende.bank import load_bank
from comprende.cli import main as cli_main
from comprende.model import ItemType, round_points
from comprende.submission import MAX_BYTES
from comprende.template import key_answer

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "exercises"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK_DIR)


def answers_file(bank, student_id="e1", name="Ana López", answers=None, module=None) -> dict:
    if answers is None:
        answers = {item.id: key_answer(item) for item in bank.items}
    return {
        "module": module or bank.id,
        "student": {"id": student_id, "name": name},
        "answers": answers,
    }


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(
            data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
            encoding="utf-8",
        )
    return path


def run(bank, *paths, out, **kwargs):
    messages: list[str] = []
    status = classgrade.main(paths=list(paths), out=out, bank=bank, echo=messages.append, **kwargs)
    return status, "\n".join(messages)


def read_csv(path: Path, delimiter=",", encoding="utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def errors(out: Path) -> dict[str, str]:
    return {row["file"]: row["reason"] for row in read_csv(out / "errors.csv")}


def warnings(out: Path) -> list[tuple[str, str, str]]:
    return [(row["file"], row["kind"], row["message"]) for row in read_csv(out / "warnings.csv")]


def gradebook(out: Path) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in read_csv(out / "gradebook.csv")}


# ------------------------------------------------------------------ the outputs of a good run


def test_a_clean_run_writes_every_output(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", answers_file(bank))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        ".comprende-manifest.json",
        "corregir.html",
        "errors.csv",
        "feedback",
        "gradebook-canvas.csv",
        "gradebook-excel.csv",
        "gradebook-moodle.csv",
        "gradebook.csv",
        "gradescope",
        "item_analysis.csv",
        "pending-excel.csv",
        "pending.csv",
        "report.html",
        "warnings.csv",
    ]
    assert [p.name for p in (out / "feedback").iterdir()] == ["e1.html"]
    row = gradebook(out)["e1"]
    open_points = sum(i.points for i in bank.items if i.type == ItemType.OPEN)
    assert row["status"] == "pendiente"
    assert float(row["total"]) == bank.possible - open_points
    assert float(row["maximum"]) == bank.possible
    assert "Corregidos: 1 estudiante(s)" in message
    pending = read_csv(out / "pending.csv")
    assert [p["item"] for p in pending] == [i.id for i in bank.items if i.type == ItemType.OPEN]
    results = json.loads((out / "gradescope" / "e1.results.json").read_text(encoding="utf-8"))
    assert results["score"] == bank.possible - open_points
    assert len(results["tests"]) == len(bank.items)
    assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(
        results["tests"][0]
    )


def test_two_runs_give_byte_identical_output(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    write(tmp_path / "in" / "b.yaml", "module: x\n")
    write(
        tmp_path / "in" / "c.json", answers_file(bank, "c", "Carla", answers={"global-tema": "zz"})
    )
    run(bank, tmp_path / "in", out=tmp_path / "one")
    run(bank, tmp_path / "in", out=tmp_path / "two")

    def snapshot(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_a_rerun_is_refused_then_overwrites_atomically(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    before = (out / "gradebook.csv").read_bytes()
    status, message = run(bank, tmp_path / "in", out=out)
    assert status == 2
    assert "ya contiene resultados: usa --overwrite" in message
    assert (out / "gradebook.csv").read_bytes() == before
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "Berta"))
    assert run(bank, tmp_path / "in", out=out, overwrite=True)[0] == 0
    assert set(gradebook(out)) == {"a", "b"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_cli_exit_statuses(bank, tmp_path, capsys):
    good = write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    args = ["--bank", str(BANK_DIR), "grade"]
    assert cli_main([*args, str(good), "--out", str(tmp_path / "o1")]) == 0
    write(tmp_path / "in" / "bad.json", "{")
    assert cli_main([*args, str(tmp_path / "in"), "--out", str(tmp_path / "o2")]) == 1
    assert cli_main([*args, str(tmp_path / "nothing"), "--out", str(tmp_path / "o3")]) == 2
    assert "no existe" in capsys.readouterr().err
    assert (
        cli_main(["--bank", str(tmp_path), "grade", str(good), "--out", str(tmp_path / "o4")]) == 2
    )
    assert not (tmp_path / "o3").exists()


def test_out_inside_the_input_folder_is_refused(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "in" / "grades")
    assert status == 2 and "grades" in message
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["a.json"]


# ------------------------------------------------------------------ bad input, one case each

BAD_FILES = {
    "malformed.json": ('{"module": "x",', "el archivo no es JSON válido"),
    "empty.json": ("", "el archivo está vacío"),
    "list.json": ("[1, 2]", "el archivo debe ser un objeto con `module`, `student` y `answers`"),
    "tag.yaml": ("module: !!python/object:os.system x\n", "no se admiten etiquetas YAML"),
    "alias.yaml": ("a: &a [1, 2]\nb: [*a, *a]\n", "no se admiten alias YAML (*nombre)"),
    "nostudent.json": ('{"module": "putin-kazajistan-2024", "answers": {}}', "faltan tus datos"),
    "notes.txt": ("hola", "no es un archivo de respuestas (.json, .yaml o .yml)"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_listed_and_the_others_are_graded(bank, tmp_path, name):
    content, reason = BAD_FILES[name]
    write(tmp_path / "in" / name, content)
    write(tmp_path / "in" / "good.json", answers_file(bank, "g", "Gil"))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 1
    assert "1 archivo(s) NO corregido(s)" in message
    found = errors(tmp_path / "out")
    assert list(found) == [str(tmp_path / "in" / name)]
    assert reason in found[str(tmp_path / "in" / name)]
    assert list(gradebook(tmp_path / "out")) == ["g"]


def test_another_modules_file(bank, tmp_path):
    write(tmp_path / "in" / "x.json", answers_file(bank, module="otro-modulo"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    assert errors(tmp_path / "out") == {
        str(
            tmp_path / "in" / "x.json"
        ): f"este archivo es del módulo «otro-modulo», no de «{bank.id}»"
    }


def test_unknown_items(bank, tmp_path):
    answers = {item.id: key_answer(item) for item in bank.items} | {"pregunta-inventada": "a"}
    write(tmp_path / "in" / "some.json", answers_file(bank, "s", "Sara", answers=answers))
    write(tmp_path / "in" / "none.json", answers_file(bank, "n", "Nuria", answers={"p-1": "a"}))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    out = tmp_path / "out"
    assert errors(out)[str(tmp_path / "in" / "none.json")].startswith(
        "ninguna respuesta corresponde a una pregunta de este módulo (p-1)"
    )
    assert (
        str(tmp_path / "in" / "some.json"),
        "pregunta desconocida",
        "se ignoran respuestas a preguntas que no existen: pregunta-inventada",
    ) in warnings(out)
    assert list(gradebook(out)) == ["s"]


def test_missing_and_invalid_answers_score_zero_and_are_flagged(bank, tmp_path):
    first = bank.items[0]
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers={first.id: [1, 2]}))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    row = gradebook(tmp_path / "out")["a"]
    assert row["total"] == "0"
    assert row["notes"] == "1 respuesta(s) no válida(s)"
    assert "respuesta no válida" in [w[1] for w in warnings(tmp_path / "out")]


def test_encodings_are_read_with_a_warning(bank, tmp_path):
    data = answers_file(bank, "e", "Íñigo Peña")
    text = json.dumps(data, ensure_ascii=False)
    write(tmp_path / "bom" / "a.json", codecs.BOM_UTF8 + text.encode())
    write(tmp_path / "u16" / "a.json", text.encode("utf-16"))
    write(tmp_path / "cp" / "a.json", text.encode("cp1252"))
    for folder, warned in (("bom", False), ("u16", True), ("cp", True)):
        out = tmp_path / f"out-{folder}"
        assert run(bank, tmp_path / folder, out=out)[0] == 0
        assert gradebook(out)["e"]["name"] == "Íñigo Peña"
        kinds = [w[1] for w in warnings(out)]
        assert ("codificación" in kinds) is warned


def test_an_oversized_file(bank, tmp_path):
    write(tmp_path / "in" / "big.json", b"{" + b" " * MAX_BYTES + b"}")
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    assert "el máximo es 1.048.576" in errors(tmp_path / "out")[str(tmp_path / "in" / "big.json")]


def test_two_files_for_one_student_the_newest_counts(bank, tmp_path):
    old = write(tmp_path / "in" / "z-old.json", answers_file(bank, "A1", "Ana", answers={}))
    new = write(tmp_path / "in" / "a-new.json", answers_file(bank, "a1", "Ana"))
    os.utime(old, (1_000_000_000, 1_000_000_000))
    os.utime(new, (1_100_000_000, 1_100_000_000))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 0
    assert "1 archivo(s) sustituido(s)" in message
    book = gradebook(tmp_path / "out")
    assert list(book) == ["a1"]
    assert book["a1"]["file"] == str(new)
    assert f"cuenta el más reciente ({new})" in book["a1"]["notes"]
    assert (str(old), "duplicado", f"otro archivo del mismo estudiante cuenta: {new}") in warnings(
        tmp_path / "out"
    )
    assert float(book["a1"]["total"]) > 0
    # the same times: the last by path counts
    os.utime(old, (1_100_000_000, 1_100_000_000))
    run(bank, tmp_path / "in", out=tmp_path / "out2")
    assert gradebook(tmp_path / "out2")["A1"]["file"] == str(old)


# ------------------------------------------------------------------ zips and LMS downloads


def make_zip(path: Path, members: dict[str, bytes | str], **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in members.items():
            archive.writestr(
                zipfile.ZipInfo(name, (2024, 11, 27, 10, 0, 0)),
                data.encode() if isinstance(data, str) else data,
                zipfile.ZIP_DEFLATED,
            )
    return path


def test_moodle_download(bank, tmp_path):
    archive = make_zip(
        tmp_path / "moodle.zip",
        {
            "Ana López García_101_assignsubmission_file_/respuestas.json": json.dumps(
                answers_file(bank, "e1", "Ana López García")
            ),
            "Berto Ruiz_102_assignsubmission_file_/respuestas.json": json.dumps(
                answers_file(bank, "e2", "Carla Gómez")
            ),
            "Berto Ruiz_102_assignsubmission_file_/trabajo.pdf": "%PDF",
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 1
    out = tmp_path / "out"
    book = gradebook(out)
    assert (book["e1"]["lms"], book["e1"]["lms_id"], book["e1"]["notes"]) == ("moodle", "101", "")
    mismatch = (
        "el nombre del archivo (Carla Gómez) no coincide con el de Moodle (Berto Ruiz, id 102)"
    )
    assert book["e2"]["notes"] == mismatch
    assert (
        f"{archive}!/Berto Ruiz_102_assignsubmission_file_/respuestas.json",
        "nombre distinto",
        mismatch,
    ) in warnings(out)
    assert list(errors(out)) == [f"{archive}!/Berto Ruiz_102_assignsubmission_file_/trabajo.pdf"]
    moodle = read_csv(out / "gradebook-moodle.csv")
    assert moodle[0]["Identifier"] == "Participant 101"
    assert moodle[0]["ID number"] == "e1"


def test_canvas_download(bank, tmp_path):
    archive = make_zip(
        tmp_path / "canvas.zip",
        {
            "lopezgarciaana_2001_9001_respuestas.json": json.dumps(
                answers_file(bank, "e1", "Ana López García")
            ),
            "ruizberto_LATE_2002_9002_respuestas-1.json": json.dumps(
                answers_file(bank, "e2", "Berto Ruiz")
            ),
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 0
    book = gradebook(tmp_path / "out")
    assert (book["e1"]["lms"], book["e1"]["lms_id"], book["e1"]["notes"]) == ("canvas", "2001", "")
    assert book["e2"]["notes"] == "entregado tarde (Canvas)"
    canvas = read_csv(tmp_path / "out" / "gradebook-canvas.csv")
    assert canvas[0]["Student"] == "    Points Possible"
    assert (canvas[1]["ID"], canvas[1]["SIS User ID"]) == ("2001", "e1")


def test_lms_naming():
    naming = inputs.lms_naming("Ana López_12_assignsubmission_file_/a.json")
    assert naming == inputs.LmsNaming("moodle", "Ana López", "12")
    assert inputs.lms_naming("Ana López_12_assignsubmission_file_a.json").lms_id == "12"
    assert inputs.lms_naming("smithjohn_late_123_456_a.json").late
    assert inputs.lms_naming("respuestas.json") is None
    assert inputs.name_matches(naming, "ana lopez")
    assert not inputs.name_matches(naming, "Ana")
    canvas = inputs.LmsNaming("canvas", "lopezgarciaana", "1")
    assert inputs.name_matches(canvas, "Ana López García")
    assert not inputs.name_matches(canvas, "Ana García")


def test_zip_path_traversal_is_refused(bank, tmp_path):
    archive = make_zip(
        tmp_path / "evil.zip",
        {
            "../../escape.json": json.dumps(answers_file(bank, "x", "X")),
            "/abs.json": json.dumps(answers_file(bank, "y", "Y")),
            "ok/good.json": json.dumps(answers_file(bank, "z", "Z")),
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 1
    found = errors(tmp_path / "out")
    assert sorted(found) == sorted([f"{archive}!//abs.json", f"{archive}!/../../escape.json"])
    assert all("sale de la carpeta del zip" in reason for reason in found.values())
    assert list(gradebook(tmp_path / "out")) == ["z"]
    assert not (tmp_path / "escape.json").exists()


def test_zip_bombs_are_refused(bank, tmp_path, monkeypatch):
    archive = make_zip(
        tmp_path / "bomb.zip",
        {
            "big.json": b" " * (MAX_BYTES + 10),  # over the file limit
            "ratio.zip": b"\0" * (2 * 1024 * 1024),  # compresses ~1000×
            "good.json": json.dumps(answers_file(bank, "g", "Gil")),
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 1
    found = errors(tmp_path / "out")
    assert "el máximo es 1.048.576" in found[f"{archive}!/big.json"]
    assert "parece una bomba zip" in found[f"{archive}!/ratio.zip"]
    monkeypatch.setattr(inputs, "MAX_ARCHIVE_BYTES", 1000)
    assert run(bank, archive, out=tmp_path / "out2")[0] == 1
    assert (
        "el zip se expande a más de 1.000 bytes"
        in errors(tmp_path / "out2")[f"{archive}!/good.json"]
    )


def test_nested_zips_one_level(bank, tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.json", json.dumps(answers_file(bank, "a", "Ana")))
        deeper = io.BytesIO()
        with zipfile.ZipFile(deeper, "w") as third:
            third.writestr("b.json", json.dumps(answers_file(bank, "b", "Berta")))
        archive.writestr("deeper.zip", deeper.getvalue())
    outer = make_zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue()})
    assert run(bank, outer, out=tmp_path / "out")[0] == 1
    assert list(gradebook(tmp_path / "out")) == ["a"]
    assert gradebook(tmp_path / "out")["a"]["file"] == f"{outer}!/inner.zip!/a.json"
    assert errors(tmp_path / "out") == {
        f"{outer}!/inner.zip!/deeper.zip": "zip dentro de un zip dentro de un zip: no se abre"
    }


def test_a_damaged_zip(bank, tmp_path):
    write(tmp_path / "in" / "broken.zip", b"PK\x03\x04 not really")
    write(tmp_path / "in" / "good.json", answers_file(bank, "g", "Gil"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 1
    assert (
        "el archivo zip está dañado"
        in errors(tmp_path / "out")[str(tmp_path / "in" / "broken.zip")]
    )


# ------------------------------------------------------------------ hostile student text


def test_formulas_and_html_from_students_are_neutralised(bank, tmp_path):
    short = next(i for i in bank.items if i.type == ItemType.SHORT)
    open_item = next(i for i in bank.items if i.type == ItemType.OPEN)
    # an open answer goes to pending.csv, which lists only the answered ones
    answers = {short.id: "<script>alert(1)</script>", open_item.id: "=1+1 es mi respuesta"}
    write(
        tmp_path / "in" / "a.json",
        answers_file(bank, "=cmd|'/c calc'!A1", "@SUM(1+1) <b>Eva</b>", answers=answers),
    )
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    out = tmp_path / "out"
    csvs = sorted(out.rglob("*.csv"))  # every CSV of the run, pending.csv included
    assert {"gradebook.csv", "pending.csv", "pending-excel.csv"} <= {p.name for p in csvs}
    for path in csvs:
        delimiter = ";" if "excel" in path.name else ","
        for row in csv.reader(path.open(encoding="utf-8-sig"), delimiter=delimiter):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), (path, row)
    assert gradebook(out)["'=cmd|'/c calc'!A1"]["name"] == "'@SUM(1+1) <b>Eva</b>"
    page = next((out / "feedback").iterdir()).read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Eva&lt;/b&gt;" in page


def test_no_key_leaves_the_key_out(bank, tmp_path):
    single = next(i for i in bank.items if i.type == ItemType.SINGLE)
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers={single.id: None}))
    run(bank, tmp_path / "in", out=tmp_path / "with")
    run(bank, tmp_path / "in", out=tmp_path / "without", include_key=False)
    with_key = (tmp_path / "with" / "feedback" / "a.html").read_text(encoding="utf-8")
    without = (tmp_path / "without" / "feedback" / "a.html").read_text(encoding="utf-8")
    assert "Respuesta correcta" in with_key and "Explicación" in with_key
    assert "Respuesta correcta" not in without and "Explicación" not in without
    # The evidence sentence would give the key away: only the paragraph is named.
    assert "En el texto (párrafo" in with_key and "En el texto (párrafo" not in without
    assert "Vuelve a leer el párrafo" in without


# ------------------------------------------------------------------ a class of 200


def expected_points(item, kind: str) -> float | None:
    """Points for the answers this test builds, worked out without the grader."""
    if item.type == ItemType.OPEN:
        return None if kind != "missing" else 0.0
    if kind == "key":
        return item.points
    if kind == "half" and item.type == ItemType.MULTIPLE:
        right = [o for o in item.options if o.correct]
        wrong = len(item.options) - len(right)
        return round_points(item.points * max(0.0, 1 / len(right) - 1 / wrong))
    if kind == "half" and item.type == ItemType.CLOZE:
        return round_points(item.points / len(item.blanks))
    return 0.0


def build_answer(item, kind: str):
    if kind == "missing":
        return None
    if kind == "key":
        return key_answer(item)
    match item.type:
        case ItemType.TRUE_FALSE:
            return not item.key
        case ItemType.SINGLE:
            return next(o.id for o in item.options if not o.correct)
        case ItemType.MULTIPLE:
            wrong = next(o.id for o in item.options if not o.correct)
            return (
                [next(o.id for o in item.options if o.correct), wrong]
                if kind == "half"
                else [wrong]
            )
        case ItemType.SHORT:
            return "zzzz"
        case ItemType.NUMERIC:
            return item.key + 1000
        case ItemType.CLOZE:
            names = [name for name, _ in item.blanks]
            return {
                name: (key.accept[0] if name == names[0] and kind == "half" else "zzzz")
                for name, key in item.blanks
            }
        case ItemType.MATCHING:
            lefts = list(item.pairs)
            rights = [item.pairs[left] for left in lefts]
            return dict(zip(lefts, rights[1:] + rights[:1], strict=True))
        case ItemType.ORDERING:
            return [e.id for e in reversed(item.elements)]
        case ItemType.OPEN:
            return "Mi respuesta."


def test_a_class_of_200_every_cell_checked(bank, tmp_path):
    rng = random.Random(6)
    expected = {}
    for number in range(200):
        kinds = {
            item.id: rng.choice(["key", "key", "wrong", "missing", "half"]) for item in bank.items
        }
        answers = {item.id: build_answer(item, kinds[item.id]) for item in bank.items}
        student_id = f"E{number:03d}"
        source = write(
            tmp_path / "in" / f"{student_id}.json",
            answers_file(bank, student_id, f"Estudiante {number}", answers=answers),
        )
        expected[student_id] = (
            str(source),
            {i.id: expected_points(i, kinds[i.id]) for i in bank.items},
        )
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    assert [r["id"] for r in rows] == sorted(expected)
    for row in rows:
        source, points = expected[row["id"]]
        assert row["name"] == f"Estudiante {int(row['id'][1:])}"
        assert row["file"] == source
        for item in bank.items:
            value = points[item.id]
            assert row[item.id] == ("" if value is None else f"{value:g}"), (row["id"], item.id)
        total = round_points(sum(v for v in points.values() if v is not None))
        assert float(row["total"]) == total
        assert float(row["maximum"]) == bank.possible
        assert float(row["percentage"]) == round_points(100 * total / bank.possible)
        pending = sum(v is None for v in points.values())
        assert row["status"] == ("pendiente" if pending else "corregido")
        assert int(row["pending"]) == pending
    excel = (tmp_path / "out" / "gradebook-excel.csv").read_bytes()
    assert excel.startswith(codecs.BOM_UTF8)
    excel_rows = read_csv(tmp_path / "out" / "gradebook-excel.csv", ";", "utf-8-sig")
    assert [r["total"].replace(",", ".") for r in excel_rows] == [r["total"] for r in rows]
    # the item analysis agrees with the gradebook
    analysis = {r["item"]: r for r in read_csv(tmp_path / "out" / "item_analysis.csv")}
    for item in bank.items:
        if item.type == ItemType.OPEN:
            assert item.id not in analysis
            continue
        mean = sum(expected[s][1][item.id] for s in expected) / 200
        assert float(analysis[item.id]["mean"]) == pytest.approx(mean, abs=5e-4)
        assert analysis[item.id]["n"] == "200"
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert report.count("<svg") == 2 and "KR-20" in report

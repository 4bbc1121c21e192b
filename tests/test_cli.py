"""The `comprende` command: template, check, items, schema, as a student or author uses them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from comprende.cli import main

from .conftest import ROOT


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comprende.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        check=False,
    )


def test_template_with_key_pipes_into_check_with_full_marks() -> None:
    template = run("template", "--with-key")
    assert template.returncode == 0
    check = run("check", "-", stdin=template.stdout)
    assert check.returncode == 0, check.stdout
    assert "archivo válido" in check.stdout
    from comprende.bank import load_bank

    auto = sum(i.points for i in load_bank(ROOT / "exercises").items if i.auto_graded)
    assert f"{auto:g} de {auto:g} puntos" in check.stdout
    assert "pendiente" in check.stdout


def test_unfilled_template_reports_every_item_unanswered(tmp_path: Path) -> None:
    from comprende.bank import load_bank

    path = tmp_path / "plantilla.yaml"
    assert main(["template", "-o", str(path)]) == 0
    check = run("check", str(path))
    bank = load_bank(ROOT / "exercises")
    for item in bank.items:
        assert f"la pregunta «{item.id}» está sin responder" in check.stdout
    assert "falta tu nombre" in check.stdout
    assert check.returncode == 1


def test_filled_template_is_valid(tmp_path: Path) -> None:
    text = (
        run("template")
        .stdout.replace('id: ""', 'id: "A1"', 1)
        .replace('name: ""', 'name: "Ana Pérez"', 1)
    )
    text = text.replace("  global-tema:\n", '  global-tema: "b"\n')
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    check = run("check", str(path))
    assert check.returncode == 0
    from comprende.bank import load_bank

    assert f"{len(load_bank(ROOT / 'exercises').items) - 1} sin responder" in check.stdout
    assert "global-tema (opción única): incorrecta, 0/1" in check.stdout


def test_check_in_exam_mode_shows_no_score() -> None:
    check = run("check", "-", "--mode", "exam", stdin=run("template", "--with-key").stdout)
    assert check.returncode == 0
    assert "Puntuación" not in check.stdout and "correcta" not in check.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "no es JSON válido"),
        (
            '{"module": "otro", "student": {"id": "1", "name": "A"}, "answers": {}}',
            "es del módulo «otro»",
        ),
        (
            '{"module": "putin-kazajistan-2024", "student": {"id": "1", "name": "A"}, '
            '"answers": {"no-existe": 1}}',
            "la pregunta «no-existe» no existe",
        ),
        (
            '{"module": "putin-kazajistan-2024", "student": {"id": "1", "name": "A"}, '
            '"answers": {"detalle-fecha": "ochenta"}}',
            "no tiene la forma esperada",
        ),
        ("[1, 2]", "debe ser un objeto"),
        ("", "está vacío"),
    ],
)
def test_check_reports_bad_files_in_spanish(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    check = run("check", str(path))
    assert check.returncode == 1
    assert expected in check.stdout
    assert "NO es válido" in check.stdout


def test_check_gives_the_line_of_a_bad_answer(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(
        json.dumps(
            {
                "module": "putin-kazajistan-2024",
                "student": {"id": "1", "name": "A"},
                "answers": {"global-tema": "c", "detalle-fecha": "ochenta"},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    check = run("check", str(path))
    assert f"{path}:9: error" in check.stdout
    assert "escribe el número" in check.stdout


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    check = run("check", str(tmp_path / "nada.json"))
    assert check.returncode == 1
    assert "no se puede leer el archivo" in check.stdout


def test_items_lists_the_bank() -> None:
    listing = json.loads(run("items", "--json").stdout)
    assert len(listing) >= 36
    assert {"id", "type", "paragraphs", "skill", "level", "points"} <= set(listing[0])
    table = run("items").stdout
    assert "detalle-ciudad" in table and "points, bank putin-kazajistan-2024" in table


def test_schema_accepts_the_key_and_rejects_wrong_shapes() -> None:
    import yaml

    schema = json.loads(run("schema").stdout)
    key = yaml.safe_load(run("template", "--with-key").stdout)
    jsonschema.validate(key, schema)
    key["answers"]["global-tema"] = "z"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(key, schema)


def test_broken_bank_exits_2_with_the_error(tmp_path: Path) -> None:
    (tmp_path / "module.yaml").write_text(
        "id: x\nsets: [nope]\narticle: ../seeds/x.txt\n", encoding="utf-8"
    )
    result = run("--bank", str(tmp_path), "items")
    assert result.returncode == 2
    assert "cannot be loaded" in result.stderr


def test_grade_gradebook_only_writes_no_per_student_files(tmp_path: Path) -> None:
    key = tmp_path / "clave.yaml"
    key.write_text(run("template", "--with-key").stdout, encoding="utf-8")
    result = run("grade", str(key), "--out", str(tmp_path / "notas"), "--gradebook-only")
    assert result.returncode == 0, result.stderr
    written = {p.name for p in (tmp_path / "notas").iterdir()}
    assert {"gradebook.csv", "report.html", "item_analysis.csv", "errors.csv"} <= written
    assert not {"feedback", "gradescope"} & written
    assert "clave" in (tmp_path / "notas" / "gradebook.csv").read_text(encoding="utf-8")

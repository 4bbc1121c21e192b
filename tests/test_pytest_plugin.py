"""The pytest route: one test per submitted file, outputs written at the end of the session."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from comprende.bank import load_bank
from comprende.template import key_answer

pytest_plugins = ["pytester"]

BANK_DIR = Path(__file__).resolve().parent.parent / "exercises"


@pytest.fixture(scope="module")
def good_file() -> str:
    bank = load_bank(BANK_DIR)
    return json.dumps(
        {
            "module": bank.id,
            "student": {"id": "e1", "name": "Ana"},
            "answers": {item.id: key_answer(item) for item in bank.items},
        }
    )


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(
        "-p",
        "no:cacheprovider",
        f"--rootdir={pytester.path}",
        f"--comprende-bank={BANK_DIR}",
        *args,
    )


def test_one_test_per_file_and_outputs_written(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    (pytester.path / "subs" / "bad.json").write_text("{", encoding="utf-8")
    result = run(
        pytester,
        "--comprende-submissions",
        "subs",
        "--comprende-out",
        "grades",
        "--junitxml",
        "junit.xml",
    )
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*subs/bad.json: no corregido: el archivo no es JSON válido*",
            "*comprende: grading run*",
            "*Resultados en grades/*",
        ]
    )
    grades = pytester.path / "grades"
    assert (
        (grades / "gradebook.csv").read_text(encoding="utf-8").splitlines()[1].startswith("e1,Ana,")
    )
    assert "subs/bad.json" in (grades / "errors.csv").read_text(encoding="utf-8")
    assert (grades / "feedback" / "e1.html").exists()
    junit = (pytester.path / "junit.xml").read_text(encoding="utf-8")
    assert 'name="total"' in junit


def test_all_good_passes(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    result = run(pytester, "--comprende-submissions", "subs/ana.json", "--comprende-out", "out")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
    assert (pytester.path / "out" / "report.html").exists()


def test_inactive_without_the_option(pytester):
    pytester.makepyfile("def test_x():\n    pass\n")
    result = run(pytester)
    result.assert_outcomes(passed=1)
    assert "grading run" not in result.stdout.str()
    assert not (pytester.path / "grades").exists()


def test_an_earlier_run_is_not_replaced(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    (pytester.path / "grades").mkdir()
    (pytester.path / "grades" / "gradebook.csv").write_text("old", encoding="utf-8")
    for extra in ((), ("--comprende-overwrite",)):  # not comprende's folder: never replaced
        result = run(
            pytester, "--comprende-submissions", "subs", "--comprende-out", "grades", *extra
        )
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(["*no la ha escrito comprende*gradebook.csv*"])
        assert (pytester.path / "grades" / "gradebook.csv").read_text(encoding="utf-8") == "old"
    args = ("--comprende-submissions", "subs", "--comprende-out", "ours")
    assert run(pytester, *args).ret == pytest.ExitCode.OK
    first = (pytester.path / "ours" / "gradebook.csv").read_bytes()
    result = run(pytester, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--overwrite*"])
    assert run(pytester, *args, "--comprende-overwrite").ret == pytest.ExitCode.OK
    assert (pytester.path / "ours" / "gradebook.csv").read_bytes() == first


def test_collect_only_writes_nothing(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    result = run(
        pytester,
        "--comprende-submissions",
        "subs",
        "--comprende-out",
        "grades",
        "--collect-only",
        "-q",
    )
    result.stdout.fnmatch_lines(["*subs/ana.json*"])
    assert not (pytester.path / "grades").exists()
    assert [p.name for p in pytester.path.iterdir() if p.name.startswith(".grades")] == []


def test_bad_files_are_reported_one_line_each_unless_asked(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    for name in ("x.json", "y.json"):
        (pytester.path / "subs" / name).write_text("{", encoding="utf-8")
    result = run(pytester, "--comprende-submissions", "subs", "--comprende-out", "grades")
    result.assert_outcomes(passed=1, failed=2)
    assert not any(line.startswith("____") for line in result.outlines)
    long = run(pytester, "--comprende-submissions", "subs", "--comprende-out", "g2", "--tb=long")
    assert any(line.startswith("____") for line in long.outlines)


# ------------------------------------------------------------------ the route's own rules


def three_files(pytester: pytest.Pytester, good_file: str) -> None:
    pytester.mkdir("subs")
    for name in ("a.json", "c.json"):
        data = json.loads(good_file)
        data["student"]["id"] = name[0]
        (pytester.path / "subs" / name).write_text(json.dumps(data), encoding="utf-8")
    (pytester.path / "subs" / "b.json").write_text("{", encoding="utf-8")


@pytest.mark.parametrize(
    "partial",
    [("-x",), ("--maxfail=1",), ("-k", "a.json"), ("--deselect", "comprende::subs/c.json")],
    ids=["x", "maxfail", "k", "deselect"],
)
def test_a_partial_run_never_replaces_a_complete_gradebook(pytester, good_file, partial):
    three_files(pytester, good_file)
    args = ("--comprende-submissions", "subs", "--comprende-out", "grades")
    run(pytester, *args).assert_outcomes(passed=2, failed=1)
    before = (pytester.path / "grades" / "gradebook.csv").read_bytes()
    result = run(pytester, *args, "--comprende-overwrite", *partial)
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*No se ha escrito nada en grades*corrección parcial*"])
    assert (pytester.path / "grades" / "gradebook.csv").read_bytes() == before
    assert [p.name for p in pytester.path.iterdir() if p.name.startswith(".grades")] == []


def test_a_file_that_crashes_the_grader_is_an_error_row(pytester, good_file, monkeypatch):
    from comprende import classgrade

    three_files(pytester, good_file)
    first = next(iter(json.loads(good_file)["answers"]))
    real = classgrade.grade_item

    def buggy(item, answer):
        if item.id == first and answer is not None:
            raise RuntimeError("boom")
        return real(item, answer)

    monkeypatch.setattr(classgrade, "grade_item", buggy)  # the plugin runs in this process
    result = run(pytester, "--comprende-submissions", "subs", "--comprende-out", "grades")
    result.assert_outcomes(failed=3)
    rows = (pytester.path / "grades" / "errors.csv").read_text(encoding="utf-8")
    assert rows.count("error interno") == 2 and "RuntimeError" in rows
    result.stdout.fnmatch_lines(["*3 archivo(s) NO corregido(s)*"])


def test_file_names_reach_the_terminal_escaped(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "e\x1b[2Jvil\u202e.json").write_text("{", encoding="utf-8")
    result = run(pytester, "--comprende-submissions", "subs", "--comprende-out", "grades", "-v")
    text = "\n".join(result.outlines + result.errlines)
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\u001b" in text


def test_run_from_a_project_root_grades_only_the_submissions(pytester, good_file):
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_own.py").write_text(
        "def test_the_projects_own():\n    assert False\n", encoding="utf-8"
    )
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    result = run(pytester, "--comprende-submissions", "subs", "--comprende-out", "grades")
    result.assert_outcomes(passed=1)
    assert "test_the_projects_own" not in result.stdout.str()
    assert result.ret == pytest.ExitCode.OK


def test_the_route_takes_marks_like_the_command(pytester, good_file, tmp_path):
    from comprende.bank import load_bank

    bank = load_bank(BANK_DIR)
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    args = ("--comprende-submissions", "subs", "--comprende-out", "first")
    assert run(pytester, *args).ret == pytest.ExitCode.OK
    pending = (pytester.path / "first" / "pending.csv").read_text(encoding="utf-8")
    lines = pending.splitlines()
    header = lines[0].split(",")
    score = header.index("score")
    filled = [lines[0]]
    for line in lines[1:]:
        cells = next(iter(csv.reader([line])))
        item = bank.by_id[cells[header.index("item")]]
        cells[score] = str(item.points)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(cells)
        filled.append(buffer.getvalue())
    (tmp_path / "notas.csv").write_text("\n".join(filled) + "\n", encoding="utf-8")
    result = run(
        pytester,
        "--comprende-submissions",
        "subs",
        "--comprende-out",
        "second",
        "--comprende-marks",
        str(tmp_path / "notas.csv"),
        "--comprende-scale",
        "10",
    )
    assert result.ret == pytest.ExitCode.OK
    book = (pytester.path / "second" / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    head, row = book[0].split(","), book[1].split(",")
    assert row[head.index("status")] == "corregido"
    assert row[head.index("grade_10")] == "10"


def test_a_refused_commit_is_reported_not_an_internal_error(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    args = ("--comprende-submissions", "subs", "--comprende-out", "grades")
    assert run(pytester, *args).ret == pytest.ExitCode.OK
    before = (pytester.path / "grades" / "gradebook.csv").read_bytes()
    pytester.makeconftest(
        """
        import pathlib, pytest

        @pytest.hookimpl(tryfirst=True)
        def pytest_sessionfinish(session):
            # The instructor opens the gradebook meanwhile: LibreOffice drops a lock file.
            pathlib.Path("grades/.~lock.gradebook.csv#").write_text("x")
        """
    )
    result = run(pytester, *args, "--comprende-overwrite")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(["*No se ha escrito nada en grades*"])
    assert (pytester.path / "grades" / "gradebook.csv").read_bytes() == before


def test_the_route_works_without_the_terminal_plugin(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    result = run(
        pytester, "-p", "no:terminal", "--comprende-submissions", "subs", "--comprende-out", "g"
    )
    assert result.ret == pytest.ExitCode.OK
    assert (pytester.path / "g" / "gradebook.csv").exists()


def test_a_junit_report_inside_the_results_folder_is_a_usage_error(pytester, good_file):
    pytester.mkdir("subs")
    (pytester.path / "subs" / "ana.json").write_text(good_file, encoding="utf-8")
    result = run(
        pytester,
        "--comprende-submissions",
        "subs",
        "--comprende-out",
        "notas",
        "--junitxml=notas/junit.xml",
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--junitxml*dentro de --comprende-out*"])
    assert not (pytester.path / "notas").exists()


def test_many_per_student_zips_do_not_run_out_of_open_files(pytester, good_file):
    import resource
    import zipfile

    pytester.mkdir("subs")
    for number in range(120):
        data = json.loads(good_file)
        data["student"]["id"] = f"e{number}"
        with zipfile.ZipFile(pytester.path / "subs" / f"e{number:03}.zip", "w") as archive:
            archive.writestr("respuestas.json", json.dumps(data))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(100, hard), hard))
    try:
        result = run(pytester, "--comprende-submissions", "subs", "--comprende-out", "notas")
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    rows = (pytester.path / "notas" / "gradebook.csv").read_text(encoding="utf-8")
    assert len(rows.splitlines()) == 121


def test_pytest_counts_the_submissions_it_collected(pytester, good_file):
    pytester.mkdir("subs")
    for name in ("a.json", "b.json"):
        (pytester.path / "subs" / name).write_text(good_file, encoding="utf-8")
    result = run(pytester, "--comprende-submissions", "subs", "--comprende-out", "notas")
    result.stdout.fnmatch_lines(["collected 2 items"])
    listed = run(pytester, "--co", "-q", "--comprende-submissions", "subs", "--comprende-out", "x")
    listed.stdout.fnmatch_lines(["2 tests collected*"])

"""Reading answers files: nothing in one file crashes the reader or `comprende check`,
what looks right is read right, and the work is bounded (issue 9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comprende.bank import load_bank
from comprende.cli import main
from comprende.grading import grade_item
from comprende.model import ItemType, Status
from comprende.submission import (
    MAX_BYTES,
    MAX_FIELD_CHARS,
    MAX_LISTED,
    Reading,
    check_against_bank,
    read_path,
    read_submission,
)

from .conftest import ROOT

BANK = load_bank(ROOT / "exercises")
FIRST = {t: next(i for i in BANK.items if i.type == t) for t in ItemType}
SINGLE = FIRST[ItemType.SINGLE]
NUMERIC = FIRST[ItemType.NUMERIC]
SHORT = FIRST[ItemType.SHORT]
OPTION = SINGLE.options[0].id


def doc(
    answers: str = "{}", *, module: str | None = None, sid: str = '"A1"', name: str = '"Ana"'
) -> bytes:
    """A JSON answers file with raw JSON text in each field (for escapes and literals)."""
    module = json.dumps(BANK.id) if module is None else module
    return (
        f'{{\n  "module": {module},\n  "student": {{"id": {sid}, "name": {name}}},\n'
        f'  "answers": {answers}\n}}\n'
    ).encode()


def read(data: bytes, source: str = "r.json") -> Reading:
    reading = read_submission(data, source)
    check_against_bank(reading, BANK)
    assert_printable(reading)
    return reading


def assert_printable(reading: Reading) -> None:
    for problem in reading.problems:
        text = problem.render(reading.source)
        text.encode("utf-8")  # never a lone surrogate
        assert "\x1b" not in text and len(text) < 2000


def messages(reading: Reading, severity: str = "error") -> str:
    return "\n".join(p.message for p in reading.problems if p.severity == severity)


def result_of(data: bytes, item_id: str) -> Any:
    reading = read_submission(data, "r.json")
    result = check_against_bank(reading, BANK)
    assert result is not None, reading.problems
    assert_printable(reading)
    return next(r for r in result.items if r.item_id == item_id), reading


# ---------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("module", doc(module='"putin\\ud800"')),
        ("student.id", doc(sid='"A\\ud800"')),
        ("student.name", doc(name='"\\udc80Ana"')),
        ("student.name", doc(name='"Ana \\udbff"')),
    ],
)
def test_a_lone_surrogate_in_module_id_or_name_is_a_file_error(field: str, data: bytes) -> None:
    reading = read(data)
    assert not reading.ok
    assert "no es texto válido" in messages(reading)
    assert field.split(".")[-1] in messages(reading)


def test_a_lone_surrogate_in_an_answer_makes_that_answer_invalid() -> None:
    result, reading = result_of(
        doc(f'{{"{SINGLE.id}": "{OPTION}\\ud800", "{SHORT.id}": "x"}}'), SINGLE.id
    )
    assert result.status is Status.INVALID and result.points == 0
    assert "no es texto válido" in result.feedback[0]
    json.dumps(result.answer, ensure_ascii=False).encode("utf-8")  # reports can write it
    # The file is still gradeable (the class run grades it), but `check` calls it invalid.
    assert read_submission(doc(f'{{"{SINGLE.id}": "a\\ud800"}}'), "r.json").errors == []
    assert not reading.ok


def test_a_lone_surrogate_in_an_item_id_is_an_unknown_question_printed_safely() -> None:
    reading = read(doc(f'{{"{SINGLE.id}\\ud800": "{OPTION}"}}'))
    assert f"la pregunta «{SINGLE.id}\\ud800» no existe" in messages(reading)
    assert not reading.ok
    assert reading.problems[0].line == 4


def test_grading_a_lone_surrogate_directly_is_invalid_not_a_crash() -> None:
    for item in BANK.items:
        result = grade_item(item, "\ud800")
        assert result.status is Status.INVALID, item.id
        json.dumps(result.answer, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "literal",
    [
        "9" * 4301,
        "-" + "9" * 5000,
        "1e400",
        "-1e400",
        "1" * 400 + ".5",
        "NaN",
        "Infinity",
        "-Infinity",
    ],
)
def test_json_numbers_without_a_finite_value_make_the_answer_invalid(literal: str) -> None:
    for item in (NUMERIC, SHORT, SINGLE):
        result, reading = result_of(doc(f'{{"{item.id}": {literal}}}'), item.id)
        assert result.status is Status.INVALID and result.points == 0, (item.id, literal)
        assert "demasiado grande" in result.feedback[0] or "no es un número" in result.feedback[0]
        assert not reading.ok


@pytest.mark.parametrize("literal", ["9" * 4301, "9" * 400 + ".5"])
def test_yaml_numbers_without_a_finite_value_make_the_answer_invalid(literal: str) -> None:
    text = (
        f"module: {BANK.id}\nstudent: {{id: A1, name: Ana}}\nanswers:\n  {NUMERIC.id}: {literal}\n"
    )
    reading = read_submission(text.encode(), "r.yaml")
    result = check_against_bank(reading, BANK)
    assert result is not None
    graded = next(r for r in result.items if r.item_id == NUMERIC.id)
    assert graded.status is Status.INVALID and "demasiado grande" in graded.feedback[0]
    assert not reading.ok


@pytest.mark.parametrize(
    "answer", [10**400, -(10**400), float("inf"), float("-inf"), float("nan"), "1" * 400]
)
def test_a_number_past_float_range_is_never_graded_as_infinity(answer: Any) -> None:
    result = grade_item(NUMERIC, answer)
    assert result.status is Status.INVALID and result.points == 0


def test_json_literals_in_module_and_student_fields_do_not_crash() -> None:
    reading = read(doc(module="NaN", sid="1e400", name="-Infinity"))
    assert "`module`" in messages(reading)
    assert not reading.ok


# ---------------------------------------------------------------- duplicate keys


@pytest.mark.parametrize(
    ("answers", "line"),
    [
        ('{\n    "a": 1,\n    "a": 2\n  }', 6),
        ('{"x": {\n  "b1": "p",\n  "b1": "q"}}', 6),
        ('{"x": [{"k": 1,\n "k": 2}]}', 5),
    ],
)
def test_json_duplicate_keys_are_errors_with_their_line(answers: str, line: int) -> None:
    reading = read(doc(answers))
    duplicates = [p for p in reading.errors if "aparece dos veces" in p.message]
    assert duplicates and duplicates[0].line == line
    assert "la otra está en la línea" in duplicates[0].fix


def test_json_duplicate_top_level_and_student_keys_are_errors() -> None:
    data = b'{"module": "x", "module": "y", "student": {"id": "A", "id": "B", "name": "N"}, "answers": {}}'
    reading = read(data)
    assert messages(reading).count("aparece dos veces") == 2


def test_keys_that_become_one_once_cleaned_are_an_error() -> None:
    reading = read(doc(f'{{"{SINGLE.id}": "{OPTION}",\n "{SINGLE.id}\\u200b": "b"}}'))
    assert f"la pregunta «{SINGLE.id}» aparece dos veces" in messages(reading)


# ---------------------------------------------------------------- values keep their text


def test_yaml_student_fields_keep_their_source_text() -> None:
    text = f"module: {BANK.id}\nstudent:\n  id: 012345\n  name: yes\nanswers:\n  {SINGLE.id}: {OPTION}\n"
    reading = read_submission(text.encode(), "r.yaml")
    assert reading.submission is not None and not reading.errors
    assert reading.submission.student.id == "012345"
    assert reading.submission.student.name == "yes"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0o17", "0o17"),
        ("017", "017"),
        ("1:30", "1:30"),
        ("on", "on"),
        ("no", "no"),
        (".inf", ".inf"),
        ("1.50", "1.50"),
    ],
)
def test_yaml_student_id_is_exactly_what_was_written(value: str, expected: str) -> None:
    text = f"module: {BANK.id}\nstudent: {{id: {value}, name: Ana}}\nanswers: {{}}\n"
    reading = read_submission(text.encode(), "r.yaml")
    assert reading.submission is not None and reading.submission.student.id == expected


@pytest.mark.parametrize("value", ["0o17", "017", "1:30", "yes", "off", ".nan"])
def test_yaml_answers_are_not_converted(value: str) -> None:
    text = f"module: {BANK.id}\nstudent: {{id: A1, name: Ana}}\nanswers:\n  {SHORT.id}: {value}\n"
    reading = read_submission(text.encode(), "r.yaml")
    assert reading.submission is not None
    assert reading.submission.answers[SHORT.id] == value


def test_json_number_ids_keep_their_digits() -> None:
    reading = read(doc(sid="1.50", name='"Ana"'))
    assert reading.submission is not None and reading.submission.student.id == "1.50"


# ---------------------------------------------------------------- what looks right is read right


def test_item_ids_are_cleaned_on_reading() -> None:
    nfd = SINGLE.id  # ids are ASCII; build look-alikes of it
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in nfd)
    for key in (
        f"{nfd}\\u200b",
        f"\\ufeff{nfd}",
        f"{nfd}\\u00ad",
        f"\\u200e{nfd}\\u200f",
        wide,
        f" {nfd} ",
    ):
        reading = read(doc(f'{{"{key}": "{OPTION}"}}'))
        assert reading.submission is not None
        assert list(reading.submission.answers) == [SINGLE.id], key
        assert "no existe" not in messages(reading)


def test_student_id_and_name_are_normalised_on_reading() -> None:
    reading = read(doc(sid='"\\u200bA1\\u3000"', name='"  Jose\\u0301\\u00a0  Pe\\u0301rez\\n"'))
    assert reading.submission is not None and not reading.errors
    assert reading.submission.student.id == "A1"
    assert reading.submission.student.name == "José Pérez"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('"Ana\\u001b[31m"', "caracteres de control"),
        (json.dumps("x" * (MAX_FIELD_CHARS + 1)), "demasiado largo"),
    ],
)
def test_control_characters_and_huge_names_are_errors(name: str, expected: str) -> None:
    reading = read(doc(name=name))
    assert expected in messages(reading)


def test_one_stray_byte_in_utf8_keeps_the_rest_and_names_the_line() -> None:
    data = (
        (
            f'{{\n"module": "{BANK.id}",\n"student": {{"id": "A1", "name": "José Núñez"}},\n'
            f'"answers": {{\n"{SHORT.id}": "Moscú"}},\n"x": "a'
        ).encode()
        + b"\xff"
        + b'"}\n'
    )
    reading = read(data)
    assert reading.submission is not None
    assert reading.submission.student.name == "José Núñez"  # not JosÃ© NÃºÃ±ez
    assert reading.submission.answers[SHORT.id] == "Moscú"
    warning = next(p for p in reading.problems if "UTF-8" in p.message)
    assert warning.severity == "warning" and warning.line == 6
    assert "la línea 6" in warning.message and "«�»" in warning.message
    assert "UTF-8" in warning.fix


def test_a_windows_1252_file_is_still_read_as_windows_1252() -> None:
    data = doc(name='"José Núñez"').decode().encode("cp1252")
    reading = read(data)
    assert reading.submission is not None and reading.submission.student.name == "José Núñez"
    assert any("Windows-1252" in p.message for p in reading.problems)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + doc(name='"Jos\xc3\xa9"'.encode("latin-1").decode()) + b"\xff",
        b"\xff\xfe" + "{}".encode("utf-16-le") + b"\x00\xd8",
        b"\x00\x00\xfe\xff" + b"\x00\x00\xd8\x00",
        b"\xff\xfe\x00\x00" + b"\x00\xd8\x00\x00",
    ],
)
def test_a_byte_order_mark_with_bad_bytes_does_not_crash(data: bytes) -> None:
    reading = read(data)
    assert any("no son UTF-" in p.message for p in reading.problems)  # the bad bytes are said
    assert reading.submission is None  # and the broken JSON is not taken as answers


# ---------------------------------------------------------------- bounded work


def many_keys(n: int) -> bytes:
    answers = ",\n".join(f'"k{i}": 1' for i in range(n))
    return doc("{\n" + answers + "\n  }")


def structure_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the passes over a JSON file's text that find its keys' lines: the work that
    made 40,000 unknown keys take 367 s when it ran once per key."""
    import comprende.submission as submission

    calls: list[int] = []
    real = submission._json_structure

    def counted(text: str):  # type: ignore[no-untyped-def]
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(submission, "_json_structure", counted)
    return calls


def test_forty_thousand_unknown_keys_take_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    data = many_keys(40_000)
    assert len(data) < MAX_BYTES
    passes = structure_passes(monkeypatch)
    reading = read_submission(data, "r.json")
    check_against_bank(reading, BANK)
    assert len(passes) == 1
    assert reading.problems[0].line == 5  # the first unknown key's own line
    total = sum(len(p.render("r.json")) for p in reading.problems)
    assert total < 20_000  # long lists are cut: «… y N más»
    assert any(
        "… y" in p.message and "39980" in p.message.replace(".", "") for p in reading.problems
    )


def test_forty_thousand_unknown_yaml_keys_give_a_short_list() -> None:
    lines = "".join(f"  k{i}: 1\n" for i in range(40_000))
    data = f"module: {BANK.id}\nstudent: {{id: A1, name: Ana}}\nanswers:\n{lines}".encode()
    reading = read_submission(data, "r.yaml")
    check_against_bank(reading, BANK)
    assert reading.problems[0].line == 4
    # the first unknown ones, then «… y N más», and one line per unanswered item
    assert len(reading.problems) <= MAX_LISTED + 2 + len(BANK.items)
    assert sum(len(p.render("r.yaml")) for p in reading.problems) < 20_000


def test_check_on_forty_thousand_unknown_keys_is_one_pass_and_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(many_keys(40_000))
    passes = structure_passes(monkeypatch)
    status = main(["check", str(path)])
    out = capsys.readouterr().out
    assert status == 1 and len(passes) == 1
    assert len(out) < 30_000 and "no existe en este módulo" in out


def check_in_subprocess(path: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comprende.cli", "check", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def test_check_on_a_fifo_answers_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "r.json"
    os.mkfifo(fifo)
    done: list[Reading] = []
    thread = threading.Thread(target=lambda: done.append(read_path(fifo)), daemon=True)
    thread.start()
    thread.join(5)
    if not done:  # unblock the reader so the test process can end
        with open(fifo, "wb"):
            pass
        thread.join(5)
    assert done, "read_path blocked on a FIFO"
    assert "tubería" in messages(done[0])
    result = check_in_subprocess(str(fifo))
    assert result.returncode == 1 and "tubería" in result.stdout


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/dev/zero", "dispositivo"), ("/dev/null", "dispositivo"), (".", "carpeta")],
)
def test_check_on_a_device_or_folder_answers_at_once(path: str, expected: str) -> None:
    reading = read_path(Path(path))
    assert expected in messages(reading)
    result = check_in_subprocess(path)
    assert result.returncode == 1 and expected in result.stdout


def test_check_on_a_missing_file_or_dangling_link_says_so_in_spanish(tmp_path: Path) -> None:
    link = tmp_path / "enlace.json"
    link.symlink_to(tmp_path / "no-hay.json")
    for path in (tmp_path / "falta.json", link):
        assert "no existe" in messages(read_path(path))


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    with path.open("wb") as handle:
        handle.truncate(50 * MAX_BYTES)
    assert "el máximo es" in messages(read_path(path))


def test_check_reads_standard_input_up_to_the_limit_only() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "comprende.cli", "check", "-"],
        input=b"{" + b" " * (3 * MAX_BYTES),
        capture_output=True,
        cwd=ROOT,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1 and "el máximo es" in result.stdout.decode()


def test_check_with_an_undecodable_file_name_prints_it_safely(tmp_path: Path) -> None:
    name = os.fsdecode(b"r\xff\x1b[31m.json")
    (tmp_path / name).write_bytes(doc(f'{{"{SINGLE.id}": "{OPTION}"}}'))
    result = subprocess.run(
        [sys.executable, "-m", "comprende.cli", "check", str(tmp_path / name)],
        capture_output=True,
        cwd=ROOT,
        timeout=30,
        check=False,
    )
    out = result.stdout.decode("utf-8")  # strict: the output is valid UTF-8
    assert result.returncode == 0 and not result.stderr
    assert "\x1b" not in out and "r\\udcff\\x1b[31m.json" in out


# ---------------------------------------------------------------- property-based

TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)


def json_string(text: str) -> str:
    return json.dumps(text)  # ASCII-only: lone surrogates become \udXXX escapes


def number_literals() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers().map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from(
            ["NaN", "Infinity", "-Infinity", "1e400", "-1e999", "9" * 4301, "0.5e-400"]
        ),
        st.integers(300, 5000).map(lambda n: "7" * n),
    )


def json_texts(keys: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    leaves = st.one_of(
        TEXT.map(json_string), number_literals(), st.sampled_from(["true", "false", "null"])
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]"),
            st.lists(st.tuples(keys, children), max_size=4).map(
                lambda kvs: "{" + ",\n".join(f"{k}: {v}" for k, v in kvs) + "}"
            ),
        ),
        max_leaves=20,
    )


KEYS = st.one_of(
    TEXT.map(json_string),
    st.sampled_from([json_string(i.id) for i in BANK.items[:6]] + ['"module"', '"answers"', '"a"']),
)


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    value = json_texts(KEYS)
    if draw(st.booleans()):
        text = draw(value)
    else:
        module = draw(st.one_of(st.just(json_string(BANK.id)), value))
        sid, name = draw(value), draw(value)
        answers = draw(
            st.lists(st.tuples(KEYS, value), max_size=6).map(
                lambda kvs: "{" + ",\n".join(f"{k}: {v}" for k, v in kvs) + "}"
            )
        )
        text = f'{{"module": {module},\n"student": {{"id": {sid}, "name": {name}}},\n"answers": {answers}}}'
    deep = draw(st.integers(0, 40))
    if deep > 30:
        text = "[" * deep * 30 + text + "]" * deep * 30
    return text.encode("utf-8", "surrogatepass")


YAML_SCALAR = st.one_of(
    TEXT.map(
        lambda t: (
            json.dumps(t, ensure_ascii=False)
            .encode("utf-8", "surrogatepass")
            .decode("utf-8", "replace")
        )
    ),
    st.sampled_from(
        [
            "012345",
            "0o17",
            "1:30",
            "yes",
            ".inf",
            "~",
            "",
            "!!binary aGk=",
            "*x",
            "&x a",
            "[a, b]",
            "{a: 1}",
        ]
    ),
    number_literals(),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=10),
)


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    keys = st.one_of(st.sampled_from([i.id for i in BANK.items[:6]]), YAML_SCALAR)
    lines = [
        f"module: {draw(st.one_of(st.just(BANK.id), YAML_SCALAR))}",
        "student:",
        f"  id: {draw(YAML_SCALAR)}",
        f"  name: {draw(YAML_SCALAR)}",
        "answers:",
    ]
    lines += [f"  {draw(keys)}: {draw(YAML_SCALAR)}" for _ in range(draw(st.integers(0, 5)))]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


ANY_FILE = st.one_of(st.binary(max_size=300), json_documents(), yaml_documents())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=ANY_FILE, suffix=st.sampled_from([".json", ".yaml", ".txt"]))
def test_reading_and_checking_never_raise(data: bytes, suffix: str) -> None:
    reading = read_submission(data, "r" + suffix)
    result = check_against_bank(reading, BANK)
    assert_printable(reading)
    if reading.submission is not None:
        for key, answer in reading.submission.answers.items():
            key.encode("utf-8")
            json.dumps(answer, ensure_ascii=False).encode("utf-8")
        student = reading.submission.student
        (student.id + student.name + reading.submission.module).encode("utf-8")
    if result is not None:
        for graded in result.items:
            assert graded.points == graded.points and graded.points <= graded.possible
            json.dumps(graded.answer, ensure_ascii=False).encode("utf-8")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=ANY_FILE)
def test_check_never_crashes_and_exits_0_only_without_errors(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(data)
    status = main(["check", "--mode", "exam", str(path)])
    out = capsys.readouterr().out
    out.encode("utf-8")
    has_errors = ": error: " in out
    assert status in (0, 1)
    assert (status == 0) == (not has_errors), out[-500:]
    if status == 0:
        assert "archivo válido" in out
    else:
        assert "NO es válido" in out


def test_a_huge_unknown_key_is_cut_so_no_message_or_cell_is_huge() -> None:
    reading = read(doc('{"' + "k" * 500_000 + '": 1}'))
    assert reading.submission is not None
    (key,) = reading.submission.answers
    assert len(key) <= 201 and key.endswith("…")
    assert "no existe" in messages(reading)


def test_check_with_standard_input_closed_is_an_error_not_a_crash() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "comprende.cli", "check", "-"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 1 and "entrada estándar" in result.stdout
    assert "Traceback" not in result.stderr
